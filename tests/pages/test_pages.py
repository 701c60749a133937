"""The researcher's pages over real HTTP against a real ``harvestgraph serve`` process: content negotiation
(JSON clients unchanged), facets and counts checked against the input files, sorting, paging, evidence,
bad input, escaping, and confidentiality by crawling every link reachable from ``/``.

The store is the sample corpus plus a file of our own: two CONFIDENTIAL fragments whose country (Chad),
year (2019), actors and words appear nowhere else, and one public fragment carrying markup and a
``javascript:`` link. Expected values come from the input files (tests/expected.py), never from the app.
"""

from __future__ import annotations

import html
import re
import shutil
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, unquote, urlparse

import httpx
import pytest

from tests import expected as ex
from tests.remote_server import start_serve, stop

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}

SECRET_FRAGMENTS = """**FragmentID**: SCC-TCD1903/CIV901
**Country**: Chad
**Year**: 2019
**Outcome description**: In March 2019 the Zorbulax Defenders Coalition sheltered three journalists in N'Djamena after the quintessential marmalade vigil was attacked.
**Significance of the outcome**: The Zorbulax shelter kept the Vexhollow reporters alive.
**Rating significance**: large
**Contribution of the programme**: The SCC programme funded the Zorbulax Defenders Coalition safe house.
**Contribution of other actors and factors**: Quillfeather Solidarity Network provided legal support to the Zorbulax Defenders Coalition.
**Rating contribution**: large
**Outcome statements is CONFIDENTIAL**: YES
**Link to SCC Specific Objectives**: CIV: Less suppression of civic space
**MCQType of change**: Safety and Security
---
**FragmentID**: SCC-TCD1904/CIV902
**Country**: Chad
**Year**: 2019
**Outcome description**: In April 2019 the Quillfeather Solidarity Network moved the Vexhollow reporters to a second shelter.
**Rating significance**: medium
**Contribution of other actors and factors**: The Zorbulax Defenders Coalition hired drivers.
**Outcome statements is CONFIDENTIAL**: YES
**MCQType of change**: Safety and Security
---
**FragmentID**: XSS-KEN2501/CIV001
**Country**: Kenya
**Year**: 2025
**Outcome description**: The county <script>window.__pwned=1</script> published <img src=x onerror="window.__pwned=2"> its budget & plans, see <a href="javascript:window.__pwned=3">here</a>.
**Rating significance**: medium
**Contribution of the programme**: The programme trained <b>officials</b>.
**Contribution of other actors and factors**: The Markup Watchdog Network <i>javascript:alert(1)</i> supported the county.
**Rating contribution**: partial
**Link to XSS Specific Objectives**: GOV: Accountable governance
"""
# Chad and 2019 are public words (the country list, other fragments' text): their facet links are the secret.
SECRET_WORDS = ("Zorbulax", "Quillfeather", "Vexhollow", "marmalade", "SCC-TCD1903", "SCC-TCD1904", "CIV901",
                "CIV902", "zorbulax", "quillfeather")
SECRET_LINKS = ("country=TD", "year=2019", "Chad (TD)")


@pytest.fixture(scope="module")
def site(corpus_store_path, tmp_path_factory, registry_path, examples_dir):
    """``harvestgraph serve`` on the corpus plus our fragments, with a users file (reader, confidential)."""
    from harvestgraph.api import auth
    from harvestgraph.config import make_resolver
    from harvestgraph.ingest import ingest
    from harvestgraph.store import EmbeddedStore

    root = tmp_path_factory.mktemp("pages")
    shutil.copytree(corpus_store_path, root / "store")
    extra = root / "in" / "extra.md"
    extra.parent.mkdir()
    extra.write_text(SECRET_FRAGMENTS, encoding="utf-8")
    st = EmbeddedStore(root / "store")
    ingest([extra], st, make_resolver(registry_path))
    st.close()
    tokens = {role: auth.add_user(root / "users.json", f"u-{role}", role) for role in ("reader", "confidential")}
    proc, base = start_serve(root / "store", "--users", str(root / "users.json"), "--timeout", "60")
    records = ex.corpus(examples_dir)
    records.update(ex.corpus(extra.parent))
    yield base, tokens, records
    stop(proc)


def get(base: str, path: str, token: str | None = None, **kw) -> httpx.Response:
    headers = dict(HTML)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.get(base + path, headers=headers, timeout=120, **kw)


