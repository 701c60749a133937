"""The data model for browsers (``/model``): what a researcher needs to write a SPARQL query.

Every class of the ontology with the properties a resource of it carries (the ontology's domains and
ranges; for the W3C terms reused without a domain, the paths of the SHACL shapes that target the class),
the concept schemes with their concepts, the graphs a reader's queries read, and a few example queries
that open, answered, in the SPARQL editor. Everything is read from the bundled ``ontology/*.ttl`` once per
process: the page says what the store is validated against, never a copy that could drift. The three
files themselves are served as Turtle (``/model/{ontology,concepts,shapes}.ttl``) for clients and for
download.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS
from rdflib.collection import Collection

from harvestgraph.api.pages.common import HTMLRoute, ReaderDep, render
from harvestgraph.api import rest
from harvestgraph.resources import ontology_path
from harvestgraph.vocab import BASE, CONFIDENTIAL_UNION_GRAPH, HG, PREFIXES, PUBLIC_UNION_GRAPH, SPARQL_PREFIXES

router = APIRouter(route_class=HTMLRoute, include_in_schema=False)
files_router = APIRouter()

SH = Namespace("http://www.w3.org/ns/shacl#")
FILES = {"ontology": "harvestgraph.ttl", "concepts": "concepts.ttl", "shapes": "shapes.ttl"}
SHOWN_CONCEPTS = 30  # concepts listed openly per scheme; the rest behind "more"


@dataclass
class Ref:
    """A term as the page shows it: its prefixed name, and the anchor of its section when the page has one."""

    name: str
    anchor: str | None = None
    label: str = ""  # what a reader calls it ("Outcome", "Concept (SKOS)"); the prefixed name is secondary


@dataclass
class Prop:
    name: str
    label: str
    comment: str
    ranges: list[Ref]
    kind: str  # "link" (an object property) or "value"
    functional: bool = False
    required: bool = False  # the SHACL shapes refuse a resource without it
    expected: bool = False  # ... or warn
    from_shapes: bool = False  # a reused term: what it holds is said by the shapes, not by a domain
    anchor: str | None = None  # the row's id: on the first row that lists the property (its place on the page)


@dataclass
class ClassInfo:
    ref: Ref
    label: str
    comment: str
    supers: list[Ref]
    subs: list[Ref] = field(default_factory=list)
    props: list[Prop] = field(default_factory=list)
    incoming: list[tuple[Ref, Ref]] = field(default_factory=list)  # (class, property) that link here


@dataclass
class Scheme:
    name: str
    label: str
    comment: str
    concepts: list[tuple[str, str, str]]  # (label, notation or "", anchor)


@dataclass
class Model:
    title: str
    description: str
    version: str
    classes: list[ClassInfo]
    schemes: list[Scheme]
    countries: int
    examples: list[dict]
    # every term of the ontology and concept schemes: IRI -> (label, its place on /model or None); the
    # linked-data pages name a property, class or concept by it
    terms: dict[str, tuple[str, str | None]] = field(default_factory=dict)


def curie(iri) -> str:
    return rest.curie(str(iri))  # (the prefixes the API's pages use)


def _text(g: Graph, s, p) -> str:
    values = [o for o in g.objects(s, p) if isinstance(o, Literal)]
    en = [o for o in values if o.language in (None, "en")]
    return str((en or values or [""])[0])


def _members(g: Graph, node) -> list:
    """A class expression's named classes: the class itself, or the members of an owl:unionOf."""
    if isinstance(node, URIRef):
        return [node]
    union = g.value(node, OWL.unionOf)
    return [m for m in Collection(g, union) if isinstance(m, URIRef)] if union is not None else []


def _order(name: str) -> list[str]:
    """The local names of the terms in the order the ontology file defines them (its authors' order)."""
    text = ontology_path(name).read_text(encoding="utf-8")
    return re.findall(r"^hg:(\w+)\s+a\s", text, flags=re.M)


def _ref(iri, anchors: set, labels: dict | None = None) -> Ref:
    name = curie(iri)
    return Ref(name, name.replace(":", "-") if str(iri) in anchors else None,
               (labels or {}).get(str(iri)) or REUSED_LABELS.get(name, ""))


