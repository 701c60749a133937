"""Ingest: read → normalise → resolve → map → store, as one atomic batch.

Every file is read and every fragment normalised and mapped BEFORE the store is touched; any error
anywhere aborts the batch with all problems listed and the store unchanged. Unchanged fragments
(same content hash) are not rewritten, so re-ingesting the same files changes nothing; an edited
fragment's graph is dropped and rewritten in the same transaction, so no stale triple survives.

Nothing is redone: each raw record's key (:func:`record_key`: the record as read plus the pipeline that
maps it, registry included) is stored beside the content hash of its graph. A fragment whose key is the
stored one is neither normalised, resolved nor mapped: it costs a hash and a lookup (one query per
file for the hashes of its fragments). A fragment whose key changed is mapped again and rewritten only
if its quads changed (an edited registry re-maps every fragment but rewrites only those it affects).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from .errors import BatchError, HarvestError, Problem
from .mapping import MAPPING_VERSION, MappedFragment, map_fragment, N
from .normalise import Fragment, normalise
from .read import RawFragment, expand_paths, read_file
from .resolve import Resolver
from .resources import ontology_path
from .store import MODEL_VERSION, UNION_GRAPHS, GraphStore, nquads_text, own_resources
from .vocab import (CONFIDENTIAL_UNION_GRAPH, HG, PUBLIC_UNION_GRAPH, REGISTRY_GRAPH, fragment_graph,
                    fragment_id_from_iri, outcome_iri)

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class IngestReport:
    files: int = 0
    fragments: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    quads_written: int = 0
    confidential: int = 0
    warnings: list[Problem] = field(default_factory=list)


def _describe(raw: RawFragment) -> str:
    return f"{raw.source_file}:{raw.line}"


def _files(paths: Iterable[Path]) -> list[Path]:
    files = expand_paths(paths)
    if not files:
        raise HarvestError("no .md/.txt, .csv or .xlsx files found", file=", ".join(str(p) for p in paths))
    return files


def _read_each(files: Sequence[Path], progress: Progress | None,
               display: Callable[[Path], str] | None = None) -> Iterator[list[RawFragment]]:
    """The raw fragments of each file in turn; at the end, BatchError listing every file that could not
    be read at all (nothing of such a batch is mapped: a broken file is reported first)."""
    for _, raws in _read_each_file(files, progress, display):
        yield raws


def _read_each_file(files: Sequence[Path], progress: Progress | None,
                    display: Callable[[Path], str] | None = None) -> Iterator[tuple[Path, list[RawFragment]]]:
    """(file, its raw fragments) in turn, as :func:`_read_each`."""
    unreadable: list[Problem] = []
    for i, path in enumerate(files, 1):
        try:
            raws = read_file(path, display(path) if display else None)
        except HarvestError as exc:
            unreadable.append(exc.problem)
        else:
            yield path, raws
        if progress:
            progress("read", i, len(files))
    if unreadable:
        raise BatchError(unreadable)


def read_batch(paths: Iterable[Path], progress: Progress | None = None,
               display: Callable[[Path], str] | None = None) -> tuple[list[RawFragment], int]:
    files = _files(list(paths))
    return [raw for raws in _read_each(files, progress, display) for raw in raws], len(files)


def read_fragments(paths: Iterable[Path], progress: Progress | None = None) -> tuple[list[Fragment], list[Problem], int]:
    """Every fragment of the files, normalised, and the problems of those that do not normalise, read
    one file at a time: a big batch never holds the raw records of every file and their normalised forms
    at once (the normalised fragment keeps its raw record)."""
    files = _files(list(paths))
    fragments: list[Fragment] = []
    problems: list[Problem] = []
    for raws in _read_each(files, progress):
        done, failed = normalise_all(raws)
        fragments.extend(done)
        problems.extend(failed)
    return fragments, problems, len(files)


def prepare(raws: Sequence[RawFragment], resolver: Resolver, progress: Progress | None = None,
            stored_confidential: Iterable[str] = ()) -> tuple[list[MappedFragment], list[Problem]]:
    """Normalise, resolve and map every fragment; raise BatchError listing every problem.
    ``stored_confidential``: FragmentIDs of confidential fragments already in the store (their outcomes
    must not be named by links in public graphs, see :func:`redact_public_links`)."""
    fragments, problems = normalise_all(raws)
    warnings: list[Problem] = []
    confidential = {f.id for f in fragments if f.is_confidential} | set(stored_confidential)
    batch = list(iter_mapped(fragments, resolver, confidential, problems, warnings, progress))
    if problems:
        raise BatchError(problems)
    return batch, warnings


def normalise_all(raws: Sequence[RawFragment]) -> tuple[list[Fragment], list[Problem]]:
    """Every fragment that normalises, and the problems of those that do not."""
    problems: list[Problem] = []
    fragments: list[Fragment] = []
    for raw in raws:
        try:
            fragments.append(normalise(raw))
        except HarvestError as exc:
            problems.append(exc.problem)
    return fragments, problems


def iter_mapped(fragments: Iterable[Fragment], resolver: Resolver, confidential: set[str],
                problems: list[Problem], warnings: list[Problem], progress: Progress | None = None,
                *, counts: Counter[str] | None = None, pipeline: str | None = None,
                repeat_keys: dict[str, str] | None = None) -> Iterator[MappedFragment]:
    """Resolve and map fragments one at a time (so a big batch can stream into the bulk loader),
    appending problems and warnings. A FragmentID seen twice is read once when both say the same
    (the first one is mapped again to compare: rare, and it keeps no mapped fragment in memory),
    else it is a problem. Links from public fragments to ``confidential`` outcomes are redacted.
    ``counts``: how often each FragmentID occurs in the batch, when ``fragments`` is an iterator
    (the streaming path re-reads the files rather than hold every normalised fragment).
    ``pipeline``: :func:`pipeline_key`, to give each mapped fragment its :func:`record_key`;
    ``repeat_keys``: the :func:`repeat_key` of each FragmentID the batch repeats (one without a key is
    mapped again next time)."""
    if counts is None:
        fragments = list(fragments)
        counts = Counter(f.id for f in fragments)
    total = counts.total()
    first: dict[str, Fragment] = {}  # only the FragmentIDs that occur more than once
    hidden = hidden_outcomes(confidential)
    for i, frag in enumerate(resolver.prefetching(fragments)):  # the language pipeline reads chunks together
        mapped = map_fragment(frag, resolver.resolve(frag))
        if pipeline is not None and counts[frag.id] == 1:
            mapped.record_key = record_key(frag.raw, pipeline)
        if counts[frag.id] == 1:
            warnings.extend(frag.warnings)
            yield redact_links(mapped, hidden)
        elif (prior := first.get(frag.id)) is not None:
            if _same_content(map_fragment(prior, resolver.resolve(prior)), mapped):
                warnings.append(Problem(frag.raw.source_file, frag.raw.line, "FragmentID",
                                        f"{frag.id!r} repeats {_describe(prior.raw)} with the same values; read once"))
            else:
                problems.append(Problem(frag.raw.source_file, frag.raw.line, "FragmentID",
                                        f"duplicate FragmentID {frag.id!r} with different values (first at "
                                        f"{_describe(prior.raw)}); fix one of them"))
        else:
            first[frag.id] = frag
            warnings.extend(frag.warnings)
            if repeat_keys is not None:
                mapped.record_key = repeat_keys.get(frag.id)
            yield redact_links(mapped, hidden)
        if progress and ((i + 1) % 200 == 0 or i + 1 == total):
            progress("map", i + 1, total)


def redact_public_links(mapped: Sequence[MappedFragment], confidential_ids: set[str]) -> list[MappedFragment]:
    """Drop hg:buildsOn links from PUBLIC fragments to CONFIDENTIAL outcomes.

    The link would sit in the public graph and name the confidential outcome's IRI, and with it the
    FragmentID. Links between confidential fragments, or from a confidential one to a public one, stay.
    The content hash changes with what was dropped, so a fragment is rewritten when a target it builds
    on becomes confidential."""
    hidden = hidden_outcomes(confidential_ids)
    return [redact_links(m, hidden) for m in mapped]


def hidden_outcomes(confidential_ids: Iterable[str]) -> set[ox.NamedNode]:
    """The outcome IRIs of confidential fragments (computed once per batch, not per fragment)."""
    return {N(str(outcome_iri(i))) for i in confidential_ids}


_BUILDS_ON = N(str(HG.buildsOn))


def redact_links(m: MappedFragment, hidden: set[ox.NamedNode]) -> MappedFragment:
    """One fragment without its links to ``hidden`` outcomes (see :func:`redact_public_links`)."""
    if not hidden or m.fragment.is_confidential:
        return m
    keep = [q for q in m.quads if not (q.predicate == _BUILDS_ON and q.object in hidden)]
    if len(keep) == len(m.quads):
        return m
    digest = hashlib.sha256(f"{m.content_hash}\nredacted {len(m.quads) - len(keep)}".encode()).hexdigest()
    # Whether the link stays hidden depends on the other fragment: the key names the outcomes it hid,
    # and the fragment is skipped next time only while they are all still confidential (scan_batch).
    dropped = sorted({q.object.value for q in m.quads if q.predicate == _BUILDS_ON and q.object in hidden})
    key = f"{m.record_key}{_HIDES}{' '.join(dropped)}" if m.record_key else None
    return replace(m, quads=keep, content_hash=digest, record_key=key)


_HIDES = "~"  # record key ~ the outcome IRIs a public fragment's links to were hidden (space-separated)


def split_key(key: str | None) -> tuple[str | None, set[str]]:
    """(the record key, the outcome IRIs whose links it hides) of a stored key."""
    if not key:
        return None, set()
    base, _, hides = key.partition(_HIDES)
    return base, set(hides.split())


def redact_stored_links(store: GraphStore, confidential_ids: Iterable[str],
                        rewritten: Iterable[str] = ()) -> list[MappedFragment]:
    """Public graphs already stored (and not rewritten by this batch: ``rewritten`` graph IRIs) that build
    on an outcome this batch makes confidential (``confidential_ids``): rewritten without those links, in
    the same transaction as the batch.
    (Returned as MappedFragments with ``fragment=None``: only graph, quads and hash are written.)"""
    targets = sorted(set(confidential_ids))
    if not targets:
        return []
    in_batch = set(rewritten)
    values = " ".join(f"<{outcome_iri(i)}>" for i in targets)
    # The links are facts of the linking outcome: in its union graph (store.placement), the public one here.
    hits = store.select(f"SELECT DISTINCT ?s WHERE {{ VALUES ?o {{ {values} }} "
                        f"GRAPH <{PUBLIC_UNION_GRAPH}> {{ ?s <{HG.buildsOn}> ?o }} }}")
    if not hits:
        return []
    candidates = sorted({str(fragment_graph(fragment_id_from_iri(r["s"].value))) for r in hits} - in_batch)
    public = set(candidates) - store.confidential_graphs(candidates)  # not a scan of every fragment graph
    hidden = {str(outcome_iri(i)) for i in targets}
    patches: list[MappedFragment] = []
    for g in sorted(public):
        rows = stored_fragment(store, g)
        node = N(g)
        old_hash = split_hash(next((r["o"].value for r in rows if r["p"].value == str(HG.contentHash)), ""))[0] or ""
        quads = [ox.Quad(r["s"], r["p"], r["o"], node) for r in rows
                 if r["p"].value != str(HG.contentHash)
                 and not (r["p"].value == str(HG.buildsOn) and r["o"].value in hidden)]
        digest = hashlib.sha256(f"{old_hash}\nredacted {len(rows) - 1 - len(quads)}".encode()).hexdigest()
        patches.append(MappedFragment(None, node, quads, digest))  # type: ignore[arg-type]
    return patches


def stored_fragment(store: GraphStore, graph: str) -> list[dict]:
    """Every triple a stored fragment states (rows ``s``, ``p``, ``o``), as it was mapped: its graph's, and
    the facts about its own resources, which are kept in its union graph only (store.placement)."""
    frag, outcome, contributions = own_resources(graph)
    rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    seen = {(r["s"], r["p"], r["o"]) for r in rows}
    for union in UNION_GRAPHS:
        for r in store.select(f"""SELECT ?s ?p ?o WHERE {{ GRAPH <{union}> {{
            {{ VALUES ?s {{ <{frag}> <{outcome}> }} ?s ?p ?o }}
            UNION {{ <{outcome}> <{HG.qualifiedContribution}> ?s . ?s ?p ?o }} }} }}"""):
            if (r["s"], r["p"], r["o"]) not in seen:
                seen.add((r["s"], r["p"], r["o"]))
                rows.append(r)
    return rows


def stored_confidential_ids(store: GraphStore) -> set[str]:
    """FragmentIDs of the confidential fragments already in the store."""
    return {fragment_id_from_iri(f) for f in store.union_fragments([str(CONFIDENTIAL_UNION_GRAPH)])}


def now_confidential(store: GraphStore, batch: Iterable[Fragment]) -> set[str]:
    """FragmentIDs confidential once ``batch`` is written: the stored ones, as the batch's new and
    edited records now say (a stored confidential fragment made public in the batch is public)."""
    ids = stored_confidential_ids(store)
    for f in batch:
        (ids.add if f.is_confidential else ids.discard)(f.id)
    return ids


_PROVENANCE = {str(HG.sourceFile), str(HG.sourceLine), str(HG.sourceFormat), str(HG.rawRecord)}


def _same_content(a: MappedFragment, b: MappedFragment) -> bool:
    """Equal but for where they were read from (the same fragment exported twice)."""
    def facts(m: MappedFragment) -> set[str]:
        return {f"{q.subject} {q.predicate} {q.object}" for q in m.quads
                if q.predicate.value not in _PROVENANCE}
    return facts(a) == facts(b)


def _registry_changes(existing: dict[str, str], registry: Sequence[ox.Quad]) -> tuple[list[str], list[ox.Quad]]:
    """The registry graph to drop and its quads to add, when the registry changed since the last ingest."""
    if not registry:
        return [], []
    digest = hashlib.sha256("\n".join(sorted(map(str, registry))).encode()).hexdigest()
    g = N(str(REGISTRY_GRAPH))
    if split_hash(existing.get(g.value))[0] == digest:
        return [], []
    return [g.value], [*registry, ox.Quad(g, N(HG.contentHash), ox.Literal(digest), g)]


def _with_hash(m: MappedFragment) -> list[ox.Quad]:
    """A fragment graph's quads plus its content-hash quad (what makes re-ingest idempotent)."""
    return [*m.quads, _hash_quad(m.graph, join_hash(m.content_hash, m.record_key))]


