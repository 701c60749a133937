"""Contribution cues: "supported by X", "X trained ...", the target of advocacy ("complained to X"),
coordinated subjects, "set up the X", "the programme", fragment references."""

from __future__ import annotations

import re

from .sentence_parts import ACTIVE_VERB_AFTER, sentences
from .text import Span


# Contribution phrases: the mention that follows is a contributor. Each phrase is written as (before, cue, after):
# the cue is the word a phrase cannot do without, and the pre-check :data:`_CUE_WORDS` is made of the cues, so
# that no phrase can hold a word the pre-check does not look for.
_CUE_PHRASES = (
    # (each phrase starts at a word: "led by" is not "settled by", "funded by" not "underfunded by")
    (r"\b", r"(?:supported|funded|financed|co-funded|co-financed|sponsored|facilitated|trained|led|coordinated|"
          r"organised|organized|assisted|accompanied|convened|hosted|backed)",
     r"\s+by\s+(?:the\s+)?(?:[A-Z][\w.]*['’]s\s+)?$"),
    # "supported by paralegals from the X", "trained by lawyers of X": the people act for X
    (r"\b", r"(?:supported|trained|assisted|accompanied|backed|advised)", r"\s+by\s+(?:\w+\s+){1,3}?(?:from|of)\s+(?:the\s+)?$"),
    (r"\b(?:with|through|thanks\s+to)\s+(?:the\s+)?(?:financial\s+|technical\s+|logistical\s+)?",
     r"(?:support|funding|funds|financing|assistance|help|a\s+grant|grants?|backing)",
     r"\s+(?:from|of)\s+(?:the\s+)?(?:[A-Z][\w.]*['’]s\s+)?$"),  # "with support from the UK's FCDO"
    (r"\b", r"(?:together|jointly|in\s+partnership|in\s+collaboration|in\s+cooperation)", r"\s+with\s+(?:the\s+)?$"),
    # what a change was possible, done or measured thanks to ("thanks to the X the list was crossed", "thanks to the
    # X and the Y, which upgraded ..."): X made it possible (not the "to" of a target: "complained to the X")
    (r"\b", r"thanks", r"\s+to\s+(?:the\s+)?(?:[A-Z][\w.]*['’]s\s+)?$"),
    (r"\b(?:received|got|obtained|secured)\s+[\w\s-]{0,30}?", r"(?:support|funding|funds|grant|training|advice)",
     r"\s+from\s+(?:the\s+)?$"),
    (r"\b(?:at|on)\s+the\s+", r"(?:request|initiative|invitation|urging|instigation)", r"\s+of\s+(?:the\s+)?$"),
    # the doer of an act of advocacy that brought the change about ("Following advocacy by X, the council ...",
    # "after two years of lobbying by X and Y", "thanks to the campaigning of X"): X acted for the change
    (r"\b", r"(?:advocacy|lobbying|campaigning|campaigns?|petitions?|mobili[sz]ation|(?:advocacy\s+)?efforts?|pressure)",
     r"\s+(?:by|of)\s+(?:the\s+)?(?:[A-Z][\w.]*['’]s\s+)?$"),
    # the author of the decision, order or recommendation the change followed ("after a decision of the X",
    # "following a ruling by the X"): X brought it about (as an order that allows it does)
    (r"\b(?:after|following)\s+(?:an?\s+|the\s+|its\s+)?(?:\w+\s+)?",
     r"(?:decision|recommendation|order|ruling|instruction|directive|resolution)s?", r"\s+(?:of|by|from)\s+(?:the\s+)?$"),
)
_CONTRIB_BEFORE = re.compile("|".join(before + cue + after for before, cue, after in _CUE_PHRASES), re.I)


# ... and so is the subject of a contribution verb.
CONTRIBUTION_VERBS = ("hired|provided|trained|funded|co-funded|financed|co-financed|supported|sponsored|facilitated|"
                      "organised|organized|mobilised|mobilized|helped|accompanied|assisted|donated|supplied|hosted|"
                      "led|coordinated|lobbied|drafted|advised|mentored|convened|championed|documented|compiled|"
                      "prepared|prepares|provides|trains|funds|supports")
CONTRIBUTION_VERB_WORDS = frozenset(CONTRIBUTION_VERBS.split("|"))


def acts_after(text: str, end: int) -> bool:
    """An active verb right after a subject ending at ``end`` (:data:`.sentence_parts.ACTIVE_VERB_AFTER`) that is no
    act of contribution ("The X Department later funded it" contributed; "... now publishes" changed)."""
    verb = ACTIVE_VERB_AFTER.match(text, end)
    return verb is not None and verb["verb"] not in CONTRIBUTION_VERB_WORDS


