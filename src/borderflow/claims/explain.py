"""A verdict's one-line rationale in the reader's language.

The checker gives each claim a ``why``: a message key of ``report/i18n/<lang>.claims.toml`` and
its values. Numbers stay numbers, units stay unit keys and a query stays a query until a catalog
renders them, so English and Spanish readers get the same rationale with their own words and
number formatting — never an internal name (``seized_lb``) or a raw float.

``render_why(catalog, why)`` takes any object with the report catalog's ``t``, ``number``,
``month``, ``member`` and ``messages`` (``borderflow.report.i18n.Catalog``); the checker itself
writes its English ``reason`` with ``english()``, a catalog of the English file alone.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from borderflow.claims.lexicon import fold
from borderflow.messages import CatalogLike as Messages
from borderflow.messages import read_messages

#: The English messages of the claims area (the report's catalog merges the same file).
ENGLISH = Path(__file__).resolve().parents[1] / "report" / "i18n" / "en.claims.toml"
_ISO_DAY = re.compile(r"\b(\d{4})-(\d\d)-(\d\d)\b")
_MONTH = re.compile(r"^(\d{4})-(\d\d)$")


class CatalogLike(Messages, Protocol):
    """A catalog that also names a dimension's members (``Catalog.member``)."""

    def member(self, dimension: str, code: str) -> str: ...


@dataclass
class PlainCatalog:
    """The English claims messages with plain number formatting, for the checker's own text."""

    messages: dict[str, str]
    lang: str = "en"

    def t(self, key: str, **values: Any) -> str:
        text = self.messages.get(key, key)
        return text.format(**values) if values else text

    def number(self, value: float | None, decimals: int = 0) -> str:
        return "–" if value is None else f"{value:,.{decimals}f}"

    def month(self, day: date) -> str:
        return f"{day:%b %Y}"

    def member(self, dimension: str, code: str) -> str:
        return code


@functools.cache
def english() -> PlainCatalog:
    """The English claims catalog (``report/i18n/en.claims.toml``)."""
    try:
        return PlainCatalog(read_messages(ENGLISH))
    except OSError:
        return PlainCatalog({})


def why(key: str, **values: Any) -> dict[str, Any]:
    """A rationale: message ``claims.why.<key>`` and its values."""
    return {"key": f"claims.why.{key}", "values": values}


def render_why(c: CatalogLike, reason: dict[str, Any] | None) -> str:
    """The rationale in ``c``'s language."""
    if not reason:
        return ""
    values = {k: _value(c, k, v) for k, v in reason.get("values", {}).items()}
    return c.t(reason["key"], **values)


def message(key: str, **values: Any) -> dict[str, Any]:
    """A value rendered as the message ``key`` (any area) with its own values."""
    return {"why": {"key": key, "values": values}}


def localized(en: str, es: str = "", term: str = "") -> dict[str, Any]:
    """A name or title the registry gives in both languages; ``term``: a ``claims.term.*`` key
    that words it better when the reader's catalog has it."""
    return {"lang": {"en": en, "es": es}, "term": term}


def day_value(text: str) -> dict[str, str]:
    """A date as the registry writes it (``2007``, ``2007-10``, ``2007-10-22``), to be written
    at that precision in the reader's language."""
    return {"date": text}


def items(values: list[Any], sep: str = "; ") -> dict[str, Any]:
    """Values joined with ``sep`` (a timeline: ``announced 2007-10-22; first funded …``)."""
    return {"items": values, "sep": sep}


def _value(c: CatalogLike, name: str, value: Any) -> str:
    if isinstance(value, dict) and "why" in value:
        return render_why(c, value["why"])
    if isinstance(value, dict) and "lang" in value:
        return _localized(c, value)
    if isinstance(value, dict) and "date" in value:
        return date_text(c, str(value["date"]))
    if isinstance(value, dict) and "items" in value:
        return str(value.get("sep", "; ")).join(_value(c, name, v) for v in value["items"])
    if isinstance(value, dict) and "measure" in value:
        return describe_query(c, value)
    if isinstance(value, dict) and "number" in value:
        return number_text(c, value["number"], value.get("decimals"))
    if name == "unit":
        return f" {unit_text(c, value)}" if value else ""
    if name == "doubts":
        return "; ".join(c.t(f"claims.doubt.{d}") for d in value)
    if name in ("text", "detail_text"):
        return translate_terms(c, str(value))
    if isinstance(value, list):
        return ", ".join(_value(c, name, v) for v in value)
    if isinstance(value, float | int) and not isinstance(value, bool):
        return number_text(c, float(value))
    if isinstance(value, str) and name.endswith("period"):
        return period_text(c, value)
    return str(value)


def _localized(c: CatalogLike, value: dict[str, Any]) -> str:
    names = value["lang"]
    if c.lang == "en":
        return str(names.get("en", ""))
    term = value.get("term") and c.messages.get(f"claims.term.{value['term']}")
    return str(term or names.get(c.lang) or names.get("en", ""))


def date_text(c: CatalogLike, text: str) -> str:
    """``2007-10-22`` as the catalog writes a day (``22 de octubre de 2007``), ``2007-10`` as it
    writes a month; as written when the catalog has no calendar (the checker's English text)."""
    day = getattr(c, "day", None)
    try:
        parsed = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return text
    if parsed is not None:
        return str(day(parsed)) if day is not None else text
    month = _MONTH.fullmatch(text)
    if month and day is not None:
        return c.month(date(int(month.group(1)), int(month.group(2)), 1))
    return text


