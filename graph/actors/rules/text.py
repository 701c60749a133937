"""Spans and tokens: the offsets every rule speaks in (character offsets in the normalised field value)."""

from __future__ import annotations

import re
from dataclasses import dataclass


_TOKEN = re.compile(r"[^\W_][\w'’.\-!&]*[\w!]|[^\W_]|&")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
