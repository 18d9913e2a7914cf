"""The interdiction planner on the real warehouse: inputs checked against the source files."""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from borderflow.cli import app
from borderflow.interdiction import (
    ScenarioError,
    default_scenario_path,
    latest_result,
    load_scenario,
    network_from_warehouse,
    run_scenario,
    store_run,
)
from borderflow.interdiction.network import to_graphml
from borderflow.metrics import Engine
from borderflow.warehouse import Warehouse
from conftest import MIRROR
from reference import cbp_current_rows, vsrr_api_file

FY2024 = (datetime(2023, 10, 1), datetime(2024, 9, 1))


@pytest.fixture(scope="module")
def db(loaded, tmp_path_factory) -> Path:
    """A private copy of the session warehouse (runs are written to it)."""
    path = tmp_path_factory.mktemp("interdict") / "w.duckdb"
    shutil.copy(loaded[0], path)
    return path


@pytest.fixture(scope="module")
def result(db: Path):
    with Engine.open(db) as engine:
        computed = run_scenario(load_scenario(default_scenario_path()), engine, seed=7)
    with Warehouse(db) as warehouse:
        computed.run_id = store_run(warehouse, computed.to_dict(), seed=7)
    return computed


def _network(db: Path, scenario):
    with Engine.open(db) as engine:
        return network_from_warehouse(engine, scenario)


def _bts_fy2024(prefix: str, measure: str) -> float:
    total = 0.0
    path = next((MIRROR / "bts_border_crossings").glob("*.csv"))
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            month = datetime.strptime(row["Date"], "%b %Y")
            if (
                row["Port Code"].startswith(prefix)
                and row["Measure"] == measure
                and FY2024[0] <= month <= FY2024[1]
            ):
                total += float(row["Value"])
    return total


def _cbp_events_fy2024(area: str) -> float:
    return sum(
        float(r["Count of Event"])
        for r in cbp_current_rows()
        if r["FY"] == "2024"
        and r["Area of Responsibility"] == area
        and r["Region"] == "Southwest Border"
    )


def _vsrr_sep_2024(state: str) -> float:
    path = vsrr_api_file()
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(
            float(r["data_value"])
            for r in csv.DictReader(handle)
            if r["state"] == state
            and r["year"] == "2024"
            and r["month"] == "September"
            and r["data_value"]
        )


def _vsrr_states_with_data_sep_2024() -> set[str]:
    path = vsrr_api_file()
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            r["state"]
            for r in csv.DictReader(handle)
            if r["year"] == "2024" and r["month"] == "September" and r["data_value"]
        }


def test_network_inputs_match_the_source_files(db: Path) -> None:
    scenario = load_scenario(default_scenario_path())
    data, network, calibration = _network(db, scenario)
    laredo_trucks = network.crossings["LAREDO FIELD OFFICE|Trucks"]
    assert laredo_trucks.traffic == pytest.approx(_bts_fy2024("23", "Trucks"))
    events = {c.area: c.events for c in calibration}
    assert events["SAN DIEGO FIELD OFFICE"] == pytest.approx(
        _cbp_events_fy2024("SAN DIEGO FIELD OFFICE")
    )
    assert events["TUCSON SECTOR"] == pytest.approx(_cbp_events_fy2024("TUCSON SECTOR"))
    ny = _vsrr_sep_2024("NY") + _vsrr_sep_2024("YC")
    assert data.demand["NY"] == pytest.approx(ny)
    assert len(network.crossings) == 4 * 3 + 9  # 4 field offices × 3 conveyances + 9 sectors
    # capacities: all ports together take capacity_slack × total_flow
    ports = sum(c.capacity for c in network.crossings.values() if c.kind == "port")
    assert ports == pytest.approx(scenario.capacity_slack * scenario.total_flow)


def test_calibration_keeps_the_assumed_mean_at_ports(db: Path) -> None:
    scenario = load_scenario(default_scenario_path())
    _, _, calibration = _network(db, scenario)
    ports = [c for c in calibration if c.conveyance != "Between ports"]
    mean = sum(c.detection * c.traffic for c in ports) / sum(c.traffic for c in ports)
    assert mean == pytest.approx(scenario.port_detection)
    for c in calibration:
        assert c.low <= c.detection <= c.high


def test_the_default_scenario_is_solved_to_proven_optimality(result) -> None:
    data = result.to_dict()
    objective = data["objective"]
    assert objective["optimal"]
    assert objective["spent"] <= objective["budget"]
    assert objective["value"] < objective["baseline_value"]  # the plan bites
    for name, policy in data["policies"].items():
        assert objective["value"] <= policy["value"] + 1e-6, name
    assert objective["shipped"] == pytest.approx(1000.0)
    json.dumps(data)  # JSON-able


