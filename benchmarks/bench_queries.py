"""Named-query benchmark (child processes): every ``queries/*.rq`` with its default parameters, on the
embedded store and on plain rdflib in memory (a ``Dataset`` whose default graph is the union, as the
embedded store's is) loaded from the same quads.

    python -m benchmarks.bench_queries embedded STORE REPS
    python -m benchmarks.bench_queries rdflib NQUADS REPS TIMEOUT

Each query runs once to warm up, then REPS times; rdflib queries are cut off after TIMEOUT seconds
(SIGALRM interrupts rdflib's pure-Python evaluation) and reported as ``timeout``.
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
    rows = run()  # warm-up (and the row count)
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


def embedded(store: str, reps: str) -> dict:
    """Timings with every graph visible (confidential reader) and with only the public graphs
    (anonymous reader: the default graph is the union of the ~92% public fragment graphs)."""
    from harvestgraph.store import EmbeddedStore

    st = EmbeddedStore(store, read_only=True)
    with Timer() as t:
        public = st.visible_graphs(confidential=False)
    out: dict = {"visible_graphs_seconds": t.seconds, "public_graphs": len(public), "queries": {}}
    for name, sparql in named_queries().items():
        res = {}
        for scope, graphs in (("all", None), ("public", public)):
            times, rows = _repeat(lambda: len(list(st.query(sparql, graphs=graphs))), int(reps))
            res[scope] = {**summary(times), "rows": rows}
        out["queries"][name] = res
    out["peak_rss_mb"] = peak_rss_mb()
    return out


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
    emit(embedded(*rest) if mode == "embedded" else rdflib_run(*rest))
