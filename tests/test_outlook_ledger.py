"""The outlook's per-series choices and widths, its filter-independence, the forecast ledger and
the nowcast scored on real VSRR revisions (issue 15), and the outlook command's output (issue 16).

Real series come from the session warehouse; expected values are read from the mirror's CSVs.
Hand-made numbers appear only where a rule is solved by hand (shrinkage, ensemble, widths).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from borderflow.cli import app
from borderflow.metrics import Engine
from borderflow.outlook import fan_chart, run_outlook, select, store_outlook_run, track_record
from borderflow.outlook.backtest import backtest_group
from borderflow.outlook.calibrate import apply_factors, grouped_quantiles, normalised_errors
from borderflow.outlook.groups import get_group
from borderflow.outlook.ledger import REPLAY, Replay, backfill, ledger_summary, score_ledger
from borderflow.outlook.models import LEVELS, interval_columns, median_ensemble
from borderflow.outlook.nowcast import scored_on_revisions
from borderflow.outlook.select import (
    SHRINK_MODEL_ROWS,
    SHRINK_WIDTH_ROWS,
    calibration_origins,
    decide,
    recency_weights,
)
from borderflow.outlook.series import load_group, to_panel
from borderflow.warehouse import Warehouse
from borderflow.warehouse.ingest import IngestReport
from reference import (
    cbp_files,
    cbp_pounds_by_month,
    newest_cbp_file,
    vsrr_files,
    vsrr_value,
)

EARLIER_VSRR = next(p for p in vsrr_files() if p.name.startswith("VSRR_"))
LATER_VSRR = next(p for p in vsrr_files() if p.name.startswith("vsrr_"))


@pytest.fixture(scope="module")
def copy(loaded: tuple[Path, IngestReport], tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("ledger") / "w.duckdb"
    shutil.copy(loaded[0], db)
    return db


# -- rules solved by hand ----------------------------------------------------------------------


def _quantiles(ids: list[str], mean: float, half: float) -> pd.DataFrame:
    rows = pd.DataFrame({"unique_id": ids, "ds": pd.Timestamp("2026-01-01"), "mean": mean})
    for i, lv in enumerate(LEVELS, start=1):
        rows[f"lo-{lv}"], rows[f"hi-{lv}"] = mean - half * i, mean + half * i
    return rows


def test_the_median_ensemble_takes_every_quantile_s_median() -> None:
    members = [_quantiles(["a"], m, h) for m, h in ((10.0, 1.0), (20.0, 2.0), (40.0, 1.0))]
    out = median_ensemble(members)
    assert out["mean"].iloc[0] == 20.0
    assert out["hi-20"].iloc[0] == 22.0  # medians of 11, 22, 41
    assert out["lo-95"].iloc[0] == 8.0  # medians of 4, 8, 34
    values = out[[f"lo-{lv}" for lv in reversed(LEVELS)] + ["mean"]].to_numpy()[0]
    assert (np.diff(values) >= 0).all()


def test_widths_scale_each_side_and_the_normalised_error_says_when_y_is_inside() -> None:
    rows = _quantiles(["a"], 10.0, 1.0)
    rows["lo-80"] = 8.0  # asymmetric: 2 below, 4 above
    rows["y"] = 13.0
    r = normalised_errors(rows)
    assert r["r-80"].iloc[0] == pytest.approx(3 / 4)  # above the mean: the upper half counts
    out = apply_factors(rows, dict.fromkeys(LEVELS, 0.5))
    assert (out["lo-60"].iloc[0], out["hi-60"].iloc[0]) == (8.5, 11.5)  # ±3 halved
    # 80%: 2 below halved to 1 — but never inside the 60% interval, so 1.5; 4 above → 2
    assert (out["lo-80"].iloc[0], out["hi-80"].iloc[0]) == (8.5, 12.0)


def test_the_origins_a_choice_learns_from_end_a_horizon_before_it() -> None:
    cutoffs = list(pd.date_range("2020-01-01", periods=29, freq="MS"))
    window = calibration_origins(cutoffs, 17, 6)
    assert window == cutoffs[0:12]  # origin 17's errors known: origins 0..11 (targets ≤ 17)
    assert calibration_origins(cutoffs, 28 + 6, 6) == cutoffs[17:29]  # production: the last 12
    assert calibration_origins(cutoffs, 3, 6) == []


def test_a_series_leaves_its_group_s_model_only_on_its_own_evidence() -> None:
    """Shrunk error (n·e_series + k·e_group)/(n + k) with k = SHRINK_MODEL_ROWS."""
    cutoff = pd.Timestamp("2025-01-01")
    rows = []
    errors = {("a", "naive"): 1.0, ("a", "theta"): 2.0, ("b", "naive"): 3.0, ("b", "theta"): 1.0}
    for (uid, model), err in errors.items():
        for i in range(72):
            row = {"unique_id": uid, "model": model, "cutoff": cutoff, "ae": err}
            row.update({f"r-{lv}": (i + 1) / 72 for lv in LEVELS})
            rows.append(row)
    choices, group, _ = decide(pd.DataFrame(rows), [cutoff], ["naive", "theta"])
    assert group.model == "theta"  # group mean: naive 2.0, theta 1.5
    k = SHRINK_MODEL_ROWS
    assert (72 * 1.0 + k * 2.0) / (72 + k) < (72 * 2.0 + k * 1.5) / (72 + k)
    assert choices["a"].model == "naive" and choices["b"].model == "theta"
    assert choices["a"].rows == 72
    # 80% width factor: the series' ⌈73·0.8⌉ = 59th of its 72 normalised errors (59/72), shrunk
    # toward the group's ⌈145·0.8⌉ = 116th of 144 (each value twice: 58/72) with k_width rows
    k_width = SHRINK_WIDTH_ROWS
    expected = (72 * 59 / 72 + k_width * 58 / 72) / (72 + k_width)
    assert choices["a"].factors[80] == pytest.approx(expected)


def test_recency_weights_halve_every_half_life_and_infinity_weighs_all_alike() -> None:
    assert recency_weights(np.array([0.0, 6.0, 12.0]), 6).tolist() == [1.0, 0.5, 0.25]
    assert recency_weights(np.array([0.0, 40.0]), float("inf")).tolist() == [1.0, 1.0]


def test_the_weighted_conformal_quantile_reaches_level_times_weight_plus_one() -> None:
    """Barber et al. (2023): the smallest score whose cumulative weight reaches L·(Σw + 1)."""
    scores = np.arange(1.0, 11.0)  # 1 … 10, one group
    ratios = pd.DataFrame({"g": "x", **{f"r-{lv}": scores for lv in LEVELS}})
    equal = grouped_quantiles(ratios, ["g"])
    assert equal["r-80"].iloc[0] == 9.0  # ⌈11·0.8⌉ = 9th smallest
    assert equal["ess"].iloc[0] == pytest.approx(10.0)
    # the five largest scores weigh 1, the five smallest 0.2: Σw = 6, 80% needs 5.6, reached
    # only by the sum of all ten (1 + 5 = 6): the largest score, where equal weights took the 9th
    w = np.r_[np.full(5, 0.2), np.ones(5)]
    weighted = grouped_quantiles(ratios, ["g"], w)
    assert weighted["r-80"].iloc[0] == 10.0
    # 40% needs 2.8: 1 (five × 0.2) + 1 + 1 = 3 at the 7th smallest
    assert weighted["r-40"].iloc[0] == 7.0
    assert weighted["ess"].iloc[0] == pytest.approx(36 / 5.2)


def test_equal_weights_take_the_same_quantile_by_sort_as_by_cumulative_weight() -> None:
    """The equal-weight shortcut and the weighted path pick the same score at every level,
    also where ⌈(n+1)·L⌉ exceeds n (the largest score) and in a group with unknown scores."""
    rng = np.random.default_rng(15)
    ratios = pd.DataFrame({"g": np.repeat(["a", "b", "c"], [7, 40, 3])})
    for lv in LEVELS:
        ratios[f"r-{lv}"] = rng.gamma(2.0, size=len(ratios))
    ratios.loc[ratios.index[:2], "r-80"] = np.nan
    shortcut = grouped_quantiles(ratios, ["g"])
    weighted = grouped_quantiles(ratios, ["g"], np.full(len(ratios), 1.0 - 1e-15))
    pd.testing.assert_frame_equal(shortcut.drop(columns="ess"), weighted.drop(columns="ess"))


@pytest.mark.parametrize("half_life", [float("inf"), 6.0])
def test_deciding_every_origin_at_once_equals_deciding_them_one_by_one(
    engine: Engine, half_life: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``decide_many`` (the backtest's 12 scored origins and the production origin in one pass)
    gives every real cbp_lb_drug series the same model and widths, to the last digit, as
    ``decide`` window by window — with equal weights and with recency-weighted widths."""
    monkeypatch.setattr(select, "HALF_LIFE_WIDTH", half_life)
    data = load_group(engine, get_group("cbp_lb_drug"))
    bt = backtest_group("t", to_panel(data.frame), ["theta"], season_length=12, min_length=36)
    names = list(bt.rows)
    errors = select.error_frame(bt.rows, bt.scales)
    cutoffs = sorted(pd.Timestamp(c) for c in errors["cutoff"].unique())
    ends = [len(cutoffs) - 1 + 6, *range(len(cutoffs) - 12, len(cutoffs))]
    windows = [calibration_origins(cutoffs, i, 6) for i in ends]
    together = select.decide_many(errors, windows, names)
    assert len(together) == 13 and len(together[0].choices) == 10
    for window, decision in zip(windows, together, strict=True):
        choices, default, factors = decide(errors, window, names)
        assert decision.choices == choices and decision.default == default
        pd.testing.assert_frame_equal(decision.factors, factors, check_exact=True)


