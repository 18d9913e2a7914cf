"""NCHS headline annual figures (transcribed with citations), parsed from the real mirror file.

Figures are those quoted in the file's ``quoted_text`` column (NCHS Data Briefs / MMWR); the
count of observations was worked out by hand from the 60 data rows: 1 bound (>63600) rejected,
14 rows repeating an earlier (measure, cause, status, year) set aside → 45 values.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from borderflow.sources import all_sources
from borderflow.sources.base import ParsedFile
from borderflow.sources.nchs_final import SOURCE, figure_meaning, parse_nchs_final
from conftest import MIRROR

NAME = "nchs_final_overdose_deaths.csv"
RAW = (MIRROR / "nchs_final" / NAME).read_bytes()
HEADER = RAW.splitlines()[0]


@pytest.fixture(scope="module")
def parsed() -> ParsedFile:
    return parse_nchs_final(RAW, NAME)


def figure(parsed: ParsedFile, measure: str, cause: str, status: str, year: int) -> pd.Series:
    """The one value of a figure, in the file's own release or one of the editions it
    transcribes."""
    obs = pd.concat([parsed.observations, *parsed.editions.values()], ignore_index=True)
    hit = obs[
        (obs["measure"] == measure)
        & (obs["cause"] == cause)
        & (obs["status"] == status)
        & (obs["period_start"] == pd.Timestamp(year, 1, 1))
    ]
    assert len(hit) == 1
    return hit.iloc[0]


def test_registered_and_finds_its_file() -> None:
    assert all_sources()["nchs_final"] is SOURCE
    assert [p.name for _, p in SOURCE.files_in(MIRROR)] == [NAME]


def test_one_value_per_figure(parsed: ParsedFile) -> None:
    assert parsed.rows_read == 60
    assert parsed.rows_rejected == 1
    # 41 values of the file's own release, 5 provisional counts dated by the release that
    # published them (2020 to 2023; 2023 twice)
    assert len(parsed.observations) == 41
    assert sorted(map(len, parsed.editions.values())) == [1, 1, 1, 1, 1]
    assert set(parsed.observations["us_state"]) == {"US"}
    assert set(parsed.observations["period_type"]) == {"calendar_year"}


def test_2022_final_counts(parsed: ParsedFile) -> None:
    total = figure(parsed, "overdose_deaths", "all_drug_overdose", "final", 2022)
    assert total["value"] == 107941 and total["unit"] == "deaths"
    assert total["period_end"] == pd.Timestamp("2022-12-31")
    assert total["footnote"].startswith("Drug Overdose Deaths in the United States, 2002–2022")
    assert "107,941 drug overdose deaths occurred" in total["footnote"]
    assert figure(parsed, "overdose_deaths", "T40.4", "final", 2022)["value"] == 73838
    provisional = figure(parsed, "overdose_deaths", "all_drug_overdose", "provisional", 2022)
    assert provisional["value"] == 109680


def test_two_provisional_2023_counts_are_two_editions(parsed: ParsedFile) -> None:
    by_day = {
        day: frame["value"].tolist()
        for day, frame in parsed.editions.items()
        if (frame["period_start"] == pd.Timestamp(2023, 1, 1)).all()
    }
    # SOURCE.md: 107,543 (provisional estimate, May 2024), 110,037 (the May 2025 release)
    assert by_day == {date(2024, 5, 15): [107543.0], date(2025, 5, 15): [110037.0]}


def test_rates_and_percent_change(parsed: ParsedFile) -> None:
    rate = figure(parsed, "overdose_death_rate_age_adjusted", "all_drug_overdose", "final", 2022)
    assert rate["value"] == 32.6
    assert rate["unit"] == "per 100,000 standard population (age-adjusted)"
    change = figure(parsed, "overdose_death_rate_age_adjusted_pct_change", "T40.4", "final", 2024)
    assert (change["value"], change["unit"]) == (-35.6, "percent")


def test_2024_final_total_keeps_the_first_of_two_secondary_citations(parsed: ParsedFile) -> None:
    # 79,384 (filtermag.org, line 54) vs 79,385 (drugfree.org, line 55): neither is on cdc.gov,
    # so the first listed is kept and the other is reported as a conflicting value.
    kept = figure(parsed, "overdose_deaths", "all_drug_overdose", "final", 2024)
    assert kept["value"] == 79384 and kept["source_row"] == 54
    conflict = next(i for i in parsed.issues if i.row == 55)
    assert (conflict.kind, conflict.severity) == ("conflicting_value", "warning")
    assert "79385" in conflict.message and "79384" in conflict.message


def test_cdc_gov_citation_wins_over_an_earlier_copy(parsed: ParsedFile) -> None:
    # 2016 rate: 19.8 (Data Brief 294, cdc.gov, line 10) vs 19.9 (secondary, line 11).
    assert figure(parsed, "overdose_death_rate_age_adjusted", "all_drug_overdose", "final", 2016)[
        "value"
    ] == pytest.approx(19.8)
    # 2018 total: a repost (line 19) comes before MMWR on cdc.gov (line 20); line 20 is kept.
    total_2018 = figure(parsed, "overdose_deaths", "all_drug_overdose", "final", 2018)
    assert (total_2018["value"], total_2018["source_row"]) == (67367, 20)
    repeat = next(i for i in parsed.issues if i.row == 19)
    assert (repeat.kind, repeat.severity) == ("duplicate_key", "warning")
    assert "cdc.gov" in repeat.message


def test_set_aside_rows_are_reported_once_and_only_as_warnings(parsed: ParsedFile) -> None:
    set_aside = [i for i in parsed.issues if i.kind in ("duplicate_key", "conflicting_value")]
    assert len(set_aside) == 13 == len({i.row for i in set_aside})
    assert {i.severity for i in set_aside} == {"warning"}
    # Row 51 (110,037, the May 2025 release) is an edition of its own, no longer set aside.
    assert sorted(i.row or 0 for i in set_aside if i.kind == "conflicting_value") == [11, 55]


def test_a_bound_is_rejected_not_read_as_a_number(parsed: ParsedFile) -> None:
    (bound,) = [i for i in parsed.issues if i.severity == "error"]
    assert (bound.row, bound.kind, bound.column, bound.value) == (
        9,
        "unparseable_number",
        "value",
        ">63600",
    )
    assert "more than 63,600" in bound.message
    assert 63600 not in set(parsed.observations["value"])
    assert figure(parsed, "overdose_deaths", "all_drug_overdose", "final", 2016)["value"] == 63632


@pytest.mark.parametrize(
    ("name", "year", "meaning"),
    [
        ("synthetic_opioid_T40.4_deaths", "2020", ("overdose_deaths", "T40.4", "deaths")),
        (
            "total_overdose_rate_pct_change_2022_to_2023",
            "2023",
            ("overdose_death_rate_age_adjusted_pct_change", "all_drug_overdose", "percent"),
        ),
        ("synthetic_opioid_T40.4_rate_pct_change_2021_to_2024", "2024", None),
        ("synthetic_opioid_T40.4_rate_pct_change_2023_to_2024", "2023", None),
        ("cocaine_deaths", "2024", None),
    ],
)
def test_figure_meaning(name: str, year: str, meaning: tuple[str, str, str] | None) -> None:
    assert figure_meaning(name, year) == meaning


def test_bad_rows_are_rejected() -> None:
    good = RAW.splitlines()[40]  # 2022 total, line 41 of the file
    assert good.startswith(b"2022,total_overdose_deaths,107941,")
    rows = [
        good.replace(b"2022,", b"20x2,", 1),
        good.replace(b"total_overdose_deaths", b"all_deaths", 1),
        good.replace(b",final,", b",estimated,", 1),
        good,
    ]
    parsed = parse_nchs_final(b"\n".join([HEADER, *rows]) + b"\n", "bad.csv")
    assert {(i.row, i.kind) for i in parsed.issues} == {
        (2, "unparseable_period"),
        (3, "unknown_category"),
        (4, "unknown_category"),
    }
    assert parsed.observations["value"].tolist() == [107941]
