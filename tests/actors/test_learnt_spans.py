"""The learnt span model's parts: gold names aligned to spans, the training tags, and the finder that offers
the model's spans to the rules (with a stand-in model, so each decision of the finder is tested alone)."""

from __future__ import annotations

import pytest

from harvestgraph.actors.doc import FragmentDoc
from harvestgraph.actors.finders import learnt as finder
from harvestgraph.actors.learnt import gold_spans, span_model
from harvestgraph.actors.registry import Registry
from harvestgraph.actors.doc import Mention


def test_align_exact_then_case_then_registry(tmp_path):
    reg = tmp_path / "r.yaml"
    reg.write_text("- name: Safe Roads for All Programme\n  acronym: SRAP\n  kind: programme\n")
    registry = Registry.load(reg)
    fields = {"outcome_description": "The Kano State Road Traffic Agency adopted a plan.",
              "contribution_programme": "SRAP trained the agency's officers."}
    assert gold_spans.align(fields, "Kano State Road Traffic Agency", registry) == {"outcome_description": [(4, 34)]}
    assert gold_spans.align(fields, "kano state road traffic agency", registry) == {"outcome_description": [(4, 34)]}
    assert gold_spans.align(fields, "Safe Roads for All Programme", registry) == {"contribution_programme": [(0, 4)]}
    assert gold_spans.align(fields, "Bayero University", registry) == {}
    # whole words only: "Agency" is not inside "Agencyx"
    assert gold_spans.align({"x": "the Agencyx"}, "Agency", registry) == {}


def test_labelled_set_aligns_and_the_test_set_is_refused():
    frags = gold_spans.labelled("dev5")
    total, aligned, missed = gold_spans.failures(frags)
    assert total == aligned == 220 and not missed
    first = next(f for f in frags if f.id == "DEV5-MNFP01")
    assert ("Northern Regional Health Directorate" in
            [n for _, _, n in first.spans["outcome_description"]])
    with pytest.raises(ValueError):
        gold_spans.labelled("test")


def test_tags_gold_place_function_word_and_unknown_name():
    nlp = span_model.blank()
    text = "In Tamale, the Northern Regional Health Directorate met Radio Savannah."
    doc = nlp.make_doc(text)
    tags = span_model._tags(doc, [(15, 51)], [(3, 9)])
    by_word = dict(zip([t.text for t in doc], tags))
    assert by_word["In"] == "O"  # a capitalised function word and the first word
    assert by_word["Tamale"] == "O"  # a gold place
    assert by_word["Northern"] == "B-ACTOR" and by_word["Directorate"] == "L-ACTOR"
    assert by_word["Radio"] == "-" and by_word["Savannah"] == "-"  # a name the labels are silent about
    assert by_word["met"] == "O"


@pytest.fixture
def with_spans(monkeypatch):
    """The finder with a stand-in model that reads the given spans in every text."""
    def run(text: str, spans: list[tuple[int, int]], mentions=(), extend: bool = False, countries=()):
        monkeypatch.setattr(finder, "_model", object())
        monkeypatch.setitem(finder.MODES, "extend", extend)
        monkeypatch.setattr(finder, "_spans", lambda t: spans)
        doc = FragmentDoc(fragment=None, fields={"outcome_description": text})
        doc.countries = lambda: list(countries)
        doc.mentions = [Mention("outcome_description", s, e, text[s:e], src) for s, e, src in mentions]
        finder.learnt_spans(doc, Registry(), _NoPlaces())
        return [(m.text, m.source) for m in doc.mentions]
    return run


class _NoPlaces:
    def candidates(self, name, countries):
        return []


def _span(text: str, phrase: str) -> tuple[int, int]:
    i = text.index(phrase)
    return i, i + len(phrase)


def test_finder_extends_a_rule_name_with_lower_case_joiners(with_spans):
    text = "The commune urbaine de Toamasina adopted a waste plan."
    got = with_spans(text, [_span(text, "commune urbaine de Toamasina")], [(*_span(text, "Toamasina"), "rule")],
                     extend=True)
    assert got == [("commune urbaine de Toamasina", "rule")]
    # (not in the pipeline's modes: leave-one-set-out, the rules' extents did better)
    assert with_spans(text, [_span(text, "commune urbaine de Toamasina")],
                      [(*_span(text, "Toamasina"), "rule")]) == [("Toamasina", "rule")]


