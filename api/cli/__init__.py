"""The ``harvestgraph`` command line: ingest, query, validate, stats, export, and the commands that
other modules register (actors, serve, view, users, ...).

Errors are one clear line naming file, line and field; never a traceback.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Optional

import click
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from harvestgraph import config, queries

from harvestgraph.outputs import results
from harvestgraph.errors import BatchError, HarvestError
from harvestgraph.store import GraphStore, open_store

app = typer.Typer(help="harvestgraph: a knowledge graph of actors, outcomes and contributions from Outcome Harvesting records.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
export_app = typer.Typer(help="Write data out of the graph (fragments, contributions, networks, ...).", no_args_is_help=True)
app.add_typer(export_app, name="export")

console = Console()
err = Console(stderr=True)

StoreOpt = typer.Option(None, "--store", "-s", help="Store folder (embedded Oxigraph) or http(s) URL of a SPARQL 1.1 endpoint. "
                        "Default: $HARVESTGRAPH_STORE or data/store.")
ConfOpt = typer.Option(False, "--include-confidential", help="Include fragments flagged CONFIDENTIAL (default: public data only).")


def store_from(location: Optional[str], *, read_only: bool = False) -> GraphStore:
    return open_store(location or config.default_store(), read_only=read_only)


def _progress() -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True, disable=not err.is_terminal)


# --------------------------------------------------------------------------- ingest


# the learnt span model as a last finder, for ingest, watch and eval (and, through the environment, their workers)
LearntOpt = typer.Option(None, "--learnt-spans/--no-learnt-spans", show_default=False,
                         help="Read actor names with the learnt span model too (trained on the labelled sets; on by "
                         "default: a little more recall on new text for ~1 ms a fragment). --no-learnt-spans, or "
                         "$HARVESTGRAPH_LEARNT_SPANS=0, leaves it out.")


def use_learnt_spans(on: bool | None) -> None:
    """The user's choice, in the environment (what forked workers read); ``None``: the environment decides."""
    if on is not None:
        os.environ["HARVESTGRAPH_LEARNT_SPANS"] = "1" if on else "0"


@app.command()
def ingest(paths: list[Path] = typer.Argument(..., help="Files or folders: .md/.txt, .csv, .xlsx, .docx (folders are walked recursively; hidden entries and README files in them are skipped)"),
           store: Optional[str] = StoreOpt,
           registry: Optional[Path] = typer.Option(None, "--registry", "-r", help="Actor registry (YAML or CSV). "
                                                   "Default: $HARVESTGRAPH_REGISTRY, ./actors.yaml or examples/actors.yaml."),
           show_warnings: bool = typer.Option(True, "--warnings/--no-warnings", help="List the warnings (fuzzy field names, unreadable values, ...)."),
           learnt_spans: Optional[bool] = LearntOpt,
           ) -> None:
    """Read fragments and store them, as one atomic batch: all of it or nothing."""
    from harvestgraph.ingest import ingest as run

    use_learnt_spans(learnt_spans)
    resolver = config.make_resolver(registry or config.default_registry())
    st = store_from(store)
    with _progress() as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        report = run(paths, st, resolver, progress)
    if show_warnings:
        print_warnings(report.warnings)
    console.print(f"[green]ingested[/] {report.fragments} fragments from {report.files} files into {st.location}: "
                  f"{report.added} added, {report.replaced} replaced, {report.unchanged} unchanged"
                  f"{f' ({report.moved} of them read from another file or line: provenance updated)' if report.moved else ''} "
                  f"({report.quads_written} quads written; {report.confidential} confidential; "
                  f"{len(report.warnings)} warnings)", highlight=False)
    st.close()


def print_warnings(warnings) -> None:
    for w in warnings:
        err.print(f"[yellow]warning:[/] {w}", highlight=False, soft_wrap=True)


