"""Round 19 (docs/extraction.md "Round 19"): the kinds the tuned sets still missed in the outcome description's first
sentence. Every sentence is written for the test (none is copied from a labelled set); each test failed on the code
before the round, except the guards marked as such (they hold on both: what a rule must not take)."""

from __future__ import annotations

import pytest

from .test_extract import _resolve


# --------------------------------------------------------------------------- a common noun and the name it stands for


@pytest.mark.parametrize("description, changed", [
    ("Alpha Cotton Ltd and its buyer, Sahel Fibres SA, agreed in 2025 to pay the cotton premium.",
     ["Alpha Cotton Ltd", "Sahel Fibres SA"]),
    ("In 2024 the Radio Dounia network and the news site Tchad Info adopted an editorial charter.",
     ["Radio Dounia", "Tchad Info"]),
])
def test_a_descriptor_before_a_name_is_a_social_actor(tmp_path, description, changed):
    got, _, _ = _resolve(tmp_path, description, "Chad")
    assert got == changed


def test_guard_a_thing_before_no_name_is_still_no_actor(tmp_path):
    # (holds on both) the scene's things stay out: the ministry of the second clause is not the first sentence's actor
    got, _, _ = _resolve(tmp_path, "In 2024 the drought and the flood destroyed the crops near Moundou.", "Chad")
    assert got == []


# --------------------------------------------------------------------------- a second body after a list in a name


def test_a_name_with_its_own_article_after_a_list_in_a_complement_is_a_second_subject(tmp_path):
    got, _, _ = _resolve(tmp_path, "In June 2024 the National Union of Workers in Leather, Footwear and Rubber "
                         "Industries and the Federation of Exporters' Associations (FEA) signed a wage agreement.",
                         "Pakistan")
    assert "Federation of Exporters' Associations" in got
    assert "Rubber Industries" not in got  # a field of the union, not a third actor


def test_guard_a_list_of_portfolios_with_an_article_stays_one_ministry(tmp_path):
    # (holds on both) the last portfolio has an article but the list has two members only
    got, _, _ = _resolve(tmp_path, "In 2025 the Ministry of Gender, Children and the Elderly adopted a plan.", "Ghana")
    assert got == ["Ministry of Gender, Children and the Elderly"]


# --------------------------------------------------------------------------- a name in another language, then "and"


@pytest.mark.parametrize("description, changed", [
    ("The Office National d'Appui, de Formation et des Semences (ONAFS) and the Ministry of Agriculture agreed in May "
     "2025 to certify farmer seed.",
     ["Ministry of Agriculture", "Office National d'Appui, de Formation et des Semences"]),
    ("The Agence Nationale d'Hydraulique, de Pompage et des Eaux (ANHPE) and the regional council of Kayes signed a "
     "maintenance contract in 2024.",
     ["Agence Nationale d'Hydraulique, de Pompage et des Eaux", "regional council of kayes"]),
])
def test_a_foreign_name_its_acronym_defines_and_the_body_joined_to_it(tmp_path, description, changed):
    got, _, _ = _resolve(tmp_path, description, "Mali")
    assert got == changed


# --------------------------------------------------------------------------- round 19b (dev25 and dev26, read after
# their first, unseen score)


