"""Checking an article: extract → resolve to metrics queries → verify → a verdict with evidence.

``check_text`` is the Python API behind ``borderflow check``. Each claim gets a verdict —
``supported``, ``contradicted`` or ``unverifiable`` with the reason — the official figure, the
question asked of the metrics layer (as a sentence and as JSON), the release it was answered
from, and every reading considered. A claim that is true of the record as it stood when the
article was published, but not of the record since revised (or the reverse), says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from borderflow.claims import facts
from borderflow.claims.document import (
    Document,
    DocumentError,
    check_length,
    detect_language,
    find_date,
)
from borderflow.claims.entities import Entity, entity_finder
from borderflow.claims.extract import MAX_SENTENCE_CHARS, Mention, MentionFinder, split_sentences
from borderflow.claims.lexicon import fold, load_lexicon
from borderflow.claims.resolve import Clue, Memory, Reading, Unresolved, find_topic
from borderflow.claims.topics import readings
from borderflow.claims.verify import accepted, claimed_value, supports
from borderflow.claims.when import read_time
from borderflow.errors import BorderflowError
from borderflow.metrics import Engine, get_measure
from borderflow.metrics.units import convert

VERDICTS = ("supported", "contradicted", "unverifiable")
#: The most claims checked in one document. Each claim is asked of the warehouse under several
#: readings; past this many (a long report, a table pasted as text, 100,000 numbers in a row)
#: the rest are counted in ``CheckReport.not_checked`` and not asked, so a check ends in seconds.
MAX_CLAIMS = 200
#: The most sentences read in one document, far more than an article has (the shared one has
#: 37). Every sentence is read for names, periods and facts even when it states no number, so
#: this bounds the work on a text cut into countless tiny "sentences" ("A.\nA.\nA.\n…").
MAX_SENTENCES = 20_000


@dataclass
class Evidence:
    """What one reading of a claim found."""

    label: str
    query: str
    query_json: dict[str, Any]
    official: float | None
    supports: bool | None
    counts: bool
    releases: list[dict[str, Any]]
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


@dataclass
class Claim:
    """One checked claim."""

    text: str
    sentence: str
    kind: str
    verdict: str
    claimed: Any
    official: Any
    unit: str | None
    reason: str
    query: str | None = None
    query_json: dict[str, Any] | None = None
    release: dict[str, Any] | None = None
    readings: list[Evidence] = field(default_factory=list)
    accepted: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["readings"] = [r.to_dict() for r in self.readings]
        return data


@dataclass
class CheckReport:
    """Every claim found in a document, in order.

    Attributes:
        not_checked: claims found past ``MAX_CLAIMS``, counted but not checked.
        notes: what the checker did not read as written (a limit reached), and what to do.
    """

    source: str
    published: date
    lang: str
    claims: list[Claim]
    not_checked: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {v: sum(c.verdict == v for c in self.claims) for v in VERDICTS}

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "published": self.published.isoformat(),
            "lang": self.lang,
            "summary": self.summary(),
            "not_checked": self.not_checked,
            "notes": list(self.notes),
            "claims": [c.to_dict() for c in self.claims],
        }


def check_text(
    text: str,
    engine: Engine,
    *,
    published: date | None = None,
    lang: str = "auto",
    source: str = "<text>",
) -> CheckReport:
    """Check every claim in ``text`` against the warehouse behind ``engine``.

    Args:
        text: the article as plain text.
        engine: a metrics engine over the warehouse.
        published: the publication date; default: the first date the text states, else today.
        lang: ``en``, ``es`` or ``auto``.
        source: a name for the report.

    Raises:
        DocumentError: the text is longer than ``document.MAX_CHARS``.
    """
    check_length(text, source)
    doc = Document(text, source, find_date(text[:2000]), detect_language(text))
    return check_document(doc, engine, published=published, lang=lang)


def check_document(
    doc: Document, engine: Engine, *, published: date | None = None, lang: str = "auto"
) -> CheckReport:
    """Check a ``Document`` (see ``claims.document.read_document``).

    At most ``MAX_CLAIMS`` claims are checked, in order; the rest are counted in the report's
    ``not_checked``. Sentences longer than ``extract.MAX_SENTENCE_CHARS`` are read in pieces.
    Both are said in the report's ``notes``.

    Raises:
        DocumentError: the text is longer than ``document.MAX_CHARS`` or has more than
            ``MAX_SENTENCES`` sentences.
    """
    check_length(doc.text, doc.source)
    cut: list[int] = []
    sentences = split_sentences(doc.text, cut=cut)
    if len(sentences) > MAX_SENTENCES:
        raise DocumentError(
            f"{doc.source}: the text has {len(sentences):,} sentences, more than the "
            f"{MAX_SENTENCES:,} the checker reads in one document; check the article itself, or "
            "split the text into parts and check each."
        )
    day = published or doc.published or date.today()
    checker = _Checker(engine, day)
    claims: list[Claim] = []
    not_checked = 0
    for _, sentence in sentences:
        checked, skipped = checker.sentence(sentence, room=MAX_CLAIMS - len(claims))
        claims.extend(checked)
        not_checked += skipped
    notes = []
    if cut:
        notes.append(
            f"{len(cut):,} passage{'s' if len(cut) > 1 else ''} of over {MAX_SENTENCE_CHARS:,} "
            f"characters with no sentence end {'were' if len(cut) > 1 else 'was'} read in pieces "
            f"of at most {MAX_SENTENCE_CHARS:,} characters; a claim whose words fall in two "
            "pieces may be missed or read without its context. End the sentences, or check "
            "the passage on its own."
        )
    if not_checked:
        notes.append(
            f"{not_checked:,} more claim{'s' if not_checked > 1 else ''} found but not checked: "
            f"the checker checks at most {MAX_CLAIMS:,} claims in one document. Split the "
            "document and check each part."
        )
    return CheckReport(
        doc.source, day, doc.lang if lang == "auto" else lang, claims, not_checked, notes
    )


class _Checker:
    """Walks sentences in order, remembering what earlier sentences were about."""

    def __init__(self, engine: Engine, published: date) -> None:
        self.engine, self.published = engine, published
        self.lexicon = load_lexicon()
        self.mentions = MentionFinder(self.lexicon)
        self.memory = Memory()
        self.facts = facts.FactMemory()

    def sentence(self, sentence: str, room: int = MAX_CLAIMS) -> tuple[list[Claim], int]:
        """The claims of ``sentence``, at most ``room`` of them checked, and how many more were
        found but not checked."""
        if room <= 0:
            return [], self._count(sentence)
        folded = fold(sentence)
        entities = entity_finder().find(sentence)
        time = read_time(folded, self.published)
        fentanyl = bool(self.lexicon.find("drug_fentanyl_deaths", folded)) or (
            not any(e.dimension == "drug" for e in entities) and self.memory.fentanyl
        )
        drugs = [e.code for e in entities if e.dimension == "drug"]
        found = facts.check_agreements(sentence, self.published, self.facts)
        found += facts.check_precursors(sentence, self.lexicon, drugs, self.published, self.facts)
        mentions = self.mentions.find(sentence)
        out = [self._fact(sentence, f) for f in found[:room]]
        for mention in mentions[: room - len(out)]:
            clue = Clue(mention, folded, entities, time, self.published, self.memory, fentanyl)
            out.append(self._numeric(sentence, clue))
        self._remember(folded, entities, time.periods[-1] if time.periods else None, fentanyl)
        return out, len(found) + len(mentions) - len(out)

    def _count(self, sentence: str) -> int:
        """How many claims ``sentence`` states, past the limit: found as when checked, but
        neither resolved nor asked of the warehouse (names are not read, so a precursor claim
        takes its drug from the last sentence read in full)."""
        found = facts.check_agreements(sentence, self.published, self.facts)
        found += facts.check_precursors(sentence, self.lexicon, [], self.published, self.facts)
        return len(found) + len(self.mentions.find(sentence))

    def _remember(self, folded: str, entities: list[Entity], period: Any, fentanyl: bool) -> None:
        topic = self.lexicon.first_key("topics", folded)
        if topic:
            self.memory = Memory(topic, entities, period or self.memory.period, fentanyl, folded)
        elif period:
            self.memory.period = period

    def _fact(self, sentence: str, f: facts.FactFinding) -> Claim:
        return Claim(
            f.text,
            sentence,
            "fact",
            f.verdict,
            f.claimed,
            f.official,
            None,
            f.reason,
            release={"reference": list(f.sources)},
        )

    def _numeric(self, sentence: str, clue: Clue) -> Claim:
        m = clue.mention
        claim = Claim(m.text, sentence, m.kind, "unverifiable", m.number.value, None, _unit(m), "")
        reason = self.lexicon.reason(m.unit)
        topic = find_topic(clue, self.lexicon)
        if reason is None and m.kind != "quantity":
            objects = self.lexicon.find("units", m.object_text[:50])
            reason = self.lexicon.reason(objects[0][0]) if objects else None
        if reason is None:
            reason = self._not_a_level(clue)
        if reason:
            claim.reason = reason
            return claim
        if topic is None:
            claim.reason = "no series in the warehouse counts what this sentence talks about."
            return claim
        try:
            options = readings(clue, topic)
        except Unresolved as exc:
            claim.reason = str(exc)
            return claim
        claim.readings = [self._evaluate(r, m) for r in options]
        claim.accepted = accepted(m).describe()
        self._decide(claim, m)
        best = next(
            (
                r
                for r, e in zip(options, claim.readings, strict=True)
                if e.query_json == claim.query_json
            ),
            None,
        )
        if best is not None and self.published < date.today():
            revision = self._as_published(best, m, claim.verdict == "supported")
            claim.reason = " ".join(x for x in (claim.reason, revision) if x)
        return claim

    def _not_a_level(self, clue: Clue) -> str | None:
        """Averages per day and differences between periods are not published figures."""
        m, after = clue.mention, clue.mention.object_text[:45]
        before = clue.folded[max(0, m.start - 20) : m.start]
        if self.lexicon.find("per_time", after) or self.lexicon.find("per_time", before):
            return "an average per day or hour is not a published figure; check the total."
        if m.kind == "quantity" and self.lexicon.find("comparatives", after[:20]):
            return "a difference between two periods is not checked; check each level."
        return None

    def _evaluate(self, reading: Reading, m: Mention) -> Evidence:
        evidence = Evidence(
            reading.label,
            reading.query.sentence(),
            reading.query.to_dict(),
            None,
            None,
            reading.counts,
            [],
        )
        try:
            official, releases = official_value(self.engine, reading, m)
        except (BorderflowError, ValueError, KeyError, ZeroDivisionError) as exc:
            evidence.note = str(exc)
            return evidence
        evidence.official, evidence.releases = official, releases
        evidence.supports = supports(m, official)
        return evidence

    def _as_published(self, reading: Reading, m: Mention, now: bool) -> str:
        """How the claim fared against the record as it stood on the publication date."""
        vintages = self.engine.vintages(get_measure(reading.query.measure).source)
        if vintages and vintages[-1] <= self.published:
            return ""  # nothing released since: the record then is the record now
        if not vintages or vintages[0] > self.published:
            return (
                "no release in the warehouse predates publication; "
                "checked against the record as revised."
            )
        try:
            then, releases = official_value(
                self.engine,
                Reading(
                    reading.label,
                    reading.query.with_(as_of=self.published),
                    reading.base.with_(as_of=self.published) if reading.base else None,
                ),
                m,
            )
        except (BorderflowError, ValueError, KeyError, ZeroDivisionError):
            return (
                "no release in the warehouse predates publication; "
                "checked against the record as revised."
            )
        if math.isclose(then, 0.0) or supports(m, then) == now:
            return ""
        vintage = releases[0]["vintage"] if releases else "?"
        return (
            f"as first published (release of {vintage}) the figure was {then:,.6g}, which "
            f"{'supports' if supports(m, then) else 'contradicts'} the claim; revised since."
        )

    def _decide(self, claim: Claim, m: Mention) -> None:
        answered = [e for e in claim.readings if e.counts and e.official is not None]
        if not answered:
            notes = "; ".join(dict.fromkeys(e.note for e in claim.readings if e.note))
            claim.reason = f"no reading could be answered: {notes or 'no data'}."
            return
        best = next((e for e in answered if e.supports), answered[0])
        claim.verdict = "supported" if best.supports else "contradicted"
        claim.claimed, claim.official = claimed_value(m), best.official
        claim.query, claim.query_json = best.query, best.query_json
        claim.release = best.releases[0] if best.releases else None
        others = [e for e in claim.readings if e is not best and e.official is not None]
        claim.reason = _reason(claim, best, others)


def _reason(claim: Claim, best: Evidence, others: list[Evidence]) -> str:
    head = (
        f"{best.label}: official {best.official:,.6g} {claim.unit or ''}".rstrip()
        + f" against claimed {claim.claimed:,.6g} (accepted {claim.accepted})."
    )
    more = "; ".join(f"{e.label}: {e.official:,.6g}" for e in others[:4])
    return " ".join(x for x in (head, f"Other readings — {more}." if more else "") if x)


def _unit(m: Mention) -> str | None:
    kinds = {"change": "percent", "share": "percent", "multiplier": "ratio", "rank": "rank"}
    return kinds.get(m.kind, m.unit)


def official_value(
    engine: Engine, reading: Reading, m: Mention
) -> tuple[float, list[dict[str, Any]]]:
    """The official figure for ``reading`` in the claim's own terms (unit, percent or ratio)."""
    result = engine.run(reading.query)
    rows = result.rows
    if m.kind == "share":
        part = rows[rows[reading.query.share_of].astype(str) == _share_part(reading)]
        return float(part["share"].iloc[0]), result.releases
    if m.kind == "rank":
        dim = reading.query.by[0]
        place = rows[rows[dim].astype(str) == reading.label.split(" ranked")[0]]
        return float(place["rank"].iloc[0]), result.releases
    if len(rows) != 1:
        raise ValueError(f"the answer has {len(rows)} rows")
    row = rows.iloc[0]
    _check_coverage(row, "")
    value = float(row["value"])
    if m.kind in ("change", "multiplier"):
        base, releases = _base(engine, reading, row)
        ratio = value / base
        return (ratio if m.kind == "multiplier" else 100 * (ratio - 1)), result.releases + releases
    if m.unit in ("lb", "kg", "short_ton", "t") and result.unit in ("lb", "kg"):
        value = convert(value, result.unit, m.unit)
    return value, result.releases


def _base(engine: Engine, reading: Reading, row: Any) -> tuple[float, list[dict[str, Any]]]:
    if reading.base is None:
        _check_coverage(row, "previous_")
        return float(row["previous"]), []
    base = engine.run(reading.base)
    _check_coverage(base.rows.iloc[0], "")
    return float(base.rows["value"].iloc[0]), base.releases


def _check_coverage(row: Any, prefix: str) -> None:
    months, value = row.get(f"{prefix}months"), row.get(f"{prefix}value" if prefix else "value", 1)
    expected = row.get("expected_months")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("no value for that period (outside coverage)")
    if months is not None and expected is not None and months < expected:
        raise ValueError(f"the data cover {months} of the {expected} months of that period")


def _share_part(reading: Reading) -> str:
    return reading.label.split(" as a share")[0]
