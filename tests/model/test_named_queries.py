"""Every named query against answers computed independently from the sample input files (tests/expected.py),
on both backends: the embedded on-disk Oxigraph store and a remote Oxigraph server (RemoteStore).

Everything runs as an anonymous reader would: graphs = store.visible_graphs(confidential=False).
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import pytest


from harvestgraph import queries
from harvestgraph.mapping import read_record
from harvestgraph.errors import HarvestError
from harvestgraph.vocab import HG, PREFIXES, SCHEME_CONTRIBUTION_PATTERN, concept_iri, outcome_iri

from tests import expected as ex
from tests.remote_server import backend_store, oxigraph_server, remote_corpus_store  # noqa: F401 (fixtures)

OWN = {"outcomes", "outcomes_by_objective", "outcomes_by_rf_outcome", "contribution_split", "co_contributors",
       "significance_contribution_matrix", "negative_unintended_outcomes", "outcome_chains", "actors_changed_most",
       "outcomes_by_harvest_period", "data_quality", "fragment_record", "places_mentioned",
       "outcomes_by_country_year", "contributions_by_contributor", "outcomes_by_type_of_change"}
SKOS = PREFIXES["skos"]


@pytest.fixture(scope="module")
def records(examples_dir):
    return ex.visible(ex.corpus(examples_dir))


@pytest.fixture()
def store(backend_store):  # noqa: F811
    return backend_store


def run(store, name: str, **params) -> list[dict[str, str]]:
    """A named query with bound parameters, as an anonymous reader, rows of plain strings."""
    q = queries.get(name)
    text = queries.bind(q, {k: str(v) for k, v in params.items()})
    return [{k: v.value for k, v in row.items()}
            for row in store.select(text, graphs=store.visible_graphs(confidential=False))]


@pytest.fixture()
def facts(store):
    return ex.triples(store, store.visible_graphs(confidential=False))


# --------------------------------------------------------------------------- the library itself


def test_library_is_complete_and_documented():
    lib = queries.library()
    assert len(lib) >= 15
    assert OWN <= set(lib)
    for q in lib.values():
        assert q.title and q.title != q.name.replace("_", " "), q.name
        assert len(q.description) > 60, q.name
        for p in q.params:
            assert p.doc, (q.name, p.name)


def test_injection_is_inert(store, records):
    evil = '" } ; DROP ALL ; #'
    assert run(store, "outcomes", objective=evil) == []
    assert run(store, "negative_unintended_outcomes", kind=evil) == []
    assert run(store, "co_contributors", actor=evil) == []  # an actor slug IRI that names nobody
    with pytest.raises(HarvestError):  # typed parameters refuse what they cannot read
        run(store, "outcomes", country=evil)
    with pytest.raises(HarvestError):
        run(store, "outcomes", year_from=evil)
    assert {r["id"] for r in run(store, "outcomes")} == set(records)  # nothing was dropped


def test_parameters_are_bound_where_the_query_says(tmp_path):
    """A line "# @parameters" puts the VALUES block in that group (a counting sub-select, which does not see the
    outer group's bindings), each such line; without one, the block opens the outer WHERE group. Nothing is bound for absent
    parameters: the marker stays a comment."""
    path = tmp_path / "q.rq"
    path.write_text("# title: Test query\n# description: x\n# param: programme | programme | - | x\n"
                    "SELECT ?n WHERE {\n  { SELECT (COUNT(*) AS ?n) WHERE {\n    # @parameters\n"
                    "    ?o hg:programme ?p FILTER (!BOUND(?programme) || ?p = ?programme) } }\n}\n")
    q = queries.parse_query_file(path)
    bound = queries.bind(q, {"programme": "SCC"})
    inner = bound.index("{ SELECT (COUNT(*)")
    values = bound.index("VALUES (?programme)")
    assert inner < values < bound.index("?o hg:programme") and "# @parameters" not in bound
    assert queries.bind(q, {}) == q.sparql
    two = queries.bind(queries.get("co_contributors"), {"actor": "DefendDefenders"})  # each marker gets the block
    assert two.count("VALUES (?actor ?min_shared)") == 2 and "# @parameters" not in two
    plain = queries.get("outcomes_by_type_of_change")  # no marker: the top of the outer group
    text = queries.bind(plain, {"country": "KE"})
    assert text.index("VALUES (?country)") < text.index("{ SELECT ?outcome ?type")


def test_unknown_parameter_is_refused(store):
    with pytest.raises(HarvestError, match="unknown parameter"):
        run(store, "outcomes", colour="red")


# --------------------------------------------------------------------------- outcome lists and counts


def test_outcomes_unfiltered_lists_every_visible_outcome_once(store, records):
    rows = run(store, "outcomes")
    assert sorted(r["id"] for r in rows) == sorted(records)
    for r in rows:
        rec = records[r["id"]]
        assert r.get("countryCode") == rec.country
        assert (int(r["year"]) if "year" in r else None) == rec.year
        assert r.get("programmeCode") == rec.programme


@pytest.mark.parametrize("params, keep", [
    ({"country": "Kenya"}, lambda r: r.country == "KE"),
    ({"country": "TZ", "year_from": 2025}, lambda r: r.country == "TZ" and (r.year or 0) >= 2025),
    ({"year_from": 2024, "year_to": 2024}, lambda r: r.year == 2024),
    ({"objective": "civ"}, lambda r: any(n == "CIV" for n, _ in r.objectives)),
    ({"objective": "Gender justice"}, lambda r: any(lbl == "Gender justice" for _, lbl in r.objectives)),
    ({"rf_outcome": "Outcome 1.1"}, lambda r: "Outcome 1.1" in r.rf_outcomes),
    ({"type_of_change": "Policy change"}, lambda r: "policy change" in [t.lower() for t in r.types_of_change]),
    ({"programme": "WEP", "year_from": 2025}, lambda r: r.programme == "WEP" and (r.year or 0) >= 2025),
])
def test_outcomes_filters(store, records, params, keep):
    got = sorted(r["id"] for r in run(store, "outcomes", **params))
    want = sorted(k for k, r in records.items() if keep(r))
    assert want, "the filter should select something in the sample corpus"
    assert got == want


def test_outcomes_by_country_year(store, records):
    got = {(r["countryCode"], int(r["year"]) if "year" in r else None): int(r["outcomes"])
           for r in run(store, "outcomes_by_country_year")}
    want = Counter((r.country, r.year) for r in records.values() if r.country)
    assert got == dict(want)
    ke = {k: v for k, v in got.items() if k[0] == "KE" and k[1] is not None and k[1] >= 2024}
    assert {(r["countryCode"], int(r["year"])): int(r["outcomes"])
            for r in run(store, "outcomes_by_country_year", country="KE", year_from=2024)} == ke


def test_outcomes_by_type_of_change(store, records):
    got = {r["typeLabel"].lower(): int(r["outcomes"]) for r in run(store, "outcomes_by_type_of_change")}
    want = Counter(t.lower() for r in records.values() for t in r.types_of_change)
    assert got == dict(want)
    ke = Counter(t.lower() for r in records.values() if r.country == "KE" for t in r.types_of_change)
    assert {r["typeLabel"].lower(): int(r["outcomes"])
            for r in run(store, "outcomes_by_type_of_change", country="KE")} == dict(ke)


def test_outcomes_by_objective(store, records):
    got = {(r["programmeCode"], r.get("notation"), r["label"]): int(r["outcomes"])
           for r in run(store, "outcomes_by_objective")}
    want = Counter((r.programme, n, lbl) for r in records.values() for n, lbl in r.objectives)
    assert got == dict(want)
    assert {k for k in got if k[0] == "SCC"} == {(r["programmeCode"], r.get("notation"), r["label"])
                                                 for r in run(store, "outcomes_by_objective", programme="SCC")}


def test_outcomes_by_rf_outcome(store, records):
    got = {(r["programmeCode"], r["notation"]): int(r["outcomes"]) for r in run(store, "outcomes_by_rf_outcome")}
    want = Counter((r.programme, o) for r in records.values() for o in r.rf_outcomes)
    assert got == dict(want)


def test_outcomes_by_harvest_period(store, records):
    got = {(r["programmeCode"], r["label"]): int(r["outcomes"]) for r in run(store, "outcomes_by_harvest_period")}
    want = Counter((r.programme, f"{r.programme} {r.harvest}") for r in records.values() if r.harvest)
    assert got == dict(want)


def test_significance_contribution_matrix(store, records):
    got = {(r["significance"], r["contribution"]): int(r["outcomes"])
           for r in run(store, "significance_contribution_matrix")}
    want = Counter((r.significance or "unrated", r.contribution or "unrated") for r in records.values())
    assert got == dict(want)
    scc = Counter((r.significance or "unrated", r.contribution or "unrated")
                  for r in records.values() if r.programme == "SCC")
    assert {(r["significance"], r["contribution"]): int(r["outcomes"])
            for r in run(store, "significance_contribution_matrix", programme="SCC")} == dict(scc)


@pytest.mark.parametrize("kind", [None, "negative", "unintended"])
def test_negative_and_unintended(store, records, kind):
    rows = run(store, "negative_unintended_outcomes", **({"kind": kind} if kind else {}))
    want = sorted(k for k, r in records.items()
                  if (kind in (None, "negative") and r.negative) or (kind in (None, "unintended") and r.unintended))
    assert want
    assert [r["id"] for r in rows] == want
    for r in rows:
        assert (r["negative"] == "true") == bool(records[r["id"]].negative)
        assert (r["unintended"] == "true") == bool(records[r["id"]].unintended)


def test_data_quality(store, records):
    checks = {"evidence": lambda r: not r.text("evidence"), "year": lambda r: r.year is None,
              "country": lambda r: r.country is None, "significance_rating": lambda r: r.significance is None,
              "contribution_rating": lambda r: r.contribution is None}
    want = {k: [c for c, f in checks.items() if f(r)] for k, r in records.items()}
    want = {k: v for k, v in want.items() if v}
    rows = run(store, "data_quality")
    assert {r["id"]: r["missingFields"].split() for r in rows} == want
    only = run(store, "data_quality", missing="evidence")
    assert sorted(r["id"] for r in only) == sorted(k for k, v in want.items() if "evidence" in v)


def test_fragment_record_gives_every_field_as_written(store, records):
    for fid, rec in records.items():
        (row,) = run(store, "fragment_record", fragment=fid)
        assert row["id"] == fid and row["sourceFile"] and int(row["sourceLine"]) >= 1
        fields = read_record(row["record"])
        assert [f["order"] for f in fields] == list(range(1, len(fields) + 1))
        by_key: dict[str, list[str]] = {}
        for f in fields:
            by_key.setdefault(f["canonicalField"] or "?" + f["fieldName"].strip(), []).append(f["rawValue"].strip())
        for key, value in rec.fields.items():
            if not key.startswith("?") and value.strip():
                assert value.strip() in by_key.get(key, []), (fid, key)


def test_fragment_record_hides_confidential_fragments(store, examples_dir):
    secret = [k for k, r in ex.corpus(examples_dir).items() if r.confidential]
    assert secret
    assert run(store, "fragment_record", fragment=secret[0]) == []


# --------------------------------------------------------------------------- contributions and actors


def test_contribution_split(store, records, facts):
    contributors = ex.objects(facts, str(HG.qualifiedContribution))
    is_prog = ex.objects(facts, str(HG.isProgrammeContribution))
    rows = {r["programmeCode"]: r for r in run(store, "contribution_split")}
    progs = {r.programme for r in records.values() if r.programme}
    assert set(rows) == progs
    for prog in progs:
        mine = {k: r for k, r in records.items() if r.programme == prog}
        flags = {k: {v for c in contributors.get(str(outcome_iri(k)), ()) for v in is_prog.get(c, ())} for k in mine}
        row = rows[prog]
        assert int(row["outcomes"]) == len(mine)
        assert int(row["programmeContributed"]) == sum(r.programme_contributed for r in mine.values())
        assert int(row["programmeContributed"]) == sum("true" in f for f in flags.values())
        assert int(row["othersContributed"]) == sum("false" in f for f in flags.values())
        assert int(row["both"]) == sum({"true", "false"} <= f for f in flags.values())
        assert int(row["othersDescribed"]) == sum(bool(r.text("contribution_others")) for r in mine.values())


def test_contributions_by_contributor(store, records, facts):
    to = ex.objects(facts, str(HG.contributionTo))
    by = ex.objects(facts, PREFIXES["prov"] + "agent")
    prog = ex.objects(facts, str(HG.isProgrammeContribution))
    outcomes: dict[str, set[str]] = {}
    programme_outcomes: dict[str, set[str]] = {}
    for c, agents in by.items():
        for a in agents:
            outcomes.setdefault(a, set()).update(to.get(c, ()))
            if "true" in prog.get(c, ()):
                programme_outcomes.setdefault(a, set()).update(to.get(c, ()))
    rows = run(store, "contributions_by_contributor")
    assert {r["contributor"]: int(r["outcomes"]) for r in rows} == {a: len(o) for a, o in outcomes.items()}
    assert {r["contributor"]: int(r["programmeContributions"]) for r in rows} == \
        {a: len(programme_outcomes.get(a, ())) for a in outcomes}
    # each side of the split alone (the query reads the shortcut hg:hasContributor: the programme's own
    # contribution is told by its contributor being the outcome's programme)
    other_outcomes: dict[str, set[str]] = {}
    for c, agents in by.items():
        if "false" in prog.get(c, ()):
            for a in agents:
                other_outcomes.setdefault(a, set()).update(to.get(c, ()))
    for flag, want in (("true", programme_outcomes), ("false", other_outcomes)):
        rows_of = run(store, "contributions_by_contributor", programme_only=flag)
        assert {r["contributor"]: int(r["outcomes"]) for r in rows_of} == {a: len(o) for a, o in want.items()}, flag
        assert {r["contributor"]: int(r["programmeContributions"]) for r in rows_of} == \
            {a: len(o) if flag == "true" else 0 for a, o in want.items()}, flag
    # the programmes' own contributions, straight from the input files
    per_prog = Counter(r.programme for r in records.values() if r.programme_contributed)
    got = {r["contributor"].rsplit("/", 1)[1]: int(r["programmeContributions"]) for r in rows
           if "/programme/" in r["contributor"]}
    assert got == dict(per_prog)


def test_the_programme_contributes_to_its_own_outcome_only_by_its_contribution_field(store, facts):
    """What contribution_split and contributions_by_contributor read instead of the qualified contributions:
    an outcome's programme is among its contributors (hg:hasContributor) exactly when the outcome has the
    programme's own contribution (hg:isProgrammeContribution true), and that contribution's agent is the
    programme; no other contribution is the programme's, nor by it."""
    has = ex.objects(facts, str(HG.hasContributor))
    programme_of = ex.objects(facts, str(HG.programme))
    to = ex.objects(facts, str(HG.contributionTo))
    by = ex.objects(facts, PREFIXES["prov"] + "agent")
    flag = ex.objects(facts, str(HG.isProgrammeContribution))
    own = {o for c, flags in flag.items() if "true" in flags for o in to[c]}
    assert own and set(has) - own  # both kinds occur in the sample corpus
    for outcome, contributors in has.items():
        progs = programme_of.get(outcome, set())
        assert bool(contributors & progs) == (outcome in own), outcome
    for c, flags in flag.items():
        outcome = next(iter(to[c]))
        assert ("true" in flags) == bool(by[c] & programme_of.get(outcome, set())), c


def test_each_outcome_has_the_contribution_pattern_of_its_contributions(store, facts):
    """What contribution_split counts: every outcome has one hg:contributionPattern, the one its qualified
    contributions give (the programme's own, another actor's, both, none), and every pattern occurs."""
    pattern = ex.objects(facts, str(HG.contributionPattern))
    contributions = ex.objects(facts, str(HG.qualifiedContribution))
    flag = ex.objects(facts, str(HG.isProgrammeContribution))
    outcomes = [s for s, kinds in ex.objects(facts, PREFIXES["rdf"] + "type").items() if str(HG.Outcome) in kinds]
    names = {(True, False): "programme-alone", (True, True): "programme-and-others", (False, True): "others-only",
             (False, False): "none-found"}
    seen = set()
    for outcome in outcomes:
        flags = {v for c in contributions.get(outcome, ()) for v in flag[c]}
        want = names["true" in flags, "false" in flags]
        assert pattern[outcome] == {str(concept_iri(SCHEME_CONTRIBUTION_PATTERN, want))}, outcome
        seen.add(want)
    assert seen >= {"programme-and-others", "others-only", "none-found"}  # (tests/ingest: "programme-alone")


def test_co_contributors(store, facts):
    has = ex.objects(facts, str(HG.hasContributor))
    pairs = Counter(pair for actors in has.values() for pair in combinations(sorted(actors), 2))
    rows = run(store, "co_contributors")
    assert {(r["actorA"], r["actorB"]): int(r["sharedOutcomes"]) for r in rows} == dict(pairs)
    at_least_2 = {k: v for k, v in pairs.items() if v >= 2}
    assert {(r["actorA"], r["actorB"]) for r in run(store, "co_contributors", min_shared=2)} == set(at_least_2)
    # one actor's pairs (the parameter narrows the counting itself), each named once in the same order
    busiest = Counter(a for pair in pairs for a in pair).most_common(1)[0][0]
    for minimum in (1, 2):
        rows = run(store, "co_contributors", actor=busiest, min_shared=minimum)
        assert {(r["actorA"], r["actorB"]): int(r["sharedOutcomes"]) for r in rows} == {
            k: v for k, v in pairs.items() if busiest in k and v >= minimum}
        assert rows and [int(r["sharedOutcomes"]) for r in rows] == sorted(
            (int(r["sharedOutcomes"]) for r in rows), reverse=True)


def test_actors_changed_most(store, facts):
    changed = ex.objects(facts, str(HG.changedActor))
    count = Counter(a for actors in changed.values() for a in actors)
    rows = run(store, "actors_changed_most")
    assert {r["actor"]: int(r["outcomes"]) for r in rows} == dict(count)
    assert [int(r["outcomes"]) for r in rows] == sorted((int(r["outcomes"]) for r in rows), reverse=True)


def test_places_mentioned(store, records, facts):
    spatial = ex.objects(facts, PREFIXES["dcterms"] + "spatial")
    count = Counter(p for places in spatial.values() for p in places)
    rows = run(store, "places_mentioned")
    assert {r["place"]: int(r["outcomes"]) for r in rows} == dict(count)
    # every country of the Country field is a place of its outcome
    by_code = {r.get("isoCode"): int(r["outcomes"]) for r in rows}
    field_count = Counter(c for r in records.values() for c in r.countries)
    for code, n in field_count.items():
        assert by_code.get(code, 0) >= n, code
    sub = run(store, "places_mentioned", subnational_only="true")
    assert all(r.get("isoCode") is None or "-" in r.get("isoCode", "") for r in sub)


def test_outcome_chains(store, facts):
    assert_outcome_chains(store, facts)


def test_outcome_chains_through_cycles_diamonds_and_self_links(fresh_corpus_store, records):
    """Links written into public fragment graphs: a cycle A → B → C → A, two ways from A to E, a self-link,
    a chain joining the cycle from outside; every pair and length as the definition says."""
    import pyoxigraph as ox

    from harvestgraph.vocab import fragment_graph

    a, b, c, d, e, f, g, h = sorted(records)[:8]
    link = ox.NamedNode(str(HG.buildsOn))
    fresh_corpus_store.write([], [ox.Quad(ox.NamedNode(str(outcome_iri(x))), link, ox.NamedNode(str(outcome_iri(y))),
                                          ox.NamedNode(str(fragment_graph(x))))
                                  for x, y in ((a, b), (b, c), (c, a), (a, d), (d, e), (b, e), (e, f), (f, f), (g, h),
                                               (h, c))])
    facts = ex.triples(fresh_corpus_store, fresh_corpus_store.visible_graphs(confidential=False))
    assert_outcome_chains(fresh_corpus_store, facts)
    assert_outcome_chains(fresh_corpus_store, facts, outcome=a)
    assert_outcome_chains(fresh_corpus_store, facts, max_length=2)


def assert_outcome_chains(store, facts, outcome: str | None = None, max_length: int | None = None):
    """outcome_chains against its definition: every (later, earlier) linked by one or more hg:buildsOn,
    the length the number of distinct outcomes it steps from (the later one and every one between)."""
    builds = ex.objects(facts, str(HG.buildsOn))

    def reach(node: str) -> set[str]:
        seen, todo = set(), [node]
        while todo:
            for nxt in builds.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    want = {}
    for later in builds:
        if outcome is not None and later != str(outcome_iri(outcome)):
            continue
        for earlier in reach(later):
            steps = {s for s in {later} | reach(later) if earlier in reach(s)}
            if max_length is None or len(steps) <= max_length:
                want[(later, earlier)] = len(steps)
    params = {k: v for k, v in (("outcome", outcome), ("max_length", max_length)) if v is not None}
    rows = run(store, "outcome_chains", **params)
    assert {(r["later"], r["earlier"]): int(r["length"]) for r in rows} == want
    assert len(rows) == len(want)


def test_outcome_chains_path_length(fresh_corpus_store, records):
    """A chain A → B → C written into a public fragment graph: C is 2 steps from A."""
    import pyoxigraph as ox

    from harvestgraph.vocab import fragment_graph

    a, b, c = sorted(records)[:3]
    g = ox.NamedNode(str(fragment_graph(a)))
    p = ox.NamedNode(str(HG.buildsOn))
    fresh_corpus_store.write([], [ox.Quad(ox.NamedNode(str(outcome_iri(x))), p, ox.NamedNode(str(outcome_iri(y))), g)
                                  for x, y in ((a, b), (b, c))])
    rows = run(fresh_corpus_store, "outcome_chains", outcome=a)
    assert {(r["laterId"], r["earlierId"]): int(r["length"]) for r in rows}.items() >= {(a, b): 1, (a, c): 2}.items()
    assert [r for r in run(fresh_corpus_store, "outcome_chains", outcome=a, max_length=1)
            if r["earlierId"] == c] == []
