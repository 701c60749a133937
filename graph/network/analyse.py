"""Who contributed to what: the contribution network and its measures (networkx).

The network is built from SPARQL results over the graphs the reader may see (never by walking
triples), in three queries of the named library: ``network_outcomes`` (the outcomes that match the
:class:`Filters`, filters bound as typed terms), ``network_edges`` (who changed in / contributed to
those outcomes, the objectives they serve, the outcomes they build on) and ``network_labels`` (names and
kinds of the nodes). Labels are fetched separately because a label repeated in every fragment graph
would otherwise multiply the edge rows.

Nodes are IRIs. Node ``kind``: ``outcome``, ``objective`` or the actor kind (``ngo``, ``network``,
``government``, ``media``, ``donor``, ``community``, ``individual``, ``programme``; ``actor`` when unknown).
Edge ``relation``: ``changed`` (hg:changedActor, "changed in"), ``contributed`` (hg:qualifiedContribution →
prov:agent, "contributed to", weight = rating rank), ``objective`` (hg:linkedObjective), ``builds_on``.

Measures (:func:`measures`): degree, weighted degree, PageRank, Louvain communities and components as
networkx computes them; betweenness is exact up to EXACT_BETWEENNESS_MAX nodes and, above that, estimated
from BETWEENNESS_SAMPLE fixed-seed pivots (the view's legend says so), which keeps a 5,000-node view fast.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field, fields
from itertools import combinations

import networkx as nx
import pyoxigraph as ox

from .. import concepts, queries
from ..errors import HarvestError
from ..store import GraphStore
from ..vocab import CONTRIBUTION_PATTERN_IRIS, HG, ID, RDFS, SKOS

RDFS_LABEL, PREF_LABEL, NOTATION = str(RDFS.label), str(SKOS.prefLabel), str(SKOS.notation)
HG_ACTOR_KIND, HG_ISO = str(HG.actorKind), str(HG.isoCode)

RELATION_LABELS = {"changed": "changed in", "contributed": "contributed to", "objective": "serves objective",
                   "builds_on": "builds on"}
RATING_RANKS = {"small": 1, "partial": 2, "moderate": 2, "medium": 2, "large": 3}
ACTOR_KINDS = ("programme", "ngo", "network", "government", "media", "donor", "community", "individual", "actor")
SEED = 42  # communities and sampled betweenness are reproducible
EXACT_BETWEENNESS_MAX = 1500  # above this many nodes betweenness is estimated from a node sample
BETWEENNESS_SAMPLE = 100  # pivots of the estimate (Brandes & Pich): seconds, not minutes, at 5,000 nodes


@dataclass(frozen=True)
class Filters:
    """A slice of the portfolio. Every field is optional; each maps to a parameter of the
    ``network_outcomes`` / ``network_edges`` queries and is bound as a typed RDF term there."""

    country: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    objective: str | None = None
    type: str | None = None  # type of change, by label
    harvest: str | None = None
    programme: str | None = None
    programme_only: bool | None = None  # True: only the programme's contributions; False: only others'
    min_rating: int | None = None  # rank 1..3, or a rating label

    def __post_init__(self) -> None:
        if isinstance(self.min_rating, str):
            object.__setattr__(self, "min_rating", rating_rank(self.min_rating))

    def outcome_params(self) -> dict[str, str]:
        """Parameters of ``network_outcomes`` (every filter but programme_only, which selects edges)."""
        return {f.name: str(v) for f in fields(self)
                if f.name != "programme_only" and (v := getattr(self, f.name)) not in (None, "")}

    def edge_params(self) -> dict[str, str]:
        return {} if self.programme_only is None else {"programme_only": str(self.programme_only).lower()}

    def describe(self) -> str:
        """The filters in words, for titles and report headers."""
        parts = [f"{f.name.replace('_', ' ')} = {v}" for f in fields(self)
                 if (v := getattr(self, f.name)) not in (None, "")]
        return "; ".join(parts) or "all outcomes"


def rating_rank(value: str | int | None) -> int | None:
    """A minimum-rating value as a rank: 1..3 or a rating label (small, partial, moderate, medium, large)."""
    if value is None or value == "":
        return None
    text = str(value).strip().lower()
    if text.isdigit() and 1 <= int(text) <= 3:
        return int(text)
    if text in RATING_RANKS:
        return RATING_RANKS[text]
    raise HarvestError(f"bad minimum rating {value!r}: use 1-3 or small, partial, moderate, medium, large",
                       field="min_rating")


@dataclass
class OutcomeRow:
    iri: str
    id: str
    description: str = ""
    year: int | None = None
    country: str | None = None  # IRI
    programme: str | None = None  # IRI
    harvest: str | None = None  # IRI
    significance: str | None = None  # concept IRI
    contribution_rating: str | None = None  # concept IRI
    contribution_rank: int = 1
    programme_text: str = ""
    other_text: str = ""
    objectives: tuple[str, ...] = ()  # IRIs
    types: tuple[str, ...] = ()  # concept IRIs
    confidential: bool = False  # its fragment is (only the confidential role's graphs hold such an outcome)


@dataclass(frozen=True)
class EdgeRow:
    outcome: str
    relation: str
    target: str
    is_programme: bool = False
    text: str = ""
    rating: str | None = None  # concept IRI
    rank: int = 1


@dataclass
class NetworkData:
    """The query results a network, its exports and the report are made of."""

    filters: Filters
    outcomes: dict[str, OutcomeRow]
    edges: list[EdgeRow]
    labels: dict[str, dict[str, list[str]]]  # node IRI → predicate IRI → values

    def label(self, iri: str | None) -> str:
        """A human label: notation + prefLabel for objectives, prefLabel, rdfs:label, or the IRI's tail."""
        if not iri:
            return ""
        facts = self.labels.get(iri, {})
        name = (min(facts.get(PREF_LABEL) or facts.get(RDFS_LABEL) or [""]) or concepts.label_of(iri)
                or iri.rsplit("/", 1)[-1])
        if iri.startswith(str(ID) + "objective/") and facts.get(NOTATION):
            return f"{min(facts[NOTATION])}: {name}"
        if iri in self.outcomes:
            return self.outcomes[iri].id
        return name

    def kind(self, iri: str) -> str:
        if iri in self.outcomes or iri.startswith(str(ID) + "outcome/"):
            return "outcome"
        if iri.startswith(str(ID) + "objective/"):
            return "objective"
        kinds = self.labels.get(iri, {}).get(HG_ACTOR_KIND)
        if kinds:
            k = min(kinds).rsplit("/", 1)[-1]
            return k if k in ACTOR_KINDS else "actor"
        return "programme" if iri.startswith(str(ID) + "programme/") else "actor"

    def country_code(self, iri: str | None) -> str:
        return min(self.labels.get(iri or "", {}).get(HG_ISO) or [""])

    def contributions(self) -> list[EdgeRow]:
        return [e for e in self.edges if e.relation == "contributed"]


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _rows(store: GraphStore, sparql: str, graphs: Sequence[str] | None,
          columns: Sequence[str]) -> list[tuple[str, ...]]:
    """The answers of a SELECT as tuples of plain values in the order of ``columns`` ("" when unbound).
    Read by position, not through ``GraphStore.select``'s dict of terms per answer: that costs a quarter
    of the time of the 15,000 links of a 4,000-node network."""
    res = store.query(sparql, graphs=graphs)
    names = [v.value for v in res.variables]
    at = [names.index(c) for c in columns]
    return [tuple("" if (term := row[i]) is None else term.value for i in at) for row in res]


