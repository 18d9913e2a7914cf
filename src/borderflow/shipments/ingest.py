"""Bulk load of shipment partitions: DuckDB reads each Parquet or CSV file straight into the
``shipments`` table, with provenance and validation in SQL.

Rows never pass through Python, so a hundred million load in minutes within a bounded memory
(``limits``). Each partition file is one release (source ``shipments``, series = its path inside
the folder, its sha256 and size); each row keeps ``release_id`` and ``source_row`` (its 1-based
row in a Parquet file, its line number in a CSV file). Rows failing a check of
``sources.shipments.ROW_CHECKS`` become issues naming file, row and column, and are not loaded.
The whole load is one transaction: a partition that cannot be read refuses the load, the
warehouse keeps its last good state, and the refusal is recorded. A partition already loaded
with the same bytes is skipped; a changed one is loaded as a newer release of its series, which
then is current (``current_shipments``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from borderflow.errors import BorderflowError
from borderflow.shipments.generate import MANIFEST
from borderflow.shipments.limits import bound_duckdb
from borderflow.sources.issues import Issue
from borderflow.sources.shipments import COLUMNS, ROW_CHECKS, SOURCE
from borderflow.warehouse import Warehouse, sql
from borderflow.warehouse.store import ReleaseRecord

#: Issues stored per partition and check; the count of the rest is in the release's message.
MAX_ISSUES_PER_CHECK = 1000


class RefusedLoad(BorderflowError):
    """A partition could not be read; nothing of the load was kept."""


@dataclass
class ShipmentsLoad:
    """What one ``ingest_shipments`` did."""

    folder: Path
    loaded: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    synthetic: bool = False

    @property
    def rows_loaded(self) -> int:
        return sum(int(r["rows_loaded"]) for r in self.loaded)

    @property
    def rows_rejected(self) -> int:
        return sum(int(r["rows_rejected"]) for r in self.loaded)

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "synthetic": self.synthetic,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "loaded": self.loaded,
            "skipped": self.skipped,
        }


def partition_files(folder: Path) -> list[Path]:
    """The Parquet and CSV partitions under ``folder``, in path order."""
    if not folder.is_dir():
        raise BorderflowError(f"{folder} is not a folder of shipment partitions.")
    found = sorted(p for p in folder.rglob("*") if p.suffix in (".parquet", ".csv"))
    if not found:
        raise BorderflowError(f"no .parquet or .csv partitions under {folder}.")
    return found


def ingest_shipments(
    warehouse: Warehouse, folder: Path, on_file: Callable[[str], None] | None = None
) -> ShipmentsLoad:
    """Load every new or changed partition under ``folder`` in one transaction.

    Raises:
        RefusedLoad: a partition could not be read (recorded as a refused release; nothing
            else of this load is kept).
        BorderflowError: synthetic and real shipments would be mixed.
    """
    con = warehouse.con
    files = partition_files(folder)
    bound_duckdb(con, warehouse.path)
    report = ShipmentsLoad(folder, synthetic=(folder / MANIFEST).exists())
    _refuse_mixing(con, report.synthetic)
    warehouse.register_source(SOURCE)
    try:
        with warehouse.transaction():
            for path in files:
                record = _record(folder, path, report.synthetic)
                if warehouse.find_release(record) is not None:
                    report.skipped.append(record.series)
                else:
                    report.loaded.append(load_partition(con, record, path))
                if on_file is not None:
                    on_file(record.series)
    except duckdb.Error as exc:
        bad = path.relative_to(folder).as_posix()
        message = f"{bad} cannot be read as a shipments partition: {_first_line(exc)}"
        issue = Issue("malformed_row", "fatal", bad, message)
        warehouse.record_refusal(_record(folder, path, report.synthetic), message, [issue])
        raise RefusedLoad(
            f"{message}. Nothing of this load was kept; the warehouse is as it was. Fix or "
            "remove the file and run the ingest again."
        ) from exc
    return report


def load_partition(
    con: duckdb.DuckDBPyConnection, record: ReleaseRecord, path: Path
) -> dict[str, Any]:
    """Insert one partition's rows, move failed rows to issues, record the release."""
    release_id = _insert_release(con, record)
    ordered = "true" if path.suffix == ".csv" else "false"  # CSV line numbers need the order
    con.execute(f"SET preserve_insertion_order = {ordered}")
    con.execute(
        f"INSERT INTO shipments SELECT {release_id}, source_row, {', '.join(COLUMNS)}, "
        "CAST(date_trunc('month', arrival_date) AS DATE), "
        f"{_problem_case('index')}, {_problem_case('value')} FROM ({_typed_read(path)})"
    )
    rejected = _move_problems_to_issues(con, release_id, record.file_name)
    stats = con.execute(
        "SELECT count(*), min(arrival_date), max(arrival_date) FROM shipments WHERE release_id = ?",
        [release_id],
    ).fetchone()
    assert stats is not None
    loaded, first, last = int(stats[0]), stats[1], stats[2]
    con.execute(
        "UPDATE releases SET rows_read = ?, rows_loaded = ?, rows_rejected = ?, observations = ?,"
        " coverage_start = ?, coverage_end = ?, data_through = date_trunc('month', ?) "
        "WHERE release_id = ?",
        [loaded + rejected, loaded, rejected, loaded, first, last, last, release_id],
    )
    return {"release_id": release_id, "series": record.series, "sha256": record.sha256,
            "rows_loaded": loaded, "rows_rejected": rejected}  # fmt: skip


