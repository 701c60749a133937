"""Names taught by their context: partners ("with support from X", "in partnership with X")
and words written like acronyms."""

from __future__ import annotations

import re

from .. import rules
from ..doc import CONTRIBUTION_FIELDS, FragmentDoc, Mention, ROLE_CONFIDENCE
from ..places import Gazetteer
from ..registry import Registry
from .spans import MONTHS, clean_span, is_place, named_alone, overlaps

def _plural_modifiers(first: list[str], second: list[str]) -> bool:
    """"Bulawayo Vendors and Traders Association": two plural nouns coordinated before one head word are one
    name (who the association is of), not a name that ends in "Vendors" and a second one."""
    return len(first) >= 2 and len(second) == 2 and not rules.is_head(first[-1]) and first[-1].endswith("s") \
        and second[0].endswith("s") and not rules.is_head(second[0]) and rules.is_head(second[1])


def _portfolio_word(first: list[str], second: list[str], registry: Registry) -> bool:
    """"Land and Equity Movement", "Justice and Peace Commission": one capitalised word before "and" (no acronym,
    no registered name) and one word and a head after it are what the name is about, as two plural nouns are; not
    a name of its own ("Tushirikiane and Kisumu Traders Association": a name of three words after it)."""
    return len(first) == 1 and first[0][1:].islower() and first[0].isalpha() and registry.find(first[0]) is None \
        and len(second) == 2 and not rules.is_head(second[0]) and rules.is_head(second[1])


