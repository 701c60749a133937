"""The grammatical subjects of the outcome description (with their conjuncts, passive agents and
plural role phrases kept whole) and role phrases: who changed, read from the parse."""

from __future__ import annotations

import re
from dataclasses import replace

from .. import language, rules
from ..doc import FragmentDoc, Mention, ROLE_CONFIDENCE
from ..places import Gazetteer, _UNIT_WORDS
from ..registry import Registry
from ..rules import is_group_head
from . import bodies
from .spans import (
    MONTHS, NOT_ORG_LAST, clean_span, complete_name, is_place, overlaps,
    split_at_second_name, without_places, without_place_possessive,
)

_NOT_ACTOR_HEADS = frozenset("""decision process change changes meeting meetings law act bill policy plan budget
project programme program it this that they he she we there result results outcome amendment motion report
study hearing hearings number case cases event events campaign training workshop statement petition agreement
year years month months week weeks time people""".split())


# plural nouns of things and events, not of actors ("allocations", "payments", "prices", "hearings")
_NOT_ACTOR_SUFFIX = ("tions", "sions", "ments", "ances", "ences", "ings", "ures", "ices", "rates", "fees", "prices")


def _group_phrase(name: str, first_word_of_sentence: bool = False) -> bool:
    """A lower-case phrase that names a group whatever the parser made its head ("women quinoa
    producers' associations": "quinoa" read as a verb): it ends in an English plural group noun, or
    starts with a Romance one. A phrase that starts a sentence is lower case after its first letter
    ("Smallholder groundnut cooperatives", "Clinical staff")."""
    words = name.split()
    lower = name[:1].islower() or (first_word_of_sentence and len(words) >= 2
                                   and all(w[:1].islower() for w in words[1:]))
    # (a Romance noun phrase starts with its head: a plural noun, then "de ..." -- "educadoras de párvulos",
    # "chefes de suco": people by role)
    return lower and (rules.is_group_head(words[-1].rstrip("'’")) or words[0].lower() in rules.ROMANCE_GROUP_HEADS
                      or (len(words) >= 3 and words[1] in _ROMANCE_OF and words[0].endswith("s")))


_ROMANCE_OF = frozenset("de des du da do dos das del".split())


# a lower-case plural noun and its "de ..." complements in lower case (a capitalised one is a place or a name)
_ROMANCE_GROUP = re.compile(r"[^\W\d_A-ZÀ-ÝĀ-Ž][\w'’-]*s(?: (?:de|des|du|da|do|dos|das|del) [^\W\d_A-ZÀ-ÝĀ-Ž][\w'’-]*){1,2}")


def _starts_sentence(text: str, s: int) -> bool:
    """Nothing but a sentence end before ``s``: a capital there says nothing about a name."""
    before = text[max(0, s - 40):s].rstrip(" \t\"'“‘")
    return (not before and s <= 40) or (bool(before) and before[-1] in ".!?:;\n")


def _plural_body(head: str) -> bool:
    """"kebele administrations", "woreda offices": the plural of a body word, groups whatever its ending."""
    h = head.lower()
    return h.endswith("s") and language.is_body_word(h)


# the people an organisation employs or engages ("Amnesty researchers", "Oxfam volunteers"), unlike groups
_STAFF_WORDS = frozenset("""staff volunteers researchers lawyers engineers employees activists journalists paralegals
monitors trainers facilitators experts consultants doctors nurses teachers""".split())


def _entity_modifier(text: str, inside: list, s: int, e: int) -> bool:
    """The recogniser's one organisation at the start of a subject whose other words are a lower-case
    group phrase: a modifier of the group, not an organisation ("Barangay health workers", "Woreda
    education offices", "Shipibo-Konibo communities", "Farmers' associations"). The parse's head is the
    group's; the entity is no actor of its own."""
    if len(inside) != 1 or inside[0].source != "entity" or inside[0].start != s or inside[0].end >= e:
        return False
    rest = text[inside[0].end:e].lstrip("'’").split()
    if len(rest) == 1 and rest[0].lower() in _STAFF_WORDS:
        return False  # "Amnesty researchers documented ...": an organisation's people act for it
    return bool(rest) and all(w[:1].islower() for w in rest) \
        and (rules.is_group_head(rest[-1].rstrip("'’")) or _plural_body(rest[-1]))


def _place_of_body(doc: FragmentDoc, gazetteer: Gazetteer, text: str, inside: list, s: int, e: int) -> bool:
    """The recogniser's one name at the start of a lower-case body in the singular, where the name is the
    body's place: a place of the gazetteer, or a name followed by its unit word ("the Itang woreda
    administration", "the Kisumu county health department"). The body is the actor, whole (as "the Kitui county
    executive"); the place is no organisation of its own."""
    if len(inside) != 1 or inside[0].source != "entity" or inside[0].start != s or inside[0].end >= e:
        return False
    rest = text[inside[0].end:e].split()
    if not rest or not all(w.islower() for w in rest) or rest[-1] not in language.BODY_HEADS:
        return False
    return re.fullmatch(_UNIT_WORDS, rest[0]) is not None or is_place(doc, gazetteer, inside[0].text)


def _place_units(name: str) -> bool:
    """"Satupa'itea districts": a place and its unit word (a conjunct the parser joined to the subject)."""
    words = name.split()
    return name[:1].isupper() and len(words) >= 2 and re.fullmatch(_UNIT_WORDS, words[-1].lower()) is not None


def _staff_of_named(doc: FragmentDoc, fld: str, text: str, e: int) -> bool:
    """"Lawyers from the Alianza ... filed the action": in a contribution field, people of a named
    organisation act for it; the organisation is the contributor, not the people (gold rule: "people
    hired by a contributor" are not contributors)."""
    if fld == "outcome_description":
        return False
    m = re.match(r"\s+(?:from|of|at)\s+(?:the\s+)?", text[e:e + 14])
    return m is not None and any(x.field == fld and x.start == e + m.end() and x.source != "role" for x in doc.mentions)


