"""The update itself: fetch, ingest, re-run the forecasts a new release touches, report."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from borderflow.fetch import FetchOutcome, FetchReport, fetch, fetch_page
from borderflow.metrics import Engine, QueryError
from borderflow.outlook import OutlookError, run_outlook, store_outlook_run
from borderflow.outlook.ledger import score_ledger
from borderflow.sources import all_sources
from borderflow.sources.base import Source
from borderflow.update.changes import SeriesChange, series_changes
from borderflow.update.discovery import Discovery, Progress, discover_all, with_discovered
from borderflow.update.words import Message, message
from borderflow.warehouse import Warehouse
from borderflow.warehouse.ingest import FileOutcome, IngestReport, ingest

# -- forecasts ----------------------------------------------------------------------------------


@dataclass
class Rerun:
    """A stored outlook run re-run because a source it read got a new release.

    Attributes:
        previous_run_id: the stored run it repeats.
        run_id: the new run's id (None if it could not be run).
        params: the parameters both were run with.
        sources: the sources with a new release that the stored run had read.
        error: why it could not be run again.
    """

    previous_run_id: int
    run_id: int | None
    params: dict[str, Any]
    sources: list[str]
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def stale_runs(engine: Engine, changed: set[str]) -> list[tuple[dict[str, Any], list[str]]]:
    """The newest stored run of each set of parameters that read a source in ``changed``, with
    the changed sources it read (older runs with the same parameters were superseded already)."""
    out, seen = [], set()
    for row in engine.store.forecast_runs():  # newest first
        record = engine.store.forecast_run(int(row["run_id"]))
        if record is None:
            continue
        key = json.dumps(_run_params(record["params"]), sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        used = sorted({str(r.get("source")) for r in record["releases"]} & changed)
        if used:
            out.append((record, used))
    return out


def _run_params(params: dict[str, Any]) -> dict[str, Any]:
    """What ``run_outlook`` is called with, from a stored run's parameters."""
    return {
        "measures": list(params.get("measures") or []),
        "where": {k: list(v) for k, v in (params.get("where") or {}).items()},
        "horizon": int(params.get("horizon", 6)),
        "backtest": bool(params.get("backtest", True)),
    }


# -- the update ---------------------------------------------------------------------------------


def fetch_outcome_message(outcome: FetchOutcome, mirror: Path) -> Message:
    """What ``outcome.message`` says (in English), as a message for any reader's catalog:
    what happened to the file and what to do. ``{}`` for a file that needs nothing done."""
    source = all_sources().get(outcome.source)
    homepage = source.homepage if source else ""
    folder = str(mirror / source.folder) if source else str(mirror)
    said = _FETCH_MESSAGES.get(outcome.status)
    return said(outcome, homepage, folder) if said else {}


_FETCH_MESSAGES: dict[str, Callable[[FetchOutcome, str, str], Message]] = {
    "failed": lambda o, homepage, folder: message(
        "fetch_failed", file=o.file, url=o.url, attempts=o.attempts
    ),
    "missing": lambda o, homepage, folder: message(
        "fetch_missing", url=o.url, homepage=homepage, folder=folder
    ),
    "changed": lambda o, homepage, folder: message(
        "fetch_changed", file=o.file, sha=(o.sha256 or "")[:12]
    ),
    "no_url": lambda o, homepage, folder: message(
        "fetch_no_url", file=o.file, homepage=homepage, folder=folder
    ),
}


