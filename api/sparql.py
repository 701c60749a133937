"""The read-only SPARQL 1.1 Protocol endpoint (``GET/POST /sparql``) and the guarded query runner every
route shares.

Guards, in order, before anything reaches the store:

1. **Read-only.** Updates are refused (403), whether sent as ``update=``, as ``application/sparql-update``
   or disguised as a query: the text is parsed with rdflib's SPARQL grammar, and a token scan (outside
   strings, IRIs and comments) backs it up when rdflib cannot parse it.
2. **No SERVICE.** A federated query would make the server call out to the network (human-rights data must
   not leak, and the server must not be used to probe other hosts): refused with 403 *before* execution.
3. **The reader's dataset.** Queries only see ``store.visible_graphs(confidential=reader.can_see_confidential)``.
   ``default-graph-uri`` / ``named-graph-uri`` may only *narrow* that set; FROM / FROM NAMED in the text are
   overridden by the store's dataset (an anonymous reader never sees a confidential fragment's triples).
4. **Size before parsing** (:mod:`harvestgraph.api.limits`): text length (413), nesting depth and
   triple patterns (400); the protocol's rules: one ``query`` parameter, UTF-8, the right content type.
5. **Time and size.** The query runs in a worker process (:mod:`harvestgraph.api.workers`: ``workers``
   evaluations at once, the event loop only routes requests and sends bytes), which is killed and
   replaced when the query overruns ``query_timeout`` seconds (503) or crashes (500): nothing of it keeps
   running. A job still queued when its last client gave up is dropped. More than ``result_cap`` rows
   (or triples) is a 400 asking for a LIMIT.
6. **Fairness.** At most ``per_reader`` evaluations at once per reader (user, or client address for
   anonymous readers): 429 with ``Retry-After`` beyond it. Cached answers are served regardless.

Jobs must be picklable to reach a worker process: a ``produce`` is a module-level function or a
``functools.partial`` of one (see :func:`answer`).

Answers are cached (:mod:`harvestgraph.api.cache`) as the bytes sent, keyed by the store generation, the
reader's scope (public, or public + confidential), the query and its parameters and the media type; the
same key in flight is evaluated once. Cached answers carry an ``ETag`` (``If-None-Match`` gets a 304).

Results: SELECT/ASK as SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples, JSON-LD or
RDF/XML, chosen by the Accept header (or ``format=``).
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import json
import math
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import parse_qsl
from typing import Annotated
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from harvestgraph.api.auth import Reader, get_reader
from harvestgraph.api.cache import Body, Busy, ResultCache, VisibleGraphs
from harvestgraph.api.limits import Limits, LimitExceeded, ReaderSlots
from harvestgraph.api.workers import MemoryExceeded, Task, WorkerCrashed, WorkerUnavailable
from harvestgraph.errors import StoreError
from harvestgraph.store import GraphStore
from harvestgraph.vocab import PREFIXES

router = APIRouter(tags=["SPARQL"])

SELECT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
FORMAT_ALIASES = {  # ?format= shortcuts
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle",
    "ntriples": "application/n-triples", "nt": "application/n-triples", "jsonld": "application/ld+json",
    "json-ld": "application/ld+json", "rdfxml": "application/rdf+xml",
}
_MEDIA_TYPE_OUT = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                   "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8"}


class SparqlError(Exception):
    """A refusal with an HTTP status and a machine-readable code; rendered as JSON."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers

    def __reduce__(self):  # crosses the worker boundary
        return (type(self), (self.status, self.code, self.message, self.headers))

    def response(self) -> Response:
        body = self.body()
        return Response(body.content, status_code=body.status, media_type=body.media_type, headers=self.headers)

    def body(self) -> Body:
        """The refusal as a cacheable answer."""
        return Body(self.status, json.dumps({"error": self.code, "message": self.message}).encode(),
                    "application/json")

    @classmethod
    def from_body(cls, body: Body) -> "SparqlError":
        """A refusal back from its cached form (:meth:`body`)."""
        d = json.loads(body.content)
        return cls(body.status, d["error"], d["message"])


