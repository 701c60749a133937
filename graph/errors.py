"""Typed errors and warnings. Every problem names the file, the line (or row) and the field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f": field {self.field!r}"
        return f"{where}: {self.message}"


class HarvestError(Exception):
    """Bad input or a failed operation; the message is one clear line naming file, line and field."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None, field: str | None = None):
        self.problem = Problem(file or "<input>", line, field, message)
        super().__init__(str(self.problem))


class BatchError(HarvestError):
    """Several problems in one batch; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        Exception.__init__(self, str(first) + more)
        self.problem = first


class StoreError(HarvestError):
    """The store could not be read or written."""
