"""Shipment-level trade records (bills of lading, customs declarations): schema and checks.

Publisher: whoever holds the records — U.S. CBP's Automated Manifest System (bills of lading, as
    resold by trade-data vendors), Mexico's SAT pedimentos, China's and India's customs
    declarations. None of these is published openly as a file borderflow could mirror, so the
    mirror has no ``shipments`` folder; ``borderflow shipments generate`` writes a synthetic
    stand-in calibrated to UN Comtrade (``borderflow.shipments.generate``), clearly marked as
    synthetic, for measuring scale only.
URL: https://www.cbp.gov/trade/automated (AMS); vendors' extracts have no public address.
Licence: the holder's terms; the synthetic stand-in is generated here and has none.
Cadence: daily arrivals; loaded as partitions (one Parquet or CSV file per partition).
Quirks:
    - Loaded by ``borderflow shipments ingest DIR``, never by the mirror ingest: DuckDB reads the
      partitions directly into the ``shipments`` table (hundreds of millions of rows do not go
      through Python). Each partition file is one release (``series`` = its path inside DIR),
      with its sha256; every row keeps its row number in its file.
    - Columns are ``COLUMNS``; countries are ISO 3166-1 alpha-3 codes, ports UN/LOCODEs, HS codes
      six digits. Rows with an unreadable date, a negative or unreadable weight or value, an HS
      code that is not six digits of a chapter 01–97, an unknown country or conveyance are
      rejected with an issue naming file, row and column. A partition that cannot be read at all
      (not Parquet/CSV, a column missing) refuses the whole load.
    - Weights in kilograms and values in U.S. dollars are whole numbers, as declared.
"""

from __future__ import annotations

from dataclasses import dataclass

from borderflow.sources.base import Source

#: Columns of a shipments partition and their warehouse types, in order.
COLUMNS: dict[str, str] = {
    "arrival_date": "DATE",
    "port_of_unlading": "VARCHAR",
    "port_of_lading": "VARCHAR",
    "shipper_country": "VARCHAR",
    "consignee_country": "VARCHAR",
    "hs_code": "VARCHAR",
    "weight_kg": "BIGINT",
    "value_usd": "BIGINT",
    "conveyance": "VARCHAR",
}

CONVEYANCES: tuple[str, ...] = ("vessel", "air", "truck", "rail")

_ISO3 = """
    ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD
    BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR
    COD COG COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH
    ESP EST ETH FIN FJI FLK FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL
    GTM GUF GUM GUY HKG HMD HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR
    JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR
    MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL
    NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY
    PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP
    SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV TWN TZA
    UGA UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE
"""
#: ISO 3166-1 alpha-3 country codes (249 officially assigned).
ISO3_COUNTRIES: frozenset[str] = frozenset(_ISO3.split())
#: A six-digit HS code of chapters 01-97.
HS6 = "(0[1-9]|[1-8][0-9]|9[0-7])[0-9]{4}"

#: The HS lines that matter for fentanyl precursors (see reference/data/precursors.csv):
#: 2933.33/.34/.36/.37/.39/.99 (piperidines: NPP, ANPP, norfentanyl, 4-AP), 2921.xx amines,
#: 2924.29 amides.
PRECURSOR_HS_PREFIXES: tuple[str, ...] = ("2933", "2921", "2924")


@dataclass(frozen=True)
class RowCheck:
    """One rule every row must pass: the SQL condition that marks a row bad, and why.

    ``bad`` is a DuckDB boolean expression over the typed columns ``COLUMNS`` and their raw text
    (``raw_<column>``); the first failing check of a row names the row's issue.
    """

    column: str
    kind: str
    bad: str
    message: str


def _in_list(values: frozenset[str] | tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in sorted(values)) + ")"


def _country_check(column: str) -> RowCheck:
    return RowCheck(
        column,
        "unknown_category",
        f"{column} IS NULL OR {column} NOT IN {_in_list(ISO3_COUNTRIES)}",
        "is not an ISO 3166-1 alpha-3 country code; row skipped",
    )


#: The row checks, in the order they are reported (the first failing one names the issue).
ROW_CHECKS: tuple[RowCheck, ...] = (
    RowCheck(
        "arrival_date",
        "unparseable_period",
        "arrival_date IS NULL",
        "is not a date (YYYY-MM-DD); row skipped",
    ),
    RowCheck(
        "weight_kg",
        "unparseable_number",
        "weight_kg IS NULL",
        "is not a whole number of kilograms; row skipped",
    ),
    RowCheck("weight_kg", "out_of_range", "weight_kg < 0", "is a negative weight; row skipped"),
    RowCheck(
        "value_usd",
        "unparseable_number",
        "value_usd IS NULL",
        "is not a whole number of U.S. dollars; row skipped",
    ),
    RowCheck("value_usd", "out_of_range", "value_usd < 0", "is a negative value; row skipped"),
    RowCheck(
        "hs_code",
        "unknown_category",
        f"hs_code IS NULL OR NOT regexp_full_match(hs_code, '{HS6}')",
        "is not a six-digit HS code of chapters 01-97; row skipped",
    ),
    _country_check("shipper_country"),
    _country_check("consignee_country"),
    RowCheck(
        "conveyance",
        "unknown_category",
        f"conveyance IS NULL OR conveyance NOT IN {_in_list(CONVEYANCES)}",
        f"is not one of {', '.join(CONVEYANCES)}; row skipped",
    ),
    RowCheck(
        "port_of_unlading",
        "unknown_category",
        "port_of_unlading IS NULL OR port_of_unlading = ''",
        "is blank: every shipment has a port of unlading; row skipped",
    ),
)

SOURCE = Source(
    name="shipments",
    title="Shipment-level trade records (bill-of-lading schema); synthetic unless you load "
    "your own",
    publisher="the holder of the records (CBP AMS, SAT, customs); synthetic stand-in generated "
    "by borderflow, calibrated to UN Comtrade",
    homepage="https://www.cbp.gov/trade/automated",
    licence="the holder's terms; the synthetic stand-in has none",
    cadence="daily arrivals, loaded in partitions",
    folder="shipments",
    series=(),
    parser_version="1",
    quirks=__doc__ or "",
)
