"""Places read from their context, for names no gazetteer lists: a unit word after or before them ("Kailali
district", "the villages of Haharu"), people or bodies "in" / "from" them, residents "of" them, lists
after a locative word; each checked against organisations' names, features and languages
(:mod:`.words`), and given one node per name and country (:func:`context_place`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..rules import PERSON_HEADS as _PERSON_HEADS
from ..rules import REGIONS as _REGIONS
from ..rules.names import MONTH_NAMES
from .words import (
    _CONTEXT_STOP, _FEATURE, _GAP, _NAME, _UNIT_CAPITAL, _UNIT_WORDS, _WRITTEN_LANGUAGES, _feature_or_name, _is_language,
    _is_major_language, _slug, fold, spoken_in,
)
from .gazetteer import Gazetteer, Place

_UNIT_AFTER = re.compile(rf"(?P<names>{_NAME}(?:{_GAP}{_NAME})*)\s+(?P<unit>{_UNIT_WORDS}|{_UNIT_CAPITAL})(?![\w-])")

# lower case only: "the Department of Education" is an organisation, "the villages of Haharu" a place
# ("the flood zone of the Ba River", "municipalities of the Transamazônica": a river, a highway)
_UNIT_OF = re.compile(rf"\b(?:{_UNIT_WORDS})\s+of\s+(?P<names>{_NAME}(?:{_GAP}{_NAME})*)")

# settlements and neighbourhoods below a town, in lower case before "of" and the names ("the bairros of Praia Nova,
# Munhava and Chipangara", "the communities of El Naranjo and Las Cruces", "5 suco, include Ma'abat")
# (an English word of these before one name is not enough: "the communities of Practice"; a list of names is)
_SETTLEMENTS_OF = re.compile(rf"\b(?:(?P<local>bairros?|barrios?|sucos?|cantones|quartiers?|colonias?|katchi\s+abadis|"
                             rf"bastis|aldeias|aldeas|comunidades|veredas|fokontany)|neighbou?rhoods|communities|"
                             rf"sections|slums|localities|hamlets|sub-?locations)\s+of\s+(?P<names>{_NAME}(?:{_GAP}{_NAME})*)")

_UNIT_BEFORE = re.compile(rf"\b(?:(?:villages|districts|wards|towns|communes|islands|municipalities|upazilas|woredas|"
                          rf"provinces|counties)\s+|(?:Kabupaten|Kecamatan|Desa|Kampung|Kelurahan|Provinsi)\s+|"
                          rf"(?:municipio|provincia|departamento|distrito|comuna|município|concelho|commune|wilaya)"
                          rf"\s+(?:de|du|of)\s+)(?P<names>{_NAME}(?:{_GAP}{_NAME})*)")

_FOREIGN_UNIT = re.compile(r"Kabupaten|Kecamatan|Desa|Kampung|Kelurahan|Provinsi|municipio|provincia|departamento|"
                           r"distrito|comuna|município|concelho|commune|wilaya")

_ANY_UNIT = re.compile(rf"\b(?:{_UNIT_WORDS}|{_UNIT_CAPITAL})(?![\w-])")

_COMPASS_WORDS = ("North", "South", "East", "West", "Central")

_IN_COMPASS = re.compile(rf"\b(?:in|at|from|across|throughout)\s+(?:the\s+)?(?P<name>(?:North|South|East|West|Central)"
                         rf"(?:ern)?[- ](?:{_NAME}))")

_CONTINENTS = frozenset("Africa Asia Europe America Americas Pacific Caribbean Mediterranean Sahel Balkans".split())

_LIST_NEXT = re.compile(rf"{_GAP}(?P<name>{_NAME})")

_LIST_BEFORE = re.compile(rf"\b(?:in|at|from|between|of)\s+(?P<name>{_NAME}){_GAP}$")

_ONE_NAME = re.compile(_NAME)


# a kind of land, not a named place ("at the Coast", "in the Highlands")
_GENERIC_GEO = frozenset("""coast highlands lowlands delta valley basin plateau mountains hills desert savannah lake
river border capital north south east west centre center interior hinterland mainland islands region gulf""".split())

# a unit word followed by one of these heads an organisation ("Kiteto District Council", "Homa Bay County
# Assembly"): the name before it is not said to be a place there
_ORG_AFTER = re.compile(r"\s+(?:[A-Z][\w'’-]*\s+){0,2}?(?:Council|Assembly|Office|Court|Government|Administration|"
                        r"Authority|Hospital|Committee|Commission|Board|Executive|Education|Health|Development|"
                        r"Association|Network|Forum|Parishad|Corporation|Secretariat|Department|Police)\b")


_COMPASS = r"(?:North|South|East|West|Central|Upper|Lower)(?:ern)?(?:[- ](?:North|South|East|West)(?:ern)?)?"


_IN = re.compile(r"\b(?:in|at|from|near|around|outside|inside|across|throughout|within)\s+(?:the\s+)?$", re.I)


# a range of months ("May-Aug", "Jan–Mar"): a time, not a place listed after places (a month by its first three
# letters, written out or cut short)
_MONTH = rf"(?:{'|'.join(m[:3] for m in MONTH_NAMES)})[a-z]*\.?"
_MONTH_RANGE = re.compile(rf"{_MONTH}(?:\s*[-–/]\s*{_MONTH})+")
_MONTH_LEAD = re.compile(rf"{_MONTH}(?![^\W\d])")  # "Mar-25", "Sept 2024"


def _unit_case(unit: str) -> bool:
    """A unit word as written: lower case (any unit), or one of the capitalised ones."""
    return unit[:1].islower() or re.fullmatch(_UNIT_CAPITAL, unit) is not None


def _names_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The names of a list ("Siraha and Saptari", "Penal, Barrackpore and Woodland"), each without the
    capitalised words that start a sentence or a clause ("In Kailali" → "Kailali")."""
    out = []
    for m in _ONE_NAME.finditer(text, start, end):
        s, e = m.start(), m.end()
        words = list(re.finditer(r"\S+", text[s:e]))
        k = 0
        while k < len(words) and words[k].group().lower().strip(",") in _CONTEXT_STOP:
            k += 1
        if k == len(words):
            continue
        s += words[k].start()
        out.append((s, e))
    return out


