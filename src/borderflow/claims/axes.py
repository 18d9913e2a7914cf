"""The other readings of a figure, tried before it is called contradicted (issue 12).

The labelling rule says a claim with several reasonable readings is supported if any of them
supports it. The frame reads each figure one way (``claims.frames``) and the topic builders
(``claims.topics``) add the usual alternatives; this module makes the last step systematic: for
the measure family of the question, every axis along which the claim's own words leave the
reading open — the scope (nationwide, Southwest Border, a component, with Air and Marine
Operations), fiscal or calendar year, the year before an unwritten or relative year, every status
of the measure, the release current on the publication date, all drugs or the drug only implied,
a 12-month-ending period or a calendar year — is tried, one axis at a time and then two together.

The axes of each family are data (``data/axes.toml``): which transform, under which condition
(``CONDITIONS``, read from the claim's ``Clue``), and whether an agreeing reading *supports* the
claim (``firm``: the labelling rule's own alternatives) or only keeps it from being called false
("unverifiable (ambiguous)", the reading shown). The transforms are a registry (``TRANSFORMS``),
each a function from a question to the questions it stands for under that axis.
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from typing import TYPE_CHECKING, Any

from borderflow.claims.lexicon import load_lexicon
from borderflow.claims.resolve import Reading, shift_years
from borderflow.claims.when import latest_day
from borderflow.errors import BorderflowError
from borderflow.metrics import Engine, Query, get_measure

if TYPE_CHECKING:
    from borderflow.claims.extract import Mention
    from borderflow.claims.resolve import Clue

#: The most alternative questions asked for one claim (each a query of the warehouse).
MAX_ALTERNATIVES = 16


@dataclass(frozen=True)
class Axis:
    """One way a claim of a measure family may be read otherwise (an entry of ``axes.toml``)."""

    axis: str
    when: tuple[str, ...]  # conditions of ``CONDITIONS``, all needed
    firm: bool
    values: tuple[str, ...] = ()
    dimension: str = ""
    kinds: tuple[str, ...] = ()  # the kinds of figure it is tried for; () = every kind


@dataclass(frozen=True)
class Alternative:
    """A question the claim may stand for under some axes; ``firm`` when every axis is."""

    reading: Reading
    axes: tuple[str, ...]
    firm: bool


@dataclass(frozen=True)
class Context:
    """What the transforms need besides the question: the warehouse and the publication date."""

    engine: Engine
    published: date


@functools.cache
def registry() -> dict[str, Any]:
    """``data/axes.toml``, read once."""
    text = resources.files("borderflow.claims").joinpath("data/axes.toml").read_text("utf-8")
    return tomllib.loads(text)


@functools.cache
def family_axes() -> dict[str, tuple[Axis, ...]]:
    """Measure name → the axes of its family, in the order of ``axes.toml``."""
    out: dict[str, tuple[Axis, ...]] = {}
    for family in registry()["families"].values():
        axes = tuple(
            Axis(
                str(a["axis"]),
                (str(a["when"]),) if isinstance(a["when"], str) else tuple(a["when"]),
                bool(a["firm"]),
                tuple(str(v) for v in a.get("values", ())),
                str(a.get("dimension", "")),
                tuple(str(k) for k in a.get("kinds", ())),
            )
            for a in family["axes"]
        )
        for measure in family["measures"]:
            out[str(measure)] = axes
    return out


# -- conditions: which axes the claim's words leave open -----------------------------------------

_CONVENTION = re.compile(r"\b(?:fiscal|fy\s?\d|calendar|ano calendario|ejercicio)")
_STATUS = re.compile(
    r"\b(?:provisional\w*|preliminar\w*|final\w*|estimat\w*|estimad\w*|predicted|reported|"
    r"definitiv\w*|prelim)\b"
)
_WRITTEN_YEAR = re.compile(r"(?:19|20)\d\d|\bfy\s?\d\d")
_PLACES = ("area", "port", "region", "us_state")


def _clause(clue: Clue) -> str:
    start, end = clue.frame.clause if clue.frame is not None else (0, len(clue.folded))
    return clue.folded[start:end]


def _place_unwritten(clue: Clue) -> bool:
    return not any(e.dimension in _PLACES and e.code != "US" for e in clue.entities)


def _component_unwritten(clue: Clue) -> bool:
    return not any(e.dimension == "component" for e in clue.entities)


def _convention_unwritten(clue: Clue) -> bool:
    return not _CONVENTION.search(clue.folded)


def _status_unwritten(clue: Clue) -> bool:
    return not _STATUS.search(clue.folded)


def _year_unwritten(clue: Clue) -> bool:
    """No year written for the figure: read from an earlier sentence, a rate's latest year, or
    a relative phrase ("last year", "el año pasado", "so far this fiscal year")."""
    ref, source = clue.period_and_source()
    if source in ("memory", "rate", "none"):
        return True
    return ref is not None and not _WRITTEN_YEAR.search(clue.folded[ref.start : ref.end])


def _drug_implied(clue: Clue) -> bool:
    """The drug is not named in the figure's clause: it comes from elsewhere in the sentence or
    from an earlier one, so the figure may be for all drugs (or the drug may be meant)."""
    clause = _clause(clue)
    if clue.topic == "overdose_deaths" or load_lexicon().find("drug_fentanyl_deaths", clause):
        return clue.fentanyl and not load_lexicon().find("drug_fentanyl_deaths", clause)
    start, end = clue.frame.clause if clue.frame is not None else (0, len(clue.folded))
    return not any(e.dimension == "drug" and start <= e.start < end for e in clue.entities)


def _killings_unqualified(clue: Clue) -> bool:
    """ "asesinatos", "homicidios", "murders" — not written as intentional homicide only."""
    m = clue.mention
    words = clue.folded[m.start : m.start + len(m.text) + 30]  # the figure's own noun
    return not re.search(r"\b(?:doloso|dolosos|intencional\w*|intentional)\b", words)


#: Words that put a level at the start of its year ("2023 began with", "entrará al año 2024 con").
_YEAR_START = re.compile(
    r"\b(?:began|begins|beginning|started|starts|start of|enter(?:s|ed|ing)?|comenzo|comienza|"
    r"empezo|empieza|inicio el|arranco|entrara al|entro al|entra al|a principios de|"
    r"al (?:1|primero) de enero|on january 1|as of january)\b"
)


def _year_start(clue: Clue) -> bool:
    return _YEAR_START.search(_clause(clue)) is not None


def _to_date(clue: Clue) -> bool:
    """The figure's period runs to the publication date ("fiscal year 2024 to date", "en lo
    que va del año"), whether or not its year is written."""
    ref = clue.period()
    return ref is not None and ref.kind in ("fiscal_ytd", "calendar_ytd")


