"""Interdiction planner: a calibrated border network, optimal allocation against an adaptive
adversary, and a route-shift simulation.

>>> from borderflow.interdiction import load_scenario, run_scenario, default_scenario_path
>>> result = run_scenario(load_scenario(default_scenario_path()), db_path, seed=0)
>>> result.to_dict()["objective"]["value"]

See ``docs/interdiction.md`` for the model and what its results can and cannot support.
"""

from borderflow.interdiction.run import InterdictionResult, run_scenario
from borderflow.interdiction.scenario import (
    Scenario,
    ScenarioError,
    default_scenario_path,
    load_scenario,
    resolve_scenario,
    scenario_paths,
)

__all__ = [
    "InterdictionResult",
    "Scenario",
    "ScenarioError",
    "default_scenario_path",
    "load_scenario",
    "resolve_scenario",
    "run_scenario",
    "scenario_paths",
]
