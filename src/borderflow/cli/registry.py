"""Commands over the registry of who and when: ``timeline`` and ``actor``.

Both read the validated registry shipped with borderflow (the files the warehouse loads as the
``registry`` source); ``--json`` reports which files (sha256) and, where the warehouse has
loaded them, which releases the answer came from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from borderflow.cli.common import (
    DbOption,
    JsonOption,
    app,
    friendly_errors,
    messages,
    out,
    print_json,
    reader_language,
)
from borderflow.config import resolve_db_path
from borderflow.errors import BorderflowError
from borderflow.registry import Registry, load_registry
from borderflow.registry.views import actor_view, timeline_view

LangOption = Annotated[
    str | None, typer.Option("--lang", help="en or es. Default: $BORDERFLOW_LANG, else en.")
]


def registry_releases(registry: Registry, db: Path | None) -> dict[str, int | None]:
    """File → the warehouse release holding these exact bytes (None where not loaded)."""
    found: dict[str, int | None] = dict.fromkeys(registry.provenance.files)
    path = resolve_db_path(db)
    if not path.is_file():
        return found
    from borderflow.warehouse import Warehouse

    try:
        with Warehouse(path, read_only=True) as warehouse:
            rows = warehouse.read.releases()
    except BorderflowError:
        return found
    for r in rows:
        mine = r["source"] == "registry" and r["state"] == "loaded"
        if mine and registry.provenance.files.get(r["file_name"]) == r["sha256"]:
            found[r["file_name"]] = r["release_id"]
    return found


def provenance(registry: Registry, db: Path | None) -> dict[str, Any]:
    data = registry.provenance.to_dict()
    for name, release in registry_releases(registry, db).items():
        data["files"][name]["release_id"] = release
    return data


@app.command("timeline")
@friendly_errors
def timeline_command(
    actor: Annotated[
        str | None,
        typer.Option("--actor", help="An actor, agreement or chemical: id or name (en/es)."),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", help="Event kind (meeting, designation…); repeat.")
    ] = None,
    lang: LangOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Dated events from the registry of actors, agreements and events, each with its source.

    An actor includes its sub-agencies and the agreements it is party to; an agreement gives
    its own events. Dates keep their precision (year, month or day). Exit 2 for an unknown
    actor, with close names suggested.

    Example: `borderflow timeline --actor "Iniciativa Mérida" --lang es`
    """
    lang = reader_language(lang)
    registry = load_registry()
    view = timeline_view(registry, actor=actor, start=start, end=end, kinds=kind or (), lang=lang)
    view["registry"] = provenance(registry, db)
    if as_json:
        print_json(view)
        return
    out.print(timeline_table(view, lang))


def timeline_table(view: dict[str, Any], lang: str) -> Table:
    c = messages(lang)
    title = c.t("timeline.title")
    if view["subject"]:
        title += f": {view['subject_name']}"
    caption = c.t("registry.timeline_count", n=view["count"])
    table = Table(title=title, title_justify="left", caption=caption)
    for key in ("col_date", "col_kind", "col_event", "col_source"):
        table.add_column(c.t(f"registry.{key}"), overflow="fold")
    for e in view["events"]:
        source = f"{e['source']['publisher']}, {e['source']['date']}\n{e['source']['url']}"
        table.add_row(e["date"], c.t(f"registry.kind.{e['kind']}"), e["title"], source)
    return table


@app.command("actor")
@friendly_errors
def actor_command(
    name: Annotated[
        str, typer.Argument(help="Id or name in English or Spanish (accents optional).")
    ],
    lang: LangOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """An actor's profile: names, parent body, sub-agencies and dated relations with sources.

    Exit 2 when no actor has that name, with close names suggested.

    Example: `borderflow actor "Cártel de Sinaloa" --lang es`
    """
    lang = reader_language(lang)
    registry = load_registry()
    data = actor_view(registry, name, lang)
    data["registry"] = provenance(registry, db)
    if as_json:
        print_json(data)
        return
    c = messages(lang)
    out.print(f"[bold]{data['name']}[/bold] ({data['id']}, {data['kind']})", highlight=False)
    facts = [
        ("aliases", ", ".join(data["aliases"])),
        ("country", data["country"] or ""),
        ("parent", data["parent"]["name"] if data["parent"] else ""),
        ("children", ", ".join(ch["name"] for ch in data["children"])),
    ]
    for key, value in facts:
        if value:
            out.print(f"{c.t(f'registry.{key}')}: {value}", highlight=False)
    table = Table(title=c.t("registry.relations"), title_justify="left")
    for key in ("col_date", "col_role", "col_subject", "col_source"):
        table.add_column(c.t(f"registry.{key}"), overflow="fold")
    for r in data["relations"]:
        table.add_row(r["date"] or "–", r["role"], r["name"], r["source"]["url"])
    out.print(table)
