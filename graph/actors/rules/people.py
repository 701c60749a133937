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


_NOT_MODIFIER = frozenset("the a an and or of in on at by to for from with who which that had has have were was are is "
                          "been being also then now some all many most few several".split())


# Plural heads of people and groups ("smallholder maize cooperatives", "community radio stations")
GROUP_HEADS = frozenset("""people men women youth youths girls boys children staff police members leaders officials
chiefs elders groups cooperatives co-operatives committees associations unions councils stations authorities
agencies organisations organizations communities households families networks coalitions forums clubs
federations movements collectives societies institutions ministries departments offices schools hospitals clinics
courts councillors councilors assemblies parliamentarians legislators mps judges magistrates police paralegals
officials individuals nationals professionals locals chairpersons headmen
teams boards panels brigades crews squads caucuses platforms newsrooms outlets centres centers bodies apprentices
chairs delegates hosts deputies heads""".split())


# Plural group nouns of French, Spanish and Portuguese, written first ("groupements de développement
# agricole", "comités de vigilance", "juntas de vecinos"): English group heads are written last.
ROMANCE_GROUP_HEADS = frozenset("""groupements groupes comités comites associations coopératives cooperativas
cooperativs collectifs conseils consejos conselhos asociaciones associações grupos organisations organizaciones
organizações juntas comisiones comissões commissions sindicatos syndicats mutuelles uniones fédérations
federaciones réseaux redes comunidades communautés""".split())


_PERSON_SUFFIX = ("ers", "ors", "ists", "ians", "ants", "ents", "ees", "tives", "guards", "stewards", "ics", "ights")


# Plural nouns of people in French, Spanish and Portuguese that no ending gives away ("femmes", "mujeres", "jovens").
ROMANCE_PEOPLE = frozenset("""femmes mujeres mulheres hommes hombres homens jeunes jóvenes jovens enfants niños niñas
crianças filles meninas garçons familles familias famílias parents padres pais madres mães veuves viudas viúvas élèves
alumnos alumnas alunos alunas paysans paysannes campesinos campesinas camponeses camponesas indígenas autochtones
autorités autoridades élus chefs líderes leaders juges jueces juízes avocats abogados abogadas advogados advogadas
agents agentes médecins médicos médicas sages-femmes parteras parteiras infirmiers infirmières enfermeras enfermeros
enfermeiras enfermeiros maires alcaldes alcaldesas prefeitos prefeitas préfets imams pasteurs pastores sacerdotes
bénévoles voluntarios voluntarias voluntários voluntárias volontaires usagers usuarios usuarias usuários usuárias
patients pacientes victimes víctimas vítimas survivantes sobrevivientes sobreviventes membres miembros membros
habitants habitantes vecinos vecinas moradores moradoras résidents residentes citoyens citoyennes ciudadanos
ciudadanas cidadãos cidadãs estudiantes estudantes étudiants étudiantes docentes professeurs professores
professoras maestros maestras enseignants enseignantes policiers policías policiais gendarmes fonctionnaires
funcionarios funcionarias funcionários funcionárias représentants représentantes representantes conseillers
conseillères concejales concejalas vereadores vereadoras délégués delegados delegadas déléguées militants militantes
activistas ativistas défenseurs defensores defensoras pêcheurs pêcheuses pescadores pescadoras éleveurs
agriculteurs agricultrices agricultores agricultoras productores productoras produtores produtoras producteurs
productrices commerçants commerçantes comerciantes vendeuses vendeurs vendedores vendedoras artisans artisanes
artesanos artesanas artesãos travailleurs travailleuses trabajadores trabajadoras trabalhadores trabalhadoras
ouvriers ouvrières obreros obreras operários mineurs mineros mineras garimpeiros orpailleurs cultivateurs
cultivatrices transformatrices transformateurs promotores promotoras animateurs animatrices animadores animadoras
relais mediadores mediadoras médiateurs médiatrices facilitadores facilitadoras facilitateurs facilitatrices
guardas gardes rondas ediles comuneros comuneras ejidatarios ejidatarias quilombolas ribeirinhos extrativistas
noyaux cellules brigades équipes equipos equipes clubs clubes núcleos nucleos mesas plataformas forums foros""".split()) \
    | ROMANCE_GROUP_HEADS


# endings of French, Spanish and Portuguese plural nouns of people ("exportateurs", "cuidadoras", "seringueiros")
_ROMANCE_PERSON_SUFFIX = ("eurs", "euses", "trices", "dores", "doras", "tores", "toras",
                          "eiros", "eiras", "istas", "istes", "antes", "entes", "iers", "ières", "ants")


