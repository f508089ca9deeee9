"""Accuracy of threadline and its peers on the matching dev set, side by side.

    bench/.venv/bin/python bench/accuracy.py [--set DIR] [--tools NAME ...]

Each tool's candidates go to bench/out/accuracy/<tool>.candidates.csv and are scored with
the set's own score.py (--json) at the tool's default threshold. A tool that cannot run
(threadline before its `match` command exists) gets one line saying why; the rest still run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rapidfuzz import fuzz

from benchlib import devset, peers, threadline_cli
from benchlib.devset import Query, RefEntity
from benchlib.namesearch import Hit, NameIndex
from benchlib.scoring import Score, score_candidates, score_decisions
from benchlib.splink_peer import THRESHOLD as SPLINK_THRESHOLD
from benchlib.splink_peer import run_splink
from benchlib.table import LEGEND, Row, render

TOOLS = ("threadline", "logic-v2", "logic-v1", "splink", "rapidfuzz", "rapidfuzz-pinyin")
NOMENKLATURA_THRESHOLD = 0.7
"""yente's SCORE_THRESHOLD: the default `threshold` of its /match endpoint."""
MAX_RSS_MB = 8_000
"""threadline is stopped past this on the small dev set (the machine is shared)."""
RAPIDFUZZ_THRESHOLD = 0.8
"""token_sort_ratio 80/100: a common default cut-off, not chosen on the dev set."""


class Bench:
    def __init__(
        self,
        set_dir: Path,
        out_dir: Path,
        block_top: int,
        timeout_s: float,
        threadline: str | None = None,
    ) -> None:
        self.set_dir = set_dir
        self.queries_csv = set_dir / "queries.csv"
        self.scorer = set_dir / "score.py"
        if not self.scorer.exists():
            self.scorer = devset.dev_dir() / "score.py"
        self.out = out_dir
        self.block_top = block_top
        self.timeout_s = timeout_s
        self.threadline = threadline
        self.queries = devset.load_queries(self.queries_csv)
        self.entities = devset.load_reference(set_dir / "reference.csv")
        self._blocking: tuple[list[list[Hit]], float] | None = None

    def blocking(self) -> tuple[list[list[Hit]], float]:
        """nomenklatura's candidate search: rapidfuzz token_set_ratio top-k over all names,
        Chinese ones also in pinyin (yente's index also holds Latin forms of names)."""
        if self._blocking is None:
            started = time.perf_counter()
            index = NameIndex(self.entities, peers.with_pinyin)
            hits = index.search(
                [q.name for q in self.queries], fuzz.token_set_ratio, self.block_top
            )
            self._blocking = (hits, time.perf_counter() - started)
        return self._blocking

    def _score(self, tool: str, result: peers.PeerResult, threshold: float) -> Score:
        path = self.out / f"{tool}.candidates.csv"
        devset.write_candidates(result.candidates, path)
        return score_candidates(self.scorer, self.queries_csv, path, threshold)

    def run_peer(self, tool: str) -> Row:
        started = time.perf_counter()
        extra_s = 0.0
        if tool in peers.NOMENKLATURA_ALGORITHMS:
            hits, extra_s = self.blocking()
            algorithm = peers.NOMENKLATURA_ALGORITHMS[tool]
            result = peers.run_nomenklatura(algorithm, self.queries, self.entities, hits)
            threshold = NOMENKLATURA_THRESHOLD
        elif tool == "splink":
            result, threshold = run_splink(self.queries, self.entities), SPLINK_THRESHOLD
        else:
            pinyin = tool == "rapidfuzz-pinyin"
            result = peers.run_rapidfuzz(self.queries, self.entities, pinyin=pinyin)
            threshold = RAPIDFUZZ_THRESHOLD
        seconds = time.perf_counter() - started + extra_s
        score = self._score(tool, result, threshold)
        return Row(tool, f"{threshold:g}", score, len(self.queries) / seconds)

    def run_threadline(self) -> Row:
        queries_csv, reference_csv = self.out / "threadline-queries.csv", self.out / "ref.csv"
        devset.write_threadline_queries(self.queries, queries_csv)
        devset.write_threadline_reference(self.entities, reference_csv)
        out_csv = self.out / "threadline.match.csv"
        try:
            proc = threadline_cli.run_match(
                queries_csv,
                reference_csv,
                out_csv,
                peers.TOP_CANDIDATES,
                self.timeout_s,
                command=self.threadline,
                max_rss_mb=MAX_RSS_MB,
            )
            output = threadline_cli.read_output(out_csv)
        except threadline_cli.ToolUnavailable as exc:
            return Row("threadline", "band", None, None, str(exc))
        candidates_csv = self.out / "threadline.candidates.csv"
        decisions_csv = self.out / "threadline.decisions.csv"
        devset.write_candidates(output.candidates, candidates_csv)
        devset.write_decisions(output.decisions, self.queries, decisions_csv)
        score = score_decisions(self.scorer, self.queries_csv, decisions_csv, candidates_csv)
        return Row("threadline", "band", score, len(self.queries) / proc.seconds)


def candidate_recall(
    queries: Sequence[Query], entities: Sequence[RefEntity], hits: list[list[Hit]]
) -> dict[str, float]:
    """Share of queries with an expected match whose reference is among the candidates."""
    found: dict[str, list[bool]] = {}
    for q, row in zip(queries, hits, strict=True):
        if q.expected_ref_id:
            got = any(entities[h.entity].ref_id == q.expected_ref_id for h in row)
            found.setdefault(q.variant_kind, []).append(got)
            found.setdefault("ALL", []).append(got)
    return {k: sum(v) / len(v) for k, v in sorted(found.items())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--set",
        type=Path,
        default=devset.dev_dir(),
        help="folder with queries.csv, reference.csv (default: the dev set)",
    )
    parser.add_argument("--out", type=Path, default=devset.BENCH_DIR / "out" / "accuracy")
    parser.add_argument("--tools", nargs="+", choices=TOOLS, default=list(TOOLS))
    parser.add_argument(
        "--block-top",
        type=int,
        default=20,
        help="candidates per query handed to nomenklatura (yente asks for >= 20)",
    )
    parser.add_argument("--timeout", type=float, default=600, help="seconds for threadline")
    parser.add_argument(
        "--threadline", help="threadline executable to run (default: the one in bench/.venv)"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    bench = Bench(args.set, args.out, args.block_top, args.timeout, args.threadline)

    rows: list[Row] = []
    for tool in args.tools:
        row = bench.run_threadline() if tool == "threadline" else bench.run_peer(tool)
        rows.append(row)
        sys.stderr.write(f"{tool}: {'done' if row.score else row.problem}\n")

    report = [
        f"set: {args.set}  queries: {len(bench.queries)}  "
        f"reference entities: {len(bench.entities)}",
        "",
        render(rows),
        "",
        LEGEND,
    ]
    summary: dict[str, object] = {"rows": [asdict(r) for r in rows]}
    if any(t in peers.NOMENKLATURA_ALGORITHMS for t in args.tools):
        recall = candidate_recall(bench.queries, bench.entities, bench.blocking()[0])
        summary["blocking_recall"] = recall
        by_kind = "  ".join(f"{k} {v:.2f}" for k, v in recall.items() if k != "ALL")
        report += [
            "",
            f"nomenklatura candidate search (rapidfuzz token_set_ratio + pinyin, top "
            f"{args.block_top}): recall {recall['ALL']:.3f}",
            f"  by kind: {by_kind}",
        ]
    sys.stdout.write("\n".join(report) + "\n")
    (args.out / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
