"""Every SQL statement the warehouse runs, generated in one place.

Keeping SQL here (and nowhere else) is what lets a later layer run the same questions on another
engine: callers ask for a statement by intent, never build strings of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from borderflow.sources.base import OBSERVATION_COLUMNS
from borderflow.sources.shipments import COLUMNS as SHIPMENT_COLUMNS


def observations_as_of(as_of: date | None) -> str:
    """Observations as they stood once every release with vintage ≤ ``as_of`` was known.

    Within each source file series, a release is authoritative for the slices it holds — a
    slice is one period of one stored measure, cause and status (``release_slices``): its
    values are current, and those slices never take values from older (overlapping or revised)
    releases, even where the newer release leaves a member out. ``None`` means the newest of
    all.
    """
    return _observations_bounded_by(None if as_of is None else f"DATE '{as_of.isoformat()}'")


def observations_as_of_bound(placeholder: str) -> str:
    """``observations_as_of`` with the as-of date a bound parameter (``placeholder``, e.g.
    ``$p0``), so one statement serves every date."""
    return _observations_bounded_by(placeholder)


def _observations_bounded_by(bound: str | None) -> str:
    bound_r = "" if bound is None else f" AND r.vintage <= {bound}"
    bound_n = "" if bound is None else f" AND n.vintage <= {bound}"
    return f"""
        SELECT o.*, r.source, r.series, r.vintage, r.file_name, r.sha256
        FROM observations o
        JOIN releases r ON r.release_id = o.release_id
        WHERE r.state = 'loaded' AND r.quarantine IS NULL{bound_r}
          AND NOT EXISTS (
            SELECT 1 FROM release_slices s JOIN releases n ON n.release_id = s.release_id
            WHERE n.state = 'loaded' AND n.quarantine IS NULL{bound_n}
              AND n.source = r.source AND n.series = r.series
              AND (n.vintage > r.vintage OR (n.vintage = r.vintage AND n.release_id > r.release_id))
              AND s.period_start = o.period_start AND s.measure = o.measure
              AND s.cause = coalesce(o.cause, '') AND s.status = o.status
          )
    """


#: The slices (period × stored measure × cause, '' for none × status) a release holds values for.
INSERT_RELEASE_SLICES = """
    INSERT INTO release_slices
    SELECT DISTINCT release_id, period_start, measure, coalesce(cause, ''), status
    FROM observations WHERE release_id = $1
"""


def _refresh_current_periods(releases_of: str) -> tuple[str, str]:
    """The two statements that recompute ``current_periods`` for the file series whose releases
    (``r``) satisfy ``releases_of``."""
    return (
        f"""
    DELETE FROM current_periods WHERE release_id IN (
        SELECT release_id FROM releases r WHERE {releases_of})
    """,
        f"""
    INSERT INTO current_periods
    SELECT s.release_id, s.period_start, s.measure, s.cause, s.status
    FROM release_slices s JOIN releases r ON r.release_id = s.release_id
    WHERE r.state = 'loaded' AND r.quarantine IS NULL AND {releases_of}
      AND NOT EXISTS (
        SELECT 1 FROM release_slices t JOIN releases n ON n.release_id = t.release_id
        WHERE n.state = 'loaded' AND n.quarantine IS NULL
          AND n.source = r.source AND n.series = r.series
          AND (n.vintage > r.vintage OR (n.vintage = r.vintage AND n.release_id > r.release_id))
          AND t.period_start = s.period_start AND t.measure = s.measure
          AND t.cause = s.cause AND t.status = s.status
      )
    """,
    )


#: The slices for which each release is current, recomputed for one file series (``$1`` source,
#: ``$2`` series) whenever a release of it is loaded: a small table that makes reading current
#: values a plain join instead of a correlated scan. The same rule as ``observations_as_of(None)``
#: (a release's slice is current unless a newer eligible release of the series holds it), read
#: from ``release_slices`` — one row per slice, not per value — instead of the observations.
REFRESH_CURRENT_PERIODS = _refresh_current_periods("r.source = $1 AND r.series = $2")

#: ``REFRESH_CURRENT_PERIODS`` for several file series at once (a bulk load refreshes once):
#: ``$1`` the list of their sources, ``$2`` the list of their series, pair by pair.
REFRESH_CURRENT_PERIODS_OF_MANY = _refresh_current_periods(
    "(r.source, r.series) IN (SELECT unnest($1), unnest($2))"
)

CURRENT_OBSERVATIONS_VIEW = """
    CREATE OR REPLACE VIEW current_observations AS
    SELECT o.*, r.source, r.series, r.vintage, r.file_name, r.sha256
    FROM observations o
    JOIN current_periods p ON p.release_id = o.release_id AND p.period_start = o.period_start
        AND p.measure = o.measure AND p.cause = coalesce(o.cause, '') AND p.status = o.status
    JOIN releases r ON r.release_id = o.release_id
"""


def refresh_current_periods() -> tuple[str, str]:
    """The two statements that recompute ``current_periods`` for one file series."""
    return REFRESH_CURRENT_PERIODS


def refresh_current_periods_of_many() -> tuple[str, str]:
    """The two statements that recompute ``current_periods`` for a list of file series."""
    return REFRESH_CURRENT_PERIODS_OF_MANY


#: Types of the observation columns that are not text.
_OBSERVATION_TYPES = {
    "period_start": "DATE",
    "period_end": "DATE",
    "value": "DOUBLE",
    "source_row": "INTEGER",
}


def _stored(value: str, column: str) -> str:
    """``value`` (a column of a registered observations frame, or a parameter) cast to the type
    the table stores ``column`` as."""
    return f"CAST({value} AS {_OBSERVATION_TYPES.get(column, 'VARCHAR')})"


def insert_observations(frame_name: str, given: Sequence[str] = ()) -> str:
    """Copy a registered frame of observations into the table, tagged with release ``$1``.

    The columns named in ``given`` hold one value in every row: it is bound as ``$2``, ``$3``,
    … in that order instead of read from the frame row by row.
    """
    place = {name: f"${i}" for i, name in enumerate(given, start=2)}
    select = ", ".join(_stored(place.get(c, c), c) for c in OBSERVATION_COLUMNS)
    columns = ", ".join(OBSERVATION_COLUMNS)
    return f"INSERT INTO observations (release_id, {columns}) SELECT $1, {select} FROM {frame_name}"


UPSERT_SOURCE = """
    INSERT OR REPLACE INTO sources
        (name, title, publisher, homepage, licence, cadence, folder, parser_version)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""

INSERT_RELEASE = """
    INSERT INTO releases (source, series, file_name, url, retrieved_at, sha256, bytes,
        parser_version, vintage, data_through, state, rows_read, rows_loaded, rows_rejected,
        observations, coverage_start, coverage_end, loaded_at, message, quarantine)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?, ?)
    RETURNING release_id
"""

INSERT_ISSUE = """
    INSERT INTO issues (release_id, kind, severity, file, "row", "column", value, message)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""

FIND_RELEASE = """
    SELECT release_id FROM releases
    WHERE source = ? AND series = ? AND sha256 = ? AND parser_version = ? AND state = ?
    ORDER BY release_id DESC LIMIT 1
"""

LIST_RELEASES = """
    SELECT release_id, source, series, file_name, url, retrieved_at, sha256, bytes,
           parser_version, vintage, data_through, state, quarantine, rows_read, rows_loaded,
           rows_rejected, observations, coverage_start, coverage_end, loaded_at, message,
           (SELECT count(*) FROM issues i WHERE i.release_id = r.release_id) AS issues
    FROM releases r
    ORDER BY source, series, vintage, release_id
"""

HAS_TABLE = "SELECT count(*) > 0 FROM duckdb_tables() WHERE table_name = ?"

LOADED_VINTAGES = """
    SELECT DISTINCT vintage FROM releases
    WHERE source = ? AND state = 'loaded' AND quarantine IS NULL ORDER BY vintage
"""

LIST_ISSUES = """
    SELECT release_id, kind, severity, file, "row", "column", value, message
    FROM issues WHERE release_id = ? ORDER BY "row" NULLS FIRST
"""

SOURCE_COVERAGE = """
    WITH cur AS (
        SELECT source, min(period_start) AS first_period, max(period_end) AS last_period,
               count(*) AS observations
        FROM current_observations GROUP BY source
    ),
    latest AS (
        SELECT source, arg_max(file_name, vintage) AS latest_file, max(vintage) AS latest_vintage,
               count(*) AS releases
        FROM releases WHERE state = 'loaded' AND quarantine IS NULL GROUP BY source
    )
    SELECT s.name, s.title, s.publisher, s.cadence, latest.releases, latest.latest_file,
           latest.latest_vintage, cur.first_period, cur.last_period, cur.observations
    FROM sources s
    LEFT JOIN latest ON latest.source = s.name
    LEFT JOIN cur ON cur.source = s.name
    ORDER BY s.name
"""

# -- interdiction runs (migration 006) ----------------------------------------------------------

CREATE_INTERDICTION_RUNS = """
    CREATE TABLE interdiction_runs (
        run_id INTEGER PRIMARY KEY DEFAULT nextval('interdiction_run_id_seq'),
        created_at TIMESTAMP NOT NULL,
        scenario VARCHAR NOT NULL,
        scenario_path VARCHAR NOT NULL,
        seed INTEGER NOT NULL,
        parameters JSON NOT NULL,
        objective DOUBLE,
        optimal BOOLEAN,
        result JSON NOT NULL
    )
