"""Constructions of unseen publishers read right, on the real record: a month named in the
possessive, "the same stretch in 2024", a drug named once and then called "the deadly drug",
"U.S.-Mexico" (not a dateline), a span of time that is not a count, "nationwide" against a state
named elsewhere, and "los 12 meses que finalizó en …"."""

from __future__ import annotations

from datetime import date

import pytest

from borderflow.claims import check_text
from borderflow.claims.extract import split_sentences
from borderflow.metrics import Engine, Query
from reference import cbp_pounds_by_month, newest_cbp_file


@pytest.fixture(scope="module")
def fentanyl() -> dict[date, float]:
    """Nationwide fentanyl pounds by month, from the newest CBP file."""
    return cbp_pounds_by_month(newest_cbp_file(), **{"Drug Type": "Fentanyl"})


def record(
    engine: Engine, measure: str, period: str, status: str | None = None, **where: str
) -> float:
    """The official value the metrics layer gives, each filter one member."""
    members = {k: (v,) for k, v in where.items()}
    return float(engine.run(Query(measure, period, where=members, status=status)).value)


def claims(engine: Engine, text: str, published: date) -> list[dict[str, object]]:
    return [c.to_dict() for c in check_text(text, engine, published=published).claims]


def test_a_possessive_month_is_the_period_of_the_figure_after_it(
    engine: Engine, fentanyl: dict[date, float]
) -> None:
    feb, jan = fentanyl[date(2025, 2, 1)], fentanyl[date(2025, 1, 1)]
    change = round(100 * (feb / jan - 1))
    text = (
        f"CBP seized {feb:,.0f} pounds of fentanyl in February, down {abs(change)}% on "
        f"January's {jan:,.0f} pounds."
    )
    found = claims(engine, text, date(2025, 3, 13))
    assert [c["verdict"] for c in found] == ["supported"] * 3, [c["reason"] for c in found]
    january = next(c for c in found if c["text"].startswith(f"{jan:,.0f}"))  # type: ignore[union-attr]
    assert january["query_json"]["period"] == "2025-01"  # type: ignore[index]


def test_the_drug_of_the_story_goes_on_and_us_mexico_is_no_dateline(
    engine: Engine, fentanyl: dict[date, float]
) -> None:
    now = sum(fentanyl[date(2025, m, 1)] for m in range(1, 5))
    before = sum(fentanyl[date(2024, m, 1)] for m in range(1, 5))
    change = round(100 * (now / before - 1))
    text = (
        "Fentanyl seizures at the U.S.-Mexico border have dropped off a cliff in recent months. "
        f"Between January and April 2025, U.S. authorities confiscated around {now:,.0f} pounds "
        f"of the deadly drug—a {abs(change)}% decrease compared to the same stretch in 2024."
    )
    found = claims(engine, text, date(2025, 5, 1))
    assert [c["verdict"] for c in found] == ["supported", "supported"], [c["reason"] for c in found]
    for c in found:
        assert c["query_json"]["where"]["drug"] == ["Fentanyl"]  # type: ignore[index]
        assert c["query_json"]["period"] == "2025-01..2025-04"  # type: ignore[index]


def test_a_span_of_time_is_not_a_count(engine: Engine) -> None:
    text = (
        "At the northern border, just 1.14 pounds of fentanyl was seized in February 2025, lower "
        "than the average figure for the preceding 12 months."
    )
    found = claims(engine, text, date(2025, 3, 13))
    assert [c["text"] for c in found] == ["1.14 pounds"]


def test_nationwide_is_not_read_for_a_state_named_elsewhere(engine: Engine) -> None:
    text = (
        "While reported fentanyl overdose deaths decreased nationwide by 31% for the 12-month "
        "period ending September 2025, they increased by 30% in Arizona."
    )
    first, second = claims(engine, text, date(2026, 2, 18))
    assert first["query_json"]["where"]["us_state"] == ["US"]  # type: ignore[index]
    assert second["query_json"]["where"]["us_state"] == ["AZ"]  # type: ignore[index]


def test_twelve_months_that_ended_in_a_month_in_spanish(engine: Engine) -> None:
    text = (
        "Para el período de 12 meses que finalizó en diciembre de 2020, los fallecimientos por "
        "sobredosis fueron 92.183."
    )
    (found,) = claims(engine, text, date(2021, 7, 1))
    assert found["query_json"]["period"] == "12ME 2020-12"  # type: ignore[index]


def test_a_publisher_named_later_in_the_text_keeps_a_figure_from_false(engine: Engine) -> None:
    # INEGI's death-registration count (35,625 homicides in 2021) named only in the next
    # sentence: not judged against SESNSP's victims (33,361) as if it were theirs
    text = (
        "En 2021 se registraron 35 mil 625 homicidios en México. Al dar a conocer la "
        "información, el Instituto Nacional de Estadística y Geografía (INEGI) señala que la "
        "tasa fue de 28 por cada 100 mil habitantes."
    )
    found = claims(engine, text, date(2022, 7, 26))
    assert found[0]["verdict"] == "unverifiable"
    assert "other_source" in found[0]["doubts"]  # type: ignore[operator]


def test_a_difference_is_checked_as_one_and_another_cause_of_death_is_not_a_level(
    engine: Engine,
) -> None:
    query = Query(
        "crossings", "2020-05", where={"port": ("2304",), "conveyance": ("Trucks",)},
        compare="year_ago",
    )  # fmt: skip
    row = engine.run(query).rows.iloc[0]  # BTS, Laredo trucks: May 2020 less May 2019
    drop = float(row["value"] - row["previous"])
    assert drop < 0
    text = (
        f"The port of Laredo saw {-drop:,.0f} fewer commercial truck crossings in May 2020 than "
        "in May 2019."
    )
    (fewer,) = claims(engine, text, date(2020, 6, 1))
    assert fewer["kind"] == "difference"
    assert fewer["official"] == pytest.approx(drop)
    assert fewer["verdict"] == "supported"
    (more,) = claims(engine, text.replace("fewer", "more"), date(2020, 6, 1))
    assert more["verdict"] != "supported"
    # "lives saved" is no difference between two periods of a series
    (saved,) = claims(engine, "In 2023 there were 81 overdose deaths averted.", date(2024, 1, 5))
    assert saved["why"]["key"] == "claims.why.difference"  # type: ignore[index]
    opioids = claims(
        engine,
        "The number of opioid overdose fatalities decreased from 84,181 to 81,083 between 2022 "
        "and 2023.",
        date(2024, 5, 1),
    )
    assert {c["verdict"] for c in opioids} == {"unverifiable"}, [c["reason"] for c in opioids]


def test_a_span_of_time_the_reader_does_not_read_is_not_the_sentence_period(
    engine: Engine,
) -> None:
    text = (
        "México registró 2,373 homicidios en enero de 2025, con lo que suman 9,677 de estos "
        "crímenes en el primer cuatrimestre de la presidencia de Claudia Sheinbaum."
    )
    found = claims(engine, text, date(2025, 2, 20))
    later = next(c for c in found if "9,677" in str(c["text"]))
    assert later["verdict"] != "contradicted"
    assert "contrast_period" in later["doubts"]  # type: ignore[operator]


def test_killings_may_count_feminicides_and_an_institution_is_not_the_country(
    engine: Engine,
) -> None:
    def victims(measure: str, **where: tuple[str, ...]) -> int:
        return int(engine.run(Query(measure, "2024", where=dict(where))).rows["value"].iloc[0])

    doloso = victims("homicide_victims", mx_state=("25",))
    both = victims(
        "crime_victims", mx_state=("25",), crime_subtype=("Homicidio doloso", "Feminicidio")
    )
    assert both > doloso
    text = (
        f"El SESNSP registró {doloso} homicidios dolosos en Sinaloa en todo 2024, un total de "
        f"{both:,} asesinatos, según el Secretariado Ejecutivo del Sistema Nacional de Seguridad "
        "Pública."
    )
    found = claims(engine, text, date(2025, 2, 20))
    assert found[0]["verdict"] == "supported"
    assert found[0]["query_json"]["where"]["mx_state"] == ["25"]  # type: ignore[index]
    assert found[1]["verdict"] == "unverifiable"  # both counted together: plausible, not firm
    assert "other_reading" in found[1]["doubts"]  # type: ignore[operator]


