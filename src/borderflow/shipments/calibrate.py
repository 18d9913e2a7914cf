"""The real totals the synthetic shipments must add up to: UN Comtrade imports per HS line.

Each reporter's one-reporter extract in the mirror (``un_comtrade/undata_comtrade_*_hs29_*``) is
parsed by the source's own parser; the targets are its ``Import`` flows of six-digit HS lines,
per year: value in U.S. dollars and net weight in kilograms, each rounded to a whole number.
Where the reporter left the weight blank, the weight is imputed from the value at the median
unit value (USD/kg) of that reporter's chapter 29 imports that year — an assumption, flagged in
``weight_imputed``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from borderflow.errors import BorderflowError
from borderflow.shipments.assumptions import REPORTERS
from borderflow.sources.un_comtrade import SOURCE as COMTRADE

#: The series of the Comtrade source that hold all HS 29 lines of one reporter.
REPORTER_SERIES = ("mexico_hs29", "china_hs29", "india_hs29")

TARGET_COLUMNS = ("consignee_country", "year", "hs_code", "value_usd", "weight_kg",
                  "weight_imputed")  # fmt: skip


def comtrade_targets(mirror: Path, years: range) -> pd.DataFrame:
    """Annual imports per (reporter, year, HS line) in ``years``, sorted: ``TARGET_COLUMNS``.

    Raises:
        BorderflowError: a reporter's file is missing from ``mirror`` or covers none of ``years``.
    """
    frames = [_reporter_imports(mirror, key, years) for key in REPORTER_SERIES]
    targets = pd.concat(frames, ignore_index=True)
    targets = targets[targets["value_usd"] >= 1]
    keys = ["consignee_country", "year", "hs_code"]
    return targets.sort_values(keys).reset_index(drop=True)[list(TARGET_COLUMNS)]


def _reporter_imports(mirror: Path, key: str, years: range) -> pd.DataFrame:
    series = next(s for s in COMTRADE.series if s.key == key)
    files = [p for s, p in COMTRADE.files_in(mirror) if s.key == key]
    if not files:
        raise BorderflowError(
            f"no {series.pattern} in {mirror / COMTRADE.folder}: the generator is calibrated to "
            "UN Comtrade; pass --mirror pointing at the data mirror."
        )
    obs = series.parse(files[-1].read_bytes(), files[-1].name).observations
    obs = obs[(obs["flow"] == "Import") & obs["hs_code"].str.len().eq(6)]
    obs = obs.assign(year=pd.to_datetime(obs["period_start"]).dt.year)
    obs = obs[obs["year"].isin(list(years))]
    if obs.empty:
        raise BorderflowError(
            f"{files[-1].name} has no imports in {years.start}-{years.stop - 1}; pick years it "
            "covers (e.g. --years 2018-2022)."
        )
    wide = obs.pivot_table(
        index=["reporter", "year", "hs_code"], columns="measure", values="value", aggfunc="sum"
    ).reset_index()
    return _with_weights(wide)


def _with_weights(wide: pd.DataFrame) -> pd.DataFrame:
    """Whole dollars and kilograms; blank weights imputed at the year's median unit value."""
    value = wide["trade_value"].round()
    weight = wide.get("trade_weight", pd.Series(np.nan, index=wide.index))
    unit_value = (value / weight).where(weight > 0)
    median = unit_value.groupby(wide["year"]).transform("median")
    imputed = weight.isna() | (weight <= 0)
    weight = weight.where(~imputed, value / median).fillna(value)  # no median: 1 USD/kg
    return pd.DataFrame(
        {
            "consignee_country": wide["reporter"].map(REPORTERS),
            "year": wide["year"].astype(int),
            "hs_code": wide["hs_code"],
            "value_usd": value.astype("int64"),
            "weight_kg": weight.round().astype("int64"),
            "weight_imputed": imputed,
        }
    )
