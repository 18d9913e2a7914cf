"""Fetch against a real HTTP server on 127.0.0.1 serving the real mirror (CBP AMO files).

The server (``http_mirror.py``) answers with ETags and can inject failures; it logs every request
so tests can count what went over the wire.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import socket
from collections.abc import Iterator
from datetime import date, datetime
from functools import partial
from pathlib import Path

import httpx
import pytest

from borderflow import __version__
from borderflow.errors import FetchError
from borderflow.fetch import FETCH_STATUSES, fetch, read_manifest, retry_delay
from borderflow.sources import get_sources
from borderflow.sources.base import KnownFile, Source
from borderflow.warehouse import Warehouse
from borderflow.warehouse.ingest import FETCH_MANIFEST, ingest
from conftest import MIRROR
from http_mirror import MirrorHandler, MirrorServer, serving

CBP = "cbp_drug_seizures"
# sha256 column of cbp_drug_seizures/SOURCE.md (the files as committed upstream).
AMO_SHA256 = {
    "amo-drug-seizures-fy19-fy22.csv": (
        "41c4bee004fc794c716f82e3e037b3d9c5da8e3d01603ea14421a8585d4d7cd4"
    ),
    "amo-drug-seizures-fy20-fy23.csv": (
        "75d01cf60e935df2ddccd53b38377bbcb1b4a1f904a4f958b8abc08f70930eca"
    ),
    "amo-drug-seizures-fy23-fy26-dec.csv": (
        "eccb1d28654dff7844988137bb0539af906553c863739762d0e1707e6f230a93"
    ),
}
FIRST = "amo-drug-seizures-fy19-fy22.csv"


@pytest.fixture
def server() -> Iterator[MirrorServer]:
    with serving(MIRROR) as httpd:
        yield httpd


@pytest.fixture
def amo() -> list[Source]:
    return get_sources(["cbp_amo"])


def with_known(source: Source, known: tuple[KnownFile, ...]) -> Source:
    """The source with its one series' known files replaced."""
    (series,) = source.series
    return dataclasses.replace(source, series=(dataclasses.replace(series, known=known),))


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_first_fetch_downloads_the_published_bytes(
    server: MirrorServer, amo: list[Source], tmp_path: Path
) -> None:
    done: list[str] = []
    report = fetch(amo, tmp_path, base_url=server.base_url, backoff=0.001, on_file=done.append)
    assert [(o.file, o.status) for o in report.outcomes] == [
        (name, "downloaded") for name in AMO_SHA256
    ]
    assert done == list(AMO_SHA256)
    assert not report.failed
    for outcome in report.outcomes:
        path = tmp_path / CBP / outcome.file
        assert outcome.sha256 == AMO_SHA256[outcome.file] == sha256_of(path)
        assert outcome.bytes == path.stat().st_size == (MIRROR / CBP / outcome.file).stat().st_size
        assert outcome.url == f"{server.base_url}/{CBP}/{outcome.file}"
        assert outcome.attempts == 1
    assert server.requests[0]["headers"]["User-Agent"] == f"borderflow/{__version__}"
    assert sorted(p.name for p in (tmp_path / CBP).iterdir()) == sorted(
        [*AMO_SHA256, FETCH_MANIFEST]
    )
    manifest = read_manifest(tmp_path / CBP)
    entry = manifest[FIRST]
    assert entry["etag"] == f'"{AMO_SHA256[FIRST]}"'
    assert entry["last_modified"]  # http.server sends the file's mtime
    assert entry["sha256"] == AMO_SHA256[FIRST] and entry["bytes"] == 184400
    datetime.fromisoformat(entry["retrieved_at"])


def test_second_fetch_is_conditional_and_transfers_nothing(
    server: MirrorServer, amo: list[Source], tmp_path: Path
) -> None:
    fetch(amo, tmp_path, base_url=server.base_url, backoff=0.001)
    before = read_manifest(tmp_path / CBP)
    server.reset_log()
    report = fetch(amo, tmp_path, base_url=server.base_url, backoff=0.001)
    assert {o.status for o in report.outcomes} == {"not_modified"}
    assert server.codes == [304, 304, 304]
    assert server.body_bytes == 0
    assert server.requests[0]["headers"]["If-None-Match"] == before[FIRST]["etag"]
    after = read_manifest(tmp_path / CBP)
    # The bytes were retrieved at the first fetch; the second one only checked them.
    assert after[FIRST]["retrieved_at"] == before[FIRST]["retrieved_at"]
    assert "checked_at" in after[FIRST]
    assert report.outcomes[0].sha256 == AMO_SHA256[FIRST]


