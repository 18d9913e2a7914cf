"""When a figure may be called false: the firm-frame policy (precision first).

A claim is **contradicted** only when nothing about how it was read is in doubt. Two registries
of gates say what would put it in doubt; each returns a doubt code of ``claims.doubt`` (shown to
the reader) or ``None``. Any doubt turns a would-be "contradicted" into "unverifiable
(ambiguous)", with the readings shown; a claim that some reading supports stays supported.

- ``FRAME_GATES`` (before the record is asked): the claim's measure, place, period and
  comparison base must be bound from the words of its own clause — not inherited from the rest
  of the sentence or an earlier one, not a default — and the number must be a figure of the
  warehouse's kind (not an age, not inside a quotation of another source).
- ``ALTERNATIVE_GATES`` (after every reading was answered): readings the checker does not ask
  as counting readings but an author may well have meant — the figure converted between pounds
  and kilograms, a year or two before an unwritten "every year", a reading set aside as less
  likely (all drugs when fentanyl is named among others) — must also be outside tolerance.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from borderflow.claims.frames import segment
from borderflow.claims.lexicon import fold
from borderflow.claims.resolve import shift_years
from borderflow.claims.verify import accepted
from borderflow.metrics import get_measure
from borderflow.metrics.periods import fiscal_year_of

if TYPE_CHECKING:
    from borderflow.claims.extract import Mention
    from borderflow.claims.resolve import Clue

#: ``check.Claim`` / ``check.Evidence`` (check imports this module, not the reverse).
Claim = Any
Evidence = Any

#: Places and parts of CBP a reading may be filtered by.
_SCOPES = ("area", "port", "component", "us_state", "mx_state")
#: Pounds in a kilogram, and the relative tolerance of a conversion an author may have made.
_LB_PER_KG = 2.20462
_CONVERSION_TOLERANCE = 0.005
#: How close a figure must be to a reading the checker thought less likely (all drugs when
#: fentanyl is named among others) for that reading to be a plausible one.
_NEAR_OTHER = 0.05
#: Topics whose figure is a level at the time of writing when no period is written.
_PRESENT_TOPICS = ("population",)
#: How far a year or two before the latest may be from it (claimed / record) for a rate whose
#: year is not written.
_NEAR_YEARS = (2 / 3, 1.5)


def _period_own_clause(clue: Clue, topic: str, claim: Claim) -> str | None:
    """The period must be written in the claim's own clause (or its side of a pair)."""
    _, source = clue.period_and_source()
    if source in ("none", "memory") and clue.time.released is not None:
        return None  # "data released in December 2023 … the same period": read from the release
    if source == "none" and topic in _PRESENT_TOPICS:
        # a population, today: read for the publication year, but a census count, an estimate
        # and a projection of the same people differ by a few percent and the text does not
        # say which day it counts ("126,014,024 inhabitants": INEGI's 2020 census)
        return "no_period"
    if source == "memory" and clue.memory.topic == topic:
        return None  # "It rose 84% from the year before": the story's period, same subject
    return {
        "sentence": "period_elsewhere",
        "memory": "memory_period",
        "rate": "period_defaulted",
        "none": "no_period",
    }.get(source)


def _period_own_segment(clue: Clue, topic: str, claim: Claim) -> str | None:
    """A figure whose own comma-delimited stretch writes periods must be read for one of them:
    "After declining 4.1 percent from 2017 to 2018, deaths increased 18.2 percent from the 12
    months ending June 2019 to …" does not date the 18.2 percent by 2018. Compared by the years
    the periods name (a year is read as a 12-month-ending December too)."""
    if clue.frame is None or not claim.readings:
        return None
    start, end = segment(clue.folded, clue.mention, clue.frame.clause)
    written = {
        y for p in clue.time.periods if start <= p.start < end for y in _YEARS.findall(p.period)
    }
    if not written:
        return None
    asked = [_years_named(str(e.query_json.get("period", ""))) for e in claim.readings if e.counts]
    if asked and not any(years & written for years in asked):
        return "period_elsewhere"
    return None


