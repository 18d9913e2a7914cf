"""Joint readings, doubts and the arithmetic inside a claim.

- **Joint reading.** Each reading of a claim is tagged by its scope (nationwide, Southwest
  Border, a component), period convention (fiscal or calendar year), status (final,
  provisional) and measure. ``choose_joint`` weighs each tag by how many of a sentence's figures
  agree with the record under it (the paragraph's earlier sentences count half): the reading
  under which most stated figures agree is shown for all of them, the others beside it.
- **Doubts.** ``doubts_of`` lists why a claim's frame is uncertain — a figure for part of what
  is named, a period read from an earlier sentence, a unit not written, a place the series cannot
  be filtered by. A claim with a doubt is never called contradicted.
- **Arithmetic.** ``decide_arithmetic`` checks a change or share against figures the text
  itself states ("from 9,800 to 15,200 pounds, up 55%"; "300 pounds — 1.7% — of 18,000").
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from borderflow.claims.document import MONTHS
from borderflow.claims.frames import Frame, arithmetic_change, in_unit_family
from borderflow.claims.lexicon import fold, load_lexicon
from borderflow.claims.verify import accepted, claimed_value, supports
from borderflow.reference.gazetteer import load_gazetteer

if TYPE_CHECKING:
    from borderflow.claims.entities import Entity
    from borderflow.claims.extract import Mention
    from borderflow.claims.resolve import Clue

#: ``check.Claim`` and ``check.Evidence`` (check imports this module, not the reverse).
Claim = Any
Evidence = Any

#: Weight of the previous sentences' agreement in a sentence's joint reading.
CARRY = 0.5
#: Places a series may or may not be filtered by; a total ("US", "00") restricts nothing.
PLACES = ("area", "port", "us_state", "mx_state", "region")
TOTALS = ("US", "00")
#: Units whose figure can only be a count of that thing (the topic follows from them).
TOPIC_UNITS = ("lb", "kg", "short_ton", "t", "events", "victims", "pedestrians", "deaths")


def tags_of(evidence: Evidence) -> set[str]:
    """The joint-reading tags of one reading: scope, convention, status, measure."""
    q = evidence.query_json
    where = q.get("where") or {}
    period = str(q.get("period", ""))
    tags = {f"measure:{q.get('measure')}", f"scope:{','.join(where.get('region', ['all']))}"}
    if "component" in where:
        tags.add(f"component:{','.join(where['component'])}")
    if period.startswith("FY"):
        tags.add("year:fiscal")
    elif period.isdigit():
        tags.add("year:calendar")
    if q.get("status"):
        tags.add(f"status:{q['status']}")
    return tags


def choose_joint(claims: list[Claim], carried: dict[str, float]) -> dict[str, float]:
    """Tag → weight: how many of the sentence's figures agree under a reading with that tag,
    plus half the weight the paragraph's earlier sentences gave it."""
    weights = {tag: CARRY * w for tag, w in carried.items()}
    for claim in claims:
        agreeing: set[str] = set()
        for e in claim.readings:
            if e.counts and e.supports:
                agreeing |= tags_of(e)
        for tag in agreeing:
            weights[tag] = weights.get(tag, 0.0) + 1.0
    return {tag: w for tag, w in weights.items() if w >= 0.25}


