"""A base aggregation and who can make one: the contract between the engine and ``derive``.

``derive`` computes comparisons, shares and rates from further base aggregations; it asks a
``Selector`` (the engine) for them, so neither module imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from borderflow.metrics.periods import Period
from borderflow.metrics.plan import Plan
from borderflow.metrics.query import Query


@dataclass
class Selected:
    """A base aggregation: labelled rows, unit, notes and the releases read."""

    plan: Plan
    rows: pd.DataFrame
    unit: str
    notes: tuple[str, ...]
    release_ids: set[int]


class Selector(Protocol):
    """Anything that plans and executes the base aggregation of a query over a period."""

    def select(self, query: Query, period: Period) -> Selected: ...
