"""``/outcomes``: the outcomes a reader may see, filtered and paged, and one outcome with its fields as written."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse

from harvestgraph.api.sparql import SparqlError
from harvestgraph.mapping import read_record
from harvestgraph.vocab import SPARQL_PREFIXES, fragment_graph, fragment_iri, outcome_iri

from .models import OutcomePage, OutcomeSummary
from .common import Limit, Offset, ReaderDep, _page_url, curie, id_href, named_query, query_table, text_query

router = APIRouter()


def _outcome_summary(r: dict[str, str | None]) -> OutcomeSummary:
    return OutcomeSummary(id=r["id"], iri=r["outcome"], href="/outcomes/" + quote(r["id"], safe=""),
                          programme=r.get("programmeCode"), country=r.get("countryCode"),
                          year=int(r["year"]) if r.get("year") else None, description=r.get("description"))


@router.get("/outcomes", tags=["Outcomes"], response_model=OutcomePage, summary="List outcomes")
async def list_outcomes(
    request: Request, reader: ReaderDep, limit: Limit = 50, offset: Offset = 0,
    country: Annotated[str | None, Query(description="ISO 3166-1 code or name of the outcome's country, e.g. KE")] = None,
    year: Annotated[int | None, Query(ge=1000, le=9999, description="Year of the outcome, e.g. 2025")] = None,
    objective: Annotated[str | None, Query(description="Objective code or label, e.g. CIV")] = None,
    type_of_change: Annotated[str | None, Query(description="Type of change, e.g. Policy change")] = None,
    programme: Annotated[str | None, Query(description="Programme code, e.g. SCC")] = None,
    shared: Annotated[str | None, Query(description="Who was found to contribute: programme-alone, "
                                        "programme-and-others, others-only or none-found")] = None,
):
    """Outcomes the reader may see, filtered and paged (ordered by FragmentID)."""
    values = {k: v for k, v in {"country": country, "objective": objective, "type_of_change": type_of_change,
                                "programme": programme, "shared": shared}.items() if v}
    if year is not None:
        values["year_from"] = values["year_to"] = str(year)
    try:
        table = await query_table(request, reader,
                                  named_query("outcomes", values, f"\nLIMIT {limit + 1} OFFSET {offset}"))
    except SparqlError as exc:
        return exc.response()
    items = [_outcome_summary(r) for r in table.rows[:limit]]
    nxt = _page_url(request, offset + limit) if len(table.rows) > limit else None
    return OutcomePage(items=items, limit=limit, offset=offset, next=nxt)


_OUTCOME = """SELECT DISTINCT ?p ?o ?label WHERE {
  ?outcome a hg:Outcome ; ?p ?o .
  OPTIONAL { ?o skos:prefLabel|rdfs:label ?label }
} ORDER BY ?p ?o"""


# The fragment's fields as written (its raw record: provenance, kept in the fragment's own graph only),
# with the graph named by its IRI: the store then gives the engine that one graph if the reader may read
# it, not the reader's whole list (~20 µs a graph in Oxigraph: 3.5 s a page at 100k fragments).
_RECORD = """SELECT ?record WHERE {{ GRAPH <{graph}> {{ <{fragment}> hg:rawRecord ?record }} }}"""


@router.get("/outcomes/{fragment_id:path}", tags=["Outcomes"], summary="One outcome",
            responses={404: {"description": "no such outcome, or not visible to this reader"}})
async def get_outcome(request: Request, reader: ReaderDep,
                      fragment_id: Annotated[str, Path(description="FragmentID, URL-encoded (SCC-KEN2508%2FCIV008)")]):
    """An outcome: every property (with labels), its contributors and the fragment's fields as written."""
    iri = ox.NamedNode(str(outcome_iri(fragment_id)))
    try:
        props = await query_table(request, reader, text_query(SPARQL_PREFIXES + _OUTCOME, {"outcome": iri}))
        if not props.rows:
            return JSONResponse({"error": "not_found", "message": f"no outcome {fragment_id!r}"}, status_code=404)
        contributors = await query_table(request, reader,
                                         named_query("contributors_of_outcome", {"outcome": fragment_id}))
        record = await query_table(request, reader, text_query(SPARQL_PREFIXES + _RECORD.format(
            graph=fragment_graph(fragment_id), fragment=fragment_iri(fragment_id)), None))
    except SparqlError as exc:
        return exc.response()
    properties: dict[str, list[dict]] = {}
    for r in props.rows:
        v = {"value": r["o"]}
        if r.get("label"):
            v["label"] = r["label"]
        if href := id_href(r["o"] or ""):
            v["href"] = href
        properties.setdefault(curie(r["p"]), []).append(v)
    return {"id": fragment_id, "iri": iri.value, "href": id_href(iri.value), "properties": properties,
            "contributors": contributors.rows,
            # (order and line as strings, as when each field was its own resource)
            "fields": [{**{k: f[k] for k in ("fieldName", "canonicalField", "rawValue")},
                        "order": str(f["order"]), "sourceLine": str(f["sourceLine"])}
                       for r in record.rows[:1] for f in read_record(r["record"])]}
