"""The ``borderflow`` command: a thin skin over the library.

Each command opens what it needs, calls one library function, and formats the result: a Rich
table for people, ``--json`` for machines. Data goes to stdout, progress and messages to stderr.

Exit codes: 0 success; 1 the command ran but some files were refused or failed; 2 bad usage
or configuration (unknown source, missing folder, unreadable warehouse).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from borderflow import __version__
from borderflow.config import resolve_db_path, resolve_mirror
from borderflow.errors import BorderflowError
from borderflow.sources import get_sources
from borderflow.warehouse import Warehouse
from borderflow.warehouse.ingest import IngestReport, ingest, plan

app = typer.Typer(
    help="borderflow: the official record of the U.S.–Mexico illicit supply chain, in one place.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
)
out = Console(width=None if sys.stdout.isatty() else 150)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db", help="Warehouse file. Default: $BORDERFLOW_DB or the user data directory."
    ),
]
MirrorOption = Annotated[
    Path | None,
    typer.Option(
        "--mirror",
        help="Local folder laid out like the official data (one sub-folder per source). "
        "Default: $BORDERFLOW_MIRROR or the folder `borderflow fetch` downloads to.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
SourcesArg = Annotated[
    list[str] | None, typer.Argument(help="Source names (default: all). See `borderflow sources`.")
]

F = TypeVar("F", bound=Callable[..., Any])
_debug = False


def friendly_errors(func: F) -> F:
    """Turn a ``BorderflowError`` into a one-line message and exit code 2.

    With ``--debug`` the traceback is shown instead.
    """

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BorderflowError as exc:
            if _debug:
                raise
            err.print(f"[red]Error:[/red] {exc}", highlight=False)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def print_json(data: Any) -> None:
    """Write ``data`` as JSON to stdout (dates and paths as strings)."""
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")


@app.callback()
def main_options(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    global _debug
    _debug = debug
    if version:
        out.print(f"borderflow {__version__}")
        raise typer.Exit()


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


def _progress_bar(text: str) -> Progress:
    """A transient progress bar on stderr (off when stderr is not a terminal)."""
    return Progress(
        TextColumn(text),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


def _progress(total: int, label: str) -> Any:
    """A progress bar on stderr; yields a callback to call after each item."""
    from contextlib import contextmanager

    @contextmanager
    def bar() -> Any:
        progress = _progress_bar(f"{label} [bold]{{task.fields[item]}}")
        with progress:
            task = progress.add_task(label, total=total, item="")
            yield lambda item: progress.update(task, advance=1, item=item)

    return bar()


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
        return {row["name"]: row for row in warehouse.source_coverage()}


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
        rows = [r for r in warehouse.releases() if source is None or r["source"] == source]
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
        rows = warehouse.issues(release_id)
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


def _parse_where(items: list[str]) -> dict[str, tuple[str, ...]]:
    where: dict[str, list[str]] = {}
    for item in items:
        dim, sep, value = item.partition("=")
        if not sep or not dim.strip() or not value.strip():
            raise BorderflowError(f"--where takes DIMENSION=MEMBER, not {item!r}.")
        where.setdefault(dim.strip(), []).extend(v.strip() for v in value.split(","))
    return {k: tuple(v) for k, v in where.items()}


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
        where=_parse_where(where or []),
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


@app.command("check")
@friendly_errors
def check_command(
    source: Annotated[
        str, typer.Argument(help="Article: a text, Markdown or HTML file, a URL, or -.")
    ],
    published: Annotated[
        str | None,
        typer.Option(help="Publication date YYYY-MM-DD. Default: the date the article states."),
    ] = None,
    lang: Annotated[str, typer.Option(help="en, es or auto.")] = "auto",
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write the report as HTML to this file.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check the numbers and facts in an article against the official record.

    Each claim gets a verdict (supported, contradicted, unverifiable with the reason), the
    official figure, the question asked and the release used. Exit code 0 whatever the verdicts.

    Example: `borderflow check article.txt --published 2026-01-16 --html report.html`
    """
    from datetime import date

    from borderflow.claims import check_document, read_document
    from borderflow.claims.html import render_html
    from borderflow.metrics import Engine

    if lang not in ("en", "es", "auto"):
        raise typer.BadParameter(f"--lang must be en, es or auto, not {lang!r}.")
    doc = read_document(source, stdin_text=sys.stdin.read() if source == "-" else None)
    engine = Engine.open(resolve_db_path(db))
    try:
        report = check_document(
            doc, engine, published=date.fromisoformat(published) if published else None, lang=lang
        )
    finally:
        engine.close()
    if html is not None:
        html.write_text(render_html(report), encoding="utf-8")
        err.print(f"wrote {html}")
    if as_json:
        print_json(report.to_dict())
    else:
        _print_claims(report)


