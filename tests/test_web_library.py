"""The libraries through the web app and the brief: claim checks, forecasts and interdiction
scenarios — answers checked against the libraries' own tested figures, errors in the one shape,
nothing written to the warehouse."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from borderflow.report.brief import build_brief
from borderflow.web.app import create_app, request
from conftest import REPO
from test_report import empty_evidence_cells, english_leaks, reader_text

ARTICLE = REPO.parent / "shared" / "articles" / "borderline-crisis-2026-01-16.txt"


def test_check_api_gives_verdicts_with_evidence(web) -> None:
    body = {"text": ARTICLE.read_text("utf-8"), "published": "2026-01-16"}
    report = request(web, "POST", "/api/check", json=body).json()
    assert report["ok"] is True and report["published"] == "2026-01-16"
    claims = {c["text"]: c for c in report["claims"]}
    # NCHS final 2022 synthetic-opioid deaths (tests/claims checks the same figure)
    assert claims["over 140,000"]["verdict"] == "contradicted"
    assert claims["over 140,000"]["official"] == 73_838
    assert sum(report["summary"].values()) == len(report["claims"]) >= 5


def test_check_page_shows_verdicts_in_the_reader_language(web) -> None:
    text = ARTICLE.read_text("utf-8")
    html = request(web, "POST", "/check?lang=es", data={"text": text}).text
    assert "Contradicha" in html and "73,838" in html
    assert 'class="verdict-contradicted"' in html
    # every cell filled in the reader's language: the registry's findings (Mérida's dates, the
    # chemicals) say what was claimed and what the record holds, with the pages they cite
    claims = html[html.index('<table class="claims"') :]
    claims = claims[: claims.index("</table>")]
    # the first cell quotes the (English) article itself: the rest is the checker speaking
    assert (
        english_leaks(
            reader_text(re.sub(r'(<tr class="claim">\s*)<td>.*?</td>', r"\1", claims, flags=re.S))
        )
        == []
    )
    assert empty_evidence_cells(claims) == []
    assert "22 de octubre de 2007" in claims and "Grupo Reforma</a>" in claims
    twin = request(web, "POST", "/check.json", json={"text": text}).json()
    assert twin["key"] == "article"
    assert {c["verdict"] for c in twin["extra"]["claims"]} >= {"contradicted", "unverifiable"}


def test_library_errors_share_the_shape(web) -> None:
    cases = [
        ("POST", "/api/check", {"json": {"text": ""}}, 422),
        ("POST", "/api/check", {"json": {"txt": "x"}}, 422),
        ("GET", "/api/forecasts?measure=seized_kg", {}, 400),
        ("POST", "/api/interdiction", {"json": {"scenario": "no_such_scenario"}}, 400),
        ("POST", "/api/interdiction", {"json": {"seed": -1}}, 422),
    ]
    for method, path, kwargs, status in cases:
        response = request(web, method, path, **kwargs)
        body = response.json()
        assert (response.status_code, body["ok"], body["status"]) == (status, False, status), path
        assert body["error"]
    page = request(web, "POST", "/check", data={"text": "  "})
    assert page.status_code == 422 and "paste the text of an article" in page.text


def test_interdiction_scenario_runs_without_writing(web, loaded) -> None:
    db, _ = loaded
    before = db.stat().st_mtime_ns
    names = request(web, "GET", "/api/interdiction/scenarios").json()
    assert "default" in names
    result = request(web, "POST", "/api/interdiction", json={"scenario": "default"}).json()
    objective = result["objective"]
    assert result["run_id"] is None and result["allocation"]
    assert objective["delivered"] <= objective["baseline_delivered"]
    assert db.stat().st_mtime_ns == before


@pytest.fixture(scope="module")
def forecast_db(loaded, tmp_path_factory) -> Path:
    """A copy of the warehouse with a small stored outlook run (U.S. deaths, no backtest)."""
    from borderflow.metrics import Engine
    from borderflow.outlook import run_outlook, store_outlook_run
    from borderflow.warehouse import Warehouse

    db, _ = loaded
    copy = tmp_path_factory.mktemp("outlook") / "borderflow.duckdb"
    shutil.copy(db, copy)
    with Warehouse(copy) as wh, Engine.over(wh) as engine:
        run = run_outlook(engine, measures=["overdose_deaths_12m"], horizon=6, backtest=False)
        store_outlook_run(wh, run)
    return copy


def test_forecasts_endpoint_and_outlook_page(forecast_db: Path) -> None:
    from borderflow.metrics import Engine
    from borderflow.outlook import latest_forecasts

    app = create_app(forecast_db)
    with Engine.open(forecast_db) as engine:
        stored = latest_forecasts(engine, "overdose_deaths_12m")
    answer = request(app, "GET", "/api/forecasts?measure=overdose_deaths_12m").json()
    assert len(answer["rows"]) == len(stored) > 0
    page = request(app, "GET", "/outlook.json").json()
    assert page["figures"], page["notes"]
    us = stored[stored["us_state"] == "US"].sort_values("period")  # the United States series
    assert len(us) == 6  # six months ahead
    assert page["values"][0]["value"] == pytest.approx(float(us["mean"].iloc[-1]))


def test_brief_with_an_article_in_spanish(loaded, tmp_path: Path) -> None:
    db, _ = loaded
    out = build_brief(db, lang="es", out_dir=tmp_path, article=ARTICLE, pdf=False)
    html = out.html.read_text("utf-8")
    assert out.sections[-1] == "article"
    assert "Verificación del artículo" in html and "Contradicha" in html
    assert out.seconds < 60
