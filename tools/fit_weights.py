"""Fit the matching algorithm's weights and thresholds on the development set.

Reproducible: no randomness, L2-regularised logistic regression solved by Newton's method over
every candidate pair the index proposes for each development query (label 1 when the pair's
entity is the query's expected entity). Thresholds: `match` is the lowest score at which the top
candidates scoring at least that much reach precision ≥ 0.98 on the development queries; `review`
the lowest at which the review band (scores between it and `match`) still holds at least
REVIEW_PRECISION true matches, so the review queue is worth a reviewer's time. The review band
is set on the cross-validated scores: in-sample, the fit leaves too few true matches below
`match` to place it.

Honest estimate: the same fit, thresholds included, is repeated in FOLDS folds split by entity
(every query expecting one entity, and each no-match query, in one fold); each fold's queries
are scored by weights fitted without them. The vocabularies are not refitted per fold, and they
were written with the development set in view, so even that figure flatters a little.

Hard negatives: `--extra DIR` adds another development set of the same shape, such as a dense
set from `bench/dense.py --dev --seed N` (one brand syllable changed or added, homophone brands,
another trade or place, the parent without its place). Each set is matched against its own
reference and the pairs are fitted together. Never pass the evaluation set bench/dense.py
reports on (made from its EVAL_SEED).

Run: python tools/fit_weights.py [--dev DIR] [--extra DIR ...]
    [--out src/threadline/data/algorithms/NAME.yaml]
"""

from __future__ import annotations

import argparse
import csv
import math
from pathlib import Path

import numpy as np
import yaml

from threadline.data.countries import normalise_country
from threadline.data.rules import DEFAULT_ALGORITHM
from threadline.data.vocab import load_normaliser
from threadline.matching import Matcher, Query
from threadline.model import ReferenceEntity
from threadline.score import FEATURES, Algorithm

ROOT = Path(__file__).resolve().parents[1]
ALGORITHMS = ROOT / "src/threadline/data/algorithms"
L2 = 1.0
TARGET_PRECISION = 0.98
REVIEW_PRECISION = 0.3
FOLDS = 5


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


def threshold_for(top: list[tuple[float, bool]], precision: float, lowest: float = 0.0) -> float:
    """Lowest score s at which the top candidates scoring ≥ s reach the precision."""
    ranked = sorted(top, key=lambda t: -t[0])
    tp = fp = 0
    best = 1.0
    for score, correct in ranked:
        if score <= lowest:  # capped pairs (score 0) are never a match: they cannot place it
            break
        tp += correct
        fp += not correct
        if tp / (tp + fp) >= precision:
            best = score
    return best


def fit_threshold(
    x: np.ndarray, y: np.ndarray, q_rows: np.ndarray, capped: np.ndarray
) -> tuple[np.ndarray, float]:
    """Weights (bias first) and the match threshold; a capped pair is never a match, so it
    does not place the threshold."""
    w = fit(x, y)
    scores = np.where(capped, 0.0, 1 / (1 + np.exp(-(x @ w[1:] + w[0]))))
    return w, threshold_for(list(best_per_query(q_rows, scores, y).values()), TARGET_PRECISION)


def logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def review_threshold(
    held_out: dict[int, tuple[float, bool]], match_t: float, fallback: float
) -> float:
    """The review band's lower end: its offset below `match`, in logits, from held-out scores.
    When too few true matches are left below `match` to place it (so few that no band holds
    REVIEW_PRECISION of them), the `fallback` offset is kept: the previous fit's."""
    below = [t for t in held_out.values() if -np.inf < t[0] < 0.0]
    offset = threshold_for(below, REVIEW_PRECISION, -np.inf) if any(c for _, c in below) else 0.0
    if offset >= 0.0:
        offset = fallback
    logit_t = logit(match_t) + min(offset, 0.0)
    return 1 / (1 + float(np.exp(-logit_t)))


def best_per_query(
    q_rows: np.ndarray, scores: np.ndarray, y: np.ndarray
) -> dict[int, tuple[float, bool]]:
    best: dict[int, tuple[float, bool]] = {}
    for q, s, correct in zip(q_rows.tolist(), scores.tolist(), y.tolist(), strict=True):
        if q not in best or s > best[q][0]:
            best[q] = (s, bool(correct))
    return best


def figures(
    queries: list[dict[str, str]], best: dict[int, tuple[float, bool]], match_t: float
) -> dict[str, float]:
    """Precision, recall and F1 of the top candidate at the match threshold (a wrong entity is
    a false positive and a false negative, as score.py counts), and recall per variant kind."""
    tp = fp = 0
    positives: dict[str, list[bool]] = {}
    for q, query in enumerate(queries):
        score, correct = best.get(q, (0.0, False))
        matched = score >= match_t
        tp += matched and correct
        fp += matched and not correct
        if query["expected_ref_id"]:
            positives.setdefault(query["variant_kind"], []).append(matched and correct)
    n_pos = sum(len(v) for v in positives.values())
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / n_pos if n_pos else 0.0
    out = {
        "P": precision,
        "R": recall,
        "F1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
    }
    out.update({kind: sum(v) / len(v) for kind, v in sorted(positives.items())})
    return out


