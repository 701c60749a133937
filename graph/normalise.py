"""Normalise raw fields into typed values: ISO countries, years, SKOS ratings, booleans, multi-values.

Only structural faults raise (:class:`HarvestError`); a value that cannot be read (an unknown
country, a year like "sometime") becomes a warning naming file, line and field, and the raw value
stays on the fragment, so nothing is lost.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry

from . import concepts
from .concepts import ConceptRef
from .errors import HarvestError, Problem
from .read import RawField, RawFragment
from .vocab import (SCHEME_ACTOR_CATEGORY, SCHEME_CHANGE_CLUSTER, SCHEME_CONTRIBUTION, SCHEME_OUTCOME_STATUS,
                    SCHEME_SCALE, SCHEME_SIGNIFICANCE, SCHEME_TYPE_OF_CHANGE)


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name: str


@dataclass(frozen=True)
class Reference:
    """An objective ("CIV: Less suppression of civic space") or a results-framework outcome ("Outcome 1.1")."""

    notation: str | None
    label: str


@dataclass
class Fragment:
    id: str
    raw: RawFragment
    programme: str | None = None
    outcome_status: ConceptRef | None = None
    harvest_period: str | None = None
    country: Country | None = None
    other_countries: list[Country] = field(default_factory=list)
    year: int | None = None
    outcome_description: str | None = None
    significance: str | None = None
    additional_information: str | None = None
    evidence: str | None = None
    contribution_programme: str | None = None
    contribution_others: str | None = None
    social_actor: ConceptRef | None = None
    scale: ConceptRef | None = None
    rating_significance: ConceptRef | None = None
    rating_contribution: ConceptRef | None = None
    unintended: bool | None = None
    negative: bool | None = None
    confidential: bool | None = None
    rf_outcomes: list[Reference] = field(default_factory=list)
    objectives: list[Reference] = field(default_factory=list)
    types_of_change: list[ConceptRef] = field(default_factory=list)
    clusters: list[ConceptRef] = field(default_factory=list)
    has_merged_story: bool = False
    warnings: list[Problem] = field(default_factory=list)

    @property
    def is_confidential(self) -> bool:
        return bool(self.confidential)

    def text_fields(self) -> dict[str, str]:
        """The free-text fields that actor extraction reads, by canonical key."""
        return {k: v for k in TEXT_KEYS if (v := getattr(self, k))}


TEXT_KEYS = ("outcome_description", "significance", "additional_information", "contribution_programme",
             "contribution_others", "evidence")

# --------------------------------------------------------------------------- value normalisers

_MULTI_SPLIT = re.compile(r"\s*[,;\n]\s*|\s{2,}")
_REF_SPLIT = re.compile(r"\s*[;\n]\s*")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_OBJECTIVE = re.compile(r"^\s*(?P<code>[A-Z][A-Z0-9]{1,11})\s*[:\-\u2013\u2014]\s*(?P<label>.+?)\s*$", re.S)

TRUE_WORDS = {"yes", "y", "true", "x", "1", "ja", "oui", "si", "sí", "confidential"}
FALSE_WORDS = {"no", "n", "false", "0", "nee", "non", "-", "none", "not confidential"}

COUNTRY_ALIASES = {
    "drc": "CD", "dr congo": "CD", "congo kinshasa": "CD", "democratic republic of congo": "CD",
    "congo brazzaville": "CG", "tanzania": "TZ", "ivory coast": "CI", "cote d'ivoire": "CI", "uk": "GB",
    "united kingdom": "GB", "england": "GB", "usa": "US", "us": "US", "united states": "US", "swaziland": "SZ",
    "burma": "MM", "palestine": "PS", "occupied palestinian territories": "PS", "russia": "RU", "iran": "IR",
    "syria": "SY", "laos": "LA", "vietnam": "VN", "bolivia": "BO", "venezuela": "VE", "south korea": "KR",
    "north korea": "KP", "moldova": "MD", "the gambia": "GM", "gambia": "GM", "cape verde": "CV",
    "turkey": "TR", "czech republic": "CZ", "macedonia": "MK", "east timor": "TL", "kosovo": "XK",
}

# The words of the rating scales harvests use (High / Medium / Low, Strong / Moderate / Weak, H / M / L in a
# spreadsheet's drop-down), read as the bundled schemes' labels.
SIGNIFICANCE_SYNONYMS = {"low": "small", "minor": "small", "limited": "small", "weak": "small", "l": "small",
                         "moderate": "medium", "m": "medium", "high": "large", "major": "large", "significant": "large",
                         "substantial": "large", "considerable": "large", "strong": "large", "h": "large"}
CONTRIBUTION_SYNONYMS = {"low": "small", "minor": "small", "limited": "small", "weak": "small", "l": "small",
                         "some": "partial", "m": "medium", "high": "large", "major": "large", "significant": "large",
                         "substantial": "large", "considerable": "large", "strong": "large", "h": "large"}
# "Very high", "quite limited": a degree above or below the scale's word, read as that word (with a warning).
RATING_INTENSIFIERS = frozenset({"very", "quite", "fairly", "rather", "highly", "extremely", "somewhat", "relatively"})


def clean(value: str | None) -> str | None:
    """Trim; empty → None (absent, never an empty literal)."""
    if value is None:
        return None
    v = value.strip()
    return v or None


def split_multi(value: str | None) -> list[str]:
    """Split on commas, semicolons, newlines and runs of two or more spaces; drop empties and repeats."""
    if not value:
        return []
    out: list[str] = []
    for part in _MULTI_SPLIT.split(value.strip()):
        p = part.strip(" .\t")
        if p and p.lower() not in (o.lower() for o in out):
            out.append(p)
    return out


def parse_flag(value: str | None) -> bool | None:
    """YES/Y/TRUE/X → True, NO/N/FALSE → False, empty → None. Raises ValueError for anything else."""
    v = clean(value)
    if v is None:
        return None
    w = v.lower().strip(" .!")
    if w in TRUE_WORDS:
        return True
    if w in FALSE_WORDS:
        return False
    raise ValueError(f"not a yes/no value: {v!r}")


def parse_year(value: str | None) -> tuple[int | None, str | None]:
    """(year, note): "2025" → 2025; "FY2025", "2025/26" → 2025 with a note saying how it was read."""
    v = clean(value)
    if v is None:
        return None, None
    m = _YEAR.search(v)
    if not m:
        raise ValueError(f"no year (1900-2099) in {v!r}")
    year = int(m.group(1))
    note = None if v == m.group(1) else f"{v!r} read as {year}"
    return year, note


def _turned(name: str) -> str:
    """ISO 3166's inverted name turned round where its tail is "of (the)" or one word ("Congo, The Democratic
    Republic of the" → "Democratic Republic of the Congo", "Virgin Islands, British" → "British Virgin Islands");
    any other name as it is (a list after the comma stays: "Bonaire, Sint Eustatius and Saba")."""
    head, _, tail = name.partition(", ")
    if tail and (re.search(r"\bof(?: the)?$", tail) or " " not in tail):
        return re.sub(r"^The ", "", f"{tail} {head}")
    return name


def _country_key(name: str) -> str:
    """A country name as compared: lower case, no brackets or hyphens, one space, no leading "the"."""
    return re.sub(r"^the ", "", re.sub(r"\s+", " ", re.sub(r"[()\-]", " ", name.lower())).strip())


def _fold(text: str) -> str:
    """Without accents: "são tomé" → "sao tome"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Every ISO name of a country as people write it, by :func:`_country_key` without accents, to alpha-2: ISO's
    inverted names turned round ("Democratic Republic of the Congo", "Republic of Korea"), the "Congo (Kinshasa)"
    forms, and each name, official and common name, with or without its accents ("São Tomé and Príncipe",
    "Curacao")."""
    out = {_fold(_country_key(_turned(n))): c.alpha_2 for c in pycountry.countries
           for n in (c.name, getattr(c, "official_name", None)) if n and _turned(n) != n}
    out.update({"congo kinshasa": "CD", "congo brazzaville": "CG", "republic of the congo": "CG"})
    for c in pycountry.countries:
        for n in (c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)):
            if n:
                out.setdefault(_fold(_country_key(n)), c.alpha_2)
                out.setdefault(_fold(_country_key(_turned(n))), c.alpha_2)
    return out


def parse_country(value: str) -> Country:
    """A country name, alias or ISO code → ISO 3166-1 alpha-2 and its common name. Raises LookupError."""
    v = re.sub(r"\s+", " ", value.strip().strip("."))
    key = v.lower()
    code = COUNTRY_ALIASES.get(key)
    rec = None
    if code:
        rec = pycountry.countries.get(alpha_2=code)
        if rec is None:  # Kosovo: user-assigned code, not in ISO 3166
            return Country(code, v.title())
    if rec is None and len(v) in (2, 3) and v.isalpha():
        rec = pycountry.countries.get(**{"alpha_2" if len(v) == 2 else "alpha_3": v.upper()})
    if rec is None:
        try:
            rec = pycountry.countries.lookup(v)
        except LookupError:
            rec = None
    if rec is None:
        code = _country_names().get(_fold(_country_key(key)))
        rec = pycountry.countries.get(alpha_2=code) if code else None
    if rec is None:
        hits = [c for c in pycountry.countries
                if key in (getattr(c, "common_name", "") or "").lower() or key in c.name.lower().split(",")[0]]
        if len(hits) == 1:
            rec = hits[0]
    if rec is None:
        raise LookupError(f"unknown country {v!r}")
    return Country(rec.alpha_2, country_name(rec))


def country_name(rec) -> str:
    """A country's name as a reader expects it: pycountry's common name, else ISO's name turned round
    (:func:`_turned`)."""
    return _turned(getattr(rec, "common_name", None) or rec.name)


def parse_countries(value: str | None) -> list[Country]:
    v = clean(value)
    if v is None:
        return []
    try:
        return [parse_country(v)]
    except LookupError:
        pass
    parts = [p for p in re.split(r"\s*(?:[,;/&\n]|\band\b)\s*", v) if p.strip()]
    if len(parts) < 2:
        raise LookupError(f"unknown country {v!r}")
    try:
        return [parse_country(p) for p in parts]
    except LookupError as exc:  # (say what was written, not only the part that failed)
        raise LookupError(f"unknown country {v!r} (read as a list: {exc})") from None


def parse_rating(scheme: str, value: str | None, synonyms: dict[str, str]) -> ConceptRef | None:
    """A rating as written → its concept; raises ValueError for a word of no scale. A value whose degree the scheme
    has no concept for ("very high") is read as the nearest one: `rating_degree_dropped` says so."""
    v = clean(value)
    if v is None:
        return None
    hit = concepts.lookup(scheme, v)
    if hit:
        return hit
    words = [w for w in re.split(r"[\s:,;(\-]+", v.lower()) if w]
    first = words[0] if words else ""
    if first in RATING_INTENSIFIERS and len(words) > 1:
        first = words[1]
    for word in (first, synonyms.get(first, "")):
        if word and (hit := concepts.lookup(scheme, word)):
            return hit
    raise ValueError(f"not a known rating: {v!r} (expected one of {', '.join(concepts.labels(scheme)) or 'the scheme'})")


def rating_degree_dropped(value: str | None) -> bool:
    """True when a rating's first word is an intensifier the schemes have no concept for ("very high")."""
    words = (value or "").lower().split()
    return len(words) > 1 and words[0] in RATING_INTENSIFIERS


