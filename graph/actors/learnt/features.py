"""Features of a changed-actor candidate (55 of them), each with a reason a reader can check. All are 0/1 or
small numbers; :data:`NAMES` fixes their order (the model's coefficients follow it).

The grammatical role is read from the parse of the outcome description's first sentence (the only one
parsed): the head of the candidate's first mention there is the token whose governor lies outside it.
"""

from __future__ import annotations

import math
import re

from .. import language, rules
from ..doc import CONTRIBUTION_FIELDS, FragmentDoc
from ..places import Gazetteer
from . import spans
from .candidates import FIELD, Candidate

# the preposition a noun is the object of, in classes that say something about its role
_PREP_CLASS = {"by": "by", "with": "with", "from": "with", "through": "with", "alongside": "with",
               "to": "to", "for": "to", "towards": "to", "of": "of", "among": "of"}
_COUNTED = re.compile(r"(?:\d[\d,.]*|some|many|most|several|all|few|more|fewer|half|hundreds|thousands|dozens)"
                      r"(?:\s+of(?:\s+the)?)?\s+$", re.I)
_CONTRIB_VERBS = frozenset(rules.CONTRIBUTION_VERBS.split("|"))
_SOURCES = ("registry", "rule", "entity", "subject", "role", "acronym", "programme", "opening", "agent", "extended")

NAMES = (
    "bias",
    # the rules' own decision: the precision layer, as a feature
    "ruled",
    # position
    "first_sentence", "later_sentence", "offset_words",
    # grammatical role of the head (first sentence)
    "dep_nsubj", "dep_nsubjpass", "dep_conj_subj", "dep_agent", "dep_dobj", "dep_pobj_with", "dep_pobj_to",
    "dep_pobj_of", "dep_pobj_other", "dep_modifier", "no_parse",
    "main_subject", "second_clause_subject", "gov_contribution_verb",
    # what found it
    *(f"src_{s}" for s in _SOURCES), "new", "overlaps_ruled", "contains_ruled", "inside_ruled", "overlaps_found",
    # shape
    "capitalised", "acronym", "n_words", "group_head", "body_head", "person", "place",
    "ent_org", "ent_norp", "ent_person", "ent_gpe",
    # elsewhere in the fragment
    "mentions", "in_contribution_fields", "contribution_phrase_before", "counted",
    # a date read as a name ("Feb 2025: ...", "Jan 2025 Bank Sampah ...": telegraphic records)
    "date_word",
    # where it stands in the first sentence's opening phrase (the words before its first verb), read from the
    # text: the parse of telegraphic and non-English records is often wrong
    "at_opening_start", "before_verb", "whole_opening", "joined_part", "after_date",
)
_JOINED_AFTER = re.compile(r"\s*(?:,|\+|&|and\b)\s*(?:the\s+)?[\w(]")
_JOINED_BEFORE = re.compile(r"(?:,|\+|&|\band)\s*(?:the\s+)?$")
_DATE_WORD = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?|\d{4}", re.I)


