"""The guarded runner every route shares: a request's work runs in a worker process with the reader's graphs
only, a deadline that kills it, a cap on rows, a per-reader share of the workers, and a cache of the bytes
sent (keyed by store generation and reader scope); then :func:`send` answers with ETag, gzip and
``Cache-Status``."""

from __future__ import annotations

import dataclasses
import functools
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response

from harvestgraph.api.auth import Reader
from harvestgraph.api.cache import Body, Busy
from harvestgraph.api.workers import MemoryExceeded, Task, WorkerCrashed, WorkerUnavailable
from harvestgraph.errors import StoreError
from harvestgraph.store import QueryResult, is_select

from .common import Answer, Settings, SparqlError, settings
from .guards import dataset

def _collect(items, cap: int, deadline: float, unit: str) -> list:
    """Take items (rows or triples) until the cap or the deadline: the query itself cannot be stopped."""
    out = []
    for item in items:
        if len(out) >= cap:
            raise SparqlError(400, "result_too_large", f"the result has more than {cap} {unit} (this server's "
                              "cap): add a LIMIT or narrow the query")
        if time.monotonic() > deadline:
            raise TimeoutError
        out.append(item)
    return out


@dataclass
class Job:
    """One request's work in a worker: every query it runs sees only the reader's graphs and stops
    at the app's cap and at this job's deadline. ``hg``: the worker's context (``store``, ``graphs``,
    ``result_cap``): a :class:`~harvestgraph.api.workers.WorkerContext` or the app's :class:`Settings`."""

    hg: Settings
    confidential: bool
    deadline: float

    def query(self, text: str, default_uris: Sequence[str] = (), named_uris: Sequence[str] = (),
              cap: int | None = None) -> Answer:
        """``cap``: rows allowed instead of the app's result cap (a page of at most that many, plus the one
        row that says whether another page follows)."""
        graphs = dataset(self.hg.graphs(self.confidential), default_uris, named_uris)
        try:
            res = self.hg.store.query(text, graphs=graphs)
            try:
                return _materialise(res, self.hg.result_cap if cap is None else cap, self.deadline)
            except Exception as exc:
                # The traceback's frames hold the result iterator, which pyoxigraph lets only this thread
                # drop ("unsendable"): cut them loose here, not wherever the exception is handled.
                failure = exc.with_traceback(None)
            finally:
                del res
            raise failure
        except StoreError as exc:
            msg = str(exc)
            if "syntax" in msg.lower() or "answered 400" in msg:
                raise SparqlError(400, "bad_query", msg) from None
            raise SparqlError(502, "store_error", msg) from None


def _materialise(res: QueryResult, cap: int, deadline: float) -> Answer:
    if isinstance(res, ox.QueryBoolean):
        return Answer("ask", [], [], boolean=bool(res))
    if is_select(res):
        names = [v.value for v in res.variables]
        return Answer("select", names, _collect(([sol[n] for n in names] for sol in res), cap, deadline, "rows"))
    return Answer("graph", [], [], triples=_collect(res, cap, deadline, "triples"))


Produce = Callable[[Job], Body]


def _work(hg: Settings, confidential: bool, produce: Produce, budget: float | None = None) -> Body:
    """A worker's whole job. Its deadline starts when it starts: time spent queued is the request's
    problem (it times out), not the evaluation's, so a late result can still serve the next request.
    ``budget``: the task's own seconds (a view's, the server's own overview queries'), else the context's
    query limit. A refusal (4xx) is an answer like any other and is cached; 5xx and timeouts are raised,
    never cached."""
    job = Job(hg, confidential, time.monotonic() + (hg.query_timeout if budget is None else budget))
    try:
        return produce(job)
    except SparqlError as exc:
        if exc.status >= 500:
            raise
        return exc.body()


def _task(confidential: bool, produce: Produce, context, budget: float | None = None) -> Body:
    return _work(context, confidential, produce, budget)


