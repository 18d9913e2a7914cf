"""BTS Border Crossing/Entry Data: inbound crossings at U.S.–Mexico land ports, monthly.

Publisher: U.S. Department of Transportation, Bureau of Transportation Statistics (BTS), from
    U.S. Customs and Border Protection counts at land ports of entry.
URL: https://data.bts.gov/Research-and-Statistics/Border-Crossing-Entry-Data/keg4-3bc2
    (export of the full national table: ``/api/views/keg4-3bc2/rows.csv?accessType=DOWNLOAD``).
Licence: U.S. Government work, public domain (17 U.S.C. 105).
Cadence: monthly; BTS revises recent months, and each export is the whole table since 1996.

Quirks:
    - Inbound into the U.S. only. Vehicles, persons and containers are separate ``Measure``
      values, loaded as one measure, ``crossings``, with the ``Measure`` text as ``conveyance``
      and a unit by conveyance (vehicles / persons / containers): never add passengers to
      vehicles.
    - A port × month × measure that is not in the file was not reported (a port without rail,
      say); it is not filled with zero. Zeros the file does carry are kept as published.
    - Only ``Border == "US-Mexico Border"`` rows are loaded. The official export covers both
      borders; its US–Canada rows are out of scope and skipped without an issue. They count in
      ``rows_read`` (every data row of the file, so it compares with the published row count)
      but not in ``rows_rejected`` (only rows with an error), so for a national file the
      warehouse's "rows loaded" (read − rejected) includes the skipped US–Canada rows.
    - ``Port Code`` is a 4-digit CBP code; some exports drop leading zeros (``108``), so it is
      read as text and zero-padded to 4.
    - ``Date`` is ``Jan 2024``; older exports wrote ``01/01/2024 12:00:00 AM`` (also accepted).
    - The U.S.–Mexico extract repeats 7 port × month × measure keys: 6 in Jun 2019 with the same
      value, and Sasabe (2606) Feb 2021 Bus Passengers as both 0 (line 5241) and 2,175 (line
      8770; every other Sasabe bus-passenger month is 0). The first row is kept and the repeat
      reported as ``duplicate_key``.
    - ``Latitude``/``Longitude``/``Point`` describe the port, not a crossing: ``ports()`` returns
      them for the gazetteer; they are not observations.
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
    unknown_values,
)
from borderflow.sources.us_states import POSTAL_BY_NAME

PAGE = "https://data.bts.gov/Research-and-Statistics/Border-Crossing-Entry-Data/keg4-3bc2"
EXPORT_URL = "https://data.bts.gov/api/views/keg4-3bc2/rows.csv?accessType=DOWNLOAD"
MEXICO, CANADA = "US-Mexico Border", "US-Canada Border"
#: Unit of each BTS ``Measure``.
UNITS: dict[str, str] = {
    "Trucks": "vehicles",
    "Personal Vehicles": "vehicles",
    "Buses": "vehicles",
    "Trains": "vehicles",
    "Personal Vehicle Passengers": "persons",
    "Pedestrians": "persons",
    "Bus Passengers": "persons",
    "Train Passengers": "persons",
    "Truck Containers Loaded": "containers",
    "Truck Containers Empty": "containers",
    "Rail Containers Loaded": "containers",
    "Rail Containers Empty": "containers",
}
COLUMNS: dict[str, tuple[str, ...]] = {
    "port_name": ("Port Name",),
    "state": ("State",),
    "port": ("Port Code",),
    "border": ("Border",),
    "date": ("Date",),
    "measure": ("Measure",),
    "value": ("Value",),
}
PORT_COLUMNS: dict[str, tuple[str, ...]] = {
    **{k: COLUMNS[k] for k in ("port_name", "state", "port", "border")},
    "lat": ("Latitude",),
    "lon": ("Longitude",),
}
FIRST_YEAR, LAST_YEAR = 1990, 2100  # BTS's table starts in 1996; beyond 2100 is garbage
DATE_FORMATS = ("%b %Y", "%m/%d/%Y %I:%M:%S %p")


def parse_crossings(raw: bytes, file: str) -> ParsedFile:
    """Parse a BTS Border Crossing/Entry Data CSV into inbound U.S.–Mexico crossings per month."""
    frame, issues, rows_read = read_csv_table(raw, file, COLUMNS)
    frame = _stripped(frame.drop(columns="port_name"))  # the port's name is not loaded
    unknown_values(
        frame, "border", (MEXICO, CANADA), file, issues, label="Border", severity="error"
    )
    mexico = frame["border"] == MEXICO
    if not mexico.all():  # the national export: its US–Canada rows are skipped
        frame = frame[mexico].copy()
    frame["period_start"] = _months(frame, file, issues)
    frame["port"] = port_codes(frame, file, issues)
    unknown_values(frame, "measure", UNITS, file, issues, label="Measure", severity="error")
    unknown_values(frame, "state", POSTAL_BY_NAME, file, issues, label="State")
    frame["value"] = to_numbers(frame, "value", file, issues, label="Value")
    frame = drop_rejected(frame, issues)
    crossings = make_observations(
        frame,
        measure="crossings",
        unit=frame["measure"].map(UNITS),
        status="reported",
        period_type="month",
        period_start=frame["period_start"],
        period_end=month_end(frame["period_start"]),
        value=frame["value"],
        dims={
            "port": frame["port"],
            "us_state": frame["state"].map(POSTAL_BY_NAME),
            "conveyance": frame["measure"],
        },
    )
    return finish([crossings], file, issues, rows_read)


def ports(raw: bytes, file: str) -> pd.DataFrame:
    """The ports a BTS crossings file describes: one row per port code, for the gazetteer.

    Returns:
        Columns ``port`` (4-digit code), ``name``, ``state`` (postal code, null if unknown),
        ``border``, ``lat`` and ``lon`` (decimal degrees, NaN if missing), sorted by port.
        Rows whose port code is unreadable are left out.

    Raises:
        SourceError: the file cannot be read or lacks a column.
    """
    frame, _, _ = read_csv_table(raw, file, PORT_COLUMNS)
    frame = _stripped(frame)
    frame["port"] = port_codes(frame, file, [])
    frame = frame[frame["port"].notna()]
    table = pd.DataFrame(
        {
            "port": frame["port"],
            "name": frame["port_name"],
            "state": frame["state"].map(POSTAL_BY_NAME),
            "border": frame["border"],
            "lat": pd.to_numeric(frame["lat"], errors="coerce"),
            "lon": pd.to_numeric(frame["lon"], errors="coerce"),
        }
    )
    return table.groupby("port", sort=True).first().reset_index()


def port_codes(frame: pd.DataFrame, file: str, issues: list[Issue]) -> pd.Series:
    """``Port Code`` as a 4-digit string (``108`` → ``"0108"``); anything else is a row error."""
    text = frame["port"]
    padded = by_distinct(_padded, text)
    good = padded.notna()
    for row, value in zip(frame.loc[~good, "source_row"], text[~good], strict=True):
        message = f"port code {value!r} is not a 4-digit CBP port code; row skipped"
        issues.append(
            Issue("unknown_category", "error", file, message, int(row), "Port Code", shorten(value))
        )
    return padded


def _padded(text: pd.Series) -> pd.Series:
    """Codes of 1–4 digits zero-padded to 4 (``108`` → ``"0108"``); anything else is NaN."""
    return text.where(text.str.fullmatch(r"\d{1,4}")).str.zfill(4)


def _months(frame: pd.DataFrame, file: str, issues: list[Issue]) -> pd.Series:
    """First day of the month in ``Date``; unreadable or implausible dates are row errors."""
    text = frame["date"]
    start = by_distinct(_month_starts, text)
    outside = start.notna() & ((start.dt.year < FIRST_YEAR) | (start.dt.year > LAST_YEAR))
    for kind, bad, why in (
        ("unparseable_period", start.isna(), "is not a month"),
        ("period_out_of_range", outside, f"is outside {FIRST_YEAR}–{LAST_YEAR}"),
    ):
        for row, value in zip(frame.loc[bad, "source_row"], text[bad], strict=True):
            message = f"date {value!r} {why}; row skipped"
            issues.append(Issue(kind, "error", file, message, int(row), "Date", shorten(value)))
    return start


def _month_starts(text: pd.Series) -> pd.Series:
    """The first day of the month each text names, in any of ``DATE_FORMATS``; else NaT."""
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for fmt in DATE_FORMATS:
        parsed = parsed.fillna(pd.to_datetime(text, format=fmt, errors="coerce"))
    return parsed.dt.to_period("M").dt.to_timestamp()


def _stripped(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its text columns stripped of surrounding blanks (not ``value``)."""
    text = [c for c in frame.columns if c not in ("source_row", "value", "lat", "lon")]
    return frame.assign(**{c: stripped(frame[c]) for c in text})


