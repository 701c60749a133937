"""Where a found name begins and ends: shared by the finders (a span cleaned of leading words and
trailing places, a rule's name completed by an entity or a subject, a name split at a second one)."""

from __future__ import annotations

import re

from .. import rules
from ..rules.joins import ENGLISH_COMPLEMENT, ROMANCE_COMPLEMENT
from ..doc import FragmentDoc, Mention
from ..places import Gazetteer
from ..registry import Registry

MONTHS_WRITTEN_OUT = frozenset(rules.names.MONTH_NAMES)
MONTHS = MONTHS_WRITTEN_OUT | rules.names.MONTH_ABBREVIATIONS


def a_date(name: str) -> bool:
    """A name that starts with a month ("March 2025", "Mar 2025"), not one whose first word only spells a
    month's abbreviation ("Mar de Cambados": "mar" is the sea)."""
    words = name.split()
    return bool(words) and words[0] in MONTHS and (len(words) == 1 or words[0] in MONTHS_WRITTEN_OUT
                                                    or words[1][:1].isdigit())



# the last word of an event or a document, not of an organisation ("Digital Training Workshop")
NOT_ORG_LAST = rules.DOC_WORDS | frozenset("""Workshop Workshops Training Trainings Conference Meeting Meetings Summit
Dialogue Session Sessions Hearing Hearings Campaign Day Week Festival Exhibition Fair Award Prize Survey Study
Programme Program Project""".split())


def lists_a_place(doc: FragmentDoc, gazetteer: Gazetteer, name: str) -> bool:
    """A comma in ``name`` and a place among its parts: a list that names places ("including Garissa, Kisumu", a
    note's "Pikit, Cotabato"), no organisation; or places only, joined by "and" ("Usulután and La Unión": not a
    union, though "Unión" ends it; but "Kisumu and Nakuru Water Company" is a company)."""
    return ("," in name and any(is_place(doc, gazetteer, p.strip()) for p in name.split(","))) \
        or (" and " in name and all(is_place(doc, gazetteer, p.strip()) for p in name.split(" and ")))


def is_place(doc: FragmentDoc, gazetteer: Gazetteer, name: str) -> bool:
    """A name the gazetteer knows as a place of the fragment's countries: a place, not an actor."""
    countries = doc.countries()
    return any(p.country in countries or p.is_country for p in gazetteer.candidates(name, countries))


_PLACE_LABELS = ("GPE", "LOC", "FAC")


def overlaps(spans: list[tuple[int, int]], s: int, e: int) -> list[int]:
    return [i for i, (a, b) in enumerate(spans) if a < e and s < b]


# The definite articles of French, Spanish, Portuguese, Italian and German: not a part of a group's or a
# body's name ("Os Conselhos Comunitários de Pesca"), but of some names of one word ("El Colombiano") or
# without a complement ("La Via Campesina"); :func:`_article_ahead` tells them apart.
_ARTICLE = re.compile(r"(?:[Ll]es|[Ll]as|[Ll]os|[Ll]e|[Ll]a|[Ee]l|[Oo]s|[Aa]s|[Ii]l|[Gg]li|[Dd]ie|[Dd]er)\s+")


_ARTICLE_COMPLEMENT = re.compile(r"\s(?:de|du|des|del|da|do|dos|das|di|of|pour|para|d['’]\w)", re.I)


def _article_ahead(rest: str) -> bool:
    """The phrase after a leading article is a group or a body: two words or more, and a lower-case first word
    ("associations d'usagers"), a complement ("Juntas Administradoras de Agua", "Préfet du Département de
    l'Océan") or a head word that opens names; not "Los Angeles Times"."""
    words = rest.split()
    if len(words) < 2:
        return False
    # (or a head word of bodies first: "La Fundación Heifer Ecuador"; not "La Via Campesina", "Le Monde")
    return words[0][:1].islower() or bool(_ARTICLE_COMPLEMENT.search(rest)) or words[0] in rules.PREFIX_HEADS


