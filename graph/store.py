"""RDF stores: the embedded on-disk Oxigraph (default) behind an interface a remote SPARQL 1.1 endpoint
implements too (:mod:`harvestgraph.remote`).

Writes are batches: the graphs to drop and the quads to add are applied in ONE transaction, so a batch
is all or nothing (also under SIGKILL: Oxigraph commits through RocksDB's write-ahead log). Queries can
be confined to a list of graphs (the union becomes the default graph and the only named graphs), which
is how confidential fragments are kept from readers who may not see them.
"""

from __future__ import annotations

import gc
import io
import os
import re
import shutil
import time
import traceback
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, groupby, islice
from pathlib import Path

import pyoxigraph as ox

from .errors import StoreError
from .resources import ontology_path
from .vocab import (CONCEPTS_GRAPH, CONFIDENTIAL_UNION_GRAPH, GRAPH, HG, ID, ONTOLOGY_GRAPH, PUBLIC_UNION_GRAPH,
                    REGISTRY_GRAPH, SHAPES_GRAPH, SYSTEM_GRAPH, graph_of_fragment, is_fragment_graph,
                    is_provenance_node)

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

STATIC_GRAPHS = {  # graph → bundled file
    str(ONTOLOGY_GRAPH): "harvestgraph.ttl",
    str(CONCEPTS_GRAPH): "concepts.ttl",
    str(SHAPES_GRAPH): "shapes.ttl",
}
PUBLIC_STATIC_GRAPHS = (str(ONTOLOGY_GRAPH), str(CONCEPTS_GRAPH))

_HASHES = f"""SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?f <{HG.contentHash}> ?h }} }}"""
# The hashes of given graphs (bound by VALUES): one lookup each, whatever the size of the store.
_HASHES_OF = f"""SELECT ?g ?h WHERE {{ VALUES ?g {{ {{graphs}} }} GRAPH ?g {{ ?g <{HG.contentHash}> ?h }} }}"""
_CONFIDENTIAL_OF = f"""SELECT DISTINCT ?g WHERE {{ VALUES ?g {{ {{graphs}} }}
    GRAPH ?g {{ ?f <{HG.isConfidential}> true }} }}"""
# Graphs per VALUES block (a query text of ~200 KB).
LOOKUP_CHUNK = 2000
# The version of the data model written by this code (docs/model.md), kept in the store's system graph
# and checked when a store is opened: a store of another model is refused, never misread.
# 1: raw fields as hg:FieldValue resources, typed mentions with their text (until Nov 2026, no marker);
# 2: the raw record as one JSON literal (hg:rawRecord), lean mentions (issue 14);
# 3: the mentions of an outcome as one JSON literal (hg:mentionRecord), not as resources (issue 14).
MODEL_VERSION = "3"
_SYSTEM = str(SYSTEM_GRAPH)
_MODEL_QUERY = f"""SELECT ?v WHERE {{ GRAPH <{_SYSTEM}> {{ <{_SYSTEM}> <{HG.modelVersion}> ?v }} }}"""
# In the default graph (the union graphs) first: no GRAPH, so a remote store need not list its graphs;
# then in any graph (a store written before the union graphs existed).
_ANY_FRAGMENT = (f"""ASK {{ ?f a <{HG.Fragment}> }}""", f"""ASK {{ GRAPH ?g {{ ?f a <{HG.Fragment}> }} }}""")


def _older(version: str) -> bool:
    try:
        return int(version) < int(MODEL_VERSION)
    except ValueError:
        return False


def model_quad() -> ox.Quad:
    """The store's data-model marker (written with the first write)."""
    g = ox.NamedNode(_SYSTEM)
    return ox.Quad(g, ox.NamedNode(str(HG.modelVersion)), ox.Literal(MODEL_VERSION), g)
_FRAGMENT_GRAPHS = f"""SELECT ?g ?c WHERE {{ GRAPH ?g {{ ?f a <{HG.Fragment}> .
    OPTIONAL {{ ?f <{HG.isConfidential}> ?c }} }} }}"""


class GraphList(list):
    """The graphs a reader may read (fragment graphs and the public static graphs), as a list, plus
    ``default``: the graphs to use as the query's default graph, i.e. the union graph(s) of exactly
    those fragment graphs. Querying one set-semantics union graph instead of thousands of fragment
    graphs is what keeps queries fast, and a fact repeated in many fragments counts once."""

    def __init__(self, graphs: Iterable[str], default: Sequence[str]):
        super().__init__(graphs)
        self.default = list(default)
        self._set: frozenset[str] | None = None

    def __contains__(self, iri) -> bool:  # a set lookup, not a scan of 100,000 graphs
        if self._set is None:
            self._set = frozenset(self)
        return iri in self._set

    def __reduce__(self):  # picklable (to worker processes) without the lazily built set
        return (GraphList, (list(self), self.default))


