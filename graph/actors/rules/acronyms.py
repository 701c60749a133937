"""Acronyms: tokens written like acronyms (KHRC, GWED-G, JA!), the "(ACR)" a name teaches, and the
initials of a name."""

from __future__ import annotations

import re

from .joins import ALL_JOINS
from .names import COMPLEMENT_START, extend_name
from .text import Span


# an acronym: a word with two capitals or more, the first one its first letter ("UNICEF", "KEWASCO", "FCDO", "NaCCA",
# "GWED-G", "JA!"); the finders and rules ask whether a word or a name is one (``ACRONYM.fullmatch``)
ACRONYM = re.compile(r"(?<![\w-])(?=[A-Za-z]*[A-Z][A-Za-z]*[A-Z])[A-Z][A-Za-z]{0,3}[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)?"
                     r"!?(?![\w-])")


_PAREN_ACRONYM = re.compile(r"\s*\(\s*(?P<acr>[A-Z][\w!&.\-]{0,14}[\w!](?: [A-Z][a-z]+)?)\s*\)")


def acronym_spans(text: str, blocked: list[tuple[int, int]] = ()) -> list[Span]:
    """Tokens written like acronyms (KHRC, GWED-G, JA!, MoWCA), outside ``blocked``; a country or
    region word after one is part of the name ("MISA Zambia", "ICJ Kenya")."""
    out = []
    for m in ACRONYM.finditer(text):
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


def defines_acronym(text: str, start: int, end: int) -> bool:
    """Whether the name at ``start:end`` is followed by a bracketed acronym of three letters or more that its
    words spell ("Instituto de Ciencia y Tecnología Agrícolas (ICTA)"): the writer says the words are one name."""
    acr = paren_acronym_after(text, end)
    if acr is None:
        return False
    letters = _letters(acr.text.split()[0])
    return len(letters) >= 3 and _spells(text[start:end], letters)


# "The HAAC, Haute Autorité de ..., has lifted", "supported the FIAPH, Fédération Ivoirienne ..., to": an acronym
# written first, its name in apposition after a comma
_ACRONYM_THEN_COMMA = re.compile(r"(?<![\w-])(?P<acr>[A-Z][A-Za-z]*[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)?),\s+(?:the\s+)?$")


def acronym_before(text: str, start: int, name: str) -> Span | None:
    """The acronym a name in apposition spells out ("EMAPAS, the Empresa Municipal de Agua Potable ...": the
    acronym, a comma, the name at ``start``), where the name holds the acronym's letters in order, its first
    word starting with the first (as :func:`defined_names` reads "ACR (Name)"), else None."""
    m = _ACRONYM_THEN_COMMA.search(text, max(0, start - 24), start)
    if m is None or m.end() != start:
        return None
    letters = _letters(m.group("acr"))
    if len(letters) < 3 or not _spells(name, letters):
        return None
    return Span(m.start("acr"), m.end("acr"), m.group("acr"))


def initials(name: str, whole: bool = False) -> str:
    """"Resident District Commissioner of Arua" → "RDC" (capitalised words before any complement); ``whole``:
    the capitalised words of the complement too ("National Union of Plantation Workers" → "NUPW")."""
    words = []
    for w in re.findall(r"[^\W\d_][\w'’-]*", name):
        if w in COMPLEMENT_START and not whole:
            break
        if w[0].isupper():
            words.append(w[0])
    return "".join(words)


# "(CIFA)", "(HRNJ-Uganda)": an acronym in brackets, the letters a definition before it must spell
_BRACKETED = re.compile(r"\(\s*(?P<acr>[A-Z][A-Za-z]*[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)?)\s*\)")
_DEF_WORD = re.compile(r"[^\W_][\w'’-]*")
# what ends the search for a definition backwards: a sentence or a clause boundary, another bracket
_DEF_STOP = re.compile(r"[.;:!?,()\[\]\"“”]")


def defined_names(text: str) -> list[Span]:
    """The names an acronym in brackets defines: "Community Initiatives Facilitation and Assistance (CIFA)",
    "Journaliste en Danger (JED)", "Mtandao wa Vikundi vya Wakulima Tanzania (MVIWATA)". The definition is
    the shortest run of words just before the bracket that spells the acronym: first by the initials of its
    words (lower-case words in between may be skipped, "and", "de", "às"), else as Schwartz & Hearst (2003)
    find one (the letters in order anywhere in the words, the first one starting a word). It starts with a
    capital and ends where the bracket opens; it holds no comma or sentence end. Unlike a name found by head
    words, it does not stop at "and", a lower-case word or a number."""
    out = []
    for m in _BRACKETED.finditer(text):
        letters = _letters(m.group("acr"))
        if len(letters) < 3:
            continue  # "John Kamau (JK)": two letters are as often a person's initials
        end = m.start()
        while end > 0 and text[end - 1] == " ":
            end -= 1
        lo = max(0, end - 300)  # a definition is a few words: never scan a long field from its start
        stop = max((x.end() for x in _DEF_STOP.finditer(text, lo, end)), default=lo)
        words = [(w.start(), w.group()) for w in _DEF_WORD.finditer(text, stop, end)]
        words = words[-(len(letters) + 8):]
        start = _by_initials(words, letters)
        if start is None:
            start = _by_letters(text, words, letters, end)
        if start is None and len(letters) >= 4:
            # a name whose words list its fields with commas ("Local Initiatives for Biodiversity, Research and
            # Development (LI-BIRD)"): across commas only if every word is capitalised or joins a name's words
            words = _capitalised_words(text, lo, end)
            start = _by_initials(words, letters) or _by_letters(text, words, letters, end)
        if start is None or not text[start].isupper() or not 2 <= len(text[start:end].split()) <= len(letters) + 8:
            continue
        out.append(Span(start, end, text[start:end]))
    for m in _ACRONYM_THEN_DEFINITION.finditer(text):  # "EAACONE (Equipe de Articulação e Assessoria ...)"
        letters = _letters(m.group("acr"))
        if len(letters) < 3:
            continue
        s, e = m.span("lf")
        words = [(w.start(), w.group()) for w in _DEF_WORD.finditer(text, s, e)]
        if words and len(words) <= len(letters) + 8 and _spells(text[s:e], letters):
            out.append(Span(s, e, text[s:e]))
    return out


