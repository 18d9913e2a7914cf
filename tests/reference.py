"""Expected figures read straight from the mirror's files with the csv module.

An independent path (no pandas, no DuckDB, no borderflow parser) that follows the publishers'
rules, so a new release in the mirror changes the expectation and the answer together:

- CBP publishes overlapping windows; for each month the newest file covering it (the file whose
  data reach furthest) is current.
- Each file is read by its own layout: a folder may hold files of several layouts.
"""

from __future__ import annotations

import csv
import functools
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from conftest import MIRROR

CBP = MIRROR / "cbp_drug_seizures"
CBP_MONTHS = ["OCT", "NOV", "DEC", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP"]
CBP_PATTERNS = {"nationwide": "nationwide-drugs-fy*.csv", "amo": "amo-drug-seizures-fy*.csv"}


def cbp_month_key(row: dict[str, str]) -> tuple[int, int]:
    """(fiscal year, month of the fiscal year 1–12) of a CBP row; "2026 (FYTD)" is FY2026."""
    return int(row["FY"][:4]), CBP_MONTHS.index(row["Month (abbv)"]) + 1


@functools.cache
def cbp_rows(path: Path) -> tuple[dict[str, str], ...]:
    with open(path, newline="") as f:
        return tuple(csv.DictReader(f))


def cbp_month_start(row: dict[str, str]) -> date:
    """The calendar month a CBP row counts (October of FY2026 is October 2025)."""
    fy, month = cbp_month_key(row)
    calendar_month = (month + 8) % 12 + 1
    return date(fy - 1 if calendar_month >= 10 else fy, calendar_month, 1)


def cbp_through(path: Path) -> tuple[int, int]:
    """The last (fiscal year, fiscal month) with data in a CBP file."""
    return max(cbp_month_key(r) for r in cbp_rows(path))


def cbp_last_month(series: str = "nationwide") -> date:
    """The newest calendar month with CBP data in the mirror."""
    return max(cbp_month_start(r) for r in cbp_rows(newest_cbp_file(series)))


def cbp_files(series: str = "nationwide") -> list[Path]:
    """The series' CBP files, oldest data first."""
    return sorted(CBP.glob(CBP_PATTERNS[series]), key=cbp_through)


def newest_cbp_file(series: str = "nationwide") -> Path:
    return cbp_files(series)[-1]


def cbp_current_rows(series: str = "nationwide") -> list[dict[str, str]]:
    """Every row that is current: each month's rows from the newest file covering that month."""
    owner: dict[tuple[int, int], Path] = {}
    for path in cbp_files(series):  # oldest first: newer files overwrite
        for key in {cbp_month_key(r) for r in cbp_rows(path)}:
            owner[key] = path
    return [
        r for path in cbp_files(series) for r in cbp_rows(path) if owner[cbp_month_key(r)] == path
    ]


def cbp_pounds_by_fy(rows: Iterable[dict[str, str]], **match: str) -> dict[int, float]:
    """Pounds by fiscal year over the rows whose columns equal ``match``."""
    totals: dict[int, float] = defaultdict(float)
    for row in rows:
        if all(row[k] == v for k, v in match.items()):
            totals[cbp_month_key(row)[0]] += float(row["Sum Qty (lbs)"])
    return dict(totals)


def cbp_fentanyl_by_fy(**match: str) -> dict[int, float]:
    """Current nationwide fentanyl pounds by fiscal year."""
    return cbp_pounds_by_fy(cbp_current_rows(), **{"Drug Type": "Fentanyl", **match})


def cbp_pounds_by_month(path: Path, **match: str) -> dict[date, float]:
    """Pounds by calendar month in one CBP file, over the rows whose columns equal ``match``."""
    totals: dict[date, float] = defaultdict(float)
    for row in cbp_rows(path):
        if all(row[k] == v for k, v in match.items()):
            totals[cbp_month_start(row)] += float(row["Sum Qty (lbs)"])
    return dict(totals)


def cbp_months_of_fy(fy: int, series: str = "nationwide") -> int:
    """How many months of ``fy`` have data in the current rows."""
    return len({cbp_month_key(r) for r in cbp_current_rows(series) if cbp_month_key(r)[0] == fy})


def vsrr_api_file() -> Path:
    """The VSRR file in the API layout (lower-case field names) that the loader reads."""
    return next(p for p in sorted((MIRROR / "cdc_vsrr").glob("*.csv")) if _has_column(p, "state"))


def _has_column(path: Path, column: str) -> bool:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return column in next(csv.reader(f))


def vsrr_files() -> list[Path]:
    """Every VSRR file in the mirror, whatever its layout."""
    return sorted((MIRROR / "cdc_vsrr").glob("*.csv"))


def vsrr_value(path: Path, state: str, indicator: str, year: int, month: str, field: str) -> float:
    """One VSRR value from a file in either layout (API names or the CSV download's Title Case
    headers with quoted thousands separators); ``field`` is ``data_value`` or
    ``predicted_value``, ``indicator`` the start of the indicator's text."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        for raw in csv.DictReader(f):
            row = {k.strip().lower().replace(" ", "_"): v for k, v in raw.items()}
            if (row["state"], row["year"], row["month"]) == (state, str(year), month) and row[
                "indicator"
            ].startswith(indicator):
                return float(row[field].replace(",", ""))
    raise KeyError((path.name, state, indicator, year, month))