_SELECT_LINE = re.compile(r"^[ \t]*SELECT\b", re.I | re.M)


def restrict(sparql: str, var: str, iris: Iterable[str]) -> str:
    """Restrict ``var`` to IRIs taken from earlier results (serialised by pyoxigraph, never pasted from user
    input) with a VALUES block.

    A SELECT (whose keyword starts a line, as in the named queries) becomes a sub-query joined with the
    block: Oxigraph evaluates it once and joins the answers by hashing. A VALUES block after the query
    (SPARQL 1.1 §10.2.2) is pushed into it IRI by IRI instead, which re-evaluates every sub-SELECT inside
    (network_edges) for each IRI: minutes instead of a second for 3,000 outcomes. Other query forms (a
    CONSTRUCT over ``GRAPH ?g``, where that push-down is what keeps them fast) get the trailing block."""
    block = f"VALUES ?{var} {{ {' '.join(str(ox.NamedNode(i)) for i in iris)} }}"
    m = _SELECT_LINE.search(sparql)
    if m is None:
        return f"{sparql}\n{block}\n"
    return f"{sparql[:m.start()]}SELECT * WHERE {{\n{{\n{sparql[m.start():]}\n}}\n{block}\n}}\n"


OUTCOME_COLUMNS = ("outcome", "id", "description", "year", "country", "programme", "harvest", "significance",
                   "contributionRating", "contributionRank", "programmeText", "otherText", "objectives", "types",
                   "confidential")
