"""Periods as types: fiscal years, calendar years, quarters, months, month ranges, 12-month-ending.

Every period is a run of whole calendar months (``first`` and ``last`` are the first days of its
first and last months). A U.S. federal fiscal year runs October–September: FY2024 is October
2023 – September 2024. A fiscal-year-to-date period is open until it is closed against the last
month a series has (``close``). Conversions between kinds are explicit methods, never implied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from borderflow.errors import BorderflowError

KINDS = (
    "month",
    "months",
    "quarter",
    "calendar_year",
    "fiscal_year",
    "fiscal_ytd",
    "12_month_ending",
)
GRAINS = ("month", "quarter", "calendar_year", "fiscal_year")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class PeriodError(BorderflowError):
    """A period that cannot be read or does not make sense."""


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> int:
    """Number of months from ``first`` to ``last`` inclusive."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def fiscal_year_of(day: date) -> int:
    """The federal fiscal year a date falls in (October starts the next fiscal year)."""
    return day.year + (1 if day.month >= 10 else 0)


@dataclass(frozen=True)
class Period:
    """A run of whole months, with the kind it was asked as.

    Attributes:
        kind: one of ``KINDS``.
        first: first day of the first month.
        last: first day of the last month (inclusive).
        open_end: for ``fiscal_ytd``, True until closed against the data's last month.
    """

    kind: str
    first: date
    last: date
    open_end: bool = False

    @property
    def months(self) -> int:
        return months_between(self.first, self.last)

    @property
    def end_day(self) -> date:
        """The last day of the period."""
        return date.fromordinal(add_months(self.last, 1).toordinal() - 1)

    @property
    def label(self) -> str:
        return _LABELS[self.kind](self)

    @property
    def midpoint_year(self) -> int:
        """The calendar year containing the period's middle month (for matching populations)."""
        return add_months(self.first, (self.months - 1) // 2).year

    def shift(self, months: int) -> Period:
        """The same kind of period, ``months`` later (negative: earlier)."""
        return replace(
            self, first=add_months(self.first, months), last=add_months(self.last, months)
        )

    def year_ago(self) -> Period:
        """The same months one year earlier ("the same period last year")."""
        return self.shift(-12)

    def previous(self) -> Period:
        """The period of the same length immediately before this one."""
        return self.shift(-self.months)

    def close(self, last_available: date) -> Period:
        """A fiscal-year-to-date period ends at the last month the data have (within its year)."""
        if not self.open_end:
            return self
        last = min(self.last, date(last_available.year, last_available.month, 1))
        if last < self.first:
            raise PeriodError(
                f"{self.label} has no data yet: the series ends {last_available:%b %Y}."
            )
        return replace(self, last=last, open_end=False)

    def as_twelve_month_ending(self) -> Period:
        """Explicit conversion: a 12-month period (a calendar or fiscal year) as a 12-month-ending
        period ending in its last month (calendar 2022 = the 12 months ending December 2022)."""
        if self.months != 12 or self.open_end:
            raise PeriodError(
                f"{self.label} is not a 12-month period, so it is not a 12-month-ending period."
            )
        return Period("12_month_ending", self.first, self.last)

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "first": self.first.isoformat(), "last": self.last.isoformat()}


def fiscal_year(year: int) -> Period:
    return Period("fiscal_year", date(year - 1, 10, 1), date(year, 9, 1))


def fiscal_ytd(year: int) -> Period:
    return Period("fiscal_ytd", date(year - 1, 10, 1), date(year, 9, 1), open_end=True)


def calendar_year(year: int) -> Period:
    return Period("calendar_year", date(year, 1, 1), date(year, 12, 1))


def quarter(year: int, q: int) -> Period:
    first = date(year, 3 * (q - 1) + 1, 1)
    return Period("quarter", first, add_months(first, 2))


def month(year: int, number: int) -> Period:
    return Period("month", date(year, number, 1), date(year, number, 1))


def twelve_month_ending(year: int, number: int) -> Period:
    last = date(year, number, 1)
    return Period("12_month_ending", add_months(last, -11), last)


def month_range(first: date, last: date) -> Period:
    if last < first:
        raise PeriodError(f"the range {first:%Y-%m}..{last:%Y-%m} ends before it starts.")
    return Period("months", first, last)


