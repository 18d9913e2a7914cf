"""A boundedly rational (quantal-response) trafficker, and a defender's heuristic against it.

The Stackelberg model in ``optimize.py`` assumes a trafficker who finds the exact best response.
PROTECT (Shieh et al., AAMAS 2012, the U.S. Coast Guard's patrol planner) instead models the
adversary with quantal response (McKelvey & Palfrey 1995): each option is chosen with probability
rising smoothly with its utility. Here an option is a crossing ``c`` with utility
``u_c = s_c − cost_c`` (survival minus the supply- and demand-weighted mean transport cost through
it), and ``P(c) ∝ capacity_c × exp(λ u_c)``: capacity as the prior weight (how much traffic can
hide there), ``λ`` the rationality (0: choice by capacity alone; ∞: only the best crossings).
Capacities do not bind under quantal response; the expected delivered flow is
``total × Σ_c P(c) s_c``.

The defender's plan against it is a heuristic (``quantal_plan.py``), not a proven optimum
(PROTECT's PASAQ solves it by piecewise-linear MILP).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from borderflow.interdiction.model import (
    SINK,
    SOURCE,
    Allocation,
    Network,
    Resource,
    survival_under,
)


@dataclass(frozen=True)
class QuantalOutcome:
    """What a quantal-response trafficker does against a plan.

    Attributes:
        delivered: expected units delivered.
        shares: crossing id → probability a load goes there.
    """

    delivered: float
    shares: dict[str, float]


def route_costs(network: Network) -> dict[str, float]:
    """Crossing id → mean transport cost through it (legs weighted by supply and demand)."""
    g = network.graph
    supply = {v: d["capacity"] for _, v, d in g.out_edges(SOURCE, data=True)}
    demand = {u: d["capacity"] for u, _, d in g.in_edges(SINK, data=True)}
    out = {}
    for cid in network.crossings:
        start, end = network.crossing_arc(cid)
        inbound = [(u, d["cost"]) for u, _, d in g.in_edges(start, data=True) if u in supply]
        outbound = [(v, d["cost"]) for _, v, d in g.out_edges(end, data=True) if v in demand]
        out[cid] = _weighted(inbound, supply) + _weighted(outbound, demand)
    return out


def _weighted(legs: list[tuple[str, float]], weight: dict[str, float]) -> float:
    total = sum(weight[n] for n, _ in legs)
    return sum(weight[n] * cost for n, cost in legs) / total if total else 0.0


def total_supply(network: Network) -> float:
    """Units the origins can ship."""
    return sum(d["capacity"] for _, _, d in network.graph.out_edges(SOURCE, data=True))


def quantal_response(
    network: Network,
    resources: list[Resource],
    plan: Allocation,
    rationality: float,
    costs: dict[str, float] | None = None,
) -> QuantalOutcome:
    """Expected delivery when the trafficker picks crossings by quantal response."""
    costs = costs if costs is not None else route_costs(network)
    survival = survival_under(network, resources, plan)
    utility = {c: survival[c] - costs[c] for c in network.crossings}
    top = max(utility.values())
    weight = {
        c: network.crossings[c].capacity * math.exp(rationality * (u - top))
        for c, u in utility.items()
    }
    total = sum(weight.values()) or 1.0
    shares = {c: w / total for c, w in weight.items()}
    delivered = total_supply(network) * sum(shares[c] * survival[c] for c in shares)
    return QuantalOutcome(delivered=delivered, shares=shares)
