"""A versioned matching algorithm: named features, fitted weights, a logistic link.

Weights and thresholds are data (data/algorithms/<name>.yaml), written by tools/fit_weights.py;
old files stay, so an old report can be reproduced with the algorithm it names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from threadline.model import FeatureScore, MatchExplanation
from threadline.score.features import ADDED_SINCE_2, DESCRIPTIONS, FEATURES, FloatArray


@dataclass(frozen=True, slots=True)
class Algorithm:
    name: str
    version: str
    bias: float
    weights: tuple[float, ...]  # in FEATURES order
    match_threshold: float
    review_threshold: float
    fitted_on: str = ""
    # Features that, when present, keep a pair out of the match band whatever the other
    # features say: a different unit number is a different prison or factory.
    review_caps: tuple[str, ...] = ()
    # Features that, when present, keep a pair below the review band: names with nothing
    # distinctive in common, or companies of different countries, are not worth a review.
    no_match_caps: tuple[str, ...] = ()
    # Sets of features that, all present (and no no_match_caps), keep a pair at least in review:
    # the same brand in the same place under another trade word is a sister company to look at,
    # and the same name with a place on one side only may be the same firm written without it.
    review_floors: tuple[tuple[str, ...], ...] = ()

    @property
    def label(self) -> str:
        return f"{self.name}-{self.version}"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Algorithm:
        weights = data["weights"]
        missing = [f for f in FEATURES if f not in weights and f not in ADDED_SINCE_2]
        if missing:
            raise ValueError(f"algorithm {data.get('name')}: no weight for {', '.join(missing)}")
        return cls(
            name=str(data["name"]),
            version=str(data["version"]),
            bias=float(data["bias"]),
            weights=tuple(float(weights.get(f, 0.0)) for f in FEATURES),
            match_threshold=float(data["thresholds"]["match"]),
            review_threshold=float(data["thresholds"]["review"]),
            fitted_on=str(data.get("fitted_on", "")),
            review_caps=tuple(str(f) for f in data.get("review_caps", ())),
            no_match_caps=tuple(str(f) for f in data.get("no_match_caps", ())),
            review_floors=_floors(data.get("review_floor", ())),
        )

    def score(self, features: FloatArray) -> FloatArray:
        logits = features @ np.asarray(self.weights) + self.bias
        scores = 1.0 / (1.0 + np.exp(-logits))
        present = features > 0
        # A cap or floor applied twice is applied once: each group is one mask.
        if self.review_caps:
            capped = present[:, _columns(self.review_caps)].any(axis=1)
            scores = np.where(capped, np.minimum(scores, self.match_threshold - 0.001), scores)
        if self.review_floors:
            lifted = np.zeros(len(scores), dtype=bool)
            for floor in self.review_floors:
                lifted |= present[:, _columns(floor)].all(axis=1)
            scores = np.where(lifted, np.maximum(scores, self.review_threshold), scores)
        if self.no_match_caps:
            capped = present[:, _columns(self.no_match_caps)].any(axis=1)
            scores = np.where(capped, np.minimum(scores, self.review_threshold - 0.001), scores)
        return scores  # type: ignore[no-any-return]

    def explain(
        self,
        values: FloatArray,
        query: tuple[str, str],
        candidate: tuple[str, str],
        note: str = "",
    ) -> MatchExplanation:
        """`query` and `candidate` are (name, what it was compared by)."""
        (q_name, q_desc), (c_name, c_desc) = query, candidate
        return MatchExplanation(
            algorithm=self.label,
            query_name=q_name,
            candidate_name=c_name,
            features=tuple(
                FeatureScore(name, v, w, q_desc, c_desc)
                for name, v, w in zip(FEATURES, values.tolist(), self.weights, strict=True)
                if v
            ),
            note=note,
        )

    def explain_rows(
        self,
        values: FloatArray,
        queries: Sequence[tuple[str, str]],
        candidates: Sequence[tuple[str, str]],
    ) -> list[MatchExplanation]:
        """`explain` of each row of `values` with its query and candidate, in one pass: the
        features present are found for all rows at once rather than tested row by row."""
        rows, columns = np.nonzero(values)
        bounds = np.searchsorted(rows, np.arange(values.shape[0] + 1)).tolist()
        at = columns.tolist()
        each = rows.tolist()
        features = list(
            map(
                FeatureScore,
                [FEATURES[c] for c in at],
                values[rows, columns].tolist(),
                [self.weights[c] for c in at],
                [queries[i][1] for i in each],
                [candidates[i][1] for i in each],
            )
        )
        label = self.label
        return [
            MatchExplanation(label, q_name, c_name, tuple(features[start:stop]))
            for (q_name, _), (c_name, _), start, stop in zip(
                queries, candidates, bounds[:-1], bounds[1:], strict=True
            )
        ]

    def summaries(
        self, values: FloatArray, queries: Sequence[str], candidates: Sequence[str]
    ) -> list[str]:
        """`explain_rows(values, ...)[i].summary()` of each row, from the names alone: what
        `match` writes, without an explanation object per row and feature."""
        present = values != 0
        # MatchExplanation.summary's order: strongest contribution first, ties in FEATURES
        # order (a stable sort); absent features sort last and are not written.
        strength = np.where(present, -np.abs(values * np.asarray(self.weights)), np.inf)
        order = np.argsort(strength, axis=1, kind="stable")
        shown = np.take_along_axis(present, order, axis=1)  # each row's first `count`
        counts = present.sum(axis=1)
        # Only the features present, row after row, as Python values.
        columns = order[shown].tolist()
        parts = [
            f"{FEATURES[c]}={v:.2f}"
            for c, v in zip(
                columns, np.take_along_axis(values, order, axis=1)[shown].tolist(), strict=True
            )
        ]
        ends = np.cumsum(counts).tolist()
        lines = []
        start = 0
        for q_name, c_name, end in zip(queries, candidates, ends, strict=True):
            head = f"'{q_name}' ~ '{c_name}'"
            lines.append(head + ": " + ", ".join(parts[start:end]) if end > start else head)
            start = end
        return lines

    def describe(self) -> list[tuple[str, str]]:
        """Methodology text generated from the algorithm itself (reports, `threadline algorithms`)."""
        lines = [
            (
                f"Matching algorithm {self.label}",
                "Each supplier name is normalised (Unicode, case, traditional to simplified Chinese, "
                "legal forms split off, Chinese and joined or spaced pinyin read as pinyin "
                "syllables, business words mapped to concepts, places mapped to gazetteer ids). "
                "Candidates are every listed name with the same key (in any script), then the "
                "nearest by a sparse index of trigrams and rare terms; each candidate is "
                "scored by a logistic model over named features. "
                f"Score ≥ {self.match_threshold:.2f}: match; ≥ {self.review_threshold:.2f}: possible "
                "match for review; below: no match. "
                + (f"Weights fitted on {self.fitted_on}." if self.fitted_on else ""),
            )
        ]
        for name, weight in zip(FEATURES, self.weights, strict=True):
            capped = " — caps the pair at review" if name in self.review_caps else ""
            if name in self.no_match_caps:
                capped = " — keeps the pair below review"
            for floor in self.review_floors:
                if name in floor:
                    together = " and ".join(floor)
                    capped += f" — with {together} all present, the pair is at least in review"
            lines.append((f"feature {name} (weight {weight:+.2f}){capped}", DESCRIPTIONS[name]))
        return lines


def _columns(names: tuple[str, ...]) -> list[int]:
    return [FEATURES.index(name) for name in names]


def _floors(data: Any) -> tuple[tuple[str, ...], ...]:
    """`review_floor` is one list of features that must all be present, or a list of such lists."""
    items = list(data or ())
    if all(isinstance(item, str) for item in items):
        return (tuple(items),) if items else ()
    return tuple(tuple(str(f) for f in item) for item in items)
