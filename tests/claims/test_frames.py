"""Claim frames, joint readings and the precision-first verdict, on the real record; and the
rationale of every verdict in the reader's language."""

from __future__ import annotations

import re
from datetime import date

import pytest

from borderflow.claims import check_text
from borderflow.claims.extract import MentionFinder
from borderflow.claims.frames import bind_frames
from borderflow.claims.lexicon import fold, load_lexicon
from borderflow.claims.when import read_time
from borderflow.metrics import Engine
from borderflow.report.extras import article_section
from borderflow.report.i18n import load_catalog
from borderflow.report.model import Context
from conftest import REPO

ARTICLE = REPO.parent / "shared" / "articles" / "borderline-crisis-2026-01-16.txt"
DAY = date(2025, 6, 15)


def frames(sentence: str, published: date = DAY) -> list[tuple[str, object]]:
    folded = fold(sentence)
    mentions = MentionFinder(load_lexicon()).find(sentence)
    return list(
        zip(
            [m.text for m in mentions],
            bind_frames(folded, mentions, read_time(folded, published)),
            strict=True,
        )
    )


def verdicts(engine: Engine, text: str, published: date = DAY) -> dict[str, tuple[str, object]]:
    report = check_text(text, engine, published=published)
    return {c.text: (c.verdict, c.official) for c in report.claims}


def test_paired_values_take_their_own_periods() -> None:
    bound = frames("Seizures rose from 14,700 to 27,023 pounds between FY2022 and FY2023.")
    assert [f.period.period for _, f in bound] == ["FY2022", "FY2023"]
    bound = frames("Los decomisos pasaron de 14.700 a 27.023 libras entre 2022 y 2023.")
    assert [f.period.period for _, f in bound] == ["2022", "2023"]


def test_a_percentage_beside_an_amount_is_a_share_of_the_whole_just_stated(engine) -> None:
    text = (
        "In fiscal year 2023, CBP seized 27,023 pounds of fentanyl. Of that, 26,718 pounds, "
        "about 99%, were seized at the Southwest Border."
    )
    found = verdicts(engine, text)
    assert found["about 99%"][0] == "supported"
    assert found["about 99%"][1] == pytest.approx(100 * 26718 / 27023)
    assert found["26,718 pounds"] == ("supported", pytest.approx(26717.83, abs=0.01))


def test_a_change_against_a_figure_of_the_same_sentence_is_checked_by_arithmetic(engine) -> None:
    # FY2023 27,022.85 lb, FY2022 14,699.88 lb (CBP nationwide): +83.8%
    true = (
        "The 27,023 pounds of fentanyl seized in FY2023 are 84% above the 14,700 pounds seized a "
        "year earlier."
    )
    false = true.replace("84%", "60%")
    assert verdicts(engine, true)["84%"][0] == "supported"
    assert verdicts(engine, false)["60%"][0] == "contradicted"
    # the same arithmetic on figures the record does not confirm (no drug named: all drugs
    # weigh far more) is consistent with the text, not supported by the record
    unconfirmed = true.replace(" of fentanyl", "")
    assert verdicts(engine, unconfirmed)["84%"][0] == "unverifiable"
    assert verdicts(engine, unconfirmed.replace("84%", "60%"))["60%"][0] == "contradicted"


def test_the_month_before_is_month_on_month(engine) -> None:
    bound = frames("CBP seized 2,000 pounds in April 2023, down 40% from the month before.")
    assert bound[1][1].base == "previous"
    bound = frames("La CBP decomisó 2 mil libras en abril de 2023, 40% menos que el mes anterior.")
    assert bound[1][1].base == "previous"


