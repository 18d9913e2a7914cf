"""Topics: which series and filters a claim is about — CBP seizures, overdose deaths, Mexican
homicides, border crossings, populations — each a builder in ``TOPICS`` that turns a ``Clue``
into the ``Reading``s of a level for any period; ``readings`` makes them readings of the claim.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from borderflow.claims.entities import Entity
from borderflow.claims.lexicon import load_lexicon
from borderflow.claims.resolve import (
    Clue,
    Reading,
    Unresolved,
    as_change,
    rank_readings,
    share_readings,
    value_periods,
)
from borderflow.metrics import Query

WEIGHT_UNITS = ("lb", "kg", "short_ton", "t")
CBP = re.compile(
    r"\b(?:cbp|customs and border protection|border patrol|aduanas y proteccion "
    r"fronteriza|patrulla fronteriza|field office|ports? of entry)\b"
)
SWB = "Southwest Border"


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
        if twelve and not fentanyl and (state is None or state.code == "US"):
            for status in ("predicted", "reported"):  # published nationally only
                out.append(
                    Reading(
                        f"provisional 12-month-ending (CDC VSRR, {status}), all drugs, US",
                        Query("all_overdose_deaths_12m", twelve, status=status),
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