def test_pounds_of_drugs_at_the_land_border_are_every_drug_at_its_land_ports(
    engine: Engine,
) -> None:
    # "land" is the AMO files' member; the nationwide files write "Land Only", and "the
    # southwest land border" may name the region as much as its land ports: both are asked
    found = claims(
        engine,
        "In fiscal year 2023, U.S. Customs and Border Protection seized 240,000 pounds of drugs "
        "at the southwest land border, which included fentanyl.",
        date(2024, 2, 1),
    )
    (claim,) = found
    land = engine.run(
        Query(
            "seized_lb",
            "FY2023",
            where={"region": ("Southwest Border",), "land_filter": ("Land Only",)},
        )
    ).value
    assert round(land, -3) == 240_000
    assert claim["verdict"] == "supported"
    assert claim["official"] == pytest.approx(land)
    assert all("drug" not in (r["query_json"].get("where") or {}) for r in claim["readings"])


def test_fentanyls_share_of_overdose_deaths_is_t40_4_over_all_drugs(engine: Engine) -> None:
    def count(cause: str) -> float:
        query = Query("overdose_deaths_annual", "2022", where={"cause": (cause,)}, status="final")
        return engine.run(query).value

    share = 100 * count("T40.4") / count("all_drug_overdose")  # NCHS final 2022: 68.4%
    true = f"In 2022, synthetic opioids such as fentanyl were involved in {share:.0f}% of all drug overdose deaths."
    (claim,) = claims(engine, true, date(2024, 6, 1))
    assert claim["verdict"] == "supported"
    assert claim["official"] == pytest.approx(share)
    assert "as a share of" in str(claim["query"])
    false = true.replace(f"{share:.0f}%", f"{share * 0.65:.0f}%")
    assert claims(engine, false, date(2024, 6, 1))[0]["verdict"] == "contradicted"
    spanish = (
        f"En 2022, el fentanilo causó el {share:.0f}% de las muertes por sobredosis de drogas."
    )
    assert claims(engine, spanish, date(2024, 6, 1))[0]["verdict"] == "supported"


def test_from_a_month_to_the_same_month_a_year_on_is_twelve_months_ending(
    engine: Engine,
) -> None:
    query = Query("all_overdose_deaths_12m", "12ME 2021-04", status="predicted")
    deaths = engine.run(query).value  # CDC VSRR, 12 months ending April 2021
    text = (
        "The U.S. recorded its highest ever number of drug-overdose deaths in a 12-month period "
        f"from April 2020 to April 2021: {deaths:,.0f} deaths."
    )
    (claim,) = claims(engine, text, date(2022, 1, 11))
    assert claim["verdict"] == "supported"
    assert claim["official"] == pytest.approx(deaths)


def test_in_a_year_with_no_year_written_may_be_the_newest_twelve_months(engine: Engine) -> None:
    # published 1 November 2021: the newest 12 months CDC had published then end in mid-2021,
    # the latest complete year is 2020 (fewer than 100,000 deaths)
    text = "En Estados Unidos, más de 100 mil personas murieron por sobredosis de drogas en un año."
    (claim,) = claims(engine, text, date(2021, 11, 1))
    assert claim["verdict"] == "supported"
    assert str(claim["query_json"]["period"]).startswith("12ME 2021-")
    assert "period_defaulted" in claim["doubts"]  # never called false on a guessed period


def test_an_average_a_day_belongs_to_its_own_figure_not_the_total_before_it(
    engine: Engine,
) -> None:
    query = Query("overdose_deaths_annual", "2022", where={"cause": ("all_drug_overdose",)})
    deaths = engine.run(query).value  # NCHS final 2022
    text = (
        f"En 2022 las sobredosis de drogas mataron a {deaths * 1.05:,.0f} personas, un promedio "
        "de 300 al día."
    ).replace(",", " mil ", 1)
    found = {c["text"]: c for c in claims(engine, text, date(2024, 6, 1))}
    total = next(c for t, c in found.items() if "personas" in t)
    assert total["official"] == pytest.approx(deaths)  # read as the year's total, not an average
    assert total["verdict"] == "contradicted"


def test_a_states_share_of_the_national_total(engine: Engine) -> None:
    query = Query(
        "crossings", "2019", where={"conveyance": ("Trucks",)}, by=("us_state",),
        share_of="us_state",
    )  # fmt: skip
    rows = engine.run(query).rows  # BTS inbound trucks from Mexico, 2019, by state
    texas = float(rows.loc[rows["us_state"] == "TX", "share"].iloc[0])
    text = (
        f"In 2019, {texas:.0f}% of the trucks crossing to the United States from Mexico did it "
        "in Texas."
    )
    (claim,) = claims(engine, text, date(2021, 1, 1))
    assert claim["verdict"] == "supported"
    assert claim["official"] == pytest.approx(texas)


def test_a_sum_above_its_whole_unfinished_period_is_false_whatever_the_day(
    engine: Engine,
) -> None:
    where = {"drug": ("Fentanyl",), "area": ("TUCSON FIELD OFFICE",)}
    year = engine.run(Query("seized_lb", "FY2024", where=where)).value  # the whole fiscal year
    sofar = engine.run(Query("seized_lb", "2023-10..2024-07", where=where)).value
    said = "The Tucson Field Office intercepted more than {:,.0f} pounds of fentanyl in Fiscal Year 2024."
    # written in August 2024, before the fiscal year ended: above even the whole year is false
    (high,) = claims(engine, said.format(2 * year), date(2024, 8, 20))
    assert high["verdict"] == "contradicted"
    # below what had been counted by then: the unfinished year cannot make it false
    (low,) = claims(engine, said.format(0.9 * sofar), date(2024, 8, 20))
    assert low["verdict"] != "contradicted"


def test_a_dateline_in_parentheses_is_where_the_story_was_filed(engine: Engine) -> None:
    victims = engine.run(Query("homicide_victims", "2021")).value  # SESNSP, national
    text = f"(Mexico City) Mexico recorded {victims:,.0f} murders in 2021, according to official figures."
    (claim,) = claims(engine, text, date(2022, 1, 20))
    assert claim["verdict"] == "supported"
    assert claim["official"] == pytest.approx(victims)
    assert claim["doubts"] == []  # Mexico City is not the place the figure is about


def test_a_figure_far_above_the_place_carried_from_before_may_be_the_whole(
    engine: Engine,
) -> None:
    deaths = engine.run(
        Query("overdose_deaths_annual", "2021", where={"cause": ("all_drug_overdose",)})
    ).value  # NCHS final, United States
    text = (
        "El fentanilo arcoíris ya cruzó la frontera mexicana hacia Arizona. Las estadísticas "
        f"muestran que cerca de {deaths:,.0f} personas murieron en el 2021 por sobredosis."
    )
    found = claims(engine, text, date(2022, 9, 1))
    claim = next(c for c in found if "personas" in str(c["text"]))
    assert claim["verdict"] == "supported"
    assert claim["official"] == pytest.approx(deaths)
    assert "memory_place" in claim["doubts"]  # Arizona is still a reading: never called false


