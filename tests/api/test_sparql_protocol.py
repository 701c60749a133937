"""The SPARQL 1.1 Protocol endpoint, served for real (``harvestgraph serve`` in a subprocess on a free port)
and queried by real clients: SPARQLWrapper, rdflib's SPARQLStore and plain httpx.

Expected answers come from the input files (tests/expected.py), not from the server.
"""

from __future__ import annotations

import csv
import http.server
import io
import json
import threading
import time

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from SPARQLWrapper import JSON, POST, POSTDIRECTLY, URLENCODED, XML, SPARQLWrapper

from tests import expected as ex
from tests.remote_server import copy_store, start_serve, stop
from harvestgraph.vocab import SPARQL_PREFIXES, fragment_graph, fragment_iri

OUTCOME_IDS = SPARQL_PREFIXES + "SELECT DISTINCT ?id WHERE { ?o a hg:Outcome ; dcterms:identifier ?id } ORDER BY ?id"
CAP = 3000


@pytest.fixture(scope="module")
def server(corpus_store_path, tmp_path_factory):
    store = copy_store(corpus_store_path, tmp_path_factory.mktemp("served") / "store")
    proc, base = start_serve(store, "--timeout", "5", "--cap", str(CAP))
    yield base
    stop(proc)


@pytest.fixture(scope="module")
def public_ids(examples_dir):
    return sorted(ex.visible(ex.corpus(examples_dir)))


@pytest.fixture(scope="module")
def secret_ids(examples_dir):
    ids = sorted(k for k, r in ex.corpus(examples_dir).items() if r.confidential)
    assert ids
    return ids


