"""The interactive contribution-network view: ONE self-contained HTML file (pyvis / vis-network).

Nothing is loaded from the network when the file opens (human-rights data: no CDN, no tracker): the
vis-network script and stylesheet that pyvis ships in its package are inlined, and pyvis's own page
template (which pulls Bootstrap from a CDN) is replaced by the small template below. A Content Security
Policy with a per-page nonce is set in the page itself (and, when served, in the HTTP header too).

Text from fragments never becomes markup: node and edge tooltips travel as plain strings inside a JSON
data block (``<``, ``>`` and ``&`` escaped as ``\\u003c`` ...) and the page turns them into DOM text nodes
(``textContent``) before vis-network sees them, so a ``<script>`` in an outcome description is shown, not
run. Labels are drawn on the canvas, which cannot run anything.

Above PHYSICS_MAX_NODES the layout is precomputed here (communities on a grid, each a sunflower spiral:
O(n), no NumPy) and physics is off, so 5,000 nodes open in seconds; below it, vis-network's Barnes-Hut
simulation runs for a bounded number of stabilisation iterations and is then switched off.
"""

from __future__ import annotations

import html
import importlib.util
import json
import math
import secrets
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from ..vocab import ID
from .analyse import EXACT_BETWEENNESS_MAX, RELATION_LABELS, Analysis, actor_summary, betweenness_pivots

PHYSICS_MAX_NODES = 800
STABILISATION_ITERATIONS = 150
TIP_MAX = 700  # characters of a long text shown in a tooltip

