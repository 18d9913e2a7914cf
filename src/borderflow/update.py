"""``update``: fetch what is new, load it, re-run the forecasts it touches, say what changed.

>>> from borderflow.update import update
>>> report = update(db_path, get_sources(), mirror)               # the official addresses
>>> report = update(db_path, get_sources(), mirror, base_url=url)  # an internal HTTP mirror
>>> [c.sentence for c in report.changes]
['FY2026 fentanyl through April: 6,725.62 lb; through December in the previous release: …']
>>> render(load_catalog("es"), report.changes[0].message)  # the same change, for a reader
'AF2026 fentanilo hasta abril: 6,725.62 libras; hasta diciembre en la publicación anterior: …'

1. **Discover.** CBP renames its file every month (``…-fy23-fy26-apr.csv`` replaces ``-mar``),
   so a name cannot be known in advance. For a folder listed in ``DISCOVERY_PAGES`` the
   publisher's page is read, its links are parsed with ``html.parser``, and the newest file of
   each series (by the month its data run through, then the ``/files/YYYY-MM/`` folder it was
   posted in, then its place on the page) is added to the files to fetch. With ``base_url`` the
   page is ``{base_url}/{folder}/index.html``: a copy of the publisher's page kept beside the files.
2. **Fetch** every known and discovered file with ``borderflow.fetch`` (conditional, atomic).
3. **Ingest** the mirror (``borderflow.warehouse.ingest``): files already loaded are skipped.
4. **Re-run forecasts.** The newest stored outlook run of each set of parameters whose releases
   include a source that just got a new release is run again with those parameters and stored;
   then every forecast in the ledger whose months are now published is scored and kept
   (``outlook.ledger.score_ledger``).
5. **Say what changed.** For each source with a new release, its headline series (``HEADLINES``)
   is asked now and as of the day before the new release's vintage, through the metrics layer,
   and the values of the months both releases cover are compared. The change is a message key
   of ``report/i18n/<lang>.cli.toml`` (``cli.update.*``) and its values — numbers, ISO months,
   unit keys — which ``render`` writes in a catalog's language; ``sentence`` is the message in
   the library's English. What failed is told the same way (``UpdateReport.problem_messages``,
   ``fetch_outcome_message``).

Layering: a library that drives the others (fetch, warehouse, metrics, outlook); it reads
numbers only through the metrics layer and stored runs only through ``engine.store``.
"""

from __future__ import annotations

import calendar
import fnmatch
import functools
import json
import math
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any, Protocol
from urllib.parse import quote, unquote, urldefrag, urljoin, urlsplit

import httpx

from borderflow.errors import FetchError
from borderflow.fetch import FetchOutcome, FetchReport, fetch, fetch_page
from borderflow.metrics import Engine, Query, QueryError, Result, get_measure
from borderflow.metrics.periods import add_months, fiscal_year_of
from borderflow.outlook import OutlookError, run_outlook, store_outlook_run
from borderflow.outlook.ledger import score_ledger
from borderflow.sources import all_sources, cbp_nationwide
from borderflow.sources.base import FileSeries, KnownFile, Source
from borderflow.warehouse import Warehouse
from borderflow.warehouse.ingest import FileOutcome, IngestReport, ingest

#: Mirror folders whose file names cannot be known in advance → the publisher's page listing them.
DISCOVERY_PAGES: dict[str, str] = {"cbp_drug_seizures": cbp_nationwide.PAGE}
#: The page's name inside ``{base_url}/{folder}/`` when updating from an HTTP mirror.
MIRROR_PAGE = "index.html"

Progress = Callable[[str], None]


# -- discovery ---------------------------------------------------------------------------------


