"""Checks of request inputs the routes share, before any library is asked.

A period is read by the metrics layer's parser, and refused (400, ``PeriodError``) when it
cannot be read or lies where period arithmetic (the year before, the period before) leaves the
calendar: the date type ends at year 1 and 9999, and a comparison must not fall off it.
"""

from __future__ import annotations

from borderflow.metrics.periods import PeriodError, parse_period

#: Years a period may span: the record starts in the 1990s; the margins leave room for every
#: comparison (the previous period of a range as long as this one stays in the calendar).
FIRST_YEAR, LAST_YEAR = 1000, 8999


def check_period(text: str | None) -> str | None:
    """``text`` unchanged if it is a period the metrics layer can compute with.

    Raises:
        PeriodError: it cannot be read, or it lies outside ``FIRST_YEAR``–``LAST_YEAR``.
    """
    if text is None or not text.strip():
        return text
    try:
        period = parse_period(text)
    except ValueError as exc:  # a year the date type cannot hold (year 0)
        raise PeriodError(f"cannot read the period {text!r}: {exc}.") from None
    inside = period.first.year >= FIRST_YEAR and period.last.year <= LAST_YEAR
    try:
        period.previous()  # the period before (comparisons) must exist too
    except ValueError:
        inside = False
    if not inside:
        raise PeriodError(
            f"the period {text!r} lies outside the years {FIRST_YEAR}–{LAST_YEAR} borderflow "
            "can compute with."
        )
    return text