_STAFF_OF = re.compile(r"\s+(?:of|from|at)\s+(?:the\s+)?(?P<name>[A-ZÀ-ÝĀ-Ž][\w'’-]*(?:\s+[A-ZÀ-ÝĀ-Ž][\w'’-]*){0,4})"
                       r"(?=[\s,;.]|$)")


def _people_of_taught(doc: FragmentDoc, name: str) -> bool:
    """"CPT lawyers filed the petition" where "Comissão Pastoral da Terra (CPT)" is written: people of an
    organisation the fragment names act for it (as "lawyers from X"); the acronym finder takes the organisation."""
    words = name.split()
    first = words[0]
    # (or its staff by a staff word, as "Amnesty researchers": "NUJP lawyers gave legal aid")
    return rules.ACRONYM.fullmatch(first) is not None and len(words) >= 2 and (any(
        re.search(r"\(\s*" + re.escape(first) + r"\s*\)", t) for t in doc.fields.values())
        or (len(words) == 2 and words[1].lower() in _STAFF_WORDS))


def _in_brackets(text: str, pos: int) -> bool:
    before = text[max(0, pos - 60):pos]
    return before.count("(") > before.count(")")


# a subject in another language glossed in English: "the kelompok nelayan (fishers' groups) of five villages",
# "Wananchi wa vijiji (villagers) in Kilosa"
_GLOSSED = re.compile(r"(?P<name>[^\W\d_][\w'’-]*(?: [^\W\d_][\w'’-]*){0,3}) \((?:the |a )?['‘’\"“]?"
                      r"(?P<gloss>[A-Za-z][\w'’ -]{1,40}?)['’\"”]?\)")


def _drop_parts(doc: FragmentDoc, fld: str, s: int, e: int) -> None:
    """Take out the groups by role found inside ``s:e`` (a word of a glossed name the role rules read alone)."""
    doc.mentions = [m for m in doc.mentions if not (m.field == fld and m.source == "role" and s <= m.start
                                                    and m.end <= e and (m.start, m.end) != (s, e))]


def _glossed_group(text: str, s: int) -> int | None:
    """Where a subject glossed as a group of people ends (before the bracket), else None. The parser cannot
    read the words before the gloss; the gloss says they name people or groups ("(villagers)")."""
    m = _GLOSSED.match(text, s)
    if m is None:
        return None
    gloss = m.group("gloss").split()
    # ("Pesantren (Islamic boarding schools)": a capitalised adjective may start the gloss; its noun is lower case)
    last = gloss[-1].rstrip("'’")
    # (or bodies: "(village land commissions)", "(municipal council)")
    if not ((is_group_head(last) or language.is_body_word(last) or language.is_body_word(last.removesuffix("s")))
            and gloss[-1].islower() and len(gloss) <= 3):
        return None
    return m.end("name")


# a name in apposition after a body written in lower case, closed by a comma
_NAMED_AFTER = re.compile(r", (?P<name>[A-ZÀ-ÝĀ-Ž][\w'’-]+(?: (?:[A-ZÀ-ÝĀ-Ž]|de |of |la |del )[\w'’-]*){0,5}),")


# a body named in lower case in another language: up to three words, that language's "of", and a name after it
# ("conseil municipal de Ziguinchor", "délégation provinciale de l'éducation du Ouaddaï")
_LOWER_FOREIGN_BODY = re.compile(rf"[^\W\d_A-ZÀ-ÝĀ-Ž]+(?: [^\W\d_A-ZÀ-ÝĀ-Ž]+){{0,2}} "
                                 rf"(?:{rules.joins.alternation(rules.JOINS_TWO_NAMES)}) .*[A-ZÀ-ÝĀ-Ž][\w'’-]*")


# a number before a name: a word or digits
_NUMBER_BEFORE = re.compile(r"(?<![\w'’-])(?P<n>\d{1,3}|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Twelve|"
                            r"one|two|three|four|five|six|seven|eight|nine|ten|twelve) $")


def _numbered_name_start(text: str, s: int, e: int) -> int:
    """Where a name that starts with a number starts ("Two Rivers Platinum", "7 Stars Contracting"): a count ends with
    the plural of what it counts ("Two Kenyan NGOs", "40 Women Groups"); a name goes on after its plural word with
    a word that is no plural. ``s`` when the words before it are no such number."""
    m = _NUMBER_BEFORE.search(text, max(0, s - 8), s)
    words = text[s:e].split()
    if m is None or len(words) < 2 or not (words[0][:1].isupper() and words[0].endswith("s")) \
            or words[-1].endswith(("s", "'", "’")) or not words[-1][:1].isupper():
        return s
    return m.start("n")


# an acronym right before a subject (the agency a place's branch is of)
_ACRONYM_BEFORE_PLACE = re.compile(r"(?<![\w'’-])(?P<acr>[A-Z][\w-]*) $")


# places, then a count: the end of a leading "In X and Y" without its comma, before the people counted
_PLACES_THEN_COUNT = re.compile(r"(?P<places>[A-ZÀ-Ý][\w'’-]*(?:(?:,\s+|\s+and\s+)[A-ZÀ-Ý][\w'’-]*)*)"
                                r"\s+\d[\d,]*\s+(?=[a-z])")
_PLACE_LIST_SPLIT = re.compile(r",\s+|\s+and\s+")
_INDEFINITE_BEFORE = re.compile(r"\b(?:a|an)\s+$", re.I)


# a name after one to three lower-case words that say what it is ("community radio Voces del Patía", "news site Wasla")
_DESCRIBED_JOIN = rf"(?:(?:{rules.joins.alternation(rules.JOINS_TWO_NAMES)})\s+)?"
_DESCRIBED_NAME = re.compile(rf"(?:[a-z][\w'’-]*\s+){{1,3}}(?P<name>[A-ZÀ-ÝĀ-Ž][\w'’.-]*"
                             rf"(?:\s+{_DESCRIBED_JOIN}[A-ZÀ-ÝĀ-Ž0-9][\w'’.-]*)*)")