def clean_span(text: str, s: int, e: int) -> tuple[int, int]:
    """Without a leading article, a trailing possessive / punctuation or a bracketed acronym."""
    m = re.match(r"(?:and|or|&)\s+(?=(?:the|a|an)\s)", text[s:e])
    if m:
        s += m.end()  # ("and the fisheries cooperative societies": a phrase the parse began at its conjunction)
    m = re.match(r"(?:the|The|a|an|Ang\s+mga|Ang)\s+|[\w’'-]+-(?:based|led|run|owned|funded)\s+(?=[A-Z])|"
                 r"[Ll]['’](?=[A-ZÀ-ÝĀ-Ž])", text[s:e])
    if m:
        s += m.end()  # "the", "Ngaoundéré-based", French "L'" ("L'Inspection de ..."): not a part of the name
    m = _ARTICLE.match(text, s, e)
    if m is None:
        # Portuguese "O" before a capitalised name ("O Observatório Cidadão"): never a word of a name
        m = re.match(r"O\s+(?=[^\W\d_a-z])", text[s:e])
        if m:
            s += m.end()
            m = None
    if m and _article_ahead(text[m.end():e]):
        s = m.end()  # "Las Juntas Administradoras de Agua", "les associations d'usagers", "Le Préfet du ..."
    i = text.find(" (", s, e)
    if i > s:
        e = i
    while e > s and text[e - 1] in " .,;:)('’\"":
        e -= 1
    if text[s:e].endswith(("'s", "’s")):
        e -= 2
    month = _MONTH_AFTER_NAME.search(text, s, e)
    if month is not None and len(text[s:month.start()].split()) >= 2:
        e = month.start()  # "Bergama Kadın Kooperatifi Ağustos 2024'te ...", "... ng Bay noong Hunyo 2024": a date
    return s, e


# a month (in any language the date leads know) at the end of a name, after a word of the name that is no joining word
# ("Madres de Plaza de Mayo" keeps its month), or after Tagalog "noong" ("when, in")
_MONTH_AFTER_NAME = re.compile(rf"(?:\s+noong|(?<=[^\W\d_]{{3}})(?<!\bde)(?<!\bdel)(?<!\bof))\s+"
                               rf"(?i:{rules.sentence_parts._MONTH})$")


_ROMANCE_OF = frozenset("de du des del da do dos das".split())
_ENGLISH_SMALL = frozenset("and or of the in for with to on at by from its their his her".split())


def complete_name(doc: FragmentDoc, fld: str, text: str, s: int, e: int, source: str, registry: Registry) -> bool:
    """A span that covers exactly one earlier rule/acronym mention and only adds capitalised words to it
    (no "and" joining two names) completes that mention; returns True when the span was used."""
    mine = [m for m in doc.mentions if m.field == fld and m.start < e and s < m.end]
    if len(mine) > 1 and _one_name_in_parts(doc, fld, text, s, e, mine, source, registry):
        return True
    if len(mine) != 1:
        return False
    m = mine[0]
    if m.source not in ("rule", "acronym", "entity") or not (s <= m.start and m.end <= e) \
            or (s, e) == (m.start, m.end) or any(f == fld and a < e and s < b for f, a, b in doc.blocked):
        return False
    extra = (text[s:m.start] + " " + text[m.end:e]).split()
    # ("Save the Children": "the" inside a name, before the recogniser's part of it)
    # (not after a time or a leading word: "Since May the X")
    if text[s:m.start].endswith(" the ") and len(text[s:m.start].split()) >= 2 \
            and not any(w in rules.LEADING_STOP or w in MONTHS for w in text[s:m.start].split()):
        extra = [w for w in extra if w != "the"]
    # ("Fiscalía Especial de Protección a Defensores ...", "Viši sud u Beogradu": joining words of a name in
    # another language)
    # ("Conseil départemental de Kolda", "Comisión provincial de Aguas": a name in a language whose adjectives follow
    # the noun in lower case, with that language's "of")
    romance = any(w in _ROMANCE_OF or w[:2] in ("d'", "d’") for w in extra)
    if any(w in ("and", "&", ",") or not (w[:1].isupper() or w in rules.CONNECTORS or w in ("a", "u", "i")
                                          or (romance and w.isalpha() and w not in _ENGLISH_SMALL))
           for w in extra) \
            or registry.is_ignored(text[s:e]):
        return False
    m.start, m.end, m.text, m.source, m.method = s, e, text[s:e], source, source
    return True


