"""The fast write paths (issue 7): big batches stream into Oxigraph's bulk loader in a sibling folder
that is swapped in. They must store exactly what the transactional path stores, stay all-or-nothing
and survive a crash in the middle of the swap. Thresholds are lowered so the small corpus takes them."""

from __future__ import annotations

import os
import shutil
from collections import Counter

import pyoxigraph as ox
import pytest

from harvestgraph.ingest import batch as batch_mod
from harvestgraph.ingest import workers as workers_mod
from harvestgraph.ingest import write as write_mod
from harvestgraph.store import embedded as store_mod
from harvestgraph.errors import BatchError
from harvestgraph.ingest import ingest
from harvestgraph.store import EmbeddedStore, model_quad

from tests.conftest import EXAMPLES, make_resolver


def data(st: EmbeddedStore) -> list[ox.Quad]:
    """The store's quads but its data-model marker (the system graph)."""
    return [q for q in st.raw if q.graph_name != model_quad().graph_name]


def quads(st: EmbeddedStore) -> set[str]:
    return {str(q) for q in st.raw}


def ground(st: EmbeddedStore) -> tuple[set[str], int]:
    """The quads without blank nodes (the static graphs' blank node labels differ per load) and the count."""
    qs = quads(st)
    return {q for q in qs if "_:" not in q}, len(qs)


@pytest.fixture()
def bulk_always(monkeypatch):
    return force_bulk(monkeypatch)


def force_bulk(monkeypatch) -> list:
    """Make every batch take the bulk (streaming + rebuild) path; returns the list of rebuild calls."""
    monkeypatch.setattr(write_mod, "BULK_MIN_FRAGMENTS", 1)
    monkeypatch.setattr(store_mod, "BULK_MIN_QUADS", 1)
    calls = []
    real = EmbeddedStore.rebuild

    def spy(self, drop, qs, **kw):
        calls.append(list(drop))
        return real(self, drop, qs, **kw)

    monkeypatch.setattr(EmbeddedStore, "rebuild", spy)
    return calls


@pytest.fixture()
def worker_calls(monkeypatch) -> list:
    """Spy on the parallel mapping (worker processes); returns the list of its calls."""
    calls: list = []
    real = workers_mod.map_in_workers

    def spy(files, *args):
        calls.append(len(files))
        return real(files, *args)

    monkeypatch.setattr(workers_mod, "map_in_workers", spy)
    monkeypatch.setattr(workers_mod, "WORKERS", 2)
    return calls


@pytest.mark.parametrize("workers", [1, 2])
def test_bulk_path_stores_exactly_what_the_transactional_path_stores(tmp_path, monkeypatch, worker_calls, workers):
    plain = EmbeddedStore(tmp_path / "plain")
    want = ingest([EXAMPLES], plain, make_resolver())
    calls = force_bulk(monkeypatch)
    monkeypatch.setattr(workers_mod, "WORKERS", workers)
    st = EmbeddedStore(tmp_path / "bulk")
    report = ingest([EXAMPLES], st, make_resolver())
    assert calls, "the bulk path was not taken"
    assert bool(worker_calls) == (workers > 1), "the files were (not) mapped in worker processes"
    assert report.added == report.fragments == want.fragments > 0 and report.unchanged == 0
    assert report.quads_written == want.quads_written
    assert ground(st) == ground(plain)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bulk", "plain"]  # no sibling folder left behind
    plain.close()
    # re-ingest: every fragment is already stored, so nothing streams and nothing is written
    calls.clear()
    again = ingest([EXAMPLES], st, make_resolver())
    assert again.unchanged == again.fragments == report.fragments and again.quads_written == 0
    assert not calls
    st.close()


