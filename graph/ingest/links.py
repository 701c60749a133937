"""Links to confidential outcomes: a public fragment's hg:buildsOn link to a confidential outcome would
sit in the public graph and name that outcome's IRI (and with it the FragmentID), so it is dropped, in
the batch being written and in public fragments already stored."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from ..mapping import MappedFragment, N
from ..normalise import Fragment
from ..store import UNION_GRAPHS, GraphStore, own_resources
from ..vocab import (CONFIDENTIAL_UNION_GRAPH, HG, PUBLIC_UNION_GRAPH, fragment_graph, fragment_id_from_iri,
                     outcome_iri)
from .keys import HIDES, split_hash


def redact_public_links(mapped: Sequence[MappedFragment], confidential_ids: set[str]) -> list[MappedFragment]:
    """Drop hg:buildsOn links from PUBLIC fragments to CONFIDENTIAL outcomes.

    The link would sit in the public graph and name the confidential outcome's IRI, and with it the
    FragmentID. Links between confidential fragments, or from a confidential one to a public one, stay.
    The content hash changes with what was dropped, so a fragment is rewritten when a target it builds
    on becomes confidential."""
    hidden = hidden_outcomes(confidential_ids)
    return [redact_links(m, hidden) for m in mapped]


def hidden_outcomes(confidential_ids: Iterable[str]) -> set[str]:
    """The outcome IRIs of confidential fragments (computed once per batch, not per fragment)."""
    return {str(outcome_iri(i)) for i in confidential_ids}


_BUILDS_ON = f"<{HG.buildsOn}>"  # as printed
_BUILDS_ON_WORD = f" {_BUILDS_ON} "


def _hidden_link(line: str, hidden: set[str]) -> str | None:
    """The outcome IRI a printed quad links to with hg:buildsOn, if it is one of ``hidden``."""
    if _BUILDS_ON_WORD not in line:
        return None
    _, p, rest = line.split(" ", 2)
    target = rest.split(" ", 1)[0]  # (the object of a link is an IRI: no space in it)
    if p == _BUILDS_ON and target[:1] == "<" and target[1:-1] in hidden:
        return target[1:-1]
    return None


def redact_links(m: MappedFragment, hidden: set[str]) -> MappedFragment:
    """One fragment without its links to ``hidden`` outcome IRIs (see :func:`redact_public_links`), read
    from its printed lines (the resident pool hands back lines only: no quad is read back for this)."""
    if not hidden or m.fragment.is_confidential:
        return m
    targets = [_hidden_link(line, hidden) for line in m.lines]
    dropped = sorted({t for t in targets if t is not None})
    if not dropped:
        return m
    keep = [line for line, t in zip(m.lines, targets) if t is None]
    digest = hashlib.sha256(f"{m.content_hash}\nredacted {len(m) - len(keep)}".encode()).hexdigest()
    # Whether the link stays hidden depends on the other fragment: the key names the outcomes it hid,
    # and the fragment is skipped next time only while they are all still confidential (scan_batch).
    key = f"{m.record_key}{HIDES}{' '.join(dropped)}" if m.record_key else None
    return MappedFragment(m.fragment, m.graph, None, digest, key, lines=keep)


def redact_stored_links(store: GraphStore, confidential_ids: Iterable[str],
                        rewritten: Iterable[str] = ()) -> list[MappedFragment]:
    """Public graphs already stored (and not rewritten by this batch: ``rewritten`` graph IRIs) that build
    on an outcome this batch makes confidential (``confidential_ids``): rewritten without those links, in
    the same transaction as the batch.
    (Returned as MappedFragments with ``fragment=None``: only graph, quads and hash are written.)"""
    targets = sorted(set(confidential_ids))
    if not targets:
        return []
    in_batch = set(rewritten)
    values = " ".join(f"<{outcome_iri(i)}>" for i in targets)
    # The links are facts of the linking outcome: in its union graph (store.placement), the public one here.
    hits = store.select(f"SELECT DISTINCT ?s WHERE {{ VALUES ?o {{ {values} }} "
                        f"GRAPH <{PUBLIC_UNION_GRAPH}> {{ ?s <{HG.buildsOn}> ?o }} }}")
    if not hits:
        return []
    candidates = sorted({str(fragment_graph(fragment_id_from_iri(r["s"].value))) for r in hits} - in_batch)
    public = set(candidates) - store.confidential_graphs(candidates)  # not a scan of every fragment graph
    hidden = {str(outcome_iri(i)) for i in targets}
    patches: list[MappedFragment] = []
    for g in sorted(public):
        rows = stored_fragment(store, g)
        node = N(g)
        old_hash = split_hash(next((r["o"].value for r in rows if r["p"].value == str(HG.contentHash)), ""))[0] or ""
        quads = [ox.Quad(r["s"], r["p"], r["o"], node) for r in rows
                 if r["p"].value != str(HG.contentHash)
                 and not (r["p"].value == str(HG.buildsOn) and r["o"].value in hidden)]
        digest = hashlib.sha256(f"{old_hash}\nredacted {len(rows) - 1 - len(quads)}".encode()).hexdigest()
        patches.append(MappedFragment(None, node, quads, digest))  # type: ignore[arg-type]
    return patches


def stored_fragment(store: GraphStore, graph: str) -> list[dict]:
    """Every triple a stored fragment states (rows ``s``, ``p``, ``o``), as it was mapped: its graph's, and
    the facts about its own resources, which are kept in its union graph only (store.placement)."""
    frag, outcome, contributions = own_resources(graph)
    rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    seen = {(r["s"], r["p"], r["o"]) for r in rows}
    for union in UNION_GRAPHS:
        for r in store.select(f"""SELECT ?s ?p ?o WHERE {{ GRAPH <{union}> {{
            {{ VALUES ?s {{ <{frag}> <{outcome}> }} ?s ?p ?o }}
            UNION {{ <{outcome}> <{HG.qualifiedContribution}> ?s . ?s ?p ?o }} }} }}"""):
            if (r["s"], r["p"], r["o"]) not in seen:
                seen.add((r["s"], r["p"], r["o"]))
                rows.append(r)
    return rows


def stored_confidential_ids(store: GraphStore) -> set[str]:
    """FragmentIDs of the confidential fragments already in the store."""
    return {fragment_id_from_iri(f) for f in store.union_fragments([str(CONFIDENTIAL_UNION_GRAPH)])}


def now_confidential(store: GraphStore, batch: Iterable[Fragment]) -> set[str]:
    """FragmentIDs confidential once ``batch`` is written: the stored ones, as the batch's new and
    edited records now say (a stored confidential fragment made public in the batch is public)."""
    ids = stored_confidential_ids(store)
    for f in batch:
        (ids.add if f.is_confidential else ids.discard)(f.id)
    return ids
