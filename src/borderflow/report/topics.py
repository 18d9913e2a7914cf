"""The sections built on the metrics layer: headline indicators, seizures, overdose deaths,
crossings, homicides in Mexico and precursor trade.

Every number comes from ``Context.run`` (the metrics engine); this module only chooses the
questions, names them in the reader's language and arranges the answers as charts and tables.
The functions are plain builders ``build(ctx) -> Section``; ``report.registry`` registers them.
"""

from __future__ import annotations

from datetime import date

from borderflow.metrics import Query
from borderflow.metrics.periods import add_months, fiscal_year_of
from borderflow.report import charts
from borderflow.report.model import Context, Figure, Section, Table, Value, collect
from borderflow.report.sections import (
    chart_frame,
    last_month,
    new_section,
    row_value,
    single_value,
    where,
)

SEIZURE_DRUGS = ("Fentanyl", "Methamphetamine", "Cocaine", "Heroin")
CROSSING_KINDS = ("Trucks", "Personal Vehicles", "Pedestrians")
TOP = 12


def _caveats(ctx: Context, sec: Section, *keys: str) -> None:
    sec.notes.extend(ctx.catalog.t(f"notes.{k}") for k in keys)


def _last_12(last: str) -> str:
    """The 12 months ending with month ``last`` (``YYYY-MM``) as a period text."""
    year, month = (int(p) for p in last.split("-"))
    first = add_months(date(year, month, 1), -11)
    return f"{first:%Y-%m}..{last}"


def _groupings() -> set[str]:
    """Reporters that are groupings of countries (EU, ASEAN), left out of country rankings."""
    from borderflow.reference.gazetteer import load_gazetteer

    members = load_gazetteer().members("reporter")
    return {m.code for m in members if m.kind == "grouping"}


def headline(ctx: Context) -> Section:
    """Five numbers with their change on a year earlier, one per topic."""
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
        ),
        (
            Query("overdose_deaths_12m", f"12ME {deaths:%Y-%m}", compare="year_ago"),
            "headline.overdose_deaths",
        ),
        (
            Query("homicide_victims", _last_12(f"{homicides:%Y-%m}"), compare="year_ago"),
            "headline.homicides",
        ),
        (
            Query(
                "crossings",
                _last_12(f"{crossings:%Y-%m}"),
                where={"conveyance": ("Trucks",)},
                compare="year_ago",
            ),
            "headline.trucks",
        ),
        (
            Query(
                "fentanyl_group_trade_value",
                str(trade.year),
                where={"reporter": ("China",), "flow": ("Export",)},
                compare="year_ago",
            ),
            "headline.china_exports",
        ),
    ]
    sec.values = [single_value(ctx, sec, q, c.t(label)) for q, label in asks]
    _caveats(ctx, sec, "enforcement", "vsrr_rolling", "sesnsp_files")
    return sec


def seizures(ctx: Context) -> Section:
    """CBP seizures by drug, region and component, by fiscal year, and month by month."""
    c, f = ctx.catalog, ctx.filters
    sec = new_section(ctx, "seizures")
    last = last_month(ctx, "seized_lb")
    fy = fiscal_year_of(last)
    period = f.period or f"FY2019..FY{fy}"
    filters = where(drug=f.drug, region=f.place)
    y_title = c.unit("lb")
    for dim in ("drug", "region", "component"):
        q = Query("seized_lb", period, where=filters, by=(dim,), grain="fiscal_year")
        result = ctx.run(q)
        spec = charts.bars(
            chart_frame(ctx, result, dim),
            title=c.t(f"seizures.by_{dim}"),
            y_title=y_title,
            color_title=c.t(f"dims.{dim}"),
        )
        sec.figures.append(
            Figure(f"seizures_by_{dim}", c.t(f"seizures.by_{dim}"), spec, collect(sec, result))
        )
    monthly = ctx.run(Query("seized_lb", period, where=filters, grain="month"))
    spec = charts.lines(
        chart_frame(ctx, monthly, dates=True), title=c.t("seizures.monthly"), y_title=y_title
    )
    sec.figures.append(
        Figure("seizures_monthly", c.t("seizures.monthly"), spec, collect(sec, monthly))
    )
    complete = fy if last.month == 9 else fy - 1  # September closes a fiscal year
    last_fy = Query("seized_lb", f"FY{complete}", where=filters, compare="year_ago")
    sec.values = [single_value(ctx, sec, last_fy, c.t("seizures.last_fy"))]
    if complete < fy:
        ytd = Query("seized_lb", f"FY{fy} YTD", where=filters, compare="year_ago")
        sec.values.append(single_value(ctx, sec, ytd, c.t("seizures.ytd")))
    sec.tables.append(_by_drug_table(ctx, sec, f"FY{complete}", where(region=f.place)))
    _caveats(ctx, sec, "enforcement", "cbp_components", "fiscal_year")
    return sec


