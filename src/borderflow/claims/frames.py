"""Claim frames: each number of a sentence bound to its own clause, period and comparison base.

A sentence often states several figures, each with its own frame: "rose from 9,800 to 15,200
pounds between FY2021 and FY2022" puts the first number in FY2021 and the second in FY2022;
"300 pounds — about 1.7% — came through the northern border" makes the percentage a share of
the total just stated, not a change; "18% below the 5,000 seized a year earlier" compares with a
figure the sentence itself states. ``bind_frames`` reads these constructions with the cue words
of ``data/frames.toml`` and gives each mention a ``Frame``:

- ``clause``: the span of the sentence the number belongs to (split at ";", "compared with",
  "while", "mientras que", "frente a", and ", and" / ", y");
- ``period``: the period written in its clause, or its side of a pair of periods;
- ``base``: ``year_ago`` (default for a change), ``previous`` (month-on-month), ``years_ago``
  (``base_years`` earlier), ``stated`` (a figure of the text: ``stated_base``), ``whole`` (a
  share of the total just stated: ``whole``);
- ``per``: ``day``, ``month`` or ``year`` for rates ("every year", "al mes", "al día");
- ``ambiguous``: why the binding is uncertain — a claim so framed is never called contradicted.
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from borderflow.claims.extract import Mention
from borderflow.claims.lexicon import phrase_pattern
from borderflow.claims.when import PeriodRef, TimeFrame

#: Words for small numbers in "two years before", "hace tres años".
SMALL_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
    "nueve": 9, "diez": 10,
}  # fmt: skip
WEIGHTS = {"lb": 1.0, "kg": 2.20462, "short_ton": 2000.0, "t": 2204.62}


@dataclass
class Frame:
    """How one mention is read: its clause, period, comparison base and doubts."""

    clause: tuple[int, int]
    period: PeriodRef | None = None
    base: str | None = None
    base_years: int = 1
    per: str | None = None
    stated_base: Mention | None = None
    whole: tuple[float, float] | None = None  # (part, total) stated, in one unit
    pair: tuple[Mention, Mention] | None = None  # A and B of a stated change
    ambiguous: list[str] = field(default_factory=list)
    in_contrast: bool = False  # the clause opens with "compared with", "frente a"…


@dataclass(frozen=True)
class Cues:
    """The compiled cue words of ``data/frames.toml``."""

    tables: dict[str, Any]

    @functools.cached_property
    def patterns(self) -> dict[str, re.Pattern[str]]:
        out = {}
        for name, table in self.tables.items():
            if name == "publishers":
                continue
            words = [str(p) for phrases in table.values() for p in phrases]
            out[name] = re.compile(phrase_pattern(words))
        out["contrast"] = re.compile(phrase_pattern(self.tables["clause_breaks"]["contrast"]))
        out["parallel"] = re.compile(phrase_pattern(self.tables["clause_breaks"]["parallel"]))
        conj = phrase_pattern(self.tables["clause_breaks"]["conjunctions"])
        out["conjunction"] = re.compile(rf",\s*{conj}")
        return out

    def find(self, name: str, text: str) -> re.Match[str] | None:
        return self.patterns[name].search(text)

    def publishers(self) -> dict[str, dict[str, Any]]:
        return dict(self.tables["publishers"])

    @functools.cached_property
    def publisher_patterns(self) -> dict[str, re.Pattern[str]]:
        return {
            key: re.compile(phrase_pattern([str(p) for p in spec["phrases"]]))
            for key, spec in self.publishers().items()
        }


@functools.cache
def load_cues() -> Cues:
    text = resources.files("borderflow.claims").joinpath("data/frames.toml").read_text("utf-8")
    return Cues(tomllib.loads(text))


def clause_breaks(folded: str, cues: Cues, time: TimeFrame | None = None) -> list[tuple[int, bool]]:
    """Offsets where a clause starts, each with whether it opens with a contrast word; never
    inside a period ("between October 1, 2022, and January 31, 2023")."""
    out = [(m.end(), False) for m in re.finditer(r";|\s[—–]\s", folded)]
    out += [(m.start(), True) for m in cues.patterns["contrast"].finditer(folded)]
    out += [(m.start(), False) for m in cues.patterns["parallel"].finditer(folded)]
    out += [(m.start(), False) for m in cues.patterns["conjunction"].finditer(folded)]
    spans = [(p.start, p.end) for p in time.periods] if time is not None else []
    return sorted(b for b in out if not any(s <= b[0] < e for s, e in spans))


def clause_of(offset: int, breaks: list[tuple[int, bool]], size: int) -> tuple[int, int, bool]:
    start, end, contrast = 0, size, False
    for at, is_contrast in breaks:
        if at <= offset:
            start, contrast = at, is_contrast
        else:
            end = at
            break
    return start, end, contrast


def bind_frames(
    folded: str,
    mentions: list[Mention],
    time: TimeFrame,
    previous_total: tuple[float, str] | None = None,
) -> list[Frame]:
    """A frame for each mention of one sentence (``folded``), in order.

    Args:
        folded: the folded sentence.
        mentions: its mentions (``MentionFinder.find``).
        time: its periods (``when.read_time``).
        previous_total: the last quantity the previous sentence stated, (value, unit): the
            whole a share in this sentence may refer to ("Of that, 300 pounds — 1.7% —").
    """
    cues = load_cues()
    breaks = clause_breaks(folded, cues, time)
    starts = tuple(x.start for x in mentions)
    frames = []
    for m in mentions:
        start, end, contrast = clause_of(m.start, breaks, len(folded))
        frame = Frame((start, end), in_contrast=contrast)
        clause = folded[start:end]
        _rates(frame, folded, m, cues)
        _bases(frame, clause, cues)
        _clause_period(frame, time, m, folded, starts)
        if cues.find("subset", clause):
            frame.ambiguous.append("subset")
        frames.append(frame)
    _pairs(folded, mentions, frames, time)
    _stated_bases(folded, mentions, frames)
    _wholes(folded, mentions, frames, previous_total, cues)
    _shares_of_stated_whole(folded, mentions, frames, previous_total, cues)
    return frames


def _rates(frame: Frame, folded: str, m: Mention, cues: Cues) -> None:
    """ "200,000 Americans every year", "1,700 pounds per month", "cada 24 horas … 81.7
    personas": a rate a year, month or day."""
    if m.kind not in ("quantity",):
        return
    after = folded[m.start + len(m.text) : min(frame.clause[1], m.start + len(m.text) + 90)]
    after = re.split(r"[;,.]\s", after)[0]
    before = re.split(r"[;,]", folded[max(frame.clause[0], m.start - 45) : m.start])[-1]
    for per, name in (("day", "per_day"), ("month", "per_month"), ("year", "per_year")):
        for window in (after, before):
            hit = cues.find(name, window)
            if hit and not re.match(
                r"\s*(?:earlier|before|ago|antes|atras|anterior|pasado)", window[hit.end() :]
            ):
                frame.per = per
                return


