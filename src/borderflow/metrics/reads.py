"""How the engine reads a backend: base aggregations, stored members, a series' last month.

One reader per kind of backend, chosen by name (``reader_for``): DuckDB — the embedded
warehouse — runs SQL with bound parameters (``native_sql``); any other Ibis backend (Spark)
executes the portable Ibis expressions of ``compile``. Both return the same frames.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import duckdb
import ibis
import pandas as pd

from borderflow.cache import BoundedCache
from borderflow.metrics import native_sql, records
from borderflow.metrics.compile import FORECAST_STATUS, Selection, aggregate, current
from borderflow.metrics.measures import Measure
from borderflow.metrics.query import QueryError

T = TypeVar("T")

NO_FORECASTS = "this warehouse holds no forecasts: run `borderflow outlook` to make them."


class IbisReads:
    """Reads through Ibis expressions: portable to every backend Ibis supports."""

    def __init__(self, backend: ibis.BaseBackend) -> None:
        self.backend = backend
        self._tables: BoundedCache[str, Any] = BoundedCache(16)

    def aggregate(self, selection: Selection, as_of: date | None) -> pd.DataFrame:
        """The selection summed into (bucket, *by) groups (``compile.aggregate``'s columns)."""
        if records.is_record_measure(selection.measure.source):
            return self._records(lambda: records.aggregate(self.backend, selection, as_of))
        forecast = selection.status == FORECAST_STATUS
        table = self._forecasts() if forecast else self._current(as_of)
        return self.backend.execute(aggregate(table, selection))

    def members(self, source: str, measure: str, dimension: str) -> tuple[str, ...]:
        """Distinct stored members of ``dimension`` for a stored (source, measure), sorted."""
        if records.is_record_measure(source):
            found = self._records(lambda: records.members(self.backend, source, dimension))
            return tuple(sorted(str(v) for v in found["m"].dropna()))
        table = self.backend.table("current_observations")
        rows = table.filter(table.source == source, table.measure == measure)
        values = self.backend.execute(rows[dimension].name("m").as_table().distinct())
        return tuple(sorted(str(v) for v in values["m"].dropna()))

    def last_month(self, measure: Measure, as_of: date | None) -> Any:
        """The newest ``period_start`` of a measure's stored values (its fixed filters applied:
        one indicator of a table may end earlier than another), or None."""
        if records.is_record_measure(measure.source):
            return self._records(lambda: records.last_month(self.backend, measure.source, as_of))
        table = self._current(as_of)
        preds = [table.source == measure.source, table.measure == measure.stored]
        preds += [table[dim] == value for dim, value in measure.fixed.items()]
        return self.backend.execute(table.filter(preds).period_start.max())

    def _records(self, expression: Any) -> Any:
        """Execute a record-table expression; a warehouse without the table gets a clear error."""
        return _record_answer(lambda: self.backend.execute(expression()))

    def _forecasts(self) -> Any:
        try:
            return self.backend.table("forecast_observations")
        except Exception as exc:  # a warehouse from before migration 005_forecasts
            raise QueryError(NO_FORECASTS) from exc

    def _current(self, as_of: date | None) -> Any:
        return self._tables.get_or_compute(str(as_of), lambda: current(self.backend, as_of))


class DuckDBReads(IbisReads):
    """Reads of the embedded warehouse as SQL with bound parameters: no compile per question."""

    def aggregate(self, selection: Selection, as_of: date | None) -> pd.DataFrame:
        if records.is_record_measure(selection.measure.source):
            self._require_records(selection.measure.source)
            text, params = records.aggregate_sql(selection, as_of)
            return _record_answer(lambda: self._con.execute(text, params).df())
        text, params = native_sql.aggregate_sql(selection, as_of)
        try:
            return self._con.execute(text, params).df()
        except duckdb.CatalogException as exc:
            if selection.status == FORECAST_STATUS and "forecast_observations" in str(exc):
                raise QueryError(NO_FORECASTS) from exc
            raise

    def _require_records(self, source: str) -> None:
        """Refuse a question about record-level data the warehouse has none of."""
        table = records.RECORD_TABLES[source]
        if not _record_answer(lambda: self._con.execute(f"FROM {table} LIMIT 1").fetchall()):
            raise QueryError(records.NOT_LOADED.format(source=source))

    def members(self, source: str, measure: str, dimension: str) -> tuple[str, ...]:
        if records.is_record_measure(source):
            self._require_records(source)
            text = records.members_sql(source, dimension)
            found = _record_answer(lambda: self._con.execute(text).fetchall())
            return tuple(sorted(str(v) for (v,) in found))
        text = native_sql.members_sql(dimension)
        rows = self._con.execute(text, {"source": source, "measure": measure}).fetchall()
        return tuple(sorted(str(v) for (v,) in rows))

    def last_month(self, measure: Measure, as_of: date | None) -> Any:
        if records.is_record_measure(measure.source):
            text = records.last_month_sql(measure.source, as_of)
            found = _record_answer(lambda: self._con.execute(text).fetchone())
            return None if found is None else found[0]
        text, params = native_sql.last_month_sql(measure, as_of)
        row = self._con.execute(text, params).fetchone()
        return None if row is None else row[0]

    @property
    def _con(self) -> duckdb.DuckDBPyConnection:
        con: duckdb.DuckDBPyConnection = self.backend.con
        return con


def _record_answer(run: Callable[[], T]) -> T:
    """Run a read of a record table; a missing table means the records were never loaded."""
    try:
        return run()
    except Exception as exc:
        missing = [s for s, table in records.RECORD_TABLES.items() if table in str(exc)]
        if not missing or not any(w in str(exc) for w in ("does not exist", "NOT_FOUND")):
            raise
        raise QueryError(records.NOT_LOADED.format(source=missing[0])) from exc


#: Backend name → its reader; backends not listed read through Ibis.
READERS: dict[str, type[IbisReads]] = {"duckdb": DuckDBReads}


def reader_for(backend: ibis.BaseBackend) -> IbisReads:
    """The reader for ``backend``."""
    return READERS.get(backend.name, IbisReads)(backend)
