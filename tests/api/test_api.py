"""The REST API and the linked-data pages: real HTTP against ``harvestgraph serve`` for the main paths, FastAPI's
TestClient for the finer cases (reader overrides, injected data). Expected values come from the input files
(tests/expected.py) or, for what depends on actor extraction, from the raw triples.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient

from tests import expected as ex
from tests.remote_server import copy_store, oxigraph_server, remote_corpus_store, start_serve, stop  # noqa: F401
from harvestgraph import queries
from harvestgraph.api.app import create_app
from harvestgraph.api.auth import Reader, get_reader
from harvestgraph.vocab import HG, actor_iri, fragment_graph, outcome_iri


@pytest.fixture(scope="module")
def server(corpus_store_path, tmp_path_factory):
    store = copy_store(corpus_store_path, tmp_path_factory.mktemp("api") / "store")
    proc, base = start_serve(store)
    yield base
    stop(proc)


@pytest.fixture()
def client(fresh_corpus_store):
    app = create_app(fresh_corpus_store)
    with TestClient(app) as c:
        yield c, app, fresh_corpus_store


# --------------------------------------------------------------------------- named queries


def test_queries_listed_with_docs(server):
    body = httpx.get(server + "/queries").json()
    assert {q["name"] for q in body} == set(queries.library())
    assert len(body) >= 15
    for q in body:
        assert q["title"] and q["description"] and all(p["doc"] for p in q["params"])


def test_outcomes_by_who_contributed(server):
    """The REST list and the named query filter on the outcome's contribution pattern, and agree with it."""
    patterns = ("programme-alone", "programme-and-others", "others-only", "none-found")
    listed, named = {}, {}
    for value in patterns:
        listed[value] = [o["id"] for o in httpx.get(server + "/outcomes", params={"shared": value, "limit": 200},
                                                     headers={"Accept": "application/json"}).json()["items"]]
        named[value] = [r["id"] for r in httpx.get(server + "/queries/outcomes", params={"shared": value}).json()["rows"]]
        stored = httpx.get(server + "/sparql", params={"format": "csv", "query": (
            "SELECT ?id WHERE { ?o <https://w3id.org/harvestgraph/ontology#contributionPattern> "
            f"<https://w3id.org/harvestgraph/concept/contribution-pattern/{value}> ; "
            "<http://purl.org/dc/terms/identifier> ?id } ORDER BY ?id")}).text.split()[1:]
        assert listed[value] == named[value] == stored, value
    everyone = [o["id"] for o in httpx.get(server + "/outcomes", params={"limit": 200},
                                           headers={"Accept": "application/json"}).json()["items"]]
    assert sorted(sum(listed.values(), [])) == sorted(everyone)  # every outcome has exactly one pattern
    assert listed["programme-and-others"] and listed["others-only"]


def test_named_query_json_and_csv(server, public):
    want = sorted(k for k, r in public.items() if r.country == "KE" and r.year == 2025)
    js = httpx.get(server + "/queries/outcomes", params={"country": "Kenya", "year_from": 2025, "year_to": 2025})
    assert js.status_code == 200
    assert sorted(r["id"] for r in js.json()["rows"]) == want
    for kw in ({"params": {"country": "KE", "year_from": 2025, "year_to": 2025, "format": "csv"}},
               {"params": {"country": "KE", "year_from": 2025, "year_to": 2025}, "headers": {"Accept": "text/csv"}}):
        r = httpx.get(server + "/queries/outcomes", **kw)
        assert r.headers["content-type"].startswith("text/csv")
        import csv
        import io

        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert sorted(x["id"] for x in rows) == want


