"""Ingest: find each source's files in the mirror, parse them, and load each as one release.

The flow for one file is: hash it → skip if the same bytes were already loaded by the same
parser → parse (a ``SourceError`` refuses the file) → compare with what the publisher's file is
known to be (hash, rows) → load atomically. The report says, per file, what was read, loaded,
rejected and why.

A run writes all its files in one transaction (``Warehouse.batch``), committed at its end: one
commit instead of one per file is the largest single saving of a cold ingest. Each file is still
all or nothing: a refused file writes only its refusal record; an exception while loading a file
rolls the batch back, then the files before it are loaded again one transaction each, so only
the failing file is missing; a killed or interrupted run leaves the warehouse as it was before
the run, and running it again loads the same files.
"""

from __future__ import annotations

import fnmatch
import gc
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from borderflow.errors import BorderflowError, SourceError
from borderflow.sources import all_sources
from borderflow.sources.base import FileSeries, ParsedFile, Source
from borderflow.sources.issues import Issue
from borderflow.sources.ranges import check_values
from borderflow.warehouse.quarantine import quarantine_reasons
from borderflow.warehouse.store import ReleaseRecord, Warehouse

#: Written next to downloaded files by ``borderflow fetch``: file name → url, retrieved_at, etag.
FETCH_MANIFEST = ".borderflow-fetch.json"


@dataclass
class FileOutcome:
    """What happened to one file."""

    source: str
    series: str
    file: str
    status: str  # loaded | quarantined | unchanged | refused | skipped
    release_id: int | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    observations: int = 0
    issues: list[Issue] = field(default_factory=list)
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "issues"}
        out["issues"] = [i.to_dict() for i in self.issues]
        return out


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)

    @property
    def refused(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "refused"]

    @property
    def unknown(self) -> list[FileOutcome]:
        """Files in a source folder that no loader takes and no source explains."""
        return [o for o in self.outcomes if o.status == "skipped" and not o.series]

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": [o.to_dict() for o in self.outcomes],
            "loaded": self.count("loaded"),
            "unchanged": self.count("unchanged"),
            "refused": self.count("refused"),
            "quarantined": self.count("quarantined"),
            "skipped": self.count("skipped"),
        }


Progress = Callable[[str], None]


def plan(sources: list[Source], mirror: Path) -> list[tuple[Source, FileSeries, Path]]:
    """The files ingest would read, in order."""
    return [(s, series, path) for s in sources for series, path in s.files_in(mirror)]


def ingest(
    warehouse: Warehouse,
    sources: list[Source],
    mirror: Path,
    on_file: Progress | None = None,
    *,
    accept_partial: bool = False,
) -> IngestReport:
    """Load every file of ``sources`` found in ``mirror``; ``on_file`` is called after each.

    A release worse than the one it supersedes is quarantined (``warehouse.quarantine``) unless
    ``accept_partial``.
    """
    if not mirror.is_dir():
        raise BorderflowError(
            f"the mirror folder {mirror} does not exist. Pass --mirror DIR (a folder laid out "
            "like the official data, one sub-folder per source) or run `borderflow fetch`."
        ).saying("no_mirror", path=str(mirror))
    report = IngestReport()
    files = plan(sources, mirror)
    try:
        with warehouse.batch(), cyclic_gc_paused():
            for source in sources:
                warehouse.register_source(source)
            for source, series, path in files:
                report.outcomes.append(ingest_file(warehouse, source, series, path, accept_partial))
                if on_file:
                    on_file(path.name)
    except Exception:
        _reload_one_by_one(warehouse, sources, files[: len(report.outcomes)], accept_partial)
        raise
    report.outcomes.extend(skipped_files(sources, mirror))
    return report


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block, then restore it.

    Parsing allocates millions of short-lived objects that form no reference cycles (reference
    counting frees them), yet each allocation burst triggers collector passes over every live
    container: about 0.1 s of CPU in a cold ingest of the mirror, for nothing to collect.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _reload_one_by_one(
    warehouse: Warehouse,
    sources: list[Source],
    files: list[tuple[Source, FileSeries, Path]],
    accept_partial: bool,
) -> None:
    """After a failed batch was rolled back: load again the files that had succeeded in it,
    each in its own transaction, so the failure of one file does not undo the others."""
    for source in sources:
        warehouse.register_source(source)
    for source, series, path in files:
        ingest_file(warehouse, source, series, path, accept_partial)


#: Files of a mirror folder that are not data: the publisher notes, fetch's manifest.
NOT_DATA = ("*.md", ".*")


