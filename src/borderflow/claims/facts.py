"""Non-numeric facts: dates of U.S.–Mexico security agreements, bodies and events, whether an
instrument was in force on a day, and what chemicals are (or are not) precursors of which drugs.
All are checked against the registry of who and when (``borderflow.registry``: cited rows in
``borderflow/reference/registry``), never against code.

Agreements: a date written beside the name of an instrument (an agreement, program, framework)
or of a bilateral body ("the 2014 Merida Initiative", "signed in October 2021", "el 22 de octubre
de ese año", "después de 13 años de la puesta en marcha") is compared, at the precision it is
written with, with the registry's events of it — those the sentence's verb names (announced,
signed, met, funded, ended…), else the events that start it. A date after the text's
publication (a publication date on the 1st is taken as known to the month only) written of
something past ("the January 23rd meeting … yielded") cannot be checked: on that day it had
not happened. "In force" / "vigente" with a date asks whether the instrument was in force then;
"signed by" / "firmado por" names are compared with its parties and signatories.

Chemicals: a chemical named with a drug and a relation — precursor or production words, a
metabolite or drug-test context, or a control ("List I", "Table I", a year) — is compared with
its row: what it is a precursor of, its role, and the registry's control events naming it.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from borderflow.claims.document import MONTHS
from borderflow.claims.explain import (
    day_value,
    english,
    items,
    localized,
    message,
    render_why,
    why,
)
from borderflow.claims.lexicon import Lexicon, fold, load_lexicon, phrase_pattern
from borderflow.claims.spans import Taken
from borderflow.claims.when import latest_day
from borderflow.registry import Registry, in_force, load_registry
from borderflow.registry.schema import SIGNATORY_ROLES as SIGNATORY
from borderflow.registry.tables import fact_rows, signatories

#: Event-name prefixes that start an agreement; a bare date beside its name means one of these.
ORIGIN_EVENTS = (
    "announc",
    "sign",
    "launch",
    "establish",
    "creat",
    "adopt",
    "first",
    "found",
    "inaugurat",
    "enter",
    "agree",
    "start",
    "begin",
    "began",
    "initiat",
    "conceiv",
)
#: Verb phrases (folded) → the event-name prefixes they refer to.
#: Words of an instrument taking effect ("entrará en vigor el jueves", "effective May 1"): a
#: date of that event, not a question whether the instrument was in force then.
TAKES_EFFECT = (
    r"entr\w* en (?:vigor|efecto)|\btak\w* effect|\btook effect|\bgo\w* into effect"
    r"|\b(?:enter|enters|entered|entering|come|comes|came|coming) (?:into )?force\b"
    r"|\bwent into effect|\beffective\b|surt\w* efecto"
)
EVENT_VERBS: dict[str, tuple[str, ...]] = {
    TAKES_EFFECT: ("effective", "in_force", "entry", "enter"),
    r"announc|anunci|publicaron|joint statement|declaracion conjunta|unveil|presentaron": (
        "announc",
    ),
    r"\bsign|firm[oa]|firmaron|agreed|acordaron|adopt": ("sign", "adopt", "agreed"),
    r"launch|lanz|puesta en marcha|\bbegan\b|inici": ("launch", "first", "start", "announc"),
    r"\bmet\b|meeting|convened|inaugural|reunion|reunieron|\bsesion": (
        "first_meeting",
        "meeting",
        "second_meeting",
    ),
    r"\bfunded|funding|financ|appropriat": ("first_funded", "fund"),
    r"\bended|replaced|superseded|\bfin de|termino|sustitu|reemplaz": (
        "replaced",
        "ended",
        "termination",
    ),
    r"establish|establecieron|\bcreat|creado|creo\b": (
        "establish",
        "creat",
        "announc",
        "launch",
        "conceiv",
    ),
}
PRECURSOR_ROLES = (
    "precursor",
    "pre-precursor",
    "pre_precursor",
    "immediate precursor",
    "immediate_precursor",
)
PRODUCTION = re.compile(
    r"manufactur|produc|synthesi|\bmake\b|\bmade\b|elabora|fabrica|sintetiz"
    r"|precursor|used to make|usad[oa]s? para|empleado para"
)
METABOLITE = re.compile(r"metabolit|urine|orina|drug test|prueba de drogas|administered")
CONTROL = re.compile(
    r"\bcontrol|\blist i\b|\btable i\b|schedule ii|\bplaced\b|\blisted\b"
    r"|fiscaliza|lista i|cuadro i"
)

_M = "|".join(sorted((m for m in MONTHS if len(m) > 3 and m != "may"), key=len, reverse=True))
#: Month names a day number follows in English ("May 1"): "may" only there, where it is no verb.
_MD = f"{_M}|may"
_WEEKDAYS = {
    d: i
    for i, ds in enumerate(
        (
            ("monday", "lunes"),
            ("tuesday", "martes"),
            ("wednesday", "miercoles"),
            ("thursday", "jueves"),
            ("friday", "viernes"),
            ("saturday", "sabado"),
            ("sunday", "domingo"),
        )
    )
    for d in ds
}


#: "today" / "hoy" and "yesterday" / "ayer": the publication date, or the day before.
_TODAY_BACK = {"today": 0, "hoy": 0, "yesterday": 1, "ayer": 1}
_TODAY = re.compile(r"\b(?:today|hoy|yesterday|ayer)\b")
#: A weekday written alone ("announced Monday", "el jueves"), not after "this"/"last"/"este".
_DATE_AFTER = re.compile(rf",? (?:\d|(?:{_MD})\b)")
_BARE_WEEKDAY = re.compile(rf"\b({'|'.join(_WEEKDAYS)})\b")


@dataclass(frozen=True)
class FactFinding:
    """The verdict on one non-numeric fact.

    What was claimed, the official record and the rationale are messages (a key of
    ``report/i18n/<lang>.claims.toml`` and its values, see ``claims.explain``), with registry
    names and titles in both languages, so each reader gets them in theirs; ``claimed``,
    ``official`` and ``reason`` are their English text.
    """

    text: str
    start: int
    verdict: str
    claimed_why: dict[str, Any]
    official_why: dict[str, Any]
    why: dict[str, Any]
    sources: tuple[dict[str, str], ...]

    @property
    def claimed(self) -> str:
        return render_why(english(), self.claimed_why)

    @property
    def official(self) -> str:
        return render_why(english(), self.official_why)

    @property
    def reason(self) -> str:
        return render_why(english(), self.why)


def fact(key: str, **values: Any) -> dict[str, Any]:
    """A piece of a finding: message ``claims.fact.<key>`` and its values."""
    return {"key": f"claims.fact.{key}", "values": values}


@dataclass(frozen=True)
class Written:
    """A date as written, and how precisely (``day``, ``month`` or ``year``)."""

    start: int
    end: int
    day: date
    precision: str
    #: read from a weekday ("este viernes") or "today": only as exact as the text's own date
    relative: bool = False
    #: other days the words may mean ("el jueves": the last Thursday or the next)
    alternatives: tuple[date, ...] = ()

    @property
    def days(self) -> tuple[date, ...]:
        """Every day the words may mean, the likeliest first."""
        return (self.day, *self.alternatives)


@dataclass
class FactMemory:
    """What earlier sentences named: an agreement, a year, a drug."""

    agreement: str | None = None
    year: int | None = None
    drugs: list[str] = field(default_factory=list)
    #: events a sentence named by what happened and who took part (``claims/figures.py``)
    events: list[str] = field(default_factory=list)


#: Words saying a written date lies ahead of the text (it is announced, not reported).
AHEAD = re.compile(
    r"upcoming|\bnext\b|\bwill\b|scheduled|planned|\bto be held|expected to"
    r"|proxim[oa]|entrante|se reunira|programad|prevista|\bplanea|entraran?\b"
)
#: Words asking whether an instrument was in force on a day.
IN_FORCE = re.compile(r"\bin force|\bin effect|\bvigente|\ben vigor|\bvigor\b|still active")


@functools.cache
def reference_rows(name: str) -> tuple[dict[str, str], ...]:
    """The registry's facts as rows: ``agreements`` (one row per dated event of an instrument or
    bilateral body) and ``precursors`` (one row per chemical, with its control events)."""
    return tuple(fact_rows(load_registry(), name))


def _names(row: dict[str, str], *columns: str) -> list[str]:
    names = [row.get(c, "") for c in columns]
    names += (row.get("aliases") or "").split(";")
    return [n.strip() for n in names if n and len(n.strip()) > 2]


def _any_of(patterns: list[re.Pattern[str]]) -> re.Pattern[str]:
    """One pattern that matches where any of ``patterns`` does: one pass over a sentence tells
    whether it names anything at all, before each name is looked for on its own."""
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns) or r"(?!)")


def _loose(names: list[str]) -> str:
    """A pattern of names where hyphens and spaces are optional ("4ANPP" names "4-ANPP")."""
    return phrase_pattern(names).replace(r"\-", r"[-\s]?")


# -- agreements ---------------------------------------------------------------------------------


@functools.cache
def agreements() -> dict[str, tuple[re.Pattern[str], list[dict[str, str]]]]:
    """Each instrument or body the registry dates: the pattern of its names, its events' rows."""
    rows: dict[str, list[dict[str, str]]] = {}
    for row in reference_rows("agreements"):
        rows.setdefault(row["id"], []).append(row)
    return {
        key: (
            re.compile(
                _loose(sorted({n for r in events for n in _names(r, "name_en", "name_es")}))
            ),
            events,
        )
        for key, events in rows.items()
    }


