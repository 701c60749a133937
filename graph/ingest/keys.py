"""What is already stored: the keys that let an unchanged fragment skip normalising, resolving and
mapping, and the stored hash literal that carries them.

Each raw record's key (:func:`record_key`: the record as read plus the pipeline that maps it, registry
included, then where it was read) is stored beside the content hash of its graph, in one literal
(:func:`join_hash`): ``"CONTENT KEY[~HIDDEN OUTCOME IRIS]"``. :func:`stored_key` reads it back."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..mapping import MAPPING_VERSION, MappedFragment, N
from ..read import RawFragment
from ..resolve import Resolver
from ..resources import ontology_path
from ..store import MODEL_VERSION
from ..vocab import HG


# The modules and data that turn a raw record into quads (read → normalise → resolve → map): an edit to
# any of them re-maps every fragment on its next ingest (and rewrites those whose quads changed).
_PIPELINE_CODE = ("read", "fields.py", "normalise.py", "concepts.py", "resolve.py", "mapping.py", "vocab.py",
                  "actors.py", "extract.py", "gazetteer.py", "actors", "data")
# Folders under those that no fragment's quads depend on: the learnt-decision tools (graph/actors/learnt,
# measuring and training only: an edit there must not re-map every stored fragment), but for the modules of it
# the pipeline calls (:data:`_CALLED`: the span model's and the changed-actor model's reading; their trained
# weights are in the resolver's fingerprint by their training data's hash). Take a folder out of this list, or
# name its module in _CALLED, the day the pipeline calls it.
_NOT_PIPELINE = ("learnt",)
_CALLED = ("actors/learnt/span_model.py", "actors/learnt/changed.py")


def digested_files() -> list[Path]:
    """The files of :data:`_PIPELINE_CODE` whose names and contents make :func:`_code_digest`, in order."""
    root = Path(__file__).resolve().parent.parent  # graph/
    out = []
    for name in _PIPELINE_CODE:
        top = root / name
        for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
            rel = path.relative_to(root)
            if path.is_file() and path.suffix in (".py", ".csv", ".json", ".txt", ".ttl", ".yaml") \
                    and "__pycache__" not in path.parts \
                    and (not set(_NOT_PIPELINE) & set(rel.parts) or rel.as_posix() in _CALLED):
                out.append(path)
    return out


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """A digest of :func:`digested_files` (file names and contents; ~1 ms) and the bundled concept schemes."""
    root = Path(__file__).resolve().parent.parent  # graph/
    h = hashlib.sha256()
    for path in digested_files():
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
    """The key of a raw record as read under ``pipeline``: ``"CONTENT@PROVENANCE"``, its
    :func:`content_key` (equal keys give equal quads but for the provenance: a stored fragment with the
    same one is not mapped again) and its :func:`provenance_key` (where it was read: when only this part
    differs, only the provenance quads are rewritten, :mod:`.provenance`)."""
    return f"{content_key(raw, pipeline)}{PROV}{provenance_key(raw)}"


PROV = "@"  # content key @ provenance key (a key stored before Dec 2026 has no "@": mapped again once)


def content_key(raw: RawFragment, pipeline: str) -> str:
    """What decides a fragment's quads but for its provenance: the pipeline, the format, every field
    name, value and match, in order. Not the source path (the same folder by another path, or moved or
    renamed, is the same record) nor the lines (a fragment shifted by an edit above it is the same record):
    those are :func:`provenance_key`."""
    parts = [pipeline, raw.source_format]
    for f in raw.fields:
        parts += (f.name, f.value, _match_text(f.match))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def provenance_key(raw: RawFragment) -> str:
    """Where a record was read: its source path as given, its line and its fields' lines (what
    hg:sourceFile, hg:sourceLine and the lines in hg:rawRecord say)."""
    parts = [raw.source_file, str(raw.line), *(str(f.line) for f in raw.fields)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def split_record(key: str | None) -> tuple[str | None, str | None]:
    """(content key, provenance key) of a :func:`record_key` (a key of an older store: (key, None))."""
    if not key:
        return None, None
    content, _, prov = key.partition(PROV)
    return content, (prov or None)


# FieldMatch objects are shared (fields.match_field is memoised): their repr once each, not per field
_match_text = lru_cache(maxsize=4096)(repr)


def repeat_key(keys: Sequence[str]) -> str:
    """The key of a FragmentID the batch holds more than once: its occurrences' content keys in order,
    and the provenance of the first (the one stored). The occurrences are compared when mapped (equal
    values: read once); an unchanged set of occurrences is then skipped like any unchanged record."""
    contents = [split_record(k)[0] or "" for k in keys]
    digest = hashlib.sha256("\0".join(("repeat", *contents)).encode()).hexdigest()[:32]
    return f"{digest}{PROV}{split_record(keys[0])[1] or ''}"


HIDES = "~"  # record key ~ the outcome IRIs a public fragment's links to were hidden (space-separated)


def split_key(key: str | None) -> tuple[str | None, set[str]]:
    """(the record key, the outcome IRIs whose links it hides) of a stored key."""
    if not key:
        return None, set()
    base, _, hides = key.partition(HIDES)
    return base, set(hides.split())


def stored_key(stored: str | None) -> tuple[str | None, set[str]]:
    """(the record key, the outcome IRIs whose links it hides) of a stored hash literal."""
    return split_key(split_hash(stored)[1])


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


def with_hash(m: MappedFragment) -> list[ox.Quad]:
    """A fragment graph's quads plus its content-hash quad (what makes re-ingest idempotent)."""
    return [*m.quads, hash_quad(m.graph, join_hash(m.content_hash, m.record_key))]


def hashed_lines(m: MappedFragment) -> list[str]:
    """:func:`with_hash` as printed lines (``MappedFragment.lines``, each quad printed once), for the writers."""
    return [*m.lines, str(hash_quad(m.graph, join_hash(m.content_hash, m.record_key)))]


def hash_quad(graph: ox.NamedNode, value: str) -> ox.Quad:
    return ox.Quad(graph, N(HG.contentHash), ox.Literal(value), graph)
