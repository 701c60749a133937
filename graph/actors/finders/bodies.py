"""Bodies and groups written in lower case whose name the parse cuts short (round 16b): what a labeller writes
as the actor is the noun phrase with its head and its "of"-complement, not the word the parser made the subject.

- a body's head word the tagger read as a verb ("The union parishad of X allocated ...": "parishad" tagged as a
  past tense, like "had"): the head is the subject's, the complement names the body (:func:`head_read_as_verb`);
- a body named by the place it is "of", where the gazetteer does not know the place ("the agriculture office of
  Dhading"): the complement is a part of the name when it is a name that is no organisation (:func:`of_name_end`);
- a collective noun with its members ("a coalition of 12 civil society organisations", "a network of women's
  groups"): the collective is the group its members make, named whole (:func:`members_end`);
- people of a body another finder named ("Members of the Budget Committee of the X Assembly voted"): the body
  acted, the people's phrase does not complete its name (:func:`people_of_named`).

The words these read are the rules' tables (organisation head words, body words, group heads); none is a list
of the names of these sentences.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .. import language, rules
from ..doc import FragmentDoc
from ..rules import is_group_head
from .spans import MONTHS


def is_body_head(word: str) -> bool:
    """An organisation's or a body's head word, in any case ("parishad", "secretariat", "office")."""
    w = word.lower()
    return w in language.BODY_HEADS or w.capitalize() in rules.ORG_HEADS


# plural heads of organisations that no body word or head word list holds
_ORGANISATION_PLURALS = frozenset("stations outlets newspapers radios firms companies schools clinics hospitals groups".split())


def names_organisations(word: str) -> bool:
    """A plural noun of organisations or bodies, not of people ("cooperatives", "radio stations", "groups"): counted,
    they are still actors ("17 rice cooperatives ... have registered"), unlike a count of the people reached."""
    w = word.lower()
    one = w[:-3] + "y" if w.endswith("ies") else w[:-1]
    return w in _ORGANISATION_PLURALS or language.is_body_word(w) or one.capitalize() in rules.ORG_HEADS


def head_read_as_verb(text: str, sub):
    """``sub`` with its head made whole where the parse left the head out: a lower-case common noun subject
    directly followed by an organisation's head word in lower case and "of" ("The union parishad of X
    allocated": subject "union", the tagger read "parishad" as a past tense, like "had"; "The zila parishad of
    Y allocated": subject "zila", "parishad" lost). A verb is no organisation's head word, and a head word
    followed by "of" is a noun with its complement: the subject ends after the head. Else ``sub`` unchanged."""
    if sub.proper or sub.plural or not text[sub.start:sub.end][:1].islower():
        return sub
    m = _WORD_THEN_OF.match(text, sub.end)
    if m is None or not is_body_head(m.group("head")) or not m.group("head").islower() \
            or m.start("head") > sub.verb_start:
        return sub
    return replace(sub, end=m.end("head"), head=m.group("head"), verb_start=max(sub.verb_start, m.end("head")))


_WORD_THEN_OF = re.compile(r" (?P<head>[^\W\d_]+) of ")
# a body's head word, then the plural of the people who hold its offices or seats ("parishad chairmen")
_HEAD_THEN_PEOPLE = re.compile(r" (?P<head>[^\W\d_]+) (?P<people>[a-z]+)(?![\w'’-])")
# the people who hold a body's offices or seats (not its staff: "Amnesty researchers" act for Amnesty)
_SEAT_HOLDERS = frozenset("""members chairmen chairpersons chairs chairwomen secretaries councillors councilors
commissioners delegates representatives presidents vice-chairs""".split())


def seat_holders_of_named(text: str, inside: list, s: int, e: int, sub) -> bool:
    """The subject ``text[s:e]`` is the seat-holders of a body that other finders named at its start ("the
    Union Parishad chairmen", "Kisumu County Assembly members"): the people act, not the body; the names inside
    are the group's modifier (``inside``: the mentions that overlap the subject)."""
    if not sub.plural or sub.head not in _SEAT_HOLDERS or not inside:
        return False
    at = text.find(" " + sub.head, s, e)
    return at > s and all(s <= m.start and m.end <= at for m in inside) \
        and not text[max(m.end for m in inside):at].strip()


def seat_holders_read_as_verb(text: str, sub):
    """The people who hold a body's seats as the subject, where the tagger read the body's head word as the verb
    ("The Union Parishad chairmen of X agreed", "the union parishad secretaries of Y issue": subject "Union",
    verb "Parishad", object "chairmen"): the subject is the body's name and its seat-holders, a group of people
    by office ("Union Parishad chairmen"). A verb is no body's head word followed by the people of a body."""
    m = _HEAD_THEN_PEOPLE.match(text, sub.end)
    if m is None or sub.plural or m.start("head") != sub.verb_start or not is_body_head(m.group("head")) \
            or m.group("people") not in _SEAT_HOLDERS:
        return sub
    return replace(sub, end=m.end("people"), head=m.group("people"), proper=False, plural=True, common=True,
                   verb_start=m.end("people"))


# " of (the) <Name>": up to three capitalised words
_OF_NAME = re.compile(r" of (?:the )?(?P<name>[A-ZÀ-ÝĀ-Ž][\w'’-]*(?: [A-ZÀ-ÝĀ-Ž][\w'’-]*){0,2})(?![\w'’-])")


def of_name_end(doc: FragmentDoc, fld: str, text: str, e: int) -> int:
    """Where a lower-case body's name ends that is "of" a name which is no organisation ("the agriculture office
    of Dhading": a place the gazetteer may not know), else ``e``. Not an organisation's unit ("the protection
    unit of UNHCR", "the office of the Kenya Red Cross Society": an acronym, a head word, a name another finder
    took), not a month."""
    m = _OF_NAME.match(text, e)
    if m is None:
        return e
    if not _no_organisation(m.group("name").split()):
        return e
    s2, e2 = m.span("name")
    if any(x.field == fld and x.start < e2 and s2 < x.end and x.source != "entity" for x in doc.mentions):
        return e
    return m.end("name")


_OF_NAME_AT_END = re.compile(r" of (?:the )?(?P<name>[A-ZÀ-ÝĀ-Ž][\w'’ -]*)$")


def own_words(text: str, s: int, e: int) -> str:
    """The words of a lower-case body ``text[s:e]`` before a trailing "of <Name>" complement ("agriculture office"
    of "agriculture office of Dhading"): the words whose case says it is written in lower case."""
    m = _OF_NAME_AT_END.search(text[s:e])
    if m is None or m.start() == 0 or not _no_organisation(m.group("name").split()):
        return text[s:e]  # ("the protection unit of UNHCR": the organisation's own unit, written with it)
    return text[s:s + m.start()]


def _no_organisation(words: list[str]) -> bool:
    """Capitalised words that name no organisation: no head word, no acronym, no month or leading word."""
    return bool(words) and not any(rules.is_head(w) or rules.ACRONYM.fullmatch(w) for w in words) \
        and words[0] not in MONTHS and words[0] not in rules.LEADING_STOP


# " of (12 | twelve |) <up to four lower-case words ending in a plural>": the members of a collective
_MEMBERS = re.compile(r" of (?:(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                      r"forty|fifty|dozens of|hundreds of|more than \d+|over \d+|some \d+) )?"
                      r"(?P<np>[a-z][\w'’-]*(?: [a-z][\w'’-]*){0,3})(?=[\s,;.:)]|$)")