_CONTRIB_AFTER = re.compile(
    rf"^(?:\s*\([^()]{{1,40}}\))?(?:\s*,\s*(?:based|headquartered)\s+in\s+[^,]{{1,40}},)?"
    rf"(?:\s+(?:also|then|had|has|have|jointly|further|later|successfully|initially))*\s+(?:{CONTRIBUTION_VERBS})\b")


# The target of advocacy is not a contributor: "a meeting with X", "complained to X", "between X and Y"; nor is a
# body something happened in ("raised the case in the X": a venue)
_TARGET_BEFORE = re.compile(r"(?:\bto|\bwith|\bin|\bbetween|\bbefore|\bmeet|\bmet|\bmeeting|\blobbied|\bpetitioned|"
                            r"\bbriefed|\bpressured|\burged|\binvited|\bpersuaded|\bagainst)\s+(?:the\s+)?$", re.I)


_TARGET_EXCEPT = re.compile(r"(?:together|jointly|partnership|collaboration|cooperation|along|alongside)\s+with\s+"
                            r"(?:the\s+)?$"
                            # a clause that opens on "with" tells who a thing was done with ("With the X and the
                            # Y, the registry was done"), not whom someone met
                            r"|(?:^|[.;:]\s+)with\s+(?:the\s+)?$", re.I)


_LIST_JOIN = re.compile(r"^\s*(?:\([^()]{1,40}\))?\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)(?:the\s+)?$")


# (", together with" before ",": the longer join first, or "X, together with Y" stops at "together")
_SUBJECT_JOIN = re.compile(r"\s*(?:\([^()]{1,40}\))?\s*(?:,?\s+together\s+with\s+|,?\s+jointly\s+with\s+"
                           r"|,?\s+along\s+with\s+|,\s*(?:and\s+)?|\s+and\s+|\s+dan\s+(?=[A-Z])|\s*[&+]\s*"
                           # (Spanish, Portuguese, French "and the": "X y la Municipalidad de Y")
                           r"|\s+(?:y|e|et)\s+(?=(?:la|el|los|las|le|les|a|o|as|os)\s+[^\W\d_a-z]))"
                           r"(?:the\s+|(?:la|el|los|las|le|les|a|o|as|os)\s+(?=[^\W\d_a-z])|\d{1,3}\s+(?=[a-z]))?")  # ("X + 3 university papers": a count of bodies)


_CREATED = re.compile(r"\b(?:set\s+up|formed|established|created|founded|launched|registered|constituted)\s+"
                      r"(?:a\s+|an\s+|the\s+|its\s+)?(?:new\s+)?$", re.I)


_PROGRAMME_PHRASE = re.compile(r"\b(?:[Tt]he|[Oo]ur|[Tt]his)\s+(?:programme|program)\b(?:’s|'s)?|"
                               r"\b(?:Programme|Program)(?=\s+(?:staff|team|partners?)\b)")


# FragmentIDs: PROGRAMME-CCCYYMM/OBJnnn (SCC-KEN2508/CIV008) and similar.
FRAGMENT_REF = re.compile(r"\b[A-Z][A-Za-z0-9]{1,11}-[A-Z]{2,4}\d{2,6}/[A-Z]{2,6}\d{1,4}\b")


# "DFP supported Jonction to document ...": the partner the programme enabled acted too.
_ENABLED = re.compile(r"\b(?:supported|funded|financed|helped|enabled|assisted|accompanied|equipped|commissioned|"
                      r"engaged|contracted|mentored|coached|backed|granted|sponsored)\s+(?:the\s+)?")


def enabled_partners(text: str) -> list[tuple[int, int]]:
    """Where a partner's name starts and the " to <verb>" that ends its phrase begins, for each "supported
    X to <verb>" in ``text`` (X is read by the caller: a capitalised name or a role phrase)."""
    out = []
    for m in _ENABLED.finditer(text):
        # (or "for the <act>": "supported Guinée Écologie for the consultations", the partner ran them)
        to = re.search(r"\s(?:to|in order to)\s+[a-z]+|\sfor\s+the\s+[a-z]+", text[m.end():m.end() + 120])
        if to and not re.search(r"[.;:]", text[m.end():m.end() + to.start()]):
            out.append((m.end(), m.end() + to.start()))
    return out


