"""Commands that analyse the record: check an article's claims, plan interdiction, forecast."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from borderflow.cli.common import (
    DbOption,
    JsonOption,
    _progress_bar,
    app,
    err,
    friendly_errors,
    messages,
    out,
    print_json,
)
from borderflow.cli.wording import claims_display, claims_summary, claims_table, report_language
from borderflow.config import resolve_db_path
from borderflow.report.extras import crossing_name
from borderflow.report.i18n import Catalog, load_catalog
from borderflow.vocabulary import parse_where


@app.command("check")
@friendly_errors
def check_command(
    source: Annotated[
        str, typer.Argument(help="Article: a text, Markdown or HTML file, a URL, or -.")
    ],
    published: Annotated[
        str | None,
        typer.Option(help="Publication date YYYY-MM-DD. Default: the date the article states."),
    ] = None,
    lang: Annotated[
        str, typer.Option(help="The article's language: en, es or auto (detected).")
    ] = "auto",
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write the report as HTML to this file.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check the numbers and facts in an article against the official record.

    Each claim gets a verdict (supported, contradicted, unverifiable with the reason), the
    official figure, the question asked and the release used. Exit code 0 whatever the verdicts.

    The report (table, `--html`, the `*_text` fields of `--json`) is written in
    `$BORDERFLOW_LANG` when it is set, else in the article's language: a Spanish article gets a
    Spanish report. `--lang` names the article's language, not the report's.

    Example: `borderflow check article.txt --published 2026-01-16 --html report.html`
    """
    from datetime import date

    from borderflow.claims import check_document, read_document
    from borderflow.claims.html import render_html
    from borderflow.metrics import Engine

    if lang not in ("en", "es", "auto"):
        raise typer.BadParameter(f"--lang must be en, es or auto, not {lang!r}.")
    doc = read_document(source, stdin_text=sys.stdin.read() if source == "-" else None)
    engine = Engine.open(resolve_db_path(db))
    try:
        report = check_document(
            doc, engine, published=date.fromisoformat(published) if published else None, lang=lang
        )
    finally:
        engine.close()
    c = load_catalog(report_language(report.lang))
    if html is not None:
        html.write_text(render_html(report, c), encoding="utf-8")
        err.print(c.t("cli.check.wrote", path=html), highlight=False)
    if as_json:
        print_json(claims_display(report, c))
    else:
        _print_claims(report, c)


def _print_claims(report: Any, c: Any) -> None:
    """The claim table and summary in the report's language (``cli.wording``)."""
    out.print(claims_table(report, c))
    out.print(claims_summary(report, c), highlight=False)
    for note in report.notes:
        err.print(f"{c.t('cli.note')}: {note}", highlight=False)


@app.command("interdict")
@friendly_errors
def interdict_command(
    scenario: Annotated[
        str,
        typer.Argument(
            help="Scenario TOML file, or a shipped scenario: default, closed_port, demand_shift."
        ),
    ] = "default",
    db: DbOption = None,
    as_json: JsonOption = False,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the simulation.")] = 0,
    figure: Annotated[
        Path | None, typer.Option("--figure", help="Write a PNG of the plan, policies, simulation.")
    ] = None,
    graphml: Annotated[
        Path | None, typer.Option("--graphml", help="Write the network as GraphML.")
    ] = None,
    geojson: Annotated[
        Path | None, typer.Option("--geojson", help="Write crossings and flows as GeoJSON.")
    ] = None,
    store: Annotated[
        bool, typer.Option("--store/--no-store", help="Record the run in the warehouse.")
    ] = True,
    sensitivity: Annotated[
        bool,
        typer.Option("--sensitivity", help="Also solve at both ends of the calibration interval."),
    ] = False,
) -> None:
    """Plan inspection resources against a trafficker who re-routes, and simulate the response.

    Builds the Southwest Border network from the warehouse, calibrates detection, solves the
    Stackelberg MILP (HiGHS), compares it with simple policies and a quantal-response adversary,
    runs the agent-based simulation, and stores the run. See docs/interdiction.md.

    Example: `borderflow interdict default --figure plan.png`
    """
    from borderflow.interdiction import load_scenario, resolve_scenario, run_scenario, store_run
    from borderflow.interdiction.network import to_graphml
    from borderflow.metrics import Engine
    from borderflow.warehouse import Warehouse

    loaded = load_scenario(resolve_scenario(scenario))
    db_path = resolve_db_path(db)
    with err.status(f"Solving scenario {loaded.name!r}…"):
        with Engine.open(db_path) as engine:
            result = run_scenario(loaded, engine, seed=seed, sensitivity=sensitivity)
        if store:
            with Warehouse(db_path) as warehouse:
                result.run_id = store_run(warehouse, result.to_dict(), seed=seed)
    data = result.to_dict()
    if graphml:
        to_graphml(result.network, graphml)
    if geojson:
        geojson.write_text(json.dumps(data["geojson"], indent=1), encoding="utf-8")
    if figure:
        from borderflow.interdiction.figure import plot_run

        plot_run(data, figure)
    if as_json:
        print_json(data)
        return
    c = messages()
    _print_interdiction(data, c)
    outputs = ((c.t("cli.interdict.figure"), figure), ("GraphML", graphml), ("GeoJSON", geojson))
    for label, path in outputs:
        if path:
            err.print(f"{label}: {path}", highlight=False)


