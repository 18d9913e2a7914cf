"""Conformal recalibration of interval widths, learned from backtest errors.

Model intervals assume the model is right; on spiky seizure counts they come out too wide, on
12-month rolling sums (strongly autocorrelated errors) too narrow. For each level L the width
factor is the split-conformal quantile of the normalised error over backtest rows: the distance
of the outcome from the mean divided by the interval's half-width on the outcome's side. Scaling
each side's half-width by that factor makes L% of past errors fall inside, and it works for the
asymmetric intervals of the median ensemble and of intervals clipped at zero.

Which rows a factor is learned from — one series' or its whole group's, and which origins — is
decided in ``select.py``; this module only computes and applies factors.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from borderflow.outlook.models import LEVELS

#: Level → factor; a value may also be an array with one factor per row.
Factors = dict[int, float]
#: Fewest rows a factor is learned from; fewer: 1.0 (the model's own width).
MIN_ROWS = 20


def ratio_columns() -> list[str]:
    """``r-L``: the normalised error of a row at each level."""
    return [f"r-{lv}" for lv in LEVELS]


def normalised_errors(rows: pd.DataFrame) -> pd.DataFrame:
    """``r-L`` per row: |y − mean| over the half-width of the level-L interval on y's side (NaN
    where that half-width is zero or y is unknown). y lies inside the interval widened by a
    factor f exactly when r-L ≤ f."""
    y = rows["y"].to_numpy(dtype=float)
    mean = rows["mean"].to_numpy(dtype=float)
    out = {}
    above = y >= mean
    for lv in LEVELS:
        hi = rows[f"hi-{lv}"].to_numpy(dtype=float) - mean
        lo = mean - rows[f"lo-{lv}"].to_numpy(dtype=float)
        half = np.where(above, hi, lo)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.abs(y - mean) / half
        out[f"r-{lv}"] = np.where(np.isfinite(y) & (half > 1e-9), ratio, np.nan)
    return pd.DataFrame(out, index=rows.index)


def width_factors(rows: pd.DataFrame) -> Factors:
    """Per-level width factors from backtest rows (1.0 where fewer than ``MIN_ROWS``)."""
    ratios = normalised_errors(rows)
    factors: Factors = {}
    for lv in LEVELS:
        r = ratios[f"r-{lv}"].dropna().to_numpy()
        factors[lv] = conformal_quantile(r, lv / 100) if len(r) >= MIN_ROWS else 1.0
    return factors


def conformal_quantile(scores: np.ndarray, level: float) -> float:
    """The ⌈(n+1)·level⌉-th smallest score (the largest when that rank exceeds n)."""
    n = len(scores)
    rank = min(math.ceil((n + 1) * level), n)
    return float(np.sort(scores)[rank - 1])


def grouped_quantiles(
    ratios: pd.DataFrame, keys: list[str], weights: np.ndarray | None = None
) -> pd.DataFrame:
    """Conformal quantile of every ``r-L`` column per group of ``keys``, with the row count
    (``n``) and the effective count (``ess``, Kish: (Σw)²/Σw², = n when weights are equal).

    With ``weights`` (one per row, in (0, 1], the newest rows 1) the quantile is the weighted
    one of non-exchangeable split conformal prediction (Barber, Candès, Ramdas & Tibshirani
    2023): the smallest score whose cumulative weight reaches L·(Σw + 1), the 1 standing for
    the forecast being calibrated; equal weights give the ⌈(n+1)·L⌉-th smallest score.
    Vectorised: the groups' scores are laid out as rows of one array and sorted once per level
    (unknown scores sort last and are not counted)."""
    grouped = ratios.groupby(keys, sort=True)
    codes = grouped.ngroup().to_numpy()
    pos = grouped.cumcount().to_numpy()
    index = grouped.size().index
    out = pd.DataFrame({"n": grouped.size().to_numpy()}, index=index)
    w = np.ones(len(ratios)) if weights is None else np.asarray(weights, dtype=float)
    width = int(pos.max()) + 1 if len(pos) else 0
    rows = np.arange(len(index))
    quantile = _equal_weight_rank if bool(np.all(w == 1.0)) else _weighted_rank
    for lv in LEVELS:
        values = ratios[f"r-{lv}"].to_numpy(dtype=float)
        known = np.isfinite(values)
        table = np.full((len(index), width), np.inf)
        table[codes, pos] = np.where(known, values, np.inf)
        wtable = np.zeros((len(index), width))
        wtable[codes, pos] = np.where(known, w, 0.0)
        table, first = quantile(table, wtable, lv / 100)
        n = known_count = np.isfinite(table).sum(axis=1)
        rank = np.minimum(first, np.maximum(known_count - 1, 0))  # capped at the largest score
        picked = table[rows, rank] if width else np.full(len(index), np.nan)
        out[f"r-{lv}"] = np.where(n > 0, picked, np.nan)
    frame = pd.DataFrame({"w": w, "w2": w * w}, index=ratios.index)
    sums = frame.groupby([ratios[k] for k in keys], sort=True).sum()
    out["ess"] = (sums["w"] ** 2 / sums["w2"]).to_numpy()
    return out


def _weighted_rank(
    table: np.ndarray, weights: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Each row of ``table`` sorted, and the position of the first score whose cumulative
    weight reaches ``level``·(Σw + 1) (the row's width when none does)."""
    width = table.shape[1]
    order = np.argsort(table, axis=1, kind="stable")
    table = np.take_along_axis(table, order, axis=1)
    cum = np.cumsum(np.take_along_axis(weights, order, axis=1), axis=1)
    total = cum[:, -1] if width else np.zeros(len(table))
    reached = cum >= (level * (total + 1.0))[:, None] - 1e-12
    return table, np.where(reached.any(axis=1), reached.argmax(axis=1), width)


def _equal_weight_rank(
    table: np.ndarray, weights: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """``_weighted_rank`` when every weight is 1: the cumulative weight at position i is i + 1,
    so the first position reaching level·(n + 1) is ⌈level·(n + 1)⌉ − 1, found without the
    cumulative sums (the same numbers, a sort instead of an argsort)."""
    n = np.isfinite(table).sum(axis=1).astype(float)
    table = np.sort(table, axis=1)
    first = np.ceil(level * (n + 1.0) - 1e-12).astype(int) - 1
    return table, np.where(first < n, first, table.shape[1])


def apply_factors(rows: pd.DataFrame, factors: Mapping[int, float | np.ndarray]) -> pd.DataFrame:
    """Rows with each side's half-width scaled by its level's factor, nested by level (a wider
    level is never narrower on either side); clip again afterwards."""
    out = rows.copy()
    mean = out["mean"].to_numpy(dtype=float)
    prev_lo = prev_hi = np.zeros(len(out))
    for lv in LEVELS:
        f = np.asarray(factors.get(lv, 1.0), dtype=float)
        hi = np.maximum((out[f"hi-{lv}"].to_numpy(dtype=float) - mean) * f, prev_hi)
        lo = np.maximum((mean - out[f"lo-{lv}"].to_numpy(dtype=float)) * f, prev_lo)
        out[f"hi-{lv}"], out[f"lo-{lv}"] = mean + hi, mean - lo
        prev_lo, prev_hi = lo, hi
    return out
