"""The landing page for browsers (``/``): the store at a glance, one search box, links to everything.
JSON clients get the API's index from the same URL."""

from __future__ import annotations

from fastapi import APIRouter, Request

from harvestgraph.api.pages.common import HTMLRoute, PageError, ReaderDep, error_page, render, select
from harvestgraph.api.pages.lists import known_values, overview
from harvestgraph.vocab import SPARQL_PREFIXES

router = APIRouter(route_class=HTMLRoute, include_in_schema=False)

_COUNTS = SPARQL_PREFIXES + """SELECT ?what (COUNT(DISTINCT ?x) AS ?n) WHERE {
  { ?x a hg:Outcome BIND ("outcomes" AS ?what) }
  UNION { ?o hg:changedActor|hg:hasContributor ?x BIND ("actors" AS ?what) }
  UNION { ?x a hg:Contribution BIND ("contributions" AS ?what) }
} GROUP BY ?what"""


@router.get("/")
async def home(request: Request, reader: ReaderDep):
    try:
        counts = {r["what"]: int(r["n"] or 0) for r in await select(overview(request), reader, _COUNTS)}
        known = await known_values(request, reader)
    except PageError as exc:
        return error_page(request, reader, exc)
    from harvestgraph import queries

    return render(request, reader, "pages/home.html", title="harvestgraph", counts=counts, known=known,
                  n_queries=len(queries.library()))
