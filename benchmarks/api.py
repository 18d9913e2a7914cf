"""A bounded load test of the web app on 127.0.0.1: dashboard pages and API queries, with the
page cache and without it, in the same run.

Starts the app under uvicorn (one process, as ``borderflow serve``) on a free local port over a
warehouse, connects ``--clients`` asynchronous users (one keep-alive connection each; connecting
is not timed), then lets them loop for ``--seconds`` over

- pages: the dashboard pages and their ``.json`` twins, with a few filter sets and both
  languages (``PAGES``);
- API: metric queries (``GET /api/query``, ``QUERIES``);
- mixed: every user alternating between the two;

first on an app that renders every page anew (``create_app(page_cache=0)``: the baseline), then
on the app as served (pages kept per filter set and language). The users speak HTTP/1.1 over
asyncio streams (a lean client, so the figure is the server's). Prints p50/p95/p99 latency,
throughput and errors per kind, the cold first pass over the pages, the ratios of the baseline to
the cached figures, and a static baseline (``/api``: HTTP + uvicorn + FastAPI alone).
Targets: pages p99 < 300 ms and API p99 < 200 ms at 30 clients, 0 errors.

Usage: python benchmarks/api.py [--db FILE] [--clients 30] [--seconds 15]
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from borderflow.config import resolve_db_path, resolve_mirror

QUERIES = [
    "measure=seized_lb&period=FY2024&where=drug=Fentanyl",
    "measure=seized_lb&period=FY2019..FY2025&grain=fiscal_year&by=drug",
    "measure=seized_lb&period=FY2024&where=drug=Fentanyl&where=region=Southwest Border"
    "&by=component",
    "measure=overdose_deaths_12m&period=12ME 2023-12&by=us_state&rate=per_100k&rank=true",
    "measure=homicide_victims&period=2024&by=mx_state",
    "measure=crossings&period=2024&where=conveyance=Trucks&compare=year_ago",
]

PAGES = [
    "/",
    "/index.json",
    "/seizures",
    "/seizures?drug=Fentanyl",
    "/seizures.json?drug=Methamphetamine&place=Southwest Border",
    "/seizures?lang=es",
    "/deaths",
    "/deaths.json?lang=es",
    "/crossings",
    "/crossings.json",
    "/homicides?lang=es",
    "/homicides.json",
    "/trade",
    "/trade.json",
    "/outlook",
    "/interdiction",
    "/releases",
    "/releases?ids=1,2,3",
]

#: The app under uvicorn, as ``borderflow serve`` runs it, with the page cache size given.
SERVER = """
import sys
from pathlib import Path
import uvicorn
from borderflow.web.app import create_app
app = create_app(Path(sys.argv[1]), page_cache=int(sys.argv[3]))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def ensure_warehouse(db: Path | None) -> Path:
    """The warehouse to serve: ``--db``, else the configured one, else one ingested now."""
    if db is not None:
        return db
    path = resolve_db_path(None)
    if path.exists():
        return path
    path = Path(tempfile.mkdtemp()) / "bench.duckdb"
    mirror = str(resolve_mirror(None))
    subprocess.run(
        [sys.executable, "-m", "borderflow", "ingest", "--mirror", mirror, "--db", str(path)],
        check=True,
    )
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int, page_cache: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", SERVER, str(db), str(port), str(page_cache)]
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


def kind_of(path: str) -> str:
    return "api" if path.startswith("/api") else "pages"


async def load(
    base: str, paths: list[str], clients: int, seconds: float
) -> dict[str, dict[str, float]]:
    """``clients`` concurrent users loop over ``paths`` for ``seconds``; figures by kind.

    Every user connects (untimed) before the clock starts, so connection set-up is not counted.
    User ``n`` starts at path ``n``, so all paths are asked at once.
    """
    latencies: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    ready = asyncio.Event()
    connected = 0
    stop = time.monotonic() + seconds + 3600  # set when every user is connected

    async def worker(offset: int) -> None:
        nonlocal connected
        user = RawUser(base)
        try:
            await user.get("/api")
            connected += 1
            await ready.wait()
            i = offset
            while time.monotonic() < stop:
                path = paths[i % len(paths)]
                started = time.perf_counter()
                try:
                    ok = await user.get(path) == 200
                except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
                    ok = False
                    await user.close()
                    user = RawUser(base)
                kind = kind_of(path)
                latencies.setdefault(kind, []).append(time.perf_counter() - started)
                errors[kind] = errors.get(kind, 0) + (not ok)
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
    return {kind: summary(lat, errors[kind], seconds) for kind, lat in latencies.items()}