def _by_drug_table(ctx: Context, sec: Section, period: str, filters: dict) -> Table:
    c = ctx.catalog
    result = ctx.run(Query("seized_lb", period, where=filters, by=("drug",), compare="year_ago"))
    rows: list[list[Value | str]] = []
    for row in result.rows.sort_values("value", ascending=False).to_dict(orient="records"):
        value = row_value(ctx, sec, result, row)
        rows.append([c.member("drug", str(row["drug"])), value, value.change_text or "–"])
    title = c.t("seizures.table", period=c.t("period.fiscal_year", year=period[2:]))
    return Table(title, [c.t("dims.drug"), c.unit("lb"), c.t("change.year_ago")], rows)


def deaths(ctx: Context) -> Section:
    """Provisional 12-month-ending overdose deaths, the states with the highest rates, and
    final annual counts."""
    c, f = ctx.catalog, ctx.filters
    sec = new_section(ctx, "deaths")
    last = last_month(ctx, "overdose_deaths_12m")
    filters = where(us_state=f.place)
    national = f.place in (None, "US")  # all-drug provisional counts are published nationally
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
        color_title=c.t("dims.cause"),
    )
    sec.figures.append(Figure("deaths_rolling", c.t("deaths.rolling"), spec, collect(sec, series)))
    latest = f"12ME {last:%Y-%m}"
    if national:
        last_all = last_month(ctx, "all_overdose_deaths_12m")
        query = Query("all_overdose_deaths_12m", f"12ME {last_all:%Y-%m}", compare="year_ago")
        sec.values.append(single_value(ctx, sec, query, c.t("deaths.latest_all")))
    sec.values.append(
        single_value(
            ctx,
            sec,
            Query("overdose_deaths_12m", latest, where=filters, compare="year_ago"),
            c.t("deaths.latest"),
        )
    )
    states = ctx.run(
        Query("overdose_deaths_12m", latest, by=("us_state",), rate="per_100k", rank=True)
    )
    top = states.rows.sort_values("rate", ascending=False).head(TOP)
    frame = top.assign(label=[c.member("us_state", s) for s in top["us_state"]], value=top["rate"])
    spec = charts.ranking(
        frame[["label", "value"]],
        title=c.t("deaths.rates"),
        x_title=c.t("units.per_100k"),
        fmt=",.1f",
    )
    sec.figures.append(Figure("deaths_rates", c.t("deaths.rates"), spec, collect(sec, states)))
    rows: list[list[Value | str]] = [
        [
            c.member("us_state", str(r["us_state"])),
            row_value(ctx, sec, states, r),
            row_value(ctx, sec, states, r, "rate"),
        ]
        for r in top.to_dict(orient="records")
    ]
    sec.tables.append(
        Table(
            c.t(
                "deaths.table",
                period=c.period(Query("overdose_deaths_12m", latest).parsed_period()),
            ),
            [c.t("dims.us_state"), c.unit("deaths"), c.t("units.per_100k")],
            rows,
        )
    )
    annual = ctx.run(
        Query(
            "overdose_deaths_annual",
            "2015..2024",
            where={"cause": ("all_drug_overdose",)},
            grain="calendar_year",
        )
    )
    spec = charts.bars(
        chart_frame(ctx, annual), title=c.t("deaths.annual"), y_title=c.unit("deaths")
    )
    sec.figures.append(Figure("deaths_annual", c.t("deaths.annual"), spec, collect(sec, annual)))
    _caveats(ctx, sec, "vsrr_rolling", "t40_4", "provisional_final")
    return sec


def crossings(ctx: Context) -> Section:
    """Inbound crossings at the land ports by conveyance, and the busiest truck ports."""
    c, f = ctx.catalog, ctx.filters
    sec = new_section(ctx, "crossings")
    last = last_month(ctx, "crossings")
    period = f.period or f"2015-01..{last:%Y-%m}"
    kinds = {"conveyance": CROSSING_KINDS, **where(us_state=f.place)}
    series = ctx.run(Query("crossings", period, where=kinds, by=("conveyance",), grain="month"))
    spec = charts.lines(
        chart_frame(ctx, series, "conveyance", dates=True),
        title=c.t("crossings.monthly"),
        y_title=c.t("crossings.count"),
        color_title=c.t("dims.conveyance"),
    )
    sec.figures.append(
        Figure("crossings_monthly", c.t("crossings.monthly"), spec, collect(sec, series))
    )
    recent = _last_12(f"{last:%Y-%m}")
    for kind in CROSSING_KINDS:
        q = Query(
            "crossings",
            recent,
            where={"conveyance": (kind,), **where(us_state=f.place)},
            compare="year_ago",
        )
        sec.values.append(single_value(ctx, sec, q, c.member("conveyance", kind)))
    ports = ctx.run(
        Query(
            "crossings",
            recent,
            where={"conveyance": ("Trucks",), **where(us_state=f.place)},
            by=("port",),
        )
    )
    top = ports.rows.sort_values("value", ascending=False).head(TOP)
    frame = top.assign(label=[c.member("port", str(p)) for p in top["port"]])
    spec = charts.ranking(
        frame[["label", "value"]], title=c.t("crossings.ports"), x_title=c.unit("vehicles")
    )
    sec.figures.append(Figure("crossings_ports", c.t("crossings.ports"), spec, collect(sec, ports)))
    _caveats(ctx, sec, "crossings_inbound")
    return sec


