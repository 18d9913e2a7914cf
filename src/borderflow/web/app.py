"""The web application: a JSON API and dashboard pages over one warehouse, read-only.

``create_app(db_path)`` opens the warehouse read-only once (``web.state``: a metrics engine shared
by every request, behind a lock) and returns a FastAPI app with the API under ``/api``, pages at
``/``, ``/seizures``, … (each with a ``.json`` twin), vendored JavaScript under ``/static`` (no
CDN), an OpenAPI schema at ``/openapi.json``, one error shape, strict JSON (``web.encoding``) and
limits on the request body and address.

Run it with ``borderflow serve``; ``borderflow serve --get /path`` prints one response without
starting a server. This module builds the app; the routers (``api``, ``pages``, ``library``) and
the shared state (``state``) never import it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from borderflow import __version__
from borderflow.web import api, pages
from borderflow.web.encoding import JSON
from borderflow.web.errors import BodyLimit, URLLimit, install_error_handlers
from borderflow.web.library import add_library_routes
from borderflow.web.state import MAX_PAGES, open_state

#: Largest request body accepted (bytes): an article of text fits many times over.
MAX_BODY = 1_000_000
#: Longest address accepted (path and query, bytes); a page's links are far shorter.
MAX_URL = 8192


def create_app(db_path: Path, *, max_body: int = MAX_BODY, page_cache: int = MAX_PAGES) -> FastAPI:
    """The borderflow web application over the warehouse at ``db_path`` (opened read-only).

    Args:
        db_path: the warehouse file.
        max_body: the largest request body accepted, in bytes (413 above it).
        page_cache: how many rendered pages to keep (0: render every request; the benchmark
            compares the two).
    """
    app = FastAPI(
        default_response_class=JSON,  # strict JSON: NaN and infinities as null
        # Swagger UI and ReDoc load their scripts from a CDN: off. The schema stays.
        docs_url=None,
        redoc_url=None,
        title="borderflow",
        version=__version__,
        description="The official record of the U.S.–Mexico illicit supply chain: read-only API "
        "over the borderflow warehouse. Every number carries its provenance (release, file, "
        "sha256). Errors share one shape: {ok: false, error, status, errors}.",
    )
    app.state.bf = open_state(db_path, page_cache)
    app.state.render_error = pages.render_error
    install_error_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=max_body)
    app.add_middleware(URLLimit, max_bytes=MAX_URL)
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

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://borderflow") as client:
            return await client.request(method, path, **kwargs)

    return asyncio.run(send())
