"""Non-numeric facts: dates of U.S.–Mexico security agreements and what chemicals are precursors
of. Both are checked against cited reference tables in ``borderflow/reference/data``
(``agreements.csv``, ``precursors.csv``; sources in ``SOURCES.md`` there), never against code.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from importlib import resources

from borderflow.claims.lexicon import Lexicon, fold, phrase_pattern

#: Events that start an agreement; a year written beside its name is read as one of these.
ORIGIN_EVENTS = (
    "announc",
    "sign",
    "launch",
    "establish",
    "creat",
    "adopt",
    "first",
    "found",
    "inaugurat",
    "enter",
    "agree",
    "start",
    "begin",
    "began",
    "initiat",
    "conceiv",
)
END_WORDS = re.compile(
    r"\b(?:ended|expired|replaced|superseded|terminated|concluyo|termino|"
    r"sustituyo|reemplazo|expiro)\b"
)
PRECURSOR_ROLES = ("precursor", "pre-precursor", "immediate precursor", "immediate_precursor")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


@dataclass(frozen=True)
class FactFinding:
    """The verdict on one non-numeric fact."""

    text: str
    start: int
    verdict: str
    claimed: str
    official: str
    reason: str
    sources: tuple[dict[str, str], ...]


@functools.cache
def reference_rows(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a reference table shipped with borderflow (``agreements``, ``precursors``)."""
    data = resources.files("borderflow.reference").joinpath(f"data/{name}.csv")
    if not data.is_file():
        return ()
    return tuple(csv.DictReader(io.StringIO(data.read_text("utf-8"))))


def _names(row: dict[str, str], *columns: str) -> list[str]:
    names = [row.get(c, "") for c in columns]
    names += (row.get("aliases") or "").split(";")
    return [n.strip() for n in names if n and len(n.strip()) > 2]


def check_agreements(sentence: str) -> list[FactFinding]:
    """Years written beside an agreement's name, against the agreements timeline."""
    folded = fold(sentence)
    out = []
    for agreement, events in _agreements().items():
        names = {n for row in events for n in _names(row, "name_en", "name_es")}
        match = re.search(phrase_pattern(sorted(names)), folded)
        if not match:
            continue
        year = _year_near(folded, match.start(), match.end())
        if year is None:
            continue
        ending = bool(END_WORDS.search(folded))
        relevant = [e for e in events if _is_origin(e["event"]) != ending] or list(events)
        years = {e["date"][:4] for e in relevant}
        timeline = "; ".join(f"{e['event'].replace('_', ' ')} {e['date']}" for e in relevant)
        verdict = "supported" if year in years else "contradicted"
        name = events[0].get("name_en") or agreement
        out.append(
            FactFinding(
                sentence[match.start() : match.end()],
                match.start(),
                verdict,
                f"{name}: {year}",
                timeline,
                f"{name} — {timeline} (reference table of agreements).",
                tuple(
                    {"title": e.get("source_title", ""), "url": e.get("source_url", "")}
                    for e in relevant
                ),
            )
        )
    return out


@functools.cache
def _agreements() -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for row in reference_rows("agreements"):
        out.setdefault(row["id"], []).append(row)
    return out


def _is_origin(event: str) -> bool:
    return event.lower().startswith(ORIGIN_EVENTS)


def _year_near(folded: str, start: int, end: int) -> str | None:
    years = [
        (min(abs(m.start() - end), abs(m.end() - start)), m.group(1))
        for m in _YEAR.finditer(folded)
    ]
    near = [y for distance, y in years if distance <= 60]
    return min(years)[1] if near else None


def check_precursors(sentence: str, lexicon: Lexicon, drugs: list[str]) -> list[FactFinding]:
    """Chemicals called precursors of a drug, against the table of controlled precursors."""
    folded = fold(sentence)
    if not lexicon.find("precursor_words", folded) or not drugs:
        return []
    named = []
    for row in reference_rows("precursors"):
        match = re.search(phrase_pattern(_names(row, "name")), folded)
        if match:
            named.append((match, row))
    if not named:
        return []
    drug = fold(drugs[0])
    wrong = [row for _, row in named if not _is_precursor_of(row, drug)]
    facts = "; ".join(_describe(row) for _, row in named)
    first = min(m.start() for m, _ in named)
    last = max(m.end() for m, _ in named)
    return [
        FactFinding(
            sentence[first:last],
            first,
            "contradicted" if wrong else "supported",
            f"precursors of {drugs[0].lower()}: "
            + ", ".join(sentence[m.start() : m.end()] for m, _ in named),
            facts,
            (
                f"not precursors of {drugs[0].lower()}: "
                + ", ".join(r["name"] for r in wrong)
                + ". "
                if wrong
                else ""
            )
            + facts
            + " (reference table of precursors).",
            tuple(
                {"title": r.get("source_title", ""), "url": r.get("source_url", "")}
                for _, r in named
            ),
        )
    ]


def _is_precursor_of(row: dict[str, str], drug: str) -> bool:
    targets = {fold(t.strip()) for t in re.split(r"[;,]", row.get("precursor_of", ""))}
    role = fold(row.get("role", ""))
    return drug in targets and any(role.startswith(r) for r in PRECURSOR_ROLES)


def _describe(row: dict[str, str]) -> str:
    role = row.get("role", "").replace("_", " ")
    controls = f", {row['controls']}" if row.get("controls") else ""
    return f"{row['name']}: {role} of {row.get('precursor_of', '?')}{controls}"