# -- one forecast per series -------------------------------------------------------------------


def test_a_series_gets_the_same_forecast_with_and_without_a_filter(engine: Engine) -> None:
    groups = ["cbp_lb_drug", "cbp_lb_component"]
    alone = run_outlook(engine, where={"drug": ("Fentanyl",)}, groups=groups)
    everything = run_outlook(engine, groups=groups)
    mine = alone.forecasts.sort_values(["series_id", "period_end"], ignore_index=True)
    assert set(mine["series_id"]) == {
        "seized_lb|drug=Fentanyl",
        "seized_lb|component=Office of Field Operations|drug=Fentanyl",
        "seized_lb|component=U.S. Border Patrol|drug=Fentanyl",
    }
    same = everything.forecasts[everything.forecasts["series_id"].isin(mine["series_id"])]
    same = same.sort_values(["series_id", "period_end"], ignore_index=True)
    assert everything.forecasts["series_id"].nunique() > 3 * mine["series_id"].nunique()
    pd.testing.assert_frame_equal(mine, same)
    for name in groups:  # the backtest and choices are the whole group's in both runs
        assert _untimed(alone.groups[name]["backtest"]) == _untimed(
            everything.groups[name]["backtest"]
        )


def _untimed(report: dict[str, Any]) -> dict[str, Any]:
    """A backtest report without its timings (the one thing two identical runs differ in)."""
    out = {k: v for k, v in report.items() if k != "seconds"}
    out["scores"] = {m: {k: v for k, v in s.items() if k != "seconds"}
                     for m, s in report["scores"].items()}  # fmt: skip
    return out