def test_nationwide_drops_a_state_carried_from_the_sentence_before(engine: Engine) -> None:
    rate = engine.run(
        Query("overdose_death_rate", "2023", where={"cause": ("all_drug_overdose",)})
    ).value  # NCHS final, age-adjusted, United States
    text = (
        "New Mexico's drug overdose rate declined in 2023 for the second consecutive year. "
        f"Nationwide, the fatal overdose rate in 2023 was much lower, at {rate:.1f} deaths per "
        "100,000 people."
    )
    found = claims(engine, text, date(2025, 1, 1))
    claim = next(c for c in found if "deaths" in str(c["text"]))
    assert claim["verdict"] == "supported"
    assert claim["official"] == pytest.approx(rate)


def test_the_twelve_months_to_a_month_is_twelve_months_ending(engine: Engine) -> None:
    query = Query("all_overdose_deaths_12m", "12ME 2021-04", status="predicted")
    deaths = engine.run(query).value
    text = f"CDC reported that {deaths:,.0f} people died from drug overdoses over the 12-months to April 2021."
    (claim,) = claims(engine, text, date(2021, 11, 20))
    assert claim["verdict"] == "supported"
    assert claim["query_json"]["period"] == "12ME 2021-04"


def test_femicides_are_read_from_sesnsps_own_femicide_count(engine: Engine) -> None:
    where = {"mx_state": ("00",), "crime_subtype": ("Femicide",)}
    femicides = engine.run(Query("crime_victims", "2023-10", where=where)).value  # SESNSP
    true = f"De acuerdo con el SESNSP, en octubre de 2023 se registraron {femicides:.0f} feminicidios en México."
    (claim,) = claims(engine, true, date(2023, 12, 1))
    assert claim["verdict"] == "supported"
    assert claim["official"] == pytest.approx(femicides)
    false = true.replace(f"{femicides:.0f} feminicidios", f"{femicides * 0.5:.0f} feminicidios")
    assert claims(engine, false, date(2023, 12, 1))[0]["verdict"] == "contradicted"


def test_a_percent_beside_a_state_may_be_its_share(engine: Engine) -> None:
    query = Query("homicide_victims", "2023", by=("mx_state",), share_of="mx_state")
    rows = engine.run(query).rows  # SESNSP victims of intentional homicide, 2023, by state
    share = float(rows.loc[rows["mx_state"] == "11", "share"].iloc[0])  # Guanajuato
    text = f"En 2023, Guanajuato (con el {share:.1f} por ciento) fue el estado con más homicidios."
    found = claims(engine, text, date(2024, 2, 1))
    claim = next(c for c in found if "por ciento" in str(c["text"]))
    assert claim["verdict"] == "supported"
    assert claim["official"] == pytest.approx(share)
    wrong = text.replace(f"{share:.1f} por ciento", f"{share * 2:.1f} por ciento")
    claim = next(
        c for c in claims(engine, wrong, date(2024, 2, 1)) if "por ciento" in str(c["text"])
    )
    assert claim["verdict"] == "unverifiable"  # a share or a change: never called false


def test_population_by_sex_a_states_own_death_count_and_a_census_are_not_called_false(
    engine: Engine,
) -> None:
    where = {"mx_state": ("08",)}
    total = engine.run(Query("population_mx", "2024", where=where)).value  # CONAPO, Chihuahua
    text = (
        f"En 2024 el estado de Chihuahua cuenta con {total:,.0f} habitantes; 1,995,200 son "
        "hombres y 2,001,301 son mujeres."
    )
    found = claims(engine, text, date(2024, 7, 15))
    assert [c["verdict"] for c in found] == ["supported", "unverifiable", "unverifiable"]
    # a state health department's own count, with its own definition
    dshs = (
        "New figures from the Texas Department of State Health Services reveal that 1,925 "
        "individuals in Texas died from fentanyl-related poisoning in 2022."
    )
    assert {c["verdict"] for c in claims(engine, dshs, date(2023, 10, 1))} == {"unverifiable"}
    # a population with no day written may be a census count, an estimate or a projection
    census = "The total population in Mexico is 120,000,000 inhabitants."
    (claim,) = claims(engine, census, date(2021, 1, 27))
    assert claim["verdict"] == "unverifiable"
    assert "no_period" in claim["doubts"]


def test_a_figure_that_says_drug_overdose_deaths_is_all_drugs_whatever_else_the_clause_counts(
    engine: Engine,
) -> None:
    deaths = engine.run(
        Query("overdose_deaths_annual", "2021", where={"cause": ("all_drug_overdose",)})
    ).value  # NCHS final
    text = (
        f"More than 75% of the nearly {deaths:,.0f} drug overdose deaths in the United States "
        "in 2021 involved an opioid."
    )
    found = claims(engine, text, date(2023, 3, 1))
    level = next(c for c in found if "drug overdose deaths" in str(c["text"]))
    assert level["verdict"] == "supported"
    assert level["official"] == pytest.approx(deaths)


def test_an_english_day_before_its_month_dates_an_agreement() -> None:
    from borderflow.claims import facts

    dates = facts.written_dates(
        "the us and mexico on friday, 8 october, met", date(2021, 10, 9), None
    )
    assert [(d.day, d.precision) for d in dates] == [(date(2021, 10, 8), "day")]
    assert facts.written_dates("the top 10 may face charges", date(2021, 10, 9), None) == []


def _pounds(engine: Engine, period: str, **where: tuple[str, ...]) -> float:
    return float(engine.run(Query("seized_lb", period, where=dict(where))).value)


def test_a_border_state_is_read_as_the_cbp_areas_in_it(engine: Engine) -> None:
    ports = _pounds(engine, "FY2024", drug=("Fentanyl",), area=("TUCSON FIELD OFFICE",))
    text = (
        "Last fiscal year, the amount of fentanyl seized at ports of entry in Arizona, "
        f"{ports:,.0f} pounds, was more than at the rest of the country's ports combined."
    )
    (claim,) = claims(engine, text, date(2024, 12, 17))
    assert claim["verdict"] == "supported", claim["reason"]
    assert claim["query_json"]["where"]["area"] == ["TUCSON FIELD OFFICE"]  # type: ignore[index]
    # Arizona's ports are exactly the Tucson Field Office's: a figure far off is false …
    wrong = text.replace(f"{ports:,.0f}", f"{ports * 1.4:,.0f}")
    (false,) = claims(engine, wrong, date(2024, 12, 17))
    assert false["verdict"] == "contradicted", false["reason"]
    # … but Arizona's sectors (Tucson, and Yuma, which also patrols California) only
    # approximate the state: a figure none of the readings matches is not called false
    (loose,) = claims(engine, wrong.replace("at ports of entry ", ""), date(2024, 12, 17))
    assert loose["verdict"] == "unverifiable"
    assert "state_areas" in loose["doubts"]


def test_a_states_ports_share_is_over_the_nationwide_total(engine: Engine) -> None:
    part = _pounds(engine, "FY2022", drug=("Fentanyl",), area=("SAN DIEGO FIELD OFFICE",))
    whole = _pounds(engine, "FY2022", drug=("Fentanyl",), component=("Office of Field Operations",))
    share = round(100 * part / whole)
    text = (
        "The focused enforcement efforts by California's border ports accounted for "
        f"{share} percent of the fentanyl seized at ports of entry nationwide in fiscal year 2022."
    )
    (claim,) = claims(engine, text, date(2022, 11, 1))
    assert claim["verdict"] == "supported", claim["reason"]
    assert claim["official"] == pytest.approx(100 * part / whole)


def test_a_conveyance_written_after_its_figure_is_its_own(engine: Engine) -> None:
    def texas(conveyance: str) -> float:
        texas = engine.run(
            Query("crossings", "2019", where={"conveyance": (conveyance,), "us_state": ("TX",)})
        ).value
        return (
            100
            * float(texas)
            / float(
                engine.run(Query("crossings", "2019", where={"conveyance": (conveyance,)})).value
            )
        )

    trucks, trains = round(texas("Trucks")), round(texas("Trains"))
    text = (
        f"In 2019, {trucks}% of the trucks and {trains}% of the trains crossing to the United "
        "States from Mexico did it in Texas."
    )
    found = claims(engine, text, date(2021, 1, 1))
    assert [c["verdict"] for c in found] == ["supported", "supported"], [c["reason"] for c in found]
    assert [c["query_json"]["where"]["conveyance"] for c in found] == [["Trucks"], ["Trains"]]  # type: ignore[index]


