"""Rules that find actors, roles and outcome links in the prose of an OH record.

Pure text functions, no registry and no graph: :mod:`harvestgraph.actors.resolver` combines them with the
registry into a :class:`~harvestgraph.resolve.Resolution`. All offsets are character offsets in the
normalised field value (what ``Fragment.text_fields()`` returns), so a mention can be shown in place.

The rules are general English patterns of OH writing, not tuned to particular records:

* organisations are capitalised names ending in an organisational head word ("... Network",
  "Ministry of ...", "... Lda"), optionally followed by an "of/for/on ..." complement;
* the social actors that changed are the grammatical subject(s) of the outcome description;
* contributors are named in the contribution fields, or anywhere in "supported by X", "with support
  from X", "X trained/provided/funded ...";
* the target of advocacy ("a meeting with X", "complained to X") is not a contributor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

RULES_VERSION = "1"

# Words that make a capitalised name an organisation (compared case-sensitively, as written).
ORG_HEADS = frozenset("""
Network Networks Alliance Coalition Foundation Ministry Ministries Commission Commissioner Council Assembly
Association Associations Union Forum Trust Institute Centre Center Initiative Secretariat International
Committee Agency Authority Department Directorate Court Police Service Services Society Group Platform
Project Programme Program Radio TV Television Media Times News Collective Federation Consortium Fund
Partnership Office Bureau Unit Force Government Parliament Senate House Tribunal Board Movement League
Organisation Organization Organisations Organizations Cooperative Co-operative Chamber Church Mission
Corporation Company Lda Ltd Limited Inc PLC Bank University College School Hospital Clinic Caucus
Desk Observatory Watch Mechanism Facility Institution Ombudsman Presidency Municipality Prefecture
Ministério Ministerio Ministère Alianza Asociación Associação Fundación Fundação Comité Consejo Conselho
Red Rede Réseau Synergie Collectif Fórum Foro Instituto Centro Sindicato Mesa Coordinadora
Section Chapter Branch Corps Cooperatives Co-operatives Defensoria Defensoría Autoridad Junta Secretaría Secretaria
Superintendencia Superintendência Iniciativa Equipo Coalición Coalizão Autorité Conseil Observatorio Observatório
Hub Helpline Witness Lab Labs Division Divisions Derneği Vakfı Birliği Platformu Sanstha Samiti
""".split()) | frozenset(PREFIX_HEADS := frozenset("""
Radio Fundación Fundação Fondation Asociación Associação Association Instituto Centro Comité Consejo Conselho Red Rede
Réseau Alianza Coordinadora Sindicato Federación Federação Cooperativa Colectivo Coletivo Movimiento Movimento
Defensoria Defensoría Autoridad Junta Secretaría Secretaria Ministério Ministerio Ministère Dinas Yayasan Lembaga
Perkumpulan Serikat Jaringan Koalisi Kelompok Koperasi Gabungan Samahan Kilusan Koalisyon Pambansang Kituo Chama
Muungano Umoja Shirika Kikundi Mtandao Jukwaa Taasisi Baraza Sangh Samiti Sangathan Manch Andolan Parishad Mandal
Agua Aguas Superintendencia Superintendência Iniciativa Equipo Coalición Coalizão Autorité Conseil Coalition
Observatorio Observatório Servicio Serviço Unidad Fundacja Stowarzyszenie Udruženje
Organización Organização Alcaldía Municipalidad Prefeitura Gobernación Ayuntamiento Mancomunidad Confederación
Confederação Comisión Comissão Fiscalía Procuraduría Corporación Sociedad Sociedade Cámara Câmara Agrupación
Articulación Articulação Pastoral Universidad Universidade Escuela Asamblea Assembleia Frente Unión União
Plataforma Colectiva Cooperativa Associazione Organisation Ikatan Forum Aliansi Solidaritas Persatuan
Observatoire Plateforme Syndicat Ligue Mouvement Groupement Fédération Agence Cellule Collectif Société Université
Jam'iyyat Jamiyat Jamiyyat Jam'iyat Hay'at Markaz Mu'assasat Centar Udruga Savez Fondacija Asociația Fundația
""".split()))

# A head directly followed by one of these words names a document, not an organisation.
DOC_WORDS = frozenset("""Bill Act Regulations Regulation Report Reports Policy Law Gazette Guidelines Strategy Plan
Order Decree Edict Circular Statement Charter Protocol Framework Agenda Budget Declaration""".split())

CONNECTORS = frozenset("of for on and & de des du da do dos das la le les pour y e et del el en para em por "
                       "uma una sobre los las ng sa cha wa ya na za dan untuk di contre contra sur au aux against ve".split())
COMPLEMENT_START = frozenset("of for on de des du da do dos das pour del para cha wa ya za untuk au aux".split())
_COMPLEMENT_OR_TO = COMPLEMENT_START | {"to"}

# Capitalised words that start sentences or clauses but never start a name.
LEADING_STOP = frozenset("""The A An In On By At For With Through This That These Those Its Their His Her Our Both
Each All Based Since After Before During Until Unlike Also Additionally However While When Where As If Following
Thanks Under Over Between Within Without From To Of And Or But Then Now Later Earlier Meanwhile Programme Program
El La Los Las Le Les Il Lo Gli O Os As Die Der Das De
January February March April May June July August September October November December Some Several Many Most
Other Another Local National Regional""".split())

# Sentence-initial words that also start names ("National Council of Churches", "Regional Task Force"):
# kept by the name rule, which needs a head word after them anyway.
NAME_ADJECTIVES = frozenset("Local National Regional".split())

# People by role: "women journalists", "county officials", "clan leaders", "women with disabilities".
ROLE_HEADS = ("journalists|officials|leaders|councillors|councilors|paralegals|farmers|workers|activists|elders|"
              "chiefs|survivors|widows|teachers|lawyers|officers|residents|monitors|students|youth|women|men|girls|"
              "boys|defenders|legislators|MPs|judges|magistrates|headmen|chairpersons|volunteers|mothers|"
              "fishers|traders|vendors|parents|pastoralists|herders|midwives|nurses|doctors|police")
_ROLE = re.compile(rf"(?P<np>(?:(?P<mod>[A-Za-z][a-z'’-]+)\s+)?(?P<head>{ROLE_HEADS})(?:\s+with\s+disabilities)?)\b",
                   re.I)
_NOT_MODIFIER = frozenset("the a an and or of in on at by to from with who which that had has have were was are is "
                          "been being also then now some all many most few several".split())

_QUANTIFIER = re.compile(r"(?:(?:the|a|an|la|el|los|las|le|les|o|os|some|several|many|about|around|over|more than|at least|\d[\d,]*|one|two|"
                         r"three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens of|hundreds of)\s+)*", re.I)
_TIME_LEAD = re.compile(
    r"\s*(?:(?:In|By|On|During|Since|From|Between|Early|Late|At|Over|After|Before|Towards?|Around|Already"
    r"|En|Em|Desde|Depuis|Dès|Pada|Sejak|Tangu|Mwaka)\b"
    r"[^,.;]{0,60}?\b(?:19|20)\d{2}\b(?:\s*[-–/]\s*\d{2,4})?"
    r"(?:(?:\s+[a-z]+)?\s+(?:season|quarter|term|semester|cycle|school\s+year)\b)?\s*,?\s*)")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[A-Z\"“(])|\n+")
_ABBREV = re.compile(r"\b(?:No|Nos|p|pp|Dr|Mr|Mrs|Ms|St|Hon|Ltd|Lda|Inc|etc|e\.g|i\.e|vs|Art|Sec)\.$")

# Contribution phrases: the mention that follows is a contributor ...
_CONTRIB_BEFORE = re.compile(
    r"(?:supported|funded|financed|co-funded|co-financed|sponsored|facilitated|trained|led|coordinated|organised|"
    r"organized|assisted|accompanied|convened|hosted|backed)\s+by\s+(?:the\s+)?$"
    r"|(?:with|through|thanks\s+to)\s+(?:the\s+)?(?:financial\s+|technical\s+|logistical\s+)?"
    r"(?:support|funding|funds|financing|assistance|help|a\s+grant|grants?|backing)\s+(?:from|of)\s+(?:the\s+)?$"
    r"|(?:together|jointly|in\s+partnership|in\s+collaboration|in\s+cooperation)\s+with\s+(?:the\s+)?$"
    r"|(?:received|got|obtained|secured)\s+[\w\s-]{0,30}?(?:support|funding|funds|grant|training|advice)\s+from\s+"
    r"(?:the\s+)?$", re.I)
# ... and so is the subject of a contribution verb.
CONTRIBUTION_VERBS = ("hired|provided|trained|funded|co-funded|financed|co-financed|supported|sponsored|facilitated|"
                      "organised|organized|mobilised|mobilized|helped|accompanied|assisted|donated|supplied|hosted|"
                      "led|coordinated|lobbied|drafted|advised|mentored|convened|championed|documented|compiled|"
                      "prepared|prepares|provides|trains|funds|supports")
_CONTRIB_AFTER = re.compile(
    rf"^(?:\s*\([^()]{{1,40}}\))?(?:\s*,\s*(?:based|headquartered)\s+in\s+[^,]{{1,40}},)?"
    rf"(?:\s+(?:also|then|had|has|have|jointly|further|later|successfully|initially))*\s+(?:{CONTRIBUTION_VERBS})\b")
# The target of advocacy is not a contributor: "a meeting with X", "complained to X", "between X and Y".
_TARGET_BEFORE = re.compile(r"(?:\bto|\bwith|\bbetween|\bbefore|\bmeet|\bmet|\bmeeting|\blobbied|\bpetitioned|"
                            r"\bbriefed|\bpressured|\burged|\binvited|\bpersuaded|\bagainst)\s+(?:the\s+)?$", re.I)
_TARGET_EXCEPT = re.compile(r"(?:together|jointly|partnership|collaboration|cooperation|along|alongside)\s+with\s+"
                            r"(?:the\s+)?$", re.I)
_LIST_JOIN = re.compile(r"^\s*(?:\([^()]{1,40}\))?\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)(?:the\s+)?$")
_SUBJECT_JOIN = re.compile(r"\s*(?:\([^()]{1,40}\))?\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*|,?\s+together\s+with\s+"
                           r"|,?\s+jointly\s+with\s+|,?\s+along\s+with\s+)(?:the\s+)?")
_CREATED = re.compile(r"\b(?:set\s+up|formed|established|created|founded|launched|registered|constituted)\s+"
                      r"(?:a\s+|an\s+|the\s+|its\s+)?(?:new\s+)?$", re.I)
_PROGRAMME_PHRASE = re.compile(r"\b(?:[Tt]he|[Oo]ur|[Tt]his)\s+(?:programme|program)\b(?:’s|'s)?|"
                               r"\b(?:Programme|Program)(?=\s+(?:staff|team|partners?)\b)")
# FragmentIDs: PROGRAMME-CCCYYMM/OBJnnn (SCC-KEN2508/CIV008) and similar.
FRAGMENT_REF = re.compile(r"\b[A-Z][A-Za-z0-9]{1,11}-[A-Z]{2,4}\d{2,6}/[A-Z]{2,6}\d{1,4}\b")
_ACRONYM = re.compile(r"(?<![\w-])(?=[A-Za-z]*[A-Z][A-Za-z]*[A-Z])[A-Z][A-Za-z]{0,3}[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)?"
                      r"!?(?![\w-])")
_PAREN_ACRONYM = re.compile(r"\s*\(\s*(?P<acr>[A-Z][\w!&.\-]{0,14}[\w!](?: [A-Z][a-z]+)?)\s*\)")
_TOKEN = re.compile(r"[^\W_][\w'’.\-!&]*[\w!]|[^\W_]|&")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


# --------------------------------------------------------------------------- sentences


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets; no split after abbreviations such as "No." or "Lda."."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if _ABBREV.search(text[start:m.start()]):
            continue
        if text[start:m.start()].strip():
            out.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text.rstrip())))
    return out


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of a sentence joined by semicolons, each of three words or more (the parser gives
    such a sentence one root, and the first clause's subject is lost)."""
    out: list[tuple[int, int]] = []
    s = start
    for m in re.finditer(r";\s+", text[start:end]):
        cut = start + m.start()
        if len(text[s:cut].split()) >= 3 and len(text[start + m.end():end].split()) >= 3:
            out.append((s, cut))
            s = start + m.end()
    out.append((s, end))
    return out


