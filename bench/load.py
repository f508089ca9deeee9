"""Load bench of the server's yente-compatible `POST /match/default`, one command:

    .venv/bin/python bench/load.py [--seconds 10] [--workers 1] [--concurrency 1 8 32]

Starts `threadline serve` on a free loopback port with a fresh SQLite database and a viewer
token, then runs a load generator in a SEPARATE process: asyncio, raw HTTP/1.1 keep-alive
connections, one single-query request at a time per connection, for a bounded time at each
concurrency. Prints requests/s, p50/p99 latency and errors per level, and writes
bench/out/load.json. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = str(Path(sys.executable).parent / "threadline")
# Names a buyer's file would hold: the example's suppliers (listed ones, Chinese and Latin
# spellings) and ordinary companies that should find nothing.
EXTRA_NAMES = [
    "Shenzhen Bright Star Electronics Co., Ltd.",
    "Acme Widgets GmbH",
    "Ningbo Ocean Textile Trading Co Ltd",
    "浙江华东纺织有限公司",
    "Xinjiang Zhongtai Chemical Co Ltd",
    "Hangzhou Hikvision Digital Technology",
    "Guangdong Evergreen Garments Limited",
    "Tianjin Port Logistics Group",
]


def query_names() -> list[str]:
    with (ROOT / "examples" / "suppliers.csv").open(encoding="utf-8") as handle:
        names = [row["supplier"] for row in csv.DictReader(handle) if row["supplier"]]
    return names + EXTRA_NAMES


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- the load generator (runs in its own process) ---------------------------------------------


def _request(port: int, token: str, name: str) -> bytes:
    body = json.dumps(
        {"queries": {"q": {"schema": "Company", "properties": {"name": [name]}}}},
        ensure_ascii=False,
    ).encode()
    head = (
        f"POST /match/default HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _connection(
    port: int, requests: list[bytes], offset: int, until: float, warm_until: float
) -> tuple[list[float], int]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    latencies: list[float] = []
    errors = 0
    i = offset
    try:
        while (now := time.perf_counter()) < until:
            writer.write(requests[i % len(requests)])
            i += 1
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            body = await reader.readexactly(length)
            done = time.perf_counter()
            ok = status == 200 and body.startswith(b'{"responses"')
            if now >= warm_until:
                latencies.append(done - now)
                errors += not ok
    finally:
        writer.close()
    return latencies, errors


async def _generate(
    port: int, token: str, concurrency: int, seconds: float, warmup: float
) -> dict[str, Any]:
    requests = [_request(port, token, name) for name in query_names()]
    start = time.perf_counter()
    warm_until, until = start + warmup, start + warmup + seconds
    results = await asyncio.gather(
        *(_connection(port, requests, c, until, warm_until) for c in range(concurrency))
    )
    latencies = sorted(x for lat, _ in results for x in lat)
    errors = sum(e for _, e in results)
    elapsed = time.perf_counter() - warm_until
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "concurrency": concurrency,
        "requests": len(latencies),
        "errors": errors,
        "seconds": round(elapsed, 2),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(q[49] * 1000, 2),
        "p99_ms": round(q[98] * 1000, 2),
        "max_ms": round(latencies[-1] * 1000, 2) if latencies else 0.0,
    }


def generator_main(args: argparse.Namespace) -> None:
    level = args.concurrency[0]
    stats = asyncio.run(_generate(args.port, args.token, level, args.seconds, args.warmup))
    sys.stdout.write(json.dumps(stats) + "\n")


# -- the driver ---------------------------------------------------------------------------------


def _wait_healthy(port: int, server: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("server did not become healthy")


@dataclass
class Served:
    """A `threadline serve` child on a fresh SQLite store, with one user's API token."""

    port: int
    token: str
    process: subprocess.Popen[bytes]
    log_path: Path


@contextlib.contextmanager
def served(folder: Path, user: str, role: str, *serve_args: str) -> Iterator[Served]:
    """Start the server on a store in `folder`, wait until it answers, stop it after."""
    db = f"sqlite:///{folder / 'bench.db'}"
    added = subprocess.run(
        [SCRIPT, "user", "add", user, "--role", role, "--db", db],
        capture_output=True,
        text=True,
        check=True,
    )
    token = added.stdout.strip().splitlines()[-1]
    port = free_port()
    log_path = folder / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [SCRIPT, "serve", "--port", str(port), "--db", db, *serve_args],
            stdout=log,
            stderr=log,
            env={**os.environ, "THREADLINE_LOG_LEVEL": "WARNING"},
        )
        try:
            _wait_healthy(port, server)
            yield Served(port, token, server, log_path)
        finally:
            server.terminate()
            server.wait(timeout=30)


def generate(
    srv: Served, concurrency: int, seconds: float, warmup: float, timeout: float
) -> subprocess.CompletedProcess[str]:
    """This script's load generator in a process of its own, against a served app: its JSON
    figures on stdout."""
    return subprocess.run(
        [
            sys.executable,
            __file__,
            "--generate",
            "--port",
            str(srv.port),
            "--token",
            srv.token,
            "--concurrency",
            str(concurrency),
            "--seconds",
            str(seconds),
            "--warmup",
            str(warmup),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per level")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured time per level")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "load.json")
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generator_main(args)
        return

    with (
        tempfile.TemporaryDirectory(prefix="threadline-load-") as tmp,
        served(Path(tmp), "bench", "viewer", "--workers", str(args.workers)) as srv,
    ):
        levels = []
        for concurrency in args.concurrency:
            generated = generate(
                srv, concurrency, args.seconds, args.warmup, args.seconds + args.warmup + 60
            )
            if generated.returncode != 0:
                server_log = srv.log_path.read_text(encoding="utf-8", errors="replace")
                raise SystemExit(
                    f"load generator failed: {generated.stderr.strip()[-500:]}\n"
                    f"server log (end):\n{server_log[-2000:]}"
                )
            levels.append(json.loads(generated.stdout))
            sys.stderr.write(json.dumps(levels[-1]) + "\n")
    report = {
        "endpoint": "POST /match/default, one query per request",
        "server_workers": args.workers,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "levels": levels,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    lines = [f"{'concurrency':>11} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"]
    lines += [
        f"{x['concurrency']:>11} {x['requests_per_s']:>8} {x['p50_ms']:>8} {x['p99_ms']:>8} "
        f"{x['errors']:>7}"
        for x in levels
    ]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
