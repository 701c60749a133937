"""Round 15b: who can have changed (a social actor) and the sentence of the outcome description that tells the
change (graph/actors/scene.py, ``ActorResolver._story``). Sentences written for this round, not copied from a
labelled set."""

from __future__ import annotations

import pytest

from harvestgraph.actors import language, scene
from harvestgraph.actors.language import Subject

from .test_extract import _resolve


def _subjects(text: str) -> dict[str, Subject]:
    return {text[x.start:x.end]: x for x in language.parse(text).subjects}


# --------------------------------------------------------------------------- mechanism 1: a social actor


@pytest.mark.parametrize("text, subject, social", [
    # an event, a thing, an abstraction: no actor, capitalised at the sentence start or not
    ("Floods in late 2022 washed away the footbridges of the valley.", "Floods", False),
    ("The drought of 2021 emptied the cattle markets of Isiolo.", "drought", False),
    ("Maize prices doubled between January and June.", "Maize prices", False),
    ("The pandemic closed every school in the county for a year.", "pandemic", False),
    ("Long delays in the payment of bursaries kept girls at home.", "Long delays", False),
    # the entity must hold the head: "Cholera" taken for an organisation does not make the cases one
    ("Cholera cases rose sharply in Kisumu in 2023.", "Cholera cases", False),
    # the head decides, not a person's word in its complement
    ("A change of governor froze every tender.", "change of governor", False),
    # a group by role, an organisation, a body, a person by office, a name
    ("Pastoralists now share the dry-season wells under a rota.", "Pastoralists", True),
    ("Two cooperatives set up a joint milk cooler in 2025.", "cooperatives", True),
    ("Residents of the ward now meet the county engineer every month.", "Residents", True),
    ("The Turkana County Water Department took over the repair of the boreholes.",
     "Turkana County Water Department", True),
    ("The county livestock office opened three fodder banks.", "county livestock office", True),
    ("The ward administrator now publishes the bursary list.", "ward administrator", True),
    ("KEWASCO cut the connection fee by half.", "KEWASCO", True),
    ("The community set up a water committee.", "community", True),
])
def test_a_subject_is_a_social_actor_when_a_word_or_the_tagger_says_so(text, subject, social):
    subs = _subjects(text)
    assert subject in subs, subs
    assert scene.is_social_actor(text, subs[subject], language.parse(text).entities) is social


def test_things_in_a_clause_with_an_actor_are_dropped():
    text = "After the floods, the Narok County Health Department and the new roads kept the clinics open."
    subs = [x for x in language.parse(text).subjects if x.main]
    assert len(subs) == 2
    kept = [text[x.start:x.end] for x in scene.social_only(text, subs, language.parse(text).entities)]
    assert kept == ["Narok County Health Department"]
    # a clause of things alone keeps them: the caller decides (the next sentence may tell the change)
    text = "Floods in late 2022 washed away the footbridges of the valley."
    subs = [x for x in language.parse(text).subjects if x.main]
    assert [text[x.start:x.end] for x in scene.social_only(text, subs)] == ["Floods"]


# --------------------------------------------------------------------------- mechanism 2: the telling sentence


@pytest.mark.parametrize("description, country, changed", [
    # a first sentence about an event: the organisation of the next one changed, not "Floods" (an "ngo" before)
    ("Floods in late 2022 washed away the footbridges of the valley and cut the children off from school. In "
     "March 2025 the Nyeri County Assembly voted funds for three new bridges.", "Kenya", ["Nyeri County Assembly"]),
    # two sentences of scene, the third tells the change
    ("The drought of 2021 emptied the cattle markets of Isiolo. Prices of hay tripled. Then in 2025 the Isiolo "
     "County Livestock Department opened three fodder banks.", "Kenya", ["Isiolo County Livestock Department"]),
    # a first sentence with no subject at all ("There were ..."); a quotation after it tells no change
    ("There were no working water points in Loima for most of 2023. \"We walked for hours,\" says a herder. In "
     "April 2025 the Turkana County Water Department took over the repair of 14 boreholes.", "Kenya",
     ["Turkana County Water Department"]),
    # a thing whose modifier the recogniser took for an organisation; the next sentence's group by role changed
    ("Cholera cases rose sharply in Kisumu in 2023. Following the outbreak, county health officials began testing "
     "the water at every kiosk each week.", "Kenya", ["county health officials"]),
    # the telling sentence in the passive: its agent; a first sentence whose subject is a pronoun; or a quantity
    ("Heavy rains in 2023 cut the road to Embangweni for four months. In 2025 a by-law on road maintenance was "
     "adopted by the Mzimba District Council.", "Malawi", ["Mzimba District Council"]),
    ("They had asked for a clinic for ten years. In 2025 the Ministry of Health and the Mzimba District Council "
     "opened one in Embangweni.", "Malawi", ["Ministry of Health", "Mzimba District Council"]),
    ("Much has changed since the 2022 cholera outbreak. Women's groups in Embangweni now chlorinate every well.",
     "Malawi", ["women's groups"]),
    # a cleft whose focus is the doer ("it is X that ..."): X
    ("The old system of paper registers lost track of half the patients. Since March 2025, it is the district "
     "health management team that checks the registers every month.", "Malawi",
     ["district health management team"]),
    # a long opening phrase with things before the subject: the main clause's body only
    ("After months of talks, rising fuel costs and a strike of the drivers, which had stopped every bus, the "
     "Kisumu County Transport Board set new fares in May 2025.", "Kenya", ["Kisumu County Transport Board"]),
    ("Following a year of hearings, repeated walkouts in the tender board and a change of governor after the 2022 "
     "elections, which had frozen every tender, the Kericho County Roads Department reopened the bidding in April "
     "2025.", "Kenya", ["Kericho County Roads Department"]),
])
def test_the_sentence_that_tells_the_change(tmp_path, description, country, changed):
    got, _, res = _resolve(tmp_path, description, country)
    assert got == changed
    # the scene's thing is no actor at all (it was a new organisation "Floods" before)
    assert not any(link.text in ("Floods", "drought", "rising fuel costs", "repeated walkouts")
                   for link in res.actors)


@pytest.mark.parametrize("description, country, changed", [
    # guards: a group by role that starts the outcome changed, whatever the next sentence says
    ("Pastoralists of Loima now share the dry-season wells under a rota they wrote themselves. The county water "
     "officer signs it every month.", "Kenya", ["pastoralists of loima"]),
    ("Residents of the ward now meet the county engineer every month. Rains came late that year.", "Kenya",
     ["residents"]),
    ("Two cooperatives in Meru set up a joint milk cooler in 2025. The Meru County Government paid for the "
     "power line.", "Kenya", ["cooperatives"]),
    # a first sentence with no subject the parse found, that starts with a name: the rules read it
    ("In May 2025, KEWASCO and NAWASSCO opened two water kiosks in the informal settlements. The Nakuru County "
     "Government paid for the pipes.", "Kenya", ["KEWASCO", "NAWASSCO"]),
])
def test_a_first_sentence_with_an_actor_tells_the_change(tmp_path, description, country, changed):
    got, _, _ = _resolve(tmp_path, description, country)
    assert got == changed
