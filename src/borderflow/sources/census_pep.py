"""U.S. Census Bureau Population Estimates Program: resident population of the states, July 1.

Publisher: U.S. Census Bureau, Population Estimates Program (PEP).
URL: https://www.census.gov/data/tables/time-series/demo/popest/2020s-state-total.html
    (Vintage 2025 file: https://www2.census.gov/programs-surveys/popest/datasets/2020-2025/
    state/totals/NST-EST2025-ALLDATA.csv).
Licence: U.S. Government work, public domain (17 U.S.C. 105).
Cadence: annual vintages (December); each vintage revises every year since the last census.
    Intercensal estimates for a past decade come once, after the next census.

Quirks:
    - Values are July 1 estimates; they are stored as the calendar year with the footnote
      "July 1 estimate" and status ``estimate``.
    - NST-EST2025-ALLDATA is wide: one row per area, one ``POPESTIMATE<year>`` column per year.
      Only those columns are loaded; ``ESTIMATESBASE2020`` (April 1 base) and the components of
      change (births, deaths, migration, rates) are not.
    - Its rows are the nation (SUMLEV 010, loaded as ``us_state`` "US"), 4 regions (020) and 9
      divisions (030) — which are not states and are skipped, read but not rejected — and 52
      states (040: 50 states, DC, Puerto Rico). ``SUMLEV``/``STATE`` are read as text.
    - Puerto Rico is published as a state row but is not part of the U.S. total: the 50 states
      and DC sum exactly to the U.S. row for every year.
    - The 2015–2019 file is a transcription (by a third-party repository) of the Census
      2010–2020 intercensal table ``nst-est2020int-pop.xlsx``: one row per year and state name,
      including "United States". Intercensal numbers differ from the Vintage 2019 postcensal
      numbers quoted at the time.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pandas as pd

from borderflow.errors import SourceError
from borderflow.sources.base import (
    FileSeries,
    KnownFile,
    ParsedFile,
    Source,
    finish,
    make_observations,
)
from borderflow.sources.issues import Issue, shorten
from borderflow.sources.tabular import decode_text, drop_rejected, read_csv_table, to_numbers
from borderflow.sources.us_states import POSTAL_BY_FIPS, POSTAL_BY_NAME
from borderflow.vocabulary import fold_words as fold

PAGE = "https://www.census.gov/data/tables/time-series/demo/popest/2020s-state-total.html"
VINTAGE_2025_URL = (
    "https://www2.census.gov/programs-surveys/popest/datasets/2020-2025/state/totals/"
    "NST-EST2025-ALLDATA.csv"
)
NATION, STATE, SKIPPED_LEVELS = "010", "040", ("020", "030")  # 020 regions, 030 divisions
FOOTNOTE = "July 1 estimate"
YEAR_COLUMN = re.compile(r"popestimate((?:19|20)\d\d)")
FIRST_YEAR, LAST_YEAR = 1900, 2099
POSTAL_WITH_NATION = {**POSTAL_BY_NAME, "United States": "US"}
INTERCENSAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "year": ("year",),
    "state": ("state_name",),
    "population": ("population",),
}


def parse_vintage(raw: bytes, file: str) -> ParsedFile:
    """Parse a Census NST-EST<vintage>-ALLDATA CSV into July 1 population per state and year."""
    years = _estimate_years(raw, file)
    columns = {
        "sumlev": ("SUMLEV",),
        "state": ("STATE",),
        **{y: (f"POPESTIMATE{y}",) for y in years},
    }
    frame, issues, rows_read = read_csv_table(raw, file, columns)
    frame["sumlev"] = frame["sumlev"].str.strip()
    frame = frame[~frame["sumlev"].isin(SKIPPED_LEVELS)].copy()
    frame["us_state"] = _postal_codes(frame, file, issues)
    for year in years:
        frame[year] = to_numbers(frame, year, file, issues, label=f"POPESTIMATE{year}")
    frame = drop_rejected(frame, issues)
    long = frame.melt(id_vars=["source_row", "us_state"], value_vars=years, var_name="year")
    return finish([_population(long)], file, issues, rows_read)


def parse_intercensal(raw: bytes, file: str) -> ParsedFile:
    """Parse the long 2010–2020 intercensal table (year, state name, population)."""
    frame, issues, rows_read = read_csv_table(raw, file, INTERCENSAL_COLUMNS)
    frame["year"] = _years(frame, file, issues)
    names = frame["state"].fillna("").astype(str).str.strip()
    frame["us_state"] = names.map(POSTAL_WITH_NATION)
    _report(
        frame, frame["us_state"].isna(), names, "state_name", "is not a U.S. state", file, issues
    )
    frame["value"] = to_numbers(frame, "population", file, issues, label="population")
    frame = drop_rejected(frame, issues)
    return finish([_population(frame)], file, issues, rows_read)


def _population(long: pd.DataFrame) -> pd.DataFrame:
    """Observations from rows with ``source_row``, ``us_state``, ``year`` and ``value``."""
    start = pd.to_datetime(long["year"].astype(str) + "-01-01", format="%Y-%m-%d")
    return make_observations(
        long,
        measure="population",
        unit="persons",
        status="estimate",
        period_type="calendar_year",
        period_start=start,
        period_end=start + pd.offsets.YearEnd(0),
        value=long["value"],
        dims={"us_state": long["us_state"]},
        footnote=FOOTNOTE,
    )


def _estimate_years(raw: bytes, file: str) -> list[str]:
    """The years of the header's ``POPESTIMATE<year>`` columns (empty file → SourceError)."""
    text = decode_text(raw, file)
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    matches = (YEAR_COLUMN.fullmatch(fold(cell)) for cell in header)
    years = sorted({m.group(1) for m in matches if m})
    if header and not years:
        message = "no POPESTIMATE<year> column in the header"
        raise SourceError(
            f"{file}: {message}. Check that this is a Census NST-EST…-ALLDATA file.",
            file=file,
            issues=[Issue("missing_column", "fatal", file, message, 1, "POPESTIMATE")],
        )
    return years


