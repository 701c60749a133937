"""The evidence behind an actor link: the sentence of the fragment that names the actor, with the span.

Every actor link (who changed, who contributed, who is merely mentioned) was read from a span of one of
an outcome's text fields; the mapping keeps every span of an outcome in one JSON literal,
``hg:mentionRecord`` (target, role, field, start, end, method, confidence, text: see
:func:`~harvestgraph.mapping.mention_record`), in the fragment's own graph, while the links themselves
(``hg:changedActor``, ``hg:hasContributor``, ``hg:mentions``) are plain triples (docs/model.md). This module is the
ONE place that knows how mentions are stored: pages, exports and views ask :func:`evidence_query` for the
query and turn its rows into :class:`Evidence` with :func:`evidence_from_rows`. When the mention storage
changes, only this module changes.

The query is run by the caller through its own guarded path (the web app's cached, time-limited,
reader-scoped runner), so the reader's graphs decide what evidence exists: a confidential fragment's
mention record lives in its own graph, which an anonymous reader's dataset does not hold.

>>> text, bindings = evidence_query(actor="https://w3id.org/harvestgraph/id/actor/huria")
>>> sorted(bindings)
['actor']
>>> ev = evidence_from_rows([{"outcome": "o", "id": "F1", "actor": "http://a", "name": "HURIA",
...     "mentions": '[["http://a","changed","outcome_description",8,13,"registry",1,null]]',
...     "outcome_description": "In May, HURIA adopted a policy. Then more."}])
>>> (ev[0].before, ev[0].span, ev[0].after)
('In May, ', 'HURIA', ' adopted a policy.')

Cost: one row per outcome linked to the actor (or per actor linked to the outcome), each with the
outcome's mention record and text fields; the rows are capped by ``limit``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from .mapping import read_mentions
from .vocab import GRAPH, ID, SPARQL_PREFIXES

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

# One row per (outcome, linked actor): the links are the plain triples readers query; the spans come from
# the outcome's mention record in its fragment graph (a reader's named graphs are the graphs they may see).
# The fragment graph is named from the outcome's IRI (same encoded FragmentID, vocab.fragment_graph), so
# the store looks in one graph per outcome: with ``GRAPH ?g`` unbound, Oxigraph tried each of the reader's
# named graphs per outcome (9,203 at 10k: 75.8 s for an actor of 200 outcomes, the page's 503).
# The fragment graph of ?outcome, computed in SPARQL: the same encoded FragmentID after the graph prefix.
GRAPH_OF_OUTCOME = f'IRI(CONCAT("{GRAPH}fragment/", STRAFTER(STR(?outcome), "{ID}outcome/")))'
_QUERY = """SELECT ?outcome ?id ?actor ?name ?mentions %s
WHERE {%s
  ?outcome hg:changedActor|hg:hasContributor|hg:mentions|hg:programme ?actor .
  %s
  OPTIONAL { ?outcome dcterms:identifier ?id }
  OPTIONAL { ?actor skos:prefLabel ?name }
  %s
}
ORDER BY ?id ?actor
LIMIT %d"""


_OUTCOME_PREFIX = f"{ID}outcome/"


def _records(outcomes: Sequence[str] | None) -> str:
    """The pattern binding ``?mentions``: for known outcomes, each one's fragment graph named by its IRI
    (one UNION branch each), so that the store gives the engine those graphs only (a reader's whole list
    costs Oxigraph ~20 µs a graph on every query: seconds at 100k); else the graph computed per row."""
    if outcomes is None:
        return f"BIND ({GRAPH_OF_OUTCOME} AS ?g)\n  GRAPH ?g {{ ?outcome hg:mentionRecord ?mentions }}"
    branches = [f"{{ GRAPH {ox.NamedNode(f'{GRAPH}fragment/' + o[len(_OUTCOME_PREFIX):])} {{ "
                f"{ox.NamedNode(o)} hg:mentionRecord ?mentions }} BIND ({ox.NamedNode(o)} AS ?outcome) }}"
                for o in outcomes if o.startswith(_OUTCOME_PREFIX)]
    return " UNION ".join(branches) if branches else "FILTER (false)"


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence for an actor link: a sentence of one field of the outcome, with every span of
    it that names the actor (a name and its acronym in one sentence, "the Kenya Human Rights Commission
    (KHRC)", are one piece of evidence with two marks, not two)."""

    outcome: str  # the outcome's IRI
    fragment_id: str | None
    actor: str  # the actor's IRI
    actor_name: str | None
    role: str  # changed | contributor | mentioned
    field: str  # canonical field name, e.g. outcome_description
    start: int  # the first span's start in the field's text
    end: int  # the last span's end
    parts: tuple[tuple[str, bool], ...]  # the sentence, cut into text and spans that name the actor (True)

    @property
    def field_title(self) -> str:
        return FIELD_TITLES.get(self.field, self.field.replace("_", " "))

    @property
    def names(self) -> list[str]:
        """The words that name the actor here, each once, in the order the sentence uses them."""
        return list(dict.fromkeys(t for t, marked in self.parts if marked))

    @property
    def before(self) -> str:
        """The sentence before the first span."""
        i = next(i for i, (_, m) in enumerate(self.parts) if m)
        return "".join(t for t, _ in self.parts[:i])

    @property
    def span(self) -> str:
        """The first span."""
        return next(t for t, m in self.parts if m)

    @property
    def after(self) -> str:
        """The sentence after the first span (later spans as plain text)."""
        i = next(i for i, (_, m) in enumerate(self.parts) if m)
        return "".join(t for t, _ in self.parts[i + 1:])


