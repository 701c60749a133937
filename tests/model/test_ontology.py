"""The ontology, the concept schemes and the SHACL shapes: they parse, they are documented, the shapes
accept a well-formed fragment graph and reject malformed ones, and OWL reasoning agrees."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from rdflib import BNode, Graph, Literal, URIRef
import rdflib.namespace as rns
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from harvestgraph import vocab
from harvestgraph.checks.reason import OwlReadyInconsistentOntologyError, check_consistency, run_reasoner
from harvestgraph.resources import ontology_path
from harvestgraph.checks.validate import validate
from harvestgraph.vocab import HG, ID

ONTOLOGY_IRI = URIRef("https://w3id.org/harvestgraph/ontology")
TTL_FILES = ["harvestgraph.ttl", "concepts.ttl", "shapes.ttl"]
FID = "SCC-KEN2508/CIV008"

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="owlready2's HermiT needs Java")


def parse(name: str) -> Graph:
    g = Graph()
    g.parse(ontology_path(name), format="turtle")
    return g


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return parse("harvestgraph.ttl")


@pytest.fixture(scope="module")
def concepts() -> Graph:
    return parse("concepts.ttl")


# --------------------------------------------------------------------------------------------
# A small, well-formed fragment graph following docs/model.md (from the seed record).
# --------------------------------------------------------------------------------------------


def fragment_graph() -> Graph:
    g = Graph()
    for p, ns in vocab.PREFIXES.items():
        g.bind(p, ns)
    frag, out = vocab.fragment_iri(FID), vocab.outcome_iri(FID)
    scc = vocab.programme_iri("SCC")
    huria, defend = vocab.actor_iri("HURIA"), vocab.actor_iri("DefendDefenders")
    kenya, kampala = vocab.place_iri("KE"), vocab.place_iri("UG/kampala")
    c = vocab.concept_iri

    g.add((frag, RDF.type, HG.Fragment))
    g.add((frag, DCTERMS.identifier, Literal(FID)))
    g.add((frag, HG.describesOutcome, out))
    g.add((frag, HG.sourceFile, Literal("seeds/000_6d7c10f424d3d837.txt")))
    g.add((frag, HG.sourceLine, Literal(1)))
    g.add((frag, HG.sourceFormat, Literal("text")))
    g.add((frag, HG.hasDerivedMergedStory, Literal(True)))
    g.add((frag, HG.programme, scc))
    g.add((frag, HG.outcomeStatus, c(vocab.SCHEME_OUTCOME_STATUS, "Outcome")))
    harvest = vocab.harvest_iri("SCC", "harvest 3")
    g.add((frag, HG.harvestPeriod, harvest))
    g.add((harvest, RDF.type, HG.HarvestPeriod))
    g.add((harvest, RDFS.label, Literal("harvest 3")))
    g.add((frag, HG.rawRecord, Literal('[["FragmentID","fragment_id","SCC-KEN2508/CIV008",1,"exact"],'
                                       '["coutnry","country","Kenya",5,"alias"]]')))

    g.add((out, RDF.type, HG.Outcome))
    g.add((out, DCTERMS.identifier, Literal(FID)))  # (the mapping gives the outcome its fragment's ID too)
    g.add((out, PROV.wasDerivedFrom, frag))
    g.add((out, DCTERMS.description, Literal("In May 2025 HURIA and HSI developed and adopted a digital security policy.")))
    g.add((out, HG.year, Literal("2025", datatype=rns.XSD.gYear)))
    g.add((out, HG.country, kenya))
    g.add((out, DCTERMS.spatial, kenya))
    g.add((out, DCTERMS.spatial, kampala))
    g.add((kampala, RDF.type, HG.Place))
    g.add((kampala, SKOS.prefLabel, Literal("Kampala", lang="en")))
    g.add((out, HG.significanceRating, c(vocab.SCHEME_SIGNIFICANCE, "large")))
    g.add((out, HG.contributionRating, c(vocab.SCHEME_CONTRIBUTION, "moderate")))
    g.add((out, HG.socialActorCategory, c(vocab.SCHEME_ACTOR_CATEGORY, "Civic change agents")))
    g.add((out, HG.scale, c(vocab.SCHEME_SCALE, "Organisation")))
    for t in ("Policy change", "Capacity change", "Safety and Security"):
        g.add((out, HG.typeOfChange, c(vocab.SCHEME_TYPE_OF_CHANGE, t)))
    for t in ("Policy", "Capacity change"):
        g.add((out, HG.typeOfChangeCluster, c(vocab.SCHEME_CHANGE_CLUSTER, t)))
    g.add((out, HG.isUnintended, Literal(False)))
    g.add((out, HG.isNegative, Literal(False)))
    g.add((out, HG.programme, scc))
    rf = vocab.rf_outcome_iri("SCC", "Outcome 1.1")
    g.add((out, HG.linkedRFOutcome, rf))
    g.add((rf, RDF.type, HG.ResultsFrameworkOutcome))
    g.add((rf, SKOS.notation, Literal("Outcome 1.1")))
    obj = vocab.objective_iri("SCC", "CIV")
    g.add((out, HG.linkedObjective, obj))
    g.add((obj, RDF.type, HG.Objective))
    g.add((obj, SKOS.prefLabel, Literal("Less suppression of civic space", lang="en")))

    g.add((scc, RDF.type, HG.Programme))
    g.add((scc, SKOS.prefLabel, Literal("SCC")))
    g.add((huria, RDF.type, HG.Organisation))
    g.add((huria, SKOS.prefLabel, Literal("HURIA")))
    g.add((huria, HG.actorKind, c(vocab.SCHEME_ACTOR_KIND, "ngo")))
    g.add((defend, RDF.type, HG.Network))
    g.add((defend, HG.basedIn, kampala))
    g.add((out, HG.changedActor, huria))
    g.add((out, HG.contributionPattern, c(vocab.SCHEME_CONTRIBUTION_PATTERN, "programme-and-others")))

    for actor, is_prog, rating in ((scc, True, "moderate"), (defend, False, None)):
        contrib = vocab.contribution_iri(FID, "SCC" if is_prog else "DefendDefenders")
        g.add((contrib, RDF.type, HG.Contribution))
        g.add((contrib, PROV.agent, actor))
        g.add((contrib, HG.contributionTo, out))
        g.add((contrib, HG.isProgrammeContribution, Literal(is_prog)))
        g.add((contrib, HG.extractionMethod, Literal("field" if is_prog else "registry")))
        g.add((contrib, HG.confidence, Literal("0.9", datatype=rns.XSD.decimal)))
        if rating:
            g.add((contrib, HG.contributionRating, c(vocab.SCHEME_CONTRIBUTION, rating)))
        g.add((out, HG.qualifiedContribution, contrib))
        g.add((out, HG.hasContributor, actor))

    m = ID[f"mention/{vocab.encode_id(FID)}/description/16-21"]
    g.add((m, HG.inField, Literal("description")))  # (untyped, as mapped: hg:Mention is hasMention's range)
    g.add((m, HG.start, Literal(16)))
    g.add((m, HG.end, Literal(21)))
    g.add((m, HG.refersTo, huria))
    g.add((m, HG.role, Literal("changed")))
    g.add((out, HG.hasMention, m))
    return g


# --------------------------------------------------------------------------------------------
# (a) parsing
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TTL_FILES)
def test_ttl_files_parse(name):
    g = parse(name)
    assert len(g) > 50


def test_ontology_header(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    for p in (DCTERMS.title, DCTERMS.description, OWL.versionInfo):
        assert ontology.value(ONTOLOGY_IRI, p) is not None, p
    assert not list(ontology.objects(ONTOLOGY_IRI, OWL.imports)), "stay offline: no owl:imports"


def test_concepts_file_is_up_to_date():
    script = ontology_path("build_concepts.py") if _exists("build_concepts.py") else None
    if script is None:
        pytest.skip("build_concepts.py is not shipped with the installed package")
    r = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def _exists(name: str) -> bool:
    try:
        ontology_path(name)
        return True
    except FileNotFoundError:
        return False


# --------------------------------------------------------------------------------------------
# (b) documentation of every hg: term
# --------------------------------------------------------------------------------------------

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


def hg_terms(g: Graph) -> set[URIRef]:
    return {s for t in TERM_TYPES for s in g.subjects(RDF.type, t) if isinstance(s, URIRef) and s.startswith(str(HG))}


def test_every_hg_term_has_english_label_and_comment(ontology):
    terms = hg_terms(ontology)
    assert len(terms) > 60
    missing = []
    for t in sorted(terms):
        for p in (RDFS.label, RDFS.comment):
            if not any(isinstance(o, Literal) and o.language == "en" for o in ontology.objects(t, p)):
                missing.append(f"{t} {p}")
    assert not missing, missing


def test_model_terms_are_declared(ontology):
    terms = hg_terms(ontology)
    for name in [
        "Fragment", "Outcome", "SocialActor", "Organisation", "Network", "GovernmentBody", "MediaOrganisation",
        "DonorOrINGO", "CommunityGroup", "IndividualByRole", "Programme", "Contribution", "Objective",
        "ResultsFrameworkOutcome", "Place", "Country", "HarvestPeriod", "Mention",
        "describesOutcome", "sourceFile", "sourceLine", "sourceFormat", "rawRecord", "isConfidential",
        "harvestPeriod", "programme", "outcomeStatus", "hasDerivedMergedStory", "significance", "significanceRating", "country", "year",
        "socialActorCategory", "scale", "additionalInformation", "evidence", "isUnintended", "isNegative",
        "linkedRFOutcome", "linkedObjective", "typeOfChange", "typeOfChangeCluster", "contributionPattern", "programmeContributionText",
        "otherContributionsText", "contributionRating", "changedActor", "hasContributor", "qualifiedContribution",
        "buildsOn", "mentions", "contributionTo", "contributionText", "isProgrammeContribution",
        "extractionMethod", "confidence", "acronym", "actorKind", "basedIn", "status", "iatiId", "inField",
        "start", "end", "text", "refersTo", "role", "hasMention", "mentionRecord", "isoCode", "isoAlpha3", "rank", "adHoc",
        "contentHash",
    ]:
        assert HG[name] in terms, name


def test_concept_iris_match_vocab(concepts):
    for scheme, label in [
        (vocab.SCHEME_TYPE_OF_CHANGE, "Safety and Security"),
        (vocab.SCHEME_CHANGE_CLUSTER, "Capacity change"),
        (vocab.SCHEME_SIGNIFICANCE, "large"),
        (vocab.SCHEME_CONTRIBUTION, "moderate"),
        (vocab.SCHEME_SCALE, "Sub-national"),
        (vocab.SCHEME_ACTOR_CATEGORY, "Traditional and religious leaders"),
        (vocab.SCHEME_OUTCOME_STATUS, "Outcome in progress"),
        (vocab.SCHEME_ACTOR_KIND, "ngo"),
        (vocab.SCHEME_CONTRIBUTION_PATTERN, "programme-and-others"),
    ]:
        concept = vocab.concept_iri(scheme, label)
        assert (concept, RDF.type, SKOS.Concept) in concepts, concept
        assert (concept, SKOS.inScheme, vocab.scheme_iri(scheme)) in concepts
        assert (concept, SKOS.topConceptOf, vocab.scheme_iri(scheme)) in concepts
        assert concepts.value(concept, SKOS.definition) is not None
    assert concepts.value(vocab.concept_iri(vocab.SCHEME_ACTOR_KIND, "ngo"), SKOS.prefLabel) == Literal("NGO / CSO", lang="en")
    rank = concepts.value(vocab.concept_iri(vocab.SCHEME_CONTRIBUTION, "partial"), HG.rank)
    assert rank == Literal(2, datatype=rns.XSD.integer)
    kenya = vocab.place_iri("KE")
    assert (kenya, RDF.type, HG.Country) in concepts
    assert concepts.value(kenya, HG.isoAlpha3) == Literal("KEN")
    assert concepts.value(vocab.place_iri("TW"), SKOS.prefLabel) == Literal("Taiwan", lang="en")
    assert len(set(concepts.subjects(RDF.type, HG.Country))) >= 249


# --------------------------------------------------------------------------------------------
# (c) SHACL
# --------------------------------------------------------------------------------------------


def test_well_formed_fragment_conforms():
    report = validate(fragment_graph())
    assert report.conforms, "\n".join(map(str, report.results))
    assert not report.results, "\n".join(map(str, report.results))


def test_dataset_input_is_validated_as_union():
    from rdflib import Dataset

    ds = Dataset()
    target = ds.graph(vocab.fragment_graph(FID))
    for t in fragment_graph():
        target.add(t)
    assert validate(ds).conforms


def test_malformed_fragment_is_reported():
    g = fragment_graph()
    frag, out = vocab.fragment_iri(FID), vocab.outcome_iri(FID)
    g.remove((frag, DCTERMS.identifier, None))  # fragment without identifier
    g.add((out, HG.year, Literal("2024")))  # outcome with 2 years, the second typed as a string
    contrib = vocab.contribution_iri(FID, "DefendDefenders")
    g.remove((contrib, PROV.agent, None))  # contribution without agent

    report = validate(g)
    assert not report.conforms
    by_path = {(v.focus_node, v.path) for v in report.violations}
    assert (str(frag), str(DCTERMS.identifier)) in by_path
    assert (str(out), str(HG.year)) in by_path
    assert (str(contrib), str(PROV.agent)) in by_path
    assert report.paths() == {str(DCTERMS.identifier), str(HG.year), str(PROV.agent)}
    year_problems = {v.constraint for v in report.violations if v.path == str(HG.year)}
    assert year_problems == {"MaxCountConstraintComponent", "DatatypeConstraintComponent"}
    for v in report.violations:
        assert v.message and not v.message.startswith("Less than"), v  # our messages, not pyshacl's
        assert str(v)


def test_year_typed_as_string_is_a_violation():
    g = fragment_graph()
    out = vocab.outcome_iri(FID)
    g.remove((out, HG.year, None))
    g.add((out, HG.year, Literal("2025")))
    report = validate(g)
    assert not report.conforms
    [v] = report.violations
    assert v.path == str(HG.year) and v.constraint == "DatatypeConstraintComponent"
    assert "2025" in (v.value or "")


def test_missing_year_and_country_are_warnings_only():
    g = fragment_graph()
    out = vocab.outcome_iri(FID)
    g.remove((out, HG.year, None))
    g.remove((out, HG.country, None))
    report = validate(g)
    assert report.conforms
    assert {(w.path, w.message) for w in report.warnings} == {
        (str(HG.year), "The outcome has no year."),
        (str(HG.country), "The outcome has no country."),
    }


def test_rating_from_wrong_scheme_and_bad_mention():
    g = fragment_graph()
    out = vocab.outcome_iri(FID)
    g.remove((out, HG.significanceRating, None))
    g.add((out, HG.significanceRating, vocab.concept_iri(vocab.SCHEME_CONTRIBUTION, "moderate")))
    m = next(g.objects(out, HG.hasMention))
    g.remove((m, HG.end, None))
    g.add((m, HG.end, Literal(3)))
    g.remove((m, HG.refersTo, None))
    report = validate(g)
    assert not report.conforms
    assert report.paths() == {str(HG.significanceRating), str(HG.start), str(HG.refersTo)}


@pytest.mark.parametrize("pattern", [None, "rating", "two"])
def test_an_outcome_has_one_contribution_pattern_of_its_scheme(pattern):
    g = fragment_graph()
    out = vocab.outcome_iri(FID)
    if pattern is None:
        g.remove((out, HG.contributionPattern, None))
    elif pattern == "rating":
        g.set((out, HG.contributionPattern, vocab.concept_iri(vocab.SCHEME_CONTRIBUTION, "moderate")))
    else:
        g.add((out, HG.contributionPattern, vocab.concept_iri(vocab.SCHEME_CONTRIBUTION_PATTERN, "others-only")))
    report = validate(g)
    assert not report.conforms
    assert report.paths() == {str(HG.contributionPattern)}


def test_ad_hoc_concept_is_info():
    g = fragment_graph()
    out = vocab.outcome_iri(FID)
    adhoc = vocab.concept_iri(vocab.SCHEME_TYPE_OF_CHANGE, "Digital change")
    g.add((out, HG.typeOfChange, adhoc))
    g.add((adhoc, RDF.type, SKOS.Concept))
    g.add((adhoc, SKOS.inScheme, vocab.scheme_iri(vocab.SCHEME_TYPE_OF_CHANGE)))
    g.add((adhoc, SKOS.prefLabel, Literal("Digital change", lang="en")))
    g.add((adhoc, HG.adHoc, Literal(True)))
    report = validate(g)
    assert report.conforms
    assert [r.severity for r in report.results] == ["Info"]


# --------------------------------------------------------------------------------------------
# (d) OWL reasoning (owlready2 + HermiT)
# --------------------------------------------------------------------------------------------


@needs_java
def test_well_formed_fragment_is_consistent(ontology, concepts):
    report = check_consistency([ontology, concepts, fragment_graph()])
    assert report.consistent, report.message
    assert report.inconsistent_classes == []
    assert report.seconds < 60


@needs_java
def test_outcome_that_is_also_a_social_actor_is_inconsistent(ontology):
    g = fragment_graph()
    g.add((vocab.outcome_iri(FID), RDF.type, HG.SocialActor))
    with pytest.raises(OwlReadyInconsistentOntologyError):
        run_reasoner([ontology, g])
    report = check_consistency([ontology, g])
    assert not report.consistent
    assert "inconsistent" in report.message


@needs_java
def test_two_different_outcomes_of_one_fragment_are_inconsistent(ontology):
    g = Graph()
    frag = vocab.fragment_iri("X-1")
    a, b = vocab.outcome_iri("X-1"), vocab.outcome_iri("X-2")
    g.add((frag, RDF.type, HG.Fragment))
    g.add((frag, HG.describesOutcome, a))
    g.add((frag, HG.describesOutcome, b))
    g.add((a, OWL.differentFrom, b))
    with pytest.raises(OwlReadyInconsistentOntologyError):
        run_reasoner([ontology, g])
    assert not check_consistency([ontology, g]).consistent


@needs_java
def test_unsatisfiable_class_is_reported(ontology):
    g = Graph()
    bad = HG["FragmentActor"]
    g.add((bad, RDF.type, OWL.Class))
    g.add((bad, RDFS.subClassOf, HG.Fragment))
    g.add((bad, RDFS.subClassOf, HG.SocialActor))
    report = check_consistency([ontology, g])
    assert report.consistent
    assert report.inconsistent_classes == [str(bad)]


@needs_java
def test_bundled_ontology_is_included_by_default():
    g = Graph()
    out = vocab.outcome_iri(FID)
    g.add((out, RDF.type, HG.Outcome))
    g.add((out, RDF.type, HG.SocialActor))
    assert not check_consistency([g]).consistent  # the disjointness axiom comes from the bundled ontology
    assert check_consistency([g], include_ontology=False).consistent
