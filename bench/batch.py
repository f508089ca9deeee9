"""`threadline batch screen` on synthetic bills of lading: rows/s and peak memory per engine.

    .venv/bin/python bench/batch.py --sizes 100000 1000000 --engines local spark:1 spark:2

For each size, writes the bills once (bench/bills.py, cached in bench/out/bills/), then runs the
command once per engine as a child process — `local`, or `spark:N` for `--engine spark --master
local[N]` — and reports wall time, CPU time of the child and every process under it (the JVM and
Spark's Python workers included, sampled from /proc), rows per second over the whole command (start-up, reading,
screening, writing Parquet and the summary) and the peak of the process tree's summed resident
memory, sampled every 0.2 s. The store is made once beforehand (bundled lists only). A run is
stopped after --timeout seconds and the table says so.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bills import write_bills

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "batch"
THREADLINE = Path(sys.executable).parent / "threadline"
PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def sample_tree(root: int, cpu: dict[int, float]) -> float:
    """Summed resident memory of a process and all its descendants, from /proc; records each
    one's CPU seconds so far in `cpu` (the JVM and Spark's Python workers are not reaped by the
    runner, so its own rusage would miss them)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, float] = {}
    ticks: dict[int, float] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            pages = int(Path(entry.path, "statm").read_text().split()[1])
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = pages * PAGE_MB
        ticks[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0.0)
        cpu[pid] = max(cpu.get(pid, 0.0), ticks.get(pid, 0.0))
        stack.extend(children.get(pid, []))
    return total


def run(bills: Path, engine: str, store: str, timeout: float) -> dict[str, object]:
    name, _, cores = engine.partition(":")
    out = OUT / f"out-{bills.stem}-{name}{cores}"
    command = [str(THREADLINE), "batch", "screen", str(bills), "--out", str(out), "--db", store]
    command += ["--as-of", "2025-06-30", "-q", "--engine", name]
    if cores:
        command += ["--master", f"local[{cores}]"]
    started = time.perf_counter()
    child = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    peak, note, cpu_by_pid = 0.0, "", dict[int, float]()
    while child.poll() is None:
        peak = max(peak, sample_tree(child.pid, cpu_by_pid))
        if time.perf_counter() - started > timeout:
            for pid in cpu_by_pid:  # the child, its JVM and Spark's Python workers
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            note = f"stopped after {timeout:.0f} s"
            break
        time.sleep(0.2)
    child.wait()
    wall = time.perf_counter() - started
    cpu = sum(cpu_by_pid.values())  # sampled every 0.2 s: the last fraction of a second is missed
    stderr = child.stderr.read() if child.stderr else ""
    summary = out / "summary.json"
    doc = json.loads(summary.read_text()) if summary.exists() and not note else {}
    if child.returncode and not note:
        note = f"exit {child.returncode}: {stderr.strip().splitlines()[-1:]}"
    rows = int(doc.get("rows", 0)) + int(doc.get("rejected", 0))
    return {
        "rows": rows,
        "engine": engine,
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "rows_per_s": round(rows / wall) if rows else 0,
        "peak_rss_mb": round(peak),
        "tiers": doc.get("tiers", {}),
        "note": note,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--engines", nargs="+", default=["local", "spark:1", "spark:2"])
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    store = f"sqlite:///{OUT / 'store.db'}"
    subprocess.run(  # the bundled lists into the store, outside the timed runs
        [str(THREADLINE), "batch", "screen", str(ROOT / "examples" / "suppliers.csv"),
         "--out", str(OUT / "warm-up"), "--db", store, "-q"],
        check=True,
    )  # fmt: skip
    header = (
        f"{'rows':>9} {'engine':8} {'wall s':>8} {'cpu s':>8} {'rows/s':>8} {'peak MB':>8}  note"
    )
    sys.stdout.write(header + "\n")
    for size in args.sizes:
        bills = ROOT / "bench" / "out" / "bills" / f"bills-{size}.csv"
        if not bills.exists():
            write_bills(bills, size)
        for engine in args.engines:
            figures = run(bills, engine, store, args.timeout)
            with (OUT / "figures.jsonl").open("a", encoding="utf-8") as log:
                log.write(json.dumps({"size": size, **figures}) + "\n")
            sys.stdout.write(
                f"{size:>9} {engine:8} {figures['wall_s']:>8} {figures['cpu_s']:>8} "
                f"{figures['rows_per_s']:>8} {figures['peak_rss_mb']:>8}  {figures['note']}\n"
            )
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
