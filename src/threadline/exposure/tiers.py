"""From matches and places to signals: which rule fires, for which listing or place, at the
screening date. Listings not yet made or already removed at `as_of` do not count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from threadline.exposure.facilities import FacilityHit
from threadline.exposure.products import SectorHit
from threadline.exposure.rules import ReasonRule, TierRules
from threadline.exposure.targets import Target
from threadline.model import Band, Evidence, ExposurePath, ListEffect, Listing, MatchResult
from threadline.model.documents import DocumentFinding


@dataclass(frozen=True, slots=True)
class PlaceSignal:
    """An address placed in a region of concern, with the gazetteer evidence."""

    region: str  # "XUAR" or "TIBET"
    in_name: bool  # found in the company name rather than the address
    places: tuple[str, ...]
    why: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Signal:
    rule: ReasonRule
    match: MatchResult | None = None
    listing: Listing | None = None
    place: PlaceSignal | None = None
    target: Target | None = None
    paths: tuple[ExposurePath, ...] = ()
    facility: FacilityHit | None = None
    sector: SectorHit | None = None
    document: DocumentFinding | None = None  # what a document says of a matched entity
    note: str = ""  # a document finding's rationale, for the reason's text


def signals(
    matches: Sequence[MatchResult],
    places: Sequence[PlaceSignal],
    as_of: dt.date,
    rules: TierRules,
) -> list[Signal]:
    out: list[Signal] = []
    for match in matches:
        if match.band is Band.NO_MATCH:
            continue
        for listing in match.entity.listings:
            if listing.date_listed is not None and listing.date_listed > as_of:
                continue
            if not listing.active_on(as_of):
                out.append(Signal(rules.delisted, match, listing))
            elif match.band is Band.REVIEW:
                out.append(Signal(rules.possible_match, match, listing))
            else:
                out.append(Signal(listing_rule(listing, rules), match, listing))
    for place in places:
        if place.region == "XUAR":
            rule = rules.xuar_name if place.in_name else rules.xuar_address
        else:
            rule = rules.tibet_address
        out.append(Signal(rule, place=place))
    return out


def listing_rule(listing: Listing, rules: TierRules) -> ReasonRule:
    """The rule an active listing falls under (an unconfirmed WRO is not treated as active)."""
    if listing.effect is ListEffect.WRO:
        status = listing.status.lower()
        if any(phrase in status for phrase in rules.wro_unconfirmed_phrases):
            return rules.wro_unconfirmed
    return rules.listing[listing.effect]


def facility_signals(hits: Sequence[FacilityHit], rules: TierRules) -> list[Signal]:
    near = rules.facilities
    return [
        Signal(near.near_county_seat if hit.site.approximate else near.near_site, facility=hit)
        for hit in hits
    ]


def sector_signals(hits: Sequence[SectorHit], country: str, rules: TierRules) -> list[Signal]:
    """China-origin goods in a high-priority sector; other origins give no signal here."""
    if country != "CN":
        return []
    return [Signal(rules.sector, sector=hit) for hit in hits]
