"""Download each source's files into a local mirror, politely, atomically and only when changed.

``fetch`` walks every known file of the chosen sources. Without ``base_url`` it asks the
publisher's official address; a file whose address was never recorded is reported as ``no_url``
(place it in the mirror by hand). With ``base_url`` it copies from an HTTP mirror laid out like
the local one: ``{base_url}/{source.folder}/{file name}``.

Each file is streamed to a temporary file in its target folder and renamed into place only when
complete, so an interrupted download never leaves a half file under the real name. What was
fetched, from where and when is recorded in ``<folder>/.borderflow-fetch.json``
(``FETCH_MANIFEST``): ``ingest`` reads it for provenance, and the next fetch uses its ETag and
Last-Modified for a conditional GET. A file that cannot be downloaded is an outcome in the
report, never an exception; only misuse (an unwritable destination) raises ``FetchError``.

``fetch_page`` reads a publisher's web page (e.g. the list of files ``borderflow update`` looks
for new releases in) with the same retries. ``NO_ADDRESS`` says, for every known file without a
download address, why none could be established; the ``no_url`` outcome repeats it.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from borderflow import __version__
from borderflow.errors import FetchError
from borderflow.sources.base import KnownFile, Source
from borderflow.warehouse.ingest import FETCH_MANIFEST

FETCH_STATUSES: tuple[str, ...] = (
    "downloaded",  # new bytes written (matching the recorded checksum, or none is recorded)
    "not_modified",  # the server answered 304: the local copy is current
    "changed",  # written, but the bytes differ from the recorded checksum
    "missing",  # the server answered 404
    "no_url",  # no download address is recorded: place the file by hand
    "failed",  # could not be downloaded (network, server error, truncated body, refused)
)
USER_AGENT = f"borderflow/{__version__}"
#: A Retry-After longer than this (seconds) is not waited for; the usual backoff applies instead.
MAX_RETRY_AFTER = 30.0

_CBP_WINDOW = (
    "CBP serves each window under /sites/default/files/<YYYY-MM>/ of the month it was posted, "
    "and that month was not recorded for this copy (SOURCE.md); `borderflow update` reads the "
    "address off CBP's Nationwide Drug Seizures page while the page links the file"
)
#: Why a known file has no download address: (mirror folder, file-name glob) → the reason.
#: Every known file has either ``KnownFile.url`` or an entry here (``tests/test_update.py``).
NO_ADDRESS: dict[tuple[str, str], str] = {
    ("cbp_drug_seizures", "nationwide-drugs-fy*.csv"): _CBP_WINDOW,
    ("cbp_drug_seizures", "amo-drug-seizures-fy*.csv"): (
        "the AMO download addresses were never recorded (SOURCE.md); `borderflow update` takes "
        "one from CBP's Nationwide Drug Seizures page if the page links it"
    ),
    ("sesnsp", "IDEFC_NM_*.csv"): (
        "SESNSP's file as re-encoded by the uploader of a public repository; SESNSP replaces the "
        "file each month and its address for this cut was not recorded"
    ),
    ("sesnsp", "estatal_n_*.csv"): (
        "SESNSP's 2026 state file as committed (renamed) to a public repository; SESNSP's "
        "address for this cut was not recorded"
    ),
    ("sesnsp", "timeseries_victimas_*.csv"): (
        "a derivative: victims reshaped to a time series by a third party; SESNSP publishes no "
        "file of this name"
    ),
    ("cdc_vsrr", "vsrr_t40_4_*.csv"): (
        "a derivative: the origin repository's API extract of one indicator; no CDC address "
        "serves these bytes (the API answers today's release, in another layout)"
    ),
    ("cdc_vsrr", "VSRR_Provisional_*_US_*.csv"): (
        "a derivative: the United States rows of CDC's CSV download; CDC serves only the "
        "current full file"
    ),
    ("cdc_wonder", "*.csv"): "a CDC WONDER query export: query results have no download address",
    ("nchs_final", "*.csv"): (
        "transcribed from NCHS Data Briefs (each row names its page): there is no file to download"
    ),
    ("bts_border_crossings", "Border_Crossing_Entry_Data_US-Mexico_*.csv"): (
        "a derivative: the U.S.–Mexico rows of BTS's export Border_Crossing_Entry_Data.csv, "
        "which has an address"
    ),
    ("un_comtrade", "undata_comtrade_*.csv"): (
        "UNdata exports made interactively and renamed; no stable download address was recorded"
    ),
    ("census_pep", "census_pep_state_population_*_intercensal.csv"): (
        "a transcription of the Census intercensal table (an .xlsx), not a file Census publishes"
    ),
    ("conapo", "pop_states_conapo2023_monthly_*.csv"): (
        "a derivative: CONAPO's mid-year table interpolated to months by a third party"
    ),
}

Manifest = dict[str, dict[str, Any]]


@dataclass
class FetchOutcome:
    """What happened to one file.

    Attributes:
        source: the source's name.
        file: the file name inside the source's folder.
        url: the address asked, or None when none is recorded.
        status: one of ``FETCH_STATUSES``.
        bytes: size of the local copy after the fetch (0 when there is none).
        sha256: checksum of the local copy after the fetch.
        message: what happened and, when something is wrong, what to do.
        attempts: HTTP requests made for this file.
    """

    source: str
    file: str
    url: str | None
    status: str
    bytes: int = 0
    sha256: str | None = None
    message: str = ""
    attempts: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FetchReport:
    """The outcome of every file a fetch looked at, in order."""

    outcomes: list[FetchOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[FetchOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def to_dict(self) -> dict[str, Any]:
        counts = {status: self.count(status) for status in FETCH_STATUSES}
        return {"files": [o.to_dict() for o in self.outcomes], **counts}


@dataclass(frozen=True)
class _RetryPolicy:
    attempts: int
    backoff: float


@dataclass
class _Response:
    """The final answer to one file's GET; ``part`` holds the body of a 200."""

    status: int
    attempts: int = 0
    part: Path | None = None
    sha256: str = ""
    bytes: int = 0
    etag: str | None = None
    last_modified: str | None = None
    text: str = ""


