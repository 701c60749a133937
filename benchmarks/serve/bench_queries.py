"""Named-query benchmark: every ``queries/*.rq`` on the embedded store, per reader scope, and on plain
rdflib in memory holding the same data.

    python -m benchmarks.serve.bench_queries cases STORE                  # what to run (JSON)
    python -m benchmarks.serve.bench_queries worker STORE SCOPE           # serves run_embedded()
    python -m benchmarks.serve.bench_queries rdflib STORE CASES REPS TIMEOUT BUDGET DEADLINE

*Cases*: each named query with its default parameters (an unfiltered listing, what a first click in
the UI runs) and, for each parameter naming one outcome, fragment or actor, the same query bound to one
sample from the public data (the lookup those queries are meant for): the public outcome with the
smallest identifier, and the non-programme contributor with the most contributions (a worst case).

*Measurement* of a case: the first run (in a process that has run other queries, so the store's caches
are warm but this query's work is not), then warm repetitions (up to REPS, at most BUDGET seconds, at
least one) unless the first run took more than half the cut-off. Reported: rows, first, median and p95 of
the warm runs (the first run when there was none, ``n`` = 0).

*Scopes*: ``public`` is the anonymous reader (``graphs=store.visible_graphs(confidential=False)``, the
API's path), ``confidential`` a reader with the confidential role. Each scope runs in one worker process
that opens the store read-only and computes the visible graphs once; a query that passes the cut-off
cannot be interrupted inside Oxigraph, so its worker is killed and a fresh one takes the next query.

*rdflib*: the anonymous reader's default graph (``visible_graphs(...).default``: the public union graph,
the ontology and the concept schemes), dumped as N-Triples (not timed) and parsed into one plain
in-memory ``rdflib.Graph`` (timed: ``load_seconds``); same cases, same measurement; its pure-Python
evaluation is interrupted by SIGALRM at the cut-off.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

from benchmarks.common import (ROOT, WORK, ChildError, Timer, child_command, child_env, emit, kill_group,
                               peak_rss_mb, summary)

SAMPLED_TYPES = ("outcome", "fragment", "actor")  # parameter types that name one thing: sampled
READY_TIMEOUT = 600.0  # a worker opening the store and listing its graphs (seconds; ~15 s at 100k)
SAMPLE_OUTCOME = "SELECT ?id WHERE { ?o a hg:Outcome ; dcterms:identifier ?id } ORDER BY ?id LIMIT 1"
SAMPLE_ACTOR = """SELECT ?actor (COUNT(DISTINCT ?c) AS ?n) WHERE {
  ?c a hg:Contribution ; prov:agent ?actor ; hg:isProgrammeContribution false
} GROUP BY ?actor ORDER BY DESC(?n) ?actor LIMIT 1"""


# --------------------------------------------------------------------------- what to run


def cases(store: str) -> dict:
    """Case label → ``{"query": name, "params": {name: value}}``, and the samples used."""
    from harvestgraph import queries
    from harvestgraph.store import EmbeddedStore
    from harvestgraph.vocab import SPARQL_PREFIXES

    st = EmbeddedStore(store, read_only=True)
    graphs = st.visible_graphs(confidential=False)

    def first(sparql: str, var: str) -> str | None:
        rows = st.select(SPARQL_PREFIXES + sparql, graphs=graphs)
        return rows[0][var].value if rows else None

    outcome = first(SAMPLE_OUTCOME, "id")
    samples = {"outcome": outcome, "fragment": outcome, "actor": first(SAMPLE_ACTOR, "actor")}
    out: dict[str, dict] = {}
    for name, q in queries.library().items():
        out[name] = {"query": name, "params": {}}
        for p in q.params:
            if p.type in SAMPLED_TYPES and samples[p.type]:
                out[f"{name} ({p.name}: one)"] = {"query": name, "params": {p.name: samples[p.type]}}
    return {"cases": out, "samples": samples}


def bound(case: dict) -> str:
    """The SPARQL text of a case (parameters bound as the API binds them)."""
    from harvestgraph import queries

    return queries.bind(queries.get(case["query"]), case["params"])


# --------------------------------------------------------------------------- measuring


def measure(run: Callable[[], int], out: dict, *, reps: int, budget: float, timeout: float,
            first_done: Callable[[], None] = lambda: None) -> None:
    """Fill ``out`` with ``rows``, ``first`` and the warm ``times`` (see the module docstring).
    ``out`` is filled as the runs finish, so a caller whose run was interrupted keeps what was measured."""
    with Timer() as t:
        out["rows"] = run()
    out["first"] = t.seconds
    first_done()
    times = out["times"] = []
    if t.seconds > timeout / 2:
        return
    spent = 0.0
    while len(times) < reps and (not times or spent < budget):
        with Timer() as w:
            run()
        times.append(w.seconds)
        spent += w.seconds


def figures(first: float, rows: int, times: list[float]) -> dict:
    """One case's figures: the warm runs' median and p95, or the first run's when there was none."""
    warm = summary(times) if times else {"median": first, "p95": first, "n": 0}
    return {"rows": rows, "first": first, **warm}


