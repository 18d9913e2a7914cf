"""Answer metrics queries on Apache Spark, through the same Ibis engine that runs on DuckDB.

The DuckDB warehouse file stays the record. ``spark_engine`` copies its ``observations`` and
``releases`` tables into a Spark session, with column types read from DuckDB (DATE stays DATE,
an empty string stays distinct from NULL, NaN from NULL), builds ``current_observations`` from
them with the portable ``current_from_releases``, and hands the session to the ordinary
``Engine``: every rule of the metrics layer then applies unchanged.

Spark is an optional extra (``pip install 'borderflow[scale]'``: pyspark 4, which needs Java 17
or newer). Nothing here imports pyspark until a function is called.

>>> engine = spark_engine(Path("borderflow.duckdb"))  # a local[2] session
>>> engine.run(Query("seized_lb", "FY2024", where={"drug": ("Fentanyl",)})).value
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import ibis
import pyarrow as pa

from borderflow.errors import BorderflowError
from borderflow.metrics.compile import current_from_releases
from borderflow.metrics.engine import Engine
from borderflow.warehouse import Warehouse

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import StructType

#: Warehouse tables copied into Spark; ``current_observations`` is derived from them there.
COPIED_TABLES = ("observations", "releases")

#: DuckDB column type → the ``pyspark.sql.types`` class that holds the same values.
SPARK_TYPES = {
    "INTEGER": "IntegerType",
    "BIGINT": "LongType",
    "DOUBLE": "DoubleType",
    "VARCHAR": "StringType",
    "DATE": "DateType",
    "TIMESTAMP": "TimestampNTZType",  # DuckDB's TIMESTAMP has no time zone, nor has this one
}

#: Settings of the local session: two cores, no UI, loopback only, UTC, few shuffle partitions.
LOCAL_SETTINGS = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.shuffle.partitions": "4",
}

#: Log4j 2 settings for a quiet driver: errors only, and no "default log level" banner (the
#: gateway logger is the one Spark consults for it).
QUIET_LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
logger.gateway.name = org.apache.spark.api.python.PythonGatewayServer
logger.gateway.level = error
"""

PYSPARK_MISSING = (
    "Spark support needs pyspark 4 (and Java 17 or newer), which is not installed: "
    "pip install 'borderflow[scale]'."
)


def spark_engine(warehouse: Path, session: SparkSession | None = None) -> Engine:
    """An engine answering queries on Spark from a copy of the warehouse at ``warehouse``.

    Args:
        warehouse: the DuckDB warehouse file (read-only; it is not changed).
        session: the Spark session to use; None starts ``local_session()``. Temporary views
            ``observations``, ``releases`` and ``current_observations`` are (re)created in it.

    Returns:
        An ``Engine`` over the session. ``engine.close()`` stops the session.

    Raises:
        BorderflowError: pyspark is not installed, or a warehouse column has a type with no
            Spark counterpart. ``WarehouseError`` if the file cannot be opened.
    """
    _require_pyspark()
    session = session if session is not None else local_session()
    with Warehouse(warehouse, read_only=True) as store:
        for name in COPIED_TABLES:
            copy_table(store.con, session, name).createOrReplaceTempView(name)
    backend = ibis.pyspark.connect(session)
    current = current_from_releases(backend, None)
    backend.create_view("current_observations", current, overwrite=True)
    return Engine(backend)


def local_session(app_name: str = "borderflow") -> SparkSession:
    """A Spark session in local mode on two cores, quiet, bound to the loopback interface.

    If a session is already running in this process, Spark returns it; its settings then stay
    as they were, apart from the SQL ones set here.
    """
    _require_pyspark()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master("local[2]").appName(app_name)
    for key, value in LOCAL_SETTINGS.items():
        builder = builder.config(key, value)
    log_config = _quiet_log_config()
    builder = builder.config(
        "spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={log_config.as_uri()}"
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    session.conf.set("spark.sql.session.timeZone", "UTC")
    session.conf.set("spark.sql.shuffle.partitions", LOCAL_SETTINGS["spark.sql.shuffle.partitions"])
    return session


def copy_table(con: duckdb.DuckDBPyConnection, session: SparkSession, name: str) -> DataFrame:
    """Copy DuckDB table ``name`` into a Spark DataFrame, value for value, through Arrow."""
    relation = con.table(name)
    schema = spark_schema(relation.columns, [str(t) for t in relation.types])
    return session.createDataFrame(pa.table(relation.arrow()), schema=schema)


def spark_schema(columns: list[str], duckdb_types: list[str]) -> StructType:
    """The Spark schema holding columns of the given DuckDB types (all nullable)."""
    from pyspark.sql import types

    fields = []
    for column, duckdb_type in zip(columns, duckdb_types, strict=True):
        if duckdb_type not in SPARK_TYPES:
            raise BorderflowError(
                f"column {column} has DuckDB type {duckdb_type}, which borderflow does not copy "
                f"to Spark (known: {', '.join(SPARK_TYPES)}); add it to SPARK_TYPES."
            )
        spark_type: Any = getattr(types, SPARK_TYPES[duckdb_type])()
        fields.append(types.StructField(column, spark_type, nullable=True))
    return types.StructType(fields)


def _require_pyspark() -> None:
    try:
        import pyspark
    except ImportError:
        raise BorderflowError(PYSPARK_MISSING) from None
    if int(pyspark.__version__.split(".")[0]) < 4:
        raise BorderflowError(
            f"pyspark {pyspark.__version__} is too old: Spark support needs pyspark 4 "
            "(Arrow tables are copied as they are). pip install 'borderflow[scale]'."
        )


def _quiet_log_config() -> Path:
    path = Path(tempfile.gettempdir()) / "borderflow-spark-log4j2.properties"
    if not path.exists() or path.read_text() != QUIET_LOG4J2:
        path.write_text(QUIET_LOG4J2)
    return path