def print_watch_event(event, show_warnings: bool = True) -> None:
    """One line per look that found something (a ``harvestgraph watch`` or ``serve --watch`` event), then
    every problem of a file that was not ingested, with its file, line and field."""
    import time as _time

    stamp = _time.strftime("%H:%M:%S", _time.localtime(event.at))
    console.print(f"[dim]{stamp}[/] {event.summary()}", highlight=False, soft_wrap=True)
    for problems in event.failed.values():
        for p in problems:
            err.print(f"[red]error:[/] {p}", highlight=False, soft_wrap=True)
    if show_warnings and event.report is not None:
        print_warnings(event.report.warnings)


@app.command()
def watch(paths: list[Path] = typer.Argument(..., help="Files or folders to watch (as for ingest)"),
          store: Optional[str] = StoreOpt,
          registry: Optional[Path] = typer.Option(None, "--registry", "-r", help="Actor registry (YAML or CSV); "
                                                  "watched too: when it changes, everything is ingested again. "
                                                  "Default: $HARVESTGRAPH_REGISTRY, ./actors.yaml or examples/actors.yaml."),
          interval: float = typer.Option(1.0, "--interval", min=0.1, help="Seconds between two looks at the files."),
          show_warnings: bool = typer.Option(True, "--warnings/--no-warnings", help="List the warnings."),
          learnt_spans: Optional[bool] = LearntOpt,
          ) -> None:
    """Ingest the files now, then again each time one changes, until Ctrl-C: the language model stays
    loaded, so a saved edit is in the store seconds later. Each change is an atomic batch; a file with an
    error is reported (file, line, field) and tried again when it changes. Files that disappear are
    reported, not unstored (`harvestgraph remove` does that)."""
    from harvestgraph.ingest.watch import Watcher

    use_learnt_spans(learnt_spans)
    st = store_from(store)
    reg = registry or config.default_registry()
    w = Watcher(paths, st, config.make_resolver, reg, interval=interval,
                on_event=lambda e: print_watch_event(e, show_warnings))
    err.print(f"watching {', '.join(map(str, paths))} → {st.location} every {interval:g} s "
              f"(registry: {reg or 'none'}); Ctrl-C stops", highlight=False)

    def stop(signum, frame) -> None:
        # Ctrl-C (or SIGTERM) ends the watch after the ingest under way (atomic either way), instead of
        # interrupting whatever the process is doing; a second Ctrl-C interrupts at once.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.write(2, b"stopping after the current look (Ctrl-C again to interrupt it)\n")  # (no lock taken)
        w.request_stop()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        w.run()
    except KeyboardInterrupt:
        pass
    finally:
        w.close()
        st.close()


@app.command()
def remove(fragment_ids: list[str] = typer.Argument(..., help="FragmentIDs to remove, e.g. SCC-KEN2508/CIV008"),
           store: Optional[str] = StoreOpt) -> None:
    """Remove fragments (a withdrawn outcome statement): their graphs go in one transaction."""
    from harvestgraph.vocab import fragment_graph

    st = store_from(store)
    present = st.fragment_graphs()
    graphs = [str(fragment_graph(fid)) for fid in fragment_ids]
    missing = [fid for fid, g in zip(fragment_ids, graphs) if g not in present]
    if missing:
        raise HarvestError(f"not in the store: {', '.join(missing)}; nothing was removed", file=st.location,
                           field="FragmentID")
    st.write(graphs, [])
    console.print(f"removed {len(graphs)} fragment(s) from {st.location}")
    st.close()


# --------------------------------------------------------------------------- query


def print_table(cols: list[str], rows: list[list[Optional[str]]], title: Optional[str] = None, limit: int = 0) -> None:
    """A terminal table. An IRI column beside its label (``<col>Label``, or the first column when there is a
    ``name``/``label`` column) is left out: in 80 columns the IRIs folded into slivers that hid the labels.
    ``--format csv|json`` keep every column."""
    def labelled(i: int, c: str) -> bool:
        has_label = f"{c}Label" in cols or (i == 0 and ("name" in cols or "label" in cols))
        return has_label and all(not v or str(v).startswith(("http://", "https://")) for v in (r[i] for r in rows))

    shown = [i for i, c in enumerate(cols) if not labelled(i, c)] or list(range(len(cols)))
    t = Table(title=title, show_lines=False, header_style="bold")
    for i in shown:
        t.add_column(cols[i], overflow="fold")
    for r in rows[: limit or None]:
        t.add_row(*[results.short(r[i]) or "" for i in shown])
    console.print(t)
    if limit and len(rows) > limit:
        console.print(f"… {len(rows) - limit} more rows")


