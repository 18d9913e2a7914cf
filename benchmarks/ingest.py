"""Cold ingest of every dataset in the mirror, against a fair pandas + DuckDB bulk-load peer.

Prints, in one run:

- borderflow's cold ingest (``borderflow.warehouse.ingest.ingest`` into a fresh warehouse, every
  source: parse, validate, load each file atomically): seconds, data rows read, values loaded;
- the peer an analyst would script for the same files: ``pandas.read_csv`` of each file (type
  inference on; Latin-1 where the file is not UTF-8, as borderflow accepts for SESNSP), then ONE
  bulk insert of the whole frame into a DuckDB table of a fresh database (``con.register`` +
  ``CREATE TABLE … AS SELECT``): seconds and rows;
- the ratio peer seconds / borderflow seconds.

The peer validates nothing and keeps the files' wide layouts; borderflow reshapes them into long
observations (about twice as many values as rows), checks every cell and records provenance.
The files are read once before timing, so both start with them in the OS cache.
Targets: ingest under 5 s, ratio at least 2x.

Usage: python benchmarks/ingest.py [--mirror DIR]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

from borderflow.config import resolve_mirror
from borderflow.sources import get_sources
from borderflow.warehouse import Warehouse
from borderflow.warehouse.ingest import ingest, plan

TARGET_SECONDS = 5.0
TARGET_RATIO = 2.0


def run_borderflow(mirror: Path, db: Path) -> tuple[float, float, int, int]:
    """Seconds, CPU seconds, data rows read and values loaded by a cold ingest into a fresh
    warehouse. CPU seconds (all threads of this process) tell the work done when other
    processes share the machine and stretch the wall clock.

    Raises:
        SystemExit: a file was refused (the figures would not describe a full ingest).
    """
    start, cpu = time.perf_counter(), time.process_time()
    with Warehouse(db) as warehouse:
        report = ingest(warehouse, get_sources(), mirror)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if report.refused:
        raise SystemExit(f"refused: {[o.file for o in report.refused]}")
    rows = sum(o.rows_read for o in report.outcomes)
    values = sum(o.observations for o in report.outcomes)
    return seconds, cpu, rows, values


def read_frame(path: Path) -> pd.DataFrame:
    """``pandas.read_csv`` as an analyst would call it: UTF-8, else Latin-1."""
    try:
        return pd.read_csv(path)
    except UnicodeDecodeError:
        return pd.read_csv(path, encoding="latin-1")


def run_peer(paths: list[Path], db: Path) -> tuple[float, int]:
    """Seconds and rows of ``read_csv`` + one bulk ``CREATE TABLE … AS SELECT`` per file."""
    start = time.perf_counter()
    con = duckdb.connect(str(db))
    rows = 0
    for i, path in enumerate(paths):
        frame = read_frame(path)
        con.register("incoming", frame)
        con.execute(f"CREATE TABLE t{i} AS SELECT * FROM incoming")
        con.unregister("incoming")
        rows += len(frame)
    con.close()
    return time.perf_counter() - start, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=None, help="data mirror (default: config)")
    args = parser.parse_args()
    mirror = resolve_mirror(args.mirror)
    paths = [path for _, _, path in plan(get_sources(), mirror)]
    for path in paths:  # warm the OS cache for both contenders
        path.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        seconds, cpu, rows, values = run_borderflow(mirror, Path(tmp) / "bench.duckdb")
        peer_seconds, peer_rows = run_peer(paths, Path(tmp) / "peer.duckdb")
    ratio = peer_seconds / seconds
    print(f"files: {len(paths)}")
    print(
        f"borderflow ingest     : {seconds:6.2f} s   {rows:,} rows read, {values:,} values loaded"
        f"   (target < {TARGET_SECONDS:g} s: {verdict(seconds < TARGET_SECONDS)}; CPU {cpu:.2f} s)"
    )
    print(f"pandas + DuckDB bulk  : {peer_seconds:6.2f} s   {peer_rows:,} rows")
    print(
        f"ratio peer/borderflow : {ratio:6.2f}x  "
        f"(target >= {TARGET_RATIO:g}x: {verdict(ratio >= TARGET_RATIO)})"
    )


def verdict(met: bool) -> str:
    """How a figure stands against its target."""
    return "met" if met else "MISSED"


if __name__ == "__main__":
    main()
