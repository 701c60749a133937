"""From a spaCy ``Doc`` to :class:`~.parsed.Parsed`: the subjects of each sentence's main verbs (with their
conjuncts, the agents of passives, apposed names, names the parser split or read as verbs, auxiliaries or
modifiers), kept as noun phrases, and the entities, split where "+" joins two."""

from __future__ import annotations

import re
from dataclasses import replace

from ..rules import joins as _joins  # (the table alone: rules does not import this module)
from .parsed import Parsed, Subject

ENTITY_LABELS = ("ORG", "GPE", "LOC", "FAC", "NORP", "PERSON")
# Words of English grammar: a text with few of them is not English, and its parse is not trusted.
_FUNCTION_WORDS = frozenset("""the a an of and or in on at to for with by from is are was were has have had be been
this that these those it its their his her they he she we our as not but which who also after before into than
then there when while will would can could should its""".split())
_WORD = re.compile(r"[^\W\d_]+")
# Function words of French, Spanish, Portuguese, Indonesian, Swahili, Tagalog that English does not use.
_FOREIGN_FUNCTION_WORDS = frozenset("""le la les des du et est une dans avec sur pour aux au qui que ont sont
el los las y con por para del su sus pero como fue son
os e em com uma pelo pela nos nas foi dos das ao
dan yang di untuk dengan dari ini itu ke pada oleh tidak akan
ya wa kwa za katika cha vya kama ni na
ang ng mga sa ay""".split()) - _FUNCTION_WORDS
SHORT_WORDS = 40  # up to this many words, a text without foreign function words counts as English


_NAMES = re.compile(r"(?<![\w'’-])[^\W\d_a-z][\w'’-]*(?:\s+(?:(?:de|del|des|du|da|do|dos|das|la|y|e|et|para|pour|u|a)\s+)?"
                    r"[^\W\d_a-z][\w'’-]*)+")


def looks_english(text: str) -> bool:
    """At least one word in eight is an English function word (running English prose: about one in three);
    or, in a short text, none is a function word of the other languages OH records are written in: a
    sentence of names and content words ("Wahana Visi Indonesia helped 600 families obtain birth
    certificates through mobile registration.") is English, a Swahili or French one is not."""
    # names are left out: "de", "y", "para" inside "Mecanismo de Protección para Personas Defensoras de
    # Derechos Humanos y Periodistas" do not make the English sentence around it foreign
    words = _WORD.findall(_NAMES.sub(" ", text[:5000]).lower())
    if len(words) < 6:
        return True  # too short to tell: a name list, a one-liner
    if sum(w in _FUNCTION_WORDS for w in words) * 8 >= len(words):
        return True
    return len(words) <= SHORT_WORDS and not any(w in _FOREIGN_FUNCTION_WORDS for w in words)


_SUBJ = ("nsubj", "nsubjpass")
# fine-grained tags (the tagger's own; the attribute ruler that maps them to coarse parts of speech is not run)
_PRONOUN_TAGS = frozenset({"PRP", "PRP$", "WP", "WP$"})
_NOT_NOUN_TAGS = _PRONOUN_TAGS | {"DT", "WDT", "PDT", "CD", "EX"}
_DETS = {"det", "predet", "nummod", "quantmod"}
_COMPLEMENT = {"of", "for", "on", "de", "del", "des", "du", "da", "do", "with", "without"}


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
_ARTICLES = frozenset("the les los las la le el os".split())
_ELIDED = re.compile(r"[dl]['’][^\W\d_]+", re.I)


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


def _proper(head) -> bool:
    """A capitalised head, not a plural noun of people capitalised because it starts the sentence
    ("Lawyers from the Alianza filed ..."; "Internews trained ..." is a name)."""
    from ..rules import is_group_head  # (rules does not import this module)

    # ("l'Équateur", "d'Ivoire": a capital after an elided article)
    text = head.text[2:] if _ELIDED.fullmatch(head.text) else head.text
    return text[:1].isupper() and not (head.i == head.sent.start and head.tag_ == "NNS"
                                       and is_group_head(head.text))


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


