"""What a brief section or a dashboard page shows: numbers with provenance, figures, tables.

These are plain records built by the section functions (``report.topics``, ``report.extras``)
from answers of the metrics layer and the libraries. The brief renders them to HTML/PDF, the
dashboard to HTML pages, and both serialise them unchanged with ``to_dict`` (the ``.json`` twin
of every page).
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from borderflow.metrics import Engine, Query, Result
from borderflow.report.i18n import Catalog


@dataclass
class Value:
    """One number a reader sees, with what it is and where it came from.

    Attributes:
        label: what the number is, in the reader's language.
        value: the number (None when missing).
        text: the number formatted for the language.
        unit: the unit in words.
        period: the period in words.
        change_pct: percent change against the comparison period, if any.
        change_text: ``change_pct`` formatted, with the period it compares with.
        releases: ids of the releases the number was read from.
        query: the metrics query that produced it (JSON form).
        release_text: the month the newest release read runs through and when it was
            published, in words.
        scope: what the number covers besides the period (the place, the drug), in words.
        aside: a second figure a reader needs beside this one (a predicted value next to a
            count flagged as underreported), in words.
    """

    label: str
    value: float | None
    text: str
    unit: str
    period: str
    change_pct: float | None = None
    change_text: str | None = None
    releases: list[int] = field(default_factory=list)
    query: dict[str, Any] | None = None
    release_text: str | None = None
    scope: str | None = None
    aside: str | None = None


@dataclass
class Figure:
    """A chart: a Vega-Lite specification with a title and the releases behind its data.

    ``note`` says, in words, how the chart relates to the reader's filters when it does not
    simply follow them (a national series under a state filter, a ranking that highlights).
    """

    key: str
    title: str
    spec: dict[str, Any]
    releases: list[int] = field(default_factory=list)
    note: str | None = None


@dataclass
class Table:
    """A table of values: header labels and rows of cells (``Value`` or plain text), and a note
    on what it leaves out or how it relates to the reader's filters."""

    title: str
    columns: list[str]
    rows: list[list[Value | str]]
    note: str | None = None


@dataclass
class Section:
    """One part of the brief, or one dashboard page.

    Attributes:
        key: registry name (``seizures``); also the dashboard path.
        title: heading in the reader's language.
        lead: one or two sentences saying what the section shows.
        values: headline numbers.
        figures: charts.
        tables: tables of numbers.
        notes: caveats from the metrics layer and the section.
        releases: provenance of every release id mentioned in the section.
        filters: the filters the section was built with.
        extra: section-specific data (e.g. claim verdicts) for templates and the JSON twin.
    """

    key: str
    title: str
    lead: str
    values: list[Value] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    releases: dict[int, dict[str, Any]] = field(default_factory=dict)
    filters: dict[str, str | None] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["releases"] = [self.releases[k] for k in sorted(self.releases)]
        return data


@dataclass(frozen=True)
class Filters:
    """What a reader narrowed a page to. Each section reads the fields that apply to it.

    Attributes:
        drug: a drug name or code (seizures).
        place: a place in the section's place dimension (region, state, reporter…).
        period: a period as the metrics layer reads it (``FY2019..FY2025``).
    """

    drug: str | None = None
    place: str | None = None
    period: str | None = None


@dataclass
class Context:
    """What a section function needs: the engine, the language and the reader's filters.

    Attributes:
        engine: a read-only metrics engine (the libraries read stored runs through it too).
        catalog: the reader's language.
        filters: the reader's filters.
        lock: held around every engine call (the web app shares one engine across threads).
        today: the date the section is written as of (the brief's date; None: the day it runs).
    """

    engine: Engine
    catalog: Catalog
    filters: Filters = Filters()
    lock: AbstractContextManager[Any] = field(default_factory=nullcontext)
    today: date | None = None

    def run(self, query: Query) -> Result:
        """Ask the metrics layer."""
        with self.lock:
            return self.engine.run(query)


def releases_of(result: Result) -> list[int]:
    """The release ids an answer was read from."""
    return [int(r["release_id"]) for r in result.releases]


def collect(section: Section, result: Result) -> list[int]:
    """Add an answer's provenance to the section; return its release ids.

    The metrics layer's notes are English; they go to ``extra["metrics_notes"]`` (the JSON twin),
    while readers see the section's caveats from the message catalog.
    """
    for release in result.releases:
        section.releases[int(release["release_id"])] = release
    notes = section.extra.setdefault("metrics_notes", [])
    notes.extend(n for n in result.notes if n not in notes)
    return releases_of(result)
