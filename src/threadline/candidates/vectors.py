"""Name keys → compact arrays: sparse vectors of trigrams, terms, places and concepts, plus the
per-name codes the pair features compare (legal-form families as bits, numbers as a hash).

Reference names are encoded once, into vocabularies that grow; queries are encoded into the
reference's vocabularies (a trigram or term the reference lacks cannot match anything). Ids
go into flat int32 buffers, never into per-name Python lists, so a million names stay small.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

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
BoolArray = npt.NDArray[np.bool_]

T = TypeVar("T")

_MAX_LEGAL_FAMILIES = 64  # one bit each in a uint64
_RECENT = 4096  # encoded names remembered while encoding a batch
# A query's place or concept that no reference name has: counted (a conflict needs both
# sides to name one), never shared. No reference row carries it.
_UNSEEN = ""


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
        return cls({}, {}, {_UNSEEN: 0}, {_UNSEEN: 0}, bits, {(): 0})


@dataclass(frozen=True, slots=True)
class NameVectors:
    """A batch of names (reference rows or queries) as arrays, one row per name."""

    trigrams: Matrix  # TF-IDF of distinctive-part trigrams, L2-normalised
    terms: Matrix  # IDF of tokens, concepts and places, L2-normalised
    places_own: Matrix  # places named (binary)
    places_up: Matrix  # places named and every place containing them (binary)
    places_leaf: Matrix  # places named that contain no other place named (binary)
    concepts: Matrix  # business concepts (binary)
    distinctive: TextArray  # of str, so pairs pick theirs by fancy indexing
    distinctive_len: Int32Array
    han: TextArray  # the distinctive part's Chinese characters ("" when none)
    pinyin_brand: BoolArray  # a brand was read only from its pinyin
    token_count: Int32Array  # distinctive tokens (a run of pinyin syllables is one)
    legal_mask: MaskArray  # bit per legal-form family; 0 when no legal form
    legal_set: Int32Array  # id of the set of legal forms (Vocabulary.legal_sets)
    numbers_hash: IntArray  # hash of the set of numbers; 0 when none
    exact_hash: IntArray  # hash of the whole key but its legal forms (see exact_key)
    brand_hash: IntArray  # hash of the distinctive part; 0 when it is empty
    trade_hash: IntArray  # hash of the distinctive part and the concepts; 0 without the former
    words_hash: IntArray  # hash of the distinctive tokens in sorted order; 0 when none
    # hash of the business words as written in Chinese (NameKey.trade_words); 0 when unknown
    written_hash: IntArray
    # hashes of the set of the name's first 1, 2, 3 concepts in order (0 past the last): what
    # a manifest cutting the name's end could leave
    head_hash: IntArray

    @property
    def size(self) -> int:
        return len(self.distinctive)


@dataclass(frozen=True, slots=True)
class Encoded:
    """Names encoded in a vocabulary, before weighting: binary matrices and per-name codes."""

    trigrams: Matrix
    terms: Matrix
    places_own: Matrix
    places_up: Matrix
    places_leaf: Matrix
    concepts: Matrix
    distinctive: TextArray
    han: TextArray
    pinyin_brand: BoolArray
    token_count: Int32Array
    legal_mask: MaskArray
    legal_set: Int32Array
    numbers_hash: IntArray
    exact_hash: IntArray
    brand_hash: IntArray
    trade_hash: IntArray
    words_hash: IntArray
    written_hash: IntArray
    head_hash: IntArray


@dataclass(frozen=True, slots=True)
class Weights:
    trigram_idf: FloatArray
    term_idf: FloatArray


def trigrams(text: str) -> list[str]:
    padded = f"^{text}$"
    return [padded[i : i + 3] for i in range(len(padded) - 2)] if text else []


def exact_key(distinctive: str, places: Iterable[str], concepts: Iterable[str]) -> str:
    """What two names identical in any script (泰达服饰 / Taida Apparel / TAIDA FUSHI) share:
    distinctive part, places and concepts (each sorted). Legal forms are left out: manifests
    abbreviate them."""
    return "\x1f".join((distinctive, *places, "\x1e", *concepts))


def name_terms(tokens: Iterable[str], concepts: Iterable[str], places: Iterable[str]) -> list[str]:
    """A name's tokens, concepts and places (the latter two sorted) as terms."""
    return [
        *(f"t:{t}" for t in tokens),
        *(f"c:{c}" for c in concepts),
        *(f"p:{p}" for p in places),
    ]


