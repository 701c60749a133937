"""The researcher's pages in real headless Chromium (Debian's, as tests/pages/test_browser.py launches it) against
a real ``harvestgraph serve`` process, every request to another host refused and counted: landing-page
search, each facet on /outcomes, sorting, an actor page with highlighted evidence, a named query run from
its form, the /sparql editor (vendored YASGUI) running a query into a table, keyboard navigation, no
CSP violation. Screenshots go to tests/artifacts/ only (docs/screenshots/ is `make screenshots`)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import BROWSER_MARKS
from harvestgraph.api.headless import same_origin_only
from tests.remote_server import copy_store, start_serve, stop

FACETS = ["country", "year", "programme", "objective", "type", "significance", "contribution", "shared", "actor_kind"]

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def base(corpus_store_path, tmp_path_factory, reader_tokens):
    proc, url = start_serve(copy_store(corpus_store_path, tmp_path_factory.mktemp("pages-browser") / "store"),
                            "--timeout", "60", "--users", str(reader_tokens[0]))
    yield url
    stop(proc)


@pytest.fixture()
def page(browser, base):
    """A page that may reach the server only; outside requests, console errors and CSP violations recorded."""
    pg = browser.new_page(viewport={"width": 1360, "height": 900})
    pg.refused, pg.problems = same_origin_only(pg, base), []
    pg.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                       "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.sourceFile))")
    pg.on("console", lambda m: pg.problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(f"pageerror: {e}"))
    yield pg
    assert pg.refused == [], f"requests to other hosts: {pg.refused}"
    assert not [p for p in pg.problems if "CSP" in p or "pageerror" in p], pg.problems
    pg.close()


def ready(pg):
    pg.wait_for_function("() => window.hgReady === true", timeout=30_000)


def opened(browser, base: str, viewport: dict, url: str):
    """A new page at ``viewport`` on ``base + url``, ready, and the list of requests it tried to other hosts."""
    pg = browser.new_page(viewport=viewport)
    refused = same_origin_only(pg, base)
    pg.goto(base + url)
    ready(pg)
    return pg, refused


def assert_fits(pg, what: str) -> None:
    """Nothing widens the page past the screen."""
    width = pg.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"{what} is {width[0]} px wide on a {width[1]} px screen"


def ids(pg) -> list[str]:
    return pg.locator("table.list td.id a").all_inner_texts()


def test_landing_page_search(page, base, artifacts_dir):
    page.goto(base + "/")
    ready(page)
    assert int(page.locator(".counts strong").first.inner_text()) > 10
    page.fill("#q", "DefendDefenders")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=DefendDefenders"))
    assert page.locator("section[aria-label='Actors found'] a", has_text="DefendDefenders").count() == 1
    assert page.locator("section[aria-label='Outcomes found'] li").count() >= 2
    page.locator("section[aria-label='Actors found'] a", has_text="DefendDefenders").click()
    page.wait_for_url(re.compile(r"/actors/defenddefenders$"))
    page.screenshot(path=str(artifacts_dir / "pages_search_actor.png"))


@pytest.mark.parametrize("facet", FACETS)
def test_each_facet_on_outcomes(page, base, facet):
    page.goto(base + "/outcomes?limit=200")
    ready(page)
    everything = ids(page)
    box = page.locator("details.facet", has=page.locator(f"a[href*='{facet}=']")).first
    box.locator("summary").click() if not box.get_attribute("open") is not None else None
    first = box.locator(f"li a.n[href*='{facet}=']").first
    count = int(first.inner_text())
    first.click()
    page.wait_for_url(re.compile(rf"{facet}="))
    ready(page)
    shown = ids(page)
    assert len(shown) == count and set(shown) <= set(everything)
    assert int(page.locator(".summary strong").inner_text()) == count
    chip = page.locator("a.chip", has_text=facet.replace("_", " "))
    assert chip.count() == 1
    chip.click()  # removing the filter gives everything back
    ready(page)
    assert int(page.locator(".summary strong").inner_text()) == len(everything)


def test_sorting_by_column_titles(page, base):
    page.goto(base + "/outcomes?limit=200")
    ready(page)
    page.locator("thead th a", has_text="Year").click()
    page.wait_for_url(re.compile(r"sort=year"))
    years = [int(y) for y in page.locator("table.list tbody tr td:nth-child(2)").all_inner_texts() if y.strip()]
    assert years == sorted(years, reverse=True) and len(set(years)) > 1
    assert page.locator("thead th[aria-sort=descending]").inner_text().startswith("Year")
    page.locator("thead th a", has_text="Year").click()
    page.wait_for_url(re.compile(r"sort=year(?!.*order=desc)"))
    years = [int(y) for y in page.locator("table.list tbody tr td:nth-child(2)").all_inner_texts() if y.strip()]
    assert years == sorted(years)


def test_actor_page_highlights_the_evidence(page, base, artifacts_dir):
    page.goto(base + "/actors/defenddefenders")
    ready(page)
    marks = page.locator("blockquote.evidence mark")
    assert marks.count() >= 3 and set(marks.all_inner_texts()) == {"DefendDefenders"}
    sentence = page.locator("blockquote.evidence .sentence", has_text="helpdesk").first.inner_text()
    assert "DefendDefenders provided remote helpdesk support" in sentence
    # the mark is visibly highlighted (its background is not transparent)
    bg = marks.first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent")
    # the co-contributors table sorts in the page
    page.locator("table.sortable th button", has_text="Shared outcomes").click()
    assert page.locator("table.sortable th[aria-sort]").count() == 1
    page.screenshot(path=str(artifacts_dir / "pages_actor.png"), full_page=True)


def test_query_page_runs_a_named_query(page, base, artifacts_dir):
    page.goto(base + "/queries")
    ready(page)
    page.locator(".querylist a", has_text="Outcomes (filterable list)").click()
    ready(page)
    page.fill("#p-country", "KE")
    page.fill("#p-year_from", "2025")
    page.click("form.params button[type=submit]")
    page.wait_for_url(re.compile(r"run=1.*country=KE"))
    ready(page)
    rows = page.locator("#results tbody tr")
    assert rows.count() >= 5
    assert page.locator("a[download]", has_text="CSV").get_attribute("href").endswith("format=csv")
    # client-side sorting by a column
    page.locator("#results th button", has_text="year").click()
    column = [t.strip().split()[0] for t in page.locator("#results thead th").all_inner_texts()].index("year") + 1
    years = [y for y in page.locator(f"#results tbody td:nth-child({column})").all_inner_texts()]
    assert years and all(re.fullmatch(r"\d{4}", y) for y in years), years
    assert years == sorted(years)
    page.screenshot(path=str(artifacts_dir / "pages_query.png"), full_page=True)


def test_signed_in_browser_sees_confidential_fragments_and_an_anonymous_one_does_not(page, base, reader_tokens,
                                                                                      secret, artifacts_dir):
    """Sign in through the form (the token kept in an HttpOnly cookie no script can read), see a
    confidential fragment in the list and on its page; sign out and it is gone, as it is for a browser
    that never signed in."""
    hidden = secret[0]
    listed = f"/outcomes?q={hidden.replace('/', '%2F')}"
    page.goto(base + listed)
    ready(page)
    assert hidden not in ids(page) and page.locator(".summary strong").inner_text() == "0"
    page.locator("header.top a.signin").click()
    page.wait_for_url(re.compile(r"/signin$"))
    ready(page)
    page.fill("#token", "hg_wrong-token")
    page.click("form.signin button[type=submit]")
    ready(page)
    assert "not known" in page.locator(".problem").inner_text()
    page.fill("#token", reader_tokens[1]["confidential"])
    page.click("form.signin button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    ready(page)
    assert "public and confidential fragments" in page.locator("header.top .who").inner_text()
    assert page.evaluate("document.cookie") == ""  # HttpOnly: no script of the page reads the token
    cookie = next(c for c in page.context.cookies() if c["name"] == "hg_token")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.goto(base + listed)
    ready(page)
    assert ids(page) == [hidden]
    page.locator("table.list td.id a").first.click()
    ready(page)
    assert hidden in page.locator("h1").inner_text()
    page.screenshot(path=str(artifacts_dir / "pages_signed_in.png"), full_page=True)
    page.locator("header.top form.signout button").click()
    ready(page)
    assert page.locator("header.top a.signin").count() == 1
    page.goto(base + listed)
    ready(page)
    assert hidden not in ids(page)
    # another browser that never signed in
    other = page.context.browser.new_page()
    other.goto(base + listed)
    other.wait_for_function("() => window.hgReady === true", timeout=30_000)
    assert hidden not in ids(other)
    other.close()


def test_sparql_editor_runs_a_query_into_a_table(page, base, artifacts_dir):
    page.goto(base + "/sparql")
    ready(page)
    assert page.locator(".yasqe").count() == 1, "YASGUI did not load"
    page.select_option("#example", "outcomes_by_country_year")
    assert "Outcomes by country and year" in page.evaluate("window.hgYasgui.getTab().getYasqe().getValue()") or \
        "country" in page.evaluate("window.hgYasgui.getTab().getYasqe().getValue()")
    page.locator(".yasqe_queryButton").click()
    page.wait_for_function("() => (window.hgDrawn || 0) > 0", timeout=30_000)
    table = page.locator(".yasr table.dataTable")
    table.wait_for(timeout=30_000)
    assert table.locator("tbody tr").count() >= 3
    headers = table.locator("thead th").all_inner_texts()
    assert any("country" in h for h in headers)
    # result links stay on this server
    hrefs = page.locator(".yasr a[href]").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert all(h.startswith("/") or h.startswith("#") for h in hrefs), hrefs
    links = page.locator("#downloads a")
    assert [a.lower() for a in links.all_inner_texts()] == ["csv", "json"]
    page.screenshot(path=str(artifacts_dir / "pages_sparql.png"))


def test_data_model_page_leads_to_answered_queries(page, base, artifacts_dir):
    """From the SPARQL editor to the data model, a class's property to its value's class, and an example
    query back into the editor with its answer as a table."""
    page.goto(base + "/sparql")
    ready(page)
    page.locator("a", has_text="data model").first.click()
    page.wait_for_url(re.compile(r"/model$"))
    ready(page)
    page.locator("nav.toc a", has_text="Contribution").first.click()
    assert page.locator("#hg-Contribution").is_visible()
    # a range by its label (the prefixed name beside it), linked to its class's section
    link = page.locator("section[aria-labelledby='hg-Outcome'] td a[href='#hg-Contribution']").first
    assert link.inner_text() == "Contribution"
    link.click()
    page.wait_for_url(re.compile(r"#hg-Contribution$"))
    page.screenshot(path=str(artifacts_dir / "pages_model.png"))
    page.locator("h3 a", has_text="Who contributed").click()
    page.wait_for_url(re.compile(r"/sparql\?query="))
    ready(page)
    table = page.locator("#server-results table")
    assert table.locator("tbody tr").count() >= 3
    assert "contributor" in [h.lower() for h in table.locator("thead th").all_inner_texts()]


def test_keyboard_reaches_and_uses_the_main_controls(page, base):
    # the landing page's search box has the focus: type and press Enter
    page.goto(base + "/")
    ready(page)
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("Kenya")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=Kenya"))
    # from the top of a list page, Tab goes through the skip link, the main navigation, then the filters
    page.goto(base + "/outcomes")
    ready(page)
    seen = []
    for _ in range(8):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.textContent.trim() || document.activeElement.id"))
    for name in ("Skip to content", "harvestgraph", "Outcomes", "Actors", "Queries", "SPARQL"):
        assert name in seen, seen
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused control must show it"
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName === 'SUMMARY' && !document.activeElement.parentNode.open"):
            page.keyboard.press("Enter")  # a closed facet opens from the keyboard
        if page.evaluate("(document.activeElement.getAttribute('href') || '').includes('country=')"):
            break
    else:
        pytest.fail("no facet link reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"country="))
    ready(page)
    # the search box of the list, then a column title, by keyboard
    page.focus("#q")
    page.keyboard.type("county")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=county"))
    ready(page)
    page.focus("thead th a >> text=Year")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"sort=year"))
    assert "country=" in page.url and "q=county" in page.url  # the other state is kept


PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("path", ["/outcomes", "/actors", "/outcomes?country=KE", "/sparql", "/signin",
                                  "/outcomes/SCC-KEN2508%2FCIV014"])
def test_pages_fit_a_phone(browser, base, path, artifacts_dir):
    """At 390 px nothing widens the page past the screen (a wide table inside the facets' grid made
    /outcomes 855 px wide; an outcome's evidence written as one long spreadsheet formula made its page 39 px
    too wide) and the lists come before their filters, with a link down to them."""
    pg, refused = opened(browser, base, PHONE, path)
    assert_fits(pg, path)
    if path.split("?")[0] in ("/outcomes", "/actors"):
        first = pg.locator("table.list tbody tr").first.bounding_box()
        assert first["y"] + first["height"] <= PHONE["height"], "the first result is not on the first screen"
        assert first["x"] + first["width"] <= PHONE["width"]
        assert pg.locator("a[href='#filters']").is_visible()
        assert pg.locator("#filters").bounding_box()["y"] > first["y"]
        pg.screenshot(path=str(artifacts_dir / f"pages_phone{path.replace('/', '_').replace('?', '_')}.png"))
    assert refused == []
    pg.close()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, PHONE])
@pytest.mark.parametrize("name, params", [("outcomes", ""), ("data_quality", ""), ("network_outcomes", ""),
                                          ("fragment_record", "&fragment=SCC-KEN2508%2FCIV008")])
def test_a_named_querys_table_is_a_card_a_row_on_a_phone(browser, base, viewport, name, params, artifacts_dir):
    """At 390 px a named query's answer is one card a row, every value on the screen after its column's title
    ("description: In January 2024 ..."), the titles kept above the cards as the sort buttons; it was a box to
    scroll sideways, 700 to 1,900 px wide, its long texts squeezed into a column a few words wide. At 1280 it
    stays a table with every column."""
    pg, refused = opened(browser, base, viewport, f"/queries/{name}?run=1{params}")
    assert_fits(pg, f"/queries/{name}")
    titles = [t.strip() for t in pg.locator("#results thead th").all_inner_texts()]
    assert len(titles) >= 3 and all(titles), titles
    table = pg.locator("#results").bounding_box()
    cells = pg.evaluate("""() => Array.from(document.querySelectorAll('#results tbody tr')).slice(0, 8).map(tr =>
        Array.from(tr.cells).map(td => { const r = td.getBoundingClientRect();
          return {left: r.left, right: r.right, top: r.top, filled: td.textContent.trim() !== '',
                  label: getComputedStyle(td, '::before').content}; }))""")
    assert cells
    if viewport == PHONE:
        assert table["x"] >= 0 and table["x"] + table["width"] <= viewport["width"], (name, table)
        for row in cells:
            for title, c in zip(titles, row):
                assert 0 <= c["left"] and c["right"] <= viewport["width"], (name, title, c)
                assert not c["filled"] or c["label"] == f'"{title}: "', (name, title, c["label"])
            tops = [c["top"] for c in row if c["filled"]]
            assert tops == sorted(tops) and len(set(tops)) == len(tops), (name, "one value a line", tops)
        assert pg.locator("#results thead th button.sort").first.is_visible()  # sorting stays at hand
        pg.locator("#results").scroll_into_view_if_needed()
        pg.screenshot(path=str(artifacts_dir / f"pages_phone_query_{name}.png"))
    else:
        assert pg.evaluate("getComputedStyle(document.querySelector('#results')).display") == "table"
        assert pg.locator("#results thead th").evaluate_all("ths => ths.every(th => th.offsetWidth > 0)")
        assert all(c["label"] in ("none", "normal") for row in cells for c in row)
        assert len({round(c["top"]) for c in cells[0]}) == 1  # a row is one line of cells
    assert refused == []
    pg.close()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, PHONE])
def test_an_outcomes_source_file_fits_its_page(browser, base, viewport):
    """The file an outcome was read from, named in the page's facts, breaks to fit (the sample corpus's
    longest name, 030_voice_uganda_ethiopia_bangladesh.md, made the page 42 px too wide at 1280)."""
    pg, refused = opened(browser, base, viewport, "/outcomes/VOICE-BGD2505%2FGEN004")
    assert "030_voice_uganda_ethiopia_bangladesh.md" in pg.locator("p.source").inner_text()
    assert_fits(pg, "the outcome page")
    assert refused == []
    pg.close()


LONG_WORD = "Ministry" * 40  # a search without a space in it (a pasted address, a file name): 320 characters


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, PHONE])
@pytest.mark.parametrize("path", ["/outcomes", "/actors", "/search"])
def test_a_long_search_word_fits_its_page(browser, base, viewport, path):
    """A search for a long word without spaces: the filter chip that names it stays inside the filter panel
    (it ran across the panel's edge over the results' count at 1280) and the "nothing found" sentence that
    quotes it stays on the screen (the page was 2,000 px wide)."""
    pg, refused = opened(browser, base, viewport, f"{path}?q={LONG_WORD}")
    assert_fits(pg, path)
    for chip in pg.locator(".facets a.chip").all():
        box, panel = chip.bounding_box(), pg.locator(".facets").bounding_box()
        assert box["x"] + box["width"] <= panel["x"] + panel["width"] + 1, (path, box, panel)
    for empty in pg.locator("p.empty").all():
        box = empty.bounding_box()
        assert box["x"] + box["width"] <= viewport["width"], (path, box)
    assert refused == []
    pg.close()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, PHONE])
def test_confidential_marks_fit_the_list(browser, base, reader_tokens, secret, viewport):
    """A reader with the confidential role sees each confidential record marked in the outcome list, and
    the marks do not widen the list past the screen (beside the unbreakable FragmentID they did: 1358 px)."""
    ctx = browser.new_context(viewport=viewport,
                              extra_http_headers={"Authorization": f"Bearer {reader_tokens[1]['confidential']}"})
    pg = ctx.new_page()
    refused = same_origin_only(pg, base)
    pg.goto(base + "/outcomes?limit=200")
    ready(pg)
    marked = pg.locator("table.list td.id:has(.confidential) a").all_inner_texts()
    assert sorted(marked) == sorted(secret)
    assert pg.locator("td.id .confidential").first.is_visible()
    assert_fits(pg, "/outcomes")
    assert refused == []
    ctx.close()


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 800)])
def test_a_crawl_from_the_start_page_meets_no_broken_page(browser, base, width, height, artifacts_dir):
    """Headless Chromium follows the links from / as an anonymous reader (every kind of page: lists,
    filtered lists, outcomes, actors, queries, the editor, the model, the workbench, the network view, the
    report, linked-data pages): every page answers 200 as HTML, with no console error, no page wider than
    the window (a phone's 390 px too), a link back into the site, no raw IRI in its words, and nothing of a
    confidential fragment."""
    from scripts.crawl_pages import crawl
    from tests.test_adversarial import secrets

    shots = artifacts_dir / f"crawl_{width}"
    shots.mkdir(exist_ok=True)
    result = crawl(browser, base, width=width, height=height, secrets=secrets().found_in, per_kind=2, limit=150,
                   complete=False,
                   shots=shots)
    pages = result.pages
    kinds = {p.kind.split("?")[0] for p in pages}
    assert {"/", "/outcomes", "/outcomes/{id}", "/actors/{slug}", "/queries/{name}", "/sparql", "/model",
            "/explore", "/network", "/report", "/id/outcome/{id}"} <= kinds, kinds
    assert [(p.url, p.status, p.content_type) for p in pages if p.status != 200 or not p.is_html] == []
    assert [(p.url, p.console_errors) for p in pages if p.console_errors] == []
    assert [(p.url, p.overflow, p.wide) for p in pages if p.overflow] == []
    assert [p.url for p in pages if not p.nav_links] == []
    assert [(p.url, p.raw_iris) for p in pages if p.raw_iris] == []  # an IRI shown as one (.iri), never as words
    assert [(p.url, p.leaks) for p in pages if p.leaks] == []
    assert all(" download" not in what for what in result.downloads.values()), result.downloads