EDGE_COLUMNS = ("outcome", "relation", "target", "text", "rating", "isProgramme", "rank")


Step = tuple[str, tuple[str, ...]]  # (SELECT text, the columns wanted in order)
Plan = Generator[Step, list[tuple[str, ...]], NetworkData]


def fetch_plan(filters: Filters, *, restrict_edges: bool = True, raw: RawRows | None = None) -> Plan:
    """The three network queries as a plan: it yields ``(sparql, columns)`` and is sent back the answers as
    tuples of plain values ("" when unbound); its return value is the :class:`NetworkData`. Whoever runs
    the queries drives it: :func:`fetch` on a store, the web app through its guarded runner.

    ``restrict_edges=False`` runs ``network_edges`` unrestricted (for a whole portfolio: a VALUES block of
    every outcome is a large query text that restricts nothing); links of outcomes not selected are dropped
    either way. ``raw``: filled with the first two queries' answers per outcome (:class:`RawRows`)."""
    outcome_rows = yield queries.bind(queries.get("network_outcomes"), filters.outcome_params()), OUTCOME_COLUMNS
    outcomes = _outcomes(outcome_rows)
    edge_rows: list[tuple[str, ...]] = []
    if outcomes:
        sparql = queries.bind(queries.get("network_edges"), filters.edge_params())
        if restrict_edges:
            sparql = restrict(sparql, "outcome", outcomes)
        edge_rows = yield sparql, EDGE_COLUMNS
    if raw is not None:
        raw.fill(outcome_rows, edge_rows)
    return (yield from _network(filters, outcomes, edge_rows))


@dataclass
class RawRows:
    """The answers of ``network_outcomes`` and ``network_edges`` (unfiltered, whole portfolio) as read,
    per outcome IRI: what a network patched after a write keeps (:func:`patch_plan`). An outcome's rows
    come from facts about its own resources only (the outcome, its fragment, its contributions: the
    union copy of one fragment graph, data model 3) and from the concept schemes (ratings' ranks), so
    the rows of the outcomes whose fragments a write did not touch are the rows a full read would give."""

    outcomes: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    edges: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)

    def fill(self, outcome_rows: Iterable[tuple[str, ...]], edge_rows: Iterable[tuple[str, ...]]) -> None:
        for row in outcome_rows:
            self.outcomes.setdefault(row[0], []).append(row)
        for row in edge_rows:
            self.edges.setdefault(row[0], []).append(row)

    def replace(self, touched: Iterable[str], outcome_rows: Iterable[tuple[str, ...]],
                edge_rows: Iterable[tuple[str, ...]]) -> None:
        """The rows of the ``touched`` outcomes replaced by their rows read again (none: gone)."""
        for iri in touched:
            self.outcomes.pop(iri, None)
            self.edges.pop(iri, None)
        self.fill(outcome_rows, edge_rows)

    def outcome_rows(self) -> list[tuple[str, ...]]:
        return [r for rows in self.outcomes.values() for r in rows]

    def edge_rows(self) -> list[tuple[str, ...]]:
        return [r for rows in self.edges.values() for r in rows]


def for_outcomes(sparql: str, iris: Iterable[str]) -> str:
    """A whole-portfolio network query (``network_outcomes``, ``network_edges``) read for the given outcomes
    only, with the same answers for them. Two rewrites, each keeping the answers of those outcomes:

    * ``{ SELECT ?a ?b WHERE { PATTERN } }`` (plain variables projected, nothing after the pattern) becomes
      ``{ { PATTERN } }``: the variables it hides (the fragment of the harvest period) are used nowhere
      else in these queries;
    * every SELECT (the query's and the remaining sub-SELECTs') that projects ``?outcome`` gets a VALUES
      block of the IRIs first in its WHERE: the outer query joins its answers on ``?outcome`` anyway.

    Why: the whole read evaluates each sub-SELECT once over the whole store and joins by hashing (fast
    for 20,000 outcomes), which makes a read of three outcomes as slow as the whole; rewritten, Oxigraph
    looks their facts up. IRIs come from earlier results (serialised by pyoxigraph), never from input."""
    block = f"VALUES ?outcome {{ {' '.join(str(ox.NamedNode(i)) for i in iris)} }}"
    text = queries._strip_comments(sparql)
    text = _UNWRAP.sub(lambda m: "{ { " + m.group(2) + " } }", text)

    def values(m: re.Match) -> str:
        return m.group(0) + " " + block + " " if re.search(r"\?outcome\b", m.group(1)) else m.group(0)

    out = _SELECT_WHERE.sub(values, text)
    if block not in out:
        raise ValueError("no SELECT projecting ?outcome")
    return out


