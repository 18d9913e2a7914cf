"""Every measure an analyst can ask for, registered in one place.

A ``Measure`` names which stored values it reads (source, stored measure, fixed filters), its
unit, the period type of its values, and how it may be aggregated over time:

- ``flow``: monthly or annual counts; sums over months and years are meaningful.
- ``rolling``: 12-month-ending sums (VSRR); never added across months — ask for one ending month.
- ``stock``: a level at a point in time (population); never added across time.
- ``rate``: already a ratio (age-adjusted death rate); never added at all.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field

from borderflow.errors import BorderflowError
from borderflow.metrics.notes import note

TEMPORAL = ("flow", "rolling", "stock", "rate")

CBP_DIMENSIONS = ("drug", "component", "region", "land_filter", "area")


class UnknownMeasureError(BorderflowError):
    """No measure by that name."""


@dataclass(frozen=True)
class Measure:
    """A quantity analysts quote, and the rules for adding it up.

    Attributes:
        name: how users ask for it (``seized_lb``).
        description: one line for listings and sentences.
        source: the warehouse source it reads.
        stored: the stored measure name in that source.
        unit: unit of the values (``None``: varies by member; queries must not mix them).
        period_type: period type of the stored values.
        temporal: one of ``TEMPORAL``.
        dimensions: the dimensions a query may filter or group by.
        statuses: statuses available; ``default_status`` is used unless one is asked for.
        fixed: stored-dimension filters always applied (e.g. a crime subtype).
        totals: dimension → member holding the publisher's own total (e.g. us_state "US"). When a
            query neither filters nor groups by that dimension, only the total member is read;
            when it groups by it, the total member is left out — never both, which would double.
        no_sum_over: dimensions whose members must not be added up (e.g. WONDER states, where
            suppressed cells make sums undercount): filter or group by them.
        series: restrict to these file series of the source (None: all).
        companion: a source that may be added on explicit request (AMO for CBP seizures).
        no_rate_for: member → why no population rate can be formed for it.
        notes: caveats printed with every answer.
    """

    name: str
    description: str
    source: str
    stored: str
    unit: str | None
    period_type: str
    temporal: str
    dimensions: tuple[str, ...]
    statuses: tuple[str, ...] = ("reported",)
    default_status: str = "reported"
    fixed: Mapping[str, str] = field(default_factory=dict)
    totals: Mapping[str, str] = field(default_factory=dict)
    no_sum_over: tuple[str, ...] = ()
    series: tuple[str, ...] | None = None
    companion: str | None = None
    no_rate_for: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


SEIZURE_NOTES = (note("cbp_components"), note("enforcement"))

#: Shipment records (``borderflow.metrics.records``): ``stored`` names the column summed, ``*``
#: counts records; months are months of arrival.
SHIPMENT_DIMENSIONS = (
    "hs_code", "shipper_country", "consignee_country", "port_of_unlading", "port_of_lading",
    "conveyance",
)  # fmt: skip
SHIPMENT_NOTES = (note("shipments"),)

MEASURES: tuple[Measure, ...] = (
    Measure(
        "seized_lb", "drugs seized by CBP (pounds)", "cbp_nationwide", "seizure_weight", "lb",
        "month", "flow", CBP_DIMENSIONS, companion="cbp_amo", notes=SEIZURE_NOTES,
    ),
    Measure(
        "seizure_events", "CBP drug seizure events", "cbp_nationwide", "seizure_events", "events",
        "month", "flow", CBP_DIMENSIONS, companion="cbp_amo", notes=SEIZURE_NOTES,
    ),
    Measure(
        "amo_seized_lb", "drugs seized by CBP Air and Marine Operations (pounds)", "cbp_amo",
        "seizure_weight", "lb", "month", "flow", CBP_DIMENSIONS,
    ),
    Measure(
        "amo_seizure_events", "CBP Air and Marine Operations seizure events", "cbp_amo",
        "seizure_events", "events", "month", "flow", CBP_DIMENSIONS,
    ),
    Measure(
        "overdose_deaths_12m", "provisional drug overdose deaths, 12-month-ending (CDC VSRR)",
        "cdc_vsrr", "overdose_deaths", "deaths", "12_month_ending", "rolling",
        ("us_state", "cause"), statuses=("reported", "predicted"), fixed={"cause": "T40.4"},
        totals={"us_state": "US"},
        no_rate_for={
            "NY": "VSRR's NY excludes New York City (YC); no population matches it",
            "YC": "New York City has no state population row",
        },
        notes=(
            note("vsrr_rolling"),
            note("vsrr_t40_4"),
        ),
    ),
    Measure(
        "all_overdose_deaths_12m", "provisional drug overdose deaths, all drugs, 12-month-ending "
        "(CDC VSRR)", "cdc_vsrr", "overdose_deaths", "deaths", "12_month_ending", "rolling",
        ("us_state", "cause"), statuses=("reported", "predicted"),
        fixed={"cause": "all_drug_overdose"}, totals={"us_state": "US"},
        notes=(
            note("vsrr_rolling"),
            note("vsrr_all"),
        ),
    ),
    Measure(
        "deaths_t40_4_monthly", "deaths with synthetic opioids (T40.4) mentioned, by month "
        "(CDC WONDER)", "cdc_wonder", "deaths_multiple_cause", "deaths", "month", "flow",
        ("us_state", "cause"), statuses=("final", "provisional"), default_status="final",
        fixed={"cause": "T40.4"}, no_sum_over=("us_state",),
        notes=(
            note("wonder_suppressed"),
            note("wonder_residence"),
        ),
    ),
    Measure(
        "overdose_deaths_annual", "drug overdose deaths, calendar year (NCHS)", "nchs_final",
        "overdose_deaths", "deaths", "calendar_year", "flow", ("cause", "us_state"),
        statuses=("final", "provisional"), default_status="final",
        fixed={"us_state": "US"}, no_sum_over=("cause",),
        notes=(
            note("nchs_residence"),
            note("nchs_overlap"),
        ),
    ),
    Measure(
        "overdose_death_rate", "age-adjusted drug overdose death rate per 100,000 (NCHS)",
        "nchs_final", "overdose_death_rate_age_adjusted",
        "per 100,000 standard population (age-adjusted)", "calendar_year", "rate", ("cause",),
        statuses=("final",), default_status="final", no_sum_over=("cause",),
    ),
    Measure(
        "crossings", "inbound crossings at U.S.–Mexico land ports (BTS)", "bts_crossings",
        "crossings", None, "month", "flow", ("port", "us_state", "conveyance"),
        notes=(note("crossings_inbound"),),
    ),
    Measure(
        "homicide_victims", "victims of intentional homicide (SESNSP, homicidio doloso)",
        "sesnsp_victims", "crime_victims", "victims", "month", "flow", ("mx_state",),
        fixed={"crime_subtype": "Homicidio doloso"}, totals={"mx_state": "00"},
        notes=(note("sesnsp_files"),),
    ),
    Measure(
        "crime_victims", "victims of crime by subtype (SESNSP)", "sesnsp_victims", "crime_victims",
        "victims", "month", "flow", ("mx_state", "crime_subtype"), totals={"mx_state": "00"},
    ),
    Measure(
        "crime_incidents", "investigation files opened (SESNSP carpetas de investigación)",
        "sesnsp_incidence", "crime_incidents", "investigation files", "month", "flow",
        ("mx_state", "crime_category", "crime_type", "crime_subtype", "modality"),
    ),
    Measure(
        "trade_value", "HS chapter 29 trade value, reporter to the world (UN Comtrade)",
        "un_comtrade", "trade_value", "USD", "calendar_year", "flow",
        ("reporter", "partner", "hs_code", "commodity", "flow"),
        series=("mexico_hs29", "china_hs29", "india_hs29"),
    ),
    Measure(
        "trade_weight", "HS chapter 29 trade net weight (UN Comtrade)", "un_comtrade",
        "trade_weight", "kg", "calendar_year", "flow",
        ("reporter", "partner", "hs_code", "commodity", "flow"),
        series=("mexico_hs29", "china_hs29", "india_hs29"),
        notes=(note("comtrade_weights"),),
    ),
    Measure(
        "fentanyl_group_trade_value", "HS 2933 fentanyl-group trade value, all reporters "
        "(UN Comtrade)", "un_comtrade", "trade_value", "USD", "calendar_year", "flow",
        ("reporter", "partner", "hs_code", "commodity", "flow"),
        series=("hs2933_fentanyl_group",),
    ),
    Measure(
        "population_us", "resident population, July 1 (Census PEP)", "census_pep", "population",
        "persons", "calendar_year", "stock", ("us_state",), statuses=("estimate",),
        default_status="estimate", totals={"us_state": "US"},
    ),
    Measure(
        "population_mx", "population (CONAPO 2023 projections)", "conapo", "population", "persons",
        "month", "stock", ("mx_state",), statuses=("estimate", "projected", "interpolated"),
        default_status="any",
        notes=(note("conapo_july"),),
    ),
    Measure(
        "shipments", "shipment records (bills of lading)", "shipments", "*", "shipments",
        "month", "flow", SHIPMENT_DIMENSIONS, notes=SHIPMENT_NOTES,
    ),
    Measure(
        "shipment_weight", "declared gross weight of shipments", "shipments", "weight_kg", "kg",
        "month", "flow", SHIPMENT_DIMENSIONS, notes=SHIPMENT_NOTES,
    ),
    Measure(
        "shipment_value", "declared value of shipments", "shipments", "value_usd", "USD",
        "month", "flow", SHIPMENT_DIMENSIONS, notes=SHIPMENT_NOTES,
    ),
)  # fmt: skip

_BY_NAME = {m.name: m for m in MEASURES}


def get_measure(name: str) -> Measure:
    """The measure called ``name``; an unknown name gets the nearest valid names."""
    try:
        return _BY_NAME[name]
    except KeyError:
        close = difflib.get_close_matches(name, _BY_NAME, n=3, cutoff=0.4)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise UnknownMeasureError(
            f"unknown measure {name!r}.{hint} `borderflow measures` lists them all."
        ).saying(
            "unknown_measure_close" if close else "unknown_measure",
            measure=name,
            close=", ".join(close),
        ) from None


def all_measures() -> tuple[Measure, ...]:
    return MEASURES