# an office in apposition after a person's name: capitalised words with their "of / for <place>" (", Prefect of
# Borgou,", ", Member of Parliament for Serowe North,")
_TITLE_AFTER = re.compile(r",\s+(?:the\s+)?(?P<title>[A-ZÀ-ÝĀ-Ž][\w'’-]*(?: [A-ZÀ-ÝĀ-Ž][\w'’-]*)*"
                          r"(?: (?:of|for) (?:the )?[A-ZÀ-ÝĀ-Ž][\w'’-]*(?: [A-ZÀ-ÝĀ-Ž][\w'’-]*)*)+),")


_OFFICE_WORDS = frozenset("office offices branch delegation chapter secretariat bureau".split())


_ACRONYM_BEFORE = re.compile(r"\s*\([A-Z][\w&.-]{1,14}\)\s+(?:(?:regional|representative|provincial|country|local|"
                             r"district|county|field|national|liaison|sub-regional)\s+)*$")
_OFFICE_PHRASE = re.compile(r"(?:(?:regional|representative|provincial|country|local|district|county|field|"
                            r"national|liaison|sub-regional)\s+)*(?:office|branch|delegation|chapter|secretariat|"
                            r"bureau)s?$")


def _office_of(text: str, s: int, e: int) -> tuple[int, int] | None:
    """The organisation's name before a lower-case office phrase ("<Name> representative office"), taking in
    the capitalised words the parser left before the subject; None if there is no such name."""
    m = _OFFICE_PHRASE.search(text, s, e)
    if m is None or m.end() != e:
        return None
    end = m.start()
    while end > s and text[end - 1] == " ":
        end -= 1
    start = s
    # capitalised words just before the subject ("Ombudsman Republik" + "Indonesia representative office")
    for w in reversed(list(re.finditer(r"[^\W\d_][\w'’-]*", text[max(0, s - 80):s]))):
        ws = max(0, s - 80) + w.start()
        if not w.group()[0].isupper() or w.group() in rules.LEADING_STOP or text[ws + len(w.group()):start] != " ":
            break
        start = ws
    words = text[start:end].split()
    # (or an acronym alone: "The COMAR office in Tapachula is giving ...", the agency acts through its office)
    if not (len(words) >= 2 or (len(words) == 1 and rules.ACRONYM.fullmatch(words[0]))) \
            or not all(x[:1].isupper() or x in rules.CONNECTORS for x in words):
        return None
    return start, end


def _own_body(text: str, s: int, e: int, sub) -> bool:
    """A body in lower case that acts on its own in a contribution field ("the provincial education department
    posted teachers"): not an organisation's own unit ("its district land rights forum", "The UNHCR office":
    the organisation acts), not one that did nothing ("the provincial board did not object")."""
    words = bodies.own_words(text, s, e).split()  # ("the agriculture office of Dhading": its own words)
    return sub.head.lower() in language.BODY_HEADS and all(w[:1].islower() for w in words[1:]) \
        and (words[0][:1].islower() or (_starts_sentence(text, s) and not rules.ACRONYM.fullmatch(words[0]))) \
        and re.search(r"(?i)\b(?:its|their|his|her|our)\s+$", text[max(0, s - 8):s]) is None \
        and re.search(r"\b(?:not|never|n['’]t)\b", text[e:sub.verb_start]) is None


# "of" and a capitalised name after an office or a body ("the régulo of Murrébué", "the district health officer of Arua")
_OF_NAME = re.compile(r" (?:of|de|du|del|da|do) (?:the )?(?P<name>[A-ZÀ-ÝĀ-Ž][\w'’-]*"
                      r"(?: (?:(?:de|del|da|do|dos|das|de la) )?[A-ZÀ-ÝĀ-Ž][\w'’-]*){0,2})")  # ("Santa Cruz del Quiché")


# what a capitalised office is of ("Paramount Chief of X Chiefdom", "Officer in Charge of X Prison")
_TITLED_OF = re.compile(r" (?:in [Cc]harge )?of (?:the )?(?P<name>[A-ZÀ-ÝĀ-Ž][\w'’-]*(?: [A-ZÀ-ÝĀ-Ž][\w'’-]*){0,4})")


# up to four words in lower case after the capitalised name an office is of, one of them a body's word that ends it
# ("the head of the Lviv pre-trial detention centre")
_LOWER_WORDS = re.compile(r" ([a-z][\w-]*)")
_NOT_BODY_WORDS = language.phrases._FUNCTION_WORDS


def _office_complement_end(doc: FragmentDoc, fld: str, text: str, of: re.Match, verb: int) -> int:
    """Where the complement of an office ends ("the chairperson of the Rajapur Irrigation Users Committee", "the
    head of the Lviv pre-trial detention centre"): a name a finder found that starts in it and goes on, else the
    lower-case words of a body after its capitalised words, else the capitalised words :data:`_OF_NAME` took;
    never past ``verb``, where the office's verb starts."""
    name = of.start("name")
    longer = [m.end for m in doc.mentions if m.field == fld and m.start == name and m.end > of.end()
              and m.source in ("rule", "registry", "entity", "acronym")]
    if longer:
        return max(longer)
    end = of.end()
    for w in list(_LOWER_WORDS.finditer(text[of.end():of.end() + 60]))[:4]:
        if w.start() != end - of.end() or w.group(1) in _NOT_BODY_WORDS or of.end() + w.end() > verb:
            break  # (words of a phrase in a row, nothing between, before the verb)
        end = of.end() + w.end()
        if w.group(1) in language.BODY_HEADS or rules.is_head(w.group(1).capitalize()) \
                or re.fullmatch(_UNIT_WORDS, w.group(1)):
            return end  # (or the unit the place is: "the akim of Uzynagash rural district")
    return of.end()


def _of_place(doc: FragmentDoc, gazetteer: Gazetteer, text: str, e: int) -> int:
    """Where an office-holder or a body in lower case ends that is "of" a place: the place names which one
    ("the district health officer of Arua", as "Bupati of Jayapura regency"; the parse leaves the place of
    people out, "officers of Ha'apai"), else ``e``."""
    m = _OF_NAME.match(text, e)
    if m is None or not is_place(doc, gazetteer, m.group("name")):
        return e
    return m.end()


