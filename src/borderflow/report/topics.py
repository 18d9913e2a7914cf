"""The sections built on the metrics layer: headline indicators, seizures, overdose deaths,
crossings, homicides in Mexico and precursor trade.

Every number comes from ``Context.run`` (the metrics engine); this module only chooses the
questions, names them in the reader's language and arranges the answers as charts and tables.
The functions are plain builders ``build(ctx) -> Section``; ``report.registry`` registers them.

Every card, chart and table follows every filter of its page (drug, place, period), or says in
its note how it relates to it: a ranking of all states highlights the reader's state, a national
series under a state filter says that it is national.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from borderflow.errors import BorderflowError
from borderflow.metrics import Query, Result
from borderflow.metrics.periods import add_months, fiscal_year_of
from borderflow.report import charts
from borderflow.report.model import Context, Figure, Section, Table, Value, collect
from borderflow.report.sections import (
    chart_frame,
    last_month,
    member_name,
    new_section,
    period_end,
    row_value,
    single_value,
    where,
)

SEIZURE_DRUGS = ("Fentanyl", "Methamphetamine", "Cocaine", "Heroin")
CROSSING_KINDS = ("Trucks", "Personal Vehicles", "Pedestrians")
#: The brief's subject: its seizure charts lead with it, and stack it first.
SUBJECT_DRUG = "Fentanyl"
TOP = 12


def _caveats(ctx: Context, sec: Section, *keys: str) -> None:
    sec.notes.extend(ctx.catalog.t(f"notes.{k}") for k in keys)


def _last_12(last: str) -> str:
    """The 12 months ending with month ``last`` (``YYYY-MM``) as a period text."""
    year, month = (int(p) for p in last.split("-"))
    first = add_months(date(year, month, 1), -11)
    return f"{first:%Y-%m}..{last}"


def _months_or_last_12(ctx: Context, measure: str) -> str:
    """The reader's period, else the 12 months ending with the measure's last month."""
    return ctx.filters.period or _last_12(f"{last_month(ctx, measure):%Y-%m}")


def _groupings() -> set[str]:
    """Reporters that are groupings of countries (EU, ASEAN), left out of country rankings."""
    from borderflow.reference.gazetteer import load_gazetteer

    members = load_gazetteer().members("reporter")
    return {m.code for m in members if m.kind == "grouping"}


def headline(ctx: Context) -> Section:
    """Five numbers with their change on a year earlier, one per topic (the latest values: the
    overview takes no filters, and says so)."""
    c = ctx.catalog
    sec = new_section(ctx, "headline")
    seized = last_month(ctx, "seized_lb")
    deaths = last_month(ctx, "overdose_deaths_12m")
    homicides = last_month(ctx, "homicide_victims")
    crossings = last_month(ctx, "crossings")
    trade = last_month(ctx, "fentanyl_group_trade_value")
    asks = [
        (
            Query(
                "seized_lb",
                f"FY{fiscal_year_of(seized)} YTD",
                where={"drug": ("Fentanyl",)},
                compare="year_ago",
            ),
            "headline.fentanyl_seized",
            "cbp",
        ),
        (
            Query("overdose_deaths_12m", f"12ME {deaths:%Y-%m}", compare="year_ago"),
            "headline.overdose_deaths",
            "united_states",
        ),
        (
            Query("homicide_victims", _last_12(f"{homicides:%Y-%m}"), compare="year_ago"),
            "headline.homicides",
            "mexico",
        ),
        (
            Query(
                "crossings",
                _last_12(f"{crossings:%Y-%m}"),
                where={"conveyance": ("Trucks",)},
                compare="year_ago",
            ),
            "headline.trucks",
            "land_ports",
        ),
        (
            Query(
                "fentanyl_group_trade_value",
                str(trade.year),
                where={"reporter": ("China",), "flow": ("Export",)},
                compare="year_ago",
            ),
            "headline.china_exports",
            None,
        ),
    ]
    for query, label, scope in asks:
        where_text = c.t(f"scope.{scope}") if scope else c.member("reporter", "China")
        sec.values.append(single_value(ctx, sec, query, c.t(label), scope=where_text))
    _predicted_beside(ctx, sec.values[1], sec.values[1].query or {})
    sec.notes.append(c.t("web.no_filters"))
    _caveats(ctx, sec, "enforcement", "vsrr_rolling", "sesnsp_files")
    return sec


# -- seizures -------------------------------------------------------------------------------------


def seizures(ctx: Context) -> Section:
    """CBP seizures by drug, region and component, by fiscal year, and month by month; without
    a drug filter the section leads with fentanyl."""
    c, f = ctx.catalog, ctx.filters
    sec = new_section(ctx, "seizures")
    last = last_month(ctx, "seized_lb")
    fy = fiscal_year_of(last)
    period = f.period or f"FY2019..FY{fy}"
    filters = where(drug=f.drug, region=f.place)
    if not f.drug:  # the subject first, on its own scale
        _seizure_chart(ctx, sec, period, {**filters, "drug": (SUBJECT_DRUG,)}, "region", "subject")
    for dim in ("drug", "region", "component"):
        _seizure_chart(ctx, sec, period, filters, dim, f"by_{dim}")
    monthly = ctx.run(Query("seized_lb", period, where=filters, grain="month"))
    spec = charts.lines(
        chart_frame(ctx, monthly, dates=True),
        title=c.t("seizures.monthly"),
        y_title=c.unit("lb"),
        x_title=c.t("chart.month"),
    )
    sec.figures.append(
        Figure("seizures_monthly", c.t("seizures.monthly"), spec, collect(sec, monthly))
    )
    scope = _seizure_scope(ctx)
    complete = fy if last.month == 9 else fy - 1  # September closes a fiscal year
    if f.period:
        asked = Query("seized_lb", f.period, where=filters, compare="year_ago")
        sec.values = [single_value(ctx, sec, asked, c.t("seizures.in_period"), scope=scope)]
    else:
        last_fy = Query("seized_lb", f"FY{complete}", where=filters, compare="year_ago")
        sec.values = [single_value(ctx, sec, last_fy, c.t("seizures.last_fy"), scope=scope)]
        if complete < fy:
            ytd = Query("seized_lb", f"FY{fy} YTD", where=filters, compare="year_ago")
            sec.values.append(single_value(ctx, sec, ytd, c.t("seizures.ytd"), scope=scope))
    sec.tables.append(_by_drug_table(ctx, sec, f.period or f"FY{complete}", filters))
    _caveats(ctx, sec, "enforcement", "cbp_components", "fiscal_year")
    return sec


def _seizure_scope(ctx: Context) -> str:
    """ "Fentanyl · Southwest Border" / "todas las drogas · todas las regiones"."""
    f = ctx.filters
    drug = member_name(ctx, "drug", f.drug, "all_drugs")
    return f"{drug} · {member_name(ctx, 'region', f.place, 'all_regions')}"


def _seizure_chart(
    ctx: Context,
    sec: Section,
    period: str,
    filters: dict[str, tuple[str, ...]],
    dim: str,
    key: str,
) -> None:
    """Pounds seized by fiscal year, stacked by ``dim`` (the subject drug at the bottom)."""
    c = ctx.catalog
    result = ctx.run(Query("seized_lb", period, where=filters, by=(dim,), grain="fiscal_year"))
    frame = chart_frame(ctx, result, dim)
    if dim == "drug":  # the subject sits on the axis, where its size can be read
        frame = frame.sort_values(
            "series_code", key=lambda s: s != SUBJECT_DRUG, kind="stable"
        ).reset_index(drop=True)
    title = c.t(f"seizures.{key}")
    spec = charts.bars(
        frame,
        title=title,
        y_title=c.unit("lb"),
        x_title=c.t("chart.fiscal_year"),
        color_title=c.t(f"dims.{dim}"),
        dimension=dim,
    )
    sec.figures.append(Figure(f"seizures_{key}", title, spec, collect(sec, result)))


def _by_drug_table(
    ctx: Context, sec: Section, period: str, filters: dict[str, tuple[str, ...]]
) -> Table:
    c = ctx.catalog
    result = ctx.run(Query("seized_lb", period, where=filters, by=("drug",), compare="year_ago"))
    rows: list[list[Value | str]] = []
    for row in result.rows.sort_values("value", ascending=False).to_dict(orient="records"):
        value = row_value(ctx, sec, result, row)
        rows.append([c.member("drug", str(row["drug"])), value, value.change_text or "–"])
    title = c.t("seizures.table", period=c.period(result.query.parsed_period()))
    return Table(title, [c.t("dims.drug"), c.unit("lb"), c.t("change.year_ago")], rows)


# -- deaths ---------------------------------------------------------------------------------------


def deaths(ctx: Context) -> Section:
    """Provisional 12-month-ending overdose deaths, the states with the highest rates, and
    final annual counts."""
    c, f = ctx.catalog, ctx.filters
    sec = new_section(ctx, "deaths")
    last = period_end(ctx, "overdose_deaths_12m", f.period)
    filters = where(us_state=f.place)
    national = f.place in (None, "US")  # all-drug provisional counts are published nationally
    scope = member_name(ctx, "us_state", None if national else f.place, "united_states")
    period = f.period or f"2015-01..{last:%Y-%m}"
    causes = {"cause": ("all_drug_overdose", "T40.4")} if national else {}
    series = ctx.run(
        Query("overdose_deaths_12m", period, where={**filters, **causes}, by=tuple(causes),
              grain="month")
    )  # fmt: skip
    spec = charts.lines(
        chart_frame(ctx, series, "cause" if national else None, dates=True),
        title=c.t("deaths.rolling"),
        y_title=c.unit("deaths"),
        x_title=c.t("chart.month_ending"),
        color_title=c.t("dims.cause"),
        dimension="cause",
    )
    sec.figures.append(Figure("deaths_rolling", c.t("deaths.rolling"), spec, collect(sec, series)))
    latest = f"12ME {last:%Y-%m}"
    if national:
        last_all = period_end(ctx, "all_overdose_deaths_12m", f.period)
        query = Query("all_overdose_deaths_12m", f"12ME {last_all:%Y-%m}", compare="year_ago")
        every = single_value(ctx, sec, query, c.t("deaths.latest_all"), scope=scope)
        _predicted_beside(ctx, every, query.to_dict())
        sec.values.append(every)
    synthetic = Query("overdose_deaths_12m", latest, where=filters, compare="year_ago")
    value = single_value(ctx, sec, synthetic, c.t("deaths.latest"), scope=scope)
    _predicted_beside(ctx, value, synthetic.to_dict())
    sec.values.append(value)
    _state_rates(ctx, sec, latest)
    _annual(ctx, sec)
    _caveats(ctx, sec, "vsrr_rolling", "t40_4", "provisional_final")
    return sec


def _predicted_beside(ctx: Context, value: Value, asked: dict) -> None:
    """Put CDC's predicted count beside a reported 12-month count: the newest months are
    flagged as underreported (deaths pending investigation), and the prediction adjusts."""
    query = Query.from_dict({**asked, "status": "predicted", "compare": None})
    try:
        rows = ctx.run(query).rows
    except BorderflowError:  # no prediction published for this place or month
        return
    if rows.empty or pd.isna(rows["value"].iloc[0]) or rows["value"].iloc[0] == value.value:
        return  # nothing predicted, or the count is complete: the two agree
    c = ctx.catalog
    value.aside = c.t("deaths.predicted", value=c.number(float(rows["value"].iloc[0])))


def _state_rates(ctx: Context, sec: Section, latest: str) -> None:
    """The states with the highest death rates: a chart and a table, with the reader's state
    highlighted and the states that cannot be ranked named."""
    c, f = ctx.catalog, ctx.filters
    states = ctx.run(
        Query("overdose_deaths_12m", latest, by=("us_state",), rate="per_100k", rank=True)
    )
    ranked = states.rows[states.rows["rate"].notna()]
    place = None if f.place == "US" else f.place  # the nation is not one of the ranked states
    top = _with_place(ranked.head(TOP), ranked, "us_state", place)
    period = c.period(Query("overdose_deaths_12m", latest).parsed_period())
    frame = top.assign(
        label=[c.member("us_state", s) for s in top["us_state"]],
        value=top["rate"],
        highlight=top["us_state"] == place,
    )
    title = c.t("deaths.rates", period=period)
    spec = charts.ranking(
        frame[["label", "value", "highlight"]],
        title=title,
        x_title=c.t("units.per_100k"),
        y_title=c.t("dims.us_state"),
        fmt=",.1f",
    )
    note = _ranking_note(ctx, ranked, "us_state", place, _unranked(ctx, states))
    sec.figures.append(Figure("deaths_rates", title, spec, collect(sec, states), note))
    rows: list[list[Value | str]] = [
        [
            c.member("us_state", str(r["us_state"])),
            row_value(ctx, sec, states, r),
            row_value(ctx, sec, states, r, "rate"),
        ]
        for r in top.to_dict(orient="records")
    ]
    columns = [c.t("dims.us_state"), c.unit("deaths"), c.t("units.per_100k")]
    sec.tables.append(Table(c.t("deaths.table", period=period), columns, rows, note))


def _unranked(ctx: Context, states: Result) -> str | None:
    """ "Not ranked: North Carolina (count withheld by CDC), New York (no matching
    population)": the states a ranking leaves out, and why."""
    c = ctx.catalog
    rows = states.rows
    names = [
        c.t("deaths.withheld_value", state=c.member("us_state", str(s)))
        for s in rows.loc[rows["value"].isna(), "us_state"]
    ] + [
        c.t("deaths.no_rate", state=c.member("us_state", str(s)))
        for s in rows.loc[rows["value"].notna() & rows["rate"].isna(), "us_state"]
    ]
    return c.t("deaths.not_ranked", states=", ".join(names)) if names else None


