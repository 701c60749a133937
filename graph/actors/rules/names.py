"""Organisation names by rule: capitalised runs ending in an organisational head word ("... Network",
"Ministry of ...", "... Lda"), with their "of/for/on ..." complement and a trailing country or region
word ("ActionAid Nepal"); the actor kind a name suggests."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from . import sentence_parts
from .joins import (ALL_JOINS, COMPLEMENT_START, ENGLISH_COMPLEMENT, JOINS, PORTFOLIO_LANGUAGES, ROMANCE_COMPLEMENT,
                    alternation, union)
from .text import Span, _tokens


# Words that make a capitalised name an organisation (compared case-sensitively, as written).
ORG_HEADS = frozenset("""
Network Networks Alliance Coalition Foundation Foundations Ministry Ministries Commission Commissioner Council Assembly Embassy
Association Associations Union Forum Trust Institute Centre Center Initiative Secretariat International
Committee Agency Authority Department Directorate Court Police Service Services Society Group Platform
Project Programme Program Radio TV Television Media Times News Collective Federation Consortium Fund
Partnership Office Bureau Unit Force Government Parliament Senate House Tribunal Board Movement League
Organisation Organization Organisations Organizations Cooperative Co-operative Chamber Church Mission Diocese Archdiocese
Corporation Company Lda Ltd Limited Inc PLC Bank University College School Hospital Clinic Caucus
Desk Observatory Watch Mechanism Facility Institution Ombudsman Presidency Municipality Prefecture
Ministério Ministerio Ministère Alianza Asociación Associação Fundación Fundação Comité Consejo Conselho
Red Rede Réseau Synergie Collectif Fórum Foro Instituto Centro Sindicato Mesa Coordinadora
Section Chapter Branch Corps Cooperatives Co-operatives Defensoria Defensoría Autoridad Junta Secretaría Secretaria
Superintendencia Superintendência Iniciativa Equipo Coalición Coalizão Autorité Conseil Observatorio Observatório
Hub Helpline Witness Lab Labs Division Divisions Derneği Vakfı Birliği Platformu Sanstha Samiti Wing Cell
Club Guild Syndicate Academy Army Brigades Initiatives Samity Jamiat Khural Hural Jirga Shura Panchayat FM
""".split()) | frozenset(PREFIX_HEADS := frozenset("""
Radio Fundación Fundação Fondation Asociación Associação Association Instituto Centro Comité Consejo Conselho Red Rede
Réseau Alianza Coordinadora Sindicato Federación Federação Cooperativa Colectivo Coletivo Movimiento Movimento
Defensoria Defensoría Autoridad Junta Secretaría Secretaria Ministério Ministerio Ministère Dinas Yayasan Lembaga
Perkumpulan Serikat Jaringan Koalisi Kelompok Koperasi Gabungan Samahan Kilusan Koalisyon Pambansang Kituo Chama
Muungano Umoja Shirika Kikundi Mtandao Jukwaa Taasisi Baraza Sangh Samiti Sangathan Manch Andolan Parishad Mandal
Agua Aguas Superintendencia Superintendência Iniciativa Equipo Coalición Coalizão Autorité Conseil Coalition
Observatorio Observatório Servicio Serviço Unidad Fundacja Stowarzyszenie Udruženje Kungiyar Ƙungiyar
Organización Organização Alcaldía Municipalidad Prefeitura Gobernación Ayuntamiento Mancomunidad Confederación
Confederação Comisión Comissão Fiscalía Procuraduría Corporación Sociedad Sociedade Cámara Câmara Agrupación
Articulación Articulação Pastoral Universidad Universidade Escuela Asamblea Assembleia Frente Unión União
Plataforma Colectiva Cooperativa Associazione Organisation Ikatan Forum Aliansi Solidaritas Persatuan
Observatoire Plateforme Syndicat Ligue Mouvement Groupement Fédération Agence Cellule Collectif Société Université
Jam'iyyat Jamiyat Jamiyyat Jam'iyat Hay'at Markaz Mu'assasat Centar Udruga Savez Fondacija Asociația Fundația
Corte Cour Tribunal Juzgado Contraloría Contraloria Registro Bufete Casa Dirección Direccion Direção Direction
Gobierno Governo Oficina Grupo Grupu Groupe Gruppo Jabatan Kementerian Dewan Badan Majelis Pertubuhan Centrul Komisi
Spitalul Asociatia Fundatia Stowarzyszenie Délégation Delegación Delegação Comisaría Commissariat
Régie Mairie Gouvernorat Komite Komiti Sendika Asosiesen
Serviços Servicios Direcção Ordre Ordem Colegio Colégio Mutuelle Caisse Inspección Inspecção Inspeção Hôpital Agência
Gabinete Secretariado Procuradoria Delegacia Chambre Collège Banque Banco Caixa Caja
Coopérative Coopératives Institut Amicale
Sangguniang Kapisanan Pederasyon Lupon Tanggapan Kagawaran
Halmashauri Jumuiya Mamlaka Wizara Idara Mahakama Tume
Belediyesi Belediye Meclisi Odası Kooperatifi Müdürlüğü Bakanlığı Valiliği Kaymakamlığı Başkanlığı Sendikası
Federasyonu Merkezi Kurulu Komisyonu
Bashkia Bashkisë Komisariati Drejtoria Shoqata Qendra Gjykata Ministria Këshilli Agjencia Zyra
Urząd Inspektorat Ośrodek Starostwo
Concejo Concelho Cabildo Personería Personeria Intendencia Diputación Veeduría Veeduria
Pemerintah Kantor Puskesmas Satgas Gapoktan
""".split()))  # (session 20: the plural "Serviços", the pre-1990 "Direcção", professions' orders ...; session 23,
# Tagalog's councils, associations, federations, committees, offices; session 24, Swahili's councils, associations,
# organisations, authorities, ministries, departments, courts, commissions, institutes, federations, networks, centres,
# and the municipalities, chambers, ministries, offices, councils, courts and centres of Turkish, Albanian and Polish)


# A head directly followed by one of these words names a document, not an organisation.
DOC_WORDS = frozenset("""Bill Act Regulations Regulation Report Reports Policy Law Gazette Guidelines Strategy Plan
Order Decree Edict Circular Statement Charter Protocol Framework Agenda Budget Declaration""".split())


# Words inside a capitalised name (rules.joins: every language's joining words), not English "the" and "a",
# which start a noun phrase of their own in English prose. (Romanian: "Centrul pentru Jurnalism Independent";
# Dutch: "Vereniging van Saamaka Gezagsdragers")
CONNECTORS = ALL_JOINS - {"the", "a"}


_COMPLEMENT_OR_TO = COMPLEMENT_START | {"to"}


# Capitalised words that start sentences or clauses but never start a name.
LEADING_STOP = frozenset("""The A An In On By At For With Through This That These Those Its Their His Her Our Both
Each All Based Since After Before During Until Unlike Also Additionally However While When Where As If Following
Thanks Under Over Between Within Without From To Of And Or But Then Now Later Earlier Meanwhile Programme Program
El La Los Las Le Les Il Lo Gli O Os As Die Der Das De Ang
January February March April May June July August September October November December Some Several Many Most
Other Another Local National Regional
None Nobody Nothing Everyone Everybody Someone Somebody""".split())  # (indefinite pronouns: "None identified.")


# Words that open a leading phrase in the other languages OH records are written in ("Depois de duas formações,
# ...", "Tras dos años de presión, ..."): never the first word of a name
FOREIGN_OPENERS = frozenset("""Depois Após Durante Desde Tras Después Luego Antes Après Pendant Depuis Avant Grâce
Gracias Graças Setelah Sejak Selama Baada Kufuatia Dans Lors Dès Selon Según Hace Pelo Pela""".split())
LEADING_STOP = LEADING_STOP | FOREIGN_OPENERS


MONTH_NAMES = sentence_parts.MONTH_NAMES
MONTH_ABBREVIATIONS = frozenset("Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()) \
    | frozenset("Janv Fév Févr Fev Avr Juil Déc Dez Ene Abr Ago Dic Set Out Okt Mei Agu Des Mrt".split())  # other languages
dates_a_name = sentence_parts.dates_a_name  # (a date before a name: "JUN 2024 X", "Febuary 2025 X", "MAR-25 X")


# Sentence-initial words that also start names ("National Council of Churches", "Regional Task Force"):
# kept by the name rule, which needs a head word after them anyway.
NAME_ADJECTIVES = frozenset("Local National Regional".split())


_ADJ_SUFFIX = re.compile(r"-(?:based|led|funded|owned|run|backed|registered)$")


# "l'Éducation", "d'Azazga"; Arabic article and prepositions written with a hyphen ("lil-Mar'a", "al-Rasid")
_ELISION = re.compile(r"[ldLDs][’'][A-ZÀ-Ý]|(?:al|el|lil|li|bil|wal|ad|ar|as|an|at|az|ash)-[A-ZÀ-Ý]")


# (memoised: pure, called for every word of every field, ~270 times a fragment of the benchmark corpus, mostly the
# same words; a hit costs a tenth of the checks. Bounded: a resident ingest lives long)
@lru_cache(maxsize=1 << 16)
def _capitalised(tok: str) -> bool:
    """A word that can be part of a name: capitalised ("Council"), "l'Éducation", a short number ("19");
    not "Nairobi-based"."""
    if _ADJ_SUFFIX.search(tok):
        return False
    return tok[0].isupper() or (tok[0].isdigit() and len(tok) <= 4) or bool(_ELISION.match(tok)) \
        or (len(tok) > 3 and tok[0].islower() and tok[1].isupper() and tok[2:].isalpha())  # "iTaukei", "eThekwini"


@lru_cache(maxsize=1 << 16)  # (pure; as _capitalised)
def is_head(tok: str) -> bool:
    """An organisation's head word (:data:`ORG_HEADS`), with a possessive ("Council's") or a hyphenated prefix
    ("Haut-Commissariat"): the word a name by rule ends in or opens with."""
    base = re.sub(r"(?:'s|’s|s')$", "", tok)
    # (a head with a prefix joined by a hyphen: "Haut-Commissariat", "Sub-Directorate", "Vice-Ministerio")
    tail = base.rsplit("-", 1)[-1] if "-" in base[1:-1] else None
    return base in ORG_HEADS or tok in ORG_HEADS or (tail is not None and tail[:1].isupper() and tail in ORG_HEADS)


# "to" inside a name: a campaign's verb ("Network to End Violence against Women") or a mission's post
_TO_VERBS = frozenset("End Stop Ban Protect Promote Defend Fight Combat Eliminate Prevent Save Empower Abolish "
                      "Eradicate Reduce Free Make Build Secure Advance".split())


_TO_HEADS = frozenset("Mission Embassy Delegation Ambassador Envoy Representative".split())


# people a name is "for" or "of", and what they live with ("Persons with Disabilities", "Women with HIV")
_WITH_PEOPLE = frozenset("persons people women men children youth girls boys mothers parents living".split()) \
    | frozenset("personas pessoas personnes mujeres mulheres femmes niños niñas crianças enfants jóvenes jovens "
                "jeunes vivendo viviendo vivant".split())  # ("Asociación de Personas con Discapacidad de Ayacucho",
# "Union of People Living with HIV", "Rede Nacional de Pessoas Vivendo com HIV/AIDS")
_WITH = frozenset("with con com avec".split())


def _parent_ahead(text: str, toks: list[tuple[int, int, str]], k: int) -> bool:
    """The capitalised run starting at token ``k`` holds an organisational head ("the Ministry of Labour",
    "the Diocese of Huehuetenango") or a cause written as a name ("the Rights of Persons")."""
    for j in range(k, min(len(toks), k + 8)):
        w = toks[j][2]
        if j > k and text[toks[j - 1][1]:toks[j][0]] != " ":
            return False
        if is_head(w) or w in _CAUSE_WORDS or w.lower() in _TITLES_OF_OFFICES:
            return True  # (or an office's holder by title: "Office of the Prime Minister", "of the Attorney General")
        if not (_capitalised(w) or w in CONNECTORS):
            return False
    return False


# the last word of a title an office is named after ("the Office of the Prime Minister", "the Office of the Auditor
# General"): a unit of government "of the" its holder
_TITLES_OF_OFFICES = frozenset("minister president governor general mayor commissioner premier".split())


# the first word of a cause a body is "for" ("Council for the Rights of ...", "Fund for the Protection of ...")
_CAUSE_WORDS = frozenset("Rights Protection Promotion Defence Defense Advancement Welfare Development".split()) \
    | frozenset("Blind Deaf Disabled Elderly Aged Poor".split())  # people named by an adjective ("Society for the Blind")


_JOINED = re.compile(r"['’]? |-")  # what may stand between two words of a name


# a conjunction that joins a name's words, and the articles that after it start another name
_AND_WORDS = union("and_") - {"&"}
_ARTICLE_AFTER_AND = frozenset("the la las los el le les l' a o os as".split())


# Indonesia's administrative units, after "di" ("in"): the place a body is in, not a word of its name (Italian "di",
# "of", stays a joining word: "Comune di Bologna")
_INDONESIAN_UNITS = frozenset("Desa Kabupaten Kota Kecamatan Provinsi Kampung Kelurahan Dusun Nagari Gampong".split())


# the conjunctions of other languages, which join a name's words between capitals (English "and" the finders split)
_NAMES_AND = _AND_WORDS - {"and"}


def _head_ahead(toks: list[tuple[int, int, str]], k: int) -> bool:
    """A capitalised run of up to four words from ``k`` that ends in a body's head word."""
    words = []
    for _, _, w in toks[k:k + 4]:
        if not _capitalised(w):
            break
        words.append(w)
    return len(words) >= 2 and is_head(words[-1])


