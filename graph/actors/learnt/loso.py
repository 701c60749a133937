"""Leave-one-set-out: for each labelled set (never the test set), the model trained on the other sets
decides that set's changed actors; its precision, recall and F1 beside the rules' on the same set, and
the candidate recall (the gold changed actors among the candidates at all: the ceiling of any decision).

    python -m harvestgraph.actors.learnt.loso                 # the table, all six sets
    python -m harvestgraph.actors.learnt.loso --unseen .      # and the honest folds (needs the git history)

Matching is eval's: an actor is its IRI (registry names through the registry, others by ``actor_iri``).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import roles
from ..evaluate import LABELLED_SETS, _expected, load_gold
from ..resolver import ActorResolver, _parse_jobs
from . import scorer, train
from .candidates import FIELD, candidates
from .features import NAMES, features
from .parse import tokens

SETS = ("gold", "dev", "dev2", "dev3", "dev4", "dev5")  # never "test": it is held out


@dataclass
class Row:
    fragment: str
    iri: str
    x: list[float]
    ruled: bool
    label: int
    span: tuple[int, int]


@dataclass
class Fragment:
    id: str
    gold: set[str]
    rows: list[Row]
    file: str = ""  # the file of the set it comes from


def collect(name: str) -> list[Fragment]:
    """The candidates of every labelled fragment of set ``name``, with their features and labels."""
    if name == "test":
        raise ValueError("the test set is held out")
    return collect_paths(*LABELLED_SETS()[name])


def collect_paths(gold_path, examples, registry, files=None) -> list[Fragment]:
    """:func:`collect` for a gold file, an examples folder (or its ``files``) and a registry. Also run by
    :mod:`.unseen` inside the code of an earlier commit (so it imports only what that code has)."""
    from ...ingest import prepare, read_batch

    gold = load_gold(gold_path)
    resolver = ActorResolver.from_registry(registry)
    seen: dict[str, list] = {}
    sources: dict[str, str] = {}
    # the candidates are read where the pipeline decides (right after the rules chose), so that what is
    # compared is exactly what ingest and eval do; the rules' module function is wrapped for the run only
    original = roles.changed

    def recording(doc, reg, *learnt):  # (the learnt changed-actor model, since pipeline 21)
        original(doc, reg, *learnt)
        if doc.fragment.id in gold:
            sources[doc.fragment.id] = doc.fragment.raw.source_file
            jobs = [(s, t) for fld, english, sents in _parse_jobs(doc.fields) if fld == FIELD and english
                    for s, t in sents]
            toks = tokens(jobs) if jobs else []
            cands = candidates(doc, reg, toks)
            seen[doc.fragment.id] = [(c.iri, features(doc, c, resolver.gazetteer, cands, toks), c.ruled,
                                      (c.first.start, c.first.end)) for c in cands]

    roles.changed = recording
    try:
        raws, _ = read_batch(files or [examples])
        prepare(raws, resolver)
    finally:
        roles.changed = original
    out = []
    for fid, entry in gold.items():
        if files and fid not in seen:
            continue  # (a file the earlier code cannot read)
        want = set(_expected(entry, resolver, resolver.gazetteer)["changed"])
        rows = [Row(fid, iri, x, ruled, int(iri in want), span) for iri, x, ruled, span in seen.get(fid, [])]
        out.append(Fragment(fid, want, rows, str(sources.get(fid, ""))))
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
        return scorer.choose([(r.iri, r.x, r.span) for r in f.rows], weights, threshold)
    return chosen


def rules_choice(f: Fragment) -> set[str]:
    return {r.iri for r in f.rows if r.ruled}


def ceiling(f: Fragment) -> set[str]:
    return {r.iri for r in f.rows}


def found_ceiling(f: Fragment) -> set[str]:
    """The candidates the finders' mentions give (no new span)."""
    return {r.iri for r in f.rows if not r.x[NAMES.index("new")]}


def table(data: dict[str, list[Fragment]], l2: float = train.L2, threshold: float = scorer.THRESHOLD) -> list[dict]:
    """Per held-out set: candidates, the two ceilings, and P/R/F1/TP/FP/FN of the rules, of the model with the
    rules' decision as a feature ("learnt") and of the model without it ("parse only"), each model trained
    on the other sets."""
    out = []
    for held in data:
        rest = [f for n, fr in data.items() if n != held for f in fr]
        frags = data[held]
        out.append({"set": held, "fragments": len(frags), "gold": sum(len(f.gold) for f in frags),
                    "candidates": sum(len(f.rows) for f in frags),
                    "ceiling_found": score(frags, found_ceiling)[1], "ceiling": score(frags, ceiling)[1],
                    "rules": score(frags, rules_choice),
                    "learnt": score(frags, learnt_choice(fit_on(rest, l2), threshold)),
                    "parse only": score(frags, learnt_choice(fit_on(rest, l2, ("ruled",)), threshold))})
    return out


