"""Read and validate the registry's five files, all or nothing.

Every problem is collected with its file, row (the line number, the header being line 1) and
field; if there is any, ``RegistryError`` is raised listing them and nothing is returned: a
registry is never half loaded. Checks: the header, required fields, ids (snake_case, unique
across all five files), kinds and roles, dates (real days, start not after end), sources (an
http(s) URL, a publisher, a title, a source date and a checked day), an event's figures
(``kind=number``, kinds from ``figure_kinds.csv``), and every id a row points at (actors,
parents, instruments, chemicals, contested events).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from borderflow.errors import BorderflowError
from borderflow.registry.figures import figure_kinds, parse_figures
from borderflow.registry.model import (
    Actor,
    Chemical,
    Citation,
    Event,
    Figure,
    Instrument,
    Names,
    Role,
    When,
)
from borderflow.registry.records import Provenance, Registry
from borderflow.registry.schema import CHOICES, COLUMNS, FILES, REQUIRED, SOURCE_COLUMNS

_ID = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")
_WIKIDATA = re.compile(r"Q\d+")
_COUNTRY = re.compile(r"[A-Z]{2}")
_CAS = re.compile(r"\d{2,7}-\d{2}-\d")
#: What a reference names → the file that declares it.
_FILE_OF: dict[str, tuple[str, ...]] = {
    "actor": ("actors.csv",),
    "instrument": ("instruments.csv",),
    "chemical": ("chemicals.csv",),
    "event": ("events.csv",),
    "event or instrument": ("events.csv", "instruments.csv"),
}
#: Problems listed in an error message before "and N more".
SHOWN = 8


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one cell (or row, or header) of one file."""

    file: str
    row: int
    field: str
    message: str
    kind: str = "malformed_row"  # the ingest issue kind it becomes (sources.issues.ISSUE_KINDS)

    def __str__(self) -> str:
        return f"{self.file} row {self.row}, field {self.field}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "field": self.field,
            "message": self.message,
            "kind": self.kind,
        }


class RegistryError(BorderflowError):
    """The registry's files are not valid; ``problems`` names each file, row and field."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        shown = "; ".join(str(p) for p in problems[:SHOWN])
        more = f"; and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
        super().__init__(
            f"the registry was not loaded ({len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''}): {shown}{more}. Fix the rows named; "
            "docs/registry.md gives the schema."
        )

    @property
    def first(self) -> Problem:
        return self.problems[0]


def package_folder() -> Path:
    """The registry shipped with borderflow (``borderflow/reference/registry``)."""
    return Path(str(resources.files("borderflow").joinpath("reference/registry")))


def load_registry(folder: Path | None = None) -> Registry:
    """The validated registry in ``folder`` (default: the one shipped with borderflow).

    Cached by the files' size and modification time, then by their contents: an edited file
    is read again, and asking again (once per sentence, in the claim checker) costs five stats.

    Raises:
        RegistryError: a file is missing or a row breaks the schema (all problems listed).
    """
    where = folder or package_folder()
    return _load_stamped(str(where), _stamps(where))


def _stamps(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Each present file's name, size and modification time (ns)."""
    found = ((name, folder / name) for name in FILES)
    return tuple(
        (name, stat.st_size, stat.st_mtime_ns)
        for name, path in found
        if path.is_file() and (stat := path.stat())
    )


@functools.lru_cache(maxsize=8)
def _load_stamped(where: str, stamps: tuple[tuple[str, int, int], ...]) -> Registry:
    folder = Path(where)
    texts = read_texts(folder)
    return _load_cached(tuple(sorted(texts.items())), where, file_digests(folder))


def file_digests(folder: Path) -> tuple[tuple[str, str], ...]:
    """Each file's sha256 over its bytes, as ingest computes it for the file's release."""
    return tuple(
        (name, hashlib.sha256((folder / name).read_bytes()).hexdigest())
        for name in FILES
        if (folder / name).is_file()
    )


def read_texts(folder: Path) -> dict[str, str]:
    """The five files' texts (a missing or unreadable file is a problem of row 0)."""
    texts: dict[str, str] = {}
    problems = []
    for name in FILES:
        try:
            texts[name] = (folder / name).read_bytes().decode("utf-8-sig")
        except FileNotFoundError:
            problems.append(Problem(name, 0, "(file)", f"missing from {folder}"))
        except UnicodeDecodeError as exc:
            problems.append(Problem(name, 0, "(file)", f"not UTF-8 text ({exc.reason})"))
    if problems:
        raise RegistryError(problems)
    return texts


@functools.lru_cache(maxsize=8)
def _load_cached(
    items: tuple[tuple[str, str], ...], folder: str, digests: tuple[tuple[str, str], ...]
) -> Registry:
    return read_registry(dict(items), folder, dict(digests))


