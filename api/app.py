"""The harvestgraph web application: SPARQL 1.1 endpoint, REST API and dereferenceable IRIs.

``create_app(store)`` builds it around one store (embedded folder, ``http(s)://`` endpoint, or an open
:class:`~harvestgraph.store.GraphStore`). Every route asks :func:`harvestgraph.api.auth.get_reader` who is
reading and queries only the graphs that reader may see.

Security defaults: no CORS middleware (browsers on other origins cannot read answers) unless
``cors_origins`` is given; ``X-Content-Type-Options: nosniff`` on every response; on HTML a
``Content-Security-Policy: default-src 'self'`` (no inline script, no third-party asset: the templates
load only ``/static``), unless a route set its own policy. The interactive docs pages (Swagger UI, ReDoc)
are off because they load scripts from a CDN; the OpenAPI description is at ``/openapi.json``.
"""

from __future__ import annotations

import concurrent.futures
from contextlib import asynccontextmanager
from pathlib import Path

import jinja2
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from harvestgraph.api import rest, sparql
from harvestgraph.api.auth import Reader, get_reader
from harvestgraph.errors import HarvestError, StoreError
from harvestgraph.store import GraphStore, open_store

HERE = Path(__file__).resolve().parent
CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

TAGS = [
    {"name": "SPARQL", "description": "The SPARQL 1.1 Protocol, read-only, over the graphs the reader may see."},
    {"name": "Named queries", "description": "The documented query library (queries/*.rq) with typed parameters."},
    {"name": "Outcomes", "description": "Outcomes (one per fragment) with their fields, contributors and provenance."},
    {"name": "Actors", "description": "Social actors: who changed, who contributed, with whom."},
    {"name": "Linked data", "description": "Entity IRIs https://w3id.org/harvestgraph/id/... dereferenced as "
                                           "/id/..., as HTML or RDF by content negotiation."},
]


def _include_views(app: FastAPI) -> None:
    """The /network and /exports routes, when the views module is installed."""
    try:
        from harvestgraph.api.routes_views import router
    except ModuleNotFoundError as exc:
        if exc.name != "harvestgraph.api.routes_views":
            raise
        return
    app.include_router(router)


def create_app(store: GraphStore | str, *, query_timeout: float = 10.0, result_cap: int = 10000,
               cors_origins: list[str] | None = None, workers: int = 4) -> FastAPI:
    """The FastAPI app. ``query_timeout`` (seconds) and ``result_cap`` (rows or triples) bound every query;
    ``workers`` bounds how many queries evaluate at once (a timed-out query may still occupy a worker)."""
    owns_store = isinstance(store, (str, Path))
    st = open_store(store) if owns_store else store
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sparql")

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        pool.shutdown(wait=False, cancel_futures=True)
        if owns_store:
            st.close()

    app = FastAPI(title="harvestgraph", version="0.1.0", openapi_tags=TAGS, lifespan=lifespan,
                  docs_url=None, redoc_url=None,
                  description="Actors, outcomes and contributions from Outcome Harvesting records, as a "
                              "knowledge graph. Anonymous readers see public fragments only.")
    app.state.hg = sparql.Settings(st, query_timeout, result_cap, pool)
    app.state.templates = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                                             autoescape=jinja2.select_autoescape(["html"], default=True))
    app.include_router(sparql.router)
    app.include_router(rest.router)
    _include_views(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type", "Accept"])

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", CSP)
            response.headers.setdefault("X-Frame-Options", "DENY")
            response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    @app.exception_handler(sparql.SparqlError)
    async def sparql_error(request: Request, exc: sparql.SparqlError):
        return exc.response()

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError):
        return JSONResponse({"error": "store_error", "message": str(exc)}, status_code=502)

    @app.exception_handler(HarvestError)
    async def harvest_error(request: Request, exc: HarvestError):
        return JSONResponse({"error": "bad_request", "message": str(exc)}, status_code=400)

    @app.get("/", include_in_schema=False)
    async def index(reader: Annotated[Reader, Depends(get_reader)]):
        return {"name": "harvestgraph", "sparql": "/sparql", "queries": "/queries", "outcomes": "/outcomes",
                "actors": "/actors", "openapi": "/openapi.json"}

    return app