# words that join two names, not the words of one ("X and Y", "X y Y")
_AND = frozenset("and & et y e i und or ou o dan ve dhe".split())


def _one_name_in_parts(doc: FragmentDoc, fld: str, text: str, s: int, e: int, mine: list, source: str,
                       registry: Registry) -> bool:
    """A name the recogniser cut in two or more at its joining words ("Agency" + "Prevention of Corruption" in "the
    Agency for the Prevention of Corruption"), that the subject's phrase ``s:e`` holds whole: one mention again, when
    the parts are the recogniser's or the rules' and every word between them joins a name's words ("for the", "of",
    "de"); True when merged."""
    if any(m.source not in ("rule", "entity") or not (s <= m.start and m.end <= e) for m in mine) \
            or any(f == fld and a < e and s < b for f, a, b in doc.blocked) or registry.is_ignored(text[s:e]):
        return False
    mine = sorted(mine, key=lambda m: m.start)
    gaps = [text[a.end:b.start] for a, b in zip(mine, mine[1:])] + [text[s:mine[0].start], text[mine[-1].end:e]]
    words = " ".join(gaps).split()
    if any((w not in rules.CONNECTORS and w not in ("the", "la", "le", "el", "les", "los", "las")) or w in _AND
           for w in words) \
            or not text[s:e][:1].isupper() or not all(g.strip() for g in gaps[:len(mine) - 1]):
        return False
    doc.mentions = [m for m in doc.mentions if m not in mine]
    doc.mentions.append(Mention(fld, s, e, text[s:e], source, method=source))
    return True


def named_alone(words: list[str]) -> bool:
    """Capitalised words after an "and" inside a name that name an organisation of their own: a head word, or
    three words or more ("Fenix Humanitarian Legal Aid"); not a portfolio of one or two ("Aquatic Resources",
    "Development Advocates")."""
    return len(words) >= 3 or any(rules.is_head(w) for w in words)


def split_at_second_name(doc: FragmentDoc, fld: str, text: str, s: int) -> bool:
    """A name the parse or the recogniser starts right after the "and" inside a rule's name: two names
    ("Sisters of Hope Health Services and Kundiawa Catholic Health Services"); returns True when split."""
    for m in doc.mentions:
        if m.field == fld and m.source == "rule" and m.start < s < m.end:
            if rules.defines_acronym(text, m.start, m.end):
                return False  # "Instituto de Ciencia y Tecnología Agrícolas (ICTA)": the bracket says it is one
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
            # (a head word inside the first part's complement, and a second part that names nothing of its own after an
            # English "and": portfolios, "Ministry of Local Government and Rural Development")
            portfolio = english_and and any(w in rules.COMPLEMENT_START for w in first[1:]) and not named_alone(second)
            # (an English "and" after a name in French, Spanish or Portuguese joins a second name, not a portfolio,
            # which would be joined in the name's own language: "the Banque Tunisienne de Solidarité and Enda Tamweel")
            switched = english_and and any(w in ROMANCE_COMPLEMENT for w in first[1:]) \
                and not any(w in ENGLISH_COMPLEMENT for w in first) and all(w[:1].isupper() for w in second)
            if switched:
                portfolio = False
            # ("Cooperativa de Ahorro y Crédito Sumak Kawsay", "Secretaría de Agua y Saneamiento": after "y", "e" or "et"
            # the second part of a name in its own language is a second name only where it opens with a head word)
            if not english_and and not rules.is_head(second[0]):
                return False
            if not (switched or (rules.is_head(first[-1]) and not portfolio) or (any(w in rules.COMPLEMENT_START for w in first)
                    and not first[-1].endswith(",") and "," not in text[m.start:s]  # a list of portfolios
                    and len(second) >= 2 and all(w[:1].isupper() for w in second)
                    and (not english_and or named_alone(second)))):
                return False
            old_end = m.end
            m.end = m.start + j.start()
            m.text = text[m.start:m.end]
            doc.mentions.append(Mention(fld, s, old_end, text[s:old_end], "rule", method=m.method))
            return True
    return False