def written_dates(folded: str, published: date, memory_year: int | None) -> list[Written]:
    """Dates written in a folded sentence, most precise first where they overlap."""
    out: list[Written] = []
    taken = Taken(len(folded))

    def add(
        m: re.Match[str],
        day: date | None,
        precision: str,
        relative: bool = False,
        alternatives: tuple[date, ...] = (),
    ) -> None:
        if day and not taken.overlaps(m.span()):
            taken.add(m.span())
            out.append(Written(m.start(), m.end(), day, precision, relative, alternatives))

    that_year = r"(?:ese|aquel|este) ano|that year"
    for m in re.finditer(rf"\b({_MD})\.? (\d{{1,2}})(?:st|nd|rd|th)?,? ((?:19|20)\d\d)\b", folded):
        add(m, _date(m.group(3), m.group(1), m.group(2)), "day")
    for m in re.finditer(
        rf"\b(\d{{1,2}}) de ({_M}) (?:de |del )?((?:19|20)\d\d|{that_year})", folded
    ):
        year = m.group(3) if m.group(3)[0].isdigit() else str(memory_year or "")
        add(m, _date(year, m.group(2), m.group(1)), "day")
    for m in re.finditer(rf"\b(\d{{1,2}}) ({_MD}),? ((?:19|20)\d\d)\b", folded):  # "8 October 2021"
        add(m, _date(m.group(3), m.group(2), m.group(1)), "day")
    for m in re.finditer(
        rf"\b({_MD})\.? (\d{{1,2}})(?:st|nd|rd|th)?\b(?! ?%| percent)|\b(\d{{1,2}}) de ({_M})\b"
        rf"|\b(\d{{1,2}}) ({_M})\b",  # "on Friday, 8 October" ("the top 10 may…": no month)
        folded,
    ):
        month, day = (
            (m.group(1), m.group(2))
            if m.group(1)
            else (m.group(4), m.group(3))
            if m.group(4)
            else (m.group(6), m.group(5))
        )
        add(m, _near(published, MONTHS[month], int(day)), "day")
    for m in re.finditer(rf"\b({_M}) (?:de |del |of )?((?:19|20)\d\d)\b", folded):
        add(m, _date(m.group(2), m.group(1), "1"), "month")
    for m in re.finditer(r"\b(?:este|esta|this|last|el pasado|the past) ([a-z]+)\b", folded):
        if m.group(1) in _WEEKDAYS:
            back = (published.weekday() - _WEEKDAYS[m.group(1)]) % 7
            add(m, published - timedelta(days=back), "day", relative=True)
    for m in _TODAY.finditer(folded):
        add(m, published - timedelta(days=_TODAY_BACK[m.group(0)]), "day", relative=True)
    for m in _BARE_WEEKDAY.finditer(folded):
        # "China announced Monday", "entrará en vigor el jueves": the last such day or the next
        # ("Friday, September 26, 2025" and "el jueves 20 de febrero" are the date after them)
        if _DATE_AFTER.match(folded, m.end()):
            continue
        last = published - timedelta(days=(published.weekday() - _WEEKDAYS[m.group(1)]) % 7)
        add(m, last, "day", relative=True, alternatives=(last + timedelta(days=7),))
    for m in re.finditer(
        r"\b(\d{1,2}) (?:anos|years) (?:de|después de|despues de|after|since)\b", folded
    ):
        add(m, date(published.year - int(m.group(1)), 1, 1), "year")
    for m in re.finditer(r"(?<!\d)((?:19|20)\d\d)(?!\d)", folded):
        add(m, date(int(m.group(1)), 1, 1), "year")
    for m in re.finditer(
        rf"\b(?:upcoming|next|proxim[oa]) ({_M})\b|\b({_M}) (?:proximo|entrante)\b", folded
    ):
        add(m, _near(published, MONTHS[m.group(1) or m.group(2)], 1), "month")
    return sorted(out, key=lambda w: w.start)


