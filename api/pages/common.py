"""What every page shares: the route class that answers browsers only, rendering, the guarded query
runner as pages use it, and page errors.

Content negotiation. A page route and a JSON route share a path (``/``, ``/outcomes``, ``/sparql``, ...).
:class:`HTMLRoute` matches only a request whose Accept header prefers HTML and that asks for no explicit
``format=``; every other request falls through to the JSON / protocol route registered after it, exactly
as before the pages existed.

Queries. Pages run SPARQL only through :func:`harvestgraph.api.rest.query_table` (the app's cached,
time-limited, reader-scoped runner), never against the store: the reader's role decides what a page can
show, exactly as for the API.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from starlette.routing import Match

from harvestgraph.api.auth import COOKIE, Reader, get_reader
from harvestgraph.api.rest import PageOf, QuerySpec, Table, named_page, named_query, query_table, text_query
from harvestgraph.api.sparql import SparqlError, accepted_media_types

HTML_TYPES = ("text/html", "application/xhtml+xml")
ReaderDep = Annotated[Reader, Depends(get_reader)]


def prefers_html(accept: str | None) -> bool:
    """Whether an Accept header puts HTML first (a browser's does; ``*/*`` and JSON clients' do not)."""
    for mt in accepted_media_types(accept or ""):
        if mt in HTML_TYPES:
            return True
        return False
    return False


class HTMLRoute(APIRoute):
    """A route that only a browser's request matches: Accept prefers HTML and no ``format=`` is asked.
    Anything else is left to the next route with the same path (the JSON API, the SPARQL protocol)."""

    def matches(self, scope) -> tuple[Match, dict]:
        match, child = super().matches(scope)
        if match == Match.NONE:
            return match, child
        headers = dict(scope.get("headers") or [])
        accept = headers.get(b"accept", b"").decode("latin-1")
        query = scope.get("query_string", b"").decode("latin-1")
        if not prefers_html(accept) or any(p.split("=", 1)[0] == "format" for p in query.split("&")):
            return Match.NONE, {}
        return match, child


class PageError(Exception):
    """A problem to show on the page (bad input, not found, timeout), with its HTTP status."""

    def __init__(self, status: int, message: str, title: str = "Sorry", headers: dict[str, str] | None = None,
                 links: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.status, self.message, self.title, self.headers = status, message, title, headers or {}
        self.links = links or []  # (href, text): where the reader may go instead, before the start page


def _paths(routes) -> set[str]:
    out: set[str] = set()
    for r in routes:
        if getattr(r, "path", None):
            out.add(r.path)
        inner = getattr(r, "original_router", None) or (r if hasattr(r, "routes") and not hasattr(r, "path") else None)
        if inner is not None and inner is not r:
            out |= _paths(inner.routes)
    return out


def has_route(request: Request, path: str) -> bool:
    """Whether the app serves ``path`` (included routers are looked into): the pages link to /explore and
    /network only when they exist."""
    return path in _paths(request.app.routes)


def render(request: Request, reader: Reader, template: str, status: int = 200, csp: str | None = None,
           **context: Any) -> HTMLResponse:
    """A template of api/templates rendered with autoescape, for this reader. ``csp``: this page's own
    Content-Security-Policy instead of the app's (api/app.py)."""
    env = request.app.state.templates
    html = env.get_template(template).render(
        reader=reader, path=request.url.path, signed_in=COOKIE in request.cookies,
        back_to=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        has_explore=has_route(request, "/explore"),
        has_network=has_route(request, "/network"), **context)
    headers = {"Vary": "Accept, Authorization, Cookie",
               "Cache-Control": "no-cache" if reader.role == "anonymous" else "private, no-store"}
    if csp:
        headers["Content-Security-Policy"] = csp
    return HTMLResponse(html, status_code=status, headers=headers)


