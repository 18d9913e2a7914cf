"""A damaged release never replaces good data: every source, four kinds of damage.

For each source, the real file is loaded into a warehouse; then a damaged copy arrives under the
same name (a re-download): cut at a row boundary, one value made negative, one made ``inf``,
three values made unreadable. Each time the current answers stay exactly as they were, the new
release is stored with the reason it is held back, and ``ingest`` exits 1; accepting the
truncated one makes it current.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from borderflow.cli import app
from borderflow.sources import get_sources
from borderflow.warehouse import Warehouse
from borderflow.warehouse.ingest import ingest
from borderflow.warehouse.sql import observations_as_of
from conftest import MIRROR

runner = CliRunner()

#: source → (folder, file, the column holding values, encoding)
CASES: dict[str, tuple[str, str, str, str]] = {
    "cbp_nationwide": ("cbp_drug_seizures", "nationwide-drugs-fy23-fy26-apr.csv", "Sum Qty (lbs)", "utf-8"),
    "cbp_amo": ("cbp_drug_seizures", "amo-drug-seizures-fy23-fy26-dec.csv", "Sum Qty (lbs)", "utf-8"),
    "bts_crossings": ("bts_border_crossings", "Border_Crossing_Entry_Data_US-Mexico_1996-01_to_2025-02.csv", "Value", "utf-8"),
    "cdc_vsrr": ("cdc_vsrr", "vsrr_t40_4_synthetic_opioids_state_12mo_ending_2015-01_to_2026-01.csv", "data_value", "utf-8"),
    "cdc_wonder": ("cdc_wonder", "Provisional_Mortality_Statistics_2018_to_2025-03_T40.4_state_month.csv", "Deaths", "utf-8"),
    "census_pep": ("census_pep", "NST-EST2025-ALLDATA.csv", "POPESTIMATE2024", "utf-8"),
    "conapo": ("conapo", "pop_states_conapo2023_monthly_1990-2050.csv", "population", "utf-8"),
    "nchs_final": ("nchs_final", "nchs_final_overdose_deaths.csv", "value", "utf-8"),
    "sesnsp_incidence": ("sesnsp", "estatal_n_2026_ene-mar.csv", "Enero", "cp1252"),
    "sesnsp_victims": ("sesnsp", "timeseries_victimas_2015-01_to_2025-01.csv", "total", "utf-8"),
    "un_comtrade": ("un_comtrade", "undata_comtrade_mexico_hs29_1990-2022.csv", "Trade (USD)", "utf-8"),
}  # fmt: skip


def truncated(text: str, column: str) -> str:
    """The file cut at a row boundary, 60% of the way through."""
    lines = text.splitlines(keepends=True)
    return "".join(lines[: max(2, int(len(lines) * 0.6))])


def with_values(replacements: list[str]) -> Callable[[str, str], str]:
    """The file with the value cell of its first rows holding a positive number replaced."""

    def damage(text: str, column: str) -> str:
        rows = list(csv.reader(io.StringIO(text)))
        index = [c.lstrip("\ufeff") for c in rows[0]].index(column)
        todo = list(replacements)
        for row in rows[1:]:
            if todo and _positive(row[index]):
                row[index] = todo.pop(0)
        assert not todo, "not enough values to damage"
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue()

    return damage


def _positive(cell: str) -> bool:
    try:
        return float(cell.replace(",", "")) > 0
    except ValueError:
        return False


DAMAGE: dict[str, Callable[[str, str], str]] = {
    "truncated": truncated,
    "negative": with_values(["-5"]),
    "inf": with_values(["inf"]),
    "rejected_rows": with_values(["n/a", "n/a", "n/a"]),
}


def current_releases(db: Path, source: str) -> set[int]:
    with Warehouse(db, read_only=True) as wh:
        rows = wh.con.execute(
            "SELECT DISTINCT release_id FROM current_observations WHERE source = ?", [source]
        ).fetchall()
    return {int(r) for (r,) in rows}


def current_answers(db: Path, source: str) -> tuple[int, float]:
    with Warehouse(db, read_only=True) as wh:
        ((count, total),) = wh.con.execute(
            "SELECT count(value), round(sum(value), 6) FROM current_observations WHERE source = ?",
            [source],
        ).fetchall()
    return int(count), float(total)


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Per source: a warehouse holding the real file, loaded from a mirror of its own."""
    out = {}
    for source, (folder, name, _, _) in CASES.items():
        root = tmp_path_factory.mktemp(source)
        (root / "mirror" / folder).mkdir(parents=True)
        shutil.copy(MIRROR / folder / name, root / "mirror" / folder / name)
        with Warehouse(root / "w.duckdb") as wh:
            report = ingest(wh, get_sources([source]), root / "mirror")
        assert report.count("loaded") == 1, report.to_dict()
        out[source] = root
    return out


def damaged_copy(good: Path, tmp_path: Path, source: str, kind: str) -> tuple[Path, Path]:
    folder, name, column, encoding = CASES[source]
    shutil.copytree(good / "mirror", tmp_path / "mirror")
    shutil.copy(good / "w.duckdb", tmp_path / "w.duckdb")
    text = (MIRROR / folder / name).read_bytes().decode(encoding)
    (tmp_path / "mirror" / folder / name).write_bytes(DAMAGE[kind](text, column).encode(encoding))
    return tmp_path / "mirror", tmp_path / "w.duckdb"


