"""Browser tests: Playwright drives Debian's Chromium (headless) against a running server.

Screenshots go to ``test-artifacts/`` (kept by CI). Never ``playwright install``: the browser is
the system's ``/usr/bin/chromium`` (``make test`` installs it with apt when missing).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from conftest import REPO
from live import serve

pytestmark = pytest.mark.slow  # ~20 s with the server and the browser; CI runs it
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="module")
def server(loaded) -> Iterator[str]:
    db, _ = loaded
    with serve(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "install Chromium: apt-get install -y chromium (make test does)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, timeout=30_000)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def rendered(page: Page, chart: str) -> str:
    """Wait for vega-embed to draw ``chart`` and return its SVG."""
    page.wait_for_selector(f"#chart-{chart}[data-rendered='1'] svg")
    return page.inner_html(f"#chart-{chart}")


def test_a_filter_changes_the_chart_and_the_numbers(server: str, page: Page) -> None:
    page.goto(f"{server}/seizures")
    before_chart = rendered(page, "seizures_monthly")
    before = page.inner_text("#values")
    assert "583,256" in before  # all drugs, FY2025 (checked against the CSV in test_metrics)
    shot(page, "seizures-all-drugs")
    with page.expect_navigation():
        page.select_option("#filter-drug", "Fentanyl")
    after_chart = rendered(page, "seizures_monthly")
    after = page.inner_text("#values")
    assert "drug=Fentanyl" in page.url
    assert "12,027" in after and "583,256" not in after
    assert after_chart != before_chart
    shot(page, "seizures-fentanyl")


def test_a_place_filter_and_spanish(server: str, page: Page) -> None:
    page.goto(f"{server}/homicides?lang=es")
    before = page.inner_text("#values")
    rendered(page, "homicides_monthly")
    with page.expect_navigation():
        page.select_option("#filter-place", "26")
    rendered(page, "homicides_monthly")
    assert "Homicidios en México" in page.inner_text("h1")
    assert page.inner_text("#values") != before
    assert page.eval_on_selector("#filter-place", "el => el.value") == "26"
    shot(page, "homicides-sonora-es")


def test_a_number_leads_to_its_release(server: str, page: Page) -> None:
    page.goto(f"{server}/")
    with page.expect_navigation():
        page.click("#values a.num >> nth=0")
    assert "/releases/" in page.url
    assert page.locator("#releases code").first.inner_text().isalnum()
    shot(page, "release")


def test_pasting_an_article_shows_verdicts(server: str, page: Page) -> None:
    article = (REPO.parent / "shared" / "articles" / "borderline-crisis-2026-01-16.txt").read_text()
    page.goto(f"{server}/check")
    page.fill("#article", article)
    with page.expect_navigation(timeout=60_000):
        page.click("#check-button")
    verdicts = page.locator("#claims td[class^='verdict-']").all_inner_texts()
    assert "Contradicted" in verdicts and "Unverifiable" in verdicts
    assert "73,838" in page.inner_text("#claims")
    shot(page, "check-article")
