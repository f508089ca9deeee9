"""Screening jobs repository: the upload, the job's state and progress, its rows and reports,
and the full log of review decisions for the audit export."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from threadline.changes import facts_digest
from threadline.store.repository import Store
from threadline.store.server_tables import (
    screening_reports,
    screening_rows,
    screening_uploads,
    screenings,
    users,
)
from threadline.store.tables import review_decisions
from threadline.store.times import as_utc

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
_ROW_BATCH = 5000


@dataclass(frozen=True, slots=True)
class ScreeningRecord:
    id: str
    user: str
    filename: str
    status: str
    total: int
    done: int
    error: str
    as_of: dt.date
    data_version: str
    algorithm: str
    summary: dict[str, int]
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StoredRow:
    """One screened input row, to be stored: its results.json object and filter columns."""

    row: int
    name: str
    tier: str
    bands: tuple[str, ...]  # the bands of the row's matches (match, review)
    lists: tuple[str, ...]
    result: Mapping[str, Any]
    key: str = ""  # the row's identity across runs (threadline.monitoring.keys)
    facts: Mapping[str, Any] | None = None  # what a comparison needs (threadline.changes)


@dataclass(frozen=True, slots=True)
class DecisionLogEntry:
    id: int
    query_name: str
    entity_id: str
    verdict: str
    user: str
    comment: str
    decided_at: dt.datetime
    data_version: str
    algorithm: str
    screening_id: str = ""
    row: int | None = None
    user_key: str = ""
    score: float | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _joined(values: Sequence[str]) -> str:
    """',a,b,' so that a filter can look for ',a,' whole."""
    return "," + ",".join(values) + "," if values else ""


def insert_rows(connection: Connection, screening_id: str, rows: Sequence[StoredRow]) -> None:
    for start in range(0, len(rows), _ROW_BATCH):
        connection.execute(
            insert(screening_rows),
            [
                {
                    "screening_id": screening_id,
                    "row": r.row,
                    "name": r.name,
                    "tier": r.tier,
                    "bands": _joined(r.bands),
                    "lists": _joined(r.lists),
                    "result": json.dumps(r.result, ensure_ascii=False, default=str),
                    "key": r.key,
                    "facts": json.dumps(r.facts, ensure_ascii=False) if r.facts else "",
                    "digest": facts_digest(r.facts) if r.facts else "",
                }
                for r in rows[start : start + _ROW_BATCH]
            ],
        )


def _record(row: Any) -> ScreeningRecord:
    return ScreeningRecord(
        id=row["id"],
        user=row["user_name"],
        filename=row["filename"],
        status=row["status"],
        total=row["total"],
        done=row["done"],
        error=row["error"],
        as_of=row["as_of"],
        data_version=row["data_version"],
        algorithm=row["algorithm"],
        summary=json.loads(row["summary"]),
        created_at=as_utc(row["created_at"]) or _now(),
        started_at=as_utc(row["started_at"]),
        finished_at=as_utc(row["finished_at"]),
        options=json.loads(row["options"] or "{}"),
    )


# A screening's row with its owner's name: what every listing of screenings reads.
WITH_USER = select(screenings, users.c.name.label("user_name")).join(
    users, users.c.id == screenings.c.user_id
)


class Screenings:
    def __init__(self, store: Store) -> None:
        self.engine = store.engine

    def create(
        self,
        screening_id: str,
        *,
        user_id: int,
        filename: str,
        content: bytes,
        as_of: dt.date,
        data_version: str,
        algorithm: str,
        options: dict[str, Any] | None = None,
    ) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                insert(screenings).values(
                    options=json.dumps(options or {}, ensure_ascii=False),
                    id=screening_id,
                    user_id=user_id,
                    filename=filename,
                    status=QUEUED,
                    total=0,
                    done=0,
                    error="",
                    as_of=as_of,
                    data_version=data_version,
                    algorithm=algorithm,
                    summary="{}",
                    created_at=_now(),
                )
            )
            connection.execute(
                insert(screening_uploads).values(screening_id=screening_id, content=content)
            )

    def get(self, screening_id: str) -> ScreeningRecord | None:
        with self.engine.connect() as connection:
            row = connection.execute(WITH_USER.where(screenings.c.id == screening_id)).mappings()
            found = row.first()
        return _record(found) if found else None

    def recent(self, limit: int = 50) -> list[ScreeningRecord]:
        query = WITH_USER.order_by(screenings.c.created_at.desc()).limit(limit)
        with self.engine.connect() as connection:
            return [_record(r) for r in connection.execute(query).mappings()]

    def upload(self, screening_id: str) -> bytes:
        with self.engine.connect() as connection:
            return bytes(
                connection.execute(
                    select(screening_uploads.c.content).where(
                        screening_uploads.c.screening_id == screening_id
                    )
                ).scalar_one()
            )

    # -- the job's life ---------------------------------------------------------------------

    def claim(self, screening_id: str) -> bool:
        """Mark a queued job running; False when another worker already took it."""
        with self.engine.begin() as connection:
            result = connection.execute(
                update(screenings)
                .where(screenings.c.id == screening_id, screenings.c.status == QUEUED)
                .values(status=RUNNING, started_at=_now(), attempts=screenings.c.attempts + 1)
            )
        return result.rowcount == 1

    def requeue_interrupted(self, max_attempts: int = 2) -> list[str]:
        """Jobs a stopped server left running go back to the queue, unless they were started
        `max_attempts` times already: a job that stopped the server twice (out of memory, killed)
        is failed with that reason, not run a third time. Returns every queued id."""
        with self.engine.begin() as connection:
            connection.execute(
                update(screenings)
                .where(screenings.c.status == RUNNING, screenings.c.attempts >= max_attempts)
                .values(
                    status=FAILED,
                    error=f"the server stopped while screening this file {max_attempts} times "
                    "(killed, or out of memory); it is not started again",
                    finished_at=_now(),
                )
            )
            connection.execute(
                update(screenings)
                .where(screenings.c.status == RUNNING)
                .values(status=QUEUED, done=0, started_at=None)
            )
            return list(
                connection.execute(
                    select(screenings.c.id)
                    .where(screenings.c.status == QUEUED)
                    .order_by(screenings.c.created_at)
                ).scalars()
            )

    def progress(self, screening_id: str, *, done: int, total: int) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(screenings)
                .where(screenings.c.id == screening_id)
                .values(done=done, total=total)
            )

    def finish(
        self,
        screening_id: str,
        rows: Sequence[StoredRow],
        reports: Mapping[str, bytes],
        summary: Mapping[str, int],
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        with self.engine.begin() as connection:
            # A job re-run after an interruption replaces what the first attempt left.
            for table in (screening_rows, screening_reports):
                connection.execute(delete(table).where(table.c.screening_id == screening_id))
            insert_rows(connection, screening_id, rows)
            for fmt, content in reports.items():
                connection.execute(
                    insert(screening_reports).values(
                        screening_id=screening_id, format=fmt, content=content
                    )
                )
            connection.execute(
                update(screenings)
                .where(screenings.c.id == screening_id)
                .values(
                    status=DONE,
                    done=len(rows),
                    total=len(rows),
                    summary=json.dumps(dict(summary)),
                    settings=json.dumps(dict(settings or {}), sort_keys=True),
                    finished_at=_now(),
                )
            )

    def set_options(self, screening_id: str, options: dict[str, Any]) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(screenings)
                .where(screenings.c.id == screening_id)
                .values(options=json.dumps(options, ensure_ascii=False))
            )

    def fail(self, screening_id: str, error: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(screenings)
                .where(screenings.c.id == screening_id)
                .values(status=FAILED, error=error, finished_at=_now())
            )

    # -- results ----------------------------------------------------------------------------

    def rows(
        self,
        screening_id: str,
        *,
        tier: str | None = None,
        band: str | None = None,
        list_id: str | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> tuple[int, list[dict[str, Any]]]:
        """The total rows passing the filters, and one page of their results.json objects."""
        conditions = [screening_rows.c.screening_id == screening_id]
        if tier:
            conditions.append(screening_rows.c.tier == tier)
        if band:
            conditions.append(screening_rows.c.bands.contains(f",{band},", autoescape=True))
        if list_id:
            conditions.append(screening_rows.c.lists.contains(f",{list_id},", autoescape=True))
        with self.engine.connect() as connection:
            total = connection.execute(
                select(func.count()).select_from(screening_rows).where(*conditions)
            ).scalar_one()
            results = connection.execute(
                select(screening_rows.c.result)
                .where(*conditions)
                .order_by(screening_rows.c.row)
                .offset(offset)
                .limit(limit)
            ).scalars()
            return int(total), [json.loads(r) for r in results]

    def row(self, screening_id: str, row: int) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            found = connection.execute(
                select(screening_rows.c.result).where(
                    screening_rows.c.screening_id == screening_id, screening_rows.c.row == row
                )
            ).scalar_one_or_none()
        return json.loads(found) if found is not None else None

    def row_names(self, screening_id: str) -> dict[int, str]:
        with self.engine.connect() as connection:
            found = connection.execute(
                select(screening_rows.c.row, screening_rows.c.name).where(
                    screening_rows.c.screening_id == screening_id
                )
            ).all()
        return {int(row): str(name) for row, name in found}

    def row_name(self, screening_id: str, row: int) -> str | None:
        """The supplier name as screened: review decisions are keyed on it."""
        with self.engine.connect() as connection:
            found = connection.execute(
                select(screening_rows.c.name).where(
                    screening_rows.c.screening_id == screening_id, screening_rows.c.row == row
                )
            ).scalar_one_or_none()
        return str(found) if found is not None else None

    def report(self, screening_id: str, fmt: str) -> bytes | None:
        with self.engine.connect() as connection:
            found = connection.execute(
                select(screening_reports.c.content).where(
                    screening_reports.c.screening_id == screening_id,
                    screening_reports.c.format == fmt,
                )
            ).scalar_one_or_none()
        return bytes(found) if found is not None else None

    def save_report(self, screening_id: str, fmt: str, content: bytes) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                delete(screening_reports).where(
                    screening_reports.c.screening_id == screening_id,
                    screening_reports.c.format == fmt,
                )
            )
            connection.execute(
                insert(screening_reports).values(
                    screening_id=screening_id, format=fmt, content=content
                )
            )

    def decision_log(self) -> list[DecisionLogEntry]:
        """Every review decision ever made, oldest first (the table is append-only)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(review_decisions).order_by(review_decisions.c.id)
            ).mappings()
            return [
                DecisionLogEntry(
                    id=r["id"],
                    query_name=r["query_name"],
                    entity_id=r["entity_id"],
                    verdict=r["verdict"],
                    user=r["user_name"],
                    comment=r["comment"],
                    decided_at=as_utc(r["decided_at"]) or _now(),
                    data_version=r["data_version"],
                    algorithm=r["algorithm"],
                    screening_id=r["screening_id"],
                    row=r["row"],
                    user_key=r["user_key"],
                    score=r["score"],
                )
                for r in rows
            ]
