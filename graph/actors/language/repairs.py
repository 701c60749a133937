"""Repairs of the small English parser's misreadings that lose a sentence's subject, one function each: a noun read
as a verb ("Smallholder cashew cooperatives", "women fish sellers"), a phrase in another language read as verbs and
modifiers, a name read as a command or an adverb, a verb read as a modifier, a participle or an adjective, an
object read as a relative clause's subject, a cleft's focus, a note that opens with a participle and its agent, a
time lead without its comma. Each takes a sentence (a spaCy ``Span``) and returns the subject(s) it really has, or
None / [] when it does not read so; :func:`.subjects._summarise` decides where each applies."""

from __future__ import annotations

import re

from ..rules import joins as _joins  # (the table alone: rules does not import this module)
from .parsed import Subject
from .phrases import (
    _ARTICLES, _COMPLEMENT, _ELIDED, _FUNCTION_WORDS, _LEADING, _PRONOUN_TAGS,
    _SUBJ, _phrase, _proper, _root_as_subject, _split_at_conjuncts,
)


def _noun_read_as_verb(sent, i: int, mine: list) -> "Subject | None":
    """"Smallholder cashew cooperatives in Mtwara agreed ...": the parser read "cashew" as the verb, with the
    singular "Smallholder" its subject and "cooperatives" its object. A singular common noun does not take a
    verb's base form ("Smallholder cashew"): where a sentence starts so, the subject runs to the plural noun
    the false verb governs, and the verb is the finite verb after it (read as a clause of the false one).
    None when the sentence does not read so."""
    toks = [t for t in sent if not t.is_space]
    if len(toks) < 4:
        return None
    j = 1 if toks[0].lower_ in ("the", "a", "an") else 0
    head, root = toks[j], sent.root
    # ("The X (ACR) and the women fish processors of the commune have signed ...": a conjunct of the subject right
    # before the false verb)
    joined = root.i > 0 and sent.doc[root.i - 1].dep_ == "conj" and sent.doc[root.i - 1].tag_ == "NNS" \
        and sent.doc[root.i - 1].head.dep_ == "nsubj" and sent.doc[root.i - 1].head.head.i == root.i
    if joined:
        head = sent.doc[root.i - 1]
    # (a plural noun agrees with "fish" in "Women fish traders of Kafue formed ...": there the verb after the
    # object in the past tense tells the misreading)
    elif head.tag_ not in ("NN", "NNS") or head.dep_ != "nsubj" or head.head.i != root.i:
        return None
    if root.tag_ not in ("VB", "VBP") or root.i != head.i + 1 or not root.text.islower():
        return None
    # (the plural the false verb governs, or the subject of the clause after it: "fish traders of Kafue formed")
    objs = [c for c in root.children if c.dep_ == "dobj"] + [
        n for c in root.children if c.dep_ in ("advcl", "conj", "ccomp") for n in c.children if n.dep_ == "nsubj"]
    obj = next((c for c in objs if c.i > root.i and c.tag_ == "NNS" and c.text.islower()), None)
    if obj is None or obj.i - root.i > 3 or any(not t.text.islower() or not t.tag_.startswith(("NN", "JJ"))
                                                for t in sent.doc[root.i + 1:obj.i]):
        return None
    verb = next((c for c in root.children if c.dep_ in ("advcl", "conj", "ccomp") and c.i > obj.i
                 and (c.tag_ in (("VBD",) if head.tag_ == "NNS" else ("VBD", "VBZ"))
                      or (c.tag_ == "VBN" and any(a.dep_ == "aux" and a.lower_ in ("have", "has") for a in c.children)))
                 and c.text.islower()), None)
    if verb is None or not any(x.start == head.idx for x in mine):
        return None
    return Subject(head.idx, obj.idx + len(obj.text), obj.text, verb.lower_, verb.idx, i, False, True, False)


