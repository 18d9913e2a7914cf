"""The gazetteer: from what analysts and articles write to the member values the warehouse stores.

Each warehouse dimension column (``area``, ``port``, ``us_state``, ``mx_state``, ``reporter``,
``drug``, ...) stores one exact spelling per member: ``"SAN DIEGO FIELD OFFICE"``, ``"2604"``,
``"26"``. People write "San Diego FO", "Nogales, AZ", "Sonora", "EE.UU.". The gazetteer reads the
reference tables in ``borderflow/reference/data`` (each row cites its source; see ``SOURCES.md``
there) and resolves such text to the stored member.

Matching compares folded text: lower case, accents stripped, dots and apostrophes dropped, other
punctuation read as a space, spaces collapsed — so "EE.UU." matches "EEUU" and "Michoacán"
matches "MICHOACAN". A name that two members of one dimension share is refused when the tables
load, except *places*: a CBP place name such as "San Diego" names a field office, a sector and an
AMO branch, and resolving it raises ``AmbiguousMemberError`` listing them (pass ``kind`` to pick).

Decisions on ambiguous names are documented in ``data/SOURCES.md``; the main ones: the bare word
"México"/"Mexico" is the country (mx_state ``"00"``, reporter ``"Mexico"``), never state 15,
which needs "Estado de México" or "Edomex"; "frontera norte" alone resolves to nothing.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType

from borderflow.errors import BorderflowError
from borderflow.vocabulary import fold_name, plain_name

#: How many near names an ``UnknownMemberError`` suggests.
MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class Member:
    """One member of a warehouse dimension, with its names.

    Attributes:
        dimension: the warehouse dimension column, e.g. ``"area"``.
        code: the value stored in that column, e.g. ``"SAN DIEGO FIELD OFFICE"``.
        name_en: English name ("" where only the Spanish name is given).
        name_es: Spanish name.
        kind: what sort of member, e.g. ``"field_office"``, ``"sector"``, ``"port"``, ``"state"``.
        aliases: other spellings that resolve to this member.
        attributes: further facts from the table, e.g. ``us_states``, ``field_office``,
            ``latitude``, ``iso3``, ``notes``, ``source`` (keys of ``SOURCES.md``).
    """

    dimension: str
    code: str
    name_en: str
    name_es: str
    kind: str | None = None
    aliases: tuple[str, ...] = field(default=(), compare=False)
    attributes: Mapping[str, str] = field(default_factory=dict, compare=False)

    def name(self, language: str = "en") -> str:
        """The name in ``language`` ("en" or "es"), else the other language's, else the code."""
        first, second = (
            (self.name_es, self.name_en) if language == "es" else (self.name_en, self.name_es)
        )
        return first or second or self.code


class UnknownDimensionError(BorderflowError):
    """The gazetteer has no table for a dimension."""


class UnknownMemberError(BorderflowError):
    """No member of the dimension is named by the text.

    Attributes:
        dimension: the dimension searched.
        text: the text as given.
        suggestions: up to ``MAX_SUGGESTIONS`` near names, best first.
    """

    def __init__(
        self, dimension: str, text: str, suggestions: list[str], count: int, kind: str | None = None
    ) -> None:
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        what = f"{dimension} of kind {kind!r}" if kind else dimension
        super().__init__(
            f"{text!r} is not a known {what}.{hint} "
            f"All {count} are listed by load_gazetteer().members({dimension!r})."
        )
        self.dimension = dimension
        self.text = text
        self.suggestions = suggestions


class AmbiguousMemberError(BorderflowError):
    """The text names more than one member; the message lists them.

    Attributes:
        dimension: the dimension searched.
        text: the text as given.
        candidates: the members the text names.
    """

    def __init__(self, dimension: str, text: str, candidates: list[Member]) -> None:
        listed = "; ".join(f"{m.code} ({m.kind or m.dimension})" for m in candidates)
        super().__init__(
            f"{text!r} names {len(candidates)} members of {dimension}: {listed}. "
            "Write the full name, or pass kind= to choose."
        )
        self.dimension = dimension
        self.text = text
        self.candidates = candidates


def _is_acronym(name: str) -> bool:
    """Short names in capitals ("US", "IN", "OFO"), which ``lookup`` matches in capitals only."""
    letters = plain_name(name).replace(" ", "")
    return len(letters) <= 4 and letters.isupper()


@dataclass(frozen=True)
class _Row:
    """One member as read from a table, with the names that point to it."""

    member: Member
    names: tuple[str, ...]  # must be unique within the dimension
    places: tuple[str, ...] = ()  # may be shared by several members (then ambiguous)