def number_text(c: CatalogLike, value: float, decimals: int | None = None) -> str:
    """A figure as a reader writes it: whole above 100, one decimal above 10, else two."""
    if decimals is None:
        size = abs(value)
        decimals = 0 if size >= 100 or float(value).is_integer() else 1 if size >= 10 else 2
    return c.number(value, decimals)


def unit_text(c: CatalogLike, unit: str) -> str:
    return c.messages.get(f"units.{unit}") or c.messages.get(f"claims.unit.{unit}") or unit


def period_text(c: CatalogLike, period: str) -> str:
    """``FY2023`` → ``FY2023`` / ``AF2023``; ``2023-10..2023-12`` → ``Oct 2023 – Dec 2023``."""
    fy = re.fullmatch(r"FY(\d{4})", period)
    if fy:
        key = "period.fiscal_year"
        return c.t(key, year=fy.group(1)) if key in c.messages else period
    twelve = re.fullmatch(r"12ME (\d{4}-\d\d)", period)
    if twelve:
        return c.t("claims.label.twelve_months", month=_month(c, twelve.group(1)))
    if ".." in period:
        first, last = period.split("..", 1)
        return f"{_month(c, first)} – {_month(c, last)}"
    return _month(c, period)


def _month(c: CatalogLike, text: str) -> str:
    m = _MONTH.fullmatch(text)
    return c.month(date(int(m.group(1)), int(m.group(2)), 1)) if m else text


def describe_query(c: CatalogLike, q: dict[str, Any]) -> str:
    """A query as words: "CBP drug seizures (weight), Fentanyl, Southwest Border, FY2023"."""
    measure = q["measure"]
    parts = [c.messages.get(f"claims.measure.{measure}", measure.replace("_", " "))]
    for dimension, members in sorted((q.get("where") or {}).items()):
        parts.append(" + ".join(c.member(dimension, str(m)) for m in members))
    if not q.get("where") and measure in ("seized_lb", "seizure_events"):
        parts.append(c.t("claims.label.nationwide"))
    parts.append(period_text(c, str(q["period"])))
    if q.get("status"):
        parts.append(c.messages.get(f"claims.status.{q['status']}", q["status"]))
    if q.get("compare") == "year_ago":
        parts.append(c.t("claims.label.year_ago"))
    elif q.get("compare") == "previous":
        parts.append(c.t("claims.label.previous"))
    if q.get("base_period"):
        parts.append(c.t("claims.label.against", period=period_text(c, q["base_period"])))
    if q.get("share_of"):
        parts.append(c.t("claims.label.share"))
    if q.get("per_day"):
        parts.append(c.t("claims.label.per_day", days=q["per_day"]))
    if q.get("per_month"):
        parts.append(c.t("claims.label.per_month", months=q["per_month"]))
    return ", ".join(p for p in parts if p)


@functools.cache
def _terms(lang_messages: tuple[tuple[str, str], ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    english_terms = {k: v for k, v in english().messages.items() if k.startswith("claims.term.")}
    mine = dict(lang_messages)
    pairs = sorted(
        ((english_terms[k], mine.get(k, english_terms[k])) for k in english_terms),
        key=lambda p: -len(p[0]),
    )
    return tuple((re.compile(rf"\b{re.escape(en)}\b"), out) for en, out in pairs)


def translate_terms(c: CatalogLike, text: str) -> str:
    """A reference-table finding (written in English) in ``c``'s words: the terms of
    ``claims.term.*`` replaced, ISO dates written as the catalog writes days."""
    if c.lang != "en":
        terms = tuple(sorted((k, v) for k, v in c.messages.items() if k.startswith("claims.term.")))
        for pattern, replacement in _terms(terms):
            text = pattern.sub(replacement, text)
    day = getattr(c, "day", None)
    if day is None:
        return text

    def written(m: re.Match[str]) -> str:
        try:
            return str(day(date(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
        except ValueError:
            return m.group(0)

    return _ISO_DAY.sub(written, text)


def official_text(c: CatalogLike, claim: dict[str, Any]) -> str:
    """The official record of a claim for display: a figure with the catalog's formatting, or a
    reference-table finding in the reader's words."""
    return _side_text(c, claim, "official")


def claimed_text(c: CatalogLike, claim: dict[str, Any]) -> str:
    """What a claim states, for display: a figure with the catalog's formatting, a fact in the
    reader's words (a date, a chemical's relation), else the checker's text."""
    return _side_text(c, claim, "claimed")


def _side_text(c: CatalogLike, claim: dict[str, Any], side: str) -> str:
    """``claim[side]`` for display, or its finding (``claim[side + "_why"]``) when it has one."""
    if claim.get(f"{side}_why"):
        return render_why(c, claim[f"{side}_why"])
    value = claim.get(side)
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return number_text(c, float(value))
    return translate_terms(c, str(value))


def why_text(c: CatalogLike, claim: dict[str, Any]) -> str:
    """The rationale of a claim (``Claim.to_dict()``) in ``c``'s language; the checker's English
    reason when the claim carries no key."""
    reason = claim.get("why")
    if reason:
        return render_why(c, reason)
    return str(claim.get("reason") or "")


__all__ = [
    "claimed_text",
    "day_value",
    "english",
    "fold",
    "items",
    "localized",
    "message",
    "official_text",
    "render_why",
    "why",
    "why_text",
]
