"""``borderflow update`` against a real HTTP server on 127.0.0.1.

The server serves the real mirror (``conftest.MIRROR``, read in place, never copied into the
repository) and, at ``/cbp_drug_seizures/index.html``, a copy of CBP's Nationwide Drug Seizures
page (``tests/fixtures/``) linking the newest window, ``nationwide-drugs-fy23-fy26-apr.csv``.
The local side starts as a temporary mirror and warehouse holding everything but that file, and
a stored forecast that read CBP seizures. Expected figures are read from the CSVs with the csv
module (``reference.py``), never from borderflow.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from borderflow.cli import app
from borderflow.errors import FetchError
from borderflow.fetch import NO_ADDRESS, fetch, fetch_page, no_address_reason
from borderflow.metrics import Engine, get_measure
from borderflow.metrics.periods import fiscal_year_of
from borderflow.outlook import run_outlook, store_outlook_run
from borderflow.sources import all_sources, get_sources
from borderflow.update import (
    HEADLINES,
    PERIOD_KINDS,
    discover,
    discover_all,
    page_links,
    with_discovered,
)
from borderflow.warehouse import Warehouse
from borderflow.warehouse.ingest import ingest
from conftest import MIRROR
from http_mirror import MirrorHandler, serving
from reference import CBP, cbp_files, cbp_pounds_by_month

FOLDER = "cbp_drug_seizures"
NEWEST = "nationwide-drugs-fy23-fy26-apr.csv"
PAGE = Path(__file__).parent / "fixtures" / "cbp_nationwide_drug_seizures.html"
OFFICIAL = "https://www.cbp.gov/document/stats/nationwide-drug-seizures"
FENTANYL = {"Drug Type": "Fentanyl"}
runner = CliRunner()


# -- the server -------------------------------------------------------------------------------


class Handler(MirrorHandler):
    """The mirror's files with ETags, plus the copy of CBP's page at the folder's index."""

    def translate_path(self, path: str) -> str:
        if urlsplit(path).path == f"/{FOLDER}/index.html":
            return str(PAGE)
        return super().translate_path(path)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving(MIRROR, Handler) as httpd:
        yield httpd.base_url + "/"


@dataclass
class Local:
    mirror: Path
    db: Path
    forecast_run: int
    forecast_params: dict[str, Any]


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Local:
    """A mirror (links to the real files) and a warehouse without the newest CBP window, and a
    stored forecast of fentanyl seizures."""
    root = tmp_path_factory.mktemp("update")
    mirror, db = root / "mirror", root / "borderflow.duckdb"
    for folder in sorted(p for p in MIRROR.iterdir() if p.is_dir()):
        (mirror / folder.name).mkdir(parents=True)
        for path in sorted(folder.iterdir()):
            if path.name != NEWEST:
                os.symlink(path, mirror / folder.name / path.name)
    with Warehouse(db) as warehouse:
        report = ingest(warehouse, get_sources(), mirror)
        assert report.refused == [] and NEWEST not in {o.file for o in report.outcomes}
        engine = Engine.over(warehouse)
        run = run_outlook(engine, measures=["seized_lb"], where={"drug": ("Fentanyl",)},
                          horizon=3, backtest=False)  # fmt: skip
        run_id = store_outlook_run(warehouse, run)
    return Local(mirror, db, run_id, run.params)


def update(server: str, local: Local, *args: str) -> Any:
    return runner.invoke(
        app,
        ["update", "--from", server, "--mirror", str(local.mirror), "--db", str(local.db), *args],
    )


# -- the scenario -----------------------------------------------------------------------------


@dataclass
class Expected:
    """The change report's CBP line, from the two CSVs alone."""

    sentence: str
    revised: list[str]  # the months both windows hold whose fentanyl pounds differ


