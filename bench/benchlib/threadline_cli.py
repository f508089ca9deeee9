"""Run `threadline match` as a whole process and read what it writes.

Contract (docs/PRODUCT.md): `threadline match QUERIES --reference REF --out FILE --top N`
writes CSV query_id,ref_id,score,band,explanation, best row first; band is match or review.
With --stats it may print one JSON line of timings to stderr.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchlib.devset import Candidate

OUTPUT_COLUMNS = ("query_id", "ref_id", "score", "band")
MATCH_BAND = "match"
WATCH_INTERVAL_S = 0.2


class ToolUnavailable(Exception):
    """threadline could not produce an answer; the message is one line for the table."""


@dataclass(frozen=True, slots=True)
class ProcessResult:
    returncode: int
    seconds: float
    peak_rss_mb: float
    stderr: str
    stopped: str
    """Why the bench killed it: "timeout", "memory", or "" when it ended by itself."""
    cpu_s: float = 0.0
    """User + system CPU seconds of the process and the children it waited for."""


@dataclass(frozen=True, slots=True)
class MatchOutput:
    candidates: list[Candidate]
    decisions: dict[str, str]
    """query_id -> ref_id of the best row, only where that row's band is `match`."""


def executable() -> str | None:
    """The `threadline` script beside this interpreter (bench/.venv), else one on PATH."""
    beside = Path(sys.executable).parent / "threadline"
    if beside.exists():
        return str(beside)
    return shutil.which("threadline")


def _rss_mb(pid: int) -> float:
    """Current resident memory of a process, from /proc (Linux); 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def run_process(
    argv: Sequence[str],
    stdout_path: Path,
    timeout_s: float,
    max_rss_mb: float | None = None,
    cache_dir: Path | None = None,
) -> ProcessResult:
    """Run argv; wall time and the child's own peak RSS (os.wait4).

    A watchdog kills it after timeout_s, or as soon as it holds more than max_rss_mb, so a
    benchmark cannot take the shared machine's memory.
    """
    started = time.perf_counter()
    with stdout_path.open("wb") as out, open(f"{stdout_path}.stderr", "w+b") as err:
        # `threadline match` keeps a reference's index between runs (index_cache.py): the
        # benchmarks measure the whole run, index build included, so they keep none unless
        # given a `cache_dir` (a warm run, reported as such).
        env = {**os.environ, "THREADLINE_CACHE_DIR": str(cache_dir or "")}
        proc = subprocess.Popen(argv, stdout=out, stderr=err, start_new_session=True, env=env)
        finished = threading.Event()
        stopped: list[str] = []

        def watch() -> None:
            while not finished.wait(WATCH_INTERVAL_S):
                if time.perf_counter() - started > timeout_s:
                    stopped.append("timeout")
                elif max_rss_mb is not None and _rss_mb(proc.pid) > max_rss_mb:
                    stopped.append("memory")
                else:
                    continue
                with contextlib.suppress(ProcessLookupError):  # it has just ended
                    os.killpg(proc.pid, signal.SIGKILL)
                return

        watchdog = threading.Thread(target=watch, daemon=True)
        watchdog.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            finished.set()
            watchdog.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    # ru_maxrss is in KiB on Linux.
    return ProcessResult(
        proc.returncode,
        time.perf_counter() - started,
        usage.ru_maxrss / 1024,
        stderr,
        stopped[0] if stopped else "",
        usage.ru_utime + usage.ru_stime,
    )


def run_match(
    queries_csv: Path,
    reference_csv: Path,
    out_csv: Path,
    top: int,
    timeout_s: float,
    extra: Sequence[str] = (),
    command: str | None = None,
    max_rss_mb: float | None = None,
    cache_dir: Path | None = None,
) -> ProcessResult:
    """Run the match; `command` overrides the `threadline` executable (another build);
    `cache_dir` lets it keep and reuse the reference's index (default: none kept)."""
    command = command or executable()
    if command is None:
        raise ToolUnavailable("no `threadline` command in this environment (run bench/setup.sh)")
    argv = [
        command,
        "match",
        str(queries_csv),
        "--reference",
        str(reference_csv),
        "--out",
        str(out_csv),
        "--top",
        str(top),
        *extra,
    ]
    out_csv.unlink(missing_ok=True)
    result = run_process(argv, out_csv.with_suffix(".stdout"), timeout_s, max_rss_mb, cache_dir)
    if result.stopped == "timeout":
        raise ToolUnavailable(f"`threadline match` ran past {timeout_s:.0f}s and was stopped")
    if result.stopped == "memory":
        raise ToolUnavailable(
            f"`threadline match` held more than {max_rss_mb:.0f} MB after "
            f"{result.seconds:.0f}s and was stopped (--max-memory-mb)"
        )
    if result.returncode != 0:
        message = last_message(result.stderr)
        raise ToolUnavailable(f"`threadline match` failed (exit {result.returncode}): {message}")
    if not out_csv.exists():
        raise ToolUnavailable(f"`threadline match` exited 0 but wrote no {out_csv.name}")
    return result


def last_message(stderr: str) -> str:
    """The last stderr line with words in it, without the box drawing rich/typer adds."""
    for line in reversed(stderr.splitlines()):
        text = line.strip().strip("│╭╮╰╯─ ")
        if any(ch.isalnum() for ch in text):
            return text
    return "(no message)"


def read_output(path: Path) -> MatchOutput:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in OUTPUT_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ToolUnavailable(f"{path.name} lacks column(s) {', '.join(missing)}")
        candidates: list[Candidate] = []
        best: dict[str, tuple[float, str, str]] = {}
        for row in reader:
            query_id, ref_id = row["query_id"].strip(), row["ref_id"].strip()
            if not ref_id:
                continue
            score = float(row["score"])
            candidates.append(Candidate(query_id, ref_id, score))
            if query_id not in best or score > best[query_id][0]:
                best[query_id] = (score, ref_id, row["band"].strip().lower())
    decisions = {q: ref for q, (_, ref, band) in best.items() if band == MATCH_BAND}
    return MatchOutput(candidates, decisions)


def parse_stats(stderr: str) -> dict[str, Any] | None:
    """The last JSON object on stderr with threadline's --stats keys.

    The object may be wrapped over several lines by a console, so lines from each "{" up to
    the next line ending in "}" are joined before parsing.
    """
    lines = [line.strip() for line in stderr.splitlines()]
    for start in reversed([i for i, line in enumerate(lines) if line.startswith("{")]):
        end = next((j for j in range(start, len(lines)) if lines[j].endswith("}")), None)
        if end is None:
            continue
        try:
            value = json.loads("".join(lines[start : end + 1]))
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict) and "queries_per_s" in value:
            return value
    return None
