"""Writing statements in bulk, idempotently, and counting what each import added or changed.

Each row's id is a content hash: a row already stored is `unchanged`; a new statement about an
entity, link or bill already known is `changed` (the older statement stays: nothing is deleted or
overwritten); anything else is `added`. Existence is asked in chunks of ids, never by loading a
whole table, so a million-row import needs memory for one batch only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from sqlalchemy import Column, Connection, Table, insert, select

from threadline.model import ReferenceEntity, Relation, Shipment, Source
from threadline.store.rows import (
    content_id,
    listing_rows,
    relation_row,
    statement_rows,
)
from threadline.store.tables import (
    candidate_links,
    entities,
    listings,
    relations,
    shipments,
    statements,
)

BATCH = 5000  # rows per INSERT batch and ids per IN (...) lookup; under SQLite's variable limit


@dataclass(slots=True)
class ImportCounts:
    """Per imported record (entity, relation, bill): what the store made of it."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0
    statements: int = 0  # rows written, all tables together

    def __iadd__(self, other: ImportCounts) -> ImportCounts:
        self.added += other.added
        self.changed += other.changed
        self.unchanged += other.unchanged
        self.statements += other.statements
        return self


@dataclass(frozen=True, slots=True)
class StoredShipment:
    """A bill of lading with the entities its shipper and consignee were resolved to."""

    id: str
    shipment: Shipment
    shipper_id: str
    consignee_id: str


@dataclass(frozen=True, slots=True)
class CandidateLink:
    """A name that fell in the review band of `candidate_id` and became `entity_id` instead."""

    entity_id: str
    candidate_id: str
    name: str
    score: float
    algorithm: str


@dataclass(frozen=True, slots=True)
class ResolvedBatch:
    """Part of an import whose names are resolved: new parties with the source that first named
    each, candidate links, and the relations and bills between resolved ids."""

    parties: Sequence[tuple[ReferenceEntity, Source]] = ()
    links: Sequence[CandidateLink] = ()
    relations: Sequence[Relation] = ()
    shipments: Sequence[StoredShipment] = ()


@dataclass(slots=True)
class _Pending:
    rows: dict[Table, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: Table, row: dict[str, Any]) -> None:
        self.rows.setdefault(table, []).append(row)


