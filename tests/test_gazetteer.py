"""The gazetteer resolves what people write to the exact member values the warehouse stores."""

from __future__ import annotations

import csv
import re
import shutil
from importlib import resources
from pathlib import Path

import pytest

from borderflow.reference import (
    AmbiguousMemberError,
    UnknownDimensionError,
    UnknownMemberError,
    fold_name,
    load_gazetteer,
    read_gazetteer,
)
from borderflow.reference.gazetteer import TABLES as GAZETTEER_TABLES
from borderflow.sources.us_states import STATES
from borderflow.warehouse import Warehouse
from conftest import MIRROR

DATA = Path(str(resources.files("borderflow.reference") / "data"))
BTS = (
    MIRROR / "bts_border_crossings" / "Border_Crossing_Entry_Data_US-Mexico_1996-01_to_2025-02.csv"
)

#: Dimensions whose every stored value the gazetteer must know, and nothing else.
COVERED = (
    "area",
    "port",
    "us_state",
    "mx_state",
    "reporter",
    "region",
    "component",
    "land_filter",
    "drug",
    "conveyance",
    "cause",
    "partner",
    "flow",
    "crime_category",
    "crime_type",
    "crime_subtype",
)


def stored_values(warehouse: Warehouse, dimension: str) -> set[str]:
    frame = warehouse.read.query(
        f"SELECT DISTINCT {dimension} AS v FROM observations WHERE {dimension} IS NOT NULL"
    )
    return set(frame["v"])


@pytest.mark.parametrize("dimension", COVERED)
def test_every_stored_value_resolves_to_itself(warehouse: Warehouse, dimension: str) -> None:
    gazetteer = load_gazetteer()
    stored = stored_values(warehouse, dimension)
    assert stored, f"the warehouse stores no {dimension}"
    assert {gazetteer.resolve(dimension, v).code for v in stored} == stored
    # and the tables invent no member the warehouse does not hold
    assert {m.code for m in gazetteer.members(dimension)} == stored


def test_areas_carry_the_component_and_regions_they_are_stored_under(
    warehouse: Warehouse,
) -> None:
    stored = warehouse.read.query(
        "SELECT DISTINCT area, component, region FROM observations WHERE area IS NOT NULL"
    )
    kinds = {"Office of Field Operations": "field_office", "U.S. Border Patrol": "sector"}
    gazetteer = load_gazetteer()
    for area, component, region in stored.itertuples(index=False):
        member = gazetteer.resolve("area", area)
        assert member.attributes["component"] == component, area
        assert region in member.attributes["region"].split(";"), area
        assert member.kind == kinds.get(component, member.kind), area
        assert member.kind is not None and (component in kinds or member.kind.startswith("amo_"))


def test_member_counts_per_dimension() -> None:
    gazetteer = load_gazetteer()
    counts = {d: len(gazetteer.members(d)) for d in gazetteer.dimensions()}
    # 21 field offices + 20 sectors + 30 AMO units; 28 BTS ports; 50 states + DC + PR + US + YC;
    # 32 states + national; 146 Comtrade reporters (SOURCE.md of un_comtrade).
    assert counts["area"] == 71
    assert counts["port"] == 28
    assert counts["us_state"] == 54
    assert counts["mx_state"] == 33
    assert counts["reporter"] == 146
    kinds = [m.kind for m in gazetteer.members("area")]
    assert (kinds.count("field_office"), kinds.count("sector")) == (21, 20)


@pytest.mark.parametrize(
    ("dimension", "text", "code"),
    [
        ("area", "San Diego Field Office", "SAN DIEGO FIELD OFFICE"),
        ("area", "san diego fo", "SAN DIEGO FIELD OFFICE"),
        ("area", "Marfa Sector", "BIG BEND SECTOR"),
        ("area", "RGV", "RIO GRANDE VALLEY SECTOR"),
        ("area", "Del Rio", "DEL RIO SECTOR"),
        ("port", "Nogales", "2604"),
        ("port", "Nogales, Arizona", "2604"),
        ("port", "Garita de Otay", "2506"),
        ("port", "Laredo", "2304"),
        ("mx_state", "Sonora", "26"),
        ("mx_state", "Edomex", "15"),
        ("mx_state", "Estado de México", "15"),
        ("mx_state", "México", "00"),
        ("mx_state", "CDMX", "09"),
        ("mx_state", "Distrito Federal", "09"),
        ("mx_state", "MICHOACAN", "16"),
        ("mx_state", "Veracruz", "30"),
        ("region", "frontera suroeste", "Southwest Border"),
        ("region", "frontera norte de México", "Southwest Border"),
        ("region", "U.S.-Mexico border", "Southwest Border"),
        ("region", "frontera con Canadá", "Northern Border"),
        ("component", "Patrulla Fronteriza", "U.S. Border Patrol"),
        ("component", "OFO", "Office of Field Operations"),
        ("us_state", "EE.UU.", "US"),
        ("us_state", "EEUU", "US"),
        ("us_state", "Calif.", "CA"),
        ("us_state", "48", "TX"),
        ("us_state", "NYC", "YC"),
        ("reporter", "EE.UU.", "USA"),
        ("reporter", "Estados Unidos", "USA"),
        ("reporter", "República Popular China", "China"),
        ("reporter", "South Korea", "Rep. of Korea"),
        ("reporter", "MEX", "Mexico"),
        ("drug", "fentanilo", "Fentanyl"),
        ("drug", "meth", "Methamphetamine"),
        ("drug", "LSD", "Lsd"),
        ("conveyance", "camiones", "Trucks"),
        ("cause", "synthetic opioids other than methadone", "T40.4"),
        ("cause", "overdose deaths", "all_drug_overdose"),
        ("crime_subtype", "homicides", "Homicidio doloso"),
        ("crime_subtype", "homicidio doloso", "Homicidio doloso"),
        ("land_filter", "land", "Land"),
    ],
)
def test_names_people_write_resolve(dimension: str, text: str, code: str) -> None:
    assert load_gazetteer().resolve(dimension, text).code == code


