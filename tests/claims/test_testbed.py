"""The generated test bed (``borderflow.claims.testbed``): claims composed from the warehouse's
own figures for every construction the checker reads, in English and Spanish, true and false,
in U.S. and Mexican number styles. The checker must get at least 97% of them right and never
call a true one contradicted."""

from __future__ import annotations

import pytest

from borderflow.claims.testbed import CONSTRUCTIONS, Score, generate, mil, run
from borderflow.metrics import Engine


@pytest.fixture(scope="module")
def score(engine: Engine) -> Score:
    return run(engine)


def test_the_test_bed_covers_every_construction_in_both_languages_and_styles(engine) -> None:
    cases = generate(engine)
    assert {c.construction for c in cases} == set(CONSTRUCTIONS)
    for name in CONSTRUCTIONS:
        assert {c.lang for c in cases if c.construction == name} == {"en", "es"}, name
    assert {c.style for c in cases} == {"us", "dotted", "mil"}
    assert {c.expected for c in cases} == {"supported", "contradicted", "unverifiable"}
    assert any("27 mil 23 libras" in c.text for c in cases)  # FY2023 fentanyl, 27,022.85 lb


def test_the_checker_gets_the_test_bed_right_and_never_contradicts_a_true_claim(score) -> None:
    misses = [(c.id, c.text, got) for c, got in score.misses()]
    assert score.accuracy >= 0.97, misses
    assert score.true_contradicted == [], misses
    assert min(score.by("lang").values()) >= 0.95, score.by("lang")


def test_mexican_number_style() -> None:
    assert mil(9593) == "9 mil 593"
    assert mil(27022.85) == "27 mil 23"
    assert mil(812) == "812"
