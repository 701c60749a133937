"""Namespaces and IRI minting: the one place where harvestgraph decides what things are called.

The ontology (``ontology/harvestgraph.ttl``) is the source of truth for the terms; this module only
names them for Python code. IRIs for data are minted here and nowhere else, so that the same
FragmentID always yields the same IRI (re-ingest is idempotent) and the IRI can be read back to the
FragmentID (``fragment_id_from_iri``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote, unquote

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/harvestgraph/"

HG = Namespace(BASE + "ontology#")  # classes and properties
ID = Namespace(BASE + "id/")  # data: fragments, outcomes, actors, ...
CONCEPT = Namespace(BASE + "concept/")  # SKOS concepts and schemes
GRAPH = Namespace(BASE + "graph/")  # named graphs
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")

# Named graphs that are not a fragment's own.
ONTOLOGY_GRAPH = GRAPH["ontology"]
CONCEPTS_GRAPH = GRAPH["concepts"]
SHAPES_GRAPH = GRAPH["shapes"]
REGISTRY_GRAPH = GRAPH["registry"]  # the user's actor registry (never served to anonymous readers)
SYSTEM_GRAPH = GRAPH["system"]  # ingest bookkeeping (content hashes, batches)
# Set-semantics unions of the fragment graphs, kept by the store in the same transaction as the fragment
# graphs: what queries read as their default graph (fast, and a fact shared by many fragments is one triple).
PUBLIC_UNION_GRAPH = GRAPH["union/public"]  # every triple of the non-confidential fragment graphs
CONFIDENTIAL_UNION_GRAPH = GRAPH["union/confidential"]  # every triple of the confidential fragment graphs

PREFIXES = {
    "hg": str(HG),
    "hgid": str(ID),
    "hgc": str(CONCEPT),
    "org": str(ORG),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}

SPARQL_PREFIXES = "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()) + "\n"

# Characters kept as they are inside an IRI segment; everything else is percent-encoded
# (UTF-8), so the mapping is reversible with ``unquote``.
_SAFE = "-._~"


def encode_id(value: str) -> str:
    """A FragmentID (or any identifier) as a safe, reversible IRI path segment."""
    return quote(value.strip(), safe=_SAFE)


def decode_id(segment: str) -> str:
    return unquote(segment)


@lru_cache(maxsize=8192)  # (pure; the mapper asks ~27 times a fragment, mostly for the same popular names)
def slug(text: str) -> str:
    """A readable, stable slug for names (actors, concepts): ASCII, lower case, hyphens."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    norm = re.sub(r"[^A-Za-z0-9]+", "-", norm).strip("-").lower()
    return norm or "x"


def fragment_iri(fragment_id: str):
    return ID[f"fragment/{encode_id(fragment_id)}"]


def outcome_iri(fragment_id: str):
    return ID[f"outcome/{encode_id(fragment_id)}"]


def fragment_graph(fragment_id: str):
    """The named graph holding everything derived from one fragment."""
    return GRAPH[f"fragment/{encode_id(fragment_id)}"]


def fragment_id_from_iri(iri: str) -> str:
    """Reverse of fragment_iri / outcome_iri / fragment_graph."""
    for prefix in (str(ID) + "fragment/", str(ID) + "outcome/", str(GRAPH) + "fragment/"):
        if iri.startswith(prefix):
            return decode_id(iri[len(prefix):])
    raise ValueError(f"not a fragment, outcome or fragment-graph IRI: {iri}")


def graph_of_fragment(iri: str) -> str:
    """The named graph of a fragment, from the fragment's IRI (the same encoded FragmentID in both)."""
    prefix = str(ID) + "fragment/"
    if not iri.startswith(prefix):
        raise ValueError(f"not a fragment IRI: {iri}")
    return str(GRAPH) + "fragment/" + iri[len(prefix):]


def is_fragment_graph(iri: str) -> bool:
    return iri.startswith(str(GRAPH) + "fragment/")


_MENTION_PREFIX, _FRAGMENT_PREFIX = str(ID) + "mention/", str(ID) + "fragment/"


def is_provenance_node(iri: str) -> bool:
    """A mention node: the record of where a fact was read (field, span). Mentions live only in their
    fragment's own graph (query them with ``GRAPH ?g``), not in the union graphs that readers query by
    default: no aggregate needs them. (So does the raw record, ``hg:rawRecord``: see ``store.in_union``.)"""
    return iri.startswith(_MENTION_PREFIX)


def programme_iri(code: str):
    return ID[f"programme/{encode_id(code.upper())}"]


def actor_iri(name: str):
    return ID[f"actor/{slug(name)}"]


def place_iri(code: str):
    """Countries by ISO 3166-1 alpha-2 (``KE``), sub-national places by ISO 3166-2 (``KE-19``)
    or, for places below that, by country and slug (``KE/mombasa-town``)."""
    return ID[f"place/{code}"]


def objective_iri(programme: str, code: str):
    return ID[f"objective/{encode_id(programme.upper())}/{slug(code)}"]


def rf_outcome_iri(programme: str, ref: str):
    return ID[f"rf-outcome/{encode_id(programme.upper())}/{slug(ref)}"]


def harvest_iri(programme: str, period: str):
    return ID[f"harvest/{encode_id(programme.upper())}/{slug(period)}"]


def contribution_iri(fragment_id: str, contributor_key: str):
    return ID[f"contribution/{encode_id(fragment_id)}/{slug(contributor_key)}"]


def concept_iri(scheme: str, label: str):
    return CONCEPT[f"{scheme}/{slug(label)}"]


def scheme_iri(scheme: str):
    return CONCEPT[scheme]


# Concept scheme keys (the path segment under CONCEPT).
SCHEME_TYPE_OF_CHANGE = "type-of-change"
SCHEME_CHANGE_CLUSTER = "change-cluster"
SCHEME_SIGNIFICANCE = "significance-rating"
SCHEME_CONTRIBUTION = "contribution-rating"
SCHEME_SCALE = "scale"
SCHEME_ACTOR_CATEGORY = "social-actor-category"
SCHEME_OUTCOME_STATUS = "outcome-status"
SCHEME_ACTOR_KIND = "actor-kind"
SCHEME_CONTRIBUTION_PATTERN = "contribution-pattern"
# An outcome's contribution pattern (hg:contributionPattern): (the programme contributed, another actor did) ->
# the key of its concept in the contribution-pattern scheme (ontology/build_concepts.py gives their labels).
CONTRIBUTION_PATTERNS = {(True, False): "programme-alone", (True, True): "programme-and-others",
                         (False, True): "others-only", (False, False): "none-found"}
CONTRIBUTION_PATTERN_IRIS = {k: str(concept_iri(SCHEME_CONTRIBUTION_PATTERN, key))
                             for k, key in CONTRIBUTION_PATTERNS.items()}  # (the same keys) -> the concept's IRI
