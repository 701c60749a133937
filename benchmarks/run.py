"""Run the benchmarks of issue 7 and print/write the figures, ratios and the targets table.

    make bench          # python -m benchmarks.run           → benchmarks/results/latest.{json,md}
    make bench-quick    # python -m benchmarks.run --quick   → benchmarks/results/quick.{json,md}
    python -m benchmarks.run [--quick] [--only ingest,views,api,queries] [--sizes 1000,10000,100000]
        [--query-sizes 10000,100000] [--view-sizes 500,4000] [--api-size 10000] [--scopes public,confidential]
        [--timeout 10] [--rdflib-timeout 10] [--reps 5] [--budget 5] [--rdflib-max 10000]
        [--api-seconds 15] [--clients 32] [--max-minutes 45] [--out latest]

(Defaults of the full run; ``--quick`` changes those not given to the second column of ``DEFAULTS``.)
What runs, most important first (so that the time budget cuts the least useful part):

1. ingest at each of --sizes, then the pyoxigraph bulk-load floor of the same quads;
2. the anonymous reader's network view on the stores of --view-sizes fragments (~1k and ~5k nodes);
3. the API (32 clients, bounded in time) on the --api-size store;
4. the named queries for the anonymous reader at each of --query-sizes, each followed (up to
   --rdflib-max fragments) by the same queries on plain rdflib holding the same data;
5. the named queries for a reader with the confidential role.

Each measurement runs in child processes (see the bench_*.py modules); a store that was not built from
the current code (``common.code_fingerprint``) is ingested first (not timed). Results are written after every
item to benchmarks/results/NAME.json and NAME.md (merged into an existing NAME.json of the same format,
so ``--only api`` replaces only the API figures); an item that fails records its error and the run goes
on; an item due to start after --max-minutes is recorded as skipped, so a run ends at most one item
(a query's cut-off, an API run of ~3 min, an ingest) after the budget. The targets table comes last.

Expected duration on the 2-core development machine: ``--quick`` builds ONE store, of 2,000 fragments,
and measures everything on it (ingest, floor, re-ingest, 200 added, the view, the API for 10 s, /explore,
the named queries with rdflib beside them) within an 8-minute budget: 8 min 5 s from a clean results file
at load 12-19 (30 Nov 2026), the budget cutting the named queries. The full run: ingest
1k/10k/100k with their floors ~25 min at the current ingest speed (100k: ~15 min, its floor ~8 min),
views ~1, API ~4, queries at 10k ~4 and rdflib at 10k ~5, the anonymous reader at 100k ≤ 8 (a 10 s
cut-off per query); what does not fit in --max-minutes 45 (first the confidential scope) is recorded
as skipped. Corpora and stores are kept under out/bench (BENCH_WORK moves them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Callable

if __package__ in (None, ""):  # `python benchmarks/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (ROOT, WORK, ChildError, code_fingerprint, corpus, new_fragments,  # noqa: E402
                               run_child, stamp_path, store_path)

RESULTS = ROOT / "benchmarks" / "results"
REGISTRY = ROOT / "examples" / "actors.yaml"
SECTIONS = ("ingest", "views", "api", "queries", "explore")
# Optional items, run only when named in --only: "engines" = benchmarks/serve/bench_engines.py (the ingest and
# the named queries on the embedded store, an Oxigraph server and Virtuoso, at --engines-size fragments;
# ~40 min at 10k on the 2-core machine, most of it Virtuoso's ingest). Its figures go to engines.{json,md}.
OPTIONAL = ("engines",)
SCOPES = ("public", "confidential")
FORMAT = 2  # of NAME.json; a file of another format is replaced, not merged
ADD = 200  # new fragments added to each ingested store (a new harvest)
GRACE = 600.0  # seconds a child may run past the budget before it is killed (an ingest is not cut short lightly)
DEFAULTS = {  # option → (full run, --quick)
    # --quick builds one store (2,000 fragments: ~3 min of ingest CPU with the language pipeline, Nov 2026)
    # and measures everything on it, so that it fits in 10 minutes from a fresh clone.
    "sizes": ("1000,10000,100000", "2000"), "map_sizes": ("2000,20000", ""), "query_sizes": ("10000,100000", "2000"),
    "view_sizes": ("500,4000", "2000"), "api_size": (10000, 2000), "explore_size": (10000, 2000),
    "scopes": ("public,confidential", "public"), "reps": (5, 3), "budget": (5.0, 2.0),
    "rdflib_max": (10000, 2000), "api_seconds": (15.0, 10.0), "max_minutes": (45.0, 8.0),
    "out": ("latest", "quick"),
}
TARGETS = {"ingest_seconds_100k": 120.0, "peak_rss_mb": 2048.0, "floor_share": 0.5, "query_median_s": 0.5,
           "rdflib_speedup": 10.0, "api_p95_s": 0.1, "view_nodes": 5000, "view_s": 2.0}


def log(msg: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


# --------------------------------------------------------------------------- results on disk


class Results:
    """NAME.json and NAME.md, rewritten after every item."""

    def __init__(self, name: str):
        self.json, self.md = RESULTS / f"{name}.json", RESULTS / f"{name}.md"
        try:
            old = json.loads(self.json.read_text())
        except (OSError, ValueError):
            old = {}
        self.data = old if old.get("format") == FORMAT else {"format": FORMAT}
        for s in (*SECTIONS, "map"):
            self.data.setdefault(s, {})
        self.data["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(),
                                "platform": platform.platform()}

    def put(self, section: str, key: str, value: dict, sub: str | None = None) -> None:
        if sub is None:
            self.data[section][key] = value
        else:
            self.data[section].setdefault(key, {})[sub] = value
        self.data["updated"] = _now()
        self.save()

    def save(self) -> None:
        RESULTS.mkdir(parents=True, exist_ok=True)
        _write(self.json, json.dumps(self.data, indent=2, default=str))
        try:
            md = markdown(self.data)
        except Exception as exc:  # a report bug must not lose the figures (they are in the JSON)
            md = f"(the markdown report failed: {type(exc).__name__}: {exc}; see {self.json.name})"
        _write(self.md, md + "\n")


def _write(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


# --------------------------------------------------------------------------- the run


class Runner:
    def __init__(self, args):
        self.args = args
        self.results = Results(args.out)
        self.deadline = time.monotonic() + args.max_minutes * 60
        self.fingerprint = code_fingerprint()
        self.failed_stores: set[int] = set()
        self.cases: dict[int, dict] = {}

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def item(self, section: str, key: int, fn: Callable[[], dict], sub: str | None = None) -> dict:
        """Run one measurement and record it (its figures, its error, or that the budget was used up)."""
        what = f"{section} {key:,}" + (f" {sub}" if sub else "")
        if not self.remaining():
            value = {"skipped": f"the time budget (--max-minutes {self.args.max_minutes:g}) was used up"}
            log(f"{what}: skipped (time budget used up)")
        else:
            log(what)
            start = time.perf_counter()
            try:
                value = fn()
            except Exception as exc:
                value = {"error": f"{type(exc).__name__}: {exc}"[-4000:]}
                log(f"{what} failed: {value['error'][-500:]}")
            value["bench_seconds"] = time.perf_counter() - start
        value["measured"] = _now()
        self.results.put(section, str(key), value, sub)
        return value

    # -- stores

    def store(self, n: int) -> Path:
        """The store of ``n`` fragments, ingested (not timed here) unless it was built from the current
        code (see ``code_fingerprint``), once per run."""
        if self.built(n) is None:
            if n in self.failed_stores:
                raise ChildError(f"no store of {n} fragments (its ingest failed earlier in this run)")
            log(f"  no store of {n:,} fragments built by the current code: ingesting it")
            self.build(n)
        return store_path(n)

    def build(self, n: int) -> dict:
        """Ingest the corpus of ``n`` fragments into a fresh store; its figures."""
        stamp = stamp_path(n)
        stamp.unlink(missing_ok=True)
        try:
            res = run_child("benchmarks.ingest.bench_ingest", "ingest", corpus(n), store_path(n), _registry(),
                            timeout=self.remaining() + GRACE)
        except Exception:
            self.failed_stores.add(n)
            raise
        stamp.write_text(json.dumps({"fingerprint": self.fingerprint, "built": _now()}))
        return res

    def built(self, n: int) -> str | None:
        """When the store of ``n`` fragments was built, if it was built from the current code."""
        try:
            stamp = json.loads(stamp_path(n).read_text())
        except (OSError, ValueError):
            return None
        current = stamp.get("fingerprint") == self.fingerprint and (store_path(n) / "CURRENT").exists()
        return stamp.get("built") if current else None

    def case_list(self, n: int) -> dict:
        """The query cases on the store of ``n`` fragments (written to WORK for the child processes)."""
        if n not in self.cases:
            c = run_child("benchmarks.serve.bench_queries", "cases", self.store(n), timeout=600)
            path = WORK / f"cases-{n}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(c["cases"], indent=1))
            self.cases[n] = {**c, "file": path}
        return self.cases[n]

    # -- sections

    def ingest(self, n: int) -> None:
        def run() -> dict:
            corpus(n)  # generated before the clock starts
            res = self.build(n)
            log(f"  {res['seconds']:.1f} s, {res['quads']:,} quads, peak {res['peak_rss_mb']:,.0f} MB")
            return res

        res = self.item("ingest", n, run)
        if "seconds" in res:
            floor = self.item("ingest", n, lambda: run_child("benchmarks.ingest.bench_ingest", "floor", store_path(n),
                                                              WORK / "floor", timeout=self.remaining() + GRACE),
                              sub="floor")
            if "seconds" in floor:
                log(f"  floor {floor['seconds']:.1f} s: ingest reaches {floor['seconds'] / res['seconds']:.0%} of it")
            self.item("ingest", n, lambda: self.again(n), sub="again")
            self.item("ingest", n, lambda: self.add(n), sub="add")
            self.item("ingest", n, lambda: self.watch(n), sub="watch")

    def again(self, n: int) -> dict:
        """The same files into the store they built: nothing changed, nothing is redone (issue 14)."""
        res = run_child("benchmarks.ingest.bench_ingest", "again", corpus(n), store_path(n), _registry(),
                        timeout=self.remaining() + GRACE)
        log(f"  again: {res['seconds']:.1f} s, {res['unchanged']:,} unchanged, peak {res['peak_rss_mb']:,.0f} MB")
        return res

    def add(self, n: int, extra: int = ADD) -> dict:
        """``extra`` new fragments into (a copy of) the store of ``n``: the cost of a new harvest."""
        import shutil

        scratch = WORK / "scratch-add"
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(store_path(n), scratch)
        try:
            res = run_child("benchmarks.ingest.bench_ingest", "again", new_fragments(extra), scratch, _registry(),
                            timeout=self.remaining() + GRACE)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        log(f"  add {extra}: {res['seconds']:.1f} s, {res['added']:,} added, peak {res['peak_rss_mb']:,.0f} MB")
        return res

    def watch(self, n: int, extra: int = ADD) -> dict:
        """The resident ingest (``harvestgraph watch``) on (a copy of) the store of ``n``: a file of ``extra``
        new fragments saved into a watched folder, then three of them edited (bench_watch.py)."""
        import shutil

        scratch = WORK / "scratch-watch"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        shutil.copytree(store_path(n), scratch / "store")
        try:
            res = run_child("benchmarks.ingest.bench_watch", corpus(n), scratch / "store", new_fragments(extra), _registry(),
                            timeout=self.remaining() + GRACE)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        if res.get("calibration"):
            log(f"  watch: {_calibration(res['calibration'])}")
        log(f"  watch: start {res['start_seconds']:.1f} s; add {extra}: {res['add']['seconds']:.1f} s; "
            f"edit 3: {res['edit']['seconds']:.2f} s")
        return res

    def view(self, n: int) -> None:
        self.item("views", n, lambda: {**run_child("benchmarks.serve.bench_views", self.store(n),
                                                   timeout=min(self.remaining() + GRACE, 1800)),
                                       "store_built": self.built(n)})

    def explore(self) -> None:
        """The /explore workbench in Chromium on the --explore-size store (bench_explore.py)."""
        n = self.args.explore_size
        self.item("explore", n, lambda: {**run_child("benchmarks.serve.bench_explore", self.store(n), 3,
                                                     timeout=min(self.remaining() + GRACE, 2400)),
                                         "store_built": self.built(n)})

    def api(self) -> None:
        a, n = self.args, self.args.api_size

        def run() -> dict:
            c = self.case_list(n)
            res = run_child("benchmarks.serve.bench_api", "run", self.store(n), a.api_seconds, a.clients, c["file"],
                            timeout=1800)
            return {**res, "samples": c["samples"], "store_built": self.built(n)}

        self.item("api", n, run)

        def hostile() -> dict:  # issue 16: ordinary clients while attackers run long queries; 1 vs N workers
            c = self.case_list(n)
            return {**run_child("benchmarks.serve.bench_hostile", "run", self.store(n), a.api_seconds, a.clients,
                                a.workers, c["file"], timeout=1800), "store_built": self.built(n)}

        self.item("api", n, hostile, sub="hostile")

        def recovery() -> dict:  # issue 16: seconds until an ordinary query answers after each kind of attack
            # serve's own 10 s --timeout in the full run; 3 s in --quick, where three runaways would
            # otherwise take half a minute of its 8-minute budget
            limit = "3" if a.quick else "10"
            return {**run_child("benchmarks.serve.bench_hostile", "recovery", self.store(n), limit, a.workers, timeout=1800),
                    "store_built": self.built(n)}

        self.item("api", n, recovery, sub="recovery")

    def queries(self, n: int, scope: str) -> None:
        from benchmarks.serve.bench_queries import run_embedded

        a = self.args

        def run() -> dict:
            c = self.case_list(n)
            res = run_embedded(str(self.store(n)), scope, c["cases"], reps=a.reps, timeout=a.timeout,
                               budget=a.budget, deadline=self.deadline, log=log)
            return {**res, "samples": c["samples"], "timeout": a.timeout,
                    "store_built": self.built(n)}

        self.item("queries", n, run, sub=scope)

    def rdflib(self, n: int) -> None:
        a = self.args

        def run() -> dict:
            c = self.case_list(n)
            return {**run_child("benchmarks.serve.bench_queries", "rdflib", self.store(n), c["file"], a.reps,
                                a.rdflib_timeout, a.budget, time.time() + self.remaining(),
                                timeout=self.remaining() + GRACE),
                    "timeout": a.rdflib_timeout}

        self.item("queries", n, run, sub="rdflib")


def _registry() -> str:
    return str(REGISTRY) if REGISTRY.exists() else ""


def run(args) -> Results:
    r = Runner(args)
    only = [s.strip() for s in args.only.split(",")] if args.only else list(SECTIONS)
    unknown = set(only) - set(SECTIONS) - set(OPTIONAL)
    if unknown:
        raise SystemExit(f"unknown section(s) {', '.join(sorted(unknown))}; choose from "
                         f"{', '.join(SECTIONS + OPTIONAL)}")
    scopes = [s.strip() for s in args.scopes.split(",")]
    if set(scopes) - set(SCOPES):
        raise SystemExit(f"--scopes: choose from {', '.join(SCOPES)}")
    if "ingest" in only:
        for n in _ints(args.map_sizes):
            r.item("map", n, lambda n=n: run_child("benchmarks.ingest.bench_ingest", "map", corpus(n), _registry(),
                                                   timeout=r.remaining() + GRACE))
        for n in _ints(args.sizes):
            r.ingest(n)
    if "views" in only:
        for n in _ints(args.view_sizes):
            r.view(n)
    if "api" in only:
        r.api()
    if "explore" in only:
        r.explore()
    if "queries" in only:
        for scope in sorted(scopes, key=SCOPES.index):
            for n in _ints(args.query_sizes):
                r.queries(n, scope)
                if scope == "public" and n <= args.rdflib_max:
                    r.rdflib(n)
    if "engines" in only:
        from benchmarks.serve import bench_engines

        log(f"engines: embedded, Oxigraph server, Virtuoso at {args.engines_size:,} fragments")
        bench_engines.main(["--size", str(args.engines_size), "--reps", str(min(args.reps, 3))])
    return r.results


def _ints(text: str) -> list[int]:
    return [int(s) for s in text.split(",") if s.strip()]


# --------------------------------------------------------------------------- report


def _s(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.1f} s"


def _status(entry: dict | None) -> str | None:
    """How an item or query ended when it has no figures (``None`` when it has them)."""
    if not entry:
        return "–"
    if "timeout" in entry and "median" not in entry:
        return f"> {_s(entry['timeout'])}"
    if "skipped" in entry:
        return "skipped"
    if "error" in entry:
        return "error"
    return None


def _stamp(entry: dict) -> str:
    return entry.get("measured", "")[:16].replace("T", " ")


def _when(entry: dict) -> str:
    return f" (measured {_stamp(entry)} UTC)" if entry.get("measured") else ""


def _problem(entry: dict) -> str | None:
    """A line for an item that has no figures."""
    if "error" in entry:
        return f"**error**: `{entry['error'][-600:]}`"
    if "skipped" in entry:
        return f"skipped: {entry['skipped']}"
    return None


def _median(entry: dict | None) -> float | None:
    return entry.get("median") if entry else None


def _speedup(emb: dict | None, rd: dict | None) -> tuple[float | None, str]:
    """rdflib median ÷ embedded median; a lower bound (≥) when rdflib hit its cut-off."""
    m = _median(emb)
    if not m or not rd:
        return None, "–"
    if _median(rd):
        return rd["median"] / m, f"{rd['median'] / m:,.1f}x"
    if "timeout" in rd:
        return rd["timeout"] / m, f"≥ {rd['timeout'] / m:,.0f}x"
    return None, "–"


def _by_size(results: dict, failed: list[str], cells: int = 0) -> Iterator[tuple[int, dict]]:
    """(fragments, result) of each measured size, smallest first; a failed or skipped size is appended to
    ``failed`` instead, saying why: as a table row of ``cells`` columns, or (``cells`` 0) as a note."""
    for n, x in sorted(results.items(), key=lambda kv: int(kv[0])):
        if _problem(x):
            failed.append(f"| {int(n):,} | {_problem(x)} |" + " |" * (cells - 2) if cells
                          else f"* {int(n):,} fragments: {_problem(x)}")
            continue
        yield int(n), x


def _md_map(r: dict) -> list[str]:
    out = ["### The map stage alone (resolve, map, redact, N-Quads; one process, no store)", "",
           "| fragments | time (CPU) | per fragment | first half | second half | peak RSS | measured (UTC) |",
           "|---:|---:|---:|---:|---:|---:|---|"]
    for n, x in _by_size(r.get("map", {}), out, cells=7):
        out.append(f"| {int(n):,} | {_s(x['seconds'])} ({_s(x['cpu_seconds'])}) | {x['ms_per_fragment']:.2f} ms | "
                   f"{x['first_half_ms']:.2f} ms | {x['second_half_ms']:.2f} ms | {x['peak_rss_mb']:,.0f} MB | "
                   f"{_stamp(x)} |")
    return out + [""]


def _calibration(cal: dict) -> str:
    """The machine's speed beside a result (benchmarks.common.calibrate): runs hours apart compare by it."""
    speed = f" (speed {cal['spacy_speed']} / {cal['python_speed']} of the reference)" if "spacy_speed" in cal else ""
    return (f"machine speed at the time: spaCy workload {cal['spacy_cpu_s']} CPU-s, Python workload "
            f"{cal['python_cpu_s']} CPU-s{speed}, load {cal.get('load_average')}")