class _Links(HTMLParser):
    """Collects the ``href`` of every ``<a>`` on a page, in page order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href and href.strip():
                self.hrefs.append(href.strip())


def page_links(html: str, page_url: str) -> list[tuple[str, str]]:
    """Every link on a page to a named file: (file name, absolute address), in page order.

    Relative links are resolved against ``page_url``; fragments are dropped; links that are not
    http(s) (mailto:, javascript:) or end in a folder are left out.
    """
    parser = _Links()
    parser.feed(html)
    parser.close()
    links = []
    for href in parser.hrefs:
        url = urldefrag(urljoin(page_url, href)).url
        parts = urlsplit(url)
        name = unquote(PurePosixPath(parts.path).name)
        if parts.scheme in ("http", "https") and name and not parts.path.endswith("/"):
            links.append((name, url))
    return links


@dataclass(frozen=True)
class FoundFile:
    """A file of one of the sources' series linked from a publisher's page.

    Attributes:
        source: the source whose series the file belongs to.
        series: the series key.
        name: the file name (what it is called in the mirror).
        url: the official address the page links.
        data_through: the last month of data, from the name (None where it does not say).
        posted: the month of the ``/files/YYYY-MM/`` folder it sits in, if any.
        newest: whether it is the newest file of its series on the page (the one fetched).
        known: whether the source already knows the file by name.
    """

    source: str
    series: str
    name: str
    url: str
    data_through: date | None
    posted: date | None
    newest: bool = False
    known: bool = False


@dataclass
class Discovery:
    """What one publisher's page lists for the chosen sources; ``error`` says what went wrong
    in English, ``reason`` as a message for any reader's catalog."""

    folder: str
    page: str
    files: list[FoundFile] = field(default_factory=list)
    error: str = ""
    reason: Message | None = None

    @property
    def newest(self) -> list[FoundFile]:
        return [f for f in self.files if f.newest]

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "page": self.page,
            "error": self.error,
            "reason": self.reason,
            "files": [asdict(f) for f in self.files],
        }


def discover(html: str, page_url: str, sources: list[Source]) -> list[FoundFile]:
    """The files of ``sources``' series linked from a page, each series' newest one marked.

    A link is a series' file when its name matches the series' pattern (as in the mirror).
    Newest: the latest month of data by the name, then the latest ``/files/YYYY-MM/`` folder,
    then the first on the page (publishers list the current file first).
    """
    best: dict[tuple[str, str], tuple[date, date, int]] = {}
    files: dict[tuple[str, str, str], tuple[tuple[date, date, int], FoundFile]] = {}
    for position, (name, url) in enumerate(page_links(html, page_url)):
        for source in sources:
            series = _series_for(source, name)
            if series is None or (source.name, series.key, name) in files:
                continue
            through_of = series.data_through_of or series.vintage_of
            f = FoundFile(
                source.name,
                series.key,
                name,
                url,
                data_through=through_of(name) if through_of else None,
                posted=_posted(url),
                known=series.known_file(name) is not None,
            )
            rank = (f.data_through or date.min, f.posted or date.min, -position)
            files[(source.name, series.key, name)] = (rank, f)
            best[(source.name, series.key)] = max(rank, best.get((f.source, f.series), rank))
    return [replace(f, newest=rank == best[(f.source, f.series)]) for rank, f in files.values()]


def _series_for(source: Source, name: str) -> FileSeries | None:
    return next((s for s in source.series if fnmatch.fnmatch(name, s.pattern)), None)


def _posted(url: str) -> date | None:
    """The month of a ``…/files/2026-05/…`` folder in an address (Drupal's upload folders)."""
    for segment in PurePosixPath(urlsplit(url).path).parts:
        try:
            return datetime.strptime(segment, "%Y-%m").date()
        except ValueError:
            continue
    return None


