"""Pull monthly series from the metrics layer into one long format, and judge each one.

The long format is ``series_id, period, value`` plus the group's dimension columns; ``period`` is
the first day of the month (for 12-month-ending values: of the month the period ends in). Only
``to_panel`` converts to statsforecast's ``unique_id, ds, y``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from borderflow.metrics import Engine, Query, get_measure
from borderflow.metrics.periods import add_months
from borderflow.outlook.groups import SeriesGroup


@dataclass
class GroupData:
    """The series of one group as the metrics layer returned them.

    Attributes:
        group: the group definition.
        frame: long format (``series_id, period, value`` + dimension columns), complete months;
            a month not known is NaN (``gap`` groups) or 0 (``zero`` groups).
        dims: series_id → {dimension: member} (by-dimensions, single-member filters, fixed).
        unit: series_id → unit.
        last: the group's last month (forecasts start the month after).
        releases: provenance of the values, as the metrics layer gives it.
        notes: the metrics layer's notes.
    """

    group: SeriesGroup
    frame: pd.DataFrame
    dims: dict[str, dict[str, str]]
    unit: dict[str, str]
    last: date
    releases: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def series_id(measure: str, dims: dict[str, str]) -> str:
    """A readable, stable id: ``seized_lb|drug=Fentanyl|region=Southwest Border``."""
    return "|".join([measure, *(f"{k}={v}" for k, v in sorted(dims.items()))])


def query_group(
    engine: Engine,
    group: SeriesGroup,
    where: dict[str, tuple[str, ...]] | None = None,
    status: str | None = None,
    as_of: date | None = None,
    cutoff: date | None = None,
) -> pd.DataFrame:
    """The group's monthly values as the metrics layer answers them (one row per month × member),
    as the record stood at ``as_of`` (None: the newest), up to the month ``cutoff`` (None: the
    newest month; for 12-month-ending values, the month a period ends in)."""
    m = get_measure(group.measure)
    last = engine.last_month(m, as_of)
    if m.temporal == "rolling":  # the newest 12-month period ends 11 months after it starts
        last = add_months(last, 11)
    if cutoff is not None:
        last = min(last, cutoff)
    filters = {**group.where, **(where or {})}
    filters = {k: v for k, v in filters.items() if k in m.dimensions}
    query = Query(
        group.measure,
        f"{group.start}..{last:%Y-%m}",
        where=filters,
        by=group.by,
        grain="month",
        status=status,
        as_of=as_of,
    )
    result = engine.run(query)
    rows = result.rows.copy()
    rows.attrs["releases"] = result.releases
    rows.attrs["notes"] = result.notes
    rows.attrs["filters"] = filters
    return rows


def load_group(
    engine: Engine,
    group: SeriesGroup,
    where: dict[str, tuple[str, ...]] | None = None,
    as_of: date | None = None,
    cutoff: date | None = None,
) -> GroupData:
    """The group's series in long format, with complete months (see ``GroupData``), as the
    record stood at ``as_of`` and up to ``cutoff`` (None: the newest)."""
    rows = query_group(engine, group, where, as_of=as_of, cutoff=cutoff)
    return frame_group(group, rows)


def frame_group(group: SeriesGroup, rows: pd.DataFrame) -> GroupData:
    """Turn the metrics layer's rows into a ``GroupData`` with complete months."""
    m = get_measure(group.measure)
    fixed = {k: v[0] for k, v in rows.attrs.get("filters", {}).items() if len(v) == 1}
    fixed.update({k: v for k, v in m.fixed.items()})
    for dim, total in m.totals.items():
        if dim not in group.by and dim not in fixed:
            fixed[dim] = total
    rows = rows.drop(columns=["period"]).rename(columns={"bucket": "period"})
    rows["period"] = pd.to_datetime(rows["period"]).dt.date
    first, last = min(rows["period"]), max(rows["period"])
    months = [add_months(first, i) for i in range(_months(first, last))]
    frames, dims, units = [], {}, {}
    keys = list(group.by)
    grouped = rows.groupby(keys, sort=True) if keys else [((), rows)]
    for key, part in grouped:
        members = dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True))
        labels = {**fixed, **{k: str(v) for k, v in members.items()}}
        sid = series_id(group.measure, labels)
        dims[sid] = labels
        units[sid] = str(part["unit"].iloc[0])
        values = part.set_index("period")["value"].astype(float)
        span = months if group.missing == "zero" else [d for d in months if d >= min(values.index)]
        full = values.reindex(span)
        if group.missing == "zero":
            full = full.fillna(0.0)
        frames.append(pd.DataFrame({"series_id": sid, "period": span, "value": full.to_numpy()}))
    frame = pd.concat(frames, ignore_index=True)
    return GroupData(
        group, frame, dims, units, last, rows.attrs.get("releases", []), rows.attrs.get("notes", [])
    )


def _months(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


@dataclass(frozen=True)
class Verdict:
    """How one series will be forecast.

    Attributes:
        usable: ``model`` (candidates compete), ``baseline`` (a baseline is used), or ``skip``.
        reason: why, in words, when not ``model``.
        start: first month of the history used (after the last interior gap).
    """

    usable: str
    reason: str
    start: date | None


def judge(values: pd.Series, group: SeriesGroup, last: date) -> Verdict:
    """Decide whether a series (indexed by month, NaN = unknown) can be modelled."""
    known = values.dropna()
    if known.empty:
        return Verdict("skip", "no values", None)
    if known.index.max() < last:
        return Verdict("skip", f"no value since {known.index.max():%Y-%m}; not forecast", None)
    missing = values[values.isna()]
    start = known.index.min()
    reason = ""
    if not missing.empty:
        start = min(d for d in known.index if d > missing.index.max())
        reason = f"gap in {missing.index.max():%Y-%m}: history read from {start:%Y-%m}; "
    used = values[values.index >= start]
    if bool((used == 0).all()):
        return Verdict("baseline", reason + "all zeros: forecast as zero", start)
    if len(used) < 3:
        return Verdict("skip", reason + f"only {len(used)} months of history", None)
    if len(used) < group.min_length:
        return Verdict(
            "baseline",
            reason + f"only {len(used)} months (< {group.min_length}): naive baseline used",
            start,
        )
    return Verdict("model", reason.rstrip("; "), start)


def zero_share(values: pd.Series) -> float:
    """Share of months with a zero value."""
    return float(np.mean(values.to_numpy() == 0)) if len(values) else 0.0


def to_panel(frame: pd.DataFrame) -> pd.DataFrame:
    """The long format at statsforecast's boundary: ``unique_id, ds, y``."""
    return pd.DataFrame(
        {
            "unique_id": frame["series_id"].to_numpy(),
            "ds": pd.to_datetime(frame["period"]),
            "y": frame["value"].astype(float).to_numpy(),
        }
    )
