"""The CLI's contract: output shape, --json, exit codes and messages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from borderflow.cli import app
from borderflow.sources import get_sources
from borderflow.warehouse.ingest import IngestReport
from conftest import MIRROR
from reference import (
    cbp_fentanyl_by_fy,
    cbp_months_of_fy,
    newest_cbp_file,
    vsrr_api_file,
    vsrr_value,
)

runner = CliRunner()


def test_sources_json_lists_every_source_with_coverage(loaded: tuple[Path, IngestReport]) -> None:
    db, _ = loaded
    result = runner.invoke(app, ["sources", "--json", "--db", str(db)])
    assert result.exit_code == 0
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    assert rows["cbp_nationwide"]["latest_file"] == newest_cbp_file().name
    assert rows["cbp_nationwide"]["first_period"] == "2018-10-01"
    assert rows["cdc_vsrr"]["last_period"] == "2026-01-31"
    assert all(r["releases"] >= 1 for r in rows.values())


def test_releases_json_carries_hashes(loaded: tuple[Path, IngestReport]) -> None:
    db, _ = loaded
    result = runner.invoke(app, ["releases", "--json", "--source", "cdc_vsrr", "--db", str(db)])
    assert result.exit_code == 0
    releases = {r["file_name"]: r for r in json.loads(result.stdout)}
    assert set(releases) == {p.name for p in (MIRROR / "cdc_vsrr").glob("*.csv")}
    release = releases["vsrr_t40_4_synthetic_opioids_state_12mo_ending_2015-01_to_2026-01.csv"]
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
    files = sum(len(source.files_in(MIRROR)) for source in get_sources())
    assert report.count("refused") == 0 and report.count("loaded") == files

    again = runner.invoke(app, ["ingest", "--mirror", str(MIRROR), "--db", str(db), "--json"])
    assert again.exit_code == 0, again.stderr
    summary = json.loads(again.stdout)
    assert (summary["loaded"], summary["unchanged"], summary["refused"]) == (0, files, 0)


def test_every_data_file_of_the_mirror_is_loaded_or_skipped_with_a_reason(
    loaded: tuple[Path, IngestReport],
) -> None:
    _, report = loaded
    data_files = {
        f"{p.parent.name}/{p.name}"
        for p in MIRROR.glob("*/*")
        if p.is_file() and p.suffix != ".md" and not p.name.startswith(".")
    }
    # sources shipped in the package (the registry) load their own files, on any mirror
    data_files |= {
        f"{s.folder}/{p.name}"
        for s in get_sources()
        for _, p in s.files_in(MIRROR)
        if not p.is_relative_to(MIRROR)
    }
    by_status = {
        status: {
            f"{s.folder}/{o.file}"
            for o in report.outcomes
            for s in get_sources([o.source])
            if o.status == status
        }
        for status in ("loaded", "skipped")
    }
    assert by_status["loaded"] | by_status["skipped"] == data_files
    skipped = [o for o in report.outcomes if o.status == "skipped"]
    assert skipped and all(o.message for o in skipped) and not report.unknown


def test_a_file_no_loader_takes_is_listed_and_exits_1(tmp_path: Path) -> None:
    folder = tmp_path / "mirror" / "cdc_vsrr"
    folder.mkdir(parents=True)
    (folder / "SOURCE.md").write_text("notes, not data")
    (folder / "overdose_counts_copy.csv").write_text("state,year\nUS,2024\n")
    args = ["ingest", "cdc_vsrr", "--mirror", str(tmp_path / "mirror"),
            "--db", str(tmp_path / "w.duckdb"), "--json"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    (outcome,) = json.loads(result.stdout)["files"]
    assert (outcome["file"], outcome["status"]) == ("overdose_counts_copy.csv", "skipped")
    assert "no loader takes this file in cdc_vsrr/" in outcome["message"]


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


def test_query_json_answer_with_provenance(loaded: tuple[Path, IngestReport]) -> None:
    db, _ = loaded
    args = ["query", "seized_lb", "-p", "FY2024", "-w", "drug=Fentanyl", "-w",
            "region=Southwest Border", "--compare", "year_ago", "--json", "--db", str(db)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    (row,) = answer["rows"]
    assert round(row["value"], 2) == 21148.15 and round(row["previous"], 2) == 26717.83
    assert answer["releases"][0]["file_name"] == newest_cbp_file().name
    assert answer["sentence"].startswith("drugs seized by CBP (pounds), where drug is Fentanyl")


def test_query_table_csv_and_export(loaded: tuple[Path, IngestReport], tmp_path: Path) -> None:
    db, _ = loaded
    out = tmp_path / "fy.parquet"
    args = ["query", "seized_lb", "-p", "FY2019..FY2026", "-w", "drug=Fentanyl",
            "--grain", "fiscal_year", "--db", str(db), "--export", str(out)]  # fmt: skip
    table = runner.invoke(app, args)
    assert table.exit_code == 0
    fy2026 = f"FY2026: {cbp_months_of_fy(2026)} of 12 months have data."
    assert "27,022.85" in table.stdout and fy2026 in table.stdout
    import pandas as pd

    expected = sum(cbp_fentanyl_by_fy().values())  # 97,833.48 with the December release
    assert round(pd.read_parquet(out)["value"].sum(), 2) == round(expected, 2)
    csv_out = runner.invoke(app, [*args[:-2], "--csv"])
    assert csv_out.stdout.splitlines()[0].startswith("period,first_month,last_month,months")


def test_bad_query_exits_2_with_a_suggestion(loaded: tuple[Path, IngestReport]) -> None:
    db, _ = loaded
    result = runner.invoke(app, ["query", "seized_lbs", "-p", "FY2024", "--db", str(db)])
    assert result.exit_code == 2
    assert "unknown measure 'seized_lbs'. Did you mean seized_lb" in result.stderr


def test_measures_and_members(loaded: tuple[Path, IngestReport]) -> None:
    db, _ = loaded
    measures = json.loads(runner.invoke(app, ["measures", "--json"]).stdout)
    assert {"seized_lb", "overdose_deaths_12m", "homicide_victims"} <= {m["name"] for m in measures}
    members = runner.invoke(app, ["members", "seized_lb", "region", "--json", "--db", str(db)])
    assert json.loads(members.stdout) == ["Coastal/Interior", "Northern Border", "Southwest Border"]


# -- what a user meets first: exact messages and exit codes ---------------------------------------


def test_version_prints_and_exits_0() -> None:
    from borderflow import __version__

    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"borderflow {__version__}\n")


def test_counts_print_without_decimals(loaded: tuple[Path, IngestReport]) -> None:
    db, _ = loaded
    args = ["query", "homicide_victims", "-p", "2024", "-w", "mx_state=Sinaloa", "--db", str(db)]
    answer = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    (row,) = answer["rows"]
    table = runner.invoke(app, args)
    assert table.exit_code == 0
    assert re.search(rf"│ 2024 +│ +{row['value']:,.0f} │", table.stdout)  # 994, not 994.00
    assert f"{row['value']:,.2f}" not in table.stdout
    assert "unit: victims" in table.stdout


def test_query_description_is_one_line_above_the_table(loaded: tuple[Path, IngestReport]) -> None:
    db, _ = loaded
    args = ["query", "homicide_victims", "-p", "2024", "-w", "mx_state=Sinaloa", "--db", str(db)]
    sentence = json.loads(runner.invoke(app, [*args, "--json"]).stdout)["sentence"]
    first = runner.invoke(app, args).stdout.splitlines()[0]
    assert first == sentence  # not wrapped to the table's width


def test_ports_are_shown_by_name(loaded: tuple[Path, IngestReport]) -> None:
    db, _ = loaded
    members = runner.invoke(app, ["members", "crossings", "port", "--db", str(db)])
    assert members.exit_code == 0 and "Laredo (2304)\n" in members.stdout
    codes = json.loads(
        runner.invoke(app, ["members", "crossings", "port", "--json", "--db", str(db)]).stdout
    )
    assert "2304" in codes  # machines keep the stored codes
    by_port = runner.invoke(
        app,
        ["query", "crossings", "-p", "2024", "-w", "conveyance=Trucks", "--by", "port",
         "--rank", "--db", str(db)],
    )  # fmt: skip
    first_row = next(line for line in by_port.stdout.splitlines() if line.startswith("│ 2024"))
    assert "Laredo (2304)" in first_row and "│    1 │" in first_row


def test_rank_by_rate_lists_rows_in_rank_order(loaded: tuple[Path, IngestReport]) -> None:
    """README's example: ranked by the rate asked for, rows in rank order."""
    db, _ = loaded
    args = ["query", "overdose_deaths_12m", "-p", "12ME 2023-12", "--by", "us_state",
            "--rate", "per_100k", "--rank", "--db", str(db)]  # fmt: skip
    rows = json.loads(runner.invoke(app, [*args, "--json"]).stdout)["rows"]
    ranked = [r for r in rows if r["rank"] is not None]
    assert [r["rank"] for r in ranked] == sorted(r["rank"] for r in ranked)
    rates = [r["rate"] for r in ranked]
    assert rates == sorted(rates, reverse=True) and ranked[0]["rank"] == 1
    # the rate is the CSV's count over the Census population: West Virginia's, for one
    wv = next(r for r in rows if r["us_state"] == "WV")
    deaths = vsrr_value(vsrr_api_file(), "WV", "Synthetic", 2023, "December", "data_value")
    assert wv["value"] == deaths
    assert wv["rate"] == pytest.approx(100_000 * deaths / wv["denominator"], rel=1e-12)
    assert all(r["rank"] is None for r in rows[len(ranked) :])  # unranked ones last
    table = runner.invoke(app, args).stdout
    assert "ranked by rate" in table.splitlines()[0]