def _postal_codes(frame: pd.DataFrame, file: str, issues: list[Issue]) -> pd.Series:
    """``US`` for the nation row, the postal code for a state row; other rows are errors."""
    fips = frame["state"].fillna("").astype(str).str.strip().str.zfill(2)
    nation = pd.Series("US", index=frame.index, dtype="object")
    postal = nation.where(frame["sumlev"] == NATION, fips.map(POSTAL_BY_FIPS))
    postal = postal.where(frame["sumlev"].isin((NATION, STATE)))
    level_known = frame["sumlev"].isin((NATION, STATE))
    _report(
        frame, ~level_known, frame["sumlev"], "SUMLEV", "is not a known summary level", file, issues
    )
    bad_state = level_known & postal.isna()
    _report(frame, bad_state, fips, "STATE", "is not a state FIPS code", file, issues)
    return postal


def _years(frame: pd.DataFrame, file: str, issues: list[Issue]) -> pd.Series:
    text = frame["year"].fillna("").astype(str).str.strip()
    years = pd.to_numeric(text.where(text.str.fullmatch(r"\d{4}")), errors="coerce")
    bad = years.isna() | (years < FIRST_YEAR) | (years > LAST_YEAR)
    for row, value in zip(frame.loc[bad, "source_row"], text[bad], strict=True):
        message = f"year {value!r} is not a year {FIRST_YEAR}–{LAST_YEAR}; row skipped"
        issues.append(
            Issue("unparseable_period", "error", file, message, int(row), "year", shorten(value))
        )
    return years.where(~bad).astype("Int64")


def _report(
    frame: pd.DataFrame,
    bad: pd.Series,
    values: pd.Series,
    column: str,
    why: str,
    file: str,
    issues: list[Issue],
) -> None:
    """An ``unknown_category`` error for each row where ``bad`` holds."""
    for row, value in zip(frame.loc[bad, "source_row"], values[bad], strict=True):
        message = f"{value!r} {why}; row skipped"
        issues.append(
            Issue("unknown_category", "error", file, message, int(row), column, shorten(value))
        )


def vintage_of_file(name: str) -> date | None:
    """``NST-EST2026-ALLDATA.csv`` → 2026-12-01: each vintage comes out in December of its year."""
    match = re.search(r"NST-EST(\d{4})", name)
    return date(int(match.group(1)), 12, 1) if match else None


SOURCE = Source(
    name="census_pep",
    title="Census Population Estimates Program: state resident population (July 1)",
    publisher="U.S. Census Bureau, Population Estimates Program",
    homepage=PAGE,
    licence="U.S. Government work, public domain (17 U.S.C. 105)",
    cadence="annual vintages (December); intercensal revisions once a decade",
    folder="census_pep",
    parser_version="1",
    quirks=__doc__ or "",
    series=(
        FileSeries(
            key="postcensal_2020s",
            pattern="NST-EST20??-ALLDATA.csv",
            parse=parse_vintage,
            vintage_of=vintage_of_file,
            known=(
                KnownFile(
                    name="NST-EST2025-ALLDATA.csv",
                    url=VINTAGE_2025_URL,
                    vintage=date(2025, 12, 1),  # approximate: Vintage 2025 came out December 2025
                    sha256="45bce683ebf5d2760660717f045728bc10f0693b29876d81335c746a6dc2c57f",
                    rows=66,
                ),
            ),
        ),
        FileSeries(
            key="intercensal_2010_2020",
            pattern="census_pep_state_population_*_intercensal.csv",
            parse=parse_intercensal,
            known=(
                # A transcription of the official table, so no download address of its own.
                KnownFile(
                    name="census_pep_state_population_2015-2019_intercensal.csv",
                    url=None,
                    vintage=date(2024, 11, 7),  # Census released the 2010–2020 intercensal series
                    sha256="09a52385c2fb977ed0c5b55e2651df752c748c448688dca8792e20c11a23dbd1",
                    rows=265,
                ),
            ),
        ),
    ),
)
