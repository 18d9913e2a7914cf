"""The cited fact tables the claim checker reads: agreements and precursor chemicals."""

from __future__ import annotations

import csv
import datetime as dt
from importlib import resources
from pathlib import Path

import pytest

DATA = Path(str(resources.files("borderflow.reference") / "data"))

COLUMNS = {
    "agreements.csv": [
        "id", "name_en", "name_es", "aliases", "kind", "event", "date", "date_precision",
        "description_en", "description_es", "source_title", "source_url",
    ],
    "precursors.csv": [
        "id", "name", "aliases", "cas", "precursor_of", "role", "controls", "control_date",
        "source_title", "source_url",
    ],
}  # fmt: skip


def read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS[name]
        return list(reader)


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_every_row_is_complete_and_cited(name: str) -> None:
    rows = read(name)
    assert len(rows) >= 10
    for row in rows:
        assert None not in row, f"{name}: a row has more fields than the header"
        urls = row["source_url"].split(";")
        assert all(u.startswith(("http://", "https://")) for u in urls), row["id"]
        assert len(row["source_title"].split(" | ")) == len(urls), row["id"]


def test_agreement_events_are_unique_and_dated() -> None:
    rows = read("agreements.csv")
    keys = [(r["id"], r["event"]) for r in rows]
    assert len(keys) == len(set(keys))
    for row in rows:
        date = dt.date.fromisoformat(row["date"])
        assert row["date_precision"] in {"day", "month", "year"}
        if row["date_precision"] != "day":
            assert date.day == 1, row
        names = {row["id"]: (row["name_en"], row["name_es"], row["aliases"])}
        assert all(names[row["id"]]), row["id"]
    # one set of names per agreement, whichever event row it is read from
    by_id: dict[str, set[tuple[str, str, str]]] = {}
    for row in rows:
        by_id.setdefault(row["id"], set()).add((row["name_en"], row["name_es"], row["aliases"]))
    assert all(len(v) == 1 for v in by_id.values())
    assert len(rows) >= 10 and len(by_id) >= 5


def test_merida_dates_that_articles_confuse() -> None:
    merida = {r["event"]: r for r in read("agreements.csv") if r["id"] == "merida_initiative"}
    assert merida["announced"]["date"] == "2007-10-22"
    assert merida["conceived"]["date"] == "2007-03-13"
    assert merida["first_funded"]["date"] == "2008-06-30"
    assert "Iniciativa Mérida" in merida["announced"]["aliases"].split(";")
    # The article in shared/articles calls it "the 2014 Merida Initiative": no event in 2014.
    assert not any(r["date"].startswith("2014") for r in merida.values())
    bicentennial = {
        r["event"]: r["date"] for r in read("agreements.csv") if r["id"] == "bicentennial_framework"
    }
    assert bicentennial["adopted"] == merida["replaced"]["date"] == "2021-10-08"


def test_precursor_ids_unique_and_control_dates_iso() -> None:
    rows = read("precursors.csv")
    assert len({r["id"] for r in rows}) == len(rows)
    roles = {
        "precursor",
        "immediate_precursor",
        "pre-precursor",
        "metabolite",
        "essential_chemical",
    }
    for row in rows:
        assert row["role"] in roles, row["id"]
        if row["control_date"]:
            dt.date.fromisoformat(row["control_date"])
        assert row["cas"] == "" or row["cas"].count("-") == 2, row["id"]


def test_fentanyl_precursors_and_the_chemicals_misnamed_as_such() -> None:
    chem = {r["id"]: r for r in read("precursors.csv")}
    fentanyl = {k for k, r in chem.items() if "fentanyl" in r["precursor_of"].split(";")}
    assert {"npp", "anpp", "4_ap", "1_boc_4_ap", "norfentanyl", "4_piperidone"} <= fentanyl
    assert "NPP" in chem["npp"]["aliases"].split(";")
    assert chem["npp"]["control_date"] == "2007-04-23"  # DEA interim rule, 72 FR 20039
    assert "Table I" in chem["npp"]["controls"] and "2017" in chem["npp"]["controls"]
    assert chem["4_ap"]["control_date"] == "2020-05-15"  # 85 FR 20822, not 2023
    assert chem["pseudoephedrine"]["precursor_of"] == "methamphetamine"
    assert "seudoefedrina" in chem["pseudoephedrine"]["aliases"].split(";")
    assert chem["acetic_anhydride"]["precursor_of"] == "heroin"
    assert "anhídrido acético" in chem["acetic_anhydride"]["aliases"].split(";")
    assert chem["6_acetylmorphine"]["role"] == "metabolite"
    assert chem["6_acetylmorphine"]["precursor_of"] == "heroin"
    assert not fentanyl & {"pseudoephedrine", "ephedrine", "acetic_anhydride", "6_acetylmorphine"}
