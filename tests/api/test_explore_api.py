"""The workbench's JSON routes (/explore/api/...) over real HTTP against ``harvestgraph serve`` on the sample
corpus: facets, each filter and their AND, summary/cluster views, focus 1-3 steps, path tracing, node
details with evidence, search, bad state answered 400 with a message, and the reader's role respected
exactly (the expected values come from the input files or from the library's own analysis of each
reader's graphs, never from the routes under test)."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import networkx as nx
import pytest

from tests.remote_server import start_serve, stop
from harvestgraph.network.analyse import analyse
from harvestgraph.network.explore import Explorer, Selection, key_of, summary


@pytest.fixture(scope="module")
def server(corpus_store_path, reader_tokens):
    proc, base = start_serve(corpus_store_path, "--read-only", "--users", str(reader_tokens[0]))
    yield base
    stop(proc)


@pytest.fixture(scope="module")
def analyses(corpus_store):
    """The library's own analysis of each scope (what the routes must agree with)."""
    return {scope: analyse(corpus_store, graphs=corpus_store.visible_graphs(confidential=scope))
            for scope in (False, True)}


def get(base: str, path: str, token: str | None = None, **params) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.get(base + path, params=params, headers=headers, timeout=60)


def outcome_ids(view: dict) -> set[str]:
    return {n["label"] for n in view["nodes"] if n["kind"] == "outcome"}


def test_facets_list_what_the_reader_may_see(server, public):
    body = get(server, "/explore/api/facets").json()
    facets = {f["name"]: {v["value"]: v["count"] for v in f["values"]} for f in body["facets"]}
    expected_countries = {}
    for r in public.values():
        if r.country:
            expected_countries[r.country] = expected_countries.get(r.country, 0) + 1
    assert facets["country"] == expected_countries
    programmes = {}
    for r in public.values():
        programmes[r.programme] = programmes.get(r.programme, 0) + 1
    assert facets["programme"] == programmes
    assert body["outcomes"] == len(public)
    assert body["years"] == sorted({r.year for r in public.values() if r.year})


def test_whole_network_is_the_analysed_network(server, analyses):
    view = get(server, "/explore/api/view").json()
    g = analyses[False].graph
    assert view["mode"] == "all"  # the sample corpus is small enough to draw whole
    assert {n["id"] for n in view["nodes"]} == {key_of(n) for n in g}
    assert len(view["edges"]) == g.number_of_edges()
    assert {n["id"]: n["community"] for n in view["nodes"]} == {key_of(n): m["community"] for n, m in analyses[False].measures.items()}


@pytest.mark.parametrize("facet,value,pick", [
    ("country", "KE", lambda r: r.country == "KE"),
    ("programme", "SCC", lambda r: r.programme == "SCC"),
    ("objective", "CIV", lambda r: any(code == "CIV" for code, _ in r.objectives)),
    ("significance", "large", lambda r: r.significance == "large"),
    ("contribution", "partial", lambda r: r.contribution == "partial"),
])
def test_each_filter_selects_the_outcomes_of_the_input_files(server, public, facet, value, pick):
    view = get(server, "/explore/api/view", **{facet: value}).json()
    expected = {rid for rid, r in public.items() if pick(r)}
    assert expected, "the corpus must hold such an outcome, or the test could not fail"
    assert outcome_ids(view) == expected


def test_type_of_change_harvest_and_years(server, public):
    facets = {f["name"]: f["values"] for f in get(server, "/explore/api/facets").json()["facets"]}
    policy = next(v for v in facets["type"] if v["label"].lower() == "policy change")
    view = get(server, "/explore/api/view", type=policy["value"]).json()
    assert outcome_ids(view) == {rid for rid, r in public.items()
                                 if any(t.lower() == "policy change" for t in r.types_of_change)}
    view = get(server, "/explore/api/view", year_from="2025", year_to="2025").json()
    assert outcome_ids(view) == {rid for rid, r in public.items() if r.year == 2025}
    harvest = facets["harvest"][0]
    view = get(server, "/explore/api/view", harvest=harvest["value"]).json()
    assert len(outcome_ids(view)) == harvest["count"] > 0