def features(doc: FragmentDoc, c: Candidate, gazetteer: Gazetteer, others: list[Candidate] = (),
             tokens: list[tuple] = ()) -> list[float]:
    """The feature vector of ``c`` in the order of :data:`NAMES`; ``others``: the fragment's other candidates,
    ``tokens``: the roles of the parsed sentence (:func:`.parse.tokens`)."""
    f = dict.fromkeys(NAMES, 0.0)
    text = doc.fields[FIELD]
    m = c.first
    f["bias"] = 1.0
    f["ruled"] = float(c.ruled)
    sents = rules.sentences(text)
    s0, e0 = sents[0] if sents else (0, len(text))
    f["first_sentence"] = float(s0 <= m.start < e0)
    f["later_sentence"] = 1.0 - f["first_sentence"]
    lead = rules.lead_end(text, s0, e0) if sents else 0
    f["offset_words"] = math.log1p(len(text[lead:m.start].split())) / 3 if m.start >= lead else 0.0
    head = _head(list(tokens), m.start, m.end)
    if head is None:
        f["no_parse"] = 1.0
    else:
        dep, gov, gov_dep, gov2 = head[2], head[5], head[6], head[7]
        if dep == "nsubj":
            f["dep_nsubj"] = 1.0
        elif dep == "nsubjpass":
            f["dep_nsubjpass"] = 1.0
        elif dep == "conj" and gov_dep in ("nsubj", "nsubjpass"):
            f["dep_conj_subj"] = 1.0
        elif dep == "pobj" and gov_dep == "agent":
            f["dep_agent"] = 1.0
        elif dep == "dobj":
            f["dep_dobj"] = 1.0
        elif dep == "pobj":
            f[f"dep_pobj_{_PREP_CLASS.get(gov, 'other')}"] = 1.0
        else:
            f["dep_modifier"] = 1.0
        verb = gov2 if dep in ("pobj", "conj") else gov
        f["gov_contribution_verb"] = float(verb in _CONTRIB_VERBS)
    for x in doc.subjects.get(FIELD, []):
        if x.start < m.end and m.start < x.end:
            f["main_subject" if x.main else "second_clause_subject"] = 1.0
            break
    src = "registry" if m.method in ("registry", "fuzzy") else c.kind if c.new else m.source
    if src in ("apposition", "short_form", "partner"):
        src = "rule"
    if f"src_{src}" in f:
        f[f"src_{src}"] = 1.0
    f["new"] = float(c.new)
    if c.new:  # another extent of words a finder took: longer or shorter than the rules' choice
        for o in others:
            for x in o.mentions:
                if x.start < m.end and m.start < x.end:
                    f["overlaps_found"] = 1.0
                    if o.ruled:
                        f["overlaps_ruled"] = 1.0
                        if m.start <= x.start and x.end <= m.end:
                            f["contains_ruled"] = 1.0
                        elif x.start <= m.start and m.end <= x.end:
                            f["inside_ruled"] = 1.0
    words = m.text.split()
    f["capitalised"] = float(m.text[:1].isupper())
    f["acronym"] = float(bool(rules.ACRONYM.fullmatch(m.text)) or bool(c.actor.acronym))
    f["n_words"] = min(len(words), 8) / 4
    last = words[-1].rstrip("'’") if words else ""
    f["group_head"] = float(rules.is_group_head(last))
    f["body_head"] = float(last.lower() in language.BODY_HEADS or last.lower().rstrip("s") in language.BODY_HEADS)
    f["person"] = float(c.actor.kind == "individual" or last.lower() in rules.PERSON_HEADS)
    countries = doc.countries()
    f["place"] = float(any(p.country in countries or p.is_country for p in gazetteer.candidates(m.text, countries)))
    for s, e, label in doc.entities.get(FIELD, []):
        if s < m.end and m.start < e and f"ent_{label.lower()}" in f:
            f[f"ent_{label.lower()}"] = 1.0
    f["mentions"] = min(len(c.mentions), 4) / 2
    names = {c.actor.name}
    f["in_contribution_fields"] = float(any(x.field in CONTRIBUTION_FIELDS and x.actor is not None
                                            and x.actor.name in names for x in doc.mentions))
    f["contribution_phrase_before"] = float(rules.contributes_by_phrase(text, m.start))
    f["counted"] = float(bool(_COUNTED.search(text[max(0, m.start - 20):m.start])))
    f["date_word"] = float(bool(words) and bool(_DATE_WORD.fullmatch(words[0].rstrip(":,"))))
    if sents and s0 <= m.start < e0:
        start, after_date = spans.opening_start(text, lead)
        verb = spans._verb_at(text, list(tokens), start, e0)
        f["at_opening_start"] = float(m.start == start)
        f["before_verb"] = float(verb is not None and m.end <= verb and len(text[m.end:verb].split()) <= 1)
        f["whole_opening"] = f["at_opening_start"] * f["before_verb"]
        f["joined_part"] = float(bool(_JOINED_AFTER.match(text, m.end)) or bool(_JOINED_BEFORE.search(text[max(0, m.start - 12):m.start])))
        f["after_date"] = float(after_date and m.start == start)
    return [f[n] for n in NAMES]


def _head(nouns: list[tuple], s: int, e: int) -> tuple | None:
    """The noun of a span whose governor lies outside it (the last such: the head of "the X of Y" is X,
    governed from outside; ties go to the first)."""
    inside = [n for n in nouns if s <= n[0] and n[1] <= e and n[3][:2] in ("NN", "PR", "CD")]
    outer = [n for n in inside if not s <= n[4] < e]
    return outer[0] if outer else (inside[-1] if inside else None)
