"""The embedded on-disk Oxigraph store (RocksDB, through pyoxigraph): one transaction per batch, the bulk
loader for big ones (a rebuild into a fresh folder, swapped in whole), and the record of which fragment
graphs each write touched (what lets the server patch its index instead of reading everything again)."""

from __future__ import annotations

import gc
import io
import os
import shutil
import time
import traceback
from collections.abc import Iterable, Sequence
from itertools import chain, islice
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError
from ..vocab import is_fragment_graph
from .base import _SYSTEM, BlobReader, GraphStore, _named_scope, mentions_graph, model_quad
from .placement import EVERYTHING, fragment_nquads, nquads_text, union_removals, update_text, with_unions

BULK_MIN_QUADS = 10_000
# The bulk loader's memory grows with what one call is given (one call over 1 M quads: 1 GB; over 4 M:
# 1.8 GB), so a big batch is fed in calls of at most this many quads. Fewer, bigger calls are faster:
# the files of successive calls overlap and RocksDB merges them (10k fragments: 58.5 s in one call,
# 70.3 s in calls of 2 M; at 100k, calls of 2 M took 988 s). See docs/performance.md.
BULK_CHUNK_QUADS = 8_000_000
# N-Quads text streamed while it is being mapped (:meth:`EmbeddedStore.rebuild`'s ``nquads``) is loaded in
# calls of about this many lines, each as soon as its text has arrived: one call for the whole batch
# buffered the text and did its work after the last file, with one core idle (~18 s at 10k, session 8).
FEED_CHUNK_QUADS = 250_000


# Generations whose written fragment graphs an embedded store remembers (:meth:`GraphStore.changed_since`).
CHANGES_KEPT = 256


def written_graphs(drop: Iterable[str], quads: Iterable[ox.Quad], remove: Iterable[ox.Quad] = (),
                   printed: Iterable[tuple[str, Sequence[str]]] = ()) -> frozenset[str] | None:
    """The fragment graphs a write drops, adds to or removes from; None if it writes any other graph
    (the data-model marker in the system graph excepted: it is no reader's data) or a quad of the
    default graph (see :meth:`GraphStore.changed_since`)."""
    graphs = set(drop) | {g for g, _ in printed}
    for q in chain(quads, remove):
        g = q.graph_name
        if not isinstance(g, ox.NamedNode):
            return None
        graphs.add(g.value)
    graphs.discard(_SYSTEM)
    if not all(is_fragment_graph(g) for g in graphs):
        return None
    return frozenset(graphs)


def _remove_tree(path: Path, tries: int = 50) -> None:
    """Remove an unfinished build. Tried again for up to ~5 s: a folder was once left behind (full suite,
    load 10) as if a closing RocksDB still wrote into it; the next open removes it anyway (_recover)."""
    for _ in range(tries):
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            return
        gc.collect()  # (a reference cycle still holding the store would keep it open)
        time.sleep(0.1)


