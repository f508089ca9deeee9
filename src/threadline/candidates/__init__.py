"""Candidate search: name vectors (vectors.py) and a blocking index over them (index.py)."""

from threadline.candidates.index import (
    ReferenceIndex,
    anchored,
    build_index,
    candidate_pairs,
    describe_key,
    encode,
)
from threadline.candidates.vectors import IntArray, NameVectors, Vocabulary

__all__ = [
    "IntArray",
    "NameVectors",
    "ReferenceIndex",
    "Vocabulary",
    "anchored",
    "build_index",
    "candidate_pairs",
    "describe_key",
    "encode",
]
