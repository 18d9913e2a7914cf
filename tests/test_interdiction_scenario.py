"""Scenario files: the shipped ones load; malformed or infeasible ones name the field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from borderflow.interdiction import (
    ScenarioError,
    default_scenario_path,
    load_scenario,
    resolve_scenario,
    scenario_paths,
)
from borderflow.interdiction.network import BorderData, build_network

DEFAULT = default_scenario_path().read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _edit(tmp_path: Path, old: str, new: str) -> Path:
    assert old in DEFAULT, old
    return _write(tmp_path, DEFAULT.replace(old, new, 1))


def test_every_shipped_scenario_loads() -> None:
    names = {load_scenario(p).name for p in scenario_paths()}
    assert names == {"default", "closed_nogales", "demand_shift_east"}


def test_the_default_scenario_reads_as_documented() -> None:
    s = load_scenario(default_scenario_path())
    assert (s.period, s.demand_period, s.drug, s.budget) == ("FY2024", "12ME 2024-09", None, 40.0)
    assert [r.name for r in s.resources] == ["nii_unit", "officer_team", "agent_team"]
    assert s.resources[0].applies_to == ("Trucks", "Personal Vehicles")
    assert resolve_scenario("closed_port").name == "closed_port.toml"
    assert load_scenario(resolve_scenario("closed_port")).closed_ports == ("Nogales",)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'period = "FY2024"',
            'period = "FYxx"',
            "s.toml: data.period: cannot read the period 'FYxx'",
        ),
        ("total = 40.0", "total = -3", "s.toml: budget.total must be a positive number, got -3"),
        (
            "total = 40.0",
            'total = "forty"',
            "s.toml: budget.total must be a positive number, got 'forty'",
        ),
        ("months = 24", "months = 1", "s.toml: simulation.months must be an integer ≥ 2, got 1"),
        (
            "deploy_month = 12 ",
            "deploy_month = 30 ",
            "simulation.deploy_month must be less than simulation.months (24), got 30",
        ),
        (
            "port_detection = 0.10",
            "port_detection = 1.5",
            "calibration.port_detection must be a positive number ≤ 0.99, got 1.5",
        ),
        (
            'origin_weights = "homicide_victims"',
            'origin_weights = "cartels"',
            "network.origin_weights must be one of homicide_victims, uniform, got 'cartels'",
        ),
        (
            'applies_to = ["Between ports"]',
            'applies_to = ["Boats"]',
            "resources[2].applies_to must be a list of Trucks, Personal Vehicles, Pedestrians, Between ports, got ['Boats']",
        ),
        (
            "coverage_per_unit = 0.02 ",
            "coverage_per_unit = 0 ",
            "resources[2].coverage_per_unit must be a positive number (it applies between ports), got 0.0",
        ),
        (
            'name = "officer_team"',
            'name = "nii_unit"',
            "resources[1].name 'nii_unit' is used twice",
        ),
        ("capacity_slack = 3.0", "capacity_slak = 3.0", "unknown field network.capacity_slak"),
        ("[budget]", "[budgets]", "unknown table [budgets]"),
        (
            "min_detection = 0.005",
            "min_detection = 0.6",
            "calibration.min_detection must be at most calibration.max_detection (0.5), got 0.6",
        ),
    ],
)
def test_a_wrong_field_is_named(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=re.escape(message)):
        load_scenario(_edit(tmp_path, old, new))


def test_no_resources_is_refused(tmp_path: Path) -> None:
    text = DEFAULT.split("[[resources]]")[0] + DEFAULT.split("[ports]")[1].join(["[ports]", ""])
    with pytest.raises(ScenarioError, match=r"s\.toml: resources must be one or more"):
        load_scenario(_write(tmp_path, text))


def test_a_file_that_is_not_toml_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"s\.toml: not valid TOML"):
        load_scenario(_write(tmp_path, "[budget\ntotal = 3"))


def test_a_missing_file_lists_the_shipped_scenarios(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"no scenario file .*default\.toml"):
        load_scenario(tmp_path / "nope.toml")


def _empty_data() -> BorderData:
    return BorderData(port_traffic={}, events={}, monthly_events={}, demand={}, origin_weight={})


def test_an_unknown_closed_port_names_the_field(tmp_path: Path) -> None:
    s = load_scenario(_edit(tmp_path, "closed = []", 'closed = ["Atlantis"]'))
    with pytest.raises(
        ScenarioError, match=r"s\.toml: ports\.closed: 'Atlantis' is not a known port"
    ):
        build_network(_empty_data(), s)


def test_closing_every_route_is_infeasible(tmp_path: Path) -> None:
    s = load_scenario(_edit(tmp_path, "between_ports_share = 0.3", "between_ports_share = 0"))
    with pytest.raises(ScenarioError, match=r"closes every port .* has no route"):
        build_network(_empty_data(), s)
