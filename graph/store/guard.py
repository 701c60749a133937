"""What a query may be before it reaches an engine whose dataset and extensions cannot be trusted to stay
inside the reader's graphs (Virtuoso: see :mod:`harvestgraph.stores.virtuoso`).

Measured on Virtuoso 7.2.5 (Debian bookworm), 2026-11-29:

* ``FROM``/``FROM NAMED`` in the query text are *added* to the protocol's ``default-graph-uri`` /
  ``named-graph-uri`` (and to ``define input:default-graph-uri``), not overridden by them: a reader's
  ``FROM <confidential graph>`` would widen the dataset. So the dataset clauses are removed from the text
  and the dataset comes from the protocol parameters only.
* Any IRI in function position is an SQL call (``bif:exec``, ``sql:...``, even ``<urn:x>(...)`` is looked
  up as procedure ``DB.DBA.urn:x``), able to read every graph. So only XSD casts are allowed as function
  IRIs, and no IRI in the ``bif:``/``sql:`` schemes or OpenLink's namespace may appear anywhere.
* ``ORDER BY`` may not name an aggregate's alias (``(SAMPLE(?l) AS ?name) ... ORDER BY ?name``, valid
  SPARQL 1.1: "Variable ?name is used in the result set outside aggregate"). Such a query is sent as a
  sub-select ordered outside (:func:`order_outside`), which means the same.
* A ``VALUES`` block after the query is refused outside SELECT ("BINDINGS is not supported at top level
  for queries other than SELECT"): it is moved to the end of the WHERE group (:func:`values_inside`).
* Virtuoso's own syntax (``define`` pragmas, ``OPTION (...)``) is not SPARQL 1.1: a query that rdflib's
  SPARQL 1.1 grammar refuses is refused (fail closed), after prefixes, BASE and escapes are resolved by
  that parser, so ``PREFIX b: <bi> ... b:f:exec`` is seen as ``bif:exec``.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from ..errors import StoreError

XSD = "http://www.w3.org/2001/XMLSchema#"
# Schemes and namespaces that name engine internals (SQL procedures, built-ins, metadata graphs).
FORBIDDEN_IRI_PREFIXES = ("bif:", "sql:", "http://www.openlinksw.com/")

_PARSING = threading.Lock()  # pyparsing (rdflib's parser) is not thread-safe (rdflib issue #1282)


class QueryRefused(StoreError):
    """A query the engine cannot be trusted to run inside the reader's graphs."""


@dataclass(frozen=True)
class Confined:
    text: str  # the query without dataset clauses
    form: str  # select | ask | construct | describe
    graph_iris: frozenset[str] = frozenset()  # the IRIs of GRAPH <iri> { ... }
    graph_variable: bool = False  # whether a GRAPH ?g { ... } occurs


def _skip_space(text: str, i: int) -> int:
    n = len(text)
    while i < n:
        if text[i].isspace():
            i += 1
        elif text[i] == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        else:
            break
    return i


def _iri_end(text: str, i: int) -> int | None:
    """The end of an IRIREF or a prefixed name starting at ``i`` (None: neither)."""
    if i < len(text) and text[i] == "<":
        end = text.find(">", i)
        return None if end < 0 else end + 1
    j = i
    while j < len(text) and not text[j].isspace() and text[j] not in "{}<#":
        j += 1
    return j if ":" in text[i:j] else None


def strip_dataset(text: str) -> str:
    """The query with every ``FROM <iri>`` / ``FROM NAMED <iri>`` clause cut out (strings, IRIs and
    comments are skipped, so a FROM inside them stays). What this misses, the parser check catches."""
    out, i, n, last = [], 0, len(text), 0
    while i < n:
        ch = text[i]
        if text.startswith(('"""', "'''"), i):
            end = text.find(text[i:i + 3], i + 3)
            i = n if end < 0 else end + 3
        elif ch in "\"'":
            j = i + 1
            while j < n and text[j] != ch and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
        elif ch == "<":
            end = text.find(">", i)
            i = i + 1 if end < 0 or any(c.isspace() for c in text[i:end]) else end + 1
        elif ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif ch.isalpha() and (i == 0 or text[i - 1] not in "?$:_-." and not text[i - 1].isalnum()):
            j = i
            while j < n and (text[j].isalnum() or text[j] in "_-"):
                j += 1
            word = text[i:j]
            if word.upper() == "FROM" and (j >= n or text[j] != ":"):
                k = _skip_space(text, j)
                if text[k:k + 5].upper() == "NAMED" and (k + 5 >= n or not text[k + 5].isalnum()):
                    k = _skip_space(text, k + 5)
                end = _iri_end(text, k)
                if end is not None:
                    out.append(text[last:i] + " ")
                    last = i = end
                    continue
            i = j
        else:
            i += 1
    out.append(text[last:])
    return "".join(out)