def test_filters_combine_with_and(server, public, analyses):
    view = get(server, "/explore/api/view", programme="SCC", country="KE").json()
    assert outcome_ids(view) == {rid for rid, r in public.items() if r.programme == "SCC" and r.country == "KE"}
    # actor kind: only outcomes with a government actor, and of the actors only the governments
    view = get(server, "/explore/api/view", kind="government", programme="SCC").json()
    g = analyses[False].graph
    kinds = {n["kind"] for n in view["nodes"]} - {"outcome", "objective"}
    assert kinds == {"government"}
    for n in view["nodes"]:
        if n["kind"] == "outcome":
            iri = next(x for x in g if key_of(x) == n["id"])
            assert any(g.nodes[v]["kind"] == "government" for v in g[iri])


def test_focus_one_two_three_steps(server, analyses):
    g = analyses[False].graph
    actor = max((n for n, k in g.nodes(data="kind") if k not in ("outcome", "objective")), key=g.degree)
    for depth in (1, 2, 3):
        view = get(server, "/explore/api/view", focus=key_of(actor), depth=str(depth)).json()
        within = nx.single_source_shortest_path_length(g, actor, cutoff=depth)
        assert view["mode"] == "focus"
        assert {n["id"]: n["hop"] for n in view["nodes"]} == {key_of(n): h for n, h in within.items()}
    same = get(server, "/explore/api/neighbourhood", node=key_of(actor), depth=2).json()
    assert {n["id"] for n in same["nodes"]} == {key_of(n) for n in nx.single_source_shortest_path_length(g, actor, cutoff=2)}


def test_trace_paths_from_the_programme(server, analyses, public):
    g = analyses[False].graph
    view = get(server, "/explore/api/paths", node="programme/SCC").json()
    ids = {n["id"] for n in view["nodes"]}
    contributed = {key_of(v) for v in g[next(n for n in g if key_of(n) == "programme/SCC")]
                   if g.nodes[v]["kind"] == "outcome"}
    assert contributed and contributed <= ids
    # every builds-on partner of a traced outcome is on the paths too
    chains = {(key_of(e[0]), key_of(e[1])) for e in g.edges if g.edges[e]["relation"] == "builds_on"}
    for a, b in chains:
        if a in ids or b in ids:
            assert {a, b} <= ids
    hops = {n["id"]: n["hop"] for n in view["nodes"]}
    assert hops["programme/SCC"] == 0 and all(hops[o] == 1 for o in contributed)


def test_node_details_carry_the_evidence(server, public):
    rid, rec = next((rid, r) for rid, r in sorted(public.items())
                    if r.programme == "SCC" and r.programme_contributed)
    body = get(server, "/explore/api/node", node="outcome/" + quote(rid, safe="")).json()
    fields = dict(map(tuple, body["fields"]))
    assert " ".join(fields["Outcome"].split()) == " ".join(rec.text("outcome_description").split())
    assert body["node"]["href"] == "/id/outcome/" + quote(rid, safe="")
    prog = get(server, "/explore/api/node", node="programme/SCC").json()
    texts = {" ".join(link["text"].split()) for link in prog["links"]}
    assert " ".join(rec.text("contribution_programme").split()) in texts


def test_search_suggests_by_name_and_id(server, public):
    hits = get(server, "/explore/api/search", q="defenddef").json()
    assert hits and hits[0]["label"].lower().startswith("defenddef")
    rid = sorted(public)[0]
    assert rid in [h["label"] for h in get(server, "/explore/api/search", q=rid.lower()).json()]


@pytest.mark.parametrize("params,field", [
    ({"country": "ZZ"}, "country"), ({"depth": "9", "focus": "programme/SCC"}, "depth"),
    ({"year_from": "twenty"}, "year_from"), ({"colour": "<b>"}, "colour"), ({"expand": "1;drop"}, "expand"),
    ({"focus": "actor/nobody-at-all"}, "focus"), ({"kind": "robot"}, "kind"),
])
def test_bad_state_is_a_400_with_a_message(server, params, field):
    r = get(server, "/explore/api/view", **params)
    assert r.status_code == 400
    body = r.json()
    assert body["field"] == field and body["message"]
    page = get(server, "/explore", **params)
    # the page names what is wrong (escaped) and still loads; syntax is checked there, values by the API
    assert page.status_code in (200, 400) and page.headers["content-type"].startswith("text/html")
    assert "<b>" not in page.text.split("<main>", 1)[-1]


