"""Round 24 (session 24): the small English parser's misreadings that lose or misplace the subject of the outcome
description, repaired from the parse itself (docs/extraction.md, "Round 24"). Each case failed on pipeline 23 but the
guards and the cases marked "held", which pipeline 23 read right and the round's repairs must keep. The sentences are
invented here, not taken from a labelled set."""

from __future__ import annotations

import pytest

from .fragments import changed_names as _changed


@pytest.mark.parametrize("country, description, changed", [
    # an opening participle with its agent: the clause after the comma tells the act and its doer
    ("Iraq", "Encouraged by the results of the 2023 provincial elections, the Qaimaqam of Al-Faw district opened "
             "in 2025 the monthly service committee meetings of the district to women representatives.",
     ["Qaimaqam of Al-Faw district"]),
    # (held)
    ("Lebanon", "Supported by the regional water office, the municipal council of Baalbek adopted a tariff for "
                "water trucks.", ["municipal council of baalbek"]),
    # guard: a note that opens with the participle and its agent, without a clause of its own after it
    ("Lebanon", "Adopted by the Tyre municipal council in May 2025: a by-law on waste sorting.",
     ["Tyre municipal council"]),
])
def test_the_clause_after_an_opening_participle_tells_who_changed(country, description, changed):
    assert _changed(country, description) == changed


@pytest.mark.parametrize("country, description, changed", [
    # a common noun the parser made the root, its past-tense verb a clause of it, an adverb before the verb
    ("Mali", "The village chief of Kalabougou publicly endorsed in January 2025 women standing on the lists for "
             "the next communal elections.", ["village chief of kalabougou"]),
    # guard: a name read so keeps working
    ("Iraq", "The Directorate of Water of Ninewa extended in May 2025 the network to three villages.",
     ["Directorate of Water of Ninewa"]),
])
def test_a_past_tense_verb_read_as_a_clause_of_its_subject(country, description, changed):
    assert _changed(country, description) == changed


@pytest.mark.parametrize("country, description, changed", [
    # an office is named by the whole of what it is of: a name a finder found, or a body's words in lower case
    ("Nepal", "Women irrigators and the chairperson of the Bardiya Canal Water Users Committee began to patrol the "
              "canal at night.", ["chairperson of the bardiya canal water users committee", "women irrigators"]),
    ("Ukraine", "After a monitoring visit in March 2024, the head of the Odesa pre-trial detention centre closed the "
                "basement cells.", ["head of the odesa pre-trial detention centre"]),
    # guards: the office's verb and "and" end it; a place alone stays what it was
    ("Cambodia", "The village chief of Kampong Luong started a reporting board for land disputes.",
     ["village chief of kampong luong"]),
    ("Guinea", "The préfet of Kindia and the company agreed on a compensation scale.", ["préfet of kindia"]),
    ("Ukraine", "The mayor of Vinnytsia signed the order in May.", ["mayor of vinnytsia"]),
])
def test_an_office_is_named_by_the_whole_of_what_it_is_of(country, description, changed):
    assert _changed(country, description) == changed


@pytest.mark.parametrize("country, description, changed", [
    # a capitalised office and what it is of, where the recogniser cut it at its title
    ("Sierra Leone", "The Kenema City Council cut the market dues by half, and the Paramount Chief of Dama Chiefdom "
                     "allowed women to own fishing canoes.",
     ["Kenema City Council", "Paramount Chief of Dama Chiefdom"]),
    ("Kenya", "After a court users' committee meeting in May 2024, the Officer in Charge of Kisii Main Prison agreed "
              "to hold plea hearings by video link.", ["Officer in Charge of Kisii Main Prison"]),
])
def test_a_capitalised_office_with_what_it_is_of(country, description, changed):
    assert _changed(country, description) == changed


@pytest.mark.parametrize("country, description, changed", [
    # a conjunction and an article before a body's head start a second name
    ("Brazil", "A Cooperativa dos Pescadores Artesanais de Camocim e a Secretaria Municipal de Pesca de Camocim "
               "assinaram um acordo. Signed in 2024.",
     ["Cooperativa dos Pescadores Artesanais de Camocim", "Secretaria Municipal de Pesca de Camocim"]),
    # guard: a name whose words hold "y la" before no head stays one
    ("Peru", "The Comité de Defensa de la Niñez y la Familia opened a shelter in Ayacucho in 2024.",
     ["Comité de Defensa de la Niñez y la Familia"]),
    # a Tagalog object-focus verb opens the sentence; the doer follows "ng"
    ("Philippines", "Pinagtibay ng Sangguniang Bayan ng Pateros ang ordinansa para sa mga vendor noong Hulyo 2024. "
                    "Passed after two public hearings.", ["Sangguniang Bayan ng Pateros"]),
    # a Swahili body by its head word ("Halmashauri": council)
    ("Tanzania", "Halmashauri ya Wilaya ya Kilosa imetenga shamba la mfano kwa vikundi vya wanawake (the district "
                 "council set aside a demonstration farm for women's groups). Decided in March 2024.",
     ["Halmashauri ya Wilaya ya Kilosa"]),
])
def test_names_in_other_languages(country, description, changed):
    assert _changed(country, description) == changed


