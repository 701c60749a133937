"""The list pages' index: the reader's outcomes and actors in memory, built once per store generation and
reader scope, so that ``/``, ``/outcomes``, ``/actors`` and ``/search`` answer any selection (facets with
AND, search text, an actor and its role, sorting, paging) with counts of every facet value in milliseconds.

Why not SPARQL per request. A list page asks for its rows, its total and eight facet counts over the
selection. At 10,000 fragments (9,200 outcomes) on the shared 2-core machine (load 20-26, 2026-11-30)
those queries took 25-60 s for an unfiltered list and ``/outcomes?country=KE`` ran past the reader's
limit (503). The same answers from this index take a few milliseconds (figures in docs/performance.md).

Where it comes from. The index is made from the workbench's network data (:func:`harvestgraph.network.analyse.
fetch_plan`: the outcomes with their facts, every link, the labels) plus the actors' other names and the
number of contributions (:data:`EXTRA_QUERIES`), all read in ONE job in a query worker over the reader's
own graphs (:mod:`harvestgraph.api.explore_data`). An anonymous reader's index is built from the public
graphs only and never shared with the confidential scope's: nothing of a confidential fragment is in it.

Semantics. Each answer is the one the pages' SPARQL gave before this index (the facet paths of
:data:`~harvestgraph.api.pages.facets.FACETS`, the ``MIN`` of several values, the sort keys of
``OUTCOME_SORTS`` / ``ACTOR_SORTS`` with unbound values first ascending); tests/pages/test_pages.py checks every
facet count and list against the input files.

    >>> cat = Catalogue.build(data, extra)                                   # doctest: +SKIP
    >>> rows, total, facets = outcome_list(cat, parse_selection("/outcomes", [("country", "KE")], "id"))  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from harvestgraph.api.pages.facets import BY_KEY, FACETS, FacetValue, Selection
from harvestgraph.network.analyse import (HG_ACTOR_KIND, HG_ISO, NOTATION, PREF_LABEL, RDFS_LABEL, NetworkData,
                                          contribution_patterns)
from harvestgraph import concepts
from harvestgraph.vocab import ID, SPARQL_PREFIXES

# Read beside the network queries, over the same graphs: actors' other names (the actor search matches
# skos:prefLabel|skos:altLabel|hg:acronym), the labels of actor kinds (not network nodes), the
# contributions (the landing page's count: hg:Contribution resources, as the SPARQL page counted them).
EXTRA_QUERIES = {
    "names": (SPARQL_PREFIXES + "SELECT DISTINCT ?node ?value WHERE { ?node skos:altLabel|hg:acronym ?value }",
              ("node", "value")),
    "kinds": (SPARQL_PREFIXES + "SELECT DISTINCT ?node ?value WHERE { ?a hg:actorKind ?node . "
              "?node skos:prefLabel|rdfs:label ?value }", ("node", "value")),
    "contributions": (SPARQL_PREFIXES + "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a hg:Contribution }", ("n",)),
}
_YEAR_UNBOUND = -(10 ** 6)  # sorts before every year, as an unbound value does in SPARQL's ORDER BY


def _min(values) -> str | None:
    values = [v for v in values if v]
    return min(values) if values else None


@dataclass
class Catalogue:
    """Columns over outcomes (in FragmentID order) and actors (in name order), the facet values of each
    outcome as boolean columns, and the (actor, outcome, role) links. Read-only once built."""

    # outcomes
    iris: list[str]
    ids: list[str]
    years: np.ndarray  # int; _YEAR_UNBOUND when the outcome has no year
    country_codes: list[str | None]  # ISO codes (hg:country/hg:isoCode), shown in the list
    programme_codes: list[str | None]
    descriptions: list[str | None]
    significance: list[str | None]  # labels
    contribution: list[str | None]
    texts: list[str]  # FragmentID, description and both contribution texts, lower case: the search text
    # facet -> URL value -> boolean column over outcomes; facet -> URL value -> label (None: none stored)
    members: dict[str, dict[str, np.ndarray]]
    labels: dict[str, dict[str, str | None]]
    # actors
    actors: list[str]  # IRIs
    names: list[str | None]
    kinds: list[str | None]  # actor kind IRIs
    search_names: list[str]  # every name (preferred, alternative, acronym), lower case, "\n"-joined
    actor_kind_of: dict[str, np.ndarray]  # actor-kind URL value -> boolean column over actors
    # links: one row per distinct (actor, outcome, role)
    link_actor: np.ndarray
    link_outcome: np.ndarray
    link_changed: np.ndarray  # bool: hg:changedActor (else hg:hasContributor)
    contributions: int
    # sort orders: name -> permutation of outcomes (ascending); actors by name
    outcome_order: dict[str, np.ndarray]
    actor_name_rank: np.ndarray

    @property
    def counts(self) -> dict[str, int]:
        """The landing page's counts: outcomes, actors that changed or contributed, contributions."""
        return {"outcomes": len(self.iris), "actors": int(len(np.unique(self.link_actor))),
                "contributions": self.contributions}

    # ------------------------------------------------------------------ building

    @classmethod
    def build(cls, data: NetworkData, extra: dict[str, list[tuple[str, ...]]]) -> Catalogue:
        """From the network data of the reader's graphs and the answers of :data:`EXTRA_QUERIES`."""
        labels = data.labels

        def facts(iri: str | None, predicate: str) -> list[str]:
            return labels.get(iri or "", {}).get(predicate) or []

        def label(iri: str | None) -> str | None:  # (a bundled concept no fragment graph describes: its own label)
            return _min(facts(iri, PREF_LABEL) + facts(iri, RDFS_LABEL)) or concepts.label_of(iri or "")

        outcomes = sorted(data.outcomes.values(), key=lambda o: o.id)
        n = len(outcomes)
        pos = {o.iri: i for i, o in enumerate(outcomes)}
        value_rows: dict[str, dict[str, list[int]]] = {f.key: {} for f in FACETS}
        value_label: dict[str, dict[str, str | None]] = {f.key: {} for f in FACETS}

        def add(facet: str, iri: str | None, i: int, text_label: str | None = None) -> None:
            if not iri:
                return
            key = BY_KEY[facet].key_of(iri)
            if key is None:
                return
            value_rows[facet].setdefault(key, []).append(i)
            if key not in value_label[facet]:
                value_label[facet][key] = text_label if facet == "year" else label(iri)

        for i, o in enumerate(outcomes):
            add("country", o.country, i)
            if o.year is not None:
                add("year", f"{o.year:04d}", i)
            add("programme", o.programme, i)
            for iri in o.objectives:
                add("objective", iri, i)
            for iri in o.types:
                add("type", iri, i)
            add("significance", o.significance, i)
            add("contribution", o.contribution_rating, i)

        # who contributed: the mapping's hg:contributionPattern, read from the same qualified contributions as the
        # links below (tests/pages check both agree)
        pattern = contribution_patterns(data)
        for i, o in enumerate(outcomes):
            add("shared", pattern[o.iri], i)

        # links: changed (hg:changedActor) and contributed (hg:hasContributor, one per qualified contribution)
        actor_set = sorted({e.target for e in data.edges if e.relation in ("changed", "contributed")})
        apos = {a: j for j, a in enumerate(actor_set)}
        links = sorted({(apos[e.target], pos[e.outcome], e.relation == "changed") for e in data.edges
                        if e.relation in ("changed", "contributed") and e.outcome in pos})
        kind_label = {}
        for node, value in extra.get("kinds", []):
            kind_label[node] = min(kind_label.get(node, value), value)
        kinds = [_min(facts(a, HG_ACTOR_KIND)) for a in actor_set]
        actor_kind_rows: dict[str, list[int]] = {}
        for j, a in enumerate(actor_set):
            for k in facts(a, HG_ACTOR_KIND):
                key = BY_KEY["actor_kind"].key_of(k)
                if key is not None:
                    actor_kind_rows.setdefault(key, []).append(j)
                    value_label["actor_kind"].setdefault(key, kind_label.get(k))
        link_actor = np.array([a for a, _, _ in links], dtype=np.int64)
        link_outcome = np.array([o for _, o, _ in links], dtype=np.int64)
        link_changed = np.array([c for _, _, c in links], dtype=bool)
        # an outcome's actor kinds: the kinds of the actors that changed or contributed in it
        for key, rows in actor_kind_rows.items():
            has = np.zeros(len(actor_set), dtype=bool)
            has[rows] = True
            value_rows["actor_kind"][key] = sorted(set(link_outcome[has[link_actor]].tolist()))

        def column(rows: list[int], size: int) -> np.ndarray:
            col = np.zeros(size, dtype=bool)
            col[rows] = True
            return col

        members = {f: {k: column(rows, n) for k, rows in vals.items()} for f, vals in value_rows.items()}
        other = {}
        for node, value in extra.get("names", []):
            other.setdefault(node, []).append(value)
        names = [_min(facts(a, PREF_LABEL)) for a in actor_set]
        search_names = ["\n".join(x.lower() for x in facts(a, PREF_LABEL) + other.get(a, [])) for a in actor_set]
        # actor order by name: LCASE("~" + name), then the IRI (ACTOR_SORTS)
        by_name = sorted(range(len(actor_set)), key=lambda j: (("~" + (names[j] or "")).lower(), actor_set[j]))
        name_rank = np.empty(len(actor_set), dtype=np.int64)
        name_rank[by_name] = np.arange(len(actor_set))

        ids = [o.id for o in outcomes]
        years = np.array([o.year if o.year is not None else _YEAR_UNBOUND for o in outcomes], dtype=np.int64)
        country_codes = [_min(facts(o.country, HG_ISO)) for o in outcomes]
        programme_codes = [_min(facts(o.programme, NOTATION)) for o in outcomes]
        id_rank = np.arange(n)  # outcomes are in FragmentID order already

        def order(key: list[str | None]) -> np.ndarray:
            # unbound first (SPARQL orders an unbound value before any other), then the value, then the ID
            return np.array(sorted(range(n), key=lambda i: (key[i] is not None, key[i] or "", i)), dtype=np.int64)

        outcome_order = {"id": id_rank, "year": np.lexsort((id_rank, years)),
                         "country": order(country_codes), "programme": order(programme_codes)}
        (contributions,), = extra.get("contributions") or [("0",)]
        return cls(
            iris=[o.iri for o in outcomes], ids=ids, years=years, country_codes=country_codes,
            programme_codes=programme_codes, descriptions=[o.description or None for o in outcomes],
            significance=[label(o.significance) for o in outcomes],
            contribution=[label(o.contribution_rating) for o in outcomes],
            texts=[" ".join((o.id, o.description, o.programme_text, o.other_text)).lower() for o in outcomes],
            members=members, labels=value_label, actors=actor_set, names=names, kinds=kinds,
            search_names=search_names,
            actor_kind_of={k: column(rows, len(actor_set)) for k, rows in actor_kind_rows.items()},
            link_actor=link_actor, link_outcome=link_outcome, link_changed=link_changed,
            contributions=int(contributions or 0), outcome_order=outcome_order, actor_name_rank=name_rank)

    # ------------------------------------------------------------------ selections

    def _value(self, facet: str, key: str) -> np.ndarray:
        col = self.members[facet].get(key)
        return col if col is not None else np.zeros(len(self.iris), dtype=bool)

    def _actor(self, ref: str) -> int | None:
        import bisect

        iri = str(ID) + ref
        j = bisect.bisect_left(self.actors, iri)
        return j if j < len(self.actors) and self.actors[j] == iri else None

    def _outcomes_of(self, ref: str, changed: bool | None) -> np.ndarray:
        """The outcomes an actor changed in (True), contributed to (False) or either (None)."""
        out = np.zeros(len(self.iris), dtype=bool)
        j = self._actor(ref)
        if j is not None:
            hit = self.link_actor == j
            if changed is not None:
                hit &= self.link_changed == changed
            out[self.link_outcome[hit]] = True
        return out

    def outcome_mask(self, sel: Selection, *, actor_kind: bool = True, text: bool = True) -> np.ndarray:
        """The outcomes the selection's filters match (AND): facets, the actor and its role, the second
        contributor, the search text."""
        mask = np.ones(len(self.iris), dtype=bool)
        for key, value in sel.filters:
            if key != "actor_kind" or actor_kind:
                mask &= self._value(key, value)
        if sel.actor:
            mask &= self._outcomes_of(sel.actor, {"changed": True, "contributor": False}.get(sel.role))
        if sel.with_:
            mask &= self._outcomes_of(sel.with_, False)
        if text and sel.q:
            q = sel.q.lower()
            mask &= np.fromiter((q in t for t in self.texts), dtype=bool, count=len(self.texts))
        return mask

    def facet_counts(self, mask: np.ndarray) -> dict[str, list[FacetValue]]:
        """Outcomes of ``mask`` per value of every facet (values with none left out)."""
        return _values(self.labels, {f.key: {k: int(np.count_nonzero(col & mask)) for k, col in
                                             self.members[f.key].items()} for f in FACETS})