# Where a doer's name follows in a contribution field, as the field's grammar says it: the agent of an act or
# a participle ("funded the legal review by X", "the training, delivered by X", "carried out by X"), a partner
# named by the noun ("w/ partner X", "through its partner X"), a collaborator of a made thing ("tanks designed
# with X"), or any contribution phrase ("with support from X", "following advocacy by X").
_MADE = (r"(?:designed|developed|prepared|produced|drafted|built|implemented|organi[sz]ed|run|delivered|conducted|"
         r"carried\s+out|co-organi[sz]ed|co-designed|"
         # the participles of any making ("the study done with X", "the survey made with X"), and any participle
         # that a comma sets after the thing it tells of ("the monitors, installed with X and Y"): a reduced
         # relative, never a finite verb whose "with" names a counterpart ("agreed with X", "met with X")
         r"done|made|(?<=,\s)[a-z]+ed)\s+(?:jointly\s+)?with")  # a thing made with its maker
_AGENT_CUE = re.compile(r"(?<![\w-])(?:by|via|partners?(?:\s+organi[sz]ations?)?|"
                        # a terse note's "with" after the support given ("drafting support w/ X")
                        r"(?:support|assistance|help)\s+w/|"
                        # people who act for a body ("paid two lawyers of the X who prepared the file")
                        r"(?:lawyers|staff|experts|consultants|researchers|facilitators|trainers|paralegals|"
                        r"volunteers|technicians|engineers|surveyors)\s+(?:of|from)|"
                        rf"{_MADE})\s+(?:the\s+)?(?=[^\W\d_a-z])")
_MADE_WITH = re.compile(rf"{_MADE}\s+(?:the\s+)?$", re.I)


# the cue of every phrase of _CONTRIB_BEFORE: a text without one holds no phrase (a pre-check)
_CUE_WORDS = re.compile("|".join(cue for _, cue, _ in _CUE_PHRASES), re.I)


def agent_cues(text: str, field_contributes: bool) -> list[int]:
    """Where a name that a contribution cue introduces starts: in a contribution field (``field_contributes``)
    after "by", "partner" or "<made> with"; in any field (a contribution field too) after a contribution phrase
    ("supported by", "advocacy by", "with support from", "together with", "thanks to")."""
    out = [m.end() for m in _AGENT_CUE.finditer(text) if field_contributes]
    if _CUE_WORDS.search(text):  # (a pre-check: most fields have no such phrase)
        # (in a contribution field too: "trained the officers, together with X, on ...", "thanks to the X which")
        # (not "accompanied by a costing from the X": people or things "from" a body act for it only in a
        # contribution field)
        out += [m.end() for m in re.finditer(r"(?<![\w-])(?:by|of|from|with|to)\s+(?:the\s+)?(?=[^\W\d_a-z])", text)
                if contributes_by_phrase(text, m.end())
                and not re.search(r"\bby\s+(?:\w+\s+){1,3}?(?:from|of)\s+(?:the\s+)?$", text[max(0, m.end() - 60):m.end()])]
    return sorted(set(out))


_ADVOCACY_BEFORE = re.compile("|".join(before + cue + after for before, cue, after in _CUE_PHRASES if "advocacy" in cue),
                              re.I)


def advocacy_by(text: str, start: int) -> bool:
    """"Following advocacy by X", "after two years of lobbying by X": the change followed X's advocacy."""
    return bool(_ADVOCACY_BEFORE.search(text[max(0, start - 80):start]))


def contributes_by_phrase(text: str, start: int) -> bool:
    """"supported by X", "with support from X", "together with X": X contributed."""
    return bool(_CONTRIB_BEFORE.search(text[max(0, start - 80):start]))


# "after the X recommended it", "once the X (ACR) ordered it": the change followed what X asked for or decided
_TRIGGER_BEFORE = re.compile(r"\b(?:after|following|once)\s+(?:the\s+)?(?:[A-Z][\w&-]{1,14}\s+\()?$", re.I)
_TRIGGER_AFTER = re.compile(r"\)?(?:\s*\([^()]{1,60}\))?\s+(?:had\s+|has\s+)?(?:recommended|ordered|requested|"
                            r"instructed|ruled|decided|directed|urged|demanded|asked\s+for)\b")


def contributes_by_trigger(text: str, start: int, end: int) -> bool:
    """"The X adopted ..., after the Y recommended it": Y, the subject of the clause the change followed, whose
    verb asks for or decides it, brought the change about."""
    return bool(_TRIGGER_BEFORE.search(text[max(0, start - 40):start])) and bool(_TRIGGER_AFTER.match(text, end))


