"""Sentences, clauses and the leading phrases before a subject ("In May 2025,", "After Cyclone Lola,"):
where the grammatical subject of a sentence can begin."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache


_QUANTIFIER = re.compile(r"(?:(?:the|a|an|la|el|los|las|le|les|o|os|some|several|many|about|around|over|more than|at least|\d[\d,]*|one|two|"
                         r"three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens of|hundreds of)\s+)*", re.I)


_TIME_LEAD = re.compile(
    r"\s*(?:(?:In|By|On|During|Since|From|Between|Early|Late|At|Over|After|Before|Towards?|Around|Already"
    r"|En|Em|Desde|Depuis|Dès|Pada|Sejak|Tangu|Mwaka)\b"
    r"[^,.;]{0,60}?\b(?:(?<!the )(?:19|20)\d{2}\b(?:\s*[-–/]\s*\d{2,4})?"
    # (a range: "Between October 2024 and March 2025,", "From 2023 to 2025")
    r"(?:\s+(?:and|to|until|till|through)\s+(?:[A-Za-z]+\s+){0,2}?(?:19|20)\d{2}\b)?"
    # (a year after "the" modifies the noun after it, "After the 2024 floods destroyed ...", which is the subject
    # of the clause the lead opens: no time of its own, but "During the 2024 school year")
    r"|(?<=the )(?:19|20)\d{2}(?=(?:\s+[a-z]+)?\s+(?:season|quarter|term|semester|cycle|school\s+year)\b))"
    r"(?:(?:\s+[a-z]+)?\s+(?:season|quarter|term|semester|cycle|school\s+year)\b)?\s*,?\s*)")


# A date written before the clause without a preposition, as notes and tables write it ("Mar 2025: the
# council approved ...", "Jan 2025 X and Y signed ...", "Apr 2025 - X accredited ...", "since sept 2024
# village committees run ..."): the parser reads the month as the subject or glues the date to the name
# after it. Month names or their abbreviations, an optional day, a year, and an optional ":", "-" or ",".
# (and the months of French, Spanish, Portuguese, Indonesian, German and Dutch, as notes written in or near those
# languages abbreviate them: "Okt 2024:", "Ene 2025:", "Déc 2024:", "juil. 2025")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
          r"|janv(?:ier)?|f[ée]vr?(?:ier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|ao[uû]t|d[ée]c(?:embre)?"
          r"|ene(?:ro)?|febrero|abr(?:il)?|mayo|jun[ií]o|jul[ií]o|ago(?:sto)?|set(?:iembre|embro)?|oct(?:ubre)?"
          r"|dic(?:iembre)?|fev(?:ereiro)?|out(?:ubro)?|dez(?:embro)?|januari|februari|mei|juni|juli|agu(?:stus)?"
          r"|okt(?:ober)?|des(?:ember)?|m[äa]rz|mrt"
          # Tagalog, Swahili and Turkish (not "mart", "ekim": words too)
          r"|pebrero|marso|hunyo|hulyo|setyembre|oktubre|nobyembre|disyembre"
          r"|machi|aprili|julai|agosti|septemba|oktoba|novemba|desemba"
          r"|ocak|şubat|nisan|mayıs|haziran|temmuz|ağustos|eylül|kasım|aralık)\.?")
# one date, or several joined as notes join them ("Jul 2024 + Jul 2025:", "Mar & Sep 2025:")
_ONE_DATE = rf"(?:\d{{1,2}}\s+)?(?i:{_MONTH})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?,?)?(?:\s+(?:19|20)\d{{2}})?"
# a date, then where, then a colon, as notes open ("Feb 2025, Pikit, Cotabato: religious leaders ...", "18 Jan 2025,
# kanduli in Datu Piang, Maguindanao del Sur: ..."): capitalised names joined by connectors, an event's word before
# "in" or "at"
_PLACE_WORDS = r"[A-ZÀ-Ý][\w'’.-]*(?:\s+(?:(?:de|del|da|do|la|el|of|the)\s+)?[A-ZÀ-Ý][\w'’.-]*){0,4}"
_DATE_PLACE_LEAD = re.compile(
    rf"\s*(?:\d{{1,2}}\s+)?(?i:{_MONTH})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?,?)?\s+(?:19|20)\d{{2}}"
    rf"\s*,\s*(?:[a-z][\w-]*\s+(?:in|at)\s+)?{_PLACE_WORDS}(?:\s*,\s*{_PLACE_WORDS})*"
    rf"(?:\s*\({_PLACE_WORDS}\))?\s*:\s+(?=\S)")  # (and its region in brackets: "Guamote (Chimborazo):")
_DATE_LEAD = re.compile(
    rf"\s*(?:(?i:since|from|as\s+of|by|in|until|till)\s+)?(?:{_ONE_DATE}\s*(?:[+&/,\u2013-]|and)\s*)*"
    rf"(?:(?:\d{{1,2}}\s+)?(?i:{_MONTH})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?,?)?\s+(?:19|20)\d{{2}}"
    rf"|(?i:{_MONTH})[-/'’]\d{{2}}\b)"  # (or a month and its year in one word: "MAR-25", "Oct/24")
    rf"\s*(?:[:,\u2013\u2014-]\s*)?(?=\w)(?!(?:was|is|saw|marked|brought)\b)"
    rf"|\s*(?:19|20)\d{{2}}\s*:\s*(?=\w)")

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
_LONG_MONTHS = tuple(m.lower() for m in MONTH_NAMES if len(m) >= 5)
_ANY_MONTH = re.compile(_MONTH)
_MONTH_YEAR = re.compile(r"([A-Za-zéû]{3,9})\.?[-/'’](\d{2})")  # "MAR-25", "Oct/24", "Jun'25": a month and its year


def dates_a_name(word: str, after: str) -> bool:
    """Whether ``word`` followed by the word ``after`` is a date written before a name or a clause, as notes write it
    ("JUN 2024 Binga Rural District Council", "Febuary 2025 Sre Preah Commune Council", "MAR-25 The District ..."): a
    month in any case and language (:data:`_MONTH`), or an English month of five letters or more misspelt by one
    letter (two in one of seven or more: "Febuary", "Octobor", "Augst", "Janaury"), then a number; or a month and its
    year in one word ("MAR-25")."""
    m = _MONTH_YEAR.fullmatch(word)
    if m is not None:
        return _ANY_MONTH.fullmatch(m.group(1).lower()) is not None
    if not after[:1].isdigit():
        return False
    w = word.rstrip(".").lower()
    if _ANY_MONTH.fullmatch(w):
        return True
    from rapidfuzz.distance import Levenshtein

    return len(w) >= 5 and w.isalpha() and any(
        Levenshtein.distance(w, m, score_cutoff=2) <= (1 if len(m) <= 6 else 2) for m in _LONG_MONTHS)


# a word and a year opening a clause: a date when the word is a month, however written ("Janaury 2025 Choma ...")
_WORD_YEAR_LEAD = re.compile(r"\s*(?:(?i:in|since|from|by|until)\s+)?([^\W\d_]{4,10})\.?\s+(?:19|20)\d{2}\s*"
                             r"(?:[:,\u2013\u2014-]\s*)?(?=\w)(?!(?:was|is|saw|marked|brought)\b)")


# A label of minutes or notes before a colon, not a clause: one word ("Negative:", "Acuerdo:"), or a few words
# that end in a dated meeting ("Points agreed, 3 Mar 2025:", "Result (Nov 2024):", "Minutes 3/2025:",
# "Meeting notes, DEM office Zomba, 4 Apr 2025 - item 3:"). The label is never an actor; the clause or the names
# after the colon are the outcome's. (Not after "The": "The road to X is long: ..." is a clause.)
_LABEL_LEAD = re.compile(
    rf"\s*(?!(?:The|A|An|In|On|At)\b)[A-Z][a-zà-ÿ'’-]+(?:(?=[\s,(])[^:;.!?\n]{{0,80}}?"
    rf"(?:(?:\d{{1,2}}\s+)?(?i:{_MONTH})\s+(?:\d{{1,2}},?\s+)?(?:19|20)\d{{2}}|\d{{1,2}}/(?:19|20)\d{{2}})"
    rf"[^:;.!?\n\w]{{0,3}}(?:[\u2013\u2014-]\s*[a-z]+\s+\d+)?\s*:\s+(?=\S)"
    # (one word without a date: only before a name or an article, "Oxfam: trained ..." is a clause)
    rf"|\s*:\s+(?=[^\W\d_a-z]|(?:the|la|el|los|las|le|les|l'|o|os|a)\s))")

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[A-Z\"“(])|\n+")


_ABBREV = re.compile(r"\b(?:No|Nos|p|pp|Dr|Mr|Mrs|Ms|St|Hon|Ltd|Lda|Inc|etc|e\.g|i\.e|vs|Art|Sec|Prof|Gov|Rev|[Pp]rov|[Dd]ept|[Gg]ovt|approx)\.$")


# a bracket the sentence goes on after ("Metrocable S.A. (the operator of the line) put in lighting": the point of
# an abbreviation no table holds, then a bracket and a lower-case word after it): no sentence starts there
_BRACKET_INSIDE = re.compile(r"\([^()\n]{1,200}\)\s+[a-z]")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets; no split after abbreviations such as "No." or "Lda."."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if _ABBREV.search(text[start:m.start()]) or _BRACKET_INSIDE.match(text, m.end()):
            continue
        if text[start:m.start()].strip():
            out.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text.rstrip())))
    if len(out) == 1 and unpunctuated(text[out[0][0]:out[0][1]]):
        return _spaced_clauses(text, *out[0])
    return out


# Text without sentence punctuation ("Commissaire central de Lomé now informs detainees ...  the Barreau du Togo sends
# duty lawyers ..."): notes typed in haste, or pasted from a form, separate their sentences by two spaces or more
_PUNCTUATED = re.compile(r"[.!?;]")
# (not before a verb: "the municipality of Bar Elias  agreed to ...": the spaces stand between a subject and its verb)
_SPACED = re.compile(r"(?<=[^\s,])[^\S\n]{2,}(?=\S)(?![a-z]+ed\b|(?:has|have|had|was|were|is|are|will|now)\b)")


def unpunctuated(text: str) -> bool:
    """Whether ``text`` has no sentence punctuation but at its end, and two spaces or more between words somewhere
    (its sentences are split where they stand)."""
    return _PUNCTUATED.search(text.rstrip().rstrip(".!?")) is None and _SPACED.search(text) is not None


def _spaced_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]``, a text without sentence punctuation, split where two spaces or more
    stand between words, each part of four words or more; the whole where there is no such split."""
    out, s = [], start
    for m in _SPACED.finditer(text, start, end):
        if len(text[s:m.start()].split()) >= 4 and len(text[m.end():end].split()) >= 4:
            out.append((s, m.start()))
            s = m.end()
    out.append((s, end))
    return out


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of a sentence joined by semicolons, each of three words or more (the parser gives
    such a sentence one root, and the first clause's subject is lost)."""
    out: list[tuple[int, int]] = []
    s = start
    for m in re.finditer(r";\s+", text[start:end]):
        cut = start + m.start()
        if len(text[s:cut].split()) >= 3 and len(text[start + m.end():end].split()) >= 3:
            out.append((s, cut))
            s = start + m.end()
    out.append((s, end))
    return out


def sentence_of(text: str, pos: int) -> tuple[int, int]:
    for s, e in sentences(text):
        if s <= pos < e or pos == e:
            return s, e
    return 0, len(text)


# A bullet or an item number before a note ("- X + Y: approved ...", "• X signed ...", "2) X agreed ..."): no
# word of the clause (the tagger reads "-" as a number or a list marker the parser makes the subject)
_BULLET = re.compile(r"\s*(?:[-•*–—]|\d{1,2}[.)])\s+(?=\S)")


def bullet_end(text: str, start: int, end: int) -> int:
    """Where the note after a leading bullet begins, else ``start``."""
    m = _BULLET.match(text, start, end)
    return m.end() if m else start


# A text in labelled paragraphs ("Context: eye care in the region relied on one surgeon.\n\nChange: since May 2025 the
# district hospitals hold ..."): a capitalised word and a colon that open two paragraphs or more are labels, never
# the subject of the clause after them (a single "X: did what" is a note: :func:`note_colon`)
_SECTION_LABEL = re.compile(r"[^\S\n]*[A-Z][a-z]+:[^\S\n]+(?=\S)")
_SECTION_LABELS = re.compile(r"(?m)^[^\S\n]*[A-Z][a-z]+:[^\S\n]+\S")


# A field that opens with its own name or a heading of the template as a label ("Other actors and factors: the X
# validated ...", "Other actors: ...", "Programme contribution: ..."): the label names no actor
FIELD_LABEL = re.compile(r"\s*(?:(?:contribution\s+of\s+)?(?:the\s+)?(?:other\s+)?(?:actors|factors)(?:\s+and\s+"
                         r"(?:factors|actors))?|contribution(?:\s+of\s+the\s+programme)?|(?:the\s+)?programme['’]?s?\s+"
                         r"contribution|significance|evidence|context)\s*:\s*", re.I)


def _section_label_end(text: str, start: int, end: int) -> int:
    """After the label of a paragraph of a text in labelled paragraphs (see above), else ``start``."""
    m = _SECTION_LABEL.match(text, start, end)
    if m is None or text[:start].rstrip(" \t")[-1:] not in ("", "\n") or len(_SECTION_LABELS.findall(text)) < 2:
        return start
    return m.end()


def time_lead_end(text: str, start: int, end: int) -> int:
    """Where the clause after a leading time phrase begins ("From April 2025 community health agents
    ..." → "community ..."), else ``start``. Without a comma the parser reads such a phrase as a
    preposition governing the subject ("From ... agents"), so the clause after it is parsed alone."""
    start = bullet_end(text, start, end)
    start = _section_label_end(text, start, end)
    m = _DATE_PLACE_LEAD.match(text, start, end)
    if m is not None and (w := re.match(r"[a-z]+", text[m.end():end])) is not None \
            and (w.group().endswith("ed") or w.group() in _IRREGULAR_PAST):
        m = None  # ("Jan 2025, Kenya Red Cross: trained ...": who, then what they did, as notes write it)
    m = m or _TIME_LEAD.match(text, start, end) or _DATE_LEAD.match(text, start, end) \
        or _LABEL_LEAD.match(text, start, end)
    if m is None and (w := _WORD_YEAR_LEAD.match(text, start, end)) is not None and dates_a_name(w.group(1), "1"):
        m = w
    return bullet_end(text, m.end(), end) if m else start  # ("Meeting notes, 4 Apr 2025: • X: approved ...")


# Notes write who acted, a colon, then what they did, with no subject before the verb ("Kilosa District Council
# + village councils: approved land use plans", "X: signed MoU w/ 14 factories"). The part before the colon is
# the subject when it holds no verb of its own and the part after it starts with a verb in the past (a regular
# "-ed" form or a common irregular one), not with an article or a pronoun (then it is a clause of its own:
# "Minutes: the council approved ...").
_NOTE_HEAD = re.compile(r"(?P<head>[^:;.!?\n]{3,140}?)\s*:\s+(?P<verb>[a-z][a-z-]+)\b")
_IRREGULAR_PAST = frozenset("""began set held took made gave won sent paid ran put kept got built wrote met brought chose
cut spent sold bought found led lent stood drew understood undertook withdrew became did rose shut hired""".split())
_NOTE_HEAD_VERBS = frozenset("""is are was were be been being has have had will would shall should can could may might
must do does did says said""".split())


def note_colon(text: str, start: int, end: int) -> int | None:
    """Where the colon of a note "<who>: <did what>" stands in ``text[start:end]``, else None (see above)."""
    m = _NOTE_HEAD.match(text, start, end)
    if m is None:
        return None
    verb, head = m.group("verb"), m.group("head").split()
    if not (verb.endswith("ed") or verb in _IRREGULAR_PAST) or len(head) > 16 \
            or any(w.lower() in _NOTE_HEAD_VERBS or (w[:1].islower() and w.endswith("ed")) for w in head) \
            or any(w[:1].islower() and not w.isascii() for w in head):  # (a name in another language: not parsed)
        return None
    return text.index(":", m.end("head"))


# A leading phrase that is not about time, closed by a comma: a cause, a condition, a circumstance
# ("After Cyclone Lola, ...", "Despite pressure from the mayor, ...", "When the drought hit, ..."). The
# parser often takes the name inside it for the subject ("After Cyclone Lola, the council adopted": Lola).
# After a time phrase or a place the lead starts in lower case ("In February 2025, after a campaign by X, ..."):
# only a lead that cannot open the main clause ("since July 2024 the Banco Unión opens ..." can).
_LEAD = re.compile(
    r"\s*(?:(?:after|following|despite|in\s+spite\s+of|thanks\s+to|because\s+of|due\s+to|owing\s+to|as\s+a\s+result\s+of|"
    r"in\s+response\s+to|in\s+the\s+wake\s+of|amid(?:st)?|prompted\s+by|at\s+the\s+request\s+of|"
    # (after a time lead: "In July 2024, with support from X, the Y and the Z signed ...")
    r"with\s+(?:the\s+)?(?:support|funding|help|assistance|backing|financing|technical\s+support)\s+(?:of|from))\b|"
    r"After|Following|Despite|In\s+spite\s+of|With(?:out)?|Thanks\s+to|Because\s+of|Due\s+to|Owing\s+to|"
    r"As\s+a\s+(?:result|consequence)\s+of|In\s+response\s+to|In\s+the\s+wake\s+of|In\s+line\s+with|Under|Through|"
    r"Amid(?:st)?|Given|Faced\s+with|Prompted\s+by|At\s+the\s+request\s+of|On\s+the\s+basis\s+of|Based\s+on|"
    r"Building\s+on|Once|When|Whenever|Although|Though|While|Whereas|Since|Before|During|Until|As|If|Unlike|Like|"
    r"Apr[eè]s|Tras|Desde|Ap[oó]s|Malgr[eé]|Setelah|Baada\s+ya|"
    # a participle and its complement ("Having seen ...,", "Worried by ...,", "Yielding to the requests of ...,")
    r"Having\s+[a-z]+|[A-Z][a-z]{2,}(?:ed|ing)\s+(?:by|to|with|at|about|from|on|over)(?=\s+[a-z0-9]))"
    r"\b(?:[^,;.:()]|\([^()]{1,40}\)){2,120}?,\s+"
    r"(?=\S+\s+\S+\s+\S)")  # (a bracketed short form inside: "After the X Council (EWC) and our team trained ...,")
# what may follow a lead's comma and still be the lead's: a place ("..., in Alto Paraguay, the X filed ...") or
# the name of what the lead named by a common noun ("After two years of engagement by our organisation, Tesfa
# Water Action, the Y connected ...")
_LEAD_TAIL = re.compile(r"(?:(?P<place>(?:in|near|at|of)\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})"
                        r"|(?:the\s+)?[A-Z][\w'’.&-]*(?:\s+(?:[A-Z][\w'’.&-]*|de|del|da|do|des|du|of|for|and|the|"
                        r"their|with|ya|wa|na|kwa|ng|sa|y|e|et|la|el)){0,11})(?:\s+\([^()]{1,40}\))?,\s+"
                        # (the rest of a relative clause the name interrupted: "Through the dialogue that our
                        # organisation, the X (ACR), held with the district in 2024, the Y took ...")
                        r"(?P<rest>(?<=,\s)[a-z]+\s[^,;.()]{2,60},\s+)?(?=(?:the|The)\s+\S+\s+\S)")
# the common noun a lead names the writer's or another organisation by, before its name
_LEAD_NAMED = re.compile(r"\b(?:organi[sz]ation|partner|network|team|member|ally|allies|coalition|union|association|"
                         r"NGO)\s*,\s+$")


# "In the district of Kailali, ...", "In Kisumu and Siaya, ...", "In Ermera municipality, ...": where it
# happened, closed by a comma; the place is no subject, nor joined to the subject by the comma
_PLACE_LEAD = re.compile(
    r"\s*In\s+(?:the\s+)?(?:[a-z-]+\s+(?:of|de)\s+(?:the\s+)?)?[A-ZÀ-ÝĀ-Ž][\w'’-]*"
    r"(?:\s+(?:and\s+|&\s+)?[A-ZÀ-ÝĀ-Ž][\w'’-]*)*(?:\s+[a-z]+)?"
    # (and its region after a comma: "In Ciudad Victoria, Tamaulipas, the ...")
    r"(?:,\s+[A-ZÀ-ÝĀ-Ž][\w'’-]*(?:\s+[A-ZÀ-ÝĀ-Ž][\w'’-]*){0,2}(?=,))?,\s+(?=\S+\s+\S+\s+\S)")


_RELATIVE_LEAD = re.compile(r"(?:where|which|whose|who)\s(?:[^,;.:()]|(?<=\d)[,.](?=\d)){2,160}?,\s+(?=\S+\s+\S+\s+\S)")


# "In the department of Abalak the herders' associations accepted ...": a place by its unit word, with no comma
# before the subject in lower case after it (the parser reads the subject into the place's phrase)
_UNIT_LEAD = re.compile(r"(?:In|At|Across|Throughout)\s+the\s+(?:district|department|region|province|county|commune|"
                        r"municipality|village|town|city|state|woreda|upazila|governorate|prefecture|island)s?\s+of\s+"
                        r"[A-ZÀ-Ý][\w'’-]+(?:\s+(?:and\s+)?[A-ZÀ-Ý][\w'’-]+)*\s+(?=(?:the\s+)?[a-z])"
                        r"(?!(?:and|or|in|of|on|at|to|for|with|is|was|were|are|has|had|have|there|it)\b)")


def lead_end(text: str, start: int, end: int) -> int:
    """Where the main clause begins after a leading time phrase (:func:`time_lead_end`) or a leading
    phrase of another kind closed by a comma ("After Cyclone Lola, the council ..." → "the council
    ..."), else ``start``: the lead is parsed no more, so its names are never taken for the subject."""
    pos = time_lead_end(text, start, end)
    whole = _LEAD.match(text, start, end) if pos > start else None
    if whole is not None and whole.end() > pos and "," not in text[start:pos] and len(text[start:pos].split()) >= 6:
        # "After the bulldozers of a ranch entered in 2024 the territory near X, the Y filed ...": a clause that
        # ends in a date is no time phrase ("Since January 2025 women's committees in X and Y, Z, have ..." is)
        pos = start
    # "In Kaya, where the population doubled ..., the X connected ...", "In Casablanca, after the hearings, a
    # budget line ...": a place closed by a comma, then a relative clause or another lead, is all lead (the parser
    # makes the place the root of such a sentence and finds no subject)
    place = _PLACE_LEAD.match(text, pos, end)
    if place is not None:
        rel = _RELATIVE_LEAD.match(text, place.end(), end)
        if rel is not None:
            return rel.end()
        if _LEAD.match(text, place.end(), end) is not None:
            pos = place.end()
    unit = _UNIT_LEAD.match(text, pos, end)
    if unit is not None:
        return unit.end()
    m = _LEAD.match(text, pos, end)
    if m is None:
        return pos
    tail = _LEAD_TAIL.match(text, m.end(), end)
    if tail is not None and (tail.group("place") or _LEAD_NAMED.search(m.group())) \
            and (tail.group("rest") is None or re.search(r"\b(?:that|which|who|whom)\b", m.group())):
        return tail.end()
    # "As a result of a dialogue process which involved the bairro secretaries, the market vendors and the
    # councillors, the council agreed ...": the lead's comma closed the first member of a list of lower-case
    # people or groups; the rest of the list, up to its "and" member and a comma, is the lead's too
    if re.search(r"\b[a-z][\w'’-]*,\s+$", m.group()):
        rest = _LIST_REST.match(text, m.end(), end)
        if rest is not None:
            return rest.end()
    return m.end()


_LOWER_NP = r"(?:the\s+|their\s+|its\s+)?[a-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,3}"
# the members of a lower-case list after its first, up to the comma after its "and" member (and a clause after it)
_LIST_REST = re.compile(rf"(?:{_LOWER_NP},\s+)*{_LOWER_NP}\s+and\s+{_LOWER_NP},\s+"
                        # (a subject after it: not a relative clause, a phrase of time or place, an adverb)
                        r"(?!(?:who|which|that|whose|where|when|together|with|as|all|both|each|in|on|at|by|from|"
                        r"since|during|after|before|for|until|through|under|despite|following|then|now|also|"
                        r"[a-z]+ly)\b)(?=\S+\s+\S+\s+\S)")


def place_lead_end(text: str, start: int, end: int) -> int:
    """:func:`lead_end`, and after a leading place closed by a comma ("In the district of Kailali, ..."): where
    a subject coordinated by a comma can start. (The parse still reads the place: its entity is a place of
    the outcome.)"""
    pos = lead_end(text, start, end)
    m = _PLACE_LEAD.match(text, pos, end)
    return m.end() if m else pos


# Tagalog opens a sentence with its verb, the subject after "ang" ("Nagpasa ang Sangguniang Bayan ng X ng ordinansa":
# the council passed an ordinance); actor-focus verbs in nag-, mag-, nakipag- or with the infix -um-
_TAGALOG_VERB_FIRST = re.compile(r"(?:Nag|Mag|Nakipag|Nagsimula|[BKTSLDGPH]um)[a-z-]+\s+ang\s+(?:mga\s+)?")
# ... or its subject first, marked by "ang" and closed by "ay" ("Ang mga barangay health worker ng X ay nagbibigay ...")
_TAGALOG_ANG_AY = re.compile(r"Ang\s+(?:mga\s+)?(?=[^.;:()]{3,80}?\say\s)")
# ... or its object-focus verb (the infix -in-, ipina-, ini-), the doer after "ng" ("Pinagtibay ng Sangguniang
# Panlungsod ng X ang ordinansa": the city council passed the ordinance)
TAGALOG_OBJECT_VERB = re.compile(r"(?:[BKTSLDGPHNMY]in|Ipina|Ini)[a-z-]{3,}")
_TAGALOG_DOER_AFTER = re.compile(rf"{TAGALOG_OBJECT_VERB.pattern}\s+(?:(?:na|rin|din|nang)\s+)?ng\s+(?:mga\s+)?"
                                 r"(?=[^\W\d_][^.;:]*\sang\s)")


def subject_start(text: str, start: int, end: int) -> int:
    """Where the grammatical subject of the sentence ``text[start:end]`` begins: after a leading time
    phrase ("In May 2025,") and articles or quantities ("the", "three"), or a Tagalog verb that opens it."""
    pos = bullet_end(text, start, end)
    tl = _TAGALOG_VERB_FIRST.match(text, pos, end) or _TAGALOG_DOER_AFTER.match(text, pos, end) \
        or _TAGALOG_ANG_AY.match(text, pos, end)
    if tl is not None:
        return tl.end()
    m = _TIME_LEAD.match(text, pos, end) or _DATE_LEAD.match(text, pos, end) or _LABEL_LEAD.match(text, pos, end)
    if m:
        pos = m.end()
    m = _QUANTIFIER.match(text, pos, end)
    if m:
        pos = m.end()
    return pos


# a verb in the active voice right after a subject ("... now report", "... cited", "... has set up"), not a passive
# or a state ("... were trained", "... is"); a place the subject is "of" or "in" may stand between ("The women fish
# processors of the town set up ...")
# (or an acronym or a gloss in brackets: "... Association (JGATE) renewed")
ACTIVE_VERB_AFTER = re.compile(r"(?:\s*\([^()]{1,60}\))?"
                               # (a place of one name or of several words: "of Quila Quila", "of X, Slobozia Mare and Y")
                               r"(?:\s+(?:of|in|from)\s+(?:the\s+)?(?!(?:the|a|an)\s)[\w'’-]+(?:\s+[A-Z][\w'’-]*)*"
                               r"(?:(?:,\s*|\s+and\s+|\s+&\s+)[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)*"
                               # (and the kind of unit they are: "of X & Y electoral areas", "of X and Y districts")
                               r"(?:\s+(?:electoral\s+|administrative\s+)?(?:areas?|districts?|wards?|villages?|"
                               r"count(?:y|ies)|sub-count(?:y|ies)|upazilas?|provinces?|regions?|municipalit(?:y|ies)|"
                               r"communes?|barangays?|kebeles?|woredas?))?)?"
                               r"\s+(?:(?:now|also|then|later|in\s+turn|still|jointly|regularly|routinely|[a-z]{3,}ly)\s+)?"
                               r"(?:(?:has|have|had)\s+(?:(?:since|now|also|already|jointly)\s+)?)?"
                               r"(?!(?:was|were|is|are|has|have|had|will|would|must|might|cannot|can't|should|"
                               r"want|wants|need|needs)\b)(?P<verb>[a-z]+(?:ed|s|t|up)|"
                               # (the past of irregular verbs that is no participle: "... withdrew his ban")
                               r"withdrew|began|took|gave|chose|drew|wrote|ran|became|forbade|undertook|overtook|"
                               # (and an irregular participle after its auxiliary: "... have run the kiosks since March")
                               r"(?:(?<=has\s)|(?<=have\s))(?:run|begun|taken|given|done|made|held|paid|won|chosen|drawn|"
                               r"written|become|grown|shown|brought|bought|taught|led|sold|told|found)|"
                               # (any verb in the present after an adverb of time or manner that only a verb follows:
                               # "Health centre committees now check ...", "Women councillors now chair ...")
                               r"(?:(?<=\bnow\s)|(?<=\bstill\s)|(?<=\bjointly\s)|(?<=\bregularly\s)|(?<=\broutinely\s))"
                               r"(?!(?:the|a|an|in|on|at|for|with|to|by|of|more|less|only|than|as|able|responsible|part|"
                               r"present|active|available|over|under|about|almost|nearly|some|many|all|both)\b)[a-z]{3,})\b")


# a verb right after a subject in French, Spanish or Portuguese ("... ont adopté", "... aprobaron", "... acordaram"):
# an auxiliary, or an ending of the third person that no plural noun or adjective has
ROMANCE_VERB_AFTER = re.compile(r"(?:\s*\([^()]{1,40}\))?\s+(?:(?:ont|a|han|ha|têm|tem|sont|se|s['’]|ne|n['’]|não|"
                                r"también|também|également)\b|[a-zà-ÿ]+(?:ent|aron|ieron|eron|aram|eram|iram|ou|iu|ó)\b)")


@lru_cache(maxsize=1024)  # pure: the later-sentence finder and then the roles ask for the same description's
def later_subject_starts(text: str, first: int, count: int = 2) -> tuple[tuple[int, int], ...]:
    """Where the leading phrase ends and the subject begins in each of the ``count`` sentences after sentence
    ``first`` of ``text`` (the sentences after the one that tells the change: who opens them may have changed too)."""
    out = []
    for s, e in sentences(text)[first + 1:first + 1 + count]:
        lead = lead_end(text, s, e)
        pos = subject_start(text, lead, e)
        since = _SINCE_LEAD.match(text, pos, e)  # ("Since May the ward administrator ...", "Since then the X has ...")
        out.append((lead, since.end() if since is not None else pos))
    return tuple(out)


# a short time lead without its comma before a later sentence's subject
_SINCE_LEAD = re.compile(r"(?:(?:Since|From|By|In)\s+(?:then|(?:early\s+|late\s+|mid-)?[A-Z][a-z]+(?:\s+\d{4})?)"
                         # (or a span of time: "Within two months", "In the first quarter", "After six weeks")
                         r"|(?:Within|After|In|Over|During)\s+(?:the\s+|its\s+|their\s+)?(?:first\s+|next\s+|following\s+)?"
                         r"(?:[a-z]+\s+)?(?:months?|weeks?|days?|years?|quarters?|seasons?)),?\s+"
                         r"(?:the\s+)?(?=\S)")


# the agent of a passive, after a time or a place the verb took ("A heat action plan was notified in April 2024 by
# the district collector", "were given seed grants and a place at the market by the X and the Y", "is, since January
# 2025, released every quarter by the X"); in the present only where no clause opened before it (CLAUSE_BEFORE)
PASSIVE_BY = re.compile(r"\b(?P<aux>was|were|is|are|has\s+been|have\s+been|had\s+been)(?:,\s+[^,.;:()]{1,40},)?"
                        r"\s+(?:\w+ly\s+)?(?:[a-z]+(?:-[a-z]+)*ed|made|taken|set\s+up|given|issued|passed|signed|won|held|chosen|"
                        r"built|drawn|undertaken)(?:\s+[^,.;:()]{1,60}?)?\s+by\s+")
RELATIVE_BEFORE = re.compile(r"\b(?:that|which|who)\s+$")
# a relative or reported clause: a passive in the present after it is not the main clause's ("a budget in which 15 %
# is decided by neighbourhood assemblies", "agreed that births are registered by the health centres")
CLAUSE_BEFORE = re.compile(r"\b(?:that|which|whose|who|whom|where|whereby|when|if|because)\b")


def main_passive_agents(text: str, s: int, e: int) -> Iterator[int]:
    """The places after "by" where the agents of a passive of the sentence ``text[s:e]`` start."""
    for by in PASSIVE_BY.finditer(text, s, e):
        # (a passive in the present is the main clause's only where no relative or reported clause opened before it)
        if by.group("aux") in ("is", "are") and CLAUSE_BEFORE.search(text, s, by.start()):
            continue
        if not RELATIVE_BEFORE.search(text, max(s, by.start() - 12), by.start()):
            yield by.end()
