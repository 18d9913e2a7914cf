"""The web app: one error shape across every endpoint family, a .json twin for every page, numbers
linked to their provenance, read-only, no CDN, real answers checked against the CSVs."""

from __future__ import annotations

import re
from typing import Any

import duckdb
import pytest
from fastapi import FastAPI
from typer.testing import CliRunner

from borderflow.cli import app as cli
from borderflow.web.app import create_app, request
from reference import cbp_fentanyl_by_fy, newest_cbp_file
from test_report import empty_evidence_cells, english_leaks, reader_text

PAGES = [
    "/",
    "/outlook",
    "/interdiction",
    "/check",
    "/seizures",
    "/deaths",
    "/crossings",
    "/homicides",
    "/trade",
    "/releases",
    "/releases/3",
]


#: Options of the app the shared ``web`` fixture builds (conftest.py).
WEB_OPTIONS = {"max_body": 10_000}


def get(app: FastAPI, path: str, **kwargs: Any):
    return request(app, "GET", path, **kwargs)


def assert_error(response, status: int, words: str) -> None:
    body = response.json()
    assert response.status_code == status
    assert body["ok"] is False and body["status"] == status
    assert words in body["error"], body["error"]
    assert set(body) == {"ok", "error", "status", "errors"}


# One case per endpoint family: (method, path, kwargs, status, words in the message).
ERRORS = [
    ("GET", "/api/nothing", {}, 404, "no page or endpoint at /api/nothing"),
    ("GET", "/api/releases/999999", {}, 404, "no release 999999"),
    ("GET", "/api/releases/abc", {}, 422, "invalid path.release_id"),
    ("GET", "/api/releases?source=" + "x" * 300, {}, 422, "invalid query.source"),
    ("GET", "/api/query?period=FY2024", {}, 422, "invalid query.measure"),
    ("GET", "/api/query?measure=seized_kg&period=FY2024", {}, 400, "seized_kg"),
    ("GET", "/api/query?measure=seized_lb&period=FY1899", {}, 400, "no seized_lb values match"),
    ("GET", "/api/query?measure=seized_lb&period=FY2024&where=drug", {}, 400, "DIMENSION=MEMBER"),
    ("GET", "/api/members/seized_lb/planet", {}, 400, "no dimension 'planet'"),
    ("POST", "/api/query", {"json": {"measure": "seized_lb"}}, 422, "invalid body.period"),
    (
        "POST",
        "/api/query",
        {"json": {"measure": "seized_lb", "period": "FY2024", "x": 1}},
        422,
        "body.x",
    ),
    (
        "POST",
        "/api/query",
        {"content": b"{not json", "headers": {"content-type": "application/json"}},
        422,
        "JSON",
    ),
    (
        "POST",
        "/api/query",
        {"content": b"{" + b" " * 20_000 + b"}", "headers": {"content-type": "application/json"}},
        413,
        "over the limit of 10,000 bytes",
    ),
    ("DELETE", "/api/releases/3", {}, 405, "Method Not Allowed"),
    ("GET", "/seizures.json?period=someday", {}, 400, "cannot read the period 'someday'"),
    ("GET", "/seizures.json?drug=unobtainium", {}, 400, "unobtainium"),
    ("GET", "/deaths.json?lang=fr", {}, 422, "invalid query.lang"),
    ("GET", "/releases/77.json", {}, 404, "no release 77"),
    ("GET", "/releases.json?ids=1,x", {}, 422, "ids takes release numbers"),
    ("POST", "/trade.json", {"json": {}}, 405, "Method Not Allowed"),
]


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "words"), ERRORS)
def test_one_error_shape_for_every_endpoint_family(
    web, method, path, kwargs, status, words
) -> None:
    assert_error(request(web, method, path, **kwargs), status, words)


