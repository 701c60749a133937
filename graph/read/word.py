"""Word documents (.docx): the outcome forms many harvests are kept in.

A document is read as the text format is: its paragraphs in order, a paragraph that opens with a bold label
("**Outcome description:** In May ...") a field line, a heading ("Outcome 2") the end of the field before it,
plain "Field: value" paragraphs in a document with no bold label. A two-column table is a form, one field a
row ("Country | Kenya"; a first row "Field | Value" is its header); a wider table whose header row has a
FragmentID column is a sheet, one fragment a row, read as a CSV export is. A line in a problem's message is
the paragraph or table row counted from the top of the document (a wide table's rows are counted in the
table, named "[table N]").
"""

from __future__ import annotations

from pathlib import Path

from ..errors import HarvestError
from ..fields import match_field
from .record import RawFragment
from .tables import table_fragments
from .text import read_text


def _paragraph_line(paragraph) -> str:
    """A paragraph as a line of the text format: a heading as "# ...", a leading bold label as "**label**: ..."."""
    text = paragraph.text
    style = (paragraph.style.name or "") if paragraph.style is not None else ""
    if style.lower().startswith(("heading", "title")) and text.strip():
        return "# " + text.strip()
    bold = []
    for run in paragraph.runs:
        if not run.text.strip() and bold:
            bold.append(run.text)
            continue
        if run.bold:
            bold.append(run.text)
        else:
            break
    label = "".join(bold)
    rest = text[len(label):] if text.startswith(label) else None
    if label.strip() and rest is not None and (label.rstrip().endswith(":") or rest.lstrip().startswith(":")):
        name = label.strip().rstrip(":").strip()
        value = rest.lstrip()[1:] if rest.lstrip().startswith(":") else rest
        return f"**{name}**: {value.strip()}"
    return text


def _cells(row) -> list[str]:
    """A table row's cells as text, a cell merged over several columns once (python-docx repeats it)."""
    out, seen = [], set()
    for cell in row.cells:
        if cell._tc not in seen:  # (python-docx's own cell element: the same one for each merged column)
            seen.add(cell._tc)
            out.append(cell.text)
    return out


def read_docx(path: Path, file: str) -> list[RawFragment]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from zipfile import BadZipFile

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, BadZipFile, KeyError, ValueError, OSError) as exc:
        raise HarvestError(f"not a readable Word document ({exc.__class__.__name__}: {exc})", file=file) from None
    lines: list[str] = []
    sheets: list[RawFragment] = []
    tables = 0
    for block in document.iter_inner_content():
        if not isinstance(block, Table):
            lines.extend(_paragraph_line(block).split("\n"))
            continue
        tables += 1
        rows = [_cells(row) for row in block.rows]
        if rows and max(len(r) for r in rows) > 2:
            try:  # a sheet: the table reader finds its header row (a FragmentID column), as in a CSV
                sheets.extend(table_fragments(enumerate(rows, start=1), f"{file}[table {tables}]", "docx"))
            except HarvestError as exc:
                if exc.problem.field != "FragmentID":
                    raise
                lines.extend(" | ".join(c.strip() for c in r) for r in rows)  # not a form: text, reported as such
            continue
        for k, cells in enumerate(rows):
            name, value = (cells + ["", ""])[:2]
            if k == 0 and match_field(name).key is None and len(rows) > 1 and match_field(rows[1][0]).key is not None:
                lines.append("")  # a header row ("Field | Value"): layout
                continue
            if not name.strip():
                lines.append(value)
                continue
            first, *more = value.split("\n")
            lines.append(f"**{name.strip().rstrip(':').strip()}**: {first}")
            lines.extend(more)
    fragments = read_text("\n".join(lines), file) if any(line.strip() for line in lines) else []
    for frag in fragments:
        frag.source_format = "docx"
    return fragments + sheets
