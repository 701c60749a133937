"""Candidate finders: small named components, each adding the mentions it finds to a
:class:`~harvestgraph.actors.doc.FragmentDoc`, in the order the pipeline lists them. A finder never
takes a span an earlier one took (the registry first: it is the precision layer), except that an
entity or a grammatical subject may complete a rule's name that stopped short ("Heifer International"
→ "Heifer International Nepal").

Each finder is a plain function ``finder(doc, registry, gazetteer)``; :data:`FINDERS` names them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from . import language, rules
from .doc import ROLE_CONFIDENCE, FragmentDoc, Mention
from .places import _UNIT_WORDS, Gazetteer, spoken_in
from .registry import Registry
from .rules import is_group_head  # noqa: F401  (re-exported: tests and callers name it here)

_NOT_ACTOR_HEADS = frozenset("""decision process change changes meeting meetings law act bill policy plan budget
project programme program it this that they he she we there result results outcome amendment motion report
study hearing hearings number case cases event events campaign training workshop statement petition agreement
year years month months week weeks time people""".split())
# plural nouns of things and events, not of actors ("allocations", "payments", "prices", "hearings")
_NOT_ACTOR_SUFFIX = ("tions", "sions", "ments", "ances", "ences", "ings", "ures", "ices", "rates", "fees", "prices")
_MONTHS = frozenset("January February March April May June July August September October November December".split()) \
    | rules.names.MONTH_ABBREVIATIONS
_ENTITY_ACTOR_LABELS = ("ORG",)
# the last word of an event or a document, not of an organisation ("Digital Training Workshop")
_NOT_ORG_LAST = rules.DOC_WORDS | frozenset("""Workshop Workshops Training Trainings Conference Meeting Meetings Summit
Dialogue Session Sessions Hearing Hearings Campaign Day Week Festival Exhibition Fair Award Prize Survey Study
Programme Program Project""".split())
def _is_place(doc: FragmentDoc, gazetteer: Gazetteer, name: str) -> bool:
    """A name the gazetteer knows as a place of the fragment's countries: a place, not an actor."""
    countries = doc.countries()
    return any(p.country in countries or p.is_country for p in gazetteer.candidates(name, countries))
_PLACE_LABELS = ("GPE", "LOC", "FAC")


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> list[int]:
    return [i for i, (a, b) in enumerate(spans) if a < e and s < b]


