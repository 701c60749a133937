"""Names written as names: the capitalisation rules' organisation names with their appositions
("X, a local NGO"), names defined in the text, and the language pipeline's entities."""

from __future__ import annotations

import re

from .. import rules
from ..doc import FragmentDoc, Mention, ROLE_CONFIDENCE
from ..places import Gazetteer, spoken_in
from ..registry import Registry
from .spans import (
    MONTHS, NOT_ORG_LAST, a_date, clean_span, complete_name, is_place, lists_a_place,
    overlaps, split_at_second_name, without_places, without_place_possessive,
)

_ENTITY_ACTOR_LABELS = ("ORG",)


def org_names(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """Capitalised names with an organisational head word ("... Network", "Ministry of ..."), after the
    names an organisation noun stands beside (:func:`apposed`); a unit written in lower case "of the" a
    name is the unit ("the budget committee of the Cámara de Senadores")."""
    apposed(doc, registry, gazetteer)
    for fld, text in doc.fields.items():
        for c in rules.org_candidates(text, doc.taken(fld)):
            if registry.is_ignored(c.text):
                doc.blocked.append((fld, c.start, c.end))  # no later finder takes a part of it
                continue
            s = c.start
            unit = _UNIT_OF_THE.search(text, max(0, s - 80), s)
            if unit is not None and unit.end() == s and not overlaps(doc.taken(fld), unit.start("unit"), s):
                s = unit.start("unit")
                while (w := re.match(r"(?:the|a|an|by|with|and|to|from|its|their|his|her)\s+", text[s:c.start])):
                    s += w.end()  # "(supported by) the budget committee": the unit starts after them
            s = without_place_possessive(doc, gazetteer, fld, text, s, c.end)  # ("Lebanon's Ministry of Labour")
            if rules.cut_from_owner(text, s):
                doc.blocked.append((fld, s - 3, s))  # the owner's possessive the rules cut off stays off
            e = c.end
            poss = re.search(r"['’]s\s+(?=[A-Z])", text[s:e])
            if poss is not None and poss.start() >= 3 and _OFFICE_AFTER.match(text, e):
                e = s + poss.start()  # "Radio Okapi's Uvira office": the organisation acts through its office
            if " and " in text[s:e] and lists_a_place(doc, gazetteer, text[s:e]):
                continue  # ("floods in Usulután and La Unión": two departments, not a union)
            e = _place_after_comma(doc, gazetteer, text, e, doc.taken(fld))
            doc.mentions.append(Mention(fld, s, e, text[s:e], "rule", method="rule"))
    defined(doc, registry, gazetteer)


# a place (or a branch) after a name's head and a comma, then no other name: "Inspectorate of Factories, Tamil Nadu,
# ordered ...", "Divisional Cooperative Office, Kailali and the ward chairs ...", "... Union of Teachers, Kakamega
# Branch"
_PLACE_AFTER_COMMA = re.compile(r",\s+(?P<place>[A-ZÀ-ÝĀ-Ž][\w'’-]*(?:\s+[A-ZÀ-ÝĀ-Ž][\w'’-]*)?)"
                                r"(?=\s*[,.;:)]|\s+(?:and\s+(?:the\s+)?[a-z]|[a-z]))")


def _place_after_comma(doc: FragmentDoc, gazetteer: Gazetteer, text: str, e: int, taken) -> int:
    """Where a name ends that names its place or branch after its head and a comma (:data:`_PLACE_AFTER_COMMA`):
    a place of the fragment's countries, a country, or "<X> Branch"; else ``e``; not a place the name holds."""
    m = _PLACE_AFTER_COMMA.match(text, e)
    if m is None or overlaps(taken, m.start("place"), m.end()):
        return e
    place, name = m.group("place"), text[max(0, e - 80):e].split()
    if place.split()[0] in name:
        return e  # ("the Kisumu County Assembly, Kisumu, ...": where it sits, said again)
    if place.split()[-1] in ("Branch", "Chapter"):
        return m.end()
    countries = doc.countries()
    known = [p for p in gazetteer.candidates(place, countries) if p.country in countries or p.is_country]  # is_place
    # (a national body's town after a comma is where it met, not its name: "the National Youth Commission, Kambia")
    if known and (any(p.is_country for p in known) or "National" not in name):
        return m.end()
    return e


_OFFICE_AFTER = re.compile(r"\s+(?:(?:regional|provincial|district|county|country|field|local)\s+)?"
                           r"(?:office|offices|branch|bureau|studio|studios|station|team)\b")


def defined(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """A part of the "rule" finder: the name an acronym in brackets defines is one name, whatever the
    head-word rules made of it ("Community Initiatives Facilitation and Assistance (CIFA)" cut at "and",
    "Journaliste en Danger (JED)" with no head word): the rules' parts inside it give way to it. A registry
    name, a blocked name or a name reaching outside it stays as it is."""
    for fld, text in doc.fields.items():
        for d in rules.defined_names(text):
            s, e = clean_span(text, d.start, d.end)
            name = text[s:e]
            if e - s < 3 or len(name.split()) < 2 or registry.is_ignored(name) or is_place(doc, gazetteer, name) \
                    or any(f == fld and a < e and s < b for f, a, b in doc.blocked):
                continue
            inside = [m for m in doc.mentions if m.field == fld and m.start < e and s < m.end]
            if any(m.source not in ("rule", "apposition") or m.start < s or e < m.end for m in inside) \
                    or [(m.start, m.end) for m in inside] == [(s, e)]:
                continue
            doc.mentions = [m for m in doc.mentions if m not in inside]
            doc.mentions.append(Mention(fld, s, e, name, "rule", method="rule"))


# a sub-unit in lower case before "of the <Name>": "budget committee", "committee on public accounts"
_UNIT_OF_THE = re.compile(r"(?<![\w-])(?P<unit>(?:[a-z][\w-]*\s+){0,2}(?:committee|sub-committee|subcommittee|unit|"
                          r"commission|secretariat|directorate|department|division|section|caucus|taskforce|"
                          r"task\s+force)(?:\s+(?:on|for)\s+(?:[a-z][\w-]*\s+){0,3}?[a-z][\w-]*)?)\s+of\s+the\s+")


# one capitalised word joined to the end of a name by another language's "and", then no other capitalised
# word: a second surname or the last portfolio of the name, not a second organisation
_LAST_JOINED = re.compile(r" (?:y|e|i|et) ([A-ZÀ-ÝĀ-Ž][\w'’-]+)(?=[.,;:)]|\s+[^\W\d_A-ZÀ-ÝĀ-Ž]|\s*$)")


def entities(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """Organisations the language pipeline's entity recogniser found (ORG), where no earlier finder
    found a name; places it found (GPE, LOC, FAC) are left to the gazetteer."""
    for fld, ents in doc.entities.items():
        text = doc.fields[fld]
        for s, e, label in ents:
            if label not in _ENTITY_ACTOR_LABELS:
                continue
            s, e = clean_span(text, s, e)
            # (not "d'Arguin": an elided article and a capitalised word, "Parc National du Banc d'Arguin")
            while (w := re.search(r"\s+(?![dl]['’][^\W\d_a-z])[a-z][\w'’-]*$", text[s:e])) \
                    and text[s:s + w.start()].split()[-1] \
                    not in rules.CONNECTORS:
                e = s + w.start()  # "World Vision co-funded": a name ends in a capitalised word
            e = rules.unit_after(text, e) or without_places(doc, gazetteer, text, s, e)  # "Bupati of Jayapura regency"
            # "The Integrated Bar" + " of the Philippines": a country after the recogniser's name is a part of it
            e = rules.extend_name(text, e, doc.taken(fld))
            tail = _LAST_JOINED.match(text, e)
            if tail is not None and not rules.is_head(tail.group(1)):
                e = tail.end()  # "Hospital ... José María Cabral y Báez", "Ministerio de Agricultura y Ganadería"
            name = text[s:e]
            if registry.is_ignored(name):
                doc.blocked.append((fld, s, e))
                continue
            if e - s < 3 or not name[:1].isupper() or " and " in name or registry.is_ignored(name) \
                    or rules.ACRONYM.fullmatch(name) or name.split()[-1] in NOT_ORG_LAST \
                    or is_place(doc, gazetteer, name) \
                    or name.split()[0] in MONTHS or rules.FRAGMENT_REF.fullmatch(name) \
                    or (" " not in name and spoken_in(text, s, e)) \
                    or lists_a_place(doc, gazetteer, name):
                continue  # ("aired the lists in Mende": a language; "including Garissa, Kisumu": places)
            if overlaps(doc.taken(fld), s, e):
                split_at_second_name(doc, fld, text, s) or complete_name(doc, fld, text, s, e, "entity", registry)
                continue
            group = _group_after(text, s, e)
            if group is not None:
                if not overlaps(doc.taken(fld), s, group):
                    doc.mentions.append(Mention(fld, s, group, text[s:group], "role", None, "entity", ROLE_CONFIDENCE))
                continue
            doc.mentions.append(Mention(fld, s, e, name, "entity", method="entity"))


def _group_after(text: str, s: int, e: int) -> int | None:
    """Where a group of people ends that a word capitalised only because it starts a sentence
    modifies: "Church women's groups campaigned ...", "Quilombola women's groups collected ..." (the
    recogniser takes "Church" for an organisation). A possessive group says so: an organisation's own
    groups would be "Church's ..."; "Oxfam volunteers" stays Oxfam. None otherwise."""
    if " " in text[s:e] or text[max(0, s - 3):s].rstrip()[-1:] not in ("", ".", ";", ":", "!", "?") \
            or not re.match(r" [a-z]", text[e:e + 2]):
        return None
    g = rules.role_group_at(text, e + 1)
    if g is None or not re.match(r"[a-z]+(?:['’]s|s['’])\s", g.text):
        return None
    return g.end


# capitalised words and "of" right before a name found beside an organisation noun: the name's own first words
# ("Bridge of Hope, an Armenian NGO"), where what follows "of" is no place ("Benkadi of Sévaré" is Benkadi, located)
_NAME_OF = re.compile(r"(?<![\w'’-])(?P<first>[A-ZÀ-ÝĀ-Ž][\w'’-]*)(?: [A-ZÀ-ÝĀ-Ž][\w'’-]*){0,2} of (?:the )?$")


def apposed(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """A part of the "rule" finder: names an organisation noun stands beside ("the NGO Erdem Tusgal", "Nodi o Jibon, a local NGO"):
    organisations whose names carry no organisation word, in any language."""
    for fld, text in doc.fields.items():
        nouns: list[tuple[int, int]] = []
        for c in rules.apposed_names(text, doc.taken(fld), nouns):
            if registry.is_ignored(c.text) or is_place(doc, gazetteer, c.text) or a_date(c.text):
                continue
            before = _NAME_OF.search(text, max(0, c.start - 60), c.start)
            if before is not None and before.group("first") not in rules.LEADING_STOP \
                    and not overlaps(doc.taken(fld), before.start(), c.start):
                c = rules.Span(before.start(), c.end, text[before.start():c.end])  # "Bridge of Hope, an NGO, ..."
            doc.mentions.append(Mention(fld, c.start, c.end, c.text, "apposition", method="rule"))
        # "the Wayuu women's organisation Sütsüin Jieyuu Wayuu": the noun phrase before the name says what
        # it is; no later finder takes it for an actor of its own
        doc.blocked += [(fld, s, e) for s, e in nouns]
