"""What a query may be, decided before anything runs: not an update, no SERVICE, not empty; and the dataset
the protocol's graph parameters ask for, narrowed (never widened) to what the reader may see."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

from .common import SparqlError



def _scrub(text: str) -> str:
    """The query text with strings, IRIs and comments blanked out, for keyword scans."""
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if text.startswith(('"""', "'''"), i):
            end = text.find(text[i:i + 3], i + 3)
            i = n if end < 0 else end + 3
            out.append(" ")
        elif ch in "\"'":
            j = i + 1
            while j < n and text[j] != ch and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            out.append(" ")
        elif ch == "<" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in "=<":
            end = text.find(">", i)
            i = n if end < 0 else end + 1
            out.append(" ")
        elif ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
        else:
            out.append(ch)
            i += 1
    return "".join(out)


_KEYWORD = r"(?<![\w?$:]){}(?![\w:])"
_SERVICE = re.compile(_KEYWORD.format("SERVICE"), re.I)
_UPDATE = re.compile(_KEYWORD.format("(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)"), re.I)


def _names(tree, found: set[str]) -> set[str]:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(tree, CompValue):
        found.add(tree.name)
        for v in tree.values():
            _names(v, found)
    elif isinstance(tree, (list, tuple)) or hasattr(tree, "asList"):
        for v in tree:
            _names(v, found)
    return found


_PARSING = threading.Lock()  # rdflib's parser is pyparsing, which is not thread-safe (rdflib issue #1282)


def _parse(text: str) -> tuple[object | None, bool]:
    """rdflib's parse tree of the query (None if its grammar refuses it), and whether it parses as an update."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    with _PARSING:
        try:
            return parseQuery(text), False
        except Exception:  # rdflib's grammar is stricter in places: the caller falls back to a token scan
            pass
        try:
            parseUpdate(text)
            return None, True
        except Exception:
            return None, False


def check_query(text: str) -> None:
    """Refuse updates (403), SERVICE (403) and empty queries (400) before anything runs. Thread-safe."""
    if not text or not text.strip():
        raise SparqlError(400, "missing_query", "no query: send it as the 'query' parameter or as an "
                          "application/sparql-query body")
    scrubbed = _scrub(text)
    tree, update = _parse(text)
    if tree is None and (update or _UPDATE.search(scrubbed)):
        raise SparqlError(403, "update_refused", "this endpoint is read-only: SPARQL Update is refused")
    if _SERVICE.search(scrubbed) or (tree is not None and "ServiceGraphPattern" in _names(tree, set())):
        raise SparqlError(403, "service_refused", "SERVICE (federated query) is refused: this endpoint never "
                          "calls other servers")


def dataset(visible: list[str] | None, default_uris: Sequence[str], named_uris: Sequence[str]) -> list[str] | None:
    """The reader's visible graphs, narrowed (never widened) by the protocol's graph parameters."""
    asked = list(dict.fromkeys([*default_uris, *named_uris]))
    if not asked:
        return visible
    if visible is None:
        return asked
    allowed = set(visible)
    return [g for g in asked if g in allowed]