def _md_ingest(r: dict) -> list[str]:
    out = ["### Ingest (end to end into the embedded on-disk store)", "",
           "| fragments | quads written (in the store) | time (CPU) | fragments/s | peak RSS | stages "
           "| bulk-load floor (CPU) | floor ÷ ingest time | measured (UTC) |", "|---:|---:|---:|---:|---:|---|---:|---:|---|"]
    notes: list[str] = []
    for n, x in _by_size(r["ingest"], notes):
        f = x.get("floor", {})
        floor = f"{_s(f['seconds'])} ({_s(f['cpu_seconds'])})" if "seconds" in f else (_status(f) or "–")
        share = f"{f['seconds'] / x['seconds']:.0%}" if "seconds" in f else "–"
        stored = f" ({f['quads']:,})" if "quads" in f else ""
        out.append(f"| {int(n):,} | {x['quads']:,}{stored} | {_s(x['seconds'])} ({_s(x['cpu_seconds'])}) | "
                   f"{x['fragments'] / x['seconds']:,.0f} | {x['peak_rss_mb']:,.0f} MB | "
                   f"{', '.join(f'{k} {_s(b - a)}' for k, (a, b) in x['stages'].items())} | {floor} | {share} | "
                   f"{_stamp(x)} |")
        if f and _problem(f):
            notes.append(f"* floor at {int(n):,}: {_problem(f)}")
        if cal := x.get("calibration"):
            notes.append(f"* {int(n):,} fragments: {_calibration(cal)}")
        if "quads" in f:
            notes.append(f"* {int(n):,} fragments: {f['quads'] / int(n):,.0f} quads per fragment in the store "
                         "(union graphs and the static graphs included)")
        for sub, what in (("again", "the same files again (nothing changed)"), ("add", f"{ADD} new fragments added")):
            a = x.get(sub)
            if a and "seconds" in a:
                notes.append(f"* {int(n):,} fragments, {what}: {_s(a['seconds'])} (CPU {_s(a['cpu_seconds'])}), peak "
                             f"{a['peak_rss_mb']:,.0f} MB; {a['added']:,} added, {a['replaced']:,} replaced, "
                             f"{a['unchanged']:,} unchanged, {a['quads']:,} quads written")
            elif a and _problem(a):
                notes.append(f"* {int(n):,} fragments, {what}: {_problem(a)}")
        w = x.get("watch")
        if w and "add" in w:
            notes.append(f"* {int(n):,} fragments, the resident ingest (`harvestgraph watch`, a look every "
                         f"{w['interval']:g} s): started in {_s(w['start_seconds'])} (model and mapping processes; "
                         f"sync of the unchanged store {_s(w['sync_seconds'])}); a saved file of {w['add']['added']} "
                         f"new fragments stored {_s(w['add']['seconds'])} after the save (its ingest "
                         f"{_s(w['add']['ingest_seconds'])}); 3 of them edited: {_s(w['edit']['seconds'])}")
        elif w and _problem(w):
            notes.append(f"* {int(n):,} fragments, the resident ingest: {_problem(w)}")
    return out + ["", "Peak RSS: the ingest process and its worker processes, summed. Stages: from the first to "
                  "the last progress report of each. Floor: a fresh pyoxigraph store bulk-loading the same quads "
                  "(dumped from the ingested store, not timed); floor ÷ ingest time is the share of the floor's "
                  "throughput reached end to end.", ""] + notes + ([""] if notes else [])


