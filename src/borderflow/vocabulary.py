"""The words every floor of borderflow shares: dimensions, grains, name folding, filters.

The ground floor: this module imports nothing of borderflow but its errors, so sources, the
warehouse, the metrics layer, the libraries and the outputs can all speak it without importing
each other.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from borderflow.errors import BorderflowError

#: Explicit dimensions of an observation. A source fills the ones that apply; the rest stay null.
DIMENSIONS: tuple[str, ...] = (
    "drug",  # CBP drug type, e.g. "Fentanyl"
    "component",  # CBP component: Office of Field Operations / U.S. Border Patrol / AMO
    "region",  # CBP region: Southwest Border / Northern Border / Coastal/Interior
    "land_filter",  # CBP: Land Only / Other
    "area",  # CBP area of responsibility (field office or sector) or AMO branch
    "port",  # BTS/CBP 4-digit port code
    "us_state",  # U.S. postal code; "US" = the national total as published
    "mx_state",  # INEGI 2-digit state code; "00" = the national total as published
    "conveyance",  # BTS measure: Trucks, Personal Vehicles, Pedestrians, ...
    "cause",  # cause of death: ICD-10 code ("T40.4") or "all_drug_overdose"
    "reporter",  # trade reporter country
    "partner",  # trade partner ("World")
    "hs_code",  # Harmonized System code (2-6 digits)
    "commodity",  # commodity description as published
    "flow",  # Import / Export / Re-Export
    "crime_category",  # SESNSP bien jurídico afectado
    "crime_type",  # SESNSP tipo de delito
    "crime_subtype",  # SESNSP subtipo de delito
    "modality",  # SESNSP modalidad
)

#: Months in one bucket of each grain a query can ask for.
GRAIN_MONTHS: dict[str, int] = {"month": 1, "quarter": 3, "calendar_year": 12, "fiscal_year": 12}


def strip_accents(text: str) -> str:
    """``"Michoacán"`` → ``"Michoacan"``: compatibility-decomposed, combining marks dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower case without accents, one character for one character (``"Mérida"`` →
    ``"merida"``), so offsets in the folded text are offsets in the original."""
    return "".join(_fold_char(c) for c in text)


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


def fold_words(text: str) -> str:
    """A comparison key for headers and stored members: lower case, no accents, single spaces."""
    return " ".join(strip_accents(text).lower().split())


def fold_name(text: str) -> str:
    """A name as compared: ``"EE.UU."`` → ``"eeuu"``, ``"Michoacán"`` → ``"michoacan"``."""
    return plain_name(text).lower()


def plain_name(text: str) -> str:
    """A name without accents, dots and apostrophes, other punctuation as single spaces; case
    kept (``"EE.UU."`` → ``"EEUU"``)."""
    plain = re.sub(r"[.'’`]", "", strip_accents(text))
    spaced = "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in plain)
    return " ".join(spaced.split())


def parse_where(items: Iterable[str], option: str = "where") -> dict[str, tuple[str, ...]]:
    """``["drug=Fentanyl,Heroin", "region=Southwest Border"]`` → filters by dimension.

    Raises:
        BorderflowError: an item is not ``DIMENSION=MEMBER[,MEMBER…]``; the message names
            ``option`` as the user wrote it (``--where`` on the command line, ``where`` in the API).
    """
    where: dict[str, list[str]] = {}
    for item in items:
        dim, sep, value = item.partition("=")
        if not sep or not dim.strip() or not value.strip():
            raise BorderflowError(f"{option} takes DIMENSION=MEMBER, not {item!r}.")
        where.setdefault(dim.strip(), []).extend(v.strip() for v in value.split(","))
    return {k: tuple(v) for k, v in where.items()}
