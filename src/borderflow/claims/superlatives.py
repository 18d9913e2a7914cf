"""Superlatives: "the lowest in four years", "the highest on record", "el nivel más bajo desde
2019" — a claim about a figure's rank among the years before it.

The figure is the level the sentence states (its deciding reading); the span is the N − 1 years
before it ("in four years": the three before), the years after the one named ("since 2019":
2020 on), or every year on record. The claim is supported when
the figure is the extreme of the span, contradicted when another year of the span goes past it
(all answered), unverifiable otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from borderflow.claims.frames import SMALL_NUMBERS
from borderflow.errors import BorderflowError
from borderflow.metrics import Engine, Query

_HIGH = r"highest|largest|biggest|most|greatest|mas alt[oa]s?|mayor(?:es)?|maxim[oa]s?"
_LOW = r"lowest|smallest|fewest|least|mas baj[oa]s?|menor(?:es)?|minim[oa]s?"
_WORD = r"\d+|" + "|".join(SMALL_NUMBERS)
_PATTERN = re.compile(
    rf"\b(?P<extreme>{_HIGH}|{_LOW})\b[^.;]{{0,40}}?"
    rf"(?:\b(?:in|en|of the last|de los ultimos)\s+(?:the\s+)?(?:(?:past|last|ultimos)\s+)?"
    rf"(?P<n>{_WORD})\s+(?:years|anos)\b"
    rf"|\b(?:since|desde)\s+(?:(?:fiscal year|fy|el ano fiscal|el ano|el)\s*)?"
    rf"(?P<since>(?:19|20)\d\d)\b"
    rf"|(?P<record>\bon record\b|\bever\b|\bde la historia\b|\bhistoric[oa]\b"
    rf"|\bdesde que hay registros?\b))"
)
#: The most years a superlative is checked over ("on record").
MAX_YEARS = 30


@dataclass(frozen=True)
class Superlative:
    """A superlative phrase found in a sentence."""

    text: str
    start: int
    high: bool
    years: int | None  # N years before; None: since a year, or on record
    since: str | None
    record: bool


def find_superlative(sentence: str, folded: str) -> Superlative | None:
    m = _PATTERN.search(folded)
    if m is None:
        return None
    n = m.group("n")
    years = None if n is None else int(n) if n.isdigit() else SMALL_NUMBERS.get(n)
    high = re.fullmatch(_HIGH, m.group("extreme")) is not None
    return Superlative(
        sentence[m.start() : m.end()],
        m.start(),
        high,
        years,
        m.group("since"),
        bool(m.group("record")),
    )


def _shift(period: str, years: int) -> str | None:
    m = re.fullmatch(r"(FY)?(\d{4})", period)
    return f"{m.group(1) or ''}{int(m.group(2)) - years}" if m else None


def _span(s: Superlative, period: str) -> list[str]:
    """The periods the figure is compared with, latest first."""
    year = int(period.removeprefix("FY"))
    if s.years:  # "the lowest in four years": below each of the three years before
        back = s.years - 1
    elif s.since:  # "the lowest since 2019": below each year after 2019 (2019 may be lower)
        back = year - int(s.since) - 1
    else:
        back = MAX_YEARS
    return [p for k in range(1, max(back, 0) + 1) if (p := _shift(period, k))]


def check_superlative(
    engine: Engine, s: Superlative, query: dict[str, Any]
) -> tuple[str, dict[str, Any]] | None:
    """(verdict, values for the rationale) of ``s`` about the level asked by ``query``; None
    when the figure's period is not a year."""
    period = str(query.get("period", ""))
    if not re.fullmatch(r"(FY)?\d{4}", period):
        return None
    try:
        base = Query.from_dict(
            {k: v for k, v in query.items() if k not in ("per_day", "per_month")}
        )
    except (BorderflowError, ValueError, KeyError, TypeError):
        return None
    value = _value(engine, base)
    if value is None:
        return None
    answered: list[tuple[str, float]] = []
    for other in _span(s, period):
        found = _value(engine, base.with_(period=other))
        if found is None:
            if s.record and answered:
                break  # the record starts here
            return ("unverifiable", {})
        answered.append((other, found))
    if not answered:
        return None
    beaten = [(p, v) for p, v in answered if (v > value if s.high else v < value)]
    values = {
        "reading": query,
        "official_period": period,
        "official": value,
        "extreme": {
            "why": {"key": f"claims.label.{'highest' if s.high else 'lowest'}", "values": {}}
        },
        "span": _span_label(s, len(answered)),
    }
    if beaten:
        other, v = beaten[0]
        return "contradicted", {**values, "other_period": other, "other": v}
    return "supported", values


def _span_label(s: Superlative, years: int) -> dict[str, Any]:
    if s.record:
        return {"why": {"key": "claims.label.on_record", "values": {}}}
    return {"why": {"key": "claims.label.years", "values": {"n": s.years or years + 1}}}


def _value(engine: Engine, query: Query) -> float | None:
    try:
        row = engine.run(query).rows.iloc[0]
    except (BorderflowError, ValueError, KeyError, IndexError):
        return None
    months, expected = row.get("months"), row.get("expected_months")
    if months is not None and expected is not None and months < expected:
        return None
    value = row.get("value")
    return None if value is None or value != value else float(value)