# Joining words inside a noun phrase in the other languages OH records are written in ("comités de gestion
# des jardins d'enfants", "Viši sud u Beogradu", "Mecanismo de Protección para Personas Defensoras de
# Derechos Humanos y Periodistas"); "a" and "y"/"e"/"i" only between capitalised words (a name).
# (not English, whose phrases the parser reads; nor Swahili, whose names are capitalised runs the parse reads
# whole, and whose "ya" would join a name to what follows it: "Shirika la Maendeleo ya Wakulima (SHIMAWA) and X")
_FOREIGN_JOINS = _joins.union("of", "for_", "inside", without=("en", "sw")) - _joins.BETWEEN_CAPITALS \
    - _joins.union("article")  # (an article after a joining word is a word of the phrase: "comités de la ...")


_FOREIGN_NAME_JOINS = _joins.BETWEEN_CAPITALS


def _foreign_run(sent, i: int) -> "Subject | None":
    """The noun phrase a clause starts with when it is written in another language and joined by its
    joining words: up to three words, a joining word, and the words after it (each part one word, or a run
    of capitalised words in a name), e.g. "the chefes de suco start ...", "Viši sud u Beogradu convicted
    ...". The small English parser reads such words as verbs and modifiers and loses the subject. None when
    the clause does not start so, or nothing that could be a verb follows the phrase."""
    toks = [t for t in sent if not t.is_space]
    j = 0
    if toks and toks[0].tag_ == "IN":  # "In the prefecture of Tône, the comités ...": after a leading phrase
        comma = next((n for n, t in enumerate(toks[:12]) if t.text == ","), None)
        j = comma + 1 if comma is not None else len(toks)
    while j < len(toks) and toks[j].lower_ in _ARTICLES:
        j += 1

    def word(t) -> bool:
        return t.is_alpha and t.lower_ not in _FUNCTION_WORDS and t.lower_ not in _FOREIGN_JOINS \
            and t.lower_ not in _FOREIGN_NAME_JOINS and not t.like_num

    k = j
    while k < len(toks) and k - j < 3 and word(toks[k]):
        k += 1
    if k == j or k >= len(toks):
        return None
    parts = 0
    while k < len(toks):
        t = toks[k]
        if t.lower_ in _FOREIGN_JOINS or (t.lower_ in _FOREIGN_NAME_JOINS and toks[k - 1].text[:1].isupper()
                                          and k + 1 < len(toks) and toks[k + 1].text[:1].isupper()):
            k += 1
        elif _ELIDED.fullmatch(t.text):  # "d'enfants": a joining word and a word
            k += 1
            parts += 1
            continue
        else:
            break
        if k >= len(toks) or not word(toks[k]):
            return None
        capital = toks[k].text[:1].isupper()
        k += 1
        parts += 1
        while capital and k < len(toks) and word(toks[k]) and toks[k].text[:1].isupper():
            k += 1  # "Derechos Humanos"
        # a list of names after it ("radios communautaires de Man, Danané et Touba"): the finders cut the
        # places off
        n = k
        while capital and n + 1 < len(toks) and (toks[n].text == "," or toks[n].lower_ in ("et", "y", "e", "and")) \
                and word(toks[n + 1]) and toks[n + 1].text[:1].isupper():
            n += 2
            if toks[n - 2].text != ",":
                k = n
                break
        else:
            n = k
        while k < len(toks) and _ELIDED.fullmatch(toks[k].text):
            k += 1
    if not parts or k >= len(toks):
        return None
    # something after it that can be the clause's verb (the tagger's verbs, finite or with an auxiliary)
    # (or the lower-case word right after it, whatever the tagger made of it: "the chefes de suco start
    # from March ...", "start" read as a noun)
    verb = next((t for t in toks[k:k + 8] if t.tag_ in ("VBD", "VBZ", "VBP", "MD") and t.text.islower()), None)
    if verb is None and toks[k].is_alpha and toks[k].text.islower() and toks[k].lower_ not in _FUNCTION_WORDS:
        verb = toks[k]
    if verb is None:  # (the tagger found no verb: :func:`_summarise` takes it only where the parse found no subject)
        verb = sent.root
    first, last = toks[j], toks[k - 1]
    plural = first.text[:1].islower() and first.lower_.endswith("s")
    return Subject(first.idx, last.idx + len(last.text), first.text, verb.lower_, verb.idx, i,
                   first.text[:1].isupper(), plural, False)