def test_finder_never_glues_what_follows_or_joins_two_names(with_spans):
    text = "Shyamnagar Upazila Parishad approved a budget of a 2.4 million taka."
    glued = _span(text, "Shyamnagar Upazila Parishad approved a budget of a 2.4 million taka")
    assert with_spans(text, [glued], [(*_span(text, "Shyamnagar Upazila Parishad"), "rule")], extend=True) == \
        [("Shyamnagar Upazila Parishad", "rule")]
    text = "Karkara and Oxfam Niger trained farmers."
    assert with_spans(text, [_span(text, "Karkara and Oxfam Niger")], [(*_span(text, "Oxfam Niger"), "rule")],
                      extend=True) == \
        [("Oxfam Niger", "rule")]
    text = "The establishment by Dhangadhi City of a centre."
    assert with_spans(text, [_span(text, "establishment by Dhangadhi City")],
                      [(*_span(text, "Dhangadhi City"), "rule")], extend=True) == [("Dhangadhi City", "rule")]


def test_finder_adds_names_and_role_groups_not_words(with_spans):
    text = "In El Alto, Karkara and water user associations met; rondas, Two and N/A too."
    spans = [_span(text, p) for p in ("In El Alto", "Karkara", "water user associations", "rondas", "Two", "N/A")]
    got = with_spans(text, spans)
    assert ("Karkara", "rule") in got and ("water user associations", "role") in got
    assert ("El Alto", "rule") in got  # (the gazetteer, not this stand-in, tells a place: see the finder)
    assert not any(t in ("rondas", "Two", "N/A", "In El Alto") for t, _ in got)


def test_finder_leaves_events_and_the_noun_of_names_beside_it_to_the_rules(with_spans):
    text = "The Digital Training Workshop and the community radio stations Radio Tumaini and Sauti Yetu met."
    spans = [_span(text, "Digital Training Workshop"), _span(text, "community radio stations")]
    assert with_spans(text, spans) == []
    text = "The community radio stations started a weekly programme."
    assert with_spans(text, [_span(text, "community radio stations")]) == [("community radio stations", "role")]


def test_finder_leaves_the_places_the_text_names_to_the_places_stage(with_spans):
    text = "Health posts in the woredas of Sodo Zuria and Boloso Sore reopened; Boloso Sore Youth Club helped."
    spans = [_span(text, "Boloso Sore"), _span(text, "Boloso Sore Youth Club")]
    assert with_spans(text, spans, countries=["ET"]) == [("Boloso Sore Youth Club", "rule")]
    assert with_spans(text, spans) == [("Boloso Sore", "rule"), ("Boloso Sore Youth Club", "rule")]  # no country


def test_finder_without_a_model_adds_nothing(monkeypatch):
    monkeypatch.setattr(finder, "_model", None)
    doc = FragmentDoc(fragment=None, fields={"outcome_description": "Karkara trained farmers."})
    finder.learnt_spans(doc, Registry(), _NoPlaces())
    assert doc.mentions == []


def test_committed_model_was_trained_on_the_labelled_data_of_this_checkout():
    """A change to a labelled set (gold.yaml, its texts, a registry) without ``make model`` fails here."""
    from harvestgraph.actors.learnt import build

    recorded = build.recorded_hash()
    assert recorded is not None, f"no committed span model at {build.MODEL}: run make model"
    assert recorded == span_model.data_hash(build.examples()), "stale span model: run make model"


def test_committed_model_loads_and_reads_actors(tmp_path):
    from harvestgraph.actors.resolver import PIPELINE, WITH_LEARNT, WITHOUT_LEARNT

    # the default since pipeline 20; the list of subjects (pipeline 23) reads every finder's names, the learnt ones too
    assert PIPELINE is WITH_LEARNT and PIPELINE["finders"][-2:] == ("learnt", "list")
    assert "learnt" not in WITHOUT_LEARNT["finders"]
    finder.use(finder._UNSET)  # the committed model, as ingest loads it
    try:
        nlp = finder.model()
        assert nlp.pipe_names == ["ner"] and nlp.get_pipe("ner").labels == ("ACTOR",)
        text = "The Kenya Human Rights Commission and water user associations trained 40 paralegals in Kisumu."
        got = [text[s:e] for s, e in span_model.spans(nlp, [text])[0]]
        # (the model trained on every tuned set may read the two subjects as one span; the finder never joins two
        # names across "and": the pipeline with it finds both, below)
        assert any(g.startswith("Kenya Human Rights Commission") for g in got) and "Kisumu" not in got
        from harvestgraph.actors import ActorResolver
        from harvestgraph.ingest import read_batch
        from harvestgraph.normalise import normalise

        path = tmp_path / "f.md"
        path.write_text(f"**FragmentID**: XYZ-ABC2501/GEN001\n**Country**: Kenya\n**Outcome description**: {text}\n",
                        encoding="utf-8")
        res = ActorResolver(pipeline=WITH_LEARNT).resolve(normalise(read_batch([path])[0][0]))
        assert sorted(a.actor.name for a in res.actors if a.role == "changed") == [
            "Kenya Human Rights Commission", "water user associations"]
    finally:
        finder.use(finder._UNSET)


