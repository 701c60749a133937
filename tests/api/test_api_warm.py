"""The server's warm-up (api/warm.py), on a real ``harvestgraph serve`` process over a real on-disk store: after
it, the first click on a named query without parameters is answered from the cache (``Cache-Status: hit``),
for the anonymous reader and for a reader with the confidential role, each from their own scope, with
exactly the answer an uncached server gives. Without ``--warm`` the same first click is evaluated
(``fwd=miss``): the header tells the two apart.
"""

from __future__ import annotations

import re
import shutil
import time

import httpx
import pytest

from harvestgraph.api import auth
from harvestgraph.api.warm import warm_queries
from tests.remote_server import server_output, start_serve, stop

READY = re.compile(r"warm-up \((public|confidential) scope\): (\d+) of (\d+) ready")


def _wait_warmed(proc, scopes: set[str], timeout: float = 300.0) -> dict[str, tuple[int, int]]:
    """The warm-up's own log lines, once every scope's has appeared (a state, not a speed: generous)."""
    deadline = time.monotonic() + timeout
    while True:
        found = {m[1]: (int(m[2]), int(m[3])) for m in READY.finditer(server_output(proc))}
        if scopes <= set(found):
            return found
        assert proc.poll() is None, server_output(proc)[-3000:]
        assert time.monotonic() < deadline, "no warm-up line:\n" + server_output(proc)[-3000:]
        time.sleep(0.2)


@pytest.fixture()
def served(corpus_store_path, tmp_path):
    users = tmp_path / "users.json"
    token = auth.add_user(users, "u-conf", "confidential")
    started = []

    def start(*options: str):
        store = shutil.copytree(corpus_store_path, tmp_path / f"store{len(started)}")
        proc, base = start_serve(store, "--users", str(users), *options)
        started.append(proc)
        return proc, base

    yield start, {"Authorization": f"Bearer {token}"}
    for proc in started:
        stop(proc)


def test_the_first_click_on_a_named_query_is_ready_after_the_warm_up(served, corpus_store_path):
    start, conf = served
    names = warm_queries()
    assert "outcomes_by_country_year" in names and "fragment_record" not in names  # required parameter: not warmed
    proc, base = start()
    found = _wait_warmed(proc, {"public", "confidential"})
    assert all(ready == total for ready, total in found.values()), server_output(proc)[-3000:]
    # an uncached reference: the same store read-only (generation unknown: nothing is cached)
    ref_proc, ref = start("--read-only", "--no-warm")
    differs = 0
    with httpx.Client(base_url=base, timeout=120) as http, httpx.Client(base_url=ref, timeout=120) as fresh:
        for name in names:
            public = http.get(f"/queries/{name}")
            assert public.status_code == 200, public.text
            assert public.headers["Cache-Status"] == "harvestgraph; hit", name
            assert public.json() == fresh.get(f"/queries/{name}").json(), name
            secret = http.get(f"/queries/{name}", headers=conf)
            assert secret.headers["Cache-Status"] == "harvestgraph; hit", name
            assert secret.json() == fresh.get(f"/queries/{name}", headers=conf).json(), name
            differs += secret.json() != public.json()
        assert differs, "no named query tells the scopes apart on the sample corpus: the test proves nothing"
        # the browser's page of a query shows the same cached page
        page = http.get("/queries/outcomes_by_country_year", params={"run": 1}, headers={"Accept": "text/html"})
        assert page.status_code == 200 and "<table" in page.text
        assert page.headers["Cache-Status"] == "harvestgraph; hit"
        # a query with parameters is evaluated on demand
        actor = http.get("/queries/contributions_by_contributor", params={"programme_only": "true"})
        assert actor.headers["Cache-Status"] == "harvestgraph; fwd=miss"


def test_without_the_warm_up_the_first_click_is_evaluated(served):
    start, conf = served
    proc, base = start("--no-warm")
    with httpx.Client(base_url=base, timeout=120) as http:
        first = http.get("/queries/outcomes_by_country_year")
        assert first.status_code == 200 and first.headers["Cache-Status"] == "harvestgraph; fwd=miss"
        again = http.get("/queries/outcomes_by_country_year")
        assert again.headers["Cache-Status"] == "harvestgraph; hit" and again.content == first.content
    assert "warm-up (" not in server_output(proc)