_PUBLIC, _CONFIDENTIAL = str(PUBLIC_UNION_GRAPH), str(CONFIDENTIAL_UNION_GRAPH)
UNION_GRAPHS = (_PUBLIC, _CONFIDENTIAL)
_FRAGMENT_PREFIX = str(GRAPH) + "fragment/"
# The default graph of graphs=None (the data owner's view: every fragment, the registry, the schemes).
EVERYTHING = (*UNION_GRAPHS, *PUBLIC_STATIC_GRAPHS, str(REGISTRY_GRAPH))
_CONFIDENTIAL_FLAG = HG.isConfidential
_HASH = str(HG.contentHash)
_HASH_NODE, _FLAG_NODE = ox.NamedNode(_HASH), ox.NamedNode(str(_CONFIDENTIAL_FLAG))
# Predicates of fragment graphs never copied into the union graphs: bookkeeping and the provenance records.
_FRAGMENT_ONLY = {_HASH_NODE, ox.NamedNode(str(HG.rawRecord)), ox.NamedNode(str(HG.mentionRecord))}
_TRUE = ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
_UNIONS = {False: ox.NamedNode(_PUBLIC), True: ox.NamedNode(_CONFIDENTIAL)}


# Of the fragment's own resources (the fragment, its outcome, its contributions), only these stay in the
# fragment graph as well as in its union: what lists the fragment graphs and tells their class.
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_KEPT_OWN = {_RDF_TYPE, _FLAG_NODE}
_ID = str(ID)
_QUALIFIED = str(HG.qualifiedContribution)


def own_resources(graph: str) -> tuple[str, str, str]:
    """(fragment IRI, outcome IRI, prefix of its contributions' IRIs) of a fragment graph: the resources
    only that fragment describes (the encoded FragmentID is the same in each; "/" is encoded in it)."""
    enc = graph[len(_FRAGMENT_PREFIX):]
    return f"{_ID}fragment/{enc}", f"{_ID}outcome/{enc}", f"{_ID}contribution/{enc}/"


def placement(q: ox.Quad, own: tuple[str, str, str]) -> tuple[bool, bool]:
    """(kept in the fragment graph, copied into its union graph) for a quad of a fragment graph whose own
    resources are ``own`` (:func:`own_resources`).

    * The provenance records (the raw record, the mention record; mention resources of older mappings,
      see :func:`~harvestgraph.vocab.is_provenance_node`) and the content hash: the fragment graph only.
    * Facts about the fragment's own resources: the union graph only (issue 14: a second copy of them in
      the fragment graph was a quarter of the store; their subject says which fragment states them), but
      for the fragment's type and confidentiality flag, which list the fragment graphs and tell their class.
    * Facts about shared resources (the labels of the actors, places, objectives, ... it names): both. The
      union copy is what readers query; the fragment graph's copy is what keeps the union exact when a
      fragment is removed (a label stays while another fragment of the same class still states it), and
      what keeps a label that only a confidential fragment states out of the public union."""
    o = q.object
    return _place(q.subject.value, q.predicate, o.value if isinstance(o, ox.NamedNode) else None, own,
                  _FRAGMENT_ONLY, _KEPT_OWN)


def _place(subject: str, predicate, object_iri: str | None, own: tuple[str, str, str], fragment_only,
           kept_own) -> tuple[bool, bool]:
    """The rule of :func:`placement`, for a quad as terms or as printed (``predicate`` is looked up in
    ``fragment_only`` and ``kept_own``, sets of the same form; ``object_iri``: the object's IRI, if any)."""
    if predicate in fragment_only or is_provenance_node(subject):
        return True, False
    if object_iri is not None and is_provenance_node(object_iri):
        return True, False
    if subject == own[1] or subject.startswith(own[2]):
        return False, True
    if subject == own[0]:
        return predicate in kept_own, True
    return True, True


def in_union(q: ox.Quad) -> bool:
    """Whether a fragment graph's quad (as mapped) is copied into its union graph (see :func:`placement`)."""
    g = q.graph_name
    own = own_resources(g.value) if isinstance(g, ox.NamedNode) else ("", "", "\0")
    return placement(q, own)[1]


