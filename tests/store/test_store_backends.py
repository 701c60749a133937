"""The GraphStore interface on every backend: the embedded on-disk Oxigraph store, RemoteStore speaking
SPARQL 1.1 Query/Update and the Graph Store Protocol to a real Oxigraph server process, and VirtuosoStore
speaking to a real Virtuoso server (tests/virtuoso_server.py)."""

from __future__ import annotations

import json

import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from tests import expected as ex
from tests.remote_server import (SERVERS, backend_store, oxigraph_server, remote_corpus_store,  # noqa: F401
                           server_corpus_store, start_oxigraph, stop)
from tests.virtuoso_server import virtuoso_store
from harvestgraph import queries
from harvestgraph.errors import StoreError
from harvestgraph.store.remote import RemoteStore, endpoints
from harvestgraph.resources import ontology_path
from harvestgraph.store import EmbeddedStore, is_select, open_store
from harvestgraph.vocab import SPARQL_PREFIXES, fragment_graph, fragment_iri

HARVESTGRAPH = Path(sys.executable).parent / "harvestgraph"


@pytest.fixture(params=SERVERS)
def empty_server(request, tmp_path):
    """A private, empty server for tests that write: (a store factory, its --store URL, the environment a
    harvestgraph process needs to write to it)."""
    if request.param == "remote":
        proc, base = start_oxigraph(tmp_path / "db")
        yield (lambda **kw: RemoteStore(base, **kw)), base, None
        stop(proc)
    else:
        srv = request.getfixturevalue("empty_virtuoso")
        yield (lambda **kw: virtuoso_store(srv, **kw)), srv.url, srv.env()


# --------------------------------------------------------------------------- URL conventions


@pytest.mark.parametrize("url, want", [
    ("http://h:7878", ("oxigraph", "http://h:7878/query", "http://h:7878/update", "http://h:7878/store")),
    ("http://h:7878/", ("oxigraph", "http://h:7878/query", "http://h:7878/update", "http://h:7878/store")),
    ("http://h:3030/ds", ("fuseki", "http://h:3030/ds/sparql", "http://h:3030/ds/update", "http://h:3030/ds/data")),
    ("http://h/repositories/x?layout=graphdb", ("graphdb", "http://h/repositories/x", "http://h/repositories/x/statements",
                                                "http://h/repositories/x/rdf-graphs/service")),
    ("http://h/sparql?layout=plain", ("plain", "http://h/sparql", "http://h/sparql", "http://h/sparql")),
    ("http://h:7878/db?layout=oxigraph", ("oxigraph", "http://h:7878/db/query", "http://h:7878/db/update",
                                          "http://h:7878/db/store")),
    ("virtuoso+http://h:8890/sparql", ("virtuoso", "http://h:8890/sparql", "http://h:8890/sparql-auth",
                                       "http://h:8890/sparql-graph-crud-auth")),
    ("http://h:8890/sparql?layout=virtuoso", ("virtuoso", "http://h:8890/sparql", "http://h:8890/sparql-auth",
                                              "http://h:8890/sparql-graph-crud-auth")),
])
def test_endpoint_conventions(url, want):
    assert endpoints(url) == want


def test_unknown_layout_and_unreachable_server():
    with pytest.raises(StoreError, match="layout"):
        RemoteStore("http://127.0.0.1:9/x?layout=nonsense")
    st = RemoteStore("http://127.0.0.1:9", timeout=2)  # discard port: nothing listens
    with pytest.raises(StoreError, match="cannot reach"):
        st.query("ASK {}")


def test_open_store_picks_the_backend(tmp_path):
    assert isinstance(open_store("http://127.0.0.1:9"), RemoteStore)
    st = open_store(tmp_path / "s")
    assert isinstance(st, EmbeddedStore)
    st.close()


# --------------------------------------------------------------------------- both backends answer alike


def _rows(store, text, graphs):
    return sorted(tuple(sorted((k, str(v)) for k, v in r.items())) for r in store.select(text, graphs=graphs))


def test_backends_hold_the_same_corpus(corpus_store, server_corpus_store, examples_dir):
    remote_corpus_store = server_corpus_store
    records = ex.corpus(examples_dir)
    for confidential in (False, True):
        emb = corpus_store.visible_graphs(confidential=confidential)
        rem = remote_corpus_store.visible_graphs(confidential=confidential)
        assert emb == rem
    public = remote_corpus_store.visible_graphs(confidential=False)
    assert {g for g in public if "/graph/fragment/" in g} == {str(fragment_graph(k)) for k, r in records.items()
                                                             if not r.confidential}
    assert corpus_store.content_hashes() == remote_corpus_store.content_hashes()


