"""The typical questions asked of shipment records, one set for the CI test and the benchmark.

Each is an ordinary metrics ``Query``: the engine (DuckDB or Spark) plans and runs it like any
other. HS 2933.39 holds NPP and ANPP until HS2022; 2921 amines and 2924.29 amides are the other
precursor lines the reference tables name.
"""

from __future__ import annotations

from borderflow.metrics import Query

PRECURSOR_LINES = ("293339", "293399", "292142", "292149", "292429")

QUESTIONS: dict[str, Query] = {
    "value by HS x origin x destination x port x month": Query(
        "shipment_value",
        "2022",
        by=("hs_code", "shipper_country", "consignee_country", "port_of_unlading"),
        grain="month",
    ),
    "share of each origin in HS 2933.39 value": Query(
        "shipment_value",
        "2018..2022",
        where={"hs_code": ("293339",)},
        by=("shipper_country",),
        share_of="shipper_country",
    ),
    "top consignee countries by weight": Query(
        "shipment_weight", "2022", by=("consignee_country",), rank=True
    ),
    "monthly shipments of precursor lines": Query(
        "shipments", "2018..2022", where={"hs_code": PRECURSOR_LINES}, by=("hs_code",),
        grain="month",
    ),
    "value by port, change on the year before": Query(
        "shipment_value", "2019..2022", by=("port_of_unlading",), grain="calendar_year",
        compare="previous",
    ),
}  # fmt: skip
