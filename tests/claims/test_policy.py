"""The firm-frame policy (claims/policy.py): a figure is called false only when its frame is
bound from its own words and every plausible reading disagrees — on the real record."""

from __future__ import annotations

from datetime import date

import pytest

from borderflow.claims import check_text
from borderflow.claims.policy import ALTERNATIVE_GATES, FRAME_GATES
from borderflow.metrics import Engine
from borderflow.report.i18n import load_catalog
from conftest import REPO
from reference import cbp_fentanyl_by_fy

ARTICLE = REPO.parent / "shared" / "articles" / "borderline-crisis-2026-01-16.txt"


def claim(engine: Engine, text: str, published: date, number: str) -> dict[str, object]:
    report = check_text(text, engine, published=published)
    found = [c.to_dict() for c in report.claims if number in c.text]
    assert found, [c.text for c in report.claims]
    return found[0]


def test_drugs_named_among_others_are_not_judged_as_fentanyl_alone(engine: Engine) -> None:
    # hen-203: "drugs such as illicit fentanyl, cocaine and methamphetamine" are all drugs; the
    # synthetic-opioid reading (70,601 in 2021) is far off, all drugs (106,699 final, 107,573
    # provisional) is not: not called false
    found = claim(
        engine,
        "The death count mirrors 2021, when drugs such as illicit fentanyl, cocaine and "
        "methamphetamine killed more than 107,000 people — a record high for the nation.",
        date(2023, 5, 1),
        "107,000",
    )
    assert found["verdict"] != "contradicted"
    assert "other_reading" in found["doubts"]


def test_a_rate_with_no_year_is_false_only_if_no_recent_year_is_near(engine: Engine) -> None:
    near = claim(
        engine,
        "Synthetic opioids such as fentanyl kill about 37,000 Americans every year.",
        date(2025, 6, 15),
        "37,000",
    )
    assert near["verdict"] == "unverifiable"
    assert "period_defaulted" in near["doubts"]
    far = claim(
        engine,
        "Fentanyl kills 300,000 Americans every year.",
        date(2025, 6, 15),
        "300,000",
    )
    assert far["verdict"] == "contradicted"


def test_a_period_from_elsewhere_in_the_sentence_is_not_enough_to_call_it_false(
    engine: Engine,
) -> None:
    fy23 = cbp_fentanyl_by_fy()[2023]
    wrong = round(fy23 * 1.4)
    written = claim(
        engine,
        f"In fiscal year 2023, CBP seized {wrong:,} pounds of fentanyl.",
        date(2024, 6, 1),
        f"{wrong:,}",
    )
    assert written["verdict"] == "contradicted"
    elsewhere = claim(
        engine,
        f"CBP seized {wrong:,} pounds of fentanyl, and the agency called fiscal year 2023 a "
        "record year.",
        date(2024, 6, 1),
        f"{wrong:,}",
    )
    assert elsewhere["verdict"] == "unverifiable"


def test_the_seed_article_keeps_its_contradictions(engine: Engine) -> None:
    report = check_text(ARTICLE.read_text("utf-8"), engine)
    verdicts = {c.text: c.verdict for c in report.claims}
    assert verdicts["78%"] == "contradicted"
    assert verdicts["over 140,000"] == "contradicted"
    assert verdicts["exceeding 13 million"] == "unverifiable"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_doubt_a_gate_can_raise_is_in_both_catalogs(lang: str) -> None:
    catalog = load_catalog(lang)
    codes = [
        "period_elsewhere",
        "period_defaulted",
        "memory_period",
        "no_period",
        "memory_place",
        "implicit_base",
        "not_a_figure",
        "quoted",
        "unit_conversion",
        "other_reading",
    ]
    assert FRAME_GATES and ALTERNATIVE_GATES
    for code in codes:
        assert catalog.t(f"claims.doubt.{code}"), code