@pytest.mark.parametrize("name", sorted(queries.library()))
def test_every_named_query_answers_the_same_on_both(corpus_store, server_corpus_store, name):
    """Every named query gives the same rows on every backend (queries/README.md: "Portable")."""
    remote_corpus_store = server_corpus_store
    text = queries.bind(queries.get(name), {})
    for confidential in (False, True):
        graphs = corpus_store.visible_graphs(confidential=confidential)
        assert _rows(corpus_store, text, graphs) == _rows(remote_corpus_store, text, graphs), confidential


def test_graph_restriction_overrides_from(backend_store, examples_dir):  # noqa: F811
    secret = sorted(k for k, r in ex.corpus(examples_dir).items() if r.confidential)
    g = str(fragment_graph(secret[0]))
    graphs = backend_store.visible_graphs(confidential=False)
    # (a fragment graph holds its fragment's type and its provenance records: what these would find)
    for q in (f"SELECT ?f FROM <{g}> WHERE {{ ?f a hg:Fragment }}",
              f"SELECT ?f FROM NAMED <{g}> WHERE {{ GRAPH ?x {{ ?f hg:rawRecord ?r }} }}"):
        found = {r["f"].value for r in backend_store.select(SPARQL_PREFIXES + q, graphs=graphs)}
        assert not found & {str(fragment_iri(i)) for i in secret}
    # ... which is there: the data owner finds it
    owner = backend_store.select(SPARQL_PREFIXES + f"SELECT ?f WHERE {{ GRAPH <{g}> {{ ?f a hg:Fragment ; hg:rawRecord ?r }} }}")
    assert {r["f"].value for r in owner} == {str(fragment_iri(secret[0]))}
    assert backend_store.select(SPARQL_PREFIXES + "SELECT * WHERE { ?s ?p ?o }", graphs=[]) == []


class _Recording:
    """The embedded store's pyoxigraph Store with each query's named graphs recorded."""

    def __init__(self, store):
        self.store, self.named = store, []

    def query(self, *args, **kw):
        self.named.append(kw.get("named_graphs"))
        return self.store.query(*args, **kw)


def test_graph_iris_reach_the_engine_as_themselves_not_as_the_readers_list(corpus_store, examples_dir):
    """A query whose GRAPH clauses all name an IRI is given only those of its graphs the reader may read
    (Oxigraph pays for every listed graph on every query: seconds at 100k); GRAPH ?g keeps the whole list."""
    records = ex.corpus(examples_dir)
    secret = next(k for k, r in records.items() if r.confidential)
    shown = next(k for k, r in records.items() if not r.confidential)
    st = EmbeddedStore(corpus_store.path, read_only=True)
    rec = st._store = _Recording(st._store)
    record = "SELECT ?f WHERE {{ GRAPH <{g}> {{ ?f hg:rawRecord ?r }} }}"
    for confidential, found in ((False, {shown}), (True, {shown, secret})):
        graphs = st.visible_graphs(confidential=confidential)
        assert len(graphs) > 10
        rows = set()
        for fid in (shown, secret):
            rec.named.clear()
            text = SPARQL_PREFIXES + record.format(g=fragment_graph(fid))
            rows |= {r["f"].value for r in st.select(text, graphs=graphs)}
            assert [[n.value for n in named] for named in rec.named] == \
                [[str(fragment_graph(fid))] if fid in found else []]
        assert rows == {str(fragment_iri(i)) for i in found}
    # GRAPH ?g, and a graph named by a prefixed name: the reader's whole list, as before
    graphs = st.visible_graphs(confidential=False)
    for q in ("SELECT ?f WHERE { GRAPH ?g { ?f hg:rawRecord ?r } }",
              f"PREFIX fg: <{str(fragment_graph(secret)).rsplit('/', 1)[0]}/> "
              f"SELECT ?f WHERE {{ GRAPH fg:{str(fragment_graph(secret)).rsplit('/', 1)[1]} {{ ?f hg:rawRecord ?r }} }}"):
        rec.named.clear()
        rows = {r["f"].value for r in st.select(SPARQL_PREFIXES + q, graphs=graphs)}
        assert len(rec.named[0]) == len(graphs)
        assert str(fragment_iri(secret)) not in rows


