"""Extraction benchmark: what the language pipeline and the gazetteer cost, and what ingest reaches with
them. Figures side by side, one line each:

    python -m benchmarks.ingest.bench_extract [--count 10000] [--sample 1000] [--no-ingest]

* load: spaCy model (``en_core_web_sm`` 3.8.0) and the GeoNames layer (rows, one country's index),
  seconds and resident memory after each;
* parse: words/s of the language pipeline on the sentences extraction parses, cold (every sentence new)
  and as ingest sees them (memoised per sentence: the same sentences come back);
* resolve: fragments/s of the whole resolver in one process, with and without the language pipeline;
* ingest: end-to-end ingest of the ``--count`` benchmark corpus into a fresh store (the CLI's resolver,
  forked workers), fragments/s, in a child process.

The machine is shared: run it with ``uptime`` beside it and say the load when quoting figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import time

from benchmarks.common import WORK, corpus, emit, run_child


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(count: int, sample: int, ingest: bool) -> dict:
    from harvestgraph import config
    from harvestgraph.actors import language, rules
    from harvestgraph.actors.places import _geonames, _geonames_rows
    from harvestgraph.actors.resolver import PIPELINE, ActorResolver
    from harvestgraph.ingest import read_batch
    from harvestgraph.normalise import normalise

    out: dict = {"load_average": os.getloadavg()[0], "cpus": os.cpu_count()}
    rss0 = _rss_mb()
    t = time.perf_counter()
    language.nlp()
    out["model_load_s"] = time.perf_counter() - t
    out["model_rss_mb"] = _rss_mb() - rss0
    rss0 = _rss_mb()
    t = time.perf_counter()
    rows = _geonames_rows()
    out["geonames_rows_s"] = time.perf_counter() - t
    out["geonames_rows"] = sum(len(v) for v in rows.values())
    t = time.perf_counter()
    ke = _geonames("KE")
    out["geonames_index_KE_s"] = time.perf_counter() - t
    out["geonames_index_KE_names"] = len(ke)
    out["geonames_rss_mb"] = _rss_mb() - rss0

    data = corpus(count)
    files = sorted(data.glob("fragments_*.txt"))
    raws, _ = read_batch(files[: max(1, -(-sample // 500))])
    frags = [normalise(r) for r in raws][:sample]
    sents = []
    for f in frags:
        if f.outcome_description:
            s, e = rules.sentences(f.outcome_description)[0]
            sents.append(f.outcome_description[s:e])
        if f.contribution_others:
            sents += [f.contribution_others[s:e] for s, e in rules.sentences(f.contribution_others)]
    words = sum(len(s.split()) for s in sents)
    unique = list(dict.fromkeys(sents))
    nlp = language.nlp()
    t = time.perf_counter()
    for _ in nlp.pipe(unique, batch_size=64):
        pass
    cold = time.perf_counter() - t
    out["parse_sentences"] = len(sents)
    out["parse_unique_sentences"] = len(unique)
    out["parse_words"] = words
    out["parse_cold_words_per_s"] = sum(len(s.split()) for s in unique) / cold
    out["parse_memoised_words_per_s"] = words / cold  # repeats cost nothing

    language._memo.clear()
    for name, pipeline in (("full", PIPELINE),
                           ("rules_only", {**PIPELINE, "finders": tuple(f for f in PIPELINE["finders"]
                                                                          if f not in ("entity", "subject"))})):
        resolver = ActorResolver.from_registry(config.default_registry())
        resolver.pipeline = pipeline
        t = time.perf_counter()
        for f in frags:
            resolver.resolve(f)
        out[f"resolve_{name}_fragments_per_s"] = len(frags) / (time.perf_counter() - t)
    out["resolve_fragments"] = len(frags)
    if ingest:
        store = WORK / "stores" / f"extract-bench-{count}"
        reg = config.default_registry()
        res = run_child("benchmarks.ingest.bench_ingest", "ingest", data, store, *([reg] if reg else []), timeout=3600)
        out["ingest_fragments"] = res.get("fragments")
        out["ingest_seconds"] = res.get("seconds")
        out["ingest_fragments_per_s"] = res["fragments"] / res["seconds"] if res.get("seconds") else None
        out["ingest_peak_rss_mb"] = res.get("peak_rss_mb")
        out["load_average_after"] = os.getloadavg()[0]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--sample", type=int, default=1_000)
    ap.add_argument("--no-ingest", action="store_true")
    args = ap.parse_args()
    res = measure(args.count, args.sample, not args.no_ingest)
    width = max(map(len, res))
    for k, v in res.items():
        print(f"{k:<{width}}  {v:,.2f}" if isinstance(v, float) else f"{k:<{width}}  {v}")
    emit(res)


if __name__ == "__main__":
    main()
