"""Answer metrics queries on Apache Spark, through the same Ibis engine that runs on DuckDB.

The DuckDB warehouse file stays the record. ``spark_engine`` copies its ``observations`` and
``releases`` tables into a Spark session, with column types read from DuckDB (a DATE stays a
DATE, an empty string stays distinct from NULL, NaN from NULL), builds ``current_observations``
from them with the portable ``current_from_releases``, and hands the session to the ordinary
``Engine``: every rule of the metrics layer then applies unchanged, and ``tests/test_spark.py``
checks that both engines give the same answers.

Spark is an optional extra (``pip install 'borderflow[scale]'``: pyspark 4, which needs Java 17
or newer). Nothing here imports pyspark until a function is called.

>>> engine = spark_engine(Path("borderflow.duckdb"))  # starts a local[2] session
>>> engine.run(Query("seized_lb", "FY2024", where={"drug": ("Fentanyl",)})).value
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import ibis
import pyarrow as pa

from borderflow.errors import BorderflowError
from borderflow.metrics.compile import current_from_releases
from borderflow.metrics.engine import Engine
from borderflow.metrics.records import RECORD_TABLES
from borderflow.warehouse import Warehouse

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import StructType

#: Warehouse tables copied into Spark; ``current_observations`` is derived from them there.
COPIED_TABLES = ("observations", "releases", "release_slices")

#: Rows per Spark partition of a copied table.
ROWS_PER_PARTITION = 500_000

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

#: Settings of sessions made for work at scale (``session_for``): answers come back to Python
#: through Arrow (a hundred thousand rows convert in seconds, not a minute).
SCALE_SETTINGS = {"spark.sql.execution.arrow.pyspark.enabled": "true"}

#: Log4j 2 settings for a quiet driver: errors only, and no "default log level" banner (Spark
#: prints it unless the Python gateway's logger has a level of its own).
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


def spark_engine(
    warehouse: Path, session: SparkSession | None = None, staging: Path | None = None
) -> Engine:
    """An engine answering queries on Spark from a copy of the warehouse at ``warehouse``.

    Args:
        warehouse: the DuckDB warehouse file (opened read-only; it is not changed).
        session: the Spark session to use; None starts ``local_session()``. Its temporary views
            ``observations``, ``releases``, ``release_slices`` and ``current_observations`` are
            replaced, so a session serves one warehouse at a time.
        staging: where record tables (shipments) are written as Parquet for Spark to read;
            None: ``$BORDERFLOW_SPARK_STAGING``, else a ``.spark`` folder beside the warehouse.
            On a cluster it must be a path every executor can read (a shared mount).

    Returns:
        An ``Engine`` over the session. ``engine.close()`` stops the session.

    Raises:
        BorderflowError: pyspark is missing or too old, or a warehouse column has a type with
            no Spark counterpart (``WarehouseError`` if the file cannot be opened).
    """
    _require_pyspark()
    session = session if session is not None else local_session()
    with Warehouse(warehouse, read_only=True) as store:
        for name in COPIED_TABLES:
            copy_table(store.con, session, name).createOrReplaceTempView(name)
        for name in RECORD_TABLES.values():
            if _has_relation(store.con, name):
                folder = stage_records(store.con, name, _staging(warehouse, staging))
                session.read.parquet((folder / "data").as_posix()).createOrReplaceTempView(name)
    backend = ibis.pyspark.connect(session)
    current = current_from_releases(backend, None)
    backend.create_view("current_observations", current, overwrite=True)
    return Engine(backend)


def session_for(master: str | None = None, app_name: str = "borderflow") -> SparkSession:
    """A Spark session on ``master`` (``spark://host:7077``, ``yarn``, ``k8s://…``, ``local[N]``);
    None: ``$BORDERFLOW_SPARK_MASTER``, else ``local[2]``. Local sessions get the driver memory
    of ``$BORDERFLOW_SPARK_DRIVER_MEMORY`` (default 6g); any session gets ``SCALE_SETTINGS`` and
    extra settings from ``$BORDERFLOW_SPARK_CONF`` (``key=value`` pairs separated by spaces)."""
    master = master or os.environ.get("BORDERFLOW_SPARK_MASTER") or "local[2]"
    pairs = [p.partition("=") for p in os.environ.get("BORDERFLOW_SPARK_CONF", "").split()]
    extra = {**SCALE_SETTINGS, **{key: value for key, _, value in pairs}}
    if master.startswith("local"):
        memory = os.environ.get("BORDERFLOW_SPARK_DRIVER_MEMORY", "6g")
        return local_session(app_name, master, {"spark.driver.memory": memory, **extra})
    _require_pyspark()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in {"spark.sql.session.timeZone": "UTC", **extra}.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def stage_records(con: duckdb.DuckDBPyConnection, name: str, staging: Path) -> Path:
    """Write record table ``name`` as Parquet under ``staging`` for Spark to read, unless the
    copy there is of the same releases; return its folder. Too large to pass through Arrow,
    the records are written by DuckDB, in parallel, within its memory limit."""
    folder = staging / name
    releases = con.execute(f"SELECT list(DISTINCT release_id ORDER BY release_id) FROM {name}")
    row = releases.fetchone()
    stamp = f"{warehouse_stamp(con)} {row[0] if row else []}"
    marker = folder / "_BORDERFLOW_RELEASES"
    if marker.exists() and marker.read_text() == stamp:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    target = (folder / "data").as_posix().replace("'", "''")
    con.execute(f"COPY (SELECT * FROM {name}) TO '{target}' (FORMAT parquet, PER_THREAD_OUTPUT)")
    marker.write_text(stamp)
    return folder


def warehouse_stamp(con: duckdb.DuckDBPyConnection) -> str:
    """The newest release id and load time: changes whenever anything is loaded."""
    row = con.execute("SELECT max(release_id), max(loaded_at) FROM releases").fetchone()
    return str(row)


def _has_relation(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    found = con.execute(
        "SELECT count(*) FROM duckdb_views() WHERE view_name = ? "
        "UNION ALL SELECT count(*) FROM duckdb_tables() WHERE table_name = ?",
        [name, name],
    ).fetchall()
    return any(int(n) for (n,) in found)


def _staging(warehouse: Path, staging: Path | None) -> Path:
    env = os.environ.get("BORDERFLOW_SPARK_STAGING")
    return staging or (Path(env) if env else warehouse.with_name(f"{warehouse.name}.spark"))


def local_session(
    app_name: str = "borderflow",
    master: str = "local[2]",
    settings: dict[str, str] | None = None,
) -> SparkSession:
    """A quiet Spark session in local mode on two cores, bound to the loopback interface.

    If a session is already running in this process, Spark returns that one: its JVM settings
    stay as they were, and only the SQL settings (time zone, shuffle partitions) are applied.

    Raises:
        BorderflowError: pyspark is missing or too old, or Java could not be started.
    """
    _require_pyspark()
    from pyspark.errors import PySparkRuntimeError
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in {**LOCAL_SETTINGS, **(settings or {})}.items():
        builder = builder.config(key, value)
    log_config = f"-Dlog4j2.configurationFile={_quiet_log_config().as_uri()}"
    builder = builder.config("spark.driver.extraJavaOptions", log_config)
    try:
        session = builder.getOrCreate()
    except PySparkRuntimeError as exc:
        if exc.getCondition() != "JAVA_GATEWAY_EXITED":
            raise
        raise BorderflowError(
            "Spark could not start its Java process: Spark 4 needs Java 17 or newer, found "
            "through JAVA_HOME or on the PATH (`java -version` shows which one is used)."
        ) from exc
    session.sparkContext.setLogLevel("ERROR")
    for key in ("spark.sql.session.timeZone", "spark.sql.shuffle.partitions"):
        session.conf.set(key, LOCAL_SETTINGS[key])
    return session


def copy_table(con: duckdb.DuckDBPyConnection, session: SparkSession, name: str) -> DataFrame:
    """Copy DuckDB table ``name`` into Spark, value for value, through Arrow.

    A DataFrame made from local data carries its rows inside the tasks of every query that reads
    it (one task per Arrow batch of 10,000 rows). The copy is therefore checkpointed once into
    Spark's block manager, which cuts that lineage, and read back in one partition per
    ``ROWS_PER_PARTITION`` rows. A local checkpoint lives on the executors: on a cluster, losing
    one loses the copy, and the engine must be made again.
    """
    relation = con.table(name)
    schema = spark_schema(relation.columns, [str(t) for t in relation.types])
    table = pa.table(relation.arrow())
    frame = session.createDataFrame(table, schema=schema).localCheckpoint(eager=True)
    return frame.coalesce(max(1, math.ceil(table.num_rows / ROWS_PER_PARTITION)))


def spark_schema(columns: list[str], duckdb_types: list[str]) -> StructType:
    """The Spark schema for columns of the given DuckDB types (every field nullable)."""
    from pyspark.sql import types

    fields = []
    for column, duckdb_type in zip(columns, duckdb_types, strict=True):
        if duckdb_type not in SPARK_TYPES:
            raise BorderflowError(
                f"column {column} has DuckDB type {duckdb_type}, which borderflow does not copy "
                f"to Spark (it copies {', '.join(SPARK_TYPES)}); add it to SPARK_TYPES."
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
            f"pyspark {pyspark.__version__} is too old: Spark support needs pyspark 4, which "
            "takes Arrow tables as they are. pip install 'borderflow[scale]'."
        )


def _quiet_log_config() -> Path:
    """The quiet Log4j 2 settings as a file the driver JVM can read at start-up."""
    path = Path(tempfile.gettempdir()) / "borderflow-spark-log4j2.properties"
    if not path.exists() or path.read_text() != QUIET_LOG4J2:
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        partial.write_text(QUIET_LOG4J2)
        partial.replace(path)  # atomic: another process never reads half a file
    return path
