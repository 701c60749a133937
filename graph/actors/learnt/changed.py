"""A learnt model of the actors that changed (session 21): a spaCy entity recogniser with one label, CHANGED, and
a tok2vec of its own (the span model's architecture, :mod:`.span_model`), trained on the outcome descriptions'
first sentences (what :func:`..finders.learnt.head` reads) with the labelled sets' gold changed actors aligned to
spans (:func:`.gold_spans.align`); every other token is "outside".

What the pipeline does with it (:func:`..roles.changed`): only where the rules found **no** actor that changed in a
first sentence that tells the outcome, the model's spans name it, through the mentions the finders already
resolved (a span over a mention gives that mention; a span over none gives nothing: the model finds no actor the
finders did not). Measured on the ten sets nobody tuned on (366 fragments, pooled; docs/extraction.md, "Round
21"): changed 426 / 13 / 27 → 430 / 13 / 23 (seed 0) and 431 / 13 / 22 (seed 1). On its own the model is
weaker than the rules (exact spans 369 / 42 / 86 on the same sets) and as an extra vote beside the rules' choice
it added more false actors than true ones (+5 true, +9 false): it fills a gap, it does not overrule.

    python -m harvestgraph.actors.learnt.build     # make model: this model and the span model
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import span_model

LABEL = "CHANGED"
EPOCHS = 15
MODEL = Path(__file__).resolve().parents[1] / "data" / "changed_spans"
# Trained on every set read and tuned on (never the test set nor the sets kept unseen, labelled.HELD_OUT; never
# dev9, as the span model); a new set joins after it has been scored once as unseen text, then `make model`
SETS = ("gold", "dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev10", "dev11", "dev12", "dev13",
        "dev14", "dev15", "dev16", "dev17", "dev18", "dev19", "dev21", "dev22", "dev23", "dev25", "dev26", "dev27",
        "dev28", "dev29", "dev30", "dev33", "dev34", "dev35", "dev36", "dev39", "dev40", "dev41", "dev42", "dev45",
        "dev46", "dev47", "dev48", "dev54", "dev55", "dev58", "dev59", "dev62", "dev63", "dev64", "dev65", "dev68",
        "dev69", "dev70", "dev71", "dev72", "dev73", "dev74", "dev75", "dev76", "dev77")


def examples(sets=SETS) -> list[tuple[str, list[tuple[int, int]]]]:
    """(first sentence, gold changed spans) of every labelled fragment of ``sets`` whose changed actors are all
    found in its first sentence (a fragment whose actor is named elsewhere, or by a name the sentence does not
    use, would teach the model that its words are "outside")."""
    from ..finders.learnt import head
    from ..labelled import HELD_OUT
    from .gold_spans import align, gold_fragments

    out = []
    for name in sets:
        if name in HELD_OUT:
            raise ValueError(f"{name} is held out")
        for frag, entry, registry in gold_fragments(name):
            if not frag.outcome_description:
                continue
            sentence = head(frag.outcome_description)
            found = [align({"s": sentence}, n, registry).get("s") for n in entry.changed]
            if sentence and all(found):
                out.append((sentence, sorted({sp for occ in found for sp in occ})))
    return out


def train(egs, epochs: int = EPOCHS, seed: int = span_model.SEED, log=None):
    import spacy
    from spacy.training import Example, offsets_to_biluo_tags

    spacy.util.fix_random_seed(seed)
    nlp = span_model.blank()
    train_egs = []
    for text, spans in egs:
        doc = nlp.make_doc(text)
        tags = offsets_to_biluo_tags(doc, [(s, e, LABEL) for s, e in spans])
        if "-" not in tags:  # (a gold span that does not fall on token boundaries: left out)
            train_egs.append(Example.from_dict(doc, {"entities": tags}))
    return span_model.fit(nlp, train_egs, epochs, seed, log)


def save(nlp, path: Path, trained_on: str) -> None:
    span_model.save(nlp, path, trained_on, "changed_spans", "harvestgraph: the actors that changed, learnt from the "
                    "labelled sets' first sentences (graph/actors/learnt/changed.py)")


_UNSET = object()
_model = _UNSET


def use(nlp) -> None:
    """The model :func:`spans` reads with (``None``: none, so the rules alone decide)."""
    global _model
    _model = nlp
    spans.cache_clear()


def model():
    """The model :func:`use` set, else the committed one (loaded on first use), else None."""
    global _model
    if _model is _UNSET:
        _model = span_model.load(MODEL) if (MODEL / "meta.json").exists() else None
    return _model


def trained_on() -> str:
    """The sha256 of the model's training data ("" without a model), read from the committed meta without
    loading the model: a part of the resolver's fingerprint."""
    if _model is _UNSET:
        from .build import recorded_hash

        return recorded_hash(MODEL) or ""
    return _model.meta.get("training_data_sha256", "") if _model is not None else ""


@lru_cache(maxsize=1024)
def spans(sentence: str) -> tuple[tuple[int, int], ...]:
    """The spans of ``sentence`` the model reads as actors that changed (none without a model)."""
    nlp = model()
    return tuple(span_model.spans(nlp, [sentence], LABEL)[0]) if nlp is not None and sentence else ()
