"""Map a normalised fragment (and its resolved actors and places) onto the ontology, as quads.

Everything derived from one fragment goes into that fragment's own named graph, including the labels
and kinds of the actors, places, objectives and concepts it mentions: a reader who may not see the
fragment sees nothing that only it says. Quads are pyoxigraph terms (no rdflib on the hot path).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from .concepts import ConceptRef
from .normalise import Fragment
from .resolve import Actor, Resolution, Resolver
from .vocab import (CONCEPT, HG, ID, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD, DCTERMS, actor_iri, concept_iri,
                    contribution_iri, fragment_graph, fragment_iri, harvest_iri, objective_iri,
                    outcome_iri, place_iri, programme_iri, rf_outcome_iri, scheme_iri, slug, SCHEME_ACTOR_KIND,
                    CONTRIBUTION_PATTERN_IRIS)

MAPPING_VERSION = "4"  # bump when the quads a fragment maps to change (part of every record key)


class _FastNamespace:
    """An rdflib namespace whose terms are plain strings, cached on first use. rdflib builds a new
    URIRef on every attribute access (and a DefinedNamespace checks its term list), which was a
    quarter of the mapping time; the mapper only needs the IRI strings for :data:`N`."""

    def __init__(self, ns) -> None:
        self._ns, self._base = ns, str(ns)

    def __getattr__(self, name: str) -> str:
        value = self.__dict__[name] = str(getattr(self._ns, name))
        return value

    def __getitem__(self, key: str) -> str:
        return self._base + key


CONCEPT, HG, ID, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD, DCTERMS = map(
    _FastNamespace, (CONCEPT, HG, ID, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD, DCTERMS))


class _Terms:
    """Cached pyoxigraph NamedNodes for the vocabulary and the resources fragments share (actors, places,
    concepts). Bounded (:data:`TERMS_CACHE`, forgotten all at once when full): it grew with every IRI a
    process ever mapped, ~1.6 KB a fragment (tracemalloc, 2,000 benchmark fragments, 30 Nov 2026), i.e.
    ~80 MB in each of the two workers of a 100k ingest. A fragment's own IRIs are not cached at all."""

    def __init__(self) -> None:
        self._cache: dict[str, ox.NamedNode] = {}

    def __call__(self, iri) -> ox.NamedNode:
        key = str(iri)
        node = self._cache.get(key)
        if node is None:
            if len(self._cache) >= TERMS_CACHE:
                self._cache.clear()
            node = self._cache[key] = ox.NamedNode(key)
        return node


TERMS_CACHE = 20_000  # IRIs; the vocabulary and the shared resources of a few thousand fragments


N = _Terms()


class _NodeNamespace:
    """Like :class:`_FastNamespace`, but its terms are pyoxigraph NamedNodes: ``HG_.year`` is one cached
    attribute lookup where ``N(HG.year)`` was two calls, and the mapper makes about 500 per fragment."""

    def __init__(self, ns: _FastNamespace) -> None:
        self._ns = ns

    def __getattr__(self, name: str) -> ox.NamedNode:
        node = self.__dict__[name] = N(getattr(self._ns, name))
        return node


HG_, SKOS_, RDFS_, DCTERMS_, PROV_, SCHEMA_, XSD_, RDF_ = map(_NodeNamespace, (HG, SKOS, RDFS, DCTERMS, PROV, SCHEMA, XSD, RDF))
A = RDF_.type
T_TRUE = ox.Literal("true", datatype=XSD_.boolean)
T_FALSE = ox.Literal("false", datatype=XSD_.boolean)

ACTOR_CLASS = {
    "ngo": HG.Organisation, "network": HG.Network, "government": HG.GovernmentBody, "media": HG.MediaOrganisation,
    "donor": HG.DonorOrINGO, "community": HG.CommunityGroup, "individual": HG.IndividualByRole,
    "programme": HG.Programme,
}


def lit(value: str) -> ox.Literal:
    return ox.Literal(value)


