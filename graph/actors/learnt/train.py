"""A deterministic L2-regularised logistic regression, fitted by Newton's method in numpy (no new
dependency, no random start: the same rows give the same coefficients to the last bit on one machine).
The bias (feature 0) is not penalised."""

from __future__ import annotations

import numpy as np

L2 = 1.0  # the penalty on the squared weights, fixed before the runs; 0.3-3 change the figures by +-0.01 (docs/extraction.md)


def fit(x: list[list[float]], y: list[int], l2: float = L2, iterations: int = 50) -> list[float]:
    """The coefficients minimising the log loss of ``y`` given ``x`` plus ``l2``/2 times the squared
    weights. ``x`` rows start with a 1 (the bias)."""
    X = np.asarray(x, dtype=float)
    t = np.asarray(y, dtype=float)
    w = np.zeros(X.shape[1])
    pen = np.full(X.shape[1], l2)
    pen[0] = 1e-6
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(X @ w)))
        grad = X.T @ (p - t) + pen * w
        hess = (X * (p * (1 - p))[:, None]).T @ X + np.diag(pen)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    return [float(v) for v in w]
