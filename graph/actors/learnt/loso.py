"""Leave-one-set-out: for each labelled set (never the test set), the model trained on the other sets
decides that set's changed actors; its precision, recall and F1 beside the rules' on the same set, and
the candidate recall (the gold changed actors among the candidates at all: the ceiling of any decision).

    python -m harvestgraph.actors.learnt.loso            # the table
    python -m harvestgraph.actors.learnt.loso --write    # and model.json, trained on every set

Matching is eval's: an actor is its IRI (registry names through the registry, others by ``actor_iri``).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass

from .. import roles
from ..evaluate import LABELLED_SETS, _expected, load_gold
from ..resolver import ActorResolver
from . import scorer, train
from .candidates import candidates
from .features import NAMES, features

SETS = ("gold", "dev", "dev2", "dev3", "dev4", "dev5")  # never "test": it is held out


@dataclass
class Row:
    fragment: str
    iri: str
    x: list[float]
    ruled: bool
    label: int


@dataclass
class Fragment:
    id: str
    gold: set[str]
    rows: list[Row]


def collect(name: str) -> list[Fragment]:
    """The candidates of every labelled fragment of set ``name``, with their features and labels."""
    if name == "test":
        raise ValueError("the test set is held out")
    from ...ingest import prepare, read_batch

    gold_path, examples, registry = LABELLED_SETS()[name]
    gold = load_gold(gold_path)
    resolver = ActorResolver.from_registry(registry)
    seen: dict[str, list] = {}
    original = roles.changed

    def recording(doc, reg):
        original(doc, reg)
        if doc.fragment.id in gold:
            seen[doc.fragment.id] = [(c.iri, features(doc, c, resolver.gazetteer), c.ruled)
                                     for c in candidates(doc, reg)]

    roles.changed = recording
    try:
        raws, _ = read_batch([examples])
        prepare(raws, resolver)
    finally:
        roles.changed = original
    out = []
    for fid, entry in gold.items():
        want = set(_expected(entry, resolver, resolver.gazetteer)["changed"])
        rows = [Row(fid, iri, x, ruled, int(iri in want)) for iri, x, ruled in seen.get(fid, [])]
        out.append(Fragment(fid, want, rows))
    return out


def score(frags: list[Fragment], chosen) -> tuple[float, float, float, int, int, int]:
    """P, R, F1, TP, FP, FN of the actors ``chosen(fragment)`` returns, against the gold changed actors."""
    tp = fp = fn = 0
    for f in frags:
        got = chosen(f)
        tp += len(got & f.gold)
        fp += len(got - f.gold)
        fn += len(f.gold - got)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), tp, fp, fn


def fit_on(frags: list[Fragment], l2: float = train.L2, drop: tuple[str, ...] = ()) -> list[float]:
    """Coefficients fitted on the candidates of ``frags``; the features named in ``drop`` weigh 0."""
    keep = [i for i, n in enumerate(NAMES) if n not in drop]
    rows = [r for f in frags for r in f.rows]
    w = train.fit([[r.x[i] for i in keep] for r in rows], [r.label for r in rows], l2)
    out = [0.0] * len(NAMES)
    for i, v in zip(keep, w):
        out[i] = v
    return out


def learnt_choice(weights: list[float], threshold: float = scorer.THRESHOLD):
    def chosen(f: Fragment) -> set[str]:
        return scorer.choose([(r.iri, r.x) for r in f.rows], weights, threshold)
    return chosen


def rules_choice(f: Fragment) -> set[str]:
    return {r.iri for r in f.rows if r.ruled}


def ceiling(f: Fragment) -> set[str]:
    return {r.iri for r in f.rows}


def table(data: dict[str, list[Fragment]], l2: float = train.L2, threshold: float = scorer.THRESHOLD,
          drop: tuple[str, ...] = ()) -> list[dict]:
    out = []
    for held in data:
        weights = fit_on([f for n, fr in data.items() if n != held for f in fr], l2, drop)
        frags = data[held]
        cands = sum(len(f.rows) for f in frags)
        out.append({"set": held, "fragments": len(frags), "gold": sum(len(f.gold) for f in frags),
                    "candidates": cands, "ceiling": score(frags, ceiling)[1],
                    "rules": score(frags, rules_choice), "learnt": score(frags, learnt_choice(weights, threshold))})
    return out


def show(rows: list[dict], out=sys.stdout) -> None:
    print(f"{'set':6} {'frags':>5} {'gold':>4} {'cands':>5} {'ceiling R':>9} | {'rules P':>7} {'R':>5} {'F1':>5} "
          f"| {'learnt P':>8} {'R':>5} {'F1':>5} | {'ΔF1':>6}", file=out)
    for r in rows:
        rp, rr, rf = r["rules"][:3]
        lp, lr, lf = r["learnt"][:3]
        print(f"{r['set']:6} {r['fragments']:>5} {r['gold']:>4} {r['candidates']:>5} {r['ceiling']:>9.3f} | "
              f"{rp:>7.3f} {rr:>5.3f} {rf:>5.3f} | {lp:>8.3f} {lr:>5.3f} {lf:>5.3f} | {lf - rf:>+6.3f}", file=out)
    mr = sum(r["rules"][2] for r in rows) / len(rows)
    ml = sum(r["learnt"][2] for r in rows) / len(rows)
    print(f"{'mean':6} {'':>5} {'':>4} {'':>5} {'':>9} | {'':>7} {'':>5} {mr:>5.3f} | {'':>8} {'':>5} {ml:>5.3f} | "
          f"{ml - mr:>+6.3f}", file=out)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", action="append", dest="sets", choices=SETS, help="sets to use (default: all six)")
    ap.add_argument("--l2", type=float, default=train.L2)
    ap.add_argument("--threshold", type=float, default=scorer.THRESHOLD)
    ap.add_argument("--drop", action="append", default=[], choices=NAMES[1:], help="leave a feature out")
    ap.add_argument("--write", action="store_true", help="write model.json trained on every set given")
    args = ap.parse_args(argv)
    data = {n: collect(n) for n in (args.sets or SETS)}
    show(table(data, args.l2, args.threshold, tuple(args.drop)))
    if args.write:
        weights = fit_on([f for fr in data.values() for f in fr], args.l2, tuple(args.drop))
        scorer.write(weights, sorted(data), args.l2, args.threshold)
        print(f"wrote {scorer.MODEL_PATH}")


if __name__ == "__main__":
    main()