# words inside a name that starts a sentence (every joining word but English "and": "X and Y" are two subjects)
_NAME_INSIDE = _joins.ALL_JOINS - _joins.ENGLISH.and_ - {"a"}


def _conjunct_after(text: str, run: Subject, x: Subject) -> bool:
    """``x`` is a subject joined to the phrase ``run`` by "and" after it ("X and the Y agreed")."""
    return x.start >= run.end and _AND_AFTER.fullmatch(text, run.end, x.start) is not None


# between two subjects joined by "and": a comma, the first one's acronym in brackets, "and", an article
_AND_AFTER = re.compile(r",?\s*(?:\(\s*[A-Z][\w&.-]{1,15}\s*\)\s*,?)?\s+and\s+(?:the\s+)?")


def _name_run(sent, i: int) -> "Subject | None":
    """The name a sentence starts with, up to its first finite verb: capitalised words with "the", "of",
    "for" ... inside. The parser reads some names as something else: a command ("Save the Children
    trained the facilitators": no subject), an adverb ("Access Now shared ...": "Access"), a country
    after a name ("Save the Children Kenya supplied ...": "Kenya"). Records state what happened, never
    command; such a run is the subject (:func:`_summarise` uses it where the parse found no subject in
    the sentence, or one inside the run). None when the sentence does not start so."""
    toks = list(sent)
    j = 0
    while j < len(toks) and toks[j].tag_ in ("DT", "PDT") and toks[j].lower_ in ("the", "a", "an"):
        j += 1
    for k in range(j, min(len(toks), j + 9)):
        if toks[k].tag_ in ("VBD", "VBZ") and toks[k].text.islower():
            break
    else:
        return None
    run = toks[j:k]
    # a town after the name, before the verb: "Bunge la Mwananchi in Kilifi shared ...": the name ends before "in"
    # (a country is a part of the name: "Save the Children in Albania shared ...", as "... of the Netherlands")
    at = next((n for n, w in enumerate(run) if w.lower_ == "in"), None)
    if at is not None and at >= 2 and 1 <= len(run) - at - 1 <= 2 and all(w.text[:1].isupper() for w in run[at + 1:]):
        from ..rules.names import _place_words  # (rules does not import this module)

        if not _place_words().fullmatch(sent.doc.text[run[at + 1].idx:run[-1].idx + len(run[-1].text)]):
            run = run[:at]
    if len(run) < 2 and not (run and j == 0 and run[0].tag_ == "VB"):
        return None  # one word: the parse's own subject, unless it read it as a verb
    if not run or not (run[0].text[:1].isupper() and run[-1].text[:1].isupper()) \
            or run[0].tag_ in _PRONOUN_TAGS or any(w.like_num or w.is_punct for w in run) \
            or not all(w.text[:1].isupper() or w.lower_ in _NAME_INSIDE for w in run):
        return None
    last = run[-1]
    return Subject(run[0].idx, last.idx + len(last.text), last.text, toks[k].text.lower(), toks[k].idx, i,
                   True, False, False)


_AUXILIARIES = frozenset("""be am is are was were been being have has had having do does did will would shall
should can could may might must 's 're 've 'd 'll ca wo""".split())


