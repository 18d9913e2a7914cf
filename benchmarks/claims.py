"""Claims checked per second, end to end, on a warm warehouse.

The texts are the shared article and every statement of the development set
(``evaluation/claims_devset.csv``). Passes, each reporting claims/s:

- ``cold``: a fresh engine (each query shape compiled once, then reused for other periods);
- ``warm``: the same engine with its answer cache cleared — the figure the target is about
  (at least 20 claims/s): every claim is planned, executed in DuckDB and verified again;
- ``cached``: answers cached, as the API serves a text pasted twice;
- baseline ``compile every query``: the engine as it was before query shapes were kept
  (Ibis compiles each question anew), on the same texts in the same run;
- ``extraction only``: finding claims without asking the warehouse — the ceiling.

Usage: python benchmarks/claims.py [--db FILE] [--mirror DIR]
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from datetime import date
from pathlib import Path

from borderflow.claims import check_text
from borderflow.claims.extract import MentionFinder, split_sentences
from borderflow.claims.lexicon import load_lexicon
from borderflow.config import resolve_mirror
from borderflow.metrics import Engine
from borderflow.metrics.reads import IbisReads
from borderflow.sources import get_sources
from borderflow.warehouse import Warehouse
from borderflow.warehouse.ingest import ingest

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO.parent / "shared" / "articles" / "borderline-crisis-2026-01-16.txt"
DEVSET = REPO / "evaluation" / "claims_devset.csv"


def compile_every_query(db: Path) -> Engine:
    """The baseline: an engine reading through Ibis, which compiles every question anew."""
    backend = Engine.open(db).backend
    return Engine(backend, reads=IbisReads(backend))


def texts() -> list[tuple[str, date | None]]:
    out: list[tuple[str, date | None]] = [(ARTICLE.read_text("utf-8"), None)]
    if DEVSET.is_file():
        with DEVSET.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                day = date.fromisoformat(row["published"]) if row.get("published") else None
                out.append((row["text"], day))
    return out


def check_all(engine: Engine, items: list[tuple[str, date | None]]) -> tuple[int, float]:
    start = time.perf_counter()
    claims = sum(len(check_text(t, engine, published=d).claims) for t, d in items)
    return claims, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a loaded warehouse (default: build one)")
    parser.add_argument("--mirror", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.duckdb"
        if args.db is None:
            with Warehouse(db) as wh:
                ingest(wh, get_sources(), resolve_mirror(args.mirror))
        run(db)


def run(db: Path) -> None:
    items = texts()
    engine = Engine.open(db)
    check_text("warm-up: CBP seized 1 pound of fentanyl in FY2024.", engine)
    rows = []
    rows.append(("cold engine", *check_all(engine, items)))
    engine._answers.clear()
    rows.append(("warm (answers recomputed)", *check_all(engine, items)))
    rows.append(("cached answers", *check_all(engine, items)))
    engine.close()
    baseline = compile_every_query(db)
    rows.append(("baseline: compile every query", *check_all(baseline, items)))
    baseline.close()
    finder = MentionFinder(load_lexicon())
    start = time.perf_counter()
    found = sum(len(finder.find(s)) for t, _ in items for _, s in split_sentences(t))
    rows.append(("extraction only", found, time.perf_counter() - start))
    print(f"{len(items)} texts (the shared article and the development set)")
    for name, claims, seconds in rows:
        rate = claims / seconds
        print(f"{name:<32} {claims:>4} claims in {seconds:6.2f} s = {rate:8.1f} claims/s")
    warm, base = rows[1], rows[3]
    print(
        f"warm / baseline speed ratio: {(warm[1] / warm[2]) / (base[1] / base[2]):.1f}x "
        "(target: warm at least 20 claims/s)"
    )


if __name__ == "__main__":
    main()
