"""Finding checkable statements: sentences, and the numbers, changes and shares in them.

A *mention* is one checkable thing a sentence says: a quantity with a unit ("27,023 pounds",
"más de 75 mil muertes"), a percent change ("fell 52%"), a multiplier ("casi se duplicó"), or a
share ("78% of", "more than half of"). Everything is matched on folded text with the
vocabulary of ``data/lexicon.toml``; spans point into the original sentence.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, replace

from borderflow.claims.lexicon import Lexicon, fold, load_lexicon, phrase_pattern
from borderflow.claims.spans import Taken

_ABBREVIATIONS = re.compile(
    r"\b(?:U\.S(?:\.A)?|U\.N|D\.C|Dr|Mr|Mrs|Ms|Sr|Sra|Jr|St|No|Nos|Gen|Gov|Sen|Rep|Inc|Corp|Co|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|approx|aprox|EE\.\s?UU|e\.g|i\.e|etc)\.",
)
_SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"”’)]?\s+(?=[\"“¿¡(]?[A-ZÁÉÍÓÚÑ0-9])|\n+|\s*\[(?:…|\.\.\.)\]\s*"
)
_DOT = "\u2024"  # one-dot leader: stands in for abbreviation dots while splitting
_TEXT = re.compile(r"\S")

#: The longest sentence read whole, in characters. News sentences run to a few hundred; a longer
#: "sentence" (no full stop for pages, a table pasted as prose) is cut into pieces of this size,
#: so the work done per sentence is bounded and the whole check stays linear in the text.
MAX_SENTENCE_CHARS = 2_000

#: A number as written: grouped thousands ("27,023", "27.023") or plain digits, with decimals.
#: A number as written: thousands grouped by a comma, a point, a space or a no-break space
#: ("70 000", EFE's style), or not grouped; a decimal part after a point or a comma.
NUMBER = r"(?<![\w.,])(?:\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+|\d+)(?:[.,]\d+)?(?![\w])"
_PERCENT = r"\s*(?:%|percent\b|per\s+cent\b|por\s+ciento\b|porciento\b)"


@dataclass(frozen=True)
class Number:
    """A number as written and the rounding its writing implies."""

    value: float
    precision: float
    text: str


@dataclass(frozen=True)
class Mention:
    """One checkable statement inside a sentence.

    Attributes:
        kind: ``quantity``, ``change`` (percent), ``multiplier`` or ``share``.
        text: the words of the claim as written.
        start: offset of the claim in its sentence.
        number: the value as written (for a multiplier or share word, its ratio).
        unit: canonical unit key from the lexicon (quantities), ``percent`` or ``ratio``.
        qualifier: ``more_than``, ``at_least``, ``less_than``, ``about`` or None (exact).
        direction: ``up`` or ``down`` for changes, when the sentence says.
        object_text: the folded words right after the claim ("in fentanyl seizures").
    """

    kind: str
    text: str
    start: int
    number: Number
    unit: str
    qualifier: str | None = None
    direction: str | None = None
    object_text: str = ""


#: What may stand between two amounts of one list: "more than 124,000 pounds of
#: methamphetamine and 14,500 pounds of fentanyl".
_LIST_JOIN = re.compile(r"[^,;.\d]{0,60}\b(?:and|y|e)\s*")


def carry_qualifiers(folded: str, mentions: list[Mention]) -> list[Mention]:
    """A qualifier written once before a list of amounts of one unit holds for each of them
    ("more than 124,000 pounds of methamphetamine and 14,500 pounds of fentanyl")."""
    out = list(mentions)
    for i in range(1, len(out)):
        before, m = out[i - 1], out[i]
        if (
            m.kind == "quantity"
            and before.kind == "quantity"
            and m.qualifier is None
            and before.qualifier in ("more_than", "at_least", "less_than", "about")
            and m.unit == before.unit
            and _LIST_JOIN.fullmatch(folded, before.start + len(before.text), m.start)
        ):
            out[i] = replace(m, qualifier=before.qualifier)
    return out


def split_sentences(
    text: str, *, max_chars: int | None = None, cut: list[int] | None = None
) -> list[tuple[int, str]]:
    """Sentences of ``text`` with their offsets; abbreviations ("U.S.", "Dr.") do not split.

    A "sentence" longer than ``max_chars`` (default ``MAX_SENTENCE_CHARS``) — a paragraph with
    no full stop, a list of numbers, a run of links — is cut into pieces of at most that many
    characters, each at the last space (or else at the limit itself); the offset of every
    sentence so cut is appended to ``cut``.
    """
    limit = MAX_SENTENCE_CHARS if max_chars is None else max_chars
    protected = _ABBREVIATIONS.sub(lambda m: m.group(0).replace(".", _DOT), text)
    out: list[tuple[int, str]] = []
    start = 0
    for m in _SENTENCE_END.finditer(protected):
        _append(out, text, start, m.start(), limit, cut)
        start = m.end()
    _append(out, text, start, len(text), limit, cut)
    return out


def _append(
    out: list[tuple[int, str]],
    text: str,
    start: int,
    end: int,
    limit: int,
    cut: list[int] | None,
) -> None:
    first = _TEXT.search(text, start, end)
    if first is None:
        return
    start = first.start()
    end = start + len(text[start:end].rstrip())
    if end - start <= limit:
        out.append((start, text[start:end]))
        return
    if cut is not None:
        cut.append(start)
    while end - start > limit:
        space = text.rfind(" ", start + limit // 2, start + limit + 1)
        stop = space if space > start else start + limit
        out.append((start, text[start:stop].rstrip()))
        following = _TEXT.search(text, stop, end)
        if following is None:
            return
        start = following.start()
    out.append((start, text[start:end]))


def read_number(text: str, scale_word: str | None = None, extra: str | None = None) -> Number:
    """The value of a written number: "27,023", "6.3", "2,5" (Spanish), "33 mil 241"."""
    digits, decimals = _split_separators(text)
    value = float(f"{digits}.{decimals}" if decimals else digits)
    precision = 10.0 ** -len(decimals) if decimals else _place(digits)
    scale = _scale(scale_word)
    value, precision = value * scale, precision * scale
    if extra is not None:
        value += float(_split_separators(extra)[0])
        precision = _place(_split_separators(extra)[0])
    return Number(value, precision, text)


def _split_separators(text: str) -> tuple[str, str]:
    """(integer digits, decimal digits), reading "," and "." by position and group size."""
    text = re.sub(r"[\u00a0\u202f ]", ",", text)
    seps = [c for c in text if c in ",."]
    if not seps:
        return text, ""
    last = text.rfind(seps[-1])
    tail = text[last + 1 :]
    grouped = len(set(seps)) == 1 and (len(seps) > 1 or len(tail) == 3)
    if grouped:
        return re.sub(r"[,.]", "", text), ""
    return re.sub(r"[,.]", "", text[:last]), tail


def _place(digits: str) -> float:
    """The place of the last non-zero digit: 27000 → 1000, 27023 → 1, 0 → 1."""
    stripped = digits.rstrip("0")
    return 10.0 ** (len(digits) - len(stripped)) if stripped else 1.0


def _scale(word: str | None) -> float:
    if not word:
        return 1.0
    key = lexicon_key("scales", word)
    return {"thousand": 1e3, "million": 1e6, "billion": 1e9}.get(key or "", 1.0)


def lexicon_key(table: str, phrase: str) -> str | None:
    """The key of ``table`` whose phrase ``phrase`` is (spaces and accents aside)."""
    return _phrase_keys(table).get(re.sub(r"\s+", " ", fold(phrase).strip()))


@functools.cache
def _phrase_keys(table: str) -> dict[str, str]:
    """Folded phrase → key for one lexicon table, built once."""
    keys: dict[str, str] = {}
    for key, phrases in load_lexicon().table(table).items():
        for p in phrases:
            keys.setdefault(fold(str(p)), key)
    return keys


#: Words after a number that make it a span of time, not a count.
_SPAN_OF_TIME = re.compile(
    r"\s*(?:months?|years?|weeks?|days?|hours?|decades?|meses|mes|anos|ano|semanas|dias|dia|"
    r"horas|decadas)\b"
)


#: The precision, in percentage points, of a share written as a fraction in words.
WORD_SHARE_PRECISION = 10.0


class MentionFinder:
    """Finds mentions in sentences with patterns built once from the lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        qual = phrase_pattern([p for ps in lexicon.table("qualifiers").values() for p in ps])
        scale = phrase_pattern([p for ps in lexicon.table("scales").values() for p in ps])
        unit = phrase_pattern([p for ps in lexicon.table("units").values() for p in ps])
        words = [str(p) for ps in lexicon.table("number_words").values() for p in ps[1:]]
        self.number_word = {
            fold(str(w)): float(ps[0])
            for ps in lexicon.table("number_words").values()
            for w in ps[1:]
        }
        num = rf"(?P<num>{NUMBER}|{phrase_pattern(words)})"
        extra = r"(?:\s+(?P<extra>\d{1,3})(?!\d))?"
        head = rf"(?:(?P<qual>{qual})\s+)?{num}(?:\s*(?P<scale>{scale}))?{extra}"
        filler = r"(?:\s+(?:de\s+|of\s+)?(?:[a-z\-]+\s+){0,3}?)"
        self.quantity = re.compile(rf"{head}{filler}(?P<unit>{unit})")
        self.percent = re.compile(rf"{head}{_PERCENT}")
        self.bare = re.compile(head)
        self.unit = re.compile(unit)
        self.multiplier = re.compile(
            rf"(?:(?P<qual>{qual})\s+)?(?P<mult>{_all_phrases(lexicon, 'multipliers')})"
        )
        names = sorted(
            {w for w in (*self.number_word, *_FOLD_WORDS) if " " not in w}, key=len, reverse=True
        )
        alternation = "|".join(re.escape(w) for w in names)
        small = rf"(?:\d+(?:[.,]\d)?|{alternation})"
        self.multiplier_number = re.compile(
            rf"\b(?P<word>\d+|{alternation})[- ]?fold\b"
            rf"|\bmultiplic\w*\s+por\s+(?P<word2>{small})\b"
            rf"|\b(?P<word3>\d+(?:[.,]\d)?)\s+(?:times|veces)\b"
        )
        self.share = re.compile(  # not "the first half of 2023", a period
            rf"(?<!first )(?<!second )(?:(?P<qual>{qual})\s+)?"
            rf"(?P<share>{_all_phrases(lexicon, 'shares')})"
        )

    def find(self, sentence: str) -> list[Mention]:
        """Every mention in ``sentence``, in order; a percent is a change or a share, not both."""
        folded = fold(sentence)
        taken = Taken(len(folded))
        found = [
            *self._percents(sentence, folded, taken),
            *self._quantities(sentence, folded, taken),
            *self._multipliers(sentence, folded, taken),
            *self._shares(sentence, folded, taken),
        ]
        found.extend(self._bare_numbers(sentence, folded, taken))
        found.extend(self._ranks(sentence, folded))
        return carry_qualifiers(folded, sorted(found, key=lambda m: m.start))

    def _number(self, m: re.Match[str]) -> Number:
        """The value written, with the "7 millones" of "7 millones 626 mil 455" (the millions
        are read from the words just before the match)."""
        number = self._plain_number(m)
        scale = fold(m.group("scale") or "")
        if scale.startswith("millon") and m.group("extra"):  # "57 millones 135 mil personas"
            thousands = _THOUSANDS_AFTER.match(m.string, m.end("extra"))
            if thousands is not None:
                units = float(thousands.group(1) or 0)
                base = self._plain_number_value(m.group("num"))
                if base is not None:
                    value = base * 1e6 + float(m.group("extra")) * 1e3 + units
                    return Number(value, 1.0 if thousands.group(1) else 1e3, m.group("num"))
        if scale != "mil":
            return number
        before = _MILLIONS.search(m.string, max(0, m.start() - 24), m.start())
        if before is None:
            return number
        word = before.group(1)
        millions = self.number_word.get(word) or (float(word) if word.isdigit() else None)
        if millions is None:
            return number
        return Number(millions * 1e6 + number.value, number.precision, number.text)

    def _plain_number_value(self, raw: str) -> float | None:
        """A number written in digits or as a word ("57", "dos"), if it is one."""
        word = self.number_word.get(fold(raw))
        if word is not None:
            return word
        return float(raw) if raw.isdigit() else None

    def _plain_number(self, m: re.Match[str]) -> Number:
        raw = m.group("num")
        word = self.number_word.get(fold(raw))
        mil = bool(m.group("scale")) and fold(m.group("scale")) == "mil"
        if word is not None and mil:  # "dos mil 282": 2,282
            extra = m.group("extra")
            value = word * 1000 + (float(extra) if extra else 0.0)
            return Number(value, 1.0 if extra else 1000.0, raw)
        if word == 1000 and m.group("extra") and not m.group("scale"):  # "mil 349": 1,349
            return Number(1000.0 + float(m.group("extra")), 1.0, raw)
        if word is not None and m.group("extra"):  # "un 27%": the digits count
            return read_number(m.group("extra"))
        if word is not None:
            scale = _scale(m.group("scale"))
            return Number(word * scale, scale, raw)
        extra = m.group("extra") if m.group("scale") and fold(m.group("scale")) == "mil" else None
        return read_number(raw, m.group("scale"), extra)

    def _qualifier(self, m: re.Match[str]) -> str | None:
        return lexicon_key("qualifiers", m.group("qual")) if m.group("qual") else None

    def _quantities(self, sentence: str, folded: str, taken: Taken) -> list[Mention]:
        out = []
        for m in self.quantity.finditer(folded):
            if taken.overlaps(m.span("num")) or _is_year(m.group("num"), m.group("scale")):
                continue
            taken.add(m.span())
            unit = lexicon_key("units", m.group("unit")) or "unknown"
            out.append(self._quantity(sentence, folded, m, unit))
        return out

    def _quantity(self, sentence: str, folded: str, m: re.Match[str], unit: str) -> Mention:
        return Mention(
            "quantity",
            sentence[m.start() : m.end()],
            m.start(),
            self._number(m),
            unit,
            self._qualifier(m),
            None,
            folded[m.end() : m.end() + 80],
        )

    def _bare_numbers(self, sentence: str, folded: str, taken: Taken) -> list[Mention]:
        """Large or qualified numbers with no unit after them ("exceeding 13 million"): the unit
        is the last one the sentence named before the number."""
        out = []
        units: list[re.Match[str]] | None = None  # every unit named, found once per sentence
        ends: list[int] = []
        for m in self.bare.finditer(folded):
            raw = m.group("num")
            large = m.group("scale") or re.search(r"\d[,.]\d{3}", raw)
            average = _AVERAGE.search(folded, max(0, m.start() - 52), m.start())
            if taken.overlaps(m.span()) or not (large or m.group("qual") or average):
                continue
            if not raw[0].isdigit():
                continue
            if _is_year(raw, m.group("scale")) or _SPAN_OF_TIME.match(folded, m.end()):
                continue  # a year; "the preceding 12 months", "hace 10 años": a span of time
            if units is None:
                units = list(self.unit.finditer(folded))
                ends = [u.end() for u in units]
            before = bisect.bisect_right(ends, m.start())
            unit = lexicon_key("units", units[before - 1].group(0)) if before else None
            paired = _PAIRED.match(folded, m.end())
            if paired:  # "from 14,700 to 27,023 pounds": the unit written after the pair
                after = next((u for u in units if u.start() >= paired.end()), None)
                if after is not None and after.start() - paired.end() <= 40:
                    unit = lexicon_key("units", after.group(0))
            if folded[max(0, m.start() - 2) : m.start()].strip().endswith(("$", "us$", "usd")):
                unit = "usd"  # "$5.4 millones": money, whatever was counted before it
            taken.add(m.span())
            out.append(self._quantity(sentence, folded, m, unit or "unknown"))
        return out

    def _ranks(self, sentence: str, folded: str) -> list[Mention]:
        """Rankings: "ranked second", "the third-highest", "the most", "primer lugar"."""
        out = []
        for pattern in _RANKS:
            for m in pattern.finditer(folded):
                word = next((g for g in m.groups() if g), "first")
                place = _ORDINALS.get(word, int(word) if word.isdigit() else 1)
                out.append(
                    Mention(
                        "rank",
                        sentence[m.start() : m.end()],
                        m.start(),
                        Number(place, 0.0, word),
                        "rank",
                        None,
                        None,
                        folded[m.end() : m.end() + 80],
                    )
                )
        return out[:1]

    def _percents(self, sentence: str, folded: str, taken: Taken) -> list[Mention]:
        out = []
        for m in self.percent.finditer(folded):
            taken.add(m.span())
            after = folded[m.end() : m.end() + 80]
            kind = (
                "share"
                if re.match(r"\s*(?:of|de|del)\b", after)
                and not self._direction(folded[max(0, m.start() - 40) : m.start()] + after[:25])
                else "change"
            )
            out.append(
                Mention(
                    kind,
                    sentence[m.start() : m.end()],
                    m.start(),
                    self._number(m),
                    "percent",
                    self._qualifier(m),
                    self._nearest_direction(folded, m.start(), m.end())
                    if kind == "change"
                    else None,
                    after,
                )
            )
        return out

    def _multipliers(self, sentence: str, folded: str, taken: Taken | None = None) -> list[Mention]:
        out = self._numeric_multipliers(sentence, folded, taken)
        for m in self.multiplier.finditer(folded):
            if taken is not None and taken.overlaps(m.span()):
                continue
            ratio = float(lexicon_key("multipliers", m.group("mult")) or 1)
            out.append(
                Mention(
                    "multiplier",
                    sentence[m.start() : m.end()],
                    m.start(),
                    Number(ratio, 0.0, m.group("mult")),
                    "ratio",
                    self._qualifier(m),
                    "up" if ratio > 1 else "down",
                    folded[m.end() : m.end() + 80],
                )
            )
        return out

    def _numeric_multipliers(
        self, sentence: str, folded: str, taken: Taken | None
    ) -> list[Mention]:
        """ "fortyfold", "9.6 times", "se multiplicó por cinco", "cinco veces más"."""
        out = []
        for m in self.multiplier_number.finditer(folded):
            word = m.group("word") or m.group("word2") or m.group("word3") or ""
            ratio = self.number_word.get(word) or _FOLD_WORDS.get(word)
            if ratio is None:
                try:
                    ratio = float(word.replace(",", "."))
                except ValueError:
                    continue
            if taken is not None:
                taken.add(m.span())
            out.append(
                Mention(
                    "multiplier",
                    sentence[m.start() : m.end()],
                    m.start(),
                    Number(ratio, 0.0, word),
                    "ratio",
                    None,
                    "up" if ratio > 1 else "down",
                    folded[m.end() : m.end() + 80],
                )
            )
        return out

    def _shares(self, sentence: str, folded: str, taken: Taken) -> list[Mention]:
        out = []
        for m in self.share.finditer(folded):
            if taken.overlaps(m.span()):
                continue
            ratio = float(lexicon_key("shares", m.group("share")) or 0)
            out.append(
                Mention(
                    "share",
                    sentence[m.start() : m.end()],
                    m.start(),
                    # "half", "two-thirds", "tres cuartas partes": a fraction in words is read
                    # to the nearest ten points ("nearly half" of 46.5% is not false)
                    Number(ratio * 100, WORD_SHARE_PRECISION, m.group("share")),
                    "percent",
                    self._qualifier(m),
                    None,
                    folded[m.end() : m.end() + 80],
                )
            )
        return out

    def _direction(self, window: str) -> str | None:
        found = self.lexicon.find("directions", window)
        return found[0][0] if found else None

    def _nearest_direction(self, folded: str, start: int, end: int) -> str | None:
        """The direction word nearest a percent, within 60 characters before it or 40 after
        ("a 7% increase in methamphetamine seizures, a 6% decrease in heroin": each its own
        word, not the list's first); on a tie, the one after it ("a 6% decrease")."""
        lo = max(0, start - 60)
        found = self.lexicon.find("directions", folded[lo : end + 40])

        def distance(hit: re.Match[str]) -> tuple[int, int]:
            a, b = lo + hit.start(), lo + hit.end()
            return (a - end, 0) if a >= end else (start - b, 1)

        near = min(found, key=lambda kh: distance(kh[1]), default=None)
        return near[0] if near else None


