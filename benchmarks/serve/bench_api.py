"""API benchmark: the app served by uvicorn in a subprocess (store opened read-only, so other processes
may read the same store meanwhile), anonymous clients on loopback.

    python -m benchmarks.serve.bench_api run STORE SECONDS CLIENTS CASES [STACK [CLIENT]]   # CASES: bench_queries cases
    python -m benchmarks.serve.bench_api serve STORE PORT [STACK]                  # the server (started by ``run``)

STACK: ``auto`` (httptools + uvloop, as ``harvestgraph serve`` runs; the default) or ``plain`` (h11 + asyncio).

Request kinds: every query case as ``GET /queries/NAME?PARAMS`` and a small ``/sparql`` SELECT.

1. *Cold*: one client requests each kind once, in turn: the first answer of each kind from a fresh
   server (what the first reader after a start or a write waits; nothing is cached yet).
2. *Steady state*: CLIENTS concurrent clients cycle through the kinds for SECONDS (each starting at a
   different kind); then the requests in flight are awaited (at most CLIENT_TIMEOUT). Reported per kind
   and overall: p50/p95 of the answered requests (status < 500: a 4xx refusal such as the row cap is an
   answer), the count of each status and error code, the failures (5xx, client time-outs), and the
   throughput. The server's own limits apply (10 s query time-out, 10,000-row cap). With the app's
   result cache (see :func:`serve`) these are mostly cached answers: the cold figures are the uncached ones.
   Beside them: the CPU seconds the server (its process and its query workers) and this load generator
   spent in the steady state, the load average before and after, and the bytes each kind put on the wire.

CLIENT (steady state): ``raw`` (the default): a minimal HTTP/1.1 keep-alive client on asyncio streams that
asks for gzip and decompresses what it gets, as a browser or ``requests`` does, and reads the status and
headers; or ``httpx`` (what the cold phase always uses). On the 2-core machine the load generator shares
the CPUs with the server: httpx spent 9.7 CPU-s for 1,372 requests in 15 s (the server 2.6: 30 Nov 2026,
load 6), so its figures measured mostly the client. Both ask for gzip. A named query's JSON answer is its first page (the API pages answers of
more than 1,000 rows; the ``next`` link is not followed: a client asks for the next page when it needs it).

The server's stderr is kept; if it dies its tail is the error, and the number of tracebacks it logged
is reported. The server is always stopped (and killed with this process's group if this one is).
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

from benchmarks.common import ROOT, ChildError, child_command, child_env, emit, summary

READY_TIMEOUT = 120.0  # seconds for the server to open the store and answer GET /queries
CLIENT_TIMEOUT = 120.0  # a request still unanswered after this long counts as a client time-out
CACHE_TTL = 86400.0  # longer than any run
SPARQL = ("PREFIX hg: <https://w3id.org/harvestgraph/ontology#> "
          "SELECT ?o ?y WHERE { ?o a hg:Outcome ; hg:year ?y } LIMIT 20")


# uvicorn's HTTP parser and event loop: "auto" (httptools + uvloop, as `harvestgraph serve` runs) or
# "plain" (h11 + asyncio: pure Python, what uvicorn uses without them), to print the two side by side
STACKS = {"auto": {}, "plain": {"loop": "asyncio", "http": "h11"}}


def serve(store: str, port: str, stack: str = "auto") -> None:
    """The app on a read-only store (a read-write open fails while another process holds the store's
    lock). A read-only store may change underneath, so the app caches answers on it only for
    ``cache_ttl`` seconds; the benchmark's store does not change, so answers cached for the whole run are
    exact, as the cache of a read-write server is until its next write. Prints the cache setting first."""
    import inspect

    import uvicorn

    from harvestgraph.api.app import create_app
    from harvestgraph.store import EmbeddedStore

    cached = "cache_ttl" in inspect.signature(create_app).parameters  # the app has a result cache
    app = create_app(EmbeddedStore(store, read_only=True), **({"cache_ttl": CACHE_TTL} if cached else {}))
    print(json.dumps({"cache": f"answers cached (ttl {CACHE_TTL:.0f} s)" if cached else "no result cache"}), flush=True)
    uvicorn.run(app, host="127.0.0.1", port=int(port), log_level="warning", **STACKS[stack])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kinds(cases: dict[str, dict]) -> dict[str, str]:
    """Request kind → path."""
    paths = {label: f"/queries/{c['query']}" + (f"?{urlencode(c['params'])}" if c["params"] else "")
             for label, c in cases.items()}
    paths["sparql"] = "/sparql?query=" + quote(SPARQL)
    return paths


def _outcome(r) -> str:
    """``200`` or the status with the API's error code (e.g. ``503 timeout``, ``400 result_too_large``)."""
    if r.status_code == 200:
        return "200"
    try:
        code = r.json().get("error", "")
    except ValueError:
        code = ""
    return f"{r.status_code} {code}".strip()


