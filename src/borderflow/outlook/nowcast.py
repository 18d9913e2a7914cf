"""Nowcasting provisional VSRR counts, so a reporting lag is not read as a decline.

The newest VSRR months are footnoted "Underreported due to incomplete data": deaths still pending
investigation have not been coded yet. VSRR carries NCHS's own adjustment for this delay (the
``predicted`` value, built from the share of records pending investigation and past completion).
The nowcast of a 12-month-ending period is the predicted value, never below the reported count:

    nowcast = max(reported, predicted, reported × revision factor(lag))

The revision factor is how much a period's reported count grew from one VSRR release to the
next, by how many months before the older release's newest period it ended (median over
jurisdictions; ``revision_factors``). It needs two VSRR releases in the warehouse; with one, the
nowcast is max(reported, predicted) and the run says so.
Where NCHS final counts exist (calendar years, United States), ``gap_to_final`` reports how far
reported, predicted and nowcast values for the 12 months ending December were from them.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

import pandas as pd

from borderflow.metrics import Engine, Query, QueryError, get_measure
from borderflow.outlook.groups import SeriesGroup
from borderflow.outlook.series import query_group

MEASURE = "overdose_deaths_12m"
FINAL_MEASURE = "overdose_deaths_annual"
SOURCE = "cdc_vsrr"


def nowcast_frame(
    reported: pd.DataFrame, predicted: pd.DataFrame, by: tuple[str, ...]
) -> pd.DataFrame:
    """Join reported and predicted rows on (month, members); add ``nowcast`` and ``adjustment``.

    Returns the reported frame with columns ``reported``, ``predicted``, ``nowcast`` and
    ``value`` (= nowcast), so it can stand in for the reported history.
    """
    keys = ["bucket", *by]
    pred = predicted[[*keys, "value"]].rename(columns={"value": "predicted"})
    rows = reported.merge(pred, on=keys, how="left").rename(columns={"value": "reported"})
    rows["nowcast"] = rows[["reported", "predicted"]].max(axis=1)
    rows["adjustment"] = rows["nowcast"] - rows["reported"]
    rows["value"] = rows["nowcast"]
    rows.attrs.update(reported.attrs)
    return rows


def nowcast_group(
    engine: Engine,
    group: SeriesGroup,
    where: Any = None,
    as_of: date | None = None,
    cutoff: date | None = None,
) -> pd.DataFrame:
    """The group's history with the newest months nowcast (see the module docstring), as the
    record stood at ``as_of`` up to the month ``cutoff`` (None: the newest)."""
    reported = query_group(engine, group, where, "reported", as_of, cutoff)
    predicted = query_group(engine, group, where, "predicted", as_of, cutoff)
    rows = nowcast_frame(reported, predicted, group.by)
    rows.attrs["releases"] = _merge_releases(reported, predicted)
    factors = revision_factors(engine, group, where, reported, as_of)
    if factors:
        lag = _lags(rows["bucket"])
        revised = rows["reported"] * lag.map(factors).fillna(1.0).to_numpy()
        rows["nowcast"] = pd.concat([rows["nowcast"], revised], axis=1).max(axis=1)
        rows["adjustment"] = rows["nowcast"] - rows["reported"]
        rows["value"] = rows["nowcast"]
    rows.attrs["revision_factors"] = factors
    return rows


def revision_factors(
    engine: Engine,
    group: SeriesGroup,
    where: Any,
    newest: pd.DataFrame,
    as_of: date | None = None,
) -> dict[int, float]:
    """Lag (months before the older release's newest period) → median growth of the reported
    count from the previous VSRR release to the newest (of those published by ``as_of``); empty
    with fewer than two releases, or when the previous release holds none of the group's
    series."""
    vintages = [v for v in engine.vintages(SOURCE) if as_of is None or v <= as_of]
    if len(vintages) < 2:
        return {}
    try:
        older = query_group(engine, group, where, "reported", vintages[-2])
    except QueryError:  # the previous release holds none of these series (e.g. U.S. rows only)
        return {}
    keys = ["bucket", *group.by]
    both = older[[*keys, "value"]].merge(newest[[*keys, "value"]], on=keys, suffixes=("_old", ""))
    both = both[(both["value_old"] > 0) & both["value"].notna()]
    both["lag"] = _lags(both["bucket"]).to_numpy()
    both = both[both["lag"] < 12]
    ratio = (both["value"] / both["value_old"]).groupby(both["lag"]).median()
    lags = [int(k) for k in ratio.index.to_numpy()]
    return dict(zip(lags, ratio.to_numpy(dtype=float).tolist(), strict=True))


def _lags(months: pd.Series) -> pd.Series:
    """Months before the newest month in ``months`` (0 for the newest)."""
    stamps = pd.to_datetime(months)
    newest = stamps.max()
    return (newest.year - stamps.dt.year) * 12 + (newest.month - stamps.dt.month)


def _merge_releases(*frames: pd.DataFrame) -> list[dict[str, Any]]:
    seen: dict[int, dict[str, Any]] = {}
    for frame in frames:
        for rel in frame.attrs.get("releases", []):
            seen[int(rel["release_id"])] = rel
    return [seen[k] for k in sorted(seen)]


def gap_to_final(engine: Engine) -> list[dict[str, Any]]:
    """VSRR (reported, predicted, nowcast) for the 12 months ending December vs NCHS final counts.

    Both are United States synthetic-opioid (T40.4) deaths; VSRR counts by place of occurrence,
    NCHS by residence, so a small gap remains even for complete years.
    """
    final = _final_counts(engine)
    if not final:
        return []
    span = f"{min(final)}..{max(final)}"
    rep = _december_values(engine, span, "reported")
    pred = _december_values(engine, span, "predicted")
    out = []
    for year, count in sorted(final.items()):
        if year not in rep or year not in pred:
            continue
        now = max(rep[year], pred[year])
        out.append(
            {
                "year": year,
                "final": count,
                "reported": rep[year],
                "predicted": pred[year],
                "nowcast": now,
                "reported_gap_pct": 100 * (rep[year] - count) / count,
                "nowcast_gap_pct": 100 * (now - count) / count,
            }
        )
    return out


def _december_values(engine: Engine, span: str, status: str) -> dict[int, float]:
    """VSRR United States values for the 12 months ending each December of ``span``."""
    query = Query(MEASURE, span, grain="calendar_year", status=status)
    rows = engine.run(query).rows
    return {int(b.year): float(v) for b, v in zip(rows["bucket"], rows["value"], strict=True)}


def _final_counts(engine: Engine) -> dict[int, float]:
    m = get_measure(FINAL_MEASURE)
    last = engine.last_month(m, None)
    query = Query(
        FINAL_MEASURE, f"2015..{last.year}", where={"cause": ("T40.4",)}, grain="calendar_year"
    )
    rows = engine.run(query).rows
    return {int(b.year): float(v) for b, v in zip(rows["bucket"], rows["value"], strict=True)}


def revisions(engine: Engine, group: SeriesGroup) -> dict[str, Any]:
    """What the warehouse says about revisions between VSRR releases, for the run's report."""
    vintages = engine.vintages(SOURCE)
    if len(vintages) < 2:
        return {
            "vsrr_releases": len(vintages),
            "note": "The warehouse holds one VSRR release, so revisions between releases cannot "
            "be measured; the nowcast relies on NCHS's predicted values (its delay adjustment).",
        }
    newest = query_group(engine, group, None, "reported")
    return {
        "vsrr_releases": len(vintages),
        "compared": [vintages[-2].isoformat(), vintages[-1].isoformat()],
        "growth_by_lag": revision_factors(engine, group, None, newest),
        "note": "nowcast = max(reported, predicted, reported × growth by lag)",
    }


def scored_on_revisions(engine: Engine, group: SeriesGroup, months: int = 12) -> dict[str, Any]:
    """Each VSRR release's newest ``months`` periods as it stood (reported, NCHS predicted and
    the nowcast made from it) against the next release's reported value for the same periods.

    Returns ``rows`` (one per release pair × period: values and errors in percent of the later
    value) and ``summary`` (mean absolute percent error of reported, predicted and nowcast, per
    release pair); empty when the warehouse holds fewer than two VSRR releases with the group.
    """
    vintages = engine.vintages(SOURCE)
    rows: list[dict[str, Any]] = []
    for older, newer in pairwise(vintages):
        try:
            then = nowcast_group(engine, group, None, older)
            later = query_group(engine, group, None, "reported", newer)
        except QueryError:  # one of the releases holds none of the group's series
            continue
        keys = ["bucket", *group.by]
        then = then.dropna(subset=["reported"])
        then = then.assign(lag=_lags(then["bucket"]).to_numpy())
        then = then[then["lag"] < months]
        both = then.merge(later[[*keys, "value"]].rename(columns={"value": "later"}), on=keys)
        for r in both.to_dict(orient="records"):
            rows.append(
                {
                    "release": older.isoformat(),
                    "later_release": newer.isoformat(),
                    "period": f"{r['bucket']:%Y-%m}",
                    "lag": int(r["lag"]),
                    "later": float(r["later"]),
                    **{k: float(r[k]) for k in ("reported", "predicted", "nowcast")},
                    **{
                        f"{k}_error_pct": 100 * (float(r[k]) - r["later"]) / r["later"]
                        for k in ("reported", "predicted", "nowcast")
                    },
                }
            )
    return {"rows": rows, "summary": _revision_summary(rows)}


def _revision_summary(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not rows:
        return []
    frame = pd.DataFrame(rows)
    out = []
    for (older, newer), part in frame.groupby(["release", "later_release"], sort=True):
        latest = part[part["lag"] == 0]
        out.append(
            {
                "release": older,
                "later_release": newer,
                "periods": len(part),
                **{
                    f"{k}_mape": float(part[f"{k}_error_pct"].abs().mean())
                    for k in ("reported", "predicted", "nowcast")
                },
                **{
                    f"latest_{k}_error_pct": float(latest[f"{k}_error_pct"].iloc[0])
                    for k in ("reported", "predicted", "nowcast")
                    if not latest.empty
                },
            }
        )
    return out
