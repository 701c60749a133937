"""Round 22 (session 22): descriptions that open in French, Spanish, Portuguese, Indonesian or Swahili, with or
without an English gloss, and second main clauses whose subject the parse hung elsewhere (docs/extraction.md,
"Round 22"). Each case failed on the code before the round but the guards (marked), which hold what must not
change. The sentences are invented here, not taken from a labelled set."""

from __future__ import annotations

import pytest

from harvestgraph.actors import rules
from harvestgraph.actors.language import reads_as_english

from .fragments import changed_names as _changed, resolve_fields


@pytest.mark.parametrize("text, role", [
    ("les femmes transformatrices de poisson de Mbour ont obtenu", "femmes transformatrices de poisson"),
    ("os agentes comunitários de saúde de Cuamba começaram", "agentes comunitários de saúde"),
    ("los promotores de salud comunitarios de Jalapa iniciaron", "promotores de salud comunitarios"),
    ("jeunes diplômés chômeurs de Gafsa ont créé", "jeunes diplômés chômeurs"),
    ("las recolectoras de castaña amazónica de Riberalta firmaron", "recolectoras de castaña amazónica"),
    ("les agents d'élevage de la commune ont vacciné", "agents d'élevage"),
    ("le comité de gestion de l'eau du village a fixé", "comité de gestion de l'eau"),
    ("kamati za maji za Mtwara na Lindi zilianza", "kamati za maji"),
    # "of the" and a capital locate the group: not part of it
    ("comités de vigilance des quartiers de Kaya ont", "comités de vigilance"),
    ("las parteras del Ministerio de Salud", "parteras"),
])
def test_people_by_role_in_another_language(text, role):
    assert rules.romance_group_at(text, 0).text == role


@pytest.mark.parametrize("text", [
    "les prix des engrais ont baissé",  # a thing, not people
    "le Comité National a adopté",  # a name in capitals is the name finders' business
    "the women farmers",  # English
])
def test_guard_no_role_in_another_language(text):
    assert rules.romance_group_at(text, 0) is None


def test_indonesian_people_after_para():
    text = "Para guru honorer di Kabupaten Alor mulai mengajar"
    assert rules.indonesian_group_at(text, 0).text == "guru honorer"


@pytest.mark.parametrize("text, english", [
    # a French or Portuguese clause with its gloss in brackets and an English tail
    ("Les jeunes éleveurs de Tillabéri ont ouvert une boutique d'aliment du bétail dans le marché central "
     "(the young herders opened a feed shop in the central market), which is the first in the district.", False),
    ("Os agentes polivalentes de Ribáuè passaram a registar os casos de malária no formulário digital a partir de "
     "Maio (the community workers started reporting malaria cases on the digital form), sending it every week.",
     False),
    # guards: an English sentence with a French name, or an acronym in brackets
    ("Les associations de parents d'élèves (APE) of Dosso and Tahoua renegotiated the school fees in May.", True),
    ("The Ministry of Health (MoH) adopted the community health strategy in March 2025.", True),
])
def test_the_language_of_a_sentence_is_the_language_of_its_opening(text, english):
    assert reads_as_english(text) is english


@pytest.mark.parametrize("country, description, changed", [
    ("Senegal", "Les femmes transformatrices de poisson de Mbour ont obtenu une chambre froide de la mairie en "
                "mars 2025 (the women fish processors of Mbour obtained a cold room from the town hall).",
     ["femmes transformatrices de poisson"]),
    ("Mozambique", "Depois de duas formações com a equipa do programa, as parteiras tradicionais de Mogovolas "
                   "começaram a acompanhar as grávidas até ao centro de saúde (after two trainings, the traditional "
                   "midwives started to accompany pregnant women to the health centre).",
     ["parteiras tradicionais"]),
    ("Indonesia", "Para guru honorer di Kabupaten Alor mulai mengajar bahasa ibu di kelas satu sejak Juli 2024 "
                  "(the contract teachers began teaching in the mother tongue in first grade).",
     ["guru honorer"]),
    ("Guinea-Bissau", "Os pescadores artesanais de Bolama e a Direção Regional das Pescas de Bolama acordaram em "
                      "abril de 2025 um período de defeso para o camarão.",
     ["Direção Regional das Pescas de Bolama", "pescadores artesanais"]),
    # a French first sentence and an English second one: the French sentence's subject, not the English "agents"
    ("Mali", "Les agents d'élevage de la commune de Dioro ont commencé en 2025 à vacciner les chèvres des femmes. "
             "Vaccinated since the rainy season in six villages.", ["agents d'élevage"]),
    # a Portuguese clause whose English words are the gloss's and the tail's ("desde", "todas": not English)
    ("Sao Tome and Principe", "As enfermeiras parteiras de Neves passaram a registar todas as grávidas no cartão "
                              "digital desde Março de 2025 (the nurse midwives started registering every pregnant "
                              "woman on the digital card), replacing the paper cards.", ["enfermeiras parteiras"]),
    # a place by its unit word opens the sentence with no comma before the subject
    ("Niger", "In the department of Tchirozérine the herders' associations agreed to keep their camps out of the "
              "gardens before the harvest.", ["herders' associations"]),
    # a second main clause after "and", its subject a body by its name
    ("Cameroon", "After the floods of March 2025 the Préfet du Mfoundi suspended the demolitions of the riverside "
                 "stalls and the Communauté Urbaine de Yaoundé included the traders in the list of those to be "
                 "rehoused.", ["Communauté Urbaine de Yaoundé", "Préfet du Mfoundi"]),
])
def test_actors_that_changed_in_another_language_or_a_second_clause(country, description, changed):
    assert _changed(country, description) == changed


