"""The learnt models the pipeline reads with, trained on the labelled sets allowed (never the test set, never
dev9, never a set kept unseen): the span model (:data:`MODEL`, :data:`SETS`) and the model of the actors that
changed (:mod:`.changed`, its own ``MODEL`` and ``SETS``), written where the package finds them, each with the
sha256 of its training examples in its meta (``training_data_sha256``): ``tests/actors/test_learnt_spans.py``
compares them with the labelled data of the checkout, so a change to the labels without ``make model`` fails.

    python -m harvestgraph.actors.learnt.build            # make model (the models whose data changed)
    python -m harvestgraph.actors.learnt.build --check    # exit 1 when the committed model is stale
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
from pathlib import Path

from . import changed

MODEL = Path(__file__).resolve().parents[1] / "data" / "actor_spans"
# never "test"; a new set (dev9 ...) joins only after it has been scored once as unseen text: add it here, then
# `make model` (its hash test fails until then)
# (session 19: every set tuned on; dev9 stays out as before; dev20, dev24, dev31 and dev32 stay unseen, the model's
# judges with the test set. Session 20: trained on these and the eight new training sets dev33-dev36 and dev39-dev42
# too (4,898 texts, 165 CPU-s), the model found no more on the eight sets nobody trained on (dev20, dev24, dev31,
# dev32, dev37, dev38, dev43, dev44: changed 334 / 10 / 25 against 335 / 9 / 24, places 730 / 17 / 95 against
# 732 / 17 / 93, within what another seed moves): the model of session 19 stays, on the same 28 sets)
SETS = ("gold", "dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev10", "dev11", "dev12", "dev13",
        "dev14", "dev15", "dev16", "dev17", "dev18", "dev19", "dev21", "dev22", "dev23", "dev25", "dev26", "dev27",
        "dev28", "dev29", "dev30", "dev33", "dev34", "dev35", "dev36", "dev39", "dev40", "dev41", "dev42", "dev45",
        "dev46", "dev47", "dev48", "dev54", "dev55", "dev58", "dev59", "dev62", "dev63", "dev64", "dev65", "dev68",
        "dev69", "dev70", "dev71", "dev72", "dev73", "dev74", "dev75", "dev76", "dev77")


def examples():
    from . import gold_spans, span_model

    return span_model.examples_of([f for n in SETS for f in gold_spans.labelled(n)])


def recorded_hash(path: Path = MODEL) -> str | None:
    meta = path / "meta.json"
    return json.loads(meta.read_text())["training_data_sha256"] if meta.exists() else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--out", type=Path, default=MODEL, help="where the span model goes")
    ap.add_argument("--force", action="store_true", help="train a model whose training data is unchanged too")
    ap.add_argument("--changed-out", type=Path, default=changed.MODEL, help="where the changed-actor model goes")
    args = ap.parse_args(argv)
    from . import span_model

    models = ((args.out, examples(), span_model.train, span_model.save),
              (args.changed_out, changed.examples(), changed.train, changed.save))
    if args.check:
        stale = [out for out, egs, _, _ in models if recorded_hash(out) != span_model.data_hash(egs)]
        for out in stale:
            print(f"stale: {out} was not trained on the labelled data of this checkout")
        print("up to date" if not stale else "run `make model`")
        return 1 if stale else 0
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    for out, egs, train, save in models:
        digest = span_model.data_hash(egs)
        if recorded_hash(out) == digest and not args.force:
            print(f"{out}: up to date (data {digest[:12]}); --force trains it again")
            continue
        r0 = resource.getrusage(resource.RUSAGE_SELF)
        nlp = train(egs, log=lambda m: print(m, file=sys.stderr))
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        save(nlp, out, digest)
        cpu = r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        print(f"{out}: {len(egs)} texts, {size / 1e6:.2f} MB, trained in {cpu:.0f} CPU-s, data {digest[:12]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
