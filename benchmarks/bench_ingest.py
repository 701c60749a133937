"""Ingest benchmark (child process): end-to-end ingest of a corpus into a fresh on-disk store, and
the pyoxigraph bulk-load floor for the same quads.

    python -m benchmarks.bench_ingest ingest DATA STORE [REGISTRY]
    python -m benchmarks.bench_ingest floor STORE SCRATCH

Run as separate processes so that each peak-memory figure covers one job only.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from benchmarks.common import Timer, cpu_seconds, emit, peak_rss_mb


def _timed_resolver(registry: str | None):
    """The resolver the CLI would use, with the time spent in ``resolve`` (actor extraction) counted."""
    from harvestgraph import config

    resolver = config.make_resolver(Path(registry) if registry else None)
    spent = [0.0]
    inner = resolver.resolve

    def resolve(frag):
        t = time.perf_counter()
        try:
            return inner(frag)
        finally:
            spent[0] += time.perf_counter() - t

    resolver.resolve = resolve  # instance attribute shadows the method
    return resolver, spent


def ingest(data: str, store: str, registry: str | None = None) -> dict:
    from harvestgraph.ingest import ingest as run
    from harvestgraph.store import EmbeddedStore

    shutil.rmtree(store, ignore_errors=True)
    resolver, resolve_time = _timed_resolver(registry)
    stages: dict[str, list[float]] = {}

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        stages.setdefault(stage, [now, now])[1] = now

    cpu0 = cpu_seconds()
    with Timer() as t:
        st = EmbeddedStore(store)
        report = run([Path(data)], st, resolver, progress)
        st.close()
    start = t.start
    return {"seconds": t.seconds, "cpu_seconds": cpu_seconds() - cpu0, "fragments": report.fragments, "quads": report.quads_written,
            "peak_rss_mb": peak_rss_mb(), "resolver": type(resolver).__name__,
            "resolve_seconds": resolve_time[0],
            "stages": {k: [round(a - start, 3), round(b - start, 3)] for k, (a, b) in stages.items()}}


def floor(store: str, scratch: str) -> dict:
    """Bulk-load the store's own quads (dumped as N-Quads, not timed) into a fresh store."""
    import pyoxigraph as ox

    work = Path(scratch)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    nq = work / "all.nq"
    src = ox.Store.read_only(store)
    src.dump(output=str(nq), format=ox.RdfFormat.N_QUADS)
    del src
    dst = ox.Store(str(work / "store"))
    cpu0 = cpu_seconds()
    with Timer() as t:
        dst.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        dst.flush()
    n = len(dst)
    del dst
    size = nq.stat().st_size
    shutil.rmtree(work, ignore_errors=True)
    return {"seconds": t.seconds, "cpu_seconds": cpu_seconds() - cpu0, "quads": n, "nquads_mb": size / 2**20, "peak_rss_mb": peak_rss_mb()}


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    emit(ingest(*rest) if mode == "ingest" else floor(*rest))
