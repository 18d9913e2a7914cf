"""Reconciliation of the metrics layer with the real files, and its guards.

Expected figures are recomputed here from the CSVs with the csv module (an independent path:
no pandas, no DuckDB), or quoted from the publisher's SOURCE.md where noted.
"""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from borderflow.errors import BorderflowError
from borderflow.metrics import Engine, Query, QueryError
from borderflow.metrics.measures import UnknownMeasureError
from borderflow.metrics.units import Quantity, UnitError
from borderflow.sources import get_sources
from borderflow.warehouse import Warehouse
from borderflow.warehouse.ingest import IngestReport, ingest
from conftest import MIRROR
from reference import (
    cbp_current_rows,
    cbp_fentanyl_by_fy,
    vsrr_api_file,
    vsrr_files,
    vsrr_value,
)

CBP = MIRROR / "cbp_drug_seizures"
MONTH = {m: i for i, m in enumerate(
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1)}  # fmt: skip


@pytest.fixture(scope="module")
def engine(loaded: tuple[Path, IngestReport]) -> Iterator[Engine]:
    db, _ = loaded
    eng = Engine.open(db)
    yield eng
    eng.close()


def csv_fentanyl(**match: str) -> dict[int, float]:
    """Fentanyl pounds by fiscal year straight from the CSVs, each month from the newest window
    covering it."""
    return cbp_fentanyl_by_fy(**match)


def fentanyl_by_fy(engine: Engine, **where: tuple[str, ...]) -> dict[int, float]:
    query = Query("seized_lb", "FY2019..FY2026", where={"drug": ("Fentanyl",), **where},
                  grain="fiscal_year")  # fmt: skip
    rows = engine.run(query).rows
    return {int(p[2:]): v for p, v in zip(rows["period"], rows["value"], strict=True)}


@pytest.mark.parametrize(
    "where, match",
    [
        ({}, {}),
        ({"region": ("Southwest Border",)}, {"Region": "Southwest Border"}),
        (
            {"component": ("Office of Field Operations",)},
            {"Component": "Office of Field Operations"},
        ),
        ({"component": ("U.S. Border Patrol",)}, {"Component": "U.S. Border Patrol"}),
        (
            {"region": ("Southwest Border",), "component": ("U.S. Border Patrol",)},
            {"Region": "Southwest Border", "Component": "U.S. Border Patrol"},
        ),
    ],
    ids=["nationwide", "southwest", "ofo", "usbp", "southwest-usbp"],
)
def test_fentanyl_fy_totals_equal_the_csv_sums(engine: Engine, where: dict, match: dict) -> None:
    ours = fentanyl_by_fy(engine, **where)
    theirs = csv_fentanyl(**match)
    assert ours.keys() == theirs.keys() == set(range(2019, 2027))
    for fy in ours:
        assert abs(ours[fy] - theirs[fy]) < 0.01, fy


def test_fentanyl_headline_figures(engine: Engine) -> None:
    # SOURCE.md: FY2023 27,022.85 lb nationwide; FY2024 Southwest Border 21,148.15 lb.
    assert round(fentanyl_by_fy(engine)[2023], 2) == 27022.85
    assert round(fentanyl_by_fy(engine, region=("Southwest Border",))[2024], 2) == 21148.15


def test_oct_dec_2023_against_oct_dec_2022(engine: Engine) -> None:
    rows = [r for r in cbp_current_rows() if r["Drug Type"] == "Fentanyl"]
    by_quarter: dict[str, float] = defaultdict(float)
    for r in rows:
        if r["Month (abbv)"] in ("OCT", "NOV", "DEC"):
            by_quarter[r["FY"][:4]] += float(r["Sum Qty (lbs)"])
    q = Query("seized_lb", "2023-10..2023-12", where={"drug": ("Fentanyl",)}, compare="year_ago")
    row = engine.run(q).rows.iloc[0]
    assert abs(row["value"] - by_quarter["2024"]) < 0.01
    assert abs(row["previous"] - by_quarter["2023"]) < 0.01
    expected = 100 * (by_quarter["2024"] - by_quarter["2023"]) / by_quarter["2023"]
    assert round(row["pct_change"], 1) == round(expected, 1) == -27.1


@pytest.mark.parametrize(
    "period, status, expected",
    [
        ("12ME 2022-12", "reported", 74829),
        ("12ME 2022-12", "predicted", 75453),
        ("2023", "reported", 74091),
        ("12ME 2025-12", "predicted", 38200),
        ("12ME 2026-01", "reported", 36825),
        ("12ME 2026-01", "predicted", 37488),
    ],
)
def test_vsrr_us_synthetic_opioids(engine: Engine, period: str, status: str, expected: int) -> None:
    assert engine.run(Query("overdose_deaths_12m", period, status=status)).value == expected