@pytest.mark.parametrize("country, description, changed", [
    # the subjects of a clause the change followed, and a short form, are not a second clause's actors
    ("DR Congo", "In April 2025 the Mairie de Goma began to publish its market revenue every week because the "
                 "traders and the Goma Market Traders Union complained about missing receipts.", ["Mairie de Goma"]),
    ("Kiribati", "In 2025 the Tarawa Youth Corps and the Betio Town Council built a sea wall, and the council now "
                 "maintains it from its own budget.", ["Betio Town Council", "Tarawa Youth Corps"]),
])
def test_guard_no_second_clause_actor(country, description, changed):
    assert _changed(country, description) == changed


@pytest.mark.parametrize("text, name", [
    ("The Coopérative des Usagers de l'Eau de Rusizi adopted a rule.", "Coopérative des Usagers de l'Eau de Rusizi"),
    ("The Institut Agronomique de Kolda published the map.", "Institut Agronomique de Kolda"),
])
def test_french_heads_of_bodies(text, name):
    assert [c.text for c in rules.org_candidates(text, [])] == [name]


def test_a_romance_article_before_a_head_word_is_no_part_of_the_name():
    from harvestgraph.actors.finders.spans import clean_span

    text = "La Fundación Heifer Ecuador helped with the grazing plans; La Via Campesina backed them."
    s, e = clean_span(text, 0, len("La Fundación Heifer Ecuador"))
    assert text[s:e] == "Fundación Heifer Ecuador"
    at = text.index("La Via")
    s, e = clean_span(text, at, at + len("La Via Campesina"))
    assert text[s:e] == "La Via Campesina"  # (guard: a name that opens with its article)


@pytest.mark.parametrize("country, description, changed", [
    # the agent of a passive the parse missed (rounds 22c-22e)
    ("Ethiopia", "A by-law that requires every household in the kebeles of Dera to build a latrine before the trachoma "
                 "campaign was adopted by the Dera Woreda Council in January 2025, and the kebele administrators began "
                 "inspecting households.", ["Dera Woreda Council", "kebele administrators"]),
    # guard: a passive in a relative clause tells what was undone, not who acted
    ("Kyrgyzstan", "In April 2025 the Osh City Court annulled the block of the website of Aykyn Media, that was "
                   "ordered by the Ministry of Culture in 2024.", ["Osh City Court"]),
    # an English sentence with a group named in French: the group with its complement
    ("Niger", "After two years of advocacy by the girls' clubs, the Sultan of Maradi and the chefs de canton of "
              "Tessaoua and Dakoro announced in 2024 that no marriage of a girl under 18 will be blessed.",
     ["Sultan of Maradi", "chefs de canton"]),
    # a participle opens the French sentence: the subject after its comma, not a name made of the participle
    ("Senegal", "Élues pour la première fois en 2022, les conseillères municipales de Fatick ont obtenu en 2024 la "
                "présidence de deux commissions.", ["conseillères municipales"]),
    ("DR Congo", "Les noyaux communautaires de protection de Uvira ont mis en place un système d'alerte en 2025.",
     ["noyaux communautaires de protection"]),
    # Swahili people by role, without the places they are of
    ("Tanzania", "Wasaidizi wa kisheria wa Ilala na Ubungo walianza kusikiliza kesi za ukatili kila Jumamosi (the "
                 "paralegals started hearing violence cases every Saturday).", ["wasaidizi wa kisheria"]),
    # a name the parse cut at its connector
    ("Honduras", "Protection measures for nine land defenders were granted in 2024 by the Sistema Nacional de "
                 "Protección para Personas Defensoras de Derechos Humanos, after advocacy by local groups.",
     ["Sistema Nacional de Protección para Personas Defensoras de Derechos Humanos"]),
    # Indonesian "dan" before a head word that opens names joins two names
    ("Indonesia", "Dewan Pers dan Aliansi Jurnalis Independen Kota Sorong menandatangani nota kesepahaman tentang "
                  "kekerasan terhadap jurnalis (signed in April 2025).",
     ["Aliansi Jurnalis Independen Kota Sorong", "Dewan Pers"]),
    # "once more" is no subordinate clause before a second main clause
    ("El Salvador", "the Asamblea Legislativa extended once more, in July 2024, the state of exception, and the "
                    "Juzgados Especializados de Instrucción kept 900 people in pre-trial detention.",
     ["Asamblea Legislativa", "Juzgados Especializados de Instrucción"]),
])
def test_changed_actors_of_rounds_22c_to_22e(country, description, changed):
    assert _changed(country, description) == changed


def test_groups_of_a_place_name_the_place():
    """"The women's associations of Sanankoroba ran door-to-door visits": a group by role "of" a name the gazetteer
    lacks says where they are, as residents "of" it did (tuned places +8, one false; unseen +4)."""
    res = resolve_fields({"Country": "Mali", "Outcome description": "The village council agreed to the plan.",
                          "Contribution of other actors and factors": "The women's associations of Kalabankoro ran "
                          "door-to-door visits to the elders, and shea processors of Ouéléssébougou showed the loan "
                          "officers their warehouse."})
    assert sorted({p.text for p in res.places if p.code != p.country}) == ["Kalabankoro", "Ouéléssébougou"]
