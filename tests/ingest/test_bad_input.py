"""The bad-input catalogue: every kind of bad input gets a correct reading or a clear error naming the
file, line and field; a failed batch leaves the store byte-for-byte unchanged (full N-Quads dump)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pyoxigraph as ox
import pytest

from harvestgraph.mapping import read_record

from harvestgraph import queries
from harvestgraph.config import make_resolver
from harvestgraph.errors import BatchError, HarvestError
from harvestgraph.ingest import ingest
from harvestgraph.read import read_file
from harvestgraph.vocab import HG, fragment_graph, outcome_iri

HG_CLI = str(Path(sys.executable).with_name("harvestgraph"))


def fragment(fid: str | None, description: str = "The county assembly adopted a policy.", **extra: str) -> str:
    """One fragment in the **Field**: value text format (``extra``: field name → value, names as written)."""
    lines = [] if fid is None else [f"**FragmentID**: {fid}"]
    lines += ["**Country**: Kenya", "**Year**: 2025", f"**Outcome description**: {description}",
              "**Outcome statements is CONFIDENTIAL**: NO"]
    lines += [f"**{k}**: {v}" for k, v in extra.items()]
    return "\n".join(lines) + "\n\n---\n\n"


def dump(store) -> str:
    """A digest of the whole store (every graph), independent of the order Oxigraph returns quads in."""
    lines = sorted(store.raw.dump(format=ox.RdfFormat.N_QUADS).decode().splitlines())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@pytest.fixture()
def store(fresh_corpus_store):
    return fresh_corpus_store


@pytest.fixture()
def resolver(registry_path):
    return make_resolver(registry_path if registry_path.exists() else None)


def ingest_fails(paths, store, resolver, *, match: str, file: str | None = None, line: int | None = None,
                 field: str | None = None) -> HarvestError:
    """Assert the batch is refused with a clear problem and that the store did not change at all."""
    before = dump(store)
    with pytest.raises(HarvestError) as info:
        ingest(paths, store, resolver)
    problems = info.value.problems if isinstance(info.value, BatchError) else [info.value.problem]
    hit = [p for p in problems if match in p.message]
    assert hit, [str(p) for p in problems]
    p = hit[0]
    if file is not None:
        assert Path(p.file).name == file or p.file.startswith(file), str(p)
    if line is not None:
        assert p.line == line, str(p)
    if field is not None:
        assert p.field == field, str(p)
    assert dump(store) == before, "a failed batch changed the store"
    return info.value


def values(store, fid: str, prop) -> list[str]:
    """What the store says of the outcome (data model 3: its facts are in the fragment's union graph)."""
    rows = store.select(f"SELECT DISTINCT ?v WHERE {{ GRAPH ?g {{ <{outcome_iri(fid)}> <{prop}> ?v }} }}")
    return [r["v"].value for r in rows]


# --------------------------------------------------------------------------- refused input


def test_missing_fragment_id(tmp_path, store, resolver):
    f = tmp_path / "missing.md"
    f.write_text(fragment("T-OK/001") + "**FragmentID**: \n" + fragment(None, "No identifier here."))
    ingest_fails([f], store, resolver, match="missing FragmentID", file="missing.md", line=9, field="FragmentID")


def test_fragment_without_any_id_line(tmp_path, store, resolver):
    f = tmp_path / "noid.md"
    f.write_text(fragment(None))
    ingest_fails([f], store, resolver, match="missing FragmentID", file="noid.md", line=1, field="FragmentID")


def test_duplicate_fragment_id_with_conflicting_values(tmp_path, store, resolver):
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text(fragment("T-DUP/001", "First version."))
    b.write_text(fragment("T-OTHER/002") + fragment("T-DUP/001", "Second, different version."))
    err = ingest_fails([a, b], store, resolver, match="duplicate FragmentID", file="b.md", line=9, field="FragmentID")
    assert "a.md:1" in str(err)  # names the first occurrence too


def test_problem_found_late_in_a_big_streamed_batch_leaves_the_store_unchanged(tmp_path, store, resolver):
    """Big batches of new fragments stream into a bulk loader; a duplicate found while mapping the last
    fragment must still abort the whole batch."""
    from harvestgraph.ingest.write import BULK_MIN_FRAGMENTS

    f = tmp_path / "big.md"
    n = BULK_MIN_FRAGMENTS + 10
    f.write_text("".join(fragment(f"T-STREAM/{i:05d}", f"Outcome number {i}.") for i in range(n))
                 + fragment("T-STREAM/00000", "A different text for the first one."))
    ingest_fails([f], store, resolver, match="duplicate FragmentID", file="big.md", line=8 * n + 1,
                 field="FragmentID")


def test_same_fragment_twice_with_same_values_is_read_once(tmp_path, store, resolver):
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text(fragment("T-TWICE/001"))
    b.write_text(fragment("T-TWICE/001"))
    report = ingest([a, b], store, resolver)
    assert report.fragments == 1 and any("repeats" in w.message for w in report.warnings)


def test_empty_file(tmp_path, store, resolver):
    f = tmp_path / "empty.md"
    f.write_text("  \n\n")
    ingest_fails([f], store, resolver, match="empty file", file="empty.md")


def test_binary_file(tmp_path, store, resolver):
    f = tmp_path / "photo.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2000))
    ingest_fails([f], store, resolver, match="binary", file="photo.txt")


def test_binary_file_posing_as_xlsx(tmp_path, store, resolver):
    f = tmp_path / "broken.xlsx"
    f.write_bytes(os.urandom(3000))
    ingest_fails([f], store, resolver, match="not a readable XLSX", file="broken.xlsx")


def test_one_bad_file_refuses_the_whole_batch(tmp_path, store, resolver):
    good, bad = tmp_path / "good.md", tmp_path / "zz_bad.md"
    good.write_text(fragment("T-GOOD/001"))
    bad.write_text(fragment("T-BAD/001", **{"Outcome statements is CONFIDENTIAL": "maybe"}).replace(
        "**Outcome statements is CONFIDENTIAL**: NO\n", "", 1))
    ingest_fails([good, bad], store, resolver, match="not a yes/no value", file="zz_bad.md", line=5,
                 field="Outcome statements is CONFIDENTIAL")


def test_csv_with_extra_cell_in_a_row(tmp_path, store, resolver):
    f = tmp_path / "ragged.csv"
    f.write_text("FragmentID,Country,Year,Outcome description\n"
                 "T-CSV/001,Kenya,2025,Fine row\n"
                 "T-CSV/002,Kenya,2025,Too many cells,surprise\n")
    ingest_fails([f], store, resolver, match="not under any column", file="ragged.csv", line=3)


def test_csv_with_short_row_reads_missing_cells_as_empty(tmp_path, store, resolver):
    f = tmp_path / "short.csv"
    f.write_text("FragmentID,Country,Year,Outcome description\nT-CSV/003,Kenya\n")
    report = ingest([f], store, resolver)
    assert report.added == 1
    assert any("missing cells" in w.message and w.line == 2 for w in report.warnings)
    assert values(store, "T-CSV/003", HG.country) and not values(store, "T-CSV/003", HG.year)


def test_csv_with_unterminated_quote_is_read_or_refused_clearly(tmp_path, store, resolver):
    f = tmp_path / "quote.csv"
    f.write_text('FragmentID,Outcome description\nT-Q/001,"never closed\nT-Q/002,next\n')
    before = dump(store)
    try:
        report = ingest([f], store, resolver)
    except HarvestError as exc:
        assert "quote.csv" in str(exc) and dump(store) == before
    else:  # csv reads the rest of the file into the open cell: one fragment, nothing lost
        assert report.fragments == 1
        assert "T-Q/002" in values(store, "T-Q/001", "http://purl.org/dc/terms/description")[0]


# --------------------------------------------------------------------------- read correctly


def test_cp1252_text_is_decoded_with_a_warning(tmp_path, store, resolver):
    f = tmp_path / "legacy.txt"
    desc = "Café owners in Mombasa – the “cyber café” association – adopted a code of conduct."
    f.write_bytes(fragment("T-CP/001", desc).encode("cp1252"))
    report = ingest([f], store, resolver)
    assert values(store, "T-CP/001", "http://purl.org/dc/terms/description") == [desc]
    assert any("not valid UTF-8" in w.message and "cp1252" in w.message for w in report.warnings)


def test_utf8_bom_is_not_part_of_the_first_field(tmp_path, store, resolver):
    f = tmp_path / "bom.csv"
    f.write_bytes("FragmentID,Outcome description\nT-BOM/001,Text\n".encode("utf-8-sig"))
    assert ingest([f], store, resolver).added == 1 and values(store, "T-BOM/001", HG.programme) == []


def test_200k_character_field_is_kept_whole(tmp_path, store, resolver):
    desc = ("Digital security trainers documented repeated phishing campaigns. " * 3100)[:200_000]
    f = tmp_path / "long.md"
    f.write_text(fragment("T-LONG/001", desc))
    ingest([f], store, resolver)
    assert values(store, "T-LONG/001", "http://purl.org/dc/terms/description") == [desc.strip()]


def test_200k_character_csv_cell_is_kept_whole(tmp_path, store, resolver):
    """The csv module's default limit is 128 KiB per field: the reader must lift it."""
    desc = "x" * 199_990 + " end."
    f = tmp_path / "long.csv"
    f.write_text(f'FragmentID,Outcome description\nT-LONG/002,"{desc}"\n')
    ingest([f], store, resolver)
    assert values(store, "T-LONG/002", "http://purl.org/dc/terms/description") == [desc]


def test_unicode_line_separators_inside_a_value_are_not_line_breaks(tmp_path, store, resolver):
    desc = "Pasted from Word:\u2028second line\x0cand a form feed."
    f = tmp_path / "pasted.md"
    f.write_text(fragment("T-LS/001", desc) + fragment(None))
    err = ingest_fails([f], store, resolver, match="missing FragmentID", field="FragmentID")
    assert err.problem.line == 9  # the line an editor shows for the second fragment's first field
    f.write_text(fragment("T-LS/001", desc))
    ingest([f], store, resolver)
    assert values(store, "T-LS/001", "http://purl.org/dc/terms/description") == [desc]


def test_unknown_fields_are_kept_and_reported(tmp_path, store, resolver):
    f = tmp_path / "extra.md"
    f.write_text(fragment("T-EXTRA/001", **{"Donor reference": "GRANT-77-XYZ", "Zorblax": "qwerty"}))
    report = ingest([f], store, resolver)
    for name in ("Donor reference", "Zorblax"):
        assert any(w.field == name and "unknown field" in w.message for w in report.warnings)
    rows = store.select(f"""SELECT ?r WHERE {{ GRAPH <{fragment_graph('T-EXTRA/001')}> {{
        ?f <{HG.rawRecord}> ?r }} }}""")
    unknown = [f for r in rows for f in read_record(r["r"].value) if f["canonicalField"] is None]
    assert {(f["fieldName"], f["rawValue"]) for f in unknown} == {("Donor reference", "GRANT-77-XYZ"), ("Zorblax", "qwerty")}


@pytest.mark.parametrize("written, year, note", [("2025/26", 2025, True), ("FY2024", 2024, True),
                                                 ("2023", 2023, False), ("FY 2024/25", 2024, True)])
def test_financial_year_forms(tmp_path, store, resolver, written, year, note):
    f = tmp_path / "year.md"
    f.write_text(fragment("T-YEAR/001").replace("**Year**: 2025", f"**Year**: {written}"))
    report = ingest([f], store, resolver)
    assert values(store, "T-YEAR/001", HG.year) == [str(year)]
    assert any(w.field == "Year" and "read as" in w.message for w in report.warnings) is note


def test_unreadable_year_is_left_out_with_a_warning(tmp_path, store, resolver):
    f = tmp_path / "year.md"
    f.write_text(fragment("T-YEAR/002").replace("**Year**: 2025", "**Year**: last spring"))
    report = ingest([f], store, resolver)
    assert values(store, "T-YEAR/002", HG.year) == []
    assert any(w.field == "Year" and w.line == 3 for w in report.warnings)


def test_html_and_script_in_text_are_stored_as_text(tmp_path, store, resolver):
    desc = '<script>alert("x")</script><img src=x onerror=alert(1)> & <b>bold</b> "quoted"'
    f = tmp_path / "html.md"
    f.write_text(fragment("T-HTML/001", desc))
    ingest([f], store, resolver)
    assert values(store, "T-HTML/001", "http://purl.org/dc/terms/description") == [desc]


def test_formula_like_cells_are_stored_as_inert_text(tmp_path, store, resolver):
    f = tmp_path / "formula.csv"
    f.write_text('FragmentID,Outcome description,Evidence\n'
                 'T-FORM/001,"=HYPERLINK(""http://evil.example"",""click"")","@SUM(1+1)*cmd|\' /C calc\'!A0"\n')
    ingest([f], store, resolver)
    assert values(store, "T-FORM/001", "http://purl.org/dc/terms/description") == [
        '=HYPERLINK("http://evil.example","click")']
    assert values(store, "T-FORM/001", HG.evidence) == ["@SUM(1+1)*cmd|' /C calc'!A0"]


def test_xlsx_with_merged_cells_and_formulas(tmp_path, store, resolver):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["FragmentID", "Country", "Year", "Outcome description", "Evidence"])
    ws.append(["T-XL/001", "Kenya", 2025, "First outcome.", "=1+1"])
    ws.append(["T-XL/002", None, "=2000+24", "Second outcome.", None])
    ws.merge_cells("B2:B3")  # the country written once for both rows
    wb.create_sheet("Notes").append(["just notes, no FragmentID column"])
    f = tmp_path / "merged.xlsx"
    wb.save(f)
    raws = read_file(f)
    assert [r.fragment_id for r in raws] == ["T-XL/001", "T-XL/002"]
    report = ingest([f], store, resolver)
    assert report.added == 2
    ke = "https://w3id.org/harvestgraph/id/place/KE"
    assert values(store, "T-XL/001", HG.country) == [ke] and values(store, "T-XL/002", HG.country) == [ke]
    # formulas never evaluated by us: openpyxl-written files carry no cached value, so the text is kept
    assert values(store, "T-XL/001", HG.evidence) == ["=1+1"]
    assert any("formula" in w.message for w in report.warnings)