def _hash_quad(graph: ox.NamedNode, value: str) -> ox.Quad:
    return ox.Quad(graph, N(HG.contentHash), ox.Literal(value), graph)


def join_hash(content: str, key: str | None) -> str:
    """The stored hash literal: "CONTENT KEY" (the quads' digest, then the :func:`record_key` they were
    mapped from, "-" for none)."""
    return f"{content} {key or '-'}"


def split_hash(stored: str | None) -> tuple[str | None, str | None]:
    """(content digest, record key) of a stored hash literal (a bare digest: no record key)."""
    if not stored:
        return None, None
    content, _, key = stored.partition(" ")
    return content, (key if key and key != "-" else None)


def write_batch(store: GraphStore, mapped: Sequence[MappedFragment], report: IngestReport,
                registry: Sequence[ox.Quad] = (), existing: dict[str, str] | None = None) -> None:
    """Write what changed. ``existing``: the stored hashes of (at least) the batch's graphs and the
    registry graph (default: every stored hash, a scan of the store)."""
    if existing is None:
        existing = store.content_hashes()
    drop, quads = _registry_changes(existing, registry)
    remove: list[ox.Quad] = []
    for m in mapped:
        old = existing.get(m.graph.value)
        content, key = split_hash(old)
        if content == m.content_hash:
            report.unchanged += 1
            if key != m.record_key and m.record_key is not None:  # same quads from a new pipeline: note it
                remove.append(_hash_quad(m.graph, old))  # type: ignore[arg-type]
                quads.append(_hash_quad(m.graph, join_hash(m.content_hash, m.record_key)))
            continue
        if old is None:
            report.added += 1
        else:
            report.replaced += 1
            drop.append(m.graph.value)
        quads.extend(_with_hash(m))
    if drop or quads or remove:
        store.write(drop, quads, remove=remove)
    report.quads_written = len(quads)


