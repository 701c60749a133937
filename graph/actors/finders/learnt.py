"""Spans the learnt span model (:mod:`harvestgraph.actors.learnt.span_model`) reads as actor names, offered
to the rules as candidates: the last finder, so every rule's mention is there to compare.

A model span where no finder found anything is a new candidate (a capitalised one a name: "Karkara"; a
lower-case one a group by role: "water user associations"), provenance ``learnt``. Measured and left off
(:data:`MODES`): a model span that covers exactly one earlier name mention and only adds words to it (no
"and", no comma: never a merge of two names) giving that mention its extent ("Toamasina" → "commune
urbaine de Toamasina"). Nothing here decides a role: :mod:`..roles` does, as for every other mention.

The model is the one :func:`use` set (the leave-one-set-out tool sets each fold's), else the committed one
(``graph/actors/data/actor_spans``, ``make model``), loaded on first use; without a model the finder adds
nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .. import rules
from ..doc import FragmentDoc, Mention, ROLE_CONFIDENCE
from ..places import Gazetteer, context_places
from ..registry import Registry
from .spans import NOT_ORG_LAST, clean_span, is_place, lists_a_place

# What the finder reads: the outcome description's first sentence, the one the parser reads for its subjects
# (:func:`..resolver._field_jobs`). Measured 2026-12-02 on the four sets nobody tuned on (dev20, dev24, dev31,
# dev32): the first sentence alone finds the same changed actors as the three free-text fields (+1 each on every
# set, contributors within one label), on the 29 tuned sets one label fewer; and it costs 0.97 ms of CPU a
# fragment instead of 4.2 (1,000 benchmark fragments, ``stage_cpu``, machine loaded): cheap enough to run always.
FIELDS = ("outcome_description",)
EXTENDABLE = ("rule", "entity", "subject", "acronym", "role", "apposition")
_UNSET = object()
_model = _UNSET
# What the finder may do. Leave-one-set-out (docs/extraction.md, session 12), extending the rules' names never
# raised changed F1 on a held-out set (dev6 0.967 -> 0.959, dev7 0.689 -> 0.675, the others equal) while new
# candidates did (dev7 -> 0.705, dev8 0.881 -> 0.900): the rules' extents stand, the model adds names.
MODES = {"extend": False, "add": True}


def use(nlp) -> None:
    """The span model the finder reads with (``None``: no model)."""
    global _model
    _model = nlp
    _memo.clear()


_memo: dict[str, list[tuple[int, int]]] = {}


def model():
    """The span model the finder reads with: the one :func:`use` set, else the committed one, else None."""
    global _model
    if _model is _UNSET:
        from ..learnt.build import MODEL
        from ..learnt.span_model import load

        _model = load(MODEL) if (MODEL / "meta.json").exists() else None
    return _model


def trained_on() -> str:
    """The sha256 of the model's training data ("" without a model): a part of the resolver's fingerprint,
    read from the committed model's meta without loading it (an unchanged re-ingest loads no model)."""
    if _model is _UNSET:
        from ..learnt.build import recorded_hash

        return recorded_hash() or ""
    return _model.meta.get("training_data_sha256", "") if _model is not None else ""


MEMO = 4096  # field texts whose spans are remembered (a prefetch chunk's three fields of 256 fragments fit)


def prefetch(texts: list[str]) -> None:
    """Read many field texts in one ``nlp.pipe`` call ahead of the finder (2026-12-01, 240 texts of dev2 at
    load 7: 1.0-1.25 ms a text together, 3.7 ms one by one)."""
    from ..learnt.span_model import spans

    todo = list(dict.fromkeys(h for t in texts if (h := head(t)) not in _memo))
    if not todo or model() is None:
        return
    if len(_memo) + len(todo) > MEMO:
        _memo.clear()
    _memo.update(zip(todo, spans(model(), todo)))


# What the model reads of a field: its first 1,000 characters. Every labelled field is shorter (the longest of
# the 1,592 it was trained on has 499), so the model has seen nothing longer; and its cost grows with the text
# (~1.2 ms a field of 160 characters), where the parse reads one sentence of the outcome description: a 50 MB
# file of 20 KB descriptions read whole took 6 GB and minutes (tests/ingest/test_bad_input.py).
MODEL_CHARS = 1_000


@lru_cache(maxsize=MEMO)  # (pure: prefetch and the finder ask for the same texts)
def head(text: str) -> str:
    """What the model reads of a field: its first sentence, and never more than :data:`MODEL_CHARS`."""
    start = text[:MODEL_CHARS]
    sents = rules.sentences(start)
    return start[:sents[0][1]] if sents else start


def _spans(text: str) -> list[tuple[int, int]]:
    from ..learnt.span_model import spans

    first = head(text)  # (the key too: the memo never holds more of a long field than the model read)
    if first not in _memo:
        if len(_memo) >= MEMO:
            _memo.clear()
        _memo[first] = spans(model(), [first])[0]
    return _memo[first]


_JOIN = re.compile(r"\band\b|&|,|;|\(|\)")
# a word that introduces an actor ("establishment by X", "support from X"): not a part of its name
_INTRODUCES = frozenset("by from with to in at on through via after before under".split())
_ELIDED = re.compile(r"[LlDd]['’](?=[A-ZÀ-Ý])")  # "L'Agence Nationale ...": the article is not the name
_LEADING = re.compile(r"(?:In|On|At|By|From|With|To|For|After|Before|During|Through|Under|The|This|These)\s+")
_FUNCTION = frozenset("""the a an this these those its their his her our it they he she we one two three four five six
seven eight nine ten both several many most some all each every""".split())


