"""Throughput of `threadline match` on synthetic sets, beside rapidfuzz brute force.

    bench/.venv/bin/python bench/throughput.py                      # 100k and 1M entities
    bench/.venv/bin/python bench/throughput.py --sizes 10000 --queries 2000   # quick run

For each size: generates (or reuses) bench/out/synth-<entities>-<queries>/, runs
`threadline match --stats` as a whole process (wall time, CPU time, peak RSS), builds
threadline's index alone in another child (build time, memory, pickled size), and runs
rapidfuzz `process.cdist` (token_sort_ratio, all cores) on a sample of the queries in a child
process, extrapolated to all of them. Candidate recall: share of queries with a true match
whose reference is among the tool's output rows.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rapidfuzz import fuzz

from benchlib import devset, threadline_cli
from benchlib.devset import Candidate, Query
from benchlib.namesearch import NameIndex
from benchlib.synthset import write_synthetic_set

TOP = 5
OUT_DIR = devset.BENCH_DIR / "out"


@dataclass(frozen=True, slots=True)
class Limits:
    """Per child process: a benchmark must not hold the shared machine for long or all its
    memory (the machine has 24 GB)."""

    timeout_s: float
    max_rss_mb: float


@dataclass(frozen=True, slots=True)
class Measure:
    size: int
    tool: str
    queries: int
    index_s: float | None = None
    match_s: float | None = None
    wall_s: float | None = None
    cpu_s: float | None = None
    queries_per_s: float | None = None
    peak_rss_mb: float | None = None
    candidate_recall: float | None = None
    note: str = ""


def candidate_recall(queries: list[Query], candidates: list[Candidate]) -> float | None:
    kept: dict[str, set[str]] = {}
    for c in candidates:
        kept.setdefault(c.query_id, set()).add(c.ref_id)
    positives = [q for q in queries if q.expected_ref_id]
    if not positives:
        return None
    found = sum(1 for q in positives if q.expected_ref_id in kept.get(q.query_id, set()))
    return found / len(positives)


def prepare(size: int, queries: int, seed: int) -> tuple[Path, Path, Path, Path]:
    """Synthetic set plus the threadline-shaped inputs, made once and cached."""
    folder = OUT_DIR / f"synth-{size}-{queries}"
    reference_csv, queries_csv = write_synthetic_set(folder, size, queries, seed)
    ref_in, queries_in = folder / "threadline-ref.csv", folder / "threadline-queries.csv"
    made = reference_csv.stat().st_mtime
    if not ref_in.exists() or ref_in.stat().st_mtime < made:
        devset.write_threadline_reference(devset.load_reference(reference_csv), ref_in)
    if not queries_in.exists() or queries_in.stat().st_mtime < made:
        devset.write_threadline_queries(devset.load_queries(queries_csv), queries_in)
    return reference_csv, queries_csv, ref_in, queries_in


def measure_threadline(
    size: int,
    queries_csv: Path,
    ref_in: Path,
    queries_in: Path,
    limits: Limits,
    command: str | None,
) -> Measure:
    out_csv = queries_in.parent / "threadline.match.csv"
    queries = devset.load_queries(queries_csv)

    def run(extra: list[str]) -> threadline_cli.ProcessResult:
        return threadline_cli.run_match(
            queries_in, ref_in, out_csv, TOP, limits.timeout_s, extra, command, limits.max_rss_mb
        )

    try:
        try:
            proc = run(["--stats"])
        except threadline_cli.ToolUnavailable as exc:
            if "stats" not in str(exc):
                raise  # a failure other than an unknown --stats option
            proc = run([])
        output = threadline_cli.read_output(out_csv)
    except threadline_cli.ToolUnavailable as exc:
        return Measure(size, "threadline", len(queries), note=str(exc))
    stats: dict[str, Any] = threadline_cli.parse_stats(proc.stderr) or {}
    return Measure(
        size,
        "threadline",
        len(queries),
        index_s=stats.get("index_build_s"),
        match_s=stats.get("match_s"),
        wall_s=proc.seconds,
        cpu_s=proc.cpu_s,
        queries_per_s=stats.get("queries_per_s", len(queries) / proc.seconds),
        peak_rss_mb=proc.peak_rss_mb,
        candidate_recall=candidate_recall(queries, output.candidates),
        note="" if stats else "no --stats line: q/s from wall time",
    )


def measure_brute_force(
    size: int, reference_csv: Path, queries_csv: Path, sample: int, seed: int, limits: Limits
) -> Measure:
    """Run the brute-force search in a child process, for its own wall time and RSS."""
    tool = "rapidfuzz brute force"
    result_json = queries_csv.parent / "brute-force.json"
    result_json.unlink(missing_ok=True)
    argv = [sys.executable, __file__, "_brute", str(reference_csv), str(queries_csv)]
    argv += [str(sample), str(seed), str(result_json)]
    stdout = result_json.with_suffix(".stdout")
    proc = threadline_cli.run_process(argv, stdout, limits.timeout_s, limits.max_rss_mb)
    all_queries = len(devset.load_queries(queries_csv))
    if proc.returncode != 0:
        reason = proc.stopped or threadline_cli.last_message(proc.stderr)
        return Measure(size, tool, all_queries, note=f"failed: {reason}")
    got = json.loads(result_json.read_text(encoding="utf-8"))
    per_query = got["search_s"] / got["sample"]
    return Measure(
        size,
        tool,
        all_queries,
        index_s=got["index_s"],
        match_s=per_query * all_queries,
        wall_s=got["index_s"] + per_query * all_queries,
        queries_per_s=1 / per_query,
        peak_rss_mb=proc.peak_rss_mb,
        candidate_recall=got["candidate_recall"],
        note=f"{got['sample']} queries timed, extrapolated",
    )


def measure_index(size: int, reference_csv: Path, limits: Limits) -> Measure:
    """threadline's index alone, in a child process (see index_child)."""
    tool = "threadline index only"
    result_json = reference_csv.parent / "index.json"
    result_json.unlink(missing_ok=True)
    argv = [sys.executable, __file__, "_index", str(reference_csv), str(result_json)]
    proc = threadline_cli.run_process(
        argv, result_json.with_suffix(".stdout"), limits.timeout_s, limits.max_rss_mb
    )
    if proc.returncode != 0:
        reason = proc.stopped or threadline_cli.last_message(proc.stderr)
        return Measure(size, tool, 0, note=f"failed: {reason}")
    got = json.loads(result_json.read_text(encoding="utf-8"))
    added = got["peak_rss_mb"] - got["rss_before_mb"]
    return Measure(
        size,
        tool,
        0,
        index_s=got["index_s"],
        wall_s=proc.seconds,
        cpu_s=proc.cpu_s,
        peak_rss_mb=proc.peak_rss_mb,
        note=(
            f"{got['names']} names; +{added:.0f} MB over the entities read; "
            f"workers {got['worker_peak_rss_mb']:.0f} MB; pickled {got['pickled_mb']:.0f} MB"
        ),
    )


