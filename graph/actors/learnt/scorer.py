"""The learnt decision: a logistic model's coefficients (``model.json``, shipped in the package, written
by :mod:`.loso` ``--write`` from the dev sets; never the test set) and the choice they make. Pure Python:
no numpy, no pickle at run time."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from .features import NAMES

MODEL_PATH = Path(__file__).with_name("model.json")
THRESHOLD = 0.5


def probability(x: list[float], weights: list[float]) -> float:
    z = sum(a * b for a, b in zip(x, weights))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def choose(rows: list[tuple[str, list[float]]], weights: list[float], threshold: float = THRESHOLD) -> set[str]:
    """The keys of the rows whose probability reaches ``threshold``."""
    return {key for key, x in rows if probability(x, weights) >= threshold}


@lru_cache(maxsize=1)
def model() -> tuple[list[float], float]:
    """The shipped coefficients (in the order of :data:`.features.NAMES`) and threshold."""
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    if data["features"] != list(NAMES):
        raise RuntimeError(f"{MODEL_PATH}: its features are not features.NAMES; rebuild it "
                           "(python -m harvestgraph.actors.learnt.loso --write)")
    return [data["weights"][n] for n in NAMES], float(data["threshold"])


def write(weights: list[float], sets: list[str], l2: float, threshold: float) -> None:
    MODEL_PATH.write_text(json.dumps({
        "about": "logistic model of changed actors (harvestgraph.actors.learnt); rebuild with "
                 "python -m harvestgraph.actors.learnt.loso --write",
        "trained_on": sets, "l2": l2, "threshold": threshold, "features": list(NAMES),
        "weights": {n: round(w, 6) for n, w in zip(NAMES, weights)}}, indent=1) + "\n", encoding="utf-8")
