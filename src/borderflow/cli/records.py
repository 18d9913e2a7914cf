"""Commands over the record: load and fetch releases, list sources, releases and issues, and
ask the metrics layer for numbers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.table import Table

from borderflow.cli.common import (
    DbOption,
    JsonOption,
    MirrorOption,
    SourcesArg,
    _progress,
    app,
    err,
    friendly_errors,
    messages,
    out,
    print_json,
)
from borderflow.cli.wording import (
    column,
    issue_location,
    issue_text,
    metric_note,
    query_sentence,
    rate_words,
    status_word,
    unit_words,
)
from borderflow.config import resolve_db_path, resolve_mirror
from borderflow.errors import BorderflowError
from borderflow.sources import get_sources
from borderflow.vocabulary import parse_where
from borderflow.warehouse import Warehouse
from borderflow.warehouse.ingest import IngestReport, ingest, plan


@app.command("ingest")
@friendly_errors
def ingest_command(
    sources: SourcesArg = None,
    mirror: MirrorOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="List every issue.")] = False,
    accept_partial: Annotated[
        bool,
        typer.Option(
            "--accept-partial",
            help="Make new releases current even where they hold fewer values than the record "
            "they replace, or impossible values (they are quarantined otherwise).",
        ),
    ] = False,
) -> None:
    """Load every dataset found in the mirror into the warehouse, one atomic release per file.

    Files already loaded (same bytes, same parser) are skipped, so running it again loads nothing
    new. A file that cannot be read is refused and the warehouse keeps its last good state. A
    release worse than the one it would replace (fewer values, impossible values, changed since
    download) is stored but quarantined: the current record stays as it was until
    `borderflow accept RELEASE`. Exit code 1 when a file is refused, quarantined or unknown.

    Example: `borderflow ingest --mirror ../shared/data`
    """
    chosen = get_sources(sources)
    folder = resolve_mirror(mirror)
    with Warehouse(resolve_db_path(db)) as warehouse:
        files = plan(chosen, folder) if folder.is_dir() else []
        with _progress(len(files), "Ingesting") as advance:
            report = ingest(
                warehouse, chosen, folder, on_file=advance, accept_partial=accept_partial
            )
    if as_json:
        print_json(report.to_dict())
    else:
        _print_ingest(report, verbose)
    if report.refused or report.unknown or report.count("quarantined"):
        raise typer.Exit(1)


def _print_ingest(report: IngestReport, verbose: bool) -> None:
    c = messages()
    table = Table(title=c.t("cli.title.ingest"), title_justify="left")
    for name in ("source", "file", "status", "rows_read", "loaded", "rejected", "values", "issues"):
        table.add_column(column(c, name), justify="right" if name in _NUMERIC else "left")
    for o in report.outcomes:
        style = {
            "loaded": "green",
            "refused": "red",
            "quarantined": "red",
            "skipped": "yellow",
        }.get(o.status, "dim")
        table.add_row(
            o.source,
            o.file,
            f"[{style}]{status_word(c, o.status)}[/{style}]",
            f"{o.rows_read:,}",
            f"{o.rows_loaded:,}",
            f"{o.rows_rejected:,}",
            f"{o.observations:,}",
            f"{len(o.issues):,}",
        )
    out.print(table)
    counts = ("loaded", "unchanged", "refused", "quarantined", "skipped")
    out.print(c.t("cli.ingest.summary", **{s: report.count(s) for s in counts}))
    for o in report.outcomes:
        status = status_word(c, o.status)
        if o.status in ("refused", "quarantined"):
            err.print(f"[red]{status}[/red] {o.message}", highlight=False)
        elif o.status == "skipped":
            colour = "yellow" if o.series else "red"
            err.print(f"[{colour}]{status}[/{colour}] {o.file}: {o.message}", highlight=False)
        shown = o.issues if verbose else [i for i in o.issues if i.severity != "warning"][:5]
        for issue in shown:
            label = _issue_label(o.status, issue.severity)
            said = issue_text(c, issue.kind, issue.message, issue.value)
            err.print(f"  {label}: {issue_location(c, issue)}: {said}", highlight=False)
        hidden = len(o.issues) - len(shown)
        if hidden > 0:
            more = c.t("cli.ingest.more_issues", n=hidden, file=o.file, id=o.release_id)
            err.print(f"  {more}", highlight=False)


def _issue_label(status: str, severity: str) -> str:
    """How an issue is introduced: in a release that loaded, a row skipped or a value kept is a
    known quirk of the file (a bound, a duplicate row), so a note; in a file refused or held
    back, its severity."""
    if status in ("loaded", "unchanged") and severity != "fatal":
        return messages().t("cli.note")
    return status_word(messages(), severity)


def _justify(numeric: bool) -> Literal["left", "right"]:
    """Numbers right-aligned, words left."""
    return "right" if numeric else "left"


_NUMERIC = {
    "rows_read",
    "loaded",
    "rejected",
    "values",
    "issues",
    "observations",
    "releases",
    "bytes",
}


@app.command("accept")
@friendly_errors
def accept_command(
    release_id: Annotated[int, typer.Argument(help="The quarantined release to make current.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Make a quarantined release current, once its issues are understood.

    `ingest` holds back a release that is worse than the one it would replace (fewer values,
    impossible values, changed since download); its values stay queryable by release id until
    accepted.

    Example: `borderflow accept 25`
    """
    with Warehouse(resolve_db_path(db)) as warehouse:
        release = warehouse.accept(release_id)
    if as_json:
        print_json(release)
    else:
        said = messages().t("cli.update.accepted", id=release_id, file=release["file_name"],
                            source=release["source"])  # fmt: skip
        out.print(said, highlight=False, markup=False)


