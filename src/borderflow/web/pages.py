"""Dashboard pages rendered on the server (Jinja2), each with a ``.json`` twin.

A topic page is a section of the brief (``report.registry``) built for the reader's filters (drug,
place, period) and language, drawn in the browser with the vendored vega-embed. Every number
links to the releases it was read from (``/releases/{id}``: file, sha256, vintage, address).

The app serves one read-only snapshot, so a page depends only on its path and its normalised
parameters: rendered pages and twins are kept as bytes (``AppState.pages``, bounded) and a
repeated page costs a lookup on the event loop; a new one is built in a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi import Query as Param
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from borderflow.metrics import get_measure
from borderflow.metrics.periods import parse_period
from borderflow.report.charts import browser_locale
from borderflow.report.happened import add_event_markers
from borderflow.report.i18n import LOCALES, load_catalog
from borderflow.report.model import Filters, Section, Value
from borderflow.report.registry import all_sections, build_section
from borderflow.report.sections import place_options
from borderflow.web.encoding import dumps, encode
from borderflow.web.state import AppState, PageKey, state_of

router = APIRouter(tags=["pages"])

Lang = Annotated[str, Param(pattern="^(en|es)$", description="en or es")]
FilterText = Annotated[str | None, Param(max_length=100)]
#: Events of the registry to mark on a page's time charts: ids, kinds or an actor/agreement.
EventsText = Annotated[
    str | None, Param(max_length=500, description="event ids or kinds, comma-separated")
]
#: Most releases one ``/releases?ids=`` page lists (a number is read from a handful).
MAX_IDS = 200
IdsText = Annotated[
    str | None, Param(max_length=2000, description=f"release ids, comma-separated (≤ {MAX_IDS})")
]

_env = jinja2.Environment(
    # the page's own templates, then the brief's: a table both show (claims) is written once
    loader=jinja2.ChoiceLoader(
        [
            jinja2.PackageLoader("borderflow.web", "templates"),
            jinja2.PackageLoader("borderflow.report", "templates"),
        ]
    ),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.policies["json.dumps_function"] = dumps  # chart specs: strict JSON (NaN as null)


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


def render(
    name: str,
    request: Request,
    lang: str = "en",
    params: Mapping[str, str | None] | None = None,
    **values: Any,
) -> str:
    """Render a page template with the shared navigation and helpers.

    ``params`` are the page's normalised parameters (its links to itself in the other language
    keep them); None: the request's own query (error pages, forms).
    """
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
        num=lambda v: number_html(v, state),
        lang_href=lambda other: f"{request.url.path}?{_with_lang(request, params, other)}",
        chart_locale=browser_locale(lang),
        **values,
    )


def _with_lang(request: Request, params: Mapping[str, str | None] | None, lang: str) -> str:
    """The page's query string with ``lang`` set (filters kept)."""
    kept = dict(request.query_params) if params is None else dict(params)
    kept["lang"] = lang
    return urlencode({k: v for k, v in kept.items() if v})


def query_string(params: Mapping[str, str | None], lang: str = "en") -> str:
    """``?drug=…&lang=es``: the non-empty parameters in a fixed order (``lang`` if not English)."""
    kept = {k: v for k, v in params.items() if v and k != "lang"}
    if lang != "en":
        kept["lang"] = lang
    return "?" + urlencode(kept) if kept else ""


async def cached(
    request: Request, params: Mapping[str, str | None], build: Callable[[], bytes], media: str
) -> Response:
    """The page ``build`` renders for these parameters, kept by path and parameters.

    A kept page is answered on the event loop; a new one is built in a worker thread (it asks
    the engine, behind the lock). Errors are not kept.
    """
    state = state_of(request)
    key: PageKey = (request.url.path, tuple(sorted((k, v) for k, v in params.items() if v)))
    if state.pages is None:
        body = await run_in_threadpool(build)
    elif key in state.pages:
        body = state.pages.get_or_compute(key, build)
    else:
        body = await run_in_threadpool(state.pages.get_or_compute, key, build)
    return Response(body, media_type=media)


HTML = "text/html; charset=utf-8"
JSON_TYPE = "application/json"


