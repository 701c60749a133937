"""Index of the bundled SKOS concept schemes (ontology/concepts.ttl): label or alias → concept IRI."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .resources import ontology_path
from .vocab import CONCEPT, concept_iri


@dataclass(frozen=True)
class ConceptRef:
    scheme: str
    iri: str
    label: str
    ad_hoc: bool = False  # not in the bundled scheme: declared in the fragment's own graph


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


@lru_cache(maxsize=1)
def _index() -> dict[str, dict[str, tuple[str, str]]]:
    """scheme key → squashed label/altLabel/notation → (concept IRI, prefLabel)."""
    import pyoxigraph as ox

    index: dict[str, dict[str, tuple[str, str]]] = {}
    try:
        path = ontology_path("concepts.ttl")
    except FileNotFoundError:
        return index
    skos = "http://www.w3.org/2004/02/skos/core#"
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    q = f"""SELECT ?c ?scheme ?pref ?label WHERE {{
        ?c <{skos}inScheme> ?scheme ; <{skos}prefLabel> ?pref .
        FILTER(LANG(?pref) = "en" || LANG(?pref) = "")
        {{ ?c <{skos}prefLabel> ?label }} UNION {{ ?c <{skos}altLabel> ?label }} UNION {{ ?c <{skos}notation> ?label }}
    }}"""
    for row in store.query(q):
        scheme = row["scheme"].value
        if not scheme.startswith(str(CONCEPT)):
            continue
        key = scheme[len(str(CONCEPT)):]
        index.setdefault(key, {}).setdefault(_squash(row["label"].value), (row["c"].value, row["pref"].value))
    return index


def lookup(scheme: str, label: str) -> ConceptRef | None:
    hit = _index().get(scheme, {}).get(_squash(label))
    return ConceptRef(scheme, hit[0], hit[1]) if hit else None


def resolve(scheme: str, label: str) -> ConceptRef:
    """The bundled concept for a label, or an ad-hoc one (same IRI rule) when the scheme lacks it."""
    return lookup(scheme, label) or ConceptRef(scheme, str(concept_iri(scheme, label)), label.strip(), ad_hoc=True)


def labels(scheme: str) -> list[str]:
    return sorted({pref for _, pref in _index().get(scheme, {}).values()})


@lru_cache(maxsize=1)
def _labels_by_iri() -> dict[str, str]:
    return {iri: pref for entries in _index().values() for iri, pref in entries.values()}


def label_of(iri: str) -> str | None:
    """The English prefLabel of a bundled concept (None for any other IRI): for concepts that no fragment
    graph describes, such as the contribution patterns the mapping derives."""
    return _labels_by_iri().get(iri)
