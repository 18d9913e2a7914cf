"""The registry's file schema: the five files, their columns and the values a column may take.

The schema is shared with the people who write the facts (``docs/registry.md``); the loader
refuses any file that departs from it, naming the file, the row and the field.
"""

from __future__ import annotations

#: Columns every file carries: where the fact was read, and when it was checked.
SOURCE_COLUMNS: tuple[str, ...] = (
    "source_url",
    "source_publisher",
    "source_date",
    "source_title",
    "checked",
)

#: File name → its columns, in order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "actors.csv": (
        "id", "kind", "name_en", "name_es", "aliases", "country", "wikidata", "parent",
        *SOURCE_COLUMNS,
    ),
    "instruments.csv": (
        "id", "kind", "name_en", "name_es", "aliases", "wikidata", "start", "end",
        "summary_en", "summary_es", *SOURCE_COLUMNS,
    ),
    "events.csv": (
        "id", "kind", "date", "end", "instrument", "chemicals", "title_en", "title_es",
        "summary_en", "summary_es", "contests", "figures", *SOURCE_COLUMNS,
    ),
    "roles.csv": ("subject", "actor", "role", *SOURCE_COLUMNS),
    "chemicals.csv": (
        "id", "name", "aliases", "cas", "precursor_of", "role", *SOURCE_COLUMNS,
    ),
}  # fmt: skip

#: The order files are read in: entities before the facts that point at them.
FILES: tuple[str, ...] = tuple(COLUMNS)

#: Columns that must not be empty, per file (beyond the source columns, always required).
REQUIRED: dict[str, tuple[str, ...]] = {
    "actors.csv": ("id", "kind", "name_en", "name_es"),
    "instruments.csv": ("id", "kind", "name_en", "name_es"),
    "events.csv": ("id", "kind", "date", "title_en", "title_es"),
    "roles.csv": ("subject", "actor", "role"),
    "chemicals.csv": ("id", "name", "role"),
}

ACTOR_KINDS: tuple[str, ...] = (
    "government", "agency", "bilateral_body", "legislature", "criminal_organization",
    "international_body", "person",
)  # fmt: skip
INSTRUMENT_KINDS: tuple[str, ...] = (
    "treaty", "framework", "program", "designation", "scheduling", "precursor_control",
    "sanction", "law", "executive_order", "tariff", "convention",
)  # fmt: skip
EVENT_KINDS: tuple[str, ...] = (
    "meeting", "announcement", "signing", "entry_into_force", "termination", "designation",
    "scheduling", "precursor_control", "sanction", "extradition", "transfer", "operation",
    "arrest", "policy", "tariff", "legislation",
)  # fmt: skip
ROLES: tuple[str, ...] = (
    "party", "signatory", "host", "member", "chair", "lead", "designating", "designated",
    "sanctioning", "sanctioned", "scheduling", "extraditing", "extradited", "receiving",
    "target", "announcing",
)  # fmt: skip
CHEMICAL_ROLES: tuple[str, ...] = (
    "precursor", "immediate_precursor", "pre_precursor", "metabolite", "not_a_precursor",
)  # fmt: skip

#: (file, column) → the values it may take.
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("actors.csv", "kind"): ACTOR_KINDS,
    ("instruments.csv", "kind"): INSTRUMENT_KINDS,
    ("events.csv", "kind"): EVENT_KINDS,
    ("roles.csv", "role"): ROLES,
    ("chemicals.csv", "role"): CHEMICAL_ROLES,
}

#: Roles that mean an actor signed or is bound by an instrument (the "signatories").
SIGNATORY_ROLES: tuple[str, ...] = ("party", "signatory")