def test_twelve_months_to_a_day_or_with_no_year_and_a_cause_ends_at_the_next_figure(
    engine: Engine,
) -> None:
    def vsrr(period: str) -> float:
        return float(engine.run(Query("all_overdose_deaths_12m", period, status="predicted")).value)

    june = vsrr("12ME 2024-06")
    spanish = (
        f"Hubo alrededor de {june / 1000:.0f}.000 muertes por sobredosis de drogas en los 12 "
        "meses hasta el 30 de junio, según datos preliminares de los CDC."
    )
    (claim,) = claims(engine, spanish, date(2024, 11, 1))
    assert claim["verdict"] == "supported", claim["reason"]
    assert claim["query_json"]["period"] == "12ME 2024-06"  # type: ignore[index]
    english = f"There were about {june:,.0f} overdose deaths in the 12 months ending June 30, 2024."
    (claim,) = claims(engine, english, date(2024, 11, 1))
    assert claim["query_json"]["period"] == "12ME 2024-06"  # type: ignore[index]
    final = engine.run(
        Query("overdose_deaths_annual", "2017", where={"cause": ("all_drug_overdose",)})
    ).value
    both = f"There were {final:,.0f} total drug overdose deaths and 47,600 opioid overdose deaths in 2017."
    found = claims(engine, both, date(2019, 1, 1))
    assert [c["verdict"] for c in found] == ["supported", "unverifiable"], [
        c["reason"] for c in found
    ]


def test_the_security_ministry_presents_sesnsp_but_its_daily_count_is_another_record(
    engine: Engine,
) -> None:
    october = float(engine.run(Query("homicide_victims", "2022-10")).value)
    monthly = (
        f"El número de homicidios dolosos en México alcanzó los {october:,.0f} asesinatos en "
        "octubre de 2022, informó la Secretaría de Seguridad y Protección Ciudadana (SSPC)."
    )
    (claim,) = claims(engine, monthly, date(2022, 11, 22))
    assert claim["verdict"] == "supported", claim["reason"]
    daily = monthly.replace("informó la", "según el informe diario de la")
    (claim,) = claims(engine, daily, date(2022, 11, 22))
    assert claim["verdict"] == "unverifiable"
    assert claim["why"]["key"] == "claims.why.other_publisher"  # type: ignore[index]


def test_a_twelve_month_sum_changes_on_the_twelve_months_a_year_before(engine: Engine) -> None:
    def vsrr(period: str) -> float:
        return float(engine.run(Query("all_overdose_deaths_12m", period, status="predicted")).value)

    now, before = vsrr("12ME 2023-04"), vsrr("12ME 2022-04")
    change = 100 * (now / before - 1)
    text = (
        "The CDC estimates that {level:,.0f} Americans died from a drug overdose in the "
        "12-month period that ended in April, an increase of {change:.1f}%."
    )
    true = text.format(level=now, change=change)
    found = claims(engine, true, date(2023, 9, 1))
    assert [c["verdict"] for c in found] == ["supported", "supported"], [c["reason"] for c in found]
    assert found[0]["query_json"]["period"] == "12ME 2023-04"  # type: ignore[index]
    false = text.format(level=now, change=change + 3)
    assert claims(engine, false, date(2023, 9, 1))[1]["verdict"] == "contradicted"


def test_a_country_named_in_the_sentence_before_is_the_whole_of_a_national_story(
    engine: Engine,
) -> None:
    """ "… in the US. There were 100,000 deaths in the 12 months ending …": the national series
    supports a right figure, and when no sentence before named a part of the country, a wrong
    one is false (``test_the_country_carried_is_the_whole_unless_a_part_was_named_before``
    keeps the doubt once a part was named)."""
    level = float(
        engine.run(Query("all_overdose_deaths_12m", "12ME 2023-12", status="predicted")).value
    )
    text = (
        "Annual drug overdose deaths in the US declined in 2023, according to provisional data "
        "from the CDC. There were an estimated {n:,.0f} drug overdose deaths during the 12-month "
        "period ending December 2023."
    )
    found = claims(engine, text.format(n=level), date(2024, 12, 1))
    assert [c["verdict"] for c in found] == ["supported"], [c["reason"] for c in found]
    (claim,) = claims(engine, text.format(n=level * 0.97), date(2024, 12, 1))
    assert claim["verdict"] == "contradicted", claim["reason"]


def test_a_base_written_after_another_figure_is_not_the_first_figures_period(
    engine: Engine,
) -> None:
    """ "2 mil 644 homicidios, 26 casos más que en agosto": August is the 26's base; the
    2,644 takes September from the sentence before."""
    september = float(engine.run(Query("homicide_victims", "2022-09")).value)
    text = (
        "Los homicidios dolosos repuntaron en septiembre de 2022. Se contabilizaron un total de "
        f"{september:,.0f} homicidios dolosos, 26 casos más que en agosto."
    )
    first = claims(engine, text, date(2022, 10, 20))[0]
    assert first["verdict"] == "supported", first["reason"]
    assert first["query_json"]["period"] == "2022-09"  # type: ignore[index]


def test_since_a_year_when_dates_the_figure_after_it(engine: Engine) -> None:
    """ "a 98 percent decline since 2013, when more than 2.4 million pounds were intercepted":
    2013, before the coverage, is the 2.4 million's year, not the year of the sentence."""
    text = (
        "Seizures of marijuana at the southern border declined again in fiscal 2023. The 2023 "
        "figures mark a 98 percent decline since 2013, when more than 2.4 million pounds were "
        "intercepted."
    )
    found = claims(engine, text, date(2024, 5, 1))
    pounds = next(c for c in found if "million" in str(c["text"]))
    assert pounds["verdict"] == "unverifiable", pounds["reason"]


def test_a_change_against_a_stated_period_is_not_judged_against_a_year_earlier(
    engine: Engine,
) -> None:
    """ "una disminución del X % en comparación con 2019" read against the same months of the
    year before would call a true statement false; "641 menos que en los cuatro meses
    anteriores" is against the four months before."""
    text = (
        "En los primeros diez meses de 2024 hubo {n:,.0f} víctimas de homicidio doloso, una "
        "disminución del 17.3 % en comparación con 2019."
    )
    n = float(engine.run(Query("homicide_victims", "2024-01..2024-10")).value)
    change = next(
        c for c in claims(engine, text.format(n=n), date(2024, 11, 12)) if "%" in str(c["text"])
    )
    assert change["verdict"] != "contradicted", change["reason"]
    now = float(engine.run(Query("homicide_victims", "2024-10..2025-01")).value)
    before = float(engine.run(Query("homicide_victims", "2024-06..2024-09")).value)
    fewer = (
        f"De octubre a enero hubo {before - now:,.0f} homicidios menos que en los cuatro meses "
        "anteriores, según el SESNSP."
    )
    (claim,) = claims(engine, fewer, date(2025, 2, 21))
    assert claim["verdict"] == "supported", claim["reason"]
    assert claim["query_json"]["compare"] == "previous"  # type: ignore[index]


