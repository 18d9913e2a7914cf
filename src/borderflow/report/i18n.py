"""Words, numbers and dates in the reader's language.

The message catalog is data: ``report/i18n/en.toml`` and ``es.toml`` hold every sentence the brief
and the dashboard print, under the same keys (a test checks that both languages have every key).
An area may keep its messages in a file of its own, ``<lang>.<area>.toml`` (``en.claims.toml``,
``es.claims.toml``); the catalog of a language is the union of its files, and a key defined in two
files is refused.
Numbers and dates are formatted with Babel for ``en_US`` and ``es_MX``; names of drugs, places and
other dimension members come from the gazetteer, which carries both languages.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from borderflow.errors import BorderflowError
from borderflow.metrics.periods import Period, add_months, fiscal_year_of

#: Languages with a catalog, and the Babel locale each formats numbers and dates with.
LOCALES = {"en": "en_US", "es": "es_MX"}


class LanguageError(BorderflowError):
    """A language without a catalog, or a message key missing from one."""


@dataclass(frozen=True)
class Catalog:
    """The messages of one language and the formatting rules of its locale.

    Attributes:
        lang: ``"en"`` or ``"es"``.
        locale: the Babel locale (``en_US``, ``es_MX``).
        messages: flat key → text, e.g. ``"brief.title"``.
    """

    lang: str
    locale: str
    messages: dict[str, str]

    def t(self, key: str, **values: Any) -> str:
        """The message ``key``, with ``{placeholders}`` filled from ``values``."""
        try:
            text = self.messages[key]
        except KeyError:
            raise LanguageError(f"no message {key!r} in report/i18n/{self.lang}.toml.") from None
        return text.format(**values) if values else text

    def number(self, value: float | None, decimals: int = 0) -> str:
        """``12,345`` (en_US and es_MX both group with commas); ``–`` for a missing value."""
        if value is None or value != value:
            return "–"
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def compact(self, value: float | None) -> str:
        """A large number shortened with words: ``1.2 million`` / ``1.2 millones``."""
        if value is None or value != value:
            return "–"
        for size, key in ((1e9, "unit.billion"), (1e6, "unit.million")):
            if abs(value) >= size:
                return self.t(key, n=format_decimal(value / size, "#,##0.0", locale=self.locale))
        return self.number(value)

    def percent(self, value: float | None, *, signed: bool = True) -> str:
        """A percentage given in percent points (``-24.7`` → ``-24.7%``)."""
        if value is None or value != value:
            return "–"
        text = format_percent(value / 100, "#,##0.0%", locale=self.locale)
        return ("+" + text) if signed and value > 0 else text

    def day(self, day: date, form: str = "long") -> str:
        """``June 15, 2026`` / ``15 de junio de 2026``."""
        return format_date(day, form, locale=self.locale)

    def month(self, day: date) -> str:
        """``Dec 2025`` / ``dic 2025``."""
        return format_date(day, "MMM y", locale=self.locale).replace(".", "")

    def period(self, period: Period) -> str:
        """A period in words, in this language (the library's labels are English)."""
        return _PERIOD_LABELS[period.kind](self, period)

    def bucket(self, grain: str | None, first: date, fallback: str) -> str:
        """The label of a grain bucket that starts at ``first`` (``FY2024``, ``dic 2025``)."""
        labels = {
            "fiscal_year": lambda: self.t("period.fiscal_year", year=fiscal_year_of(first)),
            "calendar_year": lambda: str(first.year),
            "quarter": lambda: self.t(
                "period.quarter", year=first.year, q=(first.month - 1) // 3 + 1
            ),
            "month": lambda: self.month(first),
        }
        return labels[grain]() if grain in labels else fallback

    def member(self, dimension: str, code: str) -> str:
        """The name of a stored member in this language (the code if the gazetteer lacks it)."""
        return _member_names(self.lang).get((dimension, code), code)

    def unit(self, unit: str) -> str:
        """A unit in words (``lb`` → ``pounds`` / ``libras``)."""
        return self.messages.get(f"units.{unit}", unit)


def _month_span(c: Catalog, p: Period) -> str:
    return f"{c.month(p.first)} – {c.month(p.last)}"


_PERIOD_LABELS = {
    "month": lambda c, p: c.month(p.first),
    "months": _month_span,
    "quarter": lambda c, p: c.bucket("quarter", p.first, ""),
    "calendar_year": lambda c, p: str(p.first.year),
    "fiscal_year": lambda c, p: c.t("period.fiscal_year", year=p.last.year),
    "fiscal_ytd": lambda c, p: c.t(
        "period.fiscal_ytd", year=fiscal_year_of(p.first), last=c.month(p.last)
    ),
    "12_month_ending": lambda c, p: c.t("period.twelve_months_ending", month=c.month(p.last)),
}


@functools.lru_cache(maxsize=len(LOCALES))
def _member_names(lang: str) -> dict[tuple[str, str], str]:
    from borderflow.reference.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    return {
        (dimension, m.code): m.name(lang)
        for dimension in gazetteer.dimensions()
        for m in gazetteer.members(dimension)
    }


def flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Nested TOML tables as dotted keys: ``{"brief": {"title": ..}}`` → ``{"brief.title": ..}``."""
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@functools.lru_cache(maxsize=len(LOCALES))
def load_catalog(lang: str) -> Catalog:
    """The catalog of ``lang`` (``en`` or ``es``)."""
    if lang not in LOCALES:
        raise LanguageError(f"no catalog for language {lang!r}; use one of {', '.join(LOCALES)}.")
    return Catalog(lang, LOCALES[lang], catalog_messages(lang))


def catalog_messages(lang: str) -> dict[str, str]:
    """Every message of ``lang``: the union of ``i18n/<lang>.toml`` and ``i18n/<lang>.*.toml``."""
    folder = resources.files("borderflow.report").joinpath("i18n")
    files = sorted(
        f.name
        for f in folder.iterdir()
        if f.name == f"{lang}.toml" or (f.name.startswith(f"{lang}.") and f.name.endswith(".toml"))
    )
    messages: dict[str, str] = {}
    for name in files:
        part = flatten(tomllib.loads(folder.joinpath(name).read_text("utf-8")))
        twice = sorted(set(part) & set(messages))
        if twice:
            raise LanguageError(f"report/i18n/{name} defines {', '.join(twice)} again.")
        messages.update(part)
    return messages


def months_ending(last_start: date, months: int) -> tuple[date, date]:
    """The first and last month of the ``months`` months ending with ``last_start``."""
    return add_months(last_start, 1 - months), last_start
