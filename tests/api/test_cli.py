"""The command line as a user runs it: real `harvestgraph` processes on the sample corpus, answers
checked against values computed independently from the input files (tests/expected.py)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests import expected
from tests.conftest import EXAMPLES, REGISTRY

HG = [str(Path(sys.executable).parent / "harvestgraph")]


def run(*args: str, cwd: Path | None = None, ok: bool = True) -> subprocess.CompletedProcess:
    p = subprocess.run([*HG, *args], capture_output=True, text=True, cwd=cwd, timeout=300)
    if ok:
        assert p.returncode == 0, p.stderr
    return p


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("cli") / "store"
    p = run("ingest", str(EXAMPLES), "--store", str(path), "--registry", str(REGISTRY))
    assert "ingested 39 fragments" in p.stdout
    return str(path)


@pytest.fixture(scope="module")
def public() -> dict:
    return expected.visible(expected.corpus(EXAMPLES))


def query_csv(store: str, name: str, *params: str, extra: tuple[str, ...] = ()) -> list[dict[str, str]]:
    args = ["query", name, "--store", store, "--format", "csv", *extra]
    for p in params:
        args += ["--param", p]
    return list(csv.DictReader(io.StringIO(run(*args).stdout)))


def test_reingest_reports_everything_unchanged(store):
    p = run("ingest", str(EXAMPLES), "--store", store, "--registry", str(REGISTRY))
    assert "0 added, 0 replaced, 39 unchanged" in " ".join(p.stdout.split())


def test_reingest_from_a_moved_folder_says_only_the_provenance_changed(tmp_path):
    """The same files by another path are not mapped again: the summary says their provenance was updated."""
    first, store = Path(shutil.copytree(EXAMPLES, tmp_path / "harvest")), str(tmp_path / "store")
    run("ingest", str(first), "--store", store, "--registry", str(REGISTRY))
    moved = first.rename(tmp_path / "harvest-2025")
    p = " ".join(run("ingest", str(moved), "--store", store, "--registry", str(REGISTRY)).stdout.split())
    assert "0 added, 0 replaced, 39 unchanged (39 of them read from another file or line: provenance updated)" in p
    again = " ".join(run("ingest", str(moved), "--store", store, "--registry", str(REGISTRY)).stdout.split())
    assert "39 unchanged (0 quads written" in again


def test_outcomes_by_country_and_year(store, public):
    want = Counter((r.country, r.year) for r in public.values() if r.country)
    rows = query_csv(store, "outcomes_by_country_year")
    got = {(r["countryCode"], int(r["year"]) if r["year"] else None): int(r["outcomes"]) for r in rows}
    assert got == dict(want)
    ke = query_csv(store, "outcomes_by_country_year", "country=Kenya", "year_from=2025")
    assert {(r["countryCode"], r["year"]) for r in ke} == {
        ("KE", str(y)) for (c, y) in want if c == "KE" and y and y >= 2025}


def test_outcomes_by_type_of_change(store, public):
    want = Counter(t.lower() for r in public.values() for t in dict.fromkeys(x.lower() for x in r.types_of_change))
    rows = query_csv(store, "outcomes_by_type_of_change")
    assert {r["typeLabel"].lower(): int(r["outcomes"]) for r in rows} == dict(want)


def test_contributions_by_programme(store, public):
    want = Counter(r.programme for r in public.values() if r.programme_contributed)
    rows = query_csv(store, "contributions_by_contributor", "programme_only=true")
    got = {r["contributor"].rsplit("/", 1)[1]: (int(r["outcomes"]), int(r["programmeContributions"])) for r in rows}
    assert got == {p: (n, n) for p, n in want.items()}


def test_confidential_only_with_the_flag(store):
    everything = expected.corpus(EXAMPLES)
    n_all, n_public = len(everything), len(expected.visible(everything))
    assert n_all > n_public
    for flag, n in (((), n_public), (("--include-confidential",), n_all)):
        out = run("stats", "--store", store, *flag).stdout
        line = next(l for l in out.splitlines() if "fragments" in l)
        assert line.split()[-2] == str(n), line


def test_parameters_are_inert(store):
    rows = query_csv(store, "contributions_by_contributor", 'contributor=" } ; DROP ALL ; #')
    assert rows == []
    assert len(query_csv(store, "outcomes_by_country_year")) > 0  # nothing was dropped


def test_errors_are_one_line_with_file_line_and_field(tmp_path, store):
    bad = tmp_path / "bad.md"
    bad.write_text("**FragmentID**: OK-1\n---\n**Country**: Kenya\n")
    p = run("ingest", str(bad), "--store", store, ok=False)
    assert p.returncode == 1
    assert f"{bad}:3: field 'FragmentID': missing FragmentID" in p.stderr
    assert "Traceback" not in p.stderr and "nothing was written" in p.stderr
    p = run("query", "no_such_query", "--store", store, ok=False)
    assert p.returncode == 1 and "no named query" in p.stderr and "Traceback" not in p.stderr
    p = run("query", "outcomes_by_country_year", "--param", "year_from=soon", "--store", store, ok=False)
    assert "year_from" in p.stderr and "Traceback" not in p.stderr


def test_validate_and_export_round_trip(store, tmp_path):
    p = run("validate", "--store", store, "--max", "0")
    assert "conforms" in p.stdout
    out = tmp_path / "all.md"
    run("export", "fragments", "--format", "md", "--store", store, "--include-confidential", "-o", str(out))
    assert set(expected.corpus(tmp_path)) == set(expected.corpus(EXAMPLES))


def test_remove_fragments(tmp_path):
    store = str(tmp_path / "s")
    run("ingest", str(EXAMPLES / "text"), "--store", store, "--registry", str(REGISTRY))
    p = run("remove", "SCC-KEN2508/CIV008", "NOPE-1", "--store", store, ok=False)
    assert p.returncode == 1 and "NOPE-1" in p.stderr and "nothing was removed" in p.stderr
    run("remove", "SCC-KEN2508/CIV008", "--store", store)
    out = run("export", "fragments", "--store", store, "--include-confidential").stdout
    assert "SCC-KEN2508/CIV008\n" not in out and "**FragmentID**: SCC-KEN2508/CIV011" in out


def test_serve_with_a_users_file_gives_token_holders_their_role(store, tmp_path):
    import socket
    import time
    import urllib.parse

    import httpx

    users = tmp_path / "users.json"
    token = run("users", "add", "ana", "--role", "confidential", "--users-file", str(users)).stdout.strip()
    secret = next(r.id for r in expected.corpus(EXAMPLES).values() if r.confidential)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    served = tmp_path / "served"
    import shutil

    shutil.copytree(store, served)
    proc = subprocess.Popen([*HG, "serve", "--store", str(served), "--port", str(port), "--users", str(users)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/outcomes/{urllib.parse.quote(secret, safe='')}"
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{port}/queries", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert httpx.get(url).status_code == 404
        assert httpx.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 200
        assert httpx.get(url, headers={"Authorization": "Bearer wrong"}).status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=20)