@app.command("fetch")
@friendly_errors
def fetch_command(
    sources: SourcesArg = None,
    dest: Annotated[
        Path | None,
        typer.Option("--dest", help="Mirror folder to download into. Default: as for --mirror."),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="An HTTP mirror laid out like the local one (e.g. an internal copy). "
            "Default: each file's official address.",
        ),
    ] = None,
    attempts: Annotated[int, typer.Option(help="Tries per file on network errors and 5xx.")] = 4,
    as_json: JsonOption = False,
) -> None:
    """Download the official files into the local mirror, with caching, retries and checksums.

    Files unchanged since the last fetch (ETag / Last-Modified) are not downloaded again.
    Files whose official address was never recorded are listed; place them in the mirror by hand.

    Example: `borderflow fetch cbp_nationwide && borderflow ingest`
    """
    from borderflow.fetch import fetch

    chosen = get_sources(sources)
    folder = resolve_mirror(dest)
    total = sum(len(series.known) for s in chosen for series in s.series)
    with _progress(total, "Fetching") as advance:
        report = fetch(chosen, folder, base_url=base_url, attempts=attempts, on_file=advance)
    if as_json:
        print_json(report.to_dict())
    else:
        c = messages()
        table = Table(title=c.t("cli.title.fetch", folder=folder), title_justify="left")
        for name in ("source", "file", "status", "bytes"):
            table.add_column(column(c, name), justify=_justify(name == "bytes"))
        for o in report.outcomes:
            status = c.t(f"cli.update.fetch_status.{o.status}")
            table.add_row(o.source, o.file, status, f"{o.bytes:,}")
        out.print(table)
        for o in report.outcomes:
            if o.status in ("failed", "changed", "missing", "no_url") and o.message:
                err.print(_fetch_problem(c, o, folder), highlight=False, markup=False)
    if report.failed:
        raise typer.Exit(1)


@app.command("update")
@friendly_errors
def update_command(
    sources: SourcesArg = None,
    mirror: MirrorOption = None,
    db: DbOption = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="An HTTP mirror laid out like the local one (e.g. an internal copy); pages "
            "listing new files are read at URL/FOLDER/index.html there (a copy of the "
            "publisher's page). Default: the official addresses and pages.",
        ),
    ] = None,
    attempts: Annotated[int, typer.Option(help="Tries per file on network errors and 5xx.")] = 4,
    as_json: JsonOption = False,
) -> None:
    """Fetch what is new, load it, re-run the stored forecasts it changes, say what changed.

    CBP renames its file every month: its Nationwide Drug Seizures page is read for the newest
    file. Each source with a new release gets one line comparing its headline figure with the
    previous release, and the months both releases cover whose values were revised. Running it
    again loads nothing and says so.

    Example: `borderflow update cbp_nationwide cbp_amo`
    """
    from borderflow.cli.common import _progress_bar
    from borderflow.update import update

    chosen = get_sources(sources)
    folder = resolve_mirror(mirror)
    bar = _progress_bar("Updating [bold]{task.fields[item]}")
    with bar:
        task = bar.add_task("update", total=None, item="")
        report = update(
            resolve_db_path(db),
            chosen,
            folder,
            base_url=base_url,
            attempts=attempts,
            progress=lambda text: bar.update(task, item=text),
        )
    if as_json:
        print_json(report.to_dict())
    else:
        _print_update(report)
    _print_problems(report)
    if report.problems:
        raise typer.Exit(1)


