"""Tier rules as loaded from data/rules/tiers.yaml: which signal gives which tier and reason."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from threadline.model import ListEffect, RelationKind, Source, Tier


@dataclass(frozen=True, slots=True)
class ReasonRule:
    code: str
    tier: Tier
    text: str
    legal_source: Source | None = None

    @classmethod
    def from_mapping(
        cls, entry: Mapping[str, Any], legal: Mapping[str, Source] | None = None
    ) -> ReasonRule:
        """A reason entry of a rules file (code, tier, text, and a key of `legal` where it cites
        a law); the text's line breaks are the file's, not the reason's."""
        source = entry.get("legal_source")
        if source and source not in (legal or {}):
            raise ValueError(f"legal_source '{source}' is not in legal_sources")
        return cls(
            code=str(entry["code"]),
            tier=Tier(entry["tier"]),
            text=" ".join(str(entry["text"]).split()),
            legal_source=legal[source] if legal and source else None,
        )


@dataclass(frozen=True, slots=True)
class LinkRules:
    """How far the relation walk goes and how a step reads."""

    max_hops: int
    max_paths: int
    # kind → (phrase walking along the relation, phrase walking against it)
    phrases: Mapping[RelationKind, tuple[str, str]]


@dataclass(frozen=True, slots=True)
class FacilityRules:
    distance_km: float
    max_reported: int


@dataclass(frozen=True, slots=True)
class TierRules:
    """The tier rules: a listing's reason by its effect, every other reason by its name (a kind
    of signal names those it is given under, see `Signal.RULES`), and the exposure settings."""

    listing: Mapping[ListEffect, ReasonRule]
    reasons: Mapping[str, ReasonRule]
    # Codes of the flags that rest on a name match (tiers.yaml `listing_reasons`). They are
    # decided on the match itself (same / not same), so the entity and its listings stay tied to
    # the decision; they cannot be dispositioned as flags.
    name_match_codes: frozenset[str]
    wro_unconfirmed_phrases: tuple[str, ...]
    links: LinkRules
    facilities: FacilityRules

    def reason(self, name: str) -> ReasonRule:
        try:
            return self.reasons[name]
        except KeyError:
            raise ValueError(f"reasons: no rule '{name}'") from None

    def check_names(self, used: Mapping[str, tuple[str, ...]]) -> None:
        """Refuse a rule a kind of signal names that is not here, and a named rule no kind uses
        (`used`: each kind's name → the rules it names)."""
        for kind, names in used.items():
            if missing := [n for n in names if n not in self.reasons]:
                raise ValueError(f"reasons: no rule {', '.join(missing)} (signal kind {kind})")
        named = {n for names in used.values() for n in names}
        if unused := sorted(set(self.reasons) - named):
            raise ValueError(f"reasons.{unused[0]}: no kind of signal is given this rule")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> TierRules:
        # A law is cited by its text; its date is shown where given.
        legal = {
            key: Source.from_mapping(s, f"legal_sources.{key}", date_required=False)
            for key, s in data.get("legal_sources", {}).items()
        }

        def rule(entry: Mapping[str, Any]) -> ReasonRule:
            return ReasonRule.from_mapping(entry, legal)

        effects = {e.value for e in ListEffect}
        by_listing = {str(k): rule(v) for k, v in data["listing_reasons"].items()}
        listing = {ListEffect(k): r for k, r in by_listing.items() if k in effects}
        missing = set(ListEffect) - set(listing)
        if missing:
            raise ValueError(f"no listing reason for {', '.join(sorted(missing))}")
        reasons = {k: r for k, r in by_listing.items() if k not in effects}
        for name, entry in data["reasons"].items():
            if name in reasons:
                raise ValueError(f"reasons.{name}: also in listing_reasons")
            reasons[str(name)] = rule(entry)
        return cls(
            listing=listing,
            reasons=reasons,
            name_match_codes=frozenset(r.code for r in by_listing.values()),
            wro_unconfirmed_phrases=tuple(
                str(p).lower() for p in data["wro_unconfirmed_status_phrases"]
            ),
            links=_links(data["links"]),
            facilities=_facilities(data["facilities"]),
        )


def _positive(value: Any, what: str) -> float:
    number = float(value)
    if number <= 0:
        raise ValueError(f"{what} must be positive, not {value!r}")
    return number


def _links(data: Mapping[str, Any]) -> LinkRules:
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
        phrases=phrases,
    )


def _facilities(data: Mapping[str, Any]) -> FacilityRules:
    return FacilityRules(
        distance_km=_positive(data["distance_km"], "facilities.distance_km"),
        max_reported=int(_positive(data["max_reported"], "facilities.max_reported")),
    )
