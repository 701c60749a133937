"""Web routes to look at who contributed to what: ``/network`` (the interactive view with a filter form),
``/exports/{kind}?format=...`` (the same exports as the CLI) and ``/report`` (the printable report).

Every route reads through the reader's ``store.visible_graphs(confidential=reader.can_see_confidential)``: an anonymous
reader's network, exports and report never contain a confidential fragment's outcome, actor or text.
"""

from __future__ import annotations

import html
import secrets

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from harvestgraph.analyse import Filters, analyse, rating_rank
from harvestgraph.api.auth import Reader, get_reader
from harvestgraph.errors import HarvestError

router = APIRouter(tags=["views"])

# /report has no script at all: nothing but its own inline styles and data: images may load.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def network_csp(nonce: str) -> str:
    """The /network page needs vis-network's script inline, so scripts are allowed only with this
    response's random nonce (not 'unsafe-inline'): an injected <script> or on*= handler has no nonce and is
    blocked even if escaping ever failed. No fetch/XHR/WebSocket (connect-src 'none'), no external
    anything (default-src 'none'); the filter form may only submit to this site."""
    from harvestgraph.view import csp

    return csp(nonce) + "; frame-ancestors 'none'"


def _opt(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def _int(value: str | None, name: str) -> int | None:
    v = _opt(value)
    if v is None:
        return None
    try:
        return int(v)
    except ValueError:
        raise HTTPException(400, f"{name} must be a year such as 2024, got {v!r}") from None


def get_filters(country: str | None = Query(None, description="ISO code or name"),
                year_from: str | None = Query(None), year_to: str | None = Query(None),
                objective: str | None = Query(None, description="objective code (CIV) or label"),
                type: str | None = Query(None, description="type of change, e.g. Policy change"),
                harvest: str | None = Query(None, description="harvest period, e.g. harvest 3"),
                programme: str | None = Query(None, description="programme code, e.g. SCC"),
                contributors: str | None = Query(None, description="programme | other (default: both)"),
                min_rating: str | None = Query(None, description="1-3 or small/partial/moderate/medium/large")) -> Filters:
    """The filters of a query string; empty form fields mean "no filter"."""
    who = _opt(contributors)
    if who not in (None, "programme", "other"):
        raise HTTPException(400, "contributors must be programme or other")
    try:
        return Filters(country=_opt(country), year_from=_int(year_from, "year_from"), year_to=_int(year_to, "year_to"),
                       objective=_opt(objective), type=_opt(type), harvest=_opt(harvest), programme=_opt(programme),
                       programme_only=None if who is None else who == "programme",
                       min_rating=rating_rank(_opt(min_rating)))
    except HarvestError as exc:
        raise HTTPException(400, str(exc)) from None


def app_store(request: Request):
    """The app's store: ``app.state.store``, or the one in ``app.state.hg`` (api/app.py's shared settings)."""
    state = request.app.state
    store = getattr(state, "store", None) or getattr(getattr(state, "hg", None), "store", None)
    if store is None:
        raise HTTPException(503, "no store is configured")
    return store


def _store_and_graphs(request: Request, reader: Reader):
    """The store and the reader's graphs (remembered per store generation by the app: listing every
    fragment graph takes 0.4 s at 10k)."""
    store = app_store(request)
    shared = getattr(request.app.state, "hg", None)  # absent when the views are mounted on their own
    if shared is None:
        return store, store.visible_graphs(confidential=reader.can_see_confidential)
    return store, shared.graphs(reader.can_see_confidential)


def _analyse(store, filters: Filters, graphs):
    """The analysis, with a bad filter value (an unknown country, ...) answered as 400, not 500."""
    try:
        return analyse(store, filters, graphs=graphs)
    except HarvestError as exc:
        raise HTTPException(400, str(exc)) from None


def filter_form(f: Filters) -> str:
    """The GET form above the network (values escaped; it submits to /network)."""
    def text(name: str, label: str, value, placeholder: str = "") -> str:
        v = "" if value is None else html.escape(str(value), quote=True)
        return (f'<label>{label}<input name="{name}" value="{v}" placeholder="{html.escape(placeholder, quote=True)}">'
                f"</label>")

    def select(name: str, label: str, current: str, options: list[tuple[str, str]]) -> str:
        opts = "".join(f'<option value="{v}"{" selected" if v == current else ""}>{html.escape(t)}</option>'
                       for v, t in options)
        return f'<label>{label}<select name="{name}">{opts}</select></label>'

    who = "" if f.programme_only is None else ("programme" if f.programme_only else "other")
    return ('<form class="filters" method="get" action="/network">'
            + text("country", "Country", f.country, "KE or Kenya") + text("year_from", "From year", f.year_from)
            + text("year_to", "To year", f.year_to) + text("objective", "Objective", f.objective, "CIV")
            + text("type", "Type of change", f.type, "Policy change") + text("harvest", "Harvest", f.harvest, "harvest 3")
            + text("programme", "Programme", f.programme, "SCC")
            + select("contributors", "Contributors", who, [("", "all"), ("programme", "programme only"),
                                                           ("other", "other actors only")])
            + select("min_rating", "Min. rating", str(f.min_rating or ""), [("", "any"), ("1", "small"),
                                                                           ("2", "partial/moderate/medium"), ("3", "large")])
            + '<button type="submit">Apply</button> <a href="/report">report</a></form>')


@router.get("/network", response_class=HTMLResponse, summary="Interactive contribution network")
def network_page(request: Request, filters: Filters = Depends(get_filters),
                 size_by: str = Query("pagerank", pattern="^(pagerank|weighted_degree|betweenness|degree)$"),
                 reader: Reader = Depends(get_reader)) -> HTMLResponse:
    """The contribution network of the filtered outcomes the reader may see; each node links to its page."""
    from harvestgraph.view import render_html

    store, graphs = _store_and_graphs(request, reader)
    a = _analyse(store, filters, graphs)
    nonce = secrets.token_urlsafe(18)
    page = render_html(a, title="Contribution network", size_by=size_by, header_html=filter_form(filters), nonce=nonce)
    return HTMLResponse(page, headers={"Content-Security-Policy": network_csp(nonce), "X-Content-Type-Options": "nosniff",
                                       "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"})


@router.get("/exports/{kind}", summary="Contribution-analysis exports (same as `harvestgraph export`)")
def export_route(kind: str, request: Request, format: str | None = Query(None), table: str | None = Query(None),
                 filters: Filters = Depends(get_filters), reader: Reader = Depends(get_reader)) -> Response:
    """contributions|actors|outcomes (csv, xlsx, json), network (graphml, gexf, kumu-json, kumu-xlsx), graph (turtle, jsonld)."""
    from harvestgraph.export import export

    store, graphs = _store_and_graphs(request, reader)
    try:
        out = export(store, kind, format, filters=filters, graphs=graphs, table=_opt(table))
    except HarvestError as exc:
        raise HTTPException(404 if exc.problem.field == "kind" else 400, str(exc)) from None
    return Response(out.content, media_type=out.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{out.filename}"',
                             "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})


@router.get("/report", response_class=HTMLResponse, summary="Printable contribution report")
def report_page(request: Request, filters: Filters = Depends(get_filters),
                reader: Reader = Depends(get_reader)) -> HTMLResponse:
    from harvestgraph.report import render_report

    store, graphs = _store_and_graphs(request, reader)
    return HTMLResponse(render_report(_analyse(store, filters, graphs)),
                        headers={"Content-Security-Policy": REPORT_CSP, "X-Content-Type-Options": "nosniff",
                                 "Cache-Control": "no-store"})
