"""Turn a ``Query`` into a ``Selection``: validate names, apply the measure's rules, pick months.

This is where the semantics live: 12-month-ending values are never added across months,
stocks are read at a point in time, annual series cannot form fiscal years, publisher totals
are never added to their own parts, AMO joins CBP's nationwide figures only when asked.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from borderflow.metrics.compile import FORECAST_STATUS, Selection
from borderflow.metrics.measures import Measure, get_measure
from borderflow.metrics.notes import note
from borderflow.metrics.periods import GRAINS, Period, add_months, months_between
from borderflow.metrics.query import Query, QueryError
from borderflow.vocabulary import fold_words as fold

#: (dimension) → stored members, for validation and suggestions.
MemberLookup = Callable[[Measure, str], Sequence[str]]
#: (dimension, text) → a stored code, through the gazetteer; None when it knows no such name.
Resolver = Callable[[str, str], str | None]


@dataclass(frozen=True)
class Plan:
    """A selection plus the notes that explain how the period was read."""

    selection: Selection
    period: Period
    notes: tuple[str, ...]


def plan_query(
    query: Query,
    period: Period,
    members: MemberLookup,
    resolve: Resolver | None = None,
    last_month: date | None = None,
) -> Plan:
    """Validate ``query`` (read over ``period``) against the measure's rules and stored members."""
    m = get_measure(query.measure)
    _check_dimensions(m, query)
    read_as: list[tuple[str, str, str]] = []  # (dimension, text, member) read through a name
    filters = {
        d: _resolve_members(m, d, texts, members, resolve, read_as)
        for d, texts in query.where.items()
    }
    if last_month is not None:
        period = period.close(last_month)
    elif period.open_end:
        raise QueryError(f"{period.label}: the series has no data to close the year-to-date on.")
    first, last, months, by_end, grain, notes = _plan_period(m, period, query.grain)
    notes = (
        *notes,
        *(
            note("member_read_as", dimension=d, text=t, code=c, measure=m.name)
            for d, t, c in read_as
        ),
    )
    exclude = _apply_totals(m, query, filters)
    _check_no_sum_over(m, query, filters)
    sources: tuple[str, ...] = (m.source,)
    if query.include_amo:
        if m.companion is None:
            raise QueryError(f"{m.name} has no Air and Marine Operations counterpart to include.")
        sources = (m.source, m.companion)
        notes = (*notes, note("amo_included"))
    for dim, value in m.fixed.items():
        filters.setdefault(dim, (value,))
    if query.status == FORECAST_STATUS:
        notes = (*notes, note("forecast"))
    selection = Selection(
        measure=m,
        sources=sources,
        status=_status(m, query.status),
        filters=tuple(sorted(filters.items())),
        exclude=tuple(sorted(exclude.items())),
        by=query.by,
        first=first,
        last=last,
        months=months,
        grain=grain,
        by_end=by_end,
    )
    return Plan(selection, period, notes)


def _check_dimensions(m: Measure, query: Query) -> None:
    for dim in (*query.where, *query.by, *([query.share_of] if query.share_of else [])):
        if dim not in m.dimensions:
            close = difflib.get_close_matches(dim, m.dimensions, n=3, cutoff=0.4)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise QueryError(
                f"{m.name} has no dimension {dim!r}.{hint} "
                f"Its dimensions: {', '.join(m.dimensions)}."
            )


def _status(m: Measure, asked: str | None) -> str | None:
    if asked is None:
        return None if m.default_status == "any" else m.default_status
    if asked == FORECAST_STATUS and m.temporal in ("flow", "rolling"):
        return asked
    if asked not in m.statuses:
        raise QueryError(
            f"{m.name} has no {asked!r} values; its statuses are {', '.join(m.statuses)}. "
            "Provisional and final counts are different series: ask for one at a time."
        )
    return asked


def _resolve_members(
    m: Measure,
    dim: str,
    texts: Sequence[str],
    members: MemberLookup,
    resolve: Resolver | None,
    read_as: list[tuple[str, str, str]] | None = None,
) -> tuple[str, ...]:
    """The stored members ``texts`` name; those read through a name or alias of the gazetteer
    ("México" → 00, the national total) are added to ``read_as`` so the answer can say so."""
    stored = list(members(m, dim))
    by_fold = {fold(s): s for s in stored}
    chosen = []
    for text in texts:
        code = by_fold.get(fold(text))
        if code is None and resolve is not None:
            code = resolve(dim, text)
            code = code if code in stored else None
            if code is not None and read_as is not None:
                read_as.append((dim, text, code))
        if code is None:
            near = difflib.get_close_matches(fold(text), by_fold, n=5, cutoff=0.5)
            close = [by_fold[f] for f in near] or [s for s in stored if fold(text) in fold(s)][:5]
            hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise QueryError(
                f"{text!r} is not among the {dim} members of {m.name}.{hint} "
                f"`borderflow members {m.name} {dim}` lists them."
            ).saying(
                "not_member_close" if close else "not_member",
                text=text,
                dimension=dim,
                measure=m.name,
                close=", ".join(repr(c) for c in close),
            )
        chosen.append(code)
    return tuple(dict.fromkeys(chosen))


