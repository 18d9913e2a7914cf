"""The interdiction MILP on hand-solvable instances, and against the simple policies."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from borderflow.interdiction.adversary import quantal_response
from borderflow.interdiction.model import (
    SINK,
    SOURCE,
    Crossing,
    Network,
    Resource,
    add_crossing,
    plan_cost,
)
from borderflow.interdiction.optimize import best_response, solve_stackelberg
from borderflow.interdiction.policies import POLICIES, policy_plan
from borderflow.interdiction.quantal_plan import plan_against_quantal


def _network(
    origins: dict[str, float],
    crossings: dict[str, float],
    links: list[tuple[str, str]],
    *,
    cost: float = 0.0,
    detection: float = 0.0,
) -> Network:
    """S → origins (supply) → crossings (capacity) → one destination → T."""
    g = nx.DiGraph()
    nodes = {}
    for o, supply in origins.items():
        g.add_edge(SOURCE, o, capacity=supply, cost=0.0)
    for name, capacity in crossings.items():
        c = Crossing(name, name, "port", name, "Trucks", capacity, detection, traffic=1.0)
        nodes[name] = c
        add_crossing(g, c)
        g.add_edge(f"{name}:out", "d", cost=0.0)
    for o, name in links:
        g.add_edge(o, f"{name}:in", cost=cost)
    g.add_edge("d", SINK, capacity=sum(origins.values()), cost=0.0)
    return Network(graph=g, crossings=nodes)


def _units(names: list[str], gain: float, available: int = 10, cap: int = 2) -> Resource:
    return Resource("unit", 1.0, available, dict.fromkeys(names, gain), dict.fromkeys(names, cap))


def _check_feasible(network: Network, resources: list[Resource], solution, budget: float) -> None:
    assert plan_cost(resources, solution.plan) <= budget + 1e-9
    for r in resources:
        assert sum(u for (n, _), u in solution.plan.items() if n == r.name) <= r.available
        for (n, c), u in solution.plan.items():
            if n == r.name:
                assert 0 < u <= r.max_per_node[c]
    # strong duality: the MILP's value is the follower's best response to its plan
    assert best_response(network, resources, solution.plan).value == pytest.approx(
        solution.objective, abs=1e-6
    )


# Two parallel crossings, supply 10, a unit halves a crossing's survival (gain 0.5).
@pytest.mark.parametrize(
    ("capacity", "budget", "expected"),
    [
        (10.0, 1, 10.0),  # either crossing alone takes all: interdiction cannot bite
        (6.0, 0, 10.0),  # no budget
        (6.0, 1, 8.0),  # 6 through the clean crossing + 4 × 0.5
        (6.0, 2, 5.0),  # one unit each: 10 × 0.5 (two on one crossing: 6 + 0 = 6)
        (6.0, 3, 3.0),  # A at survival 0 (two units), B at 0.5: 6 × 0.5 via B + 4 × 0 via A
    ],
)
def test_two_parallel_crossings(capacity: float, budget: int, expected: float) -> None:
    network = _network({"o": 10.0}, {"A": capacity, "B": capacity}, [("o", "A"), ("o", "B")])
    resources = [_units(["A", "B"], 0.5)]
    solution = solve_stackelberg(network, resources, budget)
    assert solution.optimal
    assert solution.objective == pytest.approx(expected)
    _check_feasible(network, resources, solution, budget)


# Wood (1993) max-flow interdiction: a unit removes a crossing (gain 1). o1 (supply 4) reaches
# only A (cap 5); o2 (supply 6) reaches B (cap 3) and C (cap 10). Max flow 10.
@pytest.mark.parametrize(("budget", "expected"), [(0, 10.0), (1, 6.0), (2, 3.0), (3, 0.0)])
def test_max_flow_interdiction(budget: int, expected: float) -> None:
    network = _network(
        {"o1": 4.0, "o2": 6.0},
        {"A": 5.0, "B": 3.0, "C": 10.0},
        [("o1", "A"), ("o2", "B"), ("o2", "C")],
    )
    resources = [_units(["A", "B", "C"], 1.0, cap=1)]
    solution = solve_stackelberg(network, resources, budget)
    assert solution.objective == pytest.approx(expected)
    _check_feasible(network, resources, solution, budget)


def test_a_route_that_costs_more_than_it_delivers_is_not_used() -> None:
    network = _network({"o": 10.0}, {"A": 10.0}, [("o", "A")], cost=0.6, detection=0.5)
    solution = solve_stackelberg(network, [_units(["A"], 0.1)], 0)
    assert solution.objective == pytest.approx(0.0)
    assert best_response(network, [_units(["A"], 0.1)], {}).shipped == pytest.approx(0.0)


def test_the_survival_floor_caps_what_units_can_do() -> None:
    network = _network({"o": 10.0}, {"A": 10.0}, [("o", "A")])
    network.survival_floor = 0.25
    solution = solve_stackelberg(network, [_units(["A"], 0.5, cap=5)], 5)
    assert solution.objective == pytest.approx(5.0)  # a second unit would pass the floor


def _random_instance(seed: int) -> tuple[Network, list[Resource], float]:
    rng = random.Random(seed)
    origins = {f"o{i}": rng.uniform(2, 10) for i in range(3)}
    crossings = {f"c{i}": rng.uniform(2, 12) for i in range(5)}
    links = [(o, c) for o in origins for c in crossings if rng.random() < 0.7]
    network = _network(origins, crossings, links, cost=0.05, detection=rng.uniform(0, 0.2))
    resources = [
        Resource(
            "big",
            2.0,
            4,
            {c: rng.uniform(0.1, 0.4) for c in crossings},
            dict.fromkeys(crossings, 2),
        ),
        Resource(
            "small",
            1.0,
            6,
            {c: rng.uniform(0.05, 0.2) for c in crossings},
            dict.fromkeys(crossings, 3),
        ),
    ]
    return network, resources, rng.choice([3.0, 5.0, 8.0])


@pytest.mark.parametrize("seed", range(6))
def test_the_optimised_plan_is_never_worse_than_a_simple_policy(seed: int) -> None:
    network, resources, budget = _random_instance(seed)
    solution = solve_stackelberg(network, resources, budget)
    _check_feasible(network, resources, solution, budget)
    others = {name: policy_plan(name, network, resources, budget) for name in POLICIES}
    others["quantal_greedy"] = plan_against_quantal(network, resources, budget, 20.0)
    for name, plan in others.items():
        assert plan_cost(resources, plan) <= budget + 1e-9, name
        value = best_response(network, resources, plan).value
        assert solution.objective <= value + 1e-6, name


def test_quantal_response_tends_to_the_best_response_as_rationality_grows() -> None:
    network = _network({"o": 10.0}, {"A": 10.0, "B": 10.0}, [("o", "A"), ("o", "B")])
    resources = [_units(["A", "B"], 0.5)]
    plan = {("unit", "A"): 1}
    assert quantal_response(network, resources, plan, 0.0).delivered == pytest.approx(7.5)
    assert quantal_response(network, resources, plan, 200.0).delivered == pytest.approx(10.0)


def test_a_time_limit_reports_a_gap_not_a_wrong_optimum() -> None:
    network, resources, budget = _random_instance(1)
    solution = solve_stackelberg(network, resources, budget, time_limit=30)
    assert solution.bound <= solution.objective + 1e-9
    assert solution.gap >= 0


def _all_plans(resources: list[Resource], budget: float) -> list[dict]:
    """Every plan within caps, stock and budget (tiny instances only)."""
    import itertools

    keys = [(r.name, c) for r in resources for c in r.gains]
    caps = {(r.name, c): r.max_per_node[c] for r in resources for c in r.gains}
    plans = []
    for units in itertools.product(*(range(caps[k] + 1) for k in keys)):
        plan = {k: u for k, u in zip(keys, units, strict=True) if u}
        stock_ok = all(
            sum(u for (n, _), u in plan.items() if n == r.name) <= r.available for r in resources
        )
        if stock_ok and plan_cost(resources, plan) <= budget + 1e-9:
            plans.append(plan)
    return plans


@pytest.mark.parametrize("seed", range(4))
def test_the_plan_against_quantal_response_is_near_the_exhaustive_best(seed: int) -> None:
    network, resources, budget = _random_instance(seed)
    for r in resources:
        r.max_per_node.update(dict.fromkeys(r.max_per_node, 1))
    best = min(
        quantal_response(network, resources, plan, 20.0).delivered
        for plan in _all_plans(resources, budget)
    )
    greedy = plan_against_quantal(network, resources, budget, 20.0)
    found = quantal_response(network, resources, greedy, 20.0).delivered
    assert best <= found <= best * 1.02  # within 2% of the exhaustive optimum


@pytest.mark.parametrize("seed", range(3))
def test_the_milp_optimum_equals_exhaustive_search_over_plans(seed: int) -> None:
    network, resources, _ = _random_instance(seed)
    for r in resources:
        r.max_per_node.update(dict.fromkeys(r.max_per_node, 1))
    budget = 4.0
    plans = _all_plans(resources, budget)
    best = min(best_response(network, resources, plan).value for plan in plans)
    solution = solve_stackelberg(network, resources, budget)
    assert solution.objective == pytest.approx(best, abs=1e-6)