@dataclass
class Settings:
    """What the app's routes share (``app.state.hg``)."""

    store: GraphStore
    query_timeout: float
    result_cap: int
    pool: object  # where queries run (workers.WorkerPool or ThreadRunner): its size bounds evaluations at once
    cache: ResultCache
    graphs: VisibleGraphs  # the reader's graphs, per scope, remembered across requests
    limits: Limits = field(default_factory=Limits)
    view_timeout: float = 60.0  # the network view, report and exports: an analysis, not one query
    slots: ReaderSlots = field(default_factory=lambda: ReaderSlots(0))


def settings(request: Request) -> Settings:
    return request.app.state.hg


# --------------------------------------------------------------------------- guards


def _scrub(text: str) -> str:
    """The query text with strings, IRIs and comments blanked out, for keyword scans."""
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if text.startswith(('"""', "'''"), i):
            end = text.find(text[i:i + 3], i + 3)
            i = n if end < 0 else end + 3
            out.append(" ")
        elif ch in "\"'":
            j = i + 1
            while j < n and text[j] != ch and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            out.append(" ")
        elif ch == "<" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in "=<":
            end = text.find(">", i)
            i = n if end < 0 else end + 1
            out.append(" ")
        elif ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
        else:
            out.append(ch)
            i += 1
    return "".join(out)


_KEYWORD = r"(?<![\w?$:]){}(?![\w:])"
_SERVICE = re.compile(_KEYWORD.format("SERVICE"), re.I)
_UPDATE = re.compile(_KEYWORD.format("(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)"), re.I)


def _names(tree, found: set[str]) -> set[str]:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(tree, CompValue):
        found.add(tree.name)
        for v in tree.values():
            _names(v, found)
    elif isinstance(tree, (list, tuple)) or hasattr(tree, "asList"):
        for v in tree:
            _names(v, found)
    return found


_PARSING = threading.Lock()  # rdflib's parser is pyparsing, which is not thread-safe (rdflib issue #1282)


def _parse(text: str) -> tuple[object | None, bool]:
    """rdflib's parse tree of the query (None if its grammar refuses it), and whether it parses as an update."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    with _PARSING:
        try:
            return parseQuery(text), False
        except Exception:  # rdflib's grammar is stricter in places: the caller falls back to a token scan
            pass
        try:
            parseUpdate(text)
            return None, True
        except Exception:
            return None, False


def check_query(text: str) -> None:
    """Refuse updates (403), SERVICE (403) and empty queries (400) before anything runs. Thread-safe."""
    if not text or not text.strip():
        raise SparqlError(400, "missing_query", "no query: send it as the 'query' parameter or as an "
                          "application/sparql-query body")
    scrubbed = _scrub(text)
    tree, update = _parse(text)
    if tree is None and (update or _UPDATE.search(scrubbed)):
        raise SparqlError(403, "update_refused", "this endpoint is read-only: SPARQL Update is refused")
    if _SERVICE.search(scrubbed) or (tree is not None and "ServiceGraphPattern" in _names(tree, set())):
        raise SparqlError(403, "service_refused", "SERVICE (federated query) is refused: this endpoint never "
                          "calls other servers")


def dataset(visible: list[str] | None, default_uris: Sequence[str], named_uris: Sequence[str]) -> list[str] | None:
    """The reader's visible graphs, narrowed (never widened) by the protocol's graph parameters."""
    asked = list(dict.fromkeys([*default_uris, *named_uris]))
    if not asked:
        return visible
    if visible is None:
        return asked
    allowed = set(visible)
    return [g for g in asked if g in allowed]


# --------------------------------------------------------------------------- running: pool, deadline, cap, cache


@dataclass
class Answer:
    """A materialised result: at most ``result_cap`` rows or triples."""

    kind: str  # select | ask | graph
    variables: list[str]
    rows: list[list[ox.NamedNode | ox.Literal | ox.BlankNode | None]]
    boolean: bool | None = None
    triples: list[ox.Triple] | None = None


def _collect(items, cap: int, deadline: float, unit: str) -> list:
    """Take items (rows or triples) until the cap or the deadline: the query itself cannot be stopped."""
    out = []
    for item in items:
        if len(out) >= cap:
            raise SparqlError(400, "result_too_large", f"the result has more than {cap} {unit} (this server's "
                              "cap): add a LIMIT or narrow the query")
        if time.monotonic() > deadline:
            raise TimeoutError
        out.append(item)
    return out


@dataclass
class Job:
    """One request's work in a worker: every query it runs sees only the reader's graphs and stops
    at the app's cap and at this job's deadline. ``hg``: the worker's context (``store``, ``graphs``,
    ``result_cap``): a :class:`~harvestgraph.api.workers.WorkerContext` or the app's :class:`Settings`."""

    hg: Settings
    confidential: bool
    deadline: float

    def query(self, text: str, default_uris: Sequence[str] = (), named_uris: Sequence[str] = (),
              cap: int | None = None) -> Answer:
        """``cap``: rows allowed instead of the app's result cap (a page of at most that many, plus the one
        row that says whether another page follows)."""
        graphs = dataset(self.hg.graphs(self.confidential), default_uris, named_uris)
        try:
            res = self.hg.store.query(text, graphs=graphs)
            try:
                return _materialise(res, self.hg.result_cap if cap is None else cap, self.deadline)
            except Exception as exc:
                # The traceback's frames hold the result iterator, which pyoxigraph lets only this thread
                # drop ("unsendable"): cut them loose here, not wherever the exception is handled.
                failure = exc.with_traceback(None)
            finally:
                del res
            raise failure
        except StoreError as exc:
            msg = str(exc)
            if "syntax" in msg.lower() or "answered 400" in msg:
                raise SparqlError(400, "bad_query", msg) from None
            raise SparqlError(502, "store_error", msg) from None


