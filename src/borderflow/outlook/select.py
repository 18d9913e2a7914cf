"""Each series' model and interval widths, decided from the errors known at the forecast origin.

At an origin t, the errors known are those of backtest forecasts whose every target month is ≤ t:
the ``CALIBRATION_ORIGINS`` origins t − h − 11 … t − h. From their rows, for every series:

- **model**: the candidate with the lowest mean scaled absolute error, the series' own mean
  shrunk toward the group's, ``(n·e_series + k·e_group) / (n + k)`` with ``k = SHRINK_ROWS``
  (a series with a short backtest leans on its group; one with none takes the group's choice);
- **widths**: per level, the conformal quantile of the series' normalised errors for that model,
  shrunk toward the group's the same way (``calibrate.py``).

Both may weigh recent origins more (``HALF_LIFE_MODEL``, ``HALF_LIFE_WIDTH``: exponentially
decaying weights, a weighted mean for the choice and the weighted conformal quantile of
Barber et al. 2023 for the widths); the tuning origins kept every origin alike.

The production forecast applies this rule at the last month of data; the backtest applies it at
each of its ``EVALUATION_ORIGINS`` last origins and scores what it would have forecast, so the
scores it reports come from choices and widths that never saw the outcomes they are scored on.
Nothing here depends on which other series a run was asked for: a series' decision reads its own
rows and its group's backtest sample only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd

from borderflow.outlook.calibrate import MIN_ROWS, grouped_quantiles, normalised_errors
from borderflow.outlook.models import LEVELS

#: Origins whose errors set a choice and its widths (12 origins × 6 horizons = 72 rows a series).
CALIBRATION_ORIGINS = 12
#: Origins the backtest scores, each with choices made from the origins before it.
EVALUATION_ORIGINS = 12
#: Weight of the group's evidence in a series' model choice, in rows of the series' own (72 rows
#: a series: it counts 2:1 against its group). Every setting here was chosen on origins 12
#: months before the ones the docs report (``benchmarks/outlook.py --tune``: {36, 576} × {36,
#: 144} × half-lives {∞, 12, 6, 3} × {∞, 24, 12, 6}, trend-break candidates in or out): fewest
#: missed targets over the key series, then the lowest MAE ratio, then coverage nearest 80%.
SHRINK_MODEL_ROWS = 36
#: Weight of the group's evidence in a series' interval widths, in rows of the series' own.
SHRINK_WIDTH_ROWS = 36
#: Half-life, in origins, of a backtest row's weight in the model choice (the newest known
#: origin weighs 1, one ``HALF_LIFE_MODEL`` older 1/2), so that after a trend break the
#: candidates that kept up lately win. Infinite (every origin alike): on the tuning origins any
#: finite half-life raised fentanyl's and methamphetamine's MAE (noisier choices).
HALF_LIFE_MODEL = float("inf")
#: Half-life, in origins, of a row's weight in the width quantiles (weighted conformal), so that
#: widths track the current error regime. Infinite: on the tuning origins a half-life of 24
#: origins or less pushed the VSRR T40.4 series' 80% coverage from 76% to 71% or lower, and
#: changed the CBP drugs' by under 1 point.
HALF_LIFE_WIDTH = float("inf")


def windows_needed(h: int, calibration: int = CALIBRATION_ORIGINS) -> int:
    """Backtest origins needed to score ``EVALUATION_ORIGINS`` origins h months ahead."""
    return EVALUATION_ORIGINS + calibration + h - 1


@dataclass(frozen=True)
class Choice:
    """How one series is forecast: its model, its width factor per level, and what they rest on.

    Attributes:
        model: registry name.
        factors: level → width factor.
        rows: backtest rows of the series itself (0: the group's choice and widths).
    """

    model: str
    factors: dict[int, float] = field(default_factory=dict)
    rows: int = 0


@dataclass(frozen=True)
class Decision:
    """What the rule decides from one window of origins.

    Attributes:
        choices: series → its choice.
        default: the group's choice (for series without a backtest of their own).
        factors: the shrunk width factors of every (series, model), indexed by both, columns
            ``r-L`` (empty when the window has no errors).
    """

    choices: dict[str, Choice]
    default: Choice
    factors: pd.DataFrame


def error_frame(rows_by_model: dict[str, pd.DataFrame], scales: pd.Series) -> pd.DataFrame:
    """One row per (model, series, origin, month): the scaled absolute error ``ae`` and the
    normalised errors ``r-L`` (rows of series without a scale or outcome are dropped)."""
    frames = []
    for model, rows in rows_by_model.items():
        scale = rows["unique_id"].map(scales).to_numpy(dtype=float)
        y = rows["y"].to_numpy(dtype=float)
        keep = np.isfinite(scale) & np.isfinite(y)
        part = rows.loc[keep, ["unique_id", "cutoff", "ds"]].copy()
        part["model"] = model
        part["ae"] = np.abs(y[keep] - rows["mean"].to_numpy(dtype=float)[keep]) / scale[keep]
        frames.append(pd.concat([part, normalised_errors(rows[keep])], axis=1))
    return pd.concat(frames, ignore_index=True)


def decide(
    errors: pd.DataFrame, cutoffs: list[pd.Timestamp], candidates: list[str]
) -> tuple[dict[str, Choice], Choice, pd.DataFrame]:
    """Choices from the errors of the origins ``cutoffs``.

    Returns:
        series → its choice; the group's choice (for series without a backtest of their own);
        and the shrunk factors of every (series, model), indexed by both, columns ``r-L``.
    """
    (one,) = decide_many(errors, [cutoffs], candidates)
    return one.choices, one.default, one.factors


def decide_many(
    errors: pd.DataFrame, windows: Sequence[list[pd.Timestamp]], candidates: list[str]
) -> list[Decision]:
    """``decide`` for several windows of origins at once (the backtest's scored origins and
    the production origin): the windows' rows are stacked and every mean and quantile is one
    grouped computation, each window's rows in the same order as alone, so the numbers are the
    same as window by window."""
    stacked = _stack_windows(errors[errors["model"].isin(candidates)], windows)
    empty = Decision({}, Choice(candidates[0]), pd.DataFrame())
    if stacked.empty:
        return [empty] * len(windows)
    w_model = recency_weights(stacked["age"].to_numpy(dtype=float), HALF_LIFE_MODEL)
    w_width = recency_weights(stacked["age"].to_numpy(dtype=float), HALF_LIFE_WIDTH)
    group_err = _weighted_mean(stacked, ["window", "model"], w_model)
    group_q = grouped_quantiles(stacked, ["window", "model"], w_width)
    series = _weighted_mean(stacked, ["window", "unique_id", "model"], w_model)
    prior = group_err["mean"].reindex(_window_model(series.index)).to_numpy()
    series["score"] = (series["ess"] * series["mean"] + SHRINK_MODEL_ROWS * prior) / (
        series["ess"] + SHRINK_MODEL_ROWS
    )
    own_q = grouped_quantiles(stacked, ["window", "unique_id", "model"], w_width)
    factors = _shrunk_factors(own_q, group_q)
    order = {m: i for i, m in enumerate(candidates)}
    ranked = series.reset_index().assign(order=lambda f: f["model"].map(order))
    best = ranked.sort_values(["window", "unique_id", "score", "order"])
    best = best.groupby(["window", "unique_id"], sort=False).head(1)
    present = set(group_err.index.get_level_values("window"))
    out = []
    for j in range(len(windows)):
        if j not in present:
            out.append(empty)
            continue
        mine = _rows_of(factors, j)
        picks = best[best["window"] == j]
        values = mine.to_numpy(dtype=float)
        choices = {
            str(u): Choice(str(m), _factors_of(values, mine.index, u, m), int(n))
            for u, m, n in zip(picks["unique_id"], picks["model"], picks["count"], strict=True)
        }
        errs = group_err["mean"].xs(j, level="window")
        group_model = min(errs.index, key=lambda m: (errs[m], order[m]))
        default = Choice(str(group_model), _group_factors(_rows_of(group_q, j), group_model))
        out.append(Decision(choices, default, mine))
    return out


def _stack_windows(errors: pd.DataFrame, windows: Sequence[list[pd.Timestamp]]) -> pd.DataFrame:
    """The rows of each window, tagged with its index (``window``) and each row's age in
    origins before the window's newest (``age``)."""
    parts = []
    for j, cutoffs in enumerate(windows):
        part = errors[errors["cutoff"].isin(cutoffs)]
        age = part["cutoff"].map({c: len(cutoffs) - 1 - i for i, c in enumerate(cutoffs)})
        parts.append(part.assign(window=j, age=age))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _rows_of(frame: pd.DataFrame, window: int) -> pd.DataFrame:
    """The rows of one window, without the ``window`` index level."""
    return cast(pd.DataFrame, frame.loc[window])


def _window_model(index: pd.Index) -> pd.MultiIndex:
    """(window, model) of each (window, series, model) entry."""
    return pd.MultiIndex.from_arrays(
        [index.get_level_values("window"), index.get_level_values("model")]
    )


def recency_weights(age: np.ndarray | pd.Series, half_life: float) -> np.ndarray:
    """Weight of a row whose origin is ``age`` origins older than the newest known one:
    ``0.5 ** (age / half_life)`` (1 for the newest; equal weights when the half-life is
    infinite)."""
    a = np.asarray(age, dtype=float)
    return np.ones_like(a) if not np.isfinite(half_life) else 0.5 ** (a / half_life)


def _weighted_mean(window: pd.DataFrame, keys: list[str], w: np.ndarray) -> pd.DataFrame:
    """Weighted mean of ``ae`` per group of ``keys``, with the row count and the effective
    count (Kish's (Σw)²/Σw², equal to the count when the weights are)."""
    frame = pd.DataFrame({"wae": w * window["ae"].to_numpy(dtype=float), "w": w, "w2": w * w,
                          "count": 1}, index=window.index)  # fmt: skip
    sums = frame.groupby([window[k] for k in keys], sort=True).sum()
    return pd.DataFrame({"mean": sums["wae"] / sums["w"], "count": sums["count"],
                         "ess": sums["w"] ** 2 / sums["w2"]})  # fmt: skip


def _shrunk_factors(own: pd.DataFrame, group: pd.DataFrame) -> pd.DataFrame:
    keys = _window_model(own.index)
    out = pd.DataFrame(index=own.index)
    n = own["ess"].to_numpy(dtype=float)
    for lv in LEVELS:
        col = f"r-{lv}"
        g = group[col].where(group["n"] >= MIN_ROWS).reindex(keys).to_numpy(dtype=float)
        g = np.where(np.isfinite(g), g, 1.0)
        s = own[col].to_numpy(dtype=float)
        s = np.where(np.isfinite(s), s, g)
        out[col] = (n * s + SHRINK_WIDTH_ROWS * g) / (n + SHRINK_WIDTH_ROWS)
    return out


def _factors_of(values: np.ndarray, index: pd.Index, uid: str, model: str) -> dict[int, float]:
    row = np.asarray(values[index.get_loc((uid, model))])
    return {lv: float(v) for lv, v in zip(LEVELS, row.ravel(), strict=True)}


def _group_factors(group_q: pd.DataFrame, model: str) -> dict[int, float]:
    row = group_q.loc[model]
    ok = row["n"] >= MIN_ROWS
    return {lv: float(row[f"r-{lv}"]) if ok and np.isfinite(row[f"r-{lv}"]) else 1.0
            for lv in LEVELS}  # fmt: skip


def calibration_origins(
    cutoffs: list[pd.Timestamp], index: int, h: int, count: int = CALIBRATION_ORIGINS
) -> list[pd.Timestamp]:
    """The last ``count`` origins whose outcomes are all known at origin ``cutoffs[index]``
    (index may be past the end: ``len(cutoffs) - 1 + h`` is the last month of data)."""
    last = index - h
    first = max(0, last - count + 1)
    return cutoffs[first : last + 1] if last >= 0 else []
