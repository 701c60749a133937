"""Test helpers for real servers: a free port, an Oxigraph server subprocess, and waiting for HTTP.

Import the fixtures into a test module (``from tests.remote_server import oxigraph_server``) or use the
plain functions. The server binary is the one the ``oxigraph`` test extra installs into the venv.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from harvestgraph.api.headless import stop  # noqa: F401 - the tests that start servers import it from here

OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_output(proc: subprocess.Popen) -> str:
    """What a server started by :func:`start_serve` has printed (its log file; not a pipe: a pipe nobody
    reads fills at 64 KB of access log and then blocks the server mid-request)."""
    log = getattr(proc, "hg_log", None)
    if log is not None:
        log.flush()
        log.seek(0)
        return log.read().decode(errors="replace")
    return proc.stdout.read().decode(errors="replace") if proc.stdout else ""


def wait_http(url: str, proc: subprocess.Popen | None = None, timeout: float = 30.0) -> None:
    """Poll ``url`` until it answers anything at all; fail early if ``proc`` died."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            out = server_output(proc)
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}:\n{out[-2000:]}")
        try:
            httpx.get(url, timeout=2.0)
            return
        except httpx.HTTPError as exc:
            last = exc
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout}s: {last}")


def start_oxigraph(location: Path) -> tuple[subprocess.Popen, str]:
    """``oxigraph serve --location LOCATION --bind 127.0.0.1:PORT``; returns (process, base URL)."""
    if not OXIGRAPH.exists() and shutil.which("oxigraph") is None:
        pytest.skip("the oxigraph server binary is not installed (pip install '.[test]')")
    binary = str(OXIGRAPH) if OXIGRAPH.exists() else shutil.which("oxigraph")
    port = free_port()
    log = tempfile.TemporaryFile()  # never a pipe (see server_output)
    proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT)
    proc.hg_log = log
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/query?query=ASK%7B%7D", proc)
    except Exception:
        stop(proc)
        raise
    return proc, base


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory) -> Iterator[str]:
    """A fresh, empty Oxigraph server for the session; yields its base URL."""
    proc, base = start_oxigraph(tmp_path_factory.mktemp("oxigraph") / "db")
    yield base
    stop(proc)


@pytest.fixture(scope="session")
def remote_corpus_store(oxigraph_server, examples_dir):
    """The sample corpus ingested into the Oxigraph server (through RemoteStore), read-only use."""
    from harvestgraph.ingest import ingest
    from harvestgraph.store.remote import RemoteStore

    from tests.conftest import make_resolver

    st = RemoteStore(oxigraph_server)
    ingest([examples_dir], st, make_resolver())
    yield st
    st.close()


BACKENDS = ["embedded", pytest.param("remote", marks=pytest.mark.remote),
            pytest.param("virtuoso", marks=pytest.mark.virtuoso)]
SERVERS = [pytest.param("remote", marks=pytest.mark.remote), pytest.param("virtuoso", marks=pytest.mark.virtuoso)]
_CORPUS = {"embedded": "corpus_store", "remote": "remote_corpus_store", "virtuoso": "virtuoso_corpus_store"}


@pytest.fixture(params=BACKENDS)
def backend_store(request):
    """The corpus in each backend: the embedded on-disk store, the Oxigraph server and Virtuoso (the
    Virtuoso fixtures live in virtuoso_server.py, registered by conftest.py)."""
    return request.getfixturevalue(_CORPUS[request.param])


@pytest.fixture(params=SERVERS)
def server_corpus_store(request):
    """The corpus in each SPARQL server: the Oxigraph server and Virtuoso."""
    return request.getfixturevalue(_CORPUS[request.param])


HARVESTGRAPH = Path(sys.executable).parent / "harvestgraph"


def start_serve(store: Path | str, *options: str) -> tuple[subprocess.Popen, str]:
    """``harvestgraph serve --store STORE --port FREE OPTIONS...`` as a real server process; (process, base URL).
    The store must be a private copy: an embedded store is locked by the server that opens it."""
    port = free_port()
    log = tempfile.TemporaryFile()  # never a pipe (see server_output)
    proc = subprocess.Popen([str(HARVESTGRAPH), "serve", "--store", str(store), "--host", "127.0.0.1",
                             "--port", str(port), *options], stdout=log, stderr=subprocess.STDOUT)
    proc.hg_log = log
    base = f"http://127.0.0.1:{port}"
    try:
        # serve listens once a query worker process is up: seconds idle, more on a loaded machine
        wait_http(base + "/", proc, timeout=120.0)
    except Exception:
        stop(proc)
        raise
    return proc, base


def copy_store(src: Path, dst: Path) -> Path:
    """A private copy of a store folder (to serve it: the server locks what it opens)."""
    shutil.copytree(src, dst)
    return dst
