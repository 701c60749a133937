"""A name written in its own language with an English gloss in brackets after it ("Centar za nenasilnu akciju (Centre
for Nonviolent Action)", "Gradsko vijeće Prijedor (City Council)", "Profspilka pratsivnykiv osvity i nauky Ukrainy
(Trade Union of Education and Science Workers of Ukraine)"): the actor is the name as written, the gloss only says what
it means. The finders before this one read the gloss (English, capitalised, with a head word) and, at most, a place
inside the name ("Ukrainy", "Lubnan"); this finder puts the name in their place, provenance ``gloss`` (where they read
nothing in the gloss, only when it names a kind of body: "(Committee of the Families of ...)", not "(the capital)").

The name is the run of words right before the bracket, back to an English function word, a punctuation mark or the
start of the sentence, opening with a capital; it is taken only where the gloss reads as English (a function word or
a body's word) and holds a mention, and where no mention of a name or the registry already reaches the bracket
("Save the Children (an international NGO)" is found whole by the rules)."""

from __future__ import annotations

import re

from .. import language
from ..doc import FragmentDoc, Mention
from ..places import Gazetteer
from ..registry import Registry

_BRACKET = re.compile(r"\(([^()]{3,100})\)")
_WORD = re.compile(r"[^\W\d_][\w'’-]*(?:\.(?=\w))?[\w'’-]*")  # (a full stop inside a word only, never at its end)
# a word that says where or by whom ("Leyte-based", "women-led"): the name starts after it
_DESCRIBING = re.compile(r"[\w'’]+-(?:based|led|run|owned|funded)$")
# English words that end the name going back from the bracket ("supported by X (gloss)", "the X (gloss) and ...")
_ENGLISH_STOP = frozenset("""the a an by and with from to in at for of on its their his her our that which who as or
after before since during through via including also both""".split())
# words that make a gloss read as English: function words and the words of bodies
_ENGLISH_GLOSS = _ENGLISH_STOP | language.BODY_HEADS | frozenset("""city centre center organisation organization
foundation society movement group fund trust campaign institute women youth people's national local regional
municipal""".split())
# the gloss's words that say what kind of body the name is
_BODY_WORDS = _ENGLISH_GLOSS - _ENGLISH_STOP \
    - frozenset("women youth people's national local regional municipal city".split())
MAX_WORDS = 7


def glossed_names(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    for fld, text in doc.fields.items():
        if "(" not in text:
            continue
        for b in _BRACKET.finditer(text):
            span = _name_before(text, b.start())
            if span is None or not _english_gloss(b.group(1)):
                continue
            s, e = span
            inside = [m for m in doc.mentions if m.field == fld and b.start() < m.start and m.end < b.end()]
            before = [m for m in doc.mentions if m.field == fld and m.start < e and s < m.end]
            if not (inside or (before and _body_gloss(b.group(1)))) \
                    or any(m.source in ("registry", "programme") for m in inside):
                continue  # (the finders read nothing there, or the registry knows it by its gloss)
            if any(m.source in ("registry", "programme") for m in before) or any(m.end > e for m in before) \
                    or registry.is_ignored(text[s:e]):
                continue  # (registered, or a name running past the bracket)
            doc.glosses += [(fld, m.start, m.end) for m in inside]
            whole = next((m for m in before if m.start <= s and m.end >= e), None)
            doc.mentions = [m for m in doc.mentions if m not in inside and (whole is not None or m not in before)]
            if whole is None:  # (else found whole already, by another finder: the gloss alone goes)
                doc.mentions.append(Mention(fld, s, e, text[s:e], "rule", method="gloss"))


# articles that open a sentence before a name in French, Spanish, Portuguese or Italian
_LEADING_ARTICLES = frozenset("La Le Les L El Los Las O Os A As Il Lo Gli".split())


def _name_before(text: str, bracket: int) -> tuple[int, int] | None:
    """The words right before ``bracket`` back to an English function word or a punctuation mark, opening with a
    capital, of two words or more; None where there are none."""
    e = bracket
    while e > 0 and text[e - 1] == " ":
        e -= 1
    if text[e - 1:e] in (".", "!", "?", ":", ";", ","):
        return None  # (a gloss of the sentence before it, in another language: "Nagpasa ang ... ordinansa. (The ...)")
    words = []
    pos = e
    for w in reversed(list(_WORD.finditer(text, max(0, e - 200), e))):
        gap = text[w.end():pos]
        if gap.strip() or (words and gap != " ") or w.group().lower() in _ENGLISH_STOP or _DESCRIBING.match(w.group()):
            break  # (punctuation or a function word between: the name ends there)
        if len(words) >= MAX_WORDS:
            return None  # (a clause in another language, which the bracket glosses: "X kini menyelesaikan ... (...)")
        words.append(w)
        pos = w.start()
    while words and not words[-1].group()[:1].isupper():
        words.pop()  # (the name opens with a capital)
    if len(words) > 2 and words[-1].group() in _LEADING_ARTICLES:
        words.pop()  # (an article that opens the sentence is no part of the name: "La Alcaldía de X (the mayor's office)")
    if len(words) < 2 or words[0].end() != e:
        return None
    return words[-1].start(), e


def _body_gloss(inner: str) -> bool:
    """A gloss that says what kind of body the name is ("Committee of the Families of ...", "city maslikhat")."""
    return any(w.lower().strip(",.;:") in _BODY_WORDS for w in inner.split())


def _english_gloss(inner: str) -> bool:
    """A gloss in English of a name: two words or more, one of them a function word or a body's word, and no verb
    (a clause glossed is no name: "(the city council allowed the vendors ...)")."""
    words = inner.split()
    return 2 <= len(words) <= 14 and any(w.lower().strip(",.;:") in _ENGLISH_GLOSS for w in words) \
        and not any(_VERB.fullmatch(w.strip(",.;:")) for w in words)


# a verb of a clause in a gloss: a past in -ed or a common finite form (names hold none: "United", "Disappeared" are
# capitalised)
_VERB = re.compile(r"[a-z]+ed|is|are|was|were|has|have|had|set|put|began|took|gave|made|won|sent|paid|ran|kept|got|"
                   r"built|met|led|lent|chose|wrote|sold|bought|found|became|did|rose|shut|now|will|can|must")
