"""What a library needs of a message catalog to say something in the reader's language.

Libraries return a message — a key of ``report/i18n/<lang>*.toml`` and its values — and the
outputs render it with the reader's catalog (``borderflow.report.i18n.Catalog``). A library that
also writes its own English text (a claim's ``reason``, an update's ``sentence``) reads the
English file of its area with ``read_messages``; both render through ``Catalog``'s methods,
which this protocol names.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Protocol


class CatalogLike(Protocol):
    """A catalog: its language, its flat messages, and how it writes words and numbers."""

    @property
    def lang(self) -> str: ...

    @property
    def messages(self) -> dict[str, str]: ...

    def t(self, key: str, **values: Any) -> str: ...

    def number(self, value: float | None, decimals: int = 0) -> str: ...

    def month(self, day: date) -> str: ...


def flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """A TOML table's nested keys as dotted ones: ``{"cli": {"a": "x"}}`` → ``{"cli.a": "x"}``."""
    out: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = str(value)
    return out


def read_messages(path: Path) -> dict[str, str]:
    """The flat messages of one catalog file."""
    return flatten(tomllib.loads(path.read_text("utf-8")))
