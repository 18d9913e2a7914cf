"""Endpoints and pages over the higher libraries: claim checks (``borderflow.claims``), forecasts
(``borderflow.outlook``) and interdiction scenarios (``borderflow.interdiction``).

Each group is added only when its library is installed in this build, so each library is imported
inside the function that builds its router. All of them read: a claim check asks the shared
read-only engine, forecasts are read from stored runs, and a scenario is run without storing it
(its answer is kept per engine, ``engine.memo``). The report layer only presents what they return.

A scenario is named (a shipped one: ``default``, ``closed_port``, …) or sent as TOML text; a
request never names a file of the server (``interdiction.scenario.shipped_scenario``).
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Annotated, Any, Self
from urllib.parse import parse_qs

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi import Query as Param
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field, model_validator

from borderflow.metrics import get_measure
from borderflow.report.extras import article_section, available
from borderflow.report.i18n import load_catalog
from borderflow.report.model import Section
from borderflow.vocabulary import parse_where
from borderflow.web.pages import Lang, render
from borderflow.web.state import AppState, state_of

#: Longest article accepted (characters); the body limit bounds it in bytes as well.
MAX_ARTICLE = 200_000


class CheckIn(BaseModel):
    """An article to check."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_ARTICLE)
    published: date | None = None


#: Largest scenario accepted as TOML text (characters; ``load_scenario_text`` counts bytes).
MAX_SCENARIO_TEXT = 64 * 1024


class ScenarioIn(BaseModel):
    """An interdiction scenario to run: a shipped one by name, or one sent as TOML text."""

    model_config = ConfigDict(extra="forbid")

    scenario: str = Field(
        default="default",
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
        description="a shipped scenario by name (GET /api/interdiction/scenarios), not a path",
    )
    toml: str | None = Field(
        default=None,
        max_length=MAX_SCENARIO_TEXT,
        description="a whole scenario as TOML text (as default.toml), instead of a name",
    )
    seed: int = Field(default=0, ge=0, le=2**31 - 1)

    @model_validator(mode="after")
    def one_scenario(self) -> Self:
        if self.toml is not None and "scenario" in self.model_fields_set:
            raise ValueError("send a scenario name or a scenario as TOML text, not both")
        return self

    def key(self) -> tuple[str, str, int]:
        """What the run depends on besides the warehouse: the scenario (or its text's hash)."""
        if self.toml is None:
            return ("interdiction", self.scenario, self.seed)
        digest = hashlib.sha256(self.toml.encode("utf-8", errors="surrogatepass")).hexdigest()
        return ("interdiction", "toml:" + digest, self.seed)


def add_library_routes(app: FastAPI) -> None:
    """Add the routes of every installed library."""
    if available("borderflow.claims"):
        app.include_router(_claims_router())
    if available("borderflow.outlook"):
        app.include_router(_outlook_router())
    if available("borderflow.interdiction"):
        app.include_router(_interdiction_router())


# -- claims ---------------------------------------------------------------------------------------


def _claims_router() -> APIRouter:
    from borderflow.claims import check_text

    router = APIRouter()

    def check(state: AppState, text: str, published: date | None) -> dict[str, Any]:
        """The checker's report (JSON form), asked through the shared engine."""
        with state.lock:
            report: dict[str, Any] = check_text(text, state.engine, published=published).to_dict()
        return report

    @router.post("/api/check", tags=["api"], summary="Check the claims of an article")
    def api_check(request: Request, body: CheckIn) -> dict[str, Any]:
        return {"ok": True, **check(state_of(request), body.text, body.published)}

    @router.get("/check.json", tags=["pages"], summary="The check page as JSON (empty form)")
    def check_twin(request: Request, lang: Lang = "en") -> JSONResponse:
        return JSONResponse(_empty(lang).to_dict())

    @router.post("/check.json", tags=["pages"], summary="Check an article; the page as JSON")
    def check_twin_post(request: Request, body: CheckIn, lang: Lang = "en") -> JSONResponse:
        state = state_of(request)
        report = check(state, body.text, body.published)
        return JSONResponse(article_section(state.context(lang), report).to_dict())

    @router.get("/check", response_class=HTMLResponse, tags=["pages"], summary="Check page")
    def check_page(request: Request, lang: Lang = "en") -> HTMLResponse:
        return HTMLResponse(_render_check(request, lang, _empty(lang), ""))

    @router.post(
        "/check", response_class=HTMLResponse, tags=["pages"], summary="Check an article (form)"
    )
    async def check_form(request: Request, lang: Lang = "en") -> HTMLResponse:
        text = await _article_of(request)
        state = state_of(request)
        report = await run_in_threadpool(check, state, text, None)
        sec = article_section(state.context(lang), report)
        return HTMLResponse(_render_check(request, lang, sec, text))

    return router