def test_a_deleted_local_file_is_fetched_again_unconditionally(
    server: MirrorServer, amo: list[Source], tmp_path: Path
) -> None:
    fetch(amo, tmp_path, base_url=server.base_url, backoff=0.001)
    (tmp_path / CBP / FIRST).unlink()
    server.reset_log()
    report = fetch(amo, tmp_path, base_url=server.base_url, backoff=0.001)
    assert [o.status for o in report.outcomes] == ["downloaded", "not_modified", "not_modified"]
    assert "If-None-Match" not in server.requests[0]["headers"]
    assert server.codes == [200, 304, 304]
    assert sha256_of(tmp_path / CBP / FIRST) == AMO_SHA256[FIRST]


def test_server_errors_are_retried(server: MirrorServer, amo: list[Source], tmp_path: Path) -> None:
    server.fail_with = [503, 503, 429]  # 429 carries Retry-After: 0
    report = fetch(amo, tmp_path, base_url=server.base_url, backoff=0.001)
    assert [o.status for o in report.outcomes] == ["downloaded"] * 3
    assert report.outcomes[0].attempts == 4
    assert server.codes[:4] == [503, 503, 429, 200]
    assert sha256_of(tmp_path / CBP / FIRST) == AMO_SHA256[FIRST]


def test_persistent_server_errors_fail_that_file_only(
    server: MirrorServer, amo: list[Source], tmp_path: Path
) -> None:
    server.fail_with = [503, 503]
    report = fetch(amo, tmp_path, base_url=server.base_url, attempts=2, backoff=0.001)
    assert [o.status for o in report.outcomes] == ["failed", "downloaded", "downloaded"]
    (failed,) = report.failed
    assert failed.attempts == 2
    assert f"{server.base_url}/{CBP}/{FIRST}" in failed.message
    assert "HTTP 503" in failed.message and "run fetch again" in failed.message


def test_other_client_errors_are_not_retried(
    server: MirrorServer, amo: list[Source], tmp_path: Path
) -> None:
    server.fail_with = [403]
    report = fetch(amo, tmp_path, base_url=server.base_url, backoff=0.001)
    assert report.outcomes[0].status == "failed"
    assert report.outcomes[0].attempts == 1
    assert "HTTP 403" in report.outcomes[0].message
    assert server.codes == [403, 200, 200]


def test_truncated_body_fails_without_leaving_a_partial_file(
    server: MirrorServer, amo: list[Source], tmp_path: Path
) -> None:
    server.truncate = 2
    report = fetch(amo, tmp_path, base_url=server.base_url, attempts=2, backoff=0.001)
    assert [o.status for o in report.outcomes] == ["failed", "downloaded", "downloaded"]
    assert "after 2 attempts" in report.failed[0].message
    names = sorted(p.name for p in (tmp_path / CBP).iterdir())
    assert names == sorted([*list(AMO_SHA256)[1:], FETCH_MANIFEST])  # no .part files either
    assert FIRST not in read_manifest(tmp_path / CBP)


def test_truncated_body_is_retried_and_keeps_the_previous_copy_until_complete(
    server: MirrorServer, amo: list[Source], tmp_path: Path
) -> None:
    fetch(amo, tmp_path, base_url=server.base_url, backoff=0.001)
    (tmp_path / CBP / FETCH_MANIFEST).unlink()  # forget the ETags: every GET is a full one
    server.truncate = 4
    report = fetch(amo, tmp_path, base_url=server.base_url, attempts=4, backoff=0.001)
    assert report.outcomes[0].status == "failed"
    assert sha256_of(tmp_path / CBP / FIRST) == AMO_SHA256[FIRST]  # the old copy is intact
    assert not list((tmp_path / CBP).glob("*.part"))
    server.truncate = 1
    report = fetch(amo, tmp_path, base_url=server.base_url, backoff=0.001)
    assert report.outcomes[0].status == "downloaded" and report.outcomes[0].attempts == 2


def test_file_absent_from_the_mirror_is_missing(
    server: MirrorServer, amo: list[Source], tmp_path: Path
) -> None:
    # SOURCE.md: the fy21-fy24 window was never found, so the mirror does not have it.
    absent = KnownFile("amo-drug-seizures-fy21-fy24.csv", None, date(2024, 9, 1))
    source = with_known(amo[0], (*amo[0].series[0].known, absent))
    report = fetch([source], tmp_path, base_url=server.base_url, backoff=0.001)
    assert [o.status for o in report.outcomes] == ["downloaded"] * 3 + ["missing"]
    assert not report.failed
    assert "404" in report.outcomes[-1].message
    assert not (tmp_path / CBP / absent.name).exists()