def _noun_read_as_auxiliary(sent, i: int) -> "Subject | None":
    """"boda boda saccos operating from the stages ... have required ...": the parser reads the plural noun
    "saccos" as an auxiliary of the participle after it and finds no subject. A word hung as an auxiliary that
    is none (not a form of "be", "have", "do" or a modal), a lower-case plural before the main verb, heads the
    clause's subject with the words before it. None when the sentence holds no such word."""
    root = sent.root
    for t in sent:
        if t.i >= root.i:
            break
        if t.dep_ in ("aux", "auxpass") and t.lower_ not in _AUXILIARIES and t.text.islower() \
                and t.text.endswith("s") and t.text.isalpha() and root.tag_.startswith("VB"):
            lo = t.left_edge.i
            while lo < t.i and sent.doc[lo].lower_ in _LEADING:
                lo += 1
            first = sent.doc[lo]
            return Subject(first.idx, t.idx + len(t.text), t.text, root.lower_, root.idx, i, False, True, False)
    return None


def _name_after_opening(sent, i: int) -> "Subject | None":
    """"Following two years of assaults at the stops ..., X S.A. (the operator of the line) put in lighting": the
    parser hangs the name after a long opening phrase's last comma on a noun of the phrase (an apposition of
    "stations") and leaves the finite root verb without a subject. The proper nouns between that comma and the
    root, a bracket after them left out, are its subject; None when the words there are anything else."""
    root, doc = sent.root, sent.doc
    if root.tag_ not in ("VBD", "VBZ", "VBP") or any(c.dep_ in (*_SUBJ, "expl") for c in root.children):
        return None
    comma = max((t.i for t in sent if t.i < root.i and t.text == ","), default=None)
    if comma is None or comma - sent.start < 4:
        return None
    end = root.i
    if doc[end - 1].text == ")":  # (an apposition in brackets after the name)
        end = next((t.i for t in reversed(doc[comma + 1:end - 1]) if t.text == "("), None)
        if end is None:
            return None
    lo = comma + 1
    while lo < end and doc[lo].lower_ in _LEADING:
        lo += 1
    words = doc[lo:end]
    if not words or len(words) > 8 or words[-1].tag_ not in ("NNP", "NNPS") \
            or not all(t.tag_ in ("NNP", "NNPS") or t.lower_ in _COMPLEMENT or t.is_punct for t in words):
        return None
    last = words[-1]
    return Subject(words[0].idx, last.idx + len(last.text), last.text, root.lower_, root.idx, i, True,
                   last.tag_ == "NNPS", False)


def _agent_in_apposition(sent) -> list:
    """"X has been placed ..., a decision that was taken in September 2024 by the board of Y": a passive clause
    without an agent, summed up after a comma by a noun whose relative clause names the doer. The heads of that
    agent (only where the sentence's main verb is passive and names no agent: :func:`_summarise`)."""
    root = sent.root
    if not any(c.dep_ == "auxpass" for c in root.children):
        return []
    for n in sent:
        if n.i > root.i and n.tag_ in ("NN", "NNS") and n.left_edge.i > sent.start \
                and sent.doc[n.left_edge.i - 1].text == "," \
                and any(c.dep_ == "det" and c.lower_ in ("a", "an", "the", "this") for c in n.children):
            for r in n.children:
                if r.dep_ == "relcl" and any(c.dep_ == "auxpass" for c in r.children):
                    return [o for a in r.children if a.dep_ == "agent" for o in a.children if o.dep_ == "pobj"][:2]
    return []


def _verb_read_as_modifier(sent, i: int) -> "Subject | None":
    """"the municipal executive of Pokhara Metropolitan City issues disability identity cards ...": the tagger
    reads "issues" as a finite verb (VBZ), the parser as a modifier of the noun after it, and the sentence's root
    is the noun before it: no subject. The tagger's finite verb after a noun root is the verb, the root's phrase
    before it the subject. None when the sentence does not read so."""
    root = sent.root
    if not root.tag_.startswith("NN"):
        return None
    # (or a past participle, where the sentence has no finite verb at all: "the community leaders of X and the régulo
    # of Y organised cleaning campaigns", "organised" read as an adjective of "campaigns")
    finite = ("VBZ", "VBD", "VBP") if any(t.tag_ in ("VBZ", "VBD", "VBP", "MD") for t in sent) \
        else ("VBZ", "VBD", "VBP", "VBN")
    verb = next((t for t in sent if t.i > root.i and t.tag_ in finite and t.text.islower()
                 and t.dep_ in ("compound", "amod", "nmod", "appos")), None)
    if verb is None or any(t.tag_.startswith(("VB", "MD")) for t in sent.doc[root.i:verb.i]) \
            or any(t.is_punct for t in sent.doc[root.i:verb.i]):
        return None
    return _root_as_subject(sent, root, verb, i)


