"""Screenings kept for comparison: command-line and monitor screenings stored whole in one
transaction (so an interrupted run leaves nothing, never a half-written screening shown as done),
the facts of any stored screening read back for a comparison, and monitors.

Server jobs are stored by threadline.store.screenings; both live in the same tables, so every
screening, from wherever it ran, lists and compares alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from threadline.changes import facts_from_json, row_facts
from threadline.model.changes import RowFacts, ScreeningFacts
from threadline.store.repository import Store
from threadline.store.screenings import DONE, WITH_USER, StoredRow, insert_rows
from threadline.store.server_tables import (
    monitors,
    screening_inputs,
    screening_reports,
    screening_rows,
    screening_uploads,
    screenings,
    users,
)
from threadline.store.times import as_utc

# Screenings need an owner; those run from the command line belong to this account, which is
# disabled so that nobody can sign in as it.
CLI_ACCOUNT = "(command line)"
_IN_BATCH = 500  # row numbers per IN (...) query


@dataclass(frozen=True, slots=True)
class InputFile:
    name: str  # as the user gave it, without folders
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True, slots=True)
class NewScreening:
    id: str
    origin: str  # cli or monitor
    files: tuple[InputFile, ...]
    as_of: dt.date
    data_version: str
    algorithm: str
    settings: Mapping[str, Any]
    summary: Mapping[str, int]
    rows: Sequence[StoredRow]
    reports: Mapping[str, bytes] = field(default_factory=dict)  # html, csv, json as written

    @property
    def filename(self) -> str:
        return inputs_label(f.name for f in self.files)


@dataclass(frozen=True, slots=True)
class ScreeningInfo:
    id: str
    origin: str
    user: str
    filename: str
    status: str
    total: int
    as_of: dt.date
    data_version: str
    algorithm: str
    settings: dict[str, Any]
    summary: dict[str, int]
    input_hash: str
    created_at: dt.datetime
    monitored: bool


@dataclass(frozen=True, slots=True)
class MonitorInfo:
    id: int
    screening_id: str
    previous_id: str | None
    filename: str
    created_at: dt.datetime
    checked_at: dt.datetime | None
    changed: int
    raised: int


def inputs_label(names: Iterable[str]) -> str:
    """How the inputs of a screening are named and matched: the file names, joined."""
    return " + ".join(names)


def input_digest(files: Sequence[InputFile]) -> str:
    digest = hashlib.sha256()
    for item in files:
        digest.update(item.sha256.encode())
    return digest.hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ScreeningHistory:
    def __init__(self, store: Store) -> None:
        self.engine = store.engine

    # -- writing ----------------------------------------------------------------------------

    def save(self, new: NewScreening) -> None:
        """The screening, its inputs and rows in one transaction: all of it, or nothing."""
        now = _now()
        with self.engine.begin() as connection:
            connection.execute(
                insert(screenings).values(
                    id=new.id,
                    user_id=_cli_account(connection),
                    filename=new.filename,
                    status=DONE,
                    total=len(new.rows),
                    done=len(new.rows),
                    error="",
                    as_of=new.as_of,
                    data_version=new.data_version,
                    algorithm=new.algorithm,
                    summary=json.dumps(dict(new.summary)),
                    created_at=now,
                    started_at=now,
                    finished_at=now,
                    origin=new.origin,
                    input_hash=input_digest(new.files),
                    settings=json.dumps(dict(new.settings), sort_keys=True, default=str),
                )
            )
            for position, item in enumerate(new.files):
                connection.execute(
                    insert(screening_inputs).values(
                        screening_id=new.id,
                        position=position,
                        filename=item.name,
                        sha256=item.sha256,
                        content=item.content,
                    )
                )
            insert_rows(connection, new.id, new.rows)
            for fmt, content in new.reports.items():
                connection.execute(
                    insert(screening_reports).values(
                        screening_id=new.id, format=fmt, content=content
                    )
                )

    # -- reading ----------------------------------------------------------------------------

    def get(self, screening_id: str) -> ScreeningInfo | None:
        with self.engine.connect() as connection:
            found = connection.execute(WITH_USER.where(screenings.c.id == screening_id)).mappings()
            row = found.first()
            return self._info(connection, row) if row else None

    def recent(self, limit: int = 100) -> list[ScreeningInfo]:
        query = WITH_USER.order_by(screenings.c.created_at.desc()).limit(limit)
        with self.engine.connect() as connection:
            return [self._info(connection, r) for r in connection.execute(query).mappings().all()]

    def same_input(self, filename: str, *, exclude: str | None = None) -> list[ScreeningInfo]:
        """Finished screenings of an input with this name, newest first."""
        query = WITH_USER.where(screenings.c.filename == filename, screenings.c.status == DONE)
        if exclude:
            query = query.where(screenings.c.id != exclude)
        query = query.order_by(screenings.c.created_at.desc())
        with self.engine.connect() as connection:
            return [self._info(connection, r) for r in connection.execute(query).mappings().all()]

    def last(self, filename: str) -> ScreeningInfo | None:
        """The latest screening someone ran of this input; a monitor's re-screen is an alert,
        not a screening the user looked at, so it does not count."""
        found = [s for s in self.same_input(filename) if s.origin != "monitor"]
        return found[0] if found else None

    def facts(
        self, screening_id: str, known: Mapping[str, str] | None = None
    ) -> ScreeningFacts | None:
        """The screening as a comparison reads it; None when unknown or not finished. A row
        whose digest equals `known[key]` (the other side of a comparison) is read as its digest
        alone: it is unchanged, and reading its facts is most of the cost on 100k rows."""
        info = self.get(screening_id)
        if info is None or info.status != DONE:
            return None
        return screening_facts(info, self._rows(screening_id, self._light(screening_id), known))

    def pair(
        self, previous_id: str, current_id: str
    ) -> tuple[ScreeningFacts, ScreeningFacts] | None:
        """Two stored screenings read for comparing them; rows unchanged between them are read
        as digests only. None when either is unknown or unfinished."""
        before, after = self.get(previous_id), self.get(current_id)
        if before is None or after is None or before.status != DONE or after.status != DONE:
            return None
        old, new = self._light(previous_id), self._light(current_id)
        old_digests = {r.key: r.digest for r in old if r.digest}
        new_digests = {r.key: r.digest for r in new if r.digest}
        return (
            screening_facts(before, self._rows(previous_id, old, new_digests)),
            screening_facts(after, self._rows(current_id, new, old_digests)),
        )

    def _light(self, screening_id: str) -> list[RowFacts]:
        """Each row's key, number, name, tier and digest, without its facts."""
        query = (
            select(
                screening_rows.c.row,
                screening_rows.c.name,
                screening_rows.c.key,
                screening_rows.c.tier,
                screening_rows.c.digest,
            )
            .where(screening_rows.c.screening_id == screening_id)
            .order_by(screening_rows.c.row)
        )
        with self.engine.connect() as connection:
            # Rows stored before row keys existed are keyed by their row number.
            return [
                RowFacts(key or f"row {number}", number, name, tier, digest=digest)
                for number, name, key, tier, digest in connection.execute(query)
            ]

    def _rows(
        self, screening_id: str, light: list[RowFacts], known: Mapping[str, str] | None
    ) -> list[RowFacts]:
        """The light rows, with the facts read for those whose digest differs from `known`."""
        known = known or {}
        wanted = {r.row: r for r in light if not r.digest or known.get(r.key) != r.digest}
        full: dict[int, RowFacts] = {}
        numbers = sorted(wanted)
        with self.engine.connect() as connection:
            for start in range(0, len(numbers), _IN_BATCH):
                query = select(
                    screening_rows.c.row, screening_rows.c.facts, screening_rows.c.result
                ).where(
                    screening_rows.c.screening_id == screening_id,
                    screening_rows.c.row.in_(numbers[start : start + _IN_BATCH]),
                )
                for number, facts, result in connection.execute(query):
                    base = wanted[number]
                    full[number] = (
                        facts_from_json(base.key, json.loads(facts), base.digest)
                        if facts
                        else row_facts(json.loads(result), base.key, base.name)
                    )
        return [full.get(r.row, r) for r in light]

    def inputs(self, screening_id: str) -> list[InputFile]:
        """The files a screening read: its stored inputs, or the server upload."""
        with self.engine.connect() as connection:
            found = connection.execute(
                select(screening_inputs.c.filename, screening_inputs.c.content)
                .where(screening_inputs.c.screening_id == screening_id)
                .order_by(screening_inputs.c.position)
            ).all()
            if found:
                return [InputFile(str(name), bytes(content)) for name, content in found]
            upload = connection.execute(
                select(screening_uploads.c.content).where(
                    screening_uploads.c.screening_id == screening_id
                )
            ).scalar_one_or_none()
            name = connection.execute(
                select(screenings.c.filename).where(screenings.c.id == screening_id)
            ).scalar_one_or_none()
        return [InputFile(str(name), bytes(upload))] if upload is not None and name else []

    # -- monitors ---------------------------------------------------------------------------

    def add_monitor(self, screening_id: str) -> MonitorInfo:
        info = self.get(screening_id)
        assert info is not None  # the caller checked
        with self.engine.begin() as connection:
            existing = connection.execute(
                select(monitors.c.id).where(
                    monitors.c.screening_id == screening_id, monitors.c.removed_at.is_(None)
                )
            ).scalar_one_or_none()
            if existing is None:
                connection.execute(
                    insert(monitors).values(
                        screening_id=screening_id, filename=info.filename, created_at=_now()
                    )
                )
        found = [m for m in self.monitors() if m.screening_id == screening_id]
        return found[0]

    def monitors(self) -> list[MonitorInfo]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(monitors).where(monitors.c.removed_at.is_(None)).order_by(monitors.c.id)
            ).mappings()
            return [_monitor(r) for r in rows]

    def remove_monitor(self, ident: str) -> MonitorInfo | None:
        """Stop a monitor given its number or the id of a screening it watched."""
        found = [m for m in self.monitors() if ident in (str(m.id), m.screening_id, m.previous_id)]
        if not found:
            return None
        with self.engine.begin() as connection:
            connection.execute(
                update(monitors).where(monitors.c.id == found[0].id).values(removed_at=_now())
            )
        return found[0]

    def advance_monitor(
        self, monitor_id: int, screening_id: str, changed: int, raised: int
    ) -> None:
        """After a check: the new screening becomes the monitor's latest, the old its baseline."""
        with self.engine.begin() as connection:
            connection.execute(
                update(monitors)
                .where(monitors.c.id == monitor_id)
                .values(
                    previous_id=monitors.c.screening_id,
                    screening_id=screening_id,
                    checked_at=_now(),
                    changed=changed,
                    raised=raised,
                )
            )

    def checked_monitor(self, monitor_id: int) -> None:
        """After a check that found nothing changed."""
        with self.engine.begin() as connection:
            connection.execute(
                update(monitors)
                .where(monitors.c.id == monitor_id)
                .values(checked_at=_now(), changed=0, raised=0)
            )

    def _info(self, connection: Connection, row: Any) -> ScreeningInfo:
        monitored = connection.execute(
            select(func.count())
            .select_from(monitors)
            .where(monitors.c.screening_id == row["id"], monitors.c.removed_at.is_(None))
        ).scalar_one()
        return ScreeningInfo(
            id=row["id"],
            origin=row["origin"],
            user=row["user_name"],
            filename=row["filename"],
            status=row["status"],
            total=row["total"],
            as_of=row["as_of"],
            data_version=row["data_version"],
            algorithm=row["algorithm"],
            settings=json.loads(row["settings"] or "{}"),
            summary=json.loads(row["summary"] or "{}"),
            input_hash=row["input_hash"],
            created_at=as_utc(row["created_at"]) or _now(),
            monitored=bool(monitored),
        )


