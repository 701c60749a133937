// /explore: the contribution-network workbench (bundled by esbuild into api/static/vendor/explore.bundle.js).
// Everything it shows comes from this server's /explore/api/... routes; nothing is loaded from anywhere else.
// Text from fragments only ever reaches the page through textContent (never innerHTML), so a "<script>"
// in an outcome is shown, not run. The view's whole state lives in the address (bookmark, reload, share).
import Graph from "graphology";
import Sigma from "sigma";
import { layerPlain, pathLine } from "sigma/rendering";
import forceAtlas2 from "graphology-layout-forceatlas2";

const KINDS = {
  programme: ["#c0392b", "Programme"], ngo: ["#2e86c1", "NGO / CSO"], network: ["#17a589", "Network or alliance"],
  government: ["#7d3c98", "Government body"], media: ["#a04000", "Media"], donor: ["#d63384", "Donor or INGO"],
  community: ["#7d8a2e", "Community group"], individual: ["#707b7c", "Individuals (by role)"],
  actor: ["#85c1e9", "Other actor"], outcome: ["#f39c12", "Outcome"], objective: ["#1b2631", "Objective"],
  cluster: ["#aab7b8", "Community, collapsed (click to open)"],
};
const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
  "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd"];
const OTHER = "#d5d8dc";
// A confidential outcome (only the confidential role's network holds one, flagged by the server): drawn in
// this colour when colouring by kind, its label with this mark, a warning in its details and in the list.
const CONFIDENTIAL = ["#7b241c", " · confidential"];
const CONFIDENTIAL_NOTE = "Confidential record (people at risk): only readers with the confidential role see it. " +
  "Do not quote or share it beyond them.";
const RELATIONS = {
  contributed: ["#2c3e50", "contributed to"], programme: ["#c0392b", "programme's contribution"],
  changed: ["#95a5a6", "changed in"], objective: ["#d5d8dc", "serves objective"],
  builds_on: ["#e67e22", "builds on"], cluster: ["#cfd8dc", "links between communities (width: count)"],
};
const FACETS = ["country", "programme", "objective", "type", "significance", "contribution", "harvest", "kind"];
const STATE_KEYS = [...FACETS, "year_from", "year_to", "focus", "depth", "trace", "expand", "colour", "node"];

const $ = (id) => document.getElementById(id);
const el = (tag, text, attrs) => {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
};

// Named points of a view change (hg:load, hg:fetched, hg:rendered, hg:drawn, hg:frame, hg:shown): they show in
// a DevTools or CDP trace beside the browser's own work; benchmarks/serve/bench_explore.py reads hg.timing.
const mark = (name) => performance.mark("hg:" + name);

const hg = (window.hgExplore = { ready: false, draws: 0, state: {}, view: null, errors: [], scriptStart: performance.now() });

// ------------------------------------------------------------------ state <-> address

function readState() {
  const p = new URLSearchParams(location.search);
  const s = {};
  for (const k of STATE_KEYS) {
    const v = (p.get(k) || "").trim();
    if (v) s[k] = v;
  }
  return s;
}

function query(state, keys) {
  const p = new URLSearchParams();
  for (const k of keys || STATE_KEYS) if (state[k]) p.set(k, state[k]);
  return p.toString();
}

const facetQuery = (state) => query(state, [...FACETS, "year_from", "year_to"]);

function writeState(push) {
  const q = query(hg.state);
  const url = location.pathname + (q ? "?" + q : "");
  if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
}

// ------------------------------------------------------------------ messages

function showMessage(text) {
  const m = $("message");
  m.textContent = text;
  m.hidden = !text;
}

async function getJSON(url) {
  const r = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  if (!r.ok) {
    const err = new Error((body && (body.message || body.detail)) || `the server answered ${r.status}`);
    err.field = body && body.field;
    err.status = r.status;
    err.code = body && body.error;
    err.retry = r.headers.get("Retry-After");
    throw err;
  }
  return body;
}

// The server is building the network after it started or new data came in (503 "building"): say so and
// load the page again when it says to (the page then carries the first view).
function reloadWhenBuilt(e) {
  if (e.status !== 503 || e.code !== "building") return false;
  const s = Math.max(2, parseInt(e.retry || "10", 10) || 10);
  $("status").textContent = `${e.message} This page reloads itself in ${s} s.`;
  setTimeout(() => location.reload(), s * 1000);
  return true;
}

// ------------------------------------------------------------------ controls

let facetsInfo = null;

function fillFacets(info) {
  facetsInfo = info;
  for (const f of info.facets) {
    const sel = document.querySelector(`select[data-facet="${f.name}"]`);
    if (!sel) continue;
    sel.replaceChildren(el("option", "all", { value: "" }));
    for (const v of f.values) sel.append(el("option", `${v.label} (${v.count})`, { value: v.value }));
  }
  if (info.years.length) {
    for (const n of ["year_from", "year_to"]) {
      const i = document.querySelector(`input[name="${n}"]`);
      i.min = info.years[0];
      i.max = info.years[info.years.length - 1];
      i.placeholder = String(n === "year_from" ? info.years[0] : info.years[info.years.length - 1]);
    }
  }
}

function syncControls() {
  const s = hg.state;
  for (const f of FACETS) {
    const sel = document.querySelector(`select[data-facet="${f}"]`);
    if (sel) sel.value = s[f] || "";
  }
  for (const n of ["year_from", "year_to"]) document.querySelector(`input[name="${n}"]`).value = s[n] || "";
  $("colour").value = s.colour || "kind";
  $("depth").value = s.depth || "1";
  const selected = s.node && !s.node.startsWith("c:");
  $("focus").disabled = !selected;
  $("trace").disabled = !selected;
}

