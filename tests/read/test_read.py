"""Reading fragments: the text format and its real quirks, CSV, XLSX, field-name matching."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from harvestgraph.errors import HarvestError
from harvestgraph.fields import match_field
from harvestgraph.read import decode, read_csv, read_file, read_text

from tests.conftest import SEED


def test_seed_is_read_with_its_quirks():
    frags = read_file(SEED)
    assert len(frags) == 1
    f = frags[0]
    assert f.fragment_id == "SCC-KEN2508/CIV008"
    assert f.line == 1
    country = f.first("country")
    assert country.name == "coutnry" and country.match.method == "alias" and country.value == "Kenya"
    add = f.first("additional_information")
    assert add.name == "Additional information (use if needed) "  # trailing space inside ** kept as written
    assert f.first("confidential").value == ""  # empty flag
    assert f.first("objective").match.programme_hint == "SCC"
    assert f.first("story_merged").match.key == "story_merged"
    # every line of the file is a field: nothing dropped
    assert len(f.fields) == sum(1 for line in SEED.read_text().splitlines() if line.startswith("**"))


def test_many_fragments_per_file_with_and_without_separators():
    text = (
        "# Harvest 3\n\n**FragmentID**: A-1\n**Outcome description**: first line\ncontinues here\n\n"
        "---\n**FragmentID**: A-2\n**Year**: 2024\n"
        "**FragmentID**: A-3\n**Country**: Kenya\n"
    )
    frags = read_text(text, "f.md")
    assert [f.fragment_id for f in frags] == ["A-1", "A-2", "A-3"]
    assert frags[0].value("outcome_description") == "first line\ncontinues here"
    assert [f.line for f in frags] == [3, 8, 10]
    assert frags[2].first("country").line == 11


def test_bold_colon_inside_and_text_outside_fields_is_reported():
    frags = read_text("stray words\n**FragmentID:** X-1\n**Year:** 2023\n", "f.md")
    assert frags[0].fragment_id == "X-1" and frags[0].value("year") == "2023"
    assert any("text outside any field" in w.message and w.line == 1 for w in frags[0].warnings)


def test_plain_field_lines_copied_out_of_word_or_an_email():
    text = ("Harvest notes, copied from the report\n\nFragmentID: P-1\nCounrty: Kenya\n"
            "Outcome description:\nIn 2024 the Kilifi County Assembly passed the budget.\nNote: a first.\n\n"
            "FragmentID: P-2\nYear: 2023\n")
    frags = read_text(text, "notes.txt")
    assert [f.fragment_id for f in frags] == ["P-1", "P-2"]
    assert frags[0].first("country").value == "Kenya" and frags[0].first("country").match.method == "fuzzy"
    # a value's own "Note: ..." is no field (no known field is called so): it stays in the value
    assert frags[0].value("outcome_description").strip() == "In 2024 the Kilifi County Assembly passed the budget.\nNote: a first."
    assert frags[1].value("year") == "2023" and [f.line for f in frags] == [3, 9]
    # one bold field line makes the file bold: its plain "Year: 2023" is then a value's line
    bold = read_text("**FragmentID**: B-1\n**Outcome description**: agreed\nYear: 2023\n", "b.md")
    assert bold[0].value("outcome_description") == "agreed\nYear: 2023" and bold[0].first("year") is None


def test_markdown_lists_headings_and_tables_of_fields():
    text = ("# Harvest 3\n\n## Outcome 1\n\n- **FragmentID**: M-1\n- **MCQType of change**: Policy change\n\n"
            "## Outcome 2\n\n| Field | Value |\n|---|:---|\n| **FragmentID** | M-2 |\n| Country | Uganda |\n"
            "| Outcome description | The ministry adopted the policy.<br>It was the first time. |\n")
    frags = read_text(text, "notion.md")
    assert [f.fragment_id for f in frags] == ["M-1", "M-2"]
    # the heading of the next outcome ends the field before it, and is not read into it
    assert frags[0].value("type_of_change") == "Policy change"
    assert frags[1].value("country") == "Uganda" and frags[1].line == 12
    assert frags[1].value("outcome_description") == "The ministry adopted the policy.\nIt was the first time."
    assert [f.name for f in frags[1].fields] == ["FragmentID", "Country", "Outcome description"]
    assert not frags[0].warnings and not frags[1].warnings


@pytest.mark.parametrize("name,key,method", [
    ("Country", "country", "exact"),
    ("coutnry", "country", "alias"),
    ("  COUNTRY ", "country", "alias"),
    ("Additional information (use if needed) ", "additional_information", "exact"),
    ("additional  information (USE if needed)", "additional_information", "alias"),
    ("Link to VOICE Specific Objectives", "objective", "pattern"),
    ("Signifcance of the outcome", "significance", "fuzzy"),
    ("Counrty", "country", "fuzzy"),  # two letters swapped: one slip, though a ratio of 86 only
    ("Outcmoe status", "outcome_status", "fuzzy"),
    ("Data", None, "unknown"),  # one slip from the alias "date", but a word of its own
    ("Rating Significance", "rating_significance", "alias"),
    ("Harvester", None, "unknown"),
])
def test_field_names_match_through_one_alias_table(name, key, method):
    m = match_field(name)
    assert (m.key, m.method) == (key, method)


def test_csv_with_quoted_newlines_and_commas(tmp_path):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["FragmentID", "Outcome description", "Country", "Harvester"])
    w.writerow(["C-1", "Line one, with comma\nline two", "Kenya", "Jane"])
    w.writerow(["", "", "", ""])
    w.writerow(["C-2", 'He said "yes"', "UG", ""])
    p = tmp_path / "x.csv"
    p.write_text(buf.getvalue(), encoding="utf-8")
    frags = read_file(p)
    assert [f.fragment_id for f in frags] == ["C-1", "C-2"]
    assert frags[0].value("outcome_description") == "Line one, with comma\nline two"
    assert frags[0].line == 2 and frags[1].line == 5  # physical line where the row starts
    assert frags[0].first("Harvester") is None and frags[0].fields[3].name == "Harvester"  # unknown field kept
    assert frags[1].value("outcome_description") == 'He said "yes"'


def test_csv_semicolon_delimited_and_ragged_rows():
    frags = read_csv("FragmentID;Country\nS-1;Kenya\n", "s.csv")
    assert frags[0].value("country") == "Kenya"
    with pytest.raises(HarvestError) as exc:
        read_csv("FragmentID,Country\nR-1,Kenya,oops\n", "r.csv")
    assert "r.csv:2" in str(exc.value) and "not under any column" in str(exc.value)
    short = read_csv("FragmentID,Country,Year\nR-2,Kenya\n", "r.csv")
    assert short[0].value("year") == "" and "missing cells" in short[0].warnings[0].message


def test_csv_without_fragment_id_column_is_refused():
    with pytest.raises(HarvestError) as exc:
        read_csv("Country,Year\nKenya,2024\n", "n.csv")
    assert "n.csv:1" in str(exc.value) and "FragmentID" in str(exc.value)


def test_xlsx_rows_merged_cells_and_formulas(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["FragmentID", "Country", "Year", "Outcome description"])
    ws.append(["X-1", "Kenya", 2024, "first"])
    ws.append(["X-2", None, 2025.0, '=CONCAT("a","b")'])
    ws.merge_cells("B2:B3")  # the country spans both rows
    p = tmp_path / "x.xlsx"
    wb.save(p)
    frags = read_file(p)
    assert [f.fragment_id for f in frags] == ["X-1", "X-2"]
    assert frags[1].value("country") == "Kenya"
    assert frags[1].value("year") == "2025"
    assert frags[1].value("outcome_description") == '=CONCAT("a","b")'  # never evaluated
    assert frags[1].line == 3 and frags[1].source_format == "xlsx"


def test_decoding_cp1252_and_binary():
    text, note = decode("**FragmentID**: Ç-1\n".encode("cp1252"), "c.md")
    assert text.startswith("**FragmentID**: Ç-1") and "cp1252" in note
    with pytest.raises(HarvestError, match="binary"):
        decode(b"\x89PNG\x00\x00", "b.md")


def test_empty_and_unsupported_files(tmp_path):
    (tmp_path / "e.md").write_text("  \n")
    with pytest.raises(HarvestError, match="empty file"):
        read_file(tmp_path / "e.md")
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(HarvestError, match="unsupported file type"):
        read_file(tmp_path / "x.pdf")


def test_a_folder_walk_skips_readme_files(tmp_path):
    """A README (any case, any suffix or none) in an ingest folder describes the harvest: not fragments."""
    from harvestgraph.read import expand_paths

    (tmp_path / "sub").mkdir()
    for name in ("README.md", "readme.txt", "README", "sub/Readme.markdown"):
        (tmp_path / name).write_text("# About this harvest\n\nFragmentID: NOT-A-FRAGMENT\n")
    (tmp_path / "sub" / "fragments.md").write_text("FragmentID: X-1\n")
    (tmp_path / "readme-notes.md").write_text("FragmentID: X-2\n")  # only the name README itself is skipped
    assert [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path])] == \
        ["readme-notes.md", "sub/fragments.md"]
    # a README named on the command line is read as given
    assert expand_paths([tmp_path / "README.md"]) == [tmp_path / "README.md"]
