"""The outcome and actor lists for browsers (``/outcomes``, ``/actors``) and the landing page's search
(``/search``): search, facets combined with AND (each value with its count, each count a link to the
outcomes behind it), sorting and paging. JSON clients get the API's lists from the same URLs."""

from __future__ import annotations

from fastapi import APIRouter, Request

from harvestgraph.api.pages import catalogue as cat_
from harvestgraph.api.pages.common import (HTMLRoute, PageError, ReaderDep, _page_error, confidential_ids, error_page,
                                           render)
from harvestgraph.api.pages.facets import FACETS, Selection, parse_selection, unknown_values
from harvestgraph.api.rest import iri_slug
from harvestgraph.api.sparql import SparqlError
from harvestgraph.vocab import ID

router = APIRouter(route_class=HTMLRoute, include_in_schema=False)


async def catalogue(request: Request, reader) -> cat_.Catalogue:
    """The reader scope's list index (:mod:`~harvestgraph.api.pages.catalogue`): built once per store
    generation and scope in a query worker (with the workbench's network), PageError if that failed."""
    from harvestgraph.api.explore_data import get_catalogue

    try:
        return await get_catalogue(request, reader)
    except SparqlError as exc:
        raise _page_error(exc) from None


async def known_values(request: Request, reader) -> dict:
    """Every facet value of the reader's data with its number of outcomes: the landing page's overview and
    what a URL's facet value is checked against."""
    return cat_.known_values(await catalogue(request, reader))


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


def _selection(request: Request, cat: cat_.Catalogue, path: str, default_sort: str) -> tuple[Selection, list[str]]:
    sel = parse_selection(path, list(request.query_params.multi_items()), default_sort)
    sel, unknown = unknown_values(sel, cat_.known_values(cat))
    return sel, [*sel.problems, *unknown]


@router.get("/outcomes")
async def outcomes_page(request: Request, reader: ReaderDep):
    try:
        cat = await catalogue(request, reader)
        secret = await confidential_ids(request, reader)
    except PageError as exc:
        return error_page(request, reader, exc)
    sel, problems = _selection(request, cat, "/outcomes", "id")
    rows, total, facets = cat_.outcome_list(cat, sel)
    actor_name = (cat_.actor_name(cat, sel.actor) or sel.actor.split("/", 1)[-1]) if sel.actor else None
    with_name = (cat_.actor_name(cat, sel.with_) or sel.with_.split("/", 1)[-1]) if sel.with_ else None
    items = [dict(r, href=outcome_href(r["id"])) for r in rows[:sel.limit]]
    return render(request, reader, "pages/outcomes.html", status=400 if problems else 200, sel=sel,
                  problems=problems, items=items, total=total, more=len(rows) > sel.limit, facets=facets,
                  FACETS=FACETS, actor_name=actor_name, with_name=with_name, title="Outcomes", secret=secret)


@router.get("/actors")
async def actors_page(request: Request, reader: ReaderDep):
    try:
        cat = await catalogue(request, reader)
    except PageError as exc:
        return error_page(request, reader, exc)
    sel, problems = _selection(request, cat, "/actors", "name")
    if sel.actor or sel.with_:
        problems.append("The actor filter applies to outcomes only; it was ignored here.")
        sel = Selection(**{**sel.__dict__, "actor": "", "role": "", "with_": ""})
    rows, total, facets = cat_.actor_list(cat, sel)
    items = []
    kinds = cat.labels.get("actor_kind", {})  # a kind by its label, as the facet and the actor's page say it
    for r in rows[:sel.limit]:
        ref = actor_ref(r["actor"])
        kind = iri_slug(r.get("kindIri") or "")
        items.append({**r, "href": actor_href(r["actor"]), "kind": kind, "kind_label": kinds.get(kind) or kind,
                      "changed_href": sel.url("/outcomes", actor=ref, role="changed", sort="id", order="asc"),
                      "contributed_href": sel.url("/outcomes", actor=ref, role="contributor", sort="id", order="asc")})
    return render(request, reader, "pages/actors.html", status=400 if problems else 200, sel=sel,
                  problems=problems, items=items, total=total, more=len(rows) > sel.limit, facets=facets,
                  FACETS=FACETS, title="Actors")


@router.get("/search")
async def search_page(request: Request, reader: ReaderDep):
    """One search box over outcomes and actors: the first matches of each, with links to the full lists."""
    text = (request.query_params.get("q") or "").strip()[:200]
    found, secret = {}, frozenset()
    if text:
        try:
            cat = await catalogue(request, reader)
            secret = await confidential_ids(request, reader)
        except PageError as exc:
            return error_page(request, reader, exc)
        for path, listing, sort in (("/outcomes", cat_.outcome_list, "id"), ("/actors", cat_.actor_list, "name")):
            sel = Selection(path, q=text, sort=sort, limit=10)
            rows, total, _ = listing(cat, sel)
            found[path] = (rows[:10], total, sel.url())
    outcomes = [dict(r, href=outcome_href(r["id"])) for r in found.get("/outcomes", ([], 0, ""))[0]]
    actors = [dict(r, href=actor_href(r["actor"])) for r in found.get("/actors", ([], 0, ""))[0]]
    return render(request, reader, "pages/search.html", q=text, outcomes=outcomes, actors=actors,
                  totals={k: v[1] for k, v in found.items()}, more={k: v[2] for k, v in found.items()}, secret=secret,
                  title=f"Search: {text}" if text else "Search")
