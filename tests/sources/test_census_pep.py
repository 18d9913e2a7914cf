"""Census PEP state population, parsed from the real mirror files.

Totals are the ones SOURCE.md gives (U.S. 2024 = 340,003,797; 2025 = 341,784,857; intercensal
2019 = 328,329,953). Independent check with the csv module on the raw file: for every year the
50 states + DC (SUMLEV 040 rows other than STATE 72) sum exactly to the SUMLEV 010 row.
"""

from __future__ import annotations

import pandas as pd
import pytest

from borderflow.sources.base import ParsedFile
from borderflow.sources.census_pep import SOURCE, parse_intercensal, parse_vintage
from borderflow.sources.us_states import STATES_AND_DC
from conftest import MIRROR

FOLDER = MIRROR / "census_pep"
VINTAGE = "NST-EST2025-ALLDATA.csv"
INTERCENSAL = "census_pep_state_population_2015-2019_intercensal.csv"


@pytest.fixture(scope="module")
def vintage() -> ParsedFile:
    return parse_vintage((FOLDER / VINTAGE).read_bytes(), VINTAGE)


@pytest.fixture(scope="module")
def intercensal() -> ParsedFile:
    return parse_intercensal((FOLDER / INTERCENSAL).read_bytes(), INTERCENSAL)


def by_year(parsed: ParsedFile) -> pd.DataFrame:
    obs = parsed.observations
    return obs.pivot(index="period_start", columns="us_state", values="value")


def test_national_totals_match_source_md(vintage: ParsedFile, intercensal: ParsedFile) -> None:
    assert by_year(vintage).loc["2024-01-01", "US"] == 340_003_797
    assert by_year(vintage).loc["2025-01-01", "US"] == 341_784_857
    assert by_year(intercensal).loc["2019-01-01", "US"] == 328_329_953


@pytest.mark.parametrize("name", ["vintage", "intercensal"])
def test_states_and_dc_sum_to_the_nation_without_puerto_rico(
    name: str, request: pytest.FixtureRequest
) -> None:
    table = by_year(request.getfixturevalue(name))
    assert len(STATES_AND_DC) == 51
    assert set(table.columns) == STATES_AND_DC | {"US", "PR"}
    assert (table[sorted(STATES_AND_DC)].sum(axis=1) == table["US"]).all()
    assert (table["PR"] > 3_000_000).all()  # present, and not inside the U.S. total


def test_only_nation_and_states_are_loaded(vintage: ParsedFile) -> None:
    obs = vintage.observations
    # 66 rows: 1 nation + 4 regions + 9 divisions + 52 states; regions and divisions skipped.
    assert (vintage.rows_read, vintage.rows_rejected, vintage.issues) == (66, 0, [])
    assert len(obs) == 53 * 6  # POPESTIMATE2020..2025 only, no components of change
    assert sorted(obs["period_start"].dt.year.unique()) == list(range(2020, 2026))


def test_july_estimates_are_calendar_years_with_a_footnote(vintage: ParsedFile) -> None:
    obs = vintage.observations
    assert set(obs["period_type"]) == {"calendar_year"}
    assert set(obs["status"]) == {"estimate"}
    assert set(obs["footnote"]) == {"July 1 estimate"}
    assert set(obs["unit"]) == {"persons"} and set(obs["measure"]) == {"population"}
    texas = obs[(obs["us_state"] == "TX") & (obs["period_start"] == "2024-01-01")]
    assert texas["period_end"].tolist() == [pd.Timestamp("2024-12-31")]


def test_intercensal_rows(intercensal: ParsedFile) -> None:
    assert (intercensal.rows_read, intercensal.rows_rejected) == (265, 0)
    assert len(intercensal.observations) == 265


def test_unknown_state_name_and_bad_state_code_are_row_errors() -> None:
    lines = (FOLDER / INTERCENSAL).read_text().splitlines()
    raw = "\n".join([lines[0], lines[1].replace("Alabama", "Alabamma"), lines[2]]) + "\n"
    parsed = parse_intercensal(raw.encode(), "bad.csv")
    assert [(i.kind, i.row, i.column) for i in parsed.issues] == [
        ("unknown_category", 2, "state_name")
    ]
    assert parsed.observations["us_state"].tolist() == ["AK"]
    lines = (FOLDER / VINTAGE).read_text().splitlines()
    texas = next(line for line in lines if ",48,Texas," in line)
    raw = "\n".join([lines[0], texas.replace(",48,Texas,", ",99,Texas,")]) + "\n"
    parsed = parse_vintage(raw.encode(), "bad.csv")
    assert [(i.kind, i.column, i.value) for i in parsed.issues] == [
        ("unknown_category", "STATE", "99")
    ]


def test_series_and_known_files() -> None:
    files = {series.key: path.name for series, path in SOURCE.files_in(MIRROR)}
    assert files == {"postcensal_2020s": VINTAGE, "intercensal_2010_2020": INTERCENSAL}
