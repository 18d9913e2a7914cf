"""UN Comtrade through UNdata: annual trade in HS chapter 29 organic chemicals, partner World.

Publisher: United Nations Statistics Division, UN Comtrade database, exported through UNdata
    ("UN Comtrade: International Trade Statistics", HS classification).
URL: https://data.un.org ("UN Comtrade: International Trade Statistics"; the exports have no
    stable download address, so none is recorded).
Licence: UNdata terms of use — free to copy and redistribute citing UNdata / UN Comtrade
    (https://data.un.org/Host.aspx?Content=UNdataUse).
Cadence: annual, as each reporter submits; the mirror holds one extract of March 2024.

Quirks:
    - Four extracts, each its own series because each is a different slice, not a newer
      release of the others: all HS 29 six-digit lines reported by Mexico, by China and by
      India, and the fentanyl-group lines of HS 2933/2934 for all reporters (146 of them,
      including groupings such as "ASEAN"). Partner is always World.
    - Values are what each reporter declares ("Country or Area" is the reporter); mirror
      statistics from partners can differ a lot for chemicals.
    - ``Trade (USD)`` is always present. ``Weight (kg)`` is blank in many rows; a blank is no
      ``trade_weight`` observation, never zero. ``Quantity`` is loaded as ``trade_quantity``
      only in another unit than kilograms (Mexico's 1995 lines, "Volume in litres" → unit
      ``litres``): in kilograms it repeats the weight. Some rows (China 438, India 95, Mexico
      38, all-reporters 96) have a blank weight but a quantity in kilograms; that quantity is
      not loaded. In 20 all-reporters rows the kg quantity differs from the weight.
    - The all-reporters file has no ``Comm. Code``. Its five commodity texts are matched to
      their HS codes exactly (2933.33 fentanyl-group list, HS2002–HS2022; and the HS2022
      lines 2933.34 other fentanyls, 2933.36 ANPP, 2933.37 NPP — spelled "piperdone" — and
      2934.92 other fentanyls n.e.c. in 2934); an unknown text keeps a null ``hs_code``.
    - HS editions change over the years (HS1992 → HS2022): NPP and ANPP sat in 2933.39 until
      HS2022; a code's content can differ between years.
    - Each file ends with an empty line (skipped). Data rows read = lines with fields.
"""

from __future__ import annotations

from collections.abc import Callable
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
from borderflow.sources.tabular import (
    by_distinct,
    drop_rejected,
    read_csv_table,
    stripped,
    to_numbers,
)

PAGE = "https://data.un.org"
FLOWS = ("Import", "Export", "Re-Export", "Re-Import")
WEIGHT, NO_QUANTITY = "Weight in kilograms", "No Quantity"
#: Short units for Comtrade's quantity names; other names are kept as the unit, as published.
UNIT_BY_QUANTITY_NAME: dict[str, str] = {
    "Volume in litres": "litres",
    "Volume in cubic meters": "m3",
    "Number of items": "items",
    "Thousands of items": "thousand items",
    "Number of pairs": "pairs",
    "Area in square metres": "m2",
    "Length in metres": "m",
    "Weight in carats": "carats",
}
FIRST_YEAR, LAST_YEAR = 1962, 2100  # Comtrade starts in 1962; beyond 2100 is garbage
_PYRIDINE = (
    "Heterocyclic compounds; containing an unfused pyridine ring (whether or not hydrogenated) "
    "in the structure, "
)
#: HS code of each commodity text of the all-reporters file (texts as UNdata spells them).
HS_BY_COMMODITY: dict[str, str] = {
    _PYRIDINE + "alfentanil (INN), anileridine (INN), bezitramide (INN), bromazepam (INN), "
    "carfentanil (INN), difenoxin (INN), diphenoxylate (INN), dipipanone (INN)": "293333",
    _PYRIDINE + "other fentanyls and their derivatives": "293334",
    _PYRIDINE + "4-anilino-N-phenethylpiperidine (ANPP)": "293336",
    _PYRIDINE + "N-phenethyl-4-piperdone (NPP)": "293337",
    "Heterocyclic compounds; other fentanyls n.e.c. in 2934, and their derivatives": "293492",
}
BASE_COLUMNS: dict[str, tuple[str, ...]] = {
    "reporter": ("Country or Area",),
    "year": ("Year",),
    "commodity": ("Commodity",),
    "flow": ("Flow",),
    "usd": ("Trade (USD)",),
    "kg": ("Weight (kg)",),
    "quantity_name": ("Quantity Name",),
    "quantity": ("Quantity",),
}
CODED_COLUMNS: dict[str, tuple[str, ...]] = {**BASE_COLUMNS, "hs_code": ("Comm. Code",)}


