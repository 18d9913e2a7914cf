"""Dated events of the people the registry names: "Ovidio Guzmán fue entregado a las autoridades
estadounidenses el 15 de septiembre de 2023", "El Mayo Zambada and Joaquín Guzmán López were
arrested in El Paso on July 25, 2024", "la cumbre de Biden y Xi en noviembre de 2023".

A sentence is checked against an event when it names its people (every party to a meeting,
any one of those arrested, extradited or handed over), a word of the event's kind (``event_kinds``
in ``data/lexicon.toml``: "extraditado", "arrested", "cumbre") and one date. The date agrees when
it names the event's day, month or year at the precision written (``facts._same``, weekdays
counted from the text's own date included): **supported**. Otherwise **unverifiable**, with the
registry's dates shown — never contradicted: the registry holds some of a person's arrests,
extraditions and meetings, not every one ("El Chapo" was captured in 2014 and again in 2016).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

from borderflow.claims.explain import day_value, items, localized, message, why
from borderflow.claims.facts import (
    FactFinding,
    FactMemory,
    Written,
    _event_words,
    _same,
    _source,
    fact,
    written_dates,
)
from borderflow.claims.lexicon import fold, load_lexicon, phrase_pattern
from borderflow.registry import load_registry

#: How far (characters) the date may be written from the event's word.
NEAR = 140


@dataclass(frozen=True)
class PersonEvent:
    """An event of the registry with the people who had a part in it."""

    id: str
    kind: str
    people: tuple[re.Pattern[str], ...]  # one pattern per person
    row: dict[str, str]  # the event as ``facts`` shows one (date, label, source)


@functools.cache
def _kind_words() -> dict[str, re.Pattern[str]]:
    table = load_lexicon().tables.get("event_kinds", {})
    return {kind: re.compile(phrase_pattern(list(words))) for kind, words in table.items()}


@functools.cache
def _person_events() -> tuple[PersonEvent, ...]:
    registry = load_registry()
    people = {a.id: a for a in registry.actors.values() if a.kind == "person"}
    out = []
    for event in registry.events.values():
        if event.kind not in _kind_words():
            continue
        who = sorted({r.actor for r in registry.roles_in(event.id) if r.actor in people})
        if not who:
            continue
        patterns = tuple(
            re.compile(phrase_pattern(sorted({fold(n) for n in people[p].names.all()})))
            for p in who
        )
        row = {  # an event as ``facts`` shows one (``_event_words``, ``_source``, ``_same``)
            "event_id": event.id,
            "event": event.kind,
            "date": event.date.first.isoformat(),
            "date_precision": event.date.precision,
            "shown": str(event.date),
            "label": event.title_en,
            "title_es": event.title_es,
            "source_title": event.source.title,
            "source_url": event.source.url,
            "source_publisher": event.source.publisher,
        }
        out.append(PersonEvent(event.id, event.kind, patterns, row))
    return tuple(out)


def check_people(sentence: str, published: date, memory: FactMemory) -> list[FactFinding]:
    """The dates a sentence gives the events of the people it names."""
    folded = fold(sentence)
    kinds = {k: m for k, p in _kind_words().items() if (m := p.search(folded)) is not None}
    if not kinds:
        return []
    # names read without their quotes: 'Ismael "Mayo" Zambada' is Ismael Zambada
    bare = re.sub(r"\s+", " ", _QUOTES.sub("", folded))
    named = [e for e in _person_events() if e.kind in kinds and _names_people(e, bare)]
    if not named:
        return []
    word = min((kinds[e.kind] for e in named), key=lambda m: m.start())
    dates = [
        w
        for w in written_dates(folded, published, memory.year)
        if max(w.start - word.end(), word.start() - w.end, 0) <= NEAR
    ]
    if len(dates) != 1:
        return []
    return [_finding(sentence, dates[0], named)]


def _names_people(event: PersonEvent, text: str) -> bool:
    """Whether ``text`` names the event's people: every party of a meeting ("Biden y Xi"),
    any one of those arrested or extradited ("El Mayo fue capturado el 25 de julio")."""
    named = [p.search(text) is not None for p in event.people]
    return all(named) if event.kind == "meeting" else any(named)


_QUOTES = re.compile(r"[\"“”‘’«»']")


def _finding(sentence: str, written: Written, events: list[PersonEvent]) -> FactFinding:
    rows = [e.row for e in events]
    timeline = items([message("claims.fact.event", **_event_words(r)) for r in rows])
    name = localized(rows[0]["label"], rows[0]["title_es"])
    shown = day_value(written.day.isoformat()[: {"year": 4, "month": 7}.get(written.precision, 10)])
    if any(_same(written, r) for r in rows):
        verdict, reason = "supported", why("agreement", name=name, timeline=timeline)
    else:
        verdict = "unverifiable"
        reason = why("person_event_doubt", name=name, shown=shown, timeline=timeline)
    return FactFinding(
        sentence[written.start : written.end],
        written.start,
        verdict,
        fact("claimed_date", name=name, date=shown),
        fact("event_list", timeline=timeline),
        reason,
        tuple(_source(r) for r in rows),
    )