def with_unions(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """The quads as stored: each fragment graph's quads that stay in it, followed by its quads' copies in
    its union graph (public or confidential, by the fragment's flag; see :func:`placement`). A fragment's
    quads arrive together (one graph at a time); other graphs' quads pass unchanged."""
    buffer: list[ox.Quad] = []
    current = None

    def flush() -> Iterator[ox.Quad]:
        if not buffer:
            return
        confidential = any(q.predicate == _FLAG_NODE and q.object == _TRUE for q in buffer)
        union = _UNIONS[confidential]
        own = own_resources(current.value)
        places = [placement(q, own) for q in buffer]
        yield from (q for q, (keep, _) in zip(buffer, places) if keep)
        for q, (_, copy) in zip(buffer, places):
            if copy:
                yield ox.Quad(q.subject, q.predicate, q.object, union)

    for q in quads:
        g = q.graph_name
        if g != current:
            yield from flush()
            buffer, current = [], g
        if isinstance(g, ox.NamedNode) and g.value.startswith(_FRAGMENT_PREFIX):
            buffer.append(q)
        else:
            yield q
    yield from flush()


# The same placement read from a printed quad (``str(quad)``: "S P O G", IRIs as <...>, blank nodes as _:id,
# no space inside S, P or G): the writers hand the mapping's printed lines to the loader without turning
# them back into terms. tests/test_store_backends checks it against :func:`placement` quad for quad.
_FRAGMENT_ONLY_TOKENS = frozenset(str(n) for n in _FRAGMENT_ONLY)
_KEPT_OWN_TOKENS = frozenset(str(n) for n in _KEPT_OWN)
_FLAG_TOKEN, _TRUE_TOKEN = str(_FLAG_NODE), str(_TRUE)


def _token_value(token: str) -> str:
    """The value of a printed IRI or blank node (what ``term.value`` gives)."""
    return token[1:-1] if token[:1] == "<" else token[2:]


def line_placement(line: str, graph_token: str, own: tuple[str, str, str]) -> tuple[bool, bool]:
    """:func:`placement` of a printed quad of the fragment graph ``graph_token`` (printed: <IRI>)."""
    s, p, rest = line.split(" ", 2)
    o = rest[:-len(graph_token) - 1]
    return _place(_token_value(s), p, o[1:-1] if o[:1] == "<" else None, own, _FRAGMENT_ONLY_TOKENS,
                  _KEPT_OWN_TOKENS)


def _is_flag(line: str) -> bool:
    s, p, rest = line.split(" ", 2)
    return p == _FLAG_TOKEN and rest.startswith(_TRUE_TOKEN + " ")


def stored_lines(graph: str, lines: Sequence[str]) -> list[tuple[str, str]]:
    """A fragment graph's printed quads (``graph``: its IRI) as stored: (statement without its graph, graph
    as printed) of each quad kept in the fragment graph, then of each copy in its union graph (public or
    confidential by the fragment's flag), as :func:`with_unions` does with terms."""
    token = f"<{graph}>"
    if not graph.startswith(_FRAGMENT_PREFIX):
        return [(line[:-len(token) - 1], token) for line in lines]
    own = own_resources(graph)
    places = [line_placement(line, token, own) for line in lines]
    union = str(_UNIONS[any(_is_flag(line) for line in lines if _FLAG_TOKEN in line)])
    cut = -len(token) - 1
    return [*((line[:cut], token) for line, (keep, _) in zip(lines, places) if keep),
            *((line[:cut], union) for line, (_, copy) in zip(lines, places) if copy)]


def fragment_nquads(graph: str, lines: Sequence[str]) -> str:
    """N-Quads text of a graph's printed quads as stored (:func:`stored_lines`), for the bulk loader."""
    if not graph.startswith(_FRAGMENT_PREFIX):
        return "".join(line + " .\n" for line in lines)
    return "".join(f"{body} {g} .\n" for body, g in stored_lines(graph, lines))


def nquads_text(quads: Iterable[ox.Quad]) -> str:
    """N-Quads text of what :func:`with_unions` yields, for the bulk loader. A union copy is the quad's
    line with the union graph's name."""
    out: list[str] = []
    for graph, group in groupby(quads, key=lambda q: q.graph_name):
        lines = [str(q) for q in group]
        if isinstance(graph, ox.NamedNode):
            out.append(fragment_nquads(graph.value, lines))
        else:
            out.extend(line + " .\n" for line in lines)
    return "".join(out)


def union_removals(drop: Iterable[str]) -> list[str]:
    """SPARQL Update operations removing from the union graphs what the dropped fragment graphs stated:
    the facts about their own resources (kept in the unions only, found by subject), and the shared
    triples that no other fragment graph of the same class holds (run before the DROPs, in the same
    request: one transaction)."""
    frags = [g for g in drop if is_fragment_graph(g)]
    if not frags:
        return []
    values = " ".join(f"<{g}>" for g in frags)
    listed = ", ".join(f"<{g}>" for g in frags)
    owns = [own_resources(g) for g in frags]
    outcomes = " ".join(f"<{o[1]}>" for o in owns)
    subjects = " ".join(f"<{o[0]}> <{o[1]}>" for o in owns)
    ops = []
    for union in UNION_GRAPHS:
        ops.append(f"""DELETE {{ GRAPH <{union}> {{ ?s ?p ?o }} }} WHERE {{
  VALUES ?oc {{ {outcomes} }} GRAPH <{union}> {{ ?oc <{_QUALIFIED}> ?s . ?s ?p ?o }} }}""")
        ops.append(f"""DELETE {{ GRAPH <{union}> {{ ?s ?p ?o }} }} WHERE {{
  VALUES ?s {{ {subjects} }} GRAPH <{union}> {{ ?s ?p ?o }} }}""")
    for union, confidential in ((_PUBLIC, False), (_CONFIDENTIAL, True)):
        flag = ("FILTER EXISTS" if confidential else "FILTER NOT EXISTS") + \
            f" {{ GRAPH ?g2 {{ ?f2 <{_CONFIDENTIAL_FLAG}> true }} }}"
        ops.append(f"""DELETE {{ GRAPH <{union}> {{ ?s ?p ?o }} }} WHERE {{
  VALUES ?dropped {{ {values} }}
  GRAPH ?dropped {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{
    GRAPH ?g2 {{ ?s ?p ?o }}
    FILTER (STRSTARTS(STR(?g2), "{_FRAGMENT_PREFIX}") && ?g2 NOT IN ({listed}))
    {flag}
  }}
}}""")
    return ops


def update_text(drop: Iterable[str], quads: Iterable[ox.Quad], remove: Iterable[ox.Quad] = (), *,
                blank_as_pattern: bool = False, printed: Sequence[tuple[str, Sequence[str]]] = ()) -> str:
    """One SPARQL Update request: keep the union graphs right, DROP the graphs, DELETE DATA ``remove``
    (quads no union holds), then INSERT DATA the quads (and their union copies; N-Triples term syntax).
    ``printed``: more graphs to insert as (graph IRI, printed quads: see :meth:`GraphStore.write_printed`).
    ``blank_as_pattern``: a batch holding blank nodes is sent as ``INSERT { ... } WHERE { }`` instead (where
    one blank node label is one node), for engines that refuse them in INSERT DATA (Virtuoso)."""
    drop, quads = list(drop), list(quads)
    parts = [*union_removals(drop), *(f"DROP SILENT GRAPH <{g}>" for g in drop)]
    gone = "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in remove)
    if gone:
        parts.append("DELETE DATA {\n" + gone + "\n}")
    body = "\n".join([*(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in with_unions(quads)),
                      *(f"GRAPH {g} {{ {s} }}" for graph, lines in printed for s, g in stored_lines(graph, lines))])
    if body:
        blank = blank_as_pattern and any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object))
        parts.append("INSERT {\n" + body + "\n} WHERE { }" if blank else "INSERT DATA {\n" + body + "\n}")
    return " ;\n".join(parts)


