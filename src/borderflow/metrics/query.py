"""The query object: a small, serialisable description of one number (or table of numbers).

A ``Query`` holds a measure, filters, the dimensions to break down by, a period and the grain to
bucket it into, an optional comparison, share, rank or rate, the status to read and the vintage
("as of release date X"). It round-trips through JSON and reads back as a sentence, so the claim
checker, the brief and the API can show exactly what was asked.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from borderflow.errors import BorderflowError
from borderflow.metrics.measures import get_measure
from borderflow.metrics.periods import GRAINS, Period, parse_period

COMPARISONS = ("previous", "year_ago")
RATES = ("per_100k", "per_1000_crossings")


class QueryError(BorderflowError):
    """A query that cannot be answered as asked; the message says why and what to ask instead."""


@dataclass(frozen=True)
class Query:
    """One question to the metrics layer.

    Attributes:
        measure: a registered measure name (``borderflow measures``).
        period: a period as text (``FY2024``, ``2023-10..2023-12``, ``12ME 2022-12``).
        where: dimension → accepted members (stored codes or names the gazetteer knows).
        by: dimensions to break the answer down by.
        grain: bucket the period into months, quarters, calendar or fiscal years.
        compare: ``previous`` period of the same length, or ``year_ago`` (same months last year).
        share_of: a dimension; each value is shown as a share of the total over its members.
        rank: rank members of the ``by`` dimensions within each period bucket.
        rate: ``per_100k`` population, or ``per_1000_crossings`` (with ``rate_conveyance``).
        rate_conveyance: the crossings measure for ``per_1000_crossings`` (e.g. ``Trucks``).
        status: ``reported``, ``predicted``, ``provisional``, ``final``…; None: the default.
        as_of: answer as the record stood once every release up to this date was known.
        include_amo: add Air and Marine Operations to CBP seizures (explicit, never implied).
        unit: convert the answer to this unit (``kg`` for a ``lb`` measure).
    """

    measure: str
    period: str
    where: dict[str, tuple[str, ...]] = field(default_factory=dict)
    by: tuple[str, ...] = ()
    grain: str | None = None
    compare: str | None = None
    share_of: str | None = None
    rank: bool = False
    rate: str | None = None
    rate_conveyance: str = "Trucks"
    status: str | None = None
    as_of: date | None = None
    include_amo: bool = False
    unit: str | None = None

    def __post_init__(self) -> None:
        get_measure(self.measure)
        if self.grain is not None and self.grain not in GRAINS:
            raise QueryError(f"unknown grain {self.grain!r}; use one of {', '.join(GRAINS)}.")
        if self.compare is not None and self.compare not in COMPARISONS:
            raise QueryError(
                f"unknown comparison {self.compare!r}; use one of {', '.join(COMPARISONS)}."
            )
        if self.rate is not None and self.rate not in RATES:
            raise QueryError(f"unknown rate {self.rate!r}; use one of {', '.join(RATES)}.")
        repeated = sorted({d for d in self.by if self.by.count(d) > 1})
        if repeated:
            raise QueryError(f"by names {', '.join(repeated)} more than once; name each once.")
        self.parsed_period()

    def __hash__(self) -> int:
        return hash(self.to_json())

    def parsed_period(self) -> Period:
        return parse_period(self.period)

    def with_(self, **changes: Any) -> Query:
        """A copy with some fields changed."""
        return replace(self, **changes)

    # -- serialisation -------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["where"] = {k: list(v) for k, v in self.where.items()}
        data["by"] = list(self.by)
        data["as_of"] = self.as_of.isoformat() if self.as_of else None
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Query:
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise QueryError(f"unknown query field(s) {sorted(unknown)}; known: {sorted(known)}.")
        values = dict(data)
        values["where"] = {k: _as_tuple(v) for k, v in (data.get("where") or {}).items()}
        values["by"] = _as_tuple(data.get("by") or ())
        if values.get("as_of"):
            values["as_of"] = date.fromisoformat(str(values["as_of"]))
        return cls(**values)

    @classmethod
    def from_json(cls, text: str) -> Query:
        return cls.from_dict(json.loads(text))

    # -- reading -------------------------------------------------------------------------------

    def sentence(self) -> str:
        """The query in words: "drugs seized by CBP (pounds), where drug is Fentanyl, in FY2024"."""
        measure = get_measure(self.measure)
        parts = [measure.description]
        if self.include_amo:
            parts.append("including Air and Marine Operations")
        filters = [f"{dim} is {' or '.join(members)}" for dim, members in self.where.items()]
        if filters:
            parts.append("where " + " and ".join(filters))
        parts.append(f"in {self.parsed_period().label}")
        if self.grain:
            parts.append(f"by {self.grain.replace('_', ' ')}")
        if self.by:
            parts.append(f"broken down by {', '.join(self.by)}")
        if self.status:
            parts[-1] += f" ({self.status} values)"
        parts.extend(_extras(self))
        if self.as_of:
            parts.append(f"as of releases up to {self.as_of.isoformat()}")
        return ", ".join(parts)


def _extras(query: Query) -> list[str]:
    extras = []
    if query.compare == "year_ago":
        extras.append("compared with the same period a year earlier")
    elif query.compare == "previous":
        extras.append("compared with the previous period")
    if query.share_of:
        extras.append(f"as a share of all {query.share_of} members")
    if query.rank:
        extras.append("ranked by rate" if query.rate else "ranked")
    if query.rate == "per_100k":
        extras.append("per 100,000 population")
    elif query.rate == "per_1000_crossings":
        extras.append(f"per 1,000 {query.rate_conveyance.lower()} crossings")
    if query.unit:
        extras.append(f"in {query.unit}")
    return extras


def _as_tuple(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)
