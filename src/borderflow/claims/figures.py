"""Numbers a registry event's own source states: tariff rates, people handed over, chemicals
controlled, votes, deadlines in days ("aranceles del 25% a productos mexicanos", "29
narcotraficantes extraditados", "13 precursores químicos", "410 votos a favor, 24 en contra",
"a plazo de 180 días").

A number is a *figure mention* when the words of a figure kind (``figure_kinds.csv`` in the
registry's folder: "tariff"/"arancel" for a percent, "narcotraficantes"/"cartel figures" for
people, "precursores"/"chemicals", "votos a favor", "días") are written next to it: right after
it (or, for a percent, right before it — "aranceles del 25%") binds it *directly*; a few words
after it, or earlier in its comma-delimited stretch for a percent, binds it *loosely*.

The events it is compared with are those of an instrument the sentence names, with the matching
``facts.check_agreements`` uses (the previous sentence's instrument when this one names none),
else events that name themselves: the figure's kind, a word saying the event happened
("extraditados", "entregó", "aranceles"), an actor of the event or its instrument named (its
name, its government's, or the country's demonym: "productos mexicanos"; not one who only signed
or announced it — "Trump" names no tariff in particular), and a date no later
than two months after the text's publication and no earlier than two years before it; when the
sentence names none, the events the sentence before named that way ("La Cámara aprobó la
reforma. La iniciativa fue respaldada por 410 votos a favor").

Verdicts, precision first: **supported** when the number equals a figure of any of those events
at the precision written (the checker's tolerance, ``verify.supports``; EO 14195 was 10%, then
20%, then 10% again: each is supported); **contradicted** only when the number is bound beyond
doubt — bound directly, to a named instrument of which exactly one event (contested versions
counted once) carries the kind, with one value, and no other event of the same kind could hold
another unrecorded figure — and, for counts and days, it is above the figure (a smaller count
may be a part: "six of the eight cartels"); otherwise **unverifiable**, with the registry's
figures shown.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from borderflow.claims.document import MONTHS
from borderflow.claims.explain import day_value, items, localized, message, why
from borderflow.claims.extract import NUMBER, Mention, Number, lexicon_key, read_number
from borderflow.claims.facts import (
    FactFinding,
    FactMemory,
    agreements,
    fact,
)
from borderflow.claims.lexicon import fold, load_lexicon, phrase_pattern
from borderflow.claims.verify import supports
from borderflow.claims.when import latest_day
from borderflow.reference.gazetteer import load_gazetteer
from borderflow.registry import Event, Registry, load_registry
from borderflow.registry.figures import figure_kinds
from borderflow.registry.model import FigureKind

#: How long after publication an event may be and still be what the text speaks of (a tariff
#: "to take effect on March 4", written on March 1).
AHEAD = timedelta(days=60)
#: How long before publication an event that names itself may be ("in February, 29 capos").
BEHIND = timedelta(days=730)
#: Roles of actors who sign or announce many things: naming them ("Trump") does not say which
#: tariff a sentence is about; the countries it targets do.
BYSTANDER_ROLES = ("signatory", "announcing")
#: Words between a count and its kind's word ("29 de sus más notorios capos").
FILLER = 4
#: Words that join a percent to the tariff word before it ("aranceles del 25%").
_CONNECTOR = r"(?:\s+(?:del|de|of|at|al|a|en|por|by|to))?"
_PERCENT = r"\s*(?:%|por\s+ciento\b|percent\b|per\s+cent\b)"
_STRETCH_END = re.compile(r"[,;:()\[\]]")
_MONTH_AFTER = re.compile(
    r"\s+(?:de\s+)?(?:" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")\b"
)


@dataclass(frozen=True)
class FigureMention:
    """A number written next to a figure kind's words."""

    kind: FigureKind
    mention: Mention
    end: int
    direct: bool


# -- finding the numbers ------------------------------------------------------------------------


@functools.cache
def _number_pattern() -> re.Pattern[str]:
    lexicon = load_lexicon()
    qualifiers = [p for ps in lexicon.table("qualifiers").values() for p in ps]
    words = [  # "one", "un": an article more often than a figure
        str(w) for ps in lexicon.table("number_words").values() if ps[0] != 1 for w in ps[1:]
    ]
    return re.compile(
        rf"(?:(?P<qual>{phrase_pattern(qualifiers)})\s+)?"
        rf"(?P<num>{NUMBER}|{phrase_pattern(words)})"
        rf"(?:\s+(?P<scale>mil)(?![\w])(?:\s+(?P<extra>\d{{1,3}})(?!\d))?)?"
        rf"(?P<pct>{_PERCENT})?"
    )


