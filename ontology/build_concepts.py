"""Generate ``ontology/concepts.ttl``: the bundled SKOS concept schemes and all ISO 3166-1 countries.

Run from the repository root::

    .venv/bin/python ontology/build_concepts.py            # writes ontology/concepts.ttl
    .venv/bin/python ontology/build_concepts.py --check    # exits 1 if concepts.ttl is stale

The output is deterministic (rdflib's Turtle serializer sorts subjects and predicates; no blank nodes, no timestamps), so re-running it yields a byte-identical file as long as
this script and the pinned pycountry version do not change.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from pathlib import Path

import pycountry
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

try:  # installed package (or editable install)
    from harvestgraph import vocab  # type: ignore[import-not-found]
except ImportError:  # plain checkout: load graph/vocab.py directly
    _spec = importlib.util.spec_from_file_location(
        "_harvestgraph_vocab", Path(__file__).resolve().parent.parent / "graph" / "vocab.py"
    )
    assert _spec and _spec.loader
    vocab = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(vocab)

HG: Namespace = vocab.HG
OUT = Path(__file__).resolve().parent / "concepts.ttl"

# Each scheme: key -> (title, definition, concepts). Each concept is a dict with
# label (prefLabel, also the slug source unless "key" is given), definition, alt (altLabels), rank.
SCHEMES: dict[str, tuple[str, str, list[dict]]] = {
    vocab.SCHEME_TYPE_OF_CHANGE: (
        "Type of change",
        "The kind of change an outcome represents (the MCQ 'Type of change' field).",
        [
            {"label": "Policy change", "definition": "A new or changed policy, strategy or plan of an organisation or authority.",
             "alt": ["Policy", "Policy changes"]},
            {"label": "Capacity change", "definition": "A change in the knowledge, skills, resources or systems of an actor.",
             "alt": ["Capacity", "Capacity building", "Capacity strengthening"]},
            {"label": "Safety and Security", "definition": "A change in the physical, digital or legal safety and security of an actor.",
             "alt": ["Safety & Security", "Security", "Safety"]},
            {"label": "Behaviour change", "definition": "A change in how an actor acts towards others.",
             "alt": ["Behavior change", "Behaviour", "Behavioural change", "Behavioral change"]},
            {"label": "Practice change", "definition": "A change in the way an actor routinely does things.",
             "alt": ["Practice", "Practices change", "Change in practice"]},
            {"label": "Relationship change", "definition": "A new or changed relationship, collaboration or alliance between actors.",
             "alt": ["Relationship", "Relationships change", "Relational change"]},
            {"label": "Agenda setting", "definition": "An issue newly put on the agenda of an actor or a public debate.",
             "alt": ["Agenda-setting", "Agenda"]},
            {"label": "Norms change", "definition": "A change in the social norms, values or attitudes held by actors.",
             "alt": ["Norms", "Norm change", "Normative change"]},
            {"label": "Legislative change", "definition": "A new, amended or repealed law or regulation.",
             "alt": ["Legislation", "Legal change", "Law change"]},
            {"label": "Institutional change", "definition": "A change in the structures, mandates or rules of an institution.",
             "alt": ["Institutional", "Institutional changes"]},
            {"label": "Discourse change", "definition": "A change in how actors talk about, frame or report on an issue.",
             "alt": ["Discourse", "Narrative change"]},
            {"label": "Resource mobilisation", "definition": "An actor raised, allocated or committed new resources.",
             "alt": ["Resource mobilization", "Resources mobilisation", "Funding"]},
        ],
    ),
    vocab.SCHEME_CHANGE_CLUSTER: (
        "Type of change cluster",
        "Clusters grouping types of change (the 'TypeOfChangeCluster' field).",
        [
            {"label": "Policy", "definition": "Changes in policy, legislation and institutions.", "alt": ["Policy change"]},
            {"label": "Capacity change", "definition": "Changes in the capacity of actors.", "alt": ["Capacity"]},
            {"label": "Practice", "definition": "Changes in practice and behaviour.",
             "alt": ["Practice change", "Practice and behaviour", "Practice and behavior"]},
            {"label": "Relationship", "definition": "Changes in relationships between actors.",
             "alt": ["Relationship change", "Relationships"]},
            {"label": "Norms", "definition": "Changes in norms, discourse and agenda.", "alt": ["Norms change"]},
            {"label": "Safety", "definition": "Changes in safety and security.", "alt": ["Safety and Security", "Security"]},
            {"label": "Agenda setting", "definition": "Issues newly put on the agenda of actors or public debate.",
             "alt": ["Agenda"]},
        ],
    ),
    vocab.SCHEME_SIGNIFICANCE: (
        "Significance rating",
        "How significant an outcome is (the 'Rating significance' field).",
        [
            {"label": "small", "definition": "The outcome is of small significance.", "alt": ["low"], "rank": 1},
            {"label": "medium", "definition": "The outcome is of medium significance.", "alt": ["moderate"], "rank": 2},
            {"label": "large", "definition": "The outcome is of large significance.", "alt": ["high"], "rank": 3},
        ],
    ),
    vocab.SCHEME_CONTRIBUTION: (
        "Contribution rating",
        "How much the programme contributed to an outcome (the 'Rating contribution' field). "
        "'partial', 'moderate' and 'medium' are distinct labels used by different harvests; they share rank 2.",
        [
            {"label": "small", "definition": "The programme contributed a small part of the outcome.", "alt": ["low"], "rank": 1},
            {"label": "partial", "definition": "The programme contributed partially to the outcome.", "rank": 2},
            {"label": "moderate", "definition": "The programme contributed moderately to the outcome.", "rank": 2},
            {"label": "medium", "definition": "The programme made a medium contribution to the outcome.", "rank": 2},
            {"label": "large", "definition": "The programme contributed a large part of the outcome.", "alt": ["high"], "rank": 3},
        ],
    ),
    vocab.SCHEME_SCALE: (
        "Scale",
        "The scale at which a change happened (the 'Scale' field).",
        [
            {"label": "Individual", "definition": "The change concerns one or a few individuals.", "alt": ["Individuals"]},
            {"label": "Organisation", "definition": "The change concerns one or a few organisations.",
             "alt": ["Organization", "Organisational", "Organizational"]},
            {"label": "Community", "definition": "The change concerns a community.", "alt": ["Communities", "Local"]},
            {"label": "Sub-national", "definition": "The change concerns a county, province, district or other sub-national area.",
             "alt": ["Subnational", "Sub national", "County", "Provincial"]},
            {"label": "National", "definition": "The change concerns a whole country."},
            {"label": "Regional", "definition": "The change concerns several countries of a region.", "alt": ["Region"]},
            {"label": "International", "definition": "The change concerns the international or global level.", "alt": ["Global"]},
        ],
    ),
    vocab.SCHEME_ACTOR_CATEGORY: (
        "Social actor category",
        "The category of the social actor that changed (the 'Social actor' field).",
        [
            {"label": "Civic change agents", "definition": "Civil society organisations, activists, human rights defenders and their networks.",
             "alt": ["Civic change agent", "Civil society", "CSOs"]},
            {"label": "Government", "definition": "Public authorities at any level.", "alt": ["Government actors", "State actors"]},
            {"label": "Private sector", "definition": "Companies and business associations.", "alt": ["Business"]},
            {"label": "Media", "definition": "Media organisations and journalists.", "alt": ["Journalists"]},
            {"label": "Communities", "definition": "Communities and community members.", "alt": ["Community"]},
            {"label": "Traditional and religious leaders", "definition": "Traditional, customary and religious leaders and institutions.",
             "alt": ["Traditional leaders", "Religious leaders", "Traditional & religious leaders"]},
            {"label": "Donors", "definition": "Donors and funding agencies.", "alt": ["Donor"]},
            {"label": "Duty bearers", "definition": "State and non-state actors with obligations to respect, protect and fulfil rights.",
             "alt": ["Duty-bearers", "Duty bearer"]},
            {"label": "Rights holders", "definition": "People and groups whose rights are at stake, and their organisations.",
             "alt": ["Rights-holders", "Rights holder"]},
        ],
    ),
    vocab.SCHEME_OUTCOME_STATUS: (
        "Outcome status",
        "The status of an outcome statement (the 'Outcome status' field).",
        [
            {"label": "Outcome", "definition": "The statement describes an outcome."},
            {"label": "Outcome in progress", "definition": "The statement describes an outcome that is still emerging.",
             "alt": ["In progress"]},
            {"label": "Not an outcome", "definition": "The statement was reviewed and does not describe an outcome.",
             "alt": ["No outcome"]},
            {"label": "Verified outcome", "definition": "The outcome was verified (e.g. substantiated by an independent source).",
             "alt": ["Verified"]},
        ],
    ),
    vocab.SCHEME_ACTOR_KIND: (
        "Actor kind",
        "The kind of a social actor, used to type actors (hg:Organisation, hg:Network, ...).",
        [
            {"key": "ngo", "label": "NGO / CSO", "definition": "A non-governmental or civil society organisation.",
             "alt": ["NGO", "CSO", "Civil society organisation", "Civil society organization"]},
            {"key": "network", "label": "Network or alliance", "definition": "A network, alliance, coalition or platform of organisations.",
             "alt": ["Network", "Alliance", "Coalition"]},
            {"key": "government", "label": "Government body", "definition": "A ministry, agency, parliament, court or local government.",
             "alt": ["Government", "Public authority"]},
            {"key": "media", "label": "Media", "definition": "A media organisation or outlet.", "alt": ["Media organisation"]},
            {"key": "donor", "label": "Donor or INGO", "definition": "A donor or an international non-governmental organisation.",
             "alt": ["Donor", "INGO"]},
            {"key": "community", "label": "Community group", "definition": "A community or community-based group.",
             "alt": ["Community", "CBO"]},
            {"key": "individual", "label": "Individual (by role)", "definition": "People named by their role, e.g. journalists or county officials.",
             "alt": ["Individual", "Individuals"]},
            {"key": "programme", "label": "Programme", "definition": "A programme whose outcomes are harvested.",
             "alt": ["Program"]},
        ],
    ),
    vocab.SCHEME_CONTRIBUTION_PATTERN: (
        "Contribution pattern",
        "Who was found to contribute to an outcome: the programme alone, the programme and other actors, other "
        "actors only, or nobody. Derived when a fragment is mapped, from its 'Contribution of the programme' "
        "field and the contributors found in its text (hg:contributionPattern); the programme counts as "
        "'other' on another programme's outcome.",
        [
            {"key": "programme-alone", "label": "Programme alone",
             "definition": "The programme contributed and no other contributor was found."},
            {"key": "programme-and-others", "label": "Programme and other actors",
             "definition": "The programme and at least one other actor contributed: the programme shares the credit."},
            {"key": "others-only", "label": "Other actors only",
             "definition": "Other actors contributed, the programme did not (its contribution field is empty or "
                           "says none, e.g. a negative outcome)."},
            {"key": "none-found", "label": "No contributor found",
             "definition": "Neither the programme's contribution nor any other contributor was found."},
        ],
    ),
}


def en(text: str) -> Literal:
    return Literal(text, lang="en")


def build() -> Graph:
    g = Graph()
    for prefix, iri in vocab.PREFIXES.items():
        g.bind(prefix, iri)
    g.bind("hgplace", str(vocab.ID) + "place/")

    for key, (title, definition, concepts) in SCHEMES.items():
        scheme = URIRef(vocab.scheme_iri(key))
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, SKOS.prefLabel, en(title)))
        g.add((scheme, RDFS.label, en(title)))
        g.add((scheme, SKOS.definition, en(definition)))
        g.add((scheme, SKOS.notation, Literal(key)))
        seen: set[str] = set()
        squashed: dict[str, str] = {}  # graph/concepts.py looks labels up lower-cased, alphanumerics only
        for c in concepts:
            ident = c.get("key", c["label"])
            concept = URIRef(vocab.concept_iri(key, ident))
            if str(concept) in seen:
                raise ValueError(f"duplicate concept {concept}")
            seen.add(str(concept))
            g.add((concept, RDF.type, SKOS.Concept))
            g.add((concept, SKOS.prefLabel, en(c["label"])))
            g.add((concept, SKOS.notation, Literal(vocab.slug(ident))))
            g.add((concept, SKOS.definition, en(c["definition"])))
            g.add((concept, SKOS.inScheme, scheme))
            g.add((concept, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, concept))
            for alt in c.get("alt", []):
                if alt == c["label"]:  # SKOS: prefLabel and altLabel are disjoint
                    raise ValueError(f"altLabel equals prefLabel: {alt}")
                g.add((concept, SKOS.altLabel, en(alt)))
            for text in (c["label"], vocab.slug(ident), *c.get("alt", [])):
                key_ = re.sub(r"[^a-z0-9]+", "", text.lower())
                if squashed.setdefault(key_, str(concept)) != str(concept):
                    raise ValueError(f"label {text!r} is ambiguous in scheme {key}")
            if "rank" in c:
                g.add((concept, HG.rank, Literal(c["rank"], datatype=XSD.integer)))

    for country in pycountry.countries:
        place = URIRef(vocab.place_iri(country.alpha_2))
        name = getattr(country, "common_name", None) or country.name
        g.add((place, RDF.type, HG.Country))
        g.add((place, SKOS.prefLabel, en(name)))
        g.add((place, RDFS.label, en(name)))
        for alt in {country.name, getattr(country, "official_name", None) or country.name} - {name}:
            g.add((place, SKOS.altLabel, en(alt)))
        g.add((place, HG.isoCode, Literal(country.alpha_2)))
        g.add((place, HG.isoAlpha3, Literal(country.alpha_3)))
    return g


def _pycountry_version() -> str:
    try:
        from importlib.metadata import version

        return version("pycountry")
    except Exception:  # pragma: no cover - metadata missing
        return "unknown"


HEADER = (
    "# GENERATED by ontology/build_concepts.py -- do not edit by hand.\n"
    f"# SKOS concept schemes of harvestgraph and all ISO 3166-1 countries (pycountry {_pycountry_version()}).\n"
)


def render() -> str:
    body = build().serialize(format="turtle")
    return HEADER + "\n" + body


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the file on disk differs")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    text = render()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is stale; run ontology/build_concepts.py", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
