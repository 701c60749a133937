"""Reading a batch: every file read, its fragments normalised; files that cannot be read are listed
together at the end (nothing of such a batch is mapped)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BatchError, HarvestError, Problem
from ..normalise import Fragment, normalise
from ..read import RawFragment, expand_paths, read_file


Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class IngestReport:
    files: int = 0
    fragments: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    moved: int = 0  # of the unchanged, those read from another path or line (their provenance rewritten)
    quads_written: int = 0
    confidential: int = 0
    warnings: list[Problem] = field(default_factory=list)

    def add(self, other: "IngestReport") -> None:
        """Count ``other`` (another batch) in this report too."""
        for name in ("files", "fragments", "added", "replaced", "unchanged", "moved", "quads_written", "confidential"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.warnings.extend(other.warnings)


def describe(raw: RawFragment) -> str:
    return f"{raw.source_file}:{raw.line}"


def files_of(paths: Iterable[Path]) -> list[Path]:
    files = expand_paths(paths)
    if not files:
        raise HarvestError("no .md/.txt, .csv, .xlsx or .docx files found", file=", ".join(str(p) for p in paths))
    return files


def read_each(files: Sequence[Path], progress: Progress | None,
               display: Callable[[Path], str] | None = None) -> Iterator[list[RawFragment]]:
    """The raw fragments of each file in turn; at the end, BatchError listing every file that could not
    be read at all (nothing of such a batch is mapped: a broken file is reported first)."""
    for _, raws in read_each_file(files, progress, display):
        yield raws


def read_each_file(files: Sequence[Path], progress: Progress | None,
                    display: Callable[[Path], str] | None = None) -> Iterator[tuple[Path, list[RawFragment]]]:
    """(file, its raw fragments) in turn, as :func:`read_each`."""
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
    files = files_of(list(paths))
    return [raw for raws in read_each(files, progress, display) for raw in raws], len(files)


def read_fragments(paths: Iterable[Path], progress: Progress | None = None) -> tuple[list[Fragment], list[Problem], int]:
    """Every fragment of the files, normalised, and the problems of those that do not normalise, read
    one file at a time: a big batch never holds the raw records of every file and their normalised forms
    at once (the normalised fragment keeps its raw record)."""
    files = files_of(list(paths))
    fragments: list[Fragment] = []
    problems: list[Problem] = []
    for raws in read_each(files, progress):
        done, failed = normalise_all(raws)
        fragments.extend(done)
        problems.extend(failed)
    return fragments, problems, len(files)


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