def _print_problems(report: Any) -> None:
    """What failed, one line each: the library's English, the catalog's words otherwise."""
    from borderflow.update import render

    c = messages()
    told = report.problems
    if c.lang != "en":
        told = [render(c, problem) for problem in report.problem_messages]
    for problem in told:
        err.print(f"[red]{c.t('cli.update.failed')}[/red] {problem}", highlight=False)


def _print_update(report: Any) -> None:
    from borderflow.update import render

    c = messages()

    def say(text: str) -> None:
        out.print(text, highlight=False, markup=False, soft_wrap=True)

    for d in report.discoveries:
        if d.newest:
            found = ", ".join(f"{f.name} ({f.source})" for f in d.newest)
            say(c.t("cli.update.newest_files", page=d.page, files=found))
    _print_fetched(c, report.fetched, report.mirror, say)
    unchanged = report.ingested.count("unchanged")
    if not report.loaded:
        say(c.t("cli.update.nothing_new", n=unchanged))
        return
    say(c.t("cli.update.loaded", n=len(report.loaded), unchanged=unchanged))
    for o in report.loaded:
        say("  " + c.t("cli.update.loaded_file", file=o.file, source=o.source, id=o.release_id))
    say(c.t("cli.update.what_changed"))
    for change in report.changes:
        # English: the library's own sentence, which --json carries too
        told = change.sentence if c.lang == "en" else render(c, change.message)
        say(f"  {change.source}: {told}")
    if not report.reruns:
        say(c.t("cli.update.no_reruns"))
    for r in report.reruns:
        say(_rerun_line(c, r))


_FETCH_COUNTED = ("downloaded", "changed", "not_modified", "missing", "no_url", "failed")


def _print_fetched(c: Any, fetched: Any, mirror: Path, say: Any) -> None:
    """An update's fetch in one line, and what went wrong with a file, in ``c``'s words."""
    counts = [
        c.t("cli.update.fetched_count", n=fetched.count(s),
            status=c.t(f"cli.update.fetch_status.{s}"))
        for s in _FETCH_COUNTED
        if fetched.count(s)
    ]  # fmt: skip
    say(c.t("cli.update.fetched", n=len(fetched.outcomes), mirror=mirror, counts=", ".join(counts)))
    for o in fetched.outcomes:
        if o.status in ("changed", "missing") and o.message:
            err.print(_fetch_problem(c, o, mirror), highlight=False, markup=False)
    if fetched.count("no_url"):
        err.print(c.t("cli.update.no_address", n=fetched.count("no_url")), highlight=False)


def _fetch_problem(c: Any, outcome: Any, mirror: Path) -> str:
    """``status: what happened``: the fetch's English message, the catalog's words otherwise."""
    from borderflow.update import fetch_outcome_message, render

    said = outcome.message
    if c.lang != "en":
        said = render(c, fetch_outcome_message(outcome, mirror))
    return f"{c.t(f'cli.update.fetch_status.{outcome.status}')}: {said}"


def _rerun_line(c: Any, r: Any) -> str:
    asked = "; ".join(
        [", ".join(r.params["measures"]) or c.t("cli.update.every_measure")]
        + [f"{k}={','.join(v)}" for k, v in r.params["where"].items()]
        + [c.t("cli.update.horizon", n=r.params["horizon"])]
    )
    sources = ", ".join(r.sources)
    if r.run_id is None:
        return c.t("cli.update.rerun_failed", previous=r.previous_run_id, asked=asked,
                   sources=sources)  # fmt: skip
    return c.t("cli.update.rerun", previous=r.previous_run_id, asked=asked, id=r.run_id,
               sources=sources)  # fmt: skip


