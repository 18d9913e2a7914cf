"""From a scenario's resource specifications to per-crossing gains the optimiser can use.

At a port node of ``traffic`` inbound crossings, one unit that examines ``examinations_per_year``
of them and finds a load it examines with probability ``hit_rate`` adds
``hit_rate × min(1, examinations / traffic)`` to detection, and at most ``traffic /
examinations`` units (rounded up) can be busy there. Between ports, a unit covering
``coverage_per_unit`` of a sector adds ``hit_rate × coverage_per_unit``, up to full coverage.
The effect is linear in units until those caps: a simplification (no diminishing returns).
"""

from __future__ import annotations

import math

from borderflow.interdiction.model import Crossing, Network, Resource
from borderflow.interdiction.scenario import ResourceSpec


def _gain_and_cap(spec: ResourceSpec, crossing: Crossing) -> tuple[float, int] | None:
    if crossing.conveyance not in spec.applies_to:
        return None
    if crossing.kind == "sector":
        gain, cap = spec.hit_rate * spec.coverage_per_unit, math.floor(1 / spec.coverage_per_unit)
    else:
        if crossing.traffic <= 0:
            return None
        share = min(1.0, spec.examinations_per_year / crossing.traffic)
        gain, cap = spec.hit_rate * share, math.ceil(crossing.traffic / spec.examinations_per_year)
    if spec.max_per_node is not None:
        cap = min(cap, spec.max_per_node)
    return (gain, max(cap, 1)) if gain > 0 else None


def build_resources(specs: tuple[ResourceSpec, ...], network: Network) -> list[Resource]:
    """The optimiser's resources: each spec's gain and unit cap at every crossing it fits."""
    out = []
    for spec in specs:
        gains: dict[str, float] = {}
        caps: dict[str, int] = {}
        for cid, crossing in network.crossings.items():
            found = _gain_and_cap(spec, crossing)
            if found:
                gains[cid], caps[cid] = found
        out.append(Resource(spec.name, spec.cost, spec.available, gains, caps))
    return out