// ------------------------------------------------------------------ colours and legend

function communityColour(c) { return c >= 1 && c <= PALETTE.length ? PALETTE[c - 1] : OTHER; }

let countryColours = {};
function colourOf(n) {
  const mode = hg.state.colour || "kind";
  if (mode === "community") return communityColour(n.community);
  if (mode === "country") return countryColours[n.country] || (n.kind === "outcome" || n.kind === "cluster" ? OTHER : "#ffffff");
  if (n.confidential) return CONFIDENTIAL[0];
  return (KINDS[n.kind] || KINDS.actor)[0];
}

function buildLegend(view) {
  const ul = $("legend-items");
  ul.replaceChildren();
  const mode = hg.state.colour || "kind";
  const add = (colour, text, ring) => {
    const li = el("li");
    const sw = el("span", null, { class: ring ? "sw ring" : "sw", "aria-hidden": "true" });
    if (ring) sw.style.borderColor = colour; else sw.style.background = colour;
    li.append(sw, document.createTextNode(text));
    ul.append(li);
  };
  if (mode === "kind") {
    const present = new Set(view.nodes.map((n) => n.kind));
    for (const [k, [c, label]] of Object.entries(KINDS)) if (present.has(k)) add(c, label);
  } else if (mode === "community") {
    const counts = new Map();
    for (const n of view.nodes) counts.set(n.community, (counts.get(n.community) || 0) + (n.size || 1));
    const shown = [...counts.keys()].sort((a, b) => a - b);
    for (const c of shown.filter((c) => c <= PALETTE.length)) add(communityColour(c), `community ${c}`);
    if (shown.some((c) => c > PALETTE.length)) add(OTHER, "other communities");
  } else {
    for (const [code, c] of Object.entries(countryColours)) add(c, countryLabel(code));
    add(OTHER, "outcome with no country, or in another country");
    add("#ffffff", "actor or objective (no country)", true);
  }
  const rels = new Set(view.edges.map((e) => (e.programme ? "programme" : e.relation)));
  for (const [r, [c, label]] of Object.entries(RELATIONS)) if (rels.has(r)) add(c, "— " + label);
  if (view.nodes.some((n) => n.confidential)) {
    add(CONFIDENTIAL[0], `Confidential outcome (people at risk), its label marked “${CONFIDENTIAL[1].trim()}”`, mode !== "kind");
  }
  const size = view.mode === "summary" ? "Node size: PageRank; a community's size: its members." : "Node size: PageRank.";
  $("legend-note").textContent = size + " PageRank and communities are those of the whole network you may see.";
}

function countryLabel(code) {
  const f = facetsInfo && facetsInfo.facets.find((x) => x.name === "country");
  const v = f && f.values.find((x) => x.value === code);
  return v ? `${v.label} (${code})` : code;
}

// ------------------------------------------------------------------ drawing

let renderer = null;
let graph = null;
let lastPos = new Map();
let highlight = null; // Set of node ids to keep bright (the selected node and its neighbours)

function hash(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }
  return (h >>> 0) / 4294967296;
}

function nodeSize(n, maxPr, maxCluster) {
  if (n.kind === "cluster") return 7 + 20 * Math.sqrt(n.size / maxCluster);
  return 3 + 15 * Math.sqrt(n.pagerank / maxPr);
}

function radial(g, view) {
  // A focus or a trace is a ball around one node: rings by steps out, each node near the node it was
  // reached from. O(nodes + links) and the same picture every time (ForceAtlas2 took ~2 s for a 300-node
  // focus on the loaded 2-core machine, 2026-11-29).
  const hop = new Map(view.nodes.map((n) => [n.id, n.hop ?? 0]));
  const rings = [];
  for (const n of view.nodes) (rings[hop.get(n.id)] ||= []).push(n);
  const angle = new Map();
  rings.forEach((ring, h) => {
    if (!ring) return;
    const parentAngle = (n) => {
      if (h === 0) return 0;
      let best = Infinity;
      g.forEachNeighbor(n.id, (m) => { if (hop.get(m) === h - 1 && angle.has(m)) best = Math.min(best, angle.get(m)); });
      return best === Infinity ? 0 : best;
    };
    const ordered = ring.map((n) => [parentAngle(n), n.community, n.id, n]).sort((a, b) =>
      a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : 1)).map((x) => x[3]);
    ordered.forEach((n, i) => {
      const a = h === 0 ? 0 : (2 * Math.PI * i) / ordered.length;
      angle.set(n.id, a);
      const r = h * 100;
      g.mergeNodeAttributes(n.id, { x: r * Math.cos(a), y: r * Math.sin(a) });
    });
  });
}

