"""Write fragments back out of the graph (text format or CSV), field by field, from their raw values.

Every field a fragment had — known, fuzzy-matched or unknown — is stored as an ``hg:FieldValue`` with
its name as written, raw value and order, so the record can be reconstructed without loss. The field
values are provenance: they sit in the fragment's own graph only (not in the union graphs), hence ``GRAPH``. Known
fields are written under their canonical display name; unknown ones under the name as written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from .fields import BY_KEY
from .store import GraphStore
from .vocab import HG, DCTERMS


@dataclass
class ExportedFragment:
    id: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # (name, value) in the original order


# Field values are provenance records in each fragment's own graph (not in the union graphs). Oxigraph
# evaluates GRAPH ?g graph by graph, and an OPTIONAL or UNION inside it over every graph, so known fields
# (which have a canonical name) and unknown ones are two plain queries.
_FIELDS_QUERY = f"""
SELECT ?id ?order ?name ?key ?value WHERE {{
  GRAPH ?g {{
    ?f <{{link}}> ?fv ; <{DCTERMS.identifier}> ?id .
    ?fv <{HG.fieldOrder}> ?order ; <{HG.fieldName}> ?name ; <{HG.rawValue}> ?value {{key}} .
  }}
}}"""
_KNOWN = _FIELDS_QUERY.replace("{link}", str(HG.rawField)).replace("{key}", f"; <{HG.canonicalField}> ?key")
_UNKNOWN = _FIELDS_QUERY.replace("{link}", str(HG.extraField)).replace("{key}", "")
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
    rows = [*store.select(_KNOWN, graphs=graphs), *store.select(_UNKNOWN, graphs=graphs)]
    programmes = {r["id"].value: r["prog"].value for r in store.select(_PROGRAMMES, graphs=graphs)}
    rows.sort(key=lambda r: (r["id"].value, int(r["order"].value)))
    out: dict[str, ExportedFragment] = {}
    for row in rows:
        fid = row["id"].value
        key = row["key"].value if "key" in row else None
        frag = out.setdefault(fid, ExportedFragment(fid))
        frag.fields.append((display_name(key, row["name"].value, programmes.get(fid)), row["value"].value.strip()))
    return list(out.values())


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
