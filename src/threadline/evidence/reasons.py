"""Signals → reasons with cited evidence → the row's risk assessment (worst tier wins)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from threadline.evidence.documents import document_evidence, document_fields
from threadline.evidence.exposure import (
    facility_fields,
    link_evidence,
    link_fields,
    sector_evidence,
    sector_fields,
)
from threadline.exposure import LinkRules, Signal
from threadline.model import (
    Evidence,
    Listing,
    Reason,
    Reliability,
    RiskAssessment,
    SourceKind,
    Tier,
)

_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")


# A note saying a fact was inferred (not stated by a source) must travel with any flag resting
# on the entry, so the reader weighs it.
_INFERRED = re.compile(r"\binferr(?:ed|ing)\b|\binference", re.IGNORECASE)


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


def _exposure(signal: Signal, links: LinkRules) -> tuple[dict[str, str], tuple[Evidence, ...]]:
    """Template fields and evidence of a link, facility or sector signal (empty otherwise)."""
    if signal.target is not None and signal.paths:
        fields = link_fields(signal.target, signal.paths, links)
        return fields, link_evidence(signal.target, signal.paths, links)
    if signal.facility is not None:
        return facility_fields(signal.facility), (signal.facility.facility.evidence(),)
    if signal.sector is not None:
        return sector_fields(signal.sector), sector_evidence(signal.sector)
    if signal.document is not None:
        return document_fields(signal.document, signal.note), document_evidence(signal.document)
    return {}, ()


def _text(signal: Signal, as_of: dt.date, extra: dict[str, str]) -> str:
    listing, match, place = signal.listing, signal.match, signal.place
    fields = {
        "entity": match.entity.name if match else "",
        "score": f"{match.score:.2f}" if match else "",
        "list": listing.list_name if listing else "",
        "date_listed": listing.date_listed.isoformat()
        if listing and listing.date_listed
        else "an unknown date",
        "date_removed": listing.date_removed.isoformat()
        if listing and listing.date_removed
        else "",
        "section": f", section {listing.section}" if listing and listing.section else "",
        "product_scope": (listing.product_scope or "the goods named in the order")
        if listing
        else "",
        "program": (listing.program or listing.list_name) if listing else "",
        "status": listing.status if listing else "",
        "places": ", ".join(place.places) if place else "",
        "as_of": as_of.isoformat(),
        **extra,
    }
    fields["order"] = (listing.section if listing else "") or "order"
    text = signal.rule.text
    # A name that ends in a period ("Co., Ltd.") must not leave ".." before the template's own.
    return _DOUBLE_STOP.sub(".", text.format(**fields))


def assess(signals: Sequence[Signal], as_of: dt.date, links: LinkRules) -> RiskAssessment:
    reasons: list[Reason] = []
    seen: set[tuple[str, str]] = set()
    for signal in signals:
        extra, evidence = _exposure(signal, links)
        if signal.listing is not None:
            evidence = listing_evidence(signal.listing)
        if signal.place is not None:
            evidence = signal.place.evidence
        if signal.rule.legal_source is not None:
            evidence = (
                *evidence,
                Evidence.from_source(signal.rule.legal_source, fact="legal basis"),
            )
        text = _text(signal, as_of, extra)
        key = (signal.rule.code, text)
        if key in seen:
            continue
        seen.add(key)
        reasons.append(
            Reason(
                code=signal.rule.code,
                tier=signal.rule.tier,
                text=text,
                evidence=evidence,
                paths=signal.paths,
            )
        )
    reasons.sort(key=lambda r: -r.tier.severity)
    tier = max((r.tier for r in reasons), key=lambda t: t.severity, default=Tier.NO_SIGNAL)
    return RiskAssessment(tier=tier, reasons=tuple(reasons))
