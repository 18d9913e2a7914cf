"""Interdiction scenarios: TOML files read into validated dataclasses.

A scenario says which data to build the network from (periods, drug), how the network is sized,
how detection is calibrated, the defender's budget and resources, ports closed or reinforced,
shifts in demand, and how the adversary and the simulation behave. Every field has a default
(see ``scenarios/default.toml``, which documents each one); a wrong field raises
``ScenarioError`` naming the file and the field, e.g.
``default.toml: budget.total must be a positive number, got -3``.

Two ways in: ``resolve_scenario`` takes a path or a shipped name (the command line), while
``shipped_scenario`` takes a *name* only and never looks at any other file, and
``load_scenario_text`` validates a scenario posted as TOML text (the web app uses these two, so
no request can make the server open a file of its choosing).
"""

from __future__ import annotations

import functools
import math
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from borderflow.errors import BorderflowError
from borderflow.metrics.periods import PeriodError, parse_period

BETWEEN_PORTS = "Between ports"
CONVEYANCES = ("Trucks", "Personal Vehicles", "Pedestrians", "Buses", "Trains")
ORIGIN_WEIGHTS = ("homicide_victims", "uniform")

#: What a scenario *name* may look like: letters, digits, ``_`` and ``-`` (no path).
SCENARIO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
#: Largest scenario accepted as text (bytes of UTF-8); the shipped ones are under 6 KB.
MAX_SCENARIO_BYTES = 64 * 1024
#: Most months and organisations a simulation may have, and their product (the simulation's
#: time is about 20 µs per organisation-month: the largest takes about 4 s).
MAX_MONTHS = 240
MAX_AGENTS = 5_000
MAX_AGENT_MONTHS = 200_000
#: Most units of resources a plan can hold (the smaller of the units available and the units the
#: budget buys): plans are searched unit by unit, about 1 s per 100 units.
MAX_UNITS = 1000
#: Largest quantal-response rationality (far above it the response's weights underflow).
MAX_RATIONALITY = 1000.0
#: Largest magnitude of any number in a scenario (keeps the solver's arithmetic finite).
MAX_NUMBER = 1e9


class ScenarioError(BorderflowError):
    """A scenario file is missing, unreadable, or has a wrong field (the message names it)."""


@dataclass(frozen=True)
class ResourceSpec:
    """One kind of inspection resource, as the scenario describes it.

    Attributes:
        name: short name (table key).
        label: readable name.
        cost: budget cost of one unit.
        available: most units of this kind.
        applies_to: conveyances where it can be placed; ``"Between ports"`` for sectors.
        hit_rate: probability that a load it examines is found.
        examinations_per_year: crossings one unit can examine in a year (port resources): its
            gain at a port node is ``hit_rate × examinations / traffic``.
        coverage_per_unit: share of a sector one unit covers (sector resources): its gain
            there is ``hit_rate × coverage_per_unit``.
        max_per_node: most units at one node (default: as many as the traffic can occupy).
    """

    name: str
    label: str
    cost: float
    available: int
    applies_to: tuple[str, ...]
    hit_rate: float
    examinations_per_year: float = 0.0
    coverage_per_unit: float = 0.0
    max_per_node: int | None = None


@dataclass(frozen=True)
class Scenario:
    """A validated scenario. Field groups mirror the TOML tables; see ``default.toml``."""

    name: str
    description: str
    path: Path
    period: str = "FY2024"
    demand_period: str = "12ME 2024-09"
    drug: str | None = None
    total_flow: float = 1000.0
    capacity_slack: float = 3.0
    between_ports_share: float = 0.3
    conveyances: tuple[str, ...] = ("Trucks", "Personal Vehicles", "Pedestrians")
    origin_weights: str = "homicide_victims"
    conveyance_cost: dict[str, float] = field(default_factory=dict)
    port_detection: float = 0.1
    sector_detection: float = 0.05
    min_detection: float = 0.005
    max_detection: float = 0.5
    conveyance_detection: dict[str, float] = field(default_factory=dict)
    survival_floor: float = 0.05
    cost_per_1000km: float = 0.02
    rationality: float = 20.0
    budget: float = 40.0
    resources: tuple[ResourceSpec, ...] = ()
    closed_ports: tuple[str, ...] = ()
    reinforced_ports: dict[str, float] = field(default_factory=dict)
    demand_shift: dict[str, float] = field(default_factory=dict)
    months: int = 24
    deploy_month: int = 12
    agents: int = 200
    learning_rate: float = 0.3
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    def parameters(self) -> dict[str, Any]:
        """The scenario as JSON-able parameters (what a stored run records)."""
        return {"name": self.name, "path": str(self.path), **self.raw}


