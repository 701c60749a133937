"""Who changed and who contributed: the interface between normalised fragments and the mapper.

A :class:`Resolver` turns a normalised fragment into actor and place links. This base resolver only
knows the programme (from the FragmentID / Programme field); :mod:`harvestgraph.actors` extends it with
the registry and rule-based extraction from the free text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..normalise import Fragment

ACTOR_KINDS = ("ngo", "network", "government", "media", "donor", "community", "individual", "programme")


@dataclass(frozen=True)
class Actor:
    name: str  # canonical name; its slug is the IRI key
    kind: str = "ngo"  # one of ACTOR_KINDS
    acronym: str | None = None
    aliases: tuple[str, ...] = ()
    country: str | None = None  # ISO alpha-2
    status: str = "registry"  # registry | extracted
    confidence: float = 1.0
    wikidata: str | None = None
    iati: str | None = None
    programme_code: str | None = None  # for kind == "programme": the FragmentID prefix (SCC)


@dataclass(frozen=True)
class ActorLink:
    actor: Actor
    role: str  # changed | contributor | mentioned
    field: str  # canonical field key the mention was found in
    start: int  # character offsets in the normalised field value
    end: int
    text: str  # the span as written
    method: str  # field | registry | rule | fuzzy
    confidence: float
    context: str | None = None  # for contributors: the sentence(s) describing the contribution


@dataclass(frozen=True)
class PlaceLink:
    code: str  # ISO 3166-2 (KE-19) or country/slug (KE/mombasa-town) or alpha-2 for countries
    name: str
    country: str  # ISO alpha-2
    field: str
    start: int
    end: int
    text: str
    method: str = "gazetteer"
    confidence: float = 1.0


@dataclass
class Resolution:
    programme: Actor | None = None
    actors: list[ActorLink] = field(default_factory=list)
    places: list[PlaceLink] = field(default_factory=list)
    builds_on: list[str] = field(default_factory=list)  # FragmentIDs this outcome builds on


class Resolver:
    """Base resolver: the programme only."""

    def programme(self, frag: Fragment) -> Actor | None:
        if not frag.programme:
            return None
        return Actor(name=f"{frag.programme} programme", kind="programme", acronym=frag.programme,
                     programme_code=frag.programme)

    def resolve(self, frag: Fragment) -> Resolution:
        return Resolution(programme=self.programme(frag))

    def prefetching(self, fragments):
        """``fragments`` as they come; a resolver with a language pipeline reads them in chunks first."""
        return fragments

    def registry_quads(self):
        """The actor registry as quads for the registry graph (written with each ingest batch)."""
        return []

    def fingerprint(self) -> str:
        """Changes when the registry or rules change, so re-ingest rewrites affected fragments."""
        return "base-1"
