"""The list index after a small write: a full build against a patch (issue 14, api/explore_data.py).

    python -m benchmarks.ingest.bench_index_patch STORE CORPUS_DIR [SIZES] [OUT.json]

STORE (e.g. a 20,000-fragment store of ``benchmarks/generate.py``, seed 42) is copied beside itself first
(``STORE.patch-bench``, removed at the end): the writes never touch it. For each reader scope the index is
built once (the state a server holds before the write). Then, for each size in SIZES (default "3,200"):
that many fragments of CORPUS_DIR are edited (their description), one of them public made confidential,
and ingested as one batch through the real ingest; then, for each scope, the index is made again by a
patch from the kept rows and by a full build, each in a fresh child process that opens the store
read-only, as a query worker does (CPU-s and peak RSS of that child). Each child's time covers what the
server waits for: the worker's job (queries, measures, catalogue, explorer, pickling) and the server's
part (unpickling, the workbench's first views). The patched index is compared with the full one.
Load averages are printed beside every figure.
"""

from __future__ import annotations

import json
import os
import pickle
import random
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def child(mode: str, store_path: str, scope: str, old: str, new: str, touched_file: str) -> None:
    """One index made in this process (see the module docstring); prints a JSON line."""
    from harvestgraph.api.explore_data import _first_views, build_index, patch_index
    from harvestgraph.store import EmbeddedStore

    store = EmbeddedStore(store_path, read_only=True)
    graphs = store.visible_graphs(confidential=scope == "confidential")
    touched = json.loads(Path(touched_file).read_text()) if touched_file != "-" else []
    load0 = _load()
    c0, w0 = time.process_time(), time.monotonic()
    if mode == "full":
        built = build_index(store, graphs, new)
    else:
        built = patch_index(store, graphs, old, new, touched)
    c1, w1 = time.process_time(), time.monotonic()
    body = pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL)
    built = pickle.loads(body)
    _first_views(built.explorer)
    c2, w2 = time.process_time(), time.monotonic()
    print(json.dumps({"mode": mode, "scope": scope, "job_wall": round(w1 - w0, 2), "job_cpu": round(c1 - c0, 2),
                      "wall": round(w2 - w0, 2), "cpu": round(c2 - c0, 2), "pickle_mb": round(len(body) / 2**20, 1),
                      "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                      "outcomes": len(built.catalogue.iris), "nodes": built.explorer.graph.number_of_nodes(),
                      "load": f"{load0} -> {_load()}"}))
    if mode == "patch" and os.environ.get("BENCH_COMPARE"):
        sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
        from test_index_patch import same_index  # noqa: PLC0415  (the test's comparison)

        full = build_index(store, graphs)
        print(json.dumps({"compare": scope, "differences": same_index(built, full)}))


def _run_child(*args: str, compare: bool = False) -> list[dict]:
    env = dict(os.environ, **({"BENCH_COMPARE": "1"} if compare else {}))
    out = subprocess.run([sys.executable, "-m", "benchmarks.ingest.bench_index_patch", "child", *args], check=True,
                         stdout=subprocess.PIPE, text=True, env=env).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def _fragments(corpus: Path) -> list[tuple[Path, str]]:
    """(file, fragment text) of the corpus, in order."""
    out = []
    for f in sorted(corpus.glob("*.txt")):
        for part in f.read_text().split("\n---\n"):
            if "**FragmentID**" in part:
                out.append((f, part.strip("\n")))
    return out


def _edited(fragments: list[tuple[Path, str]], n: int, seed: int) -> tuple[str, list[str]]:
    """n public fragments with a new description, the first made confidential; their IDs."""
    rng = random.Random(seed)
    public = [t for _, t in fragments if re.search(r"CONFIDENTIAL\*\*: *(NO|No|no)?\s*$", t, re.M)]
    chosen = rng.sample(public, n)
    out, ids = [], []
    for i, text in enumerate(chosen):
        ids.append(re.search(r"\*\*FragmentID\*\*: *(.+)", text).group(1).strip())
        text = re.sub(r"(\*\*Outcome description\*\*: *)", rf"\g<1>Revised ({seed}): ", text, count=1)
        if i == 0:
            text = re.sub(r"(CONFIDENTIAL\*\*:).*$", r"\1 YES", text, count=1, flags=re.M)
        out.append(text)
    return "\n\n---\n\n".join(out) + "\n", ids


def main(store_src: str, corpus: str, sizes: str = "3,200", out_json: str | None = None) -> None:
    from harvestgraph.config import make_resolver
    from harvestgraph.ingest import ingest
    from harvestgraph.store import EmbeddedStore, own_resources

    work = Path(store_src).with_name(Path(store_src).name + ".patch-bench")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    store_path = work / "store"
    shutil.copytree(store_src, store_path)
    results: dict = {"store": store_src, "runs": []}

    def note(row: dict) -> None:
        print(json.dumps(row), flush=True)
        results["runs"].append(row)
        if out_json:
            Path(out_json).write_text(json.dumps(results, indent=1))

    try:
        states = {}
        for scope in ("public", "confidential"):  # what the server holds before the write
            states[scope] = str(work / f"{scope}-0.pickle")
            for row in _run_child("full", str(store_path), scope, "-", states[scope], "-"):
                note({"step": "before", **row})
        fragments = _fragments(Path(corpus))
        resolver = make_resolver(Path("examples/actors.yaml"))
        for k, n in enumerate(int(x) for x in sizes.split(",")):
            text, ids = _edited(fragments, n, seed=1000 + k)
            batch = work / f"edit-{n}"
            batch.mkdir()
            (batch / "edited.txt").write_text(text)
            store = EmbeddedStore(store_path)
            g0 = store.generation
            load0 = _load()
            c0, w0 = time.process_time(), time.monotonic()
            report = ingest([batch], store, resolver)
            c1, w1 = time.process_time(), time.monotonic()
            changed = store.changed_since(g0)
            store.close()
            note({"step": "write", "fragments": n, "replaced": report.replaced, "wall": round(w1 - w0, 2),
                  "cpu": round(c1 - c0, 2), "load": f"{load0} -> {_load()}",
                  "graphs_written": None if changed is None else len(changed)})
            touched = work / f"touched-{n}.json"
            touched.write_text(json.dumps(sorted(own_resources(g)[1] for g in changed)))
            for scope in ("public", "confidential"):
                new = str(work / f"{scope}-{n}.pickle")
                for row in _run_child("patch", str(store_path), scope, states[scope], new, str(touched),
                                      compare=os.environ.get("BENCH_COMPARE") == "1"):
                    note({"step": "after", "fragments": n, **row})
                for row in _run_child("full", str(store_path), scope, "-", str(work / f"{scope}-{n}-full.pickle"),
                                      "-"):
                    note({"step": "after", "fragments": n, **row})
                states[scope] = new
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1] == "child":
        child(*sys.argv[2:])
    else:
        main(*sys.argv[1:])
