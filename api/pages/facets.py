"""Facets: the filters of the outcome and actor lists and their URL state.

A selection is what a list page's URL says: a search text, at most one value per facet (country, year,
programme, objective, type of change, significance rating, contribution rating, who contributed,
actor kind), an actor and its role, sorting and paging. Facets combine with AND. A facet value in the URL
is the tail of the value's IRI after the facet's base (``country=KE`` is ``hgid:place/KE``, ``type=policy-change`` is
``hgc:type-of-change/policy-change``); years are plain years.

A selection is answered from the reader scope's list index (:mod:`harvestgraph.api.pages.catalogue`),
which reads each facet along ``Facet.path`` from the outcome; no text of the URL reaches SPARQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import pyoxigraph as ox

from harvestgraph.api.pages.common import field_words, href, int_param, sentence
from harvestgraph.vocab import CONCEPT, ID

XSD_GYEAR = ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")


@dataclass(frozen=True)
class Facet:
    key: str  # URL parameter
    title: str
    base: str  # the IRI a URL value is appended to; "" for years
    path: str  # SPARQL property path from the outcome to the value
    explain: str  # shown as the facet's legend (a sentence)

    def term(self, value: str) -> ox.NamedNode | ox.Literal:
        if not self.base:
            return ox.Literal(f"{int(value):04d}", datatype=XSD_GYEAR)
        return ox.NamedNode(self.base + value)

    def key_of(self, term: str) -> str | None:
        """The URL value of an IRI (or year) found in the data; None if it is not under this facet's base."""
        if not self.base:
            return term[:4] if term[:4].isdigit() else None
        return term[len(self.base):] if term.startswith(self.base) else None


FACETS = (
    Facet("country", "Country", str(ID) + "place/", "hg:country", "Where the change happened."),
    Facet("year", "Year", "", "hg:year", "The year of the outcome."),
    Facet("programme", "Programme", str(ID) + "programme/", "hg:programme", "Whose harvest recorded it."),
    Facet("objective", "Objective", str(ID) + "objective/", "hg:linkedObjective",
          "The programme objective it is linked to."),
    Facet("type", "Type of change", str(CONCEPT) + "type-of-change/", "hg:typeOfChange",
          "What kind of change (an outcome may have several)."),
    Facet("significance", "Significance", str(CONCEPT) + "significance-rating/", "hg:significanceRating",
          "How significant the harvesters rated the change."),
    Facet("contribution", "Programme contribution", str(CONCEPT) + "contribution-rating/", "hg:contributionRating",
          "How much the programme contributed, as rated."),
    Facet("shared", "Who contributed", str(CONCEPT) + "contribution-pattern/", "hg:contributionPattern",
          "Whether the programme, other actors, both or nobody were found to contribute."),
    Facet("actor_kind", "Actor kind", str(CONCEPT) + "actor-kind/", "hg:changedActor|hg:hasContributor",
          "The kind of an actor that changed or contributed."),
)
BY_KEY = {f.key: f for f in FACETS}


def facet_values(iri: str) -> list[tuple[Facet, str]]:
    """The facets an IRI of the data is a value of, with its URL value (``hgid:place/KE`` → country ``KE``);
    years are not IRIs and never match."""
    return [(f, key) for f in FACETS if f.base and (key := f.key_of(iri))]
ROLES = {"changed": "hg:changedActor", "contributor": "hg:hasContributor"}
_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~%/-]{0,200}$")
_ACTOR = re.compile(r"^(actor|programme)/[A-Za-z0-9._~%-]{1,200}$")

# name -> (title, the order as SPARQL would say it, ascending and descending: what the list index sorts by)
OUTCOME_SORTS = {
    "id": ("FragmentID", 'ORDER BY (CONCAT("~", ?id))', 'ORDER BY DESC(CONCAT("~", ?id))'),
    "year": ("year", 'ORDER BY ?year (CONCAT("~", ?id))', 'ORDER BY DESC(?year) (CONCAT("~", ?id))'),
    "country": ("country", 'ORDER BY ?countryCode (CONCAT("~", ?id))', 'ORDER BY DESC(?countryCode) (CONCAT("~", ?id))'),
    "programme": ("programme", 'ORDER BY ?programmeCode (CONCAT("~", ?id))',
                  'ORDER BY DESC(?programmeCode) (CONCAT("~", ?id))'),
}
# (MIN, not SAMPLE, for every shown value: the same on every engine. STR(?name) under CONCAT/LCASE: Virtuoso
# 7.2.5 refuses string functions over an aggregate's language-tagged value, SR066/SR586.)
ACTOR_SORTS = {
    "name": ("name", 'ORDER BY (LCASE(CONCAT("~", COALESCE(STR(?name), "")))) ?actor',
             'ORDER BY DESC(LCASE(CONCAT("~", COALESCE(STR(?name), "")))) ?actor'),
    "changed": ("outcomes changed in", 'ORDER BY ?changed (LCASE(CONCAT("~", COALESCE(STR(?name), ""))))',
                'ORDER BY DESC(?changed) (LCASE(CONCAT("~", COALESCE(STR(?name), ""))))'),
    "contributed": ("outcomes contributed to", 'ORDER BY ?contributed (LCASE(CONCAT("~", COALESCE(STR(?name), ""))))',
                    'ORDER BY DESC(?contributed) (LCASE(CONCAT("~", COALESCE(STR(?name), ""))))'),
}
KNOWN_PARAMS = {"q", "sort", "order", "offset", "limit", "actor", "role", "with", *BY_KEY}


