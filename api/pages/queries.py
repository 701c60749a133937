"""The named queries for browsers (``/queries``, ``/queries/{name}``): each query's documentation and a form
for its parameters; running it shows the answer as a sortable table with CSV and JSON downloads (the
downloads are the API's own answers: ``?format=csv`` / ``?format=json``)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request

from harvestgraph import queries
from harvestgraph.api.pages.common import HTMLRoute, PageError, ReaderDep, error_page, int_param, page_json, render
from harvestgraph.api.pages.lists import actor_href, outcome_href
from harvestgraph.api.rest import default_page, id_href
from harvestgraph.vocab import ID

router = APIRouter(route_class=HTMLRoute, include_in_schema=False)


def cell(value: str | None) -> dict:
    """A result value for the table: IRIs of our data become links to their pages."""
    if value is None:
        return {"text": ""}
    if value.startswith(str(ID)):
        tail = value[len(str(ID)):]
        if tail.startswith("outcome/"):
            from harvestgraph.vocab import decode_id

            fid = decode_id(tail[len("outcome/"):])
            return {"text": fid, "href": outcome_href(fid), "title": value}
        return {"text": tail.split("/", 1)[-1], "href": actor_href(value) or id_href(value), "title": value}
    return {"text": value}


@router.get("/queries")
async def queries_page(request: Request, reader: ReaderDep):
    return render(request, reader, "pages/queries.html", title="Named queries", library=queries.library().values())


@router.get("/queries/{name}")
async def query_page(request: Request, reader: ReaderDep, name: str):
    lib = queries.library()
    if name not in lib:
        return error_page(request, reader, PageError(404, f"There is no named query {name!r}; the list of "
                                                          "queries is at /queries.", "No such query"))
    q = lib[name]
    problems: list[str] = []
    known = {p.name for p in q.params}
    values = {}
    for k, v in request.query_params.multi_items():
        if k in ("run", "offset"):
            continue
        if k not in known:
            problems.append(f"Unknown parameter {k[:40]!r} was ignored; this query takes "
                            + (", ".join(sorted(known)) or "no parameters") + ".")
        elif v.strip():
            values[k] = v.strip()
    offset = int_param(request.query_params.get("offset"), "offset", 0, 0, 10_000_000, problems)
    run = "run" in request.query_params
    columns, rows, more, status = [], [], False, 400 if problems else 200
    # The rows shown are the API's own JSON page (GET /queries/NAME?params&offset=...): one cache entry for
    # both, which the server fills ahead for the queries without parameters (harvestgraph.api.warm)
    page = default_page(request, name, values, offset)
    shown = page.limit
    if run:
        try:
            data = await page_json(request, reader, name, values, page)
            columns = data["columns"]
            rows = [[cell(r.get(c)) for c in columns] for r in data["rows"]]
            more = data["next"] is not None
        except PageError as exc:
            problems.append(exc.message)
            status = exc.status
    base = f"/queries/{name}"
    qs = urlencode(values)
    downloads = {fmt: f"{base}?{urlencode({**values, 'format': fmt})}" for fmt in ("csv", "json")}
    pages = {"next": f"{base}?{urlencode({**values, 'run': 1, 'offset': offset + shown})}" if more else None,
             "prev": f"{base}?{urlencode({**values, 'run': 1, 'offset': max(0, offset - shown)})}" if offset else None}
    response = render(request, reader, "pages/query.html", status=status, title=q.title, q=q, values=values, run=run,
                      problems=problems, columns=columns, rows=rows, more=more, offset=offset, downloads=downloads,
                      pages=pages, qs=qs, sparql_href="/sparql?" + urlencode({"query": q.sparql}))
    cache_status = getattr(request.state, "hg_cache_status", None)
    if run and cache_status:  # the one answer this page shows (RFC 9211, as the API's answers say it)
        response.headers["Cache-Status"] = f"harvestgraph; {cache_status}"
    return response