# the endings of Romance nouns of people that English nouns do not share ("-ants", "-iers", "-entes" are left to the
# English rule of :func:`is_group_head`: "grants", "carriers", "patentes")
_ROMANCE_ONLY_SUFFIX = tuple(x for x in _ROMANCE_PERSON_SUFFIX if x not in ("entes", "iers", "ières", "ants"))


# words ending in -s that are no noun or adjective of a phrase ("les femmes désormais ...", "los jóvenes más ...")
_ROMANCE_NOT_PLURAL = frozenset("""dans sans sous depuis après alors désormais jamais plus mais puis tous toutes très
más después antes pues todos todas mas apenas ambos ambas además nos les des las los os as sus ses leurs nous vous
ils elles ellos ellas eles elas mis tus vos ces estos estas esses essas aquellos aquelas cuyos dos tres seis""".split())


# Swahili nouns of groups and people by role ("kamati za maji", "vikundi vya wanawake", "wakulima wa mpunga"), and the
# singular group nouns of French, Spanish and Portuguese that open a body in lower case ("le comité de gestion de
# l'eau", "la junta de vecinos")
SWAHILI_GROUP_HEADS = frozenset("""kamati vikundi kikundi wanawake wakulima wazazi vijana walimu wahudumu viongozi
wafugaji wavuvi wachimbaji wafanyabiashara wajane wazee jumuiya vyama chama mabaraza baraza halmashauri
wajumbe""".split())
_ROMANCE_SINGULAR_GROUP = frozenset("""comité comite comitê comisión comissão commission conseil consejo conselho
association asociación associação coopérative cooperativa groupement junta réseau red rede collectif colectivo
coletivo syndicat sindicato mutuelle union unión união fédération federación federação""".split())


_ROMANCE_ARTICLE = re.compile(r"(?:(?:les|des|los|las|os|as|unos|unas|uns|umas|plusieurs|varios|varias|vários|várias"
                              r"|algunos|algunas|alguns|algumas|certains|certaines|nos|nuestros|nuestras|nossos|nossas"
                              r"|\d[\d.,]*)\s+)+", re.I)
