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