def contributes_by_verb(text: str, end: int) -> bool:
    """"X trained ...", "X (ACR), based in Maputo, supported ...": X contributed."""
    return bool(_CONTRIB_AFTER.match(text[end:end + 120]))


def is_target(text: str, start: int) -> bool:
    """"a meeting with X", "complained to X": X is the target, not a contributor; nor are the people the
    programme trained and the body they come from ("trained 35 women from the X"), nor a station another
    actor spoke on ("publicised it on Radio X"), nor the body whose document is named ("the policy of the X")."""
    before = text[max(0, start - 60):start]
    return (bool(_TARGET_BEFORE.search(before[-40:])) and not _TARGET_EXCEPT.search(before[-40:])
            or bool(_TRAINEES_OF.search(before)) or bool(_DOCUMENT_OF.search(before[-40:]))
            or bool(_CHANNEL.search(before[-20:]) and _MEDIA_AHEAD.match(text, start))) \
        and not contributes_by_phrase(text, start) and not _MADE_WITH.search(before[-40:]) \
        and not _CONTRIBUTED_WITH.search(before)


# who an act of contribution was done with did it too ("co-financed the rinks with X", "sponsored the certificates
# of the guards with X", "pay for the training of the lifeguards with X"): the act's verb in the same clause,
# with its object between (not "helped with VPN licences": what was helped with)
_CONTRIBUTED_WITH = re.compile(rf"\b(?:{CONTRIBUTION_VERBS}|paid|pays?)\s+(?!with\b)[^.;:,]{{1,60}}?\swith\s+(?:the\s+)?$",
                               re.I)


_TRAINEES_OF = re.compile(r"\b(?:trained|coached|mentored|taught|sensiti[sz]ed|equipped)\s+(?!by\b)(?:[\w'’-]+\s+){1,4}?"
                          r"(?:from|of)\s+(?:the\s+)?$", re.I)
# the body whose document is named ("on the re-entry policy of the X", "the guidelines of the X"): mentioned
_DOCUMENT_OF = re.compile(r"\b(?:policy|policies|law|laws|act|plan|plans|strategy|guidelines?|regulations?|rules|code|"
                          r"curriculum|framework|report|decree|directive|circular|standards?|by-laws?)\s+of\s+(?:the\s+)?$",
                          re.I)
_CHANNEL = re.compile(r"\bon\s+(?:the\s+)?$", re.I)
# a station or a broadcaster: its name has one of these words among its first four
_MEDIA_AHEAD = re.compile(r"(?:[\w'’.-]+\s+){0,3}?(?:Radio|Rádio|Radyo|Redio|TV|Television|Télévision|Televisión|FM|"
                          r"Broadcasting|Broadcaster|Channel)\b")


def joins_list(text: str, prev_end: int, start: int) -> bool:
    """``text[prev_end:start]`` is a list separator (", ", " and ", " and the ")."""
    return bool(_LIST_JOIN.match(text[prev_end:start]))


def next_subject(text: str, prev_end: int) -> int | None:
    """Where a coordinated subject starts after one ending at ``prev_end`` ("HURIA and HSI",
    "X (ACR) and the Y", "X, together with Y"); None when the subject ends there."""
    m = _SUBJECT_JOIN.match(text, prev_end)
    return m.end() if m else None


def created_object(text: str, start: int) -> bool:
    """"set up the X", "formed the X": X is the new actor the outcome brought about."""
    return bool(_CREATED.search(text[max(0, start - 40):start]))


def programme_phrases(text: str) -> list[Span]:
    """"the programme", "the program's", "Programme staff": the programme whose harvest it is."""
    return [Span(m.start(), m.end(), m.group()) for m in _PROGRAMME_PHRASE.finditer(text)]


def fragment_refs(text: str) -> list[str]:
    """FragmentIDs named in the text ("This builds on outcome SCC-KEN2508/CIV008.")."""
    return list(dict.fromkeys(m.group() for m in FRAGMENT_REF.finditer(text)))


def context_sentences(text: str, spans: list[tuple[int, int]]) -> str | None:
    """The sentences of ``text`` that contain any of ``spans`` (the contribution text of an actor)."""
    picked = [(s, e) for s, e in sentences(text) if any(s <= a < e for a, _ in spans)]
    if not picked:
        return None
    return " ".join(text[s:e].strip() for s, e in picked)
