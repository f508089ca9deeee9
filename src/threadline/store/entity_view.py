"""Read one entity's statements with their sources, for the entity page and GET /entities/{id}."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from threadline.model import Reliability
from threadline.store.repository import Store
from threadline.store.tables import statements


@dataclass(frozen=True, slots=True)
class StatementView:
    prop: str
    value: str
    dataset_id: str
    source_url: str
    source_title: str
    source_publisher: str
    source_date: dt.date | None
    reliability: Reliability
    first_seen: dt.datetime


def entity_statements(store: Store, entity_id: str) -> list[StatementView]:
    query = (
        select(statements)
        .where(statements.c.entity_id == entity_id)
        .order_by(statements.c.prop, statements.c.first_seen, statements.c.id)
    )
    with store.engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return [
        StatementView(
            prop=r["prop"],
            value=r["value"],
            dataset_id=r["dataset_id"],
            source_url=r["source_url"],
            source_title=r["source_title"],
            source_publisher=r["source_publisher"],
            source_date=r["source_date"],
            reliability=Reliability(r["reliability"]),
            first_seen=r["first_seen"],
        )
        for r in rows
    ]