def _print_interdiction(data: dict[str, Any], c: Catalog) -> None:
    """The run in the reader's words: the scenario, the trafficker's best response, the plan,
    the plans compared, the simulation and the sensitivity."""
    obj, sim, scenario = data["objective"], data["simulation"], data["scenario"]
    decimals = c.number

    def flow(value: float) -> str:
        return decimals(value, 1)

    proof = (
        c.t("cli.interdict.optimal")
        if obj["optimal"]
        else c.t("cli.interdict.gap", gap=c.percent(100 * obj["gap"], signed=False))
    )
    about = scenario.get("description", "") if c.lang == "en" else ""
    about = about or c.t(
        "interdiction.scenario_text",
        name=scenario["name"],
        shipped=flow(obj["shipped"]),
        budget=f"{obj['budget']:g}",
    )
    out.print(f"[bold]{scenario['name']}[/bold]: {about}", highlight=False)
    out.print(
        c.t(
            "cli.interdict.response",
            delivered=flow(obj["delivered"]),
            shipped=flow(obj["shipped"]),
            baseline=flow(obj["baseline_delivered"]),
            value=decimals(obj["value"], 2),
            proof=proof,
            seconds=decimals(obj["seconds"], 2),
            spent=f"{obj['spent']:g}",
            budget=f"{obj['budget']:g}",
        ),
        highlight=False,
    )
    plan = Table(title=c.t("interdiction.allocation"), title_justify="left")
    for key in ("crossing", "resource", "units", "detection", "flow"):
        plan.add_column(c.t(f"cli.interdict.col_{key}"))
    for row in data["allocation"]:
        plan.add_row(
            crossing_name(c, row),
            c.messages.get(f"interdiction.resource_{row['resource']}", row["resource"]),
            str(row["units"]),
            f"{decimals(row['detection_before'], 3)} → {decimals(row['detection_after'], 3)}",
            f"{flow(row['flow_before'])} → {flow(row['flow_after'])}",
        )
    out.print(plan)
    policies = Table(title=c.t("interdiction.policies"), title_justify="left")
    for key in ("policy", "units", "delivered", "quantal", "description"):
        policies.add_column(c.t(f"cli.interdict.col_{key}"))
    for name, p in data["policies"].items():
        policies.add_row(
            name,
            str(p["units"]),
            flow(p["delivered"]),
            flow(p["quantal_delivered"]),
            c.messages.get(f"interdiction.policy_{name}", p["description"]),
        )
    out.print(policies)
    out.print(
        c.t(
            "cli.interdict.simulation",
            seed=sim["seed"],
            agents=sim["agents"],
            month=sim["deploy_month"],
            displacement=c.percent(100 * sim["displacement"], signed=False),
            treated_before=c.percent(100 * sim["treated_share_before"], signed=False),
            treated_after=c.percent(100 * sim["treated_share_after"], signed=False),
            shipped_before=decimals(sim["shipped_before"]),
            shipped_after=decimals(sim["shipped_after"]),
            delivered_before=decimals(sim["delivered_before"]),
            delivered_after=decimals(sim["delivered_after"]),
        ),
        highlight=False,
    )
    for end, s in (data["sensitivity"] or {}).items():
        key = "cli.interdict.sensitivity_same" if s["same_plan"] else "cli.interdict.sensitivity"
        out.print(
            c.t(
                key,
                end=c.t(f"cli.interdict.end_{end}"),
                objective=decimals(s["objective"], 2),
                plan_value=decimals(s["plan_value"], 2),
            ),
            highlight=False,
        )
    if data["run_id"] is not None:
        out.print(c.t("cli.interdict.stored", id=data["run_id"]), highlight=False)


