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
