"""Solve time of the interdiction MILP: the real border network, and a synthetic 5,000-node one.

1. The real network (default scenario, FY2024 data): the dualised Stackelberg MILP solved to
   proven optimality, median of ``--repeat`` solves (Pyomo model building included). Target ≤ 5 s.
   Baseline in the same run: the simple policies (uniform, traffic, seizures), each evaluated by
   the trafficker's best-response LP — their time and how much more gets through.
2. A synthetic network of 5,000 nodes (seeded: origins → crossings → destinations, each node
   linked to 8 random nodes of the next layer, two resource kinds, random gains), solved with a
   60 s limit: the objective, HiGHS's proven bound and the gap are reported, beside the traffic
   policy's value (baseline).

Usage: python benchmarks/interdiction.py [--db FILE] [--mirror DIR] [--repeat 3] [--limit 60]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import networkx as nx

from borderflow.config import resolve_mirror
from borderflow.interdiction import default_scenario_path, load_scenario, network_from_warehouse
from borderflow.interdiction.model import SINK, SOURCE, Crossing, Network, Resource, add_crossing
from borderflow.interdiction.optimize import best_response, solve_stackelberg
from borderflow.interdiction.policies import POLICIES, policy_plan
from borderflow.interdiction.resources import build_resources
from borderflow.metrics import Engine
from borderflow.sources import get_sources
from borderflow.warehouse import Warehouse
from borderflow.warehouse.ingest import ingest


def real_network(db: Path) -> tuple[Network, list[Resource], float]:
    scenario = load_scenario(default_scenario_path())
    with Engine.open(db) as engine:
        _, network, _ = network_from_warehouse(engine, scenario)
    return network, build_resources(scenario.resources, network), scenario.budget


def synthetic_network(nodes: int, seed: int = 0) -> tuple[Network, list[Resource], float]:
    """A layered network with ``nodes`` nodes in all (S, T, origins, split crossings, dests)."""
    rng = random.Random(seed)
    n_origins, n_crossings = nodes // 12, nodes // 5
    n_dest = nodes - 2 - n_origins - 2 * n_crossings
    g = nx.DiGraph()
    crossings: dict[str, Crossing] = {}
    for i in range(n_crossings):
        c = Crossing(
            f"c{i}",
            f"c{i}",
            "port",
            f"a{i}",
            "Trucks",
            rng.uniform(5, 40),
            rng.uniform(0.02, 0.2),
            traffic=1.0,
        )
        crossings[c.id] = c
        add_crossing(g, c)
        for d in rng.sample(range(n_dest), 8):
            g.add_edge(f"{c.id}:out", f"d{d}", cost=rng.uniform(0, 0.05))
    for o in range(n_origins):
        g.add_edge(SOURCE, f"o{o}", capacity=rng.uniform(5, 20), cost=0.0)
        for c in rng.sample(range(n_crossings), 8):
            g.add_edge(f"o{o}", f"c{c}:in", cost=rng.uniform(0, 0.05))
    for d in range(n_dest):
        g.add_edge(f"d{d}", SINK, capacity=rng.uniform(1, 6), cost=0.0)
    resources = [
        Resource(
            "scanner",
            1.0,
            150,
            {c: rng.uniform(0.02, 0.1) for c in crossings},
            dict.fromkeys(crossings, 4),
        ),
        Resource(
            "team",
            0.5,
            150,
            {c: rng.uniform(0.01, 0.05) for c in crossings},
            dict.fromkeys(crossings, 6),
        ),
    ]
    return Network(graph=g, crossings=crossings), resources, 120.0


def bench_real(db: Path, repeat: int) -> None:
    network, resources, budget = real_network(db)
    g = network.graph
    times, solution = [], None
    for _ in range(repeat):
        solution = solve_stackelberg(network, resources, budget)
        times.append(solution.seconds)
    assert solution is not None
    print(
        f"real network: {g.number_of_nodes()} nodes, {g.number_of_edges()} arcs, "
        f"{len(network.crossings)} crossings, {sum(len(r.gains) for r in resources)} "
        f"integer variables, budget {budget:g}"
    )
    print(
        f"  stackelberg MILP: median {statistics.median(times):.2f} s over {repeat} "
        f"(min {min(times):.2f}, max {max(times):.2f}); proven optimal: {solution.optimal}; "
        f"objective {solution.objective:.2f}, gap {solution.gap:.1e}; target <= 5 s: "
        f"{'met' if statistics.median(times) <= 5 else 'MISSED'}"
    )
    for name in POLICIES:
        started = time.perf_counter()
        value = best_response(network, resources, policy_plan(name, network, resources, budget))
        seconds = time.perf_counter() - started
        print(
            f"  baseline policy {name:9s}: {seconds:.2f} s; objective {value.value:.2f} "
            f"({value.value - solution.objective:+.2f} vs optimum)"
        )


def bench_synthetic(nodes: int, limit: float) -> None:
    network, resources, budget = synthetic_network(nodes)
    g = network.graph
    print(
        f"synthetic network: {g.number_of_nodes()} nodes, {g.number_of_edges()} arcs, "
        f"{len(network.crossings)} crossings, {sum(len(r.gains) for r in resources)} "
        f"integer variables, budget {budget:g}, limit {limit:g} s"
    )
    solution = solve_stackelberg(network, resources, budget, time_limit=limit)
    print(
        f"  stackelberg MILP: {solution.seconds:.1f} s; status {solution.status}; "
        f"objective {solution.objective:.2f}, bound {solution.bound:.2f}, "
        f"gap {solution.gap:.2%}; proven optimal: {solution.optimal}"
    )
    started = time.perf_counter()
    plan = policy_plan("traffic", network, resources, budget)
    value = best_response(network, resources, plan)
    print(
        f"  baseline policy traffic: {time.perf_counter() - started:.1f} s; objective "
        f"{value.value:.2f} ({value.value - solution.objective:+.2f} vs MILP plan)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a loaded warehouse (default: ingest the mirror)")
    parser.add_argument("--mirror", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=float, default=60.0)
    parser.add_argument("--nodes", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "bench.duckdb"
            with Warehouse(db) as wh:
                ingest(wh, get_sources(), resolve_mirror(args.mirror))
        bench_real(db, args.repeat)
    bench_synthetic(args.nodes, args.limit)


if __name__ == "__main__":
    main()