def _apply_totals(
    m: Measure, query: Query, filters: dict[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    """Read a publisher's total member alone, or its parts alone — never both."""
    exclude: dict[str, tuple[str, ...]] = {}
    for dim, total in m.totals.items():
        if dim in filters:
            continue
        if dim in query.by or dim == query.share_of:
            exclude[dim] = (total,)
        else:
            filters[dim] = (total,)
    return exclude


def _check_no_sum_over(m: Measure, query: Query, filters: dict[str, tuple[str, ...]]) -> None:
    for dim in m.no_sum_over:
        single = len(filters.get(dim, ())) == 1
        if not single and dim not in query.by:
            raise QueryError(
                f"{m.name} values must not be added over {dim}: "
                + " ".join(m.notes)
                + f" Filter to one {dim} or break down by {dim}."
            )


PeriodPlan = tuple[date, date, tuple[date, ...] | None, bool, str | None, tuple[str, ...]]


def _plan_period(m: Measure, period: Period, grain: str | None) -> PeriodPlan:
    if grain is not None and grain not in GRAINS:
        raise QueryError(f"unknown grain {grain!r}")
    if m.temporal == "rolling":
        return _plan_rolling(m, period, grain)
    if m.temporal in ("stock", "rate"):
        return _plan_point(m, period, grain)
    if m.period_type == "calendar_year":
        _require_calendar_years(m, period, grain)
    return period.first, period.last, None, False, grain, ()


def _require_calendar_years(m: Measure, period: Period, grain: str | None) -> None:
    if period.first.month != 1 or period.last.month != 12:
        raise QueryError(
            f"{m.name} is published by calendar year; {period.label} does not cover whole "
            "calendar years, and a calendar year's count cannot be split into months or fiscal "
            "years. Ask for e.g. 2022 or 2019..2022."
        )
    if grain not in (None, "calendar_year"):
        raise QueryError(f"{m.name} is annual: use grain calendar_year (or none), not {grain}.")


def _plan_rolling(m: Measure, period: Period, grain: str | None) -> PeriodPlan:
    """12-month-ending values: one ending month, or a list of them — never a sum across months."""
    if grain in ("calendar_year", "fiscal_year"):
        end_month = 12 if grain == "calendar_year" else 9
        ends = tuple(d for d in _month_list(period.first, period.last) if d.month == end_month)
        said = note("year_december" if end_month == 12 else "year_september")
        return period.first, period.last, ends, True, grain, (said,)
    if grain == "month":
        return period.first, period.last, None, True, "month", ()
    if period.kind in ("12_month_ending", "month"):
        return period.last, period.last, (period.last,), True, None, ()
    if period.kind in ("calendar_year", "fiscal_year"):
        converted = period.as_twelve_month_ending()
        said = note(
            "read_as",
            period=period.label,
            converted=converted.label,
            period_code=period.label,
            converted_code=f"12ME {converted.last:%Y-%m}",
        )
        return converted.last, converted.last, (converted.last,), True, None, (said,)
    raise QueryError(
        f"{m.name} values are 12-month rolling sums; they cannot be added across the months of "
        f"{period.label}. Ask for one ending month (e.g. 12ME {period.last:%Y-%m}), a calendar "
        "year, or a range with grain month to list them."
    )


def _plan_point(m: Measure, period: Period, grain: str | None) -> PeriodPlan:
    """Stocks and rates: read at points in time, one per bucket, never summed over time."""
    if grain == "month" and m.period_type == "month":
        return period.first, period.last, None, False, "month", ()
    if grain not in (None, "calendar_year"):
        raise QueryError(f"{m.name} is a level, not a flow: use grain calendar_year or month.")
    if grain is None and period.kind == "month" and m.period_type == "month":
        return period.first, period.last, (period.first,), False, None, ()
    years = range(period.first.year, period.last.year + 1) if grain else [period.midpoint_year]
    month_of_year = 7 if m.period_type == "month" else 1
    points = tuple(date(y, month_of_year, 1) for y in years)
    notes = []
    if grain is None and period.kind != "calendar_year":
        notes.append(
            note("level", measure=m.name, year=period.midpoint_year, period=period.label,
                 period_code=period.label)
        )  # fmt: skip
    if m.period_type == "month":
        notes.append(note("mid_year"))
    return points[0], points[-1], points, False, grain, tuple(notes)


def _month_list(first: date, last: date) -> list[date]:
    return [add_months(first, i) for i in range(months_between(first, last))]