def _and_clause(text: str, s: int) -> bool:
    """The subject at ``s`` starts a second clause joined by "and" or a semicolon ("..., and the Kisumu County health
    department started ..."): roles decide whether it changed too (:func:`roles._second_actors`)."""
    # (after a short phrase of time or manner, as roles reads it: "..., and under the decree social leaders ...")
    return re.search(r"(?:,?\s+and|;)\s+(?:\w+\s+){0,4}$", text[max(0, s - 50):s]) is not None


def _named_by_place(doc: FragmentDoc, gazetteer: Gazetteer, text: str, e: int, head: str) -> bool:
    """A singular common noun that acts, named by the place it is "of": a body or an office in a word of
    another language ("the mairie of Agadez have accepted ...", "the bashkia of Korçë published ..."), as "the
    district council of X". Not a unit of the place itself ("the town of X") nor a thing or a number."""
    return head.isalpha() and head.islower() and head not in _NOT_ACTOR_HEADS \
        and re.fullmatch(_UNIT_WORDS, head) is None and _of_place(doc, gazetteer, text, e) > e


def _named_by_place_before(doc: FragmentDoc, gazetteer: Gazetteer, name: str, head: str) -> bool:
    """A singular common noun that acts, named by the place written before it: a body in a word of another
    language ("the Samarkand khokimiyat adopted a rule", as "the Gyumri community council"). The words before it are
    a place of the fragment's countries; the noun is in the singular, no thing, number or unit of the place ("the
    Kisumu district", "Torpa blocks")."""
    words = name.split()
    if len(words) >= 3 and words[-2:] in (["town", "hall"], ["city", "hall"]):
        # ("the Mopti town hall designated ...": the municipality, named by its town)
        return all(w[:1].isupper() for w in words[:-2]) and is_place(doc, gazetteer, " ".join(words[:-2]))
    return 2 <= len(words) <= 3 and head.isalpha() and head.islower() and words[-1] == head and not head.endswith("s") \
        and head not in _NOT_ACTOR_HEADS and re.fullmatch(_UNIT_WORDS, head) is None \
        and all(w[:1].isupper() for w in words[:-1]) and is_place(doc, gazetteer, " ".join(words[:-1]))


def _short_phrase(name: str) -> bool:
    """A noun phrase short enough to name a group: six words, or nine with a named complement ("guardians
    of the Lutsel K'e Dene First Nation")."""
    n = len(name.split())
    return n <= 6 or (n <= 9 and re.search(r" (?:of|de) (?:the )?[A-Z]", name) is not None)


# a joining word of another language between two capitalised subjects of one verb: one name ("the Consellería do
# Mar agreed": the parser reads "do" as an auxiliary and "Mar" as a second subject)
_JOINED_BY = re.compile(rf" (?:{rules.joins.alternation(rules.JOINS_TWO_NAMES)}) ")


def _rejoined(text: str, subs: list) -> list:
    """The subjects with one noun phrase the parser cut in two made whole again: two subjects of one verb
    separated by a single space only ("Guardians of the Lutsel K'e" + "Dene First Nation" began ...), or by a
    joining word of another language ("Consellería" + "Mar")."""
    out = []
    for sub in sorted(subs, key=lambda x: x.start):
        prev = out[-1] if out else None
        if prev is not None and prev.verb_start == sub.verb_start and sub.end < sub.verb_start and (
                text[prev.end:sub.start] == " " or (prev.proper and sub.proper and _JOINED_BY.fullmatch(
                    text, prev.end, sub.start) is not None)):
            out[-1] = replace(prev, end=sub.end, proper=prev.proper and sub.proper)
        else:
            out.append(sub)
    return out


_NAME = r"[A-ZÀ-ÝĀ-Ž][\w'’-]*(?: (?:(?:de|of|la|del|du|des) )?[A-ZÀ-ÝĀ-Ž0-9][\w'’-]*){0,5}"


# names written right after a plural noun of what they are (close apposition), joined by "," "and" "+" "&",
# then the verb (or a comma, a bracket)
_NAMES_BESIDE = re.compile(rf" (?P<names>{_NAME}(?:(?:, | and | ?[+&] |, and ){_NAME})*)(?= [a-z]|,| \(| ?[+&] )")


_NAMES_SPLIT = re.compile(r", and |, | and | ?[+&] ")


def _actor_noun(word: str) -> bool:
    """A singular noun of what an organisation is ("radio", "network", "newspaper", "cooperative", "company")."""
    w = word.lower()
    return language.is_body_word(w) or is_group_head(w + "s") or w in _NAMED_KINDS


# singular nouns of organisations the head-word tables hold only as parts of names
_NAMED_KINDS = frozenset("radio company firm outlet site station newspaper magazine channel".split())


def _names_beside(doc: FragmentDoc, gazetteer: Gazetteer, registry: Registry, fld: str, text: str, e: int,
                  one: bool = False) -> bool:
    """A plural common noun followed directly by names ("the online outlets Sugbo Today and Banat News", "two
    cooperatives, Ushirika and Tumaini,"): the names are the actors, one each (a mention holding two of
    them is split), the noun that says what they are is none; True when so. ``one``: a singular noun and
    the one name after it ("the community radio Marakana Stereo")."""
    m = _NAMES_BESIDE.match(text, e)
    if m is None or (one and _NAMES_SPLIT.search(m.group("names"))):
        return False
    parts, pos = [], m.start("names")
    for j in _NAMES_SPLIT.finditer(m.group("names")):
        parts.append((pos, m.start("names") + j.start()))
        pos = m.start("names") + j.end()
    parts.append((pos, m.end("names")))
    if any(text[a:b].split()[0] in rules.LEADING_STOP or is_place(doc, gazetteer, text[a:b])
           or registry.is_ignored(text[a:b]) for a, b in parts):
        return False
    for a, b in parts:
        inside = [x for x in doc.mentions if x.field == fld and x.start < b and a < x.end]
        if any(x.start < m.start("names") or m.end("names") < x.end for x in inside):
            return False  # a name reaching beyond the list: not a list of names
    for a, b in parts:
        inside = [x for x in doc.mentions if x.field == fld and x.start < b and a < x.end]
        if [(x.start, x.end) for x in inside] == [(a, b)]:
            continue
        doc.mentions = [x for x in doc.mentions if x not in inside]
        doc.mentions.append(Mention(fld, a, b, text[a:b], "apposition", method="rule"))
    return True


