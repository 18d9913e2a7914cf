"""The defender's problem: place inspection resources so that, after the trafficker re-routes,
as little as possible gets through.

This is a Stackelberg (leader–follower) game solved as one mixed-integer program, in the manner
of Wood (1993), "Deterministic network interdiction", *Mathematical and Computer Modelling* 17(2).

The follower (trafficker), given the survival probability ``s_c`` of every crossing, ships a flow
``f`` that maximises expected value delivered minus transport cost::

    max  Σ_c s_c f_c − Σ_e cost_e f_e     s.t. flow conservation, 0 ≤ f_e ≤ cap_e

This is a linear program, so it can be replaced by its dual (node potentials ``α``, arc prices
``π ≥ 0``)::

    min  Σ_e cap_e π_e    s.t.  α_u − α_v + π_e ≥ w_e  for every arc e = (u, v),  α_S = α_T = 0

where ``w_e = −cost_e`` except on a crossing's arc, where ``w_e = s_c − cost_e``. The leader's
decisions enter only ``s_c = 1 − detection_c − Σ_r gain_rc x_rc`` (integer units ``x_rc``), i.e.
only the right-hand sides of the dual constraints, linearly; so min over ``x`` of the follower's
max is a single MILP with no big-M and no product of variables. It is solved with HiGHS through
Pyomo. ``best_response`` solves the follower's primal LP for a fixed plan (to evaluate the
simple policies, and to check strong duality in tests).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import pyomo.environ as pyo
from pyomo.contrib.solver.common.factory import SolverFactory
from pyomo.contrib.solver.common.results import SolutionStatus

from borderflow.errors import BorderflowError
from borderflow.interdiction.model import (
    SINK,
    SOURCE,
    Allocation,
    Network,
    Resource,
    survival_under,
)


class InterdictionSolveError(BorderflowError):
    """The solver found no feasible plan, or failed."""


@dataclass
class Solution:
    """The leader's plan and what it is worth.

    Attributes:
        plan: (resource, crossing) → units, only non-zero entries.
        objective: the trafficker's best value against the plan (expected units delivered
            minus transport cost) — what the defender minimises.
        bound: the solver's proven lower bound on the objective.
        gap: relative optimality gap, ``(objective − bound) / max(|objective|, 1e-9)``.
        optimal: proven optimal (within HiGHS's default tolerances).
        seconds: wall-clock time of the solve, model building included.
        status: the solver's termination condition, as text.
    """

    plan: Allocation
    objective: float
    bound: float
    gap: float
    optimal: bool
    seconds: float
    status: str


@dataclass
class Response:
    """The trafficker's best response to a plan.

    Attributes:
        value: expected units delivered minus transport cost (the LP optimum).
        delivered: expected units that get through.
        shipped: units sent across the border.
        flows: crossing id → units routed through it.
        survival: crossing id → survival probability used.
    """

    value: float
    delivered: float
    shipped: float
    flows: dict[str, float] = field(default_factory=dict)
    survival: dict[str, float] = field(default_factory=dict)

    @property
    def interdicted(self) -> float:
        """Expected units seized."""
        return self.shipped - self.delivered


def _arcs(network: Network) -> list[tuple[str, str, dict]]:
    return list(network.graph.edges(data=True))


def best_response(network: Network, resources: list[Resource], plan: Allocation) -> Response:
    """Solve the trafficker's LP against ``plan`` (the follower's primal)."""
    survival = survival_under(network, resources, plan)
    arcs = _arcs(network)
    m = pyo.ConcreteModel()
    m.A = pyo.RangeSet(0, len(arcs) - 1)
    m.f = pyo.Var(m.A, domain=pyo.NonNegativeReals)
    for i, (_, _, data) in enumerate(arcs):
        if data.get("capacity") is not None:
            m.f[i].setub(data["capacity"])
    weight = [_weight(data, survival) for _, _, data in arcs]
    m.value = pyo.Objective(expr=sum(weight[i] * m.f[i] for i in m.A), sense=pyo.maximize)
    inner = [n for n in network.graph.nodes if n not in (SOURCE, SINK)]
    into: dict[str, list[int]] = {n: [] for n in inner}
    out: dict[str, list[int]] = {n: [] for n in inner}
    for i, (u, v, _) in enumerate(arcs):
        if u in out:
            out[u].append(i)
        if v in into:
            into[v].append(i)
    m.balance = pyo.Constraint(
        inner, rule=lambda m, n: sum(m.f[i] for i in into[n]) == sum(m.f[i] for i in out[n])
    )
    _solve(m, time_limit=None, gap=0.0)
    flows = {
        data["crossing"]: float(pyo.value(m.f[i]))
        for i, (_, _, data) in enumerate(arcs)
        if "crossing" in data
    }
    return Response(
        value=float(pyo.value(m.value)),
        delivered=sum(survival[c] * f for c, f in flows.items()),
        shipped=sum(flows.values()),
        flows=flows,
        survival=survival,
    )


def _weight(data: dict, survival: dict[str, float]) -> float:
    crossing = data.get("crossing")
    return (survival[crossing] if crossing else 0.0) - float(data.get("cost", 0.0))


def solve_stackelberg(
    network: Network,
    resources: list[Resource],
    budget: float,
    *,
    time_limit: float | None = None,
    gap: float = 0.0,
    sub_mip_heuristics: bool | None = None,
) -> Solution:
    """The plan minimising the trafficker's best-response value (the dualised MILP).

    Args:
        network: the flow network.
        resources: the resource kinds, with their gains per crossing.
        budget: most the plan may spend (``Σ cost_r x_rc``).
        time_limit: stop after this many seconds, model building included, and report the
            gap (None: no limit).
        gap: relative MIP gap at which to stop (0: prove optimality).
        sub_mip_heuristics: let HiGHS run its RINS/RENS sub-MIP heuristics. Default: only
            under a time limit, where a good incumbent matters; when proving optimality on
            the real network they cost more than they save (2.6 s → 0.8 s without them).

    Raises:
        InterdictionSolveError: no feasible plan was found.
    """
    started = time.perf_counter()
    m, keys = _dual_model(network, resources, budget)
    if time_limit is not None:
        # The limit covers building the model and handing it to HiGHS, which takes about as
        # twice as long as building it; HiGHS gets what is left.
        time_limit = max(time_limit - 3 * (time.perf_counter() - started), 1.0)
    heuristics = time_limit is not None if sub_mip_heuristics is None else sub_mip_heuristics
    status, bound = _solve(m, time_limit=time_limit, gap=gap, heuristics=heuristics)
    objective = float(pyo.value(m.obj))
    plan = {k: round(pyo.value(m.x[k])) for k in keys if round(pyo.value(m.x[k])) > 0}
    bound = objective if math.isnan(bound) else min(bound, objective)
    rel_gap = (objective - bound) / max(abs(objective), 1e-9)
    return Solution(
        plan=plan,
        objective=objective,
        bound=bound,
        gap=max(rel_gap, 0.0),
        optimal=status == "optimal",
        seconds=time.perf_counter() - started,
        status=status,
    )


def _dual_model(
    network: Network, resources: list[Resource], budget: float
) -> tuple[pyo.ConcreteModel, list[tuple[str, str]]]:
    """Build the single-level MILP: min Σ cap π over plans x, potentials α, prices π."""
    arcs = _arcs(network)
    keys = [(r.name, c) for r in resources for c in r.gains if c in network.crossings]
    bounds = {(r.name, c): r.max_per_node.get(c, r.available) for r in resources for c in r.gains}
    m = pyo.ConcreteModel()
    m.x = pyo.Var(keys, domain=pyo.NonNegativeIntegers, bounds=lambda m, r, c: (0, bounds[r, c]))
    nodes = [n for n in network.graph.nodes if n not in (SOURCE, SINK)]
    m.alpha = pyo.Var(nodes, domain=pyo.Reals)
    capped = [i for i, (_, _, d) in enumerate(arcs) if d.get("capacity") is not None]
    m.pi = pyo.Var(capped, domain=pyo.NonNegativeReals)
    m.obj = pyo.Objective(expr=sum(arcs[i][2]["capacity"] * m.pi[i] for i in capped))
    by_crossing: dict[str, list[tuple[str, str]]] = {}
    gain = {(r.name, c): g for r in resources for c, g in r.gains.items()}
    for key in keys:
        by_crossing.setdefault(key[1], []).append(key)

    def survival(cid: str) -> pyo.Expression:
        base = network.crossings[cid].survival
        return base - sum(gain[k] * m.x[k] for k in by_crossing.get(cid, []))

    def dual_row(m: pyo.ConcreteModel, i: int) -> pyo.Expression:
        u, v, data = arcs[i]
        lhs = (m.alpha[u] if u != SOURCE else 0) - (m.alpha[v] if v != SINK else 0)
        lhs = lhs + m.pi[i] if i in m.pi else lhs
        crossing = data.get("crossing")
        rhs = (survival(crossing) if crossing else 0) - float(data.get("cost", 0.0))
        return lhs >= rhs

    m.dual = pyo.Constraint(range(len(arcs)), rule=dual_row)
    costs = {r.name: r.cost for r in resources}
    m.budget = pyo.Constraint(expr=sum(costs[k[0]] * m.x[k] for k in keys) <= budget)
    m.stock = pyo.ConstraintList()
    for r in resources:
        mine = [k for k in keys if k[0] == r.name]
        if mine:
            m.stock.add(sum(m.x[k] for k in mine) <= r.available)
    m.floor = pyo.ConstraintList()
    for cid in by_crossing:
        m.floor.add(survival(cid) >= network.survival_floor)
    return m, keys


def _solve(
    m: pyo.ConcreteModel, *, time_limit: float | None, gap: float, heuristics: bool = True
) -> tuple[str, float]:
    """Run HiGHS; return (status, best bound). Raises if no solution was found."""
    solver = SolverFactory("highs")
    options: dict = {"rel_gap": gap, "raise_exception_on_nonoptimal_result": False}
    if not heuristics:
        options["solver_options"] = {
            "mip_heuristic_run_rins": False,
            "mip_heuristic_run_rens": False,
        }
    if time_limit is not None:
        options["time_limit"] = time_limit
    result = solver.solve(m, load_solutions=False, **options)
    if result.solution_status == SolutionStatus.noSolution:
        raise InterdictionSolveError(
            f"HiGHS found no feasible solution ({result.termination_condition.name}); check the "
            "scenario's budget and the survival floor."
        )
    result.solution_loader.load_vars()
    optimal = result.solution_status == SolutionStatus.optimal
    bound = result.objective_bound
    return ("optimal" if optimal else result.termination_condition.name), float(
        bound if bound is not None else math.nan
    )
