"""Brute-force name search with rapidfuzz: every query form against every reference name.

Used three ways: the candidate search that feeds nomenklatura (token_set_ratio, top-k), the
rapidfuzz baselines (token_sort_ratio, best entity), and the brute-force throughput figure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import process, utils

from benchlib.devset import RefEntity

Scorer = Callable[..., float]
Forms = Callable[[str], list[str]]
MAX_QUERY_CHUNK = 256
CELLS_PER_CHUNK = 50_000_000
"""Score-matrix cells per cdist call (200 MB of float32): bounds memory on big references."""


def as_is(name: str) -> list[str]:
    return [name]


@dataclass(frozen=True, slots=True)
class Hit:
    entity: int
    """Index into the reference entity list."""
    score: float
    """0..1"""


class NameIndex:
    """All name forms of all reference entities, grouped so each entity's forms are adjacent."""

    def __init__(self, entities: Sequence[RefEntity], forms: Forms = as_is) -> None:
        self.entities = entities
        self._forms = forms
        strings: list[str] = []
        starts: list[int] = []
        for entity in entities:
            starts.append(len(strings))
            for name in entity.all_names:
                strings.extend(forms(name))
        self._strings = [utils.default_process(s) for s in strings]
        self._starts = np.asarray(starts, dtype=np.int64)

    def search(
        self, names: Sequence[str], scorer: Scorer, top: int, workers: int = 1
    ) -> list[list[Hit]]:
        """For each query name, the `top` entities by best form-to-form score, best first."""
        results: list[list[Hit]] = []
        step = max(1, min(MAX_QUERY_CHUNK, CELLS_PER_CHUNK // max(1, len(self._strings))))
        for offset in range(0, len(names), step):
            chunk = names[offset : offset + step]
            per_entity = self._entity_scores(chunk, scorer, workers)
            k = min(top, per_entity.shape[1])
            best = np.argpartition(-per_entity, k - 1, axis=1)[:, :k]
            for row, picks in zip(per_entity, best, strict=True):
                ordered = sorted(picks.tolist(), key=lambda e: -row[e])
                results.append([Hit(int(e), float(row[e]) / 100.0) for e in ordered])
        return results

    def _entity_scores(
        self, names: Sequence[str], scorer: Scorer, workers: int
    ) -> npt.NDArray[np.float32]:
        query_forms: list[str] = []
        query_starts: list[int] = []
        for name in names:
            query_starts.append(len(query_forms))
            query_forms.extend(utils.default_process(f) for f in self._forms(name))
        matrix = process.cdist(
            query_forms, self._strings, scorer=scorer, dtype=np.float32, workers=workers
        )
        per_query = np.maximum.reduceat(matrix, np.asarray(query_starts), axis=0)
        scores: npt.NDArray[np.float32] = np.maximum.reduceat(per_query, self._starts, axis=1)
        return scores
