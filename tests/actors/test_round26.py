"""Round 26 (session 26): second clauses and names joined by "y", "e" or "et" (docs/extraction.md, "Round 26"). Each
case failed on pipeline 25 but the guards, which pipeline 25 read right and the round's rules must keep. The
sentences are invented here, not taken from a labelled set."""

from __future__ import annotations

import pytest

from .fragments import changed_names


@pytest.mark.parametrize("country, description, changed", [
    # a group whose head is a body's word in the plural, as the subject of a second clause
    ("Kenya", "The Kilifi County Assembly passed a by-law on mangrove cutting in April 2025, and the beach management "
              "units of Takaungu and Kuruwitu have taken over the night patrols.",
     ["Kilifi County Assembly", "beach management units"]),
    # guard: a count of people reached is no actor, whatever its head
    ("Kenya", "The Kilifi County Assembly passed a by-law on mangrove cutting in April 2025, and 40 households "
              "have planted seedlings.", ["Kilifi County Assembly"]),
])
def test_a_plural_body_as_the_subject_of_a_second_clause(country, description, changed):
    assert changed_names(country, description) == changed


def test_a_bracket_between_a_second_subject_and_its_verb():
    # the acronym in brackets after a name stands between it and its verb
    names = changed_names("Bangladesh", "In May 2025 the National Federation of Workers in Leather, Footwear and Tannery "
                                        "Industries and the Bangladesh Finished Leather, Leathergoods & Footwear Exporters' "
                                        "Association (LFMEAB) renewed the agreement of the sector.")
    assert "Bangladesh Finished Leather, Leathergoods & Footwear Exporters' Association" in names


@pytest.mark.parametrize("country, description, changed", [
    # after "y", "e" or "et", what does not open with a head word is the first name's complement, not a second name
    ("Ecuador", "In Imbabura, in May 2025, the Cooperativa de Ahorro y Crédito Pakariñan opened a branch in Otavalo with "
                "Kichwa-speaking staff.", ["Cooperativa de Ahorro y Crédito Pakariñan"]),
])
def test_a_name_joined_by_y_e_or_et(country, description, changed):
    assert changed_names(country, description) == changed


@pytest.mark.parametrize("country, description, changed", [
    # the agent of a passive in the present, after the place the verb took or between commas after its auxiliary
    ("Uganda", "Since the 2025 harvest the weight of every bag is recorded in front of the farmer by Bunyoro Cocoa "
               "Growers' Cooperative Union at its nine stores.", ["Bunyoro Cocoa Growers' Cooperative Union"]),
    ("Ghana", "In Bolgatanga, the share of the District Assemblies Common Fund reserved for persons with disabilities "
              "is, since March 2025, released every quarter by the Bolgatanga Municipal Assembly through a committee "
              "of five. Bongo District Assembly followed in May.",
     ["Bolgatanga Municipal Assembly", "Bongo District Assembly"]),
    # guards: a passive in the present inside a relative clause; a second agent after "and by"
    ("Kenya", "A participatory budget was adopted in March 2025 in which 10 % of the development fund is decided by "
              "village assemblies.", []),
    ("Kenya", "School lunches in 40 schools of Kwale are managed since January 2025 by the ward education committees "
              "of Msambweni and Lunga Lunga and by the parents' associations, with maize bought from local farmers.",
     ["parents' associations", "ward education committees"]),
])
def test_the_agent_of_a_passive_in_the_present(country, description, changed):
    assert sorted(set(changed_names(country, description))) == changed


def test_the_agents_of_a_passive_of_organising_did_the_act():
    # "was organised by X and Y": both changed, not the first taken for a contributor by "organised by"
    names = changed_names("Ethiopia", "In the Arsi zone, motorbike transport of blood samples from 20 health posts to the "
                                      "hospital of Asella was organised by the Tiyo Woreda Health Office and the Hetosa "
                                      "Woreda Health Office from May 2024.")
    assert sorted(set(names)) == ["Hetosa Woreda Health Office", "Tiyo Woreda Health Office"]


@pytest.mark.parametrize("country, description, changed", [
    # a subordinate clause closed by a comma before ", and" does not hide the second clause's subject
    ("Senegal", "In January 2025 the Préfet de Kolda authorised the weekly youth debates of the Association des Jeunes "
                "pour la Citoyenneté de Kolda to be held in public places again, after they had been banned since the "
                "troubles of 2023, and the Mayor of Vélingara accepted to host the debates in the town hall, which had "
                "never been done before in the Fouladou region.", ["Mayor of Vélingara", "Préfet de Kolda"]),
    # a group by role in lower case whose head is the plural of an office, as the subject of a second clause
    ("Uganda", "After a year of dialogue the Resident District Commissioner of Lira agreed in 2025 that civil society "
               "groups no longer need his permission to meet, and the district police commanders of Lira and Dokolo "
               "stopped dispersing the meetings of the savings groups.",
     ["Resident District Commissioner of Lira", "district police commanders"]),
    # guard: people at large
    ("Uganda", "The Resident District Commissioner of Lira agreed in 2025 that civil society groups no longer need his "
               "permission to meet, and rural communities stopped fearing the police.",
     ["Resident District Commissioner of Lira"]),
])
def test_second_clauses_after_a_closed_subordinate_and_offices_in_the_plural(country, description, changed):
    assert sorted(set(changed_names(country, description))) == changed


@pytest.mark.parametrize("others, contributors", [
    # a country or a region after "in" belongs to the name before it
    ("The Land Rights Alliance in Zambia trained the paralegals.", ["Land Rights Alliance in Zambia"]),
    ("Coastal Women Forum in Asia shared its guide with the councils.", ["Coastal Women Forum in Asia"]),
    # guard: a city after "in" is where the name acted, not a part of it
    ("The Land Rights Alliance in Lusaka trained the paralegals.", ["Land Rights Alliance"]),
])
def test_a_country_or_region_after_in_ends_a_name(others, contributors):
    from .test_round25 import _contributors
    assert _contributors("Zambia", {"Contribution of other actors and factors": others}) == contributors


@pytest.mark.parametrize("others, contributors", [
    # a currency's abbreviation after a number is money, no actor
    ("Kafo Jiginew lent 6 million FCFA to the savings groups.", ["Kafo Jiginew"]),
    # guard: the same letters naming no amount
    ("CFA Institute trained the treasurers.", ["CFA Institute"]),
])
def test_a_currency_after_a_number_is_no_actor(others, contributors):
    from .test_round25 import _contributors
    assert _contributors("Mali", {"Contribution of other actors and factors": others}) == contributors


@pytest.mark.parametrize("country, text, places", [
    # the first word of a body named after its place, alone later, is the place, not the body's short form
    ("Rwanda", "In March 2025 the Nyabihu District Council suspended the allowance. Two children were later found on "
               "the streets of Nyabihu.", ["Nyabihu"]),
])
def test_a_place_a_body_is_named_after_is_no_short_form(country, text, places):
    from .test_round25 import _places
    assert _places(country, text) == places