def test_pages_show_errors_as_html_with_the_same_status(web) -> None:
    response = get(web, "/homicides?period=someday&lang=es")
    assert response.status_code == 400
    assert "text/html" in response.headers["content-type"]
    assert "Algo salió mal (400)" in response.text
    assert "cannot read the period &#39;someday&#39;" in response.text
    assert get(web, "/no-such-page").status_code == 404


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_json_twin(web, path: str) -> None:
    page = get(web, path)
    assert page.status_code == 200, page.text[:300]
    assert "text/html" in page.headers["content-type"]
    twin_path = "/index.json" if path == "/" else path + ".json"
    assert f'href="{twin_path}' in page.text
    twin = get(web, twin_path)
    assert twin.status_code == 200 and twin.headers["content-type"] == "application/json"
    if path not in ("/releases", "/releases/3"):
        assert twin.json()["key"] == (path.strip("/") or "headline")


def file_of_release(loaded, release_id: int) -> str:
    _, report = loaded
    return next(o.file for o in report.outcomes if o.release_id == release_id)


def test_every_number_links_to_its_release(web, loaded) -> None:
    html = get(web, "/seizures?place=Southwest Border").text
    links = re.findall(
        r'<a class="num" href="(/releases[^"]*)" title="([^"]*)">([\d,.]+)</a>', html
    )
    assert len(links) >= 10  # two headline values and one row per drug seized in the region
    for href, title, _ in links:
        assert "sha256" in title
        assert get(web, href).status_code == 200
    release = get(web, "/releases/3").text
    assert file_of_release(loaded, 3) in release
    assert re.search(r"<code>[0-9a-f]{64}</code>", release)


def test_no_asset_comes_from_a_cdn(web) -> None:
    for path in PAGES:
        html = get(web, path).text
        sources = re.findall(r'<script[^>]+src="([^"]+)"', html) + re.findall(
            r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html
        )
        assert sources and all(s.startswith("/static/") for s in sources), sources
        for src in sources:
            assert get(web, src).status_code == 200
    assert "Interactive Data Lab" in get(web, "/static/LICENSE-vega.txt").text
    assert get(web, "/docs").status_code == 404  # Swagger UI would load from a CDN
    assert get(web, "/openapi.json").json()["info"]["title"] == "borderflow"


def test_the_engine_is_read_only(web) -> None:
    con = web.state.bf.engine.backend.con
    with pytest.raises(duckdb.Error, match="read-only"):
        con.execute("CREATE TABLE intruder (x INTEGER)")


def test_query_get_and_post_answer_the_csv_sum(web) -> None:
    expected = cbp_fentanyl_by_fy()[2024]
    by_get = get(web, "/api/query?measure=seized_lb&period=FY2024&where=drug=fentanilo").json()
    by_post = request(
        web,
        "POST",
        "/api/query",
        json={"measure": "seized_lb", "period": "FY2024", "where": {"drug": ["Fentanyl"]}},
    ).json()
    assert by_get["rows"][0]["value"] == pytest.approx(expected, rel=1e-9)
    assert by_post["rows"][0]["value"] == pytest.approx(expected, rel=1e-9)
    assert [r["file_name"] for r in by_post["releases"]] == [newest_cbp_file().name]


def test_filters_change_the_page_numbers(web) -> None:
    everything = get(web, "/seizures.json").json()
    fentanyl = get(web, "/seizures.json?drug=Fentanyl&place=Southwest Border").json()
    assert fentanyl["filters"] == {"drug": "Fentanyl", "place": "Southwest Border", "period": None}
    assert fentanyl["values"][0]["value"] < everything["values"][0]["value"]
    assert fentanyl["values"][0]["query"]["where"] == {
        "drug": ["Fentanyl"],
        "region": ["Southwest Border"],
    }


def test_spanish_pages(web) -> None:
    html = get(web, "/seizures?lang=es").text
    assert "Decomisos de drogas de la CBP" in html and "Fentanilo" in html
    english = get(web, "/seizures?drug=Fentanyl").text
    assert '<a href="/seizures?drug=Fentanyl&amp;lang=es" id="lang-es">' in english


@pytest.mark.parametrize("path", [p for p in PAGES if p != "/releases/3"])
def test_spanish_pages_have_no_english_catalog_string(web, path: str) -> None:

    assert english_leaks(reader_text(get(web, f"{path}?lang=es").text)) == []


