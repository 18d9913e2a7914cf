"""The CLI's contract: output shape, --json, exit codes and messages."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from borderflow.cli import app
from borderflow.warehouse.ingest import IngestReport

runner = CliRunner()


def test_sources_json_lists_every_source_with_coverage(loaded: tuple[Path, IngestReport]) -> None:
    db, _ = loaded
    result = runner.invoke(app, ["sources", "--json", "--db", str(db)])
    assert result.exit_code == 0
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    assert rows["cbp_nationwide"]["latest_file"] == "nationwide-drugs-fy23-fy26-dec.csv"
    assert rows["cbp_nationwide"]["first_period"] == "2018-10-01"
    assert rows["cdc_vsrr"]["last_period"] == "2026-01-31"
    assert all(r["releases"] >= 1 for r in rows.values())


def test_releases_json_carries_hashes(loaded: tuple[Path, IngestReport]) -> None:
    db, _ = loaded
    result = runner.invoke(app, ["releases", "--json", "--source", "cdc_vsrr", "--db", str(db)])
    assert result.exit_code == 0
    (release,) = json.loads(result.stdout)
    assert release["sha256"] == "71535fc385706401c88a1016558f2a9b805fd4b41ae80e22d593172f4e99af0e"
    assert release["rows_read"] == 6916 and release["state"] == "loaded"


def test_issues_of_a_release(loaded: tuple[Path, IngestReport]) -> None:
    db, report = loaded
    nchs = next(o for o in report.outcomes if o.source == "nchs_final")
    result = runner.invoke(app, ["issues", str(nchs.release_id), "--json", "--db", str(db)])
    assert result.exit_code == 0
    issues = json.loads(result.stdout)
    errors = [(i["row"], i["kind"], i["column"]) for i in issues if i["severity"] == "error"]
    assert errors == [(9, "unparseable_number", "value")]


def test_every_file_of_the_mirror_loads_and_a_second_run_loads_nothing(
    loaded: tuple[Path, IngestReport],
) -> None:
    db, report = loaded
    assert report.count("refused") == 0 and report.count("loaded") == 22
    from conftest import MIRROR

    again = runner.invoke(app, ["ingest", "--mirror", str(MIRROR), "--db", str(db), "--json"])
    assert again.exit_code == 0
    summary = json.loads(again.stdout)
    assert (summary["loaded"], summary["unchanged"], summary["refused"]) == (0, 22, 0)


def test_unknown_source_suggests_the_nearest_and_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", "cbp_nationwid", "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 2
    assert "unknown source 'cbp_nationwid'. Did you mean cbp_nationwide" in result.stderr


def test_missing_mirror_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["ingest", "--mirror", str(tmp_path / "nope"), "--db", str(tmp_path / "w.duckdb")]
    )
    assert result.exit_code == 2
    assert "the mirror folder" in result.stderr and "does not exist" in result.stderr


def test_releases_without_a_warehouse_says_run_ingest(tmp_path: Path) -> None:
    result = runner.invoke(app, ["releases", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "Run `borderflow ingest` first" in result.stderr