function layout(g, view) {
  if (view.mode === "focus" || view.mode === "trace") {
    radial(g, view);
    g.forEachNode((id, a) => lastPos.set(id, [a.x, a.y]));
    return;
  }
  // Start from where a node was last time (the picture moves as little as possible between views),
  // else around a circle grouped by community; then ForceAtlas2, a fixed number of iterations.
  // A node new to the picture whose community was drawn as a cluster node (a community just opened)
  // starts on a small spiral around where that cluster was: the picture stays put, and a few iterations
  // settle it (ForceAtlas2 from scratch took 1.4 s for the 315 nodes of an opened community at 10k
  // fragments, load 9, 2026-11-30).
  const n = g.order;
  let i = 0, placed = 0;
  const around = new Map();
  const sorted = [...view.nodes].sort((a, b) => a.community - b.community || (a.id < b.id ? -1 : 1));
  for (const node of sorted) {
    const old = lastPos.get(node.id);
    const anchor = !old && node.kind !== "cluster" ? lastPos.get("c:" + node.community) : null;
    const angle = (2 * Math.PI * i++) / Math.max(n, 1);
    const r = 100 * (0.6 + 0.4 * hash(node.id));
    if (old) {
      placed++;
      g.mergeNodeAttributes(node.id, { x: old[0], y: old[1] });
    } else if (anchor) {
      placed++;
      const k = (around.get(node.community) || 0) + 1;
      around.set(node.community, k);
      const a = k * 2.39996, d = 4 * Math.sqrt(k);
      g.mergeNodeAttributes(node.id, { x: anchor[0] + d * Math.cos(a), y: anchor[1] + d * Math.sin(a) });
    } else {
      g.mergeNodeAttributes(node.id, { x: r * Math.cos(angle), y: r * Math.sin(angle) });
    }
  }
  if (n > 1) {
    const settings = forceAtlas2.inferSettings(g);
    Object.assign(settings, { barnesHutOptimize: n > 120, adjustSizes: false, gravity: 1.5, scalingRatio: n > 100 ? 8 : 4,
      edgeWeightInfluence: 0.5 });
    // Iterations bounded for the 300 ms a change may take: a 165-node focus took 225-330 ms of layout at
    // 200 iterations on the shared 2-core machine (load 25, 2026-11-29); the picture settles by ~60.
    const settled = placed >= 0.8 * n;  // most nodes start where they were (or near their community)
    forceAtlas2.assign(g, { iterations: settled ? 15 : n > 120 ? 60 : 100, settings, getEdgeWeight: "weight" });
  }
  g.forEachNode((id, a) => lastPos.set(id, [a.x, a.y]));
}

function draw(view) {
  const tBuild = performance.now();
  const maxPr = Math.max(1e-9, ...view.nodes.filter((n) => n.kind !== "cluster").map((n) => n.pagerank));
  const maxCluster = Math.max(1, ...view.nodes.filter((n) => n.kind === "cluster").map((n) => n.size));
  const countries = [...new Set(view.nodes.map((n) => n.country).filter(Boolean))].sort();
  countryColours = {};
  countries.forEach((c, i) => { countryColours[c] = PALETTE[i % PALETTE.length]; });
  const g = new Graph({ type: "undirected", multi: false, allowSelfLoops: false });
  for (const n of view.nodes) {
    const label = n.kind === "cluster" ? clusterLabel(n) : n.label + (n.confidential ? CONFIDENTIAL[1] : "");
    g.addNode(n.id, { label, size: nodeSize(n, maxPr, maxCluster), color: colourOf(n), kind: n.kind, data: n });
  }
  const maxW = Math.max(1, ...view.edges.filter((e) => e.relation === "cluster").map((e) => e.weight));
  for (const e of view.edges) {
    if (!g.hasNode(e.source) || !g.hasNode(e.target) || g.hasEdge(e.source, e.target)) continue;
    const rel = e.programme ? "programme" : e.relation;
    const colour = (RELATIONS[rel] || RELATIONS.contributed)[0];
    const size = e.relation === "cluster" ? 0.5 + 5 * Math.sqrt(e.weight / maxW) : e.relation === "contributed" ? 0.8 + 0.5 * e.weight : 0.8;
    g.addEdge(e.source, e.target, { color: colour, size, relation: e.relation, weight: e.relation === "cluster" ? e.weight : 1, data: e });
  }
  hg.timing = { build: performance.now() - tBuild };
  const tLayout = performance.now();
  layout(g, view);
  hg.timing.layout = performance.now() - tLayout;
  graph = g;
  hg.graph = g;
  rankLabels(view);
  highlight = null;
  if (hg.state.node && g.hasNode(hg.state.node)) applyHighlight(hg.state.node);
  // sigma draws the new graph at once (setGraph renders, and so does a new renderer): one render per view.
  // A refresh() after it drew the same picture a second time, and a render is the costliest part of a
  // change in software GL (150-350 ms of the GPU process for a 300-node focus at 10k, 2026-11-30).
  const tSet = performance.now();
  if (!renderer) makeRenderer(g);
  else renderer.setGraph(g);
  hg.timing.setGraph = performance.now() - tSet;
  mark("rendered");
  const tPanel = performance.now();
  buildLegend(view);
  buildList(view);
  const what = { summary: "Summary: communities collapsed into cluster nodes", all: "The whole selection",
    focus: `Focus on ${view.nodes.find((n) => n.id === hg.state.focus)?.label || hg.state.focus}, ${hg.state.depth || 1} step(s) out`,
    trace: `Paths from ${view.nodes.find((n) => n.id === hg.state.trace)?.label || hg.state.trace}`, cluster: "A community" }[view.mode];
  $("status").textContent = `${what}: ${view.nodes.length} nodes and ${g.size} links drawn; ${view.matched} nodes, ` +
    `${view.outcomes} outcomes in the selection.` + (view.note ? " " + view.note + "." : "");
  hg.timing.panel = performance.now() - tPanel;
  mark("drawn");
  const tFrame = performance.now();
  requestAnimationFrame(() => {
    mark("frame");
    hg.timing.frame = performance.now() - tFrame;
    if (!hg.draws) hg.firstPictureAt = performance.now();
    hg.draws += 1;
    hg.ready = true;
    // The frame is shown once the compositor has it: in software GL the main thread waits for the GPU
    // process there, so the first task after the frame marks when the picture is on screen.
    setTimeout(() => { hg.timing.shown = performance.now() - tFrame; mark("shown"); }, 0);
  });
}

function pale(hex) { // a colour mixed with 80% white: the nodes around the selection stay legible but recede
  const m = /^#([0-9a-f]{6})$/i.exec(hex || "");
  if (!m) return "#eeeeee";
  const v = parseInt(m[1], 16);
  const mix = (c) => Math.round(c + (255 - c) * 0.8);
  return `rgb(${mix(v >> 16)}, ${mix((v >> 8) & 255)}, ${mix(v & 255)})`;
}

