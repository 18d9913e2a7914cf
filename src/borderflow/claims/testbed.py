"""A generated test bed for the claim checker: claims composed from the warehouse's own figures.

Every construction the checker reads (a level; paired values and periods; part of a stated
whole; a change against a figure in the same sentence; month-on-month chains; clauses split at
"while" / "mientras que"; a place named once and implied after; rates a year and a day;
multipliers; another publisher's series; arithmetic inside the claim) is written in English and
Spanish, in a true and a false variant (the figures off by 15–60%), with U.S. and Mexican number
styles ("9,593", "9.593", "9 mil 593"). The figures come from the metrics ``Engine`` — never from
the checker — so the test bed measures the checker against the record, not against itself.

This module is not part of the checker: it only calls ``check_text`` and compares the verdict
with the one the composition implies.

    python -m borderflow.claims.testbed --db FILE      # score, and list the misses
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from borderflow.claims.check import check_text
from borderflow.config import resolve_db_path
from borderflow.errors import BorderflowError
from borderflow.metrics import Engine, Query, get_measure

#: Published dates: late enough that every period used was released before them.
PUBLISHED = date(2025, 6, 15)
SEED = 12


@dataclass(frozen=True)
class Case:
    """One composed statement and the verdict the record implies for it."""

    id: str
    construction: str
    lang: str
    style: str
    text: str
    expected: str  # supported, contradicted or unverifiable
    published: date = PUBLISHED


@dataclass
class Figures:
    """The official figures the cases are built from, asked of the metrics layer."""

    engine: Engine

    def value(self, measure: str, period: str, **where: str) -> float:
        rows = self.engine.run(
            Query(measure, period, where={k: (v,) for k, v in where.items()})
        ).rows
        return float(rows["value"].iloc[0])

    def status(self, measure: str, period: str, status: str, **where: str) -> float:
        query = Query(measure, period, where={k: (v,) for k, v in where.items()}, status=status)
        return float(self.engine.run(query).rows["value"].iloc[0])


# -- number styles ----------------------------------------------------------------------------


def us(n: float) -> str:
    """27,023"""
    return f"{round(n):,}"


def dotted(n: float) -> str:
    """27.023 (Spanish grouping with points)"""
    return f"{round(n):,}".replace(",", ".")


def mil(n: float) -> str:
    """27 mil 23, and mil 349 for 1,349 (Mexican press style); under 1,000 as digits."""
    whole = round(n)
    thousands, rest = divmod(whole, 1000)
    if not thousands:
        return str(rest)
    head = "mil" if thousands == 1 else f"{thousands} mil"
    return f"{head} {rest}" if rest else head


STYLES_EN: dict[str, Callable[[float], str]] = {"us": us}
STYLES_ES: dict[str, Callable[[float], str]] = {"us": us, "dotted": dotted, "mil": mil}


def pct(x: float) -> str:
    return f"{abs(x):.0f}"


def off(value: float, rng: random.Random) -> float:
    """``value`` moved by 15–60%, up or down."""
    factor = rng.uniform(0.15, 0.60)
    return value * (1 + factor if rng.random() < 0.5 else 1 - factor)


# -- constructions ----------------------------------------------------------------------------
# Each builder yields (lang, style, text, expected) for the true and false variants.

Built = Iterator[tuple[str, str, str, str]]


def level(f: Figures, rng: random.Random) -> Built:
    fy23 = f.value("seized_lb", "FY2023", drug="Fentanyl")
    for truth, x in (("supported", fy23), ("contradicted", off(fy23, rng))):
        yield "en", "us", f"In fiscal year 2023, CBP seized {us(x)} pounds of fentanyl.", truth
        for style, fmt in STYLES_ES.items():
            yield (
                "es",
                style,
                f"En el año fiscal 2023, la CBP decomisó {fmt(x)} libras de fentanilo.",
                truth,
            )


DRUGS = {"Fentanyl": "fentanilo", "Methamphetamine": "metanfetamina", "Cocaine": "cocaína"}
STATES = {"11": "Guanajuato", "14": "Jalisco", "08": "Chihuahua", "02": "Baja California"}


def level_series(f: Figures, rng: random.Random) -> Built:
    """Levels across drugs, fiscal years and Mexican states."""
    for drug, droga in DRUGS.items():
        for fy in (2021, 2022, 2024):
            value = f.value("seized_lb", f"FY{fy}", drug=drug)
            for truth, x in (("supported", value), ("contradicted", off(value, rng))):
                yield (
                    "en",
                    "us",
                    f"CBP seized {us(x)} pounds of {drug.lower()} in fiscal year {fy}.",
                    truth,
                )
                fmt = (dotted, mil)[fy % 2]
                yield (
                    "es",
                    fmt.__name__,
                    f"La CBP decomisó {fmt(x)} libras de {droga} en el año fiscal {fy}.",
                    truth,
                )
    for code, name in STATES.items():
        value = f.value("homicide_victims", "2022", mx_state=code)
        for truth, x in (("supported", value), ("contradicted", off(value, rng))):
            yield (
                "es",
                "mil",
                f"En 2022, {name} registró {mil(x)} víctimas de homicidio doloso.",
                truth,
            )
            yield (
                "en",
                "us",
                f"In 2022, {name} recorded {us(x)} victims of intentional homicide.",
                truth,
            )


def paired(f: Figures, rng: random.Random) -> Built:
    a, b = (f.value("seized_lb", p, drug="Fentanyl") for p in ("FY2022", "FY2023"))
    for truth, (x, y) in (("supported", (a, b)), ("contradicted", (a, off(b, rng)))):
        yield (
            "en",
            "us",
            f"Fentanyl seizures by CBP rose from {us(x)} to {us(y)} pounds between fiscal year "
            "2022 and fiscal year 2023.",
            truth,
        )
        for style, fmt in STYLES_ES.items():
            yield (
                "es",
                style,
                f"Los decomisos de fentanilo de la CBP pasaron de {fmt(x)} a {fmt(y)} libras "
                "entre el año fiscal 2022 y el año fiscal 2023.",
                truth,
            )


def whole_share(f: Figures, rng: random.Random) -> Built:
    total = f.value("seized_lb", "FY2023", drug="Fentanyl")
    swb = f.value("seized_lb", "FY2023", drug="Fentanyl", region="Southwest Border")
    for truth, part in (("supported", swb), ("contradicted", off(swb, rng))):
        share = f"{100 * round(part) / round(total):.0f}"
        yield (
            "en",
            "us",
            f"In fiscal year 2023, CBP seized {us(total)} pounds of fentanyl. Of that, "
            f"{us(part)} pounds, about {share}%, were seized at the Southwest Border.",
            truth,
        )
        for style, fmt in STYLES_ES.items():
            yield (
                "es",
                style,
                f"En el año fiscal 2023, la CBP decomisó {fmt(total)} libras de fentanilo. De "
                f"ellas, {fmt(part)} libras, alrededor del {share}%, se decomisaron en la "
                "frontera suroeste.",
                truth,
            )


def stated_base(f: Figures, rng: random.Random) -> Built:
    a, b = (f.value("seized_lb", p, drug="Fentanyl") for p in ("FY2022", "FY2023"))
    change = 100 * (round(b) / round(a) - 1)
    for truth, c in (("supported", change), ("contradicted", change * rng.uniform(1.3, 1.6))):
        yield (
            "en",
            "us",
            f"The {us(b)} pounds of fentanyl CBP seized in fiscal year 2023 are {pct(c)}% "
            f"above the {us(a)} pounds seized a year earlier.",
            truth,
        )
        yield (
            "es",
            "us",
            f"Las {us(b)} libras de fentanilo que la CBP decomisó en el año fiscal 2023 son "
            f"{pct(c)}% más que las {us(a)} libras decomisadas un año antes.",
            truth,
        )


def month_on_month(f: Figures, rng: random.Random) -> Built:
    march, april = (f.value("seized_lb", p, drug="Fentanyl") for p in ("2023-03", "2023-04"))
    change = 100 * (april / march - 1)
    word_en, word_es = ("up", "un aumento de") if change > 0 else ("down", "una caída de")
    for truth, c in (("supported", change), ("contradicted", change * rng.uniform(1.4, 1.6))):
        yield (
            "en",
            "us",
            f"CBP seized {us(april)} pounds of fentanyl in April 2023, {word_en} {pct(c)}% "
            "from the month before.",
            truth,
        )
        yield (
            "es",
            "us",
            f"La CBP decomisó {us(april)} libras de fentanilo en abril de 2023, {word_es} "
            f"{pct(c)}% respecto al mes anterior.",
            truth,
        )


def clauses(f: Figures, rng: random.Random) -> Built:
    ofo = f.value("seized_lb", "FY2023", drug="Fentanyl", component="Office of Field Operations")
    usbp = f.value("seized_lb", "FY2023", drug="Fentanyl", component="U.S. Border Patrol")
    for truth, (x, y) in (("supported", (ofo, usbp)), ("contradicted", (ofo, off(usbp, rng)))):
        yield (
            "en",
            "us",
            f"In fiscal year 2023, the Office of Field Operations seized {us(x)} pounds of "
            f"fentanyl, while the U.S. Border Patrol seized {us(y)} pounds of fentanyl.",
            truth,
        )
        yield (
            "es",
            "mil",
            f"En el año fiscal 2023, la Oficina de Operaciones de Campo decomisó {mil(x)} libras "
            f"de fentanilo, mientras que la Patrulla Fronteriza decomisó {mil(y)} libras de "
            "fentanilo.",
            truth,
        )


def implied_place(f: Figures, rng: random.Random) -> Built:
    a = f.value("seized_lb", "FY2022", drug="Fentanyl", region="Southwest Border")
    b = f.value("seized_lb", "FY2023", drug="Fentanyl", region="Southwest Border")
    for truth, y in (("supported", a), ("contradicted", off(a, rng))):
        yield (
            "en",
            "us",
            f"At the Southwest Border, CBP seized {us(b)} pounds of fentanyl in fiscal year "
            f"2023. In fiscal year 2022, officers there seized {us(y)} pounds of fentanyl.",
            truth,
        )
        yield (
            "es",
            "dotted",
            f"En la frontera suroeste, la CBP decomisó {dotted(b)} libras de fentanilo en el año "
            f"fiscal 2023. En el año fiscal 2022, los agentes decomisaron {dotted(y)} libras de "
            "fentanilo.",
            truth,
        )


def rates(f: Figures, rng: random.Random) -> Built:
    """ "every year", "al día": the latest complete year known on the publication date (the
    last December of CDC's provisional 12-month counts released by then)."""
    last = f.engine.last_month(get_measure("overdose_deaths_12m"), None)
    last = min(last, date(PUBLISHED.year, PUBLISHED.month, 1))
    year = str(last.year if last.month == 12 else last.year - 1)
    deaths = f.status("overdose_deaths_annual", year, "provisional", cause="T40.4")
    days = 366 if int(year) % 4 == 0 else 365
    for truth, x in (("supported", deaths), ("contradicted", off(deaths, rng))):
        yield (
            "en",
            "us",
            f"Synthetic opioids such as fentanyl kill about {us(round(x, -3))} Americans every "
            "year.",
            truth,
        )
        yield (
            "es",
            "us",
            f"Los opioides sintéticos como el fentanilo matan a unas {round(x / days)} personas "
            "al día en Estados Unidos por sobredosis.",
            truth,
        )


def per_day_homicides(f: Figures, rng: random.Random) -> Built:
    victims = f.value("homicide_victims", "2023")
    for truth, x in (("supported", victims / 365), ("contradicted", off(victims / 365, rng))):
        yield (
            "es",
            "us",
            f"En 2023 se registraron en promedio {x:.0f} víctimas de homicidio doloso al día.",
            truth,
        )
        yield (
            "en",
            "us",
            f"In 2023 Mexico recorded an average of {x:.0f} homicide victims a day.",
            truth,
        )


def multipliers(f: Figures, rng: random.Random) -> Built:
    a, b = (f.value("seized_lb", p, drug="Fentanyl") for p in ("FY2019", "FY2023"))
    ratio = round(b / a, 1)
    for truth, r in (("supported", ratio), ("contradicted", round(ratio * rng.uniform(0.4, 0.6)))):
        yield (
            "en",
            "us",
            f"CBP's fentanyl seizures in fiscal year 2023 were {r} times those of fiscal year "
            "2019.",
            truth,
        )
        yield (
            "es",
            "us",
            f"Los decomisos de fentanilo de la CBP se multiplicaron por {r} entre el año fiscal "
            "2019 y el año fiscal 2023.",
            truth,
        )


def other_publisher(f: Figures, rng: random.Random) -> Built:
    victims = f.value("homicide_victims", "2023")
    for x in (victims * 1.08, off(victims, rng)):
        yield (
            "es",
            "mil",
            f"Según el INEGI, en 2023 se registraron {mil(x)} homicidios en México.",
            "unverifiable",
        )
        yield (
            "en",
            "us",
            f"According to INEGI death records, Mexico registered {us(x)} homicides in 2023.",
            "unverifiable",
        )
    yield (
        "es",
        "us",
        "El Gabinete de Seguridad informó que el gobierno de México aseguró 1,500 kilos de "
        "fentanilo en 2024.",
        "unverifiable",
    )


def arithmetic(f: Figures, rng: random.Random) -> Built:
    a, b = (f.value("seized_lb", p, drug="Fentanyl") for p in ("FY2022", "FY2023"))
    change = 100 * (round(b) / round(a) - 1)
    for truth, c in (("supported", change), ("contradicted", change * rng.uniform(0.4, 0.7))):
        yield (
            "en",
            "us",
            f"Fentanyl seizures rose {pct(c)}% from {us(a)} pounds in fiscal year 2022 to "
            f"{us(b)} pounds in fiscal year 2023.",
            truth,
        )
        yield (
            "es",
            "dotted",
            f"Los decomisos de fentanilo aumentaron {pct(c)}%, de {dotted(a)} libras en el año "
            f"fiscal 2022 a {dotted(b)} libras en el año fiscal 2023.",
            truth,
        )


def superlatives(f: Figures, rng: random.Random) -> Built:
    """ "the lowest in four years": below each of the three years before (SESNSP victims)."""
    years = {y: f.value("homicide_victims", str(y)) for y in range(2016, 2025)}
    for year in range(2019, 2025):
        before = [years[year - k] for k in (1, 2, 3)]
        value = years[year]
        for high, en, es in ((False, "lowest", "más baja"), (True, "highest", "más alta")):
            extreme = value > max(before) if high else value < min(before)
            truth = "supported" if extreme else "contradicted"
            yield (
                "en",
                "us",
                f"In {year} Mexico recorded {us(value)} victims of intentional homicide, "
                f"the {en} in four years.",
                truth,
            )
            yield (
                "es",
                "mil",
                f"En {year} se registraron {mil(value)} víctimas de homicidio doloso, "
                f"la cifra {es} en cuatro años.",
                truth,
            )


CONSTRUCTIONS: dict[str, Callable[[Figures, random.Random], Built]] = {
    "superlative": superlatives,
    "level_series": level_series,
    "level": level,
    "paired_values": paired,
    "part_of_whole": whole_share,
    "change_against_stated": stated_base,
    "month_on_month": month_on_month,
    "clause_split": clauses,
    "implied_place": implied_place,
    "rate_per_year_day": rates,
    "rate_per_day_homicides": per_day_homicides,
    "multiplier": multipliers,
    "other_publisher": other_publisher,
    "arithmetic": arithmetic,
}


def generate(engine: Engine, seed: int = SEED) -> list[Case]:
    """Every case of the test bed, from the figures ``engine`` answers."""
    rng = random.Random(seed)
    figures = Figures(engine)
    cases = []
    for name, build in CONSTRUCTIONS.items():
        for i, (lang, style, text, expected) in enumerate(build(figures, rng)):
            cases.append(Case(f"{name}-{i}", name, lang, style, text, expected))
    return cases


@dataclass
class Score:
    cases: list[tuple[Case, str]]

    @property
    def accuracy(self) -> float:
        return sum(c.expected == got for c, got in self.cases) / len(self.cases)

    @property
    def true_contradicted(self) -> list[Case]:
        return [c for c, got in self.cases if c.expected == "supported" and got == "contradicted"]

    def misses(self) -> list[tuple[Case, str]]:
        return [(c, got) for c, got in self.cases if c.expected != got]

    def by(self, key: str) -> dict[str, float]:
        groups: dict[str, list[bool]] = {}
        for c, got in self.cases:
            groups.setdefault(str(getattr(c, key)), []).append(c.expected == got)
        return {k: sum(v) / len(v) for k, v in sorted(groups.items())}


def run(engine: Engine, cases: list[Case] | None = None) -> Score:
    """Check every case; a statement is contradicted if any claim is, else supported if any is."""
    out = []
    for case in cases or generate(engine):
        report = check_text(case.text, engine, published=case.published, lang=case.lang)
        verdicts = {c.verdict for c in report.claims}
        got = next((v for v in ("contradicted", "supported") if v in verdicts), "unverifiable")
        out.append((case, got))
    return Score(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        engine = Engine.open(resolve_db_path(args.db))
    except BorderflowError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    score = run(engine)
    print(
        f"{len(score.cases)} cases; accuracy {100 * score.accuracy:.1f}%; true claims called "
        f"contradicted: {len(score.true_contradicted)}"
    )
    for key in ("construction", "lang", "style"):
        print(f"  by {key}: " + ", ".join(f"{k} {100 * v:.0f}%" for k, v in score.by(key).items()))
    for case, got in score.misses():
        print(f"  MISS {case.id} [{case.lang}] expected {case.expected}, got {got}: {case.text}")
    return 0


def as_rows(cases: list[Case]) -> list[dict[str, Any]]:
    return [c.__dict__ for c in cases]


if __name__ == "__main__":
    raise SystemExit(main())
