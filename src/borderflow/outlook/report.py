"""Present an outlook run: a table of groups for people, chart files per series."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from rich.table import Table

from borderflow.outlook.charts import fan_chart, write_chart
from borderflow.outlook.groups import OutlookError
from borderflow.outlook.run import OutlookRun


def outlook_table(run: OutlookRun) -> Table:
    """One row per series group: model, series forecast, backtest CRPS vs seasonal naive."""
    table = Table(title=f"Outlook run {run.run_id} ({run.seconds:.1f} s)", title_justify="left")
    for name in ("group", "model", "series", "outcomes", "CRPS", "vs seasonal naive", "cov80"):
        table.add_column(name, justify="right" if name in ("series", "CRPS", "cov80") else "left")
    for name, g in run.groups.items():
        if g.get("skipped"):
            table.add_row(name, "–", "0", f"skipped: {g['skipped']}", "–", "–", "–")
            continue
        bt = g.get("backtest") or {}
        scores = bt.get("scores") or {}
        chosen, snaive = scores.get(g["model"], {}), scores.get("seasonal_naive", {})
        crps = chosen.get("crps")
        ratio = f"{crps / snaive['crps'] - 1:+.0%}" if crps and snaive.get("crps") else "–"
        outcomes = ", ".join(f"{k} {v}" for k, v in g["outcomes"].items())
        cov80 = chosen.get("coverage80")
        table.add_row(name, g["model"], str(g["series"]), outcomes,
                      f"{crps:.3f}" if crps else "–", ratio,
                      f"{cov80:.0%}" if cov80 is not None else "–")  # fmt: skip
    return table


def write_charts(run: OutlookRun, folder: Path, *, png: bool = False) -> list[Path]:
    """One fan chart per forecast series in ``folder``; the files written."""
    written: list[Path] = []
    if run.forecasts.empty:
        return written
    for sid, fc in run.forecasts.groupby("series_id", sort=True):
        group = str(fc["group_name"].iloc[0])
        history = run.history[group]
        hist = history[history["series_id"] == sid]
        forecast = fc.assign(period=pd.to_datetime(fc["period_end"]))
        spec = fan_chart(
            hist, forecast, f"{sid} ({fc['unit'].iloc[0]}; model {fc['model'].iloc[0]})"
        )
        written += write_chart(spec, folder / slug(str(sid)), png=png)
    return written


def export_forecasts(run: OutlookRun, path: Path) -> int:
    """Write the run's forecasts to a ``.csv`` or ``.parquet`` file; the number of rows."""
    frame = run.forecasts.drop(columns=["dims_key"], errors="ignore")
    frame = frame.dropna(axis=1, how="all")
    if path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    elif path.suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        raise OutlookError(f"--export writes .csv or .parquet files, not {path.name!r}.")
    return len(frame)


def slug(series_id: str) -> str:
    """A file name for a series id."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", series_id).strip("_")
