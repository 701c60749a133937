"""The map stage is linear (issue 14): resolving and mapping the same 100 fragments costs the same work
whether the batch mapped 500 or 5,000 fragments before them (the map stage once took 950 s at 100k
against 56 s at 10k). Work is counted, not timed (the machine is shared and timed tests are load-sensitive):
the Python calls and lines executed by the map stage — resolution (registry, rules, fuzzy suggestions,
gazetteer), mapping, link redaction, N-Quads for the loader — on the sample, after the rest of the batch
went through the same resolver. The timings are in benchmarks/ (``bench_ingest map``)."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

from harvestgraph.ingest import iter_mapped, read_fragments, with_hash
from harvestgraph.store import nquads_text

from tests.conftest import make_resolver

REPO = Path(__file__).resolve().parents[2]
SIZES = (500, 5000)  # 10x apart; 2k/20k through spaCy took over 10 minutes of CI (bench_ingest map has 2k/20k)
SAMPLE = 100


def _generator():
    spec = importlib.util.spec_from_file_location("generate", REPO / "benchmarks" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class WorkCounter:
    """Python calls and line events while on (sys.settrace): deterministic for the same input and state."""

    def __init__(self) -> None:
        self.counts: Counter = Counter()

    def _trace(self, frame, event, arg):
        self.counts[event] += 1
        return self._trace

    def __enter__(self):
        sys.settrace(self._trace)
        return self

    def __exit__(self, *exc):
        sys.settrace(None)


def work_on_sample(folder: Path, n: int, sample_text: str) -> Counter:
    gen = _generator()
    folder.mkdir()
    gen.write_text(gen.generate(n, seed=42), folder, 500)
    (folder / "zz_sample.txt").write_text(sample_text, encoding="utf-8")
    fragments, problems, _ = read_fragments([folder])
    assert not problems and len(fragments) == n + SAMPLE
    resolver = make_resolver()
    confidential = {f.id for f in fragments if f.is_confidential}
    counts = Counter(f.id for f in fragments)
    warnings: list = []
    mapped = iter_mapped(iter(fragments), resolver, confidential, problems, warnings, counts=counts, pipeline="test")
    for _ in range(n):  # the rest of the batch, through the same resolver (its memos, the batch's sets)
        nquads_text(with_hash(next(mapped)))
    with WorkCounter() as work:
        for m in mapped:
            nquads_text(with_hash(m))
    assert not problems
    return work.counts


@pytest.mark.slow
def test_map_stage_work_per_fragment_does_not_grow_with_the_batch(tmp_path):
    gen = _generator()
    sample = [{**f, "FragmentID": "ZZ" + f["FragmentID"]} for f in gen.generate(SAMPLE, seed=5)]
    text = "---\n".join(gen.to_text(f) for f in sample)
    small, large = (work_on_sample(tmp_path / str(n), n, text) for n in SIZES)
    for event in ("call", "line"):
        per_small, per_large = small[event] / SAMPLE, large[event] / SAMPLE
        print(f"{event}s per fragment: {per_small:,.0f} after {SIZES[0]:,}, {per_large:,.0f} after {SIZES[1]:,}")
        assert per_small > 100
        assert per_large < 1.3 * per_small, (event, per_small, per_large)