class OwnRequest:
    """What the guarded runner reads of a request (``request.app.state.hg``), for the server's OWN queries
    over a whole portfolio (the workbench's network, the pages' overview counts): the app's settings
    with a longer budget; same store, pool, cache (answers are shared with readers' requests of the same
    text and scope) and graph lists. Made for a visitor's request (``on_behalf``), it holds that request's
    reader slot (its client and per-request state); otherwise (a build in the background) the slot of an
    unknown address."""

    def __init__(self, app, hg: Settings, on_behalf=None):
        self.app = SimpleNamespace(state=SimpleNamespace(hg=hg))
        self.headers: dict[str, str] = {}
        self.query_params: dict[str, str] = {}
        self.real_app = app
        self.client = getattr(on_behalf, "client", None)
        self.state = getattr(on_behalf, "state", None) or SimpleNamespace()


def own_request(app, timeout: float, on_behalf=None) -> OwnRequest:
    """A stand-in request whose queries may take ``timeout`` seconds (or the app's limits, if longer)."""
    hg = app.state.hg
    return OwnRequest(app, dataclasses.replace(hg, query_timeout=max(hg.query_timeout, timeout),
                                               view_timeout=max(hg.view_timeout, timeout)), on_behalf)


def reader_key(request: Request, reader: Reader) -> str:
    """Who a fairness slot belongs to: the user, or the client address of an anonymous reader."""
    if reader.role != "anonymous":
        return "user:" + reader.name
    return "addr:" + (request.client.host if request.client else "?")


async def answer(request: Request, reader: Reader, key: tuple, produce: Produce, *, view: bool = False) -> Body:
    """The answer of ``produce`` for this reader, from the cache or computed once in a worker process.
    ``key`` must determine the answer given the data and the reader's scope: the query and its parameters
    and what decides the media type. The scope is added here, so no caller can forget it.
    ``produce(job)`` runs in the worker: it must be picklable (module-level function or
    ``functools.partial`` of one, over picklable arguments). ``view``: the budget is the app's
    ``view_timeout`` (an analysis of every visible outcome) instead of ``query_timeout``."""
    hg = settings(request)
    budget = hg.view_timeout if view else hg.query_timeout
    scope = reader.can_see_confidential
    generation, full = hg.store.generation, (scope, *key)
    hit = hg.cache.get(generation, full)
    state = getattr(request, "state", None)
    if hit is not None:
        _cache_status(state, "hit")
        return hit
    # a request joining an evaluation in flight adds none: it needs no slot
    joins = hg.cache.in_flight(generation, full)
    _cache_status(state, "fwd=miss; collapsed" if joins else "fwd=miss")
    who = None if joins else reader_key(request, reader)
    # A slot is held per HTTP request: the evaluations one request fans out (a page's facet counts, run side
    # by side) share the slot that request took, so a page never answers 429 to its own parts.
    shared = who is not None and state is not None and getattr(state, "hg_slot_refs", 0) > 0
    if who is not None and not shared and not hg.slots.acquire(who):
        wait = max(1, math.ceil(budget / 2))
        raise SparqlError(429, "too_many_queries", f"this reader already has {hg.slots.per_reader} queries "
                          "running (this server's limit per reader: serve --per-reader); retry when one has "
                          "finished", headers={"Retry-After": str(wait)})
    if who is not None and state is not None:
        state.hg_slot_refs = getattr(state, "hg_slot_refs", 0) + 1
    try:
        return await hg.cache.fetch(generation, full, hg.pool,
                                    Task(functools.partial(_task, scope, produce, budget=budget), budget),
                                    budget, budget + hg.pool.startup_wait())
    except Busy:
        raise SparqlError(503, "busy", "every query worker of this server was busy (or being restarted) for "
                          f"{budget:g} s before this query could start; it did not run. Retry shortly",
                          headers={"Retry-After": str(max(1, math.ceil(budget / 2)))}) from None
    except TimeoutError:
        option = "--view-timeout" if view else "--timeout"
        raise SparqlError(503, "timeout", f"the query did not finish within {budget:g} s (this server's limit, "
                          f"serve {option}): it was stopped. Narrow it or add a LIMIT") from None
    except MemoryExceeded as exc:
        raise SparqlError(503, "memory", f"the query needed more memory than this server allows one query "
                          f"({exc.ceiling >> 20} MiB, serve --job-memory): it was stopped. Narrow it or add a "
                          "LIMIT (sorting or grouping everything is the usual cause)") from None
    except WorkerCrashed as exc:
        raise SparqlError(500, "query_crashed", f"evaluating this query crashed the process running it ({exc}); "
                          "the server is fine and other queries are answered. Simplify the query (deep nesting "
                          f"is the usual cause; this server allows {hg.limits.max_depth} levels)") from None
    except WorkerUnavailable as exc:
        raise SparqlError(503, "workers_unavailable", f"no query worker is available: {exc}") from None
    finally:
        if who is not None:
            if state is None:
                hg.slots.release(who)
            else:
                state.hg_slot_refs -= 1
                if state.hg_slot_refs == 0:
                    hg.slots.release(who)


def _cache_status(state, status: str) -> None:
    """Remember how the request's answer was found, for its ``Cache-Status`` header (RFC 9211, set by
    :func:`send`): ``hit`` (from the cache: no evaluation), ``fwd=miss`` (evaluated for it),
    ``fwd=miss; collapsed`` (joined an evaluation another request had started)."""
    if state is not None:
        state.hg_cache_status = status


def _etag_matches(header: str | None, etags: tuple[str, ...]) -> bool:
    if not header:
        return False
    return any(tag.strip().removeprefix("W/") in (*etags, "*") for tag in header.split(","))


def accepts_gzip(header: str | None) -> bool:
    """Whether an ``Accept-Encoding`` header accepts gzip (``gzip`` or ``*`` with a q-value above 0)."""
    if not header:
        return False
    found = None
    for part in header.lower().split(","):
        coding, _, params = part.partition(";")
        coding = coding.strip()
        if coding not in ("gzip", "x-gzip", "*"):
            continue
        q = 1.0
        for p in params.split(";"):
            name, _, value = p.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if coding != "*" or found is None:  # an explicit gzip wins over *
            found = q > 0
    return bool(found)


def send(request: Request, reader: Reader, body: Body) -> Response:
    """An answer as a response. A 200 carries its ETag and ``Cache-Control: no-cache`` (clients may keep it
    but must revalidate: the data change at the next ingest), ``private`` for an authenticated reader so
    that no shared cache hands it to someone else; ``If-None-Match`` with the same ETag gets a 304.
    A client that accepts gzip gets the body's compressed form (made once, with the body) with its own
    ETag; the answer's own headers (``Body.headers``, e.g. a page's ``Link``) go with it, and ``Cache-Status``
    (RFC 9211) says whether it came from the cache."""
    if body.status != 200:
        return Response(body.content, status_code=body.status, media_type=body.media_type)
    gz = body.gzipped is not None and accepts_gzip(request.headers.get("accept-encoding"))
    out = {"ETag": body.gzip_etag if gz else body.etag, "Vary": "Accept, Accept-Encoding, Authorization, Cookie",
           "Cache-Control": "no-cache" if reader.role == "anonymous" else "private, no-cache"}
    status = getattr(getattr(request, "state", None), "hg_cache_status", None)
    if status:
        out["Cache-Status"] = f"harvestgraph; {status}"
    out.update(body.headers)
    if _etag_matches(request.headers.get("if-none-match"), (body.etag, body.gzip_etag)):
        return Response(status_code=304, headers=out)
    if gz:
        out["Content-Encoding"] = "gzip"
        return Response(body.gzipped, media_type=body.media_type, headers=out)
    return Response(body.content, media_type=body.media_type, headers=out)