def _years_named(period: str) -> set[str]:
    """The years a period may be written by: its own, and the fiscal year of a range from
    October ("2022-10..2022-12" is fiscal year 2023 so far)."""
    years = set(_YEARS.findall(period))
    span = re.fullmatch(r"(\d{4})-10\.\.(\d{4})-(\d\d)", period)
    if span:
        years.add(str(fiscal_year_of(date(int(span.group(2)), int(span.group(3)), 1))))
    return years


_YEARS = re.compile(r"(?:19|20)\d\d")


def _place_own_sentence(clue: Clue, topic: str, claim: Claim) -> str | None:
    """A place or part of CBP a reading filters by must be named in the sentence itself, not
    carried from an earlier one."""
    if clue.whole_country_written():
        return None
    named = {e.dimension for e in clue.entities}
    # a country carried counts too: it is the national series, but the sentence may have moved
    # on to a part of it — unless no sentence before named any part of a country, so the story
    # has only ever been about the whole ("… deaths in the US declined. There were an estimated
    # 107,543 …")
    carried = {
        (e.dimension, e.code)
        for e in clue.memory.entities
        if e.dimension not in named and (clue.memory.parts_named or not e.is_country)
    }

    def inherits(e: Evidence) -> bool:
        where = e.query_json.get("where") or {}
        return any(
            dim in _SCOPES and any((dim, code) in carried for code in codes)
            for dim, codes in where.items()
        )

    inheriting = [inherits(e) for e in claim.readings]
    # the carried place and the whole both asked: every reading a reader may take is tried;
    # only one of them asked (the place, or the whole though a place was carried) is a guess
    scoped = any(dim in _SCOPES for dim, _ in carried)
    return (
        "memory_place"
        if scoped and inheriting and (all(inheriting) or not any(inheriting))
        else None
    )


_BASE_WORDS = re.compile(
    r"(?<!more )(?<!less )(?<!fewer )(?<!higher )(?<!lower )\bthan\b|"
    r"\b(?:since|from|compared (?:to|with)|desde|respecto|frente|comparad[oa]s? con|"
    r"previous|prior|anterior|pasado|last year|ano pasado|year earlier|year before|"
    r"a year ago|hace un ano|year-over-year|year over year|interanual|anual)\b"
)


def _base_own_clause(clue: Clue, topic: str, claim: Claim) -> str | None:
    """A change or multiplier must say, in its own clause, what it is measured against."""
    m, frame = clue.mention, clue.frame
    if m.kind not in ("change", "multiplier", "difference"):
        return None
    if frame is not None and (frame.base or frame.pair or frame.stated_base):
        return None
    ref, source = clue.period_and_source()
    if ref is not None and ref.kind == "range" and source == "clause":
        return None  # "between October and December": both bases are read
    start, end = frame.clause if frame is not None else (0, len(clue.folded))
    after = clue.folded[m.start : m.start + len(m.text) + 120]  # "78% … compared to …"
    if _BASE_WORDS.search(clue.folded[start:end]) or _BASE_WORDS.search(after):
        return None
    years = [p for p in clue.time.periods if start <= p.start < end and p.kind != "month"]
    return None if len(years) >= 2 else "implicit_base"


_AGE = re.compile(
    r"^\s*(?:years? old|-year-old|year-old|anos de edad|anos o mas|o mas anos|and older|"
    r"or older|de edad)"
)
_QUOTES = re.compile(r"[\"“”«»]")
_SOURCE_WORDS = re.compile(r"\b(?:according to|report|data|datos|informe|reporte|segun)\b")


def _not_a_figure(clue: Clue, topic: str, claim: Claim) -> str | None:
    """An age ("aged 25 years old") or a number inside quoted words of someone else."""
    m = clue.mention
    if _AGE.match(m.object_text[:20]):
        return "not_a_figure"
    text = clue.sentence_text or ""
    if len(_QUOTES.findall(text[: m.start])) % 2 == 1 and _SOURCE_WORDS.search(clue.folded):
        return "quoted"  # a quoted figure attributed to a report or data of another source
    return None


