"""Spanish everywhere in the command line (issue 16): with ``BORDERFLOW_LANG=es`` the tables,
the question above them, notes, sources and the claim report are in Spanish — no English catalog
string, no empty evidence cell — and the numbers are the mirror's. The checker's findings on
dates, agreements and chemicals are message keys rendered in the reader's language, in the
terminal, the HTML report and the dashboard's check page alike."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from borderflow.cli import app
from borderflow.warehouse.ingest import IngestReport
from conftest import REPO
from reference import cbp_fentanyl_by_fy, newest_cbp_file
from test_report import english_fragments, english_leaks, reader_text

runner = CliRunner()
SPANISH = {"BORDERFLOW_LANG": "es"}
ARTICLE = REPO.parent / "shared" / "articles" / "borderline-crisis-2026-01-16.txt"
#: The article's claims on dates and chemicals (1-based, in the order the checker reports).
FACT_CLAIMS = {2: "Merida Initiative", 5: "acetylmorphine and pseudoephedrine",
               7: "Security Implementation Group"}  # fmt: skip


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal wide enough that no address or file name is cut across lines."""
    from borderflow.cli import common

    monkeypatch.setattr(common.out, "width", 400)


def ours(text: str) -> str:
    """The text less what is quoted as published: addresses and file names are names."""
    text = re.sub(r"https?://\S+", " ", text)
    return re.sub(r"\S+\.(?:csv|xlsx|json|txt|zip|parquet)\b", " ", text)


def spanish(*args: str) -> str:
    result = runner.invoke(app, list(args), env=SPANISH)
    assert result.exit_code == 0, result.output
    return result.stdout


def table_rows(text: str) -> list[list[str]]:
    """The body rows of a Rich table, as cells (a row's wrapped lines joined)."""
    rows: list[list[str]] = []
    inside = False
    for line in text.splitlines():
        if line.startswith("┡"):
            inside = True
            continue
        if line.startswith(("└", "├")):
            inside = line.startswith("├")
            continue
        if inside and line.startswith("│"):
            cells = [c.strip() for c in line.strip("│").split("│")]
            if cells[0] or not rows:  # a new row (its first cell is never wrapped)
                rows.append(cells)
            else:
                rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells, strict=True)]
    return rows


def test_query_answers_in_spanish_with_the_mirror_number(loaded: tuple[Path, IngestReport]) -> None:
    db, _ = loaded
    out = spanish("query", "seized_lb", "-p", "FY2024", "-w", "drug=Fentanyl",
                  "--compare", "year_ago", "--db", str(db))  # fmt: skip
    fy = cbp_fentanyl_by_fy()  # nationwide fentanyl pounds, OFO + USBP, from the CSVs
    lines = out.splitlines()
    assert lines[0] == (
        "decomisos de drogas de la CBP (peso), Droga: Fentanilo, AF2024, comparado con el mismo "
        "periodo un año antes"
    )
    ((period, value, previous, change, pct),) = table_rows(out)
    assert period == "AF2024"
    assert value == f"{fy[2024]:,.2f}" and previous == f"{fy[2023]:,.2f}"
    assert change == f"{fy[2024] - fy[2023]:,.2f}"
    assert pct == f"{100 * (fy[2024] / fy[2023] - 1):+.1f}%"
    header = next(line for line in lines if line.startswith("┃"))
    assert [h.strip() for h in header.strip("┃").split("┃")] == [
        "periodo", "valor", "anterior", "cambio", "cambio %",
    ]  # fmt: skip
    assert "unidad: libras" in lines
    assert (
        "nota: El total decomisado mide la actividad de las autoridades, no el volumen de droga "
        "que circula." in lines
    )
    assert any(
        line.startswith(f"fuente: {newest_cbp_file().name} (publicado el ") for line in lines
    )
    assert english_leaks(ours(out)) == []
    assert "note:" not in out and "source:" not in out and "unit:" not in out


