"""The blocking index: reference names as sparse vectors, and the query → candidate search.

Each reference name (a name, alias or Chinese name of an entity) is one row. A query meets a
candidate when they share a character trigram of the distinctive part or a term (token,
concept, place) that is not too common; the `top` rows by summed trigram and term cosine over
those columns are its candidates. The search runs as one sparse product with a top-n per row
(sparse_dot_topn, multi-threaded), never a dense query × reference matrix; over a large
reference, one product per block of its rows, their tops merged.

Two depths: a query whose distinctive tokens are all known to the reference is anchored by
them, so only rare trigrams join the search; a query with an unknown token (a typo, a place
run into the brand) searches common trigrams and terms as well. The whole index is plain
numpy/scipy arrays and strings, so it pickles and a batch engine can broadcast it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sparse_dot_topn import sp_matmul_topn

from threadline.candidates.vectors import (
    Encoded,
    Int32Array,
    IntArray,
    Matrix,
    NameVectors,
    TextArray,
    Vocabulary,
    Weights,
    document_frequency,
    encode_keys,
    reference_weights,
    vectors,
    weigh,
)
from threadline.normalise.names import NameKey

BoolArray = npt.NDArray[np.bool_]
T = TypeVar("T")

# Share of reference names above which a column stops generating candidates (it still counts
# in the features): anchored queries search rare trigrams and most terms; the others more.
_ANCHORED_TRIGRAM_DF = 0.003
_ANCHORED_TERM_DF = 0.02
_UNANCHORED_DF = 0.06
_MIN_SEARCH_DF = 200  # ... but a small reference is searched whole
# Rows an exact-key lookup adds per query: every name identical to the query (in any script)
# up to the first cap; every name with the same distinctive part and business words, or the
# same distinctive part alone, only while there are few (places spelled or nested otherwise:
# Sichuan / Mianyang).
_EXACT_ROWS = 200
_TRADE_ROWS = 100
_BRAND_ROWS = 50
# Reference rows searched together: a product's running sums over more rows than this fall out
# of the CPU cache (at 1.7M rows each posting costs twice what it does in blocks of 400k).
_SEARCH_BLOCK = 400_000


@dataclass(frozen=True, slots=True)
class KeyTable:
    """Reference rows by a hash of their key, sorted by the hash: a lookup is a binary search."""

    hashes: IntArray
    rows: IntArray

    @classmethod
    def of(cls, hashes: IntArray) -> KeyTable:
        present = np.flatnonzero(hashes != 0)
        order = present[np.argsort(hashes[present], kind="stable")]
        return cls(hashes[order], order.astype(np.int64))

    def lookup(self, hashes: IntArray, limit: int) -> tuple[IntArray, IntArray]:
        """(query position, reference row) for each query hash held by 1..limit rows."""
        start = np.searchsorted(self.hashes, hashes, side="left")
        count = np.searchsorted(self.hashes, hashes, side="right") - start
        count[(hashes == 0) | (count > limit)] = 0
        queries = np.repeat(np.arange(hashes.size, dtype=np.int64), count)
        offsets = np.arange(int(count.sum()), dtype=np.int64) - np.repeat(
            np.cumsum(count) - count, count
        )
        return queries, self.rows[np.repeat(start, count) + offsets]


@dataclass(frozen=True, slots=True)
class ReferenceIndex:
    entity_of_row: Int32Array
    names: tuple[str, ...]  # the name each row was built from
    vectors: NameVectors
    vocabulary: Vocabulary
    weights: Weights
    # Trigram columns, then term columns, × reference rows; columns over every cap are empty.
    # In blocks of reference rows (one for all but the largest references), in row order.
    search: tuple[Matrix, ...]
    anchored_columns: BoolArray
    unanchored_columns: BoolArray
    exact_keys: KeyTable
    trade_keys: KeyTable
    brand_keys: KeyTable
    # Vocabulary ids back to names, for explanations.
    place_ids: tuple[str, ...]
    concept_ids: tuple[str, ...]
    legal_form_sets: tuple[tuple[str, ...], ...]

    @property
    def size(self) -> int:
        return len(self.names)

    def describe_row(self, row: int) -> str:
        """What a reference name was compared by, read back from the index (no normalising)."""
        v = self.vectors
        return describe(
            str(v.distinctive[row]),
            [self.place_ids[i] for i in _row(v.places_own, row).tolist()],
            [self.concept_ids[i] for i in _row(v.concepts, row).tolist()],
            self.legal_form_sets[v.legal_set[row]],
        )


def describe(
    distinctive: str, places: Iterable[str], concepts: Iterable[str], legal_forms: Iterable[str]
) -> str:
    """Explanation text of one name: its distinctive part, places, concepts and legal forms."""
    parts = [distinctive or "-"]
    for label, items in (("places", places), ("concepts", concepts), ("legal", legal_forms)):
        if named := sorted(items):
            parts.append(f"{label}=" + ",".join(named))
    return "; ".join(parts)


def describe_key(key: NameKey) -> str:
    return describe(key.distinctive, key.places, key.concepts, key.legal_forms)


def encode_reference(
    names: Iterable[str],
    key: Callable[[str], NameKey],
    vocabulary: Vocabulary,
    ancestors: Callable[[str], tuple[str, ...]],
) -> tuple[Encoded, Vocabulary]:
    """Reference names (or a part of them: see `merge`) encoded in a vocabulary that grows."""
    return encode_keys((key(n) for n in names), vocabulary, ancestors, grow=True), vocabulary


def build_index(
    entity_of_row: Int32Array, names: Sequence[str], encoded: Encoded, vocabulary: Vocabulary
) -> ReferenceIndex:
    """`names` holds each name of each entity, in the order `encoded` holds them, and
    `entity_of_row` the position of each name's entity."""
    weights = reference_weights(encoded)
    n = len(names)
    tri_df = document_frequency(encoded.trigrams)
    term_df = document_frequency(encoded.terms)
    reference = weigh(encoded, weights)
    _share_han(entity_of_row, reference.han)
    _share_han(entity_of_row, reference.written_hash)

    def cap(share: float) -> float:
        return max(share * n, _MIN_SEARCH_DF)

    anchored = np.concatenate(
        [tri_df <= cap(_ANCHORED_TRIGRAM_DF), term_df <= cap(_ANCHORED_TERM_DF)]
    )
    unanchored = np.concatenate([tri_df, term_df]) <= cap(_UNANCHORED_DF)

    def search_block(start: int) -> Matrix:
        # Built a block at a time: the whole matrix is never held twice (rows, then columns).
        rows = slice(start, start + _SEARCH_BLOCK)
        block = sparse.hstack(
            [reference.trigrams[rows], reference.terms[rows]], format="csr", dtype=np.float32
        )
        block.data *= unanchored[block.indices]
        block.eliminate_zeros()
        columns: Matrix = block.T.tocsr()
        return columns

    return ReferenceIndex(
        entity_of_row=entity_of_row,
        names=tuple(names),
        vectors=reference,
        vocabulary=vocabulary,
        weights=weights,
        search=tuple(search_block(start) for start in range(0, max(n, 1), _SEARCH_BLOCK)),
        anchored_columns=anchored & unanchored,
        unanchored_columns=unanchored,
        exact_keys=KeyTable.of(encoded.exact_hash),
        trade_keys=KeyTable.of(encoded.trade_hash),
        brand_keys=KeyTable.of(encoded.brand_hash),
        place_ids=_by_id(vocabulary.places),
        concept_ids=_by_id(vocabulary.concepts),
        legal_form_sets=_by_id(vocabulary.legal_sets),
    )


