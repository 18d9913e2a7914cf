"""Rolling-origin backtests: every candidate forecaster on the same series, origins and horizons.

For a group, the series long enough to backtest (``min_length`` + origins + horizon − 1 months)
are forecast from ``n_windows`` consecutive origins, each ``h`` months ahead; every candidate is
scored (``scores.py``) and the one with the lowest mean scaled CRPS is chosen for the group.
Intervals are recalibrated (``calibrate.py``) by 2-fold cross-conformal prediction: the rows of
each half of the origins get widths learned on the other half, so all origins are scored and no
row with widths learned from itself; the raw model-interval scores are kept alongside. A
candidate that fails on a series (no forecast, NaN) is replaced there by the seasonal naive
forecast — the same fallback the production run uses — and the failures are counted.

Large groups are backtested on a seeded random sample of series (``max_series``), so the run
stays inside its time budget; the sample size is reported with the scores.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from borderflow.outlook.calibrate import Factors, apply_factors, split_origins, width_factors
from borderflow.outlook.models import (
    BASELINES,
    bad_rows,
    clip_nonnegative,
    get_forecaster,
    interval_columns,
)
from borderflow.outlook.scores import mase_scale, score_rows, summarise

FALLBACK = "seasonal_naive"


@dataclass
class GroupBacktest:
    """The backtest of one group.

    Attributes:
        group: group name.
        series: series backtested; ``eligible``: series long enough to be.
        origins, horizon: rolling origins and months ahead.
        scores: model → averaged scores (``mase``, ``crps``, ``coverage80``…, ``failures``).
        chosen: the model with the lowest mean scaled CRPS.
        seconds: time taken.
    """

    group: str
    series: int
    eligible: int
    origins: int
    horizon: int
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    chosen: str = FALLBACK
    seconds: float = 0.0
    rows: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    factors: dict[str, Factors] = field(default_factory=dict)
    held_out: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    scales: pd.Series = field(default_factory=lambda: pd.Series(dtype=float), repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "series": self.series,
            "eligible": self.eligible,
            "origins": self.origins,
            "horizon": self.horizon,
            "chosen": self.chosen,
            "seconds": round(self.seconds, 2),
            "scores": {m: _finite(s) for m, s in self.scores.items()},
            "width_factors": self.factors.get(self.chosen, {}),
        }


def eligible_panel(panel: pd.DataFrame, min_length: int, h: int, n_windows: int) -> pd.DataFrame:
    """Series long enough to fit a model at the first origin."""
    need = min_length + n_windows + h - 1
    sizes = panel.groupby("unique_id")["y"].transform("size")
    return panel[sizes >= need]


def sample_series(panel: pd.DataFrame, max_series: int, seed: int) -> pd.DataFrame:
    """A seeded random sample of at most ``max_series`` series (all of them if fewer)."""
    ids = panel["unique_id"].unique()
    if len(ids) <= max_series:
        return panel
    rng = np.random.default_rng(seed)
    chosen = set(rng.choice(ids, size=max_series, replace=False).tolist())
    return panel[panel["unique_id"].isin(chosen)]


def backtest_group(
    name: str,
    panel: pd.DataFrame,
    candidates: Sequence[str],
    *,
    season_length: int,
    min_length: int,
    h: int = 6,
    n_windows: int = 12,
    max_series: int = 80,
    seed: int = 42,
) -> GroupBacktest:
    """Backtest ``candidates`` (plus every baseline) on the group's ``panel``; choose a model."""
    started = time.perf_counter()
    ready = eligible_panel(panel, min_length, h, n_windows)
    eligible = int(ready["unique_id"].nunique())
    sample = sample_series(ready, max_series, seed)
    result = GroupBacktest(name, int(sample["unique_id"].nunique()), eligible, n_windows, h)
    if sample.empty:
        result.seconds = time.perf_counter() - started
        return result
    scales = _scales(sample, season_length, h + n_windows - 1)
    result.scales = scales
    names = [*(b.name for b in BASELINES), *(c for c in candidates if c not in _baseline_names())]
    fallback = get_forecaster(FALLBACK).backtest(sample, h, season_length, n_windows)
    fallback = fallback.sort_values(["unique_id", "cutoff", "ds"], ignore_index=True)
    for model in names:
        clock = time.perf_counter()
        if model == FALLBACK:
            rows, failures = clip_nonnegative(fallback.copy()), 0.0
        else:
            rows, failures = _backtest_one(model, sample, fallback, h, season_length, n_windows)
        result.rows[model] = rows
        seconds = round(time.perf_counter() - clock, 2)
        calibrated = cross_calibrate(rows)
        result.held_out[model] = calibrated
        raw = summarise(score_rows(rows, scales))
        scores = summarise(score_rows(calibrated, scales))
        result.factors[model] = width_factors(rows)
        result.scores[model] = {
            **scores,
            "raw_crps": raw["crps"],
            "raw_coverage80": raw["coverage80"],
            "raw_coverage95": raw["coverage95"],
            "failures": failures,
            "seconds": seconds,
        }
    result.chosen = min(names, key=lambda m: _or_inf(result.scores[m]["crps"]))
    result.seconds = time.perf_counter() - started
    return result


def _or_inf(value: float) -> float:
    return value if np.isfinite(value) else float("inf")


def _finite(scores: dict[str, float]) -> dict[str, float | None]:
    """Scores for JSON: NaN (nothing could be scored) becomes None."""
    return {k: (v if np.isfinite(v) else None) for k, v in scores.items()}


def cross_calibrate(rows: pd.DataFrame) -> pd.DataFrame:
    """Every backtest row with widths learned on the *other* half of the origins (2-fold cross-
    conformal), so all origins are scored and none with widths learned from itself."""
    first, second = split_origins(rows)
    parts = [
        apply_factors(second, width_factors(first)),
        apply_factors(first, width_factors(second)),
    ]
    return clip_nonnegative(pd.concat(parts).sort_index())


def _baseline_names() -> set[str]:
    return {b.name for b in BASELINES}


def _backtest_one(
    model: str, panel: pd.DataFrame, fallback: pd.DataFrame, h: int, m: int, n_windows: int
) -> tuple[pd.DataFrame, float]:
    keys = ["unique_id", "cutoff", "ds"]
    try:
        rows = get_forecaster(model).backtest(panel, h, m, n_windows)
    except Exception:  # a model that fails on the whole group: every row falls back
        return clip_nonnegative(fallback.copy()), float(fallback["unique_id"].nunique())
    rows = fallback[keys].merge(rows.drop(columns=["y"], errors="ignore"), on=keys, how="left")
    rows["y"] = fallback["y"].to_numpy()
    bad = bad_rows(rows)
    failed = float(rows.loc[bad, "unique_id"].nunique())
    if bad.any():
        cols = ["mean", *interval_columns()]
        rows.loc[bad, cols] = fallback.loc[bad, cols].to_numpy()
    return clip_nonnegative(rows), failed


def _scales(panel: pd.DataFrame, season_length: int, held_out: int) -> pd.Series:
    """MASE scale per series, from the history before the first backtest origin's targets."""
    return panel.groupby("unique_id", sort=False)["y"].apply(
        lambda y: mase_scale(y.to_numpy(dtype=float)[:-held_out], season_length)
    )
