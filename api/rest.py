"""The REST API: named queries, outcomes, actors, and dereferenceable entity IRIs (``/id/...``).

Every route takes the reader from :func:`harvestgraph.api.auth.get_reader` and queries only the graphs that
reader may see, through the same guarded runner as ``/sparql`` (timeout, result cap, cache). Parameters reach
SPARQL only as typed RDF terms (:func:`harvestgraph.queries.bind` or store substitutions), never as text.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from harvestgraph import queries

from harvestgraph.outputs import results
from harvestgraph.api.auth import Reader, get_reader
from harvestgraph.api.cache import Body
from harvestgraph.api.sparql import GRAPH_TYPES, Answer, SparqlError, answer, negotiate, send, serialize_graph
from harvestgraph.errors import HarvestError
from harvestgraph.mapping import read_record
from harvestgraph.store.remote import with_values
from harvestgraph.vocab import (ID, PREFIXES, SPARQL_PREFIXES, actor_iri, fragment_graph, fragment_iri, outcome_iri,
                                programme_iri)

router = APIRouter()

# --------------------------------------------------------------------------- models


class ParamInfo(BaseModel):
    name: str = Field(description="Parameter name, used as ?name=value")
    type: str = Field(description="string, integer, year, boolean, country, actor, programme, outcome, fragment, "
                                  "concept:<scheme>, ...")
    default: str | None = Field(None, description="Default value; null: optional, no filter")
    doc: str = Field(description="What the parameter does")
    required: bool = Field(False, description="The server refuses the query without it (400 missing_parameter): "
                                              "without it the query lists the whole portfolio")


class QueryInfo(BaseModel):
    name: str
    title: str
    description: str = Field(description="What a researcher learns from the query")
    params: list[ParamInfo]
    href: str = Field(description="Where to run it")


class Table(BaseModel):
    columns: list[str]
    rows: list[dict[str, str | None]]


class TablePage(Table):
    limit: int = Field(description="Page size: at most this many rows")
    offset: int = Field(description="Rows skipped before this page")
    total: int | None = Field(None, description="Rows of the whole answer, when known without another "
                                                "evaluation (on the last page); null otherwise")
    next: str | None = Field(None, description="URL of the next page (also in the Link header); null on the last")
    prev: str | None = Field(None, description="URL of the previous page; null on the first")


class OutcomeSummary(BaseModel):
    id: str = Field(description="FragmentID")
    iri: str
    href: str = Field(description="This API's URL of the outcome")
    programme: str | None = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code of the outcome's country")
    year: int | None = None
    description: str | None = None


class OutcomePage(BaseModel):
    items: list[OutcomeSummary]
    limit: int
    offset: int
    next: str | None = Field(None, description="URL of the next page; null on the last page")


class ActorSummary(BaseModel):
    iri: str
    slug: str
    href: str
    name: str | None = None
    kind: str | None = None
    changed_in: int = Field(description="Outcomes in which the actor changed")
    contributed_to: int = Field(description="Outcomes the actor contributed to")


class ActorPage(BaseModel):
    items: list[ActorSummary]
    limit: int
    offset: int
    next: str | None = None


# --------------------------------------------------------------------------- helpers


# Encoders run in the worker, so that the event loop only sends bytes; their output is what is cached.

# (cache key, maker of the query text): the key determines the text. The maker and the encoders run in a
# worker process, so they are module-level functions or functools.partial of them (picklable).
QuerySpec = tuple[tuple, Callable[[], str]]


def _strings(ans: Answer) -> list[list[str | None]]:
    if ans.kind != "select":
        raise SparqlError(400, "not_a_table", "this query does not return a table")
    return [[t.value if t is not None else None for t in row] for row in ans.rows]


def _table_body(ans: Answer) -> Body:
    """A SELECT as the JSON of a :class:`Table`."""
    rows = [dict(zip(ans.variables, row)) for row in _strings(ans)]
    return Body(200, json.dumps({"columns": ans.variables, "rows": rows}, ensure_ascii=False).encode(),
                "application/json")


def _csv_body(ans: Answer) -> Body:
    return Body(200, results.to_csv(ans.variables, _strings(ans)).encode(), "text/csv; charset=utf-8", compress=True)


def _ntriples_body(ans: Answer) -> Body:
    """A CONSTRUCT as N-Triples: the cached form of a description, rendered per request as HTML or RDF."""
    return Body(200, serialize_graph(ans.triples or [], ox.RdfFormat.N_TRIPLES), "application/n-triples")


def _text(text: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None) -> QuerySpec:
    """Cache key and query maker for a query text, with variables pre-bound to RDF terms by a VALUES block."""
    key = ("text", text, tuple((k, str(v)) for k, v in (bindings or {}).items()))
    return key, functools.partial(_with_values, text, bindings)


def _with_values(text: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None) -> str:
    return with_values(text, bindings) if bindings else text


def _named(name: str, values: dict[str, str], tail: str = "") -> QuerySpec:
    """Cache key and query maker for a named query with its parameters (and ``tail``: LIMIT/OFFSET). It is
    bound in the worker: binding scans the query text, a millisecond a cached answer need not cost.
    A query whose header says a parameter is ``required`` (a dump of the whole portfolio without it) is
    refused here, before any worker or cache, with a 400 naming the parameter."""
    q = queries.library().get(name)
    absent = queries.missing(q, values) if q is not None else []
    if absent:
        p = absent[0]
        raise SparqlError(400, "missing_parameter", f"the named query {name!r} needs its {p.name!r} parameter "
                          f"on this server ({p.doc}); without it, it lists the whole portfolio, which takes "
                          "longer than a shared server lets one query run. Give it, e.g. "
                          f"/queries/{name}?{p.name}=..., or run the whole list on the command line: "
                          f"harvestgraph query {name} --format csv")
    return ("named", name, tuple(sorted(values.items())), tail), functools.partial(_bind_named, name, values, tail)


def _bind_named(name: str, values: dict[str, str], tail: str) -> str:
    try:
        return queries.bind(queries.get(name), values) + tail
    except HarvestError as exc:
        raise SparqlError(400, "bad_parameter", str(exc)) from None


def _produce(make: Callable[[], str], encode: Callable[[Answer], Body], job) -> Body:
    return encode(job.query(make()))


DEFAULT_PAGE = 1000  # rows of a named query's page when the client sets no limit (the HTML page shows as many)


@dataclass(frozen=True)
class PageOf:
    """Encoder of one page of a named query's answer (JSON :class:`TablePage`, or CSV), run in the worker.
    The query asks for ``limit + 1`` rows from ``offset``: the extra row only says that another page
    follows. Links to the next and previous pages go in the body (JSON) and in a ``Link`` header (both),
    so the cached bytes are final. Hashable by value: it is part of the cache key."""

    path: str  # /queries/NAME
    params: tuple[tuple[str, str], ...]  # the request's parameters other than limit and offset, in order
    limit: int
    offset: int
    explicit_limit: bool  # the client gave limit: the links repeat it
    csv: bool = False

    @property
    def tail(self) -> str:
        return f"\nLIMIT {self.limit + 1}" + (f"\nOFFSET {self.offset}" if self.offset else "")

    def url(self, offset: int) -> str:
        extra = [("limit", str(self.limit))] if self.explicit_limit else []
        extra += [("offset", str(offset))] if offset else []
        q = urlencode([*self.params, *extra])
        return f"{self.path}?{q}" if q else self.path

    def __call__(self, ans: Answer) -> Body:
        rows = _strings(ans)
        more = len(rows) > self.limit
        rows = rows[:self.limit]
        # The whole answer's size is known on its last page (found, not counted: a count would evaluate it again)
        total = self.offset + len(rows) if not more and (rows or not self.offset) else None
        nxt = self.url(self.offset + self.limit) if more else None
        prev = self.url(max(0, self.offset - self.limit)) if self.offset else None
        links = [f'<{u}>; rel="{rel}"' for rel, u in (("next", nxt), ("prev", prev)) if u]
        headers = (("Link", ", ".join(links)),) if links else ()
        if total is not None:
            headers += (("X-Total-Count", str(total)),)
        if self.csv:
            return Body(200, results.to_csv(ans.variables, rows).encode(), "text/csv; charset=utf-8", headers=headers,
                        compress=True)
        page = {"columns": ans.variables, "rows": [dict(zip(ans.variables, r)) for r in rows], "limit": self.limit,
                "offset": self.offset, "total": total, "next": nxt, "prev": prev}
        return Body(200, json.dumps(page, ensure_ascii=False).encode(), "application/json", headers=headers,
                    compress=True)


def _produce_page(make: Callable[[], str], encode: PageOf, job) -> Body:
    return encode(job.query(make(), cap=encode.limit + 1))


async def _body(request: Request, reader: Reader, query: QuerySpec,
                encode: Callable[[Answer], Body] = _table_body) -> Body:
    """The answer of a query (from :func:`_text` or :func:`_named`) in the form ``encode`` gives it."""
    key, make = query
    return await answer(request, reader, (*key, encode), functools.partial(_produce, make, encode))


async def _table(request: Request, reader: Reader, query: QuerySpec) -> Table:
    """A SELECT as a table of strings (``query``: from :func:`_text` or :func:`_named`); SparqlError on refusal."""
    body = await _body(request, reader, query)
    if body.status != 200:
        raise SparqlError.from_body(body)
    return Table.model_construct(**json.loads(body.content))


def _page_url(request: Request, offset: int) -> str:
    params = dict(request.query_params)
    params["offset"] = str(offset)
    return f"{request.url.path}?{urlencode(params)}"


def id_href(iri: str) -> str | None:
    """This API's URL for one of our data IRIs (hgid:...), else None."""
    return "/id/" + iri[len(str(ID)):] if iri.startswith(str(ID)) else None