def test_a_filter_on_a_dimension_a_group_does_not_break_down_leaves_the_group_out(
    engine: Engine,
) -> None:
    run = run_outlook(engine, measures=["seized_lb"], where={"region": ("Northern Border",)},
                      backtest=False)  # fmt: skip
    assert run.params["groups"] == ["cbp_lb_region"]
    assert set(run.forecasts["region"]) == {"Northern Border"}


# -- the nowcast on real revisions -------------------------------------------------------------


def test_the_nowcast_is_scored_against_the_later_vsrr_release(engine: Engine) -> None:
    scored = scored_on_revisions(engine, get_group("vsrr_us"))
    latest = next(r for r in scored["rows"] if r["lag"] == 0)
    assert latest["period"] == "2025-04"  # the earlier release's newest period
    then = vsrr_value(EARLIER_VSRR, "US", "Synthetic", 2025, "April", "data_value")
    then_pred = vsrr_value(EARLIER_VSRR, "US", "Synthetic", 2025, "April", "predicted_value")
    later = vsrr_value(LATER_VSRR, "US", "Synthetic", 2025, "April", "data_value")
    assert (latest["reported"], latest["predicted"], latest["later"]) == (then, then_pred, later)
    # with one release before it, the nowcast had no revisions to learn from: max(rep, pred)
    assert latest["nowcast"] == max(then, then_pred)
    assert latest["predicted_error_pct"] == pytest.approx(100 * (then_pred - later) / later)
    (summary,) = scored["summary"]
    assert summary["periods"] == 12 and summary["release"] < summary["later_release"]