class EmbeddedStore(GraphStore):
    """Oxigraph on disk (RocksDB), through pyoxigraph."""

    def __init__(self, path: str | Path, *, read_only: bool = False):
        self.path = Path(path)
        self.location = str(self.path)
        self.read_only = read_only
        # Read-write: RocksDB's lock makes this object the only writer, so the counter is exact.
        # Read-only: another process may write; the snapshot is fixed until reopened, but be safe.
        self.generation = None if read_only else 0
        # generation -> the fragment graphs its write touched (None: not known); see changed_since
        self.changes: dict[int, frozenset[str] | None] = {}
        self._writing: frozenset[str] | None = None
        if not read_only:
            self._recover()
        try:
            if read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open the store: {exc}", file=str(self.path)) from None
        self._marked = self.check_model()

    def _with_marker(self, quads):
        """The quads of a write, with the data-model marker if the store has none yet."""
        if self._marked or self.read_only:
            return quads
        return chain(quads, (model_quad(),)) if not isinstance(quads, (list, tuple)) else [*quads, model_quad()]

    @property
    def raw(self) -> ox.Store:
        return self._store

    def query(self, sparql, *, graphs=None, substitutions=None):
        kw: dict = {}
        if graphs is None:  # everything: the union graphs as the default graph, every named graph for GRAPH
            kw["default_graph"] = [ox.NamedNode(g) for g in EVERYTHING]
        else:
            default = getattr(graphs, "default", graphs)
            kw["default_graph"] = [ox.NamedNode(g) for g in default] or [ox.NamedNode("urn:harvestgraph:empty")]
            named = _named_scope(sparql, graphs) if mentions_graph(sparql) else []
            kw["named_graphs"] = [ox.NamedNode(g) for g in named]
        if substitutions:
            kw["substitutions"] = {ox.Variable(k): v for k, v in substitutions.items()}
        try:
            return self._store.query(sparql, **kw)
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error: {exc}") from None

    def _bump(self) -> None:
        """After a write has landed (never before: a query running meanwhile reads the old data, and a
        result cached under the new generation would stay stale)."""
        if self.generation is not None:
            # recorded before the generation moves: whoever sees the new generation finds its record
            self.changes[self.generation + 1] = self._writing
            self.changes.pop(self.generation + 1 - CHANGES_KEPT, None)
            self.generation += 1
        self._writing = None

    def changed_since(self, generation):
        if generation is None or self.generation is None or generation > self.generation:
            return None
        out: set[str] = set()
        for g in range(generation + 1, self.generation + 1):
            graphs = self.changes.get(g)
            if graphs is None:
                return None
            out |= graphs
        return frozenset(out)

    # Per store: a write of at least this many quads is a rebuild (None: BULK_MIN_QUADS). A server that
    # ingests (serve --watch) keeps its writes transactions: a rebuild swaps the folder its query workers
    # have open.
    bulk_min_quads: int | None = None

    def write(self, drop, quads, *, remove=()):
        self._writing = written_graphs(drop, quads, remove)
        if len(quads) >= (self.bulk_min_quads if self.bulk_min_quads is not None else BULK_MIN_QUADS):
            self.rebuild(drop, quads, remove=remove, written=self._writing)
            return
        quads = self._with_marker(quads)
        try:
            if drop or remove:
                # One update request is one transaction: the drops and the inserts land together or not at all.
                self._store.update(update_text(drop, quads, remove))
            elif quads:
                self._store.extend(list(with_unions(quads)))
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"write failed, nothing was changed: {exc}", file=self.location) from None
        self._marked = True
        self._bump()

    def write_printed(self, drop, quads, printed, *, remove=()):
        self._writing = written_graphs(drop, quads, remove, printed)
        n = len(quads) + sum(len(lines) for _, lines in printed)
        if n >= (self.bulk_min_quads if self.bulk_min_quads is not None else BULK_MIN_QUADS):
            text = "".join(fragment_nquads(graph, lines) for graph, lines in printed).encode()
            self.rebuild(drop, quads, nquads=[text] if text else (), remove=remove, written=self._writing)
            return
        if any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object)):
            # (a blank node label in text would be a new node per load: the terms go as terms)
            super().write_printed(drop, quads, printed, remove=remove)
            return
        quads = list(self._with_marker(quads))
        try:
            if drop or remove:
                # One update request is one transaction: the drops and the inserts land together or not at all.
                self._store.update(update_text(drop, quads, remove, printed=printed))
            elif quads or printed:
                # one load is one transaction too
                text = nquads_text(quads) + "".join(fragment_nquads(graph, lines) for graph, lines in printed)
                self._store.load(input=text.encode(), format=ox.RdfFormat.N_QUADS, lenient=True)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"write failed, nothing was changed: {exc}", file=self.location) from None
        self._marked = True
        self._bump()

    # -- bulk writes: build the next version of the store beside it, then swap it in

    def _sibling(self, tag: str) -> Path:
        return self.path.with_name(f".{self.path.name}.{tag}")

    def _recover(self) -> None:
        """Finish or undo a swap that a crash interrupted (see :meth:`rebuild`); drop unfinished builds.
        The live folder missing while the previous version exists means the crash fell between the two
        renames: the batch had not landed, so the previous version goes back (all or nothing)."""
        old, new = self._sibling("old"), self._sibling("new")
        if not self.path.exists() and old.exists():
            os.rename(old, self.path)
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(new, ignore_errors=True)

    def rebuild(self, drop: Iterable[str], quads: Iterable[ox.Quad], *, nquads: Iterable[bytes] = (),
                remove: Sequence[ox.Quad] = (), written: frozenset[str] | None = None) -> None:
        """Atomically drop graphs and add quads, fast: for big batches (``write`` delegates here).

        Oxigraph's bulk loader is several times faster than a transaction but not transactional, so it
        never touches the live store: the store is checkpointed (RocksDB hard links, cheap) into a
        sibling folder, the graphs are dropped and the quads bulk-loaded there, and the folder is then
        swapped in with two renames. A crash or an exception (``quads`` may be a generator that raises
        to abort the batch) before the swap leaves the live store unchanged; a crash between the renames
        is undone by :meth:`_recover` on the next open. ``quads`` is consumed lazily (bounded memory).
        ``nquads``: more to add, as N-Quads text that already holds the union copies (parsed in Rust:
        what worker processes hand over), consumed lazily too.
        Other processes that opened the store read-only keep seeing the previous version until they
        reopen it; the caller must be the store's only writer (RocksDB's lock already enforces that).
        ``written``: the fragment graphs the batch writes, when the caller knows them all (:meth:`write`
        does); None (a stream) records the generation as unknown (:meth:`changed_since`)."""
        if self.read_only:
            raise StoreError("the store was opened read-only", file=self.location)
        self._writing = written
        new, old = self._sibling("new"), self._sibling("old")
        shutil.rmtree(new, ignore_errors=True)
        nxt: ox.Store | None = None
        try:
            self._store.flush()
            self._store.backup(str(new))
            nxt = ox.Store(str(new))
            drop = list(drop)
            for i in range(0, len(drop), 1000):
                chunk = drop[i:i + 1000]
                nxt.update(" ;\n".join([*union_removals(chunk), *(f"DROP SILENT GRAPH <{g}>" for g in chunk)]))
            for q in remove:
                nxt.remove(q)
            stream = with_unions(self._with_marker(quads))
            while (head := next(stream, None)) is not None:  # lazily, call by call
                nxt.bulk_extend(chain((head,), islice(stream, BULK_CHUNK_QUADS - 1)))
            reader = BlobReader(nquads, FEED_CHUNK_QUADS)
            while not reader.exhausted:  # one bulk_load call per FEED_CHUNK_QUADS lines, as they arrive
                reader.budget = FEED_CHUNK_QUADS
                self._load_text(nxt, reader)
            if reader.error is not None:  # raised by the blobs' producer: abort with it, not as an I/O error
                raise reader.error
            nxt.flush()
            nxt = None  # closed: RocksDB lets go of the folder before it moves
        except BaseException as exc:
            nxt = None  # close it first: its background threads would write into the folder being deleted
            # ... and so must every frame the exception holds: _load_text's frame keeps the store it was
            # given alive (and RocksDB writing into ``new``) for as long as the traceback lives
            traceback.clear_frames(exc.__traceback__)
            _remove_tree(new)
            if isinstance(exc, (OSError, SyntaxError)):
                raise StoreError(f"write failed, nothing was changed: {exc}", file=self.location) from None
            raise
        del self._store  # close the live store (RocksDB) before its folder moves
        os.rename(self.path, old)
        os.rename(new, self.path)
        self._store = ox.Store(str(self.path))
        self._marked = True
        self._bump()
        shutil.rmtree(old, ignore_errors=True)

    @staticmethod
    def _load_text(store: ox.Store, reader: io.RawIOBase) -> None:
        """One bulk-load call of the rebuild's N-Quads text (into the folder being built, never the live one).
        lenient: the text is what the mapping printed from pyoxigraph terms, valid when they were built (IRI
        validation again was ~10-15 % of the loader's CPU on a 60k-line sample)."""
        store.bulk_load(input=reader, format=ox.RdfFormat.N_QUADS, lenient=True)

    def load_file(self, path, graph):
        g = ox.NamedNode(graph)
        quads = [ox.Quad(t.subject, t.predicate, t.object, g)
                 for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
        self.write([graph], quads)

    def flush(self) -> None:
        self._store.flush()

    def settle(self) -> float:
        """Compact the store now (RocksDB's full compaction; seconds taken). Opening a freshly written store
        read-write starts a background compaction that deletes table files; readers opened meanwhile
        (a server's query workers) would lose theirs. ~11 s at 20,000 fragments once, then ~0 s."""
        if self.read_only:
            return 0.0
        start = time.monotonic()
        self._store.optimize()
        return time.monotonic() - start

    def close(self) -> None:
        if not self.read_only:  # a read-only store refuses flush
            self._store.flush()
        del self._store


