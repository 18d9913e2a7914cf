"""Derived values: comparisons, shares, ranks, rates and unit conversion.

Each is computed from further base queries through the same engine — a share's denominator, a
rate's population, a comparison's earlier period — so the same rules (statuses, totals, vintages)
apply to every number involved.
"""

from __future__ import annotations

import pandas as pd

from borderflow.metrics.measures import get_measure
from borderflow.metrics.notes import note
from borderflow.metrics.periods import add_months
from borderflow.metrics.query import Query, QueryError
from borderflow.metrics.selected import Selected, Selector
from borderflow.metrics.units import UnitError, convert
from borderflow.vocabulary import GRAIN_MONTHS

POPULATION_OF = {"us_state": "population_us", "mx_state": "population_mx"}


def _base_query(query: Query, **changes: object) -> Query:
    """The query without derived parts (for denominators and earlier periods)."""
    plain = {"compare": None, "share_of": None, "rank": False, "rate": None, "unit": None}
    return query.with_(**{**plain, **changes})


def compare(engine: Selector, query: Query, base: Selected, rows: pd.DataFrame) -> pd.DataFrame:
    """Add ``previous``, ``change`` and ``pct_change`` against an earlier period.

    ``year_ago`` compares with the same months a year earlier; ``previous`` with the bucket (or,
    without a grain, the period of the same length) immediately before.
    """
    sel = base.plan.selection
    if query.compare == "year_ago":
        offset = 12
    else:
        offset = GRAIN_MONTHS[sel.grain] if sel.grain else base.plan.period.months
    earlier = engine.select(_base_query(query), base.plan.period.shift(-offset))
    prev = earlier.rows[["bucket", "period", "months", *sel.by, "value"]].copy()
    prev["bucket"] = [add_months(b, offset) for b in prev["bucket"]]
    prev = prev.rename(
        columns={"value": "previous", "period": "previous_period", "months": "previous_months"}
    )
    merged = rows.merge(prev, on=["bucket", *sel.by], how="left")
    merged["change"] = merged["value"] - merged["previous"]
    merged["pct_change"] = (
        100 * merged["change"] / merged["previous"].where(merged["previous"] != 0)
    )
    base.release_ids.update(earlier.release_ids)
    return merged


def share(engine: Selector, query: Query, base: Selected, rows: pd.DataFrame) -> pd.DataFrame:
    """Add ``total`` (over all members of ``share_of``) and ``share`` (percent of it)."""
    dim = query.share_of
    where = {k: v for k, v in query.where.items() if k != dim}
    by = tuple(b for b in query.by if b != dim)
    total = engine.select(_base_query(query, where=where, by=by), base.plan.period)
    denominators = total.rows[["bucket", *by, "value"]].rename(columns={"value": "total"})
    merged = rows.merge(denominators, on=["bucket", *by], how="left")
    merged["share"] = 100 * merged["value"] / merged["total"]
    base.release_ids.update(total.release_ids)
    return merged


def rank(rows: pd.DataFrame, by: tuple[str, ...], column: str = "value") -> pd.DataFrame:
    """Add ``rank`` (1 = largest ``column``: the value, or the rate when one is asked) among the
    members of each period bucket, and list the rows in rank order (unranked ones last)."""
    if not by:
        raise QueryError("rank needs a breakdown: add by=<dimension> to rank its members.")
    out = rows.copy()
    ranks = out.groupby("bucket")[column].rank(ascending=False, method="min")
    out["rank"] = ranks.astype("Int64")
    order = out.sort_values(["bucket", "rank", *by], na_position="last", kind="stable")
    return order.reset_index(drop=True)


def rate(
    engine: Selector, query: Query, base: Selected, rows: pd.DataFrame
) -> tuple[pd.DataFrame, list[str]]:
    """Add ``denominator`` and ``rate`` (per 100,000 population or per 1,000 crossings)."""
    if query.rate == "per_100k":
        return _per_100k(engine, query, base, rows)
    return _per_1000_crossings(engine, query, base, rows)


def _year_of(bucket_first: pd.Series, grain: str | None, midpoint_year: int) -> pd.Series:
    if grain is None:
        return pd.Series(midpoint_year, index=bucket_first.index)
    if grain == "fiscal_year":
        return pd.Series([b.year + 1 for b in bucket_first], index=bucket_first.index)
    return pd.Series([b.year for b in bucket_first], index=bucket_first.index)


