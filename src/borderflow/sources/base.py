"""The contract every official dataset implements.

A ``Source`` says where a dataset is published, under what terms, which files of the local mirror
belong to it, and how to turn one file's bytes into observations in the warehouse's long format.
Parsing never touches the warehouse: it returns a ``ParsedFile`` (observations + typed issues), and
raises ``SourceError`` only when the file as a whole cannot be read.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from borderflow.sources.columns import NOT_REPEATED, aligned, frame_of, repeated, repeated_value
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
        vintage: when the publisher released it (estimated with the series' ``published`` rule
            where the date was not recorded). Decides which release is current when releases
            overlap, and what ``--as-of`` can see.
        sha256: the published file's checksum; a mismatch is reported as an issue.
        rows: data rows in the published file, if known.
    """

    name: str
    url: str | None
    vintage: date
    sha256: str | None = None
    rows: int | None = None


def published_after(months: int, day: int = 15) -> Callable[[date], date]:
    """A publication rule: ``day`` of the month ``months`` after the month data run through
    (``published_after(1)``: data through April, published May 15)."""

    def estimate(data_through: date) -> date:
        index = data_through.year * 12 + data_through.month - 1 + months
        return date(index // 12, index % 12 + 1, day)

    return estimate


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
        vintage_of: publication date of a file not in ``known``, where its name says it.
        data_through_of: the last month of data a file carries, where its name says it (else
            the last month of the values read is used).
        published: how the publisher's release date is estimated from the month its data run
            through, when the file does not say (e.g. CBP: the middle of the next month).
    """

    key: str
    pattern: str
    parse: Callable[[bytes, str], ParsedFile]
    known: tuple[KnownFile, ...] = ()
    vintage_of: Callable[[str], date | None] | None = None
    data_through_of: Callable[[str], date | None] | None = None
    published: Callable[[date], date] | None = None

    def known_file(self, name: str) -> KnownFile | None:
        return next((k for k in self.known if k.name == name), None)


@dataclass(frozen=True)
class Source:
    """An official dataset: publisher, terms, mirror folder and the file series it publishes.

    ``ignored`` names files that may sit in the folder but are deliberately not loaded (glob →
    the reason, shown by ``ingest``): every other file no series takes is reported as unknown.
    """

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
    ignored: Mapping[str, str] = field(default_factory=dict)

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

    def takes(self, name: str) -> bool:
        """Whether one of this source's series loads a file of that name."""
        return any(fnmatch.fnmatch(name, series.pattern) for series in self.series)

    def ignores(self, name: str) -> str | None:
        """Why a file of that name is deliberately not loaded, or None."""
        return next((why for pat, why in self.ignored.items() if fnmatch.fnmatch(name, pat)), None)


@dataclass
class ParsedFile:
    """What a parser made of one file.

    Attributes:
        observations: rows in ``OBSERVATION_COLUMNS`` order.
        issues: problems found; rows with ``error`` issues are not in ``observations``.
        rows_read: data rows read from the file (header excluded).
        editions: values the file transcribes from earlier releases of the publisher, by the
            date each was published (e.g. a provisional count as first announced); each is
            loaded as a release of its own with that vintage, so ``--as-of`` can reach it.
    """

    observations: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    rows_read: int = 0
    editions: dict[date, pd.DataFrame] = field(default_factory=dict)

    @property
    def rows_loaded(self) -> int:
        """Rows that produced at least one observation (skipped rows, e.g. other borders, not)."""
        frames = [self.observations, *self.editions.values()]
        return int(pd.concat([f["source_row"] for f in frames]).nunique())

    @property
    def empty(self) -> bool:
        """No value was read at all."""
        return self.observations.empty and not any(len(f) for f in self.editions.values())

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
    texts: dict[str, object] = {
        "measure": measure,
        "unit": unit,
        "status": status,
        "period_type": period_type,
        **{name: dims.get(name) for name in DIMENSIONS},
        "footnote": footnote,
    }
    typed = {
        "period_start": aligned(_dates(period_start), index),
        "period_end": aligned(_dates(period_end), index),
        "value": aligned(pd.to_numeric(value).astype("float64"), index),
        "source_row": aligned(frame["source_row"].astype("int64"), index),
    }
    return _observation_frame(texts, typed, index)


def _observation_frame(
    texts: dict[str, object], typed: dict[str, np.ndarray | ExtensionArray], index: pd.Index
) -> pd.DataFrame:
    """The frame ``make_observations`` returns: numbered from 0, columns in warehouse order.

    The same values as assigning the columns one by one to a frame on ``index`` and resetting
    the index, built without a copy: a text column given as a scalar (or not given: None) is
    that one value repeated (``repeated``), a Series keeps its values and dtype.
    """
    columns: dict[str, np.ndarray | ExtensionArray] = {}
    for name in OBSERVATION_COLUMNS:
        value = typed[name] if name in typed else texts[name]
        if isinstance(value, pd.Series):
            columns[name] = aligned(value, index)
        elif isinstance(value, np.ndarray | ExtensionArray):
            columns[name] = value
        else:
            columns[name] = repeated(value, len(index))
    return frame_of(columns, len(index))


def _dates(value: pd.Series) -> pd.Series:
    """``pd.to_datetime(value)``, skipping the conversion where ``value`` holds dates already."""
    if isinstance(value, pd.Series) and pd.api.types.is_datetime64_dtype(value.dtype):
        return value
    return pd.to_datetime(value)


def combine(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate observation frames into one, with the columns in warehouse order."""
    if not parts:
        return empty_observations()
    frame = _concat(parts) if len(parts) > 1 else parts[0]
    if list(frame.columns) == list(OBSERVATION_COLUMNS) and _numbered(frame):
        return frame
    return frame.reset_index(drop=True)[list(OBSERVATION_COLUMNS)]


def _concat(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """``pd.concat(parts, ignore_index=True)``, column by column, where a column that every
    part repeats the same value in (``repeated``, e.g. a unit or an unset dimension) stays
    that value repeated instead of being copied row by row."""
    names, dtypes = list(parts[0].columns), parts[0].dtypes
    if any(list(part.columns) != names or not part.dtypes.equals(dtypes) for part in parts):
        return pd.concat(parts, ignore_index=True)  # pandas decides the common types
    length = sum(len(part) for part in parts)
    columns: dict[str, np.ndarray | ExtensionArray] = {}
    for name in names:
        values = [repeated_value(part[name]) for part in parts]
        first = values[0]
        if first is not NOT_REPEATED and all(value is first for value in values):
            columns[name] = repeated(first, length)
        else:
            joined = pd.concat([part[name] for part in parts], ignore_index=True)
            columns[name] = aligned(joined, joined.index)
    return frame_of(columns, length)


def empty_observations() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="object") for name in OBSERVATION_COLUMNS})


def finish(
    parts: Sequence[pd.DataFrame], file: str, issues: list[Issue], rows_read: int
) -> ParsedFile:
    """Combine a parser's observation frames, drop repeated keys (as issues), and wrap them up."""
    from borderflow.sources.tabular import drop_duplicate_keys

    observations = drop_duplicate_keys(combine(parts), KEY_COLUMNS, file, issues)
    if not _numbered(observations):  # renumbered without copying the values, as reset_index would
        observations = observations.copy(deep=False)
        observations.index = pd.RangeIndex(len(observations))
    return ParsedFile(observations, issues, rows_read)


def _numbered(frame: pd.DataFrame) -> bool:
    """Whether ``frame``'s index is 0, 1, 2, … (as ``reset_index(drop=True)`` would make it)."""
    index = frame.index
    return isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1


def month_end(start: pd.Series) -> pd.Series:
    """The last day of the month that begins on each date of ``start``."""
    return _dates(start) + pd.offsets.MonthEnd(0)
