"""SESNSP state incidence (carpetas de investigación), parsed from the real mirror files.

Expected numbers come from SOURCE.md where it gives them (2015, 2021, Jan–Mar 2022 and the 2026
months); the other years were computed independently with awk on the raw file (homicide rows
contain no quoted commas, so splitting on commas is exact for them):

    awk -F, '$6=="Homicidio doloso"{for(i=8;i<=19;i++) s[$1]+=$i} END{for(y in s) print y, s[y]}' \
        IDEFC_NM_mar22.csv
    awk -F, '$6=="Homicidio doloso"{a+=$8;b+=$9;c+=$10} END{print a,b,c}' estatal_n_2026_ene-mar.csv
"""

from __future__ import annotations

import contextlib
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderflow.errors import SourceError
from borderflow.sources import all_sources
from borderflow.sources.base import ParsedFile
from borderflow.sources.sesnsp_incidence import (
    MOJIBAKE_TELLS,
    SOURCE,
    parse_incidence,
    release_vintage,
    repair_mojibake,
)
from conftest import MIRROR

OLD = "IDEFC_NM_mar22.csv"
NEW = "estatal_n_2026_ene-mar.csv"
HEADER = (
    "Año,Clave_Ent,Entidad,Bien jurídico afectado,Tipo de delito,Subtipo de delito,Modalidad,"
    "Enero,Febrero,Marzo,Abril,Mayo,Junio,Julio,Agosto,Septiembre,Octubre,Noviembre,Diciembre\n"
)
CATEGORY_DIMS = ["crime_category", "crime_type", "crime_subtype", "modality"]


def _parse(name: str) -> ParsedFile:
    return parse_incidence((MIRROR / "sesnsp" / name).read_bytes(), name)


@pytest.fixture(scope="module")
def old() -> ParsedFile:
    return _parse(OLD)


@pytest.fixture(scope="module")
def new() -> ParsedFile:
    return _parse(NEW)


def _homicides(parsed: ParsedFile) -> pd.Series:
    obs = parsed.observations
    return obs[obs["crime_subtype"] == "Homicidio doloso"].groupby("period_start")["value"].sum()


def test_registered_and_both_releases_in_one_series() -> None:
    assert all_sources()["sesnsp_incidence"] is SOURCE
    found = [(series.key, path.name) for series, path in SOURCE.files_in(MIRROR)]
    assert found == [("estatal", OLD), ("estatal", NEW)]  # not the victims file


def test_homicidio_doloso_national_per_year_2015_to_march_2022(old: ParsedFile) -> None:
    by_year = _homicides(old).groupby(lambda d: d.year).sum().to_dict()
    assert by_year == {
        2015: 16120, 2016: 20149, 2017: 25035, 2018: 29097,
        2019: 29480, 2020: 28830, 2021: 28267, 2022: 6152,
    }  # fmt: skip


def test_homicidio_doloso_national_2026_months(new: ParsedFile) -> None:
    months = _homicides(new)
    assert months.to_dict() == {
        pd.Timestamp("2026-01-01"): 1392,
        pd.Timestamp("2026-02-01"): 1206,
        pd.Timestamp("2026-03-01"): 1398,
    }


def test_blank_months_are_not_observations(old: ParsedFile, new: ParsedFile) -> None:
    # 25,088 rows × 12 months, less Apr–Dec 2022 blank in the 3,136 rows of 2022.
    assert len(old.observations) == 25088 * 12 - 3136 * 9
    assert old.observations["period_start"].max() == pd.Timestamp("2022-03-01")
    assert len(new.observations) == 3648 * 3
    assert new.observations["period_end"].max() == pd.Timestamp("2026-03-31")
    assert not old.observations["value"].isna().any()


def test_whole_files_read_without_issues(old: ParsedFile, new: ParsedFile) -> None:
    assert (old.rows_read, old.issues) == (25088, [])
    assert (new.rows_read, new.issues) == (3648, [])
    for parsed in (old, new):
        obs = parsed.observations
        assert sorted(obs["mx_state"].unique()) == [f"{i:02d}" for i in range(1, 33)]
        assert set(obs["unit"]) == {"investigation files"}
        assert set(obs["measure"]) == {"crime_incidents"}


