"""Places in free text (graph/actors/places/): the mechanisms of the places round of session 11, each on
sentences written for the test (invented names where the gazetteer must not know them)."""

from __future__ import annotations

import pytest

from harvestgraph.actors.places import Gazetteer, context_places


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load()


def _found(gaz, text, country):
    return [(m.text, m.place.country) for m in gaz.find(text, [country])]


def _context(gaz, text, known=(), hints=()):
    spans = context_places(text, "XX", (), [(text.index(k), text.index(k) + len(k)) for k in known],
                           lambda n: any(p.is_country for p in gaz.candidates(n)),
                           [(text.index(h), text.index(h) + len(h)) for h in hints])
    return [text[s:e] for s, e in spans]


def test_a_list_joined_by_plus_and_month_abbreviations(gaz):
    # notes written in haste: "+" joins a list like "and"
    assert _context(gaz, "canoe crews in Tovar + Mirtu stayed ashore", known=["Tovar"]) == ["Mirtu"]
    # "Jul" is an alternate name of Juliaca in GeoNames; as a month it is no place
    assert _found(gaz, "Jul 2024: the council of Juliaca met.", "PE") == [("Juliaca", "PE")]


def test_a_foreign_subdivision_needs_more_than_a_locative_word(gaz):
    # Flores is a department of Uruguay; in an Indonesian record it is the island
    assert all(c != "UY" for _, c in _found(gaz, "girls in Flores walk far to school", "ID"))
    # a city of another country still counts
    assert _found(gaz, "the workshop in Kampala trained them", "KE") == [("Kampala", "UG")]


def test_a_place_name_that_names_something_else_here(gaz):
    # water, land, roads
    assert _found(gaz, "after fish kills in Lingayen Gulf, fishers met", "PH") == []
    assert _context(gaz, "The ranch lies near Lake Tovar.", hints=["Lake Tovar"]) == []
    assert _context(gaz, "fishers in Tovar and Mirtu lagoons lost nets", hints=["Tovar", "Mirtu"]) == []
    # a word of a name: next to an acronym, before a body's lower-case tail, between capitalised words
    assert _found(gaz, "Enrolment data from MINEDUC Quiché.", "GT") == []
    assert _found(gaz, "The Kilifi ECDE teachers' association mobilised its members.", "KE") == []
    assert _found(gaz, "In 2025 the Bank Sampah Induk Sumber Rejeki signed it.", "ID") == []
    # a major language after "in" with another language; a minor language named after a town is the town
    assert _found(gaz, "new reading kits in Guaraní and Spanish", "PY") == []
    assert _found(gaz, "reporters in Arua were trained", "UG") == [("Arua", "UG")]


def test_and_is_locative_in_a_list_of_names_only(gaz):
    assert _found(gaz, "fees excluded poor and Roma patients", "RO") == []
    assert [t for t, _ in _found(gaz, "clinics in Bacău and Onești", "RO")] == ["Bacău", "Onești"]


def test_a_word_of_land_before_a_place_makes_a_longer_name(gaz):
    assert _found(gaz, "associations of the Vale do Ribeira adopted a plan", "BR") == [("Vale do Ribeira", "BR")]
    assert ("Shkëmbi i Kavajës", "AL") in _found(gaz, "the road through Shkëmbi i Kavajës is busy", "AL")


def test_languages_and_english_words_before_a_unit_word(gaz):
    # a Bantu language's prefix
    assert _context(gaz, "a verification toolkit in Kiswahili", hints=["Kiswahili"]) == []
    # a sentence-initial English noun or a nationality before a unit word
    assert _context(gaz, "Compensation settlements left many without care.") == []
    assert _context(gaz, "Tovarese municipalities rarely comply.") == []
    assert _context(gaz, "In 2024 the Tovar municipality agreed.") == ["Tovar"]


def test_people_in_from_or_of_a_name_name_a_place(gaz):
    text = "Women in Tovar now work all season; traders from Mirtu and Obra lost income."
    assert _context(gaz, text) == ["Tovar", "Mirtu", "Obra"]
    assert _context(gaz, "absenteeism fell in the schools of Kelvo and Gartu") == ["Kelvo", "Gartu"]
    # who works for a name, a body, a unit, a language: not places
    assert _context(gaz, "the journalists of Tovpress published it") == []
    assert _context(gaz, "women in Parliament spoke") == []
    # a unit word in the name: the unit patterns read it ("Tovar", not "Tovar Province")
    assert _context(gaz, "farmers in Tovar Province met") == ["Tovar"]
    assert _context(gaz, "booklets printed for teachers in Tovish and Kirghiz") == []


def test_a_unit_word_right_before_the_names(gaz):
    assert _context(gaz, "after the boom the villages Kelvo and Gartu lost income") == ["Kelvo", "Gartu"]
    assert _context(gaz, "cadres in Kabupaten Tovar began to record") == ["Tovar"]
    assert _context(gaz, "the wells of the municipio de Tovar dried up") == ["Tovar"]
    # a body named after its unit is not a place
    assert _context(gaz, "the districts Health Office met") == []


def test_a_range_of_months_listed_after_places_is_no_place(gaz):
    # "in Kiambu and Thika, Mar-Jun 2025": the months are when, not where
    assert _context(gaz, "tents were set up in Kiambu and Thika, Mar-Jun 2025", known=["Kiambu", "Thika"]) == []
    assert _context(gaz, "tents were set up in Kiambu and Thika, Ruiru", known=["Kiambu", "Thika"]) == ["Ruiru"]


@pytest.mark.parametrize("text, country, code, label", [
    # ISO 3166-2 spells some regions otherwise than the records and the maps do: the label is the English form
    # a reader knows, ISO's spelling still finds the region
    ("Women's groups in the Amhara region opened two shelters.", "ET", "ET-AM", "Amhara"),
    ("Women's groups in Amara opened two shelters.", "ET", "ET-AM", "Amhara"),
    ("Radio stations in Tigray resumed.", "ET", "ET-TI", "Tigray"),
    ("Traders in Sud-Kivu formed a union.", "CD", "CD-SK", "South Kivu"),
])
def test_a_region_is_labelled_as_the_records_write_it(gaz, text, country, code, label):
    got = [(m.place.code, m.place.name) for m in gaz.find(text, [country])]
    assert got == [(code, label)]