def _values(labels: dict[str, dict[str, str | None]], counts: dict[str, dict[str, int]]) -> dict[str, list[FacetValue]]:
    """Facet values as the list pages show them: a country as "Kenya (KE)", a value without a label by its
    code; years newest first, the others by count then label."""
    out: dict[str, list[FacetValue]] = {}
    for f in FACETS:
        vals = []
        for key, n in counts[f.key].items():
            if not n:
                continue
            lab = labels[f.key].get(key)
            text = key if f.key in ("year", "country") and not lab else (lab or key)
            if f.key == "country" and lab:
                text = f"{lab} ({key})"
            vals.append(FacetValue(key, text, n))
        if f.key == "year":
            vals.sort(key=lambda v: v.key, reverse=True)
        else:
            vals.sort(key=lambda v: (-v.count, v.label.lower()))
        out[f.key] = vals
    return out


def known_values(cat: Catalogue) -> dict[str, list[FacetValue]]:
    """Every facet value of the reader's data with its number of outcomes."""
    return cat.facet_counts(np.ones(len(cat.iris), dtype=bool))


def outcome_list(cat: Catalogue, sel: Selection) -> tuple[list[dict], int, dict[str, list[FacetValue]]]:
    """The page of outcomes (``sel.limit + 1`` rows at most: one more says there is a next page), the
    number matched, the facet counts over them."""
    mask = cat.outcome_mask(sel)
    perm = cat.outcome_order[sel.sort]
    if sel.order == "desc":
        perm = _descending(cat, sel.sort, perm)
    chosen = perm[mask[perm]]
    rows = []
    for i in chosen[sel.offset:sel.offset + sel.limit + 1].tolist():
        year = int(cat.years[i])
        rows.append({"outcome": cat.iris[i], "id": cat.ids[i], "year": str(year) if year != _YEAR_UNBOUND else None,
                     "countryCode": cat.country_codes[i], "programmeCode": cat.programme_codes[i],
                     "description": cat.descriptions[i], "significance": cat.significance[i],
                     "contribution": cat.contribution[i]})
    return rows, int(np.count_nonzero(mask)), cat.facet_counts(mask)