def _with_place(top: pd.DataFrame, ranked: pd.DataFrame, dim: str, place: str | None):
    """The top rows, with the reader's place added at the end when it is not among them."""
    if not place or place in set(top[dim]):
        return top
    return pd.concat([top, ranked[ranked[dim] == place]])


def _ranking_note(
    ctx: Context, ranked: pd.DataFrame, dim: str, place: str | None, extra: str | None = None
) -> str | None:
    """What a ranking of every member says about the reader's place, and what it leaves out."""
    c = ctx.catalog
    parts = []
    if place:
        found = ranked.reset_index(drop=True)
        position = found.index[found[dim] == place]
        rank = str(int(position[0]) + 1) if len(position) else "–"
        parts.append(c.t("scope.ranking", place=c.member(dim, place), rank=rank, count=len(ranked)))
    if extra:
        parts.append(extra)
    return " ".join(parts) or None


def _annual(ctx: Context, sec: Section) -> None:
    """Final counts of all drug overdose deaths by calendar year (national; the reader's years)."""
    c, f = ctx.catalog, ctx.filters
    years = "2015..2024"
    if f.period:
        asked = Query("overdose_deaths_annual", f.period).parsed_period()
        years = f"{max(asked.first.year, 1999)}..{asked.last.year}"
    annual = ctx.run(
        Query(
            "overdose_deaths_annual",
            years,
            where={"cause": ("all_drug_overdose",)},
            grain="calendar_year",
        )
    )
    spec = charts.bars(
        chart_frame(ctx, annual),
        title=c.t("deaths.annual"),
        y_title=c.unit("deaths"),
        x_title=c.t("chart.year"),
    )
    note = None
    if f.place and f.place != "US":
        note = c.t("scope.national_only", place=c.member("us_state", f.place))
    sec.figures.append(
        Figure("deaths_annual", c.t("deaths.annual"), spec, collect(sec, annual), note)
    )


