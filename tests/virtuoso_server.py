"""Test helpers for a real OpenLink Virtuoso server (Debian's ``virtuoso-opensource-7-bin``, installed by
scripts/system-deps.sh): a throw-away database in a temp folder, on free 127.0.0.1 ports, stopped at the end.

A new database takes Virtuoso about 30 s to create (it loads its system tables), so the session creates one
empty database once (``virtuoso_template``) and every server starts from a copy of its files (a few
seconds). Credentials: the fresh database's ``dba``/``dba``, handed to harvestgraph through the
environment variables it reads, never on a command line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.remote_server import free_port, stop, wait_http

VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
DBA = ("dba", "dba")  # the account of a fresh Virtuoso database
_DB_FILES = ("virtuoso.db", "virtuoso.trx", "virtuoso.pxa", "virtuoso-temp.db")

INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
ServerThreads = 8
CheckpointInterval = 60
; low memory for tests (8 KB pages: 10000 buffers = 80 MB)
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
DirsAllowed = ., {d}
MaxQueryMem = 500M
VADInstallDir = {d}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
ServerThreads = 8
MaxClientConnections = 8
MaxKeepAlives = 8
KeepAliveTimeout = 10
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 300
MaxQueryCostEstimationTime = 0
"""


@dataclass
class Virtuoso:
    proc: subprocess.Popen
    folder: Path
    url: str  # the /sparql endpoint, as a --store value: virtuoso+http://127.0.0.1:PORT/sparql
    base: str  # http://127.0.0.1:PORT

    def env(self, user: str = DBA[0], password: str = DBA[1]) -> dict[str, str]:
        """The environment of a harvestgraph process that may write to this server."""
        return {**os.environ, "HARVESTGRAPH_STORE_USER": user, "HARVESTGRAPH_STORE_PASSWORD": password}

    def log(self) -> str:
        p = self.folder / "virtuoso.log"
        return p.read_text(errors="replace")[-3000:] if p.exists() else ""


def require_virtuoso() -> None:
    if not Path(VIRTUOSO).exists():
        pytest.skip("the Virtuoso server binary (virtuoso-t) is not installed: run scripts/system-deps.sh "
                    "(Debian package virtuoso-opensource-7-bin)")


def start_virtuoso(folder: Path, template: Path | None = None, *, buffers: int = 10000,
                   timeout: float = 180.0) -> Virtuoso:
    """A Virtuoso server on free ports with its database in ``folder`` (a copy of ``template``'s files if
    given, else a new database); returns when ``/sparql`` answers."""
    require_virtuoso()
    folder.mkdir(parents=True, exist_ok=True)
    if template is not None:
        for name in _DB_FILES:
            if (template / name).exists():
                shutil.copy2(template / name, folder / name)
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(INI.format(d=folder, sql_port=sql_port, http_port=http_port,
                                                    buffers=buffers, dirty=buffers * 3 // 4))
    proc = subprocess.Popen([VIRTUOSO, "-f", "-c", str(folder / "virtuoso.ini")], cwd=folder,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_http(base + "/sparql?query=ASK%7B%7D", proc, timeout=timeout)
    except Exception:
        stop(proc)
        raise
    return Virtuoso(proc, folder, f"virtuoso+{base}/sparql", base)


def stop_virtuoso(server: Virtuoso) -> None:
    stop(server.proc)  # SIGTERM: Virtuoso checkpoints and exits


@pytest.fixture(scope="session")
def virtuoso_template(tmp_path_factory) -> Path:
    """An empty Virtuoso database, created once per session and stopped cleanly, to copy from."""
    require_virtuoso()
    folder = tmp_path_factory.mktemp("virtuoso-template")
    stop_virtuoso(start_virtuoso(folder))
    return folder


@pytest.fixture(scope="session")
def virtuoso_server(virtuoso_template, tmp_path_factory) -> Iterator[Virtuoso]:
    """A Virtuoso server for the session (the corpus goes in it; tests that write use their own graphs)."""
    srv = start_virtuoso(tmp_path_factory.mktemp("virtuoso"), virtuoso_template)
    yield srv
    stop_virtuoso(srv)


@pytest.fixture()
def empty_virtuoso(virtuoso_template, tmp_path) -> Iterator[Virtuoso]:
    """A private, empty Virtuoso server for a test that writes and counts."""
    srv = start_virtuoso(tmp_path / "virtuoso", virtuoso_template)
    yield srv
    stop_virtuoso(srv)


def virtuoso_store(server: Virtuoso, **kw):
    from harvestgraph.store.virtuoso import VirtuosoStore

    kw.setdefault("auth", DBA)
    return VirtuosoStore(server.url, **kw)


@pytest.fixture(scope="session")
def virtuoso_corpus_store(virtuoso_server, examples_dir):
    """The sample corpus ingested into the session's Virtuoso server (read-only use)."""
    from harvestgraph.ingest import ingest

    from tests.conftest import make_resolver

    st = virtuoso_store(virtuoso_server)
    ingest([examples_dir], st, make_resolver())
    yield st
    st.close()
