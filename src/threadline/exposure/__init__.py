"""Exposure: which signals fire for a screened row, under the tier rules, at the as-of date:
listings, places, links through the relation graph, nearby facilities and product sectors."""

from threadline.exposure.documents import (
    DocumentRules,
    DocumentSignal,
    describe_documents,
    document_signals,
)
from threadline.exposure.facilities import Facility, FacilityHit, FacilityIndex, Site
from threadline.exposure.graph import Hit, RelationGraph
from threadline.exposure.links import LinkSignal, link_signals, listed_targets
from threadline.exposure.method import describe_exposure
from threadline.exposure.places import place_signals, placed_targets, site
from threadline.exposure.products import SectorHit, SectorMap
from threadline.exposure.rules import FacilityRules, LinkRules, ReasonRule, TierRules
from threadline.exposure.signals import (
    FacilitySignal,
    ListingSignal,
    OrderSignal,
    PlaceHit,
    PlaceSignal,
    SectorSignal,
    Signal,
)
from threadline.exposure.targets import Target
from threadline.exposure.tiers import facility_signals, sector_signals, signals

__all__ = [
    "DocumentRules",
    "DocumentSignal",
    "Facility",
    "FacilityHit",
    "FacilityIndex",
    "FacilityRules",
    "FacilitySignal",
    "Hit",
    "LinkRules",
    "LinkSignal",
    "ListingSignal",
    "OrderSignal",
    "PlaceHit",
    "PlaceSignal",
    "ReasonRule",
    "RelationGraph",
    "SectorHit",
    "SectorMap",
    "SectorSignal",
    "Signal",
    "Site",
    "Target",
    "TierRules",
    "describe_documents",
    "describe_exposure",
    "document_signals",
    "facility_signals",
    "link_signals",
    "listed_targets",
    "place_signals",
    "placed_targets",
    "sector_signals",
    "signals",
    "site",
]