def test_every_measure_note_has_a_spanish_twin() -> None:
    """The metrics layer writes its notes in English; each has its words in es.cli.toml, so a
    new note without a translation fails here rather than reaching a reader in English."""
    from borderflow.cli.wording import metric_note
    from borderflow.metrics import Query, all_measures
    from borderflow.metrics.notes import note as forecast_note
    from borderflow.metrics.plan import plan_query
    from borderflow.report.i18n import load_catalog

    es = load_catalog("es")
    notes = {n for m in all_measures() for n in m.notes} | {forecast_note("forecast")}
    untranslated = sorted(n for n in notes if metric_note(es, n) == n)
    assert untranslated == []
    # a note with parts that vary, as the metrics layer writes it: the period in Spanish too
    query = Query("overdose_deaths_12m", "FY2024")
    (note,) = plan_query(query, query.parsed_period(), lambda *_: ()).notes
    assert note == "FY2024 is read as the 12 months ending Sep 2024 (a 12-month-ending value)."
    assert metric_note(es, note) == (
        "AF2024 se lee como 12 meses que terminan en sep 2024 (un valor de 12 meses)."
    )


def test_check_report_is_in_the_language_of_borderflow_lang(
    loaded: tuple[Path, IngestReport],
) -> None:
    db, _ = loaded
    out = spanish("check", str(ARTICLE), "--db", str(db))
    assert out.lstrip().startswith("Afirmaciones en ")
    assert "(publicado el 16 de enero de 2026)" in out
    rows = table_rows(out)
    answer = json.loads(spanish("check", str(ARTICLE), "--json", "--db", str(db)))
    assert answer["report_lang"] == "es" and len(rows) == len(answer["claims"]) >= 8

    def bare(text: str) -> str:  # a wrapped cell joined back may gain or lose a space
        return text.replace(" ", "")

    for i, (row, claim) in enumerate(zip(rows, answer["claims"], strict=True), start=1):
        number, verdict, _quoted, claimed, official, why = row
        assert all(row), row  # no empty evidence cell: a dash where the record has no figure
        assert number == str(i)
        assert bare(claim["claimed_text"]) in bare(claimed)
        assert bare(claim["official_text"] or "–") in bare(official)
        assert verdict == claim["verdict_text"] == {
            "supported": "Respaldada", "contradicted": "Contradicha",
            "unverifiable": "No verificable",
        }[claim["verdict"]]  # fmt: skip
        assert bare(why) == bare(claim["why_text"])
        assert why != claim["reason"]  # never the checker's English reason
    # what the text of the claims quotes is the article's English, not ours: leave it out
    quoted = {c["text"] for c in answer["claims"]}
    words = "\n".join(" ".join(cell for cell in r if cell not in quoted) for r in rows)
    assert english_leaks(ours(words)) == []
    assert re.search(r"\d+ afirmaciones: respaldada: \d+, contradicha: \d+", out)
    # the JSON keeps its keys: the English text stays where scripts read it
    merida = answer["claims"][1]
    assert merida["official"].startswith("conceived 2007-03-13; announced 2007-10-22")
    assert merida["official_text"].startswith("concebida 13 de marzo de 2007; anunciada 22 de")


def test_a_spanish_article_gets_a_spanish_report_unless_told_otherwise(
    loaded: tuple[Path, IngestReport], tmp_path: Path
) -> None:
    db, _ = loaded
    article = tmp_path / "nota.txt"
    article.write_text(
        "Ciudad de México, 16 de enero de 2026. La Iniciativa Mérida, anunciada en 2007, fue "
        "sustituida por el Entendimiento Bicentenario. Según la CBP, en el año fiscal 2024 se "
        "decomisaron 21,889 libras de fentanilo.",
        encoding="utf-8",
    )
    auto = runner.invoke(app, ["check", str(article), "--json", "--db", str(db)], env={})
    assert json.loads(auto.stdout)["report_lang"] == "es"
    table = runner.invoke(app, ["check", str(article), "--db", str(db)], env={})
    assert table.stdout.lstrip().startswith("Afirmaciones en ")
    english = runner.invoke(
        app, ["check", str(article), "--db", str(db)], env={"BORDERFLOW_LANG": "en"}
    )
    assert english.stdout.lstrip().startswith("Claims in ")