def test_a_graph_bound_by_the_leading_values_block_reaches_the_engine_alone(corpus_store, examples_dir):
    """The named query fragment_record, given its fragment, binds ?fragment_graph in the VALUES block that
    opens its WHERE group: the engine gets that one graph if the reader may read it, else none (and the
    fragment's record only then). Other placements of VALUES, UNDEF, a literal or a sub-select keep the
    reader's whole list (a ?g in a sub-select may be another variable)."""
    from harvestgraph import queries
    from harvestgraph.store.guard import graph_iris

    records = ex.corpus(examples_dir)
    secret = next(k for k, r in records.items() if r.confidential)
    shown = next(k for k, r in records.items() if not r.confidential)
    st = EmbeddedStore(corpus_store.path, read_only=True)
    rec = st._store = _Recording(st._store)
    q = queries.get("fragment_record")
    for confidential, found in ((False, {shown}), (True, {shown, secret})):
        graphs = st.visible_graphs(confidential=confidential)
        for fid in (shown, secret):
            rec.named.clear()
            rows = st.select(queries.bind(q, {"fragment": fid}), graphs=graphs)
            assert [r["id"].value for r in rows] == ([fid] if fid in found else [])
            assert [[n.value for n in named] for named in rec.named] == \
                [[str(fragment_graph(fid))] if fid in found else []]
            if fid in found:
                assert json.loads(rows[0]["record"].value)  # the raw record itself
    # without the parameter (the command line's dump) every readable fragment's record, each once
    rows = st.select(queries.bind(q, {}), graphs=st.visible_graphs(confidential=False))
    ids = [r["id"].value for r in rows]
    assert len(ids) == len(set(ids)) and shown in ids and secret not in ids
    g, h = "<http://example.org/g1>", "<http://example.org/g2>"
    assert graph_iris(f"SELECT * WHERE {{ VALUES ?g {{ {g} {h} }} GRAPH ?g {{ ?s ?p ?o }} }}") == \
        ["http://example.org/g1", "http://example.org/g2"]
    assert graph_iris(f'SELECT * WHERE {{ VALUES (?l ?g) {{ ("a ) }} GRAPH ?x"@en {g}) }} '
                      f'GRAPH ?g {{ ?s ?p ?o }} }}') == ["http://example.org/g1"]
    for text in (f"SELECT * WHERE {{ VALUES ?g {{ {g} UNDEF }} GRAPH ?g {{ ?s ?p ?o }} }}",
                 f'SELECT * WHERE {{ VALUES (?l ?g) {{ ("a" {g}) }} GRAPH ?l {{ ?s ?p ?o }} }}',
                 f"SELECT * WHERE {{ ?x ?y ?z . VALUES ?g {{ {g} }} GRAPH ?g {{ ?s ?p ?o }} }}",
                 f"SELECT * WHERE {{ VALUES ?g {{ {g} }} {{ SELECT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} }} }}",
                 f"SELECT * WHERE {{ VALUES ?h {{ {g} }} GRAPH ?g {{ ?s ?p ?o }} }}"):
        assert graph_iris(text) is None, text


def test_result_types_read_alike(backend_store):  # noqa: F811
    """Every backend answers with rows, a boolean or triples that read the same way (pyoxigraph's own objects
    embedded; the same, read into memory, from a remote endpoint)."""
    graphs = backend_store.visible_graphs(confidential=False)
    rows = backend_store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1", graphs=graphs)
    assert is_select(rows) and sorted(v.value for v in rows.variables) == ["o", "p", "s"]
    assert bool(backend_store.query("ASK { ?s ?p ?o }", graphs=graphs)) is True
    con = backend_store.query(SPARQL_PREFIXES + "CONSTRUCT { ?o a hg:Outcome } WHERE { ?o a hg:Outcome }", graphs=graphs)
    assert not is_select(con)
    triples = list(con)
    assert triples and all(isinstance(t, ox.Triple) for t in triples)
    assert len(triples) == len(backend_store.select(SPARQL_PREFIXES + "SELECT DISTINCT ?o WHERE { ?o a hg:Outcome }",
                                                    graphs=graphs))