def _md_views(r: dict) -> list[str]:
    out = ["### Network view (anonymous reader, whole network: `analyse()` + `render_html()`)", "",
           "| fragments | outcomes | nodes | edges | reader's graphs | queries + measures | HTML render | total | "
           "HTML size | peak RSS | measured (UTC) |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    notes: list[str] = []
    for n, v in _by_size(r["views"], notes):
        out.append(f"| {int(n):,} | {v['outcomes']:,} | {v['nodes']:,} | {v['edges']:,} | "
                   f"{_s(v['visible_graphs_seconds'])} | {_s(v['analyse_seconds'])} | {_s(v['render_seconds'])} | "
                   f"{_s(v['total_seconds'])} | {v['html_mb']:.1f} MB | {v['peak_rss_mb']:,.0f} MB | {_stamp(v)} |")
    return out + [""] + notes + ([""] if notes else [])


def _md_hostile(n: str, h: dict) -> list[str]:
    if "p95" not in h:
        return [f"Hostile load at {int(n):,}: {h.get('error') or h.get('skipped') or '?'}", ""]
    p, w = h["p95"], h["workers"]
    ratio = f"x{h['attacked_ratio']:.2f}" if h.get("attacked_ratio") else "?"
    return [f"### Hostile load at {int(n):,} fragments (measured {h.get('measured', '?')}, shared machine)", "",
            f"{h['clients']} ordinary clients (named queries, mostly cached) for {h['seconds']:g} s each: p95 "
            f"alone {_s(p['alone_n_workers'])}, while {h['attackers']} attackers send cartesian products nonstop "
            f"{_s(p['attacked_n_workers'])} ({ratio}; target ≤ x2); attackers' answers: "
            f"{h['n_workers']['attackers']['outcomes']}. Named-query p95 with 1 worker process "
            f"{_s(p['alone_1_worker'])}, with {w}: {_s(p['alone_n_workers'])} (target ≤ 100 ms).", ""]


def _md_recovery(n: str, h: dict) -> list[str]:
    if "attacks" not in h:
        return [f"Recovery after attacks at {int(n):,}: {h.get('error') or h.get('skipped') or '?'}", ""]
    out = [f"### After each kind of attack at {int(n):,} fragments ({h['workers']} workers, --timeout "
           f"{h['timeout']:g} s; measured {h.get('measured', '?')})", "",
           "| attack | its answers | then an ordinary query (target ≤ 2 s) |", "|---|---|---|"]
    out += [f"| {kind} | {', '.join(f'{k} ×{v}' for k, v in r['attack_answers'].items())} | "
            f"{r['ordinary_answer']} in {_s(r['ordinary_after_seconds'])} |" for kind, r in h["attacks"].items()]
    return out + ["", f"The server that started still serving at the end: {h['server_alive']}; tracebacks "
                      f"logged: {h['server_tracebacks']}.", ""]


def _md_api(r: dict) -> list[str]:
    out = []
    for n, a in r["api"].items():
        if isinstance(a.get("hostile"), dict):
            out += _md_hostile(n, a["hostile"])
        if isinstance(a.get("recovery"), dict):
            out += _md_recovery(n, a["recovery"])
        out += [f"### API at {int(n):,} fragments (anonymous reader; uvicorn, store read-only){_when(a)}", ""]
        if _problem(a):
            out += [_problem(a), ""]
            continue
        o = a.get("overall") or {}
        out += [f"Server ready in {_s(a['start_seconds'])}; {a['cache']}. *Cold*: each request kind once, one "
                f"client, fresh server. *Steady*: {a['clients']} concurrent clients for {a['seconds']:g} s (the last "
                f"answer came after {a['wall_seconds']:.0f} s): {a['answered']:,} answered ({a['throughput_rps']:.1f}/s; "
                f"status < 500, 4xx refusals included), p50 {_s(o.get('median'))}, p95 {_s(o.get('p95'))}; "
                f"{a['failed']:,} failed (5xx, time-outs). Server tracebacks logged: {a['server_tracebacks']}.", "",
                "| request | cold | cold answer | steady n | p50 | p95 | steady answers other than 200 |",
                "|---|---:|---|---:|---:|---:|---|"]
        for kind, c in a["cold"].items():
            k = a["by_kind"].get(kind, {})
            other = ", ".join(f"{outcome}: {count}" for outcome, count in k.get("outcomes", {}).items()
                              if outcome != "200")
            out.append(f"| {kind} | {_s(c['seconds'])} | {c['outcome']} | {k.get('n', 0)} | {_s(k.get('median'))} | "
                       f"{_s(k.get('p95'))} | {other} |")
        out.append("")
    return out


def _md_queries(n: str, q: dict) -> list[str]:
    pub, conf, rd = q.get("public"), q.get("confidential"), q.get("rdflib")
    out = [f"### Named queries at {int(n):,} fragments", ""]
    for name, e in (("anonymous reader", pub), ("confidential role", conf), ("rdflib", rd)):
        if e and _problem(e):
            out += [f"{name}{_when(e)}: {_problem(e)}", ""]
    base = next((e for e in (pub, conf) if e and "queries" in e), None)
    if not base:
        return out
    s = base.get("samples", {})
    out += [f"Median and p95 of the warm runs (\\* first run only: it took more than half the cut-off); first: "
            f"the first run. Cut-off {_s(base['timeout'])} (rdflib {_s((rd or {}).get('timeout'))}). "
            f"*(…: one)*: the parameter bound to one sample (outcome `{s.get('outcome')}`, actor "
            f"`{(s.get('actor') or '').rsplit('/', 1)[-1]}`, the busiest contributor).", ""]
    for e, name in ((pub, "anonymous reader"), (conf, "confidential role")):
        if e and "queries" in e:
            out.append(f"* {name}{_when(e)}: {e.get('graphs', 0):,} visible graphs listed in "
                       f"{_s(e.get('visible_graphs_seconds'))}; query worker started {e['worker_starts']} time(s).")
    if rd and "triples" in rd:
        out.append(f"* rdflib{_when(rd)}: {rd['triples']:,} triples (the anonymous reader's default graph: "
                   f"{', '.join(g.rsplit('/', 2)[-1] for g in rd['graphs'])}) parsed in {_s(rd['load_seconds'])}, "
                   f"peak RSS {rd['peak_rss_mb']:,.0f} MB.")
    out += ["", "| query | rows | first | median | p95 | confidential role: median | rdflib: rows | rdflib: median "
            "| speed-up vs rdflib |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    labels = list(dict.fromkeys([*(pub or {}).get("queries", {}), *(conf or {}).get("queries", {})]))
    errors: dict[str, list[str]] = {}
    for label in labels:
        e = (pub or {}).get("queries", {}).get(label)
        c = (conf or {}).get("queries", {}).get(label)
        x = (rd or {}).get("queries", {}).get(label)
        if e and "median" in e:
            cols = [str(e["rows"]), _s(e["first"]), _s(e["median"]) + ("\\*" if e["n"] == 0 else ""), _s(e["p95"])]
        else:
            cols = ["–", "–", _status(e), "–"]
        if x and "rows" in x:
            cols += [_status(c) or _s(c["median"]), f"{x['rows']}" + (" ≠" if e and x["rows"] != e.get("rows", x["rows"]) else ""),
                     _s(x["median"])]
        else:
            cols += [_status(c) or _s(c["median"]), "–", _status(x)]
        out.append(f"| {label} | " + " | ".join(cols + [_speedup(e, x)[1]]) + " |")
        if x and "error" in x:
            errors.setdefault(x["error"][:160], []).append(label)
    out += ["", "≠: rdflib returned a different number of rows (check both readings of the query; rdflib's "
            "zero-length `p*` paths are one known cause)."]
    out += [f"rdflib error ({', '.join(labels)}): `{err}`" for err, labels in errors.items()]
    return out + [""]


def _md_explore(r: dict) -> list[str]:
    out = []
    for n, e in r["explore"].items():
        out += [f"### /explore workbench at {int(n):,} fragments (headless Chromium, anonymous reader)", ""]
        if _problem(e):
            out += [_problem(e), ""]
            continue
        out += ["| measure | median | max | target |", "|---|---:|---:|---:|"]
        for k in ("first_picture", "first_picture_wall", "filter_change", "focus_1", "focus_2", "expand_cluster"):
            if k in e:
                out.append(f"| {k.replace('_', ' ')} | {_s(e[k]['median'])} | {_s(e[k]['max'])} | {_s(e[k]['target'])} |")
        out += ["", f"Network build at start-up (once per store generation and scope): {_s(e['build_seconds'])}; "
                f"{e.get('nodes', 0):,} nodes; first view {e.get('first_view')}; requests to other hosts: "
                f"{e['blocked_requests']}. {_stamp(e)}", ""]
    return out


def targets(r: dict) -> list[tuple[str, str, str]]:
    """(target, measured, met / missed / not measured) for each target of issue 7."""
    t = TARGETS
    out = []
    ingest = {int(n): x for n, x in r["ingest"].items() if "seconds" in x}
    big = ingest.get(100000)
    out.append(("100k fragments ingested in ≤ 120 s (issue 14; 60 s long term)", f"{_s(big['seconds'])}" if big else "–",
                _met(big and big["seconds"] <= t["ingest_seconds_100k"], big)))
    out.append(("peak memory ≤ 2 GB (100k ingest)", f"{big['peak_rss_mb']:,.0f} MB" if big else "–",
                _met(big and big["peak_rss_mb"] <= t["peak_rss_mb"], big)))
    floors = {n: x["floor"]["seconds"] / x["seconds"] for n, x in ingest.items() if "seconds" in x.get("floor", {})}
    if floors:
        n = max(floors)
        out.append(("end to end ≥ 50% of the bulk-load floor",
                    ", ".join(f"{k // 1000}k: {v:.0%}" for k, v in sorted(floors.items())),
                    _met(floors[n] >= t["floor_share"], True) + ("" if n == 100000 else f" (at {n // 1000}k)")))
    else:
        out.append(("end to end ≥ 50% of the bulk-load floor", "–", "not measured"))
    measured = {int(n): q["public"] for n, q in r["queries"].items() if "queries" in q.get("public", {})}
    if measured:
        n = max(measured)
        qs = {k: v for k, v in measured[n]["queries"].items() if "median" in v or "timeout" in v}
        unmeasured = len(measured[n]["queries"]) - len(qs)
        slow = sorted(((k, v) for k, v in qs.items() if not _median(v) or v["median"] > t["query_median_s"]),
                      key=lambda kv: -(_median(kv[1]) or float("inf")))
        worst = ", ".join(f"{k} {_status(v) or _s(v['median'])}" for k, v in slow[:3])
        out.append(("every named query ≤ 0.5 s median at 100k (anonymous reader)",
                    f"{len(qs) - len(slow)}/{len(qs)} within at {n // 1000}k" +
                    (f" ({unmeasured} not measured)" if unmeasured else "") + (f"; slowest: {worst}" if slow else ""),
                    _met(not slow and not unmeasured, qs) + ("" if n == 100000 else f" (at {n // 1000}k)")))
    else:
        out.append(("every named query ≤ 0.5 s median at 100k (anonymous reader)", "–", "not measured"))
    both = {int(n): q for n, q in r["queries"].items() if "queries" in q.get("rdflib", {}) and int(n) in measured}
    if both:
        n = max(both)
        pub, rd = both[n]["public"]["queries"], both[n]["rdflib"]["queries"]
        ratios = {k: _speedup(pub.get(k), rd.get(k))[0] for k in pub
                  if ("median" in pub[k] or "timeout" in pub[k]) and ("median" in rd.get(k, {}) or "timeout" in rd.get(k, {}))}
        low = sorted(((k, v) for k, v in ratios.items() if v is None or v < t["rdflib_speedup"]),
                     key=lambda kv: kv[1] or 0)
        odd = len(pub) - len(ratios)
        out.append(("every named query ≥ 10x faster than rdflib",
                    f"{len(ratios) - len(low)}/{len(ratios)} at ≥ 10x at {n // 1000}k" +
                    (f" ({odd} not compared: an error or not measured)" if odd else "") +
                    (f"; lowest: {', '.join(f'{k} {v:.1f}x' if v else f'{k} ?' for k, v in low[:3])}" if low else ""),
                    _met(not low and not odd, ratios)))
    else:
        out.append(("every named query ≥ 10x faster than rdflib", "–", "not measured"))
    api = next((a for a in r["api"].values() if "cold" in a), None)
    if api:
        p95 = (api["overall"] or {}).get("p95")
        out.append((f"API p95 ≤ 100 ms at {api['clients']} clients",
                    f"p95 {_s(p95)} over {api['answered']:,} answers; {api['failed']:,} failed",
                    _met(p95 is not None and p95 <= t["api_p95_s"] and not api["failed"], True)))
    else:
        out.append(("API p95 ≤ 100 ms at 32 clients", "–", "not measured"))
    views = [v for v in r["views"].values() if "nodes" in v]
    if views:
        v = min(views, key=lambda v: abs(v["nodes"] - t["view_nodes"]))
        out.append(("network view of 5k nodes ≤ 2 s", f"{v['nodes']:,} nodes: {_s(v['total_seconds'])} "
                    f"(HTML {_s(v['render_seconds'])})", _met(v["total_seconds"] <= t["view_s"], True)))
    else:
        out.append(("network view of 5k nodes ≤ 2 s", "–", "not measured"))
    ex = next((e for e in r.get("explore", {}).values() if "first_picture" in e), None)
    if ex:
        out.append(("/explore first picture ≤ 2 s", f"median {_s(ex['first_picture']['median'])}",
                    _met(ex["first_picture"]["median"] <= 2.0, True)))
        changes = [ex[k]["median"] for k in ("filter_change", "focus_1", "focus_2") if k in ex]
        out.append(("/explore filter or focus change ≤ 300 ms", "medians " + ", ".join(_s(c) for c in changes),
                    _met(changes and max(changes) <= 0.3, True)))
    else:
        out.append(("/explore first picture ≤ 2 s, change ≤ 300 ms", "–", "not measured"))
    return out


def _met(ok, measured) -> str:
    if not measured:
        return "not measured"
    return "met" if ok else "**missed**"


# Issue 14's table: what it measured before (fresh clone, 2-core machine), beside what this run measured.
ISSUE14_BEFORE = {"ingest": "10k: 54 s, peak 1.9 GB (184 fragments/s)", "again": "10k: 48 s, peak 3.4 GB",
                  "add": "to 10k: 14.9 s", "big": "988 s, 4.1 GB", "quads": "about 515",
                  "view": "10k: 7.9 s, 600 MB"}


def _md_issue14(r: dict) -> list[str]:
    ingest = {int(n): x for n, x in r["ingest"].items() if "seconds" in x}
    views = {int(n): v for n, v in r["views"].items() if "total_seconds" in v}
    n = max((k for k in ingest if k < 100000), default=None)
    x = ingest.get(n, {})

    def run(a: dict | None) -> str:
        if not a or "seconds" not in a:
            return "not measured"
        return f"{_s(a['seconds'])} (CPU {_s(a['cpu_seconds'])}), peak {a['peak_rss_mb']:,.0f} MB"

    big = ingest.get(100000)
    f = x.get("floor", {})
    size = f"{n:,}" if n else "10,000"  # (the issue's size when this run measured none below 100k)
    rows = [(f"ingest {size} fragments", ISSUE14_BEFORE["ingest"],
             run(x) + (f" ({n / x['seconds']:,.0f} fragments/s)" if x else "")),
            (f"re-ingest the same {size} files (nothing changed)", ISSUE14_BEFORE["again"], run(x.get("again"))),
            (f"add {ADD} fragments to that store", ISSUE14_BEFORE["add"],
             run(x.get("add")) if x.get("add") or not (big or {}).get("add") else f"to 100k: {run(big['add'])}"),
            (f"the same {ADD}, saved into a folder `harvestgraph watch` watches", "–",
             (lambda w: f"{_s(w['add']['seconds'])} from the save to the store (watcher started once in "
                        f"{_s(w['start_seconds'])})" if w and "add" in w else "not measured")(x.get("watch"))),
            ("ingest 100,000", ISSUE14_BEFORE["big"], run(big)),
            ("quads stored per fragment (union graphs and static graphs included)", ISSUE14_BEFORE["quads"],
             next((f"{q['quads'] / k:,.0f} at {k:,}" for k, q in ((n, f), (100000, (big or {}).get("floor", {})))
                   if k and "quads" in q), "not measured")),
            ("network view", ISSUE14_BEFORE["view"],
             "; ".join(f"{k:,}: {_s(v['total_seconds'])}, {v['peak_rss_mb']:,.0f} MB" for k, v in sorted(views.items()))
             or "not measured")]
    return ["### Issue 14: before and now", "", "| what | before (issue 14) | now |", "|---|---|---|",
            *(f"| {a} | {b} | {c} |" for a, b, c in rows), ""]


def markdown(r: dict) -> str:
    m = r["machine"]
    out = [f"Updated {r.get('updated', '')[:16].replace('T', ' ')} UTC on {m['cpus']} CPUs, Python {m['python']}.",
           "", *_md_issue14(r)]
    if r.get("map"):
        out += _md_map(r)
    if r["ingest"]:
        out += _md_ingest(r)
    if r["views"]:
        out += _md_views(r)
    if r["api"]:
        out += _md_api(r)
    if r.get("explore"):
        out += _md_explore(r)
    for n, q in sorted(r["queries"].items(), key=lambda kv: int(kv[0])):
        out += _md_queries(n, q)
    out += ["### Targets", "", "| target | measured | status |", "|---|---|---|"]
    out += [f"| {a} | {b} | {c} |" for a, b, c in targets(r)]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="the quick set of defaults (see the module docstring)")
    ap.add_argument("--only", default="", help="sections: " + ",".join(SECTIONS) + " (optional: "
                    + ",".join(OPTIONAL) + ")")
    ap.add_argument("--engines-size", type=int, default=10000, help="fragments for the engines item")
    ap.add_argument("--sizes", help="fragment counts to ingest")
    ap.add_argument("--map-sizes", help="fragment counts to time the map stage alone on (per fragment, by half)")
    ap.add_argument("--query-sizes", help="fragment counts to run the named queries on")
    ap.add_argument("--view-sizes", help="fragment counts to draw the network view of (~1k and ~5k nodes)")
    ap.add_argument("--api-size", type=int)
    ap.add_argument("--explore-size", type=int, help="store of the /explore benchmark")
    ap.add_argument("--scopes", help="reader scopes for the named queries: public,confidential")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds before a query's first run is cut off "
                    "(the API's own query time-out)")
    ap.add_argument("--rdflib-timeout", type=float, default=10.0, help="the same for rdflib")
    ap.add_argument("--reps", type=int, help="warm repetitions of a query, at most")
    ap.add_argument("--budget", type=float, help="seconds of warm repetitions per query, at most")
    ap.add_argument("--rdflib-max", type=int, help="largest size also run on rdflib")
    ap.add_argument("--api-seconds", type=float, help="duration of the concurrent API load")
    ap.add_argument("--workers", type=int, default=4, help="query worker processes of the hostile-load server")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--max-minutes", type=float, help="no item starts after this many minutes")
    ap.add_argument("--out", help="results file name under benchmarks/results, no extension (latest; quick)")
    args = ap.parse_args(argv)
    for key, (full, quick) in DEFAULTS.items():
        if getattr(args, key) is None:
            setattr(args, key, quick if args.quick else full)
    # Children run in their own process groups (so that a cut-off kills what they started): on SIGTERM,
    # unwind like Ctrl-C so that each running child's group is killed on the way out.
    signal.signal(signal.SIGTERM, _terminate)
    results = run(args)
    print(results.md.read_text())
    return 0


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    raise SystemExit(main())
