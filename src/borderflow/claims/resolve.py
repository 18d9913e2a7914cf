"""From a mention to metrics queries: which series, which filters, which period — and the other
reasonable readings a careful checker would also try.

Each topic (seizures, overdose deaths, homicides, crossings, population) is a builder in
``TOPICS``; it turns a ``Clue`` (the mention, the names and periods around it, the publication
date, what the previous sentences were about) into ``Reading``s. A reading that ``counts`` can
support the claim; the others are shown as context (total overdose deaths beside a claim about
fentanyl deaths).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from borderflow.claims.entities import Entity, nearest
from borderflow.claims.extract import Mention
from borderflow.claims.lexicon import Lexicon, load_lexicon
from borderflow.claims.when import PeriodRef, TimeFrame
from borderflow.metrics import Query, get_measure
from borderflow.metrics.periods import add_months, fiscal_year_of

WEIGHT_UNITS = ("lb", "kg", "short_ton", "t")
PLACE_DIMENSIONS = ("area", "port", "us_state", "mx_state")
CBP = re.compile(
    r"\b(?:cbp|customs and border protection|border patrol|aduanas y proteccion "
    r"fronteriza|patrulla fronteriza|field office|ports? of entry)\b"
)
SWB = "Southwest Border"


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

    def entity(self, dimension: str) -> Entity | None:
        """The member of ``dimension`` the claim is about: none if the sentence names several
        (component, region: "Border Patrol and Office of Field Operations" is all of CBP) or
        names it after a hedge ("primarily at ports of entry"); a place written before the
        number wins over one after it ("Jalisco con 8,9 millones, seguido por …")."""
        found = [e for e in self.entities if e.dimension == dimension and not self._hedged(e)]
        if dimension in ("component", "region") and len({e.code for e in found}) > 1:
            return None
        m = self.mention
        if dimension == "drug":  # "12,397 libras de cocaína": the drug written right after
            after = [e for e in found if 0 <= e.start - (m.start + len(m.text)) <= 25]
            if after:
                return after[0]
        if dimension in PLACE_DIMENSIONS:
            before = [e for e in found if e.end <= self.mention.start]
            if before:
                return before[-1]
        return nearest(found, dimension, self.mention.start) or nearest(
            self.memory.entities, dimension, 0
        )

    def clause(self) -> str:
        """The folded clause holding the claim: between the punctuation (or "while") around it."""
        m = self.mention
        head = re.split(r"[,;:]|\bwhile\b|\bwhereas\b|\bmientras\b", self.folded[: m.start])[-1]
        tail = re.split(r"[,;:]|\bwhile\b|\bwhereas\b|\bmientras\b", self.folded[m.start :])[0]
        return head + tail

    def _hedged(self, entity: Entity) -> bool:
        lexicon = load_lexicon()
        return bool(lexicon.find("hedges", self.folded[max(0, entity.start - 25) : entity.start]))

    def period(self) -> PeriodRef | None:
        m = self.mention
        return self.time.nearest(m.start, m.start + len(m.text)) or self.memory.period


class Unresolved(Exception):
    """The claim cannot be put as a query; the message is the reason shown to the reader."""


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
    return clue.memory.topic


# -- periods ----------------------------------------------------------------------------------


def value_periods(clue: Clue, *, fiscal_alternative: bool) -> list[tuple[str, str]]:
    """(label, period) candidates for a level; a bare year may also mean a fiscal year."""
    ref = clue.period()
    if ref is None and clue.topic == "population":
        return [("the publication year", str(clue.published.year))]
    if ref is None:
        raise Unresolved("the sentence names no period, and none came before it.")
    same = _same_months(clue, ref)
    if same:
        return [("the same months of that fiscal year", same)]
    out = [(_KIND_LABEL.get(ref.kind, ref.kind), ref.period)]
    if fiscal_alternative and ref.kind == "calendar_year" and ref.period.isdigit():
        out.append(("fiscal year", f"FY{ref.period}"))
    return out


def _same_months(clue: Clue, ref: PeriodRef) -> str | None:
    """The months of the sentence's other range, in the fiscal year named ("compared to the
    same period in FY2022")."""
    if ref.kind != "fiscal_year" or not re.search(r"same period|mismo periodo", clue.folded):
        return None
    ranges = [
        p for p in clue.time.periods if p.kind in ("range", "fiscal_ytd") and ".." in p.period
    ]
    if not ranges:
        return None
    first, last = (date.fromisoformat(f"{x}-01") for x in ranges[0].period.split(".."))
    shift = 12 * (int(ref.period[2:]) - fiscal_year_of(last))
    return f"{add_months(first, shift):%Y-%m}..{add_months(last, shift):%Y-%m}"


