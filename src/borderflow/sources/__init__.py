"""One module per official dataset, all registered here.

A new dataset is one new module with a ``SOURCE`` and one line in ``_MODULES``.
"""

from __future__ import annotations

import difflib
from importlib import import_module

from borderflow.errors import BorderflowError
from borderflow.sources.base import Source

_MODULES: tuple[str, ...] = (
    "cbp_nationwide",
    "cbp_amo",
    "sesnsp_incidence",
    "sesnsp_victims",
    "cdc_vsrr",
    "cdc_wonder",
    "nchs_final",
    "bts_crossings",
    "un_comtrade",
    "census_pep",
    "conapo",
    "registry",
)


def all_sources() -> dict[str, Source]:
    """Every registered source, by name, in registry order."""
    sources = [import_module(f"borderflow.sources.{m}").SOURCE for m in _MODULES]
    return {s.name: s for s in sources}


def get_sources(names: list[str] | None = None) -> list[Source]:
    """The named sources (all when ``names`` is empty); unknown names get a suggestion."""
    registry = all_sources()
    if not names:
        return list(registry.values())
    chosen = []
    for name in names:
        if name not in registry:
            close = difflib.get_close_matches(name, registry, n=3)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise BorderflowError(
                f"unknown source {name!r}.{hint} Known sources: {', '.join(registry)}."
            )
        chosen.append(registry[name])
    return chosen
