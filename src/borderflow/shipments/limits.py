"""Memory bounds for work at scale, on both engines, from the environment.

DuckDB: ``BORDERFLOW_DUCKDB_MEMORY`` (default ``4GB``) caps the memory a connection uses;
beyond it, joins, aggregations and sorts spill to ``BORDERFLOW_DUCKDB_TEMP`` (default: a
``.tmp`` folder beside the warehouse). Spark: ``BORDERFLOW_SPARK_DRIVER_MEMORY`` (default
``6g``) is the driver's heap — in local mode the only JVM — and Spark spills shuffles to
``spark.local.dir`` by itself.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

DEFAULT_DUCKDB_MEMORY = "4GB"
DEFAULT_SPARK_DRIVER_MEMORY = "6g"


def duckdb_memory() -> str:
    return os.environ.get("BORDERFLOW_DUCKDB_MEMORY", DEFAULT_DUCKDB_MEMORY)


def spark_driver_memory() -> str:
    return os.environ.get("BORDERFLOW_SPARK_DRIVER_MEMORY", DEFAULT_SPARK_DRIVER_MEMORY)


def bound_duckdb(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    """Cap ``con``'s memory and let it spill beside ``warehouse``; insertion order is not kept
    (nothing here depends on it, and keeping it costs memory on large inserts)."""
    temp = Path(os.environ.get("BORDERFLOW_DUCKDB_TEMP", f"{warehouse}.tmp"))
    temp.mkdir(parents=True, exist_ok=True)
    con.execute(f"SET memory_limit = '{duckdb_memory()}'")
    con.execute(f"SET temp_directory = '{temp.as_posix()}'")
    con.execute("SET preserve_insertion_order = false")