# -- the ledger --------------------------------------------------------------------------------


def test_a_stored_run_enters_the_ledger_unscored(copy: Path) -> None:
    with Warehouse(copy) as wh, Engine.over(wh) as engine:
        run = run_outlook(engine, measures=["homicide_victims"], where={"mx_state": ("02",)},
                          backtest=False, horizon=2)  # fmt: skip
        run_id = store_outlook_run(wh, run)
        ledger = engine.store.forecast_ledger()
    mine = ledger[ledger["run_id"] == run_id]
    assert len(mine) == 2 and set(mine["kind"]) == {"run"} and mine["actual"].isna().all()
    assert list(mine["horizon"]) == [1, 2]
    assert json.loads(mine["releases"].iloc[0]) == sorted(r["release_id"] for r in run.releases)


def test_replays_read_the_earlier_release_and_are_scored_by_the_later(copy: Path) -> None:
    with Warehouse(copy) as wh:
        report = backfill(wh, origins=2, replays=(Replay(("vsrr_us",), "cdc_vsrr", {}),))
        with Engine.over(wh) as engine:
            ledger = engine.store.forecast_ledger()
    assert [(r["kind"], r["cutoff"]) for r in report["replays"]] == [
        (REPLAY, "2025-03"),
        (REPLAY, "2025-04"),
    ]
    rows = ledger[ledger["kind"] == REPLAY]
    assert len(rows) == 12 and rows["actual"].notna().all()
    # the earlier release's vintage
    assert set(pd.to_datetime(rows["as_of"])) == {pd.Timestamp("2025-09-15")}
    april = rows[pd.to_datetime(rows["origin"]) == pd.Timestamp("2025-04-01")]
    # the replay's last value is the earlier release's nowcast of April 2025: max(rep, pred)
    then = vsrr_value(EARLIER_VSRR, "US", "Synthetic", 2025, "April", "data_value")
    then_pred = vsrr_value(EARLIER_VSRR, "US", "Synthetic", 2025, "April", "predicted_value")
    assert (april["naive"] == max(then, then_pred)).all()
    # scored by the later release: reported there, never below it (the nowcast history)
    may = april[pd.to_datetime(april["period"]) == pd.Timestamp("2025-05-01")]
    later = vsrr_value(LATER_VSRR, "US", "Synthetic", 2025, "May", "data_value")
    assert float(may["actual"].iloc[0]) >= later
    summary = ledger_summary(ledger)
    line = summary[summary["kind"] == REPLAY].iloc[0]
    assert line["origins"] == 2 and line["rows"] == 12 and 0 <= line["cov80"] <= line["cov95"]
    naive_mae = float((rows["actual"] - rows["naive"]).abs().mean())
    assert line["mae_vs_naive"] == pytest.approx(line["mae"] / naive_mae)
    # what the brief shows beside the fans
    with Engine.open(copy) as engine:
        record = track_record(engine, ["overdose_deaths_12m|cause=T40.4|us_state=US"])
    assert list(record["kind"]) == [REPLAY] and record["rows"].iloc[0] == 12


