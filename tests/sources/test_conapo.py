"""CONAPO monthly state population, parsed from the real mirror files.

Values read off the raw file with grep: ``grep '^2,2024-07-01,' pop_states_…csv`` →
``2,2024-07-01,4071872`` and ``grep '^2,2019-07-01,'`` → ``3767720``. Rows: 32 states × 732
months (1990-01 … 2050-12) = 23,424, as SOURCE.md says; July rows 32 × 61 years = 1,952, of
which 32 × 30 (1990–2019) are conciliación estimates.
"""

from __future__ import annotations

import pandas as pd
import pytest

from borderflow.sources.base import ParsedFile
from borderflow.sources.conapo import SOURCE, parse_states_monthly, state_names
from conftest import MIRROR

FOLDER = MIRROR / "conapo"
NAME = "pop_states_conapo2023_monthly_1990-2050.csv"


@pytest.fixture(scope="module")
def parsed() -> ParsedFile:
    return parse_states_monthly((FOLDER / NAME).read_bytes(), NAME)


def value(parsed: ParsedFile, state: str, month: str) -> pd.Series:
    obs = parsed.observations
    return obs[(obs["mx_state"] == state) & (obs["period_start"] == pd.Timestamp(month))].iloc[0]


def test_july_values_are_conapo_mid_year_figures(parsed: ParsedFile) -> None:
    projected = value(parsed, "02", "2024-07-01")
    assert (projected["value"], projected["status"]) == (4_071_872, "projected")
    estimated = value(parsed, "02", "2019-07-01")
    assert (estimated["value"], estimated["status"]) == (3_767_720, "estimate")
    assert value(parsed, "02", "2024-08-01")["status"] == "interpolated"


def test_every_row_loaded_with_explicit_months(parsed: ParsedFile) -> None:
    obs = parsed.observations
    assert (parsed.rows_read, parsed.rows_rejected, len(obs)) == (23_424, 0, 23_424)
    assert sorted(obs["mx_state"].unique()) == [f"{n:02d}" for n in range(1, 33)]
    assert set(obs["period_type"]) == {"month"} and set(obs["unit"]) == {"persons"}
    assert obs["period_end"].max() == pd.Timestamp("2050-12-31")


def test_statuses(parsed: ParsedFile) -> None:
    assert parsed.observations["status"].value_counts().to_dict() == {
        "interpolated": 23_424 - 1_952,
        "projected": 32 * 31,
        "estimate": 32 * 30,
    }


def test_state_names_lookup_is_not_an_observation_file() -> None:
    files = [path.name for _, path in SOURCE.files_in(MIRROR)]
    assert files == [NAME]
    names = state_names((FOLDER / "state_codes.csv").read_bytes(), "state_codes.csv")
    assert len(names) == 32
    assert names["09"] == "CIUDAD DE MÉXICO"  # the file is Latin-1
    assert names["19"] == "NUEVO LEÓN"


def test_bad_state_code_and_date_reject_their_rows() -> None:
    lines = (FOLDER / NAME).read_text().splitlines()
    bad = [lines[1].replace("1,", "33,", 1), lines[2].replace("-02-01", "-02-15"), lines[3]]
    parsed = parse_states_monthly(("\n".join([lines[0], *bad]) + "\n").encode(), "bad.csv")
    assert [(i.kind, i.row) for i in parsed.issues] == [
        ("unknown_category", 2),
        ("unparseable_period", 3),
    ]
    assert len(parsed.observations) == 1