"""

INSERT_INTERDICTION_RUN = """
    INSERT INTO interdiction_runs
        (created_at, scenario, scenario_path, seed, parameters, objective, optimal, result)
    VALUES (now(), ?, ?, ?, ?, ?, ?, ?)
    RETURNING run_id
"""

LIST_INTERDICTION_RUNS = """
    SELECT run_id, created_at, scenario, seed, objective, optimal
    FROM interdiction_runs ORDER BY run_id
"""

GET_INTERDICTION_RUN = """
    SELECT run_id, created_at, scenario, scenario_path, seed, parameters, objective, optimal,
           result
    FROM interdiction_runs WHERE run_id = ?
"""


# -- forecasts (borderflow.outlook; migration 005_forecasts) ------------------------------------

INSERT_FORECAST_RUN = """
    INSERT INTO forecast_runs (started_at, finished_at, horizon, params, releases, summary)
    VALUES (?, now(), ?, ?, ?, ?)
    RETURNING run_id
"""


def insert_forecasts(frame_name: str, columns: tuple[str, ...]) -> str:
    """Copy a registered frame of forecast rows (``columns``) into ``forecasts``."""
    names = ", ".join(columns)
    return f"INSERT INTO forecasts ({names}) SELECT {names} FROM {frame_name}"


def insert_forecast_series(frame_name: str) -> str:
    """Copy a registered frame of per-series outcomes into ``forecast_series``."""
    cols = "run_id, series_id, group_name, model, reason, months"
    return f"INSERT INTO forecast_series ({cols}) SELECT {cols} FROM {frame_name}"


def forecast_observations_view(dimensions: tuple[str, ...]) -> str:
    """``forecast_observations``: the newest run's forecast of every series, shaped like
    ``current_observations`` (status ``forecast``, value = the forecast mean)."""
    dims = ", ".join(f"f.{d}" for d in dimensions)
    return f"""
    CREATE OR REPLACE VIEW forecast_observations AS
    SELECT f.release_id, f.stored_measure AS measure, f.unit, 'forecast' AS status,
           f.period_type, f.period_start, f.period_end, f.mean AS value, {dims},
           'forecast run ' || f.run_id || ', model ' || f.model AS footnote, 0 AS source_row,
           r.source, r.series, r.vintage, r.file_name, r.sha256, f.dims_key, f.run_id
    FROM forecasts f
    JOIN releases r ON r.release_id = f.release_id
    WHERE f.run_id = (SELECT max(g.run_id) FROM forecasts g WHERE g.series_id = f.series_id)
    """


LATEST_FORECASTS = """
    SELECT f.* FROM forecasts f
    WHERE f.measure = ?
      AND f.run_id = (SELECT max(g.run_id) FROM forecasts g WHERE g.series_id = f.series_id)
    ORDER BY f.series_id, f.period_start
"""

GET_FORECAST_RUN = "SELECT * FROM forecast_runs WHERE run_id = ?"

LIST_FORECAST_RUNS = """
    SELECT run_id, started_at, finished_at, horizon, params FROM forecast_runs ORDER BY run_id DESC
"""


# -- forecast ledger (borderflow.outlook; migration 008_forecast_ledger) ------------------------

#: Quantile columns of a ledger row: the bounds of every interval level the outlook forecasts.
LEDGER_LEVELS = (20, 40, 60, 80, 90, 95)
LEDGER_COLUMNS: tuple[str, ...] = (
    "run_id", "kind", "origin", "as_of", "releases", "series_id", "group_name", "measure",
    "unit", "model", "horizon", "period", "mean",
    *(f"{side}{lv}" for lv in LEDGER_LEVELS for side in ("lo", "hi")),
    "naive", "seasonal_naive", "scale",
)  # fmt: skip

CREATE_FORECAST_LEDGER = f"""
    CREATE TABLE forecast_ledger (
        run_id INTEGER,
        kind VARCHAR NOT NULL,
        origin DATE NOT NULL,
        as_of DATE,
        releases VARCHAR NOT NULL,
        series_id VARCHAR NOT NULL,
        group_name VARCHAR NOT NULL,
        measure VARCHAR NOT NULL,
        unit VARCHAR NOT NULL,
        model VARCHAR NOT NULL,
        horizon INTEGER NOT NULL,
        period DATE NOT NULL,
        mean DOUBLE NOT NULL,
        {", ".join(f"{side}{lv} DOUBLE NOT NULL" for lv in LEDGER_LEVELS for side in ("lo", "hi"))},
        naive DOUBLE,
        seasonal_naive DOUBLE,
        scale DOUBLE,
        actual DOUBLE,
        scored_release_id INTEGER,
        scored_at TIMESTAMP,
        created_at TIMESTAMP NOT NULL DEFAULT now()
    )
"""


def insert_ledger(frame_name: str) -> str:
    """Copy a registered frame of ledger rows into ``forecast_ledger``."""
    names = ", ".join(LEDGER_COLUMNS)
    return f"INSERT INTO forecast_ledger ({names}) SELECT {names} FROM {frame_name}"


#: Replays of one (kind, as_of, origin, group) are replaced when replayed again.
DELETE_LEDGER_REPLAY = """
    DELETE FROM forecast_ledger
    WHERE kind = ? AND as_of = ? AND origin = ? AND group_name = ?
"""

LEDGER_UNSCORED = """
    SELECT DISTINCT group_name, series_id, period FROM forecast_ledger WHERE actual IS NULL
"""


def score_ledger(frame_name: str) -> str:
    """Set the outcome of unscored ledger rows from a registered frame
    (``series_id, period, actual, scored_release_id``); scored rows are kept as they are."""
    return f"""
    UPDATE forecast_ledger AS l
    SET actual = s.actual, scored_release_id = s.scored_release_id, scored_at = now()
    FROM {frame_name} AS s
    WHERE l.actual IS NULL AND l.series_id = s.series_id AND l.period = s.period
    """


LEDGER_ROWS = "SELECT * FROM forecast_ledger ORDER BY series_id, origin, as_of, period"


# -- quarantine (migration 007) ------------------------------------------------------------------

#: Slices where an incoming release (registered as ``incoming_observations``) holds fewer values
#: than the values it would replace: those current in its file series (``$1`` source, ``$2``
#: series) from releases older than its vintage (``$3``).
FEWER_VALUES_THAN_CURRENT = """
    WITH new AS (
        SELECT period_start, measure, coalesce(cause, '') AS cause, status, count(value) AS n
        FROM incoming_observations GROUP BY ALL
    ),
    cur AS (
        SELECT period_start, measure, coalesce(cause, '') AS cause, status, count(value) AS n
        FROM current_observations
        WHERE source = $1 AND series = $2 AND vintage <= $3
        GROUP BY ALL
    )
    SELECT new.period_start, new.measure, new.cause, new.status, new.n, cur.n AS current_n
    FROM new JOIN cur USING (period_start, measure, cause, status)
    WHERE new.n < cur.n
    ORDER BY new.period_start, new.measure
"""

OLDER_RELEASES_IN_SERIES = """
    SELECT count(*) FROM releases
    WHERE source = ? AND series = ? AND state = 'loaded' AND quarantine IS NULL AND vintage <= ?
"""

#: Rows rejected in the newest release of a series that a release of vintage ``?`` supersedes.
REJECTED_ROWS_OF_SUPERSEDED = """
    SELECT arg_max(rows_rejected, (vintage, release_id)) FROM releases
    WHERE source = ? AND series = ? AND state = 'loaded' AND quarantine IS NULL AND vintage <= ?
"""

LATEST_VINTAGE_OF_FILE = """
    SELECT max(vintage) FROM releases
    WHERE source = ? AND series = ? AND file_name = ? AND state = 'loaded' AND sha256 <> ?
"""

ACCEPT_RELEASE = """
    UPDATE releases SET quarantine = NULL WHERE release_id = ? AND state = 'loaded'
    RETURNING source, series
"""

GET_RELEASE = "SELECT * FROM releases WHERE release_id = ?"

#: Shipment records (``borderflow.shipments``), loaded in bulk by DuckDB: each keeps its release
#: and its row in the partition file; rows failing a check keep the check's number in ``problem``.
_SHIPMENT_TYPED = ",\n".join(f"{name} {kind}" for name, kind in SHIPMENT_COLUMNS.items())
CREATE_SHIPMENTS = f"""
    CREATE TABLE shipments (
        release_id INTEGER NOT NULL,
        source_row BIGINT NOT NULL,
        {_SHIPMENT_TYPED},
        period_start DATE,
        problem SMALLINT,
        problem_value VARCHAR
    )
"""
#: The current records: those of the newest loaded release of each partition (series).
CREATE_CURRENT_SHIPMENTS = """
    CREATE OR REPLACE VIEW current_shipments AS
    SELECT * EXCLUDE (problem, problem_value) FROM shipments
    WHERE release_id IN (
        SELECT max(release_id) FROM releases
        WHERE source = 'shipments' AND state = 'loaded' AND quarantine IS NULL
        GROUP BY series
    )
"""

#: How many threads DuckDB runs statements on (``Warehouse.batch`` loads on one).
CURRENT_THREADS = "SELECT current_setting('threads')"


def set_threads(count: int) -> str:
    """The statement that makes DuckDB run statements on ``count`` threads."""
    return f"SET threads = {int(count)}"
