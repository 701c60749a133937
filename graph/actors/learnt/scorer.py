"""The learnt decision: a logistic model's probability for a candidate and the choice the probabilities
make. Pure Python (no numpy at run time); the coefficients come from :func:`.train.fit`."""

from __future__ import annotations

import math

THRESHOLD = 0.5


def probability(x: list[float], weights: list[float]) -> float:
    """The logistic of the weighted sum (clamped: no overflow for any weights)."""
    z = sum(a * b for a, b in zip(x, weights))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def choose(rows: list[tuple[str, list[float], tuple[int, int]]], weights: list[float],
           threshold: float = THRESHOLD) -> set[str]:
    """The keys of the rows (key, features, span) whose probability reaches ``threshold``, most probable
    first, none overlapping one chosen before (two extents of the same words name one actor: the likelier
    one is kept).

    >>> sorted(choose([("a", [1.0], (0, 5)), ("b", [0.5], (3, 9)), ("c", [-1.0], (10, 12))], [2.0]))
    ['a']
    """
    scored = sorted(((probability(x, weights), -i) for i, (_, x, _) in enumerate(rows)), reverse=True)
    out: set[str] = set()
    spans: list[tuple[int, int]] = []
    for p, i in scored:
        key, _, (s, e) = rows[-i]
        if p < threshold:
            break
        if any(a < e and s < b for a, b in spans):
            continue
        out.add(key)
        spans.append((s, e))
    return out
