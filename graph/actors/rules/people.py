"""People and groups by role ("county officials", "women's water committees", "the district education
manager"): lower-case noun phrases ending in a plural noun of people or groups, or a person by office."""

from __future__ import annotations

import re

from .names import is_head
from .text import Span


# People by role: "women journalists", "county officials", "clan leaders", "women with disabilities".
ROLE_HEADS = ("journalists|officials|leaders|councillors|councilors|paralegals|farmers|workers|activists|elders|"
              "chiefs|survivors|widows|teachers|lawyers|officers|residents|monitors|students|youth|women|men|girls|"
              "boys|defenders|legislators|MPs|judges|magistrates|headmen|chairpersons|volunteers|mothers|"
              "fishers|traders|vendors|parents|pastoralists|herders|midwives|nurses|doctors|police")


_ROLE = re.compile(rf"(?P<np>(?:(?P<mod>[A-Za-z][a-z'’-]+)\s+)?(?P<head>{ROLE_HEADS})(?:\s+with\s+disabilities)?)\b",
                   re.I)


_NOT_MODIFIER = frozenset("the a an and or of in on at by to from with who which that had has have were was are is "
                          "been being also then now some all many most few several".split())


# Plural heads of people and groups ("smallholder maize cooperatives", "community radio stations")
GROUP_HEADS = frozenset("""people men women youth youths girls boys children staff police members leaders officials
chiefs elders groups cooperatives co-operatives committees associations unions councils stations authorities
agencies organisations organizations communities households families networks coalitions forums clubs
federations movements collectives societies institutions ministries departments offices schools hospitals clinics
courts councillors councilors assemblies parliamentarians legislators mps judges magistrates police paralegals
officials individuals nationals professionals locals chairpersons headmen
teams boards panels brigades crews squads caucuses platforms newsrooms outlets centres centers bodies apprentices""".split())


# Plural group nouns of French, Spanish and Portuguese, written first ("groupements de développement
# agricole", "comités de vigilance", "juntas de vecinos"): English group heads are written last.
ROMANCE_GROUP_HEADS = frozenset("""groupements groupes comités comites associations coopératives cooperativas
cooperativs collectifs conseils consejos conselhos asociaciones associações grupos organisations organizaciones
organizações juntas comisiones comissões commissions sindicatos syndicats mutuelles uniones fédérations
federaciones réseaux redes comunidades communautés""".split())


_PERSON_SUFFIX = ("ers", "ors", "ists", "ians", "ants", "ents", "ees", "ives", "ards", "ics", "ights")


def is_group_head(word: str) -> bool:
    """A plural noun naming people or groups of them (not "fees", "amendments", "documents")."""
    w = word.lower()
    return w in GROUP_HEADS or (len(w) > 5 and w.endswith(_PERSON_SUFFIX)
                                 and not w.endswith(("ments", "ances", "ences"))) \
        or (len(w) > 6 and w.endswith(("smen", "rmen", "dmen", "hmen", "emen", "lmen")))  # fishermen, herdsmen


_NP_WORD = re.compile(r"([A-Za-z][a-z-]*(?:['’]s?)?)(\s+|$)")
# where the text says the phrase acted, a mark that ends the phrase ends its last word too ("after months of petitions
# by fishing families."; round 16b). Not elsewhere: "financed the play facilitators, recruited by X" names people
# hired (dev12: one false positive more, measured)
_NP_WORD_ACTING = re.compile(r"([A-Za-z][a-z-]*(?:['’]s?)?)(\s+|$|(?=[.,;:!?)]))")


def role_group_at(text: str, pos: int, acting: bool = False) -> Span | None:
    """A group of people by role starting exactly at ``pos``: a lower-case noun phrase of up to four
    words ending in a plural noun of people or groups ("county officials", "community health agents",
    "women's water committees", "women with disabilities"), kept whole; the longest one. Where the text says
    the phrase acted (``acting``: "petitions by the market queens"), any plural noun ends it."""
    words: list[tuple[int, int, str]] = []
    at = pos
    while len(words) < 4:
        m = (_NP_WORD_ACTING if acting else _NP_WORD).match(text, at)
        if not m or (words and m.group(1)[0].isupper()):
            break
        w = m.group(1)
        if w.lower() in _NOT_MODIFIER or is_head(w):
            break
        words.append((m.start(1), m.end(1), w))
        at = m.end()
    best = None
    for i, (_, e, w) in enumerate(words):
        if is_group_head(w) or _ROLE.fullmatch(w) or (acting and _PLURAL.fullmatch(w)):
            best = e
    if best is None:
        return None
    d = _LIVING_WITH.match(text, best)
    if d and d.group(1).lower() not in _NOT_CONDITION:
        best = d.end()  # "women with disabilities", "children with autism"
    if re.match(r"['’]", text[best:best + 1]):  # "women's groups" ending at "women": not a whole phrase
        return None
    if _RELATIONAL & {w.lower().rstrip("'’") for w in text[pos:best].split()}:
        # a relation names its people only with whom it relates them to: "mothers of children with
        # autism", "parents' groups of children with disabilities" (not "mothers")
        of = re.match(r"\s+of\s+", text[best:best + 6])
        if of:
            whom = role_group_at(text, best + of.end())
            if whom is not None:
                best = whom.end
    return Span(pos, best, text[pos:best])


# a plural noun by its form ("queens", "captains"; not "class", "news")
_PLURAL = re.compile(r"[a-z-]{2,}[^s'’u]s")
_LIVING_WITH = re.compile(r"\s+with\s+([a-z][a-z-]+)\b(?!\s+(?:to|by)\b)")
# what people are "with" when it is not a condition they live with ("farmers with support from ...")
_NOT_CONDITION = frozenset("""the a an their its his her our support funding help assistance training advice
access land money children families them us others officials staff funds grants resources materials equipment
tools seeds loans credit""".split())
_RELATIONAL = frozenset("""mothers fathers parents families wives husbands guardians caregivers carers relatives
widows daughters sons spouses""".split())


# A person by office, as the subject of a contribution sentence ("The district education manager praised ...").
PERSON_HEADS = frozenset("""officer official manager commissioner director coordinator governor minister mayor chief
chairperson chairman chairwoman secretary president speaker judge magistrate councillor councilor administrator
inspector superintendent ombudsman representative delegate registrar prosecutor attorney auditor engineer warden
principal headteacher headmaster headmistress editor bishop imam pastor priest sheikh commander
prefect préfet préfète prefet sous-préfet gouverneur maire bourgmestre alcalde alcaldesa gobernador gobernadora
intendente prefeito prefeita governador governadora régulo regulo wali caïd caid pasha bupati camat lurah
sultan emir""".split())
# (offices in the languages OH records quote them in: French, Spanish, Portuguese, Arabic, Indonesian)


def role_name(span_text: str) -> str:
    """People by role are named in lower case, as written ("Women councillors" → "women councillors")."""
    return re.sub(r"\s+", " ", span_text).strip().lower()
