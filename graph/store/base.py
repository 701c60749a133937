"""What every store offers (:class:`GraphStore`) and what its backends share: the bundled static graphs,
the data-model marker, the reader's graph list (:class:`GraphList`), which named graphs a query needs,
and the bulk loader's file over a stream of N-Quads."""

from __future__ import annotations

import io
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError
from ..resources import ontology_path
from ..vocab import CONCEPTS_GRAPH, CONFIDENTIAL_UNION_GRAPH, HG, ONTOLOGY_GRAPH, PUBLIC_UNION_GRAPH, SHAPES_GRAPH, SYSTEM_GRAPH, graph_of_fragment, \
    is_fragment_graph



class Solutions:
    """A SELECT answer held as its rows: what the remote stores return. pyoxigraph's ``QuerySolutions`` may be
    dropped only by the thread that made it; in a server's thread pool an answer caught in a reference cycle
    (an exception's traceback) is dropped by whichever thread runs the garbage collector, and pyoxigraph then
    leaks it with a RuntimeError. Its rows (``QuerySolution``) may go anywhere. Read like the original:
    ``variables``, iteration, ``row["name"]`` or ``row[i]``."""

    __slots__ = ("variables", "rows")

    def __init__(self, answer: ox.QuerySolutions):
        self.variables = list(answer.variables)
        self.rows = list(answer)

    def __iter__(self):
        return iter(self.rows)


class Triples:
    """A CONSTRUCT/DESCRIBE answer held as its triples, for the reason :class:`Solutions` gives."""

    __slots__ = ("triples",)

    def __init__(self, answer: ox.QueryTriples):
        self.triples = list(answer)

    def __iter__(self):
        return iter(self.triples)


QueryResult = ox.QuerySolutions | Solutions | ox.QueryBoolean | ox.QueryTriples | Triples


def is_select(result) -> bool:
    """Whether a store's answer is a SELECT's (rows), whichever backend gave it."""
    return isinstance(result, (ox.QuerySolutions, Solutions))


def sendable(result):
    """An answer any thread may drop (see :class:`Solutions`): rows and triples read into memory."""
    if isinstance(result, ox.QuerySolutions):
        return Solutions(result)
    if isinstance(result, ox.QueryTriples):
        return Triples(result)
    return result

STATIC_GRAPHS = {  # graph → bundled file
    str(ONTOLOGY_GRAPH): "harvestgraph.ttl",
    str(CONCEPTS_GRAPH): "concepts.ttl",
    str(SHAPES_GRAPH): "shapes.ttl",
}
PUBLIC_STATIC_GRAPHS = (str(ONTOLOGY_GRAPH), str(CONCEPTS_GRAPH))
_PUBLIC, _CONFIDENTIAL = str(PUBLIC_UNION_GRAPH), str(CONFIDENTIAL_UNION_GRAPH)

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
# 3: the mentions of an outcome as one JSON literal (hg:mentionRecord), not as resources (issue 14);
# 4: each outcome's hg:contributionPattern (programme alone, with others, others only, none), issue 14.
MODEL_VERSION = "4"
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
    from .guard import graph_iris

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
        if not is_select(res):
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