#: "a daily average of 86.9", "el promedio diario de asesinatos pasó de 86,9": a small
#: figure that is still a claim.
_AVERAGE = re.compile(
    r"\b(?:average|averaged|promedio|promediaron)\b[^.;,]{0,40}?\b(?:of|de|from|pas[oó] de)?\s*$"
)
#: " mil" (and its units) after the thousands of "57 millones 135 mil 20".
_THOUSANDS_AFTER = re.compile(r"\s+mil\b(?:\s+(\d{1,3})(?!\d))?")
#: "7 millones " just before "626 mil 455".
_MILLIONS = re.compile(r"\b(\d{1,3}|[a-z]+)\s+millon(?:es)?\s+$")
#: "14,700 to …", "14.700 a …": a number paired with the next, which carries the unit.
_PAIRED = re.compile(r"\s+(?:to|and|a|y|hasta)\s+(?=\d)")

#: Words of "-fold" multipliers that are not number words ("fortyfold").
_FOLD_WORDS = {
    "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0, "six": 6.0, "seven": 7.0, "eight": 8.0,
    "nine": 9.0, "ten": 10.0, "eleven": 11.0, "twelve": 12.0, "fifteen": 15.0, "twenty": 20.0,
    "thirty": 30.0, "forty": 40.0, "fifty": 50.0, "hundred": 100.0,
}  # fmt: skip

_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "primer": 1,
    "segundo": 2,
    "tercer": 3,
    "cuarto": 4,
    "quinto": 5,
}
_RANKS = tuple(
    re.compile(p)
    for p in (
        r"\branked (?:no\. ?)?(first|second|third|fourth|fifth|\d)(?:st|nd|rd|th)?\b",
        r"\b(second|third|fourth|fifth)[- ](?:highest|largest|most|biggest|busiest)\b",
        r"\bthe (?:highest|largest|biggest|busiest) (?:number|share|total|amount)\b",
        r"\bthe most (?=[a-z]+ (?:of any|among|in the country|nationwide))",
        r"\b(primer|segundo|tercer|cuarto|quinto) lugar\b",
        r"\b(?:entidad|estado|puerto|sector) con (?:mas|mayor|el mayor)\b",
    )
)


def _all_phrases(lexicon: Lexicon, table: str) -> str:
    return phrase_pattern([str(p) for ps in lexicon.table(table).values() for p in ps])


def _is_year(raw: str, scale: str | None) -> bool:
    return scale is None and bool(re.fullmatch(r"(?:19|20)\d\d", raw))