# A batch of at least this many fragments, none of them already stored, streams into the bulk loader
# (:meth:`EmbeddedStore.rebuild`): memory stays bounded however big the batch (a funder's portfolio).
BULK_MIN_FRAGMENTS = 1000


def _can_stream(store: GraphStore, fragments: Sequence[Fragment], problems: Sequence[Problem],
                existing: dict[str, str]) -> bool:
    """Streaming needs a store that can rebuild, a big batch with no problem found so far (else the
    batch is mapped in memory to list every problem) and no fragment already stored (whether an
    already stored fragment changed is only known after mapping it, too late to drop its graph)."""
    if not hasattr(store, "rebuild") or getattr(store, "read_only", False) or problems:
        return False
    if len(fragments) < BULK_MIN_FRAGMENTS:
        return False
    return not any(str(fragment_graph(f.id)) in existing for f in fragments)


def _write_streaming(store: GraphStore, files: Sequence[Path], counts: Counter[str], targets: Sequence[str],
                     resolver: Resolver, confidential: set[str], existing: dict[str, str], report: IngestReport,
                     progress: Progress | None, skip: frozenset[str] = frozenset(),
                     repeat_keys: dict[str, str] | None = None) -> None:
    """Map and write a batch of new fragments in one pass: the files are read again one at a time and
    their quads go straight into the bulk loader, so memory stays bounded however big the batch (the
    normalised fragments of 100,000 records would be about 1 GB). The batch is aborted (store unchanged)
    if a problem turns up while mapping. ``targets``: the batch's confidential FragmentIDs; ``skip``: the
    FragmentIDs found unchanged (not mapped again)."""
    drop, head = _registry_changes(existing, resolver.registry_quads())
    pipeline = pipeline_key(resolver)
    for patch in redact_stored_links(store, targets):  # (no fragment of a streamed batch is stored yet)
        drop.append(patch.graph.value)
        head.extend(_with_hash(patch))
        report.replaced += 1
    problems: list[Problem] = []

    def fragments() -> Iterator[Fragment]:
        for raws in _read_each(files, None):
            done, failed = normalise_all([r for r in raws if r.fragment_id not in skip] if skip else raws)
            problems.extend(failed)  # the files changed since they were first read
            yield from done

    if WORKERS > 1 and len(files) > 1 and max(counts.values()) == 1:
        # No FragmentID twice (a repeat is checked against its first occurrence, which a worker mapping
        # another file does not have): map the files in worker processes.
        store.rebuild(drop, head, nquads=_map_in_workers(files, counts.total(), resolver, confidential,
                                                         report, problems, progress, skip))
        report.quads_written += len(head)
        return

    def quads() -> Iterator[ox.Quad]:
        yield from head
        report.quads_written += len(head)
        for m in iter_mapped(fragments(), resolver, confidential, problems, report.warnings, progress, counts=counts,
                             pipeline=pipeline, repeat_keys=repeat_keys):
            report.fragments += 1
            report.added += 1
            report.confidential += m.fragment.is_confidential
            batch = _with_hash(m)
            report.quads_written += len(batch)
            yield from batch
        if problems:
            raise BatchError(problems)

    store.rebuild(drop, quads())


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


