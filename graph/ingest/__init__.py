"""Ingest: read → normalise → resolve → map → store, as one atomic batch.

Every file is read and every fragment normalised and mapped BEFORE the store is touched; any error
anywhere aborts the batch with all problems listed and the store unchanged. Unchanged fragments
(same content hash) are not rewritten, so re-ingesting the same files changes nothing; an edited
fragment's graph is dropped and rewritten in the same transaction, so no stale triple survives.

Nothing is redone: each raw record's key (:func:`keys.record_key`: the record as read plus the pipeline
that maps it, registry included) is stored beside the content hash of its graph. A fragment whose key is
the stored one is neither normalised, resolved nor mapped: it costs a hash and a lookup (one query per
file for the hashes of its fragments, :mod:`.scan`). A fragment whose key changed is mapped again and
rewritten only if its quads changed (an edited registry re-maps every fragment but rewrites only those
it affects). The key leaves out where the record was read (path as given, lines): a fragment read by
another path or at another line has only its provenance quads rewritten (:mod:`.provenance`).

One module per concern: :mod:`.batch` (reading), :mod:`.scan` (what is already stored), :mod:`.keys`
(record keys and the stored hash), :mod:`.pipeline` (resolve and map), :mod:`.links` (links to
confidential outcomes), :mod:`.write` (one transaction, or streaming into the bulk loader) and
:mod:`.workers` (mapping in worker processes), :mod:`.provenance` (where an unchanged record was read).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ..errors import BatchError, Problem
from ..resolve import Resolver
from ..store import GraphStore
from ..vocab import REGISTRY_GRAPH
from .batch import IngestReport, Progress, files_of, normalise_all, read_batch, read_fragments
from .keys import pipeline_key, record_key, with_hash
from .links import redact_public_links, redact_stored_links
from .pipeline import iter_mapped, prepare
from .pool import ForkedMapper, MappingPool
from .scan import refill, scan_batch
from .write import can_stream, write_batch, write_streaming

__all__ = ["IngestReport", "Progress", "ingest", "iter_mapped", "normalise_all", "pipeline_key", "prepare",
           "read_batch", "read_fragments", "record_key", "redact_public_links", "with_hash", "write_batch"]


def ingest(paths: Iterable[Path], store: GraphStore, resolver: Resolver | None = None,
           progress: Progress | None = None, pool: MappingPool | None = None) -> IngestReport:
    """Ingest the files as one atomic batch. ``pool``: resident mapping processes (:mod:`.pool`, used by
    :mod:`.watch`) that map the batch, in memory or streamed (else a big batch of new fragments is mapped
    by worker processes forked for it)."""
    resolver = resolver or Resolver()
    files = files_of(list(paths))
    pipeline = pipeline_key(resolver)
    scan = scan_batch(files, store, pipeline, progress,
                      lean=hasattr(store, "rebuild") and not getattr(store, "read_only", False))
    existing = {**scan.stored, **store.content_hashes([str(REGISTRY_GRAPH)])}
    if scan.lean and not can_stream(store, scan.fragments, scan.problems, existing):
        refill(files, scan)  # (rare: a problem or a stored fragment late in a big batch of new ones)
    fragments, problems = scan.fragments, scan.problems
    confidential = scan.confidential
    skipped = len(scan.unchanged)
    report = IngestReport(files=scan.files, fragments=skipped, unchanged=skipped, moved=len(scan.moved.fragments))
    if can_stream(store, fragments, problems, existing):
        counts = Counter(f.id for f in fragments)
        targets = sorted({f.id for f in fragments if f.is_confidential})
        del fragments  # read again file by file while streaming
        scan.fragments = []
        write_streaming(store, files, counts, targets, resolver, confidential, existing, report, progress,
                        frozenset(scan.unchanged), scan.repeat_keys, pipeline, pool, scan.moved)
        store.ensure_static()
        return report
    warnings: list[Problem] = []
    with ForkedMapper.serving(len(fragments), resolver, pool) as mapper:
        mapped = list(iter_mapped(fragments, resolver, confidential, problems, warnings, progress,
                                  pipeline=pipeline, repeat_keys=scan.repeat_keys, pool=mapper))
    if problems:
        raise BatchError(problems)
    store.ensure_static()
    report.fragments += len(mapped)
    report.warnings = warnings
    report.confidential = sum(m.fragment.is_confidential for m in mapped)
    patches = redact_stored_links(store, [m.fragment.id for m in mapped if m.fragment.is_confidential],
                                  [m.graph.value for m in mapped])
    if patches:
        existing.update(store.content_hashes([p.graph.value for p in patches]))
    write_batch(store, [*mapped, *patches], report, resolver.registry_quads(), existing, scan.moved)
    return report
