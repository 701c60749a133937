"""Web routes to look at who contributed to what: ``/network`` (the interactive view with a filter form),
``/exports/{kind}?format=...`` (the same exports as the CLI) and ``/report`` (the printable report).

Every route reads through the reader's ``store.visible_graphs(confidential=reader.can_see_confidential)``: an anonymous
reader's network, exports and report never contain a confidential fragment's outcome, actor or text.

Mounted on the app of :mod:`harvestgraph.api.app`, the analysis runs like every other query: in a worker
process (killed at the timeout), cached per reader scope and filters, one reader's share of the workers
bounded (:func:`harvestgraph.api.sparql.answer`). Mounted alone (no ``app.state.hg``) it runs in place.
"""

from __future__ import annotations

import functools
import html
import secrets

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from harvestgraph.network.analyse import Filters, analyse, rating_rank
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
    from harvestgraph.network.view import csp

    return csp(nonce) + "; frame-ancestors 'none'"


def whose_view(reader: Reader) -> str:
    """The line at the top of the served network and report saying what the reader's role lets them hold,
    as every other page's header does; for the confidential role, a warning: the report is made to be
    printed, and both may hold outcomes about people at risk. Markup for the pages' ``scope_html`` (their
    stylesheets style ``p.scope``)."""
    if reader.can_see_confidential:
        return ('<p class="scope warn" role="note">'
                "<strong>Public and confidential fragments.</strong> This view may hold confidential outcomes "
                "(people at risk): do not print, share or export it beyond readers with the confidential role.</p>")
    signin = ' <a href="/signin">Sign in</a> to see what your role allows.' if reader.role == "anonymous" else ""
    return f'<p class="scope">Public fragments only.{signin}</p>'


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


NONCE_SLOT = "hgNonceSlot0000000000000"  # where a cached page gets each response's nonce (24 chars, like one)
# where a cached page gets the reader's line saying whose view it is (:func:`whose_view`): readers of one scope
# share the page (the anonymous reader's line has a sign-in link, a signed-in public reader's none)
SCOPE_SLOT = "<!--hg-scope-->"


def _network_body(filters: Filters, size_by: str, job):
    """The network page (with NONCE_SLOT for its nonce, SCOPE_SLOT for its reader's line), in a worker."""
    from harvestgraph.api.cache import Body
    from harvestgraph.network.view import render_html

    a = _analyse_or_refuse(job.hg.store, filters, job.hg.graphs(job.confidential))
    page = render_html(a, title="Contribution network", size_by=size_by, header_html=filter_form(filters),
                       scope_html=SCOPE_SLOT, nonce=NONCE_SLOT)
    return Body(200, page.encode(), "text/html; charset=utf-8")


def _list_facets(filters: Filters) -> dict[str, str] | None:
    """The filters as the outcome list's facets (a country by its code, a programme, one year), or None when
    the list has no facet for one of them."""
    import re

    if any(v not in (None, "") for v in (filters.objective, filters.type, filters.harvest, filters.programme_only,
                                         filters.min_rating)) or filters.year_from != filters.year_to:
        return None
    if filters.country and not re.fullmatch(r"[A-Z]{2}", filters.country):
        return None
    facets = {"country": filters.country, "programme": filters.programme, "year": filters.year_from}
    return {k: str(v) for k, v in facets.items() if v not in (None, "")}


def report_links(filters: Filters):
    """The served report's links (:class:`~harvestgraph.outputs.report.Links`): actors to their pages, and
    counts to the outcome list of the same selection narrowed by the count's values. The list's facets
    say a country by its code, a programme by its code and one year; a report filtered otherwise (a year
    range, a harvest, a minimum rating, programme or other contributions only, a country by name) keeps
    its counts as plain numbers rather than lead to a list of another size."""
    from urllib.parse import urlencode

    from harvestgraph.api.pages.facets import facet_values
    from harvestgraph.api.pages.lists import actor_href, actor_ref, outcome_href
    from harvestgraph.outputs.report import Links

    base = _list_facets(filters)

    def outcomes(*values: str) -> str | None:
        if base is None:
            return None
        params = dict(base)
        for v in values:
            keys = [(f.key, k) for f, k in facet_values(v)
                    if f.key in ("significance", "contribution", "type", "objective", "programme", "shared")]
            if len(keys) != 1 or keys[0][0] in params:
                return None
            params[keys[0][0]] = keys[0][1]
        return "/outcomes" + ("?" + urlencode(params) if params else "")

    def contributed(iri: str) -> str | None:
        if base is None or not actor_ref(iri):
            return None
        return "/outcomes?" + urlencode({**base, "actor": actor_ref(iri), "role": "contributor"})

    return Links(actor=actor_href, outcomes=outcomes, outcome=outcome_href, contributed=contributed)


