"""One scenario, end to end: build, calibrate, optimise, compare, simulate.

``run_scenario`` computes only; ``store.store_run`` records a result, and ``latest_result`` is
the newest stored result (else the default scenario's) once per engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from borderflow.interdiction.adversary import quantal_response
from borderflow.interdiction.calibrate import Calibrated
from borderflow.interdiction.model import Allocation, Network, Resource, plan_cost
from borderflow.interdiction.network import network_from_warehouse, to_geojson
from borderflow.interdiction.optimize import Response, Solution, best_response, solve_stackelberg
from borderflow.interdiction.policies import POLICIES, policy_plan
from borderflow.interdiction.quantal_plan import plan_against_quantal
from borderflow.interdiction.resources import build_resources
from borderflow.interdiction.scenario import Scenario, default_scenario_path, load_scenario
from borderflow.interdiction.sensitivity import calibration_sensitivity
from borderflow.interdiction.simulate import simulate
from borderflow.metrics import Engine

FLOW_UNIT = "flow units (the scenario's network.total_flow is what the trafficker ships)"


@dataclass
class InterdictionResult:
    """Everything one run produced. ``to_dict()`` is the JSON contract."""

    scenario: Scenario
    network: Network
    resources: list[Resource]
    calibration: list[Calibrated]
    solution: Solution
    response: Response
    baseline: Response
    policies: dict[str, dict[str, Any]]
    simulation: dict[str, Any]
    releases: list[dict[str, Any]] = field(default_factory=list)
    sensitivity: dict[str, Any] | None = None
    run_id: int | None = None

    def allocation(self) -> list[dict[str, Any]]:
        """One row per (resource, crossing) the optimised plan uses."""
        rows = []
        for (resource, cid), units in sorted(self.solution.plan.items(), key=lambda kv: kv[0]):
            c = self.network.crossings[cid]
            rows.append(
                {
                    "node": cid,
                    "name": c.name,
                    "kind": c.kind,
                    "area": c.area,
                    "conveyance": c.conveyance,
                    "resource": resource,
                    "units": units,
                    "detection_before": c.detection,
                    "detection_after": 1.0 - self.response.survival[cid],
                    "flow_before": self.baseline.flows.get(cid, 0.0),
                    "flow_after": self.response.flows.get(cid, 0.0),
                }
            )
        return rows

    def objective(self) -> dict[str, Any]:
        s, r, b = self.solution, self.response, self.baseline
        return {
            "value": s.objective,
            "bound": s.bound,
            "gap": s.gap,
            "optimal": s.optimal,
            "status": s.status,
            "seconds": s.seconds,
            "spent": plan_cost(self.resources, s.plan),
            "budget": self.scenario.budget,
            "delivered": r.delivered,
            "shipped": r.shipped,
            "interdicted": r.interdicted,
            "baseline_value": b.value,
            "baseline_delivered": b.delivered,
            "baseline_interdicted": b.interdicted,
            "unit": FLOW_UNIT,
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-able result: scenario, allocation, objective, policies, simulation, run_id."""
        return {
            "scenario": {**self.scenario.parameters(), "description": self.scenario.description},
            "allocation": self.allocation(),
            "objective": self.objective(),
            "policies": self.policies,
            "simulation": self.simulation,
            "calibration": [c.to_dict() for c in self.calibration],
            "sensitivity": self.sensitivity,
            "network": {
                "nodes": self.network.graph.number_of_nodes(),
                "arcs": self.network.graph.number_of_edges(),
                "crossings": len(self.network.crossings),
                **self.network.meta,
            },
            "geojson": to_geojson(self.network, self.response.flows),
            "releases": self.releases,
            "run_id": self.run_id,
        }


