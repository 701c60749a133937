"""The network view (graph/network/view.py) and the web routes (api/routes_views.py) over real HTTP: a uvicorn
server on 127.0.0.1 serving a tiny app that mounts the router, queried with httpx."""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi import Request

from harvestgraph.api.auth import Reader

from harvestgraph.network.analyse import Filters, analyse
from harvestgraph.network.view import PHYSICS_MAX_NODES, render_html

from tests import expected as ex


def ingest_text(tmp_path: Path, text: str):
    """A fresh on-disk store holding the fragments of one inline text file (plus the static graphs)."""
    from harvestgraph.config import make_resolver
    from harvestgraph.ingest import ingest
    from harvestgraph.store import EmbeddedStore

    src = tmp_path / "in" / "fragments.md"
    src.parent.mkdir(parents=True, exist_ok=True)
    src.write_text(text, encoding="utf-8")
    store = EmbeddedStore(tmp_path / "store")
    ingest([src], store, make_resolver(None))
    store.ensure_static()
    return store


def page_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="hg-data"[^>]*>(.*?)</script>', page, re.S)
    return json.loads(m.group(1))


def script_tags(page: str) -> list[dict[str, str | None]]:
    """The attributes of every <script> element, as an HTML parser sees them (script content is raw text)."""
    from html.parser import HTMLParser

    found: list[dict[str, str | None]] = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "script":
                found.append(dict(attrs))

    P().feed(page)
    return found


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def public(corpus_store):
    return corpus_store.visible_graphs(confidential=False)


@pytest.fixture(scope="module")
def records(examples_dir):
    return ex.visible(ex.corpus(examples_dir))


def test_page_is_self_contained_and_nonced(corpus_store, public, records):
    a = analyse(corpus_store, Filters(), graphs=public)
    page = render_html(a)
    assert not EXTERNAL.search(page), EXTERNAL.search(page)
    assert "vis.Network" in page and "cdnjs" not in page and "jsdelivr" not in page
    nonce = re.search(r"script-src 'nonce-([^']+)'", page).group(1)
    scripts = script_tags(page)
    assert len(scripts) == 3
    assert all(s.get("nonce") == nonce for s in scripts)
    data = page_data(page)
    assert len(data["nodes"]) == a.graph.number_of_nodes()
    assert len(data["edges"]) == a.graph.number_of_edges()
    outcome_titles = [n for n in data["nodes"] if n["kind"] == "outcome"]
    assert {n["label"] for n in outcome_titles} == set(records)
    assert all(n["href"].startswith("/id/") for n in data["nodes"])
    assert {e["relation"] for e in data["edges"]} >= {"contributed", "changed", "objective"}
    dashed = {e["relation"]: e["dashes"] for e in data["edges"] if "dashes" in e}
    assert dashed["changed"] and dashed["contributed"] is False


def test_markup_in_fragments_stays_text(tmp_path):
    store = ingest_text(tmp_path, XSS)
    a = analyse(store, Filters(), graphs=store.visible_graphs(confidential=False))
    page = render_html(a)
    assert "<script>window.__pwned" not in page and "<img src=x" not in page
    assert "window.__pwned=1" in page  # there, but inert: as \\u003cscript\\u003e inside the JSON block
    node = [n for n in page_data(page)["nodes"] if n["kind"] == "outcome"][0]
    assert "<script>window.__pwned=1</script>" in node["title"]
    store.close()


