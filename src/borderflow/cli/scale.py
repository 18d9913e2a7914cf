"""``borderflow shipments …``: shipment records at scale — generate a synthetic set, load
partitions in bulk, and ask the metrics layer on DuckDB or on Spark (local or a cluster)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from borderflow.cli.common import (
    DbOption,
    JsonOption,
    _progress,
    _progress_bar,
    app,
    err,
    friendly_errors,
    out,
    print_json,
)
from borderflow.config import resolve_db_path
from borderflow.errors import BorderflowError
from borderflow.vocabulary import parse_where

shipments_app = typer.Typer(
    help="Shipment records (bill-of-lading schema) at scale: generate, ingest, ask on DuckDB "
    "or Spark.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
app.add_typer(shipments_app, name="shipments")


def _years(text: str) -> range:
    first, _, last = text.partition("-")
    try:
        return range(int(first), int(last or first) + 1)
    except ValueError:
        message = f"--years takes YEAR or FIRST-LAST (e.g. 2018-2022), not {text!r}."
        raise BorderflowError(message) from None


@shipments_app.command("generate")
@friendly_errors
def generate_command(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the partitions to.")],
    rows: Annotated[int, typer.Option("--rows", help="Number of shipment records.")] = 1_000_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of every random draw.")] = 1,
    years: Annotated[str, typer.Option("--years", help="Years, FIRST-LAST.")] = "2018-2022",
    mirror: Annotated[
        Path | None,
        typer.Option("--mirror", help="Data mirror with the UN Comtrade extracts to calibrate to."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Write a SYNTHETIC shipments set as partitioned Parquet, calibrated to UN Comtrade.

    For every reporter (Mexico, China, India), year and HS line, the records' values and weights
    add up to the reporter's declared imports; partners, months, ports and conveyances are
    stated assumptions (`borderflow.shipments.assumptions`). The same options give the same
    files. For measuring scale only: never a substitute for real records.

    Example: `borderflow shipments generate --rows 10000000 --seed 1 --out /tmp/shipments`
    """
    from borderflow.config import resolve_mirror
    from borderflow.shipments.generate import generate_shipments

    progress = _progress_bar("Generating [bold]{task.fields[item]}")
    with progress:
        task = progress.add_task("generate", total=rows, item="records")
        made = generate_shipments(
            out_dir, rows, seed, resolve_mirror(mirror), _years(years),
            on_records=lambda n: progress.update(task, advance=n),
        )  # fmt: skip
    if as_json:
        print_json(made.to_dict())
    else:
        out.print(
            f"wrote {made.rows:,} synthetic shipment records ({made.cells:,} reporter × year × "
            f"HS line cells) in {len(made.files)} partitions to {made.out}"
        )


@shipments_app.command("ingest")
@friendly_errors
def ingest_command(
    folder: Annotated[Path, typer.Argument(help="Folder of Parquet or CSV partitions.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load shipment partitions into the warehouse in bulk (DuckDB reads the files directly).

    One release per partition file, with its sha256; rows that fail a check are reported with
    file, row and column and not loaded; a partition that cannot be read refuses the whole load
    and the warehouse keeps its last good state (exit code 1). Unchanged partitions are skipped.
    Memory: `BORDERFLOW_DUCKDB_MEMORY` (default 4GB), spilling to `BORDERFLOW_DUCKDB_TEMP`.

    Example: `borderflow shipments ingest /tmp/shipments`
    """
    from borderflow.shipments.ingest import RefusedLoad, ingest_shipments, partition_files
    from borderflow.warehouse import Warehouse

    total = len(partition_files(folder))
    try:
        with Warehouse(resolve_db_path(db)) as warehouse, _progress(total, "Loading") as advance:
            report = ingest_shipments(warehouse, folder, on_file=advance)
    except RefusedLoad as exc:
        err.print(f"[red]Refused:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    if as_json:
        print_json(report.to_dict())
        return
    kind = "synthetic " if report.synthetic else ""
    out.print(
        f"loaded {report.rows_loaded:,} {kind}shipment records from {len(report.loaded)} "
        f"partitions ({report.rows_rejected:,} rows rejected; {len(report.skipped)} partitions "
        "unchanged, skipped)."
    )


@shipments_app.command("ask")
@friendly_errors
def ask_command(
    measure: Annotated[str, typer.Argument(help="shipments, shipment_weight or shipment_value.")],
    period: Annotated[str, typer.Option("--period", "-p", help="2022, 2018..2022, 2022-03.")],
    where: Annotated[
        list[str] | None, typer.Option("--where", "-w", help="DIMENSION=MEMBER[,MEMBER].")
    ] = None,
    by: Annotated[list[str] | None, typer.Option("--by", help="Break down by a dimension.")] = None,
    grain: Annotated[str | None, typer.Option(help="month, quarter or calendar_year.")] = None,
    share_of: Annotated[
        str | None, typer.Option("--share-of", help="Each value as a share of this dimension.")
    ] = None,
    rank: Annotated[bool, typer.Option("--rank", help="Rank the --by members.")] = False,
    compare: Annotated[str | None, typer.Option(help="previous or year_ago.")] = None,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="duckdb, spark (local, or $BORDERFLOW_SPARK_MASTER), or a Spark master URL "
            "(spark://host:7077, yarn, k8s://…, local[4]).",
        ),
    ] = "duckdb",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ask a shipments measure through the metrics layer, on DuckDB or on Spark.

    Dimensions: hs_code, shipper_country, consignee_country, port_of_unlading, port_of_lading,
    conveyance. On Spark the records are staged as Parquet beside the warehouse (or in
    `BORDERFLOW_SPARK_STAGING`, which on a cluster must be readable by every executor).

    Example: `borderflow shipments ask shipment_value -p 2022 --by shipper_country --share-of shipper_country --engine spark`
    """  # noqa: E501
    from borderflow.metrics import Query

    query = Query(
        measure, period, where=parse_where(where or [], "--where"), by=tuple(by or ()),
        grain=grain, share_of=share_of, rank=rank, compare=compare,
    )  # fmt: skip
    chosen = _engine(engine, resolve_db_path(db))
    try:
        result = chosen.run(query)
    finally:
        chosen.close()  # on Spark, stops the session
    if as_json:
        print_json(result.to_dict())
    else:
        _print(result)


def _engine(name: str, path: Path) -> Any:
    from borderflow.metrics import Engine

    if name == "duckdb":
        return Engine.open(path)
    from borderflow.metrics.spark import session_for, spark_engine

    return spark_engine(path, session_for(None if name == "spark" else name))


def _print(result: Any) -> None:
    out.print(result.query.sentence(), highlight=False, markup=False, soft_wrap=True)
    rows = result.rows
    shown = [c for c in ("share", "rank", "previous", "change", "pct_change") if c in rows]
    columns = ["period", *result.query.by, "value", *shown]
    table = Table()
    for name in columns:
        table.add_column(name, justify="left" if name in ("period", *result.query.by) else "right")
    for row in rows[columns].itertuples(index=False):
        table.add_row(*(_cell(v) for v in row))
    out.print(table)
    out.print(f"unit: {result.unit}; {len(result.releases)} partitions", highlight=False)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)
