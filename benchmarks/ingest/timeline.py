"""Where the wall time of a fresh ingest goes: a timeline per process and per stage (child process).

    python -m benchmarks.ingest.timeline DATA STORE [REGISTRY] [--bucket SECONDS]

Ingests DATA into a fresh store at STORE (emptied first) as ``benchmarks.ingest.bench_ingest ingest`` does, with
the stages of the main process and of the forked workers wrapped to record when they start and end
(appended as JSON lines to a scratch file that every forked process shares), and a thread reading the CPU
time of every process of the tree every ``--bucket`` seconds (``/proc/PID/stat``: cheap, unlike the PSS
sampler of :class:`benchmarks.common.PeakRSS`, which is not run here). It prints:

* the spans: per process, each stage with its start and end (seconds from the start of ``ingest()``);
* the cores in use per bucket, per process and in all: a core left idle shows as a total below the
  number of cores while work remained;
* the sums: CPU per process, and idle core-seconds (cores × wall − CPU).

The wrappers cost a few microseconds per call (one per file and stage, none per fragment), and the CPU
sampler ~0.1 ms per process per bucket.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from functools import wraps
from pathlib import Path

from benchmarks.common import Sampling, Timer, calibrate, cpu_seconds, emit

_LOG: str | None = None
_T0 = 0.0


def _record(stage: str, t0: float, t1: float, **extra) -> None:
    if _LOG is None:
        return
    line = json.dumps({"pid": os.getpid(), "stage": stage, "start": t0 - _T0, "end": t1 - _T0, **extra}) + "\n"
    fd = os.open(_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())  # one write with O_APPEND: lines of concurrent processes never mix
    finally:
        os.close(fd)


def _timed(owner, name: str, done) -> None:
    """Replace ``owner.name`` by a wrapper that calls ``done(start, end, args, kw)`` after each call (pickled
    by name: same qualname)."""
    fn = getattr(owner, name)

    @wraps(fn)
    def timed(*args, **kw):
        t0 = time.perf_counter()
        try:
            return fn(*args, **kw)
        finally:
            done(t0, time.perf_counter(), args, kw)

    setattr(owner, name, timed)


def _wrap(owner, name: str, stage: str, detail=None) -> None:
    """Record each call of ``owner.name`` as a span."""
    _timed(owner, name, lambda t0, t1, args, kw: _record(stage, t0, t1, **(detail(*args, **kw) if detail else {})))


class _Accumulate:
    """Per process: the time spent in some functions, summed, reported with the span of the enclosing call
    (a span per fragment would be 10,000s of lines)."""

    sums: dict[str, float] = defaultdict(float)

    @classmethod
    def wrap(cls, owner, name: str, key: str) -> None:
        def add(t0: float, t1: float, args, kw) -> None:
            cls.sums[key] += t1 - t0

        _timed(owner, name, add)

    @classmethod
    def take(cls) -> dict[str, float]:
        out = {k: round(v, 3) for k, v in cls.sums.items()}
        cls.sums.clear()
        return out


def _instrument() -> None:
    import multiprocessing.pool

    import harvestgraph.ingest as ingest_pkg
    from harvestgraph.actors import resolver as resolver_mod
    from harvestgraph import mapping
    from harvestgraph.ingest import workers, write
    from harvestgraph.store import EmbeddedStore, BlobReader

    _wrap(ingest_pkg, "scan_batch", "scan (read, keys, normalise)")
    _wrap(resolver_mod.ActorResolver, "warm", "model load (before the fork)")
    _wrap(EmbeddedStore, "rebuild", "rebuild (bulk load, swap)")
    _wrap(EmbeddedStore, "ensure_static", "static graphs")
    _wrap(write, "redact_stored_links", "redact stored links")

    # in the workers: one span per file, with the time of its parts summed
    _Accumulate.wrap(workers, "read_file", "read")
    _Accumulate.wrap(workers, "normalise_all", "normalise")
    _Accumulate.wrap(resolver_mod.ActorResolver, "prefetch", "parse (prefetch)")
    _Accumulate.wrap(resolver_mod.ActorResolver, "resolve", "resolve")
    _Accumulate.wrap(mapping, "map_fragment", "map")  # (called by mapping.map_all, the one mapping loop)
    _Accumulate.wrap(workers, "fragment_nquads", "nquads")
    _Accumulate.wrap(workers, "record_key", "record key")
    inner = workers._map_file

    @wraps(inner)
    def map_file(path):
        _Accumulate.take()
        t0 = time.perf_counter()
        res = inner(path)
        _record("map file", t0, time.perf_counter(), file=Path(path).name, fragments=res.fragments,
                parts=_Accumulate.take())
        return res

    workers._map_file = map_file

    # in the main process: each wait for a worker's result (the loader has nothing to load meanwhile)
    get = multiprocessing.pool.ApplyResult.get

    def waited(self, timeout=None):
        t0 = time.perf_counter()
        try:
            return get(self, timeout)
        finally:
            _record("wait for a worker", t0, time.perf_counter())

    multiprocessing.pool.ApplyResult.get = waited
    # the bulk loader asking for more text: the time between its reads is the loader's own work
    readinto = BlobReader.readinto

    def read(self, b):
        t0 = time.perf_counter()
        try:
            return readinto(self, b)
        finally:
            _Accumulate.sums["loader reads"] += time.perf_counter() - t0

    BlobReader.readinto = read


class _CpuSampler(Sampling):
    """CPU seconds of every process of the tree, every ``interval`` seconds."""

    def __init__(self, interval: float):
        self.interval = interval
        self.rows: list[tuple[float, dict[int, float]]] = []

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        while True:
            now = time.perf_counter() - _T0
            snap = {}
            for p in [me, *me.children(recursive=True)]:
                try:
                    t = p.cpu_times()
                    snap[p.pid] = t.user + t.system
                except psutil.Error:
                    pass
            self.rows.append((now, snap))
            if self._stop.wait(self.interval):
                return


def run(data: str, store: str, registry: str | None = None, bucket: float = 2.0) -> dict:
    global _LOG, _T0
    from harvestgraph import config
    from harvestgraph.ingest import ingest
    from harvestgraph.store import EmbeddedStore

    path = Path(store)
    if path.exists() or path.is_symlink():
        shutil.rmtree(path)
    resolver = config.make_resolver(Path(registry) if registry else None)
    _instrument()
    fd, _LOG = tempfile.mkstemp(prefix="timeline-", suffix=".jsonl")
    os.close(fd)
    stages: dict[str, list[float]] = {}

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter() - _T0
        stages.setdefault(stage, [now, now])[1] = now

    load0 = os.getloadavg()[0]
    cpu0 = cpu_seconds()
    _T0 = time.perf_counter()
    with _CpuSampler(bucket) as sampler, Timer() as t:
        st = EmbeddedStore(store)
        report = ingest([Path(data)], st, resolver, progress)
        st.close()
    cpu = cpu_seconds() - cpu0
    load1 = os.getloadavg()[0]
    calib = calibrate()  # after the run (this process has the model loaded)
    spans = [json.loads(line) for line in Path(_LOG).read_text().splitlines()]
    os.unlink(_LOG)
    _LOG = None
    me = os.getpid()
    names = {me: "main"}
    for s in sorted(spans, key=lambda s: s["start"]):
        if s["pid"] not in names:
            names[s["pid"]] = f"worker {len(names)}"
    result = {"seconds": t.seconds, "cpu_seconds": cpu, "fragments": report.fragments,
              "quads": report.quads_written, "load_average": [round(load0, 2), round(load1, 2)],
              "calibration": calib, "stages": {k: [round(a, 2), round(b, 2)] for k, (a, b) in stages.items()},
              "loader_reads_s": round(_Accumulate.sums.get("loader reads", 0.0), 2)}
    _print(spans, names, sampler.rows, t.seconds, result)
    return result


def _print(spans, names, rows, wall: float, result: dict) -> None:
    out = sys.stderr
    ncores = os.cpu_count() or 1
    print(f"\nfresh ingest of {result['fragments']} fragments: {wall:.1f} s wall, {result['cpu_seconds']:.1f} CPU-s "
          f"({result['cpu_seconds'] / wall:.2f} cores of {ncores}); load {result['load_average']}", file=out)
    print("\n## spans (seconds from the start)", file=out)
    waits: dict[int, float] = defaultdict(float)
    for s in sorted(spans, key=lambda s: (s["start"], s["pid"])):
        who = names.get(s["pid"], str(s["pid"]))
        if s["stage"] == "wait for a worker":
            waits[s["pid"]] += s["end"] - s["start"]
            if s["end"] - s["start"] < 0.5:
                continue  # (listed when long: the loader idle, waiting for the next file)
        extra = ""
        if "file" in s:
            extra = f"  {s['file']} ({s['fragments']} fragments) " + \
                ", ".join(f"{k} {v:.1f}" for k, v in sorted(s["parts"].items(), key=lambda kv: -kv[1]))
        print(f"{s['start']:8.2f} {s['end']:8.2f} {s['end'] - s['start']:7.2f}  {who:9} {s['stage']}{extra}", file=out)
    for pid, w in waits.items():
        print(f"  {names.get(pid, pid)} waited {w:.1f} s in all for worker results", file=out)
    print("\n## cores in use per bucket (CPU seconds ÷ bucket seconds)", file=out)
    pids = sorted({pid for _, snap in rows for pid in snap}, key=lambda p: (p != os.getpid(), p))
    label = {p: names.get(p, f"pid {p}") for p in pids}
    print("   from     to  " + " ".join(f"{label[p][:9]:>9}" for p in pids) + "      all", file=out)
    for (a, s0), (b, s1) in zip(rows, rows[1:]):
        # (a process that started or ended within the bucket counts from / up to the sample it is in)
        use = [(s1[p] - s0.get(p, 0.0)) / (b - a) if p in s1 else 0.0 for p in pids]
        print(f"{a:7.1f} {b:6.1f}  " + " ".join(f"{u:9.2f}" for u in use) + f" {sum(use):8.2f}", file=out)
    last: dict[int, float] = {}
    for _, snap in rows:
        last.update(snap)  # each process's last sample (a worker ends before the main process)
    total = sum(last.values())
    print("\nCPU per process (sampled): " + ", ".join(f"{label[p]} {last.get(p, 0):.1f}" for p in pids)
          + f"; idle core-seconds {ncores * wall - total:.1f} of {ncores * wall:.1f}", file=out)


if __name__ == "__main__":
    args = sys.argv[1:]
    bucket = 2.0
    if "--bucket" in args:
        i = args.index("--bucket")
        bucket = float(args[i + 1])
        del args[i:i + 2]
    emit(run(*args, bucket=bucket))