_worker: tuple[Resolver, set[ox.NamedNode], frozenset[str], str] | None = None


def _init_worker(resolver: Resolver, confidential: set[str], skip: frozenset[str]) -> None:
    global _worker
    _worker = (resolver, hidden_outcomes(confidential), skip, pipeline_key(resolver))


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
    for frag in resolver.prefetching(frags):  # the language pipeline reads chunks of the file together
        m = map_fragment(frag, resolver.resolve(frag))
        m.record_key = record_key(frag.raw, pipeline)  # (no FragmentID twice in a batch mapped by workers)
        batch = _with_hash(redact_links(m, hidden))
        text.append(nquads_text(batch))
        quads += len(batch)
        confidential += frag.is_confidential
        warnings.extend(frag.warnings)
    return _FileMapped("".join(text).encode(), quads, len(frags), confidential, warnings, problems)


def _map_in_workers(files: Sequence[Path], total: int, resolver: Resolver, confidential: set[str],
                    report: IngestReport, problems: list[Problem], progress: Progress | None,
                    skip: frozenset[str] = frozenset()) -> Iterator[bytes]:
    """N-Quads text of the batch, file by file in the files' order, mapped in ``WORKERS`` processes.
    Raises BatchError at the end if any problem turned up, which aborts the rebuild (store unchanged).
    The workers are forked: "spawn" would re-run the caller's main module, which breaks any script that
    lacks an ``if __name__ == "__main__"`` guard; a forked worker runs only Python code (no store call)."""
    ctx = multiprocessing.get_context("fork")
    todo = iter(files)
    with ctx.Pool(WORKERS, _init_worker, (resolver, confidential, skip)) as pool:
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


