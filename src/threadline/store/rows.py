"""Model objects ↔ table rows. Every row id is a content hash (model/ids.py), so loading twice
adds nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from threadline.model import ListEffect, Listing, ReferenceEntity, Relation, RelationKind, Source
from threadline.model.ids import (
    listing_fields,
    listing_id,
    relation_key,
    source_fields,
    statement_id,
)
from threadline.model.provenance import Reliability, SourceKind

# Properties ReferenceEntity has fields for; any other statement is one of its `extra` pairs.
SINGLE_PROPS = ("country", "address", "parent_id", "sector", "notes")
LIST_PROPS = ("name", "alias", "name_zh", "identifier")
_PROP_CHARS = 60  # the width of statements.prop


_SOURCE_COLUMNS = (
    "source_url",
    "source_title",
    "source_publisher",
    "source_date",
    "source_excerpt",
    "reliability",
)


def source_columns(source: Source | None) -> dict[str, Any]:
    return dict(zip(_SOURCE_COLUMNS, source_fields(source), strict=True))


def source_from_row(row: Mapping[Any, Any]) -> Source:
    return Source(
        url=row["source_url"],
        title=row["source_title"],
        publisher=row["source_publisher"],
        date=row["source_date"],
        excerpt=row["source_excerpt"],
        reliability=Reliability(row["reliability"]),
    )


def bill_source(bill_number: str, date: dt.date | None, file: str, product: str) -> Source:
    """A bill of lading as the document its statements cite."""
    return Source(
        url=f"bill:{bill_number}",
        title=f"Bill of lading {bill_number}",
        publisher=file,
        date=date,
        excerpt=product,
        reliability=Reliability.USER_SUPPLIED,
    )


def statement_rows(
    entity: ReferenceEntity, dataset_id: str, now: dt.datetime, source: Source | None = None
) -> list[dict[str, Any]]:
    """One row per fact about the entity; cited to `source`, else to its first listing's."""
    if source is None:
        source = next((s for listing in entity.listings for s in listing.sources), None)
    values: list[tuple[str, str]] = [("name", entity.name)]
    values += [("alias", a) for a in entity.aliases]
    values += [("name_zh", n) for n in entity.names_zh]
    values += [("identifier", i) for i in entity.identifiers]
    values += [(prop, getattr(entity, prop)) for prop in SINGLE_PROPS if getattr(entity, prop)]
    values += [(key[:_PROP_CHARS], value) for key, value in entity.extra if value]
    cited = source_columns(source)
    return [
        {
            "id": statement_id(dataset_id, entity.id, prop, value, source),
            "entity_id": entity.id,
            "prop": prop,
            "value": value,
            "dataset_id": dataset_id,
            **cited,
            "first_seen": now,
        }
        for prop, value in values
    ]


def listing_rows(
    entity: ReferenceEntity, dataset_id: str, now: dt.datetime
) -> list[dict[str, Any]]:
    rows = []
    for listing in entity.listings:
        said = listing_fields(listing)
        rows.append(
            {
                "id": listing_id(dataset_id, entity.id, listing.list_id, said),
                "entity_id": entity.id,
                "dataset_id": dataset_id,
                **said,
                "first_seen": now,
            }
        )
    return rows


def listing_from_row(row: Mapping[Any, Any]) -> Listing:
    sources = tuple(
        Source(
            url=s["url"],
            title=s["title"],
            publisher=s.get("publisher", ""),
            date=dt.date.fromisoformat(s["date"]) if s.get("date") else None,
            excerpt=s.get("excerpt", ""),
            reliability=Reliability(s.get("reliability", Reliability.USER_SUPPLIED)),
            kind=SourceKind(s.get("kind", SourceKind.UNCLASSIFIED)),
        )
        for s in json.loads(row["sources"])
    )
    return Listing(
        list_id=row["dataset_id"],
        list_name=row["list_name"],
        effect=ListEffect(row["effect"]),
        entry_id=row["entry_id"],
        program=row["program"],
        section=row["section"],
        date_listed=row["date_listed"],
        date_removed=row["date_removed"],
        product_scope=row["product_scope"],
        status=row["status"],
        sources=sources,
        notes=row["notes"],
    )


def relation_row(relation: Relation, dataset_id: str, now: dt.datetime) -> dict[str, Any]:
    source = relation.sources[0] if relation.sources else None
    return {
        "id": relation.id,
        "key": relation_key(relation),
        "kind": relation.kind.value,
        "source_id": relation.source_id,
        "target_id": relation.target_id,
        "start_date": relation.start,
        "end_date": relation.end,
        "share": relation.share,
        "quantity": relation.quantity,
        "description": relation.description,
        "dataset_id": dataset_id,
        **source_columns(source),
        "first_seen": now,
    }


def relation_from_row(row: Mapping[Any, Any]) -> Relation:
    return Relation(
        id=row["id"],
        kind=RelationKind(row["kind"]),
        source_id=row["source_id"],
        target_id=row["target_id"],
        start=row["start_date"],
        end=row["end_date"],
        share=row["share"],
        quantity=row["quantity"],
        description=row["description"],
        sources=(source_from_row(row),),
    )
