"""Start-up: how long `threadline --help`, `--version` and a one-row `screen` take, whole process.

    .venv/bin/python bench/startup.py [--runs 5]

Each command runs `--runs` times as a child process; the figures are wall seconds, min-max, and
the CPU seconds of the child (user + system: a busy machine's wall figures read against them).
`screen` reads one supplier row into a database prepared beforehand (so the reference lists are
loaded already, as on any run after the first), once with an empty cache directory each time
("cold": the normaliser, gazetteer and name index are built) and once with the cache the first
of those runs left ("warm": they are loaded). The children may write bytecode whatever
PYTHONDONTWRITEBYTECODE says: an installed package has its .pyc files, and compiling
threadline's own modules from source on every start would add a quarter of a second that no
user pays. The issue's targets: <= 0.5 s for --help and
--version, <= 1.5 s for the one-row screen.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

THREADLINE = Path(sys.executable).with_name("threadline")
ROW = "Vendor No.,Supplier Name,City\nV10001,Changji Esquel Textile Co. Ltd.,Changji\n"


def run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(THREADLINE), *args], env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(label: str, runs: int, once: Callable[[], tuple[float, float]]) -> None:
    walls, cpus = zip(*(once() for _ in range(runs)), strict=True)
    sys.stdout.write(
        f"{label:<28} wall {min(walls):.2f}-{max(walls):.2f} s   "
        f"cpu {min(cpus):.2f}-{max(cpus):.2f} s   ({runs} runs)\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="threadline-startup-") as tmp:
        work = Path(tmp)
        (work / "one.csv").write_text(ROW, encoding="utf-8")
        env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "THREADLINE_DB": f"sqlite:///{work / 'store.db'}",
            "THREADLINE_CACHE_DIR": str(work / "warm"),
            "NO_COLOR": "1",
        }
        screen = ["screen", str(work / "one.csv"), "--out", str(work / "out"), "--quiet"]
        run(screen, env)  # the database and the warm cache, made once
        sys.stdout.write(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
        measure("threadline --help", runs, lambda: run(["--help"], env))
        measure("threadline --version", runs, lambda: run(["--version"], env))

        def cold() -> tuple[float, float]:
            shutil.rmtree(work / "cold", ignore_errors=True)
            return run(screen, {**env, "THREADLINE_CACHE_DIR": str(work / "cold")})

        measure("screen 1 row, cold cache", runs, cold)
        measure("screen 1 row, warm cache", runs, lambda: run(screen, env))


if __name__ == "__main__":
    main()