def _per_100k(
    engine: Selector, query: Query, base: Selected, rows: pd.DataFrame
) -> tuple[pd.DataFrame, list[str]]:
    m = get_measure(query.measure)
    place = next((d for d in POPULATION_OF if d in m.dimensions), None)
    if place is None:
        raise QueryError(f"{m.name} has no U.S. or Mexican state dimension to match a population.")
    sel = base.plan.selection
    years = _year_of(rows["bucket"], sel.grain, base.plan.period.midpoint_year)
    filters = dict(sel.filters)
    total = m.totals.get(place)
    chosen = filters.get(place, ())
    national = not chosen or chosen == (total,)
    pop_query = Query(
        POPULATION_OF[place],
        period=f"{years.min()}..{years.max()}",
        grain="calendar_year",
        by=(place,) if place in query.by else (),
        where={} if national else {place: chosen},
        as_of=query.as_of,
    )
    population = engine.select(pop_query, pop_query.parsed_period())
    pop = population.rows.assign(year=[b.year for b in population.rows["bucket"]])
    keys = ["year", *([place] if place in pop_query.by else [])]
    pop = pop[[*keys, "value"]].rename(columns={"value": "denominator"})
    merged = rows.assign(year=years.to_numpy()).merge(pop, on=keys, how="left")
    population_measure = get_measure(POPULATION_OF[place])
    notes: list[str] = [
        note("rates_population", description=population_measure.description,
             measure=population_measure.name)
    ]  # fmt: skip
    if place in merged:
        unmatched = merged[place].isin(list(m.no_rate_for))
        merged.loc[unmatched, "denominator"] = float("nan")
        notes += [note(f"no_rate_{k.lower()}") for k in m.no_rate_for if k in set(merged[place])]
    merged["rate"] = 100_000 * merged["value"] / merged["denominator"]
    merged["rate_unit"] = f"{base.unit} per 100,000 population"
    base.release_ids.update(population.release_ids)
    return merged.drop(columns=["year"]), notes


def _per_1000_crossings(
    engine: Selector, query: Query, base: Selected, rows: pd.DataFrame
) -> tuple[pd.DataFrame, list[str]]:
    m = get_measure(query.measure)
    filters = dict(base.plan.selection.filters)
    if m.source not in ("cbp_nationwide", "cbp_amo") or filters.get("region") != (
        "Southwest Border",
    ):
        raise QueryError(
            "per_1000_crossings divides CBP seizures by inbound crossings at U.S.–Mexico land "
            "ports: ask for a CBP seizure measure filtered to region Southwest Border."
        )
    if any(d in query.by for d in ("region", "area")):
        raise QueryError("per_1000_crossings is for Southwest Border totals; drop by=area/region.")
    crossings = Query(
        "crossings",
        period=query.period,
        grain=query.grain,
        where={"conveyance": (query.rate_conveyance,)},
        as_of=query.as_of,
    )
    denominators = engine.select(crossings, base.plan.period)
    den = denominators.rows[["bucket", "value", "months"]].rename(
        columns={"value": "denominator", "months": "denominator_months"}
    )
    merged = rows.merge(den, on="bucket", how="left")
    merged["rate"] = 1000 * merged["value"] / merged["denominator"]
    merged["rate_unit"] = f"{base.unit} per 1,000 {query.rate_conveyance.lower()}"
    base.release_ids.update(denominators.release_ids)
    conveyance = query.rate_conveyance
    return merged, [note("denominator", conveyance=conveyance.lower(), conveyance_code=conveyance)]


def convert_unit(rows: pd.DataFrame, unit: str, target: str) -> tuple[pd.DataFrame, str]:
    """Express value columns in ``target`` (explicit conversion, e.g. lb → kg)."""
    out = rows.copy()
    try:
        factor = convert(1.0, unit, target)
    except UnitError as exc:
        raise QueryError(str(exc)) from exc
    for column in ("value", "previous", "change", "total"):
        if column in out:
            out[column] = out[column] * factor
    out["unit"] = target
    return out, target
