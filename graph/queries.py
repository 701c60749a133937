"""The named SPARQL query library (``queries/*.rq``) and safe parameter binding.

Each ``.rq`` file starts with a comment header::

    # title: Outcomes by country and year
    # description: What a researcher learns from it (may continue on further "#   " lines).
    # param: country | country | - | ISO 3166-1 code or name of the outcome's country, e.g. KE
    # param: year_from | year | 2000 | first year (inclusive)

``param: NAME | TYPE | DEFAULT | DOC``; DEFAULT ``-`` means optional with no value (the variable is
left unbound, so the query's ``FILTER(!BOUND(?x) || ...)`` lets everything through).

``required: NAME[, NAME]`` (optional line): parameters the web API and pages insist on. Without them the
query is a dump of the whole portfolio (every fragment's record, every outcome's contributors: 20-30 s at
10,000 fragments, past a shared server's time limit), which the server refuses at once with a 400 naming
the parameter (:func:`missing`); the command line (``harvestgraph query``) still runs the whole dump.

Parameters are never pasted into the query text: each value is converted to a typed RDF term
(IRI, literal with datatype) and bound with a ``VALUES`` block inserted at the top of the outer
``WHERE`` group, or in place of each comment line ``# @parameters`` when the query has some (inside the
sub-select that counts: a parameter then narrows the counting, not only the rows after it; and in the outer
group too when the rows after the count need to know whether a parameter was given). A value such as
``" } ; DROP ALL ; #`` becomes an inert string literal. A parameter of
type ``fragment`` also binds ``?NAME_graph`` to that fragment's named graph when the query uses that
variable (``GRAPH ?fragment_graph { ... }`` in fragment_record): the store then gives the engine that one
graph instead of every graph the reader may see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .errors import HarvestError
from .resources import queries_dir
from .vocab import (SPARQL_PREFIXES, actor_iri, concept_iri, fragment_iri, graph_of_fragment, outcome_iri, place_iri,
                    programme_iri)

PARAM_TYPES = ("string", "integer", "decimal", "year", "boolean", "iri", "country", "actor", "programme",
               "outcome", "fragment", "concept")


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # one of PARAM_TYPES, "concept:<scheme>" for concepts
    default: str | None
    doc: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path
    columns: tuple[str, ...] = field(default=())
    required: tuple[str, ...] = field(default=())  # parameters the server insists on (header "required:")
    # who reads its answer (header "audience:"): "researchers" (a question about the portfolio), or "tools"
    # (a building block of the network view, exports and reports: its answer is IRIs for a program to join)
    audience: str = "researchers"

    @property
    def sparql(self) -> str:
        return self.text if "PREFIX hg:" in self.text else SPARQL_PREFIXES + self.text


_HEADER = re.compile(r"^#\s*(title|description|param|required|audience)\s*:\s*(.*)$")
AUDIENCES = ("researchers", "tools")
_WHERE = re.compile(r"\bWHERE\s*\{", re.I)
# Where a query wants its parameters bound, if not at the top of its outer WHERE group: a line of its own
# holding only this comment, in the group (a sub-select's) whose patterns and filters use them.
_HERE = re.compile(r"(?m)^[ \t]*#[ \t]*@parameters[ \t]*$")


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    title, desc, params, required, audience = path.stem.replace("_", " "), [], [], [], "researchers"
    last = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if m:
            key, value = m.group(1), m.group(2).strip()
            last = key
            if key == "title":
                title = value
            elif key == "description":
                desc.append(value)
            elif key == "required":
                required += [n.strip() for n in value.split(",") if n.strip()]
            elif key == "audience":
                if value not in AUDIENCES:
                    raise HarvestError(f"audience is one of {', '.join(AUDIENCES)}", file=str(path), field="audience")
                audience = value
            else:
                parts = [p.strip() for p in value.split("|")]
                if len(parts) != 4:
                    raise HarvestError("param line needs NAME | TYPE | DEFAULT | DOC", file=str(path), field="param")
                name, typ, default, doc = parts
                if typ.split(":")[0] not in PARAM_TYPES:
                    raise HarvestError(f"unknown parameter type {typ!r}", file=str(path), field=name)
                params.append(Param(name, typ, None if default == "-" else default, doc))
        elif last == "description" and line[1:].strip():
            desc.append(line[1:].strip())
    if not _WHERE.search(_strip_comments(text)):
        raise HarvestError("a named query needs an explicit WHERE { ... }", file=str(path))
    unknown = [n for n in required if n not in {p.name for p in params}]
    if unknown:
        raise HarvestError(f"'required' names {', '.join(unknown)}, which is not a param of this query",
                           file=str(path), field="required")
    return NamedQuery(path.stem, title, " ".join(desc), tuple(params), text, path, required=tuple(required),
                      audience=audience)


def missing(query: NamedQuery, values: dict[str, str]) -> list[Param]:
    """The parameters the server insists on (the header's ``required:``) that ``values`` leaves empty."""
    return [p for p in query.params if p.name in query.required and not (values.get(p.name) or p.default or "").strip()]


@lru_cache(maxsize=4)
def _library(folder: str) -> dict[str, NamedQuery]:
    return {p.stem: parse_query_file(p) for p in sorted(Path(folder).glob("*.rq"))}


@lru_cache(maxsize=1)
def _default_folder() -> str:
    return str(queries_dir())  # importlib.resources and a stat(): ~50 µs, on every API request otherwise


def library(folder: Path | None = None) -> dict[str, NamedQuery]:
    return _library(str(folder) if folder else _default_folder())


def get(name_or_path: str) -> NamedQuery:
    p = Path(name_or_path)
    if p.suffix == ".rq" and p.exists():
        return parse_query_file(p)
    lib = library()
    if name_or_path not in lib:
        raise HarvestError(f"no named query {name_or_path!r}; `harvestgraph query --list` shows them")
    return lib[name_or_path]


def _strip_comments(text: str) -> str:
    # Good enough for our own .rq files: '#' outside IRIs and strings starts a comment.
    out = []
    for line in text.splitlines():
        in_str, in_iri, cut = None, False, len(line)
        for i, ch in enumerate(line):
            if in_str:
                if ch == in_str and line[i - 1] != "\\":
                    in_str = None
            elif in_iri:
                in_iri = ch != ">"
            elif ch in "\"'":
                in_str = ch
            elif ch == "<" and i + 1 < len(line) and not line[i + 1].isspace() and line[i + 1] != "=":
                in_iri = True
            elif ch == "#":
                cut = i
                break
        out.append(line[:cut] + " " * (len(line) - cut))  # same offsets as the original text
    return "\n".join(out)


def to_term(param: Param, value: str) -> ox.NamedNode | ox.Literal:
    """A parameter value as a typed RDF term; raises HarvestError naming the parameter."""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    typ, _, scheme = param.type.partition(":")
    v = value.strip()
    try:
        if typ == "string":
            return ox.Literal(value)
        if typ == "integer":
            return ox.Literal(str(int(v)), datatype=ox.NamedNode(xsd + "integer"))
        if typ == "decimal":
            return ox.Literal(str(float(v)), datatype=ox.NamedNode(xsd + "decimal"))
        if typ == "year":
            y = int(v)
            if not 1000 <= y <= 9999:
                raise ValueError("a four-digit year")
            return ox.Literal(f"{y:04d}", datatype=ox.NamedNode(xsd + "gYear"))
        if typ == "boolean":
            b = v.lower()
            if b not in ("true", "false", "yes", "no", "1", "0"):
                raise ValueError("true or false")
            return ox.Literal("true" if b in ("true", "yes", "1") else "false", datatype=ox.NamedNode(xsd + "boolean"))
        if v.startswith(("http://", "https://", "urn:")):
            return ox.NamedNode(v)
        if typ == "iri":
            raise ValueError("an absolute IRI")
        if typ == "country":
            from .normalise import parse_country

            return ox.NamedNode(str(place_iri(parse_country(v).code)))
        if typ == "actor":
            return ox.NamedNode(str(actor_iri(v)))
        if typ == "programme":
            return ox.NamedNode(str(programme_iri(v)))
        if typ == "outcome":
            return ox.NamedNode(str(outcome_iri(v)))
        if typ == "fragment":
            return ox.NamedNode(str(fragment_iri(v)))
        if typ == "concept":
            from . import concepts

            return ox.NamedNode(concepts.resolve(scheme, v).iri if scheme else str(concept_iri(scheme, v)))
    except (ValueError, LookupError, SyntaxError) as exc:
        raise HarvestError(f"bad value {value!r} for parameter {param.name!r} ({param.type}): {exc}",
                           field=param.name) from None
    raise HarvestError(f"unknown parameter type {param.type!r}", field=param.name)


def bind(query: NamedQuery, values: dict[str, str]) -> str:
    """The query text with its given parameters bound by a VALUES block; an absent optional parameter is
    left out of it, so its variable is simply unbound (the same meaning as ``UNDEF``, which Virtuoso 7.2.5
    mishandles: a ``VALUES (?type) { (UNDEF) }`` joined to a pattern binding ``?type`` leaves ``?type``
    unbound in every row, measured 2026-11-30)."""
    known = {p.name: p for p in query.params}
    unknown = set(values) - set(known)
    if unknown:
        raise HarvestError(f"unknown parameter(s) {', '.join(sorted(unknown))} for query {query.name!r}; "
                           f"it takes: {', '.join(known) or 'none'}", field=sorted(unknown)[0])
    text = query.sparql
    stripped = None  # the text without comments, made when a parameter needs it
    names, terms = [], []
    for p in query.params:
        raw = values.get(p.name, p.default)
        if raw is None or raw == "":
            continue
        term = to_term(p, raw)
        names.append(f"?{p.name}")
        terms.append(str(term))
        if stripped is None:
            stripped = _strip_comments(text)
        if p.type == "fragment" and re.search(rf"[?$]{p.name}_graph(?!\w)", stripped):
            # The fragment's own graph, for GRAPH ?NAME_graph: a query that names the one graph it reads is
            # given only that graph by the store (milliseconds), not the reader's whole list (~20 µs a
            # graph: 3.5 s at 100k fragments; graph/store/base.py _named_scope)
            try:
                graph = graph_of_fragment(term.value)
            except ValueError:  # not a fragment IRI: the query finds nothing, the slow way
                continue
            names.append(f"?{p.name}_graph")
            terms.append(str(ox.NamedNode(graph)))
    if not names:
        return query.sparql
    block = f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"
    if _HERE.search(text):  # the group(s) the query's author chose (comment lines "# @parameters"; each gets it)
        return _HERE.sub(lambda _: block, text)
    m = _WHERE.search(stripped)
    assert m is not None  # checked at parse time
    return text[: m.end()] + "\n  " + block + "\n" + text[m.end():]