def _date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), MONTHS[month], int(day))
    except (ValueError, KeyError):
        return None


def _near(published: date, month: int, day: int) -> date | None:
    """The date with this month and day closest to publication."""
    options = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue
    return min(options, key=lambda d: abs((d - published).days), default=None)


def _same(claimed: Written, event: dict[str, str]) -> bool:
    official = date.fromisoformat(event["date"])
    precision = (
        "year"
        if "year" in (claimed.precision, event.get("date_precision"))
        else ("month" if "month" in (claimed.precision, event.get("date_precision")) else "day")
    )
    width = {"year": 4, "month": 7, "day": 10}[precision]
    return any(d.isoformat()[:width] == official.isoformat()[:width] for d in claimed.days)


@functools.lru_cache(maxsize=256)
def _events_for(folded: str, key: str) -> list[dict[str, str]]:
    """The events of agreement ``key`` the sentence's verb refers to, else those that start
    the agreement (remembered: a sentence may name the agreement many times)."""
    events = agreements()[key][1]
    ahead = [e for e in events if e["event"] == "scheduled"]
    if ahead and AHEAD.search(folded):  # what lies ahead: the dates it was scheduled for
        return ahead
    # every event a verb of the sentence names ("announced Monday … effective May 1": either)
    named = [
        e
        for e in events
        if any(
            re.search(verbs, folded) and any(p in e["event"].lower() for p in prefixes)
            for verbs, prefixes in EVENT_VERBS.items()
        )
    ]
    if named:
        return named
    return [e for e in events if e["event"].lower().startswith(ORIGIN_EVENTS)] or events