def _rate_defaulted(clue: Clue) -> bool:
    return clue.period_and_source()[1] == "rate"


CONDITIONS: dict[str, Callable[[Clue], bool]] = {
    "always": lambda clue: True,
    "place_unwritten": _place_unwritten,
    "component_unwritten": _component_unwritten,
    "convention_unwritten": _convention_unwritten,
    "status_unwritten": _status_unwritten,
    "year_unwritten": _year_unwritten,
    "drug_implied": _drug_implied,
    "rate_defaulted": _rate_defaulted,
    "year_start": _year_start,
    "to_date": _to_date,
    "killings_unqualified": _killings_unqualified,
    "bounded_figure": lambda clue: clue.mention.qualifier in (None, "about"),
}


def open_conditions(clue: Clue) -> frozenset[str]:
    """The conditions of ``CONDITIONS`` that hold for ``clue``."""
    return frozenset(name for name, holds in CONDITIONS.items() if holds(clue))


# -- transforms: a question → the questions it stands for under one axis --------------------------

Transform = Callable[[Query, Axis, Context], Iterator[tuple[str, Query]]]


def _where(query: Query, dimension: str, value: str) -> Query | None:
    """``query`` with ``dimension`` set to ``value`` ("" removes it); None if that is no change
    or the measure has no such dimension."""
    if dimension not in get_measure(query.measure).dimensions:
        return None
    where = {k: v for k, v in query.where.items() if k != dimension}
    if value:
        where[dimension] = (value,)
    return None if where == dict(query.where) else query.with_(where=where)


def _region(query: Query, axis: Axis, ctx: Context) -> Iterator[tuple[str, Query]]:
    if {"area", "port"} & set(query.where):
        return  # a field office, sector or port is written: no other scope is meant
    for value in axis.values:
        changed = _where(query, "region", value)
        if changed is not None:
            yield (value or "nationwide"), changed


def _component(query: Query, axis: Axis, ctx: Context) -> Iterator[tuple[str, Query]]:
    for value in axis.values:
        changed = _where(query, "component", value)
        if changed is not None:
            yield value, changed


def _amo(query: Query, axis: Axis, ctx: Context) -> Iterator[tuple[str, Query]]:
    if not query.include_amo and "component" not in query.where:
        yield "with Air and Marine Operations", query.with_(include_amo=True)


def _drop_filter(query: Query, axis: Axis, ctx: Context) -> Iterator[tuple[str, Query]]:
    for dimension in axis.values:
        if dimension in query.where:
            yield f"any {dimension}", _where(query, dimension, "") or query


def _swap_member(query: Query, axis: Axis, ctx: Context) -> Iterator[tuple[str, Query]]:
    current = query.where.get(axis.dimension)
    for value in axis.values:
        if current is not None and (value,) != tuple(current):
            changed = _where(query, axis.dimension, value)
            if changed is not None:
                yield value, changed


