"""The JSON API: sources, releases, measures, metric queries (and, where the libraries are
installed, forecasts, claim checks and interdiction scenarios). Read-only: nothing here writes to
the warehouse, and every number is an answer of the metrics layer with its provenance.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi import Query as Param
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from borderflow.errors import BorderflowError
from borderflow.metrics import Query, QueryError, all_measures, get_measure
from borderflow.registry import UnknownName, load_registry
from borderflow.registry.views import actor_view, timeline_view
from borderflow.vocabulary import parse_where
from borderflow.web.encoding import encode
from borderflow.web.state import AppState, state_of

router = APIRouter(prefix="/api", tags=["api"])

Text = Annotated[str, Field(max_length=200)]


class QueryIn(BaseModel):
    """A metrics query (the JSON form of ``borderflow.metrics.Query``)."""

    model_config = ConfigDict(extra="forbid")

    measure: Text
    period: Text
    where: dict[Text, list[Text]] = Field(default_factory=dict)
    by: list[Text] = Field(default_factory=list)
    grain: Text | None = None
    compare: Text | None = None
    share_of: Text | None = None
    rank: bool = False
    rate: Text | None = None
    rate_conveyance: Text = "Trucks"
    status: Text | None = None
    as_of: date | None = None
    include_amo: bool = False
    unit: Text | None = None


@router.get("", summary="What the API offers")
async def index() -> dict[str, Any]:
    return {
        "ok": True,
        "endpoints": {
            "/api/sources": "official datasets with coverage",
            "/api/releases": "every file loaded, with sha256 and vintage",
            "/api/releases/{release_id}": "one release",
            "/api/measures": "what can be asked",
            "/api/members/{measure}/{dimension}": "stored members of a dimension",
            "/api/query": "GET with parameters, or POST a query as JSON",
            "/api/events": "dated events of the registry (actor, from, to, kind, lang)",
            "/api/actors/{actor_id}": "an actor's profile with its dated relations",
        },
        "pages": "every dashboard page answers JSON at <path>.json",
        "schema": "/openapi.json",
    }


@router.get("/sources", summary="Official datasets and their coverage")
def sources(request: Request) -> list[dict[str, Any]]:
    return state_of(request).sources


@router.get("/releases", summary="Every release (file) recorded")
def releases(request: Request, source: Text | None = None) -> list[dict[str, Any]]:
    rows = state_of(request).releases.values()
    return [r for r in rows if source is None or r["source"] == source]


@router.get("/releases/{release_id}", summary="One release: file, sha256, vintage, address")
def release(request: Request, release_id: int) -> dict[str, Any]:
    found = state_of(request).releases.get(release_id)
    if found is None:
        raise HTTPException(404, f"no release {release_id}; see /api/releases.")
    return found


@router.get("/measures", summary="The measures that can be queried")
def measures() -> list[dict[str, Any]]:
    return [
        {
            "name": m.name,
            "description": m.description,
            "unit": m.unit or "varies",
            "period_type": m.period_type,
            "source": m.source,
            "dimensions": list(m.dimensions),
            "statuses": list(m.statuses),
        }
        for m in all_measures()
    ]


@router.get("/members/{measure}/{dimension}", summary="Stored members of a dimension")
def members(request: Request, measure: Text, dimension: Text) -> list[str]:
    m = get_measure(measure)
    if dimension not in m.dimensions:
        raise BorderflowError(
            f"{measure} has no dimension {dimension!r}; it has {', '.join(m.dimensions)}."
        )
    state = state_of(request)
    with state.lock:
        return list(state.engine.members(m, dimension))


@router.get("/query", summary="Ask the metrics layer (parameters)")
async def query_get(
    request: Request,
    measure: Text,
    period: Text,
    where: Annotated[list[Text] | None, Param(description="DIMENSION=MEMBER, repeatable")] = None,
    by: Annotated[list[Text] | None, Param()] = None,
    grain: Text | None = None,
    compare: Text | None = None,
    rate: Text | None = None,
    rank: bool = False,
    status: Text | None = None,
    as_of: date | None = None,
    unit: Text | None = None,
) -> Response:
    def body() -> QueryIn:
        return QueryIn(
            measure=measure,
            period=period,
            where={dim: list(m) for dim, m in parse_where(where or []).items()},
            by=by or [],
            grain=grain,
            compare=compare,
            rate=rate,
            rank=rank,
            status=status,
            as_of=as_of,
            unit=unit,
        )

    return await answer(request, "GET " + request.url.query, body)


@router.post("/query", summary="Ask the metrics layer (a query as JSON)")
async def query_post(request: Request, body: QueryIn) -> Response:
    return await answer(request, "POST " + body.model_dump_json(), lambda: body)


async def answer(request: Request, key: str, body: Callable[[], QueryIn]) -> Response:
    """Answer a query; the JSON bytes are kept by request (``AppState.answers``, bounded), so a
    repeated question costs a lookup.

    The metrics engine runs in a worker thread (it blocks), behind the app's lock.
    """
    state = state_of(request)
    compute = partial(_run, state, body)
    if key in state.answers:  # a repeated question: no thread needed
        found = state.answers.get_or_compute(key, compute)
    else:
        found = await run_in_threadpool(state.answers.get_or_compute, key, compute)
    return Response(found, media_type="application/json")


def _run(state: AppState, body: Callable[[], QueryIn]) -> bytes:
    """The engine's answer to the query ``body`` builds, as JSON bytes (behind the lock).

    The query is checked before the engine sees it: a period or field the metrics layer
    refuses (``QueryError``, ``PeriodError``, or ``ValueError`` from its parsers) is a 400 in the
    error shape.
    """
    asked = body()
    try:
        query = Query.from_dict(asked.model_dump())
    except ValueError as exc:
        raise QueryError(f"cannot read the query: {exc}") from None
    with state.lock:
        data = {"ok": True, **state.engine.run(query).to_dict()}
    return encode(data)


# -- the registry of who and when (issue 17) -----------------------------------------------------

Lang = Literal["en", "es"]


def _registry_releases(request: Request, view: dict[str, Any]) -> dict[str, Any]:
    """The view with, for each registry file, the warehouse release holding the same bytes."""
    loaded = {
        (r["file_name"], r["sha256"]): r["release_id"]
        for r in state_of(request).releases.values()
        if r["source"] == "registry" and r["state"] == "loaded"
    }
    for name, item in view["registry"]["files"].items():
        item["release_id"] = loaded.get((name, item["sha256"]))
    return view


@router.get(
    "/events",
    summary="Dated events from the registry of actors, agreements and events",
    responses={
        400: {"description": "a bound or kind cannot be read"},
        404: {"description": "no actor or agreement has that name"},
    },
)
def events(
    request: Request,
    actor: Annotated[
        Text | None, Param(description="actor, agreement or chemical: id or name")
    ] = None,
    start: Annotated[
        Text | None, Param(alias="from", description="YYYY, YYYY-MM or YYYY-MM-DD")
    ] = None,
    end: Annotated[
        Text | None, Param(alias="to", description="YYYY, YYYY-MM or YYYY-MM-DD")
    ] = None,
    kind: Annotated[
        list[Text] | None, Param(description="event kind, repeatable or comma-separated")
    ] = None,
    lang: Lang = "en",
) -> dict[str, Any]:
    kinds = [k.strip() for item in kind or [] for k in item.split(",")]
    try:
        view = timeline_view(
            load_registry(), actor=actor, start=start, end=end, kinds=kinds, lang=lang
        )
    except UnknownName as exc:
        raise HTTPException(404, str(exc)) from None
    return {"ok": True, **_registry_releases(request, view)}


@router.get(
    "/actors/{actor_id}",
    summary="An actor's profile: names, parent, sub-agencies, dated relations",
    responses={
        400: {"description": "the name is not an actor's"},
        404: {"description": "no actor has that id or name"},
    },
)
def actor(request: Request, actor_id: Text, lang: Lang = "en") -> dict[str, Any]:
    try:
        view = actor_view(load_registry(), actor_id, lang)
    except UnknownName as exc:
        raise HTTPException(404, str(exc)) from None
    return {"ok": True, **_registry_releases(request, view)}
