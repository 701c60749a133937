"""The web app's result cache: finished answers (status, bytes, media type) kept per store generation.

Why it is safe. ``GraphStore.generation`` is bumped by every write made through the store object the app
serves; ``serve`` holds the embedded store's RocksDB lock, so nothing else can write it. An answer computed
at generation *g* therefore stays exact until the generation moves on, and then every entry is dropped at
once. When the generation is ``None`` (a remote endpoint, a read-only open: another process may write),
nothing is cached unless the operator accepted answers up to ``ttl`` seconds old.

What keeps readers apart. The caller's key must hold everything the answer depends on besides the data:
the reader's scope (public, or public + confidential), the query, its parameters, the media type. An
anonymous reader can only ever be answered from an entry computed for the public scope.

Bounded: least recently used entries go first once the bodies pass ``max_bytes``; a body larger than a
quarter of that is not kept (it would flush everything else). Single-flight: concurrent requests for one
key share one evaluation; a flight nobody waits for any more is cancelled if it has not started, and
otherwise lands in the cache for the next request.

Runaways: a job that ran out of time (``TimeoutError`` after its full budget: its worker process was
killed) or crashed its worker is not started again for that key for ``cooldown`` seconds, or until the
next write: its requests get the same error at once. Each retry would hold a worker for the whole
budget (or cost a new worker) and delay the cheap queries queued behind it.

The pool: an object with ``submit_job(job, on_start, generation)`` (:mod:`harvestgraph.api.workers`:
worker processes, or threads), or any ``concurrent.futures.Executor`` (``job`` is then called bare).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import InitVar, dataclass, field

from harvestgraph.api.workers import WorkerCrashed

REFUSE_AGAIN = (TimeoutError, WorkerCrashed)  # failures remembered: the same key is refused for a while
DEFAULT_MAX_BYTES = 128 * 1024 * 1024
DEFAULT_COOLDOWN = 300.0
_MAX_RUNAWAYS = 1024  # keys remembered as runaways (the oldest is forgotten first)
_QUEUE_POLL = 0.05  # seconds between looks at a queued job: has a worker taken it yet?
_PAST_BUDGET = 0.5  # a waiter gives up this long after the job's budget (the pool kills it at budget + GRACE)
_ENTRY_OVERHEAD = 256  # bytes per entry for the Body, the key's tuples and the LRU links (an estimate)


def _size(key: Hashable, body: Body) -> int:
    """What an entry holds: the body, and the strings of the key (a /sparql key holds the query text)."""
    def strings(k) -> int:
        if isinstance(k, str):
            return len(k)
        return sum(strings(x) for x in k) if isinstance(k, tuple) else 0

    return len(body.content) + len(body.gzipped or b"") + strings(key) + _ENTRY_OVERHEAD


GZIP_MIN = 1024  # bytes: below this a compressed body saves less than its headers cost
GZIP_LEVEL = 6  # zlib's default: a 4.3 MB JSON answer (10k outcomes) in ~60 ms to ~0.9 MB; level 9 saves 3 % more
# Media types worth compressing: text, JSON, XML and RDF syntaxes. Not XLSX (a zip already), nor the pickled
# explorer (explore_data: never sent to a client, only read back by the server).
_COMPRESSIBLE = ("text/", "application/json", "application/sparql-results", "application/n-triples",
                 "application/ld+json", "application/rdf+xml", "application/graphml", "application/xml")


@dataclass(frozen=True)
class Body:
    """A finished answer as it goes on the wire. ``etag``: a strong validator of the content.

    ``compress=True`` (for answers that go to clients as they are): ``gzipped`` is the content compressed,
    made once when the body is made, which for a query's answer is in the worker process that computed
    it; a cached answer is then sent compressed to every client that accepts gzip without compressing it
    again (:func:`harvestgraph.api.sparql.send`). None otherwise, for a small body, or one that does not
    compress (see ``_COMPRESSIBLE``); bodies the server reads back (tables for pages, the pickled
    explorer) or edits per request (a page with a nonce) are not compressed. ``headers``: extra response
    headers that belong to the answer itself, e.g. a page's ``Link: <...>; rel="next"``."""

    status: int
    content: bytes
    media_type: str
    etag: str = field(init=False)
    filename: str | None = None  # a download's name (Content-Disposition), e.g. of an export
    headers: tuple[tuple[str, str], ...] = ()
    compress: InitVar[bool] = False
    gzipped: bytes | None = field(init=False, default=None)

    def __post_init__(self, compress: bool) -> None:
        object.__setattr__(self, "etag", '"' + hashlib.blake2b(self.content, digest_size=16).hexdigest() + '"')
        if compress and len(self.content) >= GZIP_MIN and self.media_type.startswith(_COMPRESSIBLE):
            # mtime=0: the same bytes every time, so the compressed form has a stable validator too
            packed = gzip.compress(self.content, GZIP_LEVEL, mtime=0)
            if len(packed) < len(self.content):
                object.__setattr__(self, "gzipped", packed)

    @property
    def gzip_etag(self) -> str:
        """The validator of the compressed representation (a strong ETag names one exact byte sequence)."""
        return self.etag[:-1] + '-gzip"'


