"""CBP Nationwide Drug Seizures (Office of Field Operations + U.S. Border Patrol).

Publisher: U.S. Customs and Border Protection, enforcement statistics.
URL: https://www.cbp.gov/document/stats/nationwide-drug-seizures
    (files at ``/sites/default/files/<YYYY-MM>/nationwide-drugs-fyXX-fyYY[-<mon>].csv``)
Licence: U.S. Government work, public domain (17 U.S.C. 105).
Cadence: monthly; each file is a four-fiscal-year window, re-released as months are added.

Quirks:
    - ``FY`` is the federal fiscal year (October–September); OCT/NOV/DEC of FY N are calendar
      year N-1. The in-progress year is labelled ``2026 (FYTD)``: read its first four characters.
    - Rows are pre-aggregated by FY × month × component × region × land filter × area of
      responsibility × drug. A missing combination means no seizure; there are no explicit zeros.
    - Windows overlap (FY2020–FY2022 appear in two files). The newest window is current for the
      months it covers; older windows stay queryable as of their release.
    - The file covers OFO and USBP only; Air and Marine Operations is a separate file
      (``cbp_amo``) and is not part of CBP's "nationwide" headline.
    - 45 rows in fy23-fy26-dec have 0 lb with events > 0 (undocumented; kept as published).
    - Pounds, not kilograms. A seizure total measures enforcement activity, not flow.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from borderflow.sources.base import (
    FileSeries,
    KnownFile,
    ParsedFile,
    Source,
    finish,
    make_observations,
    month_end,
    published_after,
)
from borderflow.sources.issues import Issue
from borderflow.sources.tabular import (
    by_distinct,
    drop_rejected,
    read_csv_table,
    stripped,
    to_numbers,
    unknown_values,
)

MONTHS = ("OCT", "NOV", "DEC", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP")
COMPONENTS = ("Office of Field Operations", "U.S. Border Patrol", "Air and Marine Operations")
REGIONS = ("Southwest Border", "Northern Border", "Coastal/Interior")
DRUGS = (
    "Cocaine",
    "Ecstasy",
    "Fentanyl",
    "Heroin",
    "Ketamine",
    "Khat (Catha Edulis)",
    "Lsd",
    "Marijuana",
    "Methamphetamine",
    "Other Drugs**",
)
PAGE = "https://www.cbp.gov/document/stats/nationwide-drug-seizures"
_MONTH_NUMBER = {"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
                 "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}  # fmt: skip


def seizure_columns(area_header: str) -> dict[str, tuple[str, ...]]:
    """The columns of a CBP seizure file; ``area_header`` differs between OFO/USBP and AMO files."""
    return {
        "fy": ("FY",),
        "month": ("Month (abbv)", "Month"),
        "component": ("Component",),
        "region": ("Region",),
        "land_filter": ("Land Filter",),
        "area": (area_header,),
        "drug": ("Drug Type",),
        "events": ("Count of Event", "Count of Events"),
        "pounds": ("Sum Qty (lbs)", "Sum of Qty (lbs)"),
    }


def fiscal_month_start(fy: pd.Series, month: pd.Series) -> pd.Series:
    """First day of the calendar month for a fiscal year label and a month abbreviation.

    ``FY 2024, OCT`` → 2023-10-01. Unreadable labels give NaT.
    """
    year = pd.to_numeric(fy.str.strip().str[:4], errors="coerce")
    number = month.str.strip().str.upper().map(_MONTH_NUMBER)
    calendar_year = year - (number >= 10).astype("float64")
    text = (
        calendar_year.astype("Int64").astype("string")
        + "-"
        + number.astype("Int64").astype("string")
        + "-01"
    )
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")


def parse_seizure_file(raw: bytes, file: str, area_header: str) -> ParsedFile:
    """Parse a CBP seizure CSV (nationwide or AMO layout) into pounds and events per month."""
    frame, issues, rows_read = read_csv_table(raw, file, seizure_columns(area_header))
    frame["period_start"] = by_distinct(fiscal_month_start, frame["fy"], frame["month"])
    _report_bad_periods(frame, file, issues)
    pounds = to_numbers(frame, "pounds", file, issues, label="Sum Qty (lbs)")
    events = to_numbers(frame, "events", file, issues, label="Count of Event")
    unknown_values(frame, "component", COMPONENTS, file, issues, label="Component")
    unknown_values(frame, "region", REGIONS, file, issues, label="Region")
    unknown_values(frame, "drug", DRUGS, file, issues, label="Drug Type")
    frame = frame.assign(pounds=pounds, events=events)
    frame = drop_rejected(frame, issues)
    dims: dict[str, str | pd.Series] = {
        name: stripped(frame[name])
        for name in ("component", "region", "land_filter", "area", "drug")
    }
    period_end = month_end(frame["period_start"])

    def monthly(measure: str, unit: str, value: pd.Series) -> pd.DataFrame:
        return make_observations(
            frame,
            measure=measure,
            unit=unit,
            status="reported",
            period_type="month",
            period_start=frame["period_start"],
            period_end=period_end,
            value=value,
            dims=dims,
        )

    weight = monthly("seizure_weight", "lb", frame["pounds"])
    count = monthly("seizure_events", "events", frame["events"])
    return finish([weight, count], file, issues, rows_read)


def _report_bad_periods(frame: pd.DataFrame, file: str, issues: list[Issue]) -> None:
    bad = frame["period_start"].isna()
    for row, fy, month in zip(
        frame.loc[bad, "source_row"], frame.loc[bad, "fy"], frame.loc[bad, "month"], strict=True
    ):
        issues.append(
            Issue(
                "unparseable_period",
                "error",
                file,
                f"fiscal year {fy!r} / month {month!r} is not a month; row skipped",
                row=int(row),
                column="FY",
                value=f"{fy} {month}",
            )
        )


#: CBP posts a month's figures around the middle of the next month (the August 2026 window is
#: under ``/sites/default/files/2026-09/``); the exact day is not recorded.
CBP_PUBLISHED = published_after(1)


def window_month(name: str) -> date | None:
    """The last month of data a window file carries, from its name.

    ``nationwide-drugs-fy23-fy26-dec.csv`` → 2025-12-01; ``…-fy19-fy22.csv`` (a closed window)
    → 2022-09-01, the end of FY2022.
    """
    match = re.search(r"fy(\d{2})-fy(\d{2})(?:-([a-z]{3}))?", name.lower())
    if not match:
        return None
    last_fy = 2000 + int(match.group(2))
    month = _MONTH_NUMBER.get((match.group(3) or "sep").upper())
    if month is None:
        return None
    return date(last_fy - 1 if month >= 10 else last_fy, month, 1)


def parse_nationwide(raw: bytes, file: str) -> ParsedFile:
    return parse_seizure_file(raw, file, "Area of Responsibility")


def _known(name: str, url: str | None, sha256: str | None, rows: int | None) -> KnownFile:
    through = window_month(name)
    assert through is not None
    return KnownFile(name=name, url=url, vintage=CBP_PUBLISHED(through), sha256=sha256, rows=rows)


SOURCE = Source(
    name="cbp_nationwide",
    title="CBP Nationwide Drug Seizures (OFO + USBP)",
    publisher="U.S. Customs and Border Protection",
    homepage=PAGE,
    licence="U.S. Government work, public domain (17 U.S.C. 105)",
    cadence="monthly, four-fiscal-year windows",
    folder="cbp_drug_seizures",
    parser_version="1",
    quirks=__doc__ or "",
    ignored={
        "derived_*.csv": "a third party's fiscal-year totals computed from CBP's -aug release, "
        "not a CBP file; borderflow reads CBP's own monthly files (see SOURCE.md)",
    },
    series=(
        FileSeries(
            key="nationwide",
            pattern="nationwide-drugs-fy*.csv",
            parse=parse_nationwide,
            data_through_of=window_month,
            published=CBP_PUBLISHED,
            known=(
                _known(
                    "nationwide-drugs-fy19-fy22.csv",
                    None,
                    "daa0806c41367e478d12ed742ac4a55487361b52894f46316396667b9ed3847c",
                    10092,
                ),
                _known(
                    "nationwide-drugs-fy20-fy23.csv",
                    None,
                    "5c93d66cf3498ac977064f384e029588f7ad1f410e71db328f7168b40db999db",
                    9924,
                ),
                _known(
                    "nationwide-drugs-fy23-fy26-dec.csv",
                    None,
                    "edac57a71f569253023a1ae0ec80a82748130daf4c34d146047933ab77db5b9e",
                    7895,
                ),
                # The newest release referenced publicly; not in the shared mirror.
                _known(
                    "nationwide-drugs-fy23-fy26-aug.csv",
                    "https://www.cbp.gov/sites/default/files/2026-09/nationwide-drugs-fy23-fy26-aug.csv",
                    None,
                    None,
                ),
            ),
        ),
    ),
)