@app.command("sources")
@friendly_errors
def sources_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the official datasets borderflow knows, with coverage and latest release loaded.

    Example: `borderflow sources --json`
    """
    from borderflow.warehouse.catalog import source_summaries

    rows = source_summaries(_coverage(resolve_db_path(db)))
    if as_json:
        print_json(rows)
        return
    c = messages()
    table = Table(title=c.t("cli.title.sources"), title_justify="left")
    for name in ("source", "releases", "latest_file", "vintage", "coverage", "values"):
        table.add_column(column(c, name), justify=_justify(name in ("releases", "values")))
    for r in rows:
        span = (
            f"{r['first_period']} – {r['last_period']}"
            if r["first_period"]
            else c.t("cli.sources.not_loaded")
        )
        table.add_row(
            r["name"],
            str(r["releases"]),
            r["latest_file"] or "",
            str(r["latest_vintage"] or ""),
            span,
            f"{r['observations']:,}",
        )
    out.print(table)


def _coverage(path: Path) -> dict[str, dict[str, Any]]:
    if not path.exists():
        raise BorderflowError(messages().t("cli.no_warehouse", path=path))
    with Warehouse(path, read_only=True) as warehouse:
        return {row["name"]: row for row in warehouse.read.source_coverage()}


@app.command("releases")
@friendly_errors
def releases_command(
    source: Annotated[str | None, typer.Option("--source", help="Only this source.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List every release (file) loaded or refused, with its checksum and provenance.

    Example: `borderflow releases --source cbp_nationwide`
    """
    with Warehouse(resolve_db_path(db), read_only=True) as warehouse:
        rows = [r for r in warehouse.read.releases() if source is None or r["source"] == source]
    if as_json:
        print_json(rows)
        return
    c = messages()
    table = Table(title=c.t("cli.title.releases"), title_justify="left")
    for name in ("id", "source", "file", "vintage", "state", "rows", "values", "issues", "sha256"):
        numeric = name in ("id", "rows", "values", "issues")
        table.add_column(column(c, name), justify=_justify(numeric))
    for r in rows:
        table.add_row(
            str(r["release_id"]),
            r["source"],
            r["file_name"],
            str(r["vintage"]),
            status_word(c, r["state"]),
            f"{r['rows_loaded'] or 0:,}",
            f"{r['observations'] or 0:,}",
            str(r["issues"]),
            r["sha256"][:16] + "…",
        )
    out.print(table)