class _Ids:
    """A CSR matrix under construction: each row's sorted, distinct ids in one flat buffer."""

    def __init__(self) -> None:
        self.indices = array("i")
        self.indptr = array("q", [0])

    def add(self, ids: tuple[int, ...]) -> None:
        self.indices.extend(ids)
        self.indptr.append(len(self.indices))

    def binary(self, width: int) -> Matrix:
        indices = np.frombuffer(self.indices, dtype=np.int32) if self.indices else _EMPTY
        data = np.ones(indices.size, dtype=np.float32)
        indptr = np.frombuffer(self.indptr, dtype=np.int64)
        return sparse.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, width))


_EMPTY = np.zeros(0, dtype=np.int32)


@dataclass(frozen=True, slots=True)
class _Codes:
    """Everything encoded about one key except its text (names of an entity often share it)."""

    distinctive: str
    trigrams: tuple[int, ...]
    terms: tuple[int, ...]
    places_own: tuple[int, ...]
    places_up: tuple[int, ...]
    places_leaf: tuple[int, ...]
    concepts: tuple[int, ...]
    pinyin_brand: bool
    legal_mask: int
    legal_set: int
    numbers_hash: int
    exact_hash: int
    brand_hash: int
    trade_hash: int
    words_hash: int


def encode_keys(
    keys: Iterable[NameKey],
    vocabulary: Vocabulary,
    ancestors: Callable[[str], tuple[str, ...]],
    *,
    grow: bool,
) -> Encoded:
    """With `grow` unknown items get new ids; without, they are left out (queries)."""
    tri, terms, own, up, leaf, concepts = _Ids(), _Ids(), _Ids(), _Ids(), _Ids(), _Ids()
    distinctive: list[str] = []
    han: list[str] = []
    pinyin_brand: list[bool] = []
    token_count = array("i")
    legal = array("Q")
    legal_sets = array("i")
    numbers = array("q")
    exact = array("q")
    brand = array("q")
    trade = array("q")
    words = array("q")
    written = array("q")
    heads = array("q")
    head_of: dict[tuple[str, ...], tuple[int, ...]] = {}  # a few thousand orders, met often
    # The names of one entity come together and often share everything but their text.
    recent: dict[tuple[object, ...], _Codes] = {}
    # A batch names a few thousand places, each many times: each one's ancestors are looked
    # up once.
    lineages: dict[str, tuple[str, ...]] = {}

    def lineage(place: str) -> tuple[str, ...]:
        found = lineages.get(place)
        if found is None:
            found = lineages[place] = ancestors(place)
        return found

    for key in keys:
        signature = (key.tokens, key.concepts, key.places, key.legal_forms, key.pinyin_brands)
        codes = recent.get(signature)
        if codes is None:
            if len(recent) >= _RECENT:
                recent.clear()
            codes = recent[signature] = _encode(key, vocabulary, lineage, grow)
        distinctive.append(codes.distinctive)
        han.append(key.han)
        pinyin_brand.append(codes.pinyin_brand)
        token_count.append(len(key.tokens))
        tri.add(codes.trigrams)
        terms.add(codes.terms)
        own.add(codes.places_own)
        up.add(codes.places_up)
        leaf.add(codes.places_leaf)
        concepts.add(codes.concepts)
        legal.append(codes.legal_mask)
        legal_sets.append(codes.legal_set)
        numbers.append(codes.numbers_hash)
        exact.append(codes.exact_hash)
        brand.append(codes.brand_hash)
        trade.append(codes.trade_hash)
        words.append(codes.words_hash)
        written.append(stable_hash(key.trade_words) if key.trade_words else 0)
        head = head_of.get(key.concept_order)
        if head is None:
            head = head_of[key.concept_order] = _heads(key.concept_order)
        heads.extend(head)
    v = vocabulary
    return Encoded(
        trigrams=tri.binary(len(v.trigrams)),
        terms=terms.binary(len(v.terms)),
        places_own=own.binary(len(v.places)),
        places_up=up.binary(len(v.places)),
        places_leaf=leaf.binary(len(v.places)),
        concepts=concepts.binary(len(v.concepts)),
        distinctive=np.array(distinctive, dtype=object),
        han=np.array(han, dtype=object),
        pinyin_brand=np.array(pinyin_brand, dtype=bool),
        token_count=np.array(token_count, dtype=np.int32),
        legal_mask=np.array(legal, dtype=np.uint64),
        legal_set=np.array(legal_sets, dtype=np.int32),
        numbers_hash=np.array(numbers, dtype=np.int64),
        exact_hash=np.array(exact, dtype=np.int64),
        brand_hash=np.array(brand, dtype=np.int64),
        trade_hash=np.array(trade, dtype=np.int64),
        words_hash=np.array(words, dtype=np.int64),
        written_hash=np.array(written, dtype=np.int64),
        head_hash=np.array(heads, dtype=np.int64).reshape(-1, _HEADS),
    )


