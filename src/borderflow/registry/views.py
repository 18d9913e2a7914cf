"""The registry's answers as plain data (JSON-ready), shared by the CLI, the API, the dashboard
and the brief, so each presents the same thing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from borderflow.errors import BorderflowError
from borderflow.registry.model import Actor, When
from borderflow.registry.queries import profile, timeline
from borderflow.registry.records import Registry


def parse_bound(text: str | None, edge: str) -> When | None:
    """A ``from``/``to`` bound written YYYY, YYYY-MM or YYYY-MM-DD (``None`` when empty).

    Raises:
        BorderflowError: the text is not such a date.
    """
    if not text:
        return None
    try:
        return When.parse(text)
    except ValueError as exc:
        raise BorderflowError(f"{edge}: {exc}") from None


def timeline_view(
    registry: Registry,
    *,
    actor: str | None = None,
    start: str | None = None,
    end: str | None = None,
    kinds: Iterable[str] = (),
    lang: str = "en",
) -> dict[str, Any]:
    """The events asked for, with what they concern and the registry's provenance.

    ``actor`` is an id or a name in either language; ``start``/``end`` are dates at any
    precision (``from`` takes the first day, ``to`` the last).

    Raises:
        UnknownName: ``actor`` names nothing (the message suggests close names).
        BorderflowError: a bound or kind cannot be read.
    """
    subject = registry.resolve(actor).id if actor else None
    first, last = parse_bound(start, "from"), parse_bound(end, "to")
    events = timeline(
        registry,
        subject=subject,
        start=first.first if first else None,
        end=last.last if last else None,
        kinds=[k for k in kinds if k],
    )
    return {
        "subject": subject,
        "subject_name": registry.label(subject, lang) if subject else None,
        "lang": lang,
        "count": len(events),
        "events": [e.to_dict(lang) for e in events],
        "registry": registry.provenance.to_dict(),
    }


def actor_view(registry: Registry, name: str, lang: str = "en") -> dict[str, Any]:
    """An actor's profile (names, parent, sub-agencies, dated relations) with provenance.

    Raises:
        UnknownName: nothing has that name.
        BorderflowError: the name is not an actor's (an agreement, an event).
    """
    found = registry.resolve(name)
    if not isinstance(found, Actor):
        raise BorderflowError(
            f"{name!r} is {found.id}, not an actor; its events: `borderflow timeline --actor "
            f"{found.id}`."
        )
    return {
        **profile(registry, found.id).to_dict(registry, lang),
        "registry": registry.provenance.to_dict(),
    }
