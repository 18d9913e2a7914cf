"""The claim report as one self-contained HTML page: each claim quoted in its sentence, with
the verdict, the official figure, the question asked and the release it came from."""

from __future__ import annotations

from html import escape
from typing import Any

from borderflow.claims.check import CheckReport

_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}.claim{border-left:.35rem solid #999;padding:.4rem .9rem;margin:1rem 0;
background:#fafafa}.supported{border-color:#2e7d32}.contradicted{border-color:#c62828}
.unverifiable{border-color:#9e9e9e}.verdict{font-weight:700;text-transform:uppercase;
font-size:.8rem;letter-spacing:.05em}.supported .verdict{color:#2e7d32}
.contradicted .verdict{color:#c62828}mark{background:#fff3b0}blockquote{margin:.3rem 0;
font-style:italic}dl{display:grid;grid-template-columns:9rem 1fr;gap:.1rem .8rem;margin:.4rem 0}
dt{color:#666}dd{margin:0}code{font-size:.85em;word-break:break-all}details{font-size:.9em}
"""


def render_html(report: CheckReport) -> str:
    """The report as a standalone HTML document (no scripts, no external assets)."""
    summary = report.summary()
    counts = ", ".join(f"{n} {verdict}" for verdict, n in summary.items())
    body = "\n".join(_claim(i, c.to_dict()) for i, c in enumerate(report.claims, start=1))
    skipped = f" · {report.not_checked:,} more not checked" if report.not_checked else ""
    notes = "".join(f"<li>{escape(note)}</li>" for note in report.notes)
    notes = f'<ul class="notes">{notes}</ul>' if notes else ""
    return (
        f'<!doctype html><html lang="{escape(report.lang)}"><head><meta charset="utf-8">'
        f"<title>Claim check: {escape(report.source)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>Claim check: {escape(report.source)}</h1>"
        f"<p>Published {report.published.isoformat()} · language {escape(report.lang)} · "
        f"{len(report.claims)} claims: {escape(counts)}{skipped}.</p>"
        f"{notes}{body}</body></html>\n"
    )


def _claim(number: int, claim: dict[str, Any]) -> str:
    sentence = escape(claim["sentence"]).replace(
        escape(claim["text"]), f"<mark>{escape(claim['text'])}</mark>", 1
    )
    rows = [
        ("claimed", _fmt(claim["claimed"], claim["unit"])),
        ("official", _fmt(claim["official"], claim["unit"])),
        ("accepted range", escape(claim["accepted"] or "")),
        ("question", escape(claim["query"] or "")),
        ("release", _release(claim["release"])),
        ("why", escape(claim["reason"])),
        ("confidence", f"{100 * claim['confidence']:.0f}%" if claim.get("confidence") else ""),
        ("doubts", escape(", ".join(claim.get("doubts") or []))),
    ]
    facts = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v)
    readings = "".join(
        f"<li>{escape(r['label'])}: {_fmt(r['official'], claim['unit'])}"
        f"{' — ' + escape(r['note']) if r['note'] else ''}</li>"
        for r in claim["readings"]
    )
    more = f"<details><summary>readings considered</summary><ul>{readings}</ul></details>"
    return (
        f'<section class="claim {claim["verdict"]}" id="claim-{number}">'
        f'<div class="verdict">{number}. {claim["verdict"]}</div>'
        f"<blockquote>{sentence}</blockquote><dl>{facts}</dl>{more if readings else ''}</section>"
    )


def format_value(value: Any, unit: str | None) -> str:
    """A claimed or official value for reading: "13,000,000 pills", "-27.1 percent"."""
    if value is None:
        return ""
    if isinstance(value, float | int):
        number = (
            f"{value:,.0f}"
            if float(value).is_integer() or abs(value) >= 1000
            else (f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.3g}")
        )
        return f"{number} {unit or ''}".strip()
    return str(value)


def _fmt(value: Any, unit: str | None) -> str:
    return escape(format_value(value, unit))


def _release(release: dict[str, Any] | None) -> str:
    if not release:
        return ""
    if "reference" in release:
        return "; ".join(
            f'<a href="{escape(s["url"])}">{escape(s["title"] or s["url"])}</a>'
            for s in release["reference"]
        )
    return (
        f"{escape(str(release.get('file_name')))} (vintage {escape(str(release.get('vintage')))}, "
        f"sha256 <code>{escape(str(release.get('sha256', ''))[:16])}…</code>)"
    )