@functools.cache
def _descriptions() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]:
    """(instrument, its actors' pattern, its description's pattern) from the lexicon's
    ``described_instruments``."""
    table = load_lexicon().tables.get("described_instruments", {})
    return tuple(
        (key, re.compile(phrase_pattern(spec["actors"])), re.compile(_loose(spec["phrases"])))
        for key, spec in table.items()
        if key in agreements()
    )


def _names_in(folded: str) -> list[tuple[re.Match[str] | None, str]]:
    """Every instrument a sentence names, in its words or described by its actor and what the
    actor did; a name inside a description is the described instrument's."""
    names: list[tuple[re.Match[str] | None, str]] = (
        [(m, key) for key, (pattern, _) in agreements().items() for m in pattern.finditer(folded)]
        if _any_agreement().search(folded)
        else []
    )
    described = [
        (m, key)
        for key, actors, words in _descriptions()
        if actors.search(folded)
        for m in words.finditer(folded)
    ]
    if not described:
        return names

    def inside(m: re.Match[str] | None) -> bool:
        return m is not None and any(
            d.start() <= m.start() < d.end() or m.start() <= d.start() < m.end()
            for d, _ in described
        )

    kept = [(m, key) for m, key in names if not inside(m)]
    return sorted([*kept, *described], key=lambda mk: mk[0].start() if mk[0] else -1)


@functools.cache
def _any_agreement() -> re.Pattern[str]:
    return _any_of([pattern for pattern, _ in agreements().values()])