def sentence_of(text: str, pos: int) -> tuple[int, int]:
    for s, e in sentences(text):
        if s <= pos < e or pos == e:
            return s, e
    return 0, len(text)


def time_lead_end(text: str, start: int, end: int) -> int:
    """Where the clause after a leading time phrase begins ("From April 2025 community health agents
    ..." → "community ..."), else ``start``. Without a comma the parser reads such a phrase as a
    preposition governing the subject ("From ... agents"), so the clause after it is parsed alone."""
    m = _TIME_LEAD.match(text, start, end)
    return m.end() if m else start


# A leading phrase that is not about time, closed by a comma: a cause, a condition, a circumstance
# ("After Cyclone Lola, ...", "Despite pressure from the mayor, ...", "When the drought hit, ..."). The
# parser often takes the name inside it for the subject ("After Cyclone Lola, the council adopted": Lola).
_LEAD = re.compile(
    r"\s*(?:After|Following|Despite|In\s+spite\s+of|With(?:out)?|Thanks\s+to|Because\s+of|Due\s+to|Owing\s+to|"
    r"As\s+a\s+(?:result|consequence)\s+of|In\s+response\s+to|In\s+the\s+wake\s+of|In\s+line\s+with|Under|Through|"
    r"Amid(?:st)?|Given|Faced\s+with|Prompted\s+by|At\s+the\s+request\s+of|On\s+the\s+basis\s+of|Based\s+on|"
    r"Building\s+on|Once|When|Whenever|Although|Though|While|Whereas|Since|Before|During|Until|As|If|Unlike|Like|"
    r"Apr[eè]s|Tras|Desde|Ap[oó]s|Malgr[eé]|Setelah|Baada\s+ya)\b[^,;.:()]{2,120}?,\s+(?=\S+\s+\S+\s+\S)")


