"""The series groups the outlook forecasts, registered in one place.

A group names one measure, the dimensions its series are broken down by, fixed filters, how a
missing month is read (a zero for sparse seizure files, a gap for publishers that skip months),
the seasonal period, and the history it reads. A new group is one new entry, not new code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from borderflow.errors import BorderflowError


class OutlookError(BorderflowError):
    """An outlook that cannot be run as asked; the message says why and what to try."""


@dataclass(frozen=True)
class SeriesGroup:
    """A family of monthly series forecast, scored and chosen a model for together.

    Attributes:
        name: group name (``cbp_lb_region``).
        measure: metrics-layer measure name.
        by: dimensions each series is broken down by (empty: one national series).
        where: fixed filters (dimension → members).
        missing: how a month without a value is read: ``zero`` (the publisher lists only
            months with seizures) or ``gap`` (the value is not known).
        season_length: seasonal period in months (1 for 12-month-ending rolling sums).
        start: first month of history read (``YYYY-MM``).
        min_length: fewest months a model needs; shorter series get a baseline.
        sparse_share: share of zero months above which intermittent-demand models are tried.
        main: part of the headline scores (the "main groups").
        parent: (group, dimension) this group's series add up to, for reconciliation.
        calibration: backtest origins each series' model and widths are learned from; rolling
            12-month sums need more (their errors come in long runs: a 12-origin window of calm
            months sets intervals a trend break walks out of).
    """

    name: str
    measure: str
    by: tuple[str, ...]
    where: dict[str, tuple[str, ...]] = field(default_factory=dict)
    missing: Literal["zero", "gap"] = "zero"
    season_length: int = 12
    start: str = "2015-01"
    min_length: int = 36
    sparse_share: float = 0.3
    main: bool = True
    parent: tuple[str, str] | None = None
    description: str = ""
    calibration: int = 12
    trend_break: bool = False


GROUPS: tuple[SeriesGroup, ...] = (
    SeriesGroup("cbp_lb_drug", "seized_lb", ("drug",), start="2018-10", trend_break=True,
                description="CBP pounds seized nationwide, by drug"),
    SeriesGroup("cbp_lb_region", "seized_lb", ("drug", "region"), start="2018-10",
                trend_break=True, parent=("cbp_lb_drug", "region"),
                description="CBP pounds seized by drug × region"),
    SeriesGroup("cbp_lb_area", "seized_lb", ("drug", "area"), start="2018-10", main=False,
                parent=("cbp_lb_region", "area"),
                description="CBP pounds seized by drug × area of responsibility"),
    SeriesGroup("cbp_lb_component", "seized_lb", ("drug", "component"), start="2018-10",
                main=False, trend_break=True,
                description="CBP pounds seized by drug × component (OFO, USBP)"),
    SeriesGroup("cbp_events_region", "seizure_events", ("drug", "region"), start="2018-10",
                description="CBP seizure events by drug × region"),
    SeriesGroup("cbp_events_area", "seizure_events", ("drug", "area"), start="2018-10",
                main=False, description="CBP seizure events by drug × area of responsibility"),
    SeriesGroup("vsrr_state", "overdose_deaths_12m", ("us_state",), missing="gap",
                season_length=1, calibration=24, description="VSRR synthetic-opioid deaths, "
                "12 months ending, by state (nowcast history)"),
    SeriesGroup("vsrr_us", "overdose_deaths_12m", (), {"us_state": ("US",)}, missing="gap",
                season_length=1, calibration=48,
                description="VSRR synthetic-opioid deaths, 12 months ending, United States"),
    SeriesGroup("vsrr_all_us", "all_overdose_deaths_12m", (), {"us_state": ("US",)},
                missing="gap", season_length=1, calibration=48,
                description="VSRR deaths from all drug overdoses, 12 months ending, United States"),
    SeriesGroup("sesnsp_homicides_state", "homicide_victims", ("mx_state",),
                description="SESNSP intentional-homicide victims by Mexican state"),
    SeriesGroup("bts_port", "crossings", ("port", "conveyance"), missing="gap", start="2012-01",
                description="BTS inbound crossings by port × conveyance"),
)  # fmt: skip

_BY_NAME = {g.name: g for g in GROUPS}


def get_group(name: str) -> SeriesGroup:
    """The group called ``name``."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise OutlookError(
            f"unknown series group {name!r}; groups: {', '.join(_BY_NAME)}."
        ) from None


def select_groups(measures: tuple[str, ...] | None) -> tuple[SeriesGroup, ...]:
    """The groups of ``measures`` (all when None); an unknown measure is an error."""
    if not measures:
        return GROUPS
    known = {g.measure for g in GROUPS}
    unknown = [m for m in measures if m not in known]
    if unknown:
        raise OutlookError(
            f"the outlook does not forecast {', '.join(unknown)}; it forecasts "
            f"{', '.join(sorted(known))}."
        )
    return tuple(g for g in GROUPS if g.measure in measures)
