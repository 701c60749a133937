"""CPU seconds per stage of the map stage, in one process, as a forked ingest worker does it (read, normalise,
resolve with the language pipeline, map, record key, redaction, N-Quads text for the loader), file by file:

    python -m benchmarks.ingest.stage_cpu DATA [REGISTRY] [--table]

``--table``: the figures as a table (ms of CPU a fragment and share per stage, the language pipeline beside
everything else) after the JSON, as docs/performance.md quotes them.

Each stage is timed with ``time.thread_time`` (CPU of this thread, not wall: the figures hold on a shared
machine better than wall time does), by wrapping the functions the worker calls. The language pipeline is
split into spaCy itself (``nlp.pipe``, which includes tokenising) and turning its Docs into tuples
(``_summarise``); "resolve (rules, finders, places)" is :meth:`ActorResolver.resolve` and ``prefetch`` less
the language pipeline and the learnt span model (``span model``: its tokenizer and recogniser, the first
call loading it). Also printed: sentences and words parsed, words per CPU-second of spaCy, the memo's
hits, and the model load."""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path


def main(data: str, registry: str | None = None) -> dict:
    t = time.thread_time
    cpu: dict[str, float] = defaultdict(float)
    t0 = t()
    from harvestgraph import config
    from harvestgraph.actors import language
    from harvestgraph.ingest.batch import normalise_all
    from harvestgraph.ingest.keys import hashed_lines, pipeline_key, record_key
    from harvestgraph.ingest.links import redact_links
    from harvestgraph.mapping import map_fragment
    from harvestgraph.read import read_file
    from harvestgraph.store import fragment_nquads
    cpu["imports"] = t() - t0
    t0 = t()
    resolver = config.make_resolver(Path(registry) if registry else None)
    resolver.warm()
    cpu["resolver and model load"] = t() - t0
    pipeline = pipeline_key(resolver)

    counts = {"texts": 0, "words": 0, "memo hits": 0, "memo misses": 0}
    pipe, summarise = language._pipe, language._summarise

    def timed_pipe(texts, disable=()):
        it = pipe(texts, disable)
        while True:
            s = t()
            try:
                doc = next(it)
            except StopIteration:
                cpu["spaCy (nlp.pipe)"] += t() - s
                return
            cpu["spaCy (nlp.pipe)"] += t() - s
            counts["texts"] += 1
            counts["words"] += len(doc)
            yield doc

    def timed_summarise(doc, english, truncated):
        s = t()
        try:
            return summarise(doc, english, truncated)
        finally:
            cpu["Doc to tuples (_summarise)"] += t() - s

    parse_many = language.parse_many

    def counted_parse_many(texts):
        hits = sum(x in language._memo for x in texts)
        counts["memo hits"] += hits
        counts["memo misses"] += len(texts) - hits
        return parse_many(texts)

    language._pipe, language._summarise, language.parse_many = timed_pipe, timed_summarise, counted_parse_many
    from harvestgraph.actors.finders import learnt

    def timed_learnt(fn):
        def timed(arg):
            s = t()
            try:
                return fn(arg)
            finally:
                cpu["span model (learnt finder)"] += t() - s
        return timed

    learnt._spans, learnt.prefetch = timed_learnt(learnt._spans), timed_learnt(learnt.prefetch)
    n = 0
    for path in sorted(Path(data).glob("*.txt")):
        s = t()
        raws = read_file(path)
        cpu["read"] += t() - s
        s = t()
        frags, _ = normalise_all(raws)
        cpu["normalise"] += t() - s
        it = iter(resolver.prefetching(frags))
        while True:
            s = t()
            frag = next(it, None)
            if frag is None:
                cpu["resolve (rules, finders, places)"] += t() - s
                break
            res = resolver.resolve(frag)
            cpu["resolve (rules, finders, places)"] += t() - s
            s = t()
            m = map_fragment(frag, res)
            cpu["map (terms, quads, digest)"] += t() - s
            s = t()
            m.record_key = record_key(frag.raw, pipeline)
            m = redact_links(m, frozenset())
            cpu["record key, redaction"] += t() - s
            s = t()
            fragment_nquads(m.graph.value, hashed_lines(m))
            cpu["N-Quads text"] += t() - s
            n += 1
    lang = cpu["spaCy (nlp.pipe)"] + cpu["Doc to tuples (_summarise)"] + cpu["span model (learnt finder)"]
    cpu["resolve (rules, finders, places)"] -= lang
    per = {k: round(1000 * v / n, 3) for k, v in cpu.items() if k not in ("imports", "resolver and model load")}
    out = {"fragments": n, "cpu_s": {k: round(v, 3) for k, v in cpu.items()}, "ms_per_fragment": per,
           "ms_per_fragment_total": round(sum(per.values()), 3), **counts,
           "words_per_fragment": round(counts["words"] / n, 1),
           "spacy_words_per_cpu_s": round(counts["words"] / max(cpu["spaCy (nlp.pipe)"], 1e-9)),
           "memo_entries": len(language._memo), "load_average": [round(x, 2) for x in __import__("os").getloadavg()]}
    return out


LANGUAGE_STAGES = ("spaCy (nlp.pipe)", "Doc to tuples (_summarise)", "span model (learnt finder)")


def table(out: dict) -> str:
    """The per-fragment figures of :func:`main` as a Markdown table, each stage's share of the total, the
    language pipeline (spaCy and its Docs to tuples) and the rest summed apart."""
    per, total = out["ms_per_fragment"], out["ms_per_fragment_total"]
    rows = ["| stage | ms of CPU a fragment | share |", "|---|---:|---:|"]
    rows += [f"| {k} | {v:.2f} | {100 * v / total:.0f} % |" for k, v in per.items() if v]
    lang = sum(per.get(k, 0.0) for k in LANGUAGE_STAGES)
    rows += [f"| *language pipeline* | *{lang:.2f}* | *{100 * lang / total:.0f} %* |",
             f"| *everything else* | *{total - lang:.2f}* | *{100 * (total - lang) / total:.0f} %* |",
             f"| **the workers' part, in one process** | **{total:.2f}** | |"]
    return "\n".join(rows) + (f"\n\n{out['fragments']:,} fragments, {out['words_per_fragment']} words parsed a fragment, "
                              f"{out['spacy_words_per_cpu_s']:,} words a CPU-second of spaCy, load {out['load_average']}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--table"]
    if not 1 <= len(args) <= 2 or any(a.startswith("-") for a in args) or not Path(args[0]).exists():
        sys.exit(__doc__ if not args or args[0] in ("-h", "--help") else f"stage_cpu: no such folder or bad "
                 f"arguments: {' '.join(sys.argv[1:])}\n\n{__doc__}")
    result = main(*args)
    print(json.dumps(result, indent=1))
    if "--table" in sys.argv[1:]:
        print(table(result))