def test_xlsx_with_a_title_and_group_headings_above_the_header_row(tmp_path, store, resolver):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Outcome Harvest 2025 - SCC programme"])
    ws.append([])
    ws.append(["Identification", None, None, "Outcome", None])  # group headings, merged over their columns
    ws.merge_cells("A3:C3")
    ws.merge_cells("D3:E3")
    ws.append(["FragmentID", "Country", "Year", "Outcome description", "Rating significance"])
    ws.append(["T-TTL/001", "Kenya", 2025, "In 2025 the Kilifi County Assembly passed the budget.", "large"])
    f = tmp_path / "titled.xlsx"
    wb.save(f)
    report = ingest([f], store, resolver)
    assert report.added == 1
    assert values(store, "T-TTL/001", HG.country) == ["https://w3id.org/harvestgraph/id/place/KE"]
    said = [w for w in report.warnings if "above the header row" in w.message]
    assert len(said) == 1 and said[0].line == 4
    assert "rows 1-3" in said[0].message and "Outcome Harvest 2025" in said[0].message


def test_csv_with_a_title_line_above_a_semicolon_header(tmp_path, store, resolver):
    f = tmp_path / "titled.csv"
    f.write_text("Harvest export, 1 Dec 2025\nFragmentID;Country;Outcome description\n"
                 "T-TTL/002;Uganda;In 2025 the Ministry of Health adopted the policy.\n", encoding="utf-8")
    report = ingest([f], store, resolver)
    assert report.added == 1
    assert values(store, "T-TTL/002", HG.country) == ["https://w3id.org/harvestgraph/id/place/UG"]
    assert any("row 1 above the header row (line 2)" in w.message for w in report.warnings)