def test_committed_model_reads_a_long_field_in_part():
    """A long field without a sentence's end (past spaCy's limit of 1,000,000 characters here) is read in its
    first MODEL_CHARS only."""
    finder.use(finder._UNSET)
    try:
        text = "The Kenya Human Rights Commission trained paralegals " + "x " * 600_000
        finder.prefetch([text])
        got = finder._spans(text)
        assert got and all(e <= finder.MODEL_CHARS for _, e in got)
        assert all(len(k) <= finder.MODEL_CHARS for k in finder._memo)
    finally:
        finder.use(finder._UNSET)


def test_the_model_reads_the_first_sentence_only():
    """What the parser reads for the subjects, the model reads: the outcome description's first sentence (a
    name in a later sentence is no candidate of the model's), and a description is read once per text."""
    finder.use(finder._UNSET)
    try:
        first = "In March 2025 the Kisumu County Assembly adopted a budget for women's shelters."
        text = first + " The Kenya Human Rights Commission trained 40 paralegals in Kisumu afterwards."
        assert finder.head(text) == first
        got = [text[s:e] for s, e in finder._spans(text)]
        assert any("Kisumu County Assembly" in g for g in got)
        assert all(e <= len(first) for _, e in finder._spans(text))
        assert list(finder._memo) == [first]
    finally:
        finder.use(finder._UNSET)


def test_the_learnt_span_model_is_a_choice_of_the_user(monkeypatch):
    """On by default (since pipeline 20); off with ``from_registry(..., learnt=False)`` or
    ``$HARVESTGRAPH_LEARNT_SPANS=0`` (which ``harvestgraph ingest/watch --no-learnt-spans`` sets, so that forked
    workers read it too)."""
    from harvestgraph.actors import ActorResolver
    from harvestgraph.actors.resolver import LEARNT_ENV, WITH_LEARNT, WITHOUT_LEARNT

    monkeypatch.setenv(LEARNT_ENV, "")
    assert ActorResolver.from_registry(None).pipeline == WITH_LEARNT
    assert ActorResolver.from_registry(None, learnt=False).pipeline == WITHOUT_LEARNT
    assert ActorResolver().pipeline == WITH_LEARNT
    monkeypatch.setenv(LEARNT_ENV, "1")
    assert ActorResolver.from_registry(None).pipeline == WITH_LEARNT
    monkeypatch.setenv(LEARNT_ENV, "0")
    assert ActorResolver.from_registry(None).pipeline == WITHOUT_LEARNT
    assert ActorResolver.from_registry(None, learnt=True).pipeline == WITH_LEARNT
    # a store written with the model is not the store written without it: the fingerprint says so
    assert ActorResolver.from_registry(None, learnt=True).fingerprint() != ActorResolver.from_registry(None).fingerprint()


def test_eval_and_ingest_take_the_learnt_spans_flag(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from harvestgraph.actors.resolver import LEARNT_ENV
    from harvestgraph.api.cli import app

    # ("0", not delenv: monkeypatch restores the variable's absence only after a setenv, and the CLI sets it)
    monkeypatch.setenv(LEARNT_ENV, "0")
    runner = CliRunner()
    gold = tmp_path / "gold.yaml"
    gold.write_text("XYZ-ABC2501/GEN001:\n  changed: [Kisumu County Assembly]\n  contributors: []\n  places: []\n",
                    encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "f.md").write_text("**FragmentID**: XYZ-ABC2501/GEN001\n**Country**: Kenya\n**Outcome "
                                          "description**: In 2025 the Kisumu County Assembly adopted a budget.\n",
                                          encoding="utf-8")
    got = runner.invoke(app, ["eval", "--gold", str(gold), "--examples", str(tmp_path / "in"), "--learnt-spans"])
    assert got.exit_code == 0, got.output
    assert "changed" in got.output and "1.000" in got.output
    got = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--store", str(tmp_path / "store"), "--learnt-spans"])
    assert got.exit_code == 0, got.output
    import os
    assert os.environ.get(LEARNT_ENV) == "1"  # (what the forked workers read)
    got = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--store", str(tmp_path / "store"), "--no-learnt-spans"])
    assert got.exit_code == 0, got.output
    assert os.environ.get(LEARNT_ENV) == "0"
    # (another pipeline's fingerprint: the fragment is mapped again, its new key written; the same choice again
    # writes nothing)
    assert "1 quads written" in " ".join(got.output.split()), got.output
    got = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--store", str(tmp_path / "store"), "--no-learnt-spans"])
    assert "0 quads written" in " ".join(got.output.split()), got.output
