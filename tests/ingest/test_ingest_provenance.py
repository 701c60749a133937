"""A record key without the source path: the same folder ingested by another path (relative, absolute,
moved, renamed) or a fragment shifted to another line is not mapped again; only its provenance quads
(hg:sourceFile, hg:sourceLine, the lines in hg:rawRecord) and its content hash are rewritten, in place,
in the batch's one transaction. Real stores on disk; mapping counted where the one loop maps
(mapping.map_all calls mapping.map_fragment)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from harvestgraph import mapping as mapping_mod
from harvestgraph import vocab
from harvestgraph.errors import BatchError
from harvestgraph.ingest import ingest
from harvestgraph.ingest.keys import PROV, split_hash
from harvestgraph.outputs import roundtrip
from harvestgraph.store import EmbeddedStore

from tests.conftest import EXAMPLES, make_resolver

HG = vocab.HG
SOURCE_FILE, SOURCE_LINE, RAW, HASH = (f"<{HG.sourceFile}>", f"<{HG.sourceLine}>", f"<{HG.rawRecord}>",
                                       f"<{HG.contentHash}>")


@pytest.fixture()
def mapped(monkeypatch) -> list[str]:
    """The FragmentIDs mapped (resolved and mapped) from now on."""
    seen: list[str] = []
    real = mapping_mod.map_fragment
    monkeypatch.setattr(mapping_mod, "map_fragment", lambda f, r: seen.append(f.id) or real(f, r))
    return seen


def dump(store: EmbeddedStore) -> set[str]:
    return {str(q) for q in store.raw}


def without_blank_nodes(lines: set[str]) -> set[str]:
    """For comparing two stores: the static ontology's blank nodes have other labels in each."""
    return {line for line in lines if "_:" not in line}


def predicate(line: str) -> str:
    return line.split(" ", 2)[1]


def changed_predicates(a: set[str], b: set[str]) -> set[str]:
    return {predicate(line) for line in a ^ b}


def source_files(store: EmbeddedStore) -> dict[str, set[str]]:
    """FragmentID → the hg:sourceFile values stated about its fragment, in any graph."""
    out: dict[str, set[str]] = {}
    for r in store.select(f"SELECT ?f ?v WHERE {{ GRAPH ?g {{ ?f <{HG.sourceFile}> ?v }} }}"):
        out.setdefault(vocab.fragment_id_from_iri(r["f"].value), set()).add(r["v"].value)
    return out


def record_writes(store: EmbeddedStore) -> list:
    """The quads (as terms) each later write_printed of ``store`` is given, in order."""
    written: list = []
    real = store.write_printed

    def spy(drop, quads, printed, **kw):
        written.extend(quads)
        return real(drop, quads, printed, **kw)

    store.write_printed = spy
    return written


def exported(store: EmbeddedStore) -> str:
    return roundtrip.to_csv(roundtrip.fragments(store, store.visible_graphs(confidential=True)))


@pytest.fixture()
def corpus(tmp_path) -> Path:
    dst = tmp_path / "corpus"
    shutil.copytree(EXAMPLES, dst)
    return dst


def test_same_folder_by_relative_then_absolute_path_is_not_mapped_again(tmp_path, corpus, mapped, monkeypatch):
    monkeypatch.chdir(tmp_path)
    st = EmbeddedStore(tmp_path / "s")
    first = ingest([Path("corpus")], st, make_resolver())
    assert len(mapped) == first.fragments > 10
    before = dump(st)
    assert all(not v.startswith("/") for vs in source_files(st).values() for v in vs)

    mapped.clear()
    report = ingest([corpus.resolve()], st, make_resolver())
    assert mapped == []  # not one fragment resolved or mapped
    assert report.unchanged == report.moved == first.fragments and report.added == report.replaced == 0
    after = dump(st)
    # what changed: hg:sourceFile (now the absolute path) and the content hash literal, nothing else
    assert changed_predicates(before, after) == {SOURCE_FILE, HASH}
    assert len(after) == len(before)
    files = source_files(st)
    assert all(len(vs) == 1 and next(iter(vs)).startswith(str(corpus.resolve())) for vs in files.values())
    # every field still round-trips: the same export as a store built from the absolute path at once
    fresh = EmbeddedStore(tmp_path / "fresh")
    ingest([corpus.resolve()], fresh, make_resolver())
    assert exported(st) == exported(fresh)
    fresh_dump, after = without_blank_nodes(dump(fresh)), without_blank_nodes(after)
    assert changed_predicates(after, fresh_dump) <= {HASH}  # (the hash is derived after a move: see provenance.py)
    assert {line for line in after if predicate(line) != HASH} == {l for l in fresh_dump if predicate(l) != HASH}
    after = dump(st)

    # idempotence: the same files by the same path again write nothing
    mapped.clear()
    again = ingest([corpus.resolve()], st, make_resolver())
    assert mapped == [] and again.moved == 0 and again.quads_written == 0 and dump(st) == after


