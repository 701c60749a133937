"""Mapping and storing: stable IRIs, named graphs, atomic batches, idempotence, replace-on-edit,
provenance and the lossless round trip — all against a real on-disk Oxigraph store."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pyoxigraph as ox
import pytest

from harvestgraph import vocab

from harvestgraph.outputs import roundtrip
from harvestgraph.errors import BatchError
from harvestgraph.ingest import ingest
from harvestgraph.mapping import read_record
from harvestgraph.normalise import normalise
from harvestgraph.read import expand_paths, read_file, read_text
from harvestgraph.store import EmbeddedStore

from tests.conftest import EXAMPLES, SEED, make_resolver

HG = vocab.HG


def dump(store: EmbeddedStore) -> set[str]:
    return {str(q) for q in store.raw}


def test_fragment_iris_are_safe_stable_and_reversible():
    fid = "SCC-KEN2508/CIV008"
    iri = str(vocab.fragment_iri(fid))
    assert iri == "https://w3id.org/harvestgraph/id/fragment/SCC-KEN2508%2FCIV008"
    assert vocab.fragment_id_from_iri(iri) == fid
    for odd in ("A B/C#D?e", "Ünïcødé/1", '" } ; DROP ALL ; #'):
        for mint in (vocab.fragment_iri, vocab.outcome_iri, vocab.fragment_graph):
            out = str(mint(odd))
            ox.NamedNode(out)  # a valid IRI
            assert vocab.fragment_id_from_iri(out) == odd


def test_each_fragment_has_its_own_named_graph(tmp_path):
    st = EmbeddedStore(tmp_path / "s")
    report = ingest([EXAMPLES / "text"], st, make_resolver())
    graphs = st.fragment_graphs()
    assert len(graphs) == report.fragments
    g = str(vocab.fragment_graph("SCC-KEN2508/CIV008"))
    assert g in graphs
    # the facts about the fragment's own outcome are in the public union graph only (not also in its graph,
    # which holds the outcome's mention record: provenance)
    rows = st.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{vocab.outcome_iri('SCC-KEN2508/CIV008')}> ?p ?o }} "
                     f"FILTER (?p != <{HG.mentionRecord}>) }}")
    assert {r["g"].value for r in rows} == {str(vocab.PUBLIC_UNION_GRAPH)}


def union_is_exact(st: EmbeddedStore) -> None:
    """Each union graph holds exactly, for its class of fragment graphs: the facts about their own
    resources (fragment, outcome, contributions: stored there only), and the set-union of the shared
    triples (labels) of those fragment graphs; never the hash quads and the provenance records (the raw
    record, the mention record), which stay in the fragment graphs only."""
    from harvestgraph.store import own_resources

    graphs = st.fragment_graphs()
    fragment_only = (str(HG.contentHash), str(HG.rawRecord), str(HG.mentionRecord))
    assert any(True for _ in st.raw.quads_for_pattern(None, ox.NamedNode(str(HG.mentionRecord)), None, None))
    owner = {}
    for g in graphs:
        frag, outcome, _ = own_resources(g)
        owner[frag] = owner[outcome] = g

    def owned_by(s: str) -> str | None:
        if s in owner:
            return owner[s]
        if s.startswith(str(vocab.ID) + "contribution/"):
            return str(vocab.GRAPH) + "fragment/" + s[len(str(vocab.ID) + "contribution/"):].split("/")[0]
        return None

    for union, confidential in ((vocab.PUBLIC_UNION_GRAPH, False), (vocab.CONFIDENTIAL_UNION_GRAPH, True)):
        want = {(q.subject, q.predicate, q.object) for q in st.raw
                if q.graph_name.value in graphs and graphs[q.graph_name.value] == confidential
                and q.predicate.value not in fragment_only and owned_by(q.subject.value) is None}
        got = {(q.subject, q.predicate, q.object) for q in st.raw.quads_for_pattern(None, None, None, ox.NamedNode(str(union)))}
        assert {t for t in got if owned_by(t[0].value) is None} == want, union
        own = {owned_by(t[0].value) for t in got} - {None}
        assert own == {g for g, c in graphs.items() if c == confidential}, union
        assert not any(t[1].value in fragment_only for t in got)
    # the readers' graph lists, read from the unions, are exactly the fragment graphs of their class
    for confidential in (False, True):
        listed = {g for g in st.visible_graphs(confidential=confidential) if vocab.is_fragment_graph(g)}
        assert listed == {g for g, c in graphs.items() if confidential or not c}


def test_reingest_changes_nothing(tmp_path):
    st = EmbeddedStore(tmp_path / "s")
    first = ingest([EXAMPLES], st, make_resolver())
    before = dump(st)
    again = ingest([EXAMPLES], st, make_resolver())
    assert again.unchanged == first.fragments and again.added == again.replaced == again.quads_written == 0
    assert dump(st) == before
    union_is_exact(st)


def test_failed_batch_leaves_store_exactly_as_it_was(tmp_path):
    st = EmbeddedStore(tmp_path / "s")
    ingest([SEED], st, make_resolver())
    before = dump(st)
    good = tmp_path / "good.md"
    good.write_text("**FragmentID**: NEW-1\n**Outcome description**: fine\n")
    bad = tmp_path / "bad.md"
    bad.write_text("**FragmentID**: NEW-2\n**Outcome description**: ok\n---\n**Country**: Kenya\n**Year**: 2024\n")
    with pytest.raises(BatchError) as exc:
        ingest([good, bad], st, make_resolver())
    assert str(exc.value).startswith(f"{bad}:4: field 'FragmentID'")
    assert dump(st) == before


def test_duplicate_ids_in_one_batch(tmp_path):
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("**FragmentID**: D-1\n**Year**: 2024\n")
    b.write_text("**FragmentID**: D-1\n**Year**: 2025\n")
    st = EmbeddedStore(tmp_path / "s")
    with pytest.raises(BatchError, match="duplicate FragmentID 'D-1' with different values"):
        ingest([a, b], st, make_resolver())
    assert not st.fragment_graphs()
    b.write_text("**FragmentID**: D-1\n**Year**: 2024\n")  # the same record exported twice: read once
    report = ingest([a, b], st, make_resolver())
    assert report.fragments == 1 and any("same values" in w.message for w in report.warnings)


def test_edited_fragment_replaces_its_triples_without_stale_ones(tmp_path):
    st = EmbeddedStore(tmp_path / "s")
    f = tmp_path / "f.md"
    f.write_text("**FragmentID**: E-1\n**Country**: Kenya\n**Year**: 2024\n**Type of change**: Policy change, Capacity change\n"
                 "**Outcome description**: The Ministry of ICT adopted a policy.\n")
    ingest([f], st, make_resolver())
    f.write_text("**FragmentID**: E-1\n**Country**: Uganda\n**Year**: 2025\n**Type of change**: Norms change\n"
                 "**Outcome description**: The Ministry of ICT withdrew a policy.\n")
    report = ingest([f], st, make_resolver())
    assert report.replaced == 1
    oc = vocab.outcome_iri("E-1")
    rows = st.select(f"SELECT ?p ?o WHERE {{ <{oc}> ?p ?o }}")
    values = {(r["p"].value, r["o"].value) for r in rows}
    assert (str(HG.country), str(vocab.place_iri("UG"))) in values
    assert (str(HG.country), str(vocab.place_iri("KE"))) not in values
    assert {o for p, o in values if p == str(HG.typeOfChange)} == {str(vocab.concept_iri("type-of-change", "Norms change"))}
    assert {o for p, o in values if p == str(HG.year)} == {"2025"}
    assert len(st.select(f'SELECT ?s WHERE {{ ?s ?p "2024"^^<http://www.w3.org/2001/XMLSchema#gYear> }}')) == 0
    union_is_exact(st)
    # a fragment that turns confidential leaves the public union, its shared facts staying for the others
    f.write_text(f.read_text() + "**Confidential**: YES\n")
    ingest([f, SEED], st, make_resolver())
    union_is_exact(st)
    graphs = st.visible_graphs(confidential=False)
    assert not st.select(f"SELECT ?p WHERE {{ <{oc}> ?p ?o }}", graphs=graphs)
    assert st.select(f"SELECT ?p WHERE {{ <{oc}> ?p ?o }}", graphs=st.visible_graphs(confidential=True))


def test_provenance_file_line_and_raw_value_of_every_field(tmp_path):
    st = EmbeddedStore(tmp_path / "s")
    ingest([SEED], st, make_resolver())
    fr = vocab.fragment_iri("SCC-KEN2508/CIV008")
    (row,) = st.select(f"""SELECT ?record ?file ?fline WHERE {{ GRAPH ?g {{ <{fr}> <{HG.rawRecord}> ?record }}
        <{fr}> <{HG.sourceFile}> ?file ; <{HG.sourceLine}> ?fline }}""")
    assert row["file"].value == str(SEED) and row["fline"].value == "1"
    fields = read_record(row["record"].value)
    lines = SEED.read_text().splitlines()
    assert len(fields) == len(lines) and [f["order"] for f in fields] == list(range(1, len(lines) + 1))
    for f in fields:
        n, name, raw = f["sourceLine"], f["fieldName"], f["rawValue"]
        assert lines[n - 1] == f"**{name}**:" + (" " + raw if lines[n - 1].startswith(f"**{name}**: ") else raw)


def _normalised_values(frag) -> dict:
    d = dataclasses.asdict(frag)
    for k in ("raw", "warnings"):
        d.pop(k)
    return d


@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_round_trip_loses_no_field_for_the_whole_corpus(corpus_store, tmp_path, fmt):
    originals = {}
    for path in expand_paths([EXAMPLES]):
        for raw in read_file(path):
            f = normalise(raw)
            originals[f.id] = _normalised_values(f)
    frags = roundtrip.fragments(corpus_store, corpus_store.visible_graphs(confidential=True))
    out = tmp_path / f"export.{fmt}"
    out.write_text(roundtrip.to_text(frags) if fmt == "md" else roundtrip.to_csv(frags), encoding="utf-8")
    again = {f.id: _normalised_values(f) for f in map(normalise, read_file(out))}
    assert set(again) == set(originals)
    for fid, values in originals.items():
        assert again[fid] == values, fid


def test_public_export_leaves_out_confidential_fragments(corpus_store):
    public = {f.id for f in roundtrip.fragments(corpus_store, corpus_store.visible_graphs(confidential=False))}
    everything = {f.id for f in roundtrip.fragments(corpus_store, None)}
    confidential = {fid for fid in everything
                    if corpus_store.fragment_graphs()[str(vocab.fragment_graph(fid))]}
    assert confidential and public == everything - confidential


def test_shacl_passes_on_the_corpus_and_fails_on_a_broken_graph(corpus_store):
    import rdflib

    from harvestgraph.checks.validate import fragment_data, validate

    data = fragment_data(corpus_store)
    report = validate(data)
    assert report.conforms, [str(v.message) for v in report.results if v.severity == "Violation"][:5]
    # break it: an outcome with two descriptions' worth of nothing, a fragment without identifier
    fr = rdflib.URIRef(str(vocab.fragment_iri("SCC-KEN2508/CIV008")))
    data.remove((fr, rdflib.URIRef("http://purl.org/dc/terms/identifier"), None))
    data.add((rdflib.URIRef(str(vocab.outcome_iri("SCC-KEN2508/CIV008"))), rdflib.URIRef(str(HG.year)),
              rdflib.Literal("twenty")))
    broken = validate(data)
    assert not broken.conforms
    paths = {str(v.path) for v in broken.results if v.severity == "Violation"}
    assert "http://purl.org/dc/terms/identifier" in paths and str(HG.year) in paths


def test_owl_consistency_of_ontology_plus_corpus(corpus_store):
    import rdflib

    from harvestgraph.checks.reason import check_consistency
    from harvestgraph.checks.validate import fragment_data

    data = fragment_data(corpus_store)
    assert check_consistency([data]).consistent
    oc = rdflib.URIRef(str(vocab.outcome_iri("SCC-KEN2508/CIV008")))
    data.add((oc, rdflib.RDF.type, rdflib.URIRef(str(HG.SocialActor))))  # Outcome and SocialActor are disjoint
    assert not check_consistency([data]).consistent


def test_the_placement_read_from_printed_lines_is_the_placement_of_the_terms():
    """The writers place the mapping's printed lines (fragment graph or union copy) without reading them
    back into terms: for every quad of the mapped sample corpus (public and confidential fragments, the
    hash quad, the provenance records) the same answer as :func:`placement` and the same N-Quads text as
    :func:`with_unions` of the terms."""
    from harvestgraph.ingest import prepare, read_batch
    from harvestgraph.ingest.keys import hashed_lines, with_hash
    from harvestgraph.store import fragment_nquads, line_placement, own_resources, placement, with_unions

    raws, _ = read_batch([EXAMPLES])
    mapped, _ = prepare(raws, make_resolver())
    assert any(m.fragment.is_confidential for m in mapped) and any(not m.fragment.is_confidential for m in mapped)
    for m in mapped:
        lines, quads = hashed_lines(m), with_hash(m)
        assert lines == [str(q) for q in quads]
        own = own_resources(m.graph.value)
        assert [line_placement(line, str(m.graph), own) for line in lines] == [placement(q, own) for q in quads]
        assert fragment_nquads(m.graph.value, lines) == "".join(f"{q} .\n" for q in with_unions(quads))
