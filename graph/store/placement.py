"""Where a fragment's quads go: the facts readers query are copied into the union graph of the fragment's
scope (public or confidential), the bookkeeping and provenance records stay in the fragment graph only;
and the SPARQL Update text of a batch for a store that cannot load quads itself (a remote endpoint)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby

import pyoxigraph as ox

from ..vocab import GRAPH, HG, ID, REGISTRY_GRAPH, is_fragment_graph, \
    is_provenance_node
from .base import _CONFIDENTIAL, _PUBLIC, PUBLIC_STATIC_GRAPHS


UNION_GRAPHS = (_PUBLIC, _CONFIDENTIAL)
_FRAGMENT_PREFIX = str(GRAPH) + "fragment/"
# The default graph of graphs=None (the data owner's view: every fragment, the registry, the schemes).
EVERYTHING = (*UNION_GRAPHS, *PUBLIC_STATIC_GRAPHS, str(REGISTRY_GRAPH))
_CONFIDENTIAL_FLAG = HG.isConfidential
_HASH = str(HG.contentHash)
_HASH_NODE, _FLAG_NODE = ox.NamedNode(_HASH), ox.NamedNode(str(_CONFIDENTIAL_FLAG))
# Predicates of fragment graphs never copied into the union graphs: bookkeeping and the provenance records.
_FRAGMENT_ONLY = {_HASH_NODE, ox.NamedNode(str(HG.rawRecord)), ox.NamedNode(str(HG.mentionRecord))}
_TRUE = ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
_UNIONS = {False: ox.NamedNode(_PUBLIC), True: ox.NamedNode(_CONFIDENTIAL)}


# Of the fragment's own resources (the fragment, its outcome, its contributions), only these stay in the
# fragment graph as well as in its union: what lists the fragment graphs and tells their class.
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_KEPT_OWN = {_RDF_TYPE, _FLAG_NODE}
_ID = str(ID)
_QUALIFIED = str(HG.qualifiedContribution)


def own_resources(graph: str) -> tuple[str, str, str]:
    """(fragment IRI, outcome IRI, prefix of its contributions' IRIs) of a fragment graph: the resources
    only that fragment describes (the encoded FragmentID is the same in each; "/" is encoded in it)."""
    enc = graph[len(_FRAGMENT_PREFIX):]
    return f"{_ID}fragment/{enc}", f"{_ID}outcome/{enc}", f"{_ID}contribution/{enc}/"


def placement(q: ox.Quad, own: tuple[str, str, str]) -> tuple[bool, bool]:
    """(kept in the fragment graph, copied into its union graph) for a quad of a fragment graph whose own
    resources are ``own`` (:func:`own_resources`).

    * The provenance records (the raw record, the mention record; mention resources of older mappings,
      see :func:`~harvestgraph.vocab.is_provenance_node`) and the content hash: the fragment graph only.
    * Facts about the fragment's own resources: the union graph only (issue 14: a second copy of them in
      the fragment graph was a quarter of the store; their subject says which fragment states them), but
      for the fragment's type and confidentiality flag, which list the fragment graphs and tell their class.
    * Facts about shared resources (the labels of the actors, places, objectives, ... it names): both. The
      union copy is what readers query; the fragment graph's copy is what keeps the union exact when a
      fragment is removed (a label stays while another fragment of the same class still states it), and
      what keeps a label that only a confidential fragment states out of the public union."""
    o = q.object
    return _place(q.subject.value, q.predicate, o.value if isinstance(o, ox.NamedNode) else None, own,
                  _FRAGMENT_ONLY, _KEPT_OWN)


def _place(subject: str, predicate, object_iri: str | None, own: tuple[str, str, str], fragment_only,
           kept_own) -> tuple[bool, bool]:
    """The rule of :func:`placement`, for a quad as terms or as printed (``predicate`` is looked up in
    ``fragment_only`` and ``kept_own``, sets of the same form; ``object_iri``: the object's IRI, if any)."""
    if predicate in fragment_only or is_provenance_node(subject):
        return True, False
    if object_iri is not None and is_provenance_node(object_iri):
        return True, False
    if subject == own[1] or subject.startswith(own[2]):
        return False, True
    if subject == own[0]:
        return predicate in kept_own, True
    return True, True


def in_union(q: ox.Quad) -> bool:
    """Whether a fragment graph's quad (as mapped) is copied into its union graph (see :func:`placement`)."""
    g = q.graph_name
    own = own_resources(g.value) if isinstance(g, ox.NamedNode) else ("", "", "\0")
    return placement(q, own)[1]


def with_unions(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """The quads as stored: each fragment graph's quads that stay in it, followed by its quads' copies in
    its union graph (public or confidential, by the fragment's flag; see :func:`placement`). A fragment's
    quads arrive together (one graph at a time); other graphs' quads pass unchanged."""
    buffer: list[ox.Quad] = []
    current = None

    def flush() -> Iterator[ox.Quad]:
        if not buffer:
            return
        confidential = any(q.predicate == _FLAG_NODE and q.object == _TRUE for q in buffer)
        union = _UNIONS[confidential]
        own = own_resources(current.value)
        places = [placement(q, own) for q in buffer]
        yield from (q for q, (keep, _) in zip(buffer, places) if keep)
        for q, (_, copy) in zip(buffer, places):
            if copy:
                yield ox.Quad(q.subject, q.predicate, q.object, union)

    for q in quads:
        g = q.graph_name
        if g != current:
            yield from flush()
            buffer, current = [], g
        if isinstance(g, ox.NamedNode) and g.value.startswith(_FRAGMENT_PREFIX):
            buffer.append(q)
        else:
            yield q
    yield from flush()


# The same placement read from a printed quad (``str(quad)``: "S P O G", IRIs as <...>, blank nodes as _:id,
# no space inside S, P or G): the writers hand the mapping's printed lines to the loader without turning
# them back into terms. tests/test_store_backends checks it against :func:`placement` quad for quad.
_FRAGMENT_ONLY_TOKENS = frozenset(str(n) for n in _FRAGMENT_ONLY)
_KEPT_OWN_TOKENS = frozenset(str(n) for n in _KEPT_OWN)
_FLAG_TOKEN, _TRUE_TOKEN = str(_FLAG_NODE), str(_TRUE)


def _token_value(token: str) -> str:
    """The value of a printed IRI or blank node (what ``term.value`` gives)."""
    return token[1:-1] if token[:1] == "<" else token[2:]


def line_placement(line: str, graph_token: str, own: tuple[str, str, str]) -> tuple[bool, bool]:
    """:func:`placement` of a printed quad of the fragment graph ``graph_token`` (printed: <IRI>)."""
    s, p, rest = line.split(" ", 2)
    o = rest[:-len(graph_token) - 1]
    return _place(_token_value(s), p, o[1:-1] if o[:1] == "<" else None, own, _FRAGMENT_ONLY_TOKENS,
                  _KEPT_OWN_TOKENS)


def _is_flag(line: str) -> bool:
    s, p, rest = line.split(" ", 2)
    return p == _FLAG_TOKEN and rest.startswith(_TRUE_TOKEN + " ")


def stored_lines(graph: str, lines: Sequence[str]) -> list[tuple[str, str]]:
    """A fragment graph's printed quads (``graph``: its IRI) as stored: (statement without its graph, graph
    as printed) of each quad kept in the fragment graph, then of each copy in its union graph (public or
    confidential by the fragment's flag), as :func:`with_unions` does with terms."""
    token = f"<{graph}>"
    if not graph.startswith(_FRAGMENT_PREFIX):
        return [(line[:-len(token) - 1], token) for line in lines]
    own = own_resources(graph)
    places = [line_placement(line, token, own) for line in lines]
    union = str(_UNIONS[any(_is_flag(line) for line in lines if _FLAG_TOKEN in line)])
    cut = -len(token) - 1
    return [*((line[:cut], token) for line, (keep, _) in zip(lines, places) if keep),
            *((line[:cut], union) for line, (_, copy) in zip(lines, places) if copy)]


def fragment_nquads(graph: str, lines: Sequence[str]) -> str:
    """N-Quads text of a graph's printed quads as stored (:func:`stored_lines`), for the bulk loader."""
    if not graph.startswith(_FRAGMENT_PREFIX):
        return "".join(line + " .\n" for line in lines)
    return "".join(f"{body} {g} .\n" for body, g in stored_lines(graph, lines))


def nquads_text(quads: Iterable[ox.Quad]) -> str:
    """N-Quads text of what :func:`with_unions` yields, for the bulk loader. A union copy is the quad's
    line with the union graph's name."""
    out: list[str] = []
    for graph, group in groupby(quads, key=lambda q: q.graph_name):
        lines = [str(q) for q in group]
        if isinstance(graph, ox.NamedNode):
            out.append(fragment_nquads(graph.value, lines))
        else:
            out.extend(line + " .\n" for line in lines)
    return "".join(out)


def union_removals(drop: Iterable[str]) -> list[str]:
    """SPARQL Update operations removing from the union graphs what the dropped fragment graphs stated:
    the facts about their own resources (kept in the unions only, found by subject), and the shared
    triples that no other fragment graph of the same class holds (run before the DROPs, in the same
    request: one transaction)."""
    frags = [g for g in drop if is_fragment_graph(g)]
    if not frags:
        return []
    values = " ".join(f"<{g}>" for g in frags)
    listed = ", ".join(f"<{g}>" for g in frags)
    owns = [own_resources(g) for g in frags]
    outcomes = " ".join(f"<{o[1]}>" for o in owns)
    subjects = " ".join(f"<{o[0]}> <{o[1]}>" for o in owns)
    ops = []
    for union in UNION_GRAPHS:
        ops.append(f"""DELETE {{ GRAPH <{union}> {{ ?s ?p ?o }} }} WHERE {{
  VALUES ?oc {{ {outcomes} }} GRAPH <{union}> {{ ?oc <{_QUALIFIED}> ?s . ?s ?p ?o }} }}""")
        ops.append(f"""DELETE {{ GRAPH <{union}> {{ ?s ?p ?o }} }} WHERE {{
  VALUES ?s {{ {subjects} }} GRAPH <{union}> {{ ?s ?p ?o }} }}""")
    for union, confidential in ((_PUBLIC, False), (_CONFIDENTIAL, True)):
        flag = ("FILTER EXISTS" if confidential else "FILTER NOT EXISTS") + \
            f" {{ GRAPH ?g2 {{ ?f2 <{_CONFIDENTIAL_FLAG}> true }} }}"
        ops.append(f"""DELETE {{ GRAPH <{union}> {{ ?s ?p ?o }} }} WHERE {{
  VALUES ?dropped {{ {values} }}
  GRAPH ?dropped {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{
    GRAPH ?g2 {{ ?s ?p ?o }}
    FILTER (STRSTARTS(STR(?g2), "{_FRAGMENT_PREFIX}") && ?g2 NOT IN ({listed}))
    {flag}
  }}
}}""")
    return ops


def update_text(drop: Iterable[str], quads: Iterable[ox.Quad], remove: Iterable[ox.Quad] = (), *,
                blank_as_pattern: bool = False, printed: Sequence[tuple[str, Sequence[str]]] = ()) -> str:
    """One SPARQL Update request: keep the union graphs right, DROP the graphs, DELETE DATA ``remove``
    (quads no union holds), then INSERT DATA the quads (and their union copies; N-Triples term syntax).
    ``printed``: more graphs to insert as (graph IRI, printed quads: see :meth:`GraphStore.write_printed`).
    ``blank_as_pattern``: a batch holding blank nodes is sent as ``INSERT { ... } WHERE { }`` instead (where
    one blank node label is one node), for engines that refuse them in INSERT DATA (Virtuoso)."""
    drop, quads = list(drop), list(quads)
    parts = [*union_removals(drop), *(f"DROP SILENT GRAPH <{g}>" for g in drop)]
    gone = "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in remove)
    if gone:
        parts.append("DELETE DATA {\n" + gone + "\n}")
    body = "\n".join([*(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in with_unions(quads)),
                      *(f"GRAPH {g} {{ {s} }}" for graph, lines in printed for s, g in stored_lines(graph, lines))])
    if body:
        blank = blank_as_pattern and any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object))
        parts.append("INSERT {\n" + body + "\n} WHERE { }" if blank else "INSERT DATA {\n" + body + "\n}")
    return " ;\n".join(parts)