def test_a_problem_found_while_streaming_aborts_the_whole_batch(tmp_path, bulk_always):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copytree(EXAMPLES / "text", src / "text")
    seed = next((src / "text").glob("010_*.txt"))
    text = seed.read_text(encoding="utf-8")
    # the same FragmentID again with another description: found only while mapping, after quads streamed
    (src / "text" / "zz_dup.txt").write_text(text.replace("**Outcome description**:", "**Outcome description**: Edited."),
                                             encoding="utf-8")
    st = EmbeddedStore(tmp_path / "store")
    st.ensure_static()
    before = quads(st)
    with pytest.raises(BatchError) as exc:
        ingest([src], st, make_resolver())
    assert "duplicate FragmentID" in str(exc.value)
    assert bulk_always, "the bulk path was not taken"
    assert quads(st) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "store"]
    st.close()


def test_a_problem_found_in_a_worker_aborts_the_whole_batch(tmp_path, bulk_always, worker_calls, monkeypatch):
    """A file that changed between the first reading and the workers' (here: unreadable the second time)."""
    from harvestgraph.errors import HarvestError

    seen: Counter = Counter()
    real = batch_mod.read_file
    victim = "030_voice_uganda_ethiopia_bangladesh.md"

    def changing(path, *args):
        seen[path.name] += 1
        if path.name == victim and seen[path.name] > 1:  # in the forked worker, after the parent's reading
            raise HarvestError("the file changed while it was being ingested", file=str(path), line=3)
        return real(path, *args)

    monkeypatch.setattr(batch_mod, "read_file", changing)
    monkeypatch.setattr(workers_mod, "read_file", changing)
    st = EmbeddedStore(tmp_path / "store")
    st.ensure_static()
    before = quads(st)
    with pytest.raises(BatchError) as exc:
        ingest([EXAMPLES], st, make_resolver())
    assert worker_calls and bulk_always
    assert victim in str(exc.value) and "changed while" in str(exc.value)
    assert quads(st) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]
    st.close()


def test_big_write_with_drops_is_atomic_and_replaces(tmp_path, monkeypatch):
    monkeypatch.setattr(store_mod, "BULK_MIN_QUADS", 2)
    st = EmbeddedStore(tmp_path / "s")
    g1, g2, p = ox.NamedNode("urn:g1"), ox.NamedNode("urn:g2"), ox.NamedNode("urn:p")
    st.write([], [ox.Quad(g1, p, ox.Literal(str(i)), g1) for i in range(5)])
    st.write([], [ox.Quad(g2, p, ox.Literal("keep"), g2)] * 1)  # small: transactional path
    st.write(["urn:g1"], [ox.Quad(g1, p, ox.Literal("new"), g1), ox.Quad(g1, p, ox.Literal("new2"), g1)])
    assert {q.object.value for q in st.raw.quads_for_pattern(None, None, None, g1)} == {"new", "new2"}
    assert [q.object.value for q in st.raw.quads_for_pattern(None, None, None, g2)] == ["keep"]

    def boom():
        yield ox.Quad(g2, p, ox.Literal("never"), g2)
        raise RuntimeError("abort")

    with pytest.raises(RuntimeError):
        st.rebuild(["urn:g1"], boom())
    assert {q.object.value for q in data(st)} == {"new", "new2", "keep"}
    st.close()


def test_a_crash_between_the_two_renames_is_undone_on_open(tmp_path):
    path = tmp_path / "s"
    st = EmbeddedStore(path)
    g = ox.NamedNode("urn:g")
    st.write([], [ox.Quad(g, g, ox.Literal("v"), g)])
    st.close()
    os.rename(path, tmp_path / ".s.old")  # the live folder moved away, the new one not yet in place
    (tmp_path / ".s.new").mkdir()  # an unfinished build
    st = EmbeddedStore(path)
    assert [q.object.value for q in data(st)] == ["v"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]
    st.close()


