"""The six-month outlook: forecasts and nowcasts of every monthly series, with a track record.

>>> from borderflow.outlook import run_outlook, latest_forecasts, fan_chart
>>> run = run_outlook(path, measures=["seized_lb"], horizon=6)
>>> latest_forecasts(path, "seized_lb", {"drug": ("Fentanyl",)})

Layering: the outlook asks the metrics layer for every number it reads and stores only its own
runs (migration ``005_forecasts``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from borderflow.outlook.charts import fan_chart
from borderflow.outlook.groups import GROUPS, OutlookError, SeriesGroup
from borderflow.outlook.run import OutlookRun, run_outlook
from borderflow.outlook.store import read_latest

__all__ = [
    "GROUPS",
    "OutlookError",
    "OutlookRun",
    "SeriesGroup",
    "fan_chart",
    "latest_forecasts",
    "run_outlook",
]

BASE_COLUMNS = ["series_id", "measure"]
VALUE_COLUMNS = ["period", "model", "mean", "lo80", "hi80", "lo95", "hi95", "unit", "run_id"]


def latest_forecasts(
    db_path: Path, measure: str, where: dict[str, tuple[str, ...]] | None = None
) -> pd.DataFrame:
    """The newest stored forecast of every series of ``measure``, filtered by ``where``.

    Returns:
        Columns ``series_id, measure, <dimension columns>, period`` (month-end date), ``model,
        mean, lo80, hi80, lo95, hi95, unit, run_id``; empty when nothing was forecast.
    """
    rows = read_latest(db_path, measure)
    dims = [c for c in _dimension_columns(rows) if rows[c].notna().any()]
    for dim, members in (where or {}).items():
        if dim not in rows.columns:
            raise OutlookError(f"{measure} forecasts have no dimension {dim!r}; they have {dims}.")
        rows = rows[rows[dim].isin(list(members))]
    rows = rows.assign(period=pd.to_datetime(rows["period_end"]).dt.date)
    return rows[[*BASE_COLUMNS, *dims, *VALUE_COLUMNS]].reset_index(drop=True)


def _dimension_columns(rows: pd.DataFrame) -> list[str]:
    from borderflow.sources.base import DIMENSIONS

    return [d for d in DIMENSIONS if d in rows.columns]