def test_a_parallel_clause_keeps_its_own_subject(engine) -> None:
    text = (
        "In fiscal year 2023, the Office of Field Operations seized 22,800 pounds of fentanyl, "
        "while the U.S. Border Patrol seized 4,223 pounds of fentanyl."
    )
    components = {
        c.text: c.query_json["where"].get("component")
        for c in check_text(text, engine, published=DAY).claims
    }
    assert components == {
        "22,800 pounds": ["Office of Field Operations"],
        "4,223 pounds": ["U.S. Border Patrol"],
    }


def test_rates_a_day_are_the_year_over_its_days(engine) -> None:
    # SESNSP victims of intentional homicide, 2023: 29,714 → 81.4 a day
    found = verdicts(engine, "En 2023 se registraron en promedio 81 víctimas de homicidio al día.")
    verdict, official = next(iter(found.values()))
    assert verdict == "supported" and official == pytest.approx(29714 / 365)


def test_another_publishers_series_is_not_judged_against_ours(engine) -> None:
    report = check_text("Según el INEGI, en 2023 hubo 31 mil 62 homicidios en México.", engine)
    claim = report.claims[0]
    assert claim.verdict == "unverifiable"
    assert claim.why["key"] == "claims.why.other_publisher"
    assert claim.why["values"] == {"named": "INEGI", "held": "SESNSP"}


def test_an_ambiguous_frame_is_never_contradicted(engine) -> None:
    # a change with no base written: read against a year earlier it is off, but not called false
    report = check_text(
        "After bottoming out, fentanyl seizures rose 70% in September 2020.", engine
    )
    claim = report.claims[0]
    assert claim.verdict == "unverifiable" and "implicit_base" in claim.doubts
    assert claim.readings and claim.confidence <= 0.5


def test_multipliers_in_words_and_digits(engine) -> None:
    # FY2023 27,022.85 lb against FY2019 2,803.60 lb: 9.64 times
    found = verdicts(engine, "Fentanyl seizures grew 9.6 times from FY2019 to FY2023.")
    assert found["9.6 times"] == ("supported", pytest.approx(9.639, abs=0.001))
    found = verdicts(
        engine,
        "Los decomisos de fentanilo se multiplicaron por cinco entre el año fiscal 2019 y el año fiscal 2023.",
    )
    assert found["multiplicaron por cinco"][0] == "contradicted"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_claim_has_a_why_and_an_official_record_in_the_reader_language(engine, lang) -> None:
    report = check_text(ARTICLE.read_text("utf-8"), engine).to_dict()
    section = article_section(Context(engine, load_catalog(lang)), report)
    for claim, raw in zip(section.extra["claims"], report["claims"], strict=True):
        assert claim["reason"], claim
        if raw["kind"] == "fact":  # the registry's own words (facts.py), dates in its format
            continue
        assert "seized_lb" not in claim["reason"] and "_" not in claim["reason"].split("(")[0]
        assert not re.search(r"\d\.\d{4}", claim["reason"]), claim["reason"]
        if claim["verdict"] != "unverifiable":
            assert claim["official"], claim
    by_text = {c["text"]: c for c in section.extra["claims"]}
    deaths = by_text["over 140,000"]
    if lang == "es":
        assert "el registro da 73,838 muertes" in deaths["reason"]
        assert "concebida 13 de marzo de 2007" in by_text["Merida Initiative"]["official"]
    else:
        assert "the record gives 73,838 deaths" in deaths["reason"]


def test_a_daily_average_after_a_dateline_is_read_as_a_rate(engine) -> None:
    # SESNSP victims of intentional homicide, national, September 2024: 2,608 / 30 = 86.93
    text = (
        "Ciudad de México.- Según cifras oficiales, el promedio diario de asesinatos pasó de 86,9 "
        "en septiembre de 2024 a 65,6 en junio de 2025."
    )
    claim = check_text(text, engine, published=date(2025, 7, 1)).claims[0]
    assert claim.text == "86,9" and claim.verdict == "supported"
    assert claim.official == pytest.approx(2608 / 30)
    assert claim.query_json["where"] == {}  # the dateline's Ciudad de México is not the place
