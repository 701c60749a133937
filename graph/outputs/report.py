"""A one-page, printable contribution report (HTML with print CSS and inline SVG charts).

No external asset, no script: the charts are SVG strings generated here, every label escaped. The page
is what an evaluator hands round at a sense-making workshop: headline counts, the significance ×
contribution matrix, the top contributors and where the outcomes are.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from ..network import analyse as an
from .. import concepts
from ..vocab import SCHEME_ACTOR_KIND
from .export import communities_table, matrix_table

TOP = 12


def bar_chart(items: list[tuple[str, float]], *, title: str, colour: str = "#2e86c1", width: int = 520) -> str:
    """A horizontal bar chart as an inline SVG string (labels escaped; no script, no external font)."""
    bar, gap, label_w = 18, 6, 225
    height = 28 + len(items) * (bar + gap)
    top = max((v for _, v in items), default=0) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" aria-label="{html.escape(title)}">',
             f'<text x="0" y="16" font-size="13" font-weight="bold">{html.escape(title)}</text>']
    for i, (label, value) in enumerate(items):
        y = 26 + i * (bar + gap)
        w = (width - label_w - 50) * value / top
        short = label if len(label) <= 29 else label[:28] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 13}" font-size="12" text-anchor="end">'
                     f'<title>{html.escape(label)}</title>{html.escape(short)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 13}" font-size="12">{value:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def html_table(table: tuple, *, caption: str, titles: dict[str, str] | None = None) -> str:
    """A table with escaped cells; numbers right-aligned. ``titles``: a column's title as the page says it,
    where the exported file's column name (``top_actor``) is not words."""
    cols, rows = table
    head = "".join(f"<th>{html.escape(str((titles or {}).get(c, c)))}</th>" for c in cols)
    body = "".join("<tr>" + "".join(
        f'<td class="n">{v:.4g}</td>' if isinstance(v, float) else
        f'<td class="n">{v}</td>' if isinstance(v, int) else f"<td>{html.escape(str(v))}</td>" for v in r) + "</tr>"
        for r in rows)
    return f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


@dataclass(frozen=True)
class Links:
    """Where the served report's names and counts lead (the site's pages; ``harvestgraph report``'s file has
    none). ``actor``: an actor's page from its IRI. ``outcomes``: the outcome list of the report's selection
    narrowed by the given values (IRIs of a rating, type of change or objective; none for the whole
    selection), or None when the list cannot show exactly the outcomes a count counts (then the count is
    not a link: a link must never lead to a different number)."""

    actor: Callable[[str], str | None]
    outcomes: Callable[..., str | None]
    outcome: Callable[[str], str | None]  # an outcome's page from its FragmentID
    contributed: Callable[[str], str | None]  # the outcomes an actor (IRI) contributed to, in the selection


def kind_label(kind: str | None) -> str:
    """An actor's kind in words, its concept's label ("NGO / CSO", not "ngo"), as the pages say it."""
    concept = concepts.lookup(SCHEME_ACTOR_KIND, kind) if kind else None
    return concept.label if concept else (kind or "")


def _link(text: str, href: str | None) -> str:
    return f'<a href="{html.escape(href, quote=True)}">{text}</a>' if href else text