@functools.cache
def _number_words() -> dict[str, float]:
    table = load_lexicon().table("number_words")
    return {fold(str(w)): float(ps[0]) for ps in table.values() for w in ps[1:]}


@functools.cache
def _kind_words() -> dict[str, str]:
    """Each kind's words as one alternation (folded, longest first)."""
    return {
        key: phrase_pattern(list(kind.words)).removeprefix(r"(?<![\w-])")
        for key, kind in figure_kinds().items()
    }


def figure_mentions(sentence: str) -> list[FigureMention]:
    """Every number of ``sentence`` written next to a figure kind's words, in order."""
    folded = fold(sentence)
    out = []
    for m in _number_pattern().finditer(folded):
        bound = _bind(folded, m)
        if bound is None:
            continue
        kind, end, direct = bound
        out.append(FigureMention(kind, _mention(sentence, m, kind, end), end, direct))
    return out


def _mention(sentence: str, m: re.Match[str], kind: FigureKind, end: int) -> Mention:
    raw = m.group("num")
    word = _number_words().get(raw)
    if word is not None:
        number = Number(word, 1.0, raw)
    else:
        number = read_number(raw, m.group("scale"), m.group("extra"))
    if number.precision > 1 and not m.group("scale"):  # "10 precursors" is ten, not 5 to 15
        number = Number(number.value, 1.0, number.text)
    qualifier = lexicon_key("qualifiers", m.group("qual")) if m.group("qual") else None
    return Mention("quantity", sentence[m.start() : end], m.start(), number, kind.unit, qualifier)


def _bind(folded: str, m: re.Match[str]) -> tuple[FigureKind, int, bool] | None:
    """The kind a number is bound to, where its words end, and whether directly."""
    raw, percent = m.group("num"), bool(m.group("pct"))
    if _MONTH_AFTER.match(folded, m.end()):  # "4 de marzo"
        return None
    year = not percent and re.fullmatch(r"(?:19|20)\d\d", raw) is not None
    loose: tuple[FigureKind, int, bool] | None = None
    for key, kind in figure_kinds().items():
        if (kind.unit == "percent") != percent:
            continue
        words = _kind_words()[key]
        after = re.compile(rf"\s*(?:de\s+|of\s+)?(?:{words})" if percent else rf"\s*(?:{words})")
        direct = after.match(folded, m.end())
        if direct is None and percent:
            before = rf"(?<![\w-])(?:{words}){_CONNECTOR}\s*\Z"
            direct = re.search(before, folded[: m.start()])
            if direct is not None:
                return kind, m.end(), True
        if direct is not None:
            return kind, direct.end(), True
        if year or kind.unit == "days" or loose is not None:
            continue
        loose = _loose(folded, m, kind, words)
    return loose


def _loose(
    folded: str, m: re.Match[str], kind: FigureKind, words: str
) -> tuple[FigureKind, int, bool] | None:
    """A kind's word a few words after the number, or for a percent anywhere earlier in its
    comma-delimited stretch."""
    near = re.compile(rf"(?:\s+[\w\-.'’]+){{1,{FILLER}}}?\s+(?:{words})")
    found = near.match(folded, m.end())
    if found is not None:
        return kind, found.end(), False
    if kind.unit == "percent":
        before = folded[: m.start()]
        cut = max((x.end() for x in _STRETCH_END.finditer(before)), default=0)
        if re.search(rf"(?<![\w-])(?:{words})", before[cut:]):
            return kind, m.end(), False
    return None


# -- the events named ---------------------------------------------------------------------------


@functools.cache
def _subjects() -> tuple[tuple[str, re.Pattern[str], frozenset[str]], ...]:
    """Each instrument or body the claim checker dates (``facts.agreements``): its id, the
    pattern of its names and its events' ids."""
    return tuple(
        (key, pattern, frozenset(r["event_id"] for r in rows))
        for key, (pattern, rows) in agreements().items()
    )


def _named_subjects(folded: str, memory: FactMemory) -> list[str]:
    named = [key for key, pattern, _ in _subjects() if pattern.search(folded)]
    if not named and memory.agreement:
        named = [memory.agreement]
    return named


def _name_spans(folded: str) -> list[tuple[int, int]]:
    return [m.span() for _, pattern, _ in _subjects() for m in pattern.finditer(folded)]


