"""Provenance only: a stored fragment read again from another path (the same folder by a relative then
an absolute path, a moved or renamed folder) or at another line (a fragment shifted by an edit above it),
its record otherwise unchanged (same :func:`~.keys.content_key`). Only the quads that say where it was
read are rewritten, in place, in the batch's one transaction: hg:sourceFile and hg:sourceLine (kept in
the fragment's union graph, public or confidential: store.placement) and hg:rawRecord (its fields' lines;
fragment graph only), with the content hash. No normalising, resolving or mapping (~22 ms of CPU a
fragment on the benchmark corpus, Nov 2026: 100k moved fragments were ~40 min to change one literal).

The new content hash is derived from the stored one and the new provenance key (as a redacted link's
is, :mod:`.links`): it is not the digest a fresh mapping gives, so the next time the fragment is mapped
anyway (a pipeline change) its graph is rewritten once even if its quads are equal."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..mapping import N, integer, lit, raw_record
from ..read import RawFragment
from ..store import GraphStore, LOOKUP_CHUNK, own_resources
from ..vocab import CONFIDENTIAL_UNION_GRAPH, HG
from .keys import HIDES, hash_quad, join_hash, split_hash, split_key

_CONFIDENTIAL = str(CONFIDENTIAL_UNION_GRAPH)
_FLAG = N(HG.isConfidential)
_TRUE = ox.Literal("true", datatype=N("http://www.w3.org/2001/XMLSchema#boolean"))

# The predicates whose objects say where a record was read (the raw record: its fields' lines).
PROVENANCE = (str(HG.sourceFile), str(HG.sourceLine), str(HG.rawRecord))
_QUERY = f"""SELECT ?f ?p ?o ?g WHERE {{ VALUES ?f {{ {{frags}} }}
    VALUES ?p {{ {' '.join(f'<{p}>' for p in PROVENANCE)} }} GRAPH ?g {{ ?f ?p ?o }} }}"""


@dataclass
class ProvenancePatch:
    """What a batch rewrites of the provenance of fragments stored as they are but read elsewhere."""
    remove: list[ox.Quad] = field(default_factory=list)
    add: list[ox.Quad] = field(default_factory=list)
    fragments: set[str] = field(default_factory=set)  # their FragmentIDs

    def extend(self, other: "ProvenancePatch") -> None:
        self.remove += other.remove
        self.add += other.add
        self.fragments |= other.fragments

    def drop(self, ids: set[str], graphs: Mapping[str, str]) -> None:
        """Forget the patches of ``ids`` (mapped after all); ``graphs``: FragmentID → its graph IRI."""
        if not ids & self.fragments:
            return
        gone = {graphs[i] for i in ids & self.fragments}
        frags = {own_resources(g)[0] for g in gone}

        def keep(q: ox.Quad) -> bool:
            return q.subject.value not in frags and q.subject.value not in gone
        self.remove = [q for q in self.remove if keep(q)]
        self.add = [q for q in self.add if keep(q)]
        self.fragments -= ids


def _new_values(raw: RawFragment) -> dict[str, ox.Literal]:
    """The provenance objects of ``raw`` as the mapping states them (mapping.map_fragment)."""
    return {PROVENANCE[0]: lit(raw.source_file), PROVENANCE[1]: integer(raw.line),
            PROVENANCE[2]: lit(raw_record(raw))}


def provenance_patch(store: GraphStore, moved: Mapping[str, tuple[str, RawFragment, str]],
                     stored: Mapping[str, str]) -> tuple[ProvenancePatch, list[str]]:
    """The patch rewriting where each of ``moved`` (FragmentID → (graph IRI, raw record as read now, its
    :func:`~.keys.record_key`)) was read; ``stored``: graph → stored hash literal. Returns the patch and
    the FragmentIDs it cannot patch (a provenance quad missing: those are mapped as usual)."""
    patch, failed = ProvenancePatch(), []
    items = list(moved.items())
    for i in range(0, len(items), LOOKUP_CHUNK):
        chunk = items[i:i + LOOKUP_CHUNK]
        frag_of = {own_resources(g)[0]: fid for fid, (g, _, _) in chunk}
        rows: dict[str, list[dict]] = {}
        for r in store.select(_QUERY.replace("{frags}", " ".join(f"<{f}>" for f in frag_of))):
            rows.setdefault(frag_of[r["f"].value], []).append(r)
        for fid, (g, raw, key) in chunk:
            found = rows.get(fid, [])
            if sorted(r["p"].value for r in found) != sorted(PROVENANCE):
                failed.append(fid)
                continue
            new = _new_values(raw)
            for r in found:
                value = new[r["p"].value]
                if r["o"] != value:
                    patch.remove.append(ox.Quad(r["f"], r["p"], r["o"], r["g"]))
                    patch.add.append(ox.Quad(r["f"], r["p"], value, r["g"]))
            if any(r["g"].value == _CONFIDENTIAL for r in found):
                # its flag goes with the patch: a backend that files each written fragment graph under the
                # readers' scopes by the flag it carries (stores/virtuoso.scope_quads) must not take the
                # graph for a public one (an existing quad: no change in the embedded store)
                patch.add.append(ox.Quad(found[0]["f"], _FLAG, _TRUE, N(g)))
            old = stored[g]
            content, stored_record = split_hash(old)
            _, hides = split_key(stored_record)
            derived = hashlib.sha256(f"{content}\nprovenance {key}".encode()).hexdigest()
            node = N(g)
            patch.remove.append(hash_quad(node, old))
            patch.add.append(hash_quad(node, join_hash(derived, key + (HIDES + " ".join(sorted(hides)) if hides else ""))))
            patch.fragments.add(fid)
    return patch, failed