def _blank(text: str) -> str:
    """The text with strings, IRIs and comments replaced by spaces (same length: positions still match)."""
    out, i, n = list(text), 0, len(text)

    def blank(a: int, b: int) -> None:
        for k in range(a, min(b, n)):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        ch = text[i]
        if text.startswith(('"""', "'''"), i):
            end = text.find(text[i:i + 3], i + 3)
            end = n if end < 0 else end + 3
            blank(i, end)
            i = end
        elif ch in "\"'":
            j = i + 1
            while j < n and text[j] != ch and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            blank(i, j + 1)
            i = j + 1
        elif ch == "<":
            end = text.find(">", i)
            if end < 0 or any(c.isspace() for c in text[i:end]):
                i += 1
            else:
                blank(i, end + 1)
                i = end + 1
        elif ch == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
            blank(i, end)
            i = end
        else:
            i += 1
    return "".join(out)


_WORD = r"(?<![\w?$:]){}(?![\w:])"
_TOP = {k: re.compile(_WORD.format(w), re.I) for k, w in
        (("select", "SELECT"), ("order", r"ORDER\s+BY"), ("group", r"GROUP\s+BY"), ("values", "VALUES"),
         ("limit", "(?:LIMIT|OFFSET)"))}


def _at_depth0(blanked: str, pattern: re.Pattern) -> list[int]:
    depth, marks = 0, []
    for i, ch in enumerate(blanked):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        marks.append(depth)
    return [m.start() for m in pattern.finditer(blanked) if marks[m.start()] == 0]


def order_outside(text: str, projected: list[str]) -> str:
    """A grouped SELECT with a top-level ORDER BY as ``SELECT vars WHERE { { the query unordered } } ORDER BY
    ... LIMIT ...``: the same solutions in the same order, which Virtuoso accepts when ORDER BY names an
    aggregate's alias. Unchanged when not grouped, when ORDER BY names a variable that is not projected, or
    when a VALUES clause follows the query."""
    blanked = _blank(text)
    selects, orders = _at_depth0(blanked, _TOP["select"]), _at_depth0(blanked, _TOP["order"])
    if not selects or len(orders) != 1 or not _at_depth0(blanked, _TOP["group"]):
        return text
    start, order = selects[0], orders[0]
    if any(v > order for v in _at_depth0(blanked, _TOP["values"])):
        return text
    used = set(re.findall(r"[?$]([A-Za-z_0-9]+)", blanked[order:]))
    if not used <= set(projected):
        return text
    head = " ".join(f"?{v}" for v in projected)
    return f"{text[:start]}SELECT {head} WHERE {{ {{ {text[start:order]} }} }}\n{text[order:]}"


def values_inside(text: str) -> str:
    """A CONSTRUCT/ASK/DESCRIBE whose WHERE group is followed by a VALUES block, with that block moved to the
    end of the group: the same join. Unchanged when anything else follows the group."""
    blanked = _blank(text)
    values = _at_depth0(blanked, _TOP["values"])
    if not values:
        return text
    v = values[-1]
    close = blanked.rfind("}", 0, v)
    if close < 0 or blanked[close + 1:v].strip():
        return text
    return text[:close] + "\n" + text[v:].rstrip() + "\n}\n"


def _walk(node, seen: list) -> None:
    """Refuse engine IRIs and non-XSD functions; collect the ``Graph`` terms into ``seen``."""
    from rdflib.paths import Path
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef

    if isinstance(node, URIRef):
        low = str(node).lower()
        if low.startswith(FORBIDDEN_IRI_PREFIXES):
            raise QueryRefused(f"the IRI <{node}> names an engine internal; it is refused")
    elif isinstance(node, CompValue):
        if node.name in ("Graph", "GraphGraphPattern"):  # the latter: inside FILTER (NOT) EXISTS
            seen.append(node.get("term"))
        if node.name == "Function" and not str(node.get("iri", "")).startswith(XSD):
            raise QueryRefused(f"the function <{node.get('iri')}> is not SPARQL 1.1 (only XSD casts are allowed "
                               "as function IRIs on this store)")
        for v in node.values():
            _walk(v, seen)
    elif isinstance(node, dict):
        for v in node.values():
            _walk(v, seen)
    elif isinstance(node, (list, tuple, set, frozenset)):
        for v in node:
            _walk(v, seen)
    elif isinstance(node, Path):
        for v in vars(node).values():
            _walk(v, seen)