# a capitalised word, not an acronym, right after a name, before a verb in lower case
_CAPITAL_AFTER = re.compile(r" (?P<word>[A-Z][a-z][\w'’-]*)(?= [a-z])")


# a count before a later sentence's group ("Two community fisheries groups", "17 rice cooperatives")
_COUNT_LEAD = re.compile(rf"(?:(?:the|these|those)\s+)?{rules.NUMBER}\s+", re.I)


def later_groups(doc: FragmentDoc, text: str) -> None:
    """A group by role that opens one of the two sentences after the one that tells the change, as the subject of
    an active verb ("The fishermen's cooperative societies of Pesalai now report trawlers ...", "Pedagogical-
    psychological support centres now do ..."): the parse reads only the first sentence; :func:`.roles.changed`
    decides whether it changed too. Not a count of people ("Twelve women ...": no group at the sentence's start)."""
    fld = "outcome_description"
    for lead, pos in rules.later_subject_starts(text, doc.outcome_sentence):
        counted = _COUNT_LEAD.fullmatch(text, lead, pos)
        if counted is None and not re.fullmatch(r"(?:(?:the|a|an|these|those)\s+)*", text[lead:pos], re.I):
            continue  # ("Some families ...": the people reached)
        if counted is not None:
            pos = counted.end()
        low = text[:pos] + text[pos:pos + 1].lower() + text[pos + 1:]  # (a group capitalised as it opens a sentence)
        g = rules.role_group_at(low, pos)
        if g is None or len(g.text.split()) < 2 or overlaps(doc.taken(fld), g.start, g.end) \
                or not rules.acts_after(text, g.end):
            continue  # (a group named by one word is the people the change reached: "People now report ...")
        if counted is not None and not bodies.names_organisations(g.text.split()[-1]):
            continue  # ("Twelve women ...": a count of the people reached; "Three community radio stations": bodies)
        doc.mentions.append(Mention(fld, g.start, g.end, text[g.start:g.end], "role", None, "subject",
                                    ROLE_CONFIDENCE))


