"""API benchmark: the app served by uvicorn in a subprocess, 32 concurrent anonymous clients on
loopback for a bounded time, latency p50/p95 and throughput per request kind.

    python -m benchmarks.bench_api STORE SECONDS CLIENTS
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time

from benchmarks.common import ROOT, emit, summary

SERVER = ("import sys, uvicorn; from harvestgraph.api.app import create_app; "
          "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')")
SPARQL = ("PREFIX hg: <https://w3id.org/harvestgraph/ontology#> "
          "SELECT ?o ?y WHERE { ?o a hg:Outcome ; hg:year ?y } LIMIT 20")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def requests() -> dict[str, str]:
    """Request kind → path: every named query (default parameters) and a small /sparql query."""
    from urllib.parse import quote

    from harvestgraph import queries

    paths = {f"query:{name}": f"/queries/{name}" for name in queries.library()}
    paths["sparql"] = "/sparql?query=" + quote(SPARQL)
    return paths


async def load(base: str, seconds: float, clients: int) -> dict:
    import httpx

    paths = list(requests().items())
    samples: dict[str, list[float]] = {k: [] for k, _ in paths}
    errors: dict[str, int] = {}
    deadline = time.perf_counter() + seconds

    async def client(i: int, http: httpx.AsyncClient) -> None:
        j = i
        while time.perf_counter() < deadline:
            kind, path = paths[j % len(paths)]
            j += 1
            t = time.perf_counter()
            try:
                r = await http.get(base + path, headers={"Accept": "application/json"})
                ok = r.status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                samples[kind].append(time.perf_counter() - t)
            else:
                errors[kind] = errors.get(kind, 0) + 1

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        start = time.perf_counter()
        await asyncio.gather(*(client(i, http) for i in range(clients)))
        wall = time.perf_counter() - start
    every = [s for v in samples.values() for s in v]
    return {"wall_seconds": wall, "requests_ok": len(every), "errors": errors,
            "throughput_rps": len(every) / wall, "overall": summary(every) if every else None,
            "by_kind": {k: summary(v) for k, v in samples.items() if v}}


def main(store: str, seconds: str, clients: str) -> dict:
    import httpx

    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    server = subprocess.Popen([sys.executable, "-c", SERVER, store, str(port)], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/queries", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError("the API did not start")
        return {"clients": int(clients), **asyncio.run(load(base, float(seconds), int(clients)))}
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    emit(main(*sys.argv[1:]))
