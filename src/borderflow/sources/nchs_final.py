"""NCHS headline annual drug overdose figures (final and provisional), transcribed with citations.

Publisher: CDC, National Center for Health Statistics: NCHS Data Briefs "Drug Overdose Deaths in
    the United States" (No. 273, 294, 329, 356, 394, 428, 457, 491, 522) and MMWR articles.
URL: https://www.cdc.gov/nchs/products/databriefs.htm (each row carries the page it was read from).
Licence: U.S. Government work, public domain (17 U.S.C. 105).
Cadence: final figures once a year (December, for the year before); provisional ones in May.

Quirks:
    - The file is **transcribed**, not published: one row per (year, figure, citing page) with the
      sentence the value was read from. Several rows are copies or secondary pages quoting NCHS.
    - Where several rows give the same figure, one is kept: the row whose ``source_url`` is on
      cdc.gov, else the first listed. The others are reported as ``duplicate_key`` warnings (same
      value) or ``conflicting_value`` warnings (different value: 2016 rate 19.8 vs 19.9, kept 19.8
      from Data Brief 294; 2024 final count 79,384 vs 79,385, neither on cdc.gov, kept the first,
      79,384).
    - Provisional counts name the release they come from in ``unit`` ("provisional estimate, May
      2024"; "… in the May 2025 release"): each is loaded as an edition with that month's
      publication date (mid-month), so the two provisional 2023 totals are both kept — 107,543
      as published in May 2024 and 110,037 as revised in May 2025 — and ``--as-of`` tells them
      apart. Final and provisional counts are separate series (statuses), never each other's
      revision.
    - A bound such as ``>63600`` ("more than 63,600") is not a figure; the row is rejected.
    - The percent-change row (2023 → 2024 change in the T40.4 age-adjusted rate) is stored under
      its later year.
    - Final counts are by residence; VSRR provisional 12-month-ending counts (``cdc_vsrr``) are by
      occurrence and differ (2022: 107,941 final vs 109,680 provisional predicted).
    - ``footnote`` = the kept row's source title, " — ", and the quoted sentence.
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
)
from borderflow.sources.issues import Issue, shorten
from borderflow.sources.tabular import drop_rejected, read_csv_table, to_numbers

NCHS_COLUMNS: dict[str, tuple[str, ...]] = {
    name: (name,)
    for name in (
        "year", "measure", "value", "unit", "status", "source_title", "source_url", "quoted_text"
    )
}  # fmt: skip
#: "May 2024" in a provisional row's unit: the release the count was published in.
_EDITION = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)"
    r" (\d{4})\b"
)
RATE_UNIT = "per 100,000 standard population (age-adjusted)"
#: Figure name in the file → (measure, cause, unit).
FIGURES: dict[str, tuple[str, str, str]] = {
    "total_overdose_deaths": ("overdose_deaths", "all_drug_overdose", "deaths"),
    "synthetic_opioid_T40.4_deaths": ("overdose_deaths", "T40.4", "deaths"),
    "total_overdose_age_adjusted_rate": (
        "overdose_death_rate_age_adjusted",
        "all_drug_overdose",
        RATE_UNIT,
    ),
    "synthetic_opioid_T40.4_age_adjusted_rate": (
        "overdose_death_rate_age_adjusted",
        "T40.4",
        RATE_UNIT,
    ),
}
_CHANGE = re.compile(r"(total_overdose|synthetic_opioid_T40\.4)_rate_pct_change_(\d{4})_to_(\d{4})")
_CHANGE_CAUSE = {"total_overdose": "all_drug_overdose", "synthetic_opioid_T40.4": "T40.4"}
NCHS_STATUSES = ("final", "provisional")
KEY = ["measure", "cause", "status", "year", "edition"]
PAGE = "https://www.cdc.gov/nchs/products/databriefs.htm"


def figure_meaning(name: str, year: str) -> tuple[str, str, str] | None:
    """(measure, cause, unit) of a figure name for a year, or None if it is not one we know.

    A change in rate must run from the year before to ``year``:
    ``synthetic_opioid_T40.4_rate_pct_change_2023_to_2024`` in 2024 →
    ("overdose_death_rate_age_adjusted_pct_change", "T40.4", "percent").
    """
    if name in FIGURES:
        return FIGURES[name]
    match = _CHANGE.fullmatch(name)
    if (
        match
        and re.fullmatch(r"[0-9]{4}", year)
        and (int(match[2]), int(match[3])) == (int(year) - 1, int(year))
    ):
        return ("overdose_death_rate_age_adjusted_pct_change", _CHANGE_CAUSE[match[1]], "percent")
    return None


def parse_nchs_final(raw: bytes, file: str) -> ParsedFile:
    """Parse the transcribed NCHS figures: one value per figure, status and year."""
    frame, issues, rows_read = read_csv_table(raw, file, NCHS_COLUMNS)
    frame = frame.assign(
        **{c: frame[c].str.strip() for c in ("year", "measure", "value", "status")}
    )
    frame = frame.assign(edition=_editions(frame))
    frame = _with_meaning(frame, file, issues)
    _report(
        frame,
        ~frame["status"].isin(NCHS_STATUSES),
        "status",
        "unknown_category",
        "is not 'final' or 'provisional'",
        file,
        issues,
    )
    bound = frame["value"].str.match(r"[<>]")
    _report_bounds(frame[bound], file, issues)
    plain = frame[~bound]
    frame = frame.assign(number=to_numbers(plain, "value", file, issues).reindex(frame.index))
    frame = _keep_one_per_figure(drop_rejected(frame, issues), file, issues)
    own = frame["edition"] == ""
    parsed = finish([_observations(frame[own])], file, issues, rows_read)
    parsed.editions = {
        date.fromisoformat(str(day)): finish([_observations(part)], file, issues, 0).observations
        for day, part in frame[~own].groupby("edition")
    }
    return parsed


def _editions(frame: pd.DataFrame) -> pd.Series:
    """The publication date (ISO text; "" for the file's own) of each provisional row whose unit
    names the release it was published in, on the 15th of that month (the day is unknown)."""
    months = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")  # fmt: skip
    found = frame["unit"].str.extract(_EDITION)
    dated = found[0].notna() & (frame["status"] == "provisional")
    days = [
        f"{year}-{months.index(month) + 1:02d}-15" if ok else ""
        for month, year, ok in zip(found[0], found[1], dated, strict=True)
    ]
    return pd.Series(days, index=frame.index, dtype="object")


def _observations(frame: pd.DataFrame) -> pd.DataFrame:
    start = pd.to_datetime(frame["year"] + "-01-01", format="%Y-%m-%d", errors="coerce")
    return make_observations(
        frame,
        measure=frame["measure"],
        unit=frame["unit"],
        status=frame["status"],
        period_type="calendar_year",
        period_start=start,
        period_end=start + pd.offsets.YearEnd(0),
        value=frame["number"],
        dims={"us_state": "US", "cause": frame["cause"]},
        footnote=frame["source_title"].str.strip() + " — " + frame["quoted_text"].str.strip(),
    )


def _with_meaning(frame: pd.DataFrame, file: str, issues: list[Issue]) -> pd.DataFrame:
    """Replace the figure name by measure, cause and unit; report unreadable years and names."""
    good_year = frame["year"].str.fullmatch(r"[0-9]{4}") & frame["year"].between("1900", "2100")
    _report(frame, ~good_year, "year", "unparseable_period", "is not a year", file, issues)
    meanings = [
        figure_meaning(name, year)
        for name, year in zip(frame["measure"], frame["year"], strict=True)
    ]
    known = pd.Series([m is not None for m in meanings], index=frame.index, dtype=bool)
    _report(
        frame,
        good_year & ~known,
        "measure",
        "unknown_category",
        "is not a figure this source knows",
        file,
        issues,
    )
    parts = pd.DataFrame(
        [m or (None, None, None) for m in meanings],
        index=frame.index,
        columns=["measure", "cause", "unit"],
        dtype="object",
    )
    return frame.assign(measure=parts["measure"], cause=parts["cause"], unit=parts["unit"])


def _keep_one_per_figure(frame: pd.DataFrame, file: str, issues: list[Issue]) -> pd.DataFrame:
    """One row per figure: cdc.gov first, then file order; report the rows set aside."""
    on_cdc = (
        frame["source_url"].str.strip().str.match(r"(?i)https?://([^/?#]*\.)?cdc\.gov(?:[/:?#]|$)")
    )
    ordered = frame.assign(on_cdc=on_cdc).sort_values(
        ["on_cdc", "source_row"], ascending=[False, True]
    )
    kept = ordered.drop_duplicates(KEY, keep="first")
    dropped = ordered[ordered.duplicated(KEY, keep="first")]
    winners = kept.set_index(KEY)
    for _, row in dropped.sort_values("source_row").iterrows():
        issues.append(_set_aside(row, winners.loc[tuple(row[KEY])], file))
    return kept.sort_values("source_row").drop(columns="on_cdc")


def _set_aside(row: pd.Series, kept: pd.Series, file: str) -> Issue:
    reason = "it is on cdc.gov" if kept["on_cdc"] else "it is listed first"
    figure = f"{row['measure']} ({row['cause']}, {row['status']}, {row['year']})"
    if row["number"] == kept["number"]:
        kind = "duplicate_key"
        message = (
            f"{figure} {row['value']} again, from {row['source_title']!r}; "
            f"row {kept['source_row']} ({kept['source_title']!r}) is kept because {reason}"
        )
    else:
        kind = "conflicting_value"
        message = (
            f"{figure}: {row['value']} from {row['source_title']!r} <{row['source_url']}> "
            f"disagrees with {kept['value']} from {kept['source_title']!r} "
            f"<{kept['source_url']}> (row {kept['source_row']}), which is kept because "
            f"{reason}; this row is not loaded"
        )
    return Issue(
        kind,
        "warning",
        file,
        message,
        row=int(row["source_row"]),
        column="value",
        value=shorten(row["value"]),
    )


def _report(
    frame: pd.DataFrame,
    bad: pd.Series,
    column: str,
    kind: str,
    what: str,
    file: str,
    issues: list[Issue],
) -> None:
    for row, value in zip(frame.loc[bad, "source_row"], frame.loc[bad, column], strict=True):
        issues.append(
            Issue(
                kind,
                "error",
                file,
                f"{value!r} {what}; row skipped",
                row=int(row),
                column=column,
                value=shorten(value),
            )
        )


def _report_bounds(bounds: pd.DataFrame, file: str, issues: list[Issue]) -> None:
    """``">63600"`` is "more than 63,600": a bound, not a figure, so the row is rejected."""
    for row, value in zip(bounds["source_row"], bounds["value"], strict=True):
        side = "more" if value.startswith(">") else "less"
        amount = value.lstrip("<>=").strip()
        amount = f"{int(amount):,}" if re.fullmatch(r"[0-9]+", amount) else amount
        issues.append(
            Issue(
                "unparseable_number",
                "error",
                file,
                f"{value!r} is a bound ({side} than {amount}), not a figure; row skipped",
                row=int(row),
                column="value",
                value=shorten(value),
            )
        )


SOURCE = Source(
    name="nchs_final",
    title="NCHS headline annual drug overdose deaths and rates (transcribed, with citations)",
    publisher="CDC National Center for Health Statistics (NCHS)",
    homepage=PAGE,
    licence="U.S. Government work, public domain (17 U.S.C. 105)",
    cadence="yearly (final in December, provisional in May); transcribed by hand",
    folder="nchs_final",
    parser_version="1",
    quirks=__doc__ or "",
    series=(
        FileSeries(
            key="headline",
            pattern="nchs_final_overdose_deaths.csv",
            parse=parse_nchs_final,
            known=(
                # A transcription kept in the mirror: no published file, address or checksum.
                # Vintage: the newest figure it carries (2024 final data, CDC report of
                # 29 January 2026, as cited by the Filter article).
                KnownFile(
                    name="nchs_final_overdose_deaths.csv", url=None, vintage=date(2026, 1, 29)
                ),
            ),
        ),
    ),
)
