"""The researcher's pages: HTML for browsers on the same URLs as the API (content negotiation on Accept).

One module per page family: ``home`` (``/``, the store at a glance), ``lists`` (``/outcomes``, ``/actors``,
``/search``: search, facets, sorting, paging), ``detail`` (one outcome, one actor, with evidence),
``queries`` (the named queries with their forms and results), ``sparql_page`` (the query editor),
``model`` (the data model, read from the bundled ontology, shapes and concept schemes), ``exports`` (the
downloads).
:func:`include` adds them to the app BEFORE the API's routers: a page route matches only a browser's
request (:class:`~harvestgraph.api.pages.common.HTMLRoute`), everything else falls through to the API.
"""

from __future__ import annotations

import re

from fastapi import FastAPI, Request
from markupsafe import Markup, escape
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from harvestgraph.api.pages import detail, exports, home, lists, model, queries, signin, sparql_page
from harvestgraph.api.pages.common import PageError, error_page, prefers_html, sentence
from harvestgraph.api.pages.lists import actor_href, outcome_href


def include(app: FastAPI) -> None:
    """Mount the pages (call before the API routers) and give the templates their link helpers."""
    for module in (home, lists, detail, queries, sparql_page, model, signin, exports):
        app.include_router(module.router)
    app.include_router(model.files_router)
    app.state.templates.globals.update(outcome_href=outcome_href, actor_href=actor_href)
    app.state.templates.filters["column_title"] = column_title
    app.state.templates.filters["iris"] = iris
    app.state.templates.filters["sentence"] = sentence
    app.state.templates.globals["page_for"] = page_for

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        """A browser gets an HTML page for an unknown address (or a refused token); others FastAPI's JSON."""
        if not prefers_html(request.headers.get("accept")):
            return await http_exception_handler(request, exc)
        message = ("There is no page at this address." if exc.status_code == 404 else str(exc.detail))
        return browser_error(request, exc.status_code, message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        """A malformed parameter: FastAPI's JSON for clients, a page naming the parameter for a browser."""
        if not prefers_html(request.headers.get("accept")):
            return await request_validation_exception_handler(request, exc)
        problems = "; ".join(f"{'.'.join(str(x) for x in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}"
                             for e in exc.errors()[:5])
        return browser_error(request, 400, f"This address has a malformed parameter ({problems}).")


def page_for(iri: str) -> dict | None:
    """The reader's page of one of our IRIs, for its linked-data page (/id/...): an outcome's page (its
    FragmentID as text), an actor's or programme's page, or the outcome list of a country, objective or
    type of change; None for anything else (a place below a country, a harvest, a mention)."""
    import re
    from urllib.parse import quote

    from harvestgraph.api.pages.facets import facet_values
    from harvestgraph.vocab import ID, decode_id

    if iri.startswith(str(ID) + "outcome/"):
        fid = decode_id(iri[len(str(ID) + "outcome/"):])
        return {"href": outcome_href(fid), "text": fid, "what": "the outcome's page"}
    if (link := actor_href(iri)):
        return {"href": link, "text": None, "what": "its page, with the outcomes it changed in and contributed to"}
    for f, key in facet_values(iri):
        if f.key != "programme" and (f.key != "country" or re.fullmatch(r"[A-Z]{2}", key)):
            return {"href": f"/outcomes?{f.key}={quote(key, safe='')}", "text": None,
                    "what": f"the outcomes with this {f.title.lower()}"}
    return None


def column_title(name: str) -> str:
    """A result column's name as a reader reads it: ``programmeContributions`` → "programme contributions",
    ``actorA`` → "actor A"."""
    import re

    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").split()
    return " ".join(ABBREVIATIONS.get(w.lower(), w if len(w) == 1 else w.lower()) for w in words)


ABBREVIATIONS = {"rf": "results-framework", "prog": "programme"}  # (the column and parameter names' short words)


# an IRI in running text, without the punctuation that ends its sentence
_IRI_IN_TEXT = re.compile(r"(https?://[^\s<>\"]*[^\s<>\".,;:!?)])")


def iris(text: str):
    """Text with each IRI in it shown as an identifier (``<code class="iri">``, as the pages show every IRI),
    the rest escaped: an ontology comment that names a namespace ("relative to https://w3id.org/...")."""
    parts = _IRI_IN_TEXT.split(str(text))
    return Markup("").join(Markup('<code class="iri">{}</code>').format(p) if i % 2 else escape(p)
                           for i, p in enumerate(parts))


class BrowserErrors:
    """ASGI middleware: a browser's request (Accept prefers HTML, no ``format=`` asked) answered with a
    JSON refusal (any route's: a 429 of the reader slots, a 503 timeout, a 404 of the REST API, a 400 of
    the workbench) gets the same refusal as an HTML page instead: same status, same Retry-After or
    WWW-Authenticate, the message in words and links back into the site. Clients that ask for JSON, and
    every successful answer, pass through untouched (the body is read only for an error)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not _browser(scope):
            return await self.app(scope, receive, send)
        start: dict | None = None
        chunks: list[bytes] = []

        async def capture(message):
            nonlocal start
            if message["type"] == "http.response.start":
                ctype = dict(message.get("headers") or []).get(b"content-type", b"")
                if message["status"] >= 400 and (ctype.startswith(b"application/json")
                                                 or ctype.startswith(b"application/problem+json")):
                    start = message
                    return
                return await send(message)
            if start is None:
                return await send(message)
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                page = browser_error(Request(scope), start["status"], _message(b"".join(chunks)),
                                     {k.decode("latin-1"): v.decode("latin-1")
                                      for k, v in start.get("headers") or []
                                      if k.lower() in (b"retry-after", b"www-authenticate")})
                await page(scope, receive, send)

        await self.app(scope, receive, capture)


def _browser(scope) -> bool:
    accept = dict(scope.get("headers") or []).get(b"accept", b"").decode("latin-1")
    query = scope.get("query_string", b"").decode("latin-1")
    return prefers_html(accept) and not any(p.split("=", 1)[0] == "format" for p in query.split("&"))


def _message(body: bytes) -> str:
    """The words of a JSON refusal (``message``, FastAPI's ``detail``), or a general sentence."""
    import json

    try:
        data = json.loads(body)
    except ValueError:
        return "This request was refused."
    if isinstance(data, dict):
        for key in ("message", "detail"):
            if isinstance(data.get(key), str):
                return data[key]
    return "This request was refused."


TITLES = {400: "Bad request", 401: "Not signed in", 403: "Not allowed", 404: "Not found", 413: "Too large",
          429: "Too many queries at once", 502: "The store did not answer", 503: "Too slow or too busy"}


def browser_error(request: Request, status: int, message: str, headers: dict[str, str] | None = None):
    """An error as an HTML page for a browser (the API's JSON refusals, said in words), keeping the
    refusal's status and headers (Retry-After, WWW-Authenticate)."""
    from harvestgraph.api.auth import ANONYMOUS

    return error_page(request, ANONYMOUS, PageError(status, message, TITLES.get(status, "Sorry"), headers))