def homicides(ctx: Context) -> Section:
    """Victims of intentional homicide in Mexico by state (count and rate) and month by month."""
    c, f = ctx.catalog, ctx.filters
    sec = new_section(ctx, "homicides")
    last = last_month(ctx, "homicide_victims")
    recent = f.period or _last_12(f"{last:%Y-%m}")
    states = ctx.run(Query("homicide_victims", recent, by=("mx_state",), rate="per_100k"))
    top = states.rows.sort_values("value", ascending=False).head(TOP)
    frame = top.assign(label=[c.member("mx_state", str(s)) for s in top["mx_state"]])
    spec = charts.ranking(
        frame[["label", "value"]], title=c.t("homicides.by_state"), x_title=c.unit("victims")
    )
    sec.figures.append(
        Figure("homicides_by_state", c.t("homicides.by_state"), spec, collect(sec, states))
    )
    rows: list[list[Value | str]] = [
        [
            c.member("mx_state", str(r["mx_state"])),
            row_value(ctx, sec, states, r),
            row_value(ctx, sec, states, r, "rate"),
        ]
        for r in top.to_dict(orient="records")
    ]
    period_text = c.period(Query("homicide_victims", recent).parsed_period())
    sec.tables.append(
        Table(
            c.t("homicides.table", period=period_text),
            [c.t("dims.mx_state"), c.unit("victims"), c.t("units.per_100k")],
            rows,
        )
    )
    place = where(mx_state=f.place)
    series = ctx.run(
        Query("homicide_victims", f"2015-01..{last:%Y-%m}", where=place, grain="month")
    )
    spec = charts.lines(
        chart_frame(ctx, series, dates=True),
        title=c.t("homicides.monthly"),
        y_title=c.unit("victims"),
    )
    sec.figures.append(
        Figure("homicides_monthly", c.t("homicides.monthly"), spec, collect(sec, series))
    )
    sec.values.append(
        single_value(
            ctx,
            sec,
            Query("homicide_victims", recent, where=place, compare="year_ago"),
            c.t("homicides.total"),
        )
    )
    _caveats(ctx, sec, "sesnsp_files")
    return sec


def trade(ctx: Context) -> Section:
    """HS 2933 (fentanyl-group) exports: the largest exporters and their trend by year."""
    c, f = ctx.catalog, ctx.filters
    sec = new_section(ctx, "trade")
    year = last_month(ctx, "fentanyl_group_trade_value").year
    exports: dict[str, tuple[str, ...]] = {"flow": ("Export",)}
    latest = ctx.run(
        Query("fentanyl_group_trade_value", str(year), where=exports, by=("reporter",))
    )
    countries = latest.rows[~latest.rows["reporter"].astype(str).isin(_groupings())]
    top = countries.sort_values("value", ascending=False).head(TOP)
    frame = top.assign(label=[c.member("reporter", str(r)) for r in top["reporter"]])
    spec = charts.ranking(
        frame[["label", "value"]], title=c.t("trade.top", year=year), x_title=c.unit("USD")
    )
    sec.figures.append(Figure("trade_top", c.t("trade.top", year=year), spec, collect(sec, latest)))
    reporters = (f.place,) if f.place else tuple(str(r) for r in top["reporter"].head(5))
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
        color_title=c.t("dims.reporter"),
    )
    sec.figures.append(Figure("trade_trend", c.t("trade.trend"), spec, collect(sec, trend)))
    for reporter in reporters[:3]:
        q = Query(
            "fentanyl_group_trade_value",
            str(year),
            where={**exports, "reporter": (reporter,)},
            compare="year_ago",
        )
        label = c.t("trade.exports_of", reporter=c.member("reporter", reporter))
        sec.values.append(single_value(ctx, sec, q, label))
    _caveats(ctx, sec, "hs2933")
    return sec