def test_people_in_personal_vehicles_or_as_pedestrians_are_the_two_together(
    engine: Engine,
) -> None:
    passengers = float(
        engine.run(
            Query("crossings", "2011", where={"conveyance": ("Personal Vehicle Passengers",)})
        ).value
    )
    walkers = float(
        engine.run(Query("crossings", "2011", where={"conveyance": ("Pedestrians",)})).value
    )
    text = (
        "The database shows that {n:.1f} million people crossed into the United States from "
        "Mexico in personal vehicles or as pedestrians in 2011."
    )
    (claim,) = claims(engine, text.format(n=(passengers + walkers) / 1e6), date(2012, 4, 20))
    assert claim["verdict"] == "supported", claim["reason"]
    (claim,) = claims(engine, text.format(n=(passengers + walkers) / 1e6 * 1.3), date(2012, 4, 20))
    assert claim["verdict"] == "contradicted", claim["reason"]


def test_a_drug_that_claims_lives_and_an_opioid_in_apposition_to_fentanyl(engine: Engine) -> None:
    """ "el fentanilo, un poderoso opioide que cobra la vida de casi 200 estadounidenses al
    día": deaths ("cobra la vida"), of fentanyl (the opioid is fentanyl), a day."""
    year = float(
        engine.run(Query("overdose_deaths_annual", "2022", where={"cause": ("T40.4",)})).value
    )
    text = (
        "Biden y Xi lograron un acuerdo para abordar la proliferación del fentanilo, un poderoso "
        "opioide que cobra la vida de casi {n} estadounidenses al día."
    )
    (claim,) = claims(engine, text.format(n=round(year / 365)), date(2023, 11, 16))
    assert claim["verdict"] == "supported", claim["reason"]
    assert claim["query_json"]["where"]["cause"] == ["T40.4"]  # type: ignore[index]


def test_the_first_half_of_this_fiscal_year_and_an_age_adjusted_rate(
    engine: Engine,
) -> None:
    def pounds(period: str) -> float:
        return record(engine, "seized_lb", period, drug="Fentanyl", region="Southwest Border")

    change = 100 * (pounds("2024-10..2025-03") / pounds("2023-10..2024-03") - 1)
    text = (
        f"Fentanyl seizures at the Mexican border are down {abs(change):.0f} percent for the "
        "first half of this fiscal year, compared with the same period in 2024."
    )
    (claim,) = claims(engine, text, date(2025, 6, 1))
    assert claim["verdict"] == "supported", claim["reason"]
    assert claim["query_json"]["period"] == "2024-10..2025-03"  # type: ignore[index]
    rate = float(
        engine.run(
            Query("overdose_death_rate", "2023", where={"cause": ("all_drug_overdose",)})
        ).value
    )
    spanish = (
        "De 2022 a 2023 la tasa ajustada por la edad de las muertes por sobredosis de drogas en "
        f"los Estados Unidos fue de {rate:.1f} muertes por cada 100,000 en 2023."
    )
    (claim,) = claims(engine, spanish, date(2025, 2, 20))
    assert claim["verdict"] == "supported", claim["reason"]
    assert claim["query_json"]["measure"] == "overdose_death_rate"  # type: ignore[index]


def test_this_month_a_projection_year_and_the_population_a_year_begins_with(
    engine: Engine,
) -> None:
    def pounds(period: str) -> float:
        return record(engine, "seized_lb", period, drug="Fentanyl")

    aug, jul = pounds("2022-08"), pounds("2022-07")
    text = (
        f"Officials seized {aug:,.0f} pounds of fentanyl this August alone and {jul:,.0f} in July."
    )
    found = claims(engine, text, date(2022, 9, 1))
    assert [c["verdict"] for c in found] == ["supported", "supported"], [c["reason"] for c in found]
    assert found[0]["query_json"]["period"] == "2022-08"  # type: ignore[index]
    before = float(engine.run(Query("population_us", "2022", where={"us_state": ("US",)})).value)
    spanish = (
        f"El 2023 comenzó con una población de {before / 1e6:.0f} millones de habitantes en "
        "Estados Unidos, pero se estima que llegará a un pico de 435 millones al 2100."
    )
    found = claims(engine, spanish, date(2023, 11, 1))
    assert [c["verdict"] for c in found] == ["supported", "unverifiable"], [
        c["reason"] for c in found
    ]


def test_the_data_of_a_source_named_before_are_that_sources(engine: Engine) -> None:
    """ "… según nuevos datos de población del Centro Demográfico de Texas. … creció un 4%,
    según muestran los datos": not the Census series, so not called false by it."""
    text = (
        "Texas agregó casi 1,6 millones de personas entre 2020 y el 1 de enero, según nuevos "
        "datos de población del Centro Demográfico de Texas. En general, la población de Texas "
        "creció un 4% entre enero de 2020 y enero de 2023, según muestran los datos."
    )
    found = claims(engine, text, date(2024, 1, 1))
    assert "contradicted" not in [c["verdict"] for c in found], [c["reason"] for c in found]
    assert all("other_source" in c["doubts"] for c in found), [c["doubts"] for c in found]  # type: ignore[operator]


def test_a_states_synthetic_opioid_deaths_in_a_year_are_also_wonders(engine: Engine) -> None:
    """CDC WONDER counts a state's deaths by residence, VSRR by place of occurrence: "fentanyl
    caused 796 deaths in 2019" in Arizona is WONDER's year."""
    wonder = float(
        engine.run(Query("deaths_t40_4_monthly", "2019", where={"us_state": ("AZ",)})).value
    )
    vsrr = float(
        engine.run(
            Query(
                "overdose_deaths_12m",
                "12ME 2019-12",
                where={"us_state": ("AZ",)},
                status="predicted",
            )
        ).value
    )
    assert round(wonder) != round(vsrr)
    text = f"In Arizona, synthetic opioids like fentanyl caused {wonder:,.0f} deaths in 2019."
    (claim,) = claims(engine, text, date(2021, 7, 1))
    assert claim["verdict"] == "supported", claim["reason"]
    assert claim["query_json"]["measure"] == "deaths_t40_4_monthly"  # type: ignore[index]


def test_a_rate_a_year_after_a_part_of_a_year_is_of_the_latest_whole_year(
    engine: Engine,
) -> None:
    """ "… this year seems set for about a 15% increase. … fentanyl alone kills more than 70,000
    of them each year": a rate a year is of the latest whole year, not of this year so far."""
    year = float(
        engine.run(Query("overdose_deaths_annual", "2021", where={"cause": ("T40.4",)})).value
    )
    text = (
        "So far this year overdoses seem set for an increase. Fentanyl alone kills more than "
        f"{year // 1000 * 1000:,.0f} Americans each year."
    )
    found = claims(engine, text, date(2022, 10, 23))
    rate = next(c for c in found if "more than" in str(c["text"]))
    assert rate["verdict"] == "supported", rate["reason"]
    assert rate["query_json"]["period"] == "2021"  # type: ignore[index]


def test_a_drugs_potency_is_no_series_and_the_year_before_when_dates_a_figure(
    engine: Engine,
) -> None:
    def t404(year: str) -> float:
        return record(engine, "overdose_deaths_annual", year, cause="T40.4")

    text = (
        "Estados Unidos vive una crisis con {a:,.0f} muertes por fentanilo en 2022. Es menos "
        "que el año anterior, cuando este opioide sintético, hasta 50 veces más potente que la "
        "heroína y 100 veces más que la morfina, causó {b:,.0f} decesos."
    )

    def es(x: float) -> str:
        return f"{x:,.0f}".replace(",", ".")

    true = text.replace("{a:,.0f}", es(t404("2022"))).replace("{b:,.0f}", es(t404("2021")))
    found = claims(engine, true, date(2023, 12, 30))
    assert "contradicted" not in [c["verdict"] for c in found], [c["reason"] for c in found]
    potency = [c for c in found if "veces" in str(c["text"])]
    assert len(potency) == 2 and all(c["why"]["key"] == "claims.why.potency" for c in potency)  # type: ignore[index]
    last = found[-1]
    assert last["verdict"] == "supported", last["reason"]
    assert last["query_json"]["period"] == "2021"  # type: ignore[index]


