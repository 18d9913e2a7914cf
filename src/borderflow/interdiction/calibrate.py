"""Baseline detection rates per crossing node, from CBP seizure events against BTS traffic.

What the data can give, and what it cannot: CBP publishes seizure *events* by area of
responsibility (field office or Border Patrol sector), not by conveyance, and never the flow
that was not seized. A seizure rate per crossing is therefore a measure of enforcement output,
not of the probability that a load is found. We keep only its *relative* information:

* ports: ``rate_a = events_a / traffic_a`` for field office ``a`` (traffic = inbound crossings
  of the conveyances in the network); ``detection_a = port_detection × rate_a / rate_border``,
  where ``rate_border`` is the same ratio over all Southwest Border field offices and
  ``port_detection`` (scenario) is an ASSUMED border-wide mean detection probability.
* conveyances within a field office: multiplied by the scenario's ``conveyance_factor`` and
  renormalised so that the traffic-weighted mean over conveyances stays ``detection_a``
  (the data have no conveyance; the factors are assumptions, 1 by default).
* sectors: no traffic count exists between ports, so each sector is taken to face equal
  exposure: ``detection_s = sector_detection × events_s / mean_s(events)``.

All values are clipped to ``[min_detection, max_detection]``. Uncertainty: the monthly event
counts give a standard error of the period total (``sd × √n``) and a 95% interval on each rate,
holding the border-wide normaliser fixed. The interval speaks to month-to-month noise only; the
assumed means (``port_detection``, ``sector_detection``) dominate and are not estimated at all.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

Z95 = 1.96


@dataclass(frozen=True)
class Calibrated:
    """One calibrated detection rate.

    Attributes:
        area: CBP area of responsibility.
        conveyance: BTS conveyance, or ``"Between ports"``.
        events: seizure events of the area in the period (all its conveyances).
        traffic: inbound crossings of this node in the period (0 between ports).
        detection: calibrated baseline detection probability.
        low: lower end of its 95% interval (month-to-month noise only).
        high: upper end of its 95% interval.
        clipped: the raw value fell outside ``[min_detection, max_detection]``.
    """

    area: str
    conveyance: str
    events: float
    traffic: float
    detection: float
    low: float
    high: float
    clipped: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _clip(value: float, low: float, high: float) -> tuple[float, bool]:
    clipped = min(max(value, low), high)
    return clipped, not math.isclose(clipped, value)


def _half_width(monthly: Sequence[float]) -> float:
    """95% half-width of a period total from its monthly counts (sd × √n × 1.96)."""
    n = len(monthly)
    if n < 2:
        return 0.0
    mean = sum(monthly) / n
    sd = math.sqrt(sum((m - mean) ** 2 for m in monthly) / (n - 1))
    return Z95 * sd * math.sqrt(n)


def calibrate_ports(
    traffic: Mapping[tuple[str, str], float],
    events: Mapping[str, float],
    monthly: Mapping[str, Sequence[float]],
    *,
    mean_detection: float,
    conveyance_factor: Mapping[str, float],
    bounds: tuple[float, float],
) -> list[Calibrated]:
    """Detection per (field office, conveyance) from seizure events per crossing.

    Args:
        traffic: (field office, conveyance) → inbound crossings in the period.
        events: field office → seizure events in the period.
        monthly: field office → monthly seizure events (for the interval).
        mean_detection: the assumed border-wide mean detection probability at ports.
        conveyance_factor: relative detectability by conveyance (missing: 1).
        bounds: (min, max) detection probability.
    """
    offices = sorted({a for a, _ in traffic})
    office_traffic = {a: sum(v for (o, _), v in traffic.items() if o == a) for a in offices}
    border_rate = sum(events.get(a, 0.0) for a in offices) / max(sum(office_traffic.values()), 1)
    out = []
    for a in offices:
        scale = mean_detection / (border_rate * max(office_traffic[a], 1)) if border_rate else 0
        mix = {c: v for (o, c), v in traffic.items() if o == a}
        mean_factor = sum(conveyance_factor.get(c, 1.0) * v for c, v in mix.items()) / max(
            sum(mix.values()), 1
        )
        for c, volume in sorted(mix.items()):
            relative = conveyance_factor.get(c, 1.0) / (mean_factor or 1.0)
            out.append(
                _calibrated(
                    a, c, events.get(a, 0.0), volume, monthly.get(a, ()), scale * relative, bounds
                )
            )
    return out


def calibrate_sectors(
    sectors: Sequence[str],
    events: Mapping[str, float],
    monthly: Mapping[str, Sequence[float]],
    *,
    mean_detection: float,
    bounds: tuple[float, float],
    conveyance: str,
) -> list[Calibrated]:
    """Detection per Border Patrol sector, under equal exposure of every sector."""
    mean_events = sum(events.get(s, 0.0) for s in sectors) / max(len(sectors), 1)
    scale = mean_detection / mean_events if mean_events else 0.0
    return [
        _calibrated(s, conveyance, events.get(s, 0.0), 0.0, monthly.get(s, ()), scale, bounds)
        for s in sectors
    ]


def _calibrated(
    area: str,
    conveyance: str,
    events: float,
    traffic: float,
    monthly: Sequence[float],
    per_event: float,
    bounds: tuple[float, float],
) -> Calibrated:
    """Detection = per_event × events, with its interval, clipped to ``bounds``."""
    half = _half_width(monthly)
    detection, clipped = _clip(per_event * events, *bounds)
    low, _ = _clip(per_event * max(events - half, 0.0), *bounds)
    high, _ = _clip(per_event * (events + half), *bounds)
    return Calibrated(area, conveyance, events, traffic, detection, low, high, clipped)