def parse_coded(raw: bytes, file: str) -> ParsedFile:
    """Parse a one-reporter UNdata Comtrade CSV, which carries ``Comm. Code``."""
    frame, issues, rows_read = read_csv_table(raw, file, CODED_COLUMNS)
    frame["hs_code"] = _hs_codes(frame, file, issues)
    return _observations(frame, file, issues, rows_read)


def parse_all_reporters(raw: bytes, file: str) -> ParsedFile:
    """Parse the all-reporters UNdata Comtrade CSV, which has no code column.

    The HS code comes from the commodity text (``HS_BY_COMMODITY``); unknown texts keep a null
    code and remain identified by ``commodity``.
    """
    frame, issues, rows_read = read_csv_table(raw, file, BASE_COLUMNS)
    frame["hs_code"] = stripped(frame["commodity"]).map(HS_BY_COMMODITY)
    return _observations(frame, file, issues, rows_read)


def _observations(
    frame: pd.DataFrame, file: str, issues: list[Issue], rows_read: int
) -> ParsedFile:
    """Value, weight and (non-kg) quantity observations from a frame with ``hs_code`` set."""
    for name in ("reporter", "commodity", "flow", "quantity_name"):
        frame[name] = stripped(frame[name])
    frame["period_start"] = _year_starts(frame, file, issues)
    _unknown_flows(frame, file, issues)
    frame["usd"] = to_numbers(frame, "usd", file, issues, label="Trade (USD)")
    frame["kg"] = to_numbers(frame, "kg", file, issues, label="Weight (kg)", blank_ok=True)
    frame["quantity"] = to_numbers(frame, "quantity", file, issues, label="Quantity", blank_ok=True)
    frame = drop_rejected(frame, issues)
    weighed = frame[frame["kg"].notna()]
    other_unit = ~frame["quantity_name"].isin((WEIGHT, NO_QUANTITY, ""))
    counted = frame[other_unit & frame["quantity"].notna()]
    parts = [
        _measure(frame, "trade_value", "USD", frame["usd"]),
        _measure(weighed, "trade_weight", "kg", weighed["kg"]),
        _measure(counted, "trade_quantity", _units(counted), counted["quantity"]),
    ]
    return finish(parts, file, issues, rows_read)


def _measure(
    frame: pd.DataFrame, measure: str, unit: str | pd.Series, value: pd.Series
) -> pd.DataFrame:
    return make_observations(
        frame,
        measure=measure,
        unit=unit,
        status="reported",
        period_type="calendar_year",
        period_start=frame["period_start"],
        period_end=frame["period_start"] + pd.offsets.YearEnd(0),
        value=value,
        dims={
            "reporter": frame["reporter"],
            "partner": "World",
            "hs_code": frame["hs_code"],
            "commodity": frame["commodity"],
            "flow": frame["flow"],
        },
    )


def _units(frame: pd.DataFrame) -> pd.Series:
    names = frame["quantity_name"]
    return names.map(UNIT_BY_QUANTITY_NAME).fillna(names)


def _hs_codes(frame: pd.DataFrame, file: str, issues: list[Issue]) -> pd.Series:
    """``Comm. Code`` as text (2–6 digits, leading zeros kept); anything else is a row error."""
    text = stripped(frame["hs_code"])
    good = by_distinct(lambda codes: codes.str.fullmatch(r"\d{2,6}"), text)
    for row, value in zip(frame.loc[~good, "source_row"], text[~good], strict=True):
        message = f"commodity code {value!r} is not an HS code; row skipped"
        issues.append(
            Issue(
                "unknown_category", "error", file, message, int(row), "Comm. Code", shorten(value)
            )
        )
    return text.where(good)


