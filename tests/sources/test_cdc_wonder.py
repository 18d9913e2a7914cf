"""CDC WONDER T40.4 state × month exports, parsed from the real mirror files.

Yearly sums of rows were re-computed with the csv module (``Month Code``'s first four characters
as the year, ``int(Deaths)`` summed); 2022 = 73,518 and 2023 = 72,425 are also in SOURCE.md:

    for r in csv.DictReader(open(name, newline="")): s[r["Month Code"][:4]] += int(r["Deaths"])
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from borderflow.sources import all_sources
from borderflow.sources.base import ParsedFile
from borderflow.sources.cdc_wonder import SOURCE, parse_wonder_final, parse_wonder_provisional
from conftest import MIRROR

FOLDER = MIRROR / "cdc_wonder"
OLD = "Multiple_Cause_of_Death_1999_2020_T40.4_state_month.csv"
NEW = "Multiple_Cause_of_Death_2018_2023_Single_Race_T40.4_state_month.csv"
PROVISIONAL = "Provisional_Mortality_Statistics_2018_to_2025-03_T40.4_state_month.csv"


@pytest.fixture(scope="module")
def files() -> dict[str, ParsedFile]:
    return {
        OLD: parse_wonder_final((FOLDER / OLD).read_bytes(), OLD),
        NEW: parse_wonder_final((FOLDER / NEW).read_bytes(), NEW),
        PROVISIONAL: parse_wonder_provisional((FOLDER / PROVISIONAL).read_bytes(), PROVISIONAL),
    }


def yearly(parsed: ParsedFile) -> pd.Series:
    """Sum of the rows' deaths by calendar year."""
    obs = parsed.observations
    return obs.groupby(obs["period_start"].dt.year)["value"].sum()


def test_registered_with_two_series() -> None:
    assert all_sources()["cdc_wonder"] is SOURCE
    found = {(series.key, path.name) for series, path in SOURCE.files_in(MIRROR)}
    assert found == {("final", OLD), ("final", NEW), ("provisional", PROVISIONAL)}
    final = SOURCE.series[0]
    old, new = final.known_file(OLD), final.known_file(NEW)
    assert old is not None and new is not None
    # The newer final release is current where the two overlap (2018–2020).
    assert new.vintage > old.vintage == date(2021, 12, 22)


@pytest.mark.parametrize(("name", "rows"), [(OLD, 3347), (NEW, 3003), (PROVISIONAL, 3658)])
def test_every_row_read_without_issues(files: dict[str, ParsedFile], name: str, rows: int) -> None:
    parsed = files[name]
    assert parsed.rows_read == rows == len(parsed.observations)
    assert parsed.issues == []


def test_california_january_2018_is_67_in_every_file(files: dict[str, ParsedFile]) -> None:
    for parsed in files.values():
        obs = parsed.observations
        hit = obs[(obs["us_state"] == "CA") & (obs["period_start"] == pd.Timestamp("2018-01-01"))]
        assert hit["value"].tolist() == [67]
        assert hit["period_end"].tolist() == [pd.Timestamp("2018-01-31")]


def test_yearly_sums_of_rows(files: dict[str, ParsedFile]) -> None:
    new = yearly(files[NEW])
    assert new[2022] == 73518
    assert new[2023] == 72425  # "2023 " with a trailing space is read like any other year
    assert yearly(files[OLD])[2020] == 56083
    provisional = yearly(files[PROVISIONAL])
    assert (provisional[2024], provisional[2025]) == (47320, 9716)
    pd.testing.assert_series_equal(provisional.loc[new.index], new)  # 2018–2023: final in D176


def test_dimensions_measure_and_status(files: dict[str, ParsedFile]) -> None:
    for name, status in ((OLD, "final"), (NEW, "final"), (PROVISIONAL, "provisional")):
        obs = files[name].observations
        assert set(obs["measure"]) == {"deaths_multiple_cause"}
        assert set(obs["status"]) == {status}
        assert set(obs["cause"]) == {"T40.4"}
        assert set(obs["period_type"]) == {"month"}
        assert obs["us_state"].notna().all() and "US" not in set(obs["us_state"])
        assert obs["value"].min() == 10  # suppressed state-months (1–9) are absent


def test_provisional_labels_travel_as_footnotes(files: dict[str, ParsedFile]) -> None:
    obs = files[PROVISIONAL].observations
    years = obs["period_start"].dt.year
    assert obs.loc[years <= 2023, "footnote"].isna().all()
    assert set(obs.loc[years == 2024, "footnote"]) == {"provisional"}
    assert set(obs.loc[years == 2025, "footnote"]) == {"provisional and partial"}


def test_suppressed_is_missing_and_total_rows_are_skipped() -> None:
    lines = (FOLDER / NEW).read_bytes().splitlines()
    california = lines[3]
    assert california.endswith(b",67,Not Applicable,Not Applicable")
    suppressed = california.replace(b",67,", b",Suppressed,")
    total = b"Total,,,,,,,,,73518,Not Applicable,Not Applicable"
    parsed = parse_wonder_final(b"\n".join([lines[0], suppressed, total]) + b"\n", "edge.csv")
    assert parsed.issues == []
    assert len(parsed.observations) == 1
    assert math.isnan(parsed.observations["value"].iloc[0])


def test_unknown_state_code_and_bad_month_are_rejected() -> None:
    lines = (FOLDER / NEW).read_bytes().splitlines()
    bad_state = lines[3].replace(b",California,06,", b",Atlantis,99,")
    bad_month = lines[3].replace(b",2018/01,", b",2018-01,")
    parsed = parse_wonder_final(b"\n".join([lines[0], bad_state, bad_month]) + b"\n", "bad.csv")
    assert {(i.row, i.kind, i.column) for i in parsed.issues} == {
        (2, "unknown_category", "State Code"),
        (3, "unparseable_period", "Month Code"),
    }
    assert parsed.observations.empty
