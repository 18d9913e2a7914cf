"""Conformal recalibration of interval widths, learned from backtest errors.

Model intervals assume the model is right; on spiky seizure counts they come out too wide, on
12-month rolling sums (strongly autocorrelated errors) too narrow. For each level L the width
factor is the split-conformal quantile of the normalised error |y − mean| / half-width(L) over
backtest rows: multiplying every half-width by it makes L% of past errors fall inside.

The backtest scores each half of its origins with factors learned on the other half (never on
the rows it learned from); the production forecast uses factors learned on all origins.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from borderflow.outlook.models import LEVELS

Factors = dict[int, float]


def width_factors(rows: pd.DataFrame) -> Factors:
    """Per-level width factors from backtest rows (1.0 where nothing can be learned)."""
    factors: Factors = {}
    y = rows["y"].to_numpy(dtype=float)
    mean = rows["mean"].to_numpy(dtype=float)
    for lv in LEVELS:
        half = rows[f"hi-{lv}"].to_numpy(dtype=float) - mean
        ok = np.isfinite(y) & (half > 1e-9)
        ratio = np.abs(y[ok] - mean[ok]) / half[ok]
        factors[lv] = _conformal_quantile(ratio, lv / 100) if len(ratio) >= 20 else 1.0
    return factors


def _conformal_quantile(scores: np.ndarray, level: float) -> float:
    n = len(scores)
    rank = min(math.ceil((n + 1) * level), n)
    return float(np.sort(scores)[rank - 1])


def apply_factors(rows: pd.DataFrame, factors: Factors) -> pd.DataFrame:
    """Rows with every interval's half-width scaled by its level's factor, nested by level.

    Every interval here is symmetric about the mean before clipping at zero, so the upper
    half-width (never clipped) sets both sides; clip again afterwards.
    """
    out = rows.copy()
    mean = out["mean"].to_numpy(dtype=float)
    previous = np.zeros(len(out))
    for lv in LEVELS:
        half = (out[f"hi-{lv}"].to_numpy(dtype=float) - mean) * factors.get(lv, 1.0)
        half = np.maximum(half, previous)  # a wider level is never narrower
        out[f"hi-{lv}"], out[f"lo-{lv}"] = mean + half, mean - half
        previous = half
    return out


def split_origins(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Backtest rows of the first half of origins (to learn from) and of the second (to score)."""
    cutoffs = np.sort(rows["cutoff"].unique())
    learn = set(cutoffs[: len(cutoffs) // 2])
    first = rows["cutoff"].isin(learn)
    return rows[first], rows[~first]
