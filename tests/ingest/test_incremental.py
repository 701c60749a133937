"""Nothing is redone (issue 14): an unchanged fragment costs a hash and a lookup, not a normalisation,
a resolution and a mapping; an edited one is mapped again; the hash lookups are a few queries per file,
never one per fragment nor a scan of the store. Counted, not timed (the machine is shared)."""

from __future__ import annotations

import shutil
from collections import Counter

import pytest

from harvestgraph import mapping as mapping_mod
from harvestgraph.ingest import batch as batch_mod
from harvestgraph.ingest import keys as keys_mod
from harvestgraph.ingest import pipeline as pipeline_mod
from harvestgraph.ingest import ingest
from harvestgraph.store import EmbeddedStore, GraphStore

from tests.conftest import EXAMPLES, make_resolver


@pytest.fixture()
def calls(monkeypatch) -> Counter:
    """How often the expensive stages run, and how the store is asked for hashes."""
    seen: Counter = Counter()
    real_normalise, real_map = batch_mod.normalise, mapping_mod.map_fragment
    real_hashes = GraphStore.content_hashes

    def normalise(raw):
        seen["normalise"] += 1
        return real_normalise(raw)

    def map_fragment(frag, res):
        seen["map"] += 1
        return real_map(frag, res)

    def content_hashes(self, graphs=None):
        seen["hash scan" if graphs is None else "hash lookup"] += 1
        return real_hashes(self, graphs)

    monkeypatch.setattr(batch_mod, "normalise", normalise)
    monkeypatch.setattr(mapping_mod, "map_fragment", map_fragment)  # (mapping.map_all: the one mapping loop)
    monkeypatch.setattr(pipeline_mod, "map_fragment", map_fragment)  # (a repeated FragmentID compared)
    monkeypatch.setattr(GraphStore, "content_hashes", content_hashes)
    return seen


def test_unchanged_fragments_are_not_normalised_resolved_or_mapped(tmp_path, calls):
    st = EmbeddedStore(tmp_path / "s")
    first = ingest([EXAMPLES], st, make_resolver())
    assert calls["map"] >= first.fragments > 30
    calls.clear()
    again = ingest([EXAMPLES], st, make_resolver())
    assert again.unchanged == again.fragments == first.fragments and again.quads_written == 0
    assert calls["normalise"] == calls["map"] == 0
    files = again.files
    assert calls["hash scan"] == 0 and calls["hash lookup"] <= files + 1  # per file + the registry's


def test_only_the_edited_fragment_is_mapped_again(tmp_path, calls):
    src = tmp_path / "in"
    shutil.copytree(EXAMPLES / "text", src)
    st = EmbeddedStore(tmp_path / "s")
    first = ingest([src], st, make_resolver())
    f = src / "010_scc_kenya_single.txt"
    f.write_text(f.read_text(encoding="utf-8").replace("In July 2025", "In late July 2025", 1), encoding="utf-8")
    calls.clear()
    report = ingest([src], st, make_resolver())
    assert calls["normalise"] == calls["map"] == 1
    assert report.replaced == 1 and report.unchanged == first.fragments - 1 and report.fragments == first.fragments
    # and a third time nothing at all
    calls.clear()
    assert ingest([src], st, make_resolver()).unchanged == first.fragments
    assert calls["map"] == 0


def test_a_new_pipeline_maps_again_but_rewrites_nothing_that_did_not_change(tmp_path, calls, monkeypatch):
    st = EmbeddedStore(tmp_path / "s")
    first = ingest([EXAMPLES / "text"], st, make_resolver())
    before = {str(q) for q in st.raw if "contentHash" not in str(q.predicate)}
    monkeypatch.setattr(keys_mod, "MAPPING_VERSION", "test-next")  # as after an upgrade
    calls.clear()
    report = ingest([EXAMPLES / "text"], st, make_resolver())
    assert calls["map"] == first.fragments and report.unchanged == first.fragments and report.replaced == 0
    assert {str(q) for q in st.raw if "contentHash" not in str(q.predicate)} == before
    calls.clear()  # the new keys were noted: the next ingest skips them all
    assert ingest([EXAMPLES / "text"], st, make_resolver()).unchanged == first.fragments
    assert calls["map"] == 0


