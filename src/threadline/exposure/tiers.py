"""From matches and places to signals: which rule fires, for which listing or place, at the
screening date. Listings not yet made or already removed at `as_of` do not count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from threadline.exposure.rules import ReasonRule, TierRules
from threadline.model import Band, Evidence, ListEffect, Listing, MatchResult


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
                out.append(Signal(_listing_rule(listing, rules), match, listing))
    for place in places:
        if place.region == "XUAR":
            rule = rules.xuar_name if place.in_name else rules.xuar_address
        else:
            rule = rules.tibet_address
        out.append(Signal(rule, place=place))
    return out


def _listing_rule(listing: Listing, rules: TierRules) -> ReasonRule:
    if listing.effect is ListEffect.WRO:
        status = listing.status.lower()
        if any(phrase in status for phrase in rules.wro_unconfirmed_phrases):
            return rules.wro_unconfirmed
    return rules.listing[listing.effect]