@lru_cache(maxsize=2048)
def confine(text: str) -> Confined:
    """The query ready for an engine that widens datasets: dataset clauses removed, parsed by a SPARQL 1.1
    grammar, no engine-specific function or IRI. Raises :class:`QueryRefused` otherwise."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    stripped = strip_dataset(text)
    with _PARSING:
        try:
            query = translateQuery(parseQuery(stripped))
        except Exception as exc:  # noqa: BLE001 - any refusal of the grammar
            msg = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            raise QueryRefused(f"SPARQL syntax error (only standard SPARQL 1.1 is accepted): {msg}") from None
    algebra = query.algebra
    if algebra.get("datasetClause"):  # the cut above missed one: never send it
        raise QueryRefused("the query's FROM / FROM NAMED clauses could not be removed; rewrite them without "
                           "comments or line breaks inside")
    terms: list = []
    _walk(algebra, terms)
    from rdflib.term import URIRef

    iris = frozenset(str(t) for t in terms if isinstance(t, URIRef))
    form = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct",
            "DescribeQuery": "describe"}.get(algebra.name)
    if form is None:
        raise QueryRefused(f"unsupported query form {algebra.name}")
    if form != "select":
        stripped = values_inside(stripped)
    if form == "select" and algebra.get("PV"):
        stripped = order_outside(stripped, [str(v) for v in algebra["PV"]])
    return Confined(stripped, form, iris, any(not isinstance(t, URIRef) for t in terms))


# -- reader scopes: GRAPH confined to the graphs a scope graph lists (see stores/virtuoso.py for why)

READABLE = "urn:harvestgraph:ReadableGraph"  # the class of the graphs a scope graph lists
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_GRAPH_WORD = re.compile(_WORD.format("GRAPH"), re.I)
_VAR_CHARS = re.compile(r"[\w\u00B7\u0300-\u036F\u203F-\u2040]*")


def _graph_clauses(text: str, blanked: str | None = None) -> list[tuple[int, int, str]]:
    """(start, position just after the closing brace, the graph term as written) of every
    ``GRAPH term { ... }`` (strings, IRIs and comments skipped; ``blanked``: :func:`_blank` of ``text``,
    if the caller has it)."""
    blanked = _blank(text) if blanked is None else blanked
    found = []
    for m in _GRAPH_WORD.finditer(blanked):
        k = _skip_space(text, m.end())
        if k >= len(text):
            break
        if text[k] in "?$":
            end = _VAR_CHARS.match(text, k + 1).end()
        elif text[k] == "<":
            end = text.find(">", k) + 1
        else:
            end = k
            while end < len(text) and not text[end].isspace() and text[end] not in "{":
                end += 1
        term, k = text[k:end], _skip_space(text, end)
        if not term or k >= len(text) or blanked[k] != "{":
            raise QueryRefused("a GRAPH clause could not be read; write it as GRAPH ?g { ... }")
        depth = 0
        for j in range(k, len(blanked)):
            depth += {"{": 1, "}": -1}.get(blanked[j], 0)
            if depth == 0:
                break
        else:
            raise QueryRefused("unbalanced braces after GRAPH")
        found.append((m.start(), j + 1, term))
    return found


def _graph_count(text: str) -> int:
    """How many GRAPH clauses the parser sees (inside FILTER EXISTS too, which the algebra keeps untranslated)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    with _PARSING:
        try:
            tree = parseQuery(text)
        except Exception as exc:  # noqa: BLE001 - any refusal of the grammar
            raise QueryRefused(f"the query could not be confined to the reader's graphs: {exc}") from None
    count = 0

    def walk(node) -> None:
        nonlocal count
        if isinstance(node, CompValue):
            count += node.name == "GraphGraphPattern"
            for v in node.values():
                walk(v)
        elif isinstance(node, (list, tuple, ParseResults)):
            for v in node:
                walk(v)

    walk(tree)
    return count


