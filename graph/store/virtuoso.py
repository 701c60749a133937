"""OpenLink Virtuoso as a :class:`~harvestgraph.store.GraphStore` (``--store virtuoso+http://host:8890/sparql``).

Virtuoso speaks the SPARQL 1.1 protocol, but differs from Oxigraph where it matters here (measured on
Virtuoso 7.2.5, Debian bookworm, 2026-11-29):

**Reads.** Its default graph is the union of *all* graphs, ``FROM`` in a query adds to the protocol's
``default-graph-uri`` instead of being overridden, and IRIs in function position call SQL. So every query
goes through :func:`harvestgraph.stores.guard.confine` (dataset clauses cut, SPARQL 1.1 only, no engine
functions) and is sent to the *anonymous* ``/sparql`` endpoint (never with the write credentials) with
``default-graph-uri`` = the reader's union graphs and ``named-graph-uri`` = ``urn:harvestgraph:empty``
when the query names no graph (without it Virtuoso makes every graph a named graph for ``GRAPH ?g``).

**A reader's GRAPH: one scope graph, whatever the number of fragments.** Listing the reader's fragment
graphs as ``named-graph-uri`` broke between 1,400 and 1,500 graphs ("Receive buffer too long"; at 10,000
"SP030: Too many arguments", measured 2026-11-30), and Virtuoso's graph groups cannot stand in for them
("<group> is graph group, not a plain graph, so it cannot be used in FROM NAMED clause", 7.2.5). So each
reader scope has a *scope graph* listing, as ``<g> a <urn:harvestgraph:ReadableGraph>``, the graphs its
readers may match with GRAPH: ``urn:harvestgraph:scope:public`` (public fragment graphs, ontology, concepts)
and ``urn:harvestgraph:scope:confidential`` (every fragment graph, ontology, concepts). A fragment's
memberships travel in the same ``INSERT DATA`` as its quads and union copies (one atomic operation), and a
replaced or removed graph leaves both scopes first, in the request that drops it (fails closed: a
fragment turning confidential is out of the public scope before its new quads land). A reader's query
whose GRAPH clauses all name a variable is sent with no ``named-graph-uri`` (every graph named), with its
scope graph added to ``default-graph-uri``, and with each ``GRAPH ?g { P }`` followed by
``{ ?g a <urn:harvestgraph:ReadableGraph> }`` (:func:`harvestgraph.stores.guard.scoped`): ?g matches only
the graphs the reader's scope lists, read from the reader's own default graph. ``GRAPH <iri>`` clauses only:
those IRIs that are the reader's go as ``named-graph-uri`` (with no named-graph-uri Virtuoso answers
``GRAPH <iri>`` with nothing once ``default-graph-uri`` is set, measured). Both kinds in one query: the
reader's graphs as ``named-graph-uri`` up to ``MAX_NAMED_GRAPHS``, refused above (an error naming the
rewrite). GRAPH inside GRAPH is refused (the inner check would read the outer graph). A store written
before the scope graphs existed answers a reader's GRAPH ?g with nothing (fails closed) until it is
re-ingested into a fresh database.

``graphs=None`` (the data owner's view) names the graphs the query names (``GRAPH <iri>``), or sends no
``named-graph-uri`` for ``GRAPH ?g`` (every graph), or lists them all when the query has both
(``SELECT DISTINCT ?g`` over every graph: owner queries only, and past ~1,400 graphs Virtuoso refuses it):
``GRAPH <iri> { ?s ?p ?o }`` with ``<iri>`` outside the request's named graphs answers one row of unbound
variables (Virtuoso 7.2.5, measured: a wrong answer, not a leak, since it is the same whatever the graph
holds).

**Writes** go to ``/sparql-auth`` with HTTP digest authentication, as a user with the ``SPARQL_UPDATE``
role (``dba`` in a fresh database), credentials from the environment (:func:`harvestgraph.remote.credentials`).
A batch is sent as requests of about ``chunk_quads`` quads, cut between graphs; each request replaces
the graphs it carries (union-graph removals, ``DROP``, then one ``INSERT DATA``).

What is promised, exactly: Virtuoso applies one ``INSERT DATA`` (or ``DELETE``/``DROP``) operation
atomically, but commits the operations of one request one by one: a run-time error in the third operation
of a request leaves the first two applied (measured). A fragment's quads, its content hash and the copies
of its facts in its union graph are always in the *same* ``INSERT DATA``, so after any failure each
fragment is either fully written (with its hash: re-ingesting skips it) or absent or old (no hash, or
the old hash: re-ingesting writes it). Removals happen before the inserts, so a fragment half-replaced is
missing from the union graphs, which is where readers' graph lists come from: it fails closed. A failed
batch raises :class:`PartialWrite`, naming the graphs written and the one request whose outcome is
unknown (a timeout: the server may still finish it). **Re-running the same ingest finishes the job.**

Limits checked before anything is sent (so a batch that breaks them changes nothing): a literal of more
than ``max_literal_bytes`` (1 MB by default; a 3 MB literal took Virtuoso 45 s to parse, and its string
boxes stop at 16 MB) or an IRI of more than ``max_iri_bytes``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from ..errors import StoreError
from .remote import CREDENTIALS_ENV, EMPTY_GRAPH, PASSWORD_ENV, USER_ENV, RemoteStore, _as_query_triples, _chunks, \
    with_values
from .base import PUBLIC_STATIC_GRAPHS, QueryResult, mentions_graph, model_quad
from .placement import EVERYTHING
from .placement import update_text as _update_text
from ..vocab import CONFIDENTIAL_UNION_GRAPH, HG, PUBLIC_UNION_GRAPH, is_fragment_graph
from .guard import _RDF_TYPE, READABLE, Confined, QueryRefused, confine, scoped

ENGINE = "Virtuoso"
MAX_LITERAL_BYTES = 1_000_000
MAX_IRI_BYTES = 2_000
# Quads per update request. 20k triples in one INSERT DATA took 5 s on the test machine (2026-11-29,
# shared): large enough to amortise the request, small enough that a timeout loses little.
CHUNK_QUADS = 20_000
_ENGINE_GRAPHS = ("http://www.openlinksw.com/", "http://localuriqaserver/", "http://www.w3.org/ns/ldp#")
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BNODE = re.compile(r"[^A-Za-z0-9_]")
# Named graphs sent as a list of named-graph-uri (only where the scope graphs cannot serve): Virtuoso 7.2.5
# broke between 1,400 and 1,500 fragment-graph IRIs (measured 2026-11-30).
MAX_NAMED_GRAPHS = 1_000
# The reader scopes' graphs (see the module docstring): each lists, as ``<g> a <urn:harvestgraph:ReadableGraph>``,
# the graphs its readers may match with GRAPH. Anonymous readers: the public fragment graphs and the public
# static graphs; the confidential role: every fragment graph and the public static graphs.
SCOPE_PUBLIC = "urn:harvestgraph:scope:public"
SCOPE_CONFIDENTIAL = "urn:harvestgraph:scope:confidential"
_SCOPES = (SCOPE_PUBLIC, SCOPE_CONFIDENTIAL)
_TYPE_NODE, _READABLE_NODE = ox.NamedNode(_RDF_TYPE), ox.NamedNode(READABLE)
_PUBLIC, _CONFIDENTIAL = str(PUBLIC_UNION_GRAPH), str(CONFIDENTIAL_UNION_GRAPH)
_FLAG_NODE = ox.NamedNode(str(HG.isConfidential))
_TRUE = ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))


def scope_of(graphs) -> str | None:
    """The scope graph of a reader's graphs, when they are exactly a reader scope's (what
    ``visible_graphs`` answers: its ``default`` names the union graphs it was read from); else None."""
    unions = {g for g in getattr(graphs, "default", ()) if g in (_PUBLIC, _CONFIDENTIAL)}
    if unions == {_PUBLIC}:
        return SCOPE_PUBLIC
    if unions == {_PUBLIC, _CONFIDENTIAL}:
        return SCOPE_CONFIDENTIAL
    return None


def scope_quads(quads: Sequence[ox.Quad]) -> list[ox.Quad]:
    """The scope memberships of the fragment graphs in ``quads`` (by each one's confidentiality flag) and of
    the public static graphs: what goes into the same INSERT DATA as the fragments themselves."""
    confidential: dict[str, bool] = {}
    for q in quads:
        g = q.graph_name
        if isinstance(g, ox.NamedNode) and is_fragment_graph(g.value):
            confidential[g.value] = confidential.get(g.value, False) or (q.predicate == _FLAG_NODE and q.object == _TRUE)
    out = []
    for g, secret in [*confidential.items(), *((s, False) for s in PUBLIC_STATIC_GRAPHS)]:
        for scope in (_SCOPES[1:] if secret else _SCOPES):
            out.append(ox.Quad(ox.NamedNode(g), _TYPE_NODE, _READABLE_NODE, ox.NamedNode(scope)))
    return out


def scope_removals(drop: Sequence[str]) -> str:
    """One DELETE DATA taking the dropped graphs out of every scope (sent before anything else)."""
    if not drop:
        return ""
    body = " ".join(f"<{g}> <{_RDF_TYPE}> <{READABLE}> ." for g in drop)
    return "DELETE DATA { " + " ".join(f"GRAPH <{s}> {{ {body} }}" for s in _SCOPES) + " } ;\n"


class PartialWrite(StoreError):
    """A batch failed part-way: ``written`` lists the graphs fully written, ``unknown`` those whose request
    timed out (the server may still have applied it); the rest were not written."""

    def __init__(self, message: str, *, written: list[str], unknown: list[str], file: str):
        super().__init__(message, file=file)
        self.written, self.unknown = written, unknown


def update_text(drop: Sequence[str], quads: Sequence[ox.Quad], remove: Sequence[ox.Quad] = ()) -> str:
    """The store's one-request update (:func:`harvestgraph.store.update_text`), with blank nodes as a pattern:
    Virtuoso refuses them in INSERT DATA ("not allowed in a constant clause"), and a batch may hold some (the
    ontology's OWL lists)."""
    return _update_text(drop, quads, remove, blank_as_pattern=True)


def _fix_json(content: bytes, form: str) -> bytes:
    """Virtuoso's SPARQL JSON made standard: ASK comes back as a one-column table ``__ASK_RETVAL`` (a row
    means true), literals may be ``typed-literal``, booleans ``"1"^^xsd:boolean``, blank nodes
    ``nodeID://b123``."""
    doc = json.loads(content)
    if form == "ask":
        if "boolean" in doc:
            return json.dumps({"head": {}, "boolean": bool(doc["boolean"])}).encode()
        rows = doc.get("results", {}).get("bindings", [])
        value = bool(rows) and rows[0].get("__ASK_RETVAL", {}).get("value", "1") not in ("0", "false")
        return json.dumps({"head": {}, "boolean": value}).encode()
    for row in doc.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("type") == "typed-literal":
                term["type"] = "literal"
            if term.get("datatype") == _XSD_BOOLEAN and term.get("value") in ("1", "0"):
                term["value"] = "true" if term["value"] == "1" else "false"
            elif term.get("type") == "bnode":
                term["value"] = _BNODE.sub("_", term["value"])
    doc.get("head", {}).pop("link", None)
    return json.dumps(doc).encode()


class VirtuosoStore(RemoteStore):
    """OpenLink Virtuoso over HTTP (see the module docstring for what is promised)."""

    def __init__(self, url: str, *, auth: tuple[str, str] | None = None, timeout: float = 120.0,
                 chunk_quads: int = CHUNK_QUADS, max_literal_bytes: int = MAX_LITERAL_BYTES,
                 max_iri_bytes: int = MAX_IRI_BYTES, **kw):
        super().__init__(url, timeout=timeout, chunk_quads=chunk_quads, **kw)
        if self.layout != "virtuoso":
            raise StoreError("not a Virtuoso URL: use virtuoso+http://host:8890/sparql", file=url, field="--store")
        self.location = "virtuoso+" + self.location  # reopens as Virtuoso (``serve --store``, child processes)
        self.max_literal_bytes, self.max_iri_bytes = max_literal_bytes, max_iri_bytes
        self._has_auth = auth is not None
        # Two clients: reads never carry the write credentials (a reader's query would run with the rights
        # of the user that may write, e.g. dba).
        self._writer = httpx.Client(timeout=self._client.timeout, follow_redirects=False,
                                    auth=httpx.DigestAuth(*auth) if auth else None)

    # -- errors that say what to do

    def _post(self, url: str, **kw) -> httpx.Response:
        client = kw.pop("client", self._client)
        try:
            resp = client.post(url, **kw)
        except httpx.TimeoutException:
            raise StoreError(f"{ENGINE} did not answer within {self._client.timeout.read:g} s: it may be "
                             "overloaded (see its virtuoso.log) or the query too large", file=url) from None
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach {ENGINE} ({exc}): is the server running (virtuoso-t -c virtuoso.ini), "
                             "and is [HTTPServer] ServerPort the port in --store?", file=url) from None
        return self._check(resp, url)

    @staticmethod
    def _check(resp: httpx.Response, url: str) -> httpx.Response:
        if resp.status_code == 401:
            raise StoreError(f"{ENGINE} refused the credentials (401 at {urlsplit_path(url)}): set {USER_ENV} and "
                             f"{PASSWORD_ENV} (or {CREDENTIALS_ENV}=a file holding user:password) to a Virtuoso "
                             "user with the SPARQL_UPDATE role", file=url)
        if resp.status_code >= 400:
            text = resp.text.strip()
            detail = text.splitlines()[0][:300] if text else resp.reason_phrase
            raise StoreError(f"{ENGINE} answered {resp.status_code}: {detail}", file=url)
        return resp

    # -- reads

    def _dataset(self, graphs: Sequence[str] | None, confined: Confined) -> tuple[str, list[tuple[str, str]]]:
        """The query text to send and the protocol's dataset parameters (see the module docstring)."""
        sparql = confined.text
        if graphs is None:  # the data owner: our default graph, every graph named (see the module docstring)
            if not confined.graph_iris and not confined.graph_variable:
                named = [EMPTY_GRAPH]
            elif not confined.graph_variable:
                named = sorted(confined.graph_iris)
            elif not confined.graph_iris:
                named = []  # no named-graph-uri: Virtuoso matches GRAPH ?g against every graph
            else:
                named = self._all_graphs()
            return sparql, [("default-graph-uri", g) for g in EVERYTHING] + [("named-graph-uri", g) for g in named]
        default = list(getattr(graphs, "default", graphs)) or [EMPTY_GRAPH]
        scope = scope_of(graphs)
        if not mentions_graph(sparql):
            named = [EMPTY_GRAPH]
        elif scope is not None and confined.graph_variable and not confined.graph_iris:
            # Every graph named (no named-graph-uri), each GRAPH ?g confined by the reader's scope graph,
            # added to the default graph: one IRI whatever the number of fragments.
            sparql, named, default = scoped(sparql), [], [*default, scope]
        elif scope is not None and not confined.graph_variable:
            allowed = set(graphs)  # only GRAPH <iri>: those of the reader's graphs, as named graphs
            named = sorted(g for g in confined.graph_iris if g in allowed) or [EMPTY_GRAPH]
        elif len(graphs) > MAX_NAMED_GRAPHS:
            raise QueryRefused(f"a query with both GRAPH <iri> and GRAPH ?variable cannot be confined to "
                               f"{len(graphs):,} graphs on {ENGINE} (at most {MAX_NAMED_GRAPHS:,}): use GRAPH "
                               "?variable with a FILTER or VALUES on it instead")
        else:
            named = list(graphs) or [EMPTY_GRAPH]
        return sparql, [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]

    def _all_graphs(self) -> list[str]:
        """Every graph holding a triple (Virtuoso's own metadata graphs left out)."""
        resp = self._post(self.query_url, data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                          headers={"Accept": "application/sparql-results+json"})
        rows = json.loads(resp.content)["results"]["bindings"]
        return [r["g"]["value"] for r in rows if not r["g"]["value"].startswith(_ENGINE_GRAPHS)]

    def _answer(self, sparql, *, graphs=None, substitutions=None) -> QueryResult:
        if substitutions:
            sparql = with_values(sparql, substitutions)
        try:
            confined = confine(sparql)
        except QueryRefused as exc:
            raise StoreError(f"{ENGINE} store: {exc.problem.message}") from None
        graph_form = confined.form in ("construct", "describe")
        accept = "application/n-triples" if graph_form else "application/sparql-results+json"
        try:
            text, dataset = self._dataset(graphs, confined)
        except QueryRefused as exc:
            raise StoreError(f"{ENGINE} store: {exc.problem.message}") from None
        params = [("query", text), *dataset]
        resp = self._post(self.query_url, content=urlencode(params).encode(),
                          headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        try:
            if graph_form:
                return _as_query_triples(resp.content)
            return ox.parse_query_results(_fix_json(resp.content, confined.form), format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"unreadable answer from {ENGINE}: {exc}", file=self.query_url) from None

    # -- writes

    def update(self, text: str) -> None:
        """One SPARQL Update request to the authenticated endpoint."""
        if not self._has_auth:
            raise StoreError(f"writing to {ENGINE} needs credentials: set {USER_ENV} and {PASSWORD_ENV} (or "
                             f"{CREDENTIALS_ENV}=a file holding user:password) for a user with the SPARQL_UPDATE "
                             "role", file=self.update_url)
        self._post(self.update_url, content=text.encode("utf-8"), client=self._writer,
                   headers={"Content-Type": "application/sparql-update; charset=utf-8",
                            "Accept": "application/sparql-results+json"})

    def check_limits(self, quads: Sequence[ox.Quad]) -> None:
        """Refuse (before anything is sent) a literal or an IRI over this engine's limits, naming the graph."""
        for q in quads:
            for t in (q.subject, q.predicate, q.object, q.graph_name):
                if isinstance(t, ox.Literal):
                    size, limit, what = len(t.value.encode("utf-8")), self.max_literal_bytes, "a literal"
                elif isinstance(t, ox.NamedNode):
                    size, limit, what = len(t.value.encode("utf-8")), self.max_iri_bytes, "an IRI"
                else:
                    continue
                if size > limit:
                    raise StoreError(f"{what} of {size:,} bytes (predicate <{q.predicate.value}>) is over the "
                                     f"{limit:,} bytes harvestgraph sends to {ENGINE}: shorten that field in the "
                                     "input (or link to the text instead of storing it); nothing was written",
                                     file=str(q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else q.graph_name))

    def write(self, drop, quads, *, remove=()):
        """The batch in requests of about ``chunk_quads`` quads, each replacing the graphs it carries; see
        the module docstring for what a failure leaves and why re-running the ingest repairs it. ``remove``
        (quads no union holds: a fragment's old record key) goes with the first request."""
        try:
            self._check_once()  # the store's data model, asked before anything is sent
        except StoreError as exc:
            raise StoreError(f"{exc.problem.message}; nothing was written", file=self.update_url) from None
        quads = list(quads)
        if not self._marked:
            quads.append(model_quad())
        remove = list(remove)
        self.check_limits(quads)
        drop = list(dict.fromkeys(drop))
        chunks = list(_chunks(quads, self.chunk_quads))
        carried = [list(dict.fromkeys(q.graph_name.value for q in c if isinstance(q.graph_name, ox.NamedNode)))
                   for c in chunks]
        dropping = set(drop)
        requests = []
        in_chunks = {g for gs in carried for g in gs}
        alone = [g for g in drop if g not in in_chunks]  # graphs removed, not rewritten: first, on their own
        for i in range(0, len(alone), 500):
            requests.append(([], scope_removals(alone[i:i + 500]) + update_text(alone[i:i + 500], [])))
        for n, (chunk, graphs) in enumerate(zip(chunks, carried)):
            dropped = [g for g in graphs if g in dropping]
            requests.append((graphs, scope_removals(dropped) + update_text(
                dropped, [*chunk, *scope_quads(chunk)], remove if n == 0 else ())))
        if remove and not chunks:
            requests.append(([], update_text([], [], remove)))
        written: list[str] = []
        for n, (graphs, text) in enumerate(requests):
            try:
                self.update(text)
            except StoreError as exc:
                if n == 0 and not written:
                    raise StoreError(f"{exc.problem.message}; nothing was written", file=self.update_url) from None
                timed_out = "did not answer" in str(exc)
                unknown = graphs if timed_out else []
                raise PartialWrite(
                    f"{exc.problem.message} — the batch was cut after {n} of {len(requests)} requests: "
                    f"{len(written)} graphs written, {len(unknown)} in a request that timed out (it may still land), "
                    "the rest not written. Re-run the same ingest to finish: written fragments carry their "
                    "content hash and are skipped.", written=written, unknown=unknown, file=self.update_url) from None
            written.extend(graphs)
        self._marked = True

    def load_file(self, path: Path, graph: str) -> None:
        """Replace ``graph`` with a Turtle file (parsed here, sent as INSERT DATA within the limits)."""
        g = ox.NamedNode(graph)
        quads = [ox.Quad(t.subject, t.predicate, t.object, g)
                 for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
        self.write([graph], quads)

    def close(self) -> None:
        super().close()
        self._writer.close()


def urlsplit_path(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path or "/"


__all__ = ["VirtuosoStore", "PartialWrite", "update_text"]
