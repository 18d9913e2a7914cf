"""Reading what the warehouse keeps besides observations: releases, issues, coverage, and the
runs the libraries stored (forecasts, interdiction scenarios).

``StoreReader`` only reads, so it works on a read-only connection; it is the one way the
libraries and outputs reach these tables (``Engine.store`` hands one out over the engine's own
connection). Observations are read through the metrics layer, never here.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from borderflow.warehouse import sql
from borderflow.warehouse.catalog import source_summaries


class StoreReader:
    """Read-only queries over one open warehouse connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def query(self, statement: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Run a read statement and return a frame."""
        return self.con.execute(statement, params or []).df()

    def rows(self, statement: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Run a read statement and return a list of dicts (JSON-ready apart from dates)."""
        cursor = self.con.execute(statement, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def has_table(self, name: str) -> bool:
        """Whether the warehouse has ``name`` (tables of later migrations may be missing in a
        read-only file written by an older version)."""
        found = self.con.execute(sql.HAS_TABLE, [name]).fetchone()
        return bool(found and found[0])

    # -- releases --------------------------------------------------------------------------

    def releases(self) -> list[dict[str, Any]]:
        """Every file ever ingested (loaded or refused), oldest vintage first per series."""
        return self.rows(sql.LIST_RELEASES)

    def issues(self, release_id: int) -> list[dict[str, Any]]:
        return self.rows(sql.LIST_ISSUES, [release_id])

    def source_coverage(self) -> list[dict[str, Any]]:
        return self.rows(sql.SOURCE_COVERAGE)

    def source_summaries(self) -> list[dict[str, Any]]:
        """Every registered source with its releases and coverage (none if never loaded)."""
        return source_summaries({r["name"]: r for r in self.source_coverage()})

    def vintages(self, source: str) -> list[date]:
        """Distinct vintages of the loaded releases of ``source``, oldest first."""
        rows = self.con.execute(sql.LOADED_VINTAGES, [source]).fetchall()
        return [pd.Timestamp(v).date() for (v,) in rows]

    # -- interdiction runs (migration 006) -------------------------------------------------

    def interdiction_runs(self) -> list[dict[str, Any]]:
        """Every stored interdiction run (id, time, scenario, seed, objective), oldest first."""
        if not self.has_table("interdiction_runs"):
            return []
        return self.rows(sql.LIST_INTERDICTION_RUNS)

    def interdiction_run(self, run_id: int) -> dict[str, Any] | None:
        """One stored run with its parameters and result parsed, or None."""
        return self._run("interdiction_runs", sql.GET_INTERDICTION_RUN, run_id,
                         ("parameters", "result"))  # fmt: skip

    # -- forecast runs (migration 005) -----------------------------------------------------

    def latest_forecasts(self, measure: str, columns: list[str]) -> pd.DataFrame:
        """The newest stored forecast of every series of ``measure`` (empty with ``columns``
        when nothing was forecast)."""
        if not self.has_table("forecasts"):
            return pd.DataFrame(columns=columns)
        return self.query(sql.LATEST_FORECASTS, [measure])

    def forecast_run(self, run_id: int) -> dict[str, Any] | None:
        """One forecast run's record (parameters, releases, summary parsed) or None."""
        return self._run("forecast_runs", sql.GET_FORECAST_RUN, run_id,
                         ("params", "releases", "summary"))  # fmt: skip

    def forecast_runs(self) -> list[dict[str, Any]]:
        """Every forecast run, newest first."""
        if not self.has_table("forecast_runs"):
            return []
        return self.rows(sql.LIST_FORECAST_RUNS)

    # -- forecast ledger (migration 008) ---------------------------------------------------

    def forecast_ledger(self) -> pd.DataFrame:
        """Every ledger row (empty without the table)."""
        if not self.has_table("forecast_ledger"):
            return pd.DataFrame()
        return self.query(sql.LEDGER_ROWS)

    def ledger_unscored(self) -> pd.DataFrame:
        """(group, series, month) of the ledger rows without an outcome yet."""
        if not self.has_table("forecast_ledger"):
            return pd.DataFrame(columns=["group_name", "series_id", "period"])
        return self.query(sql.LEDGER_UNSCORED)

    def _run(
        self, table: str, statement: str, run_id: int, json_fields: tuple[str, ...]
    ) -> dict[str, Any] | None:
        """One stored run with its JSON fields parsed, or None (no such run, or no table)."""
        rows = self.rows(statement, [run_id]) if self.has_table(table) else []
        if not rows:
            return None
        run = rows[0]
        for key in json_fields:
            run[key] = json.loads(run[key])
        return run