_VERDICT_STYLE = {"supported": "green", "contradicted": "red", "unverifiable": "dim"}


def _print_claims(report: Any) -> None:
    from borderflow.claims.html import format_value

    table = Table(title=f"Claims in {report.source} (published {report.published})")
    for column in ("#", "verdict", "claim", "claimed", "official", "why"):
        table.add_column(column, overflow="fold")
    for i, claim in enumerate(report.claims, start=1):
        style = _VERDICT_STYLE[claim.verdict]
        table.add_row(
            str(i),
            f"[{style}]{claim.verdict}[/{style}]",
            claim.text,
            format_value(claim.claimed, claim.unit),
            format_value(claim.official, claim.unit),
            claim.query or claim.reason,
        )
    out.print(table)
    counts = ", ".join(f"{n} {verdict}" for verdict, n in report.summary().items())
    out.print(f"{len(report.claims)} claims: {counts}.", highlight=False)


@app.command("interdict")
@friendly_errors
def interdict_command(
    scenario: Annotated[
        str,
        typer.Argument(
            help="Scenario TOML file, or a shipped scenario: default, closed_port, demand_shift."
        ),
    ] = "default",
    db: DbOption = None,
    as_json: JsonOption = False,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the simulation.")] = 0,
    figure: Annotated[
        Path | None, typer.Option("--figure", help="Write a PNG of the plan, policies, simulation.")
    ] = None,
    graphml: Annotated[
        Path | None, typer.Option("--graphml", help="Write the network as GraphML.")
    ] = None,
    geojson: Annotated[
        Path | None, typer.Option("--geojson", help="Write crossings and flows as GeoJSON.")
    ] = None,
    store: Annotated[
        bool, typer.Option("--store/--no-store", help="Record the run in the warehouse.")
    ] = True,
    sensitivity: Annotated[
        bool,
        typer.Option("--sensitivity", help="Also solve at both ends of the calibration interval."),
    ] = False,
) -> None:
    """Plan inspection resources against a trafficker who re-routes, and simulate the response.

    Builds the Southwest Border network from the warehouse, calibrates detection, solves the
    Stackelberg MILP (HiGHS), compares it with simple policies and a quantal-response adversary,
    runs the agent-based simulation, and stores the run. See docs/interdiction.md.

    Example: `borderflow interdict default --figure plan.png`
    """
    from borderflow.interdiction import load_scenario, resolve_scenario, run_scenario
    from borderflow.interdiction.network import to_graphml

    loaded = load_scenario(resolve_scenario(scenario))
    with err.status(f"Solving scenario {loaded.name!r}…"):
        result = run_scenario(
            loaded, resolve_db_path(db), seed=seed, store=store, sensitivity=sensitivity
        )
    data = result.to_dict()
    if graphml:
        to_graphml(result.network, graphml)
    if geojson:
        geojson.write_text(json.dumps(data["geojson"], indent=1), encoding="utf-8")
    if figure:
        from borderflow.interdiction.figure import plot_run

        plot_run(data, figure)
    if as_json:
        print_json(data)
        return
    _print_interdiction(data)
    for label, path in (("figure", figure), ("GraphML", graphml), ("GeoJSON", geojson)):
        if path:
            err.print(f"{label}: {path}", highlight=False)


