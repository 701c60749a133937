"""Named-query benchmark (child processes): every ``queries/*.rq`` with its default parameters, on the
embedded store and on plain rdflib in memory (a ``Dataset`` whose default graph is the union, as the
embedded store's is) loaded from the same quads.

    python -m benchmarks.bench_queries embedded STORE REPS TIMEOUT
    python -m benchmarks.bench_queries rdflib NQUADS REPS TIMEOUT

Each query runs once to warm up, then REPS times (a query slower than a second is measured once).
A query that needs more than TIMEOUT seconds is reported as ``timeout``: rdflib's pure-Python
evaluation is interrupted by SIGALRM; an Oxigraph query cannot be, so each embedded query runs in
its own child process that is killed at the deadline.
"""

from __future__ import annotations

import signal
import sys
import time

from benchmarks.common import Timer, emit, peak_rss_mb, summary

BUDGET_PER_QUERY = 20.0  # stop repeating a query once this much time went into it


def named_queries() -> dict[str, str]:
    """Every named query bound to its default parameters (what a first click in the UI runs)."""
    from harvestgraph import queries

    return {name: queries.bind(q, {}) for name, q in queries.library().items()}


def _repeat(run, reps: int) -> tuple[list[float], int]:
    with Timer() as first:
        rows = run()  # warm-up (and the row count)
    if first.seconds > 1.0:
        return [first.seconds], rows
    times: list[float] = []
    spent = 0.0
    for _ in range(reps):
        with Timer() as t:
            run()
        times.append(t.seconds)
        spent += t.seconds
        if spent > BUDGET_PER_QUERY:
            break
    return times, rows


def embedded(store: str, reps: str, timeout: str) -> dict:
    """Timings with every graph visible (confidential reader) and with only the public graphs
    (anonymous reader: the default graph is the union of the public fragment graphs)."""
    import subprocess

    from benchmarks.common import run_child
    from harvestgraph.store import EmbeddedStore

    st = EmbeddedStore(store, read_only=True)
    with Timer() as t:
        public = st.visible_graphs(confidential=False)
    del st
    out: dict = {"visible_graphs_seconds": t.seconds, "public_graphs": len(public), "queries": {}}
    for name in named_queries():
        out["queries"][name] = res = {}
        for scope in ("all", "public"):
            cut = float(timeout) + 15  # + opening the store and listing the public graphs
            try:
                res[scope] = run_child("benchmarks.bench_queries", "one", store, name, scope, reps, timeout=cut)
            except subprocess.TimeoutExpired:
                res[scope] = {"timeout": cut}
            print(f"embedded {name} {scope}: {res[scope]}", file=sys.stderr, flush=True)
    return out


def one(store: str, name: str, scope: str, reps: str) -> dict:
    """One named query on the embedded store (child of :func:`embedded`)."""
    from harvestgraph.store import EmbeddedStore

    st = EmbeddedStore(store, read_only=True)
    graphs = st.visible_graphs(confidential=False) if scope == "public" else None
    sparql = named_queries()[name]
    times, rows = _repeat(lambda: len(list(st.query(sparql, graphs=graphs))), int(reps))
    return {**summary(times), "rows": rows}


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def rdflib_run(nquads: str, reps: str, timeout: str) -> dict:
    import rdflib

    with Timer() as load:
        ds = rdflib.Dataset(default_union=True)
        ds.parse(nquads, format="nquads")
    out: dict = {"load_seconds": load.seconds, "quads": len(ds), "queries": {}}
    signal.signal(signal.SIGALRM, _alarm)
    limit = float(timeout)
    for name, sparql in named_queries().items():
        def run():
            signal.setitimer(signal.ITIMER_REAL, limit)
            try:
                return len(list(ds.query(sparql)))
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        try:
            times, rows = _repeat(run, min(int(reps), 3))
            out["queries"][name] = {**summary(times), "rows": rows}
        except _Timeout:
            out["queries"][name] = {"timeout": limit}
        except Exception as exc:  # an rdflib limitation is a result too
            out["queries"][name] = {"error": f"{type(exc).__name__}: {exc}"[:200]}
        print(f"rdflib {name}: {out['queries'][name]}", file=sys.stderr, flush=True)
    out["peak_rss_mb"] = peak_rss_mb()
    return out


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    emit({"embedded": embedded, "one": one, "rdflib": rdflib_run}[mode](*rest))
