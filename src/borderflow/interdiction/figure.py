"""A one-page figure of a run: the plan on a map, the policies compared, the simulation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

KIND_MARKER = {"port": "s", "sector": "^"}


def plot_run(result: dict[str, Any], path: Path) -> Path:
    """Draw ``result`` (``InterdictionResult.to_dict()``) to a PNG at ``path``."""
    fig, (ax_map, ax_bar, ax_sim) = plt.subplots(
        1, 3, figsize=(16, 5.2), gridspec_kw={"width_ratios": [1.6, 1, 1]}
    )
    _map(ax_map, result)
    _policies(ax_bar, result)
    _simulation(ax_sim, result)
    fig.suptitle(f"Interdiction scenario {result['scenario']['name']!r}", fontsize=12)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _map(ax: Any, result: dict[str, Any]) -> None:
    units: dict[str, int] = {}
    for row in result["allocation"]:
        units[row["node"]] = units.get(row["node"], 0) + row["units"]
    crossings = [f for f in result["geojson"]["features"] if "conveyance" in f["properties"]]
    others = [f for f in result["geojson"]["features"] if "conveyance" not in f["properties"]]
    ax.scatter(
        [f["geometry"]["coordinates"][0] for f in others],
        [f["geometry"]["coordinates"][1] for f in others],
        s=8,
        c="lightgrey",
        label="Mexican / U.S. state points",
    )
    for kind, marker in KIND_MARKER.items():
        mine = [f for f in crossings if f["properties"]["kind"] == kind]
        scatter = ax.scatter(
            [f["geometry"]["coordinates"][0] for f in mine],
            [f["geometry"]["coordinates"][1] for f in mine],
            s=[20 + 1.5 * (f["properties"]["flow"] or 0) for f in mine],
            c=[units.get(f["properties"]["id"], 0) for f in mine],
            cmap="viridis",
            vmin=0,
            vmax=max(units.values(), default=1),
            marker=marker,
            edgecolors="black",
            alpha=0.8,
            label=f"{kind} (size: flow)",
        )
    ax.figure.colorbar(scatter, ax=ax, label="units placed")
    ax.set_xlim(-120, -95)
    ax.set_ylim(24, 36)
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_title("Plan and the trafficker's re-routed flow")
    ax.legend(loc="lower left", fontsize=7)


def _policies(ax: Any, result: dict[str, Any]) -> None:
    names = list(result["policies"])
    exact = [result["policies"][n]["delivered"] for n in names]
    quantal = [result["policies"][n]["quantal_delivered"] for n in names]
    xs = range(len(names))
    ax.bar([x - 0.2 for x in xs], exact, width=0.4, label="best-response trafficker")
    ax.bar([x + 0.2 for x in xs], quantal, width=0.4, label="quantal-response trafficker")
    low = min(exact + quantal)
    ax.set_ylim(low * 0.95, max(exact + quantal) * 1.01)
    ax.set_xticks(list(xs), names, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("expected flow delivered")
    ax.set_title("Plans compared (lower is better)")
    ax.legend(fontsize=7)


def _simulation(ax: Any, result: dict[str, Any]) -> None:
    sim = result["simulation"]
    months = range(1, len(sim["monthly_delivered"]) + 1)
    ax.plot(months, sim["monthly_delivered"], label="delivered")
    ax.plot(months, sim["monthly_seized"], label="seized")
    ax.axvline(sim["deploy_month"], color="grey", linestyle="--", label="plan deployed")
    ax.set_xlabel("month")
    ax.set_ylabel("flow units")
    ax.set_title(f"Simulation: displacement {sim['displacement']:.0%}")
    ax.legend(fontsize=7)
