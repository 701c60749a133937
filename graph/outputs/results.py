"""Query results as plain tables (columns + rows of strings) for the CLI, exports and tests."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox

from ..store import is_select


def term_value(term) -> str | None:
    if term is None:
        return None
    return term.value


def table(result) -> tuple[list[str], list[list[str | None]]]:
    """SELECT → (columns, rows); ASK → (["result"], [["true"|"false"]])."""
    if isinstance(result, ox.QueryBoolean):
        return ["result"], [["true" if bool(result) else "false"]]
    if is_select(result):
        cols = [v.value for v in result.variables]
        return cols, [[term_value(row[c]) for c in cols] for row in result]
    raise TypeError("CONSTRUCT/DESCRIBE results are graphs, not tables")


def to_csv(cols: list[str], rows: list[list[str | None]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue()


def to_json(cols: list[str], rows: list[list[str | None]]) -> str:
    return json.dumps([dict(zip(cols, r)) for r in rows], ensure_ascii=False, indent=2)


def short(iri: str | None) -> str | None:
    """A readable form of our own IRIs for tables (hgid:actor/huria)."""
    if iri is None:
        return None
    from ..vocab import CONCEPT, ID

    for ns, prefix in ((str(ID), "hgid:"), (str(CONCEPT), "hgc:")):
        if iri.startswith(ns):
            return prefix + iri[len(ns):]
    return iri
