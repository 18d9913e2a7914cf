"""What every request of the web app shares, and how a router reaches it.

``open_state(db_path)`` opens one read-only metrics engine and reads, through ``engine.store``,
the releases and the sources with their coverage once (the app serves a snapshot, so what is
computed from it can be kept: query answers and rendered pages, in bounded caches).
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
#: Rendered pages (HTML or JSON twin) kept per app, by path, filters and language. A page is
#: 4–45 KB on the real warehouse, so the cache stays under about 25 MB.
MAX_PAGES = 512

#: A rendered page's key: its path and its normalised parameters (filters, ids, language).
PageKey = tuple[str, tuple[tuple[str, str], ...]]


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
        pages: rendered pages and their JSON twins (bytes), by ``PageKey``; bounded. None: pages
            are rendered for every request (``create_app(page_cache=0)``, for comparison).
        scenario_gate: lets one interdiction scenario run at a time (others get 429).
        db_path: the warehouse file, for the scenarios' own engine (``scenario_engine``).
    """

    engine: Engine
    lock: threading.Lock = field(default_factory=threading.Lock)
    releases: dict[int, dict[str, Any]] = field(default_factory=dict)
    sources: list[dict[str, Any]] = field(default_factory=list)
    answers: BoundedCache[str, bytes] = field(default_factory=lambda: BoundedCache(MAX_ANSWERS))
    pages: BoundedCache[PageKey, bytes] | None = field(
        default_factory=lambda: BoundedCache(MAX_PAGES)
    )
    scenario_gate: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(1))
    db_path: Path | None = None
    _scenarios: tuple[Engine, threading.Lock] | None = field(default=None, repr=False)
    _opening: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def context(self, lang: str = "en", filters: Filters | None = None) -> Context:
        """A section context in ``lang`` with the reader's filters."""
        return Context(self.engine, load_catalog(lang), filters or Filters(), self.lock)

    def scenario_engine(self) -> tuple[Engine, threading.Lock]:
        """A second read-only engine (and its lock) for interdiction scenarios, opened on first
        use: a run holds its engine for seconds, and pages and queries go on meanwhile. Without
        a file (``db_path`` None) it is the shared engine."""
        if self.db_path is None:
            return self.engine, self.lock
        with self._opening:
            if self._scenarios is None:
                self._scenarios = (Engine.open(self.db_path), threading.Lock())
            return self._scenarios

    def close(self) -> None:
        """Close the engines (a later writer may open the file)."""
        with self._opening:
            if self._scenarios is not None:
                self._scenarios[0].close()
                self._scenarios = None
        self.engine.close()


def open_state(db_path: Path, page_cache: int = MAX_PAGES) -> AppState:
    """Open the engine over ``db_path`` and read the releases and coverage (all read-only).

    ``page_cache`` rendered pages are kept (0: none).
    """
    engine = Engine.open(db_path)
    try:
        releases = {int(r["release_id"]): _jsonable(r) for r in engine.store.releases()}
        summaries = engine.store.source_summaries()
    except Exception:
        engine.close()
        raise
    dates = ("latest_vintage", "first_period", "last_period")
    sources = [{**row, **{k: _text(row[k]) for k in dates}} for row in summaries]
    pages = BoundedCache[PageKey, bytes](page_cache) if page_cache > 0 else None
    return AppState(engine, releases=releases, sources=sources, pages=pages, db_path=db_path)


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
