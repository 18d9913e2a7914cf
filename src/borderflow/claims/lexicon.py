"""The claim checker's vocabulary (``data/lexicon.toml``) and the folding it is matched on.

Text is folded one character at a time — lower case, accents removed — so a folded string has
the same length as the original and a match on it is also a span of the original. ``fold`` here
gives the same text as ``borderflow.vocabulary.fold``, in time linear in the text whatever its
alphabet (a table of the characters seen, applied with ``str.translate``).
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Any

#: How many distinct characters the folding table keeps before it starts again: a text in many
#: scripts cannot grow it without bound.
_FOLD_TABLE_SIZE = 65_536
#: How many (table, text) answers ``Lexicon.find`` keeps.
_FIND_MEMO = 4_096


class _FoldTable(dict[int, str]):
    """Code point → folded character, filled as characters are met (for ``str.translate``)."""

    def __missing__(self, code: int) -> str:
        if len(self) >= _FOLD_TABLE_SIZE:
            self.clear()
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0].lower()
        folded = base if len(base) == 1 else char
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


@functools.lru_cache(maxsize=32)
def fold(text: str) -> str:
    """Lower case without accents, one character for one character (``"Mérida"`` → ``"merida"``),
    so offsets in the folded text are offsets in the original. The same sentence is folded by
    several readers in turn; the last few are remembered."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD_TABLE)


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

    @functools.cached_property
    def _keys(self) -> dict[str, tuple[str, ...]]:
        return {name: tuple(self.table(name)) for name in self.tables}

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

    @functools.cached_property
    def _found(self) -> dict[tuple[str, str], tuple[tuple[str, re.Match[str]], ...]]:
        return {}

    def find(self, name: str, folded: str) -> list[tuple[str, re.Match[str]]]:
        """Every (key, match) of table ``name`` in folded text, in text order.

        Each claim of a sentence asks about the same sentence, so the last answers are kept.
        """
        memo = self._found
        known = memo.get((name, folded))
        if known is None:
            found: list[tuple[str, re.Match[str]]] = []
            for key in self._keys[name]:
                found.extend((key, m) for m in self.patterns[f"{name}.{key}"].finditer(folded))
            known = tuple(sorted(found, key=lambda km: km[1].start()))
            if len(memo) >= _FIND_MEMO:
                memo.clear()
            memo[name, folded] = known
        return list(known)

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
