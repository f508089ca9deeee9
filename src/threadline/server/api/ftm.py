"""Reference entities as FollowTheMoney-shaped API entities (id, caption, schema, properties),
with schemata and identifiers written as the FtM export writes them (model/ftm.py)."""

from __future__ import annotations

from threadline.model import ListEffect, ReferenceEntity
from threadline.model.ftm import classification, ftm_schema, identifier_properties

# FtM topics for what a listing means, as OpenSanctions tags entities.
_TOPICS = {
    ListEffect.UFLPA: "sanction.linked",
    ListEffect.WRO: "sanction.linked",
    ListEffect.SDN: "sanction",
    ListEffect.EXPORT_CONTROL: "export.control",
    ListEffect.OTHER_SANCTION: "sanction",
}


def entity_properties(entity: ReferenceEntity) -> dict[str, list[str]]:
    listings = entity.listings
    values: dict[str, list[str]] = {
        "name": [entity.name],
        "alias": [*entity.aliases, *entity.names_zh],
        "country": [entity.country.lower()] if entity.country else [],
        "address": [entity.address] if entity.address else [],
        **identifier_properties(entity.identifiers),
        "classification": classification(entity.schema),
        "topics": list(dict.fromkeys(t for x in listings if (t := _TOPICS.get(x.effect)))),
        "program": list(dict.fromkeys(x.program for x in listings if x.program)),
        "sector": [entity.sector] if entity.sector else [],
        "notes": [entity.notes] if entity.notes else [],
        "sourceUrl": list(dict.fromkeys(s.url for x in listings for s in x.sources if s.url)),
    }
    return {prop: vals for prop, vals in values.items() if vals}


def entity_datasets(entity: ReferenceEntity) -> list[str]:
    return list(dict.fromkeys(listing.list_id for listing in entity.listings))


def entity_body(entity: ReferenceEntity) -> dict[str, object]:
    return {
        "id": entity.id,
        "caption": entity.name,
        "schema": ftm_schema(entity.schema),
        "properties": entity_properties(entity),
        "datasets": entity_datasets(entity),
        "referents": [],
        "target": bool(entity.listings),
    }
