"""SHACL validation of harvestgraph data against ``ontology/shapes.ttl``.

The ontology and the concepts are merged into (a private copy of) the data graph: the shapes need
the rdfs:subClassOf axioms of the ontology (an hg:Country is an hg:Place) and the rdf:type and
skos:inScheme triples of bundled concepts and countries, which live in concepts.ttl rather than in the
fragment graphs. They are merged here rather than passed as pyshacl's ``ont_graph``, because pyshacl
only copies class and property axioms from ``ont_graph`` ("inoculation"), not the concept and country
individuals.

Inference is "none": SHACL's sh:class already follows rdfs:subClassOf in the (merged) data graph, and
the contract (docs/model.md) types every node explicitly, so RDFS inference would only add cost
(it materialises domain/range types over the whole union). ``conforms`` is True when there are no
sh:Violation results; warnings (missing year, country, rating) and infos (ad-hoc concepts) are still
listed in ``results``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Union

from pyshacl import validate as _shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import Dataset
from rdflib.namespace import RDF, SH

from ..resources import CONCEPTS_FILE, ONTOLOGY_FILE, SHAPES_FILE, load_graph
from ..vocab import CONCEPTS_GRAPH, ONTOLOGY_GRAPH, SHAPES_GRAPH

__all__ = ["Violation", "ValidationReport", "validate"]

_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass
class Violation:
    """One SHACL validation result, in readable form."""

    focus_node: str
    path: str | None
    severity: str  # "Violation" | "Warning" | "Info"
    message: str
    value: str | None = None
    source_shape: str | None = None
    constraint: str | None = None  # e.g. "MinCountConstraintComponent"

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        val = f" (value: {self.value})" if self.value is not None else ""
        return f"{self.severity}: <{self.focus_node}>{where}: {self.message}{val}"


@dataclass
class ValidationReport:
    conforms: bool  # no sh:Violation
    results: list[Violation] = field(default_factory=list)
    text: str = ""  # pyshacl's own text report

    @property
    def violations(self) -> list[Violation]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Violation]:
        return [r for r in self.results if r.severity == "Warning"]

    def paths(self, severity: str | None = "Violation") -> set[str]:
        return {r.path for r in self.results if r.path and (severity is None or r.severity == severity)}

    def __bool__(self) -> bool:
        return self.conforms


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    return load_graph(SHAPES_FILE)


@lru_cache(maxsize=1)
def _ont() -> Graph:
    g = load_graph(ONTOLOGY_FILE)
    for t in load_graph(CONCEPTS_FILE):
        g.add(t)
    return g


_SKIP_GRAPHS = {URIRef(str(SHAPES_GRAPH)), URIRef(str(ONTOLOGY_GRAPH)), URIRef(str(CONCEPTS_GRAPH))}


def _as_graph(data: Union[Graph, Dataset], extra: Iterable[Graph]) -> Graph:
    """One data graph: the union of the dataset's graphs (its own ontology, concepts and shapes graphs
    are left out), ``extra``, and the bundled ontology + concepts."""
    g = Graph()
    if isinstance(data, Dataset):
        for s, p, o, ctx in data.quads((None, None, None, None)):
            name = getattr(ctx, "identifier", ctx)
            if name in _SKIP_GRAPHS:
                continue
            g.add((s, p, o))
    else:
        for t in data:
            g.add(t)
    for e in (*extra, _ont()):
        for t in e:
            g.add(t)
    return g


def _term(t) -> str | None:
    if t is None:
        return None
    if isinstance(t, Literal):
        return t.n3()  # keeps the datatype visible: "2025"^^xsd:string
    if isinstance(t, BNode):
        return f"_:{t}"
    return str(t)


def _results(report: Graph) -> list[Violation]:
    out: list[Violation] = []
    # Only top-level results: nested results of sh:node constraints hang off sh:detail.
    for r in report.objects(None, SH.result):
        sev = report.value(r, SH.resultSeverity)
        comp = report.value(r, SH.sourceConstraintComponent)
        out.append(
            Violation(
                focus_node=_term(report.value(r, SH.focusNode)) or "",
                path=_term(report.value(r, SH.resultPath)),
                severity=_SEVERITY.get(sev, str(sev)),
                message=str(report.value(r, SH.resultMessage) or ""),
                value=_term(report.value(r, SH.value)),
                source_shape=_term(report.value(r, SH.sourceShape)),
                constraint=str(comp).rsplit("#", 1)[-1] if comp is not None else None,
            )
        )
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    out.sort(key=lambda v: (order.get(v.severity, 3), v.focus_node, v.path or "", v.message, v.value or ""))
    return out


def fragment_data(store) -> Graph:
    """Every triple of a store's fragment graphs and union graphs (the facts about a fragment's own
    resources are kept in its union graph only), as one rdflib Graph (what validation and reasoning check)."""
    import pyoxigraph as ox

    from ..vocab import GRAPH

    res = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } "
                      f'FILTER(STRSTARTS(STR(?g), "{GRAPH}fragment/") || STRSTARTS(STR(?g), "{GRAPH}union/")) }}')
    data = Graph()
    data.parse(data=ox.serialize(res, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    return data


def validate(data: Union[Graph, Dataset], *, extra: Iterable[Graph] = ()) -> ValidationReport:
    """Validate ``data`` (a Graph, or a Dataset whose graphs are validated as one union) against
    shapes.ttl, with ontology + concepts as the ontology graph. ``extra`` graphs (e.g. the actor
    registry) are added to the data graph."""
    data_graph = _as_graph(data, extra)
    _conforms, report_graph, text = _shacl_validate(
        data_graph,
        shacl_graph=_shapes(),
        inference="none",
        allow_warnings=True,
        allow_infos=True,
        inplace=True,  # data_graph is our private copy
    )
    results = _results(report_graph)
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms=conforms, results=results, text=text)