# a number after the name: a numbered place ("Comuna 13", "Area 25", "Zone 4") is its whole name, whose word alone
# names no place (round 16b: the whole name or nothing; the labels hold no numbered place, so nothing)
_NUMBERED = re.compile(r" \d+(?![\d,.]\d)(?![\w-])")


def context_places(text: str, country: str, skip: Sequence[tuple[int, int]] = (),
                   known: Sequence[tuple[int, int]] = (), is_country=lambda name: False,
                   hints: Sequence[tuple[int, int]] = (), groups: Sequence[tuple[int, int]] = (),
                   guesses: Sequence[tuple[int, int]] | None = None,
                   abroad=lambda name: False) -> list[tuple[int, int]]:
    """Spans of ``text`` that the text itself says are places of ``country``: names before a unit word
    ("Kailali district", "Nyamagabe and Nyaruguru districts"), after a unit word and "of" ("the health
    districts of Busoni and Gashoho"), and names listed with a place already ``known`` after a locative
    word ("in Mikumi and Malolo", "at Arguineguín and La Restinga"), and the places the language
    pipeline saw (``hints``: GPE, LOC, FAC) after a locative word ("in Ntaja"). Outside ``skip`` (organisation
    names) and ``known``; country names (``is_country``) and the peoples, faiths and nationalities the
    pipeline saw (``groups``, NORP: "the Rohingya camps") are left out. Where ``guesses`` is given (the
    outcome's fields; not a body's own words), also any name alone after a locative word ("at the health centre
    in Lalogi", "the reef flats of Darawa") outside every actor's name, the finders' guesses that contribute
    (``guesses``) included, and not a place the bundled gazetteer knows only in another country (``abroad``:
    "the session in Bonn")."""
    if not country:
        return []
    found: dict[tuple[int, int], None] = {}

    def free(s: int, e: int, longer: bool) -> bool:
        """Outside ``skip``; outside ``known`` too, except (``longer``) a name that holds a known one."""
        return not any(a < e and s < b for a, b in skip) and not any(
            a < e and s < b and not (longer and s <= a and b <= e and (a, b) != (s, e)) for a, b in known)

    def add(s: int, e: int, longer: bool = True, shortest: int = 3, unit: bool = False, listed: bool = False,
            spoken: bool = False) -> None:
        while e > s and text[e - 1] in ".’'":
            e -= 1
        name = text[s:e]
        if e - s >= shortest and free(s, e, longer) and not name.isupper() and not is_country(name) \
                and (listed or not any(a <= s and e <= b for a, b in groups)) \
                and name not in _REGIONS and (unit or not _is_language(name)) and name.lower() not in _CONTEXT_STOP \
                and name.lower() not in _GENERIC_GEO and not _feature_or_name(text, s, e) \
                and _MONTH_RANGE.fullmatch(name) is None \
                and not (_ENGLISH_SUFFIX.search(name) and re.search(r"(?:^|[.!?:]\s+|\n)$", text[max(0, s - 3):s])) \
                and _NUMBERED.match(text, e) is None \
                and not (spoken and spoken_in(text, s, e)):  # (``spoken``: last, it costs most)
            found[(s, e)] = None

    # cheap pre-checks: most texts hold no unit word (542 of 750 dev field texts, 2026-11-30) and no
    # compass word; the name-led patterns cost ~75 us a text, the unit word alone ~13 us
    units = _ANY_UNIT.search(text) is not None
    for m in _UNIT_AFTER.finditer(text) if units else ():
        unit = m.group("unit")
        if not _unit_case(unit) or _ORG_AFTER.match(text, m.end()):
            continue
        names = _names_in(text, m.start("names"), m.end("names"))
        plural = unit.lower().endswith("s") and not unit.lower().endswith(("ss", "us", "is"))
        if unit[:1].isupper() and names and len(text[names[-1][0]:names[-1][1]].split()) > 2:
            continue  # "Nueva Valencia Water District": a utility; a capitalised unit ends short names only
        if names and (unit.lower().startswith(("sub-region", "subregion")) or unit[:1].isupper() and (
                unit.startswith("Island") or re.fullmatch(
                _COMPASS, text[names[-1][0]:names[-1][1]]))):
            # "Canary Islands", "Western Division", "Southern Province", "Ankole sub-region": the unit word
            # is a part of the name
            names[-1] = (names[-1][0], m.end("unit"))
            plural = False
        for s, e in names if plural else names[-1:]:
            # a list before a plural unit word ("Nyamagabe and Nyaruguru districts") is a list of places,
            # whatever the recogniser made of a member; a single name may be a people ("the Rohingya camps")
            add(s, e, shortest=2, unit=True, listed=plural and len(names) > 1)  # "Ba Province"; "Suba sub-county" (Suba: also a language)
    for m in _UNIT_OF.finditer(text) if units else ():
        for s, e in _names_in(text, m.start("names"), m.end("names")):
            if not _ORG_AFTER.match(text, e):
                add(s, e, unit=True)
    for m in _SETTLEMENTS_OF.finditer(text) if " of " in text else ():
        listed = _names_in(text, m.start("names"), m.end("names"))
        for s, e in listed if m.group("local") or len(listed) > 1 else ():
            if not _ORG_AFTER.match(text, e) and not _ORG_WORD.search(text[s:e]):
                add(s, e, unit=True)
    # a unit word right before the names: a plural one ("villages Kiobo and Raviravi"), one of Indonesia
    # ("Kabupaten Sikka"), or a foreign one with its "de" ("municipio de Tovar"); not an organisation's words
    for m in _UNIT_BEFORE.finditer(text) if units or _FOREIGN_UNIT.search(text) else ():
        for s, e in _names_in(text, m.start("names"), m.end("names")):
            if not _ORG_AFTER.match(text, e) and not _ORG_WORD.search(text[s:e]):
                add(s, e, unit=True)
    # a direction and a name after a locative word: a region ("in East Lombok", "in Eastern Visayas")
    for m in _IN_COMPASS.finditer(text) if any(w in text for w in _COMPASS_WORDS) else ():
        names = _names_in(text, m.start("name"), m.end("name"))
        if names and names[0][0] == m.start("name") and text[names[0][0]:names[0][1]].split()[-1] not in _CONTINENTS:
            add(*names[0])
    # people or bodies "in" / "from" / "of" a name ("women in Aït Baha", "traders from Ekwendeni", "the schools of
    # Koumantou and Garalo"): where they are, whatever the recogniser made of it
    for m in _PEOPLE_AT.finditer(text):
        who = _PEOPLE_BEFORE.search(text, max(0, m.start() - 40), m.start())
        if who is None or m.group("prep") == "of" and not _RESIDENTS.fullmatch(who.group("who").lower()):
            continue
        for s, e in _names_in(text, m.start("names"), m.end("names")):
            if not re.match(r"\s*(?:[A-ZÀ-ÝĀ-Ž]|['’]s\b|\()", text[e:e + 3]) and not _ORG_WORD.search(text[s:e]) \
                    and not _NOT_A_TOWN_WORD.search(text[s:e]):
                add(s, e, longer=False, spoken=True)
    # what the language pipeline took for a place, after a locative word ("in Ntaja", "at Lanet")
    for a, b in hints:
        if _IN.search(text[max(0, a - 20):a]) and text[a:a + 1].isupper() and not _is_language(text[a:b]) \
                and not spoken_in(text, a, b):
            names = _names_in(text, a, b)
            if len(names) == 1 and names[0][1] == b and not _ATTRIBUTIVE.match(text, b) \
                    and not _FACILITY.search(text[a:b]):
                s, e = names[0]
                unit = re.search(rf"\s+(?:{_UNIT_CAPITAL})$", text[s:e])
                if unit and not re.fullmatch(_COMPASS, text[s:s + unit.start()]) and "Island" not in unit.group():
                    e = s + unit.start()  # "in Ba Province": Ba
                add(s, e, longer=False, shortest=2)
    # a name alone after a locative word ("a monthly disability day at the health centre in Lalogi", "sold at
    # Linthipe and Mitundu"): a place, unless a name, a language, a people, a facility or a day says otherwise
    for m in _LOCATIVE_NAME.finditer(text) if guesses is not None else ():
        if _CAPITAL_BEFORE.search(text, max(0, m.start() - 30), m.start()) \
                or _MEMBERS_OF.search(text, max(0, m.start() - 30), m.start()):
            continue  # "Communities United in Action", "the Officer in Charge": inside a name
        for s, e in _names_in(text, m.start("names"), m.end("names")):
            lead = _UNIT_LEAD.match(text, s, e)
            if lead:
                s = lead.end()  # "in Barangay Didipio", "of Brgy. Pancol": Didipio, Pancol
            if text[s:e].lower() in _PERSON_HEADS:
                continue  # "Letter of Governor": an office, no place
            if re.match(r"\s*(?:[A-ZÀ-ÝĀ-Ž]|['’]s\b|\()", text[e:e + 3]) or _ATTRIBUTIVE.match(text, e) \
                    or re.search(r"&\s*$", text[max(0, s - 3):s]) or re.search(r"\b[A-Z]{2,}\b", text[s:e]) \
                    or abroad(text[s:e]) \
                    or _ORG_WORD.search(text[s:e]) or _NOT_A_TOWN_WORD.search(text[s:e]) \
                    or _FACILITY.search(text[s:e]) or any(a < e and s < b for a, b in guesses) \
                    or _ADJECTIVE.fullmatch(text, s, e) or _SUM_AFTER.match(text, e) or _MONTH_LEAD.match(text, s, e):
                continue
            # (a minor language's name is a place here, "in Angoche and Moma", "in Bo and Kenema": ISO 639-3 names
            # thousands of languages after their towns, the short names nearly all so; a major one's or a longer one's
            # is not, "in Hausa", "in Mende", "in Zapotec")
            major = _is_major_language(text[s:e]) or fold(text[s:e]) in _WRITTEN_LANGUAGES
            if not spoken_in(text, s, e, by_name=major or e - s > 4):
                add(s, e, longer=False, listed=True, shortest=2, unit=not major)
    # a list that a known place is a member of: its other members are places too
    walked: set[int] = set()  # a list is walked once, not once a member (a long list was quadratic)
    for a, b in [*known, *found]:
        pos = b
        while pos not in walked:
            walked.add(pos)
            m = _LIST_NEXT.match(text, pos)
            if not m or _ORG_AFTER.match(text, m.end()) or re.match(r"\s+[A-Z]", text[m.end():m.end() + 2]):
                break
            names = _names_in(text, m.start("name"), m.end("name"))
            if len(names) != 1 or names[0][0] != m.start("name"):
                break
            add(*names[0], longer=False)
            pos = m.end()
        before = _LIST_BEFORE.search(text[max(0, a - 80):a])
        if before:
            off = max(0, a - 80)
            names = _names_in(text, off + before.start("name"), off + before.end("name"))
            if len(names) == 1:
                add(*names[0], longer=False)
    return sorted(found)