def test_more_than_before_a_list_and_to_date_through_the_month_published(
    engine: Engine,
) -> None:
    """ "In fiscal year 2024 to date … more than 124,000 pounds of methamphetamine and 14,500
    pounds of fentanyl", on August 1: 'more than' holds for both, and CBP had published June."""

    def southwest(drug: str, period: str) -> float:
        return record(engine, "seized_lb", period, drug=drug, region="Southwest Border")

    meth = southwest("Methamphetamine", "2023-10..2024-06")
    fent = southwest("Fentanyl", "2023-10..2024-06")
    text = (
        f"In fiscal year 2024 to date, CBP has seized more than {meth // 1000 * 1000:,.0f} pounds "
        f"of methamphetamine and {fent // 100 * 100:,.0f} pounds of fentanyl at the U.S.-Mexico "
        "border."
    )
    found = claims(engine, text, date(2024, 8, 1))
    assert [c["verdict"] for c in found] == ["supported", "supported"], [c["reason"] for c in found]
    exact = (
        f"In fiscal year 2024 to date, CBP has seized {fent:,.0f} pounds of fentanyl at the "
        "U.S.-Mexico border."
    )
    assert round(southwest("Fentanyl", "2023-10..2024-07")) != round(fent)
    (claim,) = claims(engine, exact, date(2024, 8, 1))
    assert claim["verdict"] == "supported", claim["reason"]


def test_apprehensions_and_their_rank_and_a_share_of_the_total_just_stated(
    engine: Engine,
) -> None:
    text = (
        "Over 1.7 million illegal immigrants were apprehended crossing the southwest border this "
        "year—the highest number ever."
    )
    assert {c["verdict"] for c in claims(engine, text, date(2021, 10, 27))} == {"unverifiable"}
    t404 = float(
        engine.run(Query("overdose_deaths_annual", "2017", where={"cause": ("T40.4",)})).value
    )
    opioids = round(t404 / 0.6, -3)  # no series: all-opioid deaths
    share = (
        f"There were more than {opioids:,.0f} drug overdose deaths involving opioids in 2017. "
        f"More than half of those deaths, {round(t404, -3):,.0f}, involved synthetic opioids "
        "such as fentanyl."
    )
    found = claims(engine, share, date(2019, 7, 9))
    assert "contradicted" not in [c["verdict"] for c in found], [c["reason"] for c in found]


def test_since_last_october_border_patrol_statistics_and_the_last_twelve_months(
    engine: Engine,
) -> None:
    def fentanyl(period: str, **where: str) -> float:
        return record(engine, "seized_lb", period, drug="Fentanyl", **where)

    cbp = fentanyl("2023-10..2024-06")
    patrol = fentanyl("2023-10..2024-06", component="U.S. Border Patrol")
    assert patrol < cbp / 2  # the Border Patrol alone would call the figure false
    text = (
        f"Authorities confiscated {cbp:,.0f} pounds of fentanyl since last October, according to "
        "border patrol statistics."
    )
    (claim,) = claims(engine, text, date(2024, 8, 1))
    assert claim["verdict"] == "supported", claim["reason"]
    assert claim["query_json"]["period"].startswith("2023-10..")  # type: ignore[index]
    latest = float(
        engine.run(Query("all_overdose_deaths_12m", "12ME 2021-12", status="predicted")).value
    )
    spanish = (
        "Los Centros de Control de Enfermedades informaron que en los últimos 12 meses más de "
        f"{latest // 1000:.0f} mil estadounidenses murieron por sobredosis de drogas."
    )
    (claim,) = claims(engine, spanish, date(2022, 5, 13))
    assert claim["verdict"] == "supported", claim["reason"]
    assert claim["query_json"]["period"].startswith("12ME")  # type: ignore[index]


def test_a_year_to_date_of_mexican_homicides_runs_from_january(engine: Engine) -> None:
    """ "hasta junio de 2022", "until June 2022", "en lo que va de 2022": SESNSP has no fiscal
    year, so the year to date starts in January (from October it would be CBP's)."""
    half = record(engine, "homicide_victims", "2022-01..2022-06")
    before = record(engine, "homicide_victims", "2021-01..2021-06")
    change = 100 * (half / before - 1)
    texts = [
        f"En México se registraron {half:,.0f} homicidios dolosos hasta junio de 2022.",
        f"In Mexico {half:,.0f} intentional homicides were registered until June 2022, "
        f"{abs(change):.1f} percent fewer than a year earlier.",
        f"En lo que va de 2022 se han registrado {half:,.0f} homicidios dolosos en México.",
    ]
    for text in texts:
        found = claims(engine, text, date(2022, 7, 21))
        assert {c["verdict"] for c in found} == {"supported"}, [c["reason"] for c in found]
        for c in found:
            assert c["query_json"]["period"] == "2022-01..2022-06"  # type: ignore[index]


def test_twelve_months_ending_december_may_be_nchs_provisional_count(engine: Engine) -> None:
    provisional = record(
        engine, "overdose_deaths_annual", "2020", "provisional", cause="all_drug_overdose"
    )
    vsrr = float(
        engine.run(Query("all_overdose_deaths_12m", "12ME 2020-12", status="predicted")).value
    )
    assert round(provisional) != round(vsrr)  # the VSRR reading alone would call it false
    text = (
        f"Un recuento provisional del organismo señala {provisional:,.0f} muertes en los 12 meses "
        "que terminaron en diciembre de 2020."
    ).replace(",", ".")
    (claim,) = claims(engine, text, date(2021, 7, 15))
    assert claim["verdict"] == "supported", claim["reason"]
    assert claim["query_json"]["status"] == "provisional"  # type: ignore[index]


def test_opiates_are_no_series_and_ee_uu_ends_no_sentence(engine: Engine) -> None:
    text = (
        "Los opiáceos, principalmente el fentanilo de fabricación ilícita, fueron responsables "
        "de 69.710 de las muertes en 2020."
    )
    (claim,) = claims(engine, text, date(2021, 7, 15))
    assert claim["verdict"] == "unverifiable", claim["reason"]
    assert split_sentences("Las muertes en EE. UU. bajaron. Otra frase.") == [
        (0, "Las muertes en EE. UU. bajaron."),
        (32, "Otra frase."),
    ]


def test_deaths_linked_to_fentanyl_by_their_verb_are_fentanyls(engine: Engine) -> None:
    t404 = record(engine, "overdose_deaths_annual", "2024", "provisional", cause="T40.4")
    text = (
        f"Según cifras oficiales, {t404:,.0f} muertes por sobredosis en EE. UU. durante 2024 "
        "estuvieron vinculadas al fentanilo y sus derivados."
    )
    (claim,) = claims(engine, text, date(2025, 7, 20))
    assert claim["verdict"] == "supported", claim["reason"]
    assert claim["query_json"]["where"]["cause"] == ["T40.4"]  # type: ignore[index]


def test_a_date_beside_a_summit_is_not_the_earlier_named_groups(engine: Engine) -> None:
    text = (
        "Estados Unidos (EE. UU.) y China lanzaron un grupo de trabajo conjunto antinarcóticos "
        "para abordar la propagación del fentanilo. La formación del grupo de trabajo se produce "
        "luego de una cumbre clave celebrada en San Francisco, EE. UU., en noviembre de 2023, en "
        "la que Joe Biden y Xi Jinping acordaron cooperar para frenar el fentanilo."
    )
    found = claims(engine, text, date(2024, 1, 31))
    assert found and "contradicted" not in [c["verdict"] for c in found], found


