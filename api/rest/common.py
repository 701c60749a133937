"""What the REST routes share: query specs (a cache key and a maker of the query text, bound in the worker),
encoders run in the worker (a table as JSON or CSV, a page of a named query, a graph as N-Triples), the
guarded runner's answer as a table, and IRIs as links and prefixed names."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import Depends, Query, Request

from harvestgraph import queries
from harvestgraph.outputs import results
from harvestgraph.api.auth import Reader, get_reader
from harvestgraph.api.cache import Body
from harvestgraph.api.sparql import Answer, SparqlError, answer, serialize_graph
from harvestgraph.errors import HarvestError
from harvestgraph.store.remote import with_values
from harvestgraph.vocab import ID, PREFIXES

from .models import Table


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


def text_query(text: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None) -> QuerySpec:
    """Cache key and query maker for a query text, with variables pre-bound to RDF terms by a VALUES block."""
    key = ("text", text, tuple((k, str(v)) for k, v in (bindings or {}).items()))
    return key, functools.partial(_with_values, text, bindings)


def _with_values(text: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None) -> str:
    return with_values(text, bindings) if bindings else text


def named_query(name: str, values: dict[str, str], tail: str = "") -> QuerySpec:
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


async def query_body(request: Request, reader: Reader, query: QuerySpec,
                encode: Callable[[Answer], Body] = _table_body) -> Body:
    """The answer of a query (from :func:`text_query` or :func:`named_query`) in the form ``encode`` gives it."""
    key, make = query
    return await answer(request, reader, (*key, encode), functools.partial(_produce, make, encode))


async def query_table(request: Request, reader: Reader, query: QuerySpec) -> Table:
    """A SELECT as a table of strings (``query``: from :func:`text_query` or :func:`named_query`); SparqlError on
    refusal."""
    body = await query_body(request, reader, query)
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


def iri_slug(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


Limit = Annotated[int, Query(ge=1, le=1000, description="Page size (1-1000)")]
Offset = Annotated[int, Query(ge=0, description="Items to skip (0 = first page)")]
ReaderDep = Annotated[Reader, Depends(get_reader)]




def curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri
