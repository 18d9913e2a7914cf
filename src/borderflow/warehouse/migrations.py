"""The warehouse schema, built by named migrations applied in order, each in its own transaction.

A migration is recorded in ``schema_migrations`` in the same transaction that applies it, so a
crash leaves the schema either before or after a step, never half-way. Add new steps at the end;
never edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from borderflow.sources.base import DIMENSIONS
from borderflow.warehouse import sql
from borderflow.warehouse.transaction import transaction

Migration = Callable[[duckdb.DuckDBPyConnection], None]


def m001_releases(con: duckdb.DuckDBPyConnection) -> None:
    """Sources, releases (one per file loaded or refused) and the issues found in them."""
    con.execute(
        """
        CREATE TABLE sources (
            name VARCHAR PRIMARY KEY,
            title VARCHAR NOT NULL,
            publisher VARCHAR NOT NULL,
            homepage VARCHAR NOT NULL,
            licence VARCHAR NOT NULL,
            cadence VARCHAR NOT NULL,
            folder VARCHAR NOT NULL,
            parser_version VARCHAR NOT NULL
        )
        """
    )
    con.execute("CREATE SEQUENCE release_id_seq START 1")
    con.execute(
        """
        CREATE TABLE releases (
            release_id INTEGER PRIMARY KEY DEFAULT nextval('release_id_seq'),
            source VARCHAR NOT NULL,
            series VARCHAR NOT NULL,
            file_name VARCHAR NOT NULL,
            url VARCHAR,
            retrieved_at TIMESTAMP,
            sha256 VARCHAR NOT NULL,
            bytes BIGINT NOT NULL,
            parser_version VARCHAR NOT NULL,
            vintage DATE NOT NULL,
            state VARCHAR NOT NULL CHECK (state IN ('loaded', 'refused')),
            rows_read INTEGER,
            rows_loaded INTEGER,
            rows_rejected INTEGER,
            observations INTEGER,
            coverage_start DATE,
            coverage_end DATE,
            loaded_at TIMESTAMP NOT NULL,
            message VARCHAR
        )
        """
    )
    con.execute(
        """
        CREATE TABLE issues (
            release_id INTEGER NOT NULL,
            kind VARCHAR NOT NULL,
            severity VARCHAR NOT NULL,
            file VARCHAR NOT NULL,
            "row" INTEGER,
            "column" VARCHAR,
            value VARCHAR,
            message VARCHAR NOT NULL
        )
        """
    )


def m002_observations(con: duckdb.DuckDBPyConnection) -> None:
    """Every value of every release, in one long format with explicit dimensions."""
    dims = ",\n".join(f"{name} VARCHAR" for name in DIMENSIONS)
    con.execute(
        f"""
        CREATE TABLE observations (
            release_id INTEGER NOT NULL,
            measure VARCHAR NOT NULL,
            unit VARCHAR NOT NULL,
            status VARCHAR NOT NULL,
            period_type VARCHAR NOT NULL,
            period_start DATE NOT NULL,
            period_end DATE NOT NULL,
            value DOUBLE,
            {dims},
            footnote VARCHAR,
            source_row INTEGER NOT NULL
        )
        """
    )


#: Current observations as migrations 003 and 004 defined them (a newer release is current for
#: the whole range of periods it covers). Kept as shipped: migrations are never edited.
_CURRENT_BY_COVERAGE_RANGE = """
    SELECT o.*, r.source, r.series, r.vintage, r.file_name, r.sha256
    FROM observations o
    JOIN releases r ON r.release_id = o.release_id
    WHERE r.state = 'loaded'
      AND NOT EXISTS (
        SELECT 1 FROM releases n
        WHERE n.state = 'loaded'
          AND n.source = r.source AND n.series = r.series
          AND (n.vintage > r.vintage OR (n.vintage = r.vintage AND n.release_id > r.release_id))
          AND o.period_start BETWEEN n.coverage_start AND n.coverage_end
      )
"""


def m003_current_view(con: duckdb.DuckDBPyConnection) -> None:
    """``current_observations``: for each period, the values of the newest release covering it."""
    con.execute(f"CREATE VIEW current_observations AS {_CURRENT_BY_COVERAGE_RANGE}")


def m004_current_periods(con: duckdb.DuckDBPyConnection) -> None:
    """Materialise which periods each release is current for; the view becomes a join."""
    con.execute(
        "CREATE TABLE current_periods (release_id INTEGER NOT NULL, period_start DATE NOT NULL)"
    )
    con.execute(
        "INSERT INTO current_periods SELECT DISTINCT release_id, period_start "
        f"FROM ({_CURRENT_BY_COVERAGE_RANGE})"
    )
    con.execute(
        "CREATE OR REPLACE VIEW current_observations AS "
        "SELECT o.*, r.source, r.series, r.vintage, r.file_name, r.sha256 FROM observations o "
        "JOIN current_periods p ON p.release_id = o.release_id AND p.period_start = o.period_start "
        "JOIN releases r ON r.release_id = o.release_id"
    )


def m005_forecasts(con: duckdb.DuckDBPyConnection) -> None:
    """Forecast runs (borderflow.outlook): parameters, releases used, scores; their forecasts and
    per-series outcomes; and ``forecast_observations``, the newest forecasts shaped like
    observations so the metrics layer can read them as status ``forecast``."""
    con.execute("CREATE SEQUENCE forecast_run_id_seq START 1")
    con.execute(
        """
        CREATE TABLE forecast_runs (
            run_id INTEGER PRIMARY KEY DEFAULT nextval('forecast_run_id_seq'),
            started_at TIMESTAMP NOT NULL,
            finished_at TIMESTAMP NOT NULL,
            horizon INTEGER NOT NULL,
            params VARCHAR NOT NULL,
            releases VARCHAR NOT NULL,
            summary VARCHAR NOT NULL
        )
        """
    )
    dims = ",\n".join(f"{name} VARCHAR" for name in DIMENSIONS)
    con.execute(
        f"""
        CREATE TABLE forecasts (
            run_id INTEGER NOT NULL,
            series_id VARCHAR NOT NULL,
            group_name VARCHAR NOT NULL,
            measure VARCHAR NOT NULL,
            stored_measure VARCHAR NOT NULL,
            unit VARCHAR NOT NULL,
            model VARCHAR NOT NULL,
            period_type VARCHAR NOT NULL,
            period_start DATE NOT NULL,
            period_end DATE NOT NULL,
            mean DOUBLE NOT NULL,
            lo80 DOUBLE NOT NULL,
            hi80 DOUBLE NOT NULL,
            lo95 DOUBLE NOT NULL,
            hi95 DOUBLE NOT NULL,
            release_id INTEGER NOT NULL,
            dims_key VARCHAR NOT NULL,
            {dims}
        )
        """
    )
    con.execute(
        """
        CREATE TABLE forecast_series (
            run_id INTEGER NOT NULL,
            series_id VARCHAR NOT NULL,
            group_name VARCHAR NOT NULL,
            model VARCHAR,
            reason VARCHAR NOT NULL,
            months INTEGER NOT NULL
        )
        """
    )
    con.execute(sql.forecast_observations_view(DIMENSIONS))


def m006_interdiction_runs(con: duckdb.DuckDBPyConnection) -> None:
    """Runs of the interdiction planner: scenario, parameters, seed and the full result."""
    con.execute("CREATE SEQUENCE interdiction_run_id_seq START 1")
    con.execute(sql.CREATE_INTERDICTION_RUNS)


def m007_slices_publication_quarantine(con: duckdb.DuckDBPyConnection) -> None:
    """Releases are current per slice (period × measure × cause × status), so a release holding one
    indicator does not hide another indicator published only in an older release; releases
    record the month their data run through (``data_through``) beside their vintage, which is
    the (estimated) publication date; and a release worse than the one it supersedes is stored
    but held out of the current record until accepted (``quarantine`` says why; NULL: eligible
    to be current)."""
    con.execute("ALTER TABLE releases ADD COLUMN data_through DATE")
    con.execute("ALTER TABLE releases ADD COLUMN quarantine VARCHAR")
    con.execute("UPDATE releases SET data_through = date_trunc('month', coverage_end)")
    con.execute(
        "CREATE TABLE release_slices (release_id INTEGER NOT NULL, period_start DATE NOT NULL, "
        "measure VARCHAR NOT NULL, cause VARCHAR NOT NULL, status VARCHAR NOT NULL)"
    )
    con.execute(
        "INSERT INTO release_slices SELECT DISTINCT release_id, period_start, measure, "
        "coalesce(cause, ''), status FROM observations"
    )
    con.execute("DROP VIEW current_observations")
    con.execute("DROP TABLE current_periods")
    con.execute(
        "CREATE TABLE current_periods (release_id INTEGER NOT NULL, period_start DATE NOT NULL, "
        "measure VARCHAR NOT NULL, cause VARCHAR NOT NULL, status VARCHAR NOT NULL)"
    )
    con.execute(
        "INSERT INTO current_periods SELECT DISTINCT release_id, period_start, measure, "
        f"coalesce(cause, ''), status FROM ({sql.observations_as_of(None)})"
    )
    con.execute(sql.CURRENT_OBSERVATIONS_VIEW)


def m008_forecast_ledger(con: duckdb.DuckDBPyConnection) -> None:
    """The forecast ledger (borderflow.outlook): every stored forecast, and every replay of a
    past cut-off, one row per series × month with its quantiles, the baselines' point forecasts
    and the releases it read; the outcome and the release that gave it once one is known."""
    con.execute(sql.CREATE_FORECAST_LEDGER)


def m009_shipments(con: duckdb.DuckDBPyConnection) -> None:
    """Shipment records (``borderflow.shipments``) and the view of the current ones."""
    con.execute(sql.CREATE_SHIPMENTS)
    con.execute(sql.CREATE_CURRENT_SHIPMENTS)


MIGRATIONS: tuple[tuple[str, Migration], ...] = (
    ("001_releases", m001_releases),
    ("002_observations", m002_observations),
    ("003_current_view", m003_current_view),
    ("004_current_periods", m004_current_periods),
    ("005_forecasts", m005_forecasts),
    ("006_interdiction_runs", m006_interdiction_runs),
    ("007_slices_publication_quarantine", m007_slices_publication_quarantine),
    ("008_forecast_ledger", m008_forecast_ledger),
    ("009_shipments", m009_shipments),
)


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations not yet recorded; return the names applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)"
    )
    done = {row[0] for row in con.execute("SELECT name FROM schema_migrations").fetchall()}
    applied = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        with transaction(con):
            step(con)
            con.execute("INSERT INTO schema_migrations VALUES (?, now())", [name])
        applied.append(name)
    return applied