def _bases(frame: Frame, clause: str, cues: Cues) -> None:
    if cues.find("previous_month", clause):
        frame.base = "previous"
        return
    n = re.search(
        r"\b(\w+) (?:years? (?:before|earlier|ago|prior)|anos (?:antes|atras))|hace (\w+) anos",
        clause,
    )
    if n:
        word = n.group(1) or n.group(2)
        years = int(word) if word.isdigit() else SMALL_NUMBERS.get(word, 0)
        if 2 <= years <= 30:
            frame.base, frame.base_years = "years_ago", years


_ATTRIBUTION = re.compile(
    r"\b(?:according to|as reported in|(?:report|release|informe|reporte) (?:for|of|del?)|"
    r"segun|de acuerdo con|con datos de|released in|published in|"
    r"publicad[oa]s? en|dad[oa]s? a conocer en)\b[^;,]*"
)


def without_citations(folded: str, time: TimeFrame) -> TimeFrame:
    """The sentence's periods but those inside an attribution ("according to the CBP report
    for January", "de acuerdo con el Informe Así Estamos Juárez 2020"): a release or a report's
    title, not the period of a figure."""
    cited = [a.span() for a in _ATTRIBUTION.finditer(folded)]
    if not cited:
        return time
    kept = tuple(p for p in time.periods if not any(s <= p.start < e for s, e in cited))
    return TimeFrame(kept, time.year_ago, time.released, time.before)


