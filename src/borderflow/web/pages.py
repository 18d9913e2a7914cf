"""Dashboard pages rendered on the server (Jinja2), each with a ``.json`` twin.

A topic page is a section of the brief (``report.registry``) built for the reader's filters (drug,
place, period) and language, drawn in the browser with the vendored vega-embed. Every number
links to the releases it was read from (``/releases/{id}``: file, sha256, vintage, address).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, HTTPException, Request
from fastapi import Query as Param
from fastapi.responses import HTMLResponse, JSONResponse
from markupsafe import Markup

from borderflow.metrics import get_measure
from borderflow.report.i18n import LOCALES, load_catalog
from borderflow.report.model import Filters, Section, Value
from borderflow.report.registry import all_sections, build_section
from borderflow.report.sections import place_options
from borderflow.web.state import AppState, state_of

router = APIRouter(tags=["pages"])

Lang = Annotated[str, Param(pattern="^(en|es)$", description="en or es")]
FilterText = Annotated[str | None, Param(max_length=100)]

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("borderflow.web", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def provenance_href(releases: list[int]) -> str:
    """The page listing the releases a number was read from."""
    if len(releases) == 1:
        return f"/releases/{releases[0]}"
    return "/releases?ids=" + ",".join(str(r) for r in releases)


def number_html(value: Value | str, state: AppState) -> Markup:
    """A number as a link to its provenance (file names and sha256 in the tooltip)."""
    if isinstance(value, str):
        return Markup.escape(value)
    if not value.releases:  # a count of verdicts, a model figure: nothing to trace
        return Markup.escape(value.text)
    files = "; ".join(
        f"{state.releases[r]['file_name']} sha256 {state.releases[r]['sha256'][:12]}…"
        for r in value.releases
        if r in state.releases
    )
    return Markup('<a class="num" href="{}" title="{}">{}</a>').format(
        provenance_href(value.releases), files, value.text
    )


def render(name: str, request: Request, lang: str = "en", **values: Any) -> str:
    """Render a page template with the shared navigation and helpers."""
    state = state_of(request)
    catalog = load_catalog(lang)
    nav = [(key, catalog.t(f"{key}.title")) for key in all_sections() if key != "headline"]
    if "check" in {r.path.strip("/") for r in request.app.routes if hasattr(r, "path")}:
        nav.append(("check", catalog.t("web.check_title")))
    return _env.get_template(name).render(
        c=catalog,
        lang=lang,
        langs=list(LOCALES),
        nav=nav,
        path=request.url.path,
        query=request.url.query,
        num=lambda v: number_html(v, state),
        lang_href=lambda other: f"{request.url.path}?{_with_lang(request, other)}",
        **values,
    )


def _with_lang(request: Request, lang: str) -> str:
    """The request's query string with ``lang`` set (filters kept)."""
    params = dict(request.query_params)
    params["lang"] = lang
    return urlencode(params)


def render_error(request: Request, body: dict[str, Any]) -> str:
    """The error page: the same fields as the JSON error shape."""
    lang = request.query_params.get("lang", "en")
    lang = lang if lang in LOCALES else "en"
    return render("error.html.j2", request, lang, error=body, json_href="/api")


def _section_page(request: Request, name: str, lang: str, filters: Filters) -> Section:
    state = state_of(request)
    return build_section(name, state.context(lang, filters))


def _drug_options(request: Request, lang: str) -> list[tuple[str, str]]:
    state = state_of(request)
    with state.lock:
        codes = state.engine.members(get_measure("seized_lb"), "drug")
    catalog = load_catalog(lang)
    return sorted(((code, catalog.member("drug", code)) for code in codes), key=lambda x: x[1])


@router.get("/", response_class=HTMLResponse, summary="Overview: headline indicators")
def home(request: Request, lang: Lang = "en") -> HTMLResponse:
    sec = _section_page(request, "headline", lang, Filters())
    return HTMLResponse(
        render(
            "page.html.j2",
            request,
            lang,
            section=sec,
            spec=None,
            options={},
            json_href="/index.json",
        )
    )


@router.get("/index.json", summary="Overview as JSON")
def home_json(request: Request, lang: Lang = "en") -> JSONResponse:
    return JSONResponse(_section_page(request, "headline", lang, Filters()).to_dict())


def _topic_routes(name: str) -> None:
    """Register ``/<name>`` and ``/<name>.json`` for a topic section."""

    def page(
        request: Request,
        lang: Lang = "en",
        drug: FilterText = None,
        place: FilterText = None,
        period: FilterText = None,
    ) -> HTMLResponse:
        spec = all_sections()[name]
        filters = Filters(drug or None, place or None, period or None)
        sec = _section_page(request, name, lang, filters)
        options = {
            "drug": _drug_options(request, lang) if spec.drug else [],
            "place": place_options(state_of(request).context(lang), spec),
        }
        json_href = f"/{name}.json" + (f"?{request.url.query}" if request.url.query else "")
        return HTMLResponse(
            render(
                "page.html.j2",
                request,
                lang,
                section=sec,
                spec=spec,
                options=options,
                json_href=json_href,
            )
        )

    def twin(
        request: Request,
        lang: Lang = "en",
        drug: FilterText = None,
        place: FilterText = None,
        period: FilterText = None,
    ) -> JSONResponse:
        filters = Filters(drug or None, place or None, period or None)
        return JSONResponse(_section_page(request, name, lang, filters).to_dict())

    router.add_api_route(
        f"/{name}",
        page,
        methods=["GET"],
        response_class=HTMLResponse,
        summary=f"Dashboard page: {name}",
    )
    router.add_api_route(
        f"/{name}.json", twin, methods=["GET"], summary=f"Dashboard page {name} as JSON"
    )


for _name, _spec in all_sections().items():
    if _name != "headline" and _spec.in_brief:
        _topic_routes(_name)


@router.get("/releases", response_class=HTMLResponse, summary="Releases (all, or ?ids=1,2)")
def releases_page(request: Request, lang: Lang = "en", ids: FilterText = None) -> HTMLResponse:
    rows = _releases(request, ids)
    return HTMLResponse(
        render(
            "releases.html.j2",
            request,
            lang,
            releases=rows,
            json_href="/releases.json" + (f"?ids={ids}" if ids else ""),
        )
    )


@router.get("/releases.json", summary="Releases as JSON")
def releases_json(request: Request, ids: FilterText = None) -> JSONResponse:
    return JSONResponse(_releases(request, ids))


@router.get("/releases/{release_id}.json", summary="One release as JSON")
def release_json(request: Request, release_id: int) -> JSONResponse:
    return JSONResponse(_release(request, release_id))


@router.get("/releases/{release_id}", response_class=HTMLResponse, summary="One release")
def release_page(request: Request, release_id: int, lang: Lang = "en") -> HTMLResponse:
    rows = [_release(request, release_id)]
    return HTMLResponse(
        render(
            "releases.html.j2",
            request,
            lang,
            releases=rows,
            json_href=f"/releases/{release_id}.json",
        )
    )


def _release(request: Request, release_id: int) -> dict[str, Any]:
    found = state_of(request).releases.get(release_id)
    if found is None:
        raise HTTPException(404, f"no release {release_id}; see /releases.")
    return found


def _releases(request: Request, ids: str | None) -> list[dict[str, Any]]:
    state = state_of(request)
    if not ids:
        return list(state.releases.values())
    wanted = [p.strip() for p in ids.split(",") if p.strip()]
    if not all(p.isdigit() for p in wanted):
        raise HTTPException(422, f"ids takes release numbers separated by commas, not {ids!r}.")
    return [_release(request, int(p)) for p in wanted]