class _Retry(Exception):
    """One attempt failed in a way worth trying again (network, 429, 5xx, short body)."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class _DownloadFailed(FetchError):
    """One file could not be downloaded; becomes a ``failed`` outcome, never escapes ``fetch``."""

    def __init__(self, message: str, attempts: int) -> None:
        super().__init__(message)
        self.attempts = attempts


def fetch(
    sources: list[Source],
    dest: Path,
    *,
    base_url: str | None = None,
    attempts: int = 4,
    backoff: float = 0.5,
    timeout: float = 60.0,
    client: httpx.Client | None = None,
    on_file: Callable[[str], None] | None = None,
) -> FetchReport:
    """Download every known file of ``sources`` into ``dest/<source.folder>/``.

    Args:
        sources: the sources whose known files to fetch.
        dest: the local mirror (created if absent).
        base_url: an HTTP mirror laid out like the local one; None asks the official addresses.
        attempts: tries per file on network errors, timeouts, 429 and 5xx answers.
        backoff: seconds before the second try; doubled before each further one.
        timeout: seconds per network operation (ignored when ``client`` is given).
        client: an httpx client to use instead of a new one (it is not closed).
        on_file: called with each file name once that file is done.

    Returns:
        One outcome per file; ``report.failed`` lists the files that could not be fetched.

    Raises:
        FetchError: ``dest`` cannot be written to, or ``attempts`` is below 1.
    """
    if attempts < 1:
        raise FetchError(f"attempts must be at least 1, not {attempts}.")
    _ensure_writable(dest)
    policy = _RetryPolicy(attempts, backoff)
    http = client or httpx.Client(timeout=timeout, follow_redirects=True)
    report = FetchReport()
    try:
        for source, known in _planned(sources):
            report.outcomes.append(_fetch_file(http, source, known, dest, base_url, policy))
            if on_file:
                on_file(known.name)
    finally:
        if client is None:
            http.close()
    return report


def retry_delay(attempt: int, backoff: float, retry_after: float | None) -> float:
    """Seconds to wait after failed try number ``attempt`` (1-based).

    A server's Retry-After is honoured when it is at most ``MAX_RETRY_AFTER``; otherwise the
    wait is ``backoff`` doubled for each earlier try.
    """
    if retry_after is not None and 0 <= retry_after <= MAX_RETRY_AFTER:
        return retry_after
    return backoff * 2 ** (attempt - 1)


def read_manifest(folder: Path) -> Manifest:
    """The fetch manifest of a mirror folder; empty when absent or unreadable."""
    try:
        data = json.loads((folder / FETCH_MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}


def fetch_page(
    url: str,
    *,
    attempts: int = 4,
    backoff: float = 0.5,
    timeout: float = 60.0,
    client: httpx.Client | None = None,
) -> str:
    """The text of a web page (e.g. a publisher's list of files), with fetch's retries.

    Raises:
        FetchError: the page could not be read (network, refused, 404 …); the message says why.
    """
    policy = _RetryPolicy(max(attempts, 1), backoff)
    http = client or httpx.Client(timeout=timeout, follow_redirects=True)
    try:
        response = _retrying(url, policy, lambda: _get_text_once(http, url))
    finally:
        if client is None:
            http.close()
    if response.status != 200:
        raise FetchError(f"{url} answered HTTP {response.status}; the page could not be read.")
    return response.text


def no_address_reason(folder: str, name: str) -> str | None:
    """Why the known file ``name`` of a mirror folder has no download address (``NO_ADDRESS``)."""
    return next(
        (why for (f, pattern), why in NO_ADDRESS.items()
         if f == folder and fnmatch.fnmatchcase(name, pattern)),
        None,
    )  # fmt: skip


def _planned(sources: list[Source]) -> list[tuple[Source, KnownFile]]:
    """Every known file of ``sources``, once per folder and name."""
    seen: set[tuple[str, str]] = set()
    planned = []
    for source in sources:
        for series in source.series:
            for known in series.known:
                if (source.folder, known.name) not in seen:
                    seen.add((source.folder, known.name))
                    planned.append((source, known))
    return planned


def _fetch_file(
    http: httpx.Client,
    source: Source,
    known: KnownFile,
    dest: Path,
    base_url: str | None,
    policy: _RetryPolicy,
) -> FetchOutcome:
    folder = dest / source.folder
    url = _address(source, known, base_url)
    if url is None:
        why = no_address_reason(source.folder, known.name)
        message = (
            f"{known.name}: no download address is recorded"
            + (f" ({why})" if why else "")
            + f". Download it from {source.homepage} and place it in {folder} by hand."
        )
        return FetchOutcome(source.name, known.name, None, "no_url", message=message)
    _ensure_writable(folder)
    manifest = read_manifest(folder)
    previous = _current_entry(manifest.get(known.name), folder / known.name)
    try:
        response = _download(http, url, _request_headers(previous), folder, known.name, policy)
        return _settle(response, source, known, folder, url, manifest, previous)
    except _DownloadFailed as exc:
        return FetchOutcome(
            source.name, known.name, url, "failed", message=str(exc), attempts=exc.attempts
        )
    except OSError as exc:
        raise FetchError(
            f"cannot write {known.name} in {folder}: {exc}. Free some space or pass another "
            "destination folder."
        ) from exc


def _settle(
    response: _Response,
    source: Source,
    known: KnownFile,
    folder: Path,
    url: str,
    manifest: Manifest,
    previous: dict[str, Any] | None,
) -> FetchOutcome:
    """Turn the final answer into an outcome, moving a new body into place and noting it."""
    outcome = FetchOutcome(source.name, known.name, url, "failed", attempts=response.attempts)
    if response.status == 404:
        outcome.status = "missing"
        outcome.message = (
            f"{url} answered 404 Not Found; nothing was written. The file may have moved: look "
            f"on {source.homepage} and place it in {folder} by hand."
        )
    elif response.status == 304 and previous is not None:
        manifest[known.name] = {**previous, "checked_at": _now()}
        _write_manifest(folder, manifest)
        outcome.status = "not_modified"
        outcome.bytes, outcome.sha256 = int(previous["bytes"]), str(previous["sha256"])
    elif response.status == 304:
        outcome.message = f"{url} answered 304 Not Modified to an unconditional request."
    else:
        assert response.part is not None
        os.replace(response.part, folder / known.name)
        manifest[known.name] = _entry(url, response)
        _write_manifest(folder, manifest)
        outcome.bytes, outcome.sha256 = response.bytes, response.sha256
        outcome.status = "downloaded"
        if known.sha256 and known.sha256 != response.sha256:
            outcome.status = "changed"
            outcome.message = (
                f"{known.name}: sha256 {response.sha256[:12]}… differs from the recorded "
                f"checksum {known.sha256[:12]}…: a revised release or a corrupted download; "
                "ingest will record it as a new release with a hash_mismatch warning."
            )
    return outcome


def _download(
    http: httpx.Client,
    url: str,
    headers: dict[str, str],
    folder: Path,
    name: str,
    policy: _RetryPolicy,
) -> _Response:
    """GET ``url`` with retries; the answer is 200 (body saved), 304 or 404, else it fails."""
    return _retrying(url, policy, lambda: _get_once(http, url, headers, folder, name))


def _retrying(url: str, policy: _RetryPolicy, once: Callable[[], _Response]) -> _Response:
    """Call ``once`` (one GET of ``url``) until it answers 200, 304 or 404, retrying on
    ``_Retry``; any other answer, or running out of attempts, raises ``_DownloadFailed``."""
    reason = ""
    for attempt in range(1, policy.attempts + 1):
        try:
            response = once()
        except _Retry as exc:
            reason = str(exc)
            if attempt < policy.attempts:
                time.sleep(retry_delay(attempt, policy.backoff, exc.retry_after))
            continue
        response.attempts = attempt
        if response.status not in (200, 304, 404):
            raise _DownloadFailed(
                f"{url} answered HTTP {response.status}; not retried. Check the address "
                "(and any access rules of the server), then run fetch again.",
                attempt,
            )
        return response
    raise _DownloadFailed(
        f"could not download {url} after {policy.attempts} attempts (last: {reason}). Check the "
        "network or the server, then run fetch again; files already downloaded are kept.",
        policy.attempts,
    )


def _get_once(
    http: httpx.Client, url: str, headers: dict[str, str], folder: Path, name: str
) -> _Response:
    """One GET. Raises ``_Retry`` for answers and errors worth another try."""
    try:
        with http.stream("GET", url, headers=headers) as response:
            code = response.status_code
            if code == 429 or code >= 500:
                raise _Retry(f"HTTP {code}", _retry_after(response.headers.get("Retry-After")))
            if code != 200:
                return _Response(code)
            part, sha256, size = _save_body(response, folder, name)
            return _Response(
                200,
                part=part,
                sha256=sha256,
                bytes=size,
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
            )
    except httpx.TransportError as exc:
        raise _Retry(f"{type(exc).__name__}: {exc}") from exc


def _get_text_once(http: httpx.Client, url: str) -> _Response:
    """One GET of a page, read whole (pages are small). Raises ``_Retry`` like ``_get_once``."""
    try:
        response = http.get(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html"})
    except httpx.TransportError as exc:
        raise _Retry(f"{type(exc).__name__}: {exc}") from exc
    code = response.status_code
    if code == 429 or code >= 500:
        raise _Retry(f"HTTP {code}", _retry_after(response.headers.get("Retry-After")))
    return _Response(code, text=response.text if code == 200 else "")


def _save_body(response: httpx.Response, folder: Path, name: str) -> tuple[Path, str, int]:
    """Stream the body to a temporary file beside the target; check it arrived whole."""
    handle, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
    part = Path(temp)
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in response.iter_bytes():
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
        _check_length(response)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return part, digest.hexdigest(), size


def _check_length(response: httpx.Response) -> None:
    declared = response.headers.get("Content-Length", "")
    received = response.num_bytes_downloaded  # bytes on the wire, as Content-Length counts them
    if declared.isdigit() and received != int(declared):
        raise _Retry(f"the body ended after {received} of {declared} bytes")


def _retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), if readable."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _address(source: Source, known: KnownFile, base_url: str | None) -> str | None:
    if base_url is None:
        return known.url
    return f"{base_url.rstrip('/')}/{quote(source.folder)}/{quote(known.name)}"


def _current_entry(entry: dict[str, Any] | None, path: Path) -> dict[str, Any] | None:
    """The manifest entry, if the local file is still the one it describes."""
    if entry is None or not path.is_file():
        return None
    with path.open("rb") as handle:
        sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
    return entry if entry.get("sha256") == sha256 else None


def _request_headers(previous: dict[str, Any] | None) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT}
    if previous and previous.get("etag"):
        headers["If-None-Match"] = str(previous["etag"])
    if previous and previous.get("last_modified"):
        headers["If-Modified-Since"] = str(previous["last_modified"])
    return headers


def _entry(url: str, response: _Response) -> dict[str, Any]:
    return {
        "url": url,
        "retrieved_at": _now(),
        "etag": response.etag,
        "last_modified": response.last_modified,
        "sha256": response.sha256,
        "bytes": response.bytes,
    }


def _write_manifest(folder: Path, manifest: Manifest) -> None:
    """Replace the manifest atomically, like the files it describes."""
    handle, temp = tempfile.mkstemp(prefix=f"{FETCH_MANIFEST}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "w") as out:
            json.dump(manifest, out, indent=2, sort_keys=True)
            out.write("\n")
        os.replace(temp, folder / FETCH_MANIFEST)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _ensure_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FetchError(
            f"cannot create the download folder {folder}: {exc}. Pass a writable destination."
        ) from exc
    if not os.access(folder, os.W_OK):
        raise FetchError(f"cannot write to {folder}. Pass a writable destination.")


def _now() -> str:
    """The current UTC time as ISO 8601 without a zone suffix (what ingest reads)."""
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds")
