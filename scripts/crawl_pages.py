"""Walk a running ``harvestgraph serve`` as a reader's browser does (:mod:`harvestgraph.api.crawl`): from
``/``, every same-origin link, anonymous and (with ``--token-file``) signed in, at each ``--width``; print one
line per page with a finding and the totals, write every visit to ``OUT/crawl.json`` and one screenshot per
kind of page and width to ``OUT/``.

    python scripts/crawl_pages.py http://127.0.0.1:8000 --token-file token --secrets conf_ids.txt --out /tmp/crawl

``--secrets``: a file of strings, one a line, that an anonymous reader's page must never contain
(confidential FragmentIDs, names of actors known only from confidential fragments). Exit status 1 if one
does, or a page answered 5xx."""

from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import asdict
from pathlib import Path

from harvestgraph.api.crawl import crawl
from harvestgraph.api.headless import chromium


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
