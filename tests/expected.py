"""Independent expectations: the sample corpus parsed WITHOUT harvestgraph, and expected answers in plain Python.

Tests compare what the graph answers with what this module computes straight from the input files, so a
bug in harvestgraph's readers, normaliser, mapper or queries cannot hide behind itself. It deliberately
re-implements a *tiny* reader (csv module, openpyxl, a regex for ``**Field**: value``) and only the
normalisation rules the tests need (field names, countries through pycountry, years, flags, ratings).

Public helpers:

* :func:`corpus` — every fragment of a folder as :class:`Record` (FragmentID → Record, first one wins).
* :func:`visible` — the records an anonymous reader may see (not confidential).
* :func:`field_key` — the canonical field of a field name as written.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pycountry

# --------------------------------------------------------------------------- field names

_SQUASH = re.compile(r"[^a-z0-9]+")

_EXACT = {
    "fragmentid": "fragment_id", "country": "country", "coutnry": "country", "year": "year",
    "outcomedescription": "outcome_description", "ratingsignificance": "rating_significance",
    "ratingcontribution": "rating_contribution", "outcomeisnegative": "negative",
    "thechangewasunintended": "unintended", "ohharvestingperiod": "harvest_period",
    "evidencesupportingtheoutcomestatement": "evidence", "mcqtypeofchange": "type_of_change",
    "typeofchange": "type_of_change", "typeofchangecluster": "type_of_change_cluster",
    "contributionoftheprogramme": "contribution_programme",
    "contributionofotheractorsandfactors": "contribution_others", "programme": "programme",
    "linktooutcomesinresultsframework": "rf_outcome", "confidential": "confidential",
    "outcomestatementsisconfidential": "confidential", "significanceoftheoutcome": "significance",
    "signifcanceoftheoutcome": "significance",
}


def field_key(name: str) -> str | None:
    """Canonical key of a field name as written in the sample corpus (None: a field we don't interpret)."""
    sq = _SQUASH.sub("", name.lower())
    if sq in _EXACT:
        return _EXACT[sq]
    if sq.startswith("linkto") and sq.endswith(("specificobjectives", "specificobjective")):
        return "objective"
    return None


# --------------------------------------------------------------------------- readers


def read_text_file(path: Path) -> list[dict[str, str]]:
    """``**Field**: value`` records; a new record starts at each FragmentID line; continuation lines
    belong to the previous field; ``---`` lines separate records."""
    records: list[dict[str, str]] = []
    cur: dict[str, str] | None = None
    last: str | None = None
    line_re = re.compile(r"^\s*\*\*([^*]+?):?\*\*\s*:?\s?(.*)$")
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        m = line_re.match(line)
        if m:
            name, value = m.group(1), m.group(2)
            key = field_key(name) or "?" + name.strip()
            if key == "fragment_id":
                cur = {}
                records.append(cur)
            if cur is None:
                continue
            if key not in cur or not cur[key].strip():  # the first non-empty value of a repeated field
                cur[key] = value
            last = key
        elif re.match(r"^\s*(-{3,}|\*{3,}|_{3,})\s*$", line):
            last = None
        elif cur is not None and last is not None:
            cur[last] += "\n" + line
    return records


def _rows_to_records(rows: list[list[str]]) -> list[dict[str, str]]:
    header = [field_key(h) or "?" + h.strip() for h in rows[0]]
    out = []
    for row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        rec: dict[str, str] = {}
        for k, v in zip(header, row):
            if k not in rec or not rec[k].strip():
                rec[k] = v
        out.append(rec)
    return out


def read_csv_file(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return _rows_to_records(list(csv.reader(fh)))


def read_xlsx_file(path: Path) -> list[dict[str, str]]:
    wb = openpyxl.load_workbook(path, data_only=True)
    out = []
    for ws in wb.worksheets:
        rows = [["" if c is None else (str(int(c)) if isinstance(c, float) and c.is_integer() else str(c))
                 for c in row] for row in ws.iter_rows(values_only=True)]
        if rows and any(field_key(h) == "fragment_id" for h in rows[0]):
            out.extend(_rows_to_records(rows))
    return out


# --------------------------------------------------------------------------- normalisation (independent)

_COUNTRY_ALIASES = {"drc": "CD", "tanzania": "TZ", "kosovo": "XK"}
TRUE = {"yes", "y", "true", "x", "1"}


def country_code(value: str) -> str | None:
    v = value.strip().strip(".")
    if not v:
        return None
    if v.lower() in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[v.lower()]
    try:
        return pycountry.countries.lookup(v).alpha_2
    except LookupError:
        return None


def countries(value: str) -> list[str]:
    """Every country of a Country field (the first is the outcome's country)."""
    one = country_code(value)
    if one or not value.strip():
        return [one] if one else []
    codes = [country_code(p) for p in re.split(r"\s*(?:[,;/&\n]|\band\b)\s*", value) if p.strip()]
    return codes if codes and all(codes) else []


def year(value: str) -> int | None:
    m = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", value)
    return int(m.group(1)) if m else None


def flag(value: str) -> bool | None:
    v = value.strip().lower().strip(" .!")
    if not v:
        return None
    return v in TRUE


_SIG = {"small": "small", "low": "small", "medium": "medium", "moderate": "medium", "large": "large", "high": "large"}
_CON = {"small": "small", "low": "small", "moderate": "moderate", "medium": "medium", "partial": "partial",
        "some": "partial", "large": "large", "high": "large", "substantial": "large"}


def rating(value: str, table: dict[str, str]) -> str | None:
    words = re.split(r"[\s:,;(\-]+", value.strip().lower())
    return table.get(words[0]) if words and words[0] else None


def split_multi(value: str) -> list[str]:
    out: list[str] = []
    for p in re.split(r"\s*[,;\n]\s*|\s{2,}", value.strip()):
        p = p.strip(" .\t")
        if p and p.lower() not in (o.lower() for o in out):
            out.append(p)
    return out


@dataclass
class Record:
    """One fragment as the test helper reads it."""

    id: str
    fields: dict[str, str]
    programme: str | None = None
    countries: list[str] = field(default_factory=list)
    year: int | None = None
    confidential: bool = False
    negative: bool | None = None
    unintended: bool | None = None
    significance: str | None = None
    contribution: str | None = None
    objectives: list[tuple[str | None, str]] = field(default_factory=list)  # (notation, label)
    rf_outcomes: list[str] = field(default_factory=list)
    harvest: str | None = None
    types_of_change: list[str] = field(default_factory=list)

    def text(self, key: str) -> str:
        return self.fields.get(key, "").strip()

    @property
    def programme_contributed(self) -> bool:
        """The "Contribution of the programme" field describes a contribution (the gold-label rule: empty,
        "N/A ..." and "Not applicable" are none)."""
        t = self.text("contribution_programme").lower()
        return bool(t) and not re.match(r"^\W*(n\s*/\s*a|n\.a\.?|not applicable|none|nil|no contribution|-+)(?!\w)", t)

    @property
    def country(self) -> str | None:
        return self.countries[0] if self.countries else None


def to_record(raw: dict[str, str]) -> Record:
    fid = raw["fragment_id"].strip()
    g = lambda k: raw.get(k, "")  # noqa: E731
    prog = g("programme").strip().upper() or (re.match(r"^([A-Za-z][A-Za-z0-9]{1,11})[-_ /.]", fid) or [None, None])[1]
    objectives = []
    for part in re.split(r"\s*[;\n]\s*", g("objective").strip()):
        if part.strip():
            m = re.match(r"^\s*([A-Z][A-Z0-9]{1,11})\s*[:\-\u2013\u2014]\s*(.+?)\s*$", part)
            objectives.append((m.group(1), m.group(2)) if m else (None, part.strip()))
    hp = g("harvest_period").strip()
    return Record(
        id=fid, fields=raw, programme=prog.upper() if prog else None, countries=countries(g("country")),
        year=year(g("year")), confidential=bool(flag(g("confidential"))), negative=flag(g("negative")),
        unintended=flag(g("unintended")), significance=rating(g("rating_significance"), _SIG),
        contribution=rating(g("rating_contribution"), _CON), objectives=list(dict.fromkeys(objectives)),
        rf_outcomes=split_multi(g("rf_outcome")), harvest=(hp[:1].upper() + hp[1:]) if hp else None,
        types_of_change=split_multi(g("type_of_change")))


def corpus(folder: Path) -> dict[str, Record]:
    """Every fragment under ``folder`` (text, CSV, XLSX), by FragmentID; the first occurrence wins."""
    out: dict[str, Record] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        if suffix in (".md", ".txt"):
            raws = read_text_file(path)
        elif suffix == ".csv":
            raws = read_csv_file(path)
        elif suffix == ".xlsx":
            raws = read_xlsx_file(path)
        else:
            continue
        for raw in raws:
            if raw.get("fragment_id", "").strip():
                rec = to_record(raw)
                out.setdefault(rec.id, rec)
    return out


def visible(records: dict[str, Record], *, confidential: bool = False) -> dict[str, Record]:
    """The records a reader may see: all of them with the confidential role, else the non-confidential ones."""
    return dict(records) if confidential else {k: r for k, r in records.items() if not r.confidential}


# --------------------------------------------------------------------------- the graph as plain data


def triples(store, graphs) -> set[tuple[str, str, str]]:
    """Every triple a reader with these graphs sees, as (subject, predicate, object) value strings.

    The oracle for what depends on actor extraction (contributors, changed actors, outcome chains): the
    expected answer of a query is recomputed from the raw triples in Python, independent of the query text.
    """
    res = store.query("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }", graphs=graphs)
    return {(r["s"].value, r["p"].value, r["o"].value) for r in res}


def objects(facts: set[tuple[str, str, str]], predicate: str) -> dict[str, set[str]]:
    """subject → objects of one predicate."""
    out: dict[str, set[str]] = {}
    for s, p, o in facts:
        if p == predicate:
            out.setdefault(s, set()).add(o)
    return out