def test_bytes_unlike_the_recorded_checksum_are_kept_as_changed(
    server: MirrorServer, amo: list[Source], tmp_path: Path
) -> None:
    # A revised release: the server's fy23-fy26-dec file lost its last row.
    served = tmp_path / "served" / CBP
    served.mkdir(parents=True)
    name = "amo-drug-seizures-fy23-fy26-dec.csv"
    lines = (MIRROR / CBP / name).read_bytes().splitlines(keepends=True)
    (served / name).write_bytes(b"".join(lines[:-1]))
    server.RequestHandlerClass = partial(MirrorHandler, directory=str(served.parent))
    source = with_known(amo[0], (amo[0].series[0].known_file(name),))  # type: ignore[arg-type]
    report = fetch([source], tmp_path / "dest", base_url=server.base_url, backoff=0.001)
    (outcome,) = report.outcomes
    assert outcome.status == "changed"
    assert "differs from the recorded checksum" in outcome.message
    assert (tmp_path / "dest" / CBP / name).read_bytes() == (served / name).read_bytes()
    with Warehouse(tmp_path / "w.duckdb") as wh:
        ingested = ingest(wh, [source], tmp_path / "dest")
    kinds = {i.kind for i in ingested.outcomes[0].issues}
    assert {"hash_mismatch", "row_count_mismatch"} <= kinds


def test_ingest_takes_url_and_retrieval_time_from_the_manifest(
    server: MirrorServer, amo: list[Source], tmp_path: Path
) -> None:
    fetch(amo, tmp_path / "mirror", base_url=server.base_url, backoff=0.001)
    manifest = read_manifest(tmp_path / "mirror" / CBP)
    with Warehouse(tmp_path / "w.duckdb") as wh:
        report = ingest(wh, amo, tmp_path / "mirror")
        releases = {r["file_name"]: r for r in wh.read.releases()}
    assert report.count("loaded") == 3
    for name in AMO_SHA256:
        assert releases[name]["url"] == f"{server.base_url}/{CBP}/{name}"
        assert releases[name]["retrieved_at"] == datetime.fromisoformat(
            manifest[name]["retrieved_at"]
        )
        assert releases[name]["sha256"] == AMO_SHA256[name]


def test_official_addresses_are_used_without_a_mirror(
    server: MirrorServer, amo: list[Source], tmp_path: Path
) -> None:
    # cbp_amo records no download address (SOURCE.md: the AMO URLs were not recorded).
    report = fetch(amo, tmp_path, backoff=0.001)
    assert [o.status for o in report.outcomes] == ["no_url"] * 3
    assert amo[0].homepage in report.outcomes[0].message
    assert "by hand" in report.outcomes[0].message
    assert server.requests == []
    # A file whose official address is known is fetched from it (here: the local server).
    known = amo[0].series[0].known[0]
    official = dataclasses.replace(known, url=f"{server.base_url}/{CBP}/{known.name}")
    report = fetch([with_known(amo[0], (official,))], tmp_path, backoff=0.001)
    assert report.outcomes[0].status == "downloaded"
    assert read_manifest(tmp_path / CBP)[known.name]["url"] == official.url


def test_a_caller_supplied_client_is_used_and_left_open(
    server: MirrorServer, amo: list[Source], tmp_path: Path
) -> None:
    with httpx.Client() as client:
        report = fetch(amo, tmp_path, base_url=server.base_url + "/", client=client)
        assert not client.is_closed
    assert report.count("downloaded") == 3


def test_report_is_json_ready(server: MirrorServer, amo: list[Source], tmp_path: Path) -> None:
    report = fetch(amo, tmp_path, base_url=server.base_url, backoff=0.001)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["downloaded"] == 3 and data["failed"] == 0
    assert set(data) == {"files", *FETCH_STATUSES}
    assert set(data["files"][0]) >= {
        "source",
        "file",
        "url",
        "status",
        "bytes",
        "sha256",
        "message",
    }
    assert data["files"][0]["source"] == "cbp_amo"


def test_unwritable_destination_raises(amo: list[Source], tmp_path: Path) -> None:
    occupied = tmp_path / "a-file"
    occupied.write_text("not a folder")
    with pytest.raises(FetchError, match="cannot create the download folder"):
        fetch(amo, occupied, base_url="http://127.0.0.1:9")


def test_retry_delay_doubles_and_honours_a_short_retry_after() -> None:
    assert [retry_delay(n, 0.5, None) for n in (1, 2, 3)] == [0.5, 1.0, 2.0]
    assert retry_delay(3, 0.5, 2.0) == 2.0
    assert retry_delay(1, 0.5, 3600.0) == 0.5  # too long to wait for: back off as usual


def test_unreachable_server_fails_after_retries(amo: list[Source], tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on: the connection is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    report = fetch(amo, tmp_path, base_url=f"http://127.0.0.1:{port}", attempts=2, backoff=0.001)
    assert [o.status for o in report.outcomes] == ["failed"] * 3
    assert "ConnectError" in report.outcomes[0].message
