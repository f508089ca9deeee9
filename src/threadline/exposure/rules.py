"""Tier rules as loaded from data/rules/tiers.yaml: which signal gives which tier and reason."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from threadline.model import ListEffect, RelationKind, Source, Tier


@dataclass(frozen=True, slots=True)
class ReasonRule:
    code: str
    tier: Tier
    text: str
    legal_source: Source | None = None


@dataclass(frozen=True, slots=True)
class LinkRules:
    """How far the relation walk goes, the reason for each kind of link, and how a step reads."""

    max_hops: int
    max_paths: int
    control: ReasonRule
    goods: ReasonRule
    site: ReasonRule
    indirect: ReasonRule
    # kind → (phrase walking along the relation, phrase walking against it)
    phrases: Mapping[RelationKind, tuple[str, str]]

    def direct(self, kind: RelationKind) -> ReasonRule:
        if kind.is_control:
            return self.control
        return self.goods if kind.carries_goods else self.site


@dataclass(frozen=True, slots=True)
class FacilityRules:
    distance_km: float
    max_reported: int
    near_site: ReasonRule
    near_county_seat: ReasonRule


@dataclass(frozen=True, slots=True)
class TierRules:
    listing: Mapping[ListEffect, ReasonRule]
    wro_unconfirmed: ReasonRule
    wro_unconfirmed_phrases: tuple[str, ...]
    possible_match: ReasonRule
    delisted: ReasonRule
    xuar_address: ReasonRule
    xuar_name: ReasonRule
    tibet_address: ReasonRule
    links: LinkRules
    facilities: FacilityRules
    sector: ReasonRule

    @property
    def name_match_codes(self) -> frozenset[str]:
        """Codes of the flags that rest on a name match. They are decided on the match itself
        (same / not same), so the entity and its listings stay tied to the decision; they
        cannot be dispositioned as flags."""
        rules = (*self.listing.values(), self.wro_unconfirmed, self.possible_match, self.delisted)
        return frozenset(rule.code for rule in rules)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> TierRules:
        # A law is cited by its text; its date is shown where given.
        legal = {
            key: Source.from_mapping(s, f"legal_sources.{key}", date_required=False)
            for key, s in data.get("legal_sources", {}).items()
        }

        def rule(entry: Mapping[str, Any]) -> ReasonRule:
            source = entry.get("legal_source")
            return ReasonRule(
                code=str(entry["code"]),
                tier=Tier(entry["tier"]),
                text=" ".join(str(entry["text"]).split()),
                legal_source=legal[source] if source else None,
            )

        listing = {
            ListEffect(k): rule(v)
            for k, v in data["listing_reasons"].items()
            if k != "wro_unconfirmed"
        }
        missing = set(ListEffect) - set(listing)
        if missing:
            raise ValueError(f"no listing reason for {', '.join(sorted(missing))}")
        return cls(
            listing=listing,
            wro_unconfirmed=rule(data["listing_reasons"]["wro_unconfirmed"]),
            wro_unconfirmed_phrases=tuple(
                str(p).lower() for p in data["wro_unconfirmed_status_phrases"]
            ),
            possible_match=rule(data["possible_match"]),
            delisted=rule(data["delisted"]),
            xuar_address=rule(data["xuar_address"]),
            xuar_name=rule(data["xuar_name"]),
            tibet_address=rule(data["tibet_address"]),
            links=_links(data["links"], rule),
            facilities=_facilities(data["facilities"], rule),
            sector=rule(data["sector_china_origin"]),
        )


def _positive(value: Any, what: str) -> float:
    number = float(value)
    if number <= 0:
        raise ValueError(f"{what} must be positive, not {value!r}")
    return number


def _links(data: Mapping[str, Any], rule: Callable[[Mapping[str, Any]], ReasonRule]) -> LinkRules:
    phrases = {
        RelationKind(kind): (str(p["along"]), str(p["against"]))
        for kind, p in data["phrases"].items()
    }
    missing = set(RelationKind) - set(phrases)
    if missing:
        raise ValueError(f"no link phrases for {', '.join(sorted(missing))}")
    return LinkRules(
        max_hops=int(_positive(data["max_hops"], "links.max_hops")),
        max_paths=int(_positive(data["max_paths_per_supplier"], "links.max_paths_per_supplier")),
        control=rule(data["control"]),
        goods=rule(data["goods"]),
        site=rule(data["site"]),
        indirect=rule(data["indirect"]),
        phrases=phrases,
    )


def _facilities(
    data: Mapping[str, Any], rule: Callable[[Mapping[str, Any]], ReasonRule]
) -> FacilityRules:
    return FacilityRules(
        distance_km=_positive(data["distance_km"], "facilities.distance_km"),
        max_reported=int(_positive(data["max_reported"], "facilities.max_reported")),
        near_site=rule(data["near_site"]),
        near_county_seat=rule(data["near_county_seat"]),
    )