def expected() -> Expected:
    new_path = CBP / NEWEST
    previous_path = [p for p in cbp_files() if p.name != NEWEST][-1]  # the -dec window
    new = cbp_pounds_by_month(new_path, **FENTANYL)
    previous = cbp_pounds_by_month(previous_path, **FENTANYL)
    new_last, previous_last = max(new), max(previous)
    fy = fiscal_year_of(new_last)
    assert fiscal_year_of(previous_last) == fy

    def ytd(months: dict[date, float], last: date) -> float:
        return sum(v for m, v in months.items() if fiscal_year_of(m) == fy and m <= last)

    both = sorted(set(new) & set(previous))
    revised = [m for m in both if abs(new[m] - previous[m]) > 1e-6]
    words = [f"{m:%b %Y} ({previous[m]:,.2f} lb → {new[m]:,.2f} lb)" for m in revised]
    sentence = (
        f"FY{fy} fentanyl through {new_last:%B}: {ytd(new, new_last):,.2f} lb; "
        f"through {previous_last:%B} in the previous release: "
        f"{ytd(previous, previous_last):,.2f} lb; months revised: {', '.join(words) or 'none'}"
    )
    return Expected(sentence, [f"{m:%b %Y}" for m in revised])


def test_update_discovers_loads_reports_and_reruns_then_loads_nothing(
    server: str, local: Local
) -> None:
    first = update(server, local)
    assert first.exit_code == 0, first.output
    sentence = expected().sentence
    # FY2026 through April 6,725.62 lb; through December 3,398.28 lb (SOURCE.md).
    assert "FY2026 fentanyl through April: 6,725.62 lb" in sentence
    assert "through December in the previous release: 3,398.28 lb" in sentence
    assert f"cbp_nationwide: {sentence}" in first.stdout
    assert f"Newest files on {server}{FOLDER}/index.html: {NEWEST} (cbp_nationwide)" in (
        first.stdout
    )
    assert f"{NEWEST} (cbp_nationwide, release" in first.stdout
    assert (local.mirror / FOLDER / NEWEST).read_bytes() == (CBP / NEWEST).read_bytes()

    with Warehouse(local.db, read_only=True) as warehouse:
        release = next(r for r in warehouse.read.releases() if r["file_name"] == NEWEST)
        runs = warehouse.read.forecast_runs()
        rerun = warehouse.read.forecast_run(int(runs[0]["run_id"]))
    assert release["state"] == "loaded"
    assert release["url"] == f"{server}{FOLDER}/{NEWEST}"  # provenance: where it came from
    assert rerun is not None and rerun["run_id"] != local.forecast_run
    assert rerun["params"] == json.loads(json.dumps(local.forecast_params))
    assert release["release_id"] in {r["release_id"] for r in rerun["releases"]}
    assert (
        f"Forecast run {local.forecast_run} (seized_lb; drug=Fentanyl; horizon 3) re-run as "
        f"run {rerun['run_id']}: it read cbp_nationwide." in first.stdout
    )

    again = update(server, local)
    assert again.exit_code == 0, again.output
    assert "Nothing new: the " in again.stdout and "no forecasts to re-run" in again.stdout
    assert "What changed" not in again.stdout

    data = json.loads(update(server, local, "--json").stdout)
    assert data["nothing_new"] is True and data["loaded"] == [] and data["changes"] == []
    assert data["forecasts"] == [] and data["problems"] == []
    assert data["fetch"]["downloaded"] == 0 and data["fetch"]["not_modified"] > 0
    assert data["ingest"]["loaded"] == 0 and data["ingest"]["refused"] == 0
    (found,) = [f for d in data["discovered"] for f in d["files"] if f["name"] == NEWEST]
    assert found["url"] == f"https://www.cbp.gov/sites/default/files/2026-05/{NEWEST}"
    with Warehouse(local.db, read_only=True) as warehouse:
        assert len(warehouse.read.forecast_runs()) == len(runs)


def test_the_change_report_in_json(tmp_path: Path, server: str) -> None:
    """The first update of a warehouse that lacks the newest window, asked for JSON."""
    mirror, db = tmp_path / "mirror", tmp_path / "borderflow.duckdb"
    (mirror / FOLDER).mkdir(parents=True)
    for path in (CBP).glob("nationwide-drugs-*.csv"):
        if path.name != NEWEST:
            os.symlink(path, mirror / FOLDER / path.name)
    with Warehouse(db) as warehouse:
        ingest(warehouse, get_sources(["cbp_nationwide"]), mirror)
    args = ["update", "cbp_nationwide", "--from", server, "--mirror", str(mirror), "--db", str(db)]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (change,) = data["changes"]
    assert change["sentence"] == expected().sentence
    assert change["release"]["file_name"] == NEWEST
    assert change["previous_release"]["file_name"] == "nationwide-drugs-fy23-fy26-dec.csv"
    assert change["as_of"] < change["release"]["vintage"]
    assert change["now"]["rows"][0]["value"] == pytest.approx(6725.62, abs=0.005)
    assert change["before"]["rows"][0]["value"] == pytest.approx(3398.28, abs=0.005)
    assert [r["label"] for r in change["revised"]] == expected().revised
    assert data["forecasts"] == [] and data["nothing_new"] is False


