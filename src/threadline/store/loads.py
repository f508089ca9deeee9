"""Official files loaded into lists by `threadline data update`: reading back what was loaded."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import Connection, insert, select
from sqlalchemy import update as sql_update

from threadline.model import DatasetInfo, ReferenceEntity, Source
from threadline.model.ids import loaded_listing_id
from threadline.store.rows import listing_rows
from threadline.store.tables import datasets, list_loads, listings
from threadline.store.writes import insert_rows, write_entities


@dataclass(frozen=True, slots=True)
class ListLoad:
    """One official file read into one list, and what it changed there."""

    id: str
    dataset_id: str
    source: str
    file_name: str
    file_date: dt.date
    fetched_at: dt.datetime
    url: str = ""
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0


def latest_loads(connection: Connection) -> dict[str, ListLoad]:
    """The newest load of each list, by the file's date (then by when it was loaded)."""
    query = select(list_loads).order_by(list_loads.c.file_date, list_loads.c.loaded_at)
    out: dict[str, ListLoad] = {}
    for row in connection.execute(query).mappings():
        out[row["dataset_id"]] = ListLoad(
            id=row["id"],
            dataset_id=row["dataset_id"],
            source=row["source"],
            file_name=row["file_name"],
            file_date=row["file_date"],
            fetched_at=row["fetched_at"],
            url=row["url"],
            added=row["added"],
            changed=row["changed"],
            removed=row["removed"],
            unchanged=row["unchanged"],
        )
    return out


def load_ids(connection: Connection) -> list[str]:
    return sorted(connection.execute(select(list_loads.c.id)).scalars())


def effective_version(packaged: str, loads: list[str]) -> str:
    """The data version a screening runs on: the packaged files' hash, and every official file
    loaded since (none loaded: the packaged version itself, as before any update)."""
    if not loads:
        return packaged
    digest = hashlib.sha256("\x1f".join([packaged, *loads]).encode())
    return digest.hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class ListUpdate:
    """What one official file changes in one list: entities whose names or listings are new
    (their listings complete, entry ids set), removals as dated listings, and the load record.
    `sources[i]` is what `entities[i]`'s name statements cite."""

    info: DatasetInfo
    entities: Sequence[ReferenceEntity]
    sources: Sequence[Source]
    load: ListLoad
    file_sha256: str


def write_list_update(connection: Connection, update: ListUpdate, now: dt.datetime) -> None:
    """Write one list's update. Listing ids hash the load too (`loaded_listing_id`), so a
    statement that repeats an older one (a relisting) is still written, and becomes the entry's
    current statement."""
    if connection.execute(select(list_loads.c.id).where(list_loads.c.id == update.load.id)).first():
        return  # this very file was loaded already: nothing it says is new
    _upsert_list(connection, update.info, now)
    names_only = [replace(entity, listings=()) for entity in update.entities]
    write_entities(connection, update.info.id, names_only, now, list(update.sources))
    rows = []
    for entity in update.entities:
        for row in listing_rows(entity, update.info.id, now):
            row["id"] = loaded_listing_id(row["id"], update.load.id, row)
            rows.append(row)
    insert_rows(connection, listings, rows)
    load = update.load
    connection.execute(
        insert(list_loads).values(
            id=load.id,
            dataset_id=load.dataset_id,
            source=load.source,
            file_name=load.file_name,
            file_sha256=update.file_sha256,
            file_date=load.file_date,
            fetched_at=load.fetched_at,
            loaded_at=now,
            url=load.url,
            added=load.added,
            changed=load.changed,
            removed=load.removed,
            unchanged=load.unchanged,
        )
    )


def _upsert_list(connection: Connection, info: DatasetInfo, now: dt.datetime) -> None:
    """A list's row: a new one for a list first loaded from an official file; for one already
    there (a bundled list), a later as-of date — its bundled version and flag stay."""
    row = connection.execute(select(datasets.c.as_of).where(datasets.c.id == info.id)).first()
    if row is None:
        connection.execute(
            insert(datasets).values(
                id=info.id,
                title=info.title,
                publisher=info.publisher,
                url=info.url,
                as_of=info.as_of,
                licence=info.licence,
                attribution=info.attribution,
                version="update",
                bundled=0,
                loaded_at=now,
            )
        )
    elif info.as_of > (row[0] or ""):
        connection.execute(
            sql_update(datasets).where(datasets.c.id == info.id).values(as_of=info.as_of)
        )