def _clause_period(
    frame: Frame, time: TimeFrame, m: Mention, folded: str, starts: tuple[int, ...] = ()
) -> None:
    """The period written in the mention's own clause, else in its sentence; a period inside an
    attribution ("according to the report for January") names the release, not the figure's
    period. A number in a "compared with" clause that names no period of its own cannot take
    the main clause's period."""
    start, end = frame.clause
    cited = [a.span() for a in _ATTRIBUTION.finditer(folded)]
    periods = [p for p in time.periods if not any(s <= p.start < e for s, e in cited)]
    periods = [
        p
        for p in periods
        if not _SINCE_ONLY.search(folded[max(0, p.start - 8) : p.start])
        or (p.end <= m.start and WHEN.match(folded, p.end))  # "since 2013, when 2.4 million…"
    ]
    inside = [p for p in periods if start <= p.start and p.end <= end]
    own_inside = [
        p
        for p in inside
        if p.end <= m.start or not _THAN_BASE.search(folded[max(0, p.start - 30) : p.start])
    ]  # a base written before the figure is its period: "… de 2016, cuando se registraron 16 mil"
    if inside and not own_inside and m.kind == "change":  # "a 29% increase from the same
        frame.ambiguous.append("contrast_period")  # period in 2019": its own period is unwritten
    # "27 casos menos que en septiembre": the base, not its period; but a base written after
    # another figure is that figure's ("2 mil 644 homicidios, 26 casos más que en agosto")
    inside = own_inside or [p for p in inside if not base_of_another(folded, m, p)]
    before = tuple(time.before)
    if frame.in_contrast and not inside:
        if periods and not [b for b in before if start <= b[0] < end] and not time.year_ago:
            frame.ambiguous.append("contrast_period")
        return
    if not inside and start > 0:  # a parallel clause: the main clause's period, written before
        earlier = [p for p in periods if p.end <= start]
        if earlier:
            frame.period = earlier[-1]
            return
    stretch = segment(folded, m, frame.clause)
    if _unread_time(folded, stretch, periods):  # "9,677 en el primer cuatrimestre de …"
        frame.ambiguous.append("contrast_period")
    follows = [
        p
        for p in inside
        if stretch[0] <= p.start
        and p.end <= stretch[1]
        and not _SINCE.search(folded[max(0, p.start - 16) : p.start])
    ]
    after = [
        p
        for p in follows
        if m.start <= p.start <= m.start + len(m.text) + 50
        and not _CONJUNCTION.search(folded[m.start + len(m.text) : p.start])
    ]
    # "two pounds in fiscal 2019": the period written in the number's own segment comes first
    own = [after[0]] if after else [p for p in follows if p.end <= m.start][-1:]
    chosen = own or inside or periods
    beyond = [
        p
        for p in chosen
        if p.start >= m.start and _CONJUNCTION.search(folded[m.start + len(m.text) : p.start])
    ]
    introduces = [
        p
        for p in beyond
        if any(p.end <= x < p.end + 60 for x in starts)
        or re.search(r"\d", folded[p.end : p.end + 60])
    ]
    if not own and introduces and len(beyond) == len(chosen):  # "270 … y para septiembre 307"
        frame.ambiguous.append("contrast_period")
    if (chosen and len(chosen) < len(time.periods)) or inside:
        frame.period = TimeFrame(tuple(chosen), time.year_ago, time.released, before).nearest(
            m.start, m.start + len(m.text)
        )


