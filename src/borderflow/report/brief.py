"""The brief: one self-contained HTML file and a PDF, in English or Spanish.

``build_brief`` opens the warehouse read-only, builds every registered section
(``report.registry``) in the reader's language, asks the claim checker about the article if one
is given (``report.extras`` presents its report), draws the charts to inline SVG, renders
``templates/brief.html.j2`` and prints it to PDF with WeasyPrint. Nothing here computes a number:
the sections ask the library.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from borderflow.errors import BorderflowError
from borderflow.metrics import Engine
from borderflow.report import charts
from borderflow.report.extras import article_section
from borderflow.report.i18n import Catalog, load_catalog
from borderflow.report.model import Context, Section, Value
from borderflow.report.registry import all_sections, build_section


class BriefError(BorderflowError):
    """The brief cannot be written (output folder, article file)."""


@dataclass
class BriefOutput:
    """What ``build_brief`` wrote.

    Attributes:
        lang: the language of the brief.
        html: the self-contained HTML file.
        pdf: the PDF file (None when not asked for).
        seconds: time taken.
        sections: the sections included, in order.
        charts: number of charts drawn.
        releases: number of releases cited.
    """

    lang: str
    html: Path
    pdf: Path | None
    seconds: float
    sections: list[str] = field(default_factory=list)
    charts: int = 0
    releases: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "html": str(self.html),
            "pdf": str(self.pdf) if self.pdf else None,
            "seconds": round(self.seconds, 2),
            "sections": self.sections,
            "charts": self.charts,
            "releases": self.releases,
        }


def build_brief(
    db_path: Path,
    *,
    lang: str = "en",
    out_dir: Path = Path("brief"),
    article: Path | None = None,
    pdf: bool = True,
    today: date | None = None,
    on_section: Callable[[str], None] | None = None,
) -> BriefOutput:
    """Write ``brief-<lang>.html`` (and ``.pdf``) into ``out_dir``.

    Args:
        db_path: the warehouse file (opened read-only).
        lang: ``en`` or ``es``.
        out_dir: the folder to write into (created if missing).
        article: a text file whose claims are checked and reported in the brief.
        pdf: also write the PDF.
        today: the brief's date (default: today): printed on it, and the end of the twelve
            months its "what happened" section lists.
        on_section: called with each section's name after it is built (progress).
    """
    started = time.perf_counter()
    catalog = load_catalog(lang)
    article_text = _read_article(article) if article else None
    day = today or date.today()
    with Engine.open(db_path) as engine:
        ctx = Context(engine, catalog, today=day)  # sections dated by the brief ("what happened")
        sections = _build_sections(ctx, on_section)
        if article_text is not None:
            sections.append(article_section(ctx, check_article(engine, article_text)))
    html = render_brief(sections, catalog, day)
    out = _prepare(out_dir)
    html_path = out / f"brief-{lang}.html"
    html_path.write_text(html, encoding="utf-8")
    pdf_path = None
    if pdf:
        pdf_path = out / f"brief-{lang}.pdf"
        write_pdf(html, pdf_path)
    releases = {rid for s in sections for rid in s.releases}
    return BriefOutput(
        lang,
        html_path,
        pdf_path,
        time.perf_counter() - started,
        [s.key for s in sections],
        sum(len(s.figures) for s in sections),
        len(releases),
    )


def _build_sections(ctx: Context, on_section: Callable[[str], None] | None) -> list[Section]:
    """Every section of the brief, in registry order; ``on_section`` hears of each one."""
    sections = []
    for name, spec in all_sections().items():
        if spec.in_brief:
            sections.append(build_section(name, ctx))
        if on_section:
            on_section(name)
    return sections


def check_article(engine: Engine, text: str) -> dict[str, Any]:
    """The claim checker's report on an article (JSON form), asked through ``engine``.

    The checker (``borderflow.claims``) is a library of its own build, imported when asked for.
    """
    from borderflow.claims import check_text

    report: dict[str, Any] = check_text(text, engine).to_dict()
    return report


def render_brief(sections: list[Section], catalog: Catalog, today: date) -> str:
    """The brief as one HTML document: charts inline as SVG, styles inline, no external assets."""
    releases: dict[int, dict[str, Any]] = {}
    for s in sections:
        releases.update(s.releases)
    svgs = {
        f.key: Markup(_strip_xml_header(charts.to_svg(f.spec, catalog.lang)))
        for s in sections
        for f in s.figures
    }
    template = _environment().get_template("brief.html.j2")
    return template.render(
        c=catalog,
        sections=sections,
        svgs=svgs,
        releases=[releases[k] for k in sorted(releases)],
        today=catalog.day(today),
        fmt_value=_value_html,
        release_link=lambda rid: Markup(f'<a href="#release-{int(rid)}">{int(rid)}</a>'),
    )


def write_pdf(html: str, path: Path) -> None:
    """Print the HTML brief to PDF with WeasyPrint."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    HTML(string=html).write_pdf(path)


def _value_html(value: Value | str) -> Markup:
    """A table cell: text, or a number linked to its releases in the sources list."""
    if isinstance(value, str):
        return Markup.escape(value)
    links = "".join(f'<a href="#release-{r}">{r}</a>' for r in value.releases)
    return Markup(f'{Markup.escape(value.text)}<sup class="prov">{links}</sup>')


def _strip_xml_header(svg: str) -> str:
    return svg.split("?>", 1)[1] if svg.startswith("<?xml") else svg


def _read_article(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BriefError(f"cannot read the article {path}: {exc}. Pass a UTF-8 text file.") from exc


def _prepare(out_dir: Path) -> Path:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BriefError(f"cannot create the output folder {out_dir}: {exc}.") from exc
    return out_dir


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("borderflow.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