def lit_en(value: str) -> ox.Literal:
    return ox.Literal(value, language="en")


def boolean(value: bool) -> ox.Literal:
    return T_TRUE if value else T_FALSE


def integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD_.integer)


def decimal(value: float) -> ox.Literal:
    return ox.Literal(f"{value:.3f}", datatype=XSD_.decimal)


class MappedFragment:
    """A fragment's graph as mapped: its quads, each printed once (``lines``: N-Quads statements without
    the final " ."), their digest (``content_hash``: an unchanged digest is not rewritten) and the key of
    the raw record it was mapped from (``record_key``, see ``ingest.keys.record_key``).

    The lines are what the digest is taken from and what the writers hand to the loader (they used to be
    printed three times on the resident pool's path: for the digest, for the parent, for the loader).
    Either the terms (``quads``) or the ``lines`` may be given, the other is made on first use: the
    mapping processes hand back lines only, and the caller writes them as they are (no parse-back)."""

    __slots__ = ("fragment", "graph", "content_hash", "record_key", "_quads", "_lines")

    def __init__(self, fragment: Fragment, graph: ox.NamedNode, quads: list[ox.Quad] | None, content_hash: str,
                 record_key: str | None = None, *, lines: list[str] | None = None):
        if quads is None and lines is None:
            raise ValueError("a MappedFragment needs its quads or their lines")
        self.fragment, self.graph, self.content_hash, self.record_key = fragment, graph, content_hash, record_key
        self._quads, self._lines = quads, lines

    @property
    def quads(self) -> list[ox.Quad]:
        if self._quads is None:
            self._quads = parse_lines(self._lines or [])
        return self._quads

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = [str(q) for q in self._quads or []]
        return self._lines

    def __len__(self) -> int:
        """How many quads (without printing or parsing either form)."""
        return len(self._lines) if self._lines is not None else len(self._quads or [])

    def __repr__(self) -> str:
        return f"MappedFragment({self.graph.value!r}, {len(self)} quads, {self.content_hash[:12]})"


def parse_lines(lines: list[str]) -> list[ox.Quad]:
    """The quads of printed lines (see :class:`MappedFragment`): read leniently, since they were printed
    from pyoxigraph terms, valid when built."""
    if not lines:
        return []
    text = "".join(line + " .\n" for line in lines).encode()
    return list(ox.parse(input=text, format=ox.RdfFormat.N_QUADS, lenient=True))


_NOT_APPLICABLE = re.compile(r"^\W*(?:n\s*/\s*a|n\.a\.?|not\s+applicable|none|nil|no\s+contribution|-+)(?!\w)", re.I)


def programme_contributes(frag: Fragment) -> bool:
    """The programme contributed when its contribution field says something: "N/A (negative outcome)"
    or "Not applicable." is no contribution (the text is still kept as hg:programmeContributionText)."""
    text = frag.contribution_programme
    return bool(text) and not _NOT_APPLICABLE.match(text)


def actor_node(actor: Actor) -> ox.NamedNode:
    if actor.kind == "programme" and actor.programme_code:
        return N(programme_iri(actor.programme_code))
    return N(actor_iri(actor.name))


def describe_actor(add, actor: Actor) -> ox.NamedNode:
    node = actor_node(actor)
    add(node, A, N(ACTOR_CLASS.get(actor.kind, HG.SocialActor)))
    add(node, SKOS_.prefLabel, lit_en(actor.name))  # (skos:prefLabel is a sub-property of rdfs:label)
    add(node, HG_.actorKind, N(concept_iri(SCHEME_ACTOR_KIND, actor.kind)))
    if actor.acronym:
        add(node, HG_.acronym, lit(actor.acronym))
    for alias in actor.aliases:
        add(node, SKOS_.altLabel, lit_en(alias))
    if actor.country:
        add(node, HG_.basedIn, N(place_iri(actor.country)))
    add(node, HG_.status, lit(actor.status))
    if actor.status != "registry":
        add(node, HG_.confidence, decimal(actor.confidence))
    if actor.wikidata:
        add(node, N("http://www.w3.org/2002/07/owl#sameAs"), N(f"http://www.wikidata.org/entity/{actor.wikidata}"))
    if actor.iati:
        add(node, HG_.iatiId, lit(actor.iati))
    if actor.programme_code:
        add(node, SKOS_.notation, lit(actor.programme_code))
    return node