def default_scenario_path() -> Path:
    """The path of the shipped default scenario."""
    return Path(str(resources.files("borderflow.interdiction") / "scenarios" / "default.toml"))


def scenario_paths() -> list[Path]:
    """Every scenario shipped with borderflow."""
    return sorted(default_scenario_path().parent.glob("*.toml"))


def resolve_scenario(text: str | Path) -> Path:
    """A scenario file path, or the name of a shipped scenario (``default``, ``closed_port``).

    For the command line, where the user names their own files; a server takes names only
    (``shipped_scenario``).
    """
    path = Path(text)
    if path.exists():
        return path
    shipped = {p.stem: p for p in scenario_paths()}
    return shipped.get(str(text), path)


def shipped_scenario(name: str, folders: Iterable[Path] = ()) -> Path:
    """The scenario called ``name`` in the shipped folder (or one of ``folders``), by name only.

    ``name`` is checked as text (``SCENARIO_NAME``: no separators, no dots) and looked up among
    the ``*.toml`` files the folders held when first listed, so whatever it says, no other file
    is opened, or even looked for; the message is the same whatever file may exist elsewhere.

    Raises:
        ScenarioError: ``name`` is not the name of a scenario in those folders.
    """
    known = _scenarios_in((default_scenario_path().parent, *map(Path, folders)))
    if isinstance(name, str) and SCENARIO_NAME.fullmatch(name) and name in known:
        return known[name]
    raise ScenarioError(
        f"no such scenario; name one of {', '.join(sorted(known))}, or send the scenario "
        "itself as TOML text."
    )


@functools.lru_cache(maxsize=16)
def _scenarios_in(folders: tuple[Path, ...]) -> dict[str, Path]:
    """Scenario files by name (``stem``) in ``folders``; the first folder holding a name wins."""
    found: dict[str, Path] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.toml")):
            found.setdefault(path.stem, path)
    return found


def load_scenario_text(text: str, name: str = "posted.toml") -> Scenario:
    """Validate a scenario given as TOML text (``name`` stands for the file in messages).

    Raises:
        ScenarioError: the text is over ``MAX_SCENARIO_BYTES``, not TOML, or a field is wrong.
    """
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_SCENARIO_BYTES:
        raise ScenarioError(
            f"{name}: {size:,} bytes; a scenario may have at most {MAX_SCENARIO_BYTES:,}."
        )
    return parse_scenario(_parse_toml(text, name), Path(name))


