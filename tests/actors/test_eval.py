"""Extraction quality against the gold labels (tests/data/gold_actors.yaml): the figures reached must not
regress, and the evaluator itself counts what it should."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from harvestgraph.actors import ActorResolver
from harvestgraph.errors import HarvestError
from harvestgraph.actors.evaluate import LABELLED_SETS, ROLES, RoleScore, evaluate, load_gold

from tests.conftest import EXAMPLES, REGISTRY

GOLD = Path(__file__).parent.parent / "data" / "gold_actors.yaml"
HG = [str(Path(sys.executable).parent / "harvestgraph")]

# Reached on the sample corpus (44 changed actors, 116 contributors, 89 places in 39 fragments): 1.000 for every
# role when this was written; 0.977 / 1.000 / 0.983 since 2026-11-30 12:10 UTC, when extraction followed the sets
# written apart from the rules (a unit "of the" its parent is one name; a place inside a name is not a place),
# where the sample labels "Child and Family Protection Unit" and three jurisdictions ("... of Arua") otherwise.
# The margin lets one or two labels move; a real regression fails.
FLOOR = {"changed": 0.95, "contributors": 0.95, "places": 0.95}


@pytest.fixture(scope="module")
def resolver():
    return ActorResolver.from_registry(REGISTRY)


@pytest.fixture(scope="module")
def gold():
    return load_gold(GOLD)


@pytest.fixture(scope="module")
def report(gold, resolver):
    return evaluate(gold, [EXAMPLES], resolver)


def test_gold_file_covers_enough_fragments(gold, report):
    assert len(gold) >= 32
    assert report.fragments == len(gold)
    assert sum(len(g.changed) for g in gold.values()) == report.scores["changed"].tp + report.scores["changed"].fn


@pytest.mark.parametrize("role", ROLES)
def test_f1_does_not_regress(report, role):
    s = report.scores[role]
    shown = [f"{e.fragment} {e.kind}: {e.label}" for e in report.errors if e.role == role]
    assert s.f1 >= FLOOR[role], (role, s, shown)


def test_scores():
    s = RoleScore(tp=3, fp=1, fn=2)
    p, r = 3 / 4, 3 / 5
    assert (s.precision, s.recall) == (p, r) and s.f1 == pytest.approx(2 * p * r / (p + r))
    assert RoleScore().f1 == 1.0  # nothing expected, nothing found


def test_evaluator_counts_misses_and_false_positives(gold, resolver, report):
    """A contributor added to the gold becomes a miss; a changed actor removed becomes a false positive."""
    first, second = sorted(gold)[:2]
    edited = dict(gold)
    edited[first] = replace(gold[first], contributors=(*gold[first].contributors, "Nobody Foundation"))
    edited[second] = replace(gold[second], changed=gold[second].changed[1:])
    rep = evaluate(edited, [EXAMPLES], resolver)
    base = report.scores
    assert rep.scores["contributors"].fn == base["contributors"].fn + 1
    assert rep.scores["changed"].fp == base["changed"].fp + 1
    assert rep.scores["changed"].tp == base["changed"].tp - 1
    assert any(e.fragment == first and e.label == "Nobody Foundation" and e.kind == "miss" for e in rep.errors)
    assert any(e.fragment == second and e.kind == "false positive" and e.role == "changed" for e in rep.errors)


def test_a_label_with_a_typographic_apostrophe_names_the_same_actor(gold, resolver, report):
    """Extraction writes names with a straight apostrophe (``resolution.clean_name``): a label written with "’" is
    the same actor, not a miss beside a false positive."""
    fid = next(f for f, g in sorted(gold.items()) if any("'" in n for n in g.changed))
    edited = dict(gold)
    edited[fid] = replace(gold[fid], changed=tuple(n.replace("'", "’") for n in gold[fid].changed))
    rep = evaluate(edited, [EXAMPLES], resolver)
    assert rep.scores["changed"] == report.scores["changed"]


def test_gold_naming_an_unknown_fragment_is_an_error(gold, resolver, tmp_path):
    bad = dict(gold)
    bad["XYZ-NOPE/001"] = next(iter(gold.values()))
    with pytest.raises(HarvestError, match="XYZ-NOPE/001"):
        evaluate(bad, [EXAMPLES], resolver)
    path = tmp_path / "gold.yaml"
    path.write_text('"A-B/1":\n  places: [Kwale]\n', encoding="utf-8")
    with pytest.raises(HarvestError, match="places"):
        load_gold(path)


def test_eval_help_names_every_labelled_set():
    """The help of --set is made of the sets' names, not a list written beside them."""
    from harvestgraph.actors.labelled import SET_NAMES

    p = subprocess.run([*HG, "eval", "--help"], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "COLUMNS": "2000"})
    assert p.returncode == 0, p.stderr
    assert ", ".join(SET_NAMES[1:]) in p.stdout and set(SET_NAMES) == set(LABELLED_SETS())