def doubts_of(clue: Clue, topic: str, claim: Claim) -> list[str]:
    """Why the claim's frame is uncertain (codes of ``claims.doubt``); empty when it is not."""
    m = clue.mention
    out = list(clue.frame.ambiguous) if clue.frame is not None else []
    if m.unit not in TOPIC_UNITS and not load_lexicon().find("topics", clue.folded):
        out.append("memory_topic")
    if _unbound_place(clue, claim) or (topic in ("seizures", "crossings") and _unknown_place(clue)):
        out.append("unbound_place")
    if topic == "seizures" and _state_as_areas(clue, claim):
        out.append("state_areas")
    if any("no period written" in e.label for e in claim.readings):
        out.append("no_period")
    start, end = clue.frame.clause if clue.frame is not None else (0, len(clue.folded))
    if (_RATE.search(clue.folded[start:end]) and m.kind != "quantity") or _RATE.search(
        clue.folded[m.start : m.start + len(m.text) + 40]
    ):
        out.append("rate")
    if m.kind in ("change", "multiplier", "difference") and not _explicit_base(clue):
        out.append("implicit_base")
    start, end = clue.frame.clause if clue.frame is not None else (0, len(clue.folded))
    parts = [e for e in clue.entities if e.dimension in ("region", "component")]
    scoped = any(
        {"area", "port"} & set((e.query_json.get("where") or {}).keys()) for e in claim.readings
    )
    if m.kind == "share" and topic == "overdose_deaths":
        # the part is the cause: fentanyl's share of overdose deaths, named in the clause
        if not load_lexicon().find("drug_fentanyl_deaths", clue.folded[start:end]):
            out.append("subset")
    elif m.kind == "share" and (
        (scoped and not _areas_of_state(clue, topic, start, end))
        or not any(
            start <= e.start < end for e in (*parts, *_areas_of_state(clue, topic, start, end))
        )
    ):
        out.append("subset")  # a share of what? the part is not named in its clause
    if share_or_change(clue):
        out.append("share_or_change")  # "Guanajuato, con el 10.3 por ciento nacional"
    if _unnamed_state(clue):
        out.append("unbound_place")  # "los homicidios en el estado" with no state named
    local = topic in ("seizures", "crossings")  # series kept by port, sector, field office
    if (
        local
        and clue.memory.unknown_place
        and not any(e.dimension in PLACES for e in clue.entities)
        and not clue.whole_country_written()
    ):
        out.append("unbound_place")  # the place of the sentence before, which we cannot filter
    return list(dict.fromkeys(out))


#: A rate (per 100,000, age-adjusted), not a count: the series hold counts.
_RATE = re.compile(
    r"\b(?:rate|rates|age-adjusted|per capita|per 100,000|tasa|tasas|por cada 100 mil)\b"
)


def _explicit_base(clue: Clue) -> bool:
    """Whether a change says what it is measured against: a year-ago phrase, the year or
    month before, N years earlier, a figure or a year written as the base, two years."""
    t, frame = clue.time, clue.frame
    if frame is not None and (frame.base or frame.pair or frame.stated_base):
        return True
    if t.year_ago or t.before or t.released is not None:
        return True
    years = [p for p in t.periods if p.kind in ("calendar_year", "fiscal_year")]
    if len(years) >= 2:
        return True
    ref, source = clue.period_and_source()
    if ref is not None and ref.kind == "range" and source in ("clause", "sentence"):
        return True  # both bases are read (resolve.change_periods)
    if ref is not None and ref.kind == "twelve_month_ending":
        return True  # a 12-month sum changes on the 12 months a year before (CDC's comparison)
    return bool(
        re.search(
            r"(?<!more )(?<!less )(?<!fewer )(?<!higher )(?<!lower )\bthan\b|"
            r"\b(?:since|from|compared (?:to|with)|desde|respecto|frente|comparad[oa]s? con"
            r"|previous|prior|anterior|pasado|last year|ano pasado|year earlier|year before)\b",
            clue.folded[clue.mention.start : clue.mention.start + 120],
        )
    )


def _areas_of_state(clue: Clue, topic: str, start: int, end: int) -> list[Entity]:
    """The state named in a seizure claim's clause when no CBP area is named: its areas are
    the part (``topics._state_scopes``)."""
    if topic != "seizures" or any(e.dimension == "area" for e in clue.entities):
        return []
    return [e for e in clue.entities if e.dimension == "us_state" and start <= e.start < end]


def _state_as_areas(clue: Clue, claim: Claim) -> bool:
    """A state read as CBP areas that also serve other states (``topics._state_scopes``; the
    El Paso Field Office's ports are in Texas and New Mexico), no area being named. The Tucson
    Field Office's ports are Arizona's, so "Arizona's ports" is read exactly."""
    state = clue.entity("us_state")
    if state is None or any(e.dimension == "area" for e in clue.entities):
        return False
    gazetteer = load_gazetteer()
    codes = {c for e in claim.readings for c in (e.query_json.get("where") or {}).get("area", ())}
    return any(
        set(gazetteer.resolve("area", code).attributes.get("us_states", "").split(";"))
        - {state.code}
        for code in codes
    )


