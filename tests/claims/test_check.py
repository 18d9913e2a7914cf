"""The claim checker on real articles and real data, and on hostile input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from borderflow.claims import DocumentError, check_document, check_text, parse_document
from borderflow.claims.html import render_html
from borderflow.cli import app
from borderflow.metrics import Engine
from borderflow.warehouse.ingest import IngestReport
from conftest import REPO
from reference import newest_cbp_file

ARTICLE = REPO.parent / "shared" / "articles" / "borderline-crisis-2026-01-16.txt"
runner = CliRunner()


@pytest.fixture(scope="module")
def article(engine: Engine) -> dict[str, dict]:
    doc = parse_document(ARTICLE.read_bytes(), ARTICLE.name)
    report = check_document(doc, engine)
    assert report.published == date(2026, 1, 16)  # stated at the top of the article
    return {c.text: c.to_dict() for c in report.claims}


def test_140000_fentanyl_deaths_in_2022_is_contradicted_by_nchs_final_counts(article) -> None:
    claim = article["over 140,000"]
    assert claim["verdict"] == "contradicted"
    assert claim["official"] == 73_838  # NCHS final 2022, synthetic opioids (T40.4)
    shown = {r["label"].split(";")[0]: r["official"] for r in claim["readings"]}
    assert shown["final count (NCHS), all drug overdoses"] == 107_941
    assert claim["release"]["file_name"] == "nchs_final_overdose_deaths.csv"


def test_78_percent_rise_is_checked_against_october_december_fiscal_year_to_date(article) -> None:
    claim = article["78%"]
    assert claim["verdict"] == "contradicted"
    assert claim["query_json"]["period"] == "2023-10..2023-12"
    assert claim["query_json"]["compare"] == "year_ago"
    assert claim["query_json"]["where"] == {"drug": ["Fentanyl"]}
    # 5,323.32 lb in Oct–Dec 2023 against 7,304.94 lb a year earlier (CBP nationwide file)
    assert claim["official"] == pytest.approx(-27.127, abs=0.001)
    assert claim["release"]["file_name"] == newest_cbp_file().name  # the newest window covering it


def test_cartridges_and_firearms_are_unverifiable_with_the_reason(article) -> None:
    assert article["exceeding 13 million"]["verdict"] == "unverifiable"
    assert "not counts of pills" in article["exceeding 13 million"]["reason"]
    assert article["65%"]["verdict"] == "unverifiable"
    assert "firearms" in article["65%"]["reason"]


def test_spanish_claims_resolve_like_english_ones(engine: Engine) -> None:
    text = (
        "En el año fiscal 2023, la CBP decomisó 27 mil 23 libras de fentanilo. "
        "En 2022 murieron 73 mil 838 personas por sobredosis de opioides sintéticos. "
        "En la frontera suroeste se aseguraron 21,148 libras de fentanilo en el año fiscal 2024."
    )
    report = check_text(text, engine, published=date(2025, 3, 1))
    assert report.lang == "es"
    verdicts = [(c.text, c.verdict, c.official) for c in report.claims]
    assert verdicts[0][1] == "supported" and verdicts[0][2] == pytest.approx(27022.85, abs=0.01)
    assert verdicts[1][1] == "supported" and verdicts[1][2] == 73_838
    assert verdicts[2][1] == "supported"
    assert report.claims[2].query_json["where"]["region"] == ["Southwest Border"]


def test_subject_of_a_previous_sentence_carries_over(engine: Engine) -> None:
    text = "CBP seized fentanyl at record levels in FY2023. It rose 84% from the year before."
    (claim,) = check_text(text, engine, published=date(2024, 1, 10)).claims
    assert claim.verdict == "supported"  # FY2023 27,022.85 lb vs FY2022 14,699.88 lb: +83.8%
    assert claim.query_json["period"] == "FY2023"


def test_kilograms_and_tons_are_converted_before_comparing(engine: Engine) -> None:
    text = "CBP seized 12,257 kilograms of fentanyl in fiscal year 2023."
    (claim,) = check_text(text, engine, published=date(2024, 1, 10)).claims
    assert claim.verdict == "supported"  # 27,022.85 lb = 12,257.3 kg
    assert claim.official == pytest.approx(27022.85 * 0.45359237, abs=0.01)


def test_html_report_quotes_each_claim(article, engine: Engine) -> None:
    report = check_document(parse_document(ARTICLE.read_bytes(), ARTICLE.name), engine)
    page = render_html(report)
    assert page.count('class="claim ') == len(report.claims)
    assert "<mark>over 140,000</mark>" in page and "<script" not in page


def test_cli_json_and_exit_code(loaded: tuple[Path, IngestReport]) -> None:
    result = runner.invoke(app, ["check", str(ARTICLE), "--json", "--db", str(loaded[0])])
    assert result.exit_code == 0
    claims = json.loads(result.stdout)["claims"]
    for claim in claims:
        assert {
            "text",
            "verdict",
            "claimed",
            "official",
            "unit",
            "query",
            "release",
            "reason",
        } <= set(claim)


# -- hostile input --------------------------------------------------------------------------------


def test_oversized_file_is_refused_with_a_clear_message(tmp_path: Path, loaded) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"CBP seized 100 pounds of fentanyl in FY2023. " * 450_000)  # ~20 MB
    result = runner.invoke(app, ["check", str(big), "--db", str(loaded[0])])
    assert result.exit_code == 2
    assert "big.txt: 20.2 MB is larger than the 5 MB the checker reads" in result.stderr


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "has no text to check"),
        (b"   \n\n  ", "has no text to check"),
        (bytes(range(256)) * 100, "binary data"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08" * 500, "control characters"),
    ],
)
def test_empty_and_binary_input_is_refused(raw: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        parse_document(raw, "junk.bin")


def test_html_scripts_and_styles_are_not_read(engine: Engine) -> None:
    page = (
        "<!doctype html><html><head><title>x</title><style>p{}</style>"
        "<script>var t='CBP seized 99,999 pounds of fentanyl in FY2023';</script></head>"
        "<body><script>alert(1)</script><p>CBP seized 27,023 pounds of fentanyl in FY2023.</p>"
        + "<script>"
        + "x" * 100_000
        + "</script></body></html>"
    ).encode()
    doc = parse_document(page, "page.html")
    assert "99,999" not in doc.text and "alert" not in doc.text
    (claim,) = check_document(doc, engine, published=date(2024, 1, 1)).claims
    assert claim.verdict == "supported"


def test_wrong_encoding_is_read_not_crashed(engine: Engine) -> None:
    doc = parse_document(
        "Se decomisaron 27 mil 23 libras de fentanilo en el año fiscal 2023.".encode("cp1252")
    )
    assert "año" in doc.text


def test_rankings_are_checked_against_the_ranked_breakdown(engine: Engine) -> None:
    text = (
        "Guanajuato ocupó el primer lugar nacional en víctimas de homicidio doloso en 2023. "
        "Baja California ranked second in homicides in 2023."
    )
    first, second = check_text(text, engine, published=date(2024, 2, 1)).claims
    # SESNSP victims 2023: Guanajuato (11) 3,104, Estado de México (15) 2,597, Baja California 2,417
    assert (first.verdict, first.official) == ("supported", 1)
    assert (second.verdict, second.official) == ("contradicted", 3)
    assert second.query_json["by"] == ["mx_state"] and second.query_json["rank"]


def test_stdin_and_a_missing_file(loaded: tuple[Path, IngestReport]) -> None:
    text = "Published March 1, 2024. CBP seized 27,023 pounds of fentanyl in FY2023."
    result = runner.invoke(app, ["check", "-", "--json", "--db", str(loaded[0])], input=text)
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["published"] == "2024-03-01"
    assert [c["verdict"] for c in report["claims"]] == ["supported"]
    missing = runner.invoke(app, ["check", "no-such-article.txt", "--db", str(loaded[0])])
    assert missing.exit_code == 2
    assert "no-such-article.txt: no such file" in missing.stderr
