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


class Said(str):
    """English text that also says itself as a message: its ``key`` and ``values``.

    It is a ``str``, so JSON, the brief and any caller that reads the English keep working;
    an output in another language renders ``key`` with ``values`` from the reader's catalog.
    """

    key: str
    values: dict[str, Any]

    def __new__(cls, text: str, key: str, values: dict[str, Any]) -> Said:
        said = super().__new__(cls, text)
        said.key, said.values = key, values
        return said

    def __reduce__(self) -> tuple[Any, ...]:  # copies and pickles keep the key and values
        return (Said, (str(self), self.key, self.values))


def saying(messages: dict[str, str], key: str, **values: Any) -> Said:
    """The message ``key`` of ``messages`` (an area's English file) with ``values``, as ``Said``.
    Values the English text does not use (codes an output needs to translate) ride along."""
    return Said(messages[key].format(**values), key, values)
