"""Candidate search: a blocking index over reference name keys (see index.py)."""

from threadline.candidates.index import (
    NameVectors,
    ReferenceIndex,
    build_index,
    candidate_pairs,
    encode,
    rowwise_dot,
)

__all__ = [
    "NameVectors",
    "ReferenceIndex",
    "build_index",
    "candidate_pairs",
    "encode",
    "rowwise_dot",
]
