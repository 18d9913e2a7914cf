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
from borderflow.sources import all_sources, get_sources
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


def _progress(total: int, label: str) -> Any:
    """A progress bar on stderr; yields a callback to call after each item."""
    from contextlib import contextmanager

    @contextmanager
    def bar() -> Any:
        progress = Progress(
            TextColumn(f"{label} [bold]{{task.fields[item]}}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        )
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
    coverage = _coverage(resolve_db_path(db))
    rows: list[dict[str, Any]] = []
    for source in all_sources().values():
        cov = coverage.get(source.name, {})
        rows.append(
            {
                "name": source.name,
                "title": source.title,
                "publisher": source.publisher,
                "homepage": source.homepage,
                "licence": source.licence,
                "cadence": source.cadence,
                "releases": cov.get("releases") or 0,
                "latest_file": cov.get("latest_file"),
                "latest_vintage": cov.get("latest_vintage"),
                "first_period": cov.get("first_period"),
                "last_period": cov.get("last_period"),
                "observations": cov.get("observations") or 0,
            }
        )
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


def main() -> None:
    """Entry point of the ``borderflow`` console script."""
    app()
