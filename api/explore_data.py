"""The workbench's network and the list pages' index: built once per store generation and reader scope,
served many times.

The whole build runs as ONE job in a query worker process, through the API's guarded runner
(:func:`harvestgraph.api.sparql.answer`: the reader's graphs only, the worker pool, a deadline that kills
the worker, one computation shared by concurrent requests): the three network queries read the store
directly in the worker (rows by position, no result serialisation between processes), networkx measures
what the workbench shows (PageRank, communities, degrees; not betweenness), the :class:`Explorer`'s
indexes are built, the list pages' index (:class:`~harvestgraph.api.pages.catalogue.Catalogue`) is made
from the same query results, and both come back pickled (:class:`Built`). The server process only
unpickles them, so the
event loop is never held by the analysis (a build in a thread of the server held the GIL for seconds
and slowed every other request).

At 10,000 fragments (9,200 outcomes, 57,000 links; 2026-11-30, load 14 on the shared 2-core machine)
the parts took: outcome query 11 s, link query 8 s, labels 1 s, Louvain 8.6 s, PageRank 0.8 s, indexes
1.7 s; betweenness (2.5 s) is not computed. The job's budget is :data:`BUILD_TIMEOUT` seconds, not the
limits meant for readers' ad-hoc queries (the app's settings with that value replaced: same pool, cache,
scope and graphs). ``harvestgraph serve`` builds each scope's at start (:mod:`harvestgraph.api.warm`); otherwise, or
after a write, the first request that needs it does.

Both are kept per (store generation, scope): an anonymous reader's network and index are never built
from, nor served out of, the confidential scope's. When the store has no generation (remote, or
opened read-only: it may change underneath) the network is kept for ``STALE_SECONDS`` (or the app's
cache TTL if longer): rebuilding it per request would take seconds each.

Patched, not rebuilt, after a small write (issue 14: three edited fragments in a 20,000-fragment harvest
made every list page wait a minute per scope). The build keeps the two big queries' answers per outcome
(:class:`~harvestgraph.network.analyse.RawRows`) in a file of the server's own temporary folder. After a
write the store says which fragment graphs it wrote (:meth:`~harvestgraph.store.GraphStore.changed_since`);
the job (:func:`patch_body`, in a worker like the build) reads those outcomes' rows again (two small
queries), drops their old rows, reads every node's labels and the catalogue's extra counts again
(whole-portfolio but cheap), and makes the network, its measures and the catalogue from all the rows as
the build does, so the patched index is the one a full build gives (tests/network/test_index_patch.py). A full build
instead: the scope's first, after a write whose fragments are not known (a stream into the bulk loader,
the registry, the ontology or the concept schemes written, generations not recorded: a remote or
read-only store), more than :data:`PATCH_MAX` fragments, a missing rows file, or a failed patch.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import pickle
import shutil
import tempfile
import time
import weakref
from dataclasses import dataclass

from fastapi import Request

from harvestgraph.network.analyse import Filters, RawRows, _rows, analyse_data, fetch_plan, patch_plan, run_plan
from harvestgraph.api.auth import Reader
from harvestgraph.api.sparql import SparqlError, answer, own_request
from harvestgraph.network.explore import Explorer

STALE_SECONDS = 600.0
BUILD_TIMEOUT = 600.0  # seconds the whole build may take in its worker (see the module docstring)
PICKLE = "application/x-python-pickle"
# A write of more fragments than this is followed by a full build (see the module docstring and
# docs/performance.md for what a patch costs against a build).
PATCH_MAX = 2000

log = logging.getLogger("uvicorn.error")


def build_request(app):
    """The build's stand-in request: the app's settings with the build's budget (:func:`own_request`)."""
    return own_request(app, BUILD_TIMEOUT)


def explorer_body(job, state: str | None = None):
    """The whole build, in a worker (module level: it is pickled to reach the worker): the network
    queries over the job's graphs, the measures the workbench shows, the :class:`Explorer`, pickled.
    ``state``: a file to keep the queries' answers in, for a later patch (:func:`patch_body`)."""
    from harvestgraph.api.cache import Body

    built = build_index(job.hg.store, job.hg.graphs(job.confidential), state)
    return Body(200, pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL), PICKLE)


def patch_body(job, old: str, state: str, outcomes: tuple[str, ...]):
    """:func:`explorer_body` after a write that touched the fragments of ``outcomes``, from the answers kept
    in the file ``old`` (:func:`patch_index`); the new answers go to ``state``."""
    from harvestgraph.api.cache import Body

    built = patch_index(job.hg.store, job.hg.graphs(job.confidential), old, state, outcomes)
    return Body(200, pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL), PICKLE)


