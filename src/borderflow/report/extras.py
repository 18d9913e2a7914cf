"""Sections built on the higher libraries: the six-month outlook (``borderflow.outlook``), the
interdiction scenario (``borderflow.interdiction``) and an article's claim report
(``borderflow.claims``).

This module only presents. The outlook section reads the latest stored forecasts
(``outlook.latest_forecasts``), the interdiction section the library's latest result
(``interdiction.latest_result``: the newest stored run, else the default scenario run unstored,
kept per engine), and ``article_section`` formats a report the caller got from
``claims.check_text``. The libraries are imported where they are used because each lands in its
own build: ``report.registry`` registers their sections only when they are installed.
"""

from __future__ import annotations

import importlib.util
from datetime import date
from typing import Any

import pandas as pd

from borderflow.metrics import Query
from borderflow.report.i18n import Catalog
from borderflow.report.model import Context, Figure, Section, Table, Value, collect
from borderflow.report.sections import last_month, new_section

#: The outlook's headline series: (measure, filters, catalog key of the title).
OUTLOOK_SERIES: tuple[tuple[str, dict[str, tuple[str, ...]], str], ...] = (
    ("seized_lb", {"drug": ("Fentanyl",)}, "outlook.fentanyl"),
    ("seized_lb", {"drug": ("Methamphetamine",)}, "outlook.meth"),
    ("overdose_deaths_12m", {"us_state": ("US",), "cause": ("T40.4",)}, "outlook.deaths"),
)
HISTORY_START = "2019-01"


def available(module: str) -> bool:
    """Whether a library of this build is installed (the higher layers land one by one)."""
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


# -- outlook --------------------------------------------------------------------------------------


def outlook(ctx: Context) -> Section:
    """History and six-month forecast fans of the headline series, from the latest stored run."""
    from borderflow.outlook import latest_forecasts

    c = ctx.catalog
    sec = new_section(ctx, "outlook")
    shown: dict[str, str] = {}
    for measure, where, key in OUTLOOK_SERIES:
        with ctx.lock:
            forecast = _one_series(latest_forecasts(ctx.engine, measure, where), where)
        if not forecast.empty:
            _add_fan(ctx, sec, forecast, (measure, where, key))
            shown[str(forecast["series_id"].iloc[0])] = c.t(key)
    if not sec.figures:
        sec.notes.append(c.t("outlook.none"))
    else:
        _add_track_record(ctx, sec, shown)
    sec.notes.append(c.t("notes.outlook"))
    return sec


def _add_track_record(ctx: Context, sec: Section, shown: dict[str, str]) -> None:
    """Beside the fans: how the outlook's earlier forecasts of the same series scored (the
    forecast ledger), or a note that nothing is scored yet."""
    from borderflow.outlook import track_record

    c = ctx.catalog
    with ctx.lock:
        record = track_record(ctx.engine, list(shown))
    if record.empty:
        sec.notes.append(c.t("outlook.track.none"))
        return
    kinds = {"run": "kind_run", "replay": "kind_replay", "replay, same release": "kind_same"}
    rows: list[list[Value | str]] = []
    for r in record.to_dict(orient="records"):
        rows.append([
            shown[r["series_id"]],
            c.t(f"outlook.track.{kinds.get(r['kind'], 'kind_run')}"),
            c.t("outlook.track.span", count=r["origins"], first=r["first_origin"],
                last=r["last_origin"]),
            c.number(r["rows"]),
            c.t("outlook.track.ratio", ratio=c.number(r["mae_vs_naive"], 2)),
            c.t("outlook.track.ratio", ratio=c.number(r["mae_vs_snaive"], 2)),
            c.percent(100 * r["cov80"], signed=False),
        ])  # fmt: skip
    columns = ["series", "kind", "origins", "months", "vs_naive", "vs_snaive", "coverage"]
    sec.tables.append(
        Table(
            c.t("outlook.track.title"),
            [c.t(f"outlook.track.{k}") for k in columns],
            rows,
            c.t("outlook.track.note"),
        )
    )


