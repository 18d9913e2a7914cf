"""The real border network, built from the metrics layer and the gazetteer; GraphML/GeoJSON export.

``S → Mexican state → crossing node → U.S. state → T``:

* Mexican states supply ``total_flow`` (scenario) in proportion to intentional-homicide victims
  (SESNSP) — a proxy for criminal-group presence, not a measurement of production — or equally.
* Crossing nodes: each Southwest Border CBP field office's ports, one node per conveyance
  (capacity ∝ BTS inbound crossings, scaled so all ports together take ``capacity_slack ×
  total_flow``), and each Southwest Border Patrol sector between ports (together
  ``between_ports_share × capacity_slack × total_flow``, shared equally: no traffic is counted
  there). Detection from ``calibrate.py``.
* U.S. states demand ``total_flow`` in proportion to 12-month provisional overdose deaths (CDC
  VSRR; New York City added to New York), times the scenario's demand multipliers, renormalised.
* Arc costs: ``cost_per_1000km × great-circle km / 1000``, the Mexican leg times the conveyance's
  cost factor. Points: ports' BTS coordinates (a node sits at its ports' traffic-weighted mean),
  ``reference/data/places.csv`` for states and sectors.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from borderflow.errors import BorderflowError
from borderflow.interdiction.calibrate import Calibrated, calibrate_ports, calibrate_sectors
from borderflow.interdiction.model import SINK, SOURCE, Crossing, Network, add_crossing
from borderflow.interdiction.scenario import BETWEEN_PORTS, Scenario, ScenarioError
from borderflow.metrics import Engine, Query
from borderflow.reference.gazetteer import Gazetteer, UnknownMemberError, load_gazetteer

REGION = "Southwest Border"
EARTH_KM = 6371.0


@dataclass
class BorderData:
    """What the network is built from, as the metrics layer answered.

    Attributes:
        port_traffic: (port code, conveyance) → inbound crossings in the period.
        events: area → CBP seizure events in the period (Southwest Border).
        monthly_events: area → seizure events per month of the period (0 where none).
        demand: U.S. state → 12-month overdose deaths.
        origin_weight: Mexican state → weight (homicide victims, or 1).
        releases: provenance of every answer used.
    """

    port_traffic: dict[tuple[str, str], float]
    events: dict[str, float]
    monthly_events: dict[str, list[float]]
    demand: dict[str, float]
    origin_weight: dict[str, float]
    releases: list[dict[str, Any]] = field(default_factory=list)


def fetch_border_data(engine: Engine, scenario: Scenario) -> BorderData:
    """Ask the metrics layer for everything the network needs.

    Raises:
        ScenarioError: a period cannot be read or the warehouse has no data for it (the
            message names the scenario field and repeats the metrics layer's advice).
    """
    releases: list[dict[str, Any]] = []

    def run(query: Query, field_name: str) -> Any:
        try:
            result = engine.run(query)
        except BorderflowError as exc:
            raise ScenarioError(f"{scenario.path.name}: {field_name}: {exc}") from None
        releases.extend(r for r in result.releases if r not in releases)
        return result.rows

    period, conveyances = scenario.period, scenario.conveyances
    by_port = ("port", "conveyance")
    traffic = run(
        Query("crossings", period, where={"conveyance": conveyances}, by=by_port), "data.period"
    )
    where: dict[str, tuple[str, ...]] = {"region": (REGION,)}
    if scenario.drug:
        where["drug"] = (scenario.drug,)
    events = run(Query("seizure_events", period, where=where, by=("area",)), "data.drug")
    monthly = run(
        Query("seizure_events", period, where=where, by=("area",), grain="month"), "data.period"
    )
    deaths = run(
        Query("overdose_deaths_12m", scenario.demand_period, by=("us_state",)),
        "data.demand_period",
    )
    months = sorted(set(monthly["bucket"])) if len(monthly) else []
    data = BorderData(
        port_traffic={(r.port, r.conveyance): float(r.value) for r in traffic.itertuples()},
        events={r.area: float(r.value) for r in events.itertuples()},
        monthly_events=_monthly(monthly, months, Query("crossings", period).parsed_period().months),
        demand=_demand(deaths),
        origin_weight={},
        releases=releases,
    )
    if scenario.origin_weights == "homicide_victims":
        victims = run(Query("homicide_victims", period, by=("mx_state",)), "data.period")
        data.origin_weight = {
            r.mx_state: float(r.value)
            for r in victims.itertuples()
            if r.mx_state != "00" and math.isfinite(float(r.value))
        }
    return data


def _monthly(frame: Any, months: list[Any], n_months: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for area, group in frame.groupby("area"):
        values = dict(zip(group["bucket"], group["value"], strict=True))
        series = [float(values.get(m, 0.0)) for m in months]
        out[str(area)] = series + [0.0] * max(n_months - len(series), 0)
    return out


def _demand(frame: Any) -> dict[str, float]:
    demand = {
        r.us_state: float(r.value)
        for r in frame.itertuples()
        if r.us_state != "US" and math.isfinite(float(r.value))  # VSRR leaves some states blank
    }
    if "YC" in demand:  # VSRR reports New York City apart from the rest of New York
        demand["NY"] = demand.get("NY", 0.0) + demand.pop("YC")
    return demand


def load_places() -> dict[tuple[str, str], tuple[float, float]]:
    """(dimension, code) → (latitude, longitude) from ``reference/data/places.csv``."""
    text = (resources.files("borderflow.reference") / "data" / "places.csv").read_text("utf-8")
    return {
        (r["dimension"], r["code"]): (float(r["latitude"]), float(r["longitude"]))
        for r in csv.DictReader(io.StringIO(text))
    }


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Haversine distance in km between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


def network_from_warehouse(
    engine: Engine, scenario: Scenario
) -> tuple[BorderData, Network, list[Calibrated]]:
    """Read the scenario's data through ``engine`` and build its network.

    Returns:
        The data read, the calibrated network, and the calibration of every crossing.

    Raises:
        ScenarioError: the warehouse cannot answer one of the scenario's data fields.
    """
    data = fetch_border_data(engine, scenario)
    network, calibration = build_network(data, scenario)
    return data, network, calibration


def build_network(
    data: BorderData, scenario: Scenario, gazetteer: Gazetteer | None = None
) -> tuple[Network, list[Calibrated]]:
    """The flow network of a scenario, and the calibration behind its detection rates.

    Raises:
        ScenarioError: a closed or reinforced port is unknown, or no crossing is left open.
    """
    gaz = gazetteer or load_gazetteer()
    places = load_places()
    ports = {p.code: p for p in gaz.members("port")}
    closed = {_port_code(gaz, p, "ports.closed", scenario) for p in scenario.closed_ports}
    reinforced = {
        _port_code(gaz, p, "ports.reinforced", scenario): extra
        for p, extra in scenario.reinforced_ports.items()
    }
    open_traffic = {k: v for k, v in data.port_traffic.items() if k[0] not in closed and v > 0}
    by_node: dict[tuple[str, str], dict[str, float]] = {}
    for (port, conveyance), volume in open_traffic.items():
        office = ports[port].attributes.get("field_office", "") if port in ports else ""
        if office:
            by_node.setdefault((office, conveyance), {})[port] = volume
    sectors = [
        m.code
        for m in gaz.members("area")
        if m.kind == "sector" and m.attributes.get("region") == REGION
    ]
    calibration = _calibrate(data, scenario, by_node, sectors)
    crossings = _port_crossings(scenario, by_node, calibration, ports, reinforced, data)
    crossings += _sector_crossings(scenario, sectors, calibration, places)
    if not crossings:
        raise ScenarioError(
            f"{scenario.path.name}: ports.closed closes every port and "
            "network.between_ports_share is 0: the trafficker has no route; open a port."
        )
    graph = _graph(crossings, data, scenario, places)
    network = Network(
        graph=graph,
        crossings={c.id: c for c in crossings},
        survival_floor=scenario.survival_floor,
        meta={"closed_ports": sorted(closed), "reinforced_ports": reinforced},
    )
    return network, calibration


def _port_code(gaz: Gazetteer, text: str, field_name: str, scenario: Scenario) -> str:
    try:
        return gaz.resolve("port", text).code
    except UnknownMemberError as exc:
        raise ScenarioError(f"{scenario.path.name}: {field_name}: {exc}") from None


def _calibrate(
    data: BorderData,
    scenario: Scenario,
    by_node: Mapping[tuple[str, str], Mapping[str, float]],
    sectors: list[str],
) -> list[Calibrated]:
    bounds = (scenario.min_detection, scenario.max_detection)
    traffic = {node: sum(ports.values()) for node, ports in by_node.items()}
    rows = calibrate_ports(
        traffic,
        data.events,
        data.monthly_events,
        mean_detection=scenario.port_detection,
        conveyance_factor=scenario.conveyance_detection,
        bounds=bounds,
    )
    if scenario.between_ports_share > 0:
        rows += calibrate_sectors(
            sectors,
            data.events,
            data.monthly_events,
            mean_detection=scenario.sector_detection,
            bounds=bounds,
            conveyance=BETWEEN_PORTS,
        )
    return rows


def _port_crossings(
    scenario: Scenario,
    by_node: Mapping[tuple[str, str], Mapping[str, float]],
    calibration: list[Calibrated],
    ports: Mapping[str, Any],
    reinforced: Mapping[str, float],
    data: BorderData,
) -> list[Crossing]:
    detection = {(c.area, c.conveyance): c.detection for c in calibration}
    total = sum(sum(p.values()) for p in by_node.values()) or 1.0
    office_traffic: dict[str, float] = {}
    for (office, _), members in by_node.items():
        office_traffic[office] = office_traffic.get(office, 0.0) + sum(members.values())
    out = []
    for (office, conveyance), members in sorted(by_node.items()):
        volume = sum(members.values())
        lat = sum(float(ports[p].attributes["latitude"]) * v for p, v in members.items()) / volume
        lon = sum(float(ports[p].attributes["longitude"]) * v for p, v in members.items()) / volume
        extra = sum(reinforced.get(p, 0.0) * v for p, v in members.items()) / volume
        out.append(
            Crossing(
                id=f"{office}|{conveyance}",
                name=f"{office.title().replace('Field Office', 'FO')} — {conveyance}",
                kind="port",
                area=office,
                conveyance=conveyance,
                capacity=scenario.capacity_slack * scenario.total_flow * volume / total,
                detection=min(detection[office, conveyance] + extra, 1 - scenario.survival_floor),
                traffic=volume,
                latitude=lat,
                longitude=lon,
                seizure_events=data.events.get(office, 0.0) * volume / office_traffic[office],
            )
        )
    return out


def _sector_crossings(
    scenario: Scenario,
    sectors: list[str],
    calibration: list[Calibrated],
    places: Mapping[tuple[str, str], tuple[float, float]],
) -> list[Crossing]:
    if scenario.between_ports_share <= 0 or not sectors:
        return []
    rows = {c.area: c for c in calibration if c.conveyance == BETWEEN_PORTS}
    each = (
        scenario.between_ports_share * scenario.capacity_slack * scenario.total_flow / len(sectors)
    )
    return [
        Crossing(
            id=f"{s}|{BETWEEN_PORTS}",
            name=f"{s.title()} — between ports",
            kind="sector",
            area=s,
            conveyance=BETWEEN_PORTS,
            capacity=each,
            detection=rows[s].detection,
            latitude=places["area", s][0],
            longitude=places["area", s][1],
            seizure_events=rows[s].events,
        )
        for s in sectors
    ]


def _shares(weights: Mapping[str, float]) -> dict[str, float]:
    total = sum(weights.values())
    return {k: v / total for k, v in weights.items() if v > 0} if total > 0 else {}


def _graph(
    crossings: list[Crossing],
    data: BorderData,
    scenario: Scenario,
    places: Mapping[tuple[str, str], tuple[float, float]],
) -> nx.DiGraph:
    g = nx.DiGraph()
    per_km = scenario.cost_per_1000km / 1000.0
    origins = [code for (dim, code) in places if dim == "mx_state"]
    weights = data.origin_weight or dict.fromkeys(origins, 1.0)
    supply = _shares({o: weights.get(o, 0.0) for o in origins})
    demand = _shares(
        {
            s: v * scenario.demand_shift.get(s, 1.0)
            for s, v in data.demand.items()
            if ("us_state", s) in places
        }
    )
    for o, share in supply.items():
        g.add_node(
            f"mx:{o}",
            kind="origin",
            code=o,
            lat=places["mx_state", o][0],
            lon=places["mx_state", o][1],
        )
        g.add_edge(SOURCE, f"mx:{o}", capacity=share * scenario.total_flow, cost=0.0)
    for d, share in demand.items():
        g.add_node(
            f"us:{d}",
            kind="destination",
            code=d,
            lat=places["us_state", d][0],
            lon=places["us_state", d][1],
        )
        g.add_edge(f"us:{d}", SINK, capacity=share * scenario.total_flow, cost=0.0)
    for c in crossings:
        add_crossing(g, c)
        point = (c.latitude, c.longitude)
        factor = scenario.conveyance_cost.get(c.conveyance, 1.0)
        for o in supply:
            km = great_circle_km(places["mx_state", o], point)
            g.add_edge(f"mx:{o}", f"{c.id}:in", cost=per_km * km * factor)
        for d in demand:
            km = great_circle_km(point, places["us_state", d])
            g.add_edge(f"{c.id}:out", f"us:{d}", cost=per_km * km)
    return g


def to_graphml(network: Network, path: Path) -> None:
    """Write the network as GraphML (crossing attributes on the crossing arcs)."""
    g = nx.DiGraph()
    for node, data in network.graph.nodes(data=True):
        g.add_node(node, **{k: v for k, v in data.items() if v is not None})
    for u, v, data in network.graph.edges(data=True):
        attrs = {k: val for k, val in data.items() if val is not None}
        if "crossing" in attrs:
            c = network.crossings[attrs["crossing"]]
            attrs |= {
                "kind": c.kind,
                "area": c.area,
                "conveyance": c.conveyance,
                "detection": c.detection,
                "traffic": c.traffic,
            }
        g.add_edge(u, v, **attrs)
    nx.write_graphml(g, str(path))


def to_geojson(network: Network, flows: Mapping[str, float] | None = None) -> dict[str, Any]:
    """The network's points as a GeoJSON FeatureCollection (crossings with their flows)."""
    features = []
    for c in network.crossings.values():
        props = {
            "id": c.id,
            "name": c.name,
            "kind": c.kind,
            "area": c.area,
            "conveyance": c.conveyance,
            "capacity": c.capacity,
            "detection": c.detection,
            "traffic": c.traffic,
            "flow": (flows or {}).get(c.id),
        }
        features.append(_point(c.longitude, c.latitude, props))
    for node, data in network.graph.nodes(data=True):
        if data.get("kind") in ("origin", "destination"):
            features.append(
                _point(
                    data["lon"],
                    data["lat"],
                    {"id": node, "kind": data["kind"], "code": data["code"]},
                )
            )
    return {"type": "FeatureCollection", "features": features}


def _point(lon: float, lat: float, props: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": props,
    }