def lead_end(text: str, start: int, end: int) -> int:
    """Where the main clause begins after a leading time phrase (:func:`time_lead_end`) or a leading
    phrase of another kind closed by a comma ("After Cyclone Lola, the council ..." → "the council
    ..."), else ``start``: the lead is parsed no more, so its names are never taken for the subject."""
    pos = time_lead_end(text, start, end)
    m = _LEAD.match(text, pos, end)
    return m.end() if m else pos


def subject_start(text: str, start: int, end: int) -> int:
    """Where the grammatical subject of the sentence ``text[start:end]`` begins: after a leading time
    phrase ("In May 2025,") and articles or quantities ("the", "three")."""
    pos = start
    m = _TIME_LEAD.match(text, pos, end)
    if m:
        pos = m.end()
    m = _QUANTIFIER.match(text, pos, end)
    if m:
        pos = m.end()
    return pos


# --------------------------------------------------------------------------- organisations by rule


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


_ADJ_SUFFIX = re.compile(r"-(?:based|led|funded|owned|run|backed|registered)$")
# "l'Éducation", "d'Azazga"; Arabic article and prepositions written with a hyphen ("lil-Mar'a", "al-Rasid")
_ELISION = re.compile(r"[ldLDs][’'][A-ZÀ-Ý]|(?:al|el|lil|li|bil|wal|ad|ar|as|an|at|az|ash)-[A-ZÀ-Ý]")


