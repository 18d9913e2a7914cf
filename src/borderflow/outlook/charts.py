"""One chart per series: the history and the forecast fan (80% and 95% intervals), Vega-Lite.

Specs are built with altair and rendered offline with vl-convert (PNG/SVG) — no browser needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

#: Months of history shown before the forecast.
HISTORY_MONTHS = 48
#: Time-axis labels: month and year (d3 time format).
AXIS_FORMAT = "%b %Y"


def fan_chart(history: pd.DataFrame, forecast: pd.DataFrame, title: str) -> dict[str, Any]:
    """A Vega-Lite spec: history as a line, forecast mean as a dashed line over 80%/95% bands.

    Args:
        history: ``period`` (date) and ``value`` — or the rows of a metrics-layer ``Result``
            (``bucket`` is then the month); the last ``HISTORY_MONTHS`` months are shown.
        forecast: ``period``, ``mean``, ``lo80``, ``hi80``, ``lo95``, ``hi95``.
        title: chart title.
    """
    import altair as alt

    if "bucket" in history.columns:  # rows of a metrics-layer Result: bucket is the month
        history = history.drop(columns=["period"]).rename(columns={"bucket": "period"})
    hist = history[["period", "value"]].dropna().tail(HISTORY_MONTHS).copy()
    hist["period"] = pd.to_datetime(hist["period"]).dt.strftime("%Y-%m-%d")
    fc = forecast[["period", "mean", "lo80", "hi80", "lo95", "hi95"]].copy()
    fc["period"] = pd.to_datetime(fc["period"]).dt.strftime("%Y-%m-%d")
    # Every tick says its year ("Jan 2026"): Vega-Lite's default time labels name only the month
    # between year boundaries, so a 4-year history read as twelve unlabelled months.
    x = alt.X("period:T", title=None, axis=alt.Axis(format=AXIS_FORMAT, labelOverlap=True))
    line = alt.Chart(hist).mark_line(color="#333").encode(x, alt.Y("value:Q", title=None))
    band95 = (
        alt.Chart(fc).mark_area(opacity=0.2, color="#1f77b4").encode(x, y="lo95:Q", y2="hi95:Q")
    )
    band80 = (
        alt.Chart(fc).mark_area(opacity=0.35, color="#1f77b4").encode(x, y="lo80:Q", y2="hi80:Q")
    )
    mean = alt.Chart(fc).mark_line(strokeDash=[4, 3], color="#1f77b4").encode(x, y="mean:Q")
    chart = (band95 + band80 + line + mean).properties(title=title, width=480, height=220)
    return dict(chart.to_dict())


def write_chart(spec: dict[str, Any], path: Path, *, png: bool = False) -> list[Path]:
    """Write ``spec`` as ``path.vl.json`` (and ``path.png`` when asked); the files written."""
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    written = [path.with_suffix(".vl.json")]
    written[0].write_text(json.dumps(spec), encoding="utf-8")
    if png:
        import vl_convert as vlc

        target = path.with_suffix(".png")
        target.write_bytes(vlc.vegalite_to_png(spec))
        written.append(target)
    return written
