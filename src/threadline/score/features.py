"""Named feature comparisons between query names and candidate reference names, vectorised.

Each feature is one column of a matrix over candidate pairs, computed with sparse products
and rapidfuzz's C loops — no Python work per pair. `describe_pair` recomputes the inputs of one
pair for its explanation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import Indel

from threadline.candidates.index import IntArray, NameVectors, ReferenceIndex, rowwise_dot
from threadline.normalise.names import NameKey

FloatArray = npt.NDArray[np.float64]

FEATURES: tuple[str, ...] = (
    "trigram",
    "terms",
    "fuzzy",
    "exact",
    "prefix",
    "place_agree",
    "place_conflict",
    "concept_overlap",
    "concept_conflict",
    "candidate_extra",
    "query_extra",
    "generic_both",
    "generic_one",
    "country_conflict",
    "legal_conflict",
    "number_conflict",
)

DESCRIPTIONS: dict[str, str] = {
    "trigram": "IDF-weighted character-trigram cosine of the distinctive parts (pinyin for Chinese)",
    "terms": "IDF-weighted cosine of distinctive tokens, business concepts and places",
    "fuzzy": "edit-distance similarity of the distinctive parts",
    "exact": "distinctive parts identical",
    "prefix": "one distinctive part is a truncation of the other (manifest field cut)",
    "place_agree": "a place named in both, or one containing the other (Hotan ⊂ Xinjiang)",
    "place_conflict": "both names name places and none agrees",
    "concept_overlap": "Jaccard overlap of business concepts (服饰 = apparel = garment)",
    "concept_conflict": "both names carry business concepts and share none",
    "candidate_extra": "qualifiers (concepts, places) the candidate has and the query lacks",
    "query_extra": "qualifiers the query has and the candidate lacks",
    "generic_both": "neither name has a distinctive part beyond places and business words",
    "generic_one": "one name has no distinctive part beyond places and business words",
    "country_conflict": "both countries are known and differ",
    "legal_conflict": "both legal forms are known and of different families",
    "number_conflict": "both names carry numbers and they differ (No. 1 vs No. 2 prison)",
}


@dataclass(frozen=True, slots=True)
class PairContext:
    """What the pairwise features need beyond the vectors."""

    query_keys: Sequence[NameKey]
    query_countries: Sequence[str]
    reference_countries: Sequence[str]
    legal_families: dict[str, str]


def feature_matrix(
    index: ReferenceIndex,
    queries: NameVectors,
    q_rows: IntArray,
    r_rows: IntArray,
    context: PairContext,
) -> FloatArray:
    """One row per pair, one column per name in FEATURES."""
    ref = index.vectors
    n = q_rows.size
    out = np.zeros((n, len(FEATURES)), dtype=np.float64)
    if n == 0:
        return out
    col = {name: i for i, name in enumerate(FEATURES)}
    q_text = [context.query_keys[i].distinctive for i in q_rows]
    r_text = [index.keys[i].distinctive for i in r_rows]
    q_len = queries.distinctive_len[q_rows]
    r_len = ref.distinctive_len[r_rows]
    both_text = (q_len > 0) & (r_len > 0)

    out[:, col["trigram"]] = rowwise_dot(queries.trigrams, ref.trigrams, q_rows, r_rows)
    out[:, col["terms"]] = rowwise_dot(queries.terms, ref.terms, q_rows, r_rows)
    fuzzy = process.cpdist(q_text, r_text, scorer=Indel.normalized_similarity, workers=1)
    out[:, col["fuzzy"]] = np.where(both_text, fuzzy, 0.0)
    exact = queries.distinctive_hash[q_rows] == ref.distinctive_hash[r_rows]
    out[:, col["exact"]] = exact & both_text
    out[:, col["prefix"]] = _prefix(q_text, r_text) & both_text & ~exact

    q_own_up = rowwise_dot(queries.places_own, ref.places_up, q_rows, r_rows)
    q_up_own = rowwise_dot(queries.places_up, ref.places_own, q_rows, r_rows)
    q_places = _row_counts(queries.places_own)[q_rows]
    r_places = _row_counts(ref.places_own)[r_rows]
    agree = (q_own_up > 0) | (q_up_own > 0)
    out[:, col["place_agree"]] = agree
    out[:, col["place_conflict"]] = (q_places > 0) & (r_places > 0) & ~agree

    shared = rowwise_dot(queries.concepts, ref.concepts, q_rows, r_rows)
    q_concepts = _row_counts(queries.concepts)[q_rows]
    r_concepts = _row_counts(ref.concepts)[r_rows]
    union = q_concepts + r_concepts - shared
    both_concepts = (q_concepts > 0) & (r_concepts > 0)
    out[:, col["concept_overlap"]] = np.where(both_concepts, shared / np.maximum(union, 1), 0.0)
    out[:, col["concept_conflict"]] = both_concepts & (shared == 0)
    out[:, col["candidate_extra"]] = (r_concepts - shared) + ((r_places > 0) & (q_places == 0))
    out[:, col["query_extra"]] = (q_concepts - shared) + ((q_places > 0) & (r_places == 0))

    out[:, col["generic_both"]] = (q_len == 0) & (r_len == 0)
    out[:, col["generic_one"]] = (q_len == 0) ^ (r_len == 0)

    q_country = np.array([context.query_countries[i] for i in q_rows], dtype=object)
    r_country = np.array([context.reference_countries[i] for i in r_rows], dtype=object)
    out[:, col["country_conflict"]] = (
        (q_country != "") & (r_country != "") & (q_country != r_country)
    )
    out[:, col["legal_conflict"]] = [
        _legal_conflict(context.query_keys[q], index.keys[r], context.legal_families)
        for q, r in zip(q_rows, r_rows, strict=True)
    ]
    q_numbers = [_numbers(k) for k in context.query_keys]
    r_numbers = {int(r): _numbers(index.keys[r]) for r in np.unique(r_rows)}
    out[:, col["number_conflict"]] = [
        bool(q_numbers[q]) and bool(r_numbers[r]) and q_numbers[q] != r_numbers[r]
        for q, r in zip(q_rows, r_rows, strict=True)
    ]
    return out


def _numbers(key: NameKey) -> frozenset[str]:
    return frozenset(t for t in key.tokens if t.isdigit())


def _prefix(a: Sequence[str], b: Sequence[str]) -> npt.NDArray[np.bool_]:
    return np.array(
        [
            min(len(x), len(y)) >= 5 and (x.startswith(y) or y.startswith(x))
            for x, y in zip(a, b, strict=True)
        ],
        dtype=bool,
    )


def _row_counts(matrix: object) -> IntArray:
    indptr = matrix.indptr  # type: ignore[attr-defined]
    return np.diff(indptr).astype(np.int64)  # type: ignore[no-any-return]


def _legal_conflict(q: NameKey, r: NameKey, families: dict[str, str]) -> bool:
    if not q.legal_forms or not r.legal_forms:
        return False
    return not {families.get(f, f) for f in q.legal_forms} & {
        families.get(f, f) for f in r.legal_forms
    }
