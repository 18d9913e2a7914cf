"""What every request of the web app shares, and how a router reaches it.

``open_state(db_path)`` opens one read-only metrics engine and reads, through ``engine.store``,
the releases and the sources with their coverage once (the app serves a snapshot).
``state_of(request)`` hands the state to a route. The routers (``api``, ``pages``, ``library``)
import this module; ``app`` builds the application from it and them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request

from borderflow.cache import BoundedCache
from borderflow.metrics import Engine
from borderflow.report.i18n import load_catalog
from borderflow.report.model import Context, Filters

#: JSON answers of ``/api/query`` kept per app (the least recently asked go first).
MAX_ANSWERS = 4096


@dataclass
class AppState:
    """What every request shares: a read-only engine and its lock, the catalogue of sources and
    releases read once at start, and the app's bounded answer cache.

    Attributes:
        engine: a read-only metrics engine (library answers are kept by ``engine.memo``).
        lock: serialises engine calls (a DuckDB connection is not shared across threads).
        releases: every release recorded, by id.
        sources: every source with its coverage.
        answers: JSON answers of the query endpoint (bytes), by request; bounded.
        scenario_gate: lets one interdiction scenario run at a time (others get 429).
    """

    engine: Engine
    lock: threading.Lock = field(default_factory=threading.Lock)
    releases: dict[int, dict[str, Any]] = field(default_factory=dict)
    sources: list[dict[str, Any]] = field(default_factory=list)
    answers: BoundedCache[str, bytes] = field(default_factory=lambda: BoundedCache(MAX_ANSWERS))
    scenario_gate: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(1))

    def context(self, lang: str = "en", filters: Filters | None = None) -> Context:
        """A section context in ``lang`` with the reader's filters."""
        return Context(self.engine, load_catalog(lang), filters or Filters(), self.lock)


def open_state(db_path: Path) -> AppState:
    """Open the engine over ``db_path`` and read the releases and coverage (all read-only)."""
    engine = Engine.open(db_path)
    try:
        releases = {int(r["release_id"]): _jsonable(r) for r in engine.store.releases()}
        summaries = engine.store.source_summaries()
    except Exception:
        engine.close()
        raise
    dates = ("latest_vintage", "first_period", "last_period")
    sources = [{**row, **{k: _text(row[k]) for k in dates}} for row in summaries]
    return AppState(engine, releases=releases, sources=sources)


def state_of(request: Request) -> AppState:
    """The shared state of the app serving ``request``."""
    state: AppState = request.app.state.bf
    return state


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (v if isinstance(v, int | float | str | bool) or v is None else str(v))
        for k, v in row.items()
    }
