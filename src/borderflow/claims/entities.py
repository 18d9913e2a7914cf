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

from borderflow.claims.spans import Taken
from borderflow.reference.gazetteer import Gazetteer, Member, load_gazetteer
from borderflow.vocabulary import fold_name

_AREA_PHRASE = re.compile(r"\b([A-Z][\w]+(?: [A-Z][\w]+)?) ([Ff]ield [Oo]ffice|[Ss]ector)\b")
#: A word of a name; a hyphen joins two names ("California-Mexico border"), not one.
_TOKEN = re.compile(r"[\w][\w.'’]*")
MAX_WORDS = 6
#: How many unknown "… Sector" / "… Field Office" names of one sentence are compared with the
#: areas for a misspelling; a sentence names two or three at most.
MAX_MISSPELT = 10
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


#: The members of the state dimensions that stand for the whole country.
COUNTRIES = (("us_state", "US"), ("mx_state", "00"))


@dataclass(frozen=True)
class Entity:
    """A member named in a sentence, with where it was written."""

    dimension: str
    code: str
    start: int
    end: int
    kind: str | None

    @property
    def is_country(self) -> bool:
        """Whether it names a whole country in a state dimension ("the U.S.", "el país"): the
        national series, not a part of it."""
        return (self.dimension, self.code) in COUNTRIES


class EntityFinder:
    """Scans sentences for gazetteer names."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._token_keys: dict[str, str] = {}

    @functools.cached_property
    def _keys(self) -> tuple[frozenset[str], frozenset[str]]:
        """The folded key of every name the gazetteer knows, and every run of whole words a key
        starts with ("san", "san luis", …)."""
        names = self.gazetteer.name_keys()
        starts = {""}
        for name in names:
            words = name.split()
            starts.update(" ".join(words[:n]) for n in range(1, len(words) + 1))
        return names, frozenset(starts)

    def _key(self, token: str) -> str:
        """The folded key of one token ("El-Paso" → "el paso"), remembered."""
        known = self._token_keys
        key = known.get(token)
        if key is None:
            if len(known) >= 65_536:
                known.clear()
            key = known[token] = fold_name(token)
        return key

    def _candidates(self, tokens: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
        """(size, start) of the word sequences that may be names, longest first, then in order.

        A sequence's folded key is the folded keys of its tokens, joined: a sequence is
        extended only while its key starts some name, and kept if it is a name, so a sentence
        costs time linear in its words (a set test each, not a lookup that refolds the words).
        """
        names, starts = self._keys
        keys = [self._key(t[2]) for t in tokens]
        out = []
        for i in range(len(tokens)):
            key = ""
            for size in range(1, min(MAX_WORDS, len(tokens) - i) + 1):
                word = keys[i + size - 1]
                if word:
                    key = f"{key} {word}" if key else word
                if key not in starts:
                    break
                if key in names:
                    out.append((size, i))
        out.sort(key=lambda c: (-c[0], c[1]))
        return out

    def find(self, sentence: str) -> list[Entity]:
        tokens = [  # "Mexico's population": the possessive is not part of the name
            (m.start(), m.end(), _POSSESSIVE.sub("", m.group(0)).rstrip(".,'’-"))
            for m in _TOKEN.finditer(sentence)
        ]
        found: list[Entity] = []
        used: set[int] = set()
        for size, i in self._candidates(tokens):
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
        name of that kind, if it is very close. Only the first ``MAX_MISSPELT`` unknown names
        of a sentence are compared (each comparison is with every area of the kind)."""
        out = []
        named = Taken(len(sentence))
        for e in found:
            named.add((e.start, e.end))
        tried = 0
        for m in _AREA_PHRASE.finditer(sentence):
            if named.overlaps((m.start(1), m.start(1) + 1)):
                continue
            tried += 1
            if tried > MAX_MISSPELT:
                break
            kind = "sector" if m.group(2).lower() == "sector" else "field_office"
            area = self._closest_area(fold_name(m.group(1)), kind)
            if area is not None:
                out.append(Entity("area", area.code, m.start(1), m.end(2), area.kind))
        return out

    @functools.cached_property
    def _area_names(self) -> dict[str, dict[str, Member]]:
        """Kind → folded area name without its kind → area."""
        out: dict[str, dict[str, Member]] = {"sector": {}, "field_office": {}}
        for a in self.gazetteer.members("area"):
            if a.kind in out:
                name = fold_name(a.name_en or a.code).removesuffix(" field office")
                out[a.kind][name.removesuffix(" sector")] = a
        return out

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one finder per process
    def _closest_area(self, name: str, kind: str) -> Member | None:
        names = self._area_names[kind]
        close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.8)
        return names[close[0]] if close else None

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - one finder per process
    def _lookup(self, text: str) -> tuple[Member, ...]:
        if len(text) < 2 or text.isdigit():
            return ()
        return tuple(self.gazetteer.lookup(text))


_POSSESSIVE = re.compile(r"['’]s$")


@functools.cache
def entity_finder() -> EntityFinder:
    return EntityFinder(load_gazetteer())


def nearest(entities: list[Entity], dimension: str, offset: int) -> Entity | None:
    """The entity of ``dimension`` written closest to ``offset``."""
    found = [e for e in entities if e.dimension == dimension]
    return min(found, key=lambda e: min(abs(e.start - offset), abs(e.end - offset)), default=None)
