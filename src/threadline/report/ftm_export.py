"""Entities, listings and relations → FollowTheMoney JSON lines (for Aleph, yente, nomenklatura).

Written as plain dicts: the package does not need followthemoney at run time (its tests validate
the output with it). threadline's schemata, identifiers and relation kinds map onto FtM's as
model/ftm.py says; listings become Sanction entities, each with its sources' URLs and dates.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import IO, Any

from threadline.model import Listing, ReferenceEntity, Relation, Source
from threadline.model.ftm import (
    SANCTION,
    SANCTION_SCHEMA,
    WRITTEN_AS,
    classification,
    ftm_schema,
    identifier_properties,
)


def write_ftm(
    handle: IO[str],
    entities: Iterable[ReferenceEntity],
    relations: Iterable[Relation],
    extra: Iterable[dict[str, Any]] = (),
) -> int:
    """Write one FtM entity a line (then the `extra` records, e.g. documents); returns how many."""
    count = 0
    for item in chain(ftm_records(entities, relations), extra):
        handle.write(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


def ftm_records(
    entities: Iterable[ReferenceEntity], relations: Iterable[Relation]
) -> Iterator[dict[str, Any]]:
    for entity in entities:
        yield _entity(entity)
        for listing in entity.listings:
            yield _sanction(entity.id, listing)
    for relation in relations:
        yield _link(relation)


def _entity(entity: ReferenceEntity) -> dict[str, Any]:
    props: dict[str, list[str]] = {"name": [entity.name, *entity.names_zh]}
    _put(props, "alias", entity.aliases)
    _put(props, "country", [entity.country.lower()] if entity.country else [])
    _put(props, "notes", [entity.notes] if entity.notes else [])
    _put(props, "address", [entity.address] if entity.address else [])
    _put(props, "sector", [entity.sector] if entity.sector else [])
    _put(props, "parent", [entity.parent_id] if entity.parent_id else [])
    props.update(identifier_properties(entity.identifiers))
    _put(props, "classification", classification(entity.schema))
    return {"id": entity.id, "schema": ftm_schema(entity.schema), "properties": props}


def _sanction(entity_id: str, listing: Listing) -> dict[str, Any]:
    sanction_id = "-".join(
        ["sanction", entity_id, listing.list_id, listing.entry_id, str(listing.date_listed or "")]
    )
    props: dict[str, list[str]] = {
        SANCTION.entity: [entity_id],
        SANCTION.authority: [listing.list_name],
        SANCTION.entry_id: [listing.entry_id],
    }
    _put(props, SANCTION.program, [listing.program] if listing.program else [])
    _put(props, SANCTION.listed, _dates(listing.date_listed))
    _put(props, SANCTION.start, _dates(listing.date_listed))
    _put(props, SANCTION.end, _dates(listing.date_removed))
    _put(props, SANCTION.status, [listing.status] if listing.status else [])
    _put(props, SANCTION.effect, [listing.effect.value])
    _put(props, SANCTION.product_scope, [listing.product_scope] if listing.product_scope else [])
    _cite(props, listing.sources)
    return {"id": sanction_id, "schema": SANCTION_SCHEMA, "properties": props}


def _link(relation: Relation) -> dict[str, Any]:
    written = WRITTEN_AS[relation.kind]
    schema = written.link.schema
    props: dict[str, list[str]] = {
        written.source: [relation.source_id],
        written.target: [relation.target_id],
    }
    _put(props, "role", [written.role])
    _put(props, "startDate", _dates(relation.start))
    _put(props, "endDate", _dates(relation.end))
    if relation.share is not None:
        props["percentage"] = [f"{relation.share:g}"]
    if schema == "EconomicActivity":
        _put(props, "date", _dates(relation.start))
        _put(props, "goodsDescription", [relation.description] if relation.description else [])
        bills = [s.url.removeprefix("bill:") for s in relation.sources if s.url.startswith("bill:")]
        _put(props, "recordId", bills)
    else:
        _put(props, "description", [relation.description] if relation.description else [])
    _cite(props, relation.sources)
    return {"id": f"{schema.lower()}-{relation.id}", "schema": schema, "properties": props}


def _cite(props: dict[str, list[str]], sources: Iterable[Source]) -> None:
    cited = list(sources)
    _put(props, "sourceUrl", [s.url for s in cited if s.url.startswith(("http://", "https://"))])
    _put(props, "publisher", [s.publisher for s in cited if s.publisher])
    _put(props, "summary", [s.excerpt for s in cited if s.excerpt])


def _dates(value: object) -> list[str]:
    return [str(value)] if value is not None else []


def _put(props: dict[str, list[str]], name: str, values: Iterable[str]) -> None:
    kept = list(dict.fromkeys(v for v in values if v))
    if kept:
        props[name] = kept
