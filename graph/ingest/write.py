"""Writing a batch: what changed, in one transaction (:func:`write_batch`), or a big batch of new
fragments streamed into the bulk loader (:func:`write_streaming`)."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from ..errors import BatchError, Problem
from ..mapping import MappedFragment, N
from ..normalise import Fragment
from ..resolve import Resolver
from ..store import GraphStore, fragment_nquads
from ..vocab import HG, REGISTRY_GRAPH, fragment_graph
from . import workers
from .batch import IngestReport, Progress, normalise_all, read_each
from .keys import hash_quad, hashed_lines, join_hash, pipeline_key, split_hash, with_hash
from .links import redact_stored_links
from .pipeline import iter_mapped
from .pool import ForkedMapper, MappingPool
from .provenance import ProvenancePatch


_FLAG = N(HG.isConfidential)


def _registry_changes(existing: dict[str, str], registry: Sequence[ox.Quad]) -> tuple[list[str], list[ox.Quad]]:
    """The registry graph to drop and its quads to add, when the registry changed since the last ingest."""
    if not registry:
        return [], []
    digest = hashlib.sha256("\n".join(sorted(map(str, registry))).encode()).hexdigest()
    g = N(str(REGISTRY_GRAPH))
    if split_hash(existing.get(g.value))[0] == digest:
        return [], []
    return [g.value], [*registry, ox.Quad(g, N(HG.contentHash), ox.Literal(digest), g)]


def write_batch(store: GraphStore, mapped: Sequence[MappedFragment], report: IngestReport,
                registry: Sequence[ox.Quad] = (), existing: dict[str, str] | None = None,
                moved: ProvenancePatch | None = None) -> None:
    """Write what changed. ``existing``: the stored hashes of (at least) the batch's graphs and the
    registry graph (default: every stored hash, a scan of the store); ``moved``: the provenance of
    unchanged fragments read elsewhere, rewritten in the same transaction."""
    if existing is None:
        existing = store.content_hashes()
    drop, quads = _registry_changes(existing, registry)
    remove: list[ox.Quad] = []
    printed: list[tuple[str, list[str]]] = []  # the fragment graphs as the mapping printed them (not read back)
    for m in mapped:
        old = existing.get(m.graph.value)
        content, key = split_hash(old)
        if content == m.content_hash:
            report.unchanged += 1
            if key != m.record_key and m.record_key is not None:  # same quads from a new pipeline: note it
                remove.append(hash_quad(m.graph, old))  # type: ignore[arg-type]
                quads.append(hash_quad(m.graph, join_hash(m.content_hash, m.record_key)))
                if m.fragment is not None and m.fragment.is_confidential:
                    # its flag with it: a backend filing each written fragment graph under the readers'
                    # scopes by the flag it carries (stores/virtuoso.scope_quads) must not take it for public
                    quads.extend(q for q in m.quads if q.predicate == _FLAG)
            continue
        if old is None:
            report.added += 1
        else:
            report.replaced += 1
            drop.append(m.graph.value)
        printed.append((m.graph.value, hashed_lines(m)))
    if moved is not None:
        quads.extend(moved.add)
        remove.extend(moved.remove)
    if drop or quads or remove or printed:
        store.write_printed(drop, quads, printed, remove=remove)
    report.quads_written = len(quads) + sum(len(lines) for _, lines in printed)


# The text of this many fragments is handed to the bulk loader at a time (~40k quads, ~6 MB).
STREAM_BLOB_FRAGMENTS = 200

# A batch of at least this many fragments, none of them already stored, streams into the bulk loader
# (:meth:`EmbeddedStore.rebuild`): memory stays bounded however big the batch (a funder's portfolio).
BULK_MIN_FRAGMENTS = 1000


def can_stream(store: GraphStore, fragments: Sequence[Fragment], problems: Sequence[Problem],
                existing: dict[str, str]) -> bool:
    """Streaming needs a store that can rebuild, a big batch with no problem found so far (else the
    batch is mapped in memory to list every problem) and no fragment already stored (whether an
    already stored fragment changed is only known after mapping it, too late to drop its graph)."""
    if not hasattr(store, "rebuild") or getattr(store, "read_only", False) or problems:
        return False
    if len(fragments) < BULK_MIN_FRAGMENTS:
        return False
    return not any(str(fragment_graph(f.id)) in existing for f in fragments)


def write_streaming(store: GraphStore, files: Sequence[Path], counts: Counter[str], targets: Sequence[str],
                     resolver: Resolver, confidential: set[str], existing: dict[str, str], report: IngestReport,
                     progress: Progress | None, skip: frozenset[str] = frozenset(),
                     repeat_keys: dict[str, str] | None = None, pipeline: str | None = None,
                     pool: MappingPool | None = None, moved: ProvenancePatch | None = None) -> None:
    """Map and write a batch of new fragments in one pass: the files are read again one at a time and
    their quads go straight into the bulk loader, so memory stays bounded however big the batch (the
    normalised fragments of 100,000 records would be about 1 GB). The batch is aborted (store unchanged)
    if a problem turns up while mapping. ``targets``: the batch's confidential FragmentIDs; ``skip``: the
    FragmentIDs found unchanged (not mapped again); ``pipeline``: the batch's :func:`pipeline_key`, if known;
    ``pool``: resident mapping processes (:mod:`.pool`), used instead of forking workers (the caller may
    be a server with threads, where a fork is unsafe); ``moved``: the provenance of unchanged fragments
    read elsewhere, rewritten in the same rebuild."""
    drop, head = _registry_changes(existing, resolver.registry_quads())
    remove = list(moved.remove) if moved is not None else []
    if moved is not None:
        head.extend(moved.add)
    pipeline = pipeline or pipeline_key(resolver)
    for patch in redact_stored_links(store, targets):  # (no fragment of a streamed batch is stored yet)
        drop.append(patch.graph.value)
        head.extend(with_hash(patch))
        report.replaced += 1
    problems: list[Problem] = []

    def fragments() -> Iterator[Fragment]:
        for raws in read_each(files, None):
            done, failed = normalise_all([r for r in raws if r.fragment_id not in skip] if skip else raws)
            problems.extend(failed)  # the files changed since they were first read
            yield from done

    if pool is None and workers.WORKERS > 1 and len(files) > 1 and max(counts.values()) == 1:
        # No FragmentID twice (a repeat is checked against its first occurrence, which a worker mapping
        # another file does not have): map the files in worker processes.
        store.rebuild(drop, head, remove=remove, nquads=workers.map_in_workers(files, counts.total(), resolver, confidential,
                                                         report, problems, progress, skip, pipeline))
        report.quads_written += len(head)
        return

    def nquads(mapper) -> Iterator[bytes]:
        """The batch's N-Quads text from the lines the mapping printed (never read back into terms), in
        blobs of ~STREAM_BLOB_FRAGMENTS fragments; raises BatchError at the end (the rebuild is aborted)."""
        blob: list[str] = []
        for m in iter_mapped(fragments(), resolver, confidential, problems, report.warnings, progress, counts=counts,
                             pipeline=pipeline, repeat_keys=repeat_keys, pool=mapper):
            report.fragments += 1
            report.added += 1
            report.confidential += m.fragment.is_confidential
            lines = hashed_lines(m)
            report.quads_written += len(lines)
            blob.append(fragment_nquads(m.graph.value, lines))
            if len(blob) >= STREAM_BLOB_FRAGMENTS:
                yield "".join(blob).encode()
                blob = []
        if blob:
            yield "".join(blob).encode()
        if problems:
            raise BatchError(problems)

    # a file of many new fragments (no worker of its own per file to share it): mapped in chunks on every core
    with ForkedMapper.serving(counts.total() - len(skip), resolver, pool) as mapper:
        store.rebuild(drop, head, nquads=nquads(mapper), remove=remove)
    report.quads_written += len(head)