def read_registry(
    texts: Mapping[str, str], folder: str = "", digests: Mapping[str, str] | None = None
) -> Registry:
    """Validate the five files' texts together and build the registry.

    Raises:
        RegistryError: listing every problem found, with file, row and field.
    """
    reader = _Reader()
    rows = {name: reader.rows(name, texts.get(name)) for name in FILES}
    if reader.problems:  # a file missing or its header wrong: rows cannot be cross-checked
        raise RegistryError(reader.problems)
    actors = {a.id: a for a in reader.build(rows, "actors.csv", _actor)}
    instruments = {i.id: i for i in reader.build(rows, "instruments.csv", _instrument)}
    events = {e.id: e for e in reader.build(rows, "events.csv", _event)}
    roles = tuple(reader.build(rows, "roles.csv", _role))
    chemicals = {c.id: c for c in reader.build(rows, "chemicals.csv", _chemical)}
    provenance = _provenance(texts, rows, folder, digests or {})
    registry = Registry(actors, instruments, events, roles, chemicals, provenance)
    reader.problems.extend(references(registry, reader.ids))
    if reader.problems:
        raise RegistryError(sorted(reader.problems, key=lambda p: (FILES.index(p.file), p.row)))
    return registry


def _provenance(
    texts: Mapping[str, str], rows: dict[str, list[_Row]], folder: str, digests: Mapping[str, str]
) -> Provenance:
    checked = [r.cells.get("checked", "") for found in rows.values() for r in found]
    days = [date.fromisoformat(c) for c in checked if re.fullmatch(r"\d{4}-\d{2}-\d{2}", c)]
    return Provenance(
        files={
            n: digests.get(n) or hashlib.sha256(texts.get(n, "").encode()).hexdigest()
            for n in FILES
        },
        rows={n: len(rows[n]) for n in FILES},
        checked=max(days, default=None),
        folder=folder,
    )


@dataclass
class _Row:
    file: str
    line: int
    cells: dict[str, str]


@dataclass
class _Reader:
    """Reads rows and cells, collecting every problem instead of stopping at the first."""

    problems: list[Problem] = field(default_factory=list)
    ids: dict[str, tuple[str, int]] = field(default_factory=dict)

    def problem(self, row: _Row, column: str, message: str, kind: str = "malformed_row") -> None:
        self.problems.append(Problem(row.file, row.line, column, message, kind))

    def rows(self, name: str, text: str | None) -> list[_Row]:
        if text is None:
            self.problems.append(Problem(name, 0, "(file)", "missing"))
            return []
        reader = csv.reader(io.StringIO(text, newline=""))
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in COLUMNS[name] if c not in header]
        if missing:
            for column in missing:
                self.problems.append(
                    Problem(name, 1, column, "column missing from the header", "missing_column")
                )
            return []
        out = []
        start = reader.line_num
        for cells in reader:
            line = start + 1
            start = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                self.problems.append(
                    Problem(
                        name, line, "(row)", f"{len(cells)} fields; the header has {len(header)}"
                    )
                )
                continue
            out.append(_Row(name, line, {h: c.strip() for h, c in zip(header, cells, strict=True)}))
        return out

    def build(
        self, rows: dict[str, list[_Row]], name: str, make: Callable[[_Reader, _Row], Any]
    ) -> list[Any]:
        built = []
        for row in rows[name]:
            before = len(self.problems)
            self.check_row(row)
            record = make(self, row)
            if len(self.problems) == before and record is not None:
                built.append(record)
        return built

    def check_row(self, row: _Row) -> None:
        for column in (*REQUIRED[row.file], *SOURCE_COLUMNS):
            if not row.cells.get(column):
                self.problem(row, column, "empty; it is required")
        for (file, column), allowed in CHOICES.items():
            value = row.cells.get(column, "")
            if file == row.file and value and value not in allowed:
                self.problem(
                    row, column, f"{value!r} is not one of {', '.join(allowed)}", "unknown_category"
                )
        if "id" in row.cells:
            self.check_id(row, row.cells["id"])

    def check_id(self, row: _Row, key: str) -> None:
        if key and not _ID.fullmatch(key):
            self.problem(row, "id", f"{key!r} is not a lowercase snake_case id")
        elif key in self.ids:
            file, line = self.ids[key]
            self.problem(
                row,
                "id",
                f"duplicate id {key!r} (already used in {file} row {line})",
                "duplicate_key",
            )
        elif key:
            self.ids[key] = (row.file, row.line)

    def when(self, row: _Row, column: str) -> When | None:
        text = row.cells.get(column, "")
        if not text:
            return None
        try:
            return When.parse(text)
        except ValueError as exc:
            self.problem(row, column, str(exc), "unparseable_period")
            return None

    def span(self, row: _Row, start: str, end: str) -> tuple[When | None, When | None]:
        first, last = self.when(row, start), self.when(row, end)
        if first and last and first.first > last.last:
            self.problem(row, end, f"{last} is before {start} {first}", "unparseable_period")
        return first, last

    def figures(self, row: _Row) -> tuple[Figure, ...]:
        """The figures of an event row (``kind=number; …``), each kind one of
        ``figure_kinds.csv``."""
        try:
            return parse_figures(row.cells.get("figures", ""), figure_kinds())
        except ValueError as exc:
            self.problem(row, "figures", str(exc))
            return ()

    def pattern(self, row: _Row, column: str, pattern: re.Pattern[str], what: str) -> str:
        value = row.cells.get(column, "")
        if value and not pattern.fullmatch(value):
            self.problem(row, column, f"{value!r} is not {what}")
        return value

    def citation(self, row: _Row) -> Citation | None:
        url = row.cells.get("source_url", "")
        parts = urlsplit(url) if url else None
        if parts is not None and (
            parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in url
        ):
            self.problem(row, "source_url", f"{url!r} is not an http(s) URL")
        published = self.when(row, "source_date")
        checked = self.when(row, "checked")
        if checked is not None and checked.precision != "day":
            self.problem(row, "checked", f"{checked} is not a day (YYYY-MM-DD)")
        if published is None or checked is None:
            return None
        return Citation(
            url, row.cells["source_publisher"], published, row.cells["source_title"], checked.first
        )


