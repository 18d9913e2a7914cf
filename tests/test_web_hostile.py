"""Hostile input to the web app: no request makes the server read a file of the request's
choosing, no input makes a 500 (every refusal is a 4xx in the one error shape), no answer carries
a non-finite number, and oversized addresses, id lists and scenarios are refused at once."""

from __future__ import annotations

import builtins
import io
import json
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import numpy as np
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderflow.interdiction.scenario import (
    MAX_SCENARIO_BYTES,
    ScenarioError,
    default_scenario_path,
    load_scenario,
    load_scenario_text,
    shipped_scenario,
)
from borderflow.metrics import all_measures
from borderflow.report.model import Figure, Section, Value
from borderflow.web import pages
from borderflow.web.app import request
from borderflow.web.encoding import encode
from conftest import REPO
from live import serve

DEFAULT_TOML = default_scenario_path().read_text(encoding="utf-8")
HYPOTHESIS = settings(
    max_examples=200,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def strict_json(text: str) -> Any:
    """Parse as JSON proper: NaN, Infinity and -Infinity are refused."""

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in a JSON answer")

    return json.loads(text, parse_constant=refuse)


def assert_refused(response: httpx.Response) -> dict[str, Any]:
    """A 4xx in the one error shape (JSON paths) or the error page (pages)."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    if "text/html" in response.headers["content-type"]:
        assert f"({response.status_code})" in response.text
        return {}
    body = strict_json(response.text)
    assert set(body) == {"ok", "error", "status", "errors"}, body
    assert body["ok"] is False and body["status"] == response.status_code and body["error"]
    assert isinstance(body["errors"], list)
    return body


def assert_no_server_error(response: httpx.Response) -> None:
    if response.status_code >= 400:
        assert_refused(response)
    elif "json" in response.headers["content-type"]:
        strict_json(response.text)


# -- no file of the server is read -----------------------------------------------------------------


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path opened or looked at (``open``, ``os.open``, ``os.stat``) while a test runs;
    the calls go through, they are only recorded."""
    seen: list[str] = []
    real_open, real_os_open, real_stat = io.open, os.open, os.stat

    def record_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(file))
        return real_open(file, *args, **kwargs)

    def record_os_open(path: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(path))
        return real_os_open(path, *args, **kwargs)

    def record_stat(path: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", record_open)
    monkeypatch.setattr(io, "open", record_open)
    monkeypatch.setattr(os, "open", record_os_open)
    monkeypatch.setattr(os, "stat", record_stat)
    return seen


def post_scenario(app: FastAPI, body: dict[str, Any], limit: float = 10) -> httpx.Response:
    """POST /api/interdiction in a thread, so a request that hangs fails the test instead."""
    answer: dict[str, httpx.Response] = {}

    def send() -> None:
        answer["response"] = request(app, "POST", "/api/interdiction", json=body)

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    thread.join(limit)
    assert not thread.is_alive(), f"POST /api/interdiction {body!r} hung"
    return answer["response"]


def hostile_paths(tmp_path: Path) -> list[str]:
    fifo = tmp_path / "scenario.fifo"
    os.mkfifo(fifo)
    return [
        "/etc/passwd",
        "../../../../etc/passwd",
        "../../../../../../../../etc/passwd",
        str(REPO / "pyproject.toml"),
        "pyproject.toml",
        str(fifo),
        "/dev/zero",
        "/dev/stdin",
        "/proc/self/environ",
        "default.toml",
        "./default",
        "scenarios/default",
        "default/../default",
        str(default_scenario_path()),
        "~/.bashrc",
        "C:\\Windows\\win.ini",
        "file:///etc/passwd",
        "%2e%2e%2fetc%2fpasswd",
        "default\x00",
        "default\n",
        ".hidden",
        "-rf",
        "",
        "x" * 65,
    ]


def test_a_scenario_path_is_refused_at_once_without_reading_it(
    web, tmp_path: Path, opened: list[str]
) -> None:
    for value in hostile_paths(tmp_path):
        started = time.perf_counter()
        response = post_scenario(web, {"scenario": value})
        elapsed = time.perf_counter() - started
        assert_refused(response)
        assert elapsed < 1, (value, elapsed)
    touched = [p for p in opened if any(w in p for w in ("passwd", "pyproject", "fifo", "/dev/"))]
    touched += [p for p in opened if "environ" in p or "bashrc" in p or "win.ini" in p]
    assert touched == []


def test_the_answer_does_not_say_whether_a_file_exists(web, tmp_path: Path) -> None:
    fifo = tmp_path / "exists.fifo"
    os.mkfifo(fifo)
    pairs = [
        ("/etc/passwd", "/etc/no-such-file"),
        (str(REPO / "pyproject.toml"), str(REPO / "no-such-file.toml")),
        (str(fifo), str(tmp_path / "missing.fifo")),
        ("../../../../etc/passwd", "../../../../etc/no-such-file"),
    ]
    for existing, missing in pairs:
        a, b = (post_scenario(web, {"scenario": v}) for v in (existing, missing))
        assert (a.status_code, a.json()) == (b.status_code, b.json())
    # names that are not shipped: one message, whatever files of that name exist elsewhere
    names = ["pyproject", "passwd", "conftest", "no_such_scenario"]
    bodies = [post_scenario(web, {"scenario": n}).json() for n in names]
    assert all(b == bodies[0] for b in bodies) and bodies[0]["status"] == 400
    assert "closed_port, default, demand_shift" in bodies[0]["error"]


def test_the_name_only_resolver_never_looks_outside_its_folders(
    tmp_path: Path, opened: list[str]
) -> None:
    assert shipped_scenario("closed_port") == default_scenario_path().parent / "closed_port.toml"
    messages = set()
    for value in hostile_paths(tmp_path):
        with pytest.raises(ScenarioError) as caught:
            shipped_scenario(value)
        messages.add(str(caught.value))
    assert len(messages) == 1  # one message, whatever the value
    assert not [p for p in opened if "passwd" in p or "fifo" in p or "/dev/" in p]
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "border_surge.toml").write_text(DEFAULT_TOML, encoding="utf-8")
    assert shipped_scenario("border_surge", [mine]) == mine / "border_surge.toml"
    with pytest.raises(ScenarioError):
        shipped_scenario(str(mine / "border_surge.toml"), [mine])