def test_a_misspelling_is_unknown_and_suggests_the_near_name() -> None:
    with pytest.raises(UnknownMemberError) as caught:
        load_gazetteer().resolve("mx_state", "Sonnora")
    assert caught.value.suggestions[0] == "Sonora"
    assert (caught.value.dimension, caught.value.text) == ("mx_state", "Sonnora")
    assert "Did you mean: Sonora" in str(caught.value)
    assert "members('mx_state')" in str(caught.value)


def test_bare_frontera_norte_is_not_resolved() -> None:
    """Mexico's northern border is the U.S. Southwest Border: the bare phrase is refused."""
    with pytest.raises(UnknownMemberError):
        load_gazetteer().resolve("region", "frontera norte")


def test_a_shared_place_is_ambiguous_until_a_kind_is_given() -> None:
    gazetteer = load_gazetteer()
    with pytest.raises(AmbiguousMemberError) as caught:
        gazetteer.resolve("area", "San Diego")
    codes = {m.code for m in caught.value.candidates}
    assert codes == {
        "SAN DIEGO FIELD OFFICE",
        "SAN DIEGO SECTOR",
        "San Diego Air And Marine Branch",
    }
    assert "SAN DIEGO SECTOR (sector)" in str(caught.value)
    assert gazetteer.resolve("area", "San Diego", kind="sector").code == "SAN DIEGO SECTOR"


def test_lookup_finds_every_dimension_a_name_belongs_to() -> None:
    gazetteer = load_gazetteer()
    san_diego = {(m.dimension, m.code) for m in gazetteer.lookup("San Diego")}
    assert len(san_diego) == 3
    laredo = {(m.dimension, m.code) for m in gazetteer.lookup("Laredo")}
    assert ("port", "2304") in laredo and ("area", "LAREDO SECTOR") in laredo
    mexico = {(m.dimension, m.code) for m in gazetteer.lookup("México")}
    assert mexico == {("mx_state", "00"), ("reporter", "Mexico")}
    us = {(m.dimension, m.code) for m in gazetteer.lookup("EE.UU.")}
    assert us == {("us_state", "US"), ("reporter", "USA")}


def test_lookup_is_strict_with_short_capitals_and_numbers() -> None:
    gazetteer = load_gazetteer()
    assert [m.code for m in gazetteer.lookup("US")] == ["US", "USA"]
    assert gazetteer.lookup("us") == []
    assert gazetteer.lookup("de") == []
    assert [m.code for m in gazetteer.lookup("DE")] == ["DE"]
    assert gazetteer.lookup("2604") == []
    assert gazetteer.lookup("26") == []


def test_folding_drops_dots_accents_and_case() -> None:
    assert fold_name("EE.UU.") == fold_name("EEUU") == "eeuu"
    assert fold_name("  Michoacán  de Ocampo ") == "michoacan de ocampo"
    assert fold_name("Coastal/Interior") == "coastal interior"
    assert fold_name("Other Drugs**") == "other drugs"


def test_ports_of_a_field_office_and_the_office_of_a_port() -> None:
    gazetteer = load_gazetteer()
    san_diego = {p.code: p.name_en for p in gazetteer.ports_of("SAN DIEGO FIELD OFFICE")}
    assert san_diego["2504"] == "San Ysidro"
    assert set(san_diego) == {"2502", "2503", "2504", "2505", "2506", "2507", "2582"}
    assert [p.code for p in gazetteer.ports_of("Tucson FO")] == [
        "2601", "2602", "2603", "2604", "2606", "2608",
    ]  # fmt: skip
    assert gazetteer.ports_of("TUCSON SECTOR") == []  # a sector manages no port
    office = gazetteer.area_of_port("Nogales")
    assert office is not None and office.code == "TUCSON FIELD OFFICE"