# `{ SELECT ?a ?b WHERE { PATTERN } }`, PATTERN holding at most one level of braces (an inner OPTIONAL)
_UNWRAP = re.compile(r"\{\s*SELECT((?:\s+\?\w+)+)\s+WHERE\s*\{((?:[^{}]|\{[^{}]*\})*)\}\s*\}")
_SELECT_WHERE = re.compile(r"\bSELECT\b(.*?)\bWHERE\s*\{", re.S | re.I)


# Outcomes per VALUES block of a patch's two queries: up to ~400 the cost is linear (~1.8 CPU-ms an outcome
# and query at 20,000 fragments); past it Oxigraph's join grows faster (2,000 at once: 12.5 CPU-s for both,
# against 2.6 for 200; 2026-12-01, load 4).
PATCH_CHUNK = 250


def patch_plan(raw: RawRows, touched: Iterable[str]) -> Plan:
    """The whole-portfolio network (Filters(), what :func:`fetch_plan` gives) after a write that touched
    the fragments of the ``touched`` outcome IRIs: only their rows are read again (two small queries),
    ``raw`` is updated in place, and the network is made from all the rows as :func:`fetch_plan` makes it
    (the labels of every node read again: a label is shared by fragments, and the write may have added
    or removed the last fragment stating one)."""
    touched = sorted(set(touched))
    outcomes_text = queries.bind(queries.get("network_outcomes"), Filters().outcome_params())
    edges_text = queries.bind(queries.get("network_edges"), Filters().edge_params())
    outcome_rows: list[tuple[str, ...]] = []
    edge_rows: list[tuple[str, ...]] = []
    for i in range(0, len(touched), PATCH_CHUNK):
        chunk = touched[i:i + PATCH_CHUNK]
        outcome_rows += yield for_outcomes(outcomes_text, chunk), OUTCOME_COLUMNS
        edge_rows += yield for_outcomes(edges_text, chunk), EDGE_COLUMNS
    raw.replace(touched, outcome_rows, edge_rows)
    return (yield from _network(Filters(), _outcomes(raw.outcome_rows()), raw.edge_rows()))


def _outcomes(rows: Iterable[tuple[str, ...]]) -> dict[str, OutcomeRow]:
    # By ID: the node order is what the seeded communities and betweenness pivots are drawn from.
    outcomes: dict[str, OutcomeRow] = {}
    for (iri, id_, description, year, country, programme, harvest, significance, rating, rank, programme_text,
         other_text, objectives, types, confidential) in sorted(rows, key=lambda r: (r[1], r[0])):
        outcomes[iri] = OutcomeRow(
            iri=iri, id=id_, description=description, year=_int(year), country=country or None,
            programme=programme or None, harvest=harvest or None, significance=significance or None,
            contribution_rating=rating or None, contribution_rank=_int(rank) or 1, programme_text=programme_text,
            other_text=other_text, objectives=tuple(sorted(objectives.split())),
            types=tuple(sorted(types.split())),  # sorted: GROUP_CONCAT's order is the query plan's
            confidential=confidential == "true")
    return outcomes


def _network(filters: Filters, outcomes: dict[str, OutcomeRow], edge_rows: Iterable[tuple[str, ...]]) -> Plan:
    """The links kept, the labels query, the :class:`NetworkData` (the rest of :func:`fetch_plan`)."""
    edges: list[EdgeRow] = []
    seen: set[tuple[str, str, str]] = set()
    # Sorted: the same link with two texts or ratings keeps the first, reproducibly.
    for outcome, relation, target, text, rating, is_programme, rank in sorted(edge_rows):
        key = (outcome, relation, target)
        if key in seen or outcome not in outcomes:
            continue
        if relation == "builds_on" and target not in outcomes:
            continue  # an outcome outside the slice (or one the reader may not see)
        seen.add(key)
        edges.append(EdgeRow(*key, is_programme=is_programme == "true", text=text, rating=rating or None,
                             rank=_int(rank) or 1))
    nodes = set(outcomes) | {e.target for e in edges}
    for o in outcomes.values():
        nodes.update(x for x in (o.country, o.programme, o.harvest, o.significance, o.contribution_rating) if x)
        nodes.update(o.objectives + o.types)
    for e in edges:
        if e.rating:
            nodes.add(e.rating)
    labels: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    if nodes:
        sparql = restrict(queries.get("network_labels").sparql, "node", sorted(nodes))
        for node, predicate, value in (yield sparql, ("node", "p", "value")):
            labels[node][predicate].append(value)
    # plain dicts: the data crosses process boundaries (the workbench's network is built in a worker)
    return NetworkData(filters, outcomes, edges, {n: dict(p) for n, p in labels.items()})


