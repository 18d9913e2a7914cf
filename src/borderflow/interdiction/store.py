"""Interdiction runs kept in the warehouse (table ``interdiction_runs``, migration 006).

This module only writes; stored runs are read back through ``engine.store``
(``interdiction_runs()``, ``interdiction_run(run_id)``).
"""

from __future__ import annotations

import json
from typing import Any

from borderflow.warehouse import Warehouse, sql


def store_run(warehouse: Warehouse, result: dict[str, Any], *, seed: int) -> int:
    """Record a run: its scenario parameters and full JSON result.

    Args:
        warehouse: the warehouse, open read-write.
        result: ``InterdictionResult.to_dict()``.
        seed: the simulation's seed.

    Returns:
        The new run's id.
    """
    scenario = result["scenario"]
    with warehouse.transaction() as con:
        row = con.execute(
            sql.INSERT_INTERDICTION_RUN,
            [
                scenario["name"],
                scenario["path"],
                seed,
                json.dumps(scenario, default=str),
                result["objective"]["value"],
                result["objective"]["optimal"],
                json.dumps(result, default=str),
            ],
        ).fetchone()
    assert row is not None
    return int(row[0])
