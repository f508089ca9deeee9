"""Decisions: score bands from two thresholds, and stored human review decisions that override:
on name candidates (same / not same) and on other flags (dispositions)."""

from threadline.decide.bands import (
    ReviewDecision,
    Verdict,
    apply_review,
    band_for,
    resolve_decisions,
)
from threadline.decide.dispositions import FlagKey, apply_dispositions

# Which decision and which disposition applies: the identity rules of model/ids.py.
from threadline.model.ids import decision_key, disposition_key

__all__ = [
    "FlagKey",
    "ReviewDecision",
    "Verdict",
    "apply_dispositions",
    "apply_review",
    "band_for",
    "decision_key",
    "disposition_key",
    "resolve_decisions",
]
