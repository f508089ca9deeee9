"""Fit the matching algorithm's weights and thresholds on the development set.

Reproducible: no randomness, L2-regularised logistic regression solved by Newton's method over
every candidate pair the index proposes for each development query (label 1 when the pair's
entity is the query's expected entity). Thresholds: `match` is the lowest score at which the top
candidates scoring at least that much reach precision ≥ 0.98 on the development queries; `review`
the lowest at which the review band (scores between it and `match`) still holds at least
REVIEW_PRECISION true matches, so the review queue is worth a reviewer's time.

Run: python tools/fit_weights.py [--dev DIR] [--out src/threadline/data/algorithms/NAME.yaml]
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np
import yaml

from threadline.data.countries import normalise_country
from threadline.data.vocab import load_normaliser
from threadline.matching import Matcher, Query
from threadline.model import ReferenceEntity
from threadline.score import FEATURES, Algorithm

ROOT = Path(__file__).resolve().parents[1]
ALGORITHMS = ROOT / "src/threadline/data/algorithms"
L2 = 1.0
TARGET_PRECISION = 0.98
REVIEW_PRECISION = 0.3


def read_dev(directory: Path) -> tuple[list[ReferenceEntity], list[dict[str, str]]]:
    with open(directory / "reference.csv", encoding="utf-8") as fh:
        refs = [
            ReferenceEntity(
                id=r["ref_id"],
                schema="Company",
                name=r["name"],
                aliases=tuple(a.strip() for a in r["aliases"].split("|") if a.strip()),
                names_zh=(r["name_zh"],) if r["name_zh"] else (),
                country=normalise_country(r["country"]),
            )
            for r in csv.DictReader(fh)
        ]
    with open(directory / "queries.csv", encoding="utf-8") as fh:
        return refs, list(csv.DictReader(fh))


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    design = np.hstack([np.ones((x.shape[0], 1)), x])
    w = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], L2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-design @ w))
        gradient = design.T @ (p - y) + penalty * w
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def threshold_for(top: list[tuple[float, bool]], precision: float) -> float:
    """Lowest score s at which the top candidates scoring ≥ s reach the precision."""
    ranked = sorted(top, key=lambda t: -t[0])
    tp = fp = 0
    best = 1.0
    for score, correct in ranked:
        tp += correct
        fp += not correct
        if tp / (tp + fp) >= precision:
            best = score
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_dev = ROOT / "bench/matching-dev"
    if not default_dev.exists():
        default_dev = ROOT.parent / "shared/bench/matching-dev"
    parser.add_argument("--dev", type=Path, default=default_dev)
    parser.add_argument("--out", type=Path, default=ALGORITHMS / "threadline-match-1.yaml")
    args = parser.parse_args()

    refs, queries = read_dev(args.dev)
    normaliser = load_normaliser()
    current = Algorithm.from_mapping(yaml.safe_load(args.out.read_text(encoding="utf-8")))
    matcher = Matcher(refs, normaliser, current)
    pairs = matcher.candidates([Query(q["name"], normalise_country(q["country"])) for q in queries])
    q_rows, r_rows, x = pairs.q_rows, pairs.r_rows, pairs.features
    entity_ids = np.array([refs[e].id for e in matcher.index.entity_of_row[r_rows]])
    expected = np.array([queries[q]["expected_ref_id"] for q in q_rows])
    y = (entity_ids == expected).astype(float)
    w = fit(x, y)
    scores = 1 / (1 + np.exp(-(x @ w[1:] + w[0])))

    best: dict[int, tuple[float, bool]] = {}
    for q, s, correct in zip(q_rows, scores, y, strict=True):
        if int(q) not in best or s > best[int(q)][0]:
            best[int(q)] = (float(s), bool(correct))
    top = list(best.values())
    match_t = threshold_for(top, TARGET_PRECISION)
    review_t = threshold_for([t for t in top if t[0] < match_t], REVIEW_PRECISION)
    review_t = min(review_t, match_t)
    data = {
        "name": current.name,
        "version": current.version,
        "fitted_on": (
            f"{args.dev.name}: {len(queries)} queries, {len(refs)} reference entities, "
            f"{len(y)} candidate pairs; L2={L2}; match threshold for precision ≥ {TARGET_PRECISION}"
        ),
        "bias": round(float(w[0]), 4),
        "weights": {name: round(float(v), 4) for name, v in zip(FEATURES, w[1:], strict=True)},
        "thresholds": {"match": round(match_t, 4), "review": round(review_t, 4)},
        "review_caps": list(current.review_caps),
    }
    header = "# Written by tools/fit_weights.py — do not edit by hand; re-run the tool.\n"
    args.out.write_text(
        header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    print(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))  # noqa: T201


if __name__ == "__main__":
    main()
