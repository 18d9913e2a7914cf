"""A selection as DuckDB SQL with bound parameters, for the embedded warehouse.

The same aggregation as ``compile.aggregate`` (which stays the portable path, for Spark and any
other Ibis backend), written straight to SQL: on DuckDB, asking Ibis to compile each new
question costs 20–30 ms, several times the query itself, so a cold engine was slow on every
first question. Every value — sources, measure, members, dates, the as-of date — is a bound
parameter (``$p0``, ``$p1`` …), never text in the statement. ``tests/test_metrics.py`` checks
that both paths give the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from borderflow.metrics.compile import FORECAST_STATUS, Selection, forecast_dims_key
from borderflow.metrics.measures import Measure
from borderflow.warehouse.sql import observations_as_of_bound

#: Bucket start for each grain, from the month a value counts in (``{day}``).
BUCKETS = {
    "month": "{day}",
    "quarter": "CAST(date_trunc('quarter', {day}) AS DATE)",
    "calendar_year": "CAST(date_trunc('year', {day}) AS DATE)",
    # Fiscal year: shift October forward into the next year, truncate, shift back.
    "fiscal_year": "CAST(date_trunc('year', {day} + INTERVAL 3 MONTH) - INTERVAL 3 MONTH AS DATE)",
}

#: ``compile.aggregate``'s columns. Distinct counts are taken of collected lists: DuckDB plans
#: several DISTINCT aggregates as a fan-out that costs more than the query (7 ms against 4 ms).
AGGREGATES = """
    SUM(value) AS value,
    COUNT(value) AS "values",
    len(list_distinct(list(unit))) AS units,
    MAX(unit) AS unit,
    len(list_distinct(list(period_start))) AS months,
    MIN(period_start) AS first_month,
    MAX(period_start) AS last_month,
    list_distinct(list(release_id)) AS releases
"""


@dataclass
class Statement:
    """SQL text and the values bound to its ``$pN`` parameters."""

    params: dict[str, Any] = field(default_factory=dict)

    def bind(self, value: Any) -> str:
        """A placeholder for ``value``."""
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"${name}"

    def bind_all(self, values: tuple[Any, ...] | list[Any]) -> str:
        """``($p3, $p4)`` for the values of an IN list."""
        return "(" + ", ".join(self.bind(v) for v in values) + ")"


def relation(as_of: date | None, statement: Statement, forecast: bool) -> str:
    """The relation a selection reads: current values (as of a date) or stored forecasts."""
    if forecast:
        return "forecast_observations"
    if as_of is None:
        return "current_observations"
    return f"({observations_as_of_bound(statement.bind(as_of))})"


def aggregate_sql(sel: Selection, as_of: date | None) -> tuple[str, dict[str, Any]]:
    """SQL summing the selection into (bucket, *by) groups, and its parameters."""
    st = Statement()
    source = relation(as_of, st, sel.status == FORECAST_STATUS)
    day = "CAST(date_trunc('month', period_end) AS DATE)" if sel.by_end else "period_start"
    where = _predicates(sel, st, day)
    bucket = st.bind(sel.first) if sel.grain is None else BUCKETS[sel.grain].format(day=day)
    by = "".join(f', "{d}"' for d in sel.by)
    keys = ", ".join(str(i) for i in range(1, len(sel.by) + 2))  # by position: a constant
    text = (  # bucket groups too, so no rows make no groups (not one row of nulls)
        f"SELECT {bucket} AS bucket{by}, {AGGREGATES} FROM {source} AS t "
        f"WHERE {' AND '.join(where)} GROUP BY {keys}"
    )
    return text, st.params


def _predicates(sel: Selection, st: Statement, day: str) -> list[str]:
    m = sel.measure
    preds = [f"source IN {st.bind_all(sel.sources)}", f"measure = {st.bind(m.stored)}"]
    if m.series is not None:
        preds.append(f"series IN {st.bind_all(m.series)}")
    if sel.status is not None:
        preds.append(f"status = {st.bind(sel.status)}")
    if sel.status == FORECAST_STATUS:  # only the series forecast at exactly this breakdown
        preds.append(f"dims_key = {st.bind(forecast_dims_key(sel))}")
    preds += [f'"{dim}" IN {st.bind_all(members)}' for dim, members in sel.filters]
    preds += [f'"{dim}" NOT IN {st.bind_all(members)}' for dim, members in sel.exclude]
    if sel.months is not None:
        preds.append(f"{day} IN {st.bind_all([d.replace(day=1) for d in sel.months])}")
    else:
        preds.append(f"{day} BETWEEN {st.bind(sel.first.replace(day=1))} "
                     f"AND {st.bind(sel.last.replace(day=1))}")  # fmt: skip
    return preds


def members_sql(dimension: str) -> str:
    """Distinct stored members of ``dimension`` for a (source, measure): parameters ``$source``
    and ``$measure``."""
    return (
        f'SELECT DISTINCT "{dimension}" FROM current_observations '
        f'WHERE source = $source AND measure = $measure AND "{dimension}" IS NOT NULL'
    )


def last_month_sql(measure: Measure, as_of: date | None) -> tuple[str, dict[str, Any]]:
    """The newest month with values of ``measure`` (its fixed filters applied) current as of
    ``as_of``, and its parameters."""
    st = Statement()
    source = relation(as_of, st, False)
    preds = [f"source = {st.bind(measure.source)}", f"measure = {st.bind(measure.stored)}"]
    preds += [f'"{dim}" = {st.bind(value)}' for dim, value in measure.fixed.items()]
    return f"SELECT max(period_start) FROM {source} AS t WHERE {' AND '.join(preds)}", st.params