def screening_facts(info: ScreeningInfo, rows: Sequence[RowFacts]) -> ScreeningFacts:
    return ScreeningFacts(
        id=info.id,
        inputs=tuple(info.filename.split(" + ")),
        created_at=info.created_at.isoformat(timespec="seconds"),
        as_of=info.as_of.isoformat(),
        data_version=info.data_version,
        algorithm=info.algorithm,
        settings=info.settings,
        rows=tuple(rows),
    )


def _monitor(row: Any) -> MonitorInfo:
    return MonitorInfo(
        id=row["id"],
        screening_id=row["screening_id"],
        previous_id=row["previous_id"],
        filename=row["filename"],
        created_at=as_utc(row["created_at"]) or _now(),
        checked_at=as_utc(row["checked_at"]),
        changed=row["changed"],
        raised=row["raised"],
    )


def _cli_account(connection: Connection) -> int:
    found = connection.execute(
        select(users.c.id).where(users.c.name == CLI_ACCOUNT)
    ).scalar_one_or_none()
    if found is not None:
        return int(found)
    now = _now()
    connection.execute(
        insert(users).values(
            name=CLI_ACCOUNT, role="viewer", password_hash=None, created_at=now, disabled_at=now
        )
    )
    return int(
        connection.execute(select(users.c.id).where(users.c.name == CLI_ACCOUNT)).scalar_one()
    )