def raw_record(raw) -> str:
    """The raw record as one JSON literal (``hg:rawRecord``): every field in its order, as
    ``[name as written, canonical field or null, value as written, line, match method]``. One quad instead
    of an hg:FieldValue resource of eight per field (about 180 quads a fragment before: issue 14)."""
    return json.dumps([[f.name, f.key, f.value, f.line, f.match.method] for f in raw.fields],
                      ensure_ascii=False, separators=(",", ":"))


def read_record(text: str) -> list[dict]:
    """The fields of a :func:`raw_record` literal, in order: dicts with ``order`` (1-based), ``fieldName``,
    ``canonicalField`` (None for unknown fields), ``rawValue``, ``sourceLine`` and ``matchMethod``."""
    return [{"order": i, "fieldName": name, "canonicalField": key, "rawValue": value, "sourceLine": line,
             "matchMethod": method} for i, (name, key, value, line, method) in enumerate(json.loads(text), 1)]


_ID_BASE = str(ID[""])
MENTION_KEYS = ("refersTo", "role", "inField", "start", "end", "method", "confidence", "text")


def mention_record(entries: list[list]) -> str:
    """The mentions of one outcome as one JSON literal (``hg:mentionRecord``, fragment graph only): per
    text span that names an actor or a place, ``[target, role, field, start, end, method, confidence,
    text]`` with the target IRI relative to the ``hgid:`` base and the text only for extracted actors
    (what the review sheet lists them by). One quad instead of five to nine per mention (about 95 quads
    a fragment on the benchmark corpus before, Nov 2026: issue 14). Entries in the order found, each once."""
    seen, out = set(), []
    for e in entries:
        iri = e[0][len(_ID_BASE):] if e[0].startswith(_ID_BASE) else e[0]
        row = [iri, *e[1:]]
        key = tuple(row[:5])
        if key not in seen:
            seen.add(key)
            out.append(row)
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def read_mentions(text: str) -> list[dict]:
    """The mentions of a :func:`mention_record` literal as dicts with :data:`MENTION_KEYS` (``refersTo``
    a full IRI, ``text`` None unless the actor was extracted), in order."""
    out = []
    for row in json.loads(text):
        d = dict(zip(MENTION_KEYS, row))
        if "://" not in d["refersTo"]:
            d["refersTo"] = _ID_BASE + d["refersTo"]
        out.append(d)
    return out


