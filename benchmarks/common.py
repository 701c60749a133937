"""Shared helpers for the benchmarks: synthetic corpora on disk, child processes, statistics.

Each measurement that reports peak memory runs in its own child process, so the figure
(``ru_maxrss`` of that process) covers only that work and includes what Rust (pyoxigraph) allocates.
"""

from __future__ import annotations

import json
import os
import signal
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


def new_fragments(count: int, seed: int = 99) -> Path:
    """``count`` generated fragments whose FragmentIDs are in no corpus of :func:`corpus` (an "N" suffix):
    a new harvest added to a stored portfolio."""
    from benchmarks import generate

    folder = WORK / "data" / f"new-{count}-s{seed}"
    done = folder / ".complete"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        frags = ({**f, "FragmentID": f["FragmentID"] + "N"} for f in generate.generate(count, seed))
        generate.write_text(frags, folder, PER_FILE)
        done.write_text(str(count))
    return folder


def store_path(count: int) -> Path:
    """Where the ingest benchmark leaves the store of ``count`` fragments for the other benchmarks."""
    return WORK / "stores" / f"store-{count}"


# What decides a store's contents: the pipeline and vocabularies, the corpus generator, the registry.
STORE_INPUTS = ("graph", "ontology", "benchmarks/generate.py", "examples/actors.yaml")


def code_fingerprint() -> str:
    """A digest of :data:`STORE_INPUTS` (file names and contents). A store is reused only when it was
    built from the same inputs: figures measured on a store that older code made would be misleading."""
    import hashlib

    h = hashlib.sha256()
    for name in STORE_INPUTS:
        top = ROOT / name
        for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def stamp_path(count: int) -> Path:
    """Beside each store: which inputs built it and when (JSON), written once its ingest has succeeded."""
    return store_path(count).with_name(f"store-{count}.json")


def child_env() -> dict[str, str]:
    """The environment of a child process: this checkout first on the import path."""
    return dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def child_command(module: str, *args) -> list[str]:
    return [sys.executable, "-m", module, *map(str, args)]


class ChildError(RuntimeError):
    """A benchmark child process failed or ran out of time; the message ends with its stderr."""


def kill_group(proc: subprocess.Popen) -> None:
    """Kill a child started with ``start_new_session=True`` and everything it started (a uvicorn server,
    query workers): killing only the child would leave its own children running."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def run_child(module: str, *args, timeout: float | None = None) -> dict:
    """Run ``python -m module args`` and return the JSON object it prints last on stdout.

    The child runs in its own process group, so on time-out it is killed together with anything it
    started. Raises :class:`ChildError` (with the tail of its stderr) on failure or time-out."""
    cmd = child_command(module, *args)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        raise ChildError(f"{module} {' '.join(map(str, args))}: cut off after {timeout:.0f} s") from None
    except BaseException:  # Ctrl-C: leave nothing running
        kill_group(proc)
        raise
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise ChildError(f"{module} {' '.join(map(str, args))} failed ({proc.returncode}):\n{err[-3000:]}")
    return json.loads(lines[-1])


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User + system CPU time so far of this process (all threads) and of its finished children (worker
    processes): less sensitive than wall time to other work on a shared machine."""
    import resource

    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


def tree_cpu_seconds() -> float:
    """:func:`cpu_seconds` plus the CPU of the live descendants (resident worker processes, which
    ``RUSAGE_CHILDREN`` counts only once they have ended)."""
    import psutil

    total = cpu_seconds()
    for p in psutil.Process().children(recursive=True):
        try:
            t = p.cpu_times()
        except psutil.Error:
            continue
        total += t.user + t.system
    return total


