"""Bands from scores, and human review decisions that override them for the same pair."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from threadline.model import Band, MatchResult
from threadline.model.ids import decision_key


class Verdict(StrEnum):
    SAME = "same"
    NOT_SAME = "not same"
    UNSURE = "unsure"


@dataclass(frozen=True, slots=True)
class ReviewDecision:
    """A reviewer's word on one (supplier name, entity) pair. Append-only in the store."""

    query_name: str
    entity_id: str
    verdict: Verdict
    user: str
    decided_at: str
    comment: str = ""


def band_for(score: float, match_threshold: float, review_threshold: float) -> Band:
    if score >= match_threshold:
        return Band.MATCH
    if score >= review_threshold:
        return Band.REVIEW
    return Band.NO_MATCH


def resolve_decisions(
    decisions: Mapping[tuple[str, str], ReviewDecision], resolve: Callable[[str], str]
) -> dict[tuple[str, str], ReviewDecision]:
    """Decisions keyed by the entity each one's entry now belongs to (a folded list entry's
    decision applies to the company it joined); the latest wins a collision."""
    out: dict[tuple[str, str], ReviewDecision] = {}
    for (query, entity_id), decision in decisions.items():
        key = (query, resolve(entity_id))
        if key not in out or out[key].decided_at < decision.decided_at:
            out[key] = replace(decision, entity_id=key[1])
    return out


def apply_review(
    query_name: str,
    results: list[MatchResult],
    decisions: Mapping[tuple[str, str], ReviewDecision],
) -> list[MatchResult]:
    """The latest decision for a pair wins over its score: same → match, not same → no match;
    unsure keeps the pair in review."""
    out: list[MatchResult] = []
    for result in results:
        decision = decisions.get(decision_key(query_name, result.entity.id))
        if decision is None:
            out.append(result)
            continue
        band = {
            Verdict.SAME: Band.MATCH,
            Verdict.NOT_SAME: Band.NO_MATCH,
            Verdict.UNSURE: Band.REVIEW,
        }[decision.verdict]
        note = f"reviewed by {decision.user} on {decision.decided_at}: {decision.verdict}"
        if decision.comment:
            note += f" ({decision.comment})"
        explanation = replace(result.explanation, note=note)
        out.append(replace(result, band=band, explanation=explanation))
    return out
