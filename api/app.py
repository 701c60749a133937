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

import asyncio
import logging
import os
import sys
import threading
from contextlib import asynccontextmanager
from pathlib import Path

import jinja2
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders

from harvestgraph.api import rest, routes_explore, sparql
from harvestgraph.api import warm as warm_up
from harvestgraph.api.auth import Reader, get_reader
from harvestgraph.api.cache import DEFAULT_MAX_BYTES, ResultCache, VisibleGraphs
from harvestgraph.api.limits import Limits, ReaderSlots
from harvestgraph.api.workers import MAX_RSS, ThreadRunner, WorkerPool
from harvestgraph.errors import HarvestError, StoreError
from harvestgraph.store import EmbeddedStore, GraphStore, open_store

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


class SecurityHeaders:
    """``X-Content-Type-Options: nosniff`` on every response; on HTML also a CSP, ``X-Frame-Options`` and
    ``Referrer-Policy``, unless the route set its own. Plain ASGI rather than ``@app.middleware("http")``:
    that wrapper costs a task and a stream per request, a good part of what a cached answer costs."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", CSP)
                    headers.setdefault("X-Frame-Options", "DENY")
                    headers.setdefault("Referrer-Policy", "no-referrer")
            await send(message)

        await self.app(scope, receive, send_with_headers)


WORKER_NICE = 10  # a query worker gets about a tenth of the CPU weight of the event loop (Linux CFS)


def _yield_to_the_event_loop() -> None:
    """Lower this worker thread's CPU priority (Linux: the nice value is per thread), so that on a busy
    machine the event loop, which answers from the cache in about a millisecond, is not starved by long
    evaluations. Elsewhere, or if refused, nothing changes."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICE)
    except (AttributeError, OSError):
        pass


def _include_views(app: FastAPI) -> None:
    """The /network and /exports routes, when the views module is installed."""
    try:
        from harvestgraph.api.routes_views import router
    except ModuleNotFoundError as exc:
        if exc.name != "harvestgraph.api.routes_views":
            raise
        return
    app.include_router(router)


async def _start_watch(app: FastAPI, st: GraphStore, paths: list[Path], registry: Path | None, interval: float,
                       warm: bool):
    """``serve --watch``: a watcher thread that ingests through the server's store object. Its language
    model and mapping processes are loaded before the server listens (~8 s at start, off the event loop);
    its first sync runs in its thread while the server answers. After an ingest that wrote something, the
    network and list index are built again in the background if ``warm``."""
    from harvestgraph import config
    from harvestgraph.ingest.watch import Watcher

    if getattr(st, "read_only", False):
        raise HarvestError("--watch needs a store the server may write: drop --read-only", file=st.location)
    if isinstance(st, EmbeddedStore):
        # An edit's batch is written as one transaction, never as a rebuild: that would swap the store's
        # folder under the query workers that have it open (a new portfolio of 1,000 fragments or more is
        # still streamed into a rebuild: ingest those before serving).
        st.bulk_min_quads = sys.maxsize
    loop = asyncio.get_running_loop()

    def on_event(event) -> None:
        log = logging.getLogger("uvicorn.error")  # the server's log, which uvicorn shows at info level
        log.info("watch: %s", event.summary())
        for problems in event.failed.values():
            for p in problems:
                log.warning("watch: not ingested: %s", p)
        if warm and event.wrote:  # one build at a time, however many saves land during one (warm is single-flight)
            loop.call_soon_threadsafe(warm_up.warm, app)

    watcher = await asyncio.to_thread(Watcher, paths, st, config.make_resolver, registry, interval=interval,
                                      on_event=on_event)
    watcher.start()
    app.state.watcher = watcher
    return watcher


