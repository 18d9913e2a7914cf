"""CDC WONDER exports: deaths with synthetic opioids (ICD-10 T40.4) mentioned, by state and month.

Publisher: CDC, National Center for Health Statistics, CDC WONDER.
URL: https://wonder.cdc.gov/mcd-icd10.html (D77, Multiple Cause of Death 1999–2020),
    https://wonder.cdc.gov/mcd-icd10-expanded.html (D157, 2018–2023 Single Race),
    https://wonder.cdc.gov/mcd-icd10-provisional.html (D176, Provisional 2018 through last week).
    The files are manual exports (query results, not downloads with an address), so ``url`` is None.
Licence: U.S. Government data, public domain; CDC WONDER data use restrictions apply (no attempt to
    identify individuals; counts of 1–9 are suppressed and must not be back-calculated).
Cadence: final data once a year (about December, for the year before last); provisional weekly.

Quirks:
    - Counts are deaths with T40.4 among the *multiple* causes, grouped by month and state of
      **residence**. The origin repository's saved WONDER requests (``*-req.xml`` in
      Data-Science-Link/fentanyl-awareness) also restrict the underlying cause to WONDER's
      "Drug-induced causes", which is wider than NCHS's overdose definition (X40–X44, X60–X64,
      X85, Y10–Y14); the exact request behind each file was not committed. Hence the measure name
      ``deaths_multiple_cause``: these are not the published synthetic-opioid overdose counts.
    - Suppressed state-months (1–9 deaths) are **absent**, and WONDER's total rows and footnotes
      were removed, so summing states undercounts: do not present sums as national totals (2022
      sum of rows = 73,518 against NCHS's 73,838 T40.4 overdose deaths). A ``Suppressed`` cell,
      should a fresh export carry one, is read as a missing value, never zero; a ``Total`` row
      (WONDER's subtotals) is skipped.
    - Year strings in the 2018–2023 file have trailing spaces for 2023 (``"2023 "``); the month is
      read from ``Month Code`` (``2018/01``), which has none.
    - The two final files overlap in 2018–2020 (values identical row for row). Both are the series
      ``final``; the newer release (2018–2023) is current for the months it covers.
    - Series ``provisional`` (database D176) carries 2018–2023 as final data (identical to the final
      file row for row) and labels later years ``(provisional)`` or ``(provisional and partial)``;
      every row of this series has status ``provisional`` so that it never doubles the ``final``
      series, and WONDER's label is kept as the footnote.
    - Vintages are approximate: the date each database's last data year was released.
"""

from __future__ import annotations

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
)
from borderflow.sources.issues import Issue, shorten
from borderflow.sources.tabular import drop_rejected, read_csv_table, to_numbers
from borderflow.sources.us_states import POSTAL_BY_FIPS

WONDER_COLUMNS: dict[str, tuple[str, ...]] = {
    "notes": ("Notes",),
    "month": ("Month",),
    "month_code": ("Month Code",),
    "state_code": ("State Code", "Residence State Code"),
    "cause": ("Multiple Cause of death Code",),
    "deaths": ("Deaths",),
}
PAGE = "https://wonder.cdc.gov/mcd.html"


def parse_wonder_export(raw: bytes, file: str, status: str) -> ParsedFile:
    """Parse a WONDER state × month × multiple-cause export into deaths per state-month."""
    frame, issues, rows_read = read_csv_table(raw, file, WONDER_COLUMNS)
    frame = frame[frame["notes"].str.strip().str.lower() != "total"]
    frame = frame.assign(
        period_start=_month_start(frame["month_code"]),
        us_state=frame["state_code"].str.strip().str.zfill(2).map(POSTAL_BY_FIPS),
        cause=frame["cause"].str.strip(),
    )
    _report_bad_rows(frame, file, issues)
    frame = frame.assign(deaths=_deaths(frame, file, issues))
    frame = drop_rejected(frame, issues)
    observations = make_observations(
        frame,
        measure="deaths_multiple_cause",
        unit="deaths",
        status=status,
        period_type="month",
        period_start=frame["period_start"],
        period_end=month_end(frame["period_start"]),
        value=frame["deaths"],
        dims={"us_state": frame["us_state"], "cause": frame["cause"]},
        footnote=frame["month"].str.extract(r"\(([^)]*)\)", expand=False),
    )
    return finish([observations], file, issues, rows_read)


