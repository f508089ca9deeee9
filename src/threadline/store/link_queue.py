"""Candidate links waiting for a person: a name an import resolved into the review band of a
stored entity (bills of lading, relations, FtM), kept beside the new party it became. A decision
on one is a review decision on (name, candidate), so later screenings of that name apply it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from threadline.decide import ReviewDecision, decision_key
from threadline.store.repository import Store
from threadline.store.tables import candidate_links, entities


@dataclass(frozen=True, slots=True)
class CandidateLinkItem:
    id: str
    name: str  # the name as the imported record wrote it
    entity_id: str  # the party it became
    candidate_id: str  # the stored entity it may be
    candidate_name: str
    score: float
    dataset_id: str
    decision: ReviewDecision | None


def candidate_link_queue(store: Store, *, include_decided: bool = False) -> list[CandidateLinkItem]:
    """Candidate links, best score first; decided ones ('unsure' aside) only when asked."""
    decisions = store.decisions()
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(candidate_links, entities.c.caption.label("candidate_name"))
            .join(entities, entities.c.id == candidate_links.c.candidate_id)
            .order_by(candidate_links.c.score.desc(), candidate_links.c.id)
        ).mappings()
        items = [
            CandidateLinkItem(
                id=r["id"],
                name=r["name"],
                entity_id=r["entity_id"],
                candidate_id=r["candidate_id"],
                candidate_name=r["candidate_name"],
                score=float(r["score"]),
                dataset_id=r["dataset_id"],
                decision=decisions.get(decision_key(r["name"], r["candidate_id"])),
            )
            for r in rows
        ]
    return [
        item
        for item in items
        if include_decided or item.decision is None or item.decision.verdict.value == "unsure"
    ]
