"""The metrics engine: every number in borderflow is asked for here.

``Engine.run(query)`` plans the query against the measure's rules, compiles it with Ibis, runs it
on the backend (DuckDB by default, Spark when asked), and derives comparisons, shares, ranks and
rates from further queries of the same kind. The ``Result`` carries its provenance: the releases,
files and checksums the values came from.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import ibis
import pandas as pd

from borderflow.cache import BoundedCache
from borderflow.metrics import derive
from borderflow.metrics.compile import (
    FORECAST_STATUS,
    Selection,
    forecast_dims_key,
)
from borderflow.metrics.measures import Measure, get_measure
from borderflow.metrics.periods import Period, add_months, grain_label, months_between
from borderflow.metrics.plan import Plan, plan_query
from borderflow.metrics.query import Query, QueryError
from borderflow.metrics.reads import IbisReads, reader_for
from borderflow.metrics.selected import Selected
from borderflow.vocabulary import GRAIN_MONTHS
from borderflow.warehouse import Warehouse
from borderflow.warehouse.reader import StoreReader

T = TypeVar("T")


@dataclass
class Result:
    """The answer to a query.

    Attributes:
        query: what was asked.
        rows: one row per (period bucket, breakdown members): ``period``, ``first_month``,
            ``last_month``, ``months`` (with data), ``expected_months``, the ``by`` dimensions,
            ``value``, ``unit``, and derived columns (``previous``, ``change``, ``pct_change``,
            ``share``, ``rank``, ``rate``) when asked.
        unit: unit of ``value``.
        notes: how the question was read and the caveats of the series.
        releases: provenance — every release the values came from.
    """

    query: Query
    rows: pd.DataFrame
    unit: str
    notes: list[str] = field(default_factory=list)
    releases: list[dict[str, Any]] = field(default_factory=list)

    @property
    def value(self) -> float:
        """The single value of a one-row answer."""
        if len(self.rows) != 1:
            raise QueryError(f"the answer has {len(self.rows)} rows, not one; use .rows.")
        return float(self.rows["value"].iloc[0])

    def to_dict(self) -> dict[str, Any]:
        rows = self.rows.astype(object)
        rows = rows.mask(rows.isna(), None)
        return {
            "query": self.query.to_dict(),
            "sentence": self.query.sentence(),
            "unit": self.unit,
            "rows": [
                {k: (v.isoformat() if isinstance(v, date) else v) for k, v in r.items()}
                for r in rows.to_dict(orient="records")
            ],
            "notes": self.notes,
            "releases": self.releases,
        }


class Engine:
    """Answers queries over one warehouse through an Ibis backend."""

    #: Answers kept per engine. An engine reads a snapshot: open a new one after an ingest.
    CACHE_SIZE = 1024
    #: Library answers kept per engine (``memo``): scenario results, forecasts read back.
    MEMO_SIZE = 64

    def __init__(self, backend: ibis.BaseBackend, reads: IbisReads | None = None) -> None:
        self.backend = backend
        self._releases: dict[int, dict[str, Any]] | None = None
        self._answers: BoundedCache[str, Result] = BoundedCache(self.CACHE_SIZE)
        self._reads = reads or reader_for(backend)
        self._members: dict[tuple[str, str, str], tuple[str, ...]] = {}
        self._store: StoreReader | None = None
        self._memo: BoundedCache[Hashable, Any] = BoundedCache(self.MEMO_SIZE)
        self._shared = False

    @classmethod
    def open(cls, path: Path) -> Engine:
        """An engine over the DuckDB warehouse file at ``path`` (read-only)."""
        Warehouse(path, read_only=True).close()  # a clear error if it does not exist
        return cls(ibis.duckdb.connect(str(path), read_only=True))

    @classmethod
    def over(cls, warehouse: Warehouse) -> Engine:
        """An engine sharing an open warehouse's connection, for a command that reads through
        the metrics layer and then stores what it computed (a forecast or scenario run).
        Closing the engine leaves the warehouse open."""
        engine = cls(ibis.duckdb.from_connection(warehouse.con))
        engine._shared = True
        return engine

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if not self._shared:
            self.backend.disconnect()

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A library's answer computed once per engine (per warehouse snapshot) and ``key``: the
        key names everything the answer depends on besides the snapshot. Bounded."""
        value: T = self._memo.get_or_compute(key, compute)
        return value

    @property
    def store(self) -> StoreReader:
        """Read-only access to releases, coverage and stored runs over this engine's
        connection (DuckDB only)."""
        if self.backend.name != "duckdb":
            raise QueryError("releases and stored runs are read from the DuckDB warehouse.")
        if self._store is None:
            self._store = StoreReader(self.backend.con)
        return self._store

    # -- answering -------------------------------------------------------------------------------

    def run(self, query: Query) -> Result:
        """Answer ``query``: plan, compile, execute, derive, attach provenance."""
        return self._answers.get_or_compute(query.to_json(), lambda: self._run(query))

    def _run(self, query: Query) -> Result:
        base = self.select(query, query.parsed_period())
        rows = base.rows
        notes = [*base.notes]
        if query.compare:
            rows = derive.compare(self, query, base, rows)
        if query.share_of:
            rows = derive.share(self, query, base, rows)
        unit = base.unit
        if query.rate:
            rows, rate_notes = derive.rate(self, query, base, rows)
            notes.extend(rate_notes)
        if query.rank:  # by the rate when one is asked: that is the number compared
            rows = derive.rank(rows, query.by, "rate" if query.rate else "value")
        if query.unit:
            rows, unit = derive.convert_unit(rows, unit, query.unit)
        notes.extend(get_measure(query.measure).notes)
        return Result(
            query, rows, unit, list(dict.fromkeys(notes)), self.provenance(base.release_ids)
        )

    def select(self, query: Query, period: Period) -> Selected:
        """Plan and execute the base aggregation of ``query`` over ``period``."""
        m = get_measure(query.measure)
        last = self.last_month(m, query.as_of) if period.open_end else None
        plan = plan_query(query, period, self.members, _gazetteer_resolver(), last)
        frame = self.execute(plan.selection, query.as_of)
        return _finish(plan, frame)

    def execute(self, selection: Selection, as_of: date | None) -> pd.DataFrame:
        """Run the base aggregation of ``selection`` on the backend and return it as a frame."""
        return self._reads.aggregate(selection, as_of)

    # -- reference lookups (cached) ----------------------------------------------------------------

    def members(self, measure: Measure, dimension: str) -> Sequence[str]:
        """Stored members of ``dimension`` for ``measure`` (for validation and listings)."""
        key = (measure.source, measure.stored, dimension)
        if key not in self._members:
            self._members[key] = self._reads.members(*key)
        return self._members[key]

    def last_month(self, measure: Measure, as_of: date | None) -> date:
        value = self._reads.last_month(measure, as_of)
        if value is None or pd.isna(value):
            raise QueryError(f"no {measure.name} data in the warehouse; run `borderflow ingest`.")
        return pd.Timestamp(value).date()

    def _release_table(self) -> dict[int, dict[str, Any]]:
        if self._releases is None:
            table = self.backend.table("releases")
            cols = ["release_id", "source", "file_name", "url", "sha256", "vintage", "data_through",
                    "retrieved_at", "state"]  # fmt: skip
            frame = self.backend.execute(table.select(cols))
            self._releases = {int(r["release_id"]): r for r in frame.to_dict(orient="records")}
        return self._releases

    def vintages(self, source: str) -> list[date]:
        """Distinct vintages of the releases of ``source`` loaded in the warehouse (refused files
        do not count), oldest first."""
        return sorted(
            {
                pd.Timestamp(r["vintage"]).date()
                for r in self._release_table().values()
                if r["source"] == source and r["state"] == "loaded"
            }
        )

    def provenance(self, release_ids: set[int]) -> list[dict[str, Any]]:
        self._release_table()
        assert self._releases is not None
        out = []
        for rid in sorted(release_ids):
            info = dict(self._releases[rid])
            info.pop("state")
            info["vintage"] = pd.Timestamp(info["vintage"]).date().isoformat()
            through = info["data_through"]
            info["data_through"] = (
                None if pd.isna(through) else pd.Timestamp(through).strftime("%Y-%m")
            )
            info["retrieved_at"] = str(info["retrieved_at"]) if info["retrieved_at"] else None
            out.append(info)
        return out