def test_vsrr_every_12_month_ending_period_matches_the_file(engine: Engine) -> None:
    with open(vsrr_api_file(), newline="") as f:
        us = [r for r in csv.DictReader(f) if r["state"] == "US"]
    q = Query("overdose_deaths_12m", "2015-01..2026-01", grain="month", status="predicted")
    rows = engine.run(q).rows
    ours = {str(b)[:7]: v for b, v in zip(rows["bucket"], rows["value"], strict=True)}
    months = {m: i for i, m in enumerate(["January", "February", "March", "April", "May", "June",
              "July", "August", "September", "October", "November", "December"], 1)}  # fmt: skip
    theirs = {f"{r['year']}-{months[r['month']]:02d}": float(r["predicted_value"]) for r in us}
    assert ours == theirs and len(ours) == 133


@pytest.mark.parametrize("year, month", [(2022, "December"), (2024, "September")])
@pytest.mark.parametrize("status", ["reported", "predicted"])
def test_all_drug_12_month_deaths_equal_the_csv_download(
    engine: Engine, year: int, month: str, status: str
) -> None:
    # SOURCE.md: December 2022 109,413 / 110,942; September 2024 87,652 / 88,948.
    (download,) = [p for p in vsrr_files() if p != vsrr_api_file()]
    field = "data_value" if status == "reported" else "predicted_value"
    expected = vsrr_value(download, "US", "Number of Drug Overdose Deaths", year, month, field)
    number = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"].index(month) + 1  # fmt: skip
    query = Query("all_overdose_deaths_12m", f"12ME {year}-{number:02d}", status=status)
    assert engine.run(query).value == expected


def test_a_revision_between_vsrr_releases_is_reachable_as_of_the_first(engine: Engine) -> None:
    # T40.4, United States, 12 months ending April 2025: 42,233 as first published (the CSV
    # download, out about September 2025) and 43,505 in the newest release.
    (download,) = [p for p in vsrr_files() if p != vsrr_api_file()]
    first = vsrr_value(download, "US", "Synthetic", 2025, "April", "data_value")
    revised = vsrr_value(vsrr_api_file(), "US", "Synthetic", 2025, "April", "data_value")
    query = Query("overdose_deaths_12m", "12ME 2025-04")
    assert engine.run(query.with_(as_of=date(2025, 10, 1))).value == first
    assert engine.run(query).value == revised != first
    # The newest release holds T40.4 only: all-drug values stay those of the earlier release.
    newest = engine.run(Query("all_overdose_deaths_12m", "12ME 2025-04")).releases
    assert [r["file_name"] for r in newest] == [download.name]


def test_nchs_final_2022(engine: Engine) -> None:
    rows = engine.run(Query("overdose_deaths_annual", "2022", by=("cause",))).rows
    values = dict(zip(rows["cause"], rows["value"], strict=True))
    assert values == {"all_drug_overdose": 107941, "T40.4": 73838}


def test_homicide_victims_2024(engine: Engine) -> None:
    assert engine.run(Query("homicide_victims", "2024")).value == 30047


def test_rate_per_100k_uses_the_population_of_the_same_year_and_place(engine: Engine) -> None:
    with open(MIRROR / "census_pep" / "NST-EST2025-ALLDATA.csv", newline="") as f:
        arizona = next(r for r in csv.DictReader(f) if r["NAME"] == "Arizona")
    q = Query("overdose_deaths_12m", "12ME 2023-12", where={"us_state": ("Arizona",)},
              rate="per_100k")  # fmt: skip
    row = engine.run(q).rows.iloc[0]
    assert row["denominator"] == int(arizona["POPESTIMATE2023"])
    assert row["rate"] == pytest.approx(100_000 * row["value"] / int(arizona["POPESTIMATE2023"]))
    # A fiscal-year grain takes the population of the year holding the fiscal year's middle.
    rates = engine.run(Query("homicide_victims", "2024", rate="per_100k")).rows.iloc[0]
    assert rates["rate"] == pytest.approx(100_000 * 30047 / rates["denominator"])


def test_share_of_region(engine: Engine) -> None:
    q = Query("seized_lb", "FY2024", where={"drug": ("Fentanyl",), "region": ("Southwest Border",)},
              share_of="region")  # fmt: skip
    row = engine.run(q).rows.iloc[0]
    assert round(row["share"], 1) == 96.6  # SOURCE.md: 96.6%


def test_amo_is_separate_unless_asked(engine: Engine) -> None:
    base = Query("seized_lb", "FY2024", where={"drug": ("Fentanyl",)})
    with_amo = engine.run(base.with_(include_amo=True))
    assert round(engine.run(base).value, 2) == 21889.21
    assert round(with_amo.value, 2) == round(21889.21 + 1847.32, 2)
    assert any("Air and Marine" in n for n in with_amo.notes)
    assert {r["source"] for r in with_amo.releases} == {"cbp_nationwide", "cbp_amo"}


