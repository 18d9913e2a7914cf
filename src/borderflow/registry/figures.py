"""The figures an event's source states, and the registry of their kinds.

An event's ``figures`` cell lists typed numbers its own source states, ``;``-separated:
``tariff_percent=25``, ``persons=29; persons=29``, ``votes_for=410; votes_against=24``. Each kind
is a row of ``figure_kinds.csv`` (shipped beside the registry's files): its unit (``percent``,
``count``, ``days``), its label in English and Spanish, the words written next to such a number
and the word stems saying the event happened. The claim checker reads the same table
(``claims/figures.py``); a new kind is a new row, not new code.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from importlib import resources

from borderflow.errors import BorderflowError
from borderflow.registry.model import Figure, FigureKind
from borderflow.vocabulary import strip_accents

#: The file of figure kinds, in the registry's folder.
KINDS_FILE = "figure_kinds.csv"
#: How a figure's number is written: with a percent sign, as a count, as a span of days.
UNITS: tuple[str, ...] = ("percent", "count", "days")
#: Units whose values are whole numbers.
WHOLE_UNITS: tuple[str, ...] = ("count", "days")
_COLUMNS = (
    "kind", "unit", "label_en", "label_es", "words_en", "words_es", "event_words_en",
    "event_words_es",
)  # fmt: skip
_ITEM = re.compile(r"([a-z][a-z_]*)\s*=\s*(\d+(?:\.\d+)?)")


class FigureKindsError(BorderflowError):
    """``figure_kinds.csv`` is malformed (the message names the row and column)."""


@functools.cache
def figure_kinds() -> dict[str, FigureKind]:
    """The kinds of figure events may carry, by key (read once from ``figure_kinds.csv``).

    Raises:
        FigureKindsError: a column is missing, a unit is unknown, a kind repeats or has no words.
    """
    text = (
        resources.files("borderflow")
        .joinpath(f"reference/registry/{KINDS_FILE}")
        .read_text(encoding="utf-8")
    )
    return read_figure_kinds(text)


def read_figure_kinds(text: str) -> dict[str, FigureKind]:
    """The kinds in a ``figure_kinds.csv`` text.

    Raises:
        FigureKindsError: as ``figure_kinds``.
    """
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise FigureKindsError(f"{KINDS_FILE} row 1: column(s) {', '.join(missing)} missing")
    kinds: dict[str, FigureKind] = {}
    for line, row in enumerate(reader, start=2):
        kind = _kind(row, line)
        if kind.kind in kinds:
            raise FigureKindsError(f"{KINDS_FILE} row {line}, field kind: {kind.kind!r} repeats")
        kinds[kind.kind] = kind
    return kinds


def _kind(row: dict[str, str], line: int) -> FigureKind:
    unit = (row.get("unit") or "").strip()
    if unit not in UNITS:
        raise FigureKindsError(
            f"{KINDS_FILE} row {line}, field unit: {unit!r} is not one of {', '.join(UNITS)}"
        )
    words = _words(row, "words_en") + _words(row, "words_es")
    if not words:
        raise FigureKindsError(f"{KINDS_FILE} row {line}, field words_en: no words")
    return FigureKind(
        row["kind"].strip(),
        unit,
        row["label_en"].strip(),
        row["label_es"].strip(),
        words,
        _words(row, "event_words_en") + _words(row, "event_words_es"),
    )


def _words(row: dict[str, str], column: str) -> tuple[str, ...]:
    cells = (row.get(column) or "").split(";")
    return tuple(strip_accents(w).strip().lower() for w in cells if w.strip())


def parse_figures(cell: str, kinds: dict[str, FigureKind]) -> tuple[Figure, ...]:
    """The figures written in an ``events.csv`` cell (empty: none).

    Raises:
        ValueError: an item is not ``kind=number``, names an unknown kind, or gives a fraction
            for a kind counted in whole numbers; the message says which item.
    """
    figures = []
    for item in (part.strip() for part in cell.split(";")):
        if not item:
            continue
        match = _ITEM.fullmatch(item)
        if match is None:
            raise ValueError(f"{item!r} is not kind=number (e.g. persons=29, tariff_percent=25)")
        kind, value = match.group(1), float(match.group(2))
        if kind not in kinds:
            raise ValueError(f"{item!r}: {kind!r} is not a figure kind ({', '.join(kinds)})")
        if kinds[kind].unit in WHOLE_UNITS and not value.is_integer():
            raise ValueError(f"{item!r}: a {kinds[kind].unit} is a whole number")
        figures.append(Figure(kind, value))
    return tuple(figures)