def _share_han(entity_of_row: Int32Array, han: TextArray | IntArray) -> None:
    """An entity's names without Chinese characters take those of its Chinese name, in place:
    a query in Chinese is then compared with the characters of the entity, by any of its names
    (源达 must not match the English name of 远达). The same for the business words as written
    in Chinese (0 when unknown): 服饰 must not match the English name of a 服装 company."""
    empty = "" if han.dtype == object else 0
    has = np.flatnonzero(han != empty)
    if has.size == 0:
        return
    entities, first = np.unique(entity_of_row[has], return_index=True)
    lacking = np.flatnonzero(han == empty)
    at = np.searchsorted(entities, entity_of_row[lacking])
    at = np.minimum(at, entities.size - 1)
    found = entities[at] == entity_of_row[lacking]
    han[lacking[found]] = han[has[first[at[found]]]]


def encode(
    index: ReferenceIndex, keys: Iterable[NameKey], ancestors: Callable[[str], tuple[str, ...]]
) -> NameVectors:
    """Vectors for query names in the reference's vocabulary (unknown grams cannot match)."""
    return vectors(keys, index.vocabulary, ancestors, index.weights)


def anchored(index: ReferenceIndex, keys: Sequence[NameKey]) -> BoolArray:
    """Queries whose distinctive tokens are all terms of the reference."""
    terms = index.vocabulary.terms
    return np.fromiter(
        (bool(k.tokens) and all(f"t:{t}" in terms for t in k.tokens) for k in keys),
        bool,
        len(keys),
    )


