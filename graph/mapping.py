"""Map a normalised fragment (and its resolved actors and places) onto the ontology, as quads.

Everything derived from one fragment goes into that fragment's own named graph, including the labels
and kinds of the actors, places, objectives and concepts it mentions: a reader who may not see the
fragment sees nothing that only it says. Quads are pyoxigraph terms (no rdflib on the hot path).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import pyoxigraph as ox

from .concepts import ConceptRef
from .normalise import Fragment
from .resolve import Actor, Resolution
from .vocab import (CONCEPT, HG, ID, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD, DCTERMS, actor_iri, concept_iri,
                    contribution_iri, encode_id, fragment_graph, fragment_iri, harvest_iri, objective_iri,
                    outcome_iri, place_iri, programme_iri, rf_outcome_iri, scheme_iri, slug, SCHEME_ACTOR_KIND)

MAPPING_VERSION = "1"


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
    """Cached pyoxigraph NamedNodes for the fixed vocabulary."""

    def __init__(self) -> None:
        self._cache: dict[str, ox.NamedNode] = {}

    def __call__(self, iri) -> ox.NamedNode:
        key = str(iri)
        node = self._cache.get(key)
        if node is None:
            node = self._cache[key] = ox.NamedNode(key)
        return node


N = _Terms()
A = N(RDF.type)
T_TRUE = ox.Literal("true", datatype=N(XSD.boolean))
T_FALSE = ox.Literal("false", datatype=N(XSD.boolean))

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
    return ox.Literal(str(value), datatype=N(XSD.integer))


def decimal(value: float) -> ox.Literal:
    return ox.Literal(f"{value:.3f}", datatype=N(XSD.decimal))


@dataclass
class MappedFragment:
    fragment: Fragment
    graph: ox.NamedNode
    quads: list[ox.Quad]
    content_hash: str


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
    add(node, N(SKOS.prefLabel), lit_en(actor.name))
    add(node, N(RDFS.label), lit_en(actor.name))
    add(node, N(HG.actorKind), N(concept_iri(SCHEME_ACTOR_KIND, actor.kind)))
    if actor.acronym:
        add(node, N(HG.acronym), lit(actor.acronym))
    for alias in actor.aliases:
        add(node, N(SKOS.altLabel), lit_en(alias))
    if actor.country:
        add(node, N(HG.basedIn), N(place_iri(actor.country)))
    add(node, N(HG.status), lit(actor.status))
    if actor.status != "registry":
        add(node, N(HG.confidence), decimal(actor.confidence))
    if actor.wikidata:
        add(node, N("http://www.w3.org/2002/07/owl#sameAs"), N(f"http://www.wikidata.org/entity/{actor.wikidata}"))
    if actor.iati:
        add(node, N(HG.iatiId), lit(actor.iati))
    if actor.programme_code:
        add(node, N(SKOS.notation), lit(actor.programme_code))
    return node


def map_fragment(frag: Fragment, res: Resolution) -> MappedFragment:
    g = N(fragment_graph(frag.id))
    quads: list[ox.Quad] = []

    def add(s, p, o) -> None:
        quads.append(ox.Quad(s, p, o, g))

    def concept(c: ConceptRef) -> ox.NamedNode:
        node = N(c.iri)
        if c.ad_hoc:
            add(node, A, N(SKOS.Concept))
            add(node, N(SKOS.prefLabel), lit_en(c.label))
            add(node, N(SKOS.inScheme), N(scheme_iri(c.scheme)))
            add(node, N(HG.adHoc), T_TRUE)
        return node

    raw = frag.raw
    enc = encode_id(frag.id)
    fr, oc = N(fragment_iri(frag.id)), N(outcome_iri(frag.id))

    # --- the record and its provenance
    add(fr, A, N(HG.Fragment))
    add(fr, N(DCTERMS.identifier), lit(frag.id))
    add(fr, N(HG.describesOutcome), oc)
    add(fr, N(HG.sourceFile), lit(raw.source_file))
    add(fr, N(HG.sourceLine), integer(raw.line))
    add(fr, N(HG.sourceFormat), lit(raw.source_format))
    if frag.confidential is not None:
        add(fr, N(HG.isConfidential), boolean(frag.confidential))
    if frag.has_merged_story:
        add(fr, N(HG.hasDerivedMergedStory), T_TRUE)
    for i, f in enumerate(raw.fields):
        fv = N(ID[f"fragment/{enc}/field/{i + 1}"])
        add(fr, N(HG.extraField if f.key is None else HG.rawField), fv)
        add(fv, A, N(HG.FieldValue))
        add(fv, N(HG.fieldName), lit(f.name))
        if f.key is not None:
            add(fv, N(HG.canonicalField), lit(f.key))
        add(fv, N(HG.rawValue), lit(f.value))
        add(fv, N(HG.sourceLine), integer(f.line))
        add(fv, N(HG.fieldOrder), integer(i + 1))
        add(fv, N(HG.matchMethod), lit(f.match.method))

    # --- the outcome
    add(oc, A, N(HG.Outcome))
    add(oc, N(PROV.wasDerivedFrom), fr)
    add(oc, N(DCTERMS.identifier), lit(frag.id))
    for key, prop in (("outcome_description", DCTERMS.description), ("significance", HG.significance),
                      ("additional_information", HG.additionalInformation), ("evidence", HG.evidence),
                      ("contribution_programme", HG.programmeContributionText),
                      ("contribution_others", HG.otherContributionsText)):
        if (v := getattr(frag, key)) is not None:
            add(oc, N(prop), lit(v))
    if frag.year is not None:
        add(oc, N(HG.year), ox.Literal(f"{frag.year:04d}", datatype=N(XSD.gYear)))
    if frag.country is not None:
        add(oc, N(HG.country), N(place_iri(frag.country.code)))
    for c in (frag.country, *frag.other_countries):
        if c is not None:
            add(oc, N(DCTERMS.spatial), N(place_iri(c.code)))
    for key, prop in (("rating_significance", HG.significanceRating), ("rating_contribution", HG.contributionRating),
                      ("social_actor", HG.socialActorCategory), ("scale", HG.scale),
                      ("outcome_status", HG.outcomeStatus)):
        if (c := getattr(frag, key)) is not None:
            add(fr if key == "outcome_status" else oc, N(prop), concept(c))
    for c in frag.types_of_change:
        add(oc, N(HG.typeOfChange), concept(c))
    for c in frag.clusters:
        add(oc, N(HG.typeOfChangeCluster), concept(c))
    for key, prop in (("unintended", HG.isUnintended), ("negative", HG.isNegative)):
        if (v := getattr(frag, key)) is not None:
            add(oc, N(prop), boolean(v))

    prog = frag.programme
    if prog:
        for ref in frag.objectives:
            node = N(objective_iri(prog, ref.notation or ref.label))
            add(oc, N(HG.linkedObjective), node)
            add(node, A, N(HG.Objective))
            add(node, N(SKOS.prefLabel), lit_en(ref.label))
            if ref.notation:
                add(node, N(SKOS.notation), lit(ref.notation))
            add(node, N(HG.programme), N(programme_iri(prog)))
        for ref in frag.rf_outcomes:
            node = N(rf_outcome_iri(prog, ref.label))
            add(oc, N(HG.linkedRFOutcome), node)
            add(node, A, N(HG.ResultsFrameworkOutcome))
            add(node, N(SKOS.prefLabel), lit_en(ref.label))
            add(node, N(SKOS.notation), lit(ref.label))
            add(node, N(HG.programme), N(programme_iri(prog)))
        if frag.harvest_period:
            node = N(harvest_iri(prog, frag.harvest_period))
            add(fr, N(HG.harvestPeriod), node)
            add(node, A, N(HG.HarvestPeriod))
            add(node, N(RDFS.label), lit_en(f"{prog} {frag.harvest_period}"))
            add(node, N(HG.programme), N(programme_iri(prog)))

    # --- the programme and its contribution
    if res.programme is not None:
        pnode = describe_actor(add, res.programme)
        add(fr, N(HG.programme), pnode)
        add(oc, N(HG.programme), pnode)
        if programme_contributes(frag):
            c = N(contribution_iri(frag.id, "programme"))
            add(c, A, N(HG.Contribution))
            add(oc, N(HG.qualifiedContribution), c)
            add(oc, N(HG.hasContributor), pnode)
            add(c, N(PROV.agent), pnode)
            add(c, N(HG.contributionTo), oc)
            add(c, N(HG.contributionText), lit(frag.contribution_programme))
            add(c, N(HG.isProgrammeContribution), T_TRUE)
            add(c, N(HG.extractionMethod), lit("field"))
            add(c, N(HG.confidence), decimal(1.0))
            if frag.rating_contribution is not None:
                add(c, N(HG.contributionRating), concept(frag.rating_contribution))

    # --- actors found in the text
    described: set[str] = set()
    contributed: set[str] = set()
    for link in res.actors:
        node = actor_node(link.actor)
        if node.value not in described:
            describe_actor(add, link.actor)
            described.add(node.value)
        m = N(ID[f"mention/{enc}/{link.field}/{link.start}-{link.end}"])
        add(oc, N(HG.hasMention), m)
        add(m, A, N(HG.Mention))
        add(m, N(HG.inField), lit(link.field))
        add(m, N(HG.start), integer(link.start))
        add(m, N(HG.end), integer(link.end))
        add(m, N(HG.text), lit(link.text))
        add(m, N(HG.refersTo), node)
        add(m, N(HG.role), lit(link.role))
        add(m, N(HG.extractionMethod), lit(link.method))
        add(m, N(HG.confidence), decimal(link.confidence))
        if link.role == "changed":
            add(oc, N(HG.changedActor), node)
        elif link.role == "contributor":
            if res.programme is not None and node == actor_node(res.programme):
                continue
            if node.value in contributed:
                continue
            contributed.add(node.value)
            c = N(contribution_iri(frag.id, slug(link.actor.name)))
            add(c, A, N(HG.Contribution))
            add(oc, N(HG.qualifiedContribution), c)
            add(oc, N(HG.hasContributor), node)
            add(c, N(PROV.agent), node)
            add(c, N(HG.contributionTo), oc)
            if link.context:
                add(c, N(HG.contributionText), lit(link.context))
            add(c, N(HG.isProgrammeContribution), T_FALSE)
            add(c, N(HG.extractionMethod), lit(link.method))
            add(c, N(HG.confidence), decimal(link.confidence))
        else:
            add(oc, N(HG.mentions), node)

    for p in res.places:
        node = N(place_iri(p.code))
        if p.code != p.country:
            add(node, A, N(HG.Place))
            add(node, N(SKOS.prefLabel), lit_en(p.name))
            add(node, N(RDFS.label), lit_en(p.name))
            add(node, N(SCHEMA.containedInPlace), N(place_iri(p.country)))
            if "/" not in p.code:
                add(node, N(HG.isoCode), lit(p.code))
        add(oc, N(DCTERMS.spatial), node)
        m = N(ID[f"mention/{enc}/{p.field}/{p.start}-{p.end}"])
        add(oc, N(HG.hasMention), m)
        add(m, A, N(HG.Mention))
        add(m, N(HG.inField), lit(p.field))
        add(m, N(HG.start), integer(p.start))
        add(m, N(HG.end), integer(p.end))
        add(m, N(HG.text), lit(p.text))
        add(m, N(HG.refersTo), node)
        add(m, N(HG.role), lit("place"))
        add(m, N(HG.extractionMethod), lit(p.method))
        add(m, N(HG.confidence), decimal(p.confidence))

    for other in res.builds_on:
        if other != frag.id:
            add(oc, N(HG.buildsOn), N(outcome_iri(other)))

    quads = list(dict.fromkeys(quads))  # the same fact found twice is one triple
    digest = hashlib.sha256(MAPPING_VERSION.encode())
    for line in sorted(str(q) for q in quads):
        digest.update(line.encode())
        digest.update(b"\n")
    return MappedFragment(frag, g, quads, digest.hexdigest())