def evidence_query(*, actor: str | None = None, outcome: str | None = None, outcomes: Sequence[str] | None = None,
                   limit: int = 500) -> tuple[str, dict[str, ox.NamedNode]]:
    """The SPARQL text and its bindings (IRIs, bound by a VALUES block by the caller's runner) for the
    mentions of ``actor``, or of every actor of ``outcome`` (or both); ``outcomes``: only in these (the
    outcomes a page lists: an actor of 3,000 outcomes then reads 50 records, not 3,000, 7.4 s at 10k).
    Run it over the reader's dataset (the reader's named graphs are the fragment graphs they may see)."""
    columns = " ".join(f"?{k}" for k in FIELD_PROPERTIES)
    fields = "\n  ".join(f"OPTIONAL {{ ?outcome {p} ?{k} }}" for k, p in FIELD_PROPERTIES.items())
    only = ""
    targets = [outcome] if outcome else list(dict.fromkeys(outcomes)) if outcomes is not None else None
    if outcomes is not None:  # IRIs checked by pyoxigraph, written as <...>: nothing else reaches the text
        only = "\n  VALUES ?outcome { " + " ".join(str(ox.NamedNode(o)) for o in targets) + " }"
    text = SPARQL_PREFIXES + _QUERY % (columns, only, _records(targets), fields, int(limit))
    bindings = {}
    if actor:
        bindings["actor"] = ox.NamedNode(actor)
    if outcome:
        bindings["outcome"] = ox.NamedNode(outcome)
    return text, bindings


_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
MAX_SIDE = 240  # characters kept on either side of the spans within their sentence


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """(begin, stop): the sentence of ``text`` that holds ``text[start:end]``."""
    begin = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        begin = m.end()
    m = _SENTENCE_END.search(text, end)
    return begin, (m.end() if m else len(text))


def sentence_parts(text: str, spans: list[tuple[int, int]]) -> tuple[tuple[str, bool], ...]:
    """The sentence of ``text`` holding ``spans`` (all in one sentence), cut into plain text and the spans
    (True); overlapping spans are one. Very long sentences are trimmed to MAX_SIDE characters before the
    first span and after the last (marked with an ellipsis).

    >>> sentence_parts("Hi. The Kenya HRC (KHRC) met. Bye.", [(8, 17), (19, 23)])
    (('The ', False), ('Kenya HRC', True), (' (', False), ('KHRC', True), (') met.', False))
    """
    spans = sorted(spans)
    begin, stop = sentence_bounds(text, spans[0][0], spans[-1][1])
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    parts: list[tuple[str, bool]] = []
    at = begin
    for s, e in merged:
        parts.append((text[at:s], False))
        parts.append((text[s:e], True))
        at = e
    parts.append((text[at:stop], False))
    first, last = parts[0][0].lstrip(), parts[-1][0].rstrip()
    if len(first) > MAX_SIDE:
        first = "…" + first[-MAX_SIDE:]
    if len(last) > MAX_SIDE:
        last = last[:MAX_SIDE] + "…"
    parts[0], parts[-1] = (first, False), (last, False)
    return tuple(p for p in parts if p[0])


def sentence_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(before, span, after): the sentence of ``text`` holding ``text[start:end]``, cut at the span.
    Very long sentences are trimmed to MAX_SIDE characters either side (marked with an ellipsis)."""
    parts = sentence_parts(text, [(start, end)])
    i = next((i for i, (_, m) in enumerate(parts) if m), None)
    if i is None:  # an empty span
        return "".join(t for t, _ in parts), "", ""
    return "".join(t for t, _ in parts[:i]), parts[i][0], "".join(t for t, _ in parts[i + 1:])


def evidence_from_rows(rows: list[dict[str, str | None]]) -> list[Evidence]:
    """The rows of :func:`evidence_query` (column → string) as Evidence, one per sentence that names the
    row's actor in the row's outcome (in one role and field: a name and its acronym in one sentence are one
    piece of evidence, each span marked), ordered by fragment, field, start and actor. A span whose offsets
    do not fit the stored text is looked up by its text (when the record has it)."""
    # (outcome, actor, role, field, sentence begin) -> the row and the spans in that sentence
    found: dict[tuple, tuple[dict, set[tuple[int, int]]]] = {}
    for r in rows:
        record, actor = r.get("mentions"), r.get("actor")
        if not record or not actor:
            continue
        for m in read_mentions(record):
            if m["refersTo"] != actor or m["role"] not in ROLES:
                continue
            start, end, field = int(m["start"]), int(m["end"]), m["inField"]
            value = r.get(field) or ""
            said = m.get("text")
            if said and value[start:end] != said and (at := value.find(said)) >= 0:
                start, end = at, at + len(said)
            if not 0 <= start < end <= len(value):
                continue
            key = (r["outcome"], actor, m["role"], field, sentence_bounds(value, start, end))
            found.setdefault(key, (r, set()))[1].add((start, end))
    out: list[Evidence] = []
    for (outcome, actor, role, field, _), (r, spans) in found.items():
        first, last = min(spans), max(e for _, e in spans)
        out.append(Evidence(outcome, r.get("id"), actor, r.get("name"), role, field, first[0], last,
                            sentence_parts(r.get(field) or "", list(spans))))
    out.sort(key=lambda e: (e.fragment_id or "", e.field, e.start, e.actor))
    return out
