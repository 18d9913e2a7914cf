"""SESNSP victims series (third-party reshaped), parsed from the real mirror file.

The yearly homicide figures are the ones SOURCE.md gives; they were re-computed with awk:

    awk -F, '$2=="Nacional" && $3=="Homicidio doloso"{s[substr($1,1,4)]+=$4}
             END{for(y in s) print y, s[y]}' timeseries_victimas_2015-01_to_2025-01.csv
"""

from __future__ import annotations

import contextlib
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderflow.errors import SourceError
from borderflow.sources import all_sources
from borderflow.sources.base import ParsedFile
from borderflow.sources.sesnsp_victims import SOURCE, STATE_CODES, parse_victims
from conftest import MIRROR

NAME = "timeseries_victimas_2015-01_to_2025-01.csv"
HEADER = "isodate,entidad,delito,total\n"


@pytest.fixture(scope="module")
def parsed() -> ParsedFile:
    return parse_victims((MIRROR / "sesnsp" / NAME).read_bytes(), NAME)


def test_registered_and_finds_only_its_file() -> None:
    assert all_sources()["sesnsp_victims"] is SOURCE
    assert [p.name for _, p in SOURCE.files_in(MIRROR)] == [NAME]
    assert SOURCE.series[0].known_file(NAME).vintage == date(2025, 2, 20)  # type: ignore[union-attr]


def test_homicidio_doloso_national_victims_per_year(parsed: ParsedFile) -> None:
    obs = parsed.observations
    national = obs[(obs["mx_state"] == "00") & (obs["crime_subtype"] == "Homicidio doloso")]
    by_year = national.groupby(national["period_start"].dt.year)["value"].sum().to_dict()
    assert by_year == {
        2015: 17884, 2016: 22541, 2017: 28868, 2018: 33742, 2019: 34723,
        2020: 34569, 2021: 33361, 2022: 30978, 2023: 29714, 2024: 30047, 2025: 2373,
    }  # fmt: skip
    january = national[national["period_start"] == pd.Timestamp("2025-01-01")]
    assert january["value"].tolist() == [2373]


def test_placeholder_months_dropped_with_one_warning(parsed: ParsedFile) -> None:
    obs = parsed.observations
    assert obs["period_start"].max() == pd.Timestamp("2025-01-01")
    # 65,340 rows less 11 padded months × 33 entidades × 15 subtipos.
    assert parsed.rows_read == 65340
    assert len(obs) == 65340 - 11 * 33 * 15
    assert len(parsed.issues) == 1
    issue = parsed.issues[0]
    assert (issue.kind, issue.severity, issue.row) == ("placeholder_value", "warning", None)
    assert "5,445" in issue.message and "2025-02 to 2025-12" in issue.message


def test_all_states_and_nacional_mapped(parsed: ParsedFile) -> None:
    assert not [i for i in parsed.issues if i.kind == "unknown_category"]
    codes = sorted(parsed.observations["mx_state"].unique())
    assert codes == [f"{i:02d}" for i in range(33)]
    assert set(STATE_CODES.values()) == {f"{i:02d}" for i in range(33)}
    assert set(parsed.observations["unit"]) == {"victims"}


def test_state_spellings_and_unknown_names() -> None:
    rows = [
        "2024-01-01,Estado de México,Rapto,1",
        "2024-01-01,Veracruz,Rapto,2",
        "2024-01-01,COAHUILA,Rapto,3",
        "2024-01-01,Michoacán,Rapto,4",
        "2024-01-01,Narnia,Rapto,5",  # line 6
    ]
    parsed = parse_victims((HEADER + "\n".join(rows) + "\n").encode(), "t.csv")
    assert parsed.observations["mx_state"].tolist() == ["15", "30", "05", "16"]
    assert [(i.kind, i.severity, i.row, i.column) for i in parsed.issues] == [
        ("unknown_category", "error", 6, "entidad")
    ]


def test_bad_dates_and_numbers_are_row_errors() -> None:
    rows = [
        "2024-13-01,Nacional,Rapto,1",
        "3000-01-01,Nacional,Rapto,1",
        "2024-02-01,Nacional,Rapto,n/d",
    ]
    parsed = parse_victims((HEADER + "\n".join(rows) + "\n").encode(), "t.csv")
    assert parsed.observations.empty
    assert {(i.kind, i.row) for i in parsed.issues} == {
        ("unparseable_period", 2),
        ("period_out_of_range", 3),
        ("unparseable_number", 4),
    }


@pytest.mark.parametrize("raw", [b"", b"isodate,entidad,total\n2024-01-01,Nacional,1\n"])
def test_unreadable_files_raise_source_error(raw: bytes) -> None:
    with pytest.raises(SourceError):
        parse_victims(raw, "t.csv")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=300).map(lambda t: (HEADER + t).encode()))
def test_any_bytes_give_parsed_file_or_source_error(raw: bytes) -> None:
    with contextlib.suppress(SourceError):
        parse_victims(raw, "fuzz.csv")