function makeRenderer(g) {
  hg.sigmaStart = performance.now();
  renderer = new Sigma(g, $("graph"), {
    // Labels are drawn by drawLabels() on a canvas of their own, not by sigma (see there).
    // allowInvalidContainer: while the page's layout changes (a phone turned, a window narrowed past the breakpoint)
    // the container may have no width for a moment; sigma then threw from its resize handler ("Container has no
    // width", an uncaught error seen in headless Chromium at 390 px) instead of waiting for the next resize.
    settings: { itemSizesReference: "screen", renderLabels: false, renderEdgeLabels: false, enableEdgeEvents: false,
      hideEdgesOnMove: g.size > 800, allowInvalidContainer: true },
    // Straight edges only: sigma's default edge program also draws self-loops (the graph has none), and
    // without that path a render of a 300-link focus took 60-73 ms of software GL instead of 87-129 ms
    // (same session, load 8, 2026-11-30).
    primitives: { edges: { paths: [pathLine()], layers: [layerPlain()] } },
    nodeReducer: (key, data, attrs) => (highlight && !highlight.has(key) ? { color: pale(attrs.color) } : {}),
    edgeReducer: (key, data) => {
      if (!highlight) return {};  // edges of the selected node keep their colour, the others fade
      const [s, t] = graph.extremities(key);
      return highlight.has(s) && highlight.has(t) && (s === hg.state.node || t === hg.state.node) ? {} : { color: "#f2f3f4" };
    },
  });
  hg.sigmaMs = performance.now() - hg.sigmaStart;
  labelCanvas = el("canvas", null, { class: "labels", "aria-hidden": "true" });
  $("graph").append(labelCanvas);
  labelCtx = labelCanvas.getContext("2d");
  renderer.on("afterRender", drawLabels);
  renderer.on("enterNode", ({ node }) => { hovered = node; drawLabels(); });
  renderer.on("leaveNode", () => { hovered = null; drawLabels(); });
  renderer.on("clickNode", ({ node }) => selectNode(node, true));
  renderer.on("clickStage", () => selectNode(null, true));
  window.hgRenderer = renderer;
  drawLabels();
}

// ------------------------------------------------------------------ labels

// Node labels are drawn on a 2D canvas laid over sigma's WebGL stage after each of its renders (so they
// move with the camera), and only where they cover no other label (nor, past the TOP_LABELS most important,
// a node): the selected node's first, then the focus or trace origin's, then by size on screen (PageRank;
// a community's members); the node under the pointer gets its whole label in a box. Sigma's own
// labels overlapped (one per 90-px cell of its grid, whatever the width of the text, and the 25-60 forced
// ones ignored even that), and in software GL they were a large part of every render (a 300-node picture:
// ~40 ms of the GPU process without labels, 150-400 ms with sigma's, 2026-11-30).
const LABEL_FONT = "12px system-ui, sans-serif";
const LABEL_H = 15;       // px: one line of LABEL_FONT with its halo
const LABEL_CHARS = 42;   // longer labels are cut (whole in the list, the panel and under the pointer)
const MAX_LABELS = 60;
const TOP_LABELS = 8;     // the selected node and the 7 largest: labelled over other nodes if need be
let labelCanvas = null;
let labelCtx = null;
let labelRank = [];       // node ids, most important first (per view)
let hovered = null;
const labelWidths = new Map();
hg.labelled = [];         // ids whose labels are drawn now (the SVG download draws the same ones)
hg.labelBoxes = [];       // where they are, [x0, y0, x1, y1] in stage pixels

function rankLabels(view) {
  const first = [hg.state.focus, hg.state.trace].filter((id) => id && graph.hasNode(id));
  const rest = view.nodes.filter((n) => !first.includes(n.id)).map((n) => [graph.getNodeAttribute(n.id, "size"), n.id])
    .sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? -1 : 1)).map((x) => x[1]);
  labelRank = [...first, ...rest];
}

function shortLabel(text) {
  const t = String(text || "");
  return t.length > LABEL_CHARS ? t.slice(0, LABEL_CHARS - 1) + "…" : t;
}

function labelWidth(text) {
  let w = labelWidths.get(text);
  if (w === undefined) {
    w = labelCtx.measureText(text).width;
    labelWidths.set(text, w);
  }
  return w;
}

// Rectangles on the stage, bucketed in square cells, to test a label's place against what is drawn.
class Occupied {
  constructor(cell) { this.cell = cell; this.cells = new Map(); }
  *keys(x0, y0, x1, y1) {
    const c = this.cell;
    for (let i = Math.floor(x0 / c); i <= Math.floor(x1 / c); i++) for (let j = Math.floor(y0 / c); j <= Math.floor(y1 / c); j++) yield i * 65536 + j;
  }
  add(r) { for (const k of this.keys(r[0], r[1], r[2], r[3])) { const l = this.cells.get(k); if (l) l.push(r); else this.cells.set(k, [r]); } }
  free(r, own) {
    for (const k of this.keys(r[0], r[1], r[2], r[3])) {
      for (const o of this.cells.get(k) || []) if (o[4] !== own && o[0] < r[2] && r[0] < o[2] && o[1] < r[3] && r[1] < o[3]) return false;
    }
    return true;
  }
}

