"""The claim report as one self-contained HTML page: each claim quoted in its sentence, with
the verdict, the official figure, the question asked and the release it came from — in the
language of the catalog given (``claims.explain``), English by default."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from borderflow.claims.check import CheckReport
from borderflow.claims.explain import (
    CatalogLike,
    claimed_text,
    describe_query,
    english,
    official_text,
    unit_text,
    why_text,
)

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


def render_html(report: CheckReport, c: CatalogLike | None = None) -> str:
    """The report as a standalone HTML document (no scripts, no external assets), in the
    language of ``c`` (a ``borderflow.report.i18n.Catalog``); English by default."""
    c = c or english()
    summary = report.summary()
    counts = ", ".join(
        c.t("claims.page.count", n=n, verdict=_verdict(c, verdict).lower())
        for verdict, n in summary.items()
    )
    body = "\n".join(_claim(c, i, x.to_dict()) for i, x in enumerate(report.claims, start=1))
    skipped = c.t("claims.page.skipped", n=f"{report.not_checked:,}") if report.not_checked else ""
    notes = "".join(f"<li>{escape(note)}</li>" for note in report.notes)
    notes = f'<ul class="notes">{notes}</ul>' if notes else ""
    title = escape(c.t("claims.page.title", source=report.source))
    line = c.t(
        "claims.page.summary",
        published=_day(c, report.published),
        lang=report.lang,
        n=len(report.claims),
        counts=counts,
        skipped=skipped,
    )
    return (
        f'<!doctype html><html lang="{escape(c.lang)}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{title}</h1><p>{escape(line)}</p>{notes}{body}</body></html>\n"
    )


def _verdict(c: CatalogLike, verdict: str) -> str:
    return c.messages.get(f"verdict.{verdict}", verdict)


def _day(c: CatalogLike, day: date) -> str:
    written = getattr(c, "day", None)
    return str(written(day)) if written is not None else day.isoformat()


def _claim(c: CatalogLike, number: int, claim: dict[str, Any]) -> str:
    sentence = escape(claim["sentence"]).replace(
        escape(claim["text"]), f"<mark>{escape(claim['text'])}</mark>", 1
    )
    unit = unit_text(c, claim["unit"]) if claim["unit"] else ""
    question = describe_query(c, claim["query_json"]) if claim.get("query_json") else ""
    doubts = "; ".join(c.messages.get(f"claims.doubt.{d}", d) for d in claim.get("doubts") or [])
    rows: list[tuple[str, str | None]] = [
        ("claimed", _with_unit(claimed_text(c, claim), unit)),
        ("official", _with_unit(official_text(c, claim), unit)),
        # the accepted range is written in English by the checker; the "why" states it in words
        ("accepted", (claim["accepted"] or "") if c.lang == "en" else ""),
        ("question", question if c.lang != "en" else claim["query"] or ""),
        ("release", None),
        ("why", why_text(c, claim)),
        ("confidence", f"{100 * claim['confidence']:.0f}%" if claim.get("confidence") else ""),
        ("doubts", doubts),
    ]
    facts = "".join(
        f"<dt>{escape(c.t(f'claims.page.{k}'))}</dt><dd>{_release(c, claim['release'])}</dd>"
        if k == "release"
        else f"<dt>{escape(c.t(f'claims.page.{k}'))}</dt><dd>{escape(v or '')}</dd>"
        for k, v in rows
        if v or (k == "release" and claim["release"])
    )
    readings = "".join(
        f"<li>{escape(_reading_label(c, r))}: {escape(_with_unit(_figure(c, r['official']), unit))}"
        f"{' — ' + escape(_note(c, r['note'])) if r['note'] else ''}</li>"
        for r in claim["readings"]
    )
    label = escape(c.t("claims.label.readings"))
    more = f"<details><summary>{label}</summary><ul>{readings}</ul></details>"
    return (
        f'<section class="claim {claim["verdict"]}" id="claim-{number}">'
        f'<div class="verdict">{number}. {escape(_verdict(c, claim["verdict"]))}</div>'
        f"<blockquote>{sentence}</blockquote><dl>{facts}</dl>{more if readings else ''}</section>"
    )


def _with_unit(value: str, unit: str) -> str:
    return f"{value} {unit}" if value and unit else value


def _figure(c: CatalogLike, value: Any) -> str:
    return official_text(c, {"official": value})


def _note(c: CatalogLike, note: str) -> str:
    """Why a reading has no answer: the metrics layer's message in English, a plain "no answer"
    in another language."""
    return note if c.lang == "en" else c.t("claims.page.no_answer")


def _reading_label(c: CatalogLike, reading: dict[str, Any]) -> str:
    """A reading as words: the checker's English label, the question in the reader's words
    otherwise."""
    if c.lang == "en" or not reading.get("query_json"):
        return str(reading["label"])
    return describe_query(c, reading["query_json"])


def _release(c: CatalogLike, release: dict[str, Any] | None) -> str:
    if not release:
        return ""
    if "reference" in release:
        return "; ".join(
            f'<a href="{escape(s["url"])}">{escape(s["title"] or s["url"])}</a>'
            for s in release["reference"]
        )
    sha = str(release.get("sha256", ""))[:16]
    text = c.t(
        "claims.page.release_text",
        file=release.get("file_name"),
        vintage=release.get("vintage"),
        sha=sha,
    )
    return escape(text).replace(f"{sha}…", f"<code>{escape(sha)}…</code>", 1)
