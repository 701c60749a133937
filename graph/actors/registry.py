"""The actor registry: a user-editable YAML (or CSV) file of known actors (canonical name, aliases,
acronym, kind, country, Wikidata/IATI ids) and an ignore list of names that are not actors, in a
sidecar ``<registry>.ignore`` file (one name per line) or, for a YAML mapping, under ``ignore:``.

The registry is the precision layer of extraction: a name it knows is taken as written there
(``method="registry"``), a close spelling by fuzzy match (``method="fuzzy"``).
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pycountry
import yaml
from rapidfuzz import fuzz, process

from ..errors import HarvestError
from .model import ACTOR_KINDS, Actor
from .places import fold

COLUMNS = ("name", "acronym", "aliases", "kind", "country", "wikidata", "iati")


def key(name: str) -> str:
    """Names are compared without case, accents or repeated spaces."""
    return fold(name)


def _looks_like_acronym(text: str) -> bool:
    """Written in capitals (KHRC, AI Netherlands, NCHRD-K, JA!): matched case-sensitively."""
    return sum(c.isupper() for c in text) >= 2 and not re.search(r"\b[A-Z][a-z]+\s+[A-Z][a-z]+", text) \
        and (" " not in text or text.split()[0].isupper())


@dataclass
class Registry:
    actors: list[Actor] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    path: Path | None = None
    lines: list[int] = field(default_factory=list)  # source line of each actor (for edits and errors)

    # -- loading

    @classmethod
    def load(cls, path: Path | str | None) -> "Registry":
        if path is None:
            return cls()
        path = Path(path)
        if not path.exists():
            raise HarvestError("actor registry not found", file=str(path))
        if path.suffix.lower() == ".csv":
            entries, ignore = _read_csv(path)
        elif path.suffix.lower() in (".yaml", ".yml"):
            entries, ignore = _read_yaml(path)
        else:
            raise HarvestError("an actor registry is a .yaml/.yml or .csv file", file=str(path))
        sidecar = ignore_path(path)
        if sidecar.exists():
            ignore += [ln.strip() for ln in sidecar.read_text(encoding="utf-8").splitlines()
                       if ln.strip() and not ln.lstrip().startswith("#")]
        reg = cls([a for a, _ in entries], list(dict.fromkeys(ignore)), path, [ln for _, ln in entries])
        reg._check_unique()
        return reg

    def _check_unique(self) -> None:
        seen: dict[str, Actor] = {}
        for actor, line in zip(self.actors, self.lines):
            for label in (actor.name, *actor.aliases):
                other = seen.get(key(label))
                if other is not None and other.name != actor.name:
                    raise HarvestError(f"{label!r} names both {other.name!r} and {actor.name!r}: one of them must go",
                                       file=str(self.path), line=line, field="aliases")
                seen[key(label)] = actor

    # -- look-ups

    @cached_property
    def _by_label(self) -> dict[str, Actor]:
        out: dict[str, Actor] = {}
        for a in self.actors:
            for label in (a.name, *a.aliases):
                out.setdefault(key(label), a)
        return out

    @cached_property
    def _by_acronym(self) -> dict[str, Actor]:
        return {a.acronym: a for a in self.actors if a.acronym}

    @cached_property
    def _lower_labels(self) -> set[str]:
        """Labels written in lower case in the registry (people by role: "county officials")."""
        return {key(label) for a in self.actors for label in (a.name, *a.aliases) if label[:1].islower()}

    @cached_property
    def _ignored(self) -> set[str]:
        return {key(n) for n in self.ignore}

    @cached_property
    def _patterns(self) -> tuple[re.Pattern | None, re.Pattern | None]:
        exact, loose = set(), set()
        for a in self.actors:
            if a.acronym:
                exact.add(a.acronym)
            for label in (a.name, *a.aliases):
                (exact if _looks_like_acronym(label) else loose).add(label)

        def compile_(labels: set[str], flags: int) -> re.Pattern | None:
            if not labels:
                return None
            alts = [re.sub(r"['’]", "['’]", re.escape(x).replace(r"\ ", r"\s+"))
                    for x in sorted(labels, key=lambda s: (-len(s), s))]
            return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])", flags)

        return compile_(exact, 0), compile_(loose, re.I)

    def find(self, name: str) -> Actor | None:
        """The registry actor with this name, alias or acronym."""
        return self._by_acronym.get(name.strip()) or self._by_label.get(key(name))

    def is_ignored(self, name: str) -> bool:
        return key(name) in self._ignored

    def programme(self, code: str) -> Actor | None:
        for a in self.actors:
            if a.kind == "programme" and (a.programme_code or a.acronym or "").upper() == code.upper():
                return a
        return None

    def match(self, text: str) -> list[tuple[int, int, Actor]]:
        """Registry names, aliases and acronyms in ``text``: longest first, no overlaps, capitalised."""
        hits: list[tuple[int, int, Actor]] = []
        for pat in self._patterns:
            if pat is None:
                continue
            for m in pat.finditer(text):
                if not (text[m.start()].isupper() or text[m.start()].isdigit() or key(m.group()) in self._lower_labels):
                    continue
                actor = self.find(m.group())
                if actor is not None:
                    hits.append((m.start(), m.end(), actor))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out: list[tuple[int, int, Actor]] = []
        for h in hits:
            if not out or h[0] >= out[-1][1]:
                out.append(h)
        return out

    @cached_property
    def _fuzzy_labels(self) -> tuple[list[str], list[Actor]]:
        pairs = sorted({key(label): a for a in self.actors for label in (a.name, *a.aliases)}.items())
        return [k for k, _ in pairs], [a for _, a in pairs]

    def suggest(self, name: str) -> tuple[Actor | None, float]:
        """The closest registry actor for a name and its rapidfuzz score (0-100). Memoised: the same
        organisation names come back in fragment after fragment."""
        k = key(name)
        hit = self._suggested.get(k)
        if hit is None:
            labels, actors = self._fuzzy_labels
            best = process.extractOne(k, labels, scorer=fuzz.token_sort_ratio) if labels else None
            hit = self._suggested[k] = (actors[best[2]], float(best[1])) if best else (None, 0.0)
        return hit

    @cached_property
    def _suggested(self) -> dict[str, tuple[Actor | None, float]]:
        return {}

    @cached_property
    def _parts(self) -> dict[tuple[str, ...], dict[str, Actor]]:
        """Every run of whole words inside a registry name or alias (shorter than the label) → the actors
        whose label contains it: :meth:`part_of` as one lookup instead of a scan of the registry."""
        parts: dict[tuple[str, ...], dict[str, Actor]] = {}
        for a in self.actors:
            for label in (a.name, *a.aliases):
                words = key(label).split()
                for n in range(1, len(words)):
                    for i in range(len(words) - n + 1):
                        parts.setdefault(tuple(words[i:i + n]), {})[a.name] = a
        return parts

    def part_of(self, name: str) -> Actor | None:
        """The one registry actor whose name contains ``name`` as whole words (None if several)."""
        hits = self._parts.get(tuple(key(name).split()), {})
        return next(iter(hits.values())) if len(hits) == 1 else None

    def fingerprint(self) -> str:
        h = hashlib.sha256()
        for a in self.actors:
            h.update(repr(a).encode())
        h.update("\n".join(sorted(self._ignored)).encode())
        return h.hexdigest()[:16]


def ignore_path(registry: Path) -> Path:
    return registry.with_suffix(".ignore")


def _contains_words(full: str, part: str) -> bool:
    f, p = key(full).split(), key(part).split()
    return len(p) < len(f) and any(f[i:i + len(p)] == p for i in range(len(f) - len(p) + 1))


def make_actor(raw: dict, file: str, line: int | None) -> Actor:
    """One registry entry (YAML mapping or CSV row) as an Actor; HarvestError naming the field."""
    def bad(fld: str, msg: str) -> HarvestError:
        return HarvestError(msg, file=file, line=line, field=fld)

    if not isinstance(raw, dict):
        raise bad("name", "each registry entry must be a mapping with at least a name")
    unknown = set(raw) - set(COLUMNS) - {"programme_code"}
    if unknown:
        raise bad(sorted(unknown)[0], f"unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(COLUMNS)}")
    name = str(raw.get("name") or "").strip()
    if not name:
        raise bad("name", "a registry entry needs a name")
    kind = str(raw.get("kind") or "ngo").strip().lower()
    if kind not in ACTOR_KINDS:
        raise bad("kind", f"unknown kind {kind!r}: use one of {', '.join(ACTOR_KINDS)}")
    aliases = raw.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [a for a in re.split(r"\s*;\s*", aliases)]
    if not isinstance(aliases, list):
        raise bad("aliases", "aliases must be a list (YAML) or ;-separated (CSV)")
    aliases = tuple(dict.fromkeys(str(a).strip() for a in aliases if str(a).strip() and str(a).strip() != name))
    country = str(raw.get("country") or "").strip().upper() or None
    if country and country != "XK" and pycountry.countries.get(alpha_2=country) is None:
        raise bad("country", f"{country!r} is not an ISO 3166-1 alpha-2 code")
    wikidata = str(raw.get("wikidata") or "").strip() or None
    if wikidata and not re.fullmatch(r"Q\d+", wikidata):
        raise bad("wikidata", f"{wikidata!r} is not a Wikidata item id (Q...)")
    acronym = str(raw.get("acronym") or "").strip() or None
    code = str(raw.get("programme_code") or "").strip() or (acronym if kind == "programme" else None)
    if kind == "programme" and not code:
        raise bad("acronym", "a programme needs its acronym: the FragmentID prefix (SCC, VOICE, ...)")
    return Actor(name=name, kind=kind, acronym=acronym, aliases=aliases, country=country,
                 wikidata=wikidata, iati=str(raw.get("iati") or "").strip() or None,
                 programme_code=code.upper() if code else None)


def _read_yaml(path: Path) -> tuple[list[tuple[Actor, int]], list[str]]:
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise HarvestError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=str(path),
                           line=mark.line + 1 if mark else None) from None
    ignore: list[str] = []
    nodes = []
    if data is None:
        return [], []
    if isinstance(data, dict):
        ignore = [str(x) for x in data.get("ignore") or []]
        items = data.get("actors") or []
        for k, v in root.value:
            if k.value == "actors":
                nodes = v.value
    elif isinstance(data, list):
        items, nodes = data, root.value
    else:
        raise HarvestError("the registry must be a list of actors (or a mapping with actors: and ignore:)",
                           file=str(path), line=1)
    return [(make_actor(it, str(path), n.start_mark.line + 1), n.start_mark.line + 1)
            for it, n in zip(items, nodes)], ignore


def _read_csv(path: Path) -> tuple[list[tuple[Actor, int]], list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "name" not in [c.strip().lower() for c in reader.fieldnames]:
            raise HarvestError("the registry CSV needs a header with at least a 'name' column", file=str(path), line=1)
        out = []
        for i, row in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
            if not any(row.values()):
                continue
            out.append((make_actor(row, str(path), i), i))
    return out, []