def test_mojibake_repaired_in_utf8_file(old: ParsedFile) -> None:
    obs = old.observations
    letters = {c for d in CATEGORY_DIMS for v in obs[d].unique() for c in v if not c.isascii()}
    assert letters == set("áéíóúñ")
    assert not letters & MOJIBAKE_TELLS
    assert "Otros bienes jurídicos afectados (del fuero común)" in set(obs["crime_category"])
    assert {"Extorsión", "Daño a la propiedad", "Violación simple"} <= set(obs["crime_type"])
    assert "Robo a transeúnte en vía pública" in set(obs["crime_subtype"])
    assert "En accidente de tránsito" in set(obs["modality"])


def test_latin1_file_decoded_and_categories_match_older_file(
    old: ParsedFile, new: ParsedFile
) -> None:
    assert {"Extorsión", "Daño a la propiedad", "Violación"} <= set(new.observations["crime_type"])
    # The seven bienes jurídicos are spelled identically in both releases once repaired.
    assert set(new.observations["crime_category"]) == set(old.observations["crime_category"])
    assert len(set(old.observations["crime_category"])) == 7


def test_repair_mojibake_leaves_clean_text_alone() -> None:
    assert repair_mojibake("Michoac·n de Ocampo") == "Michoacán de Ocampo"
    assert repair_mojibake("Secuestro exprÈs") == "Secuestro exprés"
    assert repair_mojibake("Homicidio doloso") == "Homicidio doloso"
    assert repair_mojibake("Extorsión") == "Extorsión"


def test_bad_cells_reject_their_row_only() -> None:
    raw = (
        HEADER
        + "2026,01,A,Cat,Tipo,Sub,Mod,1,x,,,,,,,,,,\n"  # line 2: bad number
        + "2026,33,A,Cat,Tipo,Sub,Mod,1,,,,,,,,,,,\n"  # line 3: no such state
        + "20x6,01,A,Cat,Tipo,Sub,Mod,1,,,,,,,,,,,\n"  # line 4: bad year
        + "2026,2,A,Cat,Tipo,Sub,Mod,,,,,,,,,,,,5\n"  # line 5: fine (December only)
    ).encode("latin-1")
    parsed = parse_incidence(raw, "t.csv")
    kinds = {(i.kind, i.row, i.column) for i in parsed.issues}
    assert kinds == {
        ("unparseable_number", 2, "Febrero"),
        ("unknown_category", 3, "Clave_Ent"),
        ("unparseable_period", 4, "Año"),
    }
    assert parsed.rows_rejected == 3
    obs = parsed.observations
    assert obs[["mx_state", "period_start", "value"]].values.tolist() == [
        ["02", pd.Timestamp("2026-12-01"), 5.0]
    ]


def test_mangled_year_header_accepted() -> None:
    raw = ("AÒo" + HEADER[3:] + "2015,1,E,C,ExtorsiÛn,S,M,4,,,,,,,,,,,\n").encode("utf-8-sig")
    obs = parse_incidence(raw, "t.csv").observations
    assert obs[["crime_type", "value"]].values.tolist() == [["Extorsión", 4.0]]


@pytest.mark.parametrize("raw", [b"", b"\n\n", HEADER.replace("Modalidad", "Otra").encode()])
def test_unreadable_files_raise_source_error(raw: bytes) -> None:
    with pytest.raises(SourceError):
        parse_incidence(raw, "t.csv")


def test_vintages() -> None:
    series = SOURCE.series[0]
    assert {k.name: k.vintage for k in series.known} == {
        OLD: date(2022, 4, 20),
        NEW: date(2026, 4, 18),
    }
    assert release_vintage("IDEFC_NM_dic21.csv") == date(2022, 1, 20)
    assert release_vintage("estatal_n_2026_ene-jun.csv") == date(2026, 7, 20)
    assert release_vintage("estatal.csv") is None


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=300).map(lambda t: (HEADER + t).encode()))
def test_any_bytes_give_parsed_file_or_source_error(raw: bytes) -> None:
    with contextlib.suppress(SourceError):
        parse_incidence(raw, "fuzz.csv")
