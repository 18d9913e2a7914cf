"""From a mention to metrics queries: which series, which filters, which period — and the other
reasonable readings a careful checker would also try.

A ``Clue`` holds what is known about one mention: the names and periods around it, the
publication date, what the previous sentences were about. This module reads its topic and its
periods, and turns the readings of a level into readings of a change, a share or a rank; the
topics themselves (which series, which filters) are builders in ``claims.topics``. A reading that
``counts`` can support the claim; the others are shown as context.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from borderflow.claims.entities import Entity, nearest
from borderflow.claims.extract import Mention
from borderflow.claims.frames import WHEN, Frame, base_of_another
from borderflow.claims.lexicon import Lexicon, load_lexicon
from borderflow.claims.when import PeriodRef, TimeFrame, years_later
from borderflow.metrics import Query, get_measure
from borderflow.metrics.periods import Period, add_months, fiscal_year_of, parse_period

PLACE_DIMENSIONS = ("area", "port", "us_state", "mx_state")


@dataclass(frozen=True)
class Reading:
    """One way to read a claim as a question to the metrics layer.

    Attributes:
        label: the reading in words ("Southwest Border, calendar year").
        query: the question; for a change, it carries ``compare`` or has a ``base``.
        base: for a change between two named periods, the earlier one.
        counts: whether this reading may support the claim, or is context only.
    """

    label: str
    query: Query
    base: Query | None = None
    counts: bool = True


@dataclass
class Memory:
    """What earlier sentences were about, for sentences that do not repeat their subject."""

    topic: str | None = None
    entities: list[Entity] = field(default_factory=list)
    period: PeriodRef | None = None
    fentanyl: bool = False
    folded: str = ""
    unknown_place: bool = False  # named a place the gazetteer does not know
    parts_named: bool = False  # some earlier sentence named a part of a country (a state, a port)


@dataclass(frozen=True)
class Clue:
    """Everything the resolver knows about one mention."""

    mention: Mention
    folded: str  # the folded sentence
    entities: list[Entity]
    time: TimeFrame
    published: date
    memory: Memory
    fentanyl: bool  # the sentence (or its subject) is about fentanyl / synthetic opioids
    topic: str | None = None
    frame: Frame | None = None  # the mention's own clause, period and base (claims.frames)
    default_period: PeriodRef | None = None  # a rate's unwritten year ("every year", "al día")
    sentence_text: str = ""  # the sentence as written (capitals kept)
    story_fentanyl: bool = False  # the text names fentanyl somewhere, before or after
    latest_twelve: PeriodRef | None = None  # the newest 12 months ending published by then

    def entity(self, dimension: str) -> Entity | None:
        """The member of ``dimension`` the claim is about: none if the sentence names several
        (component, region: "Border Patrol and Office of Field Operations" is all of CBP) or
        names it after a hedge ("primarily at ports of entry"); a place written before the
        number wins over one after it ("Jalisco con 8,9 millones, seguido por …")."""
        found = [e for e in self.entities if e.dimension == dimension and not self._hedged(e)]
        if self.frame is not None and dimension in (
            *PLACE_DIMENSIONS,
            "component",
            "drug",
            "conveyance",
        ):
            start, end = self.frame.clause
            inside = [e for e in found if start <= e.start < end]
            found = inside or found
        if dimension in ("component", "region") and len({e.code for e in found}) > 1:
            return None
        m = self.mention
        if dimension in ("drug", "conveyance"):  # "12,397 libras de cocaína", "90% of the
            # trains": the drug or conveyance written right after
            after = [e for e in found if 0 <= e.start - (m.start + len(m.text)) <= 25]
            if after:
                return after[0]
        if dimension in ("us_state", "mx_state") and self._nationwide(found):
            return None  # "decreased nationwide by 31% …, they increased by 30% in Arizona"
        if dimension in PLACE_DIMENSIONS:
            before = [e for e in found if e.end <= self.mention.start]
            if before:
                return before[-1]
        if found:
            return nearest(found, dimension, self.mention.start)
        if dimension in ("us_state", "mx_state") and _NATIONWIDE.search(
            self.folded[: self.mention.start]
        ):
            return None  # "New Mexico's rate … Nationwide, the rate was 31.3": not the state's
        if dimension in (*PLACE_DIMENSIONS, "region") and self.whole_country_written():
            return None  # "… in Imperial and San Diego Counties. That's 60 percent of the
            # 8,425 pounds seized in the entire country": not the place before
        remembered = [e for e in self.memory.entities if e.dimension == dimension]
        if dimension in ("component", "region") and len({e.code for e in remembered}) > 1:
            return None
        if dimension in ("us_state", "mx_state"):  # "Sinaloa … repatrie a México. La entidad …"
            remembered = [e for e in remembered if not e.is_country] or remembered
        return nearest(remembered, dimension, 0)

    def _nationwide(self, found: list[Entity]) -> bool:
        """Whether the words right around the figure say it is the whole country and name no
        state there."""
        m = self.mention
        start, end = max(0, m.start - 45), m.start + len(m.text) + 45
        if self.frame is not None:
            start, end = max(start, self.frame.clause[0]), min(end, self.frame.clause[1])
        if not _NATIONWIDE.search(self.folded[start:end]):
            return False
        return not any(start <= e.start < end for e in found)

    def whole_country_written(self) -> bool:
        """Whether the figure's own clause says it is the whole country's ("nationwide", "in
        the entire country", "en todo el país")."""
        start, end = self.frame.clause if self.frame is not None else (0, len(self.folded))
        return _NATIONWIDE.search(self.folded[start:end]) is not None

    def clause(self) -> str:
        """The folded clause holding the claim: between the punctuation (or "while") around it."""
        m = self.mention
        head = re.split(r"[,;:]|\bwhile\b|\bwhereas\b|\bmientras\b", self.folded[: m.start])[-1]
        tail = re.split(r"[,;:]|\bwhile\b|\bwhereas\b|\bmientras\b", self.folded[m.start :])[0]
        return head + tail

    def _hedged(self, entity: Entity) -> bool:
        return _hedge_before(self.folded[max(0, entity.start - 25) : entity.start])

    def period(self) -> PeriodRef | None:
        return self.period_and_source()[0]

    def period_and_source(self) -> tuple[PeriodRef | None, str]:
        """The claim's period and where it was read: ``clause`` (its own clause or side of a
        pair), ``sentence``, ``rate`` (a rate's unwritten latest year), ``memory`` or ``none``."""
        ref, source = self._period_and_source()
        return _in_topic_year(_so_far(ref, self), self), source

    def _period_and_source(self) -> tuple[PeriodRef | None, str]:
        m = self.mention
        if self.frame is not None and self.frame.period is not None:
            return self.frame.period, "clause"
        written = self.time.nearest(m.start, m.start + len(m.text))
        if written is not None and not base_of_another(self.folded, m, written):
            return written, "sentence"
        rate = self.frame is not None and self.frame.per is not None
        remembered = self.memory.period
        # "kills 70,000 each year" after "this year seems set for …": a rate a year is of a
        # whole year, not of the part of one an earlier sentence was about
        whole = remembered is not None and _a_year_long(remembered)
        if remembered is not None and (whole or not rate or self.default_period is None):
            following = self.time.following(remembered)
            dated = [
                b for b in self.time.before if b[1] <= m.start and WHEN.match(self.folded, b[1])
            ]
            if not self.time.after and dated and m.kind == "quantity":
                # "… en 2024. … menos que el año anterior, cuando este opioide causó 76.000
                # decesos": the year before, which the "when" clause dates the figure by
                earlier = years_later(remembered.period, -1)
                following = replace(remembered, period=earlier) if earlier else None
            return (following, "memory") if following is not None else (None, "none")
        if rate and self.default_period is not None:
            return self.default_period, "rate"
        if self.latest_twelve is not None and _LAST_TWELVE.search(self.folded):
            # "en los últimos 12 meses más de 108 mil murieron": the newest 12 months published
            return self.latest_twelve, "rate"
        return None, "none"


#: "So far", "to date", "en lo que va": a year not over is counted up to the publication date.
_SO_FAR = re.compile(
    r"\b(?:so far|thus far|to date|as of now|hasta ahora|hasta la fecha|en lo que va|"
    r"en lo que llevamos)\b"
)


def _so_far(ref: PeriodRef | None, clue: Clue) -> PeriodRef | None:
    """ "So far, 9,400 pounds of fentanyl have been seized in fiscal year 2023", written in
    January: the year written, through the month before publication."""
    if ref is None or ref.kind not in ("fiscal_year", "calendar_year"):
        return ref
    start, end = clue.frame.clause if clue.frame is not None else (0, len(clue.folded))
    year = _year_not_over(ref, clue.published)
    if year is None or not _SO_FAR.search(clue.folded[start:end]):
        return ref
    last = add_months(clue.published.replace(day=1), -1)
    kind = "fiscal_ytd" if ref.period.startswith("FY") else "calendar_ytd"
    return replace(ref, period=f"{year.first:%Y-%m}..{last:%Y-%m}", kind=kind)


def _year_not_over(ref: PeriodRef, published: date) -> Period | None:
    """The months of a calendar or fiscal year written (``2025``, ``FY2023``) that had begun
    but not ended by the month before publication."""
    if not re.fullmatch(r"(?:FY)?\d{4}", ref.period):
        return None
    year = parse_period(ref.period)
    last = add_months(published.replace(day=1), -1)
    return year if year.first <= last < year.last else None


#: Topics whose record is read by the U.S. fiscal year as well as the calendar year (CBP's
#: seizures; crossings, which CBP also counts by fiscal year).
_FISCAL_TOPICS = ("seizures", "crossings")
_FISCAL_WORD = re.compile(r"\b(?:fiscal|fy|ejercicio)\b")


def _in_topic_year(ref: PeriodRef | None, clue: Clue) -> PeriodRef | None:
    """A year to date "as of June 2022" / "hasta junio de 2022" in the topic's own year: from
    January for Mexican homicides, overdose deaths and population, which have no fiscal year
    ("15,400 homicides until June 2022" are January–June); from October for CBP's topics."""
    if (
        ref is None
        or ref.kind != "fiscal_ytd"
        or clue.topic is None
        or clue.topic in _FISCAL_TOPICS
        or _FISCAL_WORD.search(clue.folded)
    ):
        return ref
    last = ref.period.split("..")[-1]
    return replace(ref, period=f"{last[:4]}-01..{last}", kind="calendar_ytd")


#: "in the last 12 months", "en los últimos 12 meses", "over the past year".
_LAST_TWELVE = re.compile(
    r"\b(?:(?:in|over|during) the (?:last|past|previous) (?:12|twelve) months|"
    r"(?:en|durante) los (?:ultimos|pasados) (?:12|doce) meses|"
    r"(?:over|in) the (?:past|last) year)\b"
)


def _a_year_long(ref: PeriodRef) -> bool:
    """Whether a period is a whole year or longer: a calendar or fiscal year, 12 months ending,
    or a range of 12 months or more ("a 12-month period from April 2020 to April 2021")."""
    if ref.kind in ("calendar_year", "fiscal_year", "twelve_month_ending"):
        return True
    span = re.fullmatch(r"(\d{4})-(\d\d)\.\.(\d{4})-(\d\d)", ref.period)
    if span is None:
        return False
    y0, m0, y1, m1 = (int(g) for g in span.groups())
    return (y1 - y0) * 12 + m1 - m0 >= 11


#: Words that put a figure at the scale of the whole country.
_NATIONWIDE = re.compile(
    r"\b(?:nationwide|nationally|across the (?:country|nation|united states|u\.s\.)|"
    r"(?:in|across|throughout) the (?:entire|whole) (?:country|nation)|"
    r"countrywide|a nivel nacional|en todo el pais|a escala nacional|"
    r"en todo el territorio nacional|en el pais entero)\b"
)


@functools.lru_cache(maxsize=4096)
def _hedge_before(window: str) -> bool:
    """Whether a hedge ("primarily", "principalmente") is written in ``window``; asked for every
    name around every claim, so remembered."""
    return bool(load_lexicon().find("hedges", window))


class Unresolved(Exception):
    """The claim cannot be put as a query; the message is the reason shown to the reader, and
    ``key`` the message of ``claims.why`` that says it in the reader's language."""

    def __init__(self, message: str, key: str = "other") -> None:
        super().__init__(message)
        self.key = key


def find_topic(clue: Clue, lexicon: Lexicon) -> str | None:
    """The family of series the mention is about, from its unit, then the words near it."""
    by_unit = {
        "lb": "seizures",
        "kg": "seizures",
        "short_ton": "seizures",
        "t": "seizures",
        "events": "seizures",
        "victims": "homicides",
        "pedestrians": "crossings",
    }
    m = clue.mention
    if m.unit in by_unit:
        return by_unit[m.unit]
    windows = (m.object_text[:60], clue.folded[max(0, m.start - 70) : m.start], clue.folded)
    for window in windows:
        topic = lexicon.first_key("topics", window)
        if (
            topic == "overdose_deaths"
            and lexicon.first_key("topics", window.replace("deaths", "")) == "homicides"
        ):
            topic = "homicides"
        if topic:
            return topic
    if m.unit == "vehicles":
        return "crossings"
    if m.unit == "deaths" and clue.memory.topic is None:
        return "overdose_deaths"
    return clue.memory.topic


# -- periods ----------------------------------------------------------------------------------


def value_periods(clue: Clue, *, fiscal_alternative: bool) -> list[tuple[str, str]]:
    """(label, period) candidates for a level; a bare year may also mean a fiscal year."""
    ref = clue.period()
    if ref is None and clue.topic == "population":
        return [("the publication year", str(clue.published.year))]
    if ref is None:
        raise Unresolved("the sentence names no period, and none came before it.", "no_period")
    same = _same_months(clue, ref)
    if same:
        return [("the same months of that fiscal year", same)]
    out = [(_KIND_LABEL.get(ref.kind, ref.kind), ref.period), *_averaged_so_far(clue, ref)]
    if fiscal_alternative and ref.kind == "calendar_year" and ref.period.isdigit():
        out.append(("fiscal year", f"FY{ref.period}"))
    if clue.latest_twelve is not None and clue.period_and_source()[1] == "rate":
        # "more than 100,000 died in a year": the latest complete year, or the newest 12 months
        out.append(("the newest 12 months published", clue.latest_twelve.period))
    return out


def _averaged_so_far(clue: Clue, ref: PeriodRef) -> list[tuple[str, str]]:
    """An average a day or month over a year not over on the publication date ("in 2025,
    746 pounds per month", written in June) may be over the months published by then — through
    the month before publication, or the one before it (CBP and SESNSP publish in the middle
    of the next month) — as well as over the whole year."""
    if clue.frame is None or clue.frame.per not in ("day", "month"):
        return []
    year = _year_not_over(ref, clue.published)
    if year is None:
        return []
    ends = (add_months(clue.published.replace(day=1), -lag) for lag in (1, 2))
    return [
        ("the months published by then", f"{year.first:%Y-%m}..{last:%Y-%m}")
        for last in ends
        if last >= year.first
    ]


def _same_months(clue: Clue, ref: PeriodRef) -> str | None:
    """The months of the sentence's other range, in the fiscal year named ("compared to the
    same period in FY2022")."""
    if ref.kind not in ("fiscal_year", "calendar_year") or not re.search(
        r"same (?:period|stretch|months|time)|mismo (?:periodo|lapso)", clue.folded
    ):
        return None
    ranges = [
        p for p in clue.time.periods if p.kind in ("range", "fiscal_ytd") and ".." in p.period
    ]
    if not ranges:
        return None
    first, last = (date.fromisoformat(f"{x}-01") for x in ranges[0].period.split(".."))
    if ref.kind == "calendar_year":  # "de enero a octubre … el mismo periodo de 2016"
        if first.year != last.year:
            return None
        shift = 12 * (int(ref.period) - last.year)
    else:
        shift = 12 * (int(ref.period[2:]) - fiscal_year_of(last))
    return f"{add_months(first, shift):%Y-%m}..{add_months(last, shift):%Y-%m}"


def change_periods(clue: Clue) -> list[tuple[str, str, str | None]]:
    """(label, period, base period or None for "a year earlier") candidates for a change.

    A frame's base decides first: ``previous`` ("from the month before", "el mes anterior")
    compares with the period before (``PREVIOUS``), ``years_ago`` with the same months N years
    earlier."""
    frame = clue.frame
    paired = _pair_periods(clue)
    if paired is not None:
        return [paired]
    if frame is not None and frame.base in ("previous", "years_ago"):
        ref = clue.period()
        if ref is None:
            raise Unresolved("the sentence names no period, and none came before it.", "no_period")
        if frame.base == "previous":
            return [(f"{ref.period} against the period before", ref.period, PREVIOUS)]
        shifted = shift_years(ref.period, -frame.base_years)
        if shifted:
            return [(f"{ref.period} against {shifted}", ref.period, shifted)]
    t = clue.time
    years = [
        p
        for p in t.periods
        if p.kind in ("calendar_year", "fiscal_year") and not _ordinal_since(clue.folded, p)
    ]
    framed = clue.frame.period if clue.frame is not None else None
    # the sentence's first and last years, unless the figure's own clause dates it otherwise
    # ("after declining 4.1% from 2017 to 2018, deaths rose 18.2% from the 12 months ending …")
    own_years = framed is None or framed in years
    distinct = len({p.period for p in years}) >= 2
    if distinct and not t.year_ago and not t.before and own_years:
        # the sentence's first and last years ("between 2020 and 2021, with 1,672 deaths in
        # 2021, compared to 883 in 2020": the earliest and the latest when those are one)
        ends = (years[0], years[-1]) if years[0].period != years[-1].period else years
        ordered = sorted(ends, key=lambda p: p.period.removeprefix("FY"))
        first, last = ordered[0], ordered[-1]
        return [(f"{last.period} against {first.period}", last.period, first.period)]
    base = _base_year(clue, years)
    if base is not None:
        since = re.search(r"\b(?:since|desde)\b", clue.folded[clue.mention.start : base.start])
        latest = _later(clue.memory.period, base) or clue.default_period
        later = latest.period if since and latest is not None else year_after(base.period)
        if base.kind == "fiscal_year" and later and later.isdigit():
            later = f"FY{later}"
        if later:
            return [(f"{later} against {base.period}", later, base.period)]
    if t.released is not None:
        month = t.released
        fy_start = date(fiscal_year_of(month) - 1, 10, 1)
        return [
            (
                "fiscal year to date through the release month",
                f"{fy_start:%Y-%m}..{month:%Y-%m}",
                None,
            ),
            ("the release month alone", f"{month:%Y-%m}", None),
            (
                "calendar year to date through the release month",
                f"{month.year}-01..{month:%Y-%m}",
                None,
            ),
        ]
    m = clue.mention
    rate = clue.default_period if clue.frame is not None and clue.frame.per else None
    ref = _in_topic_year(
        framed
        or t.nearest(m.start, m.start + len(m.text), shift=False)
        or rate
        or clue.memory.period,
        clue,
    )
    if ref is not None and ref.kind == "range" and not t.year_ago and ".." in ref.period:
        # "increased 241% between October and December": against a year earlier, or December
        # against October — both are read, and the claim is false only if both disagree
        opening, closing = ref.period.split("..")
        return [
            (_KIND_LABEL.get(ref.kind, ref.kind), ref.period, None),
            (f"{closing} against {opening}", closing, opening),
        ]
    if ref is not None:
        return [(_KIND_LABEL.get(ref.kind, ref.kind), ref.period, None)]
    fy = fiscal_year_of(add_months(clue.published.replace(day=1), -1)) - 1
    return [
        ("no period written: the last complete fiscal year before publication", f"FY{fy}", None)
    ]


def _pair_periods(clue: Clue) -> tuple[str, str, str | None] | None:
    """A change stated between two figures each dated by its own period ("al pasar de más de
    nueve mil kilogramos en 2024 a poco más de cuatro mil 500 durante 2025"): B's period
    against A's."""
    frame = clue.frame
    if frame is None or frame.pair is None:
        return None
    # as the pair's frames read them (claims.frames._pairs): A the earliest, B the latest
    periods = sorted(
        {p.period for p in clue.time.periods if p.kind in ("fiscal_year", "calendar_year")},
        key=lambda p: p.removeprefix("FY"),
    )
    if len(periods) != 2:
        return None
    first, last = periods
    return f"{last} against {first}", last, first


#: "the first annual decrease since 2018", "la cifra más baja desde 2019": the year dates a
#: superlative, not the base of the change the sentence states.
_ORDINAL_SINCE = re.compile(
    r"\b(?:first|lowest|highest|largest|biggest|smallest|fewest|most|primer[oa]?|menor|mayor"
    r"|mas baj[oa]s?|mas alt[oa]s?)\b[^,.;]{0,40}\b(?:since|desde)\s+(?:(?:fy|el|in|en)\s*)?$"
)


def _ordinal_since(folded: str, ref: PeriodRef) -> bool:
    return _ORDINAL_SINCE.search(folded[max(0, ref.start - 80) : ref.start]) is not None


_THAN = re.compile(
    r"(?:than|from|since|desde|compared (?:to|with)|versus|vs|respecto a(?:l| la| las| los)?|"
    r"frente a(?:l| la| las| los)?|comparad[oa]s? con|que)(?: (?:the|el|la|las|los|in|en|del|de))*"
    r"(?: [\w,.]+){0,6} $"
)


def _base_year(clue: Clue, years: list[PeriodRef]) -> PeriodRef | None:
    """The one year in "16% higher than … in 2020": the base of the change, not its period."""
    if len(years) != 1 or clue.time.year_ago:
        return None
    ref = years[0]
    if ref.start < clue.mention.start:
        return None
    return ref if _THAN.search(clue.folded[clue.mention.start : ref.start]) else None


def _later(ref: PeriodRef | None, base: PeriodRef) -> PeriodRef | None:
    """``ref`` if it is a year after ``base`` ("since FY2019" read against FY2023 just named)."""
    if ref is None or ref.kind not in ("calendar_year", "fiscal_year"):
        return None
    year, first = ref.period.removeprefix("FY"), base.period.removeprefix("FY")
    return ref if year.isdigit() and first.isdigit() and int(year) > int(first) else None


#: The base of a change against the period just before ("from the month before").
PREVIOUS = "<previous>"


def shift_years(period: str, years: int) -> str | None:
    """``period`` moved by whole years: FY2023 → FY2021, 2023-10..2024-01 → 2021-10..2022-01."""

    def move(m: re.Match[str]) -> str:
        return str(int(m.group(0)) + years)

    if not re.fullmatch(r"(FY|12ME )?\d{4}(-\d\d)?(\.\.\d{4}-\d\d)?", period):
        return None
    return re.sub(r"(?<!-)\b(?:19|20)\d\d\b", move, period)


def year_after(period: str) -> str | None:
    m = re.fullmatch(r"(FY)?(\d{4})", period)
    return f"{m.group(1) or ''}{int(m.group(2)) + 1}" if m else None


_KIND_LABEL = {
    "fiscal_year": "fiscal year",
    "fiscal_ytd": "fiscal year to date",
    "calendar_year": "calendar year",
    "calendar_ytd": "calendar year to date",
    "month": "month",
    "twelve_month_ending": "12 months ending",
}


def as_change(clue: Clue, make: Callable[[str], list[Reading]]) -> list[Reading]:
    """Readings of a change or multiplier: each level reading over each pair of periods."""
    out = []
    for label, period, base in change_periods(clue):
        for r in make(period):
            if base is None:
                out.append(
                    replace(
                        r,
                        label=f"{r.label}; {label}, against a year earlier",
                        query=r.query.with_(compare="year_ago"),
                    )
                )
            elif base == PREVIOUS:
                out.append(
                    replace(r, label=f"{r.label}; {label}", query=r.query.with_(compare="previous"))
                )
            else:
                out.append(replace(r, label=f"{r.label}; {label}", base=r.query.with_(period=base)))
    return out


def _state_part(clue: Clue) -> Entity | None:
    """The one state the sentence names, besides the country itself (the whole is no part of
    itself): "69% of the trucks crossing to the United States from Mexico did it in Texas"."""
    states = {
        (e.dimension, e.code): e
        for e in clue.entities
        if e.dimension in ("us_state", "mx_state") and not e.is_country
    }
    return next(iter(states.values())) if len(states) == 1 else None


def share_readings(clue: Clue, make: Callable[[str], list[Reading]]) -> list[Reading]:
    """A share of the nationwide total: the region, CBP component or state the sentence
    names ("69% of the trucks … did it in Texas", "11.5 de cada 100 homicidios … en
    Guanajuato")."""
    ref = clue.period()
    fy = fiscal_year_of(add_months(clue.published.replace(day=1), -1)) - 1
    period = ref.period if ref else f"FY{fy}"
    if not any(e.dimension == "area" for e in clue.entities):
        in_state = [r for r in make(period) if "area" in r.query.where]
        if in_state:  # "California's ports accounted for 54 percent of the fentanyl"
            return [_areas_share(r, period) for r in in_state for r in _areas_share_bases(r)]
    part = clue.entity("region") or clue.entity("component") or _state_part(clue)
    if part is None:
        raise Unresolved(
            "a share needs the part it is a share of (a region, a CBP component or a state).",
            "share_needs_part",
        )
    out: list[Reading] = []
    for r in make(period):
        where = {k: v for k, v in r.query.where.items() if k != part.dimension}
        query = r.query.with_(where=where, by=(part.dimension,), share_of=part.dimension)
        if any(o.query == query for o in out):
            continue
        out.append(replace(r, label=f"{part.code} as a share of the total; {period}", query=query))
    return out


def _areas_share_bases(r: Reading) -> list[Reading]:
    """A state's CBP areas (``topics._state_scopes``) as a part, over the whole without them:
    the same component nationwide, and all of CBP."""
    where = {k: v for k, v in r.query.where.items() if k != "area"}
    wholes = [where, {k: v for k, v in where.items() if k != "component"}]
    out: list[Reading] = []
    for whole in wholes:
        base = r.query.with_(where=whole, compare=None)
        if not any(o.base == base for o in out):
            out.append(replace(r, base=base))
    return out


def _areas_share(r: Reading, period: str) -> Reading:
    whole = ", ".join(f"{v[0]}" for v in (r.base.where.values() if r.base else ())) or "CBP"
    return replace(r, label=f"{r.label} as a share of {whole}; {period}")


PLACES = (("mx_state", "00"), ("us_state", "US"), ("area", ""), ("port", ""))


#: How far (characters) a ranked place may be written from its rank, and what may not lie
#: between them (another clause, another member of the list).
_RANK_REACH = 60
_RANK_BREAK = re.compile(r"[,;]|\b(?:luego|seguido|seguida|followed|then|despues)\b")


def rank_readings(clue: Clue, make: Callable[[str], list[Reading]]) -> list[Reading]:
    """The place's rank among all members of its dimension, largest first."""
    places = [
        e for e in clue.entities for dim, total in PLACES if e.dimension == dim and e.code != total
    ]
    if not places:
        raise Unresolved(
            "a ranking needs the place it ranks (a state, field office, port).", "rank_needs_place"
        )
    place = min(places, key=lambda e: abs(e.start - clue.mention.start))
    m = clue.mention
    lo, hi = (
        sorted((place.end, m.start))
        if place.end <= m.start
        else (m.start + len(m.text), place.start)
    )
    if hi - lo > _RANK_REACH or _RANK_BREAK.search(clue.folded[lo:hi]):
        # "El primer lugar … lo tiene con tres mil 104, luego el Estado de México": the place
        # written nearest is another's, past a comma; the first place's is not written
        raise Unresolved(
            "a ranking needs the place it ranks written beside it.", "rank_needs_place"
        )
    out = []
    for label, period in value_periods(clue, fiscal_alternative=False):
        for r in make(period):
            if place.dimension in get_measure(r.query.measure).dimensions:
                where = {k: v for k, v in r.query.where.items() if k != place.dimension}
                out.append(
                    replace(
                        r,
                        label=f"{place.code} ranked among {place.dimension}; {label}",
                        query=r.query.with_(where=where, by=(place.dimension,), rank=True),
                    )
                )
    if not out:
        raise Unresolved(
            f"no series of this topic is broken down by {place.dimension}.", "rank_no_dimension"
        )
    return out