def discover_all(
    sources: list[Source],
    base_url: str | None,
    read_page: Callable[[str], str],
) -> list[Discovery]:
    """Read each discovery page of the chosen sources' folders (once per folder).

    With ``base_url`` the page is read from the HTTP mirror, but relative links resolve against
    the publisher's address, so the addresses recorded are the official ones. A page that cannot
    be read is a ``Discovery`` with ``error`` set, never an exception.
    """
    out = []
    for folder in dict.fromkeys(s.folder for s in sources):
        official = DISCOVERY_PAGES.get(folder)
        if official is None:
            continue
        here = [s for s in sources if s.folder == folder]
        page = f"{base_url.rstrip('/')}/{quote(folder)}/{MIRROR_PAGE}" if base_url else official
        discovery = Discovery(folder, page)
        try:
            discovery.files = discover(read_page(page), official, here)
        except FetchError as exc:
            discovery.error = (
                f"{exc} Only the files already known by name were fetched; files published "
                f"since are not. Look on {official}, or try again later."
            )
            discovery.reason = message("page_unread", page=page, official=official)
        else:
            if not discovery.newest:
                names = ", ".join(s.name for s in here)
                discovery.error = (
                    f"{page} links no file of {names}: the page may "
                    "have changed layout. Only the files already known by name were fetched."
                )
                discovery.reason = message("page_lists_nothing", page=page, sources=names)
        out.append(discovery)
    return out


def with_discovered(sources: list[Source], discoveries: list[Discovery]) -> list[Source]:
    """The sources with what the pages list: the newest file of each series added to its known
    files, and the page's address filled in for a known file that has none. For ``fetch`` only:
    ingest reads the sources as declared."""
    found = [f for d in discoveries for f in d.files]
    out = []
    for source in sources:
        series = []
        for s in source.series:
            mine = [f for f in found if f.source == source.name and f.series == s.key]
            urls = {f.name: f.url for f in mine}
            known = tuple(
                replace(k, url=urls[k.name]) if k.url is None and k.name in urls else k
                for k in s.known
            )
            extra = tuple(
                KnownFile(f.name, f.url, vintage=f.data_through or f.posted or date.today())
                for f in mine
                if f.newest and not f.known
            )
            series.append(replace(s, known=known + extra))
        out.append(replace(source, series=tuple(series)))
    return out


# -- what changed, as message keys and values ---------------------------------------------------
#
# A change is told as a message of ``report/i18n/<lang>.cli.toml`` (``cli.update.*``) and its
# values, as ``claims/explain.py`` tells a verdict's rationale: numbers stay numbers, months
# stay ISO dates, units stay unit keys, until a catalog renders them. ``SeriesChange.sentence``
# is the message rendered in the library's English (``english()``); the command line renders
# the same message in the reader's language (``render(catalog, message)``).

#: The English messages (the command line's catalog merges the same file).
ENGLISH = Path(__file__).resolve().parent / "report" / "i18n" / "en.cli.toml"

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


class CatalogLike(Protocol):
    """What rendering needs of a catalog (``borderflow.report.i18n.Catalog`` has it)."""

    @property
    def lang(self) -> str: ...

    @property
    def messages(self) -> dict[str, str]: ...

    def t(self, key: str, **values: Any) -> str: ...

    def number(self, value: float | None, decimals: int = 0) -> str: ...

    def month(self, day: date) -> str: ...

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


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = str(value)
    return out


@functools.cache
def english() -> PlainCatalog:
    """The library's English catalog (``report/i18n/en.cli.toml``)."""
    return PlainCatalog(_flatten(tomllib.loads(ENGLISH.read_text("utf-8"))))


def render(c: CatalogLike, said: Message) -> str:
    """A message in ``c``'s language."""
    values = {name: _value_text(c, v) for name, v in said.get("values", {}).items()}
    return c.t(said["key"], **values)


def _value_text(c: CatalogLike, value: Any) -> str:
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
    return str(value["sep"]).join(_value_text(c, v) for v in value["items"])


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


