"""What the language pipeline gives the rest of extraction: plain, hashable tuples (:class:`Parsed`, one per
text, with its sentences, entities and :class:`Subject` noun phrases), cheap to memoise and to send between
processes."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)  # (slots: no __dict__ per subject: ~0.1 KB less a memo entry)
class Subject:
    """A grammatical subject of a sentence's main verb (or of a verb coordinated with it), as a noun
    phrase: ``start``/``end`` character offsets of the phrase, the verb it is the subject of, whether
    its head is a proper noun or a plural common noun."""

    start: int
    end: int
    head: str  # the head word as written
    verb: str  # lower case
    verb_start: int
    sentence: int  # index into Parsed.sentences
    proper: bool
    plural: bool
    passive: bool
    agent: bool = False  # the agent of a passive verb ("adopted by X"): the doer
    main: bool = True  # False: the subject of a second clause ("..., and 212 girls returned to school")
    common: bool = False  # the tagger read the head as no proper noun (NN, NNS, JJ ...), whatever its capital ("Floods")


@dataclass(frozen=True, slots=True)
class Parsed:
    sentences: tuple[tuple[int, int], ...]
    entities: tuple[tuple[int, int, str], ...]  # (start, end, label)
    subjects: tuple[Subject, ...]
    english: bool  # False: few English function words; the parse is not used for subjects
    truncated: bool  # the text was longer than MAX_PARSE_CHARS


def shift(sub: Subject, offset: int) -> Subject:
    """A subject found in a sentence parsed alone, in the offsets of its field."""
    return replace(sub, start=sub.start + offset, end=sub.end + offset, verb_start=sub.verb_start + offset)
