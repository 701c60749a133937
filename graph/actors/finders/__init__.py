"""Candidate finders: small named components, each adding the mentions it finds to a
:class:`~harvestgraph.actors.doc.FragmentDoc`, in the order the pipeline lists them. A finder never
takes a span an earlier one took (the registry first: it is the precision layer), except that an
entity or a grammatical subject may complete a rule's name that stopped short ("Heifer International"
→ "Heifer International Nepal").

Each finder is a plain function ``finder(doc, registry, gazetteer)``; :data:`FINDERS` names them. One
module per kind of evidence: :mod:`.registered` (the registry, the programme), :mod:`.names` (names
written as names: rules, definitions, entities), :mod:`.grammar` (the parse's subjects and role
phrases), :mod:`.context` (partners, names a contribution cue introduces, acronyms), :mod:`.glosses` (a name in its
own language before its English gloss), :mod:`.learnt` (the learnt span model), :mod:`.lists` (lists of subjects);
:mod:`.spans` holds what they share.
"""

from __future__ import annotations

from collections.abc import Callable

from ..doc import FragmentDoc
from ..places import Gazetteer
from ..registry import Registry
from ..rules import is_group_head  # noqa: F401  (re-exported: tests and callers name it here)
from .context import acronyms, cued_names, partners
from .glosses import glossed_names
from .learnt import learnt_spans
from .names import entities, org_names
from .registered import programme_phrases, registry_matches
from .grammar import role_phrases, subjects
from .lists import subject_list

FINDERS: dict[str, Callable[[FragmentDoc, Registry, Gazetteer], None]] = {
    "registry": registry_matches,
    "programme": programme_phrases,
    "rule": org_names,
    "entity": entities,
    "subject": subjects,
    "role": role_phrases,
    "partner": partners,
    "cued": cued_names,
    "acronym": acronyms,
    "gloss": glossed_names,
    "learnt": learnt_spans,
    "list": subject_list,
}