KIND_STYLE = {  # kind → (colour, shape, legend label)
    "programme": ("#c0392b", "star", "Programme"),
    "ngo": ("#2e86c1", "dot", "NGO / CSO"),
    "network": ("#17a589", "dot", "Network or alliance"),
    "government": ("#7d3c98", "dot", "Government body"),
    "media": ("#a04000", "dot", "Media"),
    "donor": ("#d63384", "dot", "Donor or INGO"),
    "community": ("#7d8a2e", "dot", "Community group"),
    "individual": ("#707b7c", "dot", "Individuals (by role)"),
    "actor": ("#85c1e9", "dot", "Other actor"),
    "outcome": ("#f39c12", "square", "Outcome"),
    "objective": ("#1b2631", "diamond", "Objective"),
}
# A confidential outcome (only the confidential role's view holds one): its square framed in dark red, its
# tooltip and "Selected" text headed by a warning, a line in the legend.
CONFIDENTIAL_BORDER = "#7b241c"
CONFIDENTIAL_NOTE = "CONFIDENTIAL: people at risk; do not quote or share it beyond readers with the confidential role."
EDGE_STYLE = {  # relation → vis-network edge options
    "changed": {"dashes": [6, 5], "color": {"color": "#7f8c8d"}, "width": 1.5},
    "contributed": {"dashes": False, "color": {"color": "#2c3e50"}},
    "objective": {"dashes": [2, 4], "color": {"color": "#bdc3c7"}, "width": 1},
    "builds_on": {"dashes": False, "color": {"color": "#e67e22"}, "width": 2, "arrows": "to"},
}


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """(vis-network JS, CSS) as shipped inside the pyvis package: inlined, never fetched. The package is
    located, not imported (importing it loads IPython, Jinja2 and YAML: 0.8 s)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("pyvis (it ships the vis-network script the view inlines) is not installed")
    lib = Path(spec.origin).parent / "templates" / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


def node_href(iri: str, link_base: str = "") -> str:
    """The API page of a node (/id/... for every IRI we mint); empty for IRIs of others."""
    if not iri.startswith(str(ID)):
        return ""
    return f"{link_base.rstrip('/')}/id/{iri[len(str(ID)):]}"


def _clip(text: str, limit: int = TIP_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def node_tooltip(a: Analysis, node: str, counts: dict[str, dict[str, int]]) -> str:
    """Plain text (never HTML): what a reader wants to know when hovering a node."""
    attrs, m = a.graph.nodes[node], a.measures[node]
    if attrs["kind"] == "outcome":
        o = a.data.outcomes[node]
        where = ", ".join(str(x) for x in (a.data.country_code(o.country), o.year) if x)
        lines = [f"Outcome {o.id}" + (f" ({where})" if where else ""), _clip(o.description)]
        if o.confidential:
            lines.insert(0, CONFIDENTIAL_NOTE)
        if o.significance:
            lines.append(f"Significance: {a.data.label(o.significance)}")
        if o.contribution_rating:
            lines.append(f"Contribution rating: {a.data.label(o.contribution_rating)}")
        if o.programme_text:
            lines.append("Programme contribution: " + _clip(o.programme_text, 300))
        if o.other_text:
            lines.append("Other contributions: " + _clip(o.other_text, 300))
        return "\n".join(lines)
    if attrs["kind"] == "objective":
        return f"Objective {attrs['label']}\n{m['degree']} outcome(s)"
    c = counts.get(node, {})
    return (f"{attrs['label']} ({KIND_STYLE.get(attrs['kind'], KIND_STYLE['actor'])[2]})\n"
            f"contributed to {c.get('contributions', 0)} outcome(s), changed in {c.get('outcomes_changed_in', 0)}\n"
            f"co-contributors: {c.get('co_contributors', 0)}; PageRank {m['pagerank']:.4f}; "
            f"betweenness {m['betweenness']:.4f}; community {m['community']}")


def edge_tooltip(attrs: dict) -> str:
    parts = [RELATION_LABELS.get(attrs["relation"], attrs["relation"])]
    if attrs.get("rating"):
        parts[0] += f" (rating: {attrs['rating']})"
    if attrs.get("also_changed"):
        parts.append("also changed in it")
    if attrs.get("text"):
        parts.append(_clip(attrs["text"], 400))
    return "\n".join(parts)


def precomputed_layout(a: Analysis) -> dict[str, tuple[float, float]]:
    """Communities on a square grid, each drawn as a sunflower spiral ordered by PageRank: O(n)."""
    groups: dict[int, list[str]] = defaultdict(list)
    for node, m in a.measures.items():
        groups[int(m["community"])].append(node)
    spacing = 28.0
    radii = {c: spacing * math.sqrt(len(ns)) + 60 for c, ns in groups.items()}
    cell = 2 * max(radii.values(), default=100)
    cols = max(1, math.ceil(math.sqrt(len(groups))))
    golden = math.pi * (3 - math.sqrt(5))
    pos: dict[str, tuple[float, float]] = {}
    for i, cid in enumerate(sorted(groups)):
        cx, cy = (i % cols) * cell, (i // cols) * cell
        members = sorted(groups[cid], key=lambda n: (-a.measures[n]["pagerank"], n))
        for j, node in enumerate(members):
            r = spacing * math.sqrt(j)
            pos[node] = (round(cx + r * math.cos(j * golden), 1), round(cy + r * math.sin(j * golden), 1))
    return pos


def vis_options(n_nodes: int) -> dict:
    physics = n_nodes <= PHYSICS_MAX_NODES
    return {
        "physics": {"enabled": physics, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -4000, "centralGravity": 0.35, "springLength": 85,
                                  "springConstant": 0.04, "avoidOverlap": 0.3},
                    "stabilization": {"enabled": physics, "iterations": STABILISATION_ITERATIONS, "fit": True}},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": n_nodes > 300,
                        "navigationButtons": False, "keyboard": True},
        "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif"}, "borderWidth": 1,
                  # size and label size grow with the measure (value); small labels appear on zooming in
                  "scaling": {"min": 9, "max": 42, "label": {"enabled": True, "min": 11, "max": 30,
                                                             "maxVisible": 30, "drawThreshold": 4}}},
        "edges": {"smooth": physics and n_nodes <= 300, "selectionWidth": 2},
        "layout": {"improvedLayout": n_nodes <= 150, "randomSeed": 7},
    }


def vis_data(a: Analysis, *, size_by: str = "pagerank", link_base: str = "") -> tuple[list[dict], list[dict]]:
    """The vis-network nodes and edges: node size by a measure, colour and shape by kind, edge style by
    relation. Built as plain dicts (the shape pyvis would give them): pyvis's ``Network.add_node`` checks a
    list of every node added so far (quadratic: a third of the page's time at 4,000 nodes), and its page
    template is not used anyway."""
    counts = {r["iri"]: r for r in actor_summary(a)}
    top = max((m.get(size_by, 0) for m in a.measures.values()), default=0) or 1
    layout = precomputed_layout(a) if a.graph.number_of_nodes() > PHYSICS_MAX_NODES else {}
    nodes = []
    for node, attrs in a.graph.nodes(data=True):
        colour, shape, _ = KIND_STYLE.get(attrs["kind"], KIND_STYLE["actor"])
        tip = node_tooltip(a, node, counts)
        item = {"id": node, "label": _clip(attrs["label"], 40) or node, "shape": shape, "color": colour, "title": tip,
                "value": round(float(a.measures[node].get(size_by, 0)) / top, 5), "kind": attrs["kind"],
                "href": node_href(node, link_base)}
        if node in a.data.outcomes:
            item["facets"] = outcome_facets(a, node)
            if a.data.outcomes[node].confidential:
                item.update(confidential=True, borderWidth=3,
                            color={"background": colour, "border": CONFIDENTIAL_BORDER})
        if node in layout:
            item["x"], item["y"] = layout[node]
        nodes.append(item)
    edges = []
    for u, v, attrs in a.graph.edges(data=True):
        source = attrs["origin"]  # the outcome: edges run outcome → actor/objective/earlier outcome
        style = dict(EDGE_STYLE.get(attrs["relation"], {}))
        if attrs["relation"] == "contributed":
            style["width"] = 1 + 1.5 * attrs["weight"]
            if attrs.get("programme"):
                style["color"] = {"color": "#c0392b"}
        edges.append({"from": source, "to": v if source == u else u, "title": edge_tooltip(attrs),
                      "relation": attrs["relation"], **style})
    return nodes, edges


def outcome_facets(a: Analysis, node: str) -> dict[str, list[str]]:
    """An outcome's values of the in-page filters (labels, as the filter lists show them)."""
    o, d = a.data.outcomes[node], a.data
    one = lambda iri: [d.label(iri)] if iri else []  # noqa: E731
    return {"country": [d.country_code(o.country)] if o.country else [], "year": [str(o.year)] if o.year else [],
            "programme": one(o.programme), "objective": sorted(d.label(x) for x in o.objectives),
            "type": sorted(d.label(x) for x in o.types), "significance": one(o.significance),
            "contribution": one(o.contribution_rating), "harvest": one(o.harvest)}


def _json_for_script(value) -> str:
    """JSON safe inside <script type="application/json">: no '<', '>' or '&' can end the element."""
    return (json.dumps(value, ensure_ascii=False).replace("&", "\\u0026").replace("<", "\\u003c")
            .replace(">", "\\u003e").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def csp(nonce: str) -> str:  # (frame-ancestors is HTTP-header-only: the API adds it)
    """The page's Content Security Policy. vis-network needs script, so scripts run only with this page's
    nonce (an injected <script> or onerror= handler has none and is blocked even if escaping failed);
    style-src allows inline styles (vis-network positions its tooltip with them: harmless); nothing may be
    fetched or connected to (default-src/connect-src 'none'); images only as data: URLs."""
    return ("default-src 'none'; script-src 'nonce-" + nonce + "'; style-src 'unsafe-inline'; img-src data:; "
            "connect-src 'none'; font-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'")


MEASURE_NAMES = {"pagerank": "PageRank", "weighted_degree": "weighted degree", "betweenness": "betweenness",
                 "degree": "degree"}


def legend_html(size_by: str = "pagerank", n_nodes: int = 0, confidential: bool = False) -> str:
    """Node kinds, edge styles, what the size shows, and whether betweenness is estimated (it is above
    EXACT_BETWEENNESS_MAX nodes, from a fixed-seed sample of pivots: see analyse.measures); ``confidential``:
    the view holds a confidential outcome (how it is marked)."""
    pivots = betweenness_pivots(n_nodes)
    estimate = (f" Betweenness is estimated from {pivots} of the {n_nodes:,} nodes (sampled shortest paths, "
                f"fixed seed); it is exact up to {EXACT_BETWEENNESS_MAX:,} nodes." if pivots else "")
    items = [f'<li><span class="sym" style="color:{colour}">★</span>{html.escape(label)}</li>' if shape == "star" else
             f'<li><span class="sw {html.escape(shape)}" style="background:{colour}"></span>{html.escape(label)}</li>'
             for colour, shape, label in KIND_STYLE.values()]
    if confidential:
        items.append(f'<li class="conf"><span class="sw square" style="background:{KIND_STYLE["outcome"][0]};'
                     f'border:2px solid {CONFIDENTIAL_BORDER}"></span>Confidential outcome (people at risk: '
                     "do not share it beyond readers with the confidential role)</li>")
    edges = ['<li><span class="ln solid"></span>contributed to (width: rating)</li>',
             '<li><span class="ln prog"></span>programme contribution</li>',
             '<li><span class="ln dashed"></span>changed in</li>',
             '<li><span class="ln dotted"></span>serves objective</li>',
             '<li><span class="ln chain"></span>builds on (outcome chain)</li>']
    return ('<div id="legend"><h2>Legend</h2><ul>' + "".join(items) + "</ul><ul>" + "".join(edges)
            + f"</ul><p>Size: {html.escape(MEASURE_NAMES.get(size_by, size_by))}.{estimate} Hover a node for details; "
            "click to select; double-click opens its page.</p></div>")


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<style>{vis_css}</style>
<style>
 html, body {{ margin: 0; height: 100%; font: 14px/1.4 system-ui, sans-serif; color: #1b2631; }}
 header {{ padding: 8px 14px; border-bottom: 1px solid #d5d8dc; }}
 header h1 {{ font-size: 18px; margin: 0 0 2px; }} header p {{ margin: 0; color: #566573; }}
 body {{ display: flex; flex-direction: column; }}
 #wrap {{ display: flex; flex: 1; min-height: 0; }}
 #facets {{ display: contents; }}
 #mynetwork {{ flex: 1; min-width: 0; height: 100%; background: #fdfefe; }}
 aside {{ width: 290px; overflow: auto; padding: 8px 12px; border-left: 1px solid #d5d8dc; background: #f8f9f9; }}
 aside h2 {{ font-size: 14px; margin: 10px 0 4px; }} aside ul {{ list-style: none; padding: 0; margin: 0 0 8px; }}
 aside li {{ margin: 2px 0; }}
 .sw {{ display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: middle; border-radius: 50%; }}
 .sw.square {{ border-radius: 0; }} .sw.diamond {{ border-radius: 0; transform: rotate(45deg) scale(.8); }}
 .sym {{ display: inline-block; width: 12px; margin-right: 6px; font-size: 15px; line-height: 12px; }}
 .ln {{ display: inline-block; width: 28px; margin-right: 6px; vertical-align: middle; border-top: 3px solid #2c3e50; }}
 .ln.prog {{ border-top-color: #c0392b; }} .ln.dashed {{ border-top: 2px dashed #7f8c8d; }}
 .ln.dotted {{ border-top: 2px dotted #bdc3c7; }} .ln.chain {{ border-top-color: #e67e22; }}
 #details {{ white-space: pre-wrap; word-wrap: break-word; }}
 div.vis-tooltip {{ white-space: pre-wrap; max-width: 420px; font: 13px/1.35 system-ui, sans-serif; }}
 #tools {{ display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: end; margin-top: 4px; }}
 #tools label {{ display: flex; flex-direction: column; font-size: 12px; color: #566573; }}
 #tools input, #tools select {{ font-size: 13px; padding: 1px 3px; max-width: 11em; }}
 #tools input[type=search] {{ width: 16em; max-width: 16em; }}
 #tools button {{ font-size: 13px; }}
 #count {{ font-size: 12px; color: #566573; }}
 /* the line above the page saying whose view it is (scope_html: the served view's) */
 p.scope {{ margin: 0; padding: 6px 14px; font: 13px/1.4 system-ui, sans-serif; color: #566573;
            border-bottom: 1px solid #d5d8dc; }}
 p.scope.warn {{ color: inherit; background: #fdebd0; border-bottom-color: #e59866; }}
 form.filters {{ display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: end; margin-top: 6px; }}
 form.filters label {{ display: flex; flex-direction: column; font-size: 12px; color: #566573; }}
 form.filters input, form.filters select {{ font-size: 13px; padding: 2px 4px; width: 9em; }}
 nav.views {{ font-size: 13px; margin-top: 4px; }}
 details.filters {{ margin-top: 4px; font-size: 13px; }}
 details.filters summary {{ cursor: pointer; color: #1d5b8f; }}
 details.filters summary small {{ color: #566573; }}
 #tools .tools-title {{ font-size: 12px; color: #566573; align-self: center; }}
 @media print {{ aside {{ display: none; }} }}
 /* A phone: the header's filters take the first screen, so the page scrolls and the network gets most of
    the next one, with the legend below it (beside it, the network was squeezed to a quarter of 390 px). */
 @media (max-width: 700px) {{
   html, body {{ height: auto; }}
   #wrap {{ flex-direction: column; }}
   #mynetwork {{ flex: none; height: 75vh; min-height: 360px; }}
   aside {{ width: auto; border-left: none; border-top: 1px solid #d5d8dc; }}
 }}
</style></head>
<body>{scope_html}
<header><h1>{title}</h1><p id="summary">{summary}</p>{header_html}
<div id="tools" role="search" aria-label="Search, filters and focus in this page">
<span class="tools-title">In this view:</span>
<label>Find<input id="find" type="search" list="node-names" placeholder="actor or outcome ID"></label><datalist id="node-names"></datalist>
<button type="button" id="find-go">Go</button>
<span id="facets"></span>
<label>Steps out<select id="depth"><option>1</option><option>2</option><option>3</option></select></label>
<button type="button" id="focus" disabled>Focus on selected</button>
<button type="button" id="show-all">Show all</button>
<span id="count" aria-live="polite"></span>
</div></header>
<div id="wrap"><div id="mynetwork" role="img" aria-label="contribution network"></div>
<aside>{legend}<h2>Selected</h2><div id="details">Click a node.</div><p><a id="open" hidden>Open its page</a></p></aside></div>
<script type="application/json" id="hg-data" nonce="{nonce}">{data}</script>
<script nonce="{nonce}">{vis_js}</script>
<script nonce="{nonce}">
(function () {{
  "use strict";
  var data = JSON.parse(document.getElementById("hg-data").textContent);
  function tip(text) {{  // plain text → a DOM element: vis-network never parses it as HTML
    var el = document.createElement("div");
    el.className = "hg-tip";
    el.textContent = text;
    return el;
  }}
  data.nodes.forEach(function (n) {{  // the text also fills the "Selected" panel (sent once, not twice)
    if (typeof n.title === "string") {{ n.text = n.title; n.title = tip(n.title); }}
  }});
  data.edges.forEach(function (e) {{ if (typeof e.title === "string") e.title = tip(e.title); }});
  var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("mynetwork"), {{nodes: nodes, edges: edges}}, data.options);
  window.network = network; window.nodes = nodes; window.edges = edges; window.hgReady = !data.options.physics.enabled || data.nodes.length === 0;
  network.once("stabilizationIterationsDone", function () {{ network.setOptions({{physics: false}}); window.hgReady = true; }});
  var details = document.getElementById("details"), open = document.getElementById("open");
  if (!data.nodes.length) details.textContent = "No outcome matches these filters.";
  network.on("click", function (p) {{
    if (!p.nodes.length) return;
    var n = nodes.get(p.nodes[0]);
    details.textContent = n.text;
    if (n.href) {{ open.href = n.href; open.hidden = false; }} else {{ open.hidden = true; }}
  }});
  // ---- in-page search, filters (AND) and focus: nodes are hidden, never removed, so nothing is re-laid out
  var FACETS = [["kind", "Actor kind"], ["country", "Country"], ["year", "Year"], ["programme", "Programme"],
                ["objective", "Objective"], ["type", "Type of change"], ["significance", "Significance"],
                ["contribution", "Contribution rating"], ["harvest", "Harvest period"]];
  var adjacency = {{}};
  data.nodes.forEach(function (n) {{ adjacency[n.id] = []; }});
  data.edges.forEach(function (e) {{ adjacency[e.from].push(e.to); adjacency[e.to].push(e.from); }});
  var ACTOR = function (k) {{ return k !== "outcome" && k !== "objective"; }};
  var facetBox = document.getElementById("facets"), selects = {{}};
  FACETS.forEach(function (f) {{
    var values = {{}};
    data.nodes.forEach(function (n) {{
      if (f[0] === "kind") {{ if (ACTOR(n.kind)) values[n.kind] = 1; }}
      else if (n.facets) n.facets[f[0]].forEach(function (v) {{ values[v] = 1; }});
    }});
    var keys = Object.keys(values).sort();
    if (!keys.length) return;
    var label = document.createElement("label"), sel = document.createElement("select");
    label.appendChild(document.createTextNode(f[1]));
    sel.name = f[0];
    sel.appendChild(new Option("all", ""));
    keys.forEach(function (v) {{ sel.appendChild(new Option(v, v)); }});
    sel.addEventListener("change", apply);
    label.appendChild(sel);
    facetBox.appendChild(label);
    selects[f[0]] = sel;
  }});
  var names = document.getElementById("node-names"), byLabel = {{}};
  data.nodes.slice().sort(function (a, b) {{ return b.value - a.value; }}).forEach(function (n) {{
    if (byLabel[n.label]) return;
    byLabel[n.label] = n.id;
    var o = document.createElement("option"); o.value = n.label; names.appendChild(o);
  }});
  var selected = null, focused = null;
  var depthSel = document.getElementById("depth"), focusBtn = document.getElementById("focus");
  var count = document.getElementById("count");
  function visibleSet() {{
    var want = {{}};
    Object.keys(selects).forEach(function (k) {{ if (selects[k].value) want[k] = selects[k].value; }});
    var keep = {{}};
    data.nodes.forEach(function (n) {{
      if (n.kind !== "outcome") return;
      for (var k in want) {{
        if (k === "kind") {{
          if (!adjacency[n.id].some(function (m) {{ return nodes.get(m).kind === want.kind; }})) return;
        }} else if (n.facets[k].indexOf(want[k]) < 0) return;
      }}
      keep[n.id] = true;
    }});
    var outcomes = Object.keys(keep);
    if (!data.nodes.some(function (n) {{ return n.kind === "outcome"; }})) data.nodes.forEach(function (n) {{ keep[n.id] = true; }});
    outcomes.forEach(function (o) {{
      adjacency[o].forEach(function (m) {{
        var k = nodes.get(m).kind;
        if (k === "outcome") return;
        if (want.kind && ACTOR(k) && k !== want.kind) return;
        keep[m] = true;
      }});
    }});
    if (focused && keep[focused]) {{
      var depth = parseInt(depthSel.value, 10), seen = {{}}, frontier = [focused];
      seen[focused] = true;
      for (var d = 0; d < depth; d++) {{
        var next = [];
        frontier.forEach(function (u) {{ adjacency[u].forEach(function (v) {{ if (keep[v] && !seen[v]) {{ seen[v] = true; next.push(v); }} }}); }});
        frontier = next;
      }}
      keep = seen;
    }}
    return keep;
  }}
  function apply() {{
    var keep = visibleSet(), changes = [], shown = 0;
    data.nodes.forEach(function (n) {{
      var hide = !keep[n.id];
      if (!hide) shown++;
      if (!!nodes.get(n.id).hidden !== hide) changes.push({{id: n.id, hidden: hide}});
    }});
    nodes.update(changes);
    count.textContent = shown + " of " + data.nodes.length + " nodes shown" + (focused ? " (focus on " + nodes.get(focused).label + ", " + depthSel.value + " step(s) out)" : "");
    window.hgShown = shown;
    if (focused && keep[focused]) network.fit({{nodes: Object.keys(keep), animation: false}});
  }}
  function select(id) {{
    selected = id;
    focusBtn.disabled = !id;
    if (!id) return;
    network.selectNodes([id]);
    var n = nodes.get(id);
    details.textContent = n.text;
    if (n.href) {{ open.href = n.href; open.hidden = false; }} else {{ open.hidden = true; }}
  }}
  function find() {{
    var q = document.getElementById("find").value.trim(), id = byLabel[q];
    if (!id) {{
      var low = q.toLowerCase();
      var hit = data.nodes.filter(function (n) {{ return n.label.toLowerCase().indexOf(low) >= 0; }})
                          .sort(function (a, b) {{ return b.value - a.value; }})[0];
      id = hit && hit.id;
    }}
    if (!id) {{ count.textContent = "Nothing matches \u201c" + q + "\u201d."; return; }}
    select(id);
    focused = id;
    apply();
  }}
  document.getElementById("find-go").addEventListener("click", find);
  document.getElementById("find").addEventListener("keydown", function (e) {{ if (e.key === "Enter") {{ e.preventDefault(); find(); }} }});
  focusBtn.addEventListener("click", function () {{ if (selected) {{ focused = selected; apply(); }} }});
  depthSel.addEventListener("change", function () {{ if (focused) apply(); }});
  document.getElementById("show-all").addEventListener("click", function () {{
    focused = null;
    Object.keys(selects).forEach(function (k) {{ selects[k].value = ""; }});
    apply();
    network.fit({{animation: false}});
  }});
  network.on("click", function (p) {{ if (p.nodes.length) select(p.nodes[0]); }});
  window.hgView = {{apply: apply, select: select}};
  apply();
  network.on("doubleClick", function (p) {{
    if (p.nodes.length) {{ var n = nodes.get(p.nodes[0]); if (n.href) window.location.href = n.href; }}
  }});
}})();
</script>
</body></html>
"""


def render_html(a: Analysis, *, title: str = "Contribution network", link_base: str = "", size_by: str = "pagerank",
                header_html: str = "", scope_html: str = "", nonce: str | None = None) -> str:
    """The whole page. ``header_html`` and ``scope_html`` are trusted markup from the caller: the API's filter
    form, in the header, and the line above the page saying whose view it is (a ``p.scope``, ``.warn`` for
    the confidential role's: the page's stylesheet styles both)."""
    nonce = nonce or secrets.token_urlsafe(18)
    nodes, edges = vis_data(a, size_by=size_by, link_base=link_base)
    js, css = vis_assets()
    payload = {"nodes": nodes, "edges": edges, "options": vis_options(len(nodes))}
    n_out = sum(1 for _, k in a.graph.nodes(data="kind") if k == "outcome")
    summary = (f"{n_out} outcomes, {len(a.actors())} actors, {a.graph.number_of_edges()} links; "
               f"filters: {a.data.filters.describe()}")
    return PAGE.format(csp=csp(nonce), title=html.escape(title), vis_css=css, header_px=160 if header_html else 106,
                       summary=html.escape(summary), header_html=header_html, scope_html=scope_html,
                       legend=legend_html(size_by, len(nodes), any(n.get("confidential") for n in nodes)),
                       data=_json_for_script(payload), nonce=nonce,
                       vis_js=js.replace("</script", "<\\/script"))


def write_view(a: Analysis, path: Path, **kw) -> Path:
    path.write_text(render_html(a, **kw), encoding="utf-8")
    return path
