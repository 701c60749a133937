"""Extraction quality, measured: precision, recall and F1 per role against hand-labelled gold data.

The example corpus is read, normalised, resolved and mapped exactly as ``ingest`` does (no store), and
the answer is read from the mapped quads themselves (``hg:changedActor``, ``hg:hasContributor``,
``dcterms:spatial``), so what is scored is what the graph says. Gold names are turned into the same
IRIs: registry names through the registry, other names through ``vocab.actor_iri``, places through the
gazetteer. Scores are micro-averaged over the fragments the gold file labels.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .labelled import LABELLED_SETS, SET_NAMES  # noqa: F401 (re-exported: where they were)
from .resolution import clean_name
from .resolver import ActorResolver
from ..errors import HarvestError
from .places import Gazetteer
from ..ingest import prepare, read_batch
from ..mapping import actor_node
from ..vocab import DCTERMS, HG, SKOS, actor_iri, outcome_iri, place_iri, slug

ROLES = ("changed", "contributors", "places")


@dataclass(frozen=True)
class GoldEntry:
    changed: tuple[str, ...]
    contributors: tuple[str, ...]
    places: tuple[tuple[str, str], ...]  # (name, ISO alpha-2)


@dataclass
class RoleScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Error:
    fragment: str
    role: str
    label: str
    kind: str  # "miss" (in gold, not found) | "false positive" (found, not in gold)


@dataclass
class EvalReport:
    scores: dict[str, RoleScore] = field(default_factory=lambda: {r: RoleScore() for r in ROLES})
    errors: list[Error] = field(default_factory=list)
    fragments: int = 0
    unlabelled: list[str] = field(default_factory=list)  # fragments of the corpus the gold file does not label

    def f1(self, role: str) -> float:
        return self.scores[role].f1


def load_gold(path: Path) -> dict[str, GoldEntry]:
    """The gold file: FragmentID → changed, contributors, places[{name, country}]."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HarvestError("gold file not found", file=str(path)) from None
    except yaml.YAMLError as exc:
        raise HarvestError(f"not valid YAML: {exc}", file=str(path)) from None
    if not isinstance(data, dict):
        raise HarvestError("the gold file maps FragmentIDs to labels", file=str(path))
    out = {}
    for fid, entry in data.items():
        entry = entry or {}
        try:
            places = tuple((str(p["name"]), str(p["country"]).upper()) for p in entry.get("places") or [])
        except (TypeError, KeyError):
            raise HarvestError("places are {name, country} mappings", file=str(path), field=f"{fid}.places") from None
        out[str(fid)] = GoldEntry(tuple(map(str, entry.get("changed") or [])),
                                  tuple(map(str, entry.get("contributors") or [])), places)
    return out


def evaluate(gold: dict[str, GoldEntry], examples: Iterable[Path], resolver: ActorResolver,
             gazetteer: Gazetteer | None = None) -> EvalReport:
    gaz = gazetteer or resolver.gazetteer
    raws, _ = read_batch(list(examples))
    mapped, _ = prepare(raws, resolver)
    report = EvalReport()
    seen = set()
    for m in mapped:
        fid = m.fragment.id
        if fid not in gold:
            report.unlabelled.append(fid)
            continue
        seen.add(fid)
        report.fragments += 1
        found, labels = _found(m.quads, fid)
        expected = _expected(gold[fid], resolver, gaz)
        for role in ROLES:
            exp, got = expected[role], found[role]
            sc = report.scores[role]
            sc.tp += len(exp.keys() & got)
            sc.fn += len(exp.keys() - got)
            sc.fp += len(got - exp.keys())
            report.errors += [Error(fid, role, exp[i], "miss") for i in sorted(exp.keys() - got)]
            report.errors += [Error(fid, role, labels.get(i, i), "false positive") for i in sorted(got - exp.keys())]
    missing = sorted(set(gold) - seen)
    if missing:
        raise HarvestError(f"{len(missing)} labelled fragment(s) not found in the examples: {', '.join(missing[:5])}",
                           field="FragmentID")
    return report


def _found(quads, fid: str) -> tuple[dict[str, set[str]], dict[str, str]]:
    """What the mapped graph of one fragment says: changed actors, contributors, sub-national places."""
    oc = str(outcome_iri(fid))
    props = {str(HG.changedActor): "changed", str(HG.hasContributor): "contributors", str(DCTERMS.spatial): "places"}
    out: dict[str, set[str]] = {r: set() for r in ROLES}
    labels: dict[str, str] = {}
    for q in quads:
        if q.subject.value == oc and q.predicate.value in props:
            out[props[q.predicate.value]].add(q.object.value)
        elif q.predicate.value == str(SKOS.prefLabel):
            labels[q.subject.value] = q.object.value
    out["places"] = {p for p in out["places"] if not _is_country(p)}
    return out, labels


def _is_country(iri: str) -> bool:
    code = iri.rsplit("/place/", 1)[-1]
    return len(code) == 2 and code.isalpha()


def _expected(entry: GoldEntry, resolver: ActorResolver, gaz: Gazetteer) -> dict[str, dict[str, str]]:
    def actor(name: str) -> str:
        known = resolver.registry.find(name)
        # (a label spelt with a typographic apostrophe names the actor the graph writes with a straight one:
        # "Children’s Hospital" is "Children's Hospital", as extraction names it)
        return actor_node(known).value if known else str(actor_iri(clean_name(name)))

    def place(name: str, country: str) -> str:
        p = gaz.lookup(name, country)
        return str(place_iri(p.code if p else f"{country}/{slug(name)}"))

    return {"changed": {actor(n): n for n in entry.changed},
            "contributors": {actor(n): n for n in entry.contributors},
            "places": {place(n, c): f"{n} ({c})" for n, c in entry.places}}