def _parse_params(params: list[str]) -> dict[str, str]:
    out = {}
    for p in params:
        if "=" not in p:
            raise HarvestError(f"--param needs NAME=VALUE, got {p!r}", field="--param")
        k, v = p.split("=", 1)
        out[k.strip()] = v
    return out


@app.command()
def query(name: Optional[str] = typer.Argument(None, help="A named query (see --list) or a .rq file"),
          param: list[str] = typer.Option([], "--param", "-p", help="NAME=VALUE, repeatable; bound as typed RDF terms"),
          fmt: str = typer.Option("table", "--format", "-f", help="table | csv | json"),
          list_: bool = typer.Option(False, "--list", "-l", help="List the named queries with their descriptions."),
          store: Optional[str] = StoreOpt, include_confidential: bool = ConfOpt) -> None:
    """Run a named SPARQL query (or a .rq file) with safely bound parameters."""
    if list_ or not name:
        t = Table(show_lines=True, header_style="bold")
        for c in ("name", "title and description", "parameters"):
            t.add_column(c, overflow="fold")
        for q in queries.library().values():
            ps = "\n".join(f"{p.name} ({p.type}{', default ' + p.default if p.default else ''}): {p.doc}" for p in q.params)
            t.add_row(q.name, f"[bold]{q.title}[/]\n{q.description}", ps or "-")
        console.print(t)
        return
    if fmt not in ("table", "csv", "json"):
        raise HarvestError(f"unknown format {fmt!r}: use table, csv or json", field="--format")
    q = queries.get(name)
    text = queries.bind(q, _parse_params(param))
    st = store_from(store, read_only=True)
    graphs = st.visible_graphs(confidential=include_confidential)
    cols, rows = results.table(st.query(text, graphs=graphs))
    if fmt == "csv":
        sys.stdout.write(results.to_csv(cols, rows))
    elif fmt == "json":
        sys.stdout.write(results.to_json(cols, rows) + "\n")
    else:
        print_table(cols, rows, title=q.title)


# --------------------------------------------------------------------------- validate and stats


@app.command()
def validate(paths: list[Path] = typer.Argument(None, help="Validate these input files (mapped, not stored) instead of the store"),
             store: Optional[str] = StoreOpt,
             registry: Optional[Path] = typer.Option(None, "--registry", "-r", help="Actor registry for mapping input files"),
             reason: bool = typer.Option(False, "--reason", help="Also check OWL consistency with owlready2 (needs Java)."),
             max_shown: int = typer.Option(50, "--max", help="Show at most this many violations.")) -> None:
    """Check the graph against the SHACL shapes (and, with --reason, OWL consistency)."""
    import rdflib

    from harvestgraph.checks.validate import fragment_data, validate as shacl

    if paths:
        from harvestgraph.ingest import prepare, read_batch

        raws, _ = read_batch(paths)
        mapped, _ = prepare(raws, config.make_resolver(registry or config.default_registry()))
        nt = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for m in mapped for q in m.quads)
        data = rdflib.Graph().parse(data=nt, format="nt")
        source = ", ".join(map(str, paths))
    else:
        st = store_from(store, read_only=True)
        data = fragment_data(st)
        source = st.location
    report = shacl(data)
    violations = [v for v in report.results if v.severity == "Violation"]
    warnings = [v for v in report.results if v.severity != "Violation"]
    for v in report.results[:max_shown]:
        colour = "red" if v.severity == "Violation" else "yellow"
        console.print(f"[{colour}]{v.severity}[/] {results.short(v.focus_node)} {results.short(v.path) or ''}: {v.message}",
                      highlight=False, soft_wrap=True)
    console.print(f"{source}: {len(data)} triples, {len(violations)} violations, {len(warnings)} warnings"
                  + (" [green]conforms[/]" if report.conforms else " [red]does not conform[/]"), highlight=False)
    if reason:
        from harvestgraph.checks.reason import check_consistency

        cr = check_consistency([data])
        console.print(("[green]OWL consistent[/]" if cr.consistent else f"[red]OWL inconsistent[/]: {cr.message}"),
                      highlight=False)
        if not cr.consistent:
            raise typer.Exit(1)
    if not report.conforms:
        raise typer.Exit(1)


