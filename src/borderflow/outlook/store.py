"""Forecast runs in the warehouse: each run written once, in one transaction.

The tables come from migration ``005_forecasts``; the SQL lives in ``warehouse/sql.py``. The
``forecast_observations`` view presents the newest run's forecast of every series to the metrics
layer as status ``forecast``. Reading stored runs back goes through
``borderflow.warehouse.reader.StoreReader`` (``engine.store``), never through this module.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd

from borderflow.outlook.ledger import RUN, record_run
from borderflow.vocabulary import DIMENSIONS
from borderflow.warehouse import Warehouse, sql

if TYPE_CHECKING:
    from borderflow.outlook.run import OutlookRun

FORECAST_COLUMNS: tuple[str, ...] = (
    "run_id", "series_id", "group_name", "measure", "stored_measure", "unit", "model",
    "period_type", "period_start", "period_end", "mean", "lo80", "hi80", "lo95", "hi95",
    "release_id", "dims_key", *DIMENSIONS,
)  # fmt: skip
OUTCOME_COLUMNS = ["series_id", "model", "reason", "months", "group_name"]


def store_outlook_run(warehouse: Warehouse, run: OutlookRun) -> int:
    """Write ``run``, its forecasts, per-series outcomes and ledger rows in one transaction.

    Args:
        warehouse: the warehouse, open read-write.
        run: a run computed by ``run_outlook``.

    Returns:
        The new run's id, also set as ``run.run_id`` and as the ``run_id`` column of
        ``run.forecasts``.
    """
    with warehouse.transaction() as con:
        run_id = _insert_run(con, run)
        forecasts = _forecast_rows(run, run_id)
        _insert_frame(con, "new_forecasts", forecasts,
                      sql.insert_forecasts("new_forecasts", FORECAST_COLUMNS))  # fmt: skip
        outcomes = _outcome_frame(run).assign(run_id=run_id)
        _insert_frame(con, "new_outcomes", outcomes, sql.insert_forecast_series("new_outcomes"))
        record_run(con, run, RUN, run_id)  # the ledger keeps it until its months are scored
    run.run_id = run_id
    run.forecasts["run_id"] = run_id
    return run_id


def _insert_run(con: duckdb.DuckDBPyConnection, run: OutlookRun) -> int:
    row = con.execute(
        sql.INSERT_FORECAST_RUN,
        [run.started_at, run.params["horizon"], _json(run.params), _json(run.releases),
         _json(run.summary())],
    ).fetchone()  # fmt: skip
    assert row is not None
    return int(row[0])


def _insert_frame(
    con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame, statement: str
) -> None:
    con.register(name, frame)
    try:
        con.execute(statement)
    finally:
        con.unregister(name)


def _forecast_rows(run: OutlookRun, run_id: int) -> pd.DataFrame:
    """The run's forecasts with every stored column (missing dimensions as nulls)."""
    frame = run.forecasts.assign(run_id=run_id)
    for col in FORECAST_COLUMNS:
        if col not in frame.columns:
            frame[col] = None
    return frame[list(FORECAST_COLUMNS)]


def _outcome_frame(run: OutlookRun) -> pd.DataFrame:
    """One row per series: its outcome and the group it belongs to."""
    group_of = {}
    for name, frame in run.history.items():
        for sid in frame["series_id"].unique():
            group_of[sid] = name
    rows = [{**o.__dict__, "group_name": group_of.get(o.series_id, "")} for o in run.outcomes]
    return pd.DataFrame(rows, columns=OUTCOME_COLUMNS)


def _json(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)
