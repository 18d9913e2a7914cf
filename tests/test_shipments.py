"""Shipment records: the synthetic generator adds up to UN Comtrade, the bulk ingest keeps
provenance and refuses bad input by file, row and column, and the metrics layer answers on them.

Every expected total is read from the mirror's UN Comtrade CSVs with the ``csv`` module, not
through borderflow's own parser.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from borderflow.cli import app
from borderflow.errors import BorderflowError
from borderflow.metrics import Engine, Query, QueryError
from borderflow.shipments.generate import MANIFEST, generate_shipments
from borderflow.shipments.ingest import RefusedLoad, ingest_shipments
from borderflow.sources import all_sources
from borderflow.warehouse import Warehouse
from conftest import MIRROR

ROWS = 20_000  # a few records for each of the 4,621 reporter × year × HS line cells
YEARS = range(2018, 2023)
FILES = {
    "MEX": "undata_comtrade_mexico_hs29_1990-2022.csv",
    "CHN": "undata_comtrade_china_hs29_1992-2022.csv",
    "IND": "undata_comtrade_india_hs29_1988-2022.csv",
}
HEADER = "arrival_date,port_of_unlading,port_of_lading,shipper_country,consignee_country," \
    "hs_code,weight_kg,value_usd,conveyance\n"  # fmt: skip
GOOD_ROW = "2022-03-04,MXZLO,CNSHA,CHN,MEX,293339,1200,45000,vessel\n"


def comtrade_imports() -> dict[tuple[str, int, str], tuple[int, int | None]]:
    """(consignee, year, HS line) → (value USD, weight kg or None), rounded, from the raw CSVs."""
    found = {}
    for iso3, name in FILES.items():
        with (MIRROR / "un_comtrade" / name).open(newline="", encoding="utf-8") as stream:
            for row in csv.DictReader(stream):
                year = int(row["Year"])
                if row["Flow"] != "Import" or year not in YEARS or len(row["Comm. Code"]) != 6:
                    continue
                value = round(float(row["Trade (USD)"]))
                weight = round(float(row["Weight (kg)"])) if row["Weight (kg)"] else None
                if value >= 1:
                    found[(iso3, year, row["Comm. Code"])] = (value, weight)
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("shipments") / "set"
    generate_shipments(out, ROWS, 7, MIRROR, YEARS)
    return out


@pytest.fixture(scope="module")
def db(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wh") / "bf.duckdb"
    with Warehouse(path) as warehouse:
        ingest_shipments(warehouse, generated)
    return path


@pytest.fixture(scope="module")
def engine(db: Path) -> Iterator[Engine]:
    with Engine.open(db) as opened:
        yield opened


def sums(folder: Path) -> dict[tuple[str, int, str], tuple[int, int, int]]:
    rows = (
        duckdb.connect()
        .execute(
            "SELECT consignee_country, year(arrival_date), hs_code, sum(value_usd), sum(weight_kg), "
            f"count(*) FROM read_parquet('{folder}/**/*.parquet', hive_partitioning = false) "
            "GROUP BY ALL"
        )
        .fetchall()
    )
    return {(c, y, h): (int(v), int(w), int(n)) for c, y, h, v, w, n in rows}


def test_every_hs_line_adds_up_to_the_reporters_declared_imports(generated: Path) -> None:
    expected = comtrade_imports()
    got = sums(generated)
    assert len(expected) == 4621 and set(got) == set(expected)
    assert all(got[key][0] == value for key, (value, _) in expected.items())
    weighed = [key for key, (_, weight) in expected.items() if weight is not None]
    assert len(weighed) == 4007
    assert all(got[key][1] == expected[key][1] for key in weighed)
    assert sum(n for _, _, n in got.values()) == ROWS
    # Mexico's 2022 imports of HS 2933.39 (NPP and ANPP sat here before HS2022), as declared.
    assert got[("MEX", 2022, "293339")][0] == expected[("MEX", 2022, "293339")][0] == 170_409_945


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    def digests(out: Path, seed: int) -> list[str]:
        made = generate_shipments(out, 5000, seed, MIRROR, range(2022, 2023))
        return [hashlib.sha256(f.read_bytes()).hexdigest() for f in made.files]

    first = digests(tmp_path / "a", 3)
    assert digests(tmp_path / "b", 3) == first
    assert digests(tmp_path / "c", 4) != first
    assert '"synthetic": true' in (tmp_path / "a" / MANIFEST).read_text()


def test_too_few_rows_or_a_foreign_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BorderflowError, match="--rows must be between 4,621"):
        generate_shipments(tmp_path / "x", 100, 1, MIRROR, YEARS)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(BorderflowError, match="holds no synthetic set"):
        generate_shipments(tmp_path / "mine", 5000, 1, MIRROR, range(2022, 2023))
    assert (tmp_path / "mine" / "notes.txt").exists()


def test_each_partition_is_a_release_and_each_row_points_into_its_file(
    db: Path, generated: Path
) -> None:
    con = duckdb.connect(str(db), read_only=True)
    releases = con.execute(
        "SELECT release_id, series, sha256, rows_loaded, message FROM releases "
        "WHERE source = 'shipments' ORDER BY series"
    ).fetchall()
    assert len(releases) == 15 and sum(r[3] for r in releases) == ROWS
    release_id, series, sha256, _, message = releases[-1]
    path = generated / series
    assert series == "consignee_country=MEX/year=2022/part-0.parquet"
    assert sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert message.startswith("SYNTHETIC")
    row = con.execute(
        "SELECT source_row, arrival_date, hs_code, value_usd FROM shipments "
        "WHERE release_id = ? ORDER BY value_usd DESC LIMIT 1",
        [release_id],
    ).fetchone()
    assert row is not None
    in_file = pq.read_table(path).slice(row[0] - 1, 1).to_pylist()[0]
    assert (in_file["arrival_date"], in_file["hs_code"], in_file["value_usd"]) == row[1:]


def test_bad_rows_are_issues_naming_file_row_and_column(tmp_path: Path) -> None:
    folder = tmp_path / "real"
    folder.mkdir()
    (folder / "2022-03.csv").write_text(
        HEADER
        + GOOD_ROW
        + "2022-02-30,MXZLO,CNSHA,CHN,MEX,293339,1200,45000,vessel\n"
        + "2022-03-05,MXZLO,CNSHA,CHN,MEX,293339,-5,45000,vessel\n"
        + "2022-03-05,MXZLO,CNSHA,CHN,MEX,29333,10,45000,vessel\n"
        + "2022-03-05,MXZLO,CNSHA,XXX,MEX,293339,10,45000,vessel\n"
        + "2022-03-05,MXZLO,CNSHA,CHN,MEX,293339,10,45000,camel\n"
        + GOOD_ROW
    )
    path = tmp_path / "bf.duckdb"
    with Warehouse(path) as warehouse:
        report = ingest_shipments(warehouse, folder)
        issues = warehouse.con.execute(
            'SELECT file, "row", "column", kind, value, message FROM issues ORDER BY "row"'
        ).fetchall()
    assert (report.rows_loaded, report.rows_rejected, report.synthetic) == (2, 5, False)
    assert [(f, r, c, k) for f, r, c, k, _, _ in issues] == [
        ("2022-03.csv", 3, "arrival_date", "unparseable_period"),
        ("2022-03.csv", 4, "weight_kg", "out_of_range"),
        ("2022-03.csv", 5, "hs_code", "unknown_category"),
        ("2022-03.csv", 6, "shipper_country", "unknown_category"),
        ("2022-03.csv", 7, "conveyance", "unknown_category"),
    ]
    assert issues[0][4:] == ("2022-02-30", "arrival_date '2022-02-30' is not a date (YYYY-MM-DD); "
                             "row skipped")  # fmt: skip


def test_a_malformed_partition_refuses_the_load_and_keeps_the_last_good_state(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "real"
    folder.mkdir()
    (folder / "2022-03.csv").write_text(HEADER + GOOD_ROW)
    path = tmp_path / "bf.duckdb"
    with Warehouse(path) as warehouse:
        ingest_shipments(warehouse, folder)
        (folder / "2022-04.csv").write_text(HEADER + GOOD_ROW.replace("03-04", "04-04"))
        (folder / "2022-05.parquet").write_bytes(b"PAR1 not really parquet")
        with pytest.raises(RefusedLoad, match=r"2022-05.parquet cannot be read .* as it was"):
            ingest_shipments(warehouse, folder)
        con = warehouse.con
        assert con.execute("SELECT count(*) FROM shipments").fetchone() == (1,)
        states = con.execute(
            "SELECT series, state FROM releases WHERE source = 'shipments' ORDER BY release_id"
        ).fetchall()
    assert states == [("2022-03.csv", "loaded"), ("2022-05.parquet", "refused")]


def test_unchanged_partitions_are_skipped_and_real_and_synthetic_never_mix(
    db: Path, generated: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "bf.duckdb"
    copy.write_bytes(db.read_bytes())
    with Warehouse(copy) as warehouse:
        again = ingest_shipments(warehouse, generated)
        assert (len(again.loaded), len(again.skipped)) == (0, 15)
        real = tmp_path / "real"
        real.mkdir()
        (real / "2022-03.csv").write_text(HEADER + GOOD_ROW)
        with pytest.raises(BorderflowError, match="already holds synthetic shipments"):
            ingest_shipments(warehouse, real)


def test_shipments_are_not_part_of_the_mirror_ingest() -> None:
    assert "shipments" not in all_sources()
    assert not (MIRROR / "shipments").exists()


def test_value_of_a_line_through_the_metrics_layer_is_comtrades(engine: Engine) -> None:
    expected = comtrade_imports()
    where: dict[str, tuple[str, ...]] = {"hs_code": ("293339",), "consignee_country": ("MEX",)}
    result = engine.run(Query("shipment_value", "2022", where=where))
    assert result.value == expected[("MEX", 2022, "293339")][0]
    assert result.unit == "USD" and len(result.releases) == 1
    assert result.releases[0]["file_name"] == "consignee_country=MEX/year=2022/part-0.parquet"
    weight = engine.run(Query("shipment_weight", "2022", where=where)).value
    assert weight == expected[("MEX", 2022, "293339")][1]


def test_share_of_partners_and_top_consignees(engine: Engine) -> None:
    expected = comtrade_imports()
    shares = engine.run(
        Query("shipment_value", "2018..2022", where={"hs_code": ("293339",)},
              by=("shipper_country",), share_of="shipper_country")
    ).rows  # fmt: skip
    assert shares["share"].sum() == pytest.approx(100.0)
    total = sum(v for (c, y, h), (v, _) in expected.items() if h == "293339")
    assert shares["value"].sum() == total
    top = engine.run(Query("shipment_value", "2022", by=("consignee_country",), rank=True)).rows
    by_country = {c: sum(v for (k, y, _), (v, _) in expected.items() if k == c and y == 2022)
                  for c in FILES}  # fmt: skip
    assert dict(zip(top["consignee_country"], top["value"], strict=True)) == by_country
    assert list(top.sort_values("rank")["consignee_country"]) == ["CHN", "IND", "MEX"]


def test_monthly_grain_sums_to_the_year(engine: Engine) -> None:
    months = engine.run(Query("shipments", "2022", grain="month")).rows
    year = engine.run(Query("shipments", "2022")).value
    assert len(months) == 12 and months["value"].sum() == year
    assert set(months["months"]) == {1}


def test_unknown_member_and_unloaded_warehouse_are_clear(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="'ZZZ' is not among the shipper_country members"):
        engine.run(Query("shipments", "2022", where={"shipper_country": ("ZZZ",)}))
    empty = tmp_path / "empty.duckdb"
    Warehouse(empty).close()
    with Engine.open(empty) as bare, pytest.raises(QueryError, match="no shipments records"):
        bare.run(Query("shipments", "2022"))


def test_cli_generates_ingests_and_asks(tmp_path: Path) -> None:
    runner = CliRunner()
    out, db = tmp_path / "set", tmp_path / "bf.duckdb"
    made = runner.invoke(app, ["shipments", "generate", "--rows", "5000", "--seed", "2",
                               "--years", "2022", "--out", str(out), "--mirror", str(MIRROR)])  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "wrote 5,000 synthetic shipment records" in made.output
    loaded = runner.invoke(app, ["shipments", "ingest", str(out), "--db", str(db), "--json"])
    assert loaded.exit_code == 0, loaded.output
    asked = runner.invoke(app, ["shipments", "ask", "shipments", "-p", "2022", "--db", str(db),
                                "--json"])  # fmt: skip
    assert asked.exit_code == 0, asked.output
    assert '"value": 5000.0' in asked.output
    (out / "zz.csv").write_text("not,a\nshipments,file\n")
    refused = runner.invoke(app, ["shipments", "ingest", str(out), "--db", str(db)])
    assert refused.exit_code == 1
    assert "zz.csv cannot be read as a shipments partition" in refused.output