def check_agreements(sentence: str, published: date, memory: FactMemory) -> list[FactFinding]:
    """Dates written beside an agreement's name, against the agreements timeline."""
    folded = fold(sentence)
    dates = written_dates(folded, published, memory.year)
    names = _names_in(folded)
    # an agreement named earlier dates this sentence only in the past: "the upcoming February
    # ministerial" is another, unnamed event, not the earlier agreement's
    past = all(w.day <= latest_day(published) for w in dates)
    # "La decisión entrará en vigor mañana 20 de febrero": whether the instrument just named
    # is in force on a day may be asked ahead of it
    carried = _has_event_verb(folded) and (past or re.search(TAKES_EFFECT, folded) is not None)
    if not names and memory.agreement and dates and carried:
        names = [(None, memory.agreement)]
    out = []
    others = sorted(m.start() for m, _ in names if m is not None)
    ends = [w.end for w in dates]
    for match, key in names:
        if len(names) == 1 and len(dates) == 1:
            written: Written | None = dates[0]
        else:
            written = _date_of(match, dates, ends, others)
        if written is not None:
            out.append(_agreement_finding(sentence, folded, match, key, written, published))
    out += _signatory_findings(sentence, folded, names)
    if names:
        memory.agreement = names[-1][1]
    years = [w.day.year for w in dates if w.precision != "year" or w.end - w.start == 4]
    memory.year = years[-1] if years else memory.year
    return out


#: How far (characters) a date may be written from an agreement's name and still date it.
NEAR = 120


def _date_of(
    match: re.Match[str] | None, dates: list[Written], ends: list[int], others: list[int]
) -> Written | None:
    """The date written nearest the name, with no other agreement's name between them.

    ``dates`` are in text order with their ``ends``, and ``others`` are the sorted starts of every
    name found, so only the dates within reach are looked at.
    """
    if match is None:
        return dates[0] if len(dates) == 1 else None

    def gap(w: Written) -> int:
        return max(w.start - match.end(), match.start() - w.end, 0)

    def blocked(w: Written) -> bool:
        lo, hi = sorted((w.start, match.start()))
        # another name starting strictly between (the name itself starts at an end, not inside)
        return bisect.bisect_left(others, hi) > bisect.bisect_right(others, lo)

    # dates do not overlap, so sorted by start they are sorted by end too: those within reach
    # end at or after match.start() - NEAR and start at or before match.end() + NEAR
    first = bisect.bisect_left(ends, match.start() - NEAR)
    near = []
    for w in dates[first:]:
        if w.start - match.end() > NEAR:
            break
        if gap(w) <= NEAR and not blocked(w):
            near.append(w)
    return min(near, key=gap, default=None)


def _agreement_finding(
    sentence: str,
    folded: str,
    match: re.Match[str] | None,
    key: str,
    written: Written,
    published: date,
) -> FactFinding:
    registry = load_registry()
    if (
        IN_FORCE.search(folded)
        and not re.search(TAKES_EFFECT, folded)
        and key in registry.instruments
    ):
        return _in_force_finding(sentence, match, key, written, registry)
    events = _events_for(folded, key)
    written = _likeliest(written, events)
    name = localized(events[0].get("name_en") or key, events[0].get("name_es", ""))
    timeline = items([message("claims.fact.event", **_event_words(e)) for e in events])
    shown = day_value(written.day.isoformat()[: {"year": 4, "month": 7}.get(written.precision, 10)])
    if written.day > latest_day(published) and not AHEAD.search(folded):
        verdict = "unverifiable"
        reason = why(
            "agreement_after",
            name=name,
            shown=shown,
            published=day_value(published.isoformat()),
            timeline=timeline,
        )
    elif any(_same(written, e) for e in events):
        verdict, reason = "supported", why("agreement", name=name, timeline=timeline)
    elif (
        written.relative
        or _another_event_on(written)
        or _date_of_something_else(written, folded, match)
        or (match is None and _OTHER_EVENT.search(folded) is not None)
    ):
        # precision first: a weekday counted from a date the page may not give exactly, a day
        # the record holds for another event (an order signed, then a designation), or a date
        # in a sentence that says nothing of the agreement happened then, is not enough to call
        # the text false
        verdict = "unverifiable"
        reason = why("agreement_doubt", name=name, shown=shown, timeline=timeline)
    else:
        verdict, reason = "contradicted", why("agreement", name=name, timeline=timeline)
    text = sentence[match.start() : match.end()] if match else sentence[written.start : written.end]
    return FactFinding(
        text,
        match.start() if match else written.start,
        verdict,
        fact("claimed_date", name=name, date=shown),
        fact("event_list", timeline=timeline),
        reason,
        tuple(_source(e) for e in events),
    )