def test_a_renamed_folder_is_not_mapped_again_and_its_provenance_says_the_new_path(tmp_path, corpus, mapped):
    st = EmbeddedStore(tmp_path / "s")
    first = ingest([corpus], st, make_resolver())
    before = dump(st)
    renamed = corpus.rename(tmp_path / "harvest-2025")
    mapped.clear()
    report = ingest([renamed], st, make_resolver())
    assert mapped == [] and report.moved == first.fragments
    after = dump(st)
    assert changed_predicates(before, after) == {SOURCE_FILE, HASH}
    for fid, vs in source_files(st).items():
        (v,) = vs
        assert v.startswith(str(renamed) + os.sep), (fid, v)
    union_is_exact(st)


def union_is_exact(st):
    from tests.ingest.test_ingest import union_is_exact as check
    check(st)


def test_a_fragment_shifted_to_another_line_gets_its_new_lines_without_mapping(tmp_path, mapped):
    f = tmp_path / "h.md"
    body = ("**FragmentID**: SH-1\n**Country**: Kenya\n**Year**: 2024\n"
            "**Outcome description**: The Ministry of ICT adopted a data policy.\n---\n"
            "**FragmentID**: SH-2\n**Country**: Uganda\n**Year**: 2023\n"
            "**Outcome description**: The parliament of Uganda passed a bill.\n")
    f.write_text(body)
    st = EmbeddedStore(tmp_path / "s")
    ingest([f], st, make_resolver())
    before = dump(st)
    f.write_text("# Harvest notes\n\nTwo lines above now.\n\n" + body)  # every fragment four lines down
    mapped.clear()
    report = ingest([f], st, make_resolver())
    assert mapped == [] and report.moved == 2
    after = dump(st)
    assert changed_predicates(before, after) == {SOURCE_LINE, RAW, HASH}
    rows = st.select(f"SELECT ?l WHERE {{ GRAPH ?g {{ <{vocab.fragment_iri('SH-2')}> <{HG.sourceLine}> ?l }} }}")
    assert [r["l"].value for r in rows] == ["10"]
    rec = st.select(f"SELECT ?r WHERE {{ GRAPH ?g {{ <{vocab.fragment_iri('SH-2')}> <{HG.rawRecord}> ?r }} }}")
    assert [fld["sourceLine"] for fld in mapping_mod.read_record(rec[0]["r"].value)] == [10, 11, 12, 13]
    fresh = EmbeddedStore(tmp_path / "fresh")
    ingest([f], fresh, make_resolver())
    assert {l for l in without_blank_nodes(after) if predicate(l) != HASH} == \
        {l for l in without_blank_nodes(dump(fresh)) if predicate(l) != HASH}


def test_a_moved_confidential_fragment_keeps_its_provenance_where_it_was(tmp_path, corpus, mapped):
    st = EmbeddedStore(tmp_path / "s")
    ingest([corpus], st, make_resolver())
    confidential = {vocab.fragment_id_from_iri(f) for f in st.union_fragments([str(vocab.CONFIDENTIAL_UNION_GRAPH)])}
    assert confidential

    def where() -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for r in st.select(f"SELECT ?f ?g WHERE {{ GRAPH ?g {{ ?f <{HG.sourceFile}>|<{HG.sourceLine}>|<{HG.rawRecord}> ?v }} }}"):
            out.setdefault(vocab.fragment_id_from_iri(r["f"].value), set()).add(r["g"].value)
        return out

    graphs = where()
    assert all(graphs[fid] == {str(vocab.CONFIDENTIAL_UNION_GRAPH), str(vocab.fragment_graph(fid))} for fid in confidential)
    moved = corpus.rename(tmp_path / "elsewhere")
    mapped.clear()
    written = record_writes(st)
    ingest([moved], st, make_resolver())
    assert mapped == [] and where() == graphs
    # each confidential fragment's flag travels with its patch (a backend that files written fragment graphs
    # under the readers' scopes by their flag, stores/virtuoso.scope_quads, sees it)
    flagged = {vocab.fragment_id_from_iri(q.subject.value) for q in written
               if q.predicate.value == str(HG.isConfidential) and q.object.value == "true"
               and q.graph_name.value == str(vocab.fragment_graph(vocab.fragment_id_from_iri(q.subject.value)))}
    assert flagged == confidential
    public = st.select(f"SELECT ?v WHERE {{ GRAPH <{vocab.PUBLIC_UNION_GRAPH}> {{ ?f <{HG.sourceFile}> ?v }} "
                       f"VALUES ?f {{ {' '.join(f'<{vocab.fragment_iri(i)}>' for i in confidential)} }} }}")
    assert public == []


