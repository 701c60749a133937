"""Hostile-load benchmark (issues 16 and 14): ordinary API clients while attackers send runaway queries,
and the named-query p95 with one worker process against several.

    python -m benchmarks.bench_hostile run STORE SECONDS CLIENTS WORKERS CASES [TIMEOUT]   # CASES: bench_queries

For each worker count (1, then WORKERS) a real ``harvestgraph serve`` process (``--read-only``, answers
cached for the run, ``--timeout TIMEOUT``, default 10 s as serve's) is started on the store and warmed by one pass over the
request kinds of :mod:`benchmarks.bench_api` (the named queries and a small /sparql SELECT). Then:

1. *alone*: CLIENTS ordinary clients (anonymous, 127.0.0.1) cycle through the kinds for SECONDS;
2. *attacked* (WORKERS only): the same, while 4 attackers, each from its own loopback address
   (127.0.0.11-14, so each is its own anonymous reader), send cartesian-product COUNTs nonstop, each a
   new text (no cache, no runaway memory helps): each runs until ``--timeout`` kills its worker.

Printed: the ordinary clients' p50/p95 alone and attacked side by side (target: attacked within 2x),
the attackers' answers, and the alone p95 with 1 and with WORKERS worker processes (target ≤ 100 ms).
The ordinary load is mostly cached answers (as in bench_api's steady state): what the attackers can
take from it is the server's CPU and its event loop, which is what the worker processes protect.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import time
from collections import Counter
from pathlib import Path

from benchmarks.bench_api import cold, free_port, kinds, load, running
from benchmarks.common import emit, summary

ATTACKERS = 4
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }} # attack {}"
_texts = itertools.count()


async def attack(base: str, address: str, deadline: float, out: list) -> None:
    """Send long queries nonstop from ``address`` until ``deadline``; record (seconds, status)."""
    import httpx

    transport = httpx.AsyncHTTPTransport(local_address=address)
    async with httpx.AsyncClient(transport=transport, timeout=120) as http:
        while time.perf_counter() < deadline:
            t = time.perf_counter()
            try:
                r = await http.post(base + "/sparql", content=CARTESIAN.format(next(_texts)),
                                    headers={"Content-Type": "application/sparql-query"})
                status = str(r.status_code)
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            out.append((time.perf_counter() - t, status))
            if status == "429":
                await asyncio.sleep(0.2)


async def attacked(base: str, paths: dict[str, str], seconds: float, clients: int) -> tuple[dict, dict]:
    deadline = time.perf_counter() + seconds
    hits: list = []
    ordinary, _ = await asyncio.gather(load(base, paths, seconds, clients),
                                       asyncio.gather(*(attack(base, f"127.0.0.{11 + i}", deadline, hits)
                                                        for i in range(ATTACKERS))))
    return ordinary, {"requests": len(hits), "outcomes": dict(Counter(s for _, s in hits)),
                      "seconds": summary([t for t, _ in hits]) if hits else None}


def server(store: str, workers: int, seconds: float, clients: int, paths: dict[str, str], hostile: bool,
           timeout: float) -> dict:
    port = free_port()
    cmd = [sys.executable, "-c", "from harvestgraph.api.cli import main; main()", "serve", "--store", store,
           "--read-only", "--cache-ttl", "86400", "--workers", str(workers), "--port", str(port),
           "--timeout", str(timeout)]
    with running(cmd, port) as srv:
        base = srv["base"]
        warm = asyncio.run(cold(base, paths))
        out = {"workers": workers, "start_seconds": srv["start_seconds"], "cold": warm,
               "alone": asyncio.run(load(base, paths, seconds, clients))}
        if hostile:
            out["attacked"], out["attackers"] = asyncio.run(attacked(base, paths, seconds, clients))
        out["server_alive"] = srv["proc"].poll() is None
    out["server_tracebacks"] = srv["tracebacks"]
    return out


def _brief(res: dict) -> dict:
    return {k: res.get(k) for k in ("clients", "requests", "answered", "failed", "throughput_rps", "overall")}


def run(store: str, seconds: str, clients: str, workers: str, cases_file: str, timeout: str = "10") -> dict:
    paths = kinds(json.loads(Path(cases_file).read_text()))
    s, c, w, t = float(seconds), int(clients), int(workers), float(timeout)
    one = server(store, 1, s, c, paths, hostile=False, timeout=t)
    many = server(store, w, s, c, paths, hostile=True, timeout=t)
    p95 = {"alone_1_worker": (one["alone"]["overall"] or {}).get("p95"),
           "alone_n_workers": (many["alone"]["overall"] or {}).get("p95"),
           "attacked_n_workers": (many["attacked"]["overall"] or {}).get("p95")}
    ratio = p95["attacked_n_workers"] / p95["alone_n_workers"] if p95["alone_n_workers"] else None
    print(f"ordinary clients' p95 ({c} clients, {w} workers): alone {p95['alone_n_workers']:.3f} s, with "
          f"{ATTACKERS} attackers {p95['attacked_n_workers']:.3f} s (x{ratio:.2f}; target ≤ x2); attackers' answers "
          f"{many['attackers']['outcomes']}", file=sys.stderr)
    print(f"named queries p95 at {c} clients: 1 worker {p95['alone_1_worker']:.3f} s, {w} workers "
          f"{p95['alone_n_workers']:.3f} s (target ≤ 0.100 s)", file=sys.stderr)
    return {"clients": c, "seconds": s, "workers": w, "attackers": ATTACKERS, "timeout": t, "p95": p95, "attacked_ratio": ratio,
            "one_worker": {**one, "alone": _brief(one["alone"])},
            "n_workers": {**many, "alone": _brief(many["alone"]), "attacked": _brief(many["attacked"])}}


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    if mode == "run":
        emit(run(*rest))
    else:
        raise SystemExit(__doc__)