def test_the_run_is_stored_with_its_parameters(result, db: Path) -> None:
    with Engine.open(db) as engine:
        stored = engine.store.interdiction_run(result.run_id)
        runs = engine.store.interdiction_runs()
    assert stored is not None
    assert stored["seed"] == 7
    assert stored["parameters"]["budget"]["total"] == 40.0
    assert stored["result"]["objective"]["value"] == pytest.approx(result.solution.objective)
    assert result.run_id in [r["run_id"] for r in runs]


def test_latest_result_is_the_newest_stored_run_once_per_engine(result, db: Path) -> None:
    with Engine.open(db) as engine:
        latest = latest_result(engine)
        assert latest_result(engine) is latest  # memoised per engine
        newest = engine.store.interdiction_runs()[-1]["run_id"]
    assert latest["run_id"] == newest >= result.run_id
    assert latest["objective"]["value"] == pytest.approx(result.solution.objective)


def test_the_simulation_is_reproducible_from_its_seed(result, db: Path) -> None:
    with Engine.open(db) as engine:
        again = run_scenario(load_scenario(default_scenario_path()), engine, seed=7)
    assert again.simulation == result.simulation
    assert again.run_id is None
    sim = result.simulation
    assert sim["shipped_before"] == pytest.approx(sim["shipped_after"])
    assert 0 <= sim["displacement"] <= 1


def test_a_closed_port_moves_its_traffic_off_the_network(db: Path) -> None:
    scenario = load_scenario(default_scenario_path().with_name("closed_port.toml"))
    _, network, _ = _network(db, scenario)
    tucson = network.crossings["TUCSON FIELD OFFICE|Trucks"].traffic
    assert tucson == pytest.approx(_bts_fy2024("26", "Trucks") - _bts_fy2024("2604", "Trucks"))


def test_graphml_export_reads_back(result, tmp_path: Path) -> None:
    import networkx as nx

    path = tmp_path / "n.graphml"
    to_graphml(result.network, path)
    back = nx.read_graphml(path)
    assert back.number_of_edges() == result.network.graph.number_of_edges()


def test_cli_interdict_json_and_a_bad_scenario(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(
        app,
        [
            "interdict",
            "default",
            "--db",
            str(db),
            "--json",
            "--no-store",
            "--figure",
            str(tmp_path / "f.png"),
        ],
    )
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert set(data) >= {"scenario", "allocation", "objective", "policies", "simulation", "run_id"}
    assert {"node", "name", "kind", "units"} <= set(data["allocation"][0])
    assert (tmp_path / "f.png").stat().st_size > 10_000
    kinds = [f["properties"]["kind"] for f in data["geojson"]["features"]]
    assert kinds.count("port") + kinds.count("sector") == 21
    assert kinds.count("origin") == 32
    assert kinds.count("destination") == len(_vsrr_states_with_data_sep_2024() - {"US", "YC"})
    bad = tmp_path / "bad.toml"
    bad.write_text("[budget]\ntotal = -3\n", encoding="utf-8")
    refused = runner.invoke(app, ["interdict", str(bad), "--db", str(db)])
    assert refused.exit_code == 2
    assert "bad.toml: budget.total must be a positive number, got -3" in refused.output


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'period = "FY2024"',
            'period = "FY2035"',
            "s.toml: data.period: no crossings values match: FY2035",
        ),
        ('drug = "all"', 'drug = "Fentanil"', "s.toml: data.drug: "),
        (
            'demand_period = "12ME 2024-09"',
            'demand_period = "12ME 2035-09"',
            "s.toml: data.demand_period: no overdose_deaths_12m values match",
        ),
    ],
)
def test_a_period_without_data_names_the_field(db: Path, tmp_path: Path, old, new, message) -> None:
    path = tmp_path / "s.toml"
    path.write_text(default_scenario_path().read_text(encoding="utf-8").replace(old, new, 1))
    with pytest.raises(ScenarioError, match=re.escape(message)), Engine.open(db) as engine:
        run_scenario(load_scenario(path), engine)


def test_calibration_noise_moves_the_objective_monotonically(result) -> None:
    from borderflow.interdiction.sensitivity import calibration_sensitivity

    s = calibration_sensitivity(
        result.network, result.resources, 40.0, result.calibration, result.solution.plan
    )
    optimum = result.solution.objective
    assert (
        s["low"]["objective"] >= optimum >= s["high"]["objective"]
    )  # less detection: more gets through
    for end in ("low", "high"):
        assert s[end]["optimal"]
        assert s[end]["plan_value"] >= s[end]["objective"] - 1e-6  # re-optimising can only help
