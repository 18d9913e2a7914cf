"""Where borderflow keeps things: the warehouse file and the local mirror of official files.

Both are configurable, in this order: the command-line option, an environment variable, a default
under the user's data directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DB_ENV = "BORDERFLOW_DB"
MIRROR_ENV = "BORDERFLOW_MIRROR"


def data_dir() -> Path:
    """The per-user data directory (e.g. ``~/.local/share/borderflow``)."""
    return platformdirs.user_data_path("borderflow")


def resolve_db_path(option: Path | None = None) -> Path:
    """The warehouse: ``--db``, else ``$BORDERFLOW_DB``, else ``<data dir>/borderflow.duckdb``."""
    if option is not None:
        return option
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV])
    return data_dir() / "borderflow.duckdb"


def resolve_mirror(option: Path | None = None) -> Path:
    """The local mirror: ``--mirror``, else ``$BORDERFLOW_MIRROR``, else ``<data dir>/mirror``.

    The default is where ``borderflow fetch`` downloads to, so fetch-then-ingest needs no option.
    """
    if option is not None:
        return option
    if os.environ.get(MIRROR_ENV):
        return Path(os.environ[MIRROR_ENV])
    return data_dir() / "mirror"