def _unbound_place(clue: Clue, claim: Claim) -> bool:
    """A place named in the claim's clause that no reading filters by ("in Arizona" for CBP
    seizures, "at the San Ysidro port" for a nationwide series)."""
    start, end = clue.frame.clause if clue.frame is not None else (0, len(clue.folded))
    used: set[str] = set()
    for e in claim.readings:
        used |= set((e.query_json.get("where") or {}).keys())
        used |= set(e.query_json.get("by") or ())
    narrow = {"area", "port"} & used  # a field office or port: states only describe it
    for entity in clue.entities:
        if entity.dimension not in PLACES or entity.code in TOTALS:
            continue
        if narrow and entity.dimension in ("us_state", "mx_state"):
            continue
        if start <= entity.start < end and entity.dimension not in used:
            return True
    return False


_PLACE_AFTER = re.compile(
    r"\b(?:in|at|en|de|through|por)\s+(?:the\s+|el\s+|la\s+)?"
    r"([A-ZÁÉÍÓÚÑ][a-záéíóúñ]+(?:\s+[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+)?)"
)
#: Capitalised words after "in" / "en" that are not places.
_NOT_PLACES = frozenset(
    [
        "fiscal",
        "year",
        "years",
        "the",
        *MONTHS,
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "lunes",
        "martes",
        "miercoles",
        "jueves",
        "viernes",
        "sabado",
        "domingo",
        "customs",
        "cbp",
        "congress",
        "washington",
        "border",
        "patrol",
        "protection",
        "field",
        "office",
        "sector",
        "port",
        "department",
        "administration",
        "security",
        "oficina",
        "aduanas",
        "patrulla",
        "proteccion",
        "fronteriza",
        "puerto",
        "departamento",
        "secretaria",
        "gobierno",
    ]
)


#: "con el 10.3 por ciento", "(with) 8%": a share held, not a change.
def share_or_change(clue: Clue) -> bool:
    """A percent read as a change that may as well be a share ("Guanajuato (con el 10.3 por
    ciento)", a percent with no word of change near it)."""
    m = clue.mention
    near = clue.folded[max(0, m.start - 50) : m.start + len(m.text) + 30]
    aside = _WITH_SHARE.search(clue.folded[max(0, m.start - 12) : m.start])
    return m.kind == "change" and bool(
        aside or (m.direction is None and not _CHANGE_WORDS.search(near))
    )


_WITH_SHARE = re.compile(r"\b(?:con|with)\s+(?:el|un|the|a)?\s*$")
_CHANGE_WORDS = re.compile(
    r"\b(?:chang|increas|decreas|ris|rose|fell|fall|drop|declin|grow|grew|jump|climb|plung|"
    r"surg|up|down|more|less|fewer|higher|lower|aument|disminu|cay|caid|baj|sub|crec|reduc|"
    r"increment|descen|variaci|cambi|mas|menos|alza)\w*"
)


#: A state spoken of without its name: "los homicidios dolosos en el estado", "statewide".
_THE_STATE = re.compile(
    r"\b(?:en el estado|del estado|en la entidad|de la entidad|la entidad|statewide|"
    r"in the state|the state's)\b"
)


def _unnamed_state(clue: Clue) -> bool:
    """Whether the figure's clause speaks of "the state" while no state is named in the
    sentence or carried from before (a dateline's city is not read as one)."""
    start, end = clue.frame.clause if clue.frame is not None else (0, len(clue.folded))
    if not _THE_STATE.search(clue.folded[start:end]):
        return False
    states = [
        e
        for e in (*clue.entities, *clue.memory.entities)
        if e.dimension in ("us_state", "mx_state") and not e.is_country
    ]
    return not states


