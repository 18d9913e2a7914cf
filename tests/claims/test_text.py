"""Reading numbers, claims and periods as written in English and Spanish news."""

from __future__ import annotations

from datetime import date

import pytest

from borderflow.claims.document import detect_language, find_date
from borderflow.claims.extract import MentionFinder, read_number, split_sentences
from borderflow.claims.lexicon import fold, load_lexicon
from borderflow.claims.verify import accepted, supports
from borderflow.claims.when import read_time

FINDER = MentionFinder(load_lexicon())


@pytest.mark.parametrize(
    ("written", "scale", "extra", "value", "precision"),
    [
        ("27,023", None, None, 27023, 1),
        ("27,000", None, None, 27000, 1000),
        ("6.3", None, None, 6.3, 0.1),
        ("2,5", None, None, 2.5, 0.1),  # Spain's decimal comma
        ("27.023", None, None, 27023, 1),  # Spain's thousands point
        ("13", "million", None, 13e6, 1e6),
        ("1.5", "millones", None, 1.5e6, 1e5),
        ("75", "mil", None, 75000, 1000),
        ("33", "mil", "241", 33241, 1),
    ],
)
def test_numbers_are_read_with_the_precision_they_are_written_with(
    written: str, scale: str | None, extra: str | None, value: float, precision: float
) -> None:
    number = read_number(written, scale, extra)
    assert number.value == pytest.approx(value)
    assert number.precision == pytest.approx(precision)


@pytest.mark.parametrize(
    ("sentence", "kind", "value", "unit", "qualifier", "direction"),
    [
        ("CBP seized 27,023 pounds of fentanyl.", "quantity", 27023, "lb", None, None),
        ("Se aseguraron 6.3 toneladas de fentanilo.", "quantity", 6.3, "t", None, None),
        ("Agents seized 899 kg of meth.", "quantity", 899, "kg", None, None),
        (
            "Hubo más de 75 mil muertes por sobredosis.",
            "quantity",
            75000,
            "deaths",
            "more_than",
            None,
        ),
        (
            "Se registraron 33 mil 241 víctimas de homicidio.",
            "quantity",
            33241,
            "victims",
            None,
            None,
        ),
        (
            "Zacatecas cerró 2022 con mil 349 víctimas de homicidio doloso.",
            "quantity",
            1349,
            "victims",
            None,
            None,
        ),
        ("Se destinaron mil millones de dólares.", "quantity", 1e9, "usd", None, None),
        ("Deaths fell 52% last year.", "change", 52, "percent", None, "down"),
        ("Seizures showed a 78% increase.", "change", 78, "percent", None, "up"),
        ("Los decomisos aumentaron 20 por ciento.", "change", 20, "percent", None, "up"),
        ("Fentanyl seizures doubled.", "multiplier", 2, "ratio", None, "up"),
        ("Las muertes casi se duplicaron.", "multiplier", 2, "ratio", "about", "up"),
        (
            "More than half of the fentanyl was seized at ports.",
            "share",
            50,
            "percent",
            "more_than",
            None,
        ),
        (
            "Ports of entry account for 78% of the fentanyl seized.",
            "share",
            78,
            "percent",
            None,
            None,
        ),
        ("Cartridges detected exceeded 13 million.", "quantity", 13e6, "pills", "more_than", None),
    ],
)
def test_mentions(
    sentence: str, kind: str, value: float, unit: str, qualifier: str | None, direction: str | None
) -> None:
    (mention,) = FINDER.find(sentence)
    assert (mention.kind, mention.unit, mention.qualifier, mention.direction) == (
        kind,
        unit,
        qualifier,
        direction,
    )
    assert mention.number.value == pytest.approx(value)


def test_years_are_not_quantities() -> None:
    assert FINDER.find("In 2022 the agency changed its rules.") == []


def test_sentences_do_not_split_at_abbreviations() -> None:
    text = "Dr. Ramirez said the U.S. border is long. EE.UU. y México firmaron. Third one."
    assert [s for _, s in split_sentences(text)] == [
        "Dr. Ramirez said the U.S. border is long.",
        "EE.UU. y México firmaron.",
        "Third one.",
    ]


@pytest.mark.parametrize(
    ("sentence", "periods"),
    [
        ("in FY23 CBP seized", ["FY2023"]),
        ("en el año fiscal 2024", ["FY2024"]),
        ("in the last fiscal year", ["FY2025"]),
        ("so far this fiscal year", ["2025-10..2025-12"]),  # through the month before
        ("el año pasado", ["2025"]),
        ("in December 2023 and in 2022", ["2023-12", "2022"]),
        ("en diciembre de 2023", ["2023-12"]),
        ("in the 12 months ending June 2024", ["12ME 2024-06"]),
    ],
)
def test_periods_are_read_against_the_publication_date(sentence: str, periods: list[str]) -> None:
    time = read_time(fold(sentence), date(2026, 1, 16))
    assert [p.period for p in time.periods] == periods


def test_same_period_last_year_is_a_comparison_not_a_period() -> None:
    time = read_time(
        fold(
            "Data released by CBP in December 2023 showed a rise compared to the same period "
            "last year"
        ),
        date(2026, 1, 16),
    )
    assert time.periods == ()
    assert time.year_ago
    assert time.released == date(2023, 12, 1)


def test_tolerance_follows_the_written_precision_and_qualifiers() -> None:
    exact, rounded, over, about = (
        FINDER.find(s)[0]
        for s in (
            "27,023 pounds",
            "27,000 pounds",
            "more than 100,000 deaths",
            "about 2,300 pounds",
        )
    )
    assert supports(exact, 27022.85) and not supports(exact, 27021.0)
    assert supports(rounded, 27022.85) and not supports(rounded, 27600.0)
    assert supports(over, 107941) and not supports(over, 99000) and not supports(over, 140000)
    assert supports(about, 2410) and not supports(about, 2420)
    fell = FINDER.find("deaths fell 52%")[0]
    assert accepted(fell).low == -53 and supports(fell, -52.4) and not supports(fell, 52)


def test_publication_date_and_language() -> None:
    assert find_date("Friday, January 16, 2026\n\nTop 5") == date(2026, 1, 16)
    assert find_date("Ciudad de México, 3 de marzo de 2025.") == date(2025, 3, 3)
    assert detect_language("El gobierno de México y los Estados Unidos firmaron") == "es"
    assert detect_language("The government of Mexico and the United States signed") == "en"


def test_markdown_is_read_as_text() -> None:
    from borderflow.claims.document import parse_document

    doc = parse_document(
        b"# Fentanyl\n\n> **CBP** seized [27,023 pounds](https://www.cbp.gov/x) in FY2023.\n"
    )
    assert doc.text.strip().splitlines()[-1] == "CBP seized 27,023 pounds in FY2023."


def test_a_round_figure_is_read_to_five_percent_at_most() -> None:
    """ "unas 100,000 personas" is 95,000 to 105,000, not 50,000 to 150,000; "two pounds" keeps
    its unit's precision."""
    (about,) = FINDER.find("Unas 100,000 personas murieron por sobredosis.")
    assert (accepted(about).low, accepted(about).high) == (95_000, 105_000)
    (exact,) = FINDER.find("Agents seized 27,000 pounds of fentanyl.")
    assert (accepted(exact).low, accepted(exact).high) == (26_500, 27_500)
    (small,) = FINDER.find("Agents seized two pounds of heroin.")
    assert (accepted(small).low, accepted(small).high) == (1.5, 2.5)
