"""Forecast scores: MASE, CRPS from quantiles, interval coverage and the interval score.

All scores are computed on backtest rows (``unique_id, cutoff, ds, y, mean, lo-L, hi-L``) and
scaled per series by the in-sample mean absolute error of the seasonal naive forecast (the MASE
scale), so series of different sizes can be averaged within a group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from borderflow.outlook.models import LEVELS


def mase_scale(y: np.ndarray, season_length: int) -> float:
    """In-sample MAE of the seasonal naive forecast (naive if seasonal differences are all zero).

    Returns NaN when the series is constant: no scale exists and it is left out of the scores.
    """
    for m in (season_length, 1):
        if len(y) > m:
            mae = float(np.mean(np.abs(y[m:] - y[:-m])))
            if mae > 0:
                return mae
    return float("nan")


def quantile_grid(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Quantile levels and the matching forecast columns (rows × levels) of ``frame``.

    The mean stands in for the median: every interval here is centred on it.
    """
    taus, cols = [0.5], [frame["mean"].to_numpy(dtype=float)]
    for lv in LEVELS:
        alpha = (100 - lv) / 200
        taus += [alpha, 1 - alpha]
        cols += [frame[f"lo-{lv}"].to_numpy(dtype=float), frame[f"hi-{lv}"].to_numpy(dtype=float)]
    order = np.argsort(taus)
    return np.asarray(taus)[order], np.column_stack(cols)[:, order]


def crps_from_quantiles(y: np.ndarray, taus: np.ndarray, q: np.ndarray) -> np.ndarray:
    """CRPS per row, approximated as twice the average pinball loss over the quantile grid."""
    diff = y[:, None] - q
    pinball = np.maximum(taus * diff, (taus - 1) * diff)
    return 2 * pinball.mean(axis=1)


def interval_score(y: np.ndarray, lo: np.ndarray, hi: np.ndarray, level: int) -> np.ndarray:
    """Gneiting–Raftery interval score: width plus 2/α times any miss."""
    alpha = 1 - level / 100
    return (hi - lo) + 2 / alpha * (np.maximum(lo - y, 0) + np.maximum(y - hi, 0))


def score_rows(rows: pd.DataFrame, scales: pd.Series) -> pd.DataFrame:
    """Per-row scores: scaled absolute error and CRPS, coverage and scaled interval scores.

    Args:
        rows: backtest rows of one model.
        scales: unique_id → MASE scale; rows of series without a scale are dropped.
    """
    scale = rows["unique_id"].map(scales).to_numpy(dtype=float)
    keep = np.isfinite(scale) & np.isfinite(rows["y"].to_numpy(dtype=float))
    rows, scale = rows[keep], scale[keep]
    y = rows["y"].to_numpy(dtype=float)
    taus, q = quantile_grid(rows)
    out = pd.DataFrame({"unique_id": rows["unique_id"].to_numpy()})
    out["mase"] = np.abs(y - rows["mean"].to_numpy(dtype=float)) / scale
    out["crps"] = crps_from_quantiles(y, taus, q) / scale
    for lv in (80, 95):
        lo, hi = rows[f"lo-{lv}"].to_numpy(dtype=float), rows[f"hi-{lv}"].to_numpy(dtype=float)
        out[f"coverage{lv}"] = ((y >= lo) & (y <= hi)).astype(float)
        out[f"interval_score{lv}"] = interval_score(y, lo, hi, lv) / scale
    return out


SCORE_COLUMNS = ("mase", "crps", "coverage80", "coverage95", "interval_score80", "interval_score95")


def summarise(scored: pd.DataFrame) -> dict[str, float]:
    """Average each score over all rows (series × origins × horizons)."""
    summary = {c: float(scored[c].mean()) for c in SCORE_COLUMNS}
    summary["rows"] = float(len(scored))
    return summary