def render_error(request: Request, body: dict[str, Any]) -> str:
    """The error page: the same fields as the JSON error shape."""
    lang = request.query_params.get("lang", "en")
    lang = lang if lang in LOCALES else "en"
    return render("error.html.j2", request, lang, error=body, json_href="/api")


def _section_page(request: Request, name: str, lang: str, filters: Filters) -> Section:
    state = state_of(request)
    if filters.period and filters.period.strip():
        parse_period(filters.period)  # a PeriodError is a 400 before any section is built
    return build_section(name, state.context(lang, filters))


def _drug_options(request: Request, lang: str) -> list[tuple[str, str]]:
    state = state_of(request)
    with state.lock:
        codes = state.engine.members(get_measure("seized_lb"), "drug")
    catalog = load_catalog(lang)
    return sorted(((code, catalog.member("drug", code)) for code in codes), key=lambda x: x[1])


@router.get("/", response_class=HTMLResponse, summary="Overview: headline indicators")
async def home(request: Request, lang: Lang = "en") -> Response:
    params = {"lang": lang}

    def build() -> bytes:
        sec = _section_page(request, "headline", lang, Filters())
        html = render(
            "page.html.j2",
            request,
            lang,
            params,
            section=sec,
            spec=None,
            options={},
            json_href="/index.json" + query_string(params, lang),
        )
        return html.encode()

    return await cached(request, params, build, HTML)


@router.get("/index.json", summary="Overview as JSON")
async def home_json(request: Request, lang: Lang = "en") -> Response:
    def build() -> bytes:
        return encode(_section_page(request, "headline", lang, Filters()).to_dict())

    return await cached(request, {"lang": lang}, build, JSON_TYPE)


def _topic_routes(name: str) -> None:
    """Register ``/<name>`` and ``/<name>.json`` for a topic section."""

    async def page(
        request: Request,
        lang: Lang = "en",
        drug: FilterText = None,
        place: FilterText = None,
        period: FilterText = None,
        events: EventsText = None,
    ) -> Response:
        params = {"drug": drug, "place": place, "period": period, "lang": lang}
        params["events"] = events  # the registry's events drawn on the time charts

        def build() -> bytes:
            spec = all_sections()[name]
            filters = Filters(drug or None, place or None, period or None)
            sec = _section_page(request, name, lang, filters)
            sec = add_event_markers(sec, load_catalog(lang), events)
            options = {
                "drug": _drug_options(request, lang) if spec.drug else [],
                "place": place_options(state_of(request).context(lang), spec),
            }
            html = render(
                "page.html.j2",
                request,
                lang,
                params,
                section=sec,
                spec=spec,
                options=options,
                json_href=f"/{name}.json" + query_string(params, lang),
            )
            return html.encode()

        return await cached(request, params, build, HTML)

    async def twin(
        request: Request,
        lang: Lang = "en",
        drug: FilterText = None,
        place: FilterText = None,
        period: FilterText = None,
        events: EventsText = None,
    ) -> Response:
        params = {"drug": drug, "place": place, "period": period, "lang": lang}
        params["events"] = events

        def build() -> bytes:
            filters = Filters(drug or None, place or None, period or None)
            sec = _section_page(request, name, lang, filters)
            return encode(add_event_markers(sec, load_catalog(lang), events).to_dict())

        return await cached(request, params, build, JSON_TYPE)

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


@router.get("/favicon.ico", include_in_schema=False)
async def favicon() -> Response:
    """The icon browsers ask for by default: the vendored SVG (also linked from every page)."""
    return Response(_FAVICON, media_type="image/svg+xml")


_FAVICON = (resources.files("borderflow.web") / "static" / "favicon.svg").read_bytes()


@router.get("/releases", response_class=HTMLResponse, summary="Releases (all, or ?ids=1,2)")
async def releases_page(request: Request, lang: Lang = "en", ids: IdsText = None) -> Response:
    wanted = _ids(ids)
    params = {"ids": ",".join(map(str, wanted)) if wanted else None, "lang": lang}

    def build() -> bytes:
        html = render(
            "releases.html.j2",
            request,
            lang,
            params,
            releases=_releases(request, wanted),
            json_href="/releases.json" + query_string({"ids": params["ids"]}),
        )
        return html.encode()

    return await cached(request, params, build, HTML)