def brute_force_child(
    reference_csv: Path, queries_csv: Path, sample: int, seed: int, result_json: Path
) -> int:
    entities = devset.load_reference(reference_csv)
    queries = devset.load_queries(queries_csv)
    picked = random.Random(seed).sample(queries, min(sample, len(queries)))
    started = time.perf_counter()
    index = NameIndex(entities)
    index_s = time.perf_counter() - started
    started = time.perf_counter()
    hits = index.search([q.name for q in picked], fuzz.token_sort_ratio, TOP, workers=-1)
    search_s = time.perf_counter() - started
    candidates = [
        Candidate(q.query_id, entities[h.entity].ref_id, h.score)
        for q, row in zip(picked, hits, strict=True)
        for h in row
    ]
    result = {
        "sample": len(picked),
        "index_s": index_s,
        "search_s": search_s,
        "candidate_recall": candidate_recall(picked, candidates),
    }
    result_json.write_text(json.dumps(result), encoding="utf-8")
    return 0


def index_child(reference_csv: Path, result_json: Path) -> int:
    """Build threadline's matcher alone over a reference: build time, the memory it adds to
    the process, and its pickled size (the index is what a batch engine would broadcast)."""
    import pickle
    import resource

    from threadline.data.rules import load_algorithm
    from threadline.data.vocab import load_normaliser
    from threadline.matching import Matcher
    from threadline.model import ReferenceEntity

    entities = [
        ReferenceEntity(
            id=r.ref_id,
            schema="Company",
            name=r.name,
            aliases=r.aliases,
            names_zh=(r.name_zh,) if r.name_zh else (),
            country=r.country,
        )
        for r in devset.load_reference(reference_csv)
    ]
    normaliser, algorithm = load_normaliser(), load_algorithm()
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started, cpu = time.perf_counter(), time.process_time()
    matcher = Matcher(entities, normaliser, algorithm)
    index_s, index_cpu_s = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Large references are encoded by forked worker processes: the largest of them.
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    pickled = len(pickle.dumps(matcher.index, protocol=pickle.HIGHEST_PROTOCOL))
    result = {
        "names": matcher.index.size,
        "index_s": index_s,
        "index_cpu_s": index_cpu_s,
        "rss_before_mb": before_mb,
        "peak_rss_mb": peak_mb,
        "worker_peak_rss_mb": worker_mb,
        "pickled_mb": pickled / 1e6,
    }
    result_json.write_text(json.dumps(result), encoding="utf-8")
    return 0


