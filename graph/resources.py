"""Locate bundled data files (the ontology, concepts and shapes) whether harvestgraph is installed
as a package or run from a source checkout."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rdflib is imported only when a graph is loaded: it costs 0.3 s at start-up
    from rdflib import Graph

_REPO_ROOT = Path(__file__).resolve().parent.parent

ONTOLOGY_FILE = "harvestgraph.ttl"
CONCEPTS_FILE = "concepts.ttl"
SHAPES_FILE = "shapes.ttl"


def ontology_path(name: str) -> Path:
    """Path of a file of the ``harvestgraph.ontology`` package (e.g. ``"shapes.ttl"``).

    Tries ``importlib.resources`` first (installed or editable package), then the repository layout
    (``<repo>/ontology/<name>``). Raises FileNotFoundError if neither has it.
    """
    try:
        candidate = files("harvestgraph.ontology") / name
        if candidate.is_file():
            return Path(str(candidate))
    except (ModuleNotFoundError, TypeError):
        pass
    fallback = _REPO_ROOT / "ontology" / name
    if fallback.is_file():
        return fallback
    raise FileNotFoundError(f"ontology resource not found: {name}")


def queries_dir() -> Path:
    """The folder of named SPARQL queries (``queries/*.rq``)."""
    try:
        candidate = files("harvestgraph.queries")
        if candidate.joinpath("__init__.py").is_file():
            return Path(str(candidate))
    except (ModuleNotFoundError, TypeError):
        pass
    return _REPO_ROOT / "queries"


def data_path(name: str) -> Path:
    """Path of a bundled data file of extraction (the gazetteer) in ``graph/actors/data``."""
    return Path(__file__).resolve().parent / "actors" / "data" / name


@lru_cache(maxsize=None)
def _load(name: str) -> "Graph":
    from rdflib import Graph

    g = Graph()
    g.parse(ontology_path(name), format="turtle")
    return g


def load_graph(name: str) -> "Graph":
    """A fresh copy of a bundled Turtle file as an rdflib Graph (parsed once, then copied)."""
    from rdflib import Graph

    cached = _load(name)
    g = Graph()
    for prefix, ns in cached.namespaces():
        g.bind(prefix, ns, override=True)
    for triple in cached:
        g.add(triple)
    return g


def ontology_graph() -> "Graph":
    return load_graph(ONTOLOGY_FILE)


def concepts_graph() -> "Graph":
    return load_graph(CONCEPTS_FILE)


def shapes_graph() -> "Graph":
    return load_graph(SHAPES_FILE)
