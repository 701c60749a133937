"""What the words around a name say about it: the vocabulary of places (unit words, features, languages,
locative words) and the small judgements the gazetteer and the context places share (a locative word
before a name, a name inside a longer one, a place name that names something else here)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pycountry

_LOCATIVE = re.compile(r"\b(in|at|from|across|near|around|to|of|outside|between|and|neighbouring|neighboring|nearby|"
                       r"through|via|within|towards?|into|including|inside|throughout|de|en|em|del|do|da|no|na|"
                       r"à|dans|y|e|et)\s+(the\s+|la\s+|el\s+|los\s+|las\s+|le\s+|les\s+|o\s+|a\s+)?$", re.I)


@lru_cache(maxsize=1 << 16)  # pure; the registry's labels are folded again for every fragment
def fold(text: str) -> str:
    """Lower case without accents or curly apostrophes: the key names are compared by."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\s+", " ", t.replace("’", "'")).strip().lower()


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


# Administrative units and settlements, as English OH records write them after or before a place name
# ("Kailali district", "Nyamagabe and Nyaruguru districts", "the villages of Haharu", "Buseruka sub-county").
# Most places that dev and dev2 name and the gazetteer lacks (villages, wards, districts below the ISO
# 3166-2 level: 60 of 115 misses, 2026-11-30) are written so; the word tells that the name is a place.
_UNIT_WORDS = ("sub-?count(?:y|ies)|count(?:y|ies)|sub-?districts?|subdistricts?|districts?|wards?|parish(?:es)?|"
               "provinces?|sub-?regions?|regions?|zones?|woredas?|kebeles?|upazilas?|municipalit(?:y|ies)|communes?|"
               "villages?|towns?|townships?|camps?|settlements?|islands?|areas?|divisions?|soums?|compounds?|"
               "cantons?|governorates?|oblasts?|jamoats?|barangays?|localit(?:y|ies)|"
               "prefectures?|cercles?|chiefdoms?|atolls?|aimags?|rayons?|tehsils?|talukas?|"
               "mandals?|panchayats?|sectors?|departments?|states?")

# (not "neighbourhood", "valley", "river": OH records and their labellers do not count those as places)
# written with a capital, a unit word belongs to the name only in these ("Una-Sana Canton", "Western
# Division"); "European Union", "Islamic State", "Health Department" are not places
_UNIT_CAPITAL = ("District|Districts|County|Counties|Sub-County|Province|Region|Canton|Division|Municipality|"
                 "Governorate|Zone|Parish|Island|Islands|Ward|Woreda|Upazila|Camp|Settlement|Atoll")

_NAME_WORD = r"(?:St\.|Ste\.|Brgy\.|[A-ZÀ-ÝĀ-Ž][\w'’.\-]*[\w]|[A-Z]|(?:al|el|ad|as|ar|an)-[A-ZÀ-Ý][\w'’\-]*)"

_NAME = rf"{_NAME_WORD}(?:\s+(?:(?:de|del|da|do|dos|das|di|du|la|le|i|e|y|al|el)\s+)?{_NAME_WORD}){{0,4}}"

# "Mbita + Sori": notes written in haste join a list with "+"
_GAP = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+|\s*\+\s*)"


_CONTEXT_STOP = frozenset({w.lower() for w in ("The A An In On By At For With Through This That These Those Its "
                                               "Their His Her Our Both Each All Since After Before During Until "
                                               "From To Of And Or But When Where While Some Several Many Most Other "
                                               "January February March April May June July August September October "
                                               "November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec "
                                               "Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
                                               "Women Men Families Households Children Residents "
                                               "Community Communities Village Villages Rural Urban Local Indigenous "
                                               "Sub").split()})


# languages as records write them that ISO 639 names otherwise ("Sesotho": Southern Sotho, "Bangla": Bengali,
# "Ilocano": Iloko, "K'iche'": Kʼicheʼ), and the creoles and pidgins written by their common name
_LANGUAGES_AS_WRITTEN = ("Creole Kreyol Kreyòl Pidgin Patois Sesotho Setswana Sepedi Siswati Emakhuwa Makhuwa Tamazight "
                         "Amazigh Bangla Ilocano Ilokano Dholuo Luo K'iche K'iche' Q'eqchi Q'eqchi' Kaqchikel Mam Ixil "
                         "Tz'utujil Krio Kriol Bislama Tok Pisin Darija Dari Pashto Tigrinya Afaan Oromo Oromiffa "
                         "Kinyarwanda Kirundi Sango Lingala Tshiluba Kikongo Wayuunaiki Guarani Guaraní Quechua Aymara "
                         "Tetum Doteli Chavacano Cebuano Hiligaynon Waray Bikol Kapampangan Pangasinan").split()
