"""CLI commands for the actors: ``actors review`` / ``actors apply`` (the registry feedback loop) and
``eval`` (extraction quality against the gold labels)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from harvestgraph import config
from harvestgraph.actors.labelled import HELD_OUT, HELD_OUT_GROUP, SET_NAMES
from harvestgraph.errors import HarvestError

console = Console()

RegistryOpt = typer.Option(None, "--registry", "-r", help="Actor registry (YAML or CSV). Default: "
                           "$HARVESTGRAPH_REGISTRY, ./actors.yaml or examples/actors.yaml.")


def _registry_path(registry: Optional[Path]) -> Path:
    path = registry or config.default_registry()
    if path is None:
        raise HarvestError("no actor registry: pass --registry FILE (YAML or CSV)", field="--registry")
    return path


def review(output: Path = typer.Option(..., "--output", "-o", help="Sheet to write: .csv or .xlsx"),
           store: Optional[str] = typer.Option(None, "--store", "-s", help="Store folder or SPARQL endpoint URL. "
                                               "Default: $HARVESTGRAPH_STORE or data/store."),
           registry: Optional[Path] = RegistryOpt,
           include_confidential: bool = typer.Option(False, "--include-confidential",
                                                     help="Also list actors found only in CONFIDENTIAL fragments.")) -> None:
    """Write a sheet of the actors found in the text but not in the registry, for a person to decide on.

    Set `action` per row: keep | merge:<canonical name> | ignore | rename:<name> (empty: decide later),
    correct `kind`, then feed it back with `harvestgraph actors apply`."""
    from harvestgraph.actors import Registry, review_rows, write_sheet
    from harvestgraph.api.cli import store_from

    reg = Registry.load(registry or config.default_registry())
    st = store_from(store, read_only=True)
    rows = review_rows(st, st.visible_graphs(confidential=include_confidential), reg)
    write_sheet(rows, output)
    console.print(f"wrote {len(rows)} candidate actors to {output}: set 'action' per row, then run "
                  f"`harvestgraph actors apply {output}`", highlight=False)


def apply(sheet: Path = typer.Argument(..., help="The corrected review sheet (.csv or .xlsx)"),
          registry: Optional[Path] = RegistryOpt) -> None:
    """Write the decisions of a review sheet into the registry; re-ingest to update the graph."""
    from harvestgraph.actors import apply_sheet, ignore_path

    path = _registry_path(registry)
    rep = apply_sheet(sheet, path)
    for a in rep.added:
        console.print(f"[green]added[/] {a[0]} ({a[1]})", highlight=False)
    for canonical, alias in rep.aliases:
        console.print(f"[green]alias[/] {alias!r} → {canonical}", highlight=False)
    for n in rep.ignored:
        console.print(f"[yellow]ignore[/] {n}", highlight=False)
    console.print(f"{path}: {len(rep.added)} actors added, {len(rep.aliases)} aliases added, {len(rep.ignored)} "
                  f"names ignored ({ignore_path(path)}), {rep.skipped} rows without change. "
                  "Re-run `harvestgraph ingest` to update the graph.", highlight=False)


def evaluate(gold: Optional[Path] = typer.Option(None, "--gold", "-g", help="Gold labels (YAML): score this file "
                                                 "alone (with --examples and --registry) instead of the named sets."),
             examples: list[Path] = typer.Option([Path("examples")], "--examples", "-e",
                                                 help="Input files or folders for --gold (repeatable)"),
             registry: Optional[Path] = RegistryOpt,
             sets: list[str] = typer.Option([], "--set", help="A labelled set to score: gold (the sample corpus), "
                                            f"{', '.join(SET_NAMES[1:])} (tests/data/extraction/<set>/, each with its own "
                                            f"registry), or {HELD_OUT_GROUP} (the sets nobody reads: "
                                            f"{', '.join(HELD_OUT)}). "
                                            "Repeatable. Default: every set present."),
             fail_under: float = typer.Option(0.0, "--fail-under", help="Exit 1 if the F1 of 'changed' or "
                                              "'contributors' is below this (0-1) in any set scored."),
             max_errors: int = typer.Option(100, "--max", help="Show at most this many misses and false positives."),
             show_held_out: bool = typer.Option(False, "--show-held-out", help="List the misses of the held-out sets "
                                                "too (by default only their counts: reading them tunes on them)."),
             learnt_spans: Optional[bool] = typer.Option(None, "--learnt-spans/--no-learnt-spans", show_default=False,
                                                         help="Score the pipeline with or without the learnt span "
                                                         "model (as `ingest` runs it; default: with, unless "
                                                         "$HARVESTGRAPH_LEARNT_SPANS=0)."),
             ) -> None:
    """Precision, recall and F1 of actor and place extraction against gold labels, side by side per set."""
    from harvestgraph.actors import ActorResolver
    from harvestgraph.actors.evaluate import ROLES, LABELLED_SETS, RoleScore, evaluate as run, load_gold

    learnt = learnt_spans  # (None: $HARVESTGRAPH_LEARNT_SPANS decides)

    if gold is not None:
        runs = [(gold.stem, gold, examples, registry or config.default_registry())]
    else:
        known = LABELLED_SETS()
        sets = list(dict.fromkeys(n for x in sets for n in (HELD_OUT if x == HELD_OUT_GROUP else (x,))))
        unknown = [x for x in sets if x not in known]
        if unknown:
            raise HarvestError(f"unknown set {unknown[0]!r}: use {', '.join(known)} or {HELD_OUT_GROUP}", field="--set")
        names = sets or [n for n, (g, _, _) in known.items() if g.exists()]
        runs = [(n, *known[n]) for n in names]
    reports = []
    for name, g, ex, reg in runs:
        rep = run(load_gold(g), ex if isinstance(ex, list) else [ex], ActorResolver.from_registry(reg, learnt))
        reports.append((name, g, rep))
    t = Table(title="extraction quality (micro-averaged over the labelled fragments)", header_style="bold")
    for c in ("set (fragments)", "role", "precision", "recall", "F1", "TP", "FP", "FN"):
        t.add_column(c, justify="left" if c in ("set (fragments)", "role") else "right", no_wrap=True)
    for name, _, rep in reports:
        for role in ROLES:
            s = rep.scores[role]
            t.add_row(f"{name} ({rep.fragments})", role, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}",
                      str(s.tp), str(s.fp), str(s.fn))
    if len(reports) > 1:  # every set scored, pooled (micro-averaged over all their fragments)
        t.add_section()
        n = sum(rep.fragments for _, _, rep in reports)
        for role in ROLES:
            s = RoleScore(*(sum(getattr(rep.scores[role], k) for _, _, rep in reports) for k in ("tp", "fp", "fn")))
            t.add_row(f"{len(reports)} sets ({n})", role, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}",
                      str(s.tp), str(s.fp), str(s.fn))
    console.print(t)
    for name, g, rep in reports:
        if rep.errors and name in HELD_OUT and gold is None and not show_held_out:
            console.print(f"{name}: {len(rep.errors)} misses and false positives, not listed (a held-out set: "
                          "reading them would tune on it; --show-held-out lists them)", highlight=False)
        elif rep.errors and max_errors <= 0:
            console.print(f"{name}: {len(rep.errors)} misses and false positives (--max 0: not listed)", highlight=False)
        elif rep.errors:
            e = Table(title=f"misses and false positives: {name} ({g})", header_style="bold")
            for c in ("fragment", "role", "kind", "label"):
                e.add_column(c, overflow="fold")
            for err in rep.errors[:max_errors]:
                e.add_row(err.fragment, err.role, err.kind, err.label)
            console.print(e)
            if len(rep.errors) > max_errors:
                console.print(f"… {len(rep.errors) - max_errors} more")
        else:
            console.print(f"[green]{name}: no misses and no false positives[/]")
        if rep.unlabelled:
            console.print(f"{name}: {len(rep.unlabelled)} fragment(s) have no gold labels and were not scored",
                          highlight=False)
    low = [f"{name} {r}" for name, _, rep in reports for r in ("changed", "contributors") if rep.f1(r) < fail_under]
    if low:
        console.print(f"[red]F1 below {fail_under}[/] for {', '.join(low)}", highlight=False)
        raise typer.Exit(1)


def register(app: typer.Typer, export_app: typer.Typer) -> None:
    actors_app = typer.Typer(help="The actor registry: review extracted actors and feed the decisions back.",
                             no_args_is_help=True)
    actors_app.command("review")(review)
    actors_app.command("apply")(apply)
    app.add_typer(actors_app, name="actors")
    app.command("eval")(evaluate)
