"""``update``, ``fetch`` and ``accept`` told in Spanish (issue 16), against the real HTTP server of
``test_update.py`` serving the real mirror.

The change line is a message of ``borderflow.update`` rendered with the reader's catalog: under
``BORDERFLOW_LANG=es`` it reads "AF2026 fentanilo hasta abril: 6,725.62 libras; …" with the
figures computed here from the two CBP windows with the csv module (``reference.py``), Spanish
month names written out below rather than taken from Babel, and no English catalog string.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from borderflow.cli import app
from borderflow.metrics.periods import fiscal_year_of
from borderflow.report.i18n import load_catalog
from borderflow.sources import get_sources
from borderflow.update import HEADLINES, english, render
from borderflow.warehouse import Warehouse
from borderflow.warehouse.ingest import ingest
from conftest import MIRROR
from reference import CBP, cbp_files, cbp_pounds_by_month
from test_cli_spanish import ours
from test_report import english_leaks

# The scenario's fixtures (a server over the real mirror; a warehouse lacking the newest CBP
# window, with a stored forecast), registered here under their own names.
from test_update import FOLDER, NEWEST, Local, expected
from test_update import local as local
from test_update import server as server

runner = CliRunner()
SPANISH = {"BORDERFLOW_LANG": "es"}
MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
          "septiembre", "octubre", "noviembre", "diciembre")  # fmt: skip
SHORT = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")
UNREACHABLE = "http://127.0.0.1:9/"


def spanish(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=SPANISH)
    return result.exit_code, result.stdout, result.stderr


def spanish_sentence() -> str:
    """The CBP change line in Spanish, from the two CSVs alone."""
    new = cbp_pounds_by_month(CBP / NEWEST, **{"Drug Type": "Fentanyl"})
    previous_path = [p for p in cbp_files() if p.name != NEWEST][-1]  # the -dec window
    previous = cbp_pounds_by_month(previous_path, **{"Drug Type": "Fentanyl"})
    new_last, previous_last = max(new), max(previous)
    fy = fiscal_year_of(new_last)

    def ytd(months: dict[date, float], last: date) -> float:
        return sum(v for m, v in months.items() if fiscal_year_of(m) == fy and m <= last)

    revised = [m for m in sorted(set(new) & set(previous)) if abs(new[m] - previous[m]) > 1e-6]
    words = [
        f"{SHORT[m.month - 1]} {m.year} ({previous[m]:,.2f} libras → {new[m]:,.2f} libras)"
        for m in revised
    ]
    return (
        f"AF{fy} fentanilo hasta {MONTHS[new_last.month - 1]}: {ytd(new, new_last):,.2f} "
        f"libras; hasta {MONTHS[previous_last.month - 1]} en la publicación anterior: "
        f"{ytd(previous, previous_last):,.2f} libras; meses revisados: "
        f"{', '.join(words) or 'ninguno'}"
    )


def test_update_says_what_changed_in_spanish_then_that_nothing_is_new(
    server: str, local: Local
) -> None:
    args = ("update", "--from", server, "--mirror", str(local.mirror), "--db", str(local.db))
    code, out, err = spanish(*args)
    assert code == 0, out + err
    sentence = spanish_sentence()
    # FY2026 through April 6,725.62 lb; through December 3,398.28 lb (SOURCE.md).
    assert sentence.startswith("AF2026 fentanilo hasta abril: 6,725.62 libras; hasta diciembre ")
    assert "en la publicación anterior: 3,398.28 libras; meses revisados: dic 2025 (" in sentence
    lines = out.splitlines()
    assert f"  cbp_nationwide: {sentence}" in lines
    assert f"Archivos más recientes en {server}{FOLDER}/index.html: {NEWEST} (cbp_nationwide)" in (
        out
    )
    assert "Qué cambió:" in lines
    with Warehouse(local.db, read_only=True) as warehouse:
        release = next(r for r in warehouse.read.releases() if r["file_name"] == NEWEST)
        rerun_id = warehouse.read.forecast_runs()[0]["run_id"]
    assert f"  {NEWEST} (cbp_nationwide, publicación {release['release_id']})" in lines
    assert (
        f"La corrida de pronóstico {local.forecast_run} (seized_lb; drug=Fentanyl; horizonte 3) "
        f"se volvió a correr como corrida {rerun_id}: leía cbp_nationwide." in lines
    )
    assert re.search(r"^Archivos consultados para .+: \d+ \(descargado: \d+", out, re.M)
    assert re.search(r"^Publicaciones nuevas cargadas: \d+ \(archivos sin cambios: \d+\):$", out,
                     re.M)  # fmt: skip
    assert english_leaks(ours(out + err)) == []

    code, again, err = spanish(*args)
    assert code == 0, again + err
    assert re.search(r"^Nada nuevo: los archivos de la copia local \(\d+\) ya están todos cargados; no hay "
                     r"pronósticos que volver a correr\.$", again, re.M), again  # fmt: skip
    assert "Qué cambió" not in again
    assert english_leaks(ours(again + err)) == []


def test_the_change_is_a_message_rendered_for_each_reader(tmp_path: Path, server: str) -> None:
    """--json keeps the English sentence and carries the message beside it; rendered with the
    English catalog file it is the sentence, with the Spanish catalog the Spanish line."""
    mirror, db = tmp_path / "mirror", tmp_path / "borderflow.duckdb"
    (mirror / FOLDER).mkdir(parents=True)
    for path in CBP.glob("nationwide-drugs-*.csv"):
        if path.name != NEWEST:
            os.symlink(path, mirror / FOLDER / path.name)
    with Warehouse(db) as warehouse:
        ingest(warehouse, get_sources(["cbp_nationwide"]), mirror)
    code, out, err = spanish("update", "cbp_nationwide", "--from", server,
                             "--mirror", str(mirror), "--db", str(db), "--json")  # fmt: skip
    assert code == 0, out + err
    (change,) = json.loads(out)["changes"]
    assert change["sentence"] == expected().sentence  # English, whatever the reader's language
    said = change["message"]
    assert said["key"] == "cli.update.compared"
    before = said["values"]["before"]  # a number and a unit key, not text
    assert before == {"amount": change["before"]["rows"][0]["value"], "unit": "lb"}
    assert before["amount"] == pytest.approx(3398.28, abs=0.005)
    assert render(english(), said) == change["sentence"]
    assert render(load_catalog("es"), said) == spanish_sentence()


def test_every_headline_subject_has_its_words_in_both_catalogs() -> None:
    en, es = load_catalog("en"), load_catalog("es")
    for source, headline in HEADLINES.items():
        assert en.t(f"cli.update.subject.{source}") == headline.subject
        assert es.t(f"cli.update.subject.{source}") != headline.subject


def test_fetch_in_spanish(tmp_path: Path, server: str) -> None:
    dest = tmp_path / "mirror"
    code, out, err = spanish("fetch", "cbp_nationwide", "--from", server, "--dest", str(dest))
    assert code == 0, out + err
    known = [k.name for k in get_sources(["cbp_nationwide"])[0].series[0].known]
    present = [n for n in known if (MIRROR / FOLDER / n).is_file()]
    absent = [n for n in known if n not in present]  # the -aug window, not in the mirror yet
    assert present and absent
    rows = {line.split("│")[2].strip(): line.split("│")[3].strip()
            for line in out.splitlines() if line.startswith("│")}  # fmt: skip
    assert rows == {**{n: "descargado" for n in present}, **{n: "no encontrado" for n in absent}}
    for name in present:
        assert (dest / FOLDER / name).read_bytes() == (MIRROR / FOLDER / name).read_bytes()
    homepage = get_sources(["cbp_nationwide"])[0].homepage
    for name in absent:
        assert (
            f"no encontrado: {server}{FOLDER}/{name} respondió 404 (no encontrado); no se "
            f"escribió nada. El archivo pudo haberse movido: búsquelo en {homepage} y colóquelo "
            f"a mano en {dest / FOLDER}." in err.splitlines()
        )
    assert english_leaks(ours(out + err)) == []
    code, again, err = spanish("fetch", "cbp_nationwide", "--from", server, "--dest", str(dest))
    assert code == 0 and again.count("sin cambios") == len(present)


def test_failed_downloads_are_told_in_spanish(tmp_path: Path) -> None:
    dest = tmp_path / "mirror"
    code, out, err = spanish("fetch", "cbp_amo", "--from", UNREACHABLE, "--attempts", "1",
                             "--dest", str(dest))  # fmt: skip
    assert code == 1
    names = [k.name for k in get_sources(["cbp_amo"])[0].series[0].known]
    for name in names:
        assert (
            f"falló: {name}: no se pudo descargar de {UNREACHABLE}{FOLDER}/{name} (intentos: 1). "
            "Revise la red, el servidor o la dirección y vuelva a ejecutar la descarga; los "
            "archivos ya descargados se conservan." in err.splitlines()
        )
    assert english_leaks(ours(out + err)) == []

    code, out, err = spanish("update", "cbp_amo", "--from", UNREACHABLE, "--attempts", "1",
                             "--mirror", str(dest), "--db", str(tmp_path / "w.duckdb"))  # fmt: skip
    assert code == 1
    lines = err.splitlines()
    assert (
        f"falló búsqueda de archivos nuevos: No se pudo leer {UNREACHABLE}{FOLDER}/index.html. "
        "Solo se descargaron los archivos ya conocidos por nombre; los publicados desde entonces "
        "no. Consulte https://www.cbp.gov/document/stats/nationwide-drug-seizures o inténtelo "
        "más tarde." in lines
    )
    assert sum(line.startswith("falló descarga: amo-drug-seizures-") for line in lines) == len(
        names
    )
    assert f"Archivos consultados para {dest}: {len(names)} (falló: {len(names)})." in out
    assert english_leaks(ours(out + err)) == []


def test_accept_in_spanish(tmp_path: Path) -> None:
    """A real AMO window, then the same file cut short (a damaged re-download): held back, then
    accepted."""
    name = "amo-drug-seizures-fy23-fy26-dec.csv"
    mirror, db = tmp_path / "mirror", tmp_path / "w.duckdb"
    (mirror / FOLDER).mkdir(parents=True)
    lines = (CBP / name).read_text("utf-8").splitlines(keepends=True)
    (mirror / FOLDER / name).write_text("".join(lines), "utf-8")
    with Warehouse(db) as warehouse:
        ingest(warehouse, get_sources(["cbp_amo"]), mirror)
    (mirror / FOLDER / name).write_text("".join(lines[: int(len(lines) * 0.6)]), "utf-8")
    with Warehouse(db) as warehouse:
        (held,) = ingest(warehouse, get_sources(["cbp_amo"]), mirror).outcomes
    assert held.status == "quarantined"
    code, out, err = spanish("accept", str(held.release_id), "--db", str(db))
    assert code == 0, out + err
    assert out == f"La publicación {held.release_id} ({name}) ya puede ser la vigente de cbp_amo.\n"
    assert english_leaks(ours(out + err)) == []


def test_every_period_kind_reads_in_both_languages() -> None:
    """The leads and earlier periods of the headlines other than CBP's (the mirror holds one
    release of their series, so no update compares two): the library's English as it always
    was, and the reader's Spanish with months written out."""
    from borderflow.update import PERIOD_KINDS, message, subject_value

    en, es = english(), load_catalog("es")
    jan, sep = date(2026, 1, 1), date(2025, 9, 1)
    cases = {
        ("12_month_ending", "cdc_vsrr"): (
            "synthetic-opioid overdose deaths (US), 12 months ending January 2026",
            "muertes por sobredosis de opioides sintéticos (EE. UU.), 12 meses que terminan en "
            "enero de 2026",
            "12 months ending September 2025",
            "12 meses que terminan en septiembre de 2025",
        ),
        ("month", "sesnsp_victims"): (
            "homicide victims in Mexico, January 2026",
            "víctimas de homicidio en México, enero de 2026",
            "September 2025",
            "septiembre de 2025",
        ),
        ("calendar_year", "nchs_final"): (
            "drug overdose deaths (NCHS), 2026",
            "muertes por sobredosis de drogas (NCHS), 2026",
            "2025",
            "2025",
        ),
        ("fiscal_ytd", "cbp_amo"): (
            "FY2026 fentanyl (Air and Marine Operations) through January",
            "AF2026 fentanilo (Operaciones Aéreas y Marítimas) hasta enero",
            "FY2025 through September",  # the earlier release ran through another fiscal year
            "AF2025 hasta septiembre",
        ),
    }
    for (period, source), (lead_en, lead_es, earlier_en, earlier_es) in cases.items():
        kind, subject = PERIOD_KINDS[period], subject_value(source, HEADLINES[source].subject)
        assert HEADLINES[source].period == period
        lead = kind.lead(subject, jan)
        assert (render(en, lead), render(es, lead)) == (lead_en, lead_es)
        earlier = message("compared", stated="", earlier=kind.earlier(jan, sep), before="",
                          units=message(kind.units), revised=message("none"))  # fmt: skip
        assert render(en, earlier).startswith(f"; {earlier_en} in the previous release")
        assert render(es, earlier).startswith(f"; {earlier_es} en la publicación anterior")
