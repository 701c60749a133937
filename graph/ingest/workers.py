"""Mapping a big batch in worker processes, one file per task, as N-Quads text for the bulk loader."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from ..errors import BatchError, HarvestError, Problem
from ..mapping import map_all
from ..read import read_file
from ..resolve import Resolver
from ..store import fragment_nquads
from .batch import IngestReport, Progress, normalise_all
from .keys import hashed_lines, pipeline_key, record_key
from .links import hidden_outcomes, redact_links


# A streamed batch is mapped by this many worker processes (1: in this process). Reading, extraction and
# mapping are pure Python, one core per process; the bulk loader works in Rust threads beside them.
WORKERS = min(os.cpu_count() or 1, 4)


@dataclass
class _FileMapped:
    """One file's fragments as mapped by a worker: N-Quads text of their graphs, union copies and hashes."""
    nquads: bytes
    quads: int
    fragments: int
    confidential: int
    warnings: list[Problem]
    problems: list[Problem]


_worker: tuple[Resolver, set[str], frozenset[str], str] | None = None


def _init_worker(resolver: Resolver, confidential: set[str], skip: frozenset[str], pipeline: str) -> None:
    global _worker
    _worker = (resolver, hidden_outcomes(confidential), skip, pipeline)


def _map_file(path: Path) -> _FileMapped:
    """In a worker: read, normalise, resolve and map one file (what :func:`iter_mapped` does per fragment)."""
    assert _worker is not None
    resolver, hidden, skip, pipeline = _worker
    try:
        raws = read_file(path)
    except HarvestError as exc:  # the file changed since it was first read
        return _FileMapped(b"", 0, 0, 0, [], [exc.problem])
    frags, problems = normalise_all([r for r in raws if r.fragment_id not in skip] if skip else raws)
    text: list[str] = []
    warnings: list[Problem] = []
    quads = confidential = 0
    for frag, m in map_all(frags, resolver):
        m.record_key = record_key(frag.raw, pipeline)  # (no FragmentID twice in a batch mapped by workers)
        m = redact_links(m, hidden)
        lines = hashed_lines(m)  # each quad printed once, by the mapping: its lines go to the loader as they are
        text.append(fragment_nquads(m.graph.value, lines))
        quads += len(lines)
        confidential += frag.is_confidential
        warnings.extend(frag.warnings)
    return _FileMapped("".join(text).encode(), quads, len(frags), confidential, warnings, problems)


def map_in_workers(files: Sequence[Path], total: int, resolver: Resolver, confidential: set[str],
                    report: IngestReport, problems: list[Problem], progress: Progress | None,
                    skip: frozenset[str] = frozenset(), pipeline: str | None = None) -> Iterator[bytes]:
    """N-Quads text of the batch, file by file in the files' order, mapped in ``WORKERS`` processes.
    ``pipeline``: the batch's :func:`pipeline_key` (the record keys' pipeline), if the caller has it.
    Raises BatchError at the end if any problem turned up, which aborts the rebuild (store unchanged).
    The workers are forked: "spawn" would re-run the caller's main module, which breaks any script that
    lacks an ``if __name__ == "__main__"`` guard; a forked worker runs only Python code (no store call)."""
    ctx = multiprocessing.get_context("fork")
    todo = iter(files)
    # the batch's pipeline key, computed once by the caller (each worker hashed the pipeline's code again)
    pipeline = pipeline or pipeline_key(resolver)
    # The objects the workers inherit (the language model, the gazetteer, the registry: ~35 MB of pages the
    # collector writes to) are kept out of the workers' collections: a worker's full collection walked them
    # (~80 ms each) and its writes copied those pages into every worker (Private_Dirty 1 -> 35 MB after a
    # collection in a forked child; 1 MB with the freeze: 2026-12-01). This process collects them as before.
    gc.freeze()
    try:
        pool = ctx.Pool(WORKERS, _init_worker, (resolver, confidential, skip, pipeline))
    finally:
        gc.unfreeze()
    with pool:
        # A bounded window of files in flight: workers map faster than the loader loads, and results
        # waiting in this process would pile up (Pool.imap has no back-pressure).
        pending = deque(pool.apply_async(_map_file, (path,)) for path in islice(todo, 2 * WORKERS))
        while pending:
            res = pending.popleft().get()
            if (path := next(todo, None)) is not None:
                pending.append(pool.apply_async(_map_file, (path,)))
            problems.extend(res.problems)
            report.warnings.extend(res.warnings)
            report.fragments += res.fragments
            report.added += res.fragments
            report.confidential += res.confidential
            report.quads_written += res.quads
            if progress:
                progress("map", report.fragments, total)
            yield res.nquads
    if problems:
        raise BatchError(problems)