#: An event a sentence names by its kind ("una cumbre … en noviembre de 2023"): a date there
#: may be that event's, not the one of the agreement an earlier sentence named.
_OTHER_EVENT = re.compile(
    r"\b(?:summit|meeting|visit|conference|talks|cumbre|reunion|visita|conferencia|encuentro)s?\b"
)


def _likeliest(written: Written, events: list[dict[str, str]]) -> Written:
    """The date as the day it may mean that an event has ("el jueves": the next Thursday
    when that is the day the record holds), else as its likeliest day."""
    for day in written.days:
        one = replace(written, day=day, alternatives=())
        if any(_same(one, e) for e in events):
            return one
    return written


def _date_of_something_else(written: Written, folded: str, match: re.Match[str] | None) -> bool:
    """A date in a sentence with no verb of an agreement's events ("CIBanco processed $2.1
    million between 2021 and 2024", "Rubio determined on February 6, 2025, that eight entities
    meet the criteria for being designated"): the date of what the sentence tells, not of the
    agreement named in it — unless it is written on the name itself ("the 2014 Merida
    Initiative", "la Iniciativa Mérida de 2007")."""
    if _has_event_verb(folded):
        return False
    on_name = match is not None and (
        0 <= match.start() - written.end <= 1 or 0 <= written.start - match.end() <= 4
    )
    return not on_name


def _another_event_on(written: Written) -> bool:
    """Whether the registry holds some event on the day written (day precision only: a month
    or a year matches too many)."""
    if written.precision != "day":
        return False
    return any(
        e.date.precision == "day" and e.date.first == written.day
        for e in load_registry().events.values()
    )


def _event_words(row: dict[str, str]) -> dict[str, Any]:
    """An event of a timeline as a label and a date: the step's word where the catalog has one
    (``announced``), else the event's title in the reader's language."""
    event = load_registry().events.get(row["event_id"])
    if row["event"] == "scheduled" and event is not None:
        label: Any = message("claims.fact.scheduled", date=day_value(str(event.date)))
    else:
        title_es = event.title("es") if event is not None else ""
        label = localized(row["label"], title_es, term=row["label"].replace(" ", "_"))
    return {"label": label, "date": day_value(row["shown"])}


def _has_event_verb(folded: str) -> bool:
    return any(re.search(v, folded) for v in EVENT_VERBS)


def _source(row: dict[str, str]) -> dict[str, str]:
    return {
        "title": row.get("source_title", ""),
        "url": row.get("source_url", ""),
        "publisher": row.get("source_publisher", ""),
    }


def _in_force_finding(
    sentence: str, match: re.Match[str] | None, key: str, written: Written, registry: Registry
) -> FactFinding:
    """ "X was in force in D" against the registry's start and end of X."""
    answers = [in_force(registry, key, day) for day in written.days]
    answer = next((a for a in answers if a.answer == "yes"), answers[0])
    verdict = {"yes": "supported", "no": "contradicted"}.get(answer.answer, "unverifiable")
    if verdict == "contradicted" and (match is None or written.relative):
        verdict = "unverifiable"  # the instrument carried from before, or the day counted
    item = registry.instruments[key]
    start = match.start() if match else written.start
    end = match.end() if match else written.end
    name = localized(item.names.en, item.names.es)
    began = day_value(str(answer.start)) if answer.start else message("claims.fact.unknown")
    ended = day_value(str(answer.end)) if answer.end else "—"
    day = day_value(written.day.isoformat())
    return FactFinding(
        sentence[start:end],
        start,
        verdict,
        fact("claimed_in_force", name=name, date=day),
        fact("official_in_force", start=began, end=ended),
        why(_in_force_key(answer, written.day), name=name, start=began, end=ended, day=day),
        ({"title": item.source.title, "url": item.source.url, "publisher": item.source.publisher},),
    )


