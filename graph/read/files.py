"""Files and folders: which reader a file goes to, and which files of a folder are harvest files."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import HarvestError
from .decoding import decode
from .tables import read_csv, read_xlsx
from .record import RawFragment
from .text import read_text
from .word import read_docx

TEXT_SUFFIXES = {".md", ".txt", ".markdown", ".text"}
CSV_SUFFIXES = {".csv", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
DOCX_SUFFIXES = {".docx"}
SUPPORTED = TEXT_SUFFIXES | CSV_SUFFIXES | XLSX_SUFFIXES | DOCX_SUFFIXES


def read_file(path: Path, display: str | None = None) -> list[RawFragment]:
    file = display or str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise HarvestError(f"unsupported file type {suffix or '(none)'}: use .md/.txt, .csv, .xlsx or .docx", file=file)
    try:
        if suffix in XLSX_SUFFIXES:
            fragments = read_xlsx(path, file)
        elif suffix in DOCX_SUFFIXES:
            fragments = read_docx(path, file)
        else:
            data = path.read_bytes()
            if not data.strip():
                raise HarvestError("empty file: no fragments", file=file, line=1)
            text, note = decode(data, file)
            fragments = read_text(text, file) if suffix in TEXT_SUFFIXES and not _tab_table(text) \
                else read_csv(text, file)
            if note and fragments:
                fragments[0].warn(None, None, note)
    except OSError as exc:
        raise HarvestError(f"cannot read: {exc.strerror or exc}", file=file) from None
    if not fragments:
        raise HarvestError("no fragments found (no 'FragmentID: ...' line, bold or plain, as a list item or a table row; "
                           "or a table with no data rows)", file=file, line=1)
    return fragments


def _tab_table(text: str) -> bool:
    """A tab-separated table saved as .txt (Excel's "Unicode Text"): a header line of several tab-separated
    cells and no "**Field**:" line."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    return first.count("\t") >= 2 and "**" not in text[:65536]


def is_readme(path: Path) -> bool:
    """README, README.md, readme.txt, ...: a folder's notes about its files, not fragments."""
    return path.stem.lower() == "readme" or path.name.lower() == "readme"


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders walked recursively (supported suffixes only; hidden entries, README files
    and Office's "~$" lock files skipped: a README describes the folder's harvest, it is no fragment),
    sorted."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in SUPPORTED and not is_readme(f)
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
                and not f.name.startswith("~$")  # the lock file Office keeps beside a workbook it has open
            ))
        elif p.exists():
            out.append(p)
        else:
            raise HarvestError("no such file or folder", file=str(p))
    return out