def change_periods(clue: Clue) -> list[tuple[str, str, str | None]]:
    """(label, period, base period or None for "a year earlier") candidates for a change."""
    t = clue.time
    years = [p for p in t.periods if p.kind in ("calendar_year", "fiscal_year")]
    if len(years) >= 2 and not t.year_ago and not t.before:
        first, last = sorted((years[0], years[-1]), key=lambda p: p.period.removeprefix("FY"))
        return [(f"{last.period} against {first.period}", last.period, first.period)]
    base = _base_year(clue, years)
    if base is not None:
        later = year_after(base.period)
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
    ref = t.nearest(m.start, m.start + len(m.text), shift=False) or clue.memory.period
    if ref is not None:
        return [(_KIND_LABEL.get(ref.kind, ref.kind), ref.period, None)]
    fy = fiscal_year_of(add_months(clue.published.replace(day=1), -1)) - 1
    return [
        ("no period written: the last complete fiscal year before publication", f"FY{fy}", None)
    ]


_THAN = re.compile(
    r"(?:than|from|compared (?:to|with)|versus|vs|respecto a(?:l| la| las| los)?|"
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
            else:
                out.append(replace(r, label=f"{r.label}; {label}", base=r.query.with_(period=base)))
    return out


def readings(clue: Clue, topic: str) -> list[Reading]:
    """Every reading of ``clue`` under ``topic``."""
    clue = replace(clue, topic=topic)
    builder = TOPICS.get(topic)
    if builder is None:
        raise Unresolved(TOPIC_REASONS.get(topic, f"no series in the warehouse counts {topic}."))
    make = builder(clue)
    if clue.mention.kind in ("change", "multiplier"):
        return as_change(clue, make)
    if clue.mention.kind == "share":
        return share_readings(clue, make)
    if clue.mention.kind == "rank":
        return rank_readings(clue, make)
    out: list[Reading] = []
    for label, period in value_periods(clue, fiscal_alternative=topic == "seizures"):
        out.extend(replace(r, label=f"{r.label}; {label}") for r in make(period))
    return out


def share_readings(clue: Clue, make: Callable[[str], list[Reading]]) -> list[Reading]:
    """A share of the nationwide total: the region or component the sentence names."""
    part = clue.entity("region") or clue.entity("component")
    if part is None:
        raise Unresolved("a share needs the part it is a share of (a region or a CBP component).")
    ref = clue.period()
    fy = fiscal_year_of(add_months(clue.published.replace(day=1), -1)) - 1
    period = ref.period if ref else f"FY{fy}"
    out = []
    for r in make(period):
        if part.dimension in r.query.where:
            where = {k: v for k, v in r.query.where.items() if k != part.dimension}
            out.append(
                replace(
                    r,
                    label=f"{part.code} as a share of the total; {period}",
                    query=r.query.with_(where=where, by=(part.dimension,), share_of=part.dimension),
                )
            )
    return out


PLACES = (("mx_state", "00"), ("us_state", "US"), ("area", ""), ("port", ""))


def rank_readings(clue: Clue, make: Callable[[str], list[Reading]]) -> list[Reading]:
    """The place's rank among all members of its dimension, largest first."""
    places = [
        e for e in clue.entities for dim, total in PLACES if e.dimension == dim and e.code != total
    ]
    if not places:
        raise Unresolved("a ranking needs the place it ranks (a state, field office, port).")
    place = min(places, key=lambda e: abs(e.start - clue.mention.start))
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
        raise Unresolved(f"no series of this topic is broken down by {place.dimension}.")
    return out


# -- topics -------------------------------------------------------------------------------------


def seizures(clue: Clue) -> Callable[[str], list[Reading]]:
    m = clue.mention
    lexicon = load_lexicon()
    if lexicon.find("precursor_words", clue.folded):
        raise Unresolved("CBP's drug seizure files do not count precursor chemicals.")
    if lexicon.find("other_agencies", clue.folded) and not CBP.search(clue.folded):
        raise Unresolved(
            "seizures by other agencies (DEA, Mexican authorities) are not in "
            "CBP's files; CBP publishes its own seizures only."
        )
    measures = ["seizure_events"] if m.unit == "events" else ["seized_lb"]
    if m.kind in ("change", "multiplier") and m.unit not in WEIGHT_UNITS:
        measures.append("seizure_events")
    where: dict[str, tuple[str, ...]] = {}
    for dimension in ("drug", "component", "land_filter"):
        found = clue.entity(dimension)
        if found:
            where[dimension] = (found.code,)
    area = _area(clue)
    region = clue.entity("region")
    scopes = [("", {})] if area or region else [("nationwide", {}), (SWB, {"region": (SWB,)})]
    if area:
        scopes = [(area.code, {"area": (area.code,)})]
    elif region:
        scopes = [(region.code, {"region": (region.code,)})]

    def make(period: str) -> list[Reading]:
        return [
            Reading(
                ", ".join(x for x in (label, measure) if x),
                Query(measure, period, where={**where, **scope}),
            )
            for measure in measures
            for label, scope in scopes
        ]

    return make


_AREA_KINDS = ((r"field office|oficina de campo", "field_office"), (r"\bsector\b", "sector"))


def _area(clue: Clue) -> Entity | None:
    """The CBP area named, in this sentence or else the one before: a name written with its kind
    ("Tucson Field Office", "Oficina de Campo de Laredo", "El Paso Sector") picks that kind; a
    bare place name counts only if it names a single area."""
    for entities, folded in (
        (clue.entities, clue.folded),
        (clue.memory.entities, clue.memory.folded),
    ):
        near = [e for e in entities if e.dimension == "area"]
        for e in near:
            around = folded[max(0, e.start - 20) : e.end + 16]
            if any(re.search(words, around) and e.kind == kind for words, kind in _AREA_KINDS):
                return e
        if near:
            spans = {(e.start, e.end) for e in near}
            return near[0] if len(near) == 1 and len(spans) == 1 else None
    return None


def overdose_deaths(clue: Clue) -> Callable[[str], list[Reading]]:
    state = clue.entity("us_state")
    fentanyl = clue.fentanyl
    cause = "T40.4" if fentanyl else "all_drug_overdose"

    def make(period: str) -> list[Reading]:
        out = []
        year = period if period.isdigit() else None
        if year and (state is None or state.code == "US"):
            for status in ("final", "provisional"):
                out.append(
                    Reading(
                        f"{status} count (NCHS), {cause}",
                        Query(
                            "overdose_deaths_annual", year, where={"cause": (cause,)}, status=status
                        ),
                    )
                )
            if fentanyl:
                out.append(
                    Reading(
                        "final count (NCHS), all drug overdoses",
                        Query(
                            "overdose_deaths_annual", year, where={"cause": ("all_drug_overdose",)}
                        ),
                        counts=False,
                    )
                )
        twelve = f"12ME {year}-12" if year else period if period.startswith("12ME") else None
        if twelve and fentanyl:
            code = state.code if state else "US"
            for status in ("predicted", "reported"):
                out.append(
                    Reading(
                        f"provisional 12-month-ending (CDC VSRR, {status}), {code}",
                        Query(
                            "overdose_deaths_12m",
                            twelve,
                            where={"us_state": (code,)},
                            status=status,
                        ),
                    )
                )
        if not out:
            raise Unresolved(
                f"no overdose-death series answers {period!r} for this place and cause."
            )
        return out

    return make


def homicides(clue: Clue) -> Callable[[str], list[Reading]]:
    if re.search(r"\binegi\b|culpos|death certificates|certificados de defuncion", clue.folded):
        raise Unresolved(
            "INEGI's death-certificate homicides (and negligent homicides) are not "
            "in the warehouse; SESNSP victims of intentional homicide are another "
            "record."
        )
    state = clue.entity("mx_state")
    where: dict[str, tuple[str, ...]] = (
        {"mx_state": (state.code,)} if state and state.code != "00" else {}
    )
    return lambda period: [
        Reading(
            f"SESNSP homicide victims{', ' + state.code if where and state else ''}",
            Query("homicide_victims", period, where=where),
        )
    ]


def crossings(clue: Clue) -> Callable[[str], list[Reading]]:
    conveyance = clue.entity("conveyance")
    words = clue.folded
    code = (
        conveyance.code
        if conveyance
        else (
            "Pedestrians"
            if "peaton" in words or "pedestrian" in words
            else "Trucks"
            if "truck" in words or "camion" in words
            else "Personal Vehicles"
        )
    )
    if load_lexicon().find("other_borders", clue.clause()):
        raise Unresolved("the crossings in the warehouse are those at U.S.–Mexico land ports only.")
    where: dict[str, tuple[str, ...]] = {"conveyance": (code,)}
    port, state = clue.entity("port"), clue.entity("us_state")
    if state and state.code != "US":
        start = clue.mention.start
        if port is None or abs(state.start - start) < abs(port.start - start):
            where["us_state"] = (state.code,)
            port = None
    if port:
        where["port"] = (port.code,)
    return lambda period: [Reading(f"BTS inbound {code}", Query("crossings", period, where=where))]


def population(clue: Clue) -> Callable[[str], list[Reading]]:
    mx = clue.entity("mx_state")
    us = clue.entity("us_state")
    if mx is not None:
        where: dict[str, tuple[str, ...]] = {} if mx.code == "00" else {"mx_state": (mx.code,)}
        return lambda period: [
            Reading("CONAPO population", Query("population_mx", period, where=where))
        ]
    where_us: dict[str, tuple[str, ...]] = {"us_state": (us.code,)} if us else {}
    return lambda period: [
        Reading("Census population", Query("population_us", period, where=where_us))
    ]


TOPICS: dict[str, Callable[[Clue], Callable[[str], list[Reading]]]] = {
    "seizures": seizures,
    "overdose_deaths": overdose_deaths,
    "homicides": homicides,
    "crossings": crossings,
    "population": population,
}

TOPIC_REASONS = {
    "precursor_trade": "trade claims need a reporter, a partner and an HS code; "
    "check them with `borderflow query trade_value`.",
}
