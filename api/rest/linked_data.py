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
        return _html(request, reader, node, triples)
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


def _html(request: Request, reader: Reader, node: ox.NamedNode, triples: list[ox.Triple]) -> HTMLResponse:
    """The linked-data page, in the site's frame for this reader (role shown, sign-in, Explore link, no caching
    of a signed-in reader's page), like every other page."""
    from harvestgraph.api.pages.common import render  # (the pages build on this module, not the reverse)

    label_p = PREFIXES["skos"] + "prefLabel"
    labels = {t.subject.value: t.object.value for t in triples if t.predicate.value == label_p}
    ident = next((t.object.value for t in triples if t.subject == node
                  and t.predicate.value == PREFIXES["dcterms"] + "identifier"), None)

    def term(t) -> dict:
        if isinstance(t, ox.Literal):
            return {"text": t.value, "lang": t.language, "datatype": curie(t.datatype.value) if not t.language else None}
        return {"text": labels.get(t.value) or curie(t.value), "iri": t.value,
                "href": id_href(t.value) if isinstance(t, ox.NamedNode) else None}

    out = [(curie(t.predicate.value), term(t.object)) for t in triples if t.subject == node]
    out = [(p, {**o, "text": source_file_shown(o["text"])} if p == curie(SOURCE_FILE) else o) for p, o in out]
    inc = [(term(t.subject), curie(t.predicate.value)) for t in triples if t.object == node and t.subject != node]
    return render(request, reader, "entity.html", iri=node.value, title=labels.get(node.value) or ident or curie(node.value),
                  outgoing=sorted(out, key=lambda x: (x[0], x[1]["text"])),
                  incoming=sorted(inc, key=lambda x: (x[1], x[0]["text"])))