class Gazetteer:
    """Members of every dimension the reference tables cover, and the names that resolve to them."""

    def __init__(self, rows_by_file: Mapping[str, list[_Row]]) -> None:
        self._members: dict[str, list[Member]] = {}
        self._index: dict[str, dict[str, list[Member]]] = {}  # dimension → key → members
        self._surface: dict[str, dict[str, str]] = {}  # dimension → key → a name as written
        self._places: set[tuple[str, str, str]] = set()  # (dimension, key, code) of shared names
        self._by_key: dict[str, list[tuple[str, Member]]] = {}  # key → (name, member), all dims
        for file, rows in rows_by_file.items():
            for row in rows:
                self._add_member(file, row.member)
                for name in row.names:
                    self._add_name(file, name, row.member, shared=False)
                for name in row.places:
                    self._add_name(file, name, row.member, shared=True)

    def _add_member(self, file: str, member: Member) -> None:
        members = self._members.setdefault(member.dimension, [])
        if any(m.code == member.code for m in members):
            raise ValueError(f"{file}: {member.dimension} code {member.code!r} appears twice")
        members.append(member)
        self._index.setdefault(member.dimension, {})
        self._surface.setdefault(member.dimension, {})

    def _add_name(self, file: str, name: str, member: Member, *, shared: bool) -> None:
        """Index one name; two members may share it only if it is a place name of both."""
        dimension, key = member.dimension, fold_name(name)
        found = self._index[dimension].setdefault(key, [])
        others = [m for m in found if m != member]
        if others and not (
            shared and all((dimension, key, m.code) in self._places for m in others)
        ):
            raise ValueError(
                f"{file}: {dimension} name {name!r} points to both {others[0].code!r} and "
                f"{member.code!r}; make the alias unique (only place names may be shared)"
            )
        if shared:
            self._places.add((dimension, key, member.code))
        if member not in found:
            found.append(member)
        self._surface[dimension].setdefault(key, name)
        self._by_key.setdefault(key, []).append((name, member))

    def dimensions(self) -> list[str]:
        """The dimensions the gazetteer covers, in the order of its tables."""
        return list(self._members)

    def members(self, dimension: str) -> list[Member]:
        """Every member of ``dimension``, in table order.

        Raises:
            UnknownDimensionError: the gazetteer has no table for ``dimension``.
        """
        return list(self._dimension(dimension))

    def _dimension(self, dimension: str) -> list[Member]:
        if dimension not in self._members:
            raise UnknownDimensionError(
                f"the gazetteer has no {dimension!r} dimension; it has {', '.join(self._members)}."
            )
        return self._members[dimension]

    def resolve(self, dimension: str, text: str, *, kind: str | None = None) -> Member:
        """The member of ``dimension`` that ``text`` names (code, name or alias; folded).

        Args:
            dimension: a warehouse dimension column, e.g. ``"mx_state"``.
            text: what was written, e.g. ``"Edomex"``.
            kind: keep only members of this kind (e.g. ``"sector"``) when a place is shared.

        Raises:
            UnknownDimensionError: no table for ``dimension``.
            UnknownMemberError: nothing matches; the error suggests near names.
            AmbiguousMemberError: several members match; the error lists them.
        """
        count = len(self._dimension(dimension))
        named = self._index[dimension].get(fold_name(text), [])
        found = [m for m in named if kind is None or m.kind == kind]
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousMemberError(dimension, text, found)
        suggestions = [m.code for m in named] or self._suggest(dimension, text)
        raise UnknownMemberError(dimension, text, suggestions[:MAX_SUGGESTIONS], count, kind)

    def _suggest(self, dimension: str, text: str) -> list[str]:
        surface = self._surface[dimension]
        close = difflib.get_close_matches(fold_name(text), list(surface), n=50, cutoff=0.6)
        suggestions: list[str] = []
        seen: list[Member] = []
        for key in close:
            members = [m for m in self._index[dimension][key] if m not in seen]
            if members:
                seen.extend(members)
                suggestions.append(surface[key])
        return suggestions[:MAX_SUGGESTIONS]

    def name_keys(self) -> frozenset[str]:
        """The folded key (``fold_name``) of every name and alias the gazetteer knows, so a
        caller scanning text can tell quickly whether a run of words could name anything."""
        return frozenset(self._by_key)

    def lookup(self, text: str) -> list[Member]:
        """Every member, in any dimension, that ``text`` names exactly (after folding).

        For text whose dimension is unknown (a claim checker reading an article). Stricter than
        ``resolve``: numeric codes ("26", "2604") are not matched, and short names in capitals
        ("US", "IN", "DE") match only text in capitals, so "us" or "de" name nothing.
        """
        written = plain_name(text)
        found: list[Member] = []
        for name, member in self._by_key.get(fold_name(text), []):
            if member in found or name.strip().isdigit():
                continue
            if _is_acronym(name) and plain_name(name) != written:
                continue
            found.append(member)
        order = {d: i for i, d in enumerate(self._members)}
        return sorted(found, key=lambda m: order[m.dimension])

    def ports_of(self, area: str) -> list[Member]:
        """The ports managed by a CBP field office (code or any name of it), by port code.

        A place shared by several areas ("San Diego") is read as its field office; an area that
        is not a field office (a sector, an AMO branch) manages no port.
        """
        try:
            office = self.resolve("area", area)
        except AmbiguousMemberError:
            office = self.resolve("area", area, kind="field_office")
        ports = self._dimension("port")
        return sorted(
            (p for p in ports if p.attributes.get("field_office") == office.code),
            key=lambda p: p.code,
        )

    def areas_in_state(self, state: str) -> list[Member]:
        """The CBP areas (field offices, sectors) whose territory includes a U.S. state (postal
        code), by code: "AZ" → Tucson Field Office, Tucson and Yuma sectors. An area may serve
        other states too (El Paso: Texas and New Mexico)."""
        return sorted(
            (
                a
                for a in self._dimension("area")
                if state in _split(a.attributes.get("us_states"))
                and a.kind in ("field_office", "sector")
            ),
            key=lambda a: a.code,
        )

    def area_of_port(self, port: str) -> Member | None:
        """The field office that manages a port (code or name), or None if the table gives none."""
        office = self.resolve("port", port).attributes.get("field_office", "")
        return self.resolve("area", office) if office else None


