"""Screenshots of the researcher's pages for docs/ (``make screenshots``): starts ``harvestgraph serve`` on
the demo store (out/demo/store, built by ``make demo``) on a free port, opens the pages in headless
Chromium (Debian's, every request outside the server refused) and writes docs/screenshots/*.png.
Not part of the test run: tests never write tracked files."""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--store", default=str(REPO / "out" / "demo" / "store"))
    ap.add_argument("--out", default=str(REPO / "docs" / "screenshots"))
    ap.add_argument("--actor", default="defenddefenders", help="slug of the actor page to show")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([str(Path(sys.executable).parent / "harvestgraph"), "serve", "--store", args.store,
                             "--read-only", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        for _ in range(1200):  # up to two minutes on a loaded machine
            try:
                httpx.get(base + "/", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1360, "height": 900})
            refused: list[str] = []

            def route(r):
                if urlparse(r.request.url).netloc == f"127.0.0.1:{port}":
                    r.continue_()
                else:
                    refused.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
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
            browser.close()
        if refused:
            print("refused outside requests:", refused, file=sys.stderr)
            return 1
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