def wrapper(base: str, query: str, method=None, fmt=JSON) -> SPARQLWrapper:
    sw = SPARQLWrapper(base + "/sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method == "form":
        sw.setMethod(POST)
        sw.setRequestMethod(URLENCODED)
    elif method == "direct":
        sw.setMethod(POST)
        sw.setRequestMethod(POSTDIRECTLY)
    return sw


# --------------------------------------------------------------------------- request forms and formats


@pytest.mark.parametrize("method", [None, "form", "direct"])
def test_sparqlwrapper_each_request_form(server, public_ids, method):
    res = wrapper(server, OUTCOME_IDS, method).queryAndConvert()
    assert [b["id"]["value"] for b in res["results"]["bindings"]] == public_ids


def test_sparqlwrapper_xml(server, public_ids):
    doc = wrapper(server, OUTCOME_IDS, fmt=XML).queryAndConvert()
    ids = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert ids == public_ids


def test_rdflib_sparqlstore_is_a_working_client(server, public_ids):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    g = rdflib.Graph(store=SPARQLStore(server + "/sparql", returnFormat="json"))
    assert [str(r[0]) for r in g.query(OUTCOME_IDS)] == public_ids
    g2 = rdflib.Graph(store=SPARQLStore(server + "/sparql"))  # rdflib's default: XML results
    assert bool(g2.query(SPARQL_PREFIXES + "ASK { ?o a hg:Outcome }").askAnswer)


@pytest.mark.parametrize("accept, parse", [
    ("application/sparql-results+json", lambda b: ox.parse_query_results(b, format=ox.QueryResultsFormat.JSON)),
    ("application/sparql-results+xml", lambda b: ox.parse_query_results(b, format=ox.QueryResultsFormat.XML)),
    ("text/tab-separated-values", lambda b: ox.parse_query_results(b, format=ox.QueryResultsFormat.TSV)),
])
def test_select_formats(server, public_ids, accept, parse):
    r = httpx.get(server + "/sparql", params={"query": OUTCOME_IDS}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(accept)
    assert [row["id"].value for row in parse(r.content)] == public_ids


def test_select_csv(server, public_ids):
    r = httpx.get(server + "/sparql", params={"query": OUTCOME_IDS}, headers={"Accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["id"] and [x[0] for x in rows[1:]] == public_ids


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values"])
def test_ask_formats(server, accept):
    yes = httpx.get(server + "/sparql", params={"query": SPARQL_PREFIXES + "ASK { ?o a hg:Outcome }"},
                    headers={"Accept": accept})
    no = httpx.get(server + "/sparql", params={"query": "ASK { <urn:x:nothing> ?p ?o }"}, headers={"Accept": accept})
    assert yes.status_code == no.status_code == 200
    assert "true" in yes.text and "false" in no.text


def test_construct_formats_agree(server, public_ids):
    q = SPARQL_PREFIXES + "CONSTRUCT { ?o dcterms:identifier ?id ; hg:year ?y } WHERE { ?o a hg:Outcome ; dcterms:identifier ?id . OPTIONAL { ?o hg:year ?y } }"
    graphs = {}
    for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
                        ("application/rdf+xml", "xml")):
        r = httpx.post(server + "/sparql", data={"query": q}, headers={"Accept": accept})
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith(accept)
        graphs[fmt] = rdflib.Graph().parse(data=r.text, format=fmt)
    ids = sorted(str(o) for o in graphs["turtle"].objects(None, rdflib.DCTERMS.identifier))
    assert ids == public_ids
    from rdflib.compare import isomorphic

    for fmt, g in graphs.items():
        assert isomorphic(g, graphs["turtle"]), fmt


def test_describe_returns_a_graph(server, public_ids):
    from harvestgraph.vocab import outcome_iri

    r = httpx.get(server + "/sparql", params={"query": f"DESCRIBE <{outcome_iri(public_ids[0])}>"},
                  headers={"Accept": "application/n-triples"})
    g = rdflib.Graph().parse(data=r.text, format="nt")
    assert str(next(g.objects(rdflib.URIRef(str(outcome_iri(public_ids[0]))), rdflib.DCTERMS.identifier))) == public_ids[0]


def test_unacceptable_format_is_406(server):
    r = httpx.get(server + "/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and r.json()["error"] == "not_acceptable"


def test_syntax_error_is_400(server):
    r = httpx.get(server + "/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert r.status_code == 400


# --------------------------------------------------------------------------- read-only, no SERVICE


def _count(server) -> int:
    r = httpx.get(server + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("send", [
    lambda s: httpx.post(s + "/sparql", data={"update": "DROP ALL"}),
    lambda s: httpx.post(s + "/sparql", content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"}),
    lambda s: httpx.get(s + "/sparql", params={"update": "DROP ALL"}),
    lambda s: httpx.get(s + "/sparql", params={"query": "DROP ALL"}),
    lambda s: httpx.post(s + "/sparql", data={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
    lambda s: httpx.post(s + "/sparql", content=b"DELETE WHERE { ?s ?p ?o }",
                         headers={"Content-Type": "application/sparql-query"}),
])
def test_updates_are_refused(server, send):
    before = _count(server)
    r = send(server)
    assert r.status_code in (400, 403), r.text
    assert _count(server) == before > 0


@pytest.fixture()
def canary():
    """A local HTTP server that counts requests: SERVICE must never reach it."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        do_POST = do_GET  # noqa: N815

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/sparql", hits
    srv.shutdown()


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "select * where {{ ?a ?b ?c . OPTIONAL {{ service silent <{u}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ SERVICE # sneaky\n <{u}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{u}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
])
def test_service_is_refused_before_execution(server, canary, template):
    url, hits = canary
    r = httpx.get(server + "/sparql", params={"query": template.format(u=url)})
    assert r.status_code == 403 and r.json()["error"] == "service_refused"
    time.sleep(0.2)
    assert hits == []


def test_the_word_service_in_a_string_is_fine(server):
    r = httpx.get(server + "/sparql", params={"query": 'SELECT ?x WHERE { BIND("SERVICE <http://x>" AS ?x) }'})
    assert r.status_code == 200


# --------------------------------------------------------------------------- the dataset cannot be widened


def test_confidential_fragments_never_reach_anonymous_readers(server, secret_ids):
    g = str(fragment_graph(secret_ids[0]))
    ids = "SELECT DISTINCT ?id {} WHERE {{ {} }}"
    probes = [
        {"query": SPARQL_PREFIXES + ids.format("", "?f a hg:Fragment ; dcterms:identifier ?id")},
        {"query": SPARQL_PREFIXES + ids.format(f"FROM <{g}>", "?f a hg:Fragment ; dcterms:identifier ?id")},
        {"query": SPARQL_PREFIXES + ids.format(f"FROM NAMED <{g}>", "GRAPH ?g { ?f a hg:Fragment ; dcterms:identifier ?id }")},
        {"query": SPARQL_PREFIXES + ids.format("", "?f a hg:Fragment ; dcterms:identifier ?id"), "default-graph-uri": g},
        {"query": SPARQL_PREFIXES + ids.format("", "GRAPH ?g { ?f a hg:Fragment ; dcterms:identifier ?id }"),
         "named-graph-uri": g},
    ]
    for params in probes:
        r = httpx.get(server + "/sparql", params=params)
        assert r.status_code == 200, r.text
        seen = {b["id"]["value"] for b in r.json()["results"]["bindings"]}
        assert not seen & set(secret_ids), params
        if "default-graph-uri" in params or "named-graph-uri" in params:
            assert seen == set(), params  # a graph the reader may not see narrows the dataset to nothing
    r = httpx.get(server + "/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"})
    graphs = {b["g"]["value"] for b in r.json()["results"]["bindings"]}
    assert graphs and not {str(fragment_graph(i)) for i in secret_ids} & graphs


def test_default_graph_uri_narrows(server, public_ids):
    """A fragment graph holds the fragment's own record (data model 3: its outcome's facts are in the union
    graph), so narrowed to one fragment graph the dataset has that one fragment and nothing of the others."""
    g = str(fragment_graph(public_ids[0]))
    fragments = SPARQL_PREFIXES + "SELECT ?f WHERE { ?f a hg:Fragment } ORDER BY ?f"
    r = httpx.post(server + "/sparql", data={"query": fragments, "default-graph-uri": g})
    assert [b["f"]["value"] for b in r.json()["results"]["bindings"]] == [str(fragment_iri(public_ids[0]))]
    whole = httpx.post(server + "/sparql", data={"query": fragments})
    assert len(whole.json()["results"]["bindings"]) == len(public_ids)


# --------------------------------------------------------------------------- time and size limits


def test_result_cap(server):
    r = httpx.get(server + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 400
    body = r.json()
    assert body["error"] == "result_too_large" and str(CAP) in body["message"]
    ok = httpx.get(server + "/sparql", params={"query": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {CAP}"})
    assert ok.status_code == 200 and len(ok.json()["results"]["bindings"]) == CAP


def test_runaway_query_times_out(corpus_store_path, tmp_path, examples_dir):
    store = copy_store(corpus_store_path, tmp_path / "store")
    proc, base = start_serve(store, "--timeout", "0.5")
    try:
        q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?f . ?g ?h ?i }"
        t0 = time.monotonic()
        r = httpx.get(base + "/sparql", params={"query": q}, timeout=30)
        elapsed = time.monotonic() - t0
        assert r.status_code == 503
        assert r.json()["error"] == "timeout" and "0.5" in r.json()["message"]
        assert elapsed < 60  # the product of the store with itself twice would run for hours: it was stopped
        # the server survived it: the killed worker was replaced and the store reads. Asked through the same
        # worker pool with the exports' budget (60 s), not the 0.5 s one: on a starved CPU a 0.5 s budget is
        # overrun by any query, which would test the machine's load, not the server
        r = httpx.get(base + "/exports/contributions", params={"format": "csv"}, timeout=90)
        assert r.status_code == 200, r.text[:300]
        ids = {row["outcome_id"] for row in csv.DictReader(io.StringIO(r.text.lstrip("\ufeff")))}
        assert ids and ids <= set(ex.visible(ex.corpus(examples_dir)))
        # and the endpoint itself answers again: a result, or a clear 503 (busy, or its 0.5 s budget overrun
        # on a loaded machine), never an error or a dropped connection
        for _ in range(20):
            r = httpx.get(base + "/sparql", params={"query": "ASK {}"}, timeout=30)
            if r.status_code == 200:
                break
            assert r.status_code == 503 and r.json()["error"] in ("busy", "timeout"), r.text
            time.sleep(0.5)
    finally:
        proc.kill()  # the runaway evaluation would hold a graceful shutdown until it ends
        proc.wait(timeout=10)


def test_json_results_are_valid_sparql_json(server):
    r = httpx.get(server + "/sparql", params={"query": SPARQL_PREFIXES + "SELECT ?o ?y ?lbl WHERE { ?o hg:year ?y . OPTIONAL { ?o skos:prefLabel ?lbl } } LIMIT 3"})
    body = json.loads(r.text)
    assert body["head"]["vars"] == ["o", "y", "lbl"]
    b = body["results"]["bindings"][0]
    assert b["o"]["type"] == "uri" and b["y"]["datatype"].endswith("#gYear")
