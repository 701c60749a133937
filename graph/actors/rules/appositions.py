"""Names an organisation noun stands beside ("the NGO Erdem Tusgal", "Nodi o Jibon, a local NGO, ..."),
and capitalised words standing alone (possible short forms of a name written in full earlier)."""

from __future__ import annotations

import re

from .acronyms import ACRONYM
from .names import LEADING_STOP, _capitalised, is_head
from .text import Span, _tokens


# Common nouns that say what kind of organisation a name is, written next to it as an apposition: "the
# NGO Erdem Tusgal", "the newspaper Vremea Nouă", "Nodi o Jibon, a local NGO, ...". The noun is the
# organisation word that names in other languages lack ("Së Bashku", "Tostan").
ORG_NOUNS = ("NGOs?|CSOs?|CBOs?|INGOs?|organi[sz]ations?|associations?|network|newspapers?|daily|weekly|radio station|"
             "station|news site|broadcaster|outlet|enterprise|operator|initiative|cooperative|co-operative|union|company|firm|foundation|"
             "movement|platform|coalition|collective|federation|charity|alliance|forum|trust|consortium|group|"
             "committee|council|club|society|institute|university|centre|center|think tank|agency|chapter|"
             "magazine|portal|website|channel|party|church|mosque|clinic|hospital|school|bank|utility|cooperative")


_APPOS_WORD = r"(?:(?:al|el|ad|ar|as|an|at|az|ash|lil|bil|wal)-)?(?:[A-ZÀ-ÝĀ-Ž][\w'’.\-]*[\w]|[A-Z](?:[\w'’\-]*[\w])?)"


# lower-case words inside such names ("Nodi o Jibon", "Jeunesse et Développement"); not "of": "Benkadi of
# Sévaré" is Benkadi, located
_APPOS_NAME = (rf"{_APPOS_WORD}(?:[ ](?:(?:o|ni|na|ya|wa|za|cha|kwa|de|del|des|du|la|le|les|los|las|da|do|dos|das|e|"
               rf"i|y|ve|al|el|di|u|et|pour|en|au|sur|ng|sa|a)[ ])?{_APPOS_WORD}){{0,6}}")


# (the noun with whom it gathers: "the association of shellfish gatherers Mar de Cambados", a plural of people)
_APPOS_BEFORE = re.compile(rf"\b(?P<noun>(?:{ORG_NOUNS})(?:[ ]of[ ](?:[a-z][\w'’-]*[ ])?[a-z][\w'’-]*(?:ers|ists|ants|ents|"
                           rf"men|women|people|s['’]))?)[ ](?P<name>{_APPOS_NAME})(?![\w'’-])"
                           rf"(?:[ ]and[ ](?P<second>{_APPOS_NAME})(?![\w'’-]))?")


# the writer's own organisation, named after a comma ("by our organisation, Tesfa Water Action, ...", "our partner
# NGO, the X, ..."): the partner that writes the harvest names itself
OUR_ORGANISATION = re.compile(rf"\b[Oo]ur[ ](?:own[ ]|local[ ]|partner[ ])*(?:{ORG_NOUNS}),[ ](?:the[ ])?$")
_OURS = re.compile(rf"\b[Oo]ur[ ](?:own[ ]|local[ ]|partner[ ])*(?:{ORG_NOUNS}),[ ](?:the[ ])?(?P<name>{_APPOS_NAME})"
                   rf"(?![\w'’-])")

_APPOS_AFTER_HINT = re.compile(r",[ ](?:a|an|the)[ ]")


_APPOS_AFTER = re.compile(rf"(?P<name>{_APPOS_NAME}),[ ](?:a|an|the)[ ](?:[\w'’-]+[ ]){{0,4}}?(?:{ORG_NOUNS})\b")


def apposed_names(text: str, blocked: list[tuple[int, int]] = (),
                  nouns: list[tuple[int, int]] | None = None) -> list[Span]:
    """Names an organisation noun stands beside: "the NGO Erdem Tusgal", "the mobile operator Telma",
    "the women's associations Jigiya Ton and Benkadi", "Nodi o Jibon, a local NGO, organised ...".
    Outside ``blocked``; not a name that starts a sentence with a word that never starts a name.
    ``nouns`` receives the spans of the nouns written before a name (the descriptor, not an actor)."""
    out: list[Span] = []
    # "X, a local NGO": the name-led pattern costs ~55 us a text; ", a " is absent from 730 of 750 dev field
    # texts (2026-11-30) and costs 0.5 us to look for
    for rx in (_APPOS_BEFORE, _OURS, _APPOS_AFTER) if _APPOS_AFTER_HINT.search(text) else (_APPOS_BEFORE, _OURS):
        for m in rx.finditer(text):
            spans = [m.span("name")]
            if rx is _APPOS_BEFORE and m.group("second") and m.group("noun").endswith("s"):
                spans.append(m.span("second"))  # a plural noun: a list of names
            for s, e in spans:
                span = _apposed(text, s, e, blocked)
                if span is not None:
                    out.append(span)
                    if nouns is not None and rx is _APPOS_BEFORE:
                        nouns.append(m.span("noun"))
    return out


_NAME_ARTICLES = frozenset("El La Los Las Le Les Il Lo O Os Die Der Das".split())


def _apposed(text: str, s: int, e: int, blocked: list[tuple[int, int]]) -> Span | None:
    """The name at ``s:e`` without leading words that never start a name; None if nothing is left, it is
    blocked, or it is a lone acronym (the acronym rules resolve those)."""
    words = text[s:e].split()
    # (not an article of another language that opens the name: "the digital newspaper El Faro", "La Prensa")
    while words and words[0] in LEADING_STOP and not (words[0] in _NAME_ARTICLES and len(words) >= 2):
        s += len(words[0]) + 1
        words = words[1:]
    if not words or e - s < 3 or any(a < e and s < b for a, b in blocked) \
            or (len(words) == 1 and ACRONYM.fullmatch(words[0])) or is_head(words[0]):
        return None  # "NGO Forum on Cambodia", "the network Red de ...": a name the name rules read whole
    return Span(s, e, text[s:e])


def isolated_words(text: str, blocked: list[tuple[int, int]] = ()) -> list[Span]:
    """Single capitalised words standing alone ("Amnesty hired an expert"): possible short forms of a
    name written in full earlier in the record."""
    toks = _tokens(text)
    out = []
    for i, (s, e, w) in enumerate(toks):
        if not (w[0].isupper() and w.isalpha() and len(w) >= 4 and not w.isupper()) or w in LEADING_STOP:
            continue
        if any(a < e and s < b for a, b in blocked):
            continue
        prev_cap = i > 0 and _capitalised(toks[i - 1][2]) and text[toks[i - 1][1]:s] == " "
        next_cap = i + 1 < len(toks) and _capitalised(toks[i + 1][2]) and text[e:toks[i + 1][0]] == " "
        if not prev_cap and not next_cap:
            out.append(Span(s, e, w))
    return out
