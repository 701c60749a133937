"""Hostile and runaway requests against a real ``harvestgraph serve`` process (issue 16).

The server runs as a subprocess on a free 127.0.0.1 port over a copy of the sample-corpus store, with a
short ``--timeout`` so that runaways end fast. After every kind of attack: within ``HEALTHY_WITHIN``
seconds an ordinary (uncached) query answers 200, the server is the process that started, and no process
of the server is still burning CPU on the attack (the worker that ran a runaway was killed).
"""

from __future__ import annotations

import concurrent.futures
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import psutil
import pytest

from tests import expected as ex
from harvestgraph.api import auth

TIMEOUT = 2.0  # serve --timeout
# Issue 16 asks for 2 s. That time is measured, per kind of attack, by `python -m benchmarks.serve.bench_hostile
# recovery STORE` (worst 0.13 s on the sample store, at load ~3); here the bound only says "soon" and is kept
# generous, because at load 35 an ordinary query on its own took longer than 2 s (a test is not a timer).
HEALTHY_WITHIN = 5.0
STARTUP = 90.0
HG = "https://w3id.org/harvestgraph/ontology#"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
_fresh = itertools.count(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """``harvestgraph serve`` in a subprocess; stopped (and its workers with it) at the end."""

    def __init__(self, store: Path, users: Path, ops: str, *options: str):
        self.port, self.ops = free_port(), ops
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-c", "from harvestgraph.api.cli import main; main()", "serve", "--store", str(store),
               "--port", str(self.port), "--users", str(users), *options]
        if "--timeout" not in options:
            cmd += ["--timeout", str(TIMEOUT)]
        self.log = open(store.parent / f"serve-{self.port}.log", "w+")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + STARTUP
        while True:
            assert self.proc.poll() is None, self.tail()
            try:
                if httpx.get(self.url + "/queries", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not start:\n" + self.tail()
            time.sleep(0.2)
        warm = httpx.get(self.url + "/sparql", params={"query": "ASK {}"}, timeout=STARTUP,
                         headers={"Authorization": f"Bearer {ops}"})
        assert warm.status_code == 200, warm.text  # the workers are up
        self.pid = self.proc.pid

    def tail(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()[-3000:]

    def workers(self) -> set[int]:
        """The query worker processes (children of the fork server, which is a child of the server)."""
        out = set()
        for child in psutil.Process(self.pid).children(recursive=True):
            try:
                if child.ppid() != self.pid and "forkserver" in " ".join(child.cmdline()):
                    out.add(child.pid)
            except psutil.NoSuchProcess:
                pass
        return out

    def busy(self, interval: float = 0.3) -> list[tuple[int, float]]:
        """The server's processes (itself included) using more than half a CPU over ``interval``."""
        procs = [psutil.Process(self.pid), *psutil.Process(self.pid).children(recursive=True)]
        for p in procs:
            try:
                p.cpu_percent(None)
            except psutil.NoSuchProcess:
                pass
        time.sleep(interval)
        out = []
        for p in procs:
            try:
                use = p.cpu_percent(None)
            except psutil.NoSuchProcess:
                continue
            if use > 50:
                out.append((p.pid, use))
        return out

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(15)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(5)
        self.log.close()


@pytest.fixture(scope="module")
def tmp(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="module")
def tokens(tmp) -> dict[str, str]:
    return {name: auth.add_user(tmp / "users.json", name, role)
            for name, role in (("alice", "reader"), ("bob", "reader"), ("carol", "confidential"), ("ops", "reader"))}


@pytest.fixture(scope="module")
def store(corpus_store_path, tmp) -> Path:
    return Path(shutil.copytree(corpus_store_path, tmp / "store"))


@pytest.fixture(scope="module")
def server(store, tmp, tokens):
    srv = Served(store, tmp / "users.json", tokens["ops"], "--workers", "3", "--per-reader", "2",
                 "--view-timeout", "60")
    yield srv
    srv.stop()


def get(srv: Served, query: str, timeout: float = 60, **kw) -> httpx.Response:
    return httpx.get(srv.url + "/sparql", params={"query": query}, timeout=timeout, **kw)


def healthy(srv: Served, before: set[int] | None = None) -> None:
    """The server answers an ordinary uncached query within HEALTHY_WITHIN seconds, is the same process,
    and nothing of it burns CPU any more; ``before``: workers before a runaway, one of which is gone.
    The ordinary reader is another user than the attackers (they may be at their own per-reader limit)."""
    start = time.monotonic()
    query = f"SELECT ?o WHERE {{ ?o a <{HG}Outcome> }} LIMIT {next(_fresh)}"  # uncached: a worker evaluates it
    r = get(srv, query, timeout=HEALTHY_WITHIN + 5, headers={"Authorization": f"Bearer {srv.ops}"})
    took = time.monotonic() - start
    assert r.status_code == 200, r.text
    assert took < HEALTHY_WITHIN, f"an ordinary query took {took:.1f} s after the attack"
    assert srv.proc.poll() is None and psutil.Process(srv.pid).is_running(), srv.tail()
    listening = {c.laddr.port for c in psutil.Process(srv.pid).net_connections("tcp") if c.status == "LISTEN"}
    assert srv.port in listening  # the process that answers is the one that started
    deadline = time.monotonic() + 10  # nothing keeps running: the killed worker is gone, none spins
    while (busy := srv.busy()) and time.monotonic() < deadline:
        pass
    assert not busy, f"server processes still busy after the attack: {busy}"
    if before is not None:
        assert before - srv.workers(), "the worker that ran the runaway query was not replaced"


def error(r: httpx.Response) -> str:
    return r.json()["error"]


# --------------------------------------------------------------------------- limits before parsing


@pytest.mark.parametrize("opening,closing,template", [
    ("{", "}", "SELECT * WHERE {open}?s ?p ?o{close}"),
    ("(", ")", "SELECT * WHERE {{ ?s ?p ?o FILTER {open}?o{close} }}"),
    ("[", "]", "SELECT * WHERE {{ ?s ?p {open}<urn:p> ?x{close} }}"),
])
def test_deep_nesting_of_each_bracket_kind_is_refused_before_parsing(server, opening, closing, template):
    deep = template.format(open=f"{opening} " * 5000 if opening != "[" else "[ <urn:p> " * 5000,
                           close=f"{closing} " * 5000)
    r = httpx.post(server.url + "/sparql", content=deep, headers={"Content-Type": "application/sparql-query"},
                   timeout=60)
    assert r.status_code == 400 and error(r) == "query_too_deep", r.text
    assert "100" in r.json()["message"]  # names the limit
    healthy(server)


def test_a_query_over_the_length_limit_gets_413_unparsed(server):
    in_list = ", ".join(str(i) for i in range(200_000))  # about 1.3 MB
    r = httpx.post(server.url + "/sparql", content=f"SELECT * WHERE {{ ?s ?p ?o FILTER (?o IN ({in_list})) }}",
                   headers={"Content-Type": "application/sparql-query"}, timeout=60)
    assert r.status_code == 413 and error(r) == "body_too_large", r.text
    form = httpx.post(server.url + "/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o } #" + "x" * 70_000},
                      timeout=60)
    assert form.status_code == 413 and error(form) == "query_too_long", form.text
    healthy(server)


def test_a_huge_in_list_within_the_limit_is_evaluated_or_stopped(server):
    before = server.workers()
    in_list = ", ".join(f'"v{i}"' for i in range(6000))  # ~50 KB: under the limit, compared per row
    r = httpx.post(server.url + "/sparql", timeout=60, headers={"Content-Type": "application/sparql-query"},
                   content=f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o . ?x ?q ?o FILTER (STR(?o) IN ({in_list})) }}")
    assert r.status_code in (200, 503), r.text
    healthy(server, before=before if r.status_code == 503 else None)