@pytest.mark.parametrize("name, kept", [
    # a month after a name (Turkish, Tagalog after "noong") is a date, not a word of the name
    ("Bergama Kadın Kooperatifi Ağustos", "Bergama Kadın Kooperatifi"),
    ("Samahan ng mga Magsasaka ng Bay noong Hunyo", "Samahan ng mga Magsasaka ng Bay"),
    # guards: a month after "de", a name of two words
    ("Madres de Plaza de Mayo", "Madres de Plaza de Mayo"),
    ("Radio Mayo", "Radio Mayo"),
])
def test_a_month_after_a_name_is_no_part_of_it(name, kept):
    from harvestgraph.actors.finders.spans import clean_span
    s, e = clean_span(name, 0, len(name))
    assert name[s:e] == kept


@pytest.mark.parametrize("country, description, changed", [
    # a participle and its complement before the comma are a lead, not the subject (held)
    ("Bangladesh", "Worried by the fake birth certificates, the marriage registrars of Kurigram upazila agreed to "
                   "check the age of the bride online.", ["marriage registrars"]),
    ("Iraq", "Having seen the first families come back to Sinjar in 2024, the qaimaqam of Sinjar district and the "
             "tribal sheikhs of Rabia signed in January 2025 a pledge to stop collective punishment.",
     ["qaimaqam of sinjar district", "tribal sheikhs"]),
    # the plural of a person by office names a group ("imams", "sheikhs") (held: the parse reads this one)
    ("Lebanon", "The imams of three mosques in Majdal Anjar refused to marry girls under 18 without registration.",
     ["imams"]),
    # Polish "w" inside a name; two Turkish names each with its head, joined by "ve"
    ("Poland", "Having heard the testimonies of carers, the Powiatowy Urząd Pracy w Zamościu published a model "
               "contract in Polish and Ukrainian.", ["Powiatowy Urząd Pracy w Zamościu"]),
])
def test_leads_groups_and_names_of_round_24e(country, description, changed):
    assert _changed(country, description) == changed


def test_two_names_each_with_its_head_joined_by_another_languages_and():
    from harvestgraph.actors.rules.names import org_candidates
    names = [c.text for c in org_candidates("Siirt Belediyesi ve Kurtalan Belediyesi iki tesis açtı.")]
    assert names == ["Siirt Belediyesi", "Kurtalan Belediyesi"]
    # guard: a portfolio joined by "y" stays one name
    names = [c.text for c in org_candidates("El Ministerio de Agricultura y Ganadería firmó.")]
    assert names == ["Ministerio de Agricultura y Ganadería"]


@pytest.mark.parametrize("country, description, changed", [
    # members of a list of subjects: a body in lower case, an office with a lower-case body it heads, a place with
    # its unit ("in Gulu city") before the next member
    ("Kenya", "The County Government of Siaya and the county health management team included PrEP in the annual "
              "work plans.", ["County Government of Siaya", "county health management team"]),
    ("Uganda", "police officers in Gulu city and the district probation officer started in April 2024 to fill the "
               "PF3 form on the same day.", ["district probation officer", "police officers"]),
    ("Nepal", "In Banke district, a budget line for adolescent health was approved by the Municipal Executive of "
              "Nepalgunj Sub-Metropolitan City and the chief of the municipal health section, for the fiscal year.",
     ["Municipal Executive of Nepalgunj Sub-Metropolitan City", "chief of the municipal health section"]),
    # the agents of a passive: people by office in the plural ("heads") and groups
    ("Malawi", "In Ntcheu district, bylaws against child marriage were passed by the group village heads and the "
               "mother groups of the Bilira zone in July 2024.", ["group village heads", "mother groups"]),
])
def test_bodies_and_offices_in_a_list_of_subjects(country, description, changed):
    assert _changed(country, description) == changed


def test_a_list_of_subjects_after_a_place_and_its_region():
    assert _changed("Mexico", "In Ciudad Madero, Tamaulipas, the Presidente Municipal de Madero and the tianguistas' "
                              "union signed in August 2024 a convenio on Sunday markets.") \
        == ["Presidente Municipal de Madero", "tianguistas' union"]


@pytest.mark.parametrize("text, name", [
    # a legal form after the name and a comma is the name's
    ("the Cooperativa Agrícola San Mateo, R.L. and the Alcaldía signed", "Cooperativa Agrícola San Mateo, R.L."),
    ("the Kilombero Valley Teak Company, Ltd. agreed", "Kilombero Valley Teak Company, Ltd."),
    ("the Tambuli Foundation, Inc. lent its hall", "Tambuli Foundation, Inc."),
    # guard: a comma and what is no legal form
    ("the Tana Cooperative Society, and the county", "Tana Cooperative Society"),
])
def test_a_legal_form_after_a_comma_is_part_of_the_name(text, name):
    from harvestgraph.actors.rules.names import org_candidates
    assert org_candidates(text)[0].text == name