#: "according to X", "la organización X contabiliza": the figure is X's count.
_ATTRIBUTED = re.compile(
    r"\b(?:[Aa]ccording to|[Ss]eg[uú]n|[Dd]e acuerdo con|[Ll]a organizaci[oó]n|"
    r"[Tt]he organization|[Tt]he group|[Ee]l grupo|[Ll]a consultora|[Dd]ata from|"
    r"[Ff]igures from|[Cc]ifras de|[Dd]atos de)\s+(?:(?:the|el|la|los|las|del?)\s+)?"
    # "según nuevos datos de población del Centro …": the kind of data before the name
    r"(?:(?:(?:new|latest|nuevos|nuevas|ultimos|últimos|datos|data|cifras|figures|estimates|"
    r"estimaciones|population|poblacion|población|of|from|de|del|the|la|el)\s+){1,5})?"
    r"([A-ZÁÉÍÓÚÑ][\w&.-]*(?:\s+(?:del?\s+(?:la\s+)?)?[A-ZÁÉÍÓÚÑ][\w&.-]*)*)"
)
#: Words naming a publisher whose series the warehouse holds.
_HELD = re.compile(
    r"\b(?:cbp|customs|aduanas|border patrol|patrulla|u\.s\.|dhs|homeland|sesnsp|secretariado|"
    r"sistema nacional|snsp|cdc|centers|centros|nchs|national center|vsrr|conapo|census|bts|"
    r"bureau|transportation|transporte|consejo nacional de poblaci|censo|oficina del censo|"
    r"secretar[ií]a de seguridad|sspc|comtrade|united nations|onu)"
)


def attributed_elsewhere(text: str) -> str | None:
    """The name of a source whose series the warehouse does not hold that ``text`` attributes
    its figures to ("la organización TResearch contabiliza …"), if any."""
    for hit in _ATTRIBUTED.finditer(text):
        name = hit.group(1)
        if not _HELD.search(name.lower()):
            return name
    return None


def _attributed_elsewhere(clue: Clue, topic: str, claim: Claim) -> str | None:
    """A figure the sentence attributes to a named source whose series the warehouse does not
    hold: its own count, not the record's."""
    return "other_source" if attributed_elsewhere(clue.sentence_text or "") else None


#: Words before a period that make it the base of a change ("compared with 2019", "from the
#: 12-month period ending in June 2019", "frente a 2018").
_BASE_BEFORE = re.compile(
    r"\b(?:than|from|since|compared (?:to|with)|versus|vs\.?|over|against|desde|frente a|"
    r"respecto (?:a|de)|en comparacion con|comparad[oa]s? con|con relacion a)"
    r"(?:\s+(?:the|el|la|los|las|del?|al|in|en|same|mismo|period|periodo|12-month|"
    r"12 month|twelve-month|ending|que termino|que concluyo|terminado|in|a|of))*\s*$"
)


def _stated_base_unread(clue: Clue, topic: str, claim: Claim) -> str | None:
    """A change whose clause writes the period it is measured against ("una disminución del
    17.3 % en comparación con 2019") while no reading compares with that period (each read it
    against a year earlier of another period): the base the text states was not read."""
    m, frame = clue.mention, clue.frame
    if m.kind not in ("change", "multiplier", "difference") or not claim.readings:
        return None
    start, end = frame.clause if frame is not None else (0, len(clue.folded))
    end = max(end, m.start + len(m.text) + 120)
    stated = {
        p.period
        for p in clue.time.periods
        if start <= p.start < end
        and _BASE_BEFORE.search(clue.folded[max(0, p.start - 60) : p.start])
    }
    if not stated:
        return None
    read: set[str] = set()
    for e in claim.readings:
        period = str(e.query_json.get("period") or "")
        if e.query_json.get("compare") == "year_ago":
            read.add(shift_years(period, -1) or "")
        read.update(p for p in stated if f"against {p}" in e.label)
    return None if stated & read else "stated_base"


FRAME_GATES: tuple[Callable[[Clue, str, Claim], str | None], ...] = (
    _period_own_clause,
    _period_own_segment,
    _place_own_sentence,
    _base_own_clause,
    _stated_base_unread,
    _not_a_figure,
    _attributed_elsewhere,
)


def frame_doubts(clue: Clue, topic: str, claim: Claim) -> list[str]:
    """The doubts about how ``claim`` was bound (see ``FRAME_GATES``)."""
    return [d for gate in FRAME_GATES if (d := gate(clue, topic, claim)) is not None]


