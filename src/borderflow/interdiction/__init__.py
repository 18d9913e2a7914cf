"""Interdiction planner: a calibrated border network, optimal allocation against an adaptive
adversary, and a route-shift simulation.

>>> from borderflow.interdiction import load_scenario, run_scenario, default_scenario_path
>>> from borderflow.interdiction import store_run
>>> from borderflow.metrics import Engine
>>> from borderflow.warehouse import Warehouse
>>> with Engine.open(db_path) as engine:
...     result = run_scenario(load_scenario(default_scenario_path()), engine, seed=0)
>>> result.to_dict()["objective"]["value"]
>>> with Warehouse(db_path) as warehouse:
...     result.run_id = store_run(warehouse, result.to_dict(), seed=0)

Reads go through an ``Engine`` (``run_scenario``, ``network_from_warehouse``, ``latest_result``;
stored runs through ``engine.store``); ``store_run`` is the one write, to an open ``Warehouse``.
See ``docs/interdiction.md`` for the model and what its results can and cannot support.
"""

from borderflow.interdiction.network import network_from_warehouse
from borderflow.interdiction.run import InterdictionResult, latest_result, run_scenario
from borderflow.interdiction.scenario import (
    Scenario,
    ScenarioError,
    default_scenario_path,
    load_scenario,
    resolve_scenario,
    scenario_paths,
)
from borderflow.interdiction.store import store_run

__all__ = [
    "InterdictionResult",
    "Scenario",
    "ScenarioError",
    "default_scenario_path",
    "latest_result",
    "load_scenario",
    "network_from_warehouse",
    "resolve_scenario",
    "run_scenario",
    "scenario_paths",
    "store_run",
]
