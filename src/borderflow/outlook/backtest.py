"""Rolling-origin backtests: every candidate forecaster on the same series, origins and horizons.

For a group, the series long enough to backtest (``min_length`` + origins + horizon − 1 months)
are forecast from ``n_windows`` consecutive origins, each ``h`` months ahead, by every candidate,
the baselines (naive, seasonal naive, historic average) and the median ensemble. Then, at each of
the last ``EVALUATION_ORIGINS`` origins, ``select.py`` decides every series' model and interval
widths from the errors known at that origin only, and the backtest scores what would have been
forecast: ``selected`` is that per-series choice; every fixed model is scored too, with its
widths calibrated per series the same way. The production choices are the same rule applied at
the last month of data. A candidate that fails on a series (no forecast, NaN) is replaced there
by the seasonal naive forecast — the same fallback the production run uses — and the failures
are counted.

Large groups are backtested on a seeded random sample of series (``max_series``), so the run
stays inside its time budget; the sample size is reported with the scores. The sample is drawn
from the whole group, so it does not depend on which series a run was asked for.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from borderflow.outlook.calibrate import apply_factors
from borderflow.outlook.models import (
    BASELINES,
    ENSEMBLE,
    LEVELS,
    bad_rows,
    clip_nonnegative,
    get_forecaster,
    interval_columns,
    median_ensemble,
)
from borderflow.outlook.scores import mase_scale, score_rows, summarise
from borderflow.outlook.select import (
    CALIBRATION_ORIGINS,
    EVALUATION_ORIGINS,
    Choice,
    Decision,
    calibration_origins,
    decide_many,
    error_frame,
    windows_needed,
)

FALLBACK = "seasonal_naive"
#: The name the per-series choice is scored under.
SELECTED = "selected"


@dataclass
class GroupBacktest:
    """The backtest of one group.

    Attributes:
        group: group name.
        series: series backtested; ``eligible``: series long enough to be.
        origins, horizon: rolling origins and months ahead; ``scored``: the last origins scored;
            ``calibration``: origins each choice is learned from.
        scores: model (and ``selected``) → scores averaged over the scored origins (``mase``,
            ``crps``, ``coverage80``…, ``failures``).
        chosen: the group's choice (for series without a backtest of their own).
        choices: series → its production choice (model, width factors).
        evaluation: model (and ``selected``) → the calibrated rows of the scored origins.
        seconds: time taken.
    """

    group: str
    series: int
    eligible: int
    origins: int
    horizon: int
    calibration: int = CALIBRATION_ORIGINS
    scored: int = 0
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    chosen: str = FALLBACK
    default: Choice = field(default_factory=lambda: Choice(FALLBACK))
    choices: dict[str, Choice] = field(default_factory=dict)
    seconds: float = 0.0
    rows: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    evaluation: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    scales: pd.Series = field(default_factory=lambda: pd.Series(dtype=float), repr=False)

    @property
    def held_out(self) -> dict[str, pd.DataFrame]:
        """The scored rows (an alias kept for reconciliation)."""
        return self.evaluation

    def choice_for(self, series_id: str) -> Choice:
        """The series' own choice, or the group's when it has no backtest of its own."""
        return self.choices.get(series_id, self.default)

    def to_dict(self) -> dict[str, Any]:
        models = pd.Series([c.model for c in self.choices.values()]).value_counts()
        return {
            "group": self.group,
            "series": self.series,
            "eligible": self.eligible,
            "origins": self.origins,
            "scored_origins": self.scored,
            "horizon": self.horizon,
            "chosen": self.chosen,
            "chosen_per_series": {str(k): int(v) for k, v in models.items()},
            "seconds": round(self.seconds, 2),
            "scores": {m: _finite(s) for m, s in self.scores.items()},
            "width_factors": self.default.factors,
        }


def eligible_panel(panel: pd.DataFrame, min_length: int, h: int, n_windows: int) -> pd.DataFrame:
    """Series long enough to fit a model at the first origin."""
    need = min_length + n_windows + h - 1
    sizes = panel.groupby("unique_id")["y"].transform("size")
    return panel[sizes >= need]


def sample_series(panel: pd.DataFrame, max_series: int, seed: int) -> pd.DataFrame:
    """A seeded random sample of at most ``max_series`` series (all of them if fewer)."""
    ids = np.sort(panel["unique_id"].unique())
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
    n_windows: int | None = None,
    max_series: int = 80,
    seed: int = 42,
    calibration: int = CALIBRATION_ORIGINS,
) -> GroupBacktest:
    """Backtest ``candidates`` (plus every baseline and the ensemble) on the group's ``panel``;
    decide each series' model and widths."""
    started = time.perf_counter()
    n_windows = n_windows or windows_needed(h, calibration)
    ready = eligible_panel(panel, min_length, h, n_windows)
    eligible = int(ready["unique_id"].nunique())
    sample = sample_series(ready, max_series, seed)
    result = GroupBacktest(name, int(sample["unique_id"].nunique()), eligible, n_windows, h,
                           calibration=calibration)  # fmt: skip
    if sample.empty:
        result.seconds = time.perf_counter() - started
        return result
    scales = _scales(sample, season_length, h + n_windows - 1)
    result.scales = scales
    names = _names(candidates)
    fallback = get_forecaster(FALLBACK).backtest(sample, h, season_length, n_windows)
    fallback = fallback.sort_values(["unique_id", "cutoff", "ds"], ignore_index=True)
    failures, seconds = {}, {}
    for model in names:
        clock = time.perf_counter()
        if model == FALLBACK:
            rows, failures[model] = clip_nonnegative(fallback.copy()), 0.0
        elif model == ENSEMBLE.name:
            members = [result.rows[m] for m in ENSEMBLE.members]
            rows, failures[model] = median_ensemble(members), 0.0
        else:
            rows, failures[model] = _backtest_one(model, sample, fallback, h, season_length,
                                                  n_windows)  # fmt: skip
        result.rows[model] = rows
        seconds[model] = round(time.perf_counter() - clock, 2)
    _decide_and_score(result, names, failures, seconds)
    result.seconds = time.perf_counter() - started
    return result