function drawLabels() {
  if (!labelCtx || !renderer) return;
  const box = $("graph");
  const W = box.clientWidth, H = box.clientHeight, dpr = window.devicePixelRatio || 1;
  if (labelCanvas.width !== Math.round(W * dpr) || labelCanvas.height !== Math.round(H * dpr)) {
    labelCanvas.width = Math.round(W * dpr);
    labelCanvas.height = Math.round(H * dpr);
  }
  const ctx = labelCtx;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, W, H);
  const shown = [];
  hg.labelled = shown;
  hg.labelBoxes = [];
  const g = renderer.getGraph();
  if (!g.order) return;
  ctx.font = LABEL_FONT;
  const at = new Map();
  const taken = new Occupied(48);
  g.forEachNode((id, a) => {
    const p = renderer.graphToViewport(a), r = renderer.scaleSize(a.size);
    at.set(id, [p.x, p.y, r]);
    if (p.x + r > 0 && p.x - r < W && p.y + r > 0 && p.y - r < H) taken.add([p.x - 0.8 * r, p.y - 0.8 * r, p.x + 0.8 * r, p.y + 0.8 * r, id]);
  });
  const selected = hg.state.node && g.hasNode(hg.state.node) ? hg.state.node : null;
  const seen = new Set();
  const place = [];
  const labels = new Occupied(48);
  for (const id of selected ? [selected, ...labelRank] : labelRank) {
    if (place.length >= MAX_LABELS) break;
    if (seen.has(id) || !at.has(id) || (highlight && !highlight.has(id))) continue;
    seen.add(id);
    // the most important few are labelled even over a node (they sit where the picture is densest);
    // no label ever covers another
    const important = seen.size <= TOP_LABELS;
    const [x, y, r] = at.get(id);
    const text = shortLabel(g.getNodeAttribute(id, "label"));
    if (!text) continue;
    const w = labelWidth(text), h = LABEL_H;
    // right of the node, left of it, above, below: the first place that is free and on the stage
    for (const [lx, ly] of [[x + r + 3, y - h / 2], [x - r - 3 - w, y - h / 2], [x - w / 2, y - r - 2 - h], [x - w / 2, y + r + 2]]) {
      const rect = [lx - 1, ly, lx + w + 1, ly + h, id];
      if (lx < 0 || ly < 0 || lx + w > W || ly + h > H) continue;
      if (!labels.free(rect, id) || (!important && !taken.free(rect, id))) continue;
      labels.add(rect);
      taken.add(rect);
      place.push([id, text, lx, ly]);
      break;
    }
  }
  ctx.textBaseline = "middle";
  ctx.lineJoin = "round";
  ctx.lineWidth = 3;
  ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
  for (const [id, text, lx, ly] of place) {
    ctx.font = id === selected ? "bold " + LABEL_FONT : LABEL_FONT;
    ctx.strokeText(text, lx, ly + LABEL_H / 2);
    ctx.fillStyle = "#1b2631";
    ctx.fillText(text, lx, ly + LABEL_H / 2);
    shown.push(id);
    hg.labelBoxes.push([lx, ly, lx + labelWidth(text), ly + LABEL_H]);
  }
  if (hovered && at.has(hovered)) { // the hovered node's label, whole and boxed, above everything
    const [x, y, r] = at.get(hovered);
    const text = String(g.getNodeAttribute(hovered, "label") || "");
    ctx.font = LABEL_FONT;
    const w = ctx.measureText(text).width;
    const lx = Math.max(2, Math.min(x + r + 4, W - w - 8)), ly = Math.max(2, Math.min(y - LABEL_H / 2 - 2, H - LABEL_H - 6));
    ctx.fillStyle = "#ffffff";
    ctx.strokeStyle = "#aab7b8";
    ctx.lineWidth = 1;
    ctx.fillRect(lx - 3, ly, w + 6, LABEL_H + 4);
    ctx.strokeRect(lx - 3, ly, w + 6, LABEL_H + 4);
    ctx.fillStyle = "#1b2631";
    ctx.fillText(text, lx, ly + LABEL_H / 2 + 2);
  }
}

function applyHighlight(node) {
  if (!node || !graph || !graph.hasNode(node)) { highlight = null; return; }
  highlight = new Set([node, ...graph.neighbors(node)]);
}

function clusterLabel(n) {
  return n.size > 1 ? `${n.label} and ${(n.size - 1).toLocaleString("en")} more` : n.label;
}

function buildList(view) {
  const ol = $("node-list");
  ol.replaceChildren();
  const ranked = [...view.nodes].sort((a, b) => (b.kind === "cluster") - (a.kind === "cluster") || b.pagerank - a.pagerank).slice(0, 40);
  for (const n of ranked) {
    const li = el("li");
    const b = el("button", n.kind === "cluster" ? clusterLabel(n) : n.label, { type: "button", "data-node": n.id });
    b.addEventListener("click", () => selectNode(n.id, true));
    li.append(b, el("span", ` ${n.kind === "cluster" ? "community " + n.community : (KINDS[n.kind] || KINDS.actor)[1]}`, { class: "meta" }));
    if (n.confidential) li.append(el("span", "confidential", { class: "confidential", title: CONFIDENTIAL_NOTE }));
    ol.append(li);
  }
}

// ------------------------------------------------------------------ details

async function selectNode(id, push) {
  hg.state.node = id || undefined;
  if (!id) delete hg.state.node;
  applyHighlight(id);
  if (renderer) renderer.refresh();
  writeState(push);
  syncControls();
  await showDetails();
}

let detailsShown = null; // the node, filters and open communities the panel shows, once complete

