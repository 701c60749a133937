"""The actor registry and the full resolver: actors and places found in the free text, resolved to one
node each across all fragments.

Resolution order for a name found in a fragment (first hit wins, never a silent merge):

1. the registry (canonical name, aliases, acronyms: ``method="registry"``);
2. an acronym the same fragment taught ("Kenya Human Rights Commission (KHRC)") or the initials of a
   name in it ("RDC" for "Resident District Commissioner of Arua");
3. a short form of a longer name in the same fragment ("the County Assembly" → "Mombasa County
   Assembly") or of exactly one registry name;
4. a fuzzy match to the registry (rapidfuzz, ``FUZZY_THRESHOLD``: ``method="fuzzy"``);
5. otherwise a new actor with ``status="extracted"`` and a confidence, to be reviewed
   (``harvestgraph actors review``) and fed back into the registry (``harvestgraph actors apply``).

The registry is a user-editable YAML (or CSV) file; an ignore list of names that are not actors lives
in a sidecar ``<registry>.ignore`` file (one name per line) or, for a YAML mapping, under ``ignore:``.
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

from . import extract
from .errors import HarvestError
from .gazetteer import Gazetteer, fold
from .mapping import N, describe_actor, programme_contributes
from .normalise import Fragment
from .resolve import ACTOR_KINDS, Actor, ActorLink, PlaceLink, Resolution, Resolver
from .vocab import REGISTRY_GRAPH

FUZZY_THRESHOLD = 90.0  # rapidfuzz token_sort_ratio needed to take a registry actor for a name
RULE_CONFIDENCE = 0.7  # a new organisation found by rule
ROLE_CONFIDENCE = 0.6  # people by role ("county officials")
_LOCATIVE_THE = re.compile(r"\b(?:in|at|across|along|on)\s+the\s+$", re.I)
COLUMNS = ("name", "acronym", "aliases", "kind", "country", "wikidata", "iati")
CONTRIBUTION_FIELDS = ("contribution_programme", "contribution_others")


def key(name: str) -> str:
    """Names are compared without case, accents or repeated spaces."""
    return fold(name)


def _looks_like_acronym(text: str) -> bool:
    """Written in capitals (KHRC, AI Netherlands, NCHRD-K, JA!): matched case-sensitively."""
    return sum(c.isupper() for c in text) >= 2 and not re.search(r"\b[A-Z][a-z]+\s+[A-Z][a-z]+", text) \
        and (" " not in text or text.split()[0].isupper())


# --------------------------------------------------------------------------- the registry


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


# --------------------------------------------------------------------------- the resolver


@dataclass
class _Mention:
    field: str
    start: int
    end: int
    text: str
    source: str  # registry | rule | acronym | programme | role
    actor: Actor | None = None
    method: str = "rule"
    confidence: float = RULE_CONFIDENCE


class ActorResolver(Resolver):
    """Registry + rules: who changed, who contributed, what is merely mentioned, and where."""

    def __init__(self, registry: Registry | None = None, gazetteer: Gazetteer | None = None):
        self.registry = registry or Registry()
        self.gazetteer = gazetteer or Gazetteer.load()

    @classmethod
    def from_registry(cls, path: Path | str | None) -> "ActorResolver":
        return cls(Registry.load(path))

    # -- Resolver interface

    def programme(self, frag: Fragment) -> Actor | None:
        if frag.programme:
            found = self.registry.programme(frag.programme)
            if found is not None:
                return found
        return super().programme(frag)

    def registry_quads(self):
        import pyoxigraph as ox

        g = N(str(REGISTRY_GRAPH))
        quads: list[ox.Quad] = []
        for a in self.registry.actors:
            describe_actor(lambda s, p, o: quads.append(ox.Quad(s, p, o, g)), a)
        return list(dict.fromkeys(quads))

    def fingerprint(self) -> str:
        return f"actors-{extract.RULES_VERSION}-{self.registry.fingerprint()}"

    def resolve(self, frag: Fragment) -> Resolution:
        prog = self.programme(frag)
        fields = frag.text_fields()
        mentions = self._find_mentions(fields, prog)
        self._resolve_names(mentions)
        self._resolve_acronyms(fields, mentions)
        mentions = [m for m in mentions if m.actor is not None]
        mentions += self._short_forms(fields, mentions, frag)
        changed = self._changed(fields, mentions)
        contributors = self._contributors(fields, mentions, changed)
        links = self._links(fields, mentions, changed, contributors, prog, frag)
        return Resolution(programme=prog, actors=links, places=self._places(frag, fields, mentions),
                          builds_on=[r for t in fields.values() for r in extract.fragment_refs(t) if r != frag.id])

    # -- finding names

    def _find_mentions(self, fields: dict[str, str], prog: Actor | None) -> list[_Mention]:
        out: list[_Mention] = []
        for fld, text in fields.items():
            found = [_Mention(fld, s, e, text[s:e], "registry", a, "registry", 1.0)
                     for s, e, a in self.registry.match(text)]
            if prog is not None:
                taken = [(m.start, m.end) for m in found]
                found += [_Mention(fld, p.start, p.end, p.text, "programme", prog, "rule", 0.9)
                          for p in extract.programme_phrases(text)
                          if not any(a < p.end and p.start < b for a, b in taken)]
            blocked = [(m.start, m.end) for m in found]
            for c in extract.org_candidates(text, blocked):
                if not self.registry.is_ignored(c.text):
                    found.append(_Mention(fld, c.start, c.end, c.text, "rule"))
            blocked = [(m.start, m.end) for m in found]
            found += [_Mention(fld, a.start, a.end, a.text, "acronym", None, "rule", 0.9)
                      for a in extract.acronym_spans(text, blocked)]
            out += sorted(found, key=lambda m: m.start)
        return out

    def _resolve_names(self, mentions: list[_Mention]) -> None:
        """Rule-found names → registry (exact, short form, fuzzy) or a new extracted actor."""
        rule = [m for m in mentions if m.source == "rule"]
        named = [m for m in mentions if m.source == "registry"]
        for m in sorted(rule, key=lambda m: -len(m.text)):
            hit = self.registry.find(m.text)
            if hit is not None:
                m.actor, m.method, m.confidence = hit, "registry", 1.0
                named.append(m)
                continue
            longer = {o.actor.name: o.actor for o in named
                      if _contains_words(o.actor.name, m.text) or _contains_words(o.text, m.text)}
            if len(longer) == 1:
                m.actor, m.confidence = next(iter(longer.values())), 0.8
                continue
            part = self.registry.part_of(m.text) if not longer else None
            if part is not None:
                m.actor, m.method, m.confidence = part, "registry", 0.8
                named.append(m)
                continue
            best, score = self.registry.suggest(m.text)
            if best is not None and score >= FUZZY_THRESHOLD:
                m.actor, m.method, m.confidence = best, "fuzzy", round(score / 100, 3)
            else:
                m.actor = Actor(name=_clean_name(m.text), kind=extract.kind_of(m.text), status="extracted",
                                confidence=RULE_CONFIDENCE)
            named.append(m)

    def _resolve_acronyms(self, fields: dict[str, str], mentions: list[_Mention]) -> None:
        """Unknown acronyms: taught by "Name (ACR)" in this fragment, or the initials of a name in it."""
        taught: dict[str, Actor] = {}
        for m in mentions:
            if m.actor is not None:
                p = extract.paren_acronym_after(fields[m.field], m.end)
                if p is not None:
                    taught.setdefault(p.text, m.actor)
        actors = {m.actor.name: m.actor for m in mentions if m.actor is not None}
        for m in mentions:
            if m.source != "acronym":
                continue
            if m.text in taught:
                m.actor = taught[m.text]
                continue
            by_initials = [a for a in actors.values() if extract.initials(a.name) == m.text.rstrip("!")]
            if len(by_initials) == 1:
                m.actor, m.confidence = by_initials[0], 0.7

    def _short_forms(self, fields: dict[str, str], mentions: list[_Mention], frag: Fragment) -> list[_Mention]:
        """"Amnesty" after "Amnesty International Netherlands" in the same record: the one actor whose
        name, written earlier, starts with that word (never a place name, never ambiguous)."""
        order = list(fields)
        countries = [c.code for c in (frag.country, *frag.other_countries) if c is not None]
        out = []
        for fld, text in fields.items():
            blocked = [(m.start, m.end) for m in mentions if m.field == fld]
            for w in extract.isolated_words(text, blocked):
                if self.registry.is_ignored(w.text) or self.gazetteer.find(w.text, countries) \
                        or _LOCATIVE_THE.search(text[max(0, w.start - 12):w.start]):
                    continue  # a place, or "at the Coast": a region, not the "Coast ... Network"
                here = (order.index(fld), w.start)
                earlier = {m.actor.name: m.actor for m in mentions
                           if (order.index(m.field), m.start) < here and len(m.actor.name.split()) > 1
                           and key(m.actor.name.split()[0]) == key(w.text)}
                if len(earlier) == 1:
                    out.append(_Mention(fld, w.start, w.end, w.text, "short", next(iter(earlier.values())),
                                        "rule", 0.8))
        return out

    # -- roles

    def _changed(self, fields: dict[str, str], mentions: list[_Mention]) -> list[_Mention]:
        """The subject(s) of the outcome description's first sentence."""
        text = fields.get("outcome_description")
        if not text:
            return []
        sents = extract.sentences(text)
        if not sents:
            return []
        s, e = sents[0]
        pos = extract.subject_start(text, s, e)
        here = {m.start: m for m in mentions if m.field == "outcome_description"}
        subjects: list[_Mention] = []
        while pos is not None and pos < e:
            m = here.get(pos)
            if m is None:
                role = extract.role_group_at(text, pos)
                if role is None or self.registry.is_ignored(role.text):
                    break
                m = self._role_mention("outcome_description", role)
            subjects.append(m)
            pos = extract.next_subject(text, m.end)
            if pos is not None:
                pos = extract.subject_start(text, pos, e)
        if not subjects:  # "communities set up the X Committee": the new actor changed
            subjects = [m for m in mentions if m.field == "outcome_description" and s <= m.start < e
                        and m.source != "programme" and extract.created_object(text, m.start)][:1]
        return subjects

    def _role_mention(self, fld: str, span: extract.Span) -> _Mention:
        name = extract.role_name(span.text)
        known = self.registry.find(name)
        if known is not None:
            return _Mention(fld, span.start, span.end, span.text, "role", known, "registry", 1.0)
        actor = Actor(name=name, kind="individual", status="extracted", confidence=ROLE_CONFIDENCE)
        return _Mention(fld, span.start, span.end, span.text, "role", actor, "rule", ROLE_CONFIDENCE)

    def _contributors(self, fields: dict[str, str], mentions: list[_Mention],
                      changed: list[_Mention]) -> list[_Mention]:
        """Mentions that name a contributor (before removing the changed actors)."""
        out: list[_Mention] = []
        prev: tuple[_Mention, bool] | None = None
        for m in mentions:
            text = fields[m.field]
            if m.field in CONTRIBUTION_FIELDS:
                target = extract.is_target(text, m.start) or (
                    prev is not None and prev[1] and prev[0].field == m.field
                    and extract.joins_list(text, prev[0].end, m.start))
                yes = not target
            else:
                target = False
                yes = extract.contributes_by_phrase(text, m.start) or (
                    m.field != "outcome_description" and extract.contributes_by_verb(text, m.end)) or (
                    prev is not None and prev[0] in out and prev[0].field == m.field
                    and extract.joins_list(text, prev[0].end, m.start))
            if yes:
                out.append(m)
            prev = (m, target)
        text = fields.get("contribution_others")
        if text:  # "Women councillors championed the motion": people by role as contributors
            for s, e in extract.sentences(text):
                role = extract.role_group_at(text, extract.subject_start(text, s, e))
                if role is not None and not self.registry.is_ignored(role.text) \
                        and not any(m.field == "contribution_others" and m.start == role.start for m in mentions):
                    out.append(self._role_mention("contribution_others", role))
        return out

    def _links(self, fields: dict[str, str], mentions: list[_Mention], changed: list[_Mention],
               contributors: list[_Mention], prog: Actor | None, frag: Fragment) -> list[ActorLink]:
        """One link per mention, with the actor's role in this outcome: changed > contributor > mentioned."""
        changed_names = {m.actor.name for m in changed}
        contrib_names = {m.actor.name for m in contributors} - changed_names
        if prog is not None and not programme_contributes(frag):
            contrib_names.discard(prog.name)
        extra = [m for m in (*changed, *contributors) if m.source == "role"]
        seen: set[tuple[str, int, int]] = set()
        links: list[ActorLink] = []
        for m in sorted([*mentions, *extra], key=lambda m: (list(fields).index(m.field), m.start)):
            if (m.field, m.start, m.end) in seen:
                continue
            seen.add((m.field, m.start, m.end))
            name = m.actor.name
            role = "changed" if name in changed_names else "contributor" if name in contrib_names else "mentioned"
            if m.source == "role" and role == "mentioned":
                continue
            context = self._context(fields, [x for x in (*mentions, *extra) if x.actor.name == name]) \
                if role == "contributor" else None
            links.append(ActorLink(actor=m.actor, role=role, field=m.field, start=m.start, end=m.end, text=m.text,
                                   method=m.method, confidence=m.confidence, context=context))
        return links

    @staticmethod
    def _context(fields: dict[str, str], mentions: list[_Mention]) -> str | None:
        """The contribution text of an actor: the sentences of the contribution fields naming it,
        else those of the field where a contribution phrase named it."""
        parts = []
        for fld in (*CONTRIBUTION_FIELDS, *[f for f in fields if f not in CONTRIBUTION_FIELDS]):
            spans = [(m.start, m.end) for m in mentions if m.field == fld]
            if spans and fld in fields:
                ctx = extract.context_sentences(fields[fld], spans)
                if ctx:
                    parts.append(ctx)
            if parts and fld == CONTRIBUTION_FIELDS[-1]:
                break
        return " ".join(parts) or None

    # -- places

    def _places(self, frag: Fragment, fields: dict[str, str], mentions: list[_Mention]) -> list[PlaceLink]:
        """Places named in the text. The gazetteer is a registry of places, so the method is "registry"
        (the SHACL shapes allow field | registry | rule | fuzzy); ambiguity lowers the confidence."""
        countries = [c.code for c in (frag.country, *frag.other_countries) if c is not None]
        out: list[PlaceLink] = []
        for fld, text in fields.items():
            skip = [_masked(m) for m in mentions if m.field == fld]
            for pm in self.gazetteer.find(text, countries, skip):
                p = pm.place
                out.append(PlaceLink(code=p.code, name=p.name, country=p.country, field=fld, start=pm.start,
                                     end=pm.end, text=pm.text, method="registry", confidence=pm.confidence))
        return out


