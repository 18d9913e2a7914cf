"""schemathesis against the running app's OpenAPI schema: every operation, generated requests,
no server errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from live import serve


@pytest.mark.slow
def test_schemathesis_finds_no_server_errors(loaded) -> None:
    db, _ = loaded
    st = Path(sys.executable).parent / "st"
    with serve(db) as url:
        run = subprocess.run(
            [
                str(st),
                "run",
                f"{url}/openapi.json",
                "--checks",
                "not_a_server_error",
                "--max-examples",
                "8",
                "--seed",
                "42",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=240,
        )
    assert run.returncode == 0, run.stdout[-3000:]
    selected = re.search(r"Selected: (\d+)/(\d+)\n\s+Tested: (\d+)", run.stdout)
    assert selected and len(set(selected.groups())) == 1 and int(selected[1]) >= 20, run.stdout
    assert re.search(r"\d+ generated, \d+ passed", run.stdout)