def test_eval_command(report):
    args = [*HG, "eval", "--gold", str(GOLD), "--examples", str(EXAMPLES), "--registry", str(REGISTRY)]
    p = subprocess.run([*args, "--fail-under", str(FLOOR["changed"])], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    for role in ROLES:
        cells = next(c for c in ([x.strip() for x in ln.split("│")] for ln in p.stdout.splitlines()) if role in c)
        assert f"{report.scores[role].f1:.3f}" in cells
    p = subprocess.run([*args, "--fail-under", "1.01"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 1 and "F1 below" in p.stdout


# The dev sets (tests/data/extraction/dev/ and dev2/: 80 fragments each; dev3/: 56 fragments, 7 programmes, 44
# countries; all written apart from the rules, registry = programmes only) scored, when the pipeline was last tuned
# on them (2026-11-30, session 8, pipeline 6, `harvestgraph eval --set ... --max 0`; dev3 scored 0.626 / 0.803 /
# 0.889 before any tuning on it):
#   dev  1.000 / 0.981 / 0.980     dev2 0.971 / 0.980 / 0.969     dev3 0.933 / 0.947 / 0.926
#   dev4 0.984 / 0.967 / 0.930     (changed / contributors / places)
# dev4/ (80 fragments) was the held-out test set until session 8; its last score as a test set, before any tuning
# on it: 0.833 / 0.904 / 0.927 (error analysis and the session 8 round: docs/extraction.md).
# dev5/ (48 fragments, a new hand, session 8) is not tuned on yet: 0.661 / 0.843 / 0.873 before the session 8 round,
# 0.679 / 0.865 / 0.881 after it; its floor guards against losing what transfers.
# The floors sit just below: a label or two may move, a lost rule or finder fails. The test set is never scored
# here (it is not tuned on).
DEV_FLOOR = {"dev": {"changed": 0.98, "contributors": 0.96, "places": 0.96},
             "dev2": {"changed": 0.95, "contributors": 0.96, "places": 0.95},
             # places raised after the places round of session 11 (pipeline 9: dev3 0.960, dev4 0.975, dev5 0.971,
             # dev6 0.979)
             "dev3": {"changed": 0.91, "contributors": 0.92, "places": 0.94},
             "dev4": {"changed": 0.95, "contributors": 0.94, "places": 0.95},
             "dev5": {"changed": 0.93, "contributors": 0.86, "places": 0.95},
             # dev6 (48 fragments, session 10) scored 0.752 / 0.878 / 0.926 unseen; tuned on in session 11 (round 9,
             # pipeline 8: 0.967 / 0.911 / 0.940; dev5 then 0.974 / 0.883 / 0.889)
             "dev6": {"changed": 0.93, "contributors": 0.89, "places": 0.95},
             # dev7 (56, session 11, three new registers) scored 0.547 / 0.865 / 0.861 unseen, 0.522 / 0.873 / 0.853
             # after round 9; tuned on in round 10 (pipeline 10: 0.689 / 0.873 / 0.859; round 11, pipeline 11:
             # 0.747 / 0.884 / 0.871); changed raised in round 15 (pipeline 15: 0.846 / 0.905 / 0.889: a scene's
             # first sentence hands the change on, bodies named in lower case in another language)
             "dev7": {"changed": 0.80, "contributors": 0.86, "places": 0.84},
             # dev8 (48, session 11) scored 0.835 / 0.894 / 0.966 unseen before round 10 and 0.881 / 0.894 / 0.970
             # after it; tuned on in round 11 (session 12, pipeline 11: 0.992 / 0.976 / 0.975)
             "dev8": {"changed": 0.96, "contributors": 0.95, "places": 0.95},
             # dev9 (48, session 12, country-office English) scored 0.876 / 0.880 / 0.960 unseen before round 11
             # and 0.893 / 0.900 / 0.964 after it; tuned on in round 12 (session 13, pipeline 12: 1.000 / 0.972 /
             # 0.975)
             "dev9": {"changed": 0.97, "contributors": 0.94, "places": 0.96},
             # dev10 (48, session 13, a new hand) scored 0.931 / 0.923 / 0.971 unseen before round 12 and the same
             # after it; tuned on in round 13 (session 14, pipeline 13: 1.000 / 0.981 / 0.981)
             "dev10": {"changed": 0.97, "contributors": 0.95, "places": 0.96},
             # dev11 (48, session 14, a new hand) scored 0.957 / 0.868 / 0.960 before round 14; tuned on in round
             # 14 (session 14, pipeline 14: 0.982 / 0.965 / 0.964)
             "dev11": {"changed": 0.96, "contributors": 0.94, "places": 0.94},
             # dev12 (48, session 14, a new hand) scored 0.942 / 0.922 / 0.945 unseen before round 14 and 0.951 /
             # 0.922 / 0.945 after it; tuned on in round 15 (session 15, pipeline 15: 0.981 / 0.962 / 0.945)
             "dev12": {"changed": 0.96, "contributors": 0.94, "places": 0.93},
             # dev13 (48, session 15, scenes set before the change) scored 0.674 / 0.951 / 0.942 unseen on pipeline
             # 14 and 0.820 / 0.955 / 0.951 after rounds 15 and 15b; tuned on in round 16 (session 16, pipeline 16:
             # 0.954 / 0.955 / 0.951: a narrator's reported clause, a name before its short form in brackets or
             # after a long opening phrase, a subordinate clause the sentence opens with, labelled paragraphs)
             "dev13": {"changed": 0.88, "contributors": 0.93, "places": 0.93},
             # dev14 (48, session 15, an ordinary portfolio) scored 0.990 / 0.986 / 0.964 unseen, 1.000 / 0.986 /
             # 0.964 after rounds 15 and 15b; a dev set since session 16 (unchanged by round 16)
             "dev14": {"changed": 0.97, "contributors": 0.96, "places": 0.94},
             # dev15, dev16, dev17 (48, 48, 40, session 16) scored 0.960 / 0.942 / 0.972, 0.937 / 0.943 / 0.952 and
             # 0.904 / 0.947 / 0.972 unseen; tuned on in round 17 (session 17, pipeline 17: 0.980 / 0.958 / 0.972,
             # 0.946 / 0.987 / 0.956, 0.972 / 0.989 / 0.978)
             "dev15": {"changed": 0.96, "contributors": 0.94, "places": 0.95},
             "dev16": {"changed": 0.92, "contributors": 0.96, "places": 0.94},
             "dev17": {"changed": 0.95, "contributors": 0.97, "places": 0.96},
             # dev18, dev19 (48 each, session 17, an evaluator's summaries in translated English) scored 0.689 /
             # 0.941 / 0.926 and 0.766 / 0.924 / 0.927 unseen; tuned on in rounds 17b-17e (pipeline 17: 0.857 /
             # 0.950 / 0.929, 0.919 / 0.938 / 0.933)
             "dev18": {"changed": 0.83, "contributors": 0.93, "places": 0.91},
             "dev19": {"changed": 0.89, "contributors": 0.92, "places": 0.91},
             # dev21, dev22 (44 each, session 18: partner organisations' own staff; an advocacy network's policy
             # officers) scored 0.816 / 0.954 / 0.902 and 0.797 / 0.917 / 0.905 unseen; tuned on in rounds 18a-18d
             # (pipeline 18: 0.889 / 0.976 / 0.901, 0.907 / 0.937 / 0.905). dev20 has no floor: it stays unseen
             "dev21": {"changed": 0.86, "contributors": 0.95, "places": 0.88},
             "dev22": {"changed": 0.88, "contributors": 0.91, "places": 0.88},
             # dev23 (40, session 18, an OH consultant's canonical statements) scored 0.921 / 0.891 / 0.952 unseen on
             # pipelines 17 and 18 (identical); tuned on in round 18e (a field's own label: 0.921 / 0.968 / 0.952)
             "dev23": {"changed": 0.89, "contributors": 0.94, "places": 0.93},
             # dev25, dev26 (36 each, session 19: a francophone/lusophone/hispanophone portfolio in non-native English;
             # a programme officer's clipped spreadsheet entries, Asia-Pacific and MENA) scored 0.870 / 0.964 / 0.915
             # and 0.828 / 0.955 / 0.971 unseen on pipeline 18, the same after round 19a; tuned on in rounds 19b-19d
             # (pipeline 19: 0.957 / 0.964 / 0.915, 0.945 / 0.955 / 0.971)
             "dev25": {"changed": 0.92, "contributors": 0.93, "places": 0.88},
             "dev26": {"changed": 0.91, "contributors": 0.92, "places": 0.94},
             # dev27, dev28 (36 each, session 19: an East/Southern African consortium's staff; a funder's desk officer
             # summarising partners' reports) scored 0.932 / 0.965 / 0.929 and 0.867 / 0.966 / 1.000 unseen on
             # pipeline 18 and 0.932 / 0.970 / 0.929 and 0.867 / 0.966 / 1.000 after rounds 19a-19f; tuned on in round
             # 19g (0.944 / 0.970 / 0.929, 0.905 / 0.971 / 1.000)
             "dev27": {"changed": 0.91, "contributors": 0.94, "places": 0.90},
             "dev28": {"changed": 0.87, "contributors": 0.94, "places": 0.97},
             # dev29, dev30 (36 each, session 19: an INGO's nominalised results report; small Pacific and Caribbean
             # partners) scored 0.911 / 0.963 / 0.967 and 0.941 / 0.951 / 0.886 unseen on pipeline 18, 0.911 / 0.963
             # / 0.967 and 0.965 / 0.951 / 0.886 after rounds 19a-19g; tuned on in round 19h (0.951 / 0.963 / 0.967,
             # 1.000 / 0.957 / 0.897)
             "dev29": {"changed": 0.92, "contributors": 0.93, "places": 0.94},
             "dev30": {"changed": 0.96, "contributors": 0.92, "places": 0.86},
             # dev33-dev36 and dev39-dev42 (36 each, session 20: health in Lusophone and Francophone Africa; land and
             # indigenous peoples in Asia and Latin America; media freedom in Eastern Europe, Central Asia and MENA;
             # education in clipped spreadsheet notes; farmer organisations; urban water; labour migration;
             # peacebuilding) scored unseen on pipeline 19: 0.773 / 0.877 / 0.908, 0.897 / 0.945 / 0.907, 0.932 /
             # 0.930 / 0.977, 0.822 / 0.928 / 0.905, 0.913 / 0.967 / 0.921, 0.932 / 0.956 / 0.836, 0.956 / 0.879 /
             # 0.938, 0.700 / 0.932 / 0.900; tuned on in rounds 20a-20e (pipeline 20: 0.921 / 0.909 / 0.902, 0.955 /
             # 0.945 / 0.907, 0.966 / 0.933 / 0.977, 0.956 / 0.945 / 0.911, 0.913 / 0.967 / 0.926, 0.977 / 0.956 /
             # 0.840, 0.945 / 0.891 / 0.938, 0.814 / 0.932 / 0.900). dev37, dev38, dev43, dev44: unseen, no floor
             "dev33": {"changed": 0.89, "contributors": 0.88, "places": 0.87},
             "dev34": {"changed": 0.92, "contributors": 0.91, "places": 0.87},
             "dev35": {"changed": 0.93, "contributors": 0.90, "places": 0.94},
             "dev36": {"changed": 0.92, "contributors": 0.91, "places": 0.88},
             "dev39": {"changed": 0.88, "contributors": 0.93, "places": 0.89},
             "dev40": {"changed": 0.94, "contributors": 0.92, "places": 0.81},
             "dev41": {"changed": 0.91, "contributors": 0.86, "places": 0.90},
             "dev42": {"changed": 0.78, "contributors": 0.90, "places": 0.87},
             # dev45-dev48 (36 each, session 20, the third wave: disability inclusion in Latin America; youth and local
             # governance in West Africa; small-scale fisheries in Southeast Asia and the Pacific; women's economic
             # empowerment in MENA and South Asia) scored unseen on pipeline 19: 0.879 / 0.943 / 0.962, 0.968 / 0.892
             # / 0.904, 0.892 / 0.939 / 0.859, 0.923 / 0.938 / 0.966, and on pipeline 20e: 0.889 / 0.943 / 0.962,
             # 0.968 / 0.892 / 0.928, 0.881 / 0.952 / 0.859, 0.923 / 0.938 / 0.966; tuned on in round 20f (0.923 /
             # 0.943 / 0.962, the others the same). dev49, dev50: unseen, no floor
             "dev45": {"changed": 0.89, "contributors": 0.91, "places": 0.93},
             "dev46": {"changed": 0.93, "contributors": 0.86, "places": 0.89},
             "dev47": {"changed": 0.85, "contributors": 0.92, "places": 0.82},
             "dev48": {"changed": 0.89, "contributors": 0.90, "places": 0.93}}
DEV_SIZE = {"dev": 80, "dev2": 80, "dev3": 56, "dev4": 80, "dev5": 48, "dev6": 48, "dev7": 56, "dev8": 48, "dev9": 48,
            "dev10": 48, "dev11": 48, "dev12": 48, "dev13": 48, "dev14": 48, "dev15": 48, "dev16": 48, "dev17": 40,
            "dev18": 48, "dev19": 48, "dev21": 44, "dev22": 44, "dev23": 40, "dev25": 36, "dev26": 36, "dev27": 36,
            "dev28": 36, "dev29": 36, "dev30": 36, "dev33": 36, "dev34": 36, "dev35": 36, "dev36": 36, "dev39": 36,
            "dev40": 36, "dev41": 36, "dev42": 36, "dev45": 36, "dev46": 36, "dev47": 36, "dev48": 36}  # fragments


@pytest.fixture(scope="module", params=sorted(DEV_FLOOR))
def dev_report(request):
    gold, examples, registry = LABELLED_SETS()[request.param]
    return request.param, evaluate(load_gold(gold), [examples], ActorResolver.from_registry(registry))


@pytest.mark.parametrize("role", ROLES)
def test_dev_set_f1_floor(dev_report, role):
    name, report = dev_report
    assert report.fragments >= DEV_SIZE[name]
    s = report.scores[role]
    shown = [f"{e.fragment} {e.kind}: {e.label}" for e in report.errors if e.role == role]
    assert s.f1 >= DEV_FLOOR[name][role], (name, role, s, shown)


def test_eval_pools_the_sets_and_lists_no_miss_of_a_held_out_set():
    """Several sets: a pooled row per role (micro-averaged: the sums of TP, FP and FN); a held-out set's misses are
    counted, not listed, unless --show-held-out (reading them would tune on them); --set held-out names them all."""
    from harvestgraph.actors.labelled import HELD_OUT

    assert {"test", "dev20", "dev24"} <= set(HELD_OUT) and not {"gold", "dev", "dev33"} & set(HELD_OUT)
    env = {**os.environ, "COLUMNS": "200"}
    p = subprocess.run([*HG, "eval", "--set", "gold", "--set", "dev24", "--max", "5"], capture_output=True, text=True,
                       timeout=300, env=env)
    assert p.returncode == 0, p.stderr
    rows = {}
    for line in p.stdout.splitlines():
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        if len(cells) == 8 and cells[1] in ROLES:
            rows[(cells[0].split(" (")[0], cells[1])] = [int(x) for x in cells[5:]]
    for role in ROLES:
        assert rows[("2 sets", role)] == [a + b for a, b in zip(rows[("gold", role)], rows[("dev24", role)])]
    assert "dev24: " in p.stdout and "not listed (a held-out set" in p.stdout
    assert "misses and false positives: dev24" not in p.stdout
    p = subprocess.run([*HG, "eval", "--set", "dev24", "--show-held-out", "--max", "5"], capture_output=True,
                       text=True, timeout=300, env=env)
    assert p.returncode == 0 and "misses and false positives: dev24" in p.stdout, p.stdout[-2000:]
    p = subprocess.run([*HG, "eval", "--set", "nosuch"], capture_output=True, text=True, timeout=120, env=env)
    assert p.returncode != 0 and "held-out" in p.stdout + p.stderr