# -- reading the tables ---------------------------------------------------------------------------


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split(";") if part.strip())


def _attributes(record: Mapping[str, str], columns: Iterable[str]) -> Mapping[str, str]:
    return MappingProxyType({c: record[c] for c in columns if record.get(c)})


def _row(
    record: Mapping[str, str],
    dimension: str,
    kind: str | None,
    extra_columns: Iterable[str],
    extra_names: Iterable[str] = (),
) -> _Row:
    """A table row as a member; ``name_en``/``name_es``/``aliases`` columns as its names."""
    member = Member(
        dimension=dimension,
        code=record["code"],
        name_en=record.get("name_en", ""),
        name_es=record.get("name_es", ""),
        kind=kind or None,
        aliases=_split(record.get("aliases")),
        attributes=_attributes(record, [*extra_columns, "notes", "source"]),
    )
    names = (member.code, member.name_en, member.name_es, *extra_names, *member.aliases)
    return _Row(member, tuple(n for n in names if fold_name(n)), _split(record.get("place")))


_US_KINDS = {"US": "nation", "YC": "city", "DC": "district", "PR": "territory"}


def _us_state(r: Mapping[str, str]) -> _Row:
    kind = _US_KINDS.get(r["code"], "state")
    return _row(r, "us_state", kind, ["fips"], _split(r.get("fips")))


def _mx_state(r: Mapping[str, str]) -> _Row:
    return _row(r, "mx_state", "nation" if r["code"] == "00" else "state", ["name_inegi"])


def _area(r: Mapping[str, str]) -> _Row:
    return _row(r, "area", r["kind"], ["component", "region", "us_states", "place"])


def _port(r: Mapping[str, str]) -> _Row:
    named = {**r, "name_en": r["name"], "name_es": r["name"]}
    return _row(named, "port", "port", ["us_state", "latitude", "longitude", "field_office"])


def _country(r: Mapping[str, str]) -> _Row:
    return _row(r, "reporter", r["kind"], ["iso3"], _split(r.get("iso3")))


def _category(r: Mapping[str, str]) -> _Row:
    return _row(r, r["dimension"], None, [])


#: Table file → how one of its rows becomes a member. Order sets the order of ``dimensions()``.
TABLES: dict[str, Callable[[Mapping[str, str]], _Row]] = {
    "cbp_areas.csv": _area,
    "ports.csv": _port,
    "us_states.csv": _us_state,
    "mx_states.csv": _mx_state,
    "countries.csv": _country,
    "members.csv": _category,
}


def read_gazetteer(folder: Traversable | Path) -> Gazetteer:
    """Read every table in ``folder`` into a gazetteer.

    Raises:
        ValueError: a table is missing a column, repeats a code, or gives one name to two
            members of a dimension; the message names the file.
    """
    rows_by_file: dict[str, list[_Row]] = {}
    for name, make_row in TABLES.items():
        text = (folder / name).read_text(encoding="utf-8")
        try:
            rows_by_file[name] = [make_row(r) for r in csv.DictReader(io.StringIO(text))]
        except KeyError as exc:
            raise ValueError(f"{name}: missing column {exc.args[0]!r}") from exc
    return Gazetteer(rows_by_file)


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer of the reference tables shipped with borderflow (read once)."""
    return read_gazetteer(resources.files("borderflow.reference") / "data")
