"""Typed problems found in data, in the manner of frictionless validation errors.

An ``Issue`` names the file, the row (1-based line number in the file, the header being line 1)
and the column, says what is wrong and whether the row was rejected (``error``) or kept
(``warning``). A ``fatal`` issue means the whole file was refused.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

ISSUE_KINDS: dict[str, str] = {
    "empty_file": "the file has no header or no data rows",
    "encoding": "the bytes are not valid text in the expected encoding",
    "missing_column": "a required column is absent from the header",
    "malformed_row": "a row has the wrong number of fields",
    "truncated_file": "the file ends in the middle of a row",
    "unparseable_number": "a value that must be a number is not one",
    "unparseable_period": "a date, month or year cannot be read",
    "unknown_category": "a category value is not one the source publishes",
    "duplicate_key": "two rows describe the same value",
    "period_out_of_range": "a period lies outside what the source covers",
    "hash_mismatch": "the file's sha256 differs from the published file's",
    "row_count_mismatch": "the file has a different number of rows than the published file",
    "placeholder_value": "a value known to be a placeholder, not data, was dropped",
    "conflicting_value": "two citations give different values for the same figure",
    "not_finite": "a value is infinite or not a number",
    "out_of_range": "a value lies outside its measure's valid range (e.g. a negative count)",
}

SEVERITIES = ("fatal", "error", "warning")


@dataclass(frozen=True)
class Issue:
    """One problem in one file.

    Attributes:
        kind: one of ``ISSUE_KINDS``.
        severity: ``fatal`` (file refused), ``error`` (row rejected) or ``warning`` (row kept).
        file: file name.
        message: what is wrong and, where useful, what to do.
        row: 1-based line number in the file, if the issue concerns a row.
        column: column name, if the issue concerns a cell.
        value: the offending text, shortened.
    """

    kind: str
    severity: str
    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ISSUE_KINDS:
            raise ValueError(f"unknown issue kind {self.kind!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    def where(self) -> str:
        """``file, row 12, column 'Sum Qty (lbs)'`` — as much as is known."""
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def shorten(text: object, limit: int = 60) -> str:
    """Text for a message: at most ``limit`` characters."""
    s = str(text)
    return s if len(s) <= limit else s[: limit - 1] + "…"
