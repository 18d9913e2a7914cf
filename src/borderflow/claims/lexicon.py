"""The claim checker's vocabulary (``data/lexicon.toml``) and the folding it is matched on.

Text is folded one character at a time — lower case, accents removed — so a folded string has
the same length as the original and a match on it is also a span of the original.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from borderflow.vocabulary import fold


def phrase_pattern(phrases: list[str]) -> str:
    """A regex alternation of folded phrases, longest first, on word boundaries."""
    ordered = sorted({fold(p) for p in phrases}, key=len, reverse=True)
    words = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)
    return rf"(?<![\w-])(?:{words})(?![\w])"


@dataclass(frozen=True)
class Lexicon:
    """Phrase tables by category; each table maps a key to the phrases that name it."""

    tables: dict[str, dict[str, Any]]

    def table(self, name: str) -> dict[str, list[str]]:
        return {k: v for k, v in self.tables[name].items() if isinstance(v, list)}

    def phrases(self, name: str, key: str = "phrases") -> list[str]:
        return [str(p) for p in self.tables[name][key]]

    @functools.cached_property
    def patterns(self) -> dict[str, re.Pattern[str]]:
        """One compiled pattern per (table, key), named ``table.key``."""
        out = {}
        for name, table in self.tables.items():
            for key, phrases in table.items():
                if isinstance(phrases, list):
                    words = [p for p in phrases if isinstance(p, str)]
                    out[f"{name}.{key}"] = re.compile(phrase_pattern(words))
        return out

    def find(self, name: str, folded: str) -> list[tuple[str, re.Match[str]]]:
        """Every (key, match) of table ``name`` in folded text, in text order."""
        found: list[tuple[str, re.Match[str]]] = []
        for key in self.table(name):
            found.extend((key, m) for m in self.patterns[f"{name}.{key}"].finditer(folded))
        return sorted(found, key=lambda km: km[1].start())

    def first_key(self, name: str, folded: str) -> str | None:
        """The key of table ``name`` whose phrase appears first in ``folded``, if any."""
        found = self.find(name, folded)
        return found[0][0] if found else None

    def reason(self, unit: str) -> str | None:
        """Why a claim in ``unit`` cannot be checked, if no series publishes that unit."""
        reasons = self.tables["unverifiable_units"]
        return str(reasons[unit]) if unit in reasons else None


@functools.cache
def load_lexicon() -> Lexicon:
    """The lexicon shipped with borderflow."""
    text = resources.files("borderflow.claims").joinpath("data/lexicon.toml").read_text("utf-8")
    return Lexicon(tomllib.loads(text))
