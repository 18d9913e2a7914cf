"""Sections from the registry of who and when: "what happened" (the brief's events of the twelve
months before its date) and the dashboard's timeline page.

Both read the validated registry (``borderflow.registry``) and present its events with their
sources, in the reader's language; a date keeps the precision the source gives (a month, a year).
The dashboard's timeline narrows to a period with its ``period`` filter (``2025..2026``,
``2025-01..2025-06``). ``add_event_markers`` draws chosen events on a section's time charts
(the dashboard's ``events=`` parameter) as dated markers: a marker is a date, not a cause.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from borderflow.registry import Event, load_registry, recent, timeline
from borderflow.registry.schema import EVENT_KINDS
from borderflow.registry.views import timeline_view
from borderflow.report import charts
from borderflow.report.i18n import Catalog
from borderflow.report.model import Context, Section, Table


def what_happened(ctx: Context) -> Section:
    """The registry's events of the twelve months up to the context's date (the brief's date;
    the day it runs when the context has none)."""
    c = ctx.catalog
    day = ctx.today or date.today()
    registry = load_registry()
    events = recent(registry, day)
    section = Section(
        key="what_happened",
        title=c.t("what_happened.title"),
        lead=c.t("what_happened.lead", date=c.day(day)),
    )
    rows = [event_row(ctx, e.to_dict(c.lang)) for e in events]
    if rows:
        section.tables.append(_table(ctx, rows))
    else:
        section.notes.append(c.t("registry.what_happened_empty", date=c.day(day)))
    section.notes.append(_provenance_note(ctx, registry.provenance.to_dict()))
    section.extra = {"events": [e.to_dict(c.lang) for e in events], "as_of": day.isoformat()}
    return section


def timeline_page(ctx: Context) -> Section:
    """Every event of the registry (or those of the reader's period), with sources."""
    c = ctx.catalog
    start, end = _period(ctx.filters.period)
    view = timeline_view(load_registry(), start=start, end=end, lang=c.lang)
    section = Section(key="timeline", title=c.t("timeline.title"), lead=c.t("timeline.lead"))
    rows = [event_row(ctx, e) for e in view["events"]]
    section.tables.append(_table(ctx, rows))
    section.notes.append(_provenance_note(ctx, view["registry"]))
    section.extra = {"events": view["events"], "registry": view["registry"]}
    return section


def _period(text: str | None) -> tuple[str | None, str | None]:
    if not text:
        return None, None
    first, _, last = text.partition("..")
    return first.strip() or None, (last or first).strip() or None


def event_row(ctx: Context, event: dict[str, Any]) -> list[Any]:
    c = ctx.catalog
    source = event["source"]
    cited = f"{source['publisher']}, {source['date']}: {source['title']} — {source['url']}"
    return [event["date"], c.t(f"registry.kind.{event['kind']}"), event["title"], cited]


def _table(ctx: Context, rows: list[list[Any]]) -> Table:
    c = ctx.catalog
    columns = [c.t(f"registry.{k}") for k in ("col_date", "col_kind", "col_event", "col_source")]
    return Table(title=c.t("timeline.title"), columns=columns, rows=rows)


def _provenance_note(ctx: Context, provenance: dict[str, Any]) -> str:
    digest = provenance["files"]["events.csv"]["sha256"][:12]
    return ctx.catalog.t("registry.provenance", date=provenance["checked"], digest=digest)


def chosen_events(text: str) -> list[Event]:
    """The events ``events=`` names: comma-separated event ids, event kinds, or the id or name
    of an actor or agreement (its events).

    Raises:
        BorderflowError: an item names none of these (close names suggested).
    """
    registry = load_registry()
    chosen: dict[str, Event] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        if item in EVENT_KINDS:
            found = [e for e in registry.events.values() if e.kind == item]
        else:
            found = timeline(registry, subject=registry.resolve(item).id)
        chosen.update((e.id, e) for e in found)
    return sorted(chosen.values(), key=lambda e: (e.date.first, e.id))


def add_event_markers(section: Section, catalog: Catalog, events: str | None) -> Section:
    """The section with the chosen events drawn on each of its time charts, and the note that
    a marker is a date, not a cause; ``extra["markers_asked"]`` keeps ``events`` as asked, so
    the page's filter form sends it again when the reader changes a filter."""
    if not events or not events.strip():
        return section
    chosen = chosen_events(events)
    markers = [
        {
            "date": e.date.first.isoformat(),
            "label": e.title(catalog.lang),
            "day": str(e.date),
            "id": e.id,
        }
        for e in chosen
    ]
    note = catalog.t("registry.marker_note")
    title = catalog.t("registry.markers_legend")
    for figure in section.figures:
        drawn = charts.with_markers(figure.spec, markers, title=title)
        if drawn is not figure.spec:
            figure.spec = drawn
            figure.note = f"{figure.note} {note}" if figure.note else note
    section.extra = {
        **section.extra,
        "markers": markers,
        "marker_note": note,
        "markers_asked": events.strip(),  # sent again by the page's filter form
    }
    return section
