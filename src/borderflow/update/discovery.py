"""Discovering the newest files: a publisher's page read for the links of each file series."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, unquote, urldefrag, urljoin, urlsplit

from borderflow.errors import FetchError
from borderflow.sources import cbp_nationwide
from borderflow.sources.base import FileSeries, KnownFile, Source
from borderflow.update.words import Message, message

#: Mirror folders whose file names cannot be known in advance → the publisher's page listing them.
DISCOVERY_PAGES: dict[str, str] = {"cbp_drug_seizures": cbp_nationwide.PAGE}
#: The page's name inside ``{base_url}/{folder}/`` when updating from an HTTP mirror.
MIRROR_PAGE = "index.html"

Progress = Callable[[str], None]


# -- discovery ---------------------------------------------------------------------------------


class _Links(HTMLParser):
    """Collects the ``href`` of every ``<a>`` on a page, in page order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href and href.strip():
                self.hrefs.append(href.strip())


def page_links(html: str, page_url: str) -> list[tuple[str, str]]:
    """Every link on a page to a named file: (file name, absolute address), in page order.

    Relative links are resolved against ``page_url``; fragments are dropped; links that are not
    http(s) (mailto:, javascript:) or end in a folder are left out.
    """
    parser = _Links()
    parser.feed(html)
    parser.close()
    links = []
    for href in parser.hrefs:
        url = urldefrag(urljoin(page_url, href)).url
        parts = urlsplit(url)
        name = unquote(PurePosixPath(parts.path).name)
        if parts.scheme in ("http", "https") and name and not parts.path.endswith("/"):
            links.append((name, url))
    return links


@dataclass(frozen=True)
class FoundFile:
    """A file of one of the sources' series linked from a publisher's page.

    Attributes:
        source: the source whose series the file belongs to.
        series: the series key.
        name: the file name (what it is called in the mirror).
        url: the official address the page links.
        data_through: the last month of data, from the name (None where it does not say).
        posted: the month of the ``/files/YYYY-MM/`` folder it sits in, if any.
        newest: whether it is the newest file of its series on the page (the one fetched).
        known: whether the source already knows the file by name.
    """

    source: str
    series: str
    name: str
    url: str
    data_through: date | None
    posted: date | None
    newest: bool = False
    known: bool = False


@dataclass
class Discovery:
    """What one publisher's page lists for the chosen sources; ``error`` says what went wrong
    in English, ``reason`` as a message for any reader's catalog."""

    folder: str
    page: str
    files: list[FoundFile] = field(default_factory=list)
    error: str = ""
    reason: Message | None = None

    @property
    def newest(self) -> list[FoundFile]:
        return [f for f in self.files if f.newest]

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "page": self.page,
            "error": self.error,
            "reason": self.reason,
            "files": [asdict(f) for f in self.files],
        }


def discover(html: str, page_url: str, sources: list[Source]) -> list[FoundFile]:
    """The files of ``sources``' series linked from a page, each series' newest one marked.

    A link is a series' file when its name matches the series' pattern (as in the mirror).
    Newest: the latest month of data by the name, then the latest ``/files/YYYY-MM/`` folder,
    then the first on the page (publishers list the current file first).
    """
    best: dict[tuple[str, str], tuple[date, date, int]] = {}
    files: dict[tuple[str, str, str], tuple[tuple[date, date, int], FoundFile]] = {}
    for position, (name, url) in enumerate(page_links(html, page_url)):
        for source in sources:
            series = _series_for(source, name)
            if series is None or (source.name, series.key, name) in files:
                continue
            through_of = series.data_through_of or series.vintage_of
            f = FoundFile(
                source.name,
                series.key,
                name,
                url,
                data_through=through_of(name) if through_of else None,
                posted=_posted(url),
                known=series.known_file(name) is not None,
            )
            rank = (f.data_through or date.min, f.posted or date.min, -position)
            files[(source.name, series.key, name)] = (rank, f)
            best[(source.name, series.key)] = max(rank, best.get((f.source, f.series), rank))
    return [replace(f, newest=rank == best[(f.source, f.series)]) for rank, f in files.values()]


def _series_for(source: Source, name: str) -> FileSeries | None:
    return next((s for s in source.series if fnmatch.fnmatch(name, s.pattern)), None)


def _posted(url: str) -> date | None:
    """The month of a ``…/files/2026-05/…`` folder in an address (Drupal's upload folders)."""
    for segment in PurePosixPath(urlsplit(url).path).parts:
        try:
            return datetime.strptime(segment, "%Y-%m").date()
        except ValueError:
            continue
    return None


def discover_all(
    sources: list[Source],
    base_url: str | None,
    read_page: Callable[[str], str],
) -> list[Discovery]:
    """Read each discovery page of the chosen sources' folders (once per folder).

    With ``base_url`` the page is read from the HTTP mirror, but relative links resolve against
    the publisher's address, so the addresses recorded are the official ones. A page that cannot
    be read is a ``Discovery`` with ``error`` set, never an exception.
    """
    out = []
    for folder in dict.fromkeys(s.folder for s in sources):
        official = DISCOVERY_PAGES.get(folder)
        if official is None:
            continue
        here = [s for s in sources if s.folder == folder]
        page = f"{base_url.rstrip('/')}/{quote(folder)}/{MIRROR_PAGE}" if base_url else official
        discovery = Discovery(folder, page)
        try:
            discovery.files = discover(read_page(page), official, here)
        except FetchError as exc:
            discovery.error = (
                f"{exc} Only the files already known by name were fetched; files published "
                f"since are not. Look on {official}, or try again later."
            )
            discovery.reason = message("page_unread", page=page, official=official)
        else:
            if not discovery.newest:
                names = ", ".join(s.name for s in here)
                discovery.error = (
                    f"{page} links no file of {names}: the page may "
                    "have changed layout. Only the files already known by name were fetched."
                )
                discovery.reason = message("page_lists_nothing", page=page, sources=names)
        out.append(discovery)
    return out


def with_discovered(sources: list[Source], discoveries: list[Discovery]) -> list[Source]:
    """The sources with what the pages list: the newest file of each series added to its known
    files, and the page's address filled in for a known file that has none. For ``fetch`` only:
    ingest reads the sources as declared."""
    found = [f for d in discoveries for f in d.files]
    out = []
    for source in sources:
        series = []
        for s in source.series:
            mine = [f for f in found if f.source == source.name and f.series == s.key]
            urls = {f.name: f.url for f in mine}
            known = tuple(
                replace(k, url=urls[k.name]) if k.url is None and k.name in urls else k
                for k in s.known
            )
            extra = tuple(
                KnownFile(f.name, f.url, vintage=f.data_through or f.posted or date.today())
                for f in mine
                if f.newest and not f.known
            )
            series.append(replace(s, known=known + extra))
        out.append(replace(source, series=tuple(series)))
    return out
