"""No input hangs the claim checker: hostile articles finish or are refused within seconds, and
checking time grows linearly with the text (issue 13).

Each hostile article is built here, at the size it was reported to hang or crawl at, and must be
checked — or refused with a message naming the limit — in under ``SECONDS``.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from borderflow.claims import CheckReport, DocumentError, check_document, check_text
from borderflow.claims.check import MAX_CLAIMS, MAX_SENTENCES
from borderflow.claims.document import MAX_CHARS, html_to_text, markdown_to_text, parse_document
from borderflow.claims.extract import MAX_SENTENCE_CHARS, split_sentences
from borderflow.claims.html import render_html
from borderflow.claims.lexicon import fold
from borderflow.metrics import Engine
from borderflow.vocabulary import fold as reference_fold
from borderflow.warehouse.ingest import IngestReport
from conftest import REPO

ARTICLE = REPO.parent / "shared" / "articles" / "borderline-crisis-2026-01-16.txt"
PUBLISHED = date(2026, 1, 16)
#: The most any hostile article may take, checked or refused.
SECONDS = 10.0


@pytest.fixture(scope="module")
def engine(loaded: tuple[Path, IngestReport]) -> Iterator[Engine]:
    eng = Engine.open(loaded[0])
    check_text("CBP seized 1 pound of fentanyl in FY2024.", eng)  # warm-up: first query shapes
    yield eng
    eng.close()


# -- the hostile articles -------------------------------------------------------------------------


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def no_sentence_end() -> str:
    """1 MB with no full stop, a claim every few words."""
    return _repeat(
        "CBP seized 1,200 pounds of fentanyl in FY2023 and agents said the border was busy and ",
        1_000_000,
    )


def many_numbers() -> str:
    """100,000 numbers in one paragraph."""
    rnd = random.Random(1)
    return "Figures: " + " ".join(f"{rnd.randint(1, 99_999):,}" for _ in range(100_000)) + "."


def markdown_links() -> str:
    """300 KB of Markdown links."""
    return _repeat("[CBP seized 100 pounds of fentanyl](http://example.com/a/b?c=1&d=2) ", 300_000)


def unclosed_brackets() -> str:
    """300 KB of Markdown link openings that never close."""
    return _repeat("[a](", 300_000)


def mixed_scripts(size: int) -> str:
    """Latin, Cyrillic, CJK and Arabic words, emoji and numbers, in no sentence."""
    rnd = random.Random(2)
    words = (
        "CBP seized fentanyl pounds border ",
        "Пограничная служба изъяла фентанил ",
        "边境巡逻队查获芬太尼磅",
        "صادرت دورية الحدود الفنتانيل ",
        "🚓💊🇺🇸🇲🇽😀🔥",
        "123,456 ",
        "".join(chr(rnd.randint(0x4E00, 0x9FFF)) for _ in range(40)) + " ",
    )
    out, length = [], 0
    while length < size:
        word = rnd.choice(words)
        out.append(word)
        length += len(word)
    return "".join(out)[:size]


def nested_html() -> str:
    """100,000 nested elements around one claim."""
    return (
        "<html><body>"
        + "<div>" * 100_000
        + "CBP seized 27,023 pounds of fentanyl in FY2023."
        + "</div>" * 100_000
        + "</body></html>"
    )


def unclosed_html() -> str:
    """A page of tags, comments and quotes that never close."""
    return "<html><body><p>CBP seized 27,023 pounds of fentanyl in FY2023.</p>" + "".join(
        _repeat(unit, 200_000) for unit in ("<a ", "<!-- ", "<?", "<![CDATA[", '<a href="x>')
    )


def single_word() -> str:
    """One 1 MB "word"."""
    return "a1" * 500_000


def many_dates() -> str:
    """20,000 dates in one sentence."""
    rnd = random.Random(4)
    months = "January February March April May June July August September October November"
    return "CBP seized 100 pounds of fentanyl on " + ", ".join(
        f"{rnd.choice(months.split())} {rnd.randint(1, 28)}, {rnd.randint(2015, 2025)}"
        for _ in range(20_000)
    )


def many_sentences() -> str:
    """More sentences than a document may have."""
    return "A.\n" * (MAX_SENTENCES + 1)


# (name, text, read as a file (bytes) or passed as text, refused with this message or None)
HOSTILE: list[tuple[str, Callable[[], str], bool, str | None]] = [
    ("1 MB with no sentence end", no_sentence_end, False, None),
    ("1 MB with no sentence end, as a file", no_sentence_end, True, None),
    ("100,000 numbers in one paragraph", many_numbers, False, None),
    ("300 KB of Markdown links", markdown_links, True, None),
    ("300 KB of Markdown links, as text", markdown_links, False, None),
    ("300 KB of unclosed Markdown links", unclosed_brackets, True, None),
    ("2 MB of mixed scripts", lambda: mixed_scripts(2_000_000), False, "1,000,000"),
    ("2 MB of mixed scripts, as a file", lambda: mixed_scripts(2_000_000), True, "1,000,000"),
    ("just under the limit, mixed scripts", lambda: mixed_scripts(MAX_CHARS), False, None),
    ("deeply nested HTML", nested_html, True, None),
    ("unclosed HTML tags, comments and quotes", unclosed_html, True, None),
    ("a 1 MB single word", single_word, False, None),
    ("20,000 dates", many_dates, False, None),
    ("too many sentences", many_sentences, False, f"{MAX_SENTENCES:,} the checker reads"),
]


def _check(engine: Engine, text: str, as_file: bool) -> CheckReport:
    if as_file:
        doc = parse_document(text.encode("utf-8"), "hostile.txt")
        return check_document(doc, engine, published=PUBLISHED)
    return check_text(text, engine, published=PUBLISHED)


@pytest.mark.parametrize(
    ("build", "as_file", "refusal"),
    [pytest.param(build, as_file, refusal, id=name) for name, build, as_file, refusal in HOSTILE],
)
def test_hostile_article_finishes_or_is_refused_in_seconds(
    engine: Engine, build: Callable[[], str], as_file: bool, refusal: str | None
) -> None:
    text = build()
    start = time.perf_counter()
    try:
        report = _check(engine, text, as_file)
    except DocumentError as exc:
        elapsed = time.perf_counter() - start
        assert refusal is not None, f"refused: {exc}"
        assert refusal in str(exc) and "split" in str(exc)
    else:
        elapsed = time.perf_counter() - start
        assert refusal is None, "should have been refused"
        assert len(report.claims) <= MAX_CLAIMS
        if report.not_checked:
            assert len(report.claims) == MAX_CLAIMS
            assert any(f"{report.not_checked:,} more claim" in note for note in report.notes)
        assert sum(report.summary().values()) == len(report.claims)
    assert elapsed < SECONDS, f"{elapsed:.1f} s"


def test_claims_past_the_limit_are_counted_and_said(engine: Engine) -> None:
    text = " ".join(["CBP seized 27,023 pounds of fentanyl in FY2023."] * (MAX_CLAIMS + 50))
    report = check_text(text, engine, published=date(2024, 1, 10))
    assert len(report.claims) == MAX_CLAIMS
    assert {c.verdict for c in report.claims} == {"supported"}
    assert report.not_checked == 50
    (note,) = report.notes
    assert note.startswith("50 more claims found but not checked")
    assert f"at most {MAX_CLAIMS}" in note and "Split the document" in note
    data = report.to_dict()
    assert data["not_checked"] == 50 and data["notes"] == [note]
    assert "50 more not checked" in render_html(report)


def test_a_long_sentence_is_read_in_pieces_with_a_note(engine: Engine) -> None:
    words = " ".join(["the border is long and the crossing is busy"] * 100)  # 4,500 characters
    text = f"{words} and CBP seized 27,023 pounds of fentanyl in FY2023 and {words}."
    cut: list[int] = []
    pieces = split_sentences(text, cut=cut)
    assert cut == [0] and len(pieces) > 1
    for offset, piece in pieces:
        assert 0 < len(piece) <= MAX_SENTENCE_CHARS
        assert text[offset : offset + len(piece)] == piece
    report = check_text(text, engine, published=date(2024, 1, 10))
    assert [c.verdict for c in report.claims] == ["supported"]  # cut at a space, not in a claim
    (note,) = report.notes
    assert f"over {MAX_SENTENCE_CHARS:,} characters with no sentence end" in note


def test_a_single_giant_word_is_cut_at_the_limit() -> None:
    cut: list[int] = []
    pieces = split_sentences("x" * 5_000, cut=cut)
    assert [len(p) for _, p in pieces] == [2_000, 2_000, 1_000] and cut == [0]


def test_text_over_the_limit_is_refused_before_any_work(engine: Engine) -> None:
    start = time.perf_counter()
    with pytest.raises(DocumentError, match=rf"more than the {MAX_CHARS:,} the checker reads"):
        check_text("x" * (MAX_CHARS + 1), engine)
    assert time.perf_counter() - start < 1.0


def test_normal_articles_are_not_cut() -> None:
    cut: list[int] = []
    split_sentences(ARTICLE.read_text("utf-8"), cut=cut)
    assert cut == []


# -- linear time ----------------------------------------------------------------------------------


def _seconds(engine: Engine, text: str) -> float:
    """The best of three checks of ``text`` (the warehouse's answers cached after the first)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        check_text(text, engine, published=PUBLISHED)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize(
    "shape",
    [
        pytest.param(lambda t: t, id="paragraphs"),
        # no sentence ends at all: one long passage, read in pieces
        pytest.param(lambda t: re.sub(r"[.!?]?\s+", " ", t), id="one passage"),
    ],
)
def test_checking_time_grows_linearly_with_the_text(
    engine: Engine, shape: Callable[[str], str]
) -> None:
    article = shape(ARTICLE.read_text("utf-8"))
    small, large = "\n\n".join([article] * 4), "\n\n".join([article] * 16)
    assert len(check_text(large, engine, published=PUBLISHED).claims) < MAX_CLAIMS  # all checked
    ratio = _seconds(engine, large) / _seconds(engine, small)
    assert ratio < 8, f"4x the text took {ratio:.1f}x the time"