def test_summary_collapses_communities_into_clusters(analyses, monkeypatch):
    """The summary of a network bigger than ALL_INDIVIDUAL (forced small here): clusters carry the size of
    what they hide, and every node of the selection is either drawn or counted in exactly one cluster."""
    import harvestgraph.network.explore as explore

    monkeypatch.setattr(explore, "ALL_INDIVIDUAL", 10)
    monkeypatch.setattr(explore, "SHOWCASE", 5)
    monkeypatch.setattr(explore, "MAX_CLUSTERS", 1000)
    exp = Explorer(analyses[False])
    kept = exp.select(Selection())
    v = summary(exp, kept)
    assert v.mode == "summary"
    drawn = [n for n in v.nodes if n.kind != "cluster"]
    clusters = [n for n in v.nodes if n.kind == "cluster"]
    assert len(drawn) == 5 and clusters
    assert len(drawn) + sum(c.size for c in clusters) == len(kept)
    top = sorted(kept, key=lambda n: -exp.pagerank[n])[:5]
    assert {n.id for n in drawn} == {key_of(n) for n in top}
    opened = summary(exp, kept, (clusters[0].community,))
    assert f"c:{clusters[0].community}" not in {n.id for n in opened.nodes}
    members = {key_of(n) for n in exp.members[clusters[0].community]}
    assert members <= {n.id for n in opened.nodes}


def test_confidential_nodes_only_for_the_confidential_role(server, reader_tokens, analyses, records):
    secret_ids = {rid for rid, r in records.items() if r.confidential}
    hidden = {key_of(n) for n in set(analyses[True].graph) - set(analyses[False].graph)}
    hidden_labels = {analyses[True].graph.nodes[n]["label"] for n in set(analyses[True].graph) - set(analyses[False].graph)}
    assert secret_ids and hidden, "the corpus must hold confidential outcomes, or this test could not fail"
    texts = {e.text for e in analyses[True].data.edges if e.outcome not in analyses[False].data.outcomes and e.text}
    texts |= {o.description for i, o in analyses[True].data.outcomes.items() if i not in analyses[False].data.outcomes}
    _, tok = reader_tokens
    for token, sees in ((None, False), (tok["reader"], False), (tok["confidential"], True)):
        bodies = [get(server, "/explore/api/view", token).text,
                  get(server, "/explore/api/facets", token).text,
                  get(server, "/explore/api/paths", token, node="programme/SCC").text,
                  get(server, "/explore/api/node", token, node="programme/SCC").text]
        for label in sorted(hidden_labels)[:20]:
            bodies.append(get(server, "/explore/api/search", token, q=label).text)
        view = get(server, "/explore/api/view", token).json()
        ids = {n["id"] for n in view["nodes"]}
        if sees:
            assert hidden <= ids
            assert secret_ids <= outcome_ids(view)
            assert get(server, "/explore/api/node", token, node=sorted(hidden)[0]).status_code == 200
        else:
            assert not hidden & ids and not secret_ids & outcome_ids(view)
            joined = "\n".join(bodies)
            for rid in secret_ids:
                assert rid not in joined and quote(rid, safe="") not in joined
            for key in hidden:
                assert f'"{key}"' not in joined
            for text in texts:
                assert text[:60] not in joined
            for key in sorted(hidden)[:10]:
                r = get(server, "/explore/api/node", token, node=key)
                assert r.status_code == 400  # as unknown as a node that never existed


def test_confidential_outcomes_are_marked_for_the_confidential_role(server, reader_tokens, secret):
    """The confidential role's workbench flags each confidential outcome (every other node unflagged), in
    the views, the details, the search and the paths, so that the page can mark it; no one else's JSON
    flags anything (it holds no confidential outcome at all)."""
    _, tok = reader_tokens
    view = get(server, "/explore/api/view", tok["confidential"]).json()
    marked = {n["label"] for n in view["nodes"] if n["confidential"]}
    assert secret and marked == set(secret)
    assert all(n["kind"] == "outcome" for n in view["nodes"] if n["confidential"])
    key = next(n["id"] for n in view["nodes"] if n["label"] == secret[0])
    assert get(server, "/explore/api/node", tok["confidential"], node=key).json()["node"]["confidential"] is True
    hits = get(server, "/explore/api/search", tok["confidential"], q=secret[0]).json()
    assert [h["confidential"] for h in hits if h["label"] == secret[0]] == [True]
    paths = get(server, "/explore/api/paths", tok["confidential"], node="programme/SCC").json()
    assert {n["label"] for n in paths["nodes"] if n["confidential"]} == {n["label"] for n in paths["nodes"]} & set(secret)
    for token in (None, tok["reader"]):
        nodes = get(server, "/explore/api/view", token).json()["nodes"]
        assert nodes and not any(n["confidential"] for n in nodes)


def test_unknown_token_is_refused(server):
    assert get(server, "/explore/api/view", "hg_not-a-token").status_code == 401