def ingest(paths: Iterable[Path], store: GraphStore, resolver: Resolver | None = None,
           progress: Progress | None = None) -> IngestReport:
    resolver = resolver or Resolver()
    files = _files(list(paths))
    scan = scan_batch(files, store, pipeline_key(resolver), progress)
    fragments, problems = scan.fragments, scan.problems
    confidential = scan.confidential
    existing = {**scan.stored, **store.content_hashes([str(REGISTRY_GRAPH)])}
    skipped = len(scan.unchanged)
    report = IngestReport(files=scan.files, fragments=skipped, unchanged=skipped)
    if _can_stream(store, fragments, problems, existing):
        counts = Counter(f.id for f in fragments)
        targets = sorted({f.id for f in fragments if f.is_confidential})
        del fragments  # read again file by file while streaming
        scan.fragments = []
        _write_streaming(store, files, counts, targets, resolver, confidential, existing, report, progress,
                         frozenset(scan.unchanged), scan.repeat_keys)
        store.ensure_static()
        return report
    warnings: list[Problem] = []
    mapped = list(iter_mapped(fragments, resolver, confidential, problems, warnings, progress,
                              pipeline=pipeline_key(resolver), repeat_keys=scan.repeat_keys))
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
    write_batch(store, [*mapped, *patches], report, resolver.registry_quads(), existing)
    return report