def test_date_and_chemistry_findings_render_in_spanish_in_the_html_report(
    loaded: tuple[Path, IngestReport], tmp_path: Path
) -> None:
    db, _ = loaded
    page = tmp_path / "informe.html"
    spanish("check", str(ARTICLE), "--html", str(page), "--db", str(db))
    html = page.read_text("utf-8")
    assert html.startswith('<!doctype html><html lang="es">')
    sections = dict(
        re.findall(r'<section class="claim \w+" id="claim-(\d+)">(.*?)</section>', html)
    )
    found = {int(k): v for k, v in sections.items()}
    for number, text in FACT_CLAIMS.items():
        assert f"<mark>{text}</mark>" in found[number]
    assert "concebida 13 de marzo de 2007; anunciada 22 de octubre de 2007" in found[2]
    assert "(registro de acuerdos y eventos)" in found[2]
    assert "No son precursores de fentanilo: pseudoephedrine, 6-monoacetylmorphine" in found[5]
    assert "metabolito de heroína" in found[5] and "(registro de sustancias" in found[5]
    assert "es posterior a la fecha del texto (16 de enero de 2026)" in found[7]
    assert "tercera reunión 23 de enero de 2026" in found[7]
    # every label and explanation ours is Spanish: the article's own sentences and the cited
    # sources' titles are quoted as published, so they are left out of the search
    quoted_out = re.sub(r"<(blockquote|a)\b.*?</\1>", " ", html, flags=re.S)
    assert english_leaks(ours(reader_text(quoted_out))) == []
    for dd in re.findall(r"<dd>(.*?)</dd>", html, flags=re.S):
        assert dd.strip(), "an empty evidence cell"


def test_the_check_page_explains_facts_in_spanish(web) -> None:
    from borderflow.web.app import request

    html = request(web, "POST", "/check?lang=es", data={"text": ARTICLE.read_text("utf-8")}).text
    rows = re.findall(r'<tr class="claim">(.*?)</tr>', html, flags=re.S)
    merida = next(r for r in rows if "<td>Merida Initiative<br>" in r)
    assert "concebida 13 de marzo de 2007" in merida
    assert "Iniciativa Mérida — concebida 13 de marzo de 2007" in merida  # the "por qué"
    chemistry = next(r for r in rows if "<td>acetylmorphine and pseudoephedrine<br>" in r)
    assert "No son precursores de fentanilo" in chemistry and "registry of" not in chemistry


def test_sources_and_releases_in_spanish(loaded: tuple[Path, IngestReport], wide: None) -> None:
    db, _ = loaded
    sources = spanish("sources", "--db", str(db))
    assert sources.lstrip().startswith("Fuentes")
    header = next(line for line in sources.splitlines() if line.startswith("┃"))
    assert [h.strip() for h in header.strip("┃").split("┃")] == [
        "fuente", "publicaciones", "último archivo", "publicado", "cobertura", "valores",
    ]  # fmt: skip
    for out in (sources, spanish("releases", "--db", str(db))):
        assert english_leaks(ours(out)) == [], out
        assert all(all(cell for cell in row[:2]) for row in table_rows(out))
    releases = spanish("releases", "--db", str(db))
    assert "cargada" in releases and " loaded " not in releases


def test_timeline_in_spanish_with_lang(loaded: tuple[Path, IngestReport], wide: None) -> None:
    db, _ = loaded
    out = spanish("timeline", "--actor", "merida_initiative", "--lang", "es", "--db", str(db))
    assert "Iniciativa Mérida" in out.splitlines()[0]
    assert english_leaks(ours(out)) == []


def test_timeline_follows_borderflow_lang(loaded: tuple[Path, IngestReport], wide: None) -> None:
    db, _ = loaded
    out = spanish("timeline", "--actor", "merida_initiative", "--db", str(db))
    assert "Iniciativa Mérida" in out.splitlines()[0]
    assert english_leaks(ours(out)) == []


