"""Each outcome's contribution pattern (data model 4): the mapping derives it from the outcome's
contributions, and queries/contribution_split.rq counts it. Invented fragments, one for each case a
contribution analysis tells apart, in a real on-disk store."""

from __future__ import annotations

import pytest

from harvestgraph import queries
from harvestgraph.config import make_resolver
from harvestgraph.ingest import ingest
from harvestgraph.store import EmbeddedStore
from harvestgraph.vocab import HG, outcome_iri

REGISTRY = """
- {name: Alpha Rights programme, acronym: ALPHA, kind: programme}
- {name: Beta Land programme, acronym: BETA, kind: programme}
- {name: Kenya Human Rights Commission, acronym: KHRC, kind: ngo, country: KE}
"""
DONE = "The programme trained the county officials on the new guidelines."

# FragmentID -> (contribution of the programme, contribution of other actors, the pattern expected)
CASES = {
    "ALPHA-KEN/001": (DONE, None, "programme-alone"),
    "ALPHA-KEN/002": (DONE, "The Kenya Human Rights Commission funded the public hearings.", "programme-and-others"),
    "ALPHA-KEN/003": ("N/A", "The Kenya Human Rights Commission funded the public hearings.", "others-only"),
    "ALPHA-KEN/004": (None, None, "none-found"),
    # the programme named among other actors of its own outcome is not 'another actor'
    "ALPHA-KEN/005": (DONE, "The Alpha Rights programme also funded the public hearings.", "programme-alone"),
    # ... but it is one on another programme's outcome
    "BETA-KEN/001": ("Not applicable", "The Alpha Rights programme funded the public hearings.", "others-only"),
}


def fragment(fid: str, programme: str | None, others: str | None) -> str:
    lines = [f"**FragmentID**: {fid}", "**Country**: Kenya", "**Year**: 2025",
             "**Outcome description**: In March 2025 the Kilifi County Assembly adopted guidelines on public "
             "participation.", "**Outcome is negative**: " + ("YES" if programme in ("N/A", "Not applicable") else "NO")]
    if programme is not None:
        lines.append(f"**Contribution of the programme**: {programme}")
    if others is not None:
        lines.append(f"**Contribution of other actors and factors**: {others}")
    return "\n".join(lines) + "\n\n---\n\n"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pattern")
    (tmp / "actors.yaml").write_text(REGISTRY)
    data = tmp / "harvest.md"
    data.write_text("".join(fragment(fid, p, o) for fid, (p, o, _) in CASES.items()))
    st = EmbeddedStore(tmp / "store")
    ingest([data], st, make_resolver(tmp / "actors.yaml"))
    return st


def test_each_outcome_gets_the_pattern_of_its_contributions(store):
    graphs = store.visible_graphs(confidential=False)
    for fid, (_, _, want) in CASES.items():
        rows = store.select(f"SELECT ?p WHERE {{ <{outcome_iri(fid)}> <{HG.contributionPattern}> ?p }}", graphs=graphs)
        assert [r["p"].value.rsplit("/", 1)[1] for r in rows] == [want], fid


def split(store, **params) -> dict[str, tuple[int, ...]]:
    text = queries.bind(queries.get("contribution_split"), params)
    rows = store.select(text, graphs=store.visible_graphs(confidential=False))
    return {r["programmeCode"].value: tuple(int(r[k].value) for k in (
        "outcomes", "programmeContributed", "othersContributed", "both", "othersDescribed")) for r in rows}


def test_contribution_split_counts_the_patterns(store):
    # ALPHA: 5 outcomes; the programme in 001, 002, 005; others in 002, 003; both in 002; others in words in 3
    assert split(store) == {"ALPHA": (5, 3, 2, 1, 3), "BETA": (1, 0, 1, 0, 1)}
    assert split(store, programme="BETA") == {"BETA": (1, 0, 1, 0, 1)}
