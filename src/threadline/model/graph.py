"""Links between entities — ownership, supply, shipments, sites — each with its sources.

The exposure step walks these; the store keeps them as dated statements; importers make them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from threadline.model.provenance import Source


class RelationKind(StrEnum):
    """What a link says, read as `source <kind> target`."""

    OWNS = "owns"  # source owns (part of) target
    SUBSIDIARY_OF = "subsidiary_of"  # source is a subsidiary of target
    SUPPLIES = "supplies"  # goods flow source -> target
    SHIPPED_TO = "shipped_to"  # source shipped goods to target (bill of lading)
    LOCATED_AT = "located_at"  # source operates at the site or place target
    OPERATES = "operates"  # source runs the facility target

    @property
    def is_control(self) -> bool:
        """Ownership and control expose both ways: parent to subsidiary and back."""
        return self in _CONTROL

    @property
    def carries_goods(self) -> bool:
        """Goods flow from source to target, so only the target is exposed to the source."""
        return self in _GOODS


_CONTROL = frozenset({RelationKind.OWNS, RelationKind.SUBSIDIARY_OF, RelationKind.OPERATES})
_GOODS = frozenset({RelationKind.SUPPLIES, RelationKind.SHIPPED_TO})


# Statement property: a place an entity is located in, from a `located_at` relation whose target
# is a place (the gazetteer's), not another entity.
LOCATED_IN = "located_in"


@dataclass(frozen=True, slots=True)
class Relation:
    """One link between two entities, dated, with the documents that show it."""

    id: str
    kind: RelationKind
    source_id: str
    target_id: str
    start: dt.date | None = None
    end: dt.date | None = None
    share: float | None = None  # ownership share in percent, where known
    quantity: str = ""  # shipped quantity or weight as written in the record
    description: str = ""  # product description or other context
    sources: tuple[Source, ...] = ()

    def active_on(self, as_of: dt.date) -> bool:
        if self.start is not None and self.start > as_of:
            return False
        return self.end is None or self.end > as_of


@dataclass(frozen=True, slots=True)
class Shipment:
    """One bill of lading, as read from a customs or trade-data export."""

    bill_number: str
    date: dt.date | None
    shipper_name: str
    consignee_name: str
    shipper_address: str = ""
    consignee_address: str = ""
    notify_party: str = ""
    product: str = ""
    hs_code: str = ""
    quantity: str = ""
    weight: str = ""
    port_of_lading: str = ""
    port_of_unlading: str = ""
    country_of_origin: str = ""
    file: str = ""
    row: int = 0
