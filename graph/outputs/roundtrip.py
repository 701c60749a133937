"""Write fragments back out of the graph (text format or CSV), field by field, from their raw values.

Every field a fragment had — known, fuzzy-matched or unknown — is stored in its raw record
(``hg:rawRecord``: one JSON literal per fragment, see :func:`harvestgraph.mapping.raw_record`) with its
name as written, raw value and order, so the record can be reconstructed without loss. The raw record is
provenance: it sits in the fragment's own graph only (not in the union graphs), hence ``GRAPH``. Known
fields are written under their canonical display name; unknown ones under the name as written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..fields import BY_KEY
from ..mapping import read_record
from ..store import GraphStore
from ..vocab import HG, DCTERMS


@dataclass
class ExportedFragment:
    id: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # (name, value) in the original order


# The raw record lives in the fragment's graph, its identifier (a fact) in the reader's union graph(s).
_RECORDS = f"""SELECT ?id ?record WHERE {{
  GRAPH ?g {{ ?f <{HG.rawRecord}> ?record }}
  ?f <{DCTERMS.identifier}> ?id
}}"""
_PROGRAMMES = f"""SELECT ?id ?prog WHERE {{
  ?f a <{HG.Fragment}> ; <{DCTERMS.identifier}> ?id ; <{HG.programme}>/<http://www.w3.org/2004/02/skos/core#notation> ?prog
}}"""


def display_name(key: str | None, written: str, programme: str | None) -> str:
    if key is None:
        return written.strip()
    if key == "objective":
        # "Link to SCC Specific Objectives": the programme is part of the name, and an export may carry
        # one such column per programme, so the name as written is kept.
        return written.strip() or (f"Link to {programme} Specific Objectives" if programme else BY_KEY[key].display)
    return BY_KEY[key].display


def fragments(store: GraphStore, graphs: Sequence[str] | None) -> list[ExportedFragment]:
    programmes = {r["id"].value: r["prog"].value for r in store.select(_PROGRAMMES, graphs=graphs)}
    out: list[ExportedFragment] = []
    for row in sorted(store.select(_RECORDS, graphs=graphs), key=lambda r: r["id"].value):
        fid = row["id"].value
        frag = ExportedFragment(fid)
        for f in read_record(row["record"].value):
            frag.fields.append((display_name(f["canonicalField"], f["fieldName"], programmes.get(fid)),
                                f["rawValue"].strip()))
        out.append(frag)
    return out


def to_text(frags: Sequence[ExportedFragment]) -> str:
    blocks = []
    for f in frags:
        blocks.append("\n".join(f"**{name}**: {value}" for name, value in f.fields))
    return "\n\n---\n\n".join(blocks) + "\n"


def to_csv(frags: Sequence[ExportedFragment]) -> str:
    columns: list[str] = []
    for f in frags:
        for name, _ in f.fields:
            if name not in columns:
                columns.append(name)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for f in frags:
        first: dict[str, str] = {}  # a field written twice in one fragment: the CSV keeps the first
        for name, value in f.fields:
            first.setdefault(name, value)
        w.writerow([first.get(c, "") for c in columns])
    return buf.getvalue()