ROUND_19B = [
    # a noun and the names it lists between commas: the names act, not the noun
    ("Three exporting firms in Mombasa, Kilindini Traders Ltd and Coast Fresh Ltd, signed contracts with 40 porters.",
     "Kenya", ["Coast Fresh Ltd", "Kilindini Traders Ltd"]),
    ("Two cooperatives, Tumaini Farmers Cooperative and Upendo Growers Cooperative, opened a shop in Meru.", "Kenya",
     ["Tumaini Farmers Cooperative", "Upendo Growers Cooperative"]),
    # a singular noun of what an organisation is, then its name
    ("The Mesa de Mujeres del Cauca and the community radio Voces del Patía have produced a weekly programme.",
     "Colombia", ["Mesa de Mujeres del Cauca", "Voces del Patía"]),
    ("In 2024 the cooperative Kilimo Bora opened a store in Nyeri.", "Kenya", ["Kilimo Bora"]),  # (holds on both)
    # a note that opens with the participle and its agent
    ("Adopted by the Tyre municipal council in May: a by-law on street vendors.", "Lebanon",
     ["tyre municipal council"]),
    ("Signed by the Ministry of Labour and the Federation of Employers in March: a code on recruitment fees.", "Jordan",
     ["Federation of Employers", "Ministry of Labour"]),
    # a time or place lead written without its comma
    ("From march Irbid Governorate Health Directorate runs 2 extra clinics a week.", "Jordan",
     ["Irbid Governorate Health Directorate"]),
    ("In Sylhet and Sunamganj 30 women's savings groups moved their records to a phone app.", "Bangladesh",
     ["women's savings groups"]),
]


def test_guard_a_noun_described_with_a_as_no_name(tmp_path):
    # "a local NGO" describes the name before it; "NGO" is no second contributor
    _, contributors, _ = _resolve(tmp_path, "Sabah Wildlife Department has set up a rapid response unit.", "Malaysia",
                                  others="HUTAN, a local NGO, shared the elephant movement data.")
    assert contributors == ["HUTAN"]


# --------------------------------------------------------------------------- round 19c (dev25, dev26)


ROUND_19C = [
    # a body named in another language, with its adjectives after the noun in lower case
    ("The Conseil départemental de Kolda has adopted in February 2025 a deliberation on land rights.", "Senegal",
     ["Conseil départemental de Kolda"]),
    ("The Comisión provincial de Aguas de Salta approved the tariff.", "Argentina",
     ["Comisión provincial de Aguas de Salta"]),
    # a gloss that names bodies, not people, says where the name before it ends
    ("The commissions foncières villageoises (village land commissions) of the cercle of Bougouni have registered "
     "480 agreements since January 2025.", "Mali", ["commissions foncières villageoises"]),
    # an agency's acronym and the place of its branch
    ("After two years of pressure from the water users associations, ABH Souss-Massa set groundwater quotas for the "
     "farms around Tiznit.", "Morocco", ["ABH Souss-Massa"]),
    # "fish" read as the verb after a conjunct of the subject
    ("In 2025 the district council and the women fish traders of Kafue formed a cooperative.", "Zambia",
     ["district council", "women fish traders"]),
]


def test_guard_people_in_a_place_stay_people(tmp_path):
    # (holds on both) a place after no acronym is no branch of anything
    got, _, _ = _resolve(tmp_path, "In 2024 farmers in Tiznit set up a water committee.", "Morocco")
    assert got == ["farmers"]


# --------------------------------------------------------------------------- round 19d (dev7, dev26)


ROUND_19D = [
    # an office named in the language of the country
    ("Negative: the préfet of Kindia and the company Rusal fenced off the wells.", "Guinea",
     ["Rusal", "préfet of kindia"]),
    # a name that starts with a number goes on after its plural word; a count ends with it
    ("Two Rivers Platinum, the Environmental Management Agency and the district council agreed to relocate 46 "
     "families.", "Zimbabwe", ["Environmental Management Agency", "Two Rivers Platinum", "district council"]),
    ("2 subcontractors at the oil field, Al-Faw Services Company and 7 Stars Contracting, signed written contracts "
     "with 190 day labourers.", "Iraq", ["7 Stars Contracting", "Al-Faw Services Company"]),
]


def test_guard_a_count_of_a_plural_stays_a_count(tmp_path):
    # (holds on both) "Three Kenyan NGOs": the number counts what the plural names
    got, _, _ = _resolve(tmp_path, "Three Kenyan NGOs signed the petition.", "Kenya")
    assert got == ["Kenyan NGOs"]


# --------------------------------------------------------------------------- round 19e (dev18, dev21)


