"""One corpus, three engines, one run: the ingest and the named queries (anonymous reader) on the embedded
store, on an Oxigraph server (``oxigraph serve``) and on OpenLink Virtuoso (``virtuoso-t``), each server a
fresh process on a free 127.0.0.1 port with a throw-away database, stopped at the end.

    python -m benchmarks.bench_engines [--size 10000] [--reps 3] [--timeout 60] [--engines embedded,oxigraph,virtuoso]
    python -m benchmarks.run --only engines   # the same, as an optional item of the benchmark run

Prints a table and writes benchmarks/results/engines.{json,md}. Per query: the median of ``--reps`` runs
after one warm-up, the reader's graph list fetched once before (as the app does: it caches it). The servers
get their default settings except Virtuoso's buffers (NumberOfBuffers 170000 = 1.3 GB, the size its
virtuoso.ini recommends for 2 GB of free memory... of a shared machine: see the figures' notes).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, corpus  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))  # the real-server helpers the tests use

RESULTS = ROOT / "benchmarks" / "results"
ENGINES = ("embedded", "oxigraph", "virtuoso")


def _open(engine: str, tmp: Path):
    """(store, stop function) for a fresh, empty store of ``engine``."""
    if engine == "embedded":
        from harvestgraph.store import EmbeddedStore

        st = EmbeddedStore(tmp / "embedded")
        return st, st.close
    if engine == "oxigraph":
        from harvestgraph.remote import RemoteStore
        from remote_server import start_oxigraph, stop

        proc, base = start_oxigraph(tmp / "oxigraph")
        st = RemoteStore(base, timeout=600)
        return st, lambda: (st.close(), stop(proc))
    from virtuoso_server import DBA, start_virtuoso, stop_virtuoso
    from harvestgraph.stores.virtuoso import VirtuosoStore

    srv = start_virtuoso(tmp / "virtuoso", buffers=170_000)
    st = VirtuosoStore(srv.url, auth=DBA, timeout=600)
    return st, lambda: (st.close(), stop_virtuoso(srv))


def bench(engine: str, data: Path, reps: int, timeout: float) -> dict:
    from harvestgraph import queries
    from harvestgraph.config import make_resolver
    from harvestgraph.ingest import ingest

    out: dict = {"engine": engine}
    with tempfile.TemporaryDirectory(prefix=f"bench-{engine}-") as tmp:
        t0 = time.perf_counter()
        store, stop = _open(engine, Path(tmp))
        out["start_seconds"] = round(time.perf_counter() - t0, 2)
        try:
            t0 = time.perf_counter()
            report = ingest([data], store, make_resolver(ROOT / "examples" / "actors.yaml"))
            out["ingest_seconds"] = round(time.perf_counter() - t0, 2)
            out["fragments"], out["quads"] = report.fragments, report.quads_written
            t0 = time.perf_counter()
            graphs = store.visible_graphs(confidential=False)
            out["visible_graphs_seconds"] = round(time.perf_counter() - t0, 3)
            out["queries"] = {}
            for name in sorted(queries.library()):
                text = queries.bind(queries.get(name), {})
                times, rows, error = [], None, None
                for i in range(reps + 1):
                    t0 = time.perf_counter()
                    try:
                        rows = len(store.select(text, graphs=graphs))
                    except Exception as exc:  # noqa: BLE001 - a figure per query, the run goes on
                        error = str(exc)[:200]
                        break
                    dt = time.perf_counter() - t0
                    if i:
                        times.append(dt)
                    if dt > timeout:
                        break
                out["queries"][name] = ({"error": error} if error else
                                        {"median_s": round(statistics.median(times or [dt]), 4), "rows": rows})
                print(f"  {engine:9} {name:40} {out['queries'][name]}", file=sys.stderr, flush=True)
        finally:
            stop()
    return out


def markdown(results: list[dict], size: int, note: str) -> str:
    names = sorted({q for r in results for q in r.get("queries", {})})
    engines = [r["engine"] for r in results]
    lines = [f"### Engines at {size:,} fragments ({note})", "",
             "| | " + " | ".join(engines) + " |", "|---|" + "---:|" * len(engines)]
    lines.append("| ingest (s) | " + " | ".join(str(r.get("ingest_seconds", r.get("error", "-"))) for r in results) + " |")
    lines.append("| quads written | " + " | ".join(f"{r.get('quads', 0):,}" for r in results) + " |")
    lines.append("| reader's graph list (s) | " + " | ".join(str(r.get("visible_graphs_seconds", "-"))
                                                         for r in results) + " |")
    for n in names:
        cells = []
        for r in results:
            q = r.get("queries", {}).get(n, {})
            cells.append(f"{q['median_s']:.3f} ({q['rows']})" if "median_s" in q else ("error" if q else "-"))
        lines.append(f"| {n} (s, rows) | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=10000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--note", default="anonymous reader; median of the runs after a warm-up")
    ap.add_argument("--out", default="engines")
    args = ap.parse_args(argv)
    data = corpus(args.size)
    results = []
    for engine in args.engines.split(","):
        print(f"[{time.strftime('%H:%M:%S')}] {engine}: ingest {args.size:,} fragments", file=sys.stderr, flush=True)
        try:
            results.append(bench(engine, data, args.reps, args.timeout))
        except Exception as exc:  # noqa: BLE001 - record and go on with the next engine
            results.append({"engine": engine, "error": str(exc)[:300]})
        RESULTS.mkdir(parents=True, exist_ok=True)
        doc = {"size": args.size, "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "results": results}
        (RESULTS / f"{args.out}.json").write_text(json.dumps(doc, indent=1))
        (RESULTS / f"{args.out}.md").write_text(markdown(results, args.size, args.note))
    print(markdown(results, args.size, args.note))
    return doc


if __name__ == "__main__":
    main()
