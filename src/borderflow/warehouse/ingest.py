"""Ingest: find each source's files in the mirror, parse them, and load each as one release.

The flow for one file is: hash it → skip if the same bytes were already loaded by the same
parser → parse (a ``SourceError`` refuses the file) → compare with what the publisher's file is
known to be (hash, rows) → load atomically. The report says, per file, what was read, loaded,
rejected and why.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from borderflow.errors import BorderflowError, SourceError
from borderflow.sources.base import FileSeries, ParsedFile, Source
from borderflow.sources.issues import Issue
from borderflow.warehouse.store import ReleaseRecord, Warehouse

#: Written next to downloaded files by ``borderflow fetch``: file name → url, retrieved_at, etag.
FETCH_MANIFEST = ".borderflow-fetch.json"


@dataclass
class FileOutcome:
    """What happened to one file."""

    source: str
    series: str
    file: str
    status: str  # loaded | unchanged | refused
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

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": [o.to_dict() for o in self.outcomes],
            "loaded": self.count("loaded"),
            "unchanged": self.count("unchanged"),
            "refused": self.count("refused"),
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
) -> IngestReport:
    """Load every file of ``sources`` found in ``mirror``; ``on_file`` is called after each."""
    if not mirror.is_dir():
        raise BorderflowError(
            f"the mirror folder {mirror} does not exist. Pass --mirror DIR (a folder laid out "
            "like the official data, one sub-folder per source) or run `borderflow fetch`."
        )
    report = IngestReport()
    for source in sources:
        warehouse.register_source(source)
    for source, series, path in plan(sources, mirror):
        report.outcomes.append(ingest_file(warehouse, source, series, path))
        if on_file:
            on_file(path.name)
    return report


def ingest_file(
    warehouse: Warehouse, source: Source, series: FileSeries, path: Path
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
        parsed = series.parse(raw, path.name)
    except SourceError as exc:
        return _refuse(warehouse, record, outcome, str(exc), exc.issues)
    parsed.issues.extend(compare_with_published(series, path.name, record.sha256, parsed))
    if parsed.observations.empty:
        message = f"{path.name}: no values could be read; nothing loaded. See the issues listed."
        return _refuse(warehouse, record, outcome, message, parsed.issues)
    outcome.release_id = warehouse.load_release(
        record,
        parsed.observations,
        parsed.issues,
        rows_read=parsed.rows_read,
        rows_loaded=parsed.rows_loaded,
        rows_rejected=parsed.rows_rejected,
    )
    outcome.status = "loaded"
    outcome.rows_read = parsed.rows_read
    outcome.rows_rejected = parsed.rows_rejected
    outcome.rows_loaded = parsed.rows_loaded
    outcome.observations = len(parsed.observations)
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
    )


def release_vintage(series: FileSeries, name: str, sha256: str) -> date | None:
    """When the file was published: the known file's vintage if these are its bytes, else what
    the file name says, else None (the caller falls back to the retrieval date).

    A file whose bytes differ from the known file of the same name is a different release (the
    publisher re-posted it under the same name), so the known vintage does not apply to it.
    """
    known = series.known_file(name)
    if known is not None and (known.sha256 is None or known.sha256 == sha256):
        return known.vintage
    return series.vintage_of(name) if series.vintage_of else None


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