def merge(parts: Sequence[tuple[Encoded, Vocabulary]]) -> tuple[Encoded, Vocabulary]:
    """Parts of a reference encoded separately (in parallel), as if encoded in one go: one
    vocabulary, every part's ids mapped into it, rows in the parts' order."""
    first = parts[0][1]
    merged = Vocabulary({}, {}, {}, {}, first.legal_bits, {})

    def remap(local: dict[T, int], into: dict[T, int]) -> IntArray:
        by_id = sorted(local, key=local.__getitem__)
        return np.array([into.setdefault(item, len(into)) for item in by_id], dtype=np.int32)

    def stack(matrices: list[Matrix], maps: list[IntArray], width: int) -> Matrix:
        widened = []
        for matrix, ids in zip(matrices, maps, strict=True):
            shape = (matrix.shape[0], width)
            part = sparse.csr_matrix((matrix.data, ids[matrix.indices], matrix.indptr), shape)
            part.sort_indices()
            widened.append(part)
        return sparse.csr_matrix(sparse.vstack(widened, format="csr"))

    tri = [remap(v.trigrams, merged.trigrams) for _, v in parts]
    terms = [remap(v.terms, merged.terms) for _, v in parts]
    places = [remap(v.places, merged.places) for _, v in parts]
    concepts = [remap(v.concepts, merged.concepts) for _, v in parts]
    legal_sets = [remap(v.legal_sets, merged.legal_sets) for _, v in parts]
    encoded = [e for e, _ in parts]
    return (
        Encoded(
            trigrams=stack([e.trigrams for e in encoded], tri, len(merged.trigrams)),
            terms=stack([e.terms for e in encoded], terms, len(merged.terms)),
            places_own=stack([e.places_own for e in encoded], places, len(merged.places)),
            places_up=stack([e.places_up for e in encoded], places, len(merged.places)),
            places_leaf=stack([e.places_leaf for e in encoded], places, len(merged.places)),
            concepts=stack([e.concepts for e in encoded], concepts, len(merged.concepts)),
            distinctive=np.concatenate([e.distinctive for e in encoded]),
            han=np.concatenate([e.han for e in encoded]),
            pinyin_brand=np.concatenate([e.pinyin_brand for e in encoded]),
            token_count=np.concatenate([e.token_count for e in encoded]),
            legal_mask=np.concatenate([e.legal_mask for e in encoded]),
            legal_set=np.concatenate(
                [ids[e.legal_set] for e, ids in zip(encoded, legal_sets, strict=True)]
            ),
            numbers_hash=np.concatenate([e.numbers_hash for e in encoded]),
            exact_hash=np.concatenate([e.exact_hash for e in encoded]),
            brand_hash=np.concatenate([e.brand_hash for e in encoded]),
            trade_hash=np.concatenate([e.trade_hash for e in encoded]),
            words_hash=np.concatenate([e.words_hash for e in encoded]),
            written_hash=np.concatenate([e.written_hash for e in encoded]),
            head_hash=np.concatenate([e.head_hash for e in encoded]),
        ),
        merged,
    )


