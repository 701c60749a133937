"""The rules' decisions on text they had not seen: for each labelled set, the changed actors that the code
of the last commit before the set was tuned on found in it (as actor IRIs, eval's matching). Kept in
``data/unseen_rules.json`` and rebuilt from the repository's history with::

    python -m harvestgraph.actors.learnt.unseen REPO    # REPO: a git checkout holding the commits below

Why: the current rules were tuned on five of the six sets, where their decision is right nearly always;
a model trained with it as a feature learns to copy it (docs/extraction.md, round 7). The rules meet new
text as they met each set before its round; their decisions then carry the errors a learnt layer can
learn to correct.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

DATA = Path(__file__).with_name("data") / "unseen_rules.json"
# the commit before each set's first tuning round (docs/extraction.md): dev4's pipeline 5, dev3's pipeline
# before its round, dev2's and dev's commits that completed them (scored before any rule was written for
# them). gold has none (labelled with the rules); dev5 has none (never tuned on: the current rules).
COMMITS = {"dev": "4120fd0", "dev2": "37ca27c", "dev3": "261e19c", "dev4": "06e0c8c"}

_RUNNER = r'''
import json, sys
from pathlib import Path
name, gold_path, examples, registry, out = sys.argv[1:6]
try:
    from harvestgraph.actors import evaluate as ev
    from harvestgraph.actors import ActorResolver
except ImportError:
    from harvestgraph import evaluate as ev
    from harvestgraph.actors import ActorResolver
found = {}
original = ev._found
def recording(quads, fid):
    f, labels = original(quads, fid)
    found[fid] = sorted(f["changed"])
    return f, labels
ev._found = recording
resolver = ActorResolver.from_registry(Path(registry))
gold = ev.load_gold(Path(gold_path))
files = []  # the files the old code can read (dev's UTF-16 export was read only later)
for f in sorted(Path(examples).iterdir()):
    if f.name in ("gold.yaml", "registry.yaml", "README") or f.is_dir():
        continue
    try:
        ev.read_batch([f])
        files.append(f)
    except Exception:
        pass
raws, _ = ev.read_batch(files)
mapped, _ = ev.prepare(raws, resolver)
ids = {m.fragment.id for m in mapped}
gold = {k: v for k, v in gold.items() if k in ids}
rep = ev.evaluate(gold, files, resolver)
s = rep.scores["changed"]
Path(out).write_text(json.dumps({"found": found, "f1": s.f1, "precision": s.precision, "recall": s.recall}))
'''


_ROWS_RUNNER = r'''
import json, sys
from pathlib import Path
from harvestgraph.actors.learnt import loso
gold_path, examples, registry, out = sys.argv[1:5]
files = []
from harvestgraph.ingest import read_batch
for f in sorted(Path(examples).iterdir()):
    if f.name in ("gold.yaml", "registry.yaml", "README") or f.is_dir():
        continue
    try:
        read_batch([f])
        files.append(f)
    except Exception:
        pass
frags = loso.collect_paths(Path(gold_path), Path(examples), Path(registry), files)
Path(out).write_text(json.dumps([{"id": f.id, "gold": sorted(f.gold), "file": f.file,
                                   "rows": [[r.iri, r.x, r.ruled, r.label, list(r.span)] for r in f.rows]}
                                  for f in frags]))
'''


def _checkout(repo: Path, commit: str, tmp: str, learnt: bool) -> Path:
    """The code of ``commit`` under ``tmp``, importable as ``harvestgraph`` from the returned folder; with
    this package (``learnt``) copied into its actors package."""
    import shutil

    tar = subprocess.run(["git", "-C", str(repo), "archive", commit], capture_output=True, check=True).stdout
    tarfile.open(fileobj=BytesIO(tar)).extractall(tmp, filter="data")
    site = Path(tmp) / "site"
    site.mkdir()
    (site / "harvestgraph").symlink_to(Path(tmp) / "graph")
    for sub in ("api", "ontology", "queries"):
        if (Path(tmp) / sub).exists() and not (Path(tmp) / "graph" / sub).exists():
            (Path(tmp) / "graph" / sub).symlink_to(Path(tmp) / sub)
    if learnt:
        shutil.copytree(Path(__file__).parent, Path(tmp) / "graph" / "actors" / "learnt",
                        ignore=shutil.ignore_patterns("__pycache__", "data"))
    return site


def rows(repo: Path, name: str) -> list[dict]:
    """The candidates of set ``name`` as the code of its unseen commit found them (this package's features,
    that code's finders and rules: ``ruled`` is its decision), as plain lists."""
    from ..evaluate import LABELLED_SETS

    gold, examples, registry = LABELLED_SETS()[name]
    with tempfile.TemporaryDirectory() as tmp:
        site = _checkout(repo, COMMITS[name], tmp, learnt=True)
        res = Path(tmp) / "rows.json"
        subprocess.run([sys.executable, "-c", _ROWS_RUNNER, str(gold), str(examples), str(registry), str(res)],
                       check=True, cwd=tmp, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HOME": tmp})
        return json.loads(res.read_text())


def rebuild(repo: Path) -> dict:
    """Run each commit's code on its set (current labels and examples) and write :data:`DATA`."""
    from ..evaluate import LABELLED_SETS

    out = {}
    for name, commit in COMMITS.items():
        gold, examples, registry = LABELLED_SETS()[name]
        with tempfile.TemporaryDirectory() as tmp:
            site = _checkout(repo, commit, tmp, learnt=False)
            res = Path(tmp) / "out.json"
            subprocess.run([sys.executable, "-c", _RUNNER, name, str(gold), str(examples), str(registry), str(res)],
                           check=True, cwd=tmp, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin",
                                                     "HOME": tmp})
            r = json.loads(res.read_text())
        out[name] = {"commit": commit, "changed_f1": round(r["f1"], 3), "precision": round(r["precision"], 3),
                     "recall": round(r["recall"], 3), "found": r["found"]}
        print(f"{name}: {commit} changed P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}")
    DATA.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return out


def load() -> dict[str, dict[str, set[str]]]:
    """set → fragment → the IRIs its unseen rules chose (sets without an entry: none)."""
    if not DATA.exists():
        return {}
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {name: {fid: set(iris) for fid, iris in d["found"].items()} for name, d in data.items()}


if __name__ == "__main__":
    rebuild(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
