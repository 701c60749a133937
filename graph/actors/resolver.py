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

import re
from dataclasses import dataclass
from pathlib import Path

from ..mapping import N, describe_actor, programme_contributes
from ..normalise import Fragment
from ..vocab import REGISTRY_GRAPH
from . import rules as extract
from .model import Actor, ActorLink, PlaceLink, Resolution, Resolver
from .places import Gazetteer
from .registry import Registry, _contains_words, key

FUZZY_THRESHOLD = 90.0  # rapidfuzz token_sort_ratio needed to take a registry actor for a name
RULE_CONFIDENCE = 0.7  # a new organisation found by rule
ROLE_CONFIDENCE = 0.6  # people by role ("county officials")
_LOCATIVE_THE = re.compile(r"\b(?:in|at|across|along|on)\s+the\s+$", re.I)
CONTRIBUTION_FIELDS = ("contribution_programme", "contribution_others")


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
