"""Names in a sentence that the gazetteer knows: drugs, regions, CBP components and areas, ports,
U.S. and Mexican states, causes of death, conveyances.

Word sequences of up to six tokens are looked up, longest first; a shorter name inside a longer
one that matched is not counted again ("Southwest Border" is a region, not a compass word).
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

from borderflow.reference.gazetteer import Gazetteer, Member, load_gazetteer
from borderflow.vocabulary import fold_name

_AREA_PHRASE = re.compile(r"\b([A-Z][\w]+(?: [A-Z][\w]+)?) ([Ff]ield [Oo]ffice|[Ss]ector)\b")
_TOKEN = re.compile(r"[\w][\w.'’-]*")
MAX_WORDS = 6
#: Dimensions the claim checker reads from text.
TEXT_DIMENSIONS = (
    "drug",
    "region",
    "component",
    "land_filter",
    "area",
    "port",
    "us_state",
    "mx_state",
    "cause",
    "conveyance",
)


@dataclass(frozen=True)
class Entity:
    """A member named in a sentence, with where it was written."""

    dimension: str
    code: str
    start: int
    end: int
    kind: str | None


class EntityFinder:
    """Scans sentences for gazetteer names."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def find(self, sentence: str) -> list[Entity]:
        tokens = [
            (m.start(), m.end(), m.group(0).rstrip(".,'’-")) for m in _TOKEN.finditer(sentence)
        ]
        found: list[Entity] = []
        used: set[int] = set()
        for size in range(MAX_WORDS, 0, -1):
            for i in range(len(tokens) - size + 1):
                span = range(i, i + size)
                if used.intersection(span):
                    continue
                text = " ".join(t[2] for t in tokens[i : i + size])
                members = [m for m in self._lookup(text) if m.dimension in TEXT_DIMENSIONS]
                if not members:
                    continue
                used.update(span)
                start, end = tokens[i][0], tokens[i + size - 1][1]
                found.extend(Entity(m.dimension, m.code, start, end, m.kind) for m in members)
        found.extend(self._misspelt_areas(sentence, found))
        return sorted(found, key=lambda e: e.start)

    def _misspelt_areas(self, sentence: str, found: list[Entity]) -> list[Entity]:
        """Areas written with their kind but misspelt ("Tuscon field office"): the closest
        name of that kind, if it is very close."""
        out = []
        for m in _AREA_PHRASE.finditer(sentence):
            if any(e.start <= m.start(1) < e.end for e in found):
                continue
            kind = "sector" if m.group(2).lower() == "sector" else "field_office"
            names = {
                fold_name(a.name_en or a.code)
                .removesuffix(" field office")
                .removesuffix(" sector"): a
                for a in self.gazetteer.members("area")
                if a.kind == kind
            }
            close = difflib.get_close_matches(fold_name(m.group(1)), list(names), n=1, cutoff=0.8)
            if close:
                area = names[close[0]]
                out.append(Entity("area", area.code, m.start(1), m.end(2), area.kind))
        return out

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - one finder per process
    def _lookup(self, text: str) -> tuple[Member, ...]:
        if len(text) < 2 or text.isdigit():
            return ()
        return tuple(self.gazetteer.lookup(text))


@functools.cache
def entity_finder() -> EntityFinder:
    return EntityFinder(load_gazetteer())


def nearest(entities: list[Entity], dimension: str, offset: int) -> Entity | None:
    """The entity of ``dimension`` written closest to ``offset``."""
    found = [e for e in entities if e.dimension == dimension]
    return min(found, key=lambda e: min(abs(e.start - offset), abs(e.end - offset)), default=None)
