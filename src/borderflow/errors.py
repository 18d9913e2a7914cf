"""The package's exceptions. Every failure borderflow raises on purpose is a ``BorderflowError``.

Problems *in* data (a bad number on row 812) are not exceptions: they are ``Issue`` records
collected into the ingest report. Exceptions are for work that cannot go on.
"""

from __future__ import annotations

from typing import Any, Self


class BorderflowError(Exception):
    """Base class: a failure with a message that says what happened and what to do.

    The message is English. An error a reader meets often also says itself as a message key
    (``cli.error.<key>`` of the command line's catalog) and its values, so that the command
    line can tell it in the reader's language: ``raise QueryError(text).saying("key", ...)``.
    """

    #: ``{"key": …, "values": {…}}`` when the error can be told in another language.
    said: dict[str, Any] | None = None

    def saying(self, key: str, **values: Any) -> Self:
        """This error, also told as the message ``cli.error.<key>`` with ``values``."""
        self.said = {"key": key, "values": values}
        return self


class ConfigError(BorderflowError):
    """A setting (path, environment variable, option) is missing or wrong."""


class SourceError(BorderflowError):
    """A source file cannot be read at all (empty, wrong encoding, missing columns, truncated).

    Attributes:
        file: the file name the error concerns.
        issues: the typed issues that made the file unreadable.
    """

    def __init__(self, message: str, *, file: str = "", issues: list | None = None) -> None:
        super().__init__(message)
        self.file = file
        self.issues = list(issues or [])


class WarehouseError(BorderflowError):
    """The warehouse cannot be opened, migrated or written."""


class FetchError(BorderflowError):
    """A file could not be downloaded or did not match its expected checksum."""
