"""Figures of registry events (issue 12): the numbers an event's own source states — tariff rates,
people handed over, chemicals controlled, votes, deadlines, troops — are read from the registry
and checked in English and Spanish sentences, precision first; a malformed ``figures`` cell is
refused with its file, row and column."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from borderflow.claims import check_text
from borderflow.claims.facts import FactMemory
from borderflow.claims.figures import check_figures, figure_mentions
from borderflow.metrics import Engine
from borderflow.registry import Event, RegistryError, load_registry, package_folder, read_registry
from borderflow.registry.figures import figure_kinds, parse_figures
from borderflow.registry.load import read_texts
from borderflow.registry.schema import COLUMNS

REGISTRY = load_registry()
TEXTS = read_texts(package_folder())

#: For each kind: the registry event whose figure is written, and a sentence in each language
#: naming it ({name}: its instrument's name; {v}: the number; {w}: a second number).
SENTENCES: dict[str, tuple[str, dict[str, str]]] = {
    "tariff_percent": (
        "eo_14195_signed",
        {
            "en": "{name} put a {v}% tariff on Chinese goods.",
            "es": "{name} impuso un arancel del {v}% a productos chinos.",
        },
    ),
    "persons": (
        "transfer_26_2025_08",
        {
            "en": "Mexico handed {v} cartel figures over to the United States on Tuesday.",
            "es": "México entregó a {v} narcotraficantes a Estados Unidos este martes.",
        },
    ),
    "chemicals": (
        "cn_precursor_export_licences_announced",
        {
            "en": "Under {name}, {v} precursor chemicals need a licence.",
            "es": "Con las {name}, {v} precursores químicos requieren licencia.",
        },
    ),
    "votes_for": (
        "mx_fentanyl_reform_chamber_vote",
        {
            "en": "The Chamber of Deputies passed the {name} with {v} votes in favor.",
            "es": "La Cámara de Diputados aprobó la {name} con {v} votos a favor.",
        },
    ),
    "votes_against": (
        "halt_fentanyl_act_house_passage",
        {
            "en": "The House passed the {name} with {v} votes against.",
            "es": "La Cámara aprobó la {name} con {v} votos en contra.",
        },
    ),
    "days": (
        "mx_fentanyl_reform_published",
        {
            "en": "The {name} gives Congress {v} days to harmonize the laws.",
            "es": "La {name} da al Congreso un plazo de {v} días para armonizar las leyes.",
        },
    ),
    "troops": (
        "operacion_frontera_norte_agreed",
        {
            "en": "Under {name}, Mexico sent {v} National Guard troops to the border.",
            "es": "Con la {name}, México envió {v} elementos de la Guardia Nacional a la frontera.",
        },
    ),
    "institutions": (
        "fincen_orders_2025_issued",
        {
            "en": "The {name} designated {v} financial institutions.",
            "es": "Las {name} designaron a {v} instituciones financieras.",
        },
    ),
}


def value_of(event: Event, kind: str) -> float:
    (value,) = {f.value for f in event.figures if f.kind == kind}
    return value


def written(value: float, lang: str) -> str:
    """A whole number as each language writes it ("10,000", "10.000")."""
    text = f"{int(value):,}"
    return text.replace(",", ".") if lang == "es" else text


def name_of(event: Event, lang: str) -> str:
    instrument = REGISTRY.instruments.get(event.instrument)
    if instrument is None:
        return ""
    return instrument.names.es if lang == "es" else instrument.names.en


def judge(sentence: str, published: date) -> list[tuple[str, str]]:
    findings, _ = check_figures(sentence, published, FactMemory(), [])
    return [(f.text, f.verdict) for f in findings]


def test_every_kind_is_carried_by_some_event_and_has_a_sentence() -> None:
    carried = {f.kind for e in REGISTRY.events.values() for f in e.figures}
    assert carried == set(figure_kinds()) == set(SENTENCES)


CASES = [(kind, lang) for kind in SENTENCES for lang in ("en", "es")]


@pytest.mark.parametrize(("kind", "lang"), CASES, ids=[f"{k}-{lang}" for k, lang in CASES])
def test_a_figure_is_supported_when_equal_and_never_supported_when_not(
    kind: str, lang: str
) -> None:
    event_id, templates = SENTENCES[kind]
    event = REGISTRY.events[event_id]
    value = value_of(event, kind)
    published = event.date.first + timedelta(days=1)
    template = templates[lang].replace("{name}", name_of(event, lang))
    true = template.format(v=written(value, lang))
    assert [v for _, v in judge(true, published)] == ["supported"], true
    false_value = value + 15 if figure_kinds()[kind].unit == "percent" else value * 2
    false = template.format(v=written(false_value, lang))
    verdicts = [v for _, v in judge(false, published)]
    assert len(verdicts) == 1 and verdicts[0] != "supported", (false, verdicts)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_wrong_figure_bound_beyond_doubt_is_contradicted(lang: str) -> None:
    """China's export licences: one event carries a count of chemicals, the sentence names the
    instrument and writes the count right before "precursor chemicals"."""
    event = REGISTRY.events["cn_precursor_export_licences_announced"]
    value = value_of(event, "chemicals")
    name = REGISTRY.instruments[event.instrument].names.aliases[0 if lang == "en" else 1]
    template = SENTENCES["chemicals"][1][lang].replace("{name}", name)
    published = event.date.first + timedelta(days=2)
    assert judge(template.format(v=written(value, lang)), published)[0][1] == "supported"
    assert judge(template.format(v=written(value + 7, lang)), published)[0][1] == "contradicted"
    # fewer than the record may be a part of it ("six of the eight"): not called false
    assert judge(template.format(v=written(value - 3, lang)), published)[0][1] == "unverifiable"


def test_a_number_matching_any_event_of_the_instrument_is_supported() -> None:
    """EO 14195: 10%, raised to 20%, cut to 10% — each rate is the record's."""
    rates = sorted(
        {
            f.value
            for e in REGISTRY.events.values()
            if e.instrument == "eo_14195_china_tariffs"
            for f in e.figures
        }
    )
    assert len(rates) >= 2
    for rate in rates:
        sentence = f"Executive Order 14195 set a {int(rate)}% tariff on Chinese goods."
        assert judge(sentence, date(2025, 12, 1)) == [(f"{int(rate)}% tariff", "supported")]
    loose = "Executive Order 14195 set a 35% tariff on Chinese goods."
    assert judge(loose, date(2025, 12, 1)) == [("35% tariff", "unverifiable")]  # three events