def run_plan(plan: Plan, select: Callable[[str, tuple[str, ...]], list[tuple[str, ...]]]) -> NetworkData:
    """Drive a :func:`fetch_plan` with ``select(sparql, columns)``."""
    try:
        step = next(plan)
        while True:
            step = plan.send(select(*step))
    except StopIteration as done:
        return done.value


def fetch(store: GraphStore, filters: Filters, graphs: Sequence[str] | None) -> NetworkData:
    """Run the three network queries over ``graphs`` (the reader's visible graphs)."""
    return run_plan(fetch_plan(filters), lambda sparql, columns: _rows(store, sparql, graphs, columns))


# --------------------------------------------------------------------------- networks


def contribution_network(data: NetworkData) -> nx.Graph:
    """Actors, outcomes and objectives; edges typed by relation, ``weight`` = contribution rank (1..3)."""
    g = nx.Graph()
    for o in data.outcomes.values():
        g.add_node(o.iri, kind="outcome", label=o.id, description=o.description, year=o.year or 0,  # 0: no year
                   country=data.country_code(o.country), rating=data.label(o.contribution_rating),
                   significance=data.label(o.significance))
    for e in data.edges:
        if e.target not in g:
            kind = data.kind(e.target)
            g.add_node(e.target, kind=kind, label=data.label(e.target), description="")
        weight = e.rank if e.relation == "contributed" else 1
        attrs = dict(relation=e.relation, origin=e.outcome, weight=weight, rating=data.label(e.rating), text=e.text,
                     programme=e.is_programme)
        old = g.get_edge_data(e.outcome, e.target)
        if old is not None:  # an actor both changed and contributed: keep the contribution, note the change
            if old["relation"] == "contributed":
                old["also_changed"] = True
                continue
            attrs["also_changed"] = True
        g.add_edge(e.outcome, e.target, **attrs)
    return g


def co_contribution(data: NetworkData) -> nx.Graph:
    """Actors linked when they contributed to the same outcome; ``weight`` = number of shared outcomes."""
    by_outcome: dict[str, set[str]] = defaultdict(set)
    for e in data.contributions():
        by_outcome[e.outcome].add(e.target)
    g = nx.Graph()
    shared: Counter[tuple[str, str]] = Counter()
    for actors in by_outcome.values():
        ordered = sorted(actors)
        g.add_nodes_from(ordered)
        shared.update(combinations(ordered, 2))
    g.add_weighted_edges_from((a, b, w) for (a, b), w in shared.items())
    for n in g:
        g.nodes[n].update(kind=data.kind(n), label=data.label(n))
    return g


def outcome_chains(data: NetworkData) -> nx.DiGraph:
    """Outcome → the earlier outcome it builds on (hg:buildsOn); chains are its weakly connected parts."""
    g = nx.DiGraph()
    for e in data.edges:
        if e.relation == "builds_on":
            g.add_edge(e.outcome, e.target)
    for n in g:
        g.nodes[n]["label"] = data.label(n)
    return g


def chains(data: NetworkData) -> list[list[str]]:
    """Each chain of outcomes as outcome IDs in order from the first to the latest (longest first)."""
    g = outcome_chains(data)
    out = []
    for comp in nx.weakly_connected_components(g):
        sub = g.subgraph(comp)
        order = list(reversed(list(nx.topological_sort(sub)))) if nx.is_directed_acyclic_graph(sub) else sorted(comp)
        out.append([data.label(n) for n in order])
    return sorted(out, key=lambda c: (-len(c), c))


# --------------------------------------------------------------------------- measures


