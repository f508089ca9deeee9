"""Reading the graph back: relations (bills of lading among them), shipments, and everything
stored about one entity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, or_, select

from threadline.model import Listing, Relation, RelationKind, Shipment, Source
from threadline.store.rows import (
    bill_source,
    listing_from_row,
    relation_from_row,
    source_from_row,
)
from threadline.store.tables import (
    candidate_links,
    entities,
    listings,
    relations,
    shipments,
    statements,
)
from threadline.store.writes import StoredShipment


@dataclass(frozen=True, slots=True)
class StoredStatement:
    prop: str
    value: str
    dataset_id: str
    source: Source
    first_seen: dt.datetime


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """One entity with every statement, listing, relation and open candidate link about it."""

    id: str
    schema: str
    caption: str
    dataset_id: str
    statements: tuple[StoredStatement, ...]
    listings: tuple[Listing, ...]
    relations: tuple[Relation, ...]
    candidate_links: tuple[Mapping[Any, Any], ...]


def shipment_relation(row: Mapping[Any, Any]) -> Relation:
    """The shipped_to edge a bill makes; its id is the shipment's, so the two can be joined."""
    quantity = " / ".join(part for part in (row["quantity"], row["weight"]) if part)
    return Relation(
        id=row["id"],
        kind=RelationKind.SHIPPED_TO,
        source_id=row["shipper_id"],
        target_id=row["consignee_id"],
        start=row["date"],
        quantity=quantity,
        description=row["product"],
        sources=(bill_source(row["bill_number"], row["date"], row["file"], row["product"]),),
    )


def _latest(rows: Iterator[Mapping[Any, Any]], key: str) -> Iterator[Mapping[Any, Any]]:
    """Rows ordered by (key, first_seen): the last statement of each key supersedes the rest."""
    previous: Mapping[Any, Any] | None = None
    for row in rows:
        if previous is not None and previous[key] != row[key]:
            yield previous
        previous = row
    if previous is not None:
        yield previous


def load_relations(connection: Connection, as_of: dt.date | None) -> list[Relation]:
    query = select(relations).order_by(relations.c.key, relations.c.first_seen, relations.c.id)
    out = [relation_from_row(r) for r in _latest(iter(connection.execute(query).mappings()), "key")]
    out += [shipment_relation(r) for r in _latest_shipments(connection)]
    if as_of is not None:
        out = [r for r in out if r.active_on(as_of)]
    return out


def _latest_shipments(connection: Connection) -> Iterator[Mapping[Any, Any]]:
    query = select(shipments).order_by(
        shipments.c.bill_number, shipments.c.first_seen, shipments.c.id
    )
    return _latest(iter(connection.execute(query).mappings()), "bill_number")


def load_shipments(connection: Connection) -> list[StoredShipment]:
    return [
        StoredShipment(
            id=r["id"],
            shipment=Shipment(
                bill_number=r["bill_number"],
                date=r["date"],
                shipper_name=r["shipper_name"],
                consignee_name=r["consignee_name"],
                shipper_address=r["shipper_address"],
                consignee_address=r["consignee_address"],
                notify_party=r["notify_party"],
                product=r["product"],
                hs_code=r["hs_code"],
                quantity=r["quantity"],
                weight=r["weight"],
                port_of_lading=r["port_of_lading"],
                port_of_unlading=r["port_of_unlading"],
                country_of_origin=r["country_of_origin"],
                file=r["file"],
                row=r["file_row"],
            ),
            shipper_id=r["shipper_id"],
            consignee_id=r["consignee_id"],
        )
        for r in _latest_shipments(connection)
    ]


def entity_record(connection: Connection, entity_id: str) -> EntityRecord | None:
    entity = (
        connection.execute(select(entities).where(entities.c.id == entity_id)).mappings().first()
    )
    if entity is None:
        return None
    found = connection.execute(
        select(statements)
        .where(statements.c.entity_id == entity_id)
        .order_by(statements.c.prop, statements.c.first_seen, statements.c.id)
    ).mappings()
    stored = tuple(
        StoredStatement(
            prop=r["prop"],
            value=r["value"],
            dataset_id=r["dataset_id"],
            source=source_from_row(r),
            first_seen=r["first_seen"],
        )
        for r in found
    )
    listed = tuple(
        listing_from_row(r)
        for r in connection.execute(
            select(listings)
            .where(listings.c.entity_id == entity_id)
            .order_by(listings.c.date_listed, listings.c.id)
        ).mappings()
    )
    touching = or_(relations.c.source_id == entity_id, relations.c.target_id == entity_id)
    linked = [
        relation_from_row(r)
        for r in connection.execute(
            select(relations).where(touching).order_by(relations.c.first_seen, relations.c.id)
        ).mappings()
    ]
    shipped = or_(shipments.c.shipper_id == entity_id, shipments.c.consignee_id == entity_id)
    linked += [
        shipment_relation(r)
        for r in connection.execute(
            select(shipments).where(shipped).order_by(shipments.c.date, shipments.c.id)
        ).mappings()
    ]
    links = tuple(
        dict(r)
        for r in connection.execute(
            select(candidate_links)
            .where(
                or_(
                    candidate_links.c.entity_id == entity_id,
                    candidate_links.c.candidate_id == entity_id,
                )
            )
            .order_by(candidate_links.c.score.desc())
        ).mappings()
    )
    return EntityRecord(
        id=entity["id"],
        schema=entity["schema"],
        caption=entity["caption"],
        dataset_id=entity["dataset_id"],
        statements=stored,
        listings=listed,
        relations=tuple(linked),
        candidate_links=links,
    )
