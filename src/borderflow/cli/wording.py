"""The command line's words in the reader's language (``$BORDERFLOW_LANG``): column headers,
the question of a query, the metrics layer's notes, units, statuses, issue locations, and the
claim table of ``borderflow check``.

Every string comes from the catalog (``report/i18n/<lang>.cli.toml`` and the areas it borrows
from: ``dims``, ``units``, ``verdict``, ``claims``). English output keeps the library's own
words — the question as ``Query.sentence()`` writes it, units as stored — so scripts reading
it see what they always saw.
"""

from __future__ import annotations

import os
from typing import Any

from rich.table import Table

from borderflow.cli.common import LANG_VARIABLE
from borderflow.messages import Said
from borderflow.report.i18n import LOCALES, Catalog


def column(c: Catalog, name: str) -> str:
    """A column header: ``cli.col.<name>``, else the dimension's name."""
    key = f"cli.col.{name}"
    return c.messages[key] if key in c.messages else dimension_name(c, name)


def dimension_name(c: Catalog, dimension: str) -> str:
    """``drug`` → ``drug`` / ``droga`` (the dashboard's word where it has one)."""
    if c.lang == "en":
        return dimension
    return c.messages.get(f"dims.{dimension}") or c.messages.get(f"cli.dim.{dimension}", dimension)


def status_word(c: Catalog, status: str) -> str:
    """A release's or file's status (``loaded``, ``quarantined``…) in words."""
    return c.messages.get(f"cli.status.{status}", status)


def unit_words(c: Catalog, unit: str | None) -> str:
    """A stored unit for a reader: as stored in English (``lb``), in words otherwise."""
    if not unit:
        return ""
    if c.lang == "en":
        return unit
    known = {
        "per 100,000 standard population (age-adjusted)": "cli.unit.age_adjusted",
        "investigation files": "cli.unit.investigation_files",
        "shipments": "cli.unit.shipments",
    }
    return c.messages.get(f"units.{unit}") or c.messages.get(known.get(unit, ""), unit)


def rate_words(c: Catalog, query: Any, unit: str | None, stored: str) -> str:
    """The unit of a ``--rate`` column; ``stored`` is the library's English text."""
    if c.lang == "en":
        return stored
    if query.rate == "per_100k":
        return c.t("cli.query.rate_per_100k", unit=unit_words(c, unit))
    if query.rate == "per_1000_crossings":
        conveyance = c.member("conveyance", query.rate_conveyance).lower()
        return c.t("cli.query.rate_per_1000", unit=unit_words(c, unit), conveyance=conveyance)
    return stored


def issue_location(c: Catalog, issue: Any) -> str:
    """``file, row 12, column 'Sum Qty (lbs)'`` in the reader's words."""
    parts = [issue.file]
    if issue.row is not None:
        parts.append(c.t("cli.ingest.row", row=issue.row))
    if issue.column:
        parts.append(c.t("cli.ingest.column", column=issue.column))
    return ", ".join(parts)


def issue_text(c: Catalog, kind: str, message: str, value: str | None) -> str:
    """What is wrong: the loader's own message in English; in another language, the issue
    kind in the reader's words and the offending value (the loaders write English detail)."""
    if c.lang == "en":
        return message
    said = c.t(f"cli.issue_kind.{kind}")
    return c.t("cli.issue.with_value", kind=said, value=value) if value else said


# -- a query in words --------------------------------------------------------------------------


def query_sentence(c: Catalog, query: Any) -> str:
    """The question of a query: ``Query.sentence()`` in English, the catalog's words otherwise."""
    if c.lang == "en":
        return str(query.sentence())
    measure = query.measure
    parts = [c.messages.get(f"claims.measure.{measure}", measure)]
    if query.include_amo:
        parts.append(c.t("cli.query.including_amo"))
    for dimension, members in query.where.items():
        names = c.t("cli.query.or").join(c.member(dimension, str(m)) for m in members)
        parts.append(c.t("cli.query.where", dimension=dimension_name(c, dimension), members=names))
    parts.append(c.period(query.parsed_period()))
    if query.grain:
        grain = c.messages.get(f"cli.grain.{query.grain}", query.grain)
        parts.append(c.t("cli.query.by_grain", grain=grain))
    if query.by:
        names = ", ".join(dimension_name(c, d) for d in query.by)
        parts.append(c.t("cli.query.by", dimensions=names))
    if query.status:
        status = c.messages.get(f"claims.status.{query.status}", query.status)
        parts.append(c.t("cli.query.status", status=status))
    parts.extend(_extras(c, query))
    if query.as_of:
        parts.append(c.t("cli.query.as_of", day=c.day(query.as_of)))
    return ", ".join(parts)