def _materialise(res: ox.QueryBoolean | ox.QuerySolutions | ox.QueryTriples, cap: int, deadline: float) -> Answer:
    if isinstance(res, ox.QueryBoolean):
        return Answer("ask", [], [], boolean=bool(res))
    if isinstance(res, ox.QuerySolutions):
        names = [v.value for v in res.variables]
        return Answer("select", names, _collect(([sol[n] for n in names] for sol in res), cap, deadline, "rows"))
    return Answer("graph", [], [], triples=_collect(res, cap, deadline, "triples"))


Produce = Callable[[Job], Body]


def _work(hg: Settings, confidential: bool, produce: Produce, budget: float | None = None) -> Body:
    """A worker's whole job. Its deadline starts when it starts: time spent queued is the request's
    problem (it times out), not the evaluation's, so a late result can still serve the next request.
    ``budget``: the task's own seconds (a view's, the server's own overview queries'), else the context's
    query limit. A refusal (4xx) is an answer like any other and is cached; 5xx and timeouts are raised,
    never cached."""
    job = Job(hg, confidential, time.monotonic() + (hg.query_timeout if budget is None else budget))
    try:
        return produce(job)
    except SparqlError as exc:
        if exc.status >= 500:
            raise
        return exc.body()


def _task(confidential: bool, produce: Produce, context, budget: float | None = None) -> Body:
    return _work(context, confidential, produce, budget)


class OwnRequest:
    """What the guarded runner reads of a request (``request.app.state.hg``), for the server's OWN queries
    over a whole portfolio (the workbench's network, the pages' overview counts): the app's settings
    with a longer budget; same store, pool, cache (answers are shared with readers' requests of the same
    text and scope) and graph lists. Made for a visitor's request (``on_behalf``), it holds that request's
    reader slot (its client and per-request state); otherwise (a build in the background) the slot of an
    unknown address."""

    def __init__(self, app, hg: Settings, on_behalf=None):
        self.app = SimpleNamespace(state=SimpleNamespace(hg=hg))
        self.headers: dict[str, str] = {}
        self.query_params: dict[str, str] = {}
        self.real_app = app
        self.client = getattr(on_behalf, "client", None)
        self.state = getattr(on_behalf, "state", None) or SimpleNamespace()


