"""The loaded registry: every record by id, names resolved in English and Spanish, provenance.

``Registry`` is what ``load_registry`` returns once all five files passed validation; it is
never partly filled. Names resolve accent- and case-insensitively (``fold_name``) over the
English and Spanish names and the aliases.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from borderflow.errors import BorderflowError
from borderflow.registry.model import Actor, Chemical, Event, Instrument, Role
from borderflow.vocabulary import fold_name

#: Anything the registry names by id.
Entity = Actor | Instrument | Event | Chemical


class UnknownName(BorderflowError):
    """A name or id the registry does not know; ``suggestions`` holds close ones."""

    def __init__(self, message: str, suggestions: list[str]) -> None:
        super().__init__(message)
        self.suggestions = suggestions


@dataclass(frozen=True)
class Provenance:
    """Which registry this is: each file's sha256 (the warehouse's release of the same file has
    the same checksum), its rows, and the newest date any fact was checked."""

    files: dict[str, str]
    rows: dict[str, int]
    checked: date | None
    folder: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "files": {
                name: {"sha256": sha, "rows": self.rows[name]} for name, sha in self.files.items()
            },
            "checked": self.checked.isoformat() if self.checked else None,
        }


@dataclass(frozen=True)
class Registry:
    """Actors, instruments, events, roles and chemicals, validated together."""

    actors: dict[str, Actor]
    instruments: dict[str, Instrument]
    events: dict[str, Event]
    roles: tuple[Role, ...]
    chemicals: dict[str, Chemical]
    provenance: Provenance
    _names: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._names.update(_name_index(self))

    @property
    def facts(self) -> int:
        """Instruments, events and roles: the rows that state a fact."""
        return len(self.instruments) + len(self.events) + len(self.roles)

    def get(self, key: str) -> Entity | None:
        return (
            self.actors.get(key)
            or self.instruments.get(key)
            or self.events.get(key)
            or self.chemicals.get(key)
        )

    def resolve(self, text: str) -> Entity:
        """The actor, instrument, event or chemical with this id or name (any language).

        Raises:
            UnknownName: nothing has that id or name; the message suggests close names.
        """
        found = self.get(text.strip()) or self.get(self._names.get(fold_name(text), ""))
        if found is not None:
            return found
        close = difflib.get_close_matches(fold_name(text), list(self._names), n=3, cutoff=0.6)
        ids = list(dict.fromkeys(self._names[c] for c in close))
        hint = f" Did you mean {', '.join(ids)}?" if ids else ""
        raise UnknownName(
            f"the registry knows no actor, instrument or event named {text!r}.{hint} "
            "`borderflow timeline --json` lists the events; docs/registry.md says how to add one.",
            ids,
        )

    def roles_of(self, actor: str) -> list[Role]:
        return [r for r in self.roles if r.actor == actor]

    def roles_in(self, subject: str) -> list[Role]:
        return [r for r in self.roles if r.subject == subject]

    def children_of(self, actor: str) -> list[Actor]:
        return [a for a in self.actors.values() if a.parent == actor]

    def label(self, key: str, lang: str = "en") -> str:
        """A record's name (or an event's title) in ``lang``; the id when it is unknown."""
        found = self.get(key)
        if isinstance(found, Actor | Instrument):
            return found.names.label(lang)
        if isinstance(found, Event):
            return found.title(lang)
        if isinstance(found, Chemical):
            return found.name
        return key


def _name_index(registry: Registry) -> dict[str, str]:
    """Folded name → id, for every name and alias; an id's own names win over aliases."""
    index: dict[str, str] = {}
    entities: tuple[Entity, ...] = (
        *registry.chemicals.values(),
        *registry.events.values(),
        *registry.instruments.values(),
        *registry.actors.values(),
    )
    for entity in entities:
        for name in _names_of(entity):
            index[fold_name(name)] = entity.id
        index[fold_name(entity.id)] = entity.id
    return index


@functools.singledispatch
def _names_of(entity: object) -> tuple[str, ...]:
    return ()


@_names_of.register
def _(entity: Actor) -> tuple[str, ...]:
    return entity.names.all()


@_names_of.register
def _(entity: Instrument) -> tuple[str, ...]:
    return entity.names.all()


@_names_of.register
def _(entity: Event) -> tuple[str, ...]:
    return (entity.title_en, entity.title_es)


@_names_of.register
def _(entity: Chemical) -> tuple[str, ...]:
    return (entity.name, *entity.aliases)