def registry_matches(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """Names, aliases and acronyms the registry knows."""
    for fld, text in doc.fields.items():
        doc.mentions += [Mention(fld, s, e, text[s:e], "registry", a, "registry", 1.0) for s, e, a in registry.match(text)]


def programme_phrases(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """"the programme", "Programme staff": the programme whose harvest it is."""
    if doc.programme is None:
        return
    for fld, text in doc.fields.items():
        taken = doc.taken(fld)
        doc.mentions += [Mention(fld, p.start, p.end, p.text, "programme", doc.programme, "programme", 0.9)
                         for p in rules.programme_phrases(text) if not _overlaps(taken, p.start, p.end)]


def org_names(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """Capitalised names with an organisational head word ("... Network", "Ministry of ..."), after the
    names an organisation noun stands beside (:func:`apposed`); a unit written in lower case "of the" a
    name is the unit ("the budget committee of the Cámara de Senadores")."""
    apposed(doc, registry, gazetteer)
    for fld, text in doc.fields.items():
        for c in rules.org_candidates(text, doc.taken(fld)):
            if registry.is_ignored(c.text):
                doc.blocked.append((fld, c.start, c.end))  # no later finder takes a part of it
                continue
            s = c.start
            unit = _UNIT_OF_THE.search(text, max(0, s - 80), s)
            if unit is not None and unit.end() == s and not _overlaps(doc.taken(fld), unit.start("unit"), s):
                s = unit.start("unit")
                while (w := re.match(r"(?:the|a|an|by|with|and|to|from|its|their|his|her)\s+", text[s:c.start])):
                    s += w.end()  # "(supported by) the budget committee": the unit starts after them
            e = c.end
            poss = re.search(r"['’]s\s+(?=[A-Z])", text[s:e])
            if poss is not None and poss.start() >= 3 and _OFFICE_AFTER.match(text, e):
                e = s + poss.start()  # "Radio Okapi's Uvira office": the organisation acts through its office
            doc.mentions.append(Mention(fld, s, e, text[s:e], "rule", method="rule"))
    defined(doc, registry, gazetteer)


_OFFICE_AFTER = re.compile(r"\s+(?:(?:regional|provincial|district|county|country|field|local)\s+)?"
                           r"(?:office|offices|branch|bureau|studio|studios|station|team)\b")


def defined(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """A part of the "rule" finder: the name an acronym in brackets defines is one name, whatever the
    head-word rules made of it ("Community Initiatives Facilitation and Assistance (CIFA)" cut at "and",
    "Journaliste en Danger (JED)" with no head word): the rules' parts inside it give way to it. A registry
    name, a blocked name or a name reaching outside it stays as it is."""
    for fld, text in doc.fields.items():
        for d in rules.defined_names(text):
            s, e = _clean_span(text, d.start, d.end)
            name = text[s:e]
            if e - s < 3 or len(name.split()) < 2 or registry.is_ignored(name) or _is_place(doc, gazetteer, name) \
                    or any(f == fld and a < e and s < b for f, a, b in doc.blocked):
                continue
            inside = [m for m in doc.mentions if m.field == fld and m.start < e and s < m.end]
            if any(m.source not in ("rule", "apposition") or m.start < s or e < m.end for m in inside) \
                    or [(m.start, m.end) for m in inside] == [(s, e)]:
                continue
            doc.mentions = [m for m in doc.mentions if m not in inside]
            doc.mentions.append(Mention(fld, s, e, name, "rule", method="rule"))


# a sub-unit in lower case before "of the <Name>": "budget committee", "committee on public accounts"
_UNIT_OF_THE = re.compile(r"(?<![\w-])(?P<unit>(?:[a-z][\w-]*\s+){0,2}(?:committee|sub-committee|subcommittee|unit|"
                          r"commission|secretariat|directorate|department|division|section|caucus|taskforce|"
                          r"task\s+force)(?:\s+(?:on|for)\s+(?:[a-z][\w-]*\s+){0,3}?[a-z][\w-]*)?)\s+of\s+the\s+")


# The definite articles of French, Spanish, Portuguese, Italian and German: not a part of a group's or a
# body's name ("Os Conselhos Comunitários de Pesca"), but of some names of one word ("El Colombiano") or
# without a complement ("La Via Campesina"); :func:`_article_ahead` tells them apart.
_ARTICLE = re.compile(r"(?:[Ll]es|[Ll]as|[Ll]os|[Ll]e|[Ll]a|[Ee]l|[Oo]s|[Aa]s|[Ii]l|[Gg]li|[Dd]ie|[Dd]er)\s+")
_ARTICLE_COMPLEMENT = re.compile(r"\s(?:de|du|des|del|da|do|dos|das|di|of|pour|para|d['’]\w)", re.I)


def _article_ahead(rest: str) -> bool:
    """The phrase after a leading article is a group or a body: two words or more, and a lower-case first word
    ("associations d'usagers") or a complement ("Juntas Administradoras de Agua", "Préfet du Département de
    l'Océan"); not "Los Angeles Times"."""
    words = rest.split()
    if len(words) < 2:
        return False
    return words[0][:1].islower() or bool(_ARTICLE_COMPLEMENT.search(rest))


def _clean_span(text: str, s: int, e: int) -> tuple[int, int]:
    """Without a leading article, a trailing possessive / punctuation or a bracketed acronym."""
    m = re.match(r"(?:the|The|a|an)\s+|[\w’'-]+-(?:based|led|run|owned|funded)\s+(?=[A-Z])", text[s:e])
    if m:
        s += m.end()  # "the", "Ngaoundéré-based": not a part of the name
    m = _ARTICLE.match(text, s, e)
    if m and _article_ahead(text[m.end():e]):
        s = m.end()  # "Las Juntas Administradoras de Agua", "les associations d'usagers", "Le Préfet du ..."
    i = text.find(" (", s, e)
    if i > s:
        e = i
    while e > s and text[e - 1] in " .,;:)('’\"":
        e -= 1
    if text[s:e].endswith(("'s", "’s")):
        e -= 2
    return s, e


def _complete(doc: FragmentDoc, fld: str, text: str, s: int, e: int, source: str, registry: Registry) -> bool:
    """A span that covers exactly one earlier rule/acronym mention and only adds capitalised words to it
    (no "and" joining two names) completes that mention; returns True when the span was used."""
    mine = [m for m in doc.mentions if m.field == fld and m.start < e and s < m.end]
    if len(mine) != 1:
        return False
    m = mine[0]
    if m.source not in ("rule", "acronym", "entity") or not (s <= m.start and m.end <= e) \
            or (s, e) == (m.start, m.end):
        return False
    extra = (text[s:m.start] + " " + text[m.end:e]).split()
    # ("Fiscalía Especial de Protección a Defensores ...", "Viši sud u Beogradu": joining words of a name in
    # another language)
    if any(w in ("and", "&", ",") or not (w[:1].isupper() or w in rules.CONNECTORS or w in ("a", "u", "i"))
           for w in extra) \
            or registry.is_ignored(text[s:e]):
        return False
    m.start, m.end, m.text, m.source, m.method = s, e, text[s:e], source, source
    return True


def _named_alone(words: list[str]) -> bool:
    """Capitalised words after an "and" inside a name that name an organisation of their own: a head word, or
    three words or more ("Fenix Humanitarian Legal Aid"); not a portfolio of one or two ("Aquatic Resources",
    "Development Advocates")."""
    return len(words) >= 3 or any(rules._is_head(w) for w in words)


def _split_at(doc: FragmentDoc, fld: str, text: str, s: int) -> bool:
    """A name the parse or the recogniser starts right after the "and" inside a rule's name: two names
    ("Sisters of Hope Health Services and Kundiawa Catholic Health Services"); returns True when split."""
    for m in doc.mentions:
        if m.field == fld and m.source == "rule" and m.start < s < m.end:
            j = re.search(r"\s+(?:and|&|et|y|e)\s+(?:the\s+)?$", text[m.start:s])
            if j is None or j.start() < 3:
                return False
            first, second = text[m.start:m.start + j.start()].split(), text[s:m.end].split()
            # "Lukanga Water Supply and Sanitation Company", "Ministry of Land and Environment": one name;
            # two names when the first ends in its head word, or has a complement and the second is a
            # name of two capitalised words or more
            # ("Bureau of Fisheries and Aquatic Resources": after an English "and", a second part without
            # a head of its own is a portfolio of the first; "Société Civile ... pour la Santé et Umuryango
            # Mwiza": two names, as before)
            english_and = j.group().split()[0] in ("and", "&")
            if not (rules._is_head(first[-1]) or (any(w in rules.COMPLEMENT_START for w in first)
                    and not first[-1].endswith(",") and "," not in text[m.start:s]  # a list of portfolios
                    and len(second) >= 2 and all(w[:1].isupper() for w in second)
                    and (not english_and or _named_alone(second)))):
                return False
            old_end = m.end
            m.end = m.start + j.start()
            m.text = text[m.start:m.end]
            doc.mentions.append(Mention(fld, s, old_end, text[s:old_end], "rule", method=m.method))
            return True
    return False


# one capitalised word joined to the end of a name by another language's "and", then no other capitalised
# word: a second surname or the last portfolio of the name, not a second organisation
_LAST_JOINED = re.compile(r" (?:y|e|i|et) ([A-ZÀ-ÝĀ-Ž][\w'’-]+)(?=[.,;:)]|\s+[^\W\d_A-ZÀ-ÝĀ-Ž]|\s*$)")


def entities(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """Organisations the language pipeline's entity recogniser found (ORG), where no earlier finder
    found a name; places it found (GPE, LOC, FAC) are left to the gazetteer."""
    for fld, ents in doc.entities.items():
        text = doc.fields[fld]
        for s, e, label in ents:
            if label not in _ENTITY_ACTOR_LABELS:
                continue
            s, e = _clean_span(text, s, e)
            while (w := re.search(r"\s+[a-z][\w'’-]*$", text[s:e])) and text[s:s + w.start()].split()[-1] \
                    not in rules.CONNECTORS:
                e = s + w.start()  # "World Vision co-funded": a name ends in a capitalised word
            e = rules.unit_after(text, e) or _without_places(doc, gazetteer, text, s, e)  # "Bupati of Jayapura regency"
            tail = _LAST_JOINED.match(text, e)
            if tail is not None and not rules._is_head(tail.group(1)):
                e = tail.end()  # "Hospital ... José María Cabral y Báez", "Ministerio de Agricultura y Ganadería"
            name = text[s:e]
            if registry.is_ignored(name):
                doc.blocked.append((fld, s, e))
                continue
            if e - s < 3 or not name[:1].isupper() or " and " in name or registry.is_ignored(name) \
                    or rules._ACRONYM.fullmatch(name) or name.split()[-1] in _NOT_ORG_LAST \
                    or _is_place(doc, gazetteer, name) \
                    or name.split()[0] in _MONTHS or rules.FRAGMENT_REF.fullmatch(name) \
                    or (" " not in name and spoken_in(text, s, e)):
                continue  # ("aired the lists in Mende": a language)
            if _overlaps(doc.taken(fld), s, e):
                _split_at(doc, fld, text, s) or _complete(doc, fld, text, s, e, "entity", registry)
                continue
            group = _group_after(text, s, e)
            if group is not None:
                if not _overlaps(doc.taken(fld), s, group):
                    doc.mentions.append(Mention(fld, s, group, text[s:group], "role", None, "entity", ROLE_CONFIDENCE))
                continue
            doc.mentions.append(Mention(fld, s, e, name, "entity", method="entity"))


def _group_after(text: str, s: int, e: int) -> int | None:
    """Where a group of people ends that a word capitalised only because it starts a sentence
    modifies: "Church women's groups campaigned ...", "Quilombola women's groups collected ..." (the
    recogniser takes "Church" for an organisation). A possessive group says so: an organisation's own
    groups would be "Church's ..."; "Oxfam volunteers" stays Oxfam. None otherwise."""
    if " " in text[s:e] or text[max(0, s - 3):s].rstrip()[-1:] not in ("", ".", ";", ":", "!", "?") \
            or not re.match(r" [a-z]", text[e:e + 2]):
        return None
    g = rules.role_group_at(text, e + 1)
    if g is None or not re.match(r"[a-z]+(?:['’]s|s['’])\s", g.text):
        return None
    return g.end


# Plural group nouns of French, Spanish and Portuguese, written first ("groupements de développement
# agricole", "comités de vigilance", "juntas de vecinos"): English group heads are written last.
ROMANCE_GROUP_HEADS = frozenset("""groupements groupes comités comites associations coopératives cooperativas
cooperativs collectifs conseils consejos conselhos asociaciones associações grupos organisations organizaciones
organizações juntas comisiones comissões commissions sindicatos syndicats mutuelles uniones fédérations
federaciones réseaux redes comunidades communautés""".split())


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
    return lower and (rules.is_group_head(words[-1].rstrip("'’")) or words[0].lower() in ROMANCE_GROUP_HEADS
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
    return h.endswith("s") and (h[:-1] in language.BODY_HEADS or h[:-2] in language.BODY_HEADS)


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


def _people_of_taught(doc: FragmentDoc, name: str) -> bool:
    """"CPT lawyers filed the petition" where "Comissão Pastoral da Terra (CPT)" is written: people of an
    organisation the fragment names act for it (as "lawyers from X"); the acronym finder takes the organisation."""
    words = name.split()
    first = words[0]
    # (or its staff by a staff word, as "Amnesty researchers": "NUJP lawyers gave legal aid")
    return rules._ACRONYM.fullmatch(first) is not None and len(words) >= 2 and (any(
        re.search(r"\(\s*" + re.escape(first) + r"\s*\)", t) for t in doc.fields.values())
        or (len(words) == 2 and words[1].lower() in _STAFF_WORDS))


def _in_brackets(text: str, pos: int) -> bool:
    before = text[max(0, pos - 60):pos]
    return before.count("(") > before.count(")")


# a subject in another language glossed in English: "the kelompok nelayan (fishers' groups) of five villages",
# "Wananchi wa vijiji (villagers) in Kilosa"
_GLOSSED = re.compile(r"(?P<name>[^\W\d_][\w'’-]*(?: [^\W\d_][\w'’-]*){0,3}) \((?:the |a )?['‘’\"“]?"
                      r"(?P<gloss>[A-Za-z][\w'’ -]{1,40}?)['’\"”]?\)")


def _glossed_group(text: str, s: int) -> int | None:
    """Where a subject glossed as a group of people ends (before the bracket), else None. The parser cannot
    read the words before the gloss; the gloss says they name people or groups ("(villagers)")."""
    m = _GLOSSED.match(text, s)
    if m is None:
        return None
    gloss = m.group("gloss").split()
    # ("Pesantren (Islamic boarding schools)": a capitalised adjective may start the gloss; its noun is lower case)
    if not (is_group_head(gloss[-1].rstrip("'’")) and gloss[-1].islower() and len(gloss) <= 3):
        return None
    return m.end("name")


# a name in apposition after a body written in lower case, closed by a comma
_NAMED_AFTER = re.compile(r", (?P<name>[A-ZÀ-ÝĀ-Ž][\w'’-]+(?: (?:[A-ZÀ-ÝĀ-Ž]|de |of |la |del )[\w'’-]*){0,5}),")


# "... de Angoche e Moma", "... of Man, Danané and Touba": a list of places after a group's name
_PLACE_LIST = re.compile(r" (?:de|of|du|des|da|do|del) (?P<first>[A-ZÀ-ÝĀ-Ž][\w'’-]*(?: [A-ZÀ-ÝĀ-Ž][\w'’-]*)?)"
                         r"(?:(?:,| e| y| et| and| i) [A-ZÀ-ÝĀ-Ž][\w'’-]*(?: [A-ZÀ-ÝĀ-Ž][\w'’-]*)?)+$")


def _without_places(doc: FragmentDoc, gazetteer: Gazetteer, text: str, s: int, e: int) -> int:
    """Where a plural group's name ends before the list of places it is "of" ("Os Conselhos Comunitários de
    Pesca de Angoche e Moma": the councils of two places, each a place of its own), else ``e``. The list's
    first member must be a place of the fragment's countries."""
    first = text[s:e].split(" ", 1)[0]
    if not (first.endswith("s") or first[:1].islower()):
        return e
    m = _PLACE_LIST.search(text, s, e)
    if m is None or m.start() - s < 3 or not _is_place(doc, gazetteer, m.group("first")):
        return e
    return m.start()


_OFFICE_WORDS = frozenset("office offices branch delegation chapter secretariat bureau".split())
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
    if len(words) < 2 or not all(x[:1].isupper() or x in rules.CONNECTORS for x in words):
        return None
    return start, end


def _own_body(text: str, s: int, e: int, sub) -> bool:
    """A body in lower case that acts on its own in a contribution field ("the provincial education department
    posted teachers"): not an organisation's own unit ("its district land rights forum", "The UNHCR office":
    the organisation acts), not one that did nothing ("the provincial board did not object")."""
    words = text[s:e].split()
    return sub.head.lower() in language.BODY_HEADS and all(w[:1].islower() for w in words[1:]) \
        and (words[0][:1].islower() or (_starts_sentence(text, s) and not rules._ACRONYM.fullmatch(words[0]))) \
        and re.search(r"(?i)\b(?:its|their|his|her|our)\s+$", text[max(0, s - 8):s]) is None \
        and re.search(r"\b(?:not|never|n['’]t)\b", text[e:sub.verb_start]) is None


_OF_NAME = re.compile(r" of (?:the )?(?P<name>[A-ZÀ-ÝĀ-Ž][\w'’-]*(?: [A-ZÀ-ÝĀ-Ž][\w'’-]*){0,2})")


def _of_place(doc: FragmentDoc, gazetteer: Gazetteer, text: str, e: int) -> int:
    """Where an office-holder or a body in lower case ends that is "of" a place: the place names which one
    ("the district health officer of Arua", as "Bupati of Jayapura regency"; the parse leaves the place of
    people out, "officers of Ha'apai"), else ``e``."""
    m = _OF_NAME.match(text, e)
    if m is None or not _is_place(doc, gazetteer, m.group("name")):
        return e
    return m.end()


def _short_phrase(name: str) -> bool:
    """A noun phrase short enough to name a group: six words, or nine with a named complement ("guardians
    of the Lutsel K'e Dene First Nation")."""
    n = len(name.split())
    return n <= 6 or (n <= 9 and re.search(r" (?:of|de) (?:the )?[A-Z]", name) is not None)


def _rejoined(text: str, subs: list) -> list:
    """The subjects with one noun phrase the parser cut in two made whole again: two subjects of one verb
    separated by a single space only ("Guardians of the Lutsel K'e" + "Dene First Nation" began ...)."""
    out = []
    for sub in sorted(subs, key=lambda x: x.start):
        prev = out[-1] if out else None
        if prev is not None and prev.verb_start == sub.verb_start and text[prev.end:sub.start] == " " \
                and sub.end < sub.verb_start:
            out[-1] = replace(prev, end=sub.end, proper=prev.proper and sub.proper)
        else:
            out.append(sub)
    return out


_NAME = r"[A-ZÀ-ÝĀ-Ž][\w'’-]*(?: (?:(?:de|of|la|del|du|des) )?[A-ZÀ-ÝĀ-Ž0-9][\w'’-]*){0,5}"
# names written right after a plural noun of what they are (close apposition), joined by "," "and" "+" "&",
# then the verb (or a comma, a bracket)
_NAMES_BESIDE = re.compile(rf" (?P<names>{_NAME}(?:(?:, | and | ?[+&] |, and ){_NAME})*)(?= [a-z]|,| \(| ?[+&] )")
_NAMES_SPLIT = re.compile(r", and |, | and | ?[+&] ")


def _names_beside(doc: FragmentDoc, gazetteer: Gazetteer, registry: Registry, fld: str, text: str, e: int) -> bool:
    """A plural common noun followed directly by names ("the online outlets Sugbo Today and Banat News", "two
    cooperatives, Ushirika and Tumaini,"): the names are the actors, one each (a mention holding two of
    them is split), the noun that says what they are is none; True when so."""
    m = _NAMES_BESIDE.match(text, e)
    if m is None:
        return False
    parts, pos = [], m.start("names")
    for j in _NAMES_SPLIT.finditer(m.group("names")):
        parts.append((pos, m.start("names") + j.start()))
        pos = m.start("names") + j.end()
    parts.append((pos, m.end("names")))
    if any(text[a:b].split()[0] in rules.LEADING_STOP or _is_place(doc, gazetteer, text[a:b])
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


def subjects(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """Grammatical subjects (with their conjuncts) that no earlier finder named: a capitalised noun
    phrase is a candidate organisation ("Radio Pacis", "Sauti Yetu"); a plural common noun phrase is
    people or groups by role, kept whole ("smallholder maize cooperatives")."""
    text = doc.fields.get("outcome_description")
    if text:
        # the parser often loses a subject written in another language (it reads "Wananchi wa vijiji
        # (villagers)" as an adjective and an apposition): the glossed group that starts the outcome is one
        for s, e in rules.sentences(text)[:1]:
            s = rules.subject_start(text, rules.lead_end(text, s, e), e)
            glossed = _glossed_group(text, s)
            if glossed is not None and not _overlaps(doc.taken("outcome_description"), s, glossed):
                doc.mentions.append(Mention("outcome_description", s, glossed, text[s:glossed], "role", None,
                                            "subject", ROLE_CONFIDENCE))
    for fld, subs in doc.subjects.items():
        text = doc.fields[fld]
        for sub in _rejoined(text, subs):
            s, e = _clean_span(text, sub.start, sub.end)
            if e <= s:
                continue
            if s > 0 and text[s - 1] == "-":
                continue  # "by-laws": the tail of a hyphenated word the tokenizer split is not a subject
            if _in_brackets(text, s):
                continue  # "Fish processors (the 'fish mammies')": a gloss of the subject before it
            glossed = _glossed_group(text, s)
            if glossed is not None:
                if not _overlaps(doc.taken(fld), s, glossed) and not registry.is_ignored(text[s:glossed]):
                    doc.mentions.append(Mention(fld, s, glossed, text[s:glossed], "role", None, "subject",
                                                ROLE_CONFIDENCE))
                continue
            office = _office_of(text, s, e) if sub.head.lower() in _OFFICE_WORDS else None
            if office is not None:
                # "the Ombudsman Republik Indonesia representative office in Makassar", "the Entraide
                # Nationale delegation in Meknès": the organisation acts through its office
                os_, oe = office
                if not _overlaps(doc.taken(fld), os_, oe) and not registry.is_ignored(text[os_:oe]):
                    doc.mentions.append(Mention(fld, os_, oe, text[os_:oe], "subject", method="subject"))
                    continue
            e = _without_places(doc, gazetteer, text, s, e)
            name = text[s:e]
            head = sub.head.lower()
            if registry.is_ignored(name):
                doc.blocked.append((fld, s, e))
                continue
            if head in _NOT_ACTOR_HEADS or rules._ACRONYM.fullmatch(name):
                continue
            if sub.plural and not sub.proper and _names_beside(doc, gazetteer, registry, fld, text, e):
                continue  # "the regional online outlets Rioni Press and Mtis Ambebi moved": the names act
            over = _overlaps(doc.taken(fld), s, e)
            inside = [m for m in doc.mentions if m.field == fld and m.start < e and s < m.end]
            if over and not sub.proper and inside and len(inside) == len(over) \
                    and all(m.source == "entity" and s < m.start and m.end <= e for m in inside):
                # "the water user association of Al-Mawasit": the recogniser's ORG is the body's place
                doc.mentions = [m for m in doc.mentions if m not in inside]
                over = []
            elif over and not sub.proper and len(inside) == len(over) and _entity_modifier(text, inside, s, e):
                doc.mentions = [m for m in doc.mentions if m not in inside]  # "Barangay health workers"
                over = []
            if over:
                _split_at(doc, fld, text, s) or _complete(doc, fld, text, s, e, "subject", registry)
                continue
            group = _group_phrase(name, _starts_sentence(text, s))
            if sub.proper and name[:1].isupper() and len(name) >= 3 and name.split()[0] not in _MONTHS:
                if " and " in name or name.split()[0] in rules.LEADING_STOP or _is_place(doc, gazetteer, name) \
                        or name.split()[-1] in _NOT_ORG_LAST:
                    continue
                doc.mentions.append(Mention(fld, s, e, name, "subject", method="subject"))
            elif (sub.plural or group) and not sub.proper \
                    and _short_phrase(name) and not _place_units(name) and not _staff_of_named(doc, fld, text, e) \
                    and not _people_of_taught(doc, name) \
                    and (is_group_head(sub.head) or _plural_body(sub.head) or group
                         or (fld == "outcome_description" and sub.main and not sub.passive
                             and not head.endswith(_NOT_ACTOR_SUFFIX))):
                # the outcome's own subject: "inclusive resource centres", "village consultative bodies"
                doc.mentions.append(Mention(fld, s, e, name, "role", None, "subject", ROLE_CONFIDENCE))
            elif fld == "outcome_description" and sub.main and not sub.passive and not sub.plural \
                    and not sub.proper and (2 <= len(name.split()) or head in language.BODY_HEADS) \
                    and len(name.split()) <= 6 and " and " not in name \
                    and (head in rules.PERSON_HEADS or head.capitalize() in rules.ORG_HEADS or head == "head"
                         or head in language.BODY_HEADS):
                # "the district head", "the Gyumri community council": an office or a body in lower case
                named = _NAMED_AFTER.match(text, e) if head in language.BODY_HEADS else None
                if named is not None and not _overlaps(doc.taken(fld), *named.span("name")) \
                        and not _is_place(doc, gazetteer, named.group("name")):  # ("the county council, Kisumu,")
                    # "the strawberry growers' association of Huelva, Freshuelva, agreed": the body's name
                    doc.mentions.append(Mention(fld, *named.span("name"), named.group("name"), "apposition",
                                                method="rule"))
                    continue
                e = _of_place(doc, gazetteer, text, e)
                doc.mentions.append(Mention(fld, s, e, text[s:e], "role", None, "subject", ROLE_CONFIDENCE))
            elif fld == "contribution_others" and not sub.plural and not sub.proper and not sub.passive \
                    and (head in rules.PERSON_HEADS or _own_body(text, s, e, sub)) and 2 <= len(name.split()) <= 5 \
                    and " and " not in name:
                # "The district education manager endorsed ...": a person by office; "the provincial education
                # department posted ...": a body in lower case
                e = _of_place(doc, gazetteer, text, e)
                doc.mentions.append(Mention(fld, s, e, text[s:e], "role", None, "subject", ROLE_CONFIDENCE))


def role_phrases(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """People by role at the start of a sentence ("county officials", "women with disabilities"), where
    the parse gave no subject (text the pipeline does not read as English)."""
    for fld in ("outcome_description", "contribution_others"):
        text = doc.fields.get(fld)
        if not text or doc.english.get(fld, True) and doc.subjects.get(fld):
            continue
        for s, e in rules.sentences(text)[: 1 if fld == "outcome_description" else None]:
            role = rules.role_group_at(text, rules.subject_start(text, s, e))
            if role is None:  # "Les groupements de femmes de Kaya ont ouvert ...": a group in another language
                g = _ROMANCE_GROUP.match(text, rules.subject_start(text, s, e))
                if g is not None and _group_phrase(g.group()):
                    role = rules.Span(g.start(), g.end(), g.group())
            if role is not None and not registry.is_ignored(role.text) \
                    and not _overlaps(doc.taken(fld), role.start, role.end):
                doc.mentions.append(Mention(fld, role.start, role.end, role.text, "role", None, "role",
                                            ROLE_CONFIDENCE))


def partners(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """"DFP supported Jonction to document ...", "W4D supported community water committees to measure
    ...": the partner the programme enabled, named by a capitalised name or a role phrase, where no
    earlier finder named it."""
    fld = "contribution_programme"
    text = doc.fields.get(fld)
    if not text:
        return
    for s, e in rules.enabled_partners(text):
        for m in [m for m in doc.mentions if m.field == fld and m.source == "rule" and s <= m.start and m.end <= e]:
            j = re.search(r"\s(?:and|&)\s+(?:the\s+)?(?=[A-Z])", m.text)  # "supported X and Y Network to ...": two
            if j and "," not in m.text and len(m.text[j.end():].split()) >= 2 \
                    and all(w[:1].isupper() for w in m.text[j.end():].split()) \
                    and _named_alone(m.text[j.end():].split()):
                # (not "Foundation for Peace and Development Advocates": a portfolio after the "and")
                old_end = m.end
                m.end = m.start + j.start()
                m.text = text[m.start:m.end]
                doc.mentions.append(Mention(fld, m.start + j.end(), old_end, text[m.start + j.end():old_end], "rule",
                                            method=m.method))
        if _overlaps(doc.taken(fld), s, e):
            continue
        if text[s:s + 1].isupper():
            # "supported X, Y and Z to ...": each partner on its own
            for part in re.finditer(r"(?:(?!,\s|\s(?:and|&)\s).)+", text[s:e]):
                ps, pe = s + part.start(), s + part.end()
                words = text[ps:pe].split()
                if not words or len(words) > 6 or not words[0][:1].isupper() \
                        or not all(w[:1].isupper() or w in rules.CONNECTORS or w == "the" for w in words):
                    continue
                cs, ce = _clean_span(text, ps, pe)
                name = text[cs:ce]
                if ce - cs < 3 or registry.is_ignored(name) or _is_place(doc, gazetteer, name) \
                        or rules._ACRONYM.fullmatch(name) or name.split()[0] in rules.LEADING_STOP \
                        or _overlaps(doc.taken(fld), cs, ce):
                    continue
                doc.mentions.append(Mention(fld, cs, ce, name, "rule", method="partner"))
        else:
            role = rules.role_group_at(text, s)
            if role is not None and not registry.is_ignored(role.text):
                doc.mentions.append(Mention(fld, role.start, role.end, role.text, "role", None, "partner",
                                            ROLE_CONFIDENCE))


def apposed(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """A part of the "rule" finder: names an organisation noun stands beside ("the NGO Erdem Tusgal", "Nodi o Jibon, a local NGO"):
    organisations whose names carry no organisation word, in any language."""
    for fld, text in doc.fields.items():
        nouns: list[tuple[int, int]] = []
        for c in rules.apposed_names(text, doc.taken(fld), nouns):
            if registry.is_ignored(c.text) or _is_place(doc, gazetteer, c.text) or c.text.split()[0] in _MONTHS:
                continue
            doc.mentions.append(Mention(fld, c.start, c.end, c.text, "apposition", method="rule"))
        # "the Wayuu women's organisation Sütsüin Jieyuu Wayuu": the noun phrase before the name says what
        # it is; no later finder takes it for an actor of its own
        doc.blocked += [(fld, s, e) for s, e in nouns]


def acronyms(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """Words written like acronyms (KHRC, GWED-G, JA!), resolved later by what the fragment teaches."""
    for fld, text in doc.fields.items():
        doc.mentions += [Mention(fld, a.start, a.end, a.text, "acronym", None, "acronym", 0.9)
                         for a in rules.acronym_spans(text, doc.taken(fld))]


FINDERS: dict[str, Callable[[FragmentDoc, Registry, Gazetteer], None]] = {
    "registry": registry_matches,
    "programme": programme_phrases,
    "rule": org_names,
    "entity": entities,
    "subject": subjects,
    "role": role_phrases,
    "partner": partners,
    "acronym": acronyms,
}