def test_a_scenario_posted_as_toml_runs_like_the_named_one(web) -> None:
    by_name = post_scenario(web, {"scenario": "default", "seed": 3}, limit=120).json()
    by_text = post_scenario(web, {"toml": DEFAULT_TOML, "seed": 3}, limit=120).json()
    assert by_name["ok"] is True and by_text["ok"] is True
    assert by_text["objective"]["value"] == pytest.approx(by_name["objective"]["value"])
    assert by_text["allocation"] == by_name["allocation"]
    both = post_scenario(web, {"scenario": "default", "toml": DEFAULT_TOML})
    assert "not both" in assert_refused(both)["error"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[budget\ntotal = 3", "not valid TOML"),
        ("x = " + "[" * 5000 + "]" * 5000, "nested too deeply"),
        (DEFAULT_TOML.replace("total = 40.0", "total = nan"), "budget.total must be a finite"),
        (DEFAULT_TOML.replace("total = 40.0", "total = inf"), "budget.total must be a finite"),
        (DEFAULT_TOML.replace("rationality = 20.0", "rationality = 1e6"), "≤ 1000"),
        (DEFAULT_TOML.replace("months = 24", "months = 100000"), "simulation.months"),
        (
            DEFAULT_TOML.replace("months = 24", "months = 100").replace(
                "agents = 200", "agents = 5000"
            ),
            "months × simulation.agents",
        ),
        (
            DEFAULT_TOML.replace("available = 40", "available = 9000").replace(
                "total = 40.0", "total = 9000.0"
            ),
            "units of resources",
        ),
        (DEFAULT_TOML.replace('period = "FY2024"', 'period = "0000"'), "data.period"),
        ('[scenario]\nname = "x"\n', "resources must be one or more"),
    ],
)
def test_a_posted_scenario_is_validated_by_the_loader(web, text: str, words: str) -> None:
    with pytest.raises(ScenarioError, match=words):
        load_scenario_text(text)
    response = post_scenario(web, {"toml": text})
    assert words in assert_refused(response)["error"]