def _runs(text: str, blocked: list[tuple[int, int]]) -> list[list[tuple[int, int, str]]]:
    """Maximal runs of capitalised tokens joined by single spaces and connector words."""
    runs: list[list[tuple[int, int, str]]] = []
    cur: list[tuple[int, int, str]] = []
    toks = _tokens(text)
    for k, tok in enumerate(toks):
        s, e, w = tok
        if blocked and any(a < e and s < b for a, b in blocked):
            if cur:
                runs.append(cur)
            cur = []
            continue
        joined = bool(cur) and _JOINED.fullmatch(text, cur[-1][1], s) is not None
        if joined and w in _AND_WORDS and k + 2 < len(toks) and toks[k + 1][2] in _ARTICLE_AFTER_AND \
                and is_head(toks[k + 2][2]):
            # "the X de Itapipoca e a Secretaria Municipal ...", "X y la Alcaldía de ...": an article and a body's head
            # start a second name ("Defensa de la Niñez y la Familia" is one)
            joined = False
        if not cur and k + 1 < len(toks) and toks[k + 1][2] in ("ng", "na") \
                and sentence_parts.TAGALOG_OBJECT_VERB.fullmatch(w) \
                and text[:s].rstrip()[-1:] in ("", ".", "!", "?", ":", ";"):
            continue  # "Pinagtibay ng Sangguniang Panlungsod ng X ang ...": a Tagalog verb opens the sentence, no name
        if joined and w == "di" and k + 1 < len(toks) and toks[k + 1][2] in _INDONESIAN_UNITS:
            joined = False  # "Kelompok Tani X di Desa Y": Indonesian "di" (in) before a place's unit locates the name
        if joined and w in _NAMES_AND and len(cur) >= 2 and is_head(cur[-1][2]) and _head_ahead(toks, k + 1):
            joined = False  # "Batman Belediyesi ve Kozluk Belediyesi": two names, each with its head
        if _capitalised(w) and (joined or not cur):
            cur.append(tok)
        elif joined and w in CONNECTORS and (w != "on" or (is_head(cur[-1][2]) and k + 1 < len(toks)
                                                          and toks[k + 1][2][:1].isalpha()
                                                          and toks[k + 1][2] not in MONTH_NAMES)):
            cur.append(tok)  # ("Committee on Justice"; not "in Quechua on Radio Pío XII", "Assembly on 12 May")
        elif joined and w == "to" and k + 1 < len(toks) and (toks[k + 1][2] in _TO_VERBS or (
                cur[-1][2] in _TO_HEADS and _capitalised(toks[k + 1][2]))):
            cur.append(tok)  # "Regional Task Force to End ...", "OSCE Mission to Skopje": one name
        elif joined and w in _WITH and cur[-1][2].lower() in _WITH_PEOPLE and k + 1 < len(toks) \
                and _capitalised(toks[k + 1][2]):
            cur.append(tok)  # "National Council for Persons with Disabilities": one name
        elif joined and w == "a" and k + 2 < len(toks) and toks[k + 1][2] in ("la", "las", "los", "el") \
                and _capitalised(toks[k + 2][2]) and any(is_head(c[2]) for c in cur):
            cur.append(tok)  # Spanish "a" + an article: "Autoridad Nacional de Transparencia y Acceso a la Información"
        elif joined and w == "a" and k + 1 < len(toks) and _capitalised(toks[k + 1][2]) \
                and toks[k + 1][2] not in LEADING_STOP and any(c[2] in ("de", "del", "para") for c in cur) \
                and any(is_head(c[2]) for c in cur):
            cur.append(tok)  # Spanish "a" before a capital: "Comisión Mexicana de Ayuda a Refugiados"
        elif joined and w in ("o", "a", "os", "as") and cur[-1][2] in ("para", "por", "pelo", "pela", "de") \
                and k + 1 < len(toks) and _capitalised(toks[k + 1][2]) and any(is_head(c[2]) for c in cur):
            cur.append(tok)  # a Portuguese article after a joining word: "Associação ... para o Desenvolvimento"
        elif joined and w == "the" and len(cur) >= 2 and cur[-1][2] == "of" and cur[-2][2] in OF_THE_HEADS:
            cur.append(tok)  # "Kenya Section of the International Commission of Jurists": one name
        elif joined and w == "the" and len(cur) >= 2 and cur[-1][2] in ("of", "for") \
                and any(is_head(c[2]) for c in cur) and _parent_ahead(text, toks, k + 1):
            # a unit of a named parent body ("Gender Unit of the Ministry of Labour", "Marine Science
            # Institute of the University of the Philippines"), a body for a named cause ("Higher Council
            # for the Rights of Persons with Disabilities"): one name
            cur.append(tok)
        else:
            if cur:
                runs.append(cur)
            cur = [tok] if _capitalised(w) else []
    if cur:
        runs.append(cur)
    return runs


