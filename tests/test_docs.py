"""The generated reference pages match the code (regenerate with ``python docs/generate.py``)."""

from __future__ import annotations

import importlib.util

import pytest

from conftest import REPO

spec = importlib.util.spec_from_file_location("generate", REPO / "docs" / "generate.py")
assert spec and spec.loader
generate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate)


@pytest.mark.parametrize("page", sorted(generate.PAGES))
def test_generated_page_is_up_to_date(page: str) -> None:
    committed = (REPO / "docs" / page).read_text()
    assert committed == generate.PAGES[page](), f"docs/{page} is stale: run python docs/generate.py"


def test_every_command_has_an_example() -> None:
    text = generate.cli_reference()
    sections = text.split("\n## ")[1:]
    assert sections
    for section in sections:
        assert "Example:" in section, f"no example in: {section.splitlines()[0]}"
