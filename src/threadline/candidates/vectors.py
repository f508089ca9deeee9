"""Name keys → compact arrays: sparse vectors of trigrams, terms, places and concepts, plus the
per-name codes the pair features compare (legal-form families as bits, numbers as a hash).

Reference names are encoded once, into vocabularies that grow; queries are encoded into the
reference's vocabularies (a trigram or term the reference lacks cannot match anything). Ids
go into flat int32 buffers, never into per-name Python lists, so a million names stay small.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from threadline.normalise.names import NameKey

Matrix = sparse.csr_matrix
IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float32]
MaskArray = npt.NDArray[np.uint64]
TextArray = npt.NDArray[np.object_]

_MAX_LEGAL_FAMILIES = 64  # one bit each in a uint64


@dataclass(slots=True)
class Vocabulary:
    """Ids of everything a name can carry; grows while the reference is encoded."""

    trigrams: dict[str, int]
    terms: dict[str, int]
    places: dict[str, int]
    concepts: dict[str, int]
    legal_bits: dict[str, int]  # legal form id → bit of its family
    legal_sets: dict[tuple[str, ...], int]  # each set of legal forms seen, sorted → id

    @classmethod
    def for_legal_families(cls, families: Mapping[str, str]) -> Vocabulary:
        family_ids = sorted(set(families.values()))
        if len(family_ids) > _MAX_LEGAL_FAMILIES:
            raise ValueError(f"more than {_MAX_LEGAL_FAMILIES} legal-form families")
        bit = {family: i for i, family in enumerate(family_ids)}
        bits = {form: bit[family] for form, family in families.items()}
        return cls({}, {}, {}, {}, bits, {(): 0})


@dataclass(frozen=True, slots=True)
class NameVectors:
    """A batch of names (reference rows or queries) as arrays, one row per name."""

    trigrams: Matrix  # TF-IDF of distinctive-part trigrams, L2-normalised
    terms: Matrix  # IDF of tokens, concepts and places, L2-normalised
    places_own: Matrix  # places named (binary)
    places_up: Matrix  # places named and every place containing them (binary)
    concepts: Matrix  # business concepts (binary)
    distinctive: TextArray  # of str, so pairs pick theirs by fancy indexing
    distinctive_len: Int32Array
    legal_mask: MaskArray  # bit per legal-form family; 0 when no legal form
    legal_set: Int32Array  # id of the set of legal forms (Vocabulary.legal_sets)
    numbers_hash: IntArray  # hash of the set of numbers; 0 when none

    @property
    def size(self) -> int:
        return len(self.distinctive)


@dataclass(frozen=True, slots=True)
class Weights:
    trigram_idf: FloatArray
    term_idf: FloatArray


def trigrams(text: str) -> list[str]:
    padded = f"^{text}$"
    return [padded[i : i + 3] for i in range(len(padded) - 2)] if text else []


def name_terms(key: NameKey) -> list[str]:
    return [
        *(f"t:{t}" for t in key.tokens),
        *(f"c:{c}" for c in sorted(key.concepts)),
        *(f"p:{p}" for p in sorted(key.places)),
    ]


class _Ids:
    """A CSR matrix under construction: sorted, de-duplicated ids per row in one buffer."""

    def __init__(self) -> None:
        self.indices = array("i")
        self.indptr = array("q", [0])

    def add(self, ids: Iterable[int]) -> None:
        self.indices.extend(sorted(set(ids)))
        self.indptr.append(len(self.indices))

    def binary(self, width: int) -> Matrix:
        indices = np.frombuffer(self.indices, dtype=np.int32) if self.indices else _EMPTY
        data = np.ones(indices.size, dtype=np.float32)
        indptr = np.frombuffer(self.indptr, dtype=np.int64)
        return sparse.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, width))


_EMPTY = np.zeros(0, dtype=np.int32)


def encode_keys(
    keys: Iterable[NameKey],
    vocabulary: Vocabulary,
    ancestors: Callable[[str], tuple[str, ...]],
    *,
    grow: bool,
) -> tuple[Matrix, Matrix, Matrix, Matrix, Matrix, TextArray, MaskArray, Int32Array, IntArray]:
    """Binary trigram, term, place (own, up) and concept matrices, and the per-name codes.

    With `grow` unknown items get new ids; without, they are left out (queries)."""
    tri, terms, own, up, concepts = _Ids(), _Ids(), _Ids(), _Ids(), _Ids()
    distinctive: list[str] = []
    legal: list[int] = []
    legal_sets = array("i")
    numbers: list[int] = []
    v = vocabulary

    def ids(items: Iterable[str], vocab: dict[str, int]) -> Iterable[int]:
        if grow:
            return [vocab.setdefault(i, len(vocab)) for i in items]
        return [found for i in items if (found := vocab.get(i)) is not None]

    for key in keys:
        text = key.distinctive
        distinctive.append(text)
        tri.add(ids(trigrams(text), v.trigrams))
        terms.add(ids(name_terms(key), v.terms))
        places = sorted(key.places)
        own.add(ids(places, v.places))
        up.add(ids(sorted({a for p in places for a in ancestors(p)}), v.places))
        concepts.add(ids(sorted(key.concepts), v.concepts))
        mask = 0
        for form in key.legal_forms:
            mask |= 1 << v.legal_bits[form]
        legal.append(mask)
        forms = tuple(sorted(key.legal_forms))
        # A query's set of forms the reference never had gets -1: queries describe themselves.
        known = v.legal_sets.setdefault(forms, len(v.legal_sets)) if grow else None
        legal_sets.append(v.legal_sets.get(forms, -1) if known is None else known)
        digits = sorted(t for t in key.tokens if t.isdigit())
        numbers.append(stable_hash(" ".join(digits)) if digits else 0)
    return (
        tri.binary(len(v.trigrams)),
        terms.binary(len(v.terms)),
        own.binary(len(v.places)),
        up.binary(len(v.places)),
        concepts.binary(len(v.concepts)),
        np.array(distinctive, dtype=object),
        np.array(legal, dtype=np.uint64),
        np.frombuffer(legal_sets, dtype=np.int32) if legal_sets else np.zeros(0, np.int32),
        np.array(numbers, dtype=np.int64),
    )


def vectors(
    keys: Iterable[NameKey],
    vocabulary: Vocabulary,
    ancestors: Callable[[str], tuple[str, ...]],
    weights: Weights | None,
) -> tuple[NameVectors, Weights]:
    """Encode names; without `weights` (the reference) the IDF weights come from these names."""
    tri, terms, own, up, concepts, distinctive, legal, legal_set, numbers = encode_keys(
        keys, vocabulary, ancestors, grow=weights is None
    )
    if weights is None:
        weights = Weights(_idf(tri), _idf(terms))
    encoded = NameVectors(
        trigrams=_l2(_scale_columns(tri, weights.trigram_idf)),
        terms=_l2(_scale_columns(terms, weights.term_idf)),
        places_own=own,
        places_up=up,
        concepts=concepts,
        distinctive=distinctive,
        distinctive_len=np.fromiter((len(d) for d in distinctive), np.int32, len(distinctive)),
        legal_mask=legal,
        legal_set=legal_set,
        numbers_hash=numbers,
    )
    return encoded, weights


def stable_hash(text: str) -> int:
    """Same value in every process (unlike hash()), so a broadcast index compares right."""
    return int.from_bytes(
        hashlib.blake2b(text.encode(), digest_size=8).digest(), "little", signed=True
    )


def document_frequency(matrix: Matrix) -> IntArray:
    return np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.int64)


def _idf(binary: Matrix) -> FloatArray:
    n = binary.shape[0]
    idf = np.log((n + 1) / (document_frequency(binary) + 1)) + 1.0
    return idf.astype(np.float32)


def _scale_columns(matrix: Matrix, scale: FloatArray) -> Matrix:
    """matrix × diag(scale), in place on the data of a fresh binary matrix."""
    matrix.data = scale[matrix.indices]
    return matrix


def _l2(matrix: Matrix) -> Matrix:
    lengths = np.diff(matrix.indptr)
    rows = np.repeat(np.arange(matrix.shape[0]), lengths)
    norms = np.sqrt(np.bincount(rows, weights=matrix.data**2, minlength=matrix.shape[0]))
    norms[norms == 0] = 1.0
    matrix.data /= np.repeat(norms, lengths).astype(np.float32)
    return matrix