def test_the_leak_check_has_teeth() -> None:
    """The CLI's own words are in the list the leak check looks for."""
    fragments = set(english_fragments())
    assert {"not loaded", "compared with the same period a year earlier"} <= fragments
    assert "A seizure total measures enforcement activity, not the volume of drugs flowing" in (
        fragments
    )


def test_data_issues_are_told_in_spanish(loaded: tuple[Path, IngestReport], wide: None) -> None:
    db, report = loaded
    nchs = next(o for o in report.outcomes if o.source == "nchs_final")
    (bad,) = [i for i in nchs.issues if i.severity == "error"]  # the file's row 9 (a bound)
    out = spanish("issues", str(nchs.release_id), "--db", str(db))
    row = next(r for r in table_rows(out) if r[2] == str(bad.row))
    assert row[3] == bad.column
    assert row[4] == f"un valor que debe ser un número no lo es: '{bad.value}'"
    assert english_leaks(ours(out)) == [] and bad.message not in out


def test_interdiction_is_told_in_spanish(loaded: tuple[Path, IngestReport], wide: None) -> None:
    db, _ = loaded
    args = ("interdict", "default", "--no-store", "--db", str(db))
    data = json.loads(spanish(*args, "--json"))
    out = spanish(*args)
    delivered, shipped = data["objective"]["delivered"], data["objective"]["shipped"]
    assert f"Mejor respuesta del traficante: {delivered:,.1f} de {shipped:,.1f} entregadas" in out
    assert "entre puertos" in out and "Sin recursos adicionales" in out
    assert english_leaks(ours(out)) == []


def test_outlook_is_told_in_spanish(
    loaded: tuple[Path, IngestReport], wide: None, tmp_path: Path
) -> None:
    db = tmp_path / "outlook.duckdb"  # the run is stored: a copy keeps the shared one as loaded
    db.write_bytes(loaded[0].read_bytes())
    args = ("outlook", "-g", "vsrr_us", "--db", str(db))
    out = spanish(*args)
    first = json.loads(spanish(*args, "--json"))["forecasts"][0]
    lines = out.splitlines()
    body = lines[next(i for i, line in enumerate(lines) if line.startswith("┡")) + 1]
    (series, month, point, *_) = [cell.strip() for cell in body.strip("│").split("│")]
    assert out.splitlines()[0].startswith("Corrida de perspectiva")
    assert (
        series == first["series_id"]
        and month == first["period"]
        and point == f"{first['mean']:,.0f}"
    )
    assert english_leaks(ours(out)) == []
    scores = spanish(*args, "--scores")
    assert "frente a ingenuo estacional" in scores and english_leaks(ours(scores)) == []


def test_frequent_errors_are_told_in_spanish(
    loaded: tuple[Path, IngestReport], tmp_path: Path
) -> None:
    db = str(loaded[0])
    cases = {
        ("query", "seized_kg", "-p", "FY2024", "--db", db): "medida desconocida 'seized_kg'. "
        "¿Quiso decir seized_lb",
        ("query", "seized_lb", "-p", "FY2024", "-w", "drug=Fentanol", "--db", db): "'Fentanol' "
        "no está entre los valores de drug de seized_lb. ¿Quiso decir 'Fentanyl'",
        ("query", "seized_lb", "-p", "FY2044", "-w", "drug=Fentanyl", "--db", db): "ningún valor "
        "de seized_lb corresponde a FY2044 con drug=Fentanyl.",
        (
            "ingest",
            "--mirror",
            str(tmp_path / "none"),
            "--db",
            str(tmp_path / "new.duckdb"),
        ): "la carpeta espejo",
        ("check", str(tmp_path), "--db", db): "es una carpeta; indique un archivo",
    }
    for args, said in cases.items():
        result = runner.invoke(app, list(args), env=SPANISH)
        assert result.exit_code == 2, result.output
        text = " ".join(result.stderr.split())
        assert text.startswith("Error: ") and said in text, text
        assert english_leaks(ours(text)) == []
        english = runner.invoke(app, list(args), env={"BORDERFLOW_LANG": "en"})
        assert said not in " ".join(english.stderr.split())  # English keeps the error's own text
