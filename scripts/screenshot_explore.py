"""Screenshot of /explore on the demo store: docs/screenshots/explore.png.

    python scripts/screenshot_explore.py [--store out/demo/store] [--out docs/screenshots/explore.png] [--query "colour=community"]

Starts ``harvestgraph serve --read-only`` on a free 127.0.0.1 port, opens /explore in headless Chromium
(/usr/bin/chromium, every request to another host blocked), waits for the first picture, selects the most
central node so the detail panel shows its evidence, and writes the PNG. `make demo` builds the store.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from harvestgraph.api.headless import chromium, same_origin_only, serve, stop

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", default=str(ROOT / "out" / "demo" / "store"))
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots" / "explore.png"))
    ap.add_argument("--query", default="", help="view state, e.g. colour=community&country=KE")
    ap.add_argument("--select", default="top", help="node key to select, 'top' (most central actor) or ''")
    args = ap.parse_args(argv)
    proc, base = serve(args.store, "--read-only", ready="/queries")
    try:
        with chromium() as browser:
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            blocked = same_origin_only(page, base)
            page.goto(f"{base}/explore" + (f"?{args.query}" if args.query else ""))
            page.wait_for_function("() => window.hgExplore && window.hgExplore.ready", timeout=60_000)
            if args.select:
                key = args.select
                if key == "top":
                    key = page.evaluate("""() => hgExplore.view.nodes.filter(n => !['outcome','objective','cluster']
                        .includes(n.kind)).sort((a, b) => b.pagerank - a.pagerank)[0].id""")
                page.locator(f'#node-list button[data-node="{key}"]').click()
                page.wait_for_function("() => hgExplore.detailsReady", timeout=30_000)
            page.wait_for_timeout(300)
            out = Path(args.out)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out), full_page=True)
    finally:
        stop(proc)
    if blocked:
        print(f"blocked requests to other hosts: {blocked}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
