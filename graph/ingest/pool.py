"""A pool of mapping processes that stay up, each with the language pipeline loaded: the resident
ingest (:mod:`.watch`) maps a saved file's fragments on every core, and pays the model load once.

Why. Resolving and mapping is pure Python and spaCy, one core per process: 200 new fragments cost ~7.5
CPU-s in one process (profiled at load 3: spaCy parse 41 %, resolve 36 %, mapping 13 %). A one-off
ingest forks workers per batch, and each would load the model again (2.4 CPU-s); these load it once.

How. The workers start from the fork server (a clean process without the caller's threads or open
store: ``serve --watch`` has both), build their resolver from the same registry with the same function
as the caller, and map contiguous chunks of a batch (one per process); the caller gets each fragment's
graph, printed quads and content hash back in order, and writes the printed quads as they are. A worker whose resolver's fingerprint differs from the caller's (the
registry file changed in between) is not used: :meth:`MappingPool.map` returns None and the caller maps
in its own process.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.process
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from pathlib import Path

import pyoxigraph as ox

from ..mapping import MappedFragment, map_all
from ..normalise import Fragment
from ..resolve import Resolver
from . import workers
from .workers import WORKERS

# Below this many fragments a batch is mapped in the caller's process: sending it costs more than the
# time a second core saves (an edit of a few fragments maps in tens of milliseconds).
POOL_MIN_FRAGMENTS = 16

_resolver: Resolver | None = None


def _init(make_resolver: Callable[[Path | None], Resolver], registry: Path | None) -> None:
    global _resolver
    _resolver = make_resolver(registry)
    warm = getattr(_resolver, "warm", None)
    if warm is not None:
        warm()


def _fingerprint() -> str:
    assert _resolver is not None
    return _resolver.fingerprint()


def _map_chunk(fragments: list[Fragment], fingerprint: str):
    """In a worker: the chunk's printed quads (``MappedFragment.lines``: printed once, by the mapping), and
    (graph, number of lines, content hash) of each fragment; None if this worker's resolver is not the
    caller's. Printed lines, not pickled quads: a pickled ``ox.Quad`` is rebuilt term by term (26,000
    quads, 2026-11-30: pickled 0.60 s + unpickled 0.42 s), and the caller writes the lines as they are,
    without reading them back into terms (it did, 0.16 s for those 26,000, before session 9)."""
    assert _resolver is not None
    if _resolver.fingerprint() != fingerprint:
        return None
    out, lines = [], []
    for _, m in map_all(fragments, _resolver):
        out.append((m.graph.value, len(m), m.content_hash))
        lines += m.lines
    return lines, out


def _read_chunk(lines: list[str], fragments: list[tuple[str, int, str]]) -> list[tuple[ox.NamedNode, list[str], str]]:
    """What :func:`_map_chunk` returned, as (graph, its printed lines, content hash) per fragment."""
    out, start = [], 0
    for graph, n, digest in fragments:
        out.append((ox.NamedNode(graph), lines[start:start + n], digest))
        start += n
    return out


def _chunks(fragments: Sequence[Fragment], size: int) -> list[list[Fragment]]:
    """The batch in ``size`` contiguous chunks (one per mapping process)."""
    step = -(-len(fragments) // size)
    return [list(fragments[i:i + step]) for i in range(0, len(fragments), step)]


def _assembled(fragments: Sequence[Fragment], results: list) -> list[MappedFragment]:
    """The chunks' answers (:func:`_map_chunk`, in order) as the fragments' mappings."""
    return [MappedFragment(frag, graph, None, digest, lines=lines)
            for frag, (graph, lines, digest) in zip(fragments, (x for r in results for x in _read_chunk(*r)))]


def _serve(conn, make_resolver: Callable[[Path | None], Resolver], registry: Path | None) -> None:
    """A mapping process: the resolver built once, then one job at a time from ``conn`` until None (or
    the caller gone). A job's exception goes back to the caller, which raises it."""
    _init(make_resolver, registry)
    jobs = {"fingerprint": _fingerprint, "map": _map_chunk}
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        name, args = job
        try:
            conn.send((True, jobs[name](*args)))
        except Exception as exc:  # noqa: BLE001 - the caller raises it
            conn.send((False, exc))


class _Broken(Exception):
    """A mapping process died (out of memory, killed)."""


def _context():
    try:
        return multiprocessing.get_context("forkserver")
    except ValueError:  # no fork server on this platform
        return multiprocessing.get_context("spawn")


