"""Resolution: every candidate name to one actor, never a silent merge. First hit wins:

1. the registry (canonical name, aliases, acronyms: ``method="registry"``);
2. an acronym the same fragment taught ("Kenya Human Rights Commission (KHRC)") or the initials of a
   name in it ("RDC" for "Resident District Commissioner of Arua");
3. a short form of a longer name in the same fragment ("the County Assembly" → "Mombasa County
   Assembly") or of exactly one registry name;
4. a fuzzy match to the registry (rapidfuzz, :data:`FUZZY_THRESHOLD`: ``method="fuzzy"``);
5. otherwise a new actor with ``status="extracted"`` and a confidence, to be reviewed
   (``harvestgraph actors review``) and fed back into the registry (``harvestgraph actors apply``).

Each step is a component ``step(doc, registry, gazetteer)`` listed in :data:`RESOLVERS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import rules
from .doc import RULE_CONFIDENCE, ROLE_CONFIDENCE, FragmentDoc, Mention
from .model import Actor
from .places import Gazetteer
from .registry import Registry, _contains_words, key

FUZZY_THRESHOLD = 90.0  # rapidfuzz token_sort_ratio needed to take a registry actor for a name
_LOCATIVE_THE = re.compile(r"\b(?:in|at|across|along|on)\s+the\s+$", re.I)
# "worst in Binga" after "the Binga Rural District Council", "Gabura, in Shyamnagar upazila" after "Gabura Union
# Parishad": the word that opens the name of a body named after its place (then a level, a kind of town or a unit:
# "Rural", "City", "District", "Union", "Commune", "Divisional" ...) is, alone, the place, not the body
_PLACE_BODY_SECOND = frozenset("""Rural Urban City Town Municipal Metropolitan County District Provincial Regional
Municipality Village Ward Shire Borough Union Commune Divisional Upazila Woreda Kebele Sub-County Subcounty Parish
Barangay Panchayat Gram Zilla Sector Cell Community""".split())
NAME_SOURCES = ("rule", "apposition", "entity", "subject")


def clean_name(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().replace("’", "'")


def names(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """Names found by rule, entity or subject → registry (exact, short form, fuzzy) or a new actor."""
    named = [m for m in doc.mentions if m.source == "registry"]
    for m in sorted((m for m in doc.mentions if m.source in NAME_SOURCES and m.actor is None),
                    key=lambda m: -len(m.text)):
        hit = registry.find(m.text)
        if hit is not None:
            m.actor, m.method, m.confidence = hit, "registry", 1.0
            named.append(m)
            continue
        longer = {o.actor.name: o.actor for o in named
                  if _contains_words(o.actor.name, m.text) or _contains_words(o.text, m.text)}
        if len(longer) == 1:
            m.actor, m.confidence = next(iter(longer.values())), 0.8
            continue
        part = registry.part_of(m.text) if not longer else None
        if part is not None:
            m.actor, m.method, m.confidence = part, "registry", 0.8
            named.append(m)
            continue
        best, score = registry.suggest(m.text)
        if best is not None and score >= FUZZY_THRESHOLD:
            m.actor, m.method, m.confidence = best, "fuzzy", round(score / 100, 3)
        else:
            m.actor = Actor(name=clean_name(m.text), kind=rules.kind_of(m.text), status="extracted",
                            confidence=RULE_CONFIDENCE)
        named.append(m)


def roles(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """People by role are named in lower case as written ("Women councillors" → "women councillors")."""
    for m in doc.mentions:
        if m.source == "role" and m.actor is None:
            name = rules.role_name(_earlier_phrase(doc, m) or m.text)
            known = registry.find(name)
            if known is not None:
                m.actor, m.method, m.confidence = known, "registry", 1.0
            else:
                m.actor = Actor(name=name, kind=rules.kind_of(m.text) if "group" in name else "individual",
                                status="extracted", confidence=ROLE_CONFIDENCE)


_THE_BEFORE = re.compile(r"\b(?:[Tt]he|[Tt]hese|[Tt]hose)\s+$")


def _earlier_phrase(doc: FragmentDoc, m: Mention) -> str | None:
    """A bare role word that refers back ("The paralegals accompanied ...") means the group an earlier
    field or sentence named in full ("WERP trained 40 community land paralegals"): the first longer
    role phrase ending in the same words, written before it in the record. None if there is none."""
    words = m.text.split()
    if len(words) > 2 or not _THE_BEFORE.search(doc.fields[m.field][max(0, m.start - 8):m.start]):
        return None
    order = list(doc.fields)
    # (from the start of a word: not "he families" inside "The families")
    tail = re.compile(rf"(?<![\w'’-])((?:[a-z][\w'’-]*\s+){{1,3}}){re.escape(m.text.lower())}\b")
    for fld in order[:order.index(m.field) + 1]:
        text = doc.fields[fld]
        stop = m.start if fld == m.field else len(text)
        for hit in tail.finditer(text, 0, stop):
            for k in range(hit.start(), hit.start(1) + len(hit.group(1))):
                if k != hit.start() and text[k - 1] != " ":
                    continue
                g = rules.role_group_at(text, k)
                if g is not None and g.end == hit.end() and len(g.text.split()) > len(words):
                    return g.text
    return None


def acronyms(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """Unknown acronyms: taught by "Name (ACR)" in this fragment, or the initials of a name in it.
    An acronym extended by a country word ("MISA Zambia") that nothing explains is a new actor."""
    taught: dict[str, Actor] = {}
    for m in doc.mentions:
        if m.actor is not None:
            p = rules.paren_acronym_after(doc.fields[m.field], m.end)
            if p is not None:
                taught.setdefault(p.text, m.actor)
            # ("The HAAC, Haute Autorité de l'Audiovisuel et de la Communication, has lifted ...")
            p = rules.acronym_before(doc.fields[m.field], m.start, m.text)
            if p is not None:
                taught.setdefault(p.text, m.actor)
    for m in doc.mentions:
        # "PKBI NTB", "AMAN Kalimantan Barat" where "Perkumpulan Keluarga Berencana Indonesia (PKBI)" is written:
        # a branch written as the acronym the fragment teaches and a region is that organisation
        first = m.text.split(" ", 1)[0]
        if " " in m.text and first in taught and rules.ACRONYM.fullmatch(first) and m.source != "registry" \
                and (m.actor is None or m.actor.status == "extracted"):
            m.actor = taught[first]
    actors = {m.actor.name: m.actor for m in doc.mentions if m.actor is not None}
    things = None
    for m in doc.mentions:
        if m.source != "acronym" or m.actor is not None:
            continue
        if things is None:  # (read once, and only for a fragment with an acronym nothing has explained yet)
            things = _defined_as_things(doc)
        if m.text in things:
            continue
        if m.text in taught:
            m.actor = taught[m.text]
            continue
        by_initials = [a for a in actors.values() if rules.initials(a.name) == m.text.rstrip("!")]
        if not by_initials:
            # "NUPW" for the "National Union of Plantation Workers": the complement's capitals spelt too
            by_initials = [a for a in actors.values() if " " in a.name
                           and rules.initials(a.name, whole=True) == m.text.rstrip("!")]
        if not by_initials and _acts(doc, m):
            # "COMAR opened an office" for the "Comisión Mexicana de Ayuda a Refugiados" named in another field: its
            # letters in order (weaker than initials: only an acronym that acts; not "the EACC online tool")
            by_initials = [a for a in actors.values() if " " in a.name and rules.spelt_by(m.text.rstrip("!"), a.name)]
        if len(by_initials) == 1:
            m.actor, m.confidence = by_initials[0], 0.7
        elif " " in m.text or _agency(doc.fields[m.field], m, _acts(doc, m)):
            # "MISA Zambia", "RDRS Bangladesh"; "UNICEF", "BRAC": an organisation known by its acronym
            m.actor = registry.find(m.text) or Actor(name=clean_name(m.text), kind="ngo", status="extracted",
                                                     confidence=RULE_CONFIDENCE if " " in m.text else 0.6)


# An acronym and the lower-case words that spell it, either way round: "KMC (kangaroo mother care)", "manual vacuum
# aspiration (MVA)"
_ACRONYM_THEN_WORDS = re.compile(r"(?<![\w-])(?P<acr>[A-Z][A-Za-z]{0,3}[A-Z][A-Za-z]*)s?\s*\((?P<lf>[a-z][a-z'’ -]{2,80})\)")
_WORDS_THEN_ACRONYM = re.compile(r"(?P<lf>(?:[a-z][a-z'’-]*\s+){1,6}[a-z][a-z'’-]*)\s*\((?P<acr>[A-Z][A-Za-z]{0,3}[A-Z][A-Za-z]*?)s?\)")


def _defined_as_things(doc: FragmentDoc) -> frozenset[str]:
    """The acronyms the fragment itself spells out in lower-case words that name a thing, a method or a service, not
    a body or a group ("KMC (kangaroo mother care)", "manual vacuum aspiration (MVA)"; not "village health teams
    (VHTs)"): no organisation, wherever they are written."""
    from .scene import _actor_word

    out: set[str] = set()
    for text in doc.fields.values():
        if "(" not in text:
            continue
        for m in (*_ACRONYM_THEN_WORDS.finditer(text), *_WORDS_THEN_ACRONYM.finditer(text)):
            acr, words = m["acr"], m["lf"].replace("-", " ").split()
            letters = [c for c in acr if c.isupper()]
            spelt = "".join(w[0] for w in words[-len(letters):]).upper() if len(words) >= len(letters) else ""
            if spelt == "".join(letters) and not _actor_word(words[-1]):
                out.add(acr)
    return frozenset(out)


# Capitals that are not an organisation's name (people, issues, units, documents, currencies).
NOT_AGENCIES = frozenset("""NGO NGOS CSO CBO CBOS FBO INGO HRD HRDS WHRD WHRDS MP MPS MCA MCAS PWD PWDS IDP IDPS LGBT
LGBTI LGBTQ LGBTQI SOGI GBV SGBV FGM HIV AIDS TB COVID ICT SMS GPS USD EUR KES UGX TZS ZAR NGN BDT INR PKR MOU MOA
TOR TORS CEO CSR PPP GDP SDG SDGS OH FAQ PDF URL FM AM TV CCTV VAT ID IDS RDC DC CS PS CEC MCA
DNA CPR ASV ARV ARVS PPE ORS WASH SRHR SRH OPD ICU ECG MRI PCR SIM QR ATM GIS KPI KPIS UHC NCD NCDS ECD TVET STEM
MNCH PHC ANC PNC HPV AMR IPM GAP SOP SOPS""".split())  # (medicines, tests, services, methods: "vials of ASV")


# (an organisation's office or team acting is the organisation: "The UNHCR office in Lesvos raised ...")
_ACTS_AFTER = re.compile(r"\s*(?:[,.;:)]|$|and\b|or\b|with\b|to\b|for\b|in\b|on\b|at\b|also\b|then\b|had\b|has\b|"
                         r"(?:country\s+)?(?:office|offices|team|teams|staff|branch|mission)\b|"
                         r"have\b|was\b|were\b|is\b|are\b|(?:[a-z]+-)?[a-z]+ed\b|[a-z]+s\b|'s\b|’s\b)")  # ("co-financed")


def _acts(doc: FragmentDoc, m: Mention) -> bool:
    """The parse reads the acronym as the doer of a verb ("UNICEF paid ...": a subject or an agent), or a
    contribution phrase introduces it ("with support from the UK's FCDO")."""
    return any(x.start == m.start and x.end == m.end for x in doc.subjects.get(m.field, ())) \
        or rules.contributes_by_phrase(doc.fields[m.field], m.start)


def _agency(text: str, m: Mention, acts: bool = False) -> bool:
    """An all-capital acronym of three letters or more that names an organisation acting in the sentence
    ("UNICEF provided ...", "funded by UNFPA."): not one a name taught in brackets ("(OFRANEH)"), not a
    modifier ("the DAR officer", "the ASER survey"), not a country code."""
    import pycountry

    t = m.text
    camel = len(t) >= 5 and t.isalpha() and sum(c.islower() for c in t) >= 3  # "HakiElimu", "SAFEnet", "WaterAid"
    # (an agency and its region or unit joined by a hyphen: "DOH-CAR", "KEMSA-KE"; not "HIV-AIDS")
    parts = t.split("-")
    capitals = all(p.isupper() and p.isalpha() for p in parts) and not any(p in NOT_AGENCIES for p in parts)
    if len(parts) == 2 and parts[0].isupper() and parts[0].isalpha() and parts[0] not in NOT_AGENCIES \
            and rules.names._place_words().fullmatch(parts[1]):
        capitals = True  # an agency and its country joined by a hyphen: "WWF-Malaysia"
    if len(parts) == 2 and parts[0] in ("UN", "EU", "AU") and parts[1][:1].isupper() and parts[1][1:].islower():
        capitals = True  # a United Nations programme named by its system's prefix: "UN-Habitat", "UN-Women"
    if len(t) < 3 or not (capitals or camel) or t in NOT_AGENCIES:
        return False
    if text[max(0, m.start - 1):m.start] == "(" or pycountry.countries.get(alpha_3=t) is not None:
        return False
    return acts or bool(_ACTS_AFTER.match(text, m.end))


def short_forms(doc: FragmentDoc, registry: Registry, gazetteer: Gazetteer) -> None:
    """"Amnesty" after "Amnesty International Netherlands" in the same record: the one actor whose
    name, written earlier, starts with that word (never a place name, never ambiguous)."""
    doc.mentions = [m for m in doc.mentions if m.actor is not None]
    order = list(doc.fields)
    countries = doc.countries()
    # the mentions of names of several words by their first word (the words of most fragments start none:
    # the checks below, a gazetteer look-up among them, then run only for a word that may be a short form)
    by_first: dict[str, list[Mention]] = {}
    for m in doc.mentions:
        words = m.actor.name.split()
        if len(words) > 1:
            by_first.setdefault(key(words[0]), []).append(m)
    out = []
    for fld, text in doc.fields.items():
        for w in rules.isolated_words(text, doc.taken(fld)):
            named = by_first.get(key(w.text))
            if not named:
                continue
            here = (order.index(fld), w.start)
            earlier = {m.actor.name: m.actor for m in named if (order.index(m.field), m.start) < here}
            if len(earlier) != 1:
                continue
            before = text[max(0, w.start - 12):w.start]
            if registry.is_ignored(w.text) or gazetteer.find(w.text, countries) or _LOCATIVE_THE.search(before) \
                    or all(n.split()[1] in _PLACE_BODY_SECOND for n in earlier):
                continue  # a place, or "at the Coast": a region, not the "Coast ... Network"
            out.append(Mention(fld, w.start, w.end, w.text, "short_form", next(iter(earlier.values())),
                               "short_form", 0.8))
    doc.mentions += out


RESOLVERS: dict[str, Callable[[FragmentDoc, Registry, Gazetteer], None]] = {
    "names": names,
    "roles": roles,
    "acronyms": acronyms,
    "short_forms": short_forms,
}