def _cell(value: float | None, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def render(measures: list[Measure]) -> str:
    head = (
        f"{'entities':>9} {'tool':<22} {'queries':>8} {'index s':>8} {'match s':>9} "
        f"{'wall s':>9} {'cpu s':>8} {'q/s':>9} {'RSS MB':>8} {'cand.rec':>8}  note"
    )
    lines = [head, "-" * len(head)]
    for m in measures:
        lines.append(
            f"{m.size:>9} {m.tool:<22} {m.queries:>8} {_cell(m.index_s, '.1f'):>8} "
            f"{_cell(m.match_s, '.1f'):>9} {_cell(m.wall_s, '.1f'):>9} {_cell(m.cpu_s, '.1f'):>8} "
            f"{_cell(m.queries_per_s, '.1f'):>9} {_cell(m.peak_rss_mb, '.0f'):>8} "
            f"{_cell(m.candidate_recall, '.3f'):>8}  {m.note}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_index"]:
        return index_child(Path(argv[1]), Path(argv[2]))
    if argv[:1] == ["_brute"]:
        ref, queries, sample, seed, out = argv[1:6]
        return brute_force_child(Path(ref), Path(queries), int(sample), int(seed), Path(out))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[100_000, 1_000_000],
        help="reference entities per run",
    )
    parser.add_argument("--queries", type=int, default=20_000)
    parser.add_argument(
        "--brute-sample", type=int, default=500, help="queries timed for the rapidfuzz brute force"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per tool run")
    parser.add_argument(
        "--max-memory-mb",
        type=float,
        default=16_000,
        help="stop a tool whose resident memory passes this (the machine has 24 GB)",
    )
    parser.add_argument("--skip-brute-force", action="store_true")
    parser.add_argument(
        "--threadline", help="threadline executable to run (default: the one in bench/.venv)"
    )
    args = parser.parse_args(argv)

    limits = Limits(args.timeout, args.max_memory_mb)
    measures: list[Measure] = []
    for size in args.sizes:
        started = time.perf_counter()
        reference_csv, queries_csv, ref_in, queries_in = prepare(size, args.queries, args.seed)
        sys.stderr.write(f"{size}: data ready ({time.perf_counter() - started:.1f}s)\n")
        measures.append(
            measure_threadline(size, queries_csv, ref_in, queries_in, limits, args.threadline)
        )
        sys.stderr.write(f"{size}: threadline {measures[-1].note or 'done'}\n")
        measures.append(measure_index(size, reference_csv, limits))
        sys.stderr.write(f"{size}: index {measures[-1].note}\n")
        if not args.skip_brute_force:
            measures.append(
                measure_brute_force(
                    size, reference_csv, queries_csv, args.brute_sample, args.seed, limits
                )
            )
            sys.stderr.write(f"{size}: brute force done\n")
    legend = (
        "index s: index build (threadline: from its --stats line). match s: matching time\n"
        "  (brute force: extrapolated from the timed sample). wall s: the whole run.\n"
        "cpu s: user + system CPU of the child process and its workers (the machine is shared:\n"
        "  wall time varies with other work, CPU time much less).\n"
        "RSS MB: peak resident memory of the child process that ran the tool.\n"
        "cand.rec: share of queries with a true match whose reference is among the tool's\n"
        f"  output rows (top {TOP}); brute force: on the timed sample."
    )
    sys.stdout.write(f"{render(measures)}\n\n{legend}\n")
    summary = [asdict(m) for m in measures]
    (OUT_DIR / "throughput.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
