"""The named queries for browsers (``/queries``, ``/queries/{name}``): each query's documentation and a form
for its parameters; running it shows the answer as a sortable table with CSV and JSON downloads (the
downloads are the API's own answers: ``?format=csv`` / ``?format=json``)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request

from harvestgraph import queries
from harvestgraph.api.pages import catalogue as cat_
from harvestgraph.api.pages.common import (TYPE_WORDS, YES_NO, HTMLRoute, PageError, ReaderDep, confidential_ids,
                                           error_page, int_param, page_json, render)
from harvestgraph.api.pages.lists import actor_href, catalogue, outcome_href
from harvestgraph.api.rest import default_page, id_href
from harvestgraph.api.rest.linked_data import source_file_shown
from harvestgraph.vocab import CONCEPT, ID

router = APIRouter(route_class=HTMLRoute, include_in_schema=False)

# Count columns: the number of outcomes behind a row. The actors of a row stand in the role the query
# counts them in (absent: the count is of outcomes a row's other values describe).
COUNT_COLUMNS = ("outcomes", "sharedOutcomes")
# Columns that hold a fragment's hg:sourceFile: the path as ingest was given it, with the server's folders.
PATH_COLUMNS = ("sourceFile",)
# Columns that hold a fragment's hg:rawRecord (a JSON array of [name as written, canonical field, value, line,
# match method] per field): shown as a table of its fields, as the harvester wrote them.
RECORD_COLUMNS = ("record",)


def record_cell(value: str) -> dict:
    """A raw record as the page shows it: each field as written, its value and line, and what the reader made
    of the name (the canonical field, and how it was matched when not exactly: a typo read fuzzily, an
    unknown field kept as written). Not a record (another query's column of that name): the text as it is."""
    from harvestgraph.mapping import read_record

    try:
        rows = [{"name": f["fieldName"], "value": f["rawValue"], "line": "" if f["sourceLine"] is None else f["sourceLine"],
                 "read_as": (f["canonicalField"] or "unknown field, kept as written")
                 + ("" if not f["canonicalField"] or f["matchMethod"] in (None, "exact") else f" ({f['matchMethod']})")}
                for f in read_record(value)]
    except (ValueError, TypeError):
        return {"text": value}
    return {"text": value, "fields": rows}
ACTOR_ROLE = {"actors_changed_most": "changed", "contributions_by_contributor": "contributor",
              "co_contributors": "contributor"}


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
    if value.startswith(str(CONCEPT)):
        return {"text": value.rsplit("/", 1)[-1], "title": value}
    return {"text": value}


def evidence_links(name: str, columns: list[str], raw_rows: list[dict], rows: list[list[dict]], cat, known) -> bool:
    """Give each outcome count of a named query's table a link to the outcome list behind it (Kumu's rule:
    every number a way to its evidence). A row's IRIs become the list's filters (country, programme,
    objective, type of change, ratings; an actor and a second actor); the year column its year. The link
    is given only when that list holds exactly the number shown, so it can never lead to other outcomes
    than those counted (a place that is not a country, a results-framework outcome: no link). ``known``:
    the catalogue's facet values (:func:`catalogue.known_values`). True if a count was linked."""
    from harvestgraph.api.pages.facets import FACETS, facet_values, parse_selection, unknown_values
    from harvestgraph.api.pages.lists import actor_ref

    counted = [i for i, c in enumerate(columns) if c in COUNT_COLUMNS]
    linked = False
    if not counted:
        return linked
    role = ACTOR_ROLE.get(name, "")
    keys = {f.key for f in FACETS if f.base} - {"country"}
    for raw, shown in zip(raw_rows, rows):
        params: list[tuple[str, str]] = []
        actors: list[str] = []
        for c in columns:
            v = raw.get(c)
            if not v:
                continue
            if c == "year" and v[:4].isdigit():
                params.append(("year", v[:4]))
            elif v.startswith(str(ID)) and actor_href(v) and (role or not v.startswith(str(ID) + "programme/")):
                actors.append(actor_ref(v))
            elif c in keys and not v.startswith(("http://", "https://")):
                params.append((c, v))  # a facet's value by name (the ratings of the matrix)
            else:
                params += [(f.key, k) for f, k in facet_values(v)]
        if not params and not actors:
            continue
        if actors:
            params.append(("actor", actors[0]))
            params += [("role", role)] if role else []
            params += [("with", actors[1])] if len(actors) > 1 else []
        sel = parse_selection("/outcomes", params, "id")
        sel, unknown = unknown_values(sel, known)
        if sel.problems or unknown or len(actors) > 2:
            continue
        n = int(cat.outcome_mask(sel).sum())
        for i in counted:
            if shown[i]["text"].isdigit() and int(shown[i]["text"]) == n:
                shown[i] = {"text": shown[i]["text"], "href": sel.url(),
                            "title": f"the {n} outcome{'' if n == 1 else 's'} counted here"}
                linked = True
    return linked


def name_columns(columns: list[str]) -> dict[int, int]:
    """For each column of IRIs, the column that holds their names, if the query has one: the name, not the
    IRI's last segment, is the link's text (``contributor`` / ``name``, ``actorA`` / ``nameA``,
    ``country`` / ``countryName``, ``type`` / ``typeLabel``, ``objective`` / ``label``; without a name or a
    label, the notation: ``rfOutcome`` / ``notation``, "Outcome 1.1", not "SCC/outcome-1-1")."""
    out = {}
    for i, c in enumerate(columns):
        tail = c[-1] if c[-1] in "AB" and c[:-1].islower() else ""
        for cand in (f"name{tail}", f"{c}Name", f"{c}Label", "name", "label", "notation"):
            if cand != c and cand in columns and (tail or not cand.endswith(("A", "B"))):
                out[i] = columns.index(cand)
                break
    return out


def boolean_columns(columns: list[str], raw_rows: list[dict]) -> set[int]:
    """The columns of a page of answers that hold booleans: every value it has is ``true`` or ``false``
    (xsd:boolean's words; the JSON page the table is made from carries no datatypes). The page says them
    "yes" / "no", as an outcome's page does; the CSV and JSON keep true / false.

    >>> sorted(boolean_columns(["id", "noYear", "note"], [{"id": "A", "noYear": "true", "note": "false"},
    ...                                                    {"id": "B", "noYear": "false", "note": "see A"}]))
    [1]
    """
    return {i for i, c in enumerate(columns) if any(r.get(c) for r in raw_rows)
            and all(r.get(c) in (None, "", *YES_NO) for r in raw_rows)}


def _facet_candidates(raw_rows: list[dict]) -> set[str]:
    """The IRIs of a table that may be facet values: neither an actor nor an outcome."""
    return {v for r in raw_rows for v in r.values() if v and v.startswith(("http://", "https://"))
            and not actor_href(v) and not v.startswith(str(ID) + "outcome/")}


def facet_links(iris: set[str], known) -> dict[str, tuple[str, str]]:
    """The IRIs of a table (:func:`_facet_candidates`) that are values of an outcome list's facet (a country, an objective, a type of
    change, a rating) with their list: {iri: (href, title)}. Such a value's page for a reader is the list
    of its outcomes, not its triples (places below a country keep their /id page). ``known``: the
    catalogue's facet values."""
    from harvestgraph.api.pages.facets import facet_values
    from harvestgraph.api.pages.common import href

    out = {}
    for v in iris:
        for f, key in facet_values(v):
            hit = next((fv for fv in known.get(f.key, []) if fv.key == key), None)
            if hit:
                out[v] = (href("/outcomes", {f.key: key}), f"the {hit.count} outcomes with {f.title.lower()} {hit.label}")
                break
    return out


@router.get("/queries")
async def queries_page(request: Request, reader: ReaderDep):
    lib = list(queries.library().values())
    return render(request, reader, "pages/queries.html", title="Named queries",
                  library=[q for q in lib if q.audience != "tools"], tools=[q for q in lib if q.audience == "tools"])


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
    columns, rows, more, status, counts_linked = [], [], False, 400 if problems else 200, False
    # The rows shown are the API's own JSON page (GET /queries/NAME?params&offset=...): one cache entry for
    # both, which the server fills ahead for the queries without parameters (harvestgraph.api.warm)
    page = default_page(request, name, values, offset)
    shown = page.limit
    if run:
        try:
            data = await page_json(request, reader, name, values, page)
            columns = data["columns"]
            rows = [[cell(r.get(c)) for c in columns] for r in data["rows"]]
            for i in boolean_columns(columns, data["rows"]):
                for row in rows:
                    row[i] = {"text": YES_NO.get(row[i]["text"], row[i]["text"])}
            for i, c in enumerate(columns):
                if c in PATH_COLUMNS:  # the file's name, as the fragment's page shows it; downloads keep the path
                    for row in rows:
                        row[i] = {"text": source_file_shown(row[i]["text"])} if row[i]["text"] else row[i]
                if c in RECORD_COLUMNS:  # the fields as the harvester wrote them; downloads keep the JSON
                    for row in rows:
                        row[i] = record_cell(row[i]["text"]) if row[i]["text"] else row[i]
            named_by = name_columns(columns)
            iris = _facet_candidates(data["rows"])
            counts = any(c in COUNT_COLUMNS for c in columns)
            actors = any(v.get("href", "").startswith("/actors/") for row in rows for v in row)
            # the reader scope's facet values and actors, read once for every kind of link
            cat = await catalogue(request, reader) if rows and (iris or counts or actors) else None
            known = cat_.known_values(cat) if cat is not None else {}
            facet_of = facet_links(iris, known) if iris else {}
            for raw, row in zip(data["rows"], rows):
                for i, c in enumerate(columns):
                    if (link := facet_of.get(raw.get(c) or "")):
                        row[i] = {"text": row[i]["text"], "href": link[0], "title": link[1]}
                    elif cat is not None and row[i].get("href", "").startswith("/actors/") \
                            and not cat_.actor_has_page(cat, raw[c]):
                        row[i] = {**row[i], "href": id_href(raw[c])}  # only mentioned: its linked-data page
                for i, j in named_by.items():
                    name_ = raw.get(columns[j])
                    if row[i].get("href") and name_ and not row[i]["href"].startswith("/outcomes/"):
                        row[i] = {**row[i], "text": name_}
            more = data["next"] is not None
            if cat is not None and counts:
                counts_linked = evidence_links(name, columns, data["rows"], rows, cat, known)
            # A name column whose every name is now the text of its IRI column's links would say each name
            # twice side by side: the page shows it once (the CSV and JSON keep both columns).
            twice = {j for i, j in named_by.items()
                     if all(not raw.get(columns[j]) or row[i]["text"] == raw[columns[j]] for raw, row in zip(data["rows"], rows))}
            # So would a column of plain values that repeats, row for row, the text of another column's links
            # (an outcome's FragmentID beside the link to the outcome, which is that FragmentID).
            twice |= {j for j in range(len(columns)) if j not in twice and rows
                      and not any(row[j].get("href") or row[j].get("fields") for row in rows)
                      and any(row[j]["text"] for row in rows)
                      and any(i != j and all(row[i].get("href") and row[j]["text"] in ("", row[i]["text"]) for row in rows)
                              for i in range(len(columns)))}
            columns = [c for k, c in enumerate(columns) if k not in twice]
            rows = [[v for k, v in enumerate(row) if k not in twice] for row in rows]
            # A confidential record marked wherever its FragmentID is shown (a link to its outcome, an id
            # column): the confidential role must know before quoting a row (none for other readers).
            if rows and (secret := await confidential_ids(request, reader)):
                for row in rows:
                    for v in row:
                        if v["text"] in secret:
                            v["confidential"] = True
        except PageError as exc:
            problems.append(exc.message)
            status = exc.status
    base = f"/queries/{name}"
    qs = urlencode(values)
    downloads = {fmt: f"{base}?{urlencode({**values, 'format': fmt})}" for fmt in ("csv", "json")}
    pages = {"next": f"{base}?{urlencode({**values, 'run': 1, 'offset': offset + shown})}" if more else None,
             "prev": f"{base}?{urlencode({**values, 'run': 1, 'offset': max(0, offset - shown)})}" if offset else None}
    # A parameter that takes a concept (a type of change, an actor kind): its scheme's labels as suggestions.
    from harvestgraph.api.pages.model import model as data_model

    schemes = {s.name: [label for label, _, _ in s.concepts] for s in data_model().schemes}
    choices = {p.name: schemes.get("hgc:" + p.type.split(":", 1)[1], []) for p in q.params if p.type.startswith("concept:")}
    response = render(request, reader, "pages/query.html", status=status, title=q.title, q=q, values=values, run=run,
                      choices=choices, type_words=TYPE_WORDS,
                      problems=problems, columns=columns, rows=rows, more=more, offset=offset, downloads=downloads,
                      pages=pages, qs=qs, counts_linked=counts_linked,
                      sparql_href="/sparql?" + urlencode({"query": q.sparql}))
    cache_status = getattr(request.state, "hg_cache_status", None)
    if run and cache_status:  # the one answer this page shows (RFC 9211, as the API's answers say it)
        response.headers["Cache-Status"] = f"harvestgraph; {cache_status}"
    return response
