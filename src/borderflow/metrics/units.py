"""Units travel with values; converting is explicit and adding different units is refused.

Weights convert through kilograms (1 lb = 0.45359237 kg exactly, by the 1959 international
agreement); a ``t`` is a metric tonne and ``short_ton`` a U.S. ton of 2,000 lb.
"""

from __future__ import annotations

from dataclasses import dataclass

from borderflow.errors import BorderflowError

#: unit → (dimension, factor to the dimension's base unit)
UNITS: dict[str, tuple[str, float]] = {
    "kg": ("mass", 1.0),
    "lb": ("mass", 0.45359237),
    "g": ("mass", 0.001),
    "oz": ("mass", 0.45359237 / 16),
    "t": ("mass", 1000.0),
    "short_ton": ("mass", 907.18474),
}

ALIASES = {
    "lbs": "lb",
    "pound": "lb",
    "pounds": "lb",
    "libras": "lb",
    "kilogram": "kg",
    "kilograms": "kg",
    "kilos": "kg",
    "kilogramos": "kg",
    "tonne": "t",
    "tonnes": "t",
    "metric ton": "t",
    "metric tons": "t",
    "toneladas": "t",
    "tonelada": "t",
    "ton": "short_ton",
    "tons": "short_ton",
    "grams": "g",
    "gramos": "g",
    "ounces": "oz",
}


class UnitError(BorderflowError):
    """Units that cannot be converted or combined."""


def normalise_unit(unit: str) -> str:
    text = unit.strip().lower()
    return ALIASES.get(text, text)


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """``value`` in ``from_unit`` expressed in ``to_unit``; refuses units of different kinds."""
    source, target = normalise_unit(from_unit), normalise_unit(to_unit)
    if source == target:
        return value
    if source not in UNITS or target not in UNITS:
        raise UnitError(f"cannot convert {from_unit!r} to {to_unit!r}: no conversion is known.")
    (kind_a, factor_a), (kind_b, factor_b) = UNITS[source], UNITS[target]
    if kind_a != kind_b:
        raise UnitError(f"cannot convert {from_unit!r} ({kind_a}) to {to_unit!r} ({kind_b}).")
    return value * factor_a / factor_b


@dataclass(frozen=True)
class Quantity:
    """A value with its unit. Adding quantities of different units is refused."""

    value: float
    unit: str

    def __add__(self, other: Quantity) -> Quantity:
        if normalise_unit(self.unit) != normalise_unit(other.unit):
            raise UnitError(
                f"refusing to add {other.unit} to {self.unit}: convert one first "
                f"(e.g. Quantity.to({self.unit!r}))."
            )
        return Quantity(self.value + other.value, self.unit)

    def to(self, unit: str) -> Quantity:
        return Quantity(convert(self.value, self.unit, unit), normalise_unit(unit))
