"""What the synthetic shipments assume where UN Comtrade says nothing — stated, not data.

UN Comtrade gives each reporter's annual imports per HS line from the World; it has no partner,
month, port or conveyance. Those are drawn from the tables below. They are rough shapes chosen
to look like chemical trade (partner shares loosely after the big suppliers in mirror
statistics; ports among each country's main container ports and airports), not estimates:
nothing computed from a synthetic set says anything about real partners, ports or months.
"""

from __future__ import annotations

#: Reporter name in the UN Comtrade files → ISO 3166-1 alpha-3 code of the consignee country.
REPORTERS: dict[str, str] = {"Mexico": "MEX", "China": "CHN", "India": "IND"}

#: Share of each shipper (origin) country in a reporter's imports. Assumption.
PARTNER_MIX: dict[str, dict[str, float]] = {
    "MEX": {
        "USA": 0.40, "CHN": 0.22, "IND": 0.08, "DEU": 0.07, "JPN": 0.04, "CHE": 0.03,
        "KOR": 0.03, "ESP": 0.02, "FRA": 0.02, "ITA": 0.02, "NLD": 0.02, "BEL": 0.02,
        "BRA": 0.02, "GBR": 0.01,
    },
    "CHN": {
        "KOR": 0.14, "JPN": 0.13, "USA": 0.10, "DEU": 0.09, "TWN": 0.09, "SAU": 0.08,
        "SGP": 0.06, "IND": 0.05, "BEL": 0.05, "NLD": 0.04, "MYS": 0.04, "THA": 0.04,
        "FRA": 0.03, "GBR": 0.02, "CHE": 0.02, "ITA": 0.02,
    },
    "IND": {
        "CHN": 0.45, "USA": 0.09, "SGP": 0.06, "KOR": 0.05, "JPN": 0.05, "DEU": 0.05,
        "SAU": 0.05, "ARE": 0.04, "CHE": 0.03, "BEL": 0.03, "NLD": 0.03, "FRA": 0.02,
        "ITA": 0.02, "GBR": 0.02, "MYS": 0.01,
    },
}  # fmt: skip

#: Ports of lading of each shipper country (UN/LOCODE), with their shares. Assumption.
LADING_PORTS: dict[str, dict[str, float]] = {
    "USA": {"USHOU": 0.35, "USNYC": 0.20, "USLAX": 0.15, "USLRD": 0.20, "USELP": 0.10},
    "CHN": {"CNSHA": 0.35, "CNNGB": 0.25, "CNSZX": 0.15, "CNTAO": 0.15, "CNTSN": 0.10},
    "IND": {"INNSA": 0.55, "INMUN": 0.30, "INMAA": 0.15},
    "DEU": {"DEHAM": 0.70, "DEBRV": 0.30},
    "JPN": {"JPTYO": 0.40, "JPYOK": 0.35, "JPUKB": 0.25},
    "KOR": {"KRPUS": 0.75, "KRINC": 0.25},
    "TWN": {"TWKHH": 0.70, "TWTPE": 0.30},
    "SAU": {"SAJUB": 0.60, "SADMM": 0.40},
    "SGP": {"SGSIN": 1.0},
    "ARE": {"AEJEA": 1.0},
    "MYS": {"MYPKG": 1.0},
    "THA": {"THLCH": 1.0},
    "BEL": {"BEANR": 1.0},
    "NLD": {"NLRTM": 1.0},
    "FRA": {"FRLEH": 0.6, "FRFOS": 0.4},
    "GBR": {"GBFXT": 1.0},
    "CHE": {"CHBSL": 1.0},
    "ITA": {"ITGOA": 0.6, "ITSPE": 0.4},
    "ESP": {"ESVLC": 0.6, "ESBCN": 0.4},
    "BRA": {"BRSSZ": 1.0},
}

#: Ports of unlading of each consignee country by conveyance (UN/LOCODE). Assumption.
UNLADING_PORTS: dict[str, dict[str, dict[str, float]]] = {
    "MEX": {
        "vessel": {"MXZLO": 0.40, "MXLZC": 0.20, "MXVER": 0.20, "MXATM": 0.15, "MXESE": 0.05},
        "air": {"MXMEX": 0.70, "MXGDL": 0.20, "MXMTY": 0.10},
        "truck": {"MXNLD": 0.55, "MXCJS": 0.20, "MXTIJ": 0.15, "MXREX": 0.10},
        "rail": {"MXNLD": 0.70, "MXPNG": 0.30},
    },
    "CHN": {
        "vessel": {"CNSHA": 0.35, "CNNGB": 0.20, "CNTAO": 0.15, "CNTSN": 0.15, "CNSZX": 0.15},
        "air": {"CNPVG": 0.60, "CNPEK": 0.40},
    },
    "IND": {
        "vessel": {"INNSA": 0.50, "INMUN": 0.30, "INMAA": 0.10, "INCCU": 0.10},
        "air": {"INDEL": 0.50, "INBOM": 0.50},
    },
}  # fmt: skip

#: Share of each conveyance by (consignee, shipper); other pairs use ``OVERSEAS``. Assumption.
CONVEYANCE_MIX: dict[tuple[str, str], dict[str, float]] = {
    ("MEX", "USA"): {"truck": 0.70, "rail": 0.20, "vessel": 0.05, "air": 0.05},
}
OVERSEAS: dict[str, float] = {"vessel": 0.85, "air": 0.15}

#: Relative volume of each calendar month (January first): a Lunar New Year dip in February and
#: an autumn peak. Assumption.
SEASONALITY: tuple[float, ...] = (
    1.00, 0.80, 1.00, 1.00, 1.02, 1.00, 1.02, 1.05, 1.08, 1.10, 1.05, 0.98,
)  # fmt: skip

#: How uneven shipments of one HS line in one year are: the sigma of the lognormal their shares
#: of the annual value are drawn from, and of the unit value around the line's average.
VALUE_SPREAD = 1.0
UNIT_VALUE_SPREAD = 0.3

#: Records per shipment of value: a line gets records in proportion to the square root of its
#: annual value (big lines have bigger shipments, not only more of them), and a shipment is
#: worth at least ``MIN_SHIPMENT_USD`` on average.
RECORDS_EXPONENT = 0.5
MIN_SHIPMENT_USD = 50
