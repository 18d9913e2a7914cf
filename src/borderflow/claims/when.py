"""Time in a claim: the periods a sentence names, read against the publication date.

"FY2023", "fiscal year 2023", "año fiscal 2023" are fiscal years (October–September); "in 2022"
is a calendar year; "December 2023" a month; "the 12 months ending June 2024" a 12-month-ending
period. Relative phrases — "last fiscal year", "so far this year", "el año pasado" — are read
from the publication date. "The same period last year" asks for a year-ago comparison, and
"data released in December 2023" dates the data, so a change is read for the fiscal year to date
through that month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from borderflow.claims.document import MONTHS
from borderflow.claims.spans import Taken
from borderflow.metrics.periods import add_months, fiscal_year_of

_M = "|".join(sorted(MONTHS, key=len, reverse=True))
_Y = r"((?:19|20)\d\d)"


@dataclass(frozen=True)
class PeriodRef:
    """A period named in a sentence, as text the metrics layer parses (``FY2023``, ``2022``)."""

    start: int
    end: int
    period: str
    kind: str  # fiscal_year, fiscal_ytd, calendar_year, calendar_ytd, month, twelve_month_ending


@dataclass(frozen=True)
class TimeFrame:
    """Everything a sentence says about time."""

    periods: tuple[PeriodRef, ...]
    year_ago: bool  # "same period last year", "interanual"
    released: date | None  # "data released in December 2023"
    before: tuple[tuple[int, int], ...] = ()  # spans of "the year before", "un año antes"
    after: tuple[tuple[int, int], ...] = ()  # spans of "the following year", "al año siguiente"

    def nearest(
        self, offset: int, end: int | None = None, *, shift: bool = True
    ) -> PeriodRef | None:
        """The period written closest to ``offset`` (ties go to the one after it).

        "14,700 pounds the year before" in a sentence about FY2023 reads as FY2022.
        """
        if not self.periods:
            return None

        last = offset if end is None else end

        def distance(span: tuple[int, int]) -> tuple[int, int]:
            gap = max(span[0] - last, offset - span[1], 0)
            return gap, -span[0]

        best = min(self.periods, key=lambda p: distance((p.start, p.end)))
        if not shift:
            return best
        for spans, years in ((self.before, -1), (self.after, 1)):
            apart = [b for b in spans if b[1] <= best.start or b[0] >= best.end]
            near = min(apart, key=distance, default=None)
            if near is not None and distance(near) < distance((best.start, best.end)):
                moved = years_later(best.period, years)
                return PeriodRef(near[0], near[1], moved, best.kind) if moved else None
        return best

    def following(self, period: PeriodRef) -> PeriodRef | None:
        """``period`` a year on when the sentence says "the following year" of it (a period
        remembered from the sentence before), else ``period``."""
        if not self.after:
            return period
        moved = years_later(period.period, 1)
        return PeriodRef(period.start, period.end, moved, period.kind) if moved else None


def year_before(period: str) -> str | None:
    """The same period a year earlier, as text: FY2023 → FY2022, 2023-12 → 2022-12."""
    return years_later(period, -1)


def years_later(period: str, years: int) -> str | None:
    """The same period ``years`` later (earlier when negative), as text: FY2019 → FY2020."""
    m = re.fullmatch(r"(FY|12ME )?(\d{4})(-\d\d)?", period)
    if not m:
        return None
    return f"{m.group(1) or ''}{int(m.group(2)) + years}{m.group(3) or ''}"


_BEFORE = re.compile(
    r"the (?:fiscal )?year before|the (?:previous|prior|preceding) (?:fiscal )?year"
    r"|a year (?:earlier|before)|un ano antes|el ano (?:fiscal )?(?:anterior|previo)"
)
_AFTER = re.compile(
    r"the (?:following|next|subsequent) (?:fiscal )?year|a year later|un ano (?:despues|mas tarde)"
    r"|(?:al|el) ano (?:fiscal )?(?:siguiente|posterior)"
)
_YEAR_AGO = re.compile(
    r"same (?:period|time|months?|quarter) "
    r"(?:last|a|the previous|the prior|of the previous|of last) year"
    r"|same (?:period|time|months?|quarter|stretch|span|time ?frame) (?:in|of) (?=(?:19|20)\d\d)"
    r"|mismo (?:periodo|lapso|mes|trimestre) (?:de|del) (?=(?:19|20)\d\d)"  # the year stays
    r"|year[- ]over[- ]year|a year (?:earlier|before|ago)|from the year before"
    r"|compared (?:to|with) "
    r"(?:last|the previous|the prior) year|mismo (?:periodo|lapso|mes) del? ano (?:pasado|anterior)"
    r"|interanual|a tasa anual|respecto al? (?:ano pasado|ano anterior)"
    r"|comparad[oa]s? con el ano (?:pasado|anterior)"
)
_RELEASED = re.compile(
    rf"(?:released|published|issued|publicad[oa]s?|divulgad[oa]s?|dad[oa]s? a conocer)\s+"
    rf"(?:by [^,;]{{0,80}}?\s+|por [^,;]{{0,80}}?\s+)?(?:in|en)\s+({_M})\s+(?:de\s+|del\s+)?{_Y}"
)


def _fiscal(m: re.Match[str], published: date) -> str:
    year = int(m.group(1))
    return f"FY{year + 2000 if year < 100 else year}"


def _last_fy(m: re.Match[str], published: date) -> str:
    return f"FY{fiscal_year_of(published) - 1}"


def _this_fy(m: re.Match[str], published: date) -> str:
    """Fiscal year to date as the article knew it: through the month before publication."""
    last = add_months(published.replace(day=1), -1)
    first = date(fiscal_year_of(last) - 1, 10, 1)
    return f"{first:%Y-%m}..{last:%Y-%m}"


def _last_year(m: re.Match[str], published: date) -> str:
    return str(published.year - 1)


def _this_year(m: re.Match[str], published: date) -> str:
    last = add_months(published.replace(day=1), -1)
    end = last if last.year == published.year else published
    return f"{published.year}-01..{end:%Y-%m}"


def _year_so_far(m: re.Match[str], published: date) -> str:
    """ "En lo que va de 2022", "so far in 2022", "2022 to date": that year through the month
    before publication (or all of it, when it ended before)."""
    year = int(m.group(1) or m.group(2))
    if year >= published.year:
        return _this_year(m, published) if year == published.year else ""
    return f"{year}-01..{year}-12"


_QUARTERS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "primer": 1,
    "segundo": 2,
    "tercer": 3,
    "cuarto": 4,
}


def _quarter(m: re.Match[str], published: date) -> str:
    try:
        year = m.group(2)
    except IndexError:  # "the third quarter": the year of publication
        year = str(published.year)
    return f"{year}Q{_QUARTERS[m.group(1)]}"


_ORDINALS = {"primer": 1, "segundo": 2, "tercer": 3, "cuarto": 4, "quinto": 5, "sexto": 6}


def _bimester(m: re.Match[str], published: date) -> str:
    """ "El primer bimestre de 2025": January–February; with no year, the year of
    publication."""
    try:
        year = int(m.group(2))
    except IndexError:  # no year written (the match keeps only the groups that matched)
        year = published.year
    first = 2 * _ORDINALS[m.group(1)] - 1
    return f"{year}-{first:02d}..{year}-{first + 1:02d}"


def _month(m: re.Match[str], published: date) -> str:
    return f"{m.group(2)}-{MONTHS[m.group(1)]:02d}"


def _twelve_month_ending(m: re.Match[str], published: date) -> str:
    """ "12 months ending June 2024"; "the year ending in June" with no year: the latest June
    before publication."""
    number = MONTHS[m.group(1)]
    try:
        year = m.group(2)
    except IndexError:
        year = str(published.year if number < published.month else published.year - 1)
    return f"12ME {year}-{number:02d}"


def _fiscal_so_far(m: re.Match[str], published: date) -> str:
    """ "fiscal 2021 thus far": the fiscal year through the month before publication."""
    year = int(m.group(1))
    year = year + 2000 if year < 100 else year
    last = min(add_months(published.replace(day=1), -1), date(year, 9, 1))
    return f"{year - 1}-10..{last:%Y-%m}"


def _bare_month(m: re.Match[str], published: date) -> str:
    """ "In October", with no year: the latest October before publication, or the month of
    publication itself (a story of December written in December tells of this December)."""
    number = MONTHS[m.group(1)]
    year = published.year if number <= published.month else published.year - 1
    return f"{year}-{number:02d}"


def _calendar(m: re.Match[str], published: date) -> str:
    return m.group(1)


#: After a month's name, no day of it ("March 2", "marzo 15"); a figure written right after
#: it is no day ("México contó en marzo 2.486 víctimas").
_NOT_A_DAY = r"(?!\.? ?\d{1,2}\b(?![.,]\d))"

#: (pattern, builder, kind), tried in order; a later pattern never overlaps an earlier match.
PATTERNS = (
    (
        rf"(?:12|twelve)[- ]months? (?:period )?(?:ending|ended|to|through|thru) (?:in )?"
        rf"({_M}),? {_Y}"
        rf"|12 meses (?:que (?:terminan|termino|terminaron|finalizo|finalizaron|concluyo)|"
        rf"terminados|finalizados|hasta|a) (?:en )?({_M}) (?:de |del )?{_Y}",
        _twelve_month_ending,
        "twelve_month_ending",
    ),
    (
        rf"(?:the |the past |the last )?(?:year|12[- ]month period|twelve[- ]month period) "
        rf"ending (?:in )?({_M})(?:,? {_Y})?"
        rf"|(?:el )?ano (?:que termino|terminado) en ({_M})(?: (?:de |del )?{_Y})?"
        # a day written, or no year: "12 months ending June 30", "12 meses hasta el 30 de junio"
        rf"|(?:12|twelve)[- ]months? (?:period )?(?:that |which )?"
        rf"(?:ending|ended|ends|to|through|thru|until) "
        rf"(?:in |on )?(?:the )?(?:\d{{1,2}}(?:st|nd|rd|th)? (?:of )?)?({_M})"
        rf"(?: \d{{1,2}}(?:st|nd|rd|th)?)?(?:,? {_Y})?"
        rf"|12 meses (?:que (?:terminan|termino|terminaron|finalizo|finalizaron|concluyo)|"
        rf"terminados|finalizados|hasta|a|al) (?:en )?(?:el )?(?:\d{{1,2}} de )?({_M})"
        rf"(?: (?:de |del )?{_Y})?",
        _twelve_month_ending,
        "twelve_month_ending",
    ),
    (
        r"\b(?:fy|fiscal year|fiscal|ano fiscal|ejercicio fiscal)\s*'?(\d{4}|\d{2})\s*"
        r"(?:thus far|so far|to date|hasta (?:ahora|la fecha)|en lo que va)\b",
        _fiscal_so_far,
        "fiscal_ytd",
    ),
    (
        r"\b(?:fy|fiscal year|fiscal|ano fiscal|ejercicio fiscal)\s*(?:\(fy\)\s*)?"
        r"(?:de\s+|del\s+)?'?(\d{4}|\d{2})\b",
        _fiscal,
        "fiscal_year",
    ),
    (
        r"\b(?:last|previous|past|prior) fiscal year\b|\bano fiscal (?:pasado|anterior)\b"
        r"|\bultimo ano fiscal\b|\bejercicio fiscal (?:pasado|anterior)\b",
        _last_fy,
        "fiscal_year",
    ),
    (
        r"\b(?:this|current|so far this|so far in this) fiscal year\b|\bfiscal year to date\b"
        r"|\ben lo que va del? (?:ano|ejercicio) fiscal\b|\bano fiscal (?:en curso|actual)\b",
        _this_fy,
        "fiscal_ytd",
    ),
    (  # "since last October", "desde octubre": the fiscal year to date
        r"\b(?:since|desde)\s+(?:(?:last|el pasado|pasado|el mes de)\s+)?(?:october|octubre)\b"
        r"(?!\.? ?\d)",
        _this_fy,
        "fiscal_ytd",
    ),
    (  # "since January", "desde enero": the calendar year to date
        r"\b(?:since|desde)\s+(?:(?:last|el pasado|pasado|el mes de)\s+)?(?:january|enero)\b"
        r"(?!\.? ?\d)",
        _this_year,
        "calendar_ytd",
    ),
    (
        r"(?<!same period )(?<!same time )\blast year\b"
        r"|(?<!del )\bel ano pasado\b|\bdurante el ano pasado\b",
        _last_year,
        "calendar_year",
    ),
    (  # "en lo que va de 2022", "so far in 2022", "2022 to date"
        r"\b(?:en lo que va|so far|hasta ahora|thus far)(?: (?:in|en|de|del))?(?: ano)? (20\d\d)\b"
        r"|\b(20\d\d) (?:so far|to date|thus far|hasta (?:ahora|la fecha))\b",
        _year_so_far,
        "calendar_ytd",
    ),
    (
        r"\bso far this year\b|\bthis year\b|\ben lo que va del ano\b|\beste ano\b",
        _this_year,
        "calendar_ytd",
    ),
    (
        rf"\b(first|second|third|fourth) quarter(?: (?:of |of fiscal year )?{_Y})?"
        rf"|\b(primer|segundo|tercer|cuarto) trimestre(?: (?:de |del )?(?:ano )?{_Y})?",
        _quarter,
        "quarter",
    ),
    (
        rf"\b(primer|segundo|tercer|cuarto|quinto|sexto) bimestre(?: (?:de |del )?(?:ano )?{_Y})?",
        _bimester,
        "range",
    ),
    (rf"\b({_M})\.?\s+(?:de\s+|del\s+|of\s+)?{_Y}\b", _month, "month"),
    (rf"\b{_Y}\b", _calendar, "calendar_year"),
    (rf"\b(?:in|en|during|durante|for|para|de) ({_M})\b{_NOT_A_DAY}", _bare_month, "month"),
    # "Last October", "el pasado octubre": the latest October before publication
    (rf"\b(?:last|this past|el pasado|pasado) ({_M})\b{_NOT_A_DAY}", _bare_month, "month"),
    # "this August", "este agosto": the latest August up to publication
    (rf"\b(?:this|este) ({_M})\b{_NOT_A_DAY}", _bare_month, "month"),
    # "435 millones al 2100", "by 2100": a year of the next century is a projection's
    (
        r"\b(?:by|in|until|through|al|para(?: el)?|hacia(?: el)?|hasta(?: el)?) (21\d\d)\b",
        _calendar,
        "calendar_year",
    ),
    (rf"\b({_M})['’]s\b", _bare_month, "month"),  # "January's 990 pounds"
)
#: A date as "October 1, 2022" / "Oct. 2022" (English) or "1 de octubre de 2022" (Spanish),
#: with named groups prefixed by the side of a range ("a" start, "b" end).
_D = (
    rf"(?P<{{0}}m>{_M})\.?\s+(?:(?P<{{0}}d>\d{{{{1,2}}}})(?:st|nd|rd|th)?,?\s+)?"
    rf"(?:de\s+|del\s+)?(?P<{{0}}y>(?:19|20)\d\d)"
)
_D_ES = (
    rf"(?:(?P<{{0}}d>\d{{{{1,2}}}}) de )?(?P<{{0}}m>{_M}) (?:de |del )?(?P<{{0}}y>(?:19|20)\d\d)"
)


def _ym(g: dict[str, str | None], side: str) -> date:
    return date(int(g[f"{side}y"] or 0), MONTHS[g[f"{side}m"] or ""], 1)


def _range(g: dict[str, str | None], published: date) -> str:
    first, last = _ym(g, "a"), _ym(g, "b")
    return f"{first:%Y-%m}..{last:%Y-%m}" if first <= last else ""


def _months_of_year(g: dict[str, str | None], published: date) -> str:
    year = int(g["y"] or published.year)
    first, last = date(year, MONTHS[g["am"] or ""], 1), date(year, MONTHS[g["bm"] or ""], 1)
    if first > last:
        first = first.replace(year=year - 1)
    if g["y"] is None and last > published:  # months not yet reported: the previous year's
        first, last = first.replace(year=first.year - 1), last.replace(year=last.year - 1)
    return f"{first:%Y-%m}..{last:%Y-%m}"


def _day_range(g: dict[str, str | None], published: date) -> str:
    """ "from May 1 to May 31", "del 1 de enero al 30 de abril": the months they span."""
    months = {
        "am": g.get("am") or g.get("am2"),
        "bm": g.get("bm") or g.get("bm2"),
        "y": g.get("y") or g.get("y2"),
    }
    return _months_of_year(months, published)


def _to_date(g: dict[str, str | None], published: date) -> str:
    """ "As of August 2023": the fiscal year to date through that month."""
    last = _ym(g, "b")
    return f"{date(fiscal_year_of(last) - 1, 10, 1):%Y-%m}..{last:%Y-%m}"


def _first_months(g: dict[str, str | None], published: date) -> str:
    year = int(g["y"] or published.year)
    year = year + 2000 if year < 100 else year
    word = g["n"] or ""
    n = int(word) if word.isdigit() else _NUMBER_WORDS.get(word, 0)
    if not 1 <= n <= 12:
        return ""
    first = date(year - 1, 10, 1) if g["fiscal"] else date(year, 1, 1)
    return f"{first:%Y-%m}..{add_months(first, n - 1):%Y-%m}"


def _half_year(g: dict[str, str | None], published: date) -> str:
    """ "the first half of 2023", "el segundo semestre de 2024": six months of the calendar (or
    fiscal) year."""
    year = int(g.get("y") or g.get("y2") or 0)
    second = (g.get("h") or g.get("h2")) in ("second", "segundo")
    fiscal = g.get("fiscal") or g.get("fiscal2")
    first = date(year - 1, 10, 1) if fiscal else date(year, 1, 1)
    first = add_months(first, 6) if second else first
    return f"{first:%Y-%m}..{add_months(first, 5):%Y-%m}"


def _half_this_year(g: dict[str, str | None], published: date) -> str:
    """ "the first half of this fiscal year", "el primer semestre del año en curso": of the
    (fiscal) year the page was published in."""
    fiscal = g.get("fiscal") or (g.get("fiscal2") or "").startswith(("ano fiscal", "ejercicio"))
    year = fiscal_year_of(published) if fiscal else published.year
    return _half_year({**g, "y": str(year), "fiscal": "fiscal" if fiscal else None}, published)


_NUMBER_WORDS = {
    w: i
    for i, ws in enumerate(
        [
            (),
            ("one", "un", "uno"),
            ("two", "dos"),
            ("three", "tres"),
            ("four", "cuatro"),
            ("five", "cinco"),
            ("six", "seis"),
            ("seven", "siete"),
            ("eight", "ocho"),
            ("nine", "nueve"),
            ("ten", "diez"),
            ("eleven", "once"),
        ]
    )
    for w in ws
}

#: Spans of time written as ranges; tried before single periods.
RANGES = (
    (
        rf"(?:between|from)\s+{_D.format('a')},?\s+(?:and|through|to|until|thru)\s+{_D.format('b')}",
        _range,
        "range",
    ),
    (
        rf"(?:entre(?: el)?|del?)\s+{_D_ES.format('a')},?\s+(?:y(?: el)?|al?|hasta(?: el)?)\s+"
        rf"{_D_ES.format('b')}",
        _range,
        "range",
    ),
    (
        rf"(?:from|between)\s+(?:the months of\s+)?(?P<am>{_M})\.?\s+(?:to|through|and|until)\s+"
        rf"(?P<bm>{_M})\.?"
        rf"(?:,?\s+(?:of\s+)?(?P<y>(?:19|20)\d\d))?",
        _months_of_year,
        "range",
    ),
    (
        rf"(?:de|entre|durante)\s+(?P<am>{_M})\s+(?:a|y|al?)\s+(?P<bm>{_M})"
        rf"(?:\s+(?:de|del)\s+(?P<y>(?:19|20)\d\d))?",
        _months_of_year,
        "range",
    ),
    (
        rf"del?\s+(?:\d{{1,2}} de )?(?P<am>{_M})\s+(?:al?|hasta(?: el)?)\s+(?:\d{{1,2}} de )?"
        rf"(?P<bm>{_M})\s+(?:de|del)\s+(?P<y>(?:19|20)\d\d)",
        _months_of_year,
        "range",
    ),
    (
        rf"(?:from|between)\s+(?P<am>{_M})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+"
        rf"(?:to|through|thru|and|until|-)\s+(?P<bm>{_M})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?"
        rf"(?:,?\s+(?P<y>(?:19|20)\d\d))?"
        rf"|del?\s+\d{{1,2}}\s+de\s+(?P<am2>{_M})\s+al?\s+\d{{1,2}}\s+de\s+(?P<bm2>{_M})"
        rf"(?:\s+(?:de|del)\s+(?P<y2>(?:19|20)\d\d))?",
        _day_range,
        "range",
    ),
    (
        rf"(?:as of|through|thru|until|hasta(?: el mes de)?|al cierre de)\s+{_D.format('b')}",
        _to_date,
        "fiscal_ytd",
    ),
    (
        rf"(?P<am>{_M})\s*[-–]\s*(?P<bm>{_M})\.?,?\s+(?:de\s+|del\s+)?(?P<y>(?:19|20)\d\d)",
        _months_of_year,
        "range",
    ),
    (
        r"(?:first|primeros)\s+(?P<n>\d+|[a-z]+)\s+(?:months|meses)\s+(?:of\s+the|of\s+this|"
        r"del|de\s+este)\s+(?:year|ano)\b",
        _first_months,
        "range",
    ),
    (
        r"(?:first|primeros)\s+(?P<n>\d+|[a-z]+)\s+(?:months|meses)\s+(?:of|del?)\s+(?:the\s+)?"
        r"(?P<fiscal>fiscal year|fy|ano fiscal|ejercicio fiscal)?\s*'?(?P<y>\d{4}|\d{2})\b",
        _first_months,
        "range",
    ),
    (
        r"(?P<h>first|second) half of (?:the )?(?P<fiscal>fiscal year |fy ?)?(?P<y>(?:19|20)\d\d)\b"
        r"|(?P<h2>primer|segundo) semestre (?:de |del )?(?:(?P<fiscal2>ano fiscal|ejercicio fiscal)"
        r" |ano )?(?P<y2>(?:19|20)\d\d)\b",
        _half_year,
        "range",
    ),
    (
        r"(?P<h>first|second) half of (?:this|the current) (?P<fiscal>fiscal )?year\b"
        r"|(?P<h2>primer|segundo) semestre (?:de este|del presente|del) "
        r"(?P<fiscal2>ano fiscal|ejercicio fiscal|ano)(?: en curso)?\b"
        r"(?! (?:de |del )?(?:19|20)\d\d)",
        _half_this_year,
        "range",
    ),
)
_RANGES_COMPILED = tuple((re.compile(p), build, kind) for p, build, kind in RANGES)


def _read_ranges(folded: str, published: date, taken: Taken) -> list[PeriodRef]:
    refs = []
    for pattern, build, kind in _RANGES_COMPILED:
        for m in pattern.finditer(folded):
            g = {"y": None, "fiscal": None, **m.groupdict()}
            try:
                period = build(g, published)
            except (KeyError, ValueError):
                continue
            if period and not taken.overlaps(m.span()):
                taken.add(m.span())
                refs.append(PeriodRef(m.start(), m.end(), period, kind))
    return refs


_COMPILED = tuple((re.compile(p), build, kind) for p, build, kind in PATTERNS)


def read_time(folded: str, published: date) -> TimeFrame:
    """The periods, year-ago comparison and data-release date written in a folded sentence."""
    taken = Taken(len(folded))  # periods read, and the phrases that are not periods
    refs: list[PeriodRef] = _read_ranges(folded, published, taken)
    excluded = [m.span() for m in _YEAR_AGO.finditer(folded)]
    released = _RELEASED.search(folded)
    if released:
        excluded.append(released.span())
    for span in excluded:
        taken.add(span)
    for pattern, build, kind in _COMPILED:
        for m in pattern.finditer(folded):
            if taken.overlaps(m.span()):
                continue
            groups = [g for g in m.groups() if g]
            needs_group = (
                _month,
                _twelve_month_ending,
                _fiscal,
                _fiscal_so_far,
                _calendar,
                _quarter,
                _bare_month,
            )
            if not groups and build in needs_group:
                continue
            match = _Compact(m, groups)
            taken.add(m.span())
            refs.append(PeriodRef(m.start(), m.end(), build(match, published), kind))  # type: ignore[arg-type]
    release_day = date(int(released.group(2)), MONTHS[released.group(1)], 1) if released else None
    return TimeFrame(
        tuple(sorted(refs, key=lambda r: r.start)),
        bool(excluded and _YEAR_AGO.search(folded)),
        release_day,
        tuple(m.span() for m in _BEFORE.finditer(folded)),
        tuple(m.span() for m in _AFTER.finditer(folded)),
    )


class _Compact:
    """A match whose groups are the non-empty ones, so alternations share builders."""

    def __init__(self, match: re.Match[str], groups: list[str]) -> None:
        self.match, self.groups = match, groups

    def group(self, index: int) -> str:
        return self.groups[index - 1]


def latest_day(published: date) -> date:
    """The last day a text may have been published: a date on the 1st of a month is taken as
    known to the month only (the convention of the evaluation sets when the day is unknown)."""
    if published.day != 1:
        return published
    following = date(published.year + published.month // 12, published.month % 12 + 1, 1)
    return following - timedelta(days=1)
