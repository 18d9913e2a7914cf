"""Charts as Vega-Lite specifications (built with Altair), and their rendering to inline SVG.

The same specification is drawn in the browser by the dashboard (vega-embed, vendored) and turned
into SVG for the brief by vl-convert, with number and date formats of the reader's locale, so the
brief is one self-contained file.

Every field carries a title in the reader's language (axis titles, tooltips and the descriptions
screen readers hear are built from them), and a series keeps one colour in every language and
output: colours are chosen by the stored code (``series_code``), never by the translated name.
"""

from __future__ import annotations

import functools
from typing import Any

import altair as alt
import pandas as pd

#: vl-convert locale names for the catalog languages.
CHART_LOCALES = {"en": "en-US", "es": "es-MX"}
WIDTH = 620
HEIGHT = 260


#: Colours of the series a reader meets most, by dimension and stored code: fentanyl is red in
#: every chart, language and output.
SERIES_COLOURS: dict[tuple[str, str], str] = {
    ("drug", "Fentanyl"): "#c0392b",
    ("drug", "Methamphetamine"): "#1f77b4",
    ("drug", "Cocaine"): "#7f7f7f",
    ("drug", "Heroin"): "#8c564b",
    ("drug", "Marijuana"): "#2ca02c",
    ("drug", "Ecstasy"): "#e377c2",
    ("drug", "Ketamine"): "#bcbd22",
    ("drug", "Khat (Catha Edulis)"): "#17becf",
    ("drug", "Lsd"): "#9467bd",
    ("drug", "Other Drugs**"): "#c7c7c7",
    ("cause", "T40.4"): "#c0392b",
    ("cause", "all_drug_overdose"): "#1f4e79",
    ("conveyance", "Trucks"): "#1f4e79",
    ("conveyance", "Personal Vehicles"): "#ff7f0e",
    ("conveyance", "Pedestrians"): "#2ca02c",
}
#: Colours for other series, handed out in the order of their stored codes.
PALETTE = ("#1f4e79", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")


def series_scale(frame: pd.DataFrame, dimension: str | None) -> alt.Scale:
    """The colour scale of a frame's series: names in the reader's language, colours by code."""
    pairs = dict.fromkeys(zip(frame["series_code"], frame["series"], strict=True))
    codes = sorted({code for code, _ in pairs})
    spare = iter(PALETTE * (1 + len(codes) // len(PALETTE)))
    by_code = {code: SERIES_COLOURS.get((dimension or "", code)) or next(spare) for code in codes}
    return alt.Scale(domain=[name for _, name in pairs], range=[by_code[code] for code, _ in pairs])


def _colour(frame: pd.DataFrame, title: str, dimension: str | None) -> alt.Color:
    """Colour by series. The first series of the frame sits on the axis of a stack, where its
    size can be read, and heads the legend: Vega-Lite stacks the colour domain from the top, so
    the domain runs backwards while the legend keeps the frame's order."""
    order = list(dict.fromkeys(frame["series"]))
    scale: Any = alt.Undefined
    if "series_code" in frame:
        forward = series_scale(frame, dimension)
        scale = alt.Scale(domain=forward.domain[::-1], range=forward.range[::-1])
    legend = _legend(title)
    legend.values = order
    return alt.Color("series:N", title=title or None, legend=legend, scale=scale, sort=order[::-1])


def _base(frame: pd.DataFrame, title: str) -> alt.Chart:
    heading = alt.TitleParams(title, anchor="start", fontSize=13)
    return alt.Chart(frame, title=heading, description=title).properties(width=WIDTH, height=HEIGHT)


def _spoken(spec: dict[str, Any]) -> dict[str, Any]:
    """The specification with its title described in its own words, for screen readers (Vega
    would say "Title text '…'" in English). Altair has no parameter for it; Vega-Lite passes
    it on to Vega."""
    heading = dict(spec["title"])
    said = {"title": {"update": {"description": {"value": heading["text"]}}}}
    return {**spec, "title": {**heading, "encode": said}}


def _legend(title: str) -> alt.Legend:
    # aria off: Vega describes guides in English ("Symbol legend titled…"); the chart's own
    # description and its marks' labels are in the reader's language
    return alt.Legend(title=title, orient="bottom", columns=4, labelLimit=220, aria=False)


#: A bar label with a parenthesis ("FY2026 (7 of 12 months)") on two lines, so that it does not
#: run into its neighbour.
TWO_LINE_LABEL = (
    "indexof(datum.label, ' (') > 0 ? [slice(datum.label, 0, indexof(datum.label, ' (')), "
    "slice(datum.label, indexof(datum.label, ' (') + 1)] : datum.label"
)


def _axis(**options: Any) -> alt.Axis:
    """An axis without Vega's English description ("X-axis for a discrete scale…"): screen
    readers hear the chart's title and each mark's fields, titled in the reader's language."""
    return alt.Axis(aria=False, **options)


def bars(
    frame: pd.DataFrame,
    *,
    title: str,
    y_title: str,
    x_title: str = "",
    color_title: str = "",
    dimension: str | None = None,
) -> dict[str, Any]:
    """Stacked bars: ``label`` on x (frame order), ``value`` on y, ``series`` as colour if set
    (stacked in frame order: the first series sits on the axis)."""
    order = list(dict.fromkeys(frame["label"]))
    encoding: dict[str, Any] = {
        "x": alt.X(
            "label:N",
            sort=order,
            title=x_title or None,
            axis=_axis(labelAngle=0, title=None, labelExpr=TWO_LINE_LABEL),
        ),
        "y": alt.Y("value:Q", title=y_title, axis=_axis(format=",.0f")),
        "tooltip": [
            alt.Tooltip("label:N", title=x_title or None),
            alt.Tooltip("value:Q", title=y_title, format=",.0f"),
        ],
    }
    if "series" in frame:
        encoding["color"] = _colour(frame, color_title, dimension)
        encoding["tooltip"].insert(0, alt.Tooltip("series:N", title=color_title or None))
    return _spoken(_base(frame, title).mark_bar().encode(**encoding).to_dict())


def ranking(
    frame: pd.DataFrame, *, title: str, x_title: str, y_title: str = "", fmt: str = ",.0f"
) -> dict[str, Any]:
    """Horizontal bars of ``value`` by ``label``, largest first; rows with ``highlight`` true
    (the reader's place) are drawn in a darker colour."""
    chart = _base(frame, title).properties(height=max(14 * len(frame), 80))
    encoding: dict[str, Any] = {
        "y": alt.Y("label:N", sort="-x", title=y_title or None, axis=_axis(title=None)),
        "x": alt.X("value:Q", title=x_title, axis=_axis(format=fmt)),
        "tooltip": [
            alt.Tooltip("label:N", title=y_title or None),
            alt.Tooltip("value:Q", title=x_title, format=fmt),
        ],
    }
    if "highlight" in frame:
        encoding["color"] = alt.condition(
            alt.datum.highlight, alt.value("#c0392b"), alt.value("#4c78a8")
        )
    return _spoken(chart.mark_bar().encode(**encoding).to_dict())


def lines(
    frame: pd.DataFrame,
    *,
    title: str,
    y_title: str,
    x_title: str = "",
    color_title: str = "",
    dimension: str | None = None,
) -> dict[str, Any]:
    """Lines over time: ``date`` on x, ``value`` on y, one line per ``series`` if set."""
    data = frame.assign(date=pd.to_datetime(frame["date"]))
    encoding: dict[str, Any] = {
        "x": alt.X(
            "date:T",
            title=x_title or None,
            axis=_axis(format="%Y", tickCount="year", title=None),
        ),
        "y": alt.Y("value:Q", title=y_title, axis=_axis(format=",.0f")),
        "tooltip": [
            alt.Tooltip("date:T", title=x_title or None, format="%b %Y"),
            alt.Tooltip("value:Q", title=y_title, format=",.0f"),
        ],
    }
    if "series" in data:
        encoding["color"] = _colour(data, color_title, dimension)
        encoding["tooltip"].insert(0, alt.Tooltip("series:N", title=color_title or None))
    return _spoken(_base(data, title).mark_line(point=False).encode(**encoding).to_dict())


#: The brief's font, set in every chart it draws, so vl-convert measures the labels with the
#: font WeasyPrint and browsers then draw them with (DejaVu Sans ships with Debian).
FONT = "DejaVu Sans"


@functools.cache
def browser_locale(lang: str) -> dict[str, Any]:
    """The number and date formats of ``lang`` for vega-embed in the browser (``format`` and
    ``time``), the same d3 locales vl-convert draws the brief's charts with."""
    import vl_convert

    locale: Any = CHART_LOCALES.get(lang, "en-US")  # a name vl-convert knows
    return {
        "format": vl_convert.get_format_locale(locale),
        "time": vl_convert.get_time_format_locale(locale),
    }


def to_svg(spec: dict[str, Any], lang: str) -> str:
    """The chart as an SVG document, with the number and date formats of ``lang``."""
    import vl_convert

    config = dict(spec.get("config") or {})
    config.setdefault("font", FONT)
    spec = {**spec, "config": config}

    locale: Any = CHART_LOCALES.get(lang, "en-US")
    svg: str = vl_convert.vegalite_to_svg(spec, format_locale=locale, time_format_locale=locale)
    return svg


#: Longest event label drawn beside a marker (the tooltip has the whole title).
MARKER_LABEL = 38


def with_markers(
    spec: dict[str, Any], markers: list[dict[str, str]], *, title: str
) -> dict[str, Any]:
    """A time chart (``lines``) with dated events drawn as dashed vertical rules, each labelled.

    ``markers`` are ``{"date": "YYYY-MM-DD", "label": …, "day": …}`` with labels and days in the
    reader's language; ``title`` names them in the tooltip. Markers outside the chart's dates
    are left out (they would stretch the axis). A marker is a date, not a cause: the caller
    says so beside the chart.
    """
    x = (spec.get("encoding") or {}).get("x") or {}
    if x.get("type") != "temporal" or "layer" in spec:
        return spec
    dates = [
        str(row.get("date", ""))[:10]
        for rows in (spec.get("datasets") or {}).values()
        for row in rows
    ]
    first, last = min(dates, default=""), max(dates, default="")
    shown = [m for m in markers if first <= m["date"] <= last]
    if not shown:
        return spec
    data = {"values": [{**m, "short": _shortened(m["label"])} for m in shown]}
    at = {"field": "date", "type": "temporal"}
    rule = {
        "data": data,
        "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#444", "strokeWidth": 1.2},
        "encoding": {
            "x": at,
            "tooltip": [
                {"field": "label", "type": "nominal", "title": title},
                {"field": "day", "type": "nominal"},
            ],
            "description": {"field": "label", "type": "nominal"},
        },
    }
    label = {
        "data": data,
        "mark": {"type": "text", "angle": 270, "align": "right", "baseline": "bottom", "dx": -4,
                 "dy": -3, "fontSize": 9, "color": "#444", "y": 0, "aria": False},
        "encoding": {"x": at, "text": {"field": "short", "type": "nominal"}},
    }  # fmt: skip
    base = {key: spec[key] for key in ("mark", "encoding") if key in spec}
    outer = {key: value for key, value in spec.items() if key not in ("mark", "encoding")}
    return {**outer, "layer": [base, rule, label]}


def _shortened(text: str) -> str:
    return text if len(text) <= MARKER_LABEL else text[: MARKER_LABEL - 1].rstrip() + "…"