def _print_interdiction(data: dict[str, Any]) -> None:
    obj, sim = data["objective"], data["simulation"]
    proof = "proven optimal" if obj["optimal"] else f"stopped at gap {obj['gap']:.2%}"
    out.print(
        f"[bold]{data['scenario']['name']}[/bold]: {data['scenario'].get('description', '')}\n"
        f"Trafficker's best response: {obj['delivered']:,.1f} of {obj['shipped']:,.1f} delivered "
        f"(no plan: {obj['baseline_delivered']:,.1f}); objective {obj['value']:,.2f}, "
        f"{proof} in "
        f"{obj['seconds']:.2f} s; spent {obj['spent']:g} of {obj['budget']:g}.",
        highlight=False,
    )
    plan = Table("node", "resource", "units", "detection", "flow", title="Plan")
    for row in data["allocation"]:
        plan.add_row(
            row["name"],
            row["resource"],
            str(row["units"]),
            f"{row['detection_before']:.3f} → {row['detection_after']:.3f}",
            f"{row['flow_before']:,.1f} → {row['flow_after']:,.1f}",
        )
    out.print(plan)
    policies = Table("policy", "units", "delivered", "quantal", "description", title="Policies")
    for name, p in data["policies"].items():
        policies.add_row(
            name,
            str(p["units"]),
            f"{p['delivered']:,.1f}",
            f"{p['quantal_delivered']:,.1f}",
            p["description"],
        )
    out.print(policies)
    out.print(
        f"Simulation (seed {sim['seed']}, {sim['agents']} organisations, plan from month "
        f"{sim['deploy_month']}): displacement {sim['displacement']:.1%}; flow through "
        f"reinforced crossings {sim['treated_share_before']:.1%} → "
        f"{sim['treated_share_after']:.1%}; shipped {sim['shipped_before']:,.0f} → "
        f"{sim['shipped_after']:,.0f}, delivered {sim['delivered_before']:,.0f} → "
        f"{sim['delivered_after']:,.0f} per simulated month.",
        highlight=False,
    )
    for end, s in (data["sensitivity"] or {}).items():
        out.print(
            f"Detection at the {end} end of its interval: objective {s['objective']:,.2f} "
            f"re-optimised, {s['plan_value']:,.2f} with this plan"
            f"{' (the same plan)' if s['same_plan'] else ''}.",
            highlight=False,
        )
    if data["run_id"] is not None:
        out.print(f"Stored as run {data['run_id']}.", highlight=False)


