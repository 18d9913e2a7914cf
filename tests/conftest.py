"""Shared test setup: the real data mirror and one warehouse loaded from it per session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from borderflow.metrics import Engine
from borderflow.sources import get_sources
from borderflow.warehouse import Warehouse
from borderflow.warehouse.ingest import IngestReport, ingest

REPO = Path(__file__).resolve().parent.parent
MIRROR = Path(os.environ.get("BORDERFLOW_MIRROR", REPO.parent / "shared" / "data"))

if not MIRROR.is_dir():
    raise pytest.UsageError(
        f"the data mirror {MIRROR} does not exist: set BORDERFLOW_MIRROR to a folder laid out "
        "like the official data (one sub-folder per source)."
    )


@pytest.fixture(scope="session")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, IngestReport]:
    """A warehouse with every source ingested from the real mirror, and the ingest report."""
    path = tmp_path_factory.mktemp("warehouse") / "borderflow.duckdb"
    with Warehouse(path) as warehouse:
        report = ingest(warehouse, get_sources(), MIRROR)
    return path, report


@pytest.fixture(scope="module")
def engine(loaded: tuple[Path, IngestReport]) -> Iterator[Engine]:
    """The metrics engine over the session warehouse, read-only, one per test module."""
    eng = Engine.open(loaded[0])
    yield eng
    eng.close()


@pytest.fixture
def warehouse(loaded: tuple[Path, IngestReport]) -> Iterator[Warehouse]:
    """The session warehouse, opened read-only for one test."""
    path, _ = loaded
    with Warehouse(path, read_only=True) as wh:
        yield wh


@pytest.fixture(scope="module")
def web(loaded: tuple[Path, IngestReport], request: pytest.FixtureRequest) -> Iterator[Any]:
    """The dashboard and API over the session warehouse, one app per test module (options from
    the module's ``WEB_OPTIONS``); closed after, as a later ingest may open the file to write."""
    from borderflow.web.app import create_app

    app = create_app(loaded[0], **getattr(request.module, "WEB_OPTIONS", {}))
    yield app
    app.state.bf.close()
