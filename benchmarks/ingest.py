"""Cold ingest of every dataset in the mirror, against a plain pandas + row-by-row insert peer.

Prints seconds and rows per second for borderflow's ingest (parse, validate, load atomically into
a fresh warehouse) and for the naive approach an analyst might script: ``pandas.read_csv`` of each
file and one ``INSERT`` per row into DuckDB. The peer is run on the same files, for at most
``--peer-seconds`` per file (its throughput is measured, not assumed, then applied to the full row
count), so the run stays short. Targets: ingest under 20 s, at least 5x the peer's rows/s.

Usage: python benchmarks/ingest.py --mirror ../shared/data
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


def run_borderflow(mirror: Path, db: Path) -> tuple[float, int, int]:
    """Seconds, data rows read and values loaded by a cold ingest."""
    start = time.perf_counter()
    with Warehouse(db) as warehouse:
        report = ingest(warehouse, get_sources(), mirror)
    seconds = time.perf_counter() - start
    rows = sum(o.rows_read for o in report.outcomes)
    values = sum(o.observations for o in report.outcomes)
    if report.refused:
        raise SystemExit(f"refused: {[o.file for o in report.refused]}")
    return seconds, rows, values


def run_peer(paths: list[Path], db: Path, budget: float) -> tuple[float, int]:
    """Rows/s of read_csv + one INSERT per row, measured per file within ``budget`` seconds."""
    con = duckdb.connect(str(db))
    total_rows = 0
    total_seconds = 0.0
    for i, path in enumerate(paths):
        start = time.perf_counter()
        frame = pd.read_csv(path, dtype=str, encoding="latin-1", keep_default_na=False)
        columns = ", ".join(f"c{j} VARCHAR" for j in range(frame.shape[1]))
        con.execute(f"CREATE TABLE t{i} ({columns})")
        insert = f"INSERT INTO t{i} VALUES ({', '.join('?' * frame.shape[1])})"
        done = 0
        for row in frame.itertuples(index=False):
            con.execute(insert, list(row))
            done += 1
            if time.perf_counter() - start > budget:
                break
        elapsed = time.perf_counter() - start
        # Extrapolate the measured rate to the whole file.
        total_seconds += elapsed * len(frame) / max(done, 1)
        total_rows += len(frame)
    con.close()
    return total_seconds, total_rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=None, help="data mirror (default: config)")
    parser.add_argument("--peer-seconds", type=float, default=2.0, help="peer budget per file")
    args = parser.parse_args()
    mirror = resolve_mirror(args.mirror)
    paths = [path for _, _, path in plan(get_sources(), mirror)]
    with tempfile.TemporaryDirectory() as tmp:
        seconds, rows, values = run_borderflow(mirror, Path(tmp) / "bench.duckdb")
        peer_seconds, peer_rows = run_peer(paths, Path(tmp) / "peer.duckdb", args.peer_seconds)
    ours = rows / seconds
    theirs = peer_rows / peer_seconds
    print(f"files: {len(paths)}   data rows: {rows:,}   values loaded: {values:,}")
    print(f"borderflow ingest : {seconds:8.2f} s   {ours:12,.0f} rows/s   (target < 20 s)")
    print(f"pandas + row insert: {peer_seconds:8.2f} s   {theirs:12,.0f} rows/s   (extrapolated)")
    print(f"speed-up           : {ours / theirs:8.1f}x   (target >= 5x)")


if __name__ == "__main__":
    main()