class MappingPool:
    """``size`` mapping processes, each with ``make_resolver(registry)`` built and warmed once.

    Its own processes (``multiprocessing.Process``, one pipe each), not a ``ProcessPoolExecutor``: a batch
    is cut into one chunk per process anyway, and :meth:`close` must end exactly these processes, which the
    executor does not list publicly (its private ``_processes`` was read before session 9)."""

    def __init__(self, make_resolver: Callable[[Path | None], Resolver], registry: Path | None,
                 size: int = WORKERS):
        self.size = max(1, size)
        self.mapped = 0  # fragments these processes mapped (for tests and benchmarks)
        self._args = (make_resolver, registry)
        self._workers: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
        self._start()

    @property
    def pids(self) -> list[int]:
        """The process ids of the mapping processes now running."""
        return [p.pid for p, _ in self._workers if p.pid is not None]

    def map(self, fragments: Sequence[Fragment], resolver: Resolver) -> list[MappedFragment] | None:
        """The fragments mapped, in order, as ``map_fragment(f, resolver.resolve(f))`` would; None if the
        batch is too small to be worth sending, or a worker's resolver is not ``resolver``."""
        n = len(fragments)
        if n < POOL_MIN_FRAGMENTS or self.size < 2:
            return None
        fingerprint = resolver.fingerprint()
        try:
            results = self._run([("map", (chunk, fingerprint)) for chunk in _chunks(fragments, self.size)])
        except _Broken:
            self.close(timeout=1.0)
            self._start()  # for the next batch; this one is mapped by the caller
            return None
        if any(r is None for r in results):
            return None
        self.mapped += n
        return _assembled(fragments, results)

    def _run(self, jobs: list[tuple[str, tuple]]) -> list:
        """Job i to process i, all at once; their answers in order. Raises :class:`_Broken` if one died."""
        busy = self._workers[:len(jobs)]
        try:
            for (_, conn), job in zip(busy, jobs):
                conn.send(job)
        except (BrokenPipeError, ConnectionError, OSError):
            raise _Broken from None
        answers = []
        for proc, conn in busy:
            # the answer, or the process's end (its sentinel): a dead process never answers
            ready = wait([conn, proc.sentinel])
            if conn not in ready:
                raise _Broken
            try:
                answers.append(conn.recv())
            except (EOFError, OSError):
                raise _Broken from None
        # (every answer read before raising one: none is left in a pipe for the next batch)
        for ok, value in answers:
            if not ok:
                raise value
        return [value for _, value in answers]

    def _start(self) -> None:
        ctx = _context()
        self._workers = []
        for _ in range(self.size):
            mine, theirs = ctx.Pipe()
            # daemon: ended with the caller if it exits without close()
            proc = ctx.Process(target=_serve, args=(theirs, *self._args), daemon=True, name="harvestgraph-mapping")
            proc.start()
            theirs.close()
            self._workers.append((proc, mine))
        try:  # wait for every model
            self._run([("fingerprint", ())] * self.size)
        except _Broken:
            pass  # the first batch finds it broken, maps in the caller and starts the processes again

    def close(self, timeout: float = 10.0) -> None:
        """End the processes: asked to stop, then terminated after ``timeout`` seconds (they hold nothing
        worth saving; a Ctrl-C of ``harvestgraph watch`` in CI once waited past a minute for them)."""
        workers, self._workers = self._workers, []
        for _, conn in workers:
            try:
                conn.send(None)
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + timeout
        for proc, conn in workers:
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.terminate()
                proc.join(5)
            if proc.is_alive():
                proc.kill()
                proc.join(5)
            conn.close()


def _adopt(resolver: Resolver) -> None:
    """In a process forked by :class:`ForkedMapper`: the caller's resolver (inherited, not rebuilt), warmed at once
    (the model loads in every process side by side while the caller sends the first chunks)."""
    global _resolver
    _resolver = resolver
    warm = getattr(resolver, "warm", None)
    if warm is not None:
        warm()


# New fragments from which a one-off batch that no per-file worker shares is mapped in forked chunks: below it,
# forking and sending cost more than the second core saves (a fragment maps in ~20 ms of CPU)
FORK_MIN_FRAGMENTS = 64


class ForkedMapper:
    """Mapping processes forked for one batch, with :class:`MappingPool`'s ``map``: a one-off ingest of a file of
    many new fragments (a harvest exported as one CSV, XLSX or text file) maps it on every core; the workers of
    :mod:`.workers` take whole files, so such a batch was mapped on one (200 new fragments into the 10k store:
    4.8 s, of which 3.9 s mapping on one core, 2026-12-01). Forked from the caller (a CLI process: no server
    threads), so the model the caller loaded is shared, not loaded again. Close it after the batch."""

    def __init__(self, resolver: Resolver, size: int = WORKERS):
        self.size = max(1, size)
        self.mapped = 0
        # (the inherited objects kept out of the workers' collections, as :func:`.workers.map_in_workers` does)
        gc.freeze()
        try:
            self._pool = multiprocessing.get_context("fork").Pool(self.size, _adopt, (resolver,))
        finally:
            gc.unfreeze()

    @classmethod
    def for_batch(cls, n: int, resolver: Resolver, pool: "MappingPool | None") -> "ForkedMapper | None":
        """Mapping processes for a batch of ``n`` fragments to map, where no resident ``pool`` serves it, the
        machine has cores to spare and the batch is worth them; else None."""
        return cls(resolver, workers.WORKERS) if pool is None and workers.WORKERS > 1 and n >= FORK_MIN_FRAGMENTS \
            else None

    @classmethod
    @contextmanager
    def serving(cls, n: int, resolver: Resolver,
                pool: "MappingPool | None") -> Iterator["MappingPool | ForkedMapper | None"]:
        """What maps a batch of ``n`` fragments: the resident ``pool``, else forked processes when worth them
        (:meth:`for_batch`, closed after the block), else None (the caller's process)."""
        forked = cls.for_batch(n, resolver, pool)
        try:
            yield pool or forked
        finally:
            if forked is not None:
                forked.close()

    def map(self, fragments: Sequence[Fragment], resolver: Resolver) -> list[MappedFragment] | None:
        """The fragments mapped, in order; None if the batch is too small to be worth sending."""
        n = len(fragments)
        if n < POOL_MIN_FRAGMENTS:
            return None
        fingerprint = resolver.fingerprint()
        results = self._pool.starmap(_map_chunk, [(chunk, fingerprint) for chunk in _chunks(fragments, self.size)])
        if any(r is None for r in results):
            return None
        self.mapped += n
        return _assembled(fragments, results)

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()