def test_an_unreachable_page_is_a_failure_and_known_files_are_still_fetched(
    tmp_path: Path,
) -> None:
    result = runner.invoke(
        app,
        ["update", "cbp_amo", "--from", "http://127.0.0.1:9/", "--attempts", "1",
         "--mirror", str(tmp_path / "m"), "--db", str(tmp_path / "w.duckdb"), "--json"],
    )  # fmt: skip
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["discovered"][0]["error"].startswith("could not download")
    assert {o["status"] for o in data["fetch"]["files"]} == {"failed"}
    assert len(data["fetch"]["files"]) == len(get_sources(["cbp_amo"])[0].series[0].known)


# -- discovery ---------------------------------------------------------------------------------


def test_discovery_finds_the_newest_window_of_each_series_on_the_page() -> None:
    html = PAGE.read_text()
    found = discover(html, OFFICIAL, get_sources(["cbp_nationwide", "cbp_amo"]))
    newest = {(f.source, f.name): f for f in found if f.newest}
    assert set(newest) == {
        ("cbp_nationwide", NEWEST),
        ("cbp_amo", "amo-drug-seizures-fy23-fy26-dec.csv"),
    }
    apr = newest[("cbp_nationwide", NEWEST)]
    assert apr.url == f"https://www.cbp.gov/sites/default/files/2026-05/{NEWEST}"
    assert apr.data_through == date(2026, 4, 1) and apr.posted == date(2026, 5, 1)
    assert not apr.known and newest[("cbp_amo", "amo-drug-seizures-fy23-fy26-dec.csv")].known
    # Every CSV of the two series on the page, and nothing else (encounters, currency, a PDF).
    assert sorted(f.name for f in found) == sorted(
        [NEWEST, "amo-drug-seizures-fy23-fy26-dec.csv", "nationwide-drugs-fy22-fy25.csv",
         "nationwide-drugs-fy20-fy23.csv", "nationwide-drugs-fy19-fy22.csv"]
    )  # fmt: skip


def test_page_links_resolve_relative_addresses_and_skip_what_is_not_a_file() -> None:
    html = (
        '<a href="/sites/default/files/2026-05/a%20b.csv#x">one</a>'
        '<a href="https://www.cbp.gov/sites/default/files/2026-01/c.csv">two</a>'
        '<a href="/newsroom/">folder</a><a href="mailto:x@cbp.gov">mail</a><a>no href</a>'
        '<a href="javascript:void(0)">js</a>'
    )
    assert page_links(html, OFFICIAL) == [
        ("a b.csv", "https://www.cbp.gov/sites/default/files/2026-05/a%20b.csv"),
        ("c.csv", "https://www.cbp.gov/sites/default/files/2026-01/c.csv"),
    ]


def test_newest_is_by_data_month_then_posting_folder_then_page_order() -> None:
    sources = get_sources(["cbp_nationwide"])
    shuffled = (
        '<a href="/sites/default/files/2026-04/nationwide-drugs-fy23-fy26-mar.csv">mar</a>'
        '<a href="/sites/default/files/2026-06/nationwide-drugs-fy23-fy26-may.csv">may</a>'
        '<a href="/sites/default/files/2026-05/nationwide-drugs-fy23-fy26-apr.csv">apr</a>'
    )
    (newest,) = [f for f in discover(shuffled, OFFICIAL, sources) if f.newest]
    assert newest.name == "nationwide-drugs-fy23-fy26-may.csv"
    reposted = (
        '<a href="/sites/default/files/2026-05/nationwide-drugs-fy23-fy26-apr.csv">apr</a>'
        '<a href="/sites/default/files/2026-06/nationwide-drugs-fy23-fy26-apr.csv">apr again</a>'
    )
    (first,) = [f for f in discover(reposted, OFFICIAL, sources) if f.newest]
    assert first.posted == date(2026, 5, 1)  # one file, one name: the first link is kept
    assert discover("<html><a href='/x.pdf'>x</a></html>", OFFICIAL, sources) == []


