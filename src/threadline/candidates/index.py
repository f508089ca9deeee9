"""The blocking index: reference names as sparse vectors, and the query → candidate search.

Each reference name (a name, alias or Chinese name of an entity) is one row. A query meets a
candidate when they share a character trigram of the distinctive part or a rare term (token,
concept, place). Very common trigrams and terms are left out of the search — they would pull in
half the list — but they still count in the scores. The whole index is plain numpy/scipy arrays,
so it pickles and a batch engine can broadcast it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from threadline.normalise.names import NameKey, NameNormaliser

Matrix = sparse.csr_matrix
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

_MAX_SEARCH_DF = 0.02  # a trigram or term in more than 2% of names does not generate candidates
_MIN_SEARCH_DF = 200  # ... unless the reference is small


@dataclass(frozen=True, slots=True)
class NameVectors:
    """The sparse representation of a batch of names (reference rows or queries)."""

    trigrams: Matrix  # TF-IDF of distinctive-part trigrams, L2-normalised
    terms: Matrix  # IDF of tokens, concepts and places, L2-normalised
    places_own: Matrix  # places named
    places_up: Matrix  # places named and every place containing them
    concepts: Matrix
    distinctive_hash: IntArray
    distinctive_len: IntArray


@dataclass(frozen=True, slots=True)
class ReferenceIndex:
    entity_of_row: IntArray
    keys: tuple[NameKey, ...]
    vectors: NameVectors
    trigram_vocab: dict[str, int]
    term_vocab: dict[str, int]
    place_vocab: dict[str, int]
    concept_vocab: dict[str, int]
    trigram_idf: FloatArray
    term_idf: FloatArray
    search_trigrams: Matrix  # trigram vectors with only the searchable columns, transposed
    search_terms: Matrix

    @property
    def size(self) -> int:
        return len(self.keys)


def trigrams(text: str) -> list[str]:
    padded = f"^{text}$"
    return [padded[i : i + 3] for i in range(len(padded) - 2)] if text else []


def name_terms(key: NameKey) -> list[str]:
    return [
        *(f"t:{t}" for t in key.tokens),
        *(f"c:{c}" for c in sorted(key.concepts)),
        *(f"p:{p}" for p in sorted(key.places)),
    ]


def build_index(names: Sequence[tuple[int, str]], normaliser: NameNormaliser) -> ReferenceIndex:
    """`names` holds (entity position, name) pairs: one row per name of each entity."""
    keys = tuple(normaliser.key(name) for _, name in names)
    tri_vocab: dict[str, int] = {}
    term_vocab: dict[str, int] = {}
    place_vocab: dict[str, int] = {}
    concept_vocab: dict[str, int] = {}
    tri_rows = [
        [tri_vocab.setdefault(g, len(tri_vocab)) for g in trigrams(k.distinctive)] for k in keys
    ]
    term_rows = [[term_vocab.setdefault(t, len(term_vocab)) for t in name_terms(k)] for k in keys]
    for key in keys:
        for place in key.places:
            for up in normaliser.ancestors(place):
                place_vocab.setdefault(up, len(place_vocab))
        for concept in key.concepts:
            concept_vocab.setdefault(concept, len(concept_vocab))
    n = len(keys)
    tri_counts = _binary(tri_rows, len(tri_vocab))
    term_counts = _binary(term_rows, len(term_vocab))
    tri_df = np.asarray(tri_counts.sum(axis=0)).ravel()
    term_df = np.asarray(term_counts.sum(axis=0)).ravel()
    tri_idf = np.log((n + 1) / (tri_df + 1)) + 1.0
    term_idf = np.log((n + 1) / (term_df + 1)) + 1.0
    vectors = _vectors(
        keys, normaliser, tri_vocab, term_vocab, place_vocab, concept_vocab, tri_idf, term_idf
    )
    cap = max(_MAX_SEARCH_DF * n, _MIN_SEARCH_DF)
    return ReferenceIndex(
        entity_of_row=np.array([e for e, _ in names], dtype=np.int64),
        keys=keys,
        vectors=vectors,
        trigram_vocab=tri_vocab,
        term_vocab=term_vocab,
        place_vocab=place_vocab,
        concept_vocab=concept_vocab,
        trigram_idf=tri_idf,
        term_idf=term_idf,
        search_trigrams=_keep_columns(vectors.trigrams, tri_df <= cap).T.tocsr(),
        search_terms=_keep_columns(vectors.terms, term_df <= cap).T.tocsr(),
    )


def encode(
    index: ReferenceIndex, keys: Sequence[NameKey], normaliser: NameNormaliser
) -> NameVectors:
    """Vectors for query names in the reference's vocabulary (unknown grams cannot match)."""
    return _vectors(
        keys,
        normaliser,
        index.trigram_vocab,
        index.term_vocab,
        index.place_vocab,
        index.concept_vocab,
        index.trigram_idf,
        index.term_idf,
        grow=False,
    )