def _in_force_key(answer: Any, day: date) -> str:
    """Which of the registry's answers (``registry.in_force``) this is, as a message key."""
    if answer.start is None:
        return "in_force_no_start"
    if answer.answer == "no":
        return "in_force_not_yet" if day < answer.start.first else "in_force_ended"
    if answer.answer == "unknown":
        return "in_force_coarse"
    return "in_force_yes_ended" if answer.end else "in_force_yes"


# -- signatories --------------------------------------------------------------------------------

#: Words saying who signed or is party to an instrument.
SIGNED_BY = re.compile(
    r"signed by|signator|parties to|party to|firmad[oa]s? por|signatari|suscrit[oa]s? por"
    r"|partes (?:del|de la)"
)
#: Kinds of actor a sentence may name as a signatory.
SIGNING_KINDS = ("government", "agency", "person", "international_body", "bilateral_body")


@functools.cache
def _actor_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    registry = load_registry()
    return tuple(
        (re.compile(_loose([n for n in a.names.all() if len(n) > 3])), a.id)
        for a in registry.actors.values()
        if a.kind in SIGNING_KINDS and any(len(n) > 3 for n in a.names.all())
    )


def _signatory_findings(
    sentence: str, folded: str, names: list[tuple[re.Match[str] | None, str]]
) -> list[FactFinding]:
    """ "X was signed by A and B" against the registry's parties and signatories of X."""
    registry = load_registry()
    named = [(m, key) for m, key in names if m is not None and key in registry.instruments]
    if not named or not SIGNED_BY.search(folded):
        return []
    match, key = named[0]
    spans = [m.span() for m, _ in named]
    actors = list(dict.fromkeys(
        actor for pattern, actor in _actor_patterns() for m in pattern.finditer(folded)
        if not any(a <= m.start() < b for a, b in spans)
    ))  # fmt: skip
    signed = signatories(registry, key)
    if not actors or not signed:
        return []
    outside = [a for a in actors if a not in signed]
    if not outside:
        verdict = "supported"
    elif any(registry.actors[a].kind == "government" for a in outside):
        verdict = "contradicted"
    else:
        verdict = "unverifiable"
    item = registry.instruments[key]
    name = localized(item.names.en, item.names.es)

    def listed(ids: list[str]) -> dict[str, Any]:
        return items([localized(registry.label(a), registry.label(a, "es")) for a in ids], ", ")

    parties = listed(sorted(signed))
    reason = (
        why("signatories_outside", name=name, parties=parties, outside=listed(outside))
        if outside
        else why("signatories", name=name, parties=parties)
    )
    return [
        FactFinding(
            sentence[match.start() : match.end()],
            match.start(),
            verdict,
            fact("claimed_signed", name=name, actors=listed(actors)),
            fact("official_parties", parties=parties),
            reason,
            tuple(
                {"title": r.source.title, "url": r.source.url, "publisher": r.source.publisher}
                for r in registry.roles_in(key)
                if r.role in SIGNATORY
            ),
        )
    ]


# -- precursors ---------------------------------------------------------------------------------


@functools.cache
def _chemicals() -> tuple[tuple[re.Pattern[str], dict[str, str]], ...]:
    return tuple(
        (re.compile(_loose(_names(row, "name"))), row) for row in reference_rows("precursors")
    )


@functools.cache
def _any_chemical() -> re.Pattern[str]:
    return _any_of([pattern for pattern, _ in _chemicals()])


def check_precursors(
    sentence: str, lexicon: Lexicon, drugs: list[str], published: date, memory: FactMemory
) -> list[FactFinding]:
    """Chemicals named with a drug and a relation, against the table of precursors."""
    folded = fold(sentence)
    chemicals = _chemicals()
    named = (
        [(m, row) for pattern, row in chemicals for m in pattern.finditer(folded)][:8]
        if _any_chemical().search(folded)
        else []
    )
    drugs = drugs or memory.drugs
    memory.drugs = drugs or memory.drugs
    if not named:
        return []
    relation = _relation(folded, lexicon)
    if relation == "control":
        return [_control_finding(sentence, folded, m, row, published) for m, row in named[:1]]
    if relation is None or not drugs:
        return []
    drug = fold(drugs[0])
    wrong = [row for _, row in named if not _related(row, drug, relation)]
    facts = items([_describe(row) for _, row in named])
    first, last = min(m.start() for m, _ in named), max(m.end() for m, _ in named)
    what = "metabolites" if relation == "metabolite" else "precursors"
    drug_name = _drug_word(drugs[0].lower())
    as_written = items([sentence[m.start() : m.end()] for m, _ in named], ", ")
    wrong_names = items([r["name"] for r in wrong], ", ")
    return [
        FactFinding(
            sentence[first:last],
            first,
            "contradicted" if wrong else "supported",
            fact(f"claimed_{what}", drug=drug_name, names=as_written),
            fact("chemical_list", facts=facts),
            why(f"not_{what}", drug=drug_name, wrong=wrong_names, facts=facts)
            if wrong
            else why("precursors", facts=facts),
            tuple(
                {"title": r.get("source_title", ""), "url": r.get("source_url", "")}
                for _, r in named
            ),
        )
    ]


