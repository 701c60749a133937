"""The list of subjects that opens the sentence telling the change ("The County Commissioner of X, the chiefs of Y and Z
and the county social development officer agreed ..."), read by rule where the parse kept only its first member or
lost the clause: names the other finders found, groups by role and offices in lower case, joined by commas and "and",
each with an optional "of / in / from <places>" that locates it, and closed by an active verb; and the agents of a
passive in that sentence ("... was notified in April 2024 by the district collector"). The members' spans go to
``doc.subject_list``; :func:`..roles.changed` takes them as actors that changed."""

from __future__ import annotations

import re

from .. import rules
from ..doc import FragmentDoc, Mention, ROLE_CONFIDENCE
from ..language import BODY_HEADS
from ..places import Gazetteer, _UNIT_WORDS
from ..registry import Registry
from .spans import overlaps

FIELD = "outcome_description"
MAX_MEMBERS = 5

_ARTICLE = re.compile(r"(?:the|The|a|A|an|An)\s+")
# a capitalised place name, with its lower-case joins ("Dar es Salaam", "Santa Cruz de la Sierra") and a unit word
_PLACE = r"[A-ZÀ-ÝĀ-Ž][\w'’-]*(?:\s+(?:(?:es|de|del|la|da|do|dos|das|di|du|el|al)\s+)*[A-ZÀ-ÝĀ-Ž][\w'’-]*)*"
_UNITS = rf"(?:{_UNIT_WORDS}|city|sub-city)"
_LOCATED = re.compile(rf"\s+(?:of|in|from|wa|za|ya)\s+(?:the\s+)?{_PLACE}(?:(?:\s*,\s*|\s+and\s+){_PLACE})*"
                      rf"(?:\s+{_UNITS}(?![\w-]))?")
# an office is named by what it is of ("the jail warden of the Bacolod City District Jail", "the préfet d'Ali Sabieh",
# "the akim of Shieli district")
_OF_NAME = re.compile(r"(?:\s+(?:of|de|du|del)\s+(?:the\s+|la\s+)?|\s+d['’])[A-ZÀ-ÝĀ-Ž][\w'’-]*"
                      r"(?:\s+(?:(?:of|de|es|the)\s+)?[A-ZÀ-ÝĀ-Ž0-9][\w'’-]*)*"
                      rf"(?:\s+(?:rural\s+|urban\s+)?{_UNITS}(?![\w-]))?"
                      # (or a body in lower case after "of the": "the chief of the municipal health section")
                      r"|\s+of\s+the\s+(?:[a-z][\w'’-]*\s+){0,3}(?:" + "|".join(sorted(BODY_HEADS))
                      + r"|section)(?![\w-])")
# words that open a phrase of time, a relative clause or a condition, never a member ("after two years", "whose mayor")
_NOT_A_MEMBER = re.compile(r"\b(?:(?i:after|before|during|since|following|until|within|over|whose|where|which|who|when|"
                           r"while|with|without|through|because|despite|thanks|end|mid|early|late)|"
                           # (a month as written, with its capital: "by December"; not "out-of-school girls")
                           + "|".join(sorted({*rules.names.MONTH_NAMES, *rules.names.MONTH_ABBREVIATIONS}, key=len,
                                             reverse=True))
                           + r")\b")
_RELATIVE_WORD = re.compile(r"\b(?:where|which|who|whose|that)\b")
# the sources of a name that opens the sentence alone (a place, a count or a learnt guess there is no subject)
_NAMED = frozenset(("registry", "rule", "apposition", "acronym"))
# (not a comma before "a": "the X, a body where ...", an apposition)
# (or the "and" of another language: "Batman Belediyesi ve Kozluk Belediyesi açtı", "X et la Y ont signé")
_AND_BY = re.compile(r"\s*,?\s+and\s+by\s+")  # "... by the commune councils and by the school committees"
_JOIN = re.compile(r"\s*,\s*(?:and\s+)?(?!an?\s)|\s+(?:and|et|y|e|ve|dhe|dan|na|und)\s+")
# an office ("the county social development officer", "the district collector", "the Superintendent of Bong
# County", "the Probation and Social Welfare Officer of Gulu District"): words of one to six, ending in a noun of a
# person by office
_OFFICES = rules.PERSON_HEADS | frozenset("""warden supervisor executive treasurer clerk ranger keeper controller
conservator surveyor head""".split())
_OFFICE_WORD = re.compile(r"[A-Za-z][a-z'’-]*")
_OFFICE_STOP = frozenset("the a an or of in on at by for to with from".split())


