"""Score a tool's output with the dev set's own scorer (score.py --json) and summarise it."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NO_MATCH_KINDS = ("distractor", "unrelated")
"""Kinds whose queries must match nothing: their false-alarm rate is reported together."""


class ScoringError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Metrics:
    precision: float | None
    recall: float | None
    f1: float | None
    recall_by_kind: dict[str, float | None]
    false_alarm: float | None
    """Share of distractor/unrelated queries for which something was predicted."""


@dataclass(frozen=True, slots=True)
class Score:
    at_default: Metrics
    best_threshold: float | None
    best_f1: float


def _run(scorer: Path, args: list[str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(scorer), *args, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise ScoringError(f"score.py failed: {proc.stderr.strip()}")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def metrics_of(section: dict[str, Any]) -> Metrics:
    overall = section["overall"]
    per_kind: dict[str, dict[str, Any]] = section["per_kind"]
    false_alarms = negatives = 0
    for kind in NO_MATCH_KINDS:
        if kind in per_kind:
            m = per_kind[kind]
            false_alarms += m["fp"] - m["wrong_entity"]
            negatives += m["negatives"]
    return Metrics(
        precision=overall["precision"],
        recall=overall["recall"],
        f1=overall["f1"],
        recall_by_kind={k: m["recall"] for k, m in per_kind.items() if m["positives"]},
        false_alarm=false_alarms / negatives if negatives else None,
    )


def score_candidates(scorer: Path, queries: Path, candidates: Path, threshold: float) -> Score:
    """Metrics of the top candidate at `threshold`, and the best-F1 threshold."""
    result = _run(
        scorer,
        [
            "--queries",
            str(queries),
            "--candidates",
            str(candidates),
            "--threshold",
            repr(threshold),
        ],
    )
    return Score(metrics_of(result["sections"][1]), result["best_threshold"], result["best_f1"])


def score_decisions(scorer: Path, queries: Path, decisions: Path, candidates: Path) -> Score:
    """Metrics of the tool's own decisions; the best-F1 sweep still runs over its scores."""
    decided = _run(scorer, ["--queries", str(queries), "--predictions", str(decisions)])
    swept = _run(scorer, ["--queries", str(queries), "--candidates", str(candidates)])
    return Score(metrics_of(decided["sections"][0]), swept["best_threshold"], swept["best_f1"])
