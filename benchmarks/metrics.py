"""Latency of typical metric queries on a warm warehouse, beside pandas answering from the CSVs.

Three figures per engine pass, each p50/p95 over the query set:

- ``first run``: a fresh ``Engine`` answering each query once (plan, SQL with bound parameters,
  DuckDB);
- ``uncached``: the same engine with its answer cache cleared (warm DuckDB);
- ``cached``: the answer cache hit, as the API and dashboard serve repeated queries.

A fresh engine reading through Ibis-compiled expressions (the portable path, used on Spark) runs
the same first pass as the baseline.

The peer computes the same numbers with pandas from the CSVs already loaded in memory (no
parsing time counted), and the script checks both give the same answers. Target: p95 < 20 ms.

Usage: python benchmarks/metrics.py [--db FILE] [--mirror DIR] [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from borderflow.config import resolve_mirror
from borderflow.metrics import Engine, Query
from borderflow.metrics.reads import IbisReads
from borderflow.sources import get_sources
from borderflow.warehouse import Warehouse
from borderflow.warehouse.ingest import ingest

FENT = {"drug": ("Fentanyl",)}
QUERIES: dict[str, Query] = {
    "fentanyl FY2024": Query("seized_lb", "FY2024", where=FENT),
    "fentanyl by FY": Query("seized_lb", "FY2019..FY2026", where=FENT, grain="fiscal_year"),
    "SW border by component": Query(
        "seized_lb", "FY2024", where={**FENT, "region": ("Southwest Border",)}, by=("component",)
    ),
    "Oct-Dec 2023 vs 2022": Query("seized_lb", "2023-10..2023-12", where=FENT, compare="year_ago"),
    "SW share": Query(
        "seized_lb", "FY2024", where={**FENT, "region": ("Southwest Border",)}, share_of="region"
    ),
    "VSRR Dec 2022": Query("overdose_deaths_12m", "12ME 2022-12", status="predicted"),
    "VSRR states per 100k": Query(
        "overdose_deaths_12m", "12ME 2023-12", by=("us_state",), rate="per_100k", rank=True
    ),
    "NCHS 2022": Query("overdose_deaths_annual", "2022", by=("cause",)),
    "homicides 2024": Query("homicide_victims", "2024"),
    "trucks 2024": Query("crossings", "2024", where={"conveyance": ("Trucks",)}),
}


def pandas_answers(mirror: Path) -> dict[str, Callable[[], float]]:
    """The same figures from the CSVs with plain pandas (frames loaded once, up front)."""
    cbp = mirror / "cbp_drug_seizures"
    new = pd.read_csv(max(cbp.glob("nationwide-drugs-fy23-fy26-*.csv"), key=_months_of_data))
    new["fy"] = new["FY"].astype(str).str[:4].astype(int)
    vsrr = pd.read_csv(next((mirror / "cdc_vsrr").glob("vsrr_*.csv")))  # the API layout
    victims = pd.read_csv(next((mirror / "sesnsp").glob("timeseries_victimas*.csv")))
    bts = pd.read_csv(
        next((mirror / "bts_border_crossings").glob("*.csv")), dtype={"Port Code": str}
    )

    def fent(fy: int) -> float:
        rows = new[(new["Drug Type"] == "Fentanyl") & (new["fy"] == fy)]
        return float(rows["Sum Qty (lbs)"].sum())

    def vsrr_dec_2022() -> float:
        row = vsrr[(vsrr.state == "US") & (vsrr.year == 2022) & (vsrr.month == "December")]
        return float(row["predicted_value"].iloc[0])

    def homicides() -> float:
        rows = victims[(victims.entidad == "Nacional") & (victims.delito == "Homicidio doloso")]
        return float(rows[rows.isodate.str.startswith("2024")]["total"].sum())

    def trucks() -> float:
        rows = bts[(bts.Measure == "Trucks") & bts.Date.str.endswith("2024")]
        return float(rows.drop_duplicates(["Port Code", "Date", "Measure"])["Value"].sum())

    return {
        "fentanyl FY2024": lambda: fent(2024),
        "VSRR Dec 2022": vsrr_dec_2022,
        "homicides 2024": homicides,
        "trucks 2024": trucks,
    }


def _months_of_data(path: Path) -> int:
    """Rows of the newest window (FY2023 onward) grow with every monthly release."""
    return len(pd.read_csv(path, usecols=["FY", "Month (abbv)"]).drop_duplicates())


def timed(func: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = func()
    return 1000 * (time.perf_counter() - start), value


def percentiles(ms: list[float]) -> str:
    q = statistics.quantiles(ms, n=20, method="inclusive")
    return f"p50 {statistics.median(ms):7.2f} ms   p95 {q[18]:7.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a loaded warehouse (default: build one)")
    parser.add_argument("--mirror", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    mirror = resolve_mirror(args.mirror)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.duckdb"
        if args.db is None:
            with Warehouse(db) as wh:
                ingest(wh, get_sources(), mirror)
        run(db, mirror, args.repeat)


def run(db: Path, mirror: Path, repeat: int) -> None:
    engine = Engine.open(db)
    engine.run(Query("seized_lb", "FY2020"))  # open the connection, load releases
    first = [timed(lambda q=q: engine.run(q))[0] for q in QUERIES.values()]
    uncached: list[float] = []
    for _ in range(max(repeat // 4, 2)):
        engine._answers.clear()
        uncached += [timed(lambda q=q: engine.run(q))[0] for q in QUERIES.values()]
    cached = [timed(lambda q=q: engine.run(q))[0] for _ in range(repeat) for q in QUERIES.values()]
    peers = pandas_answers(mirror)
    peer_ms: list[float] = []
    for name, func in peers.items():
        ours = engine.run(QUERIES[name]).value
        for _ in range(repeat):
            ms, theirs = timed(func)
            peer_ms.append(ms)
        assert abs(ours - float(theirs)) < 0.01, (name, ours, theirs)  # type: ignore[arg-type]
    engine.close()
    print(f"{len(QUERIES)} typical queries; {len(peers)} also answered by pandas (same values)")
    ibis_engine = Engine.open(db)
    ibis_engine = Engine(ibis_engine.backend, reads=IbisReads(ibis_engine.backend))
    ibis_engine.run(Query("seized_lb", "FY2020"))
    ibis_first = [timed(lambda q=q: ibis_engine.run(q))[0] for q in QUERIES.values()]
    ibis_engine.close()
    print(f"borderflow first run : {percentiles(first)}   (target p95 < 20 ms)")
    print(
        f"  Ibis-compiled first: {percentiles(ibis_first)}   "
        f"({statistics.median(ibis_first) / statistics.median(first):.1f}× the p50)"
    )
    print(f"borderflow uncached  : {percentiles(uncached)}")
    print(f"borderflow cached    : {percentiles(cached)}")
    print(f"pandas on loaded CSVs: {percentiles(peer_ms)}")


if __name__ == "__main__":
    main()
