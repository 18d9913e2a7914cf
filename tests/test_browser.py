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
    cells = page.locator("#claims td[class^='verdict-']").all_inner_texts()
    verdicts = [cell.splitlines()[0] for cell in cells]  # the verdict, then any detail
    assert "Contradicted" in verdicts and "Unverifiable" in verdicts
    assert "73,838" in page.inner_text("#claims")
    shot(page, "check-article")


# -- every filter on every page, in the browser ---------------------------------------------------

#: How a reader sets each filter: (page, filter, the option's label or the period typed).
UI_FILTERS = [
    ("/seizures", "drug", "Fentanyl"),
    ("/seizures", "place", "Southwest Border"),
    ("/seizures", "period", "FY2024"),
    ("/deaths", "place", "Ohio"),
    ("/deaths", "period", "2023"),
    ("/crossings", "place", "Texas"),
    ("/crossings", "period", "2024"),
    ("/homicides", "place", "Sinaloa"),
    ("/homicides", "period", "2024"),
    ("/trade", "place", "India"),
    ("/trade", "period", "2015..2020"),
]

#: The period the cards show once the period filter is set.
CARD_PERIODS = {
    "/seizures": "FY2024",
    "/deaths": "Dec 2023",
    "/crossings": "2024",
    "/homicides": "2024",
    "/trade": "2020",
}

#: What a page shows, element by element, once vega-embed has drawn every chart.
READ_PAGE = """() => {
  const text = el => el ? el.innerText.trim() : "";
  const cards = [...document.querySelectorAll("#values .value")].map(el => text(el));
  const charts = {};
  document.querySelectorAll("div.chart").forEach(el => {
    const note = document.getElementById("note-" + el.id.slice(6));
    charts[el.id] = {svg: el.innerHTML, note: text(note)};
  });
  const tables = {};
  document.querySelectorAll("table[id^='table-']").forEach(el => {
    const before = el.previousElementSibling;
    const note = before && before.classList.contains("scope-note") ? text(before) : "";
    tables[el.id] = {rows: text(el), title: text(el.parentElement.querySelector("h3")), note};
  });
  return {cards, charts, tables};
}"""


def read_page(page: Page) -> dict:
    """Cards, charts (their drawn SVG) and tables of the page, after every chart is drawn."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('div.chart')].every(el => el.dataset.rendered)"
    )
    return page.evaluate(READ_PAGE)


def set_filter(page: Page, name: str, value: str) -> None:
    """Set one filter the way a reader does: pick from the list, or type a period."""
    with page.expect_navigation():
        if name == "period":
            page.fill("#filter-period", value)
            page.press("#filter-period", "Enter")
        else:
            page.select_option(f"#filter-{name}", label=value)


@pytest.mark.parametrize(("path", "name", "value"), UI_FILTERS)
def test_each_filter_reaches_every_card_chart_and_table(
    server: str, page: Page, path: str, name: str, value: str
) -> None:
    page.goto(f"{server}{path}")
    before = read_page(page)
    set_filter(page, name, value)
    after = read_page(page)
    assert after["cards"] and after["charts"]
    stale = [
        f"card {i}: {new}"
        for i, (old, new) in enumerate(zip(before["cards"], after["cards"], strict=False))
        if old == new
    ]
    stale += [
        key
        for key, chart in after["charts"].items()
        if key in before["charts"] and before["charts"][key]["svg"] == chart["svg"]
        and not chart["note"]
    ]  # fmt: skip
    stale += [
        key
        for key, table in after["tables"].items()
        if key in before["tables"] and before["tables"][key] == table and not table["note"]
    ]
    assert stale == []
    if name == "period":  # every card shows the period chosen (its last year, for trade)
        assert page.input_value("#filter-period") == value
        shown = CARD_PERIODS[path]
        assert all(shown in card for card in after["cards"]), after["cards"]
    else:
        chosen = page.eval_on_selector(f"#filter-{name}", "el => el.selectedOptions[0].text")
        assert chosen == value
        if name == "place":  # every card names the place it shows
            assert all(value in card for card in after["cards"]), after["cards"]
    shot(page, f"filter-{path.strip('/')}-{name}")


SCREENSHOT_PAGES = [
    "/",
    "/seizures",
    "/deaths",
    "/crossings",
    "/homicides",
    "/trade",
    "/outlook",
    "/interdiction",
    "/check",
    "/releases",
    "/releases/3",
]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_page_in_both_languages(server: str, browser: Browser, lang: str) -> None:
    """A screenshot of every page in the language (test-artifacts/page-*-LANG.png); every page
    fits a 1,280-pixel window and has its own title."""
    from test_report import english_leaks

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    titles = set()
    try:
        for path in SCREENSHOT_PAGES:
            page.goto(f"{server}{path}?lang={lang}")
            page.wait_for_function(
                "() => [...document.querySelectorAll('div.chart')].every(el => el.dataset.rendered)"
            )
            titles.add(page.title())
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 1280, (path, width)
            if lang == "es":  # what screen readers hear of the charts is Spanish too
                spoken = " ".join(page.eval_on_selector_all(
                    "div.chart [aria-label]", "els => els.map(e => e.getAttribute('aria-label'))"
                ))  # fmt: skip
                assert english_leaks(spoken) == [], path
            name = path.strip("/").replace("/", "-") or "overview"
            shot(page, f"page-{name}-{lang}")
    finally:
        context.close()
    assert len(titles) == len(SCREENSHOT_PAGES)


def test_releases_fit_the_window_without_wrapped_dates(server: str, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{server}/releases")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
        lines = page.eval_on_selector_all(
            "#releases td.date",
            """els => els.map(el => {
                 const range = document.createRange(); range.selectNodeContents(el);
                 return range.getClientRects().length; })""",
        )
        assert lines and set(lines) == {1}  # every date on one line
    finally:
        context.close()


def test_seizure_chart_draws_chosen_events_as_dated_markers(server: str, page: Page) -> None:
    """``events=`` on the seizure page marks the registry's events on the monthly chart, with
    labels in the reader's language and the note that a marker is a date, not a cause."""
    from borderflow.registry import load_registry

    events = load_registry().events
    chosen = ["security_implementation_group_first_meeting", "fto_designation_2025_effective"]
    page.goto(f"{server}/seizures?lang=es&events={','.join(chosen)}")
    svg = rendered(page, "seizures_monthly")
    assert svg.count("mark-rule role-mark") == 1  # one group of data rules: the markers
    drawn = page.eval_on_selector_all(
        "#chart-seizures_monthly g.mark-text text", "els => els.map(e => e.textContent)"
    )
    for key in chosen:
        title = events[key].title("es")
        assert any(title.startswith(label.rstrip("…")) for label in drawn), (title, drawn)
    assert "Una marca es una fecha, no una causa." in page.inner_text("#note-seizures_monthly")
    shot(page, "seizures-event-markers-es")
    with page.expect_navigation():  # changing a filter keeps the markers
        page.select_option("#filter-drug", "Fentanyl")
    assert "drug=Fentanyl" in page.url and "events=" in page.url
    assert rendered(page, "seizures_monthly").count("mark-rule role-mark") == 1
    page.goto(f"{server}/seizures")
    assert "mark-rule role-mark" not in rendered(page, "seizures_monthly")
