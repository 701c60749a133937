"""Read fragments as people keep them: the ``**Field**: value`` text format, CSV and XLSX exports.

Readers produce :class:`RawFragment` objects: every field as written (name, raw value, line), matched
to a canonical field through :mod:`harvestgraph.fields`. Nothing is normalised here and nothing is
dropped: unknown fields are kept with ``key=None`` and reported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import HarvestError, Problem
from .fields import FieldMatch, match_field

TEXT_SUFFIXES = {".md", ".txt", ".markdown", ".text"}
CSV_SUFFIXES = {".csv", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
SUPPORTED = TEXT_SUFFIXES | CSV_SUFFIXES | XLSX_SUFFIXES


@dataclass
class RawField:
    name: str  # as written (trailing spaces and typos included)
    value: str  # as written
    line: int
    match: FieldMatch

    @property
    def key(self) -> str | None:
        return self.match.key


@dataclass
class RawFragment:
    source_file: str
    source_format: str  # text | csv | xlsx
    line: int  # line of the FragmentID (text) or row number (csv/xlsx, header = 1)
    fields: list[RawField] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def first(self, key: str) -> RawField | None:
        for f in self.fields:
            if f.key == key:
                return f
        return None

    def value(self, key: str) -> str | None:
        f = self.first(key)
        return None if f is None else f.value

    @property
    def fragment_id(self) -> str | None:
        v = self.value("fragment_id")
        return v.strip() if v is not None and v.strip() else None

    def warn(self, line: int | None, fld: str | None, message: str) -> None:
        self.warnings.append(Problem(self.source_file, line, fld, message))


# --------------------------------------------------------------------------- decoding


def decode(data: bytes, file: str) -> tuple[str, str | None]:
    """UTF-8 (with or without BOM); UTF-16 with a BOM (Excel's "Unicode Text" export); otherwise
    cp1252/latin-1 with a warning. Binary is refused."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as exc:
            raise HarvestError(f"UTF-16 text with a bad byte at offset {exc.start}", file=file) from None
    if b"\x00" in data[:65536]:
        raise HarvestError("binary file (NUL bytes): not a text, CSV or XLSX export", file=file, line=None)
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        for enc in ("cp1252", "latin-1"):
            try:
                return data.decode(enc), f"not valid UTF-8 (first bad byte on line {line}); decoded as {enc}"
            except UnicodeDecodeError:
                continue
    raise HarvestError("cannot decode text", file=file)  # pragma: no cover - latin-1 decodes everything


# --------------------------------------------------------------------------- text format

# "**Field**: value", also as a Markdown list item ("- **Field**: value")
_FIELD_LINE = re.compile(r"^\s*(?:[-*+•]\s+)?\*\*(?P<name>[^*\n]+?)(?P<colon_in>:?)\*\*(?P<colon>\s*:)?[ \t]?"
                         r"(?P<value>.*)$")
# "Field: value" as text copied out of Word or an e-mail loses the bold: read so in a file with no bold field line,
# and only for the names of known fields (a value's own "Note: ..." stays in the value)
_PLAIN_FIELD_LINE = re.compile(r"^\s*(?:[-*+•]\s+)?(?P<name>[A-Za-z][^:\n]{0,79}?)\s*:[ \t]?(?P<value>.*)$")
_SEPARATOR = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_HEADING = re.compile(r"^\s*#")
# a Markdown heading ("## Outcome 2") is layout: it ends the field before it
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+\S")
# a row of a two-column Markdown table of fields ("| **Country** | Kenya |"), and a table's rule ("|---|---|")
_TABLE_ROW = re.compile(r"^\s*\|\s*(?:\*\*)?(?P<name>[^|*]+?)(?:\*\*)?\s*:?\s*\|[ \t]*(?P<value>.*?)[ \t]*\|?[ \t]*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _plain_field(line: str) -> tuple[str, str, FieldMatch] | None:
    """A "Field: value" line whose name is a known field's (exactly, by alias or pattern, or, from six letters
    on, by one slip of the keyboard: "Coutnry"), as (name, value, match)."""
    m = _PLAIN_FIELD_LINE.match(line)
    if m is None:
        return None
    name = m.group("name")
    match = match_field(name)
    if match.key is None or match.method == "fuzzy" and len(name.strip()) < 6:
        return None
    return name, m.group("value"), match


# Only what editors count as line breaks: str.splitlines() would also split on form feeds, U+2028 and
# other separators pasted from Word or PDFs, shifting the line numbers in error messages and
# turning the separator inside a value into a newline.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def read_text(text: str, file: str) -> list[RawFragment]:
    fragments: list[RawFragment] = []
    current: RawFragment | None = None
    last: RawField | None = None

    def close() -> None:
        nonlocal current, last
        if current is not None and current.fields:
            for f in current.fields:  # trailing blank continuation lines are layout, not value
                f.value = f.value.rstrip("\r\n")
            fragments.append(current)
        current, last = None, None

    lines = _LINE_BREAK.split(text)
    bold = any((m := _FIELD_LINE.match(line)) and (m.group("colon_in") or m.group("colon")) for line in lines)
    for lineno, raw_line in enumerate(lines, start=1):
        field_line = None
        if bold:
            m = _FIELD_LINE.match(raw_line)
            if m and (m.group("colon_in") or m.group("colon")):
                field_line = m.group("name"), m.group("value"), match_field(m.group("name"))
        else:
            field_line = _plain_field(raw_line)
        if field_line is None and (t := _TABLE_ROW.match(raw_line)) and match_field(t.group("name")).key is not None:
            field_line = t.group("name"), t.group("value").replace("<br>", "\n"), match_field(t.group("name"))
        elif field_line is None and (_TABLE_RULE.match(raw_line) and "|" in raw_line or _TABLE_ROW.match(raw_line)
                                     and lineno < len(lines) and _TABLE_RULE.match(lines[lineno])):
            last = None  # a table's rule, or its header row ("| Field | Value |") above the rule: layout
            continue
        if field_line is not None:
            name, value, match = field_line
            if match.key == "fragment_id" and current is not None and current.fragment_id is not None:
                close()
            if current is None:
                current = RawFragment(file, "text", lineno)
            if match.key == "fragment_id":
                current.line = lineno
            last = RawField(name, value, lineno, match)
            current.fields.append(last)
            continue
        if _SEPARATOR.match(raw_line):
            close()
            continue
        if _MARKDOWN_HEADING.match(raw_line):
            last = None
            continue
        if last is not None:
            last.value += "\n" + raw_line
        elif raw_line.strip() and not _HEADING.match(raw_line):
            if current is None:
                current = RawFragment(file, "text", lineno)
            current.warn(lineno, None, f"text outside any field ignored: {raw_line.strip()[:80]!r}")
    close()
    return fragments


# --------------------------------------------------------------------------- tables (CSV, XLSX)


# How far down a sheet the header row is looked for: exports often carry a title, a date or a row of group
# headings ("Identification | Outcome | Contribution", merged across columns) above the field names.
HEADER_SEARCH_ROWS = 10


def _header_row(it: Iterator[tuple[int, list[str]]], file: str
                ) -> tuple[int, list[str], list[FieldMatch], list[tuple[int, str]]] | None:
    """The header row of a table: the first non-empty row (of the first :data:`HEADER_SEARCH_ROWS`) with a
    FragmentID column and another known field; returned with its line, its matches and the rows above it
    (line, text) that were skipped. None for a table with no non-empty row. Raises HarvestError, naming the
    first non-empty row, when no row qualifies."""
    above: list[tuple[int, str]] = []
    first_line = None
    for line, cells in it:
        if not any(c.strip() for c in cells):
            continue
        first_line = first_line or line
        header = list(cells)
        while header and not header[-1].strip():
            header.pop()
        matches = [match_field(h) for h in header]
        keys = {m.key for m in matches if m.key}
        if "fragment_id" in keys and (len(keys) >= 2 or not above):
            return line, header, matches, above
        above.append((line, " | ".join(c.strip() for c in cells if c.strip())))
        if len(above) >= HEADER_SEARCH_ROWS:
            break
    if first_line is None:
        return None
    raise HarvestError(f"no FragmentID column in the header row (nor in a row below it, up to {HEADER_SEARCH_ROWS} "
                       "rows down)", file=file, line=first_line, field="FragmentID")


def _table_fragments(rows: Iterable[tuple[int, list[str]]], file: str, fmt: str) -> list[RawFragment]:
    it = iter(rows)
    found = _header_row(it, file)
    if found is None:
        return []
    header_line, header, matches, above = found
    fragments: list[RawFragment] = []
    for lineno, cells in it:
        if not any(c.strip() for c in cells):
            continue
        frag = RawFragment(file, fmt, lineno)
        if len(cells) > len(header):
            extra = [i for i in range(len(header), len(cells)) if cells[i].strip()]
            if extra:
                raise HarvestError(
                    f"row has {len(cells)} cells but the header has {len(header)}; cell {extra[0] + 1} is not under any column",
                    file=file, line=lineno, field=None)
        elif len(cells) < len(header):
            frag.warn(lineno, header[len(cells)].strip(),
                      f"row has {len(cells)} cells, header has {len(header)}: the missing cells are read as empty")
        for i, (name, match) in enumerate(zip(header, matches)):
            value = cells[i] if i < len(cells) else ""
            if not name.strip():
                if not value.strip():
                    continue
                name, match = f"column {i + 1}", FieldMatch(None, "unknown", 0.0)
            frag.fields.append(RawField(name, value, lineno, match))
        fragments.append(frag)
    if above and fragments:  # said once, on the first fragment: nothing in those rows is stored
        lines = f"row {above[0][0]}" if len(above) == 1 else f"rows {above[0][0]}-{above[-1][0]}"
        shown = "; ".join(repr(text[:60]) for _, text in above[:3])
        fragments[0].warn(header_line, None, f"{lines} above the header row (line {header_line}) read as a title, "
                                             f"not as fragments, and not stored: {shown}")
    return fragments


def _delimiter(text: str) -> str:
    """The delimiter that splits the header row into a FragmentID column (a title line above the header may hold
    a comma: "Harvest export, 1 Dec 2025"); else the most frequent one of the first line."""
    lines = text.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS]
    for line in lines:
        for d in sorted(",;\t", key=line.count, reverse=True):
            if d in line and any(match_field(c.strip().strip('"')).key == "fragment_id" for c in line.split(d)):
                return d
    first = lines[0] if lines else ""
    return max(",;\t", key=first.count) if first else ","


def read_csv(text: str, file: str) -> list[RawFragment]:
    delimiter = _delimiter(text)
    # The csv module refuses fields over 128 KiB by default; an outcome text may be longer. No field can
    # be longer than the text itself. (A process-wide setting, only ever raised.)
    csv.field_size_limit(max(csv.field_size_limit(), min(len(text) + 1, 2**31 - 1)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[str]]]:
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise HarvestError(f"malformed CSV: {exc}", file=file, line=start) from None
            yield start, cells

    return _table_fragments(rows(), file, "csv")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "YES" if value else "NO"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_xlsx(path: Path, file: str) -> list[RawFragment]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException
    from zipfile import BadZipFile

    try:
        wb_values = openpyxl.load_workbook(path, data_only=True)
        wb_formulas = openpyxl.load_workbook(path, data_only=False)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        raise HarvestError(f"not a readable XLSX workbook ({exc.__class__.__name__}: {exc})", file=file) from None
    fragments: list[RawFragment] = []
    for ws in wb_values.worksheets:
        wf = wb_formulas[ws.title]
        merged: dict[tuple[int, int], object] = {}
        for rng in ws.merged_cells.ranges:
            top = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    merged[(r, c)] = top
        formula_cells: list[tuple[int, str]] = []

        def rows() -> Iterator[tuple[int, list[str]]]:
            for r, row in enumerate(ws.iter_rows(), start=1):
                cells = []
                for c, cell in enumerate(row, start=1):
                    value = merged.get((r, c), cell.value)
                    if value is None:
                        f = wf.cell(r, c).value
                        if isinstance(f, str) and f.startswith("="):
                            value = f  # a formula with no cached value: keep its text, never evaluate it
                            formula_cells.append((r, cell.coordinate))
                    cells.append(_cell_text(value))
                yield r, cells

        try:
            sheet_fragments = _table_fragments(rows(), f"{file}[{ws.title}]", "xlsx")
        except HarvestError as exc:
            if exc.problem.field == "FragmentID" and len(wb_values.worksheets) > 1:
                continue  # a sheet that is not a fragment table (notes, lists) in a multi-sheet workbook
            raise
        for frag in sheet_fragments:
            for r, coord in formula_cells:
                if r == frag.line:
                    frag.warn(r, coord, "formula without a cached value: its text is kept as the value")
        fragments.extend(sheet_fragments)
    return fragments


# --------------------------------------------------------------------------- files and folders


def read_file(path: Path, display: str | None = None) -> list[RawFragment]:
    file = display or str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise HarvestError(f"unsupported file type {suffix or '(none)'}: use .md/.txt, .csv or .xlsx", file=file)
    try:
        if suffix in XLSX_SUFFIXES:
            fragments = read_xlsx(path, file)
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
