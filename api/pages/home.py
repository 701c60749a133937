"""The landing page for browsers (``/``): the store at a glance, one search box, links to everything.
JSON clients get the API's index from the same URL. The counts come from the reader scope's list index
(:mod:`harvestgraph.api.pages.catalogue`), built once per store generation and scope."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request

from harvestgraph.api.pages import catalogue as cat_
from harvestgraph.api.pages.common import HTMLRoute, PageError, ReaderDep, error_page, render
from harvestgraph.api.pages.lists import catalogue

router = APIRouter(route_class=HTMLRoute, include_in_schema=False)


@router.get("/")
async def home(request: Request, reader: ReaderDep):
    try:
        cat = await catalogue(request, reader)
    except PageError as exc:
        return error_page(request, reader, exc)
    from harvestgraph import queries

    return render(request, reader, "pages/home.html", title="harvestgraph", counts=cat.counts,
                  known=cat_.known_values(cat), watch=_watch(request, reader),
                  n_queries=sum(q.audience != "tools" for q in queries.library().values()))  # the questions


def _watch(request: Request, reader) -> dict | None:
    """``serve --watch``: when a change was last stored (for everyone), and for an admin the watched paths
    and the files that could not be ingested, with their problems (file names and values may be about
    confidential fragments, and the paths are the server's)."""
    w = getattr(request.app.state, "watcher", None)
    if w is None:
        return None
    last = w.last
    out: dict = {"updated": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(last.at)) if last else None}
    if reader.is_admin:
        out["paths"] = [str(p.resolve()) for p in w.paths]
        out["failing"] = [{"file": str(f), "problems": [str(p) for p in problems]}
                          for f, problems in sorted(w.failing.items())]
    return out
