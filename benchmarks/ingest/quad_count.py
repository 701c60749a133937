"""Quads per fragment, by kind: what the store spends its quads on (count before optimising loops).

    python -m benchmarks.ingest.quad_count                      # examples/ and the 1,000-fragment benchmark corpus
    python -m benchmarks.ingest.quad_count --count 10000        # examples/ and a 10,000-fragment corpus
    python -m benchmarks.ingest.quad_count --store out/demo/store   # an existing store, as it is
    python -m benchmarks.ingest.quad_count PATH ...             # files/folders ingested into a scratch store

Each corpus is ingested (with ``examples/actors.yaml``, as the CLI would) into a scratch store, then
every quad of the store is classified by what it is (a quad counts once, under its first matching kind):

* **hashes**: ``hg:contentHash`` bookkeeping (one per fragment graph);
* **field records**: the raw record as written (``hg:rawRecord``, or the former ``hg:FieldValue``
  resources and the ``hg:rawField``/``hg:extraField`` links to them);
* **mentions**: the evidence spans (``hg:mentionRecord``, or the former ``hg:hasMention`` resources);
* **shared labels**: descriptions of things many fragments name (actors, programmes, places, objectives,
  results-framework outcomes, harvest periods, ad-hoc concepts), repeated in each fragment's graph;
* **facts**: the fragment, its outcome and contributions;
* **union: facts / union: shared labels**: the union graphs readers query (each fact once however many
  fragments state it). Since data model 3 the facts about a fragment's own resources (fragment, outcome,
  contributions) are stored there only, not also in the fragment graph (``store.placement``);
* static graphs (ontology, concept schemes, shapes, registry, store metadata) are listed apart and not
  counted per fragment.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.common import ROOT, corpus  # noqa: E402

KINDS = ("facts", "shared labels", "field records", "mentions", "hashes", "union: facts", "union: shared labels")
REGISTRY = ROOT / "examples" / "actors.yaml"


def classify(store) -> tuple[Counter, int]:
    """(quads by kind, fragment graphs) of an open :class:`~harvestgraph.store.EmbeddedStore`."""
    from harvestgraph.vocab import GRAPH, HG, ID, CONCEPT

    frag_prefix, union_prefix = str(GRAPH) + "fragment/", str(GRAPH) + "union/"
    shared = tuple(str(ID) + k for k in ("actor/", "programme/", "place/", "objective/", "rf-outcome/", "harvest/"))
    concept = str(CONCEPT)
    field_preds = {str(HG.rawField), str(HG.extraField), str(getattr(HG, "rawRecord"))}
    mention_prefix = str(ID) + "mention/"
    hash_pred, mention_preds = str(HG.contentHash), {str(HG.hasMention), str(HG.mentionRecord)}
    counts: Counter = Counter()
    graphs: set[str] = set()
    for q in store.raw.quads_for_pattern(None, None, None, None):
        g = q.graph_name.value if hasattr(q.graph_name, "value") else ""
        if g.startswith(union_prefix):
            s = q.subject.value
            counts["union: shared labels" if s.startswith(shared) or s.startswith(concept) else "union: facts"] += 1
            continue
        if not g.startswith(frag_prefix):
            counts["static: " + (g.rsplit("/", 1)[-1] or "default")] += 1
            continue
        graphs.add(g)
        s, p = q.subject.value, q.predicate.value
        if p == hash_pred:
            kind = "hashes"
        elif p in field_preds or "/field/" in s:
            kind = "field records"
        elif p in mention_preds or s.startswith(mention_prefix) or (s.startswith(str(ID) + "outcome/") and "#m" in s):
            kind = "mentions"
        elif s.startswith(shared) or s.startswith(concept):
            kind = "shared labels"
        else:
            kind = "facts"
        counts[kind] += 1
    return counts, len(graphs)


def table(title: str, counts: Counter, fragments: int) -> str:
    per = lambda n: n / fragments if fragments else 0.0  # noqa: E731
    total = sum(counts[k] for k in KINDS)
    rows = [f"### {title}: {fragments:,} fragments", "", "| kind | quads | per fragment |", "|---|---:|---:|"]
    rows += [f"| {k} | {counts[k]:,} | {per(counts[k]):.1f} |" for k in KINDS]
    rows.append(f"| **total (fragment + union graphs)** | {total:,} | **{per(total):.1f}** |")
    static = sorted(k for k in counts if k.startswith("static"))
    if static:
        rows.append("")
        rows.append("Not per fragment: " + ", ".join(f"{k[8:]} {counts[k]:,}" for k in static) + ".")
    return "\n".join(rows) + "\n"


def count_store(path: Path) -> tuple[Counter, int]:
    from harvestgraph.store import EmbeddedStore

    st = EmbeddedStore(path, read_only=True)
    try:
        return classify(st)
    finally:
        st.close()


def count_ingest(paths: list[Path], registry: Path | None = REGISTRY) -> tuple[Counter, int]:
    """Ingest ``paths`` into a scratch store as the CLI would, and classify its quads."""
    from harvestgraph import config
    from harvestgraph.ingest import ingest
    from harvestgraph.store import EmbeddedStore

    work = Path(tempfile.mkdtemp(prefix="hg-quads-"))
    try:
        st = EmbeddedStore(work / "store")
        ingest(paths, st, config.make_resolver(registry))
        counts = classify(st)
        st.close()
        return counts
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*", type=Path, help="files or folders to ingest (default: examples/ and a corpus)")
    ap.add_argument("--count", type=int, default=1000, help="fragments of the benchmark corpus (0: none)")
    ap.add_argument("--store", type=Path, help="count an existing store instead")
    args = ap.parse_args(argv)
    if args.store:
        print(table(str(args.store), *count_store(args.store)))
        return 0
    jobs = [(" ".join(map(str, args.paths)), args.paths)] if args.paths else [
        ("examples/", [ROOT / "examples" / d for d in ("text", "csv", "xlsx")])]
    if not args.paths and args.count:
        jobs.append(("benchmark corpus (generate.py, seed 42)", [corpus(args.count)]))
    for title, paths in jobs:
        print(table(title, *count_ingest(paths)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
