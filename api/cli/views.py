"""CLI commands to look at who contributed to what: ``view`` (interactive network HTML), ``report``
(printable contribution report) and ``export contributions|actors|outcomes|network|graph``.

Every command takes the same filters (see :class:`harvestgraph.network.analyse.Filters`) and reads public data
only unless ``--include-confidential`` is given.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

console = Console(stderr=True)

StoreOpt = typer.Option(None, "--store", "-s", help="Store folder or SPARQL endpoint URL. Default: $HARVESTGRAPH_STORE or data/store.")
ConfOpt = typer.Option(False, "--include-confidential", help="Include fragments flagged CONFIDENTIAL (default: public data only).")
CountryOpt = typer.Option(None, "--country", help="Only outcomes in this country (ISO code or name).")
YearFromOpt = typer.Option(None, "--year-from", help="First year, inclusive.")
YearToOpt = typer.Option(None, "--year-to", help="Last year, inclusive.")
ObjectiveOpt = typer.Option(None, "--objective", help="Only outcomes linked to this objective (code such as CIV, or label).")
TypeOpt = typer.Option(None, "--type", help="Only outcomes with this type of change, e.g. 'Policy change'.")
HarvestOpt = typer.Option(None, "--harvest", help="Only this harvest period, e.g. 'harvest 3'.")
ProgrammeOpt = typer.Option(None, "--programme", help="Only this programme's outcomes (code, e.g. SCC).")
ProgOnlyOpt = typer.Option(None, "--programme-only/--other-actors",
                           help="Only the programme's contributions, or only other actors' (default: both).")
MinRatingOpt = typer.Option(None, "--min-rating", help="Minimum contribution rating: 1-3 or small/partial/moderate/medium/large.")


def make_filters(country, year_from, year_to, objective, type_, harvest, programme, programme_only, min_rating):
    from harvestgraph.network.analyse import Filters

    return Filters(country=country, year_from=year_from, year_to=year_to, objective=objective, type=type_,
                   harvest=harvest, programme=programme, programme_only=programme_only, min_rating=min_rating)


def _analysis(store, include_confidential, filters):
    from harvestgraph.network.analyse import analyse
    from harvestgraph.api.cli import store_from

    st = store_from(store, read_only=True)
    return st, analyse(st, filters, graphs=st.visible_graphs(confidential=include_confidential))


def view(output: Path = typer.Option(..., "--output", "-o", help="HTML file to write (opens with no network access)."),
         link_base: str = typer.Option("", "--link-base", help="Where the harvestgraph API runs, for node links, "
                                       "e.g. http://127.0.0.1:8000 (default: links relative to the page's site)."),
         size_by: str = typer.Option("pagerank", "--size-by", help="Node size: pagerank | weighted_degree | betweenness | degree"),
         store: Optional[str] = StoreOpt, include_confidential: bool = ConfOpt,
         country: Optional[str] = CountryOpt, year_from: Optional[int] = YearFromOpt, year_to: Optional[int] = YearToOpt,
         objective: Optional[str] = ObjectiveOpt, type_: Optional[str] = TypeOpt, harvest: Optional[str] = HarvestOpt,
         programme: Optional[str] = ProgrammeOpt, programme_only: Optional[bool] = ProgOnlyOpt,
         min_rating: Optional[str] = MinRatingOpt) -> None:
    """Write the contribution network as ONE self-contained interactive HTML file."""
    from harvestgraph.errors import HarvestError
    from harvestgraph.network.view import write_view

    if size_by not in ("pagerank", "weighted_degree", "betweenness", "degree"):
        raise HarvestError(f"unknown measure {size_by!r}", field="--size-by")
    f = make_filters(country, year_from, year_to, objective, type_, harvest, programme, programme_only, min_rating)
    _, a = _analysis(store, include_confidential, f)
    write_view(a, output, link_base=link_base, size_by=size_by)
    console.print(f"wrote {output}: {a.graph.number_of_nodes()} nodes, {a.graph.number_of_edges()} links", highlight=False)


def report(output: Path = typer.Option(..., "--output", "-o", help="HTML file to write (printable)."),
           store: Optional[str] = StoreOpt, include_confidential: bool = ConfOpt,
           country: Optional[str] = CountryOpt, year_from: Optional[int] = YearFromOpt, year_to: Optional[int] = YearToOpt,
           objective: Optional[str] = ObjectiveOpt, type_: Optional[str] = TypeOpt, harvest: Optional[str] = HarvestOpt,
           programme: Optional[str] = ProgrammeOpt, programme_only: Optional[bool] = ProgOnlyOpt,
           min_rating: Optional[str] = MinRatingOpt) -> None:
    """Write a one-page contribution report (headline counts, significance × contribution, who contributed per
    programme, top contributors, charts)."""
    from harvestgraph.outputs.report import render_report

    f = make_filters(country, year_from, year_to, objective, type_, harvest, programme, programme_only, min_rating)
    _, a = _analysis(store, include_confidential, f)
    output.write_text(render_report(a), encoding="utf-8")
    console.print(f"wrote {output}: {len(a.data.outcomes)} outcomes", highlight=False)


def _export_command(kind: str):
    from harvestgraph.outputs.formats import KINDS, TABLE_NAMES  # names only: export itself loads when the command runs

    def command(fmt: Optional[str] = typer.Option(None, "--format", "-f", help=" | ".join(KINDS[kind]) + f" (default {KINDS[kind][0]})"),
                output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default: stdout)."),
                table: Optional[str] = typer.Option(None, "--table", help="One table for csv/json: " + ", ".join(TABLE_NAMES)),
                store: Optional[str] = StoreOpt, include_confidential: bool = ConfOpt,
                country: Optional[str] = CountryOpt, year_from: Optional[int] = YearFromOpt,
                year_to: Optional[int] = YearToOpt, objective: Optional[str] = ObjectiveOpt,
                type_: Optional[str] = TypeOpt, harvest: Optional[str] = HarvestOpt,
                programme: Optional[str] = ProgrammeOpt, programme_only: Optional[bool] = ProgOnlyOpt,
                min_rating: Optional[str] = MinRatingOpt) -> None:
        from harvestgraph.api.cli import store_from
        from harvestgraph.errors import HarvestError
        from harvestgraph.outputs.export import export

        f = make_filters(country, year_from, year_to, objective, type_, harvest, programme, programme_only, min_rating)
        st = store_from(store, read_only=True)
        out = export(st, kind, fmt, filters=f, graphs=st.visible_graphs(confidential=include_confidential), table=table)
        if output:
            output.write_bytes(out.content)
            console.print(f"wrote {output} ({len(out.content)} bytes)", highlight=False)
        elif out.media_type.startswith(("text/", "application/json", "application/ld+json", "application/graphml",
                                        "application/gexf")):
            sys.stdout.buffer.write(out.content)
        else:
            raise HarvestError(f"{fmt} is a binary format: pass --output FILE", field="--output")

    command.__doc__ = {
        "contributions": "The contribution analysis: contributions table (CSV/JSON); XLSX with contributions, "
                         "actors, significance × contribution and type of change × objective sheets.",
        "actors": "Per-actor summary: outcomes changed in, contributions, co-contributors, centrality measures.",
        "outcomes": "The filtered outcomes with country, year, ratings, objectives and types of change.",
        "network": "The contribution network: GraphML, GEXF (Gephi), Kumu JSON or Kumu XLSX.",
        "graph": "The RDF of the filtered outcomes' fragment graphs: Turtle or JSON-LD.",
    }[kind]
    return command


def register(app: typer.Typer, export_app: typer.Typer) -> None:
    app.command("view")(view)
    app.command("report")(report)
    for kind in ("contributions", "actors", "outcomes", "network", "graph"):
        export_app.command(kind)(_export_command(kind))
