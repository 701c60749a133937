"""Shared helpers for the benchmarks: synthetic corpora on disk, child processes, statistics.

Each measurement that reports peak memory runs in its own child process, so the figure
(``ru_maxrss`` of that process) covers only that work and includes what Rust (pyoxigraph) allocates.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# generated corpora and stores (large; `make clean` removes them); BENCH_WORK moves them elsewhere
WORK = Path(os.environ.get("BENCH_WORK", ROOT / "out" / "bench")).resolve()
SEED = 42
PER_FILE = 500  # fragments per generated text file


def corpus(count: int, seed: int = SEED) -> Path:
    """The synthetic text corpus of ``count`` fragments, generated once and cached."""
    from benchmarks import generate

    folder = WORK / "data" / f"text-{count}-s{seed}"
    done = folder / ".complete"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("fragments_*.txt"):
            old.unlink()
        generate.write_text(generate.generate(count, seed), folder, PER_FILE)
        done.write_text(str(count))
    return folder


def store_path(count: int) -> Path:
    """Where the ingest benchmark leaves the store of ``count`` fragments for the other benchmarks."""
    return WORK / "stores" / f"store-{count}"


def run_child(module: str, *args: str, timeout: float | None = None) -> dict:
    """Run ``python -m module args`` and return the JSON object it prints last on stdout."""
    cmd = [sys.executable, "-m", module, *map(str, args)]
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1])


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User + system CPU time of this process so far (all threads): less sensitive than wall time to
    other work on a shared machine."""
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def summary(samples: list[float]) -> dict[str, float]:
    """Median and 95th percentile (nearest rank) of timings in seconds."""
    s = sorted(samples)
    p95 = s[min(len(s) - 1, max(0, round(0.95 * len(s) + 0.5) - 1))]
    return {"median": statistics.median(s), "p95": p95, "n": len(s)}


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


def emit(obj: dict) -> None:
    """A child's result: one JSON line on stdout (the parent reads the last one)."""
    print(json.dumps(obj), flush=True)
