"""CDC VSRR provisional overdose counts (T40.4 API extract), parsed from the real mirror file.

The U.S. figures and the blank counts are the ones SOURCE.md gives; the blank counts were
re-computed with the csv module:

    rows = list(csv.DictReader(open(NAME, newline="")))
    sum(r["data_value"] == "" for r in rows), sum(r["predicted_value"] == "" for r in rows)
    # → (1427, 1426)
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from borderflow.errors import SourceError
from borderflow.sources import all_sources
from borderflow.sources.base import ParsedFile
from borderflow.sources.cdc_vsrr import SOURCE, indicator_meaning, parse_vsrr
from conftest import MIRROR

NAME = "vsrr_t40_4_synthetic_opioids_state_12mo_ending_2015-01_to_2026-01.csv"
RAW = (MIRROR / "cdc_vsrr" / NAME).read_bytes()
DOWNLOAD_HEADER = (
    b"State,Year,Month,Period,Indicator,Percent Complete,Percent Pending Investigation,"
    b"State Name,Footnote,Footnote Symbol,Data Value,Predicted Value\n"
)


@pytest.fixture(scope="module")
def parsed() -> ParsedFile:
    return parse_vsrr(RAW, NAME)


def value(parsed: ParsedFile, state: str, end: str, status: str, measure: str) -> float:
    obs = parsed.observations
    hit = obs[
        (obs["us_state"] == state)
        & (obs["period_end"] == pd.Timestamp(end))
        & (obs["status"] == status)
        & (obs["measure"] == measure)
    ]
    assert len(hit) == 1
    return float(hit["value"].iloc[0])


def test_registered_and_finds_its_files_in_both_layouts() -> None:
    assert all_sources()["cdc_vsrr"] is SOURCE
    assert sorted(p.name for _, p in SOURCE.files_in(MIRROR)) == sorted(
        p.name for p in (MIRROR / "cdc_vsrr").glob("*.csv")
    )  # the API extract and the CSV download are releases of one series
    assert {series.key for series, _ in SOURCE.files_in(MIRROR)} == {"vsrr"}
    known = SOURCE.series[0].known_file(NAME)
    assert known is not None and known.rows == 6916 and known.url is None


def test_every_row_read_without_issues(parsed: ParsedFile) -> None:
    assert parsed.rows_read == 6916
    assert parsed.issues == []
    # Four observations per row: reported, predicted, percent complete, percent pending.
    assert len(parsed.observations) == 4 * 6916


@pytest.mark.parametrize(
    ("end", "reported", "predicted"),
    [
        ("2022-12-31", 74829, 75453),
        ("2023-12-31", 74091, 74792),
        ("2024-12-31", 48662, 48913),
        ("2025-12-31", 37777, 38200),
        ("2026-01-31", 36825, 37488),
    ],
)
def test_us_twelve_month_ending_counts(
    parsed: ParsedFile, end: str, reported: int, predicted: int
) -> None:
    assert value(parsed, "US", end, "reported", "overdose_deaths") == reported
    assert value(parsed, "US", end, "predicted", "overdose_deaths") == predicted


def test_period_is_the_twelve_months_ending_in_the_named_month(parsed: ParsedFile) -> None:
    obs = parsed.observations
    latest = obs[(obs["us_state"] == "US") & (obs["period_end"] == pd.Timestamp("2026-01-31"))]
    assert set(latest["period_type"]) == {"12_month_ending"}
    assert set(latest["period_start"]) == {pd.Timestamp("2025-02-01")}
    assert set(latest["cause"]) == {"T40.4"}
    pending = value(parsed, "US", "2026-01-31", "reported", "percent_pending_investigation")
    assert pending == pytest.approx(0.25675054)
    assert "* Underreported due to incomplete data." in set(latest["footnote"])


def test_withheld_values_are_missing_not_zero(parsed: ParsedFile) -> None:
    counts = parsed.observations[parsed.observations["measure"] == "overdose_deaths"]
    blanks = counts["value"].isna().groupby(counts["status"]).sum()
    assert blanks.to_dict() == {"predicted": 1426, "reported": 1427}
    assert not (counts["value"] == 0).any()
    alaska = counts[(counts["us_state"] == "AK") & (counts["period_end"] == "2015-01-31")]
    assert alaska["value"].isna().all()
    assert alaska["footnote"].str.contains("Data not shown due to low data quality").all()


def test_suppressed_reported_count_keeps_its_predicted_value(parsed: ParsedFile) -> None:
    # Hawaii, 12 months ending February 2017: data_value blank ("Data suppressed (<10)"),
    # predicted_value 10 (file line 1490).
    assert math.isnan(value(parsed, "HI", "2017-02-28", "reported", "overdose_deaths"))
    assert value(parsed, "HI", "2017-02-28", "predicted", "overdose_deaths") == 10


def test_new_york_city_and_national_codes_kept_as_published(parsed: ParsedFile) -> None:
    states = set(parsed.observations["us_state"])
    assert {"US", "YC", "NY", "PR", "DC"} <= states
    assert not {"LA", "PA"} & states
    assert len(states) == 52


def test_csv_download_headers_are_accepted() -> None:
    body = RAW.split(b"\n", 1)[1]
    from_download = parse_vsrr(DOWNLOAD_HEADER + body, "download.csv")
    pd.testing.assert_frame_equal(from_download.observations, parse_vsrr(RAW, NAME).observations)


@pytest.mark.parametrize(
    ("indicator", "meaning"),
    [
        ("Synthetic opioids, excl. methadone (T40.4)", ("overdose_deaths", "T40.4", "deaths")),
        ("Number of Drug Overdose Deaths", ("overdose_deaths", "all_drug_overdose", "deaths")),
        ("Number of Deaths", ("deaths", "all_causes", "deaths")),
        (
            "Percent with drugs specified",
            ("percent_with_drugs_specified", "all_drug_overdose", "percent"),
        ),
        ("Heroin (T40.1)", ("overdose_deaths", "T40.1", "deaths")),
        ("Opioids (T40.0-T40.4,T40.6)", ("overdose_deaths", "T40.0-T40.4,T40.6", "deaths")),
        (
            "Natural & semi-synthetic opioids, incl. methadone (T40.2, T40.3)",
            ("overdose_deaths", "T40.2,T40.3", "deaths"),
        ),
        ("Psychostimulants with abuse potential (T43.6)", ("overdose_deaths", "T43.6", "deaths")),
        ("Fentanyl and friends", None),
    ],
)
def test_indicator_meaning(indicator: str, meaning: tuple[str, str, str] | None) -> None:
    assert indicator_meaning(indicator) == meaning


def test_bad_rows_are_rejected_with_their_line() -> None:
    lines = RAW.splitlines()
    us_jan_2026 = next(line for line in lines if line.startswith(b"US,2026,January"))
    bad_month = us_jan_2026.replace(b"January", b"Janvier")
    bad_state = b"XX" + us_jan_2026[2:]
    bad_value = us_jan_2026.replace(b",36825,", b",n/a,")
    raw = b"\n".join([lines[0], bad_month, bad_state, bad_value, us_jan_2026]) + b"\n"
    parsed = parse_vsrr(raw, "bad.csv")
    assert {(i.row, i.kind, i.severity) for i in parsed.issues} == {
        (2, "unparseable_period", "error"),
        (3, "unknown_category", "error"),
        (4, "unparseable_number", "error"),
    }
    assert set(parsed.observations["source_row"]) == {5}


def test_missing_column_refuses_the_file() -> None:
    with pytest.raises(SourceError, match="predicted_value"):
        parse_vsrr(RAW.replace(b"predicted_value", b"estimate", 1), "bad.csv")
