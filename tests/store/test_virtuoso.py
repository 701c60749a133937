"""Virtuoso specifics: the query guard (what reaches an engine that widens datasets), credentials, and the
faults of issue 15 against a real Virtuoso server (tests/virtuoso_server.py): server down, wrong
credentials, a timeout in the middle of a batch, a literal over the limit."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from harvestgraph.errors import StoreError
from harvestgraph.store.remote import credentials, endpoints
from harvestgraph.store import open_store
from harvestgraph.store.guard import QueryRefused, confine, strip_dataset
from harvestgraph.store.virtuoso import PartialWrite, VirtuosoStore
from tests.remote_server import free_port
from tests.virtuoso_server import DBA, virtuoso_store

HARVESTGRAPH = Path(sys.executable).parent / "harvestgraph"


# --------------------------------------------------------------------------- the guard (no server)


@pytest.mark.parametrize("query, kept, cut", [
    ("SELECT * FROM <urn:s> WHERE { ?s ?p ?o }", "WHERE { ?s ?p ?o }", "urn:s"),
    ("SELECT * FROM NAMED <urn:s> FROM <urn:t> WHERE { GRAPH ?g { ?s ?p ?o } }", "GRAPH ?g", "urn:"),
    ("SELECT*FROM<urn:s>WHERE{?s ?p ?o}", "WHERE{?s ?p ?o}", "urn:s"),
    ("PREFIX x: <urn:> SELECT * from\n  named # a comment\n x:s WHERE { ?s ?p ?o }", "WHERE", "x:s"),
    ("ASK FROM <urn:s> { ?s ?p ?o }", "ASK", "urn:s"),
    ("CONSTRUCT { ?s ?p ?o } FROM <urn:s> WHERE { ?s ?p ?o }", "CONSTRUCT", "urn:s"),
])
def test_dataset_clauses_are_cut(query, kept, cut):
    out = confine(query).text
    assert kept in out and cut not in out.replace("PREFIX x: <urn:>", "")


def test_from_inside_strings_iris_and_names_stays():
    q = 'SELECT ?from WHERE { ?s <urn:FROM> "FROM <urn:x>" . ?s ?from ?o } # FROM <urn:y>'
    assert strip_dataset(q) == q
    assert confine(q).form == "select"


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { BIND(bif:exec("select 1") AS ?x) }',
    'PREFIX b: <bif:> SELECT * WHERE { BIND(b:exec("x") AS ?x) }',
    'PREFIX b: <bi> SELECT * WHERE { BIND(b:f:exec("x") AS ?x) }',  # expands to bif:exec
    'BASE <bif:> SELECT * WHERE { BIND(<exec>("x") AS ?x) }',
    'SELECT * WHERE { BIND(<urn:DB.DBA.proc>("x") AS ?x) }',  # any function IRI is an SQL procedure call
    'SELECT * WHERE { BIND(<SQL:x>(1) AS ?x) }',
    'SELECT * WHERE { ?s <bif:contains> "x" }',
    'SELECT * WHERE { GRAPH <http://www.openlinksw.com/schemas/virtrdf#> { ?s ?p ?o } }',
    'define input:default-graph-uri <urn:s> SELECT * WHERE { ?s ?p ?o }',
    'SELECT * WHERE { ?s ?p ?o } OPTION (QUIETCAST)',
])
def test_engine_extensions_are_refused(query):
    with pytest.raises(QueryRefused):
        confine(query)


def test_xsd_casts_and_standard_functions_pass():
    c = confine('SELECT ?y WHERE { ?s ?p ?o BIND(xsd:integer(STR(?o)) AS ?y) FILTER(REGEX(STR(?o), "a")) }')
    assert c.form == "select"


def test_grouped_order_by_alias_goes_outside():
    q = "SELECT ?a (SAMPLE(?l) AS ?name) WHERE { ?a <urn:p> ?l } GROUP BY ?a ORDER BY ?name LIMIT 5"
    out = confine(q).text
    assert out.startswith("SELECT ?a ?name WHERE { { SELECT ?a (SAMPLE(?l) AS ?name)") and out.endswith("LIMIT 5")


def test_values_after_a_construct_goes_inside():
    out = confine("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } } VALUES ?g { <urn:a> }").text
    assert out.rstrip().endswith("VALUES ?g { <urn:a> }\n}")


# --------------------------------------------------------------------------- credentials (no server)


def test_credentials_from_the_environment_or_a_file(tmp_path):
    assert credentials({}) is None
    assert credentials({"HARVESTGRAPH_STORE_USER": "u", "HARVESTGRAPH_STORE_PASSWORD": "p"}) == ("u", "p")
    f = tmp_path / "cred"
    f.write_text("writer:s3cr:et\n")
    assert credentials({"HARVESTGRAPH_STORE_CREDENTIALS": str(f)}) == ("writer", "s3cr:et")
    f.write_text("writer\npa ss\n")
    assert credentials({"HARVESTGRAPH_STORE_CREDENTIALS": str(f)}) == ("writer", "pa ss")
    f.write_text("nothing")
    with pytest.raises(StoreError, match="credentials file"):
        credentials({"HARVESTGRAPH_STORE_CREDENTIALS": str(f)})
    with pytest.raises(StoreError, match="credentials file"):
        credentials({"HARVESTGRAPH_STORE_CREDENTIALS": str(tmp_path / "missing")})


def test_credentials_in_the_url_are_refused():
    with pytest.raises(StoreError, match="credentials in the store URL") as err:
        open_store("virtuoso+http://dba:topsecret@127.0.0.1:8890/sparql")
    assert "topsecret" not in str(err.value)
    assert endpoints("virtuoso+https://h/sparql")[0] == "virtuoso"


def test_the_cli_refuses_credentials_on_the_command_line():
    run = subprocess.run([str(HARVESTGRAPH), "query", "outcomes", "--store",
                          "virtuoso+http://dba:topsecret@127.0.0.1:9/sparql"], capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and "HARVESTGRAPH_STORE_USER" in run.stderr + run.stdout
    assert "topsecret" not in run.stderr + run.stdout


# --------------------------------------------------------------------------- faults, on a real server


def _quad(g: str, i: int, value: str = "v") -> ox.Quad:
    return ox.Quad(ox.NamedNode(f"urn:s:{i}"), ox.NamedNode("urn:p"), ox.Literal(value), ox.NamedNode(g))


def _count(store, graph: str) -> int:
    return int(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")[0]["n"].value)


def test_server_down_is_a_clear_error():
    st = VirtuosoStore(f"virtuoso+http://127.0.0.1:{free_port()}/sparql", auth=DBA, timeout=5)
    with pytest.raises(StoreError, match="cannot reach Virtuoso.*is the server running"):
        st.query("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(StoreError, match="cannot reach Virtuoso.*nothing was written"):
        st.write([], [_quad("urn:test:down", 1)])


@pytest.mark.virtuoso
def test_wrong_or_missing_credentials_change_nothing(virtuoso_server):
    g = "urn:test:creds"
    wrong = virtuoso_store(virtuoso_server, auth=("dba", "not-the-password"))
    with pytest.raises(StoreError, match="refused the credentials.*HARVESTGRAPH_STORE_USER") as err:
        wrong.write([], [_quad(g, 1)])
    assert "not-the-password" not in str(err.value)
    anonymous = VirtuosoStore(virtuoso_server.url)  # reads need no credentials; writes say what to set
    with pytest.raises(StoreError, match="needs credentials"):
        anonymous.write([], [_quad(g, 1)])
    assert _count(anonymous, g) == 0


@pytest.mark.virtuoso
def test_wrong_password_in_the_environment_never_shows(virtuoso_server, examples_dir, tmp_path):
    env = virtuoso_server.env(password="wr0ng-pa55word")
    new = tmp_path / "new.md"  # a fragment the session's server does not hold yet: the ingest must write
    new.write_text("**FragmentID**: TST-KEN2501/PWD001\n**Country**: Kenya\n**Year**: 2025\n"
                   "**Outcome description**: A hearing took place.\n")
    run = subprocess.run([str(HARVESTGRAPH), "ingest", str(new), "--store",
                          virtuoso_server.url, "--no-warnings"], capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode != 0 and "refused the credentials" in run.stderr + run.stdout
    assert "wr0ng-pa55word" not in run.stderr + run.stdout


@pytest.mark.virtuoso
def test_a_literal_over_the_limit_is_refused_before_anything_is_sent(virtuoso_server):
    st = virtuoso_store(virtuoso_server, chunk_quads=1)
    graphs = [f"urn:test:limit{i}" for i in range(3)]
    big = "x" * (st.max_literal_bytes + 1)
    batch = [_quad(graphs[0], 0), _quad(graphs[1], 1, big), _quad(graphs[2], 2)]
    with pytest.raises(StoreError, match=r"literal of 1,000,001 bytes.*Virtuoso.*nothing was written") as err:
        st.write([], batch)
    assert graphs[1] in str(err.value)
    assert [_count(st, g) for g in graphs] == [0, 0, 0]


class StallingProxy:
    """A TCP proxy to the server that stops forwarding (for good) a connection once the client sends
    ``marker``: the server never sees that request, the client waits until its timeout."""

    def __init__(self, upstream_port: int, marker: bytes):
        self.marker, self.upstream = marker, upstream_port
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.stalled = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.upstream))
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, inspect: bool) -> None:
        seen = b""
        try:
            while data := src.recv(65536):
                if inspect:
                    seen = (seen + data)[-(len(self.marker) + 65536):]
                    if self.marker in seen:
                        self.stalled.set()
                        continue  # swallowed: never forwarded
                if not self.stalled.is_set() or not inspect:
                    dst.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        self.sock.close()


@pytest.mark.virtuoso
def test_a_timeout_mid_batch_names_what_was_written_and_rewriting_finishes(virtuoso_server):
    port = int(virtuoso_server.base.rsplit(":", 1)[1])
    proxy = StallingProxy(port, b"urn:test:stall")
    try:
        st = VirtuosoStore(f"virtuoso+http://127.0.0.1:{proxy.port}/sparql", auth=DBA, timeout=5, chunk_quads=3)
        first, stalled, last = "urn:test:mid-a", "urn:test:stall-b", "urn:test:mid-c"
        batch = [_quad(first, i) for i in range(3)] + [_quad(stalled, i, "urn:test:stall") for i in range(3)] + \
            [_quad(last, i) for i in range(3)]
        with pytest.raises(PartialWrite, match="Virtuoso did not answer within 5 s.*1 graphs written, 1 in a request "
                           "that timed out.*Re-run the same ingest") as err:
            st.write([], batch)
        assert err.value.written == [first] and err.value.unknown == [stalled]
        direct = virtuoso_store(virtuoso_server)
        assert [_count(direct, g) for g in (first, stalled, last)] == [3, 0, 0]
        direct.write([first, stalled, last], batch)  # the re-run: replaces, so nothing is doubled
        assert [_count(direct, g) for g in (first, stalled, last)] == [3, 3, 3]
    finally:
        proxy.close()


def test_a_fragment_is_replaced_in_one_request_with_its_union_copies():
    """Each request carries whole graphs (drop + insert): a chunk boundary never splits a fragment."""
    from harvestgraph.store.virtuoso import update_text

    q = [_quad("https://w3id.org/harvestgraph/graph/fragment/X", i) for i in range(5)]
    text = update_text(["https://w3id.org/harvestgraph/graph/fragment/X"], q)
    insert = text[text.index("INSERT DATA"):]
    assert text.index("DROP SILENT GRAPH") < text.index("INSERT DATA")
    assert insert.count("graph/union/public") == 5  # the union copies travel in the same INSERT DATA


# --------------------------------------------------------------------------- every command, end to end


@pytest.mark.virtuoso
def test_ingest_view_export_remove_and_serve_on_virtuoso(empty_virtuoso, examples_dir, registry_path, tmp_path):
    """The CLI against a real, empty Virtuoso: credentials from the environment only."""
    import httpx

    from tests import expected as ex
    from tests.remote_server import start_serve, stop
    from harvestgraph.vocab import encode_id

    url, env = empty_virtuoso.url, empty_virtuoso.env()

    def hg(*args, write=False):
        run = subprocess.run([str(HARVESTGRAPH), *args, "--store", url], capture_output=True, text=True,
                             timeout=300, env=env if write else None)
        assert run.returncode == 0, (args, run.stdout[-500:], run.stderr[-1500:])
        return run.stdout

    hg("ingest", str(examples_dir), "--registry", str(registry_path), "--no-warnings", write=True)
    records = ex.corpus(examples_dir)
    public = sorted(ex.visible(records))
    hg("view", "-o", str(tmp_path / "network.html"))
    assert "<html" in (tmp_path / "network.html").read_text()[:2000].lower()
    hg("export", "graph", "-f", "turtle", "-o", str(tmp_path / "graph.ttl"))
    exported = (tmp_path / "graph.ttl").read_text()
    secret = sorted(set(records) - set(public))[0]
    assert encode_id(public[0]) in exported and encode_id(secret) not in exported
    gone = public[0]
    hg("remove", gone, write=True)
    ids = {line.split(",")[1] for line in hg("query", "outcomes", "-f", "csv").splitlines()[1:] if line}
    assert ids == set(public) - {gone}
    proc, base = start_serve(url)
    try:
        rows = httpx.get(f"{base}/queries/outcomes", params={"format": "csv"}, timeout=120).text.splitlines()[1:]
        assert {r.split(",")[1] for r in rows if r} == set(public) - {gone}
        assert encode_id(secret) not in httpx.get(f"{base}/exports/graph", params={"format": "turtle"},
                                                  timeout=120).text
    finally:
        stop(proc)


@pytest.mark.virtuoso
def test_pages_and_rest_through_serve_answer_as_on_the_embedded_store(virtuoso_corpus_store, corpus_store_path,
                                                                         tmp_path):
    """``serve`` backed by Virtuoso and by the embedded store, same corpus: the REST lists and one outcome give
    the same JSON, and a crawl of the pages from ``/`` reaches the same pages, each answered alike (status and
    links) — every query behind them is portable."""
    import httpx

    from tests.remote_server import copy_store, start_serve, stop
    from tests.pages.test_pages import HTML, links

    emb_proc, emb = start_serve(copy_store(corpus_store_path, tmp_path / "store"), "--timeout", "120")
    virt_proc, virt = start_serve(virtuoso_corpus_store.location, "--timeout", "120")
    try:
        with httpx.Client(base_url=emb, timeout=120) as e, httpx.Client(base_url=virt, timeout=120) as v:
            first = e.get("/outcomes", params={"limit": 1}, headers={"Accept": "application/json"}).json()
            one = first["items"][0]["href"]
            for path in ("/actors?limit=500", "/actors?kind=ngo&limit=500", "/outcomes?limit=500", one):
                a = e.get(path, headers={"Accept": "application/json"})
                b = v.get(path, headers={"Accept": "application/json"})
                assert (b.status_code, b.json()) == (a.status_code, a.json()), path
            todo, seen = ["/"], set()
            while todo and len(seen) < 25:  # breadth first: the home page, lists, facets, an outcome, an actor
                path = todo.pop(0)
                seen.add(path)
                a, b = e.get(path, headers=HTML), v.get(path, headers=HTML)
                assert b.status_code == a.status_code == 200, (path, b.status_code, b.text[:300])
                if not a.headers.get("content-type", "").startswith("text/html"):
                    continue
                la, lb = links(a.text), links(b.text)
                assert sorted(lb) == sorted(la), path
                todo += [h for h in la if h.startswith("/") and not h.startswith(("/static", "/sparql", "/explore"))
                         and h not in seen and h not in todo]
    finally:
        stop(emb_proc)
        stop(virt_proc)


# --------------------------------------------------------------------------- GRAPH at scale (reader scopes)

_CHECK = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:harvestgraph:ReadableGraph>"


@pytest.mark.parametrize("query, checked", [
    ("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } ?a ?b ?c }", ["?g"]),
    # in OPTIONAL, in FILTER NOT EXISTS, after a comment and a string that say GRAPH
    ("SELECT * WHERE { OPTIONAL { GRAPH ?z { ?s ?p \"GRAPH ?h {\" } } FILTER NOT EXISTS { GRAPH $h { } } } # GRAPH ?y {",
     ["?z", "$h"]),
    ("ASK { graph ?g { ?s ?p ?o } . ?a ?b ?c }", ["?g"]),
    ("SELECT * WHERE { { GRAPH ?a { } } UNION { GRAPH ?b { } } }", ["?a", "?b"]),
])
def test_every_graph_clause_gets_its_scope_check(query, checked):
    from harvestgraph.store.guard import scoped

    text = scoped(confine(query).text)
    assert [c for c in checked if f"{{ {c} {_CHECK} }}" in text] == checked
    assert text.count(_CHECK) == len(checked)
    confine(text)  # still SPARQL 1.1


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { GRAPH ?a { GRAPH ?b { ?s ?p ?o } } }",  # the inner check would read graph ?a
    "SELECT * WHERE { GRAPH <urn:g> { ?s ?p ?o } }",  # constants go as named-graph-uri, not this way
])
def test_what_a_scope_check_cannot_confine_is_refused(query):
    from harvestgraph.store.guard import scoped

    with pytest.raises(QueryRefused):
        scoped(confine(query).text)



# Before the reader scopes, a reader's GRAPH query sent every visible fragment graph as a named-graph-uri, and
# Virtuoso 7.2.5 broke between 1,400 and 1,500 graphs of ~75-character IRIs (measured 2026-11-30: the answer
# overflowed the client's buffer; at 10,000 "SP030: Too many arguments"). 2,500 graphs is well past that.
MANY_FRAGMENTS = 2_500


def _synthetic_fragments(n: int, every_confidential: int = 10) -> tuple[list[ox.Quad], set[str], set[str]]:
    """``n`` small fragment graphs (type, confidentiality flag, label, raw record): the quads, the public graphs
    and the confidential graphs. Small on purpose: what is measured is the number of graphs, not their size.
    The raw record (provenance) stays in the fragment graph only, so only GRAPH reaches it."""
    from harvestgraph.vocab import HG, fragment_graph, fragment_iri

    quads, public, secret = [], set(), set()
    flag, label = ox.NamedNode(str(HG.isConfidential)), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    record = ox.NamedNode(str(HG.rawRecord))
    kind = ox.NamedNode(str(HG.Fragment))
    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    xsd_bool = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
    for i in range(n):
        fid = f"SCALE-{i:05d}/OUT{i % 97:03d}"
        g, f = ox.NamedNode(str(fragment_graph(fid))), ox.NamedNode(str(fragment_iri(fid)))
        confidential = i % every_confidential == 0
        (secret if confidential else public).add(g.value)
        quads += [ox.Quad(f, a, kind, g), ox.Quad(f, flag, ox.Literal(str(confidential).lower(), datatype=xsd_bool), g),
                  ox.Quad(f, label, ox.Literal(f"fragment {i}"), g),
                  ox.Quad(f, record, ox.Literal(f"record {i}" + (" SECRET" if confidential else "")), g)]
    return quads, public, secret


@pytest.mark.virtuoso
def test_graph_queries_stay_in_the_readers_scope_past_the_old_named_graph_limit(empty_virtuoso):
    """A reader's GRAPH query on 2,500 fragment graphs answers (one scope graph instead of a named-graph-uri
    per fragment), and sees exactly the reader's graphs: the anonymous reader never a confidential graph (by
    variable, by IRI, inside FILTER EXISTS), the confidential role all of them."""
    st = virtuoso_store(empty_virtuoso)
    quads, public, secret = _synthetic_fragments(MANY_FRAGMENTS)
    st.write([], quads)
    anonymous, role = st.visible_graphs(confidential=False), st.visible_graphs(confidential=True)
    assert len(anonymous) > 1_500 and set(anonymous) >= public and not set(anonymous) & secret

    def graphs_seen(graphs) -> set[str]:
        rows = st.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?f a <https://w3id.org/harvestgraph/ontology#Fragment> } }",
                         graphs=graphs)
        return {r["g"].value for r in rows}

    assert graphs_seen(anonymous) == public
    assert graphs_seen(role) == public | secret
    hidden = sorted(secret)[0]
    by_iri = f"SELECT ?o WHERE {{ GRAPH <{hidden}> {{ ?s ?p ?o }} }}"
    assert [r["o"] for r in st.select(by_iri, graphs=anonymous) if r["o"] is not None] == []
    assert len(st.select(by_iri, graphs=role)) == 3  # its type, flag and record (its label is in the union only)
    probe = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o FILTER(CONTAINS(STR(?o), 'SECRET')) } }"
    assert st.select(probe, graphs=anonymous) == []
    assert {r["g"].value for r in st.select(probe, graphs=role)} == secret
    # (FILTER EXISTS is no probe here: Virtuoso 7.2.5 answers it true whatever the pattern, measured 2026-11-30.)
    # The scope graphs are no reader's named graphs (the confidential one lists the confidential graphs' IRIs),
    # neither by IRI nor by variable.
    for scope in ("urn:harvestgraph:scope:confidential", "urn:harvestgraph:scope:public"):
        for reader in (anonymous, role):
            rows = st.select(f"SELECT ?s WHERE {{ GRAPH <{scope}> {{ ?s ?p ?o }} }}", graphs=reader)
            assert [r["s"] for r in rows if r["s"] is not None] == []
            assert st.select(f"SELECT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g = <{scope}>) }}", graphs=reader) == []
    # The anonymous reader's default graph holds its own scope only: no confidential graph's IRI.
    listed = {r["s"].value for r in st.select("SELECT ?s WHERE { { ?s a <urn:harvestgraph:ReadableGraph> } UNION "
                                              "{ GRAPH ?g { <urn:nothing> ?p ?o } } }", graphs=anonymous)}
    assert listed and not listed & secret
    # Removing a fragment takes it out of the scopes in the same request as its graph.
    gone = sorted(public)[0]
    st.write([gone], [])
    assert gone not in graphs_seen(st.visible_graphs(confidential=False))
