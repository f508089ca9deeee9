"""From matches and places to signals: which rule fires, for which listing or place, at the
screening date. Listings not yet made or already removed at `as_of` do not count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from threadline.exposure.facilities import FacilityHit
from threadline.exposure.products import SectorHit
from threadline.exposure.rules import ReasonRule, TierRules
from threadline.exposure.signals import (
    FacilitySignal,
    ListingSignal,
    OrderSignal,
    PlaceHit,
    PlaceSignal,
    SectorSignal,
    Signal,
)
from threadline.model import Band, ListEffect, Listing, MatchResult
from threadline.normalise.places import XUAR

# A listing's kind of signal by its effect; other effects are plain listings.
_LISTING_KINDS: dict[ListEffect, type[ListingSignal]] = {ListEffect.WRO: OrderSignal}


def signals(
    matches: Sequence[MatchResult],
    places: Sequence[PlaceHit],
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
            kind = _LISTING_KINDS.get(listing.effect, ListingSignal)
            if not listing.active_on(as_of):
                rule = kind.rule_in(rules, "delisted")
            elif match.band is Band.REVIEW:
                rule = kind.rule_in(rules, "possible_match")
            else:
                rule = listing_rule(listing, rules)
            out.append(kind(rule, match, listing))
    for place in places:
        if place.region == XUAR:
            name = "xuar_name" if place.in_name else "xuar_address"
        else:
            name = "tibet_address"
        out.append(PlaceSignal(PlaceSignal.rule_in(rules, name), place))
    return out


def listing_rule(listing: Listing, rules: TierRules) -> ReasonRule:
    """The rule an active listing falls under (an unconfirmed WRO is not treated as active)."""
    if listing.effect is ListEffect.WRO:
        status = listing.status.lower()
        if any(phrase in status for phrase in rules.wro_unconfirmed_phrases):
            return OrderSignal.rule_in(rules, "wro_unconfirmed")
    return rules.listing[listing.effect]


def facility_signals(hits: Sequence[FacilityHit], rules: TierRules) -> list[Signal]:
    return [
        FacilitySignal(
            FacilitySignal.rule_in(rules, "near_county_seat" if hit.site.approximate else ""), hit
        )
        for hit in hits
    ]


def sector_signals(hits: Sequence[SectorHit], country: str, rules: TierRules) -> list[Signal]:
    """China-origin goods in a high-priority sector; other origins give no signal here."""
    if country != "CN":
        return []
    rule = SectorSignal.rule_in(rules)
    return [SectorSignal(rule, hit) for hit in hits]