def _swap_measure(query: Query, axis: Axis, ctx: Context) -> Iterator[tuple[str, Query]]:
    if query.measure not in axis.values:
        return
    for name in axis.values:
        target = get_measure(name)
        if name == query.measure or not set(query.where) <= set(target.dimensions):
            continue
        status = query.status if query.status in target.statuses else None
        yield name, query.with_(measure=name, status=status)


def _convention(query: Query, axis: Axis, ctx: Context) -> Iterator[tuple[str, Query]]:
    other = _other_convention(query.period)
    if other is not None:
        fiscal = other.startswith("FY") or other[5:7] == "10"
        yield ("fiscal year" if fiscal else "calendar year"), query.with_(period=other)


def _other_convention(period: str) -> str | None:
    """The same year in the other convention: FY2023 ↔ 2023, and a year to date — "so far this
    year" — from October (fiscal) ↔ from January (calendar), through the same month."""
    year = re.fullmatch(r"(FY)?(\d{4})", period)
    if year:
        return year.group(2) if year.group(1) else f"FY{year.group(2)}"
    span = re.fullmatch(r"(\d{4})-(01|10)\.\.(\d{4})-(\d\d)", period)
    if not span:
        return None
    end_year, end_month = int(span.group(3)), int(span.group(4))
    if span.group(2) == "01" and span.group(1) == span.group(3):
        start = end_year if end_month >= 10 else end_year - 1
        return f"{start}-10..{end_year}-{end_month:02d}"
    if span.group(2) == "10" and end_year - int(span.group(1)) in (0, 1) and end_month < 10:
        return f"{end_year}-01..{end_year}-{end_month:02d}"
    return None


def _year_before(query: Query, axis: Axis, ctx: Context) -> Iterator[tuple[str, Query]]:
    shifted = shift_years(query.period, -1)
    if shifted and shifted != query.period:
        yield f"the year before ({shifted})", query.with_(period=shifted)


def _through_month_before(query: Query, axis: Axis, ctx: Context) -> Iterator[tuple[str, Query]]:
    """ "so far this year" read through the last month published by the publication date; the
    author may have had the data of a month before."""
    span = re.fullmatch(r"(\d{4}-\d\d)\.\.(\d{4})-(\d\d)", query.period)
    if not span:
        return
    end = date(int(span.group(2)), int(span.group(3)), 1)
    earlier = date(end.year - (end.month == 1), (end.month - 2) % 12 + 1, 1)
    if f"{earlier:%Y-%m}" > span.group(1):
        yield f"through {earlier:%Y-%m}", query.with_(period=f"{span.group(1)}..{earlier:%Y-%m}")


def _with_feminicide(query: Query, axis: Axis, ctx: Context) -> Iterator[tuple[str, Query]]:
    """ "asesinatos", "murders": intentional homicide and feminicide counted together."""
    if query.measure != "homicide_victims":
        return
    where = {**query.where, "crime_subtype": tuple(axis.values)}
    yield "with feminicides", query.with_(measure="crime_victims", where=where)


def _status(query: Query, axis: Axis, ctx: Context) -> Iterator[tuple[str, Query]]:
    measure = get_measure(query.measure)
    current = query.status or measure.default_status
    for status in measure.statuses:
        if status != current:
            yield status, query.with_(status=status)


def _vintage(query: Query, axis: Axis, ctx: Context) -> Iterator[tuple[str, Query]]:
    """The record as it stood on the publication date, and as the release before that one
    left it (an article may quote the release it had at hand, not the newest), when a release
    has come out since."""
    if query.as_of is not None:
        return
    vintages = ctx.engine.vintages(get_measure(query.measure).source)
    day = latest_day(ctx.published)  # a page dated the 1st is known to the month only
    if not vintages or not vintages[0] <= day < vintages[-1]:
        return
    yield f"as published by {day:%Y-%m-%d}", query.with_(as_of=day)
    earlier = [v for v in vintages if v <= day][-2:-1]
    for day in earlier:
        yield f"as published by {day:%Y-%m-%d}", query.with_(as_of=day)


#: 12-month-ending measure → (annual measure, its cause) and back.
_TWELVE = {"overdose_deaths_12m": "T40.4", "all_overdose_deaths_12m": "all_drug_overdose"}


