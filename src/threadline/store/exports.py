"""Tables as `export csv` writes them where the stored shape is not what a reader needs: the
relations as screening follows them — stored links and bills of lading (kept in `shipments`,
read as shipped_to) — one row each with its sources."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from threadline.store.repository import Store

RELATION_COLUMNS = (
    "id",
    "kind",
    "source_id",
    "target_id",
    "start",
    "end",
    "share",
    "quantity",
    "description",
    "source_urls",
    "source_titles",
)


def relation_rows(store: Store) -> Iterator[dict[str, Any]]:
    for relation in store.load_relations():
        yield {
            "id": relation.id,
            "kind": relation.kind.value,
            "source_id": relation.source_id,
            "target_id": relation.target_id,
            "start": relation.start,
            "end": relation.end,
            "share": relation.share,
            "quantity": relation.quantity,
            "description": relation.description,
            "source_urls": " | ".join(s.url for s in relation.sources if s.url),
            "source_titles": " | ".join(s.title for s in relation.sources if s.title),
        }
