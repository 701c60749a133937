"""``/id/...``: every entity IRI dereferences, as HTML for a browser and as RDF for a client that asks for it."""

from __future__ import annotations

from pathlib import PurePath
from typing import Annotated
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from harvestgraph.api.auth import Reader
from harvestgraph.api.sparql import GRAPH_TYPES, SparqlError, negotiate, serialize_graph
from harvestgraph.vocab import ID, PREFIXES, SPARQL_PREFIXES

from .common import ReaderDep, _ntriples_body, curie, id_href, query_body, text_query

router = APIRouter()


_DESCRIBE = """CONSTRUCT { ?s ?p ?o . ?o skos:prefLabel ?ol . ?x ?q ?s . ?x skos:prefLabel ?xl }
WHERE {
  { ?s ?p ?o OPTIONAL { ?o skos:prefLabel ?ol } }
  UNION
  { ?x ?q ?s OPTIONAL { ?x skos:prefLabel ?xl } }
}"""

HTML_TYPES = ("text/html", "application/xhtml+xml")


def _wants_html(accept: str | None) -> bool:
    from harvestgraph.api.sparql import accepted_media_types

    for mt in accepted_media_types(accept or ""):
        if mt in HTML_TYPES:
            return True
        if mt in GRAPH_TYPES:
            return False
    return False


@router.get("/id/{path:path}", tags=["Linked data"], summary="Dereference an entity IRI",
            responses={200: {"content": {"text/html": {}, "text/turtle": {}, "application/ld+json": {},
                                         "application/n-triples": {}}},
                       404: {"description": "nothing is known about this IRI (to this reader)"}})
async def dereference(request: Request, reader: ReaderDep,
                      path: Annotated[str, Path(description="The part of the IRI after https://w3id.org/harvestgraph/id/")],
                      format: Annotated[str | None, Query(description="turtle, jsonld or ntriples instead of the "
                                                                      "Accept header")] = None):
    """The description of ``https://w3id.org/harvestgraph/id/{path}`` from the graphs the reader may see:
    HTML for browsers, Turtle / JSON-LD / N-Triples for machines (content negotiation)."""
    raw = request.scope.get("raw_path")
    # Keep the percent-encoding of the IRI (a FragmentID's "/" is %2F inside one segment).
    tail = raw.decode("latin-1").split("?", 1)[0].split("/id/", 1)[1] if raw and b"/id/" in raw else quote(path, safe="/")
    try:
        node = ox.NamedNode(str(ID) + tail)
    except ValueError:
        return JSONResponse({"error": "not_found", "message": "not a valid IRI"}, status_code=404)
    try:
        body = await query_body(request, reader, text_query(SPARQL_PREFIXES + _DESCRIBE, {"s": node}), _ntriples_body)
    except SparqlError as exc:
        return exc.response()
    if body.status != 200:
        return SparqlError.from_body(body).response()
    triples = [q.triple for q in ox.parse(body.content, format=ox.RdfFormat.N_TRIPLES)]
    if not triples:
        return JSONResponse({"error": "not_found", "message": f"nothing is known about {node.value}"}, status_code=404)
    accept = request.headers.get("accept")
    if not format and _wants_html(accept):
        return _html(request, reader, node, triples, await _actors_without_a_page(request, reader, triples))
    try:
        mt = negotiate("graph", accept, format)
    except SparqlError as exc:
        return exc.response()
    rdf = GRAPH_TYPES[mt]
    return Response(serialize_graph(triples, rdf), media_type=rdf.media_type,
                    headers={"Vary": "Accept", "Link": f'<{node.value}>; rel="canonical"'})


SOURCE_FILE = PREFIXES["hg"] + "sourceFile"


def source_file_shown(stored: str) -> str:
    """A fragment's hg:sourceFile as a page shows it: the file's name, and the sheet of a workbook
    ("harvest.xlsx[Sheet 1]"), not the folders of the machine that ingested it (the stored value is the
    path as ingest was given it, often absolute: kept as it is, ingest's re-reading and ``export`` use it)."""
    path, bracket, sheet = stored.partition("[")
    return PurePath(path.replace("\\", "/")).name + bracket + sheet


# What a resource of this store without a name of its own is called, by the kind its IRI says
# (hgid:<kind>/...): an outcome and its record by FragmentID, a contribution by its outcome and agent.
KINDS = {"outcome": "Outcome", "fragment": "Record", "contribution": "Contribution", "actor": "Actor",
         "programme": "Programme", "place": "Place", "country": "Country", "objective": "Objective",
         "rf-outcome": "Results-framework outcome", "harvest": "Harvest period"}


def resource_label(iri: str, labels: dict[str, str]) -> str:
    """A reader's name for one of our IRIs: its label, else one made from what the IRI says.

    >>> resource_label(str(ID) + "contribution/A-1%2F2/khrc", {str(ID) + "actor/khrc": "KHRC"})
    'Contribution of KHRC to A-1/2'
    >>> resource_label(str(ID) + "fragment/A-1%2F2", {})
    'Record A-1/2 (as harvested)'
    """
    from harvestgraph.vocab import decode_id

    if iri in labels:
        return labels[iri]
    if not iri.startswith(str(ID)):
        return curie(iri)
    kind, _, rest = iri[len(str(ID)):].partition("/")
    if kind == "contribution":
        fid, _, agent = rest.rpartition("/")
        who = labels.get(str(ID) + "actor/" + agent) or labels.get(str(ID) + "programme/" + agent)
        who = who or ("the programme" if agent == "programme" else agent.replace("-", " "))
        return f"Contribution of {who} to {decode_id(fid)}"
    if kind == "fragment":
        return f"Record {decode_id(rest)} (as harvested)"
    if kind == "outcome":  # by its FragmentID, as every page names it
        return decode_id(rest)
    return f"{KINDS.get(kind, kind.replace('-', ' ').capitalize())} {decode_id(rest.rsplit('/', 1)[-1])}"