_SINGULAR_ARTICLE = re.compile(r"(?:le|la|el|o|a|l['’]|un|une|una|um|uma)\s*", re.I)
_ROMANCE_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:[-'’][^\W\d_]+)*")
# "of" before a complement that names the kind of people ("de poisson", "za maji"); "of the" ("des", "del", "dos",
# "du") and a capital locate or own the group instead: "comités de protection de l'enfance des communes de ..."
_KIND_OF = frozenset("de wa za ya cha vya la".split())
_ELIDED_OF = re.compile(r"d['’](?=[^\W\d_A-ZÀ-Ý])")
_ARTICLE_WORDS = frozenset("la las los le les l o a os as el".split())
# words after a complement that are no adjective of it ("productoras de papa nativa", not "... de papa para ...")
_NOT_ADJECTIVE = frozenset("""para como sobre entre contra desde hasta durante cada esta este estas estos essa esse
isso isto elle elles pour avec sans dans todo toda todos todas muito muita mais aussi encore déjà deja aquí aqui
ahora agora ainda también hoje ayer ontem hace depuis mediante según segundo selon""".split())


def _romance_person(word: str) -> bool:
    w = word.lower()
    # (Swahili's nouns of people in the plural start with "wa": "wasaidizi", "wakulima", "wazazi")
    return w in ROMANCE_PEOPLE or (len(w) > 5 and w.endswith(_ROMANCE_PERSON_SUFFIX)) or _swahili_person(w)


# "journalistes des radios communautaires", "mujeres de los bancos comunales": after a role in French, Spanish or
# Portuguese, a genitive with its article ("des", "de los", "dos") before lower-case plural nouns names the kind of
# people; before a noun of places it locates them ("des communes de ..."). (Not English "of": "headteachers of community
# schools", "workers' committees of nine garment factories" are labelled without it; tried in round 23, it lost five
# actors for two.)
_KIND_OF_THE = re.compile(r"\s+(?:des|dos|das|de\s+los|de\s+las)\s+(?=[a-zà-ÿ])")
_PLACE_NOUNS = frozenset("""communes villages districts provinces régions quartiers marchés zones localités départements
municipios municipalités comunidades communautés aldeias bairros camps sites villes îles cantons secteurs terres tierras
regiones comunas barrios distritos provincias departamentos cercles préfectures sous-préfectures kijiji vijiji wilaya
kata mtaa mitaa mkoa""".split())


def kind_complement_end(text: str, end: int) -> int:
    """Where a role phrase ending at ``end`` ends with the complement that names its kind (``_KIND_OF_THE``): a plural
    noun and up to two plural adjectives; ``end`` where there is none."""
    m = _KIND_OF_THE.match(text, end)
    if m is None:
        return end
    at, out = m.end(), end
    for _ in range(3):
        w = _ROMANCE_WORD.match(text, at)
        if w is None:
            break
        low = w.group()
        if not low[:1].islower() or low in _PLACE_NOUNS or low in _ROMANCE_NOT_PLURAL or low in _NOT_ADJECTIVE \
                or not low.endswith(("s", "x")) or low.endswith(("ss", "us")):
            break
        out = w.end()
        if text[out:out + 1] != " ":
            break
        at = out + 1
    return out


# a Swahili noun or adjective of the people's class after a plural noun of people agrees with it by its prefix "wa-"
# ("wanawake wafugaji": women herders; "wachimbaji wadogo": small-scale miners); not a verb, whose prefix carries a
# tense ("wamepata", "walianza", "wanatumia", "watajenga", "wakaanza")
_SWAHILI_AGREES = re.compile(r"wa(?!me|li|na|ta|ka)[a-z]{3,}$")


def _swahili_person(word: str) -> bool:
    w = word.lower()
    return w in SWAHILI_GROUP_HEADS or (len(w) >= 7 and w.startswith("wa") and w[2] not in "aeiou" and w.isalpha())


def romance_group_at(text: str, pos: int) -> Span | None:
    """People by role, or a group in lower case, in French, Spanish, Portuguese or Swahili at ``pos`` (after an
    article, which is left out): a plural noun of people first, then plural adjectives and complements of lower-case
    nouns ("les femmes transformatrices de poisson", "os agentes comunitários de saúde", "los promotores de salud
    comunitarios", "jeunes diplômés chômeurs", "agents d'agriculture", "kamati za maji"); a singular group noun after
    a singular article ("le comité de gestion de l'eau"). A "de" before a capital ends it: the place or the body after
    it is no part of the role ("... de Joal", "... del Ministerio"). The verb ends it too: a plural noun or adjective
    of these languages ends in -s or -x, their verbs of the third person plural do not ("ont", "aprobaron",
    "começaram"); after a complement one adjective may agree with it ("productoras de papa nativa")."""
    a = _ROMANCE_ARTICLE.match(text, pos)
    at = a.end() if a else pos
    m = _ROMANCE_WORD.match(text, at)
    if m is not None and not _romance_person(m.group()):
        one = _SINGULAR_ARTICLE.match(text, pos) if a is None else None
        if one is not None and one.end() > pos:
            m = _ROMANCE_WORD.match(text, one.end())
        if m is None or m.group() not in _ROMANCE_SINGULAR_GROUP:  # (lower case: "Comité X" is a name)
            return None
    if m is None or (m.group()[:1].isupper() and a is not None):
        return None
    start, end, words, after_of = m.start(), m.end(), 1, False
    swahili = _swahili_person(m.group())
    while words < 6:
        if text[end:end + 1] != " ":
            break
        el = _ELIDED_OF.match(text, end + 1)
        w = _ROMANCE_WORD.match(text, el.end() if el else end + 1)
        if w is None:
            break
        low = w.group()
        if el is not None:
            if not low[:1].islower():
                break
            end, words, after_of = w.end(), words + 1, True
            continue
        if swahili and _SWAHILI_AGREES.match(low):  # ("wanawake wafugaji", "wachimbaji wadogo")
            end, words, after_of = w.end(), words + 1, False
            continue
        if low in _KIND_OF:
            c = _ROMANCE_WORD.match(text, w.end() + 1) if text[w.end():w.end() + 1] == " " else None
            if c is None or not c.group()[:1].islower() or c.group() in _ARTICLE_WORDS \
                    or c.group() in _PLACE_NOUNS:
                break
            end, words, after_of = c.end(), words + 2, True
            continue
        plural = low.endswith(("s", "x")) and low not in _ROMANCE_NOT_PLURAL
        agrees = after_of and low.endswith(("a", "o", "e")) and len(low) >= 4 and low not in _NOT_ADJECTIVE
        if not low[:1].islower() or len(low) < 3 or not (plural or agrees):
            break
        end, words, after_of = w.end(), words + 1, False
    end = kind_complement_end(text, end)
    return Span(start, end, text[start:end])


# "Para kader posyandu di Kecamatan X mulai ...": Indonesian's plural of people ("para") before a role, which ends
# at a preposition, a conjunction or a verb (its prefixes me-, ber-, ter-, di-; "mulai", "telah" ...)
_PARA = re.compile(r"[Pp]ara\s+((?:[a-z][a-z-]*)(?:\s+(?!(?:di|dari|yang|dan|untuk|ke|pada|dengan|mulai|telah|sudah|akan|"
                   r"tidak|belum|berhasil|kini|sekarang|juga)\b)(?!(?:me|ber|ter)[a-z]{3,})[a-z][a-z-]*){0,3})")


def indonesian_group_at(text: str, pos: int) -> Span | None:
    """People by role after Indonesian "para" at ``pos`` ("Para kader posyandu di ..." → "kader posyandu")."""
    m = _PARA.match(text, pos)
    return Span(m.start(1), m.end(1), m.group(1)) if m else None


# "Nagtayo ang mga barangay tanod ng Barangay X ...": people by role after Tagalog's plural "ang mga", up to the
# connector "ng" or "sa", a linker or a conjunction
_ANG_MGA = re.compile(r"(?<=\b[Aa]ng mga )([a-z][a-z-]*(?:\s+(?!(?:ng|sa|na|ay|at|noong|mula)\b)[a-z][a-z-]*){0,3})")


def tagalog_group_at(text: str, pos: int) -> Span | None:
    """People by role after Tagalog "ang mga" at ``pos`` ("ang mga barangay tanod ng X" → "barangay tanod")."""
    m = _ANG_MGA.match(text, pos)
    return Span(m.start(1), m.end(1), m.group(1)) if m else None


def is_office_plural(word: str) -> bool:
    """The plural of a person by office: "sheikhs", "imams", "headmasters", "sarpanches", "commanders"."""
    w = word.lower()
    return w.endswith("s") and (w[:-1] in PERSON_HEADS or (w.endswith("es") and w[:-2] in PERSON_HEADS))


def is_group_head(word: str) -> bool:
    """A plural noun naming people or groups of them (not "fees", "amendments", "documents")."""
    w = word.lower()
    if is_office_plural(w):
        return True
    # (or of French, Spanish or Portuguese: "ediles", "regantes", "comuneros", "tianguistas")
    if w in ROMANCE_PEOPLE or (len(w) > 5 and w.endswith(_ROMANCE_ONLY_SUFFIX)) \
            or (len(w) > 7 and w.endswith("eros")):
        return True
    return w in GROUP_HEADS or (len(w) > 5 and w.endswith(_PERSON_SUFFIX)
                                 and not w.endswith(("ments", "ances", "ences"))) \
        or (len(w) > 6 and w.endswith(("smen", "rmen", "dmen", "hmen", "emen", "lmen"))) \
        or (len(w) > 8 and w.endswith(("persons", "people")))  # fishermen, herdsmen; headpersons, spokespeople


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
sultan emir akim hokim khokim qaimaqam kaymakam muhtar mukhtar sarpanch pradhan tehsildar collector""".split())
# (offices in the languages OH records quote them in: French, Spanish, Portuguese, Arabic, Indonesian; session 23:
# Central Asia's akims and hokims, the Levant's qaimaqams, Turkey's kaymakams and muhtars, South Asia's sarpanches,
# pradhans, tehsildars and collectors)


def role_name(span_text: str) -> str:
    """People by role are named in lower case, as written ("Women councillors" → "women councillors")."""
    return re.sub(r"\s+", " ", span_text).strip().lower()


# a number, in digits or a word (case-insensitive patterns): "17", "Two", "eleven", "fifteen", "twenty"
NUMBER = r"(?:\d[\d,.]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|[a-z]+ty)"
# a number or a quantifier before a group of people: a count of the people a change reached, not an actor ("..., and
# 212 girls returned to school", "two youth delegates have attended", "Twelve women farmers joined the scheme")
COUNTED_BEFORE = re.compile(rf"(?:{NUMBER}|some|many|most|several|all|few|more|fewer|half|hundreds|thousands|dozens)"
                            r"(?:\s+of(?:\s+the)?)?\s+$", re.I)
# a number, not a quantifier, right before ("17 rice cooperatives"; not "some women's groups")
NUMBER_BEFORE = re.compile(rf"\b{NUMBER}\s+$", re.I)