# What a reader calls the W3C terms the graph reuses (their vocabularies' own labels, not bundled here).
REUSED_LABELS = {
    "rdf:type": "type", "rdfs:label": "label", "rdfs:comment": "comment", "dcterms:description": "description",
    "dcterms:identifier": "identifier", "dcterms:spatial": "place", "dcterms:title": "title",
    "dcterms:source": "source", "dcterms:created": "created", "dcterms:modified": "modified",
    "prov:wasDerivedFrom": "derived from", "prov:agent": "agent", "prov:generatedAtTime": "generated at",
    "skos:prefLabel": "name", "skos:altLabel": "other name", "skos:notation": "code", "skos:inScheme": "in scheme",
    "skos:broader": "broader concept", "skos:narrower": "narrower concept", "skos:topConceptOf": "top concept of",
    "skos:hasTopConcept": "top concept", "skos:definition": "definition", "skos:Concept": "Concept (SKOS)",
    "skos:ConceptScheme": "Concept scheme (SKOS)", "owl:sameAs": "same as", "org:memberOf": "member of",
    "org:Organization": "Organization (ORG)", "prov:Agent": "Agent (PROV)", "prov:Entity": "Entity (PROV)",
    "foaf:Person": "Person", "rdfs:Literal": "text", "xsd:string": "text", "rdf:langString": "text in a language",
    "xsd:gYear": "year", "xsd:boolean": "yes or no", "xsd:integer": "whole number", "xsd:nonNegativeInteger":
    "whole number", "xsd:decimal": "number", "xsd:double": "number", "xsd:date": "date", "xsd:dateTime": "date and time",
    "xsd:anyURI": "web address",
}


