"""The ``borderflow`` command: a thin skin over the library.

Each command opens what it needs, calls one library function, and formats the result: a Rich
table for people, ``--json`` for machines. Data goes to stdout, progress and messages to stderr.
Commands live by what they do — ``records`` (load and query the record), ``analysis`` (claims,
interdiction, outlook) and ``outputs`` (brief, dashboard) — and register on one Typer ``app``.

Exit codes: 0 success; 1 the command ran but some files were refused or failed; 2 bad usage
or configuration (unknown source, missing folder, unreadable warehouse).
"""

# isort: off
from borderflow.cli.common import app, main
from borderflow.cli import records, analysis, outputs  # registration order is --help order
from borderflow.cli import registry  # timeline, actor
from borderflow.cli import scale  # shipments generate, ingest, ask

# isort: on

__all__ = ["analysis", "app", "main", "outputs", "records", "registry", "scale"]