# a capitalised word that starts a sentence with an English noun's or a nationality's ending is that word
# ("Compensation settlements left ...", "Lebanese municipalities rarely ..."), not a place before a unit word
_ENGLISH_SUFFIX = re.compile(r"^[A-Z][a-z]+(?:tion|sion|ment|ness|ese|ism|ance|ence|ity|ship)$")


# people or bodies (a lower-case plural) "in" / "from" a name, or residents "of" it
# (the preposition first: a scan for a literal word costs a third of one for any plural word before it)
_PEOPLE_AT = re.compile(rf"(?<= )(?P<prep>in|from|of)\s+(?P<names>{_NAME}(?:{_GAP}{_NAME})*)")

_PEOPLE_BEFORE = re.compile(r"(?<![\w-])(?P<who>[A-Za-z][a-z'’-]+[a-rt-z]s|(?:[Pp]eople|[Cc]hildren|[Ww]omen|[Mm]en|[Yy]outh|"
                            r"[Pp]olice|[Ss]taff|[Pp]opulation))\s+(?:living\s+|based\s+|working\s+)?$")

# "of" a name: only who lives there and what stands there ("the families of X", "the schools of X"); the
# journalists "of" a name work for it
_RESIDENTS = re.compile(r"residents|inhabitants|families|households|villages|communities|schools|centres|centers|"
                        r"clinics|posts|fishers|fishermen|farmers|herders|pastoralists|people|population|women|men|"
                        r"children|girls|boys|youth|clans|associations|groups|cooperatives|committees|processors|traders|"
                        r"vendors|sellers|workers|teachers|midwives|elders|chiefs|leaders")