def _subject_events(registry: Registry, key: str) -> list[Event]:
    ids = next((ids for k, _, ids in _subjects() if k == key), frozenset())
    return sorted((registry.events[i] for i in ids), key=lambda e: (e.date.first, e.id))


@functools.cache
def _actor_pattern(event_id: str) -> re.Pattern[str] | None:
    """The names of the actors of an event and of its instrument, with the governments above
    them and their countries' demonyms ("mexicanos", "Chinese")."""
    registry = load_registry()
    event = registry.events[event_id]
    roles = [*registry.roles_in(event.id), *registry.roles_in(event.instrument)]
    actors = {r.actor for r in roles if r.role not in BYSTANDER_ROLES}
    for actor in list(actors):
        parent = registry.actors[actor].parent
        while parent and parent not in actors:
            actors.add(parent)
            parent = registry.actors[parent].parent
    names = {n for a in actors for n in registry.actors[a].names.all() if len(n) > 3}
    names |= _demonyms(names)
    return re.compile(phrase_pattern(sorted(names))) if names else None


def _demonyms(names: set[str]) -> set[str]:
    """The gazetteer's other names of the countries among ``names``, singular and plural."""
    folded = {fold(n) for n in names}
    out: set[str] = set()
    for country in load_gazetteer().members("reporter"):
        if fold(country.name_en) in folded or fold(country.name_es) in folded:
            out |= {form for a in country.aliases if len(a) > 3 for form in _forms(a)}
    return out


def _forms(demonym: str) -> tuple[str, ...]:
    """A demonym in the forms a sentence writes it: "mexicano", "mexicanas", "Mexicans"."""
    if demonym.endswith("o"):
        stem = demonym[:-1]
        return tuple(stem + end for end in ("o", "a", "os", "as"))
    return (demonym, f"{demonym}s")


def _in_window(event: Event, published: date, *, named: bool) -> bool:
    if event.date.first > latest_day(published) + AHEAD:
        return False
    return named or event.date.last >= published - BEHIND


def _happened(folded: str, kind: FigureKind) -> bool:
    pattern = _event_words(kind.kind)
    return pattern is not None and pattern.search(folded) is not None


@functools.cache
def _event_words(kind: str) -> re.Pattern[str] | None:
    stems = "|".join(re.escape(s) for s in figure_kinds()[kind].event_words)
    return re.compile(rf"(?<![\w])(?:{stems})") if stems else None


@functools.cache
def _events_with(kind: str) -> tuple[Event, ...]:
    return tuple(
        e for e in load_registry().events.values() if any(f.kind == kind for f in e.figures)
    )


def _carriers(events: list[Event], kind: str, published: date, *, named: bool) -> list[Event]:
    return [
        e
        for e in events
        if any(f.kind == kind for f in e.figures) and _in_window(e, published, named=named)
    ]


def _self_named(folded: str, kind: FigureKind, published: date) -> list[Event]:
    """Events carrying ``kind`` that the sentence names by what happened and who took part."""
    if not _happened(folded, kind):
        return []
    events = _carriers(list(_events_with(kind.kind)), kind.kind, published, named=False)
    return [e for e in events if (p := _actor_pattern(e.id)) is not None and p.search(folded)]


def _events_named(folded: str, published: date) -> list[str]:
    """The events carrying figures that a sentence names by what happened and who took part,
    whatever number it writes: the next sentence may give the figure ("La Cámara aprobó la
    reforma. La iniciativa fue respaldada por 410 votos a favor")."""
    found: list[str] = []
    for kind in figure_kinds().values():
        found += [e.id for e in _self_named(folded, kind, published) if e.id not in found]
    return found


# -- verdicts -----------------------------------------------------------------------------------


def check_figures(
    sentence: str, published: date, memory: FactMemory, mentions: list[Mention]
) -> tuple[list[FactFinding], list[Mention]]:
    """Findings on the event figures ``sentence`` writes, and the numeric ``mentions`` left
    for the series (a number judged here is the event's, not a series': "25% tariffs" is no
    change in seizures)."""
    folded = fold(sentence)
    recalled, memory.events = memory.events, _events_named(folded, published)
    written = figure_mentions(sentence)
    if not written:
        return [], mentions
    registry = load_registry()
    subjects = _named_subjects(folded, memory)
    names = _name_spans(folded)  # "licences for 13 precursor chemicals" names an instrument
    findings, spans = [], []
    for figure in written:
        if any(a <= figure.mention.start < b for a, b in names):
            continue
        finding, recall = _finding(
            sentence, folded, figure, registry, subjects, published, recalled
        )
        if finding is None:
            continue
        findings.append(finding)
        if recall and not memory.events:  # the story goes on about the same event
            memory.events = recalled
        if finding.verdict != "unverifiable":  # else the series may still answer it
            spans.append((figure.mention.start, figure.end))
    left = [
        m for m in mentions if not any(a < m.start + len(m.text) and m.start < b for a, b in spans)
    ]
    return findings, left


