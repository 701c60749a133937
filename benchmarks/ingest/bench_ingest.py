"""Ingest benchmark (child process): end-to-end ingest of a corpus into a fresh on-disk store, and
the pyoxigraph bulk-load floor for the same quads.

    python -m benchmarks.ingest.bench_ingest ingest DATA STORE [REGISTRY]
    python -m benchmarks.ingest.bench_ingest again DATA STORE [REGISTRY]     # into the existing store (re-ingest, add)
    python -m benchmarks.ingest.bench_ingest profile DATA STORE [REGISTRY]   # ingest, the peak per process and stage
    python -m benchmarks.ingest.bench_ingest floor STORE SCRATCH [LINES]  # LINES: N-Quads lines a bulk_load call
    python -m benchmarks.ingest.bench_ingest map DATA [REGISTRY]           # the map stage alone, one process, no store

Run as separate processes so that each peak-memory figure covers one job only.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

from benchmarks.common import PeakRSS, ProcessMemory, Timer, calibrate, cpu_seconds, emit, own_cpu_seconds, peak_rss_mb


def ingest(data: str, store: str, registry: str | None = None, *, fresh: bool = True,
           per_process: bool = False) -> dict:
    """Ingest with the resolver the CLI would use. The ingest may map in worker processes, so memory is
    the peak of the whole process tree and CPU time includes the workers'. ``fresh``: into a new store
    (else into the store as it is: a re-ingest, or new fragments added to a big store). ``per_process``:
    the peak broken down per process and per stage (``memory``: :class:`ProcessMemory`; ``profile`` mode)."""
    from harvestgraph import config
    from harvestgraph.ingest import ingest as run
    from harvestgraph.store import EmbeddedStore

    path = Path(store)
    if fresh and (path.exists() or path.is_symlink()):
        shutil.rmtree(path)  # refuses a symlink: never empty a store that lives elsewhere
    resolver = config.make_resolver(Path(registry) if registry else None)
    stages: dict[str, list[float]] = {}
    current = ["open"]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        stages.setdefault(stage, [now, now])[1] = now
        # "map" until the last fragment is mapped, then "tail" (the loader's last calls and the swap)
        current[0] = "tail" if stage == "map" and done == total else stage

    cpu0, own0, load0 = cpu_seconds(), own_cpu_seconds(), os.getloadavg()[0]
    # PSS sampled every second (was 0.25 s: at 10k the sampler used 24.9 CPU-s, 15 % of a core taken
    # from the workers; the peak of an ingest is broad, minutes at 10k)
    sampler = ProcessMemory(lambda: current[0], interval=1.0) if per_process else PeakRSS(interval=1.0)
    with sampler as mem, Timer() as t:
        st = EmbeddedStore(store)
        report = run([Path(data)], st, resolver, progress)
        current[0] = "close"
        st.close()
    start = t.start
    # where the CPU went: this process (reading, the scan, the bulk loader's threads, or all of it when no
    # worker is started) and the worker processes (resolve and map), without the memory sampler's own
    # (``cpu_sampler``); the load average says how shared the machine was (CPU seconds are the fairer
    # figure under load, wall seconds are not)
    cpu, own = cpu_seconds() - cpu0 - mem.cpu_seconds, own_cpu_seconds() - own0 - mem.cpu_seconds
    load1 = os.getloadavg()[0]
    # the machine's speed, measured after the run in this process (its model is loaded: no second load)
    calib = calibrate()
    return {"calibration": calib,"seconds": t.seconds, "cpu_seconds": cpu, "cpu_main": own, "cpu_workers": cpu - own,
            "cpu_sampler": mem.cpu_seconds,
            "load_average": [round(load0, 2), round(load1, 2)], "fragments": report.fragments,
            "added": report.added, "replaced": report.replaced, "unchanged": report.unchanged,
            "quads": report.quads_written, "peak_rss_mb": mem.peak_mb, "resolver": type(resolver).__name__,
            "stages": {k: [round(a - start, 3), round(b - start, 3)] for k, (a, b) in stages.items()},
            **({"memory": mem.by_stage(), "samples": mem.samples} if per_process else {})}


def floor(store: str, scratch: str, lines: str | None = None) -> dict:
    """Bulk-load the store's own quads (dumped as N-Quads, not timed) into a fresh store: the fastest
    pyoxigraph can store exactly what the ingest produced (union copies included), so floor time ÷
    ingest time is the share of the floor's throughput the end-to-end ingest reaches. ``lines``: feed
    the loader that many lines a call, as the ingest does (its memory grows with a call's size; at 100k,
    8 M lines a call: 1,804 MB, 250k: 336 MB and ~31 % more CPU, docs/performance.md)."""
    import pyoxigraph as ox

    from harvestgraph.store import BlobReader

    work = Path(scratch)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    nq = work / "all.nq"
    src = ox.Store.read_only(store)
    src.dump(output=str(nq), format=ox.RdfFormat.N_QUADS)
    del src
    dst = ox.Store(str(work / "store"))
    cpu0 = cpu_seconds()
    calls = 0
    with Timer() as t:
        if lines is None:
            dst.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
            calls = 1
        else:
            with open(nq, "rb") as f:
                # the ingest's own feed (store.BlobReader): 64 KB blobs of whole lines, a call ending at the
                # first blob boundary past ``lines`` lines
                blobs = (b"".join(chunk) for chunk in iter(lambda: f.readlines(1 << 16), []))
                reader = BlobReader(blobs, int(lines))
                while not reader.exhausted:
                    reader.budget, calls = int(lines), calls + 1
                    dst.bulk_load(input=reader, format=ox.RdfFormat.N_QUADS, lenient=True)
        dst.flush()
    n = len(dst)
    del dst
    size = nq.stat().st_size
    shutil.rmtree(work, ignore_errors=True)
    return {"seconds": t.seconds, "cpu_seconds": cpu_seconds() - cpu0, "quads": n, "nquads_mb": size / 2**20,
            "calls": calls, "peak_rss_mb": peak_rss_mb()}


def map_stage(data: str, registry: str | None = None) -> dict:
    """The map stage alone (resolve, map, redact, N-Quads for the loader) in one process, without a store:
    its time per fragment, for the first and the second half of the batch (a stage that grew with the batch
    would be slower in the second half). The deterministic check is tests/ingest/test_linear.py (work counted)."""
    from harvestgraph import config
    from harvestgraph.ingest import iter_mapped, read_fragments, with_hash
    from harvestgraph.store import nquads_text

    fragments, problems, _ = read_fragments([Path(data)])
    resolver = config.make_resolver(Path(registry) if registry else None)
    confidential = {f.id for f in fragments if f.is_confidential}
    warnings: list = []
    half = len(fragments) // 2
    laps: list[float] = []
    cpu0 = cpu_seconds()
    with Timer() as t:
        lap = time.perf_counter()
        for i, m in enumerate(iter_mapped(fragments, resolver, confidential, problems, warnings, pipeline="bench"), 1):
            nquads_text(with_hash(m))
            if i in (half, len(fragments)):
                now = time.perf_counter()
                laps.append(now - lap)
                lap = now
    n = len(fragments)
    return {"fragments": n, "seconds": t.seconds, "cpu_seconds": cpu_seconds() - cpu0,
            "ms_per_fragment": 1000 * t.seconds / n, "first_half_ms": 1000 * laps[0] / half,
            "second_half_ms": 1000 * laps[1] / (n - half), "peak_rss_mb": peak_rss_mb()}


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    emit(ingest(*rest) if mode == "ingest" else ingest(*rest, fresh=False) if mode == "again"
         else ingest(*rest, per_process=True) if mode == "profile"
         else map_stage(*rest) if mode == "map" else floor(*rest))
