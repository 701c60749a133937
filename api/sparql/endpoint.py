"""The SPARQL 1.1 Protocol endpoint, ``GET`` and ``POST /sparql``: the protocol's parameters read strictly
(one ``query``, UTF-8, the right content type, a capped body), updates refused, then the guarded runner."""

from __future__ import annotations

import functools
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from harvestgraph.api.auth import Reader, get_reader
from harvestgraph.api.cache import Body
from harvestgraph.api.limits import LimitExceeded

from .common import SparqlError, settings
from .formats import _media_key, encode, negotiate
from .guards import _SERVICE, _scrub, check_query
from .runner import Job, answer, send

router = APIRouter(tags=["SPARQL"])


QUERY_DOC = "The SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE). Updates and SERVICE are refused."
DEFAULT_GRAPH_DOC = ("Protocol dataset: a graph IRI to use as (part of) the default graph. Repeatable. It can only "
                     "narrow what the reader may see, never widen it.")
NAMED_GRAPH_DOC = "Protocol dataset: a named graph IRI. Repeatable. Narrows, never widens, the reader's graphs."
FORMAT_DOC = ("Result format instead of the Accept header: json, xml, csv, tsv (SELECT/ASK); turtle, ntriples, "
              "jsonld, rdfxml (CONSTRUCT/DESCRIBE).")

_POST_BODY = {
    "requestBody": {
        "description": "Either a form (query=..., default-graph-uri=..., named-graph-uri=...) or the query itself "
                       "as application/sparql-query. Updates (update=... or application/sparql-update) get 403.",
        "content": {
            "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                "query": {"type": "string", "description": QUERY_DOC},
                "default-graph-uri": {"type": "array", "items": {"type": "string"}, "description": DEFAULT_GRAPH_DOC},
                "named-graph-uri": {"type": "array", "items": {"type": "string"}, "description": NAMED_GRAPH_DOC},
            }}},
            "application/sparql-query": {"schema": {"type": "string", "description": QUERY_DOC}},
        },
    },
    "responses": {"200": {"description": "SPARQL results or an RDF graph", "content": {
        **{mt: {} for mt in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                             "text/tab-separated-values", "text/turtle", "application/n-triples",
                             "application/ld+json")}}},
        "400": {"description": "bad query, more results than the cap, nesting or patterns over the limits, a "
                               "repeated query parameter, or text that is not UTF-8"},
        "403": {"description": "update or SERVICE refused"}, "406": {"description": "no acceptable format"},
        "413": {"description": "the query (or the request body) is longer than the limit"},
        "415": {"description": "a POST body that is neither a form nor application/sparql-query"},
        "429": {"description": "this reader has its share of evaluations running; see Retry-After"},
        "500": {"description": "the query crashed the worker process evaluating it (the server lives on)"},
        "503": {"description": "the query timed out (and was stopped), or no worker is available"}},
}


def _produce_sparql(text: str, default_uris: list[str], named_uris: list[str], accept: str | None,
                    fmt: str | None, job: Job) -> Body:
    check_query(text)  # in the worker: rdflib's parser takes tens of ms, the event loop must not wait
    ans = job.query(text, default_uris, named_uris)
    return encode(ans, negotiate(ans.kind, accept, fmt))


async def _answer(request: Request, reader: Reader, text: str | None, default_uris: list[str],
                  named_uris: list[str], fmt: str | None) -> Response:
    text = text or ""
    accept = request.headers.get("accept")
    try:
        settings(request).limits.check(text)
    except LimitExceeded as exc:
        return SparqlError(exc.status, exc.code, exc.message).response()
    if _SERVICE.search(_scrub(text)):  # refused here at once (64 KB at most: milliseconds), not in a worker
        return SparqlError(403, "service_refused", "SERVICE (federated query) is refused: this endpoint never "
                           "calls other servers").response()
    produce = functools.partial(_produce_sparql, text, default_uris, named_uris, accept, fmt)
    key = ("sparql", text, tuple(default_uris), tuple(named_uris), _media_key(accept, fmt))
    try:
        return send(request, reader, await answer(request, reader, key, produce))
    except SparqlError as exc:
        return exc.response()


def _update_refused() -> Response:
    return SparqlError(403, "update_refused", "this endpoint is read-only: SPARQL Update is refused").response()


def _strict_params(raw: bytes, what: str) -> list[tuple[str, str]]:
    """``a=b&c=d`` as pairs, refusing (400) what is not UTF-8 once percent-decoded: a lenient decoder would
    run a query other than the one sent."""
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict",
                         max_num_fields=10_000)
    except (UnicodeDecodeError, ValueError) as exc:
        raise SparqlError(400, "bad_encoding", f"the {what} is not valid percent-encoded UTF-8: {exc}") from None