# --------------------------------------------------------------------------- what is already stored

# The modules and data that turn a raw record into quads (read → normalise → resolve → map): an edit to
# any of them re-maps every fragment on its next ingest (and rewrites those whose quads changed).
_PIPELINE_CODE = ("read.py", "fields.py", "normalise.py", "concepts.py", "resolve.py", "mapping.py", "vocab.py",
                  "actors.py", "extract.py", "gazetteer.py", "actors", "data")


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """A digest of :data:`_PIPELINE_CODE` (file names and contents; ~1 ms) and the bundled concept schemes."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for name in _PIPELINE_CODE:
        top = root / name
        for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
            if path.is_file() and path.suffix in (".py", ".csv", ".json", ".txt", ".ttl", ".yaml") \
                    and "__pycache__" not in path.parts:
                h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    try:
        h.update(ontology_path("concepts.ttl").read_bytes())
    except FileNotFoundError:  # pragma: no cover - a broken install
        pass
    return h.hexdigest()[:16]


def pipeline_key(resolver: Resolver) -> str:
    """What decides a fragment's quads besides its raw record: the data model, the mapping, the code and
    data of the pipeline, and the resolver's registry and rules (:meth:`Resolver.fingerprint`)."""
    return f"{MODEL_VERSION}/{MAPPING_VERSION}/{_code_digest()}/{resolver.fingerprint()}"


def record_key(raw: RawFragment, pipeline: str) -> str:
    """The key of a raw record as read (source, every field name, value, line and match) under
    ``pipeline``: equal keys give equal quads, so a stored fragment with the same key is not mapped again."""
    parts = [pipeline, raw.source_file, raw.source_format, str(raw.line)]
    for f in raw.fields:
        parts += (f.name, f.value, str(f.line), _match_text(f.match))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


# FieldMatch objects are shared (fields.match_field is memoised): their repr once each, not per field
_match_text = lru_cache(maxsize=4096)(repr)


