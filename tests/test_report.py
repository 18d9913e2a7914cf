"""The brief: catalogs complete in both languages, Spanish with no English left, numbers formatted
for the language, real figures checked against the CSVs, HTML with charts and a PDF in < 60 s."""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path

import pytest

from borderflow.errors import BorderflowError
from borderflow.metrics.periods import add_months, parse_period
from borderflow.report.brief import BriefOutput, build_brief
from borderflow.report.i18n import catalog_messages, load_catalog
from reference import cbp_current_rows, cbp_last_month, cbp_month_start

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def catalog_file(lang: str) -> dict[str, str]:
    return catalog_messages(lang)


def test_every_key_exists_in_both_languages_with_the_same_placeholders() -> None:
    en, es = catalog_file("en"), catalog_file("es")
    assert sorted(en) == sorted(es)
    for key in en:
        assert sorted(PLACEHOLDER.findall(en[key])) == sorted(PLACEHOLDER.findall(es[key])), key


def english_fragments() -> list[str]:
    """Literal pieces of English messages that differ from Spanish, long enough to be telling."""
    en, es = catalog_file("en"), catalog_file("es")
    pieces = set()
    for key, text in en.items():
        if text == es[key]:
            continue
        for piece in PLACEHOLDER.split(text):
            piece = piece.strip(" .,:;()–-")
            if len(piece) >= 6 and piece not in es[key]:
                pieces.add(piece)
    return sorted(pieces)


@pytest.fixture(scope="module")
def briefs(loaded, tmp_path_factory) -> dict[str, BriefOutput]:
    db, _ = loaded
    out = tmp_path_factory.mktemp("brief")
    return {
        lang: build_brief(db, lang=lang, out_dir=out, today=date(2026, 6, 15))
        for lang in ("en", "es")
    }


def test_spanish_brief_has_no_english_catalog_string(briefs: dict[str, BriefOutput]) -> None:
    html = briefs["es"].html.read_text("utf-8")
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "", html, flags=re.S))
    visible = re.sub(r"\s+", " ", text)  # every text node, chart titles and legends included
    fragments = english_fragments()
    assert len(fragments) > 90  # the check has teeth: most of the catalog is tested
    leaked = [f for f in fragments if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", visible)]
    assert leaked == []
    assert "Elaborado el 15 de junio de 2026" in html
    assert "Prepared on June 15, 2026" in briefs["en"].html.read_text("utf-8")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_brief_writes_html_with_charts_and_a_pdf_in_under_a_minute(
    briefs: dict[str, BriefOutput], lang: str
) -> None:
    out = briefs[lang]
    html = out.html.read_text("utf-8")
    assert out.seconds < 60
    assert out.sections == [
        "headline",
        "seizures",
        "deaths",
        "crossings",
        "homicides",
        "trade",
        "outlook",
        "interdiction",
    ]
    assert html.count("<svg") == out.charts >= 12
    assert "<script" not in html and "http://" not in html.split("<body>")[0]  # self-contained
    pdf = out.pdf.read_bytes() if out.pdf else b""
    assert pdf.startswith(b"%PDF") and len(pdf) > 50_000
    assert f'lang="{lang}"' in html


def fentanyl_csv(first: date, last: date) -> float:
    """Pounds of fentanyl seized (OFO + USBP) in a month range, summed from the CBP CSVs (each
    month from the newest window covering it)."""
    return sum(
        float(row["Sum Qty (lbs)"])
        for row in cbp_current_rows()
        if row["Drug Type"] == "Fentanyl" and first <= cbp_month_start(row) <= last
    )


def test_headline_fentanyl_number_is_the_csv_sum_in_both_languages(
    briefs: dict[str, BriefOutput],
) -> None:
    last = cbp_last_month()  # FY2026 to date: 3,398 lb through December, -24.7% on FY2025
    ytd = fentanyl_csv(date(2025, 10, 1), last)
    year_ago = fentanyl_csv(date(2024, 10, 1), add_months(last, -12))
    change = f"{(ytd / year_ago - 1) * 100:.1f}%"
    for lang, words in (("en", "compared with FY2025 to date"), ("es", "respecto de AF2025")):
        html = briefs[lang].html.read_text("utf-8")
        assert f"{ytd:,.0f}" in html
        assert f"{change} {words}" in html


def test_every_cited_release_is_listed_with_its_checksum(briefs: dict[str, BriefOutput]) -> None:
    html = briefs["es"].html.read_text("utf-8")
    cited = set(re.findall(r'href="#release-(\d+)"', html))
    listed = set(re.findall(r'id="release-(\d+)"', html))
    assert cited and cited <= listed
    assert len(re.findall(r"<td>[0-9a-f]{64}</td>", html)) == len(listed) == briefs["es"].releases


def test_numbers_and_dates_follow_the_language() -> None:
    en, es = load_catalog("en"), load_catalog("es")
    assert en.day(date(2026, 6, 15)) == "June 15, 2026"
    assert es.day(date(2026, 6, 15)) == "15 de junio de 2026"
    assert (en.number(1234567.8), es.number(1234567.8, 1)) == ("1,234,568", "1,234,567.8")
    assert (en.percent(-24.66), es.percent(2.7)) == ("-24.7%", "+2.7%")
    assert en.period(parse_period("FY2024")) == "FY2024"
    assert es.period(parse_period("FY2024")) == "AF2024"
    assert es.period(parse_period("12ME 2025-12")) == "12 meses que terminan en dic 2025"
    assert es.period(parse_period("2024-02..2025-01")) == "feb 2024 – ene 2025"
    assert (en.member("drug", "Fentanyl"), es.member("drug", "Fentanyl")) == (
        "Fentanyl",
        "Fentanilo",
    )
    assert es.member("mx_state", "26") == "Sonora"


def test_unknown_language_and_unreadable_article_are_clear_errors(loaded, tmp_path: Path) -> None:
    db, _ = loaded
    with pytest.raises(BorderflowError, match="no catalog for language 'fr'"):
        build_brief(db, lang="fr", out_dir=tmp_path)
    with pytest.raises(BorderflowError, match="cannot read the article"):
        build_brief(db, lang="en", out_dir=tmp_path, article=tmp_path / "missing.txt")


def test_brief_command_prints_where_the_files_are(loaded, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from borderflow.cli import app

    db, _ = loaded
    started = time.perf_counter()
    result = CliRunner().invoke(
        app, ["brief", "--lang", "es", "--no-pdf", "--out", str(tmp_path), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert f"brief (es): {tmp_path / 'brief-es.html'} — 8 sections" in result.output
    assert not (tmp_path / "brief-es.pdf").exists()
    assert time.perf_counter() - started < 60
