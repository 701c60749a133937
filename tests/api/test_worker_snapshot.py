"""A query worker's read-only snapshot and the writer's compaction (api/workers.py, ``WorkerContext.fresh``).

A read-only RocksDB instance reads the table files listed when it was opened. The server's own read-write
open compacts a freshly written store, and so may a later write: files the workers' snapshots read are then
deleted. On a 20,000-fragment store every warm-up job of a new server was killed at the memory ceiling for
it. Here, with a real store on disk and a real second process compacting it: the worker opens its snapshot,
the writer's compaction deletes the files under it, and the worker's next job opens the store again and
answers from it; the reader's graphs are listed again from the new snapshot."""

from __future__ import annotations

import os
import subprocess
import sys

import pyoxigraph as ox

from harvestgraph.api.workers import WorkerContext, _table_files
from harvestgraph.store import EmbeddedStore
from harvestgraph.vocab import HG, PUBLIC_UNION_GRAPH, fragment_graph

FRAGMENT = ox.NamedNode(str(HG.Fragment))
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

COMPACT = "import sys, pyoxigraph as ox; s = ox.Store(sys.argv[1]); s.optimize(); s.flush()"


def _fragments(store: EmbeddedStore, start: int, count: int) -> None:
    quads = []
    for i in range(start, start + count):
        f = ox.NamedNode(f"https://w3id.org/harvestgraph/id/fragment/T-{i:04d}")
        quads.append(ox.Quad(f, TYPE, FRAGMENT, ox.NamedNode(str(fragment_graph(f"T-{i:04d}")))))
    store.write([], quads)  # (the union graph's copy and the data-model marker come with it)
    store.flush()  # one table file a batch


def test_a_worker_whose_files_a_compaction_deleted_opens_the_store_again(tmp_path):
    path = tmp_path / "store"
    st = EmbeddedStore(path)
    for batch in range(4):
        _fragments(st, batch * 50, 50)
    st.close()
    del st
    before = _table_files(str(path))
    assert len(before) >= 4, before

    context = WorkerContext(str(path), result_cap=10_000, query_timeout=30.0)
    assert len(context.graphs(False).default) >= 1 and context.reopened == 0
    context.fresh()  # nothing deleted: the same snapshot
    assert context.reopened == 0

    # another process (the server's read-write side) compacts the store and adds 10 fragments
    subprocess.run([sys.executable, "-c", COMPACT, str(path)], check=True, timeout=120)
    writer = EmbeddedStore(path)
    _fragments(writer, 200, 10)
    writer.raw.optimize()
    writer.close()
    del writer
    assert not before <= _table_files(str(path)), "the compaction deleted none of the snapshot's files"

    context.fresh()
    assert context.reopened == 1
    n = context.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{PUBLIC_UNION_GRAPH}> {{ ?f a <{FRAGMENT.value}> }} }}")
    assert int(next(iter(n))["n"].value) == 210
    assert sum(1 for g in context.graphs(False) if "/graph/fragment/" in g) == 210  # listed from the new snapshot
    context.fresh()
    assert context.reopened == 1
    assert os.path.isdir(path)
