"""A memo bounded in entries, kept on the object that computes (a gazetteer, a resolver): forgotten all at once
when full, which keeps a long-running process (a resident ingest) from growing without bound."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


def remembered(owner: object, attr: str, limit: int, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, remembered under ``key`` in ``owner.<attr>`` (a dict of at most ``limit`` entries). For
    results the callers only read."""
    memo = owner.__dict__.setdefault(attr, {})
    found = memo.get(key)
    if found is None:
        if len(memo) >= limit:
            memo.clear()
        found = memo[key] = compute()
    return found
