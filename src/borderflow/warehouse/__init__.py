"""The DuckDB store of the official record: schema, atomic loads, provenance and vintages."""

from borderflow.warehouse.store import ReleaseRecord, Warehouse

__all__ = ["ReleaseRecord", "Warehouse"]