def _finish(plan: Plan, frame: pd.DataFrame) -> Selected:
    sel = plan.selection
    m = sel.measure
    if frame.empty and sel.status == FORECAST_STATUS:
        raise QueryError(
            f"no stored forecast of {m.name} for {plan.period.label} broken down by "
            f"{forecast_dims_key(sel) or 'nothing'}: run `borderflow outlook -m {m.name}`, and "
            "ask for a breakdown it forecasts (`borderflow outlook --help`)."
        )
    if frame.empty:
        raise QueryError(
            f"no {m.name} values match: {plan.period.label}"
            + (f" where {_filters_text(dict(sel.filters))}" if sel.filters else "")
            + ". Check the period against `borderflow sources` coverage."
        ).saying(
            "no_values_where" if sel.filters else "no_values",
            measure=m.name,
            period=plan.period.label,
            filters="; ".join(f"{d}={','.join(v)}" for d, v in sorted(dict(sel.filters).items())),
        )
    mixed = frame[frame["units"] > 1]
    if not mixed.empty:
        raise QueryError(
            f"{m.name} mixes units within one answer (e.g. vehicles and persons); filter or "
            "break down by the dimension that separates them (for crossings: conveyance)."
        )
    units = sorted(frame["unit"].dropna().unique())
    if len(units) > 1 and not sel.by:
        raise QueryError(f"{m.name}: the answer would add {' and '.join(units)}; filter first.")
    ids: set[int] = set()
    for releases in frame["releases"]:
        ids.update(int(r) for r in releases)
    rows = _label(frame.drop(columns=["releases", "units", "values"]), plan)
    return Selected(plan, rows, units[0] if len(units) == 1 else "mixed", plan.notes, ids)