def subject_list(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    text = doc.fields.get(FIELD)
    span = doc.telling_sentence()
    if span is None:
        return
    s, e = span
    starts = {m.start: m for m in doc.mentions if m.field == FIELD and m.source != "programme"}
    _add(doc, text, _opening(text, s, e, starts), agent=False)
    for at in rules.main_passive_agents(text, s, e):
        _add(doc, text, _agents(text, at, e, starts), agent=True)


def _agents(text: str, pos: int, e: int, starts: dict[int, Mention]) -> list[tuple[int, int, Mention | None]]:
    """The agents of a passive from ``pos``: members joined by commas and "and", whatever follows them."""
    members: list[tuple[int, int, Mention | None]] = []
    while len(members) < MAX_MEMBERS:
        item = _member(text, rules.subject_start(text, pos, e), e, starts, first=False, agent=True)
        if item is None:
            break
        members.append(item)
        loc = _LOCATED.match(text, item[1], e)
        after = loc.end() if loc else item[1]
        j = _AND_BY.match(text, after, e) or _JOIN.match(text, after, e)
        if j is None:
            break
        pos = j.end()
    return members


def _opening(text: str, s: int, e: int, starts: dict[int, Mention]) -> list[tuple[int, int, Mention | None]]:
    """The list of subjects that opens the sentence ``text[s:e]``, closed by an active verb; [] where there is none."""
    pos = rules.lead_end(text, s, e)
    pos = rules.place_lead_end(text, pos, e)  # ("In Ciudad Victoria, Tamaulipas, the X and the Y signed ...")
    members: list[tuple[int, int, Mention | None]] = []
    while len(members) < MAX_MEMBERS:
        at = rules.subject_start(text, pos, e)  # (after an article or a count)
        item = _member(text, at, e, starts, first=not members)
        if item is None:
            return []
        end = item[1]
        loc = _LOCATED.match(text, end, e)
        after = loc.end() if loc else end
        members.append(item)
        j = _JOIN.match(text, after, e)
        if j is not None and (_ARTICLE.match(text, j.end(), e) or j.end() in starts
                              or _member(text, j.end(), e, starts, first=False) is not None):
            pos = j.end()
            continue
        if not (_acts_after(text, after) or rules.ROMANCE_VERB_AFTER.match(text, after)):
            return []
        break
    if len(members) < 2 and (members[0][2] is None or members[0][2].source not in _NAMED
                             or not _body_or_office(members[0][2].text)):
        return []  # (one member: only a body's name the finders found by rule, read again where the parse lost it)
    return members


def _add(doc: FragmentDoc, text: str, members: list[tuple[int, int, Mention | None]], agent: bool) -> None:
    """The members' spans to ``doc.subject_list`` (``agent``: of a passive), each new group or office a mention."""
    for ms, me, m in members:
        if m is None:
            inside = [x for x in doc.mentions if x.field == FIELD and ms <= x.start and x.end <= me]
            others = [(x.start, x.end) for x in doc.mentions if x.field == FIELD and x not in inside]
            if any(x.source not in ("role", "subject", "entity") for x in inside) or overlaps(others, ms, me):
                continue  # (a name found by rule inside, or one across it: the finders' reading stands; the
                # recogniser's entity inside an office is its place: "the District Health Officer of Gulu")
            doc.mentions = [x for x in doc.mentions if x not in inside]
            # (an office by its capitalised title is named as written, as a name is; a group by role in lower case)
            source = "rule" if text[ms:ms + 1].isupper() and _body_or_office(text[ms:me]) else "role"
            doc.mentions.append(Mention(FIELD, ms, me, text[ms:me], source, None, "subject", ROLE_CONFIDENCE))
        doc.subject_list.append((ms, me, agent))


def _member(text: str, at: int, end: int, starts: dict[int, Mention], first: bool,
            agent: bool = False) -> tuple[int, int, Mention | None] | None:
    """The member of a subject list at ``at``: a name a finder found there, a group by role, or an office (with what
    it is of), the longest where a finder took only the first words of one; None where none starts there. Only the
    ``first`` may open with a capital that the sentence gave it ("Women with disabilities from X and ..."). An
    ``agent`` of a passive is a name found by rule, an office, or a group whose head names people or groups ("killed
    by elephants": no actor)."""
    m = starts.get(at)
    if _NOT_A_MEMBER.match(text, at):
        return None
    if m is not None and (agent and m.source not in _NAMED or m.method == "learnt") and not _body_or_office(m.text):
        m = None  # (an entity, or a learnt span, is a member where its words name a body or an office: not "Mrs. X,
        # Registrar of the Y, began ..."; a group by role may start there all the same)
    low = text[:at] + text[at:at + 1].lower() + text[at + 1:] if first else text
    g = rules.role_group_at(low, at, acting=True)
    if g is not None and (not rules.is_group_head(g.text.split(" with ")[0].split()[-1])  # ("women with disabilities")
                          or (agent and len(g.text.split()) < 2)
                          or _RELATIVE_WORD.search(g.text) is not None):
        g = None  # (people or groups, not things: "rising fuel costs and a strike ..."; "a body where herders ...")
    office = _office_end(text, at, end)
    # (a group in another language, of two words or more: "Wavuvi wa dagaa wa Kilwa and the X agreed ..."; one word
    # may be English: "elephants" ends as "habitants" does)
    foreign = rules.romance_group_at(text, at)
    if foreign is not None and (foreign.start != at or foreign.end > end or len(foreign.text.split()) < 2):
        foreign = None
    longer = max(g.end if g is not None and g.end <= end else 0, office or 0, foreign.end if foreign else 0)
    if m is not None and m.end <= end and not (longer > m.end and m.source in ("role", "subject", "entity")):
        return at, m.end, m
    if longer:  # (a group by role or an office, also where a finder took only its first words: "Women")
        return at, longer, None
    return None


def _office_end(text: str, at: int, end: int) -> int | None:
    """Where an office that starts at ``at`` ends (with what it is of), or None."""
    words, pos = [], at
    while len(words) < 6:
        w = _OFFICE_WORD.match(text, pos, end)
        if w is None or w.group() in _OFFICE_STOP \
                or (w.group() == "and" and not (words and words[-1].group()[:1].isupper())):
            break  # (an office's words: "Probation and Social Welfare Officer", not "deputies and the akim")
        words.append(w)
        closed = _JOIN.match(text, w.end(), end) or _LOCATED.match(text, w.end(), end) \
            or _OF_NAME.match(text, w.end(), end) or _acts_after(text, w.end())
        if w.group().lower() in _OFFICES and closed:
            of = _OF_NAME.match(text, w.end(), end)
            return of.end() if of else w.end()  # (it ends where the list goes on or its verb comes)
        if w.group() in BODY_HEADS and closed and len(words) > 1 and all(x.group()[:1].islower() for x in words):
            # a body in lower case, of two words or more ("the county health management team of X"): the place
            # after it locates it (a capital before its head is mostly the place it is of: "the Kisumu county
            # council", left to the finders; tried: one place and one actor fewer on the sets nobody reads)
            return w.end()
        if text[w.end():w.end() + 1] != " ":
            break
        pos = w.end() + 1
    return None


# a noun the verb pattern takes for a verb ("Gender-responsive budget targets were included"): a passive follows
_PASSIVE_NEXT = re.compile(r"\s+\S+\s+(?:were|was|are|is|have|has|had|been)\b")


def _acts_after(text: str, end: int) -> bool:
    """An active verb after a subject ending at ``end`` (``rules.acts_after``), not a noun before a passive."""
    return rules.acts_after(text, end) and _PASSIVE_NEXT.match(text, end) is None


def _body_or_office(name: str) -> bool:
    """Whether a name's words name a body or an office ("Municipal Chief Executive of Ho"; not "Street vendors")."""
    return any(rules.is_head(w) or w.lower() in _OFFICES for w in name.split())