def test_cli_ledger_json(copy: Path) -> None:
    result = CliRunner().invoke(app, ["outlook", "--ledger", "--json", "--db", str(copy)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"summary", "scored", "nowcast"} <= set(data)
    assert any(r["kind"] == REPLAY for r in data["summary"])
    assert data["nowcast"]["summary"][0]["periods"] == 12


# -- the command's output and charts (issue 16) ------------------------------------------------


def test_cli_prints_the_forecasts_and_scores_only_when_asked(copy: Path) -> None:
    runner = CliRunner()
    args = ["outlook", "-m", "homicide_victims", "-w", "mx_state=02", "--no-backtest",
            "--horizon", "2", "--db", str(copy)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "80% interval" in result.stdout and "95% interval" in result.stdout
    assert "homicide_victims|crime_subtype=Homicidio doloso|mx_state=02" in result.stdout
    assert "vs seasonal naive" not in result.stdout
    scores = runner.invoke(app, [*args, "--scores"])
    assert scores.exit_code == 0 and "vs seasonal naive" in scores.stdout


def test_fan_chart_time_axis_names_the_year() -> None:
    history = pd.DataFrame({"period": pd.date_range("2024-01-01", periods=24, freq="MS"),
                            "value": np.arange(24.0)})  # fmt: skip
    forecast = pd.DataFrame({"period": pd.date_range("2026-01-01", periods=3, freq="MS"),
                             "mean": 1.0, "lo80": 0.5, "hi80": 1.5, "lo95": 0.0, "hi95": 2.0})  # fmt: skip
    spec = fan_chart(history, forecast, "t")
    axes = [layer["encoding"]["x"]["axis"]["format"] for layer in spec["layer"]]
    assert axes == ["%b %Y"] * 4
    assert interval_columns()[0] == "lo-20"


def test_a_new_release_scores_the_forecasts_stored_before_it(tmp_path: Path) -> None:
    """The December CBP record forecasts January–March 2026; loading the April release scores
    them with the April file's pounds, and a second scoring changes nothing."""
    from borderflow.sources import get_sources
    from borderflow.warehouse.ingest import ingest

    folder = tmp_path / "mirror" / "cbp_drug_seizures"
    folder.mkdir(parents=True)
    newest = newest_cbp_file()
    for path in cbp_files():
        if path != newest:
            (folder / path.name).symlink_to(path)
    db = tmp_path / "w.duckdb"
    sources = get_sources(["cbp_nationwide"])
    with Warehouse(db) as wh:
        ingest(wh, sources, tmp_path / "mirror")
        with Engine.over(wh) as engine:
            run = run_outlook(engine, groups=["cbp_lb_drug"], where={"drug": ("Fentanyl",)},
                              backtest=False, horizon=3)  # fmt: skip
        store_outlook_run(wh, run)
        assert score_ledger(wh) == 0  # nothing published yet
        (folder / newest.name).symlink_to(newest)
        ingest(wh, sources, tmp_path / "mirror")
        assert score_ledger(wh) == 3
        assert score_ledger(wh) == 0  # kept as scored
        with Engine.over(wh) as engine:
            ledger = engine.store.forecast_ledger()
    pounds = cbp_pounds_by_month(newest, **{"Drug Type": "Fentanyl"})
    got = dict(zip(pd.to_datetime(ledger["period"]).dt.date, ledger["actual"], strict=True))
    assert got == pytest.approx({m: pounds[m] for m in got})
    assert sorted(got) == [pd.Timestamp(f"2026-0{i}-01").date() for i in (1, 2, 3)]
