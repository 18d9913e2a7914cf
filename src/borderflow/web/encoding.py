"""The one JSON encoder of the web app: strict JSON, whatever an answer holds.

JSON has no NaN nor infinity, so a non-finite number (a rate over zero, a change from nothing)
is sent as ``null``; numpy scalars become plain numbers, dates ISO text, and text that cannot be
UTF-8 (a lone surrogate sent in a JSON body) is sent escaped. Every JSON response of the app goes
through ``dumps`` (``JSON`` is the app's default response class, pages and the query cache call
it), and so do the chart specifications embedded in pages (``tojson`` in the templates).
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from fastapi.responses import JSONResponse


def finite(value: Any) -> Any:
    """``value`` with every non-finite float (at any depth) replaced by ``None``."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def _plain(value: Any) -> Any:
    """What the standard encoder does not know, as JSON-able values."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return finite(float(value))
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item) and not isinstance(value, dict | list | tuple | str):
        try:
            return finite(item())
        except (TypeError, ValueError):
            pass
    return str(value)


def dumps(content: Any, **_: Any) -> str:
    """``content`` as strict, compact JSON text (non-finite numbers as ``null``)."""
    options: dict[str, Any] = {
        "ensure_ascii": False,
        "allow_nan": False,
        "separators": (",", ":"),
        "default": _plain,
    }
    try:
        return json.dumps(content, **options)
    except ValueError:  # a NaN or an infinity somewhere: walk the value once
        return json.dumps(finite(content), **options)


def encode(content: Any) -> bytes:
    """``content`` as strict JSON bytes (UTF-8; text that cannot be UTF-8 is escaped)."""
    text = dumps(content)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: JSON's \\u escapes carry it
        return json.dumps(json.loads(text), ensure_ascii=True, separators=(",", ":")).encode()


class JSON(JSONResponse):
    """The app's JSON response: ``encode`` (``null`` for NaN and infinities)."""

    def render(self, content: Any) -> bytes:
        return encode(content)