def candidate_pairs(
    index: ReferenceIndex, queries: NameVectors, top: int
) -> tuple[IntArray, IntArray]:
    """(query row, reference row) pairs: the `top` reference rows by search similarity."""
    sim = (queries.trigrams @ index.search_trigrams + queries.terms @ index.search_terms).tocsr()
    sim.eliminate_zeros()
    rows = np.repeat(np.arange(sim.shape[0], dtype=np.int64), np.diff(sim.indptr))
    order = np.lexsort((-sim.data, rows))
    rank = np.arange(order.size, dtype=np.int64) - sim.indptr[rows[order]]
    keep = order[rank < top]
    return rows[keep], sim.indices[keep].astype(np.int64)


def _vectors(
    keys: Sequence[NameKey],
    normaliser: NameNormaliser,
    tri_vocab: dict[str, int],
    term_vocab: dict[str, int],
    place_vocab: dict[str, int],
    concept_vocab: dict[str, int],
    tri_idf: FloatArray,
    term_idf: FloatArray,
    *,
    grow: bool = True,
) -> NameVectors:
    def ids(items: list[str], vocab: dict[str, int]) -> list[int]:
        if grow:
            return [vocab.setdefault(i, len(vocab)) for i in items]
        return [vocab[i] for i in items if i in vocab]

    tri = _binary([ids(trigrams(k.distinctive), tri_vocab) for k in keys], len(tri_idf))
    terms = _binary([ids(name_terms(k), term_vocab) for k in keys], len(term_idf))
    own = [ids(sorted(k.places), place_vocab) for k in keys]
    up = [
        ids(sorted({a for p in k.places for a in normaliser.ancestors(p)}), place_vocab)
        for k in keys
    ]
    concepts = [ids(sorted(k.concepts), concept_vocab) for k in keys]
    return NameVectors(
        trigrams=_l2(sparse.csr_matrix(tri.multiply(tri_idf))),
        terms=_l2(sparse.csr_matrix(terms.multiply(term_idf))),
        places_own=_binary(own, len(place_vocab)),
        places_up=_binary(up, len(place_vocab)),
        concepts=_binary(concepts, len(concept_vocab)),
        distinctive_hash=np.array([stable_hash(k.distinctive) for k in keys], dtype=np.int64),
        distinctive_len=np.array([len(k.distinctive) for k in keys], dtype=np.int64),
    )


def stable_hash(text: str) -> int:
    """Same value in every process (unlike hash()), so a broadcast index compares right."""
    return int.from_bytes(
        hashlib.blake2b(text.encode(), digest_size=8).digest(), "little", signed=True
    )


def _binary(rows: Sequence[Sequence[int]], width: int) -> Matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(set(r)) for r in rows])
    indices = np.fromiter((i for r in rows for i in sorted(set(r))), dtype=np.int64)
    data = np.ones(indices.size, dtype=np.float64)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), width))


def _l2(matrix: Matrix) -> Matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


def _keep_columns(matrix: Matrix, keep: npt.NDArray[np.bool_]) -> Matrix:
    return sparse.csr_matrix(matrix @ sparse.diags(keep.astype(np.float64)))


def rowwise_dot(a: Matrix, b: Matrix, a_rows: IntArray, b_rows: IntArray) -> FloatArray:
    """Dot products of a[a_rows[i]] and b[b_rows[i]] for every i, without a dense matrix."""
    product = a[a_rows].multiply(b[b_rows])
    return np.asarray(product.sum(axis=1), dtype=np.float64).ravel()