async function showDetails() {
  const box = $("details");
  const id = hg.state.node;
  // A change of view that keeps the selection (a focus, its depth, a trace) keeps the panel as it is: the
  // most central actor's 200 links of evidence took a refetch and a 60-150 ms layout per change (load 14).
  const key = [id || "", facetQuery(hg.state), hg.state.expand || ""].join("|");
  if (id && key === detailsShown) { hg.detailsReady = true; return; }
  detailsShown = null;
  box.replaceChildren(el("h2", "Selected"));
  hg.detailsReady = false;
  if (!id) {
    box.append(el("p", "Click a node, or choose one from the list below or the search box.", { class: "help" }));
    hg.detailsReady = true;
    return;
  }
  if (id.startsWith("c:")) {
    const n = hg.view && hg.view.nodes.find((x) => x.id === id);
    const c = parseInt(id.slice(2), 10);
    box.append(el("h3", `Community ${c}: ${n ? n.size : "?"} nodes collapsed`));
    if (n) {
      box.append(el("p", "Most central: " + n.top.join("; ")));
    }
    const actions = el("div", null, { class: "actions" });
    const open = el("button", "Open this community", { type: "button", id: "expand-cluster" });
    open.addEventListener("click", () => setExpand(c, true));
    actions.append(open);
    box.append(actions);
    hg.detailsReady = true;
    return;
  }
  let d;
  try {
    d = await getJSON(`/explore/api/node?${facetQuery(hg.state)}&node=${encodeURIComponent(id)}`);
  } catch (e) {
    box.append(el("p", `No details: ${e.message}`));
    hg.detailsReady = true;
    return;
  }
  if (hg.state.node !== id) return; // another node was selected meanwhile
  const n = d.node;
  box.append(el("h3", n.label));
  if (n.confidential) box.append(el("p", CONFIDENTIAL_NOTE, { class: "problem confidential-note", role: "note" }));
  const kind = (KINDS[n.kind] || KINDS.actor)[1];
  box.append(el("p", `${kind} · community ${n.community} · PageRank ${n.pagerank.toFixed(4)} · ${n.degree} links`, { class: "help" }));
  const actions = el("div", null, { class: "actions" });
  if (n.href) actions.append(el("a", "Open its page", { href: n.href, id: "entity-link" }));
  const expanded = (hg.state.expand || "").split(",").filter(Boolean).map(Number);
  if (expanded.includes(n.community)) {
    const b = el("button", `Collapse community ${n.community}`, { type: "button", id: "collapse-cluster" });
    b.addEventListener("click", () => setExpand(n.community, false));
    actions.append(b);
  }
  box.append(actions);
  if (d.fields.length) {
    const dl = el("dl");
    for (const [k, v] of d.fields) dl.append(el("dt", k), el("dd", v));
    box.append(dl);
  }
  const chain = (title, list) => {
    if (!list.length) return;
    box.append(el("h3", title));
    const ul = el("ul", null, { class: "links" });
    for (const o of list) ul.append(nodeLink(o));
    box.append(ul);
  };
  chain("Builds on", d.builds_on);
  chain("Built on by", d.built_on_by);
  if (d.links.length) {
    box.append(el("h3", `Links and their evidence (${d.total_links})`));
    const ul = el("ul", null, { class: "links", id: "evidence" });
    for (const l of d.links) {
      const li = nodeLink(l.node, `${l.relation}${l.programme ? " (programme)" : ""}${l.rating ? ", rating " + l.rating : ""}: `);
      if (l.text) li.append(el("blockquote", l.text, { class: "evidence" }));
      ul.append(li);
    }
    box.append(ul);
    if (d.total_links > d.links.length) box.append(el("p", `… and ${d.total_links - d.links.length} more links.`, { class: "help" }));
  }
  detailsShown = key;
  hg.detailsReady = true;
}

function nodeLink(node, prefix) {
  const li = el("li");
  if (prefix) li.append(document.createTextNode(prefix));
  const b = el("button", node.label, { type: "button", class: "linklike", "data-node": node.id });
  b.addEventListener("click", () => {
    if (graph && graph.hasNode(node.id)) selectNode(node.id, true);
    else setState({ focus: node.id, node: node.id, trace: undefined, expand: undefined }, true);
  });
  li.append(b);
  if (node.href) li.append(document.createTextNode(" "), el("a", "page", { href: node.href }));
  return li;
}

// ------------------------------------------------------------------ loading views

let loadSeq = 0;

const FIELD_NAMES = { year_from: "year", focus: "focus", trace: "trace", expand: "open communities", colour: "colour", depth: "steps out" };

// JSON the server put in the page (the first view and the filter options, when the network was ready):
// read once, then every view is fetched.
function inlined(id) {
  const e = document.getElementById(id);
  if (!e) return null;
  e.remove();
  try { return JSON.parse(e.textContent); } catch (err) { return null; }
}

async function loadView(first) {
  const seq = ++loadSeq;
  hg.ready = false;
  const t0 = performance.now();
  performance.clearMarks();
  mark("load");
  const problems = [];
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      const view = (attempt === 0 && first) ||
        await getJSON("/explore/api/view?" + query(hg.state, STATE_KEYS.filter((k) => k !== "node" && k !== "colour")));
      if (seq !== loadSeq) return;
      hg.fetchMs = performance.now() - t0;
      mark("fetched");
      hg.view = view;
      draw(view);
      hg.lastLoadMs = performance.now() - t0;
      const known = hg.state.node && (!hg.state.node.startsWith("c:") || view.nodes.some((n) => n.id === hg.state.node));
      if (hg.state.node && !known) { delete hg.state.node; writeState(false); }
      await showDetails();
      return;
    } catch (e) {
      if (seq !== loadSeq) return;
      hg.errors.push(e.message);
      if (reloadWhenBuilt(e)) { hg.ready = true; return; }
      if (e.status !== 400) {
        $("status").textContent = "The network could not be loaded: " + e.message;
        hg.ready = true;
        return;
      }
      // Say what was wrong, drop that part of the state, and show what can be shown.
      const field = e.field === "node" ? "focus" : e.field;
      if (field === "year_from" || field === "year_to") { delete hg.state.year_from; delete hg.state.year_to; }
      else if (field === "focus" || field === "trace" || field === "depth") { delete hg.state.focus; delete hg.state.trace; delete hg.state.depth; }
      else if (field && field in hg.state) delete hg.state[field];
      else for (const k of ["focus", "trace", "expand"]) delete hg.state[k];
      problems.push(`${e.message} (the ${FIELD_NAMES[field] || field || "view"} setting was dropped)`);
      showMessage((hg.serverMessage ? hg.serverMessage + " " : "") + "This view cannot be shown as asked: " + problems.join("; ") + ".");
      writeState(false);
      syncControls();
    }
  }
}