def _parse_toml(text: str, name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{name}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ScenarioError(f"{name}: not valid TOML: nested too deeply") from None


class _Table:
    """A TOML table being read; errors name ``file: table.key``."""

    def __init__(self, file: str, prefix: str, data: Any) -> None:
        if not isinstance(data, dict):
            raise ScenarioError(f"{file}: {prefix} must be a table, got {data!r}")
        self.file, self.prefix, self.data = file, prefix, data
        self.used: set[str] = set()

    def fail(self, key: str, what: str, value: Any) -> ScenarioError:
        return ScenarioError(f"{self.file}: {self.prefix}.{key} must be {what}, got {value!r}")

    def get(self, key: str, default: Any) -> Any:
        self.used.add(key)
        return self.data.get(key, default)

    def number(
        self,
        key: str,
        default: float,
        low: float = 0.0,
        high: float = float("inf"),
        strict: bool = False,
    ) -> float:
        value = self.get(key, default)
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or value < low or value > high or (strict and value <= low):
            what = (
                "a positive number"
                if strict and low == 0
                else (f"a number ≥ {low:g}" if low else "a non-negative number")
            )
            raise self.fail(key, what + ("" if high == float("inf") else f" ≤ {high:g}"), value)
        if not math.isfinite(value) or value > MAX_NUMBER:  # nan passes every comparison
            raise self.fail(key, f"a finite number ≤ {MAX_NUMBER:g}", value)
        return float(value)

    def integer(self, key: str, default: int, low: int = 1, high: int = int(MAX_NUMBER)) -> int:
        value = self.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise self.fail(key, "a positive integer" if low == 1 else f"an integer ≥ {low}", value)
        if value > high:
            raise self.fail(key, f"an integer ≤ {high:,}", value)
        return value

    def text(self, key: str, default: str | None, choices: tuple[str, ...] = ()) -> str | None:
        value = self.get(key, default)
        if value is not None and not isinstance(value, str):
            raise self.fail(key, "text", value)
        if choices and value not in choices:
            raise self.fail(key, f"one of {', '.join(choices)}", value)
        return value

    def texts(self, key: str, default: tuple[str, ...], choices: tuple[str, ...] = ()) -> tuple:
        value = self.get(key, list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "a list of text", value)
        for v in value:
            if choices and v not in choices:
                raise self.fail(key, f"a list of {', '.join(choices)}", value)
        return tuple(value)

    def numbers(self, key: str, high: float = float("inf")) -> dict[str, float]:
        value = self.get(key, {})
        sub = _Table(self.file, f"{self.prefix}.{key}", value)
        return {k: sub.number(k, 0.0, high=high) for k in value}

    def check_unknown(self) -> None:
        extra = sorted(set(self.data) - self.used)
        if extra:
            raise ScenarioError(
                f"{self.file}: unknown field {self.prefix}.{extra[0]}; the fields of "
                f"[{self.prefix}] are {', '.join(sorted(self.used))}"
            )


def load_scenario(path: Path) -> Scenario:
    """Read and validate a scenario file.

    Raises:
        ScenarioError: the file is missing or not TOML, or a field is wrong (named).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(
            f"no scenario file {path}. Shipped scenarios: "
            f"{', '.join(p.name for p in scenario_paths())} (in {default_scenario_path().parent})"
        ) from None
    return parse_scenario(_parse_toml(text, path.name), path)


_TABLES = (
    "scenario",
    "data",
    "network",
    "calibration",
    "adversary",
    "budget",
    "resources",
    "ports",
    "demand",
    "simulation",
)


def parse_scenario(data: dict[str, Any], path: Path) -> Scenario:
    """Validate the parsed TOML of a scenario (see ``load_scenario``)."""
    file = path.name
    extra = sorted(set(data) - set(_TABLES))
    if extra:
        raise ScenarioError(f"{file}: unknown table [{extra[0]}]; known: {', '.join(_TABLES)}")
    t = {k: _Table(file, k, data.get(k, {})) for k in _TABLES if k != "resources"}
    fields: dict[str, Any] = {}
    fields |= _read_meta(t["scenario"], path)
    fields |= _read_data(t["data"])
    fields |= _read_network(t["network"])
    fields |= _read_calibration(t["calibration"])
    fields |= _read_adversary(t["adversary"])
    fields["budget"] = t["budget"].number("total", 40.0, strict=True)
    fields["resources"] = _read_resources(file, data.get("resources", []), fields["conveyances"])
    fields |= _read_ports(t["ports"])
    fields["demand_shift"] = t["demand"].numbers("multiplier")
    fields |= _read_simulation(t["simulation"])
    for table in t.values():
        table.check_unknown()
    if fields["deploy_month"] >= fields["months"]:
        raise ScenarioError(
            f"{file}: simulation.deploy_month must be less than simulation.months "
            f"({fields['months']}), got {fields['deploy_month']}"
        )
    resources = fields["resources"]
    units = min(
        sum(r.available for r in resources),
        fields["budget"] / min(r.cost for r in resources),
    )
    if units > MAX_UNITS:
        raise ScenarioError(
            f"{file}: the plan could hold {units:,.0f} units of resources (the budget and the "
            f"units available allow that many); at most {MAX_UNITS:,} can be planned"
        )
    if fields["months"] * fields["agents"] > MAX_AGENT_MONTHS:
        raise ScenarioError(
            f"{file}: simulation.months × simulation.agents must be at most "
            f"{MAX_AGENT_MONTHS:,}, got {fields['months']} × {fields['agents']}"
        )
    return Scenario(**fields, raw=data)


def _read_meta(t: _Table, path: Path) -> dict[str, Any]:
    return {
        "name": t.text("name", path.stem) or path.stem,
        "description": t.text("description", "") or "",
        "path": path,
    }


def _read_data(t: _Table) -> dict[str, Any]:
    drug = t.text("drug", "all")
    return {
        "period": _period(t, "period", "FY2024"),
        "demand_period": _period(t, "demand_period", "12ME 2024-09"),
        "drug": None if drug == "all" else drug,
    }


def _period(t: _Table, key: str, default: str) -> str:
    text = t.text(key, default) or default
    try:
        parse_period(text)
    except (PeriodError, ValueError) as exc:  # ValueError: a year the calendar lacks (0)
        raise ScenarioError(f"{t.file}: {t.prefix}.{key}: {exc}") from None
    return text


def _read_network(t: _Table) -> dict[str, Any]:
    return {
        "total_flow": t.number("total_flow", 1000.0, strict=True),
        "capacity_slack": t.number("capacity_slack", 3.0, low=1.0),
        "between_ports_share": t.number("between_ports_share", 0.3, high=10.0),
        "conveyances": t.texts("conveyances", Scenario.conveyances, CONVEYANCES),
        "origin_weights": t.text("origin_weights", "homicide_victims", ORIGIN_WEIGHTS),
        "conveyance_cost": t.numbers("conveyance_cost"),
    }


def _read_calibration(t: _Table) -> dict[str, Any]:
    low = t.number("min_detection", 0.005, high=1.0)
    high = t.number("max_detection", 0.5, high=0.99)
    if low > high:
        raise t.fail("min_detection", f"at most calibration.max_detection ({high:g})", low)
    return {
        "port_detection": t.number("port_detection", 0.1, high=0.99, strict=True),
        "sector_detection": t.number("sector_detection", 0.05, high=0.99, strict=True),
        "min_detection": low,
        "max_detection": high,
        "conveyance_detection": t.numbers("conveyance_factor"),
        "survival_floor": t.number("survival_floor", 0.05, high=1.0 - high),
    }


def _read_adversary(t: _Table) -> dict[str, Any]:
    return {
        "cost_per_1000km": t.number("cost_per_1000km", 0.02, high=1.0),
        "rationality": t.number("rationality", 20.0, high=MAX_RATIONALITY, strict=True),
    }


def _read_ports(t: _Table) -> dict[str, Any]:
    return {
        "closed_ports": t.texts("closed", ()),
        "reinforced_ports": t.numbers("reinforced", high=0.99),
    }


def _read_simulation(t: _Table) -> dict[str, Any]:
    return {
        "months": t.integer("months", 24, low=2, high=MAX_MONTHS),
        "deploy_month": t.integer("deploy_month", 12),
        "agents": t.integer("agents", 200, high=MAX_AGENTS),
        "learning_rate": t.number("learning_rate", 0.3, high=1.0, strict=True),
    }


def _read_resources(file: str, items: Any, conveyances: tuple[str, ...]) -> tuple:
    if not isinstance(items, list) or not items:
        raise ScenarioError(
            f"{file}: resources must be one or more [[resources]] tables, got {items!r}"
        )
    specs = [
        _read_resource(_Table(file, f"resources[{i}]", item), conveyances)
        for i, item in enumerate(items)
    ]
    names = [s.name for s in specs]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise ScenarioError(f"{file}: resources[{i}].name {name!r} is used twice")
    return tuple(specs)


def _read_resource(t: _Table, conveyances: tuple[str, ...]) -> ResourceSpec:
    name = t.text("name", None)
    if not name:
        raise t.fail("name", "a non-empty text", name)
    allowed = (*conveyances, BETWEEN_PORTS)
    applies = t.texts("applies_to", (), allowed)
    if not applies:
        raise t.fail("applies_to", f"a non-empty list of {', '.join(allowed)}", applies)
    exams = t.number("examinations_per_year", 0.0)
    coverage = t.number("coverage_per_unit", 0.0, high=1.0)
    ports = [a for a in applies if a != BETWEEN_PORTS]
    if ports and exams <= 0:
        raise t.fail("examinations_per_year", "a positive number (it applies at ports)", exams)
    if BETWEEN_PORTS in applies and coverage <= 0:
        raise t.fail("coverage_per_unit", "a positive number (it applies between ports)", coverage)
    max_per_node = t.get("max_per_node", None)
    if max_per_node is not None:
        max_per_node = t.integer("max_per_node", 1)
    spec = ResourceSpec(
        name=name,
        label=t.text("label", name) or name,
        cost=t.number("cost", 1.0, strict=True),
        available=t.integer("available", 1, low=0),
        applies_to=applies,
        hit_rate=t.number("hit_rate", 0.5, high=1.0, strict=True),
        examinations_per_year=exams,
        coverage_per_unit=coverage,
        max_per_node=max_per_node,
    )
    t.check_unknown()
    return spec
