"""Tolerance: how far an official figure may be from a written one and still support it.

The rule is the one a careful fact-checker applies, made explicit:

- an exact number is read at the precision it is written with: "27,023" covers 27,022.5 to
  27,023.5 and "27,000" covers 26,500 to 27,500 (half a unit of its last non-zero digit), but a
  round figure of a thousand or more never more than 5% either side: "100,000" is not every
  value from 50,000 to 150,000;
- "about", "nearly", "casi", "alrededor de" widen that to 5% either side;
- "more than", "over", "más de" need the official figure at or above the number, and less than
  25% above it (a claim of "more than 100" for 1,000 misleads); "less than" mirrors it;
- a percent change or share is compared in percentage points: within 1 point, or half the
  written precision if coarser, with the same qualifiers;
- "doubled" means a ratio within 10% of 2 ("tripled" of 3), "nearly doubled" within 15%.
"""

from __future__ import annotations

from dataclasses import dataclass

from borderflow.claims.extract import Mention

#: Relative half-width of "about"-type qualifiers.
ABOUT = 0.05
#: How far above "more than X" the official figure may be before the claim misleads.
LOOSE_BOUND = 1.25
#: Percentage-point tolerance for changes and shares written as whole percents.
POINTS = 1.0
#: The widest a round number's precision may make its interval, relative to it: "100,000" is
#: not every value from 50,000 to 150,000.
ROUND_CAP = 0.05
#: Figures from which the cap holds: a count of a few units is as exact as its unit.
ROUND_FROM = 1000
#: Relative tolerance of a multiplier word ("doubled"); wider with "nearly".
RATIO = 0.10


@dataclass(frozen=True)
class Interval:
    """The values a claim accepts, in its own unit."""

    low: float
    high: float

    def __contains__(self, value: float) -> bool:
        return self.low <= value <= self.high

    def describe(self) -> str:
        return f"{self.low:,.6g} to {self.high:,.6g}"


def accepted(mention: Mention) -> Interval:
    """The interval of official values that support ``mention`` (signed for changes)."""
    value = claimed_value(mention)
    if mention.kind == "rank":
        return Interval(value, value)
    if mention.kind == "multiplier":
        width = RATIO * (1.5 if mention.qualifier == "about" else 1.0)
        return Interval(value * (1 - width), value * (1 + width))
    if mention.kind in ("change", "share"):
        half = max(POINTS, mention.number.precision / 2)
        return _qualified(value, half, mention.qualifier, relative=False)
    half = mention.number.precision / 2
    if abs(value) >= ROUND_FROM:  # "100,000", not "two" pounds
        half = min(half, abs(value) * ROUND_CAP)
    return _qualified(value, half, mention.qualifier, relative=True)


def _qualified(value: float, half: float, qualifier: str | None, *, relative: bool) -> Interval:
    """The interval around ``value``; qualifiers bound its magnitude (a fall of "more than 50%")."""
    size = abs(value)
    loose = size * (LOOSE_BOUND - 1) if relative else 10 * half
    if qualifier in ("more_than", "at_least"):
        low, high = size, size + loose
    elif qualifier == "less_than":
        low, high = size - loose, size
    elif qualifier == "about":
        spread = max(half, size * ABOUT) if relative else max(half, 2.5)
        low, high = size - spread, size + spread
    else:
        low, high = size - half, size + half
    return Interval(low, high) if value >= 0 else Interval(-high, -low)


def claimed_value(mention: Mention) -> float:
    """The written value, signed by the direction the sentence gives a change."""
    value = mention.number.value
    if mention.kind in ("change", "difference") and mention.direction == "down":
        return -value
    return value


#: Relative slack for a weight written in another unit than the record's (kg, tons against
#: pounds): the publisher's conversion and ours differ in the last digits.
CONVERTED = 0.0005


def supports(mention: Mention, official: float) -> bool:
    """Whether ``official`` (in the claim's unit, signed for changes) supports the claim."""
    if mention.kind in ("change", "difference") and mention.direction is None:
        official = abs(official)
    if official in accepted(mention):
        return True
    converted = mention.kind == "quantity" and mention.unit in ("kg", "t", "short_ton")
    value = claimed_value(mention)
    return converted and abs(official - value) <= CONVERTED * abs(value)