def _converted(claim: Claim, m: Mention, answered: list[Evidence]) -> str | None:
    """A weight the author may have converted (pounds ↔ kilograms) before writing it."""
    if m.kind != "quantity" or m.unit not in ("lb", "kg", "t", "short_ton"):
        return None
    value = float(claim.claimed)
    for e in answered:
        for factor in (_LB_PER_KG, 1 / _LB_PER_KG):
            if abs(value * factor - e.official) <= _CONVERSION_TOLERANCE * abs(e.official):
                return "unit_conversion"
    return None


def _defaulted_year(claim: Claim, m: Mention, answered: list[Evidence]) -> str | None:
    """A rate whose year is not written ("150 a day", "cada año") was read for the latest
    complete year; the author may mean a year or two before, which differ by up to a half:
    false only if it is off by more than that from every reading."""
    if "period_defaulted" not in claim.doubts:
        return None
    value = abs(float(claim.claimed))
    if all(e.official and not (_NEAR_YEARS[0] <= value / abs(e.official) <= _NEAR_YEARS[1])
           for e in answered):  # fmt: skip
        claim.doubts.remove("period_defaulted")
    return None


def _other_measure(claim: Claim, m: Mention, answered: list[Evidence]) -> str | None:
    """A reading the checker answered but set aside (all drug overdoses when "drugs such as
    fentanyl, cocaine and methamphetamine" named fentanyl among others) that the figure is
    close to: the author may well have meant it."""
    value = abs(float(claim.claimed))
    for e in claim.readings:
        if e.counts or not e.official:
            continue
        if e.supports or abs(value - abs(e.official)) <= _NEAR_OTHER * abs(e.official):
            return "other_reading"
    return None


#: Words that say a homicide figure is SESNSP's (intentional homicide, its victims, its name).
_SESNSP_WORDS = re.compile(
    r"\b(?:dolos[oa]s?|intencional(?:es)?|intentional|sesnsp|secretariado|victimas|victims|"
    r"carpetas|sistema nacional de seguridad)\b"
)
#: How far above SESNSP's victims INEGI's death-registration count of homicides runs
#: (2019–2023: 3–6% above; a margin for the preliminary counts).
_INEGI_ABOVE = 1.12


def _inegi_homicides(claim: Claim, m: Mention, answered: list[Evidence]) -> str | None:
    """ "32 mil 223 homicidios en 2022", with no word saying they are SESNSP's intentional
    homicides: INEGI's death records count every homicide and run a few percent above SESNSP's
    victims, so a figure that far above the record may be INEGI's, not a wrong SESNSP one."""
    if m.kind != "quantity" or _SESNSP_WORDS.search(fold(claim.sentence)):
        return None
    value = abs(float(claim.claimed))
    for e in answered:
        measure = e.query_json.get("measure")
        if measure == "homicide_victims" and e.official and 1 < value / e.official <= _INEGI_ABOVE:
            return "inegi_homicides"
    return None


def _beyond_the_whole_period(claim: Claim, m: Mention, answered: list[Evidence]) -> str | None:
    """A level claimed for a period that had not ended on the publication date ("more than
    30,000 pounds of fentanyl in Fiscal Year 2024", written in August) above even the whole
    period's total as published since: what had been counted by then was less still, so the
    text is false whatever day it was written. Sums only (seizures, deaths, crossings): not
    rolling 12-month counts, rates or averages a day, which a part of the period may exceed."""
    if "after_publication" not in claim.doubts or m.kind != "quantity" or not answered:
        return None
    sums = all(
        get_measure(str(e.query_json.get("measure"))).temporal == "flow"
        and "per_day" not in e.query_json
        and "per_month" not in e.query_json
        for e in answered
    )
    if sums and all(e.official < accepted(m).low for e in answered):
        claim.doubts.remove("after_publication")
    return None


ALTERNATIVE_GATES: tuple[Callable[[Claim, Mention, list[Evidence]], str | None], ...] = (
    _beyond_the_whole_period,
    _defaulted_year,
    _converted,
    _other_measure,
    _inegi_homicides,
)


def alternative_doubts(claim: Claim, m: Mention, answered: list[Evidence]) -> list[str]:
    """Readings an author may have meant that no query asks (see ``ALTERNATIVE_GATES``) and
    under which the claim would not be false."""
    return [d for gate in ALTERNATIVE_GATES if (d := gate(claim, m, answered)) is not None]
