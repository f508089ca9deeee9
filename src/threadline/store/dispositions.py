"""Flag dispositions in the store: append-only decisions with their traceability files (kept
whole, known by SHA-256), the latest per supplier and flag applied by later screenings."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select

from threadline.data.rules import load_tier_rules
from threadline.decide import FlagKey, disposition_key
from threadline.errors import InputError
from threadline.model import Attachment, Disposition, DispositionDecision
from threadline.model.ids import supplier_key
from threadline.store.repository import Store
from threadline.store.tables import disposition_files, flag_dispositions
from threadline.store.times import as_utc

MAX_COMMENT = 2000
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class FiledDocument:
    filename: str
    content: bytes
    description: str = ""


@dataclass(frozen=True, slots=True)
class DispositionContext:
    """Where a decision was made, for the audit export; empty outside a screening."""

    screening_id: str = ""
    row: int | None = None
    user_key: str = ""
    score: float | None = None
    data_version: str = ""
    algorithm: str = ""


@dataclass(frozen=True, slots=True)
class DispositionLogEntry:
    id: int
    disposition: Disposition
    context: DispositionContext


def parse_decision(value: str) -> DispositionDecision:
    try:
        return DispositionDecision(value.strip().lower())
    except ValueError:
        choices = ", ".join(d.value for d in DispositionDecision)
        raise InputError(f"decision '{value}' is not one of: {choices}") from None


class Dispositions:
    def __init__(self, store: Store) -> None:
        self.engine = store.engine

    def record(
        self,
        *,
        supplier: str,
        code: str,
        decision: DispositionDecision,
        user: str,
        comment: str = "",
        files: Sequence[FiledDocument] = (),
        context: DispositionContext | None = None,
    ) -> Disposition:
        """Store one decision; a name-match flag is refused (decide on the match instead)."""
        if code in load_tier_rules().name_match_codes:
            raise InputError(
                f"{code} rests on a name match: decide on the candidate (same / not same) instead"
            )
        if not supplier.strip() or not code.strip():
            raise InputError("a disposition needs the supplier name and the flag's code")
        if len(comment) > MAX_COMMENT:
            raise InputError(f"comment longer than {MAX_COMMENT} characters")
        for document in files:
            if len(document.content) > MAX_FILE_BYTES:
                raise InputError("attachment is over 20 MiB", file=document.filename)
        where = context or DispositionContext()
        now = dt.datetime.now(dt.UTC)
        attachments = tuple(
            Attachment(d.filename, hashlib.sha256(d.content).hexdigest(), d.description)
            for d in files
        )
        with self.engine.begin() as connection:
            new_id = connection.execute(
                insert(flag_dispositions).values(
                    supplier_key=supplier_key(supplier),
                    supplier=supplier,
                    code=code,
                    decision=decision.value,
                    user_name=user,
                    comment=comment.strip(),
                    decided_at=now,
                    screening_id=where.screening_id,
                    row=where.row,
                    user_key=where.user_key,
                    score=where.score,
                    data_version=where.data_version,
                    algorithm=where.algorithm,
                )
            ).inserted_primary_key
            assert new_id is not None
            for document, attachment in zip(files, attachments, strict=True):
                connection.execute(
                    insert(disposition_files).values(
                        disposition_id=new_id[0],
                        filename=document.filename,
                        description=document.description,
                        sha256=attachment.sha256,
                        content=document.content,
                    )
                )
        return Disposition(
            supplier=supplier,
            code=code,
            decision=decision,
            user=user,
            decided_at=now.isoformat(timespec="seconds"),
            comment=comment.strip(),
            attachments=attachments,
        )

    def log(self) -> list[DispositionLogEntry]:
        """Every disposition ever made, oldest first, with its files' names and hashes."""
        with self.engine.connect() as connection:
            files: dict[int, list[Attachment]] = {}
            for f in connection.execute(
                select(
                    disposition_files.c.disposition_id,
                    disposition_files.c.filename,
                    disposition_files.c.sha256,
                    disposition_files.c.description,
                ).order_by(disposition_files.c.id)
            ).mappings():
                files.setdefault(f["disposition_id"], []).append(
                    Attachment(f["filename"], f["sha256"], f["description"])
                )
            rows = connection.execute(
                select(flag_dispositions).order_by(flag_dispositions.c.id)
            ).mappings()
            return [
                DispositionLogEntry(
                    id=r["id"],
                    disposition=Disposition(
                        supplier=r["supplier"],
                        code=r["code"],
                        decision=DispositionDecision(r["decision"]),
                        user=r["user_name"],
                        decided_at=_iso(r["decided_at"]),
                        comment=r["comment"],
                        attachments=tuple(files.get(r["id"], ())),
                    ),
                    context=DispositionContext(
                        screening_id=r["screening_id"],
                        row=r["row"],
                        user_key=r["user_key"],
                        score=r["score"],
                        data_version=r["data_version"],
                        algorithm=r["algorithm"],
                    ),
                )
                for r in rows
            ]

    def latest(self) -> dict[FlagKey, Disposition]:
        """The latest disposition of each (supplier, flag): what screenings apply."""
        return {
            disposition_key(e.disposition.supplier, e.disposition.code): e.disposition
            for e in self.log()
        }

    def file(self, sha256: str) -> tuple[str, bytes] | None:
        """A filed document by its hash: (file name, content)."""
        with self.engine.connect() as connection:
            found = connection.execute(
                select(disposition_files.c.filename, disposition_files.c.content)
                .where(disposition_files.c.sha256 == sha256)
                .limit(1)
            ).first()
        return (found[0], bytes(found[1])) if found else None


def _iso(value: dt.datetime) -> str:
    return as_utc(value).astimezone(dt.UTC).isoformat(timespec="seconds")