_GRAPH_KEYWORD = re.compile(r"\bGRAPH\b|\bNAMED\b", re.I)
# A comment: "#" outside an IRI or a string, to the end of the line (strings and IRIs are matched first
# and kept, so a "#" inside them is not taken for a comment).
_COMMENT = re.compile(r'("(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>)|#[^\n]*')


def mentions_graph(sparql: str) -> bool:
    """Whether a query may look into named graphs (GRAPH, FROM NAMED): only then are the reader's
    thousands of fragment graphs passed as its named graphs (an empty list: no named graph at all).
    Comments don't count (the word "named" in a comment cost 2.5 s per query at 10k)."""
    return bool(_GRAPH_KEYWORD.search(_COMMENT.sub(lambda m: m.group(1) or "", sparql)))


def _named_scope(sparql: str, graphs: Sequence[str]) -> Sequence[str]:
    """The named graphs to give Oxigraph for a query that names graphs, seen by a reader of ``graphs``.
    Oxigraph pays ~20 µs for each graph listed, on every query (92,029 graphs at 100k: 1.9 s for
    ``ASK {}``, 3.5 s for one fragment's record; measured 2026-11-30, load 3-5), so a query whose GRAPH
    clauses all name an IRI gets only those of its IRIs the reader may read (never a graph outside the
    reader's: a clause the text scan missed could find less, not more). ``GRAPH ?g`` needs the
    whole list: a membership test inside the query (FILTER EXISTS on the reader's union graph) is not
    evaluated as a lookup by Oxigraph 0.5 (218 s to enumerate 10,000 fragment graphs, measured)."""
    from .stores.guard import graph_iris

    iris = graph_iris(sparql)
    if iris is None:
        return graphs
    return [g for g in dict.fromkeys(iris) if g in graphs]


class BlobReader(io.RawIOBase):
    """A file over a stream of N-Quads blobs (each ends at a statement boundary) that ends after ``budget``
    lines, at the end of a blob: the bulk loader reads each call's share as it goes, so no chunk is ever
    joined in memory. An exception from the stream is kept in ``error`` (the loader would turn it into
    a generic I/O error) and ends the file."""

    def __init__(self, blobs: Iterable[bytes], budget: int):
        self._blobs = iter(blobs)
        self._view = memoryview(b"")
        self.budget = budget
        self.exhausted = False
        self.error: BaseException | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        while not self._view:
            if self.budget <= 0 or self.exhausted:
                return 0
            try:
                blob = next(self._blobs)
            except StopIteration:
                self.exhausted = True
                return 0
            except BaseException as exc:
                self.error, self.exhausted = exc, True
                return 0
            self._view = memoryview(blob)
            self.budget -= blob.count(b"\n")
        n = min(len(b), len(self._view))
        b[:n] = self._view[:n]
        self._view = self._view[n:]
        return n


