"""Normalising values: countries, years, ratings, flags, multi-values, references, the programme."""

from __future__ import annotations

import pytest

from harvestgraph.errors import HarvestError
from harvestgraph.normalise import (Reference, normalise, parse_countries, parse_country, parse_flag, parse_year,
                                    programme_from_id, split_multi)
from harvestgraph.read import read_file, read_text

from tests.conftest import SEED


def test_seed_normalised():
    f = normalise(read_file(SEED)[0])
    assert f.id == "SCC-KEN2508/CIV008" and f.programme == "SCC"
    assert (f.country.code, f.country.name) == ("KE", "Kenya")
    assert f.year == 2025
    assert f.rating_significance.label == "large" and not f.rating_significance.ad_hoc
    assert f.rating_contribution.label == "moderate"
    assert f.unintended is False and f.negative is False
    assert f.confidential is None  # empty flag: absent, not false
    assert [c.label for c in f.types_of_change] == ["Policy change", "Capacity change", "Safety and Security"]
    assert [c.label for c in f.clusters] == ["Policy", "Capacity change"]
    assert f.objectives == [Reference("CIV", "Less suppression of civic space")]
    assert f.rf_outcomes == [Reference("Outcome 1.1", "Outcome 1.1")]
    assert f.harvest_period == "Harvest 3"
    assert f.has_merged_story
    assert f.significance.endswith("vulnerable to such attacks.")  # trailing spaces trimmed
    assert f.evidence == "(see folder with necessary attachments)"


@pytest.mark.parametrize("raw,expected", [
    ("Kenya", "KE"), ("KE", "KE"), ("ken", "KE"), ("kenya ", "KE"), ("Tanzania, United Republic of", "TZ"),
    ("Tanzania", "TZ"), ("DRC", "CD"), ("Côte d'Ivoire", "CI"), ("Bolivia", "BO"), ("guatemala", "GT"),
])
def test_country_to_iso(raw, expected):
    assert parse_country(raw).code == expected


def test_several_countries_and_unknown():
    assert [c.code for c in parse_countries("Kenya, Uganda")] == ["KE", "UG"]
    with pytest.raises(LookupError):
        parse_countries("Atlantis")


@pytest.mark.parametrize("raw,year,noted", [
    ("2025", 2025, False), (" 2024 ", 2024, False), ("FY2024", 2024, True), ("2025/26", 2025, True),
    ("May 2023", 2023, True), ("", None, False), (None, None, False),
])
def test_years(raw, year, noted):
    y, note = parse_year(raw)
    assert y == year and (note is not None) == noted


def test_year_without_digits_is_refused():
    with pytest.raises(ValueError):
        parse_year("sometime")


@pytest.mark.parametrize("raw,value", [
    ("YES", True), ("y", True), ("True", True), ("x", True), ("X", True), ("NO", False), ("n", False),
    ("false", False), ("", None), ("   ", None), (None, None),
])
def test_flags(raw, value):
    assert parse_flag(raw) is value


def test_unreadable_flag_raises():
    with pytest.raises(ValueError):
        parse_flag("maybe")


def test_multi_values_split_on_commas_semicolons_and_double_spaces():
    assert split_multi("Policy change, Capacity change  Safety and Security") == [
        "Policy change", "Capacity change", "Safety and Security"]
    assert split_multi("a; b;;  c\nd, a") == ["a", "b", "c", "d"]
    assert split_multi("") == [] and split_multi(None) == []


def test_programme_from_fragment_id():
    assert programme_from_id("SCC-KEN2508/CIV008") == "SCC"
    assert programme_from_id("voice_UGA01") == "VOICE"
    assert programme_from_id("12345") is None


def _one(text: str):
    return normalise(read_text(text, "t.md")[0])


def test_ratings_case_synonyms_and_unknown():
    f = _one("**FragmentID**: R-1\n**Rating significance**: MEDIUM \n**Rating contribution**: High\n")
    assert f.rating_significance.label == "medium" and f.rating_contribution.label == "large"
    g = _one("**FragmentID**: R-2\n**Rating significance**: enormous\n")
    assert g.rating_significance is None
    assert any(w.field == "Rating significance" and "not a known rating" in w.message for w in g.warnings)


@pytest.mark.parametrize("written, significance, contribution", [
    ("Strong", "large", "large"), ("weak", "small", "small"), ("H", "large", "large"), ("m", "medium", "medium"),
    ("Limited", "small", "small"), ("Considerable", "large", "large")])
def test_ratings_of_other_scales(written, significance, contribution):
    f = _one(f"**FragmentID**: R-3\n**Rating significance**: {written}\n**Rating contribution**: {written}\n")
    assert (f.rating_significance.label, f.rating_contribution.label) == (significance, contribution)
    assert not [w for w in f.warnings if w.field]


def test_rating_with_a_degree_the_scheme_lacks_is_read_as_its_word_with_a_warning():
    f = _one("**FragmentID**: R-4\n**Rating significance**: Very high\n**Rating contribution**: quite limited\n")
    assert f.rating_significance.label == "large" and f.rating_contribution.label == "small"
    said = {w.field: w.message for w in f.warnings}
    assert "'Very high' read as 'large'" in said["Rating significance"]
    assert "'quite limited' read as 'small'" in said["Rating contribution"]
    g = _one("**FragmentID**: R-5\n**Rating significance**: very enormous\n")
    assert g.rating_significance is None and "not a known rating" in g.warnings[0].message


def test_unknown_type_of_change_becomes_ad_hoc_concept_with_warning():
    f = _one("**FragmentID**: T-1\n**Type of change**: Policy change; Brand new change\n")
    assert [(c.label, c.ad_hoc) for c in f.types_of_change] == [("Policy change", False), ("Brand new change", True)]
    assert any("ad-hoc" in w.message for w in f.warnings)


def test_confidential_flag_must_be_readable():
    with pytest.raises(HarvestError) as exc:
        _one("**FragmentID**: C-1\n**Confidential**: perhaps\n")
    assert "t.md:2" in str(exc.value) and "Confidential" in str(exc.value)


def test_missing_fragment_id_names_file_line_field():
    with pytest.raises(HarvestError) as exc:
        normalise(read_text("**Country**: Kenya\n**Year**: 2024\n", "m.md")[0])
    assert str(exc.value).startswith("m.md:1: field 'FragmentID'")


def test_duplicate_field_with_different_values_warns_and_keeps_first():
    f = _one("**FragmentID**: D-1\n**Year**: 2023\n**Year**: 2024\n")
    assert f.year == 2023
    assert any(w.line == 3 and "twice" in w.message for w in f.warnings)


def test_objective_field_names_programme_when_id_does_not():
    f = _one("**FragmentID**: 0042\n**Link to WEP Specific Objectives**: CLI: Climate justice; GEN: Gender\n")
    assert f.programme == "WEP"
    assert f.objectives == [Reference("CLI", "Climate justice"), Reference("GEN", "Gender")]


@pytest.mark.parametrize("written, code", [
    ("São Tomé and Príncipe", "ST"), ("Sao Tome and Principe", "ST"), ("Curacao", "CW"), ("Reunion", "RE"),
])
def test_a_country_is_read_with_or_without_its_accents(written, code):
    # (the "and" in a country's name is no list: "São Tomé and Príncipe" was read as "São Tomé" + "Príncipe")
    assert [c.code for c in parse_countries(written)] == [code]


def test_a_list_with_an_unknown_country_names_what_was_written():
    with pytest.raises(LookupError, match="'Atlantis and Kenya'"):
        parse_countries("Atlantis and Kenya")