class Links(HTMLParser):
    """Every address a page names (``hrefs``), and among them ``pages``: the links a reader follows to
    another page (``<a href>`` without ``download``; a download is a file, not a page)."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.pages: set[str] = set()

    def handle_starttag(self, tag, attrs):
        names = {k for k, _ in attrs}
        for k, v in attrs:
            if k in ("href", "src", "action") and v:
                self.hrefs.append(v)
                if tag == "a" and k == "href" and "download" not in names:
                    self.pages.add(v)


def links(body: str) -> list[str]:
    p = Links()
    p.feed(body)
    return p.hrefs


def text_of(body: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def crawl(base: str, token: str | None, limit: int = 320, cookie: str | None = None) -> dict[str, httpx.Response]:
    """Every page reachable from / by links within the server (breadth first, at most ``limit``), as a
    browser asks for it (``token`` as the header, or ``cookie`` as the sign-in cookie). Every page a link
    leads to (error pages too) must be HTML; assets and downloads are fetched but may be anything."""
    from harvestgraph.api.auth import COOKIE

    seen: dict[str, httpx.Response] = {}
    todo = deque(["/"])
    queued = {"/"}
    is_page = {"/"}
    with httpx.Client(base_url=base, headers={**HTML, **({"Authorization": f"Bearer {token}"} if token else {})},
                      cookies={COOKIE: cookie} if cookie else None, timeout=120) as c:
        while todo and len(seen) < limit:
            path = todo.popleft()
            r = c.get(path)
            seen[path] = r
            assert r.status_code < 500, (path, r.status_code, r.text[:300])
            is_html = r.headers.get("content-type", "").startswith("text/html")
            assert is_html or path not in is_page, (path, r.status_code, r.headers.get("content-type"), r.text[:200])
            if not is_html:
                continue
            p = Links()
            p.feed(r.text)
            for h in p.hrefs:
                u = urlparse(h)
                assert u.scheme in ("", "http", "https"), f"{path} links to {h!r}"
                if u.netloc or not u.path.startswith("/"):
                    continue
                target = u.path + (f"?{u.query}" if u.query else "")
                if h in p.pages:
                    is_page.add(target)
                if target not in queued:
                    queued.add(target)
                    todo.append(target)
    return seen


def leaks(pages: dict[str, httpx.Response]) -> list[tuple[str, str]]:
    from tests.test_adversarial import secrets

    corpus_secrets = secrets()
    out = []
    for path, r in pages.items():
        body = r.text
        for w in SECRET_WORDS:
            if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w])", text_of(body)) or w in body and not w.isdigit():
                out.append((path, w))
        out += [(path, link) for link in SECRET_LINKS if link in body]
        out += [(path, s) for s in corpus_secrets.found_in(body)[:3]]
    return out


# --------------------------------------------------------------------------- negotiation


def test_json_clients_get_what_they_got(site):
    base, _, _ = site
    assert httpx.get(base + "/").json()["outcomes"] == "/outcomes"
    assert "items" in httpx.get(base + "/outcomes", headers={"Accept": "application/json"}).json()
    assert "items" in httpx.get(base + "/actors").json()
    assert isinstance(httpx.get(base + "/queries").json(), list)
    r = httpx.get(base + "/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"})
    assert r.json()["boolean"] is True
    # a browser asking for an explicit format gets the protocol's answer, not the page
    r = get(base, "/sparql", params={"query": "SELECT ?x WHERE { BIND(1 AS ?x) }", "format": "csv"})
    assert r.headers["content-type"].startswith("text/csv") and r.text.split() == ["x", "1"]
    r = get(base, "/queries/outcomes", params={"format": "json", "country": "KE"})
    assert r.headers["content-type"].startswith("application/json")


def test_every_page_a_browser_reaches_is_html(site):
    base, _, _ = site
    for path in ("/", "/outcomes", "/actors", "/queries", "/queries/outcomes", "/sparql", "/search?q=kenya",
                 "/actors/defenddefenders", "/outcomes/SCC-KEN2508%2FCIV008"):
        r = get(base, path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), path
        assert "default-src 'self'" in r.headers["content-security-policy"] and "unsafe-inline" not in \
            r.headers["content-security-policy"], path
        for h in re.findall(r'<header class="top">(.*?)</header>', r.text, re.S)[0:1]:
            for href in links(h):
                assert get(base, href).headers["content-type"].startswith("text/html"), (path, href)


def test_the_site_has_an_icon_where_browsers_look_for_it(site):
    """Every page names its icon, and /favicon.ico (what a browser asks for first) is that icon, not a 404
    in the console of every first visit."""
    base, _, _ = site
    page = get(base, "/outcomes").text
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert icon, "no icon named"
    for path in (icon.group(1), "/favicon.ico"):
        r = httpx.get(base + path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml"), path
        assert r.text.lstrip().startswith("<svg") and "<script" not in r.text, path


# --------------------------------------------------------------------------- lists, facets, counts


def visible(records):
    return {k: r for k, r in records.items() if not r.confidential}


def ids_on(body: str) -> list[str]:
    return re.findall(r'<td class="id"><a href="[^"]+">([^<]+)</a>', body)


def all_ids(base: str, path: str, token: str | None = None) -> list[str]:
    out, url = [], path
    while url:
        r = get(base, html.unescape(url), token)
        assert r.status_code == 200, (url, r.text[:500])
        out += [html.unescape(i) for i in ids_on(r.text)]
        m = re.search(r'<a href="([^"]+)" rel="next">', r.text)
        url = m.group(1) if m else None
    return out


def test_outcome_list_pages_through_every_visible_outcome_once(site):
    base, _, records = site
    ids = all_ids(base, "/outcomes?limit=10")
    assert sorted(ids) == sorted(visible(records)) and len(ids) == len(set(ids))
    assert ids == sorted(ids, key=lambda i: i)  # FragmentID order by default


def test_sorting(site):
    base, _, records = site
    pub = visible(records)
    years = [pub[i].year for i in all_ids(base, "/outcomes?sort=year&order=desc&limit=200")]
    assert years == sorted(years, key=lambda y: -(y or 0))
    ids = all_ids(base, "/outcomes?sort=id&order=desc&limit=200")
    assert ids == sorted(pub, reverse=True)
    body = get(base, "/actors?sort=contributed&order=desc&limit=200").text
    counts = [int(n) for n in re.findall(r'aria-label="(\d+) outcomes [^"]*contributed to"', body)]
    assert counts and counts == sorted(counts, reverse=True)


def facet_links(body: str, key: str) -> dict[str, int]:
    """value -> count of the facet ``key`` on a list page (the count links)."""
    out = {}
    for href, n in re.findall(r'<a class="n" href="([^"]+)"[^>]*>(\d+)</a>', body):
        q = parse_qs(urlparse(html.unescape(href)).query)
        if key in q:
            out[q[key][0]] = int(n)
    return out


@pytest.mark.parametrize("key", ["country", "year", "programme", "objective", "type", "significance", "contribution",
                                 "shared", "actor_kind"])
def test_each_facet_count_is_the_number_of_outcomes_behind_it(site, key):
    base, _, records = site
    pub = visible(records)
    counts = facet_links(get(base, "/outcomes").text, key)
    assert counts, f"no {key} facet values"
    for value, n in counts.items():
        ids = all_ids(base, f"/outcomes?{key}={value}&limit=200")
        assert len(ids) == n, (key, value)
        if key == "country":
            assert sorted(ids) == sorted(i for i, r in pub.items() if r.countries and r.countries[0] == value)
        elif key == "year":
            assert sorted(ids) == sorted(i for i, r in pub.items() if r.year == int(value))
        elif key == "programme":
            assert sorted(ids) == sorted(i for i, r in pub.items() if r.programme == value)
        elif key == "significance":
            assert sorted(ids) == sorted(i for i, r in pub.items() if (r.significance or "").lower() == value)
        elif key == "shared":  # the list index's pattern is the one the mapping stored (hg:contributionPattern)
            r = get(base, "/sparql", params={"format": "csv", "query": (
                "SELECT ?id WHERE { ?o <https://w3id.org/harvestgraph/ontology#contributionPattern> "
                f"<https://w3id.org/harvestgraph/concept/contribution-pattern/{value}> ; "
                "<http://purl.org/dc/terms/identifier> ?id }")})
            assert sorted(ids) == sorted(r.text.split()[1:])


def test_facets_combine_with_and(site):
    base, _, records = site
    pub = visible(records)
    ids = all_ids(base, "/outcomes?country=KE&year=2025&programme=SCC")
    want = sorted(i for i, r in pub.items() if r.countries[:1] == ["KE"] and r.year == 2025 and r.programme == "SCC")
    assert want and sorted(ids) == want
    body = get(base, "/outcomes?country=KE&year=2025").text
    assert set(facet_links(body, "country")) == {"KE"} and set(facet_links(body, "year")) == {"2025"}


def test_search(site):
    base, _, records = site
    pub = visible(records)
    ids = all_ids(base, "/outcomes?q=digital%20security")
    def says(r, words):
        return any(words in " ".join(r.text(f).split()).lower()
                   for f in ("outcome_description", "contribution_programme", "contribution_others"))

    assert sorted(ids) == sorted(i for i, r in pub.items() if says(r, "digital security"))
    ids = all_ids(base, "/outcomes?q=DefendDefenders")
    assert ids and sorted(ids) == sorted(i for i, r in pub.items() if says(r, "defenddefenders"))
    body = get(base, "/search?q=defenddefenders").text
    assert 'href="/actors/defenddefenders"' in body


@pytest.mark.parametrize("query", ["", "?q=", "?q=%20%20"])
def test_an_empty_search_says_what_to_type(site, query):
    """/search without words (the box submitted empty, the address typed): the page says what the box takes
    and where to browse instead, not a search box alone on an empty page."""
    base, _, _ = site
    r = get(base, "/search" + query)
    assert r.status_code == 200
    main = text_of(r.text.split("<main", 1)[1])
    assert "Type a word of an outcome's text, an actor's name or acronym, or a FragmentID" in main
    assert re.search(r'<p class="empty">[^<]*<a href="/outcomes">', r.text.split("<main", 1)[1])


def test_actor_counts_link_to_their_outcomes(site):
    base, _, _ = site
    body = get(base, "/actors?limit=200").text
    rows = re.findall(r'<a href="(/outcomes\?[^"]+)" aria-label="(\d+) outcomes', body)
    assert len(rows) > 20
    for href, n in rows[:25]:
        assert len(all_ids(base, href + "&limit=200")) == int(n), href


def test_actor_list_says_kinds_and_counts_in_words(site):
    """Each actor's kind in the list is its label in the actor-kind scheme (read here from concepts.ttl), as
    the facet and the actor's page say it, not the concept's code; the count columns say what they count."""
    from rdflib import SKOS, Graph, URIRef

    from tests.conftest import REPO

    base, _, _ = site
    concepts = Graph().parse(REPO / "ontology" / "concepts.ttl")
    scheme = URIRef("https://w3id.org/harvestgraph/concept/actor-kind")
    labels = {str(c).rsplit("/", 1)[-1]: str(concepts.value(c, SKOS.prefLabel)) for c in concepts.subjects(SKOS.inScheme, scheme)}
    body = get(base, "/actors", params={"limit": 200}).text
    chips = re.findall(r'<span class="kind kind-([\w-]+)">([^<]+)</span>', body)
    assert len(chips) > 20 and {"ngo", "government"} <= {k for k, _ in chips}
    assert all(html.unescape(text) == labels[k] for k, text in chips), chips[:5]
    assert "Changed in (outcomes)" in body and "Contributed to (outcomes)" in body


# --------------------------------------------------------------------------- evidence


def test_actor_page_shows_the_sentences_with_the_span_marked(site):
    base, _, _ = site
    body = get(base, "/actors/defenddefenders").text
    marks = re.findall(r'<p class="sentence">([^<]*)<mark>([^<]+)</mark>([^<]*)</p>', body)
    assert len(marks) >= 3 and all(m[1] == "DefendDefenders" for m in marks)
    assert any("helpdesk support" in after for _, _, after in marks)
    # each outcome's country by its name, as on the outcome's page (not its ISO code)
    places = re.findall(r'<a href="/outcomes/[^"]+">[^<]+</a>(?: <span class="confidential"[^>]*>[^<]*</span>)? '
                        r'<small>(.*?)</small>', body)
    places = [html.unescape(re.sub(r"<[^>]+>", "", p)) for p in places]  # (the country is a link to its outcomes)
    assert places and all(not re.match(r"[A-Z]{2} ", p) for p in places), places
    assert any(p.startswith("Kenya") for p in places), places
    # co-contributors: each count is the outcomes both contributed to
    for href, n in re.findall(r'<td class="num"><a href="([^"]+)" title="the outcomes both[^"]*">(\d+)</a>', body):
        assert len(all_ids(base, html.unescape(href) + "&limit=200")) == int(n)


def test_outcome_page_fields_actors_evidence_chain(site):
    base, _, records = site
    rec = records["SCC-KEN2508/CIV011"]
    body = get(base, "/outcomes/SCC-KEN2508%2FCIV011").text
    assert html.escape(" ".join(rec.text("outcome_description").split())[:60]) in " ".join(body.split())
    assert re.search(r"<mark>DefendDefenders</mark>", body)
    assert re.search(r'builds on:</p><ol class="chain"><li><a href="/outcomes/SCC-KEN2508%2FCIV008">', body)


def _evidence_by_item(body: str, item: str) -> list[list[tuple[str, list[str], str]]]:
    """Per list item (an outcome on an actor's page, an actor on an outcome's page), its evidence: (field,
    marked words, the sentence as text)."""
    out = []
    for li in re.split(item, body)[1:]:
        li = li.split("</li>", 1)[0]
        out.append([(re.search(r'<span class="field">([^<]+)</span>', q).group(1), re.findall(r"<mark>([^<]+)</mark>", q),
                     " ".join(html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<p class="sentence">(.*?)</p>', q,
                                                                            re.S).group(1))).split()))
                    for q in re.findall(r'<blockquote class="evidence">(.*?)</blockquote>', li, re.S)])
    return out


@pytest.mark.parametrize("path, item", [("/actors/kenya-human-rights-commission", r'<li><p><a href="/outcomes/'),
                                        ("/outcomes/SCC-KEN2508%2FGOV004", r'<li class="actor">')])
def test_a_sentence_that_names_an_actor_by_name_and_acronym_is_listed_once(site, path, item):
    """The sample names KHRC as "the Kenya Human Rights Commission (KHRC)": two mentions in one sentence.
    Each sentence is one piece of evidence under its outcome (actor), with both names marked and said."""
    base, _, records = site
    sentence = next(s.strip() for r in records.values() for v in r.fields.values() for s in re.split(r"(?<=\.) ", v)
                    if "Kenya Human Rights Commission (KHRC)" in s and "lawyers" in s)
    body = get(base, path).text
    items = _evidence_by_item(body, item)
    assert items and any(items)
    for ev in items:
        assert len({(f, t) for f, _, t in ev}) == len(ev), ev  # no sentence twice in one field
    both = [e for ev in items for e in ev if e[2] == sentence]
    assert len(both) == 1, both
    assert both[0][1] == ["Kenya Human Rights Commission", "KHRC", "KHRC"], both
    assert "named as “Kenya Human Rights Commission” and “KHRC”" in body


# --------------------------------------------------------------------------- queries and SPARQL pages


def test_query_page_runs_a_named_query(site):
    base, _, records = site
    r = get(base, "/queries/outcomes", params={"run": 1, "country": "KE", "year_from": 2025, "year_to": 2025})
    want = sorted(i for i, r in visible(records).items() if "KE" in r.countries[:1] and r.year == 2025)
    got = sorted(html.unescape(x) for x in re.findall(r'<a href="/outcomes/[^"]+" title="[^"]+">([^<]+)</a>', r.text))
    assert got == want
    csv = re.search(r'<a href="([^"]+)" download>CSV</a>', r.text).group(1)
    rows = httpx.get(base + html.unescape(csv)).text.strip().splitlines()
    assert len(rows) == len(want) + 1


def test_query_pages_mark_the_parameters_a_query_cannot_run_without(site):
    """The list offers no "run with the defaults" for a query the server refuses without its parameter,
    and its form marks that field required (the browser asks for it before sending)."""
    base, _, _ = site
    listing = get(base, "/queries").text
    assert '/queries/fragment_record?run=1"' not in listing and "fill in fragment and run it" in listing
    assert '/queries/outcomes?run=1"' in listing
    form = get(base, "/queries/fragment_record").text
    assert re.search(r'<input id="p-fragment" name="fragment"[^>]* required>', form)
    assert not re.search(r'<input id="p-country"[^>]* required>', get(base, "/queries/outcomes").text)


def test_query_list_puts_the_tools_building_blocks_apart(site):
    """The queries whose file says ``# audience: tools`` (read here from the files) are listed after the
    researchers' questions, folded under a summary that says what they are for; every other query is in the
    researchers' list."""
    from tests.conftest import REPO

    base, _, _ = site
    tools = {p.stem for p in (REPO / "queries").glob("*.rq") if "\n# audience: tools" in p.read_text()}
    others = {p.stem for p in (REPO / "queries").glob("*.rq")} - tools
    assert {"network_edges", "network_labels"} <= tools and "outcomes" in others
    page = get(base, "/queries").text
    head, _, folded = page.partition('<details class="tools" id="tools">')
    assert set(re.findall(r'<h2><a href="/queries/(\w+)">', head)) == others
    assert set(re.findall(r'<h3><a href="/queries/(\w+)">', folded)) == tools
    assert "Building blocks for tools" in folded
    assert f"{len(others)} documented questions" in get(base, "/").text  # the start page counts the questions
    assert httpx.get(base + "/queries/network_labels", params={"run": 1}, headers=HTML).status_code == 200


