"""Run the benchmarks and print/write the figures: ``make bench`` (1k, 10k, 100k fragments) or
``python -m benchmarks.run --quick`` (1k and 10k). Not timed tests: figures for docs/performance.md.

    python -m benchmarks.run [--sizes 1000,10000,100000] [--quick] [--only ingest,queries,api,views]
                             [--timeout 30] [--reps 5] [--api-seconds 15] [--rdflib-max 10000]

Results: benchmarks/results/latest.json and benchmarks/results/latest.md (a markdown table).
Each measurement runs in a child process (peak memory is that process's own ru_maxrss).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import shutil
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):  # `python benchmarks/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, WORK, corpus, run_child, store_path  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
REGISTRY = ROOT / "examples" / "actors.yaml"
SECTIONS = ("ingest", "queries", "api", "views")
VIEW_SIZES = (1000, 3000)  # fragments giving roughly 1k and 5k network nodes
API_SIZE = 10000

TARGETS = {"ingest_fragments_per_s": 1600, "ingest_seconds_100k": 60, "peak_rss_mb": 2048, "floor_ratio": 0.5,
           "query_median_s": 0.5, "rdflib_speedup": 10, "api_p95_s": 0.1, "view_5k_s": 2.0}


def log(msg: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def ensure_store(n: int) -> Path:
    """The store of ``n`` synthetic fragments, ingested by the ingest benchmark when missing."""
    path = store_path(n)
    if not (path / "CURRENT").exists():
        ingest_size(n)
    return path


def ingest_size(n: int) -> dict:
    data = corpus(n)
    log(f"ingest {n} fragments")
    res = run_child("benchmarks.bench_ingest", "ingest", data, store_path(n), REGISTRY if REGISTRY.exists() else "")
    log(f"  {res['seconds']:.1f} s, {res['quads']} quads; floor (pyoxigraph bulk_load of the same quads)")
    res["floor"] = run_child("benchmarks.bench_ingest", "floor", store_path(n), WORK / "floor")
    res["fragments_per_s"] = res["fragments"] / res["seconds"]
    res["floor_quads_per_s"] = res["floor"]["quads"] / res["floor"]["seconds"]
    res["quads_per_s"] = res["quads"] / res["seconds"]
    res["floor_ratio"] = res["quads_per_s"] / res["floor_quads_per_s"]
    return res


def queries_size(n: int, args) -> dict:
    store = ensure_store(n)
    log(f"named queries on {n} fragments: embedded store")
    try:
        out = {"embedded": run_child("benchmarks.bench_queries", "embedded", store, args.reps, args.timeout)}
    except subprocess.TimeoutExpired:
        out = {"embedded": {"error": "timed out"}}
    if n > args.rdflib_max:
        out["rdflib"] = {"skipped": f"more than --rdflib-max {args.rdflib_max} fragments (rdflib holds every quad "
                                    "as Python objects: tens of GB)"}
        return out
    nq = WORK / f"dump-{n}.nq"
    if not nq.exists():
        import pyoxigraph as ox

        ox.Store.read_only(str(store)).dump(output=str(nq), format=ox.RdfFormat.N_QUADS)
    log(f"named queries on {n} fragments: rdflib in memory")
    try:
        out["rdflib"] = run_child("benchmarks.bench_queries", "rdflib", nq, args.reps, args.timeout,
                                  timeout=args.timeout * 80 + 1800)
    except subprocess.TimeoutExpired:
        out["rdflib"] = {"error": "timed out"}
    return out


def run(args) -> dict:
    sizes = [1000, 10000] if args.quick else [int(s) for s in args.sizes.split(",")]
    only = [s.strip() for s in args.only.split(",")] if args.only else list(SECTIONS)
    results: dict = {"when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                     "machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version(),
                                 "platform": platform.platform()},
                     "sizes": sizes, "ingest": {}, "queries": {}, "api": None, "views": {}}
    if "ingest" in only:
        for n in sizes:
            results["ingest"][n] = ingest_size(n)
    if "queries" in only:
        for n in (s for s in sizes if s >= 10000 or len(sizes) == 1 or args.quick):
            results["queries"][n] = queries_size(n, args)
    if "api" in only:
        store = ensure_store(API_SIZE)
        log(f"API: {args.clients} clients for {args.api_seconds} s on {API_SIZE} fragments")
        results["api"] = run_child("benchmarks.bench_api", store, args.api_seconds, args.clients,
                                   timeout=args.api_seconds + 600)
    if "views" in only:
        for n in VIEW_SIZES:
            store = ensure_store(n)
            log(f"network view of the {n}-fragment store")
            results["views"][n] = run_child("benchmarks.bench_views", store, timeout=1800)
    return results


# --------------------------------------------------------------------------- report


def _s(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.1f} s"


def _q(entry: dict | None, scope: str | None = None) -> tuple[float | None, str]:
    """(median seconds, display) of one query result, handling timeouts and errors."""
    if not entry:
        return None, "–"
    if scope:
        entry = entry.get(scope) or {}
    if "timeout" in entry:
        return None, f"> {entry['timeout']:.0f} s"
    if "error" in entry:
        return None, "error"
    return entry["median"], f"{_s(entry['median'])} / {_s(entry['p95'])}"


def markdown(r: dict) -> str:
    out = [f"Measured {r['when']} on {r['machine']['cpus']} CPUs, Python {r['machine']['python']}.", ""]
    if r["ingest"]:
        out += ["### Ingest (end to end into the embedded on-disk store)", "",
                "| fragments | quads | time (CPU) | fragments/s | peak RSS | actor extraction | bulk-load floor (CPU) | e2e / floor |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for n, x in r["ingest"].items():
            cpu = f" ({_s(x['cpu_seconds'])})" if "cpu_seconds" in x else ""
            fcpu = f" ({_s(x['floor']['cpu_seconds'])})" if "cpu_seconds" in x["floor"] else ""
            out.append(f"| {int(n):,} | {x['quads']:,} | {_s(x['seconds'])}{cpu} | {x['fragments_per_s']:,.0f} | "
                       f"{x['peak_rss_mb']:,.0f} MB | {_s(x['resolve_seconds'])} ({x['resolve_seconds'] / x['seconds']:.0%}) | "
                       f"{_s(x['floor']['seconds'])}{fcpu} | {x['floor_ratio']:.0%} |")
        out.append("")
    for n, q in r["queries"].items():
        emb = q.get("embedded", {})
        out += [f"### Named queries at {int(n):,} fragments (median / p95)", ""]
        if "queries" not in emb:
            out += [f"embedded: {emb}", ""]
            continue
        out += [f"Public graph list for anonymous readers: {emb['public_graphs']:,} graphs, computed in "
                f"{_s(emb['visible_graphs_seconds'])}.", "",
                "| query | rows | embedded, all graphs | embedded, public graphs | rdflib in memory | speed-up vs rdflib |",
                "|---|---:|---:|---:|---:|---:|"]
        rd = q.get("rdflib", {}).get("queries", {})
        for name, e in emb["queries"].items():
            m_all, d_all = _q(e, "all")
            _, d_pub = _q(e, "public")
            m_rd, d_rd = _q(rd.get(name)) if rd else (None, q.get("rdflib", {}).get("skipped", "–")[:20])
            ratio = f"{m_rd / m_all:,.1f}x" if m_rd and m_all else ("≥ " + f"{rd[name]['timeout'] / m_all:,.0f}x"
                                                                     if rd and "timeout" in rd.get(name, {}) and m_all else "–")
            rows = e.get("all", {}).get("rows", "–")
            out.append(f"| {name} | {rows} | {d_all} | {d_pub} | {d_rd} | {ratio} |")
        if q.get("rdflib", {}).get("load_seconds"):
            out.append(f"\nrdflib: loading {q['rdflib']['quads']:,} quads took {_s(q['rdflib']['load_seconds'])}, "
                       f"peak RSS {q['rdflib']['peak_rss_mb']:,.0f} MB.")
        out.append("")
    if r.get("api"):
        a = r["api"]
        out += [f"### API: {a['clients']} concurrent clients, {a['wall_seconds']:.0f} s, {API_SIZE:,} fragments (anonymous reader)", "",
                f"{a['requests_ok']} requests answered ({a['throughput_rps']:.1f}/s), errors: {a['errors'] or 'none'}.", "",
                "| request | n | p50 | p95 |", "|---|---:|---:|---:|"]
        if a.get("overall"):
            out.append(f"| all | {a['overall']['n']} | {_s(a['overall']['median'])} | {_s(a['overall']['p95'])} |")
        for k, v in a["by_kind"].items():
            out.append(f"| {k} | {v['n']} | {_s(v['median'])} | {_s(v['p95'])} |")
        out.append("")
    if r["views"]:
        out += ["### Network view", "", "| fragments | nodes | edges | queries + measures | HTML render | HTML size |",
                "|---:|---:|---:|---:|---:|---:|"]
        for n, v in r["views"].items():
            out.append(f"| {int(n):,} | {v['nodes']:,} | {v['edges']:,} | {_s(v['analyse_seconds'])} | "
                       f"{_s(v['render_seconds'])} | {v['html_mb']:.1f} MB |")
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000", help="fragment counts, comma-separated")
    ap.add_argument("--quick", action="store_true", help="1k and 10k only")
    ap.add_argument("--only", default="", help="sections: " + ",".join(SECTIONS))
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds before an rdflib query is cut off")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--rdflib-max", type=int, default=10000, help="largest size also loaded into rdflib")
    ap.add_argument("--api-seconds", type=float, default=15.0)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--out", default="latest", help="results file name (without .json/.md)")
    args = ap.parse_args(argv)
    results = run(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.out}.json").write_text(json.dumps(results, indent=2, default=str))
    md = markdown(results)
    (RESULTS / f"{args.out}.md").write_text(md + "\n")
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