def test_streamed_text_is_loaded_while_it_arrives_and_a_late_failure_changes_nothing(tmp_path, monkeypatch):
    """N-Quads text streamed into a rebuild goes to the bulk loader in calls of FEED_CHUNK_QUADS lines as it
    arrives (a call ends before the producer makes the rest), not in one call after the last file; all
    calls go into the folder being built, so a producer failing after some calls leaves the store as it was."""
    monkeypatch.setattr(store_mod, "FEED_CHUNK_QUADS", 250)
    events: list[str] = []
    real = EmbeddedStore._load_text

    def load(store, reader):
        real(store, reader)
        events.append("loaded")
    monkeypatch.setattr(EmbeddedStore, "_load_text", staticmethod(load))

    def blobs(n: int, fail: bool = False):
        for b in range(n):
            events.append(f"blob {b}")
            yield "".join(f"<urn:s{b}> <urn:p> \"{i}\" <urn:g{b}> .\n" for i in range(100)).encode()
        if fail:
            raise RuntimeError("a problem found while mapping the last file")

    st = EmbeddedStore(tmp_path / "s")
    st.rebuild([], [], nquads=blobs(7))
    # 100 lines a blob, calls of 250: after blobs 0-2, 3-5, then the last one
    assert events == ["blob 0", "blob 1", "blob 2", "loaded", "blob 3", "blob 4", "blob 5", "loaded", "blob 6",
                      "loaded"]
    before = sorted(map(str, data(st)))
    assert len(before) == 700
    events.clear()
    with pytest.raises(RuntimeError):
        st.rebuild(["urn:g0"], [], nquads=blobs(7, fail=True))
    assert events.count("loaded") >= 2  # loaded in part before the failure ...
    assert sorted(map(str, data(st))) == before  # ... and nothing of it landed
    st.close()


@pytest.fixture()
def lean_after_two(monkeypatch):
    """A big batch in miniature: streamed from 2 new fragments on, the scan lean from 2 on."""
    from harvestgraph.ingest import scan as scan_mod

    monkeypatch.setattr(write_mod, "BULK_MIN_FRAGMENTS", 2)
    monkeypatch.setattr(scan_mod, "LEAN_AFTER", 2)
    lean: list[bool] = []
    real = scan_mod.scan_batch

    def spy(*a, **kw):
        out = real(*a, **kw)
        lean.append(out.lean)
        return out
    import harvestgraph.ingest as ingest_pkg
    monkeypatch.setattr(ingest_pkg, "scan_batch", spy)
    return lean


def test_a_lean_scan_streams_the_same_store(tmp_path, lean_after_two):
    """Past LEAN_AFTER new fragments the scan keeps only FragmentIDs and flags: the streamed store is the
    one the scan that kept every normalised fragment wrote."""
    lean = EmbeddedStore(tmp_path / "lean")
    ingest([EXAMPLES], lean, make_resolver())
    assert lean_after_two == [True]
    full = EmbeddedStore(tmp_path / "full")
    from harvestgraph.ingest import scan as scan_mod
    scan_mod.LEAN_AFTER = 10**9  # (restored by monkeypatch)
    ingest([EXAMPLES], full, make_resolver())
    assert lean_after_two == [True, False]
    assert named(lean) == named(full)


def named(store) -> set[str]:
    return {str(q) for q in store.raw if "_:" not in str(q)}


def test_a_lean_scan_that_meets_a_stored_fragment_late_writes_in_memory_all_the_same(tmp_path, lean_after_two):
    folder = tmp_path / "h"
    shutil.copytree(EXAMPLES / "text", folder)
    last = sorted(folder.iterdir())[-1]
    st = EmbeddedStore(tmp_path / "s")
    ingest([last], st, make_resolver())
    last.write_text(last.read_text() + "\n**Note**: edited since\n")  # stored, and changed: cannot stream
    report = ingest([folder], st, make_resolver())
    assert lean_after_two[-1] is True and report.replaced == 1 and report.added > 2
    ref = EmbeddedStore(tmp_path / "ref")
    ingest([folder], ref, make_resolver())
    assert named(st) == named(ref)


def test_a_lean_scan_lists_a_late_problem_once_and_changes_nothing(tmp_path, lean_after_two):
    folder = tmp_path / "h"
    shutil.copytree(EXAMPLES / "text", folder)
    (folder / "zz_bad.md").write_text("**FragmentID**: BAD-1\n**Year**: 2024\n---\n**Country**: Kenya\n")
    st = EmbeddedStore(tmp_path / "s")
    before = named(st)
    with pytest.raises(BatchError) as exc:
        ingest([folder], st, make_resolver())
    assert len(exc.value.problems) == 1 and "zz_bad.md" in str(exc.value)
    assert named(st) == before and lean_after_two == [True]