_DIGIT = re.compile(r"\d")
_CONJUNCTION = re.compile(r"\b(?:y|and|while|but|pero|mientras|e)\b")
#: Spans of time the period reader does not read: the figure's period is not the sentence's.
_UNREAD_TIME = re.compile(
    r"\b(?:cuatrimestre|trimestre|semestre|bimestre|sexenio|mandato|presidencia|"
    r"administracion|first \w+ (?:days|weeks|months)|primer(?:os|as)? \w+ (?:dias|semanas|meses)|"
    r"(?:last|past|previous|preceding) \w+ (?:days|weeks|months|years)|"
    r"ultim(?:os|as) \w+ (?:dias|semanas|meses|anos)|desde que|"
    r"(?:first|second|third) year of|(?:primer|segundo|tercer) ano (?:de|del))\b"
)


def base_of_another(folded: str, m: Mention, period: PeriodRef) -> bool:
    """Whether ``period``, written after the figure ``m`` and after another figure, is the base
    that other figure is compared with ("2 mil 644 homicidios, 26 casos más que en agosto")."""
    end = m.start + len(m.text)
    return (
        period.start >= end
        and _DIGIT.search(folded, end, period.start) is not None
        and _THAN_BASE.search(folded[max(0, period.start - 30) : period.start]) is not None
    )


def _unread_time(folded: str, segment: tuple[int, int], periods: list[PeriodRef]) -> bool:
    """Whether the figure's own stretch names a span of time no period was read from."""
    found = _UNREAD_TIME.search(folded, segment[0], segment[1])
    return found is not None and not any(p.start <= found.start() < p.end for p in periods)


_SINCE_ONLY = re.compile(r"\b(?:since|desde)\s+$")
#: What follows a period that the next words date: "since 2013, when …", "desde 2018, cuando …".
WHEN = re.compile(r",?\s*(?:when|cuando|year in which|ano en (?:el )?que)\b")
_THAN_BASE = re.compile(
    r"\bsame (?:period|time|months?|quarter|stretch|span|time ?frame) (?:in|of)\s+$|"
    r"\bmismo (?:periodo|lapso|mes|trimestre) (?:de|del)\s+$|"
    r"(?:\bthan|\b(?:mas|menos|mayor|menor|superior|inferior)\s+(?:\w+\s+)?(?:que|a)|"
    r"\brespecto a|\bfrente a|\bcompared (?:to|with)|"
    # "a 73 percent increase over Fiscal Year 2018"
    r"\b(?:increase|decrease|rise|jump|drop|decline|growth|gain|fall|aumento|incremento|alza|"
    r"caida|baja|disminucion)\s+(?:over|from|on|sobre))\s+(?:(?:in|en|the|el|la|del?|al)\s+)*$"
)
_SINCE = re.compile(r"\b(?:since|desde|from|de|than|que|a)\s+(?:(?:in|en|the|el|la)\s+)*$")


def segment(folded: str, m: Mention, clause: tuple[int, int]) -> tuple[int, int]:
    """The comma-delimited stretch of the clause around the mention (a comma inside a number
    or a date does not end it)."""
    cuts = [c.start() for c in re.finditer(r"(?<!\b\d,)(?<!\b\d\d,)(?<=,)\s", folded)]
    cuts = [c - 1 for c in cuts]
    start = max((c + 1 for c in cuts if c < m.start), default=clause[0])
    end = min((c for c in cuts if c >= m.start + len(m.text)), default=clause[1])
    return max(start, clause[0]), min(end, clause[1])


_PAIR_BETWEEN = re.compile(r"^[^;.]{0,45}?\b(?:to|a|hasta|al)\s+(?:\w+\s+){0,2}$")
_PAIR_BEFORE = re.compile(
    r"\b(?:from|de|desde|del)\s+(?:(?:a|an|the|el|la|los|las|unos|unas)\s+)?$"
)


