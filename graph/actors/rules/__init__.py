"""Rules that find actors, roles and outcome links in the prose of an OH record.

Pure text functions, no registry and no graph: :mod:`harvestgraph.actors.resolver` combines them with the
registry into a :class:`~harvestgraph.resolve.Resolution`. All offsets are character offsets in the
normalised field value (what ``Fragment.text_fields()`` returns), so a mention can be shown in place.

The rules are general English patterns of OH writing, not tuned to particular records:

* organisations are capitalised names ending in an organisational head word ("... Network",
  "Ministry of ...", "... Lda"), optionally followed by an "of/for/on ..." complement;
* the social actors that changed are the grammatical subject(s) of the outcome description;
* contributors are named in the contribution fields, or anywhere in "supported by X", "with support
  from X", "X trained/provided/funded ...";
* the target of advocacy ("a meeting with X", "complained to X") is not a contributor.

One module per concern:

- :mod:`.text` — :class:`Span` and tokens;
- :mod:`.sentence_parts` — sentences, clauses, leading phrases, where a subject begins;
- :mod:`.joins` — the joining words of names, one table per language, by the part each plays;
- :mod:`.names` — organisation names by rule (head words, complements, trailing country words), their kind;
- :mod:`.acronyms` — acronyms, "(ACR)" after a name, initials;
- :mod:`.people` — people and groups by role;
- :mod:`.contributions` — contribution cues, targets of advocacy, coordinated subjects;
- :mod:`.appositions` — names beside an organisation noun, isolated capitalised words.

This package re-exports the names the finders, roles and tests use (``rules.sentences``, ``rules.is_head`` ...).
"""

from __future__ import annotations

from .text import (  # noqa: F401
    Span,
)
from .sentence_parts import (  # noqa: F401
    sentences, clauses, sentence_of, bullet_end, time_lead_end, lead_end, place_lead_end, subject_start, note_colon,
    ACTIVE_VERB_AFTER, ROMANCE_VERB_AFTER, later_subject_starts, FIELD_LABEL, unpunctuated, main_passive_agents,
)
from . import contributions, joins  # noqa: F401
from .joins import ALL_JOINS, JOINS_TWO_NAMES, BETWEEN_CAPITALS  # noqa: F401
from .names import (  # noqa: F401
    ORG_HEADS, PREFIX_HEADS, DOC_WORDS, CONNECTORS, COMPLEMENT_START, LEADING_STOP, FOREIGN_OPENERS, NAME_ADJECTIVES, is_head,
    SUBUNIT_HEADS, OF_THE_HEADS, org_candidates, REGIONS, extend_name, kind_of, unit_after, owned_start,
    cut_from_owner, an_amount,
)
from .acronyms import (  # noqa: F401
    ACRONYM, acronym_spans, paren_acronym_after, acronym_before, initials, defined_names, defines_acronym, spelt_by,
)
from .people import (  # noqa: F401
    ROLE_HEADS, GROUP_HEADS, ROMANCE_GROUP_HEADS, is_group_head, is_office_plural, role_group_at, romance_group_at,
    indonesian_group_at, tagalog_group_at, kind_complement_end, PERSON_HEADS, role_name, COUNTED_BEFORE, NUMBER, NUMBER_BEFORE,
)
from .contributions import (  # noqa: F401
    CONTRIBUTION_VERBS, CONTRIBUTION_VERB_WORDS, acts_after, FRAGMENT_REF, agent_cues, enabled_partners, contributes_by_phrase, contributes_by_trigger, contributes_by_verb, is_target,
    joins_list, next_subject, created_object, programme_phrases, fragment_refs, context_sentences,
)
from .appositions import (  # noqa: F401
    ORG_NOUNS, OUR_ORGANISATION, apposed_names, isolated_words,
)

RULES_VERSION = "1"
