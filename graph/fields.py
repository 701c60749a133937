"""The one alias table for field names, and how a name as written is matched to a canonical field.

Matching order: exact display name → alias (case-, space- and punctuation-insensitive) → pattern
(e.g. ``Link to <PROG> Specific Objectives``) → fuzzy (rapidfuzz, reported: a close ratio, or one typing slip
when it points to one field only) → unknown (kept, reported).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA


@dataclass(frozen=True)
class FieldSpec:
    key: str  # canonical key used in code and as hg:canonicalField
    display: str  # the name written on export
    aliases: tuple[str, ...] = ()
    kind: str = "text"  # text | multi | rating | flag | year | country | id | derived | ref


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("fragment_id", "FragmentID", ("Fragment ID", "Fragment", "ID", "Outcome ID", "OutcomeID"), "id"),
    FieldSpec("programme", "Programme", ("Program", "Programme code", "Program code", "Project"), "text"),
    FieldSpec("outcome_status", "Outcome status", ("Status",), "text"),
    FieldSpec("harvest_period", "OH-harvesting period", ("Harvesting period", "Harvest period", "OH harvest", "Harvest"), "text"),
    FieldSpec("country", "Country", ("coutnry", "countries", "country of outcome"), "country"),
    FieldSpec("year", "Year", ("Year of outcome", "Outcome year", "Date"), "year"),
    FieldSpec("outcome_description", "Outcome description", ("Outcome", "Description", "Outcome statement", "Description of outcome"), "text"),
    FieldSpec("significance", "Significance of the outcome", ("Significance", "Why is this outcome significant"), "text"),
    FieldSpec("additional_information", "Additional information (use if needed)", ("Additional information", "Additional info", "Other information"), "text"),
    FieldSpec("rating_significance", "Rating significance", ("Significance rating", "Rating of significance"), "rating"),
    FieldSpec("social_actor", "Social actor", ("Social actors", "Social actor category", "Actor category"), "text"),
    FieldSpec("scale", "Scale", ("Level", "Scale of change"), "text"),
    FieldSpec("contribution_programme", "Contribution of the programme", ("Contribution", "Programme contribution", "Contribution of the program", "Program contribution"), "text"),
    FieldSpec("contribution_others", "Contribution of other actors and factors", ("Contribution of other actors", "Other contributions", "Contribution of other factors", "Other actors and factors"), "text"),
    FieldSpec("rating_contribution", "Rating contribution", ("Contribution rating", "Rating of contribution"), "rating"),
    FieldSpec("unintended", "The change was unintended", ("Unintended", "Unintended change", "Was the change unintended"), "flag"),
    FieldSpec("evidence", "Evidence supporting the outcome statement", ("Evidence", "Supporting evidence", "Sources of evidence"), "text"),
    FieldSpec("confidential", "Outcome statements is CONFIDENTIAL", ("Confidential", "Is confidential", "Outcome statement is confidential", "CONFIDENTIAL"), "flag"),
    FieldSpec("rf_outcome", "Link to Outcomes in Results Framework", ("Results framework outcome", "Link to results framework", "RF outcome", "Link to outcome in results framework"), "ref"),
    FieldSpec("objective", "Link to Specific Objectives", ("Specific objective", "Objective", "Objectives", "Link to objectives"), "ref"),
    FieldSpec("story_merged", "StoryFragment_Merged", ("Story fragment merged", "Merged story", "StoryFragment"), "derived"),
    FieldSpec("negative", "Outcome is negative", ("Negative", "Negative outcome", "Is negative"), "flag"),
    FieldSpec("type_of_change", "MCQType of change", ("Type of change", "Types of change", "MCQ Type of change", "TypeOfChange"), "multi"),
    FieldSpec("type_of_change_cluster", "TypeOfChangeCluster", ("Type of change cluster", "Change cluster", "Cluster"), "multi"),
)

BY_KEY: dict[str, FieldSpec] = {f.key: f for f in FIELDS}

# "Link to SCC Specific Objectives", "Link to VOICE specific objective(s)" ...
_OBJECTIVE_PATTERN = re.compile(r"^linkto(?P<prog>[a-z0-9]+)specificobjectives?$")

FUZZY_CUTOFF = 88.0


def squash(name: str) -> str:
    """Case-, space- and punctuation-insensitive form of a field name."""
    return re.sub(r"[^a-z0-9]+", "", name.lower())


@dataclass(frozen=True)
class FieldMatch:
    key: str | None  # None: unknown field
    method: str  # exact | alias | pattern | fuzzy | unknown
    score: float = 100.0
    programme_hint: str | None = None  # from "Link to SCC Specific Objectives"


def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for spec in FIELDS:
        for name in (spec.display, spec.key, *spec.aliases):
            index.setdefault(squash(name), spec.key)
    return index


_ALIASES = _alias_index()
_ALIAS_KEYS = list(_ALIASES)


@lru_cache(maxsize=4096)
def match_field(name: str) -> FieldMatch:
    written = name.strip()
    if not written:
        return FieldMatch(None, "unknown", 0.0)
    for spec in FIELDS:
        if written == spec.display:
            return FieldMatch(spec.key, "exact")
    sq = squash(written)
    if sq in _ALIASES:
        return FieldMatch(_ALIASES[sq], "alias")
    m = _OBJECTIVE_PATTERN.match(sq)
    if m:
        return FieldMatch("objective", "pattern", programme_hint=m.group("prog").upper())
    if len(sq) >= 4:
        best = process.extractOne(sq, _ALIAS_KEYS, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best is not None:
            return FieldMatch(_ALIASES[best[0]], "fuzzy", float(best[1]))
        # One slip of the keyboard (two letters swapped, one missing, extra or wrong: "Counrty") costs a short
        # name more ratio than the cut-off allows; taken when it points to one field only, and not below six
        # letters, where one slip turns a word into another ("Data" is not "Date").
        near = {_ALIASES[k]: k for k in _ALIAS_KEYS if OSA.distance(sq, k, score_cutoff=1) <= 1} if len(sq) >= 6 else {}
        if len(near) == 1:
            key, alias = near.popitem()
            return FieldMatch(key, "fuzzy", float(fuzz.ratio(sq, alias)))
    return FieldMatch(None, "unknown", 0.0)