def _year_starts(frame: pd.DataFrame, file: str, issues: list[Issue]) -> pd.Series:
    """1 January of each row's ``Year``; unreadable or implausible years are row errors."""
    text = stripped(frame["year"])
    years = by_distinct(_four_digit_numbers, text)
    unreadable = years.isna()
    outside = ~unreadable & ((years < FIRST_YEAR) | (years > LAST_YEAR))
    for kind, bad, why in (
        ("unparseable_period", unreadable, "is not a year"),
        ("period_out_of_range", outside, f"is outside {FIRST_YEAR}–{LAST_YEAR}"),
    ):
        for row, value in zip(frame.loc[bad, "source_row"], text[bad], strict=True):
            message = f"year {value!r} {why}; row skipped"
            issues.append(Issue(kind, "error", file, message, int(row), "Year", shorten(value)))
    return by_distinct(_january_firsts, text)


def _four_digit_numbers(text: pd.Series) -> pd.Series:
    """Texts of exactly four digits as numbers; other texts NaN."""
    return pd.to_numeric(text.where(text.str.fullmatch(r"\d{4}")), errors="coerce")


def _january_firsts(text: pd.Series) -> pd.Series:
    """1 January of each four-digit year ``FIRST_YEAR``–``LAST_YEAR``; NaT for other texts."""
    years = _four_digit_numbers(text)
    usable = years.where(years.isna() | ((years >= FIRST_YEAR) & (years <= LAST_YEAR)))
    return pd.to_datetime(usable.astype("Int64").astype("string") + "-01-01", errors="coerce")


def _unknown_flows(frame: pd.DataFrame, file: str, issues: list[Issue]) -> None:
    """Flows other than ``FLOWS`` are row errors: an unknown flow cannot be summed safely."""
    bad = ~frame["flow"].isin(FLOWS)
    for row, value in zip(frame.loc[bad, "source_row"], frame.loc[bad, "flow"], strict=True):
        message = f"flow {value!r} is not one of {', '.join(FLOWS)}; row skipped"
        issues.append(
            Issue("unknown_category", "error", file, message, int(row), "Flow", shorten(value))
        )


def _extract(
    key: str,
    pattern: str,
    parse: Callable[[bytes, str], ParsedFile],
    name: str,
    sha256: str,
    rows: int,
    day: int,
) -> FileSeries:
    """One extract: its own series holding one known file (vintage = commit day, March 2024)."""
    known = KnownFile(name=name, url=None, vintage=date(2024, 3, day), sha256=sha256, rows=rows)
    return FileSeries(key=key, pattern=pattern, parse=parse, known=(known,))


SOURCE = Source(
    name="un_comtrade",
    title="UN Comtrade via UNdata: HS 29 organic chemicals (Mexico, China, India) and HS 2933 "
    "fentanyl-group lines (all reporters)",
    publisher="United Nations Statistics Division (UN Comtrade), via UNdata",
    homepage=PAGE,
    licence="UNdata terms of use: free reuse citing UNdata / UN Comtrade",
    cadence="annual, as reporters submit",
    folder="un_comtrade",
    parser_version="1",
    quirks=__doc__ or "",
    # Vintages are approximate: the day each extract was committed by the repository it was
    # copied from (2024-03-19/23), i.e. the data as UNdata served them then.
    series=(
        _extract(
            "mexico_hs29",
            "undata_comtrade_mexico_hs29_*.csv",
            parse_coded,
            "undata_comtrade_mexico_hs29_1990-2022.csv",
            "11c496f63c803d47660b3df4907e44b9337d7cdea2c8552c0f130d52db7ebdba",
            16861,
            23,
        ),
        _extract(
            "china_hs29",
            "undata_comtrade_china_hs29_*.csv",
            parse_coded,
            "undata_comtrade_china_hs29_1992-2022.csv",
            "bd9dd97c3eab6e3ebda28daa875f1e7ebe9235db71320d561fc5f23e92f6a79e",
            18861,
            23,
        ),
        _extract(
            "india_hs29",
            "undata_comtrade_india_hs29_*.csv",
            parse_coded,
            "undata_comtrade_india_hs29_1988-2022.csv",
            "560761941081d39190ec866109c30f5e2fc52838e6fe6ee400d83abe151166f7",
            21226,
            23,
        ),
        _extract(
            "hs2933_fentanyl_group",
            "undata_comtrade_hs2933-fentanyl-group_all_reporters_*.csv",
            parse_all_reporters,
            "undata_comtrade_hs2933-fentanyl-group_all_reporters_2002-2022.csv",
            "dff6eb638e258c7f81f4755d8a68dd7ee23b8411dcbc2aabcac6584cbea373c9",
            2614,
            19,
        ),
    ),
)
