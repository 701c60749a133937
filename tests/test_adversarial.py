"""Confidential stays confidential: an adversarial suite.

What is secret is computed from the INPUT FILES (tests/expected.py reads them without harvestgraph):
the confidential FragmentIDs and their IRIs, and the word sequences and distinctive words of the
confidential fragments that no public fragment, the actor registry or the ontology contains. Every
response an anonymous reader gets must contain none of them; the same requests made with a
`confidential` token must reveal them (so every test can fail).

Part 1 checks the graph itself (what goes into public named graphs, links to confidential outcomes).
Part 2 attacks the served app over real HTTP: SPARQL tricks, REST, named queries, views and exports.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

import expected
from harvestgraph.config import make_resolver
from harvestgraph.ingest import ingest
from harvestgraph.vocab import (GRAPH, HG, REGISTRY_GRAPH, SYSTEM_GRAPH, encode_id, fragment_graph, fragment_iri,
                                outcome_iri)

REPO = Path(__file__).resolve().parent.parent
PUNCT = "\"'()[]{},.;:<>!?*`|"


# --------------------------------------------------------------------------- what is secret


def tokens(text: str) -> list[str]:
    """Whitespace tokens without surrounding punctuation, after undoing HTML and JSON escapes, so a value
    tokenises the same in an input file and in a response body."""
    text = html.unescape(text).replace("\\n", " ").replace("\\r", " ").replace("\\t", " ").replace('\\"', '"')
    return [t for t in (w.strip(PUNCT) for w in text.split()) if t]


def windows(toks: list[str], n: int = 4) -> set[tuple[str, ...]]:
    return {tuple(toks[i:i + n]) for i in range(len(toks) - n + 1)}


@dataclass(frozen=True)
class Secrets:
    ids: frozenset[str]  # confidential FragmentIDs
    literal: frozenset[str]  # substrings that must never appear: IRIs, percent-encoded ids
    phrases: frozenset[tuple[str, ...]]  # 4-token sequences found only in confidential fragments
    words: frozenset[str]  # distinctive words (proper names, long words) found only there

    def found_in(self, body: str) -> list[str]:
        """The secrets a response body reveals (empty: none)."""
        hits = [s for s in self.literal if s in body]
        toks = tokens(body)
        hits += [" ".join(p) for p in windows(toks) & self.phrases]
        hits += sorted(set(toks) & self.words)
        return hits


@lru_cache(maxsize=1)
def secrets() -> Secrets:
    records = expected.corpus(REPO / "examples")
    conf = [r for r in records.values() if r.confidential]
    assert len(conf) >= 3, "the sample corpus should hold confidential fragments"
    public_text = [v for r in records.values() if not r.confidential for v in r.fields.values()]
    # Public knowledge: the registry's names, the ontology, concept schemes, named queries, gazetteer.
    for pattern in ("examples/actors.yaml", "ontology/*.ttl", "queries/*.rq", "graph/data/*"):
        public_text += [p.read_text(encoding="utf-8", errors="replace") for p in REPO.glob(pattern) if p.is_file()]
    public_toks = [tokens(t) for t in public_text]
    public_phrases = set().union(*(windows(t) for t in public_toks))
    public_words = {w.lower() for t in public_toks for w in t}
    phrases: set[tuple[str, ...]] = set()
    words: set[str] = set()
    for r in conf:
        for key, value in r.fields.items():
            if key in ("fragment_id", "confidential"):
                continue
            toks = tokens(value)
            phrases |= {p for p in windows(toks) if p not in public_phrases and all(t.isascii() for t in p)}
            words |= {w for w in toks if w.lower() not in public_words and w.isascii() and len(w) >= 6
                      and w[0].isupper() and re.fullmatch(r"[A-Za-z][A-Za-z-]+", w)}
    ids = frozenset(r.id for r in conf)
    literal = {s for i in ids for s in (str(outcome_iri(i)), str(fragment_iri(i)), str(fragment_graph(i)),
                                        encode_id(i))}
    literal |= {i for i in ids if not any(i in t for t in public_text)}
    return Secrets(ids, frozenset(literal), frozenset(phrases), frozenset(words))


def assert_no_secret(body: str, where: str) -> None:
    hits = secrets().found_in(body)
    assert not hits, f"{where} reveals confidential data: {hits[:5]}"


def test_the_secrets_are_real():
    """The oracle itself: it finds plenty to look for, and finds it in the confidential input files."""
    s = secrets()
    assert len(s.phrases) > 50 and s.words and len(s.literal) >= 4 * len(s.ids)
    records = expected.corpus(REPO / "examples")
    for r in records.values():
        found = s.found_in("\n".join(r.fields.values()))
        assert bool(found) == r.confidential, (r.id, found[:3])


# --------------------------------------------------------------------------- part 1: the graph


def dump_graphs(store, graphs) -> str:
    res = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", graphs=graphs)
    import pyoxigraph as ox

    return ox.serialize(res, format=ox.RdfFormat.N_TRIPLES).decode()


def test_public_graphs_hold_no_confidential_fact(corpus_store):
    public = corpus_store.visible_graphs(confidential=False)
    assert str(REGISTRY_GRAPH) not in public and str(SYSTEM_GRAPH) not in public
    assert all(str(fragment_graph(i)) not in public for i in secrets().ids)
    body = dump_graphs(corpus_store, public)
    assert_no_secret(body, "the public graphs")
    # ... while everything the confidential role sees does include them
    assert secrets().found_in(dump_graphs(corpus_store, corpus_store.visible_graphs(confidential=True)))


def test_visible_graphs_are_exactly_the_public_fragments(corpus_store):
    records = expected.corpus(REPO / "examples")
    public = set(corpus_store.visible_graphs(confidential=False))
    want = {str(fragment_graph(i)) for i in expected.visible(records)}
    assert {g for g in public if g.startswith(str(GRAPH) + "fragment/")} == want
    assert public - want == {str(GRAPH["ontology"]), str(GRAPH["concepts"])}


def builds_on(store, fid: str, *, confidential: bool) -> set[str]:
    rows = store.select(f"SELECT ?o WHERE {{ <{outcome_iri(fid)}> <{HG.buildsOn}> ?o }}",
                        graphs=store.visible_graphs(confidential=confidential))
    return {r["o"].value for r in rows}


def frag(fid: str, text: str, confidential: bool) -> str:
    return (f"**FragmentID**: {fid}\n**Country**: Kenya\n**Year**: 2025\n**Outcome description**: {text}\n"
            f"**Outcome statements is CONFIDENTIAL**: {'YES' if confidential else 'NO'}\n\n---\n\n")


@pytest.fixture()
def resolver(registry_path):
    return make_resolver(registry_path if registry_path.exists() else None)


def test_public_link_to_a_confidential_outcome_is_dropped_in_the_same_batch(fresh_corpus_store, tmp_path, resolver):
    st = fresh_corpus_store
    f = tmp_path / "chain.md"
    f.write_text(frag("TST-KEN2501/SEC001", "A secret shelter network was set up.", True)
                 + frag("TST-KEN2501/PUB002", "Lawyers met. This builds on outcome TST-KEN2501/SEC001 and TST-KEN2501/PUB003.", False)
                 + frag("TST-KEN2501/PUB003", "A public hearing took place.", False)
                 + frag("TST-KEN2501/SEC004", "Follow-up. This builds on outcome TST-KEN2501/SEC001.", True))
    ingest([f], st, resolver)
    assert builds_on(st, "TST-KEN2501/PUB002", confidential=True) == {str(outcome_iri("TST-KEN2501/PUB003"))}  # public → public kept
    assert builds_on(st, "TST-KEN2501/SEC004", confidential=True) == {str(outcome_iri("TST-KEN2501/SEC001"))}  # conf → conf kept
    assert encode_id("TST-KEN2501/SEC001") not in dump_graphs(st, st.visible_graphs(confidential=False))


def test_public_link_to_an_already_stored_confidential_outcome_is_dropped(fresh_corpus_store, tmp_path, resolver):
    st = fresh_corpus_store
    target = next(iter(sorted(secrets().ids)))  # a confidential fragment of the corpus, already stored
    f = tmp_path / "later.md"
    f.write_text(frag("TST-KEN2501/PUB010", f"This builds on outcome {target}.", False))
    ingest([f], st, resolver)
    assert builds_on(st, "TST-KEN2501/PUB010", confidential=True) == set()
    # the public text names it (the harvester wrote it there), but no IRI of it is in a public graph
    assert encode_id(target) not in dump_graphs(st, st.visible_graphs(confidential=False))


def test_link_is_removed_when_its_target_becomes_confidential(fresh_corpus_store, tmp_path, resolver):
    st = fresh_corpus_store
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text(frag("TST-KEN2501/PUB020", "This builds on outcome TST-KEN2501/PUB021.", False))
    b.write_text(frag("TST-KEN2501/PUB021", "A hearing.", False))
    ingest([a, b], st, resolver)
    assert builds_on(st, "TST-KEN2501/PUB020", confidential=False) == {str(outcome_iri("TST-KEN2501/PUB021"))}
    b.write_text(frag("TST-KEN2501/PUB021", "A hearing.", True))  # flagged confidential afterwards, alone
    ingest([b], st, resolver)
    assert builds_on(st, "TST-KEN2501/PUB020", confidential=True) == set()
    assert encode_id("TST-KEN2501/PUB021") not in dump_graphs(st, st.visible_graphs(confidential=False))
    report = ingest([a, b], st, resolver)  # re-ingesting both is stable: nothing left to change
    assert report.unchanged == 2 and report.added == report.replaced == 0