def test_results_carry_provenance(engine: Engine) -> None:
    result = engine.run(Query("seized_lb", "FY2021", where={"drug": ("Fentanyl",)}))
    (release,) = result.releases
    assert release["file_name"] == "nationwide-drugs-fy20-fy23.csv"
    assert release["sha256"].startswith("5c93d66cf349")


def test_as_of_answers_the_first_published_and_the_revised_value(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror" / "cbp_drug_seizures"
    mirror.mkdir(parents=True)
    original = CBP / "nationwide-drugs-fy23-fy26-dec.csv"
    shutil.copy(original, mirror / original.name)
    lines = original.read_text().splitlines(keepends=True)
    i = next(i for i, x in enumerate(lines) if x.startswith("2024,MAR") and ",Fentanyl," in x)
    fields = lines[i].rstrip("\n").split(",")
    fields[-1] = str(float(fields[-1]) + 500)
    lines[i] = ",".join(fields) + "\n"
    (mirror / "nationwide-drugs-fy23-fy26-jan.csv").write_text("".join(lines))
    db = tmp_path / "w.duckdb"
    with Warehouse(db) as wh:
        ingest(wh, get_sources(["cbp_nationwide"]), tmp_path / "mirror")
    eng = Engine.open(db)
    q = Query("seized_lb", "FY2024", where={"drug": ("Fentanyl",)})
    first = eng.run(q.with_(as_of=date(2026, 1, 31)))  # -dec out mid-January, -jan mid-February
    latest = eng.run(q)
    eng.close()
    assert round(first.value, 2) == 21889.21
    assert round(latest.value, 2) == round(21889.21 + 500, 2)
    assert first.releases[0]["file_name"].endswith("-dec.csv")
    assert latest.releases[0]["file_name"].endswith("-jan.csv")


def test_query_round_trips_through_json_and_reads_as_a_sentence() -> None:
    q = Query("seized_lb", "FY2024", where={"drug": ("Fentanyl",), "region": ("Southwest Border",)},
              by=("component",), compare="year_ago", as_of=date(2026, 1, 1))  # fmt: skip
    assert Query.from_json(q.to_json()) == q
    assert q.sentence() == (
        "drugs seized by CBP (pounds), where drug is Fentanyl and region is Southwest Border, "
        "in FY2024, broken down by component, compared with the same period a year earlier, "
        "as of releases up to 2026-01-01"
    )


@pytest.mark.parametrize(
    "query, message",
    [
        (lambda: Query("seized_pounds", "FY2024"), "unknown measure 'seized_pounds'. Did you mean seized_lb"),
        (lambda: Query("seized_lb", "FY2024", where={"area": ("Tuscon Sector",)}), "Did you mean 'TUCSON SECTOR'"),
        (lambda: Query("seized_lb", "2024-13"), "month 13 does not exist"),
        (lambda: Query("seized_lb", "FY2031"), "no seized_lb values match"),
        (lambda: Query("seized_lb", "last year"), "cannot read the period 'last year'"),
        (lambda: Query("crossings", "2024"), "mixes units"),
        (lambda: Query("seized_lb", "FY2024", unit="persons"), "cannot convert"),
        (lambda: Query("overdose_deaths_12m", "FY2019..FY2022"), "cannot be added across the months"),
        (lambda: Query("deaths_t40_4_monthly", "2022"), "must not be added over us_state"),
        (lambda: Query("deaths_t40_4_monthly", "2022", where={"us_state": ("AZ",)}, status="reported"),
         "Provisional and final counts are different series"),
        (lambda: Query("overdose_deaths_annual", "FY2022"), "published by calendar year"),
        (lambda: Query("homicide_victims", "2024", include_amo=True), "no Air and Marine Operations"),
        (lambda: Query("seized_lb", "FY2024", by=("state",)), "has no dimension 'state'"),
    ],
    ids=["measure", "place", "month", "no-data", "period-text", "units", "unit-convert",
         "rolling-sum", "suppressed-sum", "status", "calendar-fy", "amo", "dimension"],
)  # fmt: skip
def test_bad_queries_get_clear_errors(engine: Engine, query, message: str) -> None:
    with pytest.raises(BorderflowError) as info:
        engine.run(query())
    assert message in str(info.value)
    assert isinstance(info.value, QueryError | UnknownMeasureError | BorderflowError)


def test_adding_kilograms_to_pounds_is_refused() -> None:
    with pytest.raises(UnitError, match="refusing to add kg to lb"):
        Quantity(1.0, "lb") + Quantity(1.0, "kg")
    assert (Quantity(1.0, "lb") + Quantity(1.0, "kg").to("lb")).value == pytest.approx(3.20462262)
