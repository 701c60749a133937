"""The network view in real headless Chromium, with the network cut off: it must draw every node, show
tooltips, never run markup from a fragment, and load nothing from outside (the file itself / the test
server's own origin only). Writes tests/artifacts/*.png only (a test run changes no tracked file; `make screenshots` refreshes docs/)."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from harvestgraph.network.analyse import Filters, analyse
from harvestgraph.network.view import write_view

from tests import expected as ex
from tests.network.test_views import XSS, ingest_text, serve, views_app

from tests.conftest import BROWSER_MARKS
from harvestgraph.api.headless import same_origin_only

pytestmark = BROWSER_MARKS


class Page:
    """A page whose every request outside ``allowed`` is aborted and counted; console errors collected."""

    def __init__(self, browser, allowed):
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.aborted = same_origin_only(self.page, "", allowed)
        self.console: list[str] = []
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))


    def open(self, url: str, timeout: float = 60_000) -> float:
        t0 = time.perf_counter()
        self.page.goto(url)
        self.page.wait_for_function("() => window.hgReady === true", timeout=timeout)
        return time.perf_counter() - t0

    def node_count(self) -> int:
        return self.page.evaluate("network.body.data.nodes.length")

    def hover(self, node_id: str) -> str:
        """Move the mouse onto a node (its canvas position → DOM → page) and return the tooltip's text."""
        x, y = self.page.evaluate("""(id) => {
            const pos = network.getPositions([id])[id];
            network.focus(id, {scale: 1.2, animation: false});
            const p = network.canvasToDOM(network.getPositions([id])[id]);
            const r = document.getElementById('mynetwork').getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""", node_id)
        self.page.mouse.move(x - 30, y - 30)
        self.page.mouse.move(x, y, steps=5)
        tip = self.page.locator("div.vis-tooltip")
        tip.wait_for(state="visible", timeout=5000)
        return tip.inner_text()

    def close(self):
        self.page.close()


def only_file(path: Path):
    return lambda url: url == path.as_uri()


def test_corpus_network_offline(browser, corpus_store, examples_dir, tmp_path, artifacts_dir):
    records = ex.visible(ex.corpus(examples_dir))
    a = analyse(corpus_store, Filters(), graphs=corpus_store.visible_graphs(confidential=False))
    html_path = write_view(a, tmp_path / "network.html")
    page = Page(browser, only_file(html_path))
    seconds = page.open(html_path.as_uri())
    assert page.node_count() == a.graph.number_of_nodes()
    assert page.page.evaluate("network.body.data.edges.length") == a.graph.number_of_edges()
    assert page.page.evaluate("nodes.get({filter: n => n.kind === 'outcome'}).length") == len(records)
    shot = artifacts_dir / "network_corpus.png"
    page.page.screenshot(path=str(shot))
    # the tooltip of the outcome with the most links shows its description, as written
    outcome = max((n for n, k in a.graph.nodes(data="kind") if k == "outcome"), key=a.graph.degree)
    rec = records[a.graph.nodes[outcome]["label"]]
    tip = page.hover(outcome)
    assert f"Outcome {rec.id}" in tip
    assert " ".join(rec.text("outcome_description").split())[:80] in " ".join(tip.split())
    page.page.screenshot(path=str(artifacts_dir / "network_corpus_tooltip.png"))
    assert page.aborted == []
    assert not [m for m in page.console if "error" in m.lower()], page.console
    page.close()
    print(f"corpus view: {a.graph.number_of_nodes()} nodes drawn in {seconds:.2f}s")


def test_markup_in_a_fragment_never_runs(browser, tmp_path, artifacts_dir):
    store = ingest_text(tmp_path, XSS)
    a = analyse(store, Filters(), graphs=store.visible_graphs(confidential=False))
    store.close()
    html_path = write_view(a, tmp_path / "xss.html")
    page = Page(browser, only_file(html_path))
    page.open(html_path.as_uri())
    outcome = next(n for n, k in a.graph.nodes(data="kind") if k == "outcome")
    tip = page.hover(outcome)
    assert "<script>window.__pwned=1</script>" in tip
    assert '<img src=x onerror="window.__pwned=2">' in tip
    assert page.page.evaluate("typeof window.__pwned") == "undefined"
    assert page.page.locator("div.vis-tooltip img, div.vis-tooltip script, div.vis-tooltip b").count() == 0
    # clicking shows the same text (as text) in the side panel, with a link to the outcome's page
    page.page.mouse.click(*page.page.evaluate("""(id) => {
        const p = network.canvasToDOM(network.getPositions([id])[id]);
        const r = document.getElementById('mynetwork').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""",
                                              outcome))
    assert "<script>window.__pwned=1</script>" in page.page.locator("#details").inner_text()
    assert page.page.locator("#open").get_attribute("href") == "/id/outcome/XSS-KEN2501%2FCIV001"
    page.page.screenshot(path=str(artifacts_dir / "network_xss_tooltip.png"))
    assert page.page.evaluate("typeof window.__pwned") == "undefined"
    assert page.aborted == [], "the <img src=x> must never be created, so never requested"
    page.close()


