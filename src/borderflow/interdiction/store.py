"""Interdiction runs kept in the warehouse (table ``interdiction_runs``, migration 006)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from borderflow.warehouse import Warehouse, sql


def store_run(db_path: Path, result: dict[str, Any], *, seed: int) -> int:
    """Record a run (its scenario parameters and full JSON result); return its id."""
    scenario = result["scenario"]
    with Warehouse(db_path) as wh:
        row = wh.con.execute(
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


def list_runs(db_path: Path) -> list[dict[str, Any]]:
    """Every stored run (id, time, scenario, seed, objective, optimal)."""
    with Warehouse(db_path) as wh:
        return wh.rows(sql.LIST_INTERDICTION_RUNS)


def get_run(db_path: Path, run_id: int) -> dict[str, Any] | None:
    """One stored run with its parameters and result parsed, or None."""
    with Warehouse(db_path) as wh:
        rows = wh.rows(sql.GET_INTERDICTION_RUN, [run_id])
    if not rows:
        return None
    run = rows[0]
    run["parameters"] = json.loads(run["parameters"])
    run["result"] = json.loads(run["result"])
    return run