def repeat_key(keys: Sequence[str]) -> str:
    """The key of a FragmentID the batch holds more than once: its occurrences' record keys in order. The
    occurrences are compared when mapped (equal values: read once); an unchanged set of occurrences is
    then skipped like any unchanged record."""
    return hashlib.sha256("\0".join(("repeat", *keys)).encode()).hexdigest()[:32]


@dataclass
class BatchScan:
    """A batch as read, before mapping: what must be mapped and what is already stored as it is."""
    files: int
    fragments: list[Fragment] = field(default_factory=list)  # new or changed, normalised
    problems: list[Problem] = field(default_factory=list)
    stored: dict[str, str] = field(default_factory=dict)  # graph → stored hash, for the batch's stored graphs
    unchanged: set[str] = field(default_factory=set)  # FragmentIDs whose record key is the stored one
    repeat_keys: dict[str, str] = field(default_factory=dict)  # FragmentID read more than once → repeat_key
    confidential: set[str] = field(default_factory=set)  # FragmentIDs confidential once the batch is written


def scan_batch(files: Sequence[Path], store: GraphStore, pipeline: str,
               progress: Progress | None = None) -> BatchScan:
    """Read the files; normalise only the fragments whose :func:`record_key` is not the stored one (one
    store lookup per file for the hashes of its fragments). A FragmentID the batch repeats is skipped
    only when the :func:`repeat_key` of all its occurrences is the stored one; else its occurrences are
    compared when mapped."""
    scan = BatchScan(len(files))
    keys: dict[str, list[str]] = {}
    skipped_in: dict[str, Path] = {}
    redacted: dict[str, set[str]] = {}
    for path, raws in _read_each_file(files, progress):
        ids = [raw.fragment_id for raw in raws]
        graphs = {fid: str(fragment_graph(fid)) for fid in ids if fid}
        stored = store.content_hashes(list(dict.fromkeys(graphs.values()))) if graphs else {}
        scan.stored.update(stored)
        todo: list[RawFragment] = []
        for raw, fid in zip(raws, ids):
            if fid is not None:
                key = record_key(raw, pipeline)
                seen = keys.setdefault(fid, [])
                seen.append(key)
                base, hides = split_key(split_hash(stored.get(graphs[fid]))[1])
                if len(seen) == 1 and base == key:
                    scan.unchanged.add(fid)
                    skipped_in[fid] = path
                    if hides:
                        redacted[fid] = hides
                    continue
            todo.append(raw)
        done, failed = normalise_all(todo)
        scan.fragments.extend(done)
        scan.problems.extend(failed)
    scan.repeat_keys = {fid: repeat_key(ks) for fid, ks in keys.items() if len(ks) > 1}
    same: set[str] = set()
    for fid, key in scan.repeat_keys.items():
        base, hides = split_key(split_hash(scan.stored.get(str(fragment_graph(fid))))[1])
        if base == key:  # every occurrence as stored last time: nothing to compare or map
            same.add(fid)
            if hides:
                redacted[fid] = hides
    if same:
        scan.fragments = [f for f in scan.fragments if f.id not in same]
        scan.unchanged |= same
    again = {fid for fid in scan.unchanged if len(keys[fid]) > 1} - same
    # (the fragments read again below are unchanged: their flags are the stored ones)
    scan.confidential = now_confidential(store, scan.fragments)
    if redacted:  # unchanged public fragments whose links to confidential outcomes were hidden
        hidden = {n.value for n in hidden_outcomes(scan.confidential)}
        again |= {fid for fid, hides in redacted.items() if not hides <= hidden}  # one of them made public
    if again:  # skipped at first, but repeated later (compare them) or a hidden link target made public
        first: list[Fragment] = []
        for path in dict.fromkeys(skipped_in[fid] for fid in sorted(again)):
            raws = {}
            for r in read_file(path):
                if r.fragment_id in again and skipped_in[r.fragment_id] == path:
                    raws.setdefault(r.fragment_id, r)  # its first occurrence only (the others were read)
            done, failed = normalise_all(list(raws.values()))
            first.extend(done)
            scan.problems.extend(failed)
        scan.fragments[:0] = first
        scan.unchanged -= again
    return scan