def _descending(cat: Catalogue, sort: str, perm: np.ndarray) -> np.ndarray:
    """DESC(key) then the FragmentID ascending (OUTCOME_SORTS), unbound keys last; by ID: reversed."""
    if sort == "id":
        return perm[::-1]
    key = {"year": lambda i: cat.years[i] if cat.years[i] != _YEAR_UNBOUND else None,
           "country": lambda i: cat.country_codes[i], "programme": lambda i: cat.programme_codes[i]}[sort]
    groups: dict = {}
    for i in perm.tolist():  # ascending by key, ties by ID
        groups.setdefault(key(i), []).append(i)
    bound = sorted((k for k in groups if k is not None), reverse=True)
    return np.array([i for k in [*bound, None] if k in groups for i in groups[k]], dtype=np.int64)


def _actor_links(cat: Catalogue, sel: Selection) -> np.ndarray:
    """The links (rows of link_*) of the actors list: actors linked to an outcome the selection matches
    (facets other than actor kind), the actor-kind facet and the search text applied to the actor."""
    keep = cat.outcome_mask(sel, actor_kind=False, text=False)[cat.link_outcome]
    kind = sel.value("actor_kind")
    if kind:
        col = cat.actor_kind_of.get(kind)
        keep &= col[cat.link_actor] if col is not None else False
    if sel.q:
        q = sel.q.lower()
        named = np.fromiter((q in s for s in cat.search_names), dtype=bool, count=len(cat.actors))
        keep &= named[cat.link_actor]
    return keep