def partners(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """"DFP supported Jonction to document ...", "W4D supported community water committees to measure
    ...": the partner the programme enabled, named by a capitalised name or a role phrase, where no
    earlier finder named it."""
    fld = "contribution_programme"
    text = doc.fields.get(fld)
    if not text:
        return
    for s, e in rules.enabled_partners(text):
        for m in [m for m in doc.mentions if m.field == fld and m.source == "rule" and s <= m.start and m.end <= e]:
            j = re.search(r"\s(?:and|&)\s+(?:the\s+)?(?=[A-Z])", m.text)  # "supported X and Y Network to ...": two
            if j and "," not in m.text and len(m.text[j.end():].split()) >= 2 \
                    and all(w[:1].isupper() for w in m.text[j.end():].split()) \
                    and named_alone(m.text[j.end():].split()) \
                    and not _plural_modifiers(m.text[:j.start()].split(), m.text[j.end():].split()) \
                    and not _portfolio_word(m.text[:j.start()].split(), m.text[j.end():].split(), registry):
                # (not "Foundation for Peace and Development Advocates": a portfolio after the "and")
                old_end = m.end
                m.end = m.start + j.start()
                m.text = text[m.start:m.end]
                doc.mentions.append(Mention(fld, m.start + j.end(), old_end, text[m.start + j.end():old_end], "rule",
                                            method=m.method))
        if overlaps(doc.taken(fld), s, e):
            continue
        if text[s:s + 1].isupper():
            # "supported X, Y and Z to ...": each partner on its own
            for part in re.finditer(r"(?:(?!,\s|\s(?:and|&)\s).)+", text[s:e]):
                ps, pe = s + part.start(), s + part.end()
                words = text[ps:pe].split()
                if not words or len(words) > 6 or not words[0][:1].isupper() \
                        or not all(w[:1].isupper() or w in rules.CONNECTORS or w == "the" for w in words):
                    continue
                cs, ce = clean_span(text, ps, pe)
                name = text[cs:ce]
                if ce - cs < 3 or registry.is_ignored(name) or is_place(doc, gazetteer, name) \
                        or rules.ACRONYM.fullmatch(name) or name.split()[0] in rules.LEADING_STOP \
                        or overlaps(doc.taken(fld), cs, ce):
                    continue
                doc.mentions.append(Mention(fld, cs, ce, name, "rule", method="partner"))
        else:
            role = rules.role_group_at(text, s)
            if role is not None and not registry.is_ignored(role.text):
                doc.mentions.append(Mention(fld, role.start, role.end, role.text, "role", None, "partner",
                                            ROLE_CONFIDENCE))


# A name after a cue: capitalised words, joined by the lower-case words that join a name in English and the
# Romance languages and Dutch ("Semillas para la Democracia", "Haut-Commissariat à l'Initiative 3N", "Servicios del
# Pueblo Mixe"), never by "and" (two names) nor across punctuation.
# (a word with a prefix on a capital: "eTafuleni", as the rules' names; not ending in a full stop: "via X. Drafting
# ..." is two sentences)
_CAP = r"(?:[^\W\d_a-z]|[a-z](?=[^\W\d_a-z]))(?:[\w'’.-]*[\w'’-])?"
_JOIN = rf"(?:{rules.joins.alternation(rules.ALL_JOINS - rules.joins.ENGLISH.and_)})"
_CUED_NAME = re.compile(rf"{_CAP}(?:\s+(?:{_JOIN}\s+)*(?:[dl]['’])?(?:{_CAP}|\d+[^\W\d_]\w*))*")


def cued_names(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """Names a contribution cue introduces where no earlier finder named them, written with no head word a rule
    knows: "the legal review by Ecojustice", "w/ partner Karkara", "tanks designed with Servicios del Pueblo
    Mixe" in a contribution field, "Following advocacy by Sahayog, ..." anywhere. Not a month, a place, a
    word that starts a phrase ("by The", "by March 2025"), nor a span another finder took."""
    for fld, text in doc.fields.items():
        for start in rules.agent_cues(text, fld in CONTRIBUTION_FIELDS):
            m = _CUED_NAME.match(text, start)
            if m is None:
                continue
            cs, ce = clean_span(text, m.start(), m.end())
            owner = re.match(r"[^\s'’]+['’]s\s+", text[cs:ce])
            if owner is not None and rules.ACRONYM.fullmatch(text[cs + owner.end():ce]):
                continue  # "with support from the UK's FCDO": the acronym is the name (the acronym finder's)
            name = text[cs:ce]
            first = name.split()[0] if name.split() else ""
            if ce - cs < 3 or first in MONTHS or first in rules.LEADING_STOP or registry.is_ignored(name) \
                    or rules.ACRONYM.fullmatch(name) or is_place(doc, gazetteer, name) \
                    or overlaps(doc.taken(fld), cs, ce):
                continue
            doc.mentions.append(Mention(fld, cs, ce, name, "rule", method="partner"))
        # "Following advocacy by women with disabilities, ...", "The petitions by the market queens was the main
        # factor": a group by role whose advocacy the change followed acted for it, as a named body does, in any
        # field (not any phrase: "financed by donors", "organised by civil society organisations" tell of other
        # things outside the contribution fields)
        for cue in _GROUP_CUE.finditer(text):
            role = rules.role_group_at(text, cue.end(), acting=True)
            if role is not None and rules.contributions.advocacy_by(text, cue.end()) \
                    and not registry.is_ignored(role.text) and not overlaps(doc.taken(fld), role.start, role.end):
                doc.mentions.append(Mention(fld, role.start, role.end, role.text, "role", None, "partner",
                                            ROLE_CONFIDENCE))


# (an article after "by" only: "petitions by the market queens"; "pressure of the companies" is no doer's)
_GROUP_CUE = re.compile(r"(?<![\w-])(?:by\s+(?:the\s+)?|(?:of|from)\s+)(?=[a-z])")


def acronyms(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """Words written like acronyms (KHRC, GWED-G, JA!), resolved later by what the fragment teaches."""
    for fld, text in doc.fields.items():
        doc.mentions += [Mention(fld, a.start, a.end, a.text, "acronym", None, "acronym", 0.9)
                         for a in rules.acronym_spans(text, doc.taken(fld))]
