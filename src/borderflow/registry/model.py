"""The registry's typed records: actors, instruments, events, roles and chemicals.

Every record carries its ``Citation`` (where it was read and when that was checked) and the
row of the file it came from. Dates are ``When`` values: a day, a month or a year, as precise
as the source is, never padded into false precision.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

PRECISIONS: tuple[str, ...] = ("year", "month", "day")
_WHEN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True, order=True)
class When:
    """A date known to a year, a month or a day: the span ``first``–``last`` it may be.

    Attributes:
        first: the first day it may be (Jan 1 for a year, the 1st for a month).
        last: the last day it may be.
        precision: ``year``, ``month`` or ``day``.
    """

    first: date
    last: date
    precision: str

    @classmethod
    def parse(cls, text: str) -> When:
        """``"2007"``, ``"2007-10"`` or ``"2007-10-22"`` as a ``When``.

        Raises:
            ValueError: the text is not one of those forms, or names no real date
                (``2025-02-30``, month 13).
        """
        match = _WHEN.fullmatch(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a date written YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if month is None:
            return cls(date(year, 1, 1), date(year, 12, 31), "year")
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r}: there is no month {month}")
        if day is None:
            return cls(date(year, month, 1), _month_end(year, month), "month")
        return cls(_day(text, year, month, day), _day(text, year, month, day), "day")

    def __str__(self) -> str:
        return self.first.isoformat()[: {"year": 4, "month": 7}.get(self.precision, 10)]

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last


def _day(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a real day ({year}-{month:02d} has no day {day})"
        ) from None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Citation:
    """Where a fact was read: the page, its publisher, date and title, and when it was checked."""

    url: str
    publisher: str
    published: When
    title: str
    checked: date

    def to_dict(self) -> dict[str, str]:
        return {
            "url": self.url,
            "publisher": self.publisher,
            "date": str(self.published),
            "title": self.title,
            "checked": self.checked.isoformat(),
        }


@dataclass(frozen=True)
class Names:
    """A thing's name in English and Spanish, and the other names it goes by."""

    en: str
    es: str
    aliases: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return (self.es if lang == "es" else self.en) or self.en

    def all(self) -> tuple[str, ...]:
        return tuple(n for n in (self.en, self.es, *self.aliases) if n)


@dataclass(frozen=True)
class Actor:
    """A government, agency, bilateral body, legislature, criminal organisation, international
    body or person."""

    id: str
    kind: str
    names: Names
    country: str
    wikidata: str
    parent: str
    source: Citation
    row: int

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "id": self.id,
            "type": "actor",
            "kind": self.kind,
            "name": self.names.label(lang),
            "name_en": self.names.en,
            "name_es": self.names.es,
            "aliases": list(self.names.aliases),
            "country": self.country or None,
            "wikidata": self.wikidata or None,
            "parent": self.parent or None,
            "source": self.source.to_dict(),
        }


@dataclass(frozen=True)
class Instrument:
    """An agreement, program, treaty, designation, law, scheduling or precursor-control rule,
    sanction or tariff: something that can be in force."""

    id: str
    kind: str
    names: Names
    wikidata: str
    start: When | None
    end: When | None
    summary_en: str
    summary_es: str
    source: Citation
    row: int

    def summary(self, lang: str) -> str:
        return (self.summary_es if lang == "es" else self.summary_en) or self.summary_en

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "id": self.id,
            "type": "instrument",
            "kind": self.kind,
            "name": self.names.label(lang),
            "aliases": list(self.names.aliases),
            "wikidata": self.wikidata or None,
            "start": str(self.start) if self.start else None,
            "end": str(self.end) if self.end else None,
            "summary": self.summary(lang),
            "source": self.source.to_dict(),
        }


@dataclass(frozen=True)
class Figure:
    """A number an event's source states: its kind (``figure_kinds.csv``) and value
    (``tariff_percent=25``, ``persons=29``)."""

    kind: str
    value: float

    def __str__(self) -> str:
        return f"{self.kind}={self.value:g}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value}


@dataclass(frozen=True)
class FigureKind:
    """A kind of figure an event may carry, with the words that name it in a sentence.

    Attributes:
        kind: the key written in ``events.csv`` (``tariff_percent``).
        unit: ``percent``, ``count`` or ``days``: how the number is written.
        label_en, label_es: what the figure counts, for a reader.
        words: the words written next to the number, in English and Spanish (folded).
        event_words: word stems saying the event itself happened (``extradit``, ``entreg``).
    """

    kind: str
    unit: str
    label_en: str
    label_es: str
    words: tuple[str, ...]
    event_words: tuple[str, ...]


@dataclass(frozen=True)
class Event:
    """Something that happened on a date: a meeting, signing, designation, extradition…"""

    id: str
    kind: str
    date: When
    end: When | None
    instrument: str
    chemicals: tuple[str, ...]
    title_en: str
    title_es: str
    summary_en: str
    summary_es: str
    contests: str
    source: Citation
    row: int
    figures: tuple[Figure, ...] = ()

    def title(self, lang: str) -> str:
        return (self.title_es if lang == "es" else self.title_en) or self.title_en

    def summary(self, lang: str) -> str:
        return (self.summary_es if lang == "es" else self.summary_en) or self.summary_en

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "date": str(self.date),
            "precision": self.date.precision,
            "end": str(self.end) if self.end else None,
            "instrument": self.instrument or None,
            "chemicals": list(self.chemicals),
            "title": self.title(lang),
            "summary": self.summary(lang),
            "contests": self.contests or None,
            "figures": [f.to_dict() for f in self.figures],
            "source": self.source.to_dict(),
        }


@dataclass(frozen=True)
class Role:
    """An actor's part in an event or instrument (party, host, designated, extradited…)."""

    subject: str
    actor: str
    role: str
    source: Citation
    row: int


@dataclass(frozen=True)
class Chemical:
    """A chemical and what it is to which drug (precursor, metabolite, not a precursor)."""

    id: str
    name: str
    aliases: tuple[str, ...]
    cas: str
    precursor_of: tuple[str, ...]
    role: str
    source: Citation
    row: int

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "id": self.id,
            "type": "chemical",
            "name": self.name,
            "aliases": list(self.aliases),
            "cas": self.cas or None,
            "precursor_of": list(self.precursor_of),
            "role": self.role,
            "source": self.source.to_dict(),
        }
