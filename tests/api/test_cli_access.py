"""The command line keeps confidential fragments out unless --include-confidential is given: stats, every
named query, every export and the HTML views. The secrets come from the input files (test_adversarial)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from tests import expected
from harvestgraph import queries
from harvestgraph.api.cli import app
from tests.test_adversarial import REPO, assert_no_secret, secrets

runner = CliRunner()
CONF = "--include-confidential"


def run(*args: str) -> str:
    """Run the CLI in-process (same code path as the console script); fail on a non-zero exit."""
    r = runner.invoke(app, list(args), catch_exceptions=False)
    assert r.exit_code == 0, (args, r.output)
    return r.output


def file_text(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"PK":  # XLSX: the strings live in the XML parts
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    return data.decode("utf-8", "replace")


def stats_counts(output: str) -> dict[str, int]:
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"│\s*(\w+)\s*│\s*(\d+)\s*│", output)}


def test_stats_count_public_fragments_only(corpus_store_path):
    records = expected.corpus(REPO / "examples")
    public = stats_counts(run("stats", "--store", str(corpus_store_path)))
    everything = stats_counts(run("stats", "--store", str(corpus_store_path), CONF))
    assert public["fragments"] == public["outcomes"] == len(expected.visible(records))
    assert everything["fragments"] == everything["outcomes"] == len(records)


def test_named_queries(corpus_store_path):
    revealed = []
    for name in queries.library():
        for fmt in ("json", "csv"):
            assert_no_secret(run("query", name, "--store", str(corpus_store_path), "--format", fmt), f"query {name}")
        revealed += secrets().found_in(run("query", name, "--store", str(corpus_store_path), "--format", "json", CONF))
    assert revealed, "with --include-confidential some named query shows confidential facts"


@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_export_fragments(corpus_store_path, tmp_path, fmt):
    records = expected.corpus(REPO / "examples")
    out = tmp_path / f"fragments.{fmt}"
    run("export", "fragments", "--format", fmt, "--store", str(corpus_store_path), "-o", str(out))
    text = out.read_text()
    assert_no_secret(text, f"export fragments --format {fmt}")
    assert all(fid in text for fid in expected.visible(records))
    run("export", "fragments", "--format", fmt, "--store", str(corpus_store_path), "-o", str(out), CONF)
    assert secrets().found_in(out.read_text()) and all(fid in out.read_text() for fid in records)


def export_formats() -> list[tuple[str, str]]:
    """Every `export` subcommand (whoever wrote it) with each format its --format help names."""
    group = typer.main.get_command(app).commands["export"]
    out = []
    for name, cmd in sorted(group.commands.items()):
        if name == "fragments":
            continue
        opt = next((p for p in cmd.params if p.name == "fmt" or "--format" in getattr(p, "opts", [])), None)
        formats = re.findall(r"[a-z][a-z-]+", (opt.help or "").split("(")[0]) if opt else []
        out += [(name, f) for f in formats or [""]]
    return out


@pytest.mark.parametrize("name, fmt", export_formats())
def test_every_export(corpus_store_path, tmp_path, name, fmt):
    out = tmp_path / f"export.{fmt or 'out'}"
    args = ["export", name, "--store", str(corpus_store_path), "-o", str(out)] + (["--format", fmt] if fmt else [])
    run(*args)
    assert_no_secret(file_text(out), f"export {name} {fmt}")
    if name in ("graph", "outcomes", "contributions"):
        run(*args, CONF)
        assert secrets().found_in(file_text(out)), f"export {name} {fmt} {CONF} shows confidential facts"


@pytest.mark.parametrize("command", ["view", "report"])
def test_html_views(corpus_store_path, tmp_path, command):
    if command not in typer.main.get_command(app).commands:
        pytest.fail(f"the `{command}` command is missing")
    out = tmp_path / f"{command}.html"
    run(command, "--store", str(corpus_store_path), "-o", str(out))
    public = out.read_text()
    assert_no_secret(public, command)
    run(command, "--store", str(corpus_store_path), "-o", str(out), CONF)
    # the report is aggregate (counts, top contributors): it need not name a secret, but it must change
    assert secrets().found_in(out.read_text()) or (command == "report" and out.read_text() != public)
