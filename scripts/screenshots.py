"""Screenshots of the researcher's pages for docs/ (``make screenshots``): starts ``harvestgraph serve`` on
the demo store (out/demo/store, built by ``make demo``) on a free port, opens the pages in headless
Chromium (Debian's, every request outside the server refused) and writes docs/screenshots/*.png.
Not part of the test run: tests never write tracked files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from harvestgraph.api.headless import chromium, same_origin_only, serve, stop

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--store", default=str(REPO / "out" / "demo" / "store"))
    ap.add_argument("--out", default=str(REPO / "docs" / "screenshots"))
    ap.add_argument("--actor", default="defenddefenders", help="slug of the actor page to show")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    proc, base = serve(args.store, "--read-only")
    try:
        with chromium() as browser:
            page = browser.new_page(viewport={"width": 1360, "height": 900})
            refused = same_origin_only(page, base)
            shots = {
                "home": "/",
                "outcomes": "/outcomes?country=KE&limit=10",
                "actor": f"/actors/{args.actor}",
                "sparql": "/sparql",
            }
            for name, path in shots.items():
                page.goto(base + path)
                page.wait_for_function("() => window.hgReady === true", timeout=30_000)
                if name == "sparql":
                    page.locator(".yasqe .yasqe_queryButton").click()
                    page.wait_for_function("() => (window.hgDrawn || 0) > 0", timeout=120_000)
                    page.set_viewport_size({"width": 1360, "height": 1150})
                page.screenshot(path=str(out / f"{name}.png"), full_page=name != "sparql")
                print(f"wrote {out / (name + '.png')}")
        if refused:
            print("refused outside requests:", refused, file=sys.stderr)
            return 1
    finally:
        stop(proc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
