"""From a spaCy ``Doc`` to :class:`~.parsed.Parsed`: the subjects of each sentence's main verbs (with their
conjuncts, the agents of passives, apposed names, names the parser split or read as verbs, auxiliaries or
modifiers), kept as noun phrases, and the entities, split where "+" joins two."""

from __future__ import annotations

import re
from dataclasses import replace

from .parsed import Parsed, Subject
from .phrases import (
    _ARTICLES, _DETS, _FUNCTION_WORDS, _NOT_NOUN_TAGS, _PRONOUN_TAGS, _SUBJ,
    _phrase, _proper, _split_at_conjuncts, is_body_word,
)
from .repairs import (
    _agent_in_apposition, _clause_after_participial_opening, _cleft_focus, _conjunct_after, _foreign_run,
    _fronted_agent, _group_read_as_clause,
    _name_after_month, _name_after_opening, _name_run, _noun_read_as_auxiliary, _noun_read_as_verb,
    _object_read_as_subject, _verb_read_as_clause_of_name, _verb_read_as_modifier, _verb_read_as_participle,
)


ENTITY_LABELS = ("ORG", "GPE", "LOC", "FAC", "NORP", "PERSON")


_WORD = re.compile(r"[^\W\d_]+")


# Function words of French, Spanish, Portuguese, Indonesian, Swahili, Tagalog that English does not use.
_FOREIGN_FUNCTION_WORDS = frozenset("""le la les des du et est une dans avec sur pour aux au qui que ont sont
el los las y con por para del su sus pero como fue son
os e em com uma pelo pela nos nas foi dos das ao
dan yang di untuk dengan dari ini itu ke pada oleh tidak akan
ya wa kwa za katika cha vya kama ni na
ang ng mga sa ay
desde até todas todos não à hasta también""".split()) - _FUNCTION_WORDS


# English function words that are function words of Portuguese, Spanish or French too ("as parteiras do Alto ...
# começaram a acompanhar"): they say nothing about which language a text is in
_SHARED_FUNCTION_WORDS = frozenset("a as do no o e".split())


SHORT_WORDS = 40  # up to this many words, a text without foreign function words counts as English


_NAMES = re.compile(r"(?<![\w'’-])[^\W\d_a-z][\w'’-]*(?:\s+(?:(?:de|del|des|du|da|do|dos|das|la|y|e|et|para|pour|u|a)\s+)?"
                    r"[^\W\d_a-z][\w'’-]*)+")


_GLOSS = re.compile(r"\([^()\s]+(?:\s+[^()\s]+){2,}\)")  # three words or more: an acronym in brackets stays


def looks_english(text: str) -> bool:
    """At least one word in eight is an English function word (running English prose: about one in three);
    or, in a short text, none is a function word of the other languages OH records are written in: a
    sentence of names and content words ("Wahana Visi Indonesia helped 600 families obtain birth
    certificates through mobile registration.") is English, a Swahili or French one is not."""
    # names are left out: "de", "y", "para" inside "Mecanismo de Protección para Personas Defensoras de
    # Derechos Humanos y Periodistas" do not make the English sentence around it foreign
    # and a gloss in brackets is left out too: "Les jeunes diplômés chômeurs ont créé une coopérative (the unemployed
    # graduates set up a cooperative)." is a French sentence
    words = _WORD.findall(_NAMES.sub(" ", _GLOSS.sub(" ", text[:5000])).lower())
    if len(words) < 6:
        return True  # too short to tell: a name list, a one-liner
    if sum(w in _FUNCTION_WORDS and w not in _SHARED_FUNCTION_WORDS for w in words) * 8 >= len(words):
        return True
    return len(words) <= SHORT_WORDS and not any(w in _FOREIGN_FUNCTION_WORDS for w in words)


def reads_as_english(text: str) -> bool:
    """:func:`looks_english`, and so does the text before its first bracket: "Os agentes polivalentes de X passaram a
    registar os casos (the community health workers started reporting cases), sending it every week to ..." opens in
    Portuguese, its subject with it, whatever the gloss and the English tail around it."""
    head = text.split("(", 1)[0]
    # (a clause of its own, ten words or more: "Les associations d'usagers de forages (ASUFOR) of X renegotiated ..."
    # is English with a French name in front)
    return looks_english(text) and (head == text or len(_WORD.findall(_NAMES.sub(" ", head))) < 10
                                    or looks_english(head))


