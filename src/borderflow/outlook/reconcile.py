"""Coherent forecasts: parts that add up to their total, kept only if the backtest improves.

CBP regions add up to the nationwide figure of each drug (and areas of responsibility to their
region). Forecast separately, they do not. OLS reconciliation (Hyndman et al. 2011) projects the
base forecasts onto the coherent subspace; for one total ``p`` with ``k`` parts ``c_i`` it moves
every part by the same share of the gap ``e = p − Σ c_i``:

    c_i' = c_i + e / (k + 1),      p' = Σ c_i' = p − e / (k + 1)

Intervals move with their mean (widths unchanged), then are clipped at zero again. Whether a run
applies it is decided by the backtest: the reconciled held-out forecasts must have a lower mean
scaled CRPS over the total and its parts than the base forecasts.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from borderflow.outlook.models import clip_nonnegative, interval_columns
from borderflow.outlook.scores import score_rows

VALUE_COLUMNS = ["mean", *interval_columns()]


def ols_reconcile(
    parents: pd.DataFrame, children: pd.DataFrame, parent_of: dict[str, str], keys: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reconciled copies of ``parents`` and ``children`` (rows keyed by ``unique_id`` + ``keys``).

    Children without a parent row, and parents without children, are left as they were.
    """
    kids = children.assign(parent=children["unique_id"].map(parent_of))
    kids = kids[kids["parent"].notna()]
    sums = kids.groupby(["parent", *keys])["mean"].agg(["sum", "size"]).reset_index()
    sums = sums.rename(columns={"parent": "unique_id"})
    gap = parents[["unique_id", *keys, "mean"]].merge(sums, on=["unique_id", *keys])
    gap["shift"] = (gap["mean"] - gap["sum"]) / (gap["size"] + 1)
    shift = gap[["unique_id", *keys, "shift"]]
    new_parents = _shift(parents, shift, ["unique_id", *keys], sign=-1.0)
    child_shift = shift.rename(columns={"unique_id": "parent"})
    new_children = _shift(
        children.assign(parent=children["unique_id"].map(parent_of)),
        child_shift,
        ["parent", *keys],
        sign=1.0,
    ).drop(columns=["parent"])
    return new_parents, new_children


def _shift(rows: pd.DataFrame, shift: pd.DataFrame, on: list[str], sign: float) -> pd.DataFrame:
    out = rows.merge(shift, on=on, how="left")
    moved = out["shift"].fillna(0.0) * sign
    for col in VALUE_COLUMNS:
        out[col] = out[col] + moved
    return clip_nonnegative(out.drop(columns=["shift"]))


def evaluate(
    parents: pd.DataFrame,
    children: pd.DataFrame,
    parent_of: dict[str, str],
    scales: pd.Series,
) -> dict[str, Any]:
    """Mean scaled CRPS of base and reconciled backtest rows (total and parts together)."""
    keys = ["cutoff", "ds"]
    new_p, new_c = ols_reconcile(parents, children, parent_of, keys)
    base = pd.concat([score_rows(parents, scales), score_rows(children, scales)])
    recon = pd.concat([score_rows(new_p, scales), score_rows(new_c, scales)])
    return {
        "method": "OLS",
        "base_crps": float(base["crps"].mean()),
        "reconciled_crps": float(recon["crps"].mean()),
        "base_coverage80": float(base["coverage80"].mean()),
        "reconciled_coverage80": float(recon["coverage80"].mean()),
    }