# -- crossings ------------------------------------------------------------------------------------


def crossings(ctx: Context) -> Section:
    """Inbound crossings at the land ports by conveyance, and the busiest truck ports."""
    c, f = ctx.catalog, ctx.filters
    sec = new_section(ctx, "crossings")
    last = last_month(ctx, "crossings")
    period = f.period or f"2015-01..{last:%Y-%m}"
    place = where(us_state=f.place)
    kinds = {"conveyance": CROSSING_KINDS, **place}
    series = ctx.run(Query("crossings", period, where=kinds, by=("conveyance",), grain="month"))
    spec = charts.lines(
        chart_frame(ctx, series, "conveyance", dates=True),
        title=c.t("crossings.monthly"),
        y_title=c.t("crossings.count"),
        x_title=c.t("chart.month"),
        color_title=c.t("dims.conveyance"),
        dimension="conveyance",
    )
    sec.figures.append(
        Figure("crossings_monthly", c.t("crossings.monthly"), spec, collect(sec, series))
    )
    recent = _months_or_last_12(ctx, "crossings")
    scope = member_name(ctx, "us_state", f.place, "land_ports")
    for kind in CROSSING_KINDS:
        q = Query("crossings", recent, where={"conveyance": (kind,), **place}, compare="year_ago")
        sec.values.append(single_value(ctx, sec, q, c.member("conveyance", kind), scope=scope))
    ports = ctx.run(
        Query("crossings", recent, where={"conveyance": ("Trucks",), **place}, by=("port",))
    )
    top = ports.rows.sort_values("value", ascending=False).head(TOP)
    frame = top.assign(label=[c.member("port", str(p)) for p in top["port"]])
    title = c.t("crossings.ports", period=c.period(ports.query.parsed_period()))
    spec = charts.ranking(
        frame[["label", "value"]],
        title=title,
        x_title=c.unit("vehicles"),
        y_title=c.t("dims.port"),
    )
    sec.figures.append(Figure("crossings_ports", title, spec, collect(sec, ports)))
    _caveats(ctx, sec, "crossings_inbound")
    return sec