def _summarise(doc, english: bool, truncated: bool) -> Parsed:
    spans = list(doc.sents)  # (each ``doc.sents`` finds the sentences again: once here, read five times)
    sents = tuple((s.start_char, s.end_char) for s in spans)
    ents = tuple(part for e in doc.ents if e.label_ in ENTITY_LABELS for part in _plus_parts(e))
    subjects: list[Subject] = []
    if english:
        for i, s in enumerate(spans):
            # "It was in February 2025 that the X decided ...": the cleft's "it" is no subject; the clause
            # after "that" is the main one
            cleft = (s.root.lower_ in ("was", "is", "were") and any(
                c.dep_ == "nsubj" and c.lower_ == "it" for c in s.root.children)) or _it_that(s.root) is not None
            # "The partner reports that the X closed ...", "We are pleased to share that the X opened ...": the
            # reported clause is the main one, the reporter no subject of the sentence's act
            reported = None if cleft else _reported_clause(s.root)
            if reported is None and not cleft:
                # ("The partner reports that the X has stopped ...; new cases go to ...": the report, spliced
                # before the root by a semicolon, holds the clause that tells the change)
                spliced = _spliced_first(s.root)
                reported = _reported_clause(spliced) if spliced is not None else None
            top = s.root if reported is None else reported
            root_has_subject = not cleft and any(c.dep_ in _SUBJ for c in top.children)
            splice = _spliced_first(top)
            scene = _act_after_a_scene(top) or _main_after_subordinate(top)
            for verb in _main_verbs(top):
                # a verb coordinated with the root without a subject of its own shares the root's ("the plan
                # ... was approved by X"): its agent did the main clause's act
                main = verb.i == top.i or not root_has_subject \
                    or not any(c.dep_ in _SUBJ for c in verb.children)
                if splice is not None:  # "X observed the season, 1,200 canoes stayed ashore": X's clause is first
                    main = verb.i == splice.i
                elif scene is not None:  # "The market is loud: the X Assembly approved ...": the act's clause
                    main = verb.i == scene.i
                nominal = _nominal_agents(verb)
                stray = _stray_agent(verb)
                raised = _raised_act(verb)
                for tok in (*verb.children, *nominal, *stray):
                    if tok in nominal:  # "The adoption by X of a policy was formalised": X did the act
                        heads, agent = [o for o in tok.children if o.dep_ == "pobj"][:1], True
                    elif tok.dep_ in _SUBJ:
                        heads, agent = [tok], False
                    elif tok.dep_ == "agent" or tok in stray:
                        # "by X and by Y": the second "by" is a conjunct somewhere in the first one's phrase
                        # (the parser hangs it anywhere in the sentence when a name misleads it)
                        heads, agent = [o for b in (tok, *(t for t in s if t.dep_ == "conj"
                                                            and t.lower_ == "by" and t.i > tok.i))
                                        for o in b.children if o.dep_ == "pobj"][:3], True
                        # "by X in Y block together with the Z office": a co-agent, wherever the parser hangs it
                        heads += _together_with(s, tok)
                    else:
                        continue
                    for first in heads:
                        joined = _joined_modifiers(first)
                        for head in (first, *first.conjuncts, *_conjuncts_of_complement(first),
                                     *_apposition_and_conjuncts(first)):
                            sp = _phrase(head)
                            if joined is not None:
                                if head.i != joined.i:
                                    continue
                                sp = (_phrase(first) or sp)[0], sp[1]
                            if sp is not None and tok in nominal:
                                sp = _before_act_object(head.doc.text, sp)
                            if sp is not None:
                                act = raised if raised is not None and tok.dep_ == "nsubjpass" else verb
                                subjects.append(Subject(sp[0], sp[1], head.text, act.text.lower(), act.idx, i,
                                                        _proper(head),
                                                        head.tag_ in ("NNS", "NNPS"),
                                                        # (a nominalised act with its doer: what was done, as
                                                        # a passive's subject)
                                                        (tok.dep_ == "nsubjpass" and act is verb)
                                                        or any(n.head == tok for n in nominal),
                                                        agent, main, head.tag_ not in ("NNP", "NNPS")))
        for i, s in enumerate(spans):
            run = _name_run(s, i)
            if run is None:
                continue
            mine = [x for x in subjects if x.sentence == i]
            if not mine:
                subjects.append(run)
            elif len(mine) == 1 and mine[0].verb_start == run.verb_start and run.start <= mine[0].start \
                    and mine[0].end <= run.end and (mine[0].start, mine[0].end) != (run.start, run.end):
                subjects[subjects.index(mine[0])] = replace(run, passive=mine[0].passive)
        for i, s in enumerate(spans):
            held = _object_read_as_subject(s, i)
            if held and all(x.start >= held[0].end for x in subjects if x.sentence == i):
                subjects = [x for x in subjects if x.sentence != i] + held
        for i, s in enumerate(spans):
            # (the opening participle's agent only led to the act: "Encouraged by X, the Y opened ...")
            opened = _clause_after_participial_opening(s, i)
            if opened and all(x.agent and x.verb_start == s.root.idx for x in subjects if x.sentence == i):
                subjects = [x for x in subjects if x.sentence != i] + opened
        for i, s in enumerate(spans):
            named = _verb_read_as_participle(s, i)
            if named is not None and all(x.start > named.verb_start for x in subjects if x.sentence == i):
                subjects = [x for x in subjects if x.sentence != i] + [named]
        for i, s in enumerate(spans):
            fixed = _noun_read_as_verb(s, i, [x for x in subjects if x.sentence == i]) or _group_read_as_clause(s, i)
            if fixed is not None:
                subjects = [x for x in subjects if x.sentence != i or x.start != fixed.start] + [fixed]
        for i, s in enumerate(spans):
            run = _foreign_run(s, i)
            if run is None:
                continue
            mine = [x for x in subjects if x.sentence == i]
            if run.verb_start == s.root.idx and run.verb_start < run.end and mine:
                continue
            # the parse's subjects of the clause lie inside the phrase or after it: it is the clause's first
            # noun phrase, read by the small English parser as verbs and modifiers ("municipalidad" a verb)
            # (a later clause's subject stays: "..., and Rádio Comunitária Watana broadcast ...")
            begin = run.start  # (an article before it is the phrase's: the parse's "Les radios")
            at = next(t.i for t in s if t.idx == run.start)
            while at > s.start and doc[at - 1].lower_ in _ARTICLES:
                at -= 1
                begin = doc[at].idx
            if all(x.start >= begin and not x.agent for x in mine) \
                    and not any(x.start <= run.start and run.end <= x.end for x in mine):
                # (a conjunct after it stays: "the Office ... de Mise en Valeur ... and the water user associations";
                # after the phrase the parse read there too, when that reaches further: "the Office National
                # d'Appui, de Formation et des Semences (ONAFS) and the Ministry of Agriculture agreed")
                def reach(x: Subject) -> Subject:
                    return replace(run, end=max([run.end] + [y.end for y in mine if y.start < x.start]))

                subjects = [x for x in subjects if x.sentence != i or not (
                    x.start < run.end or x.verb_start == run.verb_start) or _conjunct_after(doc.text, reach(x), x)] \
                    + [run]
    if english:
        for i, s in enumerate(spans):
            mine = [x for x in subjects if x.sentence == i]
            if mine and not any(x.agent for x in mine) and all(x.passive for x in mine if x.main):
                for head in _agent_in_apposition(s):
                    sp = _phrase(head)
                    if sp is not None:
                        v = mine[0]
                        subjects.append(Subject(sp[0], sp[1], head.text, v.verb, v.verb_start, i, _proper(head),
                                                head.tag_ in ("NNS", "NNPS"), False, True, True))
            if not any(x.sentence == i for x in subjects):
                noun = _noun_read_as_auxiliary(s, i) or _verb_read_as_modifier(s, i) \
                    or _verb_read_as_clause_of_name(s, i) or _cleft_focus(s, i) \
                    or _name_after_opening(s, i) or _fronted_agent(s, i) or _name_after_month(s, i)
                if noun is not None:
                    subjects += _split_at_conjuncts(s, noun)
        subjects = _listed_names(doc.text, subjects, ents)
    return Parsed(sents, ents, tuple(dict.fromkeys(subjects)), english, truncated)