def _capitalised(tok: str) -> bool:
    """A word that can be part of a name: capitalised ("Council"), "l'Éducation", a short number ("19");
    not "Nairobi-based"."""
    if _ADJ_SUFFIX.search(tok):
        return False
    return tok[0].isupper() or (tok[0].isdigit() and len(tok) <= 4) or bool(_ELISION.match(tok)) \
        or (len(tok) > 3 and tok[0].islower() and tok[1].isupper() and tok[2:].isalpha())  # "iTaukei", "eThekwini"


def _is_head(tok: str) -> bool:
    base = re.sub(r"(?:'s|’s|s')$", "", tok)
    return base in ORG_HEADS or tok in ORG_HEADS


# "to" inside a name: a campaign's verb ("Network to End Violence against Women") or a mission's post
_TO_VERBS = frozenset("End Stop Ban Protect Promote Defend Fight Combat Eliminate Prevent Save Empower Abolish "
                      "Eradicate Reduce Free Make Build Secure Advance".split())
_TO_HEADS = frozenset("Mission Embassy Delegation Ambassador Envoy Representative".split())


def _runs(text: str, blocked: list[tuple[int, int]]) -> list[list[tuple[int, int, str]]]:
    """Maximal runs of capitalised tokens joined by single spaces and connector words."""
    runs: list[list[tuple[int, int, str]]] = []
    cur: list[tuple[int, int, str]] = []
    toks = _tokens(text)
    for k, tok in enumerate(toks):
        s, e, w = tok
        if any(a < e and s < b for a, b in blocked):
            if cur:
                runs.append(cur)
            cur = []
            continue
        joined = bool(cur) and re.fullmatch(r"['’]? |-", text[cur[-1][1]:s] or "") is not None
        if _capitalised(w) and (joined or not cur):
            cur.append(tok)
        elif joined and w in CONNECTORS:
            cur.append(tok)
        elif joined and w == "to" and k + 1 < len(toks) and (toks[k + 1][2] in _TO_VERBS or (
                cur[-1][2] in _TO_HEADS and _capitalised(toks[k + 1][2]))):
            cur.append(tok)  # "Regional Task Force to End ...", "OSCE Mission to Skopje": one name
        elif joined and w == "the" and len(cur) >= 2 and cur[-1][2] == "of" and cur[-2][2] in OF_THE_HEADS:
            cur.append(tok)  # "Kenya Section of the International Commission of Jurists": one name
        else:
            if cur:
                runs.append(cur)
            cur = [tok] if _capitalised(w) else []
    if cur:
        runs.append(cur)
    return runs