def consume(result) -> int:
    """Iterate a SELECT result to the end, converting every row to Python terms as a client would.
    Called in the thread that ran the query: a pyoxigraph result must not be dropped on another."""
    n = 0
    for row in result:
        tuple(row)
        n += 1
    return n


# --------------------------------------------------------------------------- embedded: workers


def worker(store: str, scope: str) -> None:
    """Serve measurement jobs (JSON lines on stdin) for one reader scope, each answered by two JSON lines
    on stdout: the first run, then the warm runs (or an error). Everything happens on this one thread."""
    from harvestgraph.store import EmbeddedStore

    st = EmbeddedStore(store, read_only=True)
    with Timer() as t:
        graphs = st.visible_graphs(confidential=scope == "confidential")
    emit({"ready": True, "graphs": len(graphs), "visible_graphs_seconds": t.seconds})
    for line in sys.stdin:
        job = json.loads(line)
        out: dict = {}
        try:
            sparql = bound(job["case"])
            measure(lambda: consume(st.query(sparql, graphs=graphs)), out, reps=job["reps"],
                    budget=job["budget"], timeout=job["timeout"],
                    first_done=lambda: emit({"first": out["first"], "rows": out["rows"]}))
            emit({"times": out["times"]})
        except Exception as exc:  # a query the store rejects is a result too
            emit({"error": f"{type(exc).__name__}: {exc}"[:300]})


class _Worker:
    """A running :func:`worker` process; its stdout lines are read by a thread into a queue (strings only)
    so that the parent can wait for an answer with a time limit."""

    def __init__(self, store: str, scope: str):
        self.errors = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(child_command("benchmarks.serve.bench_queries", "worker", store, scope), cwd=ROOT,
                                     env=child_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.errors, text=True, start_new_session=True)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        try:
            self.ready = self.read(READY_TIMEOUT)
        except TimeoutError:
            self.close()
            raise ChildError(f"the query worker did not open the store within {READY_TIMEOUT:.0f} s") from None
        except ChildError:
            self.close()
            raise

    def _pump(self) -> None:
        for line in self.proc.stdout:
            if line.startswith("{"):
                self.lines.put(json.loads(line))
        self.lines.put(None)

    def read(self, timeout: float) -> dict:
        """The worker's next answer; ``TimeoutError`` when it takes longer, ChildError when it died."""
        try:
            msg = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError from None
        if msg is None:
            self.proc.wait()
            self.errors.seek(0)
            raise ChildError(f"query worker exited ({self.proc.returncode}): {self.errors.read()[-2000:]}")
        return msg

    def send(self, job: dict) -> None:
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()

    def close(self) -> None:
        kill_group(self.proc)
        self.errors.close()


class _CutOff(Exception):
    """A case passed its cut-off; ``partial`` holds what was measured before (the worker must go)."""

    def __init__(self, partial: dict):
        super().__init__()
        self.partial = partial


def _case(w: _Worker, case: dict, *, reps: int, timeout: float, budget: float) -> dict:
    """Measure one case on a worker: the first run within ``timeout``, the warm runs within
    ``budget + timeout`` (each of them takes at most ~timeout/2, see :func:`measure`)."""
    w.send({"case": case, "reps": reps, "budget": budget, "timeout": timeout})
    try:
        first = w.read(timeout)
    except TimeoutError:
        raise _CutOff({"timeout": timeout}) from None
    if "error" in first:
        return first
    try:
        warm = w.read(budget + timeout)
    except TimeoutError:
        raise _CutOff({**figures(first["first"], first["rows"], []), "note": "warm runs cut off"}) from None
    return warm if "error" in warm else figures(first["first"], first["rows"], warm["times"])