def _twelve_months(query: Query, axis: Axis, ctx: Context) -> Iterator[tuple[str, Query]]:
    """A calendar year and the 12 months ending its December are the same months, counted by
    two programmes (NCHS annual, CDC VSRR)."""
    ending = re.fullmatch(r"12ME (\d{4})-12", query.period)
    national = query.where.get("us_state", ("US",)) == ("US",)
    if query.measure in _TWELVE and ending and set(query.where) <= {"us_state"} and national:
        cause: dict[str, tuple[str, ...]] = {"cause": (_TWELVE[query.measure],)}
        annual = Query("overdose_deaths_annual", ending.group(1), where=cause, as_of=query.as_of)
        yield "calendar year (NCHS)", annual
        # "a provisional count … 93,331 deaths in the 12 months ending December 2020": NCHS's
        # provisional count of the year, as its data brief first gave it
        yield "calendar year (NCHS), provisional", annual.with_(status="provisional")
    cause_of = {v: k for k, v in _TWELVE.items()}
    causes = query.where.get("cause", ())
    if query.measure == "overdose_deaths_annual" and query.period.isdigit() and len(causes) == 1:
        measure = cause_of.get(causes[0])
        if measure is not None and set(query.where) <= {"cause"}:
            yield (
                "12 months ending December (CDC VSRR)",
                Query(
                    measure,
                    f"12ME {query.period}-12",
                    where={"us_state": ("US",)},
                    as_of=query.as_of,
                ),
            )


def _latest_twelve_months(query: Query, axis: Axis, ctx: Context) -> Iterator[tuple[str, Query]]:
    """ "kills 70,000 a year" with no year: the latest 12 months published by that date."""
    if query.measure not in _TWELVE:
        return
    try:
        last = ctx.engine.last_month(get_measure(query.measure), ctx.published)
    except (BorderflowError, ValueError, KeyError):
        return
    period = f"12ME {last:%Y-%m}"
    if period != query.period:
        yield f"the latest 12 months published ({period})", query.with_(period=period)


TRANSFORMS: dict[str, Transform] = {
    "region": _region,
    "component": _component,
    "amo": _amo,
    "drop_filter": _drop_filter,
    "swap_member": _swap_member,
    "swap_measure": _swap_measure,
    "convention": _convention,
    "year_before": _year_before,
    "through_month_before": _through_month_before,
    "with_feminicide": _with_feminicide,
    "status": _status,
    "vintage": _vintage,
    "twelve_months": _twelve_months,
    "latest_twelve_months": _latest_twelve_months,
}


def _apply(reading: Reading, axis: Axis, ctx: Context) -> Iterator[Reading]:
    """``reading`` under ``axis``: its question transformed, and its base the same way."""
    transform = TRANSFORMS[axis.axis]
    changed = list(transform(reading.query, axis, ctx))
    bases = list(transform(reading.base, axis, ctx)) if reading.base is not None else []
    if reading.base is not None and len(bases) != len(changed):
        return  # the base cannot be read the same way: the two would not be comparable
    for k, (label, query) in enumerate(changed):
        base = bases[k][1] if bases else None
        yield replace(reading, label=f"{reading.label}; {label}", query=query, base=base)


def alternatives(
    options: list[Reading], kind: str, open_: frozenset[str], ctx: Context
) -> Iterator[Alternative]:
    """The questions a claim of ``kind`` may stand for, beyond ``options`` (its counting
    readings): one open axis at a time, then two firm axes together, each question once, at
    most ``MAX_ALTERNATIVES``."""
    seen = {r.query for r in options}
    count = 0
    for depth in (1, 2):
        for reading in options:
            axes = [
                a
                for a in family_axes().get(reading.query.measure, ())
                if set(a.when) <= open_ and (not a.kinds or kind in a.kinds)
            ]
            for combo in itertools.combinations(axes, depth):
                if depth > 1 and not all(a.firm for a in combo):
                    continue  # two loose readings at once are too far from the words
                for found in _combine(reading, combo, ctx):
                    if found.query in seen:
                        continue
                    seen.add(found.query)
                    yield Alternative(
                        found, tuple(a.axis for a in combo), all(a.firm for a in combo)
                    )
                    count += 1
                    if count >= MAX_ALTERNATIVES:
                        return


def _combine(reading: Reading, combo: tuple[Axis, ...], ctx: Context) -> Iterator[Reading]:
    current = [reading]
    for axis in combo:
        current = [r for c in current for r in _apply(c, axis, ctx)]
    yield from current


# -- the written number ---------------------------------------------------------------------------

#: "1.234" or "1,234": one separator before three digits is a thousands mark in U.S. and in
#: Mexican dotted style, and a decimal mark in the comma-decimal style of much of Spanish prose.
_ONE_SEPARATOR = re.compile(r"^\D*\d{1,3}[.,]\d{3}(?!\d)(?![.,]\d)")


def number_readings(m: Mention) -> list[Mention]:
    """The other values the written number may stand for (loose): a number with one separator
    before three digits read as a decimal ("1.234 kilos" = 1.234 kg)."""
    if m.kind != "quantity" or not _ONE_SEPARATOR.match(m.number.text):
        return []
    number = replace(m.number, value=m.number.value / 1000, precision=m.number.precision / 1000)
    return [replace(m, number=number)]