def test_posted_scenarios_are_size_limited(web) -> None:
    padding = "# " + "x" * 70_000 + "\n"
    with pytest.raises(ScenarioError, match="at most 65,536"):
        load_scenario_text(padding + DEFAULT_TOML)
    assert_refused(post_scenario(web, {"toml": padding + DEFAULT_TOML}))
    assert len(DEFAULT_TOML.encode()) < MAX_SCENARIO_BYTES
    assert (
        load_scenario_text(DEFAULT_TOML).resources
        == load_scenario(default_scenario_path()).resources
    )


def test_no_route_serves_a_file_outside_static(web) -> None:
    for path in [
        "/static/%2e%2e/%2e%2e/pyproject.toml",
        "/static/..%2f..%2f..%2fpyproject.toml",
        "/static/%2e%2e/__init__.py",
        "/static//etc/passwd",
        "/releases/..%2f..%2fetc%2fpasswd",
        "/api/members/..%2f..%2fetc/passwd",
    ]:
        response = request(web, "GET", path)
        assert_refused(response)
        assert "root:" not in response.text and "[project]" not in response.text


# -- no non-finite number reaches JSON -------------------------------------------------------------


def test_the_encoder_sends_non_finite_numbers_as_null() -> None:
    value = {
        "a": [1.5, float("nan"), float("inf"), -float("inf")],
        "b": {"c": np.float64("inf"), "d": np.int64(3), "e": (np.float32("nan"),)},
        "f": "\ud800",  # a lone surrogate sent in a JSON body
    }
    assert strict_json(encode(value).decode()) == {
        "a": [1.5, None, None, None],
        "b": {"c": None, "d": 3, "e": [None]},
        "f": "\ud800",
    }


class InfiniteResult:
    """An engine answer holding infinities and NaN (a rate over zero, a change from nothing)."""

    def to_dict(self) -> dict[str, Any]:
        rows = [{"value": float("inf"), "change_pct": float("nan"), "share": -float("inf")}]
        return {"query": {}, "rows": rows, "notes": [], "releases": []}


def test_an_infinite_answer_is_null_in_the_query_api(web, monkeypatch) -> None:
    state = web.state.bf
    monkeypatch.setattr(state.engine, "run", lambda query: InfiniteResult())
    state.answers.clear()
    try:
        for response in (
            request(web, "GET", "/api/query?measure=seized_lb&period=FY2023"),
            request(web, "POST", "/api/query", json={"measure": "seized_lb", "period": "FY2023"}),
        ):
            assert response.status_code == 200
            body = strict_json(response.text)
            assert body["rows"] == [{"value": None, "change_pct": None, "share": None}]
    finally:
        state.answers.clear()


