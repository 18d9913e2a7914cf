"""Present an outlook run: the forecasts, the groups' scores, the ledger, chart files per series."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
from rich.table import Table

from borderflow.outlook.charts import fan_chart, write_chart
from borderflow.outlook.groups import OutlookError
from borderflow.outlook.run import OutlookRun


def forecast_table(run: OutlookRun) -> Table:
    """What a user asked for: one row per series × month with the point forecast and its
    80% and 95% intervals, and the model it came from."""
    table = Table(title=f"Outlook run {run.run_id}: forecasts", title_justify="left")
    for name in ("series", "month", "forecast", "80% interval", "95% interval", "model"):
        table.add_column(
            name, justify="right" if "interval" in name or name == "forecast" else "left"
        )
    if run.forecasts.empty:
        return table
    for sid, rows in run.forecasts.groupby("series_id", sort=True):
        for i, r in enumerate(rows.sort_values("period_end").to_dict(orient="records")):
            table.add_row(
                str(sid) if i == 0 else "",
                f"{r['period_end']:%Y-%m}",
                _num(r["mean"]),
                f"{_num(r['lo80'])} – {_num(r['hi80'])}",
                f"{_num(r['lo95'])} – {_num(r['hi95'])}",
                str(r["model"]),
            )
    return table


def _num(value: Any) -> str:
    value = float(value)
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


def ledger_table(summary: pd.DataFrame) -> Table:
    """The ledger's track record: one row per series and kind of forecast."""
    table = Table(title="Forecast ledger: scored forecasts", title_justify="left")
    cols = ("series", "kind", "origins", "months", "MAE", "vs naive", "vs seasonal naive",
            "CRPS", "cov80", "cov95")  # fmt: skip
    for name in cols:
        table.add_column(name, justify="left" if name in ("series", "kind") else "right")
    for r in summary.to_dict(orient="records") if not summary.empty else []:
        span = f"{r['origins']} ({r['first_origin']}–{r['last_origin']})"
        table.add_row(
            str(r["series_id"]), str(r["kind"]), span, str(r["rows"]), _num(r["mae"]),
            f"{r['mae_vs_naive']:.2f}×", f"{r['mae_vs_snaive']:.2f}×", _num(r["crps"]),
            f"{r['cov80']:.0%}", f"{r['cov95']:.0%}",
        )  # fmt: skip
    return table


def nowcast_table(scored: dict[str, Any]) -> Table:
    """The nowcast against the later VSRR release, beside NCHS's predicted value and the
    reported count: one row per period of the earlier release."""
    table = Table(
        title="Nowcast vs NCHS predicted value, against the later VSRR release (United States, "
        "T40.4)",
        title_justify="left",
    )
    for name in ("release", "12 months ending", "later release", "reported", "predicted",
                 "nowcast"):  # fmt: skip
        table.add_column(name, justify="left" if name == "release" else "right")
    for r in scored.get("rows", []):
        table.add_row(
            r["release"], r["period"], _num(r["later"]),
            f"{_num(r['reported'])} ({r['reported_error_pct']:+.1f}%)",
            f"{_num(r['predicted'])} ({r['predicted_error_pct']:+.1f}%)",
            f"{_num(r['nowcast'])} ({r['nowcast_error_pct']:+.1f}%)",
        )  # fmt: skip
    for s in scored.get("summary", []):
        table.add_row(
            s["release"], "mean |error|", "", f"{s['reported_mape']:.2f}%",
            f"{s['predicted_mape']:.2f}%", f"{s['nowcast_mape']:.2f}%",
        )  # fmt: skip
    return table


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
        chosen = scores.get("selected", scores.get(g["model"], {}))
        snaive = scores.get("seasonal_naive", {})
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
