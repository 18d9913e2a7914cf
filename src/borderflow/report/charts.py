"""Charts as Vega-Lite specifications (built with Altair), and their rendering to inline SVG.

The same specification is drawn in the browser by the dashboard (vega-embed, vendored) and turned
into SVG for the brief by vl-convert, with number and date formats of the reader's locale, so the
brief is one self-contained file.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

#: vl-convert locale names for the catalog languages.
CHART_LOCALES = {"en": "en-US", "es": "es-MX"}
WIDTH = 620
HEIGHT = 260


def _base(frame: pd.DataFrame, title: str) -> alt.Chart:
    return alt.Chart(frame, title=alt.TitleParams(title, anchor="start", fontSize=13)).properties(
        width=WIDTH, height=HEIGHT
    )


def _legend(title: str) -> alt.Legend:
    return alt.Legend(title=title, orient="bottom", columns=4, labelLimit=220)


def bars(
    frame: pd.DataFrame,
    *,
    title: str,
    y_title: str,
    color_title: str = "",
    x_title: str = "",
) -> dict[str, Any]:
    """Stacked bars: ``label`` on x (frame order), ``value`` on y, ``series`` as colour if set."""
    order = list(dict.fromkeys(frame["label"]))
    encoding: dict[str, Any] = {
        "x": alt.X("label:N", sort=order, title=x_title or None, axis=alt.Axis(labelAngle=0)),
        "y": alt.Y("value:Q", title=y_title, axis=alt.Axis(format=",.0f")),
        "tooltip": [alt.Tooltip("label:N"), alt.Tooltip("value:Q", format=",.0f")],
    }
    if "series" in frame:
        encoding["color"] = alt.Color("series:N", legend=_legend(color_title))
        encoding["tooltip"].insert(0, alt.Tooltip("series:N", title=color_title or None))
    return _base(frame, title).mark_bar().encode(**encoding).to_dict()


def ranking(frame: pd.DataFrame, *, title: str, x_title: str, fmt: str = ",.0f") -> dict[str, Any]:
    """Horizontal bars of ``value`` by ``label``, largest first."""
    chart = _base(frame, title).properties(height=max(14 * len(frame), 80))
    return (
        chart.mark_bar()
        .encode(
            y=alt.Y("label:N", sort="-x", title=None),
            x=alt.X("value:Q", title=x_title, axis=alt.Axis(format=fmt)),
            tooltip=[alt.Tooltip("label:N"), alt.Tooltip("value:Q", format=fmt)],
        )
        .to_dict()
    )


def lines(
    frame: pd.DataFrame, *, title: str, y_title: str, color_title: str = ""
) -> dict[str, Any]:
    """Lines over time: ``date`` on x, ``value`` on y, one line per ``series`` if set."""
    data = frame.assign(date=pd.to_datetime(frame["date"]))
    encoding: dict[str, Any] = {
        "x": alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
        "y": alt.Y("value:Q", title=y_title, axis=alt.Axis(format=",.0f")),
        "tooltip": [
            alt.Tooltip("date:T", format="%Y-%m"),
            alt.Tooltip("value:Q", format=",.0f"),
        ],
    }
    if "series" in data:
        encoding["color"] = alt.Color("series:N", legend=_legend(color_title))
        encoding["tooltip"].insert(0, alt.Tooltip("series:N", title=color_title or None))
    return _base(data, title).mark_line(point=False).encode(**encoding).to_dict()


#: The brief's font, set in every chart it draws, so vl-convert measures the labels with the
#: font WeasyPrint and browsers then draw them with (DejaVu Sans ships with Debian).
FONT = "DejaVu Sans"


def to_svg(spec: dict[str, Any], lang: str) -> str:
    """The chart as an SVG document, with the number and date formats of ``lang``."""
    import vl_convert

    config = dict(spec.get("config") or {})
    config.setdefault("font", FONT)
    spec = {**spec, "config": config}

    locale: Any = CHART_LOCALES.get(lang, "en-US")
    svg: str = vl_convert.vegalite_to_svg(spec, format_locale=locale, time_format_locale=locale)
    return svg