class GraphStore(ABC):
    """What every backend offers. Graph names are IRIs as strings."""

    location: str
    # Bumped by every write made through this object. ``None``: the store may change underneath (another
    # process can write to it, e.g. a remote endpoint), so derived results cannot be cached on it.
    generation: int | None = None

    def changed_since(self, generation: int | None) -> frozenset[str] | None:
        """The fragment graphs written (added, replaced, removed, re-flagged) by the writes after
        ``generation`` up to the current one, or None when that is not known for certain: a generation
        not counted, skipped or forgotten, a write that touched anything but fragment graphs (the
        registry, the ontology, the concept schemes), a streamed bulk load. What derives data from the
        store per generation (the server's list index) may patch it by these fragments instead of
        reading everything again; on None it must read everything again."""
        return None

    @abstractmethod
    def query(self, sparql: str, *, graphs: Sequence[str] | None = None,
              substitutions: dict[str, ox.NamedNode | ox.Literal] | None = None) -> QueryResult:
        """Run a SPARQL query. ``graphs``: the only graphs it may see (their union is the default graph,
        or ``graphs.default`` for a :class:`GraphList`); None: every graph, the default graph being the
        union graphs of all fragments plus the ontology, concepts and actor registry. ``substitutions``: variables bound to
        RDF terms before evaluation (safe parameters: never pasted into the query text)."""

    @abstractmethod
    def write(self, drop: Sequence[str], quads: Sequence[ox.Quad], *, remove: Sequence[ox.Quad] = ()) -> None:
        """Atomically drop graphs, remove quads and add quads. ``remove``: quads of fragment graphs that
        are not copied into the union graphs (hashes); nothing else is kept right in the unions."""

    def write_printed(self, drop: Sequence[str], quads: Sequence[ox.Quad],
                      printed: Sequence[tuple[str, Sequence[str]]], *, remove: Sequence[ox.Quad] = ()) -> None:
        """:meth:`write`, with more graphs given as printed quads: (graph IRI, its quads' N-Quads statements
        without the final " ."), as the mapping prints them once (``MappedFragment.lines``). This default
        reads them back as terms; the embedded store hands the text to its loader as it is."""
        more = "".join(line + " .\n" for _, lines in printed for line in lines).encode()
        extra = list(ox.parse(input=more, format=ox.RdfFormat.N_QUADS, lenient=True)) if more else []
        self.write(drop, [*quads, *extra], remove=remove)

    @abstractmethod
    def load_file(self, path: Path, graph: str) -> None:
        """Replace ``graph`` with the contents of a Turtle file."""

    def close(self) -> None:  # pragma: no cover - trivial
        pass

    # -- derived operations, the same for every backend

    def stored_model(self) -> str | None:
        """The data model the store was written in (None: no marker)."""
        rows = self.select(_MODEL_QUERY)
        return rows[0]["v"].value if rows else None

    def check_model(self) -> bool:
        """Whether the store is marked with this code's data model; False for a store holding no fragment
        and no marker (new: its first write marks it). Raises StoreError saying what to run for a store
        written in another model (which this code would misread)."""
        found = self.stored_model()
        if found == MODEL_VERSION:
            return True
        if found is None and not any(bool(self.query(q)) for q in _ANY_FRAGMENT):
            return False
        raise StoreError(f"this store holds harvestgraph data model {found or '1'}, written by "
                         f"{'an older' if _older(found or '1') else 'a newer'} version of harvestgraph; this "
                         f"version reads model {MODEL_VERSION} only (docs/model.md). Ingest your files again into a "
                         f"fresh store: `harvestgraph ingest FILES --store NEW_FOLDER` (re-ingest is incremental "
                         f"from then on), then use NEW_FOLDER", file=self.location)

    def select(self, sparql: str, **kw) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
        res = self.query(sparql, **kw)
        if not isinstance(res, ox.QuerySolutions):
            raise StoreError("not a SELECT query")
        names = [v.value for v in res.variables]
        return [{n: t for n, t in zip(names, row) if t is not None} for row in res]

    def content_hashes(self, graphs: Sequence[str] | None = None) -> dict[str, str]:
        """Graph → its stored hash: of every graph (a scan of the store), or of ``graphs`` only (those not
        stored are absent): a few queries however many graphs the store holds."""
        if graphs is None:
            return {r["g"].value: r["h"].value for r in self.select(_HASHES)}
        return {r["g"].value: r["h"].value for r in self._lookup(_HASHES_OF, graphs)}

    def confidential_graphs(self, graphs: Sequence[str]) -> set[str]:
        """Those of ``graphs`` whose fragment is flagged confidential (their own flag; a few queries)."""
        return {r["g"].value for r in self._lookup(_CONFIDENTIAL_OF, graphs)}

    def _lookup(self, template: str, graphs: Sequence[str]) -> list[dict]:
        rows: list[dict] = []
        graphs = list(graphs)
        for i in range(0, len(graphs), LOOKUP_CHUNK):
            values = " ".join(f"<{g}>" for g in graphs[i:i + LOOKUP_CHUNK])
            rows += self.select(template.replace("{graphs}", values))
        return rows

    def fragment_graphs(self) -> dict[str, bool]:
        """Every fragment graph → whether its fragment is confidential."""
        out: dict[str, bool] = {}
        for r in self.select(_FRAGMENT_GRAPHS):
            g = r["g"].value
            if is_fragment_graph(g):
                out[g] = out.get(g, False) or (r.get("c") is not None and r["c"].value == "true")
        return out

    def visible_graphs(self, *, confidential: bool) -> GraphList:
        """The graphs a reader may see: the public fragment graphs (all of them with the confidential
        role) plus the ontology and concept schemes; queried through their union graph(s)."""
        unions = [_PUBLIC, _CONFIDENTIAL] if confidential else [_PUBLIC]
        # Read from the union graphs (one graph each: 92k fragments in about a second), not from the fragment
        # graphs (an OPTIONAL inside GRAPH ?g, evaluated graph by graph: 26 s at 100k). A fragment is in the
        # public union exactly when its graph is public (same transaction); a graph written without its
        # union copy is not listed at all, so this fails closed.
        frags = sorted(graph_of_fragment(f) for f in self.union_fragments(unions))
        return GraphList([*PUBLIC_STATIC_GRAPHS, *frags], [*unions, *PUBLIC_STATIC_GRAPHS])

    def union_fragments(self, unions: Sequence[str]) -> list[str]:
        """The fragment IRIs in the given union graphs (see :meth:`visible_graphs` for why from the unions)."""
        return [r["f"].value for u in unions
                for r in self.select(f"SELECT ?f WHERE {{ GRAPH <{u}> {{ ?f a <{HG.Fragment}> }} }}")]

    def ensure_static(self) -> list[str]:
        """Load or refresh the ontology, concept schemes and shapes graphs when their files changed."""
        import hashlib

        loaded = []
        for graph, name in STATIC_GRAPHS.items():
            try:
                path = ontology_path(name)
            except FileNotFoundError:
                continue
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            # The stored digest read into a variable, not an all-constant ASK: Virtuoso 7.2.5 answers a
            # pattern of constants inside ``GRAPH <iri>`` with *true* whenever ``<iri>`` is not among the
            # request's named graphs (measured 2026-11-29); with a variable every engine answers right.
            stored = {r["h"].value for r in self.select(
                f"SELECT ?h WHERE {{ GRAPH <{graph}> {{ <{graph}> <{HG.contentHash}> ?h }} }}")}
            if stored != {digest}:
                self.load_file(path, graph)
                self.write([], [ox.Quad(ox.NamedNode(graph), ox.NamedNode(str(HG.contentHash)), ox.Literal(digest),
                                        ox.NamedNode(graph))])
                loaded.append(graph)
        return loaded