def parse_references(value: str | None, *, objective: bool) -> list[Reference]:
    v = clean(value)
    if v is None:
        return []
    parts = _REF_SPLIT.split(v) if objective else split_multi(v)
    out: list[Reference] = []
    for p in parts:
        p = p.strip()
        if not p:
            continue
        m = _OBJECTIVE.match(p) if objective else None
        ref = Reference(m.group("code"), m.group("label")) if m else Reference(None if objective else p, p)
        if ref not in out:
            out.append(ref)
    return out


def programme_from_id(fragment_id: str) -> str | None:
    m = re.match(r"^([A-Za-z][A-Za-z0-9]{1,11})[-_ /.]", fragment_id)
    return m.group(1).upper() if m else None


# --------------------------------------------------------------------------- the fragment

_SINGLE_TEXT = {"outcome_description", "significance", "additional_information", "evidence", "contribution_programme",
                "contribution_others"}


def normalise(raw: RawFragment) -> Fragment:
    fid = raw.fragment_id
    if fid is None:
        f = raw.first("fragment_id")
        raise HarvestError("missing FragmentID: every fragment needs one",
                           file=raw.source_file, line=f.line if f else raw.line, field="FragmentID")
    frag = Fragment(id=fid, raw=raw, warnings=list(raw.warnings))

    def warn(f: RawField | None, message: str) -> None:
        frag.warnings.append(Problem(raw.source_file, f.line if f else raw.line, f.name.strip() if f else None, message))

    seen: dict[str, RawField] = {}
    for f in raw.fields:
        if f.match.method == "fuzzy":
            warn(f, f"field name matched fuzzily to {f.key!r} (score {f.match.score:.0f})")
        elif f.key is None:
            warn(f, "unknown field: kept on the fragment as written")
        if f.key is None:
            continue
        if f.key in seen:
            if clean(f.value) and clean(seen[f.key].value) and clean(f.value) != clean(seen[f.key].value):
                warn(f, f"field given twice with different values; the first (line {seen[f.key].line}) is used")
            if clean(seen[f.key].value) is None and clean(f.value):
                seen[f.key] = f
            continue
        seen[f.key] = f

    def val(key: str) -> str | None:
        f = seen.get(key)
        return clean(f.value) if f else None

    for key in _SINGLE_TEXT:
        setattr(frag, key, val(key))

    prog = val("programme")
    frag.programme = (prog.upper() if prog and " " not in prog else prog) or programme_from_id(fid)
    if frag.programme is None and "objective" in seen and seen["objective"].match.programme_hint:
        frag.programme = seen["objective"].match.programme_hint

    if (v := val("harvest_period")) is not None:
        frag.harvest_period = v[:1].upper() + v[1:]

    if (v := val("country")) is not None:
        try:
            countries = parse_countries(v)
            frag.country, frag.other_countries = countries[0], countries[1:]
            if frag.other_countries:
                warn(seen["country"], f"several countries; {frag.country.name} is the outcome's country, all are places")
        except LookupError as exc:
            warn(seen["country"], f"{exc}: the country is left out (the raw value is kept)")

    try:
        frag.year, note = parse_year(val("year"))
        if note:
            warn(seen["year"], note)
    except ValueError as exc:
        warn(seen["year"], f"{exc}: the year is left out (the raw value is kept)")

    for key, scheme, synonyms in (("rating_significance", SCHEME_SIGNIFICANCE, SIGNIFICANCE_SYNONYMS),
                                  ("rating_contribution", SCHEME_CONTRIBUTION, CONTRIBUTION_SYNONYMS)):
        written = val(key)
        try:
            setattr(frag, key, rating := parse_rating(scheme, written, synonyms))
            if rating is not None and rating_degree_dropped(written):
                warn(seen[key], f"rating {written!r} read as {rating.label!r}: the scheme has no degree above or "
                                "below it (the raw value is kept)")
        except ValueError as exc:
            warn(seen[key], f"{exc}: the rating is left out (the raw value is kept)")

    for key in ("unintended", "negative", "confidential"):
        try:
            setattr(frag, key, parse_flag(val(key)))
        except ValueError as exc:
            if key == "confidential":  # never guess open: an unreadable flag on a sensitive record is an error
                raise HarvestError(f"{exc}: write YES or NO (or leave it empty)", file=raw.source_file,
                                   line=seen[key].line, field=seen[key].name.strip()) from None
            warn(seen[key], f"{exc}: left out (the raw value is kept)")

    for key, scheme in (("outcome_status", SCHEME_OUTCOME_STATUS), ("social_actor", SCHEME_ACTOR_CATEGORY),
                        ("scale", SCHEME_SCALE)):
        if (v := val(key)) is not None:
            setattr(frag, key, concepts.resolve(scheme, v))
    frag.types_of_change = [concepts.resolve(SCHEME_TYPE_OF_CHANGE, v) for v in split_multi(val("type_of_change"))]
    frag.clusters = [concepts.resolve(SCHEME_CHANGE_CLUSTER, v) for v in split_multi(val("type_of_change_cluster"))]
    for c in (*frag.types_of_change, *frag.clusters):
        if c.ad_hoc:
            f = seen["type_of_change" if c.scheme == SCHEME_TYPE_OF_CHANGE else "type_of_change_cluster"]
            warn(f, f"{c.label!r} is not in the bundled {c.scheme} scheme: added as an ad-hoc concept")
    frag.objectives = parse_references(val("objective"), objective=True)
    frag.rf_outcomes = parse_references(val("rf_outcome"), objective=False)
    frag.has_merged_story = val("story_merged") is not None  # an empty CSV cell is no merged story
    if frag.outcome_description is None:
        warn(seen.get("outcome_description"), "no outcome description")
    return frag
