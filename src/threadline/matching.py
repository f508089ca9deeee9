"""The matching engine: normalise → candidates → score → band, for a batch of query names.

Pure and in memory: built once from reference entities, then `match` is called on batches.
The same object serves `screen`, `match`, the API and a Spark executor (it pickles).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from threadline.candidates import ReferenceIndex, build_index, candidate_pairs, encode
from threadline.decide import band_for
from threadline.model import Band, FeatureScore, MatchExplanation, MatchResult, ReferenceEntity
from threadline.normalise.identifiers import normalise_uscc
from threadline.normalise.names import NameNormaliser
from threadline.score import Algorithm, PairContext, feature_matrix

_CANDIDATES_PER_QUERY = 20
# Queries matched together: the candidate and feature arrays grow with a chunk, not with the
# whole batch, so memory stays bounded however many queries come in.
_QUERY_CHUNK = 4000


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    country: str = ""
    identifier: str = ""


class Matcher:
    def __init__(
        self,
        entities: Sequence[ReferenceEntity],
        normaliser: NameNormaliser,
        algorithm: Algorithm,
        *,
        chunk_size: int = _QUERY_CHUNK,
    ) -> None:
        self.chunk_size = chunk_size
        self.entities = tuple(entities)
        self.normaliser = normaliser
        self.algorithm = algorithm
        rows: list[tuple[int, str]] = []
        for position, entity in enumerate(self.entities):
            seen: set[str] = set()
            for name in entity.all_names:
                if name and name not in seen:
                    seen.add(name)
                    rows.append((position, name))
        self.index: ReferenceIndex = build_index(rows, normaliser)
        self._row_countries = [self.entities[e].country for e in self.index.entity_of_row]
        self._identifiers: dict[str, set[int]] = {}
        for position, entity in enumerate(self.entities):
            for identifier in entity.identifiers:
                code = normalise_uscc(identifier)
                if code:
                    self._identifiers.setdefault(code, set()).add(position)

    def match(
        self, queries: Sequence[Query], *, floor: float | None = None, top: int = 5
    ) -> list[list[MatchResult]]:
        """Per query, the best entities scoring at least `floor` (default: the review
        threshold), best first, at most `top`."""
        floor = self.algorithm.review_threshold if floor is None else floor
        results: list[list[MatchResult]] = []
        for start in range(0, len(queries), self.chunk_size):
            results.extend(self._match_chunk(queries[start : start + self.chunk_size], floor, top))
        return results

    def _match_chunk(
        self, queries: Sequence[Query], floor: float, top: int
    ) -> list[list[MatchResult]]:
        keys = [self.normaliser.key(q.name) for q in queries]
        vectors = encode(self.index, keys, self.normaliser)
        q_rows, r_rows = candidate_pairs(self.index, vectors, _CANDIDATES_PER_QUERY)
        context = PairContext(
            query_keys=keys,
            query_countries=[q.country for q in queries],
            reference_countries=self._row_countries,
            legal_families=self.normaliser.legal_families,
        )
        features = feature_matrix(self.index, vectors, q_rows, r_rows, context)
        scores = self.algorithm.score(features)
        entity = self.index.entity_of_row[r_rows]

        # Best name row per (query, entity), then best entities per query.
        order = np.lexsort((-scores, entity, q_rows))
        q_sorted, e_sorted = q_rows[order], entity[order]
        first = np.ones(order.size, dtype=bool)
        first[1:] = (q_sorted[1:] != q_sorted[:-1]) | (e_sorted[1:] != e_sorted[:-1])
        best = order[first]
        results: list[list[MatchResult]] = [[] for _ in queries]
        for pair in best[np.argsort(-scores[best], kind="stable")]:
            score = float(scores[pair])
            q = int(q_rows[pair])
            if score < floor or len(results[q]) >= top:
                continue
            r = int(r_rows[pair])
            explanation = self.algorithm.explain(features[pair], keys[q], self.index.keys[r])
            results[q].append(
                MatchResult(
                    entity=self.entities[int(entity[pair])],
                    score=round(score, 4),
                    band=band_for(
                        score, self.algorithm.match_threshold, self.algorithm.review_threshold
                    ),
                    explanation=explanation,
                )
            )
        for q, query in enumerate(queries):
            self._apply_identifier(query, results[q])
        return results

    def _apply_identifier(self, query: Query, results: list[MatchResult]) -> None:
        """A valid registration code shared with an entity decides the match; a different
        valid code on both sides means a different legal person, so that candidate goes."""
        code = normalise_uscc(query.identifier) if query.identifier else None
        if not code:
            return
        revised: list[MatchResult] = []
        for result in results:
            theirs = {c for x in result.entity.identifiers if (c := normalise_uscc(x))}
            if not theirs:
                revised.append(result)
            elif code in theirs:
                revised.append(self._identifier_match(query, result.entity, code))
        known = {r.entity.id for r in revised}
        for position in sorted(self._identifiers.get(code, ())):
            if self.entities[position].id not in known:
                revised.insert(0, self._identifier_match(query, self.entities[position], code))
        results[:] = revised

    def _identifier_match(self, query: Query, entity: ReferenceEntity, code: str) -> MatchResult:
        feature = FeatureScore("identifier", 1.0, 1.0, code, code)
        explanation = MatchExplanation(
            self.algorithm.label, query.name, entity.name, (feature,), "registration code identical"
        )
        return MatchResult(entity=entity, score=1.0, band=Band.MATCH, explanation=explanation)