def test_issues_of_a_release_that_does_not_exist_exits_2(
    loaded: tuple[Path, IngestReport],
) -> None:
    db, _ = loaded
    result = runner.invoke(app, ["issues", "999", "--db", str(db)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: no release 999 in the warehouse at {db}; `borderflow releases` lists them.\n"
    )


def test_check_of_a_folder_says_it_is_a_folder_and_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path), "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path} is a folder; give a text, Markdown or HTML file, or - for stdin.\n"
    )


def test_sources_without_a_warehouse_says_so_and_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "none.duckdb"
    result = runner.invoke(app, ["sources", "--db", str(missing)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: no warehouse at {missing}: create it with `borderflow ingest --mirror DIR` "
        "(or pass --db FILE).\n"
    )
    assert not missing.exists()


def test_expected_quirks_of_a_loaded_file_are_notes(tmp_path: Path) -> None:
    args = ["ingest", "nchs_final", "--mirror", str(MIRROR), "--db", str(tmp_path / "w.duckdb")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (
        "  note: nchs_final_overdose_deaths.csv, row 9, column 'value': '>63600' is a bound"
        in result.stderr
    )
    assert "error:" not in result.stderr


def test_no_data_error_reads_as_words(loaded: tuple[Path, IngestReport]) -> None:
    db, _ = loaded
    args = ["query", "seized_lb", "-p", "FY1899", "-w", "drug=Fentanyl", "--db", str(db)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: no seized_lb values match: FY1899 where drug is Fentanyl. Check the period "
        "against `borderflow sources` coverage.\n"
    )


def test_messages_follow_borderflow_lang(loaded: tuple[Path, IngestReport], tmp_path: Path) -> None:
    from test_report import english_leaks

    db, _ = loaded
    spanish = {"BORDERFLOW_LANG": "es"}
    missing = runner.invoke(app, ["issues", "999", "--db", str(db)], env=spanish)
    assert missing.exit_code == 2
    assert missing.stderr == (
        f"Error: no existe la publicación 999 en el almacén {db}; `borderflow releases` las "
        "enumera.\n"
    )
    nowhere = runner.invoke(app, ["sources", "--db", str(tmp_path / "x.duckdb")], env=spanish)
    assert nowhere.exit_code == 2 and "créelo con `borderflow ingest" in nowhere.stderr
    ingest = runner.invoke(
        app,
        ["ingest", "nchs_final", "--mirror", str(MIRROR), "--db", str(tmp_path / "w.duckdb")],
        env=spanish,
    )
    assert "  nota: nchs_final_overdose_deaths.csv, fila 9, columna 'value'" in ingest.stderr
    for result in (missing, nowhere):
        assert english_leaks(result.stderr) == []
