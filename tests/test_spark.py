"""The metrics layer on Spark gives the same answers as on DuckDB.

One local Spark session serves the whole file: the session warehouse is copied into it once,
and each typical question is asked of both engines. Answers must agree column for column —
values to 1e-9 relative, provenance (release ids, files, checksums) exactly.
Needs the ``scale`` extra (pyspark 4, Java 17+): ``pip install -e '.[test,scale]'``.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import ibis
import pandas as pd
import pytest

from borderflow.errors import BorderflowError
from borderflow.metrics import Engine, Query, QueryError, Result
from borderflow.metrics.reads import IbisReads
from borderflow.metrics.spark import copy_table, local_session, spark_engine, spark_schema
from borderflow.warehouse.ingest import IngestReport

pytestmark = pytest.mark.slow

FENTANYL: dict[str, tuple[str, ...]] = {"drug": ("Fentanyl",)}
SOUTHWEST: dict[str, tuple[str, ...]] = {**FENTANYL, "region": ("Southwest Border",)}

QUERIES = {
    "fy_fentanyl": Query("seized_lb", "FY2020..FY2024", where=FENTANYL, grain="fiscal_year"),
    "southwest_by_component": Query("seized_lb", "FY2024", where=SOUTHWEST, by=("component",)),
    "oct_dec_year_ago": Query("seized_lb", "2023-10..2023-12", where=FENTANYL, compare="year_ago"),
    "quarters_previous": Query("seized_lb", "2022..2024", where=FENTANYL, grain="quarter", compare="previous"),
    "vsrr_reported": Query("overdose_deaths_12m", "12ME 2022-12"),
    "vsrr_predicted": Query("overdose_deaths_12m", "12ME 2022-12", status="predicted"),
    "vsrr_states_rate_rank": Query("overdose_deaths_12m", "12ME 2022-12", by=("us_state",), rate="per_100k", rank=True),
    "vsrr_fiscal_years": Query("overdose_deaths_12m", "FY2021..FY2023", grain="fiscal_year"),
    "nchs_by_cause": Query("overdose_deaths_annual", "2022", by=("cause",)),
    "homicides_rate": Query("homicide_victims", "2024", by=("mx_state",), rate="per_100k"),
    "share_of_region": Query("seized_lb", "FY2024", where=FENTANYL, by=("region",), share_of="region"),
    "trucks_2024": Query("crossings", "2024", where={"conveyance": ("Trucks",)}),
    "per_1000_trucks": Query("seized_lb", "FY2024", where=SOUTHWEST, grain="month", rate="per_1000_crossings"),
    "as_of_2023": Query("seized_lb", "FY2022", where=FENTANYL, as_of=date(2023, 1, 1)),
    "include_amo_kg": Query("seized_lb", "FY2024", where=FENTANYL, include_amo=True, unit="kg"),
    "fytd": Query("seized_lb", "FY2025 YTD", where=FENTANYL),
    "vsrr_suppressed_months": Query("overdose_deaths_12m", "2022-01..2022-12", where={"us_state": ("ND",)}, grain="month"),
}  # fmt: skip


@pytest.fixture(scope="session")
def spark(loaded: tuple[Path, IngestReport]) -> Iterator[Engine]:
    """The one Spark engine of the file, over a copy of the session warehouse."""
    db, _ = loaded
    engine = spark_engine(db, local_session("borderflow-tests"))
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def duck(loaded: tuple[Path, IngestReport]) -> Iterator[Engine]:
    db, _ = loaded
    engine = Engine.open(db)
    yield engine
    engine.close()


def assert_same_answer(expected: Result, actual: Result) -> None:
    """Same columns and dtypes, values equal to 1e-9 relative, same provenance and notes."""
    assert list(actual.rows.columns) == list(expected.rows.columns)
    pd.testing.assert_frame_equal(actual.rows, expected.rows, check_exact=False, rtol=1e-9, atol=0)
    assert actual.releases == expected.releases
    assert (actual.unit, actual.notes) == (expected.unit, expected.notes)


@pytest.mark.parametrize("name", QUERIES)
def test_spark_answers_like_duckdb(name: str, duck: Engine, spark: Engine) -> None:
    query = QUERIES[name]
    assert_same_answer(duck.run(query), spark.run(query))


@pytest.fixture(scope="module")
def duck_through_ibis(loaded: tuple[Path, IngestReport]) -> Iterator[Engine]:
    """The DuckDB warehouse read through Ibis-compiled expressions (the portable path)."""
    db, _ = loaded
    backend = ibis.duckdb.connect(str(db), read_only=True)
    engine = Engine(backend, reads=IbisReads(backend))
    yield engine
    engine.close()


@pytest.mark.parametrize("name", QUERIES)
def test_duckdb_sql_with_bound_parameters_answers_like_ibis(
    name: str, duck: Engine, duck_through_ibis: Engine
) -> None:
    query = QUERIES[name]
    assert_same_answer(duck_through_ibis.run(query), duck.run(query))


def test_as_of_reads_the_window_published_then(duck: Engine, spark: Engine) -> None:
    # As the record stood on 2023-01-01, FY2022 comes from the fy19-fy22 file; today from
    # fy20-fy23 (the same total, to rounding). Both engines must pick the same release.
    query = QUERIES["as_of_2023"]
    for engine in (duck, spark):
        files = [r["file_name"] for r in engine.run(query).releases]
        assert files == ["nationwide-drugs-fy19-fy22.csv"]
        now = [r["file_name"] for r in engine.run(query.with_(as_of=None)).releases]
        assert now == ["nationwide-drugs-fy20-fy23.csv"]


def test_unanswerable_question_fails_alike(duck: Engine, spark: Engine) -> None:
    # No CBP release was known by mid-2021, so there is nothing to answer from on either engine.
    query = Query("seized_lb", "FY2021", where=FENTANYL, as_of=date(2021, 6, 1))
    messages = []
    for engine in (duck, spark):
        with pytest.raises(QueryError, match="no seized_lb values match: FY2021") as caught:
            engine.run(query)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]


def profile(table: ibis.Table) -> pd.Series:
    """Row count; per column the non-null values, and the empty strings, sum or range."""
    measures: dict[str, ibis.Value] = {"rows": table.count()}
    for name, dtype in table.schema().items():
        column = table[name]
        measures[f"{name}.values"] = column.count()
        if dtype.is_string():
            measures[f"{name}.empty"] = column.count(where=column == "")
        elif dtype.is_numeric():
            measures[f"{name}.sum"] = column.sum()
        else:
            measures[f"{name}.range"] = (
                column.min().cast("string") + " " + column.max().cast("string")
            )
    return table.aggregate(**measures).execute().astype(object).iloc[0]


@pytest.mark.parametrize("table", ["observations", "releases", "current_observations"])
def test_copy_and_current_view_match_the_warehouse(table: str, duck: Engine, spark: Engine) -> None:
    # current_observations is DuckDB's materialised view on one side, and Ibis's portable
    # current_from_releases on the other: the same rows must come out of both.
    expected = profile(duck.backend.table(table))
    actual = profile(spark.backend.table(table))
    pd.testing.assert_series_equal(actual, expected, check_exact=False, rtol=1e-12, atol=0)


def test_copy_keeps_types_empty_strings_nulls_and_nan(spark: Engine) -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (s VARCHAR, d DATE, ts TIMESTAMP, i INTEGER, b BIGINT, x DOUBLE)")
    con.execute(
        "INSERT INTO t VALUES ('', DATE '2024-02-29', TIMESTAMP '2024-03-10 02:30:00.123456', "
        "NULL, 1099511627776, 'NaN'::DOUBLE), (NULL, NULL, NULL, -7, NULL, NULL)"
    )
    frame = copy_table(con, local_session("borderflow-tests"), "t")  # the running session
    assert [f.dataType.typeName() for f in frame.schema.fields] == [
        "string", "date", "timestamp_ntz", "integer", "long", "double"
    ]  # fmt: skip
    first, second = frame.collect()
    assert first.s == "" and second.s is None
    assert first.d == date(2024, 2, 29)
    # 02:30 on 10 March 2024 does not exist in U.S. zones that keep daylight time: it survives
    # only because the column has no time zone to shift it by.
    assert first.ts == datetime(2024, 3, 10, 2, 30, 0, 123456)
    assert first.i is None and second.i == -7 and first.b == 2**40
    assert math.isnan(first.x) and second.x is None


def test_unknown_duckdb_type_is_refused_by_name() -> None:
    with pytest.raises(BorderflowError, match="column flag has DuckDB type BOOLEAN"):
        spark_schema(["flag"], ["BOOLEAN"])


def test_missing_java_says_what_spark_needs(tmp_path: Path) -> None:
    # A JVM is already running in this process, so the failed start is tried in a fresh one.
    script = "from borderflow.metrics.spark import local_session\nlocal_session()"
    env = {**os.environ, "JAVA_HOME": str(tmp_path / "no-java")}
    run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert run.returncode == 1
    last_line = run.stderr.strip().splitlines()[-1]
    assert last_line.startswith("borderflow.errors.BorderflowError: Spark could not start its Java")


def test_missing_pyspark_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now raises ImportError
    with pytest.raises(BorderflowError, match=r"pip install 'borderflow\[scale\]'"):
        spark_engine(Path("unused.duckdb"))
