"""Helpers shared by the section builders (``report.topics``, ``report.extras``).

A section is a function ``build(ctx) -> Section``; ``SectionSpec`` says how it is registered and
filtered, and ``report.registry`` keeps the registered ones. The helpers here ask the metrics layer
for numbers and format what comes back as ``Value`` records; they never compute figures. This
module imports neither the builders nor the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from borderflow.metrics import Query, Result, get_measure
from borderflow.metrics.periods import Period, add_months
from borderflow.report.model import Context, Section, Value, collect


@dataclass(frozen=True)
class SectionSpec:
    """A registered section.

    Attributes:
        name: registry key and dashboard path.
        build: the function that builds it.
        place: the dimension the reader's "place" filter narrows (None: no place filter).
        place_measure: the measure whose stored members list the places.
        drug: whether the drug filter applies.
        in_brief: whether the brief includes it (pages such as ``check`` are dashboard-only).
    """

    name: str
    build: Callable[[Context], Section]
    place: str | None = None
    place_measure: str | None = None
    drug: bool = False
    in_brief: bool = True


def new_section(ctx: Context, key: str) -> Section:
    """An empty section titled and introduced from the catalog keys ``<key>.title``/``.lead``."""
    c = ctx.catalog
    return Section(key=key, title=c.t(f"{key}.title"), lead=c.t(f"{key}.lead"))


def place_options(ctx: Context, spec: SectionSpec) -> list[tuple[str, str]]:
    """The stored members of a section's place dimension, as (code, name in the language).

    Args:
        ctx: the reader's context (engine, language, lock).
        spec: the section whose place filter is listed.
    """
    if spec.place is None or spec.place_measure is None:
        return []
    with ctx.lock:
        codes = ctx.engine.members(get_measure(spec.place_measure), spec.place)
    names = [(code, ctx.catalog.member(spec.place, code)) for code in codes]
    return sorted(names, key=lambda item: item[1])


# -- helpers for section builders ----------------------------------------------------------------


def last_month(ctx: Context, measure: str) -> date:
    """The last month a measure has data for (the end month, for 12-month-ending measures)."""
    m = get_measure(measure)
    with ctx.lock:
        last = ctx.engine.last_month(m, None)
    return add_months(last, 11) if m.period_type == "12_month_ending" else last


def answered_period(result: Result) -> Period:
    """The period an answer covers (a year-to-date period closed at its last month)."""
    period = result.query.parsed_period()
    if period.open_end and not result.rows.empty:
        period = period.close(pd.Timestamp(result.rows["last_month"].max()).date())
    return period


def single_value(
    ctx: Context,
    sec: Section,
    query: Query,
    label: str,
    *,
    decimals: int = 0,
    scope: str | None = None,
) -> Value:
    """A one-number answer as a ``Value``, with its change when the query compares, and what
    it covers (``scope``: the place, the drug) in words."""
    result = ctx.run(query)
    c = ctx.catalog
    row = result.rows.iloc[0]
    period = answered_period(result)
    value = Value(
        label=label,
        value=_number(row["value"]),
        text=c.number(_number(row["value"]), decimals),
        unit=c.unit(result.unit),
        period=c.period(period),
        releases=collect(sec, result),
        query=query.to_dict(),
        release_text=release_text(ctx, result),
        scope=scope,
    )
    if query.compare and "pct_change" in row:
        value.change_pct = _number(row["pct_change"])
        base = period.year_ago() if query.compare == "year_ago" else period.previous()
        value.change_text = c.t(
            "change.against", pct=c.percent(value.change_pct), period=c.period(base)
        )
    return value


def release_text(ctx: Context, result: Result) -> str | None:
    """ "data through Apr 2026; published May 15, 2026": the newest release an answer read (for a
    comparison, the release of the latest values)."""
    dated = [r for r in result.releases if r.get("data_through")]
    if not dated:
        return None
    newest = max(dated, key=lambda r: (r["vintage"], r["data_through"]))
    through = date.fromisoformat(f"{newest['data_through']}-01")
    published = date.fromisoformat(str(newest["vintage"]))
    c = ctx.catalog
    return c.t("release.published", through=c.month(through), published=c.day(published))


def row_value(
    ctx: Context, sec: Section, result: Result, row: Mapping[Any, Any], column: str = "value"
) -> Value:
    """One cell of a multi-row answer as a ``Value`` carrying the answer's provenance."""
    number = _number(row.get(column))
    decimals = 1 if column in ("rate", "share") else 0
    return Value(
        label=column,
        value=number,
        text=ctx.catalog.number(number, decimals),
        unit=ctx.catalog.unit(result.unit),
        period=str(row.get("period", "")),
        change_pct=_number(row.get("pct_change")),
        change_text=ctx.catalog.percent(_number(row.get("pct_change")))
        if "pct_change" in row
        else None,
        releases=collect(sec, result),
        query=result.query.to_dict(),
    )


def bucket_labels(ctx: Context, result: Result) -> list[str]:
    """Localised labels of an answer's period buckets; partial buckets say how many months."""
    grain = result.query.grain
    rows = result.rows
    months = rows.groupby("bucket")["months"].transform("max")  # a bucket is partial as a whole
    labels = []
    for row, have in zip(rows.to_dict(orient="records"), months, strict=True):
        first = pd.Timestamp(row["bucket"]).date()
        label = ctx.catalog.bucket(grain, first, str(row["period"]))
        if int(have) < int(row["expected_months"]):
            label += " " + ctx.catalog.t(
                "period.partial", months=int(have), expected=int(row["expected_months"])
            )
        labels.append(label)
    return labels


def chart_frame(
    ctx: Context, result: Result, series: str | None = None, *, dates: bool = False
) -> pd.DataFrame:
    """An answer reshaped for ``charts``: ``label``/``date``, ``value`` and ``series`` names."""
    rows = result.rows
    frame = pd.DataFrame({"value": rows["value"].astype(float)})
    if dates:
        frame["date"] = pd.to_datetime(rows["bucket"])
    else:
        frame["label"] = bucket_labels(ctx, result)
    if series is not None:
        frame["series"] = [ctx.catalog.member(series, str(v)) for v in rows[series]]
        frame["series_code"] = [str(v) for v in rows[series]]  # colours follow the code
    return frame


def period_end(ctx: Context, measure: str, period: str | None) -> date:
    """The last month of ``period`` that ``measure`` has data for (its last month if None)."""
    last = last_month(ctx, measure)
    if not period:
        return last
    end = Query(measure, period).parsed_period().last
    return min(date(end.year, end.month, 1), last)


def member_name(ctx: Context, dimension: str, code: str | None, everything: str) -> str:
    """A filter's member in words, or the catalog's words for all of them (``scope.*``)."""
    return ctx.catalog.member(dimension, code) if code else ctx.catalog.t(f"scope.{everything}")


def where(**filters: str | None) -> dict[str, tuple[str, ...]]:
    """A ``where`` mapping from the filters that are set."""
    return {dim: (member,) for dim, member in filters.items() if member}


def _number(value: Any) -> float | None:
    if value is None or pd.isna(value):
        return None
    return float(value)