def _names(candidates: Sequence[str]) -> list[str]:
    """Baselines first, then the candidates, then the ensemble (its members come before it)."""
    names = [b.name for b in BASELINES]
    names += [c for c in candidates if c not in names and c != ENSEMBLE.name]
    names += [m for m in ENSEMBLE.members if m not in names]
    return [*names, ENSEMBLE.name]


def _decide_and_score(
    result: GroupBacktest, names: list[str], failures: dict[str, float], seconds: dict[str, float]
) -> None:
    """The production choices, and the scored origins with the choices made at each (all
    decided in one pass: ``select.decide_many``)."""
    h, count = result.horizon, result.calibration
    errors = error_frame(result.rows, result.scales)
    cutoffs = sorted(pd.Timestamp(c) for c in errors["cutoff"].unique())
    end = len(cutoffs) - 1 + h
    scored = [i for i in range(len(cutoffs)) if calibration_origins(cutoffs, i, h, count)]
    scored = scored[-EVALUATION_ORIGINS:]
    windows = [calibration_origins(cutoffs, i, h, count) for i in [end, *scored]]
    production, *at_origin = decide_many(errors, windows, names)
    result.choices, result.default = production.choices, production.default
    result.chosen = result.default.model
    result.scored = len(scored)
    if not scored:  # too few origins (or no series with a scale): choices only, no scores
        return
    decisions = dict(zip([cutoffs[i] for i in scored], at_origin, strict=True))
    raw = {m: r[r["cutoff"].isin(list(decisions))] for m, r in result.rows.items()}
    table = _factor_table(decisions)
    for model in names:
        result.evaluation[model] = _calibrated(_by_origin(raw[model]), model, table)
    result.evaluation[SELECTED] = _selected(result.evaluation, names, decisions)
    for model, rows in result.evaluation.items():
        scores = summarise(score_rows(rows, result.scales))
        base = raw.get(model)
        raw_scores = summarise(score_rows(base, result.scales)) if base is not None else {}
        result.scores[model] = {
            **scores,
            "raw_crps": raw_scores.get("crps", float("nan")),
            "raw_coverage80": raw_scores.get("coverage80", float("nan")),
            "raw_coverage95": raw_scores.get("coverage95", float("nan")),
            "failures": failures.get(model, 0.0),
            "seconds": seconds.get(model, 0.0),
        }


def _by_origin(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows ordered origin by origin (each origin's rows in their own order)."""
    return rows.sort_values("cutoff", kind="stable", ignore_index=True)


def _calibrated(rows: pd.DataFrame, model: str, table: pd.DataFrame) -> pd.DataFrame:
    """``rows`` of ``model`` with each series' shrunk width factors for that model, as decided
    at the row's origin (``table``: ``_factor_table``); 1.0 for a series with no scale, which
    is not scored."""
    keys = pd.MultiIndex.from_arrays(
        [rows["cutoff"], rows["unique_id"], np.repeat(model, len(rows))]
    )
    arrays = {}
    for lv in LEVELS:
        values = table[f"r-{lv}"].reindex(keys).to_numpy(dtype=float) if len(table) else None
        arrays[lv] = np.ones(len(rows)) if values is None else np.nan_to_num(values, nan=1.0)
    return clip_nonnegative(apply_factors(rows, arrays)).assign(model=model)


def _factor_table(decisions: dict[pd.Timestamp, Decision]) -> pd.DataFrame:
    """(origin, series, model) → the width factors decided at that origin."""
    parts = {c: d.factors for c, d in decisions.items() if not d.factors.empty}
    return pd.concat(parts, names=["cutoff"]) if parts else pd.DataFrame()


def _selected(
    evaluation: dict[str, pd.DataFrame], names: list[str], decisions: dict[pd.Timestamp, Decision]
) -> pd.DataFrame:
    """Each origin's rows of each series' chosen model (origin by origin, then model by
    model)."""
    frames = []
    for model in names:
        rows = evaluation[model]
        picked = [
            decisions[c].choices.get(str(u), decisions[c].default).model == model
            for c, u in zip(rows["cutoff"], rows["unique_id"], strict=True)
        ]
        frames.append(rows[np.asarray(picked, dtype=bool)])
    return _by_origin(pd.concat(frames, ignore_index=True))


def _finite(scores: dict[str, float]) -> dict[str, float | None]:
    """Scores for JSON: NaN (nothing could be scored) becomes None."""
    return {k: (v if np.isfinite(v) else None) for k, v in scores.items()}


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
