"""The downloads for browsers (``/exports``): every contribution-analysis export with what it holds and one
link per format, over the outcomes the reader may see, narrowed by the filters the network view and the
report take (the page's query string is passed on to each download). The files are ``/exports/{kind}``'s
own answers (:mod:`harvestgraph.outputs.export`, the same as ``harvestgraph export``); without the views
module (no ``/exports/{kind}`` route) the page says so instead of offering links that would fail.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from fastapi import APIRouter, Request

from harvestgraph.api.pages.common import HTMLRoute, ReaderDep, has_route, render
from harvestgraph.outputs.formats import KINDS

router = APIRouter(route_class=HTMLRoute, include_in_schema=False)

# What each export holds, in a programme evaluator's words (the columns are the files' own).
ABOUT = {
    "contributions": ("Contributions", "One row per outcome and contributor: who contributed, the programme or "
                      "another actor, the rating, the contribution as written, country, year and objective. The "
                      "Excel file adds the actors, significance × contribution and type of change × objective."),
    "actors": ("Actors", "One row per actor: the outcomes it changed in, its contributions, its co-contributors "
               "and its place in the network (degree, betweenness, PageRank, community). The Excel file adds "
               "the communities."),
    "outcomes": ("Outcomes", "One row per outcome: description, country, year, programme, harvest period, "
                 "ratings, objectives and types of change."),
    "network": ("Contribution network", "Actors and outcomes with who changed and who contributed, for network "
                "tools: Gephi (GEXF), yEd or Cytoscape (GraphML), Kumu (JSON or Excel)."),
    "graph": ("Linked data", "Every statement the graph holds about these outcomes, as RDF for another triple "
              "store or a reasoner (Turtle, JSON-LD)."),
}
FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel", "json": "JSON", "graphml": "GraphML", "gexf": "GEXF",
                "kumu-json": "Kumu JSON", "kumu-xlsx": "Kumu Excel", "turtle": "Turtle", "jsonld": "JSON-LD"}
# The filters of /network, /report and /exports/{kind} (api.routes_views.get_filters), in the form's order.
FILTERS = (("country", "Country", "KE or Kenya"), ("year_from", "From year", ""), ("year_to", "To year", ""),
           ("objective", "Objective", "CIV"), ("type", "Type of change", "Policy change"),
           ("harvest", "Harvest", "harvest 3"), ("programme", "Programme", "SCC"))
LABELS = {key: label for key, label, _ in FILTERS}
CHOICES = {"contributors": ("Contributors", [("", "all"), ("programme", "programme only"), ("other", "other actors only")]),
           "min_rating": ("Min. rating", [("", "any"), ("1", "small"), ("2", "partial/moderate/medium"), ("3", "large")])}


def refused(values: dict[str, str]) -> list[tuple[str, str]]:
    """The filters that ``/exports/{kind}``, ``/report`` and ``/network`` would refuse with a 400 (a year that is
    not a whole number, a country the server does not know, a rating or a contributors choice that is none),
    as (parameter, what is wrong in a reader's words); the others are their business (a harvest that matches
    nothing gives files with their column titles only)."""
    from harvestgraph.errors import HarvestError
    from harvestgraph.network.analyse import rating_rank
    from harvestgraph.normalise import parse_country

    def refuses(read, value: str, errors) -> bool:
        try:
            read(value)
        except errors:
            return True
        return False

    out = []
    for key in ("year_from", "year_to"):
        if key in values and not re.fullmatch(r"[+-]?\d+", values[key]):
            out.append((key, f"{LABELS[key]} {values[key][:40]!r} is not a year such as 2024"))
    if "country" in values and refuses(parse_country, values["country"], LookupError):
        out.append(("country", f"Country {values['country'][:40]!r} is not a country this server knows (an ISO "
                               "code or a name, e.g. KE or Kenya)"))
    if values.get("contributors") not in (None, "programme", "other"):
        out.append(("contributors", f"Contributors {values['contributors'][:40]!r} is none of: all, programme "
                                    "only, other actors only"))
    if "min_rating" in values and refuses(rating_rank, values["min_rating"], HarvestError):
        out.append(("min_rating", f"Min. rating {values['min_rating'][:40]!r} is not a rating (small, "
                                  "partial, moderate, medium, large, or 1-3)"))
    return out


@router.get("/exports")
async def exports_page(request: Request, reader: ReaderDep):
    known = {k for k, _, _ in FILTERS} | set(CHOICES)
    typed = {k: v.strip() for k, v in request.query_params.items() if k in known and v.strip()}
    problems = [f"Unknown parameter {k[:40]!r} was ignored." for k in request.query_params if k not in known]
    # A filter the files would refuse is named here and left out of the links (a refused download shows as
    # "Failed" in a browser, its message unseen); the form keeps it as typed, to be corrected.
    bad = refused(typed)
    problems += [f"{words}: it was left out of the files and views below." for _, words in bad]
    values = {k: v for k, v in typed.items() if k not in {key for key, _ in bad}}
    kinds = [{"kind": kind, "title": ABOUT[kind][0], "what": ABOUT[kind][1],
              "files": [{"format": fmt, "name": FORMAT_NAMES.get(fmt, fmt),
                         "href": f"/exports/{kind}?" + urlencode({**values, "format": fmt})} for fmt in formats]}
             for kind, formats in KINDS.items() if kind in ABOUT]
    narrowed = urlencode(values)
    return render(request, reader, "pages/exports.html", status=400 if problems else 200, title="Downloads",
                  kinds=kinds, values=typed, filters=FILTERS, choices=CHOICES, problems=problems,
                  available=has_route(request, "/exports/{kind}"),
                  report_href="/report" + (f"?{narrowed}" if narrowed else ""),
                  network_href="/network" + (f"?{narrowed}" if narrowed else ""))