def create_app(store: GraphStore | str, *, query_timeout: float = 10.0, result_cap: int = 10000,
               cors_origins: list[str] | None = None, workers: int = 4, worker_memory: int = MAX_RSS,
               job_memory: int | None = None, index_wait: float = 60.0, read_only: bool = False,
               cache_bytes: int = DEFAULT_MAX_BYTES, cache_ttl: float = 0.0, limits: Limits | None = None,
               processes: bool | None = None, view_timeout: float = 60.0, warm: bool = False,
               watch: list[Path] | None = None, registry: Path | None = None, watch_interval: float = 1.0) -> FastAPI:
    """The FastAPI app. ``query_timeout`` (seconds) and ``result_cap`` (rows or triples) bound every query;
    ``view_timeout``: the same for the network view, report and exports. ``workers`` evaluations run at
    once, each worker replaced after a job that left it above ``worker_memory`` bytes, and killed (the job
    answered 503) when it grows past ``job_memory`` bytes while it runs (None: the machine's memory shared
    by the workers and the server; 0: no ceiling). ``index_wait``: seconds a request waits for its scope's
    network and list index while they are built (after start or a write) before a 503 ``building`` with
    Retry-After (a browser's page says so and reloads itself). ``read_only`` opens an embedded store folder without locking it.
    ``limits``: what a /sparql text may be and how many evaluations one reader may have at once.
    ``warm``: at start (and after each ingest of ``watch`` that wrote), build each reader scope's network
    and list index and the named queries' first pages in the background (:mod:`harvestgraph.api.warm`),
    so the first visitor does not wait for them.
    ``watch``: files or folders ingested at start and again whenever one changes
    (:class:`harvestgraph.ingest.watch.Watcher`, with ``registry``), through this server's own store object:
    it holds the embedded store's lock, so the workers see each ingest at its next generation.

    ``processes`` (default: for an embedded store, given as a folder or as an ``EmbeddedStore``): evaluate
    in worker processes that open the store read-only and are killed at the timeout or when they crash
    (:mod:`harvestgraph.api.workers`). Otherwise (a remote store, or a store object with its own
    behaviour, e.g. a test double) in threads over the store object, where a timeout only stops waiting.

    Answers are cached up to ``cache_bytes`` (0: off) while the store's generation says they are exact
    (this process is the only writer); for a store that may change underneath (remote, read-only) only
    if ``cache_ttl`` > 0, and then they may be up to that many seconds old."""
    owns_store = isinstance(store, (str, Path))
    st = open_store(store, read_only=read_only) if owns_store else store
    limits = limits or Limits()
    if processes is None:
        processes = type(st) is EmbeddedStore
    graphs = VisibleGraphs(st, cache_ttl)
    settings = sparql.Settings(st, query_timeout, result_cap, None, ResultCache(cache_bytes, cache_ttl), graphs,
                               limits=limits, slots=ReaderSlots(limits.per_reader),
                               view_timeout=max(view_timeout, query_timeout), index_wait=index_wait)
    if processes:
        settings.pool = WorkerPool(st.location, workers, result_cap=result_cap, query_timeout=query_timeout,
                                   recycle=max(cache_ttl, 60.0), max_rss=worker_memory,
                                   job_memory=job_memory)
    else:
        settings.pool = ThreadRunner(settings, workers, initializer=_yield_to_the_event_loop)
    pool = settings.pool

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if isinstance(pool, WorkerPool):
            if isinstance(st, EmbeddedStore) and not st.read_only:
                # The compaction our read-write open started would delete files under the workers' snapshots
                # (a fresh 20k store: every warm-up job past the memory ceiling): finish it before they open.
                took = await asyncio.to_thread(st.settle)
                if took > 1.0:
                    logging.getLogger("uvicorn.error").info("store compacted before starting the workers: %.1f s", took)
            pool.start(st.generation)  # all of them in the background; listen once one is ready
            await asyncio.to_thread(pool.wait_first, 90.0)
        # The network and the list pages' index are built in a query worker (not in this process, where
        # the networkx pass held the GIL and slowed every server's first second), ahead if asked.
        warming = warm_up.warm(app) if warm else None
        if warm:  # the data model (rdflib over the bundled Turtle: 1.4 CPU-s) that /model and every /id page name terms by
            from harvestgraph.api.pages.model import model as data_model

            asyncio.get_running_loop().run_in_executor(None, data_model)
        watcher = await _start_watch(app, st, watch, registry, watch_interval, warm) if watch else None
        yield
        if watcher is not None:
            watcher.stop(timeout=60)
        if warming is not None:
            warming.cancel()
        pool.shutdown()
        if owns_store:
            st.close()

    app = FastAPI(title="harvestgraph", version="0.1.0", openapi_tags=TAGS, lifespan=lifespan,
                  docs_url=None, redoc_url=None,
                  description="Actors, outcomes and contributions from Outcome Harvesting records, as a "
                              "knowledge graph. Anonymous readers see public fragments only.")
    app.state.hg = settings
    app.state.templates = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                                             autoescape=jinja2.select_autoescape(["html"], default=True))
    from harvestgraph.api import pages  # the browsers' pages go first: they match only Accept: text/html

    pages.include(app)
    app.include_router(sparql.router)
    app.include_router(rest.router)
    app.include_router(routes_explore.router)
    _include_views(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type", "Accept"])

    app.add_middleware(pages.BrowserErrors)  # inside SecurityHeaders: its pages get the CSP too
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(sparql.SparqlError)
    async def sparql_error(request: Request, exc: sparql.SparqlError):
        return exc.response()

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError):
        return JSONResponse({"error": "store_error", "message": str(exc)}, status_code=502)

    @app.exception_handler(HarvestError)
    async def harvest_error(request: Request, exc: HarvestError):
        return JSONResponse({"error": "bad_request", "message": str(exc)}, status_code=400)

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon():
        """What a browser asks every site for before any page names its icon (the pages name
        /static/favicon.svg): the same icon, not a 404 in the console of every first visit."""
        return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml",
                            headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/", include_in_schema=False)
    async def index(reader: Annotated[Reader, Depends(get_reader)]):
        return {"name": "harvestgraph", "sparql": "/sparql", "queries": "/queries", "outcomes": "/outcomes",
                "actors": "/actors", "openapi": "/openapi.json"}

    return app
