"""The other readings tried before a figure is called false (claims/axes.py, data/axes.toml):
every registered axis is well formed, and on the real record a reading the labelling rule accepts
supports a claim, a loose one only keeps it from being false, and a false figure stays false."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from borderflow.claims import check_text
from borderflow.claims.axes import (
    CONDITIONS,
    TRANSFORMS,
    Axis,
    Context,
    _other_convention,
    _through_month_before,
    family_axes,
)
from borderflow.metrics import Engine, Query, get_measure
from conftest import REPO
from reference import cbp_fentanyl_by_fy

NCHS = REPO.parent / "shared" / "data" / "nchs_final" / "nchs_final_overdose_deaths.csv"


def nchs(year: int, status: str, unit_says: str = "") -> int:
    """The all-drug overdose count of ``year`` in the NCHS mirror file, of ``status``, from the
    row whose unit names ``unit_says`` (the release it was first published in)."""
    with NCHS.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if (
                row["year"] == str(year)
                and row["measure"] == "total_overdose_deaths"
                and row["status"] == status
                and unit_says in row["unit"]
            ):
                return int(row["value"])
    raise AssertionError(f"no {status} {year} row in {NCHS}")


def only_claim(engine: Engine, text: str, published: date) -> dict[str, object]:
    claims = [c.to_dict() for c in check_text(text, engine, published=published).claims]
    assert len(claims) == 1, [c["text"] for c in claims]
    return claims[0]


def test_every_axis_names_a_transform_a_condition_and_known_measures() -> None:
    axes = family_axes()
    assert {"seized_lb", "overdose_deaths_annual", "homicide_victims", "crossings"} <= set(axes)
    for measure, entries in axes.items():
        get_measure(measure)  # raises for an unknown measure
        assert entries, measure
        for axis in entries:
            assert axis.axis in TRANSFORMS, axis
            assert set(axis.when) <= set(CONDITIONS), axis
    firm = {a.axis for entries in axes.values() for a in entries if a.firm}
    # the labelling rule's own alternatives support a claim; the others only keep it from false
    assert {"region", "convention", "status", "vintage", "swap_member"} <= firm


def test_the_release_current_on_the_publication_date_is_a_reading(engine: Engine) -> None:
    # the CDC's May 2024 provisional count of 2023, revised since (final 105,007): a story of
    # August 2024 quoting it is right about the record it had
    provisional, final = nchs(2023, "provisional", "May 2024"), nchs(2023, "final")
    assert provisional != final
    text = (
        "More recent government figures estimated that there were "
        f"{provisional:,} total drug overdose deaths in 2023."
    )
    found = only_claim(engine, text, date(2024, 8, 23))
    assert found["verdict"] == "supported"
    assert found["official"] == provisional
    assert found["query_json"]["as_of"] == "2024-08-23"  # type: ignore[index]


def test_a_false_figure_stays_false_under_every_reading(engine: Engine) -> None:
    false = round(nchs(2023, "final") * 0.82)
    text = (
        "More recent government figures estimated that there were "
        f"{false:,} total drug overdose deaths in 2023."
    )
    found = only_claim(engine, text, date(2024, 8, 23))
    assert found["verdict"] == "contradicted"


def test_a_loose_reading_keeps_a_figure_from_false_but_does_not_support_it(
    engine: Engine,
) -> None:
    # the Office of Field Operations' share of FY2023 fentanyl, written as if it were all of
    # CBP's: a part of CBP the sentence does not name is plausible, not firm
    ofo = cbp_fentanyl_by_fy(Component="Office of Field Operations")[2023]
    assert abs(ofo - cbp_fentanyl_by_fy()[2023]) > 1000
    text = f"CBP seized {round(ofo):,} pounds of fentanyl in fiscal year 2023."
    found = only_claim(engine, text, date(2026, 1, 1))
    assert found["verdict"] == "unverifiable"
    assert "other_reading" in found["doubts"]  # type: ignore[operator]
    shown = [r for r in found["readings"] if r["supports"]]  # type: ignore[union-attr]
    assert any("Office of Field Operations" in r["label"] for r in shown)


def test_one_separator_before_three_digits_may_be_a_decimal_mark(engine: Engine) -> None:
    # "12.119 toneladas": 12,119 tonnes in U.S. style, 12.119 in comma-decimal Spanish; the
    # record (CBP's Southwest Border fentanyl, FY2023, in tonnes) fits the second: not false
    tonnes = cbp_fentanyl_by_fy(Region="Southwest Border")[2023] * 0.45359237 / 1000
    written = f"{tonnes:.3f}"
    text = (
        f"La CBP decomisó {written} toneladas de fentanilo en la frontera con México en el año "
        "fiscal 2023."
    )
    found = only_claim(engine, text, date(2024, 2, 1))
    assert found["verdict"] == "unverifiable"
    assert "other_reading" in found["doubts"]  # type: ignore[operator]
    wrong = f"{tonnes * 1.5:.3f}"
    assert only_claim(engine, text.replace(written, wrong), date(2024, 2, 1))["verdict"] == (
        "contradicted"
    )


@pytest.mark.parametrize(
    ("period", "other"),
    [
        ("FY2023", "2023"),
        ("2023", "FY2023"),
        ("2024-01..2024-05", "2023-10..2024-05"),  # "so far this year" read as the fiscal year
        ("2023-10..2024-05", "2024-01..2024-05"),
        ("2024-01..2024-11", "2024-10..2024-11"),
        ("2024-03..2024-05", None),  # not a year to date
    ],
)
def test_the_other_year_convention(period: str, other: str | None) -> None:
    assert _other_convention(period) == other


def test_a_year_to_date_may_end_a_month_earlier(engine: Engine) -> None:
    query = Query("seized_lb", "2024-10..2025-01", where={"drug": ("Fentanyl",)})
    axis = Axis("through_month_before", ("year_unwritten",), True)
    ((label, moved),) = _through_month_before(query, axis, Context(engine, date(2025, 2, 20)))
    assert moved.period == "2024-10..2024-12" and label == "through 2024-12"
    single = Query("seized_lb", "2024-10..2024-10")
    assert list(_through_month_before(single, axis, Context(engine, date(2025, 2, 20)))) == []
