"""Commands over the record: load and fetch releases, list sources, releases and issues, and
ask the metrics layer for numbers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

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
    out,
    print_json,
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
) -> None:
    """Load every dataset found in the mirror into the warehouse, one atomic release per file.

    Files already loaded (same bytes, same parser) are skipped, so running it again loads nothing
    new. A file that cannot be read is refused and the warehouse keeps its last good state.

    Example: `borderflow ingest --mirror ../shared/data`
    """
    chosen = get_sources(sources)
    folder = resolve_mirror(mirror)
    with Warehouse(resolve_db_path(db)) as warehouse:
        files = plan(chosen, folder) if folder.is_dir() else []
        with _progress(len(files), "Ingesting") as advance:
            report = ingest(warehouse, chosen, folder, on_file=advance)
    if as_json:
        print_json(report.to_dict())
    else:
        _print_ingest(report, verbose)
    if report.refused:
        raise typer.Exit(1)


def _print_ingest(report: IngestReport, verbose: bool) -> None:
    table = Table(title="Ingest", title_justify="left")
    for name in ("source", "file", "status", "rows read", "loaded", "rejected", "values", "issues"):
        table.add_column(name, justify="right" if name in _NUMERIC else "left")
    for o in report.outcomes:
        style = {"loaded": "green", "refused": "red"}.get(o.status, "dim")
        table.add_row(
            o.source,
            o.file,
            f"[{style}]{o.status}[/{style}]",
            f"{o.rows_read:,}",
            f"{o.rows_loaded:,}",
            f"{o.rows_rejected:,}",
            f"{o.observations:,}",
            f"{len(o.issues):,}",
        )
    out.print(table)
    out.print(
        f"{report.count('loaded')} loaded, {report.count('unchanged')} unchanged, "
        f"{report.count('refused')} refused."
    )
    for o in report.outcomes:
        if o.message:
            err.print(f"[red]refused[/red] {o.message}", highlight=False)
        shown = o.issues if verbose else [i for i in o.issues if i.severity != "warning"][:5]
        for issue in shown:
            err.print(f"  {issue.severity}: {issue.where()}: {issue.message}", highlight=False)
        hidden = len(o.issues) - len(shown)
        if hidden > 0:
            err.print(f"  … {hidden} more issue(s) in {o.file}; `borderflow issues {o.release_id}`")


_NUMERIC = {
    "rows read",
    "loaded",
    "rejected",
    "values",
    "issues",
    "observations",
    "releases",
    "bytes",
}


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
        table = Table(title=f"Fetch into {folder}", title_justify="left")
        for name in ("source", "file", "status", "bytes"):
            table.add_column(name, justify="right" if name == "bytes" else "left")
        for o in report.outcomes:
            table.add_row(o.source, o.file, o.status, f"{o.bytes:,}")
        out.print(table)
        for o in report.outcomes:
            if o.status in ("failed", "changed", "missing", "no_url") and o.message:
                err.print(f"{o.status}: {o.message}", highlight=False)
    if report.failed:
        raise typer.Exit(1)


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
    table = Table(title="Sources", title_justify="left")
    for name in ("source", "releases", "latest file", "vintage", "coverage", "values"):
        table.add_column(name, justify="right" if name in ("releases", "values") else "left")
    for r in rows:
        span = f"{r['first_period']} – {r['last_period']}" if r["first_period"] else "not loaded"
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
        return {}
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
    table = Table(title="Releases", title_justify="left")
    for name in ("id", "source", "file", "vintage", "state", "rows", "values", "issues", "sha256"):
        table.add_column(
            name, justify="right" if name in ("id", "rows", "values", "issues") else "left"
        )
    for r in rows:
        table.add_row(
            str(r["release_id"]),
            r["source"],
            r["file_name"],
            str(r["vintage"]),
            r["state"],
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
    with Warehouse(resolve_db_path(db), read_only=True) as warehouse:
        rows = warehouse.read.issues(release_id)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Issues of release {release_id}", title_justify="left")
    for name in ("severity", "kind", "row", "column", "message"):
        table.add_column(name)
    for r in rows:
        table.add_row(
            r["severity"], r["kind"], str(r["row"] or ""), r["column"] or "", r["message"]
        )
    out.print(table)
    if not rows:
        err.print("No issues recorded for this release.")


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
    err.print(f"wrote {len(frame)} rows to {path}")


_SHOWN = ("previous", "change", "pct_change", "total", "share", "rank", "denominator", "rate")


def _print_result(result: Any) -> None:
    rows = result.rows
    table = Table(title=result.query.sentence(), title_justify="left")
    columns = ["period", *result.query.by, "value", *[c for c in _SHOWN if c in rows]]
    for name in columns:
        table.add_column(name, justify="left" if name in ("period", *result.query.by) else "right")
    for record in rows.to_dict(orient="records"):
        table.add_row(*[_fmt(name, record.get(name)) for name in columns])
    out.print(table)
    unit = rows["rate_unit"].iloc[0] if "rate_unit" in rows else result.unit
    out.print(f"unit: {result.unit}" + (f"; rate: {unit}" if "rate_unit" in rows else ""))
    partial = rows[rows["months"] < rows["expected_months"]]
    for record in partial.to_dict(orient="records"):
        out.print(
            f"[yellow]{record['period']}: {record['months']} of "
            f"{record['expected_months']} months have data.[/yellow]"
        )
    for note in result.notes:
        out.print(f"note: {note}", highlight=False)
    for release in result.releases:
        out.print(
            f"source: {release['file_name']} (vintage {release['vintage']}, "
            f"sha256 {release['sha256'][:12]}…)",
            highlight=False,
        )


def _fmt(name: str, value: Any) -> str:
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if name in ("pct_change", "share"):
        return f"{value:+.1f}%" if name == "pct_change" else f"{value:.1f}%"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


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
    table = Table(title="Measures", title_justify="left")
    for name in ("name", "unit", "period", "kind", "dimensions", "description"):
        table.add_column(name)
    for r in rows:
        table.add_row(r["name"], r["unit"], r["period_type"], r["temporal"],
                      ", ".join(r["dimensions"]), r["description"])  # fmt: skip
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
    else:
        for member in members:
            out.print(member, highlight=False)
