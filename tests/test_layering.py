"""The house's layout, enforced: imports run down the floors, never up, and never in a circle.

Every import in ``src/borderflow`` counts — at module level, inside functions and under
``TYPE_CHECKING`` — because each of them is a dependency a reader has to hold in mind.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

from conftest import REPO

PACKAGE = REPO / "src" / "borderflow"

#: Floors, lowest first. A part may import its own modules and any part on a lower floor.
FLOORS: tuple[frozenset[str], ...] = (
    frozenset({"borderflow", "errors", "config", "vocabulary", "cache", "messages"}),  # ground
    frozenset({"registry"}),  # the registry of who and when: read by sources, claims, outputs
    frozenset({"sources", "reference"}),
    frozenset({"warehouse"}),
    frozenset({"metrics", "fetch"}),
    frozenset({"claims", "outlook", "interdiction", "shipments"}),  # the libraries
    frozenset({"update"}),  # drives the libraries: fetch, ingest, re-run outlooks, report changes
    frozenset({"report"}),
    frozenset({"web"}),
    frozenset({"cli"}),
    frozenset({"__main__"}),
)
#: Outputs present what the libraries return; they never read the store themselves.
OUTPUTS = frozenset({"report", "web"})
FORBIDDEN_FOR_OUTPUTS = frozenset({"warehouse"})


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """Every ``borderflow`` module ``path`` imports, wherever the import statement is.

    ``from borderflow.metrics import derive`` imports the module ``metrics.derive``;
    ``from borderflow.metrics import Engine`` imports the package ``metrics``.
    """
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in modules else node.module)
    return {name for name in found if name.split(".")[0] == "borderflow"}


def import_graph() -> nx.DiGraph:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        targets = imports_of(path, set(modules))
        graph.add_edges_from((name, target) for target in targets if target in modules)
    return graph


def part(module: str) -> str:
    """``borderflow.metrics.engine`` → ``metrics``; ``borderflow`` → ``borderflow``."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else pieces[0]


def floor(name: str) -> int:
    for level, parts in enumerate(FLOORS):
        if name in parts:
            return level
    raise AssertionError(f"{name} is on no floor: add it to FLOORS in {__file__}.")


def upward_imports(graph: nx.DiGraph) -> list[str]:
    """Imports of a part on the same or a higher floor (the ground floor is one room)."""
    return [
        f"{a} imports {b}"
        for a, b in graph.edges
        if part(a) != part(b)
        and floor(part(b)) >= floor(part(a))
        and not floor(part(a)) == floor(part(b)) == 0
    ]


def outputs_reading_the_store(graph: nx.DiGraph) -> list[str]:
    return [
        f"{a} imports {b}"
        for a, b in graph.edges
        if part(a) in OUTPUTS and part(b) in FORBIDDEN_FOR_OUTPUTS
    ]


def circles(graph: nx.DiGraph) -> list[list[str]]:
    return [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    return import_graph()


def test_every_part_of_the_package_is_on_a_floor(graph: nx.DiGraph) -> None:
    for module in graph:
        floor(part(module))


def test_imports_never_run_up_the_floors(graph: nx.DiGraph) -> None:
    assert upward_imports(graph) == []


def test_outputs_never_import_the_warehouse(graph: nx.DiGraph) -> None:
    assert outputs_reading_the_store(graph) == []


def test_no_import_circles(graph: nx.DiGraph) -> None:
    assert circles(graph) == []


def test_the_checks_catch_an_upward_import_a_store_read_and_a_circle() -> None:
    bad = nx.DiGraph()
    bad.add_edges_from([
        ("borderflow.metrics.engine", "borderflow.report.brief"),
        ("borderflow.report.extras", "borderflow.warehouse.store"),
        ("borderflow.web.app", "borderflow.web.api"),
        ("borderflow.web.api", "borderflow.web.app"),
    ])  # fmt: skip
    assert upward_imports(bad) == ["borderflow.metrics.engine imports borderflow.report.brief"]
    assert outputs_reading_the_store(bad) == [
        "borderflow.report.extras imports borderflow.warehouse.store"
    ]
    assert circles(bad) == [["borderflow.web.api", "borderflow.web.app"]]
