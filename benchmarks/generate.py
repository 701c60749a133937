"""Synthetic Outcome Harvesting fragments for benchmarks (pure standard library).

    python benchmarks/generate.py --count 10000 --seed 42 --format text --out data/synth
    python benchmarks/generate.py --count 100000 --seed 7 --format csv --out data/synth-csv

The output is reproducible: the same --count and --seed give byte-identical files.

* ``text``: ``fragments_00000.txt``, ... with ``--per-file`` fragments each (default 500), written
  as ``**Field name**: value`` lines and separated by a ``---`` line, like examples/text/.
* ``csv``: ``fragments_00000.csv``, ... with at most ``--rows-per-csv`` rows each (default 10,000),
  header row = field display names, written with the csv module.

Other code can import the generator by path::

    spec = importlib.util.spec_from_file_location("generate", "benchmarks/generate.py")
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    for fragment in mod.generate(1000, seed=1): ...   # dict: display field name -> value

Keys are the field display names *as written*; like real exports, a few fragments use variant
names (``coutnry``, ``Year ``, ``Rating Significance``, ``Type of change``, ``Confidential``,
``Signifcance of the outcome``) or carry an unknown extra field (``Harvester``). ``CANONICAL``
maps every variant to its standard display name.

Organisations are drawn Zipf-popularly from a pool of ~2,000 generated names (most with an
acronym) plus the well-known actors of examples/actors.yaml, so that a few actors recur in
thousands of fragments and most in only a handful. About 8% of fragments are confidential.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import itertools
import random
import sys
from pathlib import Path
from typing import Iterator

# ----------------------------------------------------------------------------- fields
FIELDS = [
    "FragmentID", "Outcome status", "OH-harvesting period", "Country", "Year", "Outcome description",
    "Significance of the outcome", "Additional information (use if needed) ", "Rating significance",
    "Social actor", "Scale", "Contribution of the programme", "Contribution of other actors and factors",
    "Rating contribution", "The change was unintended", "Evidence supporting the outcome statement",
    "Outcome statements is CONFIDENTIAL", "Link to Outcomes in Results Framework ",
    "Link to {PROG} Specific Objectives", "StoryFragment_Merged", "Outcome is negative", "MCQType of change",
    "TypeOfChangeCluster",
]
PROGRAMMES = ["SCC", "VOICE", "WEP"]

# variant name -> standard display name (the quirks found in real exports)
CANONICAL = {
    "coutnry": "Country", "country": "Country", "Year ": "Year", "Rating Significance": "Rating significance",
    "Type of change": "MCQType of change", "Confidential": "Outcome statements is CONFIDENTIAL",
    "Signifcance of the outcome": "Significance of the outcome",
}
VARIANTS = [  # (standard name, variant, probability)
    ("Country", "coutnry", 0.05), ("Country", "country", 0.03), ("Year", "Year ", 0.03),
    ("Rating significance", "Rating Significance", 0.03), ("MCQType of change", "Type of change", 0.03),
    ("Outcome statements is CONFIDENTIAL", "Confidential", 0.02),
    ("Significance of the outcome", "Signifcance of the outcome", 0.01),
]

# ----------------------------------------------------------------------------- reference data
COUNTRIES = {
    # ISO2: (name, ISO3, variants, places, adjective)
    "KE": ("Kenya", "KEN", ["KE", "kenya"], ["Mombasa", "Kwale", "Kilifi", "Nairobi", "Kisumu", "Nakuru",
           "Garissa", "Isiolo", "Lamu", "Malindi", "Turkana", "Marsabit", "Eldoret", "Machakos"], "Kenyan"),
    "UG": ("Uganda", "UGA", ["UG", "uganda"], ["Kampala", "Gulu", "Lira", "Arua", "Jinja", "Mbarara",
           "Soroti", "Kasese", "Moroto", "Hoima"], "Ugandan"),
    "TZ": ("Tanzania", "TZA", ["Tanzania, United Republic of", "TZ"], ["Dar es Salaam", "Arusha", "Mwanza",
           "Dodoma", "Zanzibar", "Mbeya", "Tanga", "Morogoro"], "Tanzanian"),
    "MZ": ("Mozambique", "MOZ", ["MZ", "Moçambique"], ["Maputo", "Pemba", "Nampula", "Tete", "Beira",
           "Cabo Delgado", "Ancuabe", "Moatize", "Quelimane"], "Mozambican"),
    "ZW": ("Zimbabwe", "ZWE", ["ZW"], ["Harare", "Bulawayo", "Mutare", "Chimanimani", "Masvingo",
           "Gweru", "Mutoko", "Goromonzi"], "Zimbabwean"),
    "ET": ("Ethiopia", "ETH", ["ET"], ["Addis Ababa", "Hawassa", "Bahir Dar", "Mekelle", "Gondar",
           "Dire Dawa", "Adama", "Jimma"], "Ethiopian"),
    "NG": ("Nigeria", "NGA", ["NG", "nigeria"], ["Abuja", "Lagos", "Kano", "Port Harcourt", "Enugu",
           "Maiduguri", "Ibadan", "Jos"], "Nigerian"),
    "BD": ("Bangladesh", "BGD", ["BD"], ["Dhaka", "Khulna", "Gazipur", "Sylhet", "Chittagong", "Rajshahi",
           "Barisal", "Cox's Bazar"], "Bangladeshi"),
    "GT": ("Guatemala", "GTM", ["GT"], ["Guatemala City", "Cobán", "Quetzaltenango", "Huehuetenango",
           "San Juan Sacatepéquez", "Sololá", "Alta Verapaz"], "Guatemalan"),
    "CD": ("Democratic Republic of the Congo", "COD", ["DRC", "CD", "Congo, The Democratic Republic of the"],
           ["Goma", "Bukavu", "Uvira", "Kinshasa", "Lubumbashi", "Beni", "South Kivu"], "Congolese"),
}
COUNTRY_WEIGHTS = {"KE": 30, "UG": 18, "TZ": 10, "MZ": 8, "ZW": 7, "ET": 7, "NG": 8, "BD": 5, "GT": 4, "CD": 3}
OBJECTIVES = {
    "SCC": ["CIV: Less suppression of civic space", "GOV: Accountable governance"],
    "VOICE": ["GEN: Gender justice", "INC: Inclusion of marginalised groups"],
    "WEP": ["CLI: Climate justice", "LAN: Women's land and resource rights"],
}
PROGRAMME_REFS = {
    "SCC": ["The SCC programme", "The SCC program", "The programme"],
    "VOICE": ["The VOICE programme", "The VOICE program", "The programme"],
    "WEP": ["The WEP programme", "The WEP program", "The programme"],
}
TYPES = {  # type of change -> cluster
    "Policy change": "Policy", "Legislative change": "Policy", "Capacity change": "Capacity change",
    "Safety and Security": "Safety and Security", "Behaviour change": "Practice and behaviour",
    "Practice change": "Practice and behaviour", "Relationship change": "Relationships",
    "Agenda setting": "Agenda setting", "Norms change": "Norms",
}
TYPE_NAMES = list(TYPES)
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
SCALES = ["Organisation", "Community", "Sub-national", "National", "Regional", "Individual"]
CATEGORY = {"government": "Duty bearers", "media": "Media", "community": "Rights holders", "ngo": "Civic change agents",
            "network": "Civic change agents", "donor": "Civic change agents"}

# Well-known actors (a subset of examples/actors.yaml), given extra popularity in the Zipf ranking.
REGISTRY = [
    ("Human Rights Agenda", "HURIA", "ngo", "KE"), ("Haki na Sheria Initiative", "HSI", "ngo", "KE"),
    ("DefendDefenders", "", "ngo", "UG"), ("Amnesty International Netherlands", "", "donor", ""),
    ("Kenya Human Rights Commission", "KHRC", "ngo", "KE"), ("Muslims for Human Rights", "MUHURI", "ngo", "KE"),
    ("Haki Africa", "", "ngo", "KE"), ("Defenders Coalition", "", "network", "KE"),
    ("Kenya Union of Journalists", "KUJ", "network", "KE"), ("Article 19 Eastern Africa", "", "ngo", "KE"),
    ("Uganda Women's Network", "UWONET", "network", "UG"), ("Chapter Four Uganda", "", "ngo", "UG"),
    ("Tanzania Human Rights Defenders Coalition", "THRDC", "network", "TZ"),
    ("Legal and Human Rights Centre", "LHRC", "ngo", "TZ"),
    ("Network of Ethiopian Women's Associations", "NEWA", "network", "ET"),
    ("Civil Society Legislative Advocacy Centre", "CISLAC", "ngo", "NG"), ("Naripokkho", "", "ngo", "BD"),
    ("Justiça Ambiental", "JA!", "ngo", "MZ"), ("Zimbabwe Environmental Law Association", "ZELA", "ngo", "ZW"),
    ("Free Press Unlimited", "FPU", "donor", ""), ("Oxfam Novib", "", "donor", ""), ("Hivos", "", "donor", ""),
    ("UN Women", "", "donor", ""), ("Ford Foundation", "", "donor", ""),
    ("Swedish International Development Cooperation Agency", "Sida", "donor", ""),
    ("Global Greengrants Fund", "", "donor", ""),
]

THEMES = ["Women's Rights", "Human Rights", "Land Rights", "Climate Justice", "Youth", "Legal Aid", "Media Freedom",
          "Governance", "Pastoralist", "Disability Rights", "Budget Transparency", "Environmental", "Fisherfolk",
          "Peace and Development", "Paralegal", "Civic Education", "Gender Equality", "Water", "Forest",
          "Smallholder Farmers", "Community Health", "Digital Rights", "Minority Rights", "Labour Rights"]
ORG_TYPES = [("Network", "network"), ("Alliance", "network"), ("Coalition", "network"), ("Forum", "network"),
             ("Platform", "network"), ("Union", "network"), ("Association", "ngo"), ("Initiative", "ngo"),
             ("Trust", "ngo"), ("Centre", "ngo"), ("Organisation", "ngo"), ("Society", "ngo"),
             ("Collective", "community"), ("Group", "community"), ("Committee", "community")]
ABSTRACT = ["Sauti", "Haki", "Tumaini", "Amani", "Uhuru", "Imani", "Nuru", "Msingi", "Upendo", "Pamoja", "Ubuntu",
            "Bidii", "Mwangaza", "Kesho", "Jamii", "Tujenge", "Inuka", "Simama", "Zinduka", "Tunza"]
ABSTRACT_TYPES = [("Initiative", "ngo"), ("Trust", "ngo"), ("Foundation", "ngo"), ("Centre", "ngo"),
                  ("Sisters", "community"), ("Youth Movement", "community")]
MEDIA = ["Radio {a}", "{a} FM", "{p} Community Radio", "The {p} Observer", "{a} TV", "{p} Times"]
GOV = ["{p} County Assembly", "{p} District Council", "{p} Municipal Council", "{p} Provincial Assembly",
       "Ministry of {m}", "Directorate of {m}", "National Commission on {m}", "Parliamentary Committee on {m}",
       "{p} Regional Health Bureau", "{p} Police Division"]
GOV_TOPICS = ["Gender", "Environment", "Lands", "Water and Sanitation", "Youth Affairs", "Justice",
              "Information and Communication", "Agriculture", "Social Protection", "Human Rights",
              "Local Government", "Labour"]
DONORS = ["{a} Fund", "{a} Foundation for Democracy", "Global {t} Fund", "International {t} Trust"]
SMALL_WORDS = {"of", "and", "the", "for", "in", "on", "na", "ya", "de", "des", "la", "le", "y"}


def _acronym(name: str) -> str:
    words = [w for w in name.replace("'s", "").replace("-", " ").split() if w.lower() not in SMALL_WORDS]
    return "".join(w[0].upper() for w in words if w[0].isalpha())


def build_pool(seed: int, size: int = 2000) -> list[tuple[str, str, str, str]]:
    """(name, acronym, kind, country ISO2) for ``size`` generated organisations plus the registry ones,
    ordered by popularity rank (registry actors first, interleaved with the top generated names)."""
    rng = random.Random(f"harvestgraph-pool-{seed}")
    isos = list(COUNTRIES)
    seen = {r[0] for r in REGISTRY}
    pool = []
    while len(pool) < size:
        iso = rng.choice(isos)
        cname, _, _, places, adj = COUNTRIES[iso]
        place = rng.choice(places)
        r = rng.random()
        if r < 0.45:
            typ, kind = rng.choice(ORG_TYPES)
            name = f"{rng.choice([place, adj, place])} {rng.choice(THEMES)} {typ}"
        elif r < 0.6:
            typ, kind = rng.choice(ABSTRACT_TYPES)
            name = f"{rng.choice(ABSTRACT)} {rng.choice(ABSTRACT + [''])} {typ}".replace("  ", " ")
        elif r < 0.72:
            kind = "media"
            name = rng.choice(MEDIA).format(a=rng.choice(ABSTRACT), p=place)
        elif r < 0.93:
            kind = "government"
            name = rng.choice(GOV).format(p=place, m=rng.choice(GOV_TOPICS))
        else:
            kind = "donor"
            iso = ""
            name = rng.choice(DONORS).format(a=rng.choice(ABSTRACT), t=rng.choice(THEMES))
        if name in seen:
            continue
        seen.add(name)
        acr = _acronym(name) if kind in ("ngo", "network", "donor") and rng.random() < 0.75 else ""
        if kind == "government" and name.startswith(("Ministry", "National Commission")) and rng.random() < 0.5:
            acr = _acronym(name)
        pool.append((name, acr if len(acr) >= 2 else "", kind, iso))
    ranked = []
    reg = list(REGISTRY)
    for i, item in enumerate(pool):
        if reg and i % 3 == 0:
            ranked.append(reg.pop(0))
        ranked.append(item)
    return ranked + reg


ROLE_TYPES = ["Behaviour change", "Norms change", "Capacity change", "Agenda setting", "Practice change"]
ROLES = ["county officials", "women journalists", "traditional leaders", "youth activists", "women councillors",
         "religious leaders", "police officers", "community paralegals", "women farmers", "members of parliament"]


class _Zipf:
    """Zipf-Mandelbrot popularity: weight of rank r is 1 / (r + q) ** s."""

    def __init__(self, items, s=1.05, q=3.0):
        self.items = items
        self.cum = list(itertools.accumulate(1.0 / (r + q) ** s for r in range(len(items))))
        self.total = self.cum[-1]

    def pick(self, rng):
        return self.items[bisect.bisect_left(self.cum, rng.random() * self.total)]

    def pick_local(self, rng, iso):
        """Zipf pick, preferring actors based in ``iso`` (or international ones)."""
        for _ in range(6):
            item = self.pick(rng)
            if item[3] in (iso, ""):
                return item
        return item


# ----------------------------------------------------------------------------- prose
DESC = {
    "Policy change": ["adopted a {thing} policy that {effect}", "approved new guidelines on {topic} that {effect}"],
    "Legislative change": ["passed a by-law on {topic} that {effect}", "amended its regulations on {topic} so that it {effect2}"],
    "Capacity change": ["developed and adopted {thing} procedures for its staff and members",
                        "trained its own members to {skill} and started doing so without outside support"],
    "Safety and Security": ["set up a rapid response mechanism for {group} at risk",
                            "adopted a security protocol covering {group} and their families"],
    "Behaviour change": ["stopped {bad} and publicly acknowledged the concerns of {group}",
                         "began consulting {group} before taking decisions on {topic}"],
    "Practice change": ["began publishing {docs} on its website and notice boards",
                        "started holding quarterly hearings on {topic} open to {group}"],
    "Relationship change": ["signed a memorandum of understanding with the {other} to work together on {topic}",
                            "formed a joint working group with the {other} on {topic}"],
    "Agenda setting": ["publicly called for {demand}", "placed {topic} on the agenda of its annual meeting for the first time"],
    "Norms change": ["publicly committed to {norm}", "declared that {norm2} would no longer be tolerated"],
}
FILL = {
    "thing": ["digital security", "safeguarding", "gender", "anti-harassment", "whistle-blower protection", "data protection"],
    "effect": ["protects {group} from reprisals", "guarantees the participation of {group}",
               "sets binding timelines for consultations with {group}", "allocates resources to {group}"],
    "effect2": ["now requires the consent of {group}", "now publishes its decisions within 14 days"],
    "topic": ["public participation", "land allocation", "gender-based violence", "water management", "climate adaptation",
              "the county budget", "access to information", "freedom of assembly", "mining licences", "protection of HRDs"],
    "skill": ["document human rights violations", "analyse public budgets", "assess digital threats", "monitor water quality"],
    "group": ["women human rights defenders", "community paralegals", "journalists", "youth groups", "pastoralist women",
              "persons with disabilities", "widows", "smallholder farmers", "informal traders", "survivors of violence"],
    "bad": ["requiring permits for community meetings", "evicting widows from family land", "blocking access to budget documents",
            "dispersing peaceful meetings"],
    "docs": ["budget estimates", "procurement contracts", "environmental licences", "minutes of council meetings"],
    "demand": ["the repeal of restrictive provisions in the Public Order Act", "an independent inquiry into attacks on HRDs",
               "a moratorium on new mining licences", "the release of detained activists"],
    "norm": ["register land in the names of both spouses", "end early marriage in their communities",
             "allow women to speak at community assemblies"],
    "norm2": ["violence against women activists", "the exclusion of women from water committees"],
}
SIG = [
    "Until now, {group} in {place} had no say in decisions on {topic}.",
    "This is the first time such a step has been taken in {place}.",
    "The change reduces the risk faced by {group}, who have been targeted repeatedly since {y0}.",
    "It reverses a long-standing practice that excluded {group} from {topic}.",
    "Other actors in the region are now looking at this as a model.",
    "Because it is written down, the commitment can be used by {group} to hold the authorities to account.",
    "At least {n} people are directly affected by the change.",
]
PROG_CONTRIB = [
    "{P} supported {c} to {act}.",
    "{P} funded {act2} and facilitated {n2} dialogue meetings with {group}.",
    "{P} trained {n} members of {c} to {skill}.",
    "{P} supported the purchase of equipment and the costs of {act2}.",
]
OTHER = [
    "{c} {did}.",
    "{c} {did}, with support from {c2}.",
    "{c} {did}, funded by {c2}.",
    "{c} hired a consultant who {consult}.",
    "Through the connection of the programme, {c} was supported by {c2}, based in {abroad}.",
]
DID = ["mobilised community members to attend the hearings", "provided legal advice", "documented the cases",
       "lobbied the decision makers", "covered the process in the media", "provided venues for the meetings",
       "shared its experience from a similar process", "accompanied the community representatives"]
ACT = ["organise community forums", "draft a policy proposal", "document violations", "prepare a memorandum",
       "engage the decision makers"]
ACT2 = ["a training for {group}", "the printing of the policy in local languages", "a public hearing in {place}",
        "an exchange visit to {place}"]
CONSULT = ["facilitated the training workshop", "drafted the policy", "reviewed the legal framework"]
EVIDENCE = ["Minutes of the meeting of {d} {m} {y}.", " (see folder with necessary attachments)",
            "Copy of the signed document; attendance lists.", "Press release of {d} {m} {y}; photos.",
            "Interview with a member of {c}, {m} {y}."]


class _Ctx(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def _fmt(rng, template, **kw):
    ctx = _Ctx(kw)
    for key, values in FILL.items():
        if key not in kw and "{" + key + "}" in template:
            ctx[key] = rng.choice(values)
    out = template.format_map(ctx)
    if "{" in out:
        out = _fmt(rng, out, **kw)
    return out


def _ref(rng, actor, first=False):
    name, acr = actor[0], actor[1]
    if not acr:
        return name
    if first:
        return f"{name} ({acr})"
    return acr if rng.random() < 0.6 else name


# ----------------------------------------------------------------------------- generator
def generate(count: int, seed: int = 0) -> Iterator[dict[str, str]]:
    """``count`` synthetic fragments as dicts (field display name as written -> value), reproducibly."""
    rng = random.Random(seed)
    pool = build_pool(seed)
    zipf = _Zipf(pool)
    isos = list(COUNTRY_WEIGHTS)
    cweights = list(itertools.accumulate(COUNTRY_WEIGHTS.values()))
    counters: dict[str, int] = {}
    recent: list[str] = []
    for _ in range(count):
        iso = rng.choices(isos, cum_weights=cweights)[0]
        cname, iso3, cvariants, places, _adj = COUNTRIES[iso]
        prog = rng.choice(PROGRAMMES)
        year = rng.choice([2022, 2023, 2024, 2024, 2025, 2025, 2025, 2026])
        month = rng.randint(1, 12)
        objective = rng.choice(OBJECTIVES[prog])
        obj = objective.split(":")[0]
        key = f"{prog}-{iso3}{year % 100:02d}{month:02d}/{obj}"
        counters[key] = counters.get(key, 0) + 1
        fid = f"{key}{counters[key]:03d}"

        place, place2 = rng.sample(places, 2)
        group = rng.choice(FILL["group"])
        topic = rng.choice(FILL["topic"])

        if rng.random() < 0.08:
            changed = (rng.choice(ROLES), "", "individual", iso)
            types = rng.sample(ROLE_TYPES, rng.choice([1, 1, 2]))
        else:
            changed = zipf.pick_local(rng, iso)
            types = rng.sample(TYPE_NAMES, rng.choice([1, 1, 2, 2, 3]))
        others = []
        for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
            o = zipf.pick_local(rng, iso) if rng.random() < 0.8 else zipf.pick(rng)
            if o[0] != changed[0] and o not in others:
                others.append(o)
        other_actor = zipf.pick_local(rng, iso)

        # Outcome description (200-600 chars)
        subject = changed[0] if changed[2] == "individual" else "the " + _ref(rng, changed, first=True)
        subject = subject.replace("the The ", "the ")
        verb = _fmt(rng, rng.choice(DESC[types[0]]), group=group, topic=topic, other=other_actor[0])
        where = "" if changed[2] in ("government", "donor") else f" in {place}"
        sentences = [f"In {MONTHS[month - 1]} {year}, {subject}{where} {verb}."]
        extra = [
            f"The decision was announced at a public meeting in {place2} attended by more than {rng.randint(3, 40) * 10} people.",
            f"The change applies to all {rng.randint(3, 30)} wards and was confirmed in writing in {MONTHS[(month) % 12]} {year}.",
            f"It follows two years of advocacy by {group} and their allies in {place}.",
            f"Representatives of {group} took part in drafting the text for the first time.",
        ]
        rng.shuffle(extra)
        desc = sentences[0]
        for s in extra:
            if len(desc) >= 200 and rng.random() < 0.5:
                break
            if len(desc) + len(s) + 1 > 560:
                break
            desc += " " + s
        if recent and rng.random() < 0.03:
            desc += f" This builds on outcome {rng.choice(recent)}."
        if rng.random() < 0.05:
            desc = desc.replace(". ", ".  ", 1)  # double space inside prose, as in real exports

        sig = " ".join(_fmt(rng, s, group=group, place=rng.choice(places), topic=topic, y0=year - rng.randint(1, 6),
                            n=rng.randint(2, 300) * 10) for s in rng.sample(SIG, rng.randint(2, 4)))

        negative = rng.random() < 0.06
        unintended = rng.random() < 0.10
        pref = rng.choice(PROGRAMME_REFS[prog])
        first_other = others[0] if others else other_actor
        if negative and rng.random() < 0.6:
            contrib = rng.choice(["N/A", "Not applicable.", ""])
            rcon = ""
        else:
            contrib = " ".join(_fmt(rng, t, P=pref if i == 0 else "The programme also",
                                    c=_ref(rng, first_other, first=True), group=group, place=place2,
                                    n=rng.randint(5, 60), n2=rng.choice(["two", "three", "four"]),
                                    act=rng.choice(ACT), act2=rng.choice(ACT2))
                               for i, t in enumerate(rng.sample(PROG_CONTRIB, rng.choice([1, 2]))))
            rcon = rng.choice(["small", "moderate", "moderate", "partial", "large", ""]) if rng.random() < 0.95 else ""
        parts = []
        for o in others:
            c2 = zipf.pick(rng)
            t = rng.choice(OTHER)
            parts.append(_fmt(rng, t, c=_ref(rng, o), c2=_ref(rng, c2, first=True), did=rng.choice(DID),
                              consult=rng.choice(CONSULT),
                              abroad=rng.choice(COUNTRIES[rng.choice(isos)][3])))
        other = " ".join(p[0].upper() + p[1:] for p in parts)
        add = ""
        r = rng.random()
        if r < 0.35:
            add = f"The process was coordinated from {rng.choice(places)}; {_ref(rng, first_other)} shared its lessons with partners."
        elif r < 0.40:
            add = f"Timeline:\n{MONTHS[(month - 3) % 12]}: first meeting\n{MONTHS[(month - 1) % 12]}: final decision"

        conf = ""
        if rng.random() < 0.08:
            conf = rng.choice(["YES", "YES", "Yes", "Y", "x", "TRUE"])
        else:
            conf = rng.choice(["NO", "NO", "No", "", ""])
        country = cname if rng.random() < 0.9 else rng.choice(cvariants)
        year_s = str(year)
        r = rng.random()
        if r < 0.02:
            year_s += " "
        elif r < 0.03:
            year_s = f"FY{year}"
        elif r < 0.04:
            year_s = f"{year}/{(year + 1) % 100:02d}"
        rsig = rng.choice(["small", "medium", "medium", "large", "large"])
        r = rng.random()
        if r < 0.03:
            rsig = rsig.capitalize()
        elif r < 0.05:
            rsig = rsig.upper() + " "
        elif r < 0.08:
            rsig = ""
        seps = [", ", ", ", "  "]
        toc = types[0] + "".join(rng.choice(seps) + t for t in types[1:])
        cluster = ", ".join(dict.fromkeys(TYPES[t] for t in types))
        evid = "" if rng.random() < 0.1 else _fmt(rng, rng.choice(EVIDENCE), d=rng.randint(1, 28), m=MONTHS[month - 1],
                                                  y=year, c=_ref(rng, changed))

        frag = {
            "FragmentID": fid,
            "Outcome status": "Outcome",
            "OH-harvesting period": f"harvest {(month - 1) // 3 + 1}",
            "Country": country,
            "Year": year_s,
            "Outcome description": desc,
            "Significance of the outcome": sig,
            "Additional information (use if needed) ": add,
            "Rating significance": rsig,
            "Social actor": CATEGORY.get(changed[2], "Rights holders"),
            "Scale": rng.choice(SCALES),
            "Contribution of the programme": contrib,
            "Contribution of other actors and factors": other,
            "Rating contribution": rcon,
            "The change was unintended": "YES" if unintended else rng.choice(["NO", "NO", "No", ""]),
            "Evidence supporting the outcome statement": evid,
            "Outcome statements is CONFIDENTIAL": conf,
            "Link to Outcomes in Results Framework ": f"Outcome {rng.randint(1, 3)}.{rng.randint(1, 4)}",
            f"Link to {prog} Specific Objectives": objective if rng.random() < 0.95 else "",
            "StoryFragment_Merged": None,
            "Outcome is negative": "YES" if negative else rng.choice(["NO", "NO", "No", ""]),
            "MCQType of change": toc,
            "TypeOfChangeCluster": cluster,
        }
        if rng.random() < 0.9:
            flat = {k: (v or "").replace("\n", " ") for k, v in frag.items() if v is not None}
            frag["StoryFragment_Merged"] = (
                f"Outcome description:  {flat['Outcome description']} Significance:  {flat['Significance of the outcome']} "
                f"Contribution:  {flat['Contribution of the programme']} "
                f"Additional Info:  {flat['Additional information (use if needed) ']} "
                f"Contribution of Other factors:  {flat['Contribution of other actors and factors']}")
        else:
            del frag["StoryFragment_Merged"]
        for std, variant, p in VARIANTS:
            if rng.random() < p:
                frag = {(variant if k == std else k): v for k, v in frag.items()}
        if rng.random() < 0.01:
            frag["Harvester"] = rng.choice(["Jane W.", "M. Otieno", "A. Nakato", "harvest team"])
        recent.append(fid)
        if len(recent) > 50:
            recent.pop(0)
        yield frag


# ----------------------------------------------------------------------------- writers
def to_text(frag: dict[str, str]) -> str:
    return "".join(f"**{k}**: {v}\n" for k, v in frag.items())


def csv_header() -> list[str]:
    out = []
    for f in FIELDS:
        if "{PROG}" in f:
            out += [f.replace("{PROG}", p) for p in PROGRAMMES]
        else:
            out.append(f)
    return out + ["Harvester"]


def write_text(frags, out: Path, per_file: int) -> int:
    n = 0
    fh = None
    for i, frag in enumerate(frags):
        if i % per_file == 0:
            if fh:
                fh.close()
            fh = open(out / f"fragments_{i // per_file:05d}.txt", "w", encoding="utf-8", newline="\n")
        else:
            fh.write("---\n")
        fh.write(to_text(frag))
        n += 1
    if fh:
        fh.close()
    return n


def write_csv(frags, out: Path, rows_per_file: int) -> int:
    header = csv_header()
    n = 0
    fh = writer = None
    for i, frag in enumerate(frags):
        if i % rows_per_file == 0:
            if fh:
                fh.close()
            fh = open(out / f"fragments_{i // rows_per_file:05d}.csv", "w", encoding="utf-8", newline="")
            writer = csv.writer(fh)
            writer.writerow(header)
        row = {CANONICAL.get(k, k): v for k, v in frag.items()}
        writer.writerow([row.get(h, "") or "" for h in header])
        n += 1
    if fh:
        fh.close()
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--format", choices=["text", "csv"], default="text")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--per-file", type=int, default=500, help="fragments per text file")
    ap.add_argument("--rows-per-csv", type=int, default=10000, help="rows per CSV file")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    frags = generate(args.count, args.seed)
    if args.format == "text":
        n = write_text(frags, args.out, args.per_file)
    else:
        n = write_csv(frags, args.out, args.rows_per_csv)
    print(f"wrote {n} fragments to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