def _names(row: _Row) -> Names:
    return Names(row.cells["name_en"], row.cells["name_es"], _list(row.cells["aliases"]))


def _list(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(";") if item.strip())


def _actor(reader: _Reader, row: _Row) -> Actor | None:
    country = reader.pattern(row, "country", _COUNTRY, "an ISO 3166-1 alpha-2 code (US, MX)")
    wikidata = reader.pattern(row, "wikidata", _WIKIDATA, "a Wikidata id (Q…)")
    source = reader.citation(row)
    if source is None:
        return None
    c = row.cells
    return Actor(c["id"], c["kind"], _names(row), country, wikidata, c["parent"], source, row.line)


def _instrument(reader: _Reader, row: _Row) -> Instrument | None:
    wikidata = reader.pattern(row, "wikidata", _WIKIDATA, "a Wikidata id (Q…)")
    start, end = reader.span(row, "start", "end")
    source = reader.citation(row)
    if source is None:
        return None
    c = row.cells
    return Instrument(
        c["id"], c["kind"], _names(row), wikidata, start, end, c["summary_en"], c["summary_es"],
        source, row.line,
    )  # fmt: skip


def _event(reader: _Reader, row: _Row) -> Event | None:
    day, end = reader.span(row, "date", "end")
    figures = reader.figures(row)
    source = reader.citation(row)
    if source is None or day is None:
        return None
    c = row.cells
    return Event(
        c["id"], c["kind"], day, end, c["instrument"], _list(c["chemicals"]), c["title_en"],
        c["title_es"], c["summary_en"], c["summary_es"], c["contests"], source, row.line,
        figures,
    )  # fmt: skip


def _role(reader: _Reader, row: _Row) -> Role | None:
    source = reader.citation(row)
    if source is None:
        return None
    return Role(row.cells["subject"], row.cells["actor"], row.cells["role"], source, row.line)


def _chemical(reader: _Reader, row: _Row) -> Chemical | None:
    cas = reader.pattern(row, "cas", _CAS, "a CAS number (21409-26-7)")
    source = reader.citation(row)
    if source is None:
        return None
    c = row.cells
    return Chemical(
        c["id"], c["name"], _list(c["aliases"]), cas, _list(c["precursor_of"]), c["role"],
        source, row.line,
    )  # fmt: skip


def references(registry: Registry, declared: Mapping[str, tuple[str, int]]) -> list[Problem]:
    """Every id a row points at that names nothing of the right type. An id ``declared`` in the
    right file by a row refused for another reason is not reported again here."""
    problems = []

    def check(
        file: str, line: int, column: str, key: str, known: Mapping[str, object], what: str
    ) -> None:
        refused_elsewhere = key in declared and declared[key][0] in _FILE_OF[what]
        if key and key not in known and not refused_elsewhere:
            problems.append(
                Problem(file, line, column, f"{key!r} is no {what} id", "unknown_category")
            )

    for actor in registry.actors.values():
        check("actors.csv", actor.row, "parent", actor.parent, registry.actors, "actor")
    subjects = {**registry.events, **registry.instruments}
    for event in registry.events.values():
        check(
            "events.csv",
            event.row,
            "instrument",
            event.instrument,
            registry.instruments,
            "instrument",
        )
        check("events.csv", event.row, "contests", event.contests, registry.events, "event")
        for chemical in event.chemicals:
            check("events.csv", event.row, "chemicals", chemical, registry.chemicals, "chemical")
    for role in registry.roles:
        check("roles.csv", role.row, "subject", role.subject, subjects, "event or instrument")
        check("roles.csv", role.row, "actor", role.actor, registry.actors, "actor")
    return problems
