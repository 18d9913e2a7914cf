"""CDC NCHS VSRR Provisional Drug Overdose Death Counts (12-month-ending, by jurisdiction).

Publisher: CDC, National Center for Health Statistics, Vital Statistics Rapid Release (VSRR).
URL: https://data.cdc.gov/NCHS/VSRR-Provisional-Drug-Overdose-Death-Counts/xkb8-kh2a
    (documentation: https://www.cdc.gov/nchs/nvss/vsrr/drug-overdose-data.htm)
Licence: U.S. Government work, public domain; cite NCHS VSRR.
Cadence: monthly; every release revises recent months.

Quirks:
    - Every value is a rolling 12-month sum ending in the named month, by place of **occurrence**
      (final NVSS / CDC WONDER counts are by residence). Not a monthly count.
    - ``data_value`` is the reported provisional count (status ``reported``); ``predicted_value``
      is NCHS's estimate adjusted for reporting delay (status ``predicted``). Recent months
      (footnote symbol ``*``, "Underreported due to incomplete data") rise in later releases.
    - Blank values where NCHS withholds data ("Data not shown due to low data quality", or
      "Data suppressed (<10)") are kept as missing values with their footnote — never zero.
    - ``state`` is kept as published: ``US`` is the national total, ``YC`` New York City, which is
      reported apart from ``NY`` (the rest of the state). Louisiana and Pennsylvania have no
      T40.4 rows.
    - The mirror holds a derivative extract: the Socrata API filtered to the one indicator
      "Synthetic opioids, excl. methadone (T40.4)", with API field names (snake_case). The parser
      also reads the full CSV download (12 indicators, title-case headers): each indicator maps
      to a cause — its ICD-10 code(s) as written, ``all_drug_overdose`` for "Number of Drug
      Overdose Deaths", and ``all_causes`` (measure ``deaths``) for "Number of Deaths";
      "Percent with drugs specified" is its own measure.
    - ``percent_complete`` and ``percent_pending_investigation`` describe the jurisdiction's data
      for the period; they are stored per indicator (cause) as published.
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
from borderflow.sources.issues import Issue, shorten
from borderflow.sources.tabular import (
    by_distinct,
    drop_rejected,
    fold,
    per_value,
    read_csv_table,
    stripped,
    to_numbers,
    unknown_values,
)
from borderflow.sources.us_states import POSTAL_BY_FIPS

VSRR_COLUMNS: dict[str, tuple[str, ...]] = {
    "state": ("state", "State"),
    "year": ("year", "Year"),
    "month": ("month", "Month"),
    "period": ("period", "Period"),
    "indicator": ("indicator", "Indicator"),
    "percent_complete": ("percent_complete", "Percent Complete"),
    "percent_pending": ("percent_pending_investigation", "Percent Pending Investigation"),
    "footnote": ("footnote", "Footnote"),
    "footnote_symbol": ("footnote_symbol", "Footnote Symbol"),
    "data_value": ("data_value", "Data Value"),
    "predicted_value": ("predicted_value", "Predicted Value"),
}
PERIOD = "12 month-ending"
JURISDICTIONS = (*POSTAL_BY_FIPS.values(), "US", "YC")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
#: Indicators named in words: folded text → (measure, cause, unit).
WORDED_INDICATORS: dict[str, tuple[str, str, str]] = {
    "number of drug overdose deaths": ("overdose_deaths", "all_drug_overdose", "deaths"),
    "number of deaths": ("deaths", "all_causes", "deaths"),
    "percent with drugs specified": (
        "percent_with_drugs_specified",
        "all_drug_overdose",
        "percent",
    ),
}
#: Measures NCHS publishes no predicted value for.
NOT_PREDICTED = ("deaths", "percent_with_drugs_specified")
_ICD = r"[A-Z]\d{2}(?:\.\d)?"
_ICD_SUFFIX = re.compile(rf"\(({_ICD}(?:\s*[-,]\s*{_ICD})*)\)\s*$")
PAGE = "https://data.cdc.gov/NCHS/VSRR-Provisional-Drug-Overdose-Death-Counts/xkb8-kh2a"


def indicator_meaning(indicator: str) -> tuple[str, str, str] | None:
    """(measure, cause, unit) of a VSRR indicator, or None if it is not one we know.

    ``"Synthetic opioids, excl. methadone (T40.4)"`` → ("overdose_deaths", "T40.4", "deaths");
    ``"Natural & semi-synthetic opioids, incl. methadone (T40.2, T40.3)"`` → cause "T40.2,T40.3".
    """
    worded = WORDED_INDICATORS.get(fold(indicator))
    if worded:
        return worded
    match = _ICD_SUFFIX.search(indicator.strip())
    if not match:
        return None
    return ("overdose_deaths", re.sub(r"\s+", "", match.group(1)), "deaths")


def parse_vsrr(raw: bytes, file: str) -> ParsedFile:
    """Parse a VSRR file (API extract or CSV download) into 12-month-ending observations."""
    frame, issues, rows_read = read_csv_table(raw, file, VSRR_COLUMNS)
    frame = _with_meaning(frame, file, issues)
    frame = frame.assign(period_end=by_distinct(_period_end, frame["year"], frame["month"]))
    _report_bad_periods(frame, file, issues)
    for column in ("state", "period"):
        frame[column] = stripped(frame[column])
    unknown_values(frame, "state", JURISDICTIONS, file, issues, label="state", severity="error")
    unknown_values(frame, "period", (PERIOD,), file, issues, label="period", severity="error")
    numbers = {
        column: to_numbers(frame, column, file, issues, label=column, blank_ok=True)
        for column in ("data_value", "predicted_value", "percent_complete", "percent_pending")
    }
    frame = drop_rejected(frame.assign(**numbers), issues)
    return finish(_observations(frame), file, issues, rows_read)


def _with_meaning(frame: pd.DataFrame, file: str, issues: list[Issue]) -> pd.DataFrame:
    """Add measure, cause and unit columns; unknown indicators are reported as errors."""
    meanings = {text: indicator_meaning(text) for text in frame["indicator"].unique()}
    known = per_value(frame["indicator"], lambda text: meanings[text] is not None, True)
    known = known.astype(bool)
    for row, text in zip(
        frame.loc[~known, "source_row"], frame.loc[~known, "indicator"], strict=True
    ):
        issues.append(
            Issue(
                "unknown_category",
                "error",
                file,
                f"indicator {text!r} is not one VSRR publishes; row skipped",
                row=int(row),
                column="indicator",
                value=shorten(text),
            )
        )
    frame = frame[known]
    parts = {
        name: frame["indicator"].map({t: m[i] for t, m in meanings.items() if m is not None})
        for i, name in enumerate(("measure", "cause", "unit"))
    }
    return frame.assign(**parts)


def _period_end(year: pd.Series, month: pd.Series) -> pd.Series:
    """Last day of the named month (``2026``, ``January`` → 2026-01-31); NaT if unreadable."""
    number = month.str.strip().str.lower().map({m: f"{i:02d}" for i, m in enumerate(MONTHS, 1)})
    text = year.str.strip().where(year.str.strip().str.fullmatch(r"[0-9]{4}"), "")
    start = pd.to_datetime(
        text + "-" + number.fillna("") + "-01", format="%Y-%m-%d", errors="coerce"
    )
    return month_end(start)


def _report_bad_periods(frame: pd.DataFrame, file: str, issues: list[Issue]) -> None:
    bad = frame["period_end"].isna()
    rows = zip(
        frame.loc[bad, "source_row"], frame.loc[bad, "year"], frame.loc[bad, "month"], strict=True
    )
    for row, year, month in rows:
        issues.append(
            Issue(
                "unparseable_period",
                "error",
                file,
                f"year {year!r} / month {month!r} is not a month; row skipped",
                row=int(row),
                column="month",
                value=shorten(f"{year} {month}"),
            )
        )


def _observations(frame: pd.DataFrame) -> list[pd.DataFrame]:
    """Reported and predicted values, and the two completeness percentages, of each row."""
    predicted_rows = frame[
        ~(frame["measure"].isin(NOT_PREDICTED) & frame["predicted_value"].isna())
    ]
    return [
        _build(frame, frame["measure"], frame["unit"], "reported", frame["data_value"]),
        _build(
            predicted_rows,
            predicted_rows["measure"],
            predicted_rows["unit"],
            "predicted",
            predicted_rows["predicted_value"],
        ),
        _build(frame, "percent_complete", "percent", "reported", frame["percent_complete"]),
        _build(
            frame, "percent_pending_investigation", "percent", "reported", frame["percent_pending"]
        ),
    ]


def _build(
    frame: pd.DataFrame,
    measure: str | pd.Series,
    unit: str | pd.Series,
    status: str,
    value: pd.Series,
) -> pd.DataFrame:
    period_end = frame["period_end"]
    return make_observations(
        frame,
        measure=measure,
        unit=unit,
        status=status,
        period_type="12_month_ending",
        period_start=period_end - pd.offsets.MonthBegin(12),
        period_end=period_end,
        value=value,
        dims={"us_state": frame["state"], "cause": frame["cause"]},
        footnote=_footnote(frame),
    )


def _footnote(frame: pd.DataFrame) -> pd.Series:
    """``"* Underreported due to incomplete data."`` — symbol then text, as published."""
    return by_distinct(_symbol_and_text, frame["footnote_symbol"], frame["footnote"])


def _symbol_and_text(symbol: pd.Series, footnote: pd.Series) -> pd.Series:
    """Each footnote symbol, a space and the footnote text (both stripped); NaN if both blank."""
    symbol = symbol.str.strip()
    text = symbol.where(symbol == "", symbol + " ") + footnote.str.strip()
    return text.mask(text == "")


SOURCE = Source(
    name="cdc_vsrr",
    title="CDC NCHS VSRR Provisional Drug Overdose Death Counts",
    publisher="CDC National Center for Health Statistics (NCHS), Vital Statistics Rapid Release",
    homepage=PAGE,
    licence="U.S. Government work, public domain; cite NCHS VSRR",
    cadence="monthly, 12-month-ending periods, recent months revised each release",
    folder="cdc_vsrr",
    parser_version="1",
    quirks=__doc__ or "",
    series=(
        FileSeries(
            key="vsrr",
            # API extracts (vsrr_…) and CSV downloads (VSRR_Provisional_…) are releases of the
            # same table: a newer one is current for the indicators and months it holds.
            pattern="[Vv][Ss][Rr][Rr]_*.csv",
            parse=parse_vsrr,
            # CDC posts a release about four months after its newest 12-month period ends.
            published=published_after(4),
            known=(
                # url is None: the file was written by the origin repository's extractor
                # (pandas ``to_csv`` of the Socrata JSON answer to indicator = T40.4,
                # $limit = 50000), so no CDC address serves these bytes; the same query on
                # https://data.cdc.gov/resource/xkb8-kh2a.csv gives a different layout (all
                # fields quoted, API column order) and the current release, not June 2026's.
                KnownFile(
                    name="vsrr_t40_4_synthetic_opioids_state_12mo_ending_2015-01_to_2026-01.csv",
                    url=None,
                    vintage=date(2026, 6, 15),
                    sha256="71535fc385706401c88a1016558f2a9b805fd4b41ae80e22d593172f4e99af0e",
                    rows=6916,
                ),
                # An earlier release (newest period: 12 months ending April 2025), U.S. rows of
                # the CSV download for all drugs and T40.4, fields as published. CDC posted it
                # around September 2025; the day is not recorded (SOURCE.md).
                KnownFile(
                    name="VSRR_Provisional_Drug_Overdose_Death_Counts_US_2015-01_to_2025-04.csv",
                    url=None,
                    vintage=date(2025, 9, 15),
                    sha256="c94cc57837502be7130abc5cc4aa6339e9589bc9261f70afbecb69a877da17ab",
                    rows=248,
                ),
            ),
        ),
    ),
)
