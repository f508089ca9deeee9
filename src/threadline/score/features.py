"""Named feature comparisons between query names and candidate reference names, vectorised.

Each feature is one column of a matrix over candidate pairs, computed with sparse products,
rapidfuzz's C loops and integer codes (legal-form families as bits, numbers as hashes) — no
Python work per pair.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import Indel, Levenshtein, Prefix

from threadline.candidates import IntArray, NameVectors
from threadline.candidates.pairs import pair_dot
from threadline.candidates.vectors import Int32Array, Matrix

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
    "candidate_place_only",
    "query_place_only",
    "generic_both",
    "generic_one",
    "country_conflict",
    "legal_conflict",
    "number_conflict",
    "brand_differs",
    "han_differs",
    "pinyin_brand",
    "place_leaf_conflict",
    "concepts_differ",
    "brand_unrelated",
    "words_apart",
    "place_nested",
    "written_differs",
    "cut_inside",
)
# Features added after threadline-match-2 was fitted: an algorithm without a weight for one
# gives it none (0), so older algorithm files load and score exactly as they did.
ADDED_SINCE_2 = frozenset(FEATURES[FEATURES.index("brand_differs") :])

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
    "candidate_extra": "business concepts the candidate has and the query lacks",
    "query_extra": "business concepts the query has and the candidate lacks",
    # Apart from the concepts: a registered Chinese name starts with its place, so a name
    # without one is a short form, or the parent of a regional subsidiary.
    "candidate_place_only": "the candidate names a place and the query names none",
    "query_place_only": "the query names a place and the candidate names none",
    "generic_both": "neither name has a distinctive part beyond places and business words",
    "generic_one": "one name has no distinctive part beyond places and business words",
    "country_conflict": "both countries are known and differ",
    "legal_conflict": "both legal forms are known and of different families",
    "number_conflict": "both names carry numbers and they differ (No. 1 vs No. 2 prison)",
    # In a dense register the brand is the company: 美金 and 美金康, 大源科技 and 大源实业 are
    # different legal persons however alike the rest of the name.
    "brand_differs": "both names are one brand each and they differ by two or more letters "
    "(a syllable changed, added or dropped), beyond a manifest cutting the query short",
    "han_differs": "both names give their brand in Chinese and the characters differ "
    "(远达 vs 源达: one pinyin, two companies)",
    "pinyin_brand": "a brand read only from its pinyin (Yida = 溢达, but also 亿达, 一达), and "
    "the names do not name the same place (one or both name one)",
    "place_leaf_conflict": "the most specific places named differ and neither contains the other "
    "(Xinjiang Bachu vs Xinjiang Wusu)",
    "concepts_differ": "the business words differ (科技 vs 电子, or one more) between registered "
    "names (a short form without place may leave them out), beyond a manifest cut short",
    "brand_unrelated": "a name has a distinctive part (a brand) and the other shares no "
    "character trigram of it",
    "words_apart": "distinctive parts of several words, far apart in any order (Old Pier "
    "Example vs Harbour Example), beyond a manifest cutting the query short",
    # A registered name carries the place of the authority that registered it: the province's
    # company and the city's are two registrations, two legal persons.
    "place_nested": "the most specific places named differ, one containing the other "
    "(Anhui vs Wuhu, Guangdong vs Shantou)",
    # A Chinese registered name is written one way: 服饰 and 服装 (apparel, garment) or 实业
    # on one side only are two registrations, though an English name may render either.
    "written_differs": "both names' business words are known as written in Chinese (from "
    "characters, pinyin, or the entity's Chinese name) and they differ (服饰 vs 服装, 棉纺 vs "
    "棉纺实业)",
    # A manifest cuts a name's end: CHANGXIANG IMPORT AND EXPO is not Changxiang Food Import
    # and Export cut short.
    "cut_inside": "a query without legal form lacks business words of the candidate that come "
    "before its own, so no cut at a field width explains the difference",
}


# Below this edit similarity, distinctive parts of several words are different names.
_WORDS_APART = 0.75


@dataclass(frozen=True, slots=True)
class PairContext:
    """What the pairwise features need beyond the names: country ids (0 = unknown)."""

    query_countries: Int32Array
    reference_countries: Int32Array


def feature_matrix(
    queries: NameVectors,
    reference: NameVectors,
    q_rows: IntArray,
    r_rows: IntArray,
    context: PairContext,
    threads: int = 1,
) -> FloatArray:
    """One row per pair, one column per name in FEATURES."""
    n = q_rows.size
    out = np.zeros((n, len(FEATURES)), dtype=np.float64)
    if n == 0:
        return out
    col = {name: i for i, name in enumerate(FEATURES)}
    workers = threads if threads > 1 else 1
    q_text = queries.distinctive[q_rows]
    r_text = reference.distinctive[r_rows]
    q_len = queries.distinctive_len[q_rows]
    r_len = reference.distinctive_len[r_rows]
    both_text = (q_len > 0) & (r_len > 0)

    out[:, col["trigram"]] = rowwise_dot(queries.trigrams, reference.trigrams, q_rows, r_rows)
    out[:, col["terms"]] = rowwise_dot(queries.terms, reference.terms, q_rows, r_rows)
    fuzzy = process.cpdist(q_text, r_text, scorer=Indel.normalized_similarity, workers=workers)
    out[:, col["fuzzy"]] = np.where(both_text, fuzzy, 0.0)
    exact = both_text & (fuzzy == 1.0)
    out[:, col["exact"]] = exact
    # One distinctive part is a truncation of the other: their common prefix is the shorter.
    common = process.cpdist(q_text, r_text, scorer=Prefix.similarity, workers=workers)
    shorter = np.minimum(q_len, r_len)
    out[:, col["prefix"]] = both_text & ~exact & (shorter >= 5) & (common == shorter)
    # A manifest cuts a name at a field width: what it cuts off is the legal form first.
    q_legal = queries.legal_mask[q_rows]
    cut_short = q_legal == 0
    q_is_prefix = both_text & ~exact & (q_len >= 4) & (common == q_len)
    # One brand each (a run of pinyin syllables, or one word) at two or more edits: a syllable
    # changed, added or dropped. One edit is a typo, and names of several words carry
    # manifest noise (CO LYD, ANDD) that is not a brand.
    single = (queries.token_count[q_rows] == 1) & (reference.token_count[r_rows] == 1)
    # Edits counted only where they decide, and only up to two.
    brands = np.flatnonzero(both_text & single & ~(cut_short & q_is_prefix))
    edits = process.cpdist(
        q_text[brands], r_text[brands], scorer=Levenshtein.distance, score_cutoff=1, workers=workers
    )
    out[brands, col["brand_differs"]] = edits >= 2
    # The same words in another order (China Cotton Group Nangong Hongtai / Nangong Hongtai
    # ... China Cotton Group) are not apart.
    reordered = queries.words_hash[q_rows] == reference.words_hash[r_rows]
    apart = both_text & ~single & (fuzzy < _WORDS_APART) & ~(cut_short & q_is_prefix) & ~reordered
    out[:, col["words_apart"]] = apart
    q_han = queries.han[q_rows]
    r_han = reference.han[r_rows]
    out[:, col["han_differs"]] = (q_han != "") & (r_han != "") & (q_han != r_han)
    q_written = queries.written_hash[q_rows]
    r_written = reference.written_hash[r_rows]
    out[:, col["written_differs"]] = (q_written != 0) & (r_written != 0) & (q_written != r_written)

    q_own_up = rowwise_dot(queries.places_own, reference.places_up, q_rows, r_rows)
    q_up_own = rowwise_dot(queries.places_up, reference.places_own, q_rows, r_rows)
    q_places = _row_counts(queries.places_own)[q_rows]
    r_places = _row_counts(reference.places_own)[r_rows]
    agree = (q_own_up > 0) | (q_up_own > 0)
    out[:, col["place_agree"]] = agree
    out[:, col["place_conflict"]] = (q_places > 0) & (r_places > 0) & ~agree
    same_place = rowwise_dot(queries.places_own, reference.places_own, q_rows, r_rows) > 0
    either_pinyin = queries.pinyin_brand[q_rows] | reference.pinyin_brand[r_rows]
    out[:, col["pinyin_brand"]] = either_pinyin & ~same_place & ((q_places > 0) | (r_places > 0))
    q_leaf = _row_counts(queries.places_leaf)[q_rows]
    r_leaf = _row_counts(reference.places_leaf)[r_rows]
    leaf_agree = (rowwise_dot(queries.places_leaf, reference.places_up, q_rows, r_rows) > 0) | (
        rowwise_dot(queries.places_up, reference.places_leaf, q_rows, r_rows) > 0
    )
    out[:, col["place_leaf_conflict"]] = (q_leaf > 0) & (r_leaf > 0) & ~leaf_agree
    leaf_same = rowwise_dot(queries.places_leaf, reference.places_leaf, q_rows, r_rows) > 0
    out[:, col["place_nested"]] = (q_leaf > 0) & (r_leaf > 0) & leaf_agree & ~leaf_same

    shared = rowwise_dot(queries.concepts, reference.concepts, q_rows, r_rows)
    q_concepts = _row_counts(queries.concepts)[q_rows]
    r_concepts = _row_counts(reference.concepts)[r_rows]
    union = q_concepts + r_concepts - shared
    both_concepts = (q_concepts > 0) & (r_concepts > 0)
    out[:, col["concept_overlap"]] = np.where(both_concepts, shared / np.maximum(union, 1), 0.0)
    out[:, col["concept_conflict"]] = both_concepts & (shared == 0)
    out[:, col["candidate_extra"]] = r_concepts - shared
    out[:, col["query_extra"]] = q_concepts - shared
    # A registered name starts with its place: one without business words beside one with them
    # is another company (大源 科技 vs 大源 实业, 实业 being a word names drop), while a short
    # form without a place (Megvii, Xuanda Food) just leaves them out.
    differ = (q_concepts != shared) | (r_concepts != shared)
    registered = (both_concepts | ((q_concepts == 0) & (q_places > 0))) | (
        (r_concepts == 0) & (r_places > 0)
    )
    out[:, col["concepts_differ"]] = (
        differ & registered & ~(cut_short & (q_concepts == shared)) & (q_len + r_len > 0)
    )
    # The query's concepts, all shared, are not the candidate's first ones.
    heads = queries.head_hash.shape[1]
    short = np.flatnonzero(
        cut_short
        & (q_concepts == shared)
        & (r_concepts > shared)
        & (q_concepts > 0)
        & (q_concepts <= heads)
    )
    at = q_concepts[short] - 1
    q_head = queries.head_hash[q_rows[short], at]
    r_head = reference.head_hash[r_rows[short], at]
    out[short, col["cut_inside"]] = q_head != r_head
    out[:, col["candidate_place_only"]] = (r_places > 0) & (q_places == 0)
    out[:, col["query_place_only"]] = (q_places > 0) & (r_places == 0)

    out[:, col["generic_both"]] = (q_len == 0) & (r_len == 0)
    out[:, col["generic_one"]] = (q_len == 0) ^ (r_len == 0)
    out[:, col["brand_unrelated"]] = ((q_len > 0) | (r_len > 0)) & (out[:, col["trigram"]] <= 0)

    q_country = context.query_countries[q_rows]
    r_country = context.reference_countries[r_rows]
    out[:, col["country_conflict"]] = (q_country != 0) & (r_country != 0) & (q_country != r_country)
    r_legal = reference.legal_mask[r_rows]
    out[:, col["legal_conflict"]] = (q_legal != 0) & (r_legal != 0) & ((q_legal & r_legal) == 0)
    q_numbers = queries.numbers_hash[q_rows]
    r_numbers = reference.numbers_hash[r_rows]
    out[:, col["number_conflict"]] = (q_numbers != 0) & (r_numbers != 0) & (q_numbers != r_numbers)
    return out


def rowwise_dot(a: Matrix, b: Matrix, a_rows: IntArray, b_rows: IntArray) -> FloatArray:
    """Dot products of a[a_rows[i]] and b[b_rows[i]] for every i, without a dense matrix."""
    return pair_dot(a, b, a_rows, b_rows)


def _row_counts(matrix: Matrix) -> IntArray:
    return np.diff(matrix.indptr).astype(np.int64)