def _report_body(filters: Filters, site: str, job):
    from harvestgraph.api.cache import Body
    from harvestgraph.outputs.report import render_report

    a = _analyse_or_refuse(job.hg.store, filters, job.hg.graphs(job.confidential))
    page = render_report(a, site=site, links=report_links(filters), scope_html=SCOPE_SLOT)
    return Body(200, page.encode(), "text/html; charset=utf-8")


def _export_body(kind: str, format: str | None, filters: Filters, table: str | None, job):
    from harvestgraph.api.cache import Body
    from harvestgraph.api.sparql import SparqlError
    from harvestgraph.outputs.export import export

    try:
        out = export(job.hg.store, kind, format, filters=filters, graphs=job.hg.graphs(job.confidential), table=table)
    except HarvestError as exc:
        raise SparqlError(404 if exc.problem.field == "kind" else 400, "bad_request", str(exc)) from None
    return Body(200, out.content, out.media_type, filename=out.filename)


def _analyse_or_refuse(store, filters: Filters, graphs):
    from harvestgraph.api.sparql import SparqlError

    try:
        return analyse(store, filters, graphs=graphs)
    except HarvestError as exc:
        raise SparqlError(400, "bad_request", str(exc)) from None


async def _in_worker(request: Request, reader: Reader, key: tuple, produce):
    """The body ``produce`` makes, through the app's guarded runner; HTTPException for a refusal."""
    from harvestgraph.api.sparql import SparqlError, answer

    try:
        body = await answer(request, reader, key, produce, view=True)
    except SparqlError as exc:
        raise HTTPException(exc.status, exc.message, headers=exc.headers) from None
    if body.status != 200:
        raise HTTPException(body.status, SparqlError.from_body(body).message)
    return body


def _analyse(store, filters: Filters, graphs):
    """The analysis, with a bad filter value (an unknown country, ...) answered as 400, not 500."""
    try:
        return analyse(store, filters, graphs=graphs)
    except HarvestError as exc:
        raise HTTPException(400, str(exc)) from None


def _exports_href(f: Filters, who: str) -> str:
    """The downloads page (/exports) narrowed as the network is."""
    from urllib.parse import urlencode

    q = urlencode({**f.outcome_params(), **({"contributors": who} if who else {})})
    return "/exports" + (f"?{q}" if q else "")


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
    # Two kinds of filter on one page confused a reader (most on a phone, where both took the first screen):
    # these choose the outcomes the server draws (the page reloads), the view's own controls below only
    # highlight within them. Folded away until a filter is set; the links stay in sight.
    chosen = any(v not in (None, "") for v in (f.country, f.year_from, f.year_to, f.objective, f.type, f.harvest,
                                                f.programme, f.min_rating)) or bool(who)
    return ('<nav class="views"><a href="/report">report</a>'
            + f' · <a href="{html.escape(_exports_href(f, who), quote=True)}">downloads</a>'
            # The served view is a page of the site: a way back to it (the file `harvestgraph view` writes has none).
            + ' · <a href="/" rel="home">← harvestgraph</a> · <a href="/outcomes">outcomes</a>'
            + ' · <a href="/explore">explore</a></nav>'
            + f'<details class="filters"{" open" if chosen else ""}><summary>Which outcomes are drawn '
            + '<small>(country, years, objective, …: the page reloads)</small></summary>'
            + '<form class="filters" method="get" action="/network">'
            + text("country", "Country", f.country, "KE or Kenya") + text("year_from", "From year", f.year_from)
            + text("year_to", "To year", f.year_to) + text("objective", "Objective", f.objective, "CIV")
            + text("type", "Type of change", f.type, "Policy change") + text("harvest", "Harvest", f.harvest, "harvest 3")
            + text("programme", "Programme", f.programme, "SCC")
            + select("contributors", "Contributors", who, [("", "all"), ("programme", "programme only"),
                                                           ("other", "other actors only")])
            + select("min_rating", "Min. rating", str(f.min_rating or ""), [("", "any"), ("1", "small"),
                                                                           ("2", "partial/moderate/medium"), ("3", "large")])
            + '<button type="submit">Apply</button></form></details>')


