"""The grammatical roles of the outcome description's parsed sentence, token by token, for the learnt
decision's features and spans. Read apart from the pipeline's memoised parse (:mod:`..language` keeps only
subjects and entities, which is all the rules need): the tool that builds and judges the decision
(:mod:`.loso`) pays for it, ingest does not.
"""

from __future__ import annotations

from .. import language

# NN, NNS, NNP, NNPS; PRP; CD (counts); VB* and MD: where a subject's phrase ends
_TAGS = ("NN", "PR", "CD", "VB", "MD")


def tokens(jobs: list[tuple[int, str]]) -> list[tuple[int, int, str, str, int, str, str, str]]:
    """For the sentences ``jobs`` ((offset in the field, text), as the resolver parses them): each noun,
    pronoun, number and verb as (start, end, dep, tag, governor's start, governor lower case, governor's
    dep, governor's governor lower case), in field offsets."""
    out = []
    for (off, _), doc in zip(jobs, language.nlp().pipe([t[:language.MAX_PARSE_CHARS] for _, t in jobs])):
        out += [(off + t.idx, off + t.idx + len(t.text), t.dep_, t.tag_, off + t.head.idx, t.head.lower_,
                 t.head.dep_, t.head.head.lower_) for t in doc if t.tag_[:2] in _TAGS]
    return out
