"""Who can have changed, and the sentence of the outcome description that tells the change.

An outcome description may set the scene before it tells the change: "Floods in early 2023 destroyed the feeder
roads and left the clinics without supplies. In March 2025 the district council adopted a by-law ...";
"Following two years of dialogue, repeated delays in the budget cycle and a change of leadership, which had
slowed every decision, the Ministry of Health published guidelines ...". The grammatical subject of the first
sentence, or of a long opening phrase the parser took for one, is then an event, a thing or an abstraction:
no social actor, so no actor that changed. Two rules follow:

1. :func:`is_social_actor`: a subject is a social actor when something says it is one: the registry, an
   organisation, person or group entity, an acronym, an organisation's head word ("Council", "the county
   assembly"), a person by office ("the district commissioner"), a group by role ("residents", "pastoralists",
   "two cooperatives": the head-word tables of :mod:`.rules.people`, their agentive suffixes), or a name (a head
   the tagger reads as a proper noun, or a capital inside a sentence). A head the tagger reads as no proper
   noun, without such a word, is none, capitalised at the sentence start or not ("Floods", "repeated delays",
   "the drought", "The pandemic"): no list of non-actor words; the tagger and the tables of actor words decide.
   Subjects built by the repairs of :mod:`.language.repairs` (a name the parser split, a phrase of another
   language) carry no tag: they stand as they are.
2. :func:`social_only`: where a clause's subjects hold a social actor, the others are dropped ("..., repeated
   delays ..., the Ministry of Health published": the ministry only). :meth:`ActorResolver._story` reads the
   next sentences (up to :data:`TELLING_SENTENCES`; not a quotation) when the first one has no social actor as
   its main subject (none at all, either, unless it starts with a name or a group the rules read:
   :func:`names_an_actor`): the first whose main subject is one tells the change.

Measured on the dev sets (session 15, round 15b): a subject that is no social actor drops no label of gold, dev ..
dev12 where a clause has one; where none has one, dropping it too lost dev4 one label and dev5 two and gave dev7 a
false one (a lower-case group the tables do not hold, "madrasas"; names a list or an apposition carries, "her
factory, X Ltd, pays"): such a subject stays changed when no later sentence tells the change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from . import language, rules
from .language import Subject
from .registry import Registry

# sentences after the first that are parsed, at most, to find the one that tells the change (each only when the
# one before it told none: one parse more for most such fragments)
TELLING_SENTENCES = 3
# entities that name who acts: an organisation, a person, a people or group
_ACTOR_ENTITIES = ("ORG", "PERSON", "NORP")
# a person by office, as people write it in lower case ("the village head", "the district heads")
_OFFICE_WORDS = frozenset({"head", "heads"})


def _singulars(word: str) -> set[str]:
    w = word.lower()
    out = {w}
    if w.endswith("ies"):
        out.add(w[:-3] + "y")
    if w.endswith("es"):
        out.add(w[:-2])
    if w.endswith("s"):
        out.add(w[:-1])
    return out


def _actor_word(word: str) -> bool:
    """A word that names an organisation, a body, a person by office or a group by role, in any case and number
    ("council", "Councils", "officers", "community", "cooperative", "pastoralists")."""
    w = word.strip("'’.,;:()\"").lower()
    if not w:
        return False
    if rules.is_group_head(w) or w in rules.PERSON_HEADS or w in _OFFICE_WORDS or w in rules.ROMANCE_GROUP_HEADS:
        return True
    # (the singular of a group word the table holds in the plural: "the community", "a cooperative"; not by its
    # suffix alone, which a singular thing shares: "pandemic", "event")
    return any(s in language.BODY_HEADS or s in rules.PERSON_HEADS or s.capitalize() in rules.ORG_HEADS
               or s + "s" in rules.GROUP_HEADS or (s.endswith("y") and s[:-1] + "ies" in rules.GROUP_HEADS)
               for s in _singulars(w))


def is_social_actor(text: str, x: Subject, entities: Iterable[tuple[int, int, str]] = (),
                    registry: Registry | None = None) -> bool:
    """Whether the subject ``x`` (its offsets in ``text``) names a social actor: an organisation or a body, a person
    by office, a group by role, or a name; not an event, a thing or an abstraction ("Floods", "repeated delays",
    "the new law"). ``entities`` are the recogniser's (start, end, label) in the same offsets.

    >>> # "Floods in early 2023 destroyed ...": "Floods" tagged NNS, no actor word -> False
    >>> # "Pastoralists now share ...", "the Mzimba District Council adopted ..." -> True
    """
    span = text[x.start:x.end]
    words = span.split()
    if not words:
        return False
    if not x.common:
        # a name (the tagger's proper noun), or a phrase the parse's repairs built: they find actors
        return True
    if registry is not None and registry.match(span):
        return True
    at = re.search(rf"(?<![\w'’-]){re.escape(x.head)}(?![\w'’-])", span)
    head = (x.start + at.start(), x.start + at.end()) if at else (x.start, x.end)
    if any(label in _ACTOR_ENTITIES and a <= head[0] and head[1] <= b for a, b, label in entities):
        return True  # (the entity holds the head: "Cholera cases" are cases, whatever "Cholera" was taken for)
    if any(rules.ACRONYM.fullmatch(w.strip(",.;:()")) for w in words):
        return True
    if x.head[:1].isupper() and text[:x.start].rstrip()[-1:] not in ("", ".", "!", "?", ":", ";", "\n", '"', "“"):
        return True  # a capital inside a sentence marks a name, whatever the tagger made of it
    if any(rules.is_head(w) for w in words[1:] if w[:1].isupper()):
        return True  # "Floods Relief Committee": an organisation's head word inside a capitalised name
    if _names_itself(text, x.end, entities):
        return True  # "the news site X Info", "its buyer, X Fibres SA,": a common noun the name after it stands for
    return _actor_word(x.head)  # (the head alone: "a change of governor" is a change)


# what may stand between a common noun and the name it describes: nothing, or a comma
_BEFORE_NAME = re.compile(r",?\s+")


def _names_itself(text: str, end: int, entities: Iterable[tuple[int, int, str]]) -> bool:
    """Whether a name follows the common noun that ends at ``end`` as its apposition: an organisation, person or
    group entity, or an acronym, right after it (or after a comma)."""
    m = _BEFORE_NAME.match(text, end)
    if m is None:
        return False
    at = m.end()
    if any(a == at and label in _ACTOR_ENTITIES for a, _, label in entities):
        return True
    return rules.ACRONYM.match(text, at) is not None


def social_only(text: str, subs: Sequence[Subject], entities: Iterable[tuple[int, int, str]] = (),
                registry: Registry | None = None) -> list[Subject]:
    """``subs`` without the ones that are no social actor, when at least one is; else all of them (a clause whose
    subjects are all things is left to the caller: :meth:`ActorResolver._story` reads the next sentence)."""
    entities = list(entities)
    social = [x for x in subs if is_social_actor(text, x, entities, registry)]
    return social if social else list(subs)


def names_an_actor(text: str, start: int, end: int, entities: Iterable[tuple[int, int, str]] = (),
                   registry: Registry | None = None) -> bool:
    """Whether the sentence ``text[start:end]`` starts (after a leading phrase) with a name (an entity, the registry,
    a name by rule, an acronym) or a group by role: a sentence without a subject the parse found may still say
    who acted ("In May 2025, HURIA and HSI developed ..."), and the rules read it (:func:`.roles.changed`)."""
    at = rules.subject_start(text, rules.lead_end(text, start, end), end)
    # (or the agent of its passive: "... a budget line ... was voted in June 2025 by the Conseil de la Commune de X")
    return _names_at(text, at, end, entities, registry) \
        or any(_names_at(text, rules.subject_start(text, by, end), end, entities, registry)
               for by in rules.main_passive_agents(text, start, end))


def _names_at(text: str, at: int, end: int, entities, registry: Registry | None) -> bool:
    """A name or a group by role starts at ``at`` (see :func:`names_an_actor`)."""
    return any(label in _ACTOR_ENTITIES and a == at for a, b, label in entities) \
        or any(a == 0 for a, _, _ in (registry.match(text[at:end]) if registry is not None else ())) \
        or any(n.start == 0 for n in rules.org_candidates(text[at:end])) \
        or any(n.start == 0 for n in rules.acronym_spans(text[at:end])) or rules.role_group_at(text, at) is not None


def after_opening(text: str, subs: Sequence[Subject], end: int) -> int | None:
    """Where the main clause may begin after a long opening phrase the parser read as the subject: "After months of
    talks, rising fuel costs and a strike of the drivers, which had stopped every bus, the X Board set new fares"
    (the parser made "rising fuel costs" the subject of "set" and the board a conjunct of "drivers"). The offset
    after the last comma between the subjects ``subs`` (all before it) and their verb, where the words after it
    hold no verb of their own before the main one; None when there is no such comma."""
    if not subs:
        return None
    verb = min(x.verb_start for x in subs)
    last = max(x.end for x in subs)
    comma = text.rfind(",", last, verb)
    if comma < 0 or verb >= end or not text[comma + 1:verb].strip():
        return None
    return comma + 1 + (len(text[comma + 1:verb]) - len(text[comma + 1:verb].lstrip()))