def test_an_infinite_value_is_null_in_pages_and_their_charts(web, monkeypatch) -> None:
    def infinite_section(name: str, ctx: Any) -> Section:
        spec = {"data": {"values": [{"x": 1, "y": float("inf")}, {"x": 2, "y": float("nan")}]}}
        return Section(
            name,
            "title",
            "lead",
            values=[Value("label", float("inf"), "∞", "pounds", "FY2023", change_pct=float("nan"))],
            figures=[Figure("trend", "trend", spec)],
        )

    monkeypatch.setattr(pages, "build_section", infinite_section)
    web.state.bf.pages.clear()
    try:
        twin = request(web, "GET", "/seizures.json?period=FY2023")
        body = strict_json(twin.text)
        assert body["values"][0]["value"] is None and body["values"][0]["change_pct"] is None
        assert body["figures"][0]["spec"]["data"]["values"][0]["y"] is None
        html = request(web, "GET", "/seizures?period=FY2023").text
        specs = [
            strict_json(s)
            for s in _between(html, 'class="vl-spec" data-target="chart-trend">', "</script>")
        ]
        assert specs and specs[0]["data"]["values"][1]["y"] is None
    finally:
        web.state.bf.pages.clear()


def _between(text: str, start: str, end: str) -> list[str]:
    parts = text.split(start)[1:]
    return [p.split(end)[0] for p in parts]


# -- no input makes a 500 ---------------------------------------------------------------------------


KNOWN_500S = [
    "/api/query?measure=seized_lb&period=FY2024&by=drug&by=drug",
    "/api/query?measure=seized_lb&period=FY2024&by=drug&by=drug&by=region&share_of=drug",
    "/api/query?measure=seized_lb&period=FY2024&where=drug=Fentanyl&by=drug",
    "/api/query?measure=seized_lb&period=0000",
    "/api/query?measure=seized_lb&period=0001..9999&compare=previous",
    "/api/query?measure=seized_lb&period=0001&compare=year_ago",
    "/api/query?measure=seized_lb&period=9999-12&grain=fiscal_year",
    "/seizures.json?period=0000",
    "/seizures.json?period=0001",
    "/seizures.json?period=9999-12",
    "/deaths.json?period=12ME 0000-12",
    "/crossings?period=0000-01..0001-01",
    "/homicides.json?period=FY00",
]


@pytest.mark.parametrize("path", KNOWN_500S)
def test_inputs_that_once_made_a_500(web, path: str) -> None:
    assert_no_server_error(request(web, "GET", path))


@pytest.mark.parametrize(
    "body",
    [
        {"measure": "seized_lb", "period": "0000"},
        {"measure": "seized_lb", "period": "FY2024", "by": ["drug", "drug"]},
        {"measure": "seized_lb", "period": "FY2024", "where": {"": ["x"]}},
        {"measure": "seized_lb", "period": "FY2024", "where": {"drug": []}},
        {"measure": "seized_lb", "period": "FY2024", "as_of": "0001-01-01"},
        {"measure": "seized_lb", "period": "FY2024", "share_of": "planet"},
        {"measure": "\x00", "period": "FY2024"},
        {"measure": "seized_lb", "period": "FY2024", "unit": "furlongs"},
    ],
)
def test_malformed_query_bodies_are_refused(web, body: dict[str, Any]) -> None:
    assert_no_server_error(request(web, "POST", "/api/query", json=body))


@pytest.mark.parametrize(
    "content",
    [
        b"[]",
        b"null",
        b"1e999",
        b'{"measure": 1e999, "period": NaN}',
        b'{"measure": "seized_lb", "period": "\\ud800"}',
        b'{"text": "\\udfff", "toml": "\\ud800"}',
        b'"x"',
        b"\xff\xfe",
        b"{",
    ],
)
def test_malformed_json_is_refused(web, content: bytes) -> None:
    for path in ("/api/query", "/api/interdiction", "/api/check"):
        response = request(
            web, "POST", path, content=content, headers={"content-type": "application/json"}
        )
        assert_refused(response)


@pytest.mark.parametrize(
    ("path", "content"),
    [
        ("/api/interdiction", b'{"toml": "\\ud800"}'),
        ("/api/interdiction", b'{"toml": "[scenario]\\nname = \\"\\ud800\\"\\n"}'),
        ("/api/check", b'{"text": "\\udfff over 140,000 deaths in 2022"}'),
        ("/check.json", b'{"text": "\\udfff over 140,000 deaths in 2022"}'),
        ("/api/query", b'{"measure": "seized_lb", "period": "FY2024", "unit": "\\ud800"}'),
    ],
)
def test_text_that_is_not_utf8_is_answered_or_refused(web, path: str, content: bytes) -> None:
    response = request(
        web, "POST", path, content=content, headers={"content-type": "application/json"}
    )
    assert_no_server_error(response)


