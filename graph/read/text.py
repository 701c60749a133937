"""The text format: "**Field**: value" lines (also as Markdown list items, two-column Markdown tables, or plain
"Field: value" lines copied out of Word or an e-mail), one or many fragments a file."""

from __future__ import annotations

import re

from ..fields import FieldMatch, match_field
from .record import RawField, RawFragment


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
        if field_line is None and (t := _TABLE_ROW.match(raw_line)) \
                and (match := match_field(t.group("name"))).key is not None:
            field_line = t.group("name"), t.group("value").replace("<br>", "\n"), match
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
