"""The contribution network (graph/network/analyse.py) against answers computed independently: outcome sets from the
input files (tests/expected.py), contributor links from the raw triples, measures from networkx directly."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from itertools import combinations

import networkx as nx
import pytest

from harvestgraph.network.analyse import (Filters, actor_summary, analyse, chains, co_contribution, community_summary,
                                  contribution_rows, rating_rank, significance_contribution)
from harvestgraph.errors import HarvestError
from harvestgraph.vocab import HG, outcome_iri

from tests import expected as ex

RANK = {"small": 1, "partial": 2, "moderate": 2, "medium": 2, "large": 3}


@pytest.fixture(scope="module")
def records(examples_dir):
    return ex.visible(ex.corpus(examples_dir))


@pytest.fixture(scope="module")
def public(corpus_store):
    return corpus_store.visible_graphs(confidential=False)


@pytest.fixture(scope="module")
def full(corpus_store, public):
    return analyse(corpus_store, Filters(), graphs=public)


@pytest.fixture(scope="module")
def facts(corpus_store, public):
    return ex.triples(corpus_store, public)


def ids(a) -> set[str]:
    return {o.id for o in a.data.outcomes.values()}


def test_all_public_outcomes_and_nothing_confidential(full, records, examples_dir):
    everything = ex.corpus(examples_dir)
    assert ids(full) == set(records)
    secret = set(everything) - set(records)
    assert secret, "the sample corpus should have confidential fragments"
    labels = {d.get("label") for _, d in full.graph.nodes(data=True)} | {d.get("description") for _, d in full.graph.nodes(data=True)}
    assert not secret & ids(full)
    for rid in secret:  # their descriptions appear nowhere in the public network
        desc = everything[rid].text("outcome_description")
        assert desc and desc not in labels


def test_confidential_reader_sees_all(corpus_store, examples_dir):
    a = analyse(corpus_store, Filters(), graphs=corpus_store.visible_graphs(confidential=True))
    assert ids(a) == set(ex.corpus(examples_dir))


@pytest.mark.parametrize("filters, keep", [
    (Filters(country="KE"), lambda r: "KE" in r.countries),
    (Filters(country="Uganda"), lambda r: "UG" in r.countries),
    (Filters(year_from=2025), lambda r: r.year is not None and r.year >= 2025),
    (Filters(year_from=2023, year_to=2024), lambda r: r.year is not None and 2023 <= r.year <= 2024),
    (Filters(programme="SCC"), lambda r: r.programme == "SCC"),
    (Filters(objective="CIV"), lambda r: any(n == "CIV" for n, _ in r.objectives)),
    (Filters(objective="gender justice"), lambda r: any(lbl.lower() == "gender justice" for _, lbl in r.objectives)),
    (Filters(harvest="harvest 3"), lambda r: (r.harvest or "").lower() == "harvest 3"),
    (Filters(min_rating=2), lambda r: RANK.get(r.contribution or "", 1) >= 2),
    (Filters(min_rating="large"), lambda r: r.contribution == "large"),
    (Filters(type="Policy change"), lambda r: "policy change" in {t.lower() for t in r.types_of_change}),
    (Filters(country="KE", min_rating=2, year_from=2025),
     lambda r: "KE" in r.countries and RANK.get(r.contribution or "", 1) >= 2 and (r.year or 0) >= 2025),
])
def test_filters_select_the_expected_outcomes(corpus_store, public, records, filters, keep):
    a = analyse(corpus_store, filters, graphs=public)
    expected = {rid for rid, r in records.items() if keep(r)}
    assert expected, f"the corpus should have outcomes for {filters}"
    assert ids(a) == expected, filters.describe()
    outcome_nodes = {n for n, k in a.graph.nodes(data="kind") if k == "outcome"}
    assert outcome_nodes == {str(outcome_iri(i)) for i in expected}


def test_hostile_filter_values_are_inert(corpus_store, public):
    for value in ['") } ; DROP ALL ; #', "CIV' || true || '", "<http://evil>"]:
        assert ids(analyse(corpus_store, Filters(objective=value, harvest=value), graphs=public)) == set()
    with pytest.raises(HarvestError):
        analyse(corpus_store, Filters(country="Atlantis"), graphs=public)
    with pytest.raises(HarvestError):
        rating_rank("huge")


def test_edges_match_the_triples(full, facts):
    contributors = ex.objects(facts, str(HG.hasContributor))
    changed = ex.objects(facts, str(HG.changedActor))
    got = {"contributed": defaultdict(set), "changed": defaultdict(set)}
    for e in full.data.edges:
        if e.relation in got:
            got[e.relation][e.outcome].add(e.target)
    got_contrib, got_changed = got["contributed"], got["changed"]
    assert dict(got_contrib) == contributors
    assert dict(got_changed) == changed
    assert sum(len(v) for v in changed.values()) > 0, "actor extraction should find changed actors"
    # every link is an edge of the network, weighted by the rating rank of contributions
    for e in full.data.contributions():
        attrs = full.graph.edges[e.outcome, e.target]
        assert attrs["relation"] == "contributed"
        assert attrs["weight"] == (e.rank if e.rating else 1)


def test_programme_only_split(corpus_store, public, full, records):
    prog = analyse(corpus_store, Filters(programme_only=True), graphs=public)
    other = analyse(corpus_store, Filters(programme_only=False), graphs=public)
    assert all(e.is_programme for e in prog.data.contributions())
    assert not any(e.is_programme for e in other.data.contributions())
    assert len(prog.data.contributions()) + len(other.data.contributions()) == len(full.data.contributions())
    # the programme contributed to exactly the outcomes whose "Contribution of the programme" says so
    assert {prog.data.outcomes[e.outcome].id for e in prog.data.contributions()} == \
        {rid for rid, r in records.items() if r.programme_contributed}


def test_measures_agree_with_networkx(full):
    g = full.graph
    pr = nx.pagerank(g, weight="weight") if _has_scipy() else None
    for node, m in full.measures.items():
        assert m["degree"] == g.degree(node)
        assert m["weighted_degree"] == sum(d["weight"] for *_, d in g.edges(node, data=True))
        if pr:
            assert m["pagerank"] == pytest.approx(pr[node], abs=1e-5)
    assert abs(sum(m["pagerank"] for m in full.measures.values()) - 1) < 1e-3
    exact = nx.betweenness_centrality(g, normalized=True)
    assert all(full.measures[n]["betweenness"] == pytest.approx(exact[n], abs=1e-5) for n in g)
    assert len({m["component"] for m in full.measures.values()}) == nx.number_connected_components(g)
    # communities: a partition, reproducible (fixed seed)
    again = analyse_again(full)
    assert {n: m["community"] for n, m in full.measures.items()} == again
    summary = community_summary(full)
    assert sum(r["nodes"] for r in summary) == g.number_of_nodes()


def awkward_graph() -> nx.Graph:
    """64 nodes: a random part, a second component, an isolated node and a self-loop."""
    g = nx.relabel_nodes(nx.gnm_random_graph(60, 100, seed=5), lambda i: f"n{i}")
    g.add_edges_from([("x1", "x2"), ("x2", "x3"), ("n1", "n1")])
    g.add_node("lonely")
    return g


@pytest.mark.parametrize("k", [None, 1, 9, 60])
def test_betweenness_equals_networkx(k):
    """The vectorised Brandes gives networkx's values: same pivots (k), same scaling (networkx's NaN for
    the pivot of a one-pivot estimate included)."""
    from harvestgraph.network.analyse import SEED, betweenness

    g = awkward_graph()
    ours = betweenness(g, k, batch=16)  # several batches
    assert ours == pytest.approx(nx.betweenness_centrality(g, k=k, seed=SEED), abs=1e-12, nan_ok=True)
    assert betweenness(nx.path_graph(2)) == {0: 0.0, 1: 0.0}


def test_large_networks_estimate_betweenness(monkeypatch):
    """Above EXACT_BETWEENNESS_MAX nodes, measures() estimates betweenness from BETWEENNESS_SAMPLE pivots."""
    import harvestgraph.network.analyse as an

    monkeypatch.setattr(an, "EXACT_BETWEENNESS_MAX", 50)
    monkeypatch.setattr(an, "BETWEENNESS_SAMPLE", 20)
    g = awkward_graph()
    assert an.betweenness_pivots(50) is None and an.betweenness_pivots(64) == 20
    got = {n: m["betweenness"] for n, m in an.measures(g).items()}
    assert got == pytest.approx(nx.betweenness_centrality(g, k=20, seed=an.SEED), abs=1e-6)
    assert got != pytest.approx(nx.betweenness_centrality(g), abs=1e-6)


def _has_scipy() -> bool:
    try:
        import scipy  # noqa: F401
        return True
    except ImportError:
        return False


def analyse_again(a):
    from harvestgraph.network.analyse import measures

    return {n: m["community"] for n, m in measures(a.graph).items()}


def test_actor_summary_counts(full, facts):
    contributors = ex.objects(facts, str(HG.hasContributor))
    changed = ex.objects(facts, str(HG.changedActor))
    n_contrib = Counter(a for actors in contributors.values() for a in actors)
    n_changed = Counter(a for actors in changed.values() for a in actors)
    co = defaultdict(set)
    for actors in contributors.values():
        for a, b in combinations(sorted(actors), 2):
            co[a].add(b)
            co[b].add(a)
    rows = actor_summary(full)
    assert {r["iri"] for r in rows} == set(n_contrib) | set(n_changed)
    for r in rows:
        assert r["contributions"] == n_contrib[r["iri"]], r["actor"]
        assert r["outcomes_changed_in"] == n_changed[r["iri"]], r["actor"]
        assert r["co_contributors"] == len(co[r["iri"]]), r["actor"]


def test_co_contribution_weights(full, facts):
    contributors = ex.objects(facts, str(HG.hasContributor))
    shared = Counter()
    for actors in contributors.values():
        for pair in combinations(sorted(actors), 2):
            shared[pair] += 1
    g = co_contribution(full.data)
    assert {tuple(sorted((u, v))): d["weight"] for u, v, d in g.edges(data=True)} == dict(shared)


def test_outcome_chains(full, facts):
    builds = ex.objects(facts, str(HG.buildsOn))
    visible = set(full.data.outcomes)
    expected_edges = {(s, o) for s, os in builds.items() for o in os if s in visible and o in visible}
    got = {(e.outcome, e.target) for e in full.data.edges if e.relation == "builds_on"}
    assert got == expected_edges
    assert expected_edges, "the sample corpus has outcomes that build on others"
    assert sum(len(c) - 1 for c in chains(full.data)) >= len(expected_edges) - 1


def test_significance_contribution_matrix(full, records):
    rows, cols, counts = significance_contribution(full.data)
    expected = Counter((r.significance or "unrated", r.contribution or "unrated") for r in records.values())
    assert counts == dict(expected)
    assert sum(counts.values()) == len(records)


def test_contribution_rows(full, records):
    rows = contribution_rows(full.data)
    prog = [r for r in rows if r["programme_or_other"] == "programme"]
    assert {r["outcome_id"] for r in prog} == {rid for rid, r in records.items() if r.programme_contributed}
    for r in rows:
        rec = records[r["outcome_id"]]
        assert r["country"] == (rec.country or "")
        assert r["year"] == (rec.year if rec.year is not None else "")
        if r["programme_or_other"] == "programme":
            assert r["rating"] == (rec.contribution or "")


@functools.lru_cache(maxsize=2)
def synthetic_analysis(n_outcomes: int = 2500, n_actors: int = 2500, seed: int = 3):
    """A 5,000-node network (no store): the size the views must stay usable at (built once per session;
    treat as read-only)."""
    import random

    from harvestgraph.network.analyse import Analysis, EdgeRow, NetworkData, OutcomeRow, contribution_network, measures

    rnd = random.Random(seed)
    outcomes = {f"https://w3id.org/harvestgraph/id/outcome/S-{i}": OutcomeRow(
        iri=f"https://w3id.org/harvestgraph/id/outcome/S-{i}", id=f"S-{i}", description=f"Outcome {i} <b>x</b>",
        year=2020 + i % 6) for i in range(n_outcomes)}
    actors = [f"https://w3id.org/harvestgraph/id/actor/a{i}" for i in range(n_actors)]
    edges = []
    for i, o in enumerate(outcomes):
        for t in {actors[i % n_actors], rnd.choice(actors), rnd.choice(actors[: n_actors // 10])}:
            edges.append(EdgeRow(o, "contributed", t, rank=rnd.choice((1, 2, 3)), text="helped"))
        edges.append(EdgeRow(o, "changed", rnd.choice(actors)))
    labels = {a: {"http://www.w3.org/2004/02/skos/core#prefLabel": [f"Actor {a[-5:]}"]} for a in actors}
    data = NetworkData(Filters(), outcomes, edges, labels)
    g = contribution_network(data)
    m = measures(g)
    for node, values in m.items():
        g.nodes[node].update(values)
    return Analysis(data, g, m, co_contribution(data))


def test_five_thousand_nodes_use_the_sampled_estimate():
    """What keeps a 5,000-node analysis fast (~1 s on 2 cores; exact betweenness took a minute) is the
    pivot sample, checked here as a property; the time itself is benchmarked (benchmarks/), not asserted."""
    from harvestgraph.network.analyse import BETWEENNESS_SAMPLE, betweenness_pivots

    a = synthetic_analysis()
    assert a.graph.number_of_nodes() == 5000
    assert betweenness_pivots(5000) == BETWEENNESS_SAMPLE < 5000
    assert betweenness_pivots(100) is None  # small networks stay exact
