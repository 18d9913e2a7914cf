"""The typical shipment questions give identical answers on DuckDB and on Spark, at a million rows.

A synthetic set (``borderflow shipments generate``, calibrated to UN Comtrade) is loaded in bulk,
staged for Spark as Parquet, and the five questions of ``borderflow.shipments.questions`` are
asked of both engines through the metrics layer: rows must be equal exactly (whole numbers are
summed as doubles on both), and so must provenance and notes. The large runs (10 and 100 million
rows) are in ``benchmarks/scale.py``. ``BORDERFLOW_SCALE_TEST_ROWS`` changes the row count.
Needs the ``scale`` extra (pyspark 4, Java 17+).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from borderflow.metrics import Engine, Query
from borderflow.metrics.spark import SCALE_SETTINGS, local_session, spark_engine
from borderflow.shipments.generate import generate_shipments
from borderflow.shipments.ingest import ingest_shipments
from borderflow.shipments.questions import QUESTIONS
from borderflow.warehouse import Warehouse
from conftest import MIRROR
from test_shipments import comtrade_imports

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

pytestmark = pytest.mark.slow

ROWS = int(os.environ.get("BORDERFLOW_SCALE_TEST_ROWS", "1000000"))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scale")
    generate_shipments(folder / "set", ROWS, 11, MIRROR)
    path = folder / "bf.duckdb"
    with Warehouse(path) as warehouse:
        ingest_shipments(warehouse, folder / "set")
    return path


@pytest.fixture(scope="module")
def duck(db: Path) -> Iterator[Engine]:
    with Engine.open(db) as engine:
        yield engine


def scale_session() -> SparkSession:
    """A session of its own over the tests' Spark context, set as ``session_for`` sets one: its
    temporary views do not replace those of tests/test_spark.py."""
    session = local_session("borderflow-tests").newSession()
    for key, value in SCALE_SETTINGS.items():
        session.conf.set(key, value)
    return session


@pytest.fixture(scope="module")
def spark(db: Path) -> Engine:
    return spark_engine(db, scale_session())  # not closed: that would stop the shared context


@pytest.mark.parametrize("name", QUESTIONS)
def test_both_engines_answer_alike(name: str, duck: Engine, spark: Engine) -> None:
    expected, actual = duck.run(QUESTIONS[name]), spark.run(QUESTIONS[name])
    pd.testing.assert_frame_equal(actual.rows, expected.rows, check_exact=True)
    assert actual.releases == expected.releases
    assert (actual.unit, actual.notes) == (expected.unit, expected.notes)


def test_spark_totals_are_comtrades(spark: Engine) -> None:
    by_year = spark.run(Query("shipment_value", "2018..2022", grain="calendar_year")).rows
    imports = comtrade_imports()
    for year, value in zip(by_year["bucket"], by_year["value"], strict=True):
        assert value == sum(v for (_, y, _), (v, _) in imports.items() if y == year.year)
    assert spark.run(Query("shipments", "2018..2022")).value == ROWS


def test_records_are_staged_once_per_load(db: Path, spark: Engine) -> None:
    marker = db.with_name(f"{db.name}.spark") / "current_shipments" / "_BORDERFLOW_RELEASES"
    before = marker.stat().st_mtime_ns
    again = spark_engine(db, scale_session())
    assert marker.stat().st_mtime_ns == before
    assert (
        again.run(Query("shipments", "2022")).value == spark.run(Query("shipments", "2022")).value
    )