def own_request(app, timeout: float, on_behalf=None) -> OwnRequest:
    """A stand-in request whose queries may take ``timeout`` seconds (or the app's limits, if longer)."""
    hg = app.state.hg
    return OwnRequest(app, dataclasses.replace(hg, query_timeout=max(hg.query_timeout, timeout),
                                               view_timeout=max(hg.view_timeout, timeout)), on_behalf)


def reader_key(request: Request, reader: Reader) -> str:
    """Who a fairness slot belongs to: the user, or the client address of an anonymous reader."""
    if reader.role != "anonymous":
        return "user:" + reader.name
    return "addr:" + (request.client.host if request.client else "?")


async def answer(request: Request, reader: Reader, key: tuple, produce: Produce, *, view: bool = False) -> Body:
    """The answer of ``produce`` for this reader, from the cache or computed once in a worker process.
    ``key`` must determine the answer given the data and the reader's scope: the query and its parameters
    and what decides the media type. The scope is added here, so no caller can forget it.
    ``produce(job)`` runs in the worker: it must be picklable (module-level function or
    ``functools.partial`` of one, over picklable arguments). ``view``: the budget is the app's
    ``view_timeout`` (an analysis of every visible outcome) instead of ``query_timeout``."""
    hg = settings(request)
    budget = hg.view_timeout if view else hg.query_timeout
    scope = reader.can_see_confidential
    generation, full = hg.store.generation, (scope, *key)
    hit = hg.cache.get(generation, full)
    state = getattr(request, "state", None)
    if hit is not None:
        _cache_status(state, "hit")
        return hit
    # a request joining an evaluation in flight adds none: it needs no slot
    joins = hg.cache.in_flight(generation, full)
    _cache_status(state, "fwd=miss; collapsed" if joins else "fwd=miss")
    who = None if joins else reader_key(request, reader)
    # A slot is held per HTTP request: the evaluations one request fans out (a page's facet counts, run side
    # by side) share the slot that request took, so a page never answers 429 to its own parts.
    shared = who is not None and state is not None and getattr(state, "hg_slot_refs", 0) > 0
    if who is not None and not shared and not hg.slots.acquire(who):
        wait = max(1, math.ceil(budget / 2))
        raise SparqlError(429, "too_many_queries", f"this reader already has {hg.slots.per_reader} queries "
                          "running (this server's limit per reader: serve --per-reader); retry when one has "
                          "finished", headers={"Retry-After": str(wait)})
    if who is not None and state is not None:
        state.hg_slot_refs = getattr(state, "hg_slot_refs", 0) + 1
    try:
        return await hg.cache.fetch(generation, full, hg.pool,
                                    Task(functools.partial(_task, scope, produce, budget=budget), budget),
                                    budget, budget + hg.pool.startup_wait())
    except Busy:
        raise SparqlError(503, "busy", "every query worker of this server was busy (or being restarted) for "
                          f"{budget:g} s before this query could start; it did not run. Retry shortly",
                          headers={"Retry-After": str(max(1, math.ceil(budget / 2)))}) from None
    except TimeoutError:
        option = "--view-timeout" if view else "--timeout"
        raise SparqlError(503, "timeout", f"the query did not finish within {budget:g} s (this server's limit, "
                          f"serve {option}): it was stopped. Narrow it or add a LIMIT") from None
    except MemoryExceeded as exc:
        raise SparqlError(503, "memory", f"the query needed more memory than this server allows one query "
                          f"({exc.ceiling >> 20} MiB, serve --job-memory): it was stopped. Narrow it or add a "
                          "LIMIT (sorting or grouping everything is the usual cause)") from None
    except WorkerCrashed as exc:
        raise SparqlError(500, "query_crashed", f"evaluating this query crashed the process running it ({exc}); "
                          "the server is fine and other queries are answered. Simplify the query (deep nesting "
                          f"is the usual cause; this server allows {hg.limits.max_depth} levels)") from None
    except WorkerUnavailable as exc:
        raise SparqlError(503, "workers_unavailable", f"no query worker is available: {exc}") from None
    finally:
        if who is not None:
            if state is None:
                hg.slots.release(who)
            else:
                state.hg_slot_refs -= 1
                if state.hg_slot_refs == 0:
                    hg.slots.release(who)


