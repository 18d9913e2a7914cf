"""The official figure of a reading, in the claim's own terms: a level in the claim's unit, a
percent change, a ratio, a share or a rank — with the coverage checks that keep a partly
covered period from answering, and the days a rate a day is spread over."""

from __future__ import annotations

import math
from typing import Any

from borderflow.claims.extract import Mention
from borderflow.claims.resolve import Reading
from borderflow.errors import BorderflowError
from borderflow.metrics import Engine, Query
from borderflow.metrics.periods import PeriodError, parse_period
from borderflow.metrics.units import convert


def official_value(
    engine: Engine, reading: Reading, m: Mention
) -> tuple[float, list[dict[str, Any]]]:
    """The official figure for ``reading`` in the claim's own terms (unit, percent or ratio)."""
    result = engine.run(reading.query)
    rows = result.rows
    if m.kind == "share" and reading.base is not None:  # a part over a whole of another query
        _check_coverage(rows.iloc[0], "", None)
        whole, releases = _base(engine, reading, rows.iloc[0])
        return 100 * float(rows["value"].iloc[0]) / whole, result.releases + releases
    if m.kind == "share":
        part = rows[rows[reading.query.share_of].astype(str) == _share_part(reading)]
        return float(part["share"].iloc[0]), result.releases
    if m.kind == "rank":
        dim = reading.query.by[0]
        place = rows[rows[dim].astype(str) == reading.label.split(" ranked")[0]]
        return float(place["rank"].iloc[0]), result.releases
    if len(rows) != 1:
        raise ValueError(f"the answer has {len(rows)} rows")
    row = rows.iloc[0]
    _check_coverage(row, "", lambda: _whole_covered(engine, reading.query))
    value = float(row["value"])
    if m.kind == "difference":  # "32 fewer homicides": the level less the base's
        base, releases = _base(engine, reading, row)
        difference = value - base
        if m.unit in ("lb", "kg", "short_ton", "t") and result.unit in ("lb", "kg"):
            difference = convert(difference, result.unit, m.unit)
        return difference, result.releases + releases
    if m.kind in ("change", "multiplier"):
        base, releases = _base(engine, reading, row)
        ratio = value / base
        return (ratio if m.kind == "multiplier" else 100 * (ratio - 1)), result.releases + releases
    if m.unit in ("lb", "kg", "short_ton", "t") and result.unit in ("lb", "kg"):
        value = convert(value, result.unit, m.unit)
    return value, result.releases


def _base(engine: Engine, reading: Reading, row: Any) -> tuple[float, list[dict[str, Any]]]:
    if reading.base is None:
        whole = lambda: _whole_covered(engine, reading.query, "previous_")  # noqa: E731
        _check_coverage(row, "previous_", whole)
        return float(row["previous"]), []
    base = engine.run(reading.base)
    _check_coverage(base.rows.iloc[0], "", lambda: _whole_covered(engine, reading.base))
    return float(base.rows["value"].iloc[0]), base.releases


def _whole_covered(engine: Engine, query: Query | None, prefix: str = "") -> bool:
    """Whether the series without its filters covers every month of the period: then a month
    missing from a narrow slice (one sector, one drug) is a month with nothing seized, not a
    month without data."""
    if query is None or not query.where:
        return False
    try:
        row = engine.run(query.with_(where={})).rows.iloc[0]
    except (BorderflowError, ValueError, KeyError, IndexError):
        return False
    months, expected = row.get(f"{prefix}months"), row.get("expected_months")
    return months is not None and expected is not None and months >= expected


def _check_coverage(row: Any, prefix: str, whole: Any = None) -> None:
    months, value = row.get(f"{prefix}months"), row.get(f"{prefix}value" if prefix else "value", 1)
    expected = row.get("expected_months")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("no value for that period (outside coverage)")
    if months is not None and expected is not None and months < expected:
        if whole is not None and months > 0 and whole():
            return
        raise ValueError(f"the data cover {months} of the {expected} months of that period")


def _share_part(reading: Reading) -> str:
    return reading.label.split(" as a share")[0]


def divisor(per: str, period: str) -> int:
    """What an average per ``per`` (``day`` or ``month``) divides ``period``'s total by: its
    days or its months (365 days or 12 months for a period the metrics layer cannot read)."""
    try:
        span = parse_period(period)
    except PeriodError:
        return 365 if per == "day" else 12
    if per == "day":
        return (span.end_day - span.first).days + 1
    return span.months