def test_a_change_within_tolerance_does_not_make_a_cited_source_the_records(
    engine: Engine,
) -> None:
    """Only a level the record gives lifts the doubt that figures are another publisher's; a
    percent change within a point of the record's does so by chance."""
    half = record(engine, "homicide_victims", "2023-01..2023-06")
    before = record(engine, "homicide_victims", "2022-01..2022-06")
    change = 100 * (half / before - 1) - 0.4  # within the point's tolerance, not the record's
    claimed = half - 17
    text = (
        f"El número de homicidios dolosos en México disminuyó un {abs(change):.2f} % interanual "
        f"en el primer semestre de 2023 hasta los {claimed:,.0f} asesinatos. Las cifras se "
        "tomaron del conteo diario de víctimas reportadas por las fiscalías estatales."
    )
    found = claims(engine, text, date(2023, 7, 11))
    verdicts = {c["text"]: c["verdict"] for c in found}
    assert "contradicted" not in verdicts.values(), [c["reason"] for c in found]


def test_chinas_class_control_described_not_named(engine: Engine) -> None:
    """ "China announced Monday that all fentanyl-related drugs … effective May 1": the
    instrument described by its actor and what it did, not the U.S. scheduling of
    "fentanyl-related substances" (from 2018)."""
    texts = {
        "China announced Monday that all fentanyl-related drugs, as a group, would become "
        "controlled substances effective May 1.": date(2019, 4, 1),
        "China añadirá todos los derivados del fentanilo a una lista complementaria de drogas "
        "controladas, anunció hoy el Gobierno del país asiático.": date(2019, 4, 1),
    }
    for text, published in texts.items():
        found = claims(engine, text, published)
        assert found and {c["verdict"] for c in found} == {"supported"}, found
        assert all("cn fentanyl class" in str(c["official"]) for c in found), found
    (us,) = claims(
        engine,
        "The DEA placed fentanyl-related substances in Schedule I on February 6, 2018.",
        date(2018, 3, 1),
    )
    assert "frs temporary scheduling" in str(us["official"]), us


def test_a_figures_own_drug_words_say_all_drugs(engine: Engine) -> None:
    all_drugs = record(engine, "overdose_deaths_annual", "2023", cause="all_drug_overdose")
    t404 = record(engine, "overdose_deaths_annual", "2023", cause="T40.4")
    text = (
        f"Synthetic opioids such as fentanyl were implicated in {t404:,.0f} out of "
        f"{all_drugs:,.0f} drug overdose deaths in 2023."
    )
    found = claims(engine, text, date(2025, 3, 1))
    assert [c["verdict"] for c in found] == ["supported", "supported"], found
    causes = [c["query_json"]["where"]["cause"] for c in found]  # type: ignore[index]
    assert causes == [["T40.4"], ["all_drug_overdose"]]
    spanish = (
        f"En 2023, alrededor de {t404 // 1000:.0f} mil personas murieron por sobredosis de "
        "drogas que involucraron fentanilo."
    )
    (claim,) = claims(engine, spanish, date(2025, 3, 1))
    assert claim["query_json"]["where"]["cause"] == ["T40.4"]  # type: ignore[index]


def test_the_entire_country_is_not_the_place_before(engine: Engine) -> None:
    nationwide = record(engine, "seized_lb", "2021-10..2022-06", drug="Fentanyl")
    text = (
        "CBP seized 5,091 pounds of fentanyl in Imperial and San Diego Counties during the first "
        f"9 months of Fiscal Year 2022. That's 60 percent of the {nationwide + 50:,.0f} pounds "
        "seized in the entire country."
    )
    found = claims(engine, text, date(2022, 10, 1))
    whole = next(c for c in found if str(c["text"]).startswith(f"{nationwide + 50:,.0f}"))
    assert whole["verdict"] == "contradicted", whole["reason"]
    assert "region" not in whole["query_json"]["where"]  # type: ignore[operator]


def test_a_figure_after_a_months_name_is_no_day_and_prisoners_are_persons(
    engine: Engine,
) -> None:
    march = record(engine, "homicide_victims", "2024-03")
    (claim,) = claims(
        engine,
        f"México contó en marzo {march:,.0f} víctimas de homicidio doloso.".replace(",", "."),
        date(2024, 4, 16),
    )
    assert claim["verdict"] == "supported", claim["reason"]
    assert claim["query_json"]["period"] == "2024-03"  # type: ignore[index]
    (transfer,) = claims(
        engine,
        "El gobierno mexicano extraditó este jueves a 29 prisioneros acusados de narcotráfico "
        "a Estados Unidos.",
        date(2025, 2, 28),
    )
    assert transfer["verdict"] == "supported", transfer["reason"]


def test_the_country_carried_is_the_whole_unless_a_part_was_named_before(
    engine: Engine,
) -> None:
    """A story that has only ever named the whole country keeps it: a wrong national figure
    in the next sentence is false. Once a part was named (a state, the Canadian border), the
    figure may be that part's, and it is not called false."""
    victims = record(engine, "homicide_victims", "2020")
    wrong = victims - 54
    text = (
        "Mexico's homicides remained high in 2020 despite the pandemic, the government "
        f"reported. Authorities counted {wrong:,.0f} homicides in 2020."
    )
    found = claims(engine, text, date(2021, 1, 20))
    assert [c["verdict"] for c in found] == ["contradicted"], [c["reason"] for c in found]
    part = (
        "Homicides fell in Guanajuato and rose in Mexico in 2020, the government reported. "
        f"Authorities counted {wrong:,.0f} homicides in 2020."
    )
    found = claims(engine, part, date(2021, 1, 20))
    assert "contradicted" not in [c["verdict"] for c in found], [c["reason"] for c in found]


def test_a_persons_dated_event_agrees_or_is_not_called_false(engine: Engine) -> None:
    """The registry's extraditions, arrests and meetings of the people it names: the date
    written is checked against the event's; a date it does not hold is never called false."""
    right = {
        "Ovidio Guzmán fue extraditado a Estados Unidos el 15 de septiembre de 2023.": date(
            2023, 9, 20
        ),
        'Ismael "Mayo" Zambada y Joaquín Guzmán López fueron detenidos en El Paso, Texas, el '
        "25 de julio de 2024.": date(2024, 8, 1),
        "Mexico extradited Joaquín 'El Chapo' Guzmán to the United States on Thursday.": date(
            2017, 1, 19
        ),
        # one of the people arrested names the arrest
        "Ismael “El Mayo” Zambada fue capturado el 25 de julio en El Paso, Texas.": date(
            2024, 7, 28
        ),
    }
    for text, published in right.items():
        (claim,) = claims(engine, text, published)
        assert claim["verdict"] == "supported", (text, claim["reason"])
    (wrong,) = claims(
        engine,
        "Ovidio Guzmán fue extraditado a Estados Unidos el 15 de octubre de 2023.",
        date(2023, 11, 1),
    )
    assert wrong["verdict"] == "unverifiable", wrong["reason"]


def test_a_change_between_dated_bounds_and_figures_cited_to_state_data(engine: Engine) -> None:
    """ "una reducción superior al 50 %, al pasar de más de nueve mil kilogramos en 2024 a
    poco más de cuatro mil 500 kilos durante 2025": the change is 2025's against 2024's in
    the record (bounds give no exact change), and more than 50% needs a fall of 50% or more.
    Deaths "per state data" are a state's own count."""
    before = record(engine, "seized_lb", "2024", drug="Fentanyl")
    after = record(engine, "seized_lb", "2025", drug="Fentanyl")
    change = 100 * (after / before - 1)
    text = (
        f"El decomiso de fentanilo en la frontera bajó un {abs(change):.0f} %, al pasar de más "
        f"de {before * 0.4536 // 1000:.0f} mil kilogramos en 2024 a poco más de "
        f"{after * 0.4536 // 1000:.0f} mil kilos durante 2025."
    )
    found = claims(engine, text, date(2026, 1, 20))
    share = next(c for c in found if "%" in str(c["text"]))
    assert share["verdict"] == "supported", share["reason"]
    assert share["query_json"]["period"] == "2025"  # type: ignore[index]
    state = (
        "Texas has seen an 89% increase in fentanyl-related deaths between 2020 and 2021, with "
        "an estimated 1,672 deaths in 2021, compared to 883 in 2020, per state data."
    )
    found = claims(engine, state, date(2022, 9, 20))
    assert {c["verdict"] for c in found} == {"unverifiable"}, [c["reason"] for c in found]


