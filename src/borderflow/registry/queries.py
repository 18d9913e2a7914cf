"""Questions asked of the registry: a timeline, an actor's profile, whether an instrument was in
force on a day, and the events of the twelve months before a date.

Dates keep their precision: an event known to the month is in a range if any day of that month
is, and sorts by its first possible day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from borderflow.errors import BorderflowError
from borderflow.registry.model import Actor, Event, Instrument, Role, When
from borderflow.registry.records import Registry
from borderflow.registry.schema import EVENT_KINDS


def timeline(
    registry: Registry,
    *,
    subject: str | None = None,
    start: date | None = None,
    end: date | None = None,
    kinds: Iterable[str] = (),
) -> list[Event]:
    """Events in date order, filtered by what they concern, a date range and their kind.

    ``subject`` is an actor id (events it or one of its sub-agencies took part in, and events
    of the instruments it is party to), an instrument id (its events) or a chemical id (the
    events controlling it).

    Raises:
        BorderflowError: an unknown kind.
    """
    wanted = set(kinds)
    unknown = wanted - set(EVENT_KINDS)
    if unknown:
        raise BorderflowError(
            f"unknown event kind {', '.join(sorted(unknown))}; "
            f"known kinds: {', '.join(EVENT_KINDS)}."
        )
    chosen = concerning(registry, subject) if subject else set(registry.events)
    events = [
        e
        for key, e in registry.events.items()
        if key in chosen
        and (not wanted or e.kind in wanted)
        and (start is None or (e.end or e.date).last >= start)
        and (end is None or e.date.first <= end)
    ]
    return sorted(events, key=lambda e: (e.date.first, e.date.last, e.id))


def concerning(registry: Registry, subject: str) -> set[str]:
    """Ids of the events that concern ``subject`` (actor, instrument or chemical)."""
    if subject in registry.instruments:
        return {k for k, e in registry.events.items() if e.instrument == subject}
    if subject in registry.chemicals:
        return {k for k, e in registry.events.items() if subject in e.chemicals}
    if subject in registry.events:
        return {subject}
    family = {subject, *descendants(registry, subject)}
    subjects = {r.subject for r in registry.roles if r.actor in family}
    return {k for k, e in registry.events.items() if k in subjects or e.instrument in subjects}


def descendants(registry: Registry, actor: str) -> set[str]:
    """Every actor below ``actor`` (cbp under dhs, …)."""
    found: set[str] = set()
    todo = [actor]
    while todo:
        for child in registry.children_of(todo.pop()):
            if child.id not in found:
                found.add(child.id)
                todo.append(child.id)
    return found


def recent(registry: Registry, day: date, months: int = 12) -> list[Event]:
    """The events of the ``months`` months up to and including ``day`` (by their first day)."""
    index = day.year * 12 + day.month - 1 - months
    since = _clamped(index // 12, index % 12 + 1, day.day)
    return [e for e in timeline(registry, start=since, end=day) if e.date.first > since]


def _clamped(year: int, month: int, day: int) -> date:
    while True:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1


@dataclass(frozen=True)
class InForce:
    """Whether an instrument was in force on a day: ``yes``, ``no`` or ``unknown``, and why."""

    instrument: str
    day: date
    answer: str
    start: When | None
    end: When | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "day": self.day.isoformat(),
            "answer": self.answer,
            "start": str(self.start) if self.start else None,
            "end": str(self.end) if self.end else None,
            "reason": self.reason,
        }


def in_force(registry: Registry, instrument: str, day: date) -> InForce:
    """Was ``instrument`` in force on ``day``? From its entry-into-force and termination events
    where the registry has them, else its start and end.

    A day inside the precision of a start or end (the month an instrument took effect, known
    only to the month) is ``unknown``.
    """
    item = registry.instruments[instrument]
    start = _event_date(registry, instrument, "entry_into_force") or item.start
    end = _event_date(registry, instrument, "termination") or item.end
    name = item.names.en

    def answer(word: str, reason: str) -> InForce:
        return InForce(instrument, day, word, start, end, f"{name} {reason}")

    if start is None:
        return answer("unknown", "has no recorded start in the registry")
    if day < start.first:
        return answer("no", f"took effect {start}, after {day.isoformat()}")
    if end is not None and day > end.last:
        return answer("no", f"ended {end}, before {day.isoformat()}")
    if day <= start.last or (end is not None and day >= end.first):
        return answer("unknown", f"took effect {start} and ended {end or '—'}: too coarse to tell")
    ended = f", ended {end}" if end else ", no end recorded"
    return answer("yes", f"took effect {start}{ended}")


def _event_date(registry: Registry, instrument: str, kind: str) -> When | None:
    dates = [
        e.date for e in registry.events.values() if e.instrument == instrument and e.kind == kind
    ]
    return min(dates) if dates else None


@dataclass(frozen=True)
class Relation:
    """One dated relation of an actor: its role in an event or instrument."""

    role: Role
    subject: Event | Instrument
    when: When | None


@dataclass(frozen=True)
class Profile:
    """An actor with its parent, sub-agencies and dated relations."""

    actor: Actor
    parent: Actor | None
    children: list[Actor]
    relations: list[Relation]

    def to_dict(self, registry: Registry, lang: str = "en") -> dict[str, Any]:
        return {
            **self.actor.to_dict(lang),
            "parent": self.parent.to_dict(lang) if self.parent else None,
            "children": [{"id": c.id, "name": c.names.label(lang)} for c in self.children],
            "relations": [
                {
                    "subject": r.subject.id,
                    "subject_type": "event" if isinstance(r.subject, Event) else "instrument",
                    "name": registry.label(r.subject.id, lang),
                    "role": r.role.role,
                    "date": str(r.when) if r.when else None,
                    "source": r.role.source.to_dict(),
                }
                for r in self.relations
            ],
        }


def profile(registry: Registry, actor: str) -> Profile:
    """The actor's names, parent, sub-agencies and every role it has, in date order."""
    item = registry.actors[actor]
    relations = []
    for role in registry.roles_of(actor):
        subject = registry.events.get(role.subject) or registry.instruments[role.subject]
        when = subject.date if isinstance(subject, Event) else subject.start
        relations.append(Relation(role, subject, when))
    relations.sort(
        key=lambda r: (r.when is None, r.when.first if r.when else date.min, r.subject.id)
    )
    return Profile(item, registry.actors.get(item.parent), registry.children_of(actor), relations)