@dataclass(frozen=True)
class Selection:
    """The state of a list page, as its URL gives it (valid parts only; ``problems`` says what was not)."""

    path: str  # /outcomes or /actors
    q: str = ""
    filters: tuple[tuple[str, str], ...] = ()  # (facet key, URL value), in FACETS order
    actor: str = ""  # "actor/<slug>" or "programme/<CODE>"
    role: str = ""  # changed | contributor | "" (either)
    with_: str = ""  # a second actor that contributed too (co-contributors' shared outcomes)
    sort: str = ""
    order: str = "asc"
    offset: int = 0
    limit: int = 25
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def sorts(self) -> dict:
        return OUTCOME_SORTS if self.path == "/outcomes" else ACTOR_SORTS

    def value(self, key: str) -> str | None:
        return dict(self.filters).get(key)

    def params(self, **change) -> list[tuple[str, str]]:
        s = replace(self, **change) if change else self
        out = [("q", s.q), *s.filters, ("actor", s.actor), ("role", s.role), ("with", s.with_)]
        if s.sort and s.sort != next(iter(s.sorts)):
            out.append(("sort", s.sort))
        if s.order != "asc":
            out.append(("order", s.order))
        if s.limit != 25:
            out.append(("limit", str(s.limit)))
        if s.offset:
            out.append(("offset", str(s.offset)))
        return out

    def url(self, path: str | None = None, **change) -> str:
        """This selection's URL, changed (paging restarts unless ``offset`` is given)."""
        change.setdefault("offset", 0)
        return href(path or self.path, self.params(**change))

    def with_filter(self, key: str, value: str | None) -> str:
        rest = [(k, v) for k, v in self.filters if k != key]
        if value is not None:
            rest.append((key, value))
        return self.url(filters=tuple(sorted(rest, key=lambda kv: list(BY_KEY).index(kv[0]))))

    def sort_url(self, name: str) -> str:
        order = "desc" if self.sort == name and self.order == "asc" else "asc"
        if self.sort != name and name in ("changed", "contributed", "year"):
            order = "desc"  # counts and years: the largest first on the first click
        return self.url(sort=name, order=order)

    def page_url(self, offset: int) -> str:
        return self.url(offset=max(0, offset))


def parse_selection(path: str, params: list[tuple[str, str]], default_sort: str) -> Selection:
    """The selection of a list page's query string. Malformed parts are dropped with a message; unknown
    facet VALUES are checked against the data by the page (see :func:`unknown_values`)."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for k, v in params:
        if k not in KNOWN_PARAMS:
            problems.append(f"Unknown parameter {k[:40]!r} was ignored; this page understands "
                            + ", ".join(sorted(KNOWN_PARAMS)) + ".")
            continue
        if k in seen and v != seen[k]:
            problems.append(sentence(f"{field_words(k)} was given twice; the first value ({seen[k][:40]!r}) was used"))
            continue
        seen[k] = v
    filters = []
    for f in FACETS:
        v = (seen.get(f.key) or "").strip()
        if not v:
            continue
        ok = v.isdigit() and len(v) == 4 if not f.base else bool(_VALUE.match(v)) and ".." not in v
        if ok:
            try:
                f.term(v)
                filters.append((f.key, v))
                continue
            except ValueError:
                pass
        problems.append(f"{f.title} {v[:60]!r} is not a valid value and was ignored"
                        + (" (a year is four digits, e.g. 2024)." if not f.base else
                           " (use the links of the facet list)."))
    actor = (seen.get("actor") or "").strip()
    if actor and not _ACTOR.match(actor):
        problems.append(f"Actor {actor[:60]!r} is not a valid actor reference and was ignored.")
        actor = ""
    with_ = (seen.get("with") or "").strip()
    if with_ and not _ACTOR.match(with_):
        problems.append(f"Actor {with_[:60]!r} is not a valid actor reference and was ignored.")
        with_ = ""
    role = (seen.get("role") or "").strip()
    if role and role not in ROLES:
        problems.append(f"Role {role[:40]!r} is unknown (use changed or contributor) and was ignored.")
        role = ""
    sorts = OUTCOME_SORTS if path == "/outcomes" else ACTOR_SORTS
    sort = (seen.get("sort") or default_sort).strip()
    if sort not in sorts:
        problems.append(f"Sorting by {sort[:40]!r} is not possible (use " + ", ".join(sorts) + ").")
        sort = default_sort
    order = (seen.get("order") or "asc").strip()
    if order not in ("asc", "desc"):
        problems.append(f"Order {order[:20]!r} is unknown (use asc or desc).")
        order = "asc"
    q = (seen.get("q") or "").strip()
    if len(q) > 200:
        problems.append("The search text was cut to 200 characters.")
        q = q[:200]
    limit = int_param(seen.get("limit"), "limit", 25, 1, 200, problems)
    offset = int_param(seen.get("offset"), "offset", 0, 0, 10_000_000, problems)
    return Selection(path, q, tuple(filters), actor, role if actor else "", with_, sort, order, offset, limit,
                     tuple(problems))


@dataclass(frozen=True)
class FacetValue:
    key: str  # URL value
    label: str
    count: int


def unknown_values(sel: Selection, known: dict[str, list[FacetValue]]) -> tuple[Selection, list[str]]:
    """The selection without facet values the reader's data does not hold, and a message for each."""
    keep, problems = [], []
    for k, v in sel.filters:
        if any(fv.key == v for fv in known.get(k, [])):
            keep.append((k, v))
        else:
            problems.append(f"No outcome has {BY_KEY[k].title.lower()} {v!r}; that filter was ignored.")
    return replace(sel, filters=tuple(keep)), problems
