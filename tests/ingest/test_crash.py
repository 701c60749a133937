"""Crash safety: `harvestgraph ingest` killed with SIGKILL at random moments, several times, leaves the store
exactly as it was before the batch or exactly as after it, never in between.

The store already holds the sample corpus; the batch is generated fragments (1,500 new ones: the bulk
loader path; or 750 plus an edited corpus fragment: the transactional drop-and-insert path). A first,
unkilled run gives the "after" state and the run's length; then the kill moments are: the instant the
store's folder starts growing, a random delay after that, a random moment late in the run, and a
uniformly random moment. The seed is printed so a failure can be replayed.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from harvestgraph.store import EmbeddedStore
from harvestgraph.vocab import is_fragment_graph

REPO = Path(__file__).resolve().parents[2]
HG = str(Path(sys.executable).with_name("harvestgraph"))
COUNT = int(os.environ.get("HARVESTGRAPH_CRASH_FRAGMENTS", "1500"))
GROWTH = 1 << 20  # bytes: more than opening the store writes; the batch's commit writes far more


def dir_size(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.stat(os.path.join(root, f)).st_size
            except FileNotFoundError:  # RocksDB renames and deletes files as it goes
                pass
    return total


def state(path: Path) -> tuple[int, str]:
    """(number of fragment graphs, digest of the sorted N-Quads dump). Opening writable replays the WAL."""
    st = EmbeddedStore(path)
    try:
        graphs = sum(1 for g in st.raw.named_graphs() if is_fragment_graph(g.value))
        lines = sorted(st.raw.dump(format=ox.RdfFormat.N_QUADS).decode().splitlines())
    finally:
        st.close()
    return graphs, hashlib.sha256("\n".join(lines).encode()).hexdigest()


def ingest_cmd(inputs: Path, store: Path) -> list[str]:
    return [HG, "ingest", str(inputs), "--store", str(store), "--no-warnings",
            "--registry", str(REPO / "examples" / "actors.yaml")]


def run_and_kill(inputs: Path, store: Path, *, on_growth: bool, delay: float) -> tuple[str, float]:
    """Start an ingest and SIGKILL it: ``delay`` seconds after the store starts growing (on_growth) or
    ``delay`` seconds after the start. Returns (what happened, seconds from start to the kill)."""
    base = dir_size(store.parent)
    t0 = time.monotonic()
    proc = subprocess.Popen(ingest_cmd(inputs, store), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    trigger = None if on_growth else t0 + delay
    try:
        while proc.poll() is None:
            now = time.monotonic()
            if trigger is None and dir_size(store.parent) > base + GROWTH:
                trigger = now + delay
            if trigger is not None and now >= trigger:
                proc.kill()  # SIGKILL
                proc.wait(30)
                return "killed", now - t0
            assert now - t0 < 600, "ingest did not finish in 10 minutes"
            time.sleep(0.005)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert proc.returncode == 0, err
    return "finished before the kill", time.monotonic() - t0


def make_batch(root: Path, seed: int, count: int, *, replace_stored: bool) -> Path:
    """``count`` generated fragments. ``replace_stored``: also an edited corpus fragment, so the batch drops
    and rewrites a stored graph (the transactional write path); else every FragmentID is new (bulk path)."""
    inputs = root / "synth"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--count", str(count),
                    "--seed", str(seed), "--format", "text", "--out", str(inputs)],
                   check=True, capture_output=True, timeout=120)
    for f in inputs.iterdir():  # "X" + programme code: no generated FragmentID is already in the corpus
        f.write_text(f.read_text().replace("**FragmentID**: ", "**FragmentID**: X"))
    if replace_stored:
        src = (REPO / "examples" / "text" / "010_scc_kenya_single.txt").read_text()
        (inputs / "edited.txt").write_text(src.replace("In July 2025", "In late July 2025", 1))
    return inputs


@pytest.mark.slow
@pytest.mark.parametrize("replace_stored, count", [(False, COUNT), (True, COUNT // 2)],
                         ids=["bulk-new-fragments", "transaction-replacing"])
def test_sigkill_during_ingest_leaves_before_or_after(corpus_store_path, tmp_path, replace_stored, count):
    seed = int(os.environ.get("HARVESTGRAPH_CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    print(f"crash test seed {seed} (HARVESTGRAPH_CRASH_SEED to replay)")
    inputs = make_batch(tmp_path, seed % 1000, count, replace_stored=replace_stored)

    pristine = tmp_path / "pristine" / "store"
    shutil.copytree(corpus_store_path, pristine)
    before = state(pristine)

    # The "after" state, and how long a whole run takes.
    reference = tmp_path / "reference" / "store"
    shutil.copytree(pristine, reference)
    t0 = time.monotonic()
    r = subprocess.run(ingest_cmd(inputs, reference), capture_output=True, text=True, timeout=600)
    total = time.monotonic() - t0
    assert r.returncode == 0, r.stderr
    after = state(reference)
    assert after[0] == before[0] + count

    plans = [("at the first write", True, 0.0), ("during the write", True, rng.uniform(0.0, 0.3 * total)),
             ("late", False, rng.uniform(0.6 * total, 1.05 * total)), ("at a random moment", False, rng.uniform(0, total))]
    outcomes = []
    for i, (label, on_growth, delay) in enumerate(plans):
        store = tmp_path / f"run{i}" / "store"  # its own folder: the bulk path builds a sibling next to it
        shutil.copytree(pristine, store)
        what, at = run_and_kill(inputs, store, on_growth=on_growth, delay=delay)
        outcomes.append((label, what, at, state(store)))  # opening the store recovers it

    print(f"a whole run: {total:.1f}s")
    for label, what, at, st in outcomes:
        print(f"{label}: {what} at {at:.2f}s -> {st[0]} fragment graphs "
              f"({'before' if st == before else 'after' if st == after else 'IN BETWEEN'})")
    for label, what, at, st in outcomes:
        assert st in (before, after), f"{label} ({what} at {at:.2f}s): store in between (seed {seed})"
