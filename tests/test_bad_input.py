"""Bad input gets a clear error and loses nothing.

Each case starts from a warehouse holding the real AMO files, then ingests a damaged copy of the
real fy23-fy26-dec nationwide file, and checks the message (file, row, column, what to do) and
that the warehouse still holds exactly what it held before.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from borderflow.cli import app
from borderflow.warehouse import Warehouse
from conftest import MIRROR

CBP = "cbp_drug_seizures"
REAL = MIRROR / CBP / "nationwide-drugs-fy23-fy26-dec.csv"
NAME = "nationwide-drugs-fy23-fy26-dec.csv"
runner = CliRunner()


def snapshot(db: Path) -> tuple[object, ...]:
    with Warehouse(db, read_only=True) as wh:
        return (
            wh.con.execute("SELECT count(*), sum(value) FROM observations").fetchone(),
            wh.con.execute("SELECT count(*) FROM releases WHERE state = 'loaded'").fetchone(),
        )


@pytest.fixture
def setup(tmp_path: Path) -> Callable[[bytes], tuple[Path, Path]]:
    """``make(damaged) → (db, mirror)``: a warehouse holding AMO; a mirror with the damaged file."""

    def make(damaged: bytes) -> tuple[Path, Path]:
        db = tmp_path / "w.duckdb"
        good = tmp_path / "good"
        (good / CBP).mkdir(parents=True)
        for amo in (MIRROR / CBP).glob("amo-*.csv"):
            (good / CBP / amo.name).write_bytes(amo.read_bytes())
        result = runner.invoke(app, ["ingest", "cbp_amo", "--mirror", str(good), "--db", str(db)])
        assert result.exit_code == 0, result.output
        bad = tmp_path / "bad"
        (bad / CBP).mkdir(parents=True)
        (bad / CBP / NAME).write_bytes(damaged)
        return db, bad

    return make


def ingest(db: Path, mirror: Path, *extra: str) -> object:
    return runner.invoke(
        app, ["ingest", "cbp_nationwide", "--mirror", str(mirror), "--db", str(db), *extra]
    )


def refused(setup: Callable[[bytes], tuple[Path, Path]], damaged: bytes) -> str:
    """Ingest a damaged file; assert it was refused and nothing changed; return stderr."""
    db, mirror = setup(damaged)
    before = snapshot(db)
    result = ingest(db, mirror)
    assert result.exit_code == 1, result.output
    assert snapshot(db) == before
    with Warehouse(db, read_only=True) as wh:
        states = [r["state"] for r in wh.read.releases() if r["file_name"] == NAME]
    assert states == ["refused"]
    return result.stderr


def loaded_fentanyl(db: Path) -> float:
    with Warehouse(db, read_only=True) as wh:
        row = wh.con.execute(
            """SELECT round(sum(value), 2) FROM current_observations WHERE source = 'cbp_nationwide'
               AND drug = 'Fentanyl' AND measure = 'seizure_weight'
               AND period_start BETWEEN DATE '2022-10-01' AND DATE '2023-09-30'"""
        ).fetchone()
    assert row is not None
    return float(row[0])


def test_truncated_file_is_refused_naming_the_row(setup) -> None:
    raw = REAL.read_bytes()
    cut = raw[: raw.index(b"\n", len(raw) // 2) + 30]  # ends mid-row
    stderr = refused(setup, cut)
    line = cut.count(b"\n") + 1
    assert f"{NAME}: the file ends in the middle of row {line}; it looks truncated." in stderr
    assert "Download it again" in stderr


def test_wrong_encoding_is_refused_naming_the_line(setup) -> None:
    stderr = refused(setup, REAL.read_text().encode("utf-16"))
    assert f"{NAME}: line 1 is not valid utf-8 text" in stderr
    assert "Re-save the file as utf-8" in stderr


def test_missing_column_is_refused_naming_it(setup) -> None:
    lines = REAL.read_text().splitlines()
    dropped = [",".join(line.split(",")[:-1]) for line in lines]  # no "Sum Qty (lbs)"
    stderr = refused(setup, ("\n".join(dropped) + "\n").encode())
    assert "missing column(s) 'Sum Qty (lbs)'" in stderr


def test_empty_file_is_refused(setup) -> None:
    stderr = refused(setup, b"")
    assert f"{NAME}: the file is empty (no header row)" in stderr


def test_reordered_columns_load_the_same_values(setup) -> None:
    rows = [line.split(",") for line in REAL.read_text().splitlines()]
    order = [8, 7, 6, 5, 4, 3, 2, 1, 0]
    db, mirror = setup(("\n".join(",".join(r[i] for i in order) for r in rows) + "\n").encode())
    assert ingest(db, mirror).exit_code == 0
    assert loaded_fentanyl(db) == 27022.85


def test_bom_and_crlf_load_the_same_values(setup) -> None:
    raw = b"\xef\xbb\xbf" + REAL.read_bytes().replace(b"\n", b"\r\n")
    db, mirror = setup(raw)
    assert ingest(db, mirror).exit_code == 0
    assert loaded_fentanyl(db) == 27022.85


def test_non_numeric_quantity_rejects_only_that_row(setup) -> None:
    lines = REAL.read_text().splitlines(keepends=True)
    lines[4] = lines[4].rsplit(",", 1)[0] + ",12 lbs\n"
    db, mirror = setup("".join(lines).encode())
    result = ingest(db, mirror, "--json")
    assert result.exit_code == 0
    with Warehouse(db, read_only=True) as wh:
        release = next(r for r in wh.read.releases() if r["file_name"] == NAME)
        issues = wh.read.issues(release["release_id"])
    assert release["rows_rejected"] == 1 and release["rows_loaded"] == 7894
    assert [(i["kind"], i["row"], i["column"], i["value"]) for i in issues if i["row"]] == [
        ("unparseable_number", 5, "Sum Qty (lbs)", "12 lbs")
    ]


def test_duplicated_rows_are_reported_and_not_double_counted(setup) -> None:
    text = REAL.read_text()
    fentanyl = [
        line for line in text.splitlines() if ",Fentanyl," in line and line.startswith("2023,")
    ]
    db, mirror = setup((text + "\n".join(fentanyl[:3]) + "\n").encode())
    assert ingest(db, mirror).exit_code == 0
    assert loaded_fentanyl(db) == 27022.85
    with Warehouse(db, read_only=True) as wh:
        release = next(r for r in wh.read.releases() if r["file_name"] == NAME)
        kinds = {i["kind"] for i in wh.read.issues(release["release_id"])}
    assert kinds == {"duplicate_key", "hash_mismatch", "row_count_mismatch"}


def test_ingest_killed_mid_load_leaves_the_previous_state(setup) -> None:
    db, mirror = setup(REAL.read_bytes())
    before = snapshot(db)
    proc = subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).with_name("stall_ingest.py")),
            "ingest",
            "cbp_nationwide",
            "--mirror",
            str(mirror),
            "--db",
            str(db),
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 60
    while b"FAILPOINT" not in proc.stderr.readline():
        assert time.monotonic() < deadline and proc.poll() is None, (
            "ingest never reached the failpoint"
        )
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(db) == before
    # And the warehouse still works: the same file now loads normally.
    assert ingest(db, mirror).exit_code == 0
    assert loaded_fentanyl(db) == 27022.85