@app.command("outlook")
@friendly_errors
def outlook_command(
    measure: Annotated[
        list[str] | None,
        typer.Option("--measure", "-m", help="Forecast only this measure. Repeatable."),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option("--where", "-w", help="DIMENSION=MEMBER[,MEMBER] (stored codes). Repeatable."),
    ] = None,
    horizon: Annotated[int, typer.Option(help="Months ahead to forecast (1-24).")] = 6,
    backtest: Annotated[
        bool,
        typer.Option(
            "--backtest/--no-backtest",
            help="Backtest the candidate models (12 origins) and choose one per series group.",
        ),
    ] = True,
    chart_dir: Annotated[
        Path | None,
        typer.Option("--chart-dir", help="Write one Vega-Lite chart per series to DIR."),
    ] = None,
    png: Annotated[bool, typer.Option("--png", help="With --chart-dir, also render PNGs.")] = False,
    export: Annotated[
        Path | None, typer.Option(help="Also write the forecasts to FILE.csv or FILE.parquet.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Forecast every monthly series (seizures, overdose deaths, homicides, crossings) with
    80%/95% intervals, nowcasting provisional VSRR months; store the run in the warehouse.

    Stored forecasts answer `borderflow query MEASURE --status forecast` at the breakdowns
    forecast: seized_lb by drug, drug × region, drug × area, drug × component; seizure_events
    by drug × region, drug × area; overdose_deaths_12m by us_state (and the US total);
    homicide_victims by mx_state; crossings by port × conveyance. See docs/outlook.md.

    Example: `borderflow outlook -m seized_lb -w drug=Fentanyl --horizon 6`
    """
    from borderflow.outlook import run_outlook
    from borderflow.outlook.report import export_forecasts, outlook_table, write_charts

    path = resolve_db_path(db)
    bar = _progress_bar("Forecasting series groups")
    with bar:
        task = bar.add_task("outlook", total=None)
        run = run_outlook(
            path,
            measures=tuple(measure or ()) or None,
            where=_parse_where(where or []),
            horizon=horizon,
            backtest=backtest,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if export is not None:
        err.print(f"wrote {export_forecasts(run, export)} forecast rows to {export}")
    if chart_dir is not None:
        written = write_charts(run, chart_dir, png=png)
        err.print(f"wrote {len(written)} chart files to {chart_dir}")
    if as_json:
        print_json(run.to_dict())
    else:
        out.print(outlook_table(run))


@app.command("brief")
@friendly_errors
def brief_command(
    lang: Annotated[
        list[str] | None, typer.Option("--lang", help="en or es; repeat for both. Default: en.")
    ] = None,
    article: Annotated[
        Path | None, typer.Option("--article", help="A text file whose claims are checked.")
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write into.")] = Path("brief"),
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="Write the HTML only.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write the brief: a self-contained HTML file with charts and a PDF, in English or Spanish.

    Headline indicators with their sources, seizures, overdose deaths, crossings, homicides,
    precursor trade and, with `--article`, the claim report of an article.

    Example: `borderflow brief --lang en --lang es --out brief/`
    """
    from borderflow.report.brief import build_brief
    from borderflow.report.sections import all_sections

    outputs = []
    path = resolve_db_path(db)
    for language in lang or ["en"]:
        with _progress(len(all_sections()), f"Brief ({language})") as advance:
            outputs.append(build_brief(path, lang=language, out_dir=out_dir, article=article,
                                       pdf=not no_pdf, on_section=advance))  # fmt: skip
    if as_json:
        print_json([o.to_dict() for o in outputs])
        return
    for o in outputs:
        files = f"{o.html}" + (f" and {o.pdf}" if o.pdf else "")
        out.print(
            f"brief ({o.lang}): {files} — {len(o.sections)} sections, {o.charts} charts, "
            f"{o.releases} releases cited, {o.seconds:.1f} s",
            highlight=False,
        )


@app.command("serve")
@friendly_errors
def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    get: Annotated[
        str | None,
        typer.Option("--get", help="Print the response to this path and exit (no server)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Serve the dashboard and the JSON API over the warehouse (read-only).

    Pages: /, /seizures, /deaths, /crossings, /homicides, /trade, /releases (each also as
    .json); API under /api; OpenAPI schema at /openapi.json. With `--get` the response to one
    path is printed without starting a server; the exit code is 1 if its status is 400 or more.

    Example: `borderflow serve --get "/seizures.json?drug=Fentanyl"`
    """
    from borderflow.web.app import create_app, request

    application = create_app(resolve_db_path(db))
    if get is not None:
        response = request(application, "GET", get)
        sys.stdout.write(response.text + ("" if response.text.endswith("\n") else "\n"))
        if response.status_code >= 400:
            raise typer.Exit(1)
        return
    import uvicorn

    err.print(f"borderflow: serving http://{host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(application, host=host, port=port, log_level="warning")


def main() -> None:
    """Entry point of the ``borderflow`` console script."""
    app()