def candidate_pairs(
    index: ReferenceIndex,
    queries: NameVectors,
    is_anchored: BoolArray,
    top: int,
    threads: int = 1,
) -> tuple[IntArray, IntArray]:
    """(query row, reference row) pairs: every row whose key is identical to the query's (so
    an identical name is always a candidate, however common its syllables), the rows sharing
    its distinctive part while few do, and the `top` reference rows by search similarity."""
    q_parts: list[IntArray] = []
    r_parts: list[IntArray] = []
    for table, hashes, limit in (
        (index.exact_keys, queries.exact_hash, _EXACT_ROWS),
        (index.trade_keys, queries.trade_hash, _TRADE_ROWS),
        (index.brand_keys, queries.brand_hash, _BRAND_ROWS),
    ):
        q_found, r_found = table.lookup(hashes, limit)
        q_parts.append(q_found)
        r_parts.append(r_found)
    stacked = sparse.hstack([queries.trigrams, queries.terms], format="csr", dtype=np.float32)
    if index.size and stacked.nnz:
        # Each query searches the columns of its depth: one product for both kinds (the top of
        # a row depends on that row alone).
        row_of = np.repeat(is_anchored, np.diff(stacked.indptr))
        columns = stacked.indices
        stacked.data *= np.where(
            row_of, index.anchored_columns[columns], index.unanchored_columns[columns]
        )
        stacked.eliminate_zeros()
        q_found, r_found = _search(stacked, index.search, top, threads)
        q_parts.append(q_found)
        r_parts.append(r_found)
    # Each pair once (the lookups and the search find some twice), as one sortable key.
    # Sorted, then each first of a run: np.unique hashes first, six times slower on these.
    width = max(index.size, 1)
    pairs = np.sort(np.concatenate(q_parts) * width + np.concatenate(r_parts))
    first = np.ones(pairs.size, dtype=bool)
    first[1:] = pairs[1:] != pairs[:-1]
    pairs = pairs[first]
    return pairs // width, pairs % width


def _search(
    queries: Matrix, blocks: tuple[Matrix, ...], top: int, threads: int
) -> tuple[IntArray, IntArray]:
    """(query row, reference row) of each query's `top` rows by search similarity."""
    q_parts, r_parts, values = [], [], []
    offset = 0
    for block in blocks:
        found = sp_matmul_topn(
            queries, block, top_n=top, n_threads=threads if threads > 1 else None
        )
        # (An all-zero product comes back with one stray index.)
        end = found.indptr[-1]
        q_parts.append(np.repeat(np.arange(queries.shape[0]), np.diff(found.indptr)))
        r_parts.append(found.indices[:end].astype(np.int64) + offset)
        values.append(found.data[:end])
        offset += block.shape[1]
    if len(blocks) == 1:
        return q_parts[0], r_parts[0]
    # The best `top` of each query's blocks' best: the rows one product keeps, but for which
    # of the rows tied at the cut (one product too keeps any of those).
    q, r, v = np.concatenate(q_parts), np.concatenate(r_parts), np.concatenate(values)
    order = np.lexsort((r, -v, q))
    q, r = q[order], r[order]
    kept = np.arange(q.size) - np.searchsorted(q, q, side="left") < top
    return q[kept], r[kept]


def _by_id(vocabulary: Mapping[T, int]) -> tuple[T, ...]:
    return tuple(sorted(vocabulary, key=vocabulary.__getitem__))


def _row(matrix: Matrix, row: int) -> Int32Array:
    return matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]
