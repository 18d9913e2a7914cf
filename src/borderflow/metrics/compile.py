"""Compile a resolved query into an Ibis expression over the warehouse's observations.

Nothing here runs SQL: the expression is portable, so the same question runs on the embedded
DuckDB file and on Spark. ``current`` builds the "newest release covering each period" relation
for a vintage; ``aggregate`` filters it and sums into grain buckets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import ibis
import ibis.expr.types as ir

from borderflow.metrics.measures import Measure

#: The status of values forecast by ``borderflow outlook``: read from ``forecast_observations``
#: (the newest run's forecast of each series), never mixed with observed values.
FORECAST_STATUS = "forecast"


@dataclass(frozen=True)
class Selection:
    """A query after validation: exactly which stored values to read and how to bucket them.

    Attributes:
        measure: the measure.
        sources: warehouse sources to read (the measure's, plus AMO when asked).
        status: status to read, or None for any.
        filters: stored dimension → accepted stored members (fixed filters included).
        exclude: stored dimension → members to leave out (publisher totals when grouping).
        by: dimensions to group by.
        first, last: first days of the first and last months read (by ``period_start``, or by
            the ending month for 12-month-ending values).
        months: explicit months to read (stock values at chosen points), or None for the range.
        grain: bucket for time; None sums the whole range into one bucket.
        by_end: bucket by the month a value ends in (12-month-ending values).
    """

    measure: Measure
    sources: tuple[str, ...]
    status: str | None
    filters: tuple[tuple[str, tuple[str, ...]], ...]
    exclude: tuple[tuple[str, tuple[str, ...]], ...]
    by: tuple[str, ...]
    first: date
    last: date
    months: tuple[date, ...] | None
    grain: str | None
    by_end: bool = False


def current(backend: ibis.BaseBackend, as_of: date | None) -> ir.Table:
    """Observations current as of ``as_of`` (None: the newest), with their release's metadata.

    For each file series and period, the newest loaded release whose coverage includes the
    period is authoritative; with no ``as_of`` the warehouse's ``current_observations`` view is
    used (on another engine, create it from ``current_from_releases(backend, None)``).
    """
    if as_of is None:
        return backend.table("current_observations")
    return current_from_releases(backend, as_of)


def current_from_releases(backend: ibis.BaseBackend, as_of: date | None) -> ir.Table:
    """``current`` computed from the ``observations``, ``releases`` and ``release_slices``
    tables alone: within a file series, a value is current unless a newer loaded release holds
    its slice (the same period, stored measure, cause and status)."""
    obs = backend.table("observations")
    rel = backend.table("releases")
    rel = rel.filter(rel.state == "loaded", rel.quarantine.isnull())
    if as_of is not None:
        rel = rel.filter(rel.vintage <= as_of)
    meta = rel.select("release_id", "source", "series", "vintage", "file_name", "sha256")
    joined = obs.join(meta, "release_id")
    slices = backend.table("release_slices")
    newer = slices.join(rel, "release_id").select(
        n_source=rel.source,
        n_series=rel.series,
        n_vintage=rel.vintage,
        n_id=rel.release_id,
        n_start=slices.period_start,
        n_measure=slices.measure,
        n_cause=slices.cause,
        n_status=slices.status,
    )
    return joined.anti_join(
        newer,
        [
            joined.source == newer.n_source,
            joined.series == newer.n_series,
            (newer.n_vintage > joined.vintage)
            | ((newer.n_vintage == joined.vintage) & (newer.n_id > joined.release_id)),
            joined.period_start == newer.n_start,
            joined.measure == newer.n_measure,
            joined.cause.fill_null("") == newer.n_cause,
            joined.status == newer.n_status,
        ],
    )


def bucket(table: ir.Table, grain: str | None, by_end: bool, first: date) -> ir.DateValue:
    """The first day of the grain bucket each value falls in."""
    day = table.period_end.truncate("M") if by_end else table.period_start
    if grain is None:
        return ibis.date(first.year, first.month, first.day)
    if grain == "month":
        return day
    if grain == "quarter":
        return day.truncate("Q")
    if grain == "calendar_year":
        return day.truncate("Y")
    # Fiscal year: shift October forward into the next year, truncate, shift back.
    shifted = (day + ibis.interval(months=3)).truncate("Y")
    return (shifted - ibis.interval(months=3)).cast("date")


def forecast_dims_key(sel: Selection) -> str:
    """The dimensions a forecast series must be broken down by to answer ``sel``.

    Forecasts are stored per breakdown (drug × region, drug × area…); adding the forecasts of
    two breakdowns would count twice, so a query reads the one breakdown it names.
    """
    dims = {d for d, _ in sel.filters} | {d for d, _ in sel.exclude} | set(sel.by)
    return ",".join(sorted(dims))


def aggregate(table: ir.Table, sel: Selection) -> ir.Table:
    """Filter ``table`` to the selection and sum values into (bucket, *by) groups."""
    m = sel.measure
    preds = [table.source.isin(list(sel.sources)), table.measure == m.stored]
    if m.series is not None:
        preds.append(table.series.isin(list(m.series)))
    if sel.status is not None:
        preds.append(table.status == sel.status)
    if sel.status == FORECAST_STATUS:  # only the series forecast at exactly this breakdown
        preds.append(table.dims_key == forecast_dims_key(sel))
    for dim, members in sel.filters:
        preds.append(table[dim].isin(list(members)))
    for dim, members in sel.exclude:
        preds.append(~table[dim].isin(list(members)))
    day = table.period_end.truncate("M") if sel.by_end else table.period_start
    if sel.months is not None:
        preds.append(day.isin([ibis.date(d.year, d.month, 1) for d in sel.months]))
    else:
        preds.append(day >= ibis.date(sel.first.year, sel.first.month, 1))
        preds.append(day <= ibis.date(sel.last.year, sel.last.month, 1))
    rows = table.filter(preds)
    rows = rows.mutate(bucket=bucket(rows, sel.grain, sel.by_end, sel.first))
    return rows.group_by(["bucket", *sel.by]).aggregate(
        value=rows.value.sum(),
        values=rows.value.count(),
        units=rows.unit.nunique(),
        unit=rows.unit.max(),
        months=rows.period_start.nunique(),
        first_month=rows.period_start.min(),
        last_month=rows.period_start.max(),
        releases=rows.release_id.collect(distinct=True),
    )
