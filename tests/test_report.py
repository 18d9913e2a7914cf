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
from reference import (
    cbp_current_rows,
    cbp_fentanyl_by_fy,
    cbp_last_month,
    cbp_month_start,
    vsrr_api_file,
    vsrr_value,
)

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


#: Brief sections whose text quotes published material in its own language (headlines of the
#: events registry), left out of the search for untranslated catalog text.
QUOTING_SECTIONS = ("what_happened",)


def reader_text(html: str) -> str:
    """The words a reader sees in a page or brief: no styles or scripts, no sources table (file
    names such as ``nationwide-drugs-fy19-fy22.csv`` are names, not messages), no sections that
    quote published material."""
    html = re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S)
    html = re.sub(r'<section id="sources".*?</section>', "", html, flags=re.S)
    html = re.sub(r'<table id="releases".*?</table>', "", html, flags=re.S)
    for key in QUOTING_SECTIONS:
        html = re.sub(rf'<section id="{key}".*?</section>', "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def english_leaks(text: str) -> list[str]:
    """The English catalog fragments found in ``text`` (commands quoted in backticks, such as
    `borderflow releases`, are names, not messages)."""
    text = re.sub(r"`[^`\n]*`", " ", text)
    return [f for f in english_fragments() if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text)]


def empty_evidence_cells(html: str) -> list[str]:
    """Table rows of numbers with an empty cell (a figure or its evidence left blank)."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S)
    return [row for row in rows if "<td" in row and re.search(r"<td[^>]*>\s*</td>", row)]


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
    assert len(english_fragments()) > 90  # the check has teeth: most of the catalog is tested
    # every text node: chart titles, legends and the labels screen readers hear included
    assert english_leaks(reader_text(html)) == []
    assert empty_evidence_cells(html) == []
    assert "Elaborado el 15 de junio de 2026" in html
    assert "Prepared on June 15, 2026" in briefs["en"].html.read_text("utf-8")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_brief_writes_html_with_charts_and_a_pdf_in_under_a_minute(
    briefs: dict[str, BriefOutput], lang: str
) -> None:
    out = briefs[lang]
    html = out.html.read_text("utf-8")
    assert out.seconds < 60
    assert out.sections[:8] == [
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
    from borderflow.report.registry import all_sections

    db, _ = loaded
    started = time.perf_counter()
    result = CliRunner().invoke(
        app, ["brief", "--lang", "es", "--no-pdf", "--out", str(tmp_path), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    sections = sum(spec.in_brief for spec in all_sections().values())
    assert f"informe (es): {tmp_path / 'brief-es.html'} — {sections} secciones" in result.output
    assert english_leaks(result.output) == []
    assert not (tmp_path / "brief-es.pdf").exists()
    assert time.perf_counter() - started < 60


def test_spanish_typography_is_one_style() -> None:
    """es_MX groups thousands with commas and writes percent without a space, everywhere: in
    the catalog's own text as in the numbers the code formats."""
    es = load_catalog("es")
    assert (es.number(100_000), es.number(3398), es.percent(80, signed=False)) == (
        "100,000",
        "3,398",
        "80.0%",
    )
    for key, text in catalog_file("es").items():
        assert not re.search(r"\d[  ]\d{3}\b", text), (key, text)  # no "100 000"
        assert not re.search(r"\d[  ]%", text), (key, text)  # no "80 %"


def test_partial_periods_say_how_many_months_of_how_many() -> None:
    en, es = load_catalog("en"), load_catalog("es")
    assert en.t("period.partial", months=3, expected=12) == "(3 of 12 months)"
    assert es.t("period.partial", months=3, expected=12) == "(3 de 12 meses)"


def fill_of(html: str, label: str) -> set[str]:
    """The fill colours of the chart marks whose accessible label contains ``label``."""
    marks = re.findall(r'<path[^>]*aria-label="([^"]*)"[^>]*fill="([^"]+)"', html)
    return {fill for text, fill in marks if label in text}