def _verb_read_as_participle(sent, i: int) -> "Subject | None":
    """"In March 2025 the Inter-American Court of Human Rights held in Advisory Opinion ... that ...": the parser reads
    the verb as a participle of the name before it ("the meeting held in May"), the name the sentence's root. A
    name is no meeting: where the root is a proper noun and a participle or past tense hangs on it right after
    its phrase, that is the verb and the name its subject. None else."""
    root = sent.root
    if root.tag_ not in ("NNP", "NNPS") or not _proper(root):
        return None
    verb = next((c for c in root.children if c.dep_ == "acl" and c.tag_ in ("VBN", "VBD") and c.i > root.i
                 and c.left_edge.i == c.i and c.text.islower()), None)
    # (the words between the name's head and the verb are the name's own: "of Human Rights")
    if verb is None or any(t.is_punct or t.tag_.startswith(("VB", "MD")) for t in sent.doc[root.i + 1:verb.i]):
        return None
    return _root_as_subject(sent, root, verb, i)


def _group_read_as_clause(sent, i: int) -> "Subject | None":
    """"Since August 2024 women fish sellers at Auki market use ...": the parser read "fish" as the verb of "women"
    and "sellers" as the subject of the real verb. A plural noun, a verb's base form right after it, and a plural
    noun right after that, the subject of another verb: one group ("women fish sellers"), that verb's subject."""
    doc = sent.doc
    for t in sent:
        if t.tag_ != "NNS" or t.dep_ != "nsubj" or not t.text.islower() or t.i + 2 >= sent.end:
            continue
        false, group = doc[t.i + 1], doc[t.i + 2]
        if t.head.i != false.i or false.tag_ not in ("VB", "VBP") or not false.text.islower() \
                or group.tag_ != "NNS" or not group.text.islower() or group.dep_ != "nsubj" or group.head.i == false.i \
                or not group.head.tag_.startswith("VB"):
            continue
        verb = group.head
        return Subject(t.idx, group.idx + len(group.text), group.text, verb.lower_, verb.idx, i, False, True, False,
                       common=True)
    return None


def _object_read_as_subject(sent, i: int) -> list:
    """"Water user associations and farmers' cooperatives in the Raqqa and Tabqa areas jointly took over ...": the
    parser made the object of "in" the subject of a relative clause and left the preposition without one, the noun
    phrase before it the root. A preposition without its object before the clause's subject says so: the root's
    phrase (with its conjuncts) is the subject of that verb. [] when the sentence does not read so."""
    root, doc = sent.root, sent.doc
    if not root.tag_.startswith("NN"):
        return []
    for verb in (c for t in (root, *root.conjuncts) for c in t.children if c.dep_ == "relcl" and c.i > root.i):
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i), None)
        if subj is None or subj.left_edge.i == 0:
            continue
        prep = doc[subj.left_edge.i - 1]
        if prep.dep_ != "prep" or prep.tag_ != "IN" or any(c.dep_ == "pobj" for c in prep.children) \
                or not prep.head.tag_.startswith("NN"):
            continue
        lo = root.left_edge.i
        while lo < root.i and doc[lo].lower_ in _LEADING:
            lo += 1
        last = doc[prep.i - 1]
        sub = Subject(doc[lo].idx, last.idx + len(last.text), root.text, verb.lower_, verb.idx, i, _proper(root),
                      root.tag_ in ("NNS", "NNPS"), False, common=root.tag_ not in ("NNP", "NNPS"))
        return _split_at_conjuncts(sent, sub)
    return []


