"""Spans the finders do not propose, for the learnt decision to weigh (raising the candidate recall, the
ceiling of any decision): the parts of the phrase before the first sentence's verb, and the agent of a
passive verb ("... was opened by X"). Telegraphic and non-English records defeat the parse ("Jan 2025
Bank Sampah Induk Sumber Rejeki + DLH Kota Malang signed ..."), so these are read from the text, with the
parse's verbs (where the phrase ends) when there are any.

Each part is cleaned of a leading date ("Jan 2025", "Mar 2025:"), an article and a bracket; a part that
starts in lower case and ends in a capitalised name also gives the name alone ("online outlets Sugbo
Today"). A name is extended through the joining words of names ("de", "y", "u", "para" ...) when
capitalised words follow ("Hospital Regional Universitario José María Cabral y Báez").
"""

from __future__ import annotations

import re

from .. import rules

_DATE = re.compile(r"(?:(?:in|since|from|by|on|as of)\s+)?(?:(?:early|mid|late|end of)[\s-]+)?"
                   r"(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
                   r"(?:\s+\d{1,2})?,?\s+\d{4}\s*[:,;-]?\s*|\d{4}\s*[:,-]\s*", re.I)
_ARTICLE = re.compile(r"(?:the|a|an|las|los|les|la|le|el|os|as)\s+", re.I)
_SPLIT = re.compile(r"\s*(?:,|\+|&|\band\b|\by\b(?=\s+(?:the|la|el|los|las)\b))\s*")
_JOIN = r"(?:de|del|des|du|da|do|dos|das|di|y|e|et|u|a|para|pour|pela|pelo|of|for|on|the|la|el|los|las|le|d['’])"
_CAP = r"[A-ZÀ-ÝĀ-Ž][\w'’.-]*"
_NAME_TAIL = re.compile(rf"(?:\s+{_JOIN})+\s+{_CAP}(?:\s+{_CAP})*")
_TRAILING_NAME = re.compile(rf"(?:^|\s)({_CAP}(?:\s+(?:{_JOIN}\s+)?{_CAP})*)$")
_FINITE = ("VBD", "VBZ", "VBP", "MD")
MAX_WORDS = 14


def first_sentence_spans(text: str, tokens: list[tuple]) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the spans of the outcome description's first sentence: kind "opening" (a part
    of the phrase before the verb), "agent" (after "by" at a passive verb), "extended" (a capitalised
    name carried through its joining words)."""
    sents = rules.sentences(text)
    if not sents:
        return []
    s0, e0 = sents[0]
    start, _ = opening_start(text, rules.lead_end(text, s0, e0))
    out: list[tuple[int, int, str]] = []
    verb = _verb_at(text, tokens, start, e0)
    if verb is not None and verb > start:
        for ps, pe in _parts(text, start, verb):
            out += [(a, b, "opening") for a, b in _cleaned(text, ps, pe)]
    for m in re.finditer(r"\b(?:was|were|been|being|is|are)\s+(?:\w+\s+){0,2}?\w+ed\b[^.;]*?\bby\s+", text[s0:e0]):
        a = s0 + m.end()
        n = re.match(rf"(?:the\s+)?{_CAP}(?:\s+(?:{_JOIN}\s+)*{_CAP})*", text[a:e0])
        if n:
            out += [(a2, b2, "agent") for a2, b2 in _cleaned(text, a, a + n.end())]
    for m in re.finditer(rf"{_CAP}(?:\s+{_CAP})*", text[s0:e0]):
        a, b = s0 + m.start(), s0 + m.end()
        t = _NAME_TAIL.match(text, b, e0)
        if t and len(text[a:t.end()].split()) <= MAX_WORDS:
            out.append((a, t.end(), "extended"))
    seen, uniq = set(), []
    for a, b, k in out:
        if (a, b) not in seen and b - a >= 3:
            seen.add((a, b))
            uniq.append((a, b, k))
    return uniq


def opening_start(text: str, lead: int) -> tuple[int, bool]:
    """Where the opening phrase's first word is, after a leading date and an article (``lead``: after a
    leading phrase, :func:`rules.lead_end`), and whether a date stood before it."""
    start = lead
    d = _DATE.match(text, start)
    if d:
        start = d.end()
    a = _ARTICLE.match(text, start)
    if a:
        start = a.end()
    # (rules.lead_end takes a date written before the clause as a leading phrase since pipeline 7)
    before = re.search(r"(?:19|20)\d{2}\s*[:,\u2013\u2014-]?\s*$", text[max(0, lead - 12):lead])
    return start, d is not None or before is not None


def _verb_at(text: str, tokens: list[tuple], s: int, e: int) -> int | None:
    """Where the first finite verb after ``s`` starts (the parse's tags; a past participle in lower case
    too, the telegraphic "X approved ..." the parser reads as a participle), else None."""
    for t in tokens:
        if s < t[0] < e and (t[3] in _FINITE or (t[3] == "VBN" and t[2] in ("ROOT", "acl", "conj"))) \
                and text[t[0]:t[0] + 1].islower():
            return t[0]
    return None


def _parts(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """The phrase between ``s`` and ``e`` cut at commas, "and", "+" and "&"; the whole phrase too."""
    out = [(s, e)]
    pos = s
    for m in _SPLIT.finditer(text, s, e):
        out.append((pos, m.start()))
        pos = m.end()
    if pos != s:
        out.append((pos, e))
    return out


def _cleaned(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """The part without a leading date or article, a bracket or what follows it, trailing punctuation; and
    its trailing capitalised name when it starts in lower case."""
    d = _DATE.match(text, s, e)
    if d:
        s = d.end()
    a = _ARTICLE.match(text, s, e)
    if a:
        s = a.end()
    b = text.find("(", s, e)
    if b > s:
        e = b
    while e > s and text[e - 1] in " .,;:-'’\"":
        e -= 1
    if e - s < 3 or len(text[s:e].split()) > MAX_WORDS:
        return []
    out = [(s, e)]
    if text[s:s + 1].islower():
        t = _TRAILING_NAME.search(text[s:e])
        if t and t.start(1) > 0:
            out.append((s + t.start(1), e))
    return out