# -- homicides ------------------------------------------------------------------------------------


def homicides(ctx: Context) -> Section:
    """Victims of intentional homicide in Mexico by state (count and rate) and month by month."""
    c, f = ctx.catalog, ctx.filters
    sec = new_section(ctx, "homicides")
    last = last_month(ctx, "homicide_victims")
    recent = _months_or_last_12(ctx, "homicide_victims")
    period_text = c.period(Query("homicide_victims", recent).parsed_period())
    states = ctx.run(Query("homicide_victims", recent, by=("mx_state",), rate="per_100k"))
    ranked = states.rows.sort_values("value", ascending=False)
    top = _with_place(ranked.head(TOP), ranked, "mx_state", f.place)
    frame = top.assign(
        label=[c.member("mx_state", str(s)) for s in top["mx_state"]],
        highlight=top["mx_state"] == f.place,
    )
    title = c.t("homicides.by_state", period=period_text)
    spec = charts.ranking(
        frame[["label", "value", "highlight"]],
        title=title,
        x_title=c.unit("victims"),
        y_title=c.t("dims.mx_state"),
    )
    note = _ranking_note(ctx, ranked, "mx_state", f.place)
    sec.figures.append(Figure("homicides_by_state", title, spec, collect(sec, states), note))
    rows: list[list[Value | str]] = [
        [
            c.member("mx_state", str(r["mx_state"])),
            row_value(ctx, sec, states, r),
            row_value(ctx, sec, states, r, "rate"),
        ]
        for r in top.to_dict(orient="records")
    ]
    sec.tables.append(
        Table(
            c.t("homicides.table", period=period_text),
            [c.t("dims.mx_state"), c.unit("victims"), c.t("units.per_100k")],
            rows,
            note,
        )
    )
    place = where(mx_state=f.place)
    series = ctx.run(
        Query("homicide_victims", f.period or f"2015-01..{last:%Y-%m}", where=place, grain="month")
    )
    spec = charts.lines(
        chart_frame(ctx, series, dates=True),
        title=c.t("homicides.monthly"),
        y_title=c.unit("victims"),
        x_title=c.t("chart.month"),
    )
    sec.figures.append(
        Figure("homicides_monthly", c.t("homicides.monthly"), spec, collect(sec, series))
    )
    scope = member_name(ctx, "mx_state", f.place, "mexico")
    sec.values.append(
        single_value(
            ctx,
            sec,
            Query("homicide_victims", recent, where=place, compare="year_ago"),
            c.t("homicides.total"),
            scope=scope,
        )
    )
    _caveats(ctx, sec, "sesnsp_files")
    return sec


