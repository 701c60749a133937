"""A remote SPARQL 1.1 endpoint as a :class:`~harvestgraph.store.GraphStore` (scale-out).

Speaks SPARQL 1.1 Query, SPARQL 1.1 Update and the Graph Store Protocol over HTTP (httpx, with
timeouts) to any endpoint: an Oxigraph server, Apache Jena Fuseki, GraphDB, ... Results come back as
pyoxigraph's objects, read into memory (``Solutions`` and ``Triples`` of :mod:`.base`, ``QueryBoolean``), so
every caller works unchanged whichever backend it was given, on any thread.

URL conventions (``RemoteStore(url)``; explicit ``query_url=``/``update_url=``/``store_url=`` win):

* ``http://host:7878`` (no path) → the **oxigraph** layout: ``/query``, ``/update``, ``/store``.
* ``http://host:3030/ds`` (a path) → the **fuseki** layout: ``/ds/sparql``, ``/ds/update``, ``/ds/data``.
* ``http://host/repositories/x`` with ``?layout=graphdb`` → query at the URL itself,
  ``/statements`` for updates and ``/rdf-graphs/service`` for the Graph Store Protocol.
* ``virtuoso+http://host:8890/sparql`` or ``http://host:8890/sparql?layout=virtuoso`` → OpenLink Virtuoso
  (:class:`~harvestgraph.stores.virtuoso.VirtuosoStore`): queries at ``/sparql``, updates at ``/sparql-auth``.
* any URL with ``?layout=oxigraph|fuseki|graphdb|plain|virtuoso`` forces a layout (``plain``: the URL itself is the
  query endpoint and, unless ``update_url`` is given, the update endpoint too). The hint is removed from
  the URL before use. No probing: the URL says it all, so nothing is sent before the first real request.

Credentials (for endpoints that need them to write) never go on the command line or into logs: they come
from ``HARVESTGRAPH_STORE_USER`` and ``HARVESTGRAPH_STORE_PASSWORD``, or from a file named by
``HARVESTGRAPH_STORE_CREDENTIALS`` (first line ``user:password``, or the user on line 1 and the password on
line 2); sent with HTTP digest auth to Virtuoso's ``/sparql-auth``, with basic auth to other endpoints. A URL
with ``user:password@`` in it is refused.

The dataset of a query: with ``graphs`` given, the protocol's ``default-graph-uri`` and
``named-graph-uri`` parameters carry them, so the *server* fixes the dataset (FROM / FROM NAMED in the
query text cannot widen it on a conforming server). With ``graphs=None`` (everything, the default graph
being the union of all graphs) the oxigraph layout sends ``union-default-graph``; other layouts first list
the named graphs (``SELECT DISTINCT ?g``) and pass all of them as ``default-graph-uri``.

Writes: one SPARQL Update request per batch (``DROP`` the replaced graphs, then ``INSERT DATA``), which an
Oxigraph server applies in one transaction. Batches larger than ``chunk_quads`` are split into several
requests: **chunking loses atomicity** on servers without multi-request transactions (a failure half-way
leaves the first chunks written; re-running the ingest repairs it, since it rewrites changed graphs).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import os

import httpx
import pyoxigraph as ox

from ..errors import StoreError
from .base import GraphStore, QueryResult, mentions_graph, model_quad, sendable
from .placement import EVERYTHING, update_text

LAYOUTS = ("oxigraph", "fuseki", "graphdb", "plain", "virtuoso")
USER_ENV, PASSWORD_ENV, CREDENTIALS_ENV = ("HARVESTGRAPH_STORE_USER", "HARVESTGRAPH_STORE_PASSWORD",
                                          "HARVESTGRAPH_STORE_CREDENTIALS")
EMPTY_GRAPH = "urn:harvestgraph:empty"  # a graph that never exists: the dataset of graphs=[]

_ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, "
           "application/sparql-results+xml;q=0.5, text/turtle;q=0.4")


def credentials(environ=None) -> tuple[str, str] | None:
    """(user, password) from the environment or the file it names (see the module docstring), or None."""
    env = os.environ if environ is None else environ
    path = env.get(CREDENTIALS_ENV)
    if path:
        try:
            lines = [ln.rstrip("\r\n") for ln in Path(path).read_text(encoding="utf-8").splitlines() if ln.strip()]
        except OSError as exc:
            raise StoreError(f"cannot read the credentials file: {exc.strerror}", file=path,
                             field=CREDENTIALS_ENV) from None
        if len(lines) == 1 and ":" in lines[0]:
            user, password = lines[0].split(":", 1)
            return user, password
        if len(lines) >= 2:
            return lines[0], lines[1]
        raise StoreError("the credentials file must hold 'user:password' on one line, or the user and the "
                         "password on two lines", file=path, field=CREDENTIALS_ENV)
    user = env.get(USER_ENV)
    if user:
        return user, env.get(PASSWORD_ENV, "")
    return None


def _split_layout(url: str) -> tuple[str, str | None]:
    """The URL without a ``?layout=`` hint, and the hint (``virtuoso+http://`` is the virtuoso hint)."""
    if url.startswith(("virtuoso+http://", "virtuoso+https://")):
        return _split_layout(url.removeprefix("virtuoso+"))[0], "virtuoso"
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise StoreError(f"credentials in the store URL are refused (they would show in process lists and logs): "
                         f"set {USER_ENV}/{PASSWORD_ENV} or {CREDENTIALS_ENV}", file=f"{parts.hostname}",
                         field="--store")
    qs = parse_qs(parts.query, keep_blank_values=True)
    hint = qs.pop("layout", [None])[0]
    query = urlencode(qs, doseq=True)
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), query, "")), hint