def words(local: str) -> str:
    """A term's local name as words, for a term without a label: ``wasDerivedFrom`` → "was derived from"."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).replace("_", " ").replace("-", " ").lower()


def _shape_range(shapes: Graph, ps, anchors: set, labels: dict) -> list[Ref]:
    out = [_ref(o, anchors, labels) for p in (SH["class"], SH.datatype) for o in shapes.objects(ps, p)]
    for node in shapes.objects(ps, SH.node):  # "a concept of scheme X"
        scheme = next((v for pp in shapes.objects(node, SH.property) for v in shapes.objects(pp, SH.hasValue)), None)
        if scheme is not None:
            out.append(Ref(f"a concept of {curie(scheme)}", "scheme-" + str(scheme).rsplit("/", 1)[-1],
                           "a concept of " + labels.get(str(scheme), words(str(scheme).rsplit("/", 1)[-1])).lower()))
    kind = shapes.value(ps, SH.nodeKind)
    if not out and kind is not None:
        out.append(Ref({SH.Literal: "a literal", SH.IRI: "an IRI"}.get(kind, curie(kind))))
    return out


@functools.lru_cache(maxsize=1)
def model() -> Model:
    onto, concepts, shapes = (Graph().parse(ontology_path(f), format="turtle") for f in FILES.values())
    order = {n: i for i, n in enumerate(_order(FILES["ontology"]))}
    def current(t) -> bool:  # ours and not deprecated (hg:Mention and its properties: data models 1-2 only)
        return isinstance(t, URIRef) and str(t).startswith(str(HG)) and (t, OWL.deprecated, Literal(True)) not in onto

    ours = sorted((c for c in onto.subjects(RDF.type, OWL.Class) if current(c)),
                  key=lambda c: (order.get(str(c)[len(str(HG)):], 999), str(c)))
    concept_cls = SKOS.Concept
    anchors = {str(c) for c in ours} | {str(concept_cls)}
    class_labels = {str(c): _text(onto, c, RDFS.label) or words(curie(c).split(":")[-1]) for c in ours}
    class_labels[str(concept_cls)] = "Concept (SKOS)"
    class_labels |= {str(s): _text(concepts, s, SKOS.prefLabel) for s in concepts.subjects(RDF.type, SKOS.ConceptScheme)}
    info = {c: ClassInfo(_ref(c, anchors, class_labels), _text(onto, c, RDFS.label), _text(onto, c, RDFS.comment),
                         [_ref(s, anchors, class_labels) for s in onto.objects(c, RDFS.subClassOf)
                          if isinstance(s, URIRef)])
            for c in [*ours, concept_cls]}
    info[concept_cls].label = "Concept (SKOS)"
    info[concept_cls].comment = ("A value of one of the concept schemes below: a rating, a scale, a type of change, "
                                 "an objective, a results-framework outcome. Read its label with skos:prefLabel.")
    for c in ours:
        for s in onto.objects(c, RDFS.subClassOf):
            if s in info:
                info[s].subs.append(info[c].ref)

    props = [p for t in (OWL.ObjectProperty, OWL.DatatypeProperty) for p in onto.subjects(RDF.type, t) if current(p)]
    props.sort(key=lambda p: (order.get(str(p)[len(str(HG)):], 999), str(p)))
    listed: dict[tuple, Prop] = {}
    for p in props:
        ranges = [_ref(r, anchors, class_labels) for node in onto.objects(p, RDFS.range) for r in _members(onto, node)]
        kind = "link" if (p, RDF.type, OWL.ObjectProperty) in onto else "value"
        for node in onto.objects(p, RDFS.domain):
            for d in _members(onto, node):
                if d in info:
                    prop = Prop(curie(p), _text(onto, p, RDFS.label), _text(onto, p, RDFS.comment), ranges, kind,
                                functional=(p, RDF.type, OWL.FunctionalProperty) in onto)
                    info[d].props.append(prop)
                    listed[(d, p)] = prop
                    for r in ranges:
                        target = URIRef(r.name.replace("hg:", str(HG), 1)) if r.name.startswith("hg:") else None
                        if target in info:
                            info[target].incoming.append((info[d].ref, Ref(prop.name, None, prop.label)))
    for shape in shapes.subjects(SH.targetClass, None):
        for cls in shapes.objects(shape, SH.targetClass):
            if cls not in info:
                continue
            for ps in shapes.objects(shape, SH.property):
                path = shapes.value(ps, SH.path)
                if not isinstance(path, URIRef) or (path, OWL.deprecated, Literal(True)) in onto:
                    continue
                wanted = any(int(v) >= 1 for v in shapes.objects(ps, SH.minCount))
                warning = SH.Warning in {*shapes.objects(ps, SH.severity), *shapes.objects(shape, SH.severity)}
                required, expected = wanted and not warning, wanted and warning
                if (cls, path) in listed:
                    prop = listed[(cls, path)]
                    prop.required |= required
                    prop.expected |= expected
                    schemes = [r for r in _shape_range(shapes, ps, anchors, class_labels)
                               if r.name.startswith("a concept of")]
                    if schemes:  # "a concept of hgc:scale" says more than the ontology's skos:Concept
                        prop.ranges = [r for r in prop.ranges if r.name != "skos:Concept"] + schemes
                    continue
                single = any(int(v) == 1 for v in shapes.objects(ps, SH.maxCount))
                prop = Prop(curie(path), REUSED_LABELS.get(curie(path), words(curie(path).split(":")[-1])),
                            str(shapes.value(ps, SH.message) or ""), _shape_range(shapes, ps, anchors, class_labels),
                            "link" if shapes.value(ps, SH["class"]) is not None else "value", single, required, expected, True)
                info[cls].props.append(prop)
                listed[(cls, path)] = prop

    schemes = []
    for s in sorted(concepts.subjects(RDF.type, SKOS.ConceptScheme), key=lambda s: _text(concepts, s, SKOS.prefLabel).lower()):
        ranked = sorted(concepts.subjects(SKOS.inScheme, s),
                        key=lambda c: (int(concepts.value(c, HG.rank) or 999), _text(concepts, c, SKOS.prefLabel).lower()))
        members = [(_text(concepts, c, SKOS.prefLabel), _text(concepts, c, SKOS.notation), _concept_anchor(c))
                   for c in ranked]
        schemes.append(Scheme(curie(s), _text(concepts, s, SKOS.prefLabel) or curie(s),
                              _text(concepts, s, SKOS.definition) or _text(concepts, s, RDFS.comment), members))
    ontology_iri = next(onto.subjects(RDF.type, OWL.Ontology))

    # Each property's place on the page: the first row that lists it. Every term's label: the ontology's,
    # the concept's or scheme's, else the reused vocabulary's, else its local name as words.
    terms: dict[str, tuple[str, str | None]] = {}
    for c in [*ours, concept_cls]:
        terms[str(c)] = (info[c].label, f"/model#{info[c].ref.anchor}")
        for prop in info[c].props:
            iri = _expand(prop.name)
            if iri not in terms:
                prop.anchor = "p-" + prop.name.replace(":", "-")
                terms[iri] = (prop.label or REUSED_LABELS.get(prop.name) or words(prop.name.split(":")[-1]),
                              f"/model#{prop.anchor}")
    for s in concepts.subjects(RDF.type, SKOS.ConceptScheme):
        terms[str(s)] = (_text(concepts, s, SKOS.prefLabel) or curie(s), "/model#scheme-" + str(s).rsplit("/", 1)[-1])
    for c in concepts.subjects(SKOS.inScheme, None):
        if isinstance(c, URIRef) and str(c) not in terms:
            terms[str(c)] = (_text(concepts, c, SKOS.prefLabel) or curie(c), "/model#" + _concept_anchor(c))
    for t in {*onto.subjects(RDFS.label, None)}:
        if isinstance(t, URIRef) and str(t) not in terms:
            terms[str(t)] = (_text(onto, t, RDFS.label), None)
    return Model(_text(onto, ontology_iri, DCTERMS.title), _text(onto, ontology_iri, DCTERMS.description),
                 _text(onto, ontology_iri, OWL.versionInfo), [info[c] for c in [*ours, concept_cls]], schemes,
                 len(set(concepts.subjects(RDF.type, HG.Country))), EXAMPLES, terms)


def _expand(name: str) -> str:
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES else name


def _concept_anchor(concept) -> str:
    """A concept's chip on the page: ``hgc:significance-rating/large`` -> ``c-significance-rating-large``."""
    return "c-" + re.sub(r"[^A-Za-z0-9_-]+", "-", str(concept).split("/concept/", 1)[-1])


