"""The SPARQL editor for browsers (``GET /sparql`` with ``Accept: text/html``): YASGUI (vendored under
/static/vendor, no CDN) with the named queries as examples, results as a sortable table, downloads.

YASGUI sends its queries to ``/sparql`` through the SPARQL protocol (the endpoint's guarded path). The page
itself, with ``?query=``, also evaluates the query on the server and shows the answer as a plain HTML
table: the page works without JavaScript, and a link can carry a query and its answer. That evaluation
goes through the same guarded runner (:func:`harvestgraph.api.rest.query_body`), with the same refusal of
updates and SERVICE as the protocol endpoint. Clients that are not browsers (or that ask for a
``format=``) get the SPARQL protocol exactly as before.
"""

from __future__ import annotations

import functools

import json
from urllib.parse import urlencode

from fastapi import APIRouter, Request

from harvestgraph import queries
from harvestgraph.api.app import CSP
from harvestgraph.api.cache import Body
from harvestgraph.api.pages.common import HTMLRoute, ReaderDep, in_words, render
from harvestgraph.api.pages.queries import cell
from harvestgraph.api.rest import query_body
from harvestgraph.api.sparql import Answer, SparqlError, check_query

router = APIRouter(route_class=HTMLRoute, include_in_schema=False)
SHOWN = 1000  # rows shown in the server-rendered table

# The app's policy plus ONE inline style sheet: the constant one that YASGUI's table column resizer
# (@zazuko/yasgui 4.6.2, pinned in package-lock.json) inserts as a <style> element. Its hash is what
# Chromium reported for it (securitypolicyviolation, 2026-11-29); no 'unsafe-inline', no 'unsafe-eval'.
# tests/pages/test_pages_browser.py fails on any CSP violation on this page, so a new YASGUI build that
# changes the sheet is noticed.
YASGUI_STYLE = "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='"
SPARQL_CSP = CSP.replace("default-src 'self'", f"default-src 'self'; style-src 'self' {YASGUI_STYLE}")

EXAMPLE = """PREFIX hg: <https://w3id.org/harvestgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
# Outcomes with their country and year (edit me, or pick a named query above)
SELECT ?id ?country ?year WHERE {
  ?outcome a hg:Outcome ; dcterms:identifier ?id .
  OPTIONAL { ?outcome hg:country/skos:prefLabel ?country }
  OPTIONAL { ?outcome hg:year ?year }
}
ORDER BY ?id
LIMIT 100
"""


def _check_and_return(text: str) -> str:
    check_query(text)
    return text


def _checked(text: str):
    """Query spec for :func:`query_body`: the text is checked (read-only, no SERVICE) in the worker, as the
    protocol endpoint does, before anything is evaluated (a partial of a module-level function: the
    maker crosses into a worker process)."""
    return ("page-sparql", text), functools.partial(_check_and_return, text)


def _encode(ans: Answer) -> Body:
    if ans.kind == "ask":
        out = {"kind": "ask", "columns": ["answer"], "rows": [["true" if ans.boolean else "false"]]}
    elif ans.kind == "select":
        out = {"kind": "select", "columns": ans.variables,
               "rows": [[t.value if t is not None else None for t in row] for row in ans.rows[:SHOWN + 1]]}
    else:
        out = {"kind": "graph", "columns": ["subject", "predicate", "object"],
               "rows": [[t.subject.value, t.predicate.value, t.object.value] for t in (ans.triples or [])[:SHOWN + 1]]}
    return Body(200, json.dumps(out, ensure_ascii=False).encode(), "application/json")


@router.get("/sparql")
async def sparql_page(request: Request, reader: ReaderDep):
    text = request.query_params.get("query")
    result, problem, status = None, None, 200
    if text is not None and text.strip():
        try:
            body = await query_body(request, reader, _checked(text), _encode)
            if body.status != 200:
                raise SparqlError.from_body(body)
            result = json.loads(body.content)
            result["more"] = len(result["rows"]) > SHOWN
            result["rows"] = [[cell(v) for v in row] for row in result["rows"][:SHOWN]]
        except SparqlError as exc:
            problem, status = in_words(exc.message), exc.status
    downloads = {}
    if text:
        kinds = ("turtle",) if result and result["kind"] == "graph" else ("csv", "json")
        downloads = {k: "/sparql?" + urlencode({"query": text, "format": k}) for k in kinds}
    examples = [{"name": q.name, "title": q.title, "description": q.description, "query": q.sparql}
                for q in queries.library().values()]
    return render(request, reader, "pages/sparql.html", status=status, csp=SPARQL_CSP, title="SPARQL", text=text or EXAMPLE,
                  result=result, problem=problem, downloads=downloads, examples=examples)