def _slug(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


Limit = Annotated[int, Query(ge=1, le=1000, description="Page size (1-1000)")]
Offset = Annotated[int, Query(ge=0, description="Items to skip (0 = first page)")]
ReaderDep = Annotated[Reader, Depends(get_reader)]


# --------------------------------------------------------------------------- named queries


@router.get("/queries", tags=["Named queries"], response_model=list[QueryInfo], summary="List the named queries")
async def list_queries(reader: ReaderDep) -> list[QueryInfo]:
    """Every named query of the library, with what it tells a researcher and its parameters."""
    return [QueryInfo(name=q.name, title=q.title, description=q.description, href=f"/queries/{q.name}",
                      params=[ParamInfo(name=p.name, type=p.type, default=p.default, doc=p.doc,
                                        required=p.name in q.required) for p in q.params])
            for q in queries.library().values()]


@router.get("/queries/{name}", tags=["Named queries"], response_model=TablePage, summary="Run a named query",
            responses={200: {"content": {"text/csv": {}}},
                       400: {"description": "bad parameter, a required parameter missing (missing_parameter), "
                                            "a limit above the server's row cap, or a whole CSV answer above it"},
                       404: {"description": "no such query"}})
async def run_query(request: Request, reader: ReaderDep,
                    name: Annotated[str, Path(description="Query name, see GET /queries")],
                    format: Annotated[str | None, Query(description="json (default) or csv; Accept: text/csv works too")] = None,
                    limit: Annotated[int | None, Query(ge=1, le=100_000, description=f"Page size: at most this many rows "
                                                       f"(default {DEFAULT_PAGE}; at most the server's row cap, "
                                                       "10,000 unless set otherwise). CSV without limit or offset: "
                                                       "the whole answer")] = None,
                    offset: Offset = 0):
    """Run a named query. Its parameters (see ``GET /queries``) are given as query-string parameters,
    e.g. ``/queries/outcomes?country=KE&year_from=2024``; they are bound as typed RDF terms.

    JSON answers come in pages of ``limit`` rows (default 1,000) from ``offset``; the queries are ordered, so
    pages are stable. The next page's URL is in the body (``next``) and in the ``Link`` header
    (``rel="next"``); ``total`` (and ``X-Total-Count``) is given on the last page. CSV without ``limit`` or
    ``offset`` is the whole answer (a download; up to the server's row cap), with them a page like JSON.
    A query that would list the whole portfolio without its parameter (``required`` in ``GET /queries``)
    is refused with 400 ``missing_parameter``."""
    if name not in queries.library():
        return JSONResponse({"error": "not_found", "message": f"no named query {name!r}"}, status_code=404)
    if format and format.lower() not in ("json", "csv"):
        return JSONResponse({"error": "bad_format", "message": "format must be json or csv"}, status_code=400)
    wants_csv = (format or "").lower() == "csv" or (not format and "text/csv" in request.headers.get("accept", ""))
    values = {k: v for k, v in request.query_params.items() if k not in ("format", "limit", "offset")}
    cap = request.app.state.hg.result_cap
    if limit is not None and limit > cap:
        return JSONResponse({"error": "limit_too_large", "message": f"limit is at most {cap} (this server's row "
                             "cap); follow the next links for more"}, status_code=400)
    try:
        if wants_csv and limit is None and not offset:  # the whole answer as a download
            body = await _body(request, reader, _named(name, values), _csv_body)
        else:
            page = PageOf(f"/queries/{name}", tuple((k, v) for k, v in request.query_params.multi_items()
                                                    if k not in ("limit", "offset")),
                          limit or min(DEFAULT_PAGE, cap), offset, limit is not None, wants_csv)
            body = await named_page(request, reader, name, values, page)
    except SparqlError as exc:
        return exc.response()
    return send(request, reader, body)


def default_page(request: Request, name: str, values: dict[str, str], offset: int = 0) -> PageOf:
    """The JSON page of a named query that ``GET /queries/NAME?params`` answers without ``limit`` and
    ``format``: the browser's page (``/queries/NAME?run=1``) shows the same page, so both, and the
    warm-up (:mod:`harvestgraph.api.warm`), share one cache entry."""
    return PageOf(f"/queries/{name}", tuple(values.items()), min(DEFAULT_PAGE, request.app.state.hg.result_cap),
                  offset, False)


async def named_page(request: Request, reader: Reader, name: str, values: dict[str, str], page: PageOf) -> Body:
    """One page of a named query's answer (SparqlError on refusal, e.g. a missing required parameter)."""
    key, make = _named(name, values, page.tail)
    return await answer(request, reader, (*key, page), functools.partial(_produce_page, make, page))


# --------------------------------------------------------------------------- outcomes


def _outcome_summary(r: dict[str, str | None]) -> OutcomeSummary:
    return OutcomeSummary(id=r["id"], iri=r["outcome"], href="/outcomes/" + quote(r["id"], safe=""),
                          programme=r.get("programmeCode"), country=r.get("countryCode"),
                          year=int(r["year"]) if r.get("year") else None, description=r.get("description"))


@router.get("/outcomes", tags=["Outcomes"], response_model=OutcomePage, summary="List outcomes")
async def list_outcomes(
    request: Request, reader: ReaderDep, limit: Limit = 50, offset: Offset = 0,
    country: Annotated[str | None, Query(description="ISO 3166-1 code or name of the outcome's country, e.g. KE")] = None,
    year: Annotated[int | None, Query(ge=1000, le=9999, description="Year of the outcome, e.g. 2025")] = None,
    objective: Annotated[str | None, Query(description="Objective code or label, e.g. CIV")] = None,
    type_of_change: Annotated[str | None, Query(description="Type of change, e.g. Policy change")] = None,
    programme: Annotated[str | None, Query(description="Programme code, e.g. SCC")] = None,
):
    """Outcomes the reader may see, filtered and paged (ordered by FragmentID)."""
    values = {k: v for k, v in {"country": country, "objective": objective, "type_of_change": type_of_change,
                                "programme": programme}.items() if v}
    if year is not None:
        values["year_from"] = values["year_to"] = str(year)
    try:
        table = await _table(request, reader, _named("outcomes", values, f"\nLIMIT {limit + 1} OFFSET {offset}"))
    except SparqlError as exc:
        return exc.response()
    items = [_outcome_summary(r) for r in table.rows[:limit]]
    nxt = _page_url(request, offset + limit) if len(table.rows) > limit else None
    return OutcomePage(items=items, limit=limit, offset=offset, next=nxt)


_OUTCOME = """SELECT DISTINCT ?p ?o ?label WHERE {
  ?outcome a hg:Outcome ; ?p ?o .
  OPTIONAL { ?o skos:prefLabel|rdfs:label ?label }
} ORDER BY ?p ?o"""


# The fragment's fields as written (its raw record: provenance, kept in the fragment's own graph only),
# with the graph named by its IRI: the store then gives the engine that one graph if the reader may read
# it, not the reader's whole list (~20 µs a graph in Oxigraph: 3.5 s a page at 100k fragments).
_RECORD = """SELECT ?record WHERE {{ GRAPH <{graph}> {{ <{fragment}> hg:rawRecord ?record }} }}"""


def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


@router.get("/outcomes/{fragment_id:path}", tags=["Outcomes"], summary="One outcome",
            responses={404: {"description": "no such outcome, or not visible to this reader"}})
async def get_outcome(request: Request, reader: ReaderDep,
                      fragment_id: Annotated[str, Path(description="FragmentID, URL-encoded (SCC-KEN2508%2FCIV008)")]):
    """An outcome: every property (with labels), its contributors and the fragment's fields as written."""
    iri = ox.NamedNode(str(outcome_iri(fragment_id)))
    try:
        props = await _table(request, reader, _text(SPARQL_PREFIXES + _OUTCOME, {"outcome": iri}))
        if not props.rows:
            return JSONResponse({"error": "not_found", "message": f"no outcome {fragment_id!r}"}, status_code=404)
        contributors = await _table(request, reader, _named("contributors_of_outcome", {"outcome": fragment_id}))
        record = await _table(request, reader, _text(SPARQL_PREFIXES + _RECORD.format(
            graph=fragment_graph(fragment_id), fragment=fragment_iri(fragment_id)), None))
    except SparqlError as exc:
        return exc.response()
    properties: dict[str, list[dict]] = {}
    for r in props.rows:
        v = {"value": r["o"]}
        if r.get("label"):
            v["label"] = r["label"]
        if href := id_href(r["o"] or ""):
            v["href"] = href
        properties.setdefault(_curie(r["p"]), []).append(v)
    return {"id": fragment_id, "iri": iri.value, "href": id_href(iri.value), "properties": properties,
            "contributors": contributors.rows,
            # (order and line as strings, as when each field was its own resource)
            "fields": [{**{k: f[k] for k in ("fieldName", "canonicalField", "rawValue")},
                        "order": str(f["order"]), "sourceLine": str(f["sourceLine"])}
                       for r in record.rows[:1] for f in read_record(r["record"])]}


# --------------------------------------------------------------------------- actors

_ACTORS = """SELECT ?actor ?name ?kind ?changed ?contributed
WHERE {
  { SELECT ?actor (COUNT(DISTINCT ?o1) AS ?changed) (COUNT(DISTINCT ?o2) AS ?contributed)
    WHERE { { ?o1 hg:changedActor ?actor } UNION { ?o2 hg:hasContributor ?actor } } GROUP BY ?actor }
  OPTIONAL { SELECT ?actor (MIN(?l) AS ?name) (MIN(?k) AS ?kind) WHERE {
      { SELECT DISTINCT ?actor WHERE { ?x hg:changedActor|hg:hasContributor ?actor } }
      OPTIONAL { ?actor skos:prefLabel ?l }
      OPTIONAL { ?actor hg:actorKind ?kk BIND (REPLACE(STR(?kk), "^.*/", "") AS ?k) }
    } GROUP BY ?actor }
  FILTER (!BOUND(?kindFilter) || ?kind = ?kindFilter)
  FILTER (!BOUND(?text) || CONTAINS(LCASE(COALESCE(STR(?name), "")), LCASE(?text)))
}
ORDER BY LCASE(STR(?name)) ?actor"""
# MIN, not SAMPLE: the same name and kind on every engine. STR(?name) under LCASE: Virtuoso 7.2.5 refuses
# LCASE over an aggregate's language-tagged value (SR586 "Incomplete RDF box").


_ACTOR_FACTS = """SELECT DISTINCT ?p ?o WHERE {
  ?actor ?p ?o . VALUES ?p { skos:prefLabel skos:altLabel hg:acronym hg:actorKind hg:basedIn owl:sameAs hg:status }
} ORDER BY ?p ?o"""


def _actor_summary(r: dict[str, str | None]) -> ActorSummary:
    return ActorSummary(iri=r["actor"], slug=_slug(r["actor"]), href="/actors/" + _slug(r["actor"]),
                        name=r.get("name"), kind=r.get("kind"), changed_in=int(r.get("changed") or 0),
                        contributed_to=int(r.get("contributed") or 0))


@router.get("/actors", tags=["Actors"], response_model=ActorPage, summary="List actors")
async def list_actors(
    request: Request, reader: ReaderDep, limit: Limit = 50, offset: Offset = 0,
    kind: Annotated[str | None, Query(description="Actor kind: ngo, network, government, media, donor, community, "
                                                  "individual, programme")] = None,
    q: Annotated[str | None, Query(description="Case-insensitive substring of the actor's name")] = None,
):
    """Actors that changed in or contributed to the outcomes the reader may see, by name."""
    # Filters are bound as literals through VALUES, never pasted as text; absent ones stay unbound.
    bindings = {k: ox.Literal(v) for k, v in (("kindFilter", kind), ("text", q)) if v}
    text = SPARQL_PREFIXES + _ACTORS + f"\nLIMIT {limit + 1} OFFSET {offset}"
    try:
        table = await _table(request, reader, _text(text, bindings))
    except SparqlError as exc:
        return exc.response()
    items = [_actor_summary(r) for r in table.rows[:limit]]
    nxt = _page_url(request, offset + limit) if len(table.rows) > limit else None
    return ActorPage(items=items, limit=limit, offset=offset, next=nxt)


@router.get("/actors/{slug}", tags=["Actors"], summary="One actor",
            responses={404: {"description": "no such actor, or not visible to this reader"}})
async def get_actor(request: Request, reader: ReaderDep,
                    slug: Annotated[str, Path(description="The actor's slug (last segment of its IRI), e.g. "
                                                          "defenddefenders; a programme code for a programme")],
                    limit: Annotated[int, Query(ge=1, le=10_000, description="Outcomes listed per role "
                                                "(changed_in, contributed_to), newest year first")] = 1000,
                    offset: Offset = 0):
    """What the actor changed in, what it contributed to (newest year first, then by FragmentID), and with
    whom; ``changed_in_total`` / ``contributed_to_total`` count them all, ``next`` pages on.

    Read from the reader scope's list index (built once per store generation, as the actor's page is), not
    from the named queries ``outcomes_of_actor`` and ``co_contributors``: for the programme of a 100,000-
    fragment store those ran past the readers' limit (> 10 s each, docs/performance.md)."""
    from harvestgraph.api.explore_data import get_catalogue
    from harvestgraph.api.pages import catalogue as cat_

    try:
        cat = await get_catalogue(request, reader)
        for ref in (f"actor/{slug}", f"programme/{slug}"):
            if cat_.actor_counts(cat, ref):
                break
        else:
            return JSONResponse({"error": "not_found", "message": f"no actor {slug!r}"}, status_code=404)
        iri = str(ID) + ref
        labels = await _table(request, reader, _text(SPARQL_PREFIXES + _ACTOR_FACTS, {"actor": ox.NamedNode(iri)}))
    except SparqlError as exc:
        return exc.response()
    facts: dict[str, list[str]] = {}
    for r in labels.rows:
        facts.setdefault(_curie(r["p"]), []).append(r["o"])
    countries = cat.labels.get("country", {})

    def listed(changed: bool) -> tuple[list[dict], int, bool]:
        rows, total = cat_.actor_outcomes(cat, ref, changed, limit, offset)
        return [{"id": r["id"], "iri": r["outcome"], "href": "/outcomes/" + quote(r["id"] or "", safe=""),
                 "year": r["year"], "country": countries.get(r["country"] or "") or r["country"],
                 "country_code": r["country"], "description": r["description"]}
                for r in rows[:limit]], total, len(rows) > limit

    changed_in, n_changed, more_changed = listed(True)
    contributed_to, n_contributed, more_contributed = listed(False)
    with_whom = []
    for r in cat_.co_contributors(cat, ref):
        other, name = (r["actorB"], r.get("nameB")) if r["actorA"] == iri else (r["actorA"], r.get("nameA"))
        with_whom.append({"iri": other, "name": name, "href": "/actors/" + _slug(other),
                          "shared_outcomes": int(r["sharedOutcomes"])})
    return {"iri": iri, "slug": _slug(iri), "name": (facts.get("skos:prefLabel") or [None])[0],
            "kind": _slug((facts.get("hg:actorKind") or [""])[0]) or None, "facts": facts,
            "changed_in_total": n_changed, "contributed_to_total": n_contributed,
            "changed_in": changed_in, "contributed_to": contributed_to, "contributed_with": with_whom,
            "limit": limit, "offset": offset,
            "next": _page_url(request, offset + limit) if more_changed or more_contributed else None}


# --------------------------------------------------------------------------- dereferenceable IRIs

_DESCRIBE = """CONSTRUCT { ?s ?p ?o . ?o skos:prefLabel ?ol . ?x ?q ?s . ?x skos:prefLabel ?xl }
WHERE {
  { ?s ?p ?o OPTIONAL { ?o skos:prefLabel ?ol } }
  UNION
  { ?x ?q ?s OPTIONAL { ?x skos:prefLabel ?xl } }
}"""

HTML_TYPES = ("text/html", "application/xhtml+xml")


def _wants_html(accept: str | None) -> bool:
    from harvestgraph.api.sparql import accepted_media_types

    for mt in accepted_media_types(accept or ""):
        if mt in HTML_TYPES:
            return True
        if mt in GRAPH_TYPES:
            return False
    return False


@router.get("/id/{path:path}", tags=["Linked data"], summary="Dereference an entity IRI",
            responses={200: {"content": {"text/html": {}, "text/turtle": {}, "application/ld+json": {},
                                         "application/n-triples": {}}},
                       404: {"description": "nothing is known about this IRI (to this reader)"}})
async def dereference(request: Request, reader: ReaderDep,
                      path: Annotated[str, Path(description="The part of the IRI after https://w3id.org/harvestgraph/id/")],
                      format: Annotated[str | None, Query(description="turtle, jsonld or ntriples instead of the "
                                                                      "Accept header")] = None):
    """The description of ``https://w3id.org/harvestgraph/id/{path}`` from the graphs the reader may see:
    HTML for browsers, Turtle / JSON-LD / N-Triples for machines (content negotiation)."""
    raw = request.scope.get("raw_path")
    # Keep the percent-encoding of the IRI (a FragmentID's "/" is %2F inside one segment).
    tail = raw.decode("latin-1").split("?", 1)[0].split("/id/", 1)[1] if raw and b"/id/" in raw else quote(path, safe="/")
    try:
        node = ox.NamedNode(str(ID) + tail)
    except ValueError:
        return JSONResponse({"error": "not_found", "message": "not a valid IRI"}, status_code=404)
    try:
        body = await _body(request, reader, _text(SPARQL_PREFIXES + _DESCRIBE, {"s": node}), _ntriples_body)
    except SparqlError as exc:
        return exc.response()
    if body.status != 200:
        return SparqlError.from_body(body).response()
    triples = [q.triple for q in ox.parse(body.content, format=ox.RdfFormat.N_TRIPLES)]
    if not triples:
        return JSONResponse({"error": "not_found", "message": f"nothing is known about {node.value}"}, status_code=404)
    accept = request.headers.get("accept")
    if not format and _wants_html(accept):
        return _html(request, reader, node, triples)
    try:
        mt = negotiate("graph", accept, format)
    except SparqlError as exc:
        return exc.response()
    rdf = GRAPH_TYPES[mt]
    return Response(serialize_graph(triples, rdf), media_type=rdf.media_type,
                    headers={"Vary": "Accept", "Link": f'<{node.value}>; rel="canonical"'})


def _html(request: Request, reader: Reader, node: ox.NamedNode, triples: list[ox.Triple]) -> HTMLResponse:
    """The linked-data page, in the site's frame for this reader (role shown, sign-in, Explore link, no caching
    of a signed-in reader's page), like every other page."""
    from harvestgraph.api.pages.common import render  # (the pages build on this module, not the reverse)

    label_p = PREFIXES["skos"] + "prefLabel"
    labels = {t.subject.value: t.object.value for t in triples if t.predicate.value == label_p}
    ident = next((t.object.value for t in triples if t.subject == node
                  and t.predicate.value == PREFIXES["dcterms"] + "identifier"), None)

    def term(t) -> dict:
        if isinstance(t, ox.Literal):
            return {"text": t.value, "lang": t.language, "datatype": _curie(t.datatype.value) if not t.language else None}
        return {"text": labels.get(t.value) or _curie(t.value), "iri": t.value,
                "href": id_href(t.value) if isinstance(t, ox.NamedNode) else None}

    out = [(_curie(t.predicate.value), term(t.object)) for t in triples if t.subject == node]
    inc = [(term(t.subject), _curie(t.predicate.value)) for t in triples if t.object == node and t.subject != node]
    return render(request, reader, "entity.html", iri=node.value, title=labels.get(node.value) or ident or _curie(node.value),
                  outgoing=sorted(out, key=lambda x: (x[0], x[1]["text"])),
                  incoming=sorted(inc, key=lambda x: (x[1], x[0]["text"])))
