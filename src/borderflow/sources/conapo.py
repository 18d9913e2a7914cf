"""CONAPO population of the Mexican states (2023 projections), interpolated to months.

Publisher: Consejo Nacional de Población (CONAPO), Gobierno de México — "Proyecciones de la
    Población de México y de las Entidades Federativas 2020–2070" with the conciliación
    demográfica 1950–2019, released 2023. Monthly file built by Diego Valle-Jones
    (github.com/diegovalle/new.crimenmexico, ``clean/data/pop_states.csv``, 2024-02-05).
URL: https://www.gob.mx/conapo (the mid-year table the monthly file was built from:
    https://conapo.segob.gob.mx/work/models/CONAPO/Datos_Abiertos/pry23/00_Pob_Mitad_1950_2070.csv;
    the monthly file itself has no official address).
Licence: Términos de Libre Uso de los Datos Abiertos de México (attribute CONAPO); the
    derivative's code is MIT.
Cadence: a new projection round every few years (2018, 2023); the monthly file is rebuilt then.

Quirks:
    - Only rows dated July 1 are CONAPO's figures (mid-year population by state, summed over
      age and sex). Every other month is a cubic spline between them (``zoo::na.spline``) and
      has status ``interpolated``. July values up to 2019 come from the conciliación
      demográfica (status ``estimate``); from 2020 on they are projections (``projected``).
    - ``state_code`` is the INEGI state code, unpadded (``1``); it is stored zero-padded
      (``"01"``). There is no national row: Mexico is the sum of the 32 states.
    - CONAPO's projections differ from the INEGI 2020 Census counts.
    - ``state_codes.csv`` in the same folder is a lookup of state names (Latin-1, upper case),
      not observations: ``state_names()`` reads it for the gazetteer.
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
from borderflow.sources.tabular import (
    by_distinct,
    drop_rejected,
    read_csv_table,
    stripped,
    to_numbers,
)

PAGE = "https://www.gob.mx/conapo"
LAST_ESTIMATED_YEAR = 2019  # conciliación demográfica 1950–2019; projections from 2020
MID_YEAR_MONTH = 7
FIRST_YEAR, LAST_YEAR = 1950, 2070  # the span CONAPO's 2023 round covers
COLUMNS: dict[str, tuple[str, ...]] = {
    "state": ("state_code",),
    "date": ("date",),
    "population": ("population",),
}
NAME_COLUMNS: dict[str, tuple[str, ...]] = {"state": ("state_code",), "name": ("state",)}
FOOTNOTES = {
    "estimate": "CONAPO mid-year (July 1) value, conciliación demográfica",
    "projected": "CONAPO mid-year (July 1) value, 2023 projections",
    "interpolated": "cubic spline between CONAPO mid-year values (diegovalle/new.crimenmexico)",
}


def parse_states_monthly(raw: bytes, file: str) -> ParsedFile:
    """Parse the monthly state population file into population per state and month."""
    frame, issues, rows_read = read_csv_table(raw, file, COLUMNS)
    frame["mx_state"] = state_codes(frame, file, issues)
    frame["period_start"] = _months(frame, file, issues)
    frame["value"] = to_numbers(frame, "population", file, issues, label="population")
    frame = drop_rejected(frame, issues)
    status = statuses(frame["period_start"])
    population = make_observations(
        frame,
        measure="population",
        unit="persons",
        status=status,
        period_type="month",
        period_start=frame["period_start"],
        period_end=month_end(frame["period_start"]),
        value=frame["value"],
        dims={"mx_state": frame["mx_state"]},
        footnote=status.map(FOOTNOTES),
    )
    return finish([population], file, issues, rows_read)


def statuses(start: pd.Series) -> pd.Series:
    """``estimate``/``projected`` for July (CONAPO's own values), ``interpolated`` otherwise."""
    july = start.dt.month == MID_YEAR_MONTH
    mid_year = pd.Series("projected", index=start.index).where(
        start.dt.year > LAST_ESTIMATED_YEAR, "estimate"
    )
    return mid_year.where(july, "interpolated")


def state_names(raw: bytes, file: str) -> dict[str, str]:
    """INEGI code → state name from ``state_codes.csv`` (``"09"`` → ``"CIUDAD DE MÉXICO"``).

    Names are returned as published (upper case). Rows with an unreadable code are left out.

    Raises:
        SourceError: the file cannot be read or lacks a column.
    """
    frame, _, _ = read_csv_table(raw, file, NAME_COLUMNS, encodings=("utf-8", "latin-1"))
    frame["code"] = state_codes(frame, file, [])
    frame = frame[frame["code"].notna()]
    return dict(zip(frame["code"], frame["name"].str.strip(), strict=True))


def state_codes(frame: pd.DataFrame, file: str, issues: list[Issue]) -> pd.Series:
    """``state_code`` as the 2-digit INEGI code; anything but 1–32 is a row error."""
    text = stripped(frame["state"])
    number = by_distinct(_small_numbers, text)
    bad = number.isna() | (number < 1) | (number > 32)
    for row, value in zip(frame.loc[bad, "source_row"], text[bad], strict=True):
        message = f"state code {value!r} is not an INEGI state code (1–32); row skipped"
        issues.append(
            Issue(
                "unknown_category", "error", file, message, int(row), "state_code", shorten(value)
            )
        )
    return by_distinct(_two_digit_codes, text)


def _small_numbers(text: pd.Series) -> pd.Series:
    """Texts of one or two digits as numbers; other texts NaN."""
    return pd.to_numeric(text.where(text.str.fullmatch(r"\d{1,2}")), errors="coerce")


def _two_digit_codes(text: pd.Series) -> pd.Series:
    """Codes 1–32 zero-padded to two digits (``"1"`` → ``"01"``); other texts missing."""
    number = _small_numbers(text)
    bad = number.isna() | (number < 1) | (number > 32)
    return number.where(~bad).astype("Int64").astype("string").str.zfill(2).astype("object")


def _months(frame: pd.DataFrame, file: str, issues: list[Issue]) -> pd.Series:
    """``date`` (``YYYY-MM-01``) as a month start; unreadable or out-of-span dates are errors."""
    text = stripped(frame["date"])
    start = by_distinct(_dates, text)
    unreadable = start.isna() | (start.dt.day != 1)
    outside = ~unreadable & ((start.dt.year < FIRST_YEAR) | (start.dt.year > LAST_YEAR))
    for kind, bad, why in (
        ("unparseable_period", unreadable, "is not the first day of a month"),
        ("period_out_of_range", outside, f"is outside {FIRST_YEAR}–{LAST_YEAR}"),
    ):
        for row, value in zip(frame.loc[bad, "source_row"], text[bad], strict=True):
            message = f"date {value!r} {why}; row skipped"
            issues.append(Issue(kind, "error", file, message, int(row), "date", shorten(value)))
    return start


def _dates(text: pd.Series) -> pd.Series:
    """``YYYY-MM-DD`` texts as dates; NaT for other texts."""
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")


SOURCE = Source(
    name="conapo",
    title="CONAPO population of the Mexican states, 2023 projections, monthly",
    publisher="Consejo Nacional de Población (CONAPO), Gobierno de México",
    homepage=PAGE,
    licence="Términos de Libre Uso de los Datos Abiertos de México (attribution to CONAPO)",
    cadence="projection rounds every few years (latest 2023)",
    folder="conapo",
    parser_version="1",
    quirks=__doc__ or "",
    ignored={
        "state_codes.csv": "a lookup of INEGI state codes and names, not data; the gazetteer "
        "(reference/data) holds the same codes with Spanish and English names",
    },
    series=(
        FileSeries(
            key="states_monthly",
            pattern="pop_states_conapo*_monthly_*.csv",
            parse=parse_states_monthly,
            known=(
                # A derivative (spline to months) with no official download address.
                KnownFile(
                    name="pop_states_conapo2023_monthly_1990-2050.csv",
                    url=None,
                    vintage=date(2024, 2, 5),  # when the derivative was rebuilt on CONAPO 2023
                    sha256="de306ff6a1cc46f9ffbdc9d3a66ab5533b68583bf7e1dec0c06a9907e5ecc713",
                    rows=23424,
                ),
            ),
        ),
    ),
)