def _extras(c: Catalog, query: Any) -> list[str]:
    extras = []
    if query.compare in ("year_ago", "previous"):
        extras.append(c.t(f"cli.query.{query.compare}"))
    if query.share_of:
        extras.append(c.t("cli.query.share_of", dimension=dimension_name(c, query.share_of)))
    if query.rank:
        extras.append(c.t("cli.query.ranked_by_rate" if query.rate else "cli.query.ranked"))
    if query.rate == "per_100k":
        extras.append(c.t("cli.query.per_100k"))
    elif query.rate == "per_1000_crossings":
        conveyance = c.member("conveyance", query.rate_conveyance).lower()
        extras.append(c.t("cli.query.per_1000", conveyance=conveyance))
    if query.unit:
        extras.append(c.t("cli.query.in_unit", unit=unit_words(c, query.unit)))
    return extras


# -- the metrics layer's notes ------------------------------------------------------------------


def metric_note(c: Catalog, note: str) -> str:
    """A note of the metrics layer in the reader's language: a note that says itself as a
    message (``borderflow.messages.Said``) is rendered from its key; any other as written."""
    if c.lang == "en" or not isinstance(note, Said):
        return str(note)
    values = {k: _note_value(c, k, v, note.values) for k, v in note.values.items()}
    return c.t(note.key, **values)


def _note_value(c: Catalog, name: str, value: Any, values: dict[str, Any]) -> str:
    """A note's value in the reader's words, from the codes the note carries beside it."""
    from borderflow.metrics.periods import parse_period

    if name == "description":
        return c.messages.get(f"claims.measure.{values.get('measure')}", str(value))
    if name == "conveyance":
        return c.member("conveyance", str(values.get("conveyance_code", value))).lower()
    if name in ("period", "converted") and f"{name}_code" in values:
        return c.period(parse_period(str(values[f"{name}_code"])))
    return str(value)


# -- the claim report ---------------------------------------------------------------------------


def report_language(article_lang: str) -> str:
    """The language of ``borderflow check``'s report: ``$BORDERFLOW_LANG`` when set, else the
    article's (a Spanish article gets a Spanish report), else English."""
    for chosen in (os.environ.get(LANG_VARIABLE), article_lang):
        if chosen in LOCALES:
            return str(chosen)
    return "en"


_VERDICT_STYLE = {"supported": "green", "contradicted": "red", "unverifiable": "dim"}


def claims_table(report: Any, c: Catalog) -> Table:
    """The checked claims as a table in ``c``'s language: verdict, claim, what it states, the
    official record and why, rendered from the checker's message keys (``claims.explain``)."""
    from borderflow.claims.explain import claimed_text, official_text, unit_text, why_text

    title = c.t("cli.title.claims", source=report.source, published=c.day(report.published))
    table = Table(title=title)
    for name in ("number", "verdict", "claim", "claimed", "official", "why"):
        table.add_column(column(c, name), overflow="fold")
    for i, claim in enumerate(report.claims, start=1):
        data = claim.to_dict()
        unit = unit_text(c, claim.unit) if claim.unit else ""
        style = _VERDICT_STYLE[claim.verdict]
        table.add_row(
            str(i),
            f"[{style}]{c.t(f'verdict.{claim.verdict}')}[/{style}]",
            claim.text,
            _with_unit(claimed_text(c, data), unit),
            _with_unit(official_text(c, data), unit),
            why_text(c, data),
        )
    return table


def _with_unit(value: str, unit: str) -> str:
    """A figure and its unit; a dash where the record has none (no cell is left blank)."""
    if not value:
        return "–"
    return f"{value} {unit}" if unit else value


def claims_summary(report: Any, c: Catalog) -> str:
    """``8 claims: 1 supported, 4 contradicted, 3 unverifiable.`` in ``c``'s language."""
    counts = ", ".join(
        c.t("cli.check.count", n=n, verdict=c.t(f"verdict.{verdict}").lower())
        for verdict, n in report.summary().items()
    )
    return c.t("cli.check.summary", n=len(report.claims), counts=counts)


def claims_display(report: Any, c: Catalog) -> dict[str, Any]:
    """The report as JSON with each claim's words added in ``c``'s language (``verdict_text``,
    ``claimed_text``, ``official_text``, ``why_text``) and the language as ``report_lang``;
    every other key as ``CheckReport.to_dict()`` has it."""
    from borderflow.claims.explain import claimed_text, official_text, why_text

    data: dict[str, Any] = report.to_dict()
    data["report_lang"] = c.lang
    for claim in data["claims"]:
        claim["verdict_text"] = c.t(f"verdict.{claim['verdict']}")
        claim["claimed_text"] = claimed_text(c, claim)
        claim["official_text"] = official_text(c, claim)
        claim["why_text"] = why_text(c, claim)
    return data
