"""Contribution-analysis exports: tables (CSV, XLSX, JSON), the network (GraphML, GEXF, Kumu JSON/XLSX)
and the filtered subgraph as RDF (Turtle, JSON-LD).

Everything comes from one :class:`~harvestgraph.network.analyse.Analysis` (built over the reader's visible graphs),
so the CLI (``harvestgraph export ...``) and the API (``/exports/...``) share :func:`export` and cannot
drift apart.

Spreadsheet formula injection (OWASP "CSV injection"): a text cell beginning with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return would be evaluated by Excel/LibreOffice (``=HYPERLINK(...)`` phones home; a phone
number ``+254 ...`` becomes a formula). Such cells are prefixed with a single quote, in CSV and XLSX alike.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import pyoxigraph as ox

from ..errors import HarvestError
from ..network import analyse as an
from ..store import GraphStore
from ..vocab import HG, PREFIXES, fragment_graph
from .formats import KINDS

Table = tuple[list[str], list[list[object]]]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

WORKBOOKS = {"contributions": ("contributions", "actors", "significance_contribution", "who_contributed",
                               "type_objective"),
             "actors": ("actors", "communities")}
MEDIA_TYPES = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "json": ("application/json", "json"),
    "graphml": ("application/graphml+xml", "graphml"),
    "gexf": ("application/gexf+xml", "gexf"),
    "kumu-json": ("application/json", "kumu.json"),
    "kumu-xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "kumu.xlsx"),
    "turtle": ("text/turtle; charset=utf-8", "ttl"),
    "jsonld": ("application/ld+json", "jsonld"),
}


def inert(value: object) -> object:
    """A cell value that no spreadsheet will evaluate (numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


# --------------------------------------------------------------------------- tables


def _dict_table(rows: list[dict[str, object]], columns: Sequence[str]) -> Table:
    return list(columns), [[r.get(c, "") for c in columns] for r in rows]


def contributions_table(a: an.Analysis) -> Table:
    return _dict_table(an.contribution_rows(a.data), ("outcome_id", "contributor", "programme_or_other", "rating",
                                                      "text", "country", "year", "objective"))


def actors_table(a: an.Analysis) -> Table:
    return _dict_table(an.actor_summary(a), ("actor", "kind", "outcomes_changed_in", "contributions",
                                             "co_contributors", "degree", "weighted_degree", "betweenness",
                                             "pagerank", "community", "component", "iri"))


def communities_table(a: an.Analysis) -> Table:
    return _dict_table(an.community_summary(a), ("community", "nodes", "actors", "outcomes", "top_actor"))


def outcomes_table(a: an.Analysis) -> Table:
    return _dict_table(an.outcome_rows(a.data), ("outcome_id", "description", "country", "year", "programme",
                                                 "harvest", "significance", "contribution_rating", "objectives",
                                                 "types_of_change", "contributors", "who_contributed"))


def matrix_table(matrix: tuple[list[str], list[str], dict[tuple[str, str], int]], corner: str) -> Table:
    """A cross-tabulation with row and column totals."""
    rows, cols, counts = matrix
    out = []
    for r in rows:
        values = [counts.get((r, c), 0) for c in cols]
        out.append([r, *values, sum(values)])
    out.append(["total", *[sum(counts.get((r, c), 0) for r in rows) for c in cols], sum(counts.values())])
    return [corner, *cols, "total"], out


def significance_table(a: an.Analysis) -> Table:
    return matrix_table(an.significance_contribution(a.data), "significance \\ contribution")


def who_contributed_table(a: an.Analysis) -> Table:
    return matrix_table(an.who_contributed(a.data), "programme \\ who contributed")


def type_objective_table(a: an.Analysis) -> Table:
    return matrix_table(an.type_objective(a.data), "type of change \\ objective")


TABLES = {"contributions": contributions_table, "actors": actors_table, "communities": communities_table,
          "outcomes": outcomes_table,
          "significance_contribution": significance_table, "who_contributed": who_contributed_table,
          "type_objective": type_objective_table}


def to_csv(table: Table) -> bytes:
    cols, rows = table
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([inert(c) for c in cols])
    for r in rows:
        w.writerow([inert(v) for v in r])
    return buf.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def to_json_rows(table: Table) -> bytes:
    cols, rows = table
    return json.dumps([dict(zip(cols, r)) for r in rows], ensure_ascii=False, indent=2).encode("utf-8")


def to_xlsx(sheets: dict[str, Table]) -> bytes:
    """One sheet per table: bold frozen header row, auto-filter, widths from the content (capped)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for name, (cols, rows) in sheets.items():
        ws = wb.create_sheet(name[:31])
        ws.append([inert(c) for c in cols])
        for r in rows:
            ws.append([inert(v) for v in r])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        for i, col in enumerate(cols, 1):
            longest = max([len(str(col))] + [len(str(r[i - 1])) for r in rows[:500]])
            ws.column_dimensions[get_column_letter(i)].width = max(8, min(60, longest + 2))
            if longest > 60:
                for row in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    row[0].alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- network formats


def _scalar_graph(g: nx.Graph) -> nx.Graph:
    """A copy whose every node/edge has every attribute key, with one scalar type per key, never None:
    GraphML and GEXF declare one type per attribute and cannot hold None or lists."""
    def clean(items):
        types: dict[str, type] = {}
        for _, attrs in items:
            for k, v in attrs.items():
                if isinstance(v, bool):
                    types.setdefault(k, bool)
                elif isinstance(v, int):
                    types.setdefault(k, int)
                elif isinstance(v, float):
                    types[k] = float if types.get(k) in (None, int, float) else str
                elif v is not None:
                    types[k] = str
        default = {bool: False, int: 0, float: 0.0, str: ""}
        return {k: (t, default[t]) for k, t in types.items()}

    out = nx.Graph()
    node_types, edge_types = clean(g.nodes(data=True)), clean((None, d) for *_, d in g.edges(data=True))
    for n, attrs in g.nodes(data=True):
        out.add_node(n, **{k: _coerce(attrs.get(k), t, d) for k, (t, d) in node_types.items()})
    for u, v, attrs in g.edges(data=True):
        out.add_edge(u, v, **{k: _coerce(attrs.get(k), t, d) for k, (t, d) in edge_types.items()})
    return out


def _coerce(value, typ, default):
    if value is None:
        return default
    return typ(value) if typ is not str else str(value)


def to_graphml(a: an.Analysis) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(_scalar_graph(a.graph), buf, encoding="utf-8")
    return buf.getvalue()


def to_gexf(a: an.Analysis) -> bytes:
    buf = io.BytesIO()
    nx.write_gexf(_scalar_graph(a.graph), buf, encoding="utf-8")
    return buf.getvalue()


def kumu_tables(a: an.Analysis) -> tuple[Table, Table]:
    """Kumu's spreadsheet layout: Elements (Label, Type, Description, ...) and Connections (From, To, Type).
    Kumu joins connections to elements by label, so labels are made unique."""
    labels: dict[str, str] = {}
    used: set[str] = set()
    for n, attrs in sorted(a.graph.nodes(data=True), key=lambda x: (x[1]["kind"] != "outcome", x[0])):
        label = attrs["label"]
        if label in used:
            label = f"{label} ({attrs['kind']})"
        i = 2
        while label in used:
            label, i = f"{attrs['label']} ({attrs['kind']} {i})", i + 1
        used.add(label)
        labels[n] = label
    el_cols = ["Label", "Type", "Description", "Country", "Year", "PageRank", "Betweenness", "Weighted degree",
               "Community", "IRI"]
    elements = []
    for n, attrs in a.graph.nodes(data=True):
        m = a.measures[n]
        elements.append([labels[n], attrs["kind"], attrs.get("description", ""), attrs.get("country", ""),
                         attrs.get("year") or "", m["pagerank"], m["betweenness"], m["weighted_degree"],
                         m["community"], n])
    con_cols = ["From", "To", "Type", "Rating", "Strength", "Description"]
    connections = []
    for u, v, attrs in a.graph.edges(data=True):
        src = attrs["origin"]
        dst = v if src == u else u
        connections.append([labels[src], labels[dst], an.RELATION_LABELS.get(attrs["relation"], attrs["relation"]),
                            attrs.get("rating", ""), attrs["weight"], attrs.get("text", "")])
    return (el_cols, elements), (con_cols, connections)


def to_kumu_json(a: an.Analysis) -> bytes:
    (ec, er), (cc, cr) = kumu_tables(a)
    doc = {"elements": [{k.lower(): v for k, v in zip(ec, r)} for r in er],
           "connections": [{k.lower(): v for k, v in zip(cc, r)} for r in cr]}
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def to_kumu_xlsx(a: an.Analysis) -> bytes:
    elements, connections = kumu_tables(a)
    return to_xlsx({"Elements": elements, "Connections": connections})


# --------------------------------------------------------------------------- RDF of the filtered subgraph

# A fragment's graph, plus the facts about its own resources (the fragment, its outcome and contributions),
# which are kept in the reader's union graph(s) only (store.placement).
_SUBGRAPH = f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ GRAPH ?g {{ ?s ?p ?o }} }}
  UNION {{ GRAPH ?g {{ ?f a <{HG.Fragment}> }} ?f ?p ?o BIND (?f AS ?s) }}
  UNION {{ GRAPH ?g {{ ?f a <{HG.Fragment}> }} ?f <{HG.describesOutcome}> ?s . ?s ?p ?o }}
  UNION {{ GRAPH ?g {{ ?f a <{HG.Fragment}> }} ?f <{HG.describesOutcome}>/<{HG.qualifiedContribution}> ?s . ?s ?p ?o }}
}}"""


def subgraph_nt(store: GraphStore, data: an.NetworkData, graphs: Sequence[str] | None) -> str:
    """Every triple of the fragment graphs of the selected outcomes (as N-Triples), over the visible graphs only."""
    frag_graphs = [str(fragment_graph(o.id)) for o in data.outcomes.values()]
    if not frag_graphs:
        return ""
    text = an.restrict(_SUBGRAPH, "g", frag_graphs)
    return ox.serialize(store.query(text, graphs=graphs), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def to_rdf(store: GraphStore, data: an.NetworkData, graphs: Sequence[str] | None, fmt: str) -> bytes:
    import rdflib

    g = rdflib.Graph()
    for prefix, iri in PREFIXES.items():
        g.bind(prefix, iri, override=True)
    g.parse(data=subgraph_nt(store, data, graphs), format="nt")
    if fmt == "turtle":
        return g.serialize(format="turtle").encode("utf-8")
    context = {p: iri for p, iri in PREFIXES.items()}
    return g.serialize(format="json-ld", context=context, indent=2).encode("utf-8")


# --------------------------------------------------------------------------- the one entry point


@dataclass
class Export:
    content: bytes
    media_type: str
    filename: str


def check(kind: str, fmt: str | None, table: str | None = None) -> str:
    """The format to use; raises HarvestError naming the bad option."""
    if kind not in KINDS:
        raise HarvestError(f"unknown export {kind!r}: use {', '.join(KINDS)}", field="kind")
    fmt = (fmt or KINDS[kind][0]).lower()
    if fmt not in KINDS[kind]:
        raise HarvestError(f"export {kind} has no format {fmt!r}: use {', '.join(KINDS[kind])}", field="format")
    if table is not None and table not in TABLES:
        raise HarvestError(f"unknown table {table!r}: use {', '.join(TABLES)}", field="table")
    return fmt


def export(store: GraphStore, kind: str, fmt: str | None = None, *, filters: an.Filters | None = None,
           graphs: Sequence[str] | None, table: str | None = None) -> Export:
    """Build the export ``kind`` in ``fmt`` over ``graphs`` (the reader's visible graphs).

    ``table`` picks one table of :data:`TABLES` instead of the kind's own (e.g. the significance ×
    contribution matrix as CSV); the XLSX of ``contributions`` holds the four analysis tables, that of
    ``actors`` the actors and their communities.
    """
    fmt = check(kind, fmt, table)
    a = an.analyse(store, filters, graphs=graphs)
    media, ext = MEDIA_TYPES[fmt]
    name = f"{kind}.{ext}" if not table else f"{table}.{ext}"
    if kind in ("contributions", "actors", "outcomes"):
        if fmt == "xlsx":
            names = (table,) if table else WORKBOOKS.get(kind, (kind,))
            body = to_xlsx({n: TABLES[n](a) for n in names})
        else:
            t = TABLES[table or kind](a)
            body = to_csv(t) if fmt == "csv" else to_json_rows(t)
    elif kind == "network":
        body = {"graphml": to_graphml, "gexf": to_gexf, "kumu-json": to_kumu_json, "kumu-xlsx": to_kumu_xlsx}[fmt](a)
    else:
        body = to_rdf(store, a.data, graphs, fmt)
    return Export(body, media, name)
