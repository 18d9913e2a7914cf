"""Calibration, policies, resources and the simulation on small hand-checkable inputs."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from borderflow.interdiction.calibrate import calibrate_ports, calibrate_sectors
from borderflow.interdiction.model import SINK, SOURCE, Crossing, Network, Resource, add_crossing
from borderflow.interdiction.policies import policy_plan
from borderflow.interdiction.resources import build_resources
from borderflow.interdiction.scenario import ResourceSpec
from borderflow.interdiction.simulate import simulate


def test_port_detection_is_relative_seizures_per_crossing_scaled_to_the_assumed_mean() -> None:
    traffic = {("A", "Trucks"): 100.0, ("B", "Trucks"): 100.0}
    rows = calibrate_ports(
        traffic,
        {"A": 10.0, "B": 30.0},
        {},
        mean_detection=0.1,
        conveyance_factor={},
        bounds=(0.0, 1.0),
    )
    # rates 0.1 and 0.3 per crossing; border rate 0.2; so 0.1 × 0.5 and 0.1 × 1.5
    assert [r.detection for r in rows] == pytest.approx([0.05, 0.15])


def test_conveyance_factors_keep_the_office_mean() -> None:
    traffic = {("A", "Trucks"): 100.0, ("A", "Pedestrians"): 300.0}
    rows = calibrate_ports(
        traffic,
        {"A": 40.0},
        {},
        mean_detection=0.1,
        conveyance_factor={"Trucks": 2.0},
        bounds=(0.0, 1.0),
    )
    by = {r.conveyance: r.detection for r in rows}
    assert by["Trucks"] == pytest.approx(2 * by["Pedestrians"])
    assert (100 * by["Trucks"] + 300 * by["Pedestrians"]) / 400 == pytest.approx(0.1)


def test_the_interval_comes_from_monthly_counts_and_values_are_clipped() -> None:
    monthly = {"S1": [10.0, 20.0, 30.0], "S2": [1.0, 1.0, 1.0]}
    rows = calibrate_sectors(
        ["S1", "S2"],
        {"S1": 60.0, "S2": 3.0},
        monthly,
        mean_detection=0.1,
        bounds=(0.01, 0.15),
        conveyance="Between ports",
    )
    s1, s2 = rows
    per_event = 0.1 / 31.5
    assert s1.detection == pytest.approx(0.15) and s1.clipped  # 60 × per_event = 0.19 → 0.15
    assert s2.detection == pytest.approx(max(3 * per_event, 0.01))
    half = 1.96 * 10.0 * math.sqrt(3)  # sd of (10, 20, 30) is 10
    assert s1.low == pytest.approx(min(max((60 - half) * per_event, 0.01), 0.15))
    assert s2.low == s2.high == s2.detection  # no month-to-month variation


def _crossings() -> dict[str, Crossing]:
    return {
        "big": Crossing("big", "big", "port", "A", "Trucks", 30.0, 0.1, traffic=300_000.0),
        "small": Crossing("small", "small", "port", "B", "Trucks", 10.0, 0.1, traffic=100_000.0),
        "gap": Crossing("gap", "gap", "sector", "S", "Between ports", 10.0, 0.05),
    }


def _network() -> Network:
    g = nx.DiGraph()
    crossings = _crossings()
    g.add_edge(SOURCE, "o", capacity=20.0, cost=0.0)
    for c in crossings.values():
        add_crossing(g, c)
        g.add_edge("o", f"{c.id}:in", cost=0.01 if c.id != "gap" else 0.0)
        g.add_edge(f"{c.id}:out", "d", cost=0.0)
    g.add_edge("d", SINK, capacity=20.0, cost=0.0)
    return Network(graph=g, crossings=crossings)


def test_resource_gains_follow_examinations_over_traffic() -> None:
    specs = (
        ResourceSpec("nii", "nii", 1.0, 10, ("Trucks",), 0.5, examinations_per_year=150_000),
        ResourceSpec("team", "team", 0.5, 10, ("Between ports",), 0.3, coverage_per_unit=0.25),
    )
    nii, team = build_resources(specs, _network())
    assert nii.gains == pytest.approx({"big": 0.25, "small": 0.5})  # 0.5 × min(1, 150k/traffic)
    assert nii.max_per_node == {"big": 2, "small": 1}  # ⌈traffic / examinations⌉
    assert team.gains == pytest.approx({"gap": 0.075}) and team.max_per_node == {"gap": 4}


def test_policies_apportion_by_their_weights_within_budget_and_caps() -> None:
    network = _network()
    r = Resource("u", 1.0, 4, {"big": 0.1, "small": 0.1}, {"big": 4, "small": 4})
    assert policy_plan("traffic", network, [r], 4) == {("u", "big"): 3, ("u", "small"): 1}
    assert policy_plan("uniform", network, [r], 4) == {("u", "big"): 2, ("u", "small"): 2}
    capped = Resource("u", 1.0, 4, r.gains, {"big": 1, "small": 1})
    assert sum(policy_plan("traffic", network, [capped], 4).values()) == 2


def test_the_simulation_displaces_flow_from_a_reinforced_crossing(tmp_path: Path) -> None:
    network = _network()
    r = Resource("u", 1.0, 10, {"big": 0.4}, {"big": 2})
    plan = {("u", "big"): 2}  # survival at "big": 0.9 → 0.1
    kwargs = dict(months=30, deploy_month=15, agents=40, rationality=20.0, learning_rate=0.3)
    first = simulate(network, [r], plan, seed=3, **kwargs)
    again = simulate(network, [r], plan, seed=3, **kwargs)
    assert np.array_equal(first.shipped, again.shipped)
    summary = first.summary()
    before, after = summary["treated_share_before"], summary["treated_share_after"]
    assert before > 0.1  # the crossing was used while it was as safe as the others
    assert after <= 0.05  # once it is reinforced, the organisations learn to avoid it
    assert summary["displacement"] >= before - after - 1e-9  # ... and that flow moved elsewhere
    assert summary["shipped_after"] == pytest.approx(summary["shipped_before"]) == pytest.approx(20)
    # capacity holds every month
    caps = np.array([network.crossings[c].capacity for c in first.crossings])
    assert (first.shipped <= caps + 1e-9).all()
