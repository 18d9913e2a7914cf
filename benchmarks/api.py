"""A bounded load test of the API on 127.0.0.1: concurrent clients on cached metric queries.

Starts ``borderflow serve`` (uvicorn, one process) on a free local port over a warehouse, warms
the answers, connects ``--clients`` asynchronous users (one keep-alive connection each;
connecting is not timed), then lets them loop for ``--seconds`` seconds over a set of metric
queries (``GET /api/query``). The users speak HTTP/1.1 over asyncio streams (a lean client, so
the figure is the server's); the same load with httpx clients is printed beside it. Prints
p50/p99 latency, throughput and errors. Baselines in the same run: the same users on a static
endpoint (``/api``, no metrics work: HTTP + uvicorn + FastAPI alone), and the same queries
through ``Engine.run`` in-process (cached answers, no HTTP). Target: p99 < 200 ms, 0 errors.

Usage: python benchmarks/api.py [--db FILE] [--clients 50] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from borderflow.config import resolve_db_path, resolve_mirror
from borderflow.metrics import Engine, Query

QUERIES = [
    "measure=seized_lb&period=FY2024&where=drug=Fentanyl",
    "measure=seized_lb&period=FY2019..FY2025&grain=fiscal_year&by=drug",
    "measure=seized_lb&period=FY2024&where=drug=Fentanyl&where=region=Southwest Border"
    "&by=component",
    "measure=overdose_deaths_12m&period=12ME 2023-12&by=us_state&rate=per_100k&rank=true",
    "measure=homicide_victims&period=2024&by=mx_state",
    "measure=crossings&period=2024&where=conveyance=Trucks&compare=year_ago",
]


def ensure_warehouse(db: Path | None) -> Path:
    """The warehouse to serve: ``--db``, else a fresh one ingested from the mirror."""
    if db is not None:
        return db
    path = resolve_db_path(None)
    if path.exists():
        return path
    path = Path(tempfile.mkdtemp()) / "bench.duckdb"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "borderflow",
            "ingest",
            "--mirror",
            str(resolve_mirror(None)),
            "--db",
            str(path),
        ],
        check=True,
    )
    return path


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "borderflow", "serve", "--db", str(db), "--port", str(port)]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("the server did not start within 60 s")


class HttpxUser:
    """One simulated user: an ``httpx.AsyncClient`` with one keep-alive connection."""

    def __init__(self, base: str) -> None:
        self.client = httpx.AsyncClient(base_url=base, timeout=10)

    async def get(self, path: str) -> int:
        return (await self.client.get(path)).status_code

    async def close(self) -> None:
        await self.client.aclose()


class RawUser:
    """One simulated user speaking HTTP/1.1 keep-alive over an asyncio stream.

    About a tenth of httpx's client CPU per request, so on a small shared machine the figure is
    the server's rather than the load generator's.
    """

    def __init__(self, base: str) -> None:
        self.url = httpx.URL(base)
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> int:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.url.host, self.url.port)
        reader, writer = self.streams
        target = httpx.URL(str(self.url.join(path))).raw_path.decode()
        writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.url.host}\r\n\r\n".encode())
        status = int((await reader.readline()).split()[1])
        length = 0
        while (header := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = header.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await reader.readexactly(length)
        return status

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()


USERS = {"raw": RawUser, "httpx": HttpxUser}


async def load(
    base: str, paths: list[str], clients: int, seconds: float, kind: str = "raw"
) -> dict[str, float]:
    """``clients`` concurrent users loop over ``paths`` for ``seconds``; latencies and errors.

    Every user connects (untimed) before the clock starts, so connection set-up is not counted.
    """
    latencies: list[float] = []
    errors = 0
    ready = asyncio.Event()
    connected = 0
    stop = time.monotonic() + seconds + 3600  # set when every user is connected

    async def worker(offset: int) -> None:
        nonlocal errors, connected
        user = USERS[kind](base)
        try:
            await user.get(paths[offset % len(paths)])
            connected += 1
            await ready.wait()
            i = offset
            while time.monotonic() < stop:
                started = time.perf_counter()
                try:
                    ok = await user.get(paths[i % len(paths)]) == 200
                except (httpx.HTTPError, OSError, ValueError, IndexError):
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors += not ok
                i += 1
        finally:
            await user.close()

    async def start() -> None:
        nonlocal stop
        deadline = time.monotonic() + 30
        while connected < clients and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        stop = time.monotonic() + seconds
        ready.set()

    await asyncio.gather(start(), *(worker(n) for n in range(clients)))
    return summary(latencies, errors, seconds)


def summary(latencies: list[float], errors: int, seconds: float) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "p50_ms": 1000 * statistics.median(ordered),
        "p99_ms": 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
        "rps": len(ordered) / seconds,
        "errors": errors,
    }


def in_process(db: Path, rounds: int = 2000) -> dict[str, float]:
    """The same queries answered by ``Engine.run`` (cached) in this process, no HTTP."""
    engine = Engine.open(db)
    queries = []
    for text in QUERIES:
        params = httpx.QueryParams(text)
        where: dict[str, tuple[str, ...]] = {}
        for item in params.get_list("where"):
            dim, _, value = item.partition("=")
            where[dim] = (value,)
        queries.append(
            Query(
                params["measure"],
                params["period"],
                where=where,
                by=tuple(params.get_list("by")),
                grain=params.get("grain"),
                compare=params.get("compare"),
                rate=params.get("rate"),
                rank=params.get("rank") == "true",
            )
        )
    for q in queries:
        engine.run(q)
    latencies = []
    for i in range(rounds):
        started = time.perf_counter()
        engine.run(queries[i % len(queries)]).to_dict()
        latencies.append(time.perf_counter() - started)
    engine.close()
    return summary(latencies, 0, sum(latencies))


def line(name: str, r: dict[str, float]) -> str:
    return (
        f"{name:<34} requests {r['requests']:>7,.0f}  p50 {r['p50_ms']:7.2f} ms  "
        f"p99 {r['p99_ms']:7.2f} ms  {r['rps']:>8,.0f} req/s  errors {r['errors']:.0f}"
    )


def run(work: Any) -> dict[str, float]:
    """Run the clients on uvloop when it is installed (less client overhead), else asyncio."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(work)
    result: dict[str, float] = uvloop.run(work)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()
    db = ensure_warehouse(args.db)
    server = start_server(db, args.port)
    base = f"http://127.0.0.1:{args.port}"
    try:
        paths = [f"/api/query?{q}" for q in QUERIES]
        for path in paths:  # warm: first answers are computed, later ones cached
            httpx.get(base + path, timeout=30).raise_for_status()
        static = run(load(base, ["/api"], args.clients, min(args.seconds, 5)))
        cached = run(load(base, paths, args.clients, args.seconds))
        via_httpx = run(load(base, paths, args.clients, min(args.seconds, 10), "httpx"))
    finally:
        server.terminate()
        server.wait(timeout=10)
    local = in_process(db)
    print(f"API load test: {args.clients} clients, 127.0.0.1, warehouse {db}")
    print(line(f"cached metric queries ({args.seconds:.0f} s)", cached))
    print(line("same, httpx clients (10 s)", via_httpx))
    print(line("baseline: static /api (5 s)", static))
    print(line("baseline: Engine.run in-process", local))
    verdict = "met" if cached["p99_ms"] < 200 and cached["errors"] == 0 else "NOT met"
    print(f"target p99 < 200 ms and 0 errors: {verdict}")


if __name__ == "__main__":
    main()
