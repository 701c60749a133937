"""The workbench's network: analysed once per store generation and reader scope, served many times.

The three network queries (``network_outcomes``, ``network_edges``, ``network_labels``) run through the
API's guarded runner (:func:`harvestgraph.api.rest._table` → ``sparql.answer``: the reader's graphs only,
the worker pool, a deadline, a result cap, the answer cache), never on the store directly. They are the
server's own queries, not a reader's, and they read a whole portfolio: at 10,000 fragments ~9,200
outcome rows and ~51,000 link rows, each query taking several seconds on an idle 2-core machine (and
30-45 s at load 20, measured 2026-11-29 with six other helpers running). So they run with the workbench's
own budget, :data:`BUILD_TIMEOUT` seconds and :data:`BUILD_CAP` rows per query (the app's settings with
those two values replaced; pool, cache, scope and graphs are the app's), instead of the limits meant for
readers' ad-hoc queries. Should an answer still pass the cap, it is read in pages (``ORDER BY`` every
column, ``LIMIT``/``OFFSET``). The network is built once per scope, on the first request that needs it
(:func:`warm` builds the anonymous reader's ahead, if a deployment wants that).

The networkx analysis then runs in a thread (not on the event loop) and the :class:`Explorer` is kept
per (store generation, scope): an anonymous reader's network is never built from, nor served out of, the
confidential scope's. Concurrent first requests share one computation. When the store has no generation
(remote, or opened read-only: it may change underneath) the network is kept for ``STALE_SECONDS`` (or
the app's cache TTL if longer): rebuilding it per request would take seconds each.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import time
from dataclasses import dataclass
from types import SimpleNamespace

from fastapi import Request

from harvestgraph.analyse import Filters, analyse_data, fetch_plan
from harvestgraph.api.auth import Reader
from harvestgraph.api.rest import _table, _text
from harvestgraph.api.sparql import SparqlError
from harvestgraph.explore import Explorer

STALE_SECONDS = 600.0
BUILD_TIMEOUT = 600.0  # seconds one network query may take (the whole portfolio; see the module docstring)
BUILD_CAP = 2_000_000  # rows one network query may return before it is read in pages
_SELECT = re.compile(r"^[ \t]*SELECT\b", re.I | re.M)


def paged(sparql: str, columns: tuple[str, ...], limit: int, offset: int) -> str:
    """``sparql`` (a SELECT whose keyword starts a line, after its PREFIX lines) as one page of rows in a
    total order."""
    m = _SELECT.search(sparql)
    order = " ".join(f"?{c}" for c in columns)
    return (f"{sparql[:m.start()]}SELECT * WHERE {{\n{{\n{sparql[m.start():]}\n}}\n}}\n"
            f"ORDER BY {order}\nLIMIT {limit}\nOFFSET {offset}\n")


class _BuildRequest:
    """What the guarded runner reads of a request (``request.app.state.hg``), with the app's settings
    given the workbench's build budget: same store, pool, cache and graph lists."""

    client = None  # the server's own build: its reader slots are those of an unknown address ("addr:?")

    def __init__(self, app, hg):
        self.app = SimpleNamespace(state=SimpleNamespace(hg=hg))
        self.headers: dict[str, str] = {}
        self.query_params: dict[str, str] = {}
        self.real_app = app


def build_request(app) -> _BuildRequest:
    hg = app.state.hg
    budget = dataclasses.replace(hg, query_timeout=max(hg.query_timeout, BUILD_TIMEOUT),
                                 result_cap=max(hg.result_cap, BUILD_CAP))
    return _BuildRequest(app, budget)


async def guarded_rows(request, reader: Reader, sparql: str, columns: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Every answer of a SELECT as tuples of plain values ("" when unbound) through the guarded runner:
    in one piece when it fits the cap, else in pages. Raises SparqlError (timeout, refusal) like every
    other route."""
    try:
        table = await _table(request, reader, _text(sparql, None))
        return [tuple(r.get(c) or "" for c in columns) for r in table.rows]
    except SparqlError as exc:
        if exc.code != "result_too_large":
            raise
    page = max(1, int(request.app.state.hg.result_cap))
    rows: list[tuple[str, ...]] = []
    offset = 0
    while True:
        table = await _table(request, reader, _text(paged(sparql, columns, page, offset), None))
        rows.extend(tuple(r.get(c) or "" for c in columns) for r in table.rows)
        if len(table.rows) < page:
            return rows
        offset += page


@dataclass
class _Entry:
    explorer: Explorer
    generation: int | None
    expires: float
    seconds: float  # what building it took (queries + analysis)


class ExplorerCache:
    """The :class:`Explorer` of each reader scope, per store generation (see the module docstring)."""

    def __init__(self) -> None:
        self._entries: dict[bool, _Entry] = {}
        self._flights: dict[tuple[bool, int | None], asyncio.Task] = {}

    def _fresh(self, scope: bool, generation: int | None) -> Explorer | None:
        e = self._entries.get(scope)
        if e is None or e.generation != generation or (generation is None and e.expires < time.monotonic()):
            return None
        return e.explorer

    async def get(self, request: Request, reader: Reader) -> Explorer:
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
            task.add_done_callback(lambda _: self._flights.pop(key, None))
        return await asyncio.shield(task)

    async def _build(self, request: Request, reader: Reader, generation: int | None) -> Explorer:
        t0 = time.monotonic()
        runner = build_request(request.app)
        plan = fetch_plan(Filters(), restrict_edges=False)
        step = next(plan)
        try:
            while True:
                step = plan.send(await guarded_rows(runner, reader, *step))
        except StopIteration as done:
            data = done.value
        explorer = await asyncio.to_thread(lambda: Explorer(analyse_data(data)))
        ttl = max(STALE_SECONDS, getattr(request.app.state.hg.cache, "ttl", 0.0) or 0.0)
        if request.app.state.hg.store.generation == generation:  # not if a write landed meanwhile
            self._entries[reader.can_see_confidential] = _Entry(explorer, generation, time.monotonic() + ttl,
                                                                time.monotonic() - t0)
        self.last_build_seconds = time.monotonic() - t0
        return explorer


def explorer_cache(request: Request) -> ExplorerCache:
    state = request.app.state
    cache = getattr(state, "explorer_cache", None)
    if cache is None:
        cache = state.explorer_cache = ExplorerCache()
    return cache


async def get_explorer(request: Request, reader: Reader) -> Explorer:
    return await explorer_cache(request).get(request, reader)


def warm(app) -> asyncio.Task:
    """Build the anonymous reader's network in the background (called at start-up): the first visit to
    /explore then finds it ready instead of waiting for the whole portfolio's queries and measures."""
    from harvestgraph.api.auth import ANONYMOUS

    request = SimpleNamespace(app=app)
    if getattr(app.state, "explorer_cache", None) is None:
        app.state.explorer_cache = ExplorerCache()

    async def run():
        try:
            await app.state.explorer_cache.get(request, ANONYMOUS)
        except Exception:  # noqa: BLE001  (a failed warm-up is retried by the first request that needs it)
            pass

    return asyncio.ensure_future(run())
