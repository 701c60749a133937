"""Noun phrases in a parse of the language pipeline: the tables of words, tags and dependency labels the subject
rules share, the noun phrase a subject word heads (:func:`_phrase`), whether that head is a name (:func:`_proper`),
and a subject the repairs build from a noun root, cut at the root's conjuncts (:func:`_root_as_subject`,
:func:`_split_at_conjuncts`). Used by :mod:`.subjects` and :mod:`.repairs`; imports neither."""

from __future__ import annotations

import re
from dataclasses import replace

from .parsed import Subject


# Words of English grammar: a text with few of them is not English, and its parse is not trusted.
_FUNCTION_WORDS = frozenset("""the a an of and or in on at to for with by from is are was were has have had be been
this that these those it its their his her they he she we our as not but which who also after before into than
then there when while will would can could should its""".split())


_SUBJ = ("nsubj", "nsubjpass")


# fine-grained tags (the tagger's own; the attribute ruler that maps them to coarse parts of speech is not run)
_PRONOUN_TAGS = frozenset({"PRP", "PRP$", "WP", "WP$"})


_NOT_NOUN_TAGS = _PRONOUN_TAGS | {"DT", "WDT", "PDT", "CD", "EX"}


_DETS = {"det", "predet", "nummod", "quantmod"}


_COMPLEMENT = {"of", "for", "on", "de", "del", "des", "du", "da", "do", "with", "without"}


_ARTICLES = frozenset("the les los las la le el os".split())


_ELIDED = re.compile(r"[dl]['’][^\W\d_]+", re.I)


def _proper(head) -> bool:
    """A capitalised head, not a plural noun of people capitalised because it starts the sentence
    ("Lawyers from the Alianza filed ..."; "Internews trained ..." is a name)."""
    from ..rules import is_group_head  # (rules does not import this module)

    # ("l'Équateur", "d'Ivoire": a capital after an elided article)
    text = head.text[2:] if _ELIDED.fullmatch(head.text) else head.text
    return text[:1].isupper() and not (head.i == head.sent.start and head.tag_ == "NNS"
                                       and is_group_head(head.text))


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
    j = verb.i - 1
    while j > root.i and sent.doc[j].dep_ == "advmod" and sent.doc[j].head.i == verb.i:
        j -= 1  # (the verb's adverb: "the village chief of X publicly endorsed ...")
    last = sent.doc[j]
    return Subject(sent.doc[lo].idx, last.idx + len(last.text), root.text, verb.lower_, verb.idx, i,
                   _proper(root), root.tag_ in ("NNS", "NNPS"), False)


def is_body_word(word: str) -> bool:
    """A body's word, or its plural ("council", "kebele administrations", "recruitment agencies")."""
    w = word.lower()
    return w in BODY_HEADS or (w.endswith("s") and (w[:-1] in BODY_HEADS or w[:-2] in BODY_HEADS
                                                    or (w.endswith("ies") and w[:-3] + "y" in BODY_HEADS)))


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
            elif d in ("cc", "conj") and not top and not role and t.dep_ == "pobj" and _portfolios(t):
                pass  # "the Ministry of Local Government and Rural Development": the portfolios of one name
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


def _portfolios(obj) -> bool:
    """A name's complement whose capitalised object is joined by "and" to capitalised words that name no body (no
    body's word, no article, no acronym): the portfolios of one name ("of Local Government and Rural Development",
    "of Television and Radio Broadcasting"), not a second body ("of Health and the Red Cross", "and UNICEF", "and
    Kenya Wildlife Service")."""
    conj = [c for c in obj.children if c.dep_ == "conj"]
    cc = [c for c in obj.children if c.dep_ == "cc"]
    # (portfolios are joined in the name's own language: an English "and" after "de Solidarité" joins a second name,
    # "the Banque Tunisienne de Solidarité and Enda Tamweel")
    if cc and (cc[0].lower_ in ("and", "&")) != (obj.head.lower_ in ("of", "for", "on")):
        return False
    return bool(conj) and obj.text[:1].isupper() and all(
        c.tag_ in ("NNP", "NNPS") and not c.text.isupper() and c.lower_ not in _BODY_HEADS
        and not any(x.dep_ in ("det", "poss") or x.text.isupper() or x.lower_ in _BODY_HEADS for x in c.subtree
                    if x.i != c.i) for c in conj)


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
mairie fellowship guild parishad""".split())


_CUT = {"cc", "conj", "relcl", "acl", "appos", "advcl", "punct", "npadvmod_time"}


_LEADING = {"the", "a", "an", "some", "several", "many", "all", "both", "its", "their", "his", "her", "our", "other",
            "most", "about", "around", "over", "more", "than", "at", "least"}
