"""The researcher's workbench: ``/explore`` (the page) and ``/explore/api/...`` (the JSON it is fed from).

The page is a template (autoescaped) that loads one script from this server (``/static/vendor/
explore.bundle.js``: sigma.js and graphology bundled from ``web/explore.js``) under a nonce CSP; it asks
the JSON routes for each view (once the reader's network is built, the page itself carries the first
view and the filter options, so the first picture waits for no request). Every JSON route takes the
reader from :func:`get_reader` and is cut from that reader's own network (built through the guarded
query runner per store generation and scope: :mod:`harvestgraph.api.explore_data`), so an anonymous
reader never receives a confidential fragment's outcome, text, or an actor known only from one.

The view's state travels in the query string, the same for the page and for ``/explore/api/view``:
facets ``country programme objective type significance contribution harvest kind year_from year_to``
(AND), and ``focus`` + ``depth`` (1-3), ``trace``, ``expand`` (community numbers, comma-separated),
``colour`` (kind | community | country), ``node`` (the selected node). A malformed or unknown value is
answered 400 with a message naming the field; the page shows it.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import Markup
from pydantic import BaseModel, Field

from harvestgraph.api.auth import COOKIE, Reader, get_reader
from harvestgraph.api.explore_data import explorer_cache, get_explorer
from harvestgraph.api.sparql import SparqlError
from harvestgraph.network.explore import (FACET_LABELS, FACETS, Explorer, ExploreError, Selection, cluster, details,
                                  neighbourhood, search, summary, trace)

BUNDLE = Path(__file__).resolve().parent / "static" / "vendor" / "explore.bundle.js"  # built by make setup
router = APIRouter(tags=["Explore"])
ReaderDep = Annotated[Reader, Depends(get_reader)]
COLOURS = ("kind", "community", "country")
VIEW_MEMO = 256  # views kept per explorer (a view is 10-200 kB of JSON)
STATE_KEYS = (*FACETS, "year_from", "year_to", "focus", "depth", "trace", "expand", "colour", "node")


def explore_csp(nonce: str) -> str:
    """Scripts only from this page's nonce; data only from this origin; images as data: or blob: URLs
    (the PNG/SVG downloads); nothing from anywhere else."""
    return (f"default-src 'self'; script-src 'nonce-{nonce}'; style-src 'self'; img-src 'self' data: blob:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


# --------------------------------------------------------------------------- models


class NodeModel(BaseModel):
    id: str = Field(description="Node key: the IRI without https://w3id.org/harvestgraph/id/; c:<n> for a cluster")
    label: str
    kind: str = Field(description="outcome, objective, an actor kind (ngo, programme, ...) or cluster")
    community: int
    pagerank: float
    degree: int
    country: str = ""
    href: str | None = Field(None, description="The entity's page (/id/...)")
    size: int = Field(1, description="Members of a cluster node in the selection")
    top: list[str] = Field(default_factory=list, description="A cluster's most central members")
    hop: int | None = Field(None, description="Steps from the focused or traced node")
    confidential: bool = Field(False, description="A confidential outcome: only the confidential role's network "
                               "holds one, and the workbench marks it for that reader")


class EdgeModel(BaseModel):
    source: str
    target: str
    relation: str = Field(description="changed, contributed, objective, builds_on; cluster (links counted)")
    weight: int = 1
    programme: bool = False


class ViewModel(BaseModel):
    nodes: list[NodeModel]
    edges: list[EdgeModel]
    mode: str = Field(description="all (the whole selection), summary (communities collapsed), focus, trace, cluster")
    matched: int = Field(description="Nodes in the selection (or within the focus / on the traced paths)")
    outcomes: int
    note: str = ""
    expanded: list[int] = Field(default_factory=list)
    state: dict[str, str] = Field(default_factory=dict, description="The state this view was drawn for, normalised")


class FacetValue(BaseModel):
    value: str
    label: str
    count: int = Field(description="Outcomes with this value")


class Facet(BaseModel):
    name: str
    label: str
    values: list[FacetValue]


class Facets(BaseModel):
    facets: list[Facet]
    years: list[int]
    nodes: int
    outcomes: int


class LinkModel(BaseModel):
    node: NodeModel
    relation: str
    text: str = Field("", description="The contribution text as harvested: the evidence of the link")
    rating: str = ""
    programme: bool = False


class DetailsModel(BaseModel):
    node: NodeModel
    fields: list[tuple[str, str]]
    links: list[LinkModel]
    total_links: int
    builds_on: list[NodeModel]
    built_on_by: list[NodeModel]


# --------------------------------------------------------------------------- state


def _int(params, name: str, low: int, high: int) -> int | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    if not raw.lstrip("-").isdigit() or not low <= int(raw) <= high:
        raise ExploreError(f"{FACET_LABELS.get(name, name)} must be a whole number from {low} to {high}, "
                           f"not {raw[:40]!r}", name)
    return int(raw)


def parse_state(params) -> tuple[Selection, dict[str, str]]:
    """The selection and the rest of the view state from a query string; ExploreError if malformed."""
    values = {f: (params.get(f) or "").strip() or None for f in FACETS}
    sel = Selection(**values, year_from=_int(params, "year_from", 1000, 9999),
                    year_to=_int(params, "year_to", 1000, 9999))
    state = {k: v.strip() for k in STATE_KEYS if (v := params.get(k)) and v.strip()}
    if "depth" in state:
        _int(params, "depth", 1, 3)
    if state.get("colour", "kind") not in COLOURS:
        raise ExploreError(f"colour must be one of {', '.join(COLOURS)}, not {state['colour'][:40]!r}", "colour")
    if "expand" in state:
        for part in state["expand"].split(","):
            if not part.strip().isdigit():
                raise ExploreError(f"expand lists community numbers (e.g. 1,4), not {state['expand'][:40]!r}", "expand")
    if "focus" in state and "trace" in state:
        raise ExploreError("focus and trace cannot both be set: choose one", "trace")
    return sel, state


def _bad(exc: ExploreError) -> JSONResponse:
    return JSONResponse({"error": "bad_state", "message": str(exc), "field": exc.field}, status_code=400)


async def _explorer_and_selection(request: Request, reader: Reader) -> tuple[Explorer, frozenset[str], dict[str, str]]:
    sel, state = parse_state(request.query_params)
    ex = await get_explorer(request, reader)
    return ex, ex.select(sel), state


def _view(v, state: dict[str, str]) -> ViewModel:
    d = asdict(v)
    return ViewModel(**d, state=state)


async def _answer(request: Request, reader: Reader, make):
    """Run ``make(explorer, kept, state)``; bad state → 400 with a message; a refused query → its error."""
    try:
        ex, kept, state = await _explorer_and_selection(request, reader)
        return make(ex, kept, state)
    except ExploreError as exc:
        return _bad(exc)
    except SparqlError as exc:
        return exc.response()


# --------------------------------------------------------------------------- JSON routes


def view_json(ex: Explorer, kept: frozenset[str], state: dict[str, str]) -> bytes:
    """The JSON of the view a state describes. Views are kept per state (the explorer is per store
    generation and scope, so is this memo): a bookmark opened again, or a step back, costs a lookup."""
    memo = ex.__dict__.setdefault("view_memo", OrderedDict())
    key = tuple(sorted((k, v) for k, v in state.items() if k not in ("node", "colour")))
    if key in memo:
        memo.move_to_end(key)
        return memo[key]
    state = dict(key)
    if "focus" in state:
        v = neighbourhood(ex, kept, state["focus"], int(state.get("depth", "1")))  # (depth checked by parse_state)
    elif "trace" in state:
        v = trace(ex, kept, state["trace"])
    else:
        expand = tuple(dict.fromkeys(int(x) for x in state.get("expand", "").split(",") if x.strip()))
        v = summary(ex, kept, expand)
    body = _view(v, state).model_dump_json().encode()
    memo[key] = body
    while len(memo) > VIEW_MEMO:
        memo.popitem(last=False)
    return body


@router.get("/explore/api/view", response_model=ViewModel, summary="The view a workbench state describes")
async def view(request: Request, reader: ReaderDep):
    """The view of the page's state (the same query string as ``/explore``): a summary with communities
    collapsed (``expand`` opens some), or the neighbourhood of ``focus`` (``depth`` 1-3), or the paths
    traced from ``trace``; all within the facets."""
    return await _answer(request, reader, lambda ex, kept, state: Response(view_json(ex, kept, state),
                                                                          media_type="application/json"))


@router.get("/explore/api/summary", response_model=ViewModel, summary="Top nodes and communities as clusters")
async def summary_route(request: Request, reader: ReaderDep,
                        expand: Annotated[str | None, Query(description="Communities to draw open, e.g. 1,4")] = None):
    """The selection drawn whole when small, else its communities as cluster nodes (sizes = members) with
    the nodes of highest PageRank beside them."""
    def make(ex, kept, state):
        opened = tuple(dict.fromkeys(int(x) for x in (expand or "").split(",") if x.strip()))
        return _view(summary(ex, kept, opened), state)
    return await _answer(request, reader, make)


@router.get("/explore/api/cluster/{community}", response_model=ViewModel, summary="A community's members")
async def cluster_route(request: Request, reader: ReaderDep, community: int):
    return await _answer(request, reader, lambda ex, kept, state: _view(cluster(ex, kept, community), state))


@router.get("/explore/api/neighbourhood", response_model=ViewModel, summary="A node and its neighbours 1-3 steps out")
async def neighbourhood_route(request: Request, reader: ReaderDep,
                              node: Annotated[str, Query(description="Node key, e.g. actor/defenddefenders")],
                              depth: Annotated[int, Query(ge=1, le=3)] = 1):
    return await _answer(request, reader,
                         lambda ex, kept, state: _view(neighbourhood(ex, kept, node, depth), state))


@router.get("/explore/api/paths", response_model=ViewModel, summary="Paths from an actor or programme")
async def paths_route(request: Request, reader: ReaderDep,
                      node: Annotated[str, Query(description="Node key of an actor, programme or outcome")]):
    """The outcomes the node contributed to (or changed in), the builds-on chains through them both ways,
    and who changed in them."""
    return await _answer(request, reader, lambda ex, kept, state: _view(trace(ex, kept, node), state))


@router.get("/explore/api/node", response_model=DetailsModel, summary="A node's details and evidence")
async def node_route(request: Request, reader: ReaderDep, node: Annotated[str, Query(description="Node key")]):
    """The node's fields (an outcome's as stored), its links with the contribution texts (the evidence),
    and the outcomes it builds on or that build on it."""
    return await _answer(request, reader, lambda ex, kept, state: Response(node_json(ex, node), media_type="application/json"))


def node_json(ex: Explorer, node: str) -> bytes:
    """The JSON of a node's details, kept per node like the views (a node's details do not depend on the
    filters; the explorer is per store generation and scope): the most central actor's 200 links of
    evidence, 90 kB, took 160-350 ms a request at load 7 (10k, 2026-11-30), and the workbench asks for
    them again at each visit that selects it."""
    memo = ex.__dict__.setdefault("node_memo", OrderedDict())
    if node in memo:
        memo.move_to_end(node)
        return memo[node]
    body = DetailsModel(**asdict(details(ex, node))).model_dump_json().encode()
    memo[node] = body
    while len(memo) > VIEW_MEMO:
        memo.popitem(last=False)
    return body


@router.get("/explore/api/search", response_model=list[NodeModel], summary="Search suggestions")
async def search_route(request: Request, reader: ReaderDep,
                       q: Annotated[str, Query(max_length=200, description="Part of a name, ID or outcome text")],
                       limit: Annotated[int, Query(ge=1, le=50)] = 10):
    return await _answer(request, reader,
                         lambda ex, kept, state: [NodeModel(**asdict(n)) for n in search(ex, kept, q, limit)])


def facets_json(ex: Explorer) -> bytes:
    """The facet values of the reader's network with their outcome counts (kept with the explorer)."""
    body = ex.__dict__.get("facets_body")
    if body is None:
        counts = ex.facet_counts
        facets = [Facet(name=f, label=FACET_LABELS[f],
                        values=sorted((FacetValue(value=v, label=label, count=counts[f][v])
                                       for v, label in ex.values[f].items()),
                                      key=lambda x: (x.label.lower(), x.value)))
                  for f in FACETS]
        body = ex.__dict__["facets_body"] = Facets(
            facets=facets, years=ex.years, nodes=ex.graph.number_of_nodes(),
            outcomes=len(ex.a.data.outcomes)).model_dump_json().encode()
    return body