# What a parameter takes, in a reader's words (a named query's type, e.g. "concept:type-of-change"; the API's
# description keeps the type).
TYPE_WORDS = {"integer": "a whole number", "string": "text", "boolean": "yes or no", "country": "a country",
              "programme": "a programme", "actor": "an actor", "outcome": "a FragmentID", "fragment": "a FragmentID",
              "concept:type-of-change": "a type of change: pick one or type it", "concept:actor-kind":
              "a kind of actor: pick one or type it", "year": "a four-digit year", "decimal": "a number",
              "iri": "an IRI"}

# A boolean as the pages say it (an outcome's facts, a named query's table); the JSON and CSV keep true / false.
YES_NO = {"true": "yes", "false": "no"}

# The program's line for a parameter value it could not read (harvestgraph.queries.bind's HarvestError:
# "<input>: field 'F': bad value 'V' for parameter 'F' (TYPE): DETAIL"), and the start of any other
# HarvestError's line (no file: "<input>", then the field).
_BAD_VALUE = re.compile(r"<input>: field '([^']+)': bad value ('(?:[^'\\]|\\.)*'|\"[^\"]*\") for parameter "
                        r"'[^']+' \(([^)]+)\): (.*)", re.S)
_NO_FILE = re.compile(r"<input>: (?:field '([^']+)': )?")
# A view's refusal of a parameter by its name ("year_from must be a year such as 2024, got 'abc'", "contributors
# must be programme or other").
_MUST_BE = re.compile(r"([a-z]+(?:_[a-z]+)*) must be (.+?)(?:, got ('(?:[^'\\]|\\.)*'))?\.?")
_PYTHON_WORDS = re.compile(r"invalid literal|could not convert|base 10|object has no|Error\b")


def field_words(name: str) -> str:
    """A parameter's name as the forms label it: ``year_from`` → "year from", ``rf_outcome`` → "results-framework
    outcome"."""
    return " ".join("results-framework" if w == "rf" else w for w in name.split("_"))


def sentence(text: str, stop: bool = True) -> str:
    """``text`` as a sentence: a capital first letter and, with ``stop``, a full stop at its end unless it
    ends with one, a question or an exclamation mark ("this endpoint is read-only" → "This endpoint is
    read-only."). Text that starts with a quote, a digit or a sign keeps its start."""
    text = text.strip()
    if text[:1].islower():
        text = text[0].upper() + text[1:]
    return text + "." if stop and text and text[-1] not in ".?!…" else text


def in_words(message: str) -> str:
    """A refusal's message as a page shows it, as a sentence: a parameter value the program could not read
    is said as which field and what it must be ("Year from 'abc' is not a whole number."), without the
    program's own wording ("<input>: field ...", Python's "invalid literal for int()", a parameter's name
    as the address spells it: "year_from must be a year such as 2024, got 'abc'"); any other message
    loses only its "<input>: " start and starts with a capital ("nothing is known about ..." → "Nothing is
    known about ..."). The JSON API's messages are not changed (clients may parse them)."""
    m = _BAD_VALUE.fullmatch(message.strip())
    if m:
        name, value, typ, detail = m.groups()
        what = TYPE_WORDS.get(typ, "a valid value")
        detail = detail.strip().rstrip(".")
        if detail.startswith(("a ", "an ")) or detail == "true or false":
            what, detail = detail, ""  # the program's detail says what it must be
        elif detail.startswith("unknown ") or _PYTHON_WORDS.search(detail):
            what, detail = (what + " this server knows") if detail.startswith("unknown ") else what, ""
        return sentence(f"{field_words(name)} {value} is not {what}" + (f" ({detail})" if detail else ""))
    m = _MUST_BE.fullmatch(message.strip())
    if m:
        name, what, value = m.groups()
        return sentence(f"{field_words(name)} {value} is not {what}" if value else f"{field_words(name)} must be {what}")
    m = _NO_FILE.match(message)
    if m:
        rest = message[m.end():]
        return sentence(f"{field_words(m.group(1))}: {rest}" if m.group(1) else rest)
    return sentence(message)