def test_huge_literals(server):
    big = "SELECT * WHERE { ?s ?p \"" + "x" * 60_000 + "\" }"  # within the limit: answered (nothing matches)
    r = httpx.post(server.url + "/sparql", content=big, headers={"Content-Type": "application/sparql-query"},
                   timeout=60)
    assert r.status_code == 200 and r.json()["results"]["bindings"] == [], r.text
    r = httpx.post(server.url + "/sparql", content=big.replace("x" * 60_000, "x" * 2_000_000),
                   headers={"Content-Type": "application/sparql-query"}, timeout=60)
    assert r.status_code == 413, r.text
    healthy(server)


def test_too_many_triple_patterns(server):
    many = "SELECT * WHERE { " + " . ".join(f"?s <urn:p{i}> ?o{i}" for i in range(600)) + " }"
    r = get(server, many)
    assert r.status_code == 400 and error(r) == "too_many_patterns", r.text
    healthy(server)


# --------------------------------------------------------------------------- runaways are stopped


def test_a_cartesian_product_is_stopped_and_its_worker_killed(server):
    before = server.workers()
    start = time.monotonic()
    r = get(server, CARTESIAN)
    assert r.status_code == 503 and error(r) == "timeout", r.text
    assert time.monotonic() - start < TIMEOUT + 30  # generous: the point is that it ends
    healthy(server, before=before)
    again = get(server, CARTESIAN)  # a known runaway is refused at once for a while, not run again
    assert again.status_code == 503 and error(again) == "timeout"