YEARS = st.one_of(
    st.integers(2018, 2025), st.integers(1995, 2027), st.sampled_from([0, 1, 99, 1000, 8999, 9999])
)
MONTHS = st.one_of(st.integers(1, 12), st.integers(1, 12), st.sampled_from([0, 13]))


@st.composite
def one_period(draw: st.DrawFn) -> str:
    year, month = draw(YEARS), draw(MONTHS)
    forms = [
        f"FY{year}",
        f"FY{year % 100:02d}",
        f"FY{year} YTD",
        f"{year}",
        f"CY{year}",
        f"{year}Q{(month - 1) % 4 + 1}",
        f"Q{month % 5} {year}",
        f"{year}-{month:02d}",
        f"12ME {year}-{month:02d}",
        f"ttm {year}-{month}",
    ]
    return draw(st.sampled_from(forms))


@st.composite
def period_texts(draw: st.DrawFn) -> str:
    """Periods as analysts write them, most of them readable, some at the calendar's ends."""
    first = draw(one_period())
    return first if draw(st.booleans()) else f"{first}..{draw(one_period())}"


PERIOD = st.one_of(period_texts(), period_texts(), period_texts(), st.text(max_size=30))
MEASURES = {m.name: m.dimensions for m in all_measures()}
MEMBER_TEXTS = st.one_of(
    st.sampled_from(
        [
            "Fentanyl",
            "Methamphetamine",
            "Southwest Border",
            "Office of Field Operations",
            "TX",
            "CA",
            "US",
            "Trucks",
            "Pedestrians",
            "2304",
            "Laredo",
            "00",
            "02",
            "Chihuahua",
            "T40.4",
            "all_drug_overdose",
            "World",
            "Mexico",
            "Import",
            "2933",
        ]
    ),
    st.text(max_size=8),
)


@st.composite
def query_objects(draw: st.DrawFn) -> dict[str, Any]:
    """Query objects as a client would write them: mostly the measure's own dimensions and
    plausible members, with repeats, strangers and wrong values mixed in."""
    measure = draw(st.sampled_from([*sorted(MEASURES), "seized_kg"]))
    dims = st.sampled_from([*MEASURES.get(measure, ("drug",)), "planet"])
    query: dict[str, Any] = {"measure": measure, "period": draw(PERIOD)}
    optional = {
        "where": st.dictionaries(dims, st.lists(MEMBER_TEXTS, max_size=2), max_size=2),
        "by": st.lists(dims, max_size=3),
        "grain": st.sampled_from([None, "month", "quarter", "calendar_year", "fiscal_year", "x"]),
        "compare": st.sampled_from([None, "previous", "year_ago", "tomorrow"]),
        "share_of": st.one_of(st.none(), dims),
        "rank": st.booleans(),
        "rate": st.sampled_from([None, "per_100k", "per_1000_crossings", "per_day"]),
        "rate_conveyance": st.sampled_from(["Trucks", "Buses", "x"]),
        "status": st.sampled_from([None, "final", "provisional", "reported", "nonsense"]),
        "as_of": st.sampled_from([None, "2024-06-30", "0001-01-01", "9999-12-31"]),
        "include_amo": st.booleans(),
        "unit": st.sampled_from([None, "kg", "lb", "furlongs"]),
    }
    for key in draw(st.sets(st.sampled_from(sorted(optional)), max_size=4)):
        query[key] = draw(optional[key])
    return query


