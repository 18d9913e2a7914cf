"""The DuckDB warehouse: opening, migrating, and atomic loading of one release at a time.

Every write of a release happens in one transaction — the release record, its observations and
its issues commit together or not at all — so a refused file, an exception or a killed process
leaves the warehouse exactly as it was after the last good release. A bulk load (``batch``) runs
many releases' writes in one transaction, committed once at its end.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from borderflow.errors import WarehouseError
from borderflow.sources.base import OBSERVATION_COLUMNS, Source
from borderflow.sources.columns import repeated_value
from borderflow.sources.issues import Issue
from borderflow.warehouse import sql
from borderflow.warehouse.migrations import migrate
from borderflow.warehouse.reader import StoreReader
from borderflow.warehouse.transaction import transaction


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
    data_through: date | None = None
    quarantine: str | None = None


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
        self._in_batch = False
        #: File series whose ``current_periods`` a batch has yet to refresh (ordered set).
        self._pending_refresh: dict[tuple[str, str], None] = {}
        #: Reads of releases, issues, coverage and stored runs (``StoreReader``).
        self.read = StoreReader(self.con)

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # -- reads -----------------------------------------------------------------------------

    def find_release(self, record: ReleaseRecord, state: str = "loaded") -> int | None:
        """The id of a release of the same file (same bytes, same parser) already recorded."""
        row = self.con.execute(
            sql.FIND_RELEASE,
            [record.source, record.series, record.sha256, record.parser_version, state],
        ).fetchone()
        return None if row is None else int(row[0])

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
        editions: Sequence[tuple[ReleaseRecord, pd.DataFrame]] = (),
    ) -> int:
        """Write a release, its observations and its issues in one transaction; return its id.

        ``editions`` are earlier releases the file transcribes (each with its own vintage and
        values): written in the same transaction, before the file's own release.
        """
        with self.transaction():
            for edition, values in editions:
                self._write_release(edition, values, len(values), 0)
            release_id = self._write_release(record, observations, rows_loaded, rows_rejected,
                                             rows_read=rows_read)  # fmt: skip
            self._refresh_current_periods(record.source, record.series)
            self._insert_issues(release_id, issues)
        return release_id

    def _write_release(
        self,
        record: ReleaseRecord,
        observations: pd.DataFrame,
        rows_loaded: int,
        rows_rejected: int,
        *,
        rows_read: int | None = None,
    ) -> int:
        """The release row with its coverage (read from the frame), its observations and its
        slices (inside a transaction)."""
        read = len(observations) if rows_read is None else rows_read
        release_id = self._insert_release(
            record, "loaded", read, rows_loaded, rows_rejected, None, coverage(observations)
        )
        given = given_text(observations)
        self.con.register("incoming_observations", observations)
        try:
            self.con.execute(
                sql.insert_observations("incoming_observations", list(given)),
                [release_id, *given.values()],
            )
        finally:
            self.con.unregister("incoming_observations")
        self.con.execute(sql.INSERT_RELEASE_SLICES, [release_id])
        return release_id

    def _refresh_current_periods(self, source: str, series: str) -> None:
        """Recompute ``current_periods`` for a file series whose releases changed: at once, or
        inside ``batch`` once for every changed series, before the batch commits or a quarantine
        check reads the current values (``_refresh_pending``)."""
        if self._in_batch:
            self._pending_refresh[source, series] = None
            return
        for statement in sql.refresh_current_periods():
            self.con.execute(statement, [source, series])

    def _refresh_pending(self) -> None:
        """Run the ``current_periods`` refreshes a batch has put off, for all series at once."""
        if not self._pending_refresh:
            return
        sources = [source for source, _ in self._pending_refresh]
        series = [name for _, name in self._pending_refresh]
        for statement in sql.refresh_current_periods_of_many():
            self.con.execute(statement, [sources, series])
        self._pending_refresh.clear()

    def fewer_values_than_current(
        self, record: ReleaseRecord, observations: pd.DataFrame
    ) -> list[dict[str, Any]]:
        """Slices where ``observations`` hold fewer values than the current values they would
        replace (from older releases of the same file series)."""
        self._refresh_pending()
        self.con.register("incoming_observations", observations)
        try:
            return self.read.rows(
                sql.FEWER_VALUES_THAN_CURRENT, [record.source, record.series, record.vintage]
            )
        finally:
            self.con.unregister("incoming_observations")

    def earlier_vintage_of_file(self, record: ReleaseRecord) -> date | None:
        """The newest vintage of a loaded release of the same file name with other bytes."""
        ((vintage,),) = self.con.execute(
            sql.LATEST_VINTAGE_OF_FILE,
            [record.source, record.series, record.file_name, record.sha256],
        ).fetchall()
        return None if vintage is None else pd.Timestamp(vintage).date()

    def accept(self, release_id: int) -> dict[str, Any]:
        """Make a quarantined release eligible to be current; return its record as it is now."""
        with self.transaction():
            found = self.con.execute(sql.ACCEPT_RELEASE, [release_id]).fetchone()
            if found is None:
                raise WarehouseError(f"no release {release_id}; `borderflow releases` lists them.")
            for statement in sql.refresh_current_periods():
                self.con.execute(statement, list(found))
        return self.read.rows(sql.GET_RELEASE, [release_id])[0]

    def record_refusal(self, record: ReleaseRecord, message: str, issues: list[Issue]) -> int:
        """Record that a file was refused (with its issues); no observations are written."""
        with self.transaction():
            release_id = self._insert_release(record, "refused", None, 0, None, message)
            self._insert_issues(release_id, issues)
        return release_id

    def transaction(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        """A transaction on this warehouse: the block's writes commit together or not at all.

        Inside ``batch`` it joins the batch's transaction (DuckDB has no nested transactions or
        savepoints), so the block commits with the batch.
        """
        if self._in_batch:
            return nullcontext(self.con)
        return transaction(self.con)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Run the block's writes — any number of releases — in one transaction, committed once.

        One commit is what makes a bulk load fast: DuckDB writes a large transaction's rows
        straight to compressed blocks, while a commit per release logs its rows to the
        write-ahead log and compresses them again at the next checkpoint (for the whole mirror,
        700k values, about 0.8 s of CPU). DuckDB runs the batch on one thread: a load is
        hundreds of small statements and one scan per release of a pandas frame of Python
        strings, which holds the GIL, so a second thread adds scheduling, not speed (about
        0.7 s of CPU less on the mirror). Any exception, or a killed process, leaves the
        warehouse as it was before the batch; ``ingest`` then reloads the files that had
        succeeded one transaction each, so a file's failure never undoes another file.
        Inside a batch ``current_periods`` is refreshed once for all the series loaded, before
        the commit (and before a quarantine check reads current values), not after each release.
        """
        if self._in_batch:
            yield
            return
        ((threads,),) = self.con.execute(sql.CURRENT_THREADS).fetchall()
        self.con.execute(sql.set_threads(1))
        try:
            with transaction(self.con):
                self._in_batch = True
                try:
                    yield
                    self._refresh_pending()
                finally:
                    self._in_batch = False
                    self._pending_refresh.clear()
        finally:
            self.con.execute(sql.set_threads(threads))

    def _insert_release(
        self,
        record: ReleaseRecord,
        state: str,
        rows_read: int | None,
        rows_loaded: int | None,
        rows_rejected: int | None,
        message: str | None,
        covered: tuple[date | None, date | None, int] = (None, None, 0),
    ) -> int:
        start, end, count = covered
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
                record.data_through,
                state,
                rows_read,
                rows_loaded,
                rows_rejected,
                count,
                start,
                end,
                message,
                record.quarantine if state == "loaded" else None,
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


def coverage(observations: pd.DataFrame) -> tuple[date | None, date | None, int]:
    """First period start, last period end (as stored: dates) and count of ``observations``."""
    if observations.empty:
        return None, None, 0
    start, end = observations["period_start"].min(), observations["period_end"].max()
    return _day(start), _day(end), len(observations)


def _day(value: object) -> date | None:
    """The date of a timestamp (as DuckDB casts it to DATE); None for a missing one."""
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    return None if pd.isna(stamp) else stamp.date()


def given_text(observations: pd.DataFrame) -> dict[str, str | None]:
    """The text columns of ``observations`` that hold one value (or None) in every row by
    construction (``sources.columns.repeated``), with that value: written as a bound value, not
    read row by row (most dimensions of most files are unset or constant)."""
    given = {}
    for name in OBSERVATION_COLUMNS:
        value = repeated_value(observations[name])
        if value is None or isinstance(value, str):
            given[name] = value
    return given
