"""The package's exceptions. Every failure borderflow raises on purpose is a ``BorderflowError``.

Problems *in* data (a bad number on row 812) are not exceptions: they are ``Issue`` records
collected into the ingest report. Exceptions are for work that cannot go on.
"""

from __future__ import annotations


class BorderflowError(Exception):
    """Base class: a failure with a message that says what happened and what to do."""


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
