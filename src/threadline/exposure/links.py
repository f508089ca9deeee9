"""Exposure paths → signals: which entities are targets, and which rule each path falls under.

One signal per (supplier, target): a single link to a prohibited entity is `high` (control,
goods or site, by the relation), two or more links `elevated`. The signal carries every path
kept for that target, so the report can show each edge with the relation's sources.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from threadline.exposure.graph import Hit
from threadline.exposure.rules import TierRules
from threadline.exposure.targets import Target
from threadline.exposure.tiers import Signal, listing_rule
from threadline.model import Evidence, ReferenceEntity, Tier


def listed_targets(
    entities: Iterable[ReferenceEntity], as_of: dt.date, rules: TierRules
) -> dict[str, Target]:
    """Entities whose listings active at `as_of` lead to the prohibited tier, by id."""
    out: dict[str, Target] = {}
    for entity in entities:
        for listing in entity.active_listings(as_of):
            if listing_rule(listing, rules).tier is not Tier.PROHIBITED:
                continue
            since = listing.date_listed.isoformat() if listing.date_listed else "an unknown date"
            fact = f"{listing.list_name}: entry {listing.entry_id}, listed {since}"
            out[entity.id] = Target(
                id=entity.id,
                name=entity.name,
                why=f"on the {listing.list_name} since {since}",
                evidence=tuple(
                    Evidence.from_source(s, fact=fact, when=listing.date_listed)
                    for s in listing.sources
                ),
            )
            break
    return out


def link_signals(
    hits: Sequence[Hit], targets: Mapping[str, Target], rules: TierRules
) -> list[Signal]:
    out: list[Signal] = []
    for hit in hits:
        if not hit.paths:
            continue
        if hit.hops == 1:
            # Several direct relations to one target: control says most, then goods, then site.
            kinds = sorted(
                (p.edges[0].relation.kind for p in hit.paths),
                key=lambda k: (not k.is_control, not k.carries_goods),
            )
            rule = rules.links.direct(kinds[0])
        else:
            rule = rules.links.indirect
        out.append(Signal(rule, target=targets[hit.target_id], paths=hit.paths))
    return out
