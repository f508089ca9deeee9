"""Writing statements in bulk, idempotently, and counting what each import added or changed.

Each row's id is a content hash: a row already stored is `unchanged`; a new statement about an
entity, link or bill already known is `changed` (the older statement stays: nothing is deleted or
overwritten); anything else is `added`. Existence is asked in chunks of ids, never by loading a
whole table, so a million-row import needs memory for one batch only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, insert, select, update

from threadline.model import ReferenceEntity, Relation, Shipment, Source
from threadline.model.ids import candidate_link_id, relation_id, shipment_id
from threadline.store.bulk import chunks, db_value, existing, insert_tuples
from threadline.store.rows import (
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


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    for chunk in chunks(rows):
        connection.execute(insert(table), chunk)


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
    renamed = [e for e in items if e.id in known_entities]
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
    _rename(connection, renamed)
    return counts


def _rename(connection: Connection, items: Sequence[ReferenceEntity]) -> None:
    """An entity's caption follows its latest name (its name statements keep the history)."""
    captions = {e.id: e.name for e in items}
    for chunk in chunks(list(captions)):
        stored = connection.execute(
            select(entities.c.id, entities.c.caption).where(entities.c.id.in_(chunk))
        ).all()
        for entity_id, caption in stored:
            if caption != captions[entity_id]:
                connection.execute(
                    update(entities)
                    .where(entities.c.id == entity_id)
                    .values(caption=captions[entity_id])
                )


def write_relations(
    connection: Connection, dataset_id: str, items: Sequence[Relation], now: dt.datetime
) -> ImportCounts:
    """Relations whose ends are stored entities; the store gives each its content-hashed id."""
    counts = ImportCounts()
    rows = []
    for relation in items:
        row = relation_row(relation, dataset_id, now)
        row["id"] = relation_id(dataset_id, relation)
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
        candidate_link_id(link.entity_id, link.candidate_id): {
            "id": candidate_link_id(link.entity_id, link.candidate_id),
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


def shipment_values(
    shipment: Shipment, shipper_id: str, consignee_id: str, dataset_id: str
) -> tuple[Any, ...]:
    """The bill as stored, in the shipments table's column order up to `dataset_id`. Its id is
    `shipment_id` of what it says (not which file or row it came from)."""
    s = shipment
    said = (
        s.bill_number,
        str(s.date),  # "None" when undated, as model.ids.digest writes it
        s.shipper_name,
        s.shipper_address,
        s.consignee_name,
        s.consignee_address,
        s.notify_party,
        s.product,
        s.hs_code,
        s.quantity,
        s.weight,
        s.port_of_lading,
        s.port_of_unlading,
        s.country_of_origin,
        shipper_id,
        consignee_id,
    )
    date = said[1] if s.date else None  # SQLite stores a date as its ISO text; so may COPY
    return (
        shipment_id(dataset_id, said),
        s.bill_number,
        date,
        *said[2:],
        s.file,
        s.row,
        dataset_id,
    )


def write_shipments(
    connection: Connection, dataset_id: str, items: Sequence[StoredShipment], now: dt.datetime
) -> ImportCounts:
    """Bills, in chunks: one lookup of the chunk's ids (a re-run stops there), one of the new
    bills' numbers (a known number with new content is a correction: `changed`), one insert."""
    counts = ImportCounts()
    first_seen = db_value(connection, shipments.c.first_seen, now)
    for batch in chunks(items):
        rows = [
            shipment_values(s.shipment, s.shipper_id, s.consignee_id, dataset_id) for s in batch
        ]
        known_ids = existing(connection, shipments.c.id, (row[0] for row in rows))
        fresh = []
        for row in rows:
            if row[0] in known_ids:
                counts.unchanged += 1
            else:
                known_ids.add(row[0])
                fresh.append((*row, first_seen))
        known_bills = existing(connection, shipments.c.bill_number, (row[1] for row in fresh))
        for row in fresh:
            counts.changed += row[1] in known_bills
            counts.added += row[1] not in known_bills
            known_bills.add(row[1])
        fresh.sort()  # in primary-key order: fewer index pages touched per insert
        insert_tuples(connection, shipments, fresh)
        counts.statements += len(fresh)
    return counts
