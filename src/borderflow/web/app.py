"""The web application: a JSON API and dashboard pages over one warehouse, read-only.

``create_app(db_path)`` opens the warehouse read-only once (a metrics engine shared by every
request, behind a lock) and returns a FastAPI app with the API under ``/api``, pages at ``/``,
``/seizures``, … (each with a ``.json`` twin), vendored JavaScript under ``/static`` (no CDN), an
OpenAPI schema at ``/openapi.json``, one error shape and a request-body limit.

Run it with ``borderflow serve``; ``borderflow serve --get /path`` prints one response without
starting a server.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

from borderflow import __version__
from borderflow.metrics import Engine
from borderflow.report.i18n import load_catalog
from borderflow.report.model import Context, Filters
from borderflow.warehouse import Warehouse
from borderflow.warehouse.catalog import source_summaries
from borderflow.web.errors import BodyLimit, install_error_handlers

#: Largest request body accepted (bytes): an article of text fits many times over.
MAX_BODY = 1_000_000


@dataclass
class AppState:
    """What every request shares: the warehouse path, a read-only engine and its lock, and the
    catalogue of sources and releases read once at start (the app serves a snapshot).

    Attributes:
        db_path: the warehouse file.
        engine: a read-only metrics engine.
        lock: serialises engine calls (a DuckDB connection is not shared across threads).
        releases: every release recorded, by id.
        sources: every source with its coverage.
        answers: JSON answers of the query endpoint (bytes), by request.
    """

    db_path: Path
    engine: Engine
    lock: threading.Lock = field(default_factory=threading.Lock)
    releases: dict[int, dict[str, Any]] = field(default_factory=dict)
    sources: list[dict[str, Any]] = field(default_factory=list)
    answers: dict[str, bytes] = field(default_factory=dict)

    def context(self, lang: str = "en", filters: Filters | None = None) -> Context:
        """A section context in ``lang`` with the reader's filters."""
        return Context(
            self.engine, load_catalog(lang), self.db_path, filters or Filters(), self.lock
        )


def open_state(db_path: Path) -> AppState:
    """Read the release list and coverage, then open the engine (all read-only)."""
    with Warehouse(db_path, read_only=True) as warehouse:
        releases = {int(r["release_id"]): _jsonable(r) for r in warehouse.releases()}
        coverage = {row["name"]: row for row in warehouse.source_coverage()}
    dates = ("latest_vintage", "first_period", "last_period")
    sources = [
        {**row, **{k: _text(row[k]) for k in dates}} for row in source_summaries(coverage)
    ]
    return AppState(db_path, Engine.open(db_path), releases=releases, sources=sources)


def create_app(db_path: Path, *, max_body: int = MAX_BODY) -> FastAPI:
    """The borderflow web application over the warehouse at ``db_path`` (opened read-only)."""
    from borderflow.web import api, pages
    from borderflow.web.library import add_library_routes

    app = FastAPI(
        # Swagger UI and ReDoc load their scripts from a CDN: off. The schema stays.
        docs_url=None,
        redoc_url=None,
        title="borderflow",
        version=__version__,
        description="The official record of the U.S.–Mexico illicit supply chain: read-only API "
        "over the borderflow warehouse. Every number carries its provenance (release, file, "
        "sha256). Errors share one shape: {ok: false, error, status, errors}.",
    )
    app.state.bf = open_state(db_path)
    app.state.render_error = pages.render_error
    install_error_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=max_body)
    app.include_router(api.router)
    add_library_routes(app)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(packages=[("borderflow.web", "static")]), name="static")
    return app


def request(app: FastAPI, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """Send one request to ``app`` in-process (no server, no network) and return the response.

    Used by ``borderflow serve --get`` and the tests; ``kwargs`` go to ``httpx`` (``json=``,
    ``content=``, ``data=``, ``headers=``).
    """
    import asyncio

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://borderflow") as client:
            return await client.request(method, path, **kwargs)

    return asyncio.run(send())


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
