"""How much the answer moves when detection is at the ends of its calibration interval.

Each crossing's baseline detection is shifted to the low (or high) end of its 95% interval
(``calibrate.py``; month-to-month noise only), the MILP is solved again, and the plan found at
the calibrated values is re-scored there too: if the re-optimised and re-scored values are close,
the plan is robust to that noise. The assumed mean detection rates (``port_detection``,
``sector_detection``) are not varied here — change them in the scenario to see their effect.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from borderflow.interdiction.calibrate import Calibrated
from borderflow.interdiction.model import Allocation, Network, Resource
from borderflow.interdiction.optimize import best_response, solve_stackelberg


def shifted(network: Network, calibration: list[Calibrated], end: str) -> Network:
    """The network with every crossing's detection moved to the ``low`` or ``high`` end."""
    move = {f"{c.area}|{c.conveyance}": getattr(c, end) - c.detection for c in calibration}
    ceiling = 1.0 - network.survival_floor
    crossings = {
        cid: replace(c, detection=min(max(c.detection + move.get(cid, 0.0), 0.0), ceiling))
        for cid, c in network.crossings.items()
    }
    return replace(network, crossings=crossings)


def calibration_sensitivity(
    network: Network,
    resources: list[Resource],
    budget: float,
    calibration: list[Calibrated],
    plan: Allocation,
) -> dict[str, Any]:
    """Objective re-optimised, and the given plan re-scored, at each end of the interval."""
    out: dict[str, Any] = {}
    for end in ("low", "high"):
        moved = shifted(network, calibration, end)
        solution = solve_stackelberg(moved, resources, budget)
        out[end] = {
            "objective": solution.objective,
            "optimal": solution.optimal,
            "plan_value": best_response(moved, resources, plan).value,
            "same_plan": solution.plan == plan,
        }
    return out