async def _article_of(request: Request) -> str:
    """The article pasted in the check form.

    Raises:
        HTTPException: 422 when empty, 413 when over ``MAX_ARTICLE`` characters.
    """
    form = parse_qs((await request.body()).decode("utf-8", errors="replace"))
    text = (form.get("text") or [""])[0]
    if not text.strip():
        raise HTTPException(422, "paste the text of an article in the form.")
    if len(text) > MAX_ARTICLE:
        raise HTTPException(413, f"the article is over {MAX_ARTICLE:,} characters.")
    return text


def _empty(lang: str) -> Section:
    c = load_catalog(lang)
    return Section("check", c.t("web.check_title"), c.t("web.check_lead"))


def _render_check(request: Request, lang: str, sec: Section, text: str) -> str:
    json_href = "/check.json" + (f"?lang={lang}" if lang != "en" else "")
    return render(
        "check.html.j2",
        request,
        lang,
        section=sec,
        text=text,
        spec=None,
        options={},
        json_href=json_href,
        release_link=_release_link,
    )


def _release_link(release_id: int) -> Markup:
    return Markup('<a class="num" href="/releases/{0}">{0}</a>').format(int(release_id))


# -- outlook --------------------------------------------------------------------------------------


def _outlook_router() -> APIRouter:
    from borderflow.outlook import latest_forecasts

    router = APIRouter(prefix="/api", tags=["api"])

    @router.get("/forecasts", summary="The latest stored forecasts of a measure")
    def forecasts(
        request: Request,
        measure: Annotated[str, Param(max_length=100)],
        where: Annotated[list[str] | None, Param(description="DIMENSION=MEMBER")] = None,
    ) -> dict[str, Any]:
        get_measure(measure)
        filters = parse_where(where or [])
        state = state_of(request)
        with state.lock:
            rows = latest_forecasts(state.engine, measure, filters or None)
        frame = rows.astype(object)
        records = frame.mask(frame.isna(), None).to_dict(orient="records")
        return {"ok": True, "measure": measure, "rows": [_plain(r) for r in records]}

    return router


def _plain(record: dict[Any, Any]) -> dict[str, Any]:
    return {str(k): (v.isoformat() if isinstance(v, date) else v) for k, v in record.items()}


# -- interdiction ---------------------------------------------------------------------------------


def _interdiction_router() -> APIRouter:
    from borderflow.interdiction import load_scenario, run_scenario, scenario_paths
    from borderflow.interdiction.scenario import (
        Scenario,
        load_scenario_text,
        shipped_scenario,
    )

    router = APIRouter(prefix="/api", tags=["api"])

    def scenario_of(body: ScenarioIn) -> Scenario:
        """The scenario asked for: a shipped one by name, or the text sent (never a path)."""
        if body.toml is not None:
            return load_scenario_text(body.toml)
        return load_scenario(shipped_scenario(body.scenario))

    def compute(state: AppState, scenario: Scenario, seed: int) -> dict[str, Any]:
        """Run the scenario unstored, one at a time (429 while another runs), on the
        scenarios' own engine, so pages and queries are not held up meanwhile."""
        if not state.scenario_gate.acquire(blocking=False):
            raise HTTPException(429, "a scenario is already running; try again shortly.")
        try:
            engine, lock = state.scenario_engine()
            with lock:
                result = run_scenario(scenario, engine, seed=seed)
        finally:
            state.scenario_gate.release()
        answer: dict[str, Any] = result.to_dict()
        return answer

    @router.get("/interdiction/scenarios", summary="The scenarios shipped with borderflow")
    def scenarios() -> list[str]:
        return sorted(p.stem for p in scenario_paths())

    @router.post("/interdiction", summary="Run an interdiction scenario (not stored)")
    def run(request: Request, body: ScenarioIn) -> dict[str, Any]:
        state = state_of(request)
        scenario = scenario_of(body)  # anything but a scenario is refused here, at once
        engine, _ = state.scenario_engine()
        return {"ok": True, **engine.memo(body.key(), lambda: compute(state, scenario, body.seed))}

    return router
