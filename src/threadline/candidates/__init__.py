"""Candidate search: name vectors (vectors.py) and a blocking index over them (index.py)."""

from threadline.candidates.index import (
    ReferenceIndex,
    anchored,
    build_index,
    candidate_pairs,
    describe_key,
    encode,
    encode_reference,
)
from threadline.candidates.vectors import Encoded, IntArray, NameVectors, Vocabulary, merge

__all__ = [
    "Encoded",
    "IntArray",
    "NameVectors",
    "ReferenceIndex",
    "Vocabulary",
    "anchored",
    "build_index",
    "candidate_pairs",
    "describe_key",
    "encode",
    "encode_reference",
    "merge",
]