@router.get("/releases.json", summary="Releases as JSON")
async def releases_json(request: Request, ids: IdsText = None) -> Response:
    wanted = _ids(ids)
    params = {"ids": ",".join(map(str, wanted)) if wanted else None}
    return await cached(request, params, lambda: encode(_releases(request, wanted)), JSON_TYPE)


@router.get("/releases/{release_id}.json", summary="One release as JSON")
def release_json(request: Request, release_id: int) -> Response:
    return Response(encode(_release(request, release_id)), media_type=JSON_TYPE)


@router.get("/releases/{release_id}", response_class=HTMLResponse, summary="One release")
def release_page(request: Request, release_id: int, lang: Lang = "en") -> HTMLResponse:
    rows = [_release(request, release_id)]
    return HTMLResponse(
        render(
            "releases.html.j2",
            request,
            lang,
            {"lang": lang},
            releases=rows,
            single=True,
            json_href=f"/releases/{release_id}.json",
        )
    )


def _release(request: Request, release_id: int) -> dict[str, Any]:
    found = state_of(request).releases.get(release_id)
    if found is None:
        raise HTTPException(404, f"no release {release_id}; see /releases.")
    return found


def _ids(ids: str | None) -> list[int]:
    """Release ids from ``1,2,3`` (422 if not numbers, or more than ``MAX_IDS``)."""
    wanted = [p.strip() for p in (ids or "").split(",") if p.strip()]
    if not all(p.isdigit() and len(p) <= 9 for p in wanted):
        shown = ids if len(ids or "") <= 60 else (ids or "")[:60] + "…"
        raise HTTPException(422, f"ids takes release numbers separated by commas, not {shown!r}.")
    if len(wanted) > MAX_IDS:
        raise HTTPException(422, f"ids takes at most {MAX_IDS} release numbers, not {len(wanted)}.")
    return [int(p) for p in wanted]


def _releases(request: Request, wanted: list[int]) -> list[dict[str, Any]]:
    if not wanted:
        return list(state_of(request).releases.values())
    return [_release(request, r) for r in wanted]


# -- the registry's timeline (issue 17) ------------------------------------------------------------


def timeline_asked(
    lang: Lang = "en",
    actor: FilterText = None,
    start: Annotated[str | None, Param(alias="from", max_length=10)] = None,
    end: Annotated[str | None, Param(alias="to", max_length=10)] = None,
    kind: FilterText = None,
) -> dict[str, Any]:
    """The timeline's filters, as both the page and its JSON twin take them."""
    return {"actor": actor, "from": start, "to": end, "kind": kind, "lang": lang}


TimelineAsked = Annotated[dict[str, Any], Depends(timeline_asked)]


def _timeline(asked: dict[str, Any]) -> dict[str, Any]:
    from borderflow.registry import UnknownName, load_registry
    from borderflow.registry.views import timeline_view

    kinds = [k.strip() for k in (asked["kind"] or "").split(",") if k.strip()]
    try:
        return timeline_view(
            load_registry(),
            actor=asked["actor"],
            start=asked["from"],
            end=asked["to"],
            kinds=kinds,
            lang=asked["lang"],
        )
    except UnknownName as exc:
        raise HTTPException(404, str(exc)) from None


@router.get(
    "/timeline",
    response_class=HTMLResponse,
    summary="Timeline of the registry's events (actor, from, to, kind)",
)
async def timeline_page(request: Request, asked: TimelineAsked) -> Response:
    from borderflow.registry.schema import EVENT_KINDS

    lang = asked["lang"]

    def build() -> bytes:
        html = render(
            "timeline.html.j2",
            request,
            lang,
            asked,
            view=_timeline(asked),
            asked=asked,
            kinds=EVENT_KINDS,
            json_href="/timeline.json" + query_string(asked, lang),
        )
        return html.encode()

    return await cached(request, asked, build, HTML)


@router.get("/timeline.json", summary="Timeline of the registry's events as JSON")
async def timeline_json(request: Request, asked: TimelineAsked) -> Response:
    return await cached(request, asked, lambda: encode(_timeline(asked)), JSON_TYPE)
