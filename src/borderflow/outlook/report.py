"""Present an outlook run: the forecasts, the groups' scores, the ledger, chart files per series."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
from rich.table import Table

from borderflow.messages import CatalogLike as Words
from borderflow.outlook.charts import fan_chart, write_chart
from borderflow.outlook.groups import OutlookError
from borderflow.outlook.run import OutlookRun


def forecast_table(run: OutlookRun, c: Words) -> Table:
    """What a user asked for: one row per series × month with the point forecast and its
    80% and 95% intervals, and the model it came from."""
    table = Table(title=c.t("cli.outlook.forecasts_title", id=run.run_id), title_justify="left")
    for name in ("series", "month", "forecast", "interval80", "interval95", "model"):
        right = name.startswith("interval") or name == "forecast"
        table.add_column(c.t(f"cli.outlook.col.{name}"), justify="right" if right else "left")
    if run.forecasts.empty:
        return table
    for sid, rows in run.forecasts.groupby("series_id", sort=True):
        for i, r in enumerate(rows.sort_values("period_end").to_dict(orient="records")):
            table.add_row(
                str(sid) if i == 0 else "",
                f"{r['period_end']:%Y-%m}",
                _num(c, r["mean"]),
                f"{_num(c, r['lo80'])} – {_num(c, r['hi80'])}",
                f"{_num(c, r['lo95'])} – {_num(c, r['hi95'])}",
                str(r["model"]),
            )
    return table


def _num(c: Words, value: Any) -> str:
    value = float(value)
    return c.number(value, 0 if abs(value) >= 100 else 1)


def _pct(c: Words, share: float, decimals: int = 0, signed: bool = False) -> str:
    """A share (0.8) as the reader writes a percentage (``80%``)."""
    sign = "+" if signed and share > 0 else ""
    return f"{sign}{c.number(100 * share, decimals)}%"


def ledger_table(summary: pd.DataFrame, c: Words) -> Table:
    """The ledger's track record: one row per series and kind of forecast."""
    table = Table(title=c.t("cli.outlook.ledger_title"), title_justify="left")
    cols = ("series", "kind", "origins", "months", "mae", "vs_naive", "vs_snaive",
            "crps", "cov80", "cov95")  # fmt: skip
    for name in cols:
        left = name in ("series", "kind")
        table.add_column(c.t(f"cli.outlook.col.{name}"), justify="left" if left else "right")
    for r in summary.to_dict(orient="records") if not summary.empty else []:
        span = f"{r['origins']} ({r['first_origin']}–{r['last_origin']})"
        table.add_row(
            str(r["series_id"]), str(r["kind"]), span, str(r["rows"]), _num(c, r["mae"]),
            f"{c.number(r['mae_vs_naive'], 2)}×", f"{c.number(r['mae_vs_snaive'], 2)}×",
            _num(c, r["crps"]), _pct(c, r["cov80"]), _pct(c, r["cov95"]),
        )  # fmt: skip
    return table


def nowcast_table(scored: dict[str, Any], c: Words) -> Table:
    """The nowcast against the later VSRR release, beside NCHS's predicted value and the
    reported count: one row per period of the earlier release."""
    table = Table(title=c.t("cli.outlook.nowcast_title"), title_justify="left")
    for name in ("release", "ending", "later", "reported", "predicted", "nowcast"):
        left = name == "release"
        table.add_column(c.t(f"cli.outlook.col.{name}"), justify="left" if left else "right")

    def error(value: float, pct: float) -> str:
        return f"{_num(c, value)} ({_pct(c, pct / 100, 1, signed=True)})"

    for r in scored.get("rows", []):
        table.add_row(
            r["release"], r["period"], _num(c, r["later"]),
            error(r["reported"], r["reported_error_pct"]),
            error(r["predicted"], r["predicted_error_pct"]),
            error(r["nowcast"], r["nowcast_error_pct"]),
        )  # fmt: skip
    for s in scored.get("summary", []):
        table.add_row(
            s["release"], c.t("cli.outlook.mean_error"), "",
            _pct(c, s["reported_mape"] / 100, 2), _pct(c, s["predicted_mape"] / 100, 2),
            _pct(c, s["nowcast_mape"] / 100, 2),
        )  # fmt: skip
    return table


def outlook_table(run: OutlookRun, c: Words) -> Table:
    """One row per series group: model, series forecast, backtest CRPS vs seasonal naive."""
    title = c.t("cli.outlook.scores_title", id=run.run_id, seconds=c.number(run.seconds, 1))
    table = Table(title=title, title_justify="left")
    for name in ("group", "model", "series", "outcomes", "crps", "vs_snaive", "cov80"):
        right = name in ("series", "crps", "cov80")
        table.add_column(c.t(f"cli.outlook.col.{name}"), justify="right" if right else "left")
    for name, g in run.groups.items():
        if g.get("skipped"):
            skipped = c.t("cli.outlook.skipped", why=g["skipped"])
            table.add_row(name, "–", "0", skipped, "–", "–", "–")
            continue
        bt = g.get("backtest") or {}
        scores = bt.get("scores") or {}
        chosen = scores.get("selected", scores.get(g["model"], {}))
        snaive = scores.get("seasonal_naive", {})
        crps = chosen.get("crps")
        ratio = (
            _pct(c, crps / snaive["crps"] - 1, signed=True) if crps and snaive.get("crps") else "–"
        )
        outcomes = ", ".join(f"{k} {v}" for k, v in g["outcomes"].items())
        cov80 = chosen.get("coverage80")
        table.add_row(name, g["model"], str(g["series"]), outcomes,
                      c.number(crps, 3) if crps else "–", ratio,
                      _pct(c, cov80) if cov80 is not None else "–")  # fmt: skip
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
