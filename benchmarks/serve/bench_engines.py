"""One corpus, three engines, one run: the ingest and the named queries (anonymous reader) on the embedded
store, on an Oxigraph server (``oxigraph serve``) and on OpenLink Virtuoso (``virtuoso-t``), each server a
fresh process on a free 127.0.0.1 port with a throw-away database, stopped at the end.

    python -m benchmarks.serve.bench_engines [--size 10000] [--reps 3] [--timeout 60] [--engines embedded,oxigraph,virtuoso]
    python -m benchmarks.serve.bench_engines --keep out/engines-10k --ingest-only   # ingest, keep the databases
    python -m benchmarks.serve.bench_engines --keep out/engines-10k                 # then the queries on them
    python -m benchmarks.run --only engines   # the same, as an optional item of the benchmark run
    python -m benchmarks.serve.bench_engines --replay --engines virtuoso,oxigraph,embedded
        # a real ingest into the first engine only; the others get the same store writes (one extraction)

Prints a table and writes benchmarks/results/engines.{json,md}: per engine the ingest's wall time, the part
spent inside the store's writes (wall and client CPU), the client's and the server process's CPU seconds,
and the 1-minute load average beside each wall figure. Per query: the median of ``--reps`` runs
after one warm-up, the reader's graph list fetched once before (as the app does: it caches it). The servers
get their default settings except Virtuoso's buffers (NumberOfBuffers 170000 = 1.3 GB, the size its
virtuoso.ini recommends for 2 GB of free memory... of a shared machine: see the figures' notes).

``--keep DIR`` puts the databases in ``DIR/<engine>`` and keeps them; an engine whose folder holds a
finished ingest (``ingest.json``) is not ingested again: its ingest figures are those of that run, marked
``ingest_reused``. So a 10k ingest (tens of minutes per server) is paid once while queries change.
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
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.common import ROOT, corpus  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))  # the real-server helpers the tests use

RESULTS = ROOT / "benchmarks" / "results"
ENGINES = ("embedded", "oxigraph", "virtuoso")


def _open(engine: str, tmp: Path):
    """(store, stop function, server process id or None) for the store of ``engine`` in ``tmp`` (fresh and
    empty, or kept)."""
    if engine == "embedded":
        from harvestgraph.store import EmbeddedStore

        st = EmbeddedStore(tmp / "embedded")
        return st, st.close, None
    if engine == "oxigraph":
        from harvestgraph.store.remote import RemoteStore
        from remote_server import start_oxigraph, stop

        proc, base = start_oxigraph(tmp / "oxigraph")
        st = RemoteStore(base, timeout=600)
        return st, lambda: (st.close(), stop(proc)), proc.pid
    from virtuoso_server import DBA, start_virtuoso, stop_virtuoso
    from harvestgraph.store.virtuoso import VirtuosoStore

    srv = start_virtuoso(tmp / "virtuoso", buffers=170_000)
    st = VirtuosoStore(srv.url, auth=DBA, timeout=600)
    return st, lambda: (st.close(), stop_virtuoso(srv)), srv.proc.pid


def _server_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) a server process has used so far (0 for the embedded store)."""
    if pid is None:
        return 0.0
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _client_cpu() -> float:
    """CPU seconds of this process and its finished children (the ingest's mapping workers)."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class _Timed:
    """Wall and client CPU seconds spent inside the store's write calls (``write``, ``rebuild``): the store's
    share of an ingest. The embedded store's big batches stream: ``rebuild`` consumes the mapping as it
    loads, so there the share includes the extraction and is not separable (marked so)."""

    def __init__(self, store):
        self.wall = self.cpu = 0.0
        self.streamed = False
        self._depth = 0  # the embedded store's write calls rebuild: count the outer call only
        for name in ("write", "rebuild"):
            if hasattr(store, name):
                setattr(store, name, self._wrap(getattr(store, name), name))

    def _wrap(self, fn, name):
        def timed(*a, **kw):
            if name == "rebuild" and kw.get("nquads") is not None:
                self.streamed = True
            t0, c0 = time.perf_counter(), _client_cpu()
            self._depth += 1
            try:
                return fn(*a, **kw)
            finally:
                self._depth -= 1
                if not self._depth:
                    self.wall += time.perf_counter() - t0
                    self.cpu += _client_cpu() - c0
        return timed


def bench(engine: str, data: Path, reps: int, timeout: float, keep: Path | None = None,
          ingest_only: bool = False, replay: list | None = None) -> dict:
    """``replay``: None for a real ingest; an empty list to record the ingest's store writes into; a filled
    list to write those (the same ``write`` calls, the same mapped quads) instead of ingesting."""
    from harvestgraph import queries
    from harvestgraph.config import make_resolver
    from harvestgraph.ingest import ingest

    out: dict = {"engine": engine}
    with tempfile.TemporaryDirectory(prefix=f"bench-{engine}-") as tmp:
        folder = (keep.resolve() / engine) if keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        done = folder / "ingest.json"
        t0 = time.perf_counter()
        store, stop, pid = _open(engine, folder)
        out["start_seconds"] = round(time.perf_counter() - t0, 2)
        try:
            if done.exists():
                out.update(json.loads(done.read_text()), ingest_reused=True)
            else:
                if replay == []:  # record the batch this ingest writes (the later engines write the same)
                    real_write = store.write
                    store.write = lambda drop, quads, remove=(): (replay.append((list(drop), list(quads), list(remove))),
                                                                 real_write(drop, quads, remove=remove))[1]
                timed = _Timed(store)
                t0, c0, s0, l0 = time.perf_counter(), _client_cpu(), _server_cpu(pid), _load()
                if replay:
                    for drop, quads, remove in replay:
                        store.write(drop, quads, remove=remove)
                    report = type("Replayed", (), {"fragments": len({q.graph_name for _, qs, _ in replay for q in qs}),
                                                   "quads_written": sum(len(qs) for _, qs, _ in replay)})()
                    out["replayed"] = True
                else:
                    report = ingest([data], store, make_resolver(ROOT / "examples" / "actors.yaml"))
                out["ingest_seconds"] = round(time.perf_counter() - t0, 2)
                out["ingest_client_cpu_seconds"] = round(_client_cpu() - c0, 1)
                out["ingest_server_cpu_seconds"] = round(_server_cpu(pid) - s0, 1)
                out["store_write_seconds"] = round(timed.wall, 2)
                out["store_write_client_cpu_seconds"] = round(timed.cpu, 1)
                out["store_write_streamed"] = timed.streamed or (type(store).__name__ == "EmbeddedStore" and not replay)
                out["ingest_load"] = f"{l0} -> {_load()}"
                out["fragments"], out["quads"] = report.fragments, report.quads_written
                if keep:
                    done.write_text(json.dumps({k: out[k] for k in (
                        "ingest_seconds", "ingest_client_cpu_seconds", "ingest_server_cpu_seconds",
                        "store_write_seconds", "store_write_client_cpu_seconds", "store_write_streamed",
                        "ingest_load", "fragments", "quads")}))
            if ingest_only:
                return out
            t0 = time.perf_counter()
            graphs = store.visible_graphs(confidential=False)
            out["visible_graphs_seconds"] = round(time.perf_counter() - t0, 3)
            out["queries"] = {}
            out["queries_load"] = _load()
            s0 = _server_cpu(pid)
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
            out["queries_load"] += f" -> {_load()}"
            out["queries_server_cpu_seconds"] = round(_server_cpu(pid) - s0, 1)
        finally:
            stop()
    return out


def _load() -> str:
    """The 1-minute load average (the machine is shared: figures are read beside it)."""
    return Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"


def markdown(results: list[dict], size: int, note: str) -> str:
    names = sorted({q for r in results for q in r.get("queries", {})})
    engines = [r["engine"] for r in results]
    lines = [f"### Engines at {size:,} fragments ({note})", "",
             "| | " + " | ".join(engines) + " |", "|---|" + "---:|" * len(engines)]
    lines.append("| ingest (s) | " + " | ".join(str(r.get("ingest_seconds", r.get("error", "-"))) for r in results) + " |")

    def write_cell(r: dict) -> str:
        if "store_write_seconds" not in r:
            return "-"
        if r.get("store_write_streamed"):
            return f"{r['store_write_seconds']} (streamed: includes the extraction)"
        return str(r["store_write_seconds"])

    lines.append("| of which store writes, wall (s) | " + " | ".join(write_cell(r) for r in results) + " |")
    lines.append("| ingest CPU, client incl. mapping workers (s) | "
                 + " | ".join(str(r.get("ingest_client_cpu_seconds", "-")) for r in results) + " |")
    lines.append("| ingest CPU, server process (s) | "
                 + " | ".join(str(r.get("ingest_server_cpu_seconds", "-")) for r in results) + " |")
    lines.append("| load (1 min) during ingest | " + " | ".join(str(r.get("ingest_load", "-")) for r in results) + " |")
    lines.append("| load (1 min) during queries | " + " | ".join(str(r.get("queries_load", "-")) for r in results)
                 + " |")
    lines.append("| queries CPU, server process (s) | "
                 + " | ".join(str(r.get("queries_server_cpu_seconds", "-")) for r in results) + " |")
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
    ap.add_argument("--keep", type=Path, help="keep the databases in this folder (and reuse a finished ingest)")
    ap.add_argument("--ingest-only", action="store_true", help="ingest (into --keep) and stop")
    ap.add_argument("--replay", action="store_true", help="ingest (extraction and writes) into the first engine "
                    "only; the others get the same store writes (the same mapped quads): store figures side by side "
                    "for the price of one extraction")
    args = ap.parse_args(argv)
    data = corpus(args.size)
    results = []
    replay = [] if args.replay else None
    for engine in args.engines.split(","):
        print(f"[{time.strftime('%H:%M:%S')}] {engine}: ingest {args.size:,} fragments", file=sys.stderr, flush=True)
        try:
            results.append(bench(engine, data, args.reps, args.timeout, args.keep, args.ingest_only, replay))
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
