"""The DuckDB warehouse: opening, migrating, and atomic loading of one release at a time.

Every write of a release happens in one transaction — the release record, its observations and
its issues commit together or not at all — so a refused file, an exception or a killed process
leaves the warehouse exactly as it was after the last good release.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from borderflow.errors import WarehouseError
from borderflow.sources.base import Source
from borderflow.sources.issues import Issue
from borderflow.warehouse import sql
from borderflow.warehouse.migrations import migrate

#: Fault-injection point for tests of crash safety: when set to ``after-observations`` the loader
#: pauses inside the open transaction, after inserting a release's observations, and prints
#: ``FAILPOINT`` to stderr so a test can kill the process there.
FAILPOINT_ENV = "BORDERFLOW_FAILPOINT"


@dataclass(frozen=True)
class ReleaseRecord:
    """What is known about one file before it is written to the warehouse."""

    source: str
    series: str
    file_name: str
    url: str | None
    retrieved_at: datetime | None
    sha256: str
    bytes: int
    parser_version: str
    vintage: date


class Warehouse:
    """An open warehouse file. Use as a context manager, or call ``close()``."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        if read_only and not path.exists():
            raise WarehouseError(
                f"no warehouse at {path}. Run `borderflow ingest` first, or pass --db."
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            raise WarehouseError(
                f"cannot open the warehouse {path}: {exc}. If another borderflow process is "
                "writing to it, wait for it to finish; otherwise pass a different --db."
            ) from exc
        if not read_only:
            migrate(self.con)

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # -- reads -----------------------------------------------------------------------------

    def query(self, statement: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Run a read statement and return a frame."""
        return self.con.execute(statement, params or []).df()

    def rows(self, statement: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Run a read statement and return a list of dicts (JSON-ready apart from dates)."""
        cursor = self.con.execute(statement, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def find_release(self, record: ReleaseRecord, state: str = "loaded") -> int | None:
        """The id of a release of the same file (same bytes, same parser) already recorded."""
        row = self.con.execute(
            sql.FIND_RELEASE,
            [record.source, record.series, record.sha256, record.parser_version, state],
        ).fetchone()
        return None if row is None else int(row[0])

    def releases(self) -> list[dict[str, Any]]:
        return self.rows(sql.LIST_RELEASES)

    def issues(self, release_id: int) -> list[dict[str, Any]]:
        return self.rows(sql.LIST_ISSUES, [release_id])

    def source_coverage(self) -> list[dict[str, Any]]:
        return self.rows(sql.SOURCE_COVERAGE)

    # -- writes ----------------------------------------------------------------------------

    def register_source(self, source: Source) -> None:
        self.con.execute(
            sql.UPSERT_SOURCE,
            [
                source.name,
                source.title,
                source.publisher,
                source.homepage,
                source.licence,
                source.cadence,
                source.folder,
                source.parser_version,
            ],
        )

    def load_release(
        self,
        record: ReleaseRecord,
        observations: pd.DataFrame,
        issues: list[Issue],
        *,
        rows_read: int,
        rows_loaded: int,
        rows_rejected: int,
    ) -> int:
        """Write a release, its observations and its issues in one transaction; return its id."""
        with self._transaction():
            release_id = self._insert_release(
                record, "loaded", rows_read, rows_loaded, rows_rejected, None
            )
            self.con.register("incoming_observations", observations)
            try:
                self.con.execute(sql.insert_observations("incoming_observations"), [release_id])
            finally:
                self.con.unregister("incoming_observations")
            _failpoint("after-observations")
            start, end, count = self.con.execute(
                sql.COVERAGE_OF_RELEASE, [release_id]
            ).fetchone() or (
                None,
                None,
                0,
            )
            self.con.execute(sql.SET_COVERAGE, [start, end, count, release_id])
            for statement in sql.refresh_current_periods():
                self.con.execute(statement, [record.source, record.series])
            self._insert_issues(release_id, issues)
        return release_id

    def record_refusal(self, record: ReleaseRecord, message: str, issues: list[Issue]) -> int:
        """Record that a file was refused (with its issues); no observations are written."""
        with self._transaction():
            release_id = self._insert_release(record, "refused", None, 0, None, message)
            self._insert_issues(release_id, issues)
        return release_id

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def _insert_release(
        self,
        record: ReleaseRecord,
        state: str,
        rows_read: int | None,
        rows_loaded: int | None,
        rows_rejected: int | None,
        message: str | None,
    ) -> int:
        row = self.con.execute(
            sql.INSERT_RELEASE,
            [
                record.source,
                record.series,
                record.file_name,
                record.url,
                record.retrieved_at,
                record.sha256,
                record.bytes,
                record.parser_version,
                record.vintage,
                state,
                rows_read,
                rows_loaded,
                rows_rejected,
                0,
                None,
                None,
                message,
            ],
        ).fetchone()
        assert row is not None
        return int(row[0])

    def _insert_issues(self, release_id: int, issues: list[Issue]) -> None:
        if not issues:
            return
        self.con.executemany(
            sql.INSERT_ISSUE,
            [
                [release_id, i.kind, i.severity, i.file, i.row, i.column, i.value, i.message]
                for i in issues
            ],
        )


def _failpoint(name: str) -> None:
    if os.environ.get(FAILPOINT_ENV) == name:
        print("FAILPOINT", name, file=sys.stderr, flush=True)
        time.sleep(3600)