def _split_at_conjuncts(sent, sub: "Subject") -> list:
    """A repaired subject that holds the sentence root's conjuncts, cut into one subject each ("the community leaders
    of X and the régulo of Y" read from the noun root); [sub] when it holds none."""
    root = sent.root
    if root.text != sub.head or not sub.start <= root.idx < sub.end:
        return [sub]
    conj = [c for c in root.children if c.dep_ == "conj" and c.idx < sub.end and c.i > root.i]
    cc = next((c for c in root.children if c.dep_ == "cc" and c.i > root.i), None)
    if not conj or cc is None or cc.i > conj[0].i:
        return [sub]
    before = sent.doc[cc.i - 1]
    out = [replace(sub, end=before.idx + len(before.text) - (1 if before.text == "," else 0))]
    for c in conj:
        sp = _phrase(c)
        if sp is not None and sp[0] < sub.end:
            sp = sp[0], min(sp[1], sub.end)  # (the phrase the parse gave it may run past the verb it missed)
            out.append(replace(sub, start=sp[0], end=sp[1], head=c.text, proper=_proper(c),
                               plural=c.tag_ in ("NNS", "NNPS"), common=c.tag_ not in ("NNP", "NNPS")))
    return out


def _root_as_subject(sent, root, verb, i: int) -> "Subject":
    """The root's phrase up to the verb the parser hung on it, as that verb's subject (the repairs above and below)."""
    lo = root.left_edge.i
    while lo < root.i and sent.doc[lo].lower_ in _LEADING:
        lo += 1
    last = sent.doc[verb.i - 1]
    return Subject(sent.doc[lo].idx, last.idx + len(last.text), root.text, verb.lower_, verb.idx, i,
                   _proper(root), root.tag_ in ("NNS", "NNPS"), False)


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
    if root.tag_ not in ("NNP", "NNPS"):
        return None
    verb = next((t for t in root.children if t.dep_ == "acl" and t.i > root.i and t.tag_ in ("VBN", "VBD")
                 and t.text.islower()), None)
    if verb is None or not (any(c.dep_ in ("dobj", "prt") for c in verb.children)
                            or _DATE_THEN_OBJECT.match(sent.doc.text, verb.idx + len(verb.text))) \
            or any(t.tag_.startswith(("VB", "MD")) or t.text == "," or root not in t.ancestors
                   for t in sent.doc[root.i + 1:verb.i]):  # (only the name's complement before the verb)
        return None
    return _root_as_subject(sent, root, verb, i)


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


def is_body_word(word: str) -> bool:
    """A body's word, or its plural ("council", "kebele administrations")."""
    w = word.lower()
    return w in BODY_HEADS or (w.endswith("s") and (w[:-1] in BODY_HEADS or w[:-2] in BODY_HEADS))


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