@app.command("issues")
@friendly_errors
def issues_command(
    release_id: Annotated[int, typer.Argument(help="Release id (see `borderflow releases`).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show the data issues recorded for one release: kind, row, column and what to do.

    Example: `borderflow issues 3`
    """
    path = resolve_db_path(db)
    with Warehouse(path, read_only=True) as warehouse:
        if not any(r["release_id"] == release_id for r in warehouse.read.releases()):
            raise BorderflowError(messages().t("cli.no_release", id=release_id, path=path))
        rows = warehouse.read.issues(release_id)
    if as_json:
        print_json(rows)
        return
    c = messages()
    table = Table(title=c.t("cli.title.issues", id=release_id), title_justify="left")
    for name in ("severity", "kind", "row", "column", "message"):
        table.add_column(column(c, name))
    for r in rows:
        table.add_row(
            status_word(c, r["severity"]),
            r["kind"],
            str(r["row"] or ""),
            r["column"] or "",
            issue_text(c, r["kind"], r["message"], r.get("value")),
        )
    out.print(table)
    if not rows:
        err.print(messages().t("cli.no_issues", id=release_id), highlight=False)


@app.command("query")
@friendly_errors
def query_command(
    measure: Annotated[str, typer.Argument(help="Measure name (see `borderflow measures`).")],
    period: Annotated[
        str,
        typer.Option(
            "--period",
            "-p",
            help="FY2024, FY2026 YTD, 2024, 2024Q1, 2023-10, "
            "2023-10..2023-12, 12ME 2022-12, FY2019..FY2026.",
        ),
    ],
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where", "-w", help="DIMENSION=MEMBER[,MEMBER]; names or codes. Repeatable."
        ),
    ] = None,
    by: Annotated[list[str] | None, typer.Option("--by", help="Break down by a dimension.")] = None,
    grain: Annotated[
        str | None, typer.Option(help="month, quarter, calendar_year or fiscal_year.")
    ] = None,
    compare: Annotated[str | None, typer.Option(help="previous or year_ago.")] = None,
    share_of: Annotated[
        str | None, typer.Option("--share-of", help="Show each value as a share of this dimension.")
    ] = None,
    rank: Annotated[bool, typer.Option("--rank", help="Rank the --by members.")] = False,
    rate: Annotated[str | None, typer.Option(help="per_100k or per_1000_crossings.")] = None,
    per: Annotated[
        str, typer.Option("--per", help="Crossings measure for per_1000_crossings.")
    ] = "Trucks",
    status: Annotated[
        str | None, typer.Option(help="reported, predicted, provisional, final…")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Answer as of releases up to YYYY-MM-DD.")
    ] = None,
    include_amo: Annotated[
        bool, typer.Option("--include-amo", help="Add Air and Marine Operations to CBP seizures.")
    ] = False,
    unit: Annotated[str | None, typer.Option(help="Convert to this unit (e.g. kg).")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
    export: Annotated[
        Path | None, typer.Option(help="Also write the rows to FILE.csv or FILE.parquet.")
    ] = None,
) -> None:
    """Ask for any number: a measure, filters, a period, and optional comparisons and rates.

    Example: `borderflow query seized_lb -p FY2024 -w drug=Fentanyl --compare year_ago`
    """
    from datetime import date

    from borderflow.metrics import Engine, Query

    query = Query(
        measure,
        period,
        where=parse_where(where or [], "--where"),
        by=tuple(by or ()),
        grain=grain,
        compare=compare,
        share_of=share_of,
        rank=rank,
        rate=rate,
        rate_conveyance=per,
        status=status,
        as_of=date.fromisoformat(as_of) if as_of else None,
        include_amo=include_amo,
        unit=unit,
    )
    engine = Engine.open(resolve_db_path(db))
    try:
        result = engine.run(query)
    finally:
        engine.close()
    if export is not None:
        _export(result.rows, export)
    if as_json:
        print_json(result.to_dict())
    elif as_csv:
        sys.stdout.write(result.rows.drop(columns=["bucket"]).to_csv(index=False))
    else:
        _print_result(result)


def _export(rows: Any, path: Path) -> None:
    frame = rows.drop(columns=["bucket"])
    if path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    elif path.suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        raise BorderflowError(f"--export writes .csv or .parquet files, not {path.name!r}.")
    err.print(messages().t("cli.query.wrote", n=len(frame), path=path), highlight=False)


_SHOWN = ("previous", "change", "pct_change", "total", "share", "rank", "denominator", "rate")


def _print_result(result: Any) -> None:
    rows = result.rows
    c = messages()
    # The question in words, above the table: as a table title it would wrap to its width.
    out.print(query_sentence(c, result.query), highlight=False, markup=False, soft_wrap=True)
    table = Table()
    columns = ["period", *result.query.by, "value", *[n for n in _SHOWN if n in rows]]
    for name in columns:
        numeric = name not in ("period", *result.query.by)
        table.add_column(column(c, name), justify=_justify(numeric))
    decimals = {name: _decimals(name, rows) for name in columns}
    names = _Names(c)
    for record in rows.to_dict(orient="records"):
        table.add_row(
            *[
                names.of(name, record.get(name))
                if name in result.query.by
                else _period_cell(c, result, record)
                if name == "period"
                else _fmt(name, record.get(name), decimals[name])
                for name in columns
            ]
        )
    out.print(table)
    _print_result_notes(c, result)


def _print_result_notes(c: Any, result: Any) -> None:
    """Unit, partial periods, the metrics layer's notes and the releases, in ``c``'s words."""
    rows = result.rows
    unit = unit_words(c, result.unit)
    if "rate_unit" in rows:
        rate = rate_words(c, result.query, result.unit, str(rows["rate_unit"].iloc[0]))
        out.print(c.t("cli.query.unit_rate", unit=unit, rate=rate), highlight=False)
    else:
        out.print(c.t("cli.query.unit", unit=unit), highlight=False)
    partial = rows[rows["months"] < rows["expected_months"]]
    for record in partial.to_dict(orient="records"):
        line = c.t(
            "cli.query.partial",
            period=_period_cell(c, result, record),
            months=record["months"],
            expected=record["expected_months"],
        )
        out.print(f"[yellow]{line}[/yellow]", highlight=False)
    for note in result.notes:
        out.print(c.t("cli.query.note", note=metric_note(c, note)), highlight=False)
    for release in result.releases:
        line = c.t(
            "cli.query.source",
            file=release["file_name"],
            vintage=release["vintage"],
            sha=release["sha256"][:12],
        )
        out.print(line, highlight=False)


def _period_cell(c: Any, result: Any, record: dict[str, Any]) -> str:
    """A row's period: as the library labels it in English, in the catalog's words otherwise
    (``FY2024`` → ``AF2024``, ``Dec 2025`` → ``dic 2025``)."""
    label = str(record.get("period"))
    if c.lang == "en":
        return label
    query = result.query
    parsed = query.parsed_period()
    if label == parsed.label:
        return str(c.period(parsed))
    bucket = record.get("bucket")
    grain = query.grain or ("month" if parsed.kind == "months" else None)
    return str(c.bucket(grain, bucket, label)) if bucket is not None else label


def _decimals(name: str, rows: Any) -> int:
    """Decimals for a column: none for counts (every value whole: 994 victims), two otherwise
    (pounds, dollars, rates)."""
    if name not in rows or name in ("rate", "share", "pct_change"):
        return 2
    values = rows[name].dropna()
    numeric = values.map(lambda v: isinstance(v, int | float)).all()
    return 0 if numeric and all(float(v).is_integer() for v in values) else 2


def _fmt(name: str, value: Any, decimals: int = 2) -> str:
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if name in ("pct_change", "share"):
        return f"{value:+.1f}%" if name == "pct_change" else f"{value:.1f}%"
    if isinstance(value, float):
        return f"{value:,.{decimals}f}"
    return str(value)


class _Names:
    """Members shown by name where a code would say little (ports: ``2304`` → Laredo)."""

    def __init__(self, catalog: Any) -> None:
        self.catalog = catalog

    def of(self, dimension: str, code: Any) -> str:
        if code is None or (isinstance(code, float) and code != code):
            return "–"
        name = str(self.catalog.member(dimension, str(code)))
        return name if name == str(code) or dimension not in _CODED else f"{name} ({code})"


#: Dimensions stored as codes a reader cannot read (port numbers, state codes): shown as
#: "name (code)". Others (drug, region, conveyance…) are stored as English names already.
_CODED = frozenset({"port", "us_state", "mx_state", "area"})


@app.command("measures")
@friendly_errors
def measures_command(as_json: JsonOption = False) -> None:
    """List the measures you can query, with unit, period type, dimensions and statuses.

    Example: `borderflow measures --json`
    """
    from borderflow.metrics import all_measures

    rows: list[dict[str, Any]] = [
        {
            "name": m.name,
            "description": m.description,
            "unit": m.unit or "varies",
            "period_type": m.period_type,
            "temporal": m.temporal,
            "source": m.source,
            "dimensions": list(m.dimensions),
            "statuses": list(m.statuses),
        }
        for m in all_measures()
    ]
    if as_json:
        print_json(rows)
        return
    c = messages()
    table = Table(title=c.t("cli.title.measures"), title_justify="left")
    for name in ("name", "unit", "period", "kind", "dimensions", "description"):
        table.add_column(column(c, name))
    for r in rows:
        description = r["description"]
        if c.lang != "en":  # the measure's name in the reader's words, where the catalog has it
            description = c.messages.get(f"claims.measure.{r['name']}", description)
        table.add_row(r["name"], r["unit"], r["period_type"], r["temporal"],
                      ", ".join(r["dimensions"]), description)  # fmt: skip
    out.print(table)


@app.command("members")
@friendly_errors
def members_command(
    measure: Annotated[str, typer.Argument(help="Measure name.")],
    dimension: Annotated[str, typer.Argument(help="Dimension name.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the members of a dimension for a measure, as stored in the warehouse.

    Example: `borderflow members seized_lb area`
    """
    from borderflow.metrics import Engine, get_measure
    from borderflow.metrics.query import QueryError

    m = get_measure(measure)
    if dimension not in m.dimensions:
        raise QueryError(
            f"{measure} has no dimension {dimension!r}; it has {', '.join(m.dimensions)}."
        )
    engine = Engine.open(resolve_db_path(db))
    try:
        members = list(engine.members(m, dimension))
    finally:
        engine.close()
    if as_json:
        print_json(members)
        return
    names = _Names(messages())
    for member in members:
        out.print(names.of(dimension, member), highlight=False, markup=False)
