"""Shared fixtures: the sample corpus ingested into a real on-disk Oxigraph store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
SEED = EXAMPLES / "text" / "000_seed.txt"  # a byte-exact copy of ../shared/seeds/000_6d7c10f424d3d837.txt
REGISTRY = EXAMPLES / "actors.yaml"
ARTIFACTS = REPO / "tests" / "artifacts"


# The real-Virtuoso fixtures, for every module (skipped with the reason when virtuoso-t is not installed).
from tests.virtuoso_server import empty_virtuoso, virtuoso_corpus_store, virtuoso_server, virtuoso_template  # noqa: E402,F401


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def registry_path() -> Path:
    return REGISTRY


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def make_resolver():
    from harvestgraph.config import make_resolver as mk

    return mk(REGISTRY if REGISTRY.exists() else None)


@pytest.fixture(scope="session")
def corpus_store_path(tmp_path_factory) -> Path:
    """A store folder holding the whole sample corpus (ingested once per test session). Read-only use!"""
    from harvestgraph.ingest import ingest
    from harvestgraph.store import EmbeddedStore

    path = tmp_path_factory.mktemp("corpus") / "store"
    st = EmbeddedStore(path)
    ingest([EXAMPLES], st, make_resolver())
    st.close()
    return path


@pytest.fixture(scope="session")
def corpus_store(corpus_store_path):
    """The corpus store opened read-only (share it; never write to it)."""
    from harvestgraph.store import EmbeddedStore

    return EmbeddedStore(corpus_store_path, read_only=True)


@pytest.fixture()
def fresh_corpus_store(corpus_store_path, tmp_path):
    """A private writable copy of the corpus store."""
    from harvestgraph.store import EmbeddedStore

    dst = tmp_path / "store"
    shutil.copytree(corpus_store_path, dst)
    st = EmbeddedStore(dst)
    yield st
    st.close()


# --------------------------------------------------------------------------- the corpus as the input files say


@pytest.fixture(scope="session")
def records(examples_dir):
    """Every sample fragment as read from the input files (tests/expected.py), never from the app."""
    from tests import expected
    return expected.corpus(examples_dir)


@pytest.fixture(scope="session")
def public(records):
    """The fragments an anonymous reader may see."""
    from tests import expected
    return expected.visible(records)


@pytest.fixture(scope="session")
def secret(records):
    """The IDs of the CONFIDENTIAL fragments."""
    return sorted(k for k, r in records.items() if r.confidential)


@pytest.fixture(scope="session")
def reader_tokens(tmp_path_factory):
    """A users file with a ``reader`` and a ``confidential`` user: (path, {role: token})."""
    from harvestgraph.api import auth

    users = tmp_path_factory.mktemp("users") / "users.json"
    return users, {role: auth.add_user(users, f"u-{role}", role) for role in ("reader", "confidential")}


# --------------------------------------------------------------------------- headless Chromium

from harvestgraph.api.headless import CHROMIUM  # noqa: E402

# The marks of a module that drives the browser: `-m "not browser"` leaves them out; skipped without Chromium.
BROWSER_MARKS = [pytest.mark.browser,
                 pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium "
                                    "(apt-get install chromium; `make test` installs it)")]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright (harvestgraph.api.headless), one per test module."""
    from harvestgraph.api.headless import chromium

    with chromium() as b:
        yield b
