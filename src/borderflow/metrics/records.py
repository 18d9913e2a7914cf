"""Measures over record-level tables (shipments), where one row is one event, not one value.

Most sources arrive as published totals and are stored long (``observations``: one value per
row). Shipment records are too many for that — a hundred million rows — so they stay wide, one
row per shipment, in a table of their own; a measure over them sums a column (``Measure.stored``
names it; ``*`` counts records) instead of ``value``. This module aggregates such a selection
into exactly the columns ``compile.aggregate`` returns, twice: as DuckDB SQL with bound
parameters (the embedded warehouse) and as a portable Ibis expression (Spark). Both sum whole
numbers as doubles, which is exact below 2**53, so both engines give identical answers.

The sum is taken in two steps — by (bucket, breakdown, month, release) first, then by
(bucket, breakdown) — so the distinct months and releases of each answer are counted over a
few thousand partial sums instead of over every record.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir

from borderflow.metrics.compile import Selection, bucket
from borderflow.metrics.native_sql import BUCKETS, Statement
from borderflow.metrics.query import QueryError

#: Source → the relation holding its current records (``period_start`` = first day of the month
#: each record falls in, ``release_id`` = the partition file it came from).
RECORD_TABLES: dict[str, str] = {"shipments": "current_shipments"}

#: ``Measure.stored`` value that counts records instead of summing a column.
COUNT = "*"

NOT_LOADED = (
    "this warehouse holds no {source} records: load them with `borderflow {source} ingest DIR` "
    "(`borderflow {source} generate` writes a synthetic set)."
)


def is_record_measure(source: str) -> bool:
    """Whether ``source``'s measures read a record-level table."""
    return source in RECORD_TABLES


def _no_as_of(as_of: date | None, source: str) -> None:
    if as_of is not None:
        raise QueryError(
            f"{source} records are loaded as partitions, not dated releases: as_of does not "
            "apply to them."
        )


def aggregate_sql(sel: Selection, as_of: date | None) -> tuple[str, dict[str, Any]]:
    """DuckDB SQL summing the selection into (bucket, *by) groups, and its parameters."""
    m = sel.measure
    _no_as_of(as_of, m.source)
    st = Statement()
    value = "CAST(1 AS DOUBLE)" if m.stored == COUNT else f'CAST("{m.stored}" AS DOUBLE)'
    where = [f'"{d}" IN {st.bind_all(members)}' for d, members in sel.filters]
    where += [f'"{d}" NOT IN {st.bind_all(members)}' for d, members in sel.exclude]
    if sel.months is not None:
        where.append(f"period_start IN {st.bind_all([d.replace(day=1) for d in sel.months])}")
    else:
        first, last = st.bind(sel.first.replace(day=1)), st.bind(sel.last.replace(day=1))
        where.append(f"period_start BETWEEN {first} AND {last}")
    bucket_sql = (
        st.bind(sel.first) if sel.grain is None else BUCKETS[sel.grain].format(day="period_start")
    )
    by = "".join(f', "{d}"' for d in sel.by)
    inner = (
        f"SELECT {bucket_sql} AS bucket{by}, period_start, release_id, SUM({value}) AS v, "
        f"COUNT(*) AS n FROM {RECORD_TABLES[m.source]} WHERE {' AND '.join(where)} GROUP BY ALL"
    )
    keys = ", ".join(str(i) for i in range(1, len(sel.by) + 2))
    text = (
        f'SELECT bucket{by}, SUM(v) AS value, SUM(n) AS "values", 1 AS units, '
        f"{st.bind(m.unit)} AS unit, COUNT(DISTINCT period_start) AS months, "
        "MIN(period_start) AS first_month, MAX(period_start) AS last_month, "
        f"list(DISTINCT release_id) AS releases FROM ({inner}) GROUP BY {keys}"
    )
    return text, st.params


def aggregate(backend: ibis.BaseBackend, sel: Selection, as_of: date | None) -> ir.Table:
    """The same aggregation as ``aggregate_sql``, as a portable Ibis expression."""
    m = sel.measure
    _no_as_of(as_of, m.source)
    table = backend.table(RECORD_TABLES[m.source])
    preds = [table[d].isin(list(members)) for d, members in sel.filters]
    preds += [~table[d].isin(list(members)) for d, members in sel.exclude]
    if sel.months is not None:
        preds.append(table.period_start.isin([ibis.date(d.year, d.month, 1) for d in sel.months]))
    else:
        preds.append(table.period_start >= ibis.date(sel.first.year, sel.first.month, 1))
        preds.append(table.period_start <= ibis.date(sel.last.year, sel.last.month, 1))
    rows = table.filter(preds)
    value = ibis.literal(1.0) if m.stored == COUNT else rows[m.stored].cast("float64")
    rows = rows.mutate(bucket=bucket(rows, sel.grain, False, sel.first), _v=value)
    partial = rows.group_by(["bucket", *sel.by, "period_start", "release_id"]).aggregate(
        v=rows._v.sum(), n=rows.count()
    )
    summed = partial.group_by(["bucket", *sel.by]).aggregate(
        value=partial.v.sum(),
        values=partial.n.sum(),
        months=partial.period_start.nunique(),
        first_month=partial.period_start.min(),
        last_month=partial.period_start.max(),
        releases=partial.release_id.collect(distinct=True),
    )
    return summed.mutate(units=ibis.literal(1), unit=ibis.literal(m.unit))


def members_sql(source: str, dimension: str) -> str:
    """Distinct members of ``dimension`` among ``source``'s current records."""
    return (
        f'SELECT DISTINCT "{dimension}" FROM {RECORD_TABLES[source]} '
        f'WHERE "{dimension}" IS NOT NULL'
    )


def members(backend: ibis.BaseBackend, source: str, dimension: str) -> ir.Table:
    """``members_sql`` as an Ibis expression (column ``m``)."""
    table = backend.table(RECORD_TABLES[source])
    return table[dimension].name("m").as_table().distinct()


def last_month_sql(source: str, as_of: date | None) -> str:
    """The newest month of ``source``'s current records."""
    _no_as_of(as_of, source)
    return f"SELECT max(period_start) FROM {RECORD_TABLES[source]}"


def last_month(backend: ibis.BaseBackend, source: str, as_of: date | None) -> ir.Scalar:
    """``last_month_sql`` as an Ibis expression."""
    _no_as_of(as_of, source)
    return backend.table(RECORD_TABLES[source]).period_start.max()
