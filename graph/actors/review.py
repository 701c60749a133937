"""Review and apply: ``harvestgraph actors review`` lists the extracted (not yet registered) actors with
their mentions; a person sets ``action`` per row and ``harvestgraph actors apply`` writes the decisions
into the registry file (comments and layout of a YAML registry are kept: entries are edited in place).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import HarvestError
from .model import ACTOR_KINDS
from .registry import COLUMNS, Registry, ignore_path, key

SHEET_COLUMNS = ("name", "action", "kind", "confidence", "mentions", "fragments", "roles", "suggested_match",
                 "suggested_score")
ACTIONS = ("keep", "merge:<canonical name>", "ignore", "rename:<name>")

_CANDIDATES = """
SELECT DISTINCT ?actor ?name ?kind ?confidence ?fragment ?mentions WHERE {
  ?actor hg:status "extracted" .
  ?outcome hg:changedActor|hg:hasContributor|hg:mentions ?actor ; dcterms:identifier ?fragment .
  GRAPH ?g { ?outcome hg:mentionRecord ?mentions }  # provenance: the spans (mapping.mention_record)
  OPTIONAL { ?actor skos:prefLabel ?name }
  OPTIONAL { ?actor hg:actorKind ?k BIND (REPLACE(STR(?k), "^.*/", "") AS ?kind) }
  OPTIONAL { ?actor hg:confidence ?confidence }
}"""


def review_rows(store, graphs, registry: Registry) -> list[dict[str, str]]:
    """One row per extracted actor: its mentions, fragments, roles and the closest registry actor."""
    from ..mapping import read_mentions
    from ..vocab import SPARQL_PREFIXES

    acc: dict[str, dict] = {}
    for r in store.select(SPARQL_PREFIXES + _CANDIDATES, graphs=graphs):
        spans = [m for m in read_mentions(r["mentions"].value) if m["refersTo"] == r["actor"].value and m["text"]]
        if not spans:
            continue
        a = acc.setdefault(r["actor"].value, {"name": "", "kind": "", "confidence": 0.0, "mentions": set(),
                                              "fragments": set(), "roles": set()})
        a["name"] = a["name"] or (r["name"].value if "name" in r else r["actor"].value.rsplit("/", 1)[-1])
        a["kind"] = a["kind"] or (r["kind"].value if "kind" in r else "")
        if "confidence" in r:
            a["confidence"] = max(a["confidence"], float(r["confidence"].value))
        a["mentions"].update(m["text"] for m in spans)
        a["fragments"].add(r["fragment"].value)
        a["roles"].update(m["role"] for m in spans)
    rows = []
    for a in sorted(acc.values(), key=lambda a: (-len(a["fragments"]), key(a["name"]))):
        best, score = registry.suggest(a["name"])
        rows.append({"name": a["name"], "action": "keep", "kind": a["kind"], "confidence": f"{a['confidence']:.2f}",
                     "mentions": "; ".join(sorted(a["mentions"])), "fragments": "; ".join(sorted(a["fragments"])),
                     "roles": "; ".join(sorted(a["roles"])), "suggested_match": best.name if best else "",
                     "suggested_score": f"{score:.0f}" if best else ""})
    return rows


def write_sheet(rows: list[dict[str, str]], path: Path) -> None:
    """The review sheet as CSV or XLSX (by the file's suffix)."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "candidates"
        ws.append(list(SHEET_COLUMNS))
        for r in rows:
            ws.append([r.get(c, "") for c in SHEET_COLUMNS])
        help_ = wb.create_sheet("help")
        help_.append(["action", "meaning"])
        for a, m in (("keep", "add the actor to the registry under this name and kind"),
                     ("merge:<canonical name>", "the name is another way of writing a registry actor: add it as alias"),
                     ("ignore", "not an actor: never extract this name again"),
                     ("rename:<name>", "add the actor under a better name, this one as alias"),
                     ("(empty)", "decide later: nothing changes")):
            help_.append([a, m])
        wb.save(path)
    elif path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(SHEET_COLUMNS), extrasaction="ignore")
            w.writeheader()
            w.writerows(rows)
    else:
        raise HarvestError("the review sheet is a .csv or .xlsx file", file=str(path))