_LISTED_NAME = r"(?:the\s+)?[^\W\d_a-z][\w'’.-]*(?:\s+(?:(?:of|for|on|de|du|des|del|la|the)\s+)*[^\W\d_a-z][\w'’.-]*)*"


# the rest of a list of names after the first, up to the verb's auxiliaries and adverbs
_LIST_REST = re.compile(rf"(?P<names>(?:\s*,\s*{_LISTED_NAME})*\s*,?\s+(?:and|&|\+)\s+{_LISTED_NAME})"
                        r"(?:\s+(?:have|has|had|will|would|can|could|shall|did|do|does|were|was|are|is|also|jointly|"
                        r"together|both|all|each|now|then|finally|recently))*\s*$")


_ACRONYM_AND = re.compile(r"(?P<first>[A-Z][A-Z0-9]{1,9})\s+(?:and|&|\+)\s+(?P<second>[^\W\d_a-z].*)")


def _listed_names(text: str, subjects: list[Subject], ents=()) -> list[Subject]:
    """Every name of a list the parse reads as one subject and its adverbs: "Radio X, Battambang Today and the
    Cambodian Center for Independent Media have adopted ..." (the parser hangs "Today" as an adverb of the
    first name and drops the second), "JIRAMA and Rano Soa set up ..." (one subject with "and" inside; an
    acronym is a whole name, never the first part of a longer one). Each name becomes a subject of the verb."""
    out = list(subjects)
    for sub in subjects:
        if " + " in text[sub.start:sub.end]:
            # "Provincial Fisheries Adviser + LLG presidents signed": notes join subjects with "+", which no
            # name or modifier holds; each part is a subject of its own, its last word its head
            out.remove(sub)
            pos = sub.start
            for part in text[sub.start:sub.end].split(" + "):
                words = part.split()
                if words:
                    head = words[-1]
                    out.append(replace(sub, start=pos, end=pos + len(part), head=head, proper=head[:1].isupper(),
                                       plural=head.islower() and head.endswith("s")))
                pos += len(part) + 3
            continue
        if not sub.proper:
            continue
        m = _ACRONYM_AND.fullmatch(text, sub.start, sub.end)
        if m is not None:
            out[out.index(sub)] = replace(sub, end=m.end("first"), head=m.group("first"))
            out.append(replace(sub, start=m.start("second"), head=text[sub.start:sub.end].split()[-1]))
            continue
        if sub.agent or sub.verb_start <= sub.end:
            continue
        m = _LIST_REST.match(text, sub.end, sub.verb_start)
        # a list of three or more (a name may hold one "and": "Commissioner for Information ... and Personal Data
        # Protection"), after a name without a complement (the portfolios of "Ministry of Women, Children and
        # Senior Citizens"), that the recogniser did not read as one name
        if m is None or "," not in m.group("names") \
                or re.search(r"\s(?:of|for|on|de|du|des|del)\s", text[sub.start:sub.end]) \
                or any(a <= sub.start and sub.end < b for a, b, _ in ents):
            continue
        for n in re.finditer(_LISTED_NAME, m.group("names")):
            a, b = sub.end + n.start(), sub.end + n.end()
            if text[a:b].startswith("the "):
                a += 4
            if text[a:b] in ("and",) or any(x.start <= a < x.end for x in out):
                continue
            out.append(replace(sub, start=a, end=b, head=text[a:b].split()[-1]))
    return out