def test_a_repeated_fragmentid_is_compared_even_when_its_first_copy_is_stored(tmp_path):
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("**FragmentID**: D-1\n**Year**: 2024\n")
    st = EmbeddedStore(tmp_path / "s")
    ingest([a], st, make_resolver())
    b.write_text("**FragmentID**: D-1\n**Year**: 2025\n")
    from harvestgraph.errors import BatchError

    with pytest.raises(BatchError, match="duplicate FragmentID 'D-1' with different values"):
        ingest([a, b], st, make_resolver())
    b.write_text("**FragmentID**: D-1\n**Year**: 2024\n")
    report = ingest([a, b], st, make_resolver())
    assert report.fragments == 1 and any("same values" in w.message for w in report.warnings)


def test_a_repeated_fragmentid_unchanged_is_not_mapped_again(tmp_path, calls):
    """The key of a FragmentID read twice is the key of both occurrences: unchanged, it is skipped like
    any unchanged record (before, each re-ingest mapped it again and loaded the language pipeline)."""
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    text = "**FragmentID**: D-1\n**Year**: 2024\n**Outcome description**: The Ministry of Health adopted a policy.\n"
    a.write_text(text)
    b.write_text(text)
    st = EmbeddedStore(tmp_path / "s")
    first = ingest([a, b], st, make_resolver())
    assert first.fragments == 1 and calls["map"] >= 2  # both occurrences mapped and compared: read once
    calls.clear()
    again = ingest([a, b], st, make_resolver())
    assert calls["map"] == 0 and again.unchanged == 1
    b.write_text(text.replace("2024", "2025"))  # one occurrence edited: compared again, and refused
    from harvestgraph.errors import BatchError

    with pytest.raises(BatchError, match="duplicate FragmentID 'D-1' with different values"):
        ingest([a, b], st, make_resolver())
    calls.clear()  # read once now: a new key, the same quads (only the key is noted), then skipped
    assert ingest([a], st, make_resolver()).unchanged == 1 and calls["map"] == 1
    calls.clear()
    assert ingest([a], st, make_resolver()).unchanged == 1 and calls["map"] == 0


def test_a_store_of_another_data_model_is_refused_with_what_to_run(tmp_path):
    import pyoxigraph as ox

    from harvestgraph.errors import StoreError
    from harvestgraph.store import MODEL_VERSION, model_quad
    from harvestgraph.vocab import HG, fragment_graph, fragment_iri

    st = EmbeddedStore(tmp_path / "new")  # a new store is marked by its first write
    ingest([EXAMPLES / "text" / "010_scc_kenya_single.txt"], st, make_resolver())
    assert st.stored_model() == MODEL_VERSION
    st.close()
    EmbeddedStore(tmp_path / "new", read_only=True).close()  # read as it is

    old = ox.Store(str(tmp_path / "old"))  # as the previous version wrote it: fragments, no marker
    g = ox.NamedNode(str(fragment_graph("OLD-1")))
    old.add(ox.Quad(ox.NamedNode(str(fragment_iri("OLD-1"))), ox.NamedNode(str(vocab_type())),
                    ox.NamedNode(str(HG.Fragment)), g))
    old.flush()
    del old
    for read_only in (False, True):
        with pytest.raises(StoreError, match=r"data model 1.*harvestgraph ingest FILES --store NEW_FOLDER"):
            EmbeddedStore(tmp_path / "old", read_only=read_only)
    newer = ox.Store(str(tmp_path / "newer"))
    q = model_quad()
    newer.add(ox.Quad(q.subject, q.predicate, ox.Literal("99"), q.graph_name))
    newer.flush()
    del newer
    with pytest.raises(StoreError, match="data model 99, written by a newer version"):
        EmbeddedStore(tmp_path / "newer")


def vocab_type():
    from harvestgraph.vocab import RDF

    return RDF.type


def test_the_code_digest_covers_the_learnt_modules_the_pipeline_calls_and_not_the_tools():
    """An edit to how a learnt model is read re-maps stored fragments; an edit to a training or measuring tool
    does not."""
    from harvestgraph.ingest import keys

    names = {p.relative_to(p.parents[2]).as_posix() for p in keys.digested_files() if "learnt" in p.parts}
    assert {"actors/learnt/changed.py", "actors/learnt/span_model.py"} <= names
    assert not names & {"actors/learnt/build.py", "actors/learnt/loso.py", "actors/learnt/gold_spans.py"}
    assert any(p.name == "roles.py" for p in keys.digested_files())
