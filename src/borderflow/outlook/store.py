"""Forecast runs in the warehouse: written once per run, read back by measure.

The tables come from migration ``005_forecasts``; the SQL lives in ``warehouse/sql.py``. The
``forecast_observations`` view presents the newest run's forecast of every series to the metrics
layer as status ``forecast``.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from borderflow.sources.base import DIMENSIONS
from borderflow.warehouse import Warehouse, sql

FORECAST_COLUMNS: tuple[str, ...] = (
    "run_id", "series_id", "group_name", "measure", "stored_measure", "unit", "model",
    "period_type", "period_start", "period_end", "mean", "lo80", "hi80", "lo95", "hi95",
    "release_id", "dims_key", *DIMENSIONS,
)  # fmt: skip


def save_run(
    path: Path,
    *,
    started_at: datetime,
    horizon: int,
    params: dict[str, Any],
    releases: list[dict[str, Any]],
    summary: dict[str, Any],
    forecasts: pd.DataFrame,
    outcomes: pd.DataFrame,
) -> int:
    """Write one run, its forecasts and per-series outcomes in one transaction; its id."""
    with Warehouse(path) as wh:
        con = wh.con
        con.execute("BEGIN TRANSACTION")
        try:
            row = con.execute(
                sql.INSERT_FORECAST_RUN,
                [started_at, horizon, _json(params), _json(releases), _json(summary)],
            ).fetchone()
            assert row is not None
            run_id = int(row[0])
            rows = _with_columns(forecasts.assign(run_id=run_id))
            con.register("new_forecasts", rows)
            con.execute(sql.insert_forecasts("new_forecasts", FORECAST_COLUMNS))
            con.register("new_outcomes", outcomes.assign(run_id=run_id))
            con.execute(sql.insert_forecast_series("new_outcomes"))
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        finally:
            for name in ("new_forecasts", "new_outcomes"):
                con.unregister(name)
    return run_id


def _with_columns(frame: pd.DataFrame) -> pd.DataFrame:
    for col in FORECAST_COLUMNS:
        if col not in frame.columns:
            frame[col] = None
    return frame[list(FORECAST_COLUMNS)]


def _json(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)


def read_latest(path: Path, measure: str) -> pd.DataFrame:
    """The newest stored forecast of every series of ``measure`` (empty if none)."""
    with Warehouse(path, read_only=True) as wh:
        tables = {r[0] for r in wh.con.execute("SHOW TABLES").fetchall()}
        if "forecasts" not in tables:
            return pd.DataFrame(columns=list(FORECAST_COLUMNS))
        return wh.con.execute(sql.LATEST_FORECASTS, [measure]).df()


def read_run(path: Path, run_id: int) -> dict[str, Any] | None:
    """One run's record (parameters, releases, summary) or None."""
    with Warehouse(path, read_only=True) as wh:
        frame = wh.con.execute(sql.GET_FORECAST_RUN, [run_id]).df()
    if frame.empty:
        return None
    record = {str(k): v for k, v in frame.iloc[0].to_dict().items()}
    for key in ("params", "releases", "summary"):
        record[key] = json.loads(record[key])
    return record
