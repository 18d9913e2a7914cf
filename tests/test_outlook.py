"""The outlook: the forecaster contract, scores solved by hand, backtests, the nowcast, storage.

Real series come from the session warehouse; expected values are recomputed from the CSVs with
the csv module. Synthetic series appear only where an outcome must be forced (too short, all
zeros, a gap) or a score solved by hand.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections import defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from borderflow.cli import app
from borderflow.metrics import Engine, Query, QueryError
from borderflow.metrics.periods import add_months
from borderflow.outlook import (
    OutlookRun,
    fan_chart,
    latest_forecasts,
    run_outlook,
    store_outlook_run,
)
from borderflow.outlook.backtest import backtest_group
from borderflow.outlook.forecast import forecast_group, judge_group
from borderflow.outlook.groups import OutlookError, get_group
from borderflow.outlook.models import LEVELS, REGISTRY, interval_columns
from borderflow.outlook.nowcast import gap_to_final, nowcast_group
from borderflow.outlook.reconcile import ols_reconcile
from borderflow.outlook.scores import crps_from_quantiles, interval_score, mase_scale
from borderflow.outlook.series import GroupData, load_group, to_panel
from borderflow.warehouse import Warehouse
from borderflow.warehouse.ingest import IngestReport
from conftest import MIRROR
from reference import cbp_current_rows, cbp_last_month, cbp_month_start, vsrr_files, vsrr_value

VSRR = MIRROR / "cdc_vsrr" / "vsrr_t40_4_synthetic_opioids_state_12mo_ending_2015-01_to_2026-01.csv"
SW_FENTANYL = "seized_lb|drug=Fentanyl|region=Southwest Border"
LAST = cbp_last_month()


@pytest.fixture(scope="module")
def region_lb(engine: Engine) -> GroupData:
    return load_group(engine, get_group("cbp_lb_region"), {"drug": ("Fentanyl", "Cocaine")})


def csv_monthly(drug: str, region: str) -> dict[date, float]:
    """Pounds by calendar month straight from the CBP files (each month from the newest window
    covering it)."""
    totals: dict[date, float] = defaultdict(float)
    for row in cbp_current_rows():
        if row["Drug Type"] == drug and row["Region"] == region:
            totals[cbp_month_start(row)] += float(row["Sum Qty (lbs)"])
    return dict(totals)


def real_panel(data: GroupData) -> pd.DataFrame:
    return to_panel(data.frame)


# -- the forecaster contract -----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_forecaster_keeps_the_contract(name: str, region_lb: GroupData) -> None:
    panel = real_panel(region_lb)
    panel = panel[panel["unique_id"].str.contains("Southwest|Northern")]
    forecaster = REGISTRY[name]
    first = forecaster.forecast(panel, 6, 12)
    again = forecaster.forecast(panel, 6, 12)
    assert len(first) == 6 * panel["unique_id"].nunique() == 24
    assert list(first.columns) == ["unique_id", "ds", "mean", *interval_columns()]
    assert first["ds"].min() == pd.Timestamp(add_months(LAST, 1))  # 2026-01 with the Dec release
    assert first["ds"].max() == pd.Timestamp(add_months(LAST, 6))
    values = first[["mean", *interval_columns()]].to_numpy(dtype=float)
    assert np.isfinite(values).all()
    ordered = [f"lo-{lv}" for lv in reversed(LEVELS)] + ["mean"] + [f"hi-{lv}" for lv in LEVELS]
    assert (np.diff(first[ordered].to_numpy(dtype=float), axis=1) >= -1e-9).all()
    pd.testing.assert_frame_equal(first, again)
    bt = forecaster.backtest(panel, 6, 12, 3)
    assert len(bt) == 4 * 3 * 6 and bt["cutoff"].nunique() == 3
    assert np.isfinite(bt[["mean", *interval_columns()]].to_numpy(dtype=float)).all()


def test_series_values_equal_the_csv_sums(region_lb: GroupData) -> None:
    expected = csv_monthly("Fentanyl", "Southwest Border")
    series = region_lb.frame[region_lb.frame["series_id"] == SW_FENTANYL].set_index("period")
    for month, pounds in expected.items():
        assert series.loc[month, "value"] == pytest.approx(pounds)
    assert region_lb.last == LAST


# -- scores, solved by hand ------------------------------------------------------------------


def test_crps_of_a_point_forecast_is_the_absolute_error() -> None:
    taus = np.array([0.025, 0.1, 0.5, 0.9, 0.975])
    q = np.full((2, 5), 10.0)
    assert crps_from_quantiles(np.array([13.0, 6.0]), taus, q) == pytest.approx([3.0, 4.0])


def test_interval_score_and_mase_scale() -> None:
    # inside: the width; below by 2 at 80%: width + 2/0.2 * 2 = 4 + 20
    assert interval_score(np.array([5.0, 1.0]), np.array([3.0, 3.0]), np.array([7.0, 7.0]), 80) == (
        pytest.approx([4.0, 24.0])
    )
    assert mase_scale(np.array([1.0, 2.0, 4.0, 4.0]), 2) == pytest.approx(2.5)  # |4-1|,|4-2|
    assert mase_scale(np.array([3.0, 3.0, 3.0]), 12) != mase_scale(np.array([3.0, 3.0, 3.0]), 12)


# -- backtest on a real series ---------------------------------------------------------------


def test_backtest_on_the_southwest_fentanyl_series(region_lb: GroupData) -> None:
    panel = real_panel(region_lb)
    panel = panel[panel["unique_id"] == SW_FENTANYL]
    bt = backtest_group("t", panel, ["theta"], season_length=12, min_length=36)
    # 12 scored origins, each choosing from the 12 origins whose 6 months were known by then
    assert (bt.series, bt.origins, bt.horizon, bt.scored) == (1, 12 + 12 + 5, 6, 12)
    naive = bt.rows["naive"]
    assert len(naive) == 29 * 6
    cutoffs = sorted(naive["cutoff"].unique())
    assert pd.Timestamp(cutoffs[0]) == pd.Timestamp(add_months(LAST, -34))
    assert pd.Timestamp(cutoffs[-1]) == pd.Timestamp(add_months(LAST, -6))
    # the naive forecast from each origin is that month's CSV value
    expected = csv_monthly("Fentanyl", "Southwest Border")
    for cutoff, rows in naive.groupby("cutoff"):
        assert rows["mean"].iloc[0] == pytest.approx(expected[pd.Timestamp(cutoff).date()])
    scored = sorted(bt.evaluation["selected"]["cutoff"].unique())
    assert [pd.Timestamp(c) for c in scored] == [pd.Timestamp(c) for c in cutoffs[-12:]]
    for model in ("naive", "seasonal_naive", "historic_average", "theta", "ensemble", "selected"):
        s = bt.scores[model]
        assert s["rows"] == 72 and s["crps"] > 0 and 0 <= s["coverage80"] <= s["coverage95"] <= 1
    assert bt.scores["theta"]["failures"] == 0  # statsforecast's origins line up with ours
    # one series: its own choice is its group's, from the last 12 origins' errors
    assert bt.choices[SW_FENTANYL].model == bt.chosen and bt.choices[SW_FENTANYL].rows == 72


# -- outcomes for series that cannot be modelled ---------------------------------------------


def test_short_zero_and_gappy_series_get_a_baseline_and_a_reason() -> None:
    group = get_group("bts_port")
    months = pd.date_range("2020-01-01", "2024-12-01", freq="MS").date
    n = len(months)
    values = {
        "zeros": np.zeros(n),
        "gap": np.r_[np.arange(1.0, 52), [np.nan], np.arange(1.0, 9)],
        "ended": np.r_[np.arange(1.0, 58), [np.nan] * 3],
        "short": np.r_[[np.nan] * (n - 2), [4.0, 5.0]],
        "ok": 100 + 10 * np.sin(np.arange(n)),
    }
    frame = pd.concat(
        [pd.DataFrame({"series_id": k, "period": months, "value": v}) for k, v in values.items()]
    )
    data = GroupData(group, frame, {k: {"port": k} for k in values}, {k: "x" for k in values},
                     months[-1])  # fmt: skip
    rows, outcomes = forecast_group(data, judge_group(data), "theta", 6)
    by_id = {o.series_id: o for o in outcomes}
    assert by_id["ok"].model == "theta"
    assert by_id["zeros"].model == "zero" and "all zeros" in by_id["zeros"].reason
    assert by_id["gap"].model == "naive" and "gap in 2024-04" in by_id["gap"].reason
    assert by_id["ended"].model is None and "no value since 2024-09" in by_id["ended"].reason
    assert by_id["short"].model is None and "only 2 months" in by_id["short"].reason
    assert set(rows["unique_id"]) == {"ok", "zeros", "gap"}
    assert (rows.loc[rows["unique_id"] == "zeros", ["mean", "hi-95"]] == 0).all().all()
    assert np.isfinite(rows[["mean", *interval_columns()]].to_numpy(dtype=float)).all()


# -- nowcast ---------------------------------------------------------------------------------


def vsrr_csv() -> dict[tuple[str, date], tuple[float, float]]:
    out = {}
    with open(VSRR, newline="") as f:
        for row in csv.DictReader(f):
            if row["data_value"] and row["predicted_value"]:
                month = pd.Timestamp(f"{row['month']} {row['year']}").date()
                out[(row["state"], month)] = (
                    float(row["data_value"]),
                    float(row["predicted_value"]),
                )
    return out


def test_nowcast_is_never_below_the_reported_count(engine: Engine) -> None:
    rows = nowcast_group(engine, get_group("vsrr_state"))
    known = rows.dropna(subset=["reported"])
    assert len(known) > 5000
    assert (known["nowcast"] >= known["reported"]).all()
    csv_values = vsrr_csv()
    for _, r in known.sample(200, random_state=1).iterrows():
        reported, predicted = csv_values[(r["us_state"], r["bucket"])]
        assert r["reported"] == reported and r["nowcast"] == max(reported, predicted)
    us = nowcast_group(engine, get_group("vsrr_us")).set_index("bucket")
    assert us.loc[date(2026, 1, 1), "reported"] == 36825  # SOURCE.md: latest, underreported
    # The nowcast also applies the growth between the two VSRR releases in the mirror: 12 months
    # ending April 2025 went from 42,233 (first published) to 43,505 (the newest release).
    older, newer = (vsrr_value(p, "US", "Synthetic", 2025, "April", "data_value")
                    for p in sorted(vsrr_files(), key=lambda p: p.name.startswith("vsrr_")))  # fmt: skip
    assert us.loc[date(2026, 1, 1), "nowcast"] == pytest.approx(max(37488, 36825 * newer / older))


def test_gap_between_nowcast_and_final_counts(engine: Engine) -> None:
    gaps = {g["year"]: g for g in gap_to_final(engine)}
    assert sorted(gaps) == list(range(2015, 2024))  # 2024 has no final count yet
    assert gaps[2022]["final"] == 73838 and gaps[2022]["reported"] == 74829
    assert gaps[2022]["nowcast_gap_pct"] == pytest.approx(100 * (75453 - 73838) / 73838)


# -- a stored run, read back through the metrics layer ---------------------------------------


@pytest.fixture(scope="module")
def stored(loaded: tuple[Path, IngestReport], tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("outlook") / "w.duckdb"
    shutil.copy(loaded[0], db)
    return db


def _outlook(db: Path, **kwargs: Any) -> OutlookRun:
    """Compute an outlook run through an engine over ``db`` and store it there."""
    with Warehouse(db) as wh, Engine.over(wh) as engine:
        run = run_outlook(engine, **kwargs)
        store_outlook_run(wh, run)
    return run


def test_run_is_stored_and_queryable_as_status_forecast(stored: Path) -> None:
    where = {"us_state": ("AZ", "NM", "TX")}
    run = _outlook(stored, measures=["overdose_deaths_12m"], where=where, horizon=3)
    assert run.run_id == 1 and run.params["groups"] == ["vsrr_state"]
    assert json.loads(json.dumps(run.to_dict()))["groups"]["vsrr_state"]["series"] == 3
    with Engine.open(stored) as reader:
        fc = latest_forecasts(reader, "overdose_deaths_12m", {"us_state": ("AZ",)})
    assert list(fc.columns) == ["series_id", "measure", "us_state", "cause", "period", "model",
                                "mean", "lo80", "hi80", "lo95", "hi95", "unit", "run_id"]  # fmt: skip
    assert [str(p) for p in fc["period"]] == ["2026-02-28", "2026-03-31", "2026-04-30"]
    assert (fc["lo95"] <= fc["lo80"]).all() and (fc["lo80"] <= fc["mean"]).all()
    assert (fc["mean"] <= fc["hi80"]).all() and (fc["hi80"] <= fc["hi95"]).all()
    eng = Engine.open(stored)
    result = eng.run(Query("overdose_deaths_12m", "12ME 2026-03", where={"us_state": ("AZ",)},
                           status="forecast"))  # fmt: skip
    eng.close()
    assert result.value == pytest.approx(float(fc.loc[1, "mean"]))
    assert result.releases[0]["source"] == "cdc_vsrr"
    assert any("Forecast values" in n for n in result.notes)
    history = Engine.open(stored)
    hist = history.run(Query("overdose_deaths_12m", "2024-01..2026-01", where={"us_state": ("AZ",)},
                             grain="month")).rows  # fmt: skip
    history.close()
    spec = fan_chart(hist, fc, "Arizona")
    layers = spec["layer"]
    assert len(layers) == 4 and spec["title"] == "Arizona"
    data = spec["datasets"]
    assert sorted(len(v) for v in data.values()) == [3, 25]  # forecast months, history months
    json.dumps(spec)


def test_forecast_status_without_a_run_is_a_clear_error(engine: Engine) -> None:
    with pytest.raises(
        QueryError, match="no stored forecast of seized_lb for Jan 2026 broken down by drug"
    ):
        engine.run(Query("seized_lb", "2026-01", where={"drug": ("Fentanyl",)}, status="forecast"))


def test_cli_outlook_json_and_bad_input(stored: Path) -> None:
    runner = CliRunner()
    args = ["outlook", "-m", "homicide_victims", "-w", "mx_state=02", "--no-backtest", "--json",
            "--db", str(stored)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["groups"]["sesnsp_homicides_state"]["chosen_by"] == "default (theta)"
    assert (
        data["series"][0]["series_id"]
        == "homicide_victims|crime_subtype=Homicidio doloso|mx_state=02"
    )
    charts, export = stored.parent / "charts", stored.parent / "fc.csv"
    args += ["--chart-dir", str(charts), "--export", str(export)]
    assert runner.invoke(app, args).exit_code == 0
    assert [p.name for p in charts.iterdir()] == [
        "homicide_victims_crime_subtype_Homicidio_doloso_mx_state_02.vl.json"
    ]
    with open(export, newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 6 and {r["mx_state"] for r in rows} == {"02"}
    assert all(float(r["lo95"]) <= float(r["mean"]) <= float(r["hi95"]) for r in rows)
    bad = runner.invoke(app, ["outlook", "-m", "seized_kg", "--db", str(stored)])
    assert bad.exit_code == 2 and "does not forecast seized_kg" in bad.output
    bad = runner.invoke(app, ["outlook", "--horizon", "0", "--db", str(stored)])
    assert bad.exit_code == 2 and "--horizon must be between 1 and 24" in bad.output


def test_unknown_group_is_an_outlook_error() -> None:
    with pytest.raises(OutlookError, match="unknown series group"):
        get_group("nope")


def test_ols_reconciliation_solved_by_hand() -> None:
    def rows(ids: list[str], means: list[float]) -> pd.DataFrame:
        out = pd.DataFrame({"unique_id": ids, "ds": pd.Timestamp("2026-01-01"), "mean": means})
        for col in interval_columns():
            out[col] = out["mean"] + (1.0 if col.startswith("hi") else -1.0)
        return out

    parents, children = rows(["p"], [10.0]), rows(["a", "b"], [3.0, 4.0])
    new_p, new_c = ols_reconcile(parents, children, {"a": "p", "b": "p"}, ["ds"])
    # gap e = 10 - 7 = 3 shared over k + 1 = 3 series: parts +1, total -1
    assert list(new_c["mean"]) == [4.0, 5.0] and list(new_p["mean"]) == [9.0]
    assert list(new_c["hi-80"]) == [5.0, 6.0] and list(new_p["lo-95"]) == [8.0]


def test_a_warehouse_with_one_source_forecasts_it_and_skips_the_rest(tmp_path: Path) -> None:
    from borderflow.sources import get_sources
    from borderflow.warehouse import Warehouse
    from borderflow.warehouse.ingest import ingest

    db = tmp_path / "w.duckdb"
    with Warehouse(db) as wh:
        ingest(wh, get_sources(["sesnsp_victims"]), MIRROR)
    run = _outlook(db, where={"mx_state": ("09",)}, backtest=False)
    assert run.groups["sesnsp_homicides_state"]["series"] == 1
    assert set(run.params["groups"]) == {"sesnsp_homicides_state"}  # only it has mx_state
    run = _outlook(db, measures=["homicide_victims", "seized_lb"], backtest=False, horizon=2)
    assert "no seized_lb data in the warehouse" in run.groups["cbp_lb_region"]["skipped"]
    assert run.groups["sesnsp_homicides_state"]["series"] == 32
    with pytest.raises(OutlookError, match="nothing to forecast: no crossings data"):
        _outlook(db, measures=["crossings"], backtest=False)


def test_nowcast_uses_revisions_between_two_vsrr_releases(tmp_path: Path) -> None:
    """A later release that revised the newest 6 periods up by 3% (built from the real file):
    the nowcast applies the measured growth by lag to the newest release."""
    from borderflow.sources import get_sources
    from borderflow.sources.base import KnownFile
    from borderflow.warehouse import Warehouse
    from borderflow.warehouse.ingest import ingest

    folder = tmp_path / "mirror" / "cdc_vsrr"
    folder.mkdir(parents=True)
    shutil.copy(VSRR, folder / VSRR.name)
    newest = {("2025", m) for m in ("August", "September", "October", "November", "December")}
    newest.add(("2026", "January"))
    with open(VSRR, newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        fields = reader.fieldnames or []
    for row in rows:
        if (row["year"], row["month"]) in newest and row["data_value"]:
            row["data_value"] = str(float(row["data_value"]) * 1.03)
    with open(folder / "vsrr_later_release.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    # Its data end in the same month, so say when it came out: a month after the newest file.
    (vsrr,) = get_sources(["cdc_vsrr"])
    later = KnownFile("vsrr_later_release.csv", url=None, vintage=date(2026, 7, 15))
    series = replace(vsrr.series[0], known=(*vsrr.series[0].known, later))
    db = tmp_path / "w.duckdb"
    with Warehouse(db) as wh:
        ingest(wh, [replace(vsrr, series=(series,))], tmp_path / "mirror")
    eng = Engine.open(db)
    us = nowcast_group(eng, get_group("vsrr_us"))
    eng.close()
    factors = us.attrs["revision_factors"]
    assert [round(factors[lag], 6) for lag in range(12)] == [1.03] * 6 + [1.0] * 6
    latest = us.set_index("bucket").loc[date(2026, 1, 1)]
    assert latest["reported"] == pytest.approx(36825 * 1.03)
    assert latest["nowcast"] == pytest.approx(36825 * 1.03 * 1.03)  # above predicted 37,488
    assert (
        us.dropna(subset=["reported"])["nowcast"] >= us.dropna(subset=["reported"])["reported"]
    ).all()