def test_data_covering_both_components_is_all_of_cbp(engine: Engine) -> None:
    """ "according to CBP drug seizure data covering the Border Patrol and Office of Field
    Operations": the source's coverage, not a part of CBP as the scope."""
    marijuana = record(engine, "seized_lb", "FY2021", drug="Marijuana")
    ports = record(
        engine, "seized_lb", "FY2021", drug="Marijuana", component="Office of Field Operations"
    )
    assert ports < 0.8 * marijuana  # the ports alone would call the figure false
    text = (
        f"Marijuana seizures reached more than {marijuana // 1000:.0f},000 pounds in FY 2021, "
        "according to CBP drug seizure data covering the Border Patrol and Office of Field "
        "Operations (OFO)."
    )
    (claim,) = claims(engine, text, date(2022, 8, 1))
    assert claim["verdict"] == "supported", claim["reason"]
    assert "component" not in claim["query_json"]["where"]  # type: ignore[operator]


def test_an_average_a_month_and_a_year_not_over(engine: Engine) -> None:
    """ "In 2024, CBP seized around 1,700 pounds per month. In 2025, … 746 pounds per month",
    written in June 2025: the year's total over its months, and over the months published by
    then for a year not over."""
    year = record(engine, "seized_lb", "2024", drug="Fentanyl", region="Southwest Border")
    so_far = record(
        engine, "seized_lb", "2025-01..2025-04", drug="Fentanyl", region="Southwest Border"
    )
    text = (
        "According to CBP data, average monthly fentanyl seizures at the southwest border have "
        f"taken a nosedive. In 2024, CBP seized {year / 12:,.0f} pounds per month. In 2025, "
        f"that number dropped to just {so_far / 4:,.0f} pounds per month."
    )
    found = claims(engine, text, date(2025, 6, 1))
    assert [c["verdict"] for c in found][:2] == ["supported", "supported"], [
        c["reason"] for c in found
    ]
    assert found[1]["query_json"]["per_month"] == 4  # type: ignore[index]


def test_so_far_in_a_fiscal_year_a_margin_and_opioids_in_overdose_deaths(engine: Engine) -> None:
    """ "So far, 9,400 pounds of fentanyl have been seized in fiscal year 2023", written in
    January 2023, is October–December's; "surpassing 2022's total by 10,000 pounds" is a
    margin, no level; "Opioids were involved in 49,860 overdose deaths" is no series."""
    so_far = record(engine, "seized_lb", "2022-10..2022-12", drug="Fentanyl")
    text = (
        f"So far, {so_far + 2100:,.0f} pounds of fentanyl have been seized in fiscal year 2023, "
        "which began in October."
    )
    (claim,) = claims(engine, text, date(2023, 1, 20))
    assert claim["verdict"] == "contradicted", claim["reason"]
    assert claim["query_json"]["period"].startswith("2022-10..")  # type: ignore[index]
    margin = (
        "In July 2023 the San Diego field office reported fentanyl interceptions surpassing "
        "2022's total by 10,000 pounds."
    )
    (claim,) = claims(engine, margin, date(2023, 8, 20))
    assert claim["verdict"] == "unverifiable", claim["reason"]
    (claim,) = claims(
        engine, "Opioids were involved in 49,860 overdose deaths in 2019.", date(2022, 1, 1)
    )
    assert claim["verdict"] == "unverifiable", claim["reason"]


def test_a_figure_seized_by_another_agency_is_its_own(engine: Engine) -> None:
    """ "In addition to the 10,000 pounds of fentanyl powder and 50.6 million tablets seized by
    the DEA, Customs and Border Protection seized more than 14,000 pounds": the 10,000 is the
    DEA's, though the sentence names CBP."""
    text = (
        "In addition to the 10,000 pounds of fentanyl powder and 50.6 million fentanyl tablets "
        "seized by the DEA, Customs and Border Protection seized more than 14,000 pounds of the "
        "synthetic opioid at the southern border in fiscal year 2022."
    )
    found = claims(engine, text, date(2022, 12, 21))
    first = next(c for c in found if str(c["text"]).startswith("10,000"))
    assert first["verdict"] == "unverifiable", first["reason"]
    assert "DEA" in str(first["reason"])


def test_each_percent_takes_its_own_direction_and_an_unnamed_state_is_no_country(
    engine: Engine,
) -> None:
    """ "a 7% increase in methamphetamine seizures, a 6% decrease in heroin seizures": each
    percent's direction is the word next to it, not the list's first. "Los homicidios en el
    estado", no state named: not the country's."""

    def change(drug: str) -> float:
        now = record(engine, "seized_lb", "FY2021", drug=drug)
        return 100 * (now / record(engine, "seized_lb", "FY2020", drug=drug) - 1)

    meth, heroin = change("Methamphetamine"), change("Heroin")
    assert meth > 0 > heroin
    text = (
        f"Fiscal year 2021 saw a {meth:.0f}% increase in methamphetamine seizures and a "
        f"{abs(heroin):.0f}% decrease in heroin seizures compared to fiscal year 2020."
    )
    found = claims(engine, text, date(2022, 1, 20))
    assert [c["verdict"] for c in found] == ["supported", "supported"], [c["reason"] for c in found]
    state = (
        "En 2024, los homicidios dolosos en el estado registraron una reducción del 34 % en "
        "comparación con el año anterior."
    )
    found = claims(engine, state, date(2025, 3, 3))
    assert "contradicted" not in [c["verdict"] for c in found], [c["reason"] for c in found]


def test_a_bimester_is_two_months() -> None:
    from borderflow.claims.when import read_time

    (period,) = read_time("en el primer bimestre de 2024", date(2024, 4, 1)).periods
    assert period.period == "2024-01..2024-02"


def test_a_border_authoritys_counts_and_the_base_of_an_increase(engine: Engine) -> None:
    """Crossings "from the New Mexico Border Authority" are another publisher's count; "a 73
    percent increase over Fiscal Year 2018" dates the increase's base, not the amount before
    it."""
    from borderflow.claims.extract import MentionFinder
    from borderflow.claims.frames import base_of_another
    from borderflow.claims.lexicon import fold, load_lexicon
    from borderflow.claims.when import read_time

    text = (
        "Numbers from the New Mexico Border Authority report that in 2012 the Santa Teresa Port "
        "of Entry processed 81,339 commercial trucks."
    )
    (claim,) = claims(engine, text, date(2013, 1, 15))
    assert claim["verdict"] == "unverifiable", claim["reason"]
    assert "border or bridge authority" in str(claim["reason"])
    folded = fold("Nearly 101,000 pounds of cocaine (a 73 percent increase over Fiscal Year 2018)")
    amount = MentionFinder(load_lexicon()).find(folded)[0]
    (year,) = read_time(folded, date(2019, 10, 29)).periods
    assert base_of_another(folded, amount, year)


def test_a_year_beside_a_laws_name_of_another_rule_is_not_the_laws(engine: Engine) -> None:
    """ "La Ley Halt Fentanyl hace permanente una regla de emergencia de 2018 … por posesión de
    la droga": 2018 is the rule's, and "posesión" holds no "sesión" (a meeting)."""
    text = (
        "La Ley Halt Fentanyl hace permanente una regla de emergencia de 2018 que clasifica las "
        "imitaciones de fentanilo como sustancias controladas por el Anexo I, lo que resulta en "
        "oraciones más duras por posesión de la droga."
    )
    found = claims(engine, text, date(2025, 6, 13))
    assert "contradicted" not in [c["verdict"] for c in found], [c["reason"] for c in found]