def _trim(run: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    if run and re.match(r"[lL][’']", run[0][2]) and is_head(run[0][2][2:]):
        s, e, w = run[0]
        run = [(s + 2, e, w[2:]), *run[1:]]  # "l'Observatoire ...": the article is not a part of the name
    while run and (run[-1][2] in CONNECTORS
                   or (len(run) >= 2 and run[-1][2][0].isdigit() and run[-2][2] in ("of", "de", "for"))):
        run = run[:-1]  # (and a quantity after a connector: "... de Agua of 12 villages")
    while run and (run[0][2] in CONNECTORS or (run[0][2] in LEADING_STOP and run[0][2] not in NAME_ADJECTIVES)
                   or run[0][2][0].isdigit()
                   or dates_a_name(run[0][2], run[1][2] if len(run) > 1 else "")):
        # ("Jan 2025 Bank Sampah ...": a date written before the name is not a part of it)
        run = run[1:]
    run = run[_owned_from(run):]
    if len(run) >= 2 and re.search(r"\w['’]s$", run[-1][2]):  # "the Carter Center's mass drug administration":
        s, e, w = run[-1]                                         # the name is the owner's, without its possessive
        run = [*run[:-1], (s, e - 2, w[:-2])]
    return run


def _owned_from(run: list[tuple[int, int, str]]) -> int:
    """Where the name in ``run`` starts after its owner's possessive ("the Assembly's Committee on ...", "the
    WTO's Council for ..."): the possessive belongs to the owner, not to the name; 0 where there is none (nor
    before a common noun: "The Carter Center's mass drug administration" is the Center's work)."""
    for i in range(len(run) - 1, -1, -1):
        if run[i][2].endswith(("'s", "’s")) and i < len(run) - 1 and run[i + 1][2][:1].isupper() \
                and (is_head(run[i][2]) or _owner_of(run[:i + 1], run[i + 1:])):
            return i + 1
    return 0


_SAINT_BEFORE = re.compile(r"\b(?:St|Saint|San|Santa|Sainte)\.?\s+[\w'’-]+$")


def _owner_word(word: str, before: str) -> bool:
    """``word``'s possessive may name an owner: no group a name is of ("Lao Women's Union"), no office-holder ("the
    Governor's Office of ...") and no saint (``before``, the text up to the word's end: "St. Andrew's Refugee
    Services")."""
    return word not in _NAME_POSSESSIVES and word.lower() not in _titles() and not _SAINT_BEFORE.search(before)


def cut_from_owner(text: str, s: int) -> bool:
    """The name at ``s`` follows an owner's possessive that :func:`_owner_of` took off ("the WTO's | Council
    for ..."), not a head word's ("the Assembly's Committee": a name the rules keep apart otherwise)."""
    m = re.search(r"([\w.-]+)['’]s $", text[max(0, s - 60):s])
    return bool(m) and not is_head(m.group(1)) and _owner_word(m.group(1), text[max(0, s - 80):s - 3])


def owned_start(text: str, s: int, e: int) -> int:
    """Where the name at ``s:e`` starts after its owner's possessive (:func:`_owned_from`), else ``s``."""
    run = [(s + m.start(), s + m.end(), m.group()) for m in re.finditer(r"[^\s,;()]+", text[s:e])]
    i = _owned_from(run)
    return run[i][0] if i else s


# whose possessive is a part of a name ("Women's Union", "People's Committee", "Farmers' Association")
_NAME_POSSESSIVES = frozenset("Women Woman People Peoples Children Child Workers Farmers Girls Boys Men Youth "
                              "Mothers Persons Fishers Citizens Veterans Students Teachers Nurses Journalists "
                              "Lawyers Consumers Pensioners Elders Traders Miners Herders".split())


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    """Office-holders, whose possessive is a part of the office's name ("the Governor's Office of Bayanzürkh
    District"): :data:`.people.PERSON_HEADS` (which reads this module's head words) and a few more."""
    from .people import PERSON_HEADS

    return PERSON_HEADS | frozenset("general marshal solicitor defender advocate".split())


def _owner_of(owner: list[tuple[int, int, str]], rest: list[tuple[int, int, str]]) -> bool:
    """A possessive that names whose body follows ("the Tweede Kamer's Standing Committee on ...", "the
    Government of Sindh's Planning and Development Department"), not a part of its name: what follows is a
    capitalised name of two words or more with a head word of its own, and the owner is one (:func:`_owner_word`)."""
    word = re.sub(r"['’]s$", "", owner[-1][2])
    return len(rest) >= 2 and any(is_head(t[2]) for t in rest) \
        and _owner_word(word, " ".join(t[2] for t in owner)[:-2])


_ROMANCE_ARTICLES = frozenset("la el los las le les".split())


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
        if w in ("y", "e", "et", "i") and cur and nxt in _ROMANCE_ARTICLES and i + 2 < len(run) \
                and is_head(run[i + 2][2]):
            # "COCODEs de X y Y y la Municipalidad de Z": "and" before an article and a head word starts a second
            # name, in Spanish, Portuguese, French or Catalan as in English ("and the"); not a portfolio
            # ("Fundación para la Justicia y el Estado ...")
            parts.append(cur)
            cur = []
            continue
        if w in ("dan", "na") and len(cur) >= 2 and nxt in PREFIX_HEADS and i + 2 < len(run):
            # "Dewan Pers dan Aliansi Jurnalis Independen": Indonesian "dan", Swahili "na" before a head word that
            # opens names, after a name of two words or more, starts a second name
            parts.append(cur)
            cur = []
            continue
        if w in ("and", "&") and not in_complement and (len(cur) >= 2 or (cur and nxt in PREFIX_HEADS)) \
                and (is_head(cur[-1][2]) or nxt in PREFIX_HEADS or _place_words().fullmatch(cur[-1][2])):
            # ("Fokupers and Rede Feto Timor-Leste": a name of one word, then a name with a prefix head)
            parts.append(cur)
            cur = []
            continue
        if w in ("and", "&") and cur and _second_name(cur, run[i + 1:], in_complement):
            parts.append(cur)
            cur = []
            in_complement = False
            continue
        cur.append(tok)
    parts.append(cur)
    return parts


# capitals that name a subject, not a body: a portfolio may end in one ("Ministry of Health and HIV")
_SUBJECT_CAPITALS = frozenset("HIV AIDS ICT ICTs WASH SRHR SRH GBV SGBV LGBT LGBTI LGBTIQ LGBTQ LGBTQI MSMEs SMEs".split())


def _second_name(before: list[tuple[int, int, str]], after: list[tuple[int, int, str]], in_complement: bool) -> bool:
    """Whether an "and" the head-word test above left inside a name starts a second name. In a complement:
    an acronym alone after it ("Media Council of Kenya and KUJ", "Upazila Agriculture Office of Shyamnagar and
    BRAC"), a name of one word after a country ("... of Ghana and Daasgift"), or a name with a head word of its own
    after a country ("University of Kenya and Moi Teaching Hospital"); not a portfolio ("Ministry of Land and
    Environment", "Ministry of Health and Social Services").
    Outside a complement the words before the "and" share the head after it ("Bangladesh Garment and Industrial
    Workers Federation", "Hill Area and Community Development Foundation"): one name."""
    if not in_complement:
        return False
    words = [t[2] for t in after]
    # (an English "and" after a name in French, Spanish or Portuguese: a second name, whose portfolios would be joined
    # in the name's own language: "the Banque Tunisienne de Solidarité and Enda Tamweel")
    if any(t[2] in ROMANCE_COMPLEMENT for t in before[1:]) and not any(t[2] in ENGLISH_COMPLEMENT for t in before) \
            and words and all(w[:1].isupper() for w in words):
        return True
    country = _place_words().fullmatch(before[-1][2]) is not None
    if len(words) == 1:
        # (a name of one word after a country: "Union of Fishworkers of Ghana and Daasgift"; not a second country)
        return (re.fullmatch(r"[A-Z][A-Z&-]*[A-Z]", words[0]) is not None and words[0] not in _SUBJECT_CAPITALS) \
            or (country and _place_words().fullmatch(words[0]) is None)
    # (or a name that opens with its head, as French, Spanish and Portuguese write them, with a complement of its own:
    # "Division Provinciale de la Santé du Kasaï-Central and Ordre des Infirmiers du Congo"; a portfolio opens with
    # none: "Ministry of Health and Social Services")
    return len(words) >= 2 and ((country and is_head(words[-1]))
                                or ((words[0] in PREFIX_HEADS or is_head(words[0]))
                                    and any(w in ROMANCE_COMPLEMENT for w in words[1:])))


def _and_inside_complement(run: list[tuple[int, int, str]], words: list[tuple[int, int, str]], i: int) -> bool:
    """Whether the "and" at ``run[i]`` (a name with a prefix head; ``words`` the same tokens to the run's end,
    before the trim) joins two subjects of the head's complement, not two names: it follows the complement's start,
    and one word follows it with a complement of its own and no body's word after it ("Commissariat for Refugees
    and Migration of the Republic of Serbia"); not "... and FIPAG" (capitals), "... and Ciudad Saludable"."""
    return any(w[2] in COMPLEMENT_START for w in run[1:i]) and i + 2 < len(words) and not run[i + 1][2].isupper() \
        and words[i + 2][2] in COMPLEMENT_START \
        and not any(is_head(w[2]) or w[2] in PREFIX_HEADS for w in run[i + 1:])


_TAIL_WORD = re.compile(r"[A-ZÀ-ÝĀ-Ž][a-zß-ÿā-ž'’-]+")
_A_MONTH = re.compile(rf"(?i:{sentence_parts._MONTH})")


def _name_of(run: list[tuple[int, int, str]]) -> list[tuple[int, int, str]] | None:
    """The organisation name in a run: up to its last head word plus an "of/for/on ..." complement."""
    whole, run = run, _trim(run)
    if len(run) >= 2 and run[0][2] in PREFIX_HEADS:
        # (the complement word the trim took off the run's end is still the words': "... and Migration of")
        words = whole[next((k for k, t in enumerate(whole) if t[1] == run[0][1]), 0):]
        cut = next((i for i, t in enumerate(run) if t[2] in ("and", "&") and not _and_inside_complement(run, words, i)),
                   len(run))
        name = run[:cut]
        while name and name[-1][2] in CONNECTORS:
            name = name[:-1]
        if len(name) >= 2:
            return name  # "Fundación X para Y", "Yayasan PEKKA", "Radio Pacis" (and "Nile FM": another)
    heads = [i for i, t in enumerate(run) if is_head(t[2])]
    if not heads:
        return None
    # the first head that is followed by a complement keeps the whole complement
    h = heads[-1]
    for i in heads:
        if i + 1 < len(run) and run[i + 1][2] in _COMPLEMENT_OR_TO:
            h = i
            break
        if i + 2 < len(run) and run[i + 2][2] in COMPLEMENT_START and _capitalised(run[i + 1][2]) \
                and not is_head(run[i + 1][2]):
            h = i + 1  # an adjective after the head, as French and Spanish write it ("Office Régional de ...")
            break
    tail = run[h + 1:]
    if tail and tail[0][2] in DOC_WORDS:
        return None
    if tail and tail[0][2] in _COMPLEMENT_OR_TO:
        name = run
    elif len(tail) == 1 and _TAIL_WORD.fullmatch(tail[0][2]) and not _A_MONTH.fullmatch(tail[0][2]) \
            and tail[0][2] not in REGIONS:  # (a region: :func:`extend_name` reads "Asia & Pacific" whole)
        # one capitalised word after the last head ends the name where the run ends: "International Media Support",
        # "Social Watch Bénin", "Nansen Dialogue Centre Mostar", "... Sewerage Service Enterprise"; not a month
        # written in any language ("Bergama Kadın Kooperatifi Ağustos 2024'te"), nor a region
        name = run
    else:
        name = run[: h + 1]
    name = _trim(name)
    content = [t for t in name if t[2] not in CONNECTORS]
    if len(content) < 2:
        return None
    return name


# (police and ministries in South Asia and East Africa: "Cyber Crime Wing", "Anti-Trafficking Cell")
SUBUNIT_HEADS = frozenset("Section Chapter Branch Division Wing Cell".split())


# heads whose "of the <Name>" complement is part of the name ("Special Education Department of the Ministry of
# Education", "Delegation of the European Union", "National Union of the Deaf")
OF_THE_HEADS = SUBUNIT_HEADS | frozenset("Department Directorate Delegation Mission Union Association Federation "
                                         "Council Commission Institute".split())


# "Ministry of Land Management, Agriculture and Cooperatives": a list of portfolios inside a complement
# (each portfolio may open with a genitive of English, French, Spanish or Portuguese and its article, as
# ``rules.joins`` holds them, ", du Commerce et de l'Artisanat"; a joining word is followed by a capitalised word:
# not "... y Diversidad of the province")
_PORTFOLIO_GENITIVE = "|".join(rf"(?:{alternation(j.of)})" + (rf"(?: (?:{alternation(j.article)}))?" if j.article else "")
                               for j in JOINS if j.language in PORTFOLIO_LANGUAGES)
_PORTFOLIO_JOIN = rf"(?:(?:{_PORTFOLIO_GENITIVE}) (?:[ld]['’])?|[ld]['’])"
# a name whose head has a complement in those languages ("Ministry of ...", "Ministério da ...") may list them
_PORTFOLIO_COMPLEMENT = re.compile(rf" (?:{alternation(union('of', 'for_', only=PORTFOLIO_LANGUAGES))}) ")
_PORTFOLIO_WORD = r"[A-ZÀ-ÝĀ-Ž][\w'’-]*"
# (a portfolio may open with its language's article, "Culture and the Arts"; one that does names no body: checked
# where the list is read)
_PORTFOLIO_ARTICLE = "|".join(rf"(?:{alternation(j.article)})" for j in JOINS
                              if j.language in PORTFOLIO_LANGUAGES and j.article)
_PORTFOLIO = (rf"(?:{_PORTFOLIO_JOIN}|(?:{_PORTFOLIO_ARTICLE}) )?{_PORTFOLIO_WORD}"
              rf"(?: (?:{_PORTFOLIO_WORD}|{_PORTFOLIO_JOIN}{_PORTFOLIO_WORD}))*")
_ARTICLE_PORTFOLIO = re.compile(rf"(?:^|[ ,]) ?(?:{_PORTFOLIO_ARTICLE}) (?P<words>[^,]*)")
# (not ", and" before an acronym alone: "... de Actividades Económicas, and IOM distributed seeds" is a second
# clause, whose subject the acronym is)
_OWN_COMPLEMENT = re.compile(r" (?:of|de|des|du|del|da|do|dos|das|della|di) ")
_PORTFOLIOS = re.compile(rf"(?:, {_PORTFOLIO})*(?:,? (?:and|y|e|et) (?<!, and )|, and (?![A-Z]{{2,}}\b(?! [A-Z]))){_PORTFOLIO}")


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
                if _PORTFOLIO_COMPLEMENT.search(text, s, e) and text[e:e + 2] == ", ":
                    m = _PORTFOLIOS.match(text, e)
                    # (a portfolio after an article with a body's word is a second name: ", and the Police Service")
                    # (and one with a complement of its own: ", and the Coordination des Sages de la Basse-Guinée",
                    # ", and the Imam of the Grand Mosque of Kankan")
                    if m and not any(a < m.end() and e < b for a, b in blocked) and not any(
                            is_head(w) or (", and the " in m.group() and _OWN_COMPLEMENT.search(p["words"]))
                            for p in _ARTICLE_PORTFOLIO.finditer(m.group()) for w in p["words"].split()):
                        e = m.end()
                e = extend_name(text, e, blocked)
                s = number_first(text, s, e, blocked)
                s = _portfolios_before(text, s, blocked, out)
                # "the Alcaldía de Cúcuta of Decreto 0412": a numbered document after "of" is what the body
                # did (the object of an act it is the agent of), not a part of its name
                doc = _NUMBERED_DOCUMENT.search(text, s, e)
                if doc is not None and len(text[s:doc.start()].split()) >= 2:
                    e = doc.start()
                # "Deliberação of the Câmara of 8 May 2025": a date after "of" is when, not a part of the name
                date = _DATE_OF.search(text, s, e)
                if date is not None:
                    e = date.start()
                legal = _LEGAL_FORM.match(text, e)
                if legal is not None and not any(a < legal.end() and e < b for a, b in blocked):
                    e = legal.end()  # "Cooperativa Integral Pesquera Champerico, R.L.": its legal form is its name's
                out.append(Span(s, e, text[s:e]))
    return out


# the words of a name before its list of portfolios ("Kobo Woreda Water, Mines and Energy Office", "Jama Woreda Women,
# Children and Youth Affairs Office"): capitalised words without a head, then portfolios of one or two words, each
# after a comma, right before the name the rule found ("Mines and Energy Office")
_PORTFOLIOS_BEFORE = re.compile(r"(?<![\w'’-])(?P<lead>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){1,3})"
                                r"(?:,\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)*,\s+$")


def _portfolios_before(text: str, s: int, blocked, out: list[Span]) -> int:
    """Where a name starts that lists its portfolios before the words the rule found (:data:`_PORTFOLIOS_BEFORE`),
    else ``s``: only when the name the rule found opens with a portfolio and "and" ("Mines and Energy Office"), and
    the words before it name no body of their own nor overlap a name found before."""
    if not re.match(r"[A-Z][\w'’-]*\s+(?:and|&)\s", text[s:s + 40]):
        return s
    m = _PORTFOLIOS_BEFORE.search(text, max(0, s - 120), s)
    if m is None:
        return s
    start = m.start()
    while text[start:].split(maxsplit=1)[0] in LEADING_STOP:  # ("The Kobo Woreda Water, ...": not "The")
        start += len(text[start:].split(maxsplit=1)[0]) + 1
    lead = text[start:m.end("lead")].split()
    before = text[max(0, start - 6):start].split()[-1:]
    if len(lead) < 2 or _place_words().fullmatch(" ".join(lead)) or before in (["In"], ["in"], ["at"], ["from"]) \
            or any(is_head(w.strip(",")) for w in text[start:s].split()) \
            or any(a < s and start < b for a, b in blocked) or (out and out[-1].end > start):
        return s
    return start


# a company's or a cooperative's legal form after its name and a comma ("X, R.L.", "Y, S.A. de C.V.", "Z, Ltd.")
_LEGAL_FORM = re.compile(r",\s+(?:S\.\s?A\.(?:\s?S\.)?(?:\s+de\s+C\.\s?V\.)?|S\.\s?R\.\s?L\.|R\.\s?L\.|"
                         r"S\.\s?A\.\s?C\.|C\.\s?A\.|Ltd\.?|Limited|Inc\.?|LLC|PLC|GmbH|AG|Cía\.?)(?![\w.])")


# a number that opens a name: an ordinal ("6th Infantry Division", "2nd Chance Returnees Self-Help Group"), digits and
# letters ("3S Rivers Protection Network"), a number of up to four digits that is no year ("1000 Girls Trust",
# "1325 Action Group Nepal"), a radio's frequency ("98.1 Radio Mankneh FM")
_NUMBER_BEFORE = re.compile(r"(?:(?<=^)|(?<=[\s(\[\"“]))(?P<n>\d+(?:st|nd|rd|th)|\d+[A-Z][A-Za-z]*|\d{1,4}|\d{2,3}\.\d)\s$")
# before the number, a word that makes it a count, an amount or a date ("trained 40 ...", "USD 5 ...", "No. 12")
_COUNTED_BEFORE = re.compile(r"(?:[A-Z]{3}|No\.?|Nos?|Art\.?|Article|Law|Decree|Act|about|some|over|under|around|"
                             r"nearly|almost|only|all|\d+|[a-z]+ed|[a-z]+s)\s+$")


def number_first(text: str, s: int, e: int, blocked: Sequence[tuple[int, int]] = ()) -> int:
    """The start of a name the number before it opens ("1000 Girls Trust"), else ``s``: not a year (1900-2099),
    not a count of the plural the name ends in ("40 Community Health Workers"), not a number a verb, an amount or a
    document word counts ("trained 40 ...", "USD 5 ...", "Article 19" stays a name of its own)."""
    m = _NUMBER_BEFORE.search(text, max(0, s - 12), s)
    if m is None or any(a < s and m.start("n") < b for a, b in blocked):
        return s
    n = m.group("n")
    if n.isdigit() and 1900 <= int(n) <= 2099:
        return s
    if "." in n and not re.search(r"\b(?:FM|Radio)\b", text[s:e]):
        return s
    last = text[s:e].split()[-1]
    if n.isdigit() and last.endswith("s") and not last.endswith(("ss", "us", "is")) and last[:1].isupper() \
            and last not in ("Affairs", "Rights", "News", "Services", "Works", "Industries"):
        return s  # ("40 Community Health Workers": a count)
    if n.isdigit() and _COUNTED_BEFORE.search(text, max(0, m.start("n") - 20), m.start("n")):
        return s
    return m.start("n")


@lru_cache(maxsize=1)
def _currencies() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


_CODE_AND_NUMBER = re.compile(r"(?P<code>[A-Z]{3})\s*\d")


def an_amount(name: str, before: str = "") -> bool:
    """A currency's ISO 4217 code and a number ("NPR 5 lakh", "PHP 20,000", "USD 5 Grant Fund"), or a currency's code
    or common abbreviation after a number (``before``: the text before the name; "6 million FCFA", "20,000 KSh"):
    money, no actor."""
    m = _CODE_AND_NUMBER.match(name)
    if m is not None and m.group("code") in _currencies():
        return True
    return (name in _currencies() or name in _CURRENCY_WORDS) and _AMOUNT_BEFORE.search(before) is not None


# currencies written by an abbreviation that is no ISO code
_CURRENCY_WORDS = frozenset("FCFA CFA KSh Ksh KShs TSh Tsh TShs USh Ush UShs Rs Tk GHS".split())
_AMOUNT_BEFORE = re.compile(r"\d(?:[\d,.]*\d)?\s*(?:(?:million|billion|thousand|lakh|crore|m|bn|k)\s+)?$")


_DATE_OF = re.compile(rf"\s+of\s+(?:\d{{1,2}}\s+)?(?:{'|'.join(MONTH_NAMES)}|{'|'.join(sorted(MONTH_ABBREVIATIONS))})\.?\s+\d")


_NUMBERED_DOCUMENT = re.compile(r"\s+of\s+(?!(?:Zone|District|Ward|Region|Sector|Area|Commune|Province|Block|Division|"
                                r"Circle|Cell|Village|Unit|Section|Branch|Chapter)\s+\d)"
                                r"(?:[A-ZÀ-Ý]\S*\s+){1,3}(?:No\b|N[º°o]\.?\s*\d|\d)")


# ISO alpha-3 codes that are also English words written in capitals ("AND", "CAN"): never a name's suffix
_WORD_CODES = frozenset("AND ARE CAN PER TON MAR DOM GIN BEN NIC FIN".split())


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
        if c.alpha_3 not in _WORD_CODES:
            names.add(c.alpha_3)  # "Wildlife Conservation Society PNG" (upper case only: matched as written)
    alts = sorted((re.escape(n).replace(r"\ ", r"\s+") for n in names), key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(alts) + r")(?![\w-])")


REGIONS = ("Africa", "Asia", "East and Southern Africa", "Eastern and Southern Africa", "West and Central Africa", "Europe", "Latin America", "Central America", "South America", "the Caribbean",
           "Caribbean", "Pacific", "Middle East", "MENA", "East Africa", "Eastern Africa", "West Africa",
           "Western Africa", "Southern Africa", "Central Africa", "North Africa", "Horn of Africa",
           "South Asia", "Southeast Asia", "South-East Asia", "East Asia", "Central Asia", "Great Lakes",
           "Sahel", "Andes", "Mesoamerica", "Asia Pacific", "Asia-Pacific", "Americas", "the Americas",
           # (regions written with "and" / "&": one region, "Urgent Action Fund Asia & Pacific")
           "Asia & Pacific", "Asia and Pacific", "Asia and the Pacific", "Latin America and the Caribbean",
           "Latin America & Caribbean", "Middle East and North Africa", "East and Horn of Africa")


_COURT_END = re.compile(r"\b(?:Court|Tribunal)$")
_COURT_SEAT = re.compile(r" in [A-ZÀ-ÝĀ-Ž][\w'’-]+(?: [A-ZÀ-ÝĀ-Ž][\w'’-]+)?(?![\w'’-]| [A-Z])")


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
        # "the Voivodeship Administrative Court in Warsaw", "the Labour Tribunal in Gaborone": a court is named by
        # its seat
        seat = _COURT_SEAT.match(text, end) if _COURT_END.search(text, max(0, end - 12), end) else None
        if seat is not None and not any(a < seat.end() and end < b for a, b in blocked):
            return seat.end()
        # ("Land and Equity Movement in Uganda", "Migrant Forum in Asia": a country or a region after "in" is the
        # name's, as written in every labelled set)
        m = re.match(r" (?:of (?:the )?|in (?:the )?)(?=[A-Z])", text[end:end + 9])
        if m:
            hit = pat.match(text, end + m.end())
            if hit and not re.match(r"[ -]?[A-Z]", text[hit.end():hit.end() + 2]):
                return hit.end()
        u = unit_after(text, end)
        if u is not None and not any(a < u and end < b for a, b in blocked):
            return u
        # "Centre for Legal Information and Communication in Kenya (CLICK)": the acronym the record
        # teaches spells the place too, so the place is a part of the name
        m = _LOCATED_ACRONYM.match(text, end)
        if m and not any(a < m.end("place") and end < b for a, b in blocked) \
                and _capitals(text[:m.end("place")][-200:], m.group("acr")):
            return m.end("place")
    # "National Federation of the Disabled - Nepal", "... Peace - Chipata Diocese": a branch or country
    # suffix after a dash
    m = _DASH_SUFFIX.match(text, end)
    if m and m.group(1).split()[0] not in LEADING_STOP and not any(a < m.end() and end < b for a, b in blocked):
        return m.end()
    return end


_PLACE_COMPLEMENT = re.compile(r"\b(?:of|de|del|du|in) (?:the )?[A-ZÀ-ÝĀ-Ž][\w'’.-]*(?: [A-ZÀ-ÝĀ-Ž][\w'’.-]*)?$")
_UNIT_AFTER = re.compile(r" (?:province|regency|district|county|municipality|prefecture|governorate|state|region|"
                         r"aimag|soum|oblast|rayon|krai|wilaya|wilayat|woreda|zone|department|parish|upazila|taluka|"
                         r"tehsil|commune|canton)(?![\w-])")


def unit_after(text: str, end: int) -> int | None:
    """Where a name whose complement is a place ends when the place's unit word follows in lower case
    ("Department of ... of Quảng Nam province", "Bupati of Jayapura regency"), else None."""
    m = _UNIT_AFTER.match(text, end)
    if m and _PLACE_COMPLEMENT.search(text[max(0, end - 60):end]):
        return m.end()
    return None


_DASH_SUFFIX = re.compile(r" [-–] ((?:[A-Z][\w'’.]*(?:-[A-Z][\w'’]*)?)(?: [A-Z][\w'’.]*){0,2})(?![\w'’-]| [A-Z])")
# (or after a comma: "Centre for Injury Prevention and Research, Bangladesh (CIPRB)")
_LOCATED_ACRONYM = re.compile(r"(?: (?:in|din|de|en|em|of)|,) (?P<place>[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,2})"
                              r" \((?P<acr>[A-Z][A-Za-z]{2,9})\)")


def _capitals(name_text: str, acronym: str) -> bool:
    """The acronym is the initials of the capitalised words the text before it ends with."""
    acr = acronym.upper()
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", name_text) if w[0].isupper()]
    return len(words) >= len(acr) and "".join(w[0] for w in words[-len(acr):]).upper() == acr


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