function setState(changes, push) {
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === null || v === "") delete hg.state[k];
    else hg.state[k] = String(v);
  }
  showMessage("");
  // The view is asked for first; the address and the controls are brought up to date while it is on its
  // way (history.pushState took ~20 ms a change in Chromium, load 9: time the picture need not wait for).
  const loaded = loadView();
  writeState(push);
  syncControls();
  return loaded;
}

function setExpand(community, open) {
  const list = (hg.state.expand || "").split(",").filter(Boolean).map(Number).filter((c) => c !== community);
  if (open) list.push(community);
  return setState({ expand: list.join(","), focus: undefined, trace: undefined, node: undefined }, true);
}

// ------------------------------------------------------------------ search

let suggestions = new Map();
let searchTimer = null;

async function suggest(q) {
  if (!q.trim()) return [];
  const list = await getJSON(`/explore/api/search?${facetQuery(hg.state)}&q=${encodeURIComponent(q)}&limit=10`);
  const dl = $("suggestions");
  dl.replaceChildren();
  suggestions = new Map();
  for (const n of list) {
    suggestions.set(n.label, n);
    dl.append(el("option", `${(KINDS[n.kind] || KINDS.actor)[1]}`, { value: n.label }));
  }
  hg.suggestions = list.map((n) => n.label);
  return list;
}

async function go() {
  const q = $("search").value.trim();
  if (!q) return;
  let n = suggestions.get(q);
  if (!n) {
    try {
      const list = await suggest(q);
      n = list[0];
    } catch (e) { showMessage(e.message); return; }
  }
  if (!n) { showMessage(`Nothing in this selection matches “${q}”.`); return; }
  await setState({ focus: n.id, node: n.id, trace: undefined, expand: undefined }, true);
}

// ------------------------------------------------------------------ downloads

