"""Acronyms: tokens written like acronyms (KHRC, GWED-G, JA!), the "(ACR)" a name teaches, and the
initials of a name."""

from __future__ import annotations

import re

from .names import COMPLEMENT_START, extend_name
from .text import Span


_ACRONYM = re.compile(r"(?<![\w-])(?=[A-Za-z]*[A-Z][A-Za-z]*[A-Z])[A-Z][A-Za-z]{0,3}[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)?"
                      r"!?(?![\w-])")


_PAREN_ACRONYM = re.compile(r"\s*\(\s*(?P<acr>[A-Z][\w!&.\-]{0,14}[\w!](?: [A-Z][a-z]+)?)\s*\)")


def acronym_spans(text: str, blocked: list[tuple[int, int]] = ()) -> list[Span]:
    """Tokens written like acronyms (KHRC, GWED-G, JA!, MoWCA), outside ``blocked``; a country or
    region word after one is part of the name ("MISA Zambia", "ICJ Kenya")."""
    out = []
    for m in _ACRONYM.finditer(text):
        if not any(a < m.end() and m.start() < b for a, b in blocked):
            e = extend_name(text, m.end(), blocked, complement=False)
            out.append(Span(m.start(), e, text[m.start():e]))
    return out


def paren_acronym_after(text: str, end: int) -> Span | None:
    """"Kenya Human Rights Commission (KHRC)": the acronym a name teaches for the rest of the record."""
    m = _PAREN_ACRONYM.match(text, end)
    if not m:
        return None
    return Span(m.start("acr"), m.end("acr"), m.group("acr"))


def initials(name: str) -> str:
    """"Resident District Commissioner of Arua" → "RDC" (capitalised words before any complement)."""
    words = []
    for w in re.findall(r"[^\W\d_][\w'’-]*", name):
        if w in COMPLEMENT_START:
            break
        if w[0].isupper():
            words.append(w[0])
    return "".join(words)
