"""The notes an answer carries: how the question was read and the series' caveats.

Each note is written once, in the command line's catalog (``cli.metric_note.*`` of
``report/i18n/en.cli.toml``); ``note(key, **values)`` gives its English text, which also says
itself as that key and values (``borderflow.messages.Said``), so an output renders it in the
reader's language without reading the English back.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from borderflow.messages import Said, read_messages, saying

#: The English words of the command line's area (the report's catalog merges the same file).
ENGLISH = Path(__file__).resolve().parents[1] / "report" / "i18n" / "en.cli.toml"


@functools.cache
def _english() -> dict[str, str]:
    return read_messages(ENGLISH)


def note(key: str, **values: Any) -> Said:
    """The note ``cli.metric_note.<key>`` with ``values``."""
    return saying(_english(), f"cli.metric_note.{key}", **values)