def test_a_number_near_an_instrument_that_is_not_its_figure_is_left_alone(
    engine: Engine,
) -> None:
    """Dollars near FinCEN's orders: no figure kind of the orders counts money."""
    sentence = (
        "FinCEN emitió órdenes el 25 de junio de 2025 contra CIBanco, que procesó más de 2.1 "
        "millones de dólares entre 2021 y 2024."
    )
    assert figure_mentions(sentence) == []
    report = check_text(sentence, engine, published=date(2025, 6, 30))
    money = [c for c in report.claims if "2.1" in c.text]
    assert money and all(c.verdict == "unverifiable" for c in money)


def test_the_sentence_before_names_the_event_for_the_figure(engine: Engine) -> None:
    """ "La Cámara … aprobó la reforma. La iniciativa fue respaldada por 410 votos a favor": the
    votes are the chamber vote's, though the second sentence names neither."""
    event = REGISTRY.events["mx_fentanyl_reform_chamber_vote"]
    ayes, noes = value_of(event, "votes_for"), value_of(event, "votes_against")
    text = (
        "La Cámara de Diputados de México aprobó el martes una reforma a dos artículos de la "
        "Constitución que prohíbe el fentanilo. La iniciativa fue respaldada por "
        f"{int(ayes)} votos a favor, {int(noes)} en contra y cero abstenciones."
    )
    report = check_text(text, engine, published=event.date.first)
    found = {c.text: c.verdict for c in report.claims}
    assert found[f"{int(ayes)} votos a favor"] == "supported"
    assert found[f"{int(noes)} en contra"] == "supported"
    assert "contradicted" not in found.values()


def test_a_tariff_rate_is_not_read_as_a_change_in_a_series(engine: Engine) -> None:
    event = REGISTRY.events["mexico_tariffs_in_effect"]
    rate = int(value_of(event, "tariff_percent"))
    text = f"Trump confirmed that {rate}% tariffs on imports from Mexico take effect on March 4."
    report = check_text(text, engine, published=date(2025, 3, 1))
    claims = [(c.text, c.kind, c.verdict) for c in report.claims]
    assert claims == [(f"{rate}% tariffs", "fact", "supported")], claims


def test_the_rationale_names_the_event_in_both_languages(engine: Engine) -> None:
    from borderflow.claims.explain import render_why
    from borderflow.report.i18n import load_catalog

    event = REGISTRY.events["transfer_29_2025_02"]
    count = int(value_of(event, "persons"))
    text = f"México extraditó a {count} narcotraficantes a Estados Unidos este jueves."
    (claim,) = check_text(text, engine, published=event.date.first).claims
    assert claim.verdict == "supported"
    english = render_why(load_catalog("en"), claim.why)
    spanish = render_why(load_catalog("es"), claim.why)
    assert event.title("en") in english and event.title("es") in spanish
    assert f"{count} people handed over" in english
    assert f"{count} personas entregadas" in spanish


# -- the loader ---------------------------------------------------------------------------------


def refused_figures(cell: str) -> RegistryError:
    table = list(csv.DictReader(io.StringIO(TEXTS["events.csv"])))
    table[1] = {**table[1], "figures": cell}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS["events.csv"]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    with pytest.raises(RegistryError) as caught:
        read_registry({**TEXTS, "events.csv": out.getvalue()})
    return caught.value


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("persons=", "is not kind=number"),
        ("persons=29 people", "is not kind=number"),
        ("tariff_percent=25; cartels=8", "'cartels' is not a figure kind"),
        ("persons=2.5", "a count is a whole number"),
    ],
)
def test_a_malformed_figures_cell_is_refused_with_file_row_and_column(
    cell: str, words: str
) -> None:
    problem = refused_figures(cell).first
    assert (problem.file, problem.row, problem.field) == ("events.csv", 3, "figures")
    assert words in problem.message
    assert "events.csv row 3, field figures" in str(refused_figures(cell))


def test_figures_parse_with_their_kinds() -> None:
    parsed = parse_figures("votes_for=410; votes_against=24", figure_kinds())
    assert [str(f) for f in parsed] == ["votes_for=410", "votes_against=24"]
    assert parse_figures("", figure_kinds()) == ()