def show(rows: list[dict], out=sys.stdout) -> None:
    kinds = ("rules", "learnt", "parse only")
    print(f"{'set':14} {'frags':>5} {'gold':>4} {'cands':>5} {'ceiling':>7} {'(finders)':>9} | "
          + " | ".join(f"{k:>10} P     R    F1" for k in kinds), file=out)
    for r in rows:
        print(f"{r['set']:14} {r['fragments']:>5} {r['gold']:>4} {r['candidates']:>5} {r['ceiling']:>7.3f} "
              f"{r['ceiling_found']:>9.3f} | " + " | ".join(
                  f"{'':>10} {r[k][0]:.3f} {r[k][1]:.3f} {r[k][2]:.3f}" for k in kinds), file=out)
    means = [sum(r[k][2] for r in rows) / len(rows) for k in kinds]
    print(f"{'mean F1':14} {'':>5} {'':>4} {'':>5} {'':>7} {'':>9} | "
          + " | ".join(f"{'':>10} {'':>5} {'':>5} {m:.3f}" for m in means), file=out)


def with_unseen_rules(frags: list[Fragment], chosen: dict[str, set[str]]) -> list[Fragment]:
    """``frags`` with the rules' decision (feature and ``ruled``) replaced by ``chosen`` (fragment → IRIs)."""
    i = NAMES.index("ruled")
    out = []
    for f in frags:
        c = chosen.get(f.id, set())
        out.append(Fragment(f.id, f.gold, [Row(r.fragment, r.iri, [*r.x[:i], float(r.iri in c), *r.x[i + 1:]],
                                               r.iri in c, r.label, r.span) for r in f.rows], f.file))
    return out


def from_rows(data: list[dict]) -> list[Fragment]:
    """Fragments from :func:`.unseen.rows`'s plain lists."""
    return [Fragment(f["id"], set(f["gold"]), [Row(f["id"], iri, x, ruled, label, tuple(span))
                                               for iri, x, ruled, label, span in f["rows"]], f["file"])
            for f in data]


def unseen_table(data: dict[str, list[Fragment]], repo, l2: float = train.L2,
                 threshold: float = scorer.THRESHOLD) -> list[dict]:
    """The honest folds: sets whose candidates and rules' decisions come from code that had not seen them
    (dev3 and dev4 through the code of their unseen commits, :mod:`.unseen`; dev5 through today's). The
    model is trained on the other sets, dev and dev2 with their unseen rules' decisions as the feature (their
    candidates are today's: their earliest code has no parse to run these features on)."""
    from . import unseen

    chosen = unseen.load()
    sets = {"gold": data["gold"], "dev": with_unseen_rules(data["dev"], chosen.get("dev", {})),
            "dev2": with_unseen_rules(data["dev2"], chosen.get("dev2", {})),
            "dev3": from_rows(unseen.rows(repo, "dev3")), "dev4": from_rows(unseen.rows(repo, "dev4")),
            "dev5": data["dev5"]}
    out = []
    for held, code in (("dev3", unseen.COMMITS["dev3"]), ("dev4", unseen.COMMITS["dev4"]), ("dev5", "today")):
        frags = sets[held]
        w = fit_on([f for n, fr in sets.items() if n != held for f in fr], l2)
        out.append({"set": f"{held}@{code}", "fragments": len(frags), "gold": sum(len(f.gold) for f in frags),
                    "candidates": sum(len(f.rows) for f in frags),
                    "ceiling_found": score(frags, found_ceiling)[1], "ceiling": score(frags, ceiling)[1],
                    "rules": score(frags, rules_choice), "learnt": score(frags, learnt_choice(w, threshold)),
                    "parse only": score(frags, learnt_choice(fit_on([f for n, fr in sets.items() if n != held
                                                                      for f in fr], l2, ("ruled",)), threshold))})
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--l2", type=float, default=train.L2)
    ap.add_argument("--threshold", type=float, default=scorer.THRESHOLD)
    ap.add_argument("--unseen", type=Path, metavar="REPO", help="also the honest folds, from the commits of "
                    "this git checkout (see harvestgraph.actors.learnt.unseen)")
    args = ap.parse_args(argv)
    data = {n: collect(n) for n in SETS}
    show(table(data, args.l2, args.threshold))
    if args.unseen is not None:
        print(f"\nhonest folds: candidates and rules from code that had not seen the set (git {args.unseen})")
        show(unseen_table(data, args.unseen, args.l2, args.threshold))


if __name__ == "__main__":
    main()