async def _get(http, base: str, path: str) -> tuple[float, bool, str, int]:
    """(seconds, answered, outcome, bytes on the wire): *answered* is any HTTP status below 500 (a 4xx
    refusal such as the row cap is the server's designed answer); 5xx, client time-outs and connection
    errors are failures."""
    import httpx

    t = time.perf_counter()
    wire = 0
    try:
        r = await http.get(base + path, headers={"Accept": "application/json"})
        answered, outcome, wire = r.status_code < 500, _outcome(r), r.num_bytes_downloaded
    except httpx.TimeoutException:
        answered, outcome = False, "client time-out"
    except httpx.HTTPError as exc:
        answered, outcome = False, type(exc).__name__
    return time.perf_counter() - t, answered, outcome, wire


class RawClient:
    """One keep-alive connection, one request at a time: ``GET path`` with ``Accept: application/json`` and
    ``Accept-Encoding: gzip``; the body is read in full (Content-Length) and decompressed when gzipped."""

    def __init__(self, base: str):
        host, port = base.removeprefix("http://").rsplit(":", 1)
        self.host, self.port = host, int(port)
        self.reader = self.writer = None

    async def _connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def get(self, path: str) -> tuple[int, bytes, int]:
        """(status, decoded body, bytes on the wire)."""
        for attempt in (0, 1):  # the server may have closed an idle connection: one reconnect
            if self.writer is None:
                await self._connect()
            try:
                self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\nAccept: application/json\r\n"
                                  "Accept-Encoding: gzip\r\n\r\n".encode())
                head = await self.reader.readuntil(b"\r\n\r\n")
                break
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt:
                    raise
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        wire = len(head) + len(body)
        if headers.get("connection", "").lower() == "close":
            self.close()
        if headers.get("content-encoding") == "gzip":
            body = zlib.decompress(body, 31)
        return status, body, wire

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _get_raw(client: RawClient, path: str) -> tuple[float, bool, str, int]:
    """As :func:`_get`, through a :class:`RawClient`."""
    t = time.perf_counter()
    try:
        status, body, wire = await asyncio.wait_for(client.get(path), CLIENT_TIMEOUT)
    except TimeoutError:
        client.close()
        return time.perf_counter() - t, False, "client time-out", 0
    except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
        client.close()
        return time.perf_counter() - t, False, type(exc).__name__, 0
    outcome = str(status)
    if status != 200:
        try:
            outcome = f"{status} {json.loads(body).get('error', '')}".strip()
        except ValueError:
            pass
    return time.perf_counter() - t, status < 500, outcome, wire


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its descendants, those still running and those it
    has reaped (the server's killed workers)."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
        except psutil.NoSuchProcess:
            pass
    return total


def own_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


async def cold(base: str, paths: dict[str, str]) -> dict:
    import httpx

    out = {}
    async with httpx.AsyncClient(timeout=CLIENT_TIMEOUT) as http:
        for kind, path in paths.items():
            seconds, _, outcome, wire = await _get(http, base, path)
            out[kind] = {"seconds": seconds, "outcome": outcome, "wire_bytes": wire}
    return out


async def load(base: str, paths: dict[str, str], seconds: float, clients: int, server_pid: int | None = None,
               client_kind: str = "httpx") -> dict:
    """The steady state (module docstring). ``client_kind``: ``raw`` or ``httpx`` (the default here, as
    bench_hostile has always called it; :func:`run` defaults to ``raw``)."""
    import httpx

    items = list(paths.items())
    answered: dict[str, list[float]] = {k: [] for k in paths}
    outcomes: dict[str, Counter] = {k: Counter() for k in paths}
    wire: Counter = Counter()
    deadline = time.perf_counter() + seconds
    load_before, server_before, client_before = os.getloadavg(), tree_cpu(server_pid) if server_pid else 0.0, own_cpu()

    async def client(i: int, http: httpx.AsyncClient) -> None:
        j = i
        raw = RawClient(base) if client_kind == "raw" else None
        while time.perf_counter() < deadline:
            kind, path = items[j % len(items)]
            j += 1
            took, ok, outcome, nbytes = await (_get_raw(raw, path) if raw else _get(http, base, path))
            outcomes[kind][outcome] += 1
            wire[kind] += nbytes
            if ok:
                answered[kind].append(took)
        if raw:
            raw.close()

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=CLIENT_TIMEOUT, limits=limits) as http:
        start = time.perf_counter()
        await asyncio.gather(*(client(i, http) for i in range(clients)))
        wall = time.perf_counter() - start
    cpu = {"server_cpu_seconds": (tree_cpu(server_pid) - server_before) if server_pid else None,
           "client_cpu_seconds": own_cpu() - client_before,
           "load_before": load_before[0], "load_after": os.getloadavg()[0]}
    every = [s for v in answered.values() for s in v]
    total = sum(sum(c.values()) for c in outcomes.values())
    return {"clients": clients, "seconds": seconds, "wall_seconds": wall, "requests": total,
            "answered": len(every), "failed": total - len(every), "throughput_rps": len(every) / wall, **cpu,
            "wire_mb": sum(wire.values()) / 1e6, "overall": summary(every) if every else None,
            "by_kind": {k: {**(summary(answered[k]) if answered[k] else {"n": 0}), "outcomes": dict(outcomes[k]),
                            "wire_kb_per_request": round(wire[k] / max(1, sum(outcomes[k].values())) / 1e3, 1)}
                        for k in paths}}


