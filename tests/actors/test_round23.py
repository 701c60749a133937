"""Round 23 (session 23): complements that name a group's kind in another language, text without sentence punctuation,
(docs/extraction.md, "Round 23"). Each case failed on the code before the round but the guards (marked), which hold
what must not change. The sentences are invented here, not taken from a labelled set."""

from __future__ import annotations

import pytest

from harvestgraph.actors import rules

from .fragments import resolve_fields


def _changed(country: str, description: str) -> list[str]:
    r = resolve_fields({"Country": country, "Outcome description": description})
    return sorted(a.actor.name for a in r.actors if a.role == "changed")


@pytest.mark.parametrize("text, role", [
    # a genitive with its article before lower-case plural nouns names the kind of people
    ("les animatrices des radios rurales de Kaya ont lancé", "animatrices des radios rurales"),
    ("las mujeres de los comedores populares de Ate acordaron", "mujeres de los comedores populares"),
    ("os presidentes das associações comunitárias de Nampula", "presidentes das associações comunitárias"),
    # guards: before a noun of places, or a capital, it locates them
    ("les femmes des communes de Dori ont", "femmes"),
    ("los dirigentes de los barrios de El Alto", "dirigentes"),
    ("les chefs des Églises de Bukavu", "chefs"),
])
def test_a_genitive_with_its_article_names_the_kind_of_a_group(text, role):
    assert rules.romance_group_at(text, 0).text == role


@pytest.mark.parametrize("text, parts", [
    ("the District Council of Mzimba now publishes its budget  copies go to every ward office  the Mzimba "
     "Youth Network checks the figures", 3),
    # guards: spaces between a subject and its verb; punctuated text; three words are no sentence
    ("the municipality of Bar Elias  agreed to let refugee families rent rooms in the town", 1),
    ("The council adopted the plan.  The Youth Network checks the figures now", 2),
    ("the water board  Lilongwe  adopted a tariff for kiosks", 1),
])
def test_text_without_punctuation_is_split_where_two_spaces_stand(text, parts):
    assert len(rules.sentences(text)) == parts


@pytest.mark.parametrize("country, description, changed", [
    ("Togo", "Commissaire central de Sokodé now informs detainees of their rights on arrival  a poster in French "
             "and Kabiyè hangs in every cell block  the Barreau du Togo sends duty lawyers for night arrests",
     ["Barreau du Togo", "Commissaire central de Sokodé"]),
    # guard: the spaces between the subject and its verb do not cut it off
    ("Lebanon", "the municipality of Bar Elias  agreed to let refugee families rent rooms in the town  decision "
                "taken in council in March 2025", ["municipality of bar elias"]),
])
def test_actors_that_changed_in_text_without_punctuation(country, description, changed):
    assert _changed(country, description) == changed