def skipped_files(sources: list[Source], mirror: Path) -> list[FileOutcome]:
    """Every data file in the chosen sources' folders that no registered source loads: the
    ones a source declares it ignores (``series`` = "ignored", with its reason) and unknown
    ones (``series`` empty), so nothing in the mirror is passed over in silence."""
    outcomes = []
    registered = list(all_sources().values())
    for folder in sorted({s.folder for s in sources}):
        here = [s for s in registered if s.folder == folder]
        for path in sorted((mirror / folder).glob("*")):
            if not path.is_file() or _is_not_data(path.name):
                continue
            if any(s.takes(path.name) for s in here):
                continue
            outcomes.append(_skipped(here, folder, path.name))
    return outcomes


def _is_not_data(name: str) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in NOT_DATA)


def _skipped(here: list[Source], folder: str, name: str) -> FileOutcome:
    for source in here:
        reason = source.ignores(name)
        if reason:
            return FileOutcome(source.name, "ignored", name, "skipped", message=reason)
    return FileOutcome(
        here[0].name if len(here) == 1 else folder,
        "",
        name,
        "skipped",
        message=f"no loader takes this file in {folder}/ (its name matches no known release). If "
        "it is a new release of a known table, name it as the publisher does; otherwise move "
        "it out of the mirror.",
    )


def ingest_file(
    warehouse: Warehouse,
    source: Source,
    series: FileSeries,
    path: Path,
    accept_partial: bool = False,
) -> FileOutcome:
    """Load one file as a release, unless the same bytes were already loaded."""
    raw = path.read_bytes()
    record = release_record(source, series, path, raw)
    outcome = FileOutcome(source.name, series.key, path.name, "unchanged")
    existing = warehouse.find_release(record)
    if existing is not None:
        outcome.release_id = existing
        return outcome
    try:
        check_line_length(raw, path.name)
        parsed = series.parse(raw, path.name)
    except SourceError as exc:
        return _refuse(warehouse, record, outcome, str(exc), exc.issues)
    parsed = with_valid_values(parsed, path.name)
    parsed.issues.extend(compare_with_published(series, path.name, record.sha256, parsed))
    record = dated(record, series, parsed, warehouse.earlier_vintage_of_file(record))
    if parsed.empty:
        message = f"{path.name}: no values could be read; nothing loaded. See the issues listed."
        return _refuse(warehouse, record, outcome, message, parsed.issues)
    fetched = _fetch_manifest(path.parent).get(path.name, {})
    held = [] if accept_partial else quarantine_reasons(warehouse, record, parsed, fetched)
    record = replace(record, quarantine="; ".join(held) or None)
    outcome.rows_read = parsed.rows_read
    outcome.rows_rejected = parsed.rows_rejected
    outcome.rows_loaded = parsed.rows_loaded
    outcome.release_id = warehouse.load_release(
        record,
        parsed.observations,
        parsed.issues,
        rows_read=outcome.rows_read,
        rows_loaded=outcome.rows_loaded,
        rows_rejected=outcome.rows_rejected,
        editions=[edition_record(record, day, values) for day, values in parsed.editions.items()],
    )
    outcome.status = "quarantined" if held else "loaded"
    if held:
        outcome.message = (
            f"{path.name} is held back, not made current: {record.quarantine}. The current "
            f"record is unchanged; inspect `borderflow issues {outcome.release_id}`, then "
            f"`borderflow accept {outcome.release_id}` if it is right."
        )
    outcome.observations = len(parsed.observations) + sum(map(len, parsed.editions.values()))
    outcome.issues = parsed.issues
    return outcome


def _refuse(
    warehouse: Warehouse,
    record: ReleaseRecord,
    outcome: FileOutcome,
    message: str,
    issues: list[Issue],
) -> FileOutcome:
    outcome.status = "refused"
    outcome.message = message
    outcome.issues = issues
    if warehouse.find_release(record, state="refused") is None:
        outcome.release_id = warehouse.record_refusal(record, message, issues)
    return outcome


#: The longest line a source file may have. Official tables have lines of a few hundred bytes;
#: a longer one is a damaged or wrong file, refused before any parser reads it.
MAX_LINE_BYTES = 1 << 20


def check_line_length(raw: bytes, file: str) -> None:
    """Refuse a file with a line longer than ``MAX_LINE_BYTES``, naming the line."""
    ends = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8) == ord("\n"))
    lengths = np.diff(ends, prepend=-1, append=len(raw)) - 1  # each line, its "\n" left out
    longest = int(lengths.max())
    if longest <= MAX_LINE_BYTES:
        return
    line = int(lengths.argmax()) + 1
    message = (
        f"{file}: line {line} is longer than {MAX_LINE_BYTES:,} bytes, which no official table "
        "has: the file is damaged or is not the table it is named after. Download it again."
    )
    raise SourceError(
        message, file=file, issues=[Issue("malformed_row", "fatal", file, message, row=line)]
    )


