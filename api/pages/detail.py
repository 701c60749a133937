"""One outcome and one actor, for browsers (``/outcomes/{id}``, ``/actors/{slug}``).

An outcome's page: its fields, its actors (who changed, who contributed, with the contribution text and
the sentence each was read from, the span highlighted), and the chain of outcomes it builds on.
An actor's page: the outcomes it changed in and contributed to, each with its evidence, and its
co-contributors. The evidence comes from :mod:`harvestgraph.evidence` (the one place that knows how
mentions are stored), run through the app's guarded runner like every other query.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from harvestgraph.api.pages.common import (YES_NO, HTMLRoute, PageError, ReaderDep, confidential_ids, error_page, href,
                                           named, render, select)
from harvestgraph.api.pages import catalogue as cat_
from harvestgraph.api.pages.lists import actor_href, actor_ref, catalogue, outcome_href
from harvestgraph.api.rest import curie, id_href, iri_slug
from harvestgraph.api.rest.linked_data import source_file_shown
from harvestgraph.evidence import evidence_from_rows, evidence_query
from harvestgraph.vocab import ID, SPARQL_PREFIXES, fragment_iri, outcome_iri

router = APIRouter(route_class=HTMLRoute, include_in_schema=False)

# (property, title), in the order a reader of an Outcome Harvesting record expects them.
OUTCOME_FIELDS = [
    ("dcterms:description", "Outcome description"), ("hg:significance", "Significance"),
    ("hg:programmeContributionText", "Contribution of the programme"),
    ("hg:otherContributionsText", "Contributions of others"), ("hg:additionalInformation", "Additional information"),
    ("hg:evidence", "Evidence"),
]
OUTCOME_FACTS = [
    ("hg:programme", "Programme", "programme"), ("hg:country", "Country", "country"), ("hg:year", "Year", "year"),
    ("dcterms:spatial", "Places", None), ("hg:linkedObjective", "Objective", "objective"),
    ("hg:linkedRFOutcome", "Results-framework outcome", None), ("hg:typeOfChange", "Type of change", "type"),
    ("hg:typeOfChangeCluster", "Change cluster", None), ("hg:significanceRating", "Significance rating", "significance"),
    ("hg:contributionRating", "Programme contribution rating", "contribution"),
    ("hg:socialActorCategory", "Social actor category", None), ("hg:scale", "Scale", None),
    ("hg:isNegative", "Negative", None), ("hg:isUnintended", "Unintended", None),
]

RATINGS = ("hg:significanceRating", "hg:contributionRating")

# Each (property, value) once, as the page shows it: a value by its text (a literal stated plain and in a
# language is one value), with one label (the least, where the graphs name it twice: a skos:prefLabel and an
# rdfs:label, or a name in more graphs than one the reader sees); the values of a property in their order.
_PROPS = SPARQL_PREFIXES + """SELECT ?p ?o (MIN(?l) AS ?label) WHERE {
  ?outcome a hg:Outcome ; ?p ?term .
  OPTIONAL { ?term skos:prefLabel|rdfs:label ?l }
  BIND (STR(?term) AS ?o)
} GROUP BY ?p ?o ORDER BY ?p ?o"""

_CHANGED = SPARQL_PREFIXES + """SELECT ?actor (MIN(?l) AS ?name) (MIN(?k) AS ?kind) WHERE {
  ?outcome hg:changedActor ?actor .
  OPTIONAL { ?actor skos:prefLabel ?l } OPTIONAL { ?actor hg:actorKind ?k }
} GROUP BY ?actor ORDER BY ?name"""

_BUILT_ON_BY = SPARQL_PREFIXES + """SELECT ?later (MIN(?i) AS ?laterId) WHERE {
  ?later hg:buildsOn ?outcome . OPTIONAL { ?later dcterms:identifier ?i }
} GROUP BY ?later ORDER BY ?laterId"""


# Where the outcome was read: its fragment's file (and a workbook's sheet) and line, for the way to the
# record as the harvester wrote it (the named query fragment_record).
_SOURCE = SPARQL_PREFIXES + """SELECT ?file ?line WHERE {
  ?fragment hg:describesOutcome ?outcome ; hg:sourceFile ?file .
  OPTIONAL { ?fragment hg:sourceLine ?line }
} ORDER BY ?file ?line LIMIT 1"""


def _key(facet: str, iri_or_value: str) -> str | None:
    from harvestgraph.api.pages.facets import BY_KEY

    return BY_KEY[facet].key_of(iri_or_value) if facet in BY_KEY else None


@router.get("/outcomes/{fragment_id:path}")
async def outcome_page(request: Request, reader: ReaderDep, fragment_id: str):
    iri = str(outcome_iri(fragment_id))
    node = ox.NamedNode(iri)
    try:
        props = await select(request, reader, _PROPS, {"outcome": node})
        if not props:
            raise PageError(404, f"There is no outcome {fragment_id!r} that you may see. It may not exist, or "
                                 "its FragmentID may be mistyped.", "No such outcome")
        contributors = (await named(request, reader, "contributors_of_outcome", {"outcome": fragment_id})).rows
        changed = await select(request, reader, _CHANGED, {"outcome": node})
        text, b = evidence_query(outcome=iri)
        evidence = evidence_from_rows(await select(request, reader, text, b))
        chain = (await named(request, reader, "outcome_chains", {"outcome": fragment_id})).rows
        later = await select(request, reader, _BUILT_ON_BY, {"outcome": node})
        source = await select(request, reader, _SOURCE, {"outcome": node})
        secret = await confidential_ids(request, reader)
        cat = await catalogue(request, reader)
    except PageError as exc:
        return error_page(request, reader, exc)
    values: dict[str, list[dict]] = defaultdict(list)
    for r in props:
        values[curie(r["p"])].append({"value": r["o"], "label": r.get("label")})
    fields = [(title, values[p][0]["value"]) for p, title in OUTCOME_FIELDS if values.get(p)]
    facts = []
    for p, title, facet in OUTCOME_FACTS:
        shown = []
        for v in values.get(p, []):
            label = v["label"] or (v["value"][:4] if p == "hg:year" else iri_slug(v["value"]))
            label = YES_NO.get(label, label) if p.startswith("hg:is") else label
            key = _key(facet, v["value"]) if facet else None
            link = f"/outcomes?{facet}={quote(key, safe='')}" if key else id_href(v["value"])
            if p == "hg:programme":
                link = actor_href(v["value"]) or link
            elif p == "hg:linkedRFOutcome" and v["label"] and values.get("hg:programme"):
                # the outcomes linked to the same results-framework outcome of the programme, not its triples
                link = "/queries/outcomes?" + urlencode({"run": 1, "rf_outcome": v["label"],
                                                         "programme": iri_slug(values["hg:programme"][0]["value"])})
            shown.append({"label": label, "href": link})
        if shown:
            facts.append((title, sorted(shown, key=lambda s: s["label"])))
        elif p in RATINGS:  # said, not left out: an unrated outcome is one the harvest did not rate
            facts.append((title, [{"label": "not rated", "href": None}]))
    by_actor: dict[str, list] = defaultdict(list)
    for e in evidence:
        by_actor[e.actor].append(e)
    actors = []
    for r in changed:
        actors.append({"iri": r["actor"], "name": r.get("name") or r["actor"], "role": "changed",
                       "kind": iri_slug(r.get("kind") or ""), "href": actor_href(r["actor"]),
                       "evidence": [e for e in by_actor[r["actor"]] if e.role == "changed"]})
    for r in contributors:
        actors.append({"iri": r["contributor"], "name": r.get("name") or r["contributor"], "role": "contributor",
                       "kind": r.get("kind") or "", "href": actor_href(r["contributor"]),
                       "programme": r.get("isProgramme") == "true", "rating": r.get("rating"),
                       "text": r.get("contributionText"),
                       "evidence": [e for e in by_actor[r["contributor"]] if e.role == "contributor"]})
    linked = {a["iri"] for a in actors}
    # An actor only mentioned (in no outcome as changed or contributor) has no page: its name is not a link
    # to a "No such actor". Its name: as the evidence read it, else as the catalogue knows it, else its slug.
    # Each such actor once, with each sentence that names it.
    mentioned_by: dict[str, list] = defaultdict(list)
    for e in evidence:
        if e.role == "mentioned" and e.actor not in linked:
            mentioned_by[e.actor].append(e)
    mentioned = [{"evidence": es, "name": es[0].actor_name or cat_.actor_name(cat, actor_ref(a)) or iri_slug(a),
                  "href": actor_href(a) if any(cat_.actor_counts(cat, actor_ref(a)) or ()) else None}
                 for a, es in mentioned_by.items()]
    earlier = [{"id": r.get("earlierId"), "href": outcome_href(r["earlierId"]) if r.get("earlierId") else None,
                "length": r.get("length")} for r in chain]
    record = {"file": source_file_shown(source[0]["file"]) if source else None,
              "line": source[0].get("line") if source else None,
              "href": "/queries/fragment_record?" + urlencode({"run": 1, "fragment": fragment_id}),
              "fragment_page": id_href(str(fragment_iri(fragment_id)))}
    return render(request, reader, "pages/outcome.html", title=f"Outcome {fragment_id}", fragment_id=fragment_id,
                  record=record,
                  iri=iri, id_page=id_href(iri), fields=fields, confidential=fragment_id in secret, secret=secret, facts=facts, actors=actors, mentioned=mentioned,
                  earlier=earlier, later=[{"id": r.get("laterId"), "href": outcome_href(r["laterId"])}
                                          for r in later if r.get("laterId")])


# Each fact once, as shown (a value's label, else the value): a fact stated in more graphs than one the
# reader sees (the registry's names, for the confidential role) is answered once per graph otherwise.
_ACTOR = SPARQL_PREFIXES + """SELECT DISTINCT ?p ?shown WHERE {
  ?actor ?p ?o . VALUES ?p { skos:prefLabel skos:altLabel hg:acronym hg:actorKind hg:basedIn owl:sameAs hg:status }
  OPTIONAL { ?o skos:prefLabel ?label }
  BIND (COALESCE(?label, ?o) AS ?shown)
} ORDER BY ?p ?shown"""

LIST_LIMIT = 100  # outcomes shown per role on an actor's page; the rest through the outcome list

@router.get("/actors/{slug}")
async def actor_page(request: Request, reader: ReaderDep, slug: str):
    try:
        # The outcome lists, counts and co-contributors from the reader scope's list index (the named
        # query co_contributors pairs every contributor of the store: past the readers' limit at 10k).
        cat = await catalogue(request, reader)
        for ref in (f"actor/{slug}", f"programme/{slug}"):
            try:
                node = ox.NamedNode(str(ID) + ref)
            except ValueError:
                continue
            counts = cat_.actor_counts(cat, ref)
            if counts and any(counts):
                break
        else:
            # An address typed or shared in another case (/actors/afrp): the actor's page, at its own address
            if (canonical := cat_.actor_ref_ignoring_case(cat, slug)) is not None:
                query = f"?{request.url.query}" if request.url.query else ""
                return RedirectResponse(actor_href(str(ID) + canonical) + query, status_code=308)
            raise PageError(404, f"There is no actor {slug!r} in the outcomes you may see.", "No such actor",
                            links=[("/actors", "All actors you may see")])
        facts_rows = await select(request, reader, _ACTOR, {"actor": node})
        changed, n_changed = cat_.actor_outcomes(cat, ref, True, LIST_LIMIT)
        contributed, n_contributed = cat_.actor_outcomes(cat, ref, False, LIST_LIMIT)
        partners = cat_.co_contributors(cat, ref)
        shown = [r["outcome"] for r in [*changed[:LIST_LIMIT], *contributed[:LIST_LIMIT]]]
        text, b = evidence_query(actor=node.value, outcomes=shown)
        evidence = evidence_from_rows(await select(request, reader, text, b))
        secret = await confidential_ids(request, reader)
    except PageError as exc:
        return error_page(request, reader, exc)
    facts: dict[str, list[str]] = defaultdict(list)
    for r in facts_rows:
        facts[curie(r["p"])].append(r["shown"])
    name = (facts.get("skos:prefLabel") or [slug])[0]
    by_outcome: dict[tuple[str, str], list] = defaultdict(list)
    for e in evidence:
        by_outcome[(e.outcome, e.role)].append(e)

    countries = cat.labels.get("country", {})  # a country by its name, as the outcome's page says it

    def items(rows, role):
        return [{"id": r.get("id"), "href": outcome_href(r["id"]) if r.get("id") else id_href(r["outcome"]),
                 "year": r.get("year"), "country": countries.get(r.get("country") or "") or r.get("country"),
                 "country_href": href("/outcomes", {"country": r["country"]}) if r.get("country") else None,
                 "description": r.get("description"),
                 "evidence": by_outcome.get((r["outcome"], role), [])} for r in rows[:LIST_LIMIT]]

    with_whom = []
    for r in partners:
        other, other_name = (r["actorB"], r.get("nameB")) if r["actorA"] == node.value else (r["actorA"], r.get("nameA"))
        with_whom.append({"name": other_name or other, "href": actor_href(other), "shared": int(r["sharedOutcomes"]),
                          "outcomes_href": f"/outcomes?actor={quote(actor_ref(node.value), safe='/')}&role=contributor"
                                          f"&with={quote(actor_ref(other), safe='/')}"})
    ref = actor_ref(node.value)
    return render(request, reader, "pages/actor.html", title=name, name=name, iri=node.value,
                  id_page=id_href(node.value), kind=(facts.get("hg:actorKind") or [""])[0],
                  aliases=[*facts.get("skos:altLabel", []), *facts.get("hg:acronym", [])],
                  based_in=facts.get("hg:basedIn", []), same_as=facts.get("owl:sameAs", []),
                  source=(facts.get("hg:status") or [""])[0],
                  changed=items(changed, "changed"), contributed=items(contributed, "contributor"),
                  n_changed=n_changed, n_contributed=n_contributed,
                  changed_href=f"/outcomes?actor={quote(ref, safe='/')}&role=changed",
                  contributed_href=f"/outcomes?actor={quote(ref, safe='/')}&role=contributor",
                  partners=with_whom, limit=LIST_LIMIT, secret=secret)

