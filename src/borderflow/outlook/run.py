"""``run_outlook``: pull every group's series, backtest, choose, forecast — one run.

A run reads the metrics layer only (VSRR through the nowcast) and stores nothing:
``store_outlook_run`` (``outlook/store.py``) writes it to the warehouse. ``OutlookRun.to_dict()``
is what ``borderflow outlook --json`` prints.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

import pandas as pd

from borderflow.metrics import Engine, QueryError, get_measure
from borderflow.metrics.periods import add_months
from borderflow.outlook import nowcast
from borderflow.outlook.backtest import SELECTED, GroupBacktest, backtest_group
from borderflow.outlook.forecast import SeriesOutcome, forecast_group, judge_group, usable_history
from borderflow.outlook.groups import OutlookError, SeriesGroup, get_group, select_groups
from borderflow.outlook.models import interval_columns
from borderflow.outlook.reconcile import evaluate, ols_reconcile
from borderflow.outlook.select import Choice
from borderflow.outlook.series import (
    GroupData,
    frame_group,
    load_group,
    series_id,
    to_panel,
    zero_share,
)

#: The model used for a group when no backtest is run.
DEFAULT_MODEL = "theta"
#: AutoARIMA is slow (≈1 s a series in a 12-origin backtest here): it competes only in groups
#: this small (on cbp_lb_drug it scored CRPS 0.382 vs Theta's 0.378 and took 11 s vs 0.5 s).
ARIMA_MAX_SERIES = 3
#: Series per group in the backtest (a seeded sample in larger groups), for the time budget.
MAX_BACKTEST_SERIES = 40
#: ETS forms that do not extrapolate a broken trend: damped trend, and level only.
TREND_BREAK_MODELS = ("damped_ets", "local_level")
Progress = Callable[[int, int], None]


@dataclass
class OutlookRun:
    """One outlook run: what was asked, what was read, how each group and series was forecast.

    ``run_id`` is None until ``store_outlook_run`` stores the run.
    """

    run_id: int | None
    started_at: datetime
    seconds: float
    params: dict[str, Any]
    releases: list[dict[str, Any]]
    groups: dict[str, dict[str, Any]]
    outcomes: list[SeriesOutcome]
    nowcast: dict[str, Any] = field(default_factory=dict)
    forecasts: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    backtests: dict[str, GroupBacktest] = field(default_factory=dict, repr=False)
    history: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def summary(self) -> dict[str, Any]:
        return {"groups": self.groups, "nowcast": self.nowcast}

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "seconds": round(self.seconds, 2),
            "params": self.params,
            "releases": self.releases,
            "groups": self.groups,
            "nowcast": self.nowcast,
            "series": [o.__dict__ for o in self.outcomes],
            "forecasts": self.forecast_records(),
        }

    def forecast_records(self) -> list[dict[str, Any]]:
        """The forecasts as plain rows: series, month, point, 80% and 95% bounds, model."""
        if self.forecasts.empty:
            return []
        cols = ["series_id", "period_end", "mean", "lo80", "hi80", "lo95", "hi95", "model"]
        rows = self.forecasts[cols].rename(columns={"period_end": "period"})
        rows = rows.assign(period=[f"{d:%Y-%m}" for d in rows["period"]])
        return [{str(k): v for k, v in r.items()} for r in rows.to_dict(orient="records")]


def run_outlook(
    engine: Engine,
    *,
    measures: Sequence[str] | None = None,
    where: dict[str, tuple[str, ...]] | None = None,
    horizon: int = 6,
    backtest: bool = True,
    progress: Progress | None = None,
    as_of: date | None = None,
    cutoff: date | None = None,
    groups: Sequence[str] | None = None,
) -> OutlookRun:
    """Forecast every series of the selected groups; nothing is stored.

    Args:
        engine: the metrics engine every number is read through.
        measures: forecast only the groups of these measures (default: every group).
        where: dimension → stored members to forecast.
        horizon: months ahead, 1 to 24.
        backtest: backtest the candidate models and choose one per group.
        progress: called with (groups done, groups) after each group.
        as_of: read the record as it stood on this date (a replay of a past forecast; None:
            the newest record).
        cutoff: forecast from this month (the record's later months are not read; None: the
            newest month).
        groups: forecast only these series groups (by name; default: the measures' groups).

    Returns:
        The run, with ``run_id`` None: ``store_outlook_run`` stores it.

    Raises:
        OutlookError: a bad horizon or filter, or nothing that can be forecast.
    """
    if not 1 <= horizon <= 24:
        raise OutlookError(f"--horizon must be between 1 and 24 months, not {horizon}.")
    started, clock = datetime.now(), time.perf_counter()
    chosen = _groups(measures, where)
    if groups:
        chosen = tuple(g for g in chosen if g.name in set(groups)) or tuple(
            get_group(name) for name in groups
        )
    params = {
        "measures": list(measures or []),
        "where": {k: list(v) for k, v in (where or {}).items()},
        "horizon": horizon,
        "backtest": backtest,
        "groups": [g.name for g in chosen],
        **({"as_of": as_of.isoformat()} if as_of else {}),
        **({"cutoff": cutoff.isoformat()} if cutoff else {}),
    }
    skipped: dict[str, str] = {}
    read = _Read(engine, as_of, cutoff)
    work = _forecast_all(read, chosen, where, horizon, backtest, progress, skipped)
    if not work:
        raise OutlookError("nothing to forecast: " + "; ".join(skipped.values()))
    coherence = _reconcile(work)
    run = OutlookRun(None, started, 0.0, params, _releases(work), {}, [],
                     _nowcast_report(engine, work))  # fmt: skip
    _collect(run, work)
    for name, report in coherence.items():
        run.groups[name]["reconciliation"] = report
    _mark_skipped(run, chosen, skipped)
    run.seconds = time.perf_counter() - clock
    return run


def _mark_skipped(
    run: OutlookRun, groups: tuple[SeriesGroup, ...], skipped: dict[str, str]
) -> None:
    measure_of = {g.name: g.measure for g in groups}
    for name, reason in skipped.items():
        run.groups[name] = {
            "measure": measure_of[name],
            "model": None,
            "skipped": reason,
            "series": 0,
            "outcomes": {},
        }


def _groups(
    measures: Sequence[str] | None, where: dict[str, tuple[str, ...]] | None
) -> tuple[SeriesGroup, ...]:
    groups = select_groups(tuple(measures) if measures else None)
    dims = set(where or {})
    # A filter picks series of the groups that break its dimensions down; a group that does
    # not (cbp_lb_drug for region=…, vsrr_us for us_state=…) is left out: its series are other
    # series, and the caller's members are forecast by the group that breaks them down.
    kept = tuple(g for g in groups if dims <= set(g.by))
    if not kept:
        raise OutlookError(
            f"no forecast series group has the dimension(s) {', '.join(sorted(dims))}; "
            "`borderflow measures` lists each measure's dimensions."
        )
    return kept


@dataclass
class _GroupWork:
    data: GroupData
    backtest: GroupBacktest | None
    model: str
    rows: pd.DataFrame
    outcomes: list[SeriesOutcome]


@dataclass(frozen=True)
class _Read:
    """Where a run reads its series: the engine, and the record's date and last month."""

    engine: Engine
    as_of: date | None = None
    cutoff: date | None = None

    def group(self, group: SeriesGroup) -> GroupData:
        """The whole group: what a series is forecast with never depends on the run's filter."""
        if group.measure == nowcast.MEASURE:
            rows = nowcast.nowcast_group(self.engine, group, None, self.as_of, self.cutoff)
            return frame_group(group, rows)
        return load_group(self.engine, group, None, self.as_of, self.cutoff)


def _forecast_all(
    read: _Read,
    groups: tuple[SeriesGroup, ...],
    where: dict[str, tuple[str, ...]] | None,
    horizon: int,
    backtest: bool,
    progress: Progress | None,
    skipped: dict[str, str],
) -> list[_GroupWork]:
    """Load, judge, backtest and forecast each group; groups that cannot be read go to
    ``skipped`` with the reason."""
    work = []
    for i, group in enumerate(groups):
        try:
            whole = read.group(group)
        except QueryError as exc:  # e.g. the source is not ingested: the other groups go on
            skipped[group.name] = str(exc)
            continue
        try:
            data = subset(whole, where)
        except OutlookError as exc:
            skipped[group.name] = str(exc)
            continue
        verdicts = judge_group(whole)
        bt = _backtest(whole, verdicts, horizon) if backtest else None
        asked = {s: v for s, v in verdicts.items() if s in data.dims}
        plan = bt.choice_for if bt is not None and bt.scores else _default_plan
        rows, outcomes = forecast_group(data, asked, plan, horizon)
        model = bt.chosen if bt is not None and bt.scores else DEFAULT_MODEL
        work.append(_GroupWork(data, bt, model, rows, outcomes))
        if progress is not None:
            progress(i + 1, len(groups))
    return work


def _default_plan(series_id: str) -> Choice:
    return Choice(DEFAULT_MODEL)


def subset(data: GroupData, where: dict[str, tuple[str, ...]] | None) -> GroupData:
    """The group's series whose members match ``where`` (the whole group when None)."""
    if not where:
        return data
    keep = {
        sid
        for sid, dims in data.dims.items()
        if all(dims.get(dim) in members for dim, members in where.items())
    }
    if not keep:
        asked = "; ".join(f"{d}={','.join(m)}" for d, m in where.items())
        raise OutlookError(f"no {data.group.name} series matches {asked}.")
    frame = data.frame[data.frame["series_id"].isin(keep)].reset_index(drop=True)
    return replace(
        data,
        frame=frame,
        dims={s: d for s, d in data.dims.items() if s in keep},
        unit={s: u for s, u in data.unit.items() if s in keep},
    )


def load_whole_group(
    engine: Engine, group: SeriesGroup, as_of: date | None = None, cutoff: date | None = None
) -> GroupData:
    """The whole group as a run reads it (VSRR through the nowcast), as the record stood at
    ``as_of`` up to ``cutoff`` (None: the newest)."""
    return _Read(engine, as_of, cutoff).group(group)


def _load(engine: Engine, group: SeriesGroup) -> GroupData:
    """The whole group, newest record."""
    return load_whole_group(engine, group)


def _backtest(data: GroupData, verdicts: Any, horizon: int) -> GroupBacktest:
    panel = to_panel(usable_history(data, verdicts, "model"))
    g = data.group
    return backtest_group(
        g.name,
        panel,
        candidates(g, panel),
        season_length=g.season_length,
        min_length=g.min_length,
        h=horizon,
        max_series=MAX_BACKTEST_SERIES,
        calibration=g.calibration,
    )


def candidates(group: SeriesGroup, panel: pd.DataFrame) -> list[str]:
    """Models that compete in a group: ETS and Theta always; the damped-trend and local-level
    ETS forms (trend-break candidates) where the group says so (``trend_break``: the CBP pounds
    groups); intermittent-demand models when many months are zero; AutoARIMA only in small
    groups (it is slow).

    On the tuning origins (``benchmarks/outlook.py --tune``) the trend-break candidates cut
    fentanyl's scaled MAE from 0.77× to 0.74× naive but doubled the VSRR T40.4 series' (0.30× →
    0.58×); elsewhere they were not tuned, and they cost two more ETS fits a series."""
    names = ["auto_ets", "theta"]
    if group.trend_break:
        names[1:1] = TREND_BREAK_MODELS
    if zero_share(panel["y"]) >= group.sparse_share / 3:
        names += ["croston", "tsb", "adida"]
    if 0 < panel["unique_id"].nunique() <= ARIMA_MAX_SERIES:
        names.append("auto_arima")
    return names


def _reconcile(work: list[_GroupWork]) -> dict[str, dict[str, Any]]:
    """OLS-reconcile each group with its parent group where the backtest says it helps."""
    by_name = {w.data.group.name: w for w in work}
    reports = {}
    for child in work:
        link = child.data.group.parent
        if link is None or link[0] not in by_name:
            continue
        parent = by_name[link[0]]
        parent_of = _parent_ids(child.data, parent.data, link[1])
        report = _reconcile_report(parent, child, parent_of)
        if report.get("applied"):
            keys = ["ds"]
            parent.rows, child.rows = ols_reconcile(parent.rows, child.rows, parent_of, keys)
            _mark_reconciled(parent, child)
        reports[child.data.group.name] = report
    return reports


def _parent_ids(child: GroupData, parent: GroupData, dim: str) -> dict[str, str]:
    out = {}
    for sid, dims in child.dims.items():
        pid = series_id(child.group.measure, {k: v for k, v in dims.items() if k != dim})
        if pid in parent.dims:
            out[sid] = pid
    return out


def _reconcile_report(
    parent: _GroupWork, child: _GroupWork, parent_of: dict[str, str]
) -> dict[str, Any]:
    pb, cb = parent.backtest, child.backtest
    if not parent_of:
        return {"applied": False, "reason": "the parts do not name their total's members"}
    if pb is None or cb is None or not pb.evaluation or not cb.evaluation:
        return {"applied": False, "reason": "not evaluated: too little history to backtest"}
    if pb.series < pb.eligible or cb.series < cb.eligible:
        return {"applied": False, "reason": "not evaluated: backtest missing or on a sample"}
    scales = pd.concat([pb.scales, cb.scales])
    report = evaluate(pb.evaluation[SELECTED], cb.evaluation[SELECTED], parent_of, scales)
    report["applied"] = report["reconciled_crps"] < report["base_crps"]
    return report


def _mark_reconciled(*works: _GroupWork) -> None:
    for w in works:
        w.outcomes = [
            SeriesOutcome(o.series_id, o.model, (o.reason + "; OLS-reconciled").lstrip("; "),
                          o.months) if o.model else o
            for o in w.outcomes
        ]  # fmt: skip


def _nowcast_report(engine: Engine, work: list[_GroupWork]) -> dict[str, Any]:
    vsrr = [w for w in work if w.data.group.measure == nowcast.MEASURE]
    if not vsrr:
        return {}
    frame = vsrr[0].data.frame
    try:
        gaps = nowcast.gap_to_final(engine)
    except QueryError as exc:  # no NCHS final counts in this warehouse
        gaps = [{"note": str(exc)}]
    return {
        "method": "max(reported, CDC predicted, reported × growth between releases by lag)",
        "gap_to_final": gaps,
        "revisions": nowcast.revisions(engine, vsrr[0].data.group),
        "latest": str(max(frame["period"])),
    }


def _releases(work: list[_GroupWork]) -> list[dict[str, Any]]:
    seen: dict[int, dict[str, Any]] = {}
    for w in work:
        for rel in w.data.releases:
            seen[int(rel["release_id"])] = rel
    return [seen[k] for k in sorted(seen)]


def _collect(run: OutlookRun, work: list[_GroupWork]) -> None:
    frames = []
    for w in work:
        g = w.data.group
        counts = pd.Series([o.model or "not forecast" for o in w.outcomes]).value_counts()
        run.groups[g.name] = {
            "measure": g.measure,
            "description": g.description,
            "model": w.model,
            "chosen_by": "backtest" if w.backtest is not None else f"default ({DEFAULT_MODEL})",
            "series": len(w.outcomes),
            "outcomes": {str(k): int(v) for k, v in counts.items()},
            "backtest": w.backtest.to_dict() if w.backtest is not None else None,
        }
        run.outcomes.extend(w.outcomes)
        if w.backtest is not None:
            run.backtests[g.name] = w.backtest
        run.history[g.name] = w.data.frame
        if not w.rows.empty:
            frames.append(_shape(w))
    run.forecasts = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _shape(w: _GroupWork) -> pd.DataFrame:
    """Forecast rows in the stored shape: periods like observations, dimensions as columns."""
    g, data = w.data.group, w.data
    m = get_measure(g.measure)
    rows = w.rows.rename(columns={"unique_id": "series_id", **_BOUNDS})
    month = pd.to_datetime(rows["ds"]).dt.date
    rows["period_end"] = (pd.to_datetime(rows["ds"]) + pd.offsets.MonthEnd(0)).dt.date
    rolling = m.temporal == "rolling"
    rows["period_start"] = [add_months(d, -11) for d in month] if rolling else month
    rows["period_type"] = "12_month_ending" if rolling else "month"
    rows["group_name"], rows["measure"], rows["stored_measure"] = g.name, g.measure, m.stored
    rows["unit"] = rows["series_id"].map(data.unit)
    rows["release_id"] = _newest_release(data, m.source)
    dims = pd.DataFrame([data.dims[s] for s in rows["series_id"]], index=rows.index)
    rows = pd.concat([rows, dims], axis=1)
    rows["dims_key"] = [",".join(sorted(data.dims[s])) for s in rows["series_id"]]
    keep = ["series_id", "group_name", "measure", "stored_measure", "unit", "model",
            "period_type", "period_start", "period_end", "mean", "lo80", "hi80", "lo95", "hi95",
            "release_id", "dims_key", *dims.columns]  # fmt: skip
    grid = [c for c in _BOUNDS.values() if c not in keep]  # the quantiles the ledger keeps
    return rows[[*keep, *grid]]


#: Interval bound columns as stored (``lo80``) from the models' names (``lo-80``).
_BOUNDS = {c: c.replace("-", "") for c in interval_columns()}


def _newest_release(data: GroupData, source: str) -> int:
    rels = [r for r in data.releases if r["source"] == source] or data.releases
    return int(max(rels, key=lambda r: (r["vintage"], r["release_id"]))["release_id"])