def test_a_streamed_batch_rewrites_the_provenance_of_moved_fragments_in_the_same_rebuild(tmp_path, lean_after_two,
                                                                                          monkeypatch):
    """New fragments streamed into the bulk loader and fragments read by a new path in one batch: the moved
    ones are not mapped, their provenance is rewritten in the same rebuild."""
    from harvestgraph import mapping as mapping_mod

    folder = tmp_path / "h"
    shutil.copytree(EXAMPLES / "text", folder)
    st = EmbeddedStore(tmp_path / "s")
    first = ingest([folder], st, make_resolver())
    moved = folder.rename(tmp_path / "moved")
    (moved / "zz_new.md").write_text("**FragmentID**: NEW-1\n**Country**: Kenya\n**Year**: 2024\n---\n"
                                     "**FragmentID**: NEW-2\n**Country**: Uganda\n**Year**: 2023\n")
    monkeypatch.setattr(workers_mod, "WORKERS", 1)  # mapped in this process, where the counter is
    mapped: list[str] = []
    real = mapping_mod.map_fragment
    monkeypatch.setattr(mapping_mod, "map_fragment", lambda f, r: mapped.append(f.id) or real(f, r))
    rebuilds: list = []
    real_rebuild = EmbeddedStore.rebuild
    monkeypatch.setattr(EmbeddedStore, "rebuild", lambda self, *a, **kw: rebuilds.append(kw.get("remove")) or
                        real_rebuild(self, *a, **kw))
    report = ingest([moved], st, make_resolver())
    assert sorted(mapped) == ["NEW-1", "NEW-2"] and report.added == 2 and report.moved == first.fragments
    assert len(rebuilds) == 1 and rebuilds[0]  # streamed, the old provenance removed in that rebuild
    ref = EmbeddedStore(tmp_path / "ref")
    ingest([moved], ref, make_resolver())
    hash_ = "<https://w3id.org/harvestgraph/ontology#contentHash>"
    assert {l for l in named(st) if hash_ not in l} == {l for l in named(ref) if hash_ not in l}


def _one_file_of(n: int, folder, prefix: str = "ZZ"):
    """``n`` generated fragments (benchmarks/generate.py) in one text file, as a harvest exported at once."""
    from tests.ingest.test_linear import _generator

    gen = _generator()
    folder.mkdir()
    gen.write_text([{**f, "FragmentID": prefix + f["FragmentID"]} for f in gen.generate(n, seed=7)], folder, n)
    assert len(list(folder.iterdir())) == 1
    return folder


@pytest.mark.parametrize("bulk", [False, True])
def test_a_file_of_many_new_fragments_is_mapped_on_every_core_and_stores_the_same(tmp_path, monkeypatch, bulk):
    """One file of 80 new fragments into a store that holds the sample corpus: the per-file workers cannot share it,
    so it is mapped in forked chunks (pool.ForkedMapper); the store is the same as when this process maps it, in
    memory and when streamed."""
    from harvestgraph.ingest import pool as pool_mod

    harvest = _one_file_of(80, tmp_path / "harvest")
    monkeypatch.setattr(workers_mod, "WORKERS", 2)
    if bulk:
        force_bulk(monkeypatch)
    mapped = []
    real = pool_mod.ForkedMapper.map

    def spy(self, fragments, resolver):
        out = real(self, fragments, resolver)
        mapped.append(len(out or ()))
        return out

    monkeypatch.setattr(pool_mod.ForkedMapper, "map", spy)
    stores = {}
    for name, least in (("forked", 64), ("here", 10 ** 9)):
        monkeypatch.setattr(pool_mod, "FORK_MIN_FRAGMENTS", least)
        st = EmbeddedStore(tmp_path / name)
        ingest([EXAMPLES], st, make_resolver())
        report = ingest([harvest], st, make_resolver())
        assert report.added == 80
        stores[name] = ground(st)
        st.close()
    assert sum(mapped) == 80, "the forked processes mapped the new file's fragments, and only when asked"
    assert stores["forked"] == stores["here"]