def test_indonesian_di_before_a_unit_locates_a_name():
    from harvestgraph.actors.rules.names import org_candidates
    assert [c.text for c in org_candidates("Kelompok Tani Wanita Mekar Sari di Desa Sumberejo mulai menanam")] \
        == ["Kelompok Tani Wanita Mekar Sari"]
    # guard: Italian "di" joins a name
    assert [c.text for c in org_candidates("The Centro di Ascolto di Bologna opened a shelter")] \
        == ["Centro di Ascolto di Bologna"]


@pytest.mark.parametrize("text, name", [
    # a name that lists its portfolios before its head, with commas
    ("the Raya Kobo Woreda Water, Mines and Energy Office agreed", "Raya Kobo Woreda Water, Mines and Energy Office"),
    ("by the Dera Woreda Women, Children and Youth Affairs Office, since",
     "Dera Woreda Women, Children and Youth Affairs Office"),
    # guard: a place and its comma before a name
    ("In Bahir Dar, Mines and Energy Office staff met", "Mines and Energy Office"),
])
def test_a_name_that_lists_its_portfolios_before_its_head(text, name):
    from harvestgraph.actors.rules.names import org_candidates
    assert org_candidates(text)[-1].text == name


@pytest.mark.parametrize("word, people", [
    # plural nouns of people in French, Spanish or Portuguese name a group
    ("ediles", True), ("regantes", True), ("comuneros", True), ("tianguistas", True),
    # guards: short words ending so
    ("zeros", False), ("numeros", False),
])
def test_romance_plurals_of_people_are_group_heads(word, people):
    from harvestgraph.actors.rules import is_group_head
    assert is_group_head(word) is people


def _actors(country: str, description: str, others: str = "") -> list[tuple[str, str]]:
    from .fragments import resolve_fields
    res = resolve_fields({"Country": country, "Outcome description": description,
                          "Contribution of other actors and factors": others})
    return sorted({(a.actor.name, a.role) for a in res.actors if a.role in ("changed", "contributor")})


@pytest.mark.parametrize("country, description, others, expected", [
    # a name in its own language before its English gloss: the name is the actor, the gloss no other one
    ("Bosnia and Herzegovina", "The Gradsko vijeće Bihać (City Council) approved in April 2024 a memorial plaque.",
     "", [("Gradsko vijeće Bihać", "changed")]),
    ("Serbia", "The city council of Niš adopted a plan for returnees in 2024.",
     "Centar za mirovne studije (Centre for Peace Studies) trained the council's staff.",
     [("Centar za mirovne studije", "contributor"), ("city council of niš", "changed")]),
    # guards: a name found whole keeps its explanation out; a clause in another language glossed whole
    ("Kenya", "The Kenya Red Cross Society (an aid organisation) opened two water points in 2024.", "",
     [("Kenya Red Cross Society", "changed")]),
])
def test_a_name_in_its_own_language_before_its_english_gloss(country, description, others, expected):
    assert [x for x in _actors(country, description, others) if x[1] != "contributor" or x[0] != "programme"] \
        == expected


@pytest.mark.parametrize("text, name", [
    # Hausa names open with "Kungiyar" (association) and join with "ta" / "na" (of)
    ("Kungiyar Matasa Masu Sa Ido trained the ward monitors.", "Kungiyar Matasa Masu Sa Ido"),
    ("with support from Kungiyar Agaji ta Mata in Maiduguri", "Kungiyar Agaji ta Mata"),
])
def test_hausa_names(text, name):
    from harvestgraph.actors.rules.names import org_candidates
    assert [c.text for c in org_candidates(text)] == [name]


@pytest.mark.parametrize("country, description, others, expected", [
    # a name that names its place or its branch after a comma
    ("Pakistan", "The provincial housing department opened a complaints desk in 2024.",
     "Urban Resource Centre, Karachi trained the residents' committees.",
     [("Urban Resource Centre, Karachi", "contributor"), ("provincial housing department", "changed")]),
    ("Kenya", "The county teachers' service office agreed to post two more teachers.",
     "Kenya National Union of Teachers, Kisii Branch lobbied the county.",
     [("Kenya National Union of Teachers, Kisii Branch", "contributor"),
      ("county teachers' service office", "changed")]),
    # guards: a national body's town; a town the name already holds
    ("Sierra Leone", "The National Youth Commission, Bo, opened a youth centre in 2024.", "",
     [("National Youth Commission", "changed")]),
])
def test_a_name_with_its_place_or_branch_after_a_comma(country, description, others, expected):
    assert [x for x in _actors(country, description, others) if not x[0].lower().startswith("programme")] \
        == expected


def test_people_living_with_a_condition_inside_a_name():
    from harvestgraph.actors.rules.names import org_candidates
    assert [c.text for c in org_candidates("The Almaty Union of People Living with HIV trained peer navigators.")] \
        == ["Almaty Union of People Living with HIV"]


@pytest.mark.parametrize("text, name", [
    # an office of government named after its holder's title
    ("the Office of the Prime Minister approved the plan", "Office of the Prime Minister"),
    ("the Office of the President signed the decree", "Office of the President"),
])
def test_an_office_named_after_its_holder(text, name):
    from harvestgraph.actors.rules.names import org_candidates
    assert [c.text for c in org_candidates(text)] == [name]
