"""Reference data: the gazetteer of places, ports, CBP areas and category names (English/Spanish).

>>> from borderflow.reference import load_gazetteer
>>> load_gazetteer().resolve("mx_state", "Edomex").code
'15'
"""

from borderflow.reference.gazetteer import (
    AmbiguousMemberError,
    Gazetteer,
    Member,
    UnknownDimensionError,
    UnknownMemberError,
    fold_name,
    load_gazetteer,
    read_gazetteer,
)

__all__ = [
    "AmbiguousMemberError",
    "Gazetteer",
    "Member",
    "UnknownDimensionError",
    "UnknownMemberError",
    "fold_name",
    "load_gazetteer",
    "read_gazetteer",
]
