"""The evidence behind an actor link: the sentence of the fragment that names the actor, with the span.

Every actor link (who changed, who contributed, who is merely mentioned) was read from a span of one of
an outcome's text fields; the mapping stores it as an ``hg:Mention`` (``hg:inField``, ``hg:start``,
``hg:end``, ``hg:refersTo``, ``hg:role``) in the fragment's own graph (docs/model.md). This module is the
ONE place that knows how mentions are stored: pages, exports and views ask :func:`evidence_query` for the
query and turn its rows into :class:`Evidence` with :func:`evidence_from_rows`. When the mention storage
changes, only this module changes.

The query is run by the caller through its own guarded path (the web app's cached, time-limited,
reader-scoped runner), so the reader's graphs decide what evidence exists: a confidential fragment's
mentions live in its own graph, which an anonymous reader's dataset does not hold.

>>> text, bindings = evidence_query(actor="https://w3id.org/harvestgraph/id/actor/huria")
>>> sorted(bindings)
['actor']
>>> ev = evidence_from_rows([{"outcome": "o", "id": "F1", "actor": "a", "name": "HURIA", "role": "changed",
...     "field": "outcome_description", "start": "9", "end": "14",
...     "value": "In May, HURIA adopted a policy. Then more."}])
>>> (ev[0].before, ev[0].span, ev[0].after)
('In May, ', 'HURIA', ' adopted a policy.')

Cost: one lookup per mention of the actor (or of the outcome's actors); the rows are capped by ``limit``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from .vocab import SPARQL_PREFIXES

# The outcome property that holds the normalised text of each field mentions are read from
# (graph/normalise.py TEXT_KEYS; graph/mapping.py writes them). Offsets count characters of these values.
FIELD_PROPERTIES = {
    "outcome_description": "dcterms:description",
    "significance": "hg:significance",
    "additional_information": "hg:additionalInformation",
    "contribution_programme": "hg:programmeContributionText",
    "contribution_others": "hg:otherContributionsText",
    "evidence": "hg:evidence",
}
FIELD_TITLES = {
    "outcome_description": "Outcome description",
    "significance": "Significance",
    "additional_information": "Additional information",
    "contribution_programme": "Contribution of the programme",
    "contribution_others": "Contributions of others",
    "evidence": "Evidence",
}
ROLES = ("changed", "contributor", "mentioned")

_QUERY = """SELECT DISTINCT ?outcome ?id ?actor ?name ?role ?field ?start ?end ?text ?value
WHERE {
  GRAPH ?g { ?outcome hg:hasMention ?m . ?m hg:refersTo ?actor ; hg:role ?role ; hg:inField ?field ;
                                       hg:start ?start ; hg:end ?end . OPTIONAL { ?m hg:text ?text } }
  FILTER (?role IN ("changed", "contributor", "mentioned"))
  VALUES (?field ?p) { %s }
  ?outcome ?p ?value .
  OPTIONAL { ?outcome dcterms:identifier ?id }
  OPTIONAL { ?actor skos:prefLabel ?name }
}
ORDER BY ?id ?field ?start ?actor
LIMIT %d"""


@dataclass(frozen=True)
class Evidence:
    """One actor link as read: the sentence around the span, cut into before / span / after."""

    outcome: str  # the outcome's IRI
    fragment_id: str | None
    actor: str  # the actor's IRI
    actor_name: str | None
    role: str  # changed | contributor | mentioned
    field: str  # canonical field name, e.g. outcome_description
    start: int
    end: int
    before: str
    span: str
    after: str

    @property
    def field_title(self) -> str:
        return FIELD_TITLES.get(self.field, self.field.replace("_", " "))


def evidence_query(*, actor: str | None = None, outcome: str | None = None,
                   limit: int = 500) -> tuple[str, dict[str, ox.NamedNode]]:
    """The SPARQL text and its bindings (IRIs, bound by a VALUES block by the caller's runner) for the
    mentions of ``actor``, or of every actor of ``outcome`` (or both). Run it over the reader's dataset
    (the reader's named graphs are the fragment graphs they may see)."""
    values = " ".join(f'("{k}" {p})' for k, p in FIELD_PROPERTIES.items())
    text = SPARQL_PREFIXES + _QUERY % (values, int(limit))
    bindings = {}
    if actor:
        bindings["actor"] = ox.NamedNode(actor)
    if outcome:
        bindings["outcome"] = ox.NamedNode(outcome)
    return text, bindings


_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
MAX_SIDE = 240  # characters kept on either side of the span within its sentence


def sentence_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(before, span, after): the sentence of ``text`` holding ``text[start:end]``, cut at the span.
    Very long sentences are trimmed to MAX_SIDE characters either side (marked with an ellipsis)."""
    begin = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        begin = m.end()
    m = _SENTENCE_END.search(text, end)
    stop = m.end() if m else len(text)
    before, after = text[begin:start].lstrip(), text[end:stop].rstrip()
    if len(before) > MAX_SIDE:
        before = "…" + before[-MAX_SIDE:]
    if len(after) > MAX_SIDE:
        after = after[:MAX_SIDE] + "…"
    return before, text[start:end], after


def evidence_from_rows(rows: list[dict[str, str | None]]) -> list[Evidence]:
    """The rows of :func:`evidence_query` (column → string) as Evidence, one per mention, in the query's
    order. A span whose offsets do not fit the stored text (an older mapping) is looked up by its text."""
    out: list[Evidence] = []
    seen: set[tuple] = set()
    for r in rows:
        try:
            start, end = int(r["start"] or ""), int(r["end"] or "")
        except ValueError:
            continue
        key = (r["outcome"], r["actor"], r["role"], r["field"], start, end)
        if key in seen:
            continue
        seen.add(key)
        value = r.get("value") or ""
        said = r.get("text")
        if said and value[start:end] != said and (at := value.find(said)) >= 0:
            start, end = at, at + len(said)
        if not 0 <= start <= end <= len(value):
            continue
        before, span, after = sentence_around(value, start, end)
        out.append(Evidence(r["outcome"], r.get("id"), r["actor"], r.get("name"), r["role"], r["field"],
                            start, end, before, span, after))
    return out
