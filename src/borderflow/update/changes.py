"""Each source's headline series, asked now and as of the day before its new release."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from borderflow.metrics import Engine, Query, QueryError, Result, get_measure
from borderflow.metrics.periods import add_months, fiscal_year_of
from borderflow.update.words import (
    Message,
    amount,
    day_value,
    english,
    joined,
    message,
    month_name,
    month_year,
    render,
    short_month,
    subject_value,
    value_text,
)
from borderflow.warehouse.ingest import FileOutcome

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
    return value_text(english(), _bucket_value(kind, bucket))


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