# "approved in April 2025 an ordinance": a date between a verb and its object (the parser then hangs the object
# on the name or on the date, not on the verb)
_DATE_THEN_OBJECT = re.compile(r"\s+(?:in|on|during)\s+(?:(?:early|late|mid)[\s-]+)?(?:[A-Z][a-z]+\s+)?(?:19|20)\d\d,?\s+"
                               r"(?:a|an|the|its|their|his|her|new|\d[\d,.]*)\s")


def _verb_read_as_clause_of_name(sent, i: int) -> "Subject | None":
    """"the Office National de l'Eau et de l'Assainissement (ONEA) connected in 2024 the two sites ...", "the
    Directorate of Water of Ninewa extended in May 2025 the network ...": the parser makes the name (or its
    bracketed short form) the root and the verb after it a clause that modifies it (acl),
    and finds no subject. A past verb with an object right after a name that is the root is the verb, the name
    its subject (an object after a date too: "the X Board registered in March 2025 the community land").
    None when the sentence does not read so."""
    root = sent.root
    # (a common noun too, with a verb only the past tense can be: "The village chief of X publicly endorsed in
    # January 2025 women standing for ...", where "the chief endorsed" is no meeting "held in May")
    tags = ("VBN", "VBD") if root.tag_ in ("NNP", "NNPS") else ("VBD",) if root.tag_ in ("NN", "NNS") else ()
    verb = next((t for t in root.children if t.dep_ == "acl" and t.i > root.i and t.tag_ in tags
                 and t.text.islower()), None)
    if verb is None or not (any(c.dep_ in ("dobj", "prt") for c in verb.children)
                            or _DATE_THEN_OBJECT.match(sent.doc.text, verb.idx + len(verb.text))) \
            or any(t.tag_.startswith(("VB", "MD")) or t.text == "," or root not in t.ancestors
                   for t in sent.doc[root.i + 1:verb.i]):  # (only the name's complement before the verb)
        return None
    return _root_as_subject(sent, root, verb, i)


def _name_after_month(sent, i: int) -> "Subject | None":
    """"From march Aden Governorate Health Office runs ...", "Since May 2024 X Radio airs ...": a time phrase written
    without its comma; the parser takes the name for the object of "from" and leaves the root verb without a
    subject. The proper nouns between the month (and its year) and the root are its subject; None else."""
    from ..rules.names import MONTH_NAMES  # (rules does not import this module)

    root, doc = sent.root, sent.doc
    toks = [t for t in sent if not t.is_space]
    if root.tag_ not in ("VBD", "VBZ", "VBP") or any(c.dep_ in (*_SUBJ, "expl") for c in root.children) \
            or len(toks) < 4 or toks[0].tag_ != "IN" or toks[1].text.capitalize() not in MONTH_NAMES:
        return None
    lo = toks[2].i if not toks[2].like_num else toks[3].i
    words = doc[lo:root.i]
    if not words or len(words) > 8 or words[-1].tag_ not in ("NNP", "NNPS") \
            or not all(t.tag_ in ("NNP", "NNPS") or t.lower_ in _COMPLEMENT for t in words):
        return None
    last = words[-1]
    return Subject(words[0].idx, last.idx + len(last.text), last.text, root.lower_, root.idx, i, True,
                   last.tag_ == "NNPS", False)