def run_embedded(store: str, scope: str, todo: dict[str, dict], *, reps: int, timeout: float, budget: float,
                 deadline: float, log: Callable[[str], None]) -> dict:
    """Measure every case in one scope; a case is cut off after ``timeout`` seconds (first run) and is
    skipped once ``deadline`` (time.monotonic()) has passed. Runs in the benchmark's own process."""
    out: dict = {"scope": scope, "queries": {}, "worker_starts": 0}
    w: _Worker | None = None
    try:
        for label, case in todo.items():
            if time.monotonic() > deadline:
                out["queries"][label] = {"skipped": "the run's time budget (--max-minutes) was used up"}
                continue
            if w is None:
                w = _Worker(store, scope)
                out["worker_starts"] += 1
                out.setdefault("graphs", w.ready["graphs"])
                out.setdefault("visible_graphs_seconds", w.ready["visible_graphs_seconds"])
            try:
                res = _case(w, case, reps=reps, timeout=timeout, budget=budget)
            except (_CutOff, ChildError) as exc:
                res = exc.partial if isinstance(exc, _CutOff) else {"error": str(exc)[-500:]}
                w.close()
                w = None
            out["queries"][label] = res
            log(f"  {scope} {label}: {_brief(res)}")
    finally:
        if w is not None:
            w.close()
    return out


def _brief(res: dict) -> str:
    if "median" in res:
        return f"{res['rows']} rows, first {res['first']:.3f} s, median {res['median']:.3f} s (n={res['n']})"
    return json.dumps(res)[:200]


# --------------------------------------------------------------------------- rdflib


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def rdflib_run(store: str, cases_file: str, reps: str, timeout: str, budget: str, deadline: str) -> dict:
    """The same cases on a plain in-memory rdflib Graph of the anonymous reader's data. ``deadline``:
    wall-clock time (epoch seconds) after which the remaining cases are skipped."""
    import pyoxigraph as ox
    import rdflib

    from harvestgraph.store import EmbeddedStore

    todo = json.loads(Path(cases_file).read_text())
    st = EmbeddedStore(store, read_only=True)
    default = st.visible_graphs(confidential=False).default
    WORK.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=WORK, suffix=".nt") as nt:
        for g in default:
            st.raw.dump(nt, ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(g))
        nt.flush()
        del st
        graph = rdflib.Graph()
        with Timer() as load:
            graph.parse(nt.name, format="nt")
    out: dict = {"graphs": default, "load_seconds": load.seconds, "triples": len(graph),
                 "load_peak_rss_mb": peak_rss_mb(), "queries": {}}
    print(f"rdflib: {out['triples']} triples loaded in {load.seconds:.1f} s", file=sys.stderr, flush=True)
    signal.signal(signal.SIGALRM, _alarm)
    limit = float(timeout)

    def run(sparql: str) -> int:
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            return consume(graph.query(sparql))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    for label, case in todo.items():
        if time.time() > float(deadline):
            out["queries"][label] = {"skipped": "the run's time budget (--max-minutes) was used up"}
            continue
        m: dict = {}
        try:
            sparql = bound(case)
            measure(lambda: run(sparql), m, reps=int(reps), budget=float(budget), timeout=limit)
            res = figures(m["first"], m["rows"], m["times"])
        except _Timeout:
            res = {"timeout": limit} if "first" not in m else \
                {**figures(m["first"], m["rows"], m.get("times", [])), "note": "warm runs cut off"}
        except Exception as exc:  # an rdflib limitation is a result too
            res = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        out["queries"][label] = res
        print(f"rdflib {label}: {_brief(res)}", file=sys.stderr, flush=True)
    out["peak_rss_mb"] = peak_rss_mb()
    return out


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    if mode == "worker":
        worker(*rest)
    else:
        emit({"cases": cases, "rdflib": rdflib_run}[mode](*rest))
    sys.stdout.flush()
    os._exit(0)  # skip tearing down the store and rdflib's millions of objects: the figures are out