STATS_QUERY = """
SELECT
  (COUNT(DISTINCT ?f) AS ?fragments) (COUNT(DISTINCT ?o) AS ?outcomes)
  (COUNT(DISTINCT ?actor) AS ?actors) (COUNT(DISTINCT ?c) AS ?contributions)
  (COUNT(DISTINCT ?place) AS ?places) (COUNT(DISTINCT ?country) AS ?countries)
WHERE {
  { ?f a hg:Fragment } UNION { ?o a hg:Outcome }
  UNION { ?o2 hg:changedActor|hg:hasContributor ?actor }
  UNION { ?c a hg:Contribution } UNION { ?o3 dcterms:spatial ?place } UNION { ?o4 hg:country ?country }
}"""


@app.command()
def stats(store: Optional[str] = StoreOpt, include_confidential: bool = ConfOpt) -> None:
    """Counts of what the store holds (public data unless --include-confidential)."""
    from harvestgraph.vocab import SPARQL_PREFIXES

    st = store_from(store, read_only=True)
    cols, rows = results.table(st.query(SPARQL_PREFIXES + STATS_QUERY,
                                        graphs=st.visible_graphs(confidential=include_confidential)))
    t = Table(title=f"harvestgraph store {st.location}" + ("" if include_confidential else " (public data)"))
    t.add_column("what")
    t.add_column("count", justify="right")
    for c, v in zip(cols, rows[0]):
        t.add_row(c, v or "0")
    console.print(t)


# --------------------------------------------------------------------------- export fragments (round trip)


@export_app.command("fragments")
def export_fragments(fmt: str = typer.Option("md", "--format", "-f", help="md (the **Field**: value text format) | csv"),
                     output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default: stdout)"),
                     store: Optional[str] = StoreOpt, include_confidential: bool = ConfOpt) -> None:
    """Write the fragments back out, every field as written, in the text format or CSV."""
    from harvestgraph.outputs import roundtrip

    if fmt not in ("md", "csv"):
        raise HarvestError(f"unknown format {fmt!r}: use md or csv", field="--format")
    st = store_from(store, read_only=True)
    frags = roundtrip.fragments(st, st.visible_graphs(confidential=include_confidential))
    text = roundtrip.to_text(frags) if fmt == "md" else roundtrip.to_csv(frags)
    if output:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {len(frags)} fragments to {output}")
    else:
        sys.stdout.write(text)


# --------------------------------------------------------------------------- commands of other modules

def _register_plugins() -> None:
    import importlib

    for mod in ("actors", "serve", "views", "users"):
        try:
            module = importlib.import_module(f"harvestgraph.api.cli.{mod}")
        except ModuleNotFoundError as exc:
            if exc.name != f"harvestgraph.api.cli.{mod}":
                raise
            continue
        module.register(app, export_app)


_register_plugins()


def main() -> None:
    try:
        rv = app(standalone_mode=False)
    except BatchError as exc:
        for p in exc.problems:
            err.print(f"[red]error:[/] {p}", highlight=False, soft_wrap=True)
        err.print(f"[red]nothing was written[/] ({len(exc.problems)} problem(s))")
        sys.exit(1)
    except HarvestError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except click.exceptions.Abort:
        err.print("aborted")
        sys.exit(130)
    except click.exceptions.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    if isinstance(rv, int):
        sys.exit(rv)


if __name__ == "__main__":
    main()
