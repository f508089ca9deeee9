"""Soak bench of the server under mixed load, one command:

    .venv/bin/python bench/soak.py [--seconds 300] [--rows 5000] [--connections 32]

Starts `threadline serve` on a free loopback port with a fresh SQLite database, then for a
bounded time runs, all at once: 32 keep-alive connections on `POST /match/default` (the load
generator of bench/load.py, in its own process); 4 clients each uploading a `--rows`-row
screening and waiting for it, again and again, one of them sending hostile files (a workbook
with a row numbered two billion, a zip bomb, a CSV with a 200,000-character cell); a probe of
`/health` every second; and the server's RSS (with its PDF children) every 5 s. Prints req/s,
p50/p99, errors, every job's outcome, /health latency and the RSS curve, and writes
bench/out/soak.json. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from load import generate, served

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the suite's hostile-file builders, one copy for both
from hostile_files import hostile_files  # noqa: E402

_WORDS = [
    "Ningbo",
    "Textile",
    "Trading",
    "Xinjiang",
    "Hotan",
    "Cotton",
    "Solar",
    "Silicon",
    "Garment",
    "Shenzhen",
    "Electronics",
    "Tianshan",
    "Industrial",
    "Logistics",
    "Zhongtai",
]
_FORMS = ["Co., Ltd.", "Limited", "Group Co Ltd", "有限公司", "GmbH", "LLC"]


def supplier_csv(rows: int, seed: int) -> bytes:
    chooser = random.Random(seed)
    lines = ["supplier,address,country"]
    for _ in range(rows):
        name = " ".join(chooser.sample(_WORDS, 3)) + " " + chooser.choice(_FORMS)
        lines.append(f'"{name}","{chooser.randint(1, 999)} Road, {chooser.choice(_WORDS)}",CN')
    return ("\n".join(lines) + "\n").encode()


def _call(
    port: int, token: str, method: str, path: str, body: bytes = b"", content_type: str = ""
) -> tuple[int, Any]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=body or None, method=method
    )
    request.add_header("Authorization", f"Bearer {token}")
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read()[:300].decode("utf-8", "replace")


def upload(port: int, token: str, name: str, content: bytes) -> tuple[int, Any]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return _call(
        port, token, "POST", "/screenings", body, f"multipart/form-data; boundary={boundary}"
    )


def uploader(
    port: int, token: str, until: float, files: list[tuple[str, bytes]], jobs: list[dict[str, Any]]
) -> None:
    turn = 0
    while time.monotonic() < until:
        name, content = files[turn % len(files)]
        turn += 1
        started = time.monotonic()
        status, created = upload(port, token, name, content)
        job: dict[str, Any] = {"file": name, "upload_status": status}
        if status == 202:
            job_id = created["id"]
            while time.monotonic() < until + 600:  # a job started before the end may finish
                status, found = _call(port, token, "GET", f"/screenings/{job_id}?limit=1")
                if status == 200 and found["status"] in ("done", "failed"):
                    job.update(status=found["status"], error=found.get("error", "")[:160])
                    break
                time.sleep(1.0)
            else:
                job["status"] = "unfinished"
        job["seconds"] = round(time.monotonic() - started, 1)
        jobs.append(job)


def health_probe(port: int, until: float, latencies: list[float]) -> None:
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=60):
                latencies.append(time.perf_counter() - started)
        except OSError:
            latencies.append(float("inf"))
        time.sleep(1.0)


def _rss_mb(pid: int) -> float:
    """The process's resident memory and its children's (PDF renderers), in MB."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)


def rss_sampler(pid: int, until: float, samples: list[tuple[float, float]]) -> None:
    start = time.monotonic()
    while time.monotonic() < until:
        samples.append((round(time.monotonic() - start), _rss_mb(pid)))
        time.sleep(5.0)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "soak.json")
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory(prefix="threadline-soak-") as tmp,
        served(Path(tmp), "soak", "reviewer") as srv,
    ):
        until = time.monotonic() + args.seconds
        jobs: list[dict[str, Any]] = []
        health: list[float] = []
        rss: list[tuple[float, float]] = []
        threads = [
            threading.Thread(
                target=uploader,
                args=(
                    srv.port,
                    srv.token,
                    until,
                    [(f"s{i}.csv", supplier_csv(args.rows, i))],
                    jobs,
                ),
            )
            for i in range(3)
        ]
        threads.append(
            threading.Thread(
                target=uploader, args=(srv.port, srv.token, until, hostile_files(), jobs)
            )
        )
        threads.append(threading.Thread(target=health_probe, args=(srv.port, until, health)))
        threads.append(threading.Thread(target=rss_sampler, args=(srv.process.pid, until, rss)))
        for thread in threads:
            thread.start()
        generated = generate(srv, args.connections, args.seconds - 5, 5, args.seconds + 120)
        for thread in threads:
            thread.join(timeout=args.seconds + 900)
        rss.append((round(args.seconds + 1), _rss_mb(srv.process.pid)))
        alive = srv.process.poll() is None
    match = (
        json.loads(generated.stdout)
        if generated.returncode == 0
        else {"error": generated.stderr[-500:]}
    )
    finite = sorted(x for x in health if x != float("inf"))
    outcomes: dict[str, int] = {}
    for job in jobs:
        key = f"{job['file'] if not job['file'].startswith('s') else 'suppliers'}: " + str(
            job.get("status", job["upload_status"])
        )
        outcomes[key] = outcomes.get(key, 0) + 1
    report = {
        "seconds": args.seconds,
        "cpus": os.cpu_count(),
        "match": match,
        "jobs": jobs,
        "job_outcomes": outcomes,
        "health": {
            "probes": len(health),
            "failed": len(health) - len(finite),
            "p50_ms": round(statistics.median(finite) * 1000, 1) if finite else None,
            "p99_ms": round(finite[int(len(finite) * 0.99)] * 1000, 1) if finite else None,
            "max_ms": round(finite[-1] * 1000, 1) if finite else None,
        },
        "rss_mb": rss,
        "server_alive_at_end": alive,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(json.dumps({k: v for k, v in report.items() if k != "jobs"}, indent=1) + "\n")


if __name__ == "__main__":
    main()