def test_discovered_files_are_added_for_fetch_and_fill_in_missing_addresses() -> None:
    sources = get_sources(["cbp_nationwide", "cbp_amo"])
    (discovery,) = discover_all(sources, None, lambda url: PAGE.read_text())
    assert discovery.page == OFFICIAL and discovery.error == ""
    nationwide, amo = with_discovered(sources, [discovery])
    known = {k.name: k for k in nationwide.series[0].known}
    assert known[NEWEST].url == f"https://www.cbp.gov/sites/default/files/2026-05/{NEWEST}"
    assert "nationwide-drugs-fy22-fy25.csv" not in known  # only the newest unknown file
    assert known["nationwide-drugs-fy20-fy23.csv"].url == (
        "https://www.cbp.gov/sites/default/files/2023-11/nationwide-drugs-fy20-fy23.csv"
    )
    recorded = "https://www.cbp.gov/sites/default/files/2026-09/nationwide-drugs-fy23-fy26-aug.csv"
    assert known["nationwide-drugs-fy23-fy26-aug.csv"].url == recorded  # kept as declared
    amo_dec = amo.series[0].known_file("amo-drug-seizures-fy23-fy26-dec.csv")
    assert amo_dec is not None and amo_dec.url is not None
    assert amo_dec.url.endswith("/2026-01/amo-drug-seizures-fy23-fy26-dec.csv")
    # The declared sources are unchanged: ingest reads them as the modules say.
    assert get_sources(["cbp_nationwide"])[0].series[0].known_file(NEWEST) is None


def test_a_page_that_cannot_be_read_or_lists_nothing_is_reported() -> None:
    def refuse(url: str) -> str:
        raise FetchError(f"{url} answered HTTP 403; the page could not be read.")

    sources = get_sources(["cbp_nationwide"])
    (down,) = discover_all(sources, "http://mirror.example/", refuse)
    assert down.page == f"http://mirror.example/{FOLDER}/index.html"
    assert "HTTP 403" in down.error and "known by name" in down.error
    (empty,) = discover_all(sources, None, lambda url: "<html>moved</html>")
    assert "links no file of cbp_nationwide" in empty.error
    assert discover_all(get_sources(["cdc_vsrr"]), None, refuse) == []  # no page to read


def test_fetch_page_reads_the_page_copy(server: str) -> None:
    assert "nationwide-drugs-fy23-fy26-apr.csv" in fetch_page(f"{server}{FOLDER}/index.html")
    with pytest.raises(FetchError, match="404"):
        fetch_page(f"{server}{FOLDER}/no-such-page.html")


# -- addresses and headlines ------------------------------------------------------------------


def test_every_known_file_has_an_address_or_a_reason_why_not() -> None:
    missing = [
        (source.folder, known.name)
        for source in all_sources().values()
        for series in source.series
        for known in series.known
        if known.url is None and no_address_reason(source.folder, known.name) is None
    ]
    assert missing == []
    folders = {s.folder for s in all_sources().values()}
    assert {folder for folder, _ in NO_ADDRESS} <= folders


def test_a_file_without_an_address_says_why(tmp_path: Path) -> None:
    report = fetch(get_sources(["cdc_wonder"]), tmp_path)
    assert {o.status for o in report.outcomes} == {"no_url"}
    assert "query results have no download address" in report.outcomes[0].message
    assert "by hand" in report.outcomes[0].message


def test_every_source_has_a_headline_a_query_can_ask() -> None:
    from borderflow.sources.registry import PackagedSource

    # the registry of who and when ships in the package: no number judges its releases
    published = {n for n, s in all_sources().items() if not isinstance(s, PackagedSource)}
    assert set(HEADLINES) == published
    for source, headline in HEADLINES.items():
        assert get_measure(headline.measure).source == source
        assert headline.period in PERIOD_KINDS