def _month_start(code: pd.Series) -> pd.Series:
    """``"2018/01"`` → 2018-01-01; anything else → NaT."""
    text = code.str.strip()
    text = text.where(text.str.fullmatch(r"\d{4}/\d{2}"), "")
    return pd.to_datetime(text + "/01", format="%Y/%m/%d", errors="coerce")


def _deaths(frame: pd.DataFrame, file: str, issues: list[Issue]) -> pd.Series:
    """Death counts; ``Suppressed`` cells are missing values (WONDER withholds 1–9)."""
    suppressed = frame["deaths"].str.strip().str.lower() == "suppressed"
    counted = to_numbers(frame[~suppressed], "deaths", file, issues, label="Deaths")
    return counted.reindex(frame.index)


def _report_bad_rows(frame: pd.DataFrame, file: str, issues: list[Issue]) -> None:
    checks = (
        (
            frame["period_start"].isna(),
            "month_code",
            "Month Code",
            "unparseable_period",
            "is not a month (YYYY/MM)",
        ),
        (
            frame["us_state"].isna(),
            "state_code",
            "State Code",
            "unknown_category",
            "is not a state FIPS code",
        ),
        (
            frame["cause"] == "",
            "cause",
            "Multiple Cause of death Code",
            "unknown_category",
            "is not a cause of death code",
        ),
    )
    for bad, column, label, kind, what in checks:
        for row, value in zip(frame.loc[bad, "source_row"], frame.loc[bad, column], strict=True):
            issues.append(
                Issue(
                    kind,
                    "error",
                    file,
                    f"{value!r} {what}; row skipped",
                    row=int(row),
                    column=label,
                    value=shorten(value),
                )
            )


def parse_wonder_final(raw: bytes, file: str) -> ParsedFile:
    return parse_wonder_export(raw, file, "final")


def parse_wonder_provisional(raw: bytes, file: str) -> ParsedFile:
    return parse_wonder_export(raw, file, "provisional")


SOURCE = Source(
    name="cdc_wonder",
    title="CDC WONDER: deaths with synthetic opioids (T40.4) mentioned, by state and month",
    publisher="CDC National Center for Health Statistics (CDC WONDER)",
    homepage=PAGE,
    licence="U.S. Government data, public domain; CDC WONDER data use restrictions apply",
    cadence="final: yearly; provisional: weekly",
    folder="cdc_wonder",
    parser_version="1",
    quirks=__doc__ or "",
    series=(
        FileSeries(
            key="final",
            pattern="Multiple_Cause_of_Death_*.csv",
            parse=parse_wonder_final,
            known=(
                # D77 with final 2020 data: released about 22 December 2021 (approximate).
                KnownFile(
                    name="Multiple_Cause_of_Death_1999_2020_T40.4_state_month.csv",
                    url=None,
                    vintage=date(2021, 12, 22),
                    sha256="725e4a97725fec2055198de73d75828ed429d1338924ddeef58f5bc181d882ac",
                    rows=3347,
                ),
                # D157 with final 2023 data: released about 19 December 2024 (approximate).
                KnownFile(
                    name="Multiple_Cause_of_Death_2018_2023_Single_Race_T40.4_state_month.csv",
                    url=None,
                    vintage=date(2024, 12, 19),
                    sha256="725cc31c0ebfbf6b8051dcd926e691df8abbe691f8259944492a2e445d3bfde9",
                    rows=3003,
                ),
            ),
        ),
        FileSeries(
            key="provisional",
            pattern="Provisional_Mortality_Statistics_*.csv",
            parse=parse_wonder_provisional,
            known=(
                # Data through March 2025 (partial): exported about mid-April 2025 (approximate;
                # the origin repository committed it on 2025-10-25).
                KnownFile(
                    name="Provisional_Mortality_Statistics_2018_to_2025-03_T40.4_state_month.csv",
                    url=None,
                    vintage=date(2025, 4, 15),
                    sha256="bda076ca682062820a9f80d9ddbdf6a2163df2e45ff627d079ef0a38c7a8a189",
                    rows=3658,
                ),
            ),
        ),
    ),
)
