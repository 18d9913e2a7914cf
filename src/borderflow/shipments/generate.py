"""A deterministic generator of synthetic shipment records, calibrated to UN Comtrade.

SYNTHETIC: every record is made up. What is real is the total: for each reporter (Mexico, China,
India), year and six-digit HS line, the records' values and weights add up exactly to the
reporter's declared annual imports in the UN Comtrade extracts (``calibrate``). Partner, month,
ports and conveyance are drawn from ``assumptions``. Use it to measure scale, never as data.

The same ``rows``, ``seed``, ``years`` and mirror give the same files, byte for byte: each
(reporter, year, HS line) cell draws from its own generator seeded by (``seed``, cell number),
so partitions can be written in any order. Output: one Parquet file per consignee country and
year (``consignee_country=MEX/year=2022/part-0.parquet``), written in row groups so memory stays
bounded at any scale, and ``SYNTHETIC.json`` describing how the set was made.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from borderflow.errors import BorderflowError
from borderflow.shipments import assumptions as A
from borderflow.shipments.calibrate import comtrade_targets

#: Records buffered before a row group is written.
ROW_GROUP = 1_000_000
MANIFEST = "SYNTHETIC.json"

_COUNTRIES = sorted({c for mix in A.PARTNER_MIX.values() for c in mix} | set(A.REPORTERS.values()))
_PORTS = sorted(
    {p for ports in A.LADING_PORTS.values() for p in ports}
    | {p for by in A.UNLADING_PORTS.values() for ports in by.values() for p in ports}
)
_CONVEYANCES = ("vessel", "air", "truck", "rail")


@dataclass(frozen=True)
class Generated:
    """What ``generate_shipments`` wrote."""

    out: Path
    rows: int
    files: list[Path]
    cells: int

    def to_dict(self) -> dict[str, object]:
        return {
            "out": str(self.out),
            "rows": self.rows,
            "cells": self.cells,
            "files": [str(f.relative_to(self.out)) for f in self.files],
        }


def generate_shipments(
    out: Path,
    rows: int,
    seed: int,
    mirror: Path,
    years: range = range(2018, 2023),
    on_records: Callable[[int], None] | None = None,
) -> Generated:
    """Write ``rows`` synthetic shipment records to ``out`` as partitioned Parquet.

    Args:
        out: output folder; replaced if it holds an earlier synthetic set, refused if it holds
            anything else.
        rows: number of records; at least one per (reporter, year, HS line) cell.
        seed: the seed of every draw.
        mirror: the data mirror holding the UN Comtrade extracts to calibrate to.
        years: calendar years to generate.
        on_records: called with the number of records after each row group.

    Raises:
        BorderflowError: too few rows, no calibration data, or ``out`` holds other files.
    """
    targets = comtrade_targets(mirror, years)
    counts = allocate_records(targets, rows)
    _prepare(out)
    files = []
    hs_codes = sorted(targets["hs_code"].unique())
    for (consignee, year), cells in targets.groupby(["consignee_country", "year"], sort=True):
        path = out / f"consignee_country={consignee}" / f"year={year}" / "part-0.parquet"
        _write_partition(path, cells, counts, seed, hs_codes, on_records)
        files.append(path)
    _write_manifest(out, rows, seed, years, mirror, len(targets))
    return Generated(out, rows, files, len(targets))


def allocate_records(targets: pd.DataFrame, rows: int) -> np.ndarray:
    """Records per cell: ∝ value ** ``RECORDS_EXPONENT``, at least 1, at most one per
    ``MIN_SHIPMENT_USD`` of value; exactly ``rows`` in all."""
    value = targets["value_usd"].to_numpy(dtype=np.float64)
    cap = np.maximum(1, value // A.MIN_SHIPMENT_USD).astype(np.int64)
    if rows < len(value) or rows > cap.sum():
        raise BorderflowError(
            f"--rows must be between {len(value):,} (one record per reporter, year and HS line) "
            f"and {int(cap.sum()):,} (one per {A.MIN_SHIPMENT_USD} USD); got {rows:,}."
        )
    weight = value**A.RECORDS_EXPONENT
    counts = np.ones(len(value), dtype=np.int64)
    while (left := rows - int(counts.sum())) > 0:
        open_ = counts < cap
        share = np.where(open_, weight, 0.0)
        add = np.minimum(np.floor(left * share / share.sum()).astype(np.int64), cap - counts)
        if add.sum() == 0:  # fewer records left than open cells: one each to the largest
            order = np.argsort(-share, kind="stable")[:left]
            add[order] = 1
        counts += add
    return counts


def _prepare(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        if not (out / MANIFEST).exists():
            raise BorderflowError(
                f"{out} is not empty and holds no synthetic set ({MANIFEST}); the generator only "
                "replaces its own output. Pick an empty folder."
            )
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def _write_partition(
    path: Path,
    cells: pd.DataFrame,
    counts: np.ndarray,
    seed: int,
    hs_codes: list[str],
    on_records: Callable[[int], None] | None,
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with pq.ParquetWriter(path, SCHEMA, compression="zstd") as writer:
        for table in _row_groups(cells, counts, seed, hs_codes):
            writer.write_table(table, row_group_size=ROW_GROUP)
            if on_records is not None:
                on_records(table.num_rows)


def _row_groups(
    cells: pd.DataFrame, counts: np.ndarray, seed: int, hs_codes: list[str]
) -> Iterator[pa.Table]:
    buffer: list[dict[str, np.ndarray]] = []
    buffered = 0
    for index, cell in zip(cells.index, cells.itertuples(), strict=True):
        records = cell_records(cell, int(counts[index]), seed, int(index))
        records["hs_code"] = np.full(
            int(counts[index]), hs_codes.index(str(cell.hs_code)), np.int32
        )
        buffer.append(records)
        buffered += int(counts[index])
        if buffered >= ROW_GROUP:
            yield _table(buffer, hs_codes)
            buffer, buffered = [], 0
    if buffer:
        yield _table(buffer, hs_codes)


def cell_records(cell: Any, k: int, seed: int, number: int) -> dict[str, np.ndarray]:
    """The ``k`` records of one (consignee, year, HS line) cell, as code arrays (the caller adds
    ``hs_code``)."""
    rng = np.random.default_rng([seed, number])
    consignee, year = cell.consignee_country, int(cell.year)
    shares = rng.lognormal(0.0, A.VALUE_SPREAD, k)
    value = split_whole(int(cell.value_usd), shares)
    weight = split_whole(int(cell.weight_kg), shares * rng.lognormal(0.0, A.UNIT_VALUE_SPREAD, k))
    shipper = _draw(rng, _table_of(A.PARTNER_MIX[consignee], _COUNTRIES), k)
    conveyance = _draw_by(rng, _CONVEYANCE_TABLES[consignee], shipper)
    return {
        "arrival_date": _arrival_dates(rng, year, k),
        "port_of_unlading": _draw_by(rng, _UNLADING_TABLES[consignee], conveyance),
        "port_of_lading": _draw_by(rng, _LADING_TABLE, shipper),
        "shipper_country": shipper,
        "consignee_country": np.full(k, _COUNTRIES.index(consignee), dtype=np.int32),
        "weight_kg": weight,
        "value_usd": value,
        "conveyance": conveyance,
    }


def split_whole(total: int, shares: np.ndarray) -> np.ndarray:
    """``total`` split into whole parts in proportion to ``shares``, adding up exactly: parts
    are rounded down and the remainder goes one by one to the largest fractions."""
    exact = total * (shares / shares.sum())
    parts = np.floor(exact).astype(np.int64)
    short = total - int(parts.sum())
    if short > 0:
        parts[np.argsort(parts - exact, kind="stable")[:short]] += 1
    return parts


def _arrival_dates(rng: np.random.Generator, year: int, k: int) -> np.ndarray:
    weights = np.asarray(A.SEASONALITY) / sum(A.SEASONALITY)
    month = rng.choice(12, size=k, p=weights)
    starts = np.array([f"{year}-{m:02d}-01" for m in range(1, 13)], dtype="datetime64[D]")
    ends = np.array([f"{year + (m == 12)}-{m % 12 + 1:02d}-01" for m in range(1, 13)],
                    dtype="datetime64[D]")  # fmt: skip
    days = (ends - starts).astype(np.int64)
    offset = np.floor(rng.random(k) * days[month]).astype(np.int64)
    return starts[month] + offset


def _table_of(mix: dict[str, float], names: list[str] | tuple[str, ...]) -> np.ndarray:
    """One row of cumulative probabilities over ``names`` (0 for names not in ``mix``)."""
    row = np.array([mix.get(n, 0.0) for n in names])
    return np.cumsum(row / row.sum()) if row.sum() > 0 else np.ones(len(names))


def _draw(rng: np.random.Generator, cumulative: np.ndarray, k: int) -> np.ndarray:
    picks = np.searchsorted(cumulative, rng.random(k), side="right")
    return np.minimum(picks, len(cumulative) - 1).astype(np.int32)


def _draw_by(rng: np.random.Generator, tables: np.ndarray, given: np.ndarray) -> np.ndarray:
    """For each record, a draw from the row of ``tables`` its ``given`` code selects."""
    draws = rng.random(len(given))
    picks = np.empty(len(given), dtype=np.int32)
    for code in np.unique(given):
        mask = given == code
        picks[mask] = np.searchsorted(tables[code], draws[mask], side="right")
    return np.minimum(picks, tables.shape[1] - 1)


def _conveyance_tables() -> dict[str, np.ndarray]:
    return {
        consignee: np.array(
            [
                _table_of(A.CONVEYANCE_MIX.get((consignee, s), A.OVERSEAS), _CONVEYANCES)
                for s in _COUNTRIES
            ]
        )
        for consignee in A.PARTNER_MIX
    }


def _unlading_tables() -> dict[str, np.ndarray]:
    tables = {}
    for consignee, by_conveyance in A.UNLADING_PORTS.items():
        fallback = by_conveyance["vessel"]
        rows = [_table_of(by_conveyance.get(c, fallback), _PORTS) for c in _CONVEYANCES]
        tables[consignee] = np.array(rows)
    return tables


_CONVEYANCE_TABLES = _conveyance_tables()
_UNLADING_TABLES = _unlading_tables()
_LADING_TABLE = np.array(
    [_table_of(A.LADING_PORTS.get(c, {"ZZZZZ": 1.0}), _PORTS) for c in _COUNTRIES]
)

_DICTIONARIES = {
    "port_of_unlading": _PORTS,
    "port_of_lading": _PORTS,
    "shipper_country": _COUNTRIES,
    "consignee_country": _COUNTRIES,
    "conveyance": list(_CONVEYANCES),
}
_TEXT = pa.dictionary(pa.int32(), pa.string())
SCHEMA = pa.schema(
    [
        ("arrival_date", pa.date32()),
        ("port_of_unlading", _TEXT),
        ("port_of_lading", _TEXT),
        ("shipper_country", _TEXT),
        ("consignee_country", _TEXT),
        ("hs_code", _TEXT),
        ("weight_kg", pa.int64()),
        ("value_usd", pa.int64()),
        ("conveyance", _TEXT),
    ]
)


def _table(buffer: list[dict[str, np.ndarray]], hs_codes: list[str]) -> pa.Table:
    """Records of several cells as one Arrow table, sorted by arrival date."""
    merged = {name: np.concatenate([b[name] for b in buffer]) for name in SCHEMA.names}
    order = np.argsort(merged["arrival_date"], kind="stable")
    columns = []
    for field in SCHEMA:
        values = merged[field.name][order]
        if field.type == _TEXT:
            names = hs_codes if field.name == "hs_code" else _DICTIONARIES[field.name]
            dictionary = pa.array(names, pa.string())
            columns.append(pa.DictionaryArray.from_arrays(pa.array(values), dictionary))
        else:
            columns.append(pa.array(values, field.type))
    return pa.Table.from_arrays(columns, schema=SCHEMA)


def _write_manifest(
    out: Path, rows: int, seed: int, years: range, mirror: Path, cells: int
) -> None:
    manifest = {
        "synthetic": True,
        "generator": "borderflow shipments generate",
        "rows": rows,
        "seed": seed,
        "years": [years.start, years.stop - 1],
        "cells": cells,
        "calibrated_to": str(mirror / "un_comtrade"),
        "what_is_real": "annual import value and weight per reporter, year and HS line add up "
        "to UN Comtrade (value and weight rounded to whole USD and kg; blank weights imputed)",
        "assumptions": "partners, months, ports, conveyances and the split into shipments are "
        "drawn from borderflow.shipments.assumptions; they are not data",
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