def error_page(request: Request, reader: Reader, exc: PageError) -> HTMLResponse:
    """The problem as a page with the refusal's status and headers; with Retry-After the page reloads itself
    then (the index being built after new data: the reader need not do anything)."""
    retry = exc.headers.get("Retry-After")
    page = render(request, reader, "pages/error.html", status=exc.status, title=exc.title, message=in_words(exc.message),
                  links=exc.links, refresh=int(retry) if retry and retry.isdigit() else None)
    for k, v in exc.headers.items():
        page.headers[k] = v
    return page


def _page_error(exc: SparqlError) -> PageError:
    if exc.code == "building":
        return PageError(503, exc.message[:1].upper() + exc.message[1:] + ". This page reloads itself.",
                         "Being updated", exc.headers)
    if exc.status == 503:
        return PageError(503, "The query behind this page took longer than this server allows. Narrow the "
                              "selection (a filter, a search) and try again.", "Too slow")
    if exc.code == "result_too_large":
        return PageError(400, "This selection is too large to show at once: " + exc.message, "Too large")
    return PageError(exc.status if 400 <= exc.status < 600 else 500, in_words(exc.message))


async def select(request: Request, reader: Reader, text: str,
                 bindings: dict[str, ox.NamedNode | ox.Literal] | None = None) -> list[dict[str, str | None]]:
    """The rows of a SELECT over the reader's graphs, through the app's guarded runner (PageError on refusal)."""
    return (await table(request, reader, text_query(text, bindings)))


async def named(request: Request, reader: Reader, name: str, values: dict[str, str], tail: str = "") -> Table:
    """A named query's table through the guarded runner (PageError on refusal)."""
    try:
        return await query_table(request, reader, named_query(name, values, tail))
    except SparqlError as exc:
        raise _page_error(exc) from None


async def page_json(request: Request, reader: Reader, name: str, values: dict[str, str], page: PageOf) -> dict:
    """One page of a named query as the API's JSON page (columns, rows, next, ...); PageError on refusal."""
    try:
        body = await named_page(request, reader, name, values, page)
    except SparqlError as exc:
        raise _page_error(exc) from None
    if body.status != 200:
        raise _page_error(SparqlError.from_body(body))
    return json.loads(body.content)


async def table(request: Request, reader: Reader, spec: QuerySpec) -> list[dict[str, str | None]]:
    try:
        return (await query_table(request, reader, spec)).rows
    except SparqlError as exc:
        raise _page_error(exc) from None


def href(path: str, params: dict[str, Any] | list[tuple[str, Any]]) -> str:
    """``path?query`` with the non-empty parameters, URL-encoded (the template escapes it for HTML)."""
    items = params.items() if isinstance(params, dict) else params
    q = urlencode([(k, str(v)) for k, v in items if v not in (None, "")])
    return f"{path}?{q}" if q else path


def int_param(raw: str | None, name: str, default: int, low: int, high: int, problems: list[str]) -> int:
    """An integer query parameter, or ``default`` with a message in ``problems`` when it is malformed."""
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.append(sentence(f"{field_words(name)} must be a whole number; {raw[:40]!r} was ignored"))
        return default
    if not low <= value <= high:
        problems.append(sentence(f"{field_words(name)} must be between {low} and {high}; {value} was ignored"))
        return default
    return value


_CONFIDENTIAL_IDS = """PREFIX hg: <https://w3id.org/harvestgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?id WHERE { ?f hg:isConfidential true ; dcterms:identifier ?id }"""


async def confidential_ids(request: Request, reader: Reader) -> set[str]:
    """The FragmentIDs of the confidential fragments this reader sees, so that a page can mark them: a
    reader with the confidential role must know which records concern defenders at risk before quoting or
    sharing them. Empty (and no query) for everyone else, who sees none."""
    if not reader.can_see_confidential:
        return set()
    return {r["id"] for r in await select(request, reader, _CONFIDENTIAL_IDS) if r.get("id")}
