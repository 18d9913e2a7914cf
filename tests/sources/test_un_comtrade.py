"""UN Comtrade (UNdata) extracts, parsed from the real mirror files.

Values asserted below were read off the raw CSV lines with grep, e.g.
``grep '"Mexico","2022","290110"' undata_comtrade_mexico_hs29_1990-2022.csv``; row and blank
counts with Python's csv module (``sum(r["Weight (kg)"] == "" for r in csv.DictReader(f))``
→ 1,513 blank weights of 16,861 rows in the Mexico file, as SOURCE.md says).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from borderflow.sources.base import ParsedFile
from borderflow.sources.un_comtrade import (
    HS_BY_COMMODITY,
    SOURCE,
    parse_all_reporters,
    parse_coded,
)
from conftest import MIRROR

FOLDER = MIRROR / "un_comtrade"
MEXICO = "undata_comtrade_mexico_hs29_1990-2022.csv"
ALL = "undata_comtrade_hs2933-fentanyl-group_all_reporters_2002-2022.csv"
COUNTRY_FILES = {
    "Mexico": "undata_comtrade_mexico_hs29_1990-2022.csv",
    "China": "undata_comtrade_china_hs29_1992-2022.csv",
    "India": "undata_comtrade_india_hs29_1988-2022.csv",
}


@pytest.fixture(scope="module")
def mexico() -> ParsedFile:
    return parse_coded((FOLDER / MEXICO).read_bytes(), MEXICO)


@pytest.fixture(scope="module")
def everyone() -> ParsedFile:
    return parse_all_reporters((FOLDER / ALL).read_bytes(), ALL)


def one(obs: pd.DataFrame, **where: str) -> pd.DataFrame:
    mask = pd.Series(True, index=obs.index)
    for column, value in where.items():
        mask &= obs[column] == value
    return obs[mask]


def test_mexico_2022_ethane_imports(mexico: ParsedFile) -> None:
    row = one(mexico.observations, hs_code="290110", flow="Import", reporter="Mexico")
    row = row[row["period_start"] == "2022-01-01"]
    values = dict(zip(row["measure"], zip(row["unit"], row["value"], strict=True), strict=True))
    assert values == {
        "trade_value": ("USD", 355_601_096.0),
        "trade_weight": ("kg", 1_392_091_854.216),
    }  # Quantity repeats the weight in kg, so no trade_quantity
    assert set(row["partner"]) == {"World"} and set(row["period_type"]) == {"calendar_year"}
    assert set(row["period_end"]) == {pd.Timestamp("2022-12-31")}


def test_blank_weights_are_no_observation_not_zero(mexico: ParsedFile) -> None:
    obs = mexico.observations
    assert mexico.rows_read == 16_861 and mexico.rows_rejected == 0
    assert (obs["measure"] == "trade_value").sum() == 16_861
    assert (obs["measure"] == "trade_weight").sum() == 16_861 - 1_513
    # "Mexico","2022","292090",…,"Export","1089929","","No Quantity",""
    row = one(obs, hs_code="292090", flow="Export")
    row = row[row["period_start"] == "2022-01-01"]
    assert row["measure"].tolist() == ["trade_value"]
    assert row["value"].tolist() == [1_089_929.0]


def test_quantities_in_other_units_are_loaded(mexico: ParsedFile) -> None:
    # "Mexico","1995","290110",…,"Import","945000","","Volume in litres","2412278"
    obs = one(mexico.observations, measure="trade_quantity")
    assert len(obs) == 18 and set(obs["unit"]) == {"litres"}
    row = one(obs, hs_code="290110", flow="Import")
    assert row.loc[row["period_start"] == "1995-01-01", "value"].tolist() == [2_412_278.0]


def test_all_reporters_file_gets_codes_from_commodity_text(everyone: ParsedFile) -> None:
    obs = everyone.observations
    assert everyone.rows_read == 2_614 and everyone.rows_rejected == 0
    values = one(obs, measure="trade_value")
    assert values["hs_code"].value_counts().to_dict() == {
        "293333": 2_445,
        "293492": 70,
        "293334": 47,
        "293337": 27,  # NPP, HS2022 (spelled "piperdone" in the file)
        "293336": 25,  # ANPP
    }
    assert values["reporter"].nunique() == 146
    # "Albania","2007",…,"Import","5137","30","Weight in kilograms","30"
    albania = one(obs, reporter="Albania", flow="Import")
    albania = albania[albania["period_start"] == "2007-01-01"]
    assert sorted(albania["value"]) == [30.0, 5_137.0]


def test_derived_codes_reproduce_the_coded_country_files(everyone: ParsedFile) -> None:
    """Every Mexico/China/India value in the all-reporters file is in that country's own file
    under the code derived from its text (111 rows, read independently with csv)."""
    values = one(everyone.observations, measure="trade_value")
    checked = 0
    for reporter, name in COUNTRY_FILES.items():
        coded = _usd_by_key(FOLDER / name)
        mine = values[values["reporter"] == reporter]
        for year, code, flow, usd in zip(
            mine["period_start"].dt.year, mine["hs_code"], mine["flow"], mine["value"], strict=True
        ):
            assert coded[(str(year), code, flow)] == usd
            checked += 1
    assert checked == 111


def test_unknown_commodity_text_keeps_a_null_code() -> None:
    raw = (FOLDER / ALL).read_bytes().splitlines()
    row = raw[1].replace(b"dipipanone (INN)", b"something new")
    parsed = parse_all_reporters(raw[0] + b"\n" + row + b"\n", "new.csv")
    assert parsed.observations["hs_code"].isna().all()
    assert parsed.observations["commodity"].str.endswith("something new").all()


def test_bad_cells_reject_their_row() -> None:
    lines = (FOLDER / MEXICO).read_text().splitlines()
    bad = [
        lines[1].replace('"2022"', '"22"'),
        lines[2].replace('"290121"', '"29O121"'),
        lines[3].replace('"Import"', '"Transit"'),
        lines[4].replace('"Import","', '"Import","x'),
    ]
    parsed = parse_coded(("\n".join([lines[0], *bad, lines[5]]) + "\n").encode(), "bad.csv")
    assert parsed.rows_read == 5 and parsed.rows_rejected == 4
    assert sorted((i.row, i.column) for i in parsed.issues) == [
        (2, "Year"),
        (3, "Comm. Code"),
        (4, "Flow"),
        (5, "Trade (USD)"),
    ]


def test_each_extract_is_its_own_series() -> None:
    files = {series.key: path.name for series, path in SOURCE.files_in(MIRROR)}
    assert files == {
        "mexico_hs29": MEXICO,
        "china_hs29": COUNTRY_FILES["China"],
        "india_hs29": COUNTRY_FILES["India"],
        "hs2933_fentanyl_group": ALL,
    }
    assert set(HS_BY_COMMODITY.values()) == {"293333", "293334", "293336", "293337", "293492"}


def _usd_by_key(path: Path) -> dict[tuple[str, str, str], float]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            (r["Year"], r["Comm. Code"], r["Flow"]): float(r["Trade (USD)"])
            for r in csv.DictReader(handle)
        }