def betweenness(g: nx.Graph, k: int | None = None, seed: int = SEED, batch: int = 128) -> dict[str, float]:
    """Normalised shortest-path betweenness of an undirected, unweighted graph (endpoints excluded), from
    every node or from ``k`` pivots (exact if ``k`` ≥ the node count): what
    ``nx.betweenness_centrality(g, k=k, seed=seed)`` returns, same pivots and same scaling, equal up to
    floating-point rounding.

    Brandes' algorithm with the breadth-first searches of ``batch`` sources run together as sparse-matrix
    products (NumPy/SciPy), one per BFS level, instead of a Python loop over every edge of every search:
    4,100 nodes from 100 pivots take 0.1-0.2 s instead of 4-5 s. ``sigma`` counts the shortest paths from each
    source, ``depth`` is the BFS level (-1: not reached), ``delta`` the dependency accumulated backwards.
    """
    import random

    import numpy as np

    nodes = list(g)
    n = len(nodes)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    sampled = k is not None and k < n
    sources = random.Random(seed).sample(nodes, k) if sampled else nodes
    index = {v: i for i, v in enumerate(nodes)}
    adjacency = nx.to_scipy_sparse_array(g, nodelist=nodes, weight=None, format="csr")  # self-loops: harmless
    total = np.zeros(n)
    for start in range(0, len(sources), batch):
        src = np.fromiter((index[s] for s in sources[start:start + batch]), dtype=np.intp)
        cols = np.arange(len(src))
        sigma = np.zeros((n, len(src)))
        sigma[src, cols] = 1.0
        depth = np.full((n, len(src)), -1, dtype=np.int32)
        depth[src, cols] = 0
        frontier, level = sigma.copy(), 0
        while True:  # forward: count the shortest paths reaching the next level
            reached = adjacency @ frontier
            new = (reached > 0) & (depth < 0)
            if not new.any():
                break
            level += 1
            depth[new] = level
            frontier = np.where(new, reached, 0.0)
            sigma += frontier
        delta = np.zeros_like(sigma)
        for lvl in range(level, 0, -1):  # backward: each node passes (1 + delta) / sigma to its parents
            at = depth == lvl
            coeff = np.divide(1.0 + delta, sigma, out=np.zeros_like(sigma), where=at)
            delta += np.where(depth == lvl - 1, sigma * (adjacency @ coeff), 0.0)
        delta[src, cols] = 0.0  # a source is not between itself and the others
        total += delta.sum(axis=1)
    # networkx's scaling for normalised values without endpoints: ordered pairs of the other n - 1 nodes;
    # a pivot's own value was estimated from one pivot fewer.
    if not sampled:
        return dict(zip(nodes, total / ((n - 1) * (n - 2)), strict=True))
    scale = np.full(n, 1 / (k * (n - 2)))
    scale[[index[s] for s in sources]] = 1 / ((k - 1) * (n - 2)) if k > 1 else np.nan
    return dict(zip(nodes, total * scale, strict=True))


def _pagerank(g: nx.Graph) -> dict[str, float]:
    """Weighted PageRank (networkx's SciPy implementation; SciPy is a pinned dependency)."""
    return nx.pagerank(g, weight="weight")


def louvain(g: nx.Graph) -> list[set[str]]:
    """Communities by the Louvain method (weighted, reproducible: fixed seed), with igraph's C
    implementation: networkx's pure-Python one took 169 of the 188 s of the measures for the 100,000-fragment
    network (95k nodes, 544k edges; igraph 6.8 s, the same modularity to 1e-4: 0.2946; measured 2026-11-30)."""
    import random

    import igraph

    nodes = list(g)
    index = {n: i for i, n in enumerate(nodes)}
    h = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in g.edges()])
    igraph.set_random_number_generator(random.Random(SEED))
    try:
        parts = h.community_multilevel(weights=[w for _, _, w in g.edges(data="weight", default=1.0)])
    finally:
        igraph.set_random_number_generator(random)
    return [{nodes[i] for i in members} for members in parts]


def betweenness_pivots(n_nodes: int) -> int | None:
    """How many pivots betweenness is estimated from in a network of ``n_nodes`` (None: it is exact)."""
    return None if n_nodes <= EXACT_BETWEENNESS_MAX else BETWEENNESS_SAMPLE


