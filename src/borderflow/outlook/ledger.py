"""The forecast ledger: every forecast kept with the releases it read, scored once the outcome is
published, so skill is measured on forecasts made before the outcome was known.

- **Stored runs** add their forecasts (kind ``run``) when ``store_outlook_run`` stores them.
- **Replays** (kind ``replay``) backfill the ledger from the releases in the warehouse: for each
  release of a key series' source that a later release superseded, the forecast is re-made from
  each of its last ``origins`` months, reading the record as it stood on that release's
  publication date (``as_of``) — the December CBP release for the seizure series (scored by the
  April release), the earlier VSRR release for the deaths series (scored by the later one). A
  series published in one release only (VSRR's all-drug counts) is replayed from months that
  release itself scores (kind ``replay, same release``): a backtest, not a vintage test.
- **Scoring** (``score_ledger``, run by ``borderflow update`` after a new release and by
  ``borderflow outlook --ledger``) fills the outcome of every row whose month is now published,
  from the newest record, and keeps it.

The summary (``ledger_summary``) gives per series the origins and months scored, MAE against the
naive and seasonal naive point forecasts made at the same origin, CRPS and 80%/95% coverage.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from borderflow.metrics import Engine, QueryError, get_measure
from borderflow.metrics.periods import add_months
from borderflow.outlook.groups import SeriesGroup, get_group
from borderflow.outlook.models import LEVELS
from borderflow.outlook.run import OutlookRun, load_whole_group, run_outlook
from borderflow.outlook.scores import crps_from_quantiles, mase_scale
from borderflow.warehouse import Warehouse, sql

RUN, REPLAY, SAME_RELEASE = "run", "replay", "replay, same release"


@dataclass(frozen=True)
class Replay:
    """Key series replayed from past releases: the groups, the filter, the source whose
    releases are the vintages."""

    groups: tuple[str, ...]
    source: str
    where: dict[str, tuple[str, ...]]


#: What the backfill replays (the key series of docs/outlook.md).
REPLAYS: tuple[Replay, ...] = (
    Replay(("cbp_lb_drug", "cbp_lb_region", "cbp_lb_component"), "cbp_nationwide",
           {"drug": ("Fentanyl", "Methamphetamine")}),
    Replay(("vsrr_us",), "cdc_vsrr", {}),
    Replay(("vsrr_all_us",), "cdc_vsrr", {}),
)  # fmt: skip


# -- rows -----------------------------------------------------------------------------------


def ledger_rows(run: OutlookRun, kind: str, run_id: int | None = None) -> pd.DataFrame:
    """The run's forecasts as ledger rows: quantiles, horizon, the naive and seasonal naive point
    forecasts from the same origin, the series' MASE scale, and the releases read."""
    if run.forecasts.empty:
        return pd.DataFrame(columns=list(sql.LEDGER_COLUMNS))
    fc = run.forecasts
    period = [date(d.year, d.month, 1) for d in pd.to_datetime(fc["period_end"])]
    rows = pd.DataFrame(
        {
            "run_id": run_id,
            "kind": kind,
            "as_of": run.params.get("as_of"),
            "releases": json.dumps(sorted(int(r["release_id"]) for r in run.releases)),
            "series_id": fc["series_id"].to_numpy(),
            "group_name": fc["group_name"].to_numpy(),
            "measure": fc["measure"].to_numpy(),
            "unit": fc["unit"].to_numpy(),
            "model": fc["model"].to_numpy(),
            "period": period,
            "mean": fc["mean"].to_numpy(dtype=float),
        }
    )
    for lv in LEVELS:
        rows[f"lo{lv}"] = fc[f"lo{lv}"].to_numpy(dtype=float)
        rows[f"hi{lv}"] = fc[f"hi{lv}"].to_numpy(dtype=float)
    baselines = _baselines(run, rows)
    rows = rows.merge(baselines, on=["series_id", "period"], how="left")
    if rows["as_of"].notna().any():
        rows["as_of"] = pd.to_datetime(rows["as_of"]).dt.date
    return rows[list(sql.LEDGER_COLUMNS)]