def _clause_after_participial_opening(sent, i: int) -> list:
    """"Encouraged by the results of the 2023 elections, the Qaimaqam of X opened the meetings ...": the parser made
    the opening participle the root, its agent the sentence's only subject, and the clause after the comma a
    relative clause of the agent's phrase. A finite verb whose subject starts right after the opening's comma is
    the sentence's act, that subject (with its conjuncts) its doer; the opening's agent only led to it. [] when
    the sentence does not read so (a note "Adopted by X in May: a by-law ..." has no such clause)."""
    toks = [t for t in sent if not t.is_space]
    root = sent.root
    if len(toks) < 6 or toks[0].i != root.i or root.tag_ not in ("VBN", "VBG") or not root.text[:1].isupper():
        return []
    comma = next((t for t in toks if t.text == ","), None)
    if comma is None:
        return []
    for n in toks:
        if n.i <= comma.i or n.dep_ != "nsubj":
            continue
        verb = n.head
        if verb.i <= n.i or verb.i == root.i or not verb.text.islower() \
                or not (verb.tag_ in ("VBD", "VBZ", "VBP") or any(a.dep_ == "aux" for a in verb.children)):
            continue
        lo = comma.i + 1
        while lo < n.left_edge.i and sent.doc[lo].lower_ in _LEADING:
            lo += 1
        if n.left_edge.i != lo:
            return []  # (the subject starts later: another clause)
        out = []
        for head in (n, *n.conjuncts):
            sp = _phrase(head)
            if sp is not None and sp[1] <= verb.idx:
                out.append(Subject(sp[0], sp[1], head.text, verb.lower_, verb.idx, i, _proper(head),
                                   head.tag_ in ("NNS", "NNPS"), False, common=head.tag_ not in ("NNP", "NNPS")))
        return out
    return []


def _fronted_agent(sent, i: int) -> "Subject | None":
    """"Adopted by the Tyre municipal council in May: a by-law on ...", "Signed by X and Y: ...": a note that opens with
    the participle and its agent, then what was done. The agent did it (the parser makes the thing done the root and
    the participle a clause of it). None when the sentence does not open so."""
    toks = [t for t in sent if not t.is_space]
    if len(toks) < 4 or toks[0].tag_ != "VBN" or not toks[0].text[:1].isupper():
        return None
    agent = next((c for c in toks[0].children if c.dep_ == "agent" and c.i == toks[0].i + 1), None)
    head = next((o for o in agent.children if o.dep_ == "pobj"), None) if agent is not None else None
    sp = _phrase(head) if head is not None else None
    if sp is None:
        return None
    return Subject(sp[0], sp[1], head.text, toks[0].lower_, toks[0].idx, i, _proper(head),
                   head.tag_ in ("NNS", "NNPS"), False, True, True, head.tag_ not in ("NNP", "NNPS"))


def _cleft_focus(sent, i: int) -> "Subject | None":
    """"It is the district health team that checks the registers": a cleft whose focus is the doer; the parser hangs
    the focus on "is" as its attribute and the act as a relative clause of it, with "that" / "who" its subject. The
    focus as the subject of the act, else None."""
    root = sent.root
    if root.lower_ not in ("is", "was", "are", "were") or not any(
            c.dep_ == "nsubj" and c.lower_ == "it" for c in root.children):
        return None
    for attr in root.children:
        if attr.dep_ != "attr" or attr.tag_ not in ("NN", "NNS", "NNP", "NNPS"):
            continue
        # (with a phrase between commas after "that", the parser hangs the act on "is" as its complement: "It was
        # the X Council that, in October 2024, first put ...")
        acts = [*attr.children, *(c for c in root.children if c.dep_ == "ccomp" and c.i > attr.i)]
        for act in acts:
            if act.dep_ in ("relcl", "ccomp") and act.tag_.startswith("VB") and any(
                    d.dep_ == "nsubj" and d.lower_ in ("that", "who") for d in act.children):
                sp = _phrase(attr)
                if sp is not None:
                    return Subject(sp[0], sp[1], attr.text, act.lower_, act.idx, i, _proper(attr),
                                   attr.tag_ in ("NNS", "NNPS"), False, False, True, attr.tag_ not in ("NNP", "NNPS"))
    return None