def test_selection_and_views_with_hubs():
    """On a synthetic network of 2,000 outcomes and 40 actors (hubs with hundreds of outcomes each): a selection is the
    outcomes matching plus their neighbours, as networkx says; the summary collapses communities and
    accounts for every node; a focus is the BFS ball."""
    from tests.network.test_analyse import synthetic_analysis

    from harvestgraph.network.explore import neighbourhood

    a = synthetic_analysis(2000, 40)
    g = a.graph
    assert max(g.degree(n) for n in g if g.nodes[n]["kind"] != "outcome") > 300  # a hub past 8-bit counts
    exp = Explorer(a)
    everything = exp.select(Selection())
    assert everything == frozenset(g)
    sel = exp.select(Selection(year_from=2023, year_to=2024))
    outs = {n for n in g if g.nodes[n]["kind"] == "outcome" and 2023 <= g.nodes[n]["year"] <= 2024}
    assert sel == frozenset(outs | {v for o in outs for v in g[o] if g.nodes[v]["kind"] != "outcome"})
    v = summary(exp, sel)
    assert v.mode == "summary"
    assert sum(n.size for n in v.nodes) == len(sel)
    assert len(v.nodes) <= 100
    hub = max(sel, key=lambda n: (g.degree(n), n))
    f = neighbourhood(exp, sel, key_of(hub), 1)
    assert f.matched == 1 + sum(1 for x in g[hub] if x in sel) and len(f.nodes) <= 300


def test_json_put_in_the_page_cannot_end_its_script_element():
    """The first view goes inside <script type="application/json">: a label holding </script> or an
    entity must stay data (no <, > or & left), and parse back to the same JSON."""
    import json

    from harvestgraph.api.routes_explore import _data_block

    data = {"label": "</script><script>alert(1)</script> &amp; <!-- x", "n": 1}
    block = str(_data_block(json.dumps(data).encode()))
    assert not set("<>&") & set(block)
    assert json.loads(block) == data


def test_warm_is_single_flight_and_builds_once_more_after_saves_during_a_build(monkeypatch):
    """api.warm.warm: a call while a build is under way joins it and asks for exactly one more build
    after it, however many calls came (the writes of serve --watch each call it)."""
    import asyncio
    from types import SimpleNamespace

    from harvestgraph.api import warm

    monkeypatch.setattr(warm, "warm_queries", lambda: [])  # the network's build alone (the named queries: test_api_warm)

    class Cache:  # counts the builds; each takes a while, like a real one
        def __init__(self):
            self.builds, self.running = 0, 0

        async def get(self, request, reader):
            self.running += 1
            assert self.running == 1, "two builds at once"
            await asyncio.sleep(0.05)
            self.builds += 1
            self.running -= 1

    async def main():
        app = SimpleNamespace(state=SimpleNamespace(explorer_cache=Cache(), users_path=None))
        first = warm.warm(app)
        joined = [warm.warm(app) for _ in range(5)]  # five saves during the first build
        assert all(t is first for t in joined)
        await first
        await asyncio.sleep(0)  # the first build's done-callback starts the next one
        second = app.state.warming
        assert second is not first
        await second
        await asyncio.sleep(0)
        assert app.state.warming is second  # and no third
        assert app.state.explorer_cache.builds == 2  # the first, and one more for all five saves
        await warm.warm(app)  # a call when nothing runs builds at once, once
        assert app.state.explorer_cache.builds == 3

    asyncio.run(main())


def test_page_says_when_the_workbench_script_is_not_installed(fresh_corpus_store, tmp_path, monkeypatch):
    """A tree set up without `make setup` has no built workbench script: /explore says so, names the fix and
    links to the pages that work without it (503), instead of "Loading the network…" for ever."""
    from fastapi.testclient import TestClient

    from harvestgraph.api import routes_explore
    from harvestgraph.api.app import create_app

    with TestClient(create_app(fresh_corpus_store)) as c:
        ok = c.get("/explore", headers={"Accept": "text/html"})
        assert ok.status_code == 200 and "Loading the network" in ok.text and "make setup" not in ok.text
        monkeypatch.setattr(routes_explore, "BUNDLE", tmp_path / "explore.bundle.js")
        page = c.get("/explore", headers={"Accept": "text/html"})
    assert page.status_code == 503
    assert "/static/vendor/explore.bundle.js is not installed" in page.text and "make setup" in page.text
    assert 'href="/outcomes"' in page.text and "Loading the network" not in page.text