def test_a_property_path_over_everything(server):
    before = server.workers()
    path = "SELECT (COUNT(*) AS ?n) WHERE { ?s (!<urn:none>|^!<urn:none>)* ?o . ?o (!<urn:none>|^!<urn:none>)* ?z }"
    r = get(server, path)
    assert r.status_code in (200, 503), r.text
    healthy(server)  # (a 503 may also have come while the job waited for a worker: none to kill then)
    del before


def test_many_concurrent_long_queries_from_one_reader_and_from_several(server, tokens):
    before = server.workers()

    def attack(i: int) -> httpx.Response:
        who = {} if i < 6 else {"Authorization": f"Bearer {tokens['alice' if i % 2 else 'bob']}"}
        # distinct texts: not merged into one evaluation
        return get(server, CARTESIAN.replace("?i }", f"?i }} # {i}-{next(_fresh)}"), headers=who)

    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(attack, range(10)))
    codes = sorted(r.status_code for r in answers)
    assert set(codes) <= {429, 503}, [r.text for r in answers]
    anonymous = [r.status_code for r in answers[:6]]
    assert 429 in anonymous  # one address: at most --per-reader 2 evaluations at once
    refused = next(r for r in answers if r.status_code == 429)
    assert int(refused.headers["Retry-After"]) >= 1 and error(refused) == "too_many_queries"
    healthy(server, before=before)


def test_a_slow_client_that_never_reads_its_answer(server):
    query = quote("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 9000")
    socks = []
    for _ in range(4):
        s = socket.create_connection(("127.0.0.1", server.port))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(f"GET /sparql?query={query} HTTP/1.1\r\nHost: x\r\nAccept: text/tab-separated-values\r\n\r\n".encode())
        socks.append(s)
    half = socket.create_connection(("127.0.0.1", server.port))  # and one that never finishes its request
    half.sendall(b"GET /sparql?query=SELECT HTTP/1.1\r\nHost: x\r\n")
    try:
        time.sleep(1)
        healthy(server)
    finally:
        for s in [*socks, half]:
            s.close()
    healthy(server)


# --------------------------------------------------------------------------- the protocol's rules