def test_a_failed_batch_with_moved_fragments_changes_nothing(tmp_path, corpus, mapped):
    st = EmbeddedStore(tmp_path / "s")
    ingest([corpus], st, make_resolver())
    before = dump(st)
    moved = corpus.rename(tmp_path / "moved")
    (moved / "text" / "zz_bad.md").write_text("**FragmentID**: BAD-1\n**Year**: 2024\n---\n**Country**: Kenya\n")
    with pytest.raises(BatchError):
        ingest([moved], st, make_resolver())
    assert dump(st) == before


def test_the_same_record_in_another_file_later_moves_its_provenance(tmp_path, mapped):
    """A FragmentID ingested from a.md, then (another batch) the same record from b.md: the store says b.md,
    as it did before the key left out the path (the last batch wins); now without mapping it again."""
    rec = "**FragmentID**: TW-1\n**Country**: Kenya\n**Year**: 2024\n**Outcome description**: A policy.\n"
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text(rec)
    b.write_text(rec)
    st = EmbeddedStore(tmp_path / "s")
    ingest([a], st, make_resolver())
    mapped.clear()
    report = ingest([b], st, make_resolver())
    assert mapped == [] and report.moved == 1 and source_files(st) == {"TW-1": {str(b)}}
    # both in one batch: read once, the first occurrence's provenance (as before)
    st2 = EmbeddedStore(tmp_path / "s2")
    report = ingest([a, b], st2, make_resolver())
    assert report.fragments == 1 and source_files(st2) == {"TW-1": {str(a)}}
    mapped.clear()
    assert ingest([a, b], st2, make_resolver()).quads_written == 0 and mapped == []


def test_a_store_keyed_before_is_mapped_again_once_and_rewrites_only_its_hashes(tmp_path, corpus, mapped):
    """Keys written before Dec 2026 held the path and no provenance key: such a store is read as it is;
    the next ingest maps every fragment once (its quads are equal: only the hash literals are rewritten),
    then nothing."""
    st = EmbeddedStore(tmp_path / "s")
    first = ingest([corpus], st, make_resolver())
    # the store as the previous code wrote it: "CONTENT KEY" with a key that has no provenance part
    old = [q for q in st.raw.quads_for_pattern(None, mapping_mod.N(HG.contentHash), None)
           if PROV in (split_hash(q.object.value)[1] or "")]
    assert len(old) == first.fragments
    for q in old:
        content, key = split_hash(q.object.value)
        st.raw.remove(q)
        st.raw.add(type(q)(q.subject, q.predicate, type(q.object)(f"{content} {key.replace(PROV, '')}"), q.graph_name))
    before = dump(st)
    mapped.clear()
    written = record_writes(st)
    report = ingest([corpus], st, make_resolver())
    assert sorted(mapped) == sorted(set(mapped)) and len(mapped) == first.fragments
    # a confidential fragment's new hash goes with its flag (see the test above)
    confidential = {vocab.fragment_id_from_iri(f) for f in st.union_fragments([str(vocab.CONFIDENTIAL_UNION_GRAPH)])}
    assert confidential and confidential == {vocab.fragment_id_from_iri(q.subject.value) for q in written
                                             if q.predicate.value == str(HG.isConfidential) and q.object.value == "true"}
    assert report.unchanged == first.fragments and report.replaced == 0
    assert changed_predicates(before, dump(st)) == {HASH}
    mapped.clear()
    assert ingest([corpus], st, make_resolver()).quads_written == 0 and mapped == []


def test_a_moved_folder_on_virtuoso_keeps_confidential_graphs_out_of_the_public_scope(empty_virtuoso, tmp_path,
                                                                                    corpus, mapped):
    """Virtuoso files each written fragment graph under the readers' scopes by the flag the write carries
    (stores/virtuoso.scope_quads): a provenance patch carries a confidential fragment's flag, so its graph
    never lands in the public scope; hg:sourceFile says the new path there too."""
    from tests.virtuoso_server import virtuoso_store

    st = virtuoso_store(empty_virtuoso)
    ingest([corpus], st, make_resolver())

    def public_scope() -> set[str]:
        return {r["g"].value for r in st.select(
            "SELECT ?g WHERE { GRAPH <urn:harvestgraph:scope:public> { ?g a <urn:harvestgraph:ReadableGraph> } }")}

    confidential = {g for g, secret in st.fragment_graphs().items() if secret}
    assert confidential and not confidential & public_scope()
    moved = corpus.rename(tmp_path / "moved")
    mapped.clear()
    report = ingest([moved], st, make_resolver())
    assert mapped == [] and report.moved == report.fragments
    assert not confidential & public_scope()
    files = source_files(st)
    assert files and all(len(vs) == 1 and next(iter(vs)).startswith(str(moved)) for vs in files.values())
