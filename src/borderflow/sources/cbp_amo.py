"""CBP Air and Marine Operations (AMO) drug seizures.

Publisher: U.S. Customs and Border Protection, Air and Marine Operations.
URL: https://www.cbp.gov/newsroom/stats/drug-seizure-statistics (companion CSVs to the
    nationwide file; the exact AMO download addresses were not recorded).
Licence: U.S. Government work, public domain (17 U.S.C. 105).
Cadence: monthly, four-fiscal-year windows released with the nationwide file.

Quirks:
    - Same layout as the nationwide file, with ``Branch`` (AMO branch) in place of
      ``Area of Responsibility``; stored in the ``area`` dimension.
    - AMO seizures are **not** inside CBP's nationwide (OFO + USBP) totals. Adding them to a
      headline figure must be asked for explicitly.
    - Fiscal years run October–September; overlapping windows as in ``cbp_nationwide``.
"""

from __future__ import annotations

from borderflow.sources.base import FileSeries, KnownFile, ParsedFile, Source
from borderflow.sources.cbp_nationwide import CBP_PUBLISHED, parse_seizure_file, window_month


def parse_amo(raw: bytes, file: str) -> ParsedFile:
    return parse_seizure_file(raw, file, "Branch")


def _known(name: str, sha256: str, rows: int) -> KnownFile:
    through = window_month(name)
    assert through is not None
    return KnownFile(name=name, url=None, vintage=CBP_PUBLISHED(through), sha256=sha256, rows=rows)


SOURCE = Source(
    name="cbp_amo",
    title="CBP Air and Marine Operations drug seizures",
    publisher="U.S. Customs and Border Protection",
    homepage="https://www.cbp.gov/newsroom/stats/drug-seizure-statistics",
    licence="U.S. Government work, public domain (17 U.S.C. 105)",
    cadence="monthly, four-fiscal-year windows",
    folder="cbp_drug_seizures",
    parser_version="1",
    quirks=__doc__ or "",
    series=(
        FileSeries(
            key="amo",
            pattern="amo-drug-seizures-fy*.csv",
            parse=parse_amo,
            data_through_of=window_month,
            published=CBP_PUBLISHED,
            known=(
                _known(
                    "amo-drug-seizures-fy19-fy22.csv",
                    "41c4bee004fc794c716f82e3e037b3d9c5da8e3d01603ea14421a8585d4d7cd4",
                    1772,
                ),
                _known(
                    "amo-drug-seizures-fy20-fy23.csv",
                    "75d01cf60e935df2ddccd53b38377bbcb1b4a1f904a4f958b8abc08f70930eca",
                    1762,
                ),
                _known(
                    "amo-drug-seizures-fy23-fy26-dec.csv",
                    "eccb1d28654dff7844988137bb0539af906553c863739762d0e1707e6f230a93",
                    1292,
                ),
            ),
        ),
    ),
)
