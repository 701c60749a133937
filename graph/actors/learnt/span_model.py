"""A learnt span model of actor names: a spaCy entity recogniser with one label, ACTOR, and a tok2vec of its
own, in a pipeline of its own (a blank English tokenizer and that component), so the base pipeline that
parses is untouched. Trained on the labelled sets' gold actors aligned to spans (:mod:`.gold_spans`).

Deterministic: a fixed seed, one thread, the examples in a fixed order. Small: hash embeddings of 2,000 rows
and width 64, two convolution layers.

Tokens of a gold actor are the entity; tokens of a gold place, lower-case tokens, capitalised function
words ("In", "The") and the capitalised first word of a sentence outside every gold actor are "outside";
other capitalised tokens outside every gold actor are *missing* (not known either way): the gold labels name
only the changed actors and the contributors, so a capitalised name merely mentioned (the target of
advocacy, an opponent) is an organisation the labels are silent about, not a negative. (With every
capitalised token missing, the model of the first trial took "In El Alto", "Technical", "Two" for actors.)

    >>> nlp = train(examples_of(frags), epochs=12)       # doctest: +SKIP
    >>> spans(nlp, ["The commune urbaine de Toamasina adopted ..."])  # doctest: +SKIP
    [[(4, 32)]]
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable, Sequence
from pathlib import Path

LABEL = "ACTOR"
SEED = 0
EPOCHS = 12
DROPOUT = 0.2
BATCH = 16
WIDTH, DEPTH, ROWS = 64, 2, 2000

_CONFIG = {
    "model": {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner", "extra_state_tokens": False, "hidden_width": 64, "maxout_pieces": 2,
        "use_upper": True, "nO": None,
        "tok2vec": {
            "@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None, "width": WIDTH,
            "depth": DEPTH, "embed_size": ROWS, "window_size": 1, "maxout_pieces": 3,
            "subword_features": True,
        },
    },
}


def blank():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("ner", config=_CONFIG)
    return nlp


def _tags(doc, spans: Sequence[tuple[int, int]], outside: Sequence[tuple[int, int]]) -> list[str]:
    """BILUO tags of ``doc``: ``spans`` are actors, ``outside`` (places) are not, capitalised tokens elsewhere
    are missing ("-"), the rest outside."""
    from spacy.training import offsets_to_biluo_tags

    tags = offsets_to_biluo_tags(doc, [(s, e, LABEL) for s, e in spans])
    places = {t.i for s, e in outside if (sp := doc.char_span(s, e, alignment_mode="expand")) is not None for t in sp}
    out = []
    for t, tag in zip(doc, tags):
        if tag == "O" and t.i not in places and t.text[:1].isupper() and t.text.lower() not in FUNCTION_WORDS \
                and not _starts_sentence(doc, t.i):
            tag = "-"
        out.append(tag)
    return out


FUNCTION_WORDS = frozenset("""the a an in on at by for from with to of and or but this these those its their his her
our after before during since until under over through following despite as when while once if there it they
he she we then also however although because""".split())


def _starts_sentence(doc, i: int) -> bool:
    """The first word of the text or of a sentence, clause or list item (after . ! ? : ; a newline or a bullet)."""
    j = i - 1
    while j >= 0 and doc[j].is_space:
        j -= 1
    return j < 0 or doc[j].text in (".", "!", "?", ":", ";", "-", "*", "•", "–", "—") \
        or "\n" in doc[j].whitespace_ or "\n" in doc[j].text


def examples_of(frags) -> list[tuple[str, list[tuple[int, int]], list[tuple[int, int]]]]:
    """(text, actor spans, place spans) per field of each :class:`.gold_spans.LabelledFragment`, in order."""
    return [(t, [(s, e) for s, e, _ in f.spans.get(fld, [])], f.places.get(fld, []))
            for f in frags for fld, t in f.fields.items()]


def data_hash(examples) -> str:
    """sha256 of the training examples: what a committed model was trained on."""
    return hashlib.sha256(json.dumps(examples, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def train(examples, epochs: int = EPOCHS, seed: int = SEED, log=None):
    """A span model trained on ``examples`` (from :func:`examples_of`)."""
    import spacy
    from spacy.training import Example

    spacy.util.fix_random_seed(seed)
    nlp = blank()
    egs = []
    for text, spans, places in examples:
        doc = nlp.make_doc(text)
        tags = _tags(doc, spans, places)
        if all(t in ("O", "-") for t in tags) and "O" not in tags:
            continue  # nothing known about this text
        egs.append(Example.from_dict(doc, {"entities": tags}))
    return fit(nlp, egs, epochs, seed, log)


def fit(nlp, egs, epochs: int = EPOCHS, seed: int = SEED, log=None):
    """``nlp`` (from :func:`blank`) trained on spaCy ``Example`` s: shuffled with ``seed``, batches of
    :data:`BATCH`, dropout :data:`DROPOUT` (the span model's and the changed-actor model's loop)."""
    from spacy.util import minibatch

    opt = nlp.initialize(lambda: egs)
    rng = random.Random(seed)
    for epoch in range(epochs):
        order = egs[:]
        rng.shuffle(order)
        losses: dict[str, float] = {}
        for batch in minibatch(order, size=BATCH):
            nlp.update(batch, drop=DROPOUT, sgd=opt, losses=losses)
        if log:
            log(f"epoch {epoch + 1}: loss {losses.get('ner', 0.0):.1f}")
    return nlp


def spans(nlp, texts: Iterable[str], label: str = LABEL) -> list[list[tuple[int, int]]]:
    """The ``label`` spans (character offsets) the model finds in each text."""
    return [[(e.start_char, e.end_char) for e in doc.ents if e.label_ == label]
            for doc in nlp.pipe(texts, batch_size=PIPE_BATCH)]


PIPE_BATCH = 64  # texts a batch (spaCy's default, 1,000, holds a prefetch chunk's fields at once)


def save(nlp, path: Path, trained_on: str, name: str = "actor_spans",
         description: str = "harvestgraph: ACTOR spans learnt from the labelled sets (graph/actors/learnt)") -> None:
    """``nlp`` written to ``path`` with its name and the sha256 of its training data in its meta."""
    nlp.meta["name"] = name
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = description
    nlp.meta["training_data_sha256"] = trained_on
    nlp.to_disk(path)


def load(path: Path):
    import spacy

    return spacy.load(path)
