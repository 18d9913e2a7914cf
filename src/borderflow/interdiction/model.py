"""The interdiction network as the optimiser sees it: a flow graph with crossings and resources.

A network is a directed acyclic graph from a super source ``S`` to a super sink ``T``:
``S → origin → crossing:in → crossing:out → destination → T``. The arc ``crossing:in →
crossing:out`` of each crossing node is where inspection happens: a unit of flow that takes it
survives with probability ``survival = 1 - detection``, and inspection resources placed there lower
that survival. Every other arc carries a per-unit ``cost`` for the trafficker and optionally a
``capacity``. This module holds only the data structures; ``network.py`` builds them from the
warehouse and ``optimize.py`` solves them, so hand-made instances in tests use the same types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

SOURCE = "S"
SINK = "T"


@dataclass(frozen=True)
class Crossing:
    """One inspection point: a CBP field office's ports for one conveyance, or a sector.

    Attributes:
        id: node id, e.g. ``"LAREDO FIELD OFFICE|Trucks"`` or ``"TUCSON SECTOR|Between ports"``.
        name: readable name.
        kind: ``"port"`` (ports of entry) or ``"sector"`` (Border Patrol, between ports).
        area: the CBP area of responsibility (field office or sector code).
        conveyance: BTS conveyance, or ``"Between ports"``.
        capacity: most flow the trafficker can move through it (flow units).
        detection: baseline detection probability (calibrated).
        traffic: inbound crossings in the period (0 for sectors).
        latitude: point used for distances and maps.
        longitude: point used for distances and maps.
        seizure_events: CBP seizure events of its area, shared out by traffic (for policies).
    """

    id: str
    name: str
    kind: str
    area: str
    conveyance: str
    capacity: float
    detection: float
    traffic: float = 0.0
    latitude: float = 0.0
    longitude: float = 0.0
    seizure_events: float = 0.0

    @property
    def survival(self) -> float:
        """Probability that a load passes uninspected or undetected, before added resources."""
        return 1.0 - self.detection


@dataclass(frozen=True)
class Resource:
    """A kind of inspection resource the defender can place.

    Attributes:
        name: short name, e.g. ``"nii_unit"``.
        cost: budget cost of one unit.
        available: most units of this kind that exist.
        gains: crossing id → detection probability one unit adds there (absent: not placeable).
        max_per_node: crossing id → most units of this kind that node can use.
    """

    name: str
    cost: float
    available: int
    gains: dict[str, float]
    max_per_node: dict[str, int]


@dataclass
class Network:
    """A flow network with crossings, ready for the optimiser.

    Attributes:
        graph: ``networkx.DiGraph``; arcs carry ``cost`` (per unit, ≥ 0) and may carry
            ``capacity``; the arc of crossing ``c`` is ``(c.id + ":in", c.id + ":out")`` with
            attribute ``crossing=c.id``.
        crossings: the inspection points, by id.
        survival_floor: no allocation can push a crossing's survival below this.
    """

    graph: nx.DiGraph
    crossings: dict[str, Crossing]
    survival_floor: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)

    def crossing_arc(self, crossing_id: str) -> tuple[str, str]:
        """The arc of a crossing node."""
        return (f"{crossing_id}:in", f"{crossing_id}:out")


def add_crossing(graph: nx.DiGraph, crossing: Crossing) -> None:
    """Add the split node (``:in`` → ``:out``) of a crossing, capacitated, to ``graph``."""
    graph.add_edge(
        f"{crossing.id}:in",
        f"{crossing.id}:out",
        capacity=crossing.capacity,
        cost=0.0,
        crossing=crossing.id,
    )


Allocation = dict[tuple[str, str], int]
"""(resource name, crossing id) → units placed there."""


def survival_under(
    network: Network, resources: list[Resource], plan: Allocation
) -> dict[str, float]:
    """Each crossing's survival probability once ``plan`` is in place (floored)."""
    gains = {r.name: r.gains for r in resources}
    survival = {cid: c.survival for cid, c in network.crossings.items()}
    for (name, cid), units in plan.items():
        survival[cid] -= gains[name].get(cid, 0.0) * units
    return {cid: max(network.survival_floor, s) for cid, s in survival.items()}


def plan_cost(resources: list[Resource], plan: Allocation) -> float:
    """The budget a plan spends."""
    costs = {r.name: r.cost for r in resources}
    return sum(costs[name] * units for (name, _), units in plan.items())