_WRITTEN_LANGUAGES = frozenset(fold(w) for w in _LANGUAGES_AS_WRITTEN)


@lru_cache(maxsize=1)
def _languages() -> frozenset[str]:
    # "Swahili (macrolanguage)", "Mende (Sierra Leone)": the name as a text writes it
    return frozenset({fold(lang.name.split(" (")[0]) for lang in pycountry.languages}
                     | _WRITTEN_LANGUAGES)


@lru_cache(maxsize=1)
def _major_languages() -> frozenset[str]:
    # ISO 639-1 only: ISO 639-3 names thousands of languages after their towns ("Arua", "Sanggau", "Bălți")
    return frozenset(fold(lang.name.split(" (")[0]) for lang in pycountry.languages if hasattr(lang, "alpha_2"))


def _is_major_language(name: str) -> bool:
    return fold(name) in _major_languages()


def _is_language(name: str) -> bool:
    """"in English", "in Hindi": a language, which the pipeline's recogniser often takes for a place; with
    a Bantu language's prefix too ("Kiswahili", "Chichewa", "Luganda", "IsiZulu")."""
    k = fold(name)
    if k in _languages():
        return True
    bantu = re.match(r"(?:ki|chi|lu|isi|se|oshi)(?=[a-z]{4})", k)
    return bantu is not None and _is_major_language(k[bantu.end():])


# Words of speech and print: a name after "in" near one of them is a language ("broadcast messages in
# Fulfulde", "reading books in Emakhuwa", "operating manuals in Wayuunaiki"), not a place
_SPEECH = re.compile(r"\b(?:speak\w*|spoke\w*|broadcast\w*|aired|airs|translat\w+|interpret\w+|languages?|dubbed|"
                     r"subtitle\w*|printed|messages?|spots?|manuals?|books?|booklets?|leaflets?|materials?|"
                     r"lessons?|songs?|versions?|texts?|guides?|posters?|brochures?|pamphlets?|flyers?|videos?|"
                     r"podcasts?|newsletters?|summar(?:y|ies)|tongues?)\b", re.I)

