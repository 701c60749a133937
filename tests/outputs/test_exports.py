"""Every export parsed back with the library its readers use (csv, openpyxl, networkx, rdflib, json), holding
values computed independently from the input files (tests/expected.py) or the raw triples."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import openpyxl
import pytest
import rdflib

from harvestgraph import concepts
from harvestgraph.network.analyse import Filters
from harvestgraph.errors import HarvestError
from harvestgraph.outputs.export import KINDS, export, inert
from harvestgraph.vocab import HG, outcome_iri

from tests import expected as ex

RDF_TYPE = rdflib.RDF.type
HG_OUTCOME = rdflib.URIRef(str(HG.Outcome))


@pytest.fixture(scope="module")
def public_graphs(corpus_store):
    return corpus_store.visible_graphs(confidential=False)


@pytest.fixture(scope="module")
def facts(corpus_store, public_graphs):
    return ex.triples(corpus_store, public_graphs)


def run(store, graphs, kind, fmt=None, **kw):
    return export(store, kind, fmt, graphs=graphs, **kw).content


def read_csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_contributions_csv(corpus_store, public_graphs, public, facts):
    rows = read_csv(run(corpus_store, public_graphs, "contributions", "csv"))
    contributors = ex.objects(facts, str(HG.hasContributor))
    assert len(rows) == sum(len(v) for v in contributors.values())
    prog = [r for r in rows if r["programme_or_other"] == "programme"]
    assert {r["outcome_id"] for r in prog} == {rid for rid, r in public.items() if r.programme_contributed}
    assert Counter(r["programme_or_other"] for r in rows)["other"] > 0
    for r in rows:
        rec = public[r["outcome_id"]]
        assert r["country"] == (rec.country or "") and r["year"] == (str(rec.year) if rec.year else "")
        if r["programme_or_other"] == "programme":
            assert r["rating"] == (rec.contribution or "")
            assert " ".join(r["text"].split()) == " ".join(rec.text("contribution_programme").split())
        if rec.objectives:
            assert {f"{n}: {lbl}" if n else lbl for n, lbl in rec.objectives} == set(r["objective"].split("; "))


def test_contributions_xlsx_workbook(corpus_store, public_graphs, public, facts):
    wb = openpyxl.load_workbook(io.BytesIO(run(corpus_store, public_graphs, "contributions", "xlsx")))
    assert wb.sheetnames == ["contributions", "actors", "significance_contribution", "who_contributed", "type_objective"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == ws.dimensions
        assert ws["A1"].font.b
        assert all(ws.column_dimensions[c].width and 8 <= ws.column_dimensions[c].width <= 60
                   for c in ("A", "B"))
    # the significance × contribution matrix, recomputed from the input files
    ws = wb["significance_contribution"]
    header = [c.value for c in ws[1]]
    matrix = {row[0]: dict(zip(header[1:], row[1:])) for row in ws.iter_rows(min_row=2, values_only=True)}
    expected = Counter((r.significance or "unrated", r.contribution or "unrated") for r in public.values())
    for (sig, con), n in expected.items():
        assert matrix[sig][con] == n
    assert matrix["total"]["total"] == len(public)
    # programme × who contributed: the stored hg:contributionPattern of every outcome, counted
    ws = wb["who_contributed"]
    header = [c.value for c in ws[1]]
    matrix = {row[0]: dict(zip(header[1:], row[1:])) for row in ws.iter_rows(min_row=2, values_only=True)}
    visible = {str(outcome_iri(i)) for i in public}
    stored = Counter(concepts.label_of(x) for k, v in ex.objects(facts, str(HG.contributionPattern)).items()
                     if k in visible for x in v)
    assert {c: matrix["total"][c] for c in header[1:-1]} == dict(stored) and matrix["total"]["total"] == len(public)
    # type of change × objective: every outcome counted once per (type, objective) pair
    ws = wb["type_objective"]
    total = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "total"][0][-1]
    assert total == sum(max(1, len(r.types_of_change)) * max(1, len(r.objectives)) for r in public.values())


def test_outcomes_and_actors_tables(corpus_store, public_graphs, public, facts):
    rows = json.loads(run(corpus_store, public_graphs, "outcomes", "json"))
    assert {r["outcome_id"] for r in rows} == set(public)
    for r in rows:
        rec = public[r["outcome_id"]]
        assert r["significance"] == (rec.significance or "") and r["contribution_rating"] == (rec.contribution or "")
        pattern = ex.objects(facts, str(HG.contributionPattern))[str(outcome_iri(r["outcome_id"]))]
        assert [r["who_contributed"]] == [concepts.label_of(x) for x in pattern]
    wb = openpyxl.load_workbook(io.BytesIO(run(corpus_store, public_graphs, "actors", "xlsx")))
    assert wb.sheetnames == ["actors", "communities"]
    communities = list(wb["communities"].iter_rows(min_row=2, values_only=True))
    assert sum(r[1] for r in communities) == wb["actors"].max_row - 1 + len(public) + \
        len({o for v in ex.objects(facts, str(HG.linkedObjective)).values() for o in v})
    actors = read_csv(run(corpus_store, public_graphs, "actors", "csv"))
    n_contrib = Counter(a for v in ex.objects(facts, str(HG.hasContributor)).values() for a in v)
    assert {r["iri"]: int(r["contributions"]) for r in actors if int(r["contributions"])} == dict(n_contrib)
    assert all(float(r["pagerank"]) > 0 for r in actors)


def test_filtered_export(corpus_store, public_graphs, public):
    rows = json.loads(run(corpus_store, public_graphs, "outcomes", "json", filters=Filters(country="KE", min_rating=2)))
    rank = {"small": 1, "partial": 2, "moderate": 2, "medium": 2, "large": 3}
    assert {r["outcome_id"] for r in rows} == {rid for rid, r in public.items()
                                               if "KE" in r.countries and rank.get(r.contribution or "", 1) >= 2}


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_graphml_gexf(corpus_store, public_graphs, public, facts, fmt, tmp_path):
    path = tmp_path / f"n.{fmt}"
    path.write_bytes(run(corpus_store, public_graphs, "network", fmt))
    g = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    actors = {a for p in (HG.hasContributor, HG.changedActor) for v in ex.objects(facts, str(p)).values() for a in v}
    objectives = {o for v in ex.objects(facts, str(HG.linkedObjective)).values() for o in v}
    assert set(g.nodes) == {str(outcome_iri(i)) for i in public} | actors | objectives
    for n, d in g.nodes(data=True):
        assert d["kind"] and "None" not in map(str, d.values())
        assert float(d["pagerank"]) > 0 and int(d["degree"]) == g.degree(n)
        label = d["label"]
        if d["kind"] == "outcome":
            assert label in public
    relations = Counter(d["relation"] for *_, d in g.edges(data=True))
    assert relations["contributed"] + relations["changed"] > 0 and relations["objective"] > 0
    rated = [d for *_, d in g.edges(data=True) if d["relation"] == "contributed" and d["rating"]]
    assert rated and all(int(float(d["weight"])) in (1, 2, 3) for d in rated)


def test_kumu_json_and_xlsx(corpus_store, public_graphs):
    doc = json.loads(run(corpus_store, public_graphs, "network", "kumu-json"))
    labels = [e["label"] for e in doc["elements"]]
    assert len(labels) == len(set(labels))
    assert all(c["from"] in labels and c["to"] in labels and c["type"] for c in doc["connections"])
    wb = openpyxl.load_workbook(io.BytesIO(run(corpus_store, public_graphs, "network", "kumu-xlsx")))
    assert wb.sheetnames == ["Elements", "Connections"]
    assert [c.value for c in wb["Elements"][1]][:3] == ["Label", "Type", "Description"]
    assert [c.value for c in wb["Connections"][1]][:3] == ["From", "To", "Type"]
    assert wb["Elements"].max_row - 1 == len(doc["elements"])
    assert wb["Connections"].max_row - 1 == len(doc["connections"])


@pytest.mark.parametrize("fmt, parser", [("turtle", "turtle"), ("jsonld", "json-ld")])
def test_rdf_subgraph(corpus_store, public_graphs, public, records, fmt, parser):
    g = rdflib.Graph().parse(data=run(corpus_store, public_graphs, "graph", fmt, filters=Filters(country="KE")), format=parser)
    outcomes = {str(s) for s in g.subjects(RDF_TYPE, HG_OUTCOME)}
    assert outcomes == {str(outcome_iri(rid)) for rid, r in public.items() if "KE" in r.countries}
    texts = {str(o) for o in g.objects()}
    for rid, rec in records.items():
        if rec.confidential:
            assert str(outcome_iri(rid)) not in {str(s) for s in g.subjects()}
            assert rec.text("outcome_description") not in texts


def test_formula_injection_is_neutralised(tmp_path, registry_path):
    from tests.network.test_views import ingest_text

    store = ingest_text(tmp_path, INJECTION)
    graphs = store.visible_graphs(confidential=False)
    rows = read_csv(run(store, graphs, "contributions", "csv"))
    texts = {r["text"] for r in rows}
    assert "'=HYPERLINK(\"http://evil.example/x\",\"click\")" in texts
    outcomes = read_csv(run(store, graphs, "outcomes", "csv"))
    assert outcomes[0]["description"].startswith("'+254 700 000")
    wb = openpyxl.load_workbook(io.BytesIO(run(store, graphs, "contributions", "xlsx")))
    cells = [c for row in wb["contributions"].iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"], "no cell may be a formula"
    assert any(isinstance(c.value, str) and c.value.startswith("'=HYPERLINK") for c in cells)
    wb = openpyxl.load_workbook(io.BytesIO(run(store, graphs, "outcomes", "xlsx")))
    assert wb["outcomes"]["B2"].value.startswith("'+254") and wb["outcomes"]["B2"].data_type == "s"
    store.close()


@pytest.mark.parametrize("value, out", [("=1+1", "'=1+1"), ("+254", "'+254"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
                                        ("\tx", "'\tx"), ("\rx", "'\rx"), ("a=b", "a=b"), (5, 5), (-2, -2)])
def test_inert(value, out):
    assert inert(value) == out


def test_bad_kind_and_format(corpus_store, public_graphs):
    with pytest.raises(HarvestError, match="unknown export"):
        run(corpus_store, public_graphs, "secrets")
    with pytest.raises(HarvestError, match="no format"):
        run(corpus_store, public_graphs, "network", "csv")
    assert set(KINDS) == {"contributions", "actors", "outcomes", "network", "graph"}


def test_report(corpus_store, public_graphs, public):
    from harvestgraph.network.analyse import analyse
    from harvestgraph.outputs.report import render_report

    page = render_report(analyse(corpus_store, Filters(), graphs=public_graphs))
    assert f"<b>{len(public)}</b>outcomes" in page
    assert "<svg" in page and "<script" not in page.lower()
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page
    assert "@media print" in page
    # the most active contributors' table says kinds and centrality in words and percent, not codes and decimals
    top = re.search(r"<caption>Actors that contributed to most outcomes.*?</table>", page, re.S)[0]
    assert "<td>Programme</td>" in top and "<td>NGO / CSO</td>" in top and "<td>ngo</td>" not in top
    shares = [float(x) for x in re.findall(r'<td class="n">(\d+\.\d) %</td>', top)]
    assert shares and all(0 < x < 100 for x in shares)


def test_cli_exports_and_report(corpus_store_path, tmp_path, public):
    from typer.testing import CliRunner

    from harvestgraph.api.cli import app

    exe = Path(sys.executable).parent / "harvestgraph"
    xlsx, html_out = tmp_path / "c.xlsx", tmp_path / "r.html"
    proc = subprocess.run([str(exe), "export", "contributions", "-f", "xlsx", "-o", str(xlsx), "--store",
                           str(corpus_store_path), "--country", "KE"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    rows = list(openpyxl.load_workbook(xlsx)["contributions"].iter_rows(min_row=2, values_only=True))
    assert rows and {r[0] for r in rows if r[2] == "programme"} == \
        {rid for rid, r in public.items() if r.programme_contributed and "KE" in r.countries}
    result = CliRunner().invoke(app, ["report", "-o", str(html_out), "--store", str(corpus_store_path)])
    assert result.exit_code == 0, result.output
    assert f"<b>{len(public)}</b>outcomes" in html_out.read_text()
    proc = subprocess.run([str(exe), "export", "network", "-f", "csv", "--store", str(corpus_store_path)],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "no format 'csv'" in proc.stderr


INJECTION = """**FragmentID**: INJ-KEN2501/CIV001
**Country**: Kenya
**Year**: 2025
**Outcome description**: +254 700 000 is the hotline number the county published in 2025.
**Rating significance**: large
**Contribution of the programme**: =HYPERLINK("http://evil.example/x","click")
**Rating contribution**: large
**Link to INJ Specific Objectives**: CIV: Less suppression of civic space
"""