def ingest_cli(source: str, mirror: Path, db: Path) -> tuple[int, dict]:
    args = ["ingest", source, "--mirror", str(mirror), "--db", str(db), "--json"]
    result = runner.invoke(app, args)
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("kind", DAMAGE)
@pytest.mark.parametrize("source", CASES)
def test_a_damaged_release_is_quarantined_and_the_record_unchanged(
    good: dict[str, Path], tmp_path: Path, source: str, kind: str
) -> None:
    mirror, db = damaged_copy(good[source], tmp_path, source, kind)
    before = current_answers(db, source)
    code, report = ingest_cli(source, mirror, db)
    (outcome,) = report["files"]
    if (source, kind) == ("nchs_final", "truncated"):
        # One value per figure: a cut removes whole figures, which the earlier release still
        # provides (a release is current only for the slices it holds), so nothing is lost.
        assert (code, outcome["status"]) == (0, "loaded")
        assert current_answers(db, source) == before
        return
    assert (code, outcome["status"]) == (1, "quarantined"), outcome
    assert "held back, not made current" in outcome["message"]
    assert current_answers(db, source) == before
    with Warehouse(db, read_only=True) as wh:
        release = next(r for r in wh.read.releases() if r["release_id"] == outcome["release_id"])
    assert release["quarantine"] and release["observations"] > 0  # kept, inspectable by id


@pytest.mark.parametrize("source", CASES)
def test_accepting_a_quarantined_release_makes_it_current(
    good: dict[str, Path], tmp_path: Path, source: str
) -> None:
    mirror, db = damaged_copy(good[source], tmp_path, source, "rejected_rows")
    _, report = ingest_cli(source, mirror, db)
    release_id = report["files"][0]["release_id"]
    assert release_id not in current_releases(db, source)
    accepted = runner.invoke(app, ["accept", str(release_id), "--db", str(db), "--json"])
    assert accepted.exit_code == 0, accepted.output
    assert json.loads(accepted.stdout)["quarantine"] is None
    assert release_id in current_releases(db, source)  # its values are now the record


def test_a_first_release_is_never_held_back_and_accept_partial_loads(tmp_path: Path) -> None:
    folder, name, column, encoding = CASES["cbp_nationwide"]
    (tmp_path / "mirror" / folder).mkdir(parents=True)
    text = (MIRROR / folder / name).read_bytes().decode(encoding)
    damaged = with_values(["n/a"])(text, column)
    (tmp_path / "mirror" / folder / name).write_text(damaged, encoding)
    code, report = ingest_cli("cbp_nationwide", tmp_path / "mirror", tmp_path / "w.duckdb")
    assert (code, report["files"][0]["status"]) == (0, "loaded")  # nothing to supersede
    good = tmp_path / "good"
    (good / folder).mkdir(parents=True)
    shutil.copy(MIRROR / folder / name, good / folder / name)
    args = ["ingest", "cbp_nationwide", "--mirror", str(good), "--db", str(tmp_path / "w.duckdb"),
            "--json", "--accept-partial"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0 and json.loads(result.stdout)["files"][0]["status"] == "loaded"


def test_a_revision_posted_under_the_same_name_gets_its_own_vintage(
    good: dict[str, Path], tmp_path: Path
) -> None:
    mirror, db = damaged_copy(good["cbp_nationwide"], tmp_path, "cbp_nationwide", "truncated")
    folder, name, column, _ = CASES["cbp_nationwide"]
    revised = with_values(["123456"])((MIRROR / folder / name).read_text(), column)
    (mirror / folder / name).write_text(revised)  # a value revised within its range
    code, report = ingest_cli("cbp_nationwide", mirror, db)
    assert (code, report["files"][0]["status"]) == (0, "loaded")
    with Warehouse(db, read_only=True) as wh:
        first, second = sorted(wh.read.releases(), key=lambda r: r["release_id"])
        assert second["vintage"] > first["vintage"]
        as_first = wh.con.execute(
            "SELECT sum(value) FROM (" + observations_as_of(first["vintage"]) + ") "
            "WHERE measure = 'seizure_weight'"
        ).fetchall()
    assert as_first == [(sum_of_file(MIRROR / folder / name, column),)]


def sum_of_file(path: Path, column: str) -> float:
    with open(path, newline="") as f:
        return pytest.approx(sum(float(r[column]) for r in csv.DictReader(f)))  # type: ignore[return-value]


def test_a_10_mb_line_is_refused_naming_the_file_and_the_next_files_still_load(
    tmp_path: Path,
) -> None:
    folder, name, _, _ = CASES["cbp_nationwide"]
    (tmp_path / "mirror" / folder).mkdir(parents=True)
    head = (MIRROR / folder / name).read_bytes()[:2000].rsplit(b"\n", 1)[0]
    (tmp_path / "mirror" / folder / name).write_bytes(head + b"\n" + b"9" * (10 << 20) + b"\n")
    vsrr_folder, vsrr_name, _, _ = CASES["cdc_vsrr"]
    (tmp_path / "mirror" / vsrr_folder).mkdir(parents=True)
    shutil.copy(MIRROR / vsrr_folder / vsrr_name, tmp_path / "mirror" / vsrr_folder / vsrr_name)
    args = ["ingest", "cbp_nationwide", "cdc_vsrr", "--mirror", str(tmp_path / "mirror"),
            "--db", str(tmp_path / "w.duckdb"), "--json"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    files = {f["file"]: f for f in json.loads(result.stdout)["files"]}
    refused = files[name]
    assert refused["status"] == "refused"
    lines = head.count(b"\n") + 2
    assert refused["message"].startswith(f"{name}: line {lines} is longer than 1,048,576 bytes")
    assert files[vsrr_name]["status"] == "loaded"
