"""Shared parts of the ``borderflow`` command: the Typer app, consoles, options and helpers.

Exit codes: 0 success; 1 the command ran but some files were refused or failed; 2 bad usage
or configuration (unknown source, missing folder, unreadable warehouse).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from borderflow import __version__
from borderflow.errors import BorderflowError
from borderflow.report.i18n import LOCALES, Catalog, load_catalog

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
            c = messages()
            said = exc.said if c.lang != "en" else None
            text = c.t(f"cli.error.{said['key']}", **said["values"]) if said else str(exc)
            err.print(f"[red]{c.t('cli.label.error')}[/red] {text}", highlight=False)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def print_json(data: Any) -> None:
    """Write ``data`` as JSON to stdout (dates and paths as strings)."""
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")


def _print_version(asked: bool) -> None:
    """``--version``: print the version and stop, before any command is looked for."""
    if asked:
        out.print(f"borderflow {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def main_options(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version.", is_eager=True, callback=_print_version
        ),
    ] = False,
) -> None:
    global _debug
    _debug = debug


#: The environment variable choosing the language of the command's messages (``en`` or ``es``).
LANG_VARIABLE = "BORDERFLOW_LANG"


def reader_language(lang: str | None = None) -> str:
    """The command's language: ``lang`` if given (a ``--lang`` option), else
    ``$BORDERFLOW_LANG``, else English. An unknown language falls back to English."""
    chosen = lang or os.environ.get(LANG_VARIABLE, "en")
    return chosen if chosen in LOCALES else "en"


def messages(lang: str | None = None) -> Catalog:
    """The message catalog of the command's language (``reader_language``)."""
    return load_catalog(reader_language(lang))


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


def main() -> None:
    """Entry point of the ``borderflow`` console script."""
    app()
