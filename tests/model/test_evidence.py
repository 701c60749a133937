"""The evidence query names each outcome's fragment graph from the outcome's IRI, in SPARQL
(graph/evidence.py), instead of asking every graph: that rule must give exactly vocab.fragment_graph for
every FragmentID, however it is encoded, or an outcome's evidence silently disappears."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from harvestgraph.evidence import GRAPH_OF_OUTCOME, evidence_query
from harvestgraph.vocab import fragment_graph, outcome_iri

AWKWARD = ["TST-KEN2501/PUB030", "a b/c", "ÄÖ-ü/ß 1", "50%/x", "x#y?z", "تجربة/1", "dash-/-slash//", "plus+and&"]


@pytest.mark.parametrize("fid", AWKWARD)
def test_the_graph_named_in_sparql_is_the_fragment_graph(fid):
    assert f"BIND ({GRAPH_OF_OUTCOME} AS ?g)" in evidence_query()[0]
    store = ox.Store()
    rows = list(store.query(f"SELECT ?g WHERE {{ VALUES ?outcome {{ <{outcome_iri(fid)}> }} "
                            f"BIND ({GRAPH_OF_OUTCOME} AS ?g) }}"))
    assert rows[0]["g"] == ox.NamedNode(str(fragment_graph(fid)))



def _row(text: str, *spans: tuple[int, int, str]) -> dict:
    import json

    record = json.dumps([[ "actor/khrc", "contributor", "contribution_others", s, e, m, 1, None] for s, e, m in spans])
    return {"outcome": "https://w3id.org/harvestgraph/id/outcome/F1", "id": "F1",
            "actor": "https://w3id.org/harvestgraph/id/actor/khrc", "name": "Kenya Human Rights Commission",
            "mentions": record, "contribution_others": text}


def test_a_sentence_that_names_an_actor_twice_is_one_piece_of_evidence():
    """A name and its acronym in one sentence ("the Kenya Human Rights Commission (KHRC)") are two mentions
    of one actor: one piece of evidence with both names marked, not the same sentence listed twice; a name in
    another sentence is another piece; spans that overlap are one mark."""
    from harvestgraph.evidence import evidence_from_rows

    text = ("The Kenya Human Rights Commission (KHRC) provided a legal analysis, and KHRC lawyers appeared. "
            "Later KHRC compiled the case.")
    at = lambda s, after=0: (text.index(s, after), text.index(s, after) + len(s))  # noqa: E731
    name, acr1 = at("Kenya Human Rights Commission"), at("KHRC")
    acr2, later = at("KHRC", acr1[1]), at("KHRC", text.index("Later"))
    rows = [_row(text, (*name, "registry"), (*acr1, "acronym"), (*acr2, "acronym"), (*later, "acronym"),
                 (*at("Kenya Human Rights Commission (KHRC)"), "rule"))]  # (another finder's span over both)
    ev = evidence_from_rows(rows)
    assert len(ev) == 2, [e.parts for e in ev]
    first, second = ev
    marked = [t for t, m in first.parts if m]
    assert marked == ["Kenya Human Rights Commission (KHRC)", "KHRC"]  # the overlapping spans as one mark
    assert "".join(t for t, _ in first.parts) == text[:text.index(" Later")]
    assert first.names == ["Kenya Human Rights Commission (KHRC)", "KHRC"]
    assert second.names == ["KHRC"] and "".join(t for t, _ in second.parts) == "Later KHRC compiled the case."
    # without the overlapping span: each name its own mark, the sentence once
    ev = evidence_from_rows([_row(text, (*name, "registry"), (*acr1, "acronym"), (*acr2, "acronym"))])
    assert len(ev) == 1 and ev[0].names == ["Kenya Human Rights Commission", "KHRC"]
    assert [t for t, m in ev[0].parts if m] == ["Kenya Human Rights Commission", "KHRC", "KHRC"]
    assert (ev[0].before, ev[0].span) == ("The ", "Kenya Human Rights Commission")
