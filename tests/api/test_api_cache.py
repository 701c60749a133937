"""The API's result cache and concurrency model (api/cache.py, api/sparql/runner.py), over real HTTP: the app served
by uvicorn on 127.0.0.1 around a real on-disk store that the test also writes through (ingest), as
``harvestgraph serve`` would hold it.

What must hold: a cached answer never crosses reader scopes (an anonymous reader after a confidential one
gets public data only, and the other way round sees the confidential data); a write through the served
store object invalidates; 32 identical concurrent requests evaluate once; a slow query neither blocks the
event loop nor escapes the timeout (503); a store that may change underneath is not cached without a TTL.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests import expected as ex
from tests.conftest import make_resolver
from harvestgraph.api import auth
from harvestgraph.api.app import create_app
from harvestgraph.api.cache import Body, ResultCache
from harvestgraph.ingest import ingest
from harvestgraph.store import EmbeddedStore
from tests.api.test_auth import ThreadServer

MARK = "# cache-probe"  # queries carrying this comment are counted (and slowed) by ProbeStore
PROBE = MARK + "\nSELECT ?o ?id WHERE { ?o a <https://w3id.org/harvestgraph/ontology#Outcome> ; " \
               "<http://purl.org/dc/terms/identifier> ?id } ORDER BY ?id"


class ProbeStore(EmbeddedStore):
    """The real store, counting the evaluations of queries that carry MARK and delaying each by ``delay``."""

    def __init__(self, path: Path, *, delay: float = 0.0, read_only: bool = False,
                 gate: threading.Event | None = None):
        super().__init__(path, read_only=read_only)
        self.delay, self.calls, self._lock = delay, 0, threading.Lock()
        self.gate = gate  # when given, a probe holds its thread until the test opens the gate
        self.running = threading.Event()  # set once a probe evaluation has begun
        self.done = threading.Event()  # set once a probe evaluation has ended

    def query(self, sparql, **kw):
        if MARK in sparql:
            with self._lock:
                self.calls += 1
            self.running.set()
            if self.gate is not None:
                self.gate.wait(120)
            time.sleep(self.delay)
            try:
                return super().query(sparql, **kw)
            finally:
                self.done.set()
        return super().query(sparql, **kw)


@pytest.fixture()
def store_copy(corpus_store_path, tmp_path) -> Path:
    return Path(shutil.copytree(corpus_store_path, tmp_path / "store"))


@pytest.fixture()
def tokens(tmp_path) -> dict[str, str]:
    return {role: auth.add_user(tmp_path / "users.json", f"u-{role}", role) for role in ("reader", "confidential")}


def serve(store, tmp_path: Path, **options) -> ThreadServer:
    app = create_app(store, **{"query_timeout": 120.0, **options})
    app.state.users_path = tmp_path / "users.json"
    return ThreadServer(app)


def ids(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    return {r["id"] for r in response.json()["rows"]}


def sparql_ids(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    return {b["id"]["value"] for b in response.json()["results"]["bindings"]}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def records(examples_dir):
    return ex.corpus(examples_dir)


# --------------------------------------------------------------------------- confidentiality


def test_cached_answers_never_cross_reader_scopes(store_copy, tmp_path, tokens, records):
    public = set(ex.visible(records))
    secret = {k for k, r in records.items() if r.confidential}
    assert secret and public
    store = ProbeStore(store_copy)
    conf, reader = bearer(tokens["confidential"]), bearer(tokens["reader"])
    with serve(store, tmp_path) as srv, httpx.Client(base_url=srv.url, timeout=60) as http:
        # confidential first, so that a scope-blind cache would hand its answer to the next readers
        assert ids(http.get("/queries/outcomes", headers=conf)) == public | secret
        assert ids(http.get("/queries/outcomes")) == public
        assert ids(http.get("/queries/outcomes", headers=reader)) == public
        assert ids(http.get("/queries/outcomes", headers=conf)) == public | secret  # and the other way round
        assert sparql_ids(http.get("/sparql", params={"query": PROBE}, headers=conf)) == public | secret
        anon = http.get("/sparql", params={"query": PROBE})
        assert sparql_ids(anon) == public
        assert sparql_ids(http.get("/sparql", params={"query": PROBE}, headers=conf)) == public | secret
        assert store.calls == 2  # one evaluation per scope; the repeats came from the cache
        for fid in secret:  # the REST pages share the cache: an outcome page too
            path = "/outcomes/" + fid.replace("/", "%2F")
            assert http.get(path, headers=conf).status_code == 200
            assert http.get(path).status_code == 404
        # an anonymous client replaying the confidential answer's ETag gets the public answer, not a 304
        mine = http.get("/sparql", params={"query": PROBE}, headers=conf)
        replay = http.get("/sparql", params={"query": PROBE}, headers={"If-None-Match": mine.headers["etag"]})
        assert replay.status_code == 200 and sparql_ids(replay) == public
        assert mine.headers["cache-control"] == "private, no-cache" and anon.headers["cache-control"] == "no-cache"
        assert "Authorization" in anon.headers["vary"]
        same = http.get("/sparql", params={"query": PROBE}, headers={"If-None-Match": anon.headers["etag"]})
        assert same.status_code == 304 and not same.content
    store.close()


def test_a_write_through_the_served_store_invalidates(store_copy, tmp_path, tokens):
    from tests.ingest.test_bad_input import fragment

    store = EmbeddedStore(store_copy)
    conf = bearer(tokens["confidential"])
    doc = tmp_path / "new.md"
    with serve(store, tmp_path) as srv, httpx.Client(base_url=srv.url, timeout=60) as http:
        before = ids(http.get("/queries/outcomes"))
        assert ids(http.get("/queries/outcomes", headers=conf)) >= before
        doc.write_text(fragment("T-CACHE/001", "The county assembly adopted a cache policy."))
        ingest([doc], store, make_resolver())
        assert ids(http.get("/queries/outcomes")) == before | {"T-CACHE/001"}
        # the same fragment, now flagged CONFIDENTIAL: the cached public answer that showed it must go
        doc.write_text(fragment("T-CACHE/001", "The county assembly adopted a cache policy.")
                       .replace("CONFIDENTIAL**: NO", "CONFIDENTIAL**: YES"))
        ingest([doc], store, make_resolver())
        assert ids(http.get("/queries/outcomes")) == before
        assert "T-CACHE/001" in ids(http.get("/queries/outcomes", headers=conf))
        assert http.get("/outcomes/T-CACHE%2F001").status_code == 404
    store.close()


# --------------------------------------------------------------------------- concurrency


async def _burst(url: str, n: int, **kw) -> list[httpx.Response]:
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=n)) as http:
        return await asyncio.gather(*(http.get(url, **kw) for _ in range(n)))


def test_identical_concurrent_requests_evaluate_once(store_copy, tmp_path):
    store = ProbeStore(store_copy, delay=1.0)  # slow enough that all 32 arrive while it runs
    with serve(store, tmp_path) as srv:
        answers = asyncio.run(_burst(srv.url + "/sparql", 32, params={"query": PROBE}))
    assert [r.status_code for r in answers] == [200] * 32
    assert len({r.content for r in answers}) == 1
    assert store.calls == 1
    store.close()


def test_a_slow_query_times_out_without_blocking_the_others(store_copy, tmp_path):
    """Ordering, not wall-clock thresholds: the probe holds the only thread until the test opens the gate, so
    every answer that arrives meanwhile provably needed no thread, whatever the machine's load."""
    gate = threading.Event()
    store = ProbeStore(store_copy, gate=gate)
    try:
        with serve(store, tmp_path, query_timeout=1.0, workers=1) as srv, \
                httpx.Client(base_url=srv.url, timeout=60) as http:
            warm = http.get("/queries/outcomes_by_country_year")
            assert warm.status_code == 200
            slow: dict = {}
            th = threading.Thread(target=lambda: slow.update(response=http.get("/sparql", params={"query": PROBE})))
            th.start()
            assert store.running.wait(60), "the probe never started"
            again = http.get("/queries/outcomes_by_country_year")  # cached: needs no thread
            listing = http.get("/queries")
            assert again.status_code == 200 and again.content == warm.content and listing.status_code == 200
            th.join(60)
            # the budget ends while the probe still holds its thread: a 503, not a wait for the store
            assert slow["response"].status_code == 503 and slow["response"].json()["error"] == "timeout"
            assert not gate.is_set()
            # the job still runs (a thread cannot be stopped), past its own budget: it is joined, not started again
            assert http.get("/sparql", params={"query": PROBE}).status_code == 503
            assert store.calls == 1
            # another query queues behind the held thread and never starts: "busy" (retry), not "timeout"
            queued = http.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"})
            assert queued.status_code == 503 and queued.json()["error"] == "busy", queued.text
            assert int(queued.headers["Retry-After"]) >= 1
            gate.set()  # now it ends (late, in a timeout): a runaway, not started again for a while
            assert store.done.wait(60)
            assert http.get("/sparql", params={"query": PROBE}).status_code == 503
            assert store.calls == 1
    finally:
        gate.set()
        store.close()


