"""The researcher's pages: HTML for browsers on the same URLs as the API (content negotiation on Accept).

One module per page family: ``home`` (``/``, the store at a glance), ``lists`` (``/outcomes``, ``/actors``,
``/search``: search, facets, sorting, paging), ``detail`` (one outcome, one actor, with evidence),
``queries`` (the named queries with their forms and results), ``sparql_page`` (the query editor).
:func:`include` adds them to the app BEFORE the API's routers: a page route matches only a browser's
request (:class:`~harvestgraph.api.pages.common.HTMLRoute`), everything else falls through to the API.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException

from harvestgraph.api.pages import detail, home, lists, queries, sparql_page
from harvestgraph.api.pages.common import PageError, error_page, prefers_html
from harvestgraph.api.pages.lists import actor_href, outcome_href


def include(app: FastAPI) -> None:
    """Mount the pages (call before the API routers) and give the templates their link helpers."""
    for module in (home, lists, detail, queries, sparql_page):
        app.include_router(module.router)
    app.state.templates.globals.update(outcome_href=outcome_href, actor_href=actor_href)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        """A browser gets an HTML page for an unknown address (or a refused token); others FastAPI's JSON."""
        if not prefers_html(request.headers.get("accept")):
            return await http_exception_handler(request, exc)
        from harvestgraph.api.auth import ANONYMOUS

        message = ("There is no page at this address." if exc.status_code == 404 else str(exc.detail))
        page = error_page(request, ANONYMOUS, PageError(exc.status_code, message,
                                                        "Not found" if exc.status_code == 404 else "Sorry"))
        for k, v in (exc.headers or {}).items():
            page.headers[k] = v
        return page