def measures(g: nx.Graph, *, with_betweenness: bool = True) -> dict[str, dict[str, float | int]]:
    """Per node: degree, weighted degree, betweenness, PageRank, community and component numbers.

    Betweenness is exact up to EXACT_BETWEENNESS_MAX nodes and estimated from a fixed-seed sample of
    pivots above that (:func:`betweenness_pivots`; the view's legend says so). ``with_betweenness=False``
    leaves it 0.0 (the workbench shows none: 2.5 s of 15 at 10,000 fragments, load 14, 2026-11-30)."""
    if g.number_of_nodes() == 0:
        return {}
    between = (betweenness(g, betweenness_pivots(g.number_of_nodes())) if with_betweenness
               else dict.fromkeys(g, 0.0))
    pagerank = _pagerank(g)
    communities = louvain(g)
    community_of = {}
    for i, members in enumerate(sorted(communities, key=lambda c: (-len(c), min(c)))):
        for m in members:
            community_of[m] = i + 1
    component_of = {}
    for i, comp in enumerate(sorted(nx.connected_components(g), key=lambda c: (-len(c), min(c)))):
        for m in comp:
            component_of[m] = i + 1
    degree, weighted = dict(g.degree()), dict(g.degree(weight="weight"))
    return {node: {"degree": degree[node], "weighted_degree": weighted[node],
                   "betweenness": round(between[node], 6), "pagerank": round(pagerank[node], 6),
                   "community": community_of[node], "component": component_of[node]} for node in g}


@dataclass
class Analysis:
    """A filtered contribution network with everything computed from it."""

    data: NetworkData
    graph: nx.Graph
    measures: dict[str, dict[str, float | int]]
    co_contribution: nx.Graph = field(default_factory=nx.Graph)

    def actors(self) -> list[str]:
        return [n for n, k in self.graph.nodes(data="kind") if k not in ("outcome", "objective")]


def analyse(store: GraphStore, filters: Filters | None = None, *, graphs: Sequence[str] | None) -> Analysis:
    """Build and measure the network of ``filters`` over ``graphs`` (pass store.visible_graphs(...))."""
    return analyse_data(fetch(store, filters or Filters(), graphs))


def analyse_data(data: NetworkData, *, with_betweenness: bool = True, with_co_contribution: bool = True) -> Analysis:
    """Build and measure the network of fetched query results (:func:`fetch`, :func:`fetch_plan`).
    The two ``with_`` flags leave out what a caller does not show (the workbench: neither)."""
    g = contribution_network(data)
    m = measures(g, with_betweenness=with_betweenness)
    for node, values in m.items():
        g.nodes[node].update(values)
    return Analysis(data, g, m, co_contribution(data) if with_co_contribution else nx.Graph())


def actor_summary(a: Analysis) -> list[dict[str, object]]:
    """One row per actor: outcomes changed in, contributions made, co-contributors, centrality."""
    changed: Counter[str] = Counter()
    contributed: Counter[str] = Counter()
    programme_contribs: Counter[str] = Counter()
    for e in a.data.edges:
        if e.relation == "changed":
            changed[e.target] += 1
        elif e.relation == "contributed":
            contributed[e.target] += 1
            programme_contribs[e.target] += e.is_programme
    rows = []
    for actor in a.actors():
        node, m = a.graph.nodes[actor], a.measures[actor]
        co = a.co_contribution
        rows.append({
            "actor": node["label"], "kind": node["kind"], "iri": actor,
            "outcomes_changed_in": changed[actor], "contributions": contributed[actor],
            "co_contributors": co.degree(actor) if actor in co else 0,
            "degree": m["degree"], "weighted_degree": m["weighted_degree"], "betweenness": m["betweenness"],
            "pagerank": m["pagerank"], "community": m["community"], "component": m["component"]})
    return sorted(rows, key=lambda r: (-r["contributions"], -r["outcomes_changed_in"], str(r["actor"])))


def community_summary(a: Analysis) -> list[dict[str, object]]:
    """Per community: size, actors and outcomes in it, and its most central actor (by PageRank)."""
    members: dict[int, list[str]] = defaultdict(list)
    for node, m in a.measures.items():
        members[int(m["community"])].append(node)
    rows = []
    for cid in sorted(members):
        nodes = members[cid]
        actors = [n for n in nodes if a.graph.nodes[n]["kind"] not in ("outcome", "objective")]
        top = max(actors, key=lambda n: (a.measures[n]["pagerank"], n), default=None)
        rows.append({"community": cid, "nodes": len(nodes), "actors": len(actors),
                     "outcomes": sum(a.graph.nodes[n]["kind"] == "outcome" for n in nodes),
                     "top_actor": a.graph.nodes[top]["label"] if top else ""})
    return rows


