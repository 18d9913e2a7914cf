"""SESNSP Incidencia delictiva del fuero común, estatal (carpetas de investigación by state).

Publisher: Secretariado Ejecutivo del Sistema Nacional de Seguridad Pública (SESNSP), México.
URL: https://www.gob.mx/sesnsp/acciones-y-programas/datos-abiertos-de-incidencia-delictiva
    (the open-data page; the files' own download addresses were not recorded).
Licence: Términos de Libre Uso de los Datos Abiertos de México — free use, attribute SESNSP.
Cadence: monthly (around the 20th, for the month before); each release is the table so far.

Quirks:
    - Counts are carpetas de investigación (investigation files opened by state prosecutors),
      not victims and not deaths; they differ from INEGI death-certificate homicides.
    - Wide layout: one row per year × state × bien jurídico × tipo × subtipo × modalidad with
      month columns ``Enero`` … ``Diciembre``. Months not yet published are blank, and a blank
      is no observation (never zero).
    - SESNSP publishes Latin-1. ``IDEFC_NM_mar22.csv`` (2015 – March 2022) was re-saved by its
      uploader as UTF-8 with a BOM after a Latin-1 → Mac Roman mis-decoding, so ``Año`` reads
      ``AÒo`` and ``tránsito`` reads ``tr·nsito``. Category texts carrying those tell-tale
      characters are repaired; state names are not needed (states join on ``Clave_Ent``).
    - ``Clave_Ent`` is the INEGI state code, unpadded (``1``) in the older file.
    - The 2026 file follows the catalogue SESNSP adopted later (e.g. ``Violación`` in place of
      ``Violación simple``/``equiparada``; ``Narcomenudeo`` split by purpose); subtypes present
      in both, such as ``Homicidio doloso``, are comparable.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
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
    flag_rows,
    read_csv_table,
    stripped,
    to_numbers,
)

PAGE = "https://www.gob.mx/sesnsp/acciones-y-programas/datos-abiertos-de-incidencia-delictiva"
MONTHS = (
    "Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio",
    "Julio", "Agosto", "Septiembre", "Octubre", "Noviembre", "Diciembre",
)  # fmt: skip
#: Category columns, each named after the dimension it fills.
CATEGORY_DIMS = ("crime_category", "crime_type", "crime_subtype", "modality")
COLUMNS: dict[str, tuple[str, ...]] = {
    "year": ("Año", "Ano"),
    "state": ("Clave_Ent",),
    "crime_category": ("Bien jurídico afectado",),
    "crime_type": ("Tipo de delito",),
    "crime_subtype": ("Subtipo de delito",),
    "modality": ("Modalidad",),
    **{month.lower(): (month,) for month in MONTHS},
}
FIRST_YEAR, LAST_YEAR = 1997, 2100  # SESNSP's series start in 1997; beyond 2100 is garbage
#: What Latin-1 á é í ó ú ñ ü look like after being mis-decoded as Mac Roman.
MOJIBAKE_TELLS = frozenset("áéíóúñü".encode("latin-1").decode("mac_roman"))
_SPANISH_MONTHS = {"ene": 1, "feb": 2, "mar": 3, "abr": 4, "may": 5, "jun": 6,
                   "jul": 7, "ago": 8, "sep": 9, "oct": 10, "nov": 11, "dic": 12}  # fmt: skip


def repair_mojibake(text: str) -> str:
    """Undo a Latin-1 → Mac Roman mis-decoding: ``'ExtorsiÛn'`` → ``'Extorsión'``.

    Text without the tell-tale characters, or that Mac Roman cannot encode, is returned as is.
    """
    if not MOJIBAKE_TELLS.intersection(text):
        return text
    try:
        return text.encode("mac_roman").decode("latin-1")
    except UnicodeEncodeError:
        return text


def clean_category(column: pd.Series) -> pd.Series:
    """Stripped, mojibake-repaired category text (repaired once per distinct value)."""
    text = stripped(column)
    return text.map({value: repair_mojibake(value) for value in text.unique()})


def parse_incidence(raw: bytes, file: str) -> ParsedFile:
    """Parse a SESNSP state incidence CSV into carpetas per state, crime and month."""
    frame, issues, rows_read = read_csv_table(
        raw, file, COLUMNS, encodings=("utf-8", "latin-1"), repair_header=True
    )
    frame["year_number"] = _years(frame, file, issues)
    frame["mx_state"] = _state_codes(frame, file, issues)
    for month in MONTHS:
        frame[month.lower()] = to_numbers(
            frame, month.lower(), file, issues, label=month, blank_ok=True
        )
    frame = drop_rejected(frame, issues)
    for name in CATEGORY_DIMS:
        frame[name] = clean_category(frame[name])
    long = _months_to_rows(frame)
    incidents = make_observations(
        long,
        measure="crime_incidents",
        unit="investigation files",
        status="reported",
        period_type="month",
        period_start=long["period_start"],
        period_end=month_end(long["period_start"]),
        value=long["value"],
        dims={name: long[name] for name in ("mx_state", *CATEGORY_DIMS)},
    )
    return finish([incidents], file, issues, rows_read)


def _months_to_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Wide → long: one row per published (non-blank) month cell, with its ``period_start``."""
    values = frame[[m.lower() for m in MONTHS]].to_numpy(dtype="float64")
    rows, months = np.nonzero(~np.isnan(values))
    long = frame[["source_row", "mx_state", *CATEGORY_DIMS]].iloc[rows]
    long.index = pd.RangeIndex(len(long))  # renumbered in place: ``reset_index`` would copy
    long["value"] = values[rows, months]
    years = frame["year_number"].to_numpy(dtype="float64")[rows].astype("int64")
    month_index = (years - 1970) * 12 + months  # months since January 1970
    long["period_start"] = month_index.astype("datetime64[M]").astype("datetime64[ns]")
    return long