function save(name, type, content) {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const a = el("a", null, { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

const xml = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function svgText() {
  const W = 1400, H = 900, pad = 40, legendW = 260;
  const xs = [], ys = [];
  graph.forEachNode((id, a) => { xs.push(a.x); ys.push(a.y); });
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const scale = Math.min((W - legendW - 2 * pad) / Math.max(x1 - x0, 1e-9), (H - 2 * pad) / Math.max(y1 - y0, 1e-9));
  const px = (x) => pad + (x - x0) * scale, py = (y) => H - pad - (y - y0) * scale; // sigma's y points up
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`, `<g id="links">`];
  graph.forEachEdge((e, a, s, t) => {
    const [as, at] = [graph.getNodeAttributes(s), graph.getNodeAttributes(t)];
    out.push(`<line x1="${px(as.x).toFixed(1)}" y1="${py(as.y).toFixed(1)}" x2="${px(at.x).toFixed(1)}" y2="${py(at.y).toFixed(1)}" stroke="${xml(a.color)}" stroke-width="${(a.size || 1).toFixed(2)}"/>`);
  });
  out.push(`</g><g id="nodes">`);
  graph.forEachNode((id, a) => {
    out.push(`<circle cx="${px(a.x).toFixed(1)}" cy="${py(a.y).toFixed(1)}" r="${(a.size * 0.8).toFixed(1)}" fill="${xml(a.color)}" stroke="#ffffff" stroke-width="0.8"><title>${xml(a.label)}</title></circle>`);
  });
  out.push(`</g><g id="labels" font-size="11" fill="#1b2631">`);
  const labelled = new Set(hg.labelled);
  graph.forEachNode((id, a) => {
    if (labelled.has(id)) out.push(`<text x="${(px(a.x) + a.size * 0.8 + 2).toFixed(1)}" y="${(py(a.y) + 4).toFixed(1)}">${xml(a.label)}</text>`);
  });
  out.push(`</g><g id="legend" font-size="12" fill="#1b2631"><text x="${W - legendW + 10}" y="${pad}" font-weight="bold">Legend</text>`);
  let y = pad + 20;
  for (const li of $("legend-items").children) {
    const sw = li.querySelector(".sw");
    const colour = sw.style.background || sw.style.borderColor || "#999";
    out.push(`<circle cx="${W - legendW + 16}" cy="${y - 4}" r="5" fill="${xml(colour)}" stroke="#999" stroke-width="0.5"/><text x="${W - legendW + 28}" y="${y}">${xml(li.textContent)}</text>`);
    y += 17;
  }
  out.push(`<text x="${W - legendW + 10}" y="${y + 10}" font-size="11">${xml($("status").textContent.slice(0, 60))}</text>`);
  out.push(`</g></svg>`);
  return out.join("\n");
}

function downloadPNG() {
  const svg = svgText();
  const img = new Image();
  img.onload = () => {
    const c = document.createElement("canvas");
    c.width = img.width * 2;
    c.height = img.height * 2;
    const ctx = c.getContext("2d");
    ctx.scale(2, 2);
    ctx.drawImage(img, 0, 0);
    c.toBlob((b) => save("network.png", "image/png", b), "image/png");
  };
  img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
}

function csvCell(v) {
  let s = v === undefined || v === null ? "" : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s; // a spreadsheet must not read a cell as a formula
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvText() {
  const rows = [["id", "label", "kind", "community", "country", "pagerank", "degree", "members", "links_in_view", "page",
    "confidential"]];
  for (const n of hg.view.nodes) {
    rows.push([n.id, n.label, n.kind, n.community, n.country, n.pagerank, n.degree, n.size,
      graph.hasNode(n.id) ? graph.degree(n.id) : 0, n.href ? location.origin + n.href : "", n.confidential ? "yes" : ""]);
  }
  return rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

function gexfText() {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<gexf xmlns="http://gexf.net/1.3" version="1.3">',
    '<meta><creator>harvestgraph /explore</creator><description>' + xml(location.href) + "</description></meta>",
    '<graph defaultedgetype="undirected" mode="static">',
    '<attributes class="node"><attribute id="kind" title="kind" type="string"/><attribute id="community" title="community" type="integer"/>' +
    '<attribute id="country" title="country" type="string"/><attribute id="pagerank" title="pagerank" type="double"/><attribute id="members" title="members" type="integer"/></attributes>',
    '<attributes class="edge"><attribute id="relation" title="relation" type="string"/></attributes>', "<nodes>"];
  for (const n of hg.view.nodes) {
    out.push(`<node id="${xml(n.id)}" label="${xml(n.label)}"><attvalues><attvalue for="kind" value="${xml(n.kind)}"/>` +
      `<attvalue for="community" value="${n.community}"/><attvalue for="country" value="${xml(n.country)}"/>` +
      `<attvalue for="pagerank" value="${n.pagerank}"/><attvalue for="members" value="${n.size}"/></attvalues></node>`);
  }
  out.push("</nodes><edges>");
  let i = 0;
  graph.forEachEdge((e, a, s, t) => {
    out.push(`<edge id="${i++}" source="${xml(s)}" target="${xml(t)}" weight="${a.weight || 1}"><attvalues><attvalue for="relation" value="${xml(a.relation)}"/></attvalues></edge>`);
  });
  out.push("</edges></graph></gexf>");
  return out.join("\n");
}

// ------------------------------------------------------------------ wiring

function facetChanged() {
  const changes = {};
  for (const f of FACETS) changes[f] = document.querySelector(`select[data-facet="${f}"]`).value;
  for (const n of ["year_from", "year_to"]) changes[n] = document.querySelector(`input[name="${n}"]`).value.trim();
  changes.expand = undefined;
  return setState(changes, true);
}

function wire() {
  for (const sel of document.querySelectorAll("select[data-facet]")) sel.addEventListener("change", facetChanged);
  for (const n of ["year_from", "year_to"]) document.querySelector(`input[name="${n}"]`).addEventListener("change", facetChanged);
  $("clear-filters").addEventListener("click", () => {
    const changes = { expand: undefined };
    for (const k of [...FACETS, "year_from", "year_to"]) changes[k] = undefined;
    setState(changes, true);
  });
  $("colour").addEventListener("change", () => {
    hg.state.colour = $("colour").value === "kind" ? undefined : $("colour").value;
    if (!hg.state.colour) delete hg.state.colour;
    writeState(true);
    if (hg.view) draw(hg.view);
  });
  $("depth").addEventListener("change", () => {
    if (hg.state.focus) setState({ depth: $("depth").value === "1" ? undefined : $("depth").value }, true);
    else { hg.state.depth = $("depth").value; if (hg.state.depth === "1") delete hg.state.depth; writeState(false); }
  });
  $("focus").addEventListener("click", () => {
    if (hg.state.node) setState({ focus: hg.state.node, trace: undefined, expand: undefined, depth: $("depth").value === "1" ? undefined : $("depth").value }, true);
  });
  $("trace").addEventListener("click", () => {
    if (hg.state.node) setState({ trace: hg.state.node, focus: undefined, expand: undefined }, true);
  });
  $("reset").addEventListener("click", () => setState({ focus: undefined, trace: undefined, expand: undefined, node: undefined }, true));
  $("go").addEventListener("click", go);
  $("controls").addEventListener("submit", (e) => { e.preventDefault(); go(); });
  $("search").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); go(); } });
  $("search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    const q = $("search").value;
    if (suggestions.has(q)) return; // picked from the list
    searchTimer = setTimeout(() => suggest(q).catch((e) => showMessage(e.message)), 120);
  });
  $("dl-svg").addEventListener("click", () => save("network.svg", "image/svg+xml", svgText()));
  $("dl-png").addEventListener("click", downloadPNG);
  $("dl-csv").addEventListener("click", () => save("network-nodes.csv", "text/csv", csvText()));
  $("dl-gexf").addEventListener("click", () => save("network.gexf", "application/gexf+xml", gexfText()));
  window.addEventListener("popstate", () => { hg.state = readState(); syncControls(); loadView(); });
}

hg.expand = (community) => setExpand(community, true);

async function start() {
  hg.state = readState();
  hg.serverMessage = $("message").hidden ? "" : $("message").textContent;
  wire();
  syncControls();
  const given = inlined("first-facets");
  const facets = (given ? Promise.resolve(given) : getJSON("/explore/api/facets"))
    .then(fillFacets).then(syncControls).catch((e) => reloadWhenBuilt(e) || showMessage(e.message));
  const first = loadView(inlined("first-view"));
  // The renderer (WebGL programs: the slowest part of a first visit in software GL) is built while the
  // first view is on its way, not after it arrived.
  if (!renderer) makeRenderer(new Graph());
  await first;
  await facets;
  hg.started = true;
}

start();
