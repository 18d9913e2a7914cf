"""Forecast one group's series with its chosen model, a baseline where a model cannot be used.

Each series gets exactly one outcome: the group's model; the naive baseline (too short, or after a
gap too little history); zeros (all zeros); the seasonal naive fallback (the model failed on
it); or no forecast (no recent value). The reason is kept with the forecast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from borderflow.outlook.backtest import FALLBACK
from borderflow.outlook.calibrate import Factors, apply_factors
from borderflow.outlook.models import (
    LEVELS,
    bad_rows,
    clip_nonnegative,
    get_forecaster,
    interval_columns,
)
from borderflow.outlook.select import Choice
from borderflow.outlook.series import GroupData, Verdict, judge, to_panel

BASELINE = "naive"


@dataclass(frozen=True)
class SeriesOutcome:
    """What happened to one series: the model used (None: not forecast) and why."""

    series_id: str
    model: str | None
    reason: str
    months: int


def judge_group(data: GroupData) -> dict[str, Verdict]:
    """A verdict for every series of the group."""
    return {
        str(sid): judge(part.set_index("period")["value"], data.group, data.last)
        for sid, part in data.frame.groupby("series_id", sort=True)
    }


def usable_history(data: GroupData, verdicts: dict[str, Verdict], usable: str) -> pd.DataFrame:
    """The history (from each verdict's start) of the series whose verdict is ``usable``."""
    starts = {s: v.start for s, v in verdicts.items() if v.usable == usable}
    frame = data.frame[data.frame["series_id"].isin(list(starts))]
    keep = frame["period"] >= frame["series_id"].map(starts)
    return frame[keep]


def forecast_group(
    data: GroupData,
    verdicts: dict[str, Verdict],
    model: str | Callable[[str], Choice],
    h: int,
    factors: Factors | None = None,
) -> tuple[pd.DataFrame, list[SeriesOutcome]]:
    """Forecast every usable series of the group ``h`` months ahead.

    Args:
        data, verdicts: the group's series and how each can be forecast.
        model: each series' choice (``series_id → Choice``, from the backtest), or one model
            name for every series (with ``factors`` as its width factors).
        h: months ahead.

    Returns:
        Rows ``unique_id, ds, mean, lo-L, hi-L, model`` and one outcome per series.
    """
    plan = model if callable(model) else (lambda _sid: Choice(str(model), factors or {}))
    m = data.group.season_length
    outcomes: list[SeriesOutcome] = []
    frames = []
    modelled = to_panel(usable_history(data, verdicts, "model"))
    if not modelled.empty:
        chosen = {str(sid): plan(str(sid)) for sid in modelled["unique_id"].unique()}
        by_model = pd.Series({sid: c.model for sid, c in chosen.items()})
        for name, ids in by_model.groupby(by_model, sort=True):
            panel = modelled[modelled["unique_id"].isin(list(ids.index))]
            rows, failed = _forecast_with_fallback(str(name), panel, h, m)
            frames.append(apply_factors(rows, _row_factors(rows, chosen)))
            for key, n in panel.groupby("unique_id")["y"].size().items():
                sid = str(key)
                if sid in failed:
                    outcome = SeriesOutcome(sid, FALLBACK, f"{name} failed; fallback", n)
                else:
                    why = verdicts[sid].reason or _basis(chosen[sid])
                    outcome = SeriesOutcome(sid, str(name), why, n)
                outcomes.append(outcome)
    frames.extend(_baselines(data, verdicts, h, outcomes))
    for sid, v in verdicts.items():
        if v.usable == "skip":
            outcomes.append(SeriesOutcome(sid, None, v.reason, 0))
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return (clip_nonnegative(rows) if not rows.empty else rows), outcomes


def _basis(choice: Choice) -> str:
    if choice.rows:
        return f"chosen on its own backtest ({choice.rows} rows, shrunk toward its group)"
    return "its group's choice"


def _row_factors(rows: pd.DataFrame, chosen: dict[str, Choice]) -> dict[int, np.ndarray]:
    """Each row's width factor per level, from its series' choice (1.0 where none)."""
    ids = rows["unique_id"].astype(str).to_numpy()
    return {
        lv: np.array([chosen[i].factors.get(lv, 1.0) if i in chosen else 1.0 for i in ids])
        for lv in LEVELS
    }


def _forecast_with_fallback(
    model: str, panel: pd.DataFrame, h: int, m: int
) -> tuple[pd.DataFrame, set[str]]:
    fallback = clip_nonnegative(get_forecaster(FALLBACK).forecast(panel, h, m))
    fallback["model"] = FALLBACK
    try:
        rows = clip_nonnegative(get_forecaster(model).forecast(panel, h, m))
    except Exception:  # the model failed on the whole group: every series falls back
        return fallback, set(panel["unique_id"].astype(str))
    rows = fallback[["unique_id", "ds"]].merge(rows, on=["unique_id", "ds"], how="left")
    rows["model"] = model
    bad = bad_rows(rows)
    cols = ["mean", *interval_columns(), "model"]
    rows.loc[bad, cols] = fallback.loc[bad, cols].to_numpy()
    return rows, set(rows.loc[bad, "unique_id"].astype(str))


def _baselines(
    data: GroupData, verdicts: dict[str, Verdict], h: int, outcomes: list[SeriesOutcome]
) -> list[pd.DataFrame]:
    history = to_panel(usable_history(data, verdicts, "baseline"))
    if history.empty:
        return []
    frames = []
    for sid, part in history.groupby("unique_id", sort=True):
        zero = bool((part["y"] == 0).all())
        rows = _zeros(part, h) if zero else get_forecaster(BASELINE).forecast(part, h, 1)
        rows["model"] = "zero" if zero else BASELINE
        frames.append(rows)
        outcomes.append(
            SeriesOutcome(
                str(sid), str(rows["model"].iloc[0]), verdicts[str(sid)].reason, len(part)
            )
        )
    return frames


def _zeros(part: pd.DataFrame, h: int) -> pd.DataFrame:
    last = part["ds"].iloc[-1]
    ds = pd.date_range(last + pd.offsets.MonthBegin(1), periods=h, freq="MS")
    rows = pd.DataFrame({"unique_id": part["unique_id"].iloc[0], "ds": ds, "mean": np.zeros(h)})
    for lv in LEVELS:
        rows[f"lo-{lv}"] = 0.0
        rows[f"hi-{lv}"] = 0.0
    return rows