def _cache_status(state, status: str) -> None:
    """Remember how the request's answer was found, for its ``Cache-Status`` header (RFC 9211, set by
    :func:`send`): ``hit`` (from the cache: no evaluation), ``fwd=miss`` (evaluated for it),
    ``fwd=miss; collapsed`` (joined an evaluation another request had started)."""
    if state is not None:
        state.hg_cache_status = status


def _etag_matches(header: str | None, etags: tuple[str, ...]) -> bool:
    if not header:
        return False
    return any(tag.strip().removeprefix("W/") in (*etags, "*") for tag in header.split(","))


def accepts_gzip(header: str | None) -> bool:
    """Whether an ``Accept-Encoding`` header accepts gzip (``gzip`` or ``*`` with a q-value above 0)."""
    if not header:
        return False
    found = None
    for part in header.lower().split(","):
        coding, _, params = part.partition(";")
        coding = coding.strip()
        if coding not in ("gzip", "x-gzip", "*"):
            continue
        q = 1.0
        for p in params.split(";"):
            name, _, value = p.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if coding != "*" or found is None:  # an explicit gzip wins over *
            found = q > 0
    return bool(found)


def send(request: Request, reader: Reader, body: Body) -> Response:
    """An answer as a response. A 200 carries its ETag and ``Cache-Control: no-cache`` (clients may keep it
    but must revalidate: the data change at the next ingest), ``private`` for an authenticated reader so
    that no shared cache hands it to someone else; ``If-None-Match`` with the same ETag gets a 304.
    A client that accepts gzip gets the body's compressed form (made once, with the body) with its own
    ETag; the answer's own headers (``Body.headers``, e.g. a page's ``Link``) go with it, and ``Cache-Status``
    (RFC 9211) says whether it came from the cache."""
    if body.status != 200:
        return Response(body.content, status_code=body.status, media_type=body.media_type)
    gz = body.gzipped is not None and accepts_gzip(request.headers.get("accept-encoding"))
    out = {"ETag": body.gzip_etag if gz else body.etag, "Vary": "Accept, Accept-Encoding, Authorization, Cookie",
           "Cache-Control": "no-cache" if reader.role == "anonymous" else "private, no-cache"}
    status = getattr(getattr(request, "state", None), "hg_cache_status", None)
    if status:
        out["Cache-Status"] = f"harvestgraph; {status}"
    out.update(body.headers)
    if _etag_matches(request.headers.get("if-none-match"), (body.etag, body.gzip_etag)):
        return Response(status_code=304, headers=out)
    if gz:
        out["Content-Encoding"] = "gzip"
        return Response(body.gzipped, media_type=body.media_type, headers=out)
    return Response(body.content, media_type=body.media_type, headers=out)


# --------------------------------------------------------------------------- serialisation


def _json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            d["datatype"] = t.datatype.value
        return d
    return {"type": "triple", "value": str(t)}  # RDF-star: rare; readable rather than exact


def _xml_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    return f"<literal>{escape(str(t))}</literal>"