# a unit, a feature or an acronym's plural inside the name: the unit patterns read those ("in Ba Province")
_NOT_A_TOWN_WORD = re.compile(rf"\b(?:{_UNIT_CAPITAL}|{_FEATURE}|forest|Kabupaten|Kota|Kecamatan|Desa|Provinsi)\b|"
                              r"\b[A-Z]{2,}s\b")

_ORG_WORD = re.compile(r"\b(?:Parliament|Congress|Senate|Court|Cabinet|Government|Assembly|Council|Ministry|University|"
                       r"College|School|Hospital|Church|Bank|Company|Group|Union|Association|Foundation|Institute|"
                       r"Agency|Authority|Commission|Committee|Office|Department|Service|Services|Network|Forum|"
                       r"Radio|TV|News|Party|Project|Programme|Program|Fund|Trust|Society|Centre|Center)\b")


# a locative word and the names after it; one before it written with a capital is a part of a name
_LOCATIVE_NAME = re.compile(rf"(?<![\w-])(?:[Ii]n|[Aa]t|[Nn]ear|[Aa]round|[Ff]rom|(?<=[a-z] )of)\s+"
                            rf"(?P<names>{_NAME}(?:{_GAP}{_NAME})*)")
# who belongs to a body or what it makes, "of" its name ("journalists of TV Pirveli", "a letter of Kafo Jiginew")
_MEMBERS_OF = re.compile(r"\b(?:journalists|reporters|members|staff|defenders|activists|volunteers|employees|lawyers|"
                         r"paralegals|letters?|reports?|statements?|director|founders?|partners?|support|funding|clients|"
                         r"customers|beneficiaries|team|secretariat|products|services|programmes?|projects?)\s+$", re.I)
