"""The defender's plan against a quantal-response trafficker: greedy fills and improving swaps.

Against quantal response (``adversary.py``) expected delivery is a ratio of sums over crossings,
``total × Σ_c t_c s_c / Σ_c t_c`` with ``t_c = capacity_c × exp(λ (s_c − cost_c))``, so a change
at one crossing is evaluated in constant time from the running sums. The search:

1. two greedy fills from an empty plan — one unit at a time, the largest fall in expected
   delivery per unit of cost, and (second start) per unit regardless of cost;
2. from each, improving swaps until none helps: take one or two units off and put one unit
   elsewhere, then refill greedily (a 2-for-1 swap lets a dear unit replace two cheap ones);
3. the better of the two.

A heuristic: tests compare it with exhaustive search on small instances.
"""

from __future__ import annotations

import math

from borderflow.interdiction.adversary import route_costs, total_supply
from borderflow.interdiction.model import Allocation, Network, Resource

Key = tuple[str, str]


class _Evaluator:
    """Expected delivery under quantal response, with O(1) updates for local changes.

    A *state* is the plan's unfloored survival per crossing; the floor is applied when a
    crossing's term is computed, so states add up unit by unit.
    """

    def __init__(self, network: Network, resources: list[Resource], rationality: float) -> None:
        self.network, self.resources, self.rationality = network, resources, rationality
        self.costs = route_costs(network)
        self.gain = {(r.name, c): g for r in resources for c, g in r.gains.items()}
        self.cost = {r.name: r.cost for r in resources}
        self.by_name = {r.name: r for r in resources}
        self.total = total_supply(network)

    def state(self, plan: Allocation) -> dict[str, float]:
        raw = {c: x.survival for c, x in self.network.crossings.items()}
        for key, units in plan.items():
            raw[key[1]] -= self.gain[key] * units
        return raw

    def term(self, crossing: str, raw: float) -> tuple[float, float]:
        """(t_c, t_c s_c), shifted by a constant that cancels in the ratio."""
        s = max(self.network.survival_floor, raw)
        c = self.network.crossings[crossing]
        t = c.capacity * math.exp(self.rationality * (s - self.costs[crossing] - 1.0))
        return t, t * s

    def sums(self, raw: dict[str, float]) -> tuple[float, float]:
        terms = [self.term(c, r) for c, r in raw.items()]
        return sum(t for t, _ in terms), sum(v for _, v in terms)

    def delivered(self, plan: Allocation) -> float:
        weight, value = self.sums(self.state(plan))
        return self.total * value / weight

    def changed(
        self, raw: dict[str, float], sums: tuple[float, float], delta: dict[Key, int]
    ) -> float:
        """Delivery once ``delta`` (key → change in units) is applied to the state ``raw``."""
        weight, value = sums
        moved: dict[str, float] = {}
        for key, units in delta.items():
            moved[key[1]] = moved.get(key[1], 0.0) + self.gain[key] * units
        for crossing, fall in moved.items():
            old_t, old_v = self.term(crossing, raw[crossing])
            new_t, new_v = self.term(crossing, raw[crossing] - fall)
            weight, value = weight - old_t + new_t, value - old_v + new_v
        return self.total * value / weight

    def room(self, plan: Allocation, key: Key, budget: float) -> bool:
        r = self.by_name[key[0]]
        spent = sum(self.cost[n] * u for (n, _), u in plan.items())
        used = sum(u for (n, _), u in plan.items() if n == r.name)
        return (
            spent + r.cost <= budget + 1e-9
            and used < r.available
            and plan.get(key, 0) < r.max_per_node[key[1]]
        )


def _fill(ev: _Evaluator, plan: Allocation, budget: float, *, per_cost: bool) -> Allocation:
    """Add units greedily while one lowers expected delivery and fits."""
    plan = dict(plan)
    raw = ev.state(plan)
    while True:
        sums = ev.sums(raw)
        current = ev.total * sums[1] / sums[0]
        best: tuple[float, Key] | None = None
        spent = sum(ev.cost[n] * u for (n, _), u in plan.items())
        used = {n: sum(u for (m, _), u in plan.items() if m == n) for n in ev.by_name}
        for key in ev.gain:
            r = ev.by_name[key[0]]
            if (
                spent + r.cost > budget + 1e-9
                or used[r.name] >= r.available
                or plan.get(key, 0) >= r.max_per_node[key[1]]
            ):
                continue
            value = ev.changed(raw, sums, {key: 1})
            score = (current - value) / (ev.cost[key[0]] if per_cost else 1.0)
            if score > 1e-12 and (best is None or score > best[0]):
                best = (score, key)
        if best is None:
            return plan
        key = best[1]
        plan[key] = plan.get(key, 0) + 1
        raw[key[1]] -= ev.gain[key]


def _drops(ev: _Evaluator, plan: Allocation, key: Key) -> list[tuple[Key, ...]]:
    """Units to take off before adding ``key``: one, or two cheaper ones if it costs more."""
    placed = sorted(plan)
    drops: list[tuple[Key, ...]] = [(a,) for a in placed if a != key]
    dear = ev.cost[key[0]]
    for i, a in enumerate(placed):
        for b in placed[i:]:
            if a != key and b != key and ev.cost[a[0]] < dear and (a != b or plan[a] > 1):
                drops.append((a, b))
    return drops


def _swap(ev: _Evaluator, plan: Allocation, budget: float) -> Allocation | None:
    """The first swap (one or two units off, one on, refill) that lowers expected delivery."""
    current = ev.delivered(plan)
    for key in ev.gain:
        for drop in _drops(ev, plan, key):
            trial = dict(plan)
            for a in drop:
                trial[a] -= 1
            trial = {k: v for k, v in trial.items() if v}
            if not ev.room(trial, key, budget):
                continue
            candidate = _fill(ev, {**trial, key: trial.get(key, 0) + 1}, budget, per_cost=True)
            if ev.delivered(candidate) < current - 1e-9:
                return candidate
    return None


def plan_against_quantal(
    network: Network,
    resources: list[Resource],
    budget: float,
    rationality: float,
    max_swaps: int = 100,
) -> Allocation:
    """A plan that lowers expected delivery by a quantal-response trafficker (heuristic)."""
    ev = _Evaluator(network, resources, rationality)
    found = []
    for per_cost in (True, False):
        plan = _fill(ev, {}, budget, per_cost=per_cost)
        for _ in range(max_swaps):
            better = _swap(ev, plan, budget)
            if better is None:
                break
            plan = better
        found.append((ev.delivered(plan), plan))
    return min(found, key=lambda f: f[0])[1]