def serialize_results(ans: Answer, fmt: str) -> bytes:
    """SPARQL 1.1 results (JSON, XML, CSV, TSV) of a SELECT or ASK answer."""
    if fmt == "json":
        if ans.kind == "ask":
            return json.dumps({"head": {}, "boolean": ans.boolean}).encode()
        bindings = [{v: _json_term(t) for v, t in zip(ans.variables, row) if t is not None} for row in ans.rows]
        return json.dumps({"head": {"vars": ans.variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode()
    if fmt == "xml":
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in ans.variables)
        if ans.kind == "ask":
            body = f"<boolean>{'true' if ans.boolean else 'false'}</boolean>"
        else:
            results = "".join(
                "<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                     for v, t in zip(ans.variables, row) if t is not None) + "</result>"
                for row in ans.rows)
            body = f"<results>{results}</results>"
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head>{head}</head>{body}</sparql>\n").encode()
    buf = io.StringIO()
    if ans.kind == "ask":
        variables, rows = ["_askResult"], [[ox.Literal("true" if ans.boolean else "false")]]
    else:
        variables, rows = ans.variables, ans.rows
    if fmt == "csv":
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        for row in rows:
            w.writerow(["" if t is None else (f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value) for t in row])
    else:  # tsv: terms in SPARQL/Turtle syntax
        buf.write("\t".join(f"?{v}" for v in variables) + "\n")
        for row in rows:
            buf.write("\t".join("" if t is None else str(t) for t in row) + "\n")
    return buf.getvalue().encode()


def serialize_graph(triples: list[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    """Triples as Turtle (with our prefixes), N-Triples, JSON-LD or RDF/XML."""
    if fmt == ox.RdfFormat.TURTLE:
        return ox.serialize(triples, format=fmt, prefixes=PREFIXES)
    return ox.serialize(triples, format=fmt)


def _accepted(accept: str) -> list[str]:
    """Media types of an Accept header, best first (q-values honoured, order kept among equals)."""
    ranked = []
    for i, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        if not bits[0]:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, i, bits[0].lower()))
    return [m for _, _, m in sorted(ranked)]


def negotiate(kind: str, accept: str | None, fmt: str | None) -> str:
    """The media type to answer with, or SparqlError 406."""
    table = SELECT_TYPES if kind in ("select", "ask") else GRAPH_TYPES
    default = "application/sparql-results+json" if kind in ("select", "ask") else "text/turtle"
    if fmt:
        mt = FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
        if mt in table:
            return mt
        raise SparqlError(406, "not_acceptable", f"format {fmt!r} is not available for this query; use one of "
                          + ", ".join(sorted(table)))
    wanted = _accepted(accept or "*/*")
    for mt in wanted:
        if mt in table:
            return mt
        if mt in ("*/*", "application/*", "text/*") or not wanted:
            return default
    if not wanted:
        return default
    raise SparqlError(406, "not_acceptable", "none of the accepted media types can carry this result; use one of "
                      + ", ".join(sorted(table)))


def encode(ans: Answer, mt: str) -> Body:
    """An answer in a negotiated media type (see :func:`negotiate`)."""
    if ans.kind == "graph":
        rdf = GRAPH_TYPES[mt]
        ctype = rdf.media_type + ("; charset=utf-8" if rdf != ox.RdfFormat.RDF_XML else "")
        return Body(200, serialize_graph(ans.triples or [], rdf), ctype, compress=True)
    out = SELECT_TYPES[mt]
    return Body(200, serialize_results(ans, out), _MEDIA_TYPE_OUT[out], compress=True)


def _media_key(accept: str | None, fmt: str | None) -> tuple[str, str]:
    """What the negotiation gives for a table and for a graph (a media type, or the 406 message): the part
    of the cache key that stands for ``Accept`` and ``format=``, shared by clients that ask alike."""
    out = []
    for kind in ("select", "graph"):
        try:
            out.append(negotiate(kind, accept, fmt))
        except SparqlError as exc:
            out.append(exc.message)
    return out[0], out[1]


# --------------------------------------------------------------------------- the protocol endpoint

QUERY_DOC = "The SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE). Updates and SERVICE are refused."
DEFAULT_GRAPH_DOC = ("Protocol dataset: a graph IRI to use as (part of) the default graph. Repeatable. It can only "
                     "narrow what the reader may see, never widen it.")
NAMED_GRAPH_DOC = "Protocol dataset: a named graph IRI. Repeatable. Narrows, never widens, the reader's graphs."
FORMAT_DOC = ("Result format instead of the Accept header: json, xml, csv, tsv (SELECT/ASK); turtle, ntriples, "
              "jsonld, rdfxml (CONSTRUCT/DESCRIBE).")

_POST_BODY = {
    "requestBody": {
        "description": "Either a form (query=..., default-graph-uri=..., named-graph-uri=...) or the query itself "
                       "as application/sparql-query. Updates (update=... or application/sparql-update) get 403.",
        "content": {
            "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                "query": {"type": "string", "description": QUERY_DOC},
                "default-graph-uri": {"type": "array", "items": {"type": "string"}, "description": DEFAULT_GRAPH_DOC},
                "named-graph-uri": {"type": "array", "items": {"type": "string"}, "description": NAMED_GRAPH_DOC},
            }}},
            "application/sparql-query": {"schema": {"type": "string", "description": QUERY_DOC}},
        },
    },
    "responses": {"200": {"description": "SPARQL results or an RDF graph", "content": {
        **{mt: {} for mt in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                             "text/tab-separated-values", "text/turtle", "application/n-triples",
                             "application/ld+json")}}},
        "400": {"description": "bad query, more results than the cap, nesting or patterns over the limits, a "
                               "repeated query parameter, or text that is not UTF-8"},
        "403": {"description": "update or SERVICE refused"}, "406": {"description": "no acceptable format"},
        "413": {"description": "the query (or the request body) is longer than the limit"},
        "415": {"description": "a POST body that is neither a form nor application/sparql-query"},
        "429": {"description": "this reader has its share of evaluations running; see Retry-After"},
        "500": {"description": "the query crashed the worker process evaluating it (the server lives on)"},
        "503": {"description": "the query timed out (and was stopped), or no worker is available"}},
}


