"""Screenshot of /explore on the demo store: docs/screenshots/explore.png.

    python scripts/screenshot_explore.py [--store out/demo/store] [--out docs/screenshots/explore.png] [--query "colour=community"]

Starts ``harvestgraph serve --read-only`` on a free 127.0.0.1 port, opens /explore in headless Chromium
(/usr/bin/chromium, every request to another host blocked), waits for the first picture, selects the most
central node so the detail panel shows its evidence, and writes the PNG. `make demo` builds the store.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: str, *extra: str) -> tuple[subprocess.Popen, str]:
    """``harvestgraph serve`` on a free port; returns the process and its base URL once it answers."""
    port = free_port()
    hg = Path(sys.executable).with_name("harvestgraph")
    proc = subprocess.Popen([str(hg), "serve", "--store", store, "--port", str(port), *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("serve exited: " + proc.stderr.read().decode(errors="replace")[-2000:])
        try:
            if httpx.get(base + "/queries", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("serve did not start within 60 s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", default=str(ROOT / "out" / "demo" / "store"))
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots" / "explore.png"))
    ap.add_argument("--query", default="", help="view state, e.g. colour=community&country=KE")
    ap.add_argument("--select", default="top", help="node key to select, 'top' (most central actor) or ''")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    proc, base = start_server(args.store, "--read-only")
    origin = urlparse(base).netloc
    blocked: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1000})

            def route(r):
                if urlparse(r.request.url).netloc == origin:
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
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
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)
    if blocked:
        print(f"blocked requests to other hosts: {blocked}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