@lru_cache(maxsize=2048)
def scoped(text: str) -> str:
    """A confined query (:func:`confine`'s text) whose GRAPH clauses all name a variable, with each
    ``GRAPH ?g { P }`` followed by ``{ ?g a <urn:harvestgraph:ReadableGraph> }``: in the same group, and read
    from the *default* graph, where the reader's scope graph lists exactly the reader's graphs. So a named
    graph is matched only when the scope lists it, whatever the engine's named graphs are.

    Refused (fail closed): a GRAPH clause inside another (its check would read the outer graph, not the
    default graph), and any query where the parser sees a GRAPH clause this text scan did not.

    >>> scoped("SELECT ?g WHERE { GRAPH ?g { } }").split()[7:10]
    ['{', '?g', '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>']
    """
    clauses = sorted(_graph_clauses(text), key=lambda c: c[1])  # by closing brace
    if any(term[0] not in "?$" for _, _, term in clauses):
        raise QueryRefused("only GRAPH ?variable clauses can be confined this way")
    for a in clauses:
        if any(b is not a and b[0] < a[0] < b[1] for b in clauses):
            raise QueryRefused("GRAPH inside GRAPH cannot be confined to the reader's graphs on this store; "
                               "write the inner pattern beside the outer one")
    if len(clauses) != _graph_count(text):
        raise QueryRefused("the query's GRAPH clauses could not all be confined to the reader's graphs; write "
                           "them as GRAPH ?g { ... }")
    out, last = [], 0
    for _, end, term in clauses:
        out += [text[last:end], f" {{ {term} <{_RDF_TYPE}> <{READABLE}> }} "]
        last = end
    out.append(text[last:])
    result = "".join(out)
    if _graph_count(result) != len(clauses):
        raise QueryRefused("the query's GRAPH clauses could not all be confined to the reader's graphs")
    return result


def graph_iris(text: str) -> list[str] | None:
    """The IRIs of the query's GRAPH clauses when every clause names an IRI (``GRAPH <iri> { ... }``) or a
    variable that the outer group's leading ``VALUES`` block binds to IRIs only (what
    :func:`harvestgraph.queries.bind` writes for a named query's parameters); else None. A text scan
    (strings, IRIs and comments skipped), no parse: the parser's check costs 35-900 ms a query (rdflib,
    measured 2026-11-30), more than the list it would save at 10k fragments. Safe without it: the caller
    gives the engine only graphs the reader may read, so a clause the scan missed could only find less,
    never more. A variable counts only in a query without sub-selects (where a ``?g`` inside could be
    another variable of the same name)."""
    blanked = _blank(text)
    try:
        clauses = _graph_clauses(text, blanked)
    except QueryRefused:
        return None
    values: dict[str, list[str] | None] | None = None
    iris: list[str] = []
    for _, _, term in clauses:
        if term[0] == "<":
            iris.append(term[1:-1])
            continue
        if values is None:
            values = _leading_values(text, blanked)
        bound = values.get(term[1:]) if term[0] in "?$" else None
        if bound is None:
            return None
        iris.extend(bound)
    return iris


_VALUES_TOKEN = re.compile(r"""\s*(<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"(?:@[\w-]+|\^\^(?:<[^>\s]*>|[\w.-]*:[\w.-]*))?"""
                           r"""|'(?:[^'\\\n]|\\.)*'(?:@[\w-]+|\^\^(?:<[^>\s]*>|[\w.-]*:[\w.-]*))?|[(){}]|[^\s(){}]+)""")


def _leading_values(text: str, blanked: str) -> dict[str, list[str] | None]:
    """Variable → the IRIs it takes in a ``VALUES`` block that opens the query's outer group (None for a
    variable that takes anything else: a literal, UNDEF), for a query with one SELECT at most; {} when there
    is no such block or the text is not read to the end of it. ``blanked``: :func:`_blank` of ``text``."""
    if len(_TOP["select"].findall(blanked)) > 1:
        return {}
    open_ = blanked.find("{")
    if open_ < 0:
        return {}
    k = _skip_space(text, open_ + 1)
    head = re.compile(r"VALUES(?![\w:])", re.I).match(text, k)
    if head is None:
        return {}
    tokens, pos = [], head.end()
    while True:
        m = _VALUES_TOKEN.match(text, pos)
        if m is None or m.group(1).startswith(('"""', "'''")):
            return {}
        tokens.append(m.group(1))
        pos = m.end()
        if m.group(1) == "}":
            break
    if tokens[0] == "(":
        close = tokens.index(")") if ")" in tokens else -1
        names, rest = tokens[1:close], tokens[close + 1:]
    else:
        names, rest = tokens[:1], tokens[1:]
    if not names or not all(n[0] in "?$" for n in names) or not rest or rest[0] != "{":
        return {}
    rows: list[list[str]] = []
    body = rest[1:-1]
    if len(names) == 1 and tokens[0] != "(":
        rows = [[t] for t in body]
    else:
        row: list[str] | None = None
        for t in body:
            if t == "(":
                row = []
            elif t == ")":
                if row is None or len(row) != len(names):
                    return {}
                rows.append(row)
                row = None
            elif row is None:
                return {}
            else:
                row.append(t)
    out: dict[str, list[str] | None] = {}
    for i, n in enumerate(names):
        col = [r[i] for r in rows]
        out[n[1:]] = [t[1:-1] for t in col] if all(t.startswith("<") for t in col) else None
    return out