def build_index(store, graphs, state: str | None = None) -> Built:
    """The scope's network and list index, read from ``graphs`` of ``store`` (the worker's part of
    :func:`explorer_body`); the answers per outcome are written to the file ``state`` if given."""
    raw = RawRows()
    return _made(store, graphs, fetch_plan(Filters(), restrict_edges=False, raw=raw), raw, state)


def patch_index(store, graphs, old: str, state: str | None, outcomes) -> Built:
    """What :func:`build_index` gives, from the answers kept by the last build or patch (file ``old``) and
    those of ``outcomes`` read again (the outcomes whose fragment graphs the writes since touched)."""
    with open(old, "rb") as fh:
        raw = pickle.load(fh)
    return _made(store, graphs, patch_plan(raw, outcomes), raw, state)


def _made(store, graphs, plan, raw: RawRows, state: str | None) -> Built:
    """The network of ``plan`` run over ``graphs``, its catalogue and explorer; ``raw`` (the answers the plan
    filled) kept in the file ``state`` if given."""
    from harvestgraph.api.pages.catalogue import EXTRA_QUERIES, Catalogue

    def select(sparql, columns):
        return _rows(store, sparql, graphs, columns)

    data = run_plan(plan, select)
    catalogue = Catalogue.build(data, {name: select(*q) for name, q in EXTRA_QUERIES.items()})
    explorer = Explorer(analyse_data(data, with_betweenness=False, with_co_contribution=False))
    if state:
        _save(raw, state)
    return Built(explorer, catalogue)