def matrix_html(a: an.Analysis, matrix: tuple, dims: tuple[Callable, Callable], *, corner: str, caption: str,
                links: Links | None, totals: bool) -> str:
    """A cross-tabulation (rows × columns with totals) whose counts link to the outcomes they count when
    ``links`` says how. ``dims``: an outcome's values (IRIs) for the rows and for the columns, to know the
    value behind each label (a rating's label, "large", is both a significance and a contribution).
    ``totals``: whether a row's or column's total counts distinct outcomes (true when each outcome has at
    most one value per dimension, as ratings; not for types × objectives)."""
    rows, cols, _ = matrix
    by_row, by_col = ({} for _ in dims)
    for m, dim in zip((by_row, by_col), dims):
        for o in a.data.outcomes.values():
            for v in dim(o):
                if v:
                    m.setdefault(a.data.label(v), set()).add(v)

    def cell(n: int, r: str | None, c: str | None) -> str:
        # a label that stands for several values (two programmes' objectives both "GOV: Accountable
        # governance") is one row or column here but no one value of the list's facets: no link
        values = [next(iter(m[x])) if len(m.get(x, ())) == 1 else None for m, x in ((by_row, r), (by_col, c)) if x is not None]
        href = links.outcomes(*values) if links and n and all(values) and (totals or None not in (r, c)) else None
        return f'<td class="n">{_link(str(n), href)}</td>'

    head_row, table = matrix_table(matrix, corner)  # (the rows with their totals, and the totals' row)
    head = "".join(f"<th>{html.escape(str(x))}</th>" for x in head_row)
    body = []
    for i, (label, *counts_of_row) in enumerate(table):
        r = label if i < len(rows) else None
        body.append(f"<tr><th>{html.escape(label)}</th>"
                    + "".join(cell(n, r, c) for n, c in zip(counts_of_row, [*cols, None])) + "</tr>")
    return (f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


CSS = """
body { font: 13px/1.45 system-ui, sans-serif; color: #1b2631; max-width: 1050px; margin: 18px auto; padding: 0 16px; }
h1 { font-size: 22px; margin: 0; } h2 { font-size: 15px; margin: 18px 0 6px; border-bottom: 1px solid #d5d8dc; }
.sub { color: #566573; margin: 2px 0 12px; }
.kpis { display: flex; gap: 12px; flex-wrap: wrap; }
.kpi { border: 1px solid #d5d8dc; border-radius: 6px; padding: 6px 14px; min-width: 110px; }
.kpi b { display: block; font-size: 22px; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 10px 24px; }
table { border-collapse: collapse; margin: 4px 0 10px; } caption { text-align: left; font-weight: bold; padding: 2px 0; }
th, td { border: 1px solid #d5d8dc; padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: #f2f4f4; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
@page { size: A4; margin: 12mm; }
@media print { body { margin: 0; max-width: none; font-size: 11px; } .grid { grid-template-columns: 1fr 1fr; }
  h2 { break-after: avoid; } table, svg { break-inside: avoid; } nav { display: none; } }
nav { margin-bottom: 8px; font-size: 13px; }
p.scope { margin: 0; padding: 6px 14px; font: 13px/1.4 system-ui, sans-serif; color: #566573;
  border-bottom: 1px solid #d5d8dc; }
p.scope.warn { color: inherit; background: #fdebd0; border-bottom-color: #e59866; }
svg { max-width: 100%; height: auto; }
@media screen and (max-width: 700px) { .grid { grid-template-columns: 1fr; } .grid > * { min-width: 0; }
  table { display: block; max-width: 100%; overflow-x: auto;
    /* a table wider than the screen scrolls inside its box: a shadow at the edge that hides columns says so,
       and goes when the reader has scrolled to that edge (covers that move with the content, shadows that
       do not) */
    background: linear-gradient(to right, #fff 30%, rgba(255, 255, 255, 0)),
      linear-gradient(to left, #fff 30%, rgba(255, 255, 255, 0)) 100% 0,
      radial-gradient(farthest-side at 0 50%, rgba(0, 0, 0, .25), rgba(0, 0, 0, 0)),
      radial-gradient(farthest-side at 100% 50%, rgba(0, 0, 0, .25), rgba(0, 0, 0, 0)) 100% 0;
    background-repeat: no-repeat; background-size: 40px 100%, 40px 100%, 14px 100%, 14px 100%;
    background-attachment: local, local, scroll, scroll; }
  /* its caption stays on the screen, wrapped, while the columns scroll under it */
  caption { display: block; position: sticky; left: 0; max-width: calc(100vw - 40px); } }
"""


def headline(a: an.Analysis) -> dict[str, int]:
    data = a.data
    contribs = data.contributions()
    return {"outcomes": len(data.outcomes), "actors": len(a.actors()), "contributions": len(contribs),
            "programme contributions": sum(e.is_programme for e in contribs),
            "other actors' contributions": sum(not e.is_programme for e in contribs),
            "countries": len({o.country for o in data.outcomes.values() if o.country})}


COMMUNITIES_CAPTION = ("Groups of actors and outcomes more linked to each other than to the rest (Louvain community "
                       "detection); the most central actor of each is the one with the highest PageRank")
# The communities table's columns as the report says them (the exported files keep their names).
COMMUNITY_TITLES = {"nodes": "members", "actors": "actors", "outcomes": "outcomes", "top_actor": "most central actor"}


def render_report(a: an.Analysis, *, title: str = "Contribution report", site: str | None = None,
                  links: Links | None = None, scope_html: str = "") -> str:
    """The report page (one self-contained HTML document). ``site``: the query string of the same selection
    when the report is a page of the server (``/report``): it then links back to the site and to the same
    network (not on paper), and ``links`` leads its names and counts to the site's pages; the file
    ``harvestgraph report`` writes has no such links. ``scope_html``: trusted markup from the caller, the
    line at the top saying whose view it is (a ``p.scope``, ``.warn`` for the confidential role's, as the
    network view takes it)."""
    data = a.data
    kpis = "".join(f'<div class="kpi"><b>{v}</b>{html.escape(k)}</div>' for k, v in headline(a).items())
    actors = an.actor_summary(a)
    top = [r for r in actors if r["contributions"]][:TOP]
    top_rows = "".join(
        f'<tr><td>{_link(html.escape(str(r["actor"])), links.actor(r["iri"]) if links else None)}</td>'
        f'<td>{html.escape(kind_label(r["kind"]))}</td><td class="n">{_link(str(r["contributions"]), links.contributed(r["iri"]) if links else None)}</td>'
        f'<td class="n">{r["co_contributors"]}</td><td class="n">{100 * r["pagerank"]:.1f} %</td></tr>' for r in top)
    top_table = ("<table><caption>Actors that contributed to most outcomes. Co-contributors: the other actors that "
                 "contributed to the same outcomes; PageRank: how central the actor is in the contribution network, "
                 "as its share of the whole network's (all actors and outcomes together make 100 %; higher: linked to "
                 "more outcomes and actors, and to better-linked ones)</caption><thead><tr><th>contributor</th>"
                 "<th>kind</th><th>outcomes contributed to</th><th>co-contributors</th><th>PageRank (share)</th></tr>"
                 f"</thead><tbody>{top_rows}</tbody></table>")
    countries = Counter(data.label(o.country) or "(none)" for o in data.outcomes.values())
    types = Counter(data.label(t) for o in data.outcomes.values() for t in o.types)
    years = Counter(str(o.year) if o.year else "(none)" for o in data.outcomes.values())
    charts = [
        bar_chart([(r["actor"], r["contributions"]) for r in top], title="Outcomes contributed to, by contributor",
                  colour="#c0392b"),
        bar_chart(countries.most_common(TOP), title="Outcomes by country"),
        bar_chart(types.most_common(TOP), title="Outcomes by type of change", colour="#17a589"),
        bar_chart(sorted(years.items()), title="Outcomes by year", colour="#f39c12"),
    ]
    chains = an.chains(data)
    chain_html = ("<ul>" + "".join("<li>" + " → ".join(_link(html.escape(i), links.outcome(i) if links else None) for i in c)
                                   + "</li>" for c in chains[:10]) + "</ul>") if chains \
        else "<p>No outcome builds on another in this selection.</p>"
    ratings = matrix_html(a, an.significance_contribution(data), (lambda o: (o.significance,), lambda o: (o.contribution_rating,)),
                          corner="significance \\ contribution", links=links,
                          caption="Outcomes by significance rating (rows) and contribution rating (columns)", totals=True)
    pattern = an.contribution_patterns(data)
    shared = matrix_html(a, an.who_contributed(data, pattern), (lambda o: (o.programme,), lambda o: (pattern[o.iri],)),
                         corner="programme \\ who contributed", links=links, totals=True,
                         caption="Outcomes by programme (rows) and who was found to contribute (columns): the "
                                 "programme alone, the programme and other actors, other actors only, nobody")
    types_objectives = matrix_html(a, an.type_objective(data), (lambda o: o.types, lambda o: o.objectives),
                                   corner="type of change \\ objective", links=links,
                                   caption="Outcomes by type of change and objective", totals=False)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    selection = html.escape("?" + site if site else "", quote=True)
    nav = "" if site is None else (
        '<nav><a href="/" rel="home">← harvestgraph</a> · <a href="/outcomes">outcomes</a> · '
        f'<a href="/network{selection}">this selection as a network</a> · '
        f'<a href="/exports{selection}">this selection as files (Excel, CSV)</a> · '
        '<a href="/explore">explore</a></nav>')
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title>
<style>{CSS}</style></head><body>{scope_html}
{nav}<h1>{html.escape(title)}</h1>
<p class="sub">Filters: {html.escape(data.filters.describe())}. Generated {stamp} by harvestgraph.</p>
<div class="kpis">{kpis}</div>
<div class="grid">
<section><h2>Significance × contribution</h2>{ratings}</section>
<section><h2>Top contributors</h2>{top_table}</section>
</div>
<section><h2>Who contributed</h2>{shared}</section>
<h2>Charts</h2><div class="grid">{"".join(f"<div>{c}</div>" for c in charts)}</div>
<h2>Types of change × objectives</h2>{types_objectives}
<div class="grid"><section><h2>Outcome chains</h2>{chain_html}</section>
<section><h2>Communities</h2>{html_table(communities_table(a), caption=COMMUNITIES_CAPTION, titles=COMMUNITY_TITLES)}</section></div>
</body></html>
"""
