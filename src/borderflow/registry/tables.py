"""The registry as the flat rows the claim checker compares sentences with: the dated events of
each instrument and bilateral body, each chemical with its control events, and an instrument's
parties and signatories."""

from __future__ import annotations

import re
from dataclasses import dataclass

from borderflow.registry.model import Actor, Event, Instrument, Names, When
from borderflow.registry.queries import concerning
from borderflow.registry.records import Registry
from borderflow.registry.schema import SIGNATORY_ROLES

#: Kinds of actor whose dated events a sentence can name, like an agreement's.
DATED_BODIES = ("bilateral_body",)
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
#: A date an announcement's English title names: "on January 23, 2026", "in February 2026".
_TITLE_DATE = re.compile(rf"\b({'|'.join(_MONTHS)})(?: (\d{{1,2}}))?,? ((?:19|20)\d\d)\b")


@dataclass(frozen=True)
class _Announced:
    """Something an announcement names by its id alone (``security_ministerial``): a subject
    whose only dates are the announcement's and the one it was scheduled for."""

    id: str
    names: Names


def scheduled(event: Event) -> list[When]:
    """The dates an announcement's title schedules something for, after the announcement."""
    if event.kind != "announcement":
        return []
    found = []
    for month, day, year in _TITLE_DATE.findall(event.title_en):
        number = _MONTHS.index(month) + 1
        when = When.parse(f"{year}-{number:02d}" + (f"-{int(day):02d}" if day else ""))
        if when.first > event.date.last:
            found.append(when)
    return found


def fact_rows(registry: Registry, name: str) -> list[dict[str, str]]:
    """``agreements``: one row per dated event of an instrument or bilateral body (its names,
    the event's step, date and precision, source); ``precursors``: one row per chemical with
    its control events as text. Other names: no rows."""
    if name == "agreements":
        return _agreement_rows(registry)
    if name == "precursors":
        return _chemical_rows(registry)
    return []


def _dated_subjects(registry: Registry) -> list[Instrument | Actor | _Announced]:
    """Instruments, bilateral bodies, and what announcements schedule under an id of its own
    (an announcement whose id no instrument or body id begins: ``security_ministerial``)."""
    bodies = [a for a in registry.actors.values() if a.kind in DATED_BODIES]
    prefixes = tuple(f"{key}_" for key in [*registry.instruments, *(b.id for b in bodies)])
    announced = [
        _Announced(e.id, Names(e.id.replace("_", " ").title(), ""))
        for e in registry.events.values()
        if scheduled(e) and not e.id.startswith(prefixes)
    ]
    return [*registry.instruments.values(), *bodies, *announced]


def _events_of(registry: Registry, subject: Instrument | Actor | _Announced) -> list[Event]:
    """A subject's events: its own, the ones it has a role in, and the ones its id names."""
    if isinstance(subject, _Announced):
        return [registry.events[subject.id]]
    keys = concerning(registry, subject.id)
    if isinstance(subject, Actor):  # a body's events, not those of everything it is party to
        keys = {r.subject for r in registry.roles_of(subject.id)} & set(registry.events)
    keys |= {k for k in registry.events if k.startswith(subject.id + "_")}
    return sorted((registry.events[k] for k in keys), key=lambda e: (e.date.first, e.id))


def _agreement_rows(registry: Registry) -> list[dict[str, str]]:
    rows = []
    for subject in _dated_subjects(registry):
        for event in _events_of(registry, subject):
            step = event.id.removeprefix(subject.id + "_")
            if step == event.id and isinstance(subject, _Announced):
                step = "announced"
            row = _row(subject, event, step if step != event.id else f"{step} {event.kind}")
            rows.append(row)
            for when in scheduled(event):
                label = f"scheduled (announced {event.date})"
                rows.append(_row(subject, event, "scheduled", label, when))
    return rows


def _row(
    subject: Instrument | Actor | _Announced,
    event: Event,
    step: str,
    label: str | None = None,
    when: When | None = None,
) -> dict[str, str]:
    day = when or event.date
    return {
        "id": subject.id,
        "name_en": subject.names.en,
        "name_es": subject.names.es,
        "aliases": ";".join(subject.names.aliases),
        "event_id": event.id,
        "event": step,
        "label": label or step.split(" ")[0].replace("_", " "),
        "title": event.title_en,
        "date": day.first.isoformat(),
        "shown": str(day),
        "date_precision": day.precision,
        "source_title": event.source.title,
        "source_url": event.source.url,
        "source_publisher": event.source.publisher,
    }


def _chemical_rows(registry: Registry) -> list[dict[str, str]]:
    rows = []
    for chemical in registry.chemicals.values():
        events = [e for e in registry.events.values() if chemical.id in e.chemicals]
        events.sort(key=lambda e: e.date.first)
        controls = ";".join(_control_text(registry, e) for e in events)
        rows.append({
            "id": chemical.id,
            "name": chemical.name,
            "aliases": ";".join(chemical.aliases),
            "cas": chemical.cas,
            "precursor_of": ";".join(chemical.precursor_of),
            "role": chemical.role,
            "controls": controls or "none recorded in the registry",
            "control_date": str(events[0].date) if events else "",
            "source_title": chemical.source.title,
            "source_url": chemical.source.url,
        })  # fmt: skip
    return rows


def _control_text(registry: Registry, event: Event) -> str:
    instrument = registry.instruments.get(event.instrument)
    name = f" ({instrument.names.en})" if instrument else ""
    return f"{event.title_en}{name} {event.date}"


def signatories(registry: Registry, instrument: str) -> set[str]:
    """Actors with a party or signatory role in the instrument or in its signing, and the
    bodies above them (an agency signing binds its government). Taking part in one of its
    meetings does not make an actor a party."""
    signings = {
        k for k, e in registry.events.items() if e.instrument == instrument and e.kind == "signing"
    }
    subjects = {instrument} | signings
    found = {r.actor for r in registry.roles if r.subject in subjects and r.role in SIGNATORY_ROLES}
    for actor in list(found):
        parent = registry.actors[actor].parent
        while parent and parent not in found:
            found.add(parent)
            parent = registry.actors[parent].parent
    return found