# -- headline series and what changed ---------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """The figure analysts quote from a source, re-asked after each new release.

    Attributes:
        measure: the measure (``borderflow measures``).
        subject: what it counts, in words ("fentanyl").
        period: how its latest period is asked: a key of ``PERIOD_KINDS``.
        where: filters, as for a query.
        status: the status to read (None: the measure's default).
    """

    measure: str
    subject: str
    period: str
    where: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    status: str | None = None


#: One headline per source: the number a new release of it is judged by.
HEADLINES: dict[str, Headline] = {
    "cbp_nationwide": Headline("seized_lb", "fentanyl", "fiscal_ytd", {"drug": ("Fentanyl",)}),
    "cbp_amo": Headline(
        "amo_seized_lb", "fentanyl (Air and Marine Operations)", "fiscal_ytd",
        {"drug": ("Fentanyl",)},
    ),
    "cdc_vsrr": Headline(
        "overdose_deaths_12m", "synthetic-opioid overdose deaths (US)", "12_month_ending"
    ),
    "cdc_wonder": Headline(
        "deaths_t40_4_monthly", "deaths with synthetic opioids mentioned in California "
        "(WONDER, provisional)", "month", {"us_state": ("CA",)}, status="provisional",
    ),
    "nchs_final": Headline(
        "overdose_deaths_annual", "drug overdose deaths (NCHS)", "calendar_year",
        {"cause": ("all_drug_overdose",)},
    ),
    "bts_crossings": Headline(
        "crossings", "inbound truck crossings from Mexico", "month", {"conveyance": ("Trucks",)}
    ),
    "un_comtrade": Headline(
        "trade_value", "Mexico's imports of HS 29 chemicals", "calendar_year",
        {"reporter": ("Mexico",), "flow": ("Import",)},
    ),
    "census_pep": Headline("population_us", "U.S. resident population", "calendar_year"),
    "conapo": Headline("population_mx", "Mexico's population (CONAPO)", "month"),
    "sesnsp_incidence": Headline(
        "crime_incidents", "investigation files opened in Mexico", "month"
    ),
    "sesnsp_victims": Headline("homicide_victims", "homicide victims in Mexico", "month"),
}  # fmt: skip


@dataclass(frozen=True)
class PeriodKind:
    """How a headline's latest period is asked for and put in words.

    Attributes:
        ask: the period text for the last month of data (an end month for rolling measures).
        grain: the grain revisions are compared at.
        units: the message key naming the grain's buckets (``months``: "months").
        lead: the headline as a message, given its subject and the answer's last month.
        earlier: the previous answer's period as a message value, given the new and the
            previous last month (leaving out what the two share).
    """

    ask: Callable[[date], str]
    grain: str
    units: str
    lead: Callable[[Any, date], Message]
    earlier: Callable[[date, date], Any]


def _fy_lead(subject: Any, last: date) -> Message:
    return message("lead_fiscal_ytd", year=fiscal_year_of(last), subject=subject,
                   month=month_name(last))  # fmt: skip


def _fy_earlier(now: date, before: date) -> Message:
    if fiscal_year_of(now) == fiscal_year_of(before):
        return message("through", month=month_name(before))
    return message("fy_through", year=fiscal_year_of(before), month=month_name(before))


PERIOD_KINDS: dict[str, PeriodKind] = {
    "fiscal_ytd": PeriodKind(
        lambda last: f"FY{fiscal_year_of(last)} YTD", "month", "months", _fy_lead, _fy_earlier
    ),
    "12_month_ending": PeriodKind(
        lambda last: f"12ME {last:%Y-%m}", "month", "months",
        lambda subject, last: message("lead_12_month_ending", subject=subject,
                                      month=month_year(last)),
        lambda now, before: message("twelve_months_ending", month=month_year(before)),
    ),
    "month": PeriodKind(
        lambda last: f"{last:%Y-%m}", "month", "months",
        lambda subject, last: message("lead_month", subject=subject, month=month_year(last)),
        lambda now, before: month_year(before),
    ),
    "calendar_year": PeriodKind(
        lambda last: str(last.year), "calendar_year", "years",
        lambda subject, last: message("lead_year", subject=subject, year=last.year),
        lambda now, before: before.year,
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Revision:
    """One month (or year) both releases cover whose value differs."""

    period: date
    label: str
    before: float
    now: float | None


@dataclass
class SeriesChange:
    """What one source's headline series did between its previous and its new release.

    Attributes:
        source: the source.
        sentence: the change in the library's English (``message`` rendered by ``english()``).
        release / previous: the new release and the one current before it (id, file, vintage).
        as_of: the day before the new release's vintage (what "previous" was asked as of).
        now / before: the headline answers (``Result.to_dict()``); ``before`` None for a first
            release.
        revised: the months (years) both releases cover whose values differ.
        error: why the headline could not be computed, if it could not.
        message: the change as a message key and values, for any reader's catalog
            (``render(catalog, change.message)``).
    """

    source: str
    sentence: str
    release: dict[str, Any]
    previous: dict[str, Any] | None = None
    as_of: date | None = None
    now: dict[str, Any] | None = None
    before: dict[str, Any] | None = None
    revised: list[Revision] = field(default_factory=list)
    error: str = ""
    message: Message = field(default_factory=dict)

    def tell(self, said: Message) -> SeriesChange:
        """Set the change's message, and its sentence in the library's English."""
        self.message, self.sentence = said, render(english(), said)
        return self

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "sentence": self.sentence,
            "message": self.message,
            "release": self.release,
            "previous_release": self.previous,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "now": self.now,
            "before": self.before,
            "revised": [{**asdict(r), "period": r.period.isoformat()} for r in self.revised],
            "error": self.error,
        }


def series_changes(engine: Engine, loaded: list[FileOutcome]) -> list[SeriesChange]:
    """The headline change of every source with a release in ``loaded``."""
    releases = [r for r in engine.store.releases() if r["state"] == "loaded"]
    new_ids = {o.release_id for o in loaded}
    out = []
    for source in dict.fromkeys(o.source for o in loaded):
        headline = HEADLINES.get(source)
        new = [r for r in releases if r["release_id"] in new_ids and r["source"] == source]
        if headline is None or not new:
            continue
        out.append(series_change(engine, source, headline, new, releases))
    return out


def series_change(
    engine: Engine,
    source: str,
    headline: Headline,
    new: list[dict[str, Any]],
    releases: list[dict[str, Any]],
) -> SeriesChange:
    """Compare ``headline`` now with its value as of the day before the newest new release."""
    m = get_measure(headline.measure)
    mine = [r for r in new if m.series is None or r["series"] in m.series] or new
    release = max(mine, key=_release_order)
    as_of = _day(release["vintage"]) - timedelta(days=1)
    previous = _previous(release, releases, as_of)
    earlier = _release_info(previous) if previous is not None else None
    change = SeriesChange(source, "", _release_info(release), earlier, as_of)
    kind, subject = PERIOD_KINDS[headline.period], subject_value(source, headline.subject)
    try:
        now = _headline(engine, headline, None)
    except QueryError as exc:
        change.error = str(exc)
        return change.tell(message("not_computed", subject=subject, error=str(exc)))
    change.now = now.to_dict()
    now_last = _last_month(now)
    stated = message("stated", lead=kind.lead(subject, now_last),
                     amount=amount(now.value, now.unit))  # fmt: skip
    if previous is None:
        return change.tell(message("first_release", stated=stated))
    try:
        before = _headline(engine, headline, as_of)
    except QueryError:
        return change.tell(message("no_earlier_value", stated=stated, day=day_value(as_of)))
    change.before = before.to_dict()
    change.revised = _revisions(engine, headline, kind, as_of, release, previous)
    return change.tell(
        message(
            "compared",
            stated=stated,
            earlier=kind.earlier(now_last, _last_month(before)),
            before=amount(before.value, before.unit),
            units=message(kind.units),
            revised=_revised(kind, change.revised, now.unit),
        )
    )


def _headline(engine: Engine, headline: Headline, as_of: date | None) -> Result:
    """The headline's latest period, as the record stood as of ``as_of`` (None: now)."""
    m = get_measure(headline.measure)
    last = engine.last_month(m, as_of)
    if m.period_type == "12_month_ending":  # last_month is a period start; ask for its end
        last = add_months(last, 11)
    query = Query(
        headline.measure,
        PERIOD_KINDS[headline.period].ask(last),
        where=dict(headline.where),
        status=headline.status,
        as_of=as_of,
    )
    return engine.run(query)


def _revisions(
    engine: Engine,
    headline: Headline,
    kind: PeriodKind,
    as_of: date,
    release: dict[str, Any],
    previous: dict[str, Any],
) -> list[Revision]:
    """The months (years) covered by both releases whose values differ now from as of before.

    Values of a month the new release no longer has count as revised (to no value).
    """
    first = max(_day(release["coverage_start"]), _day(previous["coverage_start"]))
    last = min(_day(release["coverage_end"]), _day(previous["coverage_end"]))
    if last < first:
        return []
    span = (
        f"{first.year}..{last.year}"
        if kind.grain == "calendar_year"
        else (f"{first:%Y-%m}..{last:%Y-%m}")
    )
    query = Query(headline.measure, span, where=dict(headline.where), grain=kind.grain,
                  status=headline.status)  # fmt: skip
    now = _by_bucket(engine, query)
    then = _by_bucket(engine, query.with_(as_of=as_of))
    return [
        Revision(bucket, _bucket_words(kind, bucket), value, now.get(bucket))
        for bucket, value in sorted(then.items())
        if bucket not in now or not math.isclose(now[bucket], value, rel_tol=1e-9, abs_tol=1e-6)
    ]


def _by_bucket(engine: Engine, query: Query) -> dict[date, float]:
    try:
        rows = engine.run(query).rows
    except QueryError:  # no values in the span as of then
        return {}
    return {b: float(v) for b, v in zip(rows["bucket"], rows["value"], strict=True)}


def _previous(
    release: dict[str, Any], releases: list[dict[str, Any]], as_of: date
) -> dict[str, Any] | None:
    """The release of the same series that was current the day before ``release``'s vintage."""
    earlier = [
        r for r in releases
        if r["source"] == release["source"] and r["series"] == release["series"]
        and r["release_id"] != release["release_id"] and _day(r["vintage"]) <= as_of
    ]  # fmt: skip
    return max(earlier, key=_release_order) if earlier else None


def _revised(kind: PeriodKind, revised: list[Revision], unit: str, shown: int = 6) -> Message:
    """The revised months (years) as a message: the first ``shown``, then how many more."""
    if not revised:
        return message("none")
    listed = joined([
        message(
            "revision",
            period=_bucket_value(kind, r.period),
            before=amount(r.before, unit),
            now=amount(r.now, unit) if r.now is not None else message("no_value"),
        )
        for r in revised[:shown]
    ])  # fmt: skip
    more = len(revised) - shown
    return message("and_more", revisions=listed, n=more) if more > 0 else listed


def _bucket_value(kind: PeriodKind, bucket: date) -> Any:
    return bucket.year if kind.grain == "calendar_year" else short_month(bucket)


def _bucket_words(kind: PeriodKind, bucket: date) -> str:
    """A revised bucket's label in the library's English (``Apr 2026``, ``2024``)."""
    return _value_text(english(), _bucket_value(kind, bucket))


def _last_month(result: Result) -> date:
    """The last month an answer covers (its end month, for a 12-month-ending answer)."""
    period = result.query.parsed_period()
    if period.kind == "12_month_ending":
        return period.last
    return _day(result.rows["last_month"].max())


def _release_order(r: dict[str, Any]) -> tuple[date, int]:
    return _day(r["vintage"]), int(r["release_id"])


def _release_info(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "release_id": int(r["release_id"]),
        "file_name": r["file_name"],
        "vintage": _day(r["vintage"]).isoformat(),
    }


def _day(value: Any) -> date:
    """A date from what DuckDB or pandas hand back (date, datetime, Timestamp or ISO text)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if hasattr(value, "date"):
        day: date = value.date()
        return day
    return date.fromisoformat(str(value)[:10])


# -- forecasts ----------------------------------------------------------------------------------


@dataclass
class Rerun:
    """A stored outlook run re-run because a source it read got a new release.

    Attributes:
        previous_run_id: the stored run it repeats.
        run_id: the new run's id (None if it could not be run).
        params: the parameters both were run with.
        sources: the sources with a new release that the stored run had read.
        error: why it could not be run again.
    """

    previous_run_id: int
    run_id: int | None
    params: dict[str, Any]
    sources: list[str]
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def stale_runs(engine: Engine, changed: set[str]) -> list[tuple[dict[str, Any], list[str]]]:
    """The newest stored run of each set of parameters that read a source in ``changed``, with
    the changed sources it read (older runs with the same parameters were superseded already)."""
    out, seen = [], set()
    for row in engine.store.forecast_runs():  # newest first
        record = engine.store.forecast_run(int(row["run_id"]))
        if record is None:
            continue
        key = json.dumps(_run_params(record["params"]), sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        used = sorted({str(r.get("source")) for r in record["releases"]} & changed)
        if used:
            out.append((record, used))
    return out


def _run_params(params: dict[str, Any]) -> dict[str, Any]:
    """What ``run_outlook`` is called with, from a stored run's parameters."""
    return {
        "measures": list(params.get("measures") or []),
        "where": {k: list(v) for k, v in (params.get("where") or {}).items()},
        "horizon": int(params.get("horizon", 6)),
        "backtest": bool(params.get("backtest", True)),
    }


# -- the update ---------------------------------------------------------------------------------


def fetch_outcome_message(outcome: FetchOutcome, mirror: Path) -> Message:
    """What ``outcome.message`` says (in English), as a message for any reader's catalog:
    what happened to the file and what to do. ``{}`` for a file that needs nothing done."""
    source = all_sources().get(outcome.source)
    homepage = source.homepage if source else ""
    folder = str(mirror / source.folder) if source else str(mirror)
    said = _FETCH_MESSAGES.get(outcome.status)
    return said(outcome, homepage, folder) if said else {}


_FETCH_MESSAGES: dict[str, Callable[[FetchOutcome, str, str], Message]] = {
    "failed": lambda o, homepage, folder: message(
        "fetch_failed", file=o.file, url=o.url, attempts=o.attempts
    ),
    "missing": lambda o, homepage, folder: message(
        "fetch_missing", url=o.url, homepage=homepage, folder=folder
    ),
    "changed": lambda o, homepage, folder: message(
        "fetch_changed", file=o.file, sha=(o.sha256 or "")[:12]
    ),
    "no_url": lambda o, homepage, folder: message(
        "fetch_no_url", file=o.file, homepage=homepage, folder=folder
    ),
}


@dataclass
class UpdateReport:
    """Everything one update did, in order."""

    mirror: Path
    base_url: str | None
    discoveries: list[Discovery] = field(default_factory=list)
    fetched: FetchReport = field(default_factory=FetchReport)
    ingested: IngestReport = field(default_factory=IngestReport)
    changes: list[SeriesChange] = field(default_factory=list)
    reruns: list[Rerun] = field(default_factory=list)
    ledger_scored: int = 0

    @property
    def loaded(self) -> list[FileOutcome]:
        return [o for o in self.ingested.outcomes if o.status == "loaded"]

    @property
    def problems(self) -> list[str]:
        """What failed or was refused: any of it makes the command exit 1."""
        return (
            [f"discovery: {d.error}" for d in self.discoveries if d.error]
            + [f"fetch: {o.message}" for o in self.fetched.failed]
            + [f"ingest: {o.message}" for o in self.ingested.refused]
            + [f"ingest: {o.file}: {o.message}" for o in self.ingested.unknown]
            + [f"forecast run {r.previous_run_id}: {r.error}" for r in self.reruns if r.error]
        )

    @property
    def problem_messages(self) -> list[Message]:
        """``problems`` as messages, one for one, for a reader's catalog. Where the library
        has only English detail (ingest, outlook), the message points to ``--json``."""
        return (
            [message("problem_discovery", detail=d.reason or d.error)
             for d in self.discoveries if d.error]
            + [message("problem_fetch", detail=fetch_outcome_message(o, self.mirror))
               for o in self.fetched.failed]
            + [message("problem_refused", file=o.file, source=o.source)
               for o in self.ingested.refused]
            + [message("problem_unknown", file=o.file) for o in self.ingested.unknown]
            + [message("problem_rerun", id=r.previous_run_id) for r in self.reruns if r.error]
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "mirror": str(self.mirror),
            "from": self.base_url,
            "discovered": [d.to_dict() for d in self.discoveries],
            "fetch": self.fetched.to_dict(),
            "ingest": self.ingested.to_dict(),
            "loaded": [
                {"source": o.source, "file": o.file, "release_id": o.release_id}
                for o in self.loaded
            ],
            "nothing_new": not self.loaded,
            "changes": [c.to_dict() for c in self.changes],
            "forecasts": [r.to_dict() for r in self.reruns],
            "ledger_scored": self.ledger_scored,
            "problems": self.problems,
        }


def update(
    db: Path,
    sources: list[Source],
    mirror: Path,
    *,
    base_url: str | None = None,
    attempts: int = 4,
    backoff: float = 0.5,
    timeout: float = 60.0,
    client: httpx.Client | None = None,
    progress: Progress | None = None,
) -> UpdateReport:
    """Discover, fetch, ingest, re-run the forecasts the new releases touch, report the change.

    Args:
        db: the warehouse file (created if absent).
        sources: the sources to update.
        mirror: the local mirror to fetch into and ingest from.
        base_url: an HTTP mirror laid out like the local one (discovery pages at
            ``{base_url}/{folder}/index.html``); None: the official addresses and pages.
        attempts, backoff, timeout: as for ``borderflow.fetch.fetch``.
        client: an httpx client to use (not closed).
        progress: called with a short description of each step.

    Returns:
        The report; ``report.problems`` lists what failed or was refused.
    """
    say = progress or (lambda text: None)
    report = UpdateReport(mirror, base_url)
    http = client or httpx.Client(timeout=timeout, follow_redirects=True)
    try:
        say("reading the publishers' pages")
        report.discoveries = discover_all(
            sources,
            base_url,
            lambda url: fetch_page(url, attempts=attempts, backoff=backoff, client=http),
        )
        report.fetched = fetch(
            with_discovered(sources, report.discoveries),
            mirror,
            base_url=base_url,
            attempts=attempts,
            backoff=backoff,
            client=http,
            on_file=lambda name: say(f"fetched {name}"),
        )
    finally:
        if client is None:
            http.close()
    with Warehouse(db) as warehouse:
        report.ingested = ingest(
            warehouse, sources, mirror, on_file=lambda name: say(f"ingested {name}")
        )
    if not report.loaded:
        return report
    runs = []
    with Engine.open(db) as engine:  # read-only while computing: readers are not blocked
        report.changes = series_changes(engine, report.loaded)
        for record, used in stale_runs(engine, {o.source for o in report.loaded}):
            say(f"re-running forecast run {record['run_id']}")
            runs.append(_rerun(engine, record, used))
    with Warehouse(db) as warehouse:
        for rerun, run in runs:
            if run is not None:
                rerun.run_id = store_outlook_run(warehouse, run)
            report.reruns.append(rerun)
        # Forecasts stored earlier whose months the new releases publish are scored and kept.
        report.ledger_scored = score_ledger(warehouse)
    return report


def _rerun(engine: Engine, record: dict[str, Any], used: list[str]) -> tuple[Rerun, Any]:
    params = _run_params(record["params"])
    rerun = Rerun(int(record["run_id"]), None, params, used)
    try:
        run = run_outlook(
            engine,
            measures=params["measures"] or None,
            where={k: tuple(v) for k, v in params["where"].items()},
            horizon=params["horizon"],
            backtest=params["backtest"],
        )
    except (OutlookError, QueryError) as exc:
        rerun.error = str(exc)
        return rerun, None
    return rerun, run
