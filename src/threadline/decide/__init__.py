"""Decisions: score bands from two thresholds, and stored human review decisions that override:
on name candidates (same / not same) and on other flags (dispositions)."""

from threadline.decide.bands import (
    ReviewDecision,
    Verdict,
    apply_review,
    band_for,
    pair_key,
    resolve_decisions,
)
from threadline.decide.dispositions import (
    FlagKey,
    apply_dispositions,
    flag_key,
)

__all__ = [
    "FlagKey",
    "ReviewDecision",
    "Verdict",
    "apply_dispositions",
    "apply_review",
    "band_for",
    "flag_key",
    "pair_key",
    "resolve_decisions",
]