_FY = re.compile(r"^fy\s*(\d{4}|\d{2})(\s*(ytd|fytd|\(fytd\)|to date))?$")
_FYTD = re.compile(r"^fytd\s*(\d{4}|\d{2})$")
_CY = re.compile(r"^(?:cy\s*)?(\d{4})$")
_Q = re.compile(r"^(?:(\d{4})\s*-?\s*q([1-4])|q([1-4])\s*-?\s*(\d{4}))$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_TTM = re.compile(r"^(?:12me|12m|ttm|12 months ending|12-month-ending)\s*(\d{4})-(\d{1,2})$")


#: Years a period may span: the record starts in the 1990s, and the margins keep every
#: comparison (the period before a range as long as this one) inside the date type's calendar.
FIRST_YEAR, LAST_YEAR = 1000, 8999


def parse_period(text: str) -> Period:
    """Read a period as analysts write it.

    ``FY2024``, ``FY24``, ``FY2026 YTD``, ``2024`` / ``CY2024``, ``2024Q1`` / ``Q1 2024``,
    ``2023-10``, ``2023-10..2023-12``, ``12ME 2022-12``. Ranges of any of these: ``A..B``
    spans from the first month of A to the last month of B.

    Raises:
        PeriodError: it cannot be read, or lies outside ``FIRST_YEAR``–``LAST_YEAR``.
    """
    try:
        period = _parse(text)
        inside = period.first.year >= FIRST_YEAR and period.last.year <= LAST_YEAR
        period.previous()  # comparisons need the period before to exist too
    except ValueError as exc:  # a year the date type cannot hold (year 0)
        raise PeriodError(f"cannot read the period {text!r}: {exc}.") from None
    if not inside:
        raise PeriodError(
            f"the period {text!r} lies outside the years {FIRST_YEAR}–{LAST_YEAR} borderflow "
            "can compute with."
        )
    return period


def _parse(text: str) -> Period:
    cleaned = " ".join(text.strip().lower().split())
    if ".." in cleaned:
        start, _, end = cleaned.partition("..")
        a, b = _parse(start), _parse(end)
        return month_range(a.first, b.last)
    for pattern, build in _PARSERS:
        match = pattern.match(cleaned)
        if match:
            return build(match)
    raise PeriodError(
        f"cannot read the period {text!r}. Try FY2024, FY2026 YTD, 2024, 2024Q1, 2023-10, "
        "2023-10..2023-12 or 12ME 2022-12."
    )


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if value < 100 else value


def _month_number(text: str) -> int:
    number = int(text)
    if not 1 <= number <= 12:
        raise PeriodError(f"month {number} does not exist; months run 1–12.")
    return number


def _build_fy(m: re.Match[str]) -> Period:
    return fiscal_ytd(_year(m.group(1))) if m.group(2) else fiscal_year(_year(m.group(1)))


def _build_q(m: re.Match[str]) -> Period:
    year, q = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    return quarter(int(year), int(q))


_PARSERS = (
    (_FY, _build_fy),
    (_FYTD, lambda m: fiscal_ytd(_year(m.group(1)))),
    (_CY, lambda m: calendar_year(int(m.group(1)))),
    (_Q, _build_q),
    (_MONTH, lambda m: month(int(m.group(1)), _month_number(m.group(2)))),
    (_TTM, lambda m: twelve_month_ending(int(m.group(1)), _month_number(m.group(2)))),
)


def _month_label(day: date) -> str:
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


_LABELS = {
    "month": lambda p: _month_label(p.first),
    "months": lambda p: f"{_month_label(p.first)} – {_month_label(p.last)}",
    "quarter": lambda p: f"{p.first.year}Q{(p.first.month - 1) // 3 + 1}",
    "calendar_year": lambda p: str(p.first.year),
    "fiscal_year": lambda p: f"FY{p.last.year}",
    "fiscal_ytd": lambda p: (
        f"FY{fiscal_year_of(p.first)} YTD"
        + ("" if p.open_end else f" (Oct – {MONTH_NAMES[p.last.month - 1]})")
    ),
    "12_month_ending": lambda p: f"12 months ending {_month_label(p.last)}",
}


def grain_label(grain: str, first_month: date) -> str:
    """The label of the grain bucket that starts with (or contains) ``first_month``."""
    if grain == "fiscal_year":
        return f"FY{fiscal_year_of(first_month)}"
    if grain == "calendar_year":
        return str(first_month.year)
    if grain == "quarter":
        return f"{first_month.year}Q{(first_month.month - 1) // 3 + 1}"
    return f"{first_month:%Y-%m}"