def members_end(text: str, e: int, head: str) -> int:
    """Where a collective ends that is named by its members: a singular organisation head word in lower case
    ("coalition", "network", "alliance", "platform", "union") followed by "of" and a group of people or
    organisations by role ("a coalition of 12 civil society organisations", "a network of women's savings
    groups"), else ``e``. The collective is the actor: its members acted together through it."""
    if not head.islower() or head.endswith("s") or head.capitalize() not in rules.ORG_HEADS:
        return e
    m = _MEMBERS.match(text, e)
    if m is None:
        return e
    words = m.group("np").split()
    # the phrase ends at its first plural group noun ("organisations, led by ..."); a thing is no member
    for i, w in enumerate(words):
        if is_group_head(w.rstrip("'’")) and not w.endswith(("'", "’")):
            return m.start("np") + len(" ".join(words[:i + 1]))
    return e


def people_of_named(text: str, s: int, sub, inside: list) -> bool:
    """A subject that names people of an organisation another finder named ("Members of the Budget Committee of
    the X Assembly voted"): the people act for the body, which is the actor (as "lawyers from X" in a contribution
    field); the subject must not complete the body's name. The people are a plural group noun, then "of the" and
    the one name: not a title without an article ("Members of Parliament": people by role, as written)."""
    if len(inside) != 1 or not sub.plural or sub.proper or not is_group_head(sub.head):
        return False
    m, gap = inside[0], text[s:inside[0].start]
    return m.source != "role" and m.end <= sub.end and text[s:s + len(sub.head)].lower() == sub.head.lower() \
        and re.fullmatch(r"[^\W\d_]+ of (?:the )?", gap) is not None \
        and (gap.endswith(" the ") or text.startswith(("the ", "The "), m.start))
