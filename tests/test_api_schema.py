"""schemathesis against the running app's OpenAPI schema: every operation, generated requests,
no server errors.

Two runs on one server: every operation but the scenario runner with 25 examples each (two
workers), then ``POST /api/interdiction`` alone with 10 (each new seed solves a scenario, about
a second). The whole file takes 40–55 s on two cores.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from live import serve


def schemathesis(url: str, *options: str) -> tuple[int, int]:
    """Run ``st`` with ``options``; (operations selected, operations in the schema)."""
    st = Path(sys.executable).parent / "st"
    run = subprocess.run(
        [
            str(st),
            "run",
            f"{url}/openapi.json",
            "--checks",
            "not_a_server_error",
            "--seed",
            "42",
            "--no-color",
            *options,
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    selected = re.search(r"Selected: (\d+)/(\d+)\n\s+Tested: (\d+)", run.stdout)
    assert selected and selected[1] == selected[3], run.stdout  # every selected one was tested
    assert re.search(r"\d+ generated, \d+ passed", run.stdout), run.stdout
    return int(selected[1]), int(selected[2])


@pytest.mark.slow
def test_schemathesis_finds_no_server_errors(loaded) -> None:
    db, _ = loaded
    with serve(db) as url:
        most, total = schemathesis(
            url, "--max-examples", "25", "--workers", "2", "--exclude-path", "/api/interdiction"
        )
        runner, _ = schemathesis(
            url, "--max-examples", "10", "--include-path-regex", "^/api/interdiction$"
        )
    assert runner == 1 and most + runner == total >= 20