# A write of at least this many quads goes through :meth:`EmbeddedStore.rebuild` (the bulk loader):
# a single RocksDB transaction of millions of quads is several times slower and holds them all in memory.
# The rebuild costs ~0.19 CPU-s however small the write; a transaction ~0.1 ms a quad: they cost the same
# at ~5,000 quads (~40 fragments), and 200 new fragments (26,698 quads) into the 10k store took 2.1 CPU-s
# as a transaction and 0.9 as a rebuild (2026-11-30, 10k benchmark store, load 10).
BULK_MIN_QUADS = 10_000
# The bulk loader's memory grows with what one call is given (one call over 1 M quads: 1 GB; over 4 M:
# 1.8 GB), so a big batch is fed in calls of at most this many quads. Fewer, bigger calls are faster:
# the files of successive calls overlap and RocksDB merges them (10k fragments: 58.5 s in one call,
# 70.3 s in calls of 2 M; at 100k, calls of 2 M took 988 s). See docs/performance.md.
BULK_CHUNK_QUADS = 8_000_000
# N-Quads text streamed while it is being mapped (:meth:`EmbeddedStore.rebuild`'s ``nquads``) is loaded in
# calls of about this many lines, each as soon as its text has arrived: one call for the whole batch
# buffered the text and did its work after the last file, with one core idle (~18 s at 10k, session 8).
FEED_CHUNK_QUADS = 250_000


# Generations whose written fragment graphs an embedded store remembers (:meth:`GraphStore.changed_since`).
CHANGES_KEPT = 256


def written_graphs(drop: Iterable[str], quads: Iterable[ox.Quad], remove: Iterable[ox.Quad] = (),
                   printed: Iterable[tuple[str, Sequence[str]]] = ()) -> frozenset[str] | None:
    """The fragment graphs a write drops, adds to or removes from; None if it writes any other graph
    (the data-model marker in the system graph excepted: it is no reader's data) or a quad of the
    default graph (see :meth:`GraphStore.changed_since`)."""
    graphs = set(drop) | {g for g, _ in printed}
    for q in chain(quads, remove):
        g = q.graph_name
        if not isinstance(g, ox.NamedNode):
            return None
        graphs.add(g.value)
    graphs.discard(_SYSTEM)
    if not all(is_fragment_graph(g) for g in graphs):
        return None
    return frozenset(graphs)


def _remove_tree(path: Path, tries: int = 50) -> None:
    """Remove an unfinished build. Tried again for up to ~5 s: a folder was once left behind (full suite,
    load 10) as if a closing RocksDB still wrote into it; the next open removes it anyway (_recover)."""
    for _ in range(tries):
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            return
        gc.collect()  # (a reference cycle still holding the store would keep it open)
        time.sleep(0.1)