def _apposition_and_conjuncts(first) -> list:
    """"EMAPAS, the Empresa Municipal de ..., and the Federación de ... signed": the parser hangs the second subject
    on the apposition that spells out an acronym. The apposition's conjuncts after it are subjects too; the
    apposition itself is one where the subject is an acronym and it is a name (the same actor, written out)."""
    out = []
    for a in first.children:
        if a.dep_ == "appos" and a.i > first.i:
            if first.text.isupper() and len(first.text) >= 2 and a.tag_ in ("NNP", "NNPS"):
                out.append(a)
            out += [c for c in a.conjuncts if c.i > a.i]
    return out


def _conjuncts_of_complement(first) -> list:
    """"the county assembly of Kitui and the Kitui county executive approved ...": the parser joins the second
    body to the place the first is "of"; a common noun with its own article is no second place but a second
    subject."""
    from ..rules import is_group_head  # (rules does not import this module)

    out = []
    for prep in first.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("of", "for", "in"):
            continue
        for obj in prep.children:
            if obj.dep_ == "pobj" and obj.tag_ in ("NNP", "NNPS"):
                # (or a plural group: "... in Mondulkiri and Kreung communities in Ratanakiri")
                out += [c for c in obj.conjuncts if c.i > obj.i and c.tag_ in ("NN", "NNS") and c.text.islower()
                        and (any(d.dep_ == "det" for d in c.children) or (c.tag_ == "NNS" and is_group_head(c.text)))]
                # "the Union of Workers in Leather, Footwear and Rubber Industries and the Federation of ... signed":
                # the last of a list of bare names with an article of its own is no third field of the first body
                # but a second subject (a list inside a name has no article: "... of Gender, Children and the Elderly"
                # is read as one of three)
                if not any(d.dep_ == "det" for d in obj.children):
                    tail = [c for c in obj.conjuncts if c.i > obj.i]
                    out += [c for c in tail[-1:] if len(tail) >= 2 and c.tag_ in ("NNP", "NNPS")
                            and any(d.dep_ == "det" and d.lower_ == "the" for d in c.children)
                            and c.ent_type_ not in ("GPE", "LOC", "FAC", "DATE", "NORP")]
    return out + _names_after_country(first)