async def _actors_without_a_page(request: Request, reader: Reader, triples: list[ox.Triple]) -> set[str]:
    """The actors and programmes a linked-data page names that have no page of their own for this reader:
    an actor only mentioned in the outcomes the reader may see (hg:mentions), neither changed nor
    contributing (/actors/SLUG answers 404 for it: its link from an outcome's linked-data page was dead).
    Empty when the reader's list index is not at hand (being built): the links stay as they are."""
    from harvestgraph.api.pages import catalogue as cat_
    from harvestgraph.api.pages.common import PageError
    from harvestgraph.api.pages.lists import actor_href, catalogue

    named = {t.value for tr in triples for t in (tr.subject, tr.object)
             if isinstance(t, ox.NamedNode) and actor_href(t.value)}
    if not named:
        return set()
    try:
        cat = await catalogue(request, reader)
    except PageError:
        return set()
    return {iri for iri in named if not cat_.actor_has_page(cat, iri)}


def _html(request: Request, reader: Reader, node: ox.NamedNode, triples: list[ox.Triple],
          pageless: set[str] = frozenset()) -> HTMLResponse:
    """The linked-data page, in the site's frame for this reader (role shown, sign-in, Explore link, no caching
    of a signed-in reader's page), like every other page. Every term by its name (the identifier beside it):
    a property or class by its label, linked to where /model describes it; a resource of this store by its
    label, linked to its reader's page (an outcome's, an actor's, the outcomes of a country or rating) and
    to its own linked-data page. ``pageless``: the actors without a reader's page (their linked-data page
    is their page)."""
    from harvestgraph.api.pages import page_for  # (the pages build on this module, not the reverse)
    from harvestgraph.api.pages.common import render
    from harvestgraph.api.pages.model import term as vocab_term

    label_p = PREFIXES["skos"] + "prefLabel"
    labels = {t.subject.value: t.object.value for t in triples if t.predicate.value == label_p}
    ident = next((t.object.value for t in triples if t.subject == node
                  and t.predicate.value == PREFIXES["dcterms"] + "identifier"), None)

    def prop(iri: str) -> dict:
        label, where = vocab_term(iri)
        return {"text": label, "curie": curie(iri), "href": where}

    def term(t) -> dict:
        if isinstance(t, ox.Literal):
            kind = curie(t.datatype.value) if not t.language else None
            if kind == "xsd:boolean":  # said as the outcome's page says it; the year is a year without a type
                return {"text": {"true": "yes", "false": "no", "1": "yes", "0": "no"}.get(t.value, t.value)}
            return {"text": t.value, "lang": t.language, "datatype": None if kind in ("xsd:gYear", "xsd:string") else kind}
        if not isinstance(t, ox.NamedNode):
            return {"text": "(a node without a name)"}
        iri = t.value
        if iri.startswith(str(ID)):
            human = None if iri in pageless else page_for(iri)
            return {"text": resource_label(iri, labels), "curie": curie(iri), "iri": iri, "data_href": id_href(iri),
                    "href": human["href"] if human else id_href(iri)}
        label, where = vocab_term(iri)  # a term of the model: where /model describes it
        human = page_for(iri)  # a concept a list filters by: the outcomes with it
        return {"text": labels.get(iri, label), "curie": curie(iri), "iri": iri,
                "href": human["href"] if human else where, "data_href": where}

    out = [(prop(t.predicate.value), term(t.object)) for t in triples if t.subject == node]
    out = [(p, {**o, "text": source_file_shown(o["text"])} if p["curie"] == curie(SOURCE_FILE) else o) for p, o in out]
    inc = [(prop(t.predicate.value), term(t.subject)) for t in triples if t.object == node and t.subject != node]
    if "/outcome/" in node.value and ident:
        title = f"Outcome {ident}"
    else:
        title = labels.get(node.value) or resource_label(node.value, labels)
    return render(request, reader, "entity.html", iri=node.value, title=title,
                  reader_page=None if node.value in pageless else page_for(node.value),
                  outgoing=_by_property(out), incoming=_by_property(inc), shown=SHOWN)


SHOWN = 50  # values shown per property (a country is the hg:country of thousands of outcomes at 10k); the rest
            # are in the Turtle and, for a resource with one, on its reader's page


def _by_property(pairs: list[tuple[dict, dict]]) -> list[tuple[dict, list[dict]]]:
    """(property, value) pairs as one row per property, by the property's name, each row's values by theirs."""
    rows: dict[str, tuple[dict, list[dict]]] = {}
    for p, v in pairs:
        rows.setdefault(p["curie"], (p, []))[1].append(v)
    return [(p, sorted(vs, key=lambda v: v["text"].lower())) for p, vs in sorted(rows.values(),
                                                                                  key=lambda r: r[0]["text"].lower())]
