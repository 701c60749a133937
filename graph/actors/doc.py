"""The shared object the extraction components work on, as spaCy's components share a ``Doc``: one
fragment's free-text fields, what the language pipeline read in them, and the mentions found so far.

Every mention carries the name of the component that found it (``method``), which is written to the
graph as the mention's provenance (``hg:extractionMethod``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Problem
from ..normalise import Fragment
from .language import Subject
from .model import Actor

RULE_CONFIDENCE = 0.7  # a new organisation found by a rule or the language pipeline
ROLE_CONFIDENCE = 0.6  # people by role ("county officials")
CONTRIBUTION_FIELDS = ("contribution_programme", "contribution_others")

# Provenance of a mention: "field" (the programme, from the FragmentID), "registry" and "fuzzy" (the
# registry), or the candidate finder that found it. Kept in step with ontology/shapes.ttl.
METHODS = ("field", "registry", "fuzzy", "rule", "programme", "entity", "subject", "role", "partner", "cued", "acronym",
           "short_form", "gloss", "learnt", "list")


@dataclass
class Mention:
    field: str
    start: int
    end: int
    text: str
    source: str  # the finder: registry | programme | apposition | rule | entity | subject | role | acronym | short_form
    actor: Actor | None = None
    method: str = "rule"
    confidence: float = RULE_CONFIDENCE


@dataclass
class FragmentDoc:
    fragment: Fragment
    fields: dict[str, str]
    programme: Actor | None = None
    # what the language pipeline read, per field, offsets in the field text
    sentences: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    parsed_sentences: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # the ones parsed
    entities: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    subjects: dict[str, list[Subject]] = field(default_factory=dict)
    english: dict[str, bool] = field(default_factory=dict)
    # the sentence of the outcome description that tells the change: the first, or the second after a first
    # sentence about a person ("Shirin Akter used to work ... Now her factory, X Ltd, pays ...")
    outcome_sentence: int = 0
    mentions: list[Mention] = field(default_factory=list)
    blocked: list[tuple[str, int, int]] = field(default_factory=list)  # names on the ignore list
    # the spans of the list of subjects that opens the sentence telling the change, and of its passive's agents
    # (start, end, agent: :mod:`.finders.lists`)
    subject_list: list[tuple[int, int, bool]] = field(default_factory=list)
    # the names the finders read in the English gloss of a name written in its own language (field, start, end:
    # :mod:`.finders.glosses`): no actor, and no place of the outcome either (the name's words in English)
    glosses: list[tuple[str, int, int]] = field(default_factory=list)
    changed: list[Mention] = field(default_factory=list)
    contributors: list[Mention] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def countries(self) -> list[str]:
        f = self.fragment
        return [c.code for c in (f.country, *f.other_countries) if c is not None]

    def telling_sentence(self) -> tuple[int, int] | None:
        """The (start, end) of the outcome description's sentence that tells the change (``outcome_sentence``), or
        None where the description is empty."""
        from . import rules

        sents = rules.sentences(self.fields.get("outcome_description") or "")
        return sents[min(self.outcome_sentence, len(sents) - 1)] if sents else None

    def taken(self, fld: str) -> list[tuple[int, int]]:
        return [(m.start, m.end) for m in self.mentions if m.field == fld] + \
            [(s, e) for f, s, e in self.blocked if f == fld]

    def warn(self, fld: str, message: str) -> None:
        raw = self.fragment.raw
        rf = raw.first(fld)
        p = Problem(raw.source_file, rf.line if rf else raw.line, rf.name.strip() if rf else fld, message)
        if p not in self.warnings:
            self.warnings.append(p)