def _add_fan(
    ctx: Context,
    sec: Section,
    forecast: pd.DataFrame,
    series: tuple[str, dict[str, tuple[str, ...]], str],
) -> None:
    """Add one series' fan chart (history and forecast) and its last forecast value."""
    from borderflow.outlook import fan_chart

    measure, where, key = series
    title = ctx.catalog.t(key)
    period = f"{HISTORY_START}..{last_month(ctx, measure):%Y-%m}"
    history = ctx.run(Query(measure, period, where=where, grain="month"))
    frame = pd.DataFrame(
        {
            "period": pd.to_datetime(history.rows["bucket"]),
            "value": history.rows["value"].astype(float),
        }
    )
    spec = fan_chart(frame, forecast, title)
    key_of_figure = f"outlook_{measure}_{len(sec.figures)}"
    sec.figures.append(Figure(key_of_figure, title, spec, collect(sec, history)))
    sec.values.append(_forecast_value(ctx, forecast, title, history.unit))


def _one_series(rows: pd.DataFrame, where: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """The forecast of the series broken down by exactly the filtered dimensions (first model)."""
    if rows.empty:
        return rows
    other = [c for c in rows.columns if c not in (*_FORECAST_COLUMNS, *where)]
    rows = rows[rows[other].isna().all(axis=1)] if other else rows
    if rows.empty:
        return rows
    first = rows["series_id"].iloc[0]
    rows = rows[rows["series_id"] == first]
    return rows[rows["model"] == rows["model"].iloc[0]].sort_values("period")


_FORECAST_COLUMNS = (
    "series_id",
    "measure",
    "period",
    "model",
    "mean",
    "lo80",
    "hi80",
    "lo95",
    "hi95",
    "unit",
    "run_id",
)


def _forecast_value(ctx: Context, forecast: pd.DataFrame, label: str, unit: str) -> Value:
    c = ctx.catalog
    last = forecast.iloc[-1]
    month = pd.Timestamp(last["period"]).date().replace(day=1)
    return Value(
        label=label,
        value=float(last["mean"]),
        text=c.number(float(last["mean"])),
        unit=c.unit(unit),
        period=c.month(month),
        change_text=c.t(
            "outlook.interval", lo=c.number(float(last["lo80"])), hi=c.number(float(last["hi80"]))
        ),
        query={
            "forecast_run": int(last["run_id"]),
            "series_id": str(last["series_id"]),
            "model": str(last["model"]),
        },
    )


# -- interdiction ---------------------------------------------------------------------------------


def interdiction(ctx: Context) -> Section:
    """The optimised allocation against a re-routing trafficker, beside simple policies."""
    from borderflow.interdiction import latest_result

    c = ctx.catalog
    sec = new_section(ctx, "interdiction")
    with ctx.lock:
        result = latest_result(ctx.engine)
    for release in result.get("releases", []):
        sec.releases[int(release["release_id"])] = release
    sec.values.extend(
        _objective_values(ctx, result["scenario"], result["objective"], sorted(sec.releases))
    )
    sec.tables.append(_allocation_table(ctx, result["allocation"]))
    sec.tables.append(_policy_table(ctx, result["policies"]))
    sec.extra["interdiction"] = {
        "run_id": result.get("run_id"),
        "scenario": result["scenario"],
        "objective": result["objective"],
        "simulation": result["simulation"],
    }
    sec.notes.extend([c.t("notes.interdiction_model"), c.t("notes.interdiction_flow")])
    return sec


def _objective_values(
    ctx: Context, scenario: dict[str, Any], objective: dict[str, Any], releases: list[int]
) -> list[Value]:
    """Delivered flow with the allocation, without it, and the flow interdicted, each with the
    scenario it comes from: its name, the units shipped and the budget (without them a number
    of flow units cannot be read)."""
    c = ctx.catalog
    setting = c.t(
        "interdiction.scenario_text",
        name=scenario.get("name", ""),
        shipped=c.number(float(objective["shipped"])),
        budget=c.number(float(objective["budget"])),
    )
    values = []
    for key, field in (
        ("delivered", "delivered"),
        ("baseline", "baseline_delivered"),
        ("interdicted", "interdicted"),
    ):
        number = float(objective[field])
        values.append(
            Value(
                c.t(f"interdiction.{key}"),
                number,
                c.number(number, 1),
                c.t("interdiction.flow_unit"),
                c.t("interdiction.model_period"),
                releases=list(releases),
                scope=setting,
            )
        )
    return values


def _allocation_table(ctx: Context, allocation: list[dict[str, Any]]) -> Table:
    c = ctx.catalog
    rows: list[list[Value | str]] = []
    for a in sorted(allocation, key=lambda a: -float(a["units"])):
        rows.append(
            [
                crossing_name(ctx.catalog, a),
                c.messages.get(f"interdiction.resource_{a['resource']}", str(a["resource"])),
                c.number(float(a["units"])),
                c.percent(100 * float(a["detection_before"]), signed=False),
                c.percent(100 * float(a["detection_after"]), signed=False),
            ]
        )
    columns = [
        c.t("interdiction.crossing"),
        c.t("interdiction.resource"),
        c.t("interdiction.units"),
        c.t("interdiction.detection_before"),
        c.t("interdiction.detection_after"),
    ]
    return Table(c.t("interdiction.allocation"), columns, rows)


def crossing_name(c: Catalog, row: dict[str, Any]) -> str:
    """ "Oficina de Campo de Laredo — Camiones": the area and conveyance in the reader's words."""
    conveyance = str(row.get("conveyance") or "")
    way = (
        c.t("interdiction.between_ports")
        if conveyance == "Between ports"
        else c.member("conveyance", conveyance)
    )
    return f"{c.member('area', str(row['area']))} — {way}"


def _policy_table(ctx: Context, policies: dict[str, dict[str, Any]]) -> Table:
    c = ctx.catalog
    rows: list[list[Value | str]] = [
        [
            c.messages.get(f"interdiction.policy_{name}", name),
            c.number(float(p["delivered"]), 1),
            c.number(float(p["interdicted"]), 1),
        ]
        for name, p in policies.items()
    ]
    columns = [
        c.t("interdiction.policy"),
        c.t("interdiction.col_delivered"),
        c.t("interdiction.col_interdicted"),
    ]
    return Table(c.t("interdiction.policies"), columns, rows)


# -- claims ---------------------------------------------------------------------------------------


def article_section(ctx: Context, report: dict[str, Any]) -> Section:
    """The claim report of an article: each checkable claim, its verdict and the evidence.

    Args:
        ctx: the reader's context (only its language is used).
        report: the claim checker's report, ``borderflow.claims.check_text(...).to_dict()``.
    """
    c = ctx.catalog
    sec = Section("article", c.t("brief.article_title"), c.t("brief.article_lead"))
    for verdict, count in report["summary"].items():
        sec.values.append(
            Value(
                c.t(f"verdict.{verdict}"),
                float(count),
                c.number(count),
                c.t("claims.claims"),
                c.day(date.fromisoformat(report["published"])),
            )
        )
    sec.extra["claims"] = [_claim(ctx, sec, claim) for claim in report["claims"]]
    sec.extra["report"] = report
    return sec


def _claim(ctx: Context, sec: Section, claim: dict[str, Any]) -> dict[str, Any]:
    """A claim for display: verdict in words, numbers formatted, its release cited."""
    c = ctx.catalog
    release = claim.get("release") or {}
    rid = release.get("release_id")
    if rid is not None:
        sec.releases[int(rid)] = release
    from borderflow.claims.explain import claimed_text, official_text, why_text  # its own words

    unit = _unit_text(ctx, claim.get("unit"))

    def figure(value: Any) -> bool:
        return isinstance(value, int | float) and not isinstance(value, bool)

    return {
        "text": claim["text"],
        "sentence": claim["sentence"],
        "verdict": claim["verdict"],
        "verdict_text": c.t(f"verdict.{claim['verdict']}"),
        "claimed": claimed_text(c, claim),
        "official": official_text(c, claim) or "–",  # a dash: the record has no such figure
        # a unit beside a figure only: never a bare "pastillas" in an empty cell
        "claimed_unit": unit if figure(claim.get("claimed")) else "",
        "unit": unit if figure(claim.get("official")) else "",
        "release": int(rid) if rid is not None else None,
        # a registry finding cites the pages it was read from instead of a data release
        "references": release.get("reference") or [],
        # The rationale is a message key with values (claims/explain.py), in the reader's language.
        "reason": why_text(c, claim),
        "confidence": claim.get("confidence"),
    }


def _unit_text(ctx: Context, unit: str | None) -> str:
    """The unit in words, when the catalog knows it (else as given, in English only)."""
    if not unit:
        return ""
    known = ctx.catalog.messages.get(f"units.{unit}")
    return known or (unit if ctx.catalog.lang == "en" else "")