def test_a_store_that_may_change_underneath_is_cached_only_with_a_ttl(store_copy, tmp_path):
    store = ProbeStore(store_copy, read_only=True)
    assert store.generation is None
    with serve(store, tmp_path) as srv, httpx.Client(base_url=srv.url, timeout=60) as http:
        for _ in range(2):
            assert http.get("/sparql", params={"query": PROBE}).status_code == 200
    assert store.calls == 2
    with serve(store, tmp_path, cache_ttl=60.0) as srv, httpx.Client(base_url=srv.url, timeout=60) as http:
        for _ in range(2):
            assert http.get("/sparql", params={"query": PROBE}).status_code == 200
    assert store.calls == 3


# --------------------------------------------------------------------------- the cache itself


def test_cache_is_bounded_by_bytes_least_recently_used_first():
    cache = ResultCache(max_bytes=4000)
    body = Body(200, b"x" * 700, "text/plain")
    for k in "abcd":
        cache.put(1, k, body)
    assert cache.get(1, "a") is body  # a is now the most recently used
    cache.put(1, "e", body)  # over 4000 bytes with the per-entry overhead: b goes
    assert cache.get(1, "b") is None and cache.get(1, "a") is body and cache.get(1, "e") is body
    assert cache.size <= 4000
    cache.put(1, "big", Body(200, b"x" * 1500, "text/plain"))  # over a quarter of the budget: not kept
    assert cache.get(1, "big") is None
    cache.put(1, "error", Body(503, b"{}", "application/json"))
    assert cache.get(1, "error") is None


def test_cache_follows_the_generation_and_the_ttl():
    body = Body(200, b"answer", "text/plain")
    cache = ResultCache()
    cache.put(1, "k", body)
    assert cache.get(1, "k") is body
    assert cache.get(2, "k") is None and cache.size == 0  # a write: everything goes
    cache.put(1, "k", body)  # computed before the write, landing after it: dropped
    assert cache.get(2, "k") is None
    cache.put(None, "k", body)
    assert cache.get(None, "k") is None  # no generation, no TTL: nothing is kept
    ttl = ResultCache(ttl=0.2)
    ttl.put(None, "k", body)
    assert ttl.get(None, "k") is body
    time.sleep(0.3)
    assert ttl.get(None, "k") is None