class EmbeddedStore(GraphStore):
    """Oxigraph on disk (RocksDB), through pyoxigraph."""

    def __init__(self, path: str | Path, *, read_only: bool = False):
        self.path = Path(path)
        self.location = str(self.path)
        self.read_only = read_only
        # Read-write: RocksDB's lock makes this object the only writer, so the counter is exact.
        # Read-only: another process may write; the snapshot is fixed until reopened, but be safe.
        self.generation = None if read_only else 0
        # generation -> the fragment graphs its write touched (None: not known); see changed_since
        self.changes: dict[int, frozenset[str] | None] = {}
        self._writing: frozenset[str] | None = None
        if not read_only:
            self._recover()
        try:
            if read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open the store: {exc}", file=str(self.path)) from None
        self._marked = self.check_model()

    def _with_marker(self, quads):
        """The quads of a write, with the data-model marker if the store has none yet."""
        if self._marked or self.read_only:
            return quads
        return chain(quads, (model_quad(),)) if not isinstance(quads, (list, tuple)) else [*quads, model_quad()]

    @property
    def raw(self) -> ox.Store:
        return self._store

    def query(self, sparql, *, graphs=None, substitutions=None):
        kw: dict = {}
        if graphs is None:  # everything: the union graphs as the default graph, every named graph for GRAPH
            kw["default_graph"] = [ox.NamedNode(g) for g in EVERYTHING]
        else:
            default = getattr(graphs, "default", graphs)
            kw["default_graph"] = [ox.NamedNode(g) for g in default] or [ox.NamedNode("urn:harvestgraph:empty")]
            named = _named_scope(sparql, graphs) if mentions_graph(sparql) else []
            kw["named_graphs"] = [ox.NamedNode(g) for g in named]
        if substitutions:
            kw["substitutions"] = {ox.Variable(k): v for k, v in substitutions.items()}
        try:
            return self._store.query(sparql, **kw)
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error: {exc}") from None

    def _bump(self) -> None:
        """After a write has landed (never before: a query running meanwhile reads the old data, and a
        result cached under the new generation would stay stale)."""
        if self.generation is not None:
            # recorded before the generation moves: whoever sees the new generation finds its record
            self.changes[self.generation + 1] = self._writing
            self.changes.pop(self.generation + 1 - CHANGES_KEPT, None)
            self.generation += 1
        self._writing = None

    def changed_since(self, generation):
        if generation is None or self.generation is None or generation > self.generation:
            return None
        out: set[str] = set()
        for g in range(generation + 1, self.generation + 1):
            graphs = self.changes.get(g)
            if graphs is None:
                return None
            out |= graphs
        return frozenset(out)

    # Per store: a write of at least this many quads is a rebuild (None: BULK_MIN_QUADS). A server that
    # ingests (serve --watch) keeps its writes transactions: a rebuild swaps the folder its query workers
    # have open.
    bulk_min_quads: int | None = None

    def write(self, drop, quads, *, remove=()):
        self._writing = written_graphs(drop, quads, remove)
        if len(quads) >= (self.bulk_min_quads if self.bulk_min_quads is not None else BULK_MIN_QUADS):
            self.rebuild(drop, quads, remove=remove, written=self._writing)
            return
        quads = self._with_marker(quads)
        try:
            if drop or remove:
                # One update request is one transaction: the drops and the inserts land together or not at all.
                self._store.update(update_text(drop, quads, remove))
            elif quads:
                self._store.extend(list(with_unions(quads)))
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"write failed, nothing was changed: {exc}", file=self.location) from None
        self._marked = True
        self._bump()

    def write_printed(self, drop, quads, printed, *, remove=()):
        self._writing = written_graphs(drop, quads, remove, printed)
        n = len(quads) + sum(len(lines) for _, lines in printed)
        if n >= (self.bulk_min_quads if self.bulk_min_quads is not None else BULK_MIN_QUADS):
            text = "".join(fragment_nquads(graph, lines) for graph, lines in printed).encode()
            self.rebuild(drop, quads, nquads=[text] if text else (), remove=remove, written=self._writing)
            return
        if any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object)):
            # (a blank node label in text would be a new node per load: the terms go as terms)
            super().write_printed(drop, quads, printed, remove=remove)
            return
        quads = list(self._with_marker(quads))
        try:
            if drop or remove:
                # One update request is one transaction: the drops and the inserts land together or not at all.
                self._store.update(update_text(drop, quads, remove, printed=printed))
            elif quads or printed:
                # one load is one transaction too
                text = nquads_text(quads) + "".join(fragment_nquads(graph, lines) for graph, lines in printed)
                self._store.load(input=text.encode(), format=ox.RdfFormat.N_QUADS, lenient=True)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"write failed, nothing was changed: {exc}", file=self.location) from None
        self._marked = True
        self._bump()

    # -- bulk writes: build the next version of the store beside it, then swap it in

    def _sibling(self, tag: str) -> Path:
        return self.path.with_name(f".{self.path.name}.{tag}")

    def _recover(self) -> None:
        """Finish or undo a swap that a crash interrupted (see :meth:`rebuild`); drop unfinished builds.
        The live folder missing while the previous version exists means the crash fell between the two
        renames: the batch had not landed, so the previous version goes back (all or nothing)."""
        old, new = self._sibling("old"), self._sibling("new")
        if not self.path.exists() and old.exists():
            os.rename(old, self.path)
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(new, ignore_errors=True)

    def rebuild(self, drop: Iterable[str], quads: Iterable[ox.Quad], *, nquads: Iterable[bytes] = (),
                remove: Sequence[ox.Quad] = (), written: frozenset[str] | None = None) -> None:
        """Atomically drop graphs and add quads, fast: for big batches (``write`` delegates here).

        Oxigraph's bulk loader is several times faster than a transaction but not transactional, so it
        never touches the live store: the store is checkpointed (RocksDB hard links, cheap) into a
        sibling folder, the graphs are dropped and the quads bulk-loaded there, and the folder is then
        swapped in with two renames. A crash or an exception (``quads`` may be a generator that raises
        to abort the batch) before the swap leaves the live store unchanged; a crash between the renames
        is undone by :meth:`_recover` on the next open. ``quads`` is consumed lazily (bounded memory).
        ``nquads``: more to add, as N-Quads text that already holds the union copies (parsed in Rust:
        what worker processes hand over), consumed lazily too.
        Other processes that opened the store read-only keep seeing the previous version until they
        reopen it; the caller must be the store's only writer (RocksDB's lock already enforces that).
        ``written``: the fragment graphs the batch writes, when the caller knows them all (:meth:`write`
        does); None (a stream) records the generation as unknown (:meth:`changed_since`)."""
        if self.read_only:
            raise StoreError("the store was opened read-only", file=self.location)
        self._writing = written
        new, old = self._sibling("new"), self._sibling("old")
        shutil.rmtree(new, ignore_errors=True)
        nxt: ox.Store | None = None
        try:
            self._store.flush()
            self._store.backup(str(new))
            nxt = ox.Store(str(new))
            drop = list(drop)
            for i in range(0, len(drop), 1000):
                chunk = drop[i:i + 1000]
                nxt.update(" ;\n".join([*union_removals(chunk), *(f"DROP SILENT GRAPH <{g}>" for g in chunk)]))
            for q in remove:
                nxt.remove(q)
            stream = with_unions(self._with_marker(quads))
            while (head := next(stream, None)) is not None:  # lazily, call by call
                nxt.bulk_extend(chain((head,), islice(stream, BULK_CHUNK_QUADS - 1)))
            reader = BlobReader(nquads, FEED_CHUNK_QUADS)
            while not reader.exhausted:  # one bulk_load call per FEED_CHUNK_QUADS lines, as they arrive
                reader.budget = FEED_CHUNK_QUADS
                self._load_text(nxt, reader)
            if reader.error is not None:  # raised by the blobs' producer: abort with it, not as an I/O error
                raise reader.error
            nxt.flush()
            nxt = None  # closed: RocksDB lets go of the folder before it moves
        except BaseException as exc:
            nxt = None  # close it first: its background threads would write into the folder being deleted
            # ... and so must every frame the exception holds: _load_text's frame keeps the store it was
            # given alive (and RocksDB writing into ``new``) for as long as the traceback lives
            traceback.clear_frames(exc.__traceback__)
            _remove_tree(new)
            if isinstance(exc, (OSError, SyntaxError)):
                raise StoreError(f"write failed, nothing was changed: {exc}", file=self.location) from None
            raise
        del self._store  # close the live store (RocksDB) before its folder moves
        os.rename(self.path, old)
        os.rename(new, self.path)
        self._store = ox.Store(str(self.path))
        self._marked = True
        self._bump()
        shutil.rmtree(old, ignore_errors=True)

    @staticmethod
    def _load_text(store: ox.Store, reader: io.RawIOBase) -> None:
        """One bulk-load call of the rebuild's N-Quads text (into the folder being built, never the live one).
        lenient: the text is what the mapping printed from pyoxigraph terms, valid when they were built (IRI
        validation again was ~10-15 % of the loader's CPU on a 60k-line sample)."""
        store.bulk_load(input=reader, format=ox.RdfFormat.N_QUADS, lenient=True)

    def load_file(self, path, graph):
        g = ox.NamedNode(graph)
        quads = [ox.Quad(t.subject, t.predicate, t.object, g)
                 for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
        self.write([graph], quads)

    def flush(self) -> None:
        self._store.flush()

    def settle(self) -> float:
        """Compact the store now (RocksDB's full compaction; seconds taken). Opening a freshly written store
        read-write starts a background compaction that deletes table files; readers opened meanwhile
        (a server's query workers) would lose theirs. ~11 s at 20,000 fragments once, then ~0 s."""
        if self.read_only:
            return 0.0
        start = time.monotonic()
        self._store.optimize()
        return time.monotonic() - start

    def close(self) -> None:
        if not self.read_only:  # a read-only store refuses flush
            self._store.flush()
        del self._store


def open_store(location: str | Path, *, read_only: bool = False) -> GraphStore:
    """An embedded store for a folder path, a remote one for an http(s) URL."""
    loc = str(location)
    if loc.startswith(("http://", "https://", "virtuoso+http://", "virtuoso+https://")):
        from .remote import open_remote

        return open_remote(loc)
    return EmbeddedStore(loc, read_only=read_only)