ROUND_19E = [
    # a capital after an elided article is a name's ("l'Équateur")
    ("In March 2025, the Gouverneur de la Province de l'Équateur signed the arrêtés granting five community forest "
     "concessions in Bikoro territory.", "DR Congo", ["Gouverneur de la Province de l'Équateur"]),
    # the verb read as an adjective of its object: the noun root and its conjunct are the subjects; an office is
    # named by what it is of
    ("During the cholera outbreak of early 2025, the community leaders of Mecúfi and the régulo of Murrébué "
     "organised cleaning campaigns.", "Mozambique", ["community leaders of mecúfi", "régulo of murrébué"]),
]


# --------------------------------------------------------------------------- round 19f (dev22)


ROUND_19F = [
    # the verb read as a participle of the name the parser made the root
    ("In March 2025 the Inter-American Court of Human Rights held in Advisory Opinion OC-31/25 that states may not "
     "return people who fled climate disasters.", "Costa Rica", ["Inter-American Court of Human Rights"]),
    # a court is named by its seat
    ("In November 2024 the Voivodeship Administrative Court in Warsaw ruled that the regulation breaches the "
     "Convention.", "Poland", ["Voivodeship Administrative Court in Warsaw"]),
]


def test_guard_a_meeting_held_somewhere_is_no_actor(tmp_path):
    # (holds on both) a participle after a name that is an event stays a participle: nothing acted
    got, _, _ = _resolve(tmp_path, "The Conference held in Geneva in 2024 adopted a declaration.", "Switzerland")
    assert got == []


# --------------------------------------------------------------------------- round 19g (dev27, dev28)


ROUND_19G = [
    # a name the recogniser cut in two at "for the", whole in the subject's phrase
    ("In March 2025 the Agency for the Prevention of Corruption and the Public Procurement Office issued a joint "
     "instruction.", "Montenegro", ["Agency for the Prevention of Corruption", "Public Procurement Office"]),
    # the agent of a passive hung on the noun of the complement's phrase
    ("Rainwater harvesting tanks were made compulsory for every new house in Karangazi and Rwimiyaga sectors by the "
     "Nyagatare District Council in March 2025.", "Rwanda", ["Nyagatare District Council"]),
]


# --------------------------------------------------------------------------- round 19h (dev29, dev30)


ROUND_19H = [
    # a preposition left without its object: the noun root and its conjuncts are the subjects
    ("Water user associations and farmers' cooperatives in the Raqqa and Tabqa areas jointly took over, in April "
     "2025, the operation of three pumping stations.", "Syria", ["farmers' cooperatives", "water user associations"]),
    # a town hall named by its town
    ("Following the issuance by the National Directorate of Sanitation (DNACPN) of a circular on faecal sludge "
     "disposal, the Mopti town hall designated, in May 2025, a treatment site at Sévaré.", "Mali",
     ["mopti town hall"]),
    # "fish" read as the verb of "women", after a time lead without its comma
    ("Since August 2024 women fish sellers at Auki market in Malaita use two solar freezers that they run together.",
     "Solomon Islands", ["women fish sellers"]),
    # a church women's fellowship is a body
    ("From January 2025 the Baptist women's fellowship in Black River runs a Tuesday evening listening circle.",
     "Jamaica", ["baptist women's fellowship"]),
]


def test_a_place_whose_name_ends_in_an_apostrophe_s(tmp_path):
    # "St. George's": the possessive ending is the name's own (it was read as the place "St")
    _, _, res = _resolve(tmp_path, "In March 2025 the Ministry of Agriculture built a roof at the Grenville market.",
                         "Grenada", programme="The programme paid the vendors' bus to the ministry in St. George's.")
    assert {p.name for p in res.places} == {"Grenville", "Saint George's"}


@pytest.mark.parametrize("description, country, changed",
                         ROUND_19B + ROUND_19C + ROUND_19D + ROUND_19E + ROUND_19F + ROUND_19G + ROUND_19H)
def test_round_19_changed_actors(tmp_path, description, country, changed):
    got, _, _ = _resolve(tmp_path, description, country)
    assert got == changed