def run_scenario(
    scenario: Scenario,
    engine: Engine,
    *,
    seed: int = 0,
    sensitivity: bool = False,
) -> InterdictionResult:
    """Run a scenario against the warehouse ``engine`` reads; nothing is stored.

    Args:
        scenario: the loaded scenario.
        engine: the metrics engine the network's data are read through.
        seed: seed of the simulation.
        sensitivity: also solve the MILP with detection at both ends of its calibration
            interval (``sensitivity.py``; two more solves).

    Returns:
        The result, with ``run_id`` None (``store_run`` records it).

    Raises:
        ScenarioError: the warehouse cannot answer one of the scenario's data fields.
    """
    data, network, calibration = network_from_warehouse(engine, scenario)
    resources = build_resources(scenario.resources, network)
    solution = solve_stackelberg(network, resources, scenario.budget)
    response = best_response(network, resources, solution.plan)
    baseline = best_response(network, resources, {})
    result = InterdictionResult(
        scenario=scenario,
        network=network,
        resources=resources,
        calibration=calibration,
        solution=solution,
        response=response,
        baseline=baseline,
        policies=compare_policies(network, resources, scenario, solution.plan),
        simulation=_simulation(network, resources, scenario, solution.plan, seed),
        releases=data.releases,
    )
    if sensitivity:
        result.sensitivity = calibration_sensitivity(
            network, resources, scenario.budget, calibration, solution.plan
        )
    return result


def latest_result(engine: Engine) -> dict[str, Any]:
    """The newest stored run's result (``run_id`` set), else the default scenario run with seed
    0 and not stored (``run_id`` None); computed once per engine and newest stored run.

    Args:
        engine: an engine over the warehouse (DuckDB: stored runs are read from it).

    Returns:
        ``InterdictionResult.to_dict()`` of that run.
    """
    runs = engine.store.interdiction_runs()
    newest = int(runs[-1]["run_id"]) if runs else None
    return engine.memo(("interdiction.latest", newest), lambda: _latest(engine, newest))


def _latest(engine: Engine, run_id: int | None) -> dict[str, Any]:
    stored = engine.store.interdiction_run(run_id) if run_id is not None else None
    if stored is None:
        scenario = load_scenario(default_scenario_path())
        return run_scenario(scenario, engine, seed=0).to_dict()
    result: dict[str, Any] = stored["result"]
    result["run_id"] = stored["run_id"]
    return result


def evaluate(
    network: Network, resources: list[Resource], plan: Allocation, rationality: float
) -> dict[str, Any]:
    """A plan against both adversaries: the exact best response and quantal response."""
    response = best_response(network, resources, plan)
    return {
        "units": sum(plan.values()),
        "spent": plan_cost(resources, plan),
        "value": response.value,
        "delivered": response.delivered,
        "interdicted": response.interdicted,
        "quantal_delivered": quantal_response(network, resources, plan, rationality).delivered,
        "plan": [{"resource": r, "node": c, "units": u} for (r, c), u in sorted(plan.items())],
    }


def compare_policies(
    network: Network, resources: list[Resource], scenario: Scenario, optimal: Allocation
) -> dict[str, dict[str, Any]]:
    """The optimised plan, the simple policies, a plan against quantal response, and none."""
    plans: dict[str, tuple[str, Allocation]] = {
        "stackelberg": ("optimised against a trafficker who re-routes optimally (MILP)", optimal),
    }
    for name, (description, _) in POLICIES.items():
        plans[name] = (description, policy_plan(name, network, resources, scenario.budget))
    plans["quantal_greedy"] = (
        "against a quantal-response trafficker (greedy + swaps, heuristic)",
        plan_against_quantal(network, resources, scenario.budget, scenario.rationality),
    )
    plans["none"] = ("no added resources (baseline detection only)", {})
    return {
        name: {
            "description": description,
            **evaluate(network, resources, plan, scenario.rationality),
        }
        for name, (description, plan) in plans.items()
    }


def _simulation(
    network: Network, resources: list[Resource], scenario: Scenario, plan: Allocation, seed: int
) -> dict[str, Any]:
    result = simulate(
        network,
        resources,
        plan,
        months=scenario.months,
        deploy_month=scenario.deploy_month,
        agents=scenario.agents,
        rationality=scenario.rationality,
        learning_rate=scenario.learning_rate,
        seed=seed,
    )
    return {"seed": seed, "agents": scenario.agents, **result.summary()}