def subjects(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """Grammatical subjects (with their conjuncts) that no earlier finder named: a capitalised noun
    phrase is a candidate organisation ("Radio Pacis", "Sauti Yetu"); a plural common noun phrase is
    people or groups by role, kept whole ("smallholder maize cooperatives")."""
    _subjects(doc, registry, gazetteer)
    _names_cut_at_a_connector(doc)


def _names_cut_at_a_connector(doc: FragmentDoc) -> None:
    """"the Sistema Nacional de Protección para | Personas Defensoras de Derechos Humanos": a subject's name the parse
    cut at its connector takes the capitalised words after it (and the mentions inside them go)."""
    for m in list(doc.mentions):
        text = doc.fields.get(m.field, "")
        if m not in doc.mentions or m.source != "subject" or not m.text[:1].isupper() \
                or m.text.split()[-1] not in rules.CONNECTORS:
            continue
        rest = _NAME_REST.match(text, m.end)
        if rest is None:
            continue
        e = rest.end()
        doc.mentions = [x for x in doc.mentions if x is m or not (x.field == m.field and m.end <= x.start <= x.end <= e)]
        doc.mentions[doc.mentions.index(m)] = replace(m, end=e, text=text[m.start:e])


def _subjects(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    text = doc.fields.get("outcome_description")
    if text:
        # the parser often loses a subject written in another language (it reads "Wananchi wa vijiji
        # (villagers)" as an adjective and an apposition): the glossed group that starts the outcome is one
        for s, e in rules.sentences(text)[:1]:
            s = rules.subject_start(text, rules.lead_end(text, s, e), e)
            glossed = _glossed_group(text, s)
            if glossed is not None:
                _drop_parts(doc, "outcome_description", s, glossed)
            if glossed is not None and not overlaps(doc.taken("outcome_description"), s, glossed):
                doc.mentions.append(Mention("outcome_description", s, glossed, text[s:glossed], "role", None,
                                            "subject", ROLE_CONFIDENCE))
        later_groups(doc, text)
    for fld, subs in doc.subjects.items():
        text = doc.fields[fld]
        for sub in _rejoined(text, subs):
            sub = bodies.head_read_as_verb(text, sub)  # ("The union parishad of X allocated": "parishad" no verb)
            s0, e = clean_span(text, sub.start, sub.end)
            s = without_place_possessive(doc, gazetteer, fld, text, s0, e)  # ("Herat's provincial ... directorate")
            s = rules.owned_start(text, s, e)  # ("the WTO's Council for ...": the owner is not the subject)
            lead = _PLACES_THEN_COUNT.match(text, s, e)
            if lead is not None and all(is_place(doc, gazetteer, p) for p in _PLACE_LIST_SPLIT.split(lead["places"])):
                s = lead.end()  # "In Minya and Mallawi 40 village groups moved": a time or place lead without its comma
            if e <= s:
                continue
            if s > 0 and text[s - 1] == "-":
                continue  # "by-laws": the tail of a hyphenated word the tokenizer split is not a subject
            if _in_brackets(text, s):
                continue  # "Fish processors (the 'fish mammies')": a gloss of the subject before it
            if sub.head.lower() in _OFFICE_WORDS and not sub.proper:
                acr = _ACRONYM_BEFORE.search(text, max(0, s - 40), s)
                named = acr and next((m for m in doc.mentions if m.field == fld and m.end == acr.start()
                                      and m.source != "role"), None)
                if named and sub in subs:
                    # "the X (ACR) office in Y": the organisation acts through its office; the subject is the
                    # organisation's name, the office what it acts through
                    subs[subs.index(sub)] = replace(sub, start=named.start)
                    continue
            glossed = _glossed_group(text, s)
            if glossed is not None:
                _drop_parts(doc, fld, s, glossed)  # ("commissions" of "commissions foncières villageoises (...)")
                if not overlaps(doc.taken(fld), s, glossed) and not registry.is_ignored(text[s:glossed]):
                    doc.mentions.append(Mention(fld, s, glossed, text[s:glossed], "role", None, "subject",
                                                ROLE_CONFIDENCE))
                continue
            office = _office_of(text, s, e) if sub.head.lower() in _OFFICE_WORDS else None
            if office is not None:
                # "the Ombudsman Republik Indonesia representative office in Makassar", "the Entraide
                # Nationale delegation in Meknès": the organisation acts through its office
                os_, oe = office
                if not overlaps(doc.taken(fld), os_, oe) and not registry.is_ignored(text[os_:oe]):
                    doc.mentions.append(Mention(fld, os_, oe, text[os_:oe], "subject", method="subject"))
                    continue
            e = without_places(doc, gazetteer, text, s, e)
            e = bodies.members_end(text, e, sub.head)  # ("a coalition of 12 civil society organisations")
            if sub.proper and text[e - 1:e].isdigit():
                e = rules.extend_name(text, e, doc.taken(fld), complement=False)  # "Article 19" + " Eastern Africa"
            while sub.proper and (w := _CAPITAL_AFTER.match(text, e)) and w["word"] not in MONTHS \
                    and not overlaps(doc.taken(fld), e, w.end()):
                e = w.end()  # "Access Now checked ...": a capital after a name is a part of it (the parse took an adverb)
            name = text[s:e]
            head = sub.head.lower()
            if registry.is_ignored(name):
                doc.blocked.append((fld, s, e))
                continue
            if head in _NOT_ACTOR_HEADS or rules.ACRONYM.fullmatch(name):
                continue
            if sub.plural and not sub.proper and _names_beside(doc, gazetteer, registry, fld, text, e):
                continue  # "the regional online outlets Rioni Press and Mtis Ambebi moved": the names act
            if not sub.plural and not sub.proper and _actor_noun(sub.head) \
                    and _names_beside(doc, gazetteer, registry, fld, text, e, one=True):
                continue  # "the community radio Marakana Stereo produced": the name acts
            if fld != "outcome_description" and not sub.passive and head in _STAFF_WORDS:
                of = _STAFF_OF.match(text, e)
                nxt = text[of.end():of.end() + 30].split()[:1] if of is not None else []
                if of is not None and not is_place(doc, gazetteer, of.group("name")) \
                        and not registry.is_ignored(of.group("name")) \
                        and not (nxt and rules.is_head(nxt[0].capitalize())):  # ("the MARE centre of ...")
                    # "The journalists of Inkyfada published ...": people act for the organisation they are of,
                    # named or not by another finder
                    if not overlaps(doc.taken(fld), *of.span("name")):
                        doc.mentions.append(Mention(fld, *of.span("name"), of.group("name"), "subject",
                                                    method="subject"))
                    continue
            if sub.proper and head in rules.PERSON_HEADS and name[:1].isupper() and fld == "outcome_description" \
                    and ((of := _TITLED_OF.match(text, e)) is not None
                         or re.search(rf"\b{re.escape(sub.head)}{_TITLED_OF.pattern}$", name)):
                # "the Paramount Chief of Sittia Chiefdom", "the Officer in Charge of Kakamega Main Prison": an
                # office by its capitalised title and what it is of (the recogniser may have cut it at its title)
                end = _office_complement_end(doc, fld, text, of, sub.verb_start) if of is not None else e
                held = [m for m in doc.mentions if m.field == fld and m.start < end and s < m.end]
                if all(m.source == "entity" or (m.start > s and m.end <= end) for m in held) \
                        and not registry.is_ignored(text[s:end]):
                    doc.mentions = [m for m in doc.mentions if m not in held]
                    doc.mentions.append(Mention(fld, s, end, text[s:end], "subject", method="subject"))
                    continue
            over = overlaps(doc.taken(fld), s, e)
            inside = [m for m in doc.mentions if m.field == fld and m.start < e and s < m.end]
            if over and not sub.proper and inside and len(inside) == len(over) \
                    and all(m.source == "entity" and s < m.start and m.end <= e for m in inside):
                # "the water user association of Al-Mawasit": the recogniser's ORG is the body's place
                doc.mentions = [m for m in doc.mentions if m not in inside]
                over = []
            elif over and not sub.proper and len(inside) == len(over) and _entity_modifier(text, inside, s, e):
                doc.mentions = [m for m in doc.mentions if m not in inside]  # "Barangay health workers"
                over = []
            elif over and not sub.proper and len(inside) == len(over) \
                    and bodies.seat_holders_of_named(text, inside, s, e, sub):
                doc.mentions = [m for m in doc.mentions if m not in inside]  # "the Union Parishad chairmen"
                over = []
            elif over and not sub.proper and len(inside) == len(over) \
                    and _place_of_body(doc, gazetteer, text, inside, s, e):
                doc.mentions = [m for m in doc.mentions if m not in inside]  # "the Itang woreda administration"
                over = []
            if over and bodies.people_of_named(text, s, sub, inside):
                continue  # "Members of the Budget Committee of the X Assembly voted": the committee acted
            if over:
                split_at_second_name(doc, fld, text, s) or complete_name(doc, fld, text, s, e, "subject", registry)
                continue
            group = _group_phrase(name, _starts_sentence(text, s))
            if sub.proper and name[:1].islower() and _LOWER_FOREIGN_BODY.fullmatch(name):
                # "the conseil municipal de Ziguinchor adopted ...": a body named in another language, in lower
                # case, whose head the parser took for the place it is of
                doc.mentions.append(Mention(fld, s, e, name, "subject", method="subject"))
                continue
            described = _DESCRIBED_NAME.fullmatch(name) if sub.proper and name[:1].islower() else None
            if described is not None and not is_place(doc, gazetteer, described["name"]) \
                    and not _INDEFINITE_BEFORE.search(text, max(0, s - 4), s) \
                    and not re.fullmatch(rules.appositions.ORG_NOUNS, described["name"]):
                # (not "HUTAN, a local NGO, shared": a description, not a name)
                # "the community radio Voces del Patía produced ...": the name after the words that say what it is
                a = s + described.start("name")
                if not overlaps(doc.taken(fld), a, e) and not registry.is_ignored(described["name"]):
                    doc.mentions.append(Mention(fld, a, e, described["name"], "apposition", method="rule"))
                continue
            branch = _ACRONYM_BEFORE_PLACE.search(text, max(0, s - 16), s) if sub.proper else None
            if branch is not None and rules.ACRONYM.fullmatch(branch["acr"]) and is_place(doc, gazetteer, name) \
                    and not overlaps(doc.taken(fld), branch.start("acr"), e):
                # "ABH Souss-Massa set quotas", "MISA Zambia": an agency's acronym and the place of its branch, which
                # the parse read as the subject alone
                a = branch.start("acr")
                if not registry.is_ignored(text[a:e]):
                    doc.mentions.append(Mention(fld, a, e, text[a:e], "subject", method="subject"))
                continue
            if sub.proper and name[:1].isupper() and len(name) >= 3 and name.split()[0] not in MONTHS:
                title = _TITLE_AFTER.match(text, e)
                if title is not None and any(label == "PERSON" and a < e and s < b
                                             for a, b, label in doc.entities.get(fld, ())):
                    # "Hon. X Y, Member of Parliament for Z, tabled ...": a person acts by the office the
                    # apposition names, which is who acted (not the person's name)
                    ts, te = title.span("title")
                    # (a body named in the office's complement is the office's: "Director of the Grenada Bureau
                    # of Standards", the body found alone before)
                    held = [m for m in doc.mentions if m.field == fld and ts < m.start and m.end <= te]
                    if not overlaps([sp for sp in doc.taken(fld) if sp not in {(m.start, m.end) for m in held}],
                                     ts, te) and not registry.is_ignored(title.group("title")):
                        doc.mentions = [m for m in doc.mentions if m not in held]
                        doc.mentions.append(Mention(fld, ts, te, title.group("title"), "apposition", method="rule"))
                    continue
                if " and " in name or name.split()[0] in rules.LEADING_STOP or is_place(doc, gazetteer, name) \
                        or name.split()[-1] in NOT_ORG_LAST:
                    continue
                s = _numbered_name_start(text, s, e)
                name = text[s:e]
                doc.mentions.append(Mention(fld, s, e, name, "subject", method="subject"))
            elif (sub.plural or group) and not sub.proper \
                    and _short_phrase(name) and not _place_units(name) and not _staff_of_named(doc, fld, text, e) \
                    and not _people_of_taught(doc, name) \
                    and (is_group_head(sub.head) or _plural_body(sub.head) or group
                         or (fld == "outcome_description" and sub.main and not sub.passive
                             and not head.endswith(_NOT_ACTOR_SUFFIX))):
                # the outcome's own subject: "inclusive resource centres", "village consultative bodies"; without
                # the place another language locates it in ("veedurías ciudadanas de Quibdó")
                cut = _FOREIGN_PLACE_OF.search(text, s, e)
                if cut is not None and cut.start() > s:
                    e = cut.start()
                    name = text[s:e]
                # ... and with the complement it takes there ("the chefs de canton of Mirriah": "chefs de canton")
                longer = rules.romance_group_at(text, s) if re.match(r"\s+(?:de|d['’])", text[e:e + 4]) else None
                if longer is not None and longer.start == s and longer.end > e:
                    e = longer.end
                    name = text[s:e]
                e = rules.kind_complement_end(text, e)  # ("les journalistes des radios communautaires")
                name = text[s:e]
                doc.mentions.append(Mention(fld, s, e, name, "role", None, "subject", ROLE_CONFIDENCE))
            elif fld == "outcome_description" and (sub.main or _and_clause(text, s0)) and not sub.passive \
                    and not sub.plural and not sub.proper and (2 <= len(name.split()) or head in language.BODY_HEADS
                                            or _of_place(doc, gazetteer, text, e) > e
                                            or (head in rules.PERSON_HEADS and _OF_NAME.match(text, e))) \
                    and len(name.split()) <= 6 and " and " not in name \
                    and (head in rules.PERSON_HEADS or head.capitalize() in rules.ORG_HEADS or head == "head"
                         or head in language.BODY_HEADS or _named_by_place(doc, gazetteer, text, e, head)
                         or _named_by_place_before(doc, gazetteer, name, head)):
                # "the district head", "the Gyumri community council": an office or a body in lower case
                named = _NAMED_AFTER.match(text, e) if head in language.BODY_HEADS else None
                if named is not None and not overlaps(doc.taken(fld), *named.span("name")) \
                        and not is_place(doc, gazetteer, named.group("name")):  # ("the county council, Kisumu,")
                    # "the strawberry growers' association of Huelva, Freshuelva, agreed": the body's name
                    doc.mentions.append(Mention(fld, *named.span("name"), named.group("name"), "apposition",
                                                method="rule"))
                    continue
                bare, e = e, _of_place(doc, gazetteer, text, e)
                if head in language.BODY_HEADS or bodies.is_body_head(head):  # ("the union parishad of X")
                    e = bodies.of_name_end(doc, fld, text, e)
                elif (head in rules.PERSON_HEADS or head == "head") and (of := _OF_NAME.match(text, bare)) is not None:
                    # "the régulo of Murrébué": an office is named by what it is of, a place or not
                    end = max(e, _office_complement_end(doc, fld, text, of, sub.verb_start))
                    doc.mentions = [m for m in doc.mentions if not (m.field == fld and m.source == "entity"
                                                                    and bare <= m.start and m.end <= end)]
                    e = end
                doc.mentions.append(Mention(fld, s, e, text[s:e], "role", None, "subject", ROLE_CONFIDENCE))
            elif fld == "contribution_others" and not sub.plural and not sub.proper and not sub.passive \
                    and (head in rules.PERSON_HEADS or _own_body(text, s, e, sub)) and 2 <= len(name.split()) <= 5 \
                    and " and " not in name:
                # "The district education manager endorsed ...": a person by office; "the provincial education
                # department posted ...": a body in lower case
                e = _of_place(doc, gazetteer, text, e)
                doc.mentions.append(Mention(fld, s, e, text[s:e], "role", None, "subject", ROLE_CONFIDENCE))


# the capitalised rest of a name after a connector the parse cut it at
_NAME_REST = re.compile(r"\s+[A-ZÀ-Ý][\w'’-]*(?:\s+(?:(?:de|del|la|las|los|y|e|et|of|for|and|para|pour|des|du|da|do)"
                        r"\s+)*[A-ZÀ-Ý][\w'’-]*)*")


# any short opening phrase up to its comma ("Élues pour la première fois, les conseillères municipales ...")
_SHORT_LEAD = re.compile(r"[^,.;:()]{3,60},\s*")


# "of" and a capital in another language after a group by role: the place it is in ("comadronas tradicionales de
# Chichicastenango", "wasaidizi wa kisheria wa Temeke")
_FOREIGN_PLACE_OF = re.compile(r"\s+(?:de|del|da|do|dos|das|du|wa|za|ya)\s+[A-ZÀ-Ý]")


# a leading phrase of a sentence in another language, up to its comma ("Depois de três oficinas com a equipe do
# programa, ", "Tras dos años de presión, ")
_LEAD_COMMA = re.compile(r"(?:Depois|Após|Apos|Desde|Durante|Tras|Después|Despues|Luego|Après|Apres|Depuis|Suite"
                         r"|Grâce|Gracias|Graças|Em|En|Au|A|Al|Ao|No|Na|Dans|Pendant|Setelah|Sejak|Baada|Kufuatia)\b"
                         r"[^,.;:()]{0,120},\s*")


def role_phrases(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """People by role at the start of a sentence ("county officials", "women with disabilities"), where
    the parse gave no subject (text the pipeline does not read as English)."""
    for fld in ("outcome_description", "contribution_others"):
        text = doc.fields.get(fld)
        if not text or doc.english.get(fld, True) and doc.subjects.get(fld):
            continue
        for s, e in rules.sentences(text)[: 1 if fld == "outcome_description" else None]:
            at = rules.subject_start(text, s, e)
            # "Les femmes transformatrices de poisson de Joal ont obtenu ...": people by role in another language,
            # also after a leading phrase that ends in a comma ("Depois de três oficinas com a equipe, as parteiras
            # tradicionais começaram ..."); first where the text does not read as English ("Les agents d'agriculture
            # de la commune": not the English "agents")
            lead = _LEAD_COMMA.match(text, at, e) or _SHORT_LEAD.match(text, at, e)
            foreign = rules.romance_group_at(text, at) or rules.indonesian_group_at(text, at) \
                or rules.tagalog_group_at(text, at) \
                or (rules.romance_group_at(text, lead.end()) if lead is not None else None)
            role = foreign if foreign is not None and not language.reads_as_english(text[s:e]) else None
            role = role or rules.role_group_at(text, at) or foreign
            if role is None:  # "Les groupements de femmes de Kaya ont ouvert ...": a group in another language
                g = _ROMANCE_GROUP.match(text, rules.subject_start(text, s, e))
                if g is not None and _group_phrase(g.group()):
                    role = rules.Span(g.start(), g.end(), g.group())
            if role is not None and not registry.is_ignored(role.text) \
                    and not overlaps(doc.taken(fld), role.start, role.end):
                # (one in another language after a leading phrase opens the subject all the same: "foreign")
                doc.mentions.append(Mention(fld, role.start, role.end, role.text, "role", None,
                                            "foreign" if role is foreign else "role", ROLE_CONFIDENCE))
    later_roles(doc, registry)


# the words of a body or an office in lower case that opens a later sentence ("The village head also issued ...", "The
# municipal council refused ...", "Since May the ward administrator of Watamu has chaired ...")
_LOWER_WORD = re.compile(r"[a-z][\w'’-]*")
_SPACES = re.compile(r"\s+")


def _office_word(word: str) -> bool:
    return word in rules.PERSON_HEADS or word == "head"


_ALSO_AFTER = re.compile(r"\s+(?:also|now|then|later|in\s+turn|too)\b")


def later_roles(doc: FragmentDoc, registry: Registry) -> None:
    """A group of people by role (two words or more), a body or an office in lower case that opens a later sentence
    of the outcome description and acts there: roles decide whether it changed too (:func:`roles._later_sentence_actors`;
    the parse reads the first sentence only)."""
    fld = "outcome_description"
    text = doc.fields.get(fld)
    if not text:
        return
    for _, pos in rules.later_subject_starts(text, doc.outcome_sentence):
        if not text[pos:pos + 1].islower() or overlaps(doc.taken(fld), pos, pos + 1) \
                or rules.COUNTED_BEFORE.search(text[max(0, pos - 20):pos]):
            continue  # (nor a count of the people the change reached: "Twelve women farmers joined the scheme")
        span, of = rules.role_group_at(text, pos), None
        if span is not None and len(span.text.split()) < 2:
            span = None
        if span is None:
            # (up to four lower-case words in a row, to the last that is a body's or an office's word)
            words, at = [], pos
            while len(words) < 4 and (w := _LOWER_WORD.match(text, at)) is not None:
                words.append(w)
                gap = _SPACES.match(text, w.end())
                if gap is None:
                    break
                at = gap.end()
            last = max((k for k, w in enumerate(words) if w.group() in language.BODY_HEADS or _office_word(w.group())),
                       default=None)
            if last is None or last < 1:
                continue  # (one word, "The council later ...", stands for a body named before it)
            e = words[last].end()
            office = _office_word(words[last].group())
            of = _OF_NAME.match(text, e) if office else None
            if of is not None:
                e = of.end()  # "the ward administrator of Watamu"
            elif office and not _ALSO_AFTER.match(text, e):
                continue  # ("The county water officer signs it every month": the office's routine, not its change)
            span = rules.Span(pos, e, text[pos:e])
        head_end = span.end if of is None else of.start()
        if rules.acts_after(text, span.end) and not registry.is_ignored(span.text) \
                and not overlaps(doc.taken(fld), span.start, head_end):
            # (the office's place, a name the recogniser took alone, is the office's: "of Watamu")
            doc.mentions = [x for x in doc.mentions if not (x.field == fld and x.source == "entity"
                                                            and head_end <= x.start and x.end <= span.end)]
            doc.mentions.append(Mention(fld, span.start, span.end, span.text, "role", None, "role", ROLE_CONFIDENCE))