def _years(frame: pd.DataFrame, file: str, issues: list[Issue]) -> pd.Series:
    """The ``Año`` column as numbers; unreadable or implausible years are row errors."""
    text = stripped(frame["year"])
    years = by_distinct(_four_digit_numbers, text)
    unreadable = years.isna()
    outside = ~unreadable & ((years < FIRST_YEAR) | (years > LAST_YEAR))
    for kind, bad, why in (
        ("unparseable_period", unreadable, "is not a year"),
        ("period_out_of_range", outside, f"is outside {FIRST_YEAR}–{LAST_YEAR}"),
    ):
        flag_rows(
            issues,
            file,
            frame,
            bad,
            text,
            kind=kind,
            column="Año",
            message=("year {!r} " + why + "; row skipped").format,
        )
    return years


def _state_codes(frame: pd.DataFrame, file: str, issues: list[Issue]) -> pd.Series:
    """``Clave_Ent`` as the 2-digit INEGI code; anything but 1–32 is a row error."""
    text = stripped(frame["state"])
    number = by_distinct(_small_numbers, text)
    bad = number.isna() | (number < 1) | (number > 32)
    for row, value in zip(frame.loc[bad, "source_row"], text[bad], strict=True):
        issues.append(
            Issue(
                "unknown_category",
                "error",
                file,
                f"state code {value!r} is not an INEGI state code (1–32); row skipped",
                row=int(row),
                column="Clave_Ent",
                value=shorten(value),
            )
        )
    return by_distinct(_two_digits, text)


def _four_digit_numbers(text: pd.Series) -> pd.Series:
    """Texts of exactly four digits as numbers; other texts NaN."""
    return pd.to_numeric(text.where(text.str.fullmatch(r"\d{4}")), errors="coerce")


def _small_numbers(text: pd.Series) -> pd.Series:
    """Texts of one or two digits as numbers; other texts NaN."""
    return pd.to_numeric(text.where(text.str.fullmatch(r"\d{1,2}")), errors="coerce")


def _two_digits(text: pd.Series) -> pd.Series:
    """Texts of one or two digits zero-padded to two (``"1"`` → ``"01"``); other texts NaN."""
    return _small_numbers(text).astype("Int64").astype("string").str.zfill(2).astype("object")


def release_vintage(name: str) -> date | None:
    """Approximate release date from a file name: the 20th of the month after the last month.

    SESNSP publishes each month's figures around the 20th of the next month.
    ``IDEFC_NM_mar22.csv`` → 2022-04-20; ``estatal_n_2026_ene-mar.csv`` → 2026-04-20.
    """
    lower = name.lower()
    match = re.search(r"idefc_nm_([a-z]{3})(\d{2})", lower)
    if match:
        month, year = _SPANISH_MONTHS.get(match.group(1)), 2000 + int(match.group(2))
    else:
        match = re.search(r"_(\d{4})_[a-z]{3}-([a-z]{3})", lower)
        if not match:
            return None
        month, year = _SPANISH_MONTHS.get(match.group(2)), int(match.group(1))
    if month is None:
        return None
    return date(year + month // 12, month % 12 + 1, 20)


SOURCE = Source(
    name="sesnsp_incidence",
    title="SESNSP Incidencia delictiva del fuero común, estatal (carpetas de investigación)",
    publisher="Secretariado Ejecutivo del Sistema Nacional de Seguridad Pública (SESNSP)",
    homepage=PAGE,
    licence="Términos de Libre Uso de los Datos Abiertos de México (attribution to SESNSP)",
    cadence="monthly, cumulative state table",
    folder="sesnsp",
    parser_version="1",
    quirks=__doc__ or "",
    series=(
        FileSeries(
            key="estatal",
            # One table under two names: IDEFC_NM_<mmmYY>.csv (older SESNSP name) and
            # estatal_n_<yyyy>_….csv (newer copy). fnmatch has no alternation, so the first five
            # letters are matched as classes, spelling "IDEFC" or "estat" (and never the
            # victims file). Within one series the newest release wins for the months it covers.
            pattern="[Ie][Ds][Et][Fa][Ct]*.csv",
            parse=parse_incidence,
            vintage_of=release_vintage,
            known=(
                KnownFile(
                    name="IDEFC_NM_mar22.csv",
                    url=None,
                    vintage=date(2022, 4, 20),  # approx.; data to March 2022, copied 2022-05-05
                    sha256="f5a36a16e6c233d81de2a57da8640eff0b98338c9e6640f2742e3a2f334e5941",
                    rows=25088,
                ),
                KnownFile(
                    name="estatal_n_2026_ene-mar.csv",
                    url=None,
                    # Data to March 2026; the copy was committed 2026-04-18, so released by then.
                    vintage=date(2026, 4, 18),
                    sha256="d035b4aff74e103f4cf6790e9440412d665c93f4103b6901f52b4f0f4e55f2d3",
                    rows=3648,
                ),
            ),
        ),
    ),
)
