"""``/queries``: the named query library and one page of a named query's answer (JSON or CSV)."""

from __future__ import annotations

import functools
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse

from harvestgraph import queries
from harvestgraph.api.auth import Reader
from harvestgraph.api.cache import Body
from harvestgraph.api.sparql import SparqlError, answer, send

from .models import ParamInfo, QueryInfo, TablePage
from .common import DEFAULT_PAGE, Offset, PageOf, ReaderDep, _csv_body, _produce_page, named_query, query_body

router = APIRouter()


@router.get("/queries", tags=["Named queries"], response_model=list[QueryInfo], summary="List the named queries")
async def list_queries(reader: ReaderDep) -> list[QueryInfo]:
    """Every named query of the library, with what it tells a researcher and its parameters."""
    return [QueryInfo(name=q.name, title=q.title, description=q.description, href=f"/queries/{q.name}",
                      params=[ParamInfo(name=p.name, type=p.type, default=p.default, doc=p.doc,
                                        required=p.name in q.required) for p in q.params])
            for q in queries.library().values()]


@router.get("/queries/{name}", tags=["Named queries"], response_model=TablePage, summary="Run a named query",
            responses={200: {"content": {"text/csv": {}}},
                       400: {"description": "bad parameter, a required parameter missing (missing_parameter), "
                                            "a limit above the server's row cap, or a whole CSV answer above it"},
                       404: {"description": "no such query"}})
async def run_query(request: Request, reader: ReaderDep,
                    name: Annotated[str, Path(description="Query name, see GET /queries")],
                    format: Annotated[str | None, Query(description="json (default) or csv; Accept: text/csv works too")] = None,
                    limit: Annotated[int | None, Query(ge=1, le=100_000, description=f"Page size: at most this many rows "
                                                       f"(default {DEFAULT_PAGE}; at most the server's row cap, "
                                                       "10,000 unless set otherwise). CSV without limit or offset: "
                                                       "the whole answer")] = None,
                    offset: Offset = 0):
    """Run a named query. Its parameters (see ``GET /queries``) are given as query-string parameters,
    e.g. ``/queries/outcomes?country=KE&year_from=2024``; they are bound as typed RDF terms.

    JSON answers come in pages of ``limit`` rows (default 1,000) from ``offset``; the queries are ordered, so
    pages are stable. The next page's URL is in the body (``next``) and in the ``Link`` header
    (``rel="next"``); ``total`` (and ``X-Total-Count``) is given on the last page. CSV without ``limit`` or
    ``offset`` is the whole answer (a download; up to the server's row cap), with them a page like JSON.
    A query that would list the whole portfolio without its parameter (``required`` in ``GET /queries``)
    is refused with 400 ``missing_parameter``."""
    if name not in queries.library():
        return JSONResponse({"error": "not_found", "message": f"no named query {name!r}"}, status_code=404)
    if format and format.lower() not in ("json", "csv"):
        return JSONResponse({"error": "bad_format", "message": "format must be json or csv"}, status_code=400)
    wants_csv = (format or "").lower() == "csv" or (not format and "text/csv" in request.headers.get("accept", ""))
    values = {k: v for k, v in request.query_params.items() if k not in ("format", "limit", "offset")}
    cap = request.app.state.hg.result_cap
    if limit is not None and limit > cap:
        return JSONResponse({"error": "limit_too_large", "message": f"limit is at most {cap} (this server's row "
                             "cap); follow the next links for more"}, status_code=400)
    try:
        if wants_csv and limit is None and not offset:  # the whole answer as a download
            body = await query_body(request, reader, named_query(name, values), _csv_body)
        else:
            page = PageOf(f"/queries/{name}", tuple((k, v) for k, v in request.query_params.multi_items()
                                                    if k not in ("limit", "offset")),
                          limit or min(DEFAULT_PAGE, cap), offset, limit is not None, wants_csv)
            body = await named_page(request, reader, name, values, page)
    except SparqlError as exc:
        return exc.response()
    return send(request, reader, body)


def default_page(request: Request, name: str, values: dict[str, str], offset: int = 0) -> PageOf:
    """The JSON page of a named query that ``GET /queries/NAME?params`` answers without ``limit`` and
    ``format``: the browser's page (``/queries/NAME?run=1``) shows the same page, so both, and the
    warm-up (:mod:`harvestgraph.api.warm`), share one cache entry."""
    return PageOf(f"/queries/{name}", tuple(values.items()), min(DEFAULT_PAGE, request.app.state.hg.result_cap),
                  offset, False)


async def named_page(request: Request, reader: Reader, name: str, values: dict[str, str], page: PageOf) -> Body:
    """One page of a named query's answer (SparqlError on refusal, e.g. a missing required parameter)."""
    key, make = named_query(name, values, page.tail)
    return await answer(request, reader, (*key, page), functools.partial(_produce_page, make, page))
