"""Signals: what was found about a screened row, each kind a small frozen class that brings its
own wording and evidence.

A signal holds the rule it falls under (code, tier, template text and legal source, from
data/rules/) and what was found. It gives the fields its rule's template may name and the
evidence it rests on; `reason` fills the template and cites the evidence, then the law where the
rule names one. Nothing outside the class knows a kind's fields, so a new kind of signal is one
subclass (beside the step that finds it) and its rule in the data: a kind names the rules it is
given (`RULES`, by their names in tiers.yaml `reasons`), and loading the rules checks that each
name is there and each rule is some kind's. The kinds here are those the tier rules cover
directly: listings (and CBP orders), places, nearby facilities and sectors; link paths and
document findings sit with their steps (links.py, documents.py).
"""

from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from threadline.exposure.facilities import FacilityHit
from threadline.exposure.products import SectorHit
from threadline.exposure.rules import ReasonRule, TierRules
from threadline.model import (
    Evidence,
    ExposurePath,
    Listing,
    MatchResult,
    Reason,
    Reliability,
    SourceKind,
)

# A name that ends in a period ("Co., Ltd.") must not leave ".." before the template's own.
_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")

# A note saying a fact was inferred (not stated by a source) must travel with any flag resting
# on the entry, so the reader weighs it.
_INFERRED = re.compile(r"\binferr(?:ed|ing)\b|\binference", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Signal(ABC):
    """One signal under its rule. Subclasses give `fields` and `evidence`; a kind that shows
    exposure paths gives `exposure_paths` too."""

    rule: ReasonRule
    # The rules (tiers.yaml `reasons`, by name) this kind is given under; the first by default.
    RULES: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def rule_in(cls, rules: TierRules, name: str = "") -> ReasonRule:
        """The rule `name` (by default the kind's first) from `rules`; one the kind does not
        name is refused, so `RULES` stays the whole list the load checks."""
        name = name or cls.RULES[0]
        if name not in cls.RULES:
            raise ValueError(f"{cls.__name__} is not given rule '{name}'")
        return rules.reason(name)

    @abstractmethod
    def fields(self) -> Mapping[str, str]:
        """What the rule's template may name ({as_of} is always there)."""

    @abstractmethod
    def evidence(self) -> tuple[Evidence, ...]:
        """The sources the signal rests on, best first (the rule's legal source is added)."""

    def exposure_paths(self) -> tuple[ExposurePath, ...]:
        """The relation paths the reason shows, edge by edge."""
        return ()

    def text(self, as_of: dt.date) -> str:
        """The one-line reason the report, CSV, JSON and API show."""
        text = self.rule.text.format(**{"as_of": as_of.isoformat(), **self.fields()})
        return _DOUBLE_STOP.sub(".", text)

    def reason(self, as_of: dt.date) -> Reason:
        evidence = self.evidence()
        if self.rule.legal_source is not None:
            legal = Evidence.from_source(self.rule.legal_source, fact="legal basis")
            evidence = (*evidence, legal)
        return Reason(
            code=self.rule.code,
            tier=self.rule.tier,
            text=self.text(as_of),
            evidence=evidence,
            paths=self.exposure_paths(),
        )


def listing_evidence(listing: Listing) -> tuple[Evidence, ...]:
    """The listing's sources, official publications first (each with its own date, not the
    listing's), then the entry's note where it says a fact was inferred."""
    fact = f"{listing.list_name}: entry {listing.entry_id}"
    if listing.date_listed:
        fact += f", listed {listing.date_listed.isoformat()}"
    if listing.date_removed:
        fact += f", removed {listing.date_removed.isoformat()}"
    ranked = sorted(listing.sources, key=lambda s: s.reliability)
    items = [Evidence.from_source(s, fact=fact) for s in ranked]
    if _INFERRED.search(listing.notes):
        items.append(
            Evidence(
                source_url=f"list:{listing.list_id}#{listing.entry_id}",
                title=f"Note on entry {listing.entry_id} in the {listing.list_name} data",
                date=None,
                fact=f"Partly inferred: {listing.notes}",
                publisher="threadline list data",
                reliability=Reliability.INFERRED,
                kind=SourceKind.LIST_NOTE,
            )
        )
    return tuple(items)


@dataclass(frozen=True, slots=True)
class ListingSignal(Signal):
    """A matched entity's listing: counted, awaiting review, or removed before the as-of date
    (the rule says which). Fields: entity, score, list, date_listed, date_removed, section,
    program."""

    # Besides the listing reason for its effect (tiers.yaml `listing_reasons`).
    RULES: ClassVar[tuple[str, ...]] = ("possible_match", "delisted")

    match: MatchResult
    listing: Listing

    def fields(self) -> Mapping[str, str]:
        listing = self.listing
        return {
            "entity": self.match.entity.name,
            "score": f"{self.match.score:.2f}",
            "list": listing.list_name,
            "date_listed": listing.date_listed.isoformat()
            if listing.date_listed
            else "an unknown date",
            "date_removed": listing.date_removed.isoformat() if listing.date_removed else "",
            "section": f", section {listing.section}" if listing.section else "",
            "program": listing.program or listing.list_name,
        }

    def evidence(self) -> tuple[Evidence, ...]:
        return listing_evidence(self.listing)


@dataclass(frozen=True, slots=True)
class OrderSignal(ListingSignal):
    """A listing under a CBP order (Withhold Release Order or Finding), which names the goods it
    covers and may lack a confirmed status. Adds: order (its type as the list states it),
    product_scope, status."""

    RULES = (*ListingSignal.RULES, "wro_unconfirmed")

    def fields(self) -> Mapping[str, str]:
        listing = self.listing
        return {
            **ListingSignal.fields(self),
            "order": listing.section or "order",
            "product_scope": listing.product_scope or "the goods named in the order",
            "status": listing.status,
        }


@dataclass(frozen=True, slots=True)
class PlaceHit:
    """An address placed in a region of concern, with the gazetteer evidence."""

    region: str  # "XUAR" or "TIBET"
    in_name: bool  # found in the company name rather than the address
    places: tuple[str, ...]
    why: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class PlaceSignal(Signal):
    """An address or name placed in the XUAR or Tibet. Fields: places."""

    RULES = ("xuar_address", "xuar_name", "tibet_address")

    place: PlaceHit

    def fields(self) -> Mapping[str, str]:
        return {"places": ", ".join(self.place.places)}

    def evidence(self) -> tuple[Evidence, ...]:
        return self.place.evidence


@dataclass(frozen=True, slots=True)
class FacilitySignal(Signal):
    """A site near a documented facility. Fields: facility, kind, details (what the dataset
    records of it: security tier, factories), distance, place (the county seat standing in for
    the site)."""

    RULES = ("near_site", "near_county_seat")

    hit: FacilityHit

    def fields(self) -> Mapping[str, str]:
        facility = self.hit.facility
        return {
            "facility": facility.label,
            "kind": facility.kind_label,
            "details": "".join(f", {detail}" for detail in facility.details()),
            "distance": f"{self.hit.distance_km:.1f}",
            "place": self.hit.site.county_seat,
        }

    def evidence(self) -> tuple[Evidence, ...]:
        return (self.hit.facility.evidence(),)


@dataclass(frozen=True, slots=True)
class SectorSignal(Signal):
    """China-origin goods in a high-priority sector. Fields: sector, basis, designated."""

    RULES = ("sector_china_origin",)

    hit: SectorHit

    def fields(self) -> Mapping[str, str]:
        return {
            "sector": self.hit.sector.label,
            "basis": self.hit.basis,
            "designated": self.hit.sector.designated.isoformat(),
        }

    def evidence(self) -> tuple[Evidence, ...]:
        sector = self.hit.sector
        fact = f"high-priority sector '{sector.label}', designated {sector.designated.isoformat()}"
        return (Evidence.from_source(sector.source, fact=fact),)


def rule_names(root: type[Signal] = Signal) -> dict[str, tuple[str, ...]]:
    """Each packaged kind of signal (those threadline defines: a kind made elsewhere, as in a
    test, brings its own rules) by name → the rules it names."""
    out: dict[str, tuple[str, ...]] = {}
    for kind in root.__subclasses__():
        if kind.__module__.startswith("threadline."):
            out[kind.__name__] = kind.RULES
        out.update(rule_names(kind))
    return out