def _one(params: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in params if k == name]
    if len(values) > 1:
        raise SparqlError(400, "repeated_parameter", f"the '{name}' parameter was given {len(values)} times; "
                          "the SPARQL protocol allows exactly one")
    return values[0] if values else None


async def _capped_body(request: Request, cap: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``cap`` bytes (announced or sent)."""
    declared = request.headers.get("content-length")
    too_big = SparqlError(413, "body_too_large", f"the request body has more than {cap} bytes (this server "
                          "accepts queries of at most serve --max-query-bytes)")
    if declared and declared.isdigit() and int(declared) > cap:
        raise too_big
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


@router.get("/sparql", summary="SPARQL 1.1 query (GET)", response_class=Response,
            responses=_POST_BODY["responses"])
async def sparql_get(
    request: Request,
    reader: Annotated[Reader, Depends(get_reader)],
    query: Annotated[str | None, Query(description=QUERY_DOC)] = None,
    update: Annotated[str | None, Query(description="Refused: this endpoint is read-only (403).")] = None,
    default_graph_uri: Annotated[list[str], Query(alias="default-graph-uri", description=DEFAULT_GRAPH_DOC)] = [],
    named_graph_uri: Annotated[list[str], Query(alias="named-graph-uri", description=NAMED_GRAPH_DOC)] = [],
    format: Annotated[str | None, Query(description=FORMAT_DOC)] = None,
) -> Response:
    """Run a read-only SPARQL query over the graphs this reader may see."""
    try:  # the parameters again, strictly: FastAPI's decoding replaces bad UTF-8 and keeps the last repeat
        params = _strict_params(request.scope.get("query_string", b""), "query string")
        if _one(params, "update") is not None:
            return _update_refused()
        text = _one(params, "query")
    except SparqlError as exc:
        return exc.response()
    return await _answer(request, reader, text, default_graph_uri, named_graph_uri, format)


@router.post("/sparql", summary="SPARQL 1.1 query (POST)", response_class=Response, openapi_extra=_POST_BODY)
async def sparql_post(
    request: Request,
    reader: Annotated[Reader, Depends(get_reader)],
    default_graph_uri: Annotated[list[str], Query(alias="default-graph-uri", description=DEFAULT_GRAPH_DOC)] = [],
    named_graph_uri: Annotated[list[str], Query(alias="named-graph-uri", description=NAMED_GRAPH_DOC)] = [],
    format: Annotated[str | None, Query(description=FORMAT_DOC)] = None,
) -> Response:
    """Run a read-only SPARQL query sent as a form or as an application/sparql-query body."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    cap = settings(request).limits.max_query_bytes
    try:
        url_params = _strict_params(request.scope.get("query_string", b""), "query string")
        if _one(url_params, "query") is not None:
            raise SparqlError(400, "repeated_parameter", "a POST sends the query in its body, not in the URL")
        if ctype == "application/sparql-update":
            return _update_refused()
        if ctype == "application/sparql-query":
            raw = await _capped_body(request, cap)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise SparqlError(400, "bad_encoding", f"the query is not valid UTF-8: {exc}") from None
            return await _answer(request, reader, text, default_graph_uri, named_graph_uri, format)
        if ctype == "application/x-www-form-urlencoded":
            # percent-encoding at most triples the size; the other parameters get 4 KB
            form = _strict_params(await _capped_body(request, 3 * cap + 4096), "form")
            if _one(form, "update") is not None:
                return _update_refused()
            text = _one(form, "query")
            return await _answer(request, reader, text,
                                 [*default_graph_uri, *[v for k, v in form if k == "default-graph-uri"]],
                                 [*named_graph_uri, *[v for k, v in form if k == "named-graph-uri"]], format)
        if ctype == "multipart/form-data":
            request._body = await _capped_body(request, 3 * cap + 4096)  # what request.form() reads
            parts = await request.form()
            if parts.get("update") is not None:
                return _update_refused()
            texts = parts.getlist("query")
            if len(texts) > 1:
                raise SparqlError(400, "repeated_parameter", "the 'query' parameter was given "
                                  f"{len(texts)} times; the SPARQL protocol allows exactly one")
            text = texts[0] if texts else None
            return await _answer(request, reader, text if isinstance(text, str) else None,
                                 [*default_graph_uri, *[str(v) for v in parts.getlist("default-graph-uri")]],
                                 [*named_graph_uri, *[str(v) for v in parts.getlist("named-graph-uri")]], format)
    except SparqlError as exc:
        return exc.response()
    return SparqlError(415, "unsupported_media_type", "send application/x-www-form-urlencoded or "
                       "application/sparql-query").response()