@app.command("outlook")
@friendly_errors
def outlook_command(
    measure: Annotated[
        list[str] | None,
        typer.Option("--measure", "-m", help="Forecast only this measure. Repeatable."),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option("--where", "-w", help="DIMENSION=MEMBER[,MEMBER] (stored codes). Repeatable."),
    ] = None,
    horizon: Annotated[int, typer.Option(help="Months ahead to forecast (1-24).")] = 6,
    group: Annotated[
        list[str] | None,
        typer.Option(
            "--group",
            "-g",
            help="Forecast only this series group (cbp_lb_drug, vsrr_us, …). "
            "Repeatable; docs/outlook.md lists the groups.",
        ),
    ] = None,
    backtest: Annotated[
        bool,
        typer.Option(
            "--backtest/--no-backtest",
            help="Backtest the candidate models (rolling origins) and choose a model and "
            "interval widths per series.",
        ),
    ] = True,
    chart_dir: Annotated[
        Path | None,
        typer.Option("--chart-dir", help="Write one Vega-Lite chart per series to DIR."),
    ] = None,
    png: Annotated[bool, typer.Option("--png", help="With --chart-dir, also render PNGs.")] = False,
    export: Annotated[
        Path | None, typer.Option(help="Also write the forecasts to FILE.csv or FILE.parquet.")
    ] = None,
    scores: Annotated[
        bool,
        typer.Option("--scores", help="Print each group's backtest scores, not the forecasts."),
    ] = False,
    ledger: Annotated[
        bool,
        typer.Option(
            "--ledger",
            help="Print the forecast ledger (stored forecasts scored on the releases that came "
            "after) and the nowcast scored on VSRR revisions; forecasts nothing.",
        ),
    ] = False,
    backfill: Annotated[
        bool,
        typer.Option(
            "--backfill",
            help="With --ledger, first replay past cut-offs of the key series from the "
            "releases in the warehouse (a few minutes).",
        ),
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Forecast every monthly series (seizures, overdose deaths, homicides, crossings) with
    80%/95% intervals, nowcasting provisional VSRR months; store the run in the warehouse and
    print the forecasts (series, month, point, 80% and 95% intervals).

    Stored forecasts answer `borderflow query MEASURE --status forecast` at the breakdowns
    forecast: seized_lb by drug, drug × region, drug × area, drug × component; seizure_events
    by drug × region, drug × area; overdose_deaths_12m by us_state (and the US total);
    homicide_victims by mx_state; crossings by port × conveyance. See docs/outlook.md.

    `--ledger` prints the track record instead: every stored forecast scored once its months
    were published (`--backfill` first replays past cut-offs from older releases).

    Example: `borderflow outlook -m seized_lb -w drug=Fentanyl --horizon 6`
    """
    from borderflow.metrics import Engine
    from borderflow.outlook import run_outlook, store_outlook_run
    from borderflow.outlook.report import (
        export_forecasts,
        forecast_table,
        outlook_table,
        write_charts,
    )
    from borderflow.warehouse import Warehouse

    path = resolve_db_path(db)
    if ledger or backfill:
        _outlook_ledger(path, backfill, as_json)
        return
    filters = parse_where(where or [], "--where")
    bar = _progress_bar("Forecasting series groups")
    with bar:
        task = bar.add_task("outlook", total=None)
        with Engine.open(path) as engine:  # read-only while forecasting: readers are not blocked
            run = run_outlook(
                engine,
                measures=tuple(measure or ()) or None,
                where=filters,
                horizon=horizon,
                backtest=backtest,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                groups=tuple(group or ()) or None,
            )
        with Warehouse(path) as warehouse:
            store_outlook_run(warehouse, run)
    if export is not None:
        err.print(f"wrote {export_forecasts(run, export)} forecast rows to {export}")
    if chart_dir is not None:
        written = write_charts(run, chart_dir, png=png)
        err.print(f"wrote {len(written)} chart files to {chart_dir}")
    if as_json:
        print_json(run.to_dict())
    else:
        c = messages()
        out.print(outlook_table(run, c) if scores else forecast_table(run, c))


def _outlook_ledger(path: Path, replay: bool, as_json: bool) -> None:
    """``outlook --ledger``: score the ledger (replaying past cut-offs first) and print it."""
    from borderflow.outlook.ledger import ledger_report
    from borderflow.outlook.report import ledger_table, nowcast_table
    from borderflow.warehouse import Warehouse

    with Warehouse(path) as warehouse:
        report = ledger_report(warehouse, replay=replay, progress=err.print if replay else None)
    if as_json:
        print_json(report)
        return
    import pandas as pd

    c = messages()
    out.print(ledger_table(pd.DataFrame(report["summary"]), c))
    out.print(nowcast_table(report["nowcast"], c))
