"""Entities as the API and pages show them: statements with sources, listings, relations; and
search by name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from threadline.data.lists import same_company_ids
from threadline.matching import Query
from threadline.model import Listing, ReferenceEntity, Source
from threadline.server.services import Services

_SEARCH_FLOOR = 0.05  # search lists weak candidates too: a person decides, not the band


def _sources(sources: Sequence[Source]) -> list[dict[str, Any]]:
    return [
        {
            "url": s.url,
            "title": s.title,
            "publisher": s.publisher,
            "date": s.date.isoformat() if s.date else None,
            "reliability": s.reliability.label,
        }
        for s in sources
    ]


def _listing(listing: Listing) -> dict[str, Any]:
    return {
        "list_id": listing.list_id,
        "list_name": listing.list_name,
        "effect": listing.effect.value,
        "entry_id": listing.entry_id,
        "section": listing.section,
        "program": listing.program,
        "status": listing.status,
        "date_listed": listing.date_listed.isoformat() if listing.date_listed else None,
        "date_removed": listing.date_removed.isoformat() if listing.date_removed else None,
        "product_scope": listing.product_scope,
        "sources": _sources(listing.sources),
    }


class EntityCatalog:
    def __init__(self, services: Services) -> None:
        self.services = services
        self._by_id: dict[str, ReferenceEntity] = {}
        self._built_from: object = None

    def _entities(self) -> dict[str, ReferenceEntity]:
        screener = self.services.screener()
        if screener is not self._built_from:  # rebuilt after an import: names may be new
            self._by_id = {e.id: e for e in [*screener.graph_entities, *screener.entities]}
            self._built_from = screener
        return self._by_id

    def describe(self, entity_id: str) -> dict[str, Any] | None:
        # Read from the store, not the screener's snapshot: an entity imported since the server
        # started is shown too.
        record = self.services.store.entity_statements(entity_id)
        if record is None:
            return None
        # Entries of other lists that are the same company (data/lists/same_as.csv): their
        # listings are this company's too, each with its own entry id, dates and sources.
        company = same_company_ids(entity_id)
        others = [self.services.store.entity_statements(i) for i in company if i != entity_id]
        listings = [*record.listings, *(x for o in others if o is not None for x in o.listings)]
        entities = self._entities()

        def name_of(other: str) -> str:
            found = entities.get(other)
            return found.name if found else other

        def values(*props: str) -> list[str]:
            return list(dict.fromkeys(s.value for s in record.statements if s.prop in props))

        return {
            "id": record.id,
            "schema": record.schema,
            "name": record.caption,
            "country": next(iter(values("country")), ""),
            "aliases": values("alias", "name_zh"),
            "listings": [_listing(x) for x in listings],
            "same_company": company,
            "statements": [
                {
                    "prop": s.prop,
                    "value": s.value,
                    "dataset": s.dataset_id,
                    "source_url": s.source.url,
                    "source_title": s.source.title,
                    "source_publisher": s.source.publisher,
                    "source_date": s.source.date.isoformat() if s.source.date else None,
                    "excerpt": s.source.excerpt,
                    "reliability": s.source.reliability.label,
                    "first_seen": s.first_seen.isoformat(),
                }
                for s in record.statements
            ],
            "relations": [
                {
                    "id": r.id,
                    "kind": r.kind.value,
                    "source_id": r.source_id,
                    "source_name": name_of(r.source_id),
                    "target_id": r.target_id,
                    "target_name": name_of(r.target_id),
                    "start": r.start.isoformat() if r.start else None,
                    "end": r.end.isoformat() if r.end else None,
                    "description": r.description,
                    "sources": _sources(r.sources),
                }
                for r in record.relations
            ],
        }

    def search(self, q: str, limit: int = 20) -> list[dict[str, Any]]:
        """Fuzzy, cross-script matches on screened entities first, then plain substring hits on
        any entity's names (officials named on sanctions lists included)."""
        text = q.strip()
        if not text:
            return []
        screener = self.services.screener()
        found = screener.matcher.match([Query(text)], floor=_SEARCH_FLOOR, top=limit)[0]
        hits: dict[str, dict[str, Any]] = {}
        for result in found:
            hits[result.entity.id] = _hit(result.entity, result.score)
        needle = text.casefold()
        for entity in screener.entities:
            if len(hits) >= limit:
                break
            if entity.id not in hits and any(needle in n.casefold() for n in entity.all_names):
                hits[entity.id] = _hit(entity, None)
        return list(hits.values())[:limit]


def _hit(entity: ReferenceEntity, score: float | None) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "schema": entity.schema,
        "country": entity.country,
        "lists": list(dict.fromkeys(x.list_name for x in entity.listings)),
        "score": score,
    }