def test_query_forms_ask_in_words(site):
    """A query's form names each parameter in words (its name in the address beside it), offers a yes-or-no
    parameter as a choice (either / yes / no) that keeps what was chosen, suggests a concept parameter's
    values from its scheme, and says what each takes without the query file's type names."""
    base, _, records = site
    form = get(base, "/queries/contributions_by_contributor").text
    assert re.search(r'<label for="p-programme_only">programme only <code class="curie">programme_only</code></label>', form)
    options = re.search(r'<select id="p-programme_only" name="programme_only"[^>]*>(.*?)</select>', form).group(1)
    assert re.findall(r'<option value="([^"]*)"', options) == ["", "true", "false"]
    assert "(boolean)" not in form and "(yes or no)" in form
    chosen = get(base, "/queries/contributions_by_contributor", params={"run": 1, "programme_only": "true"}).text
    assert '<option value="true" selected>' in chosen
    kinds = set(re.findall(r"<tr><td[^>]*>(?:<a [^>]*>)?[^<]+(?:</a>)?</td><td[^>]*>([^<]*)</td>",
                           chosen.split("<tbody>", 1)[1]))
    assert kinds == {"programme"}, kinds
    outcomes = get(base, "/queries/outcomes").text
    assert ">results-framework outcome <code" in outcomes and "(concept:type-of-change)" not in outcomes
    suggested = re.findall(r'<option value="([^"]+)">', re.search(r'<datalist id="l-type_of_change">(.*?)</datalist>',
                                                                 outcomes).group(1))
    used = {t for r in records.values() for t in r.types_of_change}
    assert "Policy change" in suggested and len(used & set(suggested)) >= 3


