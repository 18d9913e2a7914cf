"""SESNSP victims of fuero-común crimes by state and month (a third party's reshaped series).

Publisher: Secretariado Ejecutivo del Sistema Nacional de Seguridad Pública (SESNSP), México;
    reshaped by the GitHub user lapanquecita (repository ``incidencia-delictiva``,
    ``timeseries_converter.py``), so this is a DERIVATIVE of the official file.
URL: https://www.gob.mx/sesnsp/acciones-y-programas/datos-abiertos-de-incidencia-delictiva
    (the official open-data page; the derivative has no official address).
Licence: Términos de Libre Uso de los Datos Abiertos de México — free use, attribute SESNSP.
Cadence: SESNSP publishes monthly; this copy is the January 2025 release (committed 2025-02-25).

Quirks:
    - Long layout ``isodate, entidad, delito, total``: victims summed over modalidad, sexo and
      edad, one row per month × entidad (32 states and ``Nacional``) × subtipo de delito.
    - Victims in carpetas de investigación, not carpetas and not deaths.
    - ``entidad`` is a state *name*; it is mapped to the INEGI code (``Nacional`` → ``00``).
    - The converter pads the last year to December with zeros: February–December 2025 are 0 in
      every row although SESNSP had published only January. Trailing months that are zero in
      every row are placeholders and are dropped, with one ``placeholder_value`` warning.
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
    flag_rows,
    fold,
    read_csv_table,
    stripped,
    to_numbers,
    unknown_values,
)

PAGE = "https://www.gob.mx/sesnsp/acciones-y-programas/datos-abiertos-de-incidencia-delictiva"
COLUMNS = {"date": ("isodate",), "state": ("entidad",), "crime": ("delito",), "victims": ("total",)}
FIRST_YEAR, LAST_YEAR = 1997, 2100  # SESNSP series start in 1997; later than 2100 is garbage

#: INEGI state code by folded state name (``fold``: lower case, no accents), with the short
#: and long spellings SESNSP and its re-publishers use.
STATE_CODES: dict[str, str] = {
    "nacional": "00",
    "aguascalientes": "01",
    "baja california": "02",
    "baja california sur": "03",
    "campeche": "04",
    "coahuila de zaragoza": "05", "coahuila": "05",
    "colima": "06",
    "chiapas": "07",
    "chihuahua": "08",
    "ciudad de mexico": "09", "cdmx": "09", "distrito federal": "09",
    "durango": "10",
    "guanajuato": "11",
    "guerrero": "12",
    "hidalgo": "13",
    "jalisco": "14",
    "mexico": "15", "estado de mexico": "15",
    "michoacan de ocampo": "16", "michoacan": "16",
    "morelos": "17",
    "nayarit": "18",
    "nuevo leon": "19",
    "oaxaca": "20",
    "puebla": "21",
    "queretaro": "22", "queretaro de arteaga": "22",
    "quintana roo": "23",
    "san luis potosi": "24",
    "sinaloa": "25",
    "sonora": "26",
    "tabasco": "27",
    "tamaulipas": "28",
    "tlaxcala": "29",
    "veracruz de ignacio de la llave": "30", "veracruz": "30",
    "yucatan": "31",
    "zacatecas": "32",
}  # fmt: skip

#: The subtipos the converter keeps (crimes against persons, where SESNSP counts victims).
CRIMES = (
    "Homicidio doloso",
    "Homicidio culposo",
    "Lesiones dolosas",
    "Lesiones culposas",
    "Feminicidio",
    "Otros delitos que atentan contra la vida y la integridad corporal",
    "Secuestro",
    "Tráfico de menores",
    "Rapto",
    "Otros delitos que atentan contra la libertad personal",
    "Extorsión",
    "Corrupción de menores",
    "Trata de personas",
    "Otros delitos contra la sociedad",
    "Aborto",
)


def parse_victims(raw: bytes, file: str) -> ParsedFile:
    """Parse the reshaped SESNSP victims series into victims per state, subtipo and month."""
    frame, issues, rows_read = read_csv_table(raw, file, COLUMNS, encodings=("utf-8", "latin-1"))
    frame["period_start"] = _months(frame, file, issues)
    frame["mx_state"] = _state_codes(frame, file, issues)
    frame["crime"] = stripped(frame["crime"])
    unknown_values(frame, "crime", CRIMES, file, issues, label="delito")
    frame["victims"] = to_numbers(frame, "victims", file, issues, label="total")
    frame = drop_placeholder_months(drop_rejected(frame, issues), file, issues)
    victims = make_observations(
        frame,
        measure="crime_victims",
        unit="victims",
        status="reported",
        period_type="month",
        period_start=frame["period_start"],
        period_end=month_end(frame["period_start"]),
        value=frame["victims"],
        dims={"mx_state": frame["mx_state"], "crime_subtype": frame["crime"]},
    )
    return finish([victims], file, issues, rows_read)


def drop_placeholder_months(frame: pd.DataFrame, file: str, issues: list[Issue]) -> pd.DataFrame:
    """Drop the trailing months in which every row is zero, with one summary warning.

    The converter fills the rest of the last year with zeros; a month with no victims of any
    crime in any state does not happen, so a run of all-zero months at the end is padding.
    """
    nonzero = frame.loc[frame["victims"] != 0, "period_start"]
    if frame.empty or nonzero.empty:
        return frame
    last_published = nonzero.max()
    padded = frame["period_start"] > last_published
    if not padded.any():
        return frame
    first, last = frame.loc[padded, "period_start"].agg(["min", "max"])
    months = frame.loc[padded, "period_start"].nunique()
    issues.append(
        Issue(
            "placeholder_value",
            "warning",
            file,
            f"{int(padded.sum()):,} row(s) for {months} month(s) {first:%Y-%m} to {last:%Y-%m} "
            "are 0 in every row: padding added by the converter after the last published month "
            f"({last_published:%Y-%m}), not data; dropped",
            column="total",
        )
    )
    return frame[~padded]


def _months(frame: pd.DataFrame, file: str, issues: list[Issue]) -> pd.Series:
    """``isodate`` (``YYYY-MM-01``) as a date; other text and implausible years are row errors."""
    text = stripped(frame["date"])
    outside = by_distinct(_out_of_range, text)
    start = by_distinct(_month_starts, text)
    unreadable = start.isna() & ~outside
    for kind, bad, why in (
        ("unparseable_period", unreadable, "is not the first day of a month (YYYY-MM-01)"),
        ("period_out_of_range", outside, f"is outside {FIRST_YEAR}–{LAST_YEAR}"),
    ):
        flag_rows(
            issues,
            file,
            frame,
            bad,
            text,
            kind=kind,
            column="isodate",
            message=("isodate {!r} " + why + "; row skipped").format,
        )
    return start


def _years(text: pd.Series) -> pd.Series:
    """The year of each well-formed ``YYYY-MM-01`` text; NaN for other texts."""
    well_formed = text.str.fullmatch(r"\d{4}-\d{2}-01")
    return pd.to_numeric(text.str[:4].where(well_formed), errors="coerce")


def _out_of_range(text: pd.Series) -> pd.Series:
    """Whether each text is a well-formed month outside ``FIRST_YEAR``–``LAST_YEAR``."""
    year = _years(text)
    return (year < FIRST_YEAR) | (year > LAST_YEAR)


def _month_starts(text: pd.Series) -> pd.Series:
    """Each well-formed ``YYYY-MM-01`` text in range as a date; NaT for other texts."""
    well_formed = text.str.fullmatch(r"\d{4}-\d{2}-01")
    usable = text.where(well_formed & ~_out_of_range(text))
    return pd.to_datetime(usable, format="%Y-%m-%d", errors="coerce")


def _state_codes(frame: pd.DataFrame, file: str, issues: list[Issue]) -> pd.Series:
    """``entidad`` names as INEGI codes; names not in ``STATE_CODES`` are row errors."""
    names = frame["state"].fillna("").astype(str)
    codes = names.map({name: STATE_CODES.get(fold(name)) for name in names.unique()})
    bad = codes.isna()
    for row, value in zip(frame.loc[bad, "source_row"], names[bad], strict=True):
        issues.append(
            Issue(
                "unknown_category",
                "error",
                file,
                f"state {value!r} is not a Mexican state name or 'Nacional'; row skipped",
                row=int(row),
                column="entidad",
                value=shorten(value),
            )
        )
    return codes.astype("object")


SOURCE = Source(
    name="sesnsp_victims",
    title="SESNSP victims of fuero-común crimes, by state (reshaped monthly series)",
    publisher="Secretariado Ejecutivo del Sistema Nacional de Seguridad Pública (SESNSP)",
    homepage=PAGE,
    licence="Términos de Libre Uso de los Datos Abiertos de México (attribution to SESNSP)",
    cadence="monthly (this derivative: one snapshot, January 2025 release)",
    folder="sesnsp",
    parser_version="1",
    quirks=__doc__ or "",
    series=(
        FileSeries(
            key="timeseries_victimas",
            pattern="timeseries_victimas*.csv",
            parse=parse_victims,
            known=(
                KnownFile(
                    name="timeseries_victimas_2015-01_to_2025-01.csv",
                    url=None,
                    # Approx.: SESNSP published January 2025 around 2025-02-20; copied 2025-02-25.
                    vintage=date(2025, 2, 20),
                    sha256="4af6bffb102131309dca7a5618ffa8fe8f0463f656e76512fbcf0d7d53ceeda2",
                    rows=65340,
                ),
            ),
        ),
    ),
)
