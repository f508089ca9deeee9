"""Reference entities and their listings, as the core sees them (no storage concerns)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from threadline.model.provenance import Source


class ListEffect(StrEnum):
    """What a listing means in law, which decides the tier it leads to (see data/rules)."""

    UFLPA = "uflpa"
    WRO = "wro"
    SDN = "sdn"
    EXPORT_CONTROL = "export_control"
    OTHER_SANCTION = "other_sanction"
    USER = "user"


@dataclass(frozen=True, slots=True)
class Listing:
    """One entry of an entity on one list, with the dates that make it active or not."""

    list_id: str
    list_name: str
    effect: ListEffect
    entry_id: str
    program: str = ""
    section: str = ""
    date_listed: date | None = None
    date_removed: date | None = None
    product_scope: str = ""
    status: str = ""
    sources: tuple[Source, ...] = ()
    notes: str = ""  # the entry's own caveats, e.g. a date inferred rather than stated

    def active_on(self, as_of: date) -> bool:
        if self.date_listed is not None and self.date_listed > as_of:
            return False
        return self.date_removed is None or self.date_removed > as_of


@dataclass(frozen=True, slots=True)
class ReferenceEntity:
    """A company, organisation, facility or sanctioned official known to the reference data."""

    id: str
    schema: str
    name: str
    aliases: tuple[str, ...] = ()
    names_zh: tuple[str, ...] = ()
    country: str = ""
    address: str = ""
    identifiers: tuple[str, ...] = ()
    listings: tuple[Listing, ...] = ()
    parent_id: str = ""
    sector: str = ""
    notes: str = ""
    extra: tuple[tuple[str, str], ...] = field(default=())

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *self.names_zh)

    def active_listings(self, as_of: date) -> tuple[Listing, ...]:
        return tuple(lst for lst in self.listings if lst.active_on(as_of))