def map_fragment(frag: Fragment, res: Resolution) -> MappedFragment:
    g = ox.NamedNode(str(fragment_graph(frag.id)))  # (a fragment's own IRIs: not cached, see _Terms)
    quads: list[ox.Quad] = []

    def add(s, p, o) -> None:
        quads.append(ox.Quad(s, p, o, g))

    def concept(c: ConceptRef) -> ox.NamedNode:
        node = N(c.iri)
        if c.ad_hoc:
            add(node, A, SKOS_.Concept)
            add(node, SKOS_.prefLabel, lit_en(c.label))
            add(node, SKOS_.inScheme, N(scheme_iri(c.scheme)))
            add(node, HG_.adHoc, T_TRUE)
        return node

    mentions: list[list] = []

    def mention(span, node: ox.NamedNode, role: str, extracted: bool = False) -> None:
        """The mention of an actor link or a place link: where in which field the text names ``node``,
        kept as one entry of the outcome's mention record (see :func:`mention_record`)."""
        mentions.append([node.value, role, span.field, span.start, span.end, span.method,
                         round(span.confidence, 3), span.text if extracted else None])

    raw = frag.raw
    fr, oc = ox.NamedNode(str(fragment_iri(frag.id))), ox.NamedNode(str(outcome_iri(frag.id)))

    # --- the record and its provenance
    add(fr, A, HG_.Fragment)
    add(fr, DCTERMS_.identifier, lit(frag.id))
    add(fr, HG_.describesOutcome, oc)
    add(fr, HG_.sourceFile, lit(raw.source_file))
    add(fr, HG_.sourceLine, integer(raw.line))
    add(fr, HG_.sourceFormat, lit(raw.source_format))
    if frag.confidential is not None:
        add(fr, HG_.isConfidential, boolean(frag.confidential))
    if frag.has_merged_story:
        add(fr, HG_.hasDerivedMergedStory, T_TRUE)
    add(fr, HG_.rawRecord, lit(raw_record(raw)))

    # --- the outcome
    add(oc, A, HG_.Outcome)
    add(oc, PROV_.wasDerivedFrom, fr)
    add(oc, DCTERMS_.identifier, lit(frag.id))
    for key, prop in (("outcome_description", DCTERMS.description), ("significance", HG.significance),
                      ("additional_information", HG.additionalInformation), ("evidence", HG.evidence),
                      ("contribution_programme", HG.programmeContributionText),
                      ("contribution_others", HG.otherContributionsText)):
        if (v := getattr(frag, key)) is not None:
            add(oc, N(prop), lit(v))
    if frag.year is not None:
        add(oc, HG_.year, ox.Literal(f"{frag.year:04d}", datatype=XSD_.gYear))
    if frag.country is not None:
        add(oc, HG_.country, N(place_iri(frag.country.code)))
    for c in (frag.country, *frag.other_countries):
        if c is not None:
            add(oc, DCTERMS_.spatial, N(place_iri(c.code)))
    for key, prop in (("rating_significance", HG.significanceRating), ("rating_contribution", HG.contributionRating),
                      ("social_actor", HG.socialActorCategory), ("scale", HG.scale),
                      ("outcome_status", HG.outcomeStatus)):
        if (c := getattr(frag, key)) is not None:
            add(fr if key == "outcome_status" else oc, N(prop), concept(c))
    for c in frag.types_of_change:
        add(oc, HG_.typeOfChange, concept(c))
    for c in frag.clusters:
        add(oc, HG_.typeOfChangeCluster, concept(c))
    for key, prop in (("unintended", HG.isUnintended), ("negative", HG.isNegative)):
        if (v := getattr(frag, key)) is not None:
            add(oc, N(prop), boolean(v))

    prog = frag.programme
    if prog:
        for ref in frag.objectives:
            node = N(objective_iri(prog, ref.notation or ref.label))
            add(oc, HG_.linkedObjective, node)
            add(node, A, HG_.Objective)
            add(node, SKOS_.prefLabel, lit_en(ref.label))
            if ref.notation:
                add(node, SKOS_.notation, lit(ref.notation))
            add(node, HG_.programme, N(programme_iri(prog)))
        for ref in frag.rf_outcomes:
            node = N(rf_outcome_iri(prog, ref.label))
            add(oc, HG_.linkedRFOutcome, node)
            add(node, A, HG_.ResultsFrameworkOutcome)
            add(node, SKOS_.prefLabel, lit_en(ref.label))
            add(node, SKOS_.notation, lit(ref.label))
            add(node, HG_.programme, N(programme_iri(prog)))
        if frag.harvest_period:
            node = N(harvest_iri(prog, frag.harvest_period))
            add(fr, HG_.harvestPeriod, node)
            add(node, A, HG_.HarvestPeriod)
            add(node, RDFS_.label, lit_en(f"{prog} {frag.harvest_period}"))
            add(node, HG_.programme, N(programme_iri(prog)))

    # --- the programme and its contribution
    programme_contributed = False
    if res.programme is not None:
        pnode = describe_actor(add, res.programme)
        add(fr, HG_.programme, pnode)
        add(oc, HG_.programme, pnode)
        if programme_contributes(frag):
            programme_contributed = True
            c = ox.NamedNode(str(contribution_iri(frag.id, "programme")))
            add(c, A, HG_.Contribution)
            add(oc, HG_.qualifiedContribution, c)
            add(oc, HG_.hasContributor, pnode)
            add(c, PROV_.agent, pnode)
            add(c, HG_.contributionTo, oc)
            add(c, HG_.contributionText, lit(frag.contribution_programme))
            add(c, HG_.isProgrammeContribution, T_TRUE)
            add(c, HG_.extractionMethod, lit("field"))
            add(c, HG_.confidence, decimal(1.0))
            if frag.rating_contribution is not None:
                add(c, HG_.contributionRating, concept(frag.rating_contribution))

    # --- actors found in the text
    described: set[str] = set()
    contributed: set[str] = set()
    for link in res.actors:
        node = actor_node(link.actor)
        if node.value not in described:
            describe_actor(add, link.actor)
            described.add(node.value)
        mention(link, node, link.role, link.actor.status == "extracted")
        if link.role == "changed":
            add(oc, HG_.changedActor, node)
        elif link.role == "contributor":
            if res.programme is not None and node == actor_node(res.programme):
                continue
            if node.value in contributed:
                continue
            contributed.add(node.value)
            c = ox.NamedNode(str(contribution_iri(frag.id, slug(link.actor.name))))
            add(c, A, HG_.Contribution)
            add(oc, HG_.qualifiedContribution, c)
            add(oc, HG_.hasContributor, node)
            add(c, PROV_.agent, node)
            add(c, HG_.contributionTo, oc)
            if link.context:
                add(c, HG_.contributionText, lit(link.context))
            add(c, HG_.isProgrammeContribution, T_FALSE)
            add(c, HG_.extractionMethod, lit(link.method))
            add(c, HG_.confidence, decimal(link.confidence))
        else:
            add(oc, HG_.mentions, node)
    add(oc, HG_.contributionPattern, N(CONTRIBUTION_PATTERN_IRIS[programme_contributed, bool(contributed)]))

    for p in res.places:
        node = N(place_iri(p.code))
        if p.code != p.country:
            add(node, A, HG_.Place)
            add(node, SKOS_.prefLabel, lit_en(p.name))
            add(node, SCHEMA_.containedInPlace, N(place_iri(p.country)))
            if "/" not in p.code:
                add(node, HG_.isoCode, lit(p.code))
        add(oc, DCTERMS_.spatial, node)
        mention(p, node, "place")

    for other in res.builds_on:
        if other != frag.id:
            add(oc, HG_.buildsOn, N(outcome_iri(other)))

    if mentions:
        add(oc, HG_.mentionRecord, lit(mention_record(mentions)))

    quads = list(dict.fromkeys(quads))  # the same fact found twice is one triple
    # each quad printed once: the digest is taken from these lines, and the writers hand them to the loader
    # (deduplicated as terms first: hashing the printed lines instead cost ~0.1 ms more a fragment)
    lines = list(map(str, quads))
    # the digest of the sorted lines, each ended by a newline (one update: the same bytes as one per line)
    digest = hashlib.sha256(MAPPING_VERSION.encode())
    digest.update(("\n".join(sorted(lines)) + "\n").encode())
    return MappedFragment(frag, g, quads, digest.hexdigest(), lines=lines)


def map_all(fragments: Iterable[Fragment], resolver: Resolver) -> Iterator[tuple[Fragment, MappedFragment]]:
    """Resolve and map fragments in turn: each fragment and its :func:`map_fragment`. The one loop of the
    three places that map (a one-off ingest in this process, its forked workers, the resident pool); the
    language pipeline reads chunks of the fragments together (``resolver.prefetching``)."""
    for frag in resolver.prefetching(fragments):
        yield frag, map_fragment(frag, resolver.resolve(frag))