def test_table_with_no_header_row_near_the_top_is_refused_naming_its_first_row(tmp_path, store, resolver):
    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(12):
        ws.append([f"note {i}", "text"])
    ws.append(["FragmentID", "Outcome description"])  # too far down to be taken for the header
    ws.append(["T-TTL/003", "An outcome."])
    f = tmp_path / "notes.xlsx"
    wb.save(f)
    with pytest.raises(BatchError) as err:
        ingest([f], store, resolver)
    problem = err.value.problems[0]
    assert problem.line == 1 and problem.field == "FragmentID" and "10 rows down" in problem.message


# --------------------------------------------------------------------------- injection through parameters


EVIL = '" } ; DROP ALL ; #'


def string_param_query() -> tuple[queries.NamedQuery, str]:
    """A named query with a free-text (string) parameter: the most exposed kind."""
    for q in queries.library().values():
        for p in q.params:
            if p.type == "string":
                return q, p.name
    pytest.fail("no named query with a string parameter")


def test_sparql_looking_value_is_bound_as_an_inert_literal():
    q, name = string_param_query()
    text = queries.bind(q, {name: EVIL})
    assert str(ox.Literal(EVIL)) in text
    assert "DROP ALL" not in text.replace(str(ox.Literal(EVIL)), "")


def test_sparql_looking_parameter_through_the_cli_leaves_the_store_intact(store):
    from harvestgraph.store import EmbeddedStore

    path = store.location
    store.close()
    try:
        before = dump(EmbeddedStore(path, read_only=True))
        q, name = string_param_query()
        typed = next((qq, p.name) for qq in queries.library().values() for p in qq.params if p.type == "integer")
        for qname, pname in ((q.name, name), (typed[0].name, typed[1])):
            r = subprocess.run([HG_CLI, "query", qname, "--store", path, "--param", f"{pname}={EVIL}",
                                "--format", "json"], capture_output=True, text=True, timeout=120)
            assert "Traceback" not in r.stderr
            if pname == name:  # a string: runs, matching nothing odd
                assert r.returncode == 0, r.stderr
            else:  # a typed parameter refuses it, naming the parameter
                assert r.returncode == 1 and pname in r.stderr, r.stderr
        assert dump(EmbeddedStore(path, read_only=True)) == before
    finally:
        store.__init__(path)  # reopen for the fixture's teardown


