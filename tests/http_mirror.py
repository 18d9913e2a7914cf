"""A real HTTP server on 127.0.0.1 serving a mirror folder, for fetch and update tests.

``http.server`` with ETag support (sha256 of the file, ``If-None-Match`` → 304) and switches to
inject failures: answer the next requests with given status codes, or cut the next bodies short.
It logs every request so tests can count what went over the wire.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO


class MirrorHandler(SimpleHTTPRequestHandler):
    """Serves a folder with ETags, logging requests and failing on demand (see ``Server``)."""

    server: MirrorServer

    def do_GET(self) -> None:
        self.server.requests.append({"path": self.path, "headers": dict(self.headers)})
        if self.server.fail_with:
            code = self.server.fail_with.pop(0)
            self.send_response(code)
            if code == 429:
                self.send_header("Retry-After", "0")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        self.etag = None
        if path.is_file():
            self.etag = '"' + hashlib.sha256(path.read_bytes()).hexdigest() + '"'
            if self.headers.get("If-None-Match") == self.etag:
                self.send_response(304)
                self.end_headers()
                return None
        return super().send_head()

    def end_headers(self) -> None:
        etag = getattr(self, "etag", None)
        if etag:
            self.send_header("ETag", etag)
        super().end_headers()

    def copyfile(self, source: BinaryIO, outputfile: BinaryIO) -> None:  # type: ignore[override]
        body = source.read()
        if self.server.truncate > 0:
            self.server.truncate -= 1
            body = body[: len(body) // 2]
            self.close_connection = True
        outputfile.write(body)
        self.server.body_bytes += len(body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.server.codes.append(int(code))

    def log_message(self, format: str, *args: Any) -> None:
        pass


class MirrorServer(ThreadingHTTPServer):
    """The server with its failure switches and request log."""

    def __init__(self, directory: Path, handler: type[MirrorHandler] | None = None) -> None:
        handler_class = handler or MirrorHandler
        super().__init__(("127.0.0.1", 0), partial(handler_class, directory=str(directory)))
        self.fail_with: list[int] = []  # status codes for the next requests, in order
        self.truncate = 0  # how many of the next bodies to cut in half
        self.requests: list[dict[str, Any]] = []
        self.codes: list[int] = []
        self.body_bytes = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def reset_log(self) -> None:
        self.requests.clear()
        self.codes.clear()
        self.body_bytes = 0


@contextmanager
def serving(directory: Path, handler: type[MirrorHandler] | None = None) -> Iterator[MirrorServer]:
    """A running server over ``directory`` for the block."""
    httpd = MirrorServer(directory, handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