def test_remote_answers_may_be_dropped_on_any_thread(remote_corpus_store):  # noqa: F811
    """A server's thread pool drops answers wherever its garbage collector runs (an answer caught in an
    exception's traceback): pyoxigraph's QuerySolutions raises and leaks there, so a remote store's
    answers are held in memory instead."""
    graphs = remote_corpus_store.visible_graphs(confidential=False)
    held = [remote_corpus_store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 3", graphs=graphs),
            remote_corpus_store.query(SPARQL_PREFIXES + "CONSTRUCT { ?o a hg:Outcome } WHERE { ?o a hg:Outcome }",
                                      graphs=graphs)]
    errors: list[str] = []
    previous = sys.unraisablehook  # pyoxigraph reports the drop as an exception nobody can catch
    sys.unraisablehook = lambda args: errors.append(repr(args.exc_value))
    try:
        t = threading.Thread(target=held.clear)
        t.start()
        t.join()
    finally:
        sys.unraisablehook = previous
    assert held == [] and errors == []


def test_substitutions(backend_store, examples_dir):  # noqa: F811
    fid = sorted(ex.visible(ex.corpus(examples_dir)))[0]
    rows = backend_store.select(SPARQL_PREFIXES + "SELECT ?o ?id WHERE { ?o dcterms:identifier ?id }",
                                graphs=backend_store.visible_graphs(confidential=False),
                                substitutions={"id": ox.Literal(fid)})
    assert {r["id"].value for r in rows} == {fid}


# --------------------------------------------------------------------------- writes


def _count(store, graph: str) -> int:
    return int(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")[0]["n"].value)


def test_write_drop_and_chunks(empty_server):
    st = empty_server[0](chunk_quads=10)
    g = "urn:test:g"
    quads = [ox.Quad(ox.NamedNode(f"urn:s:{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i)), ox.NamedNode(g))
             for i in range(25)]
    st.write([], quads)
    assert _count(st, g) == 25
    st.write([g], quads[:3])  # drop + insert in one request (within one chunk): replaced, not added
    assert _count(st, g) == 3
    st.write([g], quads)  # drop + 3 chunks
    assert _count(st, g) == 25


@pytest.mark.remote
def test_failed_write_changes_nothing(tmp_path):
    """(Oxigraph: one request is one transaction. Virtuoso commits operation by operation: see
    test_virtuoso.py for what it promises instead.)"""
    proc, base = start_oxigraph(tmp_path / "db")
    st = RemoteStore(base)
    g = "urn:test:atomic"
    st.write([], [ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("kept"), ox.NamedNode(g))])
    bad = ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("x"), ox.NamedNode(g))
    with pytest.raises(StoreError):
        st.update(f"DROP GRAPH <{g}> ; INSERT DATA {{ {bad.subject} {bad.predicate} {bad.object} }} ; LOAD <urn:nowhere>")
    assert _count(st, g) == 1
    stop(proc)


def test_load_file_puts_a_graph(empty_server):
    st = empty_server[0]()
    path = ontology_path("harvestgraph.ttl")
    st.load_file(path, "urn:test:onto")
    assert _count(st, "urn:test:onto") == len(rdflib.Graph().parse(path, format="turtle"))
    st.load_file(path, "urn:test:onto")  # PUT replaces
    assert _count(st, "urn:test:onto") == len(rdflib.Graph().parse(path, format="turtle"))


def test_cli_ingest_and_query_through_a_remote_store(empty_server, examples_dir, registry_path):
    _, url, env = empty_server
    env_store = ["--store", url]
    run = subprocess.run([str(HARVESTGRAPH), "ingest", str(examples_dir), *env_store, "--registry", str(registry_path),
                          "--no-warnings"], capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stderr
    again = subprocess.run([str(HARVESTGRAPH), "ingest", str(examples_dir), *env_store, "--registry",
                            str(registry_path), "--no-warnings"], capture_output=True, text=True, timeout=300, env=env)
    assert again.returncode == 0 and "0 added" in again.stdout.replace("\n", " ")
    out = subprocess.run([str(HARVESTGRAPH), "query", "outcomes", *env_store, "-f", "csv"],
                         capture_output=True, text=True, timeout=120)  # reading needs no credentials
    assert out.returncode == 0, out.stderr
    ids = sorted(line.split(",")[1] for line in out.stdout.splitlines()[1:] if line)
    assert ids == sorted(ex.visible(ex.corpus(examples_dir)))