def cross_validated(
    queries: list[dict[str, str]],
    x: np.ndarray,
    y: np.ndarray,
    q_rows: np.ndarray,
    capped: np.ndarray,
) -> dict[int, tuple[float, bool]]:
    """Every query's best candidate scored by weights fitted on the other folds, as a logit
    relative to those folds' match threshold (≥ 0: a match)."""
    groups = sorted({q["expected_ref_id"] or q["query_id"] for q in queries})
    fold_of_group = {g: i % FOLDS for i, g in enumerate(groups)}
    fold = np.array([fold_of_group[q["expected_ref_id"] or q["query_id"]] for q in queries])
    held_out: dict[int, tuple[float, bool]] = {}
    for k in range(FOLDS):
        train = fold[q_rows] != k
        w, match_t = fit_threshold(x[train], y[train], q_rows[train], capped[train])
        test = ~train
        # Scores relative to the fold's own threshold, so all folds share one cut at 0.
        logits = x[test] @ w[1:] + w[0] - np.log(match_t / (1 - match_t))
        logits = np.where(capped[test], -np.inf, logits)
        held_out.update(best_per_query(q_rows[test], logits, y[test]))
    return held_out


def _slice(
    best: dict[int, tuple[float, bool]], start: int, count: int
) -> dict[int, tuple[float, bool]]:
    """One set's queries of a fit over several, renumbered from 0."""
    return {q - start: v for q, v in best.items() if start <= q < start + count}


def _floor4(value: float) -> float:
    return math.floor(value * 10_000) / 10_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_dev = ROOT / "bench/matching-dev"
    if not default_dev.exists():
        default_dev = ROOT.parent / "shared/bench/matching-dev"
    parser.add_argument("--dev", type=Path, default=default_dev)
    parser.add_argument("--extra", type=Path, action="append", default=[])
    parser.add_argument("--out", type=Path, default=ALGORITHMS / f"{DEFAULT_ALGORITHM}.yaml")
    args = parser.parse_args()

    normaliser = load_normaliser()
    raw = yaml.safe_load(args.out.read_text(encoding="utf-8"))
    # A feature added since the last fit has no weight yet; the candidates do not depend on it.
    raw["weights"] = {f: raw["weights"].get(f, 0.0) for f in FEATURES}
    current = Algorithm.from_mapping(raw)
    queries: list[dict[str, str]] = []
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    sizes: list[tuple[str, int, int, int]] = []  # name, queries, entities, pairs
    for directory in [args.dev, *args.extra]:
        refs, set_queries = read_dev(directory)
        matcher = Matcher(refs, normaliser, current)
        pairs = matcher.candidates(
            [Query(q["name"], normalise_country(q["country"])) for q in set_queries]
        )
        entity_ids = np.array([refs[e].id for e in matcher.index.entity_of_row[pairs.r_rows]])
        expected = np.array([set_queries[q]["expected_ref_id"] for q in pairs.q_rows])
        parts.append((pairs.q_rows + len(queries), pairs.features, entity_ids == expected))
        sizes.append((directory.name, len(set_queries), len(refs), pairs.q_rows.size))
        queries.extend({**q, "set": directory.name} for q in set_queries)
    q_rows = np.concatenate([p[0] for p in parts])
    x = np.concatenate([p[1] for p in parts])
    y = np.concatenate([p[2] for p in parts]).astype(float)
    caps = [FEATURES.index(f) for f in (*current.review_caps, *current.no_match_caps)]
    capped = (x[:, caps] > 0).any(axis=1)
    w, match_t = fit_threshold(x, y, q_rows, capped)
    scores = np.where(capped, 0.0, 1 / (1 + np.exp(-(x @ w[1:] + w[0]))))
    in_sample_best = best_per_query(q_rows, scores, y)
    held_out_best = cross_validated(queries, x, y, q_rows, capped)
    # The review band is placed on the first set alone: an extra set of hard negatives fills
    # the band with look-alikes by design, which says nothing of a real review queue.
    previous = logit(current.review_threshold) - logit(current.match_threshold)
    review_t = review_threshold(_slice(held_out_best, 0, sizes[0][1]), match_t, previous)
    # Figures per set (the first is the one earlier versions report), from query positions.
    set_figures: dict[str, dict[str, dict[str, float]]] = {}
    start = 0
    for name, count, _, _ in sizes:
        sub = queries[start : start + count]
        set_figures[name] = {
            "in_sample": {
                k: round(v, 3)
                for k, v in figures(sub, _slice(in_sample_best, start, count), match_t).items()
            },
            f"cross_validated_{FOLDS}_fold_by_entity": {
                k: round(v, 3)
                for k, v in figures(sub, _slice(held_out_best, start, count), 0.0).items()
            },
        }
        start += count
    described = "; ".join(
        f"{n}: {q} queries, {e} reference entities, {p} candidate pairs" for n, q, e, p in sizes
    )
    data = {
        "name": current.name,
        "version": current.version,
        "fitted_on": (
            f"the development sets (weights and thresholds fitted on them) {described}; "
            f"L2={L2}; match threshold for precision ≥ {TARGET_PRECISION}"
        ),
        "figures": set_figures[sizes[0][0]] if len(sizes) == 1 else set_figures,
        "bias": round(float(w[0]), 4),
        "weights": {name: round(float(v), 4) for name, v in zip(FEATURES, w[1:], strict=True)},
        # Rounded down: a pair scoring exactly the fitted threshold stays in its band.
        "thresholds": {"match": _floor4(match_t), "review": _floor4(review_t)},
        "review_caps": list(current.review_caps),
        "no_match_caps": list(current.no_match_caps),
        "review_floor": [list(floor) for floor in current.review_floors],
    }
    header = "# Written by tools/fit_weights.py — do not edit by hand; re-run the tool.\n"
    args.out.write_text(
        header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    print(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))  # noqa: T201


if __name__ == "__main__":
    main()