def test_empty_selection_still_loads(browser, corpus_store, tmp_path):
    a = analyse(corpus_store, Filters(country="FR"), graphs=corpus_store.visible_graphs(confidential=False))
    assert a.graph.number_of_nodes() == 0  # no French outcome in the sample corpus
    html_path = write_view(a, tmp_path / "empty.html")
    page = Page(browser, only_file(html_path))
    page.open(html_path.as_uri(), timeout=10_000)
    assert page.node_count() == 0
    assert "No outcome matches" in page.page.locator("#details").inner_text()
    page.close()


def test_served_page_under_its_csp(browser, corpus_store, examples_dir, artifacts_dir):
    records = ex.visible(ex.corpus(examples_dir))
    base, server, thread = serve(views_app(corpus_store))
    origin = urlparse(base).netloc
    try:
        page = Page(browser, lambda url: urlparse(url).netloc == origin)
        page.open(f"{base}/network?programme=SCC")
        expected_outcomes = {rid for rid, r in records.items() if r.programme == "SCC"}
        drawn = page.page.evaluate("nodes.get({filter: n => n.kind === 'outcome'}).map(n => n.label)")
        assert set(drawn) == expected_outcomes
        assert page.aborted == []
        assert not [m for m in page.console if "Content Security Policy" in m or "error" in m.lower()], page.console
        # the filter form round-trips
        page.page.fill("input[name=country]", "KE")
        page.page.click("button[type=submit]")
        page.page.wait_for_function("() => window.hgReady === true")
        drawn = page.page.evaluate("nodes.get({filter: n => n.kind === 'outcome'}).map(n => n.label)")
        assert set(drawn) == {rid for rid in expected_outcomes if "KE" in records[rid].countries}
        page.page.screenshot(path=str(artifacts_dir / "network_served.png"))
        page.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_five_thousand_nodes_stay_usable(browser, tmp_path, artifacts_dir):
    from tests.network.test_analyse import synthetic_analysis

    a = synthetic_analysis()
    t0 = time.perf_counter()
    html_path = write_view(a, tmp_path / "big.html")
    build = time.perf_counter() - t0
    page = Page(browser, only_file(html_path))
    seconds = page.open(html_path.as_uri(), timeout=90_000)
    assert page.node_count() == 5000
    tip = page.hover("https://w3id.org/harvestgraph/id/outcome/S-7")
    assert "Outcome S-7" in tip and "<b>x</b>" in tip
    page.page.screenshot(path=str(artifacts_dir / "network_5000.png"))
    page.close()
    print(f"5,000 nodes: HTML written in {build:.1f}s, drawn in {seconds:.1f}s")


def test_network_on_a_phone_is_drawn_wide_with_the_legend_below(browser, corpus_store, tmp_path, artifacts_dir):
    """At 390 px (a phone) the network takes the window's width and most of a screen's height, and the
    legend follows it below; beside it, the legend's 290 px left the network a strip of 75 px."""
    a = analyse(corpus_store, Filters(), graphs=corpus_store.visible_graphs(confidential=False))
    html_path = write_view(a, tmp_path / "network.html")
    page = Page(browser, only_file(html_path))
    page.page.set_viewport_size({"width": 390, "height": 844})
    page.open(html_path.as_uri())
    net = page.page.locator("#mynetwork").bounding_box()
    legend = page.page.locator("#legend").bounding_box()
    assert net["width"] >= 360 and net["height"] >= 360, net
    assert legend["y"] >= net["y"] + net["height"] - 1, (net, legend)
    assert page.page.evaluate("document.documentElement.scrollWidth") <= 390
    page.page.screenshot(path=str(artifacts_dir / "network_phone.png"), full_page=True)
    assert page.aborted == [] and not [m for m in page.console if "error" in m.lower()], page.console
    page.close()