@dataclass
class UpdateReport:
    """Everything one update did, in order."""

    mirror: Path
    base_url: str | None
    discoveries: list[Discovery] = field(default_factory=list)
    fetched: FetchReport = field(default_factory=FetchReport)
    ingested: IngestReport = field(default_factory=IngestReport)
    changes: list[SeriesChange] = field(default_factory=list)
    reruns: list[Rerun] = field(default_factory=list)
    ledger_scored: int = 0

    @property
    def loaded(self) -> list[FileOutcome]:
        return [o for o in self.ingested.outcomes if o.status == "loaded"]

    @property
    def problems(self) -> list[str]:
        """What failed or was refused: any of it makes the command exit 1."""
        return (
            [f"discovery: {d.error}" for d in self.discoveries if d.error]
            + [f"fetch: {o.message}" for o in self.fetched.failed]
            + [f"ingest: {o.message}" for o in self.ingested.refused]
            + [f"ingest: {o.file}: {o.message}" for o in self.ingested.unknown]
            + [f"forecast run {r.previous_run_id}: {r.error}" for r in self.reruns if r.error]
        )

    @property
    def problem_messages(self) -> list[Message]:
        """``problems`` as messages, one for one, for a reader's catalog. Where the library
        has only English detail (ingest, outlook), the message points to ``--json``."""
        return (
            [message("problem_discovery", detail=d.reason or d.error)
             for d in self.discoveries if d.error]
            + [message("problem_fetch", detail=fetch_outcome_message(o, self.mirror))
               for o in self.fetched.failed]
            + [message("problem_refused", file=o.file, source=o.source)
               for o in self.ingested.refused]
            + [message("problem_unknown", file=o.file) for o in self.ingested.unknown]
            + [message("problem_rerun", id=r.previous_run_id) for r in self.reruns if r.error]
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "mirror": str(self.mirror),
            "from": self.base_url,
            "discovered": [d.to_dict() for d in self.discoveries],
            "fetch": self.fetched.to_dict(),
            "ingest": self.ingested.to_dict(),
            "loaded": [
                {"source": o.source, "file": o.file, "release_id": o.release_id}
                for o in self.loaded
            ],
            "nothing_new": not self.loaded,
            "changes": [c.to_dict() for c in self.changes],
            "forecasts": [r.to_dict() for r in self.reruns],
            "ledger_scored": self.ledger_scored,
            "problems": self.problems,
        }


def update(
    db: Path,
    sources: list[Source],
    mirror: Path,
    *,
    base_url: str | None = None,
    attempts: int = 4,
    backoff: float = 0.5,
    timeout: float = 60.0,
    client: httpx.Client | None = None,
    progress: Progress | None = None,
) -> UpdateReport:
    """Discover, fetch, ingest, re-run the forecasts the new releases touch, report the change.

    Args:
        db: the warehouse file (created if absent).
        sources: the sources to update.
        mirror: the local mirror to fetch into and ingest from.
        base_url: an HTTP mirror laid out like the local one (discovery pages at
            ``{base_url}/{folder}/index.html``); None: the official addresses and pages.
        attempts, backoff, timeout: as for ``borderflow.fetch.fetch``.
        client: an httpx client to use (not closed).
        progress: called with a short description of each step.

    Returns:
        The report; ``report.problems`` lists what failed or was refused.
    """
    say = progress or (lambda text: None)
    report = UpdateReport(mirror, base_url)
    http = client or httpx.Client(timeout=timeout, follow_redirects=True)
    try:
        say("reading the publishers' pages")
        report.discoveries = discover_all(
            sources,
            base_url,
            lambda url: fetch_page(url, attempts=attempts, backoff=backoff, client=http),
        )
        report.fetched = fetch(
            with_discovered(sources, report.discoveries),
            mirror,
            base_url=base_url,
            attempts=attempts,
            backoff=backoff,
            client=http,
            on_file=lambda name: say(f"fetched {name}"),
        )
    finally:
        if client is None:
            http.close()
    with Warehouse(db) as warehouse:
        report.ingested = ingest(
            warehouse, sources, mirror, on_file=lambda name: say(f"ingested {name}")
        )
    if not report.loaded:
        return report
    runs = []
    with Engine.open(db) as engine:  # read-only while computing: readers are not blocked
        report.changes = series_changes(engine, report.loaded)
        for record, used in stale_runs(engine, {o.source for o in report.loaded}):
            say(f"re-running forecast run {record['run_id']}")
            runs.append(_rerun(engine, record, used))
    with Warehouse(db) as warehouse:
        for rerun, run in runs:
            if run is not None:
                rerun.run_id = store_outlook_run(warehouse, run)
            report.reruns.append(rerun)
        # Forecasts stored earlier whose months the new releases publish are scored and kept.
        report.ledger_scored = score_ledger(warehouse)
    return report


def _rerun(engine: Engine, record: dict[str, Any], used: list[str]) -> tuple[Rerun, Any]:
    params = _run_params(record["params"])
    rerun = Rerun(int(record["run_id"]), None, params, used)
    try:
        run = run_outlook(
            engine,
            measures=params["measures"] or None,
            where={k: tuple(v) for k, v in params["where"].items()},
            horizon=params["horizon"],
            backtest=params["backtest"],
        )
    except (OutlookError, QueryError) as exc:
        rerun.error = str(exc)
        return rerun, None
    return rerun, run