def read_sheet(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(row number, row) of a review sheet, CSV or XLSX; the header is row 1."""
    path = Path(path)
    if not path.exists():
        raise HarvestError("review sheet not found", file=str(path))
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        ws = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        values = [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
    elif path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            values = list(csv.reader(fh))
    else:
        raise HarvestError("the review sheet is a .csv or .xlsx file", file=str(path))
    if not values or "name" not in [h.strip().lower() for h in values[0]] \
            or "action" not in [h.strip().lower() for h in values[0]]:
        raise HarvestError("the review sheet needs 'name' and 'action' columns", file=str(path), line=1)
    head = [h.strip().lower() for h in values[0]]
    return [(i, {h: (v or "").strip() for h, v in zip(head, row)}) for i, row in enumerate(values[1:], start=2)
            if any((v or "").strip() for v in row)]


@dataclass
class ApplyReport:
    added: list[tuple[str, str, str]] = field(default_factory=list)  # (name, kind, alias or "")
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (canonical, alias)
    ignored: list[str] = field(default_factory=list)
    skipped: int = 0


def plan(rows: list[tuple[int, dict[str, str]]], registry: Registry, sheet: str) -> ApplyReport:
    """Check every row and work out the registry changes; HarvestError (row, field) on the first bad one."""
    rep = ApplyReport()
    new_names: set[str] = set()
    for line, row in rows:
        name, action = row.get("name", ""), row.get("action", "")
        verb, _, arg = action.partition(":")
        verb, arg = verb.strip().lower(), arg.strip()
        if not name:
            raise HarvestError("a row without a name", file=sheet, line=line, field="name")
        kind = (row.get("kind") or "ngo").strip().lower()
        if verb in ("keep", "rename") and kind not in ACTOR_KINDS:
            raise HarvestError(f"unknown kind {kind!r}: use one of {', '.join(ACTOR_KINDS)}", file=sheet, line=line,
                               field="kind")
        if verb == "":
            rep.skipped += 1
        elif verb == "keep":
            if registry.find(name) is None and key(name) not in new_names:
                rep.added.append((name, kind, ""))
                new_names.add(key(name))
            else:
                rep.skipped += 1
        elif verb in ("merge", "rename"):
            if not arg:
                raise HarvestError(f"{verb}: needs a name after the colon, e.g. {verb}:Amnesty International Netherlands",
                                   file=sheet, line=line, field="action")
            target = registry.find(arg)
            if target is None and verb == "merge":
                raise HarvestError(f"merge target {arg!r} is not in the registry", file=sheet, line=line, field="action")
            if target is not None:
                if key(name) not in {key(x) for x in (target.name, *target.aliases)}:
                    rep.aliases.append((target.name, name))
            elif key(arg) not in new_names:
                rep.added.append((arg, kind, name))
                new_names.add(key(arg))
        elif verb == "ignore":
            if not registry.is_ignored(name):
                rep.ignored.append(name)
        else:
            raise HarvestError(f"unknown action {action!r}: use {' | '.join(ACTIONS)} (or leave it empty)",
                               file=sheet, line=line, field="action")
    return rep


def apply_sheet(sheet: Path, registry_path: Path) -> ApplyReport:
    """Write the decisions of a review sheet into the registry (and its ignore list). All or nothing:
    the edited registry is re-read and checked before it replaces the file."""
    registry = Registry.load(registry_path)
    rep = plan(read_sheet(sheet), registry, str(sheet))
    if registry_path.suffix.lower() == ".csv":
        text = _edit_csv(registry_path, rep.added, rep.aliases)
    else:
        text = _edit_yaml(registry_path.read_text(encoding="utf-8"), rep.added, rep.aliases)
    tmp = registry_path.with_name(f".{registry_path.stem}.apply{registry_path.suffix}")
    tmp.write_text(text, encoding="utf-8")
    try:
        Registry.load(tmp)  # the edited registry must still be valid
    except HarvestError as exc:
        tmp.unlink()
        raise HarvestError(f"the sheet would make the registry invalid: {exc.problem.message}",
                           file=str(sheet), field="action") from None
    tmp.replace(registry_path)
    if rep.ignored:
        side = ignore_path(registry_path)
        head = "" if side.exists() else ("# Names that are not actors: harvestgraph never extracts them "
                                         "(written by `harvestgraph actors apply`).\n")
        with side.open("a", encoding="utf-8") as fh:
            fh.write(head + "".join(f"{n}\n" for n in rep.ignored))
    return rep


def _q(text: str) -> str:
    """A YAML scalar (JSON strings are valid YAML)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def _edit_yaml(text: str, new: list[tuple[str, str, str]], aliases: list[tuple[str, str]]) -> str:
    """Add aliases to existing entries in place and append new entries; everything else stays as written."""
    root = yaml.compose(text)
    entries = root.value if isinstance(root, yaml.SequenceNode) else next(
        (v.value for k, v in (root.value if root else []) if k.value == "actors"), [])
    edits: list[tuple[int, int, str]] = []  # (start index, end index, replacement)
    by_name = {}
    for node in entries:
        fields = {k.value: (k, v) for k, v in node.value}
        if "name" in fields:
            by_name[key(fields["name"][1].value)] = (node, fields)
    grouped: dict[str, list[str]] = {}
    for canonical, alias in aliases:
        grouped.setdefault(key(canonical), []).append(alias)
    for k, extra in grouped.items():
        node, fields = by_name[k]
        if "aliases" in fields:
            knode, vnode = fields["aliases"]
            current = [x.value for x in vnode.value] if isinstance(vnode, yaml.SequenceNode) else \
                ([vnode.value] if vnode.value else [])
            flow = "[" + ", ".join(_q(a) for a in [*current, *extra]) + "]"
            edits.append((vnode.start_mark.index, vnode.end_mark.index, flow))
        else:
            knode, vnode = fields["name"]
            eol = text.find("\n", vnode.end_mark.index)
            eol = len(text) if eol < 0 else eol
            line = "\n" + " " * knode.start_mark.column + "aliases: [" + ", ".join(_q(a) for a in extra) + "]"
            edits.append((eol, eol, line))
    for start, end, repl in sorted(edits, reverse=True):
        text = text[:start] + repl + text[end:]
    if new:
        first = text.splitlines()[entries[0].start_mark.line] if entries else ""
        indent = first[: len(first) - len(first.lstrip())]  # where the "- " of the entries is
        block = ["", f"{indent}# --- added by `harvestgraph actors apply` " + "-" * 40]
        for name, kind, alias in new:
            block.append(f"{indent}- name: {_q(name)}")
            if alias:
                block.append(f"{indent}  aliases: [{_q(alias)}]")
            block.append(f"{indent}  kind: {kind}")
        if isinstance(root, yaml.MappingNode):
            raise HarvestError("adding actors to a registry written as a mapping is not supported: "
                               "write it as a list of actors")
        text = text.rstrip("\n") + "\n" + "\n".join(block) + "\n"
    return text


def _edit_csv(path: Path, new: list[tuple[str, str, str]], aliases: list[tuple[str, str]]) -> str:
    import io

    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or COLUMNS)
        rows = list(reader)
    for c in COLUMNS:
        if c not in header:
            header.append(c)
    for canonical, alias in aliases:
        for r in rows:
            if key(r.get("name", "")) == key(canonical):
                r["aliases"] = "; ".join(x for x in [*(r.get("aliases") or "").split(";"), alias] if x.strip())
    for name, kind, alias in new:
        rows.append({"name": name, "kind": kind, "aliases": alias})
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({c: r.get(c) or "" for c in header})
    return out.getvalue()