def unknown_place(sentence: str, entities: list[Any]) -> bool:
    """Whether ``sentence`` names, after "in" / "en", a capitalised place the gazetteer does
    not know ("un puente internacional en Juárez")."""
    for m in _PLACE_AFTER.finditer(sentence):
        word = m.group(1)
        if any(fold(w) in _NOT_PLACES for w in word.split()) or len(word) < 4:
            continue
        if not any(e.start <= m.start(1) < e.end for e in entities):
            return True
    return False


def _unknown_place(clue: Clue) -> bool:
    """A capitalised name after "in" / "en" in the claim's clause that the gazetteer does not
    know ("un puente internacional en Juárez"): the figure may be for that place alone."""
    start, end = clue.frame.clause if clue.frame is not None else (0, len(clue.folded))
    text = clue.sentence_text[start:end] if clue.sentence_text else ""
    for m in _PLACE_AFTER.finditer(text):
        word = m.group(1)
        if any(fold(w) in _NOT_PLACES for w in word.split()) or len(word) < 4:
            continue
        at = start + m.start(1)
        if not any(e.start <= at < e.end for e in clue.entities):
            return True
    return False


def decide_arithmetic(claim: Claim, m: Mention, frame: Frame) -> bool:
    """Decide ``claim`` from the figures the text states around it, if the frame says so: a
    share of a stated whole, or a change between two stated figures. Returns whether it did."""
    if frame.base == "whole" and frame.whole and m.kind in ("change", "share"):
        part, whole = frame.whole
        share = replace(m, kind="share", direction=None)
        official = 100.0 * part / whole
        values = _values(
            claim, share, official, _label("text_share", part=_n(part), whole=_n(whole))
        )
        if supports(share, official):
            claim.verdict = "supported"
            claim.explain("arithmetic_supported", 0.8, **values)
        else:  # a share of another whole than the one just stated, perhaps: not called false
            claim.doubts = ["subset"]
            claim.explain("arithmetic_contradicted", 0.5, **values)
        claim.official = official
        return True
    if frame.pair is None or m.kind not in ("change", "multiplier"):
        return False
    a, b = frame.pair
    if a.qualifier in _BOUNDS or b.qualifier in _BOUNDS:
        return False  # "de más de nueve mil a poco más de cuatro mil 500": bounds, whose
        # change says nothing exact; the record decides
    change = arithmetic_change(a, b)
    if change is None:
        return False
    official = change if m.kind == "change" else 1 + change / 100
    detail = _label("text_change", a=_n(in_unit_family(a)), b=_n(in_unit_family(b)))
    values = _values(claim, m, official, detail)
    claim.official = official
    if supports(m, official) or _within_rounding(m, a, b):
        claim.verdict = "supported"
        claim.explain("arithmetic_supported", 0.85, **values)
    else:
        claim.verdict = "contradicted"
        claim.explain("arithmetic_contradicted", 0.75, **values)
    return True


#: Qualifiers that make a stated figure a bound, not a value a change can be computed from.
_BOUNDS = ("more_than", "at_least", "less_than")


def _within_rounding(m: Mention, a: Mention, b: Mention) -> bool:
    """Whether the claim agrees with some values the rounded figures A and B may stand for."""
    for da in (-0.5, 0.5):
        for db in (-0.5, 0.5):
            lo = replace(
                a, number=replace(a.number, value=a.number.value + da * a.number.precision)
            )
            hi = replace(
                b, number=replace(b.number, value=b.number.value + db * b.number.precision)
            )
            change = arithmetic_change(lo, hi)
            if change is None:
                continue
            official = change if m.kind == "change" else 1 + change / 100
            if supports(m, official):
                return True
    return False


def _n(value: float) -> dict[str, Any]:
    return {"number": value}


def _label(key: str, **values: Any) -> dict[str, Any]:
    return {"why": {"key": f"claims.label.{key}", "values": values}}


def _values(claim: Claim, m: Mention, official: float, detail: Any) -> dict[str, Any]:
    interval = accepted(m)
    claim.claimed = claimed_value(m)
    claim.accepted = interval.describe()
    return {
        "detail": detail,
        "official": official,
        "claimed": claim.claimed,
        "unit": claim.unit,
        "low": interval.low,
        "high": interval.high,
    }