def endpoints(url: str) -> tuple[str, str, str, str]:
    """(layout, query URL, update URL, graph store URL) for a base URL, following the conventions above."""
    base, hint = _split_layout(url)
    path = urlsplit(base).path
    layout = hint or ("oxigraph" if not path else "fuseki")
    if layout not in LAYOUTS:
        raise StoreError(f"unknown layout {layout!r}: use one of {', '.join(LAYOUTS)}", file=url, field="layout")
    if layout == "oxigraph":
        return layout, f"{base}/query", f"{base}/update", f"{base}/store"
    if layout == "fuseki":
        return layout, f"{base}/sparql", f"{base}/update", f"{base}/data"
    if layout == "graphdb":
        return layout, base, f"{base}/statements", f"{base}/rdf-graphs/service"
    if layout == "virtuoso":  # the URL is the public /sparql endpoint; writes go to its authenticated twin
        root = base.removesuffix("/sparql") if base.endswith("/sparql") else base
        return layout, f"{root}/sparql", f"{root}/sparql-auth", f"{root}/sparql-graph-crud-auth"
    return layout, base, base, base


def with_values(sparql: str, substitutions: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """The query with variables pre-bound by a VALUES block at the top of its outer WHERE group
    (a remote endpoint has no substitution API; the terms are serialized, never pasted as text)."""
    from ..queries import _WHERE, _strip_comments

    m = _WHERE.search(_strip_comments(sparql))
    if m is None:
        raise StoreError("substitutions need a query with an explicit WHERE { ... }")
    names = " ".join(f"?{k}" for k in substitutions)
    terms = " ".join(str(v) for v in substitutions.values())
    return sparql[: m.end()] + f"\n VALUES ({names}) {{ ({terms}) }}\n" + sparql[m.end():]


def _as_query_triples(ntriples: bytes) -> ox.QueryTriples:
    """N-Triples as a real ``QueryTriples`` (what the embedded store returns for CONSTRUCT/DESCRIBE)."""
    mem = ox.Store()
    mem.load(ntriples, format=ox.RdfFormat.N_TRIPLES)
    return mem.query("CONSTRUCT WHERE { ?s ?p ?o }")


def _chunks(quads, size: int):
    """Quads in chunks of about ``size``, cut only between graphs: a fragment's quads stay in one request
    (its confidentiality flag decides which union graph its triples are copied to)."""
    chunk: list = []
    current = None
    for q in quads:
        if q.graph_name != current and len(chunk) >= size:
            yield chunk
            chunk = []
        current = q.graph_name
        chunk.append(q)
    if chunk:
        yield chunk


def open_remote(url: str, **kw) -> "RemoteStore":
    """The store for an endpoint URL: :class:`VirtuosoStore` for the virtuoso layout, else :class:`RemoteStore`.
    Credentials come from the environment (:func:`credentials`)."""
    layout = endpoints(url)[0]
    kw.setdefault("auth", credentials())
    if layout == "virtuoso":
        from .virtuoso import VirtuosoStore

        return VirtuosoStore(url, **kw)
    return RemoteStore(url, **kw)


class RemoteStore(GraphStore):
    """A SPARQL 1.1 endpoint over HTTP. See the module docstring for the URL conventions."""

    def __init__(self, url: str, *, query_url: str | None = None, update_url: str | None = None,
                 store_url: str | None = None, timeout: float = 60.0, chunk_quads: int = 200_000,
                 auth: tuple[str, str] | None = None):
        self.layout, q, u, s = endpoints(url)
        self.query_url, self.update_url, self.store_url = query_url or q, update_url or u, store_url or s
        self.location = _split_layout(url)[0]
        self.chunk_quads = chunk_quads
        self._client = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)), auth=auth,
                                    follow_redirects=False)
        self._marked: bool | None = None  # the data-model check runs with the first request, not here

    def _check_once(self) -> None:
        if self._marked is None:
            self._marked = False  # (the check's own queries pass through)
            try:
                self._marked = self.check_model()
            except BaseException:
                self._marked = None  # refused (or unreachable): checked again by the next request
                raise

    # -- HTTP

    def _post(self, url: str, **kw) -> httpx.Response:
        try:
            resp = self._client.post(url, **kw)
        except httpx.TimeoutException:
            raise StoreError("the SPARQL endpoint did not answer in time", file=url) from None
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the SPARQL endpoint: {exc}", file=url) from None
        return self._check(resp, url)

    @staticmethod
    def _check(resp: httpx.Response, url: str) -> httpx.Response:
        if resp.status_code >= 400:
            detail = resp.text.strip().splitlines()[0][:300] if resp.text.strip() else resp.reason_phrase
            raise StoreError(f"the SPARQL endpoint answered {resp.status_code}: {detail}", file=url)
        return resp

    # -- GraphStore

    def _all_graphs(self) -> list[str]:
        resp = self._post(self.query_url, data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"},
                          headers={"Accept": "application/sparql-results+json"})
        sols = ox.parse_query_results(resp.content, format=ox.QueryResultsFormat.JSON)
        return [row["g"].value for row in sols]

    def _dataset(self, graphs: Sequence[str] | None, sparql: str) -> list[tuple[str, str]]:
        """Protocol parameters that fix the query's dataset (see the module docstring)."""
        if graphs is None:
            named = self._all_graphs() if mentions_graph(sparql) else [EMPTY_GRAPH]
            return [("default-graph-uri", g) for g in EVERYTHING] + [("named-graph-uri", g) for g in named]
        default = list(getattr(graphs, "default", graphs)) or [EMPTY_GRAPH]
        named = list(graphs) if mentions_graph(sparql) else [EMPTY_GRAPH]
        return [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]

    def query(self, sparql, *, graphs=None, substitutions=None) -> QueryResult:
        """The endpoint's answer as rows or triples in memory (:func:`~.base.sendable`): a server's threads
        may drop it anywhere."""
        return sendable(self._answer(sparql, graphs=graphs, substitutions=substitutions))

    def _answer(self, sparql, *, graphs=None, substitutions=None) -> QueryResult:
        self._check_once()
        if substitutions:
            sparql = with_values(sparql, substitutions)
        params = [("query", sparql), *self._dataset(graphs, sparql)]
        resp = self._post(self.query_url, content=urlencode(params).encode(),
                          headers={"Accept": _ACCEPT, "Content-Type": "application/x-www-form-urlencoded"})
        ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if ctype == "application/sparql-results+json":
                return ox.parse_query_results(resp.content, format=ox.QueryResultsFormat.JSON)
            if ctype == "application/sparql-results+xml":
                return ox.parse_query_results(resp.content, format=ox.QueryResultsFormat.XML)
            if ctype in ("application/n-triples", "text/plain"):
                return _as_query_triples(resp.content)
            if ctype == "text/turtle":
                mem = ox.Store()
                mem.load(resp.content, format=ox.RdfFormat.TURTLE)
                return mem.query("CONSTRUCT WHERE { ?s ?p ?o }")
        except SyntaxError as exc:
            raise StoreError(f"unreadable answer from the SPARQL endpoint: {exc}", file=self.query_url) from None
        raise StoreError(f"unexpected answer type {ctype or '(none)'} from the SPARQL endpoint", file=self.query_url)

    def update(self, text: str) -> None:
        """Send one SPARQL Update request."""
        self._post(self.update_url, content=text.encode("utf-8"),
                   headers={"Content-Type": "application/sparql-update; charset=utf-8"})

    def write(self, drop, quads, *, remove=()):
        """One update request for the batch; several (not atomic together) above ``chunk_quads`` quads."""
        self._check_once()
        if not self._marked:
            quads = [*quads, model_quad()]
        chunks = list(_chunks(quads, self.chunk_quads)) or [[]]
        if drop or remove or chunks[0]:
            self.update(update_text(drop, chunks[0], remove))
        for chunk in chunks[1:]:
            self.update(update_text([], chunk))
        self._marked = True

    def load_file(self, path: Path, graph: str) -> None:
        """Graph Store Protocol PUT: replace ``graph`` with the Turtle file."""
        url = f"{self.store_url}?{urlencode({'graph': graph})}"
        try:
            resp = self._client.put(url, content=Path(path).read_bytes(),
                                    headers={"Content-Type": "text/turtle; charset=utf-8"})
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the graph store: {exc}", file=url) from None
        self._check(resp, url)

    def close(self) -> None:
        self._client.close()
