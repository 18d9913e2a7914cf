"""What changed, as message keys and values that a catalog renders in the reader's language."""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from borderflow.messages import CatalogLike as Messages
from borderflow.messages import read_messages

# -- what changed, as message keys and values ---------------------------------------------------
#
# A change is told as a message of ``report/i18n/<lang>.cli.toml`` (``cli.update.*``) and its
# values, as ``claims/explain.py`` tells a verdict's rationale: numbers stay numbers, months
# stay ISO dates, units stay unit keys, until a catalog renders them. ``SeriesChange.sentence``
# is the message rendered in the library's English (``english()``); the command line renders
# the same message in the reader's language (``render(catalog, message)``).

#: The English messages (the command line's catalog merges the same file).
ENGLISH = Path(__file__).resolve().parents[1] / "report" / "i18n" / "en.cli.toml"

Message = dict[str, Any]


def message(key: str, **values: Any) -> Message:
    """The message ``cli.update.<key>`` and its values (plain, or made by the helpers below)."""
    return {"key": f"cli.update.{key}", "values": values}


def amount(value: float, unit: str) -> dict[str, Any]:
    """A number and its unit key: ``6,725.62 lb`` / ``6,725.62 libras``."""
    return {"amount": float(value), "unit": unit}


def month_name(day: date) -> dict[str, str]:
    """A month's name alone: ``April`` / ``abril``."""
    return {"month_name": day.isoformat()}


def month_year(day: date) -> dict[str, str]:
    """A month and its year: ``April 2026`` / ``abril de 2026``."""
    return {"month_year": day.isoformat()}


def short_month(day: date) -> dict[str, str]:
    """A month as a bucket label: ``Apr 2026`` / ``abr 2026``."""
    return {"month": day.isoformat()}


def day_value(day: date) -> dict[str, str]:
    """A day: ``2026-04-30`` in the library's English, ``30 de abril de 2026`` in Spanish."""
    return {"date": day.isoformat()}


def subject_value(source: str, words: str) -> dict[str, str]:
    """A headline's subject: ``cli.update.subject.<source>``, else ``words`` (English)."""
    return {"subject": source, "text": words}


def joined(values: list[Any], sep: str = ", ") -> dict[str, Any]:
    """Values rendered one by one and joined with ``sep``."""
    return {"items": values, "sep": sep}


class CatalogLike(Messages, Protocol):
    """A catalog that also writes days (``Catalog.day``)."""

    def day(self, day: date, form: str = "long") -> str: ...


@dataclass
class PlainCatalog:
    """The library's English: ``en.cli.toml``'s words, Python's number formatting, ISO days."""

    messages: dict[str, str]
    lang: str = "en"

    def t(self, key: str, **values: Any) -> str:
        text = self.messages[key]
        return text.format(**values) if values else text

    def number(self, value: float | None, decimals: int = 0) -> str:
        return "–" if value is None else f"{value:,.{decimals}f}"

    def month(self, day: date) -> str:
        return f"{day:%b %Y}"

    def day(self, day: date, form: str = "long") -> str:
        """``MMMM``: the month's name (Babel's pattern); otherwise the ISO day."""
        return calendar.month_name[day.month] if form == "MMMM" else day.isoformat()


@functools.cache
def english() -> PlainCatalog:
    """The library's English catalog (``report/i18n/en.cli.toml``)."""
    return PlainCatalog(read_messages(ENGLISH))


def render(c: CatalogLike, said: Message) -> str:
    """A message in ``c``'s language."""
    values = {name: value_text(c, v) for name, v in said.get("values", {}).items()}
    return c.t(said["key"], **values)


def value_text(c: CatalogLike, value: Any) -> str:
    if not isinstance(value, dict):
        return str(value)
    kind = next((k for k in _VALUE_TEXT if k in value), None)
    if kind is None:
        raise ValueError(f"a message value of no known kind ({', '.join(_VALUE_TEXT)}): {value!r}")
    return _VALUE_TEXT[kind](c, value)


def _amount_text(c: CatalogLike, value: dict[str, Any]) -> str:
    number = float(value["amount"])
    written = c.number(number, 0 if number.is_integer() else 2)
    return f"{written} {_unit_text(c, value['unit'] or '')}".rstrip()


def _unit_text(c: CatalogLike, unit: str) -> str:
    """A unit as stored in English (``lb``); in words in another language (``libras``)."""
    if c.lang == "en" or not unit:
        return unit
    return c.messages.get(f"units.{unit}") or c.messages.get(
        f"cli.unit.{unit.replace(' ', '_')}", unit
    )


def _month_year_text(c: CatalogLike, value: dict[str, Any]) -> str:
    day = date.fromisoformat(value["month_year"])
    return c.t("cli.update.month_year", month=c.day(day, "MMMM"), year=day.year)


def _subject_text(c: CatalogLike, value: dict[str, Any]) -> str:
    return c.messages.get(f"cli.update.subject.{value['subject']}", value["text"])


def _items_text(c: CatalogLike, value: dict[str, Any]) -> str:
    return str(value["sep"]).join(value_text(c, v) for v in value["items"])


#: How each kind of value is written, by the key that marks it.
_VALUE_TEXT: dict[str, Callable[[CatalogLike, dict[str, Any]], str]] = {
    "key": render,
    "amount": _amount_text,
    "month_name": lambda c, v: c.day(date.fromisoformat(v["month_name"]), "MMMM"),
    "month_year": _month_year_text,
    "month": lambda c, v: c.month(date.fromisoformat(v["month"])),
    "date": lambda c, v: c.day(date.fromisoformat(v["date"])),
    "subject": _subject_text,
    "items": _items_text,
}