def spelt_by(acronym: str, name: str) -> bool:
    """Whether ``name`` spells ``acronym`` when no bracket teaches it ("COMAR" and "Comisión Mexicana de Ayuda a
    Refugiados"): four letters or more, the letters in order in the name (the first one its first letter), and the
    initial of every capitalised word among them in order (each word of the name gave the acronym a letter)."""
    letters = _letters(acronym)
    if len(letters) < 4 or not _spells(name, letters):
        return False  # (three letters match too many names by chance: "RDC" in "Red Cross")
    caps = [w[0].lower() for w in re.findall(r"[^\W\d_][\w'’-]*", name) if w[0].isupper()]
    if len(caps) < 2:
        return False
    j = 0
    for c in letters:
        if j < len(caps) and c == caps[j]:
            j += 1
    return j == len(caps)


def _capitalised_words(text: str, lo: int, end: int) -> list[tuple[int, str]]:
    """The words just before ``end`` back to a sentence boundary, across commas, while each is capitalised or a
    word that joins a name's words ("for", "and", "de"); [] when nothing but one clause is left."""
    stop = max((x.end() for x in _DEF_STOP_NOT_COMMA.finditer(text, lo, end)), default=lo)
    words = [(w.start(), w.group()) for w in _DEF_WORD.finditer(text, stop, end)]
    k = len(words)
    # (a capitalised word after an elided article is one too: "d'Appui", "l'Équateur")
    while k > 0 and (words[k - 1][1][:1].isupper() or words[k - 1][1] in ALL_JOINS
                     or _ELIDED_CAPITAL.match(words[k - 1][1])):
        k -= 1
    kept = words[k:]
    while kept and not kept[0][1][:1].isupper():
        kept = kept[1:]
    if "," not in text[kept[0][0] if kept else end:end]:
        return []
    return kept


_ELIDED_CAPITAL = re.compile(r"[dlDL]['’][^\W\d_a-z]")
_DEF_STOP_NOT_COMMA = re.compile(r"[.;:!?()\[\]\"“”]")


def _spells(definition: str, letters: list[str]) -> bool:
    """The definition starts with the acronym's first letter and holds the others in order."""
    low = definition.lower()
    if not letters or low[:1] != letters[0]:
        return False
    j = 1
    for c in letters[1:]:
        j = low.find(c, j)
        if j < 0:
            return False
        j += 1
    return True


def _letters(acr: str) -> list[str]:
    """The letters a definition spells: all of them, or only the capitals of a hyphenated one ("HRNJ-Uganda")."""
    return [c.lower() for c in acr if c.isalnum() and (c.isupper() or "-" not in acr)]


_ACRONYM_THEN_DEFINITION = re.compile(r"(?<![\w-])(?P<acr>[A-Z][A-Za-z]*[A-Z][A-Za-z]*)\s*\((?P<lf>[A-ZÀ-Ý][^()\n.;:,]{3,200})\)")


def _by_initials(words: list[tuple[int, str]], letters: list[str]) -> int | None:
    """Where the words spelling ``letters`` by their initials start (backwards, lower-case words skippable)."""
    i = len(letters) - 1
    for pos, w in reversed(words):
        if i < 0:
            break
        initial = re.sub(r"^[dl]['’]", "", w)[:1]  # "d'Exploitation"
        if initial.lower() == letters[i]:
            i -= 1
            if i < 0:
                return pos
        elif not w[:1].islower():
            return None
    return None


def _by_letters(text: str, words: list[tuple[int, str]], letters: list[str], end: int) -> int | None:
    """Schwartz & Hearst's backward match: each letter of the acronym, last first, found in order in the
    text before the bracket; the first letter must start a word. Where that word starts, or None."""
    if not words:
        return None
    lo = words[0][0]
    starts = {p for p, _ in words}
    j = end - 1
    for k in range(len(letters) - 1, -1, -1):
        while j >= lo and (text[j].lower() != letters[k] or (k == 0 and j not in starts)):
            j -= 1
        if j < lo:
            return None
        j -= 1
    return j + 1