# -- trade ----------------------------------------------------------------------------------------


def trade(ctx: Context) -> Section:
    """Exports on the fentanyl-group lines of HS 2933 (and 2934.92): the largest exporters and
    their trend by year."""
    c, f = ctx.catalog, ctx.filters
    sec = new_section(ctx, "trade")
    year = period_end(ctx, "fentanyl_group_trade_value", f.period).year
    exports: dict[str, tuple[str, ...]] = {"flow": ("Export",)}
    latest = ctx.run(
        Query("fentanyl_group_trade_value", str(year), where=exports, by=("reporter",))
    )
    countries = latest.rows[~latest.rows["reporter"].astype(str).isin(_groupings())]
    ranked = countries.sort_values("value", ascending=False)
    top = _with_place(ranked.head(TOP), ranked, "reporter", f.place)
    frame = top.assign(
        label=[c.member("reporter", str(r)) for r in top["reporter"]],
        highlight=top["reporter"] == f.place,
    )
    spec = charts.ranking(
        frame[["label", "value", "highlight"]],
        title=c.t("trade.top", year=year),
        x_title=c.unit("USD"),
        y_title=c.t("dims.reporter"),
    )
    note = _ranking_note(ctx, ranked, "reporter", f.place)
    sec.figures.append(
        Figure("trade_top", c.t("trade.top", year=year), spec, collect(sec, latest), note)
    )
    reporters = (f.place,) if f.place else tuple(str(r) for r in ranked["reporter"].head(5))
    period = f.period or f"2010..{year}"
    trend = ctx.run(
        Query(
            "fentanyl_group_trade_value",
            period,
            where={**exports, "reporter": reporters},
            by=("reporter",),
            grain="calendar_year",
        )
    )
    spec = charts.lines(
        chart_frame(ctx, trend, "reporter", dates=True),
        title=c.t("trade.trend"),
        y_title=c.unit("USD"),
        x_title=c.t("chart.year"),
        color_title=c.t("dims.reporter"),
        dimension="reporter",
    )
    sec.figures.append(Figure("trade_trend", c.t("trade.trend"), spec, collect(sec, trend)))
    for reporter in reporters[:3]:
        q = Query(
            "fentanyl_group_trade_value",
            str(year),
            where={**exports, "reporter": (reporter,)},
            compare="year_ago",
        )
        name = c.member("reporter", reporter)
        label = c.t("trade.exports_of", reporter=name)
        sec.values.append(single_value(ctx, sec, q, label, scope=name))
    _caveats(ctx, sec, "hs2933")
    return sec