def test_a_drug_has_one_colour_in_every_language(briefs: dict[str, BriefOutput]) -> None:
    en = fill_of(briefs["en"].html.read_text("utf-8"), "Drug: Fentanyl")
    es = fill_of(briefs["es"].html.read_text("utf-8"), "Droga: Fentanilo")
    assert en == es == {"#c0392b"}
    meth_en = fill_of(briefs["en"].html.read_text("utf-8"), "Drug: Methamphetamine")
    meth_es = fill_of(briefs["es"].html.read_text("utf-8"), "Droga: Metanfetamina")
    assert meth_en == meth_es and meth_en != en


def test_the_seizure_charts_lead_with_fentanyl(briefs: dict[str, BriefOutput]) -> None:
    html = briefs["en"].html.read_text("utf-8")
    section = html.split('<section id="seizures"', 1)[1].split("</section>", 1)[0]
    first = section.split("<figure", 2)[1]
    assert "Fentanyl seized by region and fiscal year" in first
    labels = re.findall(r'aria-label="Fiscal year: [^"]*"', first)
    assert labels and all("pounds" in a for a in labels)
    # FY2024, Southwest Border: the CSV's fentanyl pounds, drawn in the lead chart
    southwest = cbp_fentanyl_by_fy(Region="Southwest Border")[2024]
    assert f"Fiscal year: FY2024; pounds: {southwest:,.0f}; Region: Southwest Border" in first
    by_drug = section.split('id="fig-seizures_by_drug"', 1)[1].split("</figure>", 1)[0]
    legend = re.findall(r">(Fentanyl|Methamphetamine|Marijuana|Cocaine)</text>", by_drug)
    assert legend[0] == "Fentanyl"  # stacked first, on the axis, and first in the legend


def test_latest_overdose_count_shows_the_predicted_value_beside_it(
    briefs: dict[str, BriefOutput],
) -> None:
    path = vsrr_api_file()
    reported = vsrr_value(path, "US", "Synthetic", 2026, "January", "data_value")
    predicted = vsrr_value(path, "US", "Synthetic", 2026, "January", "predicted_value")
    assert predicted != reported
    en = briefs["en"].html.read_text("utf-8")
    assert f"{reported:,.0f}" in en
    assert (
        f"flagged by CDC as underreported (deaths pending investigation); predicted count: "
        f"{predicted:,.0f}" in en
    )
    es = briefs["es"].html.read_text("utf-8")
    assert f"cifra predicha: {predicted:,.0f}" in es


def test_state_rankings_name_the_states_they_leave_out(briefs: dict[str, BriefOutput]) -> None:
    path = vsrr_api_file()
    withheld = [
        name
        for code, name in (("FL", "Florida"), ("NC", "North Carolina"), ("NV", "Nevada"))
        if _blank(path, code)
    ]
    html = briefs["en"].html.read_text("utf-8")
    note = re.search(r"Not ranked: ([^<]*)\.", html)
    assert note, "the ranking says which states it leaves out"
    for name in withheld:
        assert f"{name} (count withheld by CDC)" in note.group(1)
    assert "New York (no matching population)" in note.group(1)


def _blank(path: Path, state: str) -> bool:
    try:
        vsrr_value(path, state, "Synthetic", 2026, "January", "data_value")
    except ValueError:
        return True
    return False


def test_trade_is_labelled_as_the_fentanyl_group_lines(briefs: dict[str, BriefOutput]) -> None:
    html = briefs["en"].html.read_text("utf-8")
    assert "Exports by Switzerland on the fentanyl-group sub-lines of HS 2933" in html
    assert "Exports of HS 2933 by" not in html


def test_interdiction_cards_state_the_scenario(briefs: dict[str, BriefOutput]) -> None:
    html = briefs["en"].html.read_text("utf-8")
    section = html.split('<section id="interdiction"', 1)[1].split("</section>", 1)[0]
    cards = re.findall(r'<div class="scope">([^<]*)</div>', section)
    assert len(cards) == 3
    assert all(re.fullmatch(r"scenario \S+: [\d,]+ units shipped, budget [\d,]+", c) for c in cards)