def _names_after_country(first, depth: int = 0) -> list:
    """"the National Union of Journalists of the Philippines and Altermidya created ...": the parser joins the
    second name to the country a body named in capitals is "of" (at any depth of its complement); one name
    that is no place, after the country, is a second subject ("of Kenya and Uganda" stays two places of one
    body; "the authorities of Nebaj, Chajul and Cotzal" lists places)."""
    if not first.text[:1].isupper() or depth > 2:
        return []
    out = []
    for prep in first.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("of", "for"):
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            if obj.ent_type_ != "GPE":
                out += _names_after_country(obj, depth + 1)
            elif len(obj.conjuncts) == 1:
                out += [c for c in obj.conjuncts if c.i > obj.i and c.tag_ in ("NNP", "NNPS")
                        and c.ent_type_ not in ("GPE", "LOC", "FAC", "DATE", "NORP")]
    return out


def _joined_modifiers(first):
    """"community disaster and climate change committees": the parser joins a bare singular noun to a
    plural group as two subjects; it is one group whose modifiers are joined. The last conjunct, or None."""
    conj = first.conjuncts
    if len(conj) != 1 or first.tag_ != "NN" or not first.text.islower() or conj[0].tag_ != "NNS" \
            or not conj[0].text.islower() or any(c.dep_ in _DETS or c.dep_ == "poss" for c in first.children) \
            or any(c.dep_ in _DETS for c in conj[0].children) or conj[0].i - first.i > 5:
        return None
    return conj[0]


def _plus_parts(ent) -> list[tuple[int, int, str]]:
    """An entity's span cut at each " + " (notes join names with "+", no name holds one: "Elmina + Moree")."""
    out, start = [], ent.start_char
    for t in ent:
        if t.text == "+":
            if t.idx - 1 > start:
                out.append((start, t.idx - 1, ent.label_))
            start = t.idx + 2
    if ent.end_char > start:
        out.append((start, ent.end_char, ent.label_))
    return out


# the object of a nominalised act after its agent ("The issuance by X of Decreto 0412", "The adoption by X of a
# policy"): "of" before an article or a possessive, or before a document's number within three words
_ACT_OBJECT = re.compile(r"\s+of\s+(?=(?:a|an|its|their|his|her)\s|(?:\S+\s+){1,3}(?:No\b|N[º°o]\.?\s*\d|\d))")


def _before_act_object(text: str, sp: tuple[int, int]) -> tuple[int, int]:
    """A nominalised act's agent without the act's object the parser hung on it."""
    m = _ACT_OBJECT.search(text, sp[0])  # (the number may lie past the phrase the parser gave)
    return (sp[0], m.start()) if m is not None and sp[0] < m.start() < sp[1] else sp


def _raised_act(verb):
    """The act a passive verb's subject did, when the passive only reports or hedges it: "X is reported to have
    facilitated ...", "X is understood to have established ...", "X was expected to open ..." (the verb's
    to-infinitive, active, with no subject of its own); None when the passive has an agent ("X was authorised
    by Y to ...": Y acted) or its infinitive is passive too ("X is said to have been trained")."""
    if not any(c.dep_ == "nsubjpass" for c in verb.children) or any(c.dep_ == "agent" for c in verb.children):
        return None
    for x in verb.children:
        if x.dep_ == "xcomp" and x.tag_ in ("VB", "VBN") \
                and any(a.dep_ == "aux" and a.lower_ == "to" for a in x.children) \
                and not any(a.dep_ in ("auxpass", "nsubj", "nsubjpass") for a in x.children) \
                and not any(a.lower_ == "by" and a.dep_ == "prep" for a in x.children):
            return x  # (not "X were accredited to run the course by Y": the parser hung the passive's agent there)
    return None


