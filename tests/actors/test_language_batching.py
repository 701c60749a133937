"""How texts reach the language pipeline: batching and the components a pass leaves out change what it
costs, never what it reads (issue 12/14: ingest throughput)."""

from __future__ import annotations

import pytest

from harvestgraph.actors import language

TEXTS = [
    "In May 2025, the Pwani Youth Network and the Kilifi Women Forum adopted a protocol.",
    "Save the Children Kenya supplied school kits to 40 schools in Kisumu and Homa Bay.",
    "The Ministry of Health of the Republic of Kenya published the guidelines.",
    "Three community radio stations in Gulu started a weekly call-in show.",
    "Oxfam backed the campaign; the IOM covered transport for 200 returnees from Lira.",
    "Transparency International Zambia published the audit in Lusaka.",
    "Women councillors in Nepalgunj passed a budget line for shelters in Banke district.",
]


@pytest.fixture
def fresh_memo(monkeypatch):
    """Memos emptied for the test (and restored after): every text is parsed, none remembered."""
    monkeypatch.setattr(language, "_memo", type(language._memo)())
    monkeypatch.setattr(language, "_place_memo", type(language._place_memo)())


def test_a_batch_reads_each_text_as_it_reads_it_alone(fresh_memo, monkeypatch):
    together = language.parse_many(TEXTS)
    monkeypatch.setattr(language, "_memo", type(language._memo)())
    alone = [language.parse_many([t])[0] for t in TEXTS]
    assert together == alone
    assert any(p.entities for p in together) and any(p.subjects for p in together)


@pytest.mark.parametrize("texts, chars, sizes", [(3, 10**6, [3, 3, 1]), (1000, 160, [1, 2, 2, 2])])
def test_batches_are_bounded_by_texts_and_characters_and_keep_the_order(monkeypatch, texts, chars, sizes):
    seen: list[int] = []
    real = language.nlp()

    class Counting:
        def pipe(self, batch, batch_size, disable=()):
            seen.append(len(batch))
            assert batch_size == len(batch)
            return real.pipe(batch, batch_size=batch_size, disable=disable)

    monkeypatch.setattr(language, "BATCH_TEXTS", texts)
    monkeypatch.setattr(language, "BATCH_CHARS", chars)
    monkeypatch.setattr(language, "nlp", lambda: Counting())
    docs = list(language._pipe(TEXTS))
    assert seen == sizes
    assert [d.text for d in docs] == TEXTS


def test_the_place_pass_does_not_need_the_shared_tok2vec(fresh_memo):
    """The entity recogniser embeds its own tokens (it does not listen to ``tok2vec``), so leaving the
    shared ``tok2vec`` out of the place-only pass changes no entity."""
    nlp = language.nlp()
    windows = [t[: len(t) * 2 // 3] for t in TEXTS] + TEXTS
    with_tok2vec = [[(e.start_char, e.end_char) for e in d.ents if e.label_ in language.PLACE_LABELS]
                    for d in nlp.pipe(windows, disable=["tagger", "parser"])]
    assert language.place_entities(windows) == [tuple(x) for x in with_tok2vec]
    assert any(with_tok2vec)


def test_the_model_loads_its_saved_tokenizer_whatever_the_factory_built():
    """:func:`language.nlp` skips building the defaults' tokenizer that loading replaces anyway: the loaded
    tokenizer, vocabulary and readings are those of a plain ``spacy.load``."""
    import spacy

    ours = language.nlp()
    theirs = spacy.load(language.MODEL, exclude=list(language.EXCLUDE))
    language.add_special_cases(theirs)  # (the pipeline's own words on top of the saved tokenizer)
    assert ours.pipe_names == theirs.pipe_names
    assert ours.tokenizer.to_bytes(exclude=["vocab"]) == theirs.tokenizer.to_bytes(exclude=["vocab"])
    texts = [*TEXTS, "U.S.-based NGOs didn't wait: e.g. Dr. Okello's team (KHRC) met at 3pm, see https://x.org/a?b=1."]

    def read(pipeline):
        return [[(t.text, t.whitespace_, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in d] for d in pipeline.pipe(texts)]

    assert read(ours) == read(theirs)


def test_the_matrix_products_are_numpys_on_one_thread_and_read_as_blis_reads():
    """The pipeline's matrix products go to numpy's BLAS, one thread a process, not to thinc's BLIS (~37 % of
    the pipeline's CPU, docs/performance.md, session 14): every sentence the sample corpus has parsed reads the
    same (tags, dependencies, heads, entities) as with a pipeline loaded with thinc's defaults."""
    from pathlib import Path

    import spacy
    from threadpoolctl import threadpool_info

    from harvestgraph.actors.resolver import _parse_jobs
    from harvestgraph.ingest.batch import normalise_all
    from harvestgraph.read import read_file

    ours = language.nlp()
    assert {getattr(n.ops, "use_blis", None) for _, c in ours.pipeline for n in c.model.walk()} == {False}
    assert {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"} == {1}
    theirs = spacy.load(language.MODEL, exclude=list(language.EXCLUDE))
    language.add_special_cases(theirs)
    assert any(getattr(n.ops, "use_blis", False) for _, c in theirs.pipeline for n in c.model.walk())
    texts = []
    for path in sorted(Path(__file__).parents[2].joinpath("examples", "text").glob("*.*")):
        frags, _ = normalise_all(read_file(path))
        texts += [t for f in frags for _, _, sents in _parse_jobs(f.text_fields()) for _, t in sents]
    assert len(texts) > 50

    def read(pipeline):
        return [[(t.text, t.tag_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_) for t in d] for d in pipeline.pipe(texts)]

    assert read(ours) == read(theirs)
