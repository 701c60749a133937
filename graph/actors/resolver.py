"""The full resolver: actors and places found in the free text of a fragment, resolved to one node each
across all fragments. A pipeline of small named components over a shared
:class:`~harvestgraph.actors.doc.FragmentDoc`, configured as data (:data:`PIPELINE`):

1. read: the language pipeline parses the sentences whose subjects matter (the outcome description's
   first sentence, every sentence of "Contribution of other actors and factors");
2. find candidates (:mod:`.finders`): registry, programme phrases, capitalised names by rule, entities,
   grammatical subjects, people by role, acronyms;
3. resolve them to actors (:mod:`.resolution`);
4. assign roles (:mod:`.roles`): changed, contributor, mentioned;
5. places (:mod:`.places`), outside the names of organisations.

Bad input never stops a batch: an unreadable, empty, huge or unpunctuated field is read as far as it
can be, with a warning naming the file, line and field.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
import weakref
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import islice
from pathlib import Path

from ..mapping import N, describe_actor
from ..normalise import Fragment
from ..vocab import REGISTRY_GRAPH
from . import language, roles, rules, scene
from .doc import FragmentDoc
from .memo import remembered
from .finders import FINDERS, bodies, learnt
from .finders.spans import with_post_place
from .learnt import changed as changed_model
from .model import Actor, PlaceLink, Resolution, Resolver
from .places import _UNIT_WORDS, Gazetteer, context_place, context_places, names_a_language
from .registry import Registry
from .resolution import RESOLVERS

PIPELINE = {
    "finders": ("registry", "programme", "rule", "entity", "subject", "role", "partner", "cued", "acronym", "gloss",
                "learnt", "list"),
    "resolvers": ("names", "roles", "acronyms", "short_forms"),
}
# The learnt span model as the last finder (finders/learnt.py), on by default since pipeline 20 (session 20):
# retrained on every tuned set it lifted changed actors on each of the four sets nobody tuned on (+1 label
# each: dev20 0.929 -> 0.940, dev24 0.950 -> 0.963, dev31 0.962 -> 0.975, dev32 0.881 -> 0.894), and reading the
# outcome description's first sentence only it costs ~1 ms of CPU a fragment (docs/extraction.md, round 20).
# ``WITHOUT_LEARNT``, ``from_registry(path, learnt=False)`` or ``$HARVESTGRAPH_LEARNT_SPANS=0`` leave it out.
WITH_LEARNT = PIPELINE
WITHOUT_LEARNT = {**PIPELINE, "finders": tuple(f for f in PIPELINE["finders"] if f != "learnt")}
LEARNT_ENV = "HARVESTGRAPH_LEARNT_SPANS"  # "0": :meth:`ActorResolver.from_registry` runs WITHOUT_LEARNT
PIPELINE_VERSION = "27"  # part of the fingerprint: a change re-maps stored fragments on re-ingest
PARSED_FIELDS = ("outcome_description", "contribution_others")
PREFETCH_CHUNK = 256  # fragments parsed together in ingest (~1,000 sentences, ~1 MB of parses)
CONTEXT_PLACE_CONFIDENCE = 0.6  # a place the gazetteer lacks, named as one by the text ("Kailali district")
WINDOWS_MEMO = 4096  # fields whose place windows are remembered (a prefetch chunk's, read again by resolve)
NO_PUNCTUATION_CHARS = 400  # a field this long without ".", "!" or "?" is read as one sentence (warned)

_live: "weakref.WeakSet[ActorResolver]" = weakref.WeakSet()


class ActorResolver(Resolver):
    """Registry + language pipeline + rules: who changed, who contributed, what is merely mentioned, and
    where."""

    def __init__(self, registry: Registry | None = None, gazetteer: Gazetteer | None = None,
                 pipeline: dict[str, tuple[str, ...]] | None = None):
        self.registry = registry or Registry()
        self.gazetteer = gazetteer or Gazetteer.load()
        self.pipeline = pipeline or PIPELINE
        _live.add(self)

    @classmethod
    def from_registry(cls, path: Path | str | None, learnt: bool | None = None) -> "ActorResolver":
        """The resolver of a registry file. ``learnt``: run the learnt span model as the last finder (a little
        more recall on new text for ~1 ms a fragment: docs/extraction.md, round 20); default: on unless
        ``$HARVESTGRAPH_LEARNT_SPANS`` is "0" (``harvestgraph ingest --no-learnt-spans`` sets it, so that forked
        workers read it too)."""
        if learnt is None:
            learnt = os.environ.get(LEARNT_ENV, "").strip() != "0"
        return cls(Registry.load(path), pipeline=WITH_LEARNT if learnt else WITHOUT_LEARNT)

    def warm(self) -> None:
        """Load the language model and the gazetteer's index now (before forking workers, so that each
        worker does not load them again)."""
        if "entity" in self.pipeline["finders"] or "subject" in self.pipeline["finders"]:
            language.nlp()
        if "learnt" in self.pipeline["finders"]:
            learnt.model()
            changed_model.model()
        self.gazetteer.warm()

    # -- Resolver interface

    def programme(self, frag: Fragment) -> Actor | None:
        """The fragment's programme: its FragmentID prefix, else a registry programme's code written as a
        part of the FragmentID ("DEV-OCSI14"), else the one programme its contribution field names, else
        the programme of the objectives column ("Link to OCSI Specific Objectives": in a mixed export one
        column name serves every row, so it comes last)."""
        if frag.programme:
            found = self.registry.programme(frag.programme)
            if found is not None:
                return found
        parts = {q for p in re.split(r"[-_/ ]", frag.id.upper()) for q in (p, p.rstrip("0123456789"))}  # "TST-HHHC15"
        coded = [a for a in self.registry.actors if a.kind == "programme" and (a.programme_code or "") in parts]
        if len(coded) == 1:
            return coded[0]
        text = frag.contribution_programme or ""
        named = {a.name: a for _, _, a in self.registry.match(text) if a.kind == "programme"}
        if len(named) == 1:
            return next(iter(named.values()))
        hint = _objective_hint(frag)
        if hint and self.registry.programme(hint) is not None:
            return self.registry.programme(hint)
        return super().programme(frag)

    def registry_quads(self):
        import pyoxigraph as ox

        g = N(str(REGISTRY_GRAPH))
        quads: list[ox.Quad] = []
        for a in self.registry.actors:
            describe_actor(lambda s, p, o: quads.append(ox.Quad(s, p, o, g)), a)
        return list(dict.fromkeys(quads))

    def fingerprint(self) -> str:
        # (the span model's training data too: a model retrained on new labels re-maps stored fragments)
        spans = f"-spans.{learnt.trained_on()[:12]}.{changed_model.trained_on()[:12]}" \
            if "learnt" in self.pipeline["finders"] else ""
        return f"actors-{rules.RULES_VERSION}.{PIPELINE_VERSION}{spans}-{self.registry.fingerprint()}"

    def resolve(self, frag: Fragment) -> Resolution:
        doc = FragmentDoc(frag, frag.text_fields(), self.programme(frag))
        for fld, text in doc.fields.items():  # ("Other actors and factors: the X validated ...": the label is no actor)
            if (label := rules.FIELD_LABEL.match(text)) is not None:
                doc.blocked.append((fld, label.start(), label.end()))
        self._check(doc)
        self._read(doc)
        for name in self.pipeline["finders"]:
            FINDERS[name](doc, self.registry, self.gazetteer)
        # ("seed money of NPR 5 lakh": the recogniser's ORG, or a rule's "USD 5 Grant Fund", is money)
        doc.mentions = [m for m in doc.mentions
                        if not rules.an_amount(m.text, doc.fields[m.field][max(0, m.start - 24):m.start])]
        # ("shared its Quechua teaching materials", "the Tharu word lists": a language or a people that qualifies a
        # thing is no actor)
        doc.mentions = [m for m in doc.mentions if not (m.source in ("entity", "rule", "subject", "acronym")
                                                        and _language_modifier(doc.fields[m.field], m))]
        with_post_place(doc, self.gazetteer)
        for name in self.pipeline["resolvers"]:
            RESOLVERS[name](doc, self.registry, self.gazetteer)
        doc.mentions = [m for m in doc.mentions if m.actor is not None]
        roles.changed(doc, self.registry, changed_model.spans if "learnt" in self.pipeline["finders"] else None)
        roles.contributors(doc, self.registry)
        places = self._places(doc)
        for w in doc.warnings:
            if w not in frag.warnings:
                frag.warnings.append(w)
        return Resolution(programme=doc.programme, actors=roles.links(doc), places=places,
                          builds_on=[r for t in doc.fields.values() for r in rules.fragment_refs(t) if r != frag.id])

    # -- reading

    def _check(self, doc: FragmentDoc) -> None:
        """Warnings for text the pipeline reads only in part."""
        if not doc.fields.get("outcome_description"):
            doc.warn("outcome_description", "empty outcome description: no changed actor can be found")
        for fld, text in doc.fields.items():
            if len(text) > language.MAX_PARSE_CHARS and fld in PARSED_FIELDS:
                doc.warn(fld, f"{len(text):,} characters: the language pipeline reads the first "
                              f"{language.MAX_PARSE_CHARS:,}, the registry and the rules read all of it")
            if len(text) > NO_PUNCTUATION_CHARS and not any(c in text for c in ".!?"):
                doc.warn(fld, "no sentence punctuation: the text is read as one sentence")

    def _read(self, doc: FragmentDoc) -> None:
        """Parse the sentences that matter (memoised per sentence: the same sentences come back)."""
        if not self._parses():
            return
        jobs: list[tuple[str, int, str]] = []
        for fld, english, sents in _parse_jobs(doc.fields):
            doc.parsed_sentences[fld] = [(s, s + len(t)) for s, t in sents]
            doc.english[fld] = english
            if not english:
                doc.warn(fld, "does not read as English: names are found by the registry and the rules, "
                              "not by the language pipeline")
                continue
            jobs += [(fld, s, text) for s, text in sents]
        for (fld, off, t), parsed in zip(jobs, language.parse_many([t for _, _, t in jobs])):
            at = _field_offset(doc.fields[fld], off, t)
            doc.entities.setdefault(fld, []).extend((at(s), at(e), label) for s, e, label in parsed.entities)
            doc.subjects.setdefault(fld, []).extend(
                bodies.seat_holders_read_as_verb(doc.fields[fld], replace(x, start=at(x.start), end=at(x.end),
                                                                          verb_start=at(x.verb_start)))
                for x in parsed.subjects)
        self._story(doc)

    def _story(self, doc: FragmentDoc) -> None:
        """The sentence of the outcome description that tells the change, when the first one does not.

        A story's first sentence about a person ("Maria Kopi remembers when the river ran grey. Today the X
        Authority publishes ..."): a person by name, the sentence's only subject, is no organisation that changed;
        the next sentence tells the change. A first sentence that sets the scene ("Floods in early 2023 destroyed
        the feeder roads. In March 2025 the X District Council adopted ..."): its subjects are no social actor
        (:func:`.scene.is_social_actor`), or it has none and starts with no name ("There were no water points in
        2023."); the first of the next :data:`.scene.TELLING_SENTENCES` sentences (not a quotation) whose main
        subject is one tells the change, and the scene's subjects are no candidates. A first sentence of people
        by role or things, none a body ("Domestic workers in Salvador have a new number to call."): the next
        sentence tells the change when a body's name opens it (round 15). Those sentences are parsed
        only then, one at a time (gold, dev .. dev12: 11 of 727 fragments, one parse each; 9 of them story openings)."""
        fld = "outcome_description"
        text = doc.fields.get(fld)
        if not text or not doc.english.get(fld) or not doc.parsed_sentences.get(fld) or rules.unpunctuated(text):
            return  # (the "sentences" of a text without punctuation are the clauses of one: no story opens it)
        first = doc.parsed_sentences[fld][0]
        ents = doc.entities.get(fld, [])
        people = [(s, e) for s, e, label in ents if label == "PERSON"]
        in_first = [x for x in doc.subjects.get(fld, []) if first[0] <= x.start < first[1]]
        subs = [x for x in in_first if x.main]
        # (a name with an organisation's head word is no person, whatever the recogniser says: "the Ministère de
        # l'Emploi et de la Protection Sociale" tagged PERSON)
        story = bool(_QUOTE_OPENING.match(text, first[0])) or (bool(subs) and all(
            (any(s <= x.start and x.end <= e for s, e in people)
             and not any(rules.is_head(w) for w in text[x.start:x.end].split()))
            or _told_as_a_person(text, x, first[1], people)
            for x in subs))
        # the first sentence's subjects that are social actors, judged once (a scene keeps them as candidates)
        social = [] if story else [x for x in in_first if scene.is_social_actor(text, x, ents, self.registry)]
        setting = not story and not any(x.main for x in social) \
            and (bool(subs) or not scene.names_an_actor(text, *first, ents, self.registry))
        # a scene of people by role or things, actors or not ("Domestic workers in Salvador have a new number to
        # call.", "On the road out of X, trucks of workers head to the kilns."): common nouns, none a body's
        # word; the change is the next sentence's only when a body's name opens it
        crowd = not (story or setting) and bool(subs) and all(
            not x.proper and not language.is_body_word(x.head) for x in subs)
        if not (story or setting or crowd):
            return
        cut = scene.after_opening(text, subs, first[1]) if setting else None
        if cut is not None:  # "After months of talks, rising costs ..., which ..., the X Board set ...": one more parse
            found, found_ents = _parse_at(text, cut, first[1])
            if any(x.main and scene.is_social_actor(text, x, found_ents, self.registry) for x in found):
                doc.subjects[fld] = [x for x in doc.subjects[fld] if not first[0] <= x.start < first[1]] + found
                doc.entities[fld].extend(x for x in found_ents if x not in ents)
                return
        sents = rules.sentences(text[:language.MAX_PARSE_CHARS])
        for k in range(1, min(len(sents), 1 + (scene.TELLING_SENTENCES if setting else 1))):
            s, e = sents[k]
            if setting and _QUOTED.match(text, s):
                continue  # ('"The big boats are gone," laughs X': what someone says tells no change)
            off = rules.lead_end(text, s, e)
            if crowd and not _opens_with_a_name(text, off, e):
                return
            found, found_ents = _parse_at(text, off, e)
            if not any(x.main and (not setting or scene.is_social_actor(text, x, found_ents, self.registry))
                       for x in found):
                continue
            if setting:  # (the scene's things are no candidates: "Floods" is no organisation)
                doc.subjects[fld] = [x for x in doc.subjects[fld] if not first[0] <= x.start < first[1]
                                     or any(x is y for y in social)]
            doc.parsed_sentences[fld].append((off, e))
            doc.entities[fld].extend(found_ents)
            doc.subjects[fld].extend(found)
            doc.outcome_sentence = k
            return

    def _parses(self) -> bool:
        return bool({"entity", "subject"} & set(self.pipeline["finders"]))

    def prefetch(self, fragments: Sequence[Fragment]) -> None:
        """Parse the sentences of many fragments in one ``nlp.pipe`` call, ahead of :meth:`resolve` (which
        then finds them memoised): spaCy batches the work instead of starting a pipe per fragment."""
        if not self._parses():
            return
        texts = [text for f in fragments for _, english, sents in _parse_jobs(f.text_fields()) if english
                 for _, text in sents]
        language.parse_many(texts)
        # the windows of names the gazetteer does not know, read together (one call: ~2.7x cheaper a window)
        windows = []
        for f in fragments:
            countries = [c.code for c in (f.country, *f.other_countries) if c is not None]
            if countries:
                windows += [w for fld, text in f.text_fields().items() if fld not in PARSED_FIELDS
                            for _, w, _ in self._place_windows(text, countries)]
        if windows:
            language.place_entities(windows)
        if "learnt" in self.pipeline["finders"]:
            learnt.prefetch([t for f in fragments for fld, t in f.text_fields().items() if fld in learnt.FIELDS])

    def prefetching(self, fragments: Iterable[Fragment], chunk: int = PREFETCH_CHUNK) -> Iterator[Fragment]:
        """``fragments`` as they come, each chunk of them parsed together first (see :meth:`prefetch`)."""
        it = iter(fragments)
        while batch := list(islice(it, chunk)):
            self.prefetch(batch)
            yield from batch

    # -- places

    def _places(self, doc: FragmentDoc) -> list[PlaceLink]:
        """Places named in the text, outside organisation names. The gazetteer is a registry of places, so
        the method is "registry"; ambiguity lowers the confidence."""
        countries = doc.countries()
        out: list[PlaceLink] = []
        marked = self._marked_places(doc, countries)
        # (a body's short form that is its place is the place: "Itang" after "the Itang woreda administration")
        doc.mentions = [m for m in doc.mentions if not (m.source == "short_form" and m.text in marked)]
        for fld, text in doc.fields.items():
            glossed = [(a, b) for f, a, b in doc.glosses if f == fld]  # (a name's gloss holds no place either)
            skip = [roles.masked(m) for m in doc.mentions if m.field == fld] + glossed
            taken = [*skip, *((p.start, p.end) for p in out if p.field == fld)]
            for name, p in marked.items():
                for w in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
                    if not _overlaps(taken, *w.span()):
                        out.append(PlaceLink(code=p.code, name=p.name, country=p.country, field=fld, start=w.start(),
                                             end=w.end(), text=name, method="rule",
                                             confidence=CONTEXT_PLACE_CONFIDENCE))
            hints = [(s, e) for s, e, label in doc.entities.get(fld, []) if label in ("GPE", "LOC", "FAC")]
            found = self.gazetteer.find(text, countries, skip, hints)
            if countries and fld not in PARSED_FIELDS and self._parses():
                hints += self._unexplained_place_hints(text, countries, skip)
            for pm in found:
                p = pm.place
                out.append(PlaceLink(code=p.code, name=p.name, country=p.country, field=fld, start=pm.start,
                                     end=pm.end, text=pm.text, method="registry", confidence=pm.confidence))
            out += self._placed_abroad(fld, text, countries, [*taken, *((p.start, p.end) for p in out
                                                                         if p.field == fld)])
            if not countries:
                continue
            # whole names, "of X" too; not the recogniser's guesses that play no role ("in Nukus and
            # Chimbay", Chimbay taken for an ORG): the text's own word on a place outweighs those
            # (a one-word contributor only because it is named in a contribution field, not the subject of a verb, is
            # a guess too: "supplied food to the health districts of Busoni and Gashoho")
            subj = [(x.start, x.end) for x in doc.subjects.get(fld, [])]
            guesses = [m for m in doc.mentions if m.field == fld and m.source == "entity" and m not in doc.changed
                       and (m not in doc.contributors or (" " not in m.text and not _overlaps(subj, m.start, m.end)))]
            names = [(m.start, m.end) for m in doc.mentions if m.field == fld and m not in guesses] + glossed
            groups = [(s, e) for s, e, label in doc.entities.get(fld, []) if label == "NORP"]
            # known: the gazetteer's places and the places a body's unit word marked (not found twice)
            spots = context_places(text, countries[0], names, [(p.start, p.end) for p in out if p.field == fld],
                                   self._is_country, hints, groups,
                                   guesses=[(m.start, m.end) for m in guesses if m in doc.contributors],
                                   abroad=lambda name: self._abroad(name, countries))
            doc.mentions = [m for m in doc.mentions if m not in guesses or not _overlaps(spots, m.start, m.end)]
            # a longer name the context gives replaces a gazetteer place inside it ("Borgo" of "Borgo Mezzanone")
            out = [p for p in out if p.field != fld or not any(s <= p.start and p.end <= e and (s, e) != (p.start, p.end)
                                                                for s, e in spots)]
            for s, e in spots:
                p = context_place(self.gazetteer, text[s:e], countries[0])
                out.append(PlaceLink(code=p.code, name=p.name, country=p.country, field=fld, start=s, end=e,
                                     text=text[s:e], method="rule", confidence=CONTEXT_PLACE_CONFIDENCE))
        return out

    def _abroad(self, name: str, countries: list[str]) -> bool:
        """The bundled gazetteer knows ``name`` only as a place of other countries ("Bonn", "Mato Grosso")."""
        cands = self.gazetteer.candidates(name)
        return bool(cands) and all(p.country not in countries for p in cands)

    def _placed_abroad(self, fld: str, text: str, countries: list[str],
                       taken: list[tuple[int, int]]) -> list[PlaceLink]:
        """A place the text locates in another country than the fragment's ("a visit to Joal in Senegal"): the
        name before "in <country>" is looked up in that country (the gazetteer reads a fragment's own countries)."""
        out = []
        for m in _IN_COUNTRY.finditer(text):
            if _overlaps(taken, *m.span("name")):
                continue
            country = next((p.country for p in self.gazetteer.candidates(m.group("country")) if p.is_country), None)
            if country is None or country in countries:
                continue
            p = self.gazetteer.lookup(m.group("name"), country)
            if p is not None and not p.is_country:
                out.append(PlaceLink(code=p.code, name=p.name, country=p.country, field=fld, start=m.start("name"),
                                     end=m.end("name"), text=m.group("name"), method="registry", confidence=0.8))
        return out

    def _marked_places(self, doc: FragmentDoc, countries: list[str]) -> dict:
        """Name → place for the places a lower-case body's or group's own words mark by their unit word ("the
        Itang woreda administration", "union parishads of Rajarhat upazila"). There they are a part of the
        actor's name, no place of the outcome; where the fragment names them alone ("in Itang and in
        Pinyudo") they are places, though the gazetteer does not know them."""
        if not countries:
            return {}
        out = {}
        for m in doc.mentions:
            if m.source == "role" and m.actor is not None:
                # (up to the unit word: the body word after it would make "Itang woreda" a body's name)
                unit = re.search(rf"\s(?:{_UNIT_WORDS})\b", m.text)
                for s, e in context_places(m.text[:unit.end()] if unit else m.text, countries[0]):
                    if not self.gazetteer.candidates(m.text[s:e], countries):
                        out[m.text[s:e]] = context_place(self.gazetteer, m.text[s:e], countries[0])
        return out

    def _unexplained_place_hints(self, text: str, countries: list[str],
                                 skip: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """In a field the language pipeline does not parse (significance, additional information, ...): a
        name after "in" / "at" that neither the gazetteer nor an actor's name explains ("special school in
        Huye") is shown to the entity recogniser in a window of its sentence; what it takes for a place
        becomes a hint, as in the parsed fields. (:meth:`prefetch` reads the windows of a chunk together.)"""
        windows = [(lo, w) for lo, w, (s, e) in self._place_windows(text, countries) if not _overlaps(skip, s, e)]
        if not windows:
            return []
        spans = language.place_entities([w for _, w in windows])
        return list(dict.fromkeys((off + a, off + b) for (off, _), ents in zip(windows, spans) for a, b in ents))

    def _place_windows(self, text: str, countries: list[str]) -> list[tuple[int, str, tuple[int, int]]]:
        """(offset, window text, name span) for each name after "in" / "at" the gazetteer does not know.
        Memoised (callers only read it): :meth:`prefetch` and then :meth:`resolve` ask for the same fields."""
        return remembered(self, "_windows_memo", WINDOWS_MEMO, (text, tuple(countries)),
                          lambda: self._find_place_windows(text, countries))

    def _find_place_windows(self, text: str, countries: list[str]) -> list[tuple[int, str, tuple[int, int]]]:
        out = []
        for m in _UNEXPLAINED.finditer(text):
            s, e = m.span(1)
            if m.group(1).split()[0] in _MONTHS \
                    or self.gazetteer.choose(self.gazetteer.candidates(m.group(1), countries), countries, True):
                continue
            lo = max(text.rfind(". ", 0, s) + 2, text.rfind("\n", 0, s) + 1, s - 80)
            hi = min([i for i in (text.find(". ", e), text.find("\n", e)) if i >= 0] + [e + 60, len(text)])
            lo = text.find(" ", lo) + 1 if lo > 0 and text[lo - 1] not in " \n" else lo
            out.append((lo, text[lo:hi], (s, e)))
        return out

    def _is_country(self, name: str) -> bool:
        return any(p.is_country for p in self.gazetteer.candidates(name))


# a capitalised name after "in" / "at" (not at a sentence start: "In Kenya, ..." is read by the gazetteer)
_UNEXPLAINED = re.compile(r"(?<=[a-z,;] )(?:in|at|near|outside)\s+(?:the\s+)?([A-ZÀ-ÝĀ-Ž][\w'’-]+(?:\s+[A-ZÀ-ÝĀ-Ž][\w'’-]+){0,2})")
# "to Joal in Senegal": a name, then "in" and a country's name
_IN_COUNTRY = re.compile(r"(?<![\w'’-])(?P<name>[A-ZÀ-ÝĀ-Ž][\w'’-]+(?: [A-ZÀ-ÝĀ-Ž][\w'’-]+)?),? in (?:the )?"
                         r"(?P<country>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2})(?![\w'’-])")
_MONTHS = frozenset(rules.names.MONTH_NAMES)


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)


# what tells that a capitalised subject the recogniser did not tag is a person: a personal pronoun that refers
# back to it ("Mama Furaha waited ... the man who attacked her"), an age in apposition ("Nimali, 22, from X,
# never thought ..."); and a story may open with what a person says ('"...", says Shazia, a ...'): the quote's
# words are no outcome's
_PERSONAL = re.compile(r"\b(?:she|her|hers|herself|he|him|his|himself)\b", re.I)
_AGE = re.compile(r",\s*\d{1,2}\s*,")
_QUOTED = re.compile(r"\s*[\"“‘]")
_QUOTE_OPENING = re.compile(r"\s*[\"“‘][^\"”’]{3,300}[\"”’],?\s+(?:says|said|recalls|recalled|remembers|explains|"
                            r"explained|tells|told)\b")


def _parse_at(text: str, s: int, e: int) -> tuple[list["language.Subject"], list[tuple[int, int, str]]]:
    """The subjects and entities of the sentence ``text[s:e]``, parsed alone, in the offsets of ``text``."""
    parsed = language.parse(text[s:e])
    return ([bodies.seat_holders_read_as_verb(text, language.shift(x, s)) for x in parsed.subjects],
            [(a + s, b + s, label) for a, b, label in parsed.entities])


def _opens_with_a_name(text: str, s: int, e: int) -> bool:
    """The sentence ``text[s:e]`` opens with an organisation's name the rules find (after "the", or a short
    leading phrase closed by a comma: "At the X kiln, the Y Department ...")."""
    names = rules.org_candidates(text[s:e])
    return bool(names) and _SHORT_LEAD.fullmatch(text, s, s + names[0].start) is not None


_SHORT_LEAD = re.compile(r"\s*(?:[^,;:.]{3,60},\s+)?(?:[Tt]he\s+)?")


def _told_as_a_person(text: str, x: "language.Subject", end: int, people: list[tuple[int, int]]) -> bool:
    """A proper-noun subject of one to three words with no organisation's head word, that its sentence (up to
    ``end``) tells is a person: a PERSON entity inside it, a personal pronoun after it, an age after it."""
    words = text[x.start:x.end].split()
    if not x.proper or not 1 <= len(words) <= 3 or any(rules.is_head(w) for w in words):
        return False
    return any(x.start <= s and e <= x.end for s, e in people) \
        or bool(_PERSONAL.search(text, x.end, end)) or bool(_AGE.match(text, x.end))


def _language_modifier(text: str, m) -> bool:
    """One word that names a language, followed by a lower-case word it qualifies ("its Quechua teaching materials"); not
    an acronym ISO 639-3 also lists ("KAFA")."""
    return " " not in m.text and not m.text.isupper() and names_a_language(m.text) \
        and re.match(r"\s+[a-z]", text[m.end:m.end + 2]) is not None


def _parse_jobs(fields: dict[str, str]) -> Iterator[tuple[str, bool, list[tuple[int, str]]]]:
    """Per parsed field: whether it reads as English, and the sentences to parse as (offset, text): the
    outcome description's first sentence, every sentence of "Contribution of other actors and factors";
    each from after a leading phrase (see :func:`rules.lead_end`)."""
    for fld in PARSED_FIELDS:
        text = fields.get(fld)
        if not text:
            continue
        english, sents = _field_jobs(fld, text)
        yield fld, english, list(sents)


@lru_cache(maxsize=4 * PREFETCH_CHUNK)  # pure: :meth:`ActorResolver.prefetch` and then ``_read`` ask for it
def _field_jobs(fld: str, text: str) -> tuple[bool, tuple[tuple[int, str], ...]]:
    sents = rules.sentences(text[:language.MAX_PARSE_CHARS])
    if fld == "outcome_description":
        # (and the next two of a text without punctuation, whose "sentences" are its clauses: their subjects' names
        # are found by the parse, :func:`.roles._later_sentence_actors` decides whether they changed)
        sents = sents[:3 if len(sents) > 1 and rules.unpunctuated(text) else 1]
    else:  # "X collected 400 complaints; the IOM covered ...": each clause has a subject of its own
        sents = [c for s, e in sents for c in rules.clauses(text, s, e)]
    starts = [rules.lead_end(text, s, e) for s, e in sents]
    return language.looks_english(text), tuple((s, _note_as_clause(text, s, e)) for s, (_, e) in zip(starts, sents))


def _field_offset(text: str, off: int, parsed: str):
    """The field offset of an offset in ``parsed``, the text parsed for ``text[off:]``: the same plus ``off`` (also
    where characters were blanked, :func:`_defined_first`), and one more after a note's colon that was left out
    (:func:`_note_as_clause`)."""
    seg = text[off:off + len(parsed)]
    if parsed == seg or all(a == b or a == " " for a, b in zip(parsed, seg)):
        return lambda o: o + off
    cut = next(i for i, (a, b) in enumerate(zip(parsed, text[off:off + len(parsed)])) if a != b)
    return lambda o: o + off + (o >= cut)


# "TRC (Telecommunications Regulatory Commission) lifts ...": an acronym that opens the clause with its name in
# brackets after it
_DEFINED_FIRST = re.compile(r"(?P<acr>[A-Z][A-Za-z&-]*[A-Z][A-Za-z]*)\s*\((?P<name>[A-ZÀ-Ý][^()\n.;:,]{3,200})\)\s+(?=[a-z])")


def _defined_first(text: str, s: int, e: int) -> str | None:
    """``text[s:e]`` with an opening acronym and the brackets around the name that spells it blanked ("INAI (Instance
    Nationale d'Accès à l'Information) orders ..." read as "      Instance Nationale d'Accès à l'Information  orders
    ..."), so that the parser reads the name as the subject of the verb after it (the same length: every offset
    stays); None when the clause opens otherwise."""
    m = _DEFINED_FIRST.match(text, s, e)
    if m is None or not any(n.start == m.start("name") - s and n.end == m.end("name") - s
                            for n in rules.defined_names(text[s:e])):
        return None
    a, b = m.start("name"), m.end("name")
    return " " * (a - s) + text[a:b] + " " * (m.end() - b) + text[m.end():e]


def _note_as_clause(text: str, s: int, e: int) -> str:
    """``text[s:e]`` to parse: a note "<who>: <did what>" without its colon, so that the parser finds the
    subject of the verb (:func:`_field_offset` maps the parse's offsets after it back to the field's); an acronym
    that opens it with its name in brackets, blanked (:func:`_defined_first`)."""
    c = rules.note_colon(text, s, e)
    if c is None:
        blanked = _defined_first(text, s, e)
        return blanked if blanked is not None else text[s:e]
    bullet = text.find("•", c, e)  # (the note ends at the next item of a bulleted line)
    return text[s:c] + text[c + 1:e if bullet < 0 else bullet].rstrip()


def _objective_hint(frag: Fragment) -> str | None:
    """The programme named in the field "Link to <PROG> Specific Objectives": the one the row fills (a
    mixed export has one such column per programme, the others left empty), else the first."""
    hints = [(f.value, hint) for f in frag.raw.fields if (hint := getattr(f.match, "programme_hint", None))]
    filled = [hint for value, hint in hints if (value or "").strip()]
    if filled:
        return filled[0]
    return hints[0][1] if hints else None


def _warm_before_fork() -> None:
    """Forked ingest workers inherit a loaded model instead of each loading their own."""
    for r in list(_live):
        try:
            r.warm()
        except Exception:  # pragma: no cover - a worker loads lazily then
            pass


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_warm_before_fork)
