"""Reading an article: plain text, Markdown or HTML from a file, a URL or stdin.

The reader is defensive: it refuses binary data and oversized files with a message saying what
to do, drops scripts, styles and markup, and finds the publication date and language when the
document states them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html import unescape
from pathlib import Path

from borderflow.claims.lexicon import fold
from borderflow.errors import BorderflowError

#: Files larger than this are refused: the checker is for articles, not corpora. (A saved web
#: page is mostly markup: 5 MB of HTML is rarely more than a few hundred thousand characters of
#: text.)
MAX_BYTES = 5_000_000
#: Text longer than this, once markup is gone, is refused: some 300 pages of prose, far more
#: than an article (the shared one is 6,534 characters). Checking time grows linearly with the
#: text; this keeps the worst text (a claim in every few words) within a few seconds.
MAX_CHARS = 1_000_000

_EN_MONTHS = "january february march april may june july august september october november december"
_ES_MONTHS = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
)
MONTHS = {
    **{m: i for i, m in enumerate(_EN_MONTHS.split(), start=1)},
    **{m: i for i, m in enumerate(_ES_MONTHS.split(), start=1)},
    "setiembre": 9,
    **{
        a: i
        for a, i in (
            ("jan", 1),
            ("feb", 2),
            ("mar", 3),
            ("apr", 4),
            ("jun", 6),
            ("jul", 7),
            ("aug", 8),
            ("sep", 9),
            ("sept", 9),
            ("oct", 10),
            ("nov", 11),
            ("dec", 12),
            ("ene", 1),
            ("abr", 4),
            ("ago", 8),
            ("dic", 12),
        )
    },
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATES = (
    (re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}),?\s+(20\d\d)\b"), (3, 1, 2)),
    (re.compile(rf"\b(\d{{1,2}})\s+(?:de\s+)?({_MONTH})\s+(?:de\s+|del\s+)?(20\d\d)\b"), (3, 2, 1)),
    (re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b"), (1, 2, 3)),
)
_META_TAG = re.compile(r"<meta([^<>]*)", re.IGNORECASE)
_META_KIND = re.compile(r"article:published_time|datePublished|pubdate|date", re.IGNORECASE)
_META_CONTENT = re.compile(r"content=\"(20\d\d-\d\d-\d\d)", re.IGNORECASE)
_STOPWORDS = {
    "en": {"the", "of", "and", "in", "to", "is", "was", "that", "for", "with", "by", "from"},
    "es": {"el", "la", "los", "las", "de", "del", "y", "que", "en", "por", "con", "para", "se"},
}


class DocumentError(BorderflowError):
    """An input the checker cannot read as an article."""


@dataclass(frozen=True)
class Document:
    """An article as text, with what it says about itself."""

    text: str
    source: str
    published: date | None
    lang: str


def read_document(source: str, *, stdin_text: str | None = None) -> Document:
    """Read ``source``: a file path, an http(s) URL, or ``-`` with ``stdin_text``.

    Raises:
        DocumentError: empty, binary, oversized or unreadable input, or a URL with no network.
    """
    if source == "-":
        raw = (stdin_text or "").encode("utf-8")
    elif source.startswith(("http://", "https://")):
        raw = _download(source)
    else:
        raw = _read_file(Path(source))
    return parse_document(raw, source)


def parse_document(raw: bytes, source: str = "<text>") -> Document:
    """Turn raw bytes into a ``Document`` (decoding, markup removal, date and language).

    Raises:
        DocumentError: over ``MAX_BYTES``, binary, empty, or over ``MAX_CHARS`` of text.
    """
    if len(raw) > MAX_BYTES:
        raise DocumentError(
            f"{source}: {len(raw) / 1e6:.1f} MB is larger than the {MAX_BYTES / 1e6:.0f} MB the "
            "checker reads; pass the article itself, or split the file."
        )
    text = _decode(raw, source)
    markup = _looks_like_html(text)
    published = _meta_date(text) if markup else None
    text = html_to_text(text) if markup else markdown_to_text(text)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    if not text.strip():
        raise DocumentError(f"{source}: the document has no text to check.")
    check_length(text, source)
    return Document(text, source, published or find_date(text[:2000]), detect_language(text))


def check_length(text: str, source: str = "<text>") -> None:
    """Refuse text longer than ``MAX_CHARS``.

    Raises:
        DocumentError: the text is over the limit; the message says by how much and what to do.
    """
    if len(text) > MAX_CHARS:
        raise DocumentError(
            f"{source}: the text is {len(text):,} characters, more than the {MAX_CHARS:,} the "
            "checker reads in one document; check the article itself, or split the text into "
            "parts and check each."
        )


def _read_file(path: Path) -> bytes:
    if path.is_dir():
        raise DocumentError(
            f"{path} is a folder; give a text, Markdown or HTML file, or - for stdin."
        ).saying("article_is_folder", path=str(path))
    if not path.is_file():
        raise DocumentError(
            f"{path}: no such file; give a text, Markdown or HTML file, or - for stdin."
        ).saying("no_article", path=str(path))
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise DocumentError(
            f"{path}: {size / 1e6:.1f} MB is larger than the {MAX_BYTES / 1e6:.0f} MB the checker "
            "reads; pass the article itself, or split the file."
        )
    return path.read_bytes()


def _download(url: str) -> bytes:
    import httpx

    try:
        response = httpx.get(url, timeout=20, follow_redirects=True)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise DocumentError(
            f"{url}: could not download ({exc}); on a machine without internet save the page "
            "and pass the file."
        ) from exc
    return response.content[: MAX_BYTES + 1]


def _decode(raw: bytes, source: str) -> str:
    sample = raw[:65536]
    if b"\x00" in sample:
        raise DocumentError(
            f"{source}: binary data (NUL bytes); give a text, Markdown or HTML file."
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    controls = sum(1 for c in text[:65536] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(8, len(text[:65536]) // 100):
        raise DocumentError(f"{source}: mostly control characters; this is not a text document.")
    return text


def _looks_like_html(text: str) -> bool:
    head = text[:4096].lower()
    return (
        "<html" in head or "<body" in head or "<p>" in head or "<!doctype" in head or "<div" in head
    )


_SKIP = frozenset(("script", "style", "noscript", "template", "svg", "head", "iframe", "object"))
_BLOCK = frozenset(
    (
        *("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section"),
        *("article", "blockquote", "header", "footer", "title", "time"),
    )
)
#: Elements whose content is text up to their end tag, not markup.
_RAW = frozenset(("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"))
_MARKUP = re.compile(r"<(?:(!--)|(/?)([a-zA-Z][^\t\n\r\f />\x00]*)|[!?/])")
_IN_TAG = re.compile(r"[>\"']")


def html_to_text(html: str) -> str:
    """The visible text of an HTML document, one block per line; scripts, styles, templates and
    the head are dropped.

    A tokenizer of its own, in one pass: each character is looked at a bounded number of times,
    so no page, however malformed (thousands of unclosed tags, comments or quotes), takes more
    than linear time. As in a browser, a tag or comment left open runs to the end of the page.
    """
    parts: list[str] = []
    skipping = 0
    i, n = 0, len(html)
    while i < n:
        m = _MARKUP.search(html, i)
        if m is None:
            if not skipping:
                parts.append(unescape(html[i:]))
            break
        if m.start() > i and not skipping:
            parts.append(unescape(html[i : m.start()]))
        if m.group(1):  # <!-- comment -->
            close = html.find("-->", m.end())
            i = n if close < 0 else close + 3
            continue
        name = (m.group(3) or "").lower()
        end = _tag_end(html, m.end())
        if end < 0:
            break  # a tag left open at the end of the page
        i = end + 1
        if not name:  # <!doctype …>, <?…>, </>: no text
            continue
        closing = m.group(2) == "/"
        self_closing = html[end - 1] == "/" and end - 1 >= m.end()
        if not closing:
            if name in _SKIP:
                skipping += 1
            elif name in _BLOCK:
                parts.append("\n")
        if closing or self_closing:
            if name in _SKIP:
                skipping = max(0, skipping - 1)
            elif name in _BLOCK:
                parts.append("\n")
        if name in _RAW and not closing and not self_closing:
            close_tag = re.compile(rf"</{re.escape(name)}(?=[\s/>])", re.IGNORECASE).search(html, i)
            stop = n if close_tag is None else close_tag.start()
            if not skipping:
                raw = html[i:stop]
                parts.append(raw if name in ("script", "style") else unescape(raw))
            i = stop
    return "".join(parts)


def _tag_end(html: str, i: int) -> int:
    """The offset of the ``>`` that closes the tag whose attributes start at ``i`` (a quoted
    value may hold ``>``), or -1 when the page ends first."""
    while True:
        m = _IN_TAG.search(html, i)
        if m is None:
            return -1
        if m.group(0) == ">":
            return m.start()
        close = html.find(m.group(0), m.end())
        if close < 0:
            return -1
        i = close + 1


#: A Markdown link or image: the text in brackets (no brackets inside), then the address in
#: parentheses (one level of parentheses inside). Neither part can run past the next bracket or
#: parenthesis, so a page of unclosed brackets is read in linear time.
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_MD_MARKS = re.compile(r"(?m)^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+)|(\*\*|__|`)")


def markdown_to_text(text: str) -> str:
    """Markdown as plain text: link text kept, headings, quotes, bullets and emphasis dropped."""
    return _MD_MARKS.sub("", _MD_LINK.sub(r"\1", text))


def _meta_date(html: str) -> date | None:
    """The publication date a ``<meta>`` tag in the first 20,000 characters gives, if any."""
    for tag in _META_TAG.finditer(html[:20000]):
        attrs = tag.group(1)
        kind = _META_KIND.search(attrs, 1)
        if kind is None:
            continue
        contents = list(_META_CONTENT.finditer(attrs, kind.end() + 1))
        if contents:
            return date.fromisoformat(contents[-1].group(1))
    return None


def find_date(text: str) -> date | None:
    """The first full date written in ``text`` ("January 16, 2026", "16 de enero de 2026")."""
    folded = fold(text)
    found: list[tuple[int, date]] = []
    for pattern, (y, m, d) in _DATES:
        for match in pattern.finditer(folded):
            month = match.group(m)
            number = MONTHS[month] if month in MONTHS else int(month)
            try:
                found.append(
                    (match.start(), date(int(match.group(y)), number, int(match.group(d))))
                )
            except ValueError:
                continue
    return min(found)[1] if found else None


def detect_language(text: str) -> str:
    """``es`` or ``en``, by which language's commonest words the text uses more."""
    words = re.findall(r"[a-záéíóúñ]+", text[:20000].lower())
    counts = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    return "es" if counts["es"] > counts["en"] else "en"
