import csv
from pathlib import Path

import pytest

from benchlib.devset import DEV_DIR, Candidate, load_queries, write_candidates
from benchlib.scoring import metrics_of, score_candidates
from benchlib.table import Row, render

SCORER = DEV_DIR / "score.py"


def _queries(path: Path) -> Path:
    rows = [
        ("Q1", "Aksu Huafu", "R1", "alias"),
        ("Q2", "Akesu Huafu", "R1", "place_variant"),
        ("Q3", "Sinopec", "", "distractor"),
        ("Q4", "Lenstech", "", "unrelated"),
    ]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            (
                "query_id",
                "name",
                "country",
                "address",
                "expected_ref_id",
                "variant_kind",
                "source_note",
            )
        )
        for qid, name, expected, kind in rows:
            writer.writerow((qid, name, "CN", "", expected, kind, ""))
    return path


def test_scores_at_the_default_threshold_and_reports_the_best(tmp_path: Path) -> None:
    queries = _queries(tmp_path / "queries.csv")
    candidates = tmp_path / "cands.csv"
    write_candidates(
        [
            Candidate("Q1", "R1", 0.95),
            Candidate("Q2", "R1", 0.75),  # right entity, below the default threshold
            Candidate("Q3", "R2", 0.85),  # false alarm on a distractor
            Candidate("Q4", "R2", 0.10),
        ],
        candidates,
    )
    score = score_candidates(SCORER, queries, candidates, threshold=0.8)
    m = score.at_default
    assert m.recall == pytest.approx(0.5)
    assert m.precision == pytest.approx(0.5)
    assert m.recall_by_kind == {"alias": 1.0, "place_variant": 0.0}
    assert m.false_alarm == pytest.approx(0.5)
    assert score.best_threshold == pytest.approx(0.75)  # F1 0.8 beats 0.667 at 0.95
    assert score.best_f1 == pytest.approx(0.8)
    assert len(load_queries(queries)) == 4


def test_false_alarm_excludes_wrong_entity_predictions() -> None:
    section = {
        "overall": {"precision": 0.5, "recall": 0.5, "f1": 0.5},
        "per_kind": {
            "alias": {"positives": 2, "recall": 0.5, "fp": 1, "wrong_entity": 1, "negatives": 0},
            "distractor": {
                "positives": 0,
                "recall": None,
                "fp": 1,
                "wrong_entity": 0,
                "negatives": 4,
            },
            "unrelated": {
                "positives": 0,
                "recall": None,
                "fp": 0,
                "wrong_entity": 0,
                "negatives": 4,
            },
        },
    }
    metrics = metrics_of(section)
    assert metrics.false_alarm == pytest.approx(1 / 8)
    assert metrics.recall_by_kind == {"alias": 0.5}


def test_a_tool_without_figures_gets_its_reason_in_the_table(tmp_path: Path) -> None:
    queries = _queries(tmp_path / "queries.csv")
    candidates = tmp_path / "cands.csv"
    write_candidates([Candidate("Q1", "R1", 0.9)], candidates)
    scored = Row("rapidfuzz", "0.8", score_candidates(SCORER, queries, candidates, 0.8), 100.0)
    broken = Row("threadline", "band", None, None, "`threadline match` failed (exit 1): boom")
    table = render([broken, scored])
    assert "(no figures: `threadline match` failed (exit 1): boom)" in table
    header, _, _broken_line, second = table.splitlines()
    assert header.index("alias") < header.index("place")
    assert second.startswith("rapidfuzz") and "1.000" in second
