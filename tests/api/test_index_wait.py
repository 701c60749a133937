"""While a reader scope's network and list index are being built (after the server starts or new data come
in: minutes at 100,000 fragments), a request waits ``serve --index-wait`` seconds and is then told so: 503
``building`` with Retry-After, as JSON to a client and as a page that reloads itself to a browser; the
workbench says so and loads again. With ``--index-wait 0`` the first request after a start without
``--warm`` meets the build just started (it cannot be done yet), so each answer here is certain.

A real ``harvestgraph serve`` process on a copy of the sample corpus, real HTTP, real headless Chromium."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

from tests.remote_server import start_serve, stop
from tests.conftest import BROWSER_MARKS
from tests.pages.test_browser import Page

HTML = {"Accept": "text/html"}


def _until_built(base: str, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if httpx.get(base + "/outcomes", headers=HTML, timeout=60).status_code == 200:
            return
        time.sleep(0.5)
    raise AssertionError("the index was never built")


@pytest.fixture()
def cold_server(corpus_store_path, tmp_path):
    store = Path(shutil.copytree(corpus_store_path, tmp_path / "store"))
    proc, base = start_serve(store, "--no-warm", "--index-wait", "0")
    yield base
    stop(proc)


def test_a_page_during_the_build_says_so_and_reloads_itself(cold_server):
    r = httpx.get(cold_server + "/outcomes", headers=HTML, timeout=60)
    assert r.status_code == 503 and r.headers["content-type"].startswith("text/html"), r.text[:300]
    retry = int(r.headers["Retry-After"])
    assert 2 <= retry <= 60
    assert "Being updated" in r.text and "being built" in r.text and "reloads itself" in r.text
    assert f'<meta http-equiv="refresh" content="{retry}">' in r.text
    assert 'href="/"' in r.text  # a way back
    _until_built(cold_server)
    page = httpx.get(cold_server + "/outcomes", headers=HTML, timeout=60)
    assert "http-equiv=\"refresh\"" not in page.text and "Retry-After" not in page.headers


def test_a_client_during_the_build_gets_503_building_then_the_answer(cold_server):
    r = httpx.get(cold_server + "/actors/anyone", timeout=60)  # the index is what is missing, not the actor
    assert r.status_code == 503 and r.json()["error"] == "building", r.text
    assert int(r.headers["Retry-After"]) >= 2
    _until_built(cold_server)
    assert httpx.get(cold_server + "/actors/no-such-actor-anywhere", timeout=60).status_code == 404
    facets = httpx.get(cold_server + "/explore/api/facets", timeout=60)
    assert facets.status_code == 200 and facets.json()


@BROWSER_MARKS[0]
@BROWSER_MARKS[1]
def test_the_workbench_during_the_build_says_so_and_draws_once_built(cold_server, browser):
    origin = urlparse(cold_server).netloc
    page = Page(browser, lambda url: urlparse(url).netloc == origin)
    page.page.goto(cold_server + "/explore")
    page.page.wait_for_function("() => document.getElementById('status').textContent.includes('reloads itself')",
                                timeout=60_000)
    assert "being built" in page.page.text_content("#status")
    # the page reloads itself until the network is there, then draws it
    page.page.wait_for_function("() => window.hgExplore && hgExplore.ready && hgExplore.draws > 0", timeout=300_000)
    assert page.page.evaluate("hgExplore.graph.order") > 0
    assert page.aborted == []