def summary(latencies: list[float], errors: int, seconds: float) -> dict[str, float]:
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return 1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    return {
        "requests": len(ordered),
        "p50_ms": 1000 * statistics.median(ordered),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "rps": len(ordered) / seconds,
        "errors": errors,
    }


def first_pass(base: str, paths: list[str]) -> dict[str, float]:
    """Each page once, in turn (cold: nothing kept yet); milliseconds by path."""
    times = {}
    with httpx.Client(base_url=base, timeout=120) as client:
        for path in paths:
            started = time.perf_counter()
            client.get(path).raise_for_status()
            times[path] = 1000 * (time.perf_counter() - started)
    return times


def run(work: Any) -> Any:
    """Run the clients on uvloop when it is installed (less client overhead), else asyncio."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(work)
    return uvloop.run(work)


def measure(db: Path, page_cache: int, clients: int, seconds: float) -> dict[str, Any]:
    """Start the app with ``page_cache`` and measure pages, API and both mixed."""
    port = free_port()
    server = start_server(db, port, page_cache)
    base = f"http://127.0.0.1:{port}"
    api = [f"/api/query?{q}" for q in QUERIES]
    try:
        cold = first_pass(base, PAGES)  # also computes what the engine keeps (memo, answers)
        first_pass(base, api)
        figures = {
            "cold": cold,
            "static": run(load(base, ["/api"], clients, min(seconds, 5)))["api"],
            "pages": run(load(base, PAGES, clients, seconds))["pages"],
            "api": run(load(base, api, clients, seconds))["api"],
        }
        mixed_paths = [p for pair in zip(PAGES, api * 3, strict=False) for p in pair]
        figures["mixed"] = run(load(base, mixed_paths, clients, seconds))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return figures


def line(name: str, r: dict[str, float]) -> str:
    return (
        f"  {name:<26} {r['requests']:>7,.0f} req  p50 {r['p50_ms']:7.1f}  p95 {r['p95_ms']:7.1f}"
        f"  p99 {r['p99_ms']:7.1f} ms  {r['rps']:>7,.0f} req/s  errors {r['errors']:.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    db = ensure_warehouse(args.db)
    from borderflow.web.state import MAX_PAGES

    runs = {
        "uncached": measure(db, 0, args.clients, args.seconds),
        "cached": measure(db, MAX_PAGES, args.clients, args.seconds),
    }
    print(
        f"Web load test: {args.clients} clients, {args.seconds:.0f} s per load, 127.0.0.1, "
        f"one uvicorn process, warehouse {db}"
    )
    for name, r in runs.items():
        cold = sorted(r["cold"].values())
        print(
            f"{name} (pages {'rendered every request' if name == 'uncached' else 'kept'}): "
            f"first pass over {len(cold)} pages {sum(cold):,.0f} ms, "
            f"slowest {max(cold):,.0f} ms"
        )
        print(line("pages", r["pages"]))
        print(line("API queries", r["api"]))
        print(line("mixed: pages", r["mixed"]["pages"]))
        print(line("mixed: API queries", r["mixed"]["api"]))
        print(line("static /api (5 s)", r["static"]))
    base, kept = runs["uncached"], runs["cached"]
    print("uncached / cached:")
    for kind, label in (("pages", "pages"), ("api", "API queries")):
        ratios = "  ".join(
            f"{m.removesuffix('_ms')} ×{base[kind][m] / kept[kind][m]:.1f}"
            for m in ("p50_ms", "p95_ms", "p99_ms")
        )
        throughput = kept[kind]["rps"] / base[kind]["rps"]
        print(f"  {label:<26} {ratios}  throughput ×{throughput:.1f} (cached / uncached)")
    errors = sum(r[kind]["errors"] for kind in ("pages", "api") for r in (kept, kept["mixed"]))
    met = kept["pages"]["p99_ms"] < 300 and kept["api"]["p99_ms"] < 200 and errors == 0
    print(
        f"targets (cached): pages p99 < 300 ms, API p99 < 200 ms, 0 errors: "
        f"{'met' if met else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