def _label(frame: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    sel = plan.selection
    frame = frame.copy()
    frame["bucket"] = pd.to_datetime(frame["bucket"]).dt.date
    frame["first_month"] = pd.to_datetime(frame["first_month"]).dt.date
    frame["last_month"] = pd.to_datetime(frame["last_month"]).dt.date
    if sel.grain is None:
        frame["period"] = plan.period.label
        frame["expected_months"] = 1 if sel.months else plan.period.months
    else:
        frame["period"] = [grain_label(sel.grain, b) for b in frame["bucket"]]
        frame["expected_months"] = [_expected(sel, b, plan.period) for b in frame["bucket"]]
    if sel.by_end or sel.months:
        frame["expected_months"] = 1
    elif sel.measure.period_type == "calendar_year":  # one value per calendar year
        frame["expected_months"] = frame["expected_months"] // 12
    frame["months"] = frame["months"].astype(int)
    frame = frame.sort_values(["bucket", *sel.by]).reset_index(drop=True)
    columns = ["period", "bucket", "first_month", "last_month", "months", "expected_months"]
    return frame[[*columns, *sel.by, "value", "unit"]]


def _expected(sel: Selection, bucket: date, period: Period) -> int:
    """Months in the bucket that lie inside the requested period."""
    length = GRAIN_MONTHS[sel.grain or "month"]
    first = max(bucket, period.first)
    last = min(add_months(bucket, length - 1), period.last)
    return max(months_between(first, last), 0)


def _gazetteer_resolver() -> Any:
    try:
        from borderflow.reference.gazetteer import load_gazetteer
    except ImportError:  # the gazetteer is optional for the engine
        return None
    gazetteer = load_gazetteer()

    def resolve(dimension: str, text: str) -> str | None:
        try:
            return gazetteer.resolve(dimension, text).code
        except Exception:  # unknown or ambiguous: the engine reports with its own suggestions
            return None

    return resolve


def _filters_text(filters: Mapping[str, Sequence[str]]) -> str:
    """``drug is Fentanyl and region is Southwest Border``: filters in words, for messages."""
    return " and ".join(f"{dim} is {' or '.join(members)}" for dim, members in filters.items())