def _save(raw: RawRows, path: str) -> None:
    """Written whole then renamed: a reader never finds half a file."""
    tmp = f"{path}.{os.getpid()}.part"
    with open(tmp, "wb") as fh:
        pickle.dump(raw, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


@dataclass
class Built:
    """What one build gives a reader scope: the workbench's network and the list pages' index."""

    explorer: Explorer
    catalogue: object  # harvestgraph.api.pages.catalogue.Catalogue


@dataclass
class _Entry:
    built: Built
    generation: int | None
    expires: float
    seconds: float  # what building it took (queries + analysis)
    state: str | None = None  # the file of the queries' answers it was made from (for a patch)


class ExplorerCache:
    """The :class:`Explorer` of each reader scope, per store generation (see the module docstring)."""

    def __init__(self) -> None:
        self._entries: dict[bool, _Entry] = {}
        self._flights: dict[tuple[bool, int | None], asyncio.Task] = {}
        self._started: dict[tuple[bool, int | None], float] = {}
        self.last_build_seconds: float | None = None
        self._folder: str | None = None

    def folder(self) -> str:
        """The server's own temporary folder for the answers each entry was made from (removed with it)."""
        if self._folder is None:
            self._folder = tempfile.mkdtemp(prefix="harvestgraph-index-")
            weakref.finalize(self, shutil.rmtree, self._folder, True)
        return self._folder

    def _touched(self, hg, scope: bool) -> tuple[_Entry, tuple[str, ...]] | None:
        """The scope's last entry and the outcomes whose fragments were written since, when a patch of it
        gives what a build would (see the module docstring); None: build."""
        from harvestgraph.store import own_resources

        old = self._entries.get(scope)
        if old is None or old.state is None or old.generation is None or not os.path.exists(old.state):
            return None
        changed = hg.store.changed_since(old.generation)
        if changed is None or len(changed) > PATCH_MAX:
            return None
        return old, tuple(sorted(own_resources(g)[1] for g in changed))

    def _fresh(self, scope: bool, generation: int | None) -> Built | None:
        e = self._entries.get(scope)
        if e is None or e.generation != generation or (generation is None and e.expires < time.monotonic()):
            return None
        return e.built

    def ready(self, scope: bool, generation: int | None) -> bool:
        return self._fresh(scope, generation) is not None

    async def get(self, request: Request, reader: Reader, wait: float | None = None) -> Built:
        """The scope's network and index, built now if they are not (one build per scope and generation,
        whoever asks). ``wait``: seconds to wait for a build in progress (None: until it ends), then
        SparqlError 503 ``building`` with Retry-After; the build goes on for the next request."""
        hg = request.app.state.hg
        scope, generation = reader.can_see_confidential, hg.store.generation
        hit = self._fresh(scope, generation)
        if hit is not None:
            return hit
        key = (scope, generation)
        task = self._flights.get(key)
        if task is None:
            task = asyncio.ensure_future(self._build(request, reader, generation))
            self._flights[key] = task
            self._started[key] = time.monotonic()

            def done(_, key=key):
                self._flights.pop(key, None)
                self._started.pop(key, None)
            task.add_done_callback(done)
        if wait is None:
            return await asyncio.shield(task)
        try:
            return await asyncio.wait_for(asyncio.shield(task), wait) if wait > 0 else self._now(task)
        except asyncio.TimeoutError:
            raise self._building(key) from None

    @staticmethod
    def _now(task: asyncio.Future) -> Built:
        if not task.done():
            raise asyncio.TimeoutError
        return task.result()

    def _building(self, key: tuple[bool, int | None]) -> SparqlError:
        """The refusal while the build runs: how long it has run, how long the last one took, when to retry."""
        elapsed = time.monotonic() - self._started.get(key, time.monotonic())
        last = self.last_build_seconds
        retry = max(2, min(60, round((last - elapsed) if last and last > elapsed else 10)))
        took = f"; the last build took {last:.0f} s" if last else ""
        return SparqlError(503, "building", "the index of the outcomes you may see (the network, the lists and "
                           f"the actors' pages) is being built after the server started or new data came in "
                           f"(for {elapsed:.0f} s so far{took}). Nothing is wrong: retry in about {retry} s",
                           headers={"Retry-After": str(retry)})

    async def _build(self, request: Request, reader: Reader, generation: int | None) -> Built:
        t0 = time.monotonic()
        scope, store = reader.can_see_confidential, request.app.state.hg.store
        name = "confidential" if scope else "public"
        built = None
        # read together, with no await between them and the job's submission: the patch covers exactly
        # the writes up to the generation the job's worker is opened at
        patch, now = self._touched(request.app.state.hg, scope), store.generation

        def state_file(suffix: str = "") -> str | None:
            return os.path.join(self.folder(), f"{name}-{now}{suffix}.pickle") if now is not None else None

        state, kind = state_file(), "build"
        if patch is not None:
            old, outcomes = patch
            try:
                built = await self._run(request, reader, ("explore-patch", old.generation),
                                        functools.partial(patch_body, old=old.state, state=state, outcomes=outcomes))
                kind = f"patch {len(outcomes)}"
            except Exception as exc:  # noqa: BLE001  (a failed patch is a full build, not a failed page)
                log.warning("index patch failed (%s): building the %s scope's index again in full", exc, name)
                state = state_file("-full")
        if built is None:
            built = await self._run(request, reader, ("explore-network",),
                                    functools.partial(explorer_body, state=state))
        await asyncio.to_thread(_first_views, built.explorer)
        ttl = max(STALE_SECONDS, getattr(request.app.state.hg.cache, "ttl", 0.0) or 0.0)
        seconds = time.monotonic() - t0
        if store.generation == now:  # not if a write landed meanwhile
            previous = self._entries.get(scope)
            self._entries[scope] = _Entry(built, now, time.monotonic() + ttl, seconds, state)
            if previous is not None and previous.state and previous.state != state:
                with contextlib.suppress(OSError):
                    os.remove(previous.state)
        elif state is not None:
            with contextlib.suppress(OSError):
                os.remove(state)
        self.last_build_seconds = seconds
        log.info("index of the %s scope (generation %s): %s in %.1f s", name, now, kind, seconds)
        return built

    async def _run(self, request: Request, reader: Reader, key: tuple, produce) -> Built:
        body = await answer(build_request(request.app), reader, key, produce, view=True)
        if body.status != 200 or body.media_type != PICKLE:
            raise SparqlError.from_body(body)
        return await asyncio.to_thread(pickle.loads, body.content)


def _first_views(explorer: Explorer) -> None:
    """The whole network's summary and the filter options, made once as each visit's page holds them
    (at 10k fragments the summary takes 0.14 s: paid here, not by the first visitor)."""
    from harvestgraph.api.routes_explore import facets_json, view_json
    from harvestgraph.network.explore import Selection

    view_json(explorer, explorer.select(Selection()), {})
    facets_json(explorer)


def explorer_cache(request: Request) -> ExplorerCache:
    state = request.app.state
    cache = getattr(state, "explorer_cache", None)
    if cache is None:
        cache = state.explorer_cache = ExplorerCache()
    return cache


def _wait(request: Request) -> float:
    return getattr(request.app.state.hg, "index_wait", 60.0)


async def get_explorer(request: Request, reader: Reader) -> Explorer:
    """The reader scope's network (SparqlError 503 ``building`` past serve --index-wait while it is built)."""
    return (await explorer_cache(request).get(request, reader, _wait(request))).explorer


async def get_catalogue(request: Request, reader: Reader):
    """The list pages' index of the reader's scope (:mod:`harvestgraph.api.pages.catalogue`); SparqlError 503
    ``building`` past serve --index-wait while it is built."""
    return (await explorer_cache(request).get(request, reader, _wait(request))).catalogue
