"""The outcome and actor lists for browsers (``/outcomes``, ``/actors``) and the landing page's search
(``/search``): search, facets combined with AND (each value with its count, each count a link to the
outcomes behind it), sorting and paging. JSON clients get the API's lists from the same URLs."""

from __future__ import annotations

from fastapi import APIRouter, Request

from harvestgraph.api.pages.common import HTMLRoute, PageError, ReaderDep, error_page, render, select
import asyncio

from harvestgraph.api.sparql import own_request
from harvestgraph.api.pages.facets import (FACETS, Selection, actor_queries, facet_values, outcome_queries,
                                           parse_selection, unknown_values)
from harvestgraph.vocab import ID

router = APIRouter(route_class=HTMLRoute, include_in_schema=False)


async def facet_counts(request: Request, reader, queries: dict[str, str], bindings) -> dict:
    """The counts per value of every facet: one query per facet, run side by side by the app's workers
    (each cached on its own, per store generation and reader scope)."""
    keys = [k for k in queries if k.startswith("facet:")]
    tables = await asyncio.gather(*(select(request, reader, queries[k], bindings) for k in keys))
    return facet_values([dict(r, facet=k.split(":", 1)[1]) for k, rows in zip(keys, tables) for r in rows])


OVERVIEW_TIMEOUT = 300.0  # seconds the counts over the whole store may take (see overview())


def overview(request: Request):
    """Where the counts over the reader's WHOLE store run (the facets of an unfiltered list, the landing
    page's counts): the same guarded runner and answer cache, with the server's own budget instead of a
    reader's query limit. They are the same few queries for every visitor, computed once per store
    generation and scope and answered from the cache after that; at 10,000 fragments on the loaded
    machine (load 25, 2026-11-30) they missed the 10 s limit, so no visitor ever got the landing page."""
    return own_request(request.app, OVERVIEW_TIMEOUT, on_behalf=request)


def _runner(request: Request, sel: Selection):
    """An unfiltered list (no facet, search or actor) is the whole store: the overview's budget."""
    return overview(request) if not (sel.filters or sel.q or sel.actor or sel.with_) else request


async def known_values(request: Request, reader) -> dict:
    """Every facet value of the reader's data with its number of outcomes: the landing page's overview and
    what a URL's facet value is checked against (the same queries as the unfiltered outcome list)."""
    return await facet_counts(overview(request), reader, outcome_queries(Selection("/outcomes", sort="id")), {})


def outcome_href(fragment_id: str) -> str:
    from urllib.parse import quote

    return "/outcomes/" + quote(fragment_id, safe="")


def actor_href(iri: str) -> str | None:
    """The page of an actor or programme IRI (None for anything else)."""
    for kind in ("actor/", "programme/"):
        if iri.startswith(str(ID) + kind):
            return "/actors/" + iri[len(str(ID) + kind):]
    return None


def actor_ref(iri: str) -> str:
    """The ``actor=`` value of the outcome list for an actor IRI."""
    return iri[len(str(ID)):] if iri.startswith(str(ID)) else ""


async def _selection(request: Request, reader, path: str, default_sort: str) -> tuple[Selection, list[str], dict]:
    sel = parse_selection(path, list(request.query_params.multi_items()), default_sort)
    known = await known_values(request, reader)
    sel, unknown = unknown_values(sel, known)
    return sel, [*sel.problems, *unknown], known


async def _actor_name(request: Request, reader, ref: str) -> str:
    rows = await select(request, reader, "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                        "SELECT ?name WHERE { ?a skos:prefLabel ?name }", {"a": _iri(ref)})
    return rows[0]["name"] if rows else ref.split("/", 1)[-1]


def _iri(ref: str):
    import pyoxigraph as ox

    return ox.NamedNode(str(ID) + ref)


@router.get("/outcomes")
async def outcomes_page(request: Request, reader: ReaderDep):
    try:
        sel, problems, known = await _selection(request, reader, "/outcomes", "id")
        q = outcome_queries(sel)
        b = sel.bindings()
        runner = _runner(request, sel)
        rows = await select(runner, reader, q["page"], b)
        total = int((await select(runner, reader, q["count"], b))[0]["n"] or 0)
        facets = await facet_counts(runner, reader, q, b)
        actor_name = await _actor_name(request, reader, sel.actor) if sel.actor else None
    except PageError as exc:
        return error_page(request, reader, exc)
    items = [dict(r, href=outcome_href(r["id"])) for r in rows[:sel.limit]]
    return render(request, reader, "pages/outcomes.html", status=400 if problems else 200, sel=sel,
                  problems=problems, items=items, total=total, more=len(rows) > sel.limit, facets=facets,
                  known=known, FACETS=FACETS, actor_name=actor_name, title="Outcomes")


@router.get("/actors")
async def actors_page(request: Request, reader: ReaderDep):
    try:
        sel, problems, known = await _selection(request, reader, "/actors", "name")
        if sel.actor or sel.with_:
            problems.append("The actor filter applies to outcomes only; it was ignored here.")
            sel = Selection(**{**sel.__dict__, "actor": "", "role": "", "with_": ""})
        q = actor_queries(sel)
        b = sel.bindings(actor_kind_on_actor=True)
        runner = _runner(request, sel)
        rows = await select(runner, reader, q["page"], b)
        total = int((await select(runner, reader, q["count"], b))[0]["n"] or 0)
        facets = await facet_counts(runner, reader, q, b)
    except PageError as exc:
        return error_page(request, reader, exc)
    items = []
    for r in rows[:sel.limit]:
        ref = actor_ref(r["actor"])
        items.append({**r, "href": actor_href(r["actor"]), "kind": (r.get("kindIri") or "").rsplit("/", 1)[-1],
                      "changed_href": sel.url("/outcomes", actor=ref, role="changed", sort="id", order="asc"),
                      "contributed_href": sel.url("/outcomes", actor=ref, role="contributor", sort="id", order="asc")})
    return render(request, reader, "pages/actors.html", status=400 if problems else 200, sel=sel,
                  problems=problems, items=items, total=total, more=len(rows) > sel.limit, facets=facets,
                  known=known, FACETS=FACETS, title="Actors")


@router.get("/search")
async def search_page(request: Request, reader: ReaderDep):
    """One search box over outcomes and actors: the first matches of each, with links to the full lists."""
    text = (request.query_params.get("q") or "").strip()[:200]
    try:
        found = {}
        if text:
            for path, queries, sort in (("/outcomes", outcome_queries, "id"), ("/actors", actor_queries, "name")):
                sel = Selection(path, q=text, sort=sort, limit=10)
                qs = queries(sel)
                rows = await select(request, reader, qs["page"], sel.bindings())
                total = int((await select(request, reader, qs["count"], sel.bindings()))[0]["n"] or 0)
                found[path] = (rows[:10], total, sel.url())
    except PageError as exc:
        return error_page(request, reader, exc)
    outcomes = [dict(r, href=outcome_href(r["id"])) for r in found.get("/outcomes", ([], 0, ""))[0]]
    actors = [dict(r, href=actor_href(r["actor"])) for r in found.get("/actors", ([], 0, ""))[0]]
    return render(request, reader, "pages/search.html", q=text, outcomes=outcomes, actors=actors,
                  totals={k: v[1] for k, v in found.items()}, more={k: v[2] for k, v in found.items()},
                  title=f"Search: {text}" if text else "Search")