class Busy(TimeoutError):
    """The job waited its whole allowance in the queue and never started: every worker was busy (or being
    replaced). Not the query's fault, unlike a timeout while it ran."""


@dataclass
class _Flight:
    """One job in the worker pool and the requests waiting for it."""

    key: tuple[int | None, Hashable] | None  # None: not shared (nothing is cached for this store)
    work: concurrent.futures.Future = field(init=False)
    done: asyncio.Future = field(init=False)
    started: float | None = None  # when a worker took the job (monotonic clock)
    waiters: int = 0


class ResultCache:
    """LRU of :class:`Body` by bytes, scoped to one store generation (or ``ttl`` seconds), with single-flight.

    Used from the event loop only (no lock): the flights' results land through loop callbacks."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES, ttl: float = 0.0, cooldown: float = DEFAULT_COOLDOWN):
        self.max_bytes, self.ttl, self.cooldown = max_bytes, ttl, cooldown
        self._entries: OrderedDict[Hashable, tuple[Body, float, int]] = OrderedDict()  # key -> (body, expiry, size)
        self._bytes = 0
        self._generation: int | None = None
        self._flights: dict[tuple[int | None, Hashable], _Flight] = {}
        # -> (refused until, the error to raise again)
        self._runaways: OrderedDict[tuple[int | None, Hashable], tuple[float, BaseException]] = OrderedDict()

    def enabled(self, generation: int | None) -> bool:
        return self.max_bytes > 0 and (generation is not None or self.ttl > 0)

    @property
    def size(self) -> int:
        """Bytes held: the bodies, the strings of their keys and an estimate of the rest."""
        return self._bytes

    def _sync(self, generation: int | None) -> None:
        """Drop everything computed before the store's latest write (generations only grow)."""
        if generation is not None and (self._generation is None or generation > self._generation):
            self._entries.clear()
            self._runaways.clear()
            self._bytes = 0
            self._generation = generation

    def get(self, generation: int | None, key: Hashable) -> Body | None:
        if not self.enabled(generation):
            return None
        self._sync(generation)
        hit = self._entries.get(key)
        if hit is None:
            return None
        if generation is None and hit[1] < time.monotonic():
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return hit[0]

    def put(self, generation: int | None, key: Hashable, body: Body) -> None:
        if not self.enabled(generation) or body.status >= 500:
            return
        self._sync(generation)
        if generation is not None and generation != self._generation:
            return  # computed before a write: stale already
        size = _size(key, body)
        if size > self.max_bytes // 4:
            return
        self._drop(key)
        self._entries[key] = (body, time.monotonic() + self.ttl, size)
        self._bytes += size
        while self._bytes > self.max_bytes:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: Hashable) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= old[2]

    def in_flight(self, generation: int | None, key: Hashable) -> bool:
        """Whether a request for ``key`` would join an evaluation already queued or running."""
        return self.enabled(generation) and (generation, key) in self._flights

    async def fetch(self, generation: int | None, key: Hashable, pool: concurrent.futures.Executor,
                    job: Callable[[], Body], timeout: float, queue_wait: float | None = None) -> Body:
        """The cached answer, or the one ``job`` computes in ``pool``, shared by every concurrent request for
        the same key and generation. ``timeout``: the job's time budget, counted from when a worker takes it;
        ``queue_wait`` (default ``timeout``): how long a request waits for that to happen.
        Raises ``TimeoutError`` when the budget runs out (a job already running goes on and is cached if it
        finishes), :class:`Busy` when the job never started, or what the job raised."""
        queue_wait = timeout if queue_wait is None else queue_wait
        if not self.enabled(generation):
            return await self._wait(self._start(pool, job, None, generation), timeout, queue_wait)
        hit = self.get(generation, key)
        if hit is not None:
            return hit
        fkey = (generation, key)
        now = time.monotonic()
        refused = self._runaways.get(fkey)
        if refused is not None and refused[0] > now:
            raise refused[1]
        flight = self._flights.get(fkey)
        if flight is None:
            flight = self._start(pool, job, fkey, generation)
        elif flight.started is not None and now - flight.started > timeout:
            raise TimeoutError  # the job has used up its budget: it can only end in a timeout
        return await self._wait(flight, timeout, queue_wait)

    def _start(self, pool, job: Callable[[], Body], fkey, generation: int | None) -> _Flight:
        flight = _Flight(fkey)

        def started() -> None:
            flight.started = time.monotonic()

        submit = getattr(pool, "submit_job", None)
        if submit is not None:
            flight.work = submit(job, started, generation)
        else:
            def run() -> Body:
                started()
                return job()
            flight.work = pool.submit(run)
        flight.done = asyncio.wrap_future(flight.work)
        if fkey is not None:
            self._flights[fkey] = flight
        flight.done.add_done_callback(lambda _: self._land(flight))
        return flight

    async def _wait(self, flight: _Flight, timeout: float, queue_wait: float) -> Body:
        flight.waiters += 1
        try:
            # Two clocks: the time in the queue (a worker being replaced after a kill takes seconds on a busy
            # machine: that must not turn an ASK {} into "did not finish"), then the budget from the start.
            queued_until = time.monotonic() + queue_wait
            while flight.started is None and not flight.done.done():
                left = queued_until - time.monotonic()
                if left <= 0:
                    raise Busy
                try:
                    return await asyncio.wait_for(asyncio.shield(flight.done), min(left, _QUEUE_POLL))
                except TimeoutError:
                    pass
            if flight.done.done():
                return flight.done.result()
            left = flight.started + timeout + _PAST_BUDGET - time.monotonic()
            return await asyncio.wait_for(asyncio.shield(flight.done), max(left, _QUEUE_POLL))
        finally:
            flight.waiters -= 1
            # Nobody waits any more (timeout, client gone): a job still queued is dropped rather than run.
            if flight.waiters == 0 and not flight.done.done() and flight.work.cancel():
                self._forget(flight)

    def _forget(self, flight: _Flight) -> None:
        if flight.key is not None and self._flights.get(flight.key) is flight:
            del self._flights[flight.key]

    def _land(self, flight: _Flight) -> None:
        self._forget(flight)
        done = flight.done
        if done.cancelled():
            return
        failure = done.exception()  # retrieved: no "never retrieved" warning
        if flight.key is None:
            return
        if isinstance(failure, REFUSE_AGAIN):
            self._runaways[flight.key] = (time.monotonic() + self.cooldown, failure.with_traceback(None))
            while len(self._runaways) > _MAX_RUNAWAYS:
                self._runaways.popitem(last=False)
        elif failure is None:
            self.put(*flight.key, done.result())


class VisibleGraphs:
    """``store.visible_graphs(confidential=...)`` remembered per store generation (or ``ttl`` seconds).

    At 10k outcomes that call takes about 0.4 s (it lists every fragment graph), and every request needs it.
    Called from worker threads, hence the lock; concurrent callers wait for one computation."""

    def __init__(self, store, ttl: float = 0.0):
        self.store, self.ttl = store, ttl
        self._lock = threading.Lock()
        self._memo: dict[bool, tuple[int | None, float, list[str]]] = {}

    def __call__(self, confidential: bool) -> list[str]:
        generation = self.store.generation
        if generation is None and self.ttl <= 0:
            return self.store.visible_graphs(confidential=confidential)
        with self._lock:
            hit = self._memo.get(confidential)
            if hit is not None and hit[0] == generation and (generation is not None or hit[1] >= time.monotonic()):
                return hit[2]
            graphs = self.store.visible_graphs(confidential=confidential)
            self._memo[confidential] = (generation, time.monotonic() + self.ttl, graphs)
            return graphs
