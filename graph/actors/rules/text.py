"""Spans and tokens: the offsets every rule speaks in (character offsets in the normalised field value)."""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass


_TOKEN = re.compile(r"[^\W_][\w'’.\-!&]*[\w!]|[^\W_]|&")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@lru_cache(maxsize=64)  # (the name rules and the short forms' rule read the same field in turn; callers only read)
def _tokens(text: str) -> tuple[tuple[int, int, str], ...]:
    return tuple((m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text))