def _relation(folded: str, lexicon: Lexicon) -> str | None:
    if METABOLITE.search(folded):
        return "metabolite"
    if lexicon.find("precursor_words", folded) or PRODUCTION.search(folded):
        return "precursor"
    if CONTROL.search(folded):
        return "control"
    return None


def _related(row: dict[str, str], drug: str, relation: str) -> bool:
    targets = {fold(t.strip()) for t in re.split(r"[;,]", row.get("precursor_of", ""))}
    role = fold(row.get("role", ""))
    if relation == "metabolite":
        return drug in targets and role.startswith("metabolite")
    return drug in targets and any(role.startswith(r) for r in PRECURSOR_ROLES)


def _control_finding(
    sentence: str, folded: str, match: re.Match[str], row: dict[str, str], published: date
) -> FactFinding:
    """A chemical said to be controlled (in a list, or in a year), against its controls."""
    controls = fold(row.get("controls", "") + " " + row.get("control_date", ""))
    years = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", folded)
    lists = re.findall(r"list i\b|table i\b|schedule ii|lista i\b|cuadro i\b", folded)
    equivalents = {"lista i": "list i", "cuadro i": "table i"}
    wanted = [equivalents.get(x, x) for x in lists] + years
    missing = [x for x in wanted if x not in controls]
    verdict = "contradicted" if missing else "supported"
    what: Any = items(wanted, ", ") if wanted else message("claims.fact.controlled")
    return FactFinding(
        sentence[match.start() : match.end()],
        match.start(),
        verdict,
        fact("claimed_control", chemical=row["name"], what=what),
        fact("control_list", controls=_controls(row["id"])),
        why("control", chemical=row["name"], controls=_controls(row["id"])),
        ({"title": row.get("source_title", ""), "url": row.get("source_url", "")},),
    )


def _describe(row: dict[str, str]) -> dict[str, Any]:
    """A chemical's row in words: what it is a precursor (or metabolite) of, and its controls."""
    role = row.get("role", "").strip()
    targets = [t.strip() for t in row.get("precursor_of", "").split(";") if t.strip()]
    values = {
        "chemical": row["name"],
        "role": message(f"claims.fact.role_{role}") if role else message("claims.fact.unknown"),
        "targets": items([_drug_word(t) for t in targets], ", ")
        if targets
        else message("claims.fact.unknown"),
    }
    return message("claims.fact.chemical_controls", **values, controls=_controls(row["id"]))


def _drug_word(drug: str) -> dict[str, Any]:
    """A drug named in a finding (``fentanyl``), in the reader's word where the catalog has it."""
    return localized(drug, term=drug.replace(" ", "_"))


def _controls(chemical: str) -> Any:
    """The registry's control events naming a chemical, dated, in the reader's language."""
    registry = load_registry()
    events = sorted(
        (e for e in registry.events.values() if chemical in e.chemicals), key=lambda e: e.date.first
    )
    if not events:
        return message("claims.fact.no_controls")
    return items([_control_event(registry, e) for e in events])


def _control_event(registry: Registry, event: Any) -> dict[str, Any]:
    title = localized(event.title("en"), event.title("es"))
    when = day_value(str(event.date))
    instrument = registry.instruments.get(event.instrument)
    if instrument is None:
        return message("claims.fact.control_event_plain", title=title, date=when)
    name = localized(instrument.names.en, instrument.names.es)
    return message("claims.fact.control_event", title=title, instrument=name, date=when)
