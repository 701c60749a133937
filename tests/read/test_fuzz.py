"""Fuzzing the readers and normalisers with hypothesis: whatever comes in, the only exception that comes
out is HarvestError (with a file name), and the value normalisers fail only in their documented way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harvestgraph.errors import HarvestError
from harvestgraph.fields import FIELDS, match_field
from harvestgraph.normalise import normalise, parse_country, parse_flag, parse_year, split_multi
from harvestgraph.read import RawField, RawFragment, decode, read_csv, read_file, read_text

BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.function_scoped_fixture])

FIELD_NAMES = [f.display for f in FIELDS] + ["coutnry", "Year ", "Zorblax", "", "**", ":"]
# Text that looks like the format often enough to reach deep into the parser.
format_line = st.one_of(
    st.builds(lambda n, v: f"**{n}**: {v}", st.sampled_from(FIELD_NAMES), st.text(max_size=40)),
    st.builds(lambda n, v: f"**{n}:** {v}", st.sampled_from(FIELD_NAMES), st.text(max_size=40)),
    st.sampled_from(["---", "***", "", "# heading", "  ", "**FragmentID**:", "**FragmentID**: X-1/2"]),
    st.text(max_size=60),
)
format_text = st.lists(format_line, max_size=30).map("\n".join)
csv_text = st.one_of(
    st.text(max_size=400),
    st.lists(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12), max_size=6),
             max_size=8).map(lambda rows: "\n".join(",".join(r) for r in [["FragmentID", "Country", "Year"], *rows])),
    st.builds(lambda body: 'FragmentID,Outcome description\nX-1,"' + body, st.text(max_size=80)),
)


def only_harvest_errors(fn, *args):
    """Call fn; a HarvestError is fine (it must name a file), anything else fails the test."""
    try:
        return fn(*args)
    except HarvestError as exc:
        assert exc.problem.file and str(exc)
        return None


@BOUNDED
@given(format_text)
def test_read_text_never_crashes(text):
    frags = only_harvest_errors(read_text, text, "fuzz.md") or []
    for f in frags:  # every field kept, every line inside the text
        assert f.fields
        n = len(re.split(r"\r\n|\r|\n", text))
        assert all(1 <= fld.line <= n for fld in f.fields)


@BOUNDED
@given(csv_text)
def test_read_csv_never_crashes(text):
    frags = only_harvest_errors(read_csv, text, "fuzz.csv") or []
    for f in frags:
        assert f.source_format == "csv" and f.line >= 2


@BOUNDED
@given(st.binary(max_size=600))
def test_decode_never_crashes(data):
    out = only_harvest_errors(decode, data, "fuzz.bin")
    if out is not None:
        text, note = out
        assert isinstance(text, str) and (note is None or "UTF-8" in note)
    else:
        assert b"\x00" in data


@BOUNDED
@given(st.binary(max_size=400), st.sampled_from([".md", ".csv", ".txt", ".xlsx"]))
def test_read_file_on_arbitrary_bytes(tmp_path_factory, data, suffix):
    path: Path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(data)
    only_harvest_errors(read_file, path)


@BOUNDED
@given(st.text(max_size=40))
def test_parse_flag_contract(value):
    try:
        out = parse_flag(value)
    except ValueError:
        return
    assert out in (True, False, None)
    if out is None:
        assert not value.strip()


@pytest.mark.parametrize("written", ["YES", "Y", "true", "x", "Yes.", " yes ", "TRUE"])
def test_confidential_flag_spellings(written):
    assert parse_flag(written) is True


@BOUNDED
@given(st.text(max_size=40))
def test_parse_year_contract(value):
    try:
        year, note = parse_year(value)
    except ValueError:
        return
    assert year is None or (1900 <= year <= 2099 and str(year) in value)


@BOUNDED
@given(st.text(max_size=30))
def test_parse_country_contract(value):
    try:
        c = parse_country(value)
    except LookupError:
        return
    assert len(c.code) == 2 and c.code.isupper() and c.name


@BOUNDED
@given(st.one_of(st.none(), st.text(max_size=80)))
def test_split_multi_contract(value):
    parts = split_multi(value)
    assert all(p and p == p.strip(" .\t") for p in parts)
    assert len({p.lower() for p in parts}) == len(parts)


raw_field = st.builds(lambda name, value: (name, value), st.sampled_from(FIELD_NAMES), st.text(max_size=60))


@BOUNDED
@given(st.lists(raw_field, max_size=25), st.text(min_size=1, max_size=20))
def test_normalise_raises_only_harvest_errors(fields, fid):
    raw = RawFragment("fuzz.md", "text", 1)
    raw.fields.append(RawField("FragmentID", fid, 1, match_field("FragmentID")))
    for i, (name, value) in enumerate(fields, 2):
        raw.fields.append(RawField(name, value, i, match_field(name)))
    try:
        frag = normalise(raw)
    except HarvestError as exc:
        assert exc.problem.file == "fuzz.md" and exc.problem.line is not None and exc.problem.field
        return
    assert frag.id == fid.strip()
    assert frag.year is None or 1900 <= frag.year <= 2099
