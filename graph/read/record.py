"""A fragment as read: every field as written (name, raw value, line), matched to a canonical field through
:mod:`harvestgraph.fields`. Nothing is normalised and nothing dropped: unknown fields are kept with ``key=None``."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Problem
from ..fields import FieldMatch


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
    source_format: str  # text | csv | xlsx | docx
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