def _phrase(head) -> tuple[int, int] | None:
    """The noun phrase a subject word heads, without its conjuncts, relative clauses, appositions or
    place phrases ("the smallholder maize cooperatives in Kisumu" → "smallholder maize cooperatives";
    "the Ministry of Health of the Republic of Kenya" kept whole)."""
    if head.tag_ in _NOT_NOUN_TAGS or head.dep_ == "expl":
        return None
    doc = head.doc
    # "the Société Dakaroise de Transport (Sodatra) put ...": the parser made the short form in brackets the head
    # and the name before the bracket its modifiers; the name is the subject (the short form only what it is
    # called after it)
    if 0 < head.i < len(doc) - 1 and doc[head.i - 1].text == "(" and doc[head.i + 1].text == ")":
        before = [c for c in head.children if c.i < head.i - 1 and c.dep_ in _MODIFIERS and c.tag_ in ("NNP", "NNPS")]
        if before:
            lo = min(c.left_edge.i for c in before)
            while lo < head.i - 2 and doc[lo].lower_ in _LEADING:
                lo += 1
            return doc[lo].idx, doc[head.i - 2].idx + len(doc[head.i - 2].text)
    keep = {head.i}
    role = head.text[:1].islower()
    # a body in lower case ("the special court for gender-based violence", "the water user association of
    # Al-Mawasit"): its complement names it, unlike the place of people ("officers of Ha'apai")
    body = role and head.tag_ in ("NN", "NNP") and head.lower_ in _BODY_HEADS
    # a relation names its people with whom it relates them to ("mothers of children with autism",
    # "parents' groups of children with disabilities"), unlike the place of people ("officers of Ha'apai")
    relation = role and (head.lower_ in _RELATIONAL
                         or any(c.dep_ == "poss" and c.lower_.rstrip("'’s") + "s" in _RELATIONAL for c in head.children))

    def take(t, top: bool) -> None:
        for c in t.children:
            d = c.dep_
            if d in ("cc", "conj") and not top and c.i < head.i and t.i < head.i and t.dep_ in _MODIFIERS:
                pass  # "community disaster and climate change committees": modifiers joined, one group
            elif body and top and d == "prep" and c.lower_ in ("of", "for") and c.i > head.i:
                keep.add(c.i)
                take(c, False)
                continue
            elif top and c.i == head.i + 1 and d in ("nummod", "appos") and c.text.isdigit() and len(c.text) <= 4 \
                    and head.text[:1].isupper() and c.ent_type_ not in ("DATE", "TIME") \
                    and (head.i == 0 or not doc[head.i - 1].like_num):
                pass  # a number that is a part of the name: "Article 19 Eastern Africa", "Rescue 1122"
            elif (d in _CUT and not (c.text == "-" and c.whitespace_ == "")) or (top and d in _DETS) \
                    or (d == "poss" and c.tag_ in _PRONOUN_TAGS) or c.ent_type_ in ("DATE", "TIME") \
                    or (c.ent_type_ == "CARDINAL" and c.like_num):  # ("the gram panchayats": "gram" no number)
                continue
            if d == "prep":
                objs = [o for o in c.children if o.dep_ == "pobj"]
                # "of the Republic of Kenya", "for Human Rights", "with disabilities", "of parliament": a
                # name's complement or a role's; "in Kisumu", "from Lira" are places, left out
                if c.i < head.i or c.lower_ not in _COMPLEMENT or not objs \
                        or not (objs[0].text[:1].isupper() or role or _named_unit(objs[0])) \
                        or (role and c.lower_ not in ("of", "with")) \
                        or (role and c.lower_ == "of" and not (relation and top and objs[0].text[:1].islower())
                            and (objs[0].tag_ == "NNS" or objs[0].text[:1].isupper()
                                 or any(d.dep_ == "det" for d in objs[0].children)
                                 # "of Chauhali and Belkuchi upazilas": units a name tells (the tagger may
                                 # read the plural of a word of another language as singular)
                                 or any(d.dep_ in _MODIFIERS and d.text[:1].isupper() for d in objs[0].children))):
                    continue  # "headteachers of community schools", "officers of Ha'apai": the people
            keep.add(c.i)
            take(c, False)

    take(head, True)
    lo = hi = head.i
    while lo - 1 in keep:
        lo -= 1
    while hi + 1 in keep:
        hi += 1
    doc = head.doc
    while lo < head.i and (doc[lo].lower_ in _LEADING or doc[lo].like_num or doc[lo].is_punct
                           or doc[lo].ent_type_ in ("DATE", "TIME")):
        lo += 1
    while hi > head.i and (doc[hi].is_punct or doc[hi].lower_ in _COMPLEMENT or doc[hi].lower_ in ("the", "and")):
        hi -= 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


_MODIFIERS = {"compound", "nmod", "amod"}
# the unit words of a place named before them ("the Deputy Governor of Gedo region")
_UNIT_NOUNS = frozenset("""region district province county state municipality governorate department prefecture
division zone woreda upazila oblast aimag territory parish commune city town""".split())


def _named_unit(obj) -> bool:
    """A place's unit word in lower case with the place's name before it ("of Gedo region"): a name's complement."""
    return obj.lower_ in _UNIT_NOUNS and any(c.dep_ in _MODIFIERS and c.i < obj.i and c.text[:1].isupper()
                                             for c in obj.children)
_RELATIONAL = frozenset("""mothers fathers parents families wives husbands guardians caregivers carers relatives
widows daughters sons spouses""".split())
BODY_HEADS = _BODY_HEADS = frozenset("""court association committee council assembly commission board tribunal unit office authority
network cooperative union forum platform federation akimat agency department directorate ministry bureau team
executive
municipality administration government jirga shura panchayat akimat hakimiyat mahalla kebele sakrebulo service
mairie fellowship guild""".split())
_CUT = {"cc", "conj", "relcl", "acl", "appos", "advcl", "punct", "npadvmod_time"}
_LEADING = {"the", "a", "an", "some", "several", "many", "all", "both", "its", "their", "his", "her", "our", "other",
            "most", "about", "around", "over", "more", "than", "at", "least"}
