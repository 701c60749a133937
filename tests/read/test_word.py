"""Word documents (.docx): outcome forms as paragraphs with bold labels, as two-column tables, and as a wide table
of one fragment a row; read, ingested into a real store, valid against the shapes, refused clearly when broken."""

from __future__ import annotations

import docx
import pytest

from harvestgraph.errors import BatchError, HarvestError
from harvestgraph.read import read_file

from tests.conftest import make_resolver


def _labelled(document, name: str, value: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(name).bold = True
    paragraph.add_run(value)


@pytest.fixture()
def harvest_docx(tmp_path):
    d = docx.Document()
    d.add_heading("Outcome harvest 2025: VOICE programme", 0)
    d.add_paragraph("Harvested by the MEL team from the grantees' reports.")
    d.add_heading("Outcome 1", 1)
    _labelled(d, "FragmentID:", " W-001")
    _labelled(d, "coutnry: ", "Kenya")
    _labelled(d, "Outcome description", ": In May 2025 the Kilifi County Assembly passed the budget.")
    _labelled(d, "Outcome statements is CONFIDENTIAL:", " YES")
    d.add_heading("Outcome 2", 1)
    form = d.add_table(rows=0, cols=2)
    for name, value in [("Field", "Value"), ("FragmentID", "W-002"), ("Country", "Uganda"),
                        ("Outcome description", "In 2024 the Ministry of Health adopted the policy.\nIt was a first."),
                        ("Rating significance", "High")]:
        cells = form.add_row().cells
        cells[0].text, cells[1].text = name, value
    d.add_paragraph("The other outcomes, as the grantees sent them:")
    sheet = d.add_table(rows=0, cols=4)
    for row in [("FragmentID", "Country", "Year", "Outcome description"),
                ("W-003", "Ghana", "2024", "The Tamale Metropolitan Assembly allocated funds to water points."),
                ("W-004", "Nepal", "2023", "Women farmers in Dhading formed three cooperatives.")]:
        for cell, value in zip(sheet.add_row().cells, row):
            cell.text = value
    path = tmp_path / "harvest.docx"
    d.save(path)
    return path


def test_paragraphs_forms_and_sheets_of_a_word_document(harvest_docx):
    frags = read_file(harvest_docx)
    assert [f.fragment_id for f in frags] == ["W-001", "W-002", "W-003", "W-004"]
    assert {f.source_format for f in frags} == {"docx"}
    first, form, row = frags[0], frags[1], frags[2]
    assert first.first("country").name == "coutnry" and first.value("country").strip() == "Kenya"
    assert first.value("outcome_description").strip().startswith("In May 2025 the Kilifi County Assembly")
    assert first.value("confidential").strip() == "YES"
    # the heading of the next outcome ends the form before it; the introduction is reported, not lost silently
    assert any("text outside any field" in w.message and "MEL team" in w.message for w in first.warnings)
    assert form.value("outcome_description") == "In 2024 the Ministry of Health adopted the policy.\nIt was a first."
    assert [f.name for f in form.fields] == ["FragmentID", "Country", "Outcome description", "Rating significance"]
    assert row.source_file.endswith("harvest.docx[table 2]") and row.line == 2 and row.value("year") == "2024"


def test_a_word_document_is_ingested_and_its_graph_conforms(harvest_docx, tmp_path):
    from harvestgraph.checks.validate import fragment_data, validate
    from harvestgraph.ingest import ingest
    from harvestgraph.store import EmbeddedStore

    store = EmbeddedStore(tmp_path / "store")
    try:
        report = ingest([harvest_docx], store, make_resolver())
        assert (report.added, report.confidential) == (4, 1)
        report_again = ingest([harvest_docx], store, make_resolver())
        assert report_again.added == 0 and report_again.unchanged == 4
        shacl = validate(fragment_data(store))
        assert shacl.conforms, [str(v.message) for v in shacl.results][:3]
        formats = {row[0].value for row in store.query(
            'SELECT DISTINCT ?f WHERE { GRAPH ?g { ?x <https://w3id.org/harvestgraph/ontology#sourceFormat> ?f } }')}
        assert formats == {"docx"}
    finally:
        store.close()


def test_a_broken_word_document_is_refused_naming_the_file(tmp_path):
    from harvestgraph.ingest import ingest
    from harvestgraph.store import EmbeddedStore

    bad = tmp_path / "outcomes.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(HarvestError, match="not a readable Word document"):
        read_file(bad)
    store = EmbeddedStore(tmp_path / "store")
    try:
        with pytest.raises(BatchError) as err:
            ingest([bad], store, make_resolver())
        assert err.value.problems[0].file.endswith("outcomes.docx")
    finally:
        store.close()
