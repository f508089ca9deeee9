"""Which listing statements are current: a later statement about the same entry supersedes the
earlier ones (a revocation, a removal, a corrected date), which stay stored for the record.

An entry is (entity, list, entry id); its current statements are those written last — all of
them when one load wrote several (an entity in two sections of one list)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from sqlalchemy import Connection, select

from threadline.store.tables import listings
from threadline.store.times import as_utc

Row = TypeVar("Row", bound=Mapping[Any, Any])


def current_rows(rows: Iterable[Row]) -> list[Row]:
    """The latest statements of each entry, in the order the rows came."""
    ordered = list(rows)
    latest: dict[tuple[str, str, str], Any] = defaultdict(lambda: None)
    for row in ordered:
        key = (row["entity_id"], row["dataset_id"], row["entry_id"])
        seen = as_utc(row["first_seen"])
        if latest[key] is None or seen > latest[key]:
            latest[key] = seen
    return [
        row
        for row in ordered
        if as_utc(row["first_seen"])
        == latest[(row["entity_id"], row["dataset_id"], row["entry_id"])]
    ]


def list_counts(connection: Connection, on: dt.date) -> dict[str, tuple[int, int]]:
    """Per list: entities with a current listing on it, and those whose listing is active `on`."""
    query = select(
        listings.c.entity_id,
        listings.c.dataset_id,
        listings.c.entry_id,
        listings.c.first_seen,
        listings.c.date_listed,
        listings.c.date_removed,
    )
    entities: dict[str, set[str]] = defaultdict(set)
    active: dict[str, set[str]] = defaultdict(set)
    for row in current_rows(connection.execute(query).mappings()):
        entities[row["dataset_id"]].add(row["entity_id"])
        listed, removed = row["date_listed"], row["date_removed"]
        if (listed is None or listed <= on) and (removed is None or removed > on):
            active[row["dataset_id"]].add(row["entity_id"])
    return {key: (len(ids), len(active[key])) for key, ids in entities.items()}
