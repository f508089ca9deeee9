"""Review decisions on a screening's possible matches: same, not same or unsure, with a comment.

Append-only: each decision is a new row with its user and time, and the data and algorithm
versions of the screening it was made on; later screenings apply the latest one per pair."""

from __future__ import annotations

import datetime as dt

from threadline.decide import ReviewDecision, Verdict
from threadline.errors import InputError, NotFound, StoreBusy
from threadline.server.auth import User
from threadline.server.services import Services
from threadline.store.repository import retrying

MAX_COMMENT = 2000


def parse_verdict(value: str) -> Verdict:
    try:
        return Verdict(value.strip().lower().replace("_", " "))
    except ValueError:
        choices = ", ".join(v.value for v in Verdict)
        raise InputError(f"verdict '{value}' is not one of: {choices}") from None


class Decisions:
    def __init__(self, services: Services) -> None:
        self.services = services

    def record(
        self,
        *,
        screening_id: str,
        row: int,
        entity_id: str,
        verdict: str,
        comment: str,
        user: User,
    ) -> ReviewDecision:
        screenings = self.services.screenings
        screening = screenings.get(screening_id)
        if screening is None:
            raise NotFound(f"no screening '{screening_id}'")
        found = screenings.row(screening_id, row)
        name = screenings.row_name(screening_id, row)
        if found is None or name is None:
            raise NotFound(f"screening {screening_id} has no row {row}")
        if all(m["entity_id"] != entity_id for m in found["matches"]):
            raise InputError(f"entity '{entity_id}' is not a candidate match of row {row}")
        if len(comment) > MAX_COMMENT:
            raise InputError(f"comment longer than {MAX_COMMENT} characters")
        decision = ReviewDecision(
            query_name=name,
            entity_id=entity_id,
            verdict=parse_verdict(verdict),
            user=user.name,
            decided_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            comment=comment.strip(),
        )
        match = next(m for m in found["matches"] if m["entity_id"] == entity_id)
        try:
            # A CLI import may hold SQLite's write lock: wait and try again, never a 500.
            retrying(
                lambda: self.services.store.add_decision(
                    decision,
                    data_version=screening.data_version,
                    algorithm=screening.algorithm,
                    screening_id=screening_id,
                    row=row,
                    user_key=(found.get("screened") or {}).get("key", ""),
                    score=match.get("score"),
                ),
                attempts=2,
            )
        except StoreBusy as exc:
            raise StoreBusy(
                "the database is busy with another write; the decision was not recorded, "
                "send it again"
            ) from exc
        return decision