def chunks(values: Iterable[Any], size: int = BATCH) -> Iterable[list[Any]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def existing(connection: Connection, column: Column[Any], values: Iterable[str]) -> set[str]:
    """Which of `values` the column already holds."""
    found: set[str] = set()
    for chunk in chunks(set(values)):
        found.update(connection.execute(select(column).where(column.in_(chunk))).scalars())
    return found


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    for chunk in chunks(rows):
        connection.execute(insert(table), chunk)


def bulk_insert(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Many rows by the driver's fastest path, in the connection's transaction: COPY on
    PostgreSQL, a plain executemany on SQLite (values converted as SQLAlchemy would)."""
    if not rows:
        return
    columns = list(table.columns)
    names = ", ".join(connection.dialect.identifier_preparer.quote(c.name) for c in columns)
    raw: Any = connection.connection.dbapi_connection
    if connection.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c.name] for c in columns])
        return
    if connection.dialect.name != "sqlite":
        insert_rows(connection, table, rows)
        return
    convert = [(c.name, c.type.bind_processor(connection.dialect)) for c in columns]
    values = [
        tuple(row[name] if to_db is None else to_db(row[name]) for name, to_db in convert)
        for row in rows
    ]
    cursor = raw.cursor()
    try:
        marks = ", ".join("?" * len(columns))
        cursor.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", values)
    finally:
        cursor.close()


def write_entities(
    connection: Connection,
    dataset_id: str,
    items: Sequence[ReferenceEntity],
    now: dt.datetime,
    sources: Sequence[Source] | None = None,
) -> ImportCounts:
    """Entities with their statements and listings; `sources`, when given, holds what each
    entity's statements cite (else its first listing source)."""
    counts = ImportCounts()
    known_entities = existing(connection, entities.c.id, (e.id for e in items))
    cited = sources if sources is not None else [None] * len(items)
    per_entity = [
        (e, statement_rows(e, dataset_id, now, source), listing_rows(e, dataset_id, now))
        for e, source in zip(items, cited, strict=True)
    ]
    known = existing(
        connection, statements.c.id, (r["id"] for _, rows, _ in per_entity for r in rows)
    ) | existing(connection, listings.c.id, (r["id"] for _, _, rows in per_entity for r in rows))
    pending = _Pending()
    for entity, statement_list, listing_list in per_entity:
        is_new = entity.id not in known_entities
        if is_new:
            known_entities.add(entity.id)
            pending.add(
                entities,
                {
                    "id": entity.id,
                    "schema": entity.schema,
                    "caption": entity.name,
                    "dataset_id": dataset_id,
                },
            )
        fresh = 0
        for table, rows in ((statements, statement_list), (listings, listing_list)):
            for row in rows:
                if row["id"] not in known:
                    known.add(row["id"])
                    pending.add(table, row)
                    fresh += 1
        counts.statements += fresh
        if is_new:
            counts.added += 1
        elif fresh:
            counts.changed += 1
        else:
            counts.unchanged += 1
    for table in (entities, statements, listings):
        insert_rows(connection, table, pending.rows.get(table, []))
    return counts


def relation_content_id(dataset_id: str, relation: Relation) -> str:
    source = relation.sources[0] if relation.sources else None
    return content_id(
        dataset_id,
        relation.kind.value,
        relation.source_id,
        relation.target_id,
        relation.start,
        relation.end,
        relation.share,
        relation.quantity,
        relation.description,
        source,
    )


def write_relations(
    connection: Connection, dataset_id: str, items: Sequence[Relation], now: dt.datetime
) -> ImportCounts:
    """Relations whose ends are stored entities; the store gives each its content-hashed id."""
    counts = ImportCounts()
    rows = []
    for relation in items:
        row = relation_row(relation, dataset_id, now)
        row["id"] = relation_content_id(dataset_id, relation)
        rows.append(row)
    known_ids = existing(connection, relations.c.id, (r["id"] for r in rows))
    known_keys = existing(connection, relations.c.key, (r["key"] for r in rows))
    fresh = []
    for row in rows:
        if row["id"] in known_ids:
            counts.unchanged += 1
            continue
        counts.changed += row["key"] in known_keys
        counts.added += row["key"] not in known_keys
        known_ids.add(row["id"])
        known_keys.add(row["key"])
        fresh.append(row)
    insert_rows(connection, relations, fresh)
    counts.statements = len(fresh)
    return counts


def write_candidate_links(
    connection: Connection, dataset_id: str, links: Sequence[CandidateLink], now: dt.datetime
) -> int:
    rows = {
        content_id(link.entity_id, link.candidate_id): {
            "id": content_id(link.entity_id, link.candidate_id),
            "entity_id": link.entity_id,
            "candidate_id": link.candidate_id,
            "name": link.name,
            "score": link.score,
            "algorithm": link.algorithm,
            "dataset_id": dataset_id,
            "first_seen": now,
        }
        for link in links
    }
    known = existing(connection, candidate_links.c.id, rows)
    fresh = [row for key, row in rows.items() if key not in known]
    insert_rows(connection, candidate_links, fresh)
    return len(fresh)


def shipment_row(
    shipment: Shipment, shipper_id: str, consignee_id: str, dataset_id: str, now: dt.datetime
) -> dict[str, Any]:
    """The bill as stored; its id hashes what it says (not which file or row it came from)."""
    said = {
        "bill_number": shipment.bill_number,
        "date": shipment.date,
        "shipper_name": shipment.shipper_name,
        "shipper_address": shipment.shipper_address,
        "consignee_name": shipment.consignee_name,
        "consignee_address": shipment.consignee_address,
        "notify_party": shipment.notify_party,
        "product": shipment.product,
        "hs_code": shipment.hs_code,
        "quantity": shipment.quantity,
        "weight": shipment.weight,
        "port_of_lading": shipment.port_of_lading,
        "port_of_unlading": shipment.port_of_unlading,
        "country_of_origin": shipment.country_of_origin,
        "shipper_id": shipper_id,
        "consignee_id": consignee_id,
    }
    return {
        "id": content_id(dataset_id, *said.values()),
        **said,
        "file": shipment.file,
        "file_row": shipment.row,
        "dataset_id": dataset_id,
        "first_seen": now,
    }


def write_shipments(
    connection: Connection, dataset_id: str, items: Sequence[StoredShipment], now: dt.datetime
) -> ImportCounts:
    """Bills, looked up and written in chunks."""
    counts = ImportCounts()
    for batch in chunks(items):
        rows = [
            shipment_row(s.shipment, s.shipper_id, s.consignee_id, dataset_id, now) for s in batch
        ]
        known_ids = existing(connection, shipments.c.id, (r["id"] for r in rows))
        known_bills = existing(
            connection, shipments.c.bill_number, (r["bill_number"] for r in rows)
        )
        fresh = []
        for row in rows:
            if row["id"] in known_ids:
                counts.unchanged += 1
                continue
            counts.changed += row["bill_number"] in known_bills
            counts.added += row["bill_number"] not in known_bills
            known_ids.add(row["id"])
            known_bills.add(row["bill_number"])
            fresh.append(row)
        bulk_insert(connection, shipments, fresh)
        counts.statements += len(fresh)
    return counts