def test_named_query_pages(server, public):
    """limit/offset page through an ordered answer: the pages put together are the whole answer."""
    whole = httpx.get(server + "/queries/outcomes").json()["rows"]
    assert sorted(r["id"] for r in whole) == sorted(public)
    pages = [httpx.get(server + "/queries/outcomes", params={"limit": 5, "offset": o}).json()["rows"]
             for o in range(0, len(whole) + 5, 5)]
    assert all(len(p) == 5 for p in pages[:len(whole) // 5]) and pages[-1] == []
    assert [r for p in pages for r in p] == whole
    assert httpx.get(server + "/queries/outcomes", params={"limit": 0}).status_code == 422


def test_named_query_pages_link_to_each_other(server, public):
    """A JSON answer comes in pages: each names the next in its body and in a Link header; following them
    gives the whole answer once, and the last page says how many rows there were."""
    url, rows, seen = "/queries/outcomes?limit=4", [], 0
    while url:
        r = httpx.get(server + url)
        assert r.status_code == 200
        page = r.json()
        assert page["limit"] == 4 and page["offset"] == seen and len(page["rows"]) <= 4
        rows += page["rows"]
        seen += len(page["rows"])
        if page["next"]:
            assert f'<{page["next"]}>; rel="next"' in r.headers["link"] and page["total"] is None
        else:
            assert page["total"] == len(public) == int(r.headers["x-total-count"])
        assert (page["prev"] is None) == (page["offset"] == 0)
        url = page["next"]
    assert sorted(x["id"] for x in rows) == sorted(public)
    # the filters travel with the links
    kenya = httpx.get(server + "/queries/outcomes", params={"country": "KE", "limit": 1}).json()
    assert "country=KE" in kenya["next"] and "limit=1" in kenya["next"] and "offset=1" in kenya["next"]
    # CSV pages the same way when asked for a page; without limit it is the whole answer (a download)
    whole = httpx.get(server + "/queries/outcomes", params={"format": "csv"})
    assert len(whole.text.strip().splitlines()) == len(public) + 1 and "link" not in whole.headers
    first = httpx.get(server + "/queries/outcomes", params={"format": "csv", "limit": 2})
    assert len(first.text.strip().splitlines()) == 3 and 'rel="next"' in first.headers["link"]
    assert first.text.splitlines()[1:3] == whole.text.splitlines()[1:3]
    # a page is at most the server's row cap
    assert httpx.get(server + "/queries/outcomes", params={"limit": 10_001}).json()["error"] == "limit_too_large"


def test_named_query_pages_stay_under_the_row_cap(fresh_corpus_store):
    """With a row cap below the default page, the default page is the cap, and a larger limit is refused."""
    with TestClient(create_app(fresh_corpus_store, result_cap=3)) as c:
        page = c.get("/queries/outcomes").json()
        assert page["limit"] == 3 and len(page["rows"]) == 3 and page["next"] == "/queries/outcomes?offset=3"
        assert c.get("/queries/outcomes", params={"limit": 4}).json()["error"] == "limit_too_large"
        assert c.get("/queries/outcomes", params={"format": "csv"}).json()["error"] == "result_too_large"


def test_named_query_without_its_required_parameter_is_refused_at_once(server):
    """Queries that list the whole portfolio without their parameter say which one is missing (400), and
    run with it."""
    listed = {q["name"]: q for q in httpx.get(server + "/queries").json()}
    for name in ("contributors_of_outcome", "fragment_record", "outcomes_of_actor"):
        (param,) = [p["name"] for p in listed[name]["params"] if p["required"]]
        for params in ({}, {param: ""}, {param: "  ", "format": "csv"}):
            r = httpx.get(f"{server}/queries/{name}", params=params)
            assert r.status_code == 400 and r.json()["error"] == "missing_parameter", (name, params, r.text)
            assert repr(param) in r.json()["message"] and f"harvestgraph query {name}" in r.json()["message"]
    assert not any(p["required"] for p in listed["outcomes"]["params"])
    one = httpx.get(server + "/queries/fragment_record", params={"fragment": "SCC-KEN2508/CIV008"})
    assert one.status_code == 200 and len(one.json()["rows"]) == 1
    page = httpx.get(server + "/queries/fragment_record", params={"run": 1}, headers={"Accept": "text/html"})
    assert page.status_code == 400 and "fragment" in page.text


def test_answers_are_sent_gzipped_to_clients_that_accept_it(server):
    """The cached body is compressed once; a client that accepts gzip gets it with Content-Encoding and its
    own ETag (both validators revalidate), a client that does not gets the plain bytes."""
    with httpx.Client(base_url=server, headers={"Accept-Encoding": "identity"}) as plain_client:
        plain = plain_client.get("/queries/outcomes")
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    with httpx.Client(base_url=server) as http:  # httpx asks for gzip and decodes it
        gz = http.get("/queries/outcomes", headers={"Accept-Encoding": "gzip"})
        assert gz.headers["content-encoding"] == "gzip" and "Accept-Encoding" in gz.headers["vary"]
        assert gz.json() == plain.json() and gz.headers["etag"] != plain.headers["etag"]
        assert int(gz.headers["content-length"]) < len(plain.content) / 3
        for tag in (gz.headers["etag"], plain.headers["etag"]):
            assert http.get("/queries/outcomes", headers={"If-None-Match": tag}).status_code == 304
        no = http.get("/queries/outcomes", headers={"Accept-Encoding": "gzip;q=0, identity"})
        assert "content-encoding" not in no.headers and no.content == plain.content
        small = http.get("/queries/contribution_split", headers={"Accept-Encoding": "gzip"})
        assert small.status_code == 200 and "content-encoding" not in small.headers  # under 1 KB: as it is
        q = ("PREFIX hg: <https://w3id.org/harvestgraph/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
             "SELECT ?o ?id WHERE { ?o a hg:Outcome ; dcterms:identifier ?id } ORDER BY ?id LIMIT 20")
        sparql = http.get("/sparql", params={"query": q}, headers={"Accept-Encoding": "gzip"}, timeout=120)
        assert sparql.headers["content-encoding"] == "gzip" and len(sparql.json()["results"]["bindings"]) == 20


@pytest.mark.parametrize("header, gzip", [("gzip", True), ("gzip, deflate, br", True), ("deflate", False),
                                          (None, False), ("", False), ("*", True), ("gzip;q=0", False),
                                          ("*;q=0.5, gzip;q=0", False), ("identity, *;q=0", False),
                                          ("GZIP;Q=0.3", True), ("x-gzip", True), ("gzip;q=zero", False)])
def test_accept_encoding(header, gzip):
    from harvestgraph.api.sparql import accepts_gzip

    assert accepts_gzip(header) is gzip


def test_named_query_errors(server):
    assert httpx.get(server + "/queries/nope").status_code == 404
    bad = httpx.get(server + "/queries/outcomes", params={"country": "Atlantis"})
    assert bad.status_code == 400 and "country" in bad.json()["message"]
    assert httpx.get(server + "/queries/outcomes", params={"colour": "red"}).status_code == 400
    evil = httpx.get(server + "/queries/outcomes", params={"objective": '" } ; DROP ALL ; #'})
    assert evil.status_code == 200 and evil.json()["rows"] == []


# --------------------------------------------------------------------------- outcomes


def _all_pages(base: str, path: str, **params) -> list[dict]:
    items, url, params = [], base + path, {**params, "limit": 7}
    while url:
        body = httpx.get(url, params=params).json()
        items.extend(body["items"])
        url, params = (base + body["next"], None) if body["next"] else (None, None)
    return items


def test_outcomes_paging_covers_every_visible_outcome_once(server, public):
    items = _all_pages(server, "/outcomes")
    assert sorted(i["id"] for i in items) == sorted(public)
    assert len(items) == len({i["id"] for i in items})
    for i in items:
        assert i["country"] == public[i["id"]].country and i["year"] == public[i["id"]].year


@pytest.mark.parametrize("params, keep", [
    ({"country": "UG"}, lambda r: r.country == "UG"),
    ({"year": 2024}, lambda r: r.year == 2024),
    ({"programme": "VOICE"}, lambda r: r.programme == "VOICE"),
    ({"objective": "GOV"}, lambda r: any(n == "GOV" for n, _ in r.objectives)),
    ({"type_of_change": "Practice change", "country": "KE"},
     lambda r: r.country == "KE" and "practice change" in [t.lower() for t in r.types_of_change]),
])
def test_outcome_filters(server, public, params, keep):
    got = sorted(i["id"] for i in _all_pages(server, "/outcomes", **params))
    want = sorted(k for k, r in public.items() if keep(r))
    assert want and got == want


def test_outcome_detail(server, public):
    fid = sorted(public)[0]
    r = httpx.get(server + "/outcomes/" + quote(fid, safe=""))
    assert r.status_code == 200
    body = r.json()
    assert body["id"] == fid and body["iri"] == str(outcome_iri(fid))
    raw = {f["canonicalField"]: f["rawValue"].strip() for f in body["fields"] if f.get("canonicalField")}
    for key, value in public[fid].fields.items():
        if not key.startswith("?") and value.strip():
            assert raw.get(key) == value.strip(), key
    if public[fid].programme_contributed:
        assert any(c["isProgramme"] == "true" for c in body["contributors"])


def test_confidential_outcome_is_404_for_anonymous(server, secret):
    listed = {i["id"] for i in _all_pages(server, "/outcomes")}
    for fid in secret:
        assert httpx.get(server + "/outcomes/" + quote(fid, safe="")).status_code == 404
        assert httpx.get(server + "/id/outcome/" + quote(fid, safe="-._~")).status_code == 404
        assert fid not in listed


def test_confidential_reader_sees_confidential_outcomes(client, secret):
    c, app, _ = client
    app.dependency_overrides[get_reader] = lambda: Reader("analyst", "confidential")
    try:
        assert c.get("/outcomes/" + quote(secret[0], safe="")).status_code == 200
    finally:
        app.dependency_overrides.clear()
    assert c.get("/outcomes/" + quote(secret[0], safe="")).status_code == 404


# --------------------------------------------------------------------------- actors


@pytest.fixture(scope="module")
def facts(corpus_store):
    return ex.triples(corpus_store, corpus_store.visible_graphs(confidential=False))


def test_actors_paging_and_counts(server, facts):
    changed = ex.objects(facts, str(HG.changedActor))
    contributed = ex.objects(facts, str(HG.hasContributor))
    want: dict[str, tuple[int, int]] = {}
    for o, actors in changed.items():
        for a in actors:
            want[a] = (want.get(a, (0, 0))[0] + 1, want.get(a, (0, 0))[1])
    for o, actors in contributed.items():
        for a in actors:
            want[a] = (want.get(a, (0, 0))[0], want.get(a, (0, 0))[1] + 1)
    items = _all_pages(server, "/actors")
    assert {i["iri"]: (i["changed_in"], i["contributed_to"]) for i in items} == want


def test_actor_filters(server):
    everyone = _all_pages(server, "/actors")
    programmes = _all_pages(server, "/actors", kind="programme")
    assert programmes and {i["iri"] for i in programmes} == {i["iri"] for i in everyone if i["kind"] == "programme"}
    some = everyone[0]["name"][:4].lower()
    hits = _all_pages(server, "/actors", q=some.upper())
    assert hits and {i["iri"] for i in hits} == {i["iri"] for i in everyone if some in (i["name"] or "").lower()}


def _outcomes_by_contributor(facts) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(outcome → its contributors, contributor → its outcomes) from the stored triples."""
    contributed = ex.objects(facts, str(HG.hasContributor))
    by_actor: dict[str, set[str]] = {}
    for o, actors in contributed.items():
        for a in actors:
            by_actor.setdefault(a, set()).add(o)
    return contributed, by_actor


def test_actor_detail(server, facts):
    contributed, by_actor = _outcomes_by_contributor(facts)
    actor = max((a for a in by_actor if "/actor/" in a), key=lambda a: len(by_actor[a]))
    slug = actor.rsplit("/", 1)[1]
    # the first answer waits for the reader scope's list index (built once, in a query worker)
    body = httpx.get(server + "/actors/" + slug, timeout=120).json()
    assert body["iri"] == actor
    assert {o["iri"] for o in body["contributed_to"]} == by_actor[actor]
    partners = {p["iri"] for p in body["contributed_with"]}
    assert partners == {b for o in by_actor[actor] for b in contributed[o]} - {actor}
    assert body["contributed_to_total"] == len(by_actor[actor]) and body["next"] is None
    assert httpx.get(server + "/actors/no-such-actor-anywhere").status_code == 404


def test_actor_detail_pages_through_its_outcomes(server, facts):
    """The lists come a page at a time (newest year first), with the totals; the pages add up to the whole."""
    _, by_actor = _outcomes_by_contributor(facts)
    actor = max(by_actor, key=lambda a: len(by_actor[a]))  # the programme, most likely: the busiest
    assert len(by_actor[actor]) > 2
    url, seen, years = server + "/actors/" + actor.rsplit("/", 1)[1] + "?limit=2", [], []
    while url:
        body = httpx.get(url, timeout=120).json()
        assert len(body["contributed_to"]) <= 2 and body["contributed_to_total"] == len(by_actor[actor])
        seen += [o["iri"] for o in body["contributed_to"]]
        years += [int(o["year"] or 0) for o in body["contributed_to"]]
        url = server + body["next"] if body["next"] else None
    assert len(seen) == len(set(seen)) and set(seen) == by_actor[actor]
    assert years == sorted(years, reverse=True)
    assert httpx.get(server + "/actors/x?limit=0").status_code == 422


# --------------------------------------------------------------------------- linked data


def test_id_content_negotiation(server, public):
    fid = sorted(public)[0]
    iri = str(outcome_iri(fid))
    path = "/id/" + iri.split("/id/", 1)[1]
    html = httpx.get(server + path, headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in html.headers["content-security-policy"]
    assert html.headers["x-content-type-options"] == "nosniff"
    assert "<script" not in html.text and "http://" not in html.text.split("<main>")[0]
    assert fid in html.text
    ttl = httpx.get(server + path, headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=ttl.text, format="turtle")
    assert str(g.value(rdflib.URIRef(iri), rdflib.DCTERMS.identifier)) == fid
    jl = httpx.get(server + path, headers={"Accept": "application/ld+json"})
    assert jl.headers["content-type"].startswith("application/ld+json")
    g2 = rdflib.Graph().parse(data=jl.text, format="json-ld")
    from rdflib.compare import isomorphic

    assert isomorphic(g, g2)
    assert httpx.get(server + "/id/outcome/nothing-here", headers={"Accept": "text/turtle"}).status_code == 404


def test_html_is_escaped(client):
    c, _, store = client
    g = ox.NamedNode(str(fragment_graph("XSS-1")))
    node = ox.NamedNode(str(actor_iri("evil")))
    store.write([], [ox.Quad(g, ox.NamedNode(str(HG.contentHash)), ox.Literal("x"), g),
                     ox.Quad(ox.NamedNode("https://w3id.org/harvestgraph/id/fragment/XSS-1"),
                             ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(str(HG.Fragment)), g),
                     ox.Quad(node, ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
                             ox.Literal("<script>alert(1)</script>"), g)])
    r = c.get("/id/actor/evil", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.text and "&lt;script&gt;" in r.text


# --------------------------------------------------------------------------- security and OpenAPI


def test_cors_is_closed_by_default(server):
    r = httpx.get(server + "/outcomes", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    pre = httpx.options(server + "/sparql", headers={"Origin": "https://evil.example",
                                                      "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in pre.headers
    assert r.headers["x-content-type-options"] == "nosniff"


def test_no_cdn_docs_page(server):
    assert httpx.get(server + "/docs").status_code == 404


def test_openapi_is_complete(server):
    spec = httpx.get(server + "/openapi.json").json()
    paths = spec["paths"]
    mine = ("/sparql", "/queries", "/queries/{name}", "/outcomes", "/outcomes/{fragment_id}", "/actors",
            "/actors/{slug}", "/id/{path}")
    for route in mine:
        assert route in paths, route
    for path, ops in ((p, paths[p]) for p in mine):
        for method, op in ops.items():
            assert op.get("tags"), (path, method)
            for p in op.get("parameters", []):
                assert p.get("description"), (path, method, p["name"])
    json.dumps(spec)


@pytest.mark.remote
def test_serve_a_remote_store(remote_corpus_store, public, secret):  # noqa: F811
    """``harvestgraph serve --store http://...``: the same API over an Oxigraph server (no lock to share)."""
    proc, base = start_serve(remote_corpus_store.location)
    try:
        assert sorted(i["id"] for i in _all_pages(base, "/outcomes")) == sorted(public)
        assert httpx.get(base + "/outcomes/" + quote(secret[0], safe="")).status_code == 404
        r = httpx.get(base + "/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"})
        assert {b["g"]["value"] for b in r.json()["results"]["bindings"]} == \
            set(remote_corpus_store.visible_graphs(confidential=False))
    finally:
        stop(proc)