@router.get("/network", response_class=HTMLResponse, summary="Interactive contribution network")
async def network_page(request: Request, filters: Filters = Depends(get_filters),
                       size_by: str = Query("pagerank", pattern="^(pagerank|weighted_degree|betweenness|degree)$"),
                       reader: Reader = Depends(get_reader)) -> HTMLResponse:
    """The contribution network of the filtered outcomes the reader may see; each node links to its page."""
    nonce, scope = secrets.token_urlsafe(18), whose_view(reader)
    if getattr(request.app.state, "hg", None) is not None:
        body = await _in_worker(request, reader, ("view", "network", filters, size_by),
                                functools.partial(_network_body, filters, size_by))
        page = body.content.decode().replace(NONCE_SLOT, nonce).replace(SCOPE_SLOT, scope, 1)
    else:
        from harvestgraph.network.view import render_html

        store, graphs = _store_and_graphs(request, reader)
        a = _analyse(store, filters, graphs)
        page = render_html(a, title="Contribution network", size_by=size_by, header_html=filter_form(filters),
                           scope_html=scope, nonce=nonce)
    return HTMLResponse(page, headers={"Content-Security-Policy": network_csp(nonce), "X-Content-Type-Options": "nosniff",
                                       "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"})


@router.get("/exports/{kind}", summary="Contribution-analysis exports (same as `harvestgraph export`)")
async def export_route(kind: str, request: Request, format: str | None = Query(None), table: str | None = Query(None),
                       filters: Filters = Depends(get_filters), reader: Reader = Depends(get_reader)) -> Response:
    """contributions|actors|outcomes (csv, xlsx, json), network (graphml, gexf, kumu-json, kumu-xlsx), graph (turtle, jsonld)."""
    if getattr(request.app.state, "hg", None) is not None:
        out = await _in_worker(request, reader, ("export", kind, format, filters, _opt(table)),
                               functools.partial(_export_body, kind, format, filters, _opt(table)))
    else:
        from harvestgraph.outputs.export import export

        store, graphs = _store_and_graphs(request, reader)
        try:
            out = export(store, kind, format, filters=filters, graphs=graphs, table=_opt(table))
        except HarvestError as exc:
            raise HTTPException(404 if exc.problem.field == "kind" else 400, str(exc)) from None
    return Response(out.content, media_type=out.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{out.filename}"',
                             "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})


@router.get("/report", response_class=HTMLResponse, summary="Printable contribution report")
async def report_page(request: Request, filters: Filters = Depends(get_filters),
                      reader: Reader = Depends(get_reader)) -> HTMLResponse:
    scope = whose_view(reader)
    if getattr(request.app.state, "hg", None) is not None:
        body = await _in_worker(request, reader, ("view", "report", filters, request.url.query),
                                functools.partial(_report_body, filters, request.url.query))
        page = body.content.decode().replace(SCOPE_SLOT, scope, 1)
    else:
        from harvestgraph.outputs.report import render_report

        store, graphs = _store_and_graphs(request, reader)
        page = render_report(_analyse(store, filters, graphs), site=request.url.query, links=report_links(filters),
                             scope_html=scope)
    return HTMLResponse(page,
                        headers={"Content-Security-Policy": REPORT_CSP, "X-Content-Type-Options": "nosniff",
                                 "Cache-Control": "no-store"})