@HYPOTHESIS
@given(period=PERIOD, compare=st.sampled_from([None, "previous", "year_ago"]))
def test_any_period_is_answered_or_refused(web, period: str, compare: str | None) -> None:
    query = {"measure": "seized_lb", "period": period, **({"compare": compare} if compare else {})}
    assert_no_server_error(request(web, "GET", "/api/query?" + urlencode(query)))
    assert_no_server_error(request(web, "POST", "/api/query", json=query))
    assert_no_server_error(request(web, "GET", "/seizures.json?" + urlencode({"period": period})))
    assert_no_server_error(request(web, "GET", "/deaths?" + urlencode({"period": period})))


@HYPOTHESIS
@given(query=query_objects())
def test_any_query_object_is_answered_or_refused(web, query: dict[str, Any]) -> None:
    assert_no_server_error(request(web, "POST", "/api/query", json=query))
    params: list[tuple[str, str]] = [
        (k, str(v).lower() if isinstance(v, bool) else str(v))
        for k, v in query.items()
        if k not in ("where", "by") and v is not None
    ]
    params += [("where", f"{k}={','.join(v)}") for k, v in query.get("where", {}).items()]
    params += [("by", b) for b in query.get("by", [])]
    assert_no_server_error(request(web, "GET", "/api/query?" + urlencode(params)))


PAGES = ["/", "/seizures", "/deaths", "/crossings", "/homicides", "/trade", "/outlook"]


@HYPOTHESIS
@given(
    page=st.sampled_from(PAGES),
    twin=st.booleans(),
    drug=st.one_of(st.none(), MEMBER_TEXTS),
    place=st.one_of(st.none(), MEMBER_TEXTS),
    period=st.one_of(st.none(), PERIOD),
    lang=st.sampled_from(["en", "es", "fr"]),
)
def test_any_page_filter_is_answered_or_refused(web, page, twin, drug, place, period, lang) -> None:
    path = (("/index" if page == "/" else page) + ".json") if twin else page
    params = {"drug": drug, "place": place, "period": period, "lang": lang}
    query = urlencode({k: v for k, v in params.items() if v is not None})
    assert_no_server_error(request(web, "GET", f"{path}?{query}"))


# -- long and repeated inputs ---------------------------------------------------------------------


def test_long_id_lists_and_addresses_are_refused(web) -> None:
    many = ",".join(["3"] * 201)
    assert (
        "at most 200" in assert_refused(request(web, "GET", f"/releases.json?ids={many}"))["error"]
    )
    assert_refused(request(web, "GET", f"/releases?ids={many}"))
    fine = request(web, "GET", "/releases.json?ids=" + ",".join(["3"] * 200))
    assert fine.status_code == 200 and len(fine.json()) == 200
    long = "/releases?ids=" + ",".join(["1"] * 5000)
    body = assert_refused(request(web, "GET", long.replace("/releases", "/releases.json")))
    assert body["status"] == 414 and "address over the limit" in body["error"]
    page = request(web, "GET", long)
    assert page.status_code == 414 and len(page.content) < 1000
    huge_query = "/api/query?measure=seized_lb&period=FY2024&where=" + quote("drug=" + "x" * 9000)
    assert assert_refused(request(web, "GET", huge_query))["status"] == 414


@pytest.mark.slow
def test_the_running_server_answers_long_addresses(loaded) -> None:
    """Through uvicorn: an address over the app's limit gets a 414 in the error shape, one over
    the HTTP parser's is answered (400) rather than dropped, and the server goes on serving."""
    db, _ = loaded
    with serve(db) as url:
        ids = ",".join(["1"] * 20_000)  # 40 KB
        response = httpx.get(f"{url}/releases?ids={ids}", timeout=10)
        assert response.status_code == 414 and response.json()["status"] == 414
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as s:
            s.sendall(f"GET /releases?ids={ids * 4} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            assert s.recv(64).startswith(b"HTTP/1.1 4")
        assert httpx.get(f"{url}/api", timeout=10).status_code == 200