def _extends(text: str, s: int, e: int, m: Mention) -> bool:
    """The model's span only adds name words to ``m``: before it, words that do not introduce an actor
    ("commune urbaine de"); after it, connectors and capitalised words ending in a capitalised one (not "of a
    2.4 million taka", "for the village assemblies"); never "and" or a comma (two names)."""
    before, after = text[s:m.start], text[m.end:e]
    if _JOIN.search(before) or _JOIN.search(after):
        return False
    if any(w.lower() in _INTRODUCES for w in before.split()):
        return False
    words = after.split()
    return not words or (words[-1][:1].isupper()
                         and all(w[:1].isupper() or w in rules.CONNECTORS
                                 or w[:2].lower() in ("l'", "l’", "d'", "d’")
                                 for w in words))


_FOREIGN_SMALL = frozenset("pour la le les par sur avec por para con com em na no en sem sin".split())


def _acceptable_new(name: str, after: str = "") -> bool:
    """A new candidate: not a function word, no number ("Helmets for 1,500 riders", "N/A"); a capitalised one
    not an event or a document, as for the rules ("Digital Training Workshop"); a lower-case one a group by
    role of two words or more ("water user associations", not "rondas"), not the plural noun of the names
    right after it ("the community radio stations Radio Tumaini and Sauti Yetu": the names act, as
    :func:`..roles.changed` reads them). ``after``: the text after the span."""
    words = name.split()
    if not words or any(w.lower() in _FUNCTION for w in words[:1]) or re.search(r"\d|/", name) \
            or words[-1] in rules.CONNECTORS:  # ("Savannakhet provincial education and": cut inside a name)
        return False
    if name[:1].isupper():  # (nor a word that opens sentences, never names: "Depois de duas formações"; nor a phrase
        # of three words or more in another language with one capital, the sentence's: "Élues pour la première fois")
        return words[-1] not in NOT_ORG_LAST and words[0] not in rules.FOREIGN_OPENERS \
            and not (len(words) >= 3 and not any(w[:1].isupper() for w in words[1:])
                     and any(w in _FOREIGN_SMALL for w in words[1:]))
    return len(words) >= 2 and rules.is_group_head(words[-1].rstrip("'’")) and not re.match(r"\s+[A-Z]", after)


_PLACE_LABELS = ("GPE", "LOC", "FAC")
_TITLE = re.compile(r"(?:Mr|Mrs|Ms|Dr|Hon|Mme|Sra|Sr|Dona|Bapak|Ibu)\.?\s")


def _a_person(name: str) -> bool:
    """A new name that is a person's, after a title ("Mrs. Adjoa Mensah"). (Not what the recogniser calls a person:
    it calls names in other languages so, "Enda Tamweel", "Baladiyat al-Salt al-Kubra": three actors lost, tried.)"""
    return _TITLE.match(name) is not None


def _places_said(doc: FragmentDoc, fld: str, text: str) -> list[tuple[int, int]]:
    """Names the text itself says are places ("the woredas of Sodo Zuria and Boloso Sore", "in Ntaja"): the
    places stage counts them, so no new name may take them."""
    countries = doc.countries()
    if not countries:
        return []
    hints = [(s, e) for s, e, label in doc.entities.get(fld, []) if label in _PLACE_LABELS]
    return context_places(text, countries[0], hints=hints)


def learnt_spans(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    if model() is None:
        return
    for fld in FIELDS:
        text = doc.fields.get(fld)
        if not text:
            continue
        places: list[tuple[int, int]] | None = None
        for s, e in _spans(text):
            s, e = clean_span(text, s, e)
            if (el := _ELIDED.match(text, s, e)) is not None:
                s = el.end()
            while (lead := _LEADING.match(text, s, e)) is not None:  # "In El Alto": not a part of the name
                s = lead.end()
            name = text[s:e]
            if e - s < 2 or registry.is_ignored(name) or is_place(doc, gazetteer, name) \
                    or lists_a_place(doc, gazetteer, name) \
                    or any(f == fld and a < e and s < b for f, a, b in doc.blocked):
                continue
            inside = [m for m in doc.mentions if m.field == fld and m.start < e and s < m.end]
            if not inside and fld == "outcome_description" and doc.outcome_sentence > 0:
                continue  # (a first sentence that sets the scene: its names are no candidates, as its subjects)
            if not inside:
                if places is None:
                    places = _places_said(doc, fld, text)
                if MODES["add"] and _acceptable_new(name, text[e:e + 3]) \
                        and not any(a < e and s < b for a, b in places) and not _a_person(name):
                    lower = not name[:1].isupper()
                    doc.mentions.append(Mention(fld, s, e, name, "role" if lower else "rule", method="learnt",
                                                confidence=ROLE_CONFIDENCE))
                continue
            if len(inside) != 1 or not MODES["extend"]:
                continue
            m = inside[0]
            if m.source not in EXTENDABLE or not (s <= m.start and m.end <= e) or (s, e) == (m.start, m.end):
                continue
            if not _extends(text, s, e, m):
                continue
            m.start, m.end, m.text = s, e, name
