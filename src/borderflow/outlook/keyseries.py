"""The series everyone reads, scored on their own: fentanyl and methamphetamine seizures
(nationwide, by region, by component) and the United States VSRR death counts.

A group's average can hide its key series: before per-series calibration the 80% intervals of
the fentanyl and methamphetamine series covered about half of the outcomes while their groups
averaged 80%. ``key_scores`` pools the backtest's scored rows per key (per drug across its
three breakdowns) and per series, for the per-series choice (``selected``) and for naive,
seasonal naive and the median ensemble, each with its widths calibrated per series the same way.
MAE ratios are of scaled errors (each series' errors divided by its seasonal-naive in-sample
MAE), so a pooled ratio weighs every series alike rather than letting the nationwide total
decide; ratios of errors in pounds or deaths are given beside them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from borderflow.outlook.backtest import SELECTED, GroupBacktest
from borderflow.outlook.scores import score_rows

#: Models every key row is scored for.
COMPARED = (SELECTED, "naive", "seasonal_naive", "ensemble")


@dataclass(frozen=True)
class KeyPool:
    """A set of key series pooled for the targets: groups and the members they must have."""

    name: str
    groups: tuple[str, ...]
    members: tuple[tuple[str, str], ...] = ()

    def holds(self, series_id: str) -> bool:
        parts = dict(p.split("=", 1) for p in series_id.split("|")[1:])
        return all(parts.get(k) == v for k, v in self.members)


CBP = ("cbp_lb_drug", "cbp_lb_region", "cbp_lb_component")
KEY_POOLS: tuple[KeyPool, ...] = (
    KeyPool("Fentanyl", CBP, (("drug", "Fentanyl"),)),
    KeyPool("Methamphetamine", CBP, (("drug", "Methamphetamine"),)),
    KeyPool("VSRR all drugs, US", ("vsrr_all_us",)),
    KeyPool("VSRR T40.4, US", ("vsrr_us",)),
)


def key_rows(backtests: Mapping[str, GroupBacktest], pool: KeyPool) -> pd.DataFrame:
    """Scored rows of the pool's series: one row per (model, series, origin, month) with
    ``mase`` (scaled absolute error), ``ae`` (absolute error in the series' unit), ``crps``
    and coverage."""
    frames = []
    for name in pool.groups:
        bt = backtests.get(name)
        if bt is None or not bt.evaluation:
            continue
        for model in COMPARED:
            rows = bt.evaluation[model]
            rows = rows[rows["unique_id"].map(pool.holds)]
            scored = score_rows(rows, bt.scales)
            kept = rows[np.isfinite(rows["unique_id"].map(bt.scales).to_numpy(dtype=float))]
            scored["ae"] = np.abs(kept["y"].to_numpy(float) - kept["mean"].to_numpy(float))
            scored["cutoff"] = kept["cutoff"].to_numpy()
            frames.append(scored.assign(model=model, group=name))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def summarise_key(rows: pd.DataFrame, label: str) -> dict[str, object]:
    """One line of the key table: the per-series choice against the baselines."""
    by = rows.groupby("model")
    mase, ae = by["mase"].mean(), by["ae"].mean()
    sel = rows[rows["model"] == SELECTED]
    return {
        "key": label,
        "series": int(sel["unique_id"].nunique()),
        "origins": int(sel["cutoff"].nunique()),
        "rows": len(sel),
        "mase": float(mase[SELECTED]),
        "vs_naive": float(mase[SELECTED] / mase["naive"]),
        "vs_snaive": float(mase[SELECTED] / mase["seasonal_naive"]),
        "vs_ensemble": float(mase[SELECTED] / mase["ensemble"]),
        "mae_vs_naive_units": float(ae[SELECTED] / ae["naive"]),
        "mae_vs_snaive_units": float(ae[SELECTED] / ae["seasonal_naive"]),
        "crps": float(sel["crps"].mean()),
        "cov80": float(sel["coverage80"].mean()),
        "cov95": float(sel["coverage95"].mean()),
    }


def key_scores(backtests: Mapping[str, GroupBacktest], *, per_series: bool = True) -> pd.DataFrame:
    """The key table: one line per pool, then (``per_series``) one per series of each pool."""
    lines = []
    for pool in KEY_POOLS:
        rows = key_rows(backtests, pool)
        if rows.empty:
            continue
        lines.append(summarise_key(rows, pool.name))
        if per_series and rows["unique_id"].nunique() > 1:
            for sid, part in rows.groupby("unique_id", sort=True):
                lines.append(summarise_key(part, f"  {sid}"))
    return pd.DataFrame(lines)
