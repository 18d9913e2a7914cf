"""The six-month outlook: forecasts and nowcasts of every monthly series, with a track record.

>>> from borderflow.metrics import Engine
>>> from borderflow.outlook import run_outlook, store_outlook_run, latest_forecasts, fan_chart
>>> from borderflow.warehouse import Warehouse
>>> with Engine.open(path) as engine:
...     run = run_outlook(engine, measures=["seized_lb"], horizon=6)
>>> with Warehouse(path) as warehouse:
...     store_outlook_run(warehouse, run)
>>> with Engine.open(path) as engine:
...     latest_forecasts(engine, "seized_lb", {"drug": ("Fentanyl",)})
...     track_record(engine, ["seized_lb|drug=Fentanyl"])  # the ledger's scored forecasts

Layering: the outlook asks the metrics layer for every number it reads (``run_outlook`` computes
only) and writes only its own runs (``store_outlook_run``, migration ``005_forecasts``).
"""

from __future__ import annotations

import pandas as pd

from borderflow.metrics import Engine
from borderflow.outlook.charts import fan_chart
from borderflow.outlook.groups import GROUPS, OutlookError, SeriesGroup
from borderflow.outlook.ledger import track_record
from borderflow.outlook.run import OutlookRun, run_outlook
from borderflow.outlook.store import FORECAST_COLUMNS, store_outlook_run
from borderflow.vocabulary import DIMENSIONS

__all__ = [
    "GROUPS",
    "OutlookError",
    "OutlookRun",
    "SeriesGroup",
    "fan_chart",
    "latest_forecasts",
    "run_outlook",
    "store_outlook_run",
    "track_record",
]

BASE_COLUMNS = ["series_id", "measure"]
VALUE_COLUMNS = ["period", "model", "mean", "lo80", "hi80", "lo95", "hi95", "unit", "run_id"]


def latest_forecasts(
    engine: Engine, measure: str, where: dict[str, tuple[str, ...]] | None = None
) -> pd.DataFrame:
    """The newest stored forecast of every series of ``measure``, filtered by ``where``.

    Args:
        engine: an engine over the warehouse the forecasts were stored in.
        measure: the forecast measure.
        where: dimension → members to keep.

    Returns:
        Columns ``series_id, measure, <dimension columns>, period`` (month-end date), ``model,
        mean, lo80, hi80, lo95, hi95, unit, run_id``; empty when nothing was forecast.

    Raises:
        OutlookError: ``where`` names a dimension the measure's forecasts do not have.
    """
    rows = engine.store.latest_forecasts(measure, list(FORECAST_COLUMNS))
    dims = [d for d in DIMENSIONS if d in rows.columns and rows[d].notna().any()]
    for dim, members in (where or {}).items():
        if dim not in rows.columns:
            raise OutlookError(f"{measure} forecasts have no dimension {dim!r}; they have {dims}.")
        rows = rows[rows[dim].isin(list(members))]
    rows = rows.assign(period=pd.to_datetime(rows["period_end"]).dt.date)
    return rows[[*BASE_COLUMNS, *dims, *VALUE_COLUMNS]].reset_index(drop=True)
