"""Headless Chromium as the tests, the benchmarks and the screenshot scripts drive it: one launch (Debian's
/usr/bin/chromium through Playwright, no downloaded browser), one guard that aborts and records every
request to a host other than the server under test, and ``harvestgraph serve`` started on a free port.

Playwright is a test/bench dependency (``pip install -e '.[test,bench]'``): it is imported only when a
browser is launched, so the server never needs it.

    >>> with chromium() as browser:                      # doctest: +SKIP
    ...     page = browser.new_page()
    ...     refused = same_origin_only(page, "http://127.0.0.1:8000")
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM = Path("/usr/bin/chromium")
# No sandbox (containers run as root), no GPU (software GL), and none of Chromium's own calls home.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@contextmanager
def chromium() -> Iterator:
    """A Playwright ``Browser`` of /usr/bin/chromium, closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def same_origin_only(page, base: str, allowed=None) -> list[str]:
    """Abort every request of ``page`` to another host than ``base``'s (or that ``allowed(url)`` refuses);
    returns the list the refused URLs are appended to (a test asserts it stays empty)."""
    origin = urlparse(base).netloc
    allowed = allowed or (lambda url: urlparse(url).netloc == origin)
    refused: list[str] = []

    def route(r):
        if allowed(r.request.url):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return refused


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(store: str | Path, *options: str, ready: str = "/", timeout: float = 120.0,
          output=subprocess.DEVNULL) -> tuple[subprocess.Popen, str]:
    """``harvestgraph serve --store STORE`` on 127.0.0.1 and a free port; (process, base URL) once ``ready``
    answers anything (a query worker is up: seconds idle, more on a loaded machine)."""
    import httpx

    port = free_port()
    exe = Path(sys.executable).with_name("harvestgraph")
    proc = subprocess.Popen([str(exe), "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port),
                             *options], stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"serve exited with {proc.returncode} before answering")
        try:
            httpx.get(base + ready, timeout=5)
            return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    stop(proc)
    raise RuntimeError(f"serve did not answer within {timeout:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    """Terminate a server we started (by its own handle), killing it if it lingers."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
