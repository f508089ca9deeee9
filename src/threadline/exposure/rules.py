"""Tier rules as loaded from data/rules/tiers.yaml: which signal gives which tier and reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from threadline.model import ListEffect, Reliability, Source, Tier


@dataclass(frozen=True, slots=True)
class ReasonRule:
    code: str
    tier: Tier
    text: str
    legal_source: Source | None = None


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

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> TierRules:
        legal = {
            key: Source(
                url=str(s["url"]),
                title=str(s["title"]),
                publisher=str(s.get("publisher", "")),
                date=dt.date.fromisoformat(str(s["date"])) if s.get("date") else None,
                reliability=Reliability.GOVERNMENT_DOCUMENT,
            )
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
        )
