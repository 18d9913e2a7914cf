"""One error shape for every endpoint, and the request-size limits (body and address).

Every failure answers ``{"ok": false, "error": "<message>", "status": <code>, "errors": [...]}``
(the datasette idiom): unknown paths (404), bad parameters (422), bodies over the limit (413),
addresses over the limit (414), questions the library refuses (400: every ``BorderflowError``)
and unexpected failures (500, a bug: inputs never cause one). Pages (paths that are neither
``/api/...`` nor ``*.json``) render the same fields as an HTML page with the same status.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from borderflow.errors import BorderflowError
from borderflow.web.encoding import JSON, encode

log = logging.getLogger("borderflow.web")


def error_body(status: int, message: str, errors: list[Any] | None = None) -> dict[str, Any]:
    """The one JSON error shape."""
    return {"ok": False, "error": message, "status": status, "errors": errors or []}


def wants_json(path: str) -> bool:
    """API paths and ``.json`` twins answer JSON; everything else is a page."""
    return path.startswith("/api") or path.endswith(".json") or path == "/openapi.json"


def error_response(
    request: Request, status: int, message: str, errors: list[Any] | None = None
) -> Response:
    """The error as JSON, or as an HTML page for page paths."""
    body = error_body(status, message, errors)
    if wants_json(request.url.path):
        return JSON(body, status_code=status)
    render = getattr(request.app.state, "render_error", None)
    if render is None:
        return JSON(body, status_code=status)
    return HTMLResponse(render(request, body), status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    """Route every kind of failure to ``error_response``."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page or endpoint at {request.url.path}; see /api or /openapi.json."
        return error_response(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"where": "request", "message": "invalid"}
        message = f"invalid {first['where']}: {first['message']}"
        return error_response(request, 422, message, errors)

    @app.exception_handler(ValidationError)
    async def model_error(request: Request, exc: ValidationError) -> Response:
        errors = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        return error_response(request, 422, f"invalid request: {errors[0]['message']}", errors)

    @app.exception_handler(BorderflowError)
    async def library_error(request: Request, exc: BorderflowError) -> Response:
        return error_response(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected failure on %s", request.url.path)
        return error_response(request, 500, f"internal error ({type(exc).__name__}); see the log.")


class BodyTooLarge(Exception):
    """Raised inside ``BodyLimit`` when a streamed body passes the limit."""


class BodyLimit:
    """ASGI middleware: refuse request bodies larger than ``max_bytes`` with a 413.

    A declared ``Content-Length`` over the limit is refused before reading; a streamed body is
    counted as it arrives and refused when it passes the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise BodyTooLarge
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge:
            if not started:
                await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        message = f"request body over the limit of {self.max_bytes:,} bytes; send less text."
        await send_error(send, 413, message)


class URLLimit:
    """ASGI middleware: refuse a request whose address (path and query) is over ``max_bytes``
    with a 414, before any route reads it (a page would echo it in its links)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
            if size > self.max_bytes:
                message = f"address over the limit of {self.max_bytes:,} bytes; ask for less."
                await send_error(send, 414, message)
                return
        await self.app(scope, receive, send)


async def send_error(send: Send, status: int, message: str) -> None:
    """Answer the error shape as JSON straight from a middleware."""
    body = encode(error_body(status, message))
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