SOURCE = Source(
    name="bts_crossings",
    title="BTS Border Crossing/Entry Data (U.S.–Mexico land ports, inbound)",
    publisher="U.S. Department of Transportation, Bureau of Transportation Statistics",
    homepage=PAGE,
    licence="U.S. Government work, public domain (17 U.S.C. 105)",
    cadence="monthly, whole table re-exported with revisions",
    folder="bts_border_crossings",
    parser_version="1",
    quirks=__doc__ or "",
    series=(
        FileSeries(
            key="border_crossings",
            pattern="Border_Crossing_Entry_Data*.csv",
            parse=parse_crossings,
            known=(
                # The U.S.–Mexico rows of the official export, byte for byte (see SOURCE.md).
                KnownFile(
                    name="Border_Crossing_Entry_Data_US-Mexico_1996-01_to_2025-02.csv",
                    url=None,
                    # Approximate: the table as available around spring 2025 (data to Feb 2025).
                    vintage=date(2025, 3, 15),
                    sha256="301c9e7c463e31d8a141115929f3fea52602faa8840dbb7cea385cde2b0adcdc",
                    rows=94234,
                ),
                # The full national export (both borders) under the name BTS downloads give it.
                KnownFile(
                    name="Border_Crossing_Entry_Data.csv",
                    url=EXPORT_URL,
                    vintage=date(2025, 3, 15),
                    sha256="500818b5521f1d507046277e97ac86f1ab98f0a5afd46983e6a98692d321daec",
                    rows=399406,
                ),
            ),
        ),
    ),
)