def _finding(
    sentence: str,
    folded: str,
    figure: FigureMention,
    registry: Registry,
    subjects: list[str],
    published: date,
    recalled: list[str],
) -> tuple[FactFinding | None, bool]:
    """The finding on one figure mention (None: no event it may be), and whether it was
    judged against the events the sentence before named."""
    kind = figure.kind.kind
    by_subject = {
        key: _carriers(_subject_events(registry, key), kind, published, named=True)
        for key in subjects
    }
    named = [e for events in by_subject.values() for e in events]
    itself = _self_named(folded, figure.kind, published)
    recall = not named and not itself
    if recall:  # the event the sentence before named ("La iniciativa fue respaldada por …")
        itself = _carriers([registry.events[i] for i in recalled], kind, published, named=False)
    candidates = list(dict.fromkeys([*named, *itself]))
    if not candidates:
        return None, False
    matching = [e for e in candidates if _agrees(figure, e)]
    if matching:
        verdict = "supported"
    elif figure.direct and _beyond_doubt(figure, registry, by_subject):
        verdict = "contradicted"
    else:
        verdict = "unverifiable"
    shown = matching or candidates
    return _fact_finding(sentence, figure, verdict, shown, registry), recall


def _agrees(figure: FigureMention, event: Event) -> bool:
    return any(
        f.kind == figure.kind.kind and supports(figure.mention, f.value) for f in event.figures
    )


def _beyond_doubt(
    figure: FigureMention, registry: Registry, by_subject: dict[str, list[Event]]
) -> bool:
    """Whether the number can only mean one recorded figure, and a wrong value is wrong."""
    if len(by_subject) != 1:
        return False
    ((key, carriers),) = by_subject.items()
    facts = {_fact_id(e) for e in carriers}
    if len(facts) != 1:
        return False
    event = carriers[0]
    values = {f.value for f in event.figures if f.kind == figure.kind.kind}
    same_kind = {_fact_id(e) for e in _subject_events(registry, key) if e.kind == event.kind}
    if len(values) != 1 or len(same_kind) != 1:
        return False
    (value,) = values
    return figure.kind.unit == "percent" or figure.mention.number.value > value


def _fact_id(event: Event) -> str:
    """One id for the versions of a contested fact (``contests`` links them)."""
    return min(event.id, event.contests) if event.contests else event.id


def _fact_finding(
    sentence: str, figure: FigureMention, verdict: str, events: list[Event], registry: Registry
) -> FactFinding:
    first = events[0]
    instrument = registry.instruments.get(first.instrument)
    name = (
        localized(instrument.names.en, instrument.names.es)
        if instrument is not None
        else localized(figure.kind.label_en, figure.kind.label_es)
    )
    listed = items([_event_figures(e, figure.kind.kind) for e in events])
    claimed = _figure(figure.kind, figure.mention.number.value)
    start = figure.mention.start
    return FactFinding(
        sentence[start : figure.end],
        start,
        verdict,
        fact("claimed_figure", name=name, figure=claimed),
        fact("event_list", timeline=listed),
        why(f"figure_{verdict}", name=name, events=listed, claimed=claimed),
        tuple(
            {"title": e.source.title, "url": e.source.url, "publisher": e.source.publisher}
            for e in events
        ),
    )


def _event_figures(event: Event, kind: str) -> dict[str, Any]:
    kinds = figure_kinds()
    values = [_figure(kinds[kind], f.value) for f in event.figures if f.kind == kind]
    return message(
        "claims.fact.figure_event",
        title=localized(event.title("en"), event.title("es")),
        date=day_value(str(event.date)),
        figures=items(values, ", "),
    )


def _figure(kind: FigureKind, value: float) -> dict[str, Any]:
    return message(
        f"claims.fact.figure_{kind.unit}",
        value=value,
        label=localized(kind.label_en, kind.label_es),
    )
