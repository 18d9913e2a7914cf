"""Topics: which series and filters a claim is about — CBP seizures, overdose deaths, Mexican
homicides, border crossings, populations — each a builder in ``TOPICS`` that turns a ``Clue``
into the ``Reading``s of a level for any period; ``readings`` makes them readings of the claim.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from borderflow.claims.entities import Entity
from borderflow.claims.lexicon import fold as fold_text
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
from borderflow.reference.gazetteer import load_gazetteer

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
        raise Unresolved(
            TOPIC_REASONS.get(topic, f"no series in the warehouse counts {topic}."),
            {"precursor_trade": "trade", "encounters": "unit_encounters"}.get(topic, "no_topic"),
        )
    make = builder(clue)
    if clue.mention.kind in ("change", "multiplier", "difference"):
        return as_change(clue, make)
    if clue.mention.kind == "share":
        if clue.topic == "overdose_deaths" and clue.fentanyl:
            return death_shares(clue)
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
        raise Unresolved(
            "CBP's drug seizure files do not count precursor chemicals.", "precursor_seizures"
        )
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
            where[dimension] = (_NATIONWIDE_LAND.get(found.code, found.code),)
    if _ALL_DRUGS_SEIZED.match(m.object_text[:30]):
        where.pop("drug", None)  # "240,000 pounds of drugs": every drug, whatever is named near
    # "the southwest land border" may name the region as much as its land ports: both readings
    unfiltered = {k: v for k, v in where.items() if k != "land_filter"}
    wheres = [where, unfiltered] if "land_filter" in where else [where]
    area = _area(clue)
    region = clue.entity("region")
    scopes: list[tuple[str, dict[str, tuple[str, ...]]]] = (
        [("", {})] if area or region else [("nationwide", {}), (SWB, {"region": (SWB,)})]
    )
    state = None if area or region else clue.entity("us_state")
    if area:
        scopes = [(area.code, {"area": (area.code,)})]
    elif state is not None and (in_state := _state_scopes(state, where)):
        scopes = in_state
    elif region:
        scopes = [(region.code, {"region": (region.code,)})]
        if not any(e.dimension == "region" for e in clue.entities):
            scopes.append(("nationwide", {}))  # a region implied from before, or the whole

    def make(period: str) -> list[Reading]:
        return [
            Reading(
                ", ".join(x for x in (label, measure, _land_label(w)) if x),
                Query(measure, period, where={**w, **scope}),
            )
            for w in wheres
            for measure in measures
            for label, scope in scopes
        ]

    return make


#: The component that works each kind of CBP area.
_AREA_COMPONENT = {"field_office": "Office of Field Operations", "sector": "U.S. Border Patrol"}


def _state_scopes(
    state: Entity, where: dict[str, tuple[str, ...]]
) -> list[tuple[str, dict[str, tuple[str, ...]]]]:
    """A border state read as CBP's areas in it ("seized in Arizona": the Tucson Field Office's
    ports, the Tucson and Yuma sectors, or both), limited to the component written; empty for a
    state with no border area. The areas only approximate the state (the El Paso sector also
    patrols New Mexico), so a figure none of them matches is ambiguous (``joint.doubts_of``)."""
    component = (where.get("component") or ("",))[0]
    areas = [
        a
        for a in load_gazetteer().areas_in_state(state.code)
        if component in ("", _AREA_COMPONENT.get(a.kind or ""))
    ]
    scopes = []
    for kind in ("field_office", "sector"):
        codes = tuple(a.code for a in areas if a.kind == kind)
        if codes:
            scopes.append((f"{state.code} {kind}s", {"area": codes}))
    if len(scopes) == 2:
        scopes.append((f"{state.code} areas", {"area": tuple(a.code for a in areas)}))
    return scopes


#: Words right after a weight that say it is of every drug ("240,000 pounds of drugs").
_ALL_DRUGS_SEIZED = re.compile(
    r"\s*(?:pounds?|lbs?\.?|kilograms?|kilos?|kg|libras?|kilogramos?|toneladas?|tons?)?\s*"
    r"(?:of |de )(?:illicit |illegal |ilicitas? |ilegales )?"
    r"(?:drugs|narcotics|illicit substances|drogas|narcoticos|estupefacientes)\b"
)


#: The nationwide files write "Land Only" where the AMO files write "Land" (the gazetteer's
#: reading of "land"): seizure claims are read against the nationwide files.
_NATIONWIDE_LAND = {"Land": "Land Only"}


def _land_label(where: dict[str, tuple[str, ...]]) -> str:
    return "land ports only" if "land_filter" in where else ""


_AREA_KINDS = (
    (r"field office|oficina de campo|operaciones de campo|field operations", "field_office"),
    (r"\bsector\b", "sector"),
)


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
            # "Laredo Field Office", "CBP Laredo Office of Field Operations"
            around = folded[max(0, e.start - 45) : e.end + 30]
            if any(re.search(words, around) and e.kind == kind for words, kind in _AREA_KINDS):
                return e
        if near:
            spans = {(e.start, e.end) for e in near}
            return near[0] if len(near) == 1 and len(spans) == 1 else None
    return None


def overdose_deaths(clue: Clue) -> Callable[[str], list[Reading]]:
    """NCHS final and provisional counts by calendar year, CDC VSRR 12-month-ending counts.

    A claim is about synthetic opioids (T40.4) when fentanyl is named within its reach; when
    fentanyl is named only elsewhere in the sentence or paragraph ("of the more than 100,000
    people who died from drug overdoses …, two-thirds were linked to fentanyl"), both the
    all-drug and the synthetic-opioid counts are readings of it."""
    state = clue.entity("us_state")
    m = clue.mention
    window = clue.folded[max(0, m.start - 50) : m.start + len(m.text) + 50]
    near = load_lexicon().find("drug_fentanyl_deaths", window) or _linked_to_fentanyl(
        clue.folded[m.start + len(m.text) :]
    )
    start = max(clue.frame.clause[0] if clue.frame else 0, m.start - 120)
    cause = clue.folded[start : m.start + len(m.text) + 50]  # "opioid … fell from A to B"
    # up to the next figure or clause: "70,237 total drug overdose deaths and 47,600 opioid
    # overdose …", "over 100,000 drug overdose deaths, with synthetic opioids …"
    own = clue.folded[m.start : m.start + len(m.text)] + _OWN_END.split(m.object_text[:80])[0]
    # "80,000 US opioid overdose deaths": the figure's own words name the cause ("opioides
    # sintéticos" is fentanyl's, not another cause)
    other_own = _other_cause(own)
    # "107,000 drug overdose deaths … an opioid": the figure's own words name every drug (not
    # "overdose deaths", which "Opioids were involved in 49,860 overdose deaths" are too)
    all_own = _EVERY_DRUG.search(own) is not None
    if (not near and not all_own and _other_cause(cause)) or other_own:
        raise Unresolved(  # "opioid overdose fatalities", "muertes por cocaína"
            "the series count all drug overdoses and synthetic opioids (fentanyl), not deaths "
            "from other drugs or all opioids.",
            "no_deaths_series",
        )
    # deaths whose cause is not written ("killing 71,000 Americans in 2021"), in a text about
    # fentanyl: all overdoses or synthetic opioids, both readings
    national = state is None or state.code == "US"
    # (all drug overdoses are published nationally only: a state's unwritten cause stays
    # all drugs, which no series answers, rather than synthetic opioids alone)
    unwritten = clue.story_fentanyl and national and _ALL_DRUGS.search(cause) is None
    # "2,223 out of 2,991 drug overdose deaths": the figure's own words say all drugs
    every_drug = all_own and not load_lexicon().find("drug_fentanyl_deaths", own)
    causes = (
        ["all_drug_overdose"]
        if every_drug
        else ["T40.4"]
        if clue.fentanyl and near
        else ["all_drug_overdose", "T40.4"]
        if clue.fentanyl or unwritten
        else ["all_drug_overdose"]
    )
    # "death rates … jumped by 45.2%": the age-adjusted rate's change, not the count's; rate
    # words further back in the sentence make the rate one more reading
    own_rate = _RATE_WORDS.search(cause) is not None
    rate = own_rate or _RATE_WORDS.search(clue.folded[max(0, m.start - 160) : m.start]) is not None

    def make(period: str) -> list[Reading]:
        out = []
        year = period if period.isdigit() else None
        if year and national and rate:
            for cause_code in causes:
                query = Query("overdose_death_rate", year, where={"cause": (cause_code,)})
                out.append(Reading(f"age-adjusted death rate (NCHS), {cause_code}", query))
            if m.kind == "change" and own_rate:
                return out
        if year and national:
            for cause in causes:
                for status in ("final", "provisional"):
                    query = Query(
                        "overdose_deaths_annual", year, where={"cause": (cause,)}, status=status
                    )
                    out.append(Reading(f"{status} count (NCHS), {cause}", query))
            if causes == ["T40.4"]:
                out.append(
                    Reading(
                        "final count (NCHS), all drug overdoses",
                        Query(
                            "overdose_deaths_annual", year, where={"cause": ("all_drug_overdose",)}
                        ),
                        counts=False,
                    )
                )
        if year and state is not None and not national and "T40.4" in causes:
            # a state's synthetic-opioid deaths in a year: CDC WONDER's months, by residence
            # (VSRR's 12 months ending December count by place of occurrence)
            query = Query("deaths_t40_4_monthly", year, where={"us_state": (state.code,)})
            out.append(Reading(f"CDC WONDER, T40.4, {state.code}", query))
        twelve = f"12ME {year}-12" if year else period if period.startswith("12ME") else None
        twelve = twelve or _twelve_months(period)
        if twelve and "T40.4" in causes:
            code = state.code if state else "US"
            for status in ("predicted", "reported"):
                query = Query(
                    "overdose_deaths_12m", twelve, where={"us_state": (code,)}, status=status
                )
                out.append(
                    Reading(f"provisional 12-month-ending (CDC VSRR, {status}), {code}", query)
                )
        if twelve and "all_drug_overdose" in causes and national:
            for status in ("predicted", "reported"):  # published nationally only
                out.append(
                    Reading(
                        f"provisional 12-month-ending (CDC VSRR, {status}), all drugs, US",
                        Query("all_overdose_deaths_12m", twelve, status=status),
                    )
                )
        if not out:
            raise Unresolved(
                f"no overdose-death series answers {period!r} for this place and cause.",
                "no_deaths_series",
            )
        return out

    return make


#: Causes of death no series counts on its own: all opioids, heroin, stimulants… ("este
#: opioide", "this opioid" points back at the drug already named, and is not another cause)
_OTHER_CAUSE = re.compile(
    r"(?<!\beste )(?<!\besta )(?<!\bdicho )(?<!\bthis )(?<!\bthat )"
    r"\b(?:opioid|opioids|opioide|opioides|opiaceos?|opiates?|heroin|heroina|cocaine|cocaina|methamphetamine|"
    r"metanfetamina|psychostimulant\w*|psicoestimulante\w*|stimulant\w*|estimulante\w*|"
    r"benzodiazepin\w*|alcohol|injury|injuries|suicides?|suicidios?|lesiones)\b"
)


#: Words that say a figure counts deaths from every drug.
_ALL_DRUGS = re.compile(
    r"\b(?:drug overdoses?|drug deaths|drug[- ]related deaths|all drugs|any drug|overdose deaths"
    r"|overdoses? de drogas?|sobredosis de drogas?|todas las drogas|muertes por sobredosis)\b"
)
#: Where a figure's own words end: at the next figure or clause.
_OWN_END = re.compile(r"[\d,;:(]")
#: The words of ``_ALL_DRUGS`` that name drugs ("drug overdose deaths", not "overdose deaths",
#: which fentanyl's are too).
_EVERY_DRUG = re.compile(
    r"\b(?:drug overdoses?|drug deaths|drug[- ]related deaths|all drugs|any drug"
    r"|overdoses? de drogas?|sobredosis de drogas?|todas las drogas)\b"
)
#: Words that say a figure is a death rate, not a count.
_RATE_WORDS = re.compile(
    r"\b(?:death rates?|rates? of (?:overdose )?deaths?|overdose (?:death )?rates?"
    r"|mortality rates?|tasas? de (?:mortalidad|muertes?|defunciones|sobredosis)|per 100,000"
    r"|age-adjusted rates?|tasas? ajustadas? por (?:la )?edad|por (?:cada )?100(?: mil|,000))\b"
)


def death_shares(clue: Clue) -> list[Reading]:
    """ "Fentanyl accounts for roughly 70 percent of all drug overdose deaths", "casi 70% de
    las cuales involucraron fentanilo": synthetic-opioid (T40.4) deaths as a share of all drug
    overdose deaths, United States — NCHS counts for a calendar year, CDC VSRR for 12 months
    ending a month (each status over the same status). With no period written, the latest
    complete year published by the text's date."""
    state = clue.entity("us_state")
    if (state is not None and state.code != "US") or _STATE_WORDS.search(clue.folded):
        raise Unresolved(  # "in Kentucky … over 70% of overdose deaths"
            "the share of deaths involving fentanyl is held for the United States only.",
            "no_deaths_series",
        )
    ref = clue.period() or clue.default_period
    if ref is None:
        raise Unresolved("the sentence names no period, and none came before it.", "no_period")
    period = ref.period
    out = []
    if period.isdigit():
        for status in ("final", "provisional"):
            part = Query(
                "overdose_deaths_annual", period, where={"cause": ("T40.4",)}, status=status
            )
            whole = part.with_(where={"cause": ("all_drug_overdose",)})
            out.append(
                Reading(f"T40.4 share of all drug overdose deaths (NCHS, {status})", part, whole)
            )
    twelve = (
        f"12ME {period}-12" if period.isdigit() else period if period.startswith("12ME") else None
    )
    twelve = twelve or _twelve_months(period)
    if twelve:
        for status in ("predicted", "reported"):
            part = Query("overdose_deaths_12m", twelve, where={"us_state": ("US",)}, status=status)
            whole = Query("all_overdose_deaths_12m", twelve, status=status)
            out.append(
                Reading(
                    f"T40.4 share of all drug overdose deaths (CDC VSRR, {status})", part, whole
                )
            )
    if not out:
        raise Unresolved(
            f"no overdose-death series answers {period!r} for this share.", "no_deaths_series"
        )
    return out


#: Words that put a figure in one state's own count ("the Kentucky Office of Drug Control
#: Policy", "state officials").
_STATE_WORDS = re.compile(r"\b(?:state|statewide|estatal|del estado)\b")


def _other_cause(folded: str) -> bool:
    """Whether ``folded`` names a cause of death no series counts, beyond the words of
    fentanyl's own ("opioides sintéticos", "synthetic opioids")."""
    lexicon = load_lexicon()
    for _, hit in lexicon.find("drug_fentanyl_deaths", folded):
        folded = folded[: hit.start()] + " " * (hit.end() - hit.start()) + folded[hit.end() :]
    # "fentanilo, un poderoso opioide que …": the opioid in apposition is fentanyl itself
    folded = _APPOSITION.sub(" ", folded)
    # "50 veces más potente que la heroína": a drug it is compared with, not a cause of death
    folded = POTENCY.sub(" ", folded)
    return _OTHER_CAUSE.search(folded) is not None


#: A drug's strength against another's: "50 times more potent than heroin", "100 veces más que
#: la morfina", "más letal". Neither a cause of death (the drug compared with) nor a change of a
#: series (the multiplier).
POTENCY = re.compile(
    r"(?:\b(?:veces|times)\s+)?(?:(?:mas|more)\s+(?:potente|potent|letal|lethal|fuerte|powerful|"
    r"poderos[oa]|mortal|deadly|adictiv[oa]|addictive)\b(?:\s+(?:que|than)\s+(?:la\s+|el\s+)?"
    r"[a-z]+)?|(?:stronger|deadlier|mas|more)\s+(?:que|than)\s+(?:la\s+|el\s+)?(?:heroin\w*|"
    r"morphin\w*|morfina|cocain\w*|oxycodon\w*|oxicodona|carfentanil\w*))"
)


#: An opioid in apposition to fentanyl, whose words were blanked before: "fentanyl, a
#: powerful synthetic opioid", "el fentanilo, un poderoso opioide".
_APPOSITION = re.compile(
    r"^\s*,\s+(?:an?|un|una|the|el|la)(?:\s+[a-z]+){0,2}?\s+opioid[a-z]*\b|"
    r" {4,},\s+(?:an?|un|una|the|el|la)(?:\s+[a-z]+){0,2}?\s+opioid[a-z]*\b"
)


#: The figure's deaths said to be fentanyl's by the verb they are the subject of: "70,000
#: deaths … in 2024 were linked to fentanyl", "muertes … estuvieron vinculadas al fentanilo".
#: Nothing between them that starts another subject ("…, two-thirds were linked to").
_LINKED = re.compile(
    r"(?:[^,;:\d]|\b(?:19|20)\d\d\b){0,90}?\b(?:linked|tied|attributed|attributable|related|due|vinculad[oa]s?|"
    r"relacionad[oa]s?|atribuid[oa]s?|atribuibles?|asociad[oa]s?|ligad[oa]s?)\s+"
    r"(?:to|with|al|a|con)\s+(?:the\s+|el\s+|la\s+)?(?:fentanyl|fentanilo|synthetic opioids?|"
    r"opioides? sinteticos?)\b"
)
_SUBJECT_AFTER = re.compile(r"\b(?:half|third|thirds|most|majority|mitad|tercio|tercios|mayoria)\b")


def _linked_to_fentanyl(after: str) -> bool:
    """Whether the words after a death count say those deaths were fentanyl's."""
    linked = _LINKED.match(after)
    return linked is not None and _SUBJECT_AFTER.search(linked.group(0)) is None


def _twelve_months(period: str) -> str | None:
    """A range of 12 months ("2020-05..2021-04") as a 12-month-ending period; so is a month to
    the same month a year on ("from April 2020 to April 2021": CDC's way of writing the 12
    months ending April 2021)."""
    m = re.fullmatch(r"(\d{4})-(\d\d)\.\.(\d{4})-(\d\d)", period)
    if not m:
        return None
    first, last = int(m.group(1)) * 12 + int(m.group(2)), int(m.group(3)) * 12 + int(m.group(4))
    return f"12ME {m.group(3)}-{m.group(4)}" if last - first in (11, 12) else None


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
    m = clue.mention
    victims = re.search(r"\bvictim|\bvictima", fold_text(m.text + m.object_text[:25]))
    if _FEMICIDE.search(fold_text(m.text + " " + m.object_text[:50])):
        femicide = {**where, "crime_subtype": ("Femicide",)}
        return lambda period: [  # "63 feminicidios", "asesinatos de mujeres por razones de género"
            Reading("SESNSP femicide victims", Query("crime_victims", period, where=femicide))
        ]

    def make(period: str) -> list[Reading]:
        out = [
            Reading(
                f"SESNSP homicide victims{', ' + state.code if where and state else ''}",
                Query("homicide_victims", period, where=where),
            )
        ]
        if not victims:  # "3,121 homicidios dolosos": crimes may be counted as case files
            files = {**where, "crime_subtype": ("Homicidio doloso",)}
            out.append(
                Reading("SESNSP homicide case files", Query("crime_incidents", period, where=files))
            )
        return out

    return make


#: A figure's own words that count femicides, SESNSP's own crime ("feminicidio").
_FEMICIDE = re.compile(
    r"\b(?:feminicidios?|femicides?|feminicides?|asesinatos?\s+de\s+mujeres\s+por\s+razones"
    r"\s+de\s+genero)\b"
)


def crossings(clue: Clue) -> Callable[[str], list[Reading]]:
    start, end = clue.frame.clause if clue.frame is not None else (0, len(clue.folded))
    words = clue.folded[start:end]
    conveyance = clue.entity("conveyance")
    end_of_figure = clue.mention.start + len(clue.mention.text)
    between = clue.folded[end_of_figure : conveyance.start] if conveyance else None
    written_after = (  # "90% of the trains"
        conveyance is not None
        and conveyance.start >= end_of_figure
        and len(between or "") <= 25
        and not re.search(r"[,;]", between or "")
    )
    code = _conveyance_word(fold_text(clue.mention.text))  # "118,000 pedestrians"
    code = code or (conveyance.code if conveyance and written_after else None)
    code = code or _conveyance_word(words)
    code = code or (conveyance.code if conveyance else None)
    code = code or _conveyance_word(clue.folded) or "Personal Vehicles"
    codes: list[str | tuple[str, ...]] = [code]
    people = re.search(r"\b(?:people|persons|passengers|travelers|personas|pasajeros)\b", words)
    unit = clue.mention.unit
    if code == "Personal Vehicles" and (unit == "persons" or (people and unit != "vehicles")):
        # people in cars, or the cars: "people crossing … in passenger vehicles"
        codes = ["Personal Vehicle Passengers", *([code] if unit != "persons" else [])]
    if people and _PERSONAL_VEHICLE.search(words) and ("peaton" in words or "pedestrian" in words):
        # "151 million people crossed in personal vehicles or as pedestrians": the two together
        codes.append(("Personal Vehicle Passengers", "Pedestrians"))
    if load_lexicon().find("other_borders", clue.clause()):
        raise Unresolved(
            "the crossings in the warehouse are those at U.S.–Mexico land ports only.",
            "other_borders",
        )
    where: dict[str, tuple[str, ...]] = {}
    port, state = clue.entity("port"), clue.entity("us_state")
    if state and state.code != "US":
        start = clue.mention.start
        if port is None or abs(state.start - start) < abs(port.start - start):
            where["us_state"] = (state.code,)
            port = None
    if port:
        where["port"] = (port.code,)

    def conveyances(c: str | tuple[str, ...]) -> tuple[str, ...]:
        return (c,) if isinstance(c, str) else c

    return lambda period: [
        Reading(
            f"BTS inbound {' + '.join(conveyances(c))}",
            Query("crossings", period, where={"conveyance": conveyances(c), **where}),
        )
        for c in codes
    ]


#: Words for people crossing by car, as BTS counts them (personal vehicle passengers).
_PERSONAL_VEHICLE = re.compile(
    r"\b(?:personal|passenger|private) vehicles?\b|\bcars?\b|"
    r"\bvehiculos? (?:particulares?|personales?)\b|\bautomovil(?:es)?\b"
)


def _conveyance_word(words: str) -> str | None:
    """The conveyance a stretch of text names in common words, if any."""
    if "peaton" in words or "pedestrian" in words:
        return "Pedestrians"
    if "truck" in words or "camion" in words:
        return "Trucks"
    return None


def population(clue: Clue) -> Callable[[str], list[Reading]]:
    m = clue.mention
    if _POPULATION_GROUP.search(fold_text(m.object_text[:40])):
        raise Unresolved(  # "1 millón 995 mil 200 son hombres", "64 540 634 are women"
            "population by sex or age is not held: only each place's total.",
            "no_topic",
        )
    mx = clue.entity("mx_state")
    us = clue.entity("us_state")
    written = {e.dimension for e in clue.entities}
    if mx is not None and us is not None and "us_state" in written and "mx_state" not in written:
        mx = None  # "Texas sumó 391,243 residentes" after "a nivel nacional" in the sentence before
    if mx is not None:
        where: dict[str, tuple[str, ...]] = {} if mx.code == "00" else {"mx_state": (mx.code,)}
        return lambda period: [
            Reading("CONAPO population", Query("population_mx", period, where=where))
        ]
    where_us: dict[str, tuple[str, ...]] = {"us_state": (us.code,)} if us else {}
    return lambda period: [
        Reading("Census population", Query("population_us", period, where=where_us))
    ]


#: Words right after a population figure that make it a part of the population by sex or age.
_POPULATION_GROUP = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:hombres|mujeres|ninos|ninas|jovenes|adultos|men|women|males|"
    r"females|boys|girls|children|adults|aged|de edad|anos o mas|years (?:and|or) older)\b"
)


TOPICS: dict[str, Callable[[Clue], Callable[[str], list[Reading]]]] = {
    "seizures": seizures,
    "overdose_deaths": overdose_deaths,
    "homicides": homicides,
    "crossings": crossings,
    "population": population,
}

TOPIC_REASONS = {
    "encounters": "no series of migrant encounters or apprehensions is loaded.",
    "precursor_trade": "trade claims need a reporter, a partner and an HS code; "
    "check them with `borderflow query trade_value`.",
}