def _typed_read(path: Path) -> str:
    """SELECT of the partition's columns cast to their types, as read (``raw_*``), and
    ``source_row``. A missing column or an unreadable file fails here."""
    literal = str(path).replace("'", "''")
    if path.suffix == ".parquet":
        reader = f"read_parquet('{literal}', file_row_number = true, hive_partitioning = false)"
        row = "file_row_number + 1"
    else:  # a CSV's own line numbers: the header is line 1
        reader = f"read_csv('{literal}', header = true, all_varchar = true)"
        row = "row_number() OVER () + 1"
    typed = ", ".join(f"TRY_CAST({c} AS {t}) AS {c}" for c, t in COLUMNS.items())
    raw = ", ".join(f"{c} AS raw_{c}" for c in COLUMNS)  # as read; text only where a check fails
    return f"SELECT {row} AS source_row, {typed}, {raw} FROM {reader}"


def _problem_case(what: str) -> str:
    """CASE naming each row's first failed check (its index) or the failing text."""
    arms = " ".join(
        f"WHEN {check.bad} THEN {i if what == 'index' else f'CAST(raw_{check.column} AS VARCHAR)'}"
        for i, check in enumerate(ROW_CHECKS)
    )
    return f"CASE {arms} END"


def _move_problems_to_issues(con: duckdb.DuckDBPyConnection, release_id: int, file: str) -> int:
    rejected = con.execute(
        "SELECT count(*) FROM shipments WHERE release_id = ? AND problem IS NOT NULL",
        [release_id],
    ).fetchone()
    count = int(rejected[0]) if rejected else 0
    if count == 0:
        return 0
    for index, check in enumerate(ROW_CHECKS):
        con.execute(
            f"""INSERT INTO issues SELECT ?, ?, 'error', ?, source_row, ?, left(problem_value, 80),
                ? || coalesce('''' || left(problem_value, 80) || '''', 'blank') || ' ' || ?
            FROM shipments WHERE release_id = ? AND problem = ? ORDER BY source_row
            LIMIT {MAX_ISSUES_PER_CHECK}""",
            [release_id, check.kind, file, check.column, f"{check.column} ", check.message,
             release_id, index],
        )  # fmt: skip
    con.execute("DELETE FROM shipments WHERE release_id = ? AND problem IS NOT NULL", [release_id])
    return count


def _insert_release(con: duckdb.DuckDBPyConnection, record: ReleaseRecord) -> int:
    row = con.execute(
        sql.INSERT_RELEASE,
        [record.source, record.series, record.file_name, record.url, record.retrieved_at,
         record.sha256, record.bytes, record.parser_version, record.vintage, None, "loaded",
         0, 0, 0, 0, None, None, _synthetic_note(record), None],
    ).fetchone()  # fmt: skip
    assert row is not None
    return int(row[0])


def _synthetic_note(record: ReleaseRecord) -> str | None:
    return "SYNTHETIC: made by `borderflow shipments generate`" if record.url else None


def _record(folder: Path, path: Path, synthetic: bool) -> ReleaseRecord:
    stat = path.stat()
    series = path.relative_to(folder).as_posix()
    return ReleaseRecord(
        source=SOURCE.name,
        series=series,
        file_name=series,
        url=f"synthetic:{(folder / MANIFEST).as_posix()}" if synthetic else None,
        retrieved_at=datetime.fromtimestamp(stat.st_mtime).replace(microsecond=0),
        sha256=file_sha256(path),
        bytes=stat.st_size,
        parser_version=SOURCE.parser_version,
        vintage=date.fromtimestamp(stat.st_mtime),
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def _refuse_mixing(con: duckdb.DuckDBPyConnection, synthetic: bool) -> None:
    """Synthetic shipments never sit beside real ones: they stand in only where none exist."""
    rows = con.execute(
        "SELECT DISTINCT url LIKE 'synthetic:%' FROM releases "
        "WHERE source = 'shipments' AND state = 'loaded'"
    ).fetchall()
    kinds = {bool(r[0]) for r in rows}
    if kinds and kinds != {synthetic}:
        have = "synthetic" if True in kinds else "real"
        raise BorderflowError(
            f"this warehouse already holds {have} shipments; synthetic and real shipment "
            "records are never mixed. Use another --db."
        )


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]


def manifest_of(folder: Path) -> dict[str, Any] | None:
    """The generator's description of a synthetic set, or None for real records."""
    path = folder / MANIFEST
    return json.loads(path.read_text()) if path.exists() else None
