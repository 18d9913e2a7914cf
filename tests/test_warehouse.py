"""Warehouse semantics on the real CBP files: totals, overlapping windows, re-ingest, revisions."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from borderflow.sources import get_sources
from borderflow.warehouse import Warehouse, sql
from borderflow.warehouse.ingest import ingest
from borderflow.warehouse.migrations import MIGRATIONS
from conftest import MIRROR
from reference import cbp_fentanyl_by_fy, cbp_last_month, newest_cbp_file

CBP = "cbp_drug_seizures"

# Fiscal year of a month: October–December belong to the next fiscal year.
FY_TOTALS = """
    SELECT year(period_start + INTERVAL 3 MONTH) AS fy, sum(value) AS lb
    FROM ({relation}) WHERE source = 'cbp_nationwide' AND measure = 'seizure_weight'
      AND drug = 'Fentanyl' {where}
    GROUP BY fy ORDER BY fy
"""


def fentanyl_by_fy(
    wh: Warehouse, where: str = "", relation: str = "SELECT * FROM current_observations"
) -> dict[int, float]:
    rows = wh.con.execute(FY_TOTALS.format(relation=relation, where=where)).fetchall()
    return {int(fy): round(lb, 2) for fy, lb in rows}


def test_fentanyl_nationwide_fy_totals_match_the_csv_sums(warehouse: Warehouse) -> None:
    # SOURCE.md table, recomputable with: awk -F, '$7=="Fentanyl"{s[substr($1,1,4)]+=$9}' …
    totals = fentanyl_by_fy(warehouse)
    assert totals[2019] == 2803.60
    assert totals[2023] == 27022.85
    assert totals[2024] == 21889.21
    assert totals[2026] == round(cbp_fentanyl_by_fy()[2026], 2)  # the newest release's months
    as_published_in_december = sql.observations_as_of(date(2026, 2, 1))
    assert fentanyl_by_fy(warehouse, relation=as_published_in_december)[2026] == 3398.28


def test_fentanyl_southwest_border_fy2024(warehouse: Warehouse) -> None:
    totals = fentanyl_by_fy(warehouse, "AND region = 'Southwest Border'")
    assert totals[2024] == 21148.15
    assert totals[2019] == 2633.29


def test_overlapping_windows_agree_and_are_counted_once(warehouse: Warehouse) -> None:
    releases = {r["file_name"]: r["release_id"] for r in warehouse.read.releases()}
    older = fentanyl_by_fy(
        warehouse,
        relation=f"SELECT *, 'cbp_nationwide' AS source FROM observations "
        f"WHERE release_id = {releases['nationwide-drugs-fy19-fy22.csv']}",
    )
    newer = fentanyl_by_fy(
        warehouse,
        relation=f"SELECT *, 'cbp_nationwide' AS source FROM observations "
        f"WHERE release_id = {releases['nationwide-drugs-fy20-fy23.csv']}",
    )
    for fy in (2020, 2021, 2022):
        assert older[fy] == newer[fy]
    # Current values take FY2020–FY2022 from one window only: the totals are not doubled.
    assert fentanyl_by_fy(warehouse)[2021] == 11201.32


def test_every_current_value_comes_from_the_newest_window_covering_it(warehouse: Warehouse) -> None:
    rows = warehouse.con.execute(
        """SELECT year(period_start + INTERVAL 3 MONTH) AS fy, list(DISTINCT file_name)
           FROM current_observations WHERE source = 'cbp_nationwide' GROUP BY fy ORDER BY fy"""
    ).fetchall()
    files = {fy: names for fy, names in rows}
    assert files[2019] == ["nationwide-drugs-fy19-fy22.csv"]
    assert files[2022] == ["nationwide-drugs-fy20-fy23.csv"]
    assert files[2023] == [newest_cbp_file().name]


def test_vintages_are_publication_dates_beside_the_month_data_run_through(
    warehouse: Warehouse,
) -> None:
    releases = {r["file_name"]: r for r in warehouse.read.releases()}
    newest = releases[newest_cbp_file().name]
    # CBP posts a month's figures about the middle of the next month.
    through = cbp_last_month()
    assert newest["data_through"] == through
    assert newest["vintage"] == date(through.year + through.month // 12, through.month % 12 + 1, 15)
    # A known file keeps its recorded date; VSRR's earlier release came out about September 2025.
    vsrr = releases["VSRR_Provisional_Drug_Overdose_Death_Counts_US_2015-01_to_2025-04.csv"]
    assert (vsrr["vintage"], vsrr["data_through"]) == (date(2025, 9, 15), date(2025, 4, 1))


def test_reingesting_the_same_files_loads_nothing(tmp_path: Path) -> None:
    sources = get_sources(["cbp_amo"])
    with Warehouse(tmp_path / "w.duckdb") as wh:
        first = ingest(wh, sources, MIRROR)
        count = wh.con.execute("SELECT count(*) FROM observations").fetchone()
        second = ingest(wh, sources, MIRROR)
        assert wh.con.execute("SELECT count(*) FROM observations").fetchone() == count
        assert wh.con.execute("SELECT count(*) FROM releases").fetchone() == (3,)
    assert first.count("loaded") == 3
    assert second.count("unchanged") == 3 and second.count("loaded") == 0


def test_a_revised_release_supersedes_and_the_old_value_stays_queryable(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    (mirror / CBP).mkdir(parents=True)
    original = MIRROR / CBP / "nationwide-drugs-fy23-fy26-dec.csv"
    shutil.copy(original, mirror / CBP / original.name)
    # A later window ("-jan") that revises one December 2025 fentanyl cell.
    lines = original.read_text().splitlines(keepends=True)
    index = next(
        i
        for i, line in enumerate(lines)
        if line.startswith("2026 (FYTD),DEC") and ",Fentanyl," in line
    )
    fields = lines[index].rstrip("\r\n").split(",")
    old_value = float(fields[-1])
    fields[-1] = str(old_value + 100)
    lines[index] = ",".join(fields) + "\n"
    (mirror / CBP / "nationwide-drugs-fy23-fy26-jan.csv").write_text("".join(lines))

    with Warehouse(tmp_path / "w.duckdb") as wh:
        report = ingest(wh, get_sources(["cbp_nationwide"]), mirror)
        assert report.count("loaded") == 2
        current = fentanyl_by_fy(wh)[2026]
        as_of_dec = fentanyl_by_fy(wh, relation=sql.observations_as_of(date(2026, 1, 31)))[2026]
    assert as_of_dec == 3398.28
    assert current == round(3398.28 + 100, 2)


def test_migrations_are_recorded_once(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    Warehouse(path).close()
    with Warehouse(path) as wh:
        names = [
            r[0]
            for r in wh.con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()
        ]
    assert names == [name for name, _ in MIGRATIONS]


def test_read_only_open_of_a_missing_warehouse_says_what_to_do(tmp_path: Path) -> None:
    from borderflow.errors import WarehouseError

    with pytest.raises(WarehouseError, match="Run `borderflow ingest` first"):
        Warehouse(tmp_path / "absent.duckdb", read_only=True)


def test_a_file_failing_mid_batch_leaves_the_files_before_it_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ingest writes all files in one transaction; a failure while loading one file rolls that
    back, and the files before it are loaded again, one transaction each."""
    amo = sorted((MIRROR / CBP).glob("amo-*.csv"))
    load_release = Warehouse.load_release

    def fail_on_the_last(self: Warehouse, record, *args, **kwargs):  # type: ignore[no-untyped-def]
        release_id = load_release(self, record, *args, **kwargs)
        if record.file_name == amo[-1].name:
            raise RuntimeError("disk gone")
        return release_id

    monkeypatch.setattr(Warehouse, "load_release", fail_on_the_last)
    with Warehouse(tmp_path / "w.duckdb") as wh:
        threads = wh.con.execute("SELECT current_setting('threads')").fetchone()
        with pytest.raises(RuntimeError, match="disk gone"):
            ingest(wh, get_sources(["cbp_amo"]), MIRROR)
        # The batch ran DuckDB on one thread; the setting is back as it was.
        assert wh.con.execute("SELECT current_setting('threads')").fetchone() == threads
        loaded = wh.con.execute(
            "SELECT file_name, observations FROM releases WHERE state = 'loaded' ORDER BY 1"
        ).fetchall()
        values = wh.con.execute("SELECT count(*) FROM observations").fetchone()
    assert [name for name, _ in loaded] == [path.name for path in amo[:-1]]
    assert values == (sum(n for _, n in loaded),)
    with Warehouse(tmp_path / "fresh.duckdb") as wh:
        monkeypatch.setattr(Warehouse, "load_release", load_release)
        report = ingest(wh, get_sources(["cbp_amo"]), MIRROR)
    normally = [o.observations for o in report.outcomes if o.status == "loaded"]
    assert [n for _, n in loaded] == normally[:-1]  # as many values as a normal load
