"""Actors and places of the seed record in a real on-disk store, the registry (YAML/CSV, errors, hidden
registry graph), resolution (aliases, short forms, fuzzy, never a silent merge), the two named queries,
and the review → apply → re-ingest round trip.

Expected values come from the input files (the seed text, examples/actors.yaml, pycountry), not from
the code under test."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pycountry
import pytest
import yaml

from harvestgraph import queries
from harvestgraph.actors import ActorResolver, Registry, apply_sheet, read_sheet, review_rows, write_sheet
from harvestgraph.actors.doc import METHODS
from harvestgraph.errors import HarvestError
from harvestgraph.ingest import ingest, read_batch
from harvestgraph.mapping import actor_node, read_mentions, read_record
from harvestgraph.normalise import normalise
from harvestgraph.store import EmbeddedStore
from harvestgraph.vocab import REGISTRY_GRAPH, SPARQL_PREFIXES, outcome_iri, place_iri

from tests.conftest import EXAMPLES, REGISTRY, SEED

HG = [str(Path(sys.executable).parent / "harvestgraph")]


# --------------------------------------------------------------------------- the seed, read independently


def seed_field(label: str) -> str:
    """A field of the seed as written (`**Label**: value`), trimmed."""
    for line in SEED.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\*\*(.+?)\s*\*\*\s*:\s*(.*)$", line)
        if m and m.group(1).strip().lower().startswith(label.lower()):
            return m.group(2).strip()
    raise KeyError(label)


SEED_ID = seed_field("FragmentID")


def sentence_with(text: str, word: str) -> str:
    return next(s.strip() for s in re.split(r"(?<=\.)\s+", text) if word in s)


def subdivision(name: str, country: str) -> str:
    return next(s.code for s in pycountry.subdivisions.get(country_code=country) if s.name == name)


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(REGISTRY)


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    st = EmbeddedStore(tmp_path_factory.mktemp("seed") / "store")
    ingest([SEED], st, ActorResolver.from_registry(REGISTRY))
    yield st
    st.close()


def public_values(st, sparql: str, var: str) -> set[str]:
    return {r[var].value for r in st.select(SPARQL_PREFIXES + sparql, graphs=st.visible_graphs(confidential=False))}


def node(registry: Registry, name: str) -> str:
    actor = registry.find(name)
    assert actor is not None, name
    return actor_node(actor).value


# --------------------------------------------------------------------------- the seed in a real store


def test_seed_changed_actors(seed_store, registry):
    got = public_values(seed_store, f"SELECT ?a WHERE {{ <{outcome_iri(SEED_ID)}> hg:changedActor ?a }}", "a")
    assert got == {node(registry, "HURIA"), node(registry, "HSI")}
    labels = public_values(seed_store, f"SELECT ?l WHERE {{ <{outcome_iri(SEED_ID)}> hg:changedActor/skos:prefLabel ?l }}", "l")
    assert labels == {registry.find("HURIA").name, registry.find("HSI").name}


def test_seed_contributors_and_their_texts(seed_store, registry):
    oc = outcome_iri(SEED_ID)
    programme = registry.programme(SEED_ID.split("-")[0])
    expected = {actor_node(programme).value, node(registry, "Amnesty International Netherlands"),
                node(registry, "DefendDefenders")}
    assert public_values(seed_store, f"SELECT ?a WHERE {{ <{oc}> hg:hasContributor ?a }}", "a") == expected
    rows = seed_store.select(SPARQL_PREFIXES + f"""
        SELECT ?agent ?text ?isProgramme WHERE {{
          ?c a hg:Contribution ; hg:contributionTo <{oc}> ; prov:agent ?agent ; hg:isProgrammeContribution ?isProgramme .
          OPTIONAL {{ ?c hg:contributionText ?text }} }}""", graphs=seed_store.visible_graphs(confidential=False))
    texts = {r["agent"].value: r["text"].value for r in rows}
    assert set(texts) == expected and len(rows) == 3
    others = seed_field("Contribution of other actors")
    assert texts[actor_node(programme).value] == seed_field("Contribution of the programme")
    assert texts[node(registry, "Amnesty International Netherlands")] == sentence_with(others, "Amnesty")
    assert texts[node(registry, "DefendDefenders")] == sentence_with(others, "DefendDefenders")


def test_seed_places(seed_store):
    oc = outcome_iri(SEED_ID)
    got = public_values(seed_store, f"SELECT ?p WHERE {{ <{oc}> dcterms:spatial ?p }}", "p")
    for name, country in (("Kwale", "KE"), ("Mombasa", "KE"), ("Kampala", "UG")):
        assert str(place_iri(subdivision(name, country))) in got, name
    kampala = place_iri(subdivision("Kampala", "UG"))
    assert public_values(seed_store, f"SELECT ?c WHERE {{ <{kampala}> schema:containedInPlace ?c }}", "c") \
        == {str(place_iri("UG"))}
    assert public_values(seed_store, f"SELECT ?l WHERE {{ <{kampala}> skos:prefLabel ?l }}", "l") == {"Kampala"}


def test_mentions_point_at_the_field_text(seed_store):
    """Each mention of the outcome's mention record (what an actor page reads) locates its text in the
    field, and names a target the outcome links to with a plain triple."""
    rows = seed_store.select(SPARQL_PREFIXES + """
        SELECT ?o ?mentions ?record WHERE { GRAPH ?g { ?o hg:mentionRecord ?mentions }
          ?f hg:describesOutcome ?o . GRAPH ?h { ?f hg:rawRecord ?record } }""")
    mentions = [(r, m) for r in rows for m in read_mentions(r["mentions"].value)]
    assert len(mentions) >= 15
    methods = set()
    for r, m in mentions:
        values = {f["canonicalField"]: f["rawValue"].strip() for f in read_record(r["record"].value)}
        span = values[m["inField"]][m["start"]:m["end"]]
        assert span.strip() and span == span.strip()
        if m["text"] is not None:
            assert span == m["text"]
        status = graph_values(seed_store, f'SELECT ?s WHERE {{ <{m["refersTo"]}> hg:status ?s }}', "s")
        assert (m["text"] is not None) == (status == {"extracted"})  # what the review sheet needs
        link = {"changed": "hg:changedActor", "contributor": "hg:hasContributor|hg:programme",
                "mentioned": "hg:mentions", "place": "dcterms:spatial"}[m["role"]]
        assert seed_store.query(SPARQL_PREFIXES + f'ASK {{ <{r["o"].value}> {link} <{m["refersTo"]}> }}'), m
        methods.add(m["method"])
        assert m["method"] in METHODS or m["method"] == "registry"
        assert 0 < m["confidence"] <= 1
    assert "registry" in methods and len(methods) >= 2  # the registry and at least one extraction component


def test_named_queries_on_the_seed(seed_store, registry):
    def run(name, **params):
        text = queries.bind(queries.get(name), params)
        return [{k: v.value for k, v in row.items()}
                for row in seed_store.select(text, graphs=seed_store.visible_graphs(confidential=False))]

    rows = run("contributors_of_outcome", outcome=SEED_ID)
    programme = registry.programme(SEED_ID.split("-")[0])
    assert {r["name"] for r in rows} == {programme.name, "Amnesty International Netherlands", "DefendDefenders"}
    prog = [r for r in rows if r["isProgramme"] == "true"]
    assert len(prog) == 1 and prog[0]["rating"] == seed_field("Rating contribution")
    assert prog[0]["kind"] == "programme"
    amnesty = next(r for r in rows if r["name"].startswith("Amnesty"))
    assert amnesty["contributionText"] == sentence_with(seed_field("Contribution of other actors"), "Amnesty")
    assert amnesty["kind"] == registry.find("Amnesty").kind

    rows = run("outcomes_of_actor", actor="DefendDefenders")
    assert [(r["role"], r["fragmentId"], r["year"], r["country"]) for r in rows] == \
        [("contributor", SEED_ID, seed_field("Year"), seed_field("coutnry"))]
    assert rows[0]["description"] == seed_field("Outcome description")
    rows = run("outcomes_of_actor", actor=registry.find("HURIA").name)
    assert [r["role"] for r in rows] == ["changed"]
    assert run("outcomes_of_actor", actor="Nobody Of That Name") == []


# --------------------------------------------------------------------------- the registry


def test_registry_graph_is_written_and_hidden(seed_store, registry):
    rows = seed_store.select(f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ GRAPH <{REGISTRY_GRAPH}> "
                             "{ ?a <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } }")
    assert int(rows[0]["n"].value) == len({actor_node(a).value for a in registry.actors})
    assert str(REGISTRY_GRAPH) not in seed_store.visible_graphs(confidential=False)
    unmentioned = next(a for a in registry.actors if a.name not in SEED.read_text(encoding="utf-8")
                       and a.kind != "programme")
    q = f"SELECT ?a WHERE {{ ?a skos:prefLabel \"{unmentioned.name}\"@en }}"
    assert public_values(seed_store, q, "a") == set()
    assert {r["a"].value for r in seed_store.select(SPARQL_PREFIXES + q)} == {actor_node(unmentioned).value}


def test_registry_yaml_and_csv_agree(tmp_path, registry):
    path = tmp_path / "actors.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "acronym", "aliases", "kind", "country", "wikidata", "iati"])
        for a in registry.actors:
            w.writerow([a.name, a.acronym or "", ";".join(a.aliases), a.kind, a.country or "", a.wikidata or "",
                        a.iati or ""])
    assert Registry.load(path).actors == registry.actors


@pytest.mark.parametrize("body, field, line", [
    ("- name: A\n  kind: ngo\n- name: B\n  kind: charity\n", "kind", 3),
    ("- name: A\n  aliases: [X]\n- name: B\n  aliases: [X]\n", "aliases", 3),
    ("- name: A\n  country: Kenya\n", "country", 1),
    ("- name: A\n  colour: red\n", "colour", 1),
    ("- kind: ngo\n", "name", 1),
    ("- name: SCC\n  kind: programme\n", "acronym", 1),
])
def test_registry_errors_name_line_and_field(tmp_path, body, field, line):
    path = tmp_path / "actors.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(HarvestError) as exc:
        Registry.load(path)
    assert exc.value.problem.field == field and exc.value.problem.line == line and str(path) in str(exc.value)


def test_registry_yaml_syntax_error(tmp_path):
    path = tmp_path / "actors.yaml"
    path.write_text("- name: A\n  aliases: [unclosed\n", encoding="utf-8")
    with pytest.raises(HarvestError, match="not valid YAML"):
        Registry.load(path)


# --------------------------------------------------------------------------- resolution


def write_fragment(folder: Path, fid: str, **fields: str) -> Path:
    labels = {"country": "Country", "description": "Outcome description", "additional": "Additional information",
              "programme": "Contribution of the programme", "others": "Contribution of other actors and factors"}
    path = folder / f"{fid.replace('/', '_')}.md"
    path.write_text(f"**FragmentID**: {fid}\n" + "".join(f"**{labels[k]}**: {v}\n" for k, v in fields.items()),
                    encoding="utf-8")
    return path


def resolve_file(path: Path, registry: Path | None):
    raws, _ = read_batch([path])
    frag = normalise(raws[0])
    return frag, ActorResolver.from_registry(registry).resolve(frag)


def test_short_form_of_a_name_written_earlier(tmp_path, registry):
    """Without the "Amnesty" alias in the registry, "Amnesty" still means the name written before it."""
    data = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    for entry in data:
        entry["aliases"] = [a for a in entry.get("aliases") or [] if a != "Amnesty"]
    reg = tmp_path / "actors.yaml"
    reg.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _, res = resolve_file(SEED, reg)
    amnesty = [l for l in res.actors if l.text == "Amnesty"]
    assert amnesty and all(l.actor.name == "Amnesty International Netherlands" and l.role == "contributor"
                           and l.method in ("short_form", "subject", "entity") for l in amnesty)


def test_new_names_are_extracted_not_merged(tmp_path):
    path = write_fragment(
        tmp_path, "SCC-KEN2601/CIV001", country="Kenya",
        description="In January 2026, the Kwale Youth Forum adopted a safety protocol. It builds on outcome SCC-KEN2508/CIV008.",
        programme="The SCC programme trained the forum's leaders.",
        others="The Kenya Human Right Commission (KHRC) provided legal advice. The Lamu Women Network hosted a "
               "meeting.")
    frag, res = resolve_file(path, REGISTRY)
    by_text = {l.text: l for l in res.actors}
    forum = by_text["Kwale Youth Forum"]
    assert forum.role == "changed" and forum.actor.status == "extracted" and forum.method == "rule"
    assert 0 < forum.actor.confidence < 1
    lamu = by_text["Lamu Women Network"]  # close to nothing in the registry: a new actor
    assert lamu.role == "contributor" and lamu.actor.status == "extracted"
    khrc = by_text["Kenya Human Right Commission"]  # a typo of a registry name: fuzzy match
    assert khrc.method == "fuzzy" and khrc.actor.name == "Kenya Human Rights Commission" and khrc.confidence < 1
    assert khrc.role == "contributor" and by_text["KHRC"].actor == khrc.actor
    assert res.builds_on == ["SCC-KEN2508/CIV008"]
    assert res.programme.name == Registry.load(REGISTRY).programme("SCC").name
    assert res.places == []  # "Kwale", "Kenya", "Lamu" only occur inside organisation names


@pytest.mark.parametrize("description, changed", [
    # an article of another language is not a part of a group's or a body's name
    ("Las Juntas Administradoras de Agua of 12 villages started in 2025 to chlorinate the water.",
     ["Juntas Administradoras de Agua"]),
    # a subject in another language glossed as a group is that group, as written
    ("Since 2024 the kelompok nelayan (fishers' groups) of five villages have closed a fishing ground.",
     ["kelompok nelayan"]),
    ("Wananchi wa vijiji (villagers) in Kilosa district reported 23 cases of bribery in 2024; the paralegals "
     "also accompanied the complainants.", ["wananchi wa vijiji"]),
    # an organisation acting through a lower-case office; a body named in apposition
    ("Following complaints, the Ombudsman Republik Indonesia representative office in Makassar summoned the "
     "energy office.", ["Ombudsman Republik Indonesia"]),
    ("Following a strike, the strawberry growers' association of Huelva, Freshuelva, agreed in 2024 to provide "
     "water.", ["Freshuelva"]),
    # a plural group "of" a list of places: the group; "at the request of X": X contributed, did not change
    ("Os Conselhos Comunitários de Pesca de Angoche e Moma obtained in 2025 the right to issue licences.",
     ["Conselhos Comunitários de Pesca"]),
    ("In 2025 the Directorate of Education, at the request of Jam'iyyat Sawt al-Mu'aqin, admitted 90 children.",
     ["Directorate of Education"]),
    # a lower-case unit "of the" a name is the unit; "X, together with Y," two subjects
    ("The Commission on Audit regional office in Cotabato City, together with the committee on public accounts "
     "of the Bangsamoro Transition Authority, launched an audit in 2025.",
     ["Commission on Audit", "committee on public accounts of the Bangsamoro Transition Authority"]),
])
def test_changed_actors_written_in_other_ways(tmp_path, description, changed):
    country = {"Angoche": "Mozambique", "Kilosa": "Tanzania", "Huelva": "Spain", "Makassar": "Indonesia",
               "kelompok": "Indonesia", "Juntas": "Peru", "Jam'iyyat": "Jordan", "Cotabato": "Philippines"}
    path = write_fragment(tmp_path, "XYZ-ABC2501/GEN001",
                          country=next(v for k, v in country.items() if k in description), description=description)
    _, res = resolve_file(path, None)
    assert sorted(l.actor.name for l in res.actors if l.role == "changed") == sorted(changed)
    if "request" in description:
        assert [l.actor.name for l in res.actors if l.role == "contributor"] == ["Jam'iyyat Sawt al-Mu'aqin"]


def test_programme_of_a_row_in_a_mixed_export():
    """A mixed export has one "Link to <PROG> Specific Objectives" column per programme: the row's programme is
    the column it fills, not the first one."""
    folder = Path(__file__).parent.parent / "data" / "extraction" / "dev3"
    raws, _ = read_batch([folder / "040_export_itp_mixed.csv"])
    resolver = ActorResolver.from_registry(folder / "registry.yaml")
    got = {r.value("fragment_id"): resolver.programme(normalise(r)).name for r in raws}
    assert got["DEV3-ITP05"] == "Indigenous Territories Programme"
    assert got["DEV3-BHFP06"] == "Blue Harvest Fisheries Programme"


def test_a_place_inside_a_name_is_not_a_place_of_the_outcome(tmp_path):
    path = write_fragment(tmp_path, "XYZ-GTM2501/GEN002", country="Guatemala",
                          description="In 2025 the Municipalidad de Cuilco opened a shelter in Huehuetenango.")
    _, res = resolve_file(path, None)
    assert [p.name for p in res.places] == ["Huehuetenango"]


def test_not_applicable_programme_contribution(tmp_path):
    path = write_fragment(tmp_path, "SCC-KEN2601/GOV009", country="Kenya",
                          description="In 2025, the Kwale County Government closed the budget hearings.",
                          programme="N/A (negative outcome, recorded for monitoring purposes)",
                          others="The closure was requested by the Ministry of Interior.")
    st = EmbeddedStore(tmp_path / "store")
    ingest([path], st, ActorResolver.from_registry(REGISTRY))
    got = {r["a"].value for r in st.select(SPARQL_PREFIXES + f"SELECT ?a WHERE {{ <{outcome_iri('SCC-KEN2601/GOV009')}> "
                                           "hg:hasContributor ?a }")}
    reg = Registry.load(REGISTRY)
    assert got == {actor_node(reg.find("Ministry of Interior")).value}
    st.close()


# --------------------------------------------------------------------------- review → apply → re-ingest


def graph_values(st, sparql: str, var: str) -> set[str]:
    return {r[var].value for r in st.select(SPARQL_PREFIXES + sparql)}


def test_review_apply_reingest_round_trip(fresh_corpus_store, tmp_path):
    st = fresh_corpus_store
    reg_path = tmp_path / "actors.yaml"
    shutil.copy(REGISTRY, reg_path)
    registry = Registry.load(reg_path)
    rows = review_rows(st, None, registry)
    extracted = graph_values(st, 'SELECT ?l WHERE { ?a hg:status "extracted" ; skos:prefLabel ?l }', "l")
    assert {r["name"] for r in rows} == extracted and len(rows) >= 4

    orgs = [r for r in rows if r["kind"] != "individual"]
    keep, merge, ignore, rename = orgs[0], orgs[1], orgs[2], orgs[3]
    target = registry.actors[-1].name
    keep["action"], keep["kind"] = "keep", "network"
    merge["action"] = f"merge:{target}"
    ignore["action"] = "ignore"
    rename["action"] = f"rename:{rename['name']} Renamed"
    for r in rows:
        if r not in (keep, merge, ignore, rename):
            r["action"] = ""
    sheet = tmp_path / "review.xlsx"
    write_sheet(rows, sheet)
    assert [r for _, r in read_sheet(sheet)][0]["name"] == rows[0]["name"]
    before = REGISTRY.read_text(encoding="utf-8")
    rep = apply_sheet(sheet, reg_path)
    assert len(rep.added) == 2 and rep.aliases == [(target, merge["name"])] and rep.ignored == [ignore["name"]]
    text = reg_path.read_text(encoding="utf-8")
    assert text.startswith(before.split("\n# ---")[0])  # comments and layout kept
    new_reg = Registry.load(reg_path)
    assert new_reg.find(keep["name"]).kind == "network"
    assert merge["name"] in new_reg.find(target).aliases
    assert new_reg.is_ignored(ignore["name"])
    assert new_reg.find(rename["name"]).name == rename["name"] + " Renamed"

    report = ingest([EXAMPLES], st, ActorResolver.from_registry(reg_path))
    # rewritten: the fragments naming a decided actor, and those naming the merge target (its description,
    # with the new alias, is part of each fragment graph that mentions it); nothing else
    raws, _ = read_batch([EXAMPLES])
    texts = {f.id: " ".join(f.text_fields().values()).lower() for f in map(normalise, raws)}
    labels = [r["name"] for r in (keep, merge, ignore, rename)] + [target, *registry.find(target).aliases]
    touched = {fid for fid, t in texts.items() if any(n.lower() in t for n in labels)}
    assert {f for r in (keep, merge, ignore, rename) for f in r["fragments"].split("; ")} <= touched
    assert report.replaced == len(touched) and report.unchanged == report.fragments - len(touched)

    def refers(name):
        return graph_values(st, f'SELECT DISTINCT ?t WHERE {{ ?o hg:changedActor|hg:hasContributor|hg:mentions ?a . '
                                f'?a skos:prefLabel "{name}"@en . BIND(1 AS ?t) }}', "t")

    def status(name):
        return graph_values(st, f'SELECT ?s WHERE {{ ?a skos:prefLabel "{name}"@en ; hg:status ?s }}', "s")

    assert status(keep["name"]) == {"registry"}
    assert refers(merge["name"]) == set() and refers(target)
    assert refers(ignore["name"]) == set() and status(ignore["name"]) == set()
    assert refers(rename["name"]) == set() and status(rename["name"] + " Renamed") == {"registry"}
    left = {r["name"] for r in review_rows(st, None, Registry.load(reg_path))}
    assert left == extracted - {keep["name"], merge["name"], ignore["name"], rename["name"]}


def test_apply_rejects_a_bad_row_and_leaves_the_registry(tmp_path):
    reg_path = tmp_path / "actors.yaml"
    shutil.copy(REGISTRY, reg_path)
    sheet = tmp_path / "review.csv"
    sheet.write_text("name,action,kind\nKwale Youth Forum,keep,network\nLamu Women Network,merge:Nobody,ngo\n",
                     encoding="utf-8")
    p = subprocess.run([*HG, "actors", "apply", str(sheet), "--registry", str(reg_path)], capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 1
    assert f"{sheet}:3" in p.stderr and "action" in p.stderr and "Nobody" in p.stderr
    assert reg_path.read_text(encoding="utf-8") == REGISTRY.read_text(encoding="utf-8")


def test_review_cli_writes_a_sheet(corpus_store_path, tmp_path):
    out = tmp_path / "review.csv"
    p = subprocess.run([*HG, "actors", "review", "--store", str(corpus_store_path), "-o", str(out),
                        "--registry", str(REGISTRY)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    rows = [r for _, r in read_sheet(out)]
    assert rows and all(r["action"] == "keep" for r in rows)
    assert all(r["suggested_match"] and 0 <= float(r["suggested_score"]) <= 100 for r in rows)


def test_apply_to_a_csv_registry(tmp_path, registry):
    reg_path = tmp_path / "actors.csv"
    reg_path.write_text("name,acronym,aliases,kind,country\nHaki Africa,,,ngo,KE\nRadio Rahma,,,media,KE\n",
                        encoding="utf-8")
    sheet = tmp_path / "review.csv"
    sheet.write_text("name,action,kind\nKilifi Paralegal Network,keep,network\nHaki Afrika,merge:Haki Africa,\n"
                     "Human Rights Defenders,ignore,\nRadio Rahma FM,rename:Radio Rahma,\nUndecided Forum,,\n",
                     encoding="utf-8")
    rep = apply_sheet(sheet, reg_path)
    assert rep.skipped == 1
    reg = Registry.load(reg_path)
    assert [a.name for a in reg.actors] == ["Haki Africa", "Radio Rahma", "Kilifi Paralegal Network"]
    assert reg.find("Haki Afrika").name == "Haki Africa" and reg.find("Radio Rahma FM").name == "Radio Rahma"
    assert reg.find("Kilifi Paralegal Network").kind == "network"
    assert reg.is_ignored("human rights defenders") and reg_path.with_suffix(".ignore").exists()
    # applying the same sheet again changes nothing
    before = reg_path.read_text(encoding="utf-8")
    rep = apply_sheet(sheet, reg_path)
    assert (rep.added, rep.aliases, rep.ignored) == ([], [], []) and reg_path.read_text(encoding="utf-8") == before


def test_rules_on_records_outside_the_corpus(tmp_path):
    """Records written for this test (not in examples/, not used to write the rules), labelled by hand."""
    path = write_fragment(
        tmp_path, "SCC-UGA2601/CIV020", country="Uganda",
        description="In February 2026, the Uganda Human Rights Commission (UHRC) and the Jinja District Police "
                    "Council agreed to hold quarterly dialogues with HRDs in Busoga sub-region.",
        additional="The first dialogue was funded by the Democratic Governance Facility and facilitated by "
                   "Chapter Four Uganda.",
        programme="The SCC programme supported HRNJ-Uganda to document arrests and present them to UHRC.",
        others="The Uganda Law Society provided legal analysis, with support from the Ford Foundation. "
               "Local chiefs mobilised the villages.")
    _, res = resolve_file(path, REGISTRY)
    roles: dict[str, set[str]] = {}
    for link in res.actors:
        roles.setdefault(link.role, set()).add(link.actor.name)
    reg = Registry.load(REGISTRY)
    assert roles["changed"] == {"Uganda Human Rights Commission", "Jinja District Police Council"}
    assert roles["contributor"] == {reg.programme("SCC").name, "Democratic Governance Facility", "Chapter Four Uganda",
                                    reg.find("HRNJ-Uganda").name, "Uganda Law Society", "Ford Foundation",
                                    "local chiefs"}
    # "Jinja" and "Uganda" only occur inside organisation names
    assert {(p.text, p.country) for p in res.places} == {("Busoga sub-region", "UG")}