# (not an acronym: "the BHUs in Swat")
_CAPITAL_BEFORE = re.compile(r"(?:(?<=[\w,;:)] )|(?<=[(\"“‘]))[A-ZÀ-ÝĀ-Ž][a-zß-ÿ][\w'’-]*\s+$")

# a lower-case plural or "no." after the name: the name says what kind ("in Cambodian children", "in Tawjihi
# examinations", "from Dalit communities", "held in Penitentiary no. 7")
_ATTRIBUTIVE = re.compile(r"\s+(?:no\.|(?:children|people|women|men|youth|police|staff|population|territory|"
                          r"language|culture|descent|origin|nation|as\s+(?:a\s+)?language)\b|"
                          r"(?!(?:was|has|is|its|this|thus|plus|as|us|his|hers|ours|yours|theirs|across|less|unless|"
                          r"besides|towards|afterwards|always|perhaps|whereas|does|goes|becomes|gets)\b)"
                          r"[a-z][\w'’-]*[a-rt-z]s\b)")

_UNIT_LEAD = re.compile(r"(?:Brgy\.?|Barangay|Kabupaten|Kota|Kecamatan|Desa|Kampung|Kelurahan|Village|Town)\s+(?=[A-ZÀ-ÝĀ-Ž])")

# a building or a site named after its place ("at Maula Prison", "at Kamuzu Central Hospital"), or a storm
_FACILITY = re.compile(r"\b(?:Prison|Hospital|Clinic|School|Market|Airport|Station|Port|Mosque|Church|Cathedral|"
                       r"Stadium|Hall|Hotel|Camp|Barracks|Palace|House|Centre|Center|Hurricane|Cyclone|Typhoon|Storm|"
                       r"Opinion|Declaration|Convention|Act|Law|Decree|Plan|Strategy|Policy|Language)\b")

# a people's or a nation's adjective ("the Zimbabwean", "of Lambangian"); a sum of money ("of KSh 40,000")
_ADJECTIVE = re.compile(r"[A-Z][a-z]+(?:ean|ian|ese)")
_SUM_AFTER = re.compile(r"\.?\s*\d")


def context_place(gazetteer: "Gazetteer", name: str, country: str) -> Place:
    """The place a context names: the gazetteer's place of that name in ``country`` when it has one (so
    that one place has one node), else a new one, ``CC/slug``."""
    known = gazetteer.lookup(name, country)
    if known is None and re.search(r"['’]s$", name):
        # "Kassala's state veterinary department": the place's possessive, the place is Kassala (not "St. John's")
        known = gazetteer.lookup(name[:-2], country)
    if known is not None and known.country == country:
        return known
    return Place(f"{country}/{_slug(name)}", name, country, "", "context")