def with_valid_values(parsed: ParsedFile, file: str) -> ParsedFile:
    """The parse with every value outside its measure's valid range rejected as an issue."""
    parsed.observations = check_values(parsed.observations, file, parsed.issues)
    parsed.editions = {
        day: check_values(values, file, parsed.issues) for day, values in parsed.editions.items()
    }
    return parsed


def release_record(source: Source, series: FileSeries, path: Path, raw: bytes) -> ReleaseRecord:
    """Provenance of one file: checksum, size, official URL, vintage and when it was retrieved."""
    known = series.known_file(path.name)
    fetched = _fetch_manifest(path.parent).get(path.name, {})
    sha256 = hashlib.sha256(raw).hexdigest()
    retrieved_at = _parse_time(fetched.get("retrieved_at")) or _mtime(path)
    return ReleaseRecord(
        source=source.name,
        series=series.key,
        file_name=path.name,
        url=fetched.get("url") or (known.url if known else None),
        retrieved_at=retrieved_at,
        sha256=sha256,
        bytes=len(raw),
        parser_version=source.parser_version,
        vintage=release_vintage(series, path.name, sha256) or retrieved_at.date(),
        data_through=series.data_through_of(path.name) if series.data_through_of else None,
    )


def release_vintage(series: FileSeries, name: str, sha256: str) -> date | None:
    """When the file was published, as far as its name and bytes say: the known file's vintage
    if these are its bytes, else a date in the file name, else None.

    A file whose bytes differ from the known file of the same name is a different release (the
    publisher re-posted it under the same name), so the known vintage does not apply to it.
    """
    known = series.known_file(name)
    if known is not None and (known.sha256 is None or known.sha256 == sha256):
        return known.vintage
    return series.vintage_of(name) if series.vintage_of else None


def dated(
    record: ReleaseRecord, series: FileSeries, parsed: ParsedFile, earlier: date | None = None
) -> ReleaseRecord:
    """The record with the month its data run through (the name's, else the values' last) and,
    where neither the known files nor the name give the publication date, the series' estimate
    of it from that month (``FileSeries.published``).

    ``earlier`` is the vintage of a release of the same file name with other bytes: this one is
    a revision posted over it, so it is dated after it (no earlier than it was retrieved), and
    ``--as-of`` still reaches the values it replaced.
    """
    through = record.data_through or last_month_of(parsed)
    vintage = release_vintage(series, record.file_name, record.sha256)
    if vintage is None and through is not None and series.published is not None:
        vintage = series.published(through)
    vintage = vintage or record.vintage
    if earlier is not None and vintage <= earlier:
        retrieved = record.retrieved_at.date() if record.retrieved_at else vintage
        vintage = max(earlier + timedelta(days=1), retrieved)
    return replace(record, data_through=through, vintage=vintage)


def edition_record(
    record: ReleaseRecord, published: date, values: pd.DataFrame
) -> tuple[ReleaseRecord, pd.DataFrame]:
    """An earlier release a file transcribes: the file's record with that publication date."""
    return replace(record, vintage=published, data_through=last_month(values)), values


def last_month_of(parsed: ParsedFile) -> date | None:
    """The first day of the month the newest value of the file's own release ends in."""
    return last_month(parsed.observations)


def last_month(observations: pd.DataFrame) -> date | None:
    """The first day of the month the newest value ends in (None without values)."""
    if observations.empty:
        return None
    last = pd.Timestamp(observations["period_end"].max())
    return date(last.year, last.month, 1)


def _parse_time(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def compare_with_published(
    series: FileSeries, name: str, sha256: str, parsed: ParsedFile
) -> list[Issue]:
    """Warnings where a file differs from the published file of the same name."""
    known = series.known_file(name)
    if known is None or known.sha256 is None or known.sha256 == sha256:
        return []
    issues = [
        Issue(
            "hash_mismatch",
            "warning",
            name,
            f"sha256 {sha256[:12]}… differs from the published file's {known.sha256[:12]}…; "
            "the file was modified or is a different release. Loaded as a new release.",
        )
    ]
    if known.rows is not None and known.rows != parsed.rows_read:
        issues.append(
            Issue(
                "row_count_mismatch",
                "warning",
                name,
                f"{parsed.rows_read} data rows; the published file has {known.rows}",
            )
        )
    return issues


def _fetch_manifest(folder: Path) -> dict[str, dict[str, str]]:
    path = folder / FETCH_MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).replace(tzinfo=None)