def _encode(
    key: NameKey,
    v: Vocabulary,
    ancestors: Callable[[str], tuple[str, ...]],
    grow: bool,
) -> _Codes:
    # Each reference name is encoded once: the name's parts are read once (`distinctive` is
    # computed on each read) and ids taken straight from the growing vocabularies.
    def ids(items: Iterable[str], vocab: dict[str, int], counted: bool = False) -> tuple[int, ...]:
        if grow:
            return tuple(sorted({vocab.setdefault(i, len(vocab)) for i in items}))
        unseen = vocab.get(_UNSEEN) if counted else None
        return tuple(sorted({i for item in items if (i := vocab.get(item, unseen)) is not None}))

    distinctive, tokens = key.distinctive, key.tokens
    places = sorted(key.places)
    concepts = sorted(key.concepts)
    lineage = {p: ancestors(p) for p in places}
    above = {a for line in lineage.values() for a in line[1:]}
    mask = 0
    for form in key.legal_forms:
        mask |= 1 << v.legal_bits[form]
    forms = tuple(sorted(key.legal_forms))
    # A query's set of forms the reference never had gets -1: queries describe themselves.
    legal_set = v.legal_sets.setdefault(forms, len(v.legal_sets)) if grow else None
    digits = sorted(t for t in tokens if t.isdigit())
    return _Codes(
        distinctive=distinctive,
        trigrams=ids(trigrams(distinctive), v.trigrams),
        terms=ids(name_terms(tokens, concepts, places), v.terms),
        places_own=ids(places, v.places, counted=True),
        places_up=ids(sorted({a for line in lineage.values() for a in line}), v.places),
        places_leaf=ids([p for p in places if p not in above], v.places, counted=True),
        concepts=ids(concepts, v.concepts, counted=True),
        pinyin_brand=bool(key.pinyin_brands),
        legal_mask=mask,
        legal_set=v.legal_sets.get(forms, -1) if legal_set is None else legal_set,
        numbers_hash=stable_hash(" ".join(digits)) if digits else 0,
        exact_hash=stable_hash(exact_key(distinctive, places, concepts)),
        brand_hash=stable_hash(distinctive) if distinctive else 0,
        trade_hash=stable_hash("\x1e".join((distinctive, *concepts))) if distinctive else 0,
        words_hash=stable_hash(" ".join(sorted(tokens))) if tokens else 0,
    )


def vectors(
    keys: Iterable[NameKey],
    vocabulary: Vocabulary,
    ancestors: Callable[[str], tuple[str, ...]],
    weights: Weights,
) -> NameVectors:
    """Query names in the reference's vocabulary and weights."""
    return weigh(encode_keys(keys, vocabulary, ancestors, grow=False), weights)


def reference_weights(encoded: Encoded) -> Weights:
    """IDF weights of the reference's trigrams and terms."""
    return Weights(_idf(encoded.trigrams), _idf(encoded.terms))


def weigh(encoded: Encoded, weights: Weights) -> NameVectors:
    """Weighted, normalised vectors (reuses the binary matrices' buffers)."""
    distinctive = encoded.distinctive
    return NameVectors(
        trigrams=_l2(_scale_columns(encoded.trigrams, weights.trigram_idf)),
        terms=_l2(_scale_columns(encoded.terms, weights.term_idf)),
        places_own=encoded.places_own,
        places_up=encoded.places_up,
        places_leaf=encoded.places_leaf,
        concepts=encoded.concepts,
        distinctive=distinctive,
        distinctive_len=np.fromiter((len(d) for d in distinctive), np.int32, len(distinctive)),
        han=encoded.han,
        pinyin_brand=encoded.pinyin_brand,
        token_count=encoded.token_count,
        legal_mask=encoded.legal_mask,
        legal_set=encoded.legal_set,
        numbers_hash=encoded.numbers_hash,
        exact_hash=encoded.exact_hash,
        brand_hash=encoded.brand_hash,
        trade_hash=encoded.trade_hash,
        words_hash=encoded.words_hash,
        written_hash=encoded.written_hash,
        head_hash=encoded.head_hash,
    )


_HEADS = 3


def _heads(order: tuple[str, ...]) -> tuple[int, ...]:
    """head_hash of a name whose concepts come in `order`."""
    return tuple(
        stable_hash("\x1e".join(sorted(order[:k]))) if k <= len(order) else 0
        for k in range(1, _HEADS + 1)
    )


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
    """Rows scaled to unit length, in place (no per-element temporaries beyond the squares)."""
    lengths = np.diff(matrix.indptr)
    filled = lengths > 0
    norms = np.ones(matrix.shape[0], dtype=np.float32)
    if matrix.nnz:
        sums = np.add.reduceat(matrix.data * matrix.data, matrix.indptr[:-1][filled])
        norms[filled] = np.sqrt(sums)
    matrix.data /= np.repeat(norms, lengths)
    return matrix