def test_every_bts_port_is_in_the_table_with_its_field_office() -> None:
    # Independent read of the BTS file with the csv module: one (code, name, state, point) per port.
    with BTS.open(encoding="utf-8", newline="") as handle:
        ports = {
            (r["Port Code"], r["Port Name"], r["State"], r["Point"]) for r in csv.DictReader(handle)
        }
    gazetteer = load_gazetteer()
    postal = {name: code for _, code, name in STATES}
    assert len(ports) == len(gazetteer.members("port")) == 28
    for code, name, state, point in ports:
        port = gazetteer.resolve("port", code)
        coordinates = re.fullmatch(r"POINT \((\S+) (\S+)\)", point)
        assert coordinates is not None
        lon, lat = coordinates.groups()
        assert (port.name_en, port.attributes["us_state"]) == (name, postal[state])
        assert (port.attributes["latitude"], port.attributes["longitude"]) == (lat, lon)
        office = gazetteer.area_of_port(code)
        assert office is not None and office.kind == "field_office"
        assert office.attributes["region"] == "Southwest Border"
        assert postal[state] in office.attributes["us_states"].split(";")


def test_us_states_agree_with_the_parsers_table() -> None:
    gazetteer = load_gazetteer()
    for fips, code, name in STATES:
        state = gazetteer.resolve("us_state", code)
        assert (state.attributes["fips"], state.name_en) == (fips, name)
        assert gazetteer.resolve("us_state", name).code == code
    extra = {m.code for m in gazetteer.members("us_state")} - {code for _, code, _ in STATES}
    assert extra == {"US", "YC"}


def test_conapo_state_names_resolve_to_their_codes() -> None:
    # conapo/state_codes.csv is Latin-1, upper case, codes 1-32 without leading zero.
    text = (MIRROR / "conapo" / "state_codes.csv").read_bytes().decode("latin-1")
    names = {int(r["state_code"]): r["state"] for r in csv.DictReader(text.splitlines())}
    gazetteer = load_gazetteer()
    assert len(names) == 32
    for number, name in names.items():
        expected = "00" if name == "MÉXICO" else f"{number:02d}"  # documented decision
        assert gazetteer.resolve("mx_state", name).code == expected, name
    assert gazetteer.resolve("mx_state", "Estado de México").attributes["name_inegi"] == "México"


def test_member_names_fall_back_between_languages() -> None:
    robo = load_gazetteer().resolve("crime_subtype", "Robo de ganado")
    assert robo.name_en == ""
    assert robo.name("en") == robo.name("es") == "Robo de ganado"
    fentanyl = load_gazetteer().resolve("drug", "Fentanyl")
    assert (fentanyl.name("en"), fentanyl.name("es")) == ("Fentanyl", "Fentanilo")


def test_an_unknown_dimension_is_refused_with_the_known_ones() -> None:
    with pytest.raises(UnknownDimensionError, match="it has area, port"):
        load_gazetteer().resolve("modality", "Con violencia")


def test_a_name_given_to_two_members_is_refused_at_load(tmp_path: Path) -> None:
    for source in DATA.iterdir():
        shutil.copy(source, tmp_path / source.name)
    states = tmp_path / "mx_states.csv"
    text = states.read_text(encoding="utf-8")
    states.write_text(
        text.replace("27,Tabasco,Tabasco,Tabasco,,", "27,Tabasco,Tabasco,Tabasco,Sonora,")
    )
    with pytest.raises(ValueError, match=r"mx_states\.csv: mx_state name 'Sonora' points to both"):
        read_gazetteer(tmp_path)


def test_every_source_key_is_described_in_sources_md() -> None:
    described = set(re.findall(r"^### (.+)$", (DATA / "SOURCES.md").read_text(), re.MULTILINE))
    keys = {k for heading in described for k in re.findall(r"`([a-z0-9-]+)`", heading)}
    used: set[str] = set()
    for table in (DATA / name for name in GAZETTEER_TABLES):
        with table.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if "source_url" in (reader.fieldnames or []):
                continue  # a table of cited facts: each row carries its own URL
            for row in reader:
                assert row["source"], f"{table.name}: {row['code']} cites no source"
                used.update(row["source"].split(";"))
    assert used <= keys, used - keys


def test_a_member_read_through_a_name_is_said_in_the_answer(engine) -> None:
    # "México" is the country (the national total, 00), not the State of Mexico (15): the
    # answer says which member it read, so a user who meant the state sees it
    from borderflow.metrics import Query

    result = engine.run(Query("homicide_victims", "2024-01", where={"mx_state": ("México",)}))
    national = engine.run(Query("homicide_victims", "2024-01", where={"mx_state": ("00",)}))
    assert result.value == national.value
    assert any('"México" was read as the member 00' in str(n) for n in result.notes)
    assert not any("read as" in str(n) for n in national.notes)
