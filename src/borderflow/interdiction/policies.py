"""Simple allocation policies to compare the optimised plan with: a registry, one weight each.

Every policy spreads the budget the same way and differs only in how it weighs crossings:
the budget is shared among resource kinds in proportion to the value of their stock
(``available × cost``); each kind's units go to the crossings it fits in proportion to the
policy's weight (largest remainder), never above a crossing's cap; budget left over by caps
buys more units greedily, heaviest crossing first.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from borderflow.interdiction.model import Allocation, Crossing, Network, Resource

Weigh = Callable[[Crossing], float]


def _uniform(c: Crossing) -> float:
    return 1.0


def _traffic(c: Crossing) -> float:
    return c.traffic if c.kind == "port" else c.capacity  # no traffic is counted between ports


def _seizures(c: Crossing) -> float:
    return c.seizure_events


#: Policy name → how it weighs a crossing.
POLICIES: dict[str, tuple[str, Weigh]] = {
    "uniform": ("the same number of units at every crossing", _uniform),
    "traffic": ("in proportion to inbound crossings (BTS)", _traffic),
    "seizures": ("in proportion to past seizure events (CBP)", _seizures),
}


def policy_plan(
    name: str, network: Network, resources: list[Resource], budget: float
) -> Allocation:
    """The plan of policy ``name`` for this budget."""
    weigh = POLICIES[name][1]
    stock = sum(r.available * r.cost for r in resources if r.gains) or 1.0
    plan: Allocation = {}
    for r in resources:
        if not r.gains:
            continue
        units = min(r.available, math.floor(budget * r.available * r.cost / stock / r.cost))
        weights = {c: weigh(network.crossings[c]) for c in r.gains}
        plan |= _spread(r, units, weights)
    _top_up(plan, network, resources, budget, weigh)
    return {k: v for k, v in plan.items() if v > 0}


def _spread(r: Resource, units: int, weights: dict[str, float]) -> Allocation:
    """Largest-remainder apportionment of ``units`` by ``weights``, within caps."""
    total = sum(weights.values())
    if total <= 0 or units <= 0:
        return {}
    exact = {c: units * w / total for c, w in weights.items()}
    plan = {(r.name, c): min(math.floor(x), r.max_per_node[c]) for c, x in exact.items()}
    left = units - sum(plan.values())
    for c in sorted(exact, key=lambda c: exact[c] - math.floor(exact[c]), reverse=True):
        if left <= 0:
            break
        if plan[r.name, c] < r.max_per_node[c]:
            plan[r.name, c] += 1
            left -= 1
    return plan


def _top_up(
    plan: Allocation, network: Network, resources: list[Resource], budget: float, weigh: Weigh
) -> None:
    """Spend what is left, one unit at a time, on the heaviest crossing with room."""
    spent = sum(r.cost * plan.get((r.name, c), 0) for r in resources for c in r.gains)
    for r in sorted(resources, key=lambda r: r.cost):
        for c in sorted(r.gains, key=lambda c: weigh(network.crossings[c]), reverse=True):
            used = sum(v for (n, _), v in plan.items() if n == r.name)
            while (
                spent + r.cost <= budget + 1e-9
                and used < r.available
                and plan.get((r.name, c), 0) < r.max_per_node[c]
            ):
                plan[r.name, c] = plan.get((r.name, c), 0) + 1
                spent += r.cost
                used += 1