# "... de Angoche e Moma", "... of Man, Danané and Touba": a list of places after a group's name
_PLACE_LIST = re.compile(r" (?:de|of|du|des|da|do|del) (?P<first>[A-ZÀ-ÝĀ-Ž][\w'’-]*(?: [A-ZÀ-ÝĀ-Ž][\w'’-]*)?)"
                         r"(?:(?:,| e| y| et| and| i) [A-ZÀ-ÝĀ-Ž][\w'’-]*(?: [A-ZÀ-ÝĀ-Ž][\w'’-]*)?)+$")


def without_places(doc: FragmentDoc, gazetteer: Gazetteer, text: str, s: int, e: int) -> int:
    """Where a plural group's name ends before the list of places it is "of" ("Os Conselhos Comunitários de
    Pesca de Angoche e Moma": the councils of two places, each a place of its own), else ``e``. The list's
    first member must be a place of the fragment's countries."""
    first = text[s:e].split(" ", 1)[0]
    if not (first.endswith("s") or first[:1].islower()):
        return e
    m = _PLACE_LIST.search(text, s, e)
    if m is None or m.start() - s < 3 or not is_place(doc, gazetteer, m.group("first")):
        return e
    return m.start()


# a place's possessive before a body ("Jordan's Ministry of Education", "Herat's provincial public health
# directorate"): whose body it is, not a part of its name
_PLACE_POSSESSIVE = re.compile(r"(?P<place>[A-ZÀ-ÝĀ-Ž][\w-]*(?: [A-ZÀ-ÝĀ-Ž][\w-]*){0,2})['’]s\s+(?=\w)")


def without_place_possessive(doc: FragmentDoc, gazetteer: Gazetteer, fld: str, text: str, s: int, e: int) -> int:
    """Where a name at ``s:e`` starts after a possessive of a place of the fragment's countries, else ``s``; the
    possessive is blocked, so that no later finder puts it back."""
    m = _PLACE_POSSESSIVE.match(text, s, e)
    if m is None or m.end() >= e or re.search(r"\b[A-Z][a-z]{0,3}\.\s*$", text[max(0, s - 6):s]) \
            or not is_place(doc, gazetteer, m.group("place")):
        return s  # (not a saint's name: "St. Andrew's Refugee Services")
    doc.blocked.append((fld, m.start(), m.end()))
    return m.end()


# a body's post in a country, whose name says which ("European Union Delegation to Sierra Leone", "ILO Country Office
# for Nepal", "Misión de Verificación de las Naciones Unidas en Colombia", "United Nations Mission in South Sudan"):
# the country is a part of the name. (Not a town: "the Environmental Defenders Office in Perth" is labelled as the
# office and the town as often as "the OSCE Programme Office in Astana" as one name: tuned sets lost three places.)
_POST_HEADS = frozenset("Office Delegation Mission Presence Embassy Consulate Representation Verificación "
                        "Délégation Delegación Misión".split())
_POST_PLACE = re.compile(r" (?:in|to|for|en|au|à|em) (?P<place>[A-ZÀ-ÝĀ-Ž][\w'’-]*(?: [A-ZÀ-ÝĀ-Ž][\w'’-]*){0,2})")


def with_post_place(doc: FragmentDoc, gazetteer: Gazetteer) -> None:
    """A mention whose last word (or, in a Romance name, a word of it) is a post ("Office", "Delegation",
    "Mission") takes the country after "in", "to", "for" or "en", when no other mention holds it."""
    for m in doc.mentions:
        words = m.text.split()
        if not words or not (words[-1] in _POST_HEADS or (words[0] in _POST_HEADS and len(words) > 2)):
            continue
        text = doc.fields.get(m.field, "")
        p = _POST_PLACE.match(text, m.end)
        if p is None or any(o is not m and o.field == m.field and o.start < p.end() and m.end < o.end
                            for o in doc.mentions):
            continue
        place = p.group("place")
        while place and not _a_country(gazetteer, place):
            place = place.rsplit(" ", 1)[0] if " " in place else ""
        if place:
            m.end = p.start("place") + len(place)
            m.text = text[m.start:m.end]


def _a_country(gazetteer: Gazetteer, name: str) -> bool:
    return any(p.is_country for p in gazetteer.candidates(name))