def test_sparql_page_shows_a_table_and_refuses_updates(site):
    base, _, _ = site
    r = get(base, "/sparql", params={"query": "SELECT ?n WHERE { VALUES ?n { 3 1 2 } } ORDER BY ?n"})
    assert r.status_code == 200 and re.findall(r"<td>(\d)</td>", r.text) == ["1", "2", "3"]
    assert "format=csv" in r.text and "format=json" in r.text
    r = get(base, "/sparql", params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <urn:nothing> ; ?p ?o }"})
    assert "format=turtle" in r.text
    r = get(base, "/sparql", params={"query": "DROP ALL"})
    assert r.status_code == 403 and "read-only" in r.text
    r = get(base, "/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert r.status_code == 403 and "SERVICE" in r.text
    r = get(base, "/sparql", params={"query": "SELEKT <script>"})
    assert r.status_code == 400 and "<script>" not in r.text.split("<textarea")[0]


# --------------------------------------------------------------------------- the served report's links


@pytest.mark.parametrize("who, query", [(None, ""), ("confidential", ""), (None, "country=KE"), (None, "programme=SCC")])
def test_report_counts_lead_to_exactly_the_outcomes_they_count(site, who, query):
    """Each count of the served report that is a link leads to an outcome list of exactly that many outcomes,
    with the report's own filters; names lead to actor pages, chain members to outcome pages. For the
    confidential reader the counts include the confidential outcomes, for the anonymous reader never."""
    base, tokens, records = site
    token = tokens[who] if who else None
    page = get(base, "/report" + (f"?{query}" if query else ""), token).text
    counts = [(html.unescape(h), int(n)) for h, n in re.findall(r'<a href="(/outcomes[^"]*)">(\d+)</a>', page)]
    assert len(counts) >= 8, page[:2000]
    assert any("role=contributor" in link for link, _ in counts)  # a contributor's count, too
    assert any("shared=" in link for link, _ in counts)  # and who contributed, per programme
    secret = {i for i, r in records.items() if r.confidential}
    for link, n in counts:
        if query:
            assert query in link, link
        shown = all_ids(base, link + ("&" if "?" in link else "?") + "limit=200", token)
        assert len(shown) == n, (link, n, len(shown))
        assert who or not set(shown) & secret
    actors = re.findall(r'<td><a href="(/actors/[^"]+)">', page)
    assert actors and all(get(base, html.unescape(a), token).status_code == 200 for a in actors[:5])


def test_report_with_filters_the_list_cannot_show_keeps_plain_counts(site):
    """A year range (or a minimum rating) has no facet on the list: the counts stay numbers, not links to
    lists of another size."""
    base, _, _ = site
    for query in ("year_from=2023&year_to=2025", "min_rating=moderate"):
        page = get(base, f"/report?{query}").text
        assert "<h2>Significance × contribution</h2>" in page
        assert not re.search(r'<a href="/outcomes[^"]*">\d+</a>', page), query


# --------------------------------------------------------------------------- the data model page


def _sections(page: str) -> dict[str, str]:
    """The page's term sections by their id (a class or a concept scheme)."""
    return {m.group(1): m.group(0) for m in re.finditer(r'<section class="term" aria-labelledby="([^"]+)">.*?</section>', page, re.S)}


def test_model_page_documents_every_current_term_of_the_ontology(site):
    """Read independently of the page's code: every class of the ontology that is not deprecated has a
    section, every property with a single domain is listed in its domain's section, no deprecated term
    (hg:Mention and its properties, data models 1-2) is offered, and every in-page link has its target."""
    from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

    from tests.conftest import REPO
    from harvestgraph.vocab import HG

    base, _, _ = site
    r = get(base, "/model")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page, sections = r.text, _sections(r.text)
    onto = Graph().parse(REPO / "ontology" / "harvestgraph.ttl")
    deprecated = {t for t in onto.subjects(OWL.deprecated, Literal(True))}
    assert URIRef(HG.Mention) in deprecated and URIRef(HG.hasMention) in deprecated
    classes = {c for c in onto.subjects(RDF.type, OWL.Class) if str(c).startswith(str(HG))} - deprecated
    assert len(classes) >= 15
    for c in classes:
        assert f"hg-{c.split('#')[1]}" in sections, c
    checked = 0
    for p in {p for t in (OWL.ObjectProperty, OWL.DatatypeProperty) for p in onto.subjects(RDF.type, t)} - deprecated:
        domain = onto.value(p, RDFS.domain)
        if str(p).startswith(str(HG)) and isinstance(domain, URIRef) and domain in classes:
            assert re.search(f"<code[^>]*>hg:{p.split('#')[1]}</code>", sections[f"hg-{domain.split('#')[1]}"]), p
            checked += 1
    assert checked >= 30
    for t in deprecated:
        assert f"hg:{t.split('#')[1]}<" not in page, t
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    assert {h[1:] for h in re.findall(r'href="(#[^"]+)"', page)} <= ids
    # the reused W3C terms the shapes constrain are listed with their class too
    assert re.search("<code[^>]*>dcterms:identifier</code>", sections["hg-Outcome"])
    assert re.search("<code[^>]*>prov:agent</code>", sections["hg-Contribution"])
    # a rating's value names its concept scheme, which has a section listing its concepts
    assert 'href="#scheme-significance-rating"' in sections["hg-Outcome"]
    assert all(w in sections["scheme-significance-rating"] for w in (">small<", ">medium<", ">large<"))


def test_model_page_names_terms_by_their_labels(site):
    """A property, a class it links to and a class it is a kind of are named by their labels (read here from
    the ontology), the prefixed name beside them; each property has one place (an id) that pages link to."""
    from rdflib import RDFS, Graph, URIRef

    from tests.conftest import REPO
    from harvestgraph.vocab import HG

    base, _, _ = site
    page = get(base, "/model").text
    sections = _sections(page)
    onto = Graph().parse(REPO / "ontology" / "harvestgraph.ttl")
    label = lambda local: str(onto.value(URIRef(HG[local]), RDFS.label))  # noqa: E731
    outcome = sections["hg-Outcome"]
    assert f'<tr id="p-hg-changedActor"><td><strong>{label("changedActor")}</strong> <code class="curie">hg:changedActor</code>' in outcome
    assert re.search(rf'<a href="#hg-SocialActor">{label("SocialActor")}</a> <code class="curie">hg:SocialActor</code>', outcome)
    assert re.search(rf'A kind of <a href="#hg-SocialActor">{label("SocialActor")}</a>', sections["hg-Organisation"])
    # a range is never a bare prefixed name where the page has a label for it
    assert not re.search(r'<a href="#[^"]+">(hg|skos):\w+</a>', page)
    ids = re.findall(r'\bid="(p-[^"]+)"', page)
    assert len(ids) == len(set(ids)) >= 30


class OutsideIris(HTMLParser):
    """A page's text outside the elements that show an identifier as one (``class="iri"``), where a raw IRI of
    our data would be read as words (the crawler, scripts/crawl_pages.py, flags it)."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area", "base", "embed"}

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append("iri" in (dict(attrs).get("class") or "").split())

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not any(self.stack):
            self.text.append(data)


def test_model_page_shows_iris_as_identifiers(site):
    """The data model's prefix block and the meanings it quotes from the ontology show our IRIs as
    identifiers (in ``.iri`` elements, as the graphs table and the outcome's page do), never as raw text."""
    from scripts.crawl_pages import IRI_TEXT

    base, _, _ = site
    page = get(base, "/model").text
    assert "PREFIX hgid:" in page and "relative to" in page, "the page must still say both, or this test could not fail"
    p = OutsideIris()
    p.feed(page)
    assert IRI_TEXT.findall("".join(p.text)) == []


def test_model_page_examples_answer_in_the_sparql_editor(site):
    """Each example opens the SPARQL page with a table of answers over the store (not an error); the
    FragmentIDs they show are the reader's: public ones for an anonymous reader, the confidential ones too
    for the confidential role."""
    base, tokens, records = site
    secret = {i for i, r in records.items() if r.confidential}
    page = get(base, "/model").text
    links = [html.unescape(h) for h in re.findall(r'<h3><a href="(/sparql\?query=[^"]+)"', page)]
    assert len(links) >= 4
    for link in links:
        for token in (None, tokens["confidential"]):
            r = get(base, link, token)
            assert r.status_code == 200, (link, r.text[:300])
            body = r.text.split("<tbody>", 1)[-1]
            assert len(re.findall(r"<tr>", body)) >= 3, link
            ids = {i for i in records if f">{html.escape(i)}<" in body}
            assert token is not None or not ids & secret, (link, ids & secret)
            assert ids or "SELECT ?id" not in parse_qs(urlparse(link).query)["query"][0], link


def test_model_files_are_the_bundled_turtle(site):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from tests.conftest import REPO

    base, _, _ = site
    for name, file in (("ontology", "harvestgraph.ttl"), ("concepts", "concepts.ttl"), ("shapes", "shapes.ttl")):
        r = httpx.get(f"{base}/model/{name}.ttl", timeout=60)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
        assert isomorphic(Graph().parse(data=r.text, format="turtle"), Graph().parse(REPO / "ontology" / file))
    assert httpx.get(f"{base}/model/registry.ttl", timeout=60).status_code == 404
    assert httpx.get(f"{base}/model/..%2Fstore.ttl", timeout=60).status_code == 404


# --------------------------------------------------------------------------- bad input, escaping


@pytest.mark.parametrize("query, words", [
    ("year=abc", "four digits"), ("country=%3Cscript%3Ealert(1)%3C/script%3E", "not a valid value"),
    ("country=ZZ", "No outcome has country"), ("sort=evil", "Sorting by"), ("offset=-4", "Offset must be"),
    ("limit=lots", "Limit must be"), ("colour=red", "Unknown parameter"), ("type=no-such-type", "No outcome has"),
    ("actor=%22%3E%3Cscript%3E", "not a valid actor"), ("role=boss&actor=actor/x", "Role"),
    ("q=" + "x" * 300, "cut to 200"), ("country=KE&country=TZ", "given twice"),
])
def test_bad_url_state_gets_a_message_not_a_500(site, query, words):
    base, _, _ = site
    for path in ("/outcomes", "/actors"):
        r = get(base, f"{path}?{query}")
        assert r.status_code == 400, (path, query, r.status_code)
        assert r.headers["content-type"].startswith("text/html")
        assert words in html.unescape(r.text), (path, query)
        assert "<script>alert" not in r.text and '"><script>' not in r.text


@pytest.mark.parametrize("path, words", [
    ("/queries/outcomes?year_from=abc&run=1", "Year from 'abc' is not a whole number."),
    ("/queries/outcomes?country=Narnia&run=1", "Country 'Narnia' is not a country this server knows."),
    ("/queries/outcomes?colour=red&run=1", "Unknown parameter 'colour'"),
    ("/report?country=ZZ", "Country 'ZZ' is not a country this server knows."),
    ("/network?country=ZZ", "Country 'ZZ' is not a country this server knows."),
    ("/sparql?query=SELEC", "SPARQL syntax error"),
])
def test_a_bad_value_is_named_in_a_readers_words(site, path, words):
    """A bad parameter value on a page (a named query's form, the report, the network view, the SPARQL
    editor) is said in a reader's words: which field, what it must be; not the program's own error line
    ("<input>: field 'year_from': bad value ... invalid literal for int() with base 10"). A client asking
    for JSON keeps the API's message as it was."""
    base, _, _ = site
    r = get(base, path)
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html"), (path, r.status_code)
    shown = text_of(r.text)
    assert words in shown, (path, shown[-600:])
    for jargon in ("<input>", "bad value", "invalid literal", "int()", "for parameter"):
        assert jargon not in shown, (path, jargon)
    api = httpx.get(base + "/queries/outcomes", params={"year_from": "abc"}, headers={"Accept": "application/json"})
    assert api.status_code == 400 and "bad value 'abc' for parameter 'year_from'" in api.json()["message"]


# Pages that show a reader a problem, an empty state or a line of help; each was found starting in lower case.
MESSAGE_PAGES = ["/outcomes?offset=abc", "/actors?limit=lots", "/outcomes?country=KE&country=TZ",
                 "/outcomes?q=zzqqzzqq", "/actors?q=zzqqzzqq", "/id/outcome/NOPE", "/report?year_from=abc", "/network?contributors=maybe",
                 "/sparql?query=INSERT%20DATA%20%7B%7D", "/queries/outcomes_of_actor?run=1",
                 "/queries/fragment_record?run=1&fragment=SCC-KEN2508%2FCIV008", "/queries/network_edges"]


def messages_of(body: str) -> list[tuple[str, bool]]:
    """What a page tells its reader in words, each with whether it must be a whole sentence: its problems
    (each of a list), its empty states, the pager's words and a facet's "None in this selection." (True);
    a facet's line of help, a query parameter's help, the record's summary line (False: a capital only)."""
    main = body.split("<main", 1)[1].split("</main>", 1)[0]
    problem = r'<(p|div) class="problem[^"]*"[^>]*>(?!<strong>Please)(.*?)</\1>'
    whole = [m for _, m in re.findall(problem, main, re.S)]
    whole += re.findall(r"<li>(.*?)</li>", "".join(re.findall(r'<div class="problem".*?</div>', main, re.S)))
    whole += [m for _, m in re.findall(r'<(p|li) class="empty">(.*?)</\1>', main, re.S)]
    whole += re.findall(r"<p><small>(.*?)</small></p>", main)
    whole += [m for m in re.findall(r'<nav class="pager"[^>]*>.*?<span>(.*?)</span>', main, re.S)
              if not re.fullmatch(r"[\d–]+ of \d+", m)]  # "1–20 of 39" is no sentence
    start = re.findall(r"<summary>[^<]*<small>(.*?)</small>", main)
    start += re.findall(r'<small id="d-\w+">(.*?)<span class="type">', main, re.S)
    start += re.findall(r'<details class="record"[^>]*><summary>(.*?)</summary>', main)
    said = [(" ".join(text_of(m).split()), full) for full, ms in ((True, whole), (False, start)) for m in ms]
    return [(m, full) for m, full in said if m]


@pytest.mark.parametrize("path", MESSAGE_PAGES)
def test_messages_to_readers_are_sentences(site, path):
    """Every problem, empty state and line of help a page shows starts with a capital (a quote or a number
    may start it), and a problem or an empty state ends with a full stop: "offset must be a whole number",
    "country was given twice", "nothing is known about ...", "year_from must be a year such as 2024, got
    'abc'", "this endpoint is read-only", "none in this selection", "nothing matches", "where the change
    happened", "the record as written: 23 fields" were not sentences."""
    base, _, _ = site
    body = get(base, path).text
    said = messages_of(body)
    assert said, path
    assert [m for m, _ in said if m[0].isalpha() and not m[0].isupper()] == [], path
    assert [m for m, full in said if full and not m.endswith((".", "?", "!"))] == [], path
    if path.startswith("/report"):
        assert "Year from 'abc' is not a year such as 2024." in text_of(body)
    if path.startswith("/id/"):  # the identifier the reader asked for is shown as one, not as words
        assert '<code class="iri">https://w3id.org/harvestgraph/id/outcome/NOPE</code>.' in body


def test_markup_in_fragments_and_search_is_inert(site):
    base, _, _ = site
    for path in ("/outcomes/XSS-KEN2501%2FCIV001", "/outcomes?q=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E",
                 "/search?q=%3Cscript%3E", "/outcomes?q=county", "/actors?q=markup",
                 "/sparql?query=SELECT%20%3Fd%20WHERE%20%7B%20%3Fo%20%3Chttp%3A%2F%2Fpurl.org%2Fdc%2Fterms%2Fdescription%3E%20%3Fd%20%7D"):
        body = get(base, path).text
        assert "<script>window" not in body and "<img src=x" not in body and "<b>officials" not in body, path
        assert not [h for h in links(body) if h.strip().lower().startswith("javascript:")], path
    body = get(base, "/outcomes/XSS-KEN2501%2FCIV001").text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in body


def test_unknown_pages_are_clear(site):
    base, _, _ = site
    r = get(base, "/outcomes/NOPE-XXX0000%2FNOP000")
    assert r.status_code == 404 and "No such outcome" in r.text
    r = get(base, "/actors/no-such-actor-anywhere")
    assert r.status_code == 404 and "No such actor" in r.text
    r = get(base, "/queries/nope")
    assert r.status_code == 404 and "No such query" in r.text


# --------------------------------------------------------------------------- confidentiality


def test_anonymous_crawl_of_every_link_finds_no_confidential_data(site):
    base, tokens, _ = site
    pages = crawl(base, None)
    assert len(pages) >= 150, len(pages)
    kinds = Counter(urlparse(p).path.split("/")[1] for p in pages)
    assert kinds["outcomes"] > 30 and kinds["actors"] > 30 and kinds["queries"] > 10 and kinds["sparql"], kinds
    found = leaks(pages)
    assert not found, found[:30]
    # a reader without the role sees no more
    assert not leaks({p: get(base, p, tokens["reader"]) for p in ("/", "/outcomes", "/actors")})
    for p in ("/actors?q=zorbulax", "/outcomes?q=marmalade"):
        assert "<strong>0</strong>" in get(base, p, tokens["reader"]).text and "<strong>0</strong>" in get(base, p).text
    # probing a confidential outcome or actor answers exactly as for one that does not exist
    for hidden, missing in (("/outcomes/SCC-TCD1903%2FCIV901", "/outcomes/SCC-TCD1999%2FCIV999"),
                            ("/actors/quillfeather-solidarity-network", "/actors/quillfeather-solidarity-networkx")):
        a, b = get(base, hidden), get(base, missing)
        assert a.status_code == b.status_code == 404
        assert a.text.replace(hidden.split("/")[-1], "X") .replace("SCC-TCD1903/CIV901", "X").replace(
            "quillfeather-solidarity-network", "X") == b.text.replace(missing.split("/")[-1], "X").replace(
            "SCC-TCD1999/CIV999", "X").replace("quillfeather-solidarity-networkx", "X")
    r = get(base, "/outcomes?country=TD")
    assert r.status_code == 400 and "No outcome has country 'TD'" in html.unescape(r.text)


def test_no_link_leads_a_browser_to_a_missing_page(site):
    """Every link a crawl from / follows answers with a page, not "No such ...": an actor only mentioned in an
    outcome's text (no outcome as changed or contributor, so no page of its own) is named on the outcome's
    page without a link."""
    base, _, _ = site
    pages = crawl(base, None)
    missing = sorted(p for p, r in pages.items() if r.status_code == 404)
    assert missing == [], missing[:10]
    only_named = [p for p, r in pages.items() if p.startswith("/outcomes/") and "(named here only:" in r.text]
    assert only_named, "no outcome of the corpus names an actor only: the test cannot fail"


def test_an_actor_only_mentioned_is_linked_to_its_linked_data_page(site):
    """An actor only mentioned in the outcomes (hg:mentions: no outcome as changed or contributor, so no page
    of its own) is linked from an outcome's linked-data page and from a named query's table to its own
    linked-data page, not to /actors/SLUG, which answers 404 (a Chromium crawl followed
    /id/outcome/SCC-ETH2404%2FCIV001 to /actors/consortium-of-ethiopian-human-rights-organizations)."""
    base, _, _ = site
    mentioned = "https://w3id.org/harvestgraph/id/actor/consortium-of-ethiopian-human-rights-organizations"
    assert get(base, "/actors/consortium-of-ethiopian-human-rights-organizations").status_code == 404
    pages = {"/id/outcome/SCC-ETH2404%2FCIV001", "/id/actor/consortium-of-ethiopian-human-rights-organizations",
             "/queries/network_labels?run=1"}
    targets = set()
    for path in pages:
        r = get(base, path)
        assert r.status_code == 200, path
        found = Links()
        found.feed(r.text)
        targets |= {html.unescape(h) for h in found.pages if h.startswith("/actors/") and "?" not in h}
        if path.startswith("/id/outcome/"):
            assert re.search(rf'<a href="/id/actor/consortium-of-ethiopian-human-rights-organizations" '
                             rf'title="{mentioned}">Consortium of Ethiopian Human Rights Organizations</a>', r.text)
        if path.startswith("/id/actor/"):
            assert "Its page, with the outcomes" not in r.text
    assert len(targets) > 20
    dead = [t for t in sorted(targets) if get(base, t).status_code != 200]
    assert dead == []


def test_confidential_crawl_does_find_them(site):
    """The same crawl with the `confidential` role reaches the confidential fragments: the test above can fail."""
    base, tokens, _ = site
    pages = crawl(base, tokens["confidential"], limit=120)
    found = {w for _, w in leaks(pages)}
    assert {"Zorbulax", "Quillfeather", "Chad (TD)", "country=TD", "year=2019"} <= found, found
    r = get(base, "/outcomes/SCC-TCD1903%2FCIV901", tokens["confidential"])
    assert r.status_code == 200 and "<mark>Quillfeather Solidarity Network</mark>" in r.text
    assert "Quillfeather" in get(base, "/actors/quillfeather-solidarity-network", tokens["confidential"]).text


def test_signed_in_browser_sees_confidential_fragments_through_the_cookie(site):
    """The sign-in form keeps the token in an HttpOnly, SameSite=Strict cookie honoured like the header on
    every surface (pages, REST, SPARQL, the workbench); a wrong token sets nothing; sign-out forgets it."""
    from harvestgraph.api.auth import COOKIE

    base, tokens, _ = site
    form = get(base, "/signin?next=/outcomes")
    assert form.status_code == 200 and 'type="password"' in form.text and 'action="/signin"' in form.text
    assert 'href="/signin"' in get(base, "/").text  # every page offers it
    with httpx.Client(base_url=base, headers=HTML, timeout=120) as c:
        r = c.post("/signin", data={"token": tokens["confidential"], "next": "/outcomes?q=zorbulax"})
        assert r.status_code == 303 and r.headers["location"] == "/outcomes?q=zorbulax"
        cookie = r.headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
        page = c.get("/outcomes?q=zorbulax")
        assert "SCC-TCD1903" in page.text and "Sign out" in page.text and "u-confidential" in page.text
        # the same cookie on the JSON API, the SPARQL endpoint and the workbench's data
        assert "SCC-TCD1903/CIV901" in c.get("/outcomes", params={"q": "zorbulax"},
                                             headers={"Accept": "application/json"}).text
        ask = "ASK { ?o <http://purl.org/dc/terms/identifier> \"SCC-TCD1903/CIV901\" }"
        assert c.get("/sparql", params={"query": ask},
                     headers={"Accept": "application/sparql-results+json"}).json()["boolean"] is True
        assert c.get("/explore/api/search", params={"q": "zorbulax"}, headers={"Accept": "application/json"}).json()
        r = c.post("/signout", data={"next": "/outcomes?q=zorbulax"})
        assert r.status_code == 303 and f'{COOKIE}=""' in r.headers["set-cookie"]
        assert COOKIE not in c.cookies
        assert "SCC-TCD1903" not in c.get("/outcomes?q=zorbulax").text
    with httpx.Client(base_url=base, headers=HTML, timeout=120) as anon:
        assert "SCC-TCD1903" not in anon.get("/outcomes?q=zorbulax").text
        assert anon.get("/sparql", params={"query": ask},
                        headers={"Accept": "application/sparql-results+json"}).json()["boolean"] is False
        bad = anon.post("/signin", data={"token": "hg_not-a-token"})
        assert bad.status_code == 401 and "set-cookie" not in bad.headers and "not known" in bad.text
        for cross in ({"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site", "Origin": "null"}):
            evil = anon.post("/signin", data={"token": tokens["confidential"]}, headers=cross)
            assert evil.status_code == 403 and "set-cookie" not in evil.headers, cross
        # a next= to another host is not followed
        r = anon.post("/signin", data={"token": tokens["reader"], "next": "//evil.example/x"})
        assert r.status_code == 303 and r.headers["location"] == "/"
    # a stale cookie is refused (never a silent anonymous reader), as a page that offers to sign out
    r = httpx.get(base + "/outcomes", headers=HTML, cookies={COOKIE: "hg_removed"}, timeout=120)
    assert r.status_code == 401 and r.headers["content-type"].startswith("text/html")
    assert "no longer valid" in r.text and 'action="/signout"' in r.text


def test_crawl_with_the_sign_in_cookie_reaches_confidential_fragments(site):
    """The crawl that finds nothing confidential anonymously finds the fragments with the cookie."""
    base, tokens, _ = site
    pages = crawl(base, None, limit=120, cookie=tokens["confidential"])
    found = {w for _, w in leaks(pages)}
    assert {"Zorbulax", "Chad (TD)", "country=TD"} <= found, found


def test_refusals_are_pages_for_a_browser_and_json_for_clients(site):
    """What the API refuses in JSON (a workbench 400, a REST 404, a malformed parameter, a token refused)
    is an HTML page with the same status for a browser."""
    base, _, _ = site
    for path, status in (("/explore/api/view?country=ZZ", 400), ("/id/nothing/here", 404),
                         ("/outcomes?limit=abc", 400), ("/explore/api/node?id=nope", 400)):
        r = get(base, path)
        assert r.status_code == status and r.headers["content-type"].startswith("text/html"), (path, r.status_code)
        assert 'href="/"' in r.text and "<h1>" in r.text, path
        j = httpx.get(base + path, headers={"Accept": "application/json"}, timeout=120)
        assert j.status_code >= 400 and j.headers["content-type"].startswith("application/json"), path


def test_unknown_address_is_a_page_for_browsers_and_json_for_clients(site):
    base, _, _ = site
    r = get(base, "/no/such/page")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html") and "no page" in r.text
    assert httpx.get(base + "/no/such/page").json() == {"detail": "Not Found"}
    r = get(base, "/outcomes", "not-a-token")
    assert r.status_code == 401 and "Invalid token." in r.text and r.headers["www-authenticate"] == "Bearer"


COUNTED = re.compile(r'<a href="(/outcomes\?[^"]*)" title="the \d+ outcomes? counted here">(\d+)</a>')


@pytest.mark.parametrize("name,every_row", [("outcomes_by_country_year", True), ("outcomes_by_type_of_change", True),
                                            ("contributions_by_contributor", True), ("co_contributors", True),
                                            ("significance_contribution_matrix", False)])
@pytest.mark.parametrize("role", [None, "confidential"])
def test_query_counts_lead_to_the_outcomes_counted(site, name, every_row, role):
    """Every number a way to its evidence: a named query's outcome count links to the outcome list that
    holds exactly those outcomes (checked against the input files for country and year), for each role."""
    base, tokens, records = site
    token = tokens[role] if role else None
    body = get(base, f"/queries/{name}", token, params={"run": 1}).text
    rows = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0].count("<tr>")
    counted = COUNTED.findall(body)
    assert counted and (len(counted) == rows if every_row else len(counted) >= rows // 2), (name, len(counted), rows)
    seen = ex.visible(records, confidential=role is not None)
    for link, n in counted:
        link = html.unescape(link)
        page = get(base, link + "&limit=200", token).text
        ids = [html.unescape(x) for x in re.findall(r'<td class="id"><a href="[^"]+">([^<]+)</a>', page)]
        assert len(ids) == int(n), (name, link)
        q = parse_qs(urlparse(link).query)
        if name == "outcomes_by_country_year":
            assert sorted(ids) == sorted(i for i, r in seen.items() if r.countries and r.countries[0] == q["country"][0]
                                         and r.year == int(q["year"][0]))
    if role is None:
        assert not any(w in body for w in SECRET_WORDS + SECRET_LINKS)


def test_query_tables_show_names_not_iris(site):
    """A named query's table names what it links (the actor's name, the type of change's label, not an
    IRI or its last segment), its values of a facet lead to their outcomes, its column titles are words."""
    base, _, _ = site
    body = get(base, "/queries/contributions_by_contributor", params={"run": 1}).text
    shown = [html.unescape(n) for n in re.findall(r'<tr><td[^>]*><a href="/actors/[^"]+" title="[^"]*">([^<]+)</a></td>', body)]
    csv = html.unescape(re.search(r'<a href="([^"]+)" download>CSV</a>', body)[1])
    import csv as csv_
    names = [r["name"] for r in csv_.DictReader(httpx.get(base + csv).text.lstrip("\ufeff").splitlines())]
    assert len(shown) > 10 and shown == names, (shown[:5], names[:5])
    # ... once: the name column the links took their text from is not shown again beside them (the CSV keeps it)
    head = re.findall(r'<th scope="col" title="(\w+) ', body)
    assert "contributor" in head and "name" not in head, head
    body = get(base, "/queries/outcomes_by_type_of_change", params={"run": 1}).text
    assert not re.search(r"<td[^>]*>https?://", body)
    types = re.findall(r'<tr><td[^>]*><a href="(/outcomes\?type=[^"]+)" title="the (\d+) outcomes[^"]*">([^<]+)</a>', body)
    assert len(types) >= 5 and not any(t.startswith("http") for _, _, t in types)
    for link, n, _ in types[:3]:
        assert len(all_ids(base, html.unescape(link) + "&limit=200")) == int(n)
    body = get(base, "/queries/outcomes_by_country_year", params={"run": 1}).text
    assert '>country code</th>' in body and '>countryCode</th>' not in body


FRAGMENT_ID = re.compile(r"\b[A-Z]+-[A-Z]{3}\d{4}/[A-Z]{3}\d{3}\b")


@pytest.mark.parametrize("name, params", [("outcomes", {"country": "KE"}), ("negative_unintended_outcomes", {}),
                                          ("outcomes_of_actor", {"actor": "DefendDefenders"}),
                                          ("data_quality", {})])
def test_query_tables_show_an_outcomes_fragment_id_once(site, name, params):
    """A named query that answers an outcome and its FragmentID shows the FragmentID once a row: as the link
    to the outcome, not again in the next column (every row said it twice side by side); the CSV keeps both
    columns."""
    import csv as csv_

    base, _, _ = site
    body = get(base, f"/queries/{name}", params={"run": 1, **params}).text
    rows = re.findall(r"<tr>(<td[^>]*>.*?)</tr>", body, re.S)
    assert rows, name
    for row in rows:
        cells = [text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        ids = [c for c in cells if FRAGMENT_ID.fullmatch(c)]
        assert len(ids) == 1 and re.search(r'<td[^>]*><a href="/outcomes/', row), (name, cells[:4])
    csv = html.unescape(re.search(r'<a href="([^"]+)" download>CSV</a>', body)[1])
    head = next(csv_.reader(httpx.get(base + csv, timeout=120).text.lstrip("\ufeff").splitlines()))
    assert "outcome" in head and ({"id", "fragmentId"} & set(head)), head


def test_query_tables_name_results_framework_outcomes_and_programmes_in_words(site):
    """outcomes_by_rf_outcome's first column named each results-framework outcome by its IRI's tail
    ("SCC/outcome-1-1") beside its notation ("Outcome 1.1"): the link now reads as the notation, said once;
    contribution_split's programme column was titled "prog"."""
    base, _, _ = site
    body = get(base, "/queries/outcomes_by_rf_outcome", params={"run": 1}).text
    links = re.findall(r'<tr><td[^>]*><a href="[^"]+" title="[^"]*">([^<]+)</a></td>', body)
    assert len(links) > 5 and all(re.fullmatch(r"Outcome \d+(\.\d+)*", t) for t in links), links[:5]
    assert "outcome-1-1" not in text_of(body.split("<tbody>", 1)[1])
    head = re.findall(r'<th scope="col" title="(\w+) ', body)
    assert "rfOutcome" in head and "notation" not in head, head
    body = get(base, "/queries/contribution_split", params={"run": 1}).text
    titles = [text_of(t).strip() for t in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', body)]
    assert titles[0] == "programme" and "prog" not in titles, titles


@pytest.mark.parametrize("name, columns", [("data_quality", {"noEvidence", "noYear", "noContributionRating"}),
                                           ("negative_unintended_outcomes", {"negative", "unintended"})])
def test_query_tables_say_booleans_yes_or_no(site, name, columns):
    """A named query's yes-or-no column reads "yes" / "no" in the page, as an outcome's page says its flags
    (the table said "true" / "false"); the CSV and JSON keep the values as they were."""
    import csv as csv_

    base, _, _ = site
    body = get(base, f"/queries/{name}", params={"run": 1}).text
    head = re.findall(r'<th scope="col" title="(\w+) ', body)
    rows = [[text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(<td.*?)</tr>", body.split("<tbody>", 1)[1], re.S)]
    assert rows and columns <= set(head), head
    for c in columns:
        shown = {row[head.index(c)] for row in rows}
        assert shown and shown <= {"yes", "no"}, (name, c, shown)
    assert not {"true", "false"} & {v for row in rows for v in row}
    api = httpx.get(base + f"/queries/{name}", headers={"Accept": "application/json"}, timeout=120).json()
    assert {r[c] for r in api["rows"] for c in columns} == {"true", "false"}
    csv = list(csv_.DictReader(httpx.get(base + f"/queries/{name}", params={"format": "csv"}, timeout=120)
                               .text.lstrip("\ufeff").splitlines()))
    assert {r[c] for r in csv for c in columns} == {"true", "false"}


def test_linked_data_pages_lead_to_the_readers_pages(site):
    """A country's, an objective's, an actor's /id page links to its reader's page (the outcome list, the
    actor's page), and names the outcomes that refer to it by FragmentID, linked to their pages."""
    base, _, records = site
    body = get(base, "/id/place/KE").text
    assert '<a href="/outcomes?country=KE"><strong>' in body
    refs = [html.unescape(x) for x in re.findall(r'<a href="/outcomes/[^"]+" title="[^"]+">([^<]+)</a>', body)]
    kenya = {i for i, r in visible(records).items() if "KE" in r.countries}
    assert refs and set(refs) <= kenya
    # the prefixed name only beside the name, as an identifier (never the text a reader reads as its name)
    assert body.count("hgid:outcome/") == len(re.findall(r'<code class="iri">hgid:outcome/', body))
    assert '<a href="/actors/defenddefenders"><strong>' in get(base, "/id/actor/defenddefenders").text
    assert not any(w in body for w in SECRET_WORDS)


def test_linked_data_pages_name_every_term_and_link_it_to_its_page(site):
    """A resource's /id page names each property, class and value as a reader would (labels, read here from
    the ontology and the store's Turtle), never by its prefixed name alone; every IRI of this store it shows
    is a link to a page of this site (the resource's reader's page or linked-data page, or where /model
    explains the term), and the places on /model it links to exist."""
    from rdflib import Graph, URIRef

    base, _, _ = site
    path = "/id/outcome/SCC-KEN2508%2FCIV014"
    main = get(base, path).text.split("<main", 1)[1]
    turtle = Graph().parse(data=httpx.get(base + path, params={"format": "turtle"}).text, format="turtle")
    texts = re.findall(r"<a [^>]*>([^<]+)</a>", main)
    assert texts and not [t for t in texts if re.fullmatch(r"(hg|hgid|hgc|dcterms|prov|rdf|rdfs|skos|owl):\S+", t)]
    model_ids = set(re.findall(r'\bid="([^"]+)"', get(base, "/model").text))
    props = re.findall(r'<th scope="row"><a href="/model#([^"]+)"[^>]*>([^<]+)</a> <code class="curie iri">([^<]+)</code>',
                       main)
    assert ("p-hg-changedActor", "changed actor", "hg:changedActor") in props and len(props) >= 15
    assert {a for a, _, _ in props} <= model_ids
    for href in re.findall(r'href="/model#([^"]+)"', main):
        assert href in model_ids, href
    node = URIRef("https://w3id.org/harvestgraph/id/outcome/SCC-KEN2508%2FCIV014")
    ours = {str(t) for s, _, o in turtle for t in (s, o) if isinstance(t, URIRef) and t != node
            and (s == node or o == node) and str(t).startswith("https://w3id.org/harvestgraph/")}
    assert len(ours) >= 10
    for iri in ours:  # a link whose title is the IRI: its name, to its page
        assert re.search(rf'<a href="/[^"]*" title="{re.escape(iri)}">[^<]+</a>', main), iri
    assert '<a href="/actors/kenya-human-rights-commission" title="https://w3id.org/harvestgraph/id/actor/kenya-human-rights-commission">Kenya Human Rights Commission</a>' in main
    assert re.search(r'<a href="/id/contribution/SCC-KEN2508%2FCIV014/kenya-human-rights-commission" title="[^"]+">'
                     r"Contribution of Kenya Human Rights Commission to SCC-KEN2508/CIV014</a>", main)
    assert re.search(r'<a href="/model#hg-Outcome" title="[^"]+">Outcome</a>', main)
    assert re.search(r'<a href="/outcomes\?contribution=[^"]+" title="[^"]+">moderate</a>', main)
    # the identifier stays, secondary: beside the name, linked to the linked-data page where that is another page
    assert '<code class="iri">hgid:actor/kenya-human-rights-commission</code>' in main


@pytest.mark.parametrize("path", ["/id/programme/SCC", "/id/place/TD", "/id/objective/SCC/civ"])
def test_linked_data_pages_keep_confidential_records_from_the_anonymous_reader(site, path):
    """The names a linked-data page makes for resources without a label (a contribution by its outcome and
    agent) come only from what the reader may see: the confidential fragments' outcomes and actors are on
    these pages for the confidential role, and nowhere on them for an anonymous reader."""
    base, tokens, _ = site
    seen = get(base, path, tokens["confidential"])
    assert seen.status_code == 200 and any(w in seen.text for w in SECRET_WORDS), path
    anonymous = get(base, path)
    assert not any(w in anonymous.text for w in SECRET_WORDS), path


@pytest.mark.parametrize("path", ["/", "/outcomes", "/network", "/id/place/KE", "/queries/outcomes?run=1",
                                  "/outcomes/NOPE-0000%2FXXX", "/outcomes?year=abc", "/no/such/page",
                                  "/queries/no_such_query", "/signin"])
def test_every_page_has_a_way_back(site, path):
    """Every page a browser reaches from / (the served network view too, and every error page) links back
    to the start page."""
    base, _, _ = site
    r = get(base, path)
    assert r.headers["content-type"].startswith("text/html"), path
    assert "/" in links(r.text), path


@pytest.mark.parametrize("path", ["/", "/outcomes", "/id/place/KE", "/id/actor/defenddefenders", "/model", "/sparql"])
def test_every_page_says_what_its_reader_may_see(site, path):
    """The header of every page, the linked-data pages included, says whose view it is (public fragments
    only, or public and confidential), and a signed-in reader's page is never stored by a cache."""
    base, tokens, _ = site
    anonymous, confidential = get(base, path), get(base, path, tokens["confidential"])
    assert "public fragments only</span>" in anonymous.text, path
    assert "public and confidential fragments</span>" in confidential.text, path
    assert "no-store" in confidential.headers["cache-control"] and "no-store" not in anonymous.headers["cache-control"]


def test_confidential_records_are_marked_for_the_readers_who_see_them(site):
    """A reader with the confidential role sees which records concern people at risk: each confidential
    outcome is marked in the list, on its page (with a warning not to share it) and on its actors' pages;
    a public one is not, and no other reader meets the mark."""
    base, tokens, records = site
    secret_ids = sorted(i for i, r in records.items() if r.confidential)
    assert "SCC-TCD1903/CIV901" in secret_ids
    body = get(base, "/outcomes?limit=200", tokens["confidential"]).text
    marked = [html.unescape(x) for x in
              re.findall(r'<td class="id"><a href="[^"]+">([^<]+)</a> <span class="confidential"', body)]
    assert sorted(marked) == secret_ids
    page = get(base, "/outcomes/SCC-TCD1903%2FCIV901", tokens["confidential"]).text
    assert "Confidential record." in page
    assert "Confidential record." not in get(base, "/outcomes/SCC-KEN2508%2FCIV008", tokens["confidential"]).text
    actor = get(base, "/actors/quillfeather-solidarity-network", tokens["confidential"]).text
    assert re.search(r'SCC-TCD1904/CIV902</a> <span class="confidential"', actor)
    for token in (None, tokens["reader"]):
        assert 'class="confidential"' not in get(base, "/outcomes?limit=200", token).text
    # and in the search box's answer (the search "Zorbulax" finds only the confidential SCC-TCD1903/CIV901)
    found = get(base, "/search?q=Zorbulax", tokens["confidential"]).text
    assert re.search(r'SCC-TCD1903/CIV901</a> <span class="confidential"', found), found
    marked = re.findall(r'>([^<>]+)</a> <span class="confidential"', get(base, "/search?q=the", tokens["confidential"]).text)
    assert set(marked) <= set(secret_ids), marked


def test_outcome_flags_read_as_words(site):
    """An outcome's yes/no facts read "yes" / "no", not the literals "true" / "false"."""
    base, _, _ = site
    body = get(base, "/outcomes/SCC-KEN2508%2FCIV008").text
    assert "<dt>Negative</dt><dd>no</dd>" in body and "<dd>false</dd>" not in body


def test_an_actor_filter_reads_as_the_actors_names(site):
    """Following a co-contributor's shared-outcomes count from an actor's page, the list says whose
    outcomes these are by the actors' names (heading and the filter chips), not by their slugs."""
    base, _, _ = site
    page = get(base, "/actors/defenddefenders").text
    partners = re.findall(r'<td><a href="/actors/([^"]+)">([^<]+)</a></td><td class="num"><a href="([^"]+)"', page)
    assert partners
    slug, name, shared = partners[0]
    body = html.unescape(get(base, html.unescape(shared)).text)
    chips = re.findall(r'<a class="chip"[^>]*>([^<]*)<', body)
    assert any("actor: DefendDefenders" in c for c in chips), chips
    assert any(f"with: {html.unescape(name)}" in c for c in chips), chips
    assert not any(slug in c or "defenddefenders" in c for c in chips), chips
    assert f"and of {html.unescape(name)}" in re.search(r"<h1>.*?</h1>", body, re.S)[0]


@pytest.mark.parametrize("who", ["anonymous", "confidential"])
def test_an_actors_other_names_are_said_once(site, who):
    """The registry's names of an actor are stated in more than one graph the confidential role reads: its
    page lists each once ("Also called DefendDefenders, DD, DD, ..." was what a signed-in reader saw)."""
    base, tokens, _ = site
    for slug in ("defenddefenders", "SCC"):
        body = html.unescape(get(base, f"/actors/{slug}", tokens.get(who)).text)
        names = re.search(r"Also called ([^<]*?)\. ", body)[1].split(", ")
        assert len(names) == len(set(names)) >= 1, (slug, names)


def test_an_actors_facts_are_answered_once_each(corpus_store):
    """The actor page's facts query answers each (property, value shown) once, for the confidential role
    too, whose graphs state the registry's names more than once (the page said no name twice only because
    Python dropped the repeats)."""
    import pyoxigraph as ox

    from harvestgraph.api.pages import detail
    from harvestgraph.store.remote import with_values
    from harvestgraph.vocab import ID

    for ref in ("actor/defenddefenders", "programme/SCC"):
        text = with_values(detail._ACTOR, {"actor": ox.NamedNode(str(ID) + ref)})
        for confidential in (False, True):
            rows = [tuple(str(v) for v in r.values())
                    for r in corpus_store.select(text, graphs=corpus_store.visible_graphs(confidential=confidential))]
            assert rows and len(rows) == len(set(rows)), (ref, confidential, Counter(rows).most_common(3))


def test_an_outcomes_facts_are_answered_once_each(fresh_corpus_store):
    """The outcome page's facts query answers each (property, value) once with one label, also where the
    graphs name a value twice (a skos:prefLabel and an rdfs:label) or state it twice (a plain literal and
    the same text in a language): the page showed each once only because Python dropped the repeats."""
    import pyoxigraph as ox

    from harvestgraph.api.pages import detail
    from harvestgraph.store.remote import with_values
    from harvestgraph.vocab import HG, PUBLIC_UNION_GRAPH, PREFIXES, outcome_iri

    st = fresh_corpus_store
    outcome = ox.NamedNode(str(outcome_iri("SCC-KEN2508/CIV008")))
    country = st.select(f"SELECT ?c WHERE {{ {outcome} <{HG.country}> ?c }}",
                        graphs=st.visible_graphs(confidential=False))[0]["c"]
    description = st.select(f"SELECT ?d WHERE {{ {outcome} <{PREFIXES['dcterms']}description> ?d }}",
                            graphs=st.visible_graphs(confidential=False))[0]["d"]
    union = ox.NamedNode(str(PUBLIC_UNION_GRAPH))
    st.write([], [ox.Quad(country, ox.NamedNode(PREFIXES["rdfs"] + "label"), ox.Literal("Kenya (KE)"), union),
                  ox.Quad(outcome, ox.NamedNode(PREFIXES["dcterms"] + "description"),
                          ox.Literal(description.value, language="en"), union)])
    rows = [(r["p"].value, r["o"].value, r["label"].value if r.get("label") else None)
            for r in st.select(with_values(detail._PROPS, {"outcome": outcome}),
                               graphs=st.visible_graphs(confidential=False))]
    pairs = Counter((p, o) for p, o, _ in rows)
    assert rows and max(pairs.values()) == 1, pairs.most_common(3)
    assert (str(HG.country), country.value, "Kenya") in rows, [r for r in rows if r[0] == str(HG.country)]
    assert (PREFIXES["dcterms"] + "description", description.value, None) in rows


def test_the_network_marks_confidential_outcomes_for_the_confidential_role(site, secret):
    """The served network flags the confidential role's confidential outcomes in its data (framed, with a
    warning in their text) and says so in its legend; an anonymous or public reader's network flags nothing."""
    import json

    base, tokens, _ = site

    def nodes(token):
        body = get(base, "/network", token).text
        data = re.search(r'<script type="application/json" id="hg-data"[^>]*>(.*?)</script>', body, re.S)[1]
        return body, json.loads(data)["nodes"]

    body, shown = nodes(tokens["confidential"])
    marked = {n["label"] for n in shown if n.get("confidential")}
    assert marked == {"SCC-TCD1903/CIV901", "SCC-TCD1904/CIV902"} | set(secret), marked
    assert all(n["title"].startswith("CONFIDENTIAL") and n["borderWidth"] > 1 for n in shown if n.get("confidential"))
    assert not any(n["title"].startswith("CONFIDENTIAL") for n in shown if not n.get("confidential"))
    assert "Confidential outcome" in re.search(r'<div id="legend">.*?</div>', body, re.S)[0]
    for token in (None, tokens["reader"]):
        body, shown = nodes(token)
        assert shown and not any("confidential" in n for n in shown)
        assert "Confidential outcome" not in body


def test_an_unrated_outcome_says_not_rated(site, records):
    """An outcome the harvest did not rate says "not rated" in the list's rating columns and on its page
    (the cells were blank: unrated, or not shown?)."""
    base, _, _ = site
    for field, column, title in (("significance", "Significance", "Significance rating"),
                                 ("contribution", "Contribution", "Programme contribution rating")):
        unrated = sorted(k for k, r in records.items() if not getattr(r, field) and not r.confidential)
        rated = sorted(k for k, r in records.items() if getattr(r, field) and not r.confidential)
        assert unrated and rated, "the corpus must hold both, or this test could not fail"
        listed = get(base, "/outcomes?limit=200").text
        rows = re.findall(r'<tr><td class="id"><a href="[^"]*">([^<]+)</a>(.*?)</tr>', listed, re.S)
        cells = {html.unescape(fid): re.search(rf'<td data-label="{column}">(.*?)</td>', rest, re.S)[1]
                 for fid, rest in rows}
        assert all("not rated" in cells[k] for k in unrated), {k: cells[k] for k in unrated}
        assert all("not rated" not in cells[k] and cells[k].strip() for k in rated)
        page = get(base, "/outcomes/" + quote(unrated[0], safe="")).text
        assert re.search(rf"<dt>{title}</dt><dd>not rated</dd>", page), unrated[0]


def test_an_actors_address_in_another_case_leads_to_its_page(site):
    """/actors/scc (a programme's code typed in lower case) and /actors/DEFENDDEFENDERS lead to the actor's
    page (308, the query kept); an address that names no actor is a 404 that links to the actor list; a
    confidential fragment's actor in another case is as unknown to an anonymous reader as before."""
    base, tokens, _ = site
    for typed, canonical in (("scc", "SCC"), ("DEFENDDEFENDERS", "defenddefenders")):
        r = get(base, f"/actors/{typed}?x=1", follow_redirects=False)
        assert (r.status_code, r.headers["location"]) == (308, f"/actors/{canonical}?x=1")
        assert get(base, f"/actors/{typed}", follow_redirects=True).status_code == 200
    missing = get(base, "/actors/no-such-actor-at-all")
    assert missing.status_code == 404 and 'href="/actors"' in missing.text
    page = get(base, "/outcomes/" + quote("SCC-TCD1903/CIV901", safe=""), tokens["confidential"]).text
    found = re.search(r'href="/actors/([^"]+)">Quillfeather', page)
    assert found, "the confidential fragment names Quillfeather Solidarity Network: this test needs it"
    secret = found[1].swapcase()
    assert get(base, f"/actors/{secret}", follow_redirects=False).status_code == 404
    r = get(base, f"/actors/{secret}", tokens["confidential"], follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (308, f"/actors/{found[1]}")


def test_a_fragments_page_names_its_file_without_the_servers_folders(site, examples_dir):
    """A fragment's linked-data page shows its hg:sourceFile as the file's name (and a workbook's sheet), not
    the absolute path the server ingested it from, for every reader; the stored value is unchanged (its
    Turtle still says it: export and re-ingest use it)."""
    from harvestgraph.api.rest import id_href
    from harvestgraph.vocab import fragment_iri

    base, tokens, _ = site
    book = examples_dir / "xlsx" / "wep_harvest_2025.xlsx"
    in_book = next(r["fragment_id"].strip() for r in ex.read_xlsx_file(book) if r.get("fragment_id", "").strip())
    for fid, shown in (("XSS-KEN2501/CIV001", r"extra\.md"), (in_book, re.escape(book.name) + r"\[[^/\]]+\]")):
        href = id_href(str(fragment_iri(fid)))
        for token in (None, tokens["confidential"]):
            page = get(base, href, token).text
            cell = re.search(r'<code class="curie iri">hg:sourceFile</code></th><td>(.*?)</td>', page, re.S)[1]
            assert re.fullmatch(shown, html.unescape(re.sub(r"<[^>]+>", "", cell))), cell
            assert str(examples_dir.resolve()) not in page and "/in/extra.md" not in page
    turtle = get(base, id_href(str(fragment_iri("XSS-KEN2501/CIV001"))) + "?format=turtle").text
    assert "/in/extra.md" in turtle


def test_the_fragment_record_query_page_shows_the_record_as_fields(site):
    """The raw record (one JSON array in the store) is shown as the harvester wrote it: each field's name as
    written, in order, with its line, what the reader read it as, and its value, escaped; the downloads
    keep the JSON."""
    base, tokens, _ = site
    page = get(base, "/queries/fragment_record", params={"run": 1, "fragment": "XSS-KEN2501/CIV001"}).text
    record = re.search(r'<details class="record" open>(.*?)</details>', page, re.S)
    assert record, page[:500]
    names = [html.unescape(n).strip() for n in re.findall(r"<dt>([^<]*)<small>", record[1])]
    want = [line.split("**")[1] for line in SECRET_FRAGMENTS.split("---\n")[2].splitlines() if line.startswith("**")]
    assert names == want
    line = next(i for i, t in enumerate(SECRET_FRAGMENTS.splitlines(), 1) if t.startswith("**Outcome description**: The county"))
    assert f"<dt>Outcome description <small>line {line} · read as outcome_description</small></dt>" in record[1]
    assert "<script>" not in record[1] and "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in record[1]
    assert '"fieldName"' not in page and "[[" not in page  # the JSON is not shown as it is stored
    csv = html.unescape(re.search(r'<a href="([^"]+)" download>CSV</a>', page)[1])
    assert '[[""FragmentID""' in httpx.get(base + csv).text


def test_the_fragment_record_query_page_names_the_file_without_the_servers_folders(site, examples_dir):
    """The named query fragment_record's page shows the sourceFile column as the fragment's page does: the
    file's name (and a workbook's sheet), not the folders the server ingested it from, for every reader; its
    CSV and JSON downloads keep the stored path (export and re-ingest use it)."""
    base, tokens, _ = site
    book = examples_dir / "xlsx" / "wep_harvest_2025.xlsx"
    in_book = next(r["fragment_id"].strip() for r in ex.read_xlsx_file(book) if r.get("fragment_id", "").strip())
    for fid, shown in (("XSS-KEN2501/CIV001", r"extra\.md"), (in_book, re.escape(book.name) + r"\[[^/\]]+\]")):
        for token in (None, tokens["confidential"]):
            page = get(base, "/queries/fragment_record", token, params={"run": 1, "fragment": fid})
            assert page.status_code == 200, page.text[:300]
            head = re.findall(r'<th scope="col" title="(\w+) ', page.text)
            row = re.findall(r"<td[^>]*>(.*?)</td>", re.search(r"<tbody>(.*?)</tbody>", page.text, re.S)[1], re.S)
            assert len(row) == len(head) and "sourceFile" in head, (head, row)
            cell = html.unescape(re.sub(r"<[^>]+>", "", row[head.index("sourceFile")]))
            assert re.fullmatch(shown, cell), cell
            assert str(examples_dir.resolve()) not in page.text and "/in/extra.md" not in page.text
            csv = html.unescape(re.search(r'<a href="([^"]+)" download>CSV</a>', page.text)[1])
            stored = httpx.get(base + csv, headers={"Authorization": f"Bearer {token}"} if token else {}).text
            assert ("/in/extra.md" if fid.startswith("XSS") else str(book.resolve())) in stored, stored[:300]


def test_an_outcome_page_leads_to_the_record_it_was_read_from(site, examples_dir):
    """An outcome's page names the file (without the server's folders) and line its fragment was read from,
    and leads to the record as the harvester wrote it (the named query fragment_record, answered) and to its
    fragment's page: a reader can check any fact against its source, for a confidential record too."""
    base, tokens, records = site
    confidential = next(i for i, r in sorted(records.items()) if r.confidential and i.startswith("SCC-TCD"))
    for fid, token, file in (("XSS-KEN2501/CIV001", None, "extra.md"), (confidential, tokens["confidential"], "extra.md")):
        page = get(base, "/outcomes/" + quote(fid, safe=""), token).text
        source = re.search(r'<p class="source">(.*?)</p>', page, re.S)
        assert source, "the outcome page names no source"
        assert re.search(rf"<strong>{re.escape(file)}</strong>, line \d+", source[1]), source[1]
        assert "/in/" not in source[1] and str(examples_dir.resolve()) not in page
        hrefs = [html.unescape(h) for h in re.findall(r'href="([^"]+)"', source[1])]
        record = next(h for h in hrefs if h.startswith("/queries/fragment_record?"))
        answer = get(base, record, token)
        assert answer.status_code == 200 and "<tbody>" in answer.text and html.escape(fid) in answer.text
        fragment = next(h for h in hrefs if h.startswith("/id/fragment/"))
        assert get(base, fragment, token).status_code == 200
    # the anonymous reader does not get the confidential record's source either
    assert get(base, "/outcomes/" + quote(confidential, safe="")).status_code == 404


def test_an_actors_outcomes_lead_to_their_countries(site, records):
    """On an actor's page each outcome's country leads to the outcomes of that country (the outcome's page
    did, the actor's page said the country in words only), and that list holds the outcome."""
    base, _, _ = site
    body = get(base, "/actors/defenddefenders").text
    items = re.findall(r'<li><p><a href="/outcomes/([^"]+)">[^<]+</a>.*?<small>(.*?)</small>', body, re.S)
    assert items, "DefendDefenders' page lists no outcome"
    for encoded, small in items:
        fid = unquote(html.unescape(encoded))
        link = re.search(r'<a href="(/outcomes\?country=[^"]+)"[^>]*>([^<]+)</a>', small)
        assert link, (fid, small)
        code = records[fid].countries[0]
        assert html.unescape(link[1]) == f"/outcomes?country={code}", (fid, link[1])
        assert fid in all_ids(base, html.unescape(link[1]) + "&limit=200")


def test_the_downloads_page_offers_every_export_for_the_readers_outcomes(site):
    """/exports (no page before: the exports were reachable by no link) lists every export kind with a download
    link per format, linked from the start page and the network view; each file is the reader's: the
    filters are passed on, an anonymous reader's has no confidential record, the confidential role's has them
    and its page warns not to share them. A JSON client still gets no page there."""
    from harvestgraph.outputs.export import MEDIA_TYPES
    from harvestgraph.outputs.formats import KINDS

    base, tokens, records = site
    assert 'href="/exports"' in get(base, "/").text and 'href="/report"' in get(base, "/").text
    assert re.search(r'href="/exports\?country=KE"', get(base, "/network?country=KE").text)
    page = get(base, "/exports?country=KE")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    offered = {html.unescape(h) for h in re.findall(r'<a href="(/exports/[^"]+)" download>', page.text)}
    assert offered == {f"/exports/{k}?country=KE&format={f}" for k, fs in KINDS.items() for f in fs}, offered
    for href in sorted(offered):
        r = httpx.get(base + href, timeout=120)
        fmt = parse_qs(urlparse(href).query)["format"][0]
        assert r.status_code == 200 and r.headers["content-type"] == MEDIA_TYPES[fmt][0], (href, r.status_code)
    secret = {i for i, r in records.items() if r.confidential}
    public_ke = {i for i, r in records.items() if not r.confidential and "KE" in r.countries[:1]}
    csv_href = html.unescape(re.search(r'<a href="(/exports/contributions\?[^"]*format=csv)"', page.text)[1])
    rows = httpx.get(base + csv_href, timeout=120).text.splitlines()[1:]
    assert rows and {r.split(",")[0].lstrip("\ufeff") for r in rows} <= public_ke
    assert "confidential" not in page.text.lower().replace("public records only", "")
    conf = get(base, "/exports", tokens["confidential"])
    assert "They include the confidential records" in conf.text
    href = html.unescape(re.search(r'<a href="(/exports/outcomes\?format=csv)"', conf.text)[1])
    body = httpx.get(base + href, headers={"Authorization": f"Bearer {tokens['confidential']}"}, timeout=120).text
    assert secret and all(i in body for i in secret)
    assert not any(i in httpx.get(base + href, timeout=120).text for i in secret)
    assert httpx.get(base + "/exports", headers={"Accept": "application/json"}).status_code == 404


def test_the_downloads_page_names_a_filter_its_files_would_refuse(site):
    """/exports with a country the store does not know, a year that is not one or a rating that is none: the
    page says so (400, the value named) and its links, the report's and the network view's leave that
    filter out, instead of offering links whose download fails without a word (a browser shows a refused
    download as "Failed"). The form keeps what was typed, to be corrected; good filters pass on."""
    base, _, _ = site
    r = get(base, "/exports?country=Narnia&year_from=20x4&min_rating=huge&programme=SCC")
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    shown = text_of(r.text)
    for typed in ("'Narnia'", "'20x4'", "'huge'"):
        assert typed in shown, (typed, shown[:1500])
    p = Links()
    p.feed(r.text)
    files = [h for h in p.hrefs if h.startswith("/exports/")]
    views = [h for h in p.hrefs if h.startswith(("/report", "/network"))]
    assert files and views
    for h in files + views:
        assert "programme=SCC" in h and not re.search(r"Narnia|20x4|huge|country=|year_from=|min_rating=", h), h
    for h in files[:2] + views:
        assert httpx.get(base + h, timeout=120).status_code == 200, h
    assert 'value="Narnia"' in r.text and 'value="20x4"' in r.text
    good = get(base, "/exports?country=Kenya&year_from=2024&min_rating=2")
    assert good.status_code == 200 and "Please check" not in good.text
    assert "/exports/outcomes?country=Kenya&amp;year_from=2024&amp;min_rating=2&amp;format=csv" in good.text


def test_the_report_explains_its_measures_and_leads_to_its_files(site):
    """The served report says what PageRank and co-contributors are and titles the communities' columns in
    words (it showed the export's ``top_actor``), and leads to the downloads of the same selection."""
    base, _, _ = site
    for query in ("", "?country=KE"):
        body = get(base, "/report" + query).text
        assert f'href="/exports{html.escape(query)}"' in body, re.search(r"<nav>.*?</nav>", body, re.S)[0]
        assert "top_actor" not in body and "most central actor" in body
        assert re.search(r"<caption>[^<]*PageRank: how central[^<]*</caption>", body)
        assert re.search(r"<caption>[^<]*Co-contributors: [^<]*</caption>", body)


def test_query_tables_mark_the_confidential_records_for_the_readers_who_see_them(site):
    """A named query's table marks each confidential record where it shows its FragmentID (a link to its
    outcome, the fragment_record's id), as the outcome list and pages do, for the confidential role: the
    outcome page's way to "the record as the harvester wrote it" led to an unmarked table."""
    base, tokens, records = site
    secret = sorted(i for i, r in records.items() if r.confidential)
    mark = r'\s*<span class="confidential"[^>]*>confidential</span>'
    body = get(base, "/queries/fragment_record", tokens["confidential"], params={"run": 1, "fragment": secret[0]}).text
    assert re.search(rf"<td[^>]*>{re.escape(html.escape(secret[0]))}{mark}</td>", body), body[-3000:]
    body = get(base, "/queries/outcomes", tokens["confidential"], params={"run": 1}).text
    marked = {html.unescape(m) for m in re.findall(rf'<a href="/outcomes/[^"]+" title="[^"]*">([^<]+)</a>{mark}', body)}
    shown = {html.unescape(m) for m in re.findall(r'<a href="/outcomes/[^"]+" title="[^"]*">([^<]+)</a>', body)}
    assert marked == set(secret) & shown and marked, (marked, secret)
    public = next(i for i, r in sorted(records.items()) if not r.confidential)
    for token in (None, tokens["reader"], tokens["confidential"]):
        body = get(base, "/queries/fragment_record", token, params={"run": 1, "fragment": public}).text
        assert 'class="confidential"' not in body


def test_an_outcomes_results_framework_outcome_leads_to_the_outcomes_linked_to_it(site):
    """An outcome's results-framework outcome ("Outcome 1.1") leads to the programme's outcomes linked to it
    (the named query outcomes, answered), not to a page of triples: exactly the visible records of that
    programme that name it."""
    base, _, records = site
    seen = ex.visible(records, confidential=False)
    fid = next(i for i, r in sorted(seen.items()) if r.rf_outcomes and r.programme)
    page = get(base, "/outcomes/" + quote(fid, safe="")).text
    dd = re.search(r"<dt>Results-framework outcome</dt><dd>(.*?)</dd>", page, re.S)[1]
    link = html.unescape(re.search(r'<a href="([^"]+)">', dd)[1])
    assert link.startswith("/queries/outcomes?"), link
    q = parse_qs(urlparse(link).query)
    body = get(base, link).text
    got = {html.unescape(x) for x in re.findall(r'<a href="/outcomes/[^"]+" title="[^"]+">([^<]+)</a>', body)}
    rf = q["rf_outcome"][0].lower()
    want = {i for i, r in seen.items() if r.programme == q["programme"][0] and rf in [x.strip().lower() for x in r.rf_outcomes]}
    assert fid in got and got == want, (got ^ want)


def test_an_actors_counts_of_none_lead_nowhere(site):
    """On an actor's page a count of 0 (a programme changed in no outcome) is said, not a link to an empty
    list; a count above 0 is a link to exactly its outcomes."""
    base, _, _ = site
    body = get(base, "/actors/SCC").text
    stats = re.search(r'<p class="stats">(.*?)</p>', body, re.S)[1]
    assert "<strong>0</strong> outcomes in which it changed" in stats
    assert "role=changed" not in stats
    n, href = re.search(r'<a href="([^"]+role=contributor)"><strong>(\d+)</strong>', stats).group(2, 1)
    assert int(n) > 0 and len(all_ids(base, html.unescape(href) + "&limit=200")) == int(n)


@pytest.mark.parametrize("path", ["/network", "/report", "/report?country=KE"])
def test_the_network_and_the_report_say_whose_view_they_are(site, path):
    """The served network view and the printable report (pages without the site's header) say, at their top,
    whose view they are; for the confidential role with a warning not to print or share them beyond it."""
    base, tokens, _ = site
    anonymous, reader, confidential = (get(base, path, t) for t in (None, tokens["reader"], tokens["confidential"]))
    top = lambda r: r.text.split("<body>", 1)[1][:600]  # noqa: E731
    assert "Public fragments only." in top(anonymous) and 'href="/signin"' in top(anonymous)
    assert "Public fragments only." in top(reader) and "/signin" not in top(reader)
    assert "Public and confidential fragments." in top(confidential) and "do not print" in top(confidential)
    assert "confidential fragments" not in anonymous.text and "confidential fragments" not in reader.text
    for r in (anonymous, reader, confidential):
        # the page's first element, styled by the page's stylesheet (rendered with the page, not patched in)
        first = re.match(r"\s*<p [^>]*>", r.text.split("<body>", 1)[1])
        assert first and 'class="scope' in first[0] and "style=" not in first[0], first
        assert re.search(r"p\.scope \{[^}]*border-bottom", r.text)
