"""An agent-based, seeded simulation of traffickers who re-route when they see interdiction.

Each of ``agents`` trafficking organisations is based in a Mexican state (drawn by the supply
shares) and ships one equal load a month. It picks a crossing by a logit over what it believes of
each crossing's survival, minus its own transport cost, among crossings with capacity left
(organisations choose in a random order each month). A load is seized with the crossing's true
detection probability. Beliefs learn: an organisation moves its belief about the crossing it used
towards its own outcome (rate ``learning_rate``), and every organisation moves its beliefs halfway
as fast towards the survival rate observed at each crossing that month (seizures are public).

The plan is deployed at ``deploy_month``; before that only the baseline detection applies. The
report compares the last quarter before deployment with the last quarter of the run:
displacement (half the sum of absolute changes in route shares — the share of flow that moved),
flow through the crossings the plan reinforces, and total shipped, delivered and seized: the
"balloon effect" is flow leaving reinforced crossings for others, not less flow overall.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from borderflow.interdiction.model import SOURCE, Allocation, Network, Resource, survival_under

WINDOW = 3  # months averaged before deployment and at the end


@dataclass
class SimulationResult:
    """Monthly flows and the before/after summary.

    Attributes:
        shipped: months × crossings array of units sent.
        seized: months × crossings array of units seized.
        crossings: crossing ids, the columns of the arrays.
        deploy_month: first month (0-based) with the plan in place.
        treated: crossings the plan puts units on.
    """

    shipped: np.ndarray
    seized: np.ndarray
    crossings: list[str]
    deploy_month: int
    treated: list[str]

    def summary(self) -> dict[str, Any]:
        """Before/after averages, displacement and the balloon effect (JSON-able)."""
        before = slice(max(self.deploy_month - WINDOW, 0), self.deploy_month)
        after = slice(len(self.shipped) - WINDOW, len(self.shipped))
        ship_b, ship_a = self.shipped[before].mean(0), self.shipped[after].mean(0)
        seize_b, seize_a = self.seized[before].mean(0), self.seized[after].mean(0)
        share_b, share_a = ship_b / max(ship_b.sum(), 1e-12), ship_a / max(ship_a.sum(), 1e-12)
        treated = np.array([c in self.treated for c in self.crossings])
        return {
            "months": len(self.shipped),
            "deploy_month": self.deploy_month + 1,
            "displacement": float(0.5 * np.abs(share_a - share_b).sum()),
            "treated_share_before": float(share_b[treated].sum()),
            "treated_share_after": float(share_a[treated].sum()),
            "shipped_before": float(ship_b.sum()),
            "shipped_after": float(ship_a.sum()),
            "delivered_before": float((ship_b - seize_b).sum()),
            "delivered_after": float((ship_a - seize_a).sum()),
            "seized_before": float(seize_b.sum()),
            "seized_after": float(seize_a.sum()),
            "monthly_delivered": [float(x) for x in (self.shipped - self.seized).sum(1)],
            "monthly_seized": [float(x) for x in self.seized.sum(1)],
        }


def simulate(
    network: Network,
    resources: list[Resource],
    plan: Allocation,
    *,
    months: int,
    deploy_month: int,
    agents: int,
    rationality: float,
    learning_rate: float,
    seed: int = 0,
) -> SimulationResult:
    """Run the simulation (deterministic for a given ``seed``)."""
    rng = np.random.default_rng(seed)
    ids = list(network.crossings)
    origins, supply = _origins(network)
    home = rng.choice(len(origins), size=agents, p=supply / supply.sum())
    cost = _agent_costs(network, ids, [origins[h] for h in home])
    load = supply.sum() / agents
    capacity = np.array([network.crossings[c].capacity for c in ids])
    before = _survival(network, resources, {}, ids)
    after = _survival(network, resources, plan, ids)
    belief = np.full((agents, len(ids)), float(before.mean()))
    shipped = np.zeros((months, len(ids)))
    seized = np.zeros((months, len(ids)))
    for month in range(months):
        truth = after if month >= deploy_month else before
        choice = _choose(rng, belief, cost, capacity, load, rationality)
        caught = rng.random(agents) > truth[choice]
        np.add.at(shipped[month], choice, load)
        np.add.at(seized[month], choice[caught], load)
        _learn(belief, choice, caught, shipped[month], seized[month], learning_rate)
    treated = sorted({c for (_, c), units in plan.items() if units > 0})
    return SimulationResult(shipped, seized, ids, deploy_month, treated)


def _origins(network: Network) -> tuple[list[str], np.ndarray]:
    edges = list(network.graph.out_edges(SOURCE, data=True))
    return [v for _, v, _ in edges], np.array([d["capacity"] for _, _, d in edges])


def _agent_costs(network: Network, ids: list[str], homes: list[str]) -> np.ndarray:
    """agents × crossings: the agent's leg to the crossing plus the crossing's mean onward leg."""
    g = network.graph
    onward = []
    for cid in ids:
        legs = [d["cost"] for _, _, d in g.out_edges(network.crossing_arc(cid)[1], data=True)]
        onward.append(sum(legs) / len(legs) if legs else 0.0)
    return np.array(
        [
            [
                g.edges[home, network.crossing_arc(cid)[0]]["cost"] + onward[j]
                for j, cid in enumerate(ids)
            ]
            for home in homes
        ]
    )


def _survival(
    network: Network, resources: list[Resource], plan: Allocation, ids: list[str]
) -> np.ndarray:
    survival = survival_under(network, resources, plan)
    return np.array([survival[c] for c in ids])


def _choose(
    rng: np.random.Generator,
    belief: np.ndarray,
    cost: np.ndarray,
    capacity: np.ndarray,
    load: float,
    rationality: float,
) -> np.ndarray:
    """Each agent, in random order, picks a crossing with room by a logit over its utility."""
    left = capacity.copy()
    choice = np.zeros(len(belief), dtype=int)
    utility = rationality * (belief - cost)
    for a in rng.permutation(len(belief)):
        room = left >= load - 1e-9
        if not room.any():
            room = left == left.max()
        u = np.where(room, utility[a], -np.inf)
        p = np.exp(u - u.max())
        choice[a] = rng.choice(len(p), p=p / p.sum())
        left[choice[a]] -= load
    return choice


def _learn(
    belief: np.ndarray,
    choice: np.ndarray,
    caught: np.ndarray,
    shipped: np.ndarray,
    seized: np.ndarray,
    rate: float,
) -> None:
    """Own outcome at the used crossing, then the public survival rate where loads went."""
    own = np.arange(len(belief))
    belief[own, choice] += rate * ((~caught).astype(float) - belief[own, choice])
    used = shipped > 0
    observed = 1.0 - seized[used] / shipped[used]
    belief[:, used] += (rate / 2) * (observed - belief[:, used])