def _trim(run: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    if run and re.match(r"[lL][’']", run[0][2]) and _is_head(run[0][2][2:]):
        s, e, w = run[0]
        run = [(s + 2, e, w[2:]), *run[1:]]  # "l'Observatoire ...": the article is not a part of the name
    while run and (run[-1][2] in CONNECTORS):
        run = run[:-1]
    while run and (run[0][2] in CONNECTORS or (run[0][2] in LEADING_STOP and run[0][2] not in NAME_ADJECTIVES)
                   or run[0][2][0].isdigit()):
        run = run[1:]
    # a possessive ("the Assembly's Committee on ...") belongs to the owner, not to the name
    for i in range(len(run) - 1, -1, -1):
        if run[i][2].endswith(("'s", "’s")) and i < len(run) - 1 and _is_head(run[i][2]):
            return run[i + 1:]
    return run


def _split_at_and(run: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """"X Network and Y Forum", "Heifer International Nepal and Kituo cha Sheria" are two organisations;
    "Child and Family Protection Unit", "Sindh School Education and Literacy Department" and "Ministry of
    Land and Environment" are one (no head or country just before the "and", or inside a complement)."""
    parts, cur, in_complement = [], [], False
    for i, tok in enumerate(run):
        w = tok[2]
        if w in COMPLEMENT_START:
            in_complement = True
        nxt = run[i + 1][2] if i + 1 < len(run) else ""
        if w in ("and", "&") and not in_complement and (len(cur) >= 2 or (cur and nxt in PREFIX_HEADS)) \
                and (_is_head(cur[-1][2]) or nxt in PREFIX_HEADS or _place_words().fullmatch(cur[-1][2])):
            # ("Fokupers and Rede Feto Timor-Leste": a name of one word, then a name with a prefix head)
            parts.append(cur)
            cur = []
            continue
        cur.append(tok)
    parts.append(cur)
    return parts


def _name_of(run: list[tuple[int, int, str]]) -> list[tuple[int, int, str]] | None:
    """The organisation name in a run: up to its last head word plus an "of/for/on ..." complement."""
    run = _trim(run)
    if len(run) >= 2 and run[0][2] in PREFIX_HEADS:
        cut = next((i for i, t in enumerate(run) if t[2] in ("and", "&")), len(run))
        name = run[:cut]
        while name and name[-1][2] in CONNECTORS:
            name = name[:-1]
        if len(name) >= 2:
            return name  # "Fundación X para Y", "Yayasan PEKKA", "Radio Pacis" (and "Nile FM": another)
    heads = [i for i, t in enumerate(run) if _is_head(t[2])]
    if not heads:
        return None
    # the first head that is followed by a complement keeps the whole complement
    h = heads[-1]
    for i in heads:
        if i + 1 < len(run) and run[i + 1][2] in _COMPLEMENT_OR_TO:
            h = i
            break
        if i + 2 < len(run) and run[i + 2][2] in COMPLEMENT_START and _capitalised(run[i + 1][2]) \
                and not _is_head(run[i + 1][2]):
            h = i + 1  # an adjective after the head, as French and Spanish write it ("Office Régional de ...")
            break
    tail = run[h + 1:]
    if tail and tail[0][2] in DOC_WORDS:
        return None
    if tail and tail[0][2] in _COMPLEMENT_OR_TO:
        name = run
    else:
        name = run[: h + 1]
    name = _trim(name)
    content = [t for t in name if t[2] not in CONNECTORS]
    if len(content) < 2:
        return None
    return name


SUBUNIT_HEADS = frozenset("Section Chapter Branch Division".split())
# heads whose "of the <Name>" complement is part of the name ("Special Education Department of the Ministry of
# Education", "Delegation of the European Union", "National Union of the Deaf")
OF_THE_HEADS = SUBUNIT_HEADS | frozenset("Department Directorate Delegation Mission Union Association Federation "
                                         "Council Commission Institute".split())
# "Ministry of Land Management, Agriculture and Cooperatives": a list of portfolios inside a complement
_PORTFOLIOS = re.compile(r"(?:, [A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*)*,? (?:and|y|e|et) [A-Z][\w'’-]*(?: (?:[A-Z]|de |del |of )[\w'’-]*)*")


def org_candidates(text: str, blocked: list[tuple[int, int]] = ()) -> list[Span]:
    """Organisation names found by rule (capitalised name + organisational head), outside ``blocked``."""
    out: list[Span] = []
    for run in _runs(text, list(blocked)):
        for part in _split_at_and(run):
            name = _name_of(part)
            if name:
                s, e = name[0][0], name[-1][1]
                if out and s < out[-1].end:
                    continue
                if re.search(r" (?:of|de|for|para|pour) ", text[s:e]) and text[e:e + 2] == ", ":
                    m = _PORTFOLIOS.match(text, e)
                    if m and not any(a < m.end() and e < b for a, b in blocked):
                        e = m.end()
                e = extend_name(text, e, blocked)
                out.append(Span(s, e, text[s:e]))
    return out


def acronym_spans(text: str, blocked: list[tuple[int, int]] = ()) -> list[Span]:
    """Tokens written like acronyms (KHRC, GWED-G, JA!, MoWCA), outside ``blocked``; a country or
    region word after one is part of the name ("MISA Zambia", "ICJ Kenya")."""
    out = []
    for m in _ACRONYM.finditer(text):
        if not any(a < m.end() and m.start() < b for a, b in blocked):
            e = extend_name(text, m.end(), blocked, complement=False)
            out.append(Span(m.start(), e, text[m.start():e]))
    return out


@lru_cache(maxsize=1)
def _place_words() -> re.Pattern:
    """Country names (pycountry, common forms) and world regions that end organisation names
    ("Transparency International Zambia", "Article 19 Eastern Africa", "Kenya Section of the ...")."""
    import pycountry

    names = set(REGIONS)
    for c in pycountry.countries:
        for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if n and "," not in n and "(" not in n:
                names.add(n)
    alts = sorted((re.escape(n).replace(r"\ ", r"\s+") for n in names), key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(alts) + r")(?![\w-])")


REGIONS = ("Africa", "Asia", "East and Southern Africa", "Eastern and Southern Africa", "West and Central Africa", "Europe", "Latin America", "Central America", "South America", "the Caribbean",
           "Caribbean", "Pacific", "Middle East", "MENA", "East Africa", "Eastern Africa", "West Africa",
           "Western Africa", "Southern Africa", "Central Africa", "North Africa", "Horn of Africa",
           "South Asia", "Southeast Asia", "South-East Asia", "East Asia", "Central Asia", "Great Lakes",
           "Sahel", "Andes", "Mesoamerica", "Asia Pacific", "Asia-Pacific", "Americas", "the Americas")


def extend_name(text: str, end: int, blocked: list[tuple[int, int]] = (), complement: bool = True) -> int:
    """Where a name ending at ``end`` really ends: a trailing country or region word ("ActionAid Nepal",
    "Article 19 Eastern Africa") or "of the <country>" ("Embassy of the Netherlands") belongs to it."""
    pat = _place_words()
    m = re.match(r" (?=[A-Z])", text[end:end + 2])
    if m:
        hit = pat.match(text, end + 1)
        if hit and not any(a < hit.end() and hit.start() < b for a, b in blocked) \
                and not re.match(r"[ -]?[A-Z]", text[hit.end():hit.end() + 2]) \
                and not re.match(r"\s*(?:'s|’s)", text[hit.end():hit.end() + 3]):
            return hit.end()
    if complement:
        m = re.match(r" (?:of (?:the )?|in the )(?=[A-Z])", text[end:end + 9])
        if m:
            hit = pat.match(text, end + m.end())
            if hit and not re.match(r"[ -]?[A-Z]", text[hit.end():hit.end() + 2]):
                return hit.end()
    return end


def paren_acronym_after(text: str, end: int) -> Span | None:
    """"Kenya Human Rights Commission (KHRC)": the acronym a name teaches for the rest of the record."""
    m = _PAREN_ACRONYM.match(text, end)
    if not m:
        return None
    return Span(m.start("acr"), m.end("acr"), m.group("acr"))


def initials(name: str) -> str:
    """"Resident District Commissioner of Arua" → "RDC" (capitalised words before any complement)."""
    words = []
    for w in re.findall(r"[^\W\d_][\w'’-]*", name):
        if w in COMPLEMENT_START:
            break
        if w[0].isupper():
            words.append(w[0])
    return "".join(words)


def kind_of(name: str) -> str:
    """The actor kind a name suggests (registry entries state theirs)."""
    words = set(re.findall(r"[\w'’-]+", name))
    if words & {"Ministry", "Ministries", "Department", "Directorate", "Agency", "Authority", "Court", "Police",
                "Parliament", "Senate", "Government", "Municipality", "Tribunal", "Commissioner", "Presidency",
                "Prefecture", "Ombudsman", "Force", "Ministério", "Ministerio", "Ministère"} \
            or ({"Council", "Assembly", "House", "Committee", "Office", "Unit", "Bureau"} & words
                and words & {"County", "District", "Municipal", "Provincial", "State", "National", "Parliamentary",
                             "City", "Regional", "Representatives", "Legislative", "Police"}):
        return "government"
    if words & {"Radio", "TV", "Television", "Media", "Times", "News"}:
        return "media"
    if words & {"Group", "Collective", "Residents", "Community", "Fishers", "Farmers", "Women's", "Youth",
                "Cooperative", "Co-operative"} and not words & {"Network", "Alliance", "Coalition"}:
        return "community"
    if words & {"Network", "Alliance", "Coalition", "Platform", "Forum", "Union", "Federation", "Consortium",
                "Caucus", "Movement", "League"}:
        return "network"
    if words & {"Foundation", "Fund"}:
        return "donor"
    return "ngo"


# --------------------------------------------------------------------------- people by role

# Plural heads of people and groups ("smallholder maize cooperatives", "community radio stations")
_GROUP_HEADS = frozenset("""people men women youth youths girls boys children staff police members leaders officials
chiefs elders groups cooperatives co-operatives committees associations unions councils stations authorities
agencies organisations organizations communities households families networks coalitions forums clubs
federations movements collectives societies institutions ministries departments offices schools hospitals clinics
courts councillors councilors assemblies parliamentarians legislators mps judges magistrates police paralegals
officials individuals nationals professionals locals chairpersons headmen""".split())
_PERSON_SUFFIX = ("ers", "ors", "ists", "ians", "ants", "ents", "ees", "ives", "ards", "ics", "ights")


def is_group_head(word: str) -> bool:
    """A plural noun naming people or groups of them (not "fees", "amendments", "documents")."""
    w = word.lower()
    return w in _GROUP_HEADS or (len(w) > 5 and w.endswith(_PERSON_SUFFIX)
                                 and not w.endswith(("ments", "ances", "ences")))


_NP_WORD = re.compile(r"([A-Za-z][a-z-]*(?:['’]s?)?)(\s+|$)")


def role_group_at(text: str, pos: int) -> Span | None:
    """A group of people by role starting exactly at ``pos``: a lower-case noun phrase of up to four
    words ending in a plural noun of people or groups ("county officials", "community health agents",
    "women's water committees", "women with disabilities"), kept whole; the longest one."""
    words: list[tuple[int, int, str]] = []
    at = pos
    while len(words) < 4:
        m = _NP_WORD.match(text, at)
        if not m or (words and m.group(1)[0].isupper()):
            break
        w = m.group(1)
        if w.lower() in _NOT_MODIFIER or _is_head(w):
            break
        words.append((m.start(1), m.end(1), w))
        at = m.end()
    best = None
    for i, (_, e, w) in enumerate(words):
        if is_group_head(w) or _ROLE.fullmatch(w):
            best = e
    if best is None:
        return None
    d = re.match(r"\s+with\s+disabilities\b", text[best:best + 25])
    if d:
        best += d.end()
    if re.match(r"['’]", text[best:best + 1]):  # "women's groups" ending at "women": not a whole phrase
        return None
    return Span(pos, best, text[pos:best])


# A person by office, as the subject of a contribution sentence ("The district education manager praised ...").
PERSON_HEADS = frozenset("""officer official manager commissioner director coordinator governor minister mayor chief
chairperson chairman chairwoman secretary president speaker judge magistrate councillor councilor administrator
inspector superintendent ombudsman representative delegate registrar prosecutor attorney auditor engineer warden
principal headteacher headmaster headmistress editor bishop imam pastor priest sheikh""".split())

# "DFP supported Jonction to document ...": the partner the programme enabled acted too.
_ENABLED = re.compile(r"\b(?:supported|funded|financed|helped|enabled|assisted|accompanied|equipped|commissioned|"
                      r"engaged|contracted|mentored|coached|backed|granted|sponsored)\s+(?:the\s+)?")


def enabled_partners(text: str) -> list[tuple[int, int]]:
    """Where a partner's name starts and the " to <verb>" that ends its phrase begins, for each "supported
    X to <verb>" in ``text`` (X is read by the caller: a capitalised name or a role phrase)."""
    out = []
    for m in _ENABLED.finditer(text):
        to = re.search(r"\s(?:to|in order to)\s+[a-z]+", text[m.end():m.end() + 120])
        if to and not re.search(r"[.;:]", text[m.end():m.end() + to.start()]):
            out.append((m.end(), m.end() + to.start()))
    return out


def role_name(span_text: str) -> str:
    """People by role are named in lower case, as written ("Women councillors" → "women councillors")."""
    return re.sub(r"\s+", " ", span_text).strip().lower()


# --------------------------------------------------------------------------- contribution cues


def contributes_by_phrase(text: str, start: int) -> bool:
    """"supported by X", "with support from X", "together with X": X contributed."""
    return bool(_CONTRIB_BEFORE.search(text[max(0, start - 80):start]))


def contributes_by_verb(text: str, end: int) -> bool:
    """"X trained ...", "X (ACR), based in Maputo, supported ...": X contributed."""
    return bool(_CONTRIB_AFTER.match(text[end:end + 120]))


def is_target(text: str, start: int) -> bool:
    """"a meeting with X", "complained to X": X is the target, not a contributor."""
    before = text[max(0, start - 40):start]
    return bool(_TARGET_BEFORE.search(before)) and not _TARGET_EXCEPT.search(before) \
        and not contributes_by_phrase(text, start)


def joins_list(text: str, prev_end: int, start: int) -> bool:
    """``text[prev_end:start]`` is a list separator (", ", " and ", " and the ")."""
    return bool(_LIST_JOIN.match(text[prev_end:start]))


def next_subject(text: str, prev_end: int) -> int | None:
    """Where a coordinated subject starts after one ending at ``prev_end`` ("HURIA and HSI",
    "X (ACR) and the Y", "X, together with Y"); None when the subject ends there."""
    m = _SUBJECT_JOIN.match(text, prev_end)
    return m.end() if m else None


def created_object(text: str, start: int) -> bool:
    """"set up the X", "formed the X": X is the new actor the outcome brought about."""
    return bool(_CREATED.search(text[max(0, start - 40):start]))


def programme_phrases(text: str) -> list[Span]:
    """"the programme", "the program's", "Programme staff": the programme whose harvest it is."""
    return [Span(m.start(), m.end(), m.group()) for m in _PROGRAMME_PHRASE.finditer(text)]


def fragment_refs(text: str) -> list[str]:
    """FragmentIDs named in the text ("This builds on outcome SCC-KEN2508/CIV008.")."""
    return list(dict.fromkeys(m.group() for m in FRAGMENT_REF.finditer(text)))


def context_sentences(text: str, spans: list[tuple[int, int]]) -> str | None:
    """The sentences of ``text`` that contain any of ``spans`` (the contribution text of an actor)."""
    picked = [(s, e) for s, e in sentences(text) if any(s <= a < e for a, _ in spans)]
    if not picked:
        return None
    return " ".join(text[s:e].strip() for s, e in picked)


# Common nouns that say what kind of organisation a name is, written next to it as an apposition: "the
# NGO Erdem Tusgal", "the newspaper Vremea Nouă", "Nodi o Jibon, a local NGO, ...". The noun is the
# organisation word that names in other languages lack ("Së Bashku", "Tostan").
ORG_NOUNS = ("NGOs?|CSOs?|CBOs?|INGOs?|organi[sz]ations?|associations?|network|newspapers?|daily|weekly|radio station|"
             "station|broadcaster|outlet|operator|initiative|cooperative|co-operative|union|company|firm|foundation|"
             "movement|platform|coalition|collective|federation|charity|alliance|forum|trust|consortium|group|"
             "committee|council|club|society|institute|university|centre|center|think tank|agency|chapter|"
             "magazine|portal|website|channel|party|church|mosque|clinic|hospital|school|bank|utility|cooperative")
_APPOS_WORD = r"(?:[A-ZÀ-ÝĀ-Ž][\w'’.\-]*[\w]|[A-Z](?:[\w'’\-]*[\w])?)"
# lower-case words inside such names ("Nodi o Jibon", "Jeunesse et Développement"); not "of": "Benkadi of
# Sévaré" is Benkadi, located
_APPOS_NAME = (rf"{_APPOS_WORD}(?:[ ](?:(?:o|ni|na|ya|wa|za|cha|de|del|des|du|la|le|les|da|do|dos|das|e|i|y|ve|"
               rf"al|el|di|u|et|pour|en|au|sur)[ ])?{_APPOS_WORD}){{0,6}}")
_APPOS_BEFORE = re.compile(rf"\b(?P<noun>{ORG_NOUNS})[ ](?P<name>{_APPOS_NAME})(?![\w'’-])"
                           rf"(?:[ ]and[ ](?P<second>{_APPOS_NAME})(?![\w'’-]))?")
_APPOS_AFTER_HINT = re.compile(r",[ ](?:a|an|the)[ ]")
_APPOS_AFTER = re.compile(rf"(?P<name>{_APPOS_NAME}),[ ](?:a|an|the)[ ](?:[\w'’-]+[ ]){{0,4}}?(?:{ORG_NOUNS})\b")


def apposed_names(text: str, blocked: list[tuple[int, int]] = (),
                  nouns: list[tuple[int, int]] | None = None) -> list[Span]:
    """Names an organisation noun stands beside: "the NGO Erdem Tusgal", "the mobile operator Telma",
    "the women's associations Jigiya Ton and Benkadi", "Nodi o Jibon, a local NGO, organised ...".
    Outside ``blocked``; not a name that starts a sentence with a word that never starts a name.
    ``nouns`` receives the spans of the nouns written before a name (the descriptor, not an actor)."""
    out: list[Span] = []
    # "X, a local NGO": the name-led pattern costs ~55 us a text; ", a " is absent from 730 of 750 dev field
    # texts (2026-11-30) and costs 0.5 us to look for
    for rx in (_APPOS_BEFORE, _APPOS_AFTER) if _APPOS_AFTER_HINT.search(text) else (_APPOS_BEFORE,):
        for m in rx.finditer(text):
            spans = [m.span("name")]
            if rx is _APPOS_BEFORE and m.group("second") and m.group("noun").endswith("s"):
                spans.append(m.span("second"))  # a plural noun: a list of names
            for s, e in spans:
                span = _apposed(text, s, e, blocked)
                if span is not None:
                    out.append(span)
                    if nouns is not None and rx is _APPOS_BEFORE:
                        nouns.append(m.span("noun"))
    return out


def _apposed(text: str, s: int, e: int, blocked: list[tuple[int, int]]) -> Span | None:
    """The name at ``s:e`` without leading words that never start a name; None if nothing is left, it is
    blocked, or it is a lone acronym (the acronym rules resolve those)."""
    words = text[s:e].split()
    while words and words[0] in LEADING_STOP:
        s += len(words[0]) + 1
        words = words[1:]
    if not words or e - s < 3 or any(a < e and s < b for a, b in blocked) \
            or (len(words) == 1 and _ACRONYM.fullmatch(words[0])) or _is_head(words[0]):
        return None  # "NGO Forum on Cambodia", "the network Red de ...": a name the name rules read whole
    return Span(s, e, text[s:e])


def isolated_words(text: str, blocked: list[tuple[int, int]] = ()) -> list[Span]:
    """Single capitalised words standing alone ("Amnesty hired an expert"): possible short forms of a
    name written in full earlier in the record."""
    toks = _tokens(text)
    out = []
    for i, (s, e, w) in enumerate(toks):
        if not (w[0].isupper() and w.isalpha() and len(w) >= 4 and not w.isupper()) or w in LEADING_STOP:
            continue
        if any(a < e and s < b for a, b in blocked):
            continue
        prev_cap = i > 0 and _capitalised(toks[i - 1][2]) and text[toks[i - 1][1]:s] == " "
        next_cap = i + 1 < len(toks) and _capitalised(toks[i + 1][2]) and text[e:toks[i + 1][0]] == " "
        if not prev_cap and not next_cap:
            out.append(Span(s, e, w))
    return out
