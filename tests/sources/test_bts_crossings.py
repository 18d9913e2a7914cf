"""BTS Border Crossing/Entry Data, parsed from the real U.S.–Mexico extract.

The 2024 totals are the ones SOURCE.md gives; they were re-computed with awk on the raw file
(no field of these rows holds a quoted comma, so splitting on commas is exact):

    awk -F, '$5 ~ / 2024$/ && $6=="Trucks" {s+=$7} END {print s}' Border_Crossing_Entry_Data_*.csv

Counts of rows the same way: ``awk -F, '$3=="2606" && $6=="Trucks"' … | wc -l`` → 247;
``awk -F, 'NR>1 && $7=="0"' … | wc -l`` → 24133.
"""

from __future__ import annotations

import pandas as pd
import pytest

from borderflow.sources.base import ParsedFile
from borderflow.sources.bts_crossings import SOURCE, parse_crossings, ports
from conftest import MIRROR

NAME = "Border_Crossing_Entry_Data_US-Mexico_1996-01_to_2025-02.csv"
REAL = MIRROR / "bts_border_crossings" / NAME
HEADER = "Port Name,State,Port Code,Border,Date,Measure,Value,Latitude,Longitude,Point\n"


@pytest.fixture(scope="module")
def parsed() -> ParsedFile:
    return parse_crossings(REAL.read_bytes(), NAME)


def total_2024(obs: pd.DataFrame, conveyance: str) -> float:
    year = obs[(obs["period_start"].dt.year == 2024) & (obs["conveyance"] == conveyance)]
    return float(year["value"].sum())


def test_2024_totals_match_source_md(parsed: ParsedFile) -> None:
    obs = parsed.observations
    assert total_2024(obs, "Trucks") == 7_617_207
    assert total_2024(obs, "Personal Vehicles") == 76_884_566
    assert total_2024(obs, "Pedestrians") == 40_769_064


def test_every_row_read_and_only_the_seven_repeated_keys_rejected(parsed: ParsedFile) -> None:
    assert parsed.rows_read == 94_234
    assert parsed.rows_rejected == 7
    assert len(parsed.observations) == 94_234 - 7
    repeats = sorted(i.row for i in parsed.issues if i.kind == "duplicate_key")
    assert repeats == [8770, 11664, 12204, 12621, 13142, 13418, 14355]
    # Sasabe Feb 2021 bus passengers: line 5241 says 0, line 8770 says 2,175; the first is kept.
    sasabe = parsed.observations.query("port == '2606' and conveyance == 'Bus Passengers'")
    assert sasabe.loc[sasabe["period_start"] == "2021-02-01", "value"].tolist() == [0.0]


def test_units_follow_the_conveyance(parsed: ParsedFile) -> None:
    units = parsed.observations.groupby("conveyance")["unit"].unique().map(list).to_dict()
    assert units["Trucks"] == ["vehicles"]
    assert units["Pedestrians"] == ["persons"]
    assert units["Truck Containers Loaded"] == ["containers"]
    assert set(parsed.observations["measure"]) == {"crossings"}


def test_states_are_postal_codes_and_months_explicit(parsed: ParsedFile) -> None:
    obs = parsed.observations
    assert set(obs["us_state"]) == {"CA", "AZ", "NM", "TX"}
    assert set(obs["period_type"]) == {"month"}
    assert obs["period_start"].min() == pd.Timestamp("1996-01-01")
    assert obs["period_end"].max() == pd.Timestamp("2025-02-28")


def test_missing_rows_are_not_filled_with_zeros(parsed: ParsedFile) -> None:
    obs = parsed.observations
    trucks = obs.query("port == '2606' and conveyance == 'Trucks'")
    assert len(trucks) == 247  # the file's rows, no more
    assert trucks["period_start"].dt.year.max() < 2023  # Sasabe reports no trucks since
    walkers = obs.query("port == '2606' and conveyance == 'Pedestrians'")
    assert (walkers["period_start"].dt.year == 2024).sum() == 12
    # Zeros the file carries stay zeros: 24,133 in the file, none in the rejected repeats.
    assert (obs["value"] == 0).sum() == 24_133


def test_port_codes_are_padded_and_canada_rows_skipped_not_rejected() -> None:
    lines = REAL.read_text().splitlines()
    mexico = lines[1].replace(",2608,", ",608,")  # as some exports write short codes
    canada = (
        "Portland,Maine,108,US-Canada Border,Jan 2024,Trucks,1234,43.6,-70.2,POINT (-70.2 43.6)"
    )
    raw = (HEADER + mexico + "\n" + canada + "\n").encode()
    parsed = parse_crossings(raw, "national.csv")
    assert parsed.observations["port"].tolist() == ["0608"]
    assert (parsed.rows_read, parsed.rows_rejected, parsed.issues) == (2, 0, [])
    table = ports(raw, "national.csv")
    assert table["port"].tolist() == ["0108", "0608"]
    assert table["state"].tolist() == ["ME", "AZ"]


def test_bad_cells_reject_their_row_with_its_line_number() -> None:
    lines = REAL.read_text().splitlines()
    bad_date = lines[1].replace("Apr 2024", "Apri 2024")
    bad_value = lines[2].replace(",521714,", ",n/a,")
    blank_value = lines[3].replace(",21355,", ",,")
    raw = "\n".join([lines[0], bad_date, bad_value, blank_value, lines[4]]).encode() + b"\n"
    parsed = parse_crossings(raw, "bad.csv")
    assert len(parsed.observations) == 1
    assert {(i.kind, i.row, i.column) for i in parsed.issues} == {
        ("unparseable_period", 2, "Date"),
        ("unparseable_number", 3, "Value"),
        ("unparseable_number", 4, "Value"),
    }


def test_ports_lists_each_port_once_with_coordinates() -> None:
    table = ports(REAL.read_bytes(), NAME)
    assert len(table) == 28
    laredo = table.set_index("port").loc["2304"]
    assert (laredo["name"], laredo["state"]) == ("Laredo", "TX")
    assert (laredo["lat"], laredo["lon"]) == (27.5, -99.507)


def test_the_mirror_file_is_known() -> None:
    [(series, path)] = SOURCE.files_in(MIRROR)
    known = series.known_file(path.name)
    assert known is not None and known.rows == 94_234 and known.url is None