def actor_list(cat: Catalogue, sel: Selection) -> tuple[list[dict], int, dict[str, list[FacetValue]]]:
    """The page of actors with the outcomes each changed in and contributed to within the selection, the
    number of actors matched, and per facet value the number of actors linked to such outcomes."""
    keep = _actor_links(cat, sel)
    na = len(cat.actors)
    changed = np.bincount(cat.link_actor[keep & cat.link_changed], minlength=na)
    contributed = np.bincount(cat.link_actor[keep & ~cat.link_changed], minlength=na)
    present = np.zeros(na, dtype=bool)
    present[cat.link_actor[keep]] = True
    listed = np.flatnonzero(present)
    name_rank = cat.actor_name_rank[listed]
    if sel.sort == "name":
        order = np.argsort(name_rank if sel.order == "asc" else -name_rank, kind="stable")
    else:
        counts = (changed if sel.sort == "changed" else contributed)[listed]
        order = np.lexsort((name_rank, counts if sel.order == "asc" else -counts))
    rows = []
    for j in listed[order][sel.offset:sel.offset + sel.limit + 1].tolist():
        rows.append({"actor": cat.actors[j], "name": cat.names[j], "kindIri": cat.kinds[j],
                     "changed": str(int(changed[j])), "contributed": str(int(contributed[j]))})
    # facet counts: distinct actors per value of the outcomes they are linked to (actor kind: their own)
    import scipy.sparse as sp

    ka, ko = cat.link_actor[keep], cat.link_outcome[keep]
    pairs = sp.csr_matrix((np.ones(len(ka), dtype=np.int32), (ka, ko)), shape=(na, len(cat.iris)))
    counts: dict[str, dict[str, int]] = {}
    for f in FACETS:
        if f.key == "actor_kind":
            counts[f.key] = {k: int(np.count_nonzero(col & present)) for k, col in cat.actor_kind_of.items()}
            continue
        counts[f.key] = {k: int(np.count_nonzero(pairs @ col.astype(np.int32))) for k, col in cat.members[f.key].items()}
    return rows, int(len(listed)), _values(cat.labels, counts)