def _pairs(folded: str, mentions: list[Mention], frames: list[Frame], time: TimeFrame) -> None:
    """ "from A to B … between P1 and P2" / "de A a B": A takes the earlier period, B the later;
    a change stated with them is checked against A and B."""
    quantities = [(i, m) for i, m in enumerate(mentions) if m.kind == "quantity"]
    for (i, a), (j, b) in itertools.pairwise(quantities):
        between = folded[a.start + len(a.text) : b.start]
        if not (_PAIR_BEFORE.search(folded[max(0, a.start - 12) : a.start])
                and _PAIR_BETWEEN.match(between)):  # fmt: skip
            continue
        periods = sorted(
            (p for p in time.periods if p.kind in ("fiscal_year", "calendar_year", "month")),
            key=lambda p: p.period.removeprefix("FY"),
        )
        if len(periods) >= 2:
            frames[i].period, frames[j].period = periods[0], periods[-1]
        for k, m in enumerate(mentions):
            near = abs(m.start - a.start) < 90
            if m.kind in ("change", "multiplier") and frames[k].pair is None and near:
                frames[k].pair = (a, b)


_BASE_AFTER = re.compile(
    r"^\s*(?:(?:menor|mayor|inferior|superior|lower|higher|more|less|fewer)\s+)?"
    r"(?:below|above|under|over|than|from|compared (?:to|with)|against|versus|vs\.?|frente a|"
    r"respecto a|por debajo de|por encima de|que|a|contra|comparad[oa]s? con|on)\s+"
    r"(?:(?:the|el|la|los|las|lo)\s+)?(?:[a-z]+(?:['’]s)?\s+){0,5}?\(?\s*$"
)


def _stated_bases(folded: str, mentions: list[Mention], frames: list[Frame]) -> None:
    """ "18% below the 5,000 seized a year earlier": the change is against the stated 5,000,
    and its current value is the quantity stated before it."""
    for k, m in enumerate(mentions):
        if m.kind not in ("change",):
            continue
        later = [x for x in mentions[k + 1 :] if x.kind == "quantity"]
        if not later:
            continue
        base = later[0]
        if not _BASE_AFTER.match(folded[m.start + len(m.text) : base.start]):
            continue
        current = [x for x in mentions[:k] if x.kind == "quantity" and _same_family(x, base)]
        if current:
            frames[k].stated_base = base
            frames[k].pair = (base, current[-1])


def _wholes(
    folded: str,
    mentions: list[Mention],
    frames: list[Frame],
    previous_total: tuple[float, str] | None,
    cues: Cues,
) -> None:
    """A percentage right after an amount ("300 pounds — about 1.7% —", "17,100 pounds (95%)")
    or after "of that" / "del total" is a share of the total just stated."""
    last: Mention | None = None
    for k, m in enumerate(mentions):
        if m.kind == "quantity":
            last = m
            continue
        if m.kind not in ("change", "share") or last is None:
            continue
        gap = folded[last.start + len(last.text) : m.start]
        aside = re.fullmatch(
            r"[^\w]{0,4}\s*(?:(?:or|o|about|around|some|roughly|nearly|almost|alrededor de(?:l)?|"
            r"cerca de(?:l)?|casi|aproximadamente|o sea|es decir|equivalente a(?:l)?)\s+)*"
            r"(?:el\s+)?",
            gap,
        ) or cues.find("whole_refs", gap + " " + m.object_text[:20])
        if not aside or _CHANGE_AFTER.match(m.object_text[:30]):
            continue
        part = in_unit_family(last)
        totals = _stated_totals(mentions[:k], previous_total)
        whole = [t for t in totals if t[1] == _family(last.unit) and t[0] > part * 1.0001]
        if whole:
            frames[k].base = "whole"
            frames[k].whole = (part, whole[0][0])