def test_large_network_has_a_precomputed_layout():
    from tests.network.test_analyse import synthetic_analysis

    a = synthetic_analysis(1200, 1200)
    page = render_html(a)
    data = page_data(page)
    assert a.graph.number_of_nodes() > PHYSICS_MAX_NODES
    assert data["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert "Betweenness is estimated from 100 of the 2,400 nodes" in legend(page)


def legend(page: str) -> str:
    return re.search(r'<div id="legend">.*?</div>', page, re.S).group(0)


def test_small_network_betweenness_is_exact(corpus_store, public):
    assert "Betweenness" not in legend(render_html(analyse(corpus_store, Filters(), graphs=public)))


def test_cli_start_up_does_not_load_the_exporters():
    """`export ... --help` is built from harvestgraph.outputs.formats: the exporters (networkx, openpyxl) load only
    when an export runs. The names there are exactly those export accepts."""
    import subprocess
    import sys

    from typer.testing import CliRunner

    from harvestgraph.outputs import export, formats
    from harvestgraph.api.cli import app

    code = ("import sys; import harvestgraph.api.cli; "
            "print(sorted(m for m in ('harvestgraph.outputs.export', 'networkx', 'openpyxl') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"
    assert export.KINDS is formats.KINDS and tuple(export.TABLES) == formats.TABLE_NAMES
    help_text = CliRunner().invoke(app, ["export", "network", "--help"], env={"COLUMNS": "200"}).output
    assert " | ".join(export.KINDS["network"]) in help_text and ", ".join(export.TABLES) in help_text


# --------------------------------------------------------------------------- the web routes, over HTTP


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(app) -> tuple[str, object, threading.Thread]:
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 60  # a start, not a speed check
    while not server.started:
        if time.time() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server, thread


def views_app(store):
    """A tiny app with the views router; the X-Test-Role header stands in for authentication."""
    from fastapi import FastAPI

    from harvestgraph.api.auth import ANONYMOUS, get_reader
    from harvestgraph.api.routes_views import router

    app = FastAPI()
    app.state.store = store
    app.include_router(router)

    def test_reader(request: Request) -> Reader:
        role = request.headers.get("x-test-role")
        return Reader("tester", role) if role else ANONYMOUS

    app.dependency_overrides[get_reader] = test_reader
    return app


@pytest.fixture(scope="module")
def server(corpus_store):
    base, srv, thread = serve(views_app(corpus_store))
    yield base
    srv.should_exit = True
    thread.join(timeout=10)


def test_network_route(server, records):
    r = httpx.get(f"{server}/network", params={"country": "KE", "contributors": "", "min_rating": ""}, timeout=60)
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert f'nonce="{nonce}"' in r.text
    outcomes = {n["label"] for n in page_data(r.text)["nodes"] if n["kind"] == "outcome"}
    assert outcomes == {rid for rid, rec in records.items() if "KE" in rec.countries}
    assert '<form class="filters"' in r.text and 'value="KE"' in r.text
    # the server's filters (the page reloads) are told apart from the view's own controls (in the page), and
    # folded away until one is set; the links to the other pages stay in sight either way
    assert '<details class="filters" open><summary>Which outcomes are drawn' in r.text
    assert '<span class="tools-title">In this view:</span>' in r.text
    again = httpx.get(f"{server}/network", timeout=60)
    assert '<details class="filters"><summary>' in again.text and '<nav class="views"><a href="/report">' in again.text
    assert '<details class="filters" open>' not in again.text
    assert re.search(r"'nonce-([^']+)'", again.headers["content-security-policy"]).group(1) != nonce


def test_bad_filters_are_400(server):
    assert httpx.get(f"{server}/network", params={"country": "Atlantis"}, timeout=30).status_code == 400
    assert httpx.get(f"{server}/network", params={"year_from": "soon"}, timeout=30).status_code == 400
    assert httpx.get(f"{server}/exports/contributions", params={"min_rating": "huge"}, timeout=30).status_code == 400
    assert httpx.get(f"{server}/exports/passwords", timeout=30).status_code == 404
    assert httpx.get(f"{server}/exports/network", params={"format": "csv"}, timeout=30).status_code == 400


def test_export_routes_respect_the_reader(server, examples_dir):
    everything = ex.corpus(examples_dir)
    public = ex.visible(everything)
    r = httpx.get(f"{server}/exports/outcomes", params={"format": "csv"}, timeout=60)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="outcomes.csv"' in r.headers["content-disposition"]
    got = {row["outcome_id"] for row in csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")))}
    assert got == set(public)
    r = httpx.get(f"{server}/exports/outcomes", params={"format": "json"}, headers={"X-Test-Role": "confidential"},
                  timeout=60)
    assert {row["outcome_id"] for row in r.json()} == set(everything)
    r = httpx.get(f"{server}/exports/network", params={"format": "gexf"}, timeout=60)
    secret = {rid for rid, rec in everything.items() if rec.confidential}
    assert r.status_code == 200 and not any(s in r.text for s in secret)
    r = httpx.get(f"{server}/exports/contributions", params={"format": "xlsx"}, timeout=60)
    import openpyxl

    assert openpyxl.load_workbook(io.BytesIO(r.content)).sheetnames[0] == "contributions"


def test_report_route(server, records):
    r = httpx.get(f"{server}/report", params={"programme": "SCC"}, timeout=60)
    assert r.status_code == 200 and "script-src" not in r.headers["content-security-policy"]
    n = sum(1 for rec in records.values() if rec.programme == "SCC")
    assert f"<b>{n}</b>outcomes" in r.text
    # a page of the site: a way back, and the same selection as a network (hidden on paper)
    assert 'href="/"' in r.text and 'href="/network?programme=SCC"' in r.text and "nav { display: none; }" in r.text


def test_the_real_app_serves_the_views(corpus_store, records):
    """api/app.py's create_app mounts the router; its store is found and its default CSP does not override ours."""
    from harvestgraph.api.app import create_app

    base, srv, thread = serve(create_app(corpus_store))
    try:
        r = httpx.get(f"{base}/network", params={"objective": "CIV"}, timeout=60)
        assert r.status_code == 200 and "'nonce-" in r.headers["content-security-policy"]
        outcomes = {n["label"] for n in page_data(r.text)["nodes"] if n["kind"] == "outcome"}
        assert outcomes == {rid for rid, rec in records.items() if any(n == "CIV" for n, _ in rec.objectives)}
        one_per_kind = {n["kind"]: n["href"] for n in page_data(r.text)["nodes"]}
        assert {"outcome", "objective", "programme"} <= set(one_per_kind)
        for kind, href in one_per_kind.items():  # every node links to a page that exists
            assert httpx.get(base + href, headers={"Accept": "text/html"}, timeout=30).status_code == 200, (kind, href)
        r = httpx.get(f"{base}/exports/outcomes", params={"format": "json"}, timeout=60)
        assert {row["outcome_id"] for row in r.json()} == set(records)
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


XSS = """**FragmentID**: XSS-KEN2501/CIV001
**Country**: Kenya
**Year**: 2025
**Outcome description**: The county <script>window.__pwned=1</script> published <img src=x onerror="window.__pwned=2"> its budget & plans.
**Rating significance**: medium
**Contribution of the programme**: The programme trained <b>officials</b>.
**Rating contribution**: partial
**Link to XSS Specific Objectives**: GOV: Accountable governance
"""
