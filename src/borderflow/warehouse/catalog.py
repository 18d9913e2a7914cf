"""What the warehouse holds of each registered source: the registry joined with coverage."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from borderflow.sources import all_sources


def source_summaries(coverage: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per registered source, with its releases and coverage (``Warehouse.source_coverage``
    rows by source name; a source never loaded has none)."""
    rows = []
    for source in all_sources().values():
        cov = coverage.get(source.name, {})
        rows.append(
            {
                "name": source.name,
                "title": source.title,
                "publisher": source.publisher,
                "homepage": source.homepage,
                "licence": source.licence,
                "cadence": source.cadence,
                "releases": cov.get("releases") or 0,
                "latest_file": cov.get("latest_file"),
                "latest_vintage": cov.get("latest_vintage"),
                "first_period": cov.get("first_period"),
                "last_period": cov.get("last_period"),
                "observations": cov.get("observations") or 0,
            }
        )
    return rows
