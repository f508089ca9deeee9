"""Decisions: score bands from two thresholds, and stored human review decisions that override."""

from threadline.decide.bands import (
    ReviewDecision,
    Verdict,
    apply_review,
    band_for,
    pair_key,
    resolve_decisions,
)

__all__ = [
    "ReviewDecision",
    "Verdict",
    "apply_review",
    "band_for",
    "pair_key",
    "resolve_decisions",
]