def test_serve_get_prints_a_page_without_a_server(loaded) -> None:
    db, _ = loaded
    ok = CliRunner().invoke(cli, ["serve", "--db", str(db), "--get", "/api/releases/3"])
    assert ok.exit_code == 0 and f'"file_name":"{file_of_release(loaded, 3)}"' in ok.output
    missing = CliRunner().invoke(cli, ["serve", "--db", str(db), "--get", "/api/releases/99"])
    assert missing.exit_code == 1
    assert missing.output.strip() == (
        '{"ok":false,"error":"no release 99; see /api/releases.","status":404,"errors":[]}'
    )


def test_pages_are_kept_by_path_filters_and_language(web, monkeypatch) -> None:
    from borderflow.web import pages

    built: list[str] = []
    real = pages.build_section

    def counting(name, ctx):
        built.append(name)
        return real(name, ctx)

    monkeypatch.setattr(pages, "build_section", counting)
    web.state.bf.pages.clear()
    first = get(web, "/seizures.json?drug=Fentanyl&place=Southwest Border")
    same = [
        "/seizures.json?place=Southwest Border&drug=Fentanyl",  # another order
        "/seizures.json?drug=Fentanyl&place=Southwest Border&period=&utm=x",  # empty, unknown
        "/seizures.json?drug=Fentanyl&place=Southwest Border&lang=en",  # the default language
    ]
    for path in same:
        again = get(web, path)
        assert again.status_code == 200 and again.content == first.content
    assert built == ["seizures"]
    get(web, "/seizures.json?drug=Fentanyl&place=Southwest Border&lang=es")
    get(web, "/seizures?drug=Fentanyl&place=Southwest Border")  # the page, not its twin
    get(web, "/seizures.json?drug=Heroin&place=Southwest Border")
    assert built == ["seizures"] * 4
    assert get(web, "/seizures.json?period=FY1899").status_code == 400  # errors are not kept
    assert get(web, "/seizures.json?period=FY1899").status_code == 400
    assert built == ["seizures"] * 6


def test_kept_pages_are_the_pages_rendered_anew(web, loaded) -> None:
    db, _ = loaded
    fresh = create_app(db, page_cache=0)
    try:
        assert fresh.state.bf.pages is None
        for path in [
            "/",
            "/index.json?lang=es",
            "/seizures?drug=Fentanyl&lang=es",
            "/deaths.json",
            "/releases?ids=1,3",
            "/releases.json",
        ]:
            get(web, path)  # kept
            kept, anew = get(web, path), get(fresh, path)
            assert kept.status_code == anew.status_code == 200, path
            assert kept.headers["content-type"] == anew.headers["content-type"]
            assert kept.content == anew.content, path
    finally:
        fresh.state.bf.close()


# -- filters apply everywhere, titles, icon, Spanish ----------------------------------------------

#: One real member per filter of each topic page, given by name as a reader would type it.
FILTERS = {
    "/seizures": {"drug": "Fentanyl", "place": "Southwest Border", "period": "FY2024"},
    "/deaths": {"place": "Ohio", "period": "2023"},
    "/crossings": {"place": "Texas", "period": "2024"},
    "/homicides": {"place": "Sinaloa", "period": "2024"},
    "/trade": {"place": "India", "period": "2015..2020"},
}
FILTER_CASES = [
    (page, name, value) for page, asked in FILTERS.items() for name, value in asked.items()
]


