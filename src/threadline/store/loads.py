"""Official files loaded into lists by `threadline data update`: reading back what was loaded."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import Connection, select

from threadline.store.tables import list_loads


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
