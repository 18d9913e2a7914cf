"""Commands that publish: the brief (HTML and PDF) and the dashboard with its JSON API."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from borderflow.cli.common import (
    DbOption,
    JsonOption,
    _progress,
    app,
    err,
    friendly_errors,
    messages,
    out,
    print_json,
)
from borderflow.config import resolve_db_path


@app.command("brief")
@friendly_errors
def brief_command(
    lang: Annotated[
        list[str] | None, typer.Option("--lang", help="en or es; repeat for both. Default: en.")
    ] = None,
    article: Annotated[
        Path | None, typer.Option("--article", help="A text file whose claims are checked.")
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write into.")] = Path("brief"),
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="Write the HTML only.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write the brief: a self-contained HTML file with charts and a PDF, in English or Spanish.

    Headline indicators with their sources, seizures, overdose deaths, crossings, homicides,
    precursor trade and, with `--article`, the claim report of an article.

    Example: `borderflow brief --lang en --lang es --out brief/`
    """
    from borderflow.report.brief import build_brief
    from borderflow.report.registry import all_sections

    outputs = []
    path = resolve_db_path(db)
    for language in lang or ["en"]:
        with _progress(len(all_sections()), f"Brief ({language})") as advance:
            outputs.append(build_brief(path, lang=language, out_dir=out_dir, article=article,
                                       pdf=not no_pdf, on_section=advance))  # fmt: skip
    if as_json:
        print_json([o.to_dict() for o in outputs])
        return
    for o in outputs:  # each line in the language of its brief
        c = messages(o.lang)
        files = c.t("cli.brief_files", html=o.html, pdf=o.pdf) if o.pdf else str(o.html)
        line = c.t(
            "cli.brief_written",
            lang=o.lang,
            files=files,
            sections=len(o.sections),
            charts=o.charts,
            releases=o.releases,
            seconds=c.number(o.seconds, 1),
        )
        out.print(line, highlight=False, markup=False, soft_wrap=True)


@app.command("serve")
@friendly_errors
def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    get: Annotated[
        str | None,
        typer.Option("--get", help="Print the response to this path and exit (no server)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Serve the dashboard and the JSON API over the warehouse (read-only).

    Pages: /, /seizures, /deaths, /crossings, /homicides, /trade, /releases (each also as
    .json); API under /api; OpenAPI schema at /openapi.json. With `--get` the response to one
    path is printed without starting a server; the exit code is 1 if its status is 400 or more.

    Example: `borderflow serve --get "/seizures.json?drug=Fentanyl"`
    """
    from borderflow.web.app import create_app, request

    application = create_app(resolve_db_path(db))
    if get is not None:
        try:
            response = request(application, "GET", get)
        finally:  # the warehouse is free for a writer as soon as the page is printed
            application.state.bf.close()
        sys.stdout.write(response.text + ("" if response.text.endswith("\n") else "\n"))
        if response.status_code >= 400:
            raise typer.Exit(1)
        return
    import uvicorn

    err.print(f"borderflow: serving http://{host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(application, host=host, port=port, log_level="warning")