# --------------------------------------------------------------------------- a 50 MB file


@pytest.mark.slow
def test_50_megabyte_file(tmp_path, store, resolver):
    """Many fragments, 50 MB in one file: ingested whole (or refused clearly), in bounded time."""
    body = ("Human rights defenders in the region reported coordinated account takeovers and smear campaigns. "
            * 200)  # ~20 KB of description per fragment
    f = tmp_path / "big.md"
    with f.open("w", encoding="utf-8") as out:
        n = 0
        while out.tell() < 50 * 1024 * 1024:
            n += 1
            out.write(fragment(f"T-BIG/{n:05d}", f"Record {n}. {body}"))
    t0 = time.monotonic()
    report = ingest([f], store, resolver)
    elapsed = time.monotonic() - t0
    assert report.added == n
    assert values(store, f"T-BIG/{n:05d}", "http://purl.org/dc/terms/description")[0].startswith(f"Record {n}.")
    print(f"50 MB: {n} fragments in {elapsed:.1f}s")


# --------------------------------------------------------------------------- script in text, on every HTML surface

SCRIPT = '<script>alert("hg-xss")</script><img src=x onerror="alert(\'hg-xss\')">'


def test_script_in_text_is_escaped_on_every_html_surface(tmp_path, store, resolver):
    """Stored as text; the entity page, the network view and the report (served) and the `view` and
    `report` files (CLI) show it escaped: the live markup never appears."""
    import httpx
    from typer.testing import CliRunner

    from harvestgraph.api.app import create_app
    from harvestgraph.api.cli import app as cli_app
    from harvestgraph.vocab import ID
    from tests.api.test_auth import ThreadServer

    f = tmp_path / "xss.md"
    f.write_text(fragment("T-XSS/001", f"The Kenya Union of Journalists said {SCRIPT} twice.",
                          **{"Contribution of other actors and factors": f"KHRC {SCRIPT} helped."}))
    ingest([f], store, resolver)
    bodies = {}
    with ThreadServer(create_app(store, query_timeout=120.0)) as srv:
        for path in ("/id/" + str(outcome_iri("T-XSS/001"))[len(str(ID)):], "/network", "/report"):
            r = httpx.get(srv.url + path, headers={"Accept": "text/html"}, timeout=120)
            assert r.status_code == 200, (path, r.status_code)
            bodies[path] = r.text
    for command in ("view", "report"):
        out = tmp_path / f"{command}.html"
        r = CliRunner().invoke(cli_app, [command, "--store", store.location, "-o", str(out)], catch_exceptions=False)
        assert r.exit_code == 0, r.output
        bodies[command] = out.read_text()
    assert "hg-xss" in bodies["/id/" + str(outcome_iri("T-XSS/001"))[len(str(ID)):]]  # the text is there...
    for where, body in bodies.items():
        assert '<script>alert("hg-xss")' not in body and "onerror=\"alert('hg-xss')" not in body, where  # ...inert
        assert "<img src=x" not in body, where