@router.get("/explore/api/facets", response_model=Facets, summary="Facet values with outcome counts")
async def facets_route(request: Request, reader: ReaderDep):
    """The values each facet takes in the network the reader may see (the filter controls' options)."""
    try:
        ex = await get_explorer(request, reader)
    except SparqlError as exc:
        return exc.response()
    return Response(facets_json(ex), media_type="application/json")


def _data_block(body: bytes) -> Markup:
    """JSON to put inside a ``<script type="application/json">`` element: no ``<``, ``>`` or ``&`` left
    (a ``</script>`` in a fragment's text cannot end the element), parsed by the page, never run."""
    text = body.decode()
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


# --------------------------------------------------------------------------- the page


@router.get("/explore", response_class=HTMLResponse, summary="The interactive network workbench")
async def explore_page(request: Request, reader: ReaderDep) -> HTMLResponse:
    """The workbench. Its state is the query string (see the module docstring); a malformed one is
    named on the page (status 400) and the page starts from the whole network."""
    error, first_view, first_facets = None, None, None
    try:
        sel, state = parse_state(request.query_params)
    except ExploreError as exc:
        error = str(exc)
    cache = explorer_cache(request)
    if error is None and cache.ready(reader.can_see_confidential, request.app.state.hg.store.generation):
        # The network is built: the first view and the filter options go in the page itself, so the first
        # picture waits for no further request (a bad state is left to the script: it names the field).
        try:
            ex = await get_explorer(request, reader)
            first_view, first_facets = _data_block(view_json(ex, ex.select(sel), state)), _data_block(facets_json(ex))
        except (ExploreError, SparqlError):
            first_view = first_facets = None
    nonce = secrets.token_urlsafe(18)
    # The workbench is one script built from npm packages by `make setup` (scripts/vendor-js.sh); a tree set
    # up without it would show an empty page that says "Loading" for ever: say what is missing instead.
    missing = None if BUNDLE.is_file() else f"/static/vendor/{BUNDLE.name}"
    tpl = request.app.state.templates.get_template("explore.html")
    page = tpl.render(nonce=nonce, error=error, facets=[(f, FACET_LABELS[f]) for f in FACETS], reader=reader,
                      first_view=first_view, first_facets=first_facets, missing_script=missing,
                      path="/explore", has_explore=True, signed_in=COOKIE in request.cookies,
                      back_to="/explore" + (f"?{request.url.query}" if request.url.query else ""))
    return HTMLResponse(page, status_code=503 if missing else 400 if error else 200,
                        headers={"Content-Security-Policy": explore_csp(nonce), "Cache-Control": "no-store"})