def _nominal_agents(verb) -> list:
    """The "by" of a nominalised act that is the verb's subject ("The adoption by the X Committee of a policy was
    formalised", "The signing by X and Y of the protocol ended ..."): the noun names an act, its "by" phrase the
    actor who did it, as a passive verb's agent does. A singular common noun only (a plural or a name is a
    thing or a body, not an act)."""
    acts = [s for s in verb.children if s.dep_ in _SUBJ and s.tag_ == "NN"]
    if verb.dep_ == "ROOT" and verb.tag_ == "NN":  # a heading without a verb: "The adoption by X of Y, and the
        acts += [verb, *(c for c in verb.conjuncts if c.tag_ == "NN")]  # adoption by Z of W."
    return [c for s in acts for c in s.children if c.dep_ == "prep" and c.lower_ == "by" and c.i > s.i]


def _stray_agent(verb) -> list:
    """The "by" of a passive verb that the parser hung on a noun of the verb's own prepositional phrase ("X were
    registered for the disability card by the Y Office": "by" read as a modifier of "card"): the verb has a
    passive subject and no agent of its own, and the path from "by" up to it runs through prepositions and
    their objects only (no clause, no comma between). That "by" is the verb's agent."""
    if not any(c.dep_ == "nsubjpass" for c in verb.children) or any(c.dep_ == "agent" for c in verb.children):
        return []
    # (or on a noun of the phrase of its complement: "tanks were made compulsory for every new house in X by the Y
    # Council", "for" hung on "compulsory")
    preps = [c for c in verb.children if c.dep_ == "prep"] + [
        p for c in verb.children if c.dep_ in ("oprd", "acomp") for p in c.children if p.dep_ == "prep"]
    for prep in preps:
        if prep.i < verb.i or prep.lower_ == "by":
            continue
        for t in prep.subtree:
            if t.lower_ == "by" and t.dep_ == "prep" and any(o.dep_ == "pobj" for o in t.children):
                path, up = [], t.head
                while up.i != verb.i and up.dep_ in ("pobj", "prep", "oprd", "acomp"):
                    path.append(up)
                    up = up.head
                if up.i == verb.i and len(path) <= 3 \
                        and not any(x.is_punct for x in verb.doc[verb.i:t.i]):
                    return [t]
    return []


def _together_with(sent, by) -> list:
    """The objects of "together with" after an agent's "by", within eight words of it and before any comma: a
    second agent ("... paid for by the gram panchayats in Ratlam block together with the block development
    office": the parser reads "block" as a verb and hangs the phrase on it)."""
    toks = [t for t in sent if t.i > by.i]
    out = []
    for k, t in enumerate(toks[:10]):
        if t.text in (",", ";", "(") or (t.tag_ in ("VBD", "VBZ") and t.dep_ != "conj"):
            break
        if t.lower_ == "together" and k + 1 < len(toks) and toks[k + 1].lower_ == "with":
            out += [o for o in toks[k + 1].children if o.dep_ == "pobj"][:1]
            break
    return out


# the subordinators of a consequence: "so", "so that" ("that" is the mark of a reported clause, not one)
_CONSEQUENCE_MARKS = frozenset({"so"})


def _spliced_first(root):
    """A first clause the parser hung under the root as its complement where notes join two clauses by a comma
    or a colon alone ("canoe fishers observed the closed season, approx 1,200 canoes stayed ashore": "observed" read as
    the complement of "stayed"): a finite verb before the root, with a subject of its own, a comma between
    them, and the root's subject after the comma. None otherwise."""
    doc = root.doc
    # a root the parser made of a consequence ("..., so the complainants are not obliged to come"): the clause
    # before it tells what happened, whatever its verb's form
    # (the parser hangs "so" as a mark or an adverb: it opens the clause, before the root's subject)
    consequence = any(d.dep_ in ("mark", "advmod") and d.lower_ in _CONSEQUENCE_MARKS and d.i < root.i
                      and not any(s.dep_ in _SUBJ and s.i < d.i for s in root.children) for d in root.children)
    for c in root.children:
        # (a passive or perfect one too, its auxiliary finite, where the second clause's subject is a pronoun
        # that comments on the first: "Nine schools were authorized by X to ..., what permits ...")
        finite = c.tag_ in ("VBD", "VBZ", "VBP") or (c.tag_ == "VBN" and any(
            d.dep_ in ("aux", "auxpass") and d.tag_ in ("VBD", "VBZ", "VBP", "MD") for d in c.children)
            and (consequence or any(d.dep_ in _SUBJ and d.tag_ in (*_PRONOUN_TAGS, "WDT", "DT")
                                    for d in root.children)))
        if c.dep_ == "ccomp" and c.i < root.i and finite \
                and any(d.dep_ in _SUBJ for d in c.children):
            # (or a colon: "X + Y signed agreement: bank sampah buys ...", the second clause tells what it says)
            commas = [t for t in doc[c.i:root.i] if t.text in (",", ":", ";")]
            subj = [d for d in root.children if d.dep_ in _SUBJ]
            if commas and subj and all(d.i > commas[-1].i for d in subj):
                # (not a scene set by "be" before a colon: "The road to X is long, but the news is good: the X
                # Assembly adopted ...": the clause after the colon tells the change)
                if commas[-1].text == ":" and c.lower_ in ("is", "are", "was", "were"):
                    return None
                # (nor a scene of people or things before a colon, a body's name after it: "Asylum seekers in X
                # get a desk every week: the X Commissariat opens its centres ...": the named body acted)
                if commas[-1].text == ":" and _scene_subjects([d for d in c.children if d.dep_ in _SUBJ]) \
                        and all(_proper(d) for d in subj):
                    return None
                return c
    return None


