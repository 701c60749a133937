"""``/actors``: the actors that changed or contributed, and one actor with its outcomes."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse

from harvestgraph.api.sparql import SparqlError
from harvestgraph.vocab import ID, SPARQL_PREFIXES

from .models import ActorPage, ActorSummary
from .common import Limit, Offset, ReaderDep, _page_url, curie, iri_slug, query_table, text_query

router = APIRouter()


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
    return ActorSummary(iri=r["actor"], slug=iri_slug(r["actor"]), href="/actors/" + iri_slug(r["actor"]),
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
        table = await query_table(request, reader, text_query(text, bindings))
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
        labels = await query_table(request, reader,
                                   text_query(SPARQL_PREFIXES + _ACTOR_FACTS, {"actor": ox.NamedNode(iri)}))
    except SparqlError as exc:
        return exc.response()
    facts: dict[str, list[str]] = {}
    for r in labels.rows:
        facts.setdefault(curie(r["p"]), []).append(r["o"])
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
        with_whom.append({"iri": other, "name": name, "href": "/actors/" + iri_slug(other),
                          "shared_outcomes": int(r["sharedOutcomes"])})
    return {"iri": iri, "slug": iri_slug(iri), "name": (facts.get("skos:prefLabel") or [None])[0],
            "kind": iri_slug((facts.get("hg:actorKind") or [""])[0]) or None, "facts": facts,
            "changed_in_total": n_changed, "contributed_to_total": n_contributed,
            "changed_in": changed_in, "contributed_to": contributed_to, "contributed_with": with_whom,
            "limit": limit, "offset": offset,
            "next": _page_url(request, offset + limit) if more_changed or more_contributed else None}
