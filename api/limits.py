"""Limits a SPARQL text must pass before any parser sees it, and the per-reader share of the workers.

Why before parsing. Oxigraph's parser is recursive: 5,000 nested groups overflow its stack (a
segmentation fault; in a thread near 3,000), and rdflib's grammar (pyparsing) is slower still on deep or
long input. So the endpoint first scans the text with one regular expression (strings, IRIs and comments
skipped as whole tokens; about 2 ms for 64 KB) and refuses, with a 413 or a 400 that names the limit:

- ``max_query_bytes`` (default 64 KB): the query text in UTF-8. An 800 KB FILTER with a 200,000-value
  IN list is refused here, unread by any parser.
- ``max_depth`` (default 100): nesting of ``{ }``, ``( )`` and ``[ ]`` together. The named queries
  nest at most 6 deep.
- ``max_patterns`` (default 500): an estimate of the triple patterns, counting the separators
  ``.`` ``;`` ``,`` directly inside ``{ }`` or ``[ ]`` (not inside function calls or IN lists) and one
  per group. The biggest named query has about 40.

Fairness. :class:`ReaderSlots` lets one reader (a user, or for anonymous readers a client address) have
at most ``per_reader`` evaluations at once; beyond it the request gets 429 with ``Retry-After``.
Answers from the cache need no slot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_MAX_QUERY_BYTES = 64 * 1024
DEFAULT_MAX_DEPTH = 100
DEFAULT_MAX_PATTERNS = 500
DEFAULT_PER_READER = 2

_TOKEN = re.compile(r'''
    """(?:[^"\\]|\\.|"(?!""))*"""          # long strings
  | \'\'\'(?:[^'\\]|\\.|'(?!\'\'))*\'\'\'
  | "(?:[^"\\\n]|\\.)*"                    # strings
  | '(?:[^'\\\n]|\\.)*'
  | <[^<>"{}|^`\\\s]*>                     # IRIs
  | \#[^\n]*                               # comments
  | [0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?     # decimals: their dot is no separator
  | [{}()\[\].;,]
''', re.X | re.S)
_OPEN, _CLOSE = "{([", "})]"


class LimitExceeded(Exception):
    """A refusal before parsing: HTTP status, error code, message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class Limits:
    max_query_bytes: int = DEFAULT_MAX_QUERY_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH
    max_patterns: int = DEFAULT_MAX_PATTERNS
    per_reader: int = DEFAULT_PER_READER  # 0: no per-reader limit

    def check(self, text: str) -> None:
        """Raise :class:`LimitExceeded` if ``text`` is too long, too deep or has too many patterns."""
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > self.max_query_bytes:
            raise LimitExceeded(413, "query_too_long", f"the query has {size} bytes; this server accepts at most "
                                f"{self.max_query_bytes} (serve --max-query-bytes)")
        depth, deepest, patterns = [], 0, 0
        for m in _TOKEN.finditer(text):
            tok = m.group()
            if len(tok) != 1:
                continue
            if tok in _OPEN:
                depth.append(tok)
                if len(depth) > deepest:
                    deepest = len(depth)
                    if deepest > self.max_depth:
                        raise LimitExceeded(400, "query_too_deep", "the query nests groups, brackets or "
                                            f"parentheses more than {self.max_depth} deep (this server's limit: "
                                            "serve --max-depth)")
                if tok == "{":
                    patterns += 1
            elif tok in _CLOSE:
                if depth:
                    depth.pop()
            elif depth and depth[-1] in "{[":
                patterns += 1
        if patterns > self.max_patterns:
            raise LimitExceeded(400, "too_many_patterns", f"the query has about {patterns} triple patterns; this "
                                f"server accepts at most {self.max_patterns} (serve --max-patterns)")


class ReaderSlots:
    """Evaluations in flight per reader; used from the event loop only (no lock)."""

    def __init__(self, per_reader: int):
        self.per_reader = per_reader
        self._busy: dict[str, int] = {}

    def acquire(self, who: str) -> bool:
        n = self._busy.get(who, 0)
        if self.per_reader and n >= self.per_reader:
            return False
        self._busy[who] = n + 1
        return True

    def release(self, who: str) -> None:
        n = self._busy.get(who, 0) - 1
        if n > 0:
            self._busy[who] = n
        else:
            self._busy.pop(who, None)
