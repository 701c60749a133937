"""Leave-one-set-out for the span model: for each held-out labelled set, a span model trained on the other
sets; on the held-out set, the model's raw span precision and recall against the gold actors aligned to spans,
and the evaluator's F1 per role (changed, contributors, places) of the pipeline without the model (rules only)
and with its spans as candidates and extents (:mod:`..finders.learnt`).

    python -m harvestgraph.actors.learnt.span_loso --held dev5 dev6 dev7 dev8
    python -m harvestgraph.actors.learnt.span_loso --align      # the alignment failures only

Never the test set, never dev9. CPU seconds (user+sys of this process) per fold are printed beside each row.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
from pathlib import Path

from ..evaluate import LABELLED_SETS, ROLES, evaluate, load_gold
from ..finders import learnt as finder
from ..registry import Registry
from ..resolver import PIPELINE, ActorResolver
from . import gold_spans, span_model
from .build import SETS  # never "test"


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def span_scores(nlp, frags) -> tuple[float, float, int, int, int]:
    """Exact-match P, R of the model's spans against the aligned gold spans (the fields' texts), TP, FP, FN.
    A predicted span counts after the finder's cleaning (no leading "the", no trailing punctuation)."""
    from ..finders.spans import clean_span

    tp = fp = fn = 0
    for f in frags:
        for fld, text in f.fields.items():
            want = {(s, e) for s, e, _ in f.spans.get(fld, [])}
            got = {clean_span(text, s, e) for s, e in span_model.spans(nlp, [text])[0]}
            tp += len(got & want)
            fp += len(got - want)
            fn += len(want - got)
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0), tp, fp, fn


def eval_set(name: str, with_model: bool) -> dict[str, tuple[float, float, float]]:
    gold_path, examples, reg = LABELLED_SETS()[name]
    finders = tuple(f for f in PIPELINE["finders"] if f != "learnt") + (("learnt",) if with_model else ())
    resolver = ActorResolver(Registry.load(reg), pipeline={**PIPELINE, "finders": finders})
    rep = evaluate(load_gold(gold_path), [examples], resolver)
    return {r: (rep.scores[r].precision, rep.scores[r].recall, rep.scores[r].f1) for r in ROLES}


def fold(held: str, data: dict[str, list], epochs: int, modes: list[str], save: Path | None = None,
         models: Path | None = None) -> dict:
    """One held-out set: train on the others (or load ``models/held``, trained so before), score both ways."""
    c0 = cpu()
    train_on = [f for n, fr in data.items() if n != held for f in fr]
    examples = span_model.examples_of(train_on)
    if models is not None:
        nlp = span_model.load(models / held)
        if nlp.meta.get("training_data_sha256") != span_model.data_hash(examples):
            raise SystemExit(f"{models / held} was not trained on the sets other than {held} of this checkout")
    else:
        nlp = span_model.train(examples, epochs=epochs)
    c1 = cpu()
    if save is not None and models is None:
        span_model.save(nlp, save / held, span_model.data_hash(examples))
    p, r, tp, fp, fn = span_scores(nlp, data[held])
    finder.use(None)
    out = {"set": held, "train_cpu_s": round(c1 - c0, 1), "span": {"P": p, "R": r, "tp": tp, "fp": fp, "fn": fn},
           "rules": eval_set(held, False)}
    finder.use(nlp)
    default_modes = dict(finder.MODES)
    for mode in modes:
        finder.MODES.update({"extend": mode in ("both", "extend"), "add": mode in ("both", "add")})
        out[mode] = eval_set(held, True)
    finder.MODES.update(default_modes)
    finder.use(None)
    out["cpu_s"] = round(cpu() - c0, 1)
    return out


def show(row: dict, out=sys.stdout) -> None:
    kinds = [k for k in ("rules", "both", "extend", "add") if k in row]
    cells = " | ".join(f"{k} " + " ".join(f"{row[k][r][2]:.3f}" for r in ROLES) for k in kinds)
    s = row["span"]
    print(f"{row['set']:6} span P {s['P']:.3f} R {s['R']:.3f} | {cells} | train {row['train_cpu_s']} CPU-s, "
          f"fold {row['cpu_s']} CPU-s", file=out, flush=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--held", nargs="*", default=["dev5", "dev6", "dev7", "dev8"], choices=SETS)
    ap.add_argument("--epochs", type=int, default=span_model.EPOCHS)
    ap.add_argument("--modes", nargs="*", default=["both"], choices=["both", "extend", "add"])
    ap.add_argument("--align", action="store_true", help="print the gold actors no field names, and stop")
    ap.add_argument("--json", type=Path, help="append each fold's row here (JSON lines)")
    ap.add_argument("--save", type=Path, help="keep each fold's model in this folder (SAVE/HELD)")
    ap.add_argument("--models", type=Path, help="read each fold's model from this folder (a --save of before) "
                    "instead of training it: the finder alone changed")
    args = ap.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    data = {n: gold_spans.labelled(n) for n in SETS}
    total = aligned = 0
    for n, frags in data.items():
        t, a, missed = gold_spans.failures(frags)
        total, aligned = total + t, aligned + a
        print(f"{n}: {a}/{t} gold actors aligned", file=sys.stderr)
        if args.align:
            for fid, name in missed:
                print(f"  {fid}: {name}")
    print(f"all: {aligned}/{total} aligned", file=sys.stderr)
    if args.align:
        return
    for held in args.held:
        row = fold(held, data, args.epochs, args.modes, args.save, args.models)
        show(row)
        if args.json:
            with args.json.open("a") as fh:
                fh.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