def _scene_subjects(subjects) -> bool:
    """Subjects that set a scene rather than act as a body: common nouns of people or things ("asylum seekers",
    "trucks of workers"), none a body's word ("ward committees", "the council")."""
    return bool(subjects) and all(not _proper(d) and not is_body_word(d.text) for d in subjects)


def _act_after_a_scene(root):
    """A clause with its own subject after a colon that follows a scene set by "be" ("The market of X is
    crowded, but the mood is calm: the X Assembly approved the fees", the parser making "is" the root and
    "approved" its conjunct): the act's verb, else None."""
    if root.lower_ not in ("is", "are", "was", "were"):
        return None
    doc = root.doc
    for c in root.children:
        if c.dep_ == "conj" and c.tag_ in ("VBD", "VBZ", "VBP") and any(d.dep_ in _SUBJ for d in c.children):
            first = min((d.left_edge.i for d in c.children if d.dep_ in _SUBJ), default=c.i)
            if first > 0 and doc[first - 1].text == ":":
                return c
    return None


# the subordinators of time, cause and concession that open a clause before the main one ("After the floods destroyed
# the post, ..., the Municipality opened ...")
_SUBORDINATORS = frozenset("after when since because although though once as while before until".split())


def _main_after_subordinate(root):
    """A root that is a subordinate clause the sentence opens with ("After the 2024 floods destroyed the health post
    ..., and after months in which ..., the Municipality of X opened a birth house": the parser makes "destroyed"
    the root and "opened" its conjunct): a subordinator first, the root's subject after it with no comma between,
    and a verb coordinated with the root after a comma, with a subject of its own: that verb, else None."""
    doc = root.doc
    first = root.sent.start
    if doc[first].lower_ not in _SUBORDINATORS or doc[first].head.i != root.i:
        return None
    subj = [d for d in root.children if d.dep_ in _SUBJ]
    if not subj or any(t.text == "," for t in doc[first:min(d.i for d in subj)]):
        return None
    return next((c for c in reversed(list(root.children)) if c.dep_ == "conj" and c.tag_ in ("VBD", "VBZ", "VBP")
                 and any(d.dep_ in _SUBJ and d.tag_ not in _NOT_NOUN_TAGS for d in c.children)
                 and any(t.text == "," for t in doc[root.i:c.i])), None)


# the forms of the verbs a narrator reports with, before a clause marked "that" (no lemmatizer is run): the clause
# tells what happened ("The partner reports that ...", "Monitoring records show that ..."); not the verbs of an
# act that may be the change itself ("announced that", "agreed that", "decided that")
_REPORTING_VERBS = frozenset("""report reports reported note notes noted confirm confirms confirmed share shares
shared say says said state states stated indicate indicates indicated observe observes observed show shows showed
shown find finds found""".split())


def _reported_clause(root):
    """The clause a narrator reports: after "that", the complement of a verb of reporting that is the root ("The
    partner reports that the Department of Environment closed ...") or the root's adjective's complement ("We're
    pleased to report that the X Authority has started ..."), with a noun (not a pronoun) as its own subject; None
    otherwise. Its subjects acted, the reporter did not change. A reporter by name is no narrator: "the
    Commissioner for Information found that the use of cameras by the ministry has no legal basis" is the
    commissioner's finding, the act of the change."""
    if any(d.dep_ in _SUBJ and d.tag_ in ("NNP", "NNPS") for d in root.children):
        return None
    verbs = [root, *(x for a in root.children if a.dep_ == "acomp" for x in a.children if x.dep_ == "xcomp")]
    doc = root.doc
    for v in verbs:
        # (the word after the verb is "that", whatever the parser made of it: "proud to share that in June the X
        # cut ...": "that" read as the object, the clause hung on the root as an adverbial one)
        if v.lower_ not in _REPORTING_VERBS or v.i + 1 >= len(doc) or doc[v.i + 1].lower_ != "that":
            continue
        for c in (*v.children, *root.children):
            if c.dep_ in ("ccomp", "advcl") and c.i > v.i + 1 and c.tag_.startswith("VB") \
                    and any(d.dep_ in _SUBJ and d.tag_ not in _NOT_NOUN_TAGS for d in c.children):
                return c
    return None


