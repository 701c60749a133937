"""The precision layer's finders: registry names and aliases, and the programme's own phrases."""

from __future__ import annotations

from .. import rules
from ..doc import FragmentDoc, Mention
from ..places import Gazetteer
from ..registry import Registry
from .spans import overlaps

def registry_matches(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """Names, aliases and acronyms the registry knows."""
    for fld, text in doc.fields.items():
        doc.mentions += [Mention(fld, s, e, text[s:e], "registry", a, "registry", 1.0) for s, e, a in registry.match(text)]


def programme_phrases(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """"the programme", "Programme staff": the programme whose harvest it is."""
    if doc.programme is None:
        return
    for fld, text in doc.fields.items():
        taken = doc.taken(fld)
        doc.mentions += [Mention(fld, p.start, p.end, p.text, "programme", doc.programme, "programme", 0.9)
                         for p in rules.programme_phrases(text) if not overlaps(taken, p.start, p.end)]
