"""OWL consistency checking of harvestgraph graphs with owlready2 and HermiT.

The graphs (typically the ontology, the concepts and one or more fragment graphs) are merged,
written to a temporary N-Triples file (owlready2 reads RDF/XML and N-Triples, not Turtle) and loaded
into a fresh ``owlready2.World`` per call, so calls never see each other's triples.

HermiT only knows the OWL 2 datatype map, which lacks ``xsd:gYear`` (the range of ``hg:year``), so it
runs with ``--ignoreUnsupportedDatatypes``: the reasoner does not check year literals (the SHACL
shapes do). owlready2 0.51 bundles a Pellet whose Jena needs Java >= 25; ``reasoner="pellet"`` is
accepted but fails with a Java error on older JVMs.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from typing import Iterable

import owlready2
from owlready2 import OwlReadyInconsistentOntologyError
from rdflib import Graph
from rdflib.graph import Dataset

__all__ = ["ConsistencyReport", "check_consistency", "run_reasoner", "OwlReadyInconsistentOntologyError"]


@dataclass
class ConsistencyReport:
    consistent: bool
    message: str
    # Named classes the reasoner found unsatisfiable (equivalent to owl:Nothing); only computed
    # when the ontology as a whole is consistent.
    inconsistent_classes: list[str] = field(default_factory=list)
    reasoner: str = "hermit"
    seconds: float = 0.0

    def __bool__(self) -> bool:  # ``if check_consistency(...):``
        return self.consistent


def _merge(graphs: Iterable[Graph]) -> Graph:
    merged = Graph()
    for g in graphs:
        if isinstance(g, Dataset):
            for s, p, o, _ctx in g.quads((None, None, None, None)):
                merged.add((s, p, o))
        else:
            for triple in g:
                merged.add(triple)
    return merged


def _bundled() -> list[Graph]:
    from ..resources import concepts_graph, ontology_graph

    return [ontology_graph(), concepts_graph()]


def run_reasoner(graphs: Iterable[Graph], *, reasoner: str = "hermit", include_ontology: bool = True) -> list[str]:
    """Load the merged graphs into a fresh owlready2 World and run the reasoner.

    With ``include_ontology`` (the default) the bundled ontology and concepts are added to
    ``graphs`` (adding them again is harmless: the graphs are merged as sets of triples), so that
    ``check_consistency([data])`` checks the data against the ontology's axioms.

    Returns the IRIs of unsatisfiable named classes. Raises ``OwlReadyInconsistentOntologyError``
    if the graphs are inconsistent, ``owlready2.OwlReadyJavaError`` if Java fails.
    """
    graphs = list(graphs)
    if include_ontology:
        graphs += _bundled()
    merged = _merge(graphs)
    fd, path = tempfile.mkstemp(suffix=".nt", prefix="harvestgraph-")
    world = owlready2.World()
    try:
        with os.fdopen(fd, "wb") as fh:
            merged.serialize(destination=fh, format="nt", encoding="utf-8")
        world.get_ontology("file://" + path).load(format="ntriples")
        if reasoner == "hermit":
            owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=True)
        elif reasoner == "pellet":
            owlready2.sync_reasoner_pellet(world, debug=0)
        else:
            raise ValueError(f"unknown reasoner {reasoner!r} (hermit or pellet)")
        return sorted(
            c.iri for c in world.inconsistent_classes() if getattr(c, "iri", None) != str(owlready2.Nothing.iri)
        )
    finally:
        try:
            world.close()
        finally:
            os.unlink(path)


def check_consistency(
    graphs: list[Graph], *, reasoner: str = "hermit", include_ontology: bool = True
) -> ConsistencyReport:
    """Is the union of ``graphs`` (plus, by default, the bundled ontology and concepts)
    OWL-consistent? Never raises for inconsistency (see the report); Java or parse failures raise."""
    t0 = time.perf_counter()
    try:
        unsat = run_reasoner(graphs, reasoner=reasoner, include_ontology=include_ontology)
    except OwlReadyInconsistentOntologyError:
        return ConsistencyReport(
            consistent=False,
            message=f"{reasoner}: the graphs are inconsistent (some individual cannot satisfy the ontology's axioms)",
            reasoner=reasoner,
            seconds=time.perf_counter() - t0,
        )
    seconds = time.perf_counter() - t0
    if unsat:
        msg = f"{reasoner}: consistent, but {len(unsat)} unsatisfiable class(es): " + ", ".join(unsat)
    else:
        msg = f"{reasoner}: consistent"
    return ConsistencyReport(True, msg, unsat, reasoner, seconds)
