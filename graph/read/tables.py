"""Tables: CSV (comma, semicolon or tab; Excel's "Unicode Text") and XLSX exports, one fragment a row under a
header row of field names."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import HarvestError
from ..fields import FieldMatch, match_field
from .record import RawField, RawFragment


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


def table_fragments(rows: Iterable[tuple[int, list[str]]], file: str, fmt: str) -> list[RawFragment]:
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

    return table_fragments(rows(), file, "csv")


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
            sheet_fragments = table_fragments(rows(), f"{file}[{ws.title}]", "xlsx")
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