def _wait_ready(server: subprocess.Popen, base: str, log) -> float:
    """Poll the cheap ``GET /queries`` until it answers; the seconds it took."""
    import httpx

    start = time.perf_counter()
    while time.perf_counter() - start < READY_TIMEOUT:
        if server.poll() is not None:
            log.seek(0)
            raise ChildError(f"the API server exited ({server.returncode}):\n{log.read()[-3000:]}")
        try:
            if httpx.get(base + "/queries", timeout=5).status_code == 200:
                return time.perf_counter() - start
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    log.seek(0)
    raise ChildError(f"the API server did not answer within {READY_TIMEOUT:.0f} s:\n{log.read()[-3000:]}")


@contextmanager
def running(cmd: list[str], port: int) -> Iterator[dict]:
    """A server process (``cmd``, listening on ``port``) for the ``with`` block: yields a dict with its
    ``base`` URL, ``proc`` and ``start_seconds`` (until ``GET /queries`` answered); always stopped at the
    end (terminated, killed after 15 s), after which the dict holds its output as ``log`` and the count of
    ``tracebacks`` it logged. Shared by this module's run and bench_hostile."""
    info: dict = {"base": f"http://127.0.0.1:{port}"}
    with tempfile.TemporaryFile(mode="w+") as log:
        proc = info["proc"] = subprocess.Popen(cmd, cwd=ROOT, env=child_env(), stdout=log,
                                               stderr=subprocess.STDOUT, text=True)
        try:
            info["start_seconds"] = _wait_ready(proc, info["base"], log)
            yield info
        finally:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.seek(0)
            info["log"] = log.read()
            info["tracebacks"] = info["log"].count("Traceback (most recent call last)")


def run(store: str, seconds: str, clients: str, cases_file: str, stack: str = "auto", client: str = "raw") -> dict:
    paths = kinds(json.loads(Path(cases_file).read_text()))
    port = free_port()
    with running(child_command("benchmarks.serve.bench_api", "serve", store, port, stack), port) as server:
        first = asyncio.run(cold(server["base"], paths))
        steady = asyncio.run(load(server["base"], paths, float(seconds), int(clients), server["proc"].pid, client))
    text = server["log"]
    setting = next((json.loads(line) for line in text.splitlines() if line.startswith('{"cache"')), {})
    return {"store": "read-only", "stack": stack, "client": client, "cache": setting.get("cache", "?"),
            "start_seconds": server["start_seconds"],
            "cold": first, **steady, "server_tracebacks": server["tracebacks"], "server_log_tail": text[-1500:]}


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    if mode == "serve":
        serve(*rest)
    else:
        emit(run(*rest))
