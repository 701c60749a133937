"""The learnt model of the actors that changed (graph/actors/learnt/changed.py): it names them only where the rules
found none, through the mentions the finders resolved; its training data is the labelled data of the checkout."""

from __future__ import annotations

import pytest

from harvestgraph.actors import roles
from harvestgraph.actors.doc import FragmentDoc, Mention
from harvestgraph.actors.learnt import build, changed, span_model
from harvestgraph.actors.registry import Registry

# a first sentence whose subject the rules do not read (a passive without an agent; the name sits in a phrase)
TEXT = "Budget lines for 12 shelters were approved in 2025 with the Kisumu County Assembly voting them."


def _doc(text: str, *names: str, source: str = "rule") -> FragmentDoc:
    doc = FragmentDoc(fragment=None, fields={"outcome_description": text})
    doc.mentions = [Mention("outcome_description", text.index(n), text.index(n) + len(n), n, source) for n in names]
    return doc


def _at(text: str, phrase: str) -> tuple[int, int]:
    return text.index(phrase), text.index(phrase) + len(phrase)


def test_the_model_fills_only_where_the_rules_found_no_actor_that_changed():
    asked: list[str] = []

    def model(sentence):
        asked.append(sentence)
        return (_at(TEXT, "Kisumu County Assembly"),)

    doc = _doc(TEXT, "Kisumu County Assembly")
    roles.changed(doc, Registry())
    assert doc.changed == []  # the rules alone: none
    roles.changed(doc, Registry(), model)
    assert [m.text for m in doc.changed] == ["Kisumu County Assembly"] and asked == [TEXT]
    # where the rules found one, the model is not asked and overrules nothing
    text = "The Kisumu County Assembly adopted a budget for 12 shelters."
    asked.clear()
    doc = _doc(text, "Kisumu County Assembly")
    roles.changed(doc, Registry(), lambda s: asked.append(s) or ((0, 3),))
    assert [m.text for m in doc.changed] == ["Kisumu County Assembly"] and asked == []


def test_the_model_names_only_mentions_the_finders_resolved_and_never_the_programme():
    text = "Budget lines were approved in 2025 with SHEP and the Kisumu County Assembly and a new clinic voting them."
    spans = (_at(text, "SHEP"), _at(text, "County Assembly"), _at(text, "a new clinic"))
    doc = _doc(text, "Kisumu County Assembly")
    doc.mentions.append(Mention("outcome_description", *_at(text, "SHEP"), "SHEP", "programme"))
    roles.changed(doc, Registry(), lambda s: spans)
    # (a span over part of a mention gives the mention; a span over no mention, nothing; the programme, never)
    assert [m.text for m in doc.changed] == ["Kisumu County Assembly"]


def test_the_model_reads_the_first_sentence_and_not_a_scene_setting_one():
    second = " Later the Nakuru County Assembly voted a second budget."
    seen: list[str] = []
    doc = _doc(TEXT + second, "Kisumu County Assembly")
    roles.changed(doc, Registry(), lambda s: seen.append(s) or ())
    assert seen == [TEXT]
    # a first sentence that only sets the scene (the outcome is told later): the model reads none
    seen.clear()
    doc = _doc(TEXT + second, "Kisumu County Assembly")
    doc.outcome_sentence = 1
    roles.changed(doc, Registry(), lambda s: seen.append(s) or ())
    assert seen == []


def test_the_resolver_asks_the_model_with_the_learnt_pipeline_only(monkeypatch, tmp_path):
    from harvestgraph.actors import ActorResolver
    from harvestgraph.actors.resolver import WITH_LEARNT, WITHOUT_LEARNT
    from harvestgraph.ingest import read_batch
    from harvestgraph.normalise import normalise

    path = tmp_path / "f.md"
    path.write_text(f"**FragmentID**: XYZ-ABC2501/GEN001\n**Country**: Kenya\n**Outcome description**: {TEXT}\n",
                    encoding="utf-8")
    frag = normalise(read_batch([path])[0][0])
    monkeypatch.setattr(changed, "spans", lambda s: (_at(TEXT, "Kisumu County Assembly"),))

    def who(pipeline):
        return [a.actor.name for a in ActorResolver(pipeline=pipeline).resolve(frag).actors if a.role == "changed"]

    assert who(WITHOUT_LEARNT) == []
    assert who(WITH_LEARNT) == ["Kisumu County Assembly"]


def test_committed_model_was_trained_on_the_labelled_data_of_this_checkout():
    """A change to a labelled set without ``make model`` fails here (as for the span model)."""
    recorded = build.recorded_hash(changed.MODEL)
    assert recorded is not None, f"no committed model at {changed.MODEL}: run make model"
    assert recorded == span_model.data_hash(changed.examples()), "stale changed-actor model: run make model"


def test_training_never_reads_a_held_out_set():
    with pytest.raises(ValueError, match="held out"):
        changed.examples(("dev5", "test"))
    with pytest.raises(ValueError, match="held out"):
        changed.examples(("dev20",))
    assert not set(changed.SETS) & {"test", "dev9", "dev20", "dev24", "dev31", "dev32", "dev37", "dev38", "dev43",
                                    "dev44", "dev49", "dev50"}


def test_committed_model_loads_and_reads_the_subject_not_a_place():
    changed.use(changed._UNSET)
    try:
        nlp = changed.model()
        assert nlp.pipe_names == ["ner"] and nlp.get_pipe("ner").labels == ("CHANGED",)
        text = "The Kisumu County Assembly adopted a budget for 12 shelters in Nakuru."
        got = [text[s:e] for s, e in changed.spans(text)]
        assert got == ["Kisumu County Assembly"]
        # (alone it is weaker than the rules: here it takes the agent of "proposed by" too; hence a gap filler)
        text = "The Kisumu County Assembly adopted a budget proposed by the Kenya Human Rights Commission."
        assert "Kisumu County Assembly" in [text[s:e] for s, e in changed.spans(text)]
        assert changed.trained_on() == build.recorded_hash(changed.MODEL)
    finally:
        changed.use(changed._UNSET)
