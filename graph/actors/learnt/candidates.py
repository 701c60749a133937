"""Candidates for the changed actors of one fragment: each actor the outcome description names, as the
finders and the resolvers found it (its mentions grouped by actor), plus the grammatical subjects and
the ORG/NORP entities of the parsed sentence that no finder took (new actors, named by the span).

The decision (:mod:`.scorer`) chooses among them; the rules' own choice (``doc.changed``) is one of
each candidate's features.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...mapping import actor_node
from ..doc import RULE_CONFIDENCE, FragmentDoc, Mention
from ..model import Actor
from ..registry import Registry
from .. import rules
from .spans import first_sentence_spans

FIELD = "outcome_description"
EXTRA_ENTITY_LABELS = ("ORG", "NORP", "PERSON")  # (the recogniser reads many non-English names as PERSON)


@dataclass
class Candidate:
    """One actor the outcome description may say changed: its mentions there (earliest first), whether the
    rules chose it, and whether it is new (a parse span no finder took: added to the mentions if chosen)."""

    actor: Actor
    mentions: list[Mention]
    ruled: bool = False
    new: bool = False
    kind: str = ""  # for a new one: what proposed it (subject, entity, opening, agent, extended)
    features: dict[str, float] = field(default_factory=dict)

    @property
    def first(self) -> Mention:
        return self.mentions[0]

    @property
    def iri(self) -> str:
        return actor_node(self.actor).value


def candidates(doc: FragmentDoc, registry: Registry, tokens: list[tuple] = ()) -> list[Candidate]:
    """The candidates of ``doc`` after the finders, the resolvers and the rules (``doc.changed``) ran;
    ``tokens``: the roles of the parsed sentence (:func:`.parse.tokens`), where the opening phrase ends."""
    text = doc.fields.get(FIELD)
    if not text:
        return []
    chosen = {m.actor.name for m in doc.changed if m.actor is not None}
    by_actor: dict[str, Candidate] = {}
    here = sorted((m for m in doc.mentions if m.field == FIELD and m.actor is not None), key=lambda m: m.start)
    for m in here:
        c = by_actor.get(m.actor.name)
        if c is None:
            by_actor[m.actor.name] = Candidate(m.actor, [m], ruled=m.actor.name in chosen)
        else:
            c.mentions.append(m)
    taken = [(m.start, m.end) for m in doc.mentions if m.field == FIELD] + \
        [(s, e) for f, s, e in doc.blocked if f == FIELD]
    spans = [(x.start, x.end, "subject") for x in doc.subjects.get(FIELD, [])] + \
        [(s, e, "entity") for s, e, label in doc.entities.get(FIELD, []) if label in EXTRA_ENTITY_LABELS]
    # spans from the text (may overlap a finder's: another extent of the same words)
    variants = first_sentence_spans(text, list(tokens))
    exact = set(taken)
    for s, e, source in [*spans, *variants]:
        if source in ("subject", "entity"):
            s, e = _clean(text, s, e)
            if any(a < e and s < b for a, b in taken):
                continue
        name = text[s:e]
        if e - s < 3 or (s, e) in exact or registry.is_ignored(name):
            continue
        taken.append((s, e))
        exact.add((s, e))
        actor = registry.find(name) or Actor(name=_clean_name(name), kind=rules.kind_of(name), status="extracted",
                                             confidence=RULE_CONFIDENCE)
        method = "entity" if source == "entity" else "rule" if source == "extended" else "subject"
        m = Mention(FIELD, s, e, name, "role" if name[:1].islower() else method, actor, method, RULE_CONFIDENCE)
        if actor.name in by_actor:
            continue
        by_actor[actor.name] = Candidate(actor, [m], new=True, kind=source)
    return sorted(by_actor.values(), key=lambda c: c.first.start)


def _clean(text: str, s: int, e: int) -> tuple[int, int]:
    from ..finders.spans import clean_span  # (finders imports the rules; this module is imported after them)

    return clean_span(text, s, e)


def _clean_name(text: str) -> str:
    from ..resolution import clean_name

    return clean_name(text)