def _it_that(root):
    """The clause after "that" which the subject "it" of a passive that reports or hedges stands for: "It is
    understood that the X established ...", "It was reported that ..."; None otherwise."""
    if not any(d.dep_ == "nsubjpass" and d.lower_ == "it" for d in root.children):
        return None
    return next((c for c in root.children if c.dep_ == "ccomp" and c.tag_.startswith("VB") and c.i > root.i
                 and any(d.dep_ == "mark" and d.lower_ == "that" for d in c.children)
                 and any(d.dep_ in _SUBJ for d in c.children)), None)


def _second_clauses_in(clause):
    """The verbs coordinated with a subordinate clause's verb after ", and" that have a subject of their own."""
    for c in clause.children:
        if c.dep_ == "conj" and c.tag_.startswith("VB") and c.i > clause.i:
            subj = [d for d in c.children if d.dep_ in ("nsubj", "nsubjpass") and d.i < c.i]
            if subj and subj[0].left_edge.i >= 2 and c.doc[subj[0].left_edge.i - 1].lower_ == "and" \
                    and c.doc[subj[0].left_edge.i - 2].text == ",":
                yield c


def _main_verbs(root):
    """The root verb and the verbs coordinated with it ("X adopted ... and published ..."). A root that
    is a noun (the parser read "a regulation (...) on X was passed by Y" as a noun with a relative
    clause) has its first clause verb with a subject or an agent as the main verb instead."""
    if not root.tag_.startswith(("VB", "MD")):
        for c in root.children:
            if c.dep_ in ("relcl", "acl") and c.tag_.startswith("VB") \
                    and any(d.dep_ in (*_SUBJ, "agent") for d in c.children):
                yield c
                return
    yield root
    spliced = _spliced_first(root)
    if spliced is not None:
        yield spliced
    for c in root.children:
        if c.dep_ == "conj" and (c.tag_.startswith("VB") or c.tag_ == "MD"):
            yield c
        elif c.dep_ in ("advcl", "relcl", "acl") and c.i > root.i:
            # "... changed the distribution so that the groups receive their quota, and fertiliser retailers began
            # to display the price": a clause after ", and" with a subject of its own, which the parser hung on
            # the subordinate clause before it, is the sentence's second clause
            yield from _second_clauses_in(c)
        elif c.dep_ == "dobj":
            for r in c.children:  # "... approved a law that creates a council, and the mayor appointed ..."
                if r.dep_ in ("relcl", "acl") and r.i > root.i:
                    yield from _second_clauses_in(r)
        elif c.dep_ in ("ccomp", "advcl") and c.tag_.startswith("VB") and root.lower_ in ("was", "is", "were") \
                and any(d.dep_ == "mark" and d.lower_ == "that" for d in c.children) \
                and any(d.dep_ == "nsubj" and d.lower_ == "it" for d in root.children):
            yield c  # "It was in February 2025 that the X decided ...": the cleft's clause
        elif c == _it_that(root):  # (tokens are made anew at each access: compared, not identical)
            yield c  # "It is understood that, in 2025, the X established ...": the clause "it" stands for
        elif c.dep_ == "ccomp" and c.i > root.i and c.tag_ in ("VBD", "VBZ", "VBP") and any(
                d.dep_ == "nsubj" and d.i < c.i and d.left_edge.i > 0 and root.doc[d.left_edge.i - 1].lower_ == "and"
                for d in c.children):
            yield c  # "..., and the X department started ...": a second clause the parser hung as a complement
        elif c.dep_ == "ccomp" and not any(d.dep_ in _SUBJ for d in c.children) \
                and any(d.dep_ == "auxpass" for d in c.children) and any(d.dep_ == "agent" for d in c.children):
            # "the number of girls enrolled was increased by X": the parser took the participle "enrolled" for
            # the root and the passive verb, without a subject of its own, for its complement clause
            yield c
