"""Methodology text for the exposure step, generated from the settings a run actually used, so a
report states how far links were followed and which facilities and sectors were checked."""

from __future__ import annotations

import datetime as dt

from threadline.exposure.facilities import FacilityIndex
from threadline.exposure.products import SectorMap
from threadline.exposure.rules import TierRules
from threadline.model import Tier


def describe_exposure(
    rules: TierRules,
    max_hops: int,
    relation_count: int,
    facilities: FacilityIndex,
    sectors: SectorMap,
    as_of: dt.date,
) -> list[tuple[str, str]]:
    def tier(name: str) -> str:
        return rules.reason(name).tier.value

    # The lists whose active listing makes an entity a target (exposure/links.py), by the rules.
    prohibited = [e.value.upper() for e, r in rules.listing.items() if r.tier is Tier.PROHIBITED]
    if max_hops == 0:
        links = "Links between entities were not followed in this run (--hops 0)."
    else:
        links = (
            f"{relation_count} stored relations (ownership, supply, shipments, sites) were "
            f"followed up to {max_hops} link(s) from each supplier's confident matches, counting "
            f"only those in force on {as_of.isoformat()}. Goods links expose only the receiver; "
            "ownership and control expose both ways. A direct link to an entity with an active "
            f"{_either(prohibited)} listing, an XUAR address, or a documented facility is "
            f"{tier('link_control')}; two or more links are "
            f"{tier('link_indirect')}. At most {rules.links.max_paths} shortest paths "
            "are kept per supplier."
        )
    active = [s.label for s in sectors.sectors if s.designated <= as_of]
    return [
        ("Links", links),
        (
            "Documented facilities",
            f"Sites with coordinates are compared with {len(facilities)} documented facilities "
            f"({', '.join(facilities.sources)}); one within "
            f"{rules.facilities.distance_km:g} km is {tier('near_site')}. "
            "Without coordinates, the seat of a named XUAR county stands in, at "
            f"{tier('near_county_seat')}.",
        ),
        (
            "Product sectors",
            "China-origin goods whose HS code or description falls in a UFLPA high-priority "
            f"sector designated by {as_of.isoformat()} ({', '.join(active) or 'none'}) are "
            f"{tier('sector_china_origin')}: no traceability information was supplied.",
        ),
    ]


def _either(names: list[str]) -> str:
    """['UFLPA', 'WRO', 'SDN'] → 'UFLPA, WRO or SDN'."""
    return " or ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)