def _shares_of_stated_whole(
    folded: str,
    mentions: list[Mention],
    frames: list[Frame],
    previous_total: tuple[float, str] | None,
    cues: Cues,
) -> None:
    """ "… 47,000 deaths … in 2017. More than half of those deaths, 28,000, involved synthetic
    opioids": a share word pointing back at the total just stated, with its part right after."""
    for k, m in enumerate(mentions[:-1]):
        after = mentions[k + 1]
        if m.kind != "share" or frames[k].base == "whole" or after.kind != "quantity":
            continue
        gap = folded[m.start + len(m.text) : after.start]
        if len(gap) > 40 or not cues.find("whole_refs", folded[m.start : after.start]):
            continue
        stated = [
            t
            for t in _stated_totals(mentions[:k], previous_total)
            if t[0] > in_unit_family(after) * 1.0001
        ]
        if stated:
            frames[k].base = "whole"
            frames[k].whole = (in_unit_family(after), stated[-1][0])


def _stated_totals(
    before: list[Mention], previous_total: tuple[float, str] | None
) -> list[tuple[float, str]]:
    """The amounts a share may be of, in text order: the previous sentence's largest, then
    each quantity stated before it, as (value in its family's unit, family)."""
    stated = [(in_unit_family(x), _family(x.unit)) for x in before if x.kind == "quantity"]
    return [previous_total, *stated] if previous_total else stated


_CHANGE_AFTER = re.compile(
    r"\s*(?:more|less|fewer|higher|lower|above|below|up|down|increase|decrease|rise|drop|than|"
    r"mas|menos|arriba|abajo|por encima|por debajo|respecto|aumento|disminucion|caida|alza)\b"
)


def _family(unit: str) -> str:
    return "weight" if unit in WEIGHTS else unit


def in_unit_family(m: Mention) -> float:
    return m.number.value * WEIGHTS.get(m.unit, 1.0)


def _same_family(a: Mention, b: Mention) -> bool:
    return _family(a.unit) == _family(b.unit)


def arithmetic_change(a: Mention, b: Mention) -> float | None:
    """The percent change from ``a`` to ``b`` as stated (weights in one unit)."""
    if not _same_family(a, b):
        return None
    first = in_unit_family(a)
    return None if first == 0 else 100.0 * (in_unit_family(b) / first - 1.0)


def publisher_named(folded: str, topic: str | None = None) -> tuple[str, dict[str, Any]] | None:
    """The other publisher a sentence names (INEGI, DEA, the Mexican government), if any; with
    ``topic``, the first whose series are of that topic (INEGI's homicides or its census)."""
    cues = load_cues()
    for key, pattern in cues.publisher_patterns.items():
        spec = cues.publishers()[key]
        if topic is not None and topic not in spec["topics"]:
            continue
        unless = spec.get("unless")
        if pattern.search(folded) and not (unless and _any_of(tuple(unless)).search(folded)):
            return key, spec
    return None


def publishers_in(folded: str) -> list[dict[str, Any]]:
    """Every other publisher a text names (``publisher_named`` for each), for the figures of
    the whole article: one named in a later sentence ("… 35 mil 625 homicidios … Al dar a conocer
    la información, el INEGI …") may be the source of an earlier figure."""
    cues = load_cues()
    return [
        cues.publishers()[key]
        for key, pattern in cues.publisher_patterns.items()
        if pattern.search(folded)
    ]


def holds_own_record(spec: dict[str, Any], folded: str) -> bool:
    """Whether ``folded`` names the warehouse's own publisher (the spec's ``unless`` words)."""
    unless = tuple(spec.get("unless") or ())
    return bool(unless) and bool(_any_of(unless).search(folded))


@functools.lru_cache(maxsize=64)
def _any_of(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(phrase_pattern(list(phrases)))


def previous_total(mentions: list[Mention]) -> tuple[float, str] | None:
    """The largest quantity a sentence states, (value in its family's unit, family)."""
    amounts = [(in_unit_family(m), _family(m.unit)) for m in mentions if m.kind == "quantity"]
    return max(amounts, default=None)