# --------------------------------------------------------------------------- text extraction cannot read well


def _warned(report, fid_file: str, field: str, words: str):
    return [w for w in report.warnings if Path(w.file).name == fid_file and w.field == field and words in w.message]


def test_extraction_reads_what_it_can_and_warns(tmp_path, store, resolver):
    """Four fragments the language pipeline cannot read well, in one batch with a normal one: none is
    lost, the batch is stored, and each problem is a warning naming file, line and field."""
    swahili = ("Mnamo Machi 2025 Halmashauri ya Wilaya ya Kilifi ilipitisha sheria mpya ya ushiriki wa umma "
               "ambayo inawataka viongozi kuwashirikisha wananchi katika bajeti kila mwaka.")
    no_punct = " ".join(["the Kilifi Paralegal Network met county officials in Malindi and Watamu"] * 12)
    long = ("The Kwale Women Network trained paralegals in Msambweni. " * 3600)[:200_000]
    f = tmp_path / "hard.md"
    f.write_text(fragment("T-HARD/001", swahili) + fragment("T-HARD/002", "")
                 + fragment("T-HARD/003", no_punct) + fragment("T-HARD/004", long)
                 + fragment("T-HARD/005", "The Kilifi Paralegal Network adopted a security protocol."),
                 encoding="utf-8")
    report = ingest([f], store, resolver)
    assert report.added == 5
    text = f.read_text(encoding="utf-8").splitlines()
    line = {fid: text.index(f"**FragmentID**: {fid}") + 1 for fid in ("T-HARD/001", "T-HARD/003", "T-HARD/004")}
    w = _warned(report, "hard.md", "Outcome description", "does not read as English")
    assert w and w[0].line == line["T-HARD/001"] + 3
    assert _warned(report, "hard.md", "Outcome description", "empty outcome description")
    w = _warned(report, "hard.md", "Outcome description", "no sentence punctuation")
    assert w and w[0].line == line["T-HARD/003"] + 3
    w = _warned(report, "hard.md", "Outcome description", "the language pipeline reads the first")
    assert w and w[0].line == line["T-HARD/004"] + 3
    # found what it could: the registry/rules still read the Swahili text and the long one
    assert values(store, "T-HARD/004", HG.changedActor), "the long field's subject was still found"
    assert values(store, "T-HARD/003", HG.changedActor), "the unpunctuated text's subject was still found"
    assert values(store, "T-HARD/002", "http://purl.org/dc/terms/identifier") == ["T-HARD/002"]
    assert values(store, "T-HARD/005", HG.changedActor)


def test_excel_unicode_text_export_is_read_as_a_table(tmp_path, store, resolver):
    """Excel's "Save as Unicode Text": UTF-16 LE with a BOM, tab-separated, saved as .txt."""
    rows = [["FragmentID", "Country", "Year", "Outcome description"],
            ["T-U16/001", "Kenya", "2025", "The Kilifi Paralegal Network adopted a safety protocol in Malindi."],
            ["T-U16/002", "Uganda", "2024", "Women journalists in Gulu formed a café‑based “safety circle”."]]
    f = tmp_path / "export.txt"
    f.write_bytes("\r\n".join("\t".join(r) for r in rows).encode("utf-16"))  # BOM + UTF-16 LE
    assert f.read_bytes()[:2] == b"\xff\xfe"
    report = ingest([f], store, resolver)
    assert report.added == 2
    assert values(store, "T-U16/002", "http://purl.org/dc/terms/description") == [rows[2][3]]