def own_cpu_seconds() -> float:
    """User + system CPU time so far of this process alone (all threads), without its children."""
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Sampling:
    """A ``with`` block during which a daemon thread runs ``self._sample()`` (which loops until
    ``self._stop`` is set, waiting ``self.interval`` between samples)."""

    interval: float

    def _sample(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def __enter__(self):
        import threading

        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


class PeakRSS(Sampling):
    """Peak memory of this process plus its live descendants (summed), in MB, sampled every ``interval``
    seconds by a thread while the ``with`` block runs: ``ru_maxrss`` covers one process, and work done in
    worker processes counts too. Each process counts its proportional set size (PSS): forked workers share
    their parent's pages until they write them, and summing resident sizes would count those pages once
    per process. At least this process's own ``ru_maxrss``."""

    def __init__(self, interval: float = 0.25):
        self.interval = interval
        self.peak_mb = 0.0
        # The sampling thread's own CPU time, which the process's CPU figure includes: the kernel walks
        # every mapped page to give a PSS (~26 ms a sample of a 1.2 GB process, 2026-11-30), so a long,
        # big run pays seconds to tens of seconds of CPU for being measured; subtract it.
        self.cpu_seconds = 0.0

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        start = time.thread_time()
        while not self._stop.wait(self.interval):
            total = 0
            for p in [me, *me.children(recursive=True)]:
                try:
                    total += p.memory_full_info().pss
                except psutil.Error:  # ended meanwhile
                    pass
            self.peak_mb = max(self.peak_mb, total / 2**20)
            self.cpu_seconds = time.thread_time() - start

    def __exit__(self, *exc):
        super().__exit__(*exc)
        self.peak_mb = max(self.peak_mb, peak_rss_mb())


class ProcessMemory(PeakRSS):
    """:class:`PeakRSS`, and per process and per stage: each sample keeps this process's PSS (``main``:
    the reading, the scan, the bulk loader's threads), each live descendant's (``workers``), and the stage
    the run last reported (``stage()``: a callable the caller keeps current). ``by_stage()`` gives, per
    stage, the peak of the sum and the main process's and the workers' shares at that sample, and the
    highest main and single worker seen in it (how the peak is made up, and what grows with the batch)."""

    def __init__(self, stage, interval: float = 1.0):
        super().__init__(interval)
        self.stage = stage
        self.samples: list[dict] = []
        self.t0 = time.perf_counter()

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        start = time.thread_time()
        while not self._stop.wait(self.interval):
            main = workers = 0.0
            each: list[float] = []
            for p in [me, *me.children(recursive=True)]:
                try:
                    mb = p.memory_full_info().pss / 2**20
                except psutil.Error:  # ended meanwhile
                    continue
                if p.pid == me.pid:
                    main = mb
                else:
                    each.append(mb)
            workers = sum(each)
            self.samples.append({"t": round(time.perf_counter() - self.t0, 1), "stage": self.stage(),
                                 "main": round(main), "workers": [round(w) for w in each]})
            self.peak_mb = max(self.peak_mb, main + workers)
            self.cpu_seconds = time.thread_time() - start

    def by_stage(self) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for s in self.samples:
            total = s["main"] + sum(s["workers"])
            row = out.setdefault(s["stage"], {"peak_total": 0, "main_at_peak": 0, "workers_at_peak": [],
                                              "max_main": 0, "max_worker": 0, "from": s["t"], "to": s["t"]})
            row["to"] = s["t"]
            row["max_main"] = max(row["max_main"], s["main"])
            row["max_worker"] = max([row["max_worker"], *s["workers"]])
            if total > row["peak_total"]:
                row.update(peak_total=round(total), main_at_peak=s["main"], workers_at_peak=s["workers"])
        return out


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


# --------------------------------------------------------------------------- machine speed

CALIBRATION_TEXT = ROOT / "benchmarks" / "data" / "calibration.txt"  # 134 sentences, 2,028 words (fixed)
# The unit: the best figures of the workload seen on the shared 2-core VM on 30 Nov 2026, 14:37-15:18 UTC
# (load 2.6-6.9; 8 runs: spaCy 0.439-0.715 CPU-s, Python 0.138-0.297): a run's "speed" is this ÷ its own
# figure (see calibrate()). The spaCy figure was rescaled on 1 Dec 2026 (session 14) when the pipeline's matrix
# products moved from BLIS to numpy's OpenBLAS (graph/actors/language): the same machine state gives ~0.78 of
# the CPU-s on the calibration text (2 + 2 interleaved runs at load 8: 0.441 / 0.460 before, 0.383 / 0.320 after),
# so 0.44 -> 0.34; a "speed" stays a figure of the machine, not of the code.
CALIBRATION_REFERENCE = {"spacy_cpu_s": 0.34, "python_cpu_s": 0.138}
CALIBRATION_REPEATS = 3


def _python_workload() -> int:
    """Pure Python of the kind the rules and the mapping run: string formatting, dict updates, a sort."""
    counts: dict[str, int] = {}
    for i in range(200_000):
        key = f"n{i % 4999}:{i % 7}"
        counts[key] = counts.get(key, 0) + len(key)
    return len(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def calibrate() -> dict:
    """The speed of this machine now, for runs made hours apart to be compared (the VM's speed varies by
    ~30 % over a day): CPU seconds of a fixed workload, each the best of :data:`CALIBRATION_REPEATS`
    (CPU time of this thread: other work on the machine stretches wall time, and the best of a few
    runs drops the ones that shared a core's cache or were throttled). Two parts:

    * ``spacy_cpu_s``: the project's language pipeline (:func:`harvestgraph.actors.language._pipe`, the
      batching of an ingest) over :data:`CALIBRATION_TEXT` (~2,000 words; memo not used);
    * ``python_cpu_s``: :func:`_python_workload` (pure Python).

    ``speed`` is :data:`CALIBRATION_REFERENCE` ÷ these (1.0: as fast as the reference run; 0.8: every
    CPU-second figure of this run is ~1/0.8 of what the reference machine state would have given).
    ~2 CPU-s once the model is loaded (it is loaded if need be: ~0.7 CPU-s, and ~1.5 for spaCy's import):
    a benchmark calls it AFTER its measurement, in its own process (the measured work starts as it
    always did, and a process that loaded the model pays no second load), or runs
    ``python -m benchmarks.common calibrate`` (:func:`calibrate_child`)."""
    from harvestgraph.actors import language

    texts = [line for line in CALIBRATION_TEXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    language.nlp()
    language.looks_english(texts[0])

    def best(work) -> float:
        times = []
        for _ in range(CALIBRATION_REPEATS):
            t0 = time.thread_time()
            work()
            times.append(time.thread_time() - t0)
        return min(times)

    spacy_s = best(lambda: sum(len(d) for d in language._pipe(texts)))
    python_s = best(_python_workload)
    out = {"spacy_cpu_s": round(spacy_s, 4), "python_cpu_s": round(python_s, 4),
           "words": sum(len(t.split()) for t in texts), "load_average": round(os.getloadavg()[0], 2)}
    for k in ("spacy_cpu_s", "python_cpu_s"):
        ref = CALIBRATION_REFERENCE.get(k)
        if ref:
            out[k.replace("_cpu_s", "_speed")] = round(ref / out[k], 3)
    return out


def calibrate_child(timeout: float = 120) -> dict:
    """:func:`calibrate` in a child process (its model load does not touch the caller's memory or CPU
    figures); an empty dict if it fails (a figure without calibration is still a figure)."""
    try:
        return run_child("benchmarks.common", "calibrate", timeout=timeout)
    except ChildError as exc:
        print(f"calibration failed: {exc}", file=sys.stderr)
        return {}


if __name__ == "__main__":
    if sys.argv[1:] == ["calibrate"]:
        emit(calibrate())
    else:
        sys.exit("usage: python -m benchmarks.common calibrate")