def _produce_sparql(text: str, default_uris: list[str], named_uris: list[str], accept: str | None,
                    fmt: str | None, job: Job) -> Body:
    check_query(text)  # in the worker: rdflib's parser takes tens of ms, the event loop must not wait
    ans = job.query(text, default_uris, named_uris)
    return encode(ans, negotiate(ans.kind, accept, fmt))


async def _answer(request: Request, reader: Reader, text: str | None, default_uris: list[str],
                  named_uris: list[str], fmt: str | None) -> Response:
    text = text or ""
    accept = request.headers.get("accept")
    try:
        settings(request).limits.check(text)
    except LimitExceeded as exc:
        return SparqlError(exc.status, exc.code, exc.message).response()
    if _SERVICE.search(_scrub(text)):  # refused here at once (64 KB at most: milliseconds), not in a worker
        return SparqlError(403, "service_refused", "SERVICE (federated query) is refused: this endpoint never "
                           "calls other servers").response()
    produce = functools.partial(_produce_sparql, text, default_uris, named_uris, accept, fmt)
    key = ("sparql", text, tuple(default_uris), tuple(named_uris), _media_key(accept, fmt))
    try:
        return send(request, reader, await answer(request, reader, key, produce))
    except SparqlError as exc:
        return exc.response()


def _update_refused() -> Response:
    return SparqlError(403, "update_refused", "this endpoint is read-only: SPARQL Update is refused").response()


def _strict_params(raw: bytes, what: str) -> list[tuple[str, str]]:
    """``a=b&c=d`` as pairs, refusing (400) what is not UTF-8 once percent-decoded: a lenient decoder would
    run a query other than the one sent."""
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict",
                         max_num_fields=10_000)
    except (UnicodeDecodeError, ValueError) as exc:
        raise SparqlError(400, "bad_encoding", f"the {what} is not valid percent-encoded UTF-8: {exc}") from None


def _one(params: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in params if k == name]
    if len(values) > 1:
        raise SparqlError(400, "repeated_parameter", f"the '{name}' parameter was given {len(values)} times; "
                          "the SPARQL protocol allows exactly one")
    return values[0] if values else None