def term(iri: str) -> tuple[str, str | None]:
    """What the pages call a term of the ontology, the concept schemes or a reused vocabulary, and where
    /model describes it: (label, href or None). A term nobody labelled: its local name as words."""
    known = model().terms.get(iri)
    if known:
        return known
    name = curie(iri)
    if name in REUSED_LABELS:
        return REUSED_LABELS[name], None
    return words(re.split(r"[#/:]", name.rstrip("/"))[-1]), None


def _example(title: str, what: str, body: str) -> dict:
    query = SPARQL_PREFIXES + body.strip() + "\n"
    return {"title": title, "what": what, "query": body.strip(), "href": "/sparql?" + urlencode({"query": query})}


EXAMPLES = [
    _example("Who changed, in each outcome",
             "An outcome (hg:Outcome) names its changed actors with hg:changedActor; every actor has one skos:prefLabel.",
             """SELECT ?id ?year ?actor WHERE {
  ?outcome a hg:Outcome ; dcterms:identifier ?id ; hg:changedActor ?a .
  ?a skos:prefLabel ?actor .
  OPTIONAL { ?outcome hg:year ?year }
} ORDER BY ?id LIMIT 100"""),
    _example("Who contributed, how, and how much",
             "The contribution is a qualified relation (hg:Contribution): its agent, its text, and for the "
             "programme the rated contribution.",
             """SELECT ?id ?contributor ?programme ?rating ?text WHERE {
  ?outcome dcterms:identifier ?id ; hg:qualifiedContribution ?c .
  ?c prov:agent/skos:prefLabel ?contributor ; hg:isProgrammeContribution ?programme .
  OPTIONAL { ?c hg:contributionRating/skos:prefLabel ?rating }
  OPTIONAL { ?c hg:contributionText ?text }
} ORDER BY ?id LIMIT 100"""),
    _example("Outcomes by country and type of change",
             "Countries are hg:Country resources; types of change are concepts of the type-of-change scheme.",
             """SELECT ?country ?type (COUNT(DISTINCT ?outcome) AS ?outcomes) WHERE {
  ?outcome a hg:Outcome ; hg:country/skos:prefLabel ?country ; hg:typeOfChange/skos:prefLabel ?type .
} GROUP BY ?country ?type ORDER BY DESC(?outcomes) LIMIT 100"""),
    _example("One fragment as it was written",
             "The raw record (every field as written, with its line) is in the fragment's own graph: ask for it "
             "with GRAPH.",
             """SELECT ?id ?file ?line ?record WHERE {
  ?f a hg:Fragment ; dcterms:identifier ?id ; hg:sourceFile ?file .
  OPTIONAL { ?f hg:sourceLine ?line }
  GRAPH ?g { ?f hg:rawRecord ?record }
} ORDER BY ?id LIMIT 5"""),
]


@router.get("/model")
async def model_page(request: Request, reader: ReaderDep):
    graphs = [{"iri": str(PUBLIC_UNION_GRAPH), "what": "the facts of the public fragments", "yours": True},
              {"iri": str(CONFIDENTIAL_UNION_GRAPH), "what": "the facts of the confidential fragments",
               "yours": reader.can_see_confidential}]
    return render(request, reader, "pages/model.html", title="Data model", model=model(), prefixes=PREFIXES,
                  graphs=graphs, fragment_graph=BASE + "graph/fragment/{FragmentID, percent-encoded}",
                  shown=SHOWN_CONCEPTS)


@files_router.get("/model/{name}.ttl", tags=["Linked data"], summary="The ontology, concept schemes or SHACL shapes",
                  response_class=Response, responses={200: {"content": {"text/turtle": {}}}})
async def model_file(name: str):
    """The bundled Turtle file: ``ontology``, ``concepts`` or ``shapes``."""
    if name not in FILES:
        raise HTTPException(404, f"No model file {name!r}: ontology, concepts or shapes.")
    return Response(ontology_path(FILES[name]).read_bytes(), media_type="text/turtle; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=3600"})
