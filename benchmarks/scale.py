"""Shipment records at scale: generation, ingest and five typical questions, DuckDB beside Spark.

For each row count (default 10 million and 100 million) the script

1. generates a synthetic shipments set calibrated to UN Comtrade (``borderflow.shipments``);
2. loads it into a fresh DuckDB warehouse (bulk ingest, memory-capped, spilling to disk);
3. hands it to Spark in local mode (``spark_engine``: the records are staged as Parquet);
4. asks the five questions of ``borderflow.shipments.questions`` of both engines, through the
   metrics layer, and checks the answers are identical (values, provenance, notes) and that both
   count every record generated (outside the timings);

and prints, in one table, seconds, rows per second and the peak resident memory of the process
and its children (the Spark JVM) during each step, and the Spark / DuckDB time ratio. Run it
with ``nice``: it uses both cores for minutes. Large sets are deleted after measuring unless
``--keep``.

Usage: nice -n 10 python benchmarks/scale.py [--rows 10000000 100000000] [--seed 1]
           [--work /tmp/scale/bench] [--mirror ../shared/data] [--keep]

The mirror (with the UN Comtrade extracts) defaults to ``../shared/data`` beside the repository.
"""

from __future__ import annotations

import argparse
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table

from borderflow.metrics import Engine, Query, Result
from borderflow.metrics.spark import session_for, spark_engine
from borderflow.shipments.generate import generate_shipments
from borderflow.shipments.ingest import ingest_shipments
from borderflow.shipments.limits import bound_duckdb, duckdb_memory
from borderflow.shipments.questions import QUESTIONS
from borderflow.warehouse import Warehouse

PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_rss(root: int) -> int:
    """Resident bytes of process ``root`` and all its descendants (read from /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            pages = int((entry / "statm").read_text().split()[1])
        except (OSError, IndexError):
            continue
        parents[int(entry.name)], rss[int(entry.name)] = int(stat[1]), pages * PAGE
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return total


@dataclass
class Step:
    rows: int
    step: str
    engine: str
    seconds: float
    peak_bytes: int

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else float("nan")


@contextmanager
def measured(steps: list[Step], rows: int, step: str, engine: str) -> Iterator[None]:
    """Time the block and sample the process tree's memory every 0.2 s while it runs."""
    peak = [tree_rss(os.getpid())]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], tree_rss(os.getpid()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        steps.append(Step(rows, step, engine, seconds, max(peak[0], tree_rss(os.getpid()))))
        print(f"  {rows:>11,} {step:<52} {engine:<7} {seconds:8.1f} s", flush=True)


def same_answer(a: Result, b: Result) -> bool:
    """Identical rows (values exactly: whole numbers summed as doubles), provenance, notes."""
    try:
        pd.testing.assert_frame_equal(a.rows, b.rows, check_exact=True)
    except AssertionError:
        return False
    return a.releases == b.releases and (a.unit, a.notes) == (b.unit, b.notes)


def run_scale(rows: int, args: argparse.Namespace, session: Any, steps: list[Step]) -> bool:
    """Every step at one row count; True when both engines agreed on every question."""
    data, db = args.work / f"shipments-{rows}", args.work / f"bench-{rows}.duckdb"
    for path in (db, Path(f"{db}.wal"), Path(f"{db}.spark"), Path(f"{db}.tmp")):
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    with measured(steps, rows, "generate (partitioned Parquet)", "numpy"):
        generate_shipments(data, rows, args.seed, args.mirror)
    with measured(steps, rows, "ingest", "duckdb"), Warehouse(db) as warehouse:
        ingest_shipments(warehouse, data)
    with measured(steps, rows, "ingest", "spark"):
        spark = spark_engine(db, session)
    duck = Engine.open(db)
    bound_duckdb(duck.backend.con, db)
    counted = [e.run(Query("shipments", "2018..2022")).value for e in (duck, spark)]
    agreed = counted == [rows, rows]  # every record loaded, and staged for Spark
    for name, query in QUESTIONS.items():
        answers = {}
        for label, engine in (("duckdb", duck), ("spark", spark)):
            with measured(steps, rows, name, label):
                answers[label] = engine.run(query)
        agreed &= same_answer(answers["duckdb"], answers["spark"])
    duck.close()
    if not args.keep:
        for path in (data, Path(f"{db}.spark"), Path(f"{db}.tmp")):
            shutil.rmtree(path, ignore_errors=True)
        db.unlink(missing_ok=True)
    return agreed


def table(steps: list[Step], agreed: dict[int, bool]) -> Table:
    out = Table(title=f"shipments at scale (DuckDB memory_limit {duckdb_memory()}, Spark local[2])")
    for column in ("rows", "step", "engine", "seconds", "rows/s", "peak RSS", "spark/duckdb"):
        out.add_column(column, justify="left" if column in ("step", "engine") else "right")
    duck = {(s.rows, s.step): s.seconds for s in steps if s.engine == "duckdb"}
    for s in steps:
        ratio = s.seconds / duck[(s.rows, s.step)] if s.engine == "spark" else None
        out.add_row(
            f"{s.rows:,}", s.step, s.engine, f"{s.seconds:,.1f}", f"{s.rows_per_second:,.0f}",
            f"{s.peak_bytes / 2**30:.2f} GiB", f"{ratio:.1f}x" if ratio else "",
        )  # fmt: skip
    out.caption = "; ".join(
        f"{rows:,} rows: answers {'identical' if ok else 'DIFFERENT'} on both engines"
        for rows, ok in agreed.items()
    )
    return out


def main(argv: list[str] | None = None, print_table: Callable[[Table], None] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000_000, 100_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/scale/bench"))
    parser.add_argument("--mirror", type=Path, default=Path(__file__).parents[2] / "shared/data")
    parser.add_argument("--keep", action="store_true", help="keep the data and warehouses")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    steps: list[Step] = []
    with measured(steps, 0, "start Spark local[2]", "spark"):
        session = session_for(app_name="borderflow-scale-benchmark")
    agreed = {rows: run_scale(rows, args, session, steps) for rows in args.rows}
    session.stop()
    startup = steps.pop(0)
    console = Console(width=140)
    (print_table or console.print)(table(steps, agreed))
    console.print(f"Spark session start: {startup.seconds:.1f} s (not in the rows above).")
    return 0 if all(agreed.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
