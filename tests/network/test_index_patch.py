"""The list index patched by a write's fragments (issue 14: "a new harvest in seconds").

A patched index must be the index a full build gives: the same catalogue (rows, facet columns, links,
counts, sort orders) and the same network (nodes, links, their attributes and measures), for each reader
scope, after fragments were added, edited, removed and one made confidential. Everything runs on a real
store on disk, written by the real ingest; the server side (``serve --watch`` over HTTP) is in
tests/api/test_index_patch_server.py.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from harvestgraph import queries
from harvestgraph.api.explore_data import build_index, patch_index
from harvestgraph.ingest import ingest
from harvestgraph.network.analyse import EDGE_COLUMNS, OUTCOME_COLUMNS, Filters, _rows, for_outcomes
from harvestgraph.store import EmbeddedStore, own_resources
from harvestgraph.vocab import fragment_graph
from harvestgraph.vocab import outcome_iri as _outcome_iri

from tests.conftest import EXAMPLES, make_resolver

EDITED, FLIPPED, LINKS_TO_FLIPPED, REMOVED = ("SCC-KEN2508/CIV011", "SCC-KEN2508/CIV008", "SCC-KEN2508/CIV011",
                                              "SCC-KEN2404/CIV003")
NEW = ("SCC-KEN2612/CIV901", "SCC-KEN2612/CIV902")


def outcome_iri(fid: str) -> str:
    return str(_outcome_iri(fid))


def _new_fragments() -> str:
    """Two new fragments made from an existing one: new IDs, an actor no other fragment names."""
    text = (EXAMPLES / "text" / "010_scc_kenya_single.txt").read_text()
    out = []
    for fid in NEW:
        out.append(text.replace("SCC-KEN2508/CIV011", fid)
                   .replace("Coast Human Rights Defenders Network", "Lamu Paralegals Forum")
                   .replace("**Year **: 2025", "**Year **: 2026"))
    return "\n---\n\n".join(out)


@pytest.fixture()
def harvest(tmp_path):
    folder = tmp_path / "harvest"
    shutil.copytree(EXAMPLES / "text", folder)
    store = EmbeddedStore(tmp_path / "store")
    ingest([folder], store, make_resolver())
    yield folder, store
    store.close()


def _edit(folder: Path, store: EmbeddedStore) -> None:
    """Adds, an edit, a public fragment made confidential (its link from another hidden), a removal:
    two ingests and one removal, three generations."""
    single = folder / "010_scc_kenya_single.txt"
    single.write_text(single.read_text().replace("**Year **: 2025", "**Year **: 2019")
                      .replace("In July 2025,", "In July 2019, after a long delay,"))
    seed = folder / "000_seed.txt"
    seed.write_text(seed.read_text().replace("**Outcome statements is CONFIDENTIAL**: ",
                                             "**Outcome statements is CONFIDENTIAL**: YES", 1))
    (folder / "070_new.txt").write_text(_new_fragments())
    report = ingest([folder], store, make_resolver())
    assert report.added == 2 and report.replaced >= 2, report
    store.write([str(fragment_graph(REMOVED))], [])


def same_index(a, b) -> list[str]:
    """Where two indexes (:class:`Built`) differ: [] when the catalogue and the network are the same."""
    diffs = []
    for f in dataclasses.fields(a.catalogue):
        x, y = getattr(a.catalogue, f.name), getattr(b.catalogue, f.name)
        if not _equal(x, y):
            diffs.append(f"catalogue.{f.name}")
    ea, eb = a.explorer, b.explorer
    if dict(ea.graph.nodes(data=True)) != dict(eb.graph.nodes(data=True)):
        diffs.append("explorer nodes")
    if list(ea.graph.nodes) != list(eb.graph.nodes):
        diffs.append("explorer node order")

    def links(e):
        return {(min(u, v), max(u, v)): d for u, v, d in e.graph.edges(data=True)}
    if links(ea) != links(eb):
        diffs.append("explorer links")
    for name in ("community", "pagerank", "members", "values", "outcome_values", "years", "key"):
        if getattr(ea, name) != getattr(eb, name):
            diffs.append(f"explorer.{name}")
    if not np.array_equal(ea.adj.toarray(), eb.adj.toarray()):
        diffs.append("explorer adjacency")
    return diffs


def _equal(x, y) -> bool:
    if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
        return isinstance(x, np.ndarray) and isinstance(y, np.ndarray) and x.shape == y.shape and np.array_equal(x, y)
    if isinstance(x, dict):
        return isinstance(y, dict) and x.keys() == y.keys() and all(_equal(x[k], y[k]) for k in x)
    return x == y


def test_a_write_records_the_fragment_graphs_it_touched(harvest, tmp_path):
    folder, store = harvest
    g0 = store.generation
    assert store.changed_since(g0) == frozenset()
    _edit(folder, store)
    changed = store.changed_since(g0)
    assert changed is not None
    expected = {str(fragment_graph(f)) for f in (EDITED, FLIPPED, LINKS_TO_FLIPPED, REMOVED, *NEW)}
    assert expected <= changed, expected - changed
    # the unchanged fragments were not written (only the touched ones are read again)
    assert len(changed) <= len(expected) + 2
    assert store.changed_since(store.generation) == frozenset()
    assert store.changed_since(store.generation + 1) is None  # a generation not reached
    assert store.changed_since(None) is None
    # a write of anything but fragment graphs (here the ontology, loaded again) makes it unknown
    g1 = store.generation
    store.write([], [_static_quad()])
    assert store.changed_since(g1) is None and store.changed_since(g0) is None


def _static_quad():
    import pyoxigraph as ox

    from harvestgraph.vocab import ONTOLOGY_GRAPH

    g = ox.NamedNode(str(ONTOLOGY_GRAPH))
    return ox.Quad(g, ox.NamedNode("https://example.org/p"), ox.Literal("x"), g)


def test_a_streamed_bulk_load_is_an_unknown_change(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    try:
        g0 = store.generation
        store.rebuild([], [], nquads=[b""])  # what write_streaming does: graphs not known beforehand
        assert store.generation == g0 + 1 and store.changed_since(g0) is None
    finally:
        store.close()


def test_the_rows_of_some_outcomes_are_the_whole_reads_rows_of_them(corpus_store):
    """for_outcomes: the network queries rewritten for a few outcomes answer exactly their rows."""
    for confidential in (False, True):
        graphs = corpus_store.visible_graphs(confidential=confidential)
        for name, columns, params in (("network_outcomes", OUTCOME_COLUMNS, Filters().outcome_params()),
                                      ("network_edges", EDGE_COLUMNS, Filters().edge_params())):
            text = queries.bind(queries.get(name), params)
            whole = _rows(corpus_store, text, graphs, columns)
            iris = sorted({r[0] for r in whole})
            assert len(iris) > 20
            for pick in (iris[:1], iris[::3], iris):
                part = _rows(corpus_store, for_outcomes(text, pick), graphs, columns)
                assert sorted(part) == sorted(r for r in whole if r[0] in set(pick)), (name, len(pick))
            assert re.search(r"VALUES \?outcome", for_outcomes(text, iris[:1]))


@pytest.mark.parametrize("confidential", [False, True], ids=["public", "confidential"])
def test_a_patched_index_is_the_full_build(harvest, tmp_path, confidential, monkeypatch):
    from harvestgraph.network import analyse

    monkeypatch.setattr(analyse, "PATCH_CHUNK", 2)  # the touched outcomes read in several VALUES blocks
    folder, store = harvest
    g0 = store.generation
    before = tmp_path / "before.pickle"
    old = build_index(store, store.visible_graphs(confidential=confidential), str(before))
    _edit(folder, store)
    touched = sorted(own_resources(g)[1] for g in store.changed_since(g0))
    graphs = store.visible_graphs(confidential=confidential)
    after = tmp_path / "after.pickle"
    patched = patch_index(store, graphs, str(before), str(after), touched)
    full = build_index(store, graphs)
    assert same_index(patched, full) == []
    assert same_index(old, full) != []  # (the writes changed the index: the comparison can fail)

    cat = patched.catalogue
    flipped, removed = outcome_iri(FLIPPED), outcome_iri(REMOVED)
    assert (flipped in cat.iris) is confidential and (flipped in patched.explorer.graph) is confidential
    assert removed not in cat.iris and removed not in patched.explorer.graph
    assert all(outcome_iri(f) in cat.iris for f in NEW)
    assert cat.years[cat.iris.index(outcome_iri(EDITED))] == 2019
    assert cat.counts["outcomes"] == len(old.catalogue.iris) + 2 - 1 - (0 if confidential else 1)
    # the link of a public fragment to the outcome made confidential is gone (the ingest hides it in the
    # store, for every reader)
    edited = outcome_iri(LINKS_TO_FLIPPED)
    assert old.explorer.graph.has_edge(edited, flipped) and not patched.explorer.graph.has_edge(edited, flipped)

    # a second patch from the first one's rows: a write after a patch is patched too
    g1 = store.generation
    (folder / "070_new.txt").write_text(_new_fragments().replace("Lamu Paralegals Forum", "Malindi Youth Assembly"))
    ingest([folder], store, make_resolver())
    touched = sorted(own_resources(g)[1] for g in store.changed_since(g1))
    # the new fragments' actor renamed, and the removed fragment back from its file
    assert touched == sorted(outcome_iri(f) for f in (*NEW, REMOVED))
    graphs = store.visible_graphs(confidential=confidential)
    again = patch_index(store, graphs, str(after), None, touched)
    assert same_index(again, build_index(store, graphs)) == []

