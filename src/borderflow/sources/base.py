"""The contract every official dataset implements.

A ``Source`` says where a dataset is published, under what terms, which files of the local mirror
belong to it, and how to turn one file's bytes into observations in the warehouse's long format.
Parsing never touches the warehouse: it returns a ``ParsedFile`` (observations + typed issues), and
raises ``SourceError`` only when the file as a whole cannot be read.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from borderflow.sources.issues import Issue
from borderflow.vocabulary import DIMENSIONS

PERIOD_TYPES: tuple[str, ...] = ("month", "12_month_ending", "fiscal_year", "calendar_year")

#: How a value stands: as first reported, modelled for reporting delay, provisional, final,
#: estimated (population estimates), projected, or interpolated between published points.
STATUSES: tuple[str, ...] = (
    "reported",
    "predicted",
    "provisional",
    "final",
    "estimate",
    "projected",
    "interpolated",
)

OBSERVATION_COLUMNS: tuple[str, ...] = (
    "measure",
    "unit",
    "status",
    "period_type",
    "period_start",
    "period_end",
    "value",
    *DIMENSIONS,
    "footnote",
    "source_row",
)

#: The columns that identify one value within a release (for duplicates and revisions).
KEY_COLUMNS: tuple[str, ...] = ("measure", "status", "period_type", "period_start", *DIMENSIONS)


@dataclass(frozen=True)
class KnownFile:
    """A published file whose identity we know: where it came from and what it should hash to.

    Attributes:
        name: file name inside the source's mirror folder.
        url: the official download address, or None where it was not recorded (then the file
            must be placed in the mirror by hand; the source's homepage says where to find it).
        vintage: when the publisher released it (or the last month its data cover, if that is
            all that is known). Decides which release is current when releases overlap.
        sha256: the published file's checksum; a mismatch is reported as an issue.
        rows: data rows in the published file, if known.
    """

    name: str
    url: str | None
    vintage: date
    sha256: str | None = None
    rows: int | None = None


@dataclass(frozen=True)
class FileSeries:
    """A stream of releases of the same table (e.g. each new window of CBP's nationwide file).

    Within one series, for every period a newer release covers, the newer release is current:
    overlapping windows never double count and revised values supersede older ones.

    Attributes:
        key: short identifier, unique within the source.
        pattern: glob for the series' files in the mirror folder.
        parse: turns one file's bytes into observations.
        known: files we know by name, with URL, vintage and checksum.
        vintage_of: vintage for a file not in ``known`` (e.g. parsed from its name).
    """

    key: str
    pattern: str
    parse: Callable[[bytes, str], ParsedFile]
    known: tuple[KnownFile, ...] = ()
    vintage_of: Callable[[str], date | None] | None = None

    def known_file(self, name: str) -> KnownFile | None:
        return next((k for k in self.known if k.name == name), None)


@dataclass(frozen=True)
class Source:
    """An official dataset: publisher, terms, mirror folder and the file series it publishes."""

    name: str
    title: str
    publisher: str
    homepage: str
    licence: str
    cadence: str
    folder: str
    series: tuple[FileSeries, ...]
    parser_version: str
    quirks: str = ""

    def files_in(self, mirror: Path) -> list[tuple[FileSeries, Path]]:
        """The files of this source present in ``mirror``, each with the series it belongs to."""
        folder = mirror / self.folder
        if not folder.is_dir():
            return []
        found = []
        for path in sorted(folder.iterdir()):
            for series in self.series:
                if path.is_file() and fnmatch.fnmatch(path.name, series.pattern):
                    found.append((series, path))
                    break
        return found


@dataclass
class ParsedFile:
    """What a parser made of one file.

    Attributes:
        observations: rows in ``OBSERVATION_COLUMNS`` order.
        issues: problems found; rows with ``error`` issues are not in ``observations``.
        rows_read: data rows read from the file (header excluded).
    """

    observations: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    rows_read: int = 0

    @property
    def rows_loaded(self) -> int:
        """Rows that produced at least one observation (skipped rows, e.g. other borders, not)."""
        return int(self.observations["source_row"].nunique())

    @property
    def rows_rejected(self) -> int:
        return len({i.row for i in self.issues if i.severity == "error" and i.row is not None})


def make_observations(
    frame: pd.DataFrame,
    *,
    measure: str | pd.Series,
    unit: str | pd.Series,
    status: str | pd.Series,
    period_type: str,
    period_start: pd.Series,
    period_end: pd.Series,
    value: pd.Series,
    dims: dict[str, str | pd.Series],
    footnote: str | pd.Series | None = None,
) -> pd.DataFrame:
    """Build observations in the warehouse's long format from columns of a parsed frame.

    ``frame`` must carry ``source_row``; scalars are broadcast. Unknown dimension names raise
    ``ValueError`` — a programming error, not a data problem.
    """
    unknown = set(dims) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown dimensions {sorted(unknown)}; add them to DIMENSIONS first")
    if period_type not in PERIOD_TYPES:
        raise ValueError(f"unknown period type {period_type!r}")
    index = frame.index
    out = pd.DataFrame(index=index)
    out["measure"] = measure
    out["unit"] = unit
    out["status"] = status
    out["period_type"] = period_type
    out["period_start"] = pd.to_datetime(period_start)
    out["period_end"] = pd.to_datetime(period_end)
    out["value"] = pd.to_numeric(value).astype("float64")
    for name in DIMENSIONS:
        out[name] = dims.get(name)
    out["footnote"] = footnote
    out["source_row"] = frame["source_row"].astype("int64")
    return out.reset_index(drop=True)


def combine(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate observation frames into one, with the columns in warehouse order."""
    if not parts:
        return empty_observations()
    frame = pd.concat(parts, ignore_index=True)
    return frame[list(OBSERVATION_COLUMNS)]


def empty_observations() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="object") for name in OBSERVATION_COLUMNS})


def finish(
    parts: Sequence[pd.DataFrame], file: str, issues: list[Issue], rows_read: int
) -> ParsedFile:
    """Combine a parser's observation frames, drop repeated keys (as issues), and wrap them up."""
    from borderflow.sources.tabular import drop_duplicate_keys

    observations = drop_duplicate_keys(combine(parts), KEY_COLUMNS, file, issues)
    return ParsedFile(observations.reset_index(drop=True), issues, rows_read)


def month_end(start: pd.Series) -> pd.Series:
    """The last day of the month that begins on each date of ``start``."""
    return pd.to_datetime(start) + pd.offsets.MonthEnd(0)