_LIST_MEMBER = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)([A-Z][\w'’-]+)")


def names_a_language(name: str) -> bool:
    """``name`` is a language's name, as ISO 639 or a record writes it ("Quechua", "Sesotho", "Kiswahili")."""
    return _is_language(name)


def spoken_in(text: str, start: int, end: int, by_name: bool = True) -> bool:
    """The name at ``start:end`` is a language by its context: listed with a language ("in Swahili and
    Mashi"), or written after "in" that follows a word of speech or print ("reading books in Emakhuwa"),
    or with one after it in its clause ("in Wayuunaiki, with interpreters"); or a language's name
    after "in" ("in Mende"). "A radio show in Ntova" is a place.
    (The context places skip a language's name after "in" on their own; the entity finder asks this.)"""
    if by_name and _is_language(text[start:end]) and re.search(r"\bin\s+$", text[max(0, start - 4):start]):
        return True  # "aired the lists in Mende" (``by_name``: a language's name alone says so)
    after = _LIST_MEMBER.match(text, end)
    before = re.search(r"([A-Z][\w'’-]+)(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$", text[max(0, start - 40):start])
    if (after and _is_language(after.group(1))) or (before and _is_language(before.group(1))):
        return True
    lead = re.search(r"((?:\S+\s+){0,5})in\s+(?:[A-Z][\w'’-]+(?:\s*,\s*|\s+and\s+|\s+or\s+))*$",
                     text[max(0, start - 120):start])
    if lead is None:
        return False
    hi = min((i for i in (text.find(".", end), text.find(";", end)) if i >= 0), default=len(text))
    return bool(_SPEECH.search(lead.group(1)) or _SPEECH.search(text, end, min(hi, end + 40)))


# Water and land features and roads: a place's name next to one of these names the feature ("Lingayen
# Gulf", "Lake Magadi", "Kokkilai and Nayaru lagoons", "Morogoro Road"), which OH records do not count as places
_FEATURE = (r"Gulf|Lake|Lakes|Lagoon|Lagoons|River|Rivers|Sea|Ocean|Road|Highway|Hwy|Street|Avenue|Mountains?|Hills|"
            r"Forest|Park|Reserve|Plains?|Peninsula|Strait|Channel|Falls|Dam|ceremony|festival")

_FEATURE_AFTER = re.compile(rf"(?:{_GAP}{_NAME})*\s+(?:{_FEATURE}|lagoons?|lakes?|gulf|road|highway|forest)(?![\w-])")

FEATURE_WINDOW = 160  # characters after a name searched for a feature word (a list of a few names), not the rest of the text

_FEATURE_BEFORE = re.compile(r"(?<![\w-])(?:Lake|Lac|Lago|River|Río|Rio|Mount|Mt\.?|Mont|Gulf of|Golfe de)\s+$")

# a place inside a name the finders did not mask: next to an all-capital acronym ("MINEDUC Quiché", "CRC Cauca",
# "Kasungu DC"), or before a tail of lower-case words ending in a body's head word ("Kilifi ECDE teachers'
# association", "Savannakhet provincial education and sports service", "Battambang Today")
_ACRONYM_BEFORE = re.compile(r"(?<![\w-])[A-Z]{2,}[a-z]?\s+$")

_ACRONYM_AFTER = re.compile(r"\s+[A-Z]{2,}(?![\w.-])(?!\s*[,;.)]?\s*$)")

_TAIL_STOP = (r"the|a|an|of|in|to|for|with|by|on|at|as|from|has|have|had|was|were|is|are|be|been|could|would|will|"
              r"can|may|must|shall|should|not|did|do|does|their|its|his|her|our|they|we|who|which|that|now|also|"
              r"and|[\w'’-]+ed")

_BODY_TAIL = re.compile(rf"(?:\s+(?!(?:{_TAIL_STOP})\b)(?:[a-z][\w'’-]*|[A-Z]{{2,}}|County|District|Province)"
                        rf"(?:\s+and(?=\s))?){{0,4}}?\s+"
                        r"(?:associations?|services?|council|committee|union|fund|directorate|authority|network|"
                        r"society|forum|federation|assembly|commission|agency|bureau|Today|Times|Post|Daily|Radio|"
                        r"FM|TV)(?![\w-])")


def _locative_before(text: str, start: int) -> bool:
    """A locative word before ``start``; "and", "y", "e", "et" only in a list of names ("Siaya and Busia"),
    not after a lower-case word ("poor and Roma patients")."""
    m = _LOCATIVE.search(text[max(0, start - 20):start])
    if m is None:
        return False
    if m.group(1).lower() in ("and", "y", "e", "et"):
        before = re.search(r"([\w'’.-]+)[,;]?\s+$", text[max(0, start - 20 - 40):max(0, start - 20) + m.start()])
        return before is None or not before.group(1)[:1].islower()
    return True


def _inside_a_name(text: str, start: int, end: int) -> bool:
    """A one-word town between two capitalised words, inside a sentence ("Bank Sampah Induk Sumber Rejeki"):
    a word of a longer name the gazetteer does not know, not the town."""
    before = re.search(r"(?<=[\w,;:] )([A-ZÀ-ÝĀ-Ž][\w'’-]*) $", text[max(0, start - 30):start])
    after = re.match(r" [A-ZÀ-ÝĀ-Ž][\w'’-]*", text[end:end + 30])
    return bool(before and after and before.group(1).lower() not in _CONTEXT_STOP)


def not_a_place_here(text: str, start: int, end: int) -> bool:
    """The place name at ``start:end`` names something else here: a language ("kits in Guaraní"), a
    feature of water or land ("Lingayen Gulf", "Lake Magadi"), or a part of a name ("CRC Cauca", "the Kilifi
    ECDE teachers' association")."""
    name = text[start:end]
    if _is_major_language(name) and spoken_in(text, start, end):
        return True
    if _FEATURE_AFTER.match(text, end, end + FEATURE_WINDOW) or _FEATURE_BEFORE.search(text, max(0, start - 12), start):
        return True
    return bool(_ACRONYM_BEFORE.search(text, max(0, start - 12), start) or _ACRONYM_AFTER.match(text, end)
                or _BODY_TAIL.match(text, end))


def _feature_or_name(text: str, start: int, end: int) -> bool:
    """:func:`not_a_place_here` without the language test (the context places make their own)."""
    return bool(_FEATURE_AFTER.match(text, end, end + FEATURE_WINDOW) or _FEATURE_BEFORE.search(text, max(0, start - 12), start)
                or re.match(rf"(?:{_FEATURE})\s", text[start:end]) or _ACRONYM_BEFORE.search(text, max(0, start - 12), start)
                or _ACRONYM_AFTER.match(text, end) or _BODY_TAIL.match(text, end))