def actor_name(cat: Catalogue, ref: str) -> str | None:
    j = cat._actor(ref)
    return cat.names[j] if j is not None else None


def actor_ref_ignoring_case(cat: Catalogue, slug: str) -> str | None:
    """The ref (``actor/...`` or ``programme/...``) of the one actor linked to an outcome whose slug is
    ``slug`` but for its case (``afrp`` for ``programme/AFRP``), or None (none, or more than one)."""
    want, hits = slug.casefold(), []
    for iri in cat.actors:  # (a scan, on an address that named no actor as written)
        ref = iri[len(str(ID)):]
        kind, _, tail = ref.partition("/")
        if kind in ("actor", "programme") and tail.casefold() == want and any(actor_counts(cat, ref) or ()):
            hits.append(ref)
    return hits[0] if len(hits) == 1 else None


def actor_outcomes(cat: Catalogue, ref: str, changed: bool, limit: int, offset: int = 0) -> tuple[list[dict], int]:
    """The outcomes an actor changed in (``changed``) or contributed to, newest year first then by
    FragmentID (undated last): at most ``limit + 1`` rows from the ``offset``-th, and how many there are."""
    mask = cat._outcomes_of(ref, changed)
    chosen = _descending(cat, "year", cat.outcome_order["year"])
    chosen = chosen[mask[chosen]]
    rows = []
    for i in chosen[offset:offset + limit + 1].tolist():
        year = int(cat.years[i])
        rows.append({"outcome": cat.iris[i], "id": cat.ids[i], "year": str(year) if year != _YEAR_UNBOUND else None,
                     "country": cat.country_codes[i], "description": cat.descriptions[i]})
    return rows, int(np.count_nonzero(mask))


def co_contributors(cat: Catalogue, ref: str) -> list[dict]:
    """The actors that contributed to an outcome the actor contributed to, with the number of such
    outcomes: the rows of the named query ``co_contributors`` for this actor, in its order (most shared
    first, then the pair's names, the pair ordered by IRI). Computed from the links, not by pairing every
    contributor of the store (at 10k fragments the named query ran past the readers' limit)."""
    j = cat._actor(ref)
    if j is None:
        return []
    contributed = ~cat.link_changed
    mine = np.zeros(len(cat.iris), dtype=bool)
    mine[cat.link_outcome[contributed & (cat.link_actor == j)]] = True
    with_me = contributed & mine[cat.link_outcome] & (cat.link_actor != j)
    shared = np.bincount(cat.link_actor[with_me], minlength=len(cat.actors))
    me = cat.actors[j]
    rows = []
    for k in np.flatnonzero(shared).tolist():
        a, b = (j, k) if me < cat.actors[k] else (k, j)
        rows.append({"actorA": cat.actors[a], "nameA": cat.names[a], "actorB": cat.actors[b], "nameB": cat.names[b],
                     "sharedOutcomes": str(int(shared[k]))})

    def name_key(name: str | None) -> tuple[bool, str]:
        return name is not None, "~" + (name or "")

    rows.sort(key=lambda r: (-int(r["sharedOutcomes"]), name_key(r["nameA"]), name_key(r["nameB"])))
    return rows


def actor_counts(cat: Catalogue, ref: str) -> tuple[int, int] | None:
    """(outcomes changed in, outcomes contributed to) of an actor; None if it is linked to none."""
    j = cat._actor(ref)
    if j is None:
        return None
    hit = cat.link_actor == j
    return int(np.count_nonzero(hit & cat.link_changed)), int(np.count_nonzero(hit & ~cat.link_changed))


def actor_has_page(cat: Catalogue, iri: str) -> bool:
    """Whether an actor's or programme's IRI has a reader's page (/actors/SLUG): it changed in or contributed to
    an outcome of this index. An actor only mentioned in them (hg:mentions) has none: its page answers 404."""
    return any(actor_counts(cat, iri[len(str(ID)):]) or ())
