"""Walk a running ``harvestgraph serve`` as a reader's browser does: headless Chromium starts at ``/`` and
follows every same-origin link, anonymous and (with ``--token-file``) signed in, at each ``--width``; it
prints one line per page with a finding and the totals, writes every visit to ``OUT/crawl.json`` and one
screenshot per kind of page and width to ``OUT/``. A maintenance and test tool, not part of the server:
the Chromium crawl test (tests/pages/test_pages_browser.py) imports :func:`crawl` from here.

    python scripts/crawl_pages.py http://127.0.0.1:8000 --token-file token --secrets conf_ids.txt --out /tmp/crawl

``--secrets``: a file of strings, one a line, that an anonymous reader's page must never contain
(confidential FragmentIDs, names of actors known only from confidential fragments). Exit status 1 if one
does, or a page answered 5xx.

For every page it records the status, the content type, the load time, console errors, horizontal overflow
(``document.scrollWidth > innerWidth``), a link that leads a browser to JSON / Turtle / plain text where a
page was expected (a link marked ``download`` may lead to any type), a dead end (no link into the site),
raw IRIs in the visible text, and, for a reader who may not see them, any of the ``secrets`` anywhere in
the page's HTML.

Links are many (each facet value of each list links to a narrower list, each linked-data page to every
node it names): every reader's page without a query string is visited (each outcome, actor, query), and of
the addresses with one, and of the linked-data pages (``/id/...``), at most ``per_kind`` per *kind* (the
path with its ids replaced, and the names of its parameters), so a crawl of a small store is complete for
the entity pages and samples the combinations of filters.

    >>> with chromium() as browser:                                   # doctest: +SKIP
    ...     result = crawl(browser, "http://127.0.0.1:8000", secrets=["DEV9-AFRP01"])
    ...     [p.url for p in result.pages if p.leaks]
    []
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from harvestgraph.api.headless import chromium, same_origin_only

HTML = ("text/html", "application/xhtml+xml")
# Paths whose answer is a file, not a page (the browser may show or save it; a link to it is a download).
FILES = re.compile(r"^/(static/|exports/|model/[a-z]+\.ttl$|openapi\.json$)")
READY = ("() => window.hgReady === true || (window.hgExplore && hgExplore.ready) || "
         "!document.querySelector('script[src$=\"pages.js\"], script[src$=\"sparql-editor.js\"], "
         "script[src$=\"explore.bundle.js\"]')")
IRI_TEXT = re.compile(r"https?://w3id\.org/harvestgraph/id/\S+")

# What the page itself tells after it loaded (one evaluation, so that a page costs one round trip).
_PAGE_FACTS = """() => {
  const main = document.querySelector('main') || document.body;
  const links = Array.from(document.querySelectorAll('a[href]')).map(a => ({
    href: a.href, download: a.hasAttribute('download'), text: (a.innerText || '').trim().slice(0, 80)}));
  const text = document.body ? document.body.innerText : '';
  const iriLabel = Array.from(document.querySelectorAll('.iri, [data-iri]')).map(e => e.innerText).join(' ');
  return {
    links, text: text.slice(0, 200000), iriLabelled: iriLabel,
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    title: document.title, mainText: (main.innerText || '').trim().length,
    empty: Array.from(document.querySelectorAll('.empty')).map(e => e.innerText.trim()),
    wide: document.documentElement.scrollWidth <= window.innerWidth ? [] :
      Array.from(document.querySelectorAll('main *')).filter(e => {
        const r = e.getBoundingClientRect(); return r.right > window.innerWidth + 1 && r.width > 0;
      }).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '')),
  };
}"""


@dataclass
class PageVisit:
    """One page as a browser met it."""

    url: str  # path and query
    kind: str
    width: int
    status: int | None = None
    content_type: str = ""
    seconds: float = 0.0
    console_errors: list[str] = field(default_factory=list)
    overflow: int = 0  # pixels the page is wider than the window
    wide: list[str] = field(default_factory=list)  # elements that stick out
    links: int = 0
    nav_links: int = 0  # links into the site's pages (a dead end has none)
    raw_iris: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    problem: str = ""  # the browser could not show it as a page (a download, an error)
    from_page: str = ""
    link_text: str = ""
    screenshot: str = ""

    @property
    def is_html(self) -> bool:
        return self.content_type.split(";")[0].strip() in HTML


@dataclass
class CrawlResult:
    pages: list[PageVisit]
    found: int  # distinct same-origin addresses linked
    skipped: int  # addresses left out by the per-kind cap
    downloads: dict[str, str]  # download links: address -> content type

    def statuses(self) -> Counter:
        return Counter(p.status for p in self.pages)


def kind_of(path: str, query: str = "") -> str:
    """The kind of page an address is: ids replaced by placeholders, parameter names kept (sorted)."""
    p = re.sub(r"^/outcomes/.+", "/outcomes/{id}", path)
    p = re.sub(r"^/actors/[^/]+$", "/actors/{slug}", p)
    p = re.sub(r"^/id/([a-z-]+)/.+", r"/id/\1/{id}", p)
    p = re.sub(r"^/queries/[^/]+$", "/queries/{name}", p)
    names = sorted({k for k, _ in parse_qsl(query, keep_blank_values=True)})
    return p + ("?" + "&".join(names) if names else "")


def _norm(base: str, href: str) -> str | None:
    """A same-origin link as path?query (no fragment), or None for another origin / scheme."""
    url, _ = urldefrag(urljoin(base + "/", href))
    u, b = urlsplit(url), urlsplit(base)
    if (u.scheme, u.netloc) != (b.scheme, b.netloc):
        return None
    return (u.path or "/") + (f"?{u.query}" if u.query else "")


def crawl(browser, base: str, *, width: int = 1280, height: int = 800, token: str | None = None,
          secrets: list[str] | Callable[[str], list[str]] = (), per_kind: int = 6, limit: int = 2000,
          shots: Path | None = None, skip: re.Pattern | None = re.compile(r"^/(signout|sparql\?)"),
          ready_wait: float = 20.0, complete: bool = True, log=None) -> CrawlResult:
    """Visit ``base``'s pages breadth first from ``/`` in one browser context of ``width`` x ``height``,
    signed in with ``token`` through the sign-in form if given. ``secrets``: strings no page may contain
    (checked in the HTML, case-sensitive), or a function of a page's HTML that returns those it found.
    ``complete=False``: at most ``per_kind`` pages of every path kind, with and without a query string (a
    sample of each kind of page). ``shots``: a folder for one full-page screenshot per path kind, with and
    without a query string. A page's time runs from the request to ``window.hgReady`` (every page's
    script sets it when the page is usable) or the ``load`` event of a page without it."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    refused = same_origin_only(page, base)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    if token:
        page.goto(base + "/signin")
        page.fill("#token", token)
        page.click("form.signin button[type=submit]")
        page.wait_for_load_state()
        if context.cookies() == []:
            raise RuntimeError("signing in set no cookie")
    queue: deque[tuple[str, str, str]] = deque([("/", "", "")])
    seen = {"/"}
    per: Counter = Counter()
    visits: list[PageVisit] = []
    downloads: dict[str, str] = {}
    skipped = 0
    shot_kinds: set[str] = set()
    while queue and len(visits) < limit:
        url, came_from, link_text = queue.popleft()
        path, _, query = url.partition("?")
        v = PageVisit(url=url, kind=kind_of(path, query), width=width, from_page=came_from, link_text=link_text)
        path_kind = kind_of(path)
        visits.append(v)
        errors.clear()
        t0 = time.perf_counter()
        try:
            resp = page.goto(base + url, wait_until="load", timeout=60_000)
        except Exception as exc:  # a download (Chromium does not show the type) or a network error
            v.problem = str(exc).splitlines()[0][:200]
            v.seconds = time.perf_counter() - t0
            r = context.request.get(base + url, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
            v.status, v.content_type = r.status, r.headers.get("content-type", "")
            continue
        v.seconds = time.perf_counter() - t0
        v.status = resp.status if resp else None
        v.content_type = (resp.headers.get("content-type", "") if resp else "")
        try:  # the pages' scripts say when they are done (the editor, the workbench: after their first request)
            page.wait_for_function(READY, timeout=ready_wait * 1000)
        except Exception:
            v.problem = f"not ready (window.hgReady) after {ready_wait:.0f} s" if v.is_html else ""
        v.seconds = time.perf_counter() - t0
        facts = page.evaluate(_PAGE_FACTS)
        v.console_errors = list(errors)
        v.overflow = max(0, facts["scrollWidth"] - facts["innerWidth"])
        v.wide = facts["wide"] if v.overflow else []
        v.empty = facts["empty"]
        if callable(secrets):
            v.leaks = sorted(set(secrets(page.content())))
        elif secrets:
            html = page.content()
            v.leaks = sorted({s for s in secrets if s in html})
        text = facts["text"]
        for labelled in facts["iriLabelled"].split():
            text = text.replace(labelled, "")
        v.raw_iris = sorted(set(IRI_TEXT.findall(text)))[:5]
        shot_kind = path_kind + ("_q" if query else "")
        if shots is not None and shot_kind not in shot_kinds and v.is_html:
            shot_kinds.add(shot_kind)
            name = re.sub(r"[^A-Za-z0-9]+", "_", shot_kind).strip("_") or "home"
            v.screenshot = str(shots / f"{name}_{width}.png")
            page.screenshot(path=v.screenshot, full_page=True)
        for link in facts["links"]:
            target = _norm(base, link["href"])
            if target is None:
                continue
            v.links += 1
            tpath, _, tquery = target.partition("?")
            if link["download"] or FILES.match(tpath):
                if target not in downloads:
                    r = context.request.get(base + target,
                                            headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
                    downloads[target] = f"{r.status} {r.headers.get('content-type', '')}" + (
                        "" if link["download"] else " (no download attribute)")
                continue
            v.nav_links += 1
            if target in seen or (skip and skip.match(target)):
                continue
            seen.add(target)
            k = kind_of(tpath, tquery) if complete else kind_of(tpath) + ("?" if tquery else "")
            if (tquery or tpath.startswith("/id/") or not complete) and per[k] >= per_kind:
                skipped += 1
                continue
            per[k] += 1
            queue.append((target, url, link["text"]))
        if log:
            log(v)
    context.close()
    if refused:
        raise RuntimeError(f"requests to other hosts: {refused[:5]}")
    return CrawlResult(visits, len(seen) + len(downloads), skipped + len(queue), downloads)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("base")
    ap.add_argument("--token-file", help="a reader token: crawl signed in too")
    ap.add_argument("--secrets", help="file of strings an anonymous page must not contain")
    ap.add_argument("--width", type=int, action="append", help="viewport widths (default 1280 and 390)")
    ap.add_argument("--only-signed-in", action="store_true", help="with --token-file: skip the anonymous crawl")
    ap.add_argument("--per-kind", type=int, default=6, help="addresses with a query string per kind of page")
    ap.add_argument("--limit", type=int, default=2000, help="pages per crawl (one reader, one width)")
    ap.add_argument("--out", default="crawl-out")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    secrets = [s.strip() for s in Path(args.secrets).read_text().splitlines() if s.strip()] if args.secrets else []
    who = [("anonymous", None)]
    if args.token_file:
        who.append(("signed-in", Path(args.token_file).read_text().strip()))
    if args.only_signed_in:
        who = who[1:]
    heights = {390: 844}
    report, bad = [], 0
    with chromium() as browser:
        for width in args.width or [1280, 390]:
            for name, token in who:
                shots = out / name
                shots.mkdir(exist_ok=True)
                cpu0, t0 = os.times(), time.time()

                def log(v, name=name):
                    notes = [n for n in (
                        f"status {v.status}" if (v.status or 0) >= 400 else "",
                        f"not HTML: {v.content_type}" if not v.is_html else "",
                        v.problem, f"overflow {v.overflow}px {v.wide}" if v.overflow else "",
                        f"console {v.console_errors[:2]}" if v.console_errors else "",
                        "dead end" if v.is_html and not v.nav_links else "",
                        f"raw IRIs {v.raw_iris[:2]}" if v.raw_iris else "",
                        f"LEAK {v.leaks}" if v.leaks and token is None else "",
                        f"slow {v.seconds:.1f}s" if v.seconds > 3 else "") if n]
                    if notes:
                        print(f"[{name} {width}] {v.url} (from {v.from_page}): {'; '.join(notes)}", flush=True)

                res = crawl(browser, args.base, width=width, height=heights.get(width, 800), token=token,
                            secrets=secrets if token is None else [], per_kind=args.per_kind, limit=args.limit,
                            shots=shots, log=log)
                cpu1 = os.times()
                slow = max(res.pages, key=lambda p: p.seconds)
                print(f"== {name} {width}px: {len(res.pages)} pages, {res.found} addresses linked, {res.skipped} "
                      f"left out by the per-kind cap, {len(res.downloads)} downloads; statuses "
                      f"{dict(res.statuses())}; slowest {slow.url} {slow.seconds:.2f}s; wall {time.time() - t0:.0f}s, "
                      f"crawler CPU {cpu1.user - cpu0.user + cpu1.system - cpu0.system:.1f}s; "
                      f"load {os.getloadavg()[0]:.2f}", flush=True)
                for url, what in sorted(res.downloads.items()):
                    print(f"   download {url}: {what}")
                bad += sum(1 for p in res.pages if (p.leaks and token is None) or (p.status or 0) >= 500)
                report.append({"who": name, "width": width, "found": res.found, "skipped": res.skipped,
                               "downloads": res.downloads, "pages": [asdict(p) for p in res.pages]})
    (out / "crawl.json").write_text(json.dumps(report, indent=1))
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