def _masked(m: _Mention) -> tuple[int, int]:
    """The part of an actor mention where place names do not count: all of "Mombasa County Assembly",
    but not the place of "Municipal Council of San Juan Sacatepéquez" (the council's jurisdiction)."""
    i = max(m.text.rfind(" of "), m.text.rfind(" de "))
    if i > 0 and m.source in ("registry", "rule"):
        return m.start, m.start + i
    return m.start, m.end


def _clean_name(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().replace("’", "'")




# --------------------------------------------------------------------------- review and apply
#
# ``harvestgraph actors review`` lists the extracted (not yet registered) actors with their mentions;
# a person sets ``action`` per row and ``harvestgraph actors apply`` writes the decisions into the
# registry file (comments and layout of a YAML registry are kept: entries are edited in place).

SHEET_COLUMNS = ("name", "action", "kind", "confidence", "mentions", "fragments", "roles", "suggested_match",
                 "suggested_score")
ACTIONS = ("keep", "merge:<canonical name>", "ignore", "rename:<name>")

_CANDIDATES = """
SELECT DISTINCT ?actor ?name ?kind ?confidence ?fragment ?text ?role WHERE {
  ?actor hg:status "extracted" .
  ?outcome dcterms:identifier ?fragment .
  GRAPH ?g { ?outcome hg:hasMention ?m . ?m hg:refersTo ?actor ; hg:text ?text ; hg:role ?role }  # provenance
  OPTIONAL { ?actor skos:prefLabel ?name }
  OPTIONAL { ?actor hg:actorKind ?k BIND (REPLACE(STR(?k), "^.*/", "") AS ?kind) }
  OPTIONAL { ?actor hg:confidence ?confidence }
}"""


def review_rows(store, graphs, registry: Registry) -> list[dict[str, str]]:
    """One row per extracted actor: its mentions, fragments, roles and the closest registry actor."""
    from .vocab import SPARQL_PREFIXES

    acc: dict[str, dict] = {}
    for r in store.select(SPARQL_PREFIXES + _CANDIDATES, graphs=graphs):
        a = acc.setdefault(r["actor"].value, {"name": "", "kind": "", "confidence": 0.0, "mentions": set(),
                                              "fragments": set(), "roles": set()})
        a["name"] = a["name"] or (r["name"].value if "name" in r else r["actor"].value.rsplit("/", 1)[-1])
        a["kind"] = a["kind"] or (r["kind"].value if "kind" in r else "")
        if "confidence" in r:
            a["confidence"] = max(a["confidence"], float(r["confidence"].value))
        a["mentions"].add(r["text"].value)
        a["fragments"].add(r["fragment"].value)
        a["roles"].add(r["role"].value)
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