def contribution_rows(data: NetworkData) -> list[dict[str, object]]:
    """The contributions table: one row per (outcome, contributor)."""
    rows = []
    for e in data.contributions():
        o = data.outcomes[e.outcome]
        rows.append({"outcome_id": o.id, "contributor": data.label(e.target),
                     "programme_or_other": "programme" if e.is_programme else "other",
                     "rating": data.label(e.rating), "text": e.text, "country": data.country_code(o.country),
                     "year": o.year if o.year is not None else "",
                     "objective": "; ".join(data.label(x) for x in o.objectives)})
    return rows


def contribution_patterns(data: NetworkData) -> dict[str, str]:
    """Each outcome's contribution pattern (the IRI of its concept, vocab.CONTRIBUTION_PATTERN_IRIS), read from its
    qualified contributions as the mapping derived its ``hg:contributionPattern``: the programme's own (its
    contribution field), another actor's (the programme itself included, on another programme's outcome)."""
    flags: dict[str, set[bool]] = {iri: set() for iri in data.outcomes}
    for e in data.edges:
        if e.relation == "contributed" and e.outcome in flags:
            flags[e.outcome].add(e.is_programme)
    return {iri: CONTRIBUTION_PATTERN_IRIS[True in f, False in f] for iri, f in flags.items()}


def who_contributed(data: NetworkData, pattern: dict[str, str] | None = None
                    ) -> tuple[list[str], list[str], dict[tuple[str, str], int]]:
    """Outcomes counted by programme (rows) × who was found to contribute (columns: the programme alone, the
    programme and other actors, other actors only, nobody): how often the programme shares the credit.
    ``pattern``: :func:`contribution_patterns` of ``data``, when the caller has it already."""
    pattern = pattern if pattern is not None else contribution_patterns(data)
    counts: Counter[tuple[str, str]] = Counter()
    for o in data.outcomes.values():
        counts[(data.label(o.programme) or "(no programme)", data.label(pattern[o.iri]))] += 1
    rows = sorted({r for r, _ in counts})
    shown = {c for _, c in counts}
    cols = [data.label(p) for p in CONTRIBUTION_PATTERN_IRIS.values() if data.label(p) in shown]
    return rows, cols, dict(counts)


def outcome_rows(data: NetworkData) -> list[dict[str, object]]:
    """The outcomes table: one row per outcome with its labels resolved."""
    n_contrib = Counter(e.outcome for e in data.contributions())
    pattern = contribution_patterns(data)
    return [{"outcome_id": o.id, "description": o.description, "country": data.country_code(o.country),
             "year": o.year if o.year is not None else "", "programme": data.label(o.programme),
             "harvest": data.label(o.harvest), "significance": data.label(o.significance),
             "contribution_rating": data.label(o.contribution_rating),
             "objectives": "; ".join(data.label(x) for x in o.objectives),
             "types_of_change": "; ".join(sorted(data.label(x) for x in o.types)),
             "contributors": n_contrib[o.iri], "who_contributed": data.label(pattern[o.iri])}
            for o in data.outcomes.values()]


SIGNIFICANCE_ORDER = ("small", "medium", "large", "unrated")
CONTRIBUTION_ORDER = ("small", "partial", "moderate", "medium", "large", "unrated")


def significance_contribution(data: NetworkData) -> tuple[list[str], list[str], dict[tuple[str, str], int]]:
    """Outcomes counted by significance rating (rows) × contribution rating (columns)."""
    counts: Counter[tuple[str, str]] = Counter()
    for o in data.outcomes.values():
        counts[(data.label(o.significance) or "unrated", data.label(o.contribution_rating) or "unrated")] += 1
    rows = _ordered({r for r, _ in counts}, SIGNIFICANCE_ORDER)
    cols = _ordered({c for _, c in counts}, CONTRIBUTION_ORDER)
    return rows, cols, dict(counts)


def type_objective(data: NetworkData) -> tuple[list[str], list[str], dict[tuple[str, str], int]]:
    """Outcomes counted by type of change (rows) × objective (columns); multi-valued fields count once each."""
    counts: Counter[tuple[str, str]] = Counter()
    for o in data.outcomes.values():
        for t in o.types or ("",):
            for ob in o.objectives or ("",):
                counts[(data.label(t) or "(none)", data.label(ob) or "(none)")] += 1
    return sorted({r for r, _ in counts}), sorted({c for _, c in counts}), dict(counts)


def _ordered(values: set[str], order: Sequence[str]) -> list[str]:
    known = [v for v in order if v in values]
    return known + sorted(values - set(order))