def _baselines(run: OutlookRun, rows: pd.DataFrame) -> pd.DataFrame:
    """Per (series, month): origin, horizon, naive and seasonal naive point forecasts, scale."""
    out = []
    for name, history in run.history.items():
        m = get_group(name).season_length
        wanted = rows[rows["group_name"] == name]
        for sid, part in history[history["series_id"].isin(wanted["series_id"])].groupby(
            "series_id", sort=False
        ):
            values = part.dropna(subset=["value"]).sort_values("period")
            if values.empty:
                continue
            y = values["value"].to_numpy(dtype=float)
            origin = values["period"].iloc[-1]
            by_month = dict(zip(values["period"], y, strict=True))
            for target in wanted.loc[wanted["series_id"] == sid, "period"]:
                h = _months_between(origin, target)
                season = add_months(target, -m * ((h - 1) // m + 1))
                out.append(
                    {
                        "series_id": sid,
                        "period": target,
                        "origin": origin,
                        "horizon": h,
                        "naive": float(y[-1]),
                        "seasonal_naive": by_month.get(season, np.nan),
                        "scale": mase_scale(y, m),
                    }
                )
    return pd.DataFrame(
        out,
        columns=["series_id", "period", "origin", "horizon", "naive", "seasonal_naive", "scale"],
    )


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def record_run(con: Any, run: OutlookRun, kind: str = RUN, run_id: int | None = None) -> int:
    """Add the run's forecasts to the ledger inside the caller's transaction; rows added."""
    rows = ledger_rows(run, kind, run_id)
    if rows.empty:
        return 0
    con.register("new_ledger", rows)
    try:
        con.execute(sql.insert_ledger("new_ledger"))
    finally:
        con.unregister("new_ledger")
    return len(rows)


# -- scoring --------------------------------------------------------------------------------


def outcomes(engine: Engine) -> pd.DataFrame:
    """The newest published value of every (series, month) the ledger waits for, with the
    release it came from (``series_id, period, actual, scored_release_id``)."""
    waiting = engine.store.ledger_unscored()
    frames = []
    for name, part in waiting.groupby("group_name", sort=True):
        try:
            data = load_whole_group(engine, get_group(str(name)))
        except QueryError:  # the source is no longer in the warehouse
            continue
        m = get_measure(data.group.measure)
        release = _newest_release(data.releases, m.source)
        values = data.frame.dropna(subset=["value"])[["series_id", "period", "value"]]
        wanted = part.assign(period=pd.to_datetime(part["period"]).dt.date)
        got = wanted.merge(values, on=["series_id", "period"])
        frames.append(
            pd.DataFrame(
                {
                    "series_id": got["series_id"],
                    "period": got["period"],
                    "actual": got["value"].astype(float),
                    "scored_release_id": release,
                }
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _newest_release(releases: list[dict[str, Any]], source: str) -> int | None:
    mine = [r for r in releases if r["source"] == source] or releases
    if not mine:
        return None
    return int(max(mine, key=lambda r: (str(r["vintage"]), r["release_id"]))["release_id"])


def score_ledger(warehouse: Warehouse) -> int:
    """Score every ledger row whose month is now published; rows newly scored."""
    with Engine.over(warehouse) as engine:
        if not engine.store.has_table("forecast_ledger"):
            return 0
        found = outcomes(engine)
    if found.empty:
        return 0
    with warehouse.transaction() as con:
        con.register("ledger_outcomes", found)
        try:
            row = con.execute(sql.score_ledger("ledger_outcomes")).fetchone()
        finally:
            con.unregister("ledger_outcomes")
    return int(row[0]) if row else 0


# -- backfill -------------------------------------------------------------------------------


def replay_plan(
    engine: Engine, replay: Replay, origins: int, horizon: int
) -> list[tuple[str, date, date]]:
    """(kind, as_of, cut-off month) of every replay: the last ``origins`` months of the newest
    release a later one superseded (the December CBP file, the earlier VSRR file); of the only
    release when there is one. Older releases are not replayed: the CBP files before December
    2025 end in 2022 and 2023, too early to backtest a model from October 2018."""
    group = get_group(replay.groups[0])
    lasts: dict[date, date] = {}
    for vintage in engine.vintages(replay.source):
        try:
            lasts[vintage] = _last_month(engine, group, vintage)
        except QueryError:  # the release holds none of these series
            continue
    newest = max(lasts.values(), default=None)
    if newest is None:
        return []
    plan = []
    superseded = {}
    for vintage, last in sorted(lasts.items()):
        if last < newest:
            superseded[last] = vintage  # the newest vintage that ends in that month
    if superseded:
        last = max(superseded)
        plan = [(REPLAY, superseded[last], add_months(last, -i)) for i in reversed(range(origins))]
    if not plan:  # one release: replay from months it scores itself
        vintage = max(lasts)
        plan = [(SAME_RELEASE, vintage, add_months(newest, -horizon - i))
                for i in reversed(range(origins))]  # fmt: skip
    return plan


def _last_month(engine: Engine, group: SeriesGroup, as_of: date) -> date:
    data = load_whole_group(engine, group, as_of=as_of)
    return max(data.frame.dropna(subset=["value"])["period"])


def backfill(
    warehouse: Warehouse,
    *,
    origins: int = 6,
    horizon: int = 6,
    replays: tuple[Replay, ...] = REPLAYS,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Replay past cut-offs of the key series into the ledger, then score it.

    Returns:
        ``replays`` (kind, as_of, cut-off, groups, rows) and ``scored`` (rows newly scored).
    """
    say = progress or (lambda text: None)
    done = []
    for replay in replays:
        with Engine.over(warehouse) as engine:
            plan = replay_plan(engine, replay, origins, horizon)
        for kind, as_of, cutoff in plan:
            say(f"replaying {', '.join(replay.groups)} from {cutoff:%Y-%m} as of {as_of}")
            with Engine.over(warehouse) as engine:
                run = run_outlook(engine, measures=None, where=replay.where or None,
                                  horizon=horizon, as_of=as_of, cutoff=cutoff,
                                  groups=replay.groups)  # fmt: skip
            with warehouse.transaction() as con:
                for name in replay.groups:
                    con.execute(sql.DELETE_LEDGER_REPLAY, [kind, as_of, cutoff, name])
                added = record_run(con, run, kind)
            done.append({"kind": kind, "as_of": as_of.isoformat(), "cutoff": f"{cutoff:%Y-%m}",
                         "groups": list(replay.groups), "rows": added})  # fmt: skip
    return {"replays": done, "scored": score_ledger(warehouse)}


# -- the track record -----------------------------------------------------------------------


def ledger_summary(ledger: pd.DataFrame) -> pd.DataFrame:
    """Per series and kind: origins and rows scored, MAE against naive and seasonal naive (same
    origins, same months), CRPS, 80%/95% coverage; scored rows only."""
    scored = ledger[ledger["actual"].notna()] if not ledger.empty else ledger
    if scored.empty:
        return pd.DataFrame()
    scored = scored.assign(crps=_crps(scored))
    lines = []
    for (sid, kind), part in scored.groupby(["series_id", "kind"], sort=True):
        y, mean = part["actual"].to_numpy(float), part["mean"].to_numpy(float)
        mae = float(np.mean(np.abs(y - mean)))
        naive = float(np.mean(np.abs(y - part["naive"].to_numpy(float))))
        both = part.dropna(subset=["seasonal_naive"])
        snaive = float(np.mean(np.abs(both["actual"] - both["seasonal_naive"])))
        lines.append(
            {
                "series_id": sid,
                "kind": kind,
                "origins": int(part["origin"].nunique()),
                "first_origin": f"{min(part['origin']):%Y-%m}",
                "last_origin": f"{max(part['origin']):%Y-%m}",
                "rows": len(part),
                "mae": mae,
                "mae_vs_naive": mae / naive if naive else float("nan"),
                "mae_vs_snaive": float(np.mean(np.abs(both["actual"] - both["mean"]))) / snaive
                if snaive
                else float("nan"),
                "crps": float(part["crps"].mean()),
                "cov80": float(((y >= part["lo80"]) & (y <= part["hi80"])).mean()),
                "cov95": float(((y >= part["lo95"]) & (y <= part["hi95"])).mean()),
            }
        )
    return pd.DataFrame(lines)


def _crps(rows: pd.DataFrame) -> np.ndarray:
    taus, cols = [0.5], ["mean"]
    for lv in LEVELS:
        alpha = (100 - lv) / 200
        taus += [alpha, 1 - alpha]
        cols += [f"lo{lv}", f"hi{lv}"]
    order = np.argsort(taus)
    q = rows[cols].to_numpy(dtype=float)[:, order]
    return crps_from_quantiles(rows["actual"].to_numpy(float), np.asarray(taus)[order], q)


def ledger_report(
    warehouse: Warehouse,
    *,
    replay: bool = False,
    origins: int = 6,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Score the ledger (after replaying past cut-offs when ``replay``) and summarise it, with
    the nowcast scored on the VSRR revisions beside NCHS's predicted values.

    Returns:
        ``summary`` (``ledger_summary`` rows), ``scored`` (rows newly scored), ``backfill``
        (what was replayed, when asked) and ``nowcast`` (``nowcast.scored_on_revisions``).
    """
    from borderflow.outlook import nowcast

    report: dict[str, Any] = {}
    if replay:
        report["backfill"] = backfill(warehouse, origins=origins, progress=progress)
        report["scored"] = report["backfill"]["scored"]
    else:
        report["scored"] = score_ledger(warehouse)
    with Engine.over(warehouse) as engine:
        summary = ledger_summary(engine.store.forecast_ledger())
        try:
            report["nowcast"] = nowcast.scored_on_revisions(engine, get_group("vsrr_us"))
        except QueryError as exc:  # no VSRR data in this warehouse
            report["nowcast"] = {"rows": [], "summary": [], "note": str(exc)}
    report["summary"] = [
        {k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in r.items()}
        for r in summary.to_dict(orient="records")
    ]
    return report


def track_record(engine: Engine, series_ids: list[str] | None = None) -> pd.DataFrame:
    """The ledger's scored forecasts summarised per series and kind (``ledger_summary``), for
    the series named (default: every series); empty when nothing is scored."""
    summary = ledger_summary(engine.store.forecast_ledger())
    if summary.empty or series_ids is None:
        return summary
    return summary[summary["series_id"].isin(series_ids)].reset_index(drop=True)
