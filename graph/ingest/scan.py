"""Scanning a batch before mapping: which fragments are new or changed, and which are stored as they are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from ..normalise import Fragment
from ..read import RawFragment, read_file
from ..store import GraphStore
from ..vocab import fragment_graph
from .batch import Progress, normalise_all, read_each_file
from .keys import record_key, repeat_key, split_record, stored_key
from .links import hidden_outcomes, now_confidential
from .provenance import ProvenancePatch, provenance_patch


# Once a batch holds this many new fragments (none stored, no problem so far: it will stream into the bulk
# loader, write.can_stream), the scan keeps only each fragment's FragmentID and flag, not the normalised
# fragment (~10 KB each: ~1 GB of main process at 100k, dropped only when streaming began).
LEAN_AFTER = 1000


@dataclass(frozen=True, slots=True)
class Scanned:
    """A new fragment of a batch that streams, as the scan keeps it: what deciding to stream, the counts and
    the confidential FragmentIDs need (the streaming writer reads and normalises the files again)."""
    id: str
    is_confidential: bool


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
    # unchanged but read from another path or line: their provenance quads rewritten, not mapped (.provenance)
    moved: ProvenancePatch = field(default_factory=ProvenancePatch)
    lean: bool = False  # ``fragments`` holds :class:`Scanned` records (see :data:`LEAN_AFTER`, :func:`refill`)


def scan_batch(files: Sequence[Path], store: GraphStore, pipeline: str,
               progress: Progress | None = None, *, lean: bool = False) -> BatchScan:
    """Read the files; normalise only the fragments whose :func:`record_key` is not the stored one (one
    store lookup per file for the hashes of its fragments). A FragmentID the batch repeats is skipped
    only when the :func:`repeat_key` of all its occurrences is the stored one; else its occurrences are
    compared when mapped. A fragment whose content key is the stored one but not its provenance key (read
    by another path, or at another line) is not mapped: its provenance is patched (``moved``); one whose
    FragmentID the batch repeats is mapped as before. ``lean``: the store can take a streamed batch; past
    :data:`LEAN_AFTER` new fragments, keep :class:`Scanned` records (the caller calls :func:`refill` if the
    batch does not stream after all)."""
    scan = BatchScan(len(files))
    keys: dict[str, list[str]] = {}
    skipped_in: dict[str, Path] = {}
    redacted: dict[str, set[str]] = {}
    for path, raws in read_each_file(files, progress):
        ids = [raw.fragment_id for raw in raws]
        graphs = {fid: str(fragment_graph(fid)) for fid in ids if fid}
        stored = store.content_hashes(list(dict.fromkeys(graphs.values()))) if graphs else {}
        scan.stored.update(stored)
        todo: list[RawFragment] = []
        moved: dict[str, tuple[str, RawFragment, str]] = {}
        for raw, fid in zip(raws, ids):
            if fid is not None:
                key = record_key(raw, pipeline)
                seen = keys.setdefault(fid, [])
                seen.append(key)
                base, hides = stored_key(stored.get(graphs[fid]))
                if len(seen) == 1 and base is not None:
                    same = base == key
                    if not same and _only_moved(base, key):
                        moved[fid] = (graphs[fid], raw, key)
                    if same or fid in moved:
                        scan.unchanged.add(fid)
                        skipped_in[fid] = path
                        if hides:
                            redacted[fid] = hides
                        continue
            todo.append(raw)
        if moved:  # one query per file, as for the hashes
            patch, failed = provenance_patch(store, moved, stored)
            scan.moved.extend(patch)
            for fid in failed:  # (a provenance quad missing: mapped as usual)
                scan.unchanged.discard(fid)
                redacted.pop(fid, None)
                todo.append(moved[fid][1])
        done, failed = normalise_all(todo)
        scan.fragments.extend(done)
        scan.problems.extend(failed)
        lean = lean and not scan.problems and not any(graphs.get(f.id) in stored for f in done)
        if lean and len(scan.fragments) >= LEAN_AFTER:
            scan.lean = True
            scan.fragments = [Scanned(f.id, f.is_confidential) if isinstance(f, Fragment) else f
                              for f in scan.fragments]
    scan.repeat_keys = {fid: repeat_key(ks) for fid, ks in keys.items() if len(ks) > 1}
    same: set[str] = set()
    for fid, key in scan.repeat_keys.items():
        base, hides = stored_key(scan.stored.get(str(fragment_graph(fid))))
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
        hidden = hidden_outcomes(scan.confidential)
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
        scan.moved.drop(again, {fid: str(fragment_graph(fid)) for fid in again})
    return scan


def refill(files: Sequence[Path], scan: BatchScan) -> None:
    """A lean scan's fragments normalised again, read from the files (the batch is written in memory after
    all: a problem, or a stored fragment, turned up after :data:`LEAN_AFTER` new ones): every record but
    the unchanged ones, as :func:`scan_batch` had them."""
    fragments: list[Fragment] = []
    problems: list[Problem] = []
    for _, raws in read_each_file(files, None):
        done, failed = normalise_all([r for r in raws if r.fragment_id is None or r.fragment_id not in scan.unchanged])
        fragments.extend(done)
        problems.extend(failed)
    scan.fragments, scan.problems, scan.lean = fragments, problems, False


def _only_moved(stored: str, key: str) -> bool:
    """Whether a stored record key and a new one differ in their provenance keys only (a key of an older
    store has no provenance key: never)."""
    content, prov = split_record(stored)
    return prov is not None and content == split_record(key)[0]