async def _capped_body(request: Request, cap: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``cap`` bytes (announced or sent)."""
    declared = request.headers.get("content-length")
    too_big = SparqlError(413, "body_too_large", f"the request body has more than {cap} bytes (this server "
                          "accepts queries of at most serve --max-query-bytes)")
    if declared and declared.isdigit() and int(declared) > cap:
        raise too_big
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


@router.get("/sparql", summary="SPARQL 1.1 query (GET)", response_class=Response,
            responses=_POST_BODY["responses"])
async def sparql_get(
    request: Request,
    reader: Annotated[Reader, Depends(get_reader)],
    query: Annotated[str | None, Query(description=QUERY_DOC)] = None,
    update: Annotated[str | None, Query(description="Refused: this endpoint is read-only (403).")] = None,
    default_graph_uri: Annotated[list[str], Query(alias="default-graph-uri", description=DEFAULT_GRAPH_DOC)] = [],
    named_graph_uri: Annotated[list[str], Query(alias="named-graph-uri", description=NAMED_GRAPH_DOC)] = [],
    format: Annotated[str | None, Query(description=FORMAT_DOC)] = None,
) -> Response:
    """Run a read-only SPARQL query over the graphs this reader may see."""
    try:  # the parameters again, strictly: FastAPI's decoding replaces bad UTF-8 and keeps the last repeat
        params = _strict_params(request.scope.get("query_string", b""), "query string")
        if _one(params, "update") is not None:
            return _update_refused()
        text = _one(params, "query")
    except SparqlError as exc:
        return exc.response()
    return await _answer(request, reader, text, default_graph_uri, named_graph_uri, format)


@router.post("/sparql", summary="SPARQL 1.1 query (POST)", response_class=Response, openapi_extra=_POST_BODY)
async def sparql_post(
    request: Request,
    reader: Annotated[Reader, Depends(get_reader)],
    default_graph_uri: Annotated[list[str], Query(alias="default-graph-uri", description=DEFAULT_GRAPH_DOC)] = [],
    named_graph_uri: Annotated[list[str], Query(alias="named-graph-uri", description=NAMED_GRAPH_DOC)] = [],
    format: Annotated[str | None, Query(description=FORMAT_DOC)] = None,
) -> Response:
    """Run a read-only SPARQL query sent as a form or as an application/sparql-query body."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    cap = settings(request).limits.max_query_bytes
    try:
        url_params = _strict_params(request.scope.get("query_string", b""), "query string")
        if _one(url_params, "query") is not None:
            raise SparqlError(400, "repeated_parameter", "a POST sends the query in its body, not in the URL")
        if ctype == "application/sparql-update":
            return _update_refused()
        if ctype == "application/sparql-query":
            raw = await _capped_body(request, cap)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise SparqlError(400, "bad_encoding", f"the query is not valid UTF-8: {exc}") from None
            return await _answer(request, reader, text, default_graph_uri, named_graph_uri, format)
        if ctype == "application/x-www-form-urlencoded":
            # percent-encoding at most triples the size; the other parameters get 4 KB
            form = _strict_params(await _capped_body(request, 3 * cap + 4096), "form")
            if _one(form, "update") is not None:
                return _update_refused()
            text = _one(form, "query")
            return await _answer(request, reader, text,
                                 [*default_graph_uri, *[v for k, v in form if k == "default-graph-uri"]],
                                 [*named_graph_uri, *[v for k, v in form if k == "named-graph-uri"]], format)
        if ctype == "multipart/form-data":
            request._body = await _capped_body(request, 3 * cap + 4096)  # what request.form() reads
            parts = await request.form()
            if parts.get("update") is not None:
                return _update_refused()
            texts = parts.getlist("query")
            if len(texts) > 1:
                raise SparqlError(400, "repeated_parameter", "the 'query' parameter was given "
                                  f"{len(texts)} times; the SPARQL protocol allows exactly one")
            text = texts[0] if texts else None
            return await _answer(request, reader, text if isinstance(text, str) else None,
                                 [*default_graph_uri, *[str(v) for v in parts.getlist("default-graph-uri")]],
                                 [*named_graph_uri, *[str(v) for v in parts.getlist("named-graph-uri")]], format)
    except SparqlError as exc:
        return exc.response()
    return SparqlError(415, "unsupported_media_type", "send application/x-www-form-urlencoded or "
                       "application/sparql-query").response()