def unfollowed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The cards, charts and tables of a page that neither changed with a filter nor say in a
    note how they relate to it (a ranking of all states highlighting one, a national series)."""
    stale = []
    for i, (old, new) in enumerate(zip(before["values"], after["values"], strict=False)):
        if (old["text"], old["period"], old["scope"]) == (new["text"], new["period"], new["scope"]):
            stale.append(f"card {i} {new['label']}")
    old_figures = {f["key"]: f for f in before["figures"]}
    for figure in after["figures"]:
        old = old_figures.get(figure["key"])
        if old is not None and old["spec"] == figure["spec"] and not figure["note"]:
            stale.append(f"chart {figure['key']}")
    for i, (old, new) in enumerate(zip(before["tables"], after["tables"], strict=False)):
        if (old["title"], old["rows"]) == (new["title"], new["rows"]) and not new["note"]:
            stale.append(f"table {i} {new['title']}")
    return stale


@pytest.mark.parametrize(("path", "name", "value"), FILTER_CASES)
def test_every_card_chart_and_table_follows_each_filter(web, path, name, value) -> None:
    before = get(web, f"{path}.json").json()
    after = get(web, f"{path}.json", params={name: value}).json()
    assert after["values"] and after["figures"]
    assert unfollowed(before, after) == []
    if name == "place":  # every card names the place it shows
        place = after["filters"]["place"]
        assert all(value in v["scope"] or place in v["scope"] for v in after["values"]), [
            v["scope"] for v in after["values"]
        ]
    if name == "period":  # and the period
        assert all(v["period"] != b["period"] or v["text"] != b["text"]
                   for v, b in zip(after["values"], before["values"], strict=False))  # fmt: skip


def test_the_overview_says_it_takes_no_filters(web) -> None:
    html = get(web, "/").text
    assert "The overview shows the latest value of each topic and takes no filters" in html
    assert get(web, "/?period=2024").text == html


@pytest.mark.parametrize(
    ("path", "code", "name"),
    [
        ("/homicides?place=Sinaloa", "25", "Sinaloa"),
        ("/deaths?place=ohio", "OH", "Ohio"),
        (
            "/seizures?place=frontera suroeste&drug=fentanilo",
            "Southwest Border",
            "Southwest Border",
        ),
    ],
)
def test_a_place_given_by_name_is_selected(web, path: str, code: str, name: str) -> None:
    html = get(web, path).text
    assert re.search(
        rf'<option value="{re.escape(code)}" selected>{re.escape(name)}</option>', html
    )
    if "drug" in path:
        assert '<option value="Fentanyl" selected>Fentanyl</option>' in html


def test_the_homicide_card_names_the_place_and_period(web) -> None:
    card = get(web, "/homicides.json", params={"place": "Sinaloa", "period": "2024"}).json()
    (value,) = card["values"]
    assert (value["label"], value["scope"], value["period"]) == (
        "Homicide victims",
        "Sinaloa",
        "2024",
    )
    rows = get(web, "/api/query?measure=homicide_victims&period=2024&where=mx_state=25").json()
    assert value["value"] == rows["rows"][0]["value"]


def test_every_page_has_its_own_title_and_the_icon(web) -> None:
    titles = {}
    for path in PAGES:
        html = get(web, path).text
        titles[path] = re.search(r"<title>([^<]*)</title>", html).group(1)
        assert '<link rel="icon" type="image/svg+xml" href="/static/favicon.svg">' in html
    assert len(set(titles.values())) == len(PAGES), titles
    assert titles["/releases/3"].startswith("Release 3 · ")
    for path in ("/static/favicon.svg", "/favicon.ico"):
        icon = get(web, path)
        assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
        assert icon.content.startswith(b"<svg")


@pytest.mark.parametrize("path", [p for p in PAGES if p != "/releases/3"])
def test_spanish_pages_have_no_empty_evidence_cell(web, path: str) -> None:

    assert empty_evidence_cells(get(web, f"{path}?lang=es").text) == []


@pytest.mark.parametrize(("path", "name", "value"), FILTER_CASES)
def test_filtered_spanish_pages_have_no_english(web, path, name, value) -> None:

    html = get(web, path, params={name: value, "lang": "es"}).text
    assert english_leaks(reader_text(html)) == []


def test_the_filter_form_keeps_the_events_drawn_on_the_charts(web) -> None:
    """A reader who changes a filter on a page with ``events=`` keeps the markers: the form
    sends ``events`` again (a hidden field), and the page it submits to draws the same ones."""
    asked = "fto_designation_2025_effective,meeting"
    first = get(web, "/seizures", params={"events": asked, "lang": "es"})
    form = re.search(r'<form class="filters".*?</form>', first.text, flags=re.S).group(0)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)"[^>]*value="([^"]*)"', form))
    assert fields == {"lang": "es", "events": asked}
    markers = get(web, "/seizures.json", params=fields).json()["extra"]["markers"]
    again = get(web, "/seizures.json", params={**fields, "drug": "Fentanyl"}).json()
    assert again["filters"]["drug"] == "Fentanyl"
    assert again["extra"]["markers"] == markers and len(markers) > 1
    plain = get(web, "/seizures").text
    assert 'name="events"' not in plain
