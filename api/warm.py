"""The server's warm-up: what a visitor's first clicks need, computed in the background before anyone asks
(``harvestgraph serve`` at start, and again after each ingest of ``serve --watch`` that wrote something).

For each reader scope (the anonymous one, then the confidential one if the users file names a user who may
see it), one after the other in ONE query worker, so the other workers stay free for readers:

1. the workbench's network and the list pages' index (:mod:`harvestgraph.api.explore_data`: after a write,
   patched by the written fragments when it can be);
2. the first page of every named query that runs without parameters (the aggregates: outcomes by
   country and year, by type of change, contributions by contributor, ...), exactly the entry that
   ``GET /queries/NAME`` and the browser's ``/queries/NAME?run=1`` read (:func:`harvestgraph.api.rest.default_page`).

Every scope's index first, then every scope's queries: the lists, the actors' pages and the workbench of
the confidential scope are current ~30 s sooner at 20,000 fragments than if they waited for the public
scope's 18 aggregates (session 12, docs/performance.md).

Why: at 100,000 fragments an aggregate takes 0.6-9 s in Oxigraph (docs/performance.md), so the first
reader after each write would wait for it; the cache keeps the answer per store generation, so one
evaluation in the background serves every later click until the next write. The answers are the
readers' own: same text, same scope, same cache key; the warm-up only allows each query
:data:`QUERY_BUDGET` seconds instead of the readers' limit, so a query too slow for a reader's request
(co_contributors at 100k) is still ready when the reader comes. A query that fails or passes even
that budget is left to the readers' requests (which then get the server's usual timeout error).

Single-flight per app: a call while a warm-up runs returns its task and asks for exactly one more after
it (a writer's saves during a warm-up cost one more warm-up, not one each).
"""

from __future__ import annotations

import asyncio
import logging
import time

from harvestgraph import queries

QUERY_BUDGET = 120.0  # seconds one named query may take in the warm-up (a reader's request: serve --timeout)

log = logging.getLogger("uvicorn.error")


def warm_queries() -> list[str]:
    """The named queries the warm-up runs: those that need no parameter (a ``required`` one lists the
    whole portfolio without it, and is refused without it on the server anyway)."""
    return [name for name, q in queries.library().items() if not queries.missing(q, {})]


async def warm_scope(app, reader, *, index: bool = True, named: bool = True) -> dict[str, str]:
    """Fill the cache for one reader scope (its ``index``, its ``named`` queries); returns what happened to
    each part (for tests and the log)."""
    from types import SimpleNamespace

    from harvestgraph.api import explore_data
    from harvestgraph.api.rest import default_page, named_page
    from harvestgraph.api.sparql import own_request

    done: dict[str, str] = {}
    if index:
        try:  # the explorer makes its own stand-in request with the build's budget
            await explore_data.explorer_cache(SimpleNamespace(app=app)).get(SimpleNamespace(app=app), reader)
            done["explore"] = "ok"
        except Exception as exc:  # noqa: BLE001  (a failed warm-up is retried by the first request that needs it)
            done["explore"] = f"failed: {exc}"
    names = warm_queries() if named else []
    request = own_request(app, QUERY_BUDGET) if names else None
    for name in names:
        try:
            body = await named_page(request, reader, name, {}, default_page(request, name, {}))
            done[name] = "ok" if body.status == 200 else f"status {body.status}"
        except Exception as exc:  # noqa: BLE001  (as above: the reader's request reports it)
            done[name] = f"failed: {exc}"
    return done


def warm(app) -> asyncio.Task:
    """Start (or join) the warm-up of every reader scope in the background; see the module docstring."""
    from harvestgraph.api.auth import ANONYMOUS, Reader, _users_cached, users_path
    from harvestgraph.api.explore_data import ExplorerCache

    running = getattr(app.state, "warming", None)
    if running is not None and not running.done():
        app.state.warm_again = True
        return running
    app.state.warm_again = False
    if getattr(app.state, "explorer_cache", None) is None:
        app.state.explorer_cache = ExplorerCache()

    async def run() -> dict[str, dict[str, str]]:
        readers = [ANONYMOUS]
        try:
            users = _users_cached(users_path(getattr(app.state, "users_path", None)))
        except Exception:  # noqa: BLE001  (a damaged users file is reported by the requests that read it)
            users = []
        if any(Reader(u.name, u.role).can_see_confidential for u in users):
            readers.append(Reader("warm-up", "confidential"))
        report, started = {}, {}
        for reader in readers:  # the indexes first (see the module docstring)
            started[reader.role] = time.monotonic()
            report[reader.role] = await warm_scope(app, reader, named=False)
        for reader in readers:
            t0 = started[reader.role]
            done = report[reader.role]
            done.update(await warm_scope(app, reader, index=False))
            ready = [k for k, v in done.items() if v == "ok"]
            log.info("warm-up (%s scope): %d of %d ready in %.1f s (the network, the list index and the named "
                     "queries without parameters)", "confidential" if reader.can_see_confidential else "public",
                     len(ready), len(done), time.monotonic() - t0)
            for k, v in done.items():
                if v != "ok":
                    log.info("warm-up: %s not ready: %s (the first reader's request evaluates it)", k, v)
        app.state.warmed = report
        return report

    task = app.state.warming = asyncio.ensure_future(run())
    task.add_done_callback(lambda done: getattr(app.state, "warm_again", False) and not done.cancelled() and warm(app))
    return task