def test_malformed_utf8_is_400(server):
    r = httpx.get(server.url + "/sparql?query=SELECT%20%3Fs%20WHERE%20%7B%3Fs%20%3Fp%20%22%FF%FE%22%7D", timeout=30)
    assert r.status_code == 400 and error(r) == "bad_encoding", r.text
    r = httpx.post(server.url + "/sparql", content=b'SELECT ?s WHERE { ?s ?p "\xff\xfe" }',
                   headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert r.status_code == 400 and error(r) == "bad_encoding", r.text
    r = httpx.post(server.url + "/sparql", content=b"query=SELECT%20%2A%20%7B%3Fs%20%3Fp%20%22%C3%28%22%7D",
                   headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=30)
    assert r.status_code == 400 and error(r) == "bad_encoding", r.text
    healthy(server)


def test_repeated_query_parameter_is_400(server):
    r = httpx.get(server.url + "/sparql", params=[("query", "ASK {}"), ("query", "SELECT * WHERE { ?s ?p ?o }")],
                  timeout=30)
    assert r.status_code == 400 and error(r) == "repeated_parameter", r.text
    r = httpx.post(server.url + "/sparql", content=b"query=ASK%20%7B%7D&query=ASK%20%7B%7D", timeout=30,
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400 and error(r) == "repeated_parameter", r.text
    healthy(server)


def test_oversized_post_and_wrong_content_type(server):
    with socket.create_connection(("127.0.0.1", server.port)) as s:  # announces 50 MB, refused unread
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                  b"Content-Length: 50000000\r\n\r\nSELECT")
        s.settimeout(30)
        assert s.recv(100).startswith(b"HTTP/1.1 413")
    r = httpx.post(server.url + "/sparql", content=b"x" * 3_000_000, timeout=60,
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413, r.text
    r = httpx.post(server.url + "/sparql", content="ASK {}", headers={"Content-Type": "text/plain"}, timeout=30)
    assert r.status_code == 415, r.text
    healthy(server)


def test_every_surface_goes_through_the_workers(server, tokens, examples_dir):
    """REST lists, an outcome page, the network view and an export answer over the worker processes, and
    the confidential fragments stay with the confidential role there too."""
    records = ex.corpus(examples_dir)
    secret = {k for k, r in records.items() if r.confidential}
    conf = {"Authorization": f"Bearer {tokens['carol']}"}
    with httpx.Client(base_url=server.url, timeout=60) as http:
        public = {r["id"] for r in http.get("/queries/outcomes").json()["rows"]}
        everything = {r["id"] for r in http.get("/queries/outcomes", headers=conf).json()["rows"]}
        assert secret and not public & secret and secret <= everything
        listed = http.get("/outcomes", params={"limit": 1000}).json()["items"]
        assert {o["id"] for o in listed} == public
        one = sorted(secret)[0].replace("/", "%2F")
        assert http.get(f"/outcomes/{one}").status_code == 404
        assert http.get(f"/outcomes/{one}", headers=conf).status_code == 200
        page = http.get("/network")
        assert page.status_code == 200 and "nonce-" in page.headers["content-security-policy"]
        nonce = page.headers["content-security-policy"].split("nonce-")[1].split("'")[0]
        assert f'nonce="{nonce}"' in page.text and "hgNonceSlot" not in page.text
        csv = http.get("/exports/outcomes", params={"format": "csv"})
        assert csv.status_code == 200 and "attachment" in csv.headers["content-disposition"]
        assert not any(fid in csv.text for fid in secret)
        assert any(fid in http.get("/exports/outcomes", params={"format": "csv"}, headers=conf).text for fid in secret)
    healthy(server)


# --------------------------------------------------------------------------- a crash


def test_a_crashing_query_answers_500_and_the_server_lives_on(corpus_store_path, tmp, tokens):
    """With the depth limit lifted, 100,000 nested groups overflow the parser's stack in the worker (a
    segmentation fault): that request gets a 500 naming the limit; the server stays up."""
    store = Path(shutil.copytree(corpus_store_path, tmp / "crash" / "store"))
    srv = Served(store, tmp / "users.json", tokens["ops"], "--workers", "1", "--max-depth", "1000000", "--timeout", "60",
                 "--max-query-bytes", "1000000", "--max-patterns", "1000000")
    try:
        before = srv.workers()
        deep = "SELECT * WHERE " + "{" * 100_000 + "?s ?p ?o" + "}" * 100_000
        r = httpx.post(srv.url + "/sparql", content=deep, headers={"Content-Type": "application/sparql-query"},
                       timeout=60)
        assert r.status_code == 500 and error(r) == "query_crashed", r.text
        assert "SIGSEGV" in r.json()["message"] or "died" in r.json()["message"]
        healthy(srv, before=before)
    finally:
        srv.stop()


def test_a_worker_left_big_by_a_job_is_replaced_and_one_below_the_ceiling_is_kept(corpus_store_path, tmp, tokens):
    """A job's pages stay with its worker (a network build at 100k leaves 2.8 GB): a worker whose resident
    memory is above --worker-memory after a job is replaced (the server's log says so), and the server goes
    on answering; under the ceiling the same worker serves query after query."""
    for ceiling, replaced in (("1", True), ("4096", False)):  # MiB: every worker is above 1 MiB, none near 4 GiB
        store = Path(shutil.copytree(corpus_store_path, tmp / f"memory-{ceiling}" / "store"))
        srv = Served(store, tmp / "users.json", tokens["ops"], "--workers", "1", "--worker-memory", ceiling,
                     "--no-warm")

        def replacements() -> int:
            srv.log.flush()
            return Path(srv.log.name).read_text().count("query worker replaced")

        try:
            before = replacements()
            first = srv.workers()
            for _ in range(3):
                r = get(srv, f"SELECT ?o WHERE {{ ?o a <{HG}Outcome> }} LIMIT {next(_fresh)}",
                        headers={"Authorization": f"Bearer {srv.ops}"})
                assert r.status_code == 200, r.text
            log = srv.tail()
            if replaced:
                assert replacements() - before == 3, log
                assert not first & srv.workers()
            else:
                assert replacements() == 0, log
                assert srv.workers() == first and len(first) == 1
            healthy(srv)
        finally:
            srv.stop()


def test_a_query_that_grows_past_the_memory_ceiling_is_stopped_and_the_server_lives_on(corpus_store_path, tmp,
                                                                                      tokens):
    """A query that sorts a huge intermediate result (here: every pair of triples) takes memory as fast as
    it can; the worker is killed when its resident memory passes --job-memory, not at the deadline (set far
    away here, so only the ceiling can stop it), the reader gets a 503 that says why, the log says so, and
    the server answers the next query."""
    store = Path(shutil.copytree(corpus_store_path, tmp / "job-memory" / "store"))
    srv = Served(store, tmp / "users.json", tokens["ops"], "--workers", "1", "--job-memory", "400",
                 "--timeout", "900", "--no-warm")
    try:
        before = srv.workers()
        sorted_pairs = f"SELECT ?a ?d WHERE {{ ?a ?b ?c . ?d ?e ?f }} ORDER BY ?f ?c LIMIT {next(_fresh)}"
        r = get(srv, sorted_pairs, timeout=900, headers={"Authorization": f"Bearer {srv.ops}"})
        assert r.status_code == 503 and error(r) == "memory", r.text
        assert "400 MiB" in r.json()["message"] and "--job-memory" in r.json()["message"]
        assert "query worker killed" in srv.tail()
        healthy(srv, before=before)
    finally:
        srv.stop()
