"""The workbench's network: analysed once per store generation and reader scope, served many times.

The three network queries (``network_outcomes``, ``network_edges``, ``network_labels``) run through the
API's guarded runner (:func:`harvestgraph.api.rest._table`: the reader's graphs only, the app's timeout,
result cap and answer cache), never on the store directly. A whole portfolio has more rows than the
result cap allows one answer (10,000 outcomes make ~50,000 links), so each query is read in pages of
``result_cap`` rows: the query wrapped in ``ORDER BY`` every column (a total order: the rows are distinct)
with ``LIMIT``/``OFFSET``, each page a guarded evaluation of its own.

The networkx analysis then runs in a thread (not on the event loop) and the :class:`Explorer` is kept
per (store generation, scope): an anonymous reader's network is never built from, nor served out of, the
confidential scope's. Concurrent first requests share one computation. When the store has no generation
(remote, or opened read-only: it may change underneath) the network is kept for ``STALE_SECONDS`` (or
the app's cache TTL if longer): rebuilding it per request would take seconds each.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass

from fastapi import Request

from harvestgraph.analyse import Filters, analyse_data, fetch_plan
from harvestgraph.api.auth import Reader
from harvestgraph.api.rest import _table, _text
from harvestgraph.explore import Explorer

STALE_SECONDS = 60.0
_SELECT = re.compile(r"^[ \t]*SELECT\b", re.I | re.M)


def paged(sparql: str, columns: tuple[str, ...], limit: int, offset: int) -> str:
    """``sparql`` (a SELECT whose keyword starts a line, after its PREFIX lines) as one page of rows in a
    total order."""
    m = _SELECT.search(sparql)
    order = " ".join(f"?{c}" for c in columns)
    return (f"{sparql[:m.start()]}SELECT * WHERE {{\n{{\n{sparql[m.start():]}\n}}\n}}\n"
            f"ORDER BY {order}\nLIMIT {limit}\nOFFSET {offset}\n")


async def guarded_rows(request: Request, reader: Reader, sparql: str, columns: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Every answer of a SELECT as tuples of plain values ("" when unbound), page by page through the
    guarded runner. Raises SparqlError (timeout, refusal) like every other route."""
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
        plan = fetch_plan(Filters(), restrict_edges=False)
        step = next(plan)
        try:
            while True:
                step = plan.send(await guarded_rows(request, reader, *step))
        except StopIteration as done:
            data = done.value
        explorer = await asyncio.to_thread(lambda: Explorer(analyse_data(data)))
        ttl = max(STALE_SECONDS, getattr(request.app.state.hg.cache, "ttl", 0.0) or 0.0)
        if request.app.state.hg.store.generation == generation:  # not if a write landed meanwhile
            self._entries[reader.can_see_confidential] = _Entry(explorer, generation, time.monotonic() + ttl,
                                                                time.monotonic() - t0)
        return explorer


def explorer_cache(request: Request) -> ExplorerCache:
    state = request.app.state
    cache = getattr(state, "explorer_cache", None)
    if cache is None:
        cache = state.explorer_cache = ExplorerCache()
    return cache


async def get_explorer(request: Request, reader: Reader) -> Explorer:
    return await explorer_cache(request).get(request, reader)
