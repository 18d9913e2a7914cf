"""The registry of who and when: actors, instruments, events, roles and chemicals, each sourced.

The facts are plain CSV files shipped in ``borderflow/reference/registry`` (schema in
``docs/registry.md``). ``load_registry()`` validates the five together — all or nothing — and
returns a ``Registry``; ``timeline``, ``profile``, ``in_force`` and ``recent`` answer questions
of it. The warehouse loads the same files as releases of the ``registry`` source, so revisions
have vintages; ``Registry.provenance`` gives the checksums that identify the release.

>>> registry = load_registry()
>>> [e.id for e in timeline(registry, subject="merida_initiative")][:1]  # doctest: +SKIP
"""

from __future__ import annotations

from borderflow.registry.load import (
    Problem,
    RegistryError,
    load_registry,
    package_folder,
    read_registry,
)
from borderflow.registry.model import (
    Actor,
    Chemical,
    Citation,
    Event,
    Instrument,
    Names,
    Role,
    When,
)
from borderflow.registry.queries import (
    InForce,
    Profile,
    concerning,
    in_force,
    profile,
    recent,
    timeline,
)
from borderflow.registry.records import Provenance, Registry, UnknownName

__all__ = [
    "Actor", "Chemical", "Citation", "Event", "InForce", "Instrument", "Names", "Problem",
    "Profile", "Provenance", "Registry", "RegistryError", "Role", "UnknownName", "When",
    "concerning", "in_force", "load_registry", "package_folder", "profile", "read_registry",
    "recent", "timeline",
]  # fmt: skip
