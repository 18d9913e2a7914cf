"""Valid ranges of every stored measure: a value outside its range is a problem in the data.

A parser reads what a file says; this module says what a value can be. Every value must be
finite; counts, weights and money cannot be negative; populations and rates have plausible
bounds. ``check_values`` turns each value outside its range into a typed ``Issue`` (an error: the
row is rejected) and drops it, so ``inf`` or a population of −5 never reaches the warehouse.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from borderflow.sources.columns import NOT_REPEATED, repeated_value, rows_where
from borderflow.sources.issues import Issue, shorten

COUNT = (0.0, 1e9)
#: Stored measure → (lowest, highest) valid value, both included. Measures not listed need only
#: be finite.
VALID_RANGES: dict[str, tuple[float, float]] = {
    "seizure_weight": (0.0, 1e8),  # pounds in one month × area × drug cell
    "seizure_events": COUNT,
    "crossings": COUNT,
    "overdose_deaths": (0.0, 1e7),
    "deaths_multiple_cause": (0.0, 1e7),
    "percent_complete": (0.0, 100.0),
    "percent_pending_investigation": (0.0, 100.0),
    "population": (1_000.0, 2e10),  # a state or a country; a projection never below a town
    "overdose_death_rate_age_adjusted": (0.0, 100_000.0),  # per 100,000
    "overdose_death_rate_age_adjusted_pct_change": (-100.0, 1e6),
    "crime_incidents": COUNT,
    "crime_victims": COUNT,
    "trade_value": (0.0, 1e15),
    "trade_weight": (0.0, 1e15),
    "trade_quantity": (0.0, 1e15),
}


def valid_range(measure: str) -> tuple[float, float]:
    """The valid range of a stored measure (any finite value when none is declared)."""
    return VALID_RANGES.get(measure, (-math.inf, math.inf))


def check_values(observations: pd.DataFrame, file: str, issues: list[Issue]) -> pd.DataFrame:
    """Observations whose values are missing (withheld) or valid; the others become errors.

    Missing values stay: a withheld value is published as blank, and is kept as missing.
    """
    values = pd.to_numeric(observations["value"], errors="coerce").to_numpy(dtype=float)
    lows, highs = _bounds(observations["measure"])
    present = ~np.isnan(values)
    finite = np.isfinite(values)
    bad = present & (~finite | (values < lows) | (values > highs))
    if not bad.any():
        return observations
    for row, measure, value in zip(
        observations.loc[bad, "source_row"],
        observations.loc[bad, "measure"],
        values[bad],
        strict=True,
    ):
        issues.append(_issue(file, int(row), str(measure), float(value)))
    return rows_where(observations, ~bad)


def _bounds(measures: pd.Series) -> tuple[np.ndarray | float, np.ndarray | float]:
    """The lowest and highest valid value of each row's measure (one pair for all rows where
    the measure column is one value repeated, ``columns.repeated``)."""
    measure = repeated_value(measures)
    if measure is not NOT_REPEATED:
        return valid_range(str(measure))
    ranges = {m: valid_range(str(m)) for m in measures.unique()}
    lows = measures.map({m: r[0] for m, r in ranges.items()}).to_numpy(dtype=float)
    highs = measures.map({m: r[1] for m, r in ranges.items()}).to_numpy(dtype=float)
    return lows, highs


def _issue(file: str, row: int, measure: str, value: float) -> Issue:
    low, high = valid_range(measure)
    if not math.isfinite(value):
        kind, what = "not_finite", f"{value} is not a number a publisher can report"
    else:
        kind, what = (
            "out_of_range",
            f"{value:,.6g} is outside {measure}'s range {low:,.6g} to {high:,.6g}",
        )
    return Issue(
        kind,
        "error",
        file,
        f"{what}; value rejected. Check the file (a damaged download?) against the publisher's.",
        row=row,
        column="value",
        value=shorten(str(value)),
    )