# -- what the faster readers must still read the same -------------------------------------------


class _Reference(HTMLParser):
    """The standard library's reading of a page (quadratic on malformed pages, exact on good
    ones), with the checker's rules: scripts, styles and the head dropped, blocks on lines."""

    SKIP = ("script", "style", "noscript", "template", "svg", "head", "iframe", "object")
    BLOCK = (
        *("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section"),
        *("article", "blockquote", "header", "footer", "title", "time"),
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>T &amp; x</title>
<script>var s = "<p>not text</p>";</script><style>p > b {}</style></head>
<body><nav><ul><li><a href="/a?b=1&amp;c=2">Home</a></li><li>News &mdash; today</li></ul></nav>
<article><h1 class='x'>Border &lt;crisis&gt;</h1>
<p>CBP seized <b>27,023</b> pounds&nbsp;of fentanyl in <time datetime="2023">FY2023</time>.<br/>
Next line<br>third</p><!-- a comment <p>hidden</p> -->
<img src="a.png" alt="x > y"><svg><path d="M0 0"/><text>svg text</text></svg>
<noscript>enable scripts</noscript><div data-x='a"b'>Quoted attribute</div>
<table><tr><td>1</td><td>2</td></tr></table><p>5 < 6 &copy; 2026 &#x27;s</p></article>
</body></html>"""


def test_html_is_read_as_the_standard_parser_reads_a_well_formed_page() -> None:
    reference = _Reference()
    reference.feed(PAGE)
    reference.close()
    assert html_to_text(PAGE) == "".join(reference.parts)
    assert "not text" not in html_to_text(PAGE) and "27,023" in html_to_text(PAGE)


def test_markdown_links_keep_their_text() -> None:
    text = 'See [the CBP page](https://www.cbp.gov/x_(y) "title") and ![chart](a.png) [x].'
    assert markdown_to_text(text) == "See the CBP page and chart [x]."


def test_folding_is_the_vocabulary_folding_in_every_script() -> None:
    text = mixed_scripts(20_000) + "".join(chr(c) for c in range(0x20, 0x3000))
    assert fold(text) == reference_fold(text)
    assert len(fold(text)) == len(text)
